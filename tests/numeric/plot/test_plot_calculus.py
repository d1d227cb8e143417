"""d2l's tangent-line figure: contents (lines, labels, legend), not pixels."""

import io
import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from numeric.plot import plot_tangent  # noqa: E402


def d2l_f(x):
    return 3 * x**2 - 4 * x


def test_d2l_tangent_figure():
    fig = plot_tangent(d2l_f, 1.0)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["f(x)", "Tangent line (x=1)"]
    assert ax.get_xlabel() == "x"
    assert ax.get_ylabel() == "f(x)"
    curve, tangent = ax.get_lines()
    xs = np.arange(0, 3, 0.1)
    np.testing.assert_allclose(curve.get_xdata(), xs)
    np.testing.assert_allclose(curve.get_ydata(), 3 * xs**2 - 4 * xs)
    np.testing.assert_allclose(tangent.get_xdata(), xs)
    # The book's tangent at x = 1 is y = 2x - 3.
    np.testing.assert_allclose(tangent.get_ydata(), 2 * xs - 3, atol=1e-11)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_d2l_exercise_x3_minus_1_over_x_at_1():
    # Tangent of x^3 - 1/x at 1: slope 3 + 1 = 4 through (1, 0), so y = 4x - 4.
    xs = np.linspace(0.5, 2.0, 31)
    fig = plot_tangent(lambda x: x**3 - 1 / x, 1.0, xs, label="g(x)")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "g(x)",
        "Tangent line (x=1)",
    ]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), 4 * xs - 4, atol=1e-10)


def test_scalar_only_function_is_drawn_pointwise():
    import math

    fig = plot_tangent(math.sin, 0.5, np.linspace(0, 1, 11))
    curve, tangent = fig.axes[0].get_lines()
    np.testing.assert_allclose(curve.get_ydata(), np.sin(np.linspace(0, 1, 11)))
    slope = (tangent.get_ydata()[-1] - tangent.get_ydata()[0]) / 1.0
    assert slope == pytest.approx(np.cos(0.5), rel=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="xs must be a 1-d array"):
        plot_tangent(d2l_f, 1.0, [1.0])
    with pytest.raises(ValueError, match="x0 must be finite"):
        plot_tangent(d2l_f, float("nan"))
    with pytest.raises(TypeError, match="f must be callable"):
        plot_tangent("f", 1.0)


def test_numeric_imports_without_matplotlib():
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None\n"
        "import numeric, numeric.calculus, numeric.validation\n"
        "line = numeric.tangent_line(lambda x: 3 * x**2 - 4 * x, 1.0)\n"
        "print(f'{line.slope:.9f} {line.intercept:.9f}')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["2.000000000", "-3.000000000"]
