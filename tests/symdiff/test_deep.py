"""Every pass works on a 100,000-deep chain (no recursion anywhere)."""

import math

import pytest

from symdiff import (
    Symbol,
    count_nodes,
    diff,
    evaluate,
    grad,
    latex,
    parse,
    simplify,
    sin,
    to_dot,
    to_str,
    to_sympy,
)

DEPTH = 100_000


@pytest.fixture(scope="module")
def chain():
    x = Symbol("x")
    e = x
    for _ in range(DEPTH):
        e = sin(e) * 0.5 + x
    return x, e


def _reference(v):
    t, dt = v, 1.0
    for _ in range(DEPTH):
        t, dt = math.sin(t) * 0.5 + v, math.cos(t) * 0.5 * dt + 1.0
    return t, dt


def test_build_and_count(chain):
    x, e = chain
    assert count_nodes(e) == 3 * DEPTH + 2


def test_evaluate_grad_and_diff(chain):
    x, e = chain
    value, slope = _reference(0.3)
    assert evaluate(e, {x: 0.3}) == pytest.approx(value, rel=1e-12)
    g = grad(e, x)
    assert evaluate(g, {x: 0.3}) == pytest.approx(slope, rel=1e-10)
    d = diff(e, x)
    assert evaluate(d, {x: 0.3}) == pytest.approx(slope, rel=1e-10)
    assert count_nodes(g) <= 10 * DEPTH


def test_simplify(chain):
    x, e = chain
    assert simplify(e) is e


def test_str_parse_latex_dot(chain):
    x, e = chain
    text = to_str(e)
    assert text.count("sin(") == DEPTH and parse(text) is e
    assert latex(e).count(r"\sin\left(") == DEPTH
    assert to_dot(e).count("->") == 5 * DEPTH  # sin: 1 edge, mul: 2, add: 2


def test_to_sympy(chain):
    x, e = chain
    s = to_sympy(e, evaluate=False)
    assert s.func.__name__ == "Add"
