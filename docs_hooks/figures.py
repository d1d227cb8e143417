"""MkDocs hook: draw the d2l figures of ``docs/figures.md`` with ``numeric.plot`` when
the site is built, so the pictures always show what the code does today (nothing is
checked in; matplotlib's Agg backend, no display)."""

import io

import numpy as np
from mkdocs.structure.files import File

from numeric.distributions import Bernoulli, Exponential, Normal
from numeric.plot import (
    plot_central_limit,
    plot_clt_binomial,
    plot_covariance_examples,
    plot_distribution,
    plot_law_of_large_numbers,
    plot_tangent,
)
from numeric.simulate import central_limit, law_of_large_numbers


def _figures():
    rng = np.random.default_rng(0)
    return {
        "figures/tangent.png": lambda: plot_tangent(lambda x: 3 * x**2 - 4 * x, 1.0),
        "figures/normal.png": lambda: plot_distribution(Normal(0.0, 1.0)),
        "figures/lln.png": lambda: plot_law_of_large_numbers(
            law_of_large_numbers(Bernoulli(0.3), 10_000, rng)
        ),
        "figures/clt.png": lambda: plot_central_limit(
            central_limit(Exponential(1.0), 50, 20_000, rng)
        ),
        "figures/clt_binomial.png": lambda: plot_clt_binomial(),
        "figures/covariance.png": lambda: plot_covariance_examples(rng),
        "figures/coin_loglik.png": _coin_loglik,
        "figures/score_hist.png": lambda: _score_histogram(rng),
    }


def _coin_loglik():
    """The coin's log-likelihood in p with the MLE and the 95% Wald interval, all
    from ``symdiff.stats`` (the compiled log-likelihood, ``fit``)."""
    from matplotlib.figure import Figure

    from symdiff import Symbol
    from symdiff.codegen import lambdify
    from symdiff.stats import data_symbol, fit, log_likelihood

    flips = np.array([1, 0, 1, 1, 0, 1, 1, 1, 0, 1], dtype=float)
    p = Symbol("p")
    ll = lambdify([data_symbol(), p], log_likelihood("bernoulli", data_symbol(), p=p))
    grid = np.linspace(0.2, 0.99, 300)
    r = fit("bernoulli", flips)
    lo, hi = r.conf_int()["p"]
    fig = Figure(figsize=(5.5, 3.5))
    ax = fig.add_subplot()
    ax.plot(grid, [float(ll(flips, g)) for g in grid], label="log-likelihood")
    ax.axvline(r.params["p"], color="C1", label=f"MLE p = {r.params['p']:.2f}")
    ax.axvspan(lo, hi, color="C1", alpha=0.15, label="95% Wald interval")
    ax.set_xlabel("p")
    ax.set_ylabel("log-likelihood")
    ax.legend(loc="lower center")
    return fig


def _score_histogram(rng):
    """Scores of 100,000 simulated Poisson(4) samples of 5 against the
    Normal(0, Fisher information) density."""
    from matplotlib.figure import Figure

    from symdiff import Symbol
    from symdiff.codegen import lambdify
    from symdiff.diff import grad
    from symdiff.stats import data_symbol, fisher_information, log_likelihood

    lam = Symbol("lam")
    ll = log_likelihood("poisson", data_symbol(), rate=lam)
    score = lambdify([data_symbol(), lam], list(grad(ll, [lam])))
    s = np.asarray(score(rng.poisson(4.0, (100_000, 5)), 4.0)[0])
    info = float(fisher_information("poisson", n=5, rate=4.0)[0, 0])
    fig = Figure(figsize=(5.5, 3.5))
    ax = fig.add_subplot()
    ax.hist(s, bins=np.arange(-4.125, 4.25, 0.25), density=True, label="simulated")
    x = np.linspace(-4, 4, 300)
    dens = np.exp(-(x**2) / (2 * info)) / np.sqrt(2 * np.pi * info)
    ax.plot(x, dens, color="C1", label=f"Normal(0, I = {info:g})")
    ax.set_xlabel("score")
    ax.set_ylabel("density")
    ax.legend()
    return fig


def on_files(files, config, **kwargs):
    """Add each figure to the site as a generated file (the MkDocs event)."""
    for path, draw in _figures().items():
        png = io.BytesIO()
        draw().savefig(png, format="png", dpi=110, bbox_inches="tight")
        files.append(File.generated(config, path, content=png.getvalue()))
    return files
