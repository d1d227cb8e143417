"""The bounds the simulations are checked against: Hoeffding and Chebyshev bands,
Berry–Esseen, DKW, and the Kolmogorov distance they bound.
"""

from __future__ import annotations

import math

import numpy as np

from numeric.probability.continuous import Exponential, Normal, Uniform
from numeric.probability.discrete import (
    Bernoulli,
    Binomial,
    DiscreteUniform,
    Poisson,
)
from numeric.probability.infrastructure import DiscreteDistribution
from numeric.probability.sampling import check_scalar_distribution
from numeric.validation import check_alpha, positive_int

__all__ = [
    "BERRY_ESSEEN_CONSTANT",
    "maximal_band",
    "berry_esseen_bound",
    "dkw_bound",
    "kolmogorov_distance",
    "kolmogorov_distance_sorted",
]

#: Shevtsova (2011): sup |F_n - Phi| <= C rho / (sigma^3 sqrt(n)) for i.i.d. sums.
BERRY_ESSEEN_CONSTANT = 0.4748


def maximal_band(k, total, alpha, *, kind, scale, families=1):
    """Half-widths ``lambda_j / k`` of a time-uniform band for a running mean.

    Draws are split into dyadic blocks ``2^j <= k < 2^(j+1)``; on block ``j`` the
    maximal inequality bounds ``max_{k <= N_j} |S_k - k mu|`` by ``lambda_j`` except
    with probability ``alpha / (J * families)``, where ``N_j = min(2^(j+1) - 1,
    total)`` and ``J`` blocks cover ``1..total``.

    * ``kind="hoeffding"`` (values in an interval of width ``scale``): Doob's maximal
      inequality applied to ``exp(t (S_k - k mu))`` gives
      ``P(max |S_k - k mu| >= lambda) <= 2 exp(-2 lambda^2 / (N scale^2))``.
    * ``kind="chebyshev"`` (standard deviation ``scale``): Kolmogorov's inequality
      ``P(max |S_k - k mu| >= lambda) <= N scale^2 / lambda^2``.

    Examples
    --------
    >>> import numpy as np
    >>> w = maximal_band(np.array([1, 10, 100]), 100, 0.01, kind="hoeffding", scale=1.0)
    >>> bool(np.all(np.diff(w) < 0))
    True
    """
    k = np.asarray(k, dtype=np.int64)
    blocks = int(total).bit_length()
    a = alpha / (blocks * families)
    j = np.frexp(k.astype(float))[1] - 1
    n_j = np.minimum(2.0 ** (j + 1) - 1.0, float(total))
    if kind == "hoeffding":
        lam = scale * np.sqrt(n_j * math.log(2.0 / a) / 2.0)
    else:
        lam = scale * np.sqrt(n_j / a)
    return lam / k


def _lyapunov_ratio(mu4, var):
    # E|Y|^3 <= (E Y^4)^(3/4) (Lyapunov), an honest upper bound when no closed form.
    return mu4**0.75 / var**1.5


def _third_moment_ratio(dist):
    """``rho / sigma^3`` with ``rho = E|X - mu|^3`` (exact, or an upper bound)."""
    var = float(dist.var())
    if isinstance(dist, Normal):
        return 2.0 * math.sqrt(2.0 / math.pi)
    if isinstance(dist, Uniform):
        return 12.0**1.5 / 32.0
    if isinstance(dist, Exponential):
        return 12.0 / math.e - 2.0
    if isinstance(dist, Bernoulli):
        p = float(dist.params["p"])
        q = 1.0 - p
        return (p * p + q * q) / math.sqrt(p * q)
    if isinstance(dist, DiscreteDistribution):
        lo, hi = (float(v) for v in dist.support)
        mu = float(dist.mean())
        if not math.isfinite(hi):  # Poisson: its mass beyond mu + 40 sd + 40 is nil
            hi = math.ceil(mu + 40.0 * math.sqrt(var) + 40.0)
        if hi - lo <= 1_000_000:
            k = np.arange(lo, hi + 1.0)
            rho = float(np.sum(dist.pmf(k) * np.abs(k - mu) ** 3))
            return rho / var**1.5
        if isinstance(dist, Poisson):
            lam = float(dist.params["rate"])
            return _lyapunov_ratio(lam * (1.0 + 3.0 * lam), var)
        if isinstance(dist, Binomial):
            nn = float(dist.params["n"])
            pq = float(dist.params["p"]) * (1.0 - float(dist.params["p"]))
            return _lyapunov_ratio(nn * pq * (1.0 + 3.0 * (nn - 2.0) * pq), var)
        if isinstance(dist, DiscreteUniform):
            size = hi - lo + 1.0
            return _lyapunov_ratio((size**2 - 1.0) * (3.0 * size**2 - 7.0) / 240.0, var)
        # |X - mu|^3 <= max|X - mu| (X - mu)^2 always holds on a bounded support.
        return max(hi - mu, mu - lo) * var / var**1.5
    raise TypeError(f"berry_esseen_bound: no third-moment rule for {dist!r}")


def berry_esseen_bound(dist, n):
    """Berry–Esseen bound on ``sup_x |P(Z_n <= x) - Phi(x)|`` for standardised sums.

    ``C rho / (sigma^3 sqrt(n))`` with ``C = 0.4748`` (Shevtsova, 2011) and
    ``rho = E|X - mu|^3`` (exact, or an upper bound where no closed form exists),
    capped at 1.

    Examples
    --------
    >>> from numeric.distributions import Bernoulli
    >>> from numeric.simulate import berry_esseen_bound
    >>> print(round(berry_esseen_bound(Bernoulli(0.5), 100), 6))
    0.04748
    """
    owner = "berry_esseen_bound"
    dist = check_scalar_distribution(dist, owner)
    n = positive_int(n, "n", owner)
    if not float(dist.var()) > 0:
        raise ValueError(f"{owner}: {dist!r} has zero variance; sums do not spread")
    return min(1.0, BERRY_ESSEEN_CONSTANT * _third_moment_ratio(dist) / math.sqrt(n))


def dkw_bound(m, alpha):
    """DKW (Massart) half-width: ``P(sup |F_m - F| > eps) <= alpha`` for this ``eps``.

    ``eps = sqrt(log(2 / alpha) / (2 m))``; valid for every distribution ``F``,
    continuous or not.

    Examples
    --------
    >>> from numeric.simulate import dkw_bound
    >>> print(round(dkw_bound(10_000, 0.05), 6))
    0.013581
    """
    m = positive_int(m, "m", "dkw_bound")
    alpha = check_alpha(alpha, "dkw_bound")
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * m))


def kolmogorov_distance(sample, cdf):
    """``sup_x |F_m(x) - F(x)|`` between a sample's empirical cdf and a continuous cdf.

    Parameters
    ----------
    sample : array_like, 1-D
        The observations (ties allowed).
    cdf : callable
        Vectorised continuous cdf ``F``.

    Examples
    --------
    >>> from scipy.special import ndtr
    >>> from numeric.simulate import kolmogorov_distance
    >>> print(kolmogorov_distance([0.0], ndtr))
    0.5
    """
    x = np.asarray(sample, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(
            f"kolmogorov_distance: sample must be a non-empty 1-D array; got shape "
            f"{x.shape}"
        )
    if not np.isfinite(x).all():
        raise ValueError("kolmogorov_distance: sample contains non-finite values")
    return kolmogorov_distance_sorted(np.sort(x), cdf)


def kolmogorov_distance_sorted(x, cdf, block=1 << 20):
    """:func:`kolmogorov_distance` for a sorted, finite 1-D float array (unchecked).

    Works in blocks of bounded size, so the caller may pass a very large sample.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.special import ndtr
    >>> print(kolmogorov_distance_sorted(np.array([0.0]), ndtr))
    0.5
    """
    m = x.size
    f = np.asarray(cdf(x), dtype=float)
    best = 0.0
    for s in range(0, m, block):
        fb = f[s : s + block]
        i = np.arange(s + 1, s + 1 + fb.size, dtype=float)
        best = max(best, float(np.max(i / m - fb)), float(np.max(fb - (i - 1) / m)))
    return best
