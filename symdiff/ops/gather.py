"""Rows of the op table: integer-array indexing (gather) and its adjoint (issue 12).

``take_along_axis(x, indices, axis)`` is numpy's function, with ``indices`` an
operand: an expression (a data symbol such as the labels ``y``) or a constant integer
array.  Its values are whole numbers (held as floats by symbols); nothing is
differentiated through them.  Two forms:

* ``indices`` with as many dimensions as ``x`` (numpy's form): the result has the
  shape of ``indices``, whose other axes equal ``x``'s or are 1;
* ``indices`` with one dimension fewer (the *pick* form): one entry per position of
  the other axes, that axis dropped.  ``take_along_axis(log_softmax(Z), y, axis=1)``
  is the log-probability of each row's label, the cross-entropy's term.

The adjoint is ``scatter_add``: a zero array of ``x``'s shape into which the cotangent
is added at the indices (``np.add.at``: repeated indices accumulate).  Generated code
writes it as a one-hot sum, an expression (``np.add.at`` is a statement).
"""

from __future__ import annotations

import numpy as np

from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.spec import defop
from symdiff.ops.util import check_param_names, one_axis


def _picks(idx_ndim, x_ndim):
    return idx_ndim == x_ndim - 1


def _gather_params(args, params):
    check_param_names("take_along_axis", params, ("axis",))
    x, idx = args
    axis = one_axis("take_along_axis", params.get("axis", -1), x.ndim)
    if idx.ndim not in (x.ndim, x.ndim - 1):
        raise ShapeError(
            f"take_along_axis: indices of shape {idx.shape} need {x.ndim} dimensions "
            f"(numpy's form) or {x.ndim - 1} (one pick per row) for x of shape "
            f"{x.shape}"
        )
    return {} if axis == -1 else {"axis": axis}


def _axis(node):
    return node.params.get("axis", -1)


def _check_other_axes(op, x_shape, idx_shape, axis, shown):
    """The indices' axes other than ``axis`` must equal x's or be 1 (numpy's form)."""
    for i in range(-len(x_shape), 0):
        if i != axis and idx_shape[i] not in (1, x_shape[i]):
            raise ShapeError(
                f"{op}: indices of shape {shown} do not match x of shape "
                f"{x_shape} outside axis {len(x_shape) + axis}"
            )


def _gather_shape(op, args, params):
    x, idx = args
    axis = params.get("axis", -1)
    if _picks(idx.ndim, x.ndim):
        full = list(idx.shape)
        full.insert(x.ndim + axis, 1)
        _check_other_axes(op, x.shape, tuple(full), axis, idx.shape)
        return tuple(d for i, d in enumerate(x.shape) if i != x.ndim + axis)
    _check_other_axes(op, x.shape, idx.shape, axis, idx.shape)
    return tuple(
        idx.shape[i] if i == x.ndim + axis else x.shape[i] for i in range(x.ndim)
    )


def as_indices(v, op="take_along_axis"):
    """Index values as ``np.intp``, or ValueError if some are not whole numbers."""
    v = np.asarray(v)
    if v.dtype.kind == "f":
        if not np.all(np.isfinite(v)) or np.any(v != np.round(v)):
            raise ValueError(f"{op}: indices must be whole numbers, got {v!r}")
    elif v.dtype.kind not in "iub":
        raise ValueError(f"{op}: indices must be integers, got dtype {v.dtype}")
    return v.astype(np.intp)


def _aligned(x, idx, axis, pick):
    """x and idx with equal numbers of dimensions (leading batch axes broadcast)."""
    if pick:
        idx = np.expand_dims(idx, axis)
    k = max(x.ndim, idx.ndim)
    x = x.reshape((1,) * (k - x.ndim) + x.shape)
    idx = idx.reshape((1,) * (k - idx.ndim) + idx.shape)
    # numpy's take_along_axis broadcasts the other axes, not the batch: do it here
    lead = np.broadcast_shapes(x.shape[: k - 1], idx.shape[: k - 1])
    return x, idx, lead


def _gather_impl(node, x, idx):
    x = np.asarray(x)
    axis = _axis(node)
    pick = _picks(node.args[1].ndim, node.args[0].ndim)
    idx = as_indices(idx)
    out = np.take_along_axis(
        *_broadcast_pair(*_aligned(x, idx, axis, pick), axis), axis=axis
    )
    return np.squeeze(out, axis) if pick else out


def _broadcast_pair(x, idx, lead, axis):
    """Broadcast x and idx over every axis but ``axis`` (numpy's rule for it)."""
    k = x.ndim
    pos = k + axis
    xs = [*np.broadcast_shapes(x.shape, _with(idx.shape, pos, x.shape[pos]))]
    ishape = _with(tuple(xs), pos, idx.shape[pos])
    return np.broadcast_to(x, tuple(xs)), np.broadcast_to(idx, ishape)


def _with(shape, pos, size):
    return tuple(size if i == pos else d for i, d in enumerate(shape))


def _gather_code(node, names):
    x, idx = names
    axis = _axis(node)
    ix = f"np.asarray({idx}).astype(np.intp)"
    if _picks(node.args[1].ndim, node.args[0].ndim):
        return (
            f"np.squeeze(np.take_along_axis({x}, np.expand_dims({ix}, {axis}), "
            f"axis={axis}), {axis})"
        )
    return f"np.take_along_axis({x}, {ix}, axis={axis})"


def _gather_vjp(n, g):
    x, idx = n.args
    return (apply("scatter_add", g, idx, axis=_axis(n), shape=x.shape), None)


def _gather_jvp(n, tangents):
    t = tangents[0]
    if t is None:
        return None
    return apply("take_along_axis", t, n.args[1], axis=_axis(n))


defop(
    "take_along_axis",
    2,
    _gather_impl,
    doc="numpy's take_along_axis with an index operand; no derivative wrt indices",
    elementwise=False,
    smooth=False,
    check_params=_gather_params,
    shape=_gather_shape,
    vjp=_gather_vjp,
    jvp=_gather_jvp,
    code=_gather_code,
)


# -- the adjoint -----------------------------------------------------------------------


def _scatter_params(args, params):
    check_param_names("scatter_add", params, ("axis", "shape"))
    shape = tuple(params["shape"])
    g, idx = args
    axis = one_axis("scatter_add", params.get("axis", -1), len(shape))
    out = {"shape": shape}
    if axis != -1:
        out["axis"] = axis
    return out


def _scatter_shape(op, args, params):
    return params["shape"]


def _scatter_impl(node, g, idx):
    shape = node.params["shape"]
    axis = _axis(node)
    pick = _picks(node.args[1].ndim, len(shape))
    g = np.asarray(g, dtype=float)
    idx = as_indices(idx, "scatter_add")
    if pick:
        g, idx = np.expand_dims(g, axis), np.expand_dims(idx, axis)
    # the cotangent has the gather's shape (+ leading axes): idx broadcasts to it
    idx = np.broadcast_to(idx, np.broadcast_shapes(idx.shape, g.shape))
    g = np.broadcast_to(g, idx.shape)
    lead = idx.shape[: idx.ndim - len(shape)]
    out = np.zeros(lead + shape)
    grids = list(np.ogrid[tuple(slice(d) for d in idx.shape)])
    grids[idx.ndim + axis] = idx
    np.add.at(out, tuple(grids), g)
    return out


def _scatter_code(node, names):
    g, idx = names
    shape = node.params["shape"]
    axis = _axis(node)
    size = shape[axis]
    ix = f"np.asarray({idx}).astype(np.intp)"
    if _picks(node.args[1].ndim, len(shape)):
        g, ix = f"np.expand_dims({g}, {axis})", f"np.expand_dims({ix}, {axis})"
    return _one_hot(g, ix, axis, size)


def _one_hot(g, ix, axis, size):
    """out[..., c, ...] = sum_k g[..., k, ...] * (ix[..., k, ...] == c): the indexed
    axis k moves to a new last axis, the class numbers c run along ``axis``."""
    gk = f"np.moveaxis(np.expand_dims({g}, {axis}), {axis - 1}, -1)"
    ik = f"np.moveaxis(np.expand_dims({ix}, {axis}), {axis - 1}, -1)"
    cs = f"np.arange({size}).reshape(({size},) + (1,) * {-axis})"
    return f"np.sum({gk} * ({ik} == {cs}), axis=-1)"


def _scatter_vjp(n, g):
    return (apply("take_along_axis", g, n.args[1], axis=_axis(n)), None)


def _scatter_jvp(n, tangents):
    t = tangents[0]
    if t is None:
        return None
    return apply("scatter_add", t, n.args[1], **n.params)


defop(
    "scatter_add",
    2,
    _scatter_impl,
    doc="zeros of `shape` with g added at the indices along axis (np.add.at)",
    elementwise=False,
    smooth=False,
    check_params=_scatter_params,
    shape=_scatter_shape,
    vjp=_scatter_vjp,
    jvp=_scatter_jvp,
    code=_scatter_code,
)
