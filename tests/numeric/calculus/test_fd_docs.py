"""The examples in the finite-difference docs and docstrings actually run."""

import doctest
from pathlib import Path

import pytest

import numeric.calculus.complex_step
import numeric.calculus.evaluators
import numeric.calculus.gradcheck
import numeric.calculus.limits
import numeric.calculus.multivariate
import numeric.calculus.sampling
import numeric.calculus.search
import numeric.calculus.stencils
import numeric.calculus.tangent
import numeric.calculus.univariate
import numeric.calculus.windows
import numeric.validation

DOCS = Path(__file__).resolve().parents[3] / "docs"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize(
    "module",
    [
        numeric.calculus.complex_step,
        numeric.calculus.evaluators,
        numeric.calculus.gradcheck,
        numeric.calculus.limits,
        numeric.calculus.multivariate,
        numeric.calculus.sampling,
        numeric.calculus.search,
        numeric.calculus.stencils,
        numeric.calculus.tangent,
        numeric.calculus.univariate,
        numeric.calculus.windows,
        numeric.validation,
    ],
)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.attempted > 0
    assert result.failed == 0


def test_plot_docstring_examples():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import numeric.plot.calculus

    result = doctest.testmod(numeric.plot.calculus, optionflags=FLAGS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("page", ["numeric_derivatives.md", "gradcheck.md"])
def test_doc_pages(page):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    result = doctest.testfile(
        str(DOCS / page), module_relative=False, optionflags=FLAGS
    )
    assert result.attempted > 0
    assert result.failed == 0
