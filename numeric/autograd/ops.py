"""The op registry behind :mod:`numeric.autograd`: every primitive and its VJPs.

Every differentiable operation is defined here exactly once: its numpy forward and,
right next to it, one vector-Jacobian product (VJP) per differentiable input (the
``defvjp`` beside each primitive of HIPS autograd, in one :func:`defop` call). The
engine (:mod:`numeric.autograd.engine`) never knows the calculus of any op; it only
walks the recorded graph and calls these rules.

A VJP rule has the signature ``vjp(F, g, y, *args)``:

``F``
    a namespace of elementary functions. During an ordinary ``backward()`` it maps to
    numpy (:data:`ARRAY_FNS`), so rules run on plain arrays and record nothing. With
    ``create_graph=True`` the engine passes the differentiable Tensor functions instead,
    so the very same rule builds a graph and the gradient can be differentiated again.
``g``
    the gradient of the final output with respect to this op's output ``y``.
``y``
    the op's output (an array, or the output Tensor under ``create_graph``).
``args``
    the forward arguments: the ``nin`` differentiable inputs, then any
    non-differentiable *attributes* (an axis, a shape, an index).

A rule returns the gradient for its input in the *output's* broadcast shape; the engine
sums it back to the input's shape in one place. Rules use only operators and names
from ``F``, which is what lets them serve both first and higher derivatives.

``saves`` records whether the rule reads saved values (inputs or output). As in
PyTorch, only such ops refuse a second backward once their graph has been freed; purely
structural ops (add, sum, reshape, ...) keep only shapes and can be re-run.

Adding an op: call :func:`defop` here, expose a public function in
:mod:`numeric.autograd.functions`, and add an input generator to the table-driven
registry test (``tests/numeric/autograd/test_autograd.py``), which fails until every
registered op is covered.
"""

from __future__ import annotations

import functools
import math
import operator
import types

import numpy as np

__all__ = ["ARRAY_FNS", "OPS", "Op", "defop", "is_basic_index"]


class Op:
    """One registry entry: a forward function and one VJP per differentiable input.

    Parameters
    ----------
    name : str
        Registry key, also the name shown in ``grad_fn``.
    nin : int
        Number of differentiable inputs; further forward arguments are attributes.
    forward : callable
        ``forward(*args) -> ndarray`` on numpy values.
    vjps : tuple of callable
        ``vjps[i](F, g, y, *args)`` is the gradient for input ``i``.
    saves : bool
        Whether the VJPs read saved values (see the module docstring).

    Examples
    --------
    >>> from numeric.autograd.ops import OPS
    >>> OPS["mul"].nin, OPS["sum"].saves
    (2, False)
    """

    __slots__ = ("name", "nin", "forward", "vjps", "saves")

    def __init__(self, name, nin, forward, vjps, saves):
        self.name = name
        self.nin = nin
        self.forward = forward
        self.vjps = tuple(vjps)
        self.saves = saves

    def __repr__(self):
        return f"Op({self.name!r}, nin={self.nin}, saves={self.saves})"


#: The registry: op name -> :class:`Op`.
OPS: dict[str, Op] = {}


def defop(name, nin, forward, *vjps, saves=True):
    """Register an op: its forward and one VJP per differentiable input, side by side.

    Parameters
    ----------
    name : str
        Unique registry name.
    nin : int
        Number of differentiable inputs (must equal ``len(vjps)``).
    forward : callable
        numpy implementation ``forward(*args)``.
    *vjps : callable
        ``vjp(F, g, y, *args)``, one per differentiable input.
    saves : bool, default True
        Whether the VJPs read saved values; ``False`` for shape-only rules.

    Returns
    -------
    Op
        The registered entry.

    Examples
    --------
    >>> from numeric.autograd.ops import OPS, defop
    >>> op = defop("_demo_square", 1, lambda x: x * x, lambda F, g, y, x: 2 * g * x)
    >>> op.vjps[0](None, 1.0, 9.0, 3.0)
    6.0
    >>> del OPS["_demo_square"]
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"defop: name must be a non-empty str, got {name!r}")
    if name in OPS:
        raise ValueError(f"defop: op {name!r} is already registered")
    if len(vjps) != nin:
        raise ValueError(
            f"defop: op {name!r} has nin={nin} differentiable inputs but "
            f"{len(vjps)} VJP rules"
        )
    op = Op(name, nin, forward, vjps, saves)
    OPS[name] = op
    return op


# --------------------------------------------------------------------------- helpers


def _sigmoid(x):
    # exp(-log(1 + e^-x)) never overflows and keeps full relative precision in both
    # tails, unlike 1 / (1 + exp(-x)).
    return np.exp(-np.logaddexp(0.0, -x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _relu(x):
    return np.maximum(x, 0)


@functools.cache
def _scipy_erf():
    # scipy.special is imported on first use only: it is slow to import and erf is
    # the only op that needs it.
    from scipy.special import erf

    return erf


def _erf(x):
    return _scipy_erf()(x)


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def is_basic_index(idx):
    """Whether ``idx`` is numpy *basic* indexing (ints, slices, ``None``, ``...``).

    Basic indices never repeat an element, so their adjoint may assign instead of
    accumulating.

    Parameters
    ----------
    idx : object
        An index as passed to ``__getitem__``.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_basic_index((0, slice(None))), is_basic_index([0, 0])
    (True, False)
    """
    items = idx if type(idx) is tuple else (idx,)
    for i in items:
        if i is None or i is Ellipsis or type(i) is slice:
            continue
        if isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)):
            continue
        return False
    return True


def _scatter_add(g, idx, shape):
    z = np.zeros(shape, dtype=np.result_type(g))
    if is_basic_index(idx):
        z[idx] = g
    else:
        np.add.at(z, idx, g)
    return z[()] if z.ndim == 0 else z


def _keepdims_shape(shape, axis):
    """Shape of a reduction over ``axis`` with ``keepdims=True``."""
    if axis is None:
        return (1,) * len(shape)
    nd = len(shape)
    axes = {a % nd for a in (axis if type(axis) is tuple else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _reduced_count(shape, axis):
    """How many elements a reduction over ``axis`` combines into one."""
    if axis is None:
        return math.prod(shape)
    nd = len(shape)
    return math.prod(shape[a % nd] for a in (axis if type(axis) is tuple else (axis,)))


def _expand_reduced(F, g, shape, axis):
    """Broadcast a reduction's gradient back over the reduced axes."""
    return F.broadcast_to(F.reshape(g, _keepdims_shape(shape, axis)), shape)


def _tie_weight(a, b):
    # Gradient share of ``a`` in max(a, b): 1 where it wins, 1/2 on ties (PyTorch's
    # convention, which keeps max(x, x) having derivative 1).
    return (a > b) + 0.5 * (a == b)


def _swap_last_two_axes(nd):
    return tuple(range(nd - 2)) + (nd - 1, nd - 2)


def _matmul_grad_2d(F, g, a_nd, b_nd):
    """Reshape a matmul output gradient to the 2-d (batched) form of the product."""
    shape = g.shape
    if b_nd == 1:
        shape = shape + (1,)
    if a_nd == 1:
        shape = shape[:-1] + (1,) + shape[-1:]
    return F.reshape(g, shape)


def _matmul_vjp_a(F, g, y, a, b):
    g_2d = _matmul_grad_2d(F, g, a.ndim, b.ndim)
    if b.ndim == 1:
        b_transposed = F.reshape(b, (1, b.shape[0]))
    else:
        b_transposed = F.transpose(b, _swap_last_two_axes(b.ndim))
    ga = F.matmul(g_2d, b_transposed)
    if a.ndim == 1:
        ga = F.reshape(ga, ga.shape[:-2] + ga.shape[-1:])
    return ga


def _matmul_vjp_b(F, g, y, a, b):
    g_2d = _matmul_grad_2d(F, g, a.ndim, b.ndim)
    if a.ndim == 1:
        a_transposed = F.reshape(a, (a.shape[0], 1))
    else:
        a_transposed = F.transpose(a, _swap_last_two_axes(a.ndim))
    gb = F.matmul(a_transposed, g_2d)
    if b.ndim == 1:
        gb = F.reshape(gb, gb.shape[:-1])
    return gb


def _pow_vjp_a(F, g, y, a, b):
    # ``**`` (not np.power) keeps numpy's fast paths for exponents such as 1 and 2.
    # At a == 0 with exponent 0, b * a**(b - 1) is 0 * inf, but a**0 is constant:
    # the gradient is 0 there (PyTorch masks it the same way). Only that point is
    # masked, so the gradient stays differentiable in b everywhere else.
    if type(b) is float or type(b) is int:
        if b == 0:
            return F.zeros_like(g)
        return g * (b * a ** (b - 1))
    # (the masked point's 0 * inf warns in numpy: it is not a result)
    with np.errstate(divide="ignore", invalid="ignore"):
        return F.where((a == 0) * (b == 0), 0.0, g * (b * a ** (b - 1)))


def _pow_vjp_b(F, g, y, a, b):
    # d/db a**b = a**b log a. At a == 0 the limit is 0 (for b > 0); for a < 0 the
    # real power is defined only at isolated b, so there is no derivative: nan.
    pos = a > 0
    logs = F.log(F.where(pos, a, 1.0))
    return F.where(a < 0, math.nan, g * y * logs)


def _norm_vjp(F, g, y, x, axis, keepdims):
    kept_shape = _keepdims_shape(x.shape, axis)
    y_kept = F.reshape(y, kept_shape)
    g_kept = F.reshape(g, kept_shape)
    # At x == 0 the norm has no gradient; like PyTorch we return the zero subgradient
    # (x / 1 there, and x is all zeros on that slice).
    return g_kept * x / F.where(y_kept == 0, 1.0, y_kept)


def _pnorm_forward(x, axis, keepdims, p):
    return np.sum(np.abs(x) ** p, axis=axis, keepdims=keepdims) ** (1.0 / p)


def _pnorm_vjp(F, g, y, x, axis, keepdims, p):
    # d||x||_p / dx_i = sign(x_i) (|x_i| / ||x||_p) ** (p - 1). Written as one rule
    # rather than sum(|x|**p) ** (1/p) composed, because the composition multiplies
    # 0 by the infinite slope of s ** (1/p) at s = 0: nan at the zero vector, where
    # (as PyTorch) the zero subgradient is wanted. Entries with x_i == 0 get 0 too
    # (their base is replaced by 1 so no negative power of 0 is ever taken).
    kept_shape = _keepdims_shape(x.shape, axis)
    y_kept = F.reshape(y, kept_shape)
    g_kept = F.reshape(g, kept_shape)
    sign = F.sign(x)
    ratio = x * sign / F.where(y_kept == 0, 1.0, y_kept)
    return g_kept * sign * F.where(x == 0, 1.0, ratio) ** (p - 1)


def _extremum_vjp(F, g, y, x, axis, keepdims):
    kept_shape = _keepdims_shape(x.shape, axis)
    mask = x == F.reshape(y, kept_shape)
    # Ties share the gradient evenly (PyTorch's amax/amin convention).
    share = mask / F.sum(mask, axis=axis, keepdims=True)
    return F.reshape(g, kept_shape) * share


# ----------------------------------------------------------------- elementwise ops
# Unary rules use the output ``y`` when that is cheaper than recomputing from ``x``.

defop("neg", 1, operator.neg, lambda F, g, y, x: -g, saves=False)
defop("sin", 1, np.sin, lambda F, g, y, x: g * F.cos(x))
defop("cos", 1, np.cos, lambda F, g, y, x: -(g * F.sin(x)))
defop("tan", 1, np.tan, lambda F, g, y, x: g * (1 + y * y))
defop("asin", 1, np.arcsin, lambda F, g, y, x: g / F.sqrt(1 - x * x))
defop("acos", 1, np.arccos, lambda F, g, y, x: -g / F.sqrt(1 - x * x))
defop("atan", 1, np.arctan, lambda F, g, y, x: g / (1 + x * x))
defop("sinh", 1, np.sinh, lambda F, g, y, x: g * F.cosh(x))
defop("cosh", 1, np.cosh, lambda F, g, y, x: g * F.sinh(x))
defop("tanh", 1, np.tanh, lambda F, g, y, x: g * (1 - y * y))
defop("exp", 1, np.exp, lambda F, g, y, x: g * y)
defop("log", 1, np.log, lambda F, g, y, x: g / x)
defop("log1p", 1, np.log1p, lambda F, g, y, x: g / (1 + x))
defop("expm1", 1, np.expm1, lambda F, g, y, x: g * (y + 1))
defop("sqrt", 1, np.sqrt, lambda F, g, y, x: g / (2 * y))
defop("abs", 1, np.abs, lambda F, g, y, x: g * F.sign(x))
defop("sign", 1, np.sign, lambda F, g, y, x: F.zeros_like(g))
defop(
    "heaviside",
    1,
    lambda x: np.heaviside(x, 0.0),
    lambda F, g, y, x: F.zeros_like(g),
)
defop("sigmoid", 1, _sigmoid, lambda F, g, y, x: g * (y * (1 - y)))
defop("relu", 1, _relu, lambda F, g, y, x: g * (x > 0))
defop("softplus", 1, _softplus, lambda F, g, y, x: g * F.sigmoid(x))
defop("erf", 1, _erf, lambda F, g, y, x: g * (_TWO_OVER_SQRT_PI * F.exp(-(x * x))))

defop(
    "add",
    2,
    operator.add,
    lambda F, g, y, a, b: g,
    lambda F, g, y, a, b: g,
    saves=False,
)
defop(
    "sub",
    2,
    operator.sub,
    lambda F, g, y, a, b: g,
    lambda F, g, y, a, b: -g,
    saves=False,
)
defop(
    "mul",
    2,
    operator.mul,
    lambda F, g, y, a, b: g * b,
    lambda F, g, y, a, b: g * a,
)
defop(
    "div",
    2,
    operator.truediv,
    lambda F, g, y, a, b: g / b,
    lambda F, g, y, a, b: -(g * y) / b,
)
defop(
    "pow",
    2,
    operator.pow,
    _pow_vjp_a,
    _pow_vjp_b,
)
defop(
    "maximum",
    2,
    np.maximum,
    lambda F, g, y, a, b: g * _tie_weight(a, b),
    lambda F, g, y, a, b: g * _tie_weight(b, a),
)
defop(
    "minimum",
    2,
    np.minimum,
    lambda F, g, y, a, b: g * _tie_weight(b, a),
    lambda F, g, y, a, b: g * _tie_weight(a, b),
)
defop(
    "where",
    2,
    lambda a, b, cond: np.where(cond, a, b),
    lambda F, g, y, a, b, cond: F.where(cond, g, 0.0),
    lambda F, g, y, a, b, cond: F.where(cond, 0.0, g),
)

# -------------------------------------------------------------------- reductions

defop(
    "sum",
    1,
    lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims),
    lambda F, g, y, x, axis, keepdims: _expand_reduced(F, g, x.shape, axis),
    saves=False,
)
defop(
    "mean",
    1,
    lambda x, axis, keepdims: np.mean(x, axis=axis, keepdims=keepdims),
    lambda F, g, y, x, axis, keepdims: (
        _expand_reduced(F, g, x.shape, axis) / _reduced_count(x.shape, axis)
    ),
    saves=False,
)
defop(
    "max",
    1,
    lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims),
    _extremum_vjp,
)
defop(
    "min",
    1,
    lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims),
    _extremum_vjp,
)
defop(
    "norm",
    1,
    lambda x, axis, keepdims: np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims)),
    _norm_vjp,
)
defop("pnorm", 1, _pnorm_forward, _pnorm_vjp)

# ----------------------------------------------------------------- shape and linalg

defop(
    "reshape",
    1,
    lambda x, shape: np.reshape(x, shape),
    lambda F, g, y, x, shape: F.reshape(g, x.shape),
    saves=False,
)
defop(
    "transpose",
    1,
    lambda x, axes: np.transpose(x, axes),
    lambda F, g, y, x, axes: F.transpose(g, tuple(int(i) for i in np.argsort(axes))),
    saves=False,
)
# The engine sums a gradient back to its input's shape, so the adjoint of a
# broadcast is the identity here.
defop(
    "broadcast_to",
    1,
    lambda x, shape: np.broadcast_to(x, shape),
    lambda F, g, y, x, shape: g,
    saves=False,
)
defop("matmul", 2, np.matmul, _matmul_vjp_a, _matmul_vjp_b)
# Two entries share one rule: PyTorch keeps nothing for basic indexing but saves the
# index arrays of advanced indexing, which decides whether a freed graph may be
# re-run.
defop(
    "getitem",
    1,
    lambda x, idx: x[idx],
    lambda F, g, y, x, idx: F.scatter_add(g, idx, x.shape),
    saves=False,
)
defop(
    "index",
    1,
    lambda x, idx: x[idx],
    lambda F, g, y, x, idx: F.scatter_add(g, idx, x.shape),
)
defop(
    "scatter_add",
    1,
    _scatter_add,
    lambda F, g, y, x, idx, shape: F.getitem(g, idx),
    saves=False,
)


#: Elementary functions the VJP rules call during a plain (array) backward.
# -------------------------------------------------------- cumulative and linalg


def _reversed_along(ndim, axis):
    flip = slice(None, None, -1)
    return tuple(flip if i == axis else slice(None) for i in range(ndim))


def _cumsum_vjp(F, g, y, x, axis):
    # Each x_i feeds every later partial sum: the reversed cumulative sum of g.
    rev = _reversed_along(len(x.shape), axis)
    return F.getitem(F.cumsum(F.getitem(g, rev), axis), rev)


def _matrix_transpose(F, a):
    nd = len(a.shape)
    return F.transpose(a, (*range(nd - 2), nd - 1, nd - 2))


def _per_matrix(F, g):
    # A gradient per matrix of a batch, shaped to broadcast over each matrix.
    return F.reshape(g, (*np.shape(g), 1, 1))


def _solve_vjp_a(F, g, y, a, b):
    gb = F.solve(_matrix_transpose(F, a), g)
    if len(b.shape) == 1:
        n = b.shape[0]
        return -(F.reshape(gb, (n, 1)) * F.reshape(y, (1, n)))
    return -F.matmul(gb, _matrix_transpose(F, y))


defop(
    "cumsum",
    1,
    lambda x, axis: np.cumsum(x, axis=axis),
    _cumsum_vjp,
    saves=False,
)
defop(
    "inv",
    1,
    np.linalg.inv,
    lambda F, g, y, a: (
        -F.matmul(F.matmul(_matrix_transpose(F, y), g), _matrix_transpose(F, y))
    ),
)
defop(
    "det",
    1,
    np.linalg.det,
    # d det(A) / dA = det(A) inv(A)^T (A invertible; no rule for singular A here).
    lambda F, g, y, a: _per_matrix(F, g * y) * _matrix_transpose(F, F.inv(a)),
)
defop(
    "logabsdet",
    1,
    lambda a: np.linalg.slogdet(a)[1],
    lambda F, g, y, a: _per_matrix(F, g) * _matrix_transpose(F, F.inv(a)),
)
defop(
    "solve",
    2,
    np.linalg.solve,
    _solve_vjp_a,
    lambda F, g, y, a, b: F.solve(_matrix_transpose(F, a), g),
)


ARRAY_FNS = types.SimpleNamespace(
    sin=np.sin,
    cos=np.cos,
    sinh=np.sinh,
    cosh=np.cosh,
    exp=np.exp,
    log=np.log,
    sqrt=np.sqrt,
    sign=np.sign,
    sigmoid=_sigmoid,
    zeros_like=np.zeros_like,
    sum=np.sum,
    reshape=np.reshape,
    transpose=np.transpose,
    broadcast_to=np.broadcast_to,
    matmul=np.matmul,
    where=np.where,
    getitem=operator.getitem,
    scatter_add=_scatter_add,
    cumsum=lambda x, axis: np.cumsum(x, axis=axis),
    inv=np.linalg.inv,
    solve=np.linalg.solve,
)
