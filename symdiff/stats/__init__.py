"""Statistics on symbolic log-densities: score, Fisher information, exact-gradient MLE.

``import symdiff.stats`` (it is not loaded by ``import symdiff``).

Examples
--------
>>> import numpy as np
>>> from symdiff import stats
>>> r = stats.fit("poisson", [0, 1, 2, 5])
>>> round(r.params["rate"], 6)
2.0
"""

from symdiff.stats.families import FAMILIES, Family, family_of, log_density
from symdiff.stats.fit import FitResult, fit
from symdiff.stats.information import fisher_information, observed_information, score
from symdiff.stats.likelihood import data_symbol, log_likelihood
from symdiff.stats.multivariate import (
    categorical_log_pmf,
    fit_closed_form,
    multinomial_log_pmf,
    mvnormal_log_pdf,
    one_hot,
)

__all__ = [
    "FAMILIES",
    "Family",
    "FitResult",
    "categorical_log_pmf",
    "data_symbol",
    "family_of",
    "fisher_information",
    "fit",
    "fit_closed_form",
    "log_density",
    "log_likelihood",
    "multinomial_log_pmf",
    "mvnormal_log_pdf",
    "observed_information",
    "one_hot",
    "score",
]
