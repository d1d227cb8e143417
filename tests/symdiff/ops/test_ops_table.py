"""Table-driven: every op's implementation, derivative, printer and sympy form agree."""

import math

import pytest
import sympy

from symdiff import Symbol, diff, evaluate, latex, parse, to_str, to_sympy
from symdiff.constructors.elementwise import BINARY, UNARY
from symdiff.core.expr import apply
from symdiff.ops import OPS

x, y = Symbol("x"), Symbol("y")
ELEMENTWISE = [n for n, s in OPS.items() if s.elementwise and s.arity]


def _point(op):
    """A point inside the op's domain and away from its non-smooth points."""
    return {"positive": 0.7, "open_unit": 0.3}.get(OPS[op].domain, 0.45)


def _node(op):
    return apply(op, x) if OPS[op].arity == 1 else apply(op, x, y)


def test_every_public_function_is_in_the_table_and_back():
    assert set(UNARY) | set(BINARY) <= set(OPS)
    fn_ops = {
        n for n, s in OPS.items() if s.elementwise and s.infix is None and s.arity
    }
    assert fn_ops == set(UNARY) | set(BINARY)


@pytest.mark.parametrize("op", ELEMENTWISE)
def test_impl_matches_sympy(op):
    e = _node(op)
    vals = {x: _point(op), y: -0.2}
    ours = float(evaluate(e, vals))
    theirs = float(
        to_sympy(e).subs(
            {
                sympy.Symbol("x", real=True): vals[x],
                sympy.Symbol("y", real=True): vals[y],
            }
        )
    )
    assert math.isclose(ours, theirs, rel_tol=1e-13, abs_tol=1e-15)


@pytest.mark.parametrize("op", ELEMENTWISE)
def test_derivative_matches_finite_differences_and_sympy(op):
    e = _node(op)
    h = 1e-6
    for var in (x, y):
        if var not in e.free_symbols:
            continue
        at = {x: _point(op), y: -0.2}
        ours = float(evaluate(diff(e, var), at))
        hi, lo = dict(at), dict(at)
        hi[var] += h
        lo[var] -= h
        fd = (float(evaluate(e, hi)) - float(evaluate(e, lo))) / (2 * h)
        assert math.isclose(ours, fd, rel_tol=1e-6, abs_tol=1e-8), op
        sx = sympy.Symbol(var.name, real=True)
        subs = {
            sympy.Symbol("x", real=True): at[x],
            sympy.Symbol("y", real=True): at[y],
        }
        ref = float(sympy.diff(to_sympy(e), sx).subs(subs))
        assert math.isclose(ours, ref, rel_tol=1e-12, abs_tol=1e-14), op


@pytest.mark.parametrize("op", ELEMENTWISE)
def test_printer_and_parser_round_trip_each_op(op):
    e = _node(op)
    assert parse(to_str(e)) is e
    assert latex(e)  # every op has a LaTeX form


def test_every_op_has_a_derivative_rule():
    for name, spec in OPS.items():
        if spec.arity:
            assert spec.partials is not None or (spec.vjp and spec.jvp), name
