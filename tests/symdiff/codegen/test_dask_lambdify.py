"""Lambdified functions on chunked dask arrays, computed on a two-worker cluster.

Two routes: the array-API code (``backend="array_api"``) called on dask arrays, one dask
operation per statement; and the numpy code run blockwise (``dask.array.map_blocks``:
one task per chunk runs the whole generated function on that chunk).  Checked for both:
the result is a dask array and nothing is computed before ``.compute()`` (a counter in
the chunks' source); the values equal the reference interpreter ``evaluate`` on the
same data (random expressions too); tensor symbols with a batch dimension are chunked
along the batch axis only.
"""

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import Symbol, erf, evaluate, exp, grad, lambdify, matmul, sin, symbols
from symdiff import sum as ssum
from symdiff.strategies import expressions

da = pytest.importorskip("dask.array", reason="dask is optional (the dask extra)")
distributed = pytest.importorskip("distributed", reason="the dask extra")

x, y = symbols("x y")
w = Symbol("w", shape=(3,))


@pytest.fixture(scope="module")
def client():
    """Two single-threaded workers in this process (fast to start, no free port
    needed; the counter below sees their calls)."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


# Chunks made so far: a module-level counter, since distributed pickles the graph (a
# function of this module pickles by name, so the workers, threads of this process,
# update this very list).
MADE = [0]
MADE_LOCK = threading.Lock()


def count_and_copy(block):
    with MADE_LOCK:
        MADE[0] += 1
    return block.copy()


def counted(values, chunks):
    """``values`` as a dask array whose chunks add to ``MADE`` when they are made."""
    # meta: dask need not call count_and_copy on an empty block to learn the type
    meta = np.empty((0,) * values.ndim, dtype=values.dtype)
    return da.from_array(values, chunks=chunks).map_blocks(count_and_copy, meta=meta)


def points(n, seed):
    return np.random.default_rng(seed).uniform(-2.0, 2.0, n)


def test_a_gradient_runs_blockwise_and_stays_lazy(client):
    e = x**2 * sin(y) + sin(x * y)
    dfdx = lambdify([x, y], grad(e, [x])[0])
    xs, ys = points(100_000, 1), points(100_000, 2)
    MADE[0] = 0
    X, Y = counted(xs, 10_000), counted(ys, 10_000)
    out = da.map_blocks(dfdx, X, Y, dtype=np.float64)
    assert isinstance(out, da.Array) and out.chunks == X.chunks
    assert MADE[0] == 0  # nothing made before compute
    with distributed.get_task_stream(client) as stream:
        got = client.compute(out).result()
    assert MADE[0] == 2 * 10  # each chunk of X and Y made once
    assert len({t["worker"] for t in stream.data}) == 2
    np.testing.assert_array_equal(got, dfdx(xs, ys))  # blockwise = one call
    ref = evaluate(grad(e, [x])[0], {x: xs, y: ys})
    np.testing.assert_allclose(got, ref, rtol=1e-13, atol=1e-13)


def test_tensor_symbols_batched_along_the_chunked_axis(client):
    # f(w) = sum(sin(w) * (A w)) for a batch of w's: rows of W, chunked by rows only
    a = np.array([[1.0, 0.5, 0.0], [0.0, 2.0, -1.0], [0.3, 0.0, 1.0]])
    f = ssum(sin(w) * matmul(a, w))
    value, gradient = lambdify([w], f), lambdify([w], grad(f, [w])[0])
    ws = np.random.default_rng(3).normal(size=(4_000, 3))
    W = da.from_array(ws, chunks=(500, 3))
    g = da.map_blocks(gradient, W, dtype=np.float64)  # (batch, 3): chunks kept
    v = da.map_blocks(value, W, dtype=np.float64, drop_axis=1)  # (batch,)
    assert g.chunks == W.chunks and v.chunks == (W.chunks[0],)
    got_g, got_v = client.compute([g, v], sync=True)
    ref_g = np.array([evaluate(grad(f, [w])[0], {w: row}) for row in ws[:50]])
    np.testing.assert_allclose(got_g[:50], ref_g, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(got_g, evaluate(grad(f, [w])[0], {w: ws}), rtol=1e-13)
    ref_v = np.sum(np.sin(ws) * (ws @ a.T), axis=1)  # numpy by hand
    np.testing.assert_allclose(got_v, ref_v, rtol=1e-13, atol=1e-13)


@settings(max_examples=15, deadline=None)
@given(
    expressions([x, y], max_leaves=8),
    st.integers(1, 5),  # chunks per axis
)
def test_random_expressions_blockwise_equal_evaluate(client, e, k):
    fn = lambdify([x, y], e)
    xs, ys = points(600, 4), points(600, 5)
    X = da.from_array(xs, chunks=-(-600 // k))
    Y = da.from_array(ys, chunks=-(-600 // k))
    with np.errstate(all="ignore"):
        got = client.compute(da.map_blocks(fn, X, Y, dtype=np.float64), sync=True)
        ref = np.broadcast_to(evaluate(e, {x: xs, y: ys}), xs.shape)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12, equal_nan=True)


# -- the array-API code, called on dask arrays -----------------------------------------


@pytest.fixture(scope="module")
def array_api():
    pytest.importorskip("array_api_compat", reason="the array_api extra")


def test_array_api_code_on_dask_arrays_is_lazy_and_equals_evaluate(client, array_api):
    e = x**2 * sin(y) + erf(x * y) - exp(-y)
    outs = [e, *grad(e, [x, y]), 2.5]  # a constant output is filled out, lazily too
    fn = lambdify([x, y], outs, backend="array_api")
    xs, ys = points(50_000, 6), points(50_000, 7)
    MADE[0] = 0
    X, Y = counted(xs, 5_000), counted(ys, 5_000)
    got = fn(X, Y)
    assert all(isinstance(g, da.Array) for g in got)
    assert MADE[0] == 0  # a graph, no values yet
    with distributed.get_task_stream(client) as stream:
        values = client.compute(got, sync=True)
    assert MADE[0] == 2 * 10  # each input chunk made once for the four outputs
    assert len({t["worker"] for t in stream.data}) == 2
    ref = evaluate(outs[:-1], {x: xs, y: ys})
    for g, r in zip(values, [*ref, np.full(xs.shape, 2.5)], strict=True):
        np.testing.assert_allclose(g, r, rtol=1e-13, atol=1e-13)


def test_array_api_tensor_batches_keep_their_chunks(client, array_api):
    a = np.array([[1.0, 0.5, 0.0], [0.0, 2.0, -1.0], [0.3, 0.0, 1.0]])
    f = ssum(sin(w) * matmul(a, w))
    fn = lambdify([w], [f, grad(f, [w])[0]], backend="array_api")
    ws = np.random.default_rng(8).normal(size=(6_000, 3))
    W = da.from_array(ws, chunks=(1_500, 3))
    value, gradient = fn(W)
    assert value.chunks == (W.chunks[0],) and gradient.chunks == W.chunks
    got_v, got_g = client.compute([value, gradient], sync=True)
    np.testing.assert_allclose(
        got_v, np.sum(np.sin(ws) * (ws @ a.T), axis=1), rtol=1e-13, atol=1e-13
    )
    np.testing.assert_allclose(
        got_g, evaluate(grad(f, [w])[0], {w: ws}), rtol=1e-13, atol=1e-13
    )


@settings(max_examples=10, deadline=None)
@given(expressions([x, y], max_leaves=8), st.integers(1, 4))
def test_random_expressions_in_array_api_code_on_dask(client, array_api, e, k):
    outs = [e, *grad(e, [x, y])]
    fn = lambdify([x, y], outs, backend="array_api")
    xs, ys = points(400, 9), points(400, 10)
    X, Y = (da.from_array(v, chunks=-(-400 // k)) for v in (xs, ys))
    with np.errstate(all="ignore"):
        got = client.compute(list(fn(X, Y)), sync=True)
        ref = evaluate(outs, {x: xs, y: ys})
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_allclose(
            g, np.broadcast_to(r, xs.shape), rtol=1e-12, atol=1e-12, equal_nan=True
        )
