"""Figures of the probability chapter: contents (lines, labels, legends), not pixels."""

import io
import math
import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from numeric.distributions import (  # noqa: E402
    Bernoulli,
    Binomial,
    DiscreteUniform,
    Exponential,
    Multinomial,
    Normal,
    Poisson,
    Uniform,
)
from numeric.plot.probability import (  # noqa: E402
    plot_central_limit,
    plot_clt_binomial,
    plot_covariance_examples,
    plot_distribution,
    plot_frequencies,
    plot_law_of_large_numbers,
)
from numeric.simulate import (  # noqa: E402
    central_limit,
    coin_experiment,
    dice_experiment,
    law_of_large_numbers,
)


def rng(seed=0):
    return np.random.default_rng(seed)


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def renders(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue().startswith(b"\x89PNG")


def test_dice_figure_has_d2l_labels_and_data():
    r = dice_experiment(500, 10, rng=rng())
    fig = plot_frequencies(r)
    assert isinstance(fig, Figure) and renders(fig)
    (ax,) = fig.axes
    assert ax.get_xlabel() == "Groups of experiments"
    assert ax.get_ylabel() == "Estimated probability"
    assert legend_texts(ax) == [f"P(die={i})" for i in range(1, 7)]
    curves = [ln for ln in ax.get_lines() if ln.get_label().startswith("P(")]
    for i, ln in enumerate(curves):
        np.testing.assert_array_equal(ln.get_ydata(), r.estimates[:, i])
        np.testing.assert_array_equal(ln.get_xdata(), np.arange(1, 501))
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 1
    np.testing.assert_allclose(dashed[0].get_ydata(), 1 / 6)
    assert not any(isinstance(c, PolyCollection) for c in ax.collections)
    banded = plot_frequencies(r, band=True).axes[0]
    assert any(isinstance(c, PolyCollection) for c in banded.collections)


def test_coin_figure_is_log_scaled_with_two_curves():
    r = coin_experiment(10_000, rng=rng())
    ax = plot_frequencies(r).axes[0]
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "Samples"
    assert legend_texts(ax) == ["P(coin=heads)", "P(coin=tails)"]
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    np.testing.assert_allclose(dashed[0].get_ydata(), 0.5)


def test_law_of_large_numbers_figure():
    r = law_of_large_numbers(Poisson(5.0), 20_000, rng())
    fig = plot_law_of_large_numbers(r)
    assert renders(fig)
    ax = fig.axes[0]
    assert legend_texts(ax) == ["running mean", "E[X] = 5", "chebyshev band (99%)"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), r.running_mean)
    assert ax.get_xscale() == "log"


@pytest.mark.parametrize("dist", [Exponential(), Bernoulli(0.2)], ids=repr)
def test_central_limit_histogram_against_the_normal_density(dist):
    r = central_limit(dist, 40, 4000, rng())
    fig = plot_central_limit(r)
    assert renders(fig)
    ax = fig.axes[0]
    assert legend_texts(ax) == ["N(0, 1) pdf", "standardised sums (n = 40)"]
    (pdf,) = ax.get_lines()
    x = np.asarray(pdf.get_xdata())
    np.testing.assert_allclose(pdf.get_ydata(), Normal().pdf(x), rtol=1e-12)
    area = sum(p.get_width() * p.get_height() for p in ax.patches)
    assert math.isclose(area, 1.0, rel_tol=1e-9)
    assert "Kolmogorov distance" in ax.get_title()
    if dist.discrete:
        # Lattice bins: one bar per possible sum, centred on it.
        widths = {round(p.get_width(), 12) for p in ax.patches}
        assert widths == {round(1 / (r.std * math.sqrt(40)), 12)}


def test_d2l_clt_binomial_figure():
    fig = plot_clt_binomial(0.2, (1, 10, 100, 1000))
    assert renders(fig)
    assert [ax.get_title() for ax in fig.axes] == [
        "n = 1",
        "n = 10",
        "n = 100",
        "n = 1000",
    ]
    for ax, n in zip(fig.axes, (1, 10, 100, 1000), strict=True):
        assert ax.get_xlabel() == "x" and ax.get_ylabel() == "p.m.f."
        stem = ax.containers[0]
        heights = np.asarray(stem.markerline.get_ydata())
        np.testing.assert_allclose(heights, Binomial(n, 0.2).pmf(np.arange(n + 1)))
        xs = np.asarray(stem.markerline.get_xdata())
        np.testing.assert_allclose(
            xs, (np.arange(n + 1) - 0.2 * n) / math.sqrt(n * 0.2 * 0.8)
        )


D2L_APPENDIX = [
    Bernoulli(0.3),
    DiscreteUniform(1, 5),
    Uniform(1.0, 3.0),
    Binomial(10, 0.2),
    Poisson(5.0),
    Normal(0.0, 1.0),
    Exponential(1.0),
]


@pytest.mark.parametrize("dist", D2L_APPENDIX, ids=repr)
def test_distribution_figures(dist):
    fig = plot_distribution(dist)
    assert renders(fig)
    left, right = fig.axes
    assert left.get_xlabel() == right.get_xlabel() == "x"
    assert right.get_ylabel() == "c.d.f."
    (cdf,) = right.get_lines()
    y = np.asarray(cdf.get_ydata())
    assert (np.diff(y) >= 0).all() and y[0] >= 0 and y[-1] <= 1
    np.testing.assert_allclose(y, dist.cdf(np.asarray(cdf.get_xdata())))
    if dist.discrete:
        assert left.get_ylabel() == "p.m.f."
        stem = left.containers[0]
        xs = np.asarray(stem.markerline.get_xdata())
        np.testing.assert_allclose(stem.markerline.get_ydata(), dist.pmf(xs))
        lo, hi = dist.support
        if np.isfinite(hi):  # the whole support, both ends (1..5 for the uniform)
            np.testing.assert_array_equal(xs, np.arange(lo, hi + 1))
    else:
        assert left.get_ylabel() == "p.d.f."
        (pdf,) = left.get_lines()
        np.testing.assert_allclose(pdf.get_ydata(), dist.pdf(pdf.get_xdata()))
    assert fig.get_suptitle() == repr(dist)


def test_distribution_figure_rejects_vectors_and_batches():
    with pytest.raises(ValueError, match="scalar-valued"):
        plot_distribution(Multinomial(3, [0.5, 0.5]))
    with pytest.raises(ValueError, match="scalar parameters"):
        plot_distribution(Normal([0.0, 1.0]))
    with pytest.raises(TypeError, match="dist must be a Distribution"):
        plot_distribution("normal")


@pytest.mark.parametrize(
    "kind, titles",
    [
        ("cov", ["cov = -0.9", "cov = 0.0", "cov = 1.2"]),
        ("cor", ["cor = -0.9", "cor = 0.0", "cor = 1.0"]),
    ],
)
def test_covariance_scatter_examples(kind, titles):
    fig = plot_covariance_examples(rng(), kind=kind)
    assert renders(fig)
    assert [ax.get_title() for ax in fig.axes] == titles
    for ax in fig.axes:
        assert ax.get_xlabel() == "X" and ax.get_ylabel() == "Y"
        assert ax.collections[0].get_offsets().shape == (500, 2)
    if kind == "cor":
        pts = fig.axes[2].collections[0].get_offsets()
        np.testing.assert_allclose(pts[:, 1], pts[:, 0])  # correlation 1: Y = X
    with pytest.raises(ValueError, match="kind must be"):
        plot_covariance_examples(rng(), kind="corr")


def test_plot_module_reexports_the_probability_figures():
    import numeric.plot as plot

    for name in (
        "plot_frequencies",
        "plot_law_of_large_numbers",
        "plot_central_limit",
        "plot_clt_binomial",
        "plot_distribution",
        "plot_covariance_examples",
    ):
        assert callable(getattr(plot, name))


def test_probability_modules_import_without_matplotlib():
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import numeric.distributions, numeric.probability, numeric.simulate\n"
        "try:\n"
        "    import numeric.plot.probability\n"
        "except ImportError:\n"
        "    print('plots need matplotlib')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "plots need matplotlib"
