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

Given a ``numpy.random.SeedSequence`` as ``rng``, the law of large numbers and the
central limit theorem draw each chunk from a child stream of its own
(:mod:`numeric.probability.chunked`), and ``scheduler=`` runs those chunks as dask
tasks, on a cluster if one is given, with bit-identical results.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from numeric.probability.bounds import (
    berry_esseen_bound,
    dkw_bound,
    kolmogorov_distance,
    kolmogorov_distance_sorted,
    maximal_band,
)
from numeric.probability.chunked import (
    check_randomness,
    chunked_running_sums,
    chunked_sums_of_draws,
)
from numeric.probability.discrete import Bernoulli
from numeric.probability.results import (
    CentralLimitResult,
    FrequencyExperiment,
    LawOfLargeNumbersResult,
)
from numeric.probability.sampling import (
    ProgressBar,
    check_scalar_distribution,
    running_sums,
)
from numeric.validation import check_alpha, check_rng, positive_int, probability_vector

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

_DEFAULT_CHUNK = 1 << 20
# Up to this many draws every running value is recorded; beyond it, a log-spaced grid.
_ALL_CHECKPOINTS_UP_TO = 100_000
_LOG_CHECKPOINTS = 2000


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


# --------------------------------------------------------------------------------------
# dice and coins
# --------------------------------------------------------------------------------------


def _cumulative_counts(rng, groups, rolls, p, chunk_size, progress):
    """Running counts of each face after each group, drawn ``chunk_size`` at a time."""
    k = p.shape[0]
    counts = np.empty((groups, k), dtype=np.int64)
    carry = np.zeros(k, dtype=np.int64)
    rows_per_step = max(1, chunk_size // k)
    for g0 in range(0, groups, rows_per_step):
        r = min(rows_per_step, groups - g0)
        block = rng.multinomial(rolls, p, size=r)
        np.cumsum(block, axis=0, out=counts[g0 : g0 + r])
        counts[g0 : g0 + r] += carry
        carry = counts[g0 + r - 1].copy()
        progress.update(r * rolls)
    progress.close()
    return counts


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
    groups = positive_int(groups, "groups", owner)
    rolls = positive_int(rolls, "rolls", owner)
    rng = check_rng(rng, owner)
    alpha = check_alpha(alpha, owner)
    chunk_size = positive_int(chunk_size, "chunk_size", owner)
    p = (
        np.full(6, 1.0 / 6.0)
        if probs is None
        else probability_vector(probs, "probs", owner)
    )
    if p.ndim != 1:
        raise ValueError(f"{owner}: probs must be one vector; got shape {p.shape}")
    k = p.shape[0]
    bar = ProgressBar(groups * rolls, progress, owner)
    counts = _cumulative_counts(rng, groups, rolls, p, chunk_size, bar)
    draws = rolls * np.arange(1, groups + 1, dtype=np.int64)
    band = maximal_band(
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
    tosses = positive_int(tosses, "tosses", owner)
    rng = check_rng(rng, owner)
    alpha = check_alpha(alpha, owner)
    chunk_size = positive_int(chunk_size, "chunk_size", owner)
    coin = Bernoulli(p)
    if coin.batch_shape != ():
        raise ValueError(f"{owner}: p must be a single probability; got {p!r}")
    cps = _checkpoints(tosses, checkpoints, owner)
    bar = ProgressBar(tosses, progress, owner)
    heads = running_sums(
        lambda size: coin.draw(size, rng), tosses, cps, chunk_size, bar
    )
    counts = np.stack([heads, cps - heads], axis=1)
    probs = np.array([float(p), 1.0 - float(p)])
    band = maximal_band(cps, tosses, alpha, kind="hoeffding", scale=1.0, families=1)
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
    scheduler=None,
):
    """Running mean of ``n`` i.i.d. draws from ``dist``, with a time-uniform band.

    Parameters
    ----------
    dist : Distribution
        A scalar-valued distribution with scalar parameters.
    n : int
        Number of draws.
    rng : numpy.random.Generator or numpy.random.SeedSequence
        Source of randomness: one stream, or a seed whose ``i``-th child feeds the
        ``i``-th chunk of ``chunk_size`` draws (see :mod:`numeric.probability.chunked`),
        which makes the run the same wherever its chunks are computed.
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
        Draws per step; memory use is a few times ``chunk_size`` values (per worker,
        with a scheduler).
    progress : bool, default False
        Print a progress bar on standard error.
    scheduler : None, distributed.Client or str
        None runs here.  Otherwise ``rng`` must be a ``SeedSequence`` and the chunks
        run as dask tasks on this ``distributed.Client`` (or dask's ``"threads"``,
        ``"processes"``, ``"synchronous"`` scheduler, or ``"distributed"``: the
        default client); the result is bit-identical to ``scheduler=None``.

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
    dist = check_scalar_distribution(dist, owner)
    n = positive_int(n, "n", owner)
    rng = check_randomness(rng, scheduler, progress, owner)
    alpha = check_alpha(alpha, owner)
    chunk_size = positive_int(chunk_size, "chunk_size", owner)
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
    bar = ProgressBar(n, progress, owner)
    sums = chunked_running_sums(dist, rng, n, cps, chunk_size, bar, scheduler)
    scale = hi - lo if bound == "hoeffding" else float(dist.std())
    band = maximal_band(cps, n, alpha, kind=bound, scale=scale)
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


def central_limit(
    dist,
    n,
    m,
    rng,
    *,
    alpha=0.01,
    chunk_size=_DEFAULT_CHUNK,
    progress=False,
    scheduler=None,
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
    rng : numpy.random.Generator or numpy.random.SeedSequence
        Source of randomness: one stream, or a seed whose ``i``-th child feeds the
        ``i``-th chunk (as in :func:`law_of_large_numbers`).
    alpha : float, default 0.01
        Error probability of the DKW part of the bound.
    chunk_size : int
        Draws per step (memory: the ``m`` sums plus a few chunks; with a scheduler,
        one chunk per worker task and the ``m`` sums here).
    progress : bool, default False
        Print a progress bar on standard error.
    scheduler : None, distributed.Client or str
        Where the chunks run, as in :func:`law_of_large_numbers` (same result).

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
    dist = check_scalar_distribution(dist, owner)
    n = positive_int(n, "n", owner)
    m = positive_int(m, "m", owner)
    rng = check_randomness(rng, scheduler, progress, owner)
    alpha = check_alpha(alpha, owner)
    chunk_size = positive_int(chunk_size, "chunk_size", owner)
    mean = float(dist.mean())
    sd = float(dist.std())
    if not sd > 0:
        raise ValueError(f"{owner}: {dist!r} has zero variance; sums do not spread")
    bar = ProgressBar(n * m, progress, owner)
    sums = chunked_sums_of_draws(dist, rng, n, m, chunk_size, bar, scheduler)
    z = (sums - n * mean) / (sd * math.sqrt(n))
    z.sort()  # in place: z is ours, and a sorted copy would cost another m floats
    distance = kolmogorov_distance_sorted(z, special.ndtr)
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
