"""Tensors made from a shape or a range: zeros, ones, zeros_like, ones_like, arange.

(:func:`~numeric.autograd.tensor.tensor`, which makes one from data, lives with the
Tensor class, whose constructor uses it.)
"""

from __future__ import annotations

import numpy as np

from numeric.autograd.tensor import Tensor, tensor

__all__ = ["arange", "ones", "ones_like", "shape_arguments", "zeros", "zeros_like"]


def shape_arguments(shape, what):
    """A shape given as ``(2, 3)`` or as ``2, 3``, validated, as a tuple of ints.

    Parameters
    ----------
    shape : tuple
        The positional arguments of the caller: ints, or one tuple/list of ints.
    what : str
        The calling function's name, for the message.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> shape_arguments(((2, 3),), "zeros"), shape_arguments((2, 3), "zeros")
    ((2, 3), (2, 3))
    """
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
            raise ValueError(
                f"{what}: shape entries must be non-negative ints, got {shape!r}"
            )
    return tuple(int(n) for n in shape)


def zeros(*shape, dtype=None, requires_grad=False):
    """A tensor of zeros; ``zeros(2, 3)`` or ``zeros((2, 3))``.

    Examples
    --------
    >>> from numeric.autograd import zeros
    >>> zeros(2)
    tensor([0., 0.])
    """
    shape = shape_arguments(shape, "zeros")
    return tensor(np.zeros(shape, dtype=dtype), requires_grad, None)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones; ``ones(2, 3)`` or ``ones((2, 3))``.

    Examples
    --------
    >>> from numeric.autograd import ones
    >>> ones(2)
    tensor([1., 1.])
    """
    shape = shape_arguments(shape, "ones")
    return tensor(np.ones(shape, dtype=dtype), requires_grad, None)


def zeros_like(x, requires_grad=False):
    """Zeros with the shape and dtype of ``x``.

    Examples
    --------
    >>> from numeric.autograd import tensor, zeros_like
    >>> zeros_like(tensor([1.0, 2.0]))
    tensor([0., 0.])
    """
    d = x.data if type(x) is Tensor else np.asarray(x)
    return tensor(np.zeros_like(d), requires_grad)


def ones_like(x, requires_grad=False):
    """Ones with the shape and dtype of ``x``.

    Examples
    --------
    >>> from numeric.autograd import ones_like, tensor
    >>> ones_like(tensor([1.0, 2.0]))
    tensor([1., 1.])
    """
    d = x.data if type(x) is Tensor else np.asarray(x)
    return tensor(np.ones_like(d), requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Evenly spaced values in ``[start, stop)``, like ``numpy.arange``.

    Float arguments give a float tensor (``arange(4.0)``), as in d2l.

    Examples
    --------
    >>> from numeric.autograd import arange
    >>> arange(4.0)
    tensor([0., 1., 2., 3.])
    >>> arange(1, 7, 2)
    tensor([1, 3, 5])
    """
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if v is not None and not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"arange: {name} must be a number, got {v!r}")
    if step == 0:
        raise ValueError("arange: step must be non-zero, got 0")
    if stop is None:
        arr = np.arange(start, dtype=dtype)
    else:
        arr = np.arange(start, stop, step, dtype=dtype)
    return tensor(arr, requires_grad)
