"""Compiled sparse derivatives: scipy CSR/COO and triples equal the dense reference."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_problems import dense_hessian_values, scalar_problem, shaped_problem

import symdiff as sd
from symdiff.sparse import export_module, lambdify, sparse_hessian, sparse_jacobian

sparse = pytest.importorskip("scipy.sparse", reason="scipy.sparse assembles matrices")


def _total(terms):
    return sum((t if not t.shape else t.sum()) for t in terms[1:]) + (
        terms[0] if not terms[0].shape else terms[0].sum()
    )


@settings(max_examples=12, deadline=None)
@given(st.one_of(scalar_problem(), shaped_problem()), st.integers(0, 2**16))
def test_compiled_hessian_in_every_format_equals_dense(problem, seed):
    wrt, terms = problem
    f = _total(terms)
    n = wrt.shape[0] if isinstance(wrt, sd.Symbol) else len(wrt)
    args = [wrt] if isinstance(wrt, sd.Symbol) else wrt
    point = np.random.default_rng(seed).uniform(-1.5, 1.5, n)
    call = [point] if isinstance(wrt, sd.Symbol) else list(point)
    H = sparse_hessian(f, wrt)
    dense = dense_hessian_values(f, wrt, point)
    csr = lambdify(args, H)(*call)
    assert isinstance(csr, sparse.csr_array) and csr.shape == (n, n)
    np.testing.assert_allclose(csr.toarray(), dense, rtol=1e-10, atol=1e-10)
    coo = lambdify(args, H, format="coo")(*call)
    np.testing.assert_allclose(coo.toarray(), dense, rtol=1e-10, atol=1e-10)
    rows, cols, vals = lambdify(args, H, format="triple", triangle=True)(*call)
    assert (rows >= cols).all()
    np.testing.assert_allclose(vals, dense[rows, cols], rtol=1e-10, atol=1e-10)


def test_jacobian_function_pickles_and_exports():
    x = sd.Symbol("x", shape=(5,))
    r = sd.concatenate([sd.exp(x) - 1, 3 * (x[1:] - x[:-1])])
    J = sparse_jacobian(r, x)
    fn = pickle.loads(pickle.dumps(lambdify([x], J)))
    v = np.linspace(-1, 1, 5)
    expected = np.vstack([np.diag(np.exp(v)), 3 * (np.eye(5, k=1) - np.eye(5))[:-1]])
    np.testing.assert_allclose(fn(v).toarray(), expected, rtol=1e-12)
    for fmt in ("csr", "coo", "triple"):
        src = export_module({"r": r, "jac": J}, [x], format=fmt)
        assert ("scipy" in src) == (fmt != "triple")
        namespace = {}
        exec(compile(src, "<exported>", "exec"), namespace)  # our own generated text
        out = namespace["jac"](v)
        if fmt == "triple":
            rows, cols, vals = out
            mat = np.zeros((9, 5))
            mat[rows, cols] = vals
        else:
            mat = out.toarray()
        np.testing.assert_allclose(mat, expected, rtol=1e-12)
        np.testing.assert_allclose(
            namespace["r"](v),
            np.concatenate([np.exp(v) - 1, 3 * np.diff(v)]),
            rtol=1e-12,
        )


def test_exported_scalar_hessian_matches_lambdify():
    xs = list(sd.symbols("a b c"))
    f = xs[0] ** 2 * xs[1] + sd.sin(xs[2]) * xs[1]
    H = sparse_hessian(f, xs)
    src = export_module({"hess": H}, xs)
    namespace = {}
    exec(compile(src, "<exported>", "exec"), namespace)
    point = [0.3, -0.2, 1.1]
    np.testing.assert_allclose(
        namespace["hess"](*point).toarray(), lambdify(xs, H)(*point).toarray()
    )
    np.testing.assert_allclose(
        namespace["hess"](*point).toarray(), dense_hessian_values(f, xs, point)
    )


def test_errors_name_the_problem():
    x = sd.Symbol("x", shape=(3,))
    H = sparse_hessian((x**3).sum(), x)
    with pytest.raises(ValueError, match="format"):
        lambdify([x], H, format="dense")
    with pytest.raises(TypeError, match="SparseDerivative"):
        lambdify([x], x**2)
    with pytest.raises(ValueError, match="unbatched"):
        lambdify([x], H)(np.ones((2, 3)))
    with pytest.raises(ValueError, match="format"):
        export_module({"h": H}, [x], format="dok")
