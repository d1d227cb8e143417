"""Numbers and arrays in and out of tensors.

Inbound: :func:`scalarize`, :func:`check_numeric_dtype` and :func:`as_constant` turn
the operands of tensor operations into numpy values. Outbound: the
:class:`ArrayConversions` mixin gives :class:`~numeric.autograd.tensor.Tensor` its
numpy-like read-only face (``shape``, ``item()``, ``numpy()``, ``len()``, ...), which
needs nothing but the tensor's ``data``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ArrayConversions", "as_constant", "check_numeric_dtype", "scalarize"]


def scalarize(a):
    """numpy's own convention: a 0-d array becomes a numpy scalar (10x faster to use).

    Parameters
    ----------
    a : object
        Any value; only 0-d ndarrays are changed.

    Returns
    -------
    object

    Examples
    --------
    >>> import numpy as np
    >>> type(scalarize(np.array(2.0))).__name__, scalarize([1])
    ('float64', [1])
    """
    return a[()] if type(a) is np.ndarray and a.ndim == 0 else a


def check_numeric_dtype(arr, name, what):
    """Raise TypeError unless ``arr`` holds bools, ints or real floats.

    Parameters
    ----------
    arr : numpy.ndarray or numpy.generic
    name : str
        The argument's name, for the message.
    what : str
        The calling function's name, for the message.

    Examples
    --------
    >>> import numpy as np
    >>> check_numeric_dtype(np.array([1.0]), "x", "demo")
    >>> check_numeric_dtype(np.array(["a"]), "x", "demo")
    Traceback (most recent call last):
    ...
    TypeError: demo: x must be numeric (bool, int or real float), got dtype <U1
    """
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{what}: {name} must be numeric (bool, int or real float), "
            f"got dtype {arr.dtype}"
        )


def as_constant(v, name="operand", what="autograd"):
    """A non-Tensor operand as a numpy-compatible constant, or TypeError.

    Parameters
    ----------
    v : object
        A number, numpy array or scalar, or (nested) list/tuple of numbers.
    name, what : str
        The argument's and the calling function's names, for the message.

    Returns
    -------
    number, numpy scalar or numpy.ndarray

    Examples
    --------
    >>> as_constant(2.0), as_constant([1, 2])
    (2.0, array([1, 2]))
    """
    t = type(v)
    if t is float or t is int or t is bool:
        return v
    if t is np.ndarray or isinstance(v, np.generic):
        check_numeric_dtype(v, name, what)
        return v
    if isinstance(v, (list, tuple)):
        arr = np.asarray(v)
        check_numeric_dtype(arr, name, what)
        return scalarize(arr)
    if isinstance(v, (int, float)):
        return v
    raise TypeError(
        f"{what}: {name} must be a Tensor, number or numpy array, got "
        f"{type(v).__name__}"
    )


class ArrayConversions:
    """The numpy-like read-only face of a tensor: everything computed from ``data``.

    A mixin for :class:`~numeric.autograd.tensor.Tensor`, which owns the ``data`` slot.

    Examples
    --------
    >>> from numeric.autograd import Tensor
    >>> from numeric.autograd.conversions import ArrayConversions
    >>> issubclass(Tensor, ArrayConversions)
    True
    """

    __slots__ = ()

    @property
    def shape(self):
        """Tuple of dimensions.

        Examples
        --------
        >>> from numeric.autograd import zeros
        >>> zeros(2, 3).shape
        (2, 3)
        """
        return self.data.shape

    @property
    def dtype(self):
        """numpy dtype of the data.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0]).dtype
        dtype('float64')
        """
        return self.data.dtype

    @property
    def ndim(self):
        """Number of dimensions.

        Examples
        --------
        >>> from numeric.autograd import zeros
        >>> zeros(2, 3).ndim
        2
        """
        return self.data.ndim

    def item(self):
        """The value of a one-element tensor as a Python number.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([2.5]).item()
        2.5
        """
        if self.data.size != 1:
            raise ValueError(
                f"item: only one-element tensors convert to a Python number, "
                f"this one has shape {self.shape}"
            )
        return self.data.item()

    def numpy(self):
        """The data as a numpy array (shares memory; 0-d gives a 0-d array).

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 2.0]).numpy()
        array([1., 2.])
        """
        return np.asarray(self.data)

    def tolist(self):
        """The data as (nested) Python lists or a number.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 2.0]).tolist()
        [1.0, 2.0]
        """
        return self.data.tolist()

    def numel(self):
        """Number of elements.

        Examples
        --------
        >>> from numeric.autograd import zeros
        >>> zeros(2, 3).numel()
        6
        """
        return self.data.size

    def __array__(self, dtype=None, copy=None):
        arr = np.asarray(self.data, dtype=dtype)
        return arr.copy() if copy else arr

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor with {self.data.size} elements is "
                f"ambiguous; use .any() or .all() on .numpy()"
            )
        return bool(self.data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())
