"""Generated numpy code raises no overflow/invalid/divide warning on finite inputs in
an op's domain (issue 12): `-W error` suites and `np.errstate(all="raise")` users.

Underflow is allowed (numpy ignores it by default, and ``exp(-800) == 0`` is the right
rounding), so the check raises on everything else.
"""

import warnings

import numpy as np
import pytest
import scipy.special

from symdiff import Symbol, lambdify
from symdiff.core.expr import apply
from symdiff.ops import OPS

x, y = Symbol("x"), Symbol("y")
BIG = np.array([-800.0, -40.0, -1e-300, 0.0, 1e-300, 40.0, 800.0])
# ops whose value itself leaves the floats at |x| = 800: their overflow is the answer
OVERFLOWS = {"exp", "expm1", "exp2", "sinh", "cosh"}
# points inside each restricted domain, up to its edges
DOMAIN_POINTS = {
    "positive": np.array([1e-300, 1e-5, 1.0, 800.0, 1e300]),
    "open_unit": np.array([-0.999999, -0.5, 0.0, 0.5, 0.999999]),
    "above_one": np.array([1.0 + 1e-12, 2.0, 800.0, 1e300]),
}


def _raising():
    """errstate that raises on everything but underflow, with warnings as errors."""
    stack = warnings.catch_warnings()
    return stack, np.errstate(over="raise", invalid="raise", divide="raise")


def _points(op):
    return DOMAIN_POINTS.get(OPS[op].domain, BIG)


STABLE = sorted(
    n
    for n, s in OPS.items()
    if s.elementwise
    and s.arity
    and s.code is not None
    and n not in OVERFLOWS
    and n not in ("div", "pow", "tan")  # poles and overflow are their values
    and n != "polygamma"  # its first operand is an integer order (test_special_ops)
)


@pytest.mark.parametrize("op", STABLE)
def test_generated_code_does_not_warn_on_finite_inputs(op):
    pts = _points(op)
    other = pts[::-1].copy() if OPS[op].domain == "real" else np.full_like(pts, 0.5)
    if op == "mul":
        other = np.ones_like(pts)  # 800 * 1e300 overflows: the product's value
    e = apply(op, *(x, y, y + 1)[: OPS[op].arity])
    f = lambdify([x, y], e)
    catch, errstate = _raising()
    with catch, errstate:
        warnings.simplefilter("error")
        out = f(pts, other)
    assert np.all(np.isfinite(out)), (op, out)


def test_sigmoid_code_is_exact_in_both_tails():
    """The generated sigmoid agrees with scipy's expit to a few ulps where
    1/(1 + exp(-x)) would overflow, and in the tail where expit(x) is tiny."""
    pts = np.array([-800.0, -745.0, -700.0, -36.0, -1.0, 0.0, 3.0, 36.0, 800.0])
    got = lambdify([x], apply("sigmoid", x))(pts)
    np.testing.assert_allclose(got, scipy.special.expit(pts), rtol=4e-16, atol=1e-300)


def test_erfc_matches_scipy_and_logaddexp_is_exact_at_large_inputs():
    pts = np.linspace(-5, 5, 41)
    got = lambdify([x], apply("erfc", x))(pts)
    np.testing.assert_allclose(got, scipy.special.erfc(pts), rtol=0, atol=4e-16)
    big = np.array([700.0, 800.0, -800.0])
    got = lambdify([x, y], apply("logaddexp", x, y))(big, big)
    np.testing.assert_allclose(got, big + np.log(2.0), rtol=1e-15)


@pytest.mark.parametrize("backend", ["numpy", "array_api"])
def test_logsumexp_code_handles_rows_of_infinities_as_evaluate_does(backend):
    # a row of -inf sums to 0 (log: -inf); a row with +inf is +inf; huge rows shift
    from symdiff import evaluate, logsumexp

    if backend == "array_api":
        pytest.importorskip("array_api_compat")
    Z = Symbol("Z", shape=("n", 3))
    v = np.array(
        [
            [1.0, 2.0, 3.0],
            [-np.inf, -np.inf, -np.inf],
            [np.inf, 1.0, 800.0],
            [1000.0, 1000.0, -1000.0],
        ]
    )
    want = scipy.special.logsumexp(v, axis=1)
    for e, expect in ((logsumexp(Z, axis=1), want), (logsumexp(Z), np.inf)):
        f = lambdify([Z], e, backend=backend)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = np.asarray(f(v))
        np.testing.assert_allclose(got, expect, rtol=1e-15)
        np.testing.assert_allclose(got, evaluate(e, {Z: v}), rtol=1e-15)
    finite = v[[0, 3]]
    f = lambdify([Z], logsumexp(Z, axis=0, keepdims=True), backend=backend)
    np.testing.assert_allclose(
        f(finite), scipy.special.logsumexp(finite, axis=0, keepdims=True), rtol=1e-15
    )


@pytest.mark.parametrize("backend", ["numpy", "array_api"])
def test_softmax_code_takes_one_exp_and_keeps_evaluates_values(backend):
    from symdiff import evaluate, log_softmax, softmax

    if backend == "array_api":
        pytest.importorskip("array_api_compat")
    Z = Symbol("Z", shape=("n", 3))
    v = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0], [-np.inf] * 3])
    wide = np.array([[np.inf, 1.0, 800.0]])
    for e, ref in (
        (softmax(Z, axis=1), scipy.special.softmax),
        (log_softmax(Z, axis=1), scipy.special.log_softmax),
    ):
        f = lambdify([Z], e, backend=backend)
        if backend == "numpy":  # the helper, which takes exp once
            assert f"_{e.op}(Z, -1)" in f.source
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = np.asarray(f(v))
            f(wide)  # an infinite entry: nan, but no warning
        np.testing.assert_allclose(got[:2], ref(v[:2], axis=1), rtol=1e-15, atol=0)
        assert np.isnan(got[2]).all()
        with np.errstate(all="ignore"):
            np.testing.assert_allclose(got, evaluate(e, {Z: v}), rtol=1e-15)
