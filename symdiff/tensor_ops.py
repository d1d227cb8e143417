"""Tensor operations of the op table: indexing, products, reductions, linear algebra.

Importing this module registers the ops below into :data:`symdiff.ops.OPS`; the public
constructors that build them live in :mod:`symdiff.tensor`.

Conventions shared by every entry (as for the structural ops of :mod:`symdiff.ops`):

* **Batching.**  An op works on the *trailing* axes of its operands' values: a value of
  shape ``(*batch, *arg.shape)`` is a batch, so axes are stored negative (counted from
  the end), and implementations and code templates never touch the leading axes
  except to broadcast them.
* **Leading dimensions of cotangents.**  ``vjp(node, g)`` accepts a cotangent ``g`` of
  shape ``lead + node.shape`` for any ``lead``, and returns contributions of shape
  ``lead + arg.shape`` (or broadcastable to it in the trailing axes; the driver sums
  broadcasting away with :func:`unbroadcast`).  An entry may be a zero-argument
  callable, which the driver calls only if that operand needs its gradient (so
  ``A @ x`` with a constant ``A`` never builds ``A``'s).  That is how
  :func:`symdiff.jacobian`
  of a tensor output runs reverse mode once with an identity seed instead of once per
  output element, and why ``hessian(x @ A @ x, x)`` comes out as ``A + A.T``.
* **Minimal parameters.**  A parameter equal to its default (``keepdims=False``, an
  ``axis`` that covers every axis, ``ord=2``, the reversing ``transpose``) is left out
  of the node, so equal expressions are one node however they were spelled, and they
  print short: ``max(x)``, ``norm(x, ord=1)``, ``transpose(A)``.

Matrix expressions convert to SymPy with vectors as columns (``(n,)`` becomes an
``n x 1`` matrix); see :func:`symdiff.to_sympy`.
"""

from __future__ import annotations

import math

import numpy as np

from symdiff.errors import ShapeError
from symdiff.expr import apply, const
from symdiff.ops import OPS, _norm_axes, defop
from symdiff.shapes import broadcast_shapes

_INF = float("inf")


def _sp():
    import sympy

    return sympy


# -- helpers ---------------------------------------------------------------------------


def _lead(g, node):
    """The extra leading dimensions of cotangent ``g`` over ``node``'s own shape."""
    return g.shape[: g.ndim - node.ndim]


def _batch(v, k):
    """The batch prefix of a value whose symbolic part has ``k`` dimensions."""
    return np.shape(v)[: np.ndim(v) - k]


def fill_value(e):
    """The scalar ``c`` if ``e`` is ``c`` or ``broadcast_to(c)``, else None.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.tensor_ops import fill_value, zeros
    >>> fill_value(zeros((2, 3))), fill_value(Symbol("x")) is None
    (0, True)
    """
    if e.op == "broadcast_to":
        e = e.args[0]
    if e.op == "const" and not e.shape:
        return e.attrs[0][1]
    return None


def is_zero(e):
    """True if ``e`` is structurally zero (``0`` or ``broadcast_to(0, shape)``).

    Examples
    --------
    >>> from symdiff import const
    >>> from symdiff.tensor_ops import is_zero, zeros
    >>> is_zero(zeros((3,))), is_zero(const(1))
    (True, False)
    """
    v = fill_value(e)
    return v is not None and v == 0


def is_identity(e):
    """True if ``e`` is the symbolic identity ``diag(broadcast_to(1, (n,)))``.

    Examples
    --------
    >>> from symdiff.tensor_ops import identity, is_identity
    >>> is_identity(identity((3,)))
    True
    """
    return e.op == "diag" and e.args[0].ndim == 1 and fill_value(e.args[0]) == 1


def zeros(shape):
    """The zero tensor of ``shape`` (``broadcast_to(0, shape)``; ``0`` for scalars).

    Examples
    --------
    >>> from symdiff.tensor_ops import zeros
    >>> print(zeros((2, 3)), zeros(()))
    broadcast_to(0, shape=(2, 3)) 0
    """
    return const(0) if not shape else apply("broadcast_to", 0, shape=tuple(shape))


def identity(shape):
    """The identity of the space of tensors of ``shape``, with shape ``shape * 2``.

    ``identity((n,))`` is the ``n x n`` identity matrix ``diag(broadcast_to(1, (n,)))``.

    Examples
    --------
    >>> from symdiff import evaluate
    >>> from symdiff.tensor_ops import identity
    >>> print(identity((2,)))
    diag(broadcast_to(1, shape=2))
    >>> evaluate(identity((1, 2))).shape
    (1, 2, 1, 2)
    """
    size = math.prod(shape)
    eye = apply("diag", apply("broadcast_to", 1, shape=(size,)))
    return apply("reshape", eye, shape=tuple(shape) * 2)


def unbroadcast(g, shape, nlead=0):
    """Sum ``g`` (shape ``lead + s``) to ``lead + shape``; ``s`` broadcasts ``shape``.

    The first ``nlead`` axes of ``g`` are leading (Jacobian) axes that stay; the rest is
    a broadcast of ``shape`` by numpy's rules (aligned at the end), which is undone.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.tensor_ops import unbroadcast
    >>> g = Symbol("g", shape=(5, 2, 3))
    >>> print(unbroadcast(g, (3,)), unbroadcast(g, (2, 1), nlead=1).shape)
    sum(g, axis=(-3, -2)) (5, 2, 1)
    """
    lead = g.shape[:nlead]
    target = lead + tuple(shape)
    if g.shape == target:
        return g
    extra = g.ndim - len(target)
    if extra < 0:
        raise ShapeError(
            f"unbroadcast: a contribution of shape {g.shape} is smaller than the "
            f"operand's shape {target}"
        )
    axes = list(range(nlead, nlead + extra))
    for i, d in enumerate(shape):
        if d == 1 and g.shape[nlead + extra + i] != 1:
            axes.append(nlead + extra + i)
    out = apply("sum", g, axis=tuple(axes), keepdims=False) if axes else g
    return out if out.shape == target else apply("reshape", out, shape=target)


def _expand(e, pos):
    """Insert an axis of length 1 at negative position ``pos`` (-1: at the end)."""
    k = e.ndim + pos + 1
    return apply("reshape", e, shape=e.shape[:k] + (1,) + e.shape[k:])


def _squeeze(e, pos):
    """Drop the length-1 axis at negative position ``pos``."""
    k = e.ndim + pos
    return apply("reshape", e, shape=e.shape[:k] + e.shape[k + 1 :])


def _swap(e):
    """Swap the last two axes of ``e`` (the matrix transpose of a stack)."""
    k = e.ndim
    return apply("transpose", e, axes=tuple(range(k - 2)) + (k - 1, k - 2))


def _tr_lead(g, node, perm):
    """``perm`` (over ``node``'s axes) extended by the leading axes of ``g``."""
    n = g.ndim - node.ndim
    return tuple(range(n)) + tuple(n + p for p in perm)


def _only(op, params, allowed):
    extra = set(params) - set(allowed)
    if extra:
        raise TypeError(
            f"{op}: unexpected parameter(s) {sorted(extra)}; it takes {list(allowed)}"
        )


def _int_param(op, name, value):
    if not isinstance(value, int | np.integer) or isinstance(value, bool | np.bool_):
        raise TypeError(f"{op}: {name} must be an int, got {value!r}")
    return int(value)


def _bool_param(op, name, value):
    if not isinstance(value, bool | np.bool_ | int) or value not in (0, 1):
        raise TypeError(f"{op}: {name} must be True or False, got {value!r}")
    return bool(value)


def _one_axis(op, axis, ndim):
    """One axis, stored negative; ShapeError if out of range."""
    if ndim == 0:
        raise ShapeError(f"{op}: needs at least one dimension, got a scalar (shape ())")
    axis = _int_param(op, "axis", axis)
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{op}: axis {axis} is out of range for {ndim} dimensions")
    return axis - ndim if axis >= 0 else axis


# -- transpose -------------------------------------------------------------------------


def _perm(node_or_params, ndim):
    params = getattr(node_or_params, "params", node_or_params)
    return params.get("axes", tuple(range(ndim))[::-1])


def _transpose_params(args, params):
    _only("transpose", params, ("axes",))
    (a,) = args
    k = a.ndim
    axes = params.get("axes")
    if axes is None:
        return {}
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    axes = tuple(_int_param("transpose", "axes", ax) for ax in axes)
    norm = tuple(ax + k if ax < 0 else ax for ax in axes)
    if sorted(norm) != list(range(k)):
        raise ShapeError(
            f"transpose: axes {axes} are not a permutation of the {k} axes of "
            f"shape {a.shape}"
        )
    return {} if norm == tuple(range(k))[::-1] else {"axes": norm}


def _transpose_shape(op, args, params):
    a = args[0]
    return tuple(a.shape[p] for p in _perm(params, a.ndim))


def _transpose_impl(node, v):
    k = node.args[0].ndim
    perm = _perm(node, k)
    nb = np.ndim(v) - k
    return np.transpose(v, tuple(range(nb)) + tuple(nb + p for p in perm))


def _transpose_code(node, names):
    k = node.args[0].ndim
    perm = _perm(node, k)
    if k == 2:
        return f"np.swapaxes({names[0]}, -1, -2)"
    src = tuple(p - k for p in perm)
    return f"np.moveaxis({names[0]}, {src!r}, {tuple(range(-k, 0))!r})"


def _transpose_vjp(n, g):
    perm = _perm(n, n.ndim)
    inv = tuple(int(i) for i in np.argsort(perm))
    return (apply("transpose", g, axes=_tr_lead(g, n, inv)),)


def _sympy_transpose(n, a):
    return a.T if n.ndim == 2 else _no_sympy(n)


defop(
    "transpose",
    1,
    _transpose_impl,
    doc="permutation of axes (default: reversed, the matrix transpose)",
    elementwise=False,
    check_params=_transpose_params,
    shape=_transpose_shape,
    vjp=_transpose_vjp,
    jvp=lambda n, t: apply("transpose", t[0], axes=_perm(n, n.ndim)),
    code=_transpose_code,
    latex=r"\left({0}\right)^{{\top}}",
    sympy=_sympy_transpose,
)


# -- indexing: take (an integer index), slice, and unslice (the adjoint of slice) ------


def _take_params(args, params):
    _only("take", params, ("index", "axis"))
    if "index" not in params or "axis" not in params:
        raise TypeError("take: needs the parameters index= and axis=")
    (a,) = args
    axis = _one_axis("take", params["axis"], a.ndim)
    n = a.shape[axis]
    i = _int_param("take", "index", params["index"])
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
    g = _expand(g, ax)
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
    return _no_sympy(n)


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
    latex=r"\operatorname{{take}}\left({0}\right)",
    sympy=_sympy_take,
)


def _slice_norm(op, start, stop, step, n):
    """Canonical (start, stop, step) of a basic slice of an axis of length ``n``."""
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if v is not None:
            _int_param(op, name, v)
    if step == 0:
        raise ValueError(f"{op}: slice step cannot be zero")
    start, stop, step = slice(start, stop, step).indices(n)
    length = len(range(start, stop, step))
    if length == 0:
        return 0, 0, 1, 0
    stop = start + length * step
    return start, (None if stop < 0 else stop), step, length


def _slice_params(args, params):
    _only("slice", params, ("axis", "start", "stop", "step"))
    if "axis" not in params:
        raise TypeError("slice: needs the parameter axis=")
    (a,) = args
    axis = _one_axis("slice", params["axis"], a.ndim)
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
        return _no_sympy(n, "negative steps")
    s = (p["start"], p["stop"], p["step"])
    if x.ndim == 1:
        return a[s, :]
    if x.ndim == 2:
        return a[s, :] if p["axis"] == -2 else a[:, s]
    return _no_sympy(n)


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
    latex=r"\operatorname{{slice}}\left({0}\right)",
    sympy=_sympy_slice,
)


def _unslice_params(args, params):
    _only("unslice", params, ("axis", "start", "stop", "step", "size"))
    if "axis" not in params or "size" not in params:
        raise TypeError("unslice: needs the parameters axis= and size=")
    (a,) = args
    axis = _one_axis("unslice", params["axis"], a.ndim)
    size = _int_param("unslice", "size", params["size"])
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
    out = np.zeros(_batch(v, k) + _unslice_shape("", node.args, p), dtype=v.dtype)
    out[_slice_index(p)] = v
    return out


def _unslice_code(node, names):
    p = node.params
    ax = p["axis"]
    stop = "" if p["stop"] is None else p["stop"]
    eye = (
        f"np.eye({p['size']}, dtype={names[0]}.dtype)[{p['start']}:{stop}:{p['step']}]"
    )
    return f"np.moveaxis(np.moveaxis({names[0]}, {ax}, -1) @ {eye}, -1, {ax})"


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
    latex=r"\operatorname{{unslice}}\left({0}\right)",
)


# -- concatenate (binary; the public function builds a balanced tree) ------------------


def _concat_params(args, params):
    _only("concatenate", params, ("axis",))
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
    axis = _one_axis("concatenate", params.get("axis", -a.ndim), a.ndim)
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
    return a.shape[:k] + (a.shape[k] + b.shape[k],) + a.shape[k + 1 :]


def _concat_impl(node, a, b):
    k = node.ndim
    ba, bb = _batch(a, k), _batch(b, k)
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
    sp = _sp()
    ax = n.params.get("axis", -n.ndim)
    if n.ndim == 1 or (n.ndim == 2 and ax == -2):
        return sp.BlockMatrix([[a], [b]])
    if n.ndim == 2:
        return sp.BlockMatrix([[a, b]])
    return _no_sympy(n)


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


# -- cumsum ----------------------------------------------------------------------------


def _cumsum_params(args, params):
    _only("cumsum", params, ("axis", "reverse"))
    (a,) = args
    axis = _one_axis("cumsum", params.get("axis", -1), a.ndim)
    out = {} if axis == -1 else {"axis": axis}
    if _bool_param("cumsum", "reverse", params.get("reverse", False)):
        out["reverse"] = True
    return out


def _cumsum_shape(op, args, params):
    if args[0].ndim == 0:
        raise ShapeError("cumsum: needs at least one dimension, got a scalar")
    return args[0].shape


def _cumsum_impl(node, v):
    ax = node.params.get("axis", -1)
    if node.params.get("reverse"):
        return np.flip(np.cumsum(np.flip(v, ax), axis=ax), ax)
    return np.cumsum(v, axis=ax)


def _cumsum_code(node, names):
    ax = node.params.get("axis", -1)
    if node.params.get("reverse"):
        return f"np.flip(np.cumsum(np.flip({names[0]}, {ax}), axis={ax}), {ax})"
    return f"np.cumsum({names[0]}, axis={ax})"


def _cumsum_vjp(n, g):
    ax = n.params.get("axis", -1)
    return (apply("cumsum", g, axis=ax, reverse=not n.params.get("reverse", False)),)


defop(
    "cumsum",
    1,
    _cumsum_impl,
    doc="cumulative sum along an axis (reverse=True: from the end)",
    elementwise=False,
    check_params=_cumsum_params,
    shape=_cumsum_shape,
    vjp=_cumsum_vjp,
    jvp=lambda n, t: apply("cumsum", t[0], **n.params),
    code=_cumsum_code,
    latex=r"\operatorname{{cumsum}}\left({0}\right)",
)


# -- reductions: prod, max, min, norm (sum is in symdiff.ops) -------------------------


def red_axes(node_or_params, ndim):
    """The (negative) reduced axes of a reduction node; absent means all of them.

    Examples
    --------
    >>> from symdiff import Symbol, max
    >>> from symdiff.tensor_ops import red_axes
    >>> A = Symbol("A", shape=(2, 3))
    >>> red_axes(max(A), 2), red_axes(max(A, axis=0), 2)
    ((-2, -1), (-2,))
    """
    params = getattr(node_or_params, "params", node_or_params)
    axis = params.get("axis")
    return tuple(range(-ndim, 0)) if axis is None else axis


def _keepdims(node_or_params):
    params = getattr(node_or_params, "params", node_or_params)
    return bool(params.get("keepdims", False))


def check_axis(op, axis):
    """``axis`` as None, an int or a tuple of ints; TypeError naming ``op`` if not.

    Examples
    --------
    >>> from symdiff.tensor_ops import check_axis
    >>> check_axis("sum", [0, -1])
    (0, -1)
    >>> check_axis("sum", 1.5)
    Traceback (most recent call last):
    ...
    TypeError: sum: axis must be None, an int or a tuple of ints, got 1.5 (float)
    """
    if axis is None:
        return None
    if isinstance(axis, int | np.integer) and not isinstance(axis, bool | np.bool_):
        return int(axis)
    if isinstance(axis, tuple | list):
        return tuple(_int_param(op, "axis", ax) for ax in axis)
    raise TypeError(
        f"{op}: axis must be None, an int or a tuple of ints, got {axis!r} "
        f"({type(axis).__name__})"
    )


def _reduce_params(op, extra=()):
    allowed = ("axis", "keepdims", *extra)

    def check(args, params):
        _only(op, params, allowed)
        (a,) = args
        out = {}
        axes = _norm_axes(op, check_axis(op, params.get("axis")), a.ndim)
        if len(axes) != a.ndim:
            out["axis"] = axes
        if _bool_param(op, "keepdims", params.get("keepdims", False)):
            out["keepdims"] = True
        return out

    return check


def _reduce_shape(op, args, params):
    shape = args[0].shape
    n = len(shape)
    axes = {n + ax for ax in red_axes(params, n)}
    if _keepdims(params):
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def to_kept(n, v):
    """Reshape ``v`` (shape ``lead + n.shape``) to ``lead`` + the keepdims shape of
    the reduction node ``n``, so that it broadcasts against ``n``'s operand.

    Examples
    --------
    >>> from symdiff import Symbol, max
    >>> from symdiff.tensor_ops import to_kept
    >>> n = max(Symbol("A", shape=(2, 3)), axis=1)
    >>> to_kept(n, n).shape, to_kept(n, Symbol("g", shape=(4, 2))).shape
    ((2, 1), (4, 2, 1))
    """
    (a,) = n.args
    if _keepdims(n) or v.ndim == 0:
        return v
    axes = red_axes(n, a.ndim)
    kept = tuple(1 if i - a.ndim in axes else d for i, d in enumerate(a.shape))
    lead = v.shape[: v.ndim - n.ndim]
    return apply("reshape", v, shape=lead + kept)


def _red_vjp(local):
    return lambda n, g: (apply("mul", to_kept(n, g), local(n)),)


def _red_jvp(local):
    def jvp(n, t):
        (a,) = n.args
        return apply(
            "sum",
            apply("mul", t[0], local(n)),
            axis=red_axes(n, a.ndim),
            keepdims=_keepdims(n),
        )

    return jvp


def _red_kw(node):
    k = node.args[0].ndim
    return {"axis": red_axes(node, k), "keepdims": _keepdims(node)}


def _red_impl(fn):
    return lambda node, v: fn(v, **_red_kw(node))


def _red_code(name):
    def code(node, names):
        kw = _red_kw(node)
        return f"{name}({names[0]}, axis={kw['axis']!r}, keepdims={kw['keepdims']!r})"

    return code


def _argmax_share(n, v):
    """Where ``v`` (shape of the operand) equals the reduced value, 1/(number of ties);
    elsewhere 0: the derivative of max/min, splitting ties evenly as maximum does."""
    (a,) = n.args
    hit = 1 - apply("sign", apply("abs", v - to_kept(n, n)))
    count = apply("sum", hit, axis=red_axes(n, a.ndim), keepdims=True)
    return hit / count


def _reduction(name, fn, doc, local, smooth=True, latex=None):
    defop(
        name,
        1,
        _red_impl(fn),
        doc=doc,
        elementwise=False,
        smooth=smooth,
        check_params=_reduce_params(name),
        shape=_reduce_shape,
        vjp=_red_vjp(local),
        jvp=_red_jvp(local),
        code=_red_code(f"np.{name}"),
        latex=latex or (r"\operatorname{" + name + r"}\left({0}\right)"),
    )


_reduction(
    "prod",
    np.prod,
    "product over axes (its derivative divides by the entries: nan at zeros)",
    lambda n: to_kept(n, n) / n.args[0],
    latex=r"\prod {0}",
)
_reduction(
    "max",
    np.max,
    "maximum over axes (ties share the derivative evenly)",
    lambda n: _argmax_share(n, n.args[0]),
    smooth=False,
)
_reduction(
    "min",
    np.min,
    "minimum over axes (ties share the derivative evenly)",
    lambda n: _argmax_share(n, n.args[0]),
    smooth=False,
)


# norm: the entrywise p-norm over the given axes; the public function maps numpy's
# spellings (ord=None, 'fro') onto it.


def _ord(node_or_params):
    params = getattr(node_or_params, "params", node_or_params)
    return params.get("ord", 2)


def _norm_params(args, params):
    out = _reduce_params("norm", ("ord",))(args, {k: v for k, v in params.items()})
    p = params.get("ord", 2)
    if p is None:
        p = 2
    if isinstance(p, bool | np.bool_) or not isinstance(p, int | float | np.number):
        raise ValueError(f"norm: ord must be a number > 0 or inf, got {p!r}")
    p = float(p)
    if not p > 0:
        raise ValueError(f"norm: ord must be > 0 (or inf), got {p!r}")
    if p != _INF and p == int(p):
        p = int(p)
    if p != 2:
        out["ord"] = p
    return out


def _norm_impl(node, v):
    kw = _red_kw(node)
    p = _ord(node)
    if p == 2:
        return np.sqrt(np.sum(np.abs(v) ** 2, **kw))
    if p == 1:
        return np.sum(np.abs(v), **kw)
    if p == _INF:
        return np.max(np.abs(v), **kw)
    return np.sum(np.abs(v) ** p, **kw) ** (1.0 / p)


def _norm_code(node, names):
    kw = _red_kw(node)
    p = _ord(node)
    a = names[0]
    args = f"axis={kw['axis']!r}, keepdims={kw['keepdims']!r}"
    if p == 2:
        return f"np.sqrt(np.sum(np.abs({a}) ** 2, {args}))"
    if p == 1:
        return f"np.sum(np.abs({a}), {args})"
    if p == _INF:
        return f"np.max(np.abs({a}), {args})"
    return f"np.sum(np.abs({a}) ** {p!r}, {args}) ** {1.0 / p!r}"


def _norm_local(n):
    """d norm / d a, with the operand's shape."""
    (a,) = n.args
    p = _ord(n)
    nk = to_kept(n, n)
    if p == 2:
        return a / nk
    s = apply("sign", a)
    if p == 1:
        return s
    if p == _INF:
        return s * _argmax_share(n, apply("abs", a))
    return s * apply("abs", a) ** (p - 1) / nk ** (p - 1)


def _sympy_norm(n, a):
    sp = _sp()
    p = _ord(n)
    (x,) = n.args
    if p == _INF or _keepdims(n) or len(red_axes(n, x.ndim)) != x.ndim:
        return _no_sympy(n, "only full (every-axis) finite-p norms convert")
    q = sp.Integer(p) if isinstance(p, int) else sp.Float(p)
    return _sympy_sum_all(a.applyfunc(lambda t: sp.Abs(t) ** q), x.shape) ** (1 / q)


defop(
    "norm",
    1,
    _norm_impl,
    doc="entrywise p-norm over axes (p = 2 by default; 1, any p > 0, or inf)",
    elementwise=False,
    smooth=False,
    check_params=_norm_params,
    shape=_reduce_shape,
    vjp=_red_vjp(_norm_local),
    jvp=_red_jvp(_norm_local),
    code=_norm_code,
    latex=r"\left\|{0}\right\|",
    sympy=_sympy_norm,
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
        ge = g if g.ndim == 0 else _expand(g, -1)
        return (lambda: ge * b, lambda: ge * a)
    if a.ndim == 1:  # (k,) @ (*s, k, n) -> (*s, n)

        def ga():
            if b.ndim == 2:
                return apply("matmul", g, _swap(b))
            return _squeeze(apply("matmul", _expand(g, -2), _swap(b)), -2)

        return (ga, lambda: apply("reshape", a, shape=a.shape + (1,)) * _expand(g, -2))
    if b.ndim == 1:  # (*s, m, k) @ (k,) -> (*s, m)

        def gb():
            if a.ndim == 2:
                return apply("matmul", g, a)
            return _squeeze(apply("matmul", _expand(g, -2), a), -2)

        return (lambda: _expand(g, -1) * b, gb)
    return (
        lambda: apply("matmul", g, _swap(b)),
        lambda: apply("matmul", _swap(a), g),
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
        return _no_sympy(n)
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
    latex=r"\left({0}\right) \left({1}\right)",
    sympy=_sympy_matmul,
)


# -- diagonals and trace ---------------------------------------------------------------


def _square(op, a):
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
    _square("diagonal", args[0])
    return args[0].shape[:-1]


def _trace_shape(op, args, params):
    _square("trace", args[0])
    return args[0].shape[:-2]


def _sympy_diag(n, a):
    from sympy.matrices.expressions.diagonal import DiagMatrix

    return DiagMatrix(a) if n.ndim == 2 else _no_sympy(n)


def _sympy_diagonal(n, a):
    from sympy.matrices.expressions.diagonal import DiagonalOf

    return DiagonalOf(a) if n.ndim == 1 else _no_sympy(n)


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
    ge = g if g.ndim == 0 else _expand(g, -1)
    lead = _lead(g, n)
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
    latex=r"\operatorname{{tr}}\left({0}\right)",
    sympy=lambda n, a: _sp().Trace(a) if n.args[0].ndim == 2 else _no_sympy(n),
)


# -- linear algebra: inv, det, logdet, solve -------------------------------------------


def _square_shape(op):
    def shape(opname, args, params):
        _square(op, args[0])
        return args[0].shape if op == "inv" else args[0].shape[:-2]

    return shape


def _mat_expand(g, node):
    """``g`` (shape ``lead + node.shape``) with two trailing axes of length 1."""
    return g if g.ndim == 0 else _expand(_expand(g, -1), -1)


def _inv_vjp(n, g):
    nt = _swap(n)
    return (-apply("matmul", apply("matmul", nt, g), nt),)


def _inv_jvp(n, t):
    return -apply("matmul", apply("matmul", n, t[0]), n)


def _inv_t(n):
    """The transposed inverse of a det/logdet node's operand."""
    return _swap(apply("inv", n.args[0]))


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
    latex=r"\left({0}\right)^{{-1}}",
    sympy=lambda n, a: _sp().Inverse(a) if n.ndim == 2 else _no_sympy(n),
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
    latex=r"\det\left({0}\right)",
    sympy=lambda n, a: _sp().Determinant(a) if n.args[0].ndim == 2 else _no_sympy(n),
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
    latex=r"\log\left|{0}\right|",
    sympy=lambda n, a: (
        _sp().log(_sp().Abs(_sp().Determinant(a)))
        if n.args[0].ndim == 2
        else _no_sympy(n)
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
        gb = apply("solve", _swap(a), g)
    elif b.ndim == 1:
        gb = apply("matmul", g, apply("inv", a))
    else:
        gb = apply("matmul", _swap(apply("inv", a)), g)

    def ga():
        if b.ndim == 1:
            return -(_expand(gb, -1) * n)
        return -apply("matmul", gb, _swap(n))

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
    latex=r"\left({0}\right)^{{-1}} \left({1}\right)",
    sympy=lambda n, a, b: _sp().Inverse(a) * b,
)


# -- the structural ops of symdiff.ops, with cotangents that carry leading dims --------


def _sum_vjp(n, g):
    (a,) = n.args
    return (apply("broadcast_to", to_kept(n, g), shape=_lead(g, n) + a.shape),)


OPS["sum"].vjp = _sum_vjp
OPS["reshape"].vjp = lambda n, g: (
    apply("reshape", g, shape=_lead(g, n) + n.args[0].shape),
)
OPS["broadcast_to"].vjp = lambda n, g: (
    unbroadcast(g, n.args[0].shape, g.ndim - n.ndim),
)


# -- SymPy: vectors are n x 1 matrices -------------------------------------------------


def _no_sympy(n, why=None):
    shapes = ", ".join(str(a.shape) for a in n.args)
    raise ValueError(
        f"to_sympy: SymPy has no matrix form for {n.op!r} on shapes {shapes}"
        + (f" ({why})" if why else "")
    )


def _sympy_sum_all(m, shape):
    """The sum of every entry of the SymPy matrix ``m`` (a tensor of ``shape``)."""
    sp = _sp()
    rows, cols = m.shape
    return (sp.OneMatrix(1, rows) * m * sp.OneMatrix(cols, 1))[0, 0]


def sympy_sum(n, a):
    """SymPy form of ``sum`` over a vector or a matrix (used by the bridge).

    Examples
    --------
    >>> import sympy
    >>> from symdiff import Symbol, sum
    >>> from symdiff.tensor_ops import sympy_sum
    >>> e = sum(Symbol("A", shape=(2, 3)), axis=1)
    >>> sympy_sum(e, sympy.MatrixSymbol("A", 2, 3)).shape  # row sums: a column
    (2, 1)
    """
    sp = _sp()
    (x,) = n.args
    axes = red_axes(n, x.ndim)
    if x.ndim > 2:
        _no_sympy(n)
    if len(axes) == x.ndim:
        if _keepdims(n):
            return sp.ImmutableMatrix([[_sympy_sum_all(a, x.shape)]])
        return _sympy_sum_all(a, x.shape)
    rows, cols = a.shape
    if axes == (-1,):  # row sums: a column, also for keepdims (shape (m, 1))
        return a * sp.OneMatrix(cols, 1)
    if _keepdims(n):  # column sums kept as a row (shape (1, n))
        return sp.OneMatrix(1, rows) * a
    return a.T * sp.OneMatrix(rows, 1)


__all__ = [
    "check_axis",
    "fill_value",
    "identity",
    "is_identity",
    "is_zero",
    "red_axes",
    "sympy_sum",
    "to_kept",
    "unbroadcast",
    "zeros",
]
