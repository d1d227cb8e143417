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
    }


def on_files(files, config, **kwargs):
    """Add each figure to the site as a generated file (the MkDocs event)."""
    for path, draw in _figures().items():
        png = io.BytesIO()
        draw().savefig(png, format="png", dpi=110, bbox_inches="tight")
        files.append(File.generated(config, path, content=png.getvalue()))
    return files
