"""Table-driven: every op's implementation, derivative, printer and sympy form agree."""

import importlib.util
import math

import numpy as np
import pytest
import sympy

from symdiff import (
    Symbol,
    const,
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
from symdiff.constructors import elementwise, functions, special
from symdiff.core.expr import apply
from symdiff.ops import OPS
from symdiff.ops.comparison import COMPARISONS

x, y, z = Symbol("x"), Symbol("y"), Symbol("z")
# polygamma's first operand is an integer order, not a point: its laws are checked in
# tests/symdiff/ops/test_special_ops.py
ELEMENTWISE = [
    n for n, s in OPS.items() if s.elementwise and s.arity and n != "polygamma"
]
# the values of these ops at the points below, and SymPy's, are computed from z = 1.3
AT = {y: -0.2, z: 1.3}
# masks convert to SymPy relationals and where to a Piecewise (tested in
# test_comparison.py): not numbers, so the numeric SymPy checks below skip them
MASKS = {*COMPARISONS, "where"}
NO_SYMPY = {n for n in ELEMENTWISE if OPS[n].sympy is None} | MASKS
PIECEWISE_CONSTANT = {"sign", "heaviside", "floor", "ceil", "round"}
# every op with a SymPy form converts back to itself (clip is a SymPy function of its
# own, whose elementary form is Min(Max(x, lo), hi))
NOT_ROUND_TRIP = set()


def _point(op):
    """A point inside the op's domain and away from its non-smooth points."""
    return {"positive": 0.7, "open_unit": 0.3, "above_one": 1.7}.get(
        OPS[op].domain, 0.45
    )


def _node(op):
    return apply(op, *(x, y, z)[: OPS[op].arity])


def _sympy_point(at):
    return {sympy.Symbol(k.name, real=True): v for k, v in at.items()}


def test_every_public_function_is_in_the_table_and_back():
    public = set()
    for module in (elementwise, functions, special):
        public |= set(module.UNARY) | set(module.BINARY)
        public |= set(getattr(module, "TERNARY", ()))
        public |= set(getattr(module, "COMPARISONS", ()))
    assert public <= set(OPS)
    fn_ops = {
        n for n, s in OPS.items() if s.elementwise and s.infix is None and s.arity
    }
    assert fn_ops == public


@pytest.mark.parametrize("op", sorted(set(ELEMENTWISE) - NO_SYMPY))
def test_impl_matches_sympy(op):
    e = _node(op)
    vals = {x: _point(op), **AT}
    ours = float(evaluate(e, vals))
    theirs = float(to_sympy(e).subs(_sympy_point(vals)))
    assert math.isclose(ours, theirs, rel_tol=1e-13, abs_tol=1e-15)


@pytest.mark.parametrize("op", ELEMENTWISE)
def test_derivative_matches_finite_differences_and_sympy(op):
    e = _node(op)
    h = 1e-6
    for var in (x, y, z):
        if var not in e.free_symbols:
            continue
        at = {x: _point(op), **AT}
        ours = float(evaluate(diff(e, var), at))
        hi, lo = dict(at), dict(at)
        hi[var] += h
        lo[var] -= h
        fd = (float(evaluate(e, hi)) - float(evaluate(e, lo))) / (2 * h)
        assert math.isclose(ours, fd, rel_tol=1e-6, abs_tol=1e-8), op
        if op in NO_SYMPY or op in PIECEWISE_CONSTANT:
            continue  # SymPy leaves d/dx floor(x) unevaluated
        sx = sympy.Symbol(var.name, real=True)
        ref = float(sympy.diff(to_sympy(e), sx).subs(_sympy_point(at)))
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


INT_ARGS = (-2, -1, 0, 1, 3)


def _int_cases(op):
    if OPS[op].arity == 1:
        return [(a,) for a in INT_ARGS]
    if OPS[op].arity == 3:
        return [(a, b, c) for a in INT_ARGS for b in (-1, 0) for c in (0, 3)]
    return [(a, b) for a in INT_ARGS for b in INT_ARGS]


# erfc's generated code is 1 - erf(x): its error is absolute, about 1e-16
CODE_RTOL = {"erfc": 1e-10}


@pytest.mark.parametrize("op", ELEMENTWISE)
def test_integer_constants_take_float_semantics_everywhere(op, tmp_path):
    """Issue 18.1: integer operands never raise (``0**-1`` is inf, as 1/0 is), and
    the interpreter, lambdify and exported modules agree on every op."""
    node = _node(op)
    nodes, ours = [], []
    with np.errstate(all="ignore"):
        for ints in _int_cases(op):
            # the op's own implementation, on unfolded integer operands ...
            got = OPS[op].impl(node, *ints)
            want = OPS[op].impl(node, *(float(v) for v in ints))
            np.testing.assert_array_equal(np.float64(got), want, err_msg=str(ints))
            # ... and on the node built from integer constants (folded or not)
            e = apply(op, *(const(v) for v in ints))
            nodes.append(e)
            ours.append(np.float64(evaluate(e)))
    compiled = lambdify([], nodes)
    path = tmp_path / "ints.py"
    export_module({"f": nodes}, [], path)
    spec = importlib.util.spec_from_file_location("ints_" + op, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with np.errstate(all="ignore"):
        for other in (compiled(), module.f()):
            np.testing.assert_allclose(
                np.float64(other), ours, rtol=CODE_RTOL.get(op, 1e-14)
            )


@pytest.mark.parametrize(
    "op", [*sorted(set(ELEMENTWISE) - NO_SYMPY - NOT_ROUND_TRIP), "pi"]
)
def test_sympy_round_trip_is_identity_for_each_op(op):
    """Issue 18.2: every op maps to one SymPy function and back to the same node."""
    if op == "pi":
        cases = [apply("pi")]
    else:
        u = x**2 + 3 * y  # a compound operand, which SymPy does not fold away
        cases = [_node(op), apply(op, *[u, y, z][: OPS[op].arity])]
    # SymPy's evaluation regroups sums (x**2 + 3*y + y is 4*y + x**2) ...
    regrouped = op in ("add", "sub", "neg")
    for e in cases[:1] if regrouped else cases:
        assert from_sympy(to_sympy(e)) is e, to_sympy(e)
    # ... unevaluated, the structure survives whole
    for e in cases:
        assert from_sympy(to_sympy(e, evaluate=False)) is e
