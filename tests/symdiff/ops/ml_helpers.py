"""Checks the ML op tests share: gradients against central differences (by hand, in
numpy) and forward mode against reverse mode."""

import numpy as np

from symdiff import Symbol, evaluate, grad, jvp, lambdify, sum


def weighted(e, seed=0):
    """A scalar sum(W * e) with fixed random weights W: its gradient is the vjp of e
    with cotangent W, which tests every output entry's derivative at once."""
    if not e.shape:
        return e
    w = np.random.default_rng(seed).normal(size=e.shape)
    return sum(e * w)


def fd_grad(f, v, h=1e-6):
    """Central differences of the scalar function f at the array v (step h)."""
    v = np.array(v, dtype=float)
    out = np.zeros_like(v)
    for i in np.ndindex(v.shape):
        hi, lo = v.copy(), v.copy()
        hi[i] += h
        lo[i] -= h
        out[i] = (f(hi) - f(lo)) / (2 * h)
    return out


def check_derivatives(e, sym, value, others=None, rtol=1e-6, atol=1e-7):
    """grad of sum(W * e) wrt sym equals central differences; jvp equals grad . v;
    the lambdified gradient equals the evaluated one."""
    others = others or {}
    loss = weighted(e)
    g = grad(loss, sym)
    got = evaluate(g, {sym: value, **others})
    want = fd_grad(lambda v: float(evaluate(loss, {sym: v, **others})), value)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
    direction = np.random.default_rng(1).normal(size=np.shape(value))
    fwd = evaluate(
        jvp(loss, sym, Symbol("_dir", shape=sym.shape)),
        {sym: value, Symbol("_dir", shape=sym.shape): direction, **others},
    )
    np.testing.assert_allclose(fwd, np.sum(got * direction), rtol=1e-9, atol=1e-10)
    syms = [sym, *others]
    compiled = lambdify(syms, g)(value, *others.values())
    np.testing.assert_allclose(compiled, got, rtol=1e-12, atol=1e-14)
    return got


# the tensor ops of issue 12 whose cases live in test_ml_ops.py and its neighbours
# (test_tensor_ops.py checks that every tensor op has a case somewhere)
ML_OPS_COVERED = {
    "logsumexp",
    "softmax",
    "log_softmax",
    "take_along_axis",
    "scatter_add",
    "einsum",
    "tril",
    "triu",
    "flip",
    "cholesky",
}
