"""Rows of the op table: comparisons (boolean masks) and ``where`` (issue 12).

``less(a, b)`` ... ``not_equal(a, b)`` evaluate to numpy boolean arrays.  Their
derivative is zero everywhere (a mask is piecewise constant; at a tie it jumps, and
the jump is ignored, as torch and JAX do).  ``where(cond, a, b)`` picks ``a`` where
``cond`` holds: its derivative passes the cotangent to ``a`` through the mask and to
``b`` through its complement, and nothing flows into ``cond``.

``==`` on expressions stays structural identity (interning relies on it), so equality
masks are the functions ``equal`` and ``not_equal``; ``<``, ``<=``, ``>``, ``>=`` on
expressions build these rows (:mod:`symdiff.surface`).
"""

from __future__ import annotations

import numpy as np

from symdiff.core import lazy
from symdiff.core.expr import apply
from symdiff.core.shapes import broadcast_shapes
from symdiff.core.spec import defop
from symdiff.ops.util import ufunc_impl

# op -> (numpy function, SymPy relational class name, LaTeX relation)
COMPARISONS = {
    "less": (np.less, "StrictLessThan", "<"),
    "less_equal": (np.less_equal, "LessThan", r"\leq"),
    "greater": (np.greater, "StrictGreaterThan", ">"),
    "greater_equal": (np.greater_equal, "GreaterThan", r"\geq"),
    "equal": (np.equal, "Eq", "="),
    "not_equal": (np.not_equal, "Ne", r"\neq"),
}


def _relational(cls_name):
    return lambda n, a, b: getattr(lazy.sympy(), cls_name)(a, b)


for _name, (_f, _sp, _rel) in COMPARISONS.items():
    defop(
        _name,
        2,
        ufunc_impl(_f),
        doc=f"elementwise mask a {_rel} b (numpy bool); derivative 0",
        commutative=_name in ("equal", "not_equal"),
        smooth=False,
        partials=lambda n: (None, None),
        latex=r"\left[{0} " + _rel + r" {1}\right]",  # Iverson bracket
        sympy=_relational(_sp),
        code=f"np.{_f.__name__}({{0}}, {{1}})",
    )


def _where_impl(node, c, a, b):
    return np.where(c, a, b)


def _where_partials(n):
    c = n.args[0]
    # the mask as 0/1 numbers, so the adjoint stays a float expression
    return (None, apply("where", c, 1, 0), apply("where", c, 0, 1))


def _where_sympy(n, c, a, b):
    sp = lazy.sympy()
    return sp.Piecewise((a, c), (b, True))


defop(
    "where",
    3,
    _where_impl,
    doc="a where cond holds, else b (they broadcast); no derivative through cond",
    shape=lambda op, args, params: broadcast_shapes(op, *(a.shape for a in args)),
    smooth=False,
    partials=_where_partials,
    latex=r"\operatorname{{where}}\left({0}, {1}, {2}\right)",
    sympy=_where_sympy,
    code="np.where({0}, {1}, {2})",
)
