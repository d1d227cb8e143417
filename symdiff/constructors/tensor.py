"""Public constructors of tensor expressions (numpy's names and conventions).

Every function builds rows of the op table (:mod:`symdiff.ops`: constructors here,
table rows there) through :func:`symdiff.core.expr.apply`; a few are compositions
(``mean`` is ``sum / count``, ``stack`` is ``concatenate`` of reshaped operands,
``outer`` a broadcast product, ``dot`` a ``matmul``).  :mod:`symdiff.surface` makes
them methods of :class:`~symdiff.core.expr.Expr` too (``e.sum(axis=0)``, ``e[1:3, 0]``).

Axes follow numpy (an int or a tuple, negative allowed).  Values of tensor symbols may
carry extra leading (batch) dimensions when evaluated; every op acts on the trailing,
symbolic axes.

``sum``, ``max`` and ``min`` shadow Python's builtins when imported by name; this module
uses ``builtins`` explicitly where it needs those.
"""

from __future__ import annotations

import builtins
import math
import numbers

import numpy as np

from symdiff.core.dims import has_named
from symdiff.core.errors import ShapeError
from symdiff.core.expr import Expr, apply, as_expr
from symdiff.ops.util import check_axis, int_param, normalize_axes, size_of

__all__ = [
    "concatenate",
    "cumsum",
    "det",
    "diag",
    "dim",
    "diagonal",
    "dot",
    "getitem",
    "inv",
    "logdet",
    "matmul",
    "max",
    "mean",
    "min",
    "norm",
    "outer",
    "prod",
    "reshape",
    "solve",
    "stack",
    "std",
    "sum",
    "trace",
    "transpose",
    "var",
]


def _int(name, v):
    if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {v!r} ({type(v).__name__})")
    return int(v)


# -- shapes ----------------------------------------------------------------------------


def transpose(e, axes=None):
    """Permute the axes of ``e`` (reverse them by default: the matrix transpose).

    Parameters
    ----------
    e : Expr, number or array
    axes : sequence of int, optional
        ``axes[i]`` is the axis of ``e`` that becomes axis ``i``.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, transpose
    >>> A = Symbol("A", shape=(3, 2))
    >>> transpose(A).shape, A.T.T is A
    ((2, 3), True)
    >>> transpose(Symbol("T", shape=(2, 3, 4)), axes=(0, 2, 1)).shape
    (2, 4, 3)
    """
    if axes is None:
        return apply("transpose", e)
    return apply("transpose", e, axes=axes)


def reshape(e, shape):
    """Give ``e`` a new shape with the same number of entries (one ``-1`` is inferred).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import const, reshape
    >>> reshape(const(np.arange(6)), (3, -1)).shape
    (3, 2)
    """
    e = as_expr(e)
    shape = (shape,) if isinstance(shape, numbers.Integral | str) else tuple(shape)
    shape = tuple(d if isinstance(d, str) else _int("reshape: shape", d) for d in shape)
    if shape.count(-1) > 1:
        raise ShapeError(f"reshape: only one dimension can be -1, got shape {shape}")
    if -1 in shape and has_named(e.shape):
        names = [d for d in shape if isinstance(d, str)]
        if names != [d for d in e.shape if isinstance(d, str)]:
            raise ShapeError(
                f"reshape: cannot reshape shape {e.shape} to shape {shape}: -1 "
                "cannot stand for a product with a named dimension (named dimensions "
                "must stay as they are)"
            )
    if -1 in shape:
        # named dims count for themselves (the op's rule checks they stay in place)
        known = math.prod(d for d in shape if d != -1 and not isinstance(d, str))
        size = math.prod(d for d in e.shape if not isinstance(d, str))
        if known == 0 or size % known:
            raise ShapeError(
                f"reshape: cannot reshape shape {e.shape} to shape {shape}"
            )
        shape = tuple(size // known if d == -1 else d for d in shape)
    return apply("reshape", e, shape=shape)


def _balanced(items, axis):
    """concatenate as a balanced tree of the binary op (O(n log n) copying)."""
    items = list(items)
    while len(items) > 1:
        nxt = [
            apply("concatenate", items[i], items[i + 1], axis=axis)
            for i in range(0, len(items) - 1, 2)
        ]
        if len(items) % 2:
            nxt.append(items[-1])
        items = nxt
    return items[0]


def concatenate(exprs, axis=0):
    """Join tensors along an existing axis.

    Examples
    --------
    >>> from symdiff import Symbol, concatenate
    >>> a, b = Symbol("a", shape=(2, 3)), Symbol("b", shape=(1, 3))
    >>> concatenate([a, b]).shape, concatenate([a, a], axis=1).shape
    ((3, 3), (2, 6))
    """
    if isinstance(exprs, Expr):
        raise TypeError("concatenate: takes a sequence of expressions, got one Expr")
    items = [as_expr(e) for e in exprs]
    if not items:
        raise ValueError("concatenate: needs at least one expression")
    axis = _int("concatenate: axis", axis)
    if len(items) == 1:
        apply("concatenate", items[0], items[0], axis=axis)  # checks the axis
        return items[0]
    return _balanced(items, axis)


def stack(exprs, axis=0):
    """Join tensors of equal shape along a new axis.

    Examples
    --------
    >>> from symdiff import symbols, stack
    >>> x, y = symbols("x y")
    >>> stack([x, y, x * y]).shape
    (3,)
    """
    if isinstance(exprs, Expr):
        raise TypeError("stack: takes a sequence of expressions, got one Expr")
    items = [as_expr(e) for e in exprs]
    if not items:
        raise ValueError("stack: needs at least one expression")
    shape = items[0].shape
    for e in items[1:]:
        if e.shape != shape:
            raise ShapeError(
                f"stack: all shapes must be equal, got {shape} and {e.shape}"
            )
    k = len(shape) + 1
    axis = _int("stack: axis", axis)
    if not -k <= axis < k:
        raise ShapeError(f"stack: axis {axis} is out of range for {k} dimensions")
    axis %= k
    new = shape[:axis] + (1,) + shape[axis:]
    return concatenate([apply("reshape", e, shape=new) for e in items], axis=axis)


def getitem(e, key):
    """``e[key]``: integers, slices, ``None`` (a new axis) and ``...``, as in numpy.

    Integer and array ("advanced") indexing by arrays or lists is not supported.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, const, evaluate
    >>> A = Symbol("A", shape=(4, 3))
    >>> A[1:3, :].shape, A[0].shape, A[..., -1].shape, A[None, 0].shape
    ((2, 3), (3,), (4,), (1, 3))
    >>> evaluate(A[1:3, 0], A=np.arange(12.0).reshape(4, 3))
    array([3., 6.])
    """
    e = as_expr(e)
    key = key if isinstance(key, tuple) else (key,)
    for k in key:
        if k is None or k is Ellipsis or isinstance(k, slice):
            continue
        if isinstance(k, bool | np.bool_) or not isinstance(k, numbers.Integral):
            raise TypeError(
                f"getitem: index {k!r} ({type(k).__name__}) is not supported; use "
                "ints, slices, None and ..."
            )
    n_ell = builtins.sum(1 for k in key if k is Ellipsis)
    n_real = builtins.sum(1 for k in key if k is not None and k is not Ellipsis)
    if n_ell > 1:
        raise IndexError("getitem: an index can only have a single ellipsis ('...')")
    if n_real > e.ndim:
        raise ShapeError(f"getitem: too many indices ({n_real}) for shape {e.shape}")
    fill = [slice(None)] * (e.ndim - n_real)
    if n_ell:
        i = key.index(Ellipsis)
        key = key[:i] + tuple(fill) + key[i + 1 :]
    else:
        key = key + tuple(fill)
    takes, slices, final = [], [], []
    axis = 0
    for k in key:
        if k is None:
            final.append(1)
            continue
        d = e.shape[axis]
        if isinstance(d, str) and k != slice(None):
            # the result's size (or the index's validity) would depend on n
            raise ShapeError(
                f"getitem: cannot index the named dimension {str(d)!r} of shape "
                f"{e.shape} with {k!r} (its size is unknown until values are given); "
                "only ':' keeps it"
            )
        if isinstance(k, slice):
            slices.append((axis, k))
            final.append(d if isinstance(d, str) else len(range(d)[k]))
        else:
            takes.append((axis, int(k)))
        axis += 1
    out = e
    for ax, s in slices:
        if s != slice(None):
            out = apply(
                "slice", out, axis=ax - e.ndim, start=s.start, stop=s.stop, step=s.step
            )
    for ax, i in reversed(takes):  # from the last axis, so earlier positions hold
        out = apply("take", out, index=i, axis=ax)
    final = tuple(final)
    return out if out.shape == final else apply("reshape", out, shape=final)


# -- reductions ------------------------------------------------------------------------


def sum(e, axis=None, keepdims=False):  # noqa: A001  (numpy's name)
    """Sum over ``axis`` (an int, a tuple, or None for every axis).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, sum
    >>> A = Symbol("A", shape=(2, 3))
    >>> print(sum(A, axis=0))
    sum(A, axis=0)
    >>> evaluate(A.sum(axis=1, keepdims=True), A=np.arange(6.0).reshape(2, 3))
    array([[ 3.],
           [12.]])
    """
    return apply("sum", e, axis=check_axis("sum", axis), keepdims=keepdims)


def dim(name):
    """The size of the named dimension ``name``, as a scalar expression.

    Its value is read off the arrays given to :func:`symdiff.evaluate`,
    :func:`symdiff.lambdify` or :func:`symdiff.export_module`; its derivative is 0.
    It prints as ``dim(n)``, never as ``n``, which would read back as a Symbol.

    Parameters
    ----------
    name : str
        A dimension name (an identifier not starting with ``_``).

    Returns
    -------
    Expr

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, dim, evaluate
    >>> X = Symbol("X", shape=("n", 2))
    >>> e = X.sum() / dim("n")
    >>> print(e)
    sum(X)/dim(n)
    >>> float(evaluate(e, X=np.ones((4, 2))))
    2.0
    """
    if not isinstance(name, str):
        raise TypeError(f"dim: name must be a str, got {name!r}")
    return apply("dim", name=str(name))


def _count(e, axis):
    """The number of entries ``axis`` reduces: an int, or an Expr with dim()s."""
    axes = normalize_axes("mean", check_axis("mean", axis), e.ndim)
    return size_of([e.shape[ax] for ax in axes])


def mean(e, axis=None, keepdims=False):
    """Mean over ``axis``: ``sum(e, axis) / count``, the count exact.

    Over a named dimension the count is its size, :func:`dim`.

    Examples
    --------
    >>> from symdiff import Symbol, mean
    >>> print(mean(Symbol("x", shape=(4,))))
    sum(x)/4
    >>> print(mean(Symbol("X", shape=("n", 3)), axis=0))
    sum(X, axis=0)/dim(n)
    """
    e = as_expr(e)
    out = apply("sum", e, axis=check_axis("mean", axis), keepdims=keepdims)
    return out / _count(e, axis)


def var(e, axis=None, ddof=0, keepdims=False):
    """Variance over ``axis``, dividing by ``count - ddof`` (numpy's ``ddof``).

    Written as ``sum((e - mean(e))**2) / (count - ddof)``: the centred form, which
    does not lose the digits that ``mean(e**2) - mean(e)**2`` would.  Over a named
    dimension ``n`` the divisor is ``dim(n) - ddof``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, var
    >>> X = Symbol("X", shape=("n", 2))
    >>> data = np.array([[1.0, 2.0], [3.0, 5.0], [8.0, 6.0]])
    >>> evaluate(var(X, axis=0, ddof=1), X=data)
    array([13.        ,  4.33333333])
    """
    e = as_expr(e)
    ddof = int_param("var", "ddof", ddof)
    axis = check_axis("var", axis)
    centred = e - apply("sum", e, axis=axis, keepdims=True) / _count(e, axis)
    total = apply("sum", centred * centred, axis=axis, keepdims=keepdims)
    return total / (_count(e, axis) - ddof)


def std(e, axis=None, ddof=0, keepdims=False):
    """Standard deviation over ``axis``: ``sqrt(var(e, axis, ddof))``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, std
    >>> x = Symbol("x", shape=("n",))
    >>> float(evaluate(std(x), x=np.array([1.0, 3.0])))
    1.0
    """
    return apply("sqrt", var(e, axis=axis, ddof=ddof, keepdims=keepdims))


def prod(e, axis=None, keepdims=False):
    """Product over ``axis``.

    Its derivative divides by the entries, so it is ``nan`` where an entry is 0.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, grad, prod
    >>> x = Symbol("x", shape=(3,))
    >>> float(evaluate(prod(x), x=[1.0, 2.0, 3.0]))
    6.0
    >>> evaluate(grad(prod(x), x), x=[1.0, 2.0, 3.0])
    array([6., 3., 2.])
    """
    return apply("prod", e, axis=axis, keepdims=keepdims)


def max(e, axis=None, keepdims=False):  # noqa: A001  (numpy's name)
    """Maximum over ``axis``; tied maxima share the derivative evenly.

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, grad, max
    >>> x = Symbol("x", shape=(3,))
    >>> evaluate(grad(max(x), x), x=[1.0, 5.0, 5.0])
    array([0. , 0.5, 0.5])
    """
    return apply("max", e, axis=axis, keepdims=keepdims)


def min(e, axis=None, keepdims=False):  # noqa: A001  (numpy's name)
    """Minimum over ``axis``; tied minima share the derivative evenly.

    Examples
    --------
    >>> from symdiff import Symbol, min
    >>> print(min(Symbol("A", shape=(2, 3)), axis=1, keepdims=True))
    min(A, axis=1, keepdims=True)
    """
    return apply("min", e, axis=axis, keepdims=keepdims)


def cumsum(e, axis=None):
    """Cumulative sum along ``axis`` (None: over the flattened tensor, like numpy).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, cumsum, evaluate
    >>> A = Symbol("A", shape=(2, 2))
    >>> evaluate(cumsum(A, axis=0), A=[[1.0, 2.0], [3.0, 4.0]])
    array([[1., 2.],
           [4., 6.]])
    """
    e = as_expr(e)
    if axis is None:
        if e.ndim != 1:
            e = apply("reshape", e, shape=(math.prod(e.shape),))
        axis = -1
    return apply("cumsum", e, axis=axis)


# -- products --------------------------------------------------------------------------


def matmul(a, b):
    """Matrix product with numpy's rules (same as ``a @ b``).

    1-D operands are vectors (``x @ x`` is a scalar), stacks of matrices broadcast.

    Examples
    --------
    >>> from symdiff import Symbol, matmul
    >>> A, x = Symbol("A", shape=(2, 3)), Symbol("x", shape=(3,))
    >>> print(matmul(A, x))
    A @ x
    >>> (A @ x).shape, (x @ x).shape
    ((2,), ())
    """
    return apply("matmul", a, b)


def dot(a, b):
    """Dot product: scalars multiply, vectors and matrices (up to 2-D) ``matmul``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, dot, evaluate
    >>> x = Symbol("x", shape=(4,))
    >>> float(evaluate(dot(x, np.ones(4)), x=np.arange(4.0)))
    6.0
    """
    a, b = as_expr(a), as_expr(b)
    if not a.shape or not b.shape:
        return a * b
    if a.ndim > 2 or b.ndim > 2:
        raise ShapeError(
            f"dot: shapes {a.shape} and {b.shape}: operands above 2-D are not "
            "supported; use matmul (stacks) or sum(a * b, axis)"
        )
    return apply("matmul", a, b)


def outer(a, b):
    """Outer product of two tensors (flattened first, as numpy does).

    Examples
    --------
    >>> from symdiff import Symbol, outer
    >>> outer(Symbol("u", shape=(2,)), Symbol("v", shape=(3,))).shape
    (2, 3)
    """
    a, b = as_expr(a), as_expr(b)
    # a vector keeps its (maybe named) length; numpy flattens anything else
    m = a.shape[0] if a.ndim == 1 else math.prod(a.shape)
    n = b.shape[0] if b.ndim == 1 else math.prod(b.shape)
    return apply("reshape", a, shape=(m, 1)) * apply("reshape", b, shape=(1, n))


def trace(e):
    """Trace of square matrices (the sum of the diagonal of the last two axes).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, grad, trace
    >>> A = Symbol("A", shape=(2, 2))
    >>> float(evaluate(trace(A), A=[[1.0, 2.0], [3.0, 4.0]]))
    5.0
    >>> evaluate(grad(trace(A), A), A=np.zeros((2, 2)))
    array([[1., 0.],
           [0., 1.]])
    """
    return apply("trace", e)


def diagonal(e):
    """The diagonal of square matrices (the last two axes) as a vector.

    Examples
    --------
    >>> from symdiff import Symbol, diagonal
    >>> diagonal(Symbol("A", shape=(3, 3))).shape
    (3,)
    """
    return apply("diagonal", e)


def diag(v):
    """The diagonal matrix with the vector ``v`` (its last axis) on the diagonal.

    Examples
    --------
    >>> from symdiff import Symbol, diag
    >>> diag(Symbol("v", shape=(3,))).shape
    (3, 3)
    """
    return apply("diag", v)


# -- norms and linear algebra ----------------------------------------------------------


def norm(e, ord=None, axis=None, keepdims=False):
    """Vector and Frobenius norms, with numpy's spelling.

    Parameters
    ----------
    e : Expr, number or array
    ord : {None, 1, 2, p > 0, inf, 'fro'}, optional
        For vectors (one axis): the p-norm, 2 by default.  For matrices (two axes):
        ``None`` or ``'fro'``, the Frobenius norm (induced matrix norms are not
        supported).  Over every axis of a tensor of 3 or more dimensions, ``None``
        is the 2-norm of the flattened tensor.
    axis : int or tuple of int, optional
        The axes normed over; by default every axis (a vector or matrix norm
        according to ``e.ndim``).
    keepdims : bool, optional

    Returns
    -------
    Expr

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import const, evaluate, norm
    >>> u = const(np.array([3.0, -4.0]))
    >>> float(evaluate(norm(u))), float(evaluate(norm(u, ord=1)))
    (5.0, 7.0)
    >>> float(evaluate(norm(const(np.ones((4, 9))))))
    6.0
    """
    e = as_expr(e)
    axis = check_axis("norm", axis)
    if axis is None:
        naxes = e.ndim
    elif isinstance(axis, numbers.Integral):
        naxes = 1
    else:
        naxes = len(tuple(axis))
    if isinstance(ord, str):
        if ord != "fro":
            raise ValueError(
                f"norm: ord {ord!r} is not supported; use None, 'fro', 1, 2, a number "
                "p > 0 or inf"
            )
        if naxes != 2:
            raise ValueError(
                f"norm: ord='fro' needs a matrix (two axes), got {naxes} axis/axes "
                f"of shape {e.shape}"
            )
        ord = None
    if naxes == 2 and ord is not None:
        raise ValueError(
            f"norm: matrix norms support only ord=None or 'fro' (Frobenius), got "
            f"ord={ord!r}; pass axis= for vector norms along one axis"
        )
    if naxes > 2 and ord is not None:
        raise ValueError(
            f"norm: ord={ord!r} needs one axis (vector) or two (matrix), got "
            f"{naxes} axes"
        )
    return apply("norm", e, ord=2 if ord is None else ord, axis=axis, keepdims=keepdims)


def inv(e):
    """Matrix inverse (of the last two axes).

    Examples
    --------
    >>> from symdiff import Symbol, grad, inv, logdet
    >>> X = Symbol("X", shape=(3, 3))
    >>> print(grad(logdet(X), X))
    inv(X).T
    """
    return apply("inv", e)


def det(e):
    """Determinant (of the last two axes).

    Examples
    --------
    >>> from symdiff import Symbol, det, evaluate
    >>> A = Symbol("A", shape=(2, 2))
    >>> round(float(evaluate(det(A), A=[[2.0, 1.0], [1.0, 3.0]])), 12)
    5.0
    """
    return apply("det", e)


def logdet(e):
    """``log |det A|``, computed stably; equal to ``log det A`` where ``det A > 0``.

    Its gradient is ``inv(A).T``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, logdet
    >>> A = Symbol("A", shape=(2, 2))
    >>> round(float(evaluate(logdet(A), A=np.diag([2.0, 3.0]))), 12) == round(
    ...     float(np.log(6.0)), 12)
    True
    """
    return apply("logdet", e)


def solve(a, b):
    """The solution ``x`` of ``a @ x = b`` (``b`` a vector or a matrix).

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, solve
    >>> A, b = Symbol("A", shape=(2, 2)), Symbol("b", shape=(2,))
    >>> evaluate(solve(A, b), A=[[2.0, 0.0], [0.0, 4.0]], b=[2.0, 2.0])
    array([1. , 0.5])
    """
    return apply("solve", a, b)
