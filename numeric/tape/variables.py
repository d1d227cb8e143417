"""TensorFlow-style values: :func:`constant`, :class:`Variable`, :func:`stop_gradient`.

Tensors are :class:`numeric.autograd.Tensor` objects, so everything computed here runs
on the one op registry and the one backward engine of :mod:`numeric.autograd`.
TensorFlow's defaults differ from PyTorch's and are followed here: Python floats
become float32 and Python ints int32.

A :class:`Variable` holds two leaf tensors over the same values: one that requires
grad and one that does not. Reading a variable (any operation on it) uses the first
only while a recording :class:`~numeric.tape.GradientTape` watches it, so nothing is
recorded outside tapes, as in TensorFlow.
"""

from __future__ import annotations

import numpy as np

from numeric.autograd import Tensor
from numeric.autograd.conversions import check_numeric_dtype, scalarize
from numeric.autograd.tensor import make_leaf, next_creation_index
from numeric.autograd.versions import mark_modified

__all__ = [
    "ACTIVE_TAPES",
    "Variable",
    "constant",
    "convert_to_tensor",
    "stop_gradient",
]

#: The tapes whose ``with`` block is running, innermost last.
ACTIVE_TAPES: list = []


def tf_array(value, dtype, what):
    """``value`` as a fresh numpy array with TensorFlow's default dtypes.

    Examples
    --------
    >>> tf_array(1.5, None, "constant").dtype
    dtype('float32')
    """
    if isinstance(value, Variable):
        value = value.read_value()
    if type(value) is Tensor:
        value = value.data
    native = not isinstance(value, (np.ndarray, np.generic))
    try:
        arr = np.array(value, dtype=dtype, copy=True)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"{what}: cannot convert a {type(value).__name__} to a numeric tensor ({e})"
        ) from None
    check_numeric_dtype(arr, "value", what)
    if dtype is None and native:
        if arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        elif arr.dtype == np.int64:
            arr = arr.astype(np.int32)
    return arr


def constant(value, dtype=None):
    """A tensor holding a copy of ``value`` (``tf.constant``): never watched by default.

    Parameters
    ----------
    value : array_like, Tensor or Variable
    dtype : numpy dtype, optional
        Default: float32 for Python floats, int32 for Python ints, else numpy's.

    Returns
    -------
    numeric.autograd.Tensor

    Examples
    --------
    >>> from numeric.tape import constant
    >>> constant([1.0, 2.0])
    tensor([1., 2.], dtype=float32)
    >>> constant(3).dtype
    dtype('int32')
    """
    return make_leaf(scalarize(tf_array(value, dtype, "constant")))


def convert_to_tensor(value, dtype=None):
    """``value`` as a Tensor: itself, a Variable's current read, or a constant.

    Examples
    --------
    >>> from numeric.tape import Variable, convert_to_tensor
    >>> convert_to_tensor(Variable(2.0))
    tensor(2., dtype=float32)
    """
    if type(value) is Tensor and dtype is None:
        return value
    if isinstance(value, Variable) and dtype is None:
        return value.read_value()
    return constant(value, dtype)


def stop_gradient(x):
    """``x`` as a constant: no gradient flows back through it (``tf.stop_gradient``).

    Examples
    --------
    >>> from numeric.tape import GradientTape, Variable, stop_gradient
    >>> x = Variable(3.0)
    >>> with GradientTape() as t:
    ...     y = x * stop_gradient(x * x)
    >>> t.gradient(y, x)
    tensor(9., dtype=float32)
    """
    return convert_to_tensor(x).detach()


class Variable:
    """A mutable tensor that tapes watch automatically (``tf.Variable``).

    Parameters
    ----------
    initial_value : array_like, Tensor or Variable
    trainable : bool, default True
        Whether tapes watch it automatically when it is read.
    dtype : numpy dtype, optional
        Default as for :func:`constant` (float32 for Python floats).
    name : str, optional

    Examples
    --------
    >>> from numeric.tape import Variable
    >>> v = Variable([1.0, 2.0])
    >>> v.assign_add([1.0, 1.0])
    <Variable shape=(2,) dtype=float32 numpy=[2. 3.]>
    >>> (v * 2).numpy()
    array([4., 6.], dtype=float32)
    """

    __slots__ = ("_plain", "_tracked", "trainable", "name")
    # numpy must hand ndarray * Variable to Variable's reflected operators.
    __array_ufunc__ = None

    def __init__(self, initial_value, trainable=True, dtype=None, name=None):
        arr = tf_array(initial_value, dtype, "Variable")
        self.trainable = bool(trainable)
        self.name = "Variable" if name is None else str(name)
        data = scalarize(arr)
        self._plain = make_leaf(data)
        # Integer variables can be read but are never differentiated (as TensorFlow).
        self._tracked = make_leaf(data, arr.dtype.kind == "f")

    # ------------------------------------------------------------- reading
    def read_value(self):
        """The current value as a Tensor, recorded if an active tape watches it.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable(1.5).read_value()
        tensor(1.5, dtype=float32)
        """
        # Every recording tape gets to watch the read (nested tapes all need it).
        watched = [tape._reads_variable(self) for tape in ACTIVE_TAPES]
        return self._tracked if any(watched) else self._plain

    def value(self):
        """Alias of :meth:`read_value`.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable(2.0).value()
        tensor(2., dtype=float32)
        """
        return self.read_value()

    @property
    def shape(self):
        """The shape (a tuple).

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable([1.0, 2.0]).shape
        (2,)
        """
        return self._plain.data.shape

    @property
    def dtype(self):
        """The numpy dtype.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable(1.0).dtype
        dtype('float32')
        """
        return self._plain.data.dtype

    @property
    def ndim(self):
        """The number of dimensions.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable([[1.0]]).ndim
        2
        """
        return self._plain.data.ndim

    def numpy(self):
        """A copy of the values as a numpy array.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable([1, 2]).numpy()
        array([1, 2], dtype=int32)
        """
        return np.array(self._plain.data)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._plain.data, dtype=dtype)

    def __repr__(self):
        return (
            f"<Variable shape={self.shape} dtype={self.dtype} "
            f"numpy={np.asarray(self._plain.data)}>"
        )

    def __len__(self):
        return len(self._plain)

    def __bool__(self):
        return bool(self._plain)

    def __float__(self):
        return float(self._plain)

    # ------------------------------------------------------------- writing
    def assign(self, value):
        """Overwrite the values (not recorded by tapes, as in TensorFlow).

        Ops recorded earlier that saved the old values refuse to run backward.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable([1.0, 2.0]).assign([5.0, 6.0]).numpy()
        array([5., 6.], dtype=float32)
        """
        new = tf_array(value, self.dtype, "assign")
        if new.shape != self.shape:
            raise ValueError(
                f"assign: value has shape {new.shape} but the variable has shape "
                f"{self.shape}"
            )
        data = self._plain.data
        if type(data) is np.ndarray:
            mark_modified(data, next_creation_index())
            np.copyto(data, new)
        else:
            self._plain.data = self._tracked.data = scalarize(new)
        return self

    def assign_add(self, delta):
        """Add ``delta`` in place; see :meth:`assign`.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable(1.0).assign_add(2.0).numpy()
        array(3., dtype=float32)
        """
        return self.assign(self._plain.data + tf_array(delta, self.dtype, "assign_add"))

    def assign_sub(self, delta):
        """Subtract ``delta`` in place; see :meth:`assign`.

        Examples
        --------
        >>> from numeric.tape import Variable
        >>> Variable(1.0).assign_sub(2.0).numpy()
        array(-1., dtype=float32)
        """
        return self.assign(self._plain.data - tf_array(delta, self.dtype, "assign_sub"))

    # ------------------------------------------------------------- operators
    def __getitem__(self, idx):
        return self.read_value()[idx]

    def __neg__(self):
        return -self.read_value()

    def __pos__(self):
        return self.read_value()

    def __abs__(self):
        return abs(self.read_value())


def _forward(name):
    def method(self, other):
        if isinstance(other, Variable):
            other = other.read_value()
        return getattr(self.read_value(), name)(other)

    method.__name__ = method.__qualname__ = name
    return method


for _name in (
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ "
    "__pow__ __rpow__ __matmul__ __rmatmul__ __lt__ __le__ __gt__ __ge__"
).split():
    setattr(Variable, _name, _forward(_name))
del _name
