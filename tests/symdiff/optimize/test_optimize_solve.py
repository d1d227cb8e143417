"""minimize and least_squares: solutions against closed forms and against scipy's
own finite-difference route on the same problems."""

import math

import numpy as np
import pytest
from scipy import optimize

from symdiff import Symbol, exp, sin, softplus
from symdiff import sum as esum
from symdiff.optimize import least_squares, minimize


def rosenbrock(x):
    return esum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


@pytest.mark.parametrize(
    "method, hessp",
    [
        ("trust-constr", False),
        ("Newton-CG", False),
        ("Newton-CG", True),
        ("trust-krylov", False),
        ("L-BFGS-B", False),
        ("SLSQP", False),
    ],
)
def test_every_method_finds_the_chained_rosenbrock_minimum(method, hessp):
    x = Symbol("x", shape=(12,))
    x0 = np.where(np.arange(12) % 2 == 0, -1.2, 1.0)
    options = {"options": {"maxiter": 2000}}
    if method != "SLSQP":
        options["tol"] = 1e-10
    res = minimize(rosenbrock(x), {x: x0}, method=method, hessp=hessp, **options)
    # chained Rosenbrock has a second local minimum near x[0] = -1 for n >= 4;
    # every route from this start reaches the global one at all ones
    np.testing.assert_allclose(res.params[x], np.ones(12), atol=1e-3)
    assert res.fun < 1e-6


def test_scalar_symbol_formulation_matches_the_shaped_one():
    xs = [Symbol(f"x{i}") for i in range(6)]
    f = sum(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(5))
    res = minimize(
        f, dict(zip(xs, [-1.2, 1.0] * 3, strict=True)), method="Newton-CG", tol=1e-10
    )
    assert set(res.params) == set(xs)
    np.testing.assert_allclose([res.params[s] for s in xs], np.ones(6), atol=1e-6)


def test_equality_constrained_least_distance_has_its_closed_form():
    """min |x - c|^2 subject to sum(x) = 1: x = c - (sum(c) - 1) / n."""
    c = np.array([0.3, -0.2, 0.9, 0.5])
    x = Symbol("x", shape=(4,))
    expected = c - (c.sum() - 1) / 4
    for method in ("trust-constr", "SLSQP"):
        res = minimize(
            esum((x - c) ** 2),
            {x: np.zeros(4)},
            method=method,
            equalities=[esum(x) - 1],
            tol=1e-12,
        )
        np.testing.assert_allclose(res.params[x], expected, atol=1e-6)


def test_two_sided_constraint_bounds_and_inequality():
    """min (x-2)^2 + (y-2)^2 with x^2 + y^2 <= 2 (two-sided, lo = None), x <= 1.5 as
    an inequality, y >= 0.8 as a bound: the optimum is (2, 2) projected on the
    circle, x = y = 1."""
    x, y = Symbol("x"), Symbol("y")
    f = (x - 2) ** 2 + (y - 2) ** 2
    results = [
        minimize(
            f,
            {x: 0.5, y: 0.9},
            method=method,
            constraints=[(None, x**2 + y**2, 2.0)],
            inequalities=[1.5 - x],
            bounds={y: (0.8, None)},
            tol=1e-12,
        )
        for method in ("trust-constr", "SLSQP")
    ]
    for res in results:
        assert res.params[x] == pytest.approx(1.0, abs=1e-5)
        assert res.params[y] == pytest.approx(1.0, abs=1e-5)


def test_bounds_with_l_bfgs_b_clip_at_the_box():
    x = Symbol("x", shape=(3,))
    res = minimize(
        esum((x - np.array([2.0, -2.0, 0.5])) ** 2),
        {x: np.zeros(3)},
        method="L-BFGS-B",
        bounds={x: (-1, [1.0, 1.0, 1.0])},
    )
    np.testing.assert_allclose(res.params[x], [1.0, -1.0, 0.5], atol=1e-7)


def test_result_matches_scipy_with_finite_differences():
    """The same optimum as scipy's BFGS with '2-point' gradients of a numpy twin."""
    w, b = Symbol("w", shape=(3,)), Symbol("b")
    rng = np.random.default_rng(7)
    X = rng.normal(size=(20, 3))
    t = (rng.random(20) < 0.5).astype(float)
    z = X @ w + b
    # logistic loss with a ridge term: strictly convex, one minimum
    loss = esum((1 - t) * z + softplus(-z)) + 0.1 * esum(w**2)
    res = minimize(loss, {w: np.zeros(3), b: 0.0}, method="trust-constr", tol=1e-12)

    def twin(v):
        zz = X @ v[:3] + v[3]
        return np.sum((1 - t) * zz + np.logaddexp(0, -zz)) + 0.1 * v[:3] @ v[:3]

    ref = optimize.minimize(twin, np.zeros(4), method="BFGS", jac="2-point", tol=1e-10)
    np.testing.assert_allclose(res.x, ref.x, atol=1e-4)
    assert math.isclose(res.fun, ref.fun, rel_tol=1e-9)


def test_least_squares_recovers_exact_parameters():
    a, k, c = Symbol("a"), Symbol("k"), Symbol("c")
    t = np.linspace(0, 2, 15)
    data = 1.5 * np.exp(-0.7 * t) + 0.2 * np.sin(3 * t)
    res = least_squares(
        a * exp(k * t) + c * sin(3 * t) - data,
        {a: 1.0, k: 0.0, c: 0.0},
        xtol=1e-14,
        ftol=1e-14,
        gtol=1e-14,
    )
    assert res.params[a] == pytest.approx(1.5, abs=1e-8)
    assert res.params[k] == pytest.approx(-0.7, abs=1e-8)
    assert res.params[c] == pytest.approx(0.2, abs=1e-8)


def test_least_squares_sparse_jacobian_and_scipy_agree():
    """Smoothing fit (residuals exp(x) - y and alpha diff(x)), n = 200: the exact
    sparse Jacobian reaches scipy's own 2-point-with-sparsity optimum."""
    n, alpha = 200, 3.0
    y = np.exp(np.sin(np.linspace(0, 6, n)))
    x = Symbol("x", shape=(n,))
    res = least_squares(
        [exp(x) - y, alpha * (x[1:] - x[:-1])], {x: np.zeros(n)}, bounds={x: (-5, 5)}
    )
    J = res.jac
    assert J.format == "csr" and J.nnz == n + 2 * (n - 1)

    def r(v):
        return np.concatenate([np.exp(v) - y, alpha * np.diff(v)])

    pattern = (np.abs(J.toarray()) > 0).astype(int)
    ref = optimize.least_squares(r, np.zeros(n), jac_sparsity=pattern, bounds=(-5, 5))
    np.testing.assert_allclose(res.x, ref.x, atol=1e-5)
    np.testing.assert_allclose(res.jac.toarray(), ref.jac.toarray(), atol=1e-5)


def test_errors():
    x = Symbol("x", shape=(2,))
    with pytest.raises(ValueError, match="params"):
        minimize(esum(x**2), np.zeros(2))
    with pytest.raises(TypeError, match="built from the expressions"):
        minimize(esum(x**2), {x: np.zeros(2)}, jac="2-point")
    with pytest.raises(ValueError, match="unknown or unsupported method"):
        minimize(esum(x**2), {x: np.zeros(2)}, method="Powell")
    with pytest.raises(ValueError, match="no residuals"):
        least_squares([], {x: np.zeros(2)})
    with pytest.raises(ValueError, match="not parameters: y"):
        least_squares(x - Symbol("y"), {x: np.zeros(2)})
    with pytest.raises(TypeError, match="jac"):
        least_squares(x - 1, {x: np.zeros(2)}, jac="2-point")
