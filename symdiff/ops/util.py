"""Helpers shared by the op families: zeros and identities, unbroadcasting, axes.

Conventions shared by every tensor row of the table:

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
  :func:`symdiff.jacobian` of a tensor output runs reverse mode once with an identity
  seed instead of once per output element, and why ``hessian(x @ A @ x, x)`` comes
  out as ``A + A.T``.
* **Minimal parameters.**  A parameter equal to its default (``keepdims=False``, an
  ``axis`` that covers every axis, ``ord=2``, the reversing ``transpose``) is left out
  of the node, so equal expressions are one node however they were spelled, and they
  print short: ``max(x)``, ``norm(x, ord=1)``, ``transpose(A)``.

Zeros are ``broadcast_to(0, shape)`` and the identity matrix is
``diag(broadcast_to(1, (n,)))``, so rules recognise them structurally, in O(1).
"""

from __future__ import annotations

import math

import numpy as np

from symdiff.core.dims import has_named
from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply, const


def ufunc_impl(f):
    """The ``impl`` of an op that is the numpy function ``f`` of its operands."""
    return lambda node, *vals: f(*vals)


def cotangent_lead(g, node):
    """The extra leading dimensions of cotangent ``g`` over ``node``'s own shape."""
    return g.shape[: g.ndim - node.ndim]


def batch_shape(v, k):
    """The batch prefix of a value whose symbolic part has ``k`` dimensions."""
    return np.shape(v)[: np.ndim(v) - k]


def fill_value(e):
    """The scalar ``c`` if ``e`` is ``c`` or ``broadcast_to(c)``, else None.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.ops.util import fill_value, zeros
    >>> fill_value(zeros((2, 3))), fill_value(Symbol("x")) is None
    (0, True)
    """
    if e.op == "broadcast_to":
        e = e.args[0]
    if e.op == "const" and not e.shape:
        return e.value
    return None


def is_zero(e):
    """True if ``e`` is structurally zero (``0`` or ``broadcast_to(0, shape)``).

    Examples
    --------
    >>> from symdiff import const
    >>> from symdiff.ops.util import is_zero, zeros
    >>> is_zero(zeros((3,))), is_zero(const(1))
    (True, False)
    """
    v = fill_value(e)
    return v is not None and v == 0


def is_identity(e):
    """True if ``e`` is the symbolic identity ``diag(broadcast_to(1, (n,)))``.

    Examples
    --------
    >>> from symdiff.ops.util import identity, is_identity
    >>> is_identity(identity((3,)))
    True
    """
    return e.op == "diag" and e.args[0].ndim == 1 and fill_value(e.args[0]) == 1


def zeros(shape):
    """The zero tensor of ``shape`` (``broadcast_to(0, shape)``; ``0`` for scalars).

    Examples
    --------
    >>> from symdiff.ops.util import zeros
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
    >>> from symdiff.ops.util import identity
    >>> print(identity((2,)))
    diag(broadcast_to(1, shape=2))
    >>> evaluate(identity((1, 2))).shape
    (1, 2, 1, 2)
    """
    if has_named(shape):
        raise ShapeError(
            f"identity: the shape {tuple(shape)} has named dimensions, so the identity "
            "of its space (the seed of a Jacobian of a tensor output, or of a Hessian) "
            "has no fixed size; differentiate a scalar (grad of a sum or mean), or "
            "use vjp / jvp, which take no seed"
        )
    size = math.prod(shape)
    eye = apply("diag", apply("broadcast_to", 1, shape=(size,)))
    return apply("reshape", eye, shape=tuple(shape) * 2)


def size_of(dims):
    """The number of entries of a block of ``dims``: an int, or with named dims the
    product of their :func:`symdiff.dim` sizes (an Expr).

    Examples
    --------
    >>> from symdiff.ops.util import size_of
    >>> size_of((2, 3)), print(size_of(("n", 3)))
    3*dim(n)
    (6, None)
    """
    count = 1
    named = []
    for d in dims:
        if isinstance(d, str):
            named.append(apply("dim", name=str(d)))
        else:
            count *= d
    out = count
    for d in named:
        out = d if out == 1 else apply("mul", out, d)
    return out


def unbroadcast(g, shape, nlead=0):
    """Sum ``g`` (shape ``lead + s``) to ``lead + shape``; ``s`` broadcasts ``shape``.

    The first ``nlead`` axes of ``g`` are leading (Jacobian) axes that stay; the rest is
    a broadcast of ``shape`` by numpy's rules (aligned at the end), which is undone.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.ops.util import unbroadcast
    >>> g = Symbol("g", shape=(5, 2, 3))
    >>> print(unbroadcast(g, (3,)), unbroadcast(g, (2, 1), nlead=1).shape)
    sum(g, axis=(0, 1)) (5, 2, 1)
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


def expand_axis(e, pos):
    """Insert an axis of length 1 at negative position ``pos`` (-1: at the end)."""
    k = e.ndim + pos + 1
    return apply("reshape", e, shape=e.shape[:k] + (1,) + e.shape[k:])


def squeeze_axis(e, pos):
    """Drop the length-1 axis at negative position ``pos``."""
    k = e.ndim + pos
    return apply("reshape", e, shape=e.shape[:k] + e.shape[k + 1 :])


def swap_last_axes(e):
    """Swap the last two axes of ``e`` (the matrix transpose of a stack)."""
    k = e.ndim
    return apply("transpose", e, axes=tuple(range(k - 2)) + (k - 1, k - 2))


def perm_with_lead(g, node, perm):
    """``perm`` (over ``node``'s axes) extended by the leading axes of ``g``."""
    n = g.ndim - node.ndim
    return tuple(range(n)) + tuple(n + p for p in perm)


def check_param_names(op, params, allowed):
    extra = set(params) - set(allowed)
    if extra:
        raise TypeError(
            f"{op}: unexpected parameter(s) {sorted(extra)}; it takes {list(allowed)}"
        )


def int_param(op, name, value):
    if not isinstance(value, int | np.integer) or isinstance(value, bool | np.bool_):
        raise TypeError(f"{op}: {name} must be an int, got {value!r}")
    return int(value)


def bool_param(op, name, value):
    if not isinstance(value, bool | np.bool_ | int) or value not in (0, 1):
        raise TypeError(f"{op}: {name} must be True or False, got {value!r}")
    return bool(value)


def one_axis(op, axis, ndim):
    """One axis, stored negative; ShapeError if out of range."""
    if ndim == 0:
        raise ShapeError(f"{op}: needs at least one dimension, got a scalar (shape ())")
    axis = int_param(op, "axis", axis)
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{op}: axis {axis} is out of range for {ndim} dimensions")
    return axis - ndim if axis >= 0 else axis


def normalize_axes(op, axis, ndim):
    if axis is None:
        return tuple(range(-ndim, 0))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for ax in axes:
        if not isinstance(ax, int) or isinstance(ax, bool) or not -ndim <= ax < ndim:
            raise ShapeError(f"{op}: axis {ax!r} is out of range for {ndim} dimensions")
        out.append(ax - ndim if ax >= 0 else ax)
    if len(set(out)) != len(out):
        raise ShapeError(f"{op}: repeated axis in {axis!r}")
    return tuple(sorted(out))


def reduced_axes(node_or_params, ndim):
    """The (negative) reduced axes of a reduction node; absent means all of them.

    Examples
    --------
    >>> from symdiff import Symbol, max
    >>> from symdiff.ops.util import reduced_axes
    >>> A = Symbol("A", shape=(2, 3))
    >>> reduced_axes(max(A), 2), reduced_axes(max(A, axis=0), 2)
    ((-2, -1), (-2,))
    """
    params = getattr(node_or_params, "params", node_or_params)
    axis = params.get("axis")
    return tuple(range(-ndim, 0)) if axis is None else axis


def keeps_dims(node_or_params):
    params = getattr(node_or_params, "params", node_or_params)
    return bool(params.get("keepdims", False))


def check_axis(op, axis):
    """``axis`` as None, an int or a tuple of ints; TypeError naming ``op`` if not.

    Examples
    --------
    >>> from symdiff.ops.util import check_axis
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
        return tuple(int_param(op, "axis", ax) for ax in axis)
    raise TypeError(
        f"{op}: axis must be None, an int or a tuple of ints, got {axis!r} "
        f"({type(axis).__name__})"
    )


def with_kept_dims(n, v):
    """Reshape ``v`` (shape ``lead + n.shape``) to ``lead`` + the keepdims shape of
    the reduction node ``n``, so that it broadcasts against ``n``'s operand.

    Examples
    --------
    >>> from symdiff import Symbol, max
    >>> from symdiff.ops.util import with_kept_dims
    >>> n = max(Symbol("A", shape=(2, 3)), axis=1)
    >>> with_kept_dims(n, n).shape, with_kept_dims(n, Symbol("g", shape=(4, 2))).shape
    ((2, 1), (4, 2, 1))
    """
    (a,) = n.args
    if keeps_dims(n) or v.ndim == 0:
        return v
    axes = reduced_axes(n, a.ndim)
    kept = tuple(1 if i - a.ndim in axes else d for i, d in enumerate(a.shape))
    lead = v.shape[: v.ndim - n.ndim]
    return apply("reshape", v, shape=lead + kept)


def no_sympy(n, why=None):
    shapes = ", ".join(str(a.shape) for a in n.args)
    raise ValueError(
        f"to_sympy: SymPy has no matrix form for {n.op!r} on shapes {shapes}"
        + (f" ({why})" if why else "")
    )
