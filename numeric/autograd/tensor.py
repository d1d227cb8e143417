"""The :class:`Tensor` and the recording of operations on it (the tape).

A tensor that results from an op on tensors requiring grad remembers the op, its input
tensors and the forward arguments the op's VJP needs; leaves (tensors you create)
remember nothing. :func:`record` is that step for any registry op; the operators are
specialised copies of it (:func:`unary_function`, :func:`binary_method`) because they
are the hot path of a scalar program.

Methods that are spelled as package functions (``x.sum()``, ``x.exp()``, ``x @ y``,
``x.backward()``) are bound to the class by :mod:`numeric.autograd.tensor_methods`,
which sits above the functions and the engine so that imports run one way.
"""

from __future__ import annotations

import itertools
import types

import numpy as np

from numeric.autograd.conversions import (
    ArrayConversions,
    as_constant,
    check_numeric_dtype,
    scalarize,
)
from numeric.autograd.errors import GradError, GradTypeError, GradValueError
from numeric.autograd.mode import GRAD_MODE
from numeric.autograd.ops import OPS, is_basic_index

__all__ = [
    "HOOKS_USED",
    "Tensor",
    "as_tensor",
    "binary_method",
    "compare_method",
    "index",
    "make_leaf",
    "next_creation_index",
    "record",
    "tensor",
    "unary_function",
]

_new = object.__new__
#: Set for good by the first register_hook or retain_grad: until then the engine
#: never looks for hooks, so backward passes without them pay nothing.
HOOKS_USED = [False]
# Creation numbers of recorded tensors: inputs are always created before their
# results, so sorting by this number is a topological order (see engine.toposort).
_next_creation_index = itertools.count().__next__
#: The same sequence, for the stamps of in-place writes (numeric.autograd.versions).
next_creation_index = _next_creation_index


def unary_function(op):
    """The function ``fn(x)`` that runs and records the one-input registry ``op``.

    Parameters
    ----------
    op : numeric.autograd.ops.Op

    Returns
    -------
    callable

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.ops import OPS
    >>> unary_function(OPS["neg"])(tensor(2.0, requires_grad=True))
    tensor(-2., grad_fn=<neg>)
    """
    forward = op.forward

    def fn(x):
        if type(x) is not Tensor:
            x = as_tensor(x, "x", op.name)
        data = x.data
        t = _new(Tensor)
        t.data = forward(data)
        t._grad = None
        if x._requires_grad and GRAD_MODE.enabled:
            t._requires_grad = True
            t._op = op
            t._inputs = (x,)
            t._saved_args = (data,)
            t._creation_index = _next_creation_index()
        else:
            t._requires_grad = False
            t._op = None
            t._inputs = None
            t._saved_args = None
        return t

    fn.__name__ = fn.__qualname__ = op.name
    return fn


def binary_method(op, reflected=False):
    """The method ``self (op) other`` (``other (op) self`` if ``reflected``).

    The body shared by the arithmetic operators and the two-input functions, inlined
    because it is the hot path. Returns NotImplemented for an operand it cannot use.

    Parameters
    ----------
    op : numeric.autograd.ops.Op
    reflected : bool, default False

    Returns
    -------
    callable

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.ops import OPS
    >>> binary_method(OPS["sub"], reflected=True)(tensor(1.0), 5.0)
    tensor(4.)
    """
    forward = op.forward

    def method(self, other):
        other_is_tensor = type(other) is Tensor
        if other_is_tensor:
            other_data = other.data
            other_rg = other._requires_grad
        else:
            other_type = type(other)
            if other_type is float or other_type is int:
                other_data = other
            else:
                try:
                    other_data = as_constant(other)
                except TypeError:
                    return NotImplemented
            other_rg = False
        self_data = self.data
        self_rg = self._requires_grad
        t = _new(Tensor)
        if reflected:
            t.data = forward(other_data, self_data)
        else:
            t.data = forward(self_data, other_data)
        t._grad = None
        if (self_rg or other_rg) and GRAD_MODE.enabled:
            t._requires_grad = True
            t._op = op
            t._creation_index = _next_creation_index()
            if reflected:
                t._inputs = (other if other_rg else None, self if self_rg else None)
                t._saved_args = (other_data, self_data)
            else:
                t._inputs = (self if self_rg else None, other if other_rg else None)
                t._saved_args = (self_data, other_data)
        else:
            t._requires_grad = False
            t._op = None
            t._inputs = None
            t._saved_args = None
        return t

    return method


def compare_method(ufunc):
    """A comparison operator: the elementwise ``ufunc`` result, a leaf without grad.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.autograd import tensor
    >>> compare_method(np.less)(tensor([1.0, 3.0]), 2.0)
    tensor([ True, False])
    """

    def method(self, other):
        other_data = other.data if type(other) is Tensor else other
        try:
            other_data = as_constant(other_data)
        except TypeError:
            return NotImplemented
        return make_leaf(ufunc(self.data, other_data))

    return method


def make_leaf(data, requires_grad=False):
    """A leaf tensor around ``data`` (no copy, no checks: ``data`` is already numpy).

    Examples
    --------
    >>> import numpy as np
    >>> make_leaf(np.float64(2.0), True)
    tensor(2., requires_grad=True)
    """
    t = _new(Tensor)
    t.data = data
    t._grad = None
    t._requires_grad = requires_grad
    t._op = None
    t._inputs = None
    t._saved_args = None
    return t


def as_tensor(x, name="x", what="autograd"):
    """``x`` itself if it is a Tensor, else a constant leaf holding it.

    Examples
    --------
    >>> as_tensor([1.0, 2.0])
    tensor([1., 2.])
    """
    if type(x) is Tensor:
        return x
    return make_leaf(scalarize(np.asarray(as_constant(x, name, what))))


def record(op, inputs, attributes=()):
    """Run the registry ``op`` forward and record it when any input requires grad.

    Parameters
    ----------
    op : numeric.autograd.ops.Op
    inputs : sequence
        The ``op.nin`` differentiable inputs (Tensors, numbers or arrays).
    attributes : tuple, default ()
        The op's further, non-differentiable forward arguments.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.ops import OPS
    >>> record(OPS["sum"], (tensor([1.0, 2.0], requires_grad=True),), (None, False))
    tensor(3., grad_fn=<sum>)
    """
    datas = []
    inputs_to_record = []
    any_requires_grad = False
    for x in inputs:
        if type(x) is Tensor:
            datas.append(x.data)
            if x._requires_grad:
                inputs_to_record.append(x)
                any_requires_grad = True
            else:
                inputs_to_record.append(None)
        else:
            datas.append(as_constant(x, "input", op.name))
            inputs_to_record.append(None)
    args = (*datas, *attributes)
    t = _new(Tensor)
    t.data = op.forward(*args)
    t._grad = None
    if any_requires_grad and GRAD_MODE.enabled:
        t._requires_grad = True
        t._op = op
        t._inputs = tuple(inputs_to_record)
        t._saved_args = args
        t._creation_index = _next_creation_index()
    else:
        t._requires_grad = False
        t._op = None
        t._inputs = None
        t._saved_args = None
    return t


_GETITEM = OPS["getitem"]
_INDEX = OPS["index"]


def index(x, idx):
    """``x[idx]`` for an index already in numpy form, recorded.

    Basic and advanced indexing are two registry ops because only advanced indexing
    saves values (its index arrays), as in PyTorch.

    Examples
    --------
    >>> from numeric.autograd import arange
    >>> index(arange(4.0), slice(1, 3))
    tensor([1., 2.])
    """
    return record(_GETITEM if is_basic_index(idx) else _INDEX, (x,), (idx,))


def _check_grad_assignment(x, value):
    if type(value) is not Tensor:
        raise TypeError(
            f"grad: assigned grad must be a Tensor or None, got {type(value).__name__}"
        )
    if value is x:
        raise GradError("grad: a tensor cannot be assigned as its own grad")
    got, want = value.data, x.data
    if got.shape != want.shape:
        raise GradValueError(
            f"grad: assigned grad has shape {got.shape} but the tensor has shape "
            f"{want.shape}"
        )
    if got.dtype != want.dtype:
        raise GradTypeError(
            f"grad: assigned grad has dtype {got.dtype} but the tensor has dtype "
            f"{want.dtype}"
        )


class Tensor(ArrayConversions):
    """An n-dimensional numpy array that can record how it was computed.

    Create tensors with :func:`tensor` (or ``Tensor(data, requires_grad=...)``).
    Operators ``+ - * / ** @``, unary ``-``, comparisons (no gradient), indexing and
    the methods below follow numpy semantics, including broadcasting.

    Attributes
    ----------
    data : numpy.ndarray or numpy scalar
        The values (0-d tensors hold a numpy scalar, as numpy itself returns).
    grad : Tensor or None
        Accumulated gradient of a leaf after ``backward()``.

    Examples
    --------
    >>> from numeric.autograd import Tensor
    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
    """

    # The tape record, written here and read by the engine: _op (None for leaves),
    # _inputs (None where an input needs no gradient), _saved_args (the forward
    # arguments, dropped when a backward frees the graph). Recorded tensors also get
    # _creation_index and, during a backward pass, _pending_grad. A tensor changed by a
    # recorded in-place op gets _shadows: (stamp, its state before) for each change,
    # so ops recorded earlier can be pointed back at the state they used. A tensor
    # given hooks (register_hook, retain_grad) gets _hooks, read by the engine only
    # once HOOKS_USED is set.
    __slots__ = (
        "data",
        "_grad",
        "_requires_grad",
        "_op",
        "_inputs",
        "_saved_args",
        "_creation_index",
        "_pending_grad",
        "_shadows",
        "_hooks",
    )
    # numpy must hand mixed expressions (ndarray * Tensor) to Tensor's reflected
    # operators instead of treating the Tensor as an object array.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad=False, dtype=None):
        t = tensor(data, requires_grad=requires_grad, dtype=dtype)
        self.data = t.data
        self._grad = None
        self._requires_grad = t._requires_grad
        self._op = None
        self._inputs = None
        self._saved_args = None

    @property
    def requires_grad(self):
        """Whether gradients flow to (or through) this tensor.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> x = tensor(1.0, requires_grad=True)
        >>> x.requires_grad, (x * 2).requires_grad, tensor(1.0).requires_grad
        (True, True, False)
        """
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    @property
    def grad(self):
        """The accumulated gradient (a Tensor of this shape and dtype), or None.

        Assignment is checked as in PyTorch: only None or a floating-point Tensor of
        the same shape and dtype, never the tensor itself.

        Examples
        --------
        >>> from numeric.autograd import tensor, zeros
        >>> x = tensor([1.0, 2.0], requires_grad=True)
        >>> x.grad = zeros(2)
        >>> x.grad
        tensor([0., 0.])
        """
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            _check_grad_assignment(self, value)
        self._grad = value

    @property
    def is_leaf(self):
        """True unless the tensor was computed by a recorded operation.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> x = tensor(1.0, requires_grad=True)
        >>> x.is_leaf, (x + 1).is_leaf
        (True, False)
        """
        return self._op is None

    @property
    def grad_fn(self):
        """The recording of the op that produced this tensor (None for leaves).

        It has ``name`` (the registry op) and ``inputs`` (the recorded input tensors,
        None where an input needs no gradient), so a graph can be inspected.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> x = tensor(2.0, requires_grad=True)
        >>> f = (x * x).grad_fn
        >>> f.name, f.inputs[0] is x
        ('mul', True)
        """
        if self._op is None:
            return None
        return types.SimpleNamespace(name=self._op.name, inputs=self._inputs)

    def __repr__(self):
        arr = np.asarray(self.data)
        body = np.array2string(arr, separator=", ", prefix="tensor(")
        extra = ""
        if arr.dtype not in (np.float64, np.int64, np.bool_):
            extra += f", dtype={arr.dtype}"
        if self._op is not None:
            extra += f", grad_fn=<{self._op.name}>"
        elif self._requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def detach(self):
        """A new leaf sharing this tensor's data, cut off from the graph.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> x = tensor(3.0, requires_grad=True)
        >>> u = (x * x).detach()
        >>> u, u.requires_grad
        (tensor(9.), False)
        """
        return make_leaf(self.data)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` on a leaf in place and return the tensor.

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(3.0).requires_grad_()
        tensor([0., 1., 2.], requires_grad=True)
        """
        flag = bool(requires_grad)
        if self._op is not None:
            if not flag:
                raise GradError(
                    "requires_grad_: only leaf tensors can change requires_grad; "
                    "use detach() to get a tensor without gradient history"
                )
            return self
        if flag and self.data.dtype.kind != "f":
            raise TypeError(
                f"requires_grad_: only floating-point tensors can require "
                f"gradients, this one has dtype {self.data.dtype}"
            )
        self._requires_grad = flag
        return self

    # ------------------------------------------------------------- in place
    def zero_(self):
        """Fill with zeros (typically ``x.grad.zero_()`` between backward passes).

        The tensor gets a fresh zero array: other arrays that shared the old data
        are left alone.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 2.0]).zero_()
        tensor([0., 0.])
        """
        self._check_inplace("zero_")
        self.data = scalarize(np.zeros_like(self.data))
        return self

    def _check_inplace(self, what):
        if GRAD_MODE.enabled and (self._requires_grad or self._op is not None):
            raise GradError(
                f"{what}: a tensor that requires grad cannot be modified in place "
                f"while gradients are recorded; wrap the update in no_grad()"
            )

    # += -= *= /= and add_ ... are bound by tensor_methods from inplace.py.

    # ------------------------------------------------------------- operators
    # Arithmetic operators are specialised closures over registry ops: the hot
    # path of the scalar benchmark.
    __neg__ = unary_function(OPS["neg"])
    __add__ = binary_method(OPS["add"])
    __radd__ = binary_method(OPS["add"], reflected=True)
    __sub__ = binary_method(OPS["sub"])
    __rsub__ = binary_method(OPS["sub"], reflected=True)
    __mul__ = binary_method(OPS["mul"])
    __rmul__ = binary_method(OPS["mul"], reflected=True)
    __truediv__ = binary_method(OPS["div"])
    __rtruediv__ = binary_method(OPS["div"], reflected=True)
    __pow__ = binary_method(OPS["pow"])
    __rpow__ = binary_method(OPS["pow"], reflected=True)
    __lt__ = compare_method(np.less)
    __le__ = compare_method(np.less_equal)
    __gt__ = compare_method(np.greater)
    __ge__ = compare_method(np.greater_equal)
    __eq__ = compare_method(np.equal)
    __ne__ = compare_method(np.not_equal)
    __hash__ = object.__hash__  # __eq__ is elementwise, identity stays the hash

    def __getitem__(self, idx):
        if type(idx) is tuple:
            idx = tuple(i.data if type(i) is Tensor else i for i in idx)
        elif type(idx) is Tensor:
            idx = idx.data
        elif isinstance(idx, list):
            idx = np.asarray(idx)
        return record(_GETITEM if is_basic_index(idx) else _INDEX, (self,), (idx,))

    def __pos__(self):
        return self


def tensor(data, requires_grad=False, dtype=None):
    """Create a leaf :class:`Tensor` holding a copy of ``data``.

    Parameters
    ----------
    data : array_like or Tensor
        Numbers or (nested) sequences or a numpy array; always copied.
    requires_grad : bool, default False
        Record operations on this tensor so ``backward()`` fills its ``.grad``.
        Needs a floating-point dtype.
    dtype : numpy dtype, optional
        Convert to this dtype (default: numpy's choice, float64 for floats).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> tensor([1, 2])
    tensor([1, 2])
    >>> tensor(2.0, requires_grad=True)
    tensor(2., requires_grad=True)
    """
    if type(data) is Tensor:
        data = data.data
    try:
        arr = np.array(data, dtype=dtype, copy=True)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"tensor: cannot convert data of type {type(data).__name__} to a "
            f"numeric array ({e})"
        ) from None
    check_numeric_dtype(arr, "data", "tensor")
    if requires_grad and arr.dtype.kind != "f":
        raise TypeError(
            f"tensor: requires_grad=True needs a floating-point dtype, got "
            f"{arr.dtype}; pass floats (e.g. 4.0) or dtype=float"
        )
    return make_leaf(scalarize(arr), bool(requires_grad))
