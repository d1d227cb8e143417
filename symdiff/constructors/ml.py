"""Public constructors of the ML ops (issue 12): logsumexp, softmax, log_softmax.

Their op table rows are in :mod:`symdiff.ops.ml`.
"""

from symdiff.core.expr import apply

__all__ = ["log_softmax", "logsumexp", "softmax"]


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
