"""Matrix calculus: the d2l gradient identities, closed forms, jvp/vjp/hvp, and shapes.

Identities are checked symbolically (the derivative, after ``simplify``, *is* the
closed form's node) and numerically (random values against numpy formulas and finite
differences).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    ShapeError,
    Symbol,
    concatenate,
    const,
    count_nodes,
    cumsum,
    det,
    diag,
    dot,
    evaluate,
    exp,
    export_module,
    grad,
    hessian,
    hvp,
    inv,
    jacobian,
    jvp,
    lambdify,
    log,
    logdet,
    norm,
    sigmoid,
    simplify,
    sin,
    softplus,
    solve,
    sum,
    tanh,
    trace,
    vjp,
)
from symdiff.core.expr import apply
from symdiff.core.traverse import topo_order
from symdiff.ops import OPS, defop
from symdiff.ops.util import is_identity

n_st = st.integers(1, 5)
seeds = st.integers(0, 2**32 - 1)


def _vars(n, m=None):
    m = n if m is None else m
    return Symbol("x", shape=(n,)), Symbol("A", shape=(m, n))


# -- the d2l identities (symbolically) -------------------------------------------------


@given(n_st, n_st)
def test_jacobian_of_A_x_is_A_and_of_x_A_is_A_T(n, m):
    x, A = _vars(n, m)
    assert jacobian(A @ x, x) is A  # d2l: grad_x Ax = A^T in its (transposed) layout
    y = Symbol("y", shape=(m,))
    assert jacobian(y @ A, y) is A.T  # d2l: grad_x x^T A = A


@given(n_st)
def test_gradient_and_hessian_of_x_A_x(n):
    x, A = _vars(n)
    f = x @ A @ x
    assert simplify(grad(f, x)) is simplify((A + A.T) @ x)
    assert hessian(f, x) is A + A.T  # the closed form, without simplify
    assert simplify(hessian(f, x)) is A.T + A


@given(n_st, n_st)
def test_norm_identities(n, m):
    x = Symbol("x", shape=(n,))
    X = Symbol("X", shape=(m, n))
    assert simplify(grad(norm(x) ** 2, x)) is 2 * x
    assert simplify(grad(norm(X) ** 2, X)) is 2 * X  # Frobenius
    assert simplify(grad(norm(X, "fro") ** 2, X)) is 2 * X
    assert grad(2 * dot(x, x), x) is 4 * x


def test_d2l_autograd_example_values():
    x = Symbol("x", shape=(4,))
    y = 2 * dot(x, x)
    at = {x: np.arange(4.0)}
    assert float(evaluate(y, at)) == 28.0
    np.testing.assert_array_equal(evaluate(grad(y, x), at), [0.0, 4.0, 8.0, 12.0])
    np.testing.assert_array_equal(evaluate(grad(sum(x), x), at), [1.0, 1.0, 1.0, 1.0])


@given(n_st)
def test_logdet_det_inv_closed_forms(n):
    X = Symbol("X", shape=(n, n))
    assert grad(logdet(X), X) is inv(X).T
    assert simplify(grad(det(X), X)) is simplify(det(X) * inv(X).T)
    assert is_identity(grad(trace(X), X))
    b = Symbol("b", shape=(n,))
    ones = apply("broadcast_to", 1, shape=(n,))
    assert grad(sum(solve(X, b)), b) is solve(X.T, ones)


def test_identities_hold_numerically():
    rng = np.random.default_rng(0)
    n, m = 4, 3
    x, A = Symbol("x", shape=(n,)), Symbol("A", shape=(m, n))
    S = Symbol("S", shape=(n, n))
    X = Symbol("X", shape=(n, n))
    xv, Av, Sv = rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=(n, n))
    Xv = np.eye(n) + 0.2 * rng.normal(size=(n, n))
    env = {x: xv, A: Av, S: Sv, X: Xv}
    np.testing.assert_allclose(evaluate(jacobian(A @ x, x), env), Av)
    np.testing.assert_allclose(evaluate(grad(x @ S @ x, x), env), (Sv + Sv.T) @ xv)
    np.testing.assert_allclose(evaluate(hessian(x @ S @ x, x), env), Sv + Sv.T)
    np.testing.assert_allclose(evaluate(grad(norm(x) ** 2, x), env), 2 * xv)
    np.testing.assert_allclose(evaluate(grad(norm(A) ** 2, A), env), 2 * Av)
    np.testing.assert_allclose(evaluate(grad(logdet(X), X), env), np.linalg.inv(Xv).T)
    np.testing.assert_allclose(
        evaluate(grad(det(X), X), env),
        np.linalg.det(Xv) * np.linalg.inv(Xv).T,
    )
    np.testing.assert_allclose(evaluate(grad(trace(S), S), env), np.eye(n))


def test_gradient_of_a_sum_of_norms_is_not_zero():
    """SymPy's matrix calculus returns 0 here; ours matches finite differences."""
    x, y = Symbol("x", shape=(3,)), Symbol("y", shape=(3,))
    f = norm(x) + norm(x - y, ord=1) + norm(x - 2 * y, ord=3)
    rng = np.random.default_rng(1)
    xv, yv = rng.normal(size=3), rng.normal(size=3)
    g = evaluate(grad(f, x), {x: xv, y: yv})
    h = 1e-6
    fd = [
        (evaluate(f, {x: xv + h * e, y: yv}) - evaluate(f, {x: xv - h * e, y: yv}))
        / (2 * h)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    assert np.all(np.abs(g) > 0)


# -- shapes of derivatives -------------------------------------------------------------


def test_derivative_shapes():
    x, A = Symbol("x", shape=(3,)), Symbol("A", shape=(2, 3))
    T = Symbol("T", shape=(2, 3, 4))
    f = sum(sin(A @ x)) + sum(T**2)
    assert grad(f, A).shape == (2, 3)
    assert grad(f, T).shape == (2, 3, 4)
    assert jacobian(A @ x, x).shape == (2, 3)
    assert jacobian(sin(A), A).shape == (2, 3, 2, 3)
    jx, jA = jacobian(A @ x, [x, A])
    assert (jx.shape, jA.shape) == ((2, 3), (2, 2, 3))
    assert hessian(f, x).shape == (3, 3)
    assert hessian(f, T).shape == (2, 3, 4, 2, 3, 4)
    rows = hessian(f, [x, A])
    assert [[b.shape for b in row] for row in rows] == [
        [(3, 3), (3, 2, 3)],
        [(2, 3, 3), (2, 3, 2, 3)],
    ]
    # a list of outputs keeps the tuple-of-rows form, tensor entries included
    rows = jacobian([sum(x), A @ x], [x])
    assert [[b.shape for b in row] for row in rows] == [[(3,)], [(2, 3)]]


def test_jacobian_of_a_tensor_output_is_one_pass():
    """The Jacobian is built by one reverse pass (identity seed), not per output."""
    n = 200
    x = Symbol("x", shape=(n,))
    J = jacobian(sin(x) * cumsum(x), x)
    assert J.shape == (n, n)
    assert count_nodes(J) < 40  # per-row construction would need thousands of nodes
    rng = np.random.default_rng(2)
    xv = rng.normal(size=n)
    expect = np.diag(np.cos(xv) * np.cumsum(xv)) + np.sin(xv)[:, None] * np.tri(n)
    np.testing.assert_allclose(evaluate(J, {x: xv}), expect, atol=1e-12)


@settings(max_examples=10)
@given(n_st, seeds)
def test_logistic_regression_gradient_and_hessian(n, seed):
    rng = np.random.default_rng(seed)
    m = 7
    X, y = rng.normal(size=(m, n)), rng.integers(0, 2, size=m).astype(float)
    w = Symbol("w", shape=(n,))
    z = const(X) @ w
    nll = sum(softplus(z) - const(y) * z)
    wv = rng.normal(size=n)
    s = 1 / (1 + np.exp(-X @ wv))
    np.testing.assert_allclose(evaluate(grad(nll, w), {w: wv}), X.T @ (s - y))
    np.testing.assert_allclose(
        evaluate(hessian(nll, w), {w: wv}), X.T @ np.diag(s * (1 - s)) @ X
    )


# -- jvp, vjp, hvp ---------------------------------------------------------------------


@settings(max_examples=15)
@given(n_st, seeds)
def test_jvp_vjp_hvp_against_the_full_matrices(n, seed):
    rng = np.random.default_rng(seed)
    x, A = _vars(n)
    y = tanh(A @ x) * exp(x / 3)
    f = sum(log(1 + y**2))
    v, u = Symbol("v", shape=(n,)), Symbol("u", shape=(n,))
    env = {x: rng.normal(size=n), A: rng.normal(size=(n, n))}
    env[v], env[u] = rng.normal(size=n), rng.normal(size=n)
    J = evaluate(jacobian(y, x), env)
    np.testing.assert_allclose(evaluate(jvp(y, x, v), env), J @ env[v], atol=1e-12)
    np.testing.assert_allclose(evaluate(vjp(y, x, u), env), env[u] @ J, atol=1e-12)
    Hm = evaluate(hessian(f, x), env)
    np.testing.assert_allclose(evaluate(hvp(f, x, v), env), Hm @ env[v], atol=1e-10)
    np.testing.assert_allclose(Hm, Hm.T, atol=1e-10)


def test_jvp_vjp_hvp_with_several_symbols_and_numeric_directions():
    x, A = _vars(3)
    f = sum(sin(A @ x))
    dx, dA = np.ones(3), np.full((3, 3), 0.5)
    t = jvp(A @ x, [x, A], [dx, dA])
    env = {x: np.arange(3.0), A: np.eye(3)}
    np.testing.assert_allclose(evaluate(t, env), np.eye(3) @ dx + dA @ np.arange(3.0))
    gx, gA = vjp(A @ x, [x, A], np.ones(3))
    assert (gx.shape, gA.shape) == ((3,), (3, 3))
    hx, hA = hvp(f, [x, A], [dx, dA])
    assert (hx.shape, hA.shape) == ((3,), (3, 3))


def test_hvp_does_not_form_the_hessian():
    n = 50
    x = Symbol("x", shape=(n,))
    v = Symbol("v", shape=(n,))
    f = sum(sin(x) * cumsum(x)) + norm(x) ** 3
    out = hvp(f, x, v)
    assert all(node.shape in ((), (n,)) for node in topo_order(out))
    rng = np.random.default_rng(3)
    env = {x: rng.normal(size=n), v: rng.normal(size=n)}
    np.testing.assert_allclose(
        evaluate(out, env), evaluate(hessian(f, x), env) @ env[v], atol=1e-10
    )


def test_direction_errors():
    x = Symbol("x", shape=(3,))
    with pytest.raises(ShapeError, match=r"jvp: .*shape \(2,\).*shape \(3,\)"):
        jvp(sin(x), x, np.ones(2))
    with pytest.raises(ValueError, match="2 direction"):
        jvp(sin(x), [x], [np.ones(3), np.ones(3)])
    with pytest.raises(ShapeError, match="vjp: the cotangent has shape"):
        vjp(sin(x), x, np.ones(4))
    with pytest.raises(ValueError, match="grad needs a scalar"):
        grad(sin(x), x)


# -- never a silent zero ---------------------------------------------------------------


@pytest.fixture
def op_without_derivative():
    name = "_test_no_derivative"
    defop(name, 1, lambda node, v: v, doc="an op without a derivative rule")
    yield name
    del OPS[name]


def test_missing_derivative_raises_not_a_silent_zero(op_without_derivative):
    x = Symbol("x", shape=(3,))
    f = sum(apply(op_without_derivative, x))
    for build in (
        lambda: grad(f, x),
        lambda: jacobian(apply(op_without_derivative, x), x),
        lambda: jvp(f, x, np.ones(3)),
        lambda: hvp(sum(x**2) + f, x, np.ones(3)),
    ):
        with pytest.raises(NotImplementedError, match=op_without_derivative):
            build()


# -- compiled code, batched ------------------------------------------------------------


def test_lambdify_batches_tensor_expressions():
    rng = np.random.default_rng(4)
    n, B = 5, 7
    Av = rng.normal(size=(n, n))
    x = Symbol("x", shape=(n,))
    f = lambdify([x], x @ const(Av) @ x)
    xs = rng.normal(size=(B, n))
    out = f(xs)
    assert out.shape == (B,)
    np.testing.assert_allclose(out, np.einsum("bi,ij,bj->b", xs, Av, xs))
    A = Symbol("A", shape=(n, n))
    g = lambdify([x, A], [grad(x @ A @ x, x), hessian(x @ A @ x, x)])
    gx, hx = g(xs, Av)
    np.testing.assert_allclose(gx, xs @ (Av + Av.T))
    np.testing.assert_allclose(hx, np.broadcast_to(Av + Av.T, (B, n, n)))
    # a batch of matrices too
    As = rng.normal(size=(B, n, n)) + 3 * np.eye(n)
    h = lambdify([A], [logdet(A), grad(logdet(A), A)])
    ld, gl = h(As)
    np.testing.assert_allclose(ld, np.linalg.slogdet(As)[1])
    np.testing.assert_allclose(gl, np.swapaxes(np.linalg.inv(As), -1, -2))


def test_export_module_with_tensor_ops():
    x, A = _vars(3)
    W = Symbol("W", shape=(2, 3))
    loss = sum(sigmoid(W @ tanh(A @ x)))
    src = export_module({"loss": loss, "grads": grad(loss, [W, A])}, [x, A, W])
    ns = {}
    exec(compile(src, "<tensor-export>", "exec"), ns)
    rng = np.random.default_rng(5)
    vals = [rng.normal(size=s.shape) for s in (x, A, W)]
    env = dict(zip((x, A, W), vals, strict=True))
    np.testing.assert_allclose(ns["loss"](*vals), evaluate(loss, env))
    for got, g in zip(ns["grads"](*vals), grad(loss, [W, A]), strict=True):
        np.testing.assert_allclose(got, evaluate(g, env))


# -- deep chains (no recursion anywhere) -----------------------------------------------


def test_a_deep_chain_of_tensor_ops():
    depth = 10_000  # ten times Python's recursion limit
    c, s = np.cos(0.3), np.sin(0.3)
    R = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    x = Symbol("x", shape=(3,))
    y = x
    ref = np.eye(3)  # row i follows the basis vector e_i through the same steps
    for i in range(depth):
        step = i % 3
        if step == 0:
            y, ref = const(R) @ y, ref @ R.T
        elif step == 1:
            y, ref = y[::-1], ref[:, ::-1]
        else:
            y, ref = concatenate([y[1:], y[:1]]), np.roll(ref, -1, axis=1)
    g = grad(sum(y), x)
    np.testing.assert_allclose(evaluate(g, {x: np.zeros(3)}), ref.sum(axis=1))
    J = jacobian(y, x)
    np.testing.assert_allclose(evaluate(J, {x: np.zeros(3)}), ref.T, atol=1e-9)
    H = hessian(sum(y * y), x)  # y is orthogonal in x: the Hessian is 2 I
    np.testing.assert_allclose(evaluate(H, {x: np.zeros(3)}), 2 * np.eye(3), atol=1e-9)


def test_lambdify_keeps_float32_through_tensor_ops():
    x, A = _vars(3)
    outs = [
        diag(x),
        apply("unslice", x, axis=-1, start=1, stop=4, step=1, size=5),
        concatenate([x, 2 * x]),
        grad(x @ A @ x + norm(x[::-1]) * trace(A), [x, A]),
        inv(A) @ x,
        solve(A, x),
        logdet(A),
        cumsum(x),
    ]
    f = lambdify([x, A], outs, dtype="float32")
    got = f(np.ones((2, 3)), np.eye(3) + 0.1)
    stack = [got]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        else:
            assert item.dtype == np.float32
