"""Rows of the op table: linear algebra (matmul, diag, diagonal, trace, inv, det,
logdet, solve).

Matrix ops act on the last two axes; leading axes are stacks (numpy's rules).  Their
SymPy forms treat vectors as columns (``(n,)`` becomes an ``n x 1`` matrix).
"""

from __future__ import annotations

import numpy as np

from symdiff.core import lazy
from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.shapes import broadcast_shapes
from symdiff.core.spec import defop
from symdiff.ops.util import (
    cotangent_lead,
    expand_axis,
    is_zero,
    no_sympy,
    squeeze_axis,
    swap_last_axes,
    zeros,
)

# -- matmul ----------------------------------------------------------------------------


def _matmul_shape(op, args, params):
    a, b = args
    sa, sb = a.shape, b.shape
    if not sa or not sb:
        raise ShapeError(
            f"matmul: operands must have at least one dimension, got shapes {sa} and "
            f"{sb} (use * to multiply by a scalar)"
        )
    ka = sa[-1]
    kb = sb[-2] if len(sb) > 1 else sb[0]
    if ka != kb:
        raise ShapeError(
            f"matmul: shapes {sa} and {sb} do not fit: the inner dimensions {ka} and "
            f"{kb} differ"
        )
    if len(sa) == 1 and len(sb) == 1:
        return ()
    if len(sa) == 1:
        return sb[:-2] + sb[-1:]
    if len(sb) == 1:
        return sa[:-1]
    try:
        stack = broadcast_shapes("matmul", sa[:-2], sb[:-2])
    except ShapeError:
        raise ShapeError(
            f"matmul: shapes {sa} and {sb} do not fit: the stacking dimensions "
            f"{sa[:-2]} and {sb[:-2]} do not broadcast"
        ) from None
    return stack + (sa[-2], sb[-1])


def _lift(v, k, target):
    """Insert ``target - k`` axes of length 1 between the batch prefix and the last
    ``k`` axes of ``v`` (so stacks of different rank line up under numpy's rules)."""
    if k >= target or np.ndim(v) == k:
        return v
    s = np.shape(v)
    return np.reshape(v, s[: len(s) - k] + (1,) * (target - k) + s[len(s) - k :])


def _matmul_impl(node, a, b):
    x, y = node.args
    a, b = np.asarray(a), np.asarray(b)
    if b.ndim == 1 if y.ndim == 1 else (x.ndim == 1 and a.ndim == 1):
        # the vector operand is unbatched: numpy's own rules are the batch rules
        return a @ b
    if x.ndim == 1:
        a = a[..., None, :]
    if y.ndim == 1:
        b = b[..., :, None]
    ka, kb = max(x.ndim, 2), max(y.ndim, 2)
    a, b = _lift(a, ka, kb), _lift(b, kb, ka)
    out = a @ b
    if y.ndim == 1:
        out = out[..., 0]
        return out[..., 0] if x.ndim == 1 else out
    return out[..., 0, :] if x.ndim == 1 else out


def _lift_code(name, k, target):
    if k >= target:
        return name
    ones = (1,) * (target - k)
    return (
        f"np.reshape({name}, np.shape({name})[: np.ndim({name}) - {k}] + {ones!r} + "
        f"np.shape({name})[np.ndim({name}) - {k} :])"
    )


def _matmul_code(node, names):
    x, y = node.args
    a, b = names
    if x.ndim == 1:
        a = f"{a}[..., None, :]"
    if y.ndim == 1:
        b = f"{b}[..., :, None]"
    ka, kb = max(x.ndim, 2), max(y.ndim, 2)
    body = f"{_lift_code(a, ka, kb)} @ {_lift_code(b, kb, ka)}"
    if x.ndim == 1 and y.ndim == 1:
        out = f"({body})[..., 0, 0]"
    elif y.ndim == 1:
        out = f"({body})[..., 0]"
    elif x.ndim == 1:
        out = f"({body})[..., 0, :]"
    else:
        return body
    # an unbatched vector operand: numpy's own rules are the batch rules (and its
    # vector products are faster than the promoted matrix products)
    vec = names[1] if y.ndim == 1 else names[0]
    return f"({names[0]} @ {names[1]} if np.ndim({vec}) == 1 else {out})"


def _matmul_vjp(n, g):
    a, b = n.args
    if a.ndim == 1 and b.ndim == 1:
        ge = g if g.ndim == 0 else expand_axis(g, -1)
        return (lambda: ge * b, lambda: ge * a)
    if a.ndim == 1:  # (k,) @ (*s, k, n) -> (*s, n)

        def ga():
            if b.ndim == 2:
                return apply("matmul", g, swap_last_axes(b))
            return squeeze_axis(
                apply("matmul", expand_axis(g, -2), swap_last_axes(b)), -2
            )

        return (
            ga,
            lambda: apply("reshape", a, shape=a.shape + (1,)) * expand_axis(g, -2),
        )
    if b.ndim == 1:  # (*s, m, k) @ (k,) -> (*s, m)

        def gb():
            if a.ndim == 2:
                return apply("matmul", g, a)
            return squeeze_axis(apply("matmul", expand_axis(g, -2), a), -2)

        return (lambda: expand_axis(g, -1) * b, gb)
    return (
        lambda: apply("matmul", g, swap_last_axes(b)),
        lambda: apply("matmul", swap_last_axes(a), g),
    )


def _matmul_jvp(n, t):
    a, b = n.args
    ta, tb = t
    terms = []
    if not is_zero(ta):
        terms.append(apply("matmul", ta, b))
    if not is_zero(tb):
        terms.append(apply("matmul", a, tb))
    if not terms:
        return zeros(n.shape)
    return terms[0] if len(terms) == 1 else terms[0] + terms[1]


def _sympy_matmul(n, a, b):
    x, y = n.args
    if x.ndim > 2 or y.ndim > 2:
        return no_sympy(n)
    if x.ndim == 1 and y.ndim == 1:
        return (a.T * b)[0, 0]
    if x.ndim == 1:
        return b.T * a
    return a * b


defop(
    "matmul",
    2,
    _matmul_impl,
    doc="matrix product with numpy's rules (1-D operands are vectors; stacks "
    "broadcast)",
    elementwise=False,
    shape=_matmul_shape,
    vjp=_matmul_vjp,
    jvp=_matmul_jvp,
    code=_matmul_code,
    sympy=_sympy_matmul,
)


# -- diagonals and trace ---------------------------------------------------------------


def _check_square(op, a):
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"{op}: needs square matrices (shape (..., n, n)), got {a.shape}"
        )


def _diag_shape(op, args, params):
    (a,) = args
    if a.ndim == 0:
        raise ShapeError("diag: needs a vector (shape (..., n)), got shape ()")
    return a.shape + a.shape[-1:]


def _diagonal_shape(op, args, params):
    _check_square("diagonal", args[0])
    return args[0].shape[:-1]


def _trace_shape(op, args, params):
    _check_square("trace", args[0])
    return args[0].shape[:-2]


def _sympy_diag(n, a):
    from sympy.matrices.expressions.diagonal import DiagMatrix

    return DiagMatrix(a) if n.ndim == 2 else no_sympy(n)


def _sympy_diagonal(n, a):
    from sympy.matrices.expressions.diagonal import DiagonalOf

    return DiagonalOf(a) if n.ndim == 1 else no_sympy(n)


defop(
    "diag",
    1,
    lambda node, v: np.asarray(v)[..., :, None] * np.eye(node.args[0].shape[-1]),
    doc="the diagonal matrix with the given vector (of the last axis) on its diagonal",
    elementwise=False,
    shape=_diag_shape,
    vjp=lambda n, g: (apply("diagonal", g),),
    jvp=lambda n, t: apply("diag", t[0]),
    code=lambda n, names: (
        f"({names[0]})[..., :, None] * np.eye({n.shape[-1]}, dtype={names[0]}.dtype)"
    ),
    latex=r"\operatorname{{diag}}\left({0}\right)",
    sympy=_sympy_diag,
)
defop(
    "diagonal",
    1,
    lambda node, v: np.diagonal(v, axis1=-2, axis2=-1),
    doc="the diagonal of square matrices (the last two axes)",
    elementwise=False,
    shape=_diagonal_shape,
    vjp=lambda n, g: (apply("diag", g),),
    jvp=lambda n, t: apply("diagonal", t[0]),
    code="np.diagonal({0}, axis1=-2, axis2=-1)",
    latex=r"\operatorname{{diagonal}}\left({0}\right)",
    sympy=_sympy_diagonal,
)


def _trace_vjp(n, g):
    (a,) = n.args
    ge = g if g.ndim == 0 else expand_axis(g, -1)
    lead = cotangent_lead(g, n)
    return (apply("diag", apply("broadcast_to", ge, shape=lead + a.shape[:-1])),)


defop(
    "trace",
    1,
    lambda node, v: np.trace(v, axis1=-2, axis2=-1),
    doc="sum of the diagonal of square matrices (the last two axes)",
    elementwise=False,
    shape=_trace_shape,
    vjp=_trace_vjp,
    jvp=lambda n, t: apply("trace", t[0]),
    code="np.trace({0}, axis1=-2, axis2=-1)",
    sympy=lambda n, a: lazy.sympy().Trace(a) if n.args[0].ndim == 2 else no_sympy(n),
)


# -- linear algebra: inv, det, logdet, solve -------------------------------------------


def _square_shape(op):
    def shape(opname, args, params):
        _check_square(op, args[0])
        return args[0].shape if op == "inv" else args[0].shape[:-2]

    return shape


def _mat_expand(g, node):
    """``g`` (shape ``lead + node.shape``) with two trailing axes of length 1."""
    return g if g.ndim == 0 else expand_axis(expand_axis(g, -1), -1)


def _inv_vjp(n, g):
    nt = swap_last_axes(n)
    return (-apply("matmul", apply("matmul", nt, g), nt),)


def _inv_jvp(n, t):
    return -apply("matmul", apply("matmul", n, t[0]), n)


def _inv_t(n):
    """The transposed inverse of a det/logdet node's operand."""
    return swap_last_axes(apply("inv", n.args[0]))


def _det_vjp(n, g):
    return (_mat_expand(g, n) * _mat_expand(n, n) * _inv_t(n),)


def _det_jvp(n, t):
    return n * apply("sum", _inv_t(n) * t[0], axis=(-2, -1), keepdims=False)


def _logdet_vjp(n, g):
    return (_mat_expand(g, n) * _inv_t(n),)


def _logdet_jvp(n, t):
    return apply("sum", _inv_t(n) * t[0], axis=(-2, -1), keepdims=False)


def _slogdet(v):
    return np.linalg.slogdet(v)[1]


defop(
    "inv",
    1,
    lambda node, v: np.linalg.inv(v),
    doc="matrix inverse (of the last two axes)",
    elementwise=False,
    shape=_square_shape("inv"),
    vjp=_inv_vjp,
    jvp=_inv_jvp,
    code="np.linalg.inv({0})",
    sympy=lambda n, a: lazy.sympy().Inverse(a) if n.ndim == 2 else no_sympy(n),
)
defop(
    "det",
    1,
    lambda node, v: np.linalg.det(v),
    doc="determinant (of the last two axes)",
    elementwise=False,
    shape=_square_shape("det"),
    vjp=_det_vjp,
    jvp=_det_jvp,
    code="np.linalg.det({0})",
    sympy=lambda n, a: (
        lazy.sympy().Determinant(a) if n.args[0].ndim == 2 else no_sympy(n)
    ),
)
defop(
    "logdet",
    1,
    lambda node, v: _slogdet(v),
    doc="log |det A|, computed stably (numpy's slogdet); log det A when det A > 0",
    elementwise=False,
    shape=_square_shape("logdet"),
    vjp=_logdet_vjp,
    jvp=_logdet_jvp,
    code="np.linalg.slogdet({0})[1]",
    sympy=lambda n, a: (
        lazy.sympy().log(lazy.sympy().Abs(lazy.sympy().Determinant(a)))
        if n.args[0].ndim == 2
        else no_sympy(n)
    ),
)


def _solve_shape(op, args, params):
    a, b = args
    if a.ndim != 2 or a.shape[0] != a.shape[1] or b.ndim not in (1, 2):
        raise ShapeError(
            f"solve: needs a square matrix and a vector or matrix, got shapes "
            f"{a.shape} and {b.shape}"
        )
    if b.shape[0] != a.shape[0]:
        raise ShapeError(
            f"solve: shapes {a.shape} and {b.shape} do not fit: {a.shape[0]} "
            f"equations but {b.shape[0]} right-hand-side rows"
        )
    return b.shape


def _solve_impl(node, a, b):
    if node.args[1].ndim == 1:
        return np.linalg.solve(a, np.asarray(b)[..., None])[..., 0]
    return np.linalg.solve(a, b)


def _solve_code(node, names):
    a, b = names
    if node.args[1].ndim == 1:
        return f"np.linalg.solve({a}, ({b})[..., None])[..., 0]"
    return f"np.linalg.solve({a}, {b})"


def _solve_vjp(n, g):
    a, b = n.args
    if g.ndim == n.ndim:
        gb = apply("solve", swap_last_axes(a), g)
    elif b.ndim == 1:
        gb = apply("matmul", g, apply("inv", a))
    else:
        gb = apply("matmul", swap_last_axes(apply("inv", a)), g)

    def ga():
        if b.ndim == 1:
            return -(expand_axis(gb, -1) * n)
        return -apply("matmul", gb, swap_last_axes(n))

    return (ga, gb)


def _solve_jvp(n, t):
    a, b = n.args
    ta, tb = t
    rhs = None if is_zero(tb) else tb
    if not is_zero(ta):
        tx = apply("matmul", ta, n)
        rhs = -tx if rhs is None else rhs - tx
    return zeros(n.shape) if rhs is None else apply("solve", a, rhs)


defop(
    "solve",
    2,
    _solve_impl,
    doc="the solution x of A @ x = b (b a vector or a matrix)",
    elementwise=False,
    shape=_solve_shape,
    vjp=_solve_vjp,
    jvp=_solve_jvp,
    code=_solve_code,
    sympy=lambda n, a, b: lazy.sympy().Inverse(a) * b,
)
