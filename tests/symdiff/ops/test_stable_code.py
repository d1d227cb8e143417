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
