"""Masks, where and clip: values vs numpy, derivatives vs central differences and
torch, no derivative through a condition, clear errors."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_helpers import check_derivatives

from symdiff import (
    Symbol,
    clip,
    equal,
    evaluate,
    grad,
    greater,
    greater_equal,
    lambdify,
    less,
    less_equal,
    not_equal,
    parse,
    sum,
    to_str,
    to_sympy,
    where,
)

x, y = Symbol("x"), Symbol("y")
v = Symbol("v", shape=(6,))
w = Symbol("w", shape=(6,))
RNG = np.random.default_rng(5)
PAIRS = [
    (less, np.less, lambda a, b: a < b),
    (less_equal, np.less_equal, lambda a, b: a <= b),
    (greater, np.greater, lambda a, b: a > b),
    (greater_equal, np.greater_equal, lambda a, b: a >= b),
    (equal, np.equal, None),
    (not_equal, np.not_equal, None),
]
ties = st.lists(st.sampled_from([-1.0, 0.0, 0.5, 2.0]), min_size=6, max_size=6)


@pytest.mark.parametrize(("fn", "ref", "operator"), PAIRS)
@settings(max_examples=20)
@given(a=ties, b=ties)
def test_masks_match_numpy_including_ties(fn, ref, operator, a, b):
    a, b = np.array(a), np.array(b)
    e = fn(v, w)
    want = ref(a, b)
    got = evaluate(e, {v: a, w: b})
    assert got.dtype == bool
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(lambdify([v, w], e)(a, b), want)
    if operator is not None:
        assert operator(v, w) is e
    assert parse(to_str(e), {"v": v, "w": w}) is e
    np.testing.assert_array_equal(
        evaluate(grad(sum(where(e, v, 0)), w), {v: a, w: b}), np.zeros(6)
    )


def test_equality_operators_stay_structural_identity():
    assert (v == v) is True and (v == w) is False
    with pytest.raises(TypeError, match="truth value of the mask less"):
        bool(x < y)
    with pytest.raises(TypeError, match="use where"):
        sorted([x < y, y < x])


def test_where_values_and_masked_adjoint_match_torch():
    torch = pytest.importorskip("torch", reason="torch cross-check (optional)")
    a, b = RNG.normal(size=6), RNG.normal(size=6)
    e = where(v > w, v**2, 3 * w - v)
    weights = RNG.normal(size=6)
    ta = torch.tensor(a, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    tout = torch.where(ta > tb, ta**2, 3 * tb - ta)
    ga, gb = torch.autograd.grad((tout * torch.tensor(weights)).sum(), (ta, tb))
    loss = sum(e * weights)
    np.testing.assert_allclose(evaluate(e, {v: a, w: b}), tout.detach().numpy())
    np.testing.assert_allclose(evaluate(grad(loss, v), {v: a, w: b}), ga.numpy())
    np.testing.assert_allclose(evaluate(grad(loss, w), {v: a, w: b}), gb.numpy())


def test_where_and_clip_derivatives_match_central_differences():
    a = RNG.normal(size=6)
    b = RNG.normal(size=6) + 0.5  # ties have probability 0
    check_derivatives(where(v < w, v * w, -(v**3)), v, a, {w: b})
    check_derivatives(where(v < w, v * w, -(v**3)), w, b, {v: a})
    check_derivatives(clip(v, -0.5, w), v, a, {w: b})
    check_derivatives(clip(v, -0.5, w), w, b, {v: a})


def test_clip_matches_numpy_and_torch_clamp_at_the_ends():
    torch = pytest.importorskip("torch", reason="torch cross-check (optional)")
    a = np.array([-2.0, -1.0, -0.3, 0.0, 1.0, 3.0])  # -1 and 1 are the ends
    np.testing.assert_array_equal(evaluate(clip(v, -1, 1), {v: a}), np.clip(a, -1, 1))
    ta = torch.tensor(a, requires_grad=True)
    (g,) = torch.autograd.grad(torch.clamp(ta, -1.0, 1.0).sum(), ta)
    np.testing.assert_array_equal(
        evaluate(grad(sum(clip(v, -1, 1)), v), {v: a}), g.numpy()
    )


def test_sympy_forms_are_relationals_and_piecewise():
    sx, sy = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    assert to_sympy(x < y) == sympy.StrictLessThan(sx, sy)
    pw = to_sympy(where(x >= y, x, y))
    for a, b in ((0.3, -1.0), (-2.0, 1.5)):
        assert float(pw.subs({sx: a, sy: b})) == max(a, b)


def test_shape_mismatch_names_both_shapes():
    from symdiff import ShapeError

    with pytest.raises(ShapeError, match=r"\(6,\).*\(4,\)"):
        where(v > 0, v, Symbol("u", shape=(4,)))
    with pytest.raises(ShapeError, match=r"\(6,\).*\(4,\)"):
        less(v, Symbol("u", shape=(4,)))
