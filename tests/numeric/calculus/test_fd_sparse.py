"""Coloured finite differences: numeric.jacobian / numeric.hessian with sparsity=.

Checked against derivatives written out by hand (Broyden's tridiagonal function,
chained Rosenbrock, a 2-D Bratu residual) and against the dense adaptive routes, with
the number of evaluations counted: colours x stencil points, whatever n.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from numeric import hessian, jacobian
from numeric.sparsity import colour_columns, colour_hessian


class Counted:
    def __init__(self, f):
        self.f, self.calls = f, 0

    def __call__(self, v):
        self.calls += 1
        return self.f(v)


def tridiagonal(n):
    return sparse.diags([1, 1, 1], [-1, 0, 1], shape=(n, n), dtype=bool)


def ncolours(pattern):
    return int(np.max(colour_columns(pattern))) + 1


# ------------------------------------------------------------------- problems


def broyden(v):
    p = np.concatenate([[0.0], v, [0.0]])
    return (3 - 2 * v) * v - p[:-2] - 2 * p[2:] + 1


def broyden_jacobian(v):
    n = v.size
    return np.diag(3 - 4 * v) - np.eye(n, k=-1) - 2 * np.eye(n, k=1)


def rosenbrock(v):
    return np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2)


def rosenbrock_grad(v):
    g = np.zeros_like(v)
    d = v[1:] - v[:-1] ** 2
    g[:-1] = -400 * v[:-1] * d - 2 * (1 - v[:-1])
    g[1:] += 200 * d
    return g


def rosenbrock_hessian(v):
    n = v.size
    H = np.zeros((n, n))
    i = np.arange(n - 1)
    H[i, i] += 1200 * v[:-1] ** 2 - 400 * v[1:] + 2
    H[i + 1, i + 1] += 200
    H[i, i + 1] = H[i + 1, i] = -400 * v[:-1]
    return H


def laplacian(m):
    """The 5-point Laplacian (times h^2) on an m x m grid, zero boundary."""
    T = sparse.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(m, m))
    eye = sparse.identity(m)
    return (sparse.kron(eye, T) + sparse.kron(T, eye)).tocsr()


def bratu_residual(m, lam=1.0):
    L = laplacian(m)
    h2 = 1.0 / (m + 1) ** 2

    def F(u):
        return L @ u - lam * h2 * np.exp(u)

    def J(u):
        return (L - lam * h2 * sparse.diags(np.exp(u))).toarray()

    return F, J, L != 0


# ------------------------------------------------------------------ Jacobians


@pytest.mark.parametrize(
    "method, per_colour, extra, tol",
    [("central", 2, 0, 1e-8), ("forward", 1, 1, 1e-6), ("complex", 1, 0, 1e-13)],
)
def test_broyden_jacobian_exact_and_counted(method, per_colour, extra, tol):
    n = 40
    x = np.linspace(-1.5, 1.5, n)
    f = Counted(broyden)
    pattern = tridiagonal(n)
    J = jacobian(f, x, sparsity=pattern, method=method)
    assert sparse.issparse(J) and J.format == "csr" and J.shape == (n, n)
    np.testing.assert_allclose(J.toarray(), broyden_jacobian(x), rtol=tol, atol=tol)
    assert f.calls == per_colour * ncolours(pattern) + extra


def test_broyden_sparse_equals_dense_numeric_jacobian():
    x = np.random.default_rng(3).uniform(-2, 2, 15)
    J = jacobian(broyden, x, sparsity=tridiagonal(15))
    np.testing.assert_allclose(J.toarray(), jacobian(broyden, x), atol=1e-7)


def test_evaluations_do_not_grow_with_n():
    calls = []
    for m in (6, 20):
        F, J, pattern = bratu_residual(m)
        u = np.random.default_rng(m).uniform(-1, 1, m * m)
        counted = Counted(F)
        Jc = jacobian(counted, u, sparsity=pattern)
        np.testing.assert_allclose(Jc.toarray(), J(u), atol=1e-8)
        assert counted.calls == 2 * ncolours(pattern)
        calls.append(counted.calls)
    assert calls[1] < 20 * 20  # far below one evaluation per column


def test_entries_outside_the_pattern_are_zero_and_shape_is_flat():
    def f(v):  # (2, 3) -> (2, 3), elementwise
        return np.sin(v)

    x = np.arange(6.0).reshape(2, 3) / 5
    J = jacobian(f, x, sparsity=np.eye(6, dtype=bool))
    assert J.shape == (6, 6) and J.nnz == 6
    np.testing.assert_allclose(J.diagonal(), np.cos(x).ravel(), rtol=1e-9)


@st.composite
def sparse_problems(draw):
    n = draw(st.integers(2, 12))
    m = draw(st.integers(1, 12))
    seed = draw(st.integers(0, 2**32 - 1))
    density = draw(st.floats(0.05, 0.6))
    return n, m, seed, density


@settings(max_examples=25, deadline=None)
@given(sparse_problems())
def test_random_patterns_match_the_exact_jacobian(problem):
    """f(x) = A sin(x) + (B x)^2 elementwise: J = A diag(cos x) + 2 diag(B x) B."""
    n, m, seed, density = problem
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, n)) * (rng.random((m, n)) < density)
    B = rng.normal(size=(m, n)) * (rng.random((m, n)) < density)
    x = rng.uniform(-2, 2, n)

    def f(v):
        return A @ np.sin(v) + (B @ v) ** 2

    exact = A * np.cos(x)[None, :] + 2 * (B @ x)[:, None] * B
    pattern = (A != 0) | (B != 0)
    counted = Counted(f)
    J = jacobian(counted, x, sparsity=pattern)
    np.testing.assert_allclose(J.toarray(), exact, rtol=1e-7, atol=1e-7)
    assert counted.calls == 2 * ncolours(pattern)


# ------------------------------------------------------------------- Hessians


def test_rosenbrock_hessian_from_the_gradient_is_exact_symmetric_and_counted():
    n = 30
    x = np.random.default_rng(0).uniform(-1.5, 1.5, n)
    grad = Counted(rosenbrock_grad)
    f = Counted(rosenbrock)
    pattern = tridiagonal(n)
    H = hessian(f, x, sparsity=pattern, grad=grad)
    assert H.format == "csr"
    np.testing.assert_allclose(H.toarray(), rosenbrock_hessian(x), rtol=1e-7, atol=1e-5)
    assert abs(H - H.T).max() == 0
    assert f.calls == 0
    assert grad.calls == 2 * (int(np.max(colour_hessian(pattern))) + 1)


def test_rosenbrock_hessian_from_values_per_nonzero():
    n = 12
    x = np.random.default_rng(1).uniform(-1.5, 1.5, n)
    f = Counted(rosenbrock)
    H = hessian(
        f,
        x,
        sparsity=np.triu(np.ones((n, n), dtype=bool))
        & ~np.triu(np.ones((n, n), dtype=bool), 2),
    )
    np.testing.assert_allclose(H.toarray(), rosenbrock_hessian(x), rtol=1e-5, atol=1e-3)
    # f(x), two per diagonal entry, four per off-diagonal entry of the lower triangle
    assert f.calls == 1 + 2 * n + 4 * (n - 1)
    dense = hessian(rosenbrock, x)
    np.testing.assert_allclose(H.toarray(), dense, rtol=1e-5, atol=1e-3)


def test_bratu_energy_hessian_from_its_gradient():
    m = 8
    F, J, pattern = bratu_residual(m)
    u = np.random.default_rng(5).uniform(-1, 1, m * m)
    L = laplacian(m)
    h2 = 1.0 / (m + 1) ** 2

    def energy(v):
        return 0.5 * v @ (L @ v) - h2 * np.sum(np.exp(v))

    counted = Counted(F)  # F is the energy's gradient
    H = hessian(energy, u, sparsity=pattern, grad=counted)
    np.testing.assert_allclose(H.toarray(), J(u), atol=1e-8)
    # a star colouring: fewer colours than the distance-2 one on a grid, every
    # entry read back from one side of the diagonal or the other
    star = int(np.max(colour_hessian(pattern))) + 1
    assert counted.calls == 2 * star and star < ncolours(pattern)


def test_args_and_kwargs_reach_f_and_grad():
    def f(v, a, *, b):
        return a * np.sum(v**3) + b

    def g(v, a, *, b):
        return 3 * a * v**2

    x = np.array([1.0, -2.0, 0.5])
    H = hessian(f, x, sparsity=np.eye(3), grad=g, args=(2.0,), kwargs={"b": 1.0})
    np.testing.assert_allclose(H.diagonal(), 12 * x, rtol=1e-8)


# --------------------------------------------------------------------- errors


def test_pattern_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 3\).*\(4,\)"):
        jacobian(np.sin, np.zeros(4), sparsity=np.eye(3, dtype=bool))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 3\)"):
        jacobian(np.sin, np.zeros(3), sparsity=np.ones((2, 3), dtype=bool))
    with pytest.raises(ValueError, match=r"\(2, 2\).*\(3, 3\)"):
        hessian(rosenbrock, np.zeros(3), sparsity=np.eye(2))


def test_bad_patterns_and_options_are_refused_clearly():
    with pytest.raises(TypeError, match="boolean"):
        jacobian(np.sin, np.zeros(2), sparsity=np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(ValueError, match="2-D"):
        jacobian(np.sin, np.zeros(2), sparsity=np.ones(2))
    with pytest.raises(ValueError, match="full_output"):
        jacobian(np.sin, np.zeros(2), sparsity=np.eye(2), full_output=True)
    with pytest.raises(ValueError, match="maxiter"):
        jacobian(np.sin, np.zeros(2), sparsity=np.eye(2), maxiter=3)
    with pytest.raises(ValueError, match="method"):
        jacobian(np.sin, np.zeros(2), sparsity=np.eye(2), method="backward")
    with pytest.raises(ValueError, match="only with sparsity"):
        hessian(rosenbrock, np.zeros(2), grad=rosenbrock_grad)
    with pytest.raises(TypeError, match="callable"):
        hessian(rosenbrock, np.zeros(2), sparsity=np.eye(2), grad=3)
    with pytest.raises(ValueError, match="scalar"):
        hessian(np.sin, np.zeros(2), sparsity=np.eye(2))
    with pytest.raises(ValueError, match="positive"):
        jacobian(np.sin, np.zeros(2), sparsity=np.eye(2), step=-1.0)
