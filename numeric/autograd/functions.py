"""The public array functions: elementwise, reductions, shape and linear algebra.

Each validates its arguments, then runs one registry op (:mod:`numeric.autograd.ops`)
through :func:`~numeric.autograd.tensor.record` or one of its specialised copies.
Numbers and arrays are accepted wherever a Tensor is and treated as constants.
"""

from __future__ import annotations

import math

import numpy as np

from numeric.autograd.conversions import as_constant
from numeric.autograd.creation import shape_arguments
from numeric.autograd.ops import OPS
from numeric.autograd.tensor import (
    Tensor,
    as_tensor,
    binary_method,
    record,
    unary_function,
)

__all__ = [
    "abs",
    "acos",
    "add",
    "apply",
    "asin",
    "atan",
    "broadcast_to",
    "cos",
    "cosh",
    "div",
    "dot",
    "erf",
    "exp",
    "expm1",
    "heaviside",
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
    "norm",
    "pow",
    "relu",
    "reshape",
    "resolve_axis",
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
    "transpose",
    "where",
]


def apply(name, *args):
    """Apply the registry op ``name`` to raw arguments (inputs, then attributes).

    This is the generic entry point an interpreter can use to evaluate an op by
    name; attributes (axis, shape, index) are passed exactly as the registry
    expects them, without the argument checking of the named functions.

    Parameters
    ----------
    name : str
        A key of :data:`numeric.autograd.ops.OPS`.
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
    return record(op, args[: op.nin], args[op.nin :])


# ------------------------------------------------------------------ elementwise

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
    # name: (summary, formula, rules, sample a, sample b, a.grad, b.grad)
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


def _binary_function(op):
    """``op(a, b)`` for any operands: the operator bodies, tried both ways round."""
    forward_method = binary_method(op)
    reflected_method = binary_method(op, reflected=True)

    def fn(a, b):
        if type(a) is not Tensor:
            if type(b) is Tensor:
                out = reflected_method(b, a)
                if out is NotImplemented:
                    as_constant(a, "a", op.name)  # raises the descriptive TypeError
                return out
            a = as_tensor(a, "a", op.name)
        out = forward_method(a, b)
        if out is NotImplemented:
            as_constant(b, "b", op.name)  # raises the descriptive TypeError
        return out

    fn.__name__ = fn.__qualname__ = op.name
    return fn


def _public_unary(name):
    summary, formula, rule, sample, check = _UNARY_INFO[name]
    fn = unary_function(OPS[name])
    fn.__doc__ = _UNARY_DOC.format(
        summary=summary, formula=formula, rule=rule, name=name, sample=sample,
        check=check,
    )
    fn.__module__ = __name__
    return fn


def _public_binary(name):
    summary, formula, rule, sa, sb, ga, gb = _BINARY_INFO[name]
    fn = _binary_function(OPS[name])
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

# ------------------------------------------------------------------- reductions


def resolve_axis(axis, ndim, what):
    """Validate ``axis`` for a tensor of ``ndim`` dims: None, an int, or a tuple.

    Parameters
    ----------
    axis : None, int, or tuple/list of int
    ndim : int
    what : str
        The calling function's name, for the message.

    Returns
    -------
    None, int or tuple of int
        The axes made non-negative.

    Examples
    --------
    >>> resolve_axis(-1, 3, "sum"), resolve_axis([0, -1], 3, "sum")
    (2, (0, 2))
    """
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


def _reduction(name, what, example, result):
    op = OPS[name]

    def fn(x, axis=None, keepdims=False):
        x = as_tensor(x, "x", name)
        axis = resolve_axis(axis, x.data.ndim, name)
        if name in ("max", "min") and x.data.size == 0:
            raise ValueError(f"{name}: x is empty (shape {x.shape}); "
                             f"the {name} of no elements is undefined")
        return record(op, (x,), (axis, bool(keepdims)))

    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = __name__
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
    >>> from numeric.autograd import arange, {name}
    >>> {example}
    {result}
    """
    return fn


sum = _reduction(
    "sum", "Sum", "sum(arange(6.0).reshape(2, 3), axis=1)", "tensor([ 3., 12.])"
)
mean = _reduction(
    "mean", "Mean", "mean(arange(6.0).reshape(2, 3), axis=0)",
    "tensor([1.5, 2.5, 3.5])",
)
max = _reduction(
    "max",
    "Maximum (tied maxima share the gradient evenly)",
    "max(arange(6.0).reshape(2, 3), axis=1, keepdims=True)",
    "tensor([[2.],\n            [5.]])",
)
min = _reduction(
    "min",
    "Minimum (tied minima share the gradient evenly)",
    "min(arange(6.0).reshape(2, 3), axis=0)",
    "tensor([0., 1., 2.])",
)


def norm(x, p=2, axis=None, keepdims=False):
    """Vector p-norm of all elements of ``x`` (or along ``axis``), differentiable.

    As ``torch.norm``, the default treats any tensor as a flat vector (for a
    matrix that is the Frobenius norm). At ``x = 0`` the gradient of every
    p-norm is the zero subgradient, not nan (as ``torch.norm``).

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
    x = as_tensor(x, "x", "norm")
    axis = resolve_axis(axis, x.data.ndim, "norm")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not p > 0:
        raise ValueError(f"norm: p must be a positive number or inf, got {p!r}")
    if p == 2:
        return record(OPS["norm"], (x,), (axis, bool(keepdims)))
    if p == 1:
        return sum(abs(x), axis, keepdims)
    if p == math.inf:
        return max(abs(x), axis, keepdims)
    return record(OPS["pnorm"], (x,), (axis, bool(keepdims), float(p)))


# ------------------------------------------------------------ shape and linalg


def _resolve_shape(old, new, what):
    """``new`` as a tuple of ints holding as many elements as ``old`` (-1 inferred)."""
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
    x = as_tensor(x, "x", "reshape")
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    shape = _resolve_shape(x.data.shape, shape, "reshape")
    return record(OPS["reshape"], (x,), (shape,))


def transpose(x, axes=None):
    """Permute the axes of ``x`` (reverse them when ``axes`` is None), numpy-style.

    Examples
    --------
    >>> from numeric.autograd import arange, transpose
    >>> transpose(arange(6.0).reshape(3, 2))
    tensor([[0., 2., 4.],
            [1., 3., 5.]])
    """
    x = as_tensor(x, "x", "transpose")
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
    return record(OPS["transpose"], (x,), (axes,))


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
    x = as_tensor(x, "x", "broadcast_to")
    shape = shape_arguments(
        (shape,) if isinstance(shape, int) else (tuple(shape),), "broadcast_to"
    )
    try:
        ok = np.broadcast_shapes(x.data.shape, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"broadcast_to: cannot broadcast shape {x.data.shape} to {shape}"
        )
    return record(OPS["broadcast_to"], (x,), (shape,))


def matmul(a, b):
    """Matrix product with numpy's ``matmul`` rules (1-d, 2-d and batched).

    Examples
    --------
    >>> from numeric.autograd import arange, matmul, ones
    >>> A = arange(6.0).reshape(2, 3)
    >>> matmul(A, ones(3))
    tensor([ 3., 12.])
    """
    ta = as_tensor(a, "a", "matmul")
    tb = as_tensor(b, "b", "matmul")
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
    return record(OPS["matmul"], (ta, tb))


def dot(a, b):
    """Inner product of two 1-d tensors of equal length (like ``torch.dot``).

    Examples
    --------
    >>> from numeric.autograd import arange, dot, ones
    >>> dot(arange(4.0), ones(4))
    tensor(6.)
    """
    ta = as_tensor(a, "a", "dot")
    tb = as_tensor(b, "b", "dot")
    if ta.data.ndim != 1 or tb.data.ndim != 1 or len(ta.data) != len(tb.data):
        raise ValueError(
            f"dot: needs two 1-d tensors of equal length, got shapes "
            f"{ta.data.shape} and {tb.data.shape}; use matmul for matrices"
        )
    return record(OPS["matmul"], (ta, tb))


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
    return record(OPS["where"], (a, b), (cond,))


# The generated docstrings belong to closures made in numeric.autograd.tensor, where
# doctest would not look for them; list them so their examples still run.
__test__ = {
    name: globals()[name] for name in (*_UNARY_INFO, *_BINARY_INFO)
}
