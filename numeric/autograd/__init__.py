"""Eager reverse-mode automatic differentiation on numpy arrays, PyTorch-style.

Operations on :class:`Tensor` objects run immediately on numpy arrays; when an input
has ``requires_grad=True`` the result also remembers how it was made (the *tape*).
``y.backward()`` then walks that record backwards and accumulates ``dy/dx`` into the
``.grad`` of every leaf ``x`` that asked for it. Because the record is made while the
program runs, gradients flow through ordinary Python ``if``/``while`` code, which a
symbolic expression graph cannot follow.

The package, from the bottom up (each module imports only those above it here):

``mode``, ``errors``, ``ops``
    grad mode; the exceptions; the op registry (each op's forward and VJPs side by
    side: the only calculus in the package).
``conversions``, ``tensor``, ``creation``
    numbers and arrays in and out; the Tensor and the recording of ops; zeros, ones,
    arange.
``functions``
    the public array functions (sin, sum, matmul, where, ...).
``engine``
    the backward pass: topological order, VJPs, accumulation into ``.grad``.
``functional``, ``jacobians``, ``tensor_methods``
    grad, value_and_grad, hessian; torch.autograd.functional's vjp, jvp, jacobian,
    hessian, hvp; the Tensor methods that are package functions.
``autograd``
    ``torch.autograd`` under ``numeric.autograd.autograd``: grad(outputs, inputs),
    backward of several roots, grad modes and ``functional``.

``versions`` and ``inplace`` record in-place operations (``a += b``) and let backward
refuse values changed after they were saved.

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

# Imported for its effect: it binds x.sum(), x.exp(), x.backward(), ... to Tensor.
from numeric.autograd import autograd, tensor_methods  # noqa: F401
from numeric.autograd.array_functions import (
    clip,
    concatenate,
    cumsum,
    det,
    diag,
    inv,
    log_softmax,
    logsumexp,
    outer,
    prod,
    slogdet,
    softmax,
    solve,
    stack,
    std,
    trace,
    var,
)
from numeric.autograd.creation import (
    arange,
    normal,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from numeric.autograd.engine import zero_grad
from numeric.autograd.errors import GradError, GradTypeError, GradValueError
from numeric.autograd.functional import grad, hessian, value_and_grad
from numeric.autograd.functions import (
    abs,
    acos,
    add,
    apply,
    asin,
    atan,
    broadcast_to,
    cos,
    cosh,
    div,
    dot,
    erf,
    exp,
    expm1,
    heaviside,
    log,
    log1p,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mul,
    neg,
    norm,
    pow,
    relu,
    reshape,
    sigmoid,
    sign,
    sin,
    sinh,
    softplus,
    sqrt,
    sub,
    sum,
    tan,
    tanh,
    transpose,
    where,
)
from numeric.autograd.mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from numeric.autograd.tensor import Tensor, tensor

__all__ = [
    "GradError",
    "GradTypeError",
    "GradValueError",
    "Tensor",
    "abs",
    "acos",
    "add",
    "apply",
    "arange",
    "asin",
    "atan",
    "autograd",
    "broadcast_to",
    "clip",
    "concatenate",
    "cos",
    "cosh",
    "cumsum",
    "det",
    "diag",
    "div",
    "dot",
    "enable_grad",
    "erf",
    "exp",
    "expm1",
    "grad",
    "heaviside",
    "hessian",
    "inference_mode",
    "inv",
    "is_grad_enabled",
    "log",
    "log1p",
    "log_softmax",
    "logsumexp",
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
    "normal",
    "ones",
    "ones_like",
    "outer",
    "pow",
    "prod",
    "rand",
    "randn",
    "relu",
    "reshape",
    "set_grad_enabled",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "slogdet",
    "softmax",
    "softplus",
    "solve",
    "sqrt",
    "stack",
    "std",
    "sub",
    "sum",
    "tan",
    "tanh",
    "tensor",
    "trace",
    "transpose",
    "value_and_grad",
    "var",
    "where",
    "zero_grad",
    "zeros",
    "zeros_like",
]
