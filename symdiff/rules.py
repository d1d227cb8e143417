"""Rewrite rules as named data, registered into two phases.

``canonicalize`` rules run inside :func:`symdiff.expr.apply` every time a node is built.
They are cheap and local (constant folding, ``x + 0``, ``--x``, sign normalisation), so
equal expressions built different ways meet in one canonical node, derivatives come out
lightly simplified, and ``parse(str(e)) is e``.

``simplify`` rules run only in :func:`symdiff.simplify`: collecting like terms and
powers over whole sums and products, and inverse pairs such as ``log(exp(x))``.

A canonicalising rule is ``fn(op, args, params, shape) -> Expr | None`` and a simplify
rule ``fn(node) -> Expr | None`` (``None``: does not apply).  Its guard is the explicit
condition at its top.  No rule may change a value at a point where
its input is defined; identities that hold only on part of the domain say so.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from symdiff import tensor_ops  # noqa: F401  (tensor ops join the table before rules)
from symdiff.expr import apply, const
from symdiff.ops import OPS
from symdiff.tensor_ops import fill_value, is_identity, is_zero, red_axes, zeros


@dataclass(frozen=True)
class Rule:
    """A named rewrite rule: ``fn`` applies to nodes whose op is in ``ops``."""

    name: str
    phase: str
    ops: tuple
    fn: object
    doc: str


RULES: list[Rule] = []
SIMPLIFY_RULES: dict[str, list] = {}


def rule(phase, *ops):
    """Register ``fn`` as a rule of ``phase`` for the given ops."""

    def register(fn):
        RULES.append(Rule(fn.__name__, phase, ops, fn, (fn.__doc__ or "").strip()))
        for op in ops:
            if phase == "canonicalize":
                OPS[op].canon.append(fn)
            else:
                SIMPLIFY_RULES.setdefault(op, []).append(fn)
        return fn

    return register


# -- predicates ------------------------------------------------------------------------


def _scalar_const(e):
    return e.op == "const" and not e.shape


def _exact(v):
    return isinstance(v, int | Fraction)


def _is(e, number):
    """``e`` is the scalar constant ``number`` (exactly 0 or 1, int or float)."""
    return e.op == "const" and not e.shape and e.attrs[0][1] == number


def _negative(e):
    return _scalar_const(e) and e.attrs[0][1] < 0


ZERO = const(0)
ONE = const(1)


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
    if not OPS[op].elementwise and math.prod(shape) > max(
        [1] + [math.prod(a.shape) for a in args]
    ):
        return None  # folding would only grow constants (broadcast_to, diag, ...)
    vals = [a.attrs[0][1] for a in args]
    if all(_exact(v) for v in vals):
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
            _Probe(args, params, shape),
            *[v if isinstance(v, np.ndarray) else np.float64(v) for v in vals],
        )
    out = np.asarray(out)
    if out.dtype.kind not in "biuf" or not np.all(np.isfinite(out)):
        return None
    return const(out if out.ndim else out.item())


class _Probe:
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
    if _is(a, 0) and _fits(b, shape):
        return b
    if _is(b, 0) and _fits(a, shape):
        return a
    if a is b:
        return apply("mul", 2, a)
    for p, q in ((a, b), (b, a)):
        if q.op == "neg":
            return apply("sub", p, q.args[0])
        if _negative(q):
            return apply("sub", p, -q.attrs[0][1])
        if q.op == "mul" and _negative(q.args[0]):
            return apply("sub", p, apply("mul", -q.args[0].attrs[0][1], q.args[1]))
    return None


@rule("canonicalize", "sub")
def sub_identities(op, args, params, shape):
    """x - 0 -> x; 0 - x -> -x; x - x -> 0; a - (-b) -> a + b; a - (-c) -> a + c."""
    a, b = args
    if _is(b, 0) and _fits(a, shape):
        return a
    if _is(a, 0) and _fits(b, shape):
        return apply("neg", b)
    if a is b and not shape:
        return ZERO
    if b.op == "neg":
        return apply("add", a, b.args[0])
    if _negative(b):
        return apply("add", a, -b.attrs[0][1])
    if b.op == "mul" and _negative(b.args[0]):
        return apply("add", a, apply("mul", -b.args[0].attrs[0][1], b.args[1]))
    return None


@rule("canonicalize", "neg")
def neg_identities(op, args, params, shape):
    """--x -> x; -(c*x) -> (-c)*x; -(a - b) -> b - a."""
    (a,) = args
    if a.op == "neg":
        return a.args[0]
    if a.op == "mul" and _scalar_const(a.args[0]):
        return apply("mul", -a.args[0].attrs[0][1], a.args[1])
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
    if _is(a, 1) and _fits(b, shape):
        return b
    if _is(a, 0) and _fits(a, shape):
        return a
    if _is(a, -1):
        return apply("neg", b)
    if a is b:
        return apply("pow", a, 2)
    if _scalar_const(a):
        c = a.attrs[0][1]
        if b.op == "mul" and _scalar_const(b.args[0]):
            return apply("mul", c * b.args[0].attrs[0][1], b.args[1])
        if b.op == "neg":
            return apply("mul", -c, b.args[0])
        return None
    for p, q in ((a, b), (b, a)):
        if q.op == "neg":
            return apply("neg", apply("mul", p, q.args[0]))
        if q.op == "mul" and _scalar_const(q.args[0]):
            # pull the coefficient out: x*(3*y) -> 3*(x*y)
            return apply("mul", q.args[0], apply("mul", p, q.args[1]))
        if q.op == "div" and _scalar_const(q.args[0]) and _fits(q, shape):
            # x*(c/y) -> c*(x/y), and so x*(1/y) -> x/y
            return apply("mul", q.args[0], apply("div", p, q.args[1]))
    return None


@rule("canonicalize", "div")
def div_identities(op, args, params, shape):
    """x/1 -> x; x/c -> (1/c)*x for exact c; c/x -> c*(1/x); signs move in front."""
    a, b = args
    if _is(b, 1) and _fits(a, shape):
        return a
    if _scalar_const(b) and _exact(b.attrs[0][1]) and b.attrs[0][1] != 0:
        return apply("mul", Fraction(1) / b.attrs[0][1], a)
    if _scalar_const(a) and not _is(a, 1) and b.op != "const" and _fits(b, shape):
        # one form for a constant over x, so the coefficient gathers like any other
        return apply("mul", a, apply("div", 1, b))
    if a is b and not shape:
        return ONE
    if a.op == "neg":
        return apply("neg", apply("div", a.args[0], b))
    if b.op == "neg":
        return apply("neg", apply("div", a, b.args[0]))
    if a.op == "mul" and _scalar_const(a.args[0]):
        return apply("mul", a.args[0], apply("div", a.args[1], b))
    if a.op == "div" and _fits(a, shape):
        return apply("div", a.args[0], apply("mul", a.args[1], b))  # a/b/c -> a/(b*c)
    return None


# -- pow and functions -----------------------------------------------------------------


@rule("canonicalize", "pow")
def pow_identities(op, args, params, shape):
    """x**1 -> x; x**0 -> 1; 1**x -> 1; (x**a)**b -> x**(a*b) for integers a, b."""
    a, b = args
    if _is(b, 1) and _fits(a, shape):
        return a
    if _is(b, 0) and not shape:
        return ONE
    if _is(a, 1) and not shape:
        return ONE
    if (
        a.op == "pow"
        and _scalar_const(b)
        and isinstance(b.attrs[0][1], int)
        and _scalar_const(a.args[1])
        and isinstance(a.args[1].attrs[0][1], int)
    ):
        return apply("pow", a.args[0], a.args[1].attrs[0][1] * b.attrs[0][1])
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


# -- simplify phase --------------------------------------------------------------------


def _coeff_term(e):
    """Split ``e`` into (numeric coefficient, term) with e == coefficient * term."""
    if e.op == "const" and not e.shape:
        return e.attrs[0][1], ONE
    if e.op == "mul" and _scalar_const(e.args[0]):
        return e.args[0].attrs[0][1], e.args[1]
    if e.op == "neg":
        c, t = _coeff_term(e.args[0])
        return -c, t
    return 1, e


def _flatten(root, ops, sign_op=None):
    """Operands of a cluster of ``ops`` below ``root``, with signs (iterative)."""
    out, stack = [], [(root, 1)]
    while stack:
        e, s = stack.pop()
        if e.op in ops and e.shape == root.shape:
            a, b = e.args
            stack.append((b, -s if e.op == sign_op else s))
            stack.append((a, s))
        elif sign_op == "sub" and e.op == "neg" and e.shape == root.shape:
            stack.append((e.args[0], -s))
        else:
            out.append((e, s))
    return out


def _build_chain(op, items):
    acc = items[0]
    for it in items[1:]:
        acc = apply(op, acc, it)
    return acc


@rule("simplify", "add", "sub")
def collect_like_terms(root):
    """2*x + 3*x -> 5*x, x - x -> 0, constants summed, over a whole sum."""
    parts = _flatten(root, ("add", "sub"), "sub")
    if len(parts) < 2:
        return None
    coeffs: dict = {}
    for e, s in parts:
        c, t = _coeff_term(e)
        coeffs[t] = coeffs.get(t, 0) + s * c
    if len(coeffs) == len(parts):
        return None  # nothing to collect
    terms = []
    for t in sorted(coeffs, key=lambda t: t.key):
        c = coeffs[t]
        if c != 0:
            terms.append(const(c) if t is ONE else apply("mul", c, t))
    if not terms:
        return ZERO if not root.shape else None
    out = _build_chain("add", terms)
    return out if out.shape == root.shape else None


def _base_exp(e):
    """Split ``e`` into (base, exponent) with e == base**exponent."""
    if e.op == "pow":
        return e.args[0], e.args[1]
    if e.op == "sqrt":
        return e.args[0], const(Fraction(1, 2))
    return e, ONE


@rule("simplify", "mul", "div")
def collect_powers(root):
    """x*x*x -> x**3, x**a * x**b -> x**(a+b), x/x -> 1, over a whole product."""
    parts = _flatten(root, ("mul", "div"), "div")
    if len(parts) < 2:
        return None
    coeff, exps, order = 1, {}, []
    for e, s in parts:
        if _scalar_const(e) and (s == 1 or e.attrs[0][1] != 0):
            v = e.attrs[0][1]
            coeff = (
                coeff * v
                if s == 1
                else (coeff * (Fraction(1) / v if _exact(v) else 1 / v))
            )
            continue
        base, ex = _base_exp(e)
        if base not in exps:
            exps[base] = []
            order.append(base)
        exps[base].append(ex if s == 1 else apply("neg", ex))
    n_consts = len(parts) - sum(len(v) for v in exps.values())
    if len(order) == len(parts) - n_consts and n_consts <= 1:
        return None  # no two factors share a base: nothing to combine
    factors = []
    for base in sorted(order, key=lambda b: b.key):
        ex = _build_chain("add", exps[base])
        factors.append(apply("pow", base, ex))
    out = _build_chain("mul", factors) if factors else ONE
    out = apply("mul", coeff, out)
    return out if out.shape == root.shape else None


_INVERSES = {  # f(g(x)) -> x; the comment says where that holds
    ("log", "exp"): "all real x",
    ("exp", "log"): "x > 0, where log(x) is defined",
    ("log1p", "expm1"): "all real x",
    ("expm1", "log1p"): "x > -1, where log1p(x) is defined",
    ("tan", "atan"): "all real x",
    ("sin", "asin"): "|x| <= 1, where asin(x) is defined",
    ("cos", "acos"): "|x| <= 1, where acos(x) is defined",
}


@rule("simplify", *sorted({f for f, _ in _INVERSES}))
def inverse_pairs(root):
    """log(exp(x)) -> x, exp(log(x)) -> x, tan(atan(x)) -> x, ... (see _INVERSES)."""
    (a,) = root.args
    if (root.op, a.op) in _INVERSES:
        return a.args[0]
    return None


@rule("simplify", "sqrt")
def sqrt_of_square(root):
    """sqrt(x**2) -> |x|."""
    (a,) = root.args
    if a.op == "pow" and _is(a.args[1], 2):
        return apply("abs", a.args[0])
    return None


@rule("simplify", "pow")
def power_of_sqrt(root):
    """sqrt(x)**2 -> x (where sqrt(x) is defined); (x**2)**(1/2) -> |x|."""
    a, b = root.args
    if a.op == "sqrt" and _is(b, 2):
        return a.args[0]
    if (
        a.op == "pow"
        and _is(a.args[1], 2)
        and _scalar_const(b)
        and (b.attrs[0][1] == Fraction(1, 2))
    ):
        return apply("abs", a.args[0])
    return None


@rule("simplify", "log")
def log_of_power(root):
    """log(x**n) -> n*log(x) for odd integer n, n*log(|x|) for even n."""
    (a,) = root.args
    n = a.args[1].attrs[0][1] if a.op == "pow" and _scalar_const(a.args[1]) else None
    if isinstance(n, int):
        base = a.args[0] if n % 2 else apply("abs", a.args[0])
        return apply("mul", n, apply("log", base))
    return None


# -- tensors ---------------------------------------------------------------------------
# Zeros and ones are ``broadcast_to(c, shape)`` nodes and the identity matrix is
# ``diag(broadcast_to(1, (n,)))`` (see symdiff.tensor_ops), so these rules recognise
# them structurally, in O(1), without looking at array contents.

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
    reshape(c) and reshape(broadcast_to(c)) -> broadcast_to(c) for a scalar c."""
    (a,) = args
    if a.shape == shape:
        return a
    if a.op == "reshape":
        return apply("reshape", a.args[0], shape=shape)
    if fill_value(a) is not None:
        return apply("broadcast_to", a.args[0] if a.shape else a, shape=shape)
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
    """x * broadcast_to(c) -> c * x; 0 * x -> zeros; diag(v) * w -> diag(v * w)."""
    a, b = args
    for p, q in ((a, b), (b, a)):
        c = fill_value(p)
        if c is not None and (p.shape or q.shape != shape):
            if c == 0:
                return zeros(shape)
            if p.op == "broadcast_to" and q.shape == shape:
                return q if c == 1 else apply("mul", c, q)
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


@rule("canonicalize", "sum")
def sum_identities(op, args, params, shape):
    """sum over no axes -> a; sum(broadcast_to(c)) -> (count * c), broadcast."""
    (a,) = args
    if not params.get("axis") and a.shape == shape:
        return a
    c = fill_value(a)
    if c is not None and a.op == "broadcast_to":
        count = math.prod(a.shape[ax] for ax in params["axis"])
        return _broadcast(apply("mul", count, a.args[0]), shape)
    return None


@rule("canonicalize", "prod", "max", "min", "norm")
def reduce_nothing(op, args, params, shape):
    """A reduction over no axes is the identity (abs for norm): max(s) -> s."""
    (a,) = args
    if red_axes(params, a.ndim) == () and a.shape == shape:
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


@rule("simplify", "matmul")
def vector_times_matrix(root):
    """x @ M -> M.T @ x for a vector x: products meet in one (column) form."""
    a, b = root.args
    if a.ndim == 1 and b.ndim == 2:
        return apply("matmul", apply("transpose", b), a)
    return None


@rule("simplify", "add", "sub")
def factor_matmul(root):
    """A @ x + B @ x -> (A + B) @ x and x @ A + x @ B -> x @ (A + B), over a sum."""
    parts = _flatten(root, ("add", "sub"), "sub")
    if len(parts) < 2:
        return None
    split = []
    for e, s in parts:
        c, t = _coeff_term(e)
        split.append((s * c, t))
    for side in (1, 0):  # group by the shared right operand first, then the left
        groups: dict = {}
        for i, (_, t) in enumerate(split):
            if t.op == "matmul" and t.shape == root.shape:
                key = (t.args[side], t.args[1 - side].shape)
                groups.setdefault(key, []).append(i)
        groups = {k: v for k, v in groups.items() if len(v) > 1}
        if not groups:
            continue
        used = set()
        terms = []
        for (shared, _), idxs in groups.items():
            other = _build_chain(
                "add",
                [apply("mul", split[i][0], split[i][1].args[1 - side]) for i in idxs],
            )
            pair = (other, shared) if side == 1 else (shared, other)
            terms.append(apply("matmul", *pair))
            used.update(idxs)
        terms += [apply("mul", c, t) for i, (c, t) in enumerate(split) if i not in used]
        out = _build_chain("add", terms)
        return out if out.shape == root.shape else None
    return None
