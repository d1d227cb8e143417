"""Differentiation: d2l calculus items, exactness, sharing, size."""

import math

import numpy as np
import pytest
import sympy

from symdiff import (
    Symbol,
    abs,
    const,
    count_nodes,
    diff,
    evaluate,
    exp,
    grad,
    hessian,
    jacobian,
    log,
    maximum,
    relu,
    sin,
    sqrt,
    symbols,
    to_sympy,
)
from symdiff.core.traverse import topo_order

x, y = symbols("x y")


def test_d2l_derivative_of_3x2_minus_4x():
    f = 3 * x**2 - 4 * x
    df = diff(f, x)
    assert str(df) == "6*x - 4"
    assert evaluate(df, {x: 1}) == 2
    # the tangent at x = 1 is y = 2x - 3
    slope = evaluate(df, {x: 1})
    intercept = evaluate(f, {x: 1}) - slope * 1
    assert (slope, intercept) == (2, -3)


@pytest.mark.parametrize(
    "f, expected",
    [
        (const(7), "0"),  # d/dx C = 0
        (x**5, "5*x**4"),  # power rule
        (exp(x), "exp(x)"),
        (log(x), "1/x"),
        (4 * sin(x), "4*cos(x)"),  # constant multiple
        (x**2 + sin(x), "2*x + cos(x)"),  # sum rule
    ],
)
def test_d2l_rules(f, expected):
    assert str(diff(f, x)) == expected


def test_product_quotient_and_chain_rules_match_sympy():
    u, v = sin(x), x**2 + 1
    sx = sympy.Symbol("x", real=True)
    for f in (u * v, u / v, sin(v), exp(sin(x**2))):
        ours = to_sympy(diff(f, x))
        assert sympy.simplify(ours - sympy.diff(to_sympy(f), sx)) == 0


def test_d2l_gradient_of_3x1_squared_plus_5_exp_x2():
    x1, x2 = symbols("x1 x2")
    g = grad(3 * x1**2 + 5 * exp(x2), [x1, x2])
    assert [str(c) for c in g] == ["6*x1", "5*exp(x2)"]
    assert isinstance(grad(x1 * x2, x1), type(x1 * x2))  # one symbol -> one Expr


def test_derivative_of_x_to_the_x():
    d = diff(x**x, x)
    sx = sympy.Symbol("x", real=True)
    assert sympy.simplify(to_sympy(d) - sympy.diff(sx**sx, sx)) == 0
    assert math.isclose(evaluate(d, {x: 2.0}), 4 * (math.log(2) + 1))


def test_gradient_of_the_norm_and_its_kink_at_zero():
    x1, x2 = symbols("x1 x2")
    norm = sqrt(x1**2 + x2**2)
    g = grad(norm, [x1, x2])
    np.testing.assert_allclose(evaluate(list(g), {x1: 3.0, x2: 4.0}), [0.6, 0.8])
    at_zero = evaluate(list(g), {x1: 0.0, x2: 0.0})
    assert all(np.isnan(v) for v in at_zero)  # 0/0: the norm is not differentiable


def test_derivative_of_an_inverse_function():
    # (f^-1)'(y) = 1 / f'(f^-1(y)) for f = exp, f^-1 = log
    assert evaluate(diff(log(y), y), {y: 5.0}) == pytest.approx(
        1 / evaluate(diff(exp(x), x), {x: math.log(5.0)})
    )


def test_multivariate_chain_rule():
    t = Symbol("t")
    u, v = sin(t), t**2
    f = u * v  # df/dt = df/du du/dt + df/dv dv/dt
    expected = v * diff(u, t) + u * diff(v, t)
    assert evaluate(diff(f, t), {t: 0.8}) == pytest.approx(evaluate(expected, {t: 0.8}))


def test_documented_choices_at_nonsmooth_points():
    assert evaluate(diff(abs(x), x), {x: 0.0}) == 0  # abs'(0) = 0
    assert evaluate(diff(relu(x), x), {x: 0.0}) == 0  # relu'(0) = 0
    assert evaluate(diff(relu(x), x), {x: 1e-300}) == 1
    g = grad(maximum(x, y), [x, y])
    assert evaluate(list(g), {x: 1.0, y: 1.0}) == [0.5, 0.5]  # a tie splits evenly
    assert evaluate(list(g), {x: 2.0, y: 1.0}) == [1.0, 0.0]


def test_higher_derivatives():
    assert str(diff(x**3, x, 2)) == "6*x"
    assert diff(x**3, x, 4) is const(0)
    assert diff(sin(x), x, 4) is sin(x)
    assert diff(x, x, 0) is x
    with pytest.raises(ValueError, match="non-negative integer"):
        diff(x, x, -1)


def test_jacobian_and_hessian():
    J = jacobian([x * y, x + y, sin(x)], [x, y])
    assert [[str(e) for e in row] for row in J] == [
        ["y", "x"],
        ["1", "1"],
        ["cos(x)", "0"],
    ]
    H = hessian(x**2 * y + y**3, [x, y])
    assert [[str(e) for e in row] for row in H] == [["2*y", "2*x"], ["2*x", "6*y"]]
    assert H[0][1] is H[1][0]  # symmetric entries are one node


def test_results_share_nodes_with_the_input():
    f = exp(sin(x) * y)
    gx, gy = grad(f, [x, y])
    f_nodes = set(topo_order(f))
    assert f in set(topo_order(gx)) and f in set(topo_order(gy))
    shared = set(topo_order(gx)) & set(topo_order(gy))
    assert f_nodes <= set(topo_order(gx, gy))
    assert len(shared) > 2


def test_wrt_must_be_symbols_and_grad_needs_a_scalar():
    with pytest.raises(TypeError, match="Symbols"):
        grad(x * y, x + y)
    v = Symbol("v", shape=(3,))
    with pytest.raises(ValueError, match=r"scalar expression, got shape \(3,\)"):
        grad(v * 2, v)
    with pytest.raises(ValueError, match="use grad or jacobian"):
        diff(x, v)


def test_nested_sin_is_linear_in_depth():
    e = x
    for _ in range(1000):
        e = sin(e)
    d = diff(e, x)
    g = grad(e, x)
    assert count_nodes(d) - count_nodes(e) <= 10 * 1000
    assert count_nodes(g) - count_nodes(e) <= 10 * 1000
    # and it is right: compare with the chain rule evaluated numerically
    v, dv = 0.3, 1.0
    for _ in range(1000):
        v, dv = math.sin(v), dv * math.cos(v)
    assert evaluate(d, {x: 0.3}) == pytest.approx(dv, rel=1e-12)
    assert evaluate(g, {x: 0.3}) == pytest.approx(dv, rel=1e-12)


def test_rosenbrock_gradient_size_is_linear():
    sizes = []
    for n in (50, 100, 200):
        xs = symbols(" ".join(f"x{i}" for i in range(n)))
        f = sum(
            100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)
        )
        sizes.append(count_nodes(f, *grad(f, xs)))
    per = [s / n for s, n in zip(sizes, (50, 100, 200), strict=True)]
    assert max(per) - min(per) < 1.0, sizes
    assert max(per) < 30
