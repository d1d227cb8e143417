"""The noise of ``f`` near ``x``, measured from function values.

Rounding in ``f`` is not ``eps * |f|``: a loss computed through intermediates far
larger than its value (``a + g(x) - a``, a softmax's log-sum-exp, a long sum) carries
the rounding of those intermediates.  Following the idea of Moré and Wild
("Estimating computational noise", SIAM J. Sci. Comput. 33(3), 2011), the noise is
read off a difference table of ``f`` at equally spaced points ``x + j * delta``: a
smooth function's ``k``-th differences shrink like ``delta**k`` while independent
noise of standard deviation ``sigma`` gives ``k``-th differences of variance
``binom(2k, k) * sigma**2``.  A level where the differences change sign and
neighbouring levels agree is noise-dominated, and its mean square, scaled by
``gamma_k = (k!)**2 / (2k)!``, estimates ``sigma**2``.

Rounding to a quantum ``q`` (every difference a multiple of ``q``, as for
``a + g(x) - a``) is noise of about ``q / sqrt(12)`` even where the table is too
regular to show it, so that is a floor.  Where no level passes the tests and ``f``
did not resolve the probe (too few distinct values) the largest first difference
bounds the noise; where a smooth trend dominates every level nothing is measured.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "PROBE_POINTS",
    "PROBE_WIDEN",
    "resolution_floor",
    "noise_from_values",
    "probe_step",
    "quantum",
]

PROBE_POINTS = 7  # points of a noise probe (x itself and 6 shifted ones)
PROBE_WIDEN = 2.0**20  # a probe f did not resolve is repeated this much wider
_AGREE = 4.0  # neighbouring level estimates agree within this factor


def _gamma(k):
    return math.factorial(k) ** 2 / math.factorial(2 * k)


def quantum(values):
    """The largest power of two of which every value is a multiple (per column).

    ``f`` computed as ``a + g - a`` returns multiples of ``ulp(a)``, however small
    its value: rounding of that size is noise even where the difference table is
    too regular to show it (a probe whose steps move ``f`` by whole quanta).

    Examples
    --------
    >>> import numpy as np
    >>> float(quantum(np.array([3.0, 0.75, 0.0])))
    0.25
    """
    v = np.asarray(values, dtype=np.float64)
    mant, expo = np.frexp(np.where(np.isfinite(v), v, 0.0))
    whole = np.abs(mant * 2.0**53).astype(np.int64)
    low = (whole & -whole).astype(np.float64)
    q = np.where(whole != 0, np.ldexp(low, expo - 53), np.inf)
    q = q.min(axis=0)
    return np.where(np.isfinite(q), q, 0.0)


def noise_from_values(values):
    """Noise standard deviation of each column of equally spaced samples.

    Parameters
    ----------
    values : array_like
        ``f`` at ``x + j * delta`` for ``j = 0 .. m``, shape ``(m + 1, ...)``
        (``m >= 3``); columns with a non-finite value give NaN.

    Returns
    -------
    numpy.ndarray
        The estimated noise level ``sigma`` of each column (shape ``values.shape[1:]``).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = 1.0 + 0.1 * np.arange(7.0) + 1e-9 * rng.standard_normal(7)
    >>> bool(1e-10 < noise_from_values(y) < 1e-8)
    True
    >>> float(noise_from_values(np.arange(7.0) ** 2)) < 0.3  # smooth: integers
    True
    """
    y = np.asarray(values, dtype=np.float64)
    m = y.shape[0] - 1
    if m < 3:
        raise ValueError(f"noise_from_values: need at least 4 values; got {m + 1}")
    rest = y.shape[1:]
    y = y.reshape(m + 1, -1)
    finite = np.isfinite(y).all(axis=0)
    y = np.where(finite, y, 0.0)
    levels, sigmas, signs = [], [], []
    d = y
    with np.errstate(all="ignore"):
        for k in range(1, m + 1):
            d = d[1:] - d[:-1]
            levels.append(d)
            sigmas.append(np.sqrt(_gamma(k) * np.mean(d * d, axis=0)))
            signs.append((d.max(axis=0) > 0) & (d.min(axis=0) < 0))
    sig = np.array(sigmas)  # (m, columns)
    chosen = np.full(y.shape[1], np.nan)
    # A noise-dominated level: its differences change sign and its estimate agrees
    # with both neighbours' (levels 2 .. m-1, as in ECnoise).
    for k in range(2, m):
        s_lo, s_k, s_hi = sig[k - 2], sig[k - 1], sig[k]
        with np.errstate(all="ignore"):
            agree = (
                (s_k <= _AGREE * np.minimum(s_lo, s_hi))
                & (s_k >= np.maximum(s_lo, s_hi) / _AGREE)
                & (s_k > 0)
            )
        take = np.isnan(chosen) & agree & signs[k - 1]
        chosen = np.where(take, s_k, chosen)
    distinct = (levels[0] != 0).sum(axis=0)
    resolved = distinct > m // 2
    # A smooth trend at every level says nothing about the noise (NaN: not
    # measured; ECnoise would retry closer).  Too few distinct values: the
    # resolution of f there, the largest first difference, bounds it.
    fallback = np.where(resolved, np.nan, np.abs(levels[0]).max(axis=0))
    chosen = np.where(np.isnan(chosen), fallback, chosen)
    # Rounding to a quantum q is noise of about q / sqrt(12), seen or not.
    # (Of the differences: a constant or round f(x) is no evidence of noise.)
    q = quantum(y[1:] - y[:1])
    # (A subnormal quantum would underflow when divided: keep it whole.)
    floor = np.where(q < 1e-300, q, q / math.sqrt(12.0))
    chosen = np.fmax(chosen, floor)
    chosen = np.where(finite, chosen, np.nan)
    return chosen.reshape(rest)


def resolution_floor(values, eps_f):
    """The rounding of the largest value seen, ``eps * max|f| / sqrt(12)``.

    A floor under the measured noise: where ``f`` is exactly 0 at and near ``x``
    (a softmax's far-off logit) its differences are 0, yet the values a probe sees
    nearby show the size of its intermediates.

    Examples
    --------
    >>> import numpy as np
    >>> float(resolution_floor(np.array([[0.0], [2.0**10]]), 2.0**-52)[0]) > 0
    True
    """
    v = np.abs(np.asarray(values, dtype=np.float64))
    with np.errstate(invalid="ignore"):
        big = np.where(np.isfinite(v), v, 0.0).max(axis=0)
    return eps_f * big / math.sqrt(12.0)


def untrustworthy(error, value, f0, scale, n, eps_f, honest_rel):
    """Where a derivative's error rivals its size: no step gave an answer.

    The size is ``|value|``, floored at ``sqrt(eps) |f| / s**n`` so that a true zero
    derivative with a tiny error is not flagged.

    Examples
    --------
    >>> import numpy as np
    >>> untrustworthy(np.array([0.5, 1e-12]), np.array([0.2, 1.0]), np.array([1.0]),
    ...               1.0, 1, 2.0**-23, 0.5).tolist()
    [True, False]
    """
    with np.errstate(all="ignore"):
        floor = math.sqrt(eps_f) * np.abs(f0) / np.asarray(scale) ** n
        size = np.fmax(np.abs(value), np.where(np.isfinite(floor), floor, np.inf))
        return np.asarray(error > honest_rel * size)


def probe_step(x, scale, eps_f, dtype):
    """The spacing of a noise probe at ``x``, exact in ``dtype``.

    ``eps**(1/3) * scale`` rounded so that ``x + delta`` is representable: small
    enough that fourth differences of a smooth ``f`` vanish below rounding, large
    enough that ``f`` resolves the probe.

    Examples
    --------
    >>> import numpy as np
    >>> d = probe_step(np.array([1.0]), np.array([1.0]), 2.0**-52, np.float64)
    >>> bool(d[0] > 0) and float((1.0 + d[0]) - 1.0) == float(d[0])
    True
    """
    # Near (not at) zero the scale may exceed |x|; stay well inside it.
    reach = np.where(x != 0, np.minimum(scale, np.abs(x)), scale)
    want = eps_f ** (1.0 / 3.0) * reach
    outer = (x + want).astype(dtype).astype(np.float64)
    return outer - x
