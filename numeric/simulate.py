"""Honest simulations: dice, coins, the law of large numbers, the central limit theorem.

Every simulation takes an explicit ``numpy.random.Generator``, draws its samples in
chunks (memory stays bounded however many draws are asked for: one chunk of 2^20
values, 8 MiB, plus the results, e.g. three arrays of ``m`` floats for the CLT), and
returns its data together with the bound it must satisfy:

* :func:`dice_experiment` and :func:`coin_experiment` return cumulative relative
  frequencies (d2l's convergence figures) with a Hoeffding band;
* :func:`law_of_large_numbers` returns running means with a Hoeffding band (bounded
  variables) or a Chebyshev-type band (finite variance);
* :func:`central_limit` returns standardised sums, their Kolmogorov distance to
  N(0, 1), and the Berry–Esseen + DKW bound that distance must stay under.

The bands are *time-uniform*: they are built from the maximal forms of Hoeffding's
and Chebyshev's inequalities (Doob's and Kolmogorov's maximal inequalities) on dyadic
blocks of draws, so with probability at least ``1 - alpha`` the whole path stays
inside, not merely each point separately.  Long runs can print a progress bar on
standard error (``progress=True``).
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass

import numpy as np
from scipy import special

from numeric.distributions import (
    Bernoulli,
    Binomial,
    DiscreteDistribution,
    DiscreteUniform,
    Distribution,
    Exponential,
    Multinomial,
    Normal,
    Poisson,
    Uniform,
    _check_rng,
    _probability_vector,
)

__all__ = [
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

#: Shevtsova (2011): sup |F_n - Phi| <= C rho / (sigma^3 sqrt(n)) for i.i.d. sums.
BERRY_ESSEEN_CONSTANT = 0.4748
_DEFAULT_CHUNK = 1 << 20
# Up to this many draws every running value is recorded; beyond it, a log-spaced grid.
_ALL_CHECKPOINTS_UP_TO = 100_000
_LOG_CHECKPOINTS = 2000


# --------------------------------------------------------------------------------------
# result records
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------


class _Progress:
    """Dependency-free progress bar on stderr, redrawn at most twice a second."""

    def __init__(self, total, enabled, label, width=30, interval=0.5):
        self.total = max(int(total), 1)
        self.enabled = bool(enabled)
        self.label = label
        self.width = width
        self.interval = interval
        self.done = 0
        self.start = time.perf_counter()
        self.last = -math.inf
        self.shown = -1

    def update(self, k):
        self.done += int(k)
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last >= self.interval or self.done >= self.total:
            self.last = now
            self._draw(now)

    def _draw(self, now):
        self.shown = self.done
        frac = min(1.0, self.done / self.total)
        filled = int(round(frac * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        sys.stderr.write(
            f"\r{self.label} [{bar}] {100 * frac:5.1f}% "
            f"({self.done:.3g}/{self.total:.3g} draws, {now - self.start:.1f} s)"
        )
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            if self.shown != self.done:
                self._draw(time.perf_counter())
            sys.stderr.write("\n")
            sys.stderr.flush()


def _positive_int(value, name, owner):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or int(value) < 1
    ):
        raise ValueError(f"{owner}: {name} must be a positive integer; got {value!r}")
    return int(value)


def _alpha(value, owner):
    try:
        a = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{owner}: alpha must be a number; got {value!r}") from None
    if not 0 < a < 1:
        raise ValueError(f"{owner}: alpha must lie in (0, 1); got alpha={value!r}")
    return a


def _scalar_distribution(dist, owner):
    if not isinstance(dist, Distribution):
        raise TypeError(
            f"{owner}: dist must be a numeric.distributions distribution; got {dist!r}"
        )
    if isinstance(dist, Multinomial):
        raise ValueError(
            f"{owner}: dist must be scalar-valued; a Multinomial draw is a vector"
        )
    if dist.batch_shape != ():
        raise ValueError(
            f"{owner}: dist must have scalar parameters; got batch shape "
            f"{dist.batch_shape} for {dist!r}"
        )
    return dist


def _checkpoints(n, checkpoints, owner):
    if checkpoints is None:
        if n <= _ALL_CHECKPOINTS_UP_TO:
            return np.arange(1, n + 1, dtype=np.int64)
        checkpoints = _LOG_CHECKPOINTS
    if isinstance(checkpoints, (int, np.integer)) and not isinstance(checkpoints, bool):
        k = int(checkpoints)
        if k < 1:
            raise ValueError(
                f"{owner}: checkpoints must be >= 1 when given as a count; got {k}"
            )
        grid = np.unique(np.round(np.geomspace(1, n, num=k)).astype(np.int64))
        if grid[-1] != n:
            grid = np.append(grid, n)
        return grid
    arr = np.asarray(checkpoints)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu":
        raise ValueError(
            f"{owner}: checkpoints must be None, a count, or a 1-D array of integers; "
            f"got {checkpoints!r}"
        )
    arr = arr.astype(np.int64)
    if arr[0] < 1 or arr[-1] > n or np.any(np.diff(arr) <= 0):
        raise ValueError(
            f"{owner}: checkpoints must be strictly increasing within [1, n={n}]; "
            f"got {checkpoints!r}"
        )
    return arr


def _maximal_band(k, total, alpha, *, kind, scale, families=1):
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


def _accumulator(x):
    # Integer (and bool) draws are summed exactly in int64; the rest in float64.
    return np.int64 if x.dtype.kind in "biu" else np.float64


def _row_sums(x):
    """Sum each row of a ``(rows, n)`` block of draws.

    ``sum(axis=1)`` pays a per-row overhead that dominates for short rows.  A loop
    over the columns is fastest for very short rows and ``einsum`` otherwise (it
    avoids BLAS, whose idle threads would compete with the random draws).
    """
    n = x.shape[1]
    acc = _accumulator(x)
    if n <= 4 or (x.dtype.kind == "b" and n <= 16):
        total = x[:, 0].astype(acc)
        for j in range(1, n):
            total += x[:, j]
        return total
    if x.dtype.kind == "b":
        # Counting in the narrowest integer that cannot overflow keeps the additions
        # vectorised; the widening to int64 then touches one value per row only.
        narrow = np.uint8 if n < 256 else np.uint16 if n < 65536 else np.int64
        return np.einsum("ij->i", x.view(np.uint8), dtype=narrow).astype(np.int64)
    return np.einsum("ij->i", x, dtype=acc)


def _piece_sums(x, idx, acc):
    """Cumulative sums of ``x`` over the pieces starting at ``idx`` (one pass)."""
    if x.dtype.kind == "b":
        if idx.size <= 64:
            ends = np.append(idx[1:], x.size)
            pieces = [np.count_nonzero(x[a:b]) for a, b in zip(idx, ends, strict=True)]
            return np.cumsum(np.array(pieces, dtype=np.int64))
        x = x.view(np.uint8)
    return np.cumsum(np.add.reduceat(x, idx, dtype=acc))


def _running_sums(draw, n, checkpoints, chunk_size, progress):
    """Sums of the first ``c`` draws for each checkpoint ``c``, drawing in chunks.

    Each chunk is read once: ``add.reduceat`` sums the pieces between consecutive
    checkpoints (and the remainder), and a short cumulative sum of those pieces gives
    the running sums and the chunk's total.
    """
    out = None
    total = 0
    pos = 0
    start = 0
    while start < n:
        size = min(chunk_size, n - start)
        x = draw(size)
        acc = _accumulator(x)
        if out is None:
            out = np.empty(checkpoints.shape[0], dtype=acc)
        end = start + size
        stop = int(np.searchsorted(checkpoints, end, side="right"))
        local = checkpoints[pos:stop] - start
        if local.size:
            bounds = local if local[-1] < size else local[:-1]
            idx = np.concatenate([[0], bounds]).astype(np.intp)
            prefix = _piece_sums(x, idx, acc)
            out[pos:stop] = total + prefix[: local.size]
            total = total + prefix[-1]
        elif x.dtype.kind == "b":
            total = total + np.count_nonzero(x)  # far faster than summing bools
        else:
            total = total + x.sum(dtype=acc)
        pos = stop
        start = end
        # Release the chunk before the next draw so two never coexist.
        x = None
        progress.update(size)
    progress.close()
    return out


# --------------------------------------------------------------------------------------
# dice and coins
# --------------------------------------------------------------------------------------


def dice_experiment(
    groups=500,
    rolls=10,
    *,
    rng,
    probs=None,
    alpha=0.01,
    chunk_size=_DEFAULT_CHUNK,
    progress=False,
):
    """Roll a die ``rolls`` times per group; track cumulative relative frequencies.

    This is d2l's dice experiment: ``groups`` multinomial samples of ``rolls`` rolls,
    accumulated, giving after each group an estimate of every face's probability.

    Parameters
    ----------
    groups, rolls : int, default 500 and 10
        Number of groups and of rolls per group.
    rng : numpy.random.Generator
        Source of randomness (required, keyword-only).
    probs : array_like, optional
        Face probabilities; a fair six-sided die by default.
    alpha : float, default 0.01
        Error probability of the Hoeffding band (all groups and faces at once).
    chunk_size : int
        Upper bound on the counts drawn per step (memory stays bounded).
    progress : bool, default False
        Print a progress bar on standard error.

    Returns
    -------
    FrequencyExperiment
        ``x`` is the group number 1..groups; labels are ``"P(die=1)"``, ...

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.simulate import dice_experiment
    >>> r = dice_experiment(500, 10, rng=np.random.default_rng(0))
    >>> r.estimates.shape, r.labels[0], r.xlabel
    ((500, 6), 'P(die=1)', 'Groups of experiments')
    >>> bool(np.allclose(r.estimates.sum(axis=1), 1.0)), r.within_band
    (True, True)
    """
    owner = "dice_experiment"
    groups = _positive_int(groups, "groups", owner)
    rolls = _positive_int(rolls, "rolls", owner)
    rng = _check_rng(rng, owner)
    alpha = _alpha(alpha, owner)
    chunk_size = _positive_int(chunk_size, "chunk_size", owner)
    p = (
        np.full(6, 1.0 / 6.0)
        if probs is None
        else _probability_vector(probs, "probs", owner)
    )
    if p.ndim != 1:
        raise ValueError(f"{owner}: probs must be one vector; got shape {p.shape}")
    k = p.shape[0]
    counts = np.empty((groups, k), dtype=np.int64)
    carry = np.zeros(k, dtype=np.int64)
    rows_per_step = max(1, chunk_size // k)
    bar = _Progress(groups * rolls, progress, owner)
    for g0 in range(0, groups, rows_per_step):
        r = min(rows_per_step, groups - g0)
        block = rng.multinomial(rolls, p, size=r)
        np.cumsum(block, axis=0, out=counts[g0 : g0 + r])
        counts[g0 : g0 + r] += carry
        carry = counts[g0 + r - 1].copy()
        bar.update(r * rolls)
    bar.close()
    draws = rolls * np.arange(1, groups + 1, dtype=np.int64)
    band = _maximal_band(
        draws, groups * rolls, alpha, kind="hoeffding", scale=1.0, families=k
    )
    return FrequencyExperiment(
        probs=p,
        x=np.arange(1, groups + 1),
        draws=draws,
        counts=counts,
        estimates=counts / draws[:, None],
        band=band,
        alpha=alpha,
        labels=tuple(f"P(die={i + 1})" for i in range(k)),
        xlabel="Groups of experiments",
    )


def coin_experiment(
    tosses=10_000,
    *,
    rng,
    p=0.5,
    checkpoints=None,
    alpha=0.01,
    chunk_size=_DEFAULT_CHUNK,
    progress=False,
):
    """Toss a coin ``tosses`` times; track the running fractions of heads and tails.

    d2l's coin figure: the estimates of P(heads) and P(tails) after 1, 2, ..., n tosses.

    Parameters
    ----------
    tosses : int, default 10_000
        Number of tosses.
    rng : numpy.random.Generator
        Source of randomness (required, keyword-only).
    p : float, default 0.5
        Probability of heads.
    checkpoints : None, int or array of int
        Where to record the estimates: every toss by default up to 100,000 tosses,
        otherwise 2,000 log-spaced counts; an int asks for that many log-spaced
        counts; an array lists them.
    alpha : float, default 0.01
        Error probability of the Hoeffding band (all checkpoints at once).
    chunk_size : int
        Tosses drawn per step (memory stays bounded).
    progress : bool, default False
        Print a progress bar on standard error.

    Returns
    -------
    FrequencyExperiment
        ``x`` is the number of tosses; labels ``"P(coin=heads)"``, ``"P(coin=tails)"``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.simulate import coin_experiment
    >>> r = coin_experiment(10_000, rng=np.random.default_rng(0))
    >>> r.xlabel, r.within_band, bool(abs(r.estimates[-1, 0] - 0.5) < 0.05)
    ('Samples', True, True)
    """
    owner = "coin_experiment"
    tosses = _positive_int(tosses, "tosses", owner)
    rng = _check_rng(rng, owner)
    alpha = _alpha(alpha, owner)
    chunk_size = _positive_int(chunk_size, "chunk_size", owner)
    coin = Bernoulli(p)
    if coin.batch_shape != ():
        raise ValueError(f"{owner}: p must be a single probability; got {p!r}")
    cps = _checkpoints(tosses, checkpoints, owner)
    bar = _Progress(tosses, progress, owner)
    heads = _running_sums(
        lambda size: coin._draw(size, rng), tosses, cps, chunk_size, bar
    )
    counts = np.stack([heads, cps - heads], axis=1)
    probs = np.array([float(p), 1.0 - float(p)])
    band = _maximal_band(cps, tosses, alpha, kind="hoeffding", scale=1.0, families=1)
    return FrequencyExperiment(
        probs=probs,
        x=cps.copy(),
        draws=cps,
        counts=counts,
        estimates=counts / cps[:, None],
        band=band,
        alpha=alpha,
        labels=("P(coin=heads)", "P(coin=tails)"),
        xlabel="Samples",
    )


# --------------------------------------------------------------------------------------
# law of large numbers
# --------------------------------------------------------------------------------------


def law_of_large_numbers(
    dist,
    n,
    rng,
    *,
    checkpoints=None,
    bound="auto",
    alpha=0.01,
    chunk_size=_DEFAULT_CHUNK,
    progress=False,
):
    """Running mean of ``n`` i.i.d. draws from ``dist``, with a time-uniform band.

    Parameters
    ----------
    dist : Distribution
        A scalar-valued distribution with scalar parameters.
    n : int
        Number of draws.
    rng : numpy.random.Generator
        Source of randomness.
    checkpoints : None, int or array of int
        Where to record the running mean: every draw by default up to 100,000 draws,
        otherwise 2,000 log-spaced counts (an int asks for that many; an array lists
        them).  The draws themselves are never stored.
    bound : {"auto", "hoeffding", "chebyshev"}
        Hoeffding needs bounded support; ``"auto"`` uses it whenever the support is
        bounded and Chebyshev (Kolmogorov's maximal inequality) otherwise.
    alpha : float, default 0.01
        The band holds at every ``n`` at once with probability ``>= 1 - alpha``.
    chunk_size : int
        Draws per step; memory use is a few times ``chunk_size`` values.
    progress : bool, default False
        Print a progress bar on standard error.

    Returns
    -------
    LawOfLargeNumbersResult

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Exponential
    >>> from numeric.simulate import law_of_large_numbers
    >>> r = law_of_large_numbers(Exponential(2.0), 100_000, np.random.default_rng(0))
    >>> r.bound, r.mean, r.within_band
    ('chebyshev', 0.5, True)
    """
    owner = "law_of_large_numbers"
    dist = _scalar_distribution(dist, owner)
    n = _positive_int(n, "n", owner)
    rng = _check_rng(rng, owner)
    alpha = _alpha(alpha, owner)
    chunk_size = _positive_int(chunk_size, "chunk_size", owner)
    if bound not in ("auto", "hoeffding", "chebyshev"):
        raise ValueError(
            f"{owner}: bound must be 'auto', 'hoeffding' or 'chebyshev'; got {bound!r}"
        )
    lo, hi = (float(v) for v in dist.support)
    bounded = math.isfinite(lo) and math.isfinite(hi)
    if bound == "auto":
        bound = "hoeffding" if bounded else "chebyshev"
    if bound == "hoeffding" and not bounded:
        raise ValueError(
            f"{owner}: Hoeffding's bound needs bounded values; {dist!r} has support "
            f"[{lo}, {hi}] (use bound='chebyshev')"
        )
    cps = _checkpoints(n, checkpoints, owner)
    bar = _Progress(n, progress, owner)
    sums = _running_sums(lambda size: dist._draw(size, rng), n, cps, chunk_size, bar)
    scale = hi - lo if bound == "hoeffding" else float(dist.std())
    band = _maximal_band(cps, n, alpha, kind=bound, scale=scale)
    return LawOfLargeNumbersResult(
        draws=cps,
        running_sum=sums,
        running_mean=sums / cps,
        mean=float(dist.mean()),
        band=band,
        bound=bound,
        alpha=alpha,
        n=n,
    )


# --------------------------------------------------------------------------------------
# central limit theorem
# --------------------------------------------------------------------------------------


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
    dist = _scalar_distribution(dist, owner)
    n = _positive_int(n, "n", owner)
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
    m = _positive_int(m, "m", "dkw_bound")
    alpha = _alpha(alpha, "dkw_bound")
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
    return _kolmogorov_sorted(np.sort(x), cdf)


def _kolmogorov_sorted(x, cdf, block=1 << 20):
    """Kolmogorov distance for an already sorted sample, in blocks of bounded size."""
    m = x.size
    f = np.asarray(cdf(x), dtype=float)
    best = 0.0
    for s in range(0, m, block):
        fb = f[s : s + block]
        i = np.arange(s + 1, s + 1 + fb.size, dtype=float)
        best = max(best, float(np.max(i / m - fb)), float(np.max(fb - (i - 1) / m)))
    return best


def central_limit(
    dist, n, m, rng, *, alpha=0.01, chunk_size=_DEFAULT_CHUNK, progress=False
):
    """``m`` standardised sums of ``n`` draws, compared with N(0, 1).

    The Kolmogorov distance ``sup |F_m - Phi|`` between the empirical cdf of the
    standardised sums and the standard normal cdf is at most
    ``sup |F_m - F_n| + sup |F_n - Phi|``: the first term is below the DKW half-width
    with probability ``>= 1 - alpha`` and the second below the Berry–Esseen bound, so
    the sum of the two is the bound the simulation is checked against.

    Parameters
    ----------
    dist : Distribution
        Scalar-valued, scalar parameters, positive variance.
    n : int
        Draws per sum.
    m : int
        Number of sums.
    rng : numpy.random.Generator
        Source of randomness.
    alpha : float, default 0.01
        Error probability of the DKW part of the bound.
    chunk_size : int
        Draws per step (memory: the ``m`` sums plus a few chunks).
    progress : bool, default False
        Print a progress bar on standard error.

    Returns
    -------
    CentralLimitResult

    Examples
    --------
    d2l's example: standardised sums of Bernoulli(0.2) draws, i.e. Binomial(n, 0.2).

    >>> import numpy as np
    >>> from numeric.distributions import Bernoulli
    >>> from numeric.simulate import central_limit
    >>> r = central_limit(Bernoulli(0.2), 1000, 2000, np.random.default_rng(0))
    >>> r.within_bound, bool(r.kolmogorov < 0.1)
    (True, True)
    """
    owner = "central_limit"
    dist = _scalar_distribution(dist, owner)
    n = _positive_int(n, "n", owner)
    m = _positive_int(m, "m", owner)
    rng = _check_rng(rng, owner)
    alpha = _alpha(alpha, owner)
    chunk_size = _positive_int(chunk_size, "chunk_size", owner)
    mean = float(dist.mean())
    sd = float(dist.std())
    if not sd > 0:
        raise ValueError(f"{owner}: {dist!r} has zero variance; sums do not spread")
    bar = _Progress(n * m, progress, owner)
    sums = None
    if n <= chunk_size:
        rows = max(1, chunk_size // n)
        for r0 in range(0, m, rows):
            r = min(rows, m - r0)
            block = _row_sums(dist._draw((r, n), rng))
            if sums is None:
                sums = np.empty(m, dtype=block.dtype)
            sums[r0 : r0 + r] = block
            bar.update(r * n)
    else:
        for i in range(m):
            total = 0
            for s0 in range(0, n, chunk_size):
                size = min(chunk_size, n - s0)
                x = dist._draw(size, rng)
                total = total + x.sum(dtype=_accumulator(x))
                bar.update(size)
            if sums is None:
                sums = np.empty(m, dtype=np.asarray(total).dtype)
            sums[i] = total
    bar.close()
    z = (sums - n * mean) / (sd * math.sqrt(n))
    z.sort()  # in place: z is ours, and a sorted copy would cost another m floats
    distance = _kolmogorov_sorted(z, special.ndtr)
    del z
    return CentralLimitResult(
        n=n,
        sums=sums,
        mean=mean,
        std=sd,
        kolmogorov=distance,
        berry_esseen=berry_esseen_bound(dist, n),
        dkw=dkw_bound(m, alpha),
        alpha=alpha,
    )
