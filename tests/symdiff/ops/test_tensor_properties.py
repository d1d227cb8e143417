"""Property tests over random tensor expressions (symdiff.strategies, issue 12):
gradients vs central differences, lambdify == evaluate, with fixed and named dims."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ml_helpers import fd_grad, weighted

from symdiff import Symbol, evaluate, grad, lambdify
from symdiff.strategies import points, tensor_expressions

a3, b3 = Symbol("a", shape=(3,)), Symbol("b", shape=(3,))
m, n = Symbol("m", shape=(2, 3)), Symbol("q", shape=(2, 3))
rows = Symbol("r", shape=("n", 3))


def _with_point(exprs):
    return exprs.flatmap(lambda e: points(e).map(lambda p: (e, p)))


CASES = st.one_of(
    _with_point(tensor_expressions((3,), [a3, b3], max_leaves=6)),
    _with_point(tensor_expressions((2, 3), [m, n], max_leaves=6)),
)


@settings(max_examples=30, deadline=None)
@given(CASES)
def test_gradient_matches_central_differences(case):
    e, at = case
    loss = weighted(e, seed=2)
    with np.errstate(all="ignore"):
        base = float(evaluate(loss, at))
        assume(np.isfinite(base) and abs(base) < 1e6)
        for sym in sorted(at, key=lambda s: s.name):
            got = evaluate(grad(loss, sym), at)
            assume(np.all(np.isfinite(got)) and np.max(np.abs(got)) < 1e6)
            want = fd_grad(
                lambda v, sym=sym: float(evaluate(loss, {**at, sym: v})), at[sym], 1e-5
            )
            scale = 1 + np.max(np.abs(got))
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * scale)


@settings(max_examples=30, deadline=None)
@given(_with_point(tensor_expressions(("n", 3), [rows], max_leaves=6)))
def test_lambdify_equals_evaluate_for_any_number_of_rows(case):
    e, at = case
    assume(rows in at)  # a constant expression has no rows to size n from
    f = lambdify([rows], [e, grad(weighted(e.sum(axis=0)), rows)])
    with np.errstate(all="ignore"):
        got = f(at[rows])
        want = evaluate([e, grad(weighted(e.sum(axis=0)), rows)], at)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-12, equal_nan=True)
