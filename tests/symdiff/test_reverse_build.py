"""How reverse mode builds: the adjoint of an exact power, and the int intern keys."""

import importlib
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff.core.expr as expr_module
from symdiff import (
    Symbol,
    cos,
    count_nodes,
    evaluate,
    exp,
    grad,
    sin,
    symbols,
)
from symdiff.core.expr import apply, const
from symdiff.core.spec import OPS
from symdiff.strategies import expressions

diff_module = importlib.import_module("symdiff.diff")  # (symdiff.diff is a function)
x, y, z = symbols("x y z")
_EXPONENTS = [2, 3, 4, -1, -2, 0, 1, Fraction(1, 2), Fraction(3, 2), Fraction(-1, 3)]
_CONSTS = [1, -1, 0, 1.0, -1.0, 0.0, 2, -3, 0.5, -2.5, Fraction(2, 3)]
_SCALAR = expressions([x, y, z], max_leaves=5)
_CONST = st.sampled_from(_CONSTS).map(const)
# adjoints: expressions, constants, and scaled expressions (each takes its own branch)
_ADJOINT = st.one_of(_SCALAR, _CONST, st.builds(lambda k, e: k * e, _CONST, _SCALAR))


def _general(node, g):
    """The adjoint by the general path: g times the op table's partial."""
    return diff_module._times(g, OPS["pow"].partials(node)[0])


@settings(max_examples=300, deadline=None)
@given(_SCALAR, st.sampled_from(_EXPONENTS), _ADJOINT)
def test_power_adjoint_is_the_general_product(base, c, g):
    node = apply("pow", base, c)
    if not diff_module._is_exact_power(node) or base.op == "const":
        return  # canonicalised away (x**1, 1**c, ...) or nothing to differentiate
    assert diff_module._power_adjoint(node, g) is _general(node, g)


@pytest.mark.parametrize("c", _EXPONENTS)
def test_power_adjoint_edge_cases(c):
    a = x + y
    cases = [a, -a, 3 * a, a * 0.5, a**2, sin(a), x, x / y, 1 / a, 3 / a]
    for base in cases:
        node = apply("pow", base, c)
        if not diff_module._is_exact_power(node):
            continue
        t = node.args[0] if c == 2 else apply("pow", node.args[0], c - 1)
        # adjoints that hit each branch of mul_identities, c*t itself included
        adjoints = [const(1), const(-1.0), const(7), z, -z, 2 * z, -2.5 * z / y]
        adjoints += [3 * t, 0.5 * sin(z), -3 * (1 / z), 2 * -t, apply("mul", c, t)]
        for g in adjoints:
            assert diff_module._power_adjoint(node, g) is _general(node, g)


def test_power_adjoint_of_tensors_takes_the_general_path():
    v = Symbol("v", shape=(3,))
    node = v**2
    for g in [const(5), Symbol("w", shape=(3,)), z]:
        assert diff_module._power_adjoint(node, g) is _general(node, g)


def test_gradient_same_nodes_as_the_general_path(monkeypatch):
    xs = symbols(" ".join(f"r{i}" for i in range(40)))
    f = 0
    for i in range(39):
        f = f + 100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 3
    f = f + exp(xs[0]) ** Fraction(1, 2) / (xs[1] ** -2 + 1)
    fast = grad(f, xs)
    monkeypatch.setattr(diff_module, "_is_exact_power", lambda node: False)
    slow = grad(f, xs)
    assert all(a is b for a, b in zip(fast, slow, strict=True))


def test_no_partial_node_left_behind():
    # z * (x + y)**2: the adjoint of the square is z, so 2*(x + y) need not exist
    s = x + Symbol("fresh_y")
    two = const(2)

    def made():
        return [
            n
            for n in list(expr_module._NODES.values())
            if n.op == "mul" and n.args[0] is two and n.args[1] is s
        ]

    assert not made()
    g = grad(z * s**2, x)
    assert not made()
    point = {x: 0.5, Symbol("fresh_y"): 1.5, z: 3.0}
    assert evaluate(g, point) == pytest.approx(3.0 * 2 * 2.0)


def test_deep_chain_of_powers():
    # no recursion on a 100,000-deep chain through the power adjoint (float factors,
    # so the exact coefficient does not grow as 2**depth)
    depth = 100_000
    e = x
    for _ in range(depth):
        e = sin(e) ** 2 * 0.5
    g = grad(e, x)
    assert g.op == "mul" and count_nodes(g) <= 7 * depth


def test_int_intern_keys_keep_ops_and_operands_apart():
    unary = [n for n, s in OPS.items() if s.arity == 1 and s.check_params is None]
    made = {}
    for op in unary:
        try:
            node = apply(op, x)
        except (TypeError, ValueError):
            continue
        assert apply(op, x) is node
        made.setdefault(id(node), []).append(op)
    # different ops over the same operand are different nodes (unless canonicalised
    # to a shared form, which then is not the op itself)
    for ops in made.values():
        assert len(ops) == 1 or len({apply(o, x).op for o in ops}) == 1
    a, b = x + y, x * y
    assert a is not b and a is x + y and b is y * x
    assert x - y is not y - x and (x - y) is (x - y)
    assert sin(x) is not cos(x) and sin(x) is sin(x)
    assert x**y is not y**x
