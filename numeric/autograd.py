"""Eager reverse-mode automatic differentiation on numpy arrays, PyTorch-style.

Operations on :class:`Tensor` objects run immediately on numpy arrays; when an input
has ``requires_grad=True`` the result also remembers how it was made (the *tape*).
``y.backward()`` then walks that record backwards and accumulates ``dy/dx`` into the
``.grad`` of every leaf ``x`` that asked for it. Because the record is made while the
program runs, gradients flow through ordinary Python ``if``/``while`` code, which a
symbolic expression graph cannot follow.

The calculus of every op lives in one registry, :mod:`numeric.autograd_ops` (forward
and vector-Jacobian product side by side); this module holds the Tensor, the engine
and the public API. The engine is iterative (a 100,000-op chain is fine), sums every
gradient back to its input's shape in one place, and follows PyTorch's rules for
accumulation, ``retain_graph`` and freed graphs.

Examples
--------
>>> from numeric.autograd import arange, dot
>>> x = arange(4.0, requires_grad=True)
>>> y = 2 * dot(x, x)
>>> y
tensor(28., grad_fn=<mul>)
>>> y.backward()
>>> x.grad
tensor([ 0.,  4.,  8., 12.])
"""

from __future__ import annotations

import contextlib
import itertools
import math
import operator
import types

import numpy as np

from numeric.autograd_ops import ARRAY_FNS, OPS, is_basic_index

__all__ = [
    "GradError",
    "Tensor",
    "abs",
    "acos",
    "add",
    "apply",
    "arange",
    "asin",
    "atan",
    "broadcast_to",
    "cos",
    "cosh",
    "div",
    "dot",
    "enable_grad",
    "erf",
    "exp",
    "expm1",
    "grad",
    "heaviside",
    "hessian",
    "is_grad_enabled",
    "log",
    "log1p",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mul",
    "neg",
    "no_grad",
    "norm",
    "ones",
    "ones_like",
    "pow",
    "relu",
    "reshape",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "softplus",
    "sqrt",
    "sub",
    "sum",
    "tan",
    "tanh",
    "tensor",
    "transpose",
    "value_and_grad",
    "where",
    "zero_grad",
    "zeros",
    "zeros_like",
]

# Process-wide (not per-thread) so the hot path reads one global; see docs/autograd.md.
_GRAD_ENABLED = True
# How many grad/value_and_grad/hessian calls are running: an inner one must return a
# differentiable gradient so the outer one can differentiate it again.
_TRANSFORM_DEPTH = 0

_new = object.__new__
# Creation numbers of recorded tensors: inputs are always created before their
# results, so sorting by this number is a topological order (see _toposort).
_next_seq = itertools.count().__next__


class GradError(RuntimeError):
    """An autograd request that cannot be carried out in the graph's current state.

    Raised for a backward through a freed graph and for ``backward()`` on a tensor
    with no gradient history. Subclasses :class:`RuntimeError`, as PyTorch does.

    Examples
    --------
    >>> from numeric.autograd import GradError, tensor
    >>> try:
    ...     tensor(1.0).backward()
    ... except GradError as e:
    ...     print("GradError")
    GradError
    """


class _GradValueError(GradError, ValueError):
    """A bad argument to backward: both a GradError (as PyTorch) and a ValueError."""


# ------------------------------------------------------------------- grad mode


class no_grad(contextlib.ContextDecorator):
    """Context manager (or decorator) that stops recording operations.

    Inside it, results never require grad, so no graph is built: use it for parameter
    updates and evaluation. The switch is process-wide, not per thread.

    Examples
    --------
    >>> from numeric.autograd import no_grad, tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> with no_grad():
    ...     y = x * 3
    >>> y.requires_grad
    False
    """

    def __enter__(self):
        global _GRAD_ENABLED
        self._prev = _GRAD_ENABLED
        _GRAD_ENABLED = False
        return self

    def __exit__(self, *exc):
        global _GRAD_ENABLED
        _GRAD_ENABLED = self._prev
        return False


class enable_grad(contextlib.ContextDecorator):
    """Context manager (or decorator) that turns recording back on, e.g. in no_grad.

    Examples
    --------
    >>> from numeric.autograd import enable_grad, no_grad, tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = x * 3
    >>> y.requires_grad
    True
    """

    def __enter__(self):
        global _GRAD_ENABLED
        self._prev = _GRAD_ENABLED
        _GRAD_ENABLED = True
        return self

    def __exit__(self, *exc):
        global _GRAD_ENABLED
        _GRAD_ENABLED = self._prev
        return False


def is_grad_enabled():
    """Whether operations are currently recorded for differentiation.

    Returns
    -------
    bool

    Examples
    --------
    >>> from numeric.autograd import is_grad_enabled, no_grad
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return _GRAD_ENABLED


# ------------------------------------------------------------------ conversions


def _scalarize(a):
    """numpy's own convention: 0-d results are numpy scalars (10x faster to use)."""
    return a[()] if type(a) is np.ndarray and a.ndim == 0 else a


def _check_kind(arr, name, what):
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{what}: {name} must be numeric (bool, int or real float), "
            f"got dtype {arr.dtype}"
        )


def _operand(v, name="operand", what="autograd"):
    """A non-Tensor operand as a numpy-compatible constant, or TypeError."""
    t = type(v)
    if t is float or t is int or t is bool:
        return v
    if t is np.ndarray or isinstance(v, np.generic):
        _check_kind(v, name, what)
        return v
    if isinstance(v, (list, tuple)):
        arr = np.asarray(v)
        _check_kind(arr, name, what)
        return _scalarize(arr)
    if isinstance(v, (int, float)):
        return v
    raise TypeError(
        f"{what}: {name} must be a Tensor, number or numpy array, got "
        f"{type(v).__name__}"
    )


def _leaf(data, requires_grad=False):
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t._rg = requires_grad
    t._op = None
    t._parents = None
    t._args = None
    return t


def _as_tensor(x, name="x", what="autograd"):
    if type(x) is Tensor:
        return x
    return _leaf(_scalarize(np.asarray(_operand(x, name, what))))


def _apply(op, inputs, attrs=()):
    """Run ``op`` forward and record it when any input requires grad."""
    datas = []
    parents = []
    record = False
    for x in inputs:
        if type(x) is Tensor:
            datas.append(x.data)
            if x._rg:
                parents.append(x)
                record = True
            else:
                parents.append(None)
        else:
            datas.append(_operand(x, "input", op.name))
            parents.append(None)
    args = (*datas, *attrs)
    t = _new(Tensor)
    t.data = op.forward(*args)
    t.grad = None
    if record and _GRAD_ENABLED:
        t._rg = True
        t._op = op
        t._parents = tuple(parents)
        t._args = args
        t._seq = _next_seq()
    else:
        t._rg = False
        t._op = None
        t._parents = None
        t._args = None
    return t


def apply(name, *args):
    """Apply the registry op ``name`` to raw arguments (inputs, then attributes).

    This is the generic entry point an interpreter can use to evaluate an op by
    name; attributes (axis, shape, index) are passed exactly as the registry
    expects them, without the argument checking of the named functions.

    Parameters
    ----------
    name : str
        A key of :data:`numeric.autograd_ops.OPS`.
    *args
        The op's differentiable inputs (Tensors or numbers/arrays), then attributes.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> from numeric.autograd import apply, tensor
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> apply("sum", apply("mul", x, x), None, False)
    tensor(5., grad_fn=<sum>)
    """
    op = OPS.get(name)
    if op is None:
        raise ValueError(
            f"apply: unknown op name {name!r}; known ops: {', '.join(sorted(OPS))}"
        )
    if len(args) < op.nin:
        raise TypeError(
            f"apply: op {name!r} takes {op.nin} input(s), got {len(args)} argument(s)"
        )
    return _apply(op, args[: op.nin], args[op.nin :])


# ----------------------------------------------------------------- op factories


def _unary(op):
    fwd = op.forward

    def fn(x):
        if type(x) is not Tensor:
            x = _as_tensor(x, "x", op.name)
        d = x.data
        t = _new(Tensor)
        t.data = fwd(d)
        t.grad = None
        if x._rg and _GRAD_ENABLED:
            t._rg = True
            t._op = op
            t._parents = (x,)
            t._args = (d,)
            t._seq = _next_seq()
        else:
            t._rg = False
            t._op = None
            t._parents = None
            t._args = None
        return t

    fn.__name__ = fn.__qualname__ = op.name
    return fn


def _binary(op, reflected=False):
    """The body shared by ``op(a, b)`` and the dunder methods (hot path, inlined)."""
    fwd = op.forward

    def method(self, other):
        tb = type(other) is Tensor
        if tb:
            od = other.data
            rb = other._rg
        else:
            t_ = type(other)
            if t_ is float or t_ is int:
                od = other
            else:
                try:
                    od = _operand(other)
                except TypeError:
                    return NotImplemented
            rb = False
        sd = self.data
        ra = self._rg
        t = _new(Tensor)
        t.data = fwd(od, sd) if reflected else fwd(sd, od)
        t.grad = None
        if (ra or rb) and _GRAD_ENABLED:
            t._rg = True
            t._op = op
            t._seq = _next_seq()
            if reflected:
                t._parents = (other if rb else None, self if ra else None)
                t._args = (od, sd)
            else:
                t._parents = (self if ra else None, other if rb else None)
                t._args = (sd, od)
        else:
            t._rg = False
            t._op = None
            t._parents = None
            t._args = None
        return t

    return method


def _binary_fn(op):
    forward_method = _binary(op)
    reflected_method = _binary(op, reflected=True)

    def fn(a, b):
        if type(a) is not Tensor:
            if type(b) is Tensor:
                out = reflected_method(b, a)
                if out is NotImplemented:
                    _operand(a, "a", op.name)  # raises the descriptive TypeError
                return out
            a = _as_tensor(a, "a", op.name)
        out = forward_method(a, b)
        if out is NotImplemented:
            _operand(b, "b", op.name)  # raises the descriptive TypeError
        return out

    fn.__name__ = fn.__qualname__ = op.name
    return fn


def _compare(ufunc):
    def method(self, other):
        od = other.data if type(other) is Tensor else other
        try:
            od = _operand(od)
        except TypeError:
            return NotImplemented
        return _leaf(ufunc(self.data, od))

    return method


def _resolve_axis(axis, ndim, what):
    """Validate ``axis`` for a tensor of ``ndim`` dims: None, an int, or a tuple."""
    if axis is None:
        return None
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in items:
        if not isinstance(a, (int, np.integer)) or isinstance(a, (bool, np.bool_)):
            raise TypeError(f"{what}: axis must be None, an int or a tuple of ints, "
                            f"got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(
                f"{what}: axis {a} is out of range for a tensor with {ndim} dims"
            )
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{what}: axis {axis!r} repeats an axis")
    return tuple(out) if isinstance(axis, (tuple, list)) else out[0]


def _reduction(op):
    def fn(x, axis=None, keepdims=False):
        x = _as_tensor(x, "x", op.name)
        ax = _resolve_axis(axis, x.data.ndim, op.name)
        if op.name in ("max", "min") and x.data.size == 0:
            raise ValueError(f"{op.name}: x is empty (shape {x.shape}); "
                             f"the {op.name} of no elements is undefined")
        return _apply(op, (x,), (ax, bool(keepdims)))

    fn.__name__ = fn.__qualname__ = op.name
    return fn


_UNARY_DOC = """Elementwise {summary}, differentiable.

Parameters
----------
x : Tensor or array_like
    Input; numbers and arrays are treated as constants.

Returns
-------
Tensor
    ``{formula}`` elementwise. Gradient rule: ``{rule}``.

Examples
--------
>>> import numpy as np
>>> from numeric.autograd import tensor, {name}
>>> x = tensor({sample}, requires_grad=True)
>>> {name}(x).sum().backward()
>>> bool(np.allclose(x.grad.numpy(), {check}))
True
"""

_UNARY_INFO = {
    # name: (summary, formula, rule, sample, derivative written with numpy)
    "neg": ("negation", "-x", "-g", "[1.0, -2.0]", "-1.0"),
    "sin": ("sine", "sin(x)", "g cos(x)", "[0.0, 1.0]", "np.cos(x.numpy())"),
    "cos": ("cosine", "cos(x)", "-g sin(x)", "[0.0, 1.0]", "-np.sin(x.numpy())"),
    "tan": ("tangent", "tan(x)", "g (1 + y^2)", "[0.0, 1.0]",
            "1 / np.cos(x.numpy()) ** 2"),
    "asin": ("arcsine", "asin(x)", "g / sqrt(1 - x^2)", "[0.0, 0.5]",
             "1 / np.sqrt(1 - x.numpy() ** 2)"),
    "acos": ("arccosine", "acos(x)", "-g / sqrt(1 - x^2)", "[0.0, 0.5]",
             "-1 / np.sqrt(1 - x.numpy() ** 2)"),
    "atan": ("arctangent", "atan(x)", "g / (1 + x^2)", "[0.0, 2.0]",
             "1 / (1 + x.numpy() ** 2)"),
    "sinh": ("hyperbolic sine", "sinh(x)", "g cosh(x)", "[0.0, 1.0]",
             "np.cosh(x.numpy())"),
    "cosh": ("hyperbolic cosine", "cosh(x)", "g sinh(x)", "[0.0, 1.0]",
             "np.sinh(x.numpy())"),
    "tanh": ("hyperbolic tangent", "tanh(x)", "g (1 - y^2)", "[0.0, 1.0]",
             "1 - np.tanh(x.numpy()) ** 2"),
    "exp": ("exponential", "exp(x)", "g y", "[0.0, 1.0]", "np.exp(x.numpy())"),
    "log": ("natural logarithm", "log(x)", "g / x", "[1.0, 4.0]",
            "1 / x.numpy()"),
    "log1p": ("log(1 + x), accurate for small x", "log(1 + x)", "g / (1 + x)",
              "[0.0, 3.0]", "1 / (1 + x.numpy())"),
    "expm1": ("exp(x) - 1, accurate for small x", "exp(x) - 1", "g (y + 1)",
              "[0.0, 1.0]", "np.exp(x.numpy())"),
    "sqrt": ("square root", "sqrt(x)", "g / (2 y)", "[1.0, 4.0]",
             "0.5 / np.sqrt(x.numpy())"),
    "abs": ("absolute value", "|x|", "g sign(x) (0 at x = 0, as PyTorch)",
            "[-2.0, 3.0]", "np.sign(x.numpy())"),
    "sign": ("sign (-1, 0 or 1)", "sign(x)", "0", "[-2.0, 3.0]", "0.0"),
    "heaviside": ("unit step (0 for x <= 0, 1 for x > 0)", "heaviside(x)", "0",
                  "[-2.0, 3.0]", "0.0"),
    "sigmoid": ("logistic sigmoid", "1 / (1 + exp(-x))", "g y (1 - y)",
                "[0.0, 2.0]",
                "np.exp(-x.numpy()) / (1 + np.exp(-x.numpy())) ** 2"),
    "relu": ("rectified linear unit", "max(x, 0)", "g [x > 0] (0 at x = 0)",
             "[-1.0, 2.0]", "[0.0, 1.0]"),
    "softplus": ("softplus", "log(1 + exp(x))", "g sigmoid(x)", "[0.0, 2.0]",
                 "1 / (1 + np.exp(-x.numpy()))"),
    "erf": ("error function", "erf(x)", "g 2/sqrt(pi) exp(-x^2)", "[0.0, 1.0]",
            "2 / np.sqrt(np.pi) * np.exp(-x.numpy() ** 2)"),
}

_BINARY_DOC = """Elementwise {summary} with numpy broadcasting, differentiable.

Parameters
----------
a, b : Tensor or array_like
    Operands; numbers and arrays are treated as constants.

Returns
-------
Tensor
    ``{formula}``. Gradient rules: ``{rule}`` (summed back to each input's shape).

Examples
--------
>>> from numeric.autograd import tensor, {name}
>>> a = tensor({sa}, requires_grad=True)
>>> b = tensor({sb}, requires_grad=True)
>>> {name}(a, b).sum().backward()
>>> a.grad, b.grad
({ga}, {gb})
"""

_BINARY_INFO = {
    "add": ("sum", "a + b", "g, g", "[1.0, 2.0]", "3.0",
            "tensor([1., 1.])", "tensor(2.)"),
    "sub": ("difference", "a - b", "g, -g", "[1.0, 2.0]", "3.0",
            "tensor([1., 1.])", "tensor(-2.)"),
    "mul": ("product", "a * b", "g b, g a", "[1.0, 2.0]", "3.0",
            "tensor([3., 3.])", "tensor(3.)"),
    "div": ("quotient", "a / b", "g / b, -g a / b^2", "[1.0, 2.0]", "4.0",
            "tensor([0.25, 0.25])", "tensor(-0.1875)"),
    "pow": ("power", "a ** b", "g b a^(b-1), g a^b log(a)", "[1.0, 2.0]", "2.0",
            "tensor([2., 4.])", "tensor(2.77258872)"),
    "maximum": ("maximum", "max(a, b)", "g [a > b], g [b > a] (ties split g/2)",
                "[1.0, 2.0, 3.0]", "2.0", "tensor([0. , 0.5, 1. ])",
                "tensor(1.5)"),
    "minimum": ("minimum", "min(a, b)", "g [a < b], g [b < a] (ties split g/2)",
                "[1.0, 2.0, 3.0]", "2.0", "tensor([1. , 0.5, 0. ])",
                "tensor(1.5)"),
}


# --------------------------------------------------------------------- Tensor


class Tensor:
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

    # Set on recorded tensors only: _seq (creation number) and _g (the gradient
    # being gathered during a backward pass).
    __slots__ = ("data", "grad", "_rg", "_op", "_parents", "_args", "_seq", "_g")
    # numpy must hand mixed expressions (ndarray * Tensor) to Tensor's reflected
    # operators instead of treating the Tensor as an object array.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad=False, dtype=None):
        t = tensor(data, requires_grad=requires_grad, dtype=dtype)
        self.data = t.data
        self.grad = None
        self._rg = t._rg
        self._op = None
        self._parents = None
        self._args = None

    # ---------------------------------------------------------------- properties
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
        return self._rg

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

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
        return types.SimpleNamespace(name=self._op.name, inputs=self._parents)

    @property
    def T(self):
        """The tensor with its axes reversed (numpy's ``.T``).

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(6.0).reshape(3, 2).T.shape
        (2, 3)
        """
        return transpose(self)

    # ----------------------------------------------------------- conversions
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

    def __repr__(self):
        arr = np.asarray(self.data)
        body = np.array2string(arr, separator=", ", prefix="tensor(")
        extra = ""
        if arr.dtype not in (np.float64, np.int64, np.bool_):
            extra += f", dtype={arr.dtype}"
        if self._op is not None:
            extra += f", grad_fn=<{self._op.name}>"
        elif self._rg:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    # ------------------------------------------------------------- autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Accumulate the gradient of this tensor into the ``.grad`` of its leaves.

        Parameters
        ----------
        gradient : Tensor or array_like, optional
            ``dL/dself`` to propagate; required unless this tensor has one element
            (then it defaults to 1), as in PyTorch. Must have this tensor's shape.
        retain_graph : bool, optional
            Keep the saved values so backward can run through this graph again.
            Defaults to ``create_graph``.
        create_graph : bool, default False
            Record the backward pass itself, so the accumulated gradients are
            differentiable (for second derivatives).

        Raises
        ------
        GradError
            If the tensor has no gradient history, or the graph was freed by an
            earlier backward without ``retain_graph=True``.
        ValueError
            If ``gradient`` is missing for a non-scalar tensor or has the wrong
            shape (the error is also a GradError).

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> x = tensor(2.0, requires_grad=True)
        >>> z = (x ** 2) ** 2
        >>> z.backward(retain_graph=True)
        >>> z.backward()
        >>> x.grad
        tensor(64.)
        """
        if retain_graph is None:
            retain_graph = create_graph
        seed = _seed(self, gradient, create_graph)
        _run_backward(self, seed, bool(retain_graph), bool(create_graph))

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
        return _leaf(self.data)

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
        self._rg = flag
        return self

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
        self.data = _scalarize(np.zeros_like(self.data))
        return self

    def _check_inplace(self, what):
        if _GRAD_ENABLED and (self._rg or self._op is not None):
            raise GradError(
                f"{what}: a tensor that requires grad cannot be modified in place "
                f"while gradients are recorded; wrap the update in no_grad()"
            )

    def _inplace(self, other, ufunc, what):
        self._check_inplace(what)
        od = other.data if type(other) is Tensor else _operand(other, "other", what)
        if type(self.data) is np.ndarray and self.data.ndim > 0:
            ufunc(self.data, od, out=self.data, casting="same_kind")
        else:
            self.data = _scalarize(np.asarray(ufunc(self.data, od)).astype(
                self.data.dtype, copy=False))
        return self

    def __iadd__(self, other):
        return self._inplace(other, np.add, "+=")

    def __isub__(self, other):
        return self._inplace(other, np.subtract, "-=")

    def __imul__(self, other):
        return self._inplace(other, np.multiply, "*=")

    def __itruediv__(self, other):
        return self._inplace(other, np.divide, "/=")

    # ------------------------------------------------------------- operators
    # Arithmetic operators are specialised closures over registry ops: the hot
    # path of the scalar benchmark.
    __neg__ = _unary(OPS["neg"])
    __add__ = _binary(OPS["add"])
    __radd__ = _binary(OPS["add"], reflected=True)
    __sub__ = _binary(OPS["sub"])
    __rsub__ = _binary(OPS["sub"], reflected=True)
    __mul__ = _binary(OPS["mul"])
    __rmul__ = _binary(OPS["mul"], reflected=True)
    __truediv__ = _binary(OPS["div"])
    __rtruediv__ = _binary(OPS["div"], reflected=True)
    __pow__ = _binary(OPS["pow"])
    __rpow__ = _binary(OPS["pow"], reflected=True)
    __lt__ = _compare(np.less)
    __le__ = _compare(np.less_equal)
    __gt__ = _compare(np.greater)
    __ge__ = _compare(np.greater_equal)
    __eq__ = _compare(np.equal)
    __ne__ = _compare(np.not_equal)
    __hash__ = object.__hash__  # __eq__ is elementwise, identity stays the hash

    def __getitem__(self, idx):
        if type(idx) is tuple:
            idx = tuple(i.data if type(i) is Tensor else i for i in idx)
        elif type(idx) is Tensor:
            idx = idx.data
        elif isinstance(idx, list):
            idx = np.asarray(idx)
        op = _GETITEM if is_basic_index(idx) else _INDEX
        return _apply(op, (self,), (idx,))

    def __matmul__(self, other):
        return matmul(self, other)

    def __rmatmul__(self, other):
        return matmul(other, self)

    def __pos__(self):
        return self

    def __abs__(self):
        return abs(self)

    # ----------------------------------------------------------- methods
    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (all axes by default); see :func:`sum`.

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(6.0).reshape(2, 3).sum(axis=0)
        tensor([3., 5., 7.])
        """
        return sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis``; see :func:`mean`.

        Examples
        --------
        >>> from numeric.autograd import arange
        >>> arange(4.0).mean()
        tensor(1.5)
        """
        return mean(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        """Maximum over ``axis`` (ties share the gradient); see :func:`max`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 3.0, 2.0]).max()
        tensor(3.)
        """
        return max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        """Minimum over ``axis`` (ties share the gradient); see :func:`min`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 3.0, 2.0]).min()
        tensor(1.)
        """
        return min(self, axis, keepdims)

    def norm(self, p=2, axis=None, keepdims=False):
        """Vector p-norm of all elements (or along ``axis``); see :func:`norm`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([3.0, -4.0]).norm()
        tensor(5.)
        """
        return norm(self, p, axis, keepdims)

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
        return reshape(self, shape)

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
        return transpose(self, axes or None)

    def dot(self, other):
        """Inner product of two 1-d tensors; see :func:`dot`.

        Examples
        --------
        >>> from numeric.autograd import tensor
        >>> tensor([1.0, 2.0]).dot(tensor([3.0, 4.0]))
        tensor(11.)
        """
        return dot(self, other)

    def matmul(self, other):
        """Matrix product (``@``); see :func:`matmul`.

        Examples
        --------
        >>> from numeric.autograd import ones
        >>> ones(2, 3).matmul(ones(3)).shape
        (2,)
        """
        return matmul(self, other)



_GETITEM = OPS["getitem"]
_INDEX = OPS["index"]


# ------------------------------------------------------------------ creation


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
    _check_kind(arr, "data", "tensor")
    if requires_grad and arr.dtype.kind != "f":
        raise TypeError(
            f"tensor: requires_grad=True needs a floating-point dtype, got "
            f"{arr.dtype}; pass floats (e.g. 4.0) or dtype=float"
        )
    return _leaf(_scalarize(arr), bool(requires_grad))


def _shape_args(shape, what):
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
    shape = _shape_args(shape, "zeros")
    return tensor(np.zeros(shape, dtype=dtype), requires_grad, None)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones; ``ones(2, 3)`` or ``ones((2, 3))``.

    Examples
    --------
    >>> from numeric.autograd import ones
    >>> ones(2)
    tensor([1., 1.])
    """
    shape = _shape_args(shape, "ones")
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
    arr = np.arange(start, stop, step, dtype=dtype) if stop is not None else (
        np.arange(start, dtype=dtype)
    )
    return tensor(arr, requires_grad)


# ------------------------------------------------------- public op functions

def _public_unary(name):
    summary, formula, rule, sample, check = _UNARY_INFO[name]
    fn = _unary(OPS[name])
    fn.__doc__ = _UNARY_DOC.format(
        summary=summary, formula=formula, rule=rule, name=name, sample=sample,
        check=check,
    )
    fn.__module__ = __name__
    return fn


def _public_binary(name):
    summary, formula, rule, sa, sb, ga, gb = _BINARY_INFO[name]
    fn = _binary_fn(OPS[name])
    fn.__doc__ = _BINARY_DOC.format(
        summary=summary, formula=formula, rule=rule, name=name, sa=sa, sb=sb,
        ga=ga, gb=gb,
    )
    fn.__module__ = __name__
    return fn


neg = _public_unary("neg")
sin = _public_unary("sin")
cos = _public_unary("cos")
tan = _public_unary("tan")
asin = _public_unary("asin")
acos = _public_unary("acos")
atan = _public_unary("atan")
sinh = _public_unary("sinh")
cosh = _public_unary("cosh")
tanh = _public_unary("tanh")
exp = _public_unary("exp")
log = _public_unary("log")
log1p = _public_unary("log1p")
expm1 = _public_unary("expm1")
sqrt = _public_unary("sqrt")
abs = _public_unary("abs")
sign = _public_unary("sign")
heaviside = _public_unary("heaviside")
sigmoid = _public_unary("sigmoid")
relu = _public_unary("relu")
softplus = _public_unary("softplus")
erf = _public_unary("erf")

add = _public_binary("add")
sub = _public_binary("sub")
mul = _public_binary("mul")
div = _public_binary("div")
pow = _public_binary("pow")
maximum = _public_binary("maximum")
minimum = _public_binary("minimum")

# The elementwise functions double as methods (x.exp(), x.relu(), ...).
for _name in ("exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt",
              "abs", "sign", "log1p", "expm1", "sinh", "cosh", "asin", "acos",
              "atan", "softplus", "erf"):
    setattr(Tensor, _name, globals()[_name])
del _name


def _reduction_doc(fn, what, example, result):
    fn.__doc__ = f"""{what} over ``axis`` (all axes by default), differentiable.

    Parameters
    ----------
    x : Tensor or array_like
    axis : int or tuple of int, optional
    keepdims : bool, default False
        Keep the reduced axes with length 1 (handy for broadcasting back).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> from numeric.autograd import arange, {fn.__name__}
    >>> {example}
    {result}
    """
    fn.__module__ = __name__
    return fn


sum = _reduction_doc(
    _reduction(OPS["sum"]), "Sum", "sum(arange(6.0).reshape(2, 3), axis=1)",
    "tensor([ 3., 12.])",
)
mean = _reduction_doc(
    _reduction(OPS["mean"]), "Mean", "mean(arange(6.0).reshape(2, 3), axis=0)",
    "tensor([1.5, 2.5, 3.5])",
)
max = _reduction_doc(
    _reduction(OPS["max"]),
    "Maximum (tied maxima share the gradient evenly)",
    "max(arange(6.0).reshape(2, 3), axis=1, keepdims=True)",
    "tensor([[2.],\n            [5.]])",
)
min = _reduction_doc(
    _reduction(OPS["min"]),
    "Minimum (tied minima share the gradient evenly)",
    "min(arange(6.0).reshape(2, 3), axis=0)",
    "tensor([0., 1., 2.])",
)


def norm(x, p=2, axis=None, keepdims=False):
    """Vector p-norm of all elements of ``x`` (or along ``axis``), differentiable.

    As ``torch.norm``, the default treats any tensor as a flat vector (for a
    matrix that is the Frobenius norm). At ``x = 0`` the 2-norm's gradient is the
    zero subgradient, not nan.

    Parameters
    ----------
    x : Tensor or array_like
    p : {2, 1, inf} or positive float, default 2
    axis : int or tuple of int, optional
    keepdims : bool, default False

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import math
    >>> from numeric.autograd import norm, ones, tensor
    >>> norm(tensor([3.0, -4.0])), norm(tensor([3.0, -4.0]), p=1)
    (tensor(5.), tensor(7.))
    >>> norm(ones(4, 9))
    tensor(6.)
    >>> norm(tensor([3.0, -4.0]), p=math.inf)
    tensor(4.)
    """
    x = _as_tensor(x, "x", "norm")
    ax = _resolve_axis(axis, x.data.ndim, "norm")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not p > 0:
        raise ValueError(f"norm: p must be a positive number or inf, got {p!r}")
    if p == 2:
        return _apply(OPS["norm"], (x,), (ax, bool(keepdims)))
    if p == 1:
        return sum(abs(x), ax, keepdims)
    if p == math.inf:
        return max(abs(x), ax, keepdims)
    return sum(abs(x) ** p, ax, keepdims) ** (1.0 / p)


def _resolve_shape(old, new, what):
    new = tuple(new)
    for n in new:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < -1:
            raise ValueError(f"{what}: shape entries must be ints >= -1, got {new!r}")
    size = math.prod(old)
    if new.count(-1) > 1:
        raise ValueError(f"{what}: only one -1 is allowed in shape {new!r}")
    if -1 in new:
        known = math.prod(n for n in new if n != -1)
        if known == 0 or size % known:
            raise ValueError(
                f"{what}: cannot reshape a tensor of shape {old} into {new!r}"
            )
        new = tuple(size // known if n == -1 else int(n) for n in new)
    if math.prod(new) != size:
        raise ValueError(f"{what}: cannot reshape a tensor of shape {old} into {new}")
    return tuple(int(n) for n in new)


def reshape(x, shape):
    """The same data in a new ``shape`` (one entry may be -1), differentiable.

    Examples
    --------
    >>> from numeric.autograd import arange, reshape
    >>> reshape(arange(6.0), (2, -1)).shape
    (2, 3)
    """
    x = _as_tensor(x, "x", "reshape")
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    shape = _resolve_shape(x.data.shape, shape, "reshape")
    return _apply(OPS["reshape"], (x,), (shape,))


def transpose(x, axes=None):
    """Permute the axes of ``x`` (reverse them when ``axes`` is None), numpy-style.

    Examples
    --------
    >>> from numeric.autograd import arange, transpose
    >>> transpose(arange(6.0).reshape(3, 2))
    tensor([[0., 2., 4.],
            [1., 3., 5.]])
    """
    x = _as_tensor(x, "x", "transpose")
    nd = x.data.ndim
    if axes is None:
        axes = tuple(range(nd - 1, -1, -1))
    else:
        axes = tuple(axes)
        valid = len(axes) == nd and all(
            isinstance(a, (int, np.integer))
            and not isinstance(a, bool)
            and -nd <= a < nd
            for a in axes
        )
        if not valid or sorted(int(a) % nd for a in axes) != list(range(nd)):
            raise ValueError(
                f"transpose: axes {axes!r} is not a permutation of the {nd} axes"
            )
        axes = tuple(int(a) % nd for a in axes)
    return _apply(OPS["transpose"], (x,), (axes,))


def broadcast_to(x, shape):
    """Broadcast ``x`` to ``shape`` (numpy rules); the gradient is summed back.

    Examples
    --------
    >>> from numeric.autograd import broadcast_to, tensor
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> broadcast_to(x, (3, 2)).sum().backward()
    >>> x.grad
    tensor([3., 3.])
    """
    x = _as_tensor(x, "x", "broadcast_to")
    shape = _shape_args((shape,) if isinstance(shape, int) else (tuple(shape),),
                        "broadcast_to")
    try:
        ok = np.broadcast_shapes(x.data.shape, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"broadcast_to: cannot broadcast shape {x.data.shape} to {shape}"
        )
    return _apply(OPS["broadcast_to"], (x,), (shape,))


def matmul(a, b):
    """Matrix product with numpy's ``matmul`` rules (1-d, 2-d and batched).

    Examples
    --------
    >>> from numeric.autograd import arange, matmul, ones
    >>> A = arange(6.0).reshape(2, 3)
    >>> matmul(A, ones(3))
    tensor([ 3., 12.])
    """
    ta = _as_tensor(a, "a", "matmul")
    tb = _as_tensor(b, "b", "matmul")
    sa, sb = ta.data.shape, tb.data.shape
    if len(sa) == 0 or len(sb) == 0:
        raise ValueError(
            f"matmul: operands must have at least 1 dimension, got shapes {sa} and "
            f"{sb}; use * for scalars"
        )
    ka = sa[-1]
    kb = sb[0] if len(sb) == 1 else sb[-2]
    if ka != kb:
        raise ValueError(
            f"matmul: inner dimensions differ: a has shape {sa}, b has shape {sb}"
        )
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(
            f"matmul: batch dimensions of shapes {sa} and {sb} do not broadcast"
        ) from None
    return _apply(OPS["matmul"], (ta, tb))


def dot(a, b):
    """Inner product of two 1-d tensors of equal length (like ``torch.dot``).

    Examples
    --------
    >>> from numeric.autograd import arange, dot, ones
    >>> dot(arange(4.0), ones(4))
    tensor(6.)
    """
    ta = _as_tensor(a, "a", "dot")
    tb = _as_tensor(b, "b", "dot")
    if ta.data.ndim != 1 or tb.data.ndim != 1 or len(ta.data) != len(tb.data):
        raise ValueError(
            f"dot: needs two 1-d tensors of equal length, got shapes "
            f"{ta.data.shape} and {tb.data.shape}; use matmul for matrices"
        )
    return _apply(OPS["matmul"], (ta, tb))


def where(condition, a, b):
    """Elementwise ``a`` where ``condition`` holds, else ``b`` (no gradient to it).

    Examples
    --------
    >>> from numeric.autograd import tensor, where
    >>> x = tensor([-1.0, 2.0], requires_grad=True)
    >>> where(x > 0, x, 0.0).sum().backward()
    >>> x.grad
    tensor([0., 1.])
    """
    cond = condition.data if type(condition) is Tensor else np.asarray(condition)
    if np.asarray(cond).dtype != np.bool_:
        raise TypeError(
            f"where: condition must be boolean, got dtype {np.asarray(cond).dtype}"
        )
    return _apply(OPS["where"], (a, b), (cond,))


def _scatter_add(g, idx, shape):
    return _apply(OPS["scatter_add"], (g,), (idx, shape))


def _index(x, idx):
    return _apply(_GETITEM if is_basic_index(idx) else _INDEX, (x,), (idx,))


# --------------------------------------------------------------------- engine

#: The VJP rules' elementary functions under ``create_graph``: recorded Tensor ops.
_TENSOR_FNS = types.SimpleNamespace(
    sin=sin,
    cos=cos,
    sinh=sinh,
    cosh=cosh,
    exp=exp,
    log=log,
    sqrt=sqrt,
    sign=sign,
    sigmoid=sigmoid,
    zeros_like=zeros_like,
    sum=sum,
    reshape=reshape,
    transpose=transpose,
    broadcast_to=broadcast_to,
    matmul=lambda a, b: _apply(OPS["matmul"], (a, b)),
    where=where,
    getitem=_index,
    scatter_add=_scatter_add,
)


def _seed(root, gradient, create_graph):
    """The starting gradient ``dL/droot`` for backward, validated."""
    if type(root) is not Tensor:
        raise TypeError(f"backward: expected a Tensor, got {type(root).__name__}")
    rd = root.data
    if gradient is None:
        if rd.size != 1:
            raise _GradValueError(
                f"backward: gradient can be implicitly created only for scalar "
                f"outputs; this tensor has shape {rd.shape}, so pass "
                f"gradient= (e.g. ones of that shape) or call .sum() first"
            )
        seed = np.ones_like(rd)
    elif type(gradient) is Tensor and create_graph:
        if gradient.data.shape != rd.shape:
            raise _GradValueError(
                f"backward: gradient has shape {gradient.data.shape} but the "
                f"tensor has shape {rd.shape}"
            )
        return gradient
    else:
        gd = gradient.data if type(gradient) is Tensor else gradient
        try:
            seed = np.array(gd, dtype=rd.dtype, copy=True)
        except (TypeError, ValueError):
            raise TypeError(
                f"backward: gradient must be numeric array_like, got "
                f"{type(gradient).__name__}"
            ) from None
        if seed.shape != rd.shape:
            raise _GradValueError(
                f"backward: gradient has shape {seed.shape} but the tensor has "
                f"shape {rd.shape}"
            )
    seed = _scalarize(seed)
    return _leaf(seed) if create_graph else seed


_seq_key = operator.attrgetter("_seq")


def _toposort(root):
    """Recorded tensors reachable from ``root``, each before all of its inputs.

    A tensor is always created after its inputs, so decreasing creation number is
    a valid order for the backward pass: one iterative sweep collects the
    reachable set (no recursion, so any depth is fine) and a sort orders it. The
    sweep also clears each tensor's gradient slot for the pass.
    """
    if root._op is None:
        return []
    root._g = None
    nodes = [root]
    seen = {id(root)}
    stack = [root]
    while stack:
        for p in stack.pop()._parents:
            if p is not None and p._op is not None:
                k = id(p)
                if k not in seen:
                    seen.add(k)
                    p._g = None
                    nodes.append(p)
                    stack.append(p)
    nodes.sort(key=_seq_key, reverse=True)
    return nodes


def _unbroadcast(F, g, shape):
    """Sum a broadcast gradient back to ``shape``: the one place it happens."""
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if lead < 0:
        raise AssertionError(
            f"internal error: gradient of shape {gshape} for an input of shape {shape}"
        )
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and gshape[i + lead] != 1
    )
    if axes:
        g = F.sum(g, axis=axes)
    return F.reshape(g, shape)


def _freed_error(op):
    return GradError(
        f"Trying to backward through the graph a second time: the values saved by "
        f"'{op.name}' were freed by an earlier backward(). Pass retain_graph=True "
        f"to the first backward() if you need to run backward through this graph "
        f"again."
    )


def _run_backward(root, seed, retain_graph, create_graph, inputs=None):
    """Propagate ``seed`` from ``root`` back through the recorded graph.

    Without ``inputs`` the gradients of leaves are accumulated into their ``.grad``
    (``Tensor.backward``); with ``inputs`` nothing is accumulated and the gradients of
    exactly those tensors are returned (None where there is no path).
    """
    global _GRAD_ENABLED
    if not root._rg:
        raise GradError(
            "backward: this tensor does not require grad and has no grad_fn: no "
            "input of the computation had requires_grad=True (or it ran in no_grad)"
        )
    F = _TENSOR_FNS if create_graph else ARRAY_FNS
    captured = None if inputs is None else {id(x): None for x in inputs}
    assigned = set()
    order = _toposort(root)
    prev_mode = _GRAD_ENABLED
    _GRAD_ENABLED = create_graph
    try:
        if root._op is None:
            _deliver(root, seed, captured, assigned, create_graph)
            return _collect(inputs, captured)
        root._g = seed
        free = not retain_graph
        capturing = captured is not None
        # The common case (plain backward into .grad) adds into an existing leaf
        # gradient inline; everything else goes through _deliver.
        inline_leaves = not capturing and not create_graph
        for t in order:
            g = t._g
            t._g = None
            if capturing and id(t) in captured:
                captured[id(t)] = g
            op = t._op
            args = t._args
            if args is None:
                raise _freed_error(op)
            parents = t._parents
            if create_graph:
                y = t
                args = tuple(
                    p if p is not None else a
                    for p, a in zip(parents, args[: op.nin], strict=True)
                ) + args[op.nin :]
            else:
                y = t.data
            for p, vjp in zip(parents, op.vjps, strict=True):
                if p is None:
                    continue
                gp = vjp(F, g, y, *args)
                pshape = p.data.shape
                if gp.shape != pshape:
                    gp = _unbroadcast(F, gp, pshape)
                if p._op is None:
                    cur = p.grad
                    if inline_leaves and cur is not None:
                        new = cur.data + gp
                        if new.dtype != p.data.dtype:
                            new = new.astype(p.data.dtype)
                        cur.data = new
                    else:
                        _deliver(p, gp, captured, assigned, create_graph)
                else:
                    prev = p._g
                    p._g = gp if prev is None else prev + gp
            if free and op.saves:
                t._args = None
    except BaseException:
        for t in order:  # drop the partial gradients of an interrupted pass
            t._g = None
        raise
    finally:
        _GRAD_ENABLED = prev_mode
    return _collect(inputs, captured)


def _deliver(leaf, g, captured, assigned, create_graph):
    """Hand a leaf its gradient: into ``captured`` or accumulated into ``.grad``."""
    if captured is not None:
        k = id(leaf)
        if k in captured:
            prev = captured[k]
            captured[k] = g if prev is None else prev + g
        return
    cur = leaf.grad
    if create_graph:
        if cur is None:
            # Two leaves must not share one grad Tensor (zero_ on one would clear
            # both), and neither may alias a caller's gradient.
            leaf.grad = g + 0.0 if id(g) in assigned else g
            assigned.add(id(leaf.grad))
        else:
            leaf.grad = cur + g
        return
    dt = leaf.data.dtype
    if cur is None:
        if type(g) is np.ndarray and (
            g.base is not None or not g.flags.writeable or id(g) in assigned
        ):
            g = g.copy()
        if g.dtype != dt:
            g = g.astype(dt)
        assigned.add(id(g))
        leaf.grad = _leaf(_scalarize(g))
    else:
        new = cur.data + g
        if new.dtype != dt:
            new = new.astype(dt)
        cur.data = new


def _collect(inputs, captured):
    if inputs is None:
        return None
    return [captured[id(x)] for x in inputs]


# ------------------------------------------------------------- functional API


def zero_grad(params, set_to_none=True):
    """Reset the gradients of ``params`` before the next backward pass.

    Parameters
    ----------
    params : iterable of Tensor
    set_to_none : bool, default True
        Drop ``.grad`` (PyTorch's default) instead of filling it with zeros.

    Examples
    --------
    >>> from numeric.autograd import tensor, zero_grad
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward()
    >>> zero_grad([w])
    >>> w.grad is None
    True
    """
    for i, p in enumerate(params):
        if type(p) is not Tensor:
            raise TypeError(
                f"zero_grad: params[{i}] must be a Tensor, got {type(p).__name__}"
            )
        if set_to_none:
            p.grad = None
        elif p.grad is not None:
            p.grad = _leaf(_scalarize(np.zeros_like(p.grad.data)))


def _argnums(argnums, nargs, what):
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    for n in nums:
        if not isinstance(n, int) or isinstance(n, bool) or not -nargs <= n < nargs:
            raise ValueError(
                f"{what}: argnums {argnums!r} does not index the {nargs} positional "
                f"argument(s)"
            )
    nums = tuple(n % nargs for n in nums)
    if len(set(nums)) != len(nums):
        raise ValueError(f"{what}: argnums {argnums!r} names an argument twice")
    return single, nums


def _float_leaf(v, what):
    d = v.data if type(v) is Tensor else v
    arr = np.array(d, copy=True)
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    _check_kind(arr, "the differentiated argument", what)
    return _leaf(_scalarize(arr), True)


def _value_and_grads(f, argnums, args, kwargs, what):
    global _TRANSFORM_DEPTH
    single, nums = _argnums(argnums, len(args), what)
    # Inside another transform, or given tensors that are already being tracked,
    # the gradient must itself be recorded so the caller can differentiate it.
    create = _TRANSFORM_DEPTH > 0
    tensor_out = create
    args = list(args)
    targets = []
    for n in nums:
        a = args[n]
        if type(a) is Tensor:
            tensor_out = True
            if a._rg:
                # Keep the caller's tensor so the result stays connected to it.
                create = True
                targets.append(a)
                continue
        leaf = _float_leaf(a, what)
        args[n] = leaf
        targets.append(leaf)
    _TRANSFORM_DEPTH += 1
    try:
        with enable_grad():
            out = f(*args, **kwargs)
            if type(out) is not Tensor:
                out = _as_tensor(out, "f's return value", what)
            if out.data.size != 1:
                raise ValueError(
                    f"{what}: f must return a scalar (one element), got shape "
                    f"{out.data.shape}"
                )
            if out._rg:
                grads = _run_backward(
                    out, _seed(out, None, create), create, create, targets
                )
            else:
                grads = [None] * len(targets)
    finally:
        _TRANSFORM_DEPTH -= 1
    result = []
    for x, g in zip(targets, grads, strict=True):
        if g is None:
            g = _scalarize(np.zeros_like(x.data))
        if type(g) is not Tensor:
            g = _scalarize(np.asarray(g))
            if tensor_out:
                g = _leaf(g)
        result.append(g)
    value = out if tensor_out else out.data
    return value, (result[0] if single else tuple(result))


def grad(f, argnums=0):
    """The gradient function of a scalar-valued ``f`` (functional, JAX-style).

    Parameters
    ----------
    f : callable
        Takes Tensors and returns a one-element Tensor (built with this module's
        operations).
    argnums : int or tuple of int, default 0
        Which positional arguments to differentiate with respect to.

    Returns
    -------
    callable
        ``grad(f)(*args)`` returns the gradient with the shape of the argument (a
        tuple of them for a tuple ``argnums``). For plain numbers and arrays the
        result is numpy. If an argument is a Tensor, or the call is nested inside
        another ``grad``/``value_and_grad``/``hessian``, the result is a Tensor
        that is itself differentiable, so ``grad(grad(f))`` works.

    Examples
    --------
    >>> from numeric.autograd import grad, sin
    >>> float(grad(lambda x: x ** 3)(2.0))
    12.0
    >>> float(grad(grad(lambda x: x ** 3))(2.0))
    12.0
    >>> float(grad(sin)(0.0))
    1.0
    """
    if not callable(f):
        raise TypeError(f"grad: f must be callable, got {type(f).__name__}")

    def grad_f(*args, **kwargs):
        return _value_and_grads(f, argnums, args, kwargs, "grad")[1]

    return grad_f


def value_and_grad(f, argnums=0):
    """Like :func:`grad`, but return ``(f(*args), gradient)`` from one evaluation.

    Examples
    --------
    >>> from numeric.autograd import value_and_grad
    >>> v, g = value_and_grad(lambda x: (x * x).sum())([1.0, 2.0])
    >>> float(v), g
    (5.0, array([2., 4.]))
    """
    if not callable(f):
        raise TypeError(f"value_and_grad: f must be callable, got {type(f).__name__}")

    def vg(*args, **kwargs):
        return _value_and_grads(f, argnums, args, kwargs, "value_and_grad")

    return vg


def hessian(f, argnums=0):
    """The Hessian function of a scalar-valued ``f`` of one (small) argument.

    Built by differentiating the gradient (``create_graph``) once per element, so
    it is meant for functions of a few dozen variables.

    Parameters
    ----------
    f : callable
        Scalar-valued function of Tensors.
    argnums : int, default 0
        The argument to differentiate twice.

    Returns
    -------
    callable
        ``hessian(f)(*args)`` gives an array of shape ``x.shape + x.shape``
        (a Tensor without history if ``x`` was a Tensor).

    Examples
    --------
    >>> from numeric.autograd import hessian, tensor
    >>> A = tensor([[1.0, 2.0], [0.0, 3.0]])
    >>> hessian(lambda x: x @ A @ x)([1.0, 1.0])
    array([[2., 2.],
           [2., 6.]])
    """
    if not callable(f):
        raise TypeError(f"hessian: f must be callable, got {type(f).__name__}")
    if not isinstance(argnums, int) or isinstance(argnums, bool):
        raise TypeError(f"hessian: argnums must be an int, got {argnums!r}")

    def hess(*args, **kwargs):
        global _TRANSFORM_DEPTH
        _, (n,) = _argnums(argnums, len(args), "hessian")
        x = args[n]
        X = _float_leaf(x, "hessian")
        args2 = list(args)
        args2[n] = X
        shape = X.data.shape
        size = X.data.size
        rows = np.zeros((size, size), dtype=X.data.dtype)
        _TRANSFORM_DEPTH += 1
        try:
            with enable_grad():
                out = f(*args2, **kwargs)
                out = _as_tensor(out, "f's return value", "hessian")
                if out.data.size != 1:
                    raise ValueError(
                        f"hessian: f must return a scalar (one element), got shape "
                        f"{out.data.shape}"
                    )
                g = None
                if out._rg:
                    (g,) = _run_backward(
                        out, _seed(out, None, True), True, True, [X]
                    )
                if g is not None and g._rg:
                    flat = reshape(g, (size,))
                    for i in range(size):
                        gi = flat[i]
                        if gi._rg:
                            (r,) = _run_backward(
                                gi, _seed(gi, None, False), True, False, [X]
                            )
                            if r is not None:
                                rows[i] = np.reshape(r, size)
        finally:
            _TRANSFORM_DEPTH -= 1
        H = rows.reshape(shape + shape)
        return _leaf(_scalarize(H)) if type(x) is Tensor else H

    return hess
