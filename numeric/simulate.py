"""Honest simulations: dice, coins, the law of large numbers, the central limit theorem.

This module is the public path; the code lives in :mod:`numeric.probability.simulate`
(with its records in ``results``, its bounds in ``bounds`` and its chunked drawing in
``sampling``).
"""

from numeric.probability.bounds import BERRY_ESSEEN_CONSTANT
from numeric.probability.simulate import (
    CentralLimitResult,
    FrequencyExperiment,
    LawOfLargeNumbersResult,
    berry_esseen_bound,
    central_limit,
    coin_experiment,
    dice_experiment,
    dkw_bound,
    kolmogorov_distance,
    law_of_large_numbers,
)

__all__ = [
    "BERRY_ESSEEN_CONSTANT",
    "FrequencyExperiment",
    "LawOfLargeNumbersResult",
    "CentralLimitResult",
    "dice_experiment",
    "coin_experiment",
    "law_of_large_numbers",
    "central_limit",
    "berry_esseen_bound",
    "dkw_bound",
    "kolmogorov_distance",
]
