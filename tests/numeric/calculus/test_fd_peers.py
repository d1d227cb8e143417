"""Issue 11: numdifftools' and scipy.differentiate's own test cases, on ``numeric``.

The cases (functions, points, reference values and the accuracy each project asks
for) come from numdifftools ``src/numdifftools/tests/test_numdifftools.py`` and scipy
``scipy/differentiate/tests/test_differentiate.py``; the comment above each test
names the upstream test.  The code is ours.  A case passes when ``numeric`` reaches
the upstream accuracy, or when it says ``success=False`` (with a message) instead;
a claimed success must also have a reported error that bounds the true one.
"""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from numeric import derivative, directional_derivative, gradient, hessian, jacobian

special = pytest.importorskip("scipy.special")
stats = pytest.importorskip("scipy.stats")


def _ok_or_honest(res, truth, *, rtol=1e-7, atol=0.0):
    """Upstream accuracy where success is claimed; a reason where it is not."""
    value = np.asarray(res.value, dtype=float)
    truth = np.broadcast_to(np.asarray(truth, dtype=float), value.shape)
    success = np.broadcast_to(res.success, value.shape)
    message = np.broadcast_to(res.message, value.shape)
    wrong = np.abs(value - truth) > atol + rtol * np.abs(truth)
    assert not np.any(success & wrong), (value, truth, res.error)
    assert all(m for m in message[~success].ravel())
    return success


def _rosen105(x):
    # numdifftools.testing.rosen: Rosenbrock with 105 (not 100) as its factor.
    return (1 - x[0]) ** 2 + 105.0 * (x[1] - x[0] ** 2) ** 2


# -- numdifftools: TestDerivative ---------------------------------------------


# numdifftools TestDerivative.test_directional_diff and
# TestGradient.test_directional_diff (their v is normalised).
def test_nd_directional_diff():
    v = np.array([1.0, -1.0]) / np.sqrt(2.0)
    dd = directional_derivative(_rosen105, np.array([2.0, 3.0]), v)
    np.testing.assert_allclose(dd, 743.87633380824832, rtol=1e-7)
    g = gradient(_rosen105, np.array([2.0, 3.0]))
    np.testing.assert_allclose(g @ v, 743.87633380824832, rtol=1e-7)


# numdifftools TestDerivative.test_infinite_functions: nd returns nan; we say why.
def test_nd_infinite_functions():
    res = derivative(lambda x: np.inf * np.ones_like(x), 0.0, full_output=True)
    assert not res.success and res.message


# numdifftools TestDerivative.test_high_order_derivative_cos: cos at pi/2,
# n up to 6 (central) / 5 (one-sided), orders 2..8, atol 1e-4.
@pytest.mark.parametrize("method", ["central", "forward", "backward"])
def test_nd_high_order_derivative_cos(method):
    truths = (-1.0, 0.0, 1.0, 0.0, -1.0, 0.0)  # n = 1..6 at pi/2
    n_max = 6 if method == "central" else 5
    for n in range(1, n_max + 1):
        for order in range(2, 9, 2):
            res = derivative(
                np.cos, np.pi / 2, n=n, order=order, method=method, full_output=True
            )
            _ok_or_honest(res, truths[n - 1], rtol=0, atol=1e-4)
            # The reported error bounds the truth, success or not.
            assert abs(res.value - truths[n - 1]) <= res.error
            if truths[n - 1] != 0:
                # A zero derivative (f(pi/2) = 0 too) may be declared
                # untrustworthy; a nonzero one must be found.
                assert res.success, (n, order, res.message)


# numdifftools TestDerivative.test_high_order_derivative_cos, method="complex" (n=1).
def test_nd_complex_derivative_cos():
    res = derivative(np.cos, np.pi / 2, method="complex", full_output=True)
    _ok_or_honest(res, -1.0, rtol=0, atol=1e-4)
    assert res.success


# numdifftools TestDerivative.test_derivative_of_cos_x: x in [0, 10], n up to 6
# (central) / 4 (one-sided), rtol 1e-6 with atol 100 * error estimate + 1e-14.
@settings(max_examples=6, deadline=None)
@given(st.floats(min_value=0, max_value=10))
@example(7.6564547238847105)
@example(8.9428143931508)
@example(2.2204460492503134e-14)
def test_nd_derivative_of_cos_x(x):
    for res, truth in _cos_derivatives(x):
        if res.success:
            # numdifftools' criterion; how often the estimate itself is exceeded
            # is measured on a fixed grid (the test below)
            assert abs(res.value - truth) <= max(
                1e-6 * abs(truth), 100 * res.error + 1e-14
            )
        else:
            assert res.message
    res = derivative(np.cos, x, method="complex", full_output=True)
    np.testing.assert_allclose(res.value, -np.sin(x), rtol=1e-6, atol=1e-14)


def _cos_derivatives(x):
    """(result, exact value) of cos's derivatives at x: n up to 6 (central) / 4
    (one-sided), every order numdifftools' test uses."""
    truths = (-np.sin(x), -np.cos(x), np.sin(x), np.cos(x)) * 2
    for method, n_max, orders in (
        ("central", 6, (2, 4, 6)),
        ("forward", 4, (1, 2, 3, 4)),
        ("backward", 4, (1, 2, 3, 4)),
    ):
        for n in range(1, n_max + 1):
            for order in orders:
                res = derivative(
                    np.cos, x, n=n, order=order, method=method, full_output=True
                )
                yield res, truths[n - 1]


def test_error_estimates_of_cos_derivatives_are_honest_on_a_grid():
    # The error estimate bounds the actual error "in the vast majority of cases"
    # (DerivativeResult): over 41 points, every method, order and n up to 6, at
    # most 1 % of them may be exceeded, and none by more than 20 times.  (A random
    # x checked against the bound alone failed now and then: x = 7.4765625, forward,
    # n = 2, order 3 is exceeded 15 times.)
    exceeded, total, worst = 0, 0, 0.0
    for x in np.linspace(0, 10, 41):
        for res, truth in _cos_derivatives(x):
            if not res.success:
                continue
            total += 1
            err = abs(res.value - truth)
            if err > res.error:
                exceeded += 1
                worst = max(worst, err / res.error)
    assert total > 1500
    assert exceeded <= 0.01 * total
    assert worst <= 20


def _cubic(x, a, b=1):
    return b * a * x * x * x


# numdifftools TestDerivative.test_fun_with_additional_parameters (issue #9).
@pytest.mark.parametrize("method", ["forward", "backward", "central", "complex"])
def test_nd_fun_with_additional_parameters(method):
    def on_vector(v, a, b=1):
        return _cubic(v[0], a, b)

    extra = {"args": (1.0,), "kwargs": {"b": 2}}
    for x, truth in ((0.0, 0.0), (1.0, 6.0)):
        val = derivative(_cubic, x, method=method, **extra)
        np.testing.assert_allclose(val, truth, rtol=1e-7, atol=1e-13)
        g = gradient(on_vector, np.array([x]), method=method, **extra)
        np.testing.assert_allclose(g, [truth], rtol=1e-7, atol=1e-13)
        j = jacobian(_cubic, np.array([x]), method=method, **extra)
        np.testing.assert_allclose(j, [[truth]], rtol=1e-7, atol=1e-13)
    h = hessian(on_vector, np.array([1.0]), **extra)
    np.testing.assert_allclose(h, [[12.0]], rtol=1e-7)


# numdifftools TestDerivative.test_derivative_cube (issue 7), _exp, _sin.
def test_nd_cube_exp_sin():
    x = np.full((3, 2), 2.0)
    np.testing.assert_allclose(derivative(lambda t: t * t * t, x), 3 * x**2, rtol=1e-8)
    np.testing.assert_allclose(derivative(np.exp, 0.0), 1.0, rtol=1e-8)
    x = np.linspace(0, 2.0 * np.pi, 13)
    np.testing.assert_allclose(derivative(np.sin, x), np.cos(x), atol=1e-8)


# numdifftools TestDerivative.test_backward_derivative_on_sinh (only looks below x0)
# and test_central_and_forward_derivative_on_log.
def test_nd_sinh_backward_and_log_near_zero():
    seen = []

    def sinh(t):
        seen.append(float(np.max(t)))
        return np.sinh(t)

    np.testing.assert_allclose(derivative(sinh, 0.0, method="backward"), 1.0)
    assert max(seen) <= 0.0
    for method in ("central", "forward"):
        np.testing.assert_allclose(derivative(np.log, 0.001, method=method), 1000.0)


# The issue's own report: one-sided 5th derivatives of sqrt at 0.5 (numdifftools
# reaches 9e-5); off by 0.12 with success=True before issue 11.
@pytest.mark.parametrize("method", ["forward", "backward"])
def test_nd_one_sided_fifth_derivative_of_sqrt(method):
    truth = (105.0 / 32.0) * 0.5**-4.5  # d^5/dx^5 sqrt(x) = 105/32 x^(-9/2)
    res = derivative(np.sqrt, 0.5, n=5, method=method, full_output=True)
    _ok_or_honest(res, truth, rtol=1e-4)
    if res.success:
        assert abs(res.value - truth) <= res.error


# -- numdifftools: TestJacobian, TestGradient ----------------------------------


# numdifftools TestJacobian.test_scalar_to_vector.
@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=-1000, max_value=1000))
def test_nd_scalar_to_vector(val):
    truth = np.array([[1.0], [2 * val], [3 * val**2]])
    for method in ("complex", "central", "forward", "backward"):
        j = jacobian(
            lambda x: np.array([x[0], x[0] ** 2, x[0] ** 3]), [val], method=method
        )
        np.testing.assert_allclose(j, truth, rtol=1e-3, atol=1e-6)


# numdifftools TestJacobian.test_on_scalar_function.
@pytest.mark.parametrize("method", ["complex", "central", "forward", "backward"])
def test_nd_jacobian_on_scalar_function(method):
    def fun(x):
        return x[0] * x[1] * x[2] + np.exp(x[0]) * x[1]

    g = gradient(fun, np.array([3.0, 5.0, 7.0]), method=method)
    np.testing.assert_allclose(g, [135.42768462, 41.08553692, 15.0])


# numdifftools TestJacobian.test_on_vector_valued_function: zero residuals.
@pytest.mark.parametrize("method", ["complex", "central", "forward", "backward"])
def test_nd_jacobian_zero_residuals(method):
    xdata = np.arange(0, 1, 0.1)
    ydata = 1 + 2 * np.exp(0.75 * xdata)

    def fun(c):
        return (c[0] + c[1] * np.exp(c[2] * xdata) - ydata) ** 2

    j = jacobian(fun, np.array([1.0, 2.0, 0.75]), method=method)
    np.testing.assert_allclose(j, np.zeros((ydata.size, 3)), atol=1e-12)


# numdifftools TestJacobian.test_on_matrix_valued_function and test_issue_25.
def test_nd_matrix_valued_and_issue_25():
    def fun(x):
        return np.array([x[0] ** 2 + x[1] ** 2, x[0] ** 3 + x[1] ** 3])

    np.testing.assert_allclose(jacobian(fun, [1.0, 2.0]), [[2.0, 4.0], [3.0, 12.0]])
    np.testing.assert_allclose(jacobian(fun, [3.0, 4.0]), [[6.0, 8.0], [27.0, 48.0]])

    def g_fun(x):
        return np.stack([x, x])

    np.testing.assert_allclose(
        jacobian(g_fun, np.array([1.0, 2.0])), np.stack([np.eye(2), np.eye(2)])
    )


# numdifftools TestGradient.test_gradient.
@pytest.mark.parametrize("method", ["complex", "central", "backward", "forward"])
def test_nd_gradient(method):
    g = gradient(lambda x: np.sum(x**2), np.array([1.0, 2.0, 3.0]), method=method)
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0])


# -- numdifftools: TestHessdiag, TestHessian ------------------------------------


# numdifftools TestHessdiag.test_default_step: diag of x0 + x1^2 + x2^3 at (1, 2, 3).
def test_nd_hessdiag():
    h = hessian(lambda x: x[0] + x[1] ** 2 + x[2] ** 3, np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(np.diagonal(h), [0.0, 2.0, 18.0], atol=1e-8)


# numdifftools TestHessian.test_hessian_cos_x_y_at_0_0, test_on_scalar_function,
# test_on_vector_valued_function.
def test_nd_hessians():
    h = hessian(lambda v: np.cos(v[0] - v[1]), np.array([0.0, 0.0]))
    np.testing.assert_allclose(h, [[-1.0, 1.0], [1.0, -1.0]])

    x, y, z = 3.0, 5.0, 7.0
    ref = [[np.exp(x) * y, np.exp(x) + z, y], [np.exp(x) + z, 0, x], [y, x, 0]]
    h = hessian(lambda v: v[0] * v[1] * v[2] + np.exp(v[0]) * v[1], np.array([x, y, z]))
    np.testing.assert_allclose(h, ref, atol=1e-4)

    x, y = 3.0, 5.0
    c, s = np.cos(x * y), np.sin(x * y)
    ref = [
        [[-y * y * c, -x * y * c - s], [-x * y * c - s, -x * x * c]],
        [[-y * y * s, c - x * y * s], [c - x * y * s, -x * x * s]],
    ]
    h = hessian(lambda v: np.array([np.cos(v[0] * v[1]), np.sin(v[0] * v[1])]), [x, y])
    np.testing.assert_allclose(h, ref, atol=1e-4)


# -- scipy.differentiate: TestDifferentiate ------------------------------------


# scipy TestDifferentiate.test_basic: the normal CDF's derivative is its pdf.
@pytest.mark.parametrize("x", [0.6, np.linspace(-0.05, 1.05, 10)])
def test_sp_basic(x):
    res = derivative(special.ndtr, x, full_output=True)
    ref = stats.norm.pdf(x)
    np.testing.assert_allclose(res.value, ref, rtol=1e-7)
    assert np.all(np.abs(res.value - ref) <= res.error)
    assert np.all(res.success)


# scipy TestDifferentiate.test_accuracy: cdf' = pdf at median + 0.1, atol 1e-10
# (a few of scipy's continuous distributions, with their test parameters).
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("norm", ()),
        ("gamma", (1.9932305483800778,)),
        ("beta", (2.3098496451481823, 0.62687954300963677)),
        ("t", (2.7433514990818093,)),
        ("lognorm", (0.95368226960575331,)),
        ("weibull_min", (1.7866166930421596,)),
    ],
)
def test_sp_accuracy(name, params):
    dist = getattr(stats, name)(*params)
    x = dist.median() + 0.1
    res = derivative(dist.cdf, x, full_output=True)
    _ok_or_honest(res, dist.pdf(x), rtol=0, atol=1e-10)
    assert res.success


# scipy TestDifferentiate.test_convergence: atol / rtol targets of 1e-3 and 1e-6
# are met, and the tighter one is closer.
def test_sp_convergence():
    ref = float(stats.norm.pdf(1.0))
    errors = []
    for key, target in (("atol", 1e-3), ("atol", 1e-6), ("rtol", 1e-3), ("rtol", 1e-6)):
        kwargs = {"atol": 0.0, "rtol": 0.0, key: target}
        res = derivative(special.ndtr, 1.0, order=4, full_output=True, **kwargs)
        bound = target * (ref if key == "rtol" else 1.0)
        assert res.success and abs(res.value - ref) < bound
        errors.append(abs(res.value - ref))
    assert errors[1] <= errors[0] and errors[3] <= errors[2]


# scipy TestDifferentiate.test_step_direction: exp, nan outside [0, 2].
def test_sp_step_direction():
    def f(x):
        y = np.exp(x)
        return np.where((x < 0) | (x > 2), np.nan, y)

    x = np.linspace(0, 2, 10)
    for part, direction in ((x < 0.6, 1), (x > 1.4, -1), ((x >= 0.6) & (x <= 1.4), 0)):
        res = derivative(f, x[part], direction=direction, full_output=True)
        np.testing.assert_allclose(res.value, np.exp(x[part]), rtol=1e-7)
        assert np.all(res.success)
    # Without a direction the central search turns one-sided by itself.
    res = derivative(f, x, full_output=True)
    np.testing.assert_allclose(res.value, np.exp(x), rtol=1e-7)


# scipy TestDifferentiate.test_vectorized_step_direction_args: x**p, p in {2, 3}.
@pytest.mark.parametrize("direction", [-1, 0, 1])
@pytest.mark.parametrize("p", [2, 3])
def test_sp_step_direction_args(direction, p):
    x = np.array([1.0, 2.0, 3.0, 4.0])
    res = derivative(lambda t, q: t**q, x, direction=direction, args=(p,))
    np.testing.assert_allclose(res, p * x ** (p - 1), rtol=1e-7)


# scipy TestDifferentiate.test_maxiter_callback: maxiter=3 with rtol=1e-15 does
# not succeed.
def test_sp_maxiter():
    res = derivative(special.ndtr, 0.612814, maxiter=3, rtol=1e-15, full_output=True)
    assert not res.success and res.message
    assert abs(res.value - stats.norm.pdf(0.612814)) <= res.error


# scipy TestDifferentiate.test_dtype: exp at 0.65 (and [0.65, 0.7]) in float16,
# float32 and float64, each direction, to rtol sqrt(eps) of the dtype.
@pytest.mark.parametrize("direction", [-1, 0, 1])
@pytest.mark.parametrize("x", [0.65, [0.65, 0.7]])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sp_dtype(direction, x, dtype):
    x = np.asarray(x, dtype=dtype)

    # numeric evaluates float16 input in float32 (docs/numeric_derivatives.md).
    computed = np.float32 if dtype == np.float16 else dtype

    def f(t):
        assert np.asarray(t).dtype == computed
        return np.exp(t)

    res = derivative(f, x, order=4, direction=direction, full_output=True)
    truth = np.exp(x.astype(np.float64))
    _ok_or_honest(res, truth, rtol=float(np.finfo(dtype).eps) ** 0.5)
    assert np.all(res.success)


# scipy TestDifferentiate.test_special_cases: integer x; polynomials 2 x**n at 1.5
# to rtol 1e-15; scalar args.
def test_sp_special_cases():
    res = derivative(lambda x: x**99 - 1, 7, rtol=1e-10, full_output=True)
    assert res.success
    np.testing.assert_allclose(res.value, 99 * 7.0**98, rtol=1e-10)
    for n in range(6):
        res = derivative(lambda x, k=n: 2 * x**k, 1.5, full_output=True)
        np.testing.assert_allclose(res.value, 2 * n * 1.5 ** (n - 1), rtol=1e-15)
    np.testing.assert_allclose(derivative(lambda x, c: c * x - 1, 2.0, args=(3,)), 3.0)


# scipy TestDifferentiate.test_saddle_gh18811 (xfail upstream): a zero derivative
# at a saddle, atol 1e-16, each direction.  Exact, or honestly unsuccessful.
@pytest.mark.parametrize("direction", [-1, 0, 1])
@pytest.mark.parametrize(
    "f",
    [
        lambda x: (x - 1) ** 3,
        lambda x: np.where(x > 1, (x - 1) ** 5, (x - 1) ** 3),
    ],
)
def test_sp_saddle(direction, f):
    res = derivative(f, 1.0, direction=direction, atol=1e-16, full_output=True)
    _ok_or_honest(res, 0.0, rtol=0, atol=1e-16)


# -- scipy.differentiate: TestJacobian -----------------------------------------


def _sp_f1(z):
    x, y = z
    return np.array([x**2 * y, 5 * x + np.sin(y)])


def _sp_df1(z):
    x, y = z
    return [[2 * x * y, x**2], [5.0, np.cos(y)]]


def _sp_f2(z):
    r, phi = z
    return np.array([r * np.cos(phi), r * np.sin(phi)])


def _sp_df2(z):
    r, phi = z
    return [[np.cos(phi), -r * np.sin(phi)], [np.sin(phi), r * np.cos(phi)]]


def _sp_f3(z):
    r, phi, th = z
    return np.array(
        [r * np.sin(phi) * np.cos(th), r * np.sin(phi) * np.sin(th), r * np.cos(phi)]
    )


def _sp_df3(z):
    r, phi, th = z
    return [
        [
            np.sin(phi) * np.cos(th),
            r * np.cos(phi) * np.cos(th),
            -r * np.sin(phi) * np.sin(th),
        ],
        [
            np.sin(phi) * np.sin(th),
            r * np.cos(phi) * np.sin(th),
            r * np.sin(phi) * np.cos(th),
        ],
        [np.cos(phi), -r * np.sin(phi), 0.0],
    ]


def _sp_f4(x):
    x1, x2, x3 = x
    return np.array([x1, 5 * x3, 4 * x2**2 - 2 * x3, x3 * np.sin(x1)])


def _sp_df4(x):
    x1, x2, x3 = x
    return [[1, 0, 0], [0, 0, 5], [0, 8 * x2, -2], [x3 * np.cos(x1), 0, np.sin(x1)]]


def _sp_f5(x):
    x1, x2, x3 = x
    return np.array([5 * x2, 4 * x1**2 - 2 * np.sin(x2 * x3), x2 * x3])


def _sp_df5(x):
    x1, x2, x3 = x
    c = np.cos(x2 * x3)
    return [[0, 5, 0], [8 * x1, -2 * x3 * c, -2 * x2 * c], [0, x3, x2]]


def _sp_rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _sp_rosen_der(x):
    g = np.zeros_like(x)
    g[:-1] += -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g


# scipy TestJacobian.test_examples: Wikipedia's Jacobians and Rosenbrock, atol 1e-10.
@pytest.mark.parametrize(
    ("f", "df", "n"),
    [
        (_sp_f1, _sp_df1, 2),
        (_sp_f2, _sp_df2, 2),
        (_sp_f3, _sp_df3, 3),
        (_sp_f4, _sp_df4, 3),
        (_sp_f5, _sp_df5, 3),
        (_sp_rosen, _sp_rosen_der, 5),
    ],
)
def test_sp_jacobian_examples(f, df, n):
    rng = np.random.default_rng(458912319542)
    for _ in range(3):
        x = rng.random(n)
        res = jacobian(f, x, full_output=True)
        ref = np.asarray(df(x), dtype=float).reshape(res.value.shape)
        np.testing.assert_allclose(res.value, ref, atol=1e-10)
        assert np.all(np.abs(res.value - ref) <= res.error + 1e-15)


# scipy TestJacobian.test_iv: bad tolerances and maxiter are named.
def test_sp_jacobian_input_validation():
    x = np.ones(3)
    with pytest.raises(ValueError, match="atol must be >= 0"):
        jacobian(_sp_rosen, x, atol=-1)
    with pytest.raises(ValueError, match="rtol must be >= 0"):
        jacobian(_sp_rosen, x, rtol=-1)
    with pytest.raises(ValueError, match="maxiter must be >= 1"):
        jacobian(_sp_rosen, x, maxiter=-1)
    with pytest.raises(ValueError, match="order must be >= 1"):
        derivative(_sp_rosen, 1.0, order=-1)
