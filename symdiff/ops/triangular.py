"""Rows of the op table: tril, triu, flip and cholesky (issue 12).

``tril``/``triu`` keep the entries on and below/above the ``k``-th diagonal of the last
two axes; ``flip`` reverses axes.  All three are linear maps that are their own
adjoints (a mask; a reversal), so vjp and jvp apply the op again.

``cholesky(A)`` is the lower factor ``L`` with ``A = L L^T``.  numpy reads only the
lower triangle of ``A``; the derivative here is that of ``A -> chol((A + A^T) / 2)``,
the same function on symmetric matrices, so reverse and forward mode agree and the
gradient is symmetric (as torch's is).  The reverse rule is Murray's (I. Murray, 2016,
"Differentiation of the Cholesky decomposition", arXiv:1602.07527, eq. 10):
``Abar = sym(L^-T Phi(L^T Lbar) L^-1)``, where ``Phi`` keeps the lower triangle and
halves the diagonal; the forward rule is ``dL = L Phi(L^-1 dA L^-T)``.
"""

from __future__ import annotations

import numpy as np

from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.spec import defop
from symdiff.ops.util import (
    check_param_names,
    int_param,
    normalize_axes,
    swap_last_axes,
)

# -- tril, triu ------------------------------------------------------------------------


def _tri_params(op):
    def check(args, params):
        check_param_names(op, params, ("k",))
        (a,) = args
        if a.ndim < 2:
            raise ShapeError(
                f"{op}: needs a matrix (2 or more dimensions), got {a.shape}"
            )
        k = int_param(op, "k", params.get("k", 0))
        return {"k": k} if k else {}

    return check


def _tri(op, fn):
    def code(node, names):
        return f"np.{op}({names[0]}, {node.params.get('k', 0)})"

    defop(
        op,
        1,
        lambda node, v: fn(v, node.params.get("k", 0)),
        doc=f"the {'lower' if op == 'tril' else 'upper'} triangle from the k-th "
        "diagonal of the last two axes (the rest zero)",
        elementwise=False,
        check_params=_tri_params(op),
        shape=lambda o, args, params: args[0].shape,
        vjp=lambda n, g: (apply(op, g, **n.params),),
        jvp=lambda n, t: apply(op, t[0], **n.params),
        code=code,
    )


_tri("tril", np.tril)
_tri("triu", np.triu)


# -- flip ------------------------------------------------------------------------------


def _flip_params(args, params):
    check_param_names("flip", params, ("axis",))
    (a,) = args
    axes = normalize_axes("flip", params.get("axis"), a.ndim)
    return {} if len(axes) == a.ndim else {"axis": axes}


def _flip_axes(node):
    return node.params.get("axis", tuple(range(-node.args[0].ndim, 0)))


defop(
    "flip",
    1,
    lambda node, v: np.flip(v, axis=_flip_axes(node)),
    doc="the entries in reverse order along axes (all by default)",
    elementwise=False,
    check_params=_flip_params,
    shape=lambda op, args, params: args[0].shape,
    vjp=lambda n, g: (apply("flip", g, axis=_flip_axes(n)),),
    jvp=lambda n, t: apply("flip", t[0], **n.params),
    code=lambda node, names: f"np.flip({names[0]}, axis={_flip_axes(node)!r})",
)


# -- cholesky --------------------------------------------------------------------------


def _cholesky_params(args, params):
    check_param_names("cholesky", params, ())
    (a,) = args
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"cholesky: needs a square matrix, got shape {a.shape}")
    return {}


def _phi(x):
    """The lower triangle with the diagonal halved."""
    return (apply("tril", x) + apply("tril", x, k=-1)) / 2


def _cholesky_vjp(n, g):
    lt_inv = apply("inv", swap_last_axes(n))  # L^-T
    p = _phi(apply("matmul", swap_last_axes(n), g))
    x = apply("matmul", apply("matmul", lt_inv, p), swap_last_axes(lt_inv))
    return ((x + swap_last_axes(x)) / 2,)


def _cholesky_jvp(n, tangents):
    t = tangents[0]
    sym = (t + swap_last_axes(t)) / 2
    l_inv = apply("inv", n)
    inner = apply("matmul", apply("matmul", l_inv, sym), swap_last_axes(l_inv))
    return apply("matmul", n, _phi(inner))


defop(
    "cholesky",
    1,
    lambda node, v: np.linalg.cholesky(v),
    doc="the lower Cholesky factor L of a symmetric positive definite A = L L^T",
    elementwise=False,
    check_params=_cholesky_params,
    shape=lambda op, args, params: args[0].shape,
    vjp=_cholesky_vjp,
    jvp=_cholesky_jvp,
    code="np.linalg.cholesky({0})",
)
