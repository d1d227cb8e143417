"""The records the simulations return: data together with the bound it must obey."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["FrequencyExperiment", "LawOfLargeNumbersResult", "CentralLimitResult"]


@dataclass(frozen=True)
class FrequencyExperiment:
    """Cumulative relative frequencies of a repeated categorical experiment.

    Attributes
    ----------
    probs : numpy.ndarray, shape (K,)
        The true probabilities of the ``K`` outcomes.
    x : numpy.ndarray, shape (T,)
        Horizontal position of each row in d2l's figure (group number for dice, number
        of tosses for coins).
    draws : numpy.ndarray, shape (T,)
        Number of single draws behind each row.
    counts : numpy.ndarray, shape (T, K)
        Cumulative count of each outcome.
    estimates : numpy.ndarray, shape (T, K)
        ``counts / draws``: the relative frequencies.
    band : numpy.ndarray, shape (T,)
        Hoeffding half-width: with probability ``>= 1 - alpha`` every
        ``|estimates - probs|`` is at most ``band`` (all rows and outcomes at once).
    alpha : float
        Error probability of the band.
    labels : tuple of str
        Legend labels, e.g. ``"P(die=1)"``.
    xlabel : str
        Horizontal-axis label used by d2l.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.simulate import coin_experiment
    >>> r = coin_experiment(100, rng=np.random.default_rng(0))
    >>> r.estimates.shape, r.labels
    ((100, 2), ('P(coin=heads)', 'P(coin=tails)'))
    """

    probs: np.ndarray
    x: np.ndarray
    draws: np.ndarray
    counts: np.ndarray
    estimates: np.ndarray
    band: np.ndarray
    alpha: float
    labels: tuple
    xlabel: str

    @property
    def deviation(self):
        """Largest ``|estimate - probability|`` over outcomes, per row.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.simulate import dice_experiment
        >>> r = dice_experiment(50, 10, rng=np.random.default_rng(1))
        >>> bool((r.deviation <= 1).all())
        True
        """
        return np.abs(self.estimates - self.probs).max(axis=1)

    @property
    def within_band(self):
        """Whether every estimate lies inside the Hoeffding band.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.simulate import dice_experiment
        >>> dice_experiment(rng=np.random.default_rng(2)).within_band
        True
        """
        return bool((self.deviation <= self.band).all())


@dataclass(frozen=True)
class LawOfLargeNumbersResult:
    """Running means of i.i.d. draws and the band they must stay in.

    Attributes
    ----------
    draws : numpy.ndarray, shape (T,)
        The checkpoints ``n`` (numbers of draws) at which the mean was recorded.
    running_sum : numpy.ndarray, shape (T,)
        Sum of the first ``n`` draws at each checkpoint (exact integers for discrete
        distributions).
    running_mean : numpy.ndarray, shape (T,)
        Mean of the first ``n`` draws, at each checkpoint.
    mean : float
        The expectation ``E[X]`` the running mean converges to.
    band : numpy.ndarray, shape (T,)
        Half-width: with probability ``>= 1 - alpha``, ``|running_mean - mean| <=
        band`` at every ``n`` simultaneously.
    bound : str
        ``"hoeffding"`` (bounded variables) or ``"chebyshev"`` (finite variance).
    alpha : float
        Error probability of the band.
    n : int
        Total number of draws.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Uniform
    >>> from numeric.simulate import law_of_large_numbers
    >>> r = law_of_large_numbers(Uniform(), 1000, np.random.default_rng(0))
    >>> r.bound, r.within_band, int(r.draws[-1])
    ('hoeffding', True, 1000)
    """

    draws: np.ndarray
    running_sum: np.ndarray
    running_mean: np.ndarray
    mean: float
    band: np.ndarray
    bound: str
    alpha: float
    n: int

    @property
    def deviation(self):
        """``|running_mean - mean|`` at each checkpoint.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Bernoulli
        >>> from numeric.simulate import law_of_large_numbers
        >>> r = law_of_large_numbers(Bernoulli(0.5), 10, np.random.default_rng(0))
        >>> r.deviation.shape
        (10,)
        """
        return np.abs(self.running_mean - self.mean)

    @property
    def within_band(self):
        """Whether the running mean stays inside the band at every checkpoint.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Normal
        >>> from numeric.simulate import law_of_large_numbers
        >>> law_of_large_numbers(Normal(), 10_000, np.random.default_rng(3)).within_band
        True
        """
        return bool((self.deviation <= self.band).all())


@dataclass(frozen=True)
class CentralLimitResult:
    """Standardised sums of i.i.d. draws and their distance to N(0, 1).

    Attributes
    ----------
    n : int
        Draws per sum.
    sums : numpy.ndarray, shape (m,)
        The ``m`` raw sums (integers for discrete distributions).
    mean, std : float
        Mean and standard deviation of one draw.
    kolmogorov : float
        ``sup_x |F_m(x) - Phi(x)|`` for the empirical cdf ``F_m`` of :attr:`z`.
    berry_esseen : float
        Berry–Esseen bound on ``sup_x |F_n(x) - Phi(x)|`` for the exact law ``F_n``.
    dkw : float
        DKW half-width: ``sup |F_m - F_n| <= dkw`` with probability ``>= 1 - alpha``.
    alpha : float
        Error probability of :attr:`bound`.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Exponential
    >>> from numeric.simulate import central_limit
    >>> r = central_limit(Exponential(), 50, 2000, np.random.default_rng(0))
    >>> r.z.shape, r.within_bound
    ((2000,), True)
    """

    n: int
    sums: np.ndarray
    mean: float
    std: float
    kolmogorov: float
    berry_esseen: float
    dkw: float
    alpha: float

    @property
    def m(self):
        """Number of sums.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Bernoulli
        >>> from numeric.simulate import central_limit
        >>> central_limit(Bernoulli(0.2), 10, 30, np.random.default_rng(0)).m
        30
        """
        return int(self.sums.shape[0])

    @property
    def z(self):
        """Standardised sums ``(S - n mu) / (sigma sqrt(n))``.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Normal
        >>> from numeric.simulate import central_limit
        >>> r = central_limit(Normal(3.0, 2.0), 4, 5, np.random.default_rng(0))
        >>> bool(np.allclose(r.z, (r.sums - 12.0) / 4.0))
        True
        """
        return (self.sums - self.n * self.mean) / (self.std * math.sqrt(self.n))

    @property
    def bound(self):
        """``berry_esseen + dkw`` (capped at 1), the most :attr:`kolmogorov` may be.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Bernoulli
        >>> from numeric.simulate import central_limit
        >>> r = central_limit(Bernoulli(0.5), 100, 1000, np.random.default_rng(0))
        >>> bool(r.bound == min(1.0, r.berry_esseen + r.dkw))
        True
        """
        return min(1.0, self.berry_esseen + self.dkw)

    @property
    def within_bound(self):
        """Whether the Kolmogorov distance is under :attr:`bound`.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Uniform
        >>> from numeric.simulate import central_limit
        >>> central_limit(Uniform(), 12, 5000, np.random.default_rng(1)).within_bound
        True
        """
        return self.kolmogorov <= self.bound
