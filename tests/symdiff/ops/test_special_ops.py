"""gammaln and polygamma: values vs scipy and mpmath (via SymPy), derivatives vs finite
differences, printing/parsing/SymPy round trips, generated code, bad orders."""

import importlib.util
import math

import numpy as np
import pytest
import scipy.special
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    Symbol,
    diff,
    evaluate,
    export_module,
    from_sympy,
    lambdify,
    latex,
    parse,
    to_str,
    to_sympy,
)
from symdiff.constructors.special import betaln, digamma, gammaln, polygamma, trigamma

x = Symbol("x")
positive = st.floats(0.05, 60.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(positive, st.integers(0, 3))
def test_values_match_sympy_mpmath(v, k):
    """An independent reference: SymPy's loggamma/polygamma evaluated by mpmath."""
    sv = sympy.Float(v, 30)
    assert math.isclose(
        float(evaluate(gammaln(x), {x: v})),
        float(sympy.loggamma(sv).evalf(30)),
        rel_tol=1e-12,
        abs_tol=1e-12,
    )
    assert math.isclose(
        float(evaluate(polygamma(k, x), {x: v})),
        float(sympy.polygamma(k, sv).evalf(30)),
        rel_tol=1e-10,
        abs_tol=1e-12,
    )


@settings(max_examples=30, deadline=None)
@given(st.floats(0.2, 30.0), st.integers(0, 2))
def test_derivatives_match_finite_differences(v, k):
    for e in (gammaln(x), polygamma(k, x)):
        h = 1e-5 * v
        fd = (evaluate(e, {x: v + h}) - evaluate(e, {x: v - h})) / (2 * h)
        ours = float(evaluate(diff(e, x), {x: v}))
        assert math.isclose(ours, float(fd), rel_tol=1e-5, abs_tol=1e-7)


def test_derivative_chain_is_the_next_order():
    assert diff(gammaln(x), x) is digamma(x)
    assert diff(digamma(x), x) is trigamma(x)
    assert diff(trigamma(x), x) is polygamma(2, x)


def test_betaln_matches_scipy():
    a, b = np.array([0.3, 2.0, 40.0]), np.array([5.0, 0.7, 33.0])
    got = evaluate(betaln(Symbol("a"), Symbol("b")), {Symbol("a"): a, Symbol("b"): b})
    np.testing.assert_allclose(got, scipy.special.betaln(a, b), rtol=1e-12)


@pytest.mark.parametrize("e", [gammaln(x), polygamma(0, x), polygamma(3, x**2 + 1)])
def test_round_trips(e):
    assert parse(to_str(e)) is e
    assert from_sympy(to_sympy(e)) is e
    assert latex(e)


def test_generated_code_and_exported_module_match_scipy(tmp_path):
    pts = np.array([0.1, 1.0, 2.5, 100.0])
    outs = [gammaln(x), polygamma(1, x), polygamma(2, x)]
    want = [
        scipy.special.gammaln(pts),
        scipy.special.polygamma(1, pts),
        scipy.special.polygamma(2, pts),
    ]
    for got, ref in zip(lambdify([x], outs)(pts), want, strict=True):
        np.testing.assert_allclose(got, ref, rtol=1e-14)
    path = tmp_path / "special_mod.py"
    export_module({"f": outs}, [x], path)
    spec = importlib.util.spec_from_file_location("special_mod", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for got, ref in zip(module.f(pts), want, strict=True):
        np.testing.assert_allclose(got, ref, rtol=1e-14)


@pytest.mark.parametrize("order", [-1, 0.5, "x", Symbol("n")])
def test_polygamma_order_must_be_a_nonnegative_integer_constant(order):
    if order == "x":
        order = x
    with pytest.raises(ValueError, match="non-negative integer constant"):
        polygamma(order, x)
