"""take_along_axis (gather) and scatter_add: values vs numpy, the adjoint vs np.add.at
and central differences, generated code == evaluate, cross-entropy vs torch."""

import numpy as np
import pytest
from ml_helpers import check_derivatives

from symdiff import (
    ShapeError,
    Symbol,
    evaluate,
    grad,
    hessian,
    lambdify,
    log_softmax,
    parse,
    sum,
    take_along_axis,
    to_str,
)
from symdiff.core.expr import apply

RNG = np.random.default_rng(3)
X = Symbol("X", shape=(5, 4))
I = Symbol("I", shape=(5, 6))  # numpy's form: 6 picks per row, repeats included
y = Symbol("y", shape=(5,))
c = Symbol("c", shape=(4,))  # the pick form along axis 0: one row per column


def _data():
    xv = RNG.normal(size=(5, 4))
    iv = RNG.integers(0, 4, size=(5, 6)).astype(float)
    yv = RNG.integers(0, 4, size=5).astype(float)
    cv = RNG.integers(0, 5, size=4).astype(float)
    return {X: xv, I: iv, y: yv, c: cv}


CASES = [
    (
        take_along_axis(X, I, axis=1),
        lambda d: np.take_along_axis(d[X], d[I].astype(int), 1),
    ),
    (take_along_axis(X, y, axis=1), lambda d: d[X][np.arange(5), d[y].astype(int)]),
    (take_along_axis(X, c, axis=0), lambda d: d[X][d[c].astype(int), np.arange(4)]),
    (
        take_along_axis(X, np.array([[0], [3], [3], [1], [2]]), axis=1),
        lambda d: d[X][np.arange(5), [0, 3, 3, 1, 2]][:, None],
    ),
]


@pytest.mark.parametrize("k", range(len(CASES)))
def test_values_derivatives_and_code(k):
    e, ref = CASES[k]
    d = _data()
    at = {s: d[s] for s in e.free_symbols}
    np.testing.assert_array_equal(evaluate(e, at), ref(d))
    syms = sorted(e.free_symbols, key=lambda s: s.name)
    np.testing.assert_array_equal(lambdify(syms, e)(*[at[s] for s in syms]), ref(d))
    others = {s: v for s, v in at.items() if s is not X}
    check_derivatives(e, X, d[X], others)
    assert parse(to_str(e), {s.name: s for s in e.free_symbols}) is e


def test_adjoint_is_np_add_at_with_repeats_and_batches():
    d = _data()
    g = Symbol("g", shape=(5, 6))
    adj = apply("scatter_add", g, I, axis=1, shape=(5, 4))
    gv = RNG.normal(size=(3, 5, 6))  # a batch of three cotangents
    want = np.zeros((3, 5, 4))
    for b in range(3):
        for i in range(5):
            np.add.at(want[b, i], d[I][i].astype(int), gv[b, i])
    np.testing.assert_allclose(evaluate(adj, {g: gv, I: d[I]}), want, rtol=1e-14)
    np.testing.assert_allclose(lambdify([g, I], adj)(gv, d[I]), want, rtol=1e-14)
    # the adjoint of the adjoint is the gather again
    check_derivatives(adj, g, gv[0], {I: d[I]})


def test_cross_entropy_matches_torch_and_its_hessian_is_symmetric():
    torch = pytest.importorskip("torch", reason="torch cross-check (optional)")
    d = _data()
    loss = -sum(take_along_axis(log_softmax(X), y, axis=1)) / 5
    tx = torch.tensor(d[X], requires_grad=True)
    ty = torch.tensor(d[y].astype(int))
    tl = torch.nn.functional.cross_entropy(tx, ty)
    (tg,) = torch.autograd.grad(tl, tx)
    np.testing.assert_allclose(float(evaluate(loss, d)), tl.item(), rtol=1e-13)
    np.testing.assert_allclose(evaluate(grad(loss, X), d), tg.numpy(), atol=1e-15)
    h = evaluate(hessian(loss, X), d).reshape(20, 20)
    np.testing.assert_allclose(h, h.T, atol=1e-15)


def test_bad_indices_are_clear_errors():
    with pytest.raises(ShapeError, match=r"indices of shape \(3,\) do not match"):
        take_along_axis(X, Symbol("u", shape=(3,)), axis=1)
    with pytest.raises(ShapeError, match="do not match x of shape"):
        take_along_axis(X, Symbol("u", shape=(3, 2)), axis=1)
    with pytest.raises(ShapeError, match="need 2 dimensions .* or 1"):
        take_along_axis(X, Symbol("u", shape=(3, 2, 1)), axis=1)
    with pytest.raises(ValueError, match="indices must be whole numbers"):
        evaluate(
            take_along_axis(X, y, axis=1), {X: np.zeros((5, 4)), y: np.full(5, 0.5)}
        )
    with pytest.raises(ShapeError, match="axis 2 is out of range"):
        take_along_axis(X, y, axis=2)
