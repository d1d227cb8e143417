"""The examples in the finite-difference docs and docstrings actually run."""

import doctest
from pathlib import Path

import pytest

import numeric.finite_diff
import numeric.gradcheck
import numeric.tangent

DOCS = Path(__file__).resolve().parents[2] / "docs"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize(
    "module", [numeric.finite_diff, numeric.gradcheck, numeric.tangent]
)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.attempted > 0
    assert result.failed == 0


def test_plot_docstring_examples():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import numeric.plot_calculus

    result = doctest.testmod(numeric.plot_calculus, optionflags=FLAGS)
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
