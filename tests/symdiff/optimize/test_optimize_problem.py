"""Problem: the arguments of scipy.optimize.minimize, checked against finite
differences (numeric, the independent half) and against scipy's own expectations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, sparse

import numeric
from symdiff import ShapeError, Symbol, cos, exp, sin
from symdiff import sum as esum
from symdiff.optimize import METHODS, Problem

x = Symbol("x", shape=(4,))
a = Symbol("a")
W = Symbol("W", shape=(2, 2))


def mixed_objective():
    """Scalar and shaped parameters, coupled."""
    return (
        esum(sin(W) * a)
        + a**2 * esum(x**2)
        + esum(exp(0.3 * x[:-1] * x[1:]))
        + (W[0, 1] * x[0])
    )


def test_fun_jac_hess_hessp_agree_with_finite_differences():
    problem = Problem(mixed_objective(), [a, W, x])
    kw = problem.minimize_kwargs("trust-constr")
    point = np.random.default_rng(0).uniform(-1, 1, problem.packing.size)
    f = kw["fun"]
    np.testing.assert_allclose(kw["jac"](point), numeric.gradient(f, point), rtol=1e-7)
    H = kw["hess"](point)
    assert sparse.issparse(H) and H.shape == (9, 9)
    np.testing.assert_allclose(
        H.toarray(), numeric.hessian(f, point), rtol=1e-5, atol=1e-6
    )
    hessp = problem.minimize_kwargs("Newton-CG", hessp=True)["hessp"]
    v = np.random.default_rng(1).normal(size=9)
    np.testing.assert_allclose(hessp(point, v), H @ v, rtol=1e-12, atol=1e-12)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_constraint_jacobian_and_lagrangian_hessian(seed):
    rng = np.random.default_rng(seed)
    eq = esum(x**2) - 1
    ineq = a * x[:2] + cos(x[2:])  # a vector inequality
    two = W @ x[:2]
    problem = Problem(
        mixed_objective(),
        [a, W, x],
        equalities=[eq],
        inequalities=[ineq],
        constraints=[(-1.0, two, [2.0, np.inf])],
    )
    con = problem.minimize_kwargs("trust-constr")["constraints"]
    assert isinstance(con, optimize.NonlinearConstraint)
    np.testing.assert_array_equal(con.lb, [0, 0, 0, -1, -1])
    np.testing.assert_array_equal(con.ub, [0, np.inf, np.inf, 2, np.inf])
    point = rng.uniform(-1, 1, problem.packing.size)
    J = con.jac(point)
    assert sparse.issparse(J) and J.shape == (5, 9)
    np.testing.assert_allclose(
        J.toarray(), numeric.jacobian(con.fun, point), rtol=1e-6, atol=1e-8
    )
    v = rng.normal(size=5)
    HL = con.hess(point, v)  # scipy's signature: hess(x, v) = sum_k v_k H_k(x)
    expected = numeric.hessian(lambda p: v @ con.fun(p), point)
    np.testing.assert_allclose(HL.toarray(), expected, rtol=1e-5, atol=1e-5)


def test_slsqp_constraints_are_dicts_with_consistent_jacobians():
    problem = Problem(
        esum(x**2),
        [x],
        equalities=[x[0] + x[1] - 1],
        inequalities=[x[2]],
        constraints=[(0.5, x[3], 2.0)],
    )
    cons = problem.minimize_kwargs("SLSQP")["constraints"]
    assert [c["type"] for c in cons] == ["eq", "ineq"]
    point = np.array([0.2, 0.3, -0.4, 1.0])
    np.testing.assert_allclose(cons[0]["fun"](point), [-0.5])
    # x[2] >= 0, x[3] - 0.5 >= 0, 2 - x[3] >= 0
    np.testing.assert_allclose(cons[1]["fun"](point), [-0.4, 0.5, 1.0])
    for c in cons:
        np.testing.assert_allclose(
            c["jac"](point), numeric.jacobian(c["fun"], point), atol=1e-8
        )


@pytest.mark.parametrize(
    "method, keys",
    [
        ("trust-constr", {"fun", "jac", "hess", "constraints", "bounds"}),
        ("SLSQP", {"fun", "jac", "constraints", "bounds"}),
    ],
)
def test_each_method_gets_only_what_it_accepts(method, keys):
    problem = Problem(esum(x**2), [x], equalities=[x[0]], bounds={x: (-1, 1)})
    assert set(problem.minimize_kwargs(method)) == keys | {"method"}


def test_unconstrained_methods():
    problem = Problem(esum(x**4), [x])
    assert set(problem.minimize_kwargs("Newton-CG")) == {"method", "fun", "jac", "hess"}
    kw = problem.minimize_kwargs("newton-cg", hessp=True)
    assert "hessp" in kw and "hess" not in kw
    assert "hessp" in problem.minimize_kwargs("trust-krylov")
    assert set(problem.minimize_kwargs("L-BFGS-B")) == {"method", "fun", "jac"}
    assert set(METHODS) == {
        "trust-constr",
        "newton-cg",
        "trust-krylov",
        "l-bfgs-b",
        "slsqp",
    }


def test_bounds_per_symbol_with_scalars_arrays_and_none():
    problem = Problem(
        a**2 + esum(x**2), [a, x], bounds={"a": (0, None), x: ([-1, -2, -3, -4], 5)}
    )
    b = problem.minimize_kwargs("L-BFGS-B")["bounds"]
    np.testing.assert_array_equal(b.lb, [0, -1, -2, -3, -4])
    np.testing.assert_array_equal(b.ub, [np.inf, 5, 5, 5, 5])


def test_x0_forms_and_shape_errors():
    problem = Problem(a * esum(W), [a, W])
    np.testing.assert_array_equal(
        problem.x0({a: 1, W: [[2, 3], [4, 5]]}), [1, 2, 3, 4, 5]
    )
    np.testing.assert_array_equal(problem.x0(np.arange(5.0)), np.arange(5.0))
    np.testing.assert_array_equal(problem.x0([1.0, np.ones((2, 2))]), [1, 1, 1, 1, 1])
    with pytest.raises(ShapeError, match=r"\(3,\).*\(5,\)"):
        problem.x0(np.zeros(3))
    with pytest.raises(ShapeError, match=r"W.*\(2, 2\).*\(3,\)"):
        problem.x0({a: 1.0, W: np.zeros(3)})
    with pytest.raises(ShapeError, match=r"\(4,\)"):
        Problem(esum(x), [x]).x0(np.zeros((2, 2)))


def test_clear_errors():
    with pytest.raises(ValueError, match="unknown or unsupported method 'BFGS'"):
        Problem(esum(x**2), [x]).minimize_kwargs("BFGS")
    with pytest.raises(ValueError, match="takes no constraints"):
        Problem(esum(x**2), [x], equalities=[x[0]]).minimize_kwargs("Newton-CG")
    with pytest.raises(ValueError, match="takes no bounds"):
        Problem(esum(x**2), [x], bounds={x: (0, 1)}).minimize_kwargs("trust-krylov")
    with pytest.raises(ShapeError, match=r"scalar.*\(4,\)"):
        Problem(x**2, [x])
    with pytest.raises(TypeError, match="structural identity"):
        Problem(esum(x**2), [x], equalities=[x[0] == x[1]])
    with pytest.raises(TypeError, match="triple"):
        Problem(esum(x**2), [x], constraints=[x[0]])
    with pytest.raises(ValueError, match="not parameters: a"):
        Problem(esum(x**2) * a, [x])
    with pytest.raises(ValueError, match="not parameters: a"):
        Problem(esum(x**2), [x], inequalities=[a - x[0]])
    with pytest.raises(ValueError, match="'y' is not a parameter"):
        Problem(esum(x**2), [x], bounds={"y": (0, 1)})
    with pytest.raises(ShapeError, match=r"\(3,\).*\(4,\)"):
        Problem(esum(x**2), [x], bounds={x: (np.zeros(3), 1)})
    with pytest.raises(ValueError, match="exceeds"):
        Problem(esum(x**2), [x], bounds={x: (1, 0)})
    with pytest.raises(TypeError, match="expression"):
        Problem("x**2", [x])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 6))
def test_sparse_hessian_equals_the_dense_symbolic_hessian(seed, n):
    """A random banded objective over a scalar and a vector: the CSR Hessian the
    bridge hands to scipy equals symdiff's dense Hessian, entry by entry."""
    from symdiff import evaluate, hessian, tanh

    rng = np.random.default_rng(seed)
    v = Symbol("v", shape=(n,))
    c = rng.uniform(-1, 1, size=4)
    f = (
        esum(c[0] * v[1:] * v[:-1] ** 2)
        + c[1] * a * esum(sin(v))
        + esum(tanh(c[2] * v) ** 2)
        + c[3] * a**3
    )
    problem = Problem(f, [a, v])
    point = rng.uniform(-1, 1, 1 + n)
    H = problem.minimize_kwargs("trust-constr")["hess"](point)
    blocks = hessian(f, [a, v])
    values = {a: point[0], v: point[1:]}
    dense = np.block(
        [
            [
                np.reshape(evaluate(blocks[0][0], values), (1, 1)),
                np.reshape(evaluate(blocks[0][1], values), (1, n)),
            ],
            [
                np.reshape(evaluate(blocks[1][0], values), (n, 1)),
                np.reshape(evaluate(blocks[1][1], values), (n, n)),
            ],
        ]
    )
    np.testing.assert_allclose(H.toarray(), dense, rtol=1e-12, atol=1e-12)
