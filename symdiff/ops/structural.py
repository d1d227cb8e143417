"""Rows of the op table: shape ops (reshape, broadcast_to, transpose, concatenate).

Each is a linear map, so each row gives a vjp and a jvp (cotangents may carry extra
leading dimensions: see :mod:`symdiff.ops.util`) beside its shape rule, numpy
implementation, numpy code template and SymPy form.
"""

from __future__ import annotations

import math

import numpy as np

from symdiff.core import lazy
from symdiff.core.dims import has_named, segments
from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.shapes import broadcast_shapes, check_shape
from symdiff.core.spec import defop
from symdiff.ops.util import (
    batch_shape,
    check_param_names,
    cotangent_lead,
    int_param,
    no_sympy,
    one_axis,
    perm_with_lead,
    unbroadcast,
)

# -- reshape and broadcast_to ----------------------------------------------------------


def _shape_param(op):
    def check(args, params):
        extra = set(params) - {"shape"}
        if extra or "shape" not in params:
            raise TypeError(f"{op}: takes exactly the parameter 'shape'")
        return {"shape": check_shape(params["shape"])}

    return check


def _reshape_shape(op, args, params):
    src, dst = args[0].shape, params["shape"]
    if has_named(src) or has_named(dst):
        # sizes of names are unknown: a reshape is valid for every binding exactly
        # when the names stay in order and the int blocks between them match
        if segments(src) != segments(dst):
            raise ShapeError(
                f"reshape: cannot reshape shape {src} to shape {dst} (named "
                "dimensions must stay in order, and only the int dimensions between "
                "them may be merged or split)"
            )
        return dst
    if math.prod(src) != math.prod(dst):
        raise ShapeError(f"reshape: cannot reshape shape {src} to shape {dst}")
    return dst


def _reshape_impl(node, v):
    batch = np.shape(v)[: np.ndim(v) - node.args[0].ndim]
    return np.reshape(v, batch + node.params["shape"])


def _reshape_code(node, names):
    (a,) = names
    src, dst = node.args[0].shape, node.params["shape"]
    k = len(src)
    if dst[:k] == src and all(d == 1 for d in dst[k:]):
        # only unit axes appended (a column v[:, None]): an index, a view that keeps
        # any batch in front, at a fraction of the shape arithmetic's cost
        return f"{a}[..., {', '.join(['None'] * (len(dst) - k))}]"
    batch = f"np.shape({a})[:np.ndim({a}) - {k}]"
    return f"np.reshape({a}, {batch} + {node.params['shape']!r})"


defop(
    "reshape",
    1,
    _reshape_impl,
    doc="reshape",
    elementwise=False,
    check_params=_shape_param("reshape"),
    shape=_reshape_shape,
    vjp=lambda n, g: (
        apply("reshape", g, shape=cotangent_lead(g, n) + n.args[0].shape),
    ),
    jvp=lambda n, t: apply("reshape", t[0], shape=n.shape),
    code=_reshape_code,
)


def _broadcast_shape(op, args, params):
    src, dst = args[0].shape, params["shape"]
    if broadcast_shapes("broadcast_to", src, dst) != dst:
        raise ShapeError(f"broadcast_to: cannot broadcast shape {src} to shape {dst}")
    return dst


def _broadcast_impl(node, v):
    batch = np.shape(v)[: np.ndim(v) - node.args[0].ndim]
    src = node.args[0].shape
    # align the operand's own axes under the target's trailing axes
    v = np.reshape(v, batch + (1,) * (len(node.shape) - len(src)) + src)
    return np.broadcast_to(v, batch + node.params["shape"])


def _broadcast_code(node, names):
    (a,) = names
    src, dst = node.args[0].shape, node.params["shape"]
    lead = (1,) * (len(dst) - len(src))
    batch = f"np.shape({a})[:np.ndim({a}) - {len(src)}]"
    return (
        f"np.broadcast_to(np.reshape({a}, {batch} + {lead + src!r}), {batch} + {dst!r})"
    )


defop(
    "broadcast_to",
    1,
    _broadcast_impl,
    doc="broadcast to a shape",
    elementwise=False,
    check_params=_shape_param("broadcast_to"),
    shape=_broadcast_shape,
    vjp=lambda n, g: (unbroadcast(g, n.args[0].shape, g.ndim - n.ndim),),
    jvp=lambda n, t: apply("broadcast_to", t[0], shape=n.shape),
    code=_broadcast_code,
)


# -- transpose -------------------------------------------------------------------------


def transpose_perm(node_or_params, ndim):
    """The permutation of a transpose node (or its params); reversed by default."""
    params = getattr(node_or_params, "params", node_or_params)
    return params.get("axes", tuple(range(ndim))[::-1])


def _transpose_params(args, params):
    check_param_names("transpose", params, ("axes",))
    (a,) = args
    k = a.ndim
    axes = params.get("axes")
    if axes is None:
        return {}
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    axes = tuple(int_param("transpose", "axes", ax) for ax in axes)
    norm = tuple(ax + k if ax < 0 else ax for ax in axes)
    if sorted(norm) != list(range(k)):
        raise ShapeError(
            f"transpose: axes {axes} are not a permutation of the {k} axes of "
            f"shape {a.shape}"
        )
    return {} if norm == tuple(range(k))[::-1] else {"axes": norm}


def _transpose_shape(op, args, params):
    a = args[0]
    return tuple(a.shape[p] for p in transpose_perm(params, a.ndim))


def _transpose_impl(node, v):
    k = node.args[0].ndim
    perm = transpose_perm(node, k)
    nb = np.ndim(v) - k
    return np.transpose(v, tuple(range(nb)) + tuple(nb + p for p in perm))


def _transpose_code(node, names):
    k = node.args[0].ndim
    perm = transpose_perm(node, k)
    if k == 2:
        return f"np.swapaxes({names[0]}, -1, -2)"
    src = tuple(p - k for p in perm)
    return f"np.moveaxis({names[0]}, {src!r}, {tuple(range(-k, 0))!r})"


def _transpose_vjp(n, g):
    perm = transpose_perm(n, n.ndim)
    inv = tuple(int(i) for i in np.argsort(perm))
    return (apply("transpose", g, axes=perm_with_lead(g, n, inv)),)


def _sympy_transpose(n, a):
    return a.T if n.ndim == 2 else no_sympy(n)


defop(
    "transpose",
    1,
    _transpose_impl,
    doc="permutation of axes (default: reversed, the matrix transpose)",
    elementwise=False,
    check_params=_transpose_params,
    shape=_transpose_shape,
    vjp=_transpose_vjp,
    jvp=lambda n, t: apply("transpose", t[0], axes=transpose_perm(n, n.ndim)),
    code=_transpose_code,
    sympy=_sympy_transpose,
)


# -- concatenate (binary; the public function builds a balanced tree) ------------------


def _concat_params(args, params):
    check_param_names("concatenate", params, ("axis",))
    a, b = args
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(
            f"concatenate: scalars cannot be concatenated (shapes {a.shape} and "
            f"{b.shape})"
        )
    if a.ndim != b.ndim:
        raise ShapeError(
            f"concatenate: shapes {a.shape} and {b.shape} have different numbers of "
            "dimensions"
        )
    axis = one_axis("concatenate", params.get("axis", -a.ndim), a.ndim)
    return {} if axis == -a.ndim else {"axis": axis}


def _concat_shape(op, args, params):
    a, b = args
    if "axis" not in params:
        _concat_params(args, {})
    k = a.ndim + params.get("axis", -a.ndim)
    if a.shape[:k] + a.shape[k + 1 :] != b.shape[:k] + b.shape[k + 1 :]:
        raise ShapeError(
            f"concatenate: shapes {a.shape} and {b.shape} differ off the "
            f"concatenation axis {k - a.ndim}"
        )
    if isinstance(a.shape[k], str) or isinstance(b.shape[k], str):
        raise ShapeError(
            f"concatenate: shapes {a.shape} and {b.shape}: cannot concatenate along "
            f"the named dimension {a.shape[k]!r} (the result's size would be a sum "
            "of names); concatenate along an int dimension"
        )
    return a.shape[:k] + (a.shape[k] + b.shape[k],) + a.shape[k + 1 :]


def _concat_impl(node, a, b):
    k = node.ndim
    ba, bb = batch_shape(a, k), batch_shape(b, k)
    if ba != bb:
        bs = np.broadcast_shapes(ba, bb)
        a = np.broadcast_to(a, bs + np.shape(a)[len(ba) :])
        b = np.broadcast_to(b, bs + np.shape(b)[len(bb) :])
    return np.concatenate([a, b], axis=node.params.get("axis", -k))


def _concat_code(node, names):
    k = node.ndim
    a, b = names
    ones = (1,) * k

    def pad(x, other):  # broadcast x's batch prefix against the other's
        batch = f"np.shape({other})[: np.ndim({other}) - {k}]"
        return f"{x} + np.zeros({batch} + {ones!r}, dtype={x}.dtype)"

    ax = node.params.get("axis", -k)
    return f"np.concatenate([{pad(a, b)}, {pad(b, a)}], axis={ax})"


def _concat_vjp(n, g):
    a, b = n.args
    ax = n.params.get("axis", -n.ndim)
    na = a.shape[ax]
    return (
        lambda: apply("slice", g, axis=ax, start=0, stop=na, step=1),
        lambda: apply("slice", g, axis=ax, start=na, stop=None, step=1),
    )


def _sympy_concat(n, a, b):
    sp = lazy.sympy()
    ax = n.params.get("axis", -n.ndim)
    if n.ndim == 1 or (n.ndim == 2 and ax == -2):
        return sp.BlockMatrix([[a], [b]])
    if n.ndim == 2:
        return sp.BlockMatrix([[a, b]])
    return no_sympy(n)


defop(
    "concatenate",
    2,
    _concat_impl,
    doc="joins two tensors along an existing axis",
    elementwise=False,
    check_params=_concat_params,
    shape=_concat_shape,
    vjp=_concat_vjp,
    jvp=lambda n, t: apply("concatenate", t[0], t[1], **n.params),
    code=_concat_code,
    latex=r"\left[{0}, {1}\right]",
    sympy=_sympy_concat,
)
