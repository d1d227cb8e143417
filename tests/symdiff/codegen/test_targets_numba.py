"""The numba target: compiled loops and the one-point entry against ``evaluate``.

Compile time counts: every test compiles few, small functions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    Symbol,
    apply,
    erf,
    evaluate,
    export_module,
    grad,
    heaviside,
    lambdify,
    sin,
    symbols,
)
from symdiff.strategies import expressions

pytest.importorskip("numba", reason="the numba extra")

x, y = symbols("x y")
A = Symbol("A", shape=(3,))


@settings(max_examples=4)
@given(
    st.lists(expressions([x, y], max_leaves=8, smooth=False), min_size=1, max_size=4)
)
def test_random_expressions_match_evaluate_pointwise_and_batched(exprs):
    f = lambdify([x, y], exprs, backend="numba")
    pts = np.random.default_rng(0).uniform(-2, 2, size=(2, 6))
    got = f(pts[0], pts[1])
    one = f(float(pts[0, 0]), float(pts[1, 0]))
    with np.errstate(all="ignore"):
        for k, e in enumerate(exprs):
            ref = evaluate(e, {x: pts[0], y: pts[1]}) * np.ones(6)
            np.testing.assert_allclose(got[k], ref, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(one[k], ref[0], rtol=1e-9, atol=1e-12)


def test_tensor_symbols_reductions_and_structure():
    T = pytest.importorskip("symdiff.constructors.tensor")
    f = T.sum(A * x) * sin(y) + apply("max", A, axis=None) + heaviside(x) + erf(y)
    outs = {"f": f, "grad": grad(f, [x, A]), "c": T.cumsum(A, axis=0)[1:]}
    fn = lambdify([x, y, A], outs, backend="numba")
    rng = np.random.default_rng(2)
    vx, vA = rng.normal(size=4), rng.normal(size=(4, 3))
    got = fn(vx, 0.3, vA)
    assert got["grad"][1].shape == (4, 3)
    for i in range(4):
        env = {x: vx[i], y: 0.3, A: vA[i]}
        np.testing.assert_allclose(got["f"][i], evaluate(f, env), rtol=1e-12)
        for g, r in zip(got["grad"], grad(f, [x, A]), strict=True):
            np.testing.assert_allclose(g[i], evaluate(r, env), rtol=1e-12)
        np.testing.assert_allclose(got["c"][i], evaluate(outs["c"], env), rtol=1e-12)


def test_point_entry_is_a_flat_tuple_and_the_parallel_loop_agrees():
    from symdiff.codegen.targets import numba_kernels

    g = grad(x**2 * sin(y), [x, y])
    fn = lambdify([x, y], g, backend="numba")
    assert fn.point(2.0, 0.5) == pytest.approx((4 * np.sin(0.5), 4 * np.cos(0.5)))
    np.testing.assert_allclose(fn.packed(np.array([2.0, 0.5])), fn.point(2.0, 0.5))
    pts = np.linspace(-1, 1, numba_kernels.PARALLEL_MIN)
    par = fn(pts, 0.5)
    ser = fn(pts[:-1], 0.5)
    np.testing.assert_allclose(par[0][:-1], ser[0], rtol=0, atol=0)
    np.testing.assert_allclose(par[1], pts**2 * np.cos(0.5), rtol=1e-15)


def test_wrong_shapes_and_unsupported_ops_are_clear_errors():
    T = pytest.importorskip("symdiff.constructors.tensor")
    fn = lambdify([A], T.sum(A), backend="numba")
    with pytest.raises(ValueError, match=r"argument A must have shape \(3,\)"):
        fn(np.ones(4))
    B = Symbol("B", shape=(2, 2))
    with pytest.raises(NotImplementedError, match="'det'"):
        lambdify([B], T.det(B), backend="numba")
    with pytest.raises(ValueError, match="float32 or float64"):
        lambdify([x], x, backend="numba", dtype="complex128")


def test_exported_module_caches_on_disk_and_runs(tmp_path, monkeypatch):
    src = export_module({"g": grad(x**2 * sin(y), [x, y])}, [x, y], target="numba")
    assert "_CACHE = True" in src
    path = tmp_path / "gen_numba.py"
    path.write_text(src)
    monkeypatch.syspath_prepend(str(tmp_path))
    import gen_numba

    out = gen_numba.g(np.array([1.0, 2.0]), 0.5)
    np.testing.assert_allclose(out[0], 2 * np.array([1.0, 2.0]) * np.sin(0.5))
    assert gen_numba.g.point(2.0, 0.5) == pytest.approx(tuple(o[1] for o in out))
    block = gen_numba.g.packed_batch(np.array([[1.0, 0.5], [2.0, 0.5]]))
    np.testing.assert_allclose(block, np.transpose(out), rtol=1e-15)


@settings(max_examples=3, deadline=None)
@given(
    st.lists(expressions([x, y], max_leaves=8, smooth=False), min_size=1, max_size=3),
    st.integers(0, 2**32 - 1),
)
def test_packed_batch_rows_match_evaluate(exprs, seed):
    T = pytest.importorskip("symdiff.constructors.tensor")
    outs = [*exprs, T.sum(A * x), A * y]  # a tensor argument and a tensor output
    f = lambdify([x, A, y], outs, backend="numba")
    X = np.random.default_rng(seed).uniform(-2, 2, size=(5, 5))  # x, A[0:3], y
    got = f.packed_batch(X)
    assert got.shape == (5, len(exprs) + 1 + 3)
    with np.errstate(all="ignore"):
        for i, row in enumerate(X):
            env = {x: row[0], A: row[1:4], y: row[4]}
            ref = np.concatenate([np.ravel(evaluate(e, env)) for e in outs])
            np.testing.assert_allclose(got[i], ref, rtol=1e-9, atol=1e-12)
    out = np.empty_like(got)
    assert f.packed_batch(X, out=out) is out
    np.testing.assert_array_equal(out, got)


def test_packed_batch_keeps_ieee_semantics_and_checks_shapes():
    from symdiff.codegen.targets import numba_kernels

    f = lambdify([x, y], [(x + y) - y, x * y / y], backend="numba")
    X = np.array([[1e-17, 1.0], [1.0, np.inf]])
    # no fastmath: (1e-17 + 1) - 1 rounds to 0 (reassociated it would be 1e-17), and
    # inf / inf is nan (an algebraic x*y/y -> x would give 1)
    np.testing.assert_array_equal(f.packed_batch(X), [[0.0, 1e-17], [np.nan, np.nan]])
    assert "fastmath" not in f.source
    # the parallel block loop from PARALLEL_MIN rows on gives the serial one's bits
    big = np.random.default_rng(3).uniform(-1, 1, (numba_kernels.PARALLEL_MIN, 2))
    np.testing.assert_array_equal(f.packed_batch(big)[:-1], f.packed_batch(big[:-1]))
    with pytest.raises(ValueError, match=r"shape \(points, 2\).*got shape \(3,\)"):
        f.packed_batch(np.ones(3))
    with pytest.raises(ValueError, match=r"out must .* \(2, 2\), got \(2, 3\)"):
        f.packed_batch(X, out=np.empty((2, 3)))
