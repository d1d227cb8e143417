"""The Tensor methods that are package functions: ``x.sum()``, ``x.exp()``, ``x @ y``,
``x.backward()``.

They are bound to :class:`~numeric.autograd.tensor.Tensor` here, above both the class
and the functions and engine they call, so that every module imports downwards only.
Importing :mod:`numeric.autograd` runs this module; it is the one place the class is
extended after its definition.
"""

from __future__ import annotations

from numeric.autograd import functions as fn
from numeric.autograd.engine import RETAIN_GRAD, backward
from numeric.autograd.errors import GradError
from numeric.autograd.inplace import INPLACE_METHODS
from numeric.autograd.tensor import HOOKS_USED, Tensor

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

    def register_hook(self, hook):
        """Call ``hook(grad)`` with this tensor's gradient in every backward pass.

        As PyTorch's ``Tensor.register_hook``: the hook gets the gradient (a Tensor)
        before it is used, and may return a replacement (or None to keep it). Hooks
        run in registration order; a leaf's hooks see its whole gradient for the
        pass, before it is accumulated into ``.grad``.

        Returns
        -------
        handle
            ``handle.remove()`` unregisters the hook.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> x = tensor([1.0, 2.0], requires_grad=True)
        >>> h = x.register_hook(lambda g: g * 10)
        >>> (x * x).sum().backward()
        >>> x.grad
        tensor([20., 40.])
        """
        if not callable(hook):
            raise TypeError(f"register_hook: hook must be callable, got {hook!r}")
        if not self._requires_grad:
            raise GradError(
                "register_hook: cannot register a hook on a tensor that does not "
                "require grad"
            )
        return _add_hook(self, hook)

    def retain_grad(self):
        """Make this non-leaf tensor keep its gradient in ``.grad`` (PyTorch's).

        Leaves keep theirs anyway, so for them it does nothing.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> x = tensor(3.0, requires_grad=True)
        >>> h = x * x
        >>> h.retain_grad()
        >>> (h * 2).backward()
        >>> h.grad, x.grad
        (tensor(2.), tensor(12.))
        """
        if not self._requires_grad:
            raise GradError("retain_grad: the tensor does not require grad")
        if self._op is not None and not self.retains_grad:
            _add_hook(self, RETAIN_GRAD)

    @property
    def retains_grad(self):
        """Whether :meth:`retain_grad` was called on this non-leaf tensor."""
        return RETAIN_GRAD in (getattr(self, "_hooks", None) or ())

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


class _HookHandle:
    """What register_hook returns: ``remove()`` takes the hook off again."""

    __slots__ = ("_tensor", "_hook")

    def __init__(self, tensor, hook):
        self._tensor = tensor
        self._hook = hook

    def remove(self):
        hooks = getattr(self._tensor, "_hooks", None) or []
        for i, h in enumerate(hooks):
            if h is self._hook:
                del hooks[i]
                break


def _add_hook(tensor, hook):
    hooks = getattr(tensor, "_hooks", None)
    if hooks is None:
        hooks = tensor._hooks = []
    hooks.append(hook)
    HOOKS_USED[0] = True
    return _HookHandle(tensor, hook)


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
    for name, method in INPLACE_METHODS.items():
        setattr(Tensor, name, method)


install()
