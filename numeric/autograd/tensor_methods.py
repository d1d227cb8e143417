"""The Tensor methods that are package functions: ``x.sum()``, ``x.exp()``, ``x @ y``,
``x.backward()``.

They are bound to :class:`~numeric.autograd.tensor.Tensor` here, above both the class
and the functions and engine they call, so that every module imports downwards only.
Importing :mod:`numeric.autograd` runs this module; it is the one place the class is
extended after its definition.
"""

from __future__ import annotations

from numeric.autograd import functions as fn
from numeric.autograd.engine import backward
from numeric.autograd.tensor import Tensor

__all__ = ["ELEMENTWISE_METHODS", "TensorFunctionMethods", "install"]

#: The elementwise functions that double as methods (x.exp(), x.relu(), ...).
ELEMENTWISE_METHODS = (
    "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs",
    "sign", "log1p", "expm1", "sinh", "cosh", "asin", "acos", "atan", "softplus",
    "erf",
)


class TensorFunctionMethods:
    """The methods :class:`~numeric.autograd.tensor.Tensor` takes from this package.

    Not a class to instantiate: :func:`install` copies its members onto Tensor.
    """

    backward = backward

    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (all axes by default); see :func:`sum`.

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(6.0).reshape(2, 3).sum(axis=0)
        tensor([3., 5., 7.])
        """
        return fn.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis``; see :func:`mean`.

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(4.0).mean()
        tensor(1.5)
        """
        return fn.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        """Maximum over ``axis`` (ties share the gradient); see :func:`max`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 3.0, 2.0]).max()
        tensor(3.)
        """
        return fn.max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        """Minimum over ``axis`` (ties share the gradient); see :func:`min`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 3.0, 2.0]).min()
        tensor(1.)
        """
        return fn.min(self, axis, keepdims)

    def norm(self, p=2, axis=None, keepdims=False):
        """Vector p-norm of all elements (or along ``axis``); see :func:`norm`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([3.0, -4.0]).norm()
        tensor(5.)
        """
        return fn.norm(self, p, axis, keepdims)

    def reshape(self, *shape):
        """Same data in a new shape (one entry may be -1); see :func:`reshape`.

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(6.0).reshape(3, 2).shape
        (3, 2)
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return fn.reshape(self, shape)

    def transpose(self, *axes):
        """Permute axes (numpy semantics; no arguments reverses them).

        Examples
        --------
        >>> from numeric.autograd import zeros
        >>> zeros(2, 3, 4).transpose(1, 0, 2).shape
        (3, 2, 4)
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return fn.transpose(self, axes or None)

    @property
    def T(self):
        """The tensor with its axes reversed (numpy's ``.T``).

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(6.0).reshape(3, 2).T.shape
        (2, 3)
        """
        return fn.transpose(self)

    def dot(self, other):
        """Inner product of two 1-d tensors; see :func:`dot`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 2.0]).dot(tensor([3.0, 4.0]))
        tensor(11.)
        """
        return fn.dot(self, other)

    def matmul(self, other):
        """Matrix product (``@``); see :func:`matmul`.

        Examples
        --------
        >>> from numeric.autograd import ones
        >>> ones(2, 3).matmul(ones(3)).shape
        (2,)
        """
        return fn.matmul(self, other)

    def __rmatmul__(self, other):
        return fn.matmul(other, self)

    __matmul__ = matmul
    __abs__ = fn.abs


# Members every class has; the rest of TensorFunctionMethods' namespace is copied.
_CLASS_MACHINERY = frozenset(vars(type("Empty", (), {})))


def install():
    """Bind :class:`TensorFunctionMethods` and the elementwise functions to Tensor.

    Examples
    --------
    >>> from numeric.autograd import Tensor
    >>> Tensor.sum.__qualname__, Tensor.exp.__name__
    ('TensorFunctionMethods.sum', 'exp')
    """
    for name, member in vars(TensorFunctionMethods).items():
        if name not in _CLASS_MACHINERY:
            setattr(Tensor, name, member)
    for name in ELEMENTWISE_METHODS:
        setattr(Tensor, name, getattr(fn, name))


install()
