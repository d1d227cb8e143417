"""The ML ops through SymPy and back: comparisons, where (Piecewise) and clip convert
back to the same node; the ops SymPy has no form for say so."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    Symbol,
    cholesky,
    clip,
    einsum,
    equal,
    flip,
    from_sympy,
    not_equal,
    round,
    sin,
    symbols,
    take_along_axis,
    to_sympy,
    tril,
    triu,
    where,
)

x, y, z = symbols("x y z")
COMPARE = [
    lambda a, b: a < b,
    lambda a, b: a <= b,
    lambda a, b: a > b,
    lambda a, b: a >= b,
    equal,
    not_equal,
]
_operands = st.sampled_from([x, y, z, x**2 + 1, sin(y) * 3, 2 * z - x])


@st.composite
def masked(draw, depth=3):
    """A nest of where()s over comparisons of the operands, and clips."""
    e = draw(_operands)
    for _ in range(draw(st.integers(1, depth))):
        kind = draw(st.integers(0, 2))
        a, b = draw(_operands), draw(_operands)
        if kind == 2:
            e = clip(e, a, b)
            continue
        cond = draw(st.sampled_from(COMPARE))(a, b)
        if kind == 0:
            e = where(cond, e, draw(_operands))
        else:
            e = where(cond, draw(_operands), e)
    return e


@settings(max_examples=20, deadline=None)
@given(masked())
def test_masks_where_and_clip_round_trip(e):
    assert from_sympy(to_sympy(e, evaluate=False)) is e
    # evaluated, SymPy may decide a condition (x < x) and drop a branch, or turn
    # a Piecewise's y < x into x > y; what comes back converts to the same SymPy
    back = from_sympy(to_sympy(e))
    assert to_sympy(back) == to_sympy(e)


def test_undecided_conditions_round_trip_evaluated():
    for compare in COMPARE:
        e = where(compare(x, y), clip(x**2, y, z), sin(z))
        assert from_sympy(to_sympy(e)) is e, to_sympy(e)


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3), st.sampled_from(COMPARE))
def test_sympy_values_agree_with_numpy(vx, vy, vz, compare):
    e = where(compare(x, y), clip(x, y - 1, y + 1), z)
    point = {
        sympy.Symbol(n, real=True): v for n, v in zip("xyz", (vx, vy, vz), strict=True)
    }
    want = np.where(
        {
            0: vx < vy,
            1: vx <= vy,
            2: vx > vy,
            3: vx >= vy,
            4: vx == vy,
            5: vx != vy,
        }[COMPARE.index(compare)],
        np.clip(vx, vy - 1, vy + 1),
        vz,
    )
    assert float(to_sympy(e).subs(point)) == pytest.approx(float(want), abs=1e-14)


def test_clip_is_a_sympy_function_with_the_elementary_derivative():
    sx, sy, sz = (sympy.Symbol(n, real=True) for n in "xyz")
    c = to_sympy(clip(x, y, z))
    assert c.rewrite("elementary") == sympy.Min(sympy.Max(sx, sy), sz)
    assert to_sympy(clip(x, y, z), elementary=True) == sympy.Min(sympy.Max(sx, sy), sz)
    # inside (lo, hi) the derivative is 1 in x and 0 in the bounds; above, 1 in hi
    inside = {sx: 0.5, sy: 0.0, sz: 1.0}
    assert [sympy.diff(c, s).subs(inside) for s in (sx, sy, sz)] == [1, 0, 0]
    above = {sx: 2.0, sy: 0.0, sz: 1.0}
    assert [sympy.diff(c, s).subs(above) for s in (sx, sy, sz)] == [0, 0, 1]
    assert float(c.subs(above)) == 1.0


def test_piecewise_without_otherwise_and_bare_booleans_are_refused():
    sx = sympy.Symbol("x", real=True)
    with pytest.raises(ValueError, match="without an otherwise branch"):
        from_sympy(sympy.Piecewise((sx, sx < 1)))
    with pytest.raises(ValueError, match="no symdiff form"):
        from_sympy(sympy.true)


A = Symbol("A", shape=(3, 3))
v = Symbol("v", shape=(3,))


@pytest.mark.parametrize(
    "e",
    [
        tril(A),
        triu(A),
        flip(v, axis=0),
        cholesky(A),
        take_along_axis(v, np.array([0, 2])),
        einsum("ij,j->i", A, v),
        round(x),
        clip(v, 0, 1),
    ],
    ids=["tril", "triu", "flip", "cholesky", "gather", "einsum", "round", "clip3"],
)
def test_ops_without_a_sympy_form_say_so(e):
    with pytest.raises(ValueError, match=f"{e.op}|no SymPy"):
        to_sympy(e)
