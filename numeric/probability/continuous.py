"""The continuous families: Normal, Uniform, Exponential.

Each class declares its parameters (see :mod:`numeric.probability.infrastructure`)
and writes its mathematics with numpy and :mod:`scipy.special`.  Import them from
:mod:`numeric.distributions`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from numeric.probability.infrastructure import (
    FINITE,
    POSITIVE,
    ContinuousDistribution,
    Ordered,
    Parameter,
    as_output,
)
from numeric.probability.kernels import LOG_SQRT_2PI

__all__ = ["Normal", "Uniform", "Exponential"]

SQRT_2PI = math.sqrt(2.0 * math.pi)


class Normal(ContinuousDistribution):
    """The Gaussian ``N(mu, sigma^2)``.

    Parameters
    ----------
    mu : float or array_like, default 0
        Mean.
    sigma : float or array_like, default 1
        Standard deviation, ``> 0``.

    Examples
    --------
    >>> from numeric.distributions import Normal
    >>> d = Normal(0.0, 1.0)
    >>> print(round(float(d.pdf(0.0)), 12), d.cdf(0.0), d.var())
    0.398942280401 0.5 1.0
    """

    parameters = (
        Parameter("mu", FINITE, default=0.0),
        Parameter("sigma", POSITIVE, default=1.0),
    )

    def _pdf(self, x, mu, sigma):
        z = (x - mu) / sigma
        return np.exp(-0.5 * z * z) / (SQRT_2PI * sigma)

    def _logpdf(self, x, mu, sigma):
        z = (x - mu) / sigma
        return -0.5 * z * z - LOG_SQRT_2PI - np.log(sigma)

    def _cdf(self, x, mu, sigma):
        return special.ndtr((x - mu) / sigma)

    def _sf(self, x, mu, sigma):
        return special.ndtr((mu - x) / sigma)

    def _ppf(self, q, mu, sigma):
        return mu + sigma * special.ndtri(q)

    def _mean(self):
        return self._mu

    def _var(self):
        return self._sigma**2

    def _support(self):
        inf = np.full(self.batch_shape, np.inf)
        return -inf, inf

    def _sample(self, shape, rng):
        return rng.normal(as_output(self._mu), as_output(self._sigma), size=shape)

    def _to_scipy(self, stats):
        return stats.norm(as_output(self._mu), as_output(self._sigma))


class Uniform(ContinuousDistribution):
    """Constant density on the closed interval ``[low, high]``.

    Parameters
    ----------
    low, high : float or array_like, default 0 and 1
        Finite ends with ``low < high``.

    Examples
    --------
    d2l's continuous uniform on [1, 3]:

    >>> from numeric.distributions import Uniform
    >>> d = Uniform(1.0, 3.0)
    >>> print(d.pdf(2.0), d.cdf(1.5), d.mean(), round(float(d.var()), 12))
    0.5 0.25 2.0 0.333333333333
    """

    parameters = (
        Parameter("low", FINITE, default=0.0),
        Parameter("high", FINITE, default=1.0),
    )
    constraints = (
        Ordered("low", "high", "high must be greater than low", strict=True),
    )

    def _pdf(self, x, low, high):
        return np.where((x >= low) & (x <= high), 1.0 / (high - low), 0.0)

    def _logpdf(self, x, low, high):
        return np.where((x >= low) & (x <= high), -np.log(high - low), -np.inf)

    def _cdf(self, x, low, high):
        return np.clip((x - low) / (high - low), 0.0, 1.0)

    def _sf(self, x, low, high):
        return np.clip((high - x) / (high - low), 0.0, 1.0)

    def _ppf(self, q, low, high):
        return low + q * (high - low)

    def _mean(self):
        return (self._low + self._high) / 2.0

    def _var(self):
        return (self._high - self._low) ** 2 / 12.0

    def _support(self):
        return np.array(self._low), np.array(self._high)

    def _sample(self, shape, rng):
        return rng.uniform(as_output(self._low), as_output(self._high), size=shape)

    def _to_scipy(self, stats):
        return stats.uniform(as_output(self._low), as_output(self._high - self._low))


class Exponential(ContinuousDistribution):
    """Waiting time with density ``rate * exp(-rate * x)`` on ``[0, inf)``.

    Parameters
    ----------
    rate : float or array_like, default 1
        Events per unit time, ``> 0`` (the mean is ``1 / rate``).

    Examples
    --------
    >>> from numeric.distributions import Exponential
    >>> d = Exponential(2.0)
    >>> print(d.pdf(0.0), d.mean(), d.var(), round(float(d.ppf(0.5)), 12))
    2.0 0.5 0.25 0.34657359028
    """

    parameters = (Parameter("rate", POSITIVE, default=1.0),)

    def _pdf(self, x, rate):
        with np.errstate(over="ignore"):
            return np.where(x >= 0, rate * np.exp(-rate * np.maximum(x, 0.0)), 0.0)

    def _logpdf(self, x, rate):
        return np.where(x >= 0, np.log(rate) - rate * x, -np.inf)

    def _cdf(self, x, rate):
        return np.where(x > 0, -np.expm1(-rate * np.maximum(x, 0.0)), 0.0)

    def _sf(self, x, rate):
        return np.where(x > 0, np.exp(-rate * np.maximum(x, 0.0)), 1.0)

    def _ppf(self, q, rate):
        with np.errstate(divide="ignore"):
            return -np.log1p(-q) / rate

    def _mean(self):
        return 1.0 / self._rate

    def _var(self):
        return 1.0 / self._rate**2

    def _support(self):
        return np.zeros(self.batch_shape), np.full(self.batch_shape, np.inf)

    def _sample(self, shape, rng):
        return rng.exponential(as_output(1.0 / self._rate), size=shape)

    def _to_scipy(self, stats):
        return stats.expon(scale=as_output(1.0 / self._rate))
