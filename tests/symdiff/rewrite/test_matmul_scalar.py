"""canonicalize: a scalar factor moves out of a matmul operand."""

import numpy as np

import symdiff as sd
from symdiff.core.traverse import topo_order


def _scalar_operands(e):
    """matmul nodes with an operand that is a product holding a scalar factor."""
    bad = []
    for node in topo_order(e):
        if node.op != "matmul":
            continue
        for a in node.args:
            if a.op == "mul" and any(not f.shape for f in a.args):
                bad.append(node)
    return bad


def test_scalar_left_and_right_moves_out():
    A = sd.Symbol("A", shape=(3, 4))
    B = sd.Symbol("B", shape=(4, 2))
    c = sd.Symbol("c")
    rng = np.random.default_rng(0)
    env = {"A": rng.normal(size=(3, 4)), "B": rng.normal(size=(4, 2)), "c": 0.7}
    for e in ((c * A) @ B, A @ (B * c), (A * c) @ (c * B), (2 * A) @ B):
        assert e.op == "mul" and not _scalar_operands(e)
    for e, want in (
        ((c * A) @ B, 0.7 * env["A"] @ env["B"]),
        (A @ (B * c), env["A"] @ env["B"] * 0.7),
        ((A * c) @ (c * B), 0.49 * env["A"] @ env["B"]),
    ):
        np.testing.assert_allclose(sd.evaluate(e, env), want, rtol=1e-12)


def test_nested_product_logistic_hessian():
    """(1/n * X.T * s) @ X: the 1/n scales the (d, d) result, not the (d, n) data."""
    X = sd.Symbol("X", shape=("n", 5))
    w = sd.Symbol("w", shape=(5,))
    y = sd.Symbol("y", shape=("n",))
    z = X @ w
    loss = sd.sum(sd.softplus(z) - y * z) / sd.dim("n")
    ((h,),) = sd.hessian(loss, [w])
    assert not _scalar_operands(h)
    rng = np.random.default_rng(1)
    Xv, wv = rng.normal(size=(40, 5)), rng.normal(size=5)
    yv = (rng.random(40) < 0.5).astype(float)
    p = 1.0 / (1.0 + np.exp(-(Xv @ wv)))
    want = Xv.T @ (Xv * (p * (1 - p))[:, None]) / 40
    got = sd.lambdify([w, X, y], h)(wv, Xv, yv)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)
