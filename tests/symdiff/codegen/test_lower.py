"""Lowering before code generation (symdiff.codegen.lower): each rule keeps the value,
shares the work it promises, and the pass is iterative."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    Symbol,
    evaluate,
    grad,
    heaviside,
    hessian,
    lambdify,
    mean,
    relu,
    sigmoid,
    softplus,
)
from symdiff.codegen.lower import lower_for_code
from symdiff.core.expr import apply
from symdiff.core.traverse import topo_order

scipy_special = pytest.importorskip("scipy.special")

x = Symbol("x")
v = Symbol("v", shape=(4,))
X = Symbol("X", shape=("n", 3))
w = Symbol("w", shape=(3,))
y = Symbol("y", shape=("n",))

floats = st.floats(-1000.0, 1000.0, allow_nan=False)


def _lowered(*exprs):
    return lower_for_code(topo_order(*exprs), list(exprs))


def _ops(*exprs):
    return [node.op for node in topo_order(*exprs)]


@settings(max_examples=60, deadline=None)
@given(st.lists(floats, min_size=1, max_size=8))
def test_sigmoid_softplus_and_their_derivative_product_match_scipy(values):
    z = np.array(values)
    s = sigmoid(x)
    f = lambdify([x], (s, softplus(x), s * (1 - s)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow anywhere, e.g. at -800
        got = f(z)
    p = scipy_special.expit(z)
    want = (p, np.logaddexp(0.0, z), p * scipy_special.expit(-z))
    for g, ref in zip(got, want, strict=True):
        np.testing.assert_allclose(g, ref, rtol=1e-13, atol=1e-300)


def test_logistic_loss_and_gradient_compute_one_exponential():
    z = X @ w
    loss = mean(softplus(z) - y * z)
    f = lambdify([w, X, y], (loss, grad(loss, [w])[0]))
    assert f.source.count("np.exp(") == 1
    rng = np.random.default_rng(3)
    Xv, wv = rng.normal(size=(50, 3)), rng.normal(size=3)
    yv = (rng.random(50) < 0.5).astype(float)
    loss_v, g_v = f(wv, Xv, yv)
    zv = Xv @ wv
    np.testing.assert_allclose(loss_v, np.mean(np.logaddexp(0, zv) - yv * zv))
    np.testing.assert_allclose(g_v, (scipy_special.expit(zv) - yv) @ Xv / 50)


def test_logistic_hessian_scales_the_data_in_its_own_layout():
    z = X @ w
    ((h,),) = hessian(mean(softplus(z) - y * z), [w])
    f = lambdify([w, X, y], h)
    assert "np.expand_dims" not in f.source  # no broadcast against X's transpose
    rng = np.random.default_rng(4)
    Xv, wv, yv = rng.normal(size=(40, 3)), rng.normal(size=3), np.zeros(40)
    p = scipy_special.expit(Xv @ wv)
    np.testing.assert_allclose(f(wv, Xv, yv), Xv.T @ (Xv * (p * (1 - p))[:, None]) / 40)


def test_relu_and_its_derivative_share_the_maximum():
    (lowered,) = _lowered(relu(v) + heaviside(v) * v)
    assert _ops(lowered).count("maximum") == 1
    assert "relu" not in _ops(lowered) and "heaviside" not in _ops(lowered)


def test_a_common_scalar_factor_leaves_a_sum_and_a_difference():
    c = Symbol("c")
    u = Symbol("u", shape=(4,))
    (d,) = _lowered(c * v - c * u)
    assert d.op == "mul" and c in d.args
    assert [a.op for a in d.args if a is not c] == ["sub"]
    (s,) = _lowered((c * v).sum())
    assert s.op == "mul" and c in s.args
    assert [a.op for a in s.args if a is not c] == ["sum"]


def test_nothing_to_lower_returns_the_same_leaves():
    leaves = [apply("sin", v), x * x]
    assert lower_for_code(topo_order(*leaves), leaves) is leaves


@settings(max_examples=40, deadline=None)
@given(
    st.lists(floats, min_size=4, max_size=4),
    st.lists(floats, min_size=4, max_size=4),
    st.floats(-3, 3),
)
def test_lowered_code_equals_evaluate(a, b, c):
    s = Symbol("s")
    u = Symbol("u", shape=(4,))
    exprs = (
        s * sigmoid(v) - s * u,
        (s * relu(v) * u).sum(),
        softplus(v) + sigmoid(u) * (1 - sigmoid(u)),
        heaviside(v) * u,
    )
    f = lambdify([s, v, u], exprs)
    env = {s: c, v: np.array(a) / 100, u: np.array(b) / 100}
    for got, e in zip(f(*env.values()), exprs, strict=True):
        np.testing.assert_allclose(got, evaluate(e, env), rtol=1e-12, atol=1e-12)


def test_lowering_a_100000_deep_chain():
    z = x
    for i in range(100_000):
        z = sigmoid(z) if i % 1000 == 0 else z + 1
    f = lambdify([x], z)
    assert np.isclose(f(0.5), evaluate(z, {x: 0.5}))
