"""Sparse patterns and derivatives against the dense ones, on random small problems.

The dense reference is symdiff's ``hessian``/``jacobian`` (reverse over reverse, one
pass per output), a different code path from the coloured forward sweeps of
``symdiff.sparse``; the chained Rosenbrock Hessian is also checked against its formula
written out with numpy.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_problems import (
    dense_hessian_values,
    dense_jacobian_values,
    scalar_problem,
    shaped_problem,
)

import symdiff as sd
from numeric.sparsity import check_colouring
from symdiff.sparse import (
    SparseDerivative,
    hessian_sparsity,
    hessian_vector_product,
    jacobian_sparsity,
    sparse_hessian,
    sparse_jacobian,
)

POINTS = 2


def _total(terms):
    out = terms[0]
    for t in terms[1:]:
        out = out + (t if not t.shape else t.sum())
    return out if not out.shape else out.sum()


def _values(deriv, wrt, point):
    if isinstance(wrt, sd.Symbol):
        env = {wrt: point}
    else:
        env = dict(zip(wrt, point, strict=True))
    return np.array([float(sd.evaluate(v, env)) for v in deriv.values])


def _check_hessian(f, wrt, n, rng):
    pattern = hessian_sparsity(f, wrt).toarray()
    assert pattern.shape == (n, n)
    assert (pattern == pattern.T).all()
    H = sparse_hessian(f, wrt)
    assert H.symmetric and H.shape == (n, n)
    assert (H.rows >= H.cols).all()
    # the stored entries are exactly the lower triangle of the pattern
    low = np.zeros((n, n), dtype=bool)
    low[H.rows, H.cols] = True
    assert (low == np.tril(pattern)).all()
    for _ in range(POINTS):
        point = rng.uniform(-1.5, 1.5, n)
        dense = dense_hessian_values(f, wrt, point)
        # the pattern never misses a nonzero
        assert not (np.abs(dense) > 1e-12)[~pattern].any()
        got = np.zeros((n, n))
        got[H.rows, H.cols] = _values(H, wrt, point)
        got = got + np.tril(got, -1).T
        np.testing.assert_allclose(got, dense, rtol=1e-10, atol=1e-10)


@settings(max_examples=20, deadline=None)
@given(scalar_problem(), st.integers(0, 2**16))
def test_sparse_hessian_equals_dense_scalar_symbols(problem, seed):
    xs, terms = problem
    _check_hessian(_total(terms), xs, len(xs), np.random.default_rng(seed))


@settings(max_examples=20, deadline=None)
@given(shaped_problem(), st.integers(0, 2**16))
def test_sparse_hessian_equals_dense_shaped_symbol(problem, seed):
    x, pieces = problem
    _check_hessian(_total(pieces), x, x.shape[0], np.random.default_rng(seed))


def _check_jacobian(outputs, wrt, n, rng):
    pattern = jacobian_sparsity(outputs, wrt).toarray()
    J = sparse_jacobian(outputs, wrt)
    assert not J.symmetric and J.shape == pattern.shape
    stored = np.zeros(J.shape, dtype=bool)
    stored[J.rows, J.cols] = True
    assert (stored == pattern).all()
    check_colouring(pattern, J.colours)
    for _ in range(POINTS):
        point = rng.uniform(-1.5, 1.5, n)
        dense = dense_jacobian_values(outputs, wrt, point)
        assert dense.shape == pattern.shape
        assert not (np.abs(dense) > 1e-12)[~pattern].any()
        got = np.zeros(J.shape)
        got[J.rows, J.cols] = _values(J, wrt, point)
        np.testing.assert_allclose(got, dense, rtol=1e-10, atol=1e-10)


@settings(max_examples=20, deadline=None)
@given(scalar_problem(), st.integers(0, 2**16))
def test_sparse_jacobian_equals_dense_scalar_symbols(problem, seed):
    xs, terms = problem
    _check_jacobian(terms, xs, len(xs), np.random.default_rng(seed))


@settings(max_examples=20, deadline=None)
@given(shaped_problem(), st.integers(0, 2**16))
def test_sparse_jacobian_equals_dense_shaped_symbol(problem, seed):
    x, pieces = problem
    out = pieces[0]
    for p in pieces[1:]:
        out = sd.concatenate([out, p])
    _check_jacobian([out], x, x.shape[0], np.random.default_rng(seed))


def _rosenbrock_hessian(v):
    """The chained Rosenbrock Hessian written out by hand (numpy)."""
    n = v.size
    H = np.zeros((n, n))
    i = np.arange(n - 1)
    H[i, i] += 1200 * v[:-1] ** 2 - 400 * v[1:] + 2
    H[i + 1, i + 1] += 200
    H[i, i + 1] = H[i + 1, i] = -400 * v[:-1]
    return H


@pytest.mark.parametrize("form", ["shaped", "scalar"])
def test_rosenbrock_pattern_is_exactly_tridiagonal_and_values_match(form):
    n = 9
    if form == "shaped":
        x = sd.Symbol("x", shape=(n,))
        wrt, xs = x, [x[i] for i in range(n)]
        f = (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
    else:
        xs = list(sd.symbols(" ".join(f"y{i}" for i in range(n))))
        wrt = xs
        f = sum(
            100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)
        )
    band = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) <= 1
    assert (hessian_sparsity(f, wrt).toarray() == band).all()
    H = sparse_hessian(f, wrt)
    if form == "shaped":  # three colours, one sweep each
        assert int(H.colours.max()) + 1 == 3
    else:  # assembled from the template: no colouring, one vector per diagonal
        assert H.colours is None and len(H.compressed) == 2
    v = np.random.default_rng(1).uniform(-2, 2, n)
    got = np.zeros((n, n))
    got[H.rows, H.cols] = _values(H, wrt, v)
    np.testing.assert_allclose(np.tril(_rosenbrock_hessian(v)), got, rtol=1e-12)


def test_patterns_of_tensor_ops_are_structural():
    x = sd.Symbol("x", shape=(2, 3))
    A = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 0.0]])
    y = sd.const(A) @ x  # (3, 3): row i depends on x[j, :] where A[i, j] != 0
    P = jacobian_sparsity(y, x).toarray()
    expected = np.kron(A != 0, np.eye(3, dtype=bool))
    assert (P == expected).all()
    s = jacobian_sparsity(x.sum(axis=0), x).toarray()
    assert (s == np.tile(np.eye(3, dtype=bool), (1, 2))).all()
    t = jacobian_sparsity(x.T, x).toarray()
    assert (t == np.eye(6, dtype=bool)[[0, 3, 1, 4, 2, 5]]).all()


def test_unknown_ops_fall_back_to_dense_over_their_operands():
    x = sd.Symbol("x", shape=(3,))
    y = sd.Symbol("y", shape=(2,))
    f = sd.cumsum(x)
    P = jacobian_sparsity(f, [x, y]).toarray()
    assert P[:, :3].all() and not P[:, 3:].any()


def test_hessian_vector_product_flat_and_per_symbol():
    x, y = sd.symbols("x y")
    z = sd.Symbol("z", shape=(2,))
    f = x**2 * y + (z**3).sum() * y
    v = sd.Symbol("v", shape=(4,))
    hv = hessian_vector_product(f, [x, y, z], v)
    assert hv.shape == (4,)
    point = {x: 0.7, y: -1.3, z: np.array([0.4, 2.0])}
    vv = np.array([1.0, -2.0, 0.5, 3.0])
    dense = dense_hessian_values(f, [x, y], [0.7, -1.3])  # the x, y block
    H = np.zeros((4, 4))
    H[:2, :2] = dense
    zz = point[z]
    H[2:, 2:] = np.diag(6 * zz * point[y])
    H[1, 2:] = H[2:, 1] = 3 * zz**2
    got = sd.evaluate(hv, {**point, v: vv})
    np.testing.assert_allclose(got, H @ vv, rtol=1e-12)
    per = hessian_vector_product(f, [x, y, z], [1.0, -2.0, np.array([0.5, 3.0])])
    assert len(per) == 3


def test_bad_input_gets_clear_errors():
    x = sd.Symbol("x", shape=(3,))
    with pytest.raises(ValueError, match="scalar"):
        sparse_hessian(x**2, x)
    with pytest.raises(ValueError, match="scalar"):
        hessian_sparsity(x**2, x)
    with pytest.raises(TypeError, match="Symbols"):
        sparse_jacobian(x**2, [x * 2])
    with pytest.raises(ValueError, match="twice"):
        jacobian_sparsity(x**2, [x, x])
    with pytest.raises(ValueError, match="empty"):
        sparse_jacobian(x**2, [])
    with pytest.raises(TypeError, match="outputs"):
        jacobian_sparsity(3.0, x)


def test_sparse_derivative_reports_itself():
    x = sd.Symbol("x", shape=(4,))
    H = sparse_hessian((x**3).sum(), x)
    assert isinstance(H, SparseDerivative)
    assert H.nnz == 4 and "Hessian" in repr(H)
    assert len(H.compressed) == 1  # a diagonal Hessian: one colour, one vector


def test_mixed_scalar_and_matrix_symbols_against_numeric_finite_differences():
    numeric = pytest.importorskip("numeric")
    a, b = sd.symbols("a b")
    x = sd.Symbol("x", shape=(2, 3))
    f = (x**2).sum() * a + sd.sin(b) * x[0, 1] + sd.exp(x[1, 2] * a)
    wrt = [a, x, b]
    H = sparse_hessian(f, wrt)
    fn = sd.lambdify(wrt, f)

    def flat_f(v):
        return float(fn(v[0], v[1:7].reshape(2, 3), v[7]))

    point = np.random.default_rng(3).uniform(-1, 1, 8)
    expected = numeric.hessian(flat_f, point)
    from symdiff.sparse import lambdify

    got = lambdify(wrt, H)(point[0], point[1:7].reshape(2, 3), point[7]).toarray()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    # the pattern is exact here: every stored entry is structurally nonzero
    assert hessian_sparsity(f, wrt).nnz == np.count_nonzero(np.abs(expected) > 1e-8)
