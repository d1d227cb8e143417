"""Issue 11: the controls numdifftools and scipy users expect on ``derivative``.

``maxiter`` caps the step search, ``atol``/``rtol`` set a target the search stops at
(and that ``success`` reports on), ``direction`` is the peers' name for a one-sided
stencil.  Each test fails without the control (an unknown keyword, or a search that
ignores it).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeric import derivative, gradient, jacobian


def test_maxiter_caps_the_search():
    full = derivative(np.exp, 1.0, full_output=True)
    capped = derivative(np.exp, 1.0, maxiter=1, full_output=True)
    assert full.success
    assert capped.nfev < full.nfev
    assert not capped.success and "maxiter" in capped.message
    # What the capped search reports still bounds its error.
    assert abs(capped.value - np.e) <= capped.error


def test_maxiter_large_changes_nothing():
    x = np.linspace(0.1, 3.0, 7)
    a = derivative(np.sin, x, full_output=True)
    b = derivative(np.sin, x, maxiter=1000, full_output=True)
    np.testing.assert_array_equal(a.value, b.value)
    np.testing.assert_array_equal(a.nfev, b.nfev)


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"maxiter": 0}, ValueError, "maxiter must be >= 1"),
        ({"maxiter": 2.5}, TypeError, "maxiter must be an integer"),
        ({"maxiter": True}, TypeError, "maxiter must be an integer"),
        ({"maxiter": 3, "step": 0.1}, ValueError, "no meaning with a fixed step"),
        ({"atol": -1e-9}, ValueError, "atol must be >= 0"),
        ({"rtol": float("nan")}, ValueError, "rtol must be finite"),
        ({"rtol": "small"}, TypeError, "rtol must be a real number"),
        ({"direction": 2}, ValueError, "unknown direction 2"),
        ({"direction": "up"}, ValueError, "unknown direction 'up'"),
        ({"direction": True}, ValueError, "unknown direction True"),
        ({"method": "central", "direction": 1}, ValueError, "contradicts"),
        ({"method": "complex", "direction": "center"}, ValueError, "contradicts"),
    ],
)
def test_bad_controls_are_named(kwargs, error, text):
    with pytest.raises(error, match=text):
        derivative(np.exp, 1.0, **kwargs)


@pytest.mark.parametrize(
    ("direction", "method"),
    [
        ("center", "central"),
        (0, "central"),
        ("forward", "forward"),
        (1, "forward"),
        (np.int64(1), "forward"),
        ("backward", "backward"),
        (-1, "backward"),
    ],
)
def test_direction_is_an_alias_of_method(direction, method):
    x = np.array([0.3, 1.7])
    a = derivative(np.log1p, x, direction=direction, full_output=True)
    b = derivative(np.log1p, x, method=method, full_output=True)
    np.testing.assert_array_equal(a.value, b.value)
    # Passing both, consistently, is allowed.
    c = derivative(np.log1p, x, method=method, direction=direction)
    np.testing.assert_array_equal(a.value, c)


def test_one_sided_direction_evaluates_one_side_only():
    seen = []

    def f(t):
        seen.append(np.asarray(t).copy())
        return np.exp(t)

    derivative(f, 1.0, direction=+1)
    assert min(float(np.min(t)) for t in seen) >= 1.0
    seen.clear()
    derivative(f, 1.0, direction=-1)
    assert max(float(np.max(t)) for t in seen) <= 1.0


def test_loose_target_stops_early_and_meets_it():
    default = derivative(np.cos, 0.7, full_output=True)
    loose = derivative(np.cos, 0.7, rtol=1e-5, full_output=True)
    assert loose.nfev < default.nfev
    assert loose.success
    assert loose.error <= 1e-5 * abs(loose.value)
    assert abs(loose.value + np.sin(0.7)) <= loose.error


def test_unreachable_target_is_reported():
    res = derivative(np.exp, 1.0, rtol=1e-17, full_output=True)
    assert not res.success
    assert "target" in res.message
    # The value is still the best seen, with an honest error.
    assert abs(res.value - np.e) <= res.error


def test_atol_alone_uses_scipy_default_rtol():
    res = derivative(np.exp, 1.0, atol=1e-3, full_output=True)
    assert res.success
    assert res.error <= 1e-3 + np.sqrt(np.finfo(float).eps) * np.e


def test_target_applies_to_fixed_step_and_complex_step():
    res = derivative(np.exp, 1.0, step=0.1, rtol=1e-12, full_output=True)
    assert not res.success and "target" in res.message
    res = derivative(np.exp, 1.0, method="complex", rtol=1e-12, full_output=True)
    assert res.success


@settings(max_examples=25, deadline=None)
@given(
    x=st.floats(-3.0, 3.0),
    rtol=st.sampled_from([1e-4, 1e-7, 1e-10]),
    direction=st.sampled_from([-1, 0, 1]),
)
def test_success_means_target_met(x, rtol, direction):
    # Law: wherever success is claimed, the true error is within the reported
    # error and the reported error within the target.
    res = derivative(np.sinh, x, rtol=rtol, direction=direction, full_output=True)
    if res.success:
        assert res.error <= rtol * abs(res.value)
        assert abs(res.value - np.cosh(x)) <= res.error


def test_gradient_and_jacobian_take_direction():
    x = np.array([0.5, 1.5])
    g = gradient(lambda v: np.sum(np.sqrt(v)), x, direction=-1, full_output=True)
    ref = gradient(lambda v: np.sum(np.sqrt(v)), x, method="backward")
    np.testing.assert_array_equal(g.value, ref)
    j = jacobian(np.sqrt, x, direction="forward")
    np.testing.assert_allclose(j, np.diag(0.5 / np.sqrt(x)), rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="contradicts"):
        jacobian(np.sqrt, x, method="backward", direction=1)


def test_jacobian_target_and_maxiter():
    x = np.array([0.2, 0.9])
    # The zero off-diagonal entries need atol: rtol * 0 is no target.
    loose = jacobian(np.sin, x, rtol=1e-4, atol=1e-10, full_output=True)
    tight = jacobian(np.sin, x, full_output=True)
    assert loose.nfev < tight.nfev
    assert np.all(loose.success)
    assert np.all(loose.error <= 1e-10 + 1e-4 * np.abs(loose.value))
    zero_target = jacobian(np.sin, x, rtol=1e-4, full_output=True)
    assert not np.any(zero_target.success[~np.eye(2, dtype=bool)])
    capped = gradient(lambda v: np.sum(np.sin(v)), x, maxiter=1, full_output=True)
    assert not np.any(capped.success)
    with pytest.raises(ValueError, match="maxiter must be >= 1"):
        gradient(lambda v: np.sum(v), x, maxiter=0)


def test_directional_derivative_is_exported_from_numeric():
    import numeric
    from numeric.calculus import directional_derivative as inner

    assert "directional_derivative" in numeric.__all__
    assert numeric.directional_derivative is inner


@pytest.mark.parametrize("direction", [0, 1, -1])
def test_maxiter_spends_only_the_rounds_it_reads(direction):
    # Round one evaluates three steps, each later round one more (as scipy's
    # nfev = order + 1 + (maxiter - 1) * 2); each second-order stencil takes two
    # new values (x +- h, or x + h and x + 2h), a one-sided one also f(x).  A
    # search cut short wastes no evaluations.
    per_step = 2
    x = np.array([0.3, 1.1])
    for maxiter in (1, 2):
        res = derivative(
            np.sin, x, maxiter=maxiter, direction=direction, full_output=True
        )
        expected = per_step * (3 + maxiter - 1) + (direction != 0)
        assert np.all(res.nfev == expected), (res.nfev, expected)
