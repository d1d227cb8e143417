"""to_sympy / from_sympy."""

from fractions import Fraction

import pytest
import sympy

from symdiff import (
    Symbol,
    const,
    erf,
    evaluate,
    expm1,
    from_sympy,
    heaviside,
    log1p,
    pi,
    relu,
    sigmoid,
    sin,
    softplus,
    symbols,
    to_sympy,
)

x, y = symbols("x y")
SX = sympy.Symbol("x", real=True)


def test_exact_constants_map_to_exact_sympy_numbers():
    assert to_sympy(const(Fraction(2, 3)) * x) == sympy.Rational(2, 3) * SX
    assert to_sympy(pi) is sympy.pi
    assert to_sympy(const(3)) == sympy.Integer(3)


def test_ops_without_a_sympy_function_are_spelled_out_on_request():
    el = {"elementary": True}
    assert to_sympy(sigmoid(x), **el) == 1 / (1 + sympy.exp(-SX))
    assert to_sympy(relu(x), **el) == sympy.Max(SX, 0)
    assert to_sympy(softplus(x), **el) == sympy.log(1 + sympy.exp(SX))
    assert to_sympy(log1p(x), **el) == sympy.log(1 + SX)
    assert to_sympy(expm1(x), **el) == sympy.exp(SX) - 1
    assert to_sympy(heaviside(x)) == sympy.Heaviside(SX, 0)


def test_sympy_functions_of_ours_differentiate_and_evaluate_like_their_forms():
    for op in (sigmoid, softplus, relu, log1p, expm1):
        s = to_sympy(op(x))
        assert type(s).__name__ == op.__name__  # SymPy's own class, or ours
        d, d_el = sympy.diff(s, SX), sympy.diff(to_sympy(op(x), elementary=True), SX)
        for at in (-0.6, 0.4, 2.0):
            assert float(d.subs(SX, at)) == pytest.approx(float(d_el.subs(SX, at)))
            assert float(s.subs(SX, at)) == pytest.approx(evaluate(op(x), {x: at}))
    assert sympy.diff(to_sympy(relu(x)), SX).subs(SX, 0) == 0  # relu'(0) = 0


def test_from_sympy_maps_functions_and_numbers():
    t = sympy.Symbol("t")
    e = from_sympy(sympy.sin(t) ** 2 / 3 + sympy.pi + sympy.Float(0.25))
    ts = Symbol("t")
    assert e.free_symbols == {ts}
    assert evaluate(e, {ts: 0.5}) == pytest.approx(
        __import__("math").sin(0.5) ** 2 / 3 + __import__("math").pi + 0.25
    )
    assert from_sympy(sympy.sqrt(t)) is from_sympy(t) ** 0 * __import__("symdiff").sqrt(
        Symbol("t")
    )
    assert from_sympy(sympy.Heaviside(t)).free_symbols == {Symbol("t")}
    assert from_sympy(sympy.erf(t)) is erf(Symbol("t"))
    assert from_sympy(1 / t) is 1 / Symbol("t")


def test_from_sympy_uses_given_symbols():
    v = Symbol("v", shape=())
    assert from_sympy(sympy.Symbol("v") + 1, symbols=[v]) is v + 1


def test_round_trip_of_every_function_keeps_values():
    import symdiff.constructors.elementwise as F

    for name in F.UNARY:
        e = getattr(F, name)(x / 4 + Fraction(1, 3))
        back = from_sympy(to_sympy(e))
        assert evaluate(back, {x: 0.7}) == pytest.approx(
            evaluate(e, {x: 0.7}), rel=1e-12
        ), name


def test_unsupported_things_are_clear_errors():
    with pytest.raises(ValueError, match="no symdiff form"):
        from_sympy(sympy.gamma(sympy.Symbol("t")))
    assert sin(x) is from_sympy(sympy.sin(sympy.Symbol("x")))
