"""Public constructors of the ML ops (issue 12): logsumexp, softmax, log_softmax,
take_along_axis.

Their op table rows are in :mod:`symdiff.ops.ml` and :mod:`symdiff.ops.gather`.
"""

import string

from symdiff.core.expr import Expr, apply, const

__all__ = [
    "einsum",
    "inner",
    "kron",
    "log_softmax",
    "logsumexp",
    "softmax",
    "take_along_axis",
    "tensordot",
    "tril",
    "triu",
    "flip",
    "cholesky",
]


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis`` (all axes by default), without overflow.

    Computed as ``m + log(sum(exp(x - m)))`` with ``m`` the maximum, in
    :func:`symdiff.evaluate` and in generated code.  Its gradient is the softmax.

    Parameters
    ----------
    x : Expr
        The operand.
    axis : int, tuple of ints or None, optional
        Axes to reduce (``None``: all of them).
    keepdims : bool, optional
        Keep the reduced axes with length 1.

    Returns
    -------
    Expr

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, grad, logsumexp
    >>> z = Symbol("z", shape=(3,))
    >>> print(logsumexp(z))
    logsumexp(z)
    >>> float(evaluate(logsumexp(z), {z: np.array([1000.0, 1000.0, -np.inf])}))
    1000.6931471805599
    >>> evaluate(grad(logsumexp(z), z), {z: np.zeros(3)}).round(4)
    array([0.3333, 0.3333, 0.3333])
    """
    return apply("logsumexp", x, axis=axis, keepdims=keepdims)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (the last by default), without overflow.

    Parameters
    ----------
    x : Expr
        The operand (at least one dimension).
    axis : int, optional
        The axis that sums to 1.

    Returns
    -------
    Expr
        Same shape as ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, softmax
    >>> Z = Symbol("Z", shape=(2, 3))
    >>> print(softmax(Z), softmax(Z, axis=0))
    softmax(Z) softmax(Z, axis=0)
    >>> evaluate(softmax(Z), {Z: np.array([[0.0, 0, 0], [800, 0, 800]])}).round(3)
    array([[0.333, 0.333, 0.333],
           [0.5  , 0.   , 0.5  ]])
    """
    return apply("softmax", x, axis=axis)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis`` (the last by default), without overflow.

    The log-probabilities of a classifier with logits ``x``: the cross-entropy loss
    picks the label's entry of each row (see :func:`symdiff.take_along_axis`).

    Parameters
    ----------
    x : Expr
        The operand (at least one dimension).
    axis : int, optional
        The axis over which the exponentials sum to 1.

    Returns
    -------
    Expr
        Same shape as ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, log_softmax
    >>> z = Symbol("z", shape=(2,))
    >>> print(log_softmax(z))
    log_softmax(z)
    >>> evaluate(log_softmax(z), {z: np.array([0.0, -800.0])})
    array([   0., -800.])
    """
    return apply("log_softmax", x, axis=axis)


def take_along_axis(x, indices, axis=-1):
    """Entries of ``x`` at integer ``indices`` along ``axis`` (numpy's function).

    ``indices`` is an operand: a data symbol (labels held as whole-number floats) or a
    constant integer array, so one expression serves every label vector.  With as
    many dimensions as ``x`` it is numpy's ``take_along_axis``; with one dimension
    fewer it picks one entry per position of the other axes and drops ``axis``:
    ``take_along_axis(log_softmax(Z), y, axis=1)[i] == log_softmax(Z)[i, y[i]]``.
    The derivative wrt ``x`` adds the cotangent back at the indices (``scatter_add``;
    repeated indices accumulate); there is none wrt ``indices``.

    Parameters
    ----------
    x : Expr
        The array indexed (at least one dimension).
    indices : Expr or array of ints
        Shape of ``x`` with any size along ``axis`` (or 1 elsewhere), or the shape of
        ``x`` without ``axis``.
    axis : int, optional
        The axis indexed.

    Returns
    -------
    Expr

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, grad, log_softmax, sum, take_along_axis
    >>> Z, y = Symbol("Z", shape=(3, 4)), Symbol("y", shape=(3,))
    >>> nll = -sum(take_along_axis(log_softmax(Z), y, axis=1))  # cross-entropy
    >>> print(nll)
    -sum(take_along_axis(log_softmax(Z), y))
    >>> labels = np.array([0.0, 3.0, 3.0])
    >>> evaluate(take_along_axis(Z, y, axis=1), {Z: np.arange(12.0).reshape(3, 4),
    ...                                          y: labels})
    array([ 0.,  7., 11.])
    >>> evaluate(grad(nll, Z), {Z: np.zeros((3, 4)), y: labels})[0]
    array([-0.75,  0.25,  0.25,  0.25])
    """
    return apply("take_along_axis", x, indices, axis=axis)


def einsum(subscripts, *operands):
    """numpy's ``einsum``: a sum of products over the letters of ``subscripts``.

    The subscripts are checked when the expression is built: one term per operand,
    as many letters as it has dimensions, equal sizes for equal letters, and an
    output (after ``->``, or numpy's implied one) of input letters.  A letter may not
    repeat within one term (use :func:`symdiff.diagonal` / :func:`symdiff.trace`).
    A term may start with ``...`` (leading dimensions that broadcast).  Derivatives
    are einsums of the cotangent with the other operands.

    Parameters
    ----------
    subscripts : str
        Such as ``"ij,jk->ik"``.
    *operands : Expr or array
        One per term.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, einsum, grad
    >>> A, x = Symbol("A", shape=(2, 3)), Symbol("x", shape=(3,))
    >>> print(einsum("ij,j->i", A, x), einsum("ij,j", A, x).shape)
    einsum("ij,j->i", A, x) (2,)
    >>> print(grad(einsum("i,ij,j->", x, Symbol("B", shape=(3, 3)), x), x))
    einsum("ij,j->i", B, x) + einsum("i,ij->j", x, B)
    """
    if not operands:
        raise TypeError("einsum: needs at least one operand")
    return apply("einsum", *operands, subscripts=subscripts)


def _as_expr(a):
    return a if isinstance(a, Expr) else const(a)


def tensordot(a, b, axes=2):
    """numpy's ``tensordot``: contract the last ``axes`` axes of ``a`` with the first
    of ``b`` (or the paired axis lists ``axes=(a_axes, b_axes)``); an einsum.

    Parameters
    ----------
    a, b : Expr or array
    axes : int or pair of sequences of ints, optional

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, tensordot
    >>> A, B = Symbol("A", shape=(2, 3, 4)), Symbol("B", shape=(3, 4, 5))
    >>> print(tensordot(A, B))
    einsum("abc,bcd->ad", A, B)
    >>> tensordot(A, B, axes=([1], [0])).shape
    (2, 4, 4, 5)
    """
    a, b = _as_expr(a), _as_expr(b)
    if isinstance(axes, int):
        if not 0 <= axes <= min(a.ndim, b.ndim):
            raise ValueError(f"tensordot: axes={axes} for shapes {a.shape}, {b.shape}")
        ax_a, ax_b = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        ax_a, ax_b = ([ax] if isinstance(ax, int) else list(ax) for ax in axes)
        if len(ax_a) != len(ax_b):
            raise ValueError(f"tensordot: axes {axes!r} pair unequal numbers of axes")
    ax_a = [ax % a.ndim if -a.ndim <= ax < a.ndim else _bad(ax, a) for ax in ax_a]
    ax_b = [ax % b.ndim if -b.ndim <= ax < b.ndim else _bad(ax, b) for ax in ax_b]
    letters = iter(string.ascii_letters)
    ta = [next(letters) for _ in range(a.ndim)]
    tb = [None] * b.ndim
    for i, j in zip(ax_a, ax_b, strict=True):
        tb[j] = ta[i]
    tb = [c or next(letters) for c in tb]
    out = [c for i, c in enumerate(ta) if i not in ax_a]
    out += [c for j, c in enumerate(tb) if j not in ax_b]
    subs = "".join(ta) + "," + "".join(tb) + "->" + "".join(out)
    return apply("einsum", a, b, subscripts=subs)


def _bad(ax, e):
    raise ValueError(f"tensordot: axis {ax} is out of range for shape {e.shape}")


def inner(a, b):
    """numpy's ``inner``: the sum over the last axes of ``a`` and ``b`` (an einsum;
    for vectors the dot product).

    Examples
    --------
    >>> from symdiff import Symbol, inner
    >>> A, x = Symbol("A", shape=(2, 3)), Symbol("x", shape=(3,))
    >>> print(inner(A, x), inner(x, x).shape)
    einsum("ab,b->a", A, x) ()
    """
    a, b = _as_expr(a), _as_expr(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return tensordot(a, b, axes=([-1], [-1]))


def kron(a, b):
    """numpy's ``kron`` for operands with the same number of dimensions: blocks
    ``a[i, j] * b`` (an einsum of the outer product, reshaped).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, kron
    >>> A, B = Symbol("A", shape=(2, 2)), Symbol("B", shape=(2, 3))
    >>> kron(A, B).shape
    (4, 6)
    >>> a, b = np.arange(4.0).reshape(2, 2), np.ones((2, 3))
    >>> bool(np.array_equal(evaluate(kron(A, B), {A: a, B: b}), np.kron(a, b)))
    True
    """
    a, b = _as_expr(a), _as_expr(b)
    if a.ndim != b.ndim:
        raise ValueError(
            f"kron: operands need the same number of dimensions, got shapes "
            f"{a.shape} and {b.shape} (reshape one first)"
        )
    if a.ndim == 0:
        return a * b
    la = string.ascii_letters[: a.ndim]
    lb = string.ascii_letters[a.ndim : 2 * a.ndim]
    out = "".join(p + q for p, q in zip(la, lb, strict=True))
    outer = apply("einsum", a, b, subscripts=f"{la},{lb}->{out}")
    shape = tuple(p * q for p, q in zip(a.shape, b.shape, strict=True))
    return apply("reshape", outer, shape=shape)


def tril(x, k=0):
    """The lower triangle of the last two axes: entries on and below the ``k``-th
    diagonal kept, the rest zero (numpy's ``tril``).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, tril
    >>> A = Symbol("A", shape=(2, 2))
    >>> print(tril(A), tril(A, k=-1))
    tril(A) tril(A, k=-1)
    >>> evaluate(tril(A), {A: np.ones((2, 2))})
    array([[1., 0.],
           [1., 1.]])
    """
    return apply("tril", x, k=k)


def triu(x, k=0):
    """The upper triangle of the last two axes: entries on and above the ``k``-th
    diagonal kept, the rest zero (numpy's ``triu``).

    Examples
    --------
    >>> from symdiff import Symbol, triu
    >>> print(triu(Symbol("A", shape=(3, 3)), k=1))
    triu(A, k=1)
    """
    return apply("triu", x, k=k)


def flip(x, axis=None):
    """The entries in reverse order along ``axis`` (all axes by default).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate, flip
    >>> v = Symbol("v", shape=(3,))
    >>> print(flip(v)), evaluate(flip(v), {v: np.arange(3.0)})
    flip(v)
    (None, array([2., 1., 0.]))
    """
    return apply("flip", x, axis=axis)


def cholesky(a):
    """The lower Cholesky factor ``L`` of a symmetric positive definite ``a``
    (``a = L @ L.T``; numpy's ``linalg.cholesky``, which reads the lower triangle).

    Derivatives treat ``a`` as symmetric (they are those of ``chol((a + a.T)/2)``):
    the gradient is symmetric, Murray's (2016) rule.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, cholesky, evaluate
    >>> A = Symbol("A", shape=(2, 2))
    >>> evaluate(cholesky(A), {A: np.array([[4.0, 2.0], [2.0, 5.0]])})
    array([[2., 0.],
           [1., 2.]])
    """
    return apply("cholesky", a)
