"""The discrete families: Bernoulli, Binomial, Poisson, DiscreteUniform, Categorical,
Multinomial.

Each class declares its parameters (see :mod:`numeric.probability.infrastructure`)
and writes its mathematics with numpy and :mod:`scipy.special`; the binomial and
Poisson masses come from :mod:`numeric.probability.kernels`.  Import them from
:mod:`numeric.distributions`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from numeric.probability.infrastructure import (
    INTEGERS,
    NON_NEGATIVE,
    NON_NEGATIVE_INTEGERS,
    PROBABILITY_VECTORS,
    UNIT_INTERVAL,
    DiscreteDistribution,
    Ordered,
    Parameter,
    as_output,
)
from numeric.probability.kernels import (
    binom_cdf,
    binom_logpmf,
    binom_sf,
    bisect_ppf,
    poisson_cdf,
    poisson_logpmf,
    poisson_sf,
)

__all__ = [
    "Bernoulli",
    "Binomial",
    "Poisson",
    "DiscreteUniform",
    "Categorical",
    "Multinomial",
]


class Bernoulli(DiscreteDistribution):
    """A single trial: 1 with probability ``p``, 0 otherwise.

    Parameters
    ----------
    p : float or array_like
        Success probability, in ``[0, 1]``.

    Examples
    --------
    >>> from numeric.distributions import Bernoulli
    >>> d = Bernoulli(0.3)
    >>> print(d.pmf([0, 1]), d.mean(), round(float(d.var()), 12))
    [0.7 0.3] 0.3 0.21
    """

    parameters = (Parameter("p", UNIT_INTERVAL),)

    def _pmf(self, x, p):
        return np.where(x == 1, p, np.where(x == 0, 1.0 - p, 0.0))

    def _logpmf(self, x, p):
        with np.errstate(divide="ignore"):
            return np.where(x == 1, np.log(p), np.where(x == 0, np.log1p(-p), -np.inf))

    def _cdf(self, x, p):
        return np.where(x < 0, 0.0, np.where(x < 1, 1.0 - p, 1.0))

    def _sf(self, x, p):
        return np.where(x < 0, 1.0, np.where(x < 1, p, 0.0))

    def _ppf(self, q, p):
        k = np.where(1.0 - p >= q, 0.0, 1.0)
        lowest = np.where(p < 1, 0.0, 1.0)
        highest = np.where(p > 0, 1.0, 0.0)
        return np.where(q == 0, lowest, np.where(q == 1, highest, k))

    def _mean(self):
        return self._p

    def _var(self):
        return self._p * (1.0 - self._p)

    def _support(self):
        z = np.zeros(self.batch_shape, dtype=np.int64)
        return z, z + 1

    def _draw(self, shape, rng):
        # U < p has probability exactly p for U uniform on [0, 1).
        return rng.random(shape) < self._p

    def _sample(self, shape, rng):
        return self._draw(shape, rng).astype(np.int64)

    def _to_scipy(self, stats):
        return stats.bernoulli(as_output(self._p))


class Binomial(DiscreteDistribution):
    """Number of successes in ``n`` independent trials with success probability ``p``.

    The mass uses Loader's saddle-point form, accurate to a few ulps for any ``n``.

    Parameters
    ----------
    n : int or array_like of int
        Number of trials, a non-negative integer.
    p : float or array_like
        Success probability, in ``[0, 1]``.

    Examples
    --------
    >>> from numeric.distributions import Binomial
    >>> d = Binomial(10, 0.2)
    >>> print(round(float(d.pmf(2)), 10), round(float(d.cdf(2)), 10))
    0.301989888 0.6777995264
    """

    parameters = (
        Parameter("n", NON_NEGATIVE_INTEGERS),
        Parameter("p", UNIT_INTERVAL),
    )

    def _logpmf(self, x, n, p):
        return binom_logpmf(x, n, p)

    def _cdf(self, x, n, p):
        return binom_cdf(x, n, p)

    def _sf(self, x, n, p):
        return binom_sf(x, n, p)

    def _ppf(self, q, n, p):
        inner = (q > 0) & (q < 1)
        qq = np.where(inner, q, 0.5)
        k = bisect_ppf(qq, -1.0, n, lambda k: binom_cdf(k, n, p))
        lowest = np.where(p < 1, 0.0, n)
        highest = np.where(p > 0, n, 0.0)
        return np.where(q == 0, lowest, np.where(q == 1, highest, k))

    def _mean(self):
        return self._n * self._p

    def _var(self):
        return self._n * self._p * (1.0 - self._p)

    def _support(self):
        return np.zeros(self.batch_shape, dtype=np.int64), np.array(self._n)

    def _sample(self, shape, rng):
        return rng.binomial(self._n, self._p, size=shape).astype(np.int64, copy=False)

    def _to_scipy(self, stats):
        return stats.binom(as_output(self._n), as_output(self._p))


class Poisson(DiscreteDistribution):
    """Counts of rare events: ``P(X = k) = rate^k e^{-rate} / k!``.

    Parameters
    ----------
    rate : float or array_like
        Mean number of events, ``>= 0`` (``rate = 0`` is the point mass at 0).

    Examples
    --------
    >>> from numeric.distributions import Poisson
    >>> d = Poisson(5.0)
    >>> print(round(float(d.pmf(5)), 10), d.mean(), d.var())
    0.1754673698 5.0 5.0
    """

    parameters = (Parameter("rate", NON_NEGATIVE),)

    def _logpmf(self, x, lam):
        return poisson_logpmf(x, lam)

    def _cdf(self, x, lam):
        return poisson_cdf(x, lam)

    def _sf(self, x, lam):
        return poisson_sf(x, lam)

    def _ppf(self, q, lam):
        inner = (q > 0) & (q < 1)
        qq = np.where(inner, q, 0.5)
        hi = np.ceil(lam + 10.0 * np.sqrt(lam) + 10.0)
        # Widen the bracket until it holds every quantile; the cdf reaches 1.0 in
        # floating point, so this stops after a few doublings at most.
        for _ in range(64):
            short = poisson_cdf(hi, lam) < qq
            if not short.any():
                break
            hi = np.where(short, 2.0 * hi + 1.0, hi)
        k = bisect_ppf(qq, -1.0, hi, lambda k: poisson_cdf(k, lam))
        highest = np.where(lam > 0, np.inf, 0.0)
        return np.where(q == 0, 0.0, np.where(q == 1, highest, k))

    def _mean(self):
        return self._rate

    def _var(self):
        return self._rate

    def _support(self):
        return np.zeros(self.batch_shape, dtype=np.int64), np.full(
            self.batch_shape, np.inf
        )

    def _sample(self, shape, rng):
        return rng.poisson(self._rate, size=shape).astype(np.int64, copy=False)

    def _to_scipy(self, stats):
        return stats.poisson(as_output(self._rate))


class DiscreteUniform(DiscreteDistribution):
    """Equally likely integers ``low, low + 1, ..., high`` (both ends included).

    Parameters
    ----------
    low, high : int or array_like of int
        The smallest and the largest value, ``low <= high``.

    Examples
    --------
    d2l's die-like example on 1..5 (the book's own code drops the 5; this does not):

    >>> from numeric.distributions import DiscreteUniform
    >>> d = DiscreteUniform(1, 5)
    >>> print(d.pmf([1, 2, 3, 4, 5]), d.mean(), d.var())
    [0.2 0.2 0.2 0.2 0.2] 3.0 2.0
    """

    parameters = (Parameter("low", INTEGERS), Parameter("high", INTEGERS))
    constraints = (Ordered("low", "high", "high must be >= low"),)

    def _pmf(self, x, low, high):
        inside = (x == np.floor(x)) & (x >= low) & (x <= high)
        return np.where(inside, 1.0 / (high - low + 1.0), 0.0)

    def _logpmf(self, x, low, high):
        inside = (x == np.floor(x)) & (x >= low) & (x <= high)
        return np.where(inside, -np.log(high - low + 1.0), -np.inf)

    def _cdf(self, x, low, high):
        k = np.floor(x)
        return np.clip((k - low + 1.0) / (high - low + 1.0), 0.0, 1.0)

    def _sf(self, x, low, high):
        k = np.floor(x)
        return np.clip((high - k) / (high - low + 1.0), 0.0, 1.0)

    def _ppf(self, q, low, high):
        size = high - low + 1.0
        with np.errstate(invalid="ignore"):
            k = np.clip(low + np.ceil(q * size) - 1.0, low, high)
        # ceil(q * size) can land one off after rounding; settle it on the definition.
        k = np.where(self._cdf(k - 1.0, low, high) >= q, k - 1.0, k)
        k = np.where(self._cdf(k, low, high) < q, k + 1.0, k)
        k = np.clip(k, low, high)
        return np.where(q == 0, low, np.where(q == 1, high, k))

    def _mean(self):
        return (self._low + self._high) / 2.0

    def _var(self):
        size = self._high - self._low + 1.0
        return (size * size - 1.0) / 12.0

    def _support(self):
        return np.array(self._low), np.array(self._high)

    def _sample(self, shape, rng):
        return rng.integers(self._low, self._high, size=shape, endpoint=True)

    def _to_scipy(self, stats):
        return stats.randint(as_output(self._low), as_output(self._high + 1))


class Categorical(DiscreteDistribution):
    """One draw from ``K`` categories labelled ``0, ..., K - 1``.

    Parameters
    ----------
    probs : array_like
        Probabilities along the last axis (non-negative, summing to 1); leading axes
        are batch axes.

    Examples
    --------
    >>> from numeric.distributions import Categorical
    >>> d = Categorical([0.2, 0.5, 0.3])
    >>> print(d.pmf([0, 1, 2, 3]), round(float(d.mean()), 12))
    [0.2 0.5 0.3 0. ] 1.1
    """

    parameters = (Parameter("probs", PROBABILITY_VECTORS),)

    def _precompute(self):
        probs = self._probs
        cum = np.cumsum(probs, axis=-1)
        cum[..., -1] = 1.0
        cum.setflags(write=False)
        self._cum = cum
        # tail[k] = P(X > k), summed from the top so that small tails keep precision.
        tail = np.zeros_like(probs)
        tail[..., :-1] = np.cumsum(probs[..., ::-1], axis=-1)[..., ::-1][..., 1:]
        tail.setflags(write=False)
        self._tail = tail

    @property
    def num_categories(self):
        """Number of categories ``K``.

        Examples
        --------
        >>> from numeric.distributions import Categorical
        >>> Categorical([0.25] * 4).num_categories
        4
        """
        return self._probs.shape[-1]

    def _prepare(self, x):
        try:
            shape = np.broadcast_shapes(x.shape, self.batch_shape)
        except ValueError as exc:
            raise ValueError(
                f"Categorical: points of shape {x.shape} do not broadcast against the "
                f"batch shape {self.batch_shape}"
            ) from exc
        return np.broadcast_to(x, shape), [shape]

    def _gather(self, table, k, shape):
        full = np.broadcast_to(table, shape + (self.num_categories,))
        idx = np.clip(k, 0, self.num_categories - 1).astype(np.intp)
        return np.take_along_axis(full, idx[..., None], axis=-1)[..., 0]

    def _pmf(self, x, shape):
        inside = (x == np.floor(x)) & (x >= 0) & (x <= self.num_categories - 1)
        k = np.where(inside, x, 0.0)
        return np.where(inside, self._gather(self._probs, k, shape), 0.0)

    def _logpmf(self, x, shape):
        with np.errstate(divide="ignore"):
            return np.log(self._pmf(x, shape))

    def _cdf(self, x, shape):
        k = np.floor(np.where(np.isnan(x), 0.0, x))
        val = self._gather(self._cum, np.clip(k, 0, None), shape)
        return np.where(k < 0, 0.0, val)

    def _sf(self, x, shape):
        k = np.floor(np.where(np.isnan(x), 0.0, x))
        val = self._gather(self._tail, np.clip(k, 0, None), shape)
        return np.where(k < 0, 1.0, val)

    def _ppf(self, q, shape):
        cum = np.broadcast_to(self._cum, shape + (self.num_categories,))
        k = np.minimum((cum < q[..., None]).sum(axis=-1), self.num_categories - 1)
        positive = np.broadcast_to(self._probs > 0, cum.shape)
        lowest = np.argmax(positive, axis=-1)
        highest = self.num_categories - 1 - np.argmax(positive[..., ::-1], axis=-1)
        return np.where(q == 0, lowest, np.where(q == 1, highest, k)).astype(float)

    def _mean(self):
        k = np.arange(self.num_categories, dtype=float)
        return (self._probs * k).sum(axis=-1)

    def _var(self):
        k = np.arange(self.num_categories, dtype=float)
        mu = (self._probs * k).sum(axis=-1)
        return (self._probs * (k - mu[..., None]) ** 2).sum(axis=-1)

    def _support(self):
        z = np.zeros(self.batch_shape, dtype=np.int64)
        return z, z + self.num_categories - 1

    def _sample(self, shape, rng):
        u = rng.random(shape)
        if self._cum.ndim == 1:
            k = np.searchsorted(self._cum, u, side="right")
        else:
            k = (u[..., None] >= self._cum).sum(axis=-1)
        return np.minimum(k, self.num_categories - 1).astype(np.int64)

    def _to_scipy(self, stats):
        if self.batch_shape != ():
            raise ValueError(
                "Categorical.to_scipy: scipy.stats has no batched categorical; got "
                f"probs of shape {self._probs.shape}, expected one vector"
            )
        return stats.rv_discrete(
            values=(np.arange(self.num_categories), np.array(self._probs))
        )


class Multinomial(DiscreteDistribution):
    """Counts in each of ``K`` categories after ``n`` independent categorical draws.

    A draw is a vector of ``K`` non-negative integers summing to ``n``.  ``cdf(x)`` is
    ``P(X_1 <= x_1, ..., X_K <= x_K)`` and ``sf(x)`` is ``P(X_1 > x_1, ..., X_K > x_K)``
    (so, for a vector, ``cdf + sf`` is not 1); both are exact sums, computed through
    Levin's representation of the multinomial as independent Poisson counts
    conditioned on their total.  There is no ``ppf`` for a vector-valued variable.

    Parameters
    ----------
    n : int or array_like of int
        Number of draws, a non-negative integer.
    probs : array_like
        Category probabilities along the last axis.

    Examples
    --------
    >>> from numeric.distributions import Multinomial
    >>> d = Multinomial(10, [1 / 6] * 6)
    >>> print(d.mean())
    [1.66666667 1.66666667 1.66666667 1.66666667 1.66666667 1.66666667]
    >>> print(round(float(Multinomial(2, [0.5, 0.5]).pmf([1, 1])), 12))
    0.5
    """

    parameters = (
        Parameter("n", NON_NEGATIVE_INTEGERS),
        Parameter("probs", PROBABILITY_VECTORS),
    )

    @property
    def num_categories(self):
        """Number of categories ``K``.

        Examples
        --------
        >>> from numeric.distributions import Multinomial
        >>> Multinomial(3, [0.5, 0.25, 0.25]).num_categories
        3
        """
        return self._probs.shape[-1]

    def _prepare(self, x):
        k = self.num_categories
        if x.ndim == 0 or x.shape[-1] != k:
            raise ValueError(
                f"Multinomial: points must have {k} counts along the last axis; got "
                f"shape {x.shape}"
            )
        try:
            shape = np.broadcast_shapes(x.shape[:-1], self.batch_shape)
        except ValueError as exc:
            raise ValueError(
                f"Multinomial: points of shape {x.shape} do not broadcast against the "
                f"batch shape {self.batch_shape}"
            ) from exc
        x = np.broadcast_to(x, shape + (k,))
        n = np.broadcast_to(self._n, shape).astype(float)
        probs = np.broadcast_to(self._probs, shape + (k,))
        return x, [n, probs]

    @staticmethod
    def _finish(x, out):
        out = np.array(out, dtype=float)
        nan = np.isnan(x).any(axis=-1)
        if nan.any():
            out[nan] = np.nan
        return out[()]

    def _logpmf(self, x, n, probs):
        valid = (x == np.floor(x)) & (x >= 0)
        valid = valid.all(axis=-1) & (x.sum(axis=-1) == n)
        xx = np.where(valid[..., None], x, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            val = special.gammaln(n + 1.0) + (
                special.xlogy(xx, probs) - special.gammaln(xx + 1.0)
            ).sum(axis=-1)
        return np.where(valid, val, -np.inf)

    @staticmethod
    def _box_probability(lo, hi, n, masses):
        """P(lo_i <= X_i <= hi_i for all i) for one parameter set (integer bounds).

        Levin (1981): with Z_i ~ Poisson(n p_i) independent,
        P(X in box) = n! / (n^n e^-n) * P(sum Z_i = n and every Z_i in its range),
        and the last probability is a convolution of truncated Poisson masses, all of
        the same sign, so no cancellation occurs.  ``masses[i, j]`` is P(Z_i = j).
        """
        lo = np.maximum(lo, 0).astype(int)
        hi = np.minimum(hi, n).astype(int)
        if np.any(lo > hi) or lo.sum() > n or hi.sum() < n:
            return 0.0
        dist = np.zeros(n + 1)
        dist[0] = 1.0
        for i in range(masses.shape[0]):
            mass = np.zeros(n + 1)
            mass[lo[i] : hi[i] + 1] = masses[i, lo[i] : hi[i] + 1]
            dist = np.convolve(dist, mass)[: n + 1]
        log_scale = special.gammaln(n + 1.0) - special.xlogy(n, n) + n
        return float(min(1.0, math.exp(log_scale) * dist[n]))

    def _boxes(self, x, n, probs, upper):
        k = np.floor(np.where(np.isnan(x), 0.0, x))
        out = np.empty(k.shape[:-1])
        cache = {}
        for idx in np.ndindex(out.shape):
            nn = int(n[idx])
            key = (nn, probs[idx].tobytes())
            if key not in cache:
                j = np.arange(nn + 1, dtype=float)
                lam = probs[idx][:, None] * nn
                cache[key] = np.exp(poisson_logpmf(j[None, :], lam))
            if upper:
                lo, hi = np.zeros(self.num_categories), k[idx]
            else:
                lo, hi = k[idx] + 1, np.full(self.num_categories, nn)
            out[idx] = self._box_probability(lo, hi, nn, cache[key])
        return out

    def _cdf(self, x, n, probs):
        return self._boxes(x, n, probs, upper=True)

    def _sf(self, x, n, probs):
        return self._boxes(x, n, probs, upper=False)

    def ppf(self, q):
        """Not defined: a vector-valued variable has no quantile function.

        Examples
        --------
        >>> from numeric.distributions import Multinomial
        >>> Multinomial(2, [0.5, 0.5]).ppf(0.5)
        Traceback (most recent call last):
            ...
        TypeError: Multinomial has no ppf: ...
        """
        raise TypeError(
            "Multinomial has no ppf: quantiles are not defined for a vector-valued "
            "distribution"
        )

    def _mean(self):
        return self._n[..., None] * self._probs

    def _var(self):
        return self._n[..., None] * self._probs * self._others()

    def _others(self):
        # 1 - p_i as the sum of the other probabilities: when p_i is close to 1 the
        # subtraction would cancel, while this sum is accurate.
        p = self._probs
        before = np.zeros_like(p)
        before[..., 1:] = np.cumsum(p, axis=-1)[..., :-1]
        after = np.zeros_like(p)
        after[..., :-1] = np.cumsum(p[..., ::-1], axis=-1)[..., ::-1][..., 1:]
        return before + after

    def cov(self):
        """Covariance matrix ``n (diag(p) - p p^T)`` of the count vector.

        Examples
        --------
        >>> from numeric.distributions import Multinomial
        >>> print(Multinomial(4, [0.5, 0.5]).cov())
        [[ 1. -1.]
         [-1.  1.]]
        """
        p = self._probs
        cov = -p[..., :, None] * p[..., None, :]
        k = np.arange(self.num_categories)
        cov[..., k, k] = p * self._others()
        return as_output(self._n[..., None, None] * cov)

    def _support(self):
        hi = np.broadcast_to(self._n[..., None], self._probs.shape)
        return np.zeros(self._probs.shape, dtype=np.int64), np.array(hi)

    def _sample(self, shape, rng):
        draws = rng.multinomial(self._n, self._probs, size=shape)
        return draws.astype(np.int64, copy=False)

    def _to_scipy(self, stats):
        return stats.multinomial(as_output(self._n), np.array(self._probs))
