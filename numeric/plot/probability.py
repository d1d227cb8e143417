"""Figures for the probability chapter (needs matplotlib, the ``plot`` extra).

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot, so it
works under any backend (Agg included) and leaves no global figure state behind; save
it with ``fig.savefig(path)`` or display it in a notebook by leaving it as the last
expression of a cell.  Labels follow d2l's figures.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from numeric.probability.continuous import Normal
from numeric.probability.discrete import Binomial, Multinomial
from numeric.probability.infrastructure import Distribution
from numeric.probability.results import (
    CentralLimitResult,
    FrequencyExperiment,
    LawOfLargeNumbersResult,
)
from numeric.validation import check_instance, check_rng

__all__ = [
    "plot_frequencies",
    "plot_law_of_large_numbers",
    "plot_central_limit",
    "plot_clt_binomial",
    "plot_distribution",
    "plot_covariance_examples",
]


def plot_frequencies(result, *, band=False, figsize=(4.5, 3.5)):
    """d2l's convergence figure: cumulative relative frequencies of each outcome.

    Parameters
    ----------
    result : FrequencyExperiment
        From :func:`numeric.simulate.dice_experiment` or
        :func:`numeric.simulate.coin_experiment`.
    band : bool, default False
        Also shade the Hoeffding band around each true probability.
    figsize : tuple, default (4.5, 3.5)
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        One line per outcome (labelled ``"P(die=1)"``, ... or ``"P(coin=heads)"``,
        ...), a dashed black line at each true probability, x label ``"Groups of
        experiments"`` (dice) or ``"Samples"`` (coins, log scale), y label
        ``"Estimated probability"``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.simulate import dice_experiment
    >>> from numeric.plot import plot_frequencies
    >>> fig = plot_frequencies(dice_experiment(rng=np.random.default_rng(0)))
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), ax.get_ylabel(), len(ax.get_legend().get_texts())
    ('Groups of experiments', 'Estimated probability', 6)
    """
    check_instance(result, FrequencyExperiment, "result", "plot_frequencies")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    x = result.x
    for i, label in enumerate(result.labels):
        ax.plot(x, result.estimates[:, i], label=label)
    for p in np.unique(result.probs):
        ax.axhline(y=p, color="black", linestyle="dashed")
        if band:
            ax.fill_between(
                x, p - result.band, p + result.band, color="gray", alpha=0.2, lw=0
            )
    if result.xlabel == "Samples":
        ax.set_xscale("log")
        ax.set_xlim(1, max(2, int(x[-1])))
    ax.set_xlabel(result.xlabel)
    ax.set_ylabel("Estimated probability")
    ax.set_ylim(0, 1)
    ax.legend()
    return fig


def plot_law_of_large_numbers(result, *, figsize=(4.5, 3.5)):
    """Running mean against the number of draws, with its band and ``E[X]``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Exponential
    >>> from numeric.simulate import law_of_large_numbers
    >>> from numeric.plot import plot_law_of_large_numbers
    >>> r = law_of_large_numbers(Exponential(), 10_000, np.random.default_rng(0))
    >>> fig = plot_law_of_large_numbers(r)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['running mean', 'E[X] = 1', 'chebyshev band (99%)']
    """
    check_instance(
        result, LawOfLargeNumbersResult, "result", "plot_law_of_large_numbers"
    )
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    n = result.draws
    ax.plot(n, result.running_mean, label="running mean")
    ax.axhline(
        y=result.mean,
        color="black",
        linestyle="dashed",
        label=f"E[X] = {result.mean:g}",
    )
    ax.fill_between(
        n,
        result.mean - result.band,
        result.mean + result.band,
        color="gray",
        alpha=0.2,
        lw=0,
        label=f"{result.bound} band ({1 - result.alpha:.0%})",
    )
    # The band is huge for the first draws; frame the figure on the running mean.
    lo = float(np.min(result.running_mean))
    hi = float(np.max(result.running_mean))
    pad = 0.1 * max(hi - lo, 1e-12)
    ax.set_ylim(min(lo, result.mean) - pad, max(hi, result.mean) + pad)
    ax.set_xscale("log")
    ax.set_xlabel("Samples")
    ax.set_ylabel("Running mean")
    ax.legend()
    return fig


def plot_central_limit(result, *, bins=60, figsize=(4.5, 3.5)):
    """Histogram of the standardised sums against the N(0, 1) density.

    For integer-valued sums the bins are centred on the lattice the sums live on,
    so each bar's area is the observed frequency of one value.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Exponential
    >>> from numeric.simulate import central_limit
    >>> from numeric.plot import plot_central_limit
    >>> r = central_limit(Exponential(), 30, 5000, np.random.default_rng(0))
    >>> fig = plot_central_limit(r)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['N(0, 1) pdf', 'standardised sums (n = 30)']
    """
    check_instance(result, CentralLimitResult, "result", "plot_central_limit")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    z = result.z
    scale = result.std * math.sqrt(result.n)
    if result.sums.dtype.kind in "iu":
        lo, hi = int(result.sums.min()), int(result.sums.max())
        if hi - lo <= 400:
            edges = (np.arange(lo, hi + 2) - 0.5 - result.n * result.mean) / scale
            bins = edges
    grid = np.linspace(min(-4.0, float(z.min())), max(4.0, float(z.max())), 400)
    ax.plot(grid, Normal().pdf(grid), color="black", label="N(0, 1) pdf")
    ax.hist(
        z,
        bins=bins,
        density=True,
        alpha=0.5,
        label=f"standardised sums (n = {result.n})",
    )
    ax.set_xlim(-4, 4)
    ax.set_xlabel("z")
    ax.set_ylabel("density")
    ax.set_title(
        f"Kolmogorov distance {result.kolmogorov:.3f} <= bound {result.bound:.3f}"
    )
    ax.legend(loc="upper left", fontsize="small")
    return fig


def plot_clt_binomial(p=0.2, ns=(1, 10, 100, 1000), *, figsize=(10, 3)):
    """d2l's appendix figure: the standardised Binomial(n, p) mass for growing n.

    Examples
    --------
    >>> from numeric.plot import plot_clt_binomial
    >>> fig = plot_clt_binomial()
    >>> [ax.get_title() for ax in fig.axes]
    ['n = 1', 'n = 10', 'n = 100', 'n = 1000']
    """
    ns = [int(n) for n in ns]
    if not ns or any(n < 1 for n in ns):
        raise ValueError(f"plot_clt_binomial: ns must be positive integers; got {ns}")
    fig = Figure(figsize=figsize, layout="constrained")
    for i, n in enumerate(ns):
        d = Binomial(n, p)
        sd = float(d.std())
        if not sd > 0:
            raise ValueError(
                f"plot_clt_binomial: p must lie strictly between 0 and 1; got p={p!r}"
            )
        k = np.arange(n + 1)
        ax = fig.add_subplot(1, len(ns), i + 1)
        ax.stem((k - n * p) / sd, d.pmf(k))
        ax.set_xlim(-4, 4)
        ax.set_xlabel("x")
        ax.set_ylabel("p.m.f.")
        ax.set_title(f"n = {n}")
    return fig


def plot_distribution(dist, x=None, *, figsize=(8, 3)):
    """pmf (stems) or pdf, next to the cdf, as in d2l's distributions appendix.

    Parameters
    ----------
    dist : Distribution
        A scalar-valued distribution with scalar parameters.
    x : array_like, optional
        Where to draw the density and cdf; by default the support (discrete, with
        the tails beyond probability 1e-4 cut) or the central 99.9% padded a little.

    Examples
    --------
    >>> from numeric.distributions import Bernoulli, Normal
    >>> from numeric.plot import plot_distribution
    >>> fig = plot_distribution(Bernoulli(0.3))
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['p.m.f.', 'c.d.f.']
    >>> [ax.get_ylabel() for ax in plot_distribution(Normal()).axes]
    ['p.d.f.', 'c.d.f.']
    """
    check_instance(dist, Distribution, "dist", "plot_distribution")
    if isinstance(dist, Multinomial) or dist.batch_shape != ():
        raise ValueError(
            f"plot_distribution: dist must be scalar-valued with scalar parameters; "
            f"got {dist!r}"
        )
    lo, hi = (float(v) for v in dist.support)
    fig = Figure(figsize=figsize, layout="constrained")
    left = fig.add_subplot(1, 2, 1)
    right = fig.add_subplot(1, 2, 2)
    if dist.discrete:
        if x is None:
            a = lo if math.isfinite(lo) else float(dist.ppf(1e-4))
            b = hi if math.isfinite(hi) else float(dist.ppf(1 - 1e-4))
            k = np.arange(a, b + 1)
        else:
            k = np.unique(np.floor(np.asarray(x, dtype=float)))
        left.stem(k, dist.pmf(k))
        left.set_ylabel("p.m.f.")
        fine = np.linspace(k[0] - 1, k[-1] + 1, 20 * (k.size + 2))
        right.plot(fine, dist.cdf(fine))
    else:
        if x is None:
            a = float(dist.ppf(5e-4))
            b = float(dist.ppf(1 - 5e-4))
            pad = 0.25 * (b - a)
            x = np.linspace(a - pad, b + pad, 500)
        x = np.asarray(x, dtype=float)
        left.plot(x, dist.pdf(x))
        left.set_ylabel("p.d.f.")
        right.plot(x, dist.cdf(x))
    right.set_ylabel("c.d.f.")
    for ax in (left, right):
        ax.set_xlabel("x")
    fig.suptitle(repr(dist))
    return fig


def plot_covariance_examples(
    rng, *, kind="cov", values=None, size=500, figsize=(12, 3)
):
    """d2l's scatter plots of pairs with a chosen covariance or correlation.

    ``kind="cov"``: ``X ~ N(0, 1)``, ``Y = c X + N(0, 1)`` so ``Cov(X, Y) = c``
    (default ``c`` in -0.9, 0, 1.2).  ``kind="cor"``:
    ``Y = r X + sqrt(1 - r^2) N(0, 1)`` so ``corr(X, Y) = r`` (default -0.9, 0, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.plot import plot_covariance_examples
    >>> fig = plot_covariance_examples(np.random.default_rng(0), kind="cor")
    >>> [ax.get_title() for ax in fig.axes]
    ['cor = -0.9', 'cor = 0.0', 'cor = 1.0']
    """
    owner = "plot_covariance_examples"
    rng = check_rng(rng, owner)
    if kind not in ("cov", "cor"):
        raise ValueError(f"{owner}: kind must be 'cov' or 'cor'; got {kind!r}")
    if values is None:
        values = (-0.9, 0.0, 1.2) if kind == "cov" else (-0.9, 0.0, 1.0)
    values = [float(v) for v in values]
    if kind == "cor" and any(abs(v) > 1 for v in values):
        raise ValueError(f"{owner}: correlations must lie in [-1, 1]; got {values}")
    fig = Figure(figsize=figsize, layout="constrained")
    for i, c in enumerate(values):
        x = rng.standard_normal(size)
        noise = rng.standard_normal(size)
        if kind == "cov":
            y = c * x + noise
        else:
            y = c * x + math.sqrt(1.0 - c * c) * noise
        ax = fig.add_subplot(1, len(values), i + 1)
        ax.scatter(x, y, s=8)
        ax.set_xlabel("X")
        ax.set_ylabel("Y")
        ax.set_title(f"{kind} = {c}")
    return fig
