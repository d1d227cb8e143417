"""Tensors made from a shape, a range or a random generator: zeros, ones, arange, randn.

(:func:`~numeric.autograd.tensor.tensor`, which makes one from data, lives with the
Tensor class, whose constructor uses it.)
"""

from __future__ import annotations

import numpy as np

from numeric.autograd.tensor import Tensor, tensor

__all__ = [
    "arange",
    "normal",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "shape_arguments",
    "zeros",
    "zeros_like",
]


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


def _generator(generator, what):
    if generator is None:
        return np.random.default_rng()
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"{what}: generator must be a numpy.random.Generator (e.g. "
            f"numpy.random.default_rng(0)), got {type(generator).__name__}"
        )
    return generator


def randn(*shape, generator=None, dtype=None, requires_grad=False):
    """Standard normal samples of ``shape`` (``torch.randn``), from ``generator``.

    Parameters
    ----------
    *shape : int or one tuple of int
    generator : numpy.random.Generator, optional
        The source of randomness (a fresh unseeded one if None); pass a seeded
        ``numpy.random.default_rng(seed)`` for reproducible draws.
    dtype : numpy dtype, optional
    requires_grad : bool, default False

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.autograd import randn
    >>> a = randn(2, 3, generator=np.random.default_rng(0))
    >>> b = randn(2, 3, generator=np.random.default_rng(0))
    >>> a.shape, bool((a == b).numpy().all())
    ((2, 3), True)
    """
    rng = _generator(generator, "randn")
    values = rng.standard_normal(shape_arguments(shape, "randn"))
    return tensor(values, requires_grad, dtype)


def rand(*shape, generator=None, dtype=None, requires_grad=False):
    """Uniform samples on ``[0, 1)`` of ``shape`` (``torch.rand``), from ``generator``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.autograd import rand
    >>> x = rand(1000, generator=np.random.default_rng(1))
    >>> v = x.numpy()
    >>> bool(v.min() >= 0 and v.max() < 1)
    True
    """
    rng = _generator(generator, "rand")
    values = rng.random(shape_arguments(shape, "rand"))
    return tensor(values, requires_grad, dtype)


def normal(mean=0.0, std=1.0, size=(), generator=None, requires_grad=False):
    """Normal samples with ``mean`` and ``std`` (``torch.normal``), from ``generator``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.autograd import normal
    >>> normal(5.0, 0.0, (2,), generator=np.random.default_rng(0))
    tensor([5., 5.])
    """
    if np.any(np.asarray(std) < 0):
        raise ValueError(f"normal: std must be non-negative, got {std!r}")
    rng = _generator(generator, "normal")
    values = rng.normal(mean, std, size=shape_arguments((size,), "normal"))
    return tensor(values, requires_grad)
