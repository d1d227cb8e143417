"""TensorFlow-named functions over :mod:`numeric.autograd`: ``reduce_sum``, ``norm``...

Each converts Variables and array-likes with TensorFlow's default dtypes and then
calls the numeric.autograd function of the same meaning, so every derivative comes
from the one op registry.
"""

from __future__ import annotations

import builtins
import math

import numpy as np

import numeric.autograd as ag
from numeric.autograd.conversions import scalarize
from numeric.autograd.tensor import make_leaf
from numeric.tape.variables import convert_to_tensor, tf_array

__all__ = [
    "abs",
    "add",
    "cos",
    "divide",
    "exp",
    "log",
    "matmul",
    "multiply",
    "norm",
    "ones",
    "random_normal",
    "range",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_sum",
    "relu",
    "reshape",
    "sigmoid",
    "sin",
    "sqrt",
    "square",
    "subtract",
    "tanh",
    "tensordot",
    "transpose",
    "where",
    "zeros",
]


def _unary(name):
    f = getattr(ag, name)

    def fn(x):
        return f(convert_to_tensor(x))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"``tf.math.{name}``: :func:`numeric.autograd.{name}` on tensors.\n\n"
        f"    Examples\n    --------\n"
        f"    >>> from numeric.tape import {name}\n"
        f"    >>> {name}([1.0]).dtype\n    dtype('float32')\n"
    )
    return fn


abs = _unary("abs")
cos = _unary("cos")
exp = _unary("exp")
log = _unary("log")
relu = _unary("relu")
sigmoid = _unary("sigmoid")
sin = _unary("sin")
sqrt = _unary("sqrt")
tanh = _unary("tanh")


def square(x):
    """``x * x`` elementwise.

    Examples
    --------
    >>> from numeric.tape import square
    >>> square([1.0, 3.0])
    tensor([1., 9.], dtype=float32)
    """
    x = convert_to_tensor(x)
    return x * x


def _binary(name, op):
    def fn(x, y):
        return op(convert_to_tensor(x), convert_to_tensor(y))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"``tf.math.{name}`` (numpy broadcasting).\n\n"
        f"    Examples\n    --------\n"
        f"    >>> from numeric.tape import {name}\n"
        f"    >>> {name}([[1.0]], [[2.0]]).shape\n    (1, 1)\n"
    )
    return fn


add = _binary("add", ag.add)
subtract = _binary("subtract", ag.sub)
multiply = _binary("multiply", ag.mul)
divide = _binary("divide", ag.div)
matmul = _binary("matmul", ag.matmul)


def _reduction(name, f):
    def fn(input_tensor, axis=None, keepdims=False):
        return f(convert_to_tensor(input_tensor), axis, keepdims)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"``tf.{name}(input_tensor, axis=None, keepdims=False)``: see "
        f":func:`numeric.autograd.{f.__name__}`.\n\n"
        f"    Examples\n    --------\n"
        f"    >>> from numeric.tape import {name}\n"
        f"    >>> {name}([[1.0, 2.0]], axis=1).shape\n    (1,)\n"
    )
    return fn


reduce_sum = _reduction("reduce_sum", ag.sum)
reduce_mean = _reduction("reduce_mean", ag.mean)
reduce_max = _reduction("reduce_max", ag.max)
reduce_min = _reduction("reduce_min", ag.min)


def norm(tensor, ord="euclidean", axis=None, keepdims=False):
    """``tf.norm``: the vector p-norm of all elements (or along ``axis``).

    ``ord`` is ``"euclidean"`` (2), 1, 2, ``np.inf`` or any positive number; the
    gradient at the zero vector is 0.

    Examples
    --------
    >>> from numeric.tape import norm
    >>> norm([3.0, -4.0]), norm([3.0, -4.0], ord=1)
    (tensor(5., dtype=float32), tensor(7., dtype=float32))
    """
    p = 2 if ord in ("euclidean", "fro") else ord
    return ag.norm(convert_to_tensor(tensor), p, axis, keepdims)


def reshape(tensor, shape):
    """``tf.reshape`` (-1 infers one dimension).

    Examples
    --------
    >>> from numeric.tape import range, reshape
    >>> reshape(range(6.0), (2, -1)).shape
    (2, 3)
    """
    return ag.reshape(convert_to_tensor(tensor), shape)


def transpose(a, perm=None):
    """``tf.transpose``: reverse the axes, or permute them by ``perm``.

    Examples
    --------
    >>> from numeric.tape import ones, transpose
    >>> transpose(ones((2, 3, 4)), perm=[0, 2, 1]).shape
    (2, 4, 3)
    """
    a = convert_to_tensor(a)
    return ag.transpose(a, None if perm is None else tuple(perm))


def where(condition, x, y):
    """``tf.where(condition, x, y)``: ``x`` where ``condition`` holds, else ``y``.

    Examples
    --------
    >>> from numeric.tape import constant, where
    >>> x = constant([-1.0, 2.0])
    >>> where(x > 0, x, 0.0)
    tensor([0., 2.], dtype=float32)
    """
    cond = convert_to_tensor(condition)
    return ag.where(cond, convert_to_tensor(x), convert_to_tensor(y))


def tensordot(a, b, axes):
    """``tf.tensordot``: the last ``axes`` axes of ``a`` times the first of ``b``.

    ``axes`` is an int, or a pair of axis lists ``[axes_a, axes_b]``.

    Examples
    --------
    >>> from numeric.tape import range, tensordot
    >>> x = range(4.0)
    >>> tensordot(x, x, axes=1)
    tensor(14., dtype=float32)
    """
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        n = int(axes)
        if not 0 <= n <= builtins.min(a.ndim, b.ndim):
            raise ValueError(
                f"tensordot: axes={n} is more than the tensors' dimensions "
                f"({a.ndim} and {b.ndim})"
            )
        axes_a = list(builtins.range(a.ndim - n, a.ndim))
        axes_b = list(builtins.range(n))
    else:
        try:
            axes_a, axes_b = (
                [int(i) % t.ndim for i in ax]
                for ax, t in zip(axes, (a, b), strict=True)
            )
        except (TypeError, ValueError, ZeroDivisionError):
            raise ValueError(
                f"tensordot: axes must be an int or a pair of axis lists, got {axes!r}"
            ) from None
    if [a.shape[i] for i in axes_a] != [b.shape[i] for i in axes_b]:
        raise ValueError(
            f"tensordot: contracted dimensions differ: {a.shape} on {axes_a} and "
            f"{b.shape} on {axes_b}"
        )
    free_a = [i for i in builtins.range(a.ndim) if i not in axes_a]
    free_b = [i for i in builtins.range(b.ndim) if i not in axes_b]
    k = math.prod(a.shape[i] for i in axes_a)
    a2 = ag.reshape(ag.transpose(a, (*free_a, *axes_a)), (-1, k))
    b2 = ag.reshape(ag.transpose(b, (*axes_b, *free_b)), (k, -1))
    shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[i] for i in free_b)
    return ag.reshape(a2 @ b2, shape)


def range(start, limit=None, delta=1, dtype=None):
    """``tf.range``: int32 for int arguments, float32 for floats.

    Examples
    --------
    >>> from numeric.tape import range
    >>> range(4), range(4.0)
    (tensor([0, 1, 2, 3], dtype=int32), tensor([0., 1., 2., 3.], dtype=float32))
    """
    if limit is None:
        start, limit = 0, start
    values = np.arange(start, limit, delta)
    floats = builtins.any(isinstance(v, float) for v in (start, limit, delta))
    if dtype is None:
        dtype = np.float32 if floats else np.int32
    return make_leaf(np.asarray(values, dtype=dtype))


def zeros(shape, dtype=np.float32):
    """``tf.zeros`` (float32 by default).

    Examples
    --------
    >>> from numeric.tape import zeros
    >>> zeros((2,))
    tensor([0., 0.], dtype=float32)
    """
    return make_leaf(scalarize(np.zeros(shape, dtype=dtype)))


def ones(shape, dtype=np.float32):
    """``tf.ones`` (float32 by default).

    Examples
    --------
    >>> from numeric.tape import ones
    >>> ones(2)
    tensor([1., 1.], dtype=float32)
    """
    return make_leaf(scalarize(np.ones(shape, dtype=dtype)))


def random_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None):
    """``tf.random.normal``, drawn from ``numpy.random.default_rng(seed)``.

    ``seed`` may also be a ``numpy.random.Generator`` to draw from.

    Examples
    --------
    >>> from numeric.tape import random_normal
    >>> random_normal((2, 3), seed=0).shape
    (2, 3)
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    values = rng.normal(mean, stddev, size=tuple(np.atleast_1d(shape)) if shape else ())
    return make_leaf(scalarize(tf_array(np.asarray(values), dtype, "random_normal")))


# The generated docstrings belong to closures; list them so doctest runs them.
__test__ = {
    name: globals()[name]
    for name in (
        "abs cos exp log relu sigmoid sin sqrt tanh add subtract multiply divide "
        "matmul reduce_sum reduce_mean reduce_max reduce_min"
    ).split()
}
