"""The ML ops' rows go through every pass on a deep chain (no recursion anywhere)."""

import numpy as np
import scipy.special

from symdiff import (
    Symbol,
    evaluate,
    grad,
    lambdify,
    latex,
    parse,
    softmax,
    sum,
    to_str,
    where,
)

# each level is three nodes (mul, softmax, add): the chain is 102,000 nodes deep, the
# standard's 100,000, and its gradient deeper still
DEPTH = 34_000


def test_softmax_and_where_chain_evaluates_differentiates_and_prints():
    v = Symbol("v", shape=(3,))
    e = v
    shift = where(v > 0.1, v, 0)  # shared by every level
    for _ in range(DEPTH):
        e = softmax(e * 2) + shift
    at = np.array([0.3, -0.2, 0.5])
    mask = at > 0.1
    t, dt = at, np.eye(3)  # the chain's value and Jacobian, by numpy
    for _ in range(DEPTH):
        s = scipy.special.softmax(t * 2)
        t, dt = s + np.where(mask, at, 0), 2 * (np.diag(s) - np.outer(s, s)) @ dt
        dt += np.diag(mask.astype(float))
    np.testing.assert_allclose(evaluate(e, {v: at}), t, rtol=1e-12)
    g = grad(sum(e), v)
    want = dt.sum(axis=0)
    np.testing.assert_allclose(evaluate(g, {v: at}), want, rtol=1e-9, atol=1e-12)
    value, gvalue = lambdify([v], [e, g])(at)
    np.testing.assert_allclose(value, t, rtol=1e-12)
    np.testing.assert_allclose(gvalue, want, rtol=1e-9, atol=1e-12)
    text = to_str(e)
    assert text.count("softmax(") == DEPTH and parse(text, {"v": v}) is e
    assert latex(e).count("softmax") == DEPTH
