"""More array functions: softmax family, clip, var/std, prod, cumsum, stacking, linalg.

Most are compositions of existing registry ops, so they need no rule of their own and
are differentiable to any order for free: ``softmax``, ``logsumexp``,
``log_softmax``, ``clip``, ``var``, ``std``, ``prod`` (a pairwise product tree, exact
at zeros), ``stack``, ``concatenate``, ``outer``, ``diag``, ``trace``. Four are
registry primitives with their own VJPs (in :mod:`numeric.autograd.ops`): ``cumsum``,
``inv``, ``det`` (and ``slogdet``'s log-determinant), ``solve``.
"""

from __future__ import annotations

import builtins

import numpy as np

from numeric.autograd import functions as fn
from numeric.autograd.ops import OPS
from numeric.autograd.tensor import as_tensor, make_leaf, record

__all__ = [
    "clip",
    "concatenate",
    "cumsum",
    "det",
    "diag",
    "inv",
    "log_softmax",
    "logsumexp",
    "outer",
    "prod",
    "slogdet",
    "softmax",
    "solve",
    "stack",
    "std",
    "trace",
    "var",
]


def _shift(x, axis):
    """A constant per-slice maximum (0 where not finite) for stable exponentials.

    The softmax family is invariant to it, so as a constant it changes no gradient.
    """
    m = np.max(x.data, axis=axis, keepdims=True)
    return np.where(np.isfinite(m), m, 0.0)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, without overflow.

    Examples
    --------
    >>> from numeric.autograd import logsumexp, tensor
    >>> logsumexp(tensor([1000.0, 1000.0]))
    tensor(1000.69314718)
    """
    x = as_tensor(x, "x", "logsumexp")
    axis = fn.resolve_axis(axis, x.data.ndim, "logsumexp")
    m = _shift(x, axis)
    out = fn.log(fn.sum(fn.exp(x - m), axis, True)) + m
    if keepdims:
        return out
    return fn.reshape(out, np.sum(x.data, axis=axis).shape)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (default the last).

    Examples
    --------
    >>> from numeric.autograd import softmax, tensor
    >>> softmax(tensor([0.0, 0.0]))
    tensor([0.5, 0.5])
    """
    x = as_tensor(x, "x", "softmax")
    axis = fn.resolve_axis(axis, x.data.ndim, "softmax")
    e = fn.exp(x - _shift(x, axis))
    return e / fn.sum(e, axis, True)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``: the log of :func:`softmax`, stably.

    Examples
    --------
    >>> from numeric.autograd import log_softmax, tensor
    >>> log_softmax(tensor([0.0, 0.0]))
    tensor([-0.69314718, -0.69314718])
    """
    x = as_tensor(x, "x", "log_softmax")
    return x - logsumexp(x, axis, keepdims=True)


def clip(x, min=None, max=None):
    """Limit ``x`` to ``[min, max]``; the gradient is 1 inside (bounds included), 0 out.

    As ``torch.clamp``: values equal to a bound pass the gradient on.

    Examples
    --------
    >>> from numeric.autograd import clip, tensor
    >>> x = tensor([-2.0, 0.5, 1.0, 3.0], requires_grad=True)
    >>> clip(x, 0.0, 1.0).sum().backward()
    >>> x.grad
    tensor([0., 1., 1., 0.])
    """
    x = as_tensor(x, "x", "clip")
    if min is None and max is None:
        raise ValueError("clip: give at least one of min and max")
    lo = -np.inf if min is None else np.asarray(getattr(min, "data", min))
    hi = np.inf if max is None else np.asarray(getattr(max, "data", max))
    inside = (x.data >= lo) & (x.data <= hi)
    clipped = np.clip(x.data, lo, hi)
    return fn.where(inside, x, clipped)


def var(x, axis=None, ddof=0, keepdims=False):
    """Variance over ``axis`` with ``ddof`` (numpy's default 0; PyTorch's is 1).

    Examples
    --------
    >>> from numeric.autograd import tensor, var
    >>> var(tensor([1.0, 2.0, 3.0, 4.0])), var(tensor([1.0, 2.0, 3.0, 4.0]), ddof=1)
    (tensor(1.25), tensor(1.66666667))
    """
    x = as_tensor(x, "x", "var")
    axis = fn.resolve_axis(axis, x.data.ndim, "var")
    n = x.data.size // builtins.max(np.sum(np.ones(x.data.shape), axis=axis).size, 1)
    if n - ddof <= 0:
        raise ValueError(f"var: {n} values per slice are too few for ddof={ddof}")
    d = x - fn.mean(x, axis, True)
    return fn.sum(d * d, axis, keepdims) / (n - ddof)


def std(x, axis=None, ddof=0, keepdims=False):
    """Standard deviation, ``sqrt(var(x, axis, ddof))``.

    Examples
    --------
    >>> from numeric.autograd import std, tensor
    >>> std(tensor([1.0, 3.0]))
    tensor(1.)
    """
    return fn.sqrt(var(x, axis, ddof, keepdims))


def prod(x, axis=None, keepdims=False):
    """Product over ``axis`` (all elements by default).

    Computed as a tree of pairwise products, so the gradient is exact where some
    entries are 0 (the product of the others), to every order.

    Examples
    --------
    >>> from numeric.autograd import prod, tensor
    >>> x = tensor([2.0, 0.0, 3.0], requires_grad=True)
    >>> prod(x).backward()
    >>> x.grad
    tensor([0., 6., 0.])
    """
    x = as_tensor(x, "x", "prod")
    nd = x.data.ndim
    axis = fn.resolve_axis(axis, nd, "prod")
    axes = (
        tuple(range(nd)) if axis is None else (axis if type(axis) is tuple else (axis,))
    )
    out_shape = np.prod(x.data, axis=axis, keepdims=keepdims).shape
    rest = [i for i in range(nd) if i not in axes]
    # Move the reduced axes last and flatten them into one.
    moved = fn.transpose(x, (*rest, *axes)) if nd else x
    lead = tuple(x.data.shape[i] for i in rest)
    y = fn.reshape(moved, (*lead, -1))
    while y.data.shape[-1] > 1:
        k = y.data.shape[-1]
        if k % 2:
            y = concatenate([y, make_leaf(np.ones((*lead, 1)))], axis=-1)
        y = y[..., 0::2] * y[..., 1::2]
    if y.data.shape[-1] == 0:
        y = make_leaf(np.ones((*lead, 1), dtype=x.data.dtype))
    return fn.reshape(y, out_shape)


def cumsum(x, axis=None):
    """Cumulative sum along ``axis`` (of the flattened tensor when None).

    Examples
    --------
    >>> from numeric.autograd import arange, cumsum
    >>> cumsum(arange(6.0).reshape(2, 3), axis=0)
    tensor([[0., 1., 2.],
            [3., 5., 7.]])
    """
    x = as_tensor(x, "x", "cumsum")
    if axis is None:
        return record(OPS["cumsum"], (fn.reshape(x, (-1,)),), (0,))
    if x.data.ndim == 0:
        raise ValueError("cumsum: a 0-d tensor has no axis; use axis=None")
    axis = fn.resolve_axis(axis, x.data.ndim, "cumsum")
    if isinstance(axis, tuple):
        raise TypeError("cumsum: axis must be an int or None")
    return record(OPS["cumsum"], (x,), (axis,))


def concatenate(tensors, axis=0):
    """Join tensors along an existing ``axis`` (each placed in the result's zeros).

    Examples
    --------
    >>> from numeric.autograd import concatenate, tensor
    >>> concatenate([tensor([1.0]), tensor([2.0, 3.0])])
    tensor([1., 2., 3.])
    """
    items = [
        as_tensor(t, f"tensors[{i}]", "concatenate") for i, t in enumerate(tensors)
    ]
    if not items:
        raise ValueError("concatenate: needs at least one tensor")
    arrays = [t.data for t in items]
    try:
        out = np.concatenate(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as e:
        raise ValueError(f"concatenate: {e}") from None
    axis = axis % out.ndim
    total = None
    start = 0
    for t in items:
        n = t.data.shape[axis]
        idx = tuple(
            slice(start, start + n) if i == axis else slice(None)
            for i in range(out.ndim)
        )
        start += n
        placed = record(OPS["scatter_add"], (t,), (idx, out.shape))
        total = placed if total is None else total + placed
    return total


def stack(tensors, axis=0):
    """Join same-shape tensors along a new ``axis``.

    Examples
    --------
    >>> from numeric.autograd import stack, tensor
    >>> stack([tensor([1.0, 2.0]), tensor([3.0, 4.0])], axis=1)
    tensor([[1., 3.],
            [2., 4.]])
    """
    items = [as_tensor(t, f"tensors[{i}]", "stack") for i, t in enumerate(tensors)]
    if not items:
        raise ValueError("stack: needs at least one tensor")
    shapes = {t.data.shape for t in items}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors need one shape, got {sorted(shapes)}")
    shape = items[0].data.shape
    nd = len(shape) + 1
    if not -nd <= axis < nd:
        raise ValueError(f"stack: axis {axis} is out of range for {nd} dims")
    axis %= nd
    new_shape = (*shape[:axis], 1, *shape[axis:])
    return concatenate([fn.reshape(t, new_shape) for t in items], axis)


def outer(a, b):
    """Outer product of two vectors: ``a[i] * b[j]``.

    Examples
    --------
    >>> from numeric.autograd import outer, tensor
    >>> outer(tensor([1.0, 2.0]), tensor([3.0, 4.0]))
    tensor([[3., 4.],
            [6., 8.]])
    """
    a, b = as_tensor(a, "a", "outer"), as_tensor(b, "b", "outer")
    return fn.reshape(a, (-1, 1)) * fn.reshape(b, (1, -1))


def diag(x):
    """The diagonal of a matrix, or the diagonal matrix of a vector.

    Examples
    --------
    >>> from numeric.autograd import arange, diag
    >>> diag(arange(4.0).reshape(2, 2)), diag(arange(2.0))
    (tensor([0., 3.]), tensor([[0., 0.],
            [0., 1.]]))
    """
    x = as_tensor(x, "x", "diag")
    if x.data.ndim == 2:
        n = builtins.min(x.data.shape)
        return x[np.arange(n), np.arange(n)]
    if x.data.ndim == 1:
        n = x.data.shape[0]
        return record(OPS["scatter_add"], (x,), ((np.arange(n), np.arange(n)), (n, n)))
    raise ValueError(f"diag: needs a 1-d or 2-d tensor, got {x.data.ndim} dims")


def trace(x):
    """Sum of the diagonal of a matrix.

    Examples
    --------
    >>> from numeric.autograd import arange, trace
    >>> trace(arange(9.0).reshape(3, 3))
    tensor(12.)
    """
    x = as_tensor(x, "x", "trace")
    if x.data.ndim != 2:
        raise ValueError(f"trace: needs a matrix, got {x.data.ndim} dims")
    return fn.sum(diag(x))


def _square(a, what):
    a = as_tensor(a, "a", what)
    if a.data.ndim < 2 or a.data.shape[-1] != a.data.shape[-2]:
        raise ValueError(
            f"{what}: needs square matrices (shape (..., n, n)), got {a.data.shape}"
        )
    if a.data.dtype.kind != "f":
        a = make_leaf(a.data.astype(np.float64))
    return a


def inv(a):
    """Matrix inverse (batched over leading axes).

    Examples
    --------
    >>> from numeric.autograd import inv, tensor
    >>> inv(tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5 , 0.  ],
            [0.  , 0.25]])
    """
    a = _square(a, "inv")
    try:
        return record(OPS["inv"], (a,))
    except np.linalg.LinAlgError as e:
        raise ValueError(f"inv: {e}") from None


def det(a):
    """Determinant (batched); the gradient needs an invertible matrix.

    Examples
    --------
    >>> from numeric.autograd import det, tensor
    >>> det(tensor([[2.0, 1.0], [1.0, 3.0]]))
    tensor(5.)
    """
    return record(OPS["det"], (_square(a, "det"),))


def slogdet(a):
    """``(sign, log|det|)``; the second is differentiable (``inv(a)^T`` per unit g).

    Examples
    --------
    >>> from numeric.autograd import slogdet, tensor
    >>> slogdet(tensor([[-2.0, 0.0], [0.0, 3.0]]))
    (tensor(-1.), tensor(1.79175947))
    """
    a = _square(a, "slogdet")
    sign = np.linalg.slogdet(a.data)[0]
    return make_leaf(sign[()] if sign.ndim == 0 else sign), record(
        OPS["logabsdet"], (a,)
    )


def solve(a, b):
    """The solution ``x`` of ``a @ x = b`` (``a`` one square matrix, ``b`` 1-d or 2-d).

    Examples
    --------
    >>> from numeric.autograd import solve, tensor
    >>> solve(tensor([[2.0, 0.0], [0.0, 4.0]]), tensor([2.0, 2.0]))
    tensor([1. , 0.5])
    """
    a = _square(a, "solve")
    b = as_tensor(b, "b", "solve")
    if (
        a.data.ndim != 2
        or b.data.ndim not in (1, 2)
        or b.data.shape[0] != a.data.shape[0]
    ):
        raise ValueError(
            f"solve: needs a of shape (n, n) and b of shape (n,) or (n, k); got "
            f"{a.data.shape} and {b.data.shape}"
        )
    try:
        return record(OPS["solve"], (a, b))
    except np.linalg.LinAlgError as e:
        raise ValueError(f"solve: {e}") from None
