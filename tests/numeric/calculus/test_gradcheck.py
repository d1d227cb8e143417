"""numeric.check_grad / assert_grad_close: the claims of issue 5.

float64: zero false positives over 1,000 random smooth functions, and a gradient wrong
by a relative 1e-6 is caught.  float32: no false positives on sin, exp, tanh and
sigmoid, and a 1e-2 error is caught.  Tolerances come from the finite-difference error
estimate per component, so an array's size does not loosen them.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from numeric import GradCheckResult, assert_grad_close, check_grad

# Smooth functions phi with their derivatives phi', the terms of random_smooth.
_SMOOTH_PAIRS = [
    (np.sin, np.cos),
    (np.tanh, lambda t: 1 - np.tanh(t) ** 2),
    (lambda t: np.log1p(t * t), lambda t: 2 * t / (1 + t * t)),
    (lambda t: np.exp(np.sin(t)), lambda t: np.cos(t) * np.exp(np.sin(t))),
]


def random_smooth(rng, n, k=4):
    """f(v) = sum_i a_i phi_i(b_i . v + c_i) and its exact gradient."""
    B = rng.normal(size=(k, n))
    c = rng.uniform(-1, 1, k)
    a = rng.uniform(-2, 2, k)
    kinds = rng.integers(0, len(_SMOOTH_PAIRS), k)

    def f(v):
        u = B @ v + c
        return sum(a[i] * _SMOOTH_PAIRS[kinds[i]][0](u[i]) for i in range(k))

    def grad(v):
        u = B @ v + c
        return sum(a[i] * _SMOOTH_PAIRS[kinds[i]][1](u[i]) * B[i] for i in range(k))

    return f, grad


def test_float64_no_false_positive_in_1000_random_functions_and_1e6_caught():
    rng = np.random.default_rng(20240605)
    false_positives = []
    margins = []
    for trial in range(1000):
        n = int(rng.integers(2, 5))
        f, grad = random_smooth(rng, n)
        x = rng.uniform(-2, 2, n)
        good = grad(x)
        res = check_grad(f, good, x)
        if not res.ok:
            false_positives.append((trial, res.report()))
        # The tolerance at the largest component must sit well below a relative
        # 1e-6, so that such an error there fails (checked directly below too).
        i = int(np.argmax(np.abs(good)))
        margins.append(res.tolerance[i] / (1e-6 * abs(good[i])))
        if trial % 10 == 0:
            bad = good.copy()
            bad[i] *= 1 + 1e-6
            assert not check_grad(f, bad, x).ok
    assert false_positives == []
    assert max(margins) < 1.0


@pytest.mark.parametrize(
    ("name", "f", "df"),
    [
        ("sin", np.sin, np.cos),
        ("exp", np.exp, np.exp),
        ("tanh", np.tanh, lambda t: 1 - np.tanh(t) ** 2),
        (
            "sigmoid",
            lambda t: 1 / (1 + np.exp(-t)),
            lambda t: np.exp(-t) / (1 + np.exp(-t)) ** 2,
        ),
    ],
)
def test_float32_correct_gradients_pass_and_1e2_is_caught(name, f, df):
    rng = np.random.default_rng(sum(map(ord, name)))
    for _ in range(25):
        x = rng.uniform(-3, 3, 6).astype(np.float32)

        def F(v):
            return np.sum(f(v), dtype=np.float32)

        good = df(x).astype(np.float32)
        res = check_grad(F, good, x)
        assert res.dtype == np.float32
        assert res.ok, res.report()
        bad = good.copy()
        i = int(np.argmax(np.abs(good)))
        bad[i] *= np.float32(1.01)
        assert not check_grad(F, bad, x).ok


def test_tolerance_does_not_grow_with_the_number_of_components():
    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 2, 1000)

    def f(v):
        return np.sum(np.sin(v))

    good = np.cos(x)
    assert check_grad(f, good, x).ok
    bad = good.copy()
    bad[123] *= 1 + 1e-6
    res = check_grad(f, bad, x)
    assert not res.ok
    assert res.failures() == [(123,)]


@given(
    A=arrays(np.float64, (3, 3), elements=st.floats(-3, 3)),
    x=arrays(np.float64, 3, elements=st.floats(-3, 3)),
)
def test_correct_quadratic_gradients_pass(A, x):
    def f(v):
        return v @ A @ v + np.sum(np.exp(v / 3))

    def g(v):
        return (A + A.T) @ v + np.exp(v / 3) / 3

    assert check_grad(f, g, x).ok


@given(
    x=arrays(np.float64, 4, elements=st.floats(-3, 3)),
    j=st.integers(0, 3),
    sign=st.sampled_from([-1.0, 1.0]),
)
def test_a_transposed_matrix_gradient_is_caught(x, j, sign):
    A = np.arange(16.0).reshape(4, 4) / 7

    def f(v):
        return v @ A @ v + np.sum(np.cos(v))

    # A classic bug: 2 A x instead of (A + A^T) x, plus a sign error in one place.
    wrong = 2 * A @ x - np.sin(x)
    wrong[j] += sign * 1e-3 * (1 + abs(wrong[j]))
    assert not check_grad(f, wrong, x).ok


def test_jacobian_check():
    A = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]])

    def f(v):
        return np.tanh(A @ v)

    def jac(v):
        return (1 - np.tanh(A @ v) ** 2)[:, None] * A

    x = np.array([0.3, -0.8])
    assert check_grad(f, jac, x).ok
    assert not check_grad(f, lambda v: jac(v) * 1.001, x).ok


def test_complex_method_and_scalar_x():
    res = check_grad(np.exp, np.exp, 0.7, method="complex")
    assert res.ok and res.nfev == 1
    assert check_grad(np.sin, np.cos, 0.7).ok


def test_result_fields_and_report():
    def f(v):
        return np.sum(v**3)

    x = np.array([1.0, -2.0, 0.5])
    good = 3 * x**2
    bad = good.copy()
    bad[1] += 1e-4
    res = check_grad(f, bad, x)
    assert isinstance(res, GradCheckResult)
    assert not res.ok
    assert res.failures() == [(1,)]
    assert res.max_rel_error == pytest.approx(1e-4 / (12 + 1e-4), rel=1e-6)
    assert res.analytic.shape == res.numeric.shape == res.tolerance.shape == (3,)
    np.testing.assert_allclose(res.numeric, good, rtol=1e-12)
    assert np.all(res.reliable)
    text = res.report()
    assert text.startswith("check_grad: FAILED (1 of 3 outside tolerance)")
    first_row = text.splitlines()[3]
    assert "(1,)" in first_row and "FAIL" in first_row
    assert "1.200010000000000e+01" in first_row
    assert "rtol=7.11e-15" in text
    ok_text = check_grad(f, good, x).report()
    assert ok_text.startswith("check_grad: OK (3 components)")
    assert "FAIL" not in ok_text


def test_user_tolerances_loosen_the_check():
    def f(v):
        return np.sum(v**2)

    x = np.array([1.0, 2.0])
    bad = 2 * x * (1 + 1e-5)
    assert not check_grad(f, bad, x).ok
    assert check_grad(f, bad, x, rtol=1e-4).ok
    assert check_grad(f, bad, x, atol=1e-4).ok


def test_assert_grad_close_raises_with_the_report():
    def f(v):
        return np.sum(np.exp(v))

    x = np.array([0.0, 1.0])
    res = assert_grad_close(f, np.exp, x)
    assert res.ok
    with pytest.raises(AssertionError) as info:
        assert_grad_close(f, lambda v: np.exp(v) * [1.0, 1.001], x)
    message = str(info.value)
    assert message.startswith("check_grad: FAILED (1 of 2 outside tolerance)")
    assert "(1,)" in message


def test_bad_input():
    def f(v):
        return np.sum(v**2)

    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="grad_f has shape"):
        check_grad(f, np.ones(3), x)
    with pytest.raises(ValueError, match="rtol must be finite and >= 0"):
        check_grad(f, 2 * x, x, rtol=-1.0)
    with pytest.raises(ValueError, match="x must be finite"):
        check_grad(f, 2 * x, np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match="unknown method"):
        check_grad(f, 2 * x, x, method="five-point")
    with pytest.raises(TypeError, match="f must be callable"):
        check_grad(None, 2 * x, x)
