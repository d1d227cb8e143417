"""Expectations, variances and covariances, exact or from samples; Chebyshev.

The functions :func:`expectation`, :func:`variance`, :func:`std`,
:func:`covariance`, :func:`correlation` and :func:`covariance_matrix` work in two modes:

* **exact**, when ``probs`` is given: the values are the outcomes of a discrete
  distribution and ``probs`` their probabilities;
* **sample**, when ``probs`` is omitted: the values are draws, and the usual estimators
  are returned (``ddof = 1`` by default for (co)variances, as in ``numpy.cov``).

:func:`chebyshev_bound` and :func:`chebyshev_interval` are Chebyshev's inequality.
"""

from __future__ import annotations

import math

import numpy as np

from numeric.validation import finite_array, outcome_probabilities

__all__ = [
    "expectation",
    "variance",
    "std",
    "covariance",
    "correlation",
    "covariance_matrix",
    "chebyshev_bound",
    "chebyshev_interval",
]


# --------------------------------------------------------------------------------------
# expectations, variances and covariances: exact or from samples
# --------------------------------------------------------------------------------------


def _ddof(ddof, probs, owner):
    if probs is not None:
        if ddof is not None:
            raise ValueError(
                f"{owner}: ddof applies to samples only; it must be omitted when "
                "probs is given"
            )
        return 0
    if ddof is None:
        return 1
    if isinstance(ddof, bool) or not isinstance(ddof, (int, np.integer)) or ddof < 0:
        raise ValueError(f"{owner}: ddof must be a non-negative integer; got {ddof!r}")
    return int(ddof)


def _values_probs(values, probs, owner, name="values", ndim=(1,)):
    x = finite_array(values, name, owner, ndim=ndim)
    if x.shape[0] == 0:
        raise ValueError(f"{owner}: {name} is empty")
    if probs is None:
        return x, None
    return x, outcome_probabilities(probs, "probs", owner, length=x.shape[0])


def _check_samples(n, ddof, owner):
    if n <= ddof:
        raise ValueError(f"{owner}: need more than ddof={ddof} samples; got {n}")


def expectation(values, probs=None, *, f=None):
    """``E[f(X)]``: exact for a discrete distribution, or the sample mean.

    Parameters
    ----------
    values : array_like, 1-D
        Outcomes (with ``probs``) or samples (without).
    probs : array_like, optional
        Probability of each outcome; omit for samples.
    f : callable, optional
        Applied elementwise (vectorised) to the values before averaging.

    Examples
    --------
    d2l's investment: lose everything with probability 0.5, double with 0.4,
    tenfold with 0.1.

    >>> from numeric.probability import expectation
    >>> print(round(expectation([0, 2, 10], [0.5, 0.4, 0.1]), 12))
    1.8
    >>> utility = {0: -1.0, 2: 2.0, 10: 4.0}
    >>> print(round(expectation([0, 2, 10], [0.5, 0.4, 0.1],
    ...                         f=lambda r: [utility[v] for v in r]), 12))
    0.7
    """
    owner = "expectation"
    x, p = _values_probs(values, probs, owner)
    if f is not None:
        fx = finite_array(f(x), "f(values)", owner, ndim=(1,))
        if fx.shape != x.shape:
            raise ValueError(
                f"{owner}: f(values) must keep the shape {x.shape} of values; got "
                f"{fx.shape}"
            )
        x = fx
    if p is None:
        return float(np.mean(x))
    return float(np.dot(p, x))


def variance(values, probs=None, *, ddof=None):
    """``Var[X]``: exact (``E[(X - E X)^2]``) or the sample variance.

    Parameters
    ----------
    values : array_like, 1-D
        Outcomes (with ``probs``) or samples (without).
    probs : array_like, optional
        Probability of each outcome; omit for samples.
    ddof : int, optional
        Samples only: the divisor is ``len(values) - ddof`` (default 1, unbiased).

    Examples
    --------
    >>> from numeric.probability import variance
    >>> print(round(variance([0, 2, 10], [0.5, 0.4, 0.1]), 12))
    8.36
    >>> print(variance([1.0, 2.0, 3.0, 4.0]))
    1.6666666666666667
    """
    return covariance(values, values, probs, ddof=ddof)


def std(values, probs=None, *, ddof=None):
    """Standard deviation, the square root of :func:`variance`.

    Examples
    --------
    >>> from numeric.probability import std
    >>> print(std([-1.0, 1.0], [0.5, 0.5]))
    1.0
    """
    return math.sqrt(variance(values, probs, ddof=ddof))


def covariance(x, y, probs=None, *, ddof=None):
    """``Cov[X, Y] = E[(X - E X)(Y - E Y)]``, exact or from paired samples.

    Parameters
    ----------
    x, y : array_like, 1-D
        Paired outcomes ``(x[i], y[i])`` with probability ``probs[i]``, or paired
        samples.
    probs : array_like, optional
        Joint probability of each pair; omit for samples.
    ddof : int, optional
        Samples only: divisor ``len(x) - ddof`` (default 1, as ``numpy.cov``).

    Examples
    --------
    d2l's example: X in {1, 3}, Y in {-1, 3}, equal values paired with probability
    p / 2 each; the covariance is 4p - 2.

    >>> from numeric.probability import covariance
    >>> p = 0.9
    >>> print(round(covariance([1, 1, 3, 3], [-1, 3, -1, 3],
    ...                        [p / 2, (1 - p) / 2, (1 - p) / 2, p / 2]), 12))
    1.6
    """
    owner = "covariance"
    d = _ddof(ddof, probs, owner)
    xs, p = _values_probs(x, probs, owner, "x")
    ys = finite_array(y, "y", owner, ndim=(1,))
    if ys.shape != xs.shape:
        raise ValueError(
            f"{owner}: x and y must have the same length; got {xs.shape[0]} and "
            f"{ys.shape[0]}"
        )
    if p is None:
        _check_samples(xs.shape[0], d, owner)
        dx = xs - xs.mean()
        dy = ys - ys.mean()
        return float(np.dot(dx, dy) / (xs.shape[0] - d))
    dx = xs - np.dot(p, xs)
    dy = ys - np.dot(p, ys)
    return float(np.dot(p, dx * dy))


def correlation(x, y, probs=None):
    """Pearson correlation ``Cov[X, Y] / (sd X sd Y)``, exact or from samples.

    Examples
    --------
    >>> from numeric.probability import correlation
    >>> p = 0.9
    >>> print(round(correlation([1, 1, 3, 3], [-1, 3, -1, 3],
    ...                         [p / 2, (1 - p) / 2, (1 - p) / 2, p / 2]), 12))
    0.8
    """
    c = covariance(x, y, probs, ddof=None if probs is not None else 1)
    vx = covariance(x, x, probs, ddof=None if probs is not None else 1)
    vy = covariance(y, y, probs, ddof=None if probs is not None else 1)
    if vx <= 0 or vy <= 0:
        raise ValueError(
            f"correlation: undefined because a variance is zero (Var X={vx!r}, "
            f"Var Y={vy!r})"
        )
    return float(np.clip(c / math.sqrt(vx * vy), -1.0, 1.0))


def covariance_matrix(values, probs=None, *, ddof=None):
    """Covariance matrix of a random vector, exact or from samples.

    Parameters
    ----------
    values : array_like, shape (m, d)
        Row ``i`` is an outcome (with ``probs``) or a sample (without) of the
        ``d``-dimensional vector.
    probs : array_like, shape (m,), optional
        Probability of each row; omit for samples.
    ddof : int, optional
        Samples only: divisor ``m - ddof`` (default 1, as ``numpy.cov``).

    Returns
    -------
    numpy.ndarray, shape (d, d)
        ``Sigma``, so that ``v @ Sigma @ v`` is ``Var(v . X)`` for any vector ``v``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.probability import covariance_matrix, variance
    >>> pts = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> probs = [0.2, 0.3, 0.5]
    >>> sigma = covariance_matrix(pts, probs)
    >>> v = np.array([2.0, -1.0])
    >>> print(round(float(v @ sigma @ v), 12), round(variance(pts @ v, probs), 12))
    1.09 1.09
    """
    owner = "covariance_matrix"
    d = _ddof(ddof, probs, owner)
    x, p = _values_probs(values, probs, owner, ndim=(2,))
    if p is None:
        _check_samples(x.shape[0], d, owner)
        centred = x - x.mean(axis=0)
        out = centred.T @ centred / (x.shape[0] - d)
    else:
        centred = x - p @ x
        out = (centred * p[:, None]).T @ centred
    # The products are symmetric in exact arithmetic only; make the result exactly so.
    return 0.5 * (out + out.T)


# --------------------------------------------------------------------------------------
# Chebyshev
# --------------------------------------------------------------------------------------


def chebyshev_bound(k):
    """Chebyshev's inequality: ``P(|X - mu| >= k sigma) <= 1 / k^2`` (capped at 1).

    Holds for every distribution with a finite variance.

    Examples
    --------
    >>> from numeric.probability import chebyshev_bound
    >>> print(round(chebyshev_bound(2.0**0.5), 12))  # half the mass beyond sqrt(2) sd
    0.5
    """
    k = finite_array(k, "k", "chebyshev_bound")
    if (k <= 0).any():
        raise ValueError(f"chebyshev_bound: k must be > 0; got k={k!r}")
    out = np.minimum(1.0, 1.0 / (k * k))
    return float(out) if out.ndim == 0 else out


def chebyshev_interval(mean, sd, coverage):
    """Interval ``mean +- k sd`` holding at least ``coverage`` of any distribution.

    ``k = 1 / sqrt(1 - coverage)``, from Chebyshev's inequality.

    Examples
    --------
    d2l: at least 50% of the mass lies within sqrt(2) standard deviations.

    >>> from numeric.probability import chebyshev_interval
    >>> lo, hi = chebyshev_interval(0.0, 1.0, 0.5)
    >>> print(round(hi, 12), round(2 ** 0.5, 12))
    1.414213562373 1.414213562373
    """
    owner = "chebyshev_interval"
    mean = float(finite_array(mean, "mean", owner, ndim=(0,)))
    sd = float(finite_array(sd, "sd", owner, ndim=(0,)))
    coverage = float(finite_array(coverage, "coverage", owner, ndim=(0,)))
    if sd < 0:
        raise ValueError(f"{owner}: sd must be >= 0; got sd={sd!r}")
    if not 0 <= coverage < 1:
        raise ValueError(
            f"{owner}: coverage must lie in [0, 1); got coverage={coverage!r}"
        )
    k = 1.0 / math.sqrt(1.0 - coverage)
    return mean - k * sd, mean + k * sd
