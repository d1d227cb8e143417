"""The speed paths of sparse derivatives compute what the plain paths compute.

- the assembled matrices of repeated calls (built from a template by shallow copy)
  equal scipy's constructor on the same triple, and a caller's in-place changes to
  one matrix never reach the next;
- folding the constants of sum and product chains keeps every value;
- the ``_unslice`` helper of generated code equals the op's own evaluation, on any
  axis, with batch dimensions, and on the array-API target;
- all colours' columns in one batched evaluation equal the per-colour sweeps.
"""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_problems import dense_hessian_values, shaped_problem

import symdiff as sd
from symdiff.core.expr import apply, const
from symdiff.core.traverse import topo_order
from symdiff.sparse import lambdify, sparse_hessian, sparse_jacobian
from symdiff.sparse.batched import BatchedColumns
from symdiff.sparse.fold import fold_constants

sparse = pytest.importorskip("scipy.sparse", reason="scipy.sparse assembles matrices")


def _total(terms):
    return sum(t.sum() if t.shape else t for t in terms)


@settings(max_examples=10, deadline=None)
@given(shaped_problem(), st.integers(0, 2**16))
def test_repeated_calls_equal_scipy_constructor_and_stay_independent(problem, seed):
    wrt, terms = problem
    f = _total(terms)
    H = sparse_hessian(f, wrt)
    n = wrt.shape[0]
    rng = np.random.default_rng(seed)
    triple = lambdify([wrt], H, format="triple")
    for fmt in ("csr", "coo"):
        fn = lambdify([wrt], H, format=fmt)
        previous = None
        for _ in range(3):
            point = rng.uniform(-1.5, 1.5, n)
            got = fn(point)
            rows, cols, vals = triple(point)
            if fmt == "csr":
                ref = sparse.csr_array((vals, (rows, cols)), shape=(n, n))
            else:
                ref = sparse.coo_array((vals, (rows, cols)), shape=(n, n))
            assert type(got) is type(ref) and got.shape == ref.shape
            np.testing.assert_array_equal(got.toarray(), ref.toarray())
            if previous is not None:
                # the earlier matrix still holds its own values
                np.testing.assert_array_equal(previous[0].toarray(), previous[1])
            dense = got.toarray()
            # a caller's in-place edit of this matrix's arrays...
            got.data[:] = 7.0
            if fmt == "csr":
                got.indices[:] = 0
            previous = (got, np.where(dense != 0, 7.0, 0.0)) if fmt == "coo" else None
        # ... never reaches the next call's matrix
        point = rng.uniform(-1.5, 1.5, n)
        rows, cols, vals = triple(point)
        ref = np.zeros((n, n))
        np.add.at(ref, (rows, cols), vals)
        np.testing.assert_array_equal(fn(point).toarray(), ref)


_LEAVES = st.sampled_from(["x", "y", "c_vec", "c_scalar", "c_other"])


@st.composite
def chain_expr(draw):
    """A random tree of add / sub / mul / neg over symbols and constants."""
    x = sd.Symbol("x", shape=(4,))
    y = sd.Symbol("y", shape=(4,))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    stack = []
    for _ in range(draw(st.integers(2, 12))):
        kind = draw(_LEAVES)
        if kind == "x":
            stack.append(x)
        elif kind == "y":
            stack.append(y)
        elif kind == "c_vec":
            stack.append(const(rng.uniform(-2, 2, 4)))
        elif kind == "c_scalar":
            stack.append(const(float(rng.uniform(-2, 2))))
        else:
            stack.append(const(rng.uniform(-2, 2, 4)) * 0.5)
        while len(stack) >= 2 and draw(st.booleans()):
            b, a = stack.pop(), stack.pop()
            op = draw(st.sampled_from(["add", "sub", "mul"]))
            stack.append(apply(op, a, b))
        if draw(st.integers(0, 5)) == 0:
            stack.append(apply("neg", stack.pop()))
    out = stack[0]
    for e in stack[1:]:
        out = out + e
    return x, y, out


@settings(max_examples=60, deadline=None)
@given(chain_expr(), st.integers(0, 2**16))
def test_folding_constant_chains_keeps_the_value(case, seed):
    x, y, e = case
    (folded,) = fold_constants([e])
    rng = np.random.default_rng(seed)
    env = {x: rng.uniform(-2, 2, 4), y: rng.uniform(-2, 2, 4)}
    want = np.broadcast_to(sd.evaluate(e, env), e.shape)
    got = np.broadcast_to(sd.evaluate(folded, env), e.shape)
    assert folded.shape == e.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_constant_terms_of_a_chain_become_one():
    x = sd.Symbol("x", shape=(3,))
    cs = [const(np.arange(3.0) + k) for k in range(4)]
    e = cs[0] + (cs[1] - (cs[2] + (x * 2.0 + cs[3])))
    (folded,) = fold_constants([e])
    consts = [n for n in topo_order(folded) if n.op == "const" and n.shape]
    assert len(consts) == 1
    # the constants, added by hand: c0 + c1 - c2 - c3
    c0, c1, c2, c3 = (np.arange(3.0) + k for k in range(4))
    np.testing.assert_allclose(consts[0].value, c0 + c1 - c2 - c3)
    m = const(np.array([1.0, 0.0, 1.0]))
    (folded,) = fold_constants([0.5 * (m * sd.exp(x))])
    consts = [n for n in topo_order(folded) if n.op == "const"]
    assert len(consts) == 1
    np.testing.assert_allclose(consts[0].value, [0.5, 0.0, 0.5])


def test_fold_takes_exact_constants():
    from fractions import Fraction

    x = sd.Symbol("x", shape=(2,))
    c = const(np.array([1.0, 3.0]))
    e = apply("mul", const(Fraction(1, 3)), apply("mul", c, sd.exp(x)))
    (folded,) = fold_constants([e])
    v = np.array([0.5, -0.25])
    np.testing.assert_allclose(sd.evaluate(folded, {x: v}), [1, 3] * np.exp(v) / 3)


def test_fold_of_a_deep_chain_has_no_recursion():
    x = sd.Symbol("x", shape=(2,))
    c = const(np.array([1.0, 2.0]))
    e = x
    for i in range(100_000):
        e = (e + c) if i % 2 else (e - 0.5)
    (folded,) = fold_constants([e])
    got = sd.evaluate(folded, {x: np.array([0.25, -1.0])})
    want = np.array([0.25, -1.0]) + 50_000 * (np.array([1.0, 2.0]) - 0.5)
    np.testing.assert_allclose(got, want, rtol=1e-9)


@st.composite
def unslice_case(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim)))
    axis = draw(st.integers(-ndim, -1))
    before, after = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    return shape, axis, before, after, batch


@settings(max_examples=40, deadline=None)
@given(unslice_case(), st.integers(0, 2**16))
def test_generated_unslice_equals_evaluate(case, seed):
    shape, axis, before, after, batch = case
    a = sd.Symbol("a", shape=shape)
    size = shape[axis] + before + after
    e = apply(
        "unslice",
        a,
        axis=axis,
        start=before,
        stop=before + shape[axis],
        step=1,
        size=size,
    )
    value = np.random.default_rng(seed).standard_normal(batch + shape)
    got = sd.lambdify([a], e)(value)
    # the reference: numpy's own zero padding of that axis
    widths = [(0, 0)] * value.ndim
    widths[value.ndim + axis] = (before, after)
    np.testing.assert_array_equal(got, np.pad(value, widths))
    if not batch:
        np.testing.assert_array_equal(sd.evaluate(e, {a: value}), got)


def test_unslice_on_the_array_api_target():
    xps = pytest.importorskip("array_api_strict", reason="array-api-strict")
    pytest.importorskip("array_api_compat", reason="the array_api extra")
    a = sd.Symbol("a", shape=(2, 3))
    e = apply("unslice", a, axis=-2, start=1, stop=3, step=1, size=4)
    value = np.arange(6.0).reshape(2, 3)
    got = sd.lambdify([a], e, backend="array_api")(xps.asarray(value))
    np.testing.assert_array_equal(np.asarray(got), np.pad(value, [(1, 1), (0, 0)]))


@settings(max_examples=10, deadline=None)
@given(shaped_problem(), st.integers(0, 2**16))
def test_batched_columns_equal_the_per_colour_sweeps_and_dense(problem, seed):
    wrt, terms = problem
    f = _total(terms)
    H = sparse_hessian(f, wrt)
    n = wrt.shape[0]
    point = np.random.default_rng(seed).uniform(-1.5, 1.5, n)
    one = lambdify([wrt], H, batched=True)
    assert isinstance(one.compressed, BatchedColumns)
    per_colour = lambdify([wrt], H, batched=False)(point).toarray()
    got = one(point).toarray()
    np.testing.assert_allclose(got, per_colour, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got, dense_hessian_values(f, wrt, point), atol=1e-9)


def test_batched_jacobian_pickles_takes_keywords_and_checks_batches():
    x = sd.Symbol("x", shape=(6,))
    r = sd.concatenate([sd.exp(x) - 1, 3 * (x[1:] - x[:-1] ** 2)])
    J = sparse_jacobian(r, x)
    fn = pickle.loads(pickle.dumps(lambdify([x], J, batched=True)))
    v = np.linspace(-1, 1, 6)
    # the reference, by hand: diag(exp v) on top, 3 (e_{i+1} - 2 v_i e_i) below
    below = 3 * (np.eye(6, k=1) - 2 * np.diag(v))[:-1]
    expected = np.vstack([np.diag(np.exp(v)), below])
    np.testing.assert_allclose(fn(v).toarray(), expected, rtol=1e-12)
    np.testing.assert_allclose(fn(x=v).toarray(), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="unbatched"):
        fn(np.ones((2, 6)))
    a, b = sd.symbols("a b")
    with pytest.raises(ValueError, match="shaped"):
        lambdify([a, b], sparse_hessian(a * b**2, [a, b]), batched=True)


def test_the_default_batches_only_where_it_saves_operations():
    x = sd.Symbol("x", shape=(40,))
    mid = (3 - 2 * x) * x + 1
    broyden = (mid[1:-1] - x[:-2] - 2 * x[2:]) ** 2
    H = sparse_hessian(broyden.sum(), x)
    assert isinstance(lambdify([x], H).compressed, BatchedColumns)
    quadratic = ((x[1:] - x[:-1]) ** 2).sum() + sd.exp(x).sum()
    H = sparse_hessian(quadratic, x)  # its columns fold to a constant plus exp(x)
    assert not isinstance(lambdify([x], H).compressed, BatchedColumns)
