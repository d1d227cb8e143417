"""numeric.calculus: d2l's numerical limit, the adaptive derivative, its API.

References are exact (polynomials, closed forms checked against mpmath) and never our
own output.  Accuracy claims over the issue's benchmark suite are in
test_fd_accuracy.py; gradients and Hessians in test_fd_multivariate.py.
"""

import io
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from numeric import (
    DerivativeResult,
    TangentLine,
    derivative,
    limit_table,
    numerical_limit,
    tangent_line,
)

mp.mp.dps = 40

finite = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)
coef = st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False)


def d2l_f(x):
    return 3 * x**2 - 4 * x


# ------------------------------------------------------------------------ d2l


def test_d2l_limit_table_to_five_decimals():
    # The book's printed table (D2L_CHECKLIST, calculus section).
    book = [
        "h=0.10000, numerical limit=2.30000",
        "h=0.01000, numerical limit=2.03000",
        "h=0.00100, numerical limit=2.00300",
        "h=0.00010, numerical limit=2.00030",
        "h=0.00001, numerical limit=2.00003",
    ]
    out = io.StringIO()
    rows = limit_table(d2l_f, 1.0, file=out)
    assert out.getvalue().splitlines() == book
    assert [h for h, _ in rows] == pytest.approx([0.1, 0.01, 1e-3, 1e-4, 1e-5])
    # (f(1+h) - f(1)) / h = 2 + 3h exactly in real arithmetic.
    for h, value in rows:
        assert value == pytest.approx(2 + 3 * h, rel=1e-9)


def test_limit_table_prints_to_stdout_by_default(capsys):
    limit_table(d2l_f, 1.0, [0.5])
    assert capsys.readouterr().out == "h=0.50000, numerical limit=3.50000\n"


@given(a=coef, b=coef, c=coef, x=finite, h=st.floats(1e-3, 1.0))
def test_numerical_limit_of_a_quadratic_is_the_secant_slope(a, b, c, x, h):
    # For a x^2 + b x + c the forward quotient is exactly 2 a x + b + a h.
    def f(t):
        return a * t * t + b * t + c

    got = numerical_limit(f, x, h)
    scale = abs(a) * (x * x + 1) + abs(b) * (abs(x) + 1) + abs(c) + 1
    assert got == pytest.approx(2 * a * x + b + a * h, abs=1e-12 * scale / h)


def test_d2l_tangent_of_3x2_minus_4x_at_1():
    line = tangent_line(d2l_f, 1.0)
    assert isinstance(line, TangentLine)
    slope, intercept = line
    assert slope == pytest.approx(2.0, abs=1e-12)
    assert intercept == pytest.approx(-3.0, abs=1e-12)
    assert line(np.array([0.0, 3.0])) == pytest.approx([-3.0, 3.0], abs=1e-11)


@given(c=st.lists(coef, min_size=4, max_size=4), x0=finite)
def test_tangent_touches_the_curve_with_the_exact_slope(c, x0):
    def f(t):
        return c[0] + c[1] * t + c[2] * t**2 + c[3] * t**3

    slope = c[1] + 2 * c[2] * x0 + 3 * c[3] * x0**2
    line = tangent_line(f, x0)
    scale = 1 + sum(abs(ci) * (abs(x0) + 1) ** i for i, ci in enumerate(c))
    assert line.slope == pytest.approx(slope, abs=1e-11 * scale)
    assert line(x0) == pytest.approx(f(x0), abs=1e-11 * scale * (1 + abs(x0)))


# ----------------------------------------------------------- derivative basics


@given(c=st.lists(coef, min_size=6, max_size=6), x=finite)
def test_derivative_of_a_polynomial_is_within_its_error_estimate(c, x):
    def f(t):
        return sum(ci * t**i for i, ci in enumerate(c))

    exact = sum(i * ci * x ** (i - 1) for i, ci in enumerate(c) if i)
    res = derivative(f, x, full_output=True)
    assert abs(res.value - exact) <= res.error
    scale = sum(i * abs(ci) * (abs(x) + 1) ** (i - 1) for i, ci in enumerate(c) if i)
    assert abs(res.value - exact) <= 1e-11 * (scale + 1)


@given(
    a=coef,
    b=coef,
    x=st.floats(-3.0, 3.0, allow_nan=False),
)
def test_derivative_is_linear(a, b, x):
    r1 = derivative(np.sin, x, full_output=True)
    r2 = derivative(np.exp, x, full_output=True)
    r = derivative(lambda t: a * np.sin(t) + b * np.exp(t), x, full_output=True)
    tol = r.error + abs(a) * r1.error + abs(b) * r2.error
    assert abs(r.value - (a * r1.value + b * r2.value)) <= tol


@given(xs=st.lists(st.floats(-20.0, 20.0, allow_nan=False), min_size=1, max_size=12))
def test_array_x_agrees_with_scalar_calls(xs):
    x = np.array(xs)
    res = derivative(np.arctan, x, full_output=True)
    assert isinstance(res, DerivativeResult)
    assert res.value.shape == x.shape == res.error.shape == res.nfev.shape
    exact = 1 / (1 + x * x)
    assert np.all(np.abs(res.value - exact) <= res.error)
    for i, xi in enumerate(xs):
        one = derivative(np.arctan, xi, full_output=True)
        assert abs(one.value - res.value[i]) <= one.error + res.error[i]


def test_array_shapes_are_kept():
    x = np.linspace(0.1, 2.0, 12).reshape(3, 4)
    d = derivative(np.log, x)
    assert d.shape == (3, 4)
    np.testing.assert_allclose(d, 1 / x, rtol=1e-12)
    assert isinstance(derivative(np.log, 2.0), float)


@pytest.mark.parametrize(
    ("n", "f", "exact"),
    [
        (2, np.sin, lambda x: -np.sin(x)),
        (2, np.exp, np.exp),
        (3, np.sin, lambda x: -np.cos(x)),
        (4, np.cos, np.cos),
    ],
)
def test_higher_derivatives(n, f, exact):
    xs = np.array([-1.3, 0.4, 2.2])
    res = derivative(f, xs, n=n, full_output=True)
    ref = exact(xs)
    assert np.all(np.abs(res.value - ref) <= res.error)
    np.testing.assert_allclose(res.value, ref, rtol=10.0 ** (-11 + 2 * n))


@pytest.mark.parametrize("method", ["forward", "backward"])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_one_sided_methods(method, order):
    xs = np.array([-2.0, 0.3, 1.7])
    res = derivative(np.exp, xs, method=method, order=order, full_output=True)
    assert np.all(res.success)
    assert np.all(np.abs(res.value - np.exp(xs)) <= res.error)
    np.testing.assert_allclose(res.value, np.exp(xs), rtol=1e-10)


def test_central_order_four_base_stencil():
    res = derivative(np.sin, 0.7, order=4, full_output=True)
    assert abs(res.value - math.cos(0.7)) <= res.error <= 1e-11


def test_fixed_step_is_the_plain_stencil():
    h = 1e-3
    x = 0.5
    central = derivative(np.exp, x, step=h)
    xp = x + h
    xm = x - (xp - x)
    assert central == pytest.approx((np.exp(xp) - np.exp(xm)) / (xp - xm), rel=1e-14)
    forward = derivative(np.exp, x, method="forward", order=1, step=h)
    assert forward == pytest.approx((np.exp(x + h) - np.exp(x)) / h, rel=1e-12)
    res = derivative(np.exp, x, step=h, full_output=True)
    # The estimate from steps h and h/2 bounds the O(h^2) error e^x h^2 / 6.
    assert abs(res.value - math.exp(x)) <= res.error
    assert res.error < 1e-5
    assert res.nfev == 4


def test_fixed_step_array_broadcasts():
    x = np.array([0.1, 0.2, 0.3])
    d = derivative(np.sin, x, step=np.array([1e-4, 1e-3, 1e-2]))
    np.testing.assert_allclose(d, np.cos(x), rtol=2e-5)


def test_complex_step_is_one_evaluation_at_machine_precision():
    calls = []

    def f(z):
        calls.append(z)
        return np.exp(z) * np.sin(z)

    res = derivative(f, 0.8, method="complex", full_output=True)
    exact = float(mp.exp(0.8) * (mp.sin(0.8) + mp.cos(0.8)))
    assert len(calls) == 1 and res.nfev == 1
    assert abs(res.value - exact) <= 2 * math.ulp(exact)
    assert abs(res.value - exact) <= res.error


@given(x=st.floats(-4.0, 4.0, allow_nan=False))
def test_complex_step_within_three_ulp(x):
    for f, d in (
        (np.exp, mp.exp),
        (np.tanh, lambda t: 1 / mp.cosh(t) ** 2),
        (np.arctan, lambda t: 1 / (1 + t * t)),
    ):
        exact = float(d(mp.mpf(x)))
        got = derivative(f, x, method="complex")
        assert abs(got - exact) <= 3 * math.ulp(exact)


# ------------------------------------------------------------ domain edges


def test_log_near_zero_stays_central_and_accurate():
    for x in (1e-3, 1e-8, 1e-100):
        res = derivative(np.log, x, full_output=True)
        assert res.success
        assert res.value == pytest.approx(1 / x, rel=1e-12)


def test_one_sided_switch_where_f_is_undefined_on_one_side():
    def f(t):
        # log(t) only for t >= 1: the derivative at 1 exists from the right.
        t = np.asarray(t, dtype=float)
        return np.where(t >= 1.0, np.log(np.maximum(t, 1.0)), np.nan)

    res = derivative(f, 1.0, full_output=True)
    assert res.success
    assert abs(res.value - 1.0) <= res.error <= 1e-8

    def g(t):
        return np.where(t <= 0.0, np.exp(np.minimum(t, 0.0)), np.nan)

    res = derivative(g, 0.0, full_output=True)
    assert res.success
    assert abs(res.value - 1.0) <= res.error <= 1e-8


def test_sqrt_at_zero_is_reported_as_unsuccessful():
    # d/dx sqrt(x) is infinite at 0: no finite answer may claim success.
    res = derivative(np.sqrt, 0.0, full_output=True)
    assert not res.success


def test_large_and_tiny_abscissae():
    assert derivative(lambda t: t**3, 1e20) == pytest.approx(3e40, rel=1e-11)
    assert derivative(np.log, 1e20) == pytest.approx(1e-20, rel=1e-11)
    assert derivative(np.sin, 1e-300) == pytest.approx(1.0, rel=1e-14)
    assert derivative(np.sin, 1e6) == pytest.approx(math.cos(1e6), rel=1e-10)


def test_zero_derivative_is_found():
    res = derivative(np.cos, 0.0, full_output=True)
    assert abs(res.value) <= res.error <= 1e-14
    const = derivative(lambda t: 0 * t + 3.0, 1.5, full_output=True)
    assert abs(const.value) <= const.error <= 1e-13


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_x_is_rejected(bad):
    with pytest.raises(ValueError, match="x must be finite"):
        derivative(np.sin, bad)
    with pytest.raises(ValueError, match="x must be finite"):
        derivative(np.sin, np.array([1.0, bad]))
    with pytest.raises(ValueError, match="x must be finite"):
        numerical_limit(np.sin, bad, 0.1)


def test_wrong_shape_from_f_is_rejected():
    with pytest.raises(ValueError, match="shape"):
        derivative(lambda x: np.array([x, x]), 1.0)
    with pytest.raises(ValueError, match="shape"):
        derivative(lambda x: np.sum(x), np.array([1.0, 2.0]))


@pytest.mark.parametrize("step", [0.0, -1e-3, math.nan, [1e-3, 0.0]])
def test_bad_step_is_rejected(step):
    with pytest.raises(ValueError, match="step"):
        derivative(np.sin, np.array([1.0, 2.0]), step=step)


def test_zero_h_in_numerical_limit_is_rejected():
    with pytest.raises(ValueError, match="h must be non-zero"):
        numerical_limit(np.sin, 1.0, 0.0)


def test_unknown_method_and_bad_orders_are_rejected():
    with pytest.raises(ValueError, match="unknown method 'centered'"):
        derivative(np.sin, 1.0, method="centered")
    with pytest.raises(ValueError, match="order must be even"):
        derivative(np.sin, 1.0, order=3)
    with pytest.raises(ValueError, match="n must be >= 1"):
        derivative(np.sin, 1.0, n=0)
    with pytest.raises(ValueError, match="first derivatives only"):
        derivative(np.sin, 1.0, method="complex", n=2)
    with pytest.raises(TypeError, match="f must be callable"):
        derivative(3.0, 1.0)
    with pytest.raises(TypeError, match="x must be real"):
        derivative(np.sin, "1.0")


def test_complex_step_needs_a_complex_capable_f():
    with pytest.raises(ValueError, match="complex"):
        derivative(math.exp, 1.0, method="complex")
    with pytest.raises(ValueError, match="complex"):
        derivative(lambda x: np.abs(x), 1.0, method="complex")
