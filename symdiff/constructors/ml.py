"""Public constructors of the ML ops (issue 12): logsumexp, softmax, log_softmax,
take_along_axis.

Their op table rows are in :mod:`symdiff.ops.ml` and :mod:`symdiff.ops.gather`.
"""

from symdiff.core.expr import apply

__all__ = ["log_softmax", "logsumexp", "softmax", "take_along_axis"]


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
