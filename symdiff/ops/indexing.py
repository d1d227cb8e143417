"""Rows of the op table: indexing (take, slice, and unslice, the adjoint of slice).

``Expr.__getitem__`` (:mod:`symdiff.constructors.tensor`) maps numpy's basic indexing
onto these rows, one axis at a time.
"""

from __future__ import annotations

import numpy as np

from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.spec import defop
from symdiff.ops.util import (
    batch_shape,
    check_param_names,
    expand_axis,
    int_param,
    no_sympy,
    one_axis,
)

# -- indexing: take (an integer index), slice, and unslice (the adjoint of slice) ------


def _take_params(args, params):
    check_param_names("take", params, ("index", "axis"))
    if "index" not in params or "axis" not in params:
        raise TypeError("take: needs the parameters index= and axis=")
    (a,) = args
    axis = one_axis("take", params["axis"], a.ndim)
    n = a.shape[axis]
    i = int_param("take", "index", params["index"])
    if not -n <= i < n:
        raise ShapeError(
            f"take: index {i} is out of range for axis {axis} of size {n} "
            f"(shape {a.shape})"
        )
    return {"index": i + n if i < 0 else i, "axis": axis}


def _take_shape(op, args, params):
    if "axis" not in params:
        raise TypeError("take: needs the parameters index= and axis=")
    s = args[0].shape
    k = len(s) + params["axis"]
    return s[:k] + s[k + 1 :]


def _take_vjp(n, g):
    (a,) = n.args
    p = n.params
    ax = p["axis"]
    g = expand_axis(g, ax)
    i = p["index"]
    return (
        apply("unslice", g, axis=ax, start=i, stop=i + 1, step=1, size=a.shape[ax]),
    )


def _sympy_take(n, a):
    (x,) = n.args
    p = n.params
    if x.ndim == 1:
        return a[p["index"], 0]
    if x.ndim == 2:
        return a[:, p["index"]] if p["axis"] == -1 else a[p["index"], :].T
    return no_sympy(n)


defop(
    "take",
    1,
    lambda node, v: np.take(v, node.params["index"], axis=node.params["axis"]),
    doc="the entry at an integer index along an axis (drops the axis)",
    elementwise=False,
    check_params=_take_params,
    shape=_take_shape,
    vjp=_take_vjp,
    jvp=lambda n, t: apply("take", t[0], **n.params),
    code=lambda n, names: (
        f"np.take({names[0]}, {n.params['index']}, axis={n.params['axis']})"
    ),
    sympy=_sympy_take,
)


def _slice_norm(op, start, stop, step, n):
    """Canonical (start, stop, step) of a basic slice of an axis of length ``n``."""
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if v is not None:
            int_param(op, name, v)
    if step == 0:
        raise ValueError(f"{op}: slice step cannot be zero")
    start, stop, step = slice(start, stop, step).indices(n)
    length = len(range(start, stop, step))
    if length == 0:
        return 0, 0, 1, 0
    # the stop just past the last entry, kept within the axis (the array API leaves
    # out-of-bounds stops unspecified, and array-api-strict refuses them)
    stop = min(start + length * step, n)
    return start, (None if stop < 0 else stop), step, length


def _slice_params(args, params):
    check_param_names("slice", params, ("axis", "start", "stop", "step"))
    if "axis" not in params:
        raise TypeError("slice: needs the parameter axis=")
    (a,) = args
    axis = one_axis("slice", params["axis"], a.ndim)
    start, stop, step, _ = _slice_norm(
        "slice",
        params.get("start"),
        params.get("stop"),
        params.get("step"),
        a.shape[axis],
    )
    return {"axis": axis, "start": start, "stop": stop, "step": step}


def _slice_len(p, n):
    return len(range(n)[slice(p["start"], p["stop"], p["step"])])


def _slice_shape(op, args, params):
    if "axis" not in params:
        raise TypeError("slice: needs the parameter axis=")
    s = args[0].shape
    k = len(s) + params["axis"]
    return s[:k] + (_slice_len(params, s[k]),) + s[k + 1 :]


def _slice_index(p):
    return (Ellipsis, slice(p["start"], p["stop"], p["step"])) + (slice(None),) * (
        -p["axis"] - 1
    )


def _slice_text(p):
    def t(v):
        return "" if v is None else str(v)

    rest = ", :" * (-p["axis"] - 1)
    return f"[..., {t(p['start'])}:{t(p['stop'])}:{p['step']}{rest}]"


def _slice_vjp(n, g):
    (a,) = n.args
    p = n.params
    return (apply("unslice", g, size=a.shape[p["axis"]], **p),)


def _sympy_slice(n, a):
    (x,) = n.args
    p = n.params
    if p["step"] < 0:
        return no_sympy(n, "negative steps")
    s = (p["start"], p["stop"], p["step"])
    if x.ndim == 1:
        return a[s, :]
    if x.ndim == 2:
        return a[s, :] if p["axis"] == -2 else a[:, s]
    return no_sympy(n)


defop(
    "slice",
    1,
    lambda node, v: np.asarray(v)[_slice_index(node.params)],
    doc="a basic slice start:stop:step along an axis",
    elementwise=False,
    check_params=_slice_params,
    shape=_slice_shape,
    vjp=_slice_vjp,
    jvp=lambda n, t: apply("slice", t[0], **n.params),
    code=lambda n, names: f"({names[0]}){_slice_text(n.params)}",
    sympy=_sympy_slice,
)


def _unslice_params(args, params):
    check_param_names("unslice", params, ("axis", "start", "stop", "step", "size"))
    if "axis" not in params or "size" not in params:
        raise TypeError("unslice: needs the parameters axis= and size=")
    (a,) = args
    axis = one_axis("unslice", params["axis"], a.ndim)
    size = int_param("unslice", "size", params["size"])
    if size < 0:
        raise ShapeError(f"unslice: size must be >= 0, got {size}")
    start, stop, step, length = _slice_norm(
        "unslice", params.get("start"), params.get("stop"), params.get("step"), size
    )
    if length != a.shape[axis]:
        raise ShapeError(
            f"unslice: the slice {start}:{stop}:{step} of {size} entries has "
            f"{length}, but axis {axis} of shape {a.shape} has {a.shape[axis]}"
        )
    return {"axis": axis, "start": start, "stop": stop, "step": step, "size": size}


def _unslice_shape(op, args, params):
    if "size" not in params:
        raise TypeError("unslice: needs the parameters axis= and size=")
    s = args[0].shape
    k = len(s) + params["axis"]
    return s[:k] + (params["size"],) + s[k + 1 :]


def _unslice_impl(node, v):
    p = node.params
    v = np.asarray(v)
    k = node.args[0].ndim
    out = np.zeros(batch_shape(v, k) + _unslice_shape("", node.args, p), dtype=v.dtype)
    out[_slice_index(p)] = v
    return out


def _unslice_code(node, names):
    # zero padding by the writer's helper, linear in the size: zeros and one (strided)
    # slice assignment, a tenth of np.pad's cost on the small arrays of sparse
    # Hessians' compressed columns (a product with rows of an identity would be
    # quadratic: too slow for the gradients of x[1:] or x[::k] at n = 10**5)
    p = node.params
    ax, step, size = p["axis"], p["step"], p["size"]
    count = node.args[0].shape[ax]
    if count == 0:
        return f"_unslice({names[0]}, {size}, 0, {ax})"
    first, last = p["start"], p["start"] + step * (count - 1)
    low, high = min(first, last), max(first, last)
    tail = "" if step == 1 or count == 1 else f", {step}"
    return f"_unslice({names[0]}, {low}, {size - high - 1}, {ax}{tail})"


def _unslice_vjp(n, g):
    p = dict(n.params)
    del p["size"]
    return (apply("slice", g, **p),)


defop(
    "unslice",
    1,
    _unslice_impl,
    doc="zeros of the given size along an axis, with the operand at a slice of it "
    "(the adjoint of slice)",
    elementwise=False,
    check_params=_unslice_params,
    shape=_unslice_shape,
    vjp=_unslice_vjp,
    jvp=lambda n, t: apply("unslice", t[0], **n.params),
    code=_unslice_code,
)
