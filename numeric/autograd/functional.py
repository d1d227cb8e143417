"""The functional front end (JAX-style): ``grad``, ``value_and_grad``, ``hessian``.

Each wraps a function of tensors: it makes the differentiated arguments leaves, runs
the function with recording on, and asks the engine for exactly their gradients
(nothing is accumulated into ``.grad``). Nested calls return differentiable
gradients, so ``grad(grad(f))`` works.
"""

from __future__ import annotations

import numpy as np

from numeric.autograd.conversions import check_numeric_dtype, scalarize
from numeric.autograd.engine import run_backward, seed_gradient
from numeric.autograd.functions import reshape
from numeric.autograd.mode import enable_grad, in_transform, inside_transform
from numeric.autograd.tensor import Tensor, as_tensor, make_leaf

__all__ = ["grad", "hessian", "value_and_grad"]


def _argnums(argnums, nargs, what):
    """``(single, positions)``: whether ``argnums`` is one int, and it as a tuple."""
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
    """A fresh float leaf requiring grad, holding a copy of ``v``."""
    d = v.data if type(v) is Tensor else v
    arr = np.array(d, copy=True)
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    check_numeric_dtype(arr, "the differentiated argument", what)
    return make_leaf(scalarize(arr), True)


def _scalar_output(f, args, kwargs, what):
    """``f(*args, **kwargs)`` as a one-element Tensor, or ValueError."""
    out = f(*args, **kwargs)
    if type(out) is not Tensor:
        out = as_tensor(out, "f's return value", what)
    if out.data.size != 1:
        raise ValueError(
            f"{what}: f must return a scalar (one element), got shape "
            f"{out.data.shape}"
        )
    return out


def _value_and_grads(f, argnums, args, kwargs, what):
    single, nums = _argnums(argnums, len(args), what)
    # Inside another transform, or given tensors that are already being tracked,
    # the gradient must itself be recorded so the caller can differentiate it.
    create = in_transform()
    tensor_out = create
    args = list(args)
    targets = []
    for n in nums:
        a = args[n]
        if type(a) is Tensor:
            tensor_out = True
            if a.requires_grad:
                # Keep the caller's tensor so the result stays connected to it.
                create = True
                targets.append(a)
                continue
        leaf = _float_leaf(a, what)
        args[n] = leaf
        targets.append(leaf)
    with inside_transform(), enable_grad():
        out = _scalar_output(f, args, kwargs, what)
        if out.requires_grad:
            seed = seed_gradient(out, None, create)
            grads = run_backward(out, seed, create, create, targets)
        else:
            grads = [None] * len(targets)
    result = []
    for x, g in zip(targets, grads, strict=True):
        if g is None:
            g = scalarize(np.zeros_like(x.data))
        if type(g) is not Tensor:
            g = scalarize(np.asarray(g))
            if tensor_out:
                g = make_leaf(g)
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


def _hessian_rows(f, args, kwargs, x_leaf):
    """The Hessian of ``f`` at ``x_leaf`` as a (size, size) array, row by row."""
    size = x_leaf.data.size
    rows = np.zeros((size, size), dtype=x_leaf.data.dtype)
    with inside_transform(), enable_grad():
        out = _scalar_output(f, args, kwargs, "hessian")
        g = None
        if out.requires_grad:
            seed = seed_gradient(out, None, True)
            (g,) = run_backward(out, seed, True, True, [x_leaf])
        if g is None or not g.requires_grad:
            return rows
        flat = reshape(g, (size,))
        for i in range(size):
            gi = flat[i]
            if gi.requires_grad:
                seed = seed_gradient(gi, None, False)
                (r,) = run_backward(gi, seed, True, False, [x_leaf])
                if r is not None:
                    rows[i] = np.reshape(r, size)
    return rows


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
        _, (n,) = _argnums(argnums, len(args), "hessian")
        x = args[n]
        x_leaf = _float_leaf(x, "hessian")
        args = list(args)
        args[n] = x_leaf
        shape = x_leaf.data.shape
        matrix = _hessian_rows(f, args, kwargs, x_leaf).reshape(shape + shape)
        return make_leaf(scalarize(matrix)) if type(x) is Tensor else matrix

    return hess
