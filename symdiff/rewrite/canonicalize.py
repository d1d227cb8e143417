"""The canonicalize phase: rules that run inside ``apply`` every time a node is built.

See :mod:`symdiff.rewrite.registry` for what a rule is.  Scalar rules come first
(constant folding, then one block per op), tensor rules after them: zeros and ones are
``broadcast_to(c, shape)`` nodes and the identity matrix is
``diag(broadcast_to(1, (n,)))``, so the tensor rules recognise them structurally, in
O(1), without looking at array contents.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np

from symdiff.core.dims import has_named
from symdiff.core.expr import apply, const
from symdiff.core.spec import OPS
from symdiff.ops.util import (
    fill_value,
    is_identity,
    is_zero,
    reduced_axes,
    size_of,
    zeros,
)
from symdiff.rewrite.predicates import (
    ONE,
    ZERO,
    is_exact,
    is_negative_const,
    is_number,
    is_scalar_const,
)
from symdiff.rewrite.registry import rule

# -- constant folding ------------------------------------------------------------------


def _iroot(n, k):
    """Exact integer k-th root of n >= 0, or None."""
    r = round(n ** (1.0 / k)) if n < 2**1000 else None
    if r is None:
        return None
    for c in (r - 1, r, r + 1):
        if c >= 0 and c**k == n:
            return c
    return None


def _exact_pow(b, e):
    """b**e exactly for int/Fraction b and e, or None when not exact (or too big)."""
    b = Fraction(b)
    if isinstance(e, int) or (isinstance(e, Fraction) and e.denominator == 1):
        e = int(e)
        if b == 0 and e < 0:
            return None
        size = max(abs(b.numerator), b.denominator).bit_length() * abs(e)
        return b**e if size <= 4096 else None
    if b < 0:
        return None
    num, den = _iroot(b.numerator, e.denominator), _iroot(b.denominator, e.denominator)
    if num is None or den is None:
        return None
    return _exact_pow(Fraction(num, den), e.numerator)


_EXACT_SPECIAL = {  # f(0) (and log(1), acos(1)) for exact arguments
    ("sin", 0): 0,
    ("tan", 0): 0,
    ("asin", 0): 0,
    ("atan", 0): 0,
    ("sinh", 0): 0,
    ("tanh", 0): 0,
    ("expm1", 0): 0,
    ("log1p", 0): 0,
    ("erf", 0): 0,
    ("cos", 0): 1,
    ("cosh", 0): 1,
    ("exp", 0): 1,
    ("log", 1): 0,
    ("acos", 1): 0,
    ("sigmoid", 0): Fraction(1, 2),
}


def _fold_exact(op, vals):
    if op == "add":
        return vals[0] + vals[1]
    if op == "sub":
        return vals[0] - vals[1]
    if op == "mul":
        return vals[0] * vals[1]
    if op == "div":
        return None if vals[1] == 0 else Fraction(vals[0]) / Fraction(vals[1])
    if op == "neg":
        return -vals[0]
    if op == "pow":
        return _exact_pow(*vals)
    if op in ("abs", "sign", "relu", "heaviside", "maximum", "minimum"):
        v = vals[0]
        return {
            "abs": lambda: abs(v),
            "sign": lambda: (v > 0) - (v < 0),
            "relu": lambda: max(v, 0),
            "heaviside": lambda: int(v > 0),
            "maximum": lambda: max(vals),
            "minimum": lambda: min(vals),
        }[op]()
    if op == "sqrt":
        return _exact_pow(vals[0], Fraction(1, 2))
    return _EXACT_SPECIAL.get((op, vals[0]))


@rule("canonicalize", *[n for n, s in OPS.items() if s.arity])
def fold_constants(op, args, params, shape):
    """op(constants) -> constant: exactly for ints/fractions, else if finite."""
    for a in args:
        if a.op != "const":
            return None
    if not OPS[op].elementwise and (
        has_named(shape)
        or math.prod(shape) > max([1] + [math.prod(a.shape) for a in args])
    ):
        return None  # folding would only grow constants (broadcast_to, diag, ...)
    vals = [a.value for a in args]
    if all(is_exact(v) for v in vals):
        out = _fold_exact(op, vals)
        return None if out is None else const(out)
    if op in _PY_ARITH and not any(isinstance(v, np.ndarray) for v in vals):
        # scalar floats: Python arithmetic is exact IEEE and far cheaper than numpy
        try:
            out = _PY_ARITH[op](*vals)
        except (ZeroDivisionError, OverflowError, ValueError):
            return None
        if isinstance(out, complex) or not math.isfinite(out):
            return None
        return const(float(out))
    with np.errstate(all="ignore"):
        out = OPS[op].impl(
            _PendingNode(args, params, shape),
            *[v if isinstance(v, np.ndarray) else np.float64(v) for v in vals],
        )
    out = np.asarray(out)
    if out.dtype.kind not in "biuf" or not np.all(np.isfinite(out)):
        return None
    return const(out if out.ndim else out.item())


class _PendingNode:
    """Stands in for the node being built when an impl reads its args or params."""

    def __init__(self, args, params, shape):
        self.args, self.params, self.shape = args, params, shape

    @property
    def ndim(self):
        return len(self.shape)


_PY_ARITH = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "neg": operator.neg,
    "pow": operator.pow,
}


def _fits(e, shape):
    """Replacing a node of ``shape`` by ``e`` keeps the shape (broadcast guard)."""
    return e.shape == shape


# -- add / sub / neg -------------------------------------------------------------------


@rule("canonicalize", "add")
def add_identities(op, args, params, shape):
    """x + 0 -> x; x + x -> 2*x; a + (-b) -> a - b; a + (-c*b) -> a - c*b."""
    a, b = args
    if is_number(a, 0) and _fits(b, shape):
        return b
    if is_number(b, 0) and _fits(a, shape):
        return a
    if a is b:
        return apply("mul", 2, a)
    for p, q in ((a, b), (b, a)):
        if q.op == "neg":
            return apply("sub", p, q.args[0])
        if is_negative_const(q):
            return apply("sub", p, -q.value)
        if q.op == "mul" and is_negative_const(q.args[0]):
            return apply("sub", p, apply("mul", -q.args[0].value, q.args[1]))
    return None


@rule("canonicalize", "sub")
def sub_identities(op, args, params, shape):
    """x - 0 -> x; 0 - x -> -x; x - x -> 0; a - (-b) -> a + b; a - (-c) -> a + c."""
    a, b = args
    if is_number(b, 0) and _fits(a, shape):
        return a
    if is_number(a, 0) and _fits(b, shape):
        return apply("neg", b)
    if a is b and not shape:
        return ZERO
    if b.op == "neg":
        return apply("add", a, b.args[0])
    if is_negative_const(b):
        return apply("add", a, -b.value)
    if b.op == "mul" and is_negative_const(b.args[0]):
        return apply("add", a, apply("mul", -b.args[0].value, b.args[1]))
    return None


@rule("canonicalize", "neg")
def neg_identities(op, args, params, shape):
    """--x -> x; -(c*x) -> (-c)*x; -(a - b) -> b - a."""
    (a,) = args
    if a.op == "neg":
        return a.args[0]
    if a.op == "mul" and is_scalar_const(a.args[0]):
        return apply("mul", -a.args[0].value, a.args[1])
    if a.op == "sub":
        return apply("sub", a.args[1], a.args[0])
    return None


# -- mul / div -------------------------------------------------------------------------


@rule("canonicalize", "mul")
def mul_identities(op, args, params, shape):
    """x*1 -> x; x*0 -> 0; -1*x -> -x; x*x -> x**2; constants gather in front."""
    a, b = args
    if a.op != "const" and b.op == "const":
        a, b = b, a
    if a.op == "const" and not a.shape:  # a scalar constant factor (hot: one look)
        c = a.value
        if c == 1 and b.shape == shape:
            return b
        if c == 0 and not shape:
            return a
        if c == -1:
            return apply("neg", b)
        if a is b:
            return apply("pow", a, 2)
        if b.op == "mul" and is_scalar_const(b.args[0]):
            return apply("mul", c * b.args[0].value, b.args[1])
        if b.op == "neg":
            return apply("mul", -c, b.args[0])
        return None
    if a is b:
        return apply("pow", a, 2)
    for p, q in ((a, b), (b, a)):
        if q.op == "neg":
            return apply("neg", apply("mul", p, q.args[0]))
        if q.op == "mul" and is_scalar_const(q.args[0]):
            # pull the coefficient out: x*(3*y) -> 3*(x*y)
            return apply("mul", q.args[0], apply("mul", p, q.args[1]))
        if q.op == "div" and is_scalar_const(q.args[0]) and _fits(q, shape):
            # x*(c/y) -> c*(x/y), and so x*(1/y) -> x/y
            return apply("mul", q.args[0], apply("div", p, q.args[1]))
    return None


@rule("canonicalize", "div")
def div_identities(op, args, params, shape):
    """x/1 -> x; x/c -> (1/c)*x for exact c; c/x -> c*(1/x); signs move in front."""
    a, b = args
    if is_number(b, 1) and _fits(a, shape):
        return a
    if is_scalar_const(b) and is_exact(b.value) and b.value != 0:
        return apply("mul", Fraction(1) / b.value, a)
    if (
        is_scalar_const(a)
        and not is_number(a, 1)
        and b.op != "const"
        and _fits(b, shape)
    ):
        # one form for a constant over x, so the coefficient gathers like any other
        return apply("mul", a, apply("div", 1, b))
    if a is b and not shape:
        return ONE
    if a.op == "neg":
        return apply("neg", apply("div", a.args[0], b))
    if b.op == "neg":
        return apply("neg", apply("div", a, b.args[0]))
    if a.op == "mul" and is_scalar_const(a.args[0]):
        return apply("mul", a.args[0], apply("div", a.args[1], b))
    if a.op == "div" and _fits(a, shape):
        return apply("div", a.args[0], apply("mul", a.args[1], b))  # a/b/c -> a/(b*c)
    return None


# -- pow and functions -----------------------------------------------------------------


@rule("canonicalize", "pow")
def pow_identities(op, args, params, shape):
    """x**1 -> x; x**0 -> 1; 1**x -> 1; (x**a)**b -> x**(a*b) for integers a, b."""
    a, b = args
    if is_number(b, 1) and _fits(a, shape):
        return a
    if is_number(b, 0) and not shape:
        return ONE
    if is_number(a, 1) and not shape:
        return ONE
    if (
        a.op == "pow"
        and is_scalar_const(b)
        and isinstance(b.value, int)
        and is_scalar_const(a.args[1])
        and isinstance(a.args[1].value, int)
    ):
        return apply("pow", a.args[0], a.args[1].value * b.value)
    return None


@rule("canonicalize", "abs")
def abs_identities(op, args, params, shape):
    """|-x| -> |x|; ||x|| -> |x|."""
    (a,) = args
    if a.op in ("neg", "abs"):
        return apply("abs", a.args[0])
    return None


@rule("canonicalize", "maximum", "minimum")
def extremum_of_same(op, args, params, shape):
    """max(x, x) -> x; min(x, x) -> x."""
    a, b = args
    return a if a is b else None


# -- tensors ---------------------------------------------------------------------------

_LINEAR_UNARY = (
    "transpose",
    "take",
    "slice",
    "unslice",
    "cumsum",
    "diag",
    "diagonal",
    "trace",
)


def _broadcast(e, shape):
    return e if e.shape == shape else apply("broadcast_to", e, shape=shape)


@rule("canonicalize", *_LINEAR_UNARY, "concatenate")
def linear_of_zeros(op, args, params, shape):
    """A linear op of zeros is zeros: transpose(0) -> 0, slice(0) -> 0, ..."""
    if all(is_zero(a) for a in args):
        return zeros(shape)
    return None


@rule("canonicalize", "transpose")
def transpose_identities(op, args, params, shape):
    """transpose(A, identity) -> A; transpose(transpose(A)) -> A (or one transpose);
    diag(v).T -> diag(v); transpose(broadcast_to(c)) -> broadcast_to(c)."""
    (a,) = args
    perm = params.get("axes", tuple(range(a.ndim))[::-1])
    if perm == tuple(range(a.ndim)):
        return a
    if a.op == "transpose":
        inner = a.params.get("axes", tuple(range(a.ndim))[::-1])
        return apply("transpose", a.args[0], axes=tuple(inner[p] for p in perm))
    if a.op == "diag" and perm[-2:] == (a.ndim - 1, a.ndim - 2) and a.ndim == 2:
        return a
    if a.op == "broadcast_to" and not a.args[0].shape:
        return apply("broadcast_to", a.args[0], shape=shape)
    return None


@rule("canonicalize", "reshape")
def reshape_identities(op, args, params, shape):
    """reshape(a, a.shape) -> a; reshape(reshape(a)) -> reshape(a);
    reshape(c) and reshape(broadcast_to(s)) -> broadcast_to(s) for a scalar s."""
    (a,) = args
    if a.shape == shape:
        return a
    if a.op == "reshape":
        return apply("reshape", a.args[0], shape=shape)
    if fill_value(a) is not None:
        return apply("broadcast_to", a.args[0] if a.shape else a, shape=shape)
    if a.op == "broadcast_to" and not a.args[0].shape:
        # a symbolic scalar spread out (1/n, the adjoint of a mean over a named dim)
        return apply("broadcast_to", a.args[0], shape=shape)
    return None


@rule("canonicalize", "broadcast_to")
def broadcast_identities(op, args, params, shape):
    """broadcast_to(a, a.shape) -> a; broadcast_to(broadcast_to(a)) -> broadcast_to(a);
    broadcast_to(reshape(c)) -> broadcast_to(c) for a scalar c."""
    (a,) = args
    if a.shape == shape:
        return a
    if a.op == "broadcast_to" or (a.op == "reshape" and not a.args[0].shape):
        return apply("broadcast_to", a.args[0], shape=shape)
    return None


@rule("canonicalize", "add", "sub")
def add_zero_tensor(op, args, params, shape):
    """x + zeros -> x, zeros - x -> -x (broadcast to the sum's shape)."""
    if not shape:  # scalars: add_identities and sub_identities did it
        return None
    a, b = args
    if is_zero(b):
        return _broadcast(a, shape)
    if is_zero(a):
        return _broadcast(b if op == "add" else apply("neg", b), shape)
    return None


@rule("canonicalize", "neg")
def neg_zero_tensor(op, args, params, shape):
    """-zeros -> zeros."""
    return zeros(shape) if is_zero(args[0]) and shape else None


@rule("canonicalize", "mul")
def mul_fill_tensor(op, args, params, shape):
    """x * broadcast_to(c) -> c * x (c a constant or any scalar); 0 * x -> zeros;
    diag(v) * w -> diag(v * w)."""
    if not shape:  # every case below has a tensor operand of the result's shape
        return None
    a, b = args
    for p, q in ((a, b), (b, a)):
        c = fill_value(p)
        if c is not None and (p.shape or q.shape != shape):
            if c == 0:
                return zeros(shape)
            if p.op == "broadcast_to" and q.shape == shape:
                return q if c == 1 else apply("mul", c, q)
        if (
            c is None
            and p.op == "broadcast_to"
            and not p.args[0].shape
            and q.shape == shape
        ):
            # a scalar spread out (the adjoint of mean over a named dim: 1/n) needs
            # no array: numpy broadcasts it, and np.broadcast_to costs microseconds
            return apply("mul", p.args[0], q)
        if p.op == "diag" and p.args[0].ndim == 1 and q.ndim <= 1 and shape == p.shape:
            return apply("diag", apply("mul", p.args[0], q))
    return None


@rule("canonicalize", "matmul")
def matmul_identities(op, args, params, shape):
    """0 @ x -> 0; I @ x -> x; diag(v) @ x -> v[:, None] * x; x @ diag(v) -> x * v."""
    a, b = args
    if is_zero(a) or is_zero(b):
        return zeros(shape)
    if is_identity(a) and b.shape == shape:
        return b
    if is_identity(b) and a.shape == shape:
        return a
    if a.op == "diag" and a.args[0].ndim == 1:
        v = a.args[0]
        if b.ndim >= 2:
            v = apply("reshape", v, shape=v.shape + (1,))
        out = apply("mul", v, b)
        return out if out.shape == shape else None
    if b.op == "diag" and b.args[0].ndim == 1:
        out = apply("mul", a, b.args[0])
        return out if out.shape == shape else None
    return None


def _scalar_factor(e):
    """(c, rest) with e == c * rest and c a scalar (shape ()), or None.

    Looks at the factors of ``e`` and of one product nested in it (``(c * A) * B``,
    how ``mean`` then a broadcast product come out), so it costs O(1) per node.
    """
    if e.op != "mul":
        return None
    p, q = e.args
    for s, t in ((p, q), (q, p)):
        if not s.shape and t.shape == e.shape:
            return s, t
    for inner, other in ((p, q), (q, p)):
        if inner.op == "mul" and inner.shape == e.shape:
            for s, t in (inner.args, inner.args[::-1]):
                if not s.shape and t.shape == inner.shape:
                    pair = (t, other) if inner is p else (other, t)
                    return s, apply("mul", *pair)
    return None


@rule("canonicalize", "matmul")
def matmul_scalar_out(op, args, params, shape):
    """(c * A) @ B -> c * (A @ B) and A @ (c * B) -> c * (A @ B), c a scalar.

    The scalar (often ``1/n`` of a mean) then scales the small product instead of
    a whole (d, n) operand: one pass over the data fewer.
    """
    for i in (0, 1):
        found = _scalar_factor(args[i])
        if found is not None:
            c, rest = found
            new = (rest, args[1]) if i == 0 else (args[0], rest)
            out = apply("matmul", *new)
            return apply("mul", c, out) if out.shape == shape else None
    return None


@rule("canonicalize", "sum")
def sum_identities(op, args, params, shape):
    """sum over no axes -> a; sum(broadcast_to(c)) -> (count * c), broadcast."""
    (a,) = args
    if not params.get("axis") and a.shape == shape:
        return a
    c = fill_value(a)
    if c is not None and a.op == "broadcast_to":
        count = size_of([a.shape[ax] for ax in params["axis"]])
        return _broadcast(apply("mul", count, a.args[0]), shape)
    return None


@rule("canonicalize", "prod", "max", "min", "norm")
def reduce_nothing(op, args, params, shape):
    """A reduction over no axes is the identity (abs for norm): max(s) -> s."""
    (a,) = args
    if reduced_axes(params, a.ndim) == () and a.shape == shape:
        return apply("abs", a) if op == "norm" else a
    return None


@rule("canonicalize", "diagonal", "trace")
def diagonal_of_diag(op, args, params, shape):
    """diagonal(diag(v)) -> v; trace(diag(v)) -> sum(v, axis=-1)."""
    (a,) = args
    if a.op != "diag":
        return None
    if op == "diagonal":
        return a.args[0]
    return apply("sum", a.args[0], axis=-1, keepdims=False)
