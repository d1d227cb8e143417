"""Probability distributions with exact densities, quantiles, moments and sampling.

Nine families cover the distributions of d2l's probability chapter and maths appendix:
:class:`Bernoulli`, :class:`Binomial`, :class:`Poisson`, :class:`DiscreteUniform` (both
ends included), :class:`Categorical` and :class:`Multinomial` are discrete;
:class:`Normal`, :class:`Uniform` and :class:`Exponential` are continuous.

The mathematics is written here with numpy and :mod:`scipy.special`;
:mod:`scipy.stats` appears only in :meth:`Distribution.to_scipy`, which returns the
equivalent frozen object so the tests can use it as an independent reference.
Parameters may be arrays: they broadcast against each other (the *batch shape*) and
against the points at which a method is evaluated, as in numpy.  Sampling always
takes an explicit ``numpy.random.Generator``; nothing here touches numpy's global
random state.

Quantiles follow the usual left-continuous definition
``ppf(q) = min{x : cdf(x) >= q}`` for ``0 < q <= 1``; ``ppf(0)`` is its limit from the
right (the smallest value with positive probability, or the lower end of a continuous
support).  scipy agrees for ``0 < q < 1``; at ``q = 0`` scipy returns one less than the
lower end of a discrete support, and at ``q = 1`` it returns the upper end of the
support even when that end has no mass (``Binomial(10, 0).ppf(1)`` is 0 here, 10 in
scipy).
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
from scipy import special

__all__ = [
    "Distribution",
    "DiscreteDistribution",
    "ContinuousDistribution",
    "Bernoulli",
    "Binomial",
    "Poisson",
    "DiscreteUniform",
    "Categorical",
    "Multinomial",
    "Normal",
    "Uniform",
    "Exponential",
]

_LOG_2PI = math.log(2.0 * math.pi)
_LOG_SQRT_2PI = 0.5 * _LOG_2PI
_SQRT_2PI = math.sqrt(2.0 * math.pi)
# Probabilities given by the user may carry rounding error (``[0.1] * 10`` sums to
# 0.9999999999999999), so the sum-to-one check allows this much slack.
_SUM_TOL = 1e-9

# stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n / e)^n) for n = 0..15, computed once
# with 40-digit arithmetic (mpmath); below 16 the asymptotic series is not accurate.
# stirlerr(0) is a placeholder: the n = 0 cases are handled before it is used.
_STIRLERR_TABLE = np.array(
    [
        0.0,
        0.08106146679532726,
        0.0413406959554093,
        0.02767792568499834,
        0.020790672103765093,
        0.016644691189821193,
        0.013876128823070748,
        0.01189670994589177,
        0.010411265261972096,
        0.009255462182712733,
        0.00833056343336287,
        0.007573675487951841,
        0.00694284010720953,
        0.006408994188004207,
        0.0059513701127588475,
        0.005554733551962801,
    ]
)


# --------------------------------------------------------------------------------------
# accurate building blocks for the binomial and Poisson masses (Loader, 2000)
# --------------------------------------------------------------------------------------


def _stirlerr(n):
    """Error of Stirling's approximation to log(n!) for integer-valued ``n >= 0``."""
    n = np.asarray(n, dtype=float)
    small = n <= 15
    idx = np.clip(n, 0, 15).astype(np.intp)
    big = np.maximum(n, 16.0)
    nn = big * big
    series = (
        1.0 / 12
        - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / (1188 * nn)) / nn) / nn) / nn
    ) / big
    return np.where(small, _STIRLERR_TABLE[idx], series)


def _bd0(x, m):
    """``x log(x / m) + m - x`` without cancellation when ``x`` is close to ``m``."""
    x = np.asarray(x, dtype=float)
    m = np.asarray(m, dtype=float)
    d = x - m
    s = x + m
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        close = np.abs(d) < 0.1 * s
        # x / m overflows for tiny (subnormal) m; the log difference does not.
        ratio = x / m
        log_ratio = np.where(
            np.isfinite(ratio) & (ratio > 0), np.log(ratio), np.log(x) - np.log(m)
        )
        general = np.where(x > 0, x * log_ratio + m - x, m)
        v = np.where(close, d / np.where(s > 0, s, 1.0), 0.0)
    # Series in v = (x - m) / (x + m), |v| < 0.1: twelve terms reach full precision.
    acc = d * v
    term = 2.0 * x * v
    v2 = v * v
    for j in range(1, 13):
        term = term * v2
        acc = acc + term / (2 * j + 1)
    return np.where(close, acc, general)


def _binom_logpmf(k, n, p):
    q = 1.0 - p
    valid = (k == np.floor(k)) & (k >= 0) & (k <= n)
    kk = np.where(valid, k, 0.0)
    inner = valid & (kk > 0) & (kk < n) & (p > 0) & (p < 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        safe_n = np.where(inner, n, 2.0)
        safe_k = np.where(inner, kk, 1.0)
        safe_p = np.where(inner, p, 0.5)
        safe_q = np.where(inner, q, 0.5)
        lc = (
            _stirlerr(safe_n)
            - _stirlerr(safe_k)
            - _stirlerr(safe_n - safe_k)
            - _bd0(safe_k, safe_n * safe_p)
            - _bd0(safe_n - safe_k, safe_n * safe_q)
        )
        lf = _LOG_2PI + np.log(safe_k) + np.log1p(-safe_k / safe_n)
        out = np.where(inner, lc - 0.5 * lf, -np.inf)
        out = np.where(valid & (kk == 0), special.xlog1py(n, -p), out)
        out = np.where(valid & (kk == n) & (kk > 0), special.xlogy(n, p), out)
    return out


def _binom_cdf(k, n, p):
    k = np.floor(k)
    inside = (k >= 0) & (k < n)
    kk = np.where(inside, k, 0.0)
    a = np.where(inside, n - kk, 1.0)
    val = special.betainc(a, kk + 1.0, 1.0 - p)
    return np.where(k < 0, 0.0, np.where(k >= n, 1.0, val))


def _binom_sf(k, n, p):
    k = np.floor(k)
    inside = (k >= 0) & (k < n)
    kk = np.where(inside, k, 0.0)
    b = np.where(inside, n - kk, 1.0)
    val = special.betainc(kk + 1.0, b, p)
    return np.where(k < 0, 1.0, np.where(k >= n, 0.0, val))


def _poisson_logpmf(k, lam):
    valid = (k == np.floor(k)) & (k >= 0) & np.isfinite(k)
    kk = np.where(valid, k, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = valid & (kk > 0) & (lam > 0)
        safe_k = np.where(pos, kk, 1.0)
        safe_lam = np.where(pos, lam, 1.0)
        inner = (
            -_stirlerr(safe_k)
            - _bd0(safe_k, safe_lam)
            - _LOG_SQRT_2PI
            - 0.5 * np.log(safe_k)
        )
        out = np.where(pos, inner, -np.inf)
        out = np.where(valid & (kk == 0), -lam, out)
    return out


def _poisson_cdf(k, lam):
    k = np.floor(k)
    kk = np.where(k >= 0, k, 0.0)
    safe = np.where(lam > 0, lam, 1.0)
    val = np.where(lam > 0, special.gammaincc(kk + 1.0, safe), 1.0)
    return np.where(k < 0, 0.0, val)


def _poisson_sf(k, lam):
    k = np.floor(k)
    kk = np.where(k >= 0, k, 0.0)
    safe = np.where(lam > 0, lam, 1.0)
    val = np.where(lam > 0, special.gammainc(kk + 1.0, safe), 0.0)
    return np.where(k < 0, 1.0, val)


def _bisect_ppf(q, lo, hi, cdf):
    """Smallest integer ``k`` in ``(lo, hi]`` with ``cdf(k) >= q``.

    Requires ``cdf(lo) < q <= cdf(hi)`` elementwise; the loop halves every bracket
    at once, so it runs ``log2(max(hi - lo))`` times.
    """
    lo = np.array(lo, dtype=float)
    hi = np.array(hi, dtype=float)
    while True:
        gap = hi - lo
        if not np.any(gap > 1):
            return hi
        mid = np.floor((lo + hi) / 2)
        ok = cdf(mid) >= q
        move = gap > 1
        hi = np.where(move & ok, mid, hi)
        lo = np.where(move & ~ok, mid, lo)


# --------------------------------------------------------------------------------------
# validation helpers: every message names the parameter, its value and what is wrong
# --------------------------------------------------------------------------------------


def _fmt(value):
    value = np.asarray(value)
    if value.dtype.kind in "iu":
        return repr(int(value))
    if value.dtype.kind == "b":
        return repr(bool(value))
    return repr(float(value))


def _real_array(value, name, owner, *, allow_bool=False):
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(
            f"{owner}: {name} must be a real number or array of real numbers; "
            f"got {value!r}"
        ) from exc
    kinds = "iuf" + ("b" if allow_bool else "")
    if arr.dtype.kind not in kinds:
        raise TypeError(
            f"{owner}: {name} must be a real number or array of real numbers; "
            f"got {value!r} (dtype {arr.dtype})"
        )
    return arr.astype(float)


def _require(ok, owner, name, value, why):
    ok = np.asarray(ok)
    if ok.all():
        return
    value = np.broadcast_to(np.asarray(value), ok.shape)
    if ok.ndim == 0:
        raise ValueError(f"{owner}: {name} {why}; got {name}={_fmt(value)}")
    bad = tuple(int(i) for i in np.argwhere(~ok)[0])
    raise ValueError(
        f"{owner}: {name} {why}; got {name}={_fmt(value[bad])} at index {bad}"
    )


def _integer_array(value, name, owner, *, minimum=None):
    if isinstance(value, bool) or np.asarray(value).dtype.kind == "b":
        raise TypeError(
            f"{owner}: {name} must be an integer, not a bool; got {value!r}"
        )
    arr = _real_array(value, name, owner)
    _require(
        np.isfinite(arr) & (arr == np.floor(arr)),
        owner,
        name,
        arr,
        "must be an integer" if minimum is None else "must be a non-negative integer",
    )
    if minimum is not None:
        _require(arr >= minimum, owner, name, arr, "must be a non-negative integer")
    # Beyond 2^53 floats no longer hold every integer; int64 ends at 2^63.
    _require(np.abs(arr) <= 2.0**53, owner, name, arr, "must be at most 2**53")
    return arr.astype(np.int64)


def _probability_vector(value, name, owner):
    arr = _real_array(value, name, owner)
    if arr.ndim == 0:
        raise ValueError(
            f"{owner}: {name} must be a vector of probabilities (last axis = "
            f"categories); got the scalar {name}={_fmt(arr)}"
        )
    if arr.shape[-1] == 0:
        raise ValueError(f"{owner}: {name} must have at least one category; got none")
    _require(np.isfinite(arr) & (arr >= 0), owner, name, arr, "must be in [0, 1]")
    _require(arr <= 1, owner, name, arr, "must be in [0, 1]")
    total = arr.sum(axis=-1)
    ok = np.abs(total - 1.0) <= _SUM_TOL
    if not ok.all():
        if total.ndim == 0:
            raise ValueError(
                f"{owner}: {name} must sum to 1; got sum({name})={float(total)!r}"
            )
        bad = tuple(int(i) for i in np.argwhere(~ok)[0])
        raise ValueError(
            f"{owner}: {name} must sum to 1 along the last axis; got sum "
            f"{float(total[bad])!r} at index {bad}"
        )
    # Divide out the rounding so that the masses sum to one as closely as floats allow.
    return arr / total[..., None]


def _broadcast_params(owner, **params):
    try:
        arrays = np.broadcast_arrays(*params.values())
    except ValueError as exc:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in params.items())
        raise ValueError(
            f"{owner}: parameter shapes do not broadcast together: {shapes}"
        ) from exc
    out = []
    for a in arrays:
        a = np.array(a, copy=True)
        a.setflags(write=False)
        out.append(a)
    return out


def _check_rng(rng, owner="sample"):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{owner}: rng must be a numpy.random.Generator, e.g. "
            f"numpy.random.default_rng(0); got {rng!r}"
        )
    return rng


def _sample_shape(size, owner="sample"):
    if size is None:
        return ()
    if isinstance(size, (Integral, np.integer)) and not isinstance(size, bool):
        size = (int(size),)
    try:
        shape = tuple(int(s) for s in size)
        ok = all(
            isinstance(s, (Integral, np.integer)) and not isinstance(s, bool)
            for s in size
        )
    except TypeError:
        ok = False
    if not ok or any(s < 0 for s in shape):
        raise ValueError(
            f"{owner}: size must be a non-negative integer or a tuple of them; "
            f"got size={size!r}"
        )
    return shape


def _points(x, name="x"):
    return _real_array(x, name, "argument", allow_bool=True)


def _out(a):
    return np.asarray(a)[()]


def _array_repr(a):
    a = np.asarray(a)
    if a.ndim == 0:
        return _fmt(a)
    return np.array2string(a, separator=", ", threshold=8)


# --------------------------------------------------------------------------------------
# base classes
# --------------------------------------------------------------------------------------


class Distribution:
    """Common interface of every distribution in this module.

    Subclasses store their parameters as read-only numpy arrays broadcast to a common
    ``batch_shape``; every method broadcasts its argument against that shape.

    Examples
    --------
    >>> from numeric.distributions import Binomial
    >>> d = Binomial(10, 0.2)
    >>> print(d)
    Binomial(n=10, p=0.2)
    >>> print(d.mean(), round(float(d.var()), 12), d.batch_shape)
    2.0 1.6 ()
    """

    discrete = False
    _param_names: tuple[str, ...] = ()

    # ---- parameters -------------------------------------------------------------
    @property
    def params(self):
        """Parameters by name (read-only numpy arrays).

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> sorted(Normal(1.0, 2.0).params)
        ['mu', 'sigma']
        """
        return {name: getattr(self, "_" + name) for name in self._param_names}

    @property
    def batch_shape(self):
        """Shape of the broadcast parameters (``()`` for scalar parameters).

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> Normal([0.0, 1.0], 1.0).batch_shape
        (2,)
        """
        return np.shape(getattr(self, "_" + self._param_names[0]))

    def __repr__(self):
        inside = ", ".join(
            f"{name}={_array_repr(value)}" for name, value in self.params.items()
        )
        return f"{type(self).__name__}({inside})"

    # ---- evaluation machinery ---------------------------------------------------
    def _prepare(self, x):
        """Broadcast evaluation points against the parameters."""
        values = [getattr(self, "_" + n) for n in self._param_names]
        try:
            shape = np.broadcast_shapes(x.shape, self.batch_shape)
        except ValueError as exc:
            raise ValueError(
                f"{type(self).__name__}: points of shape {x.shape} do not broadcast "
                f"against the parameters' shape {self.batch_shape}"
            ) from exc
        x = np.broadcast_to(x, shape)
        return x, [np.broadcast_to(np.asarray(v, dtype=float), shape) for v in values]

    @staticmethod
    def _finish(x, out):
        out = np.array(out, dtype=float)
        nan = np.isnan(x)
        if nan.any():
            out[nan] = np.nan
        return out[()]

    def cdf(self, x):
        """Cumulative distribution function ``P(X <= x)``.

        Examples
        --------
        >>> from numeric.distributions import Bernoulli, Normal
        >>> print(Bernoulli(0.3).cdf([-1, 0, 0.5, 1]))
        [0.  0.7 0.7 1. ]
        >>> print(Normal().cdf(0.0))
        0.5
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._cdf(x, *params))

    def sf(self, x):
        """Survival function ``P(X > x)``, computed directly (not as ``1 - cdf``).

        Examples
        --------
        >>> from numeric.distributions import Exponential
        >>> print(round(float(Exponential(2.0).sf(1.0)), 12))
        0.135335283237
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._sf(x, *params))

    def ppf(self, q):
        """Quantile function: the smallest ``x`` with ``cdf(x) >= q``.

        ``q`` must lie in ``[0, 1]``; see the module notes for ``q = 0`` and ``q = 1``.

        Examples
        --------
        >>> from numeric.distributions import DiscreteUniform, Normal
        >>> print(DiscreteUniform(1, 5).ppf([0.0, 0.2, 0.21, 1.0]))
        [1. 1. 2. 5.]
        >>> print(round(float(Normal().ppf(0.975)), 6))
        1.959964
        """
        q = _points(q, "q")
        owner = type(self).__name__ + ".ppf"
        _require((q >= 0) & (q <= 1), owner, "q", q, "must lie in [0, 1]")
        q, params = self._prepare(q)
        return _out(np.asarray(self._ppf(q, *params), dtype=float))

    # ---- moments ----------------------------------------------------------------
    def mean(self):
        """Expectation ``E[X]``.

        Examples
        --------
        >>> from numeric.distributions import Poisson
        >>> print(Poisson(5.0).mean())
        5.0
        """
        return _out(np.asarray(self._mean(), dtype=float))

    def var(self):
        """Variance ``E[(X - E[X])^2]``.

        Examples
        --------
        >>> from numeric.distributions import DiscreteUniform
        >>> print(DiscreteUniform(1, 5).var())
        2.0
        """
        return _out(np.asarray(self._var(), dtype=float))

    def std(self):
        """Standard deviation, the square root of :meth:`var`.

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> print(Normal(0.0, 3.0).std())
        3.0
        """
        return _out(np.sqrt(np.asarray(self._var(), dtype=float)))

    @property
    def support(self):
        """``(lower, upper)``: the ends of the family's range of values, as in scipy.

        For discrete distributions both ends are included; they may be infinite.
        They depend on the family, not on which values happen to have positive mass
        (``Binomial(10, 0).support`` is ``(0, 10)``).

        Examples
        --------
        >>> from numeric.distributions import Uniform
        >>> print(Uniform(1.0, 3.0).support)
        (np.float64(1.0), np.float64(3.0))
        """
        lo, hi = self._support()
        return _out(lo), _out(hi)

    # ---- sampling and scipy -----------------------------------------------------
    def sample(self, size, rng):
        """Draw samples of shape ``size + batch_shape``.

        Parameters
        ----------
        size : int, tuple of int or None
            Shape of the independent draws, prepended to :attr:`batch_shape` (as in
            PyTorch's ``sample_shape``); ``None`` or ``()`` draws one per batch entry.
        rng : numpy.random.Generator
            The only source of randomness.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Binomial
        >>> x = Binomial(10, 0.2).sample(1000, np.random.default_rng(0))
        >>> x.shape, x.dtype.kind, int(x.min()) >= 0, int(x.max()) <= 10
        ((1000,), 'i', True, True)
        """
        rng = _check_rng(rng, type(self).__name__ + ".sample")
        shape = _sample_shape(size, type(self).__name__ + ".sample") + self.batch_shape
        return self._sample(shape, rng)

    def _draw(self, shape, rng):
        """Draws for summing (numeric.simulate): may use a narrower dtype."""
        return self._sample(shape, rng)

    def to_scipy(self):
        """The equivalent frozen :mod:`scipy.stats` distribution.

        Examples
        --------
        >>> from numeric.distributions import Exponential
        >>> print(round(float(Exponential(2.0).to_scipy().mean()), 12))
        0.5
        """
        import scipy.stats

        return self._to_scipy(scipy.stats)


class DiscreteDistribution(Distribution):
    """A distribution on the integers, with a probability mass function.

    Examples
    --------
    >>> from numeric.distributions import Poisson
    >>> isinstance(Poisson(2.0), DiscreteDistribution), Poisson(2.0).discrete
    (True, True)
    """

    discrete = True

    def pmf(self, x):
        """Probability mass ``P(X = x)`` (zero off the support and at non-integers).

        Examples
        --------
        >>> from numeric.distributions import DiscreteUniform
        >>> print(DiscreteUniform(1, 5).pmf([0, 1, 5, 5.5, 6]))
        [0.  0.2 0.2 0.  0. ]
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._pmf(x, *params))

    def logpmf(self, x):
        """Natural logarithm of :meth:`pmf` (``-inf`` where the mass is zero).

        Examples
        --------
        >>> from numeric.distributions import Bernoulli
        >>> print(Bernoulli(0.5).logpmf([0, 1, 2]))
        [-0.69314718 -0.69314718        -inf]
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._logpmf(x, *params))

    def _pmf(self, x, *params):
        return np.exp(self._logpmf(x, *params))


class ContinuousDistribution(Distribution):
    """A distribution on the real line with a probability density function.

    Examples
    --------
    >>> from numeric.distributions import Normal
    >>> Normal().discrete
    False
    """

    def pdf(self, x):
        """Probability density at ``x``.

        Examples
        --------
        >>> from numeric.distributions import Uniform
        >>> print(Uniform(1.0, 3.0).pdf([0.0, 1.0, 2.0, 3.0, 4.0]))
        [0.  0.5 0.5 0.5 0. ]
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._pdf(x, *params))

    def logpdf(self, x):
        """Natural logarithm of :meth:`pdf`.

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> print(round(float(Normal().logpdf(0.0)), 12))
        -0.918938533205
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._logpdf(x, *params))


# --------------------------------------------------------------------------------------
# discrete families
# --------------------------------------------------------------------------------------


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

    _param_names = ("p",)

    def __init__(self, p):
        p = _real_array(p, "p", "Bernoulli")
        _require((p >= 0) & (p <= 1), "Bernoulli", "p", p, "must lie in [0, 1]")
        (self._p,) = _broadcast_params("Bernoulli", p=p)

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
        return stats.bernoulli(_out(self._p))


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

    _param_names = ("n", "p")

    def __init__(self, n, p):
        n = _integer_array(n, "n", "Binomial", minimum=0)
        p = _real_array(p, "p", "Binomial")
        _require((p >= 0) & (p <= 1), "Binomial", "p", p, "must lie in [0, 1]")
        self._n, self._p = _broadcast_params("Binomial", n=n, p=p)

    def _logpmf(self, x, n, p):
        return _binom_logpmf(x, n, p)

    def _cdf(self, x, n, p):
        return _binom_cdf(x, n, p)

    def _sf(self, x, n, p):
        return _binom_sf(x, n, p)

    def _ppf(self, q, n, p):
        inner = (q > 0) & (q < 1)
        qq = np.where(inner, q, 0.5)
        k = _bisect_ppf(qq, -1.0, n, lambda k: _binom_cdf(k, n, p))
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
        return stats.binom(_out(self._n), _out(self._p))


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

    _param_names = ("rate",)

    def __init__(self, rate):
        rate = _real_array(rate, "rate", "Poisson")
        _require(
            np.isfinite(rate) & (rate >= 0),
            "Poisson",
            "rate",
            rate,
            "must be finite and >= 0",
        )
        (self._rate,) = _broadcast_params("Poisson", rate=rate)

    def _logpmf(self, x, lam):
        return _poisson_logpmf(x, lam)

    def _cdf(self, x, lam):
        return _poisson_cdf(x, lam)

    def _sf(self, x, lam):
        return _poisson_sf(x, lam)

    def _ppf(self, q, lam):
        inner = (q > 0) & (q < 1)
        qq = np.where(inner, q, 0.5)
        hi = np.ceil(lam + 10.0 * np.sqrt(lam) + 10.0)
        # Widen the bracket until it holds every quantile; the cdf reaches 1.0 in
        # floating point, so this stops after a few doublings at most.
        for _ in range(64):
            short = _poisson_cdf(hi, lam) < qq
            if not short.any():
                break
            hi = np.where(short, 2.0 * hi + 1.0, hi)
        k = _bisect_ppf(qq, -1.0, hi, lambda k: _poisson_cdf(k, lam))
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
        return stats.poisson(_out(self._rate))


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

    _param_names = ("low", "high")

    def __init__(self, low, high):
        low = _integer_array(low, "low", "DiscreteUniform")
        high = _integer_array(high, "high", "DiscreteUniform")
        low, high = _broadcast_params("DiscreteUniform", low=low, high=high)
        ok = low <= high
        if not ok.all():
            bad = () if ok.ndim == 0 else tuple(int(i) for i in np.argwhere(~ok)[0])
            where = f" at index {bad}" if bad else ""
            raise ValueError(
                f"DiscreteUniform: high must be >= low; got low={int(low[bad])}, "
                f"high={int(high[bad])}{where}"
            )
        self._low, self._high = low, high

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
        return stats.randint(_out(self._low), _out(self._high + 1))


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

    _param_names = ("probs",)

    def __init__(self, probs):
        probs = _probability_vector(probs, "probs", "Categorical")
        probs.setflags(write=False)
        self._probs = probs
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
    def batch_shape(self):
        """Shape of the batch (``probs.shape[:-1]``).

        Examples
        --------
        >>> from numeric.distributions import Categorical
        >>> Categorical([[0.5, 0.5], [0.1, 0.9]]).batch_shape
        (2,)
        """
        return self._probs.shape[:-1]

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

    _param_names = ("n", "probs")

    def __init__(self, n, probs):
        n = _integer_array(n, "n", "Multinomial", minimum=0)
        probs = _probability_vector(probs, "probs", "Multinomial")
        try:
            batch = np.broadcast_shapes(n.shape, probs.shape[:-1])
        except ValueError as exc:
            raise ValueError(
                f"Multinomial: parameter shapes do not broadcast together: n "
                f"{n.shape}, probs {probs.shape} (last axis = categories)"
            ) from exc
        self._n = np.array(np.broadcast_to(n, batch))
        self._probs = np.array(np.broadcast_to(probs, batch + probs.shape[-1:]))
        self._n.setflags(write=False)
        self._probs.setflags(write=False)

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
                cache[key] = np.exp(_poisson_logpmf(j[None, :], lam))
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
        return _out(self._n[..., None, None] * cov)

    def _support(self):
        hi = np.broadcast_to(self._n[..., None], self._probs.shape)
        return np.zeros(self._probs.shape, dtype=np.int64), np.array(hi)

    def _sample(self, shape, rng):
        draws = rng.multinomial(self._n, self._probs, size=shape)
        return draws.astype(np.int64, copy=False)

    def _to_scipy(self, stats):
        return stats.multinomial(_out(self._n), np.array(self._probs))


# --------------------------------------------------------------------------------------
# continuous families
# --------------------------------------------------------------------------------------


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

    _param_names = ("mu", "sigma")

    def __init__(self, mu=0.0, sigma=1.0):
        mu = _real_array(mu, "mu", "Normal")
        sigma = _real_array(sigma, "sigma", "Normal")
        _require(np.isfinite(mu), "Normal", "mu", mu, "must be finite")
        _require(
            np.isfinite(sigma) & (sigma > 0), "Normal", "sigma", sigma, "must be > 0"
        )
        self._mu, self._sigma = _broadcast_params("Normal", mu=mu, sigma=sigma)

    def _pdf(self, x, mu, sigma):
        z = (x - mu) / sigma
        return np.exp(-0.5 * z * z) / (_SQRT_2PI * sigma)

    def _logpdf(self, x, mu, sigma):
        z = (x - mu) / sigma
        return -0.5 * z * z - _LOG_SQRT_2PI - np.log(sigma)

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
        return rng.normal(_out(self._mu), _out(self._sigma), size=shape)

    def _to_scipy(self, stats):
        return stats.norm(_out(self._mu), _out(self._sigma))


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

    _param_names = ("low", "high")

    def __init__(self, low=0.0, high=1.0):
        low = _real_array(low, "low", "Uniform")
        high = _real_array(high, "high", "Uniform")
        _require(np.isfinite(low), "Uniform", "low", low, "must be finite")
        _require(np.isfinite(high), "Uniform", "high", high, "must be finite")
        low, high = _broadcast_params("Uniform", low=low, high=high)
        ok = low < high
        if not ok.all():
            bad = () if ok.ndim == 0 else tuple(int(i) for i in np.argwhere(~ok)[0])
            where = f" at index {bad}" if bad else ""
            raise ValueError(
                f"Uniform: high must be greater than low; got low={float(low[bad])!r}, "
                f"high={float(high[bad])!r}{where}"
            )
        self._low, self._high = low, high

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
        return rng.uniform(_out(self._low), _out(self._high), size=shape)

    def _to_scipy(self, stats):
        return stats.uniform(_out(self._low), _out(self._high - self._low))


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

    _param_names = ("rate",)

    def __init__(self, rate=1.0):
        rate = _real_array(rate, "rate", "Exponential")
        _require(
            np.isfinite(rate) & (rate > 0), "Exponential", "rate", rate, "must be > 0"
        )
        (self._rate,) = _broadcast_params("Exponential", rate=rate)

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
        return rng.exponential(_out(1.0 / self._rate), size=shape)

    def _to_scipy(self, stats):
        return stats.expon(scale=_out(1.0 / self._rate))
