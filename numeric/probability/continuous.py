"""The continuous families: Normal, Uniform, Exponential, Gamma, Beta, StudentT,
LogNormal.

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

__all__ = ["Normal", "Uniform", "Exponential", "Gamma", "Beta", "StudentT", "LogNormal"]

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


def _quiet():
    """Points outside the support are masked by ``np.where``; both branches are
    computed, so silence the log(0) and 0/0 warnings of the branch not taken."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


class Gamma(ContinuousDistribution):
    """Density ``x^(shape-1) exp(-x/scale) / (Gamma(shape) scale^shape)`` on x >= 0.

    Parameters
    ----------
    shape : float or array_like, default 1
        ``> 0`` (``shape = 1`` is the exponential).
    scale : float or array_like, default 1
        ``> 0``.

    Examples
    --------
    >>> from numeric.distributions import Gamma
    >>> d = Gamma(2.0, 3.0)
    >>> print(d.mean(), d.var(), round(float(d.pdf(3.0)), 12))  # 1 / (3 e)
    6.0 18.0 0.12262648039
    """

    parameters = (
        Parameter("shape", POSITIVE, default=1.0),
        Parameter("scale", POSITIVE, default=1.0),
    )

    def _pdf(self, x, shape, scale):
        return np.exp(self._logpdf(x, shape, scale))

    def _logpdf(self, x, shape, scale):
        with _quiet():
            y = np.maximum(x, 0.0) / scale
            inside = special.xlogy(shape - 1, y) - y - special.gammaln(shape)
            return np.where(x >= 0, inside - np.log(scale), -np.inf)

    def _cdf(self, x, shape, scale):
        return special.gammainc(shape, np.maximum(x, 0.0) / scale)

    def _sf(self, x, shape, scale):
        return special.gammaincc(shape, np.maximum(x, 0.0) / scale)

    def _ppf(self, q, shape, scale):
        return scale * special.gammaincinv(shape, q)

    def _mean(self):
        return self._shape * self._scale

    def _var(self):
        return self._shape * self._scale**2

    def _support(self):
        return np.zeros(self.batch_shape), np.full(self.batch_shape, np.inf)

    def _sample(self, shape, rng):
        return rng.gamma(as_output(self._shape), as_output(self._scale), size=shape)

    def _to_scipy(self, stats):
        return stats.gamma(as_output(self._shape), scale=as_output(self._scale))


class Beta(ContinuousDistribution):
    """Density ``x^(a-1) (1-x)^(b-1) / B(a, b)`` on ``[0, 1]``.

    Parameters
    ----------
    a, b : float or array_like, default 1 and 1
        ``> 0`` (``Beta(1, 1)`` is the uniform on [0, 1]).

    Examples
    --------
    >>> from numeric.distributions import Beta
    >>> d = Beta(2.0, 2.0)
    >>> print(d.mean(), d.var(), d.pdf(0.5), d.cdf(0.5))
    0.5 0.05 1.5 0.5
    """

    parameters = (
        Parameter("a", POSITIVE, default=1.0),
        Parameter("b", POSITIVE, default=1.0),
    )

    def _pdf(self, x, a, b):
        return np.exp(self._logpdf(x, a, b))

    def _logpdf(self, x, a, b):
        with _quiet():
            y = np.clip(x, 0.0, 1.0)
            inside = (
                special.xlogy(a - 1, y)
                + special.xlog1py(b - 1, -y)
                - special.betaln(a, b)
            )
            return np.where((x >= 0) & (x <= 1), inside, -np.inf)

    def _cdf(self, x, a, b):
        return special.betainc(a, b, np.clip(x, 0.0, 1.0))

    def _sf(self, x, a, b):
        return special.betaincc(a, b, np.clip(x, 0.0, 1.0))

    def _ppf(self, q, a, b):
        return special.betaincinv(a, b, q)

    def _mean(self):
        return self._a / (self._a + self._b)

    def _var(self):
        s = self._a + self._b
        return self._a * self._b / (s * s * (s + 1))

    def _support(self):
        return np.zeros(self.batch_shape), np.ones(self.batch_shape)

    def _sample(self, shape, rng):
        return rng.beta(as_output(self._a), as_output(self._b), size=shape)

    def _to_scipy(self, stats):
        return stats.beta(as_output(self._a), as_output(self._b))


class StudentT(ContinuousDistribution):
    """Student's t with ``df`` degrees of freedom, location ``mu``, scale ``sigma``.

    Parameters
    ----------
    df : float or array_like, default 1
        ``> 0`` (``df = 1`` is the Cauchy).  The mean exists for ``df > 1``; for
        ``df <= 1`` it is ``nan`` (undefined; scipy says ``inf``, PyTorch ``nan``).
        The variance is finite for ``df > 2``, ``inf`` for ``1 < df <= 2`` and
        ``nan`` below, as in scipy.
    mu : float or array_like, default 0
    sigma : float or array_like, default 1
        ``> 0``.

    Examples
    --------
    >>> from numeric.distributions import StudentT
    >>> d = StudentT(4.0, 1.0, 2.0)
    >>> print(d.mean(), d.var(), d.cdf(1.0))
    1.0 8.0 0.5
    """

    parameters = (
        Parameter("df", POSITIVE, default=1.0),
        Parameter("mu", FINITE, default=0.0),
        Parameter("sigma", POSITIVE, default=1.0),
    )

    def _pdf(self, x, df, mu, sigma):
        return np.exp(self._logpdf(x, df, mu, sigma))

    def _logpdf(self, x, df, mu, sigma):
        z = (x - mu) / sigma
        return (
            special.gammaln((df + 1) / 2)
            - special.gammaln(df / 2)
            - 0.5 * np.log(df * math.pi)
            - np.log(sigma)
            - (df + 1) / 2 * np.log1p(z * z / df)
        )

    def _cdf(self, x, df, mu, sigma):
        return special.stdtr(df, (x - mu) / sigma)

    def _sf(self, x, df, mu, sigma):
        return special.stdtr(df, (mu - x) / sigma)

    def _ppf(self, q, df, mu, sigma):
        # special.stdtrit(df, 0) is +inf (scipy 1.17): the ends are set here
        t = np.where(q == 0, -np.inf, special.stdtrit(df, q))
        return mu + sigma * t

    def _mean(self):
        return np.where(self._df > 1, self._mu, np.nan)

    def _var(self):
        df = self._df
        with _quiet():
            v = self._sigma**2 * df / (df - 2)
        return np.where(df > 2, v, np.where(df > 1, np.inf, np.nan))

    def _support(self):
        inf = np.full(self.batch_shape, np.inf)
        return -inf, inf

    def _sample(self, shape, rng):
        t = rng.standard_t(as_output(self._df), size=shape)
        return as_output(self._mu) + as_output(self._sigma) * t

    def _to_scipy(self, stats):
        return stats.t(as_output(self._df), as_output(self._mu), as_output(self._sigma))


class LogNormal(ContinuousDistribution):
    """``exp(Y)`` for ``Y ~ Normal(mu, sigma)``: a density on ``x > 0``.

    Parameters
    ----------
    mu : float or array_like, default 0
        Mean of ``log X``.
    sigma : float or array_like, default 1
        Standard deviation of ``log X``, ``> 0``.

    Examples
    --------
    >>> from numeric.distributions import LogNormal
    >>> d = LogNormal(0.0, 1.0)
    >>> print(d.cdf(1.0), round(float(d.mean()), 12), round(float(d.ppf(0.5)), 12))
    0.5 1.6487212707 1.0
    """

    parameters = (
        Parameter("mu", FINITE, default=0.0),
        Parameter("sigma", POSITIVE, default=1.0),
    )

    def _pdf(self, x, mu, sigma):
        return np.exp(self._logpdf(x, mu, sigma))

    def _logpdf(self, x, mu, sigma):
        with _quiet():
            lx = np.log(np.where(x > 0, x, 1.0))
            z = (lx - mu) / sigma
            inside = -lx - LOG_SQRT_2PI - np.log(sigma) - 0.5 * z * z
            return np.where(x > 0, inside, -np.inf)

    def _cdf(self, x, mu, sigma):
        with _quiet():
            return np.where(x > 0, special.ndtr((np.log(x) - mu) / sigma), 0.0)

    def _sf(self, x, mu, sigma):
        with _quiet():
            return np.where(x > 0, special.ndtr((mu - np.log(x)) / sigma), 1.0)

    def _ppf(self, q, mu, sigma):
        with _quiet():
            return np.exp(mu + sigma * special.ndtri(q))

    def _mean(self):
        return np.exp(self._mu + self._sigma**2 / 2)

    def _var(self):
        s2 = self._sigma**2
        return np.expm1(s2) * np.exp(2 * self._mu + s2)

    def _support(self):
        return np.zeros(self.batch_shape), np.full(self.batch_shape, np.inf)

    def _sample(self, shape, rng):
        return rng.lognormal(as_output(self._mu), as_output(self._sigma), size=shape)

    def _to_scipy(self, stats):
        return stats.lognorm(as_output(self._sigma), scale=np.exp(as_output(self._mu)))
