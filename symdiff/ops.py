"""THE op table: every operation symdiff knows, defined once.

An entry (:class:`OpSpec`) gives an operation's arity, shape rule, numpy implementation,
derivative, printing and sympy mapping. Every pass (evaluate, diff, print, code
generation, sympy bridge, strategies) reads this table, so adding an operation touches
this file plus its tests; a table-driven test walks every entry.

Derivatives come in one of two forms:

* ``partials(node)`` for elementwise ops: the local partial derivative of the node with
  respect to each argument, as expressions (``None`` for "does not depend"). Reverse
  mode multiplies them by the adjoint, forward mode by the tangents; broadcasting is
  undone once, in the driver (:mod:`symdiff.diff`).
* ``vjp(node, g)`` / ``jvp(node, tangents)`` for structural ops (reductions, reshapes),
  which are linear maps that cannot be written as a pointwise product.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import scipy.special

from symdiff.errors import ShapeError
from symdiff.shapes import broadcast_shapes, check_shape


def elementwise_shape(op, args, params):
    """Shape rule of elementwise ops: numpy broadcasting of the operands."""
    if len(args) == 2:  # the hot path: equal shapes or a scalar operand
        sa, sb = args[0].shape, args[1].shape
        if sa == sb or not sb:
            return sa
        if not sa:
            return sb
        return broadcast_shapes(op, sa, sb)
    return args[0].shape if args else ()


@dataclass
class OpSpec:
    """One row of the op table (see the module docstring)."""

    name: str
    arity: int | None
    impl: Callable  # impl(node, *values) -> numpy value
    doc: str = ""
    shape: Callable = elementwise_shape
    elementwise: bool = True
    partials: Callable | None = None
    vjp: Callable | None = None
    jvp: Callable | None = None
    infix: str | None = None  # binary " + ", unary "-"; None: printed as a call
    prec: int = 100  # printing precedence (higher binds tighter)
    latex: str | None = None  # template over the printed arguments {0}, {1}
    sympy: Callable | None = None  # to_sympy(node, *sympy_args)
    code: str | Callable | None = None  # numpy source: "np.sin({0})" or fn(node, names)
    commutative: bool = False
    smooth: bool = True  # False: has points where the derivative is a documented choice
    domain: str = "real"  # where strategies may evaluate it: real|positive|open_unit
    check_params: Callable | None = None
    canon: list = field(default_factory=list)  # canonicalising rules (symdiff.rules)


OPS: dict[str, OpSpec] = {}


def defop(name, arity, impl, **kw):
    """Register an operation in the table (used only in this module)."""
    spec = OpSpec(name, arity, impl, **kw)
    OPS[name] = spec
    return spec


def _ufunc(f):
    return lambda node, *vals: f(*vals)


# -- leaves ----------------------------------------------------------------------------


def _const_impl(node):
    v = node.attrs[0][1]
    if isinstance(v, float | np.ndarray) or (isinstance(v, int) and abs(v) < 2**53):
        return v
    return float(v)  # Fractions, and ints too big for numpy's integer types


def _symbol_impl(node):
    raise RuntimeError("symbols are bound by the evaluator")  # pragma: no cover


defop("const", 0, _const_impl, doc="a constant", elementwise=False)
defop("symbol", 0, _symbol_impl, doc="a variable", elementwise=False)
defop(
    "pi",
    0,
    lambda node: math.pi,
    doc="the number pi",
    elementwise=False,
    latex=r"\pi",
    sympy=lambda node: _sp().pi,
)


def _sp():
    import sympy

    return sympy


# -- arithmetic ------------------------------------------------------------------------


def _pow_partials(n):
    a, b = n.args
    if b.op == "const" and not b.shape and isinstance(b.attrs[0][1], int | Fraction):
        # the common case, built directly: c*a**(c - 1) (2*a for squares)
        c = b.attrs[0][1]
        return (_A("mul", c, a if c == 2 else _A("pow", a, c - 1)), None)
    da = None if a.op == "const" else b * a ** (b - 1)
    db = None if b.op == "const" else n * _A("log", a)
    return (da, db)


defop(
    "add",
    2,
    _ufunc(np.add),
    doc="addition",
    infix=" + ",
    prec=10,
    commutative=True,
    latex="{0} + {1}",
    partials=lambda n: (1, 1),
    sympy=lambda n, a, b: a + b,
)
defop(
    "sub",
    2,
    _ufunc(np.subtract),
    doc="subtraction",
    infix=" - ",
    prec=10,
    latex="{0} - {1}",
    partials=lambda n: (1, -1),
    sympy=lambda n, a, b: a - b,
)
defop(
    "mul",
    2,
    _ufunc(np.multiply),
    doc="multiplication",
    infix="*",
    prec=20,
    commutative=True,
    latex=r"{0} \cdot {1}",
    partials=lambda n: (n.args[1], n.args[0]),
    sympy=lambda n, a, b: a * b,
)
defop(
    "div",
    2,
    _ufunc(np.true_divide),
    doc="division",
    infix="/",
    prec=20,
    latex=r"\frac{{{0}}}{{{1}}}",
    partials=lambda n: (1 / n.args[1], -(n / n.args[1])),
    sympy=lambda n, a, b: a / b,
)
defop(
    "neg",
    1,
    _ufunc(np.negative),
    doc="negation",
    infix="-",
    prec=30,
    latex="-{0}",
    partials=lambda n: (-1,),
    sympy=lambda n, a: -a,
)
defop(
    "pow",
    2,
    _ufunc(np.power),
    doc="power",
    infix="**",
    prec=40,
    latex="{0}^{{{1}}}",
    partials=_pow_partials,
    sympy=lambda n, a, b: a**b,
)


# -- elementwise functions -------------------------------------------------------------


def _sigmoid(v):
    return scipy.special.expit(v) if not np.iscomplexobj(v) else 1 / (1 + np.exp(-v))


def _softplus(v):
    if np.iscomplexobj(v):
        return np.log1p(np.exp(v))
    return np.logaddexp(0.0, v)


def _heaviside(v):
    return np.heaviside(v, 0.0)


def _erf(v):
    return scipy.special.erf(v)


def _relu(v):
    return np.maximum(v, 0.0)


def _half(x):
    return _A("div", x, 2)


def _fn(
    name,
    f,
    doc,
    partials,
    sympy_name=None,
    smooth=True,
    domain="real",
    latex=None,
    sympy=None,
):
    sp_name = sympy_name or name
    defop(
        name,
        1,
        _ufunc(f),
        doc=doc,
        partials=partials,
        smooth=smooth,
        domain=domain,
        latex=latex or (r"\operatorname{" + name + r"}\left({0}\right)"),
        sympy=sympy or (lambda n, a: getattr(_sp(), sp_name)(a)),
    )


def _A(op, *args, **params):
    """Build a node (late-bound: the op table is defined before Expr exists)."""
    from symdiff.expr import apply

    return apply(op, *args, **params)


_fn(
    "sin",
    np.sin,
    "sine",
    lambda n: (_A("cos", n.args[0]),),
    latex=r"\sin\left({0}\right)",
)
_fn(
    "cos",
    np.cos,
    "cosine",
    lambda n: (-_A("sin", n.args[0]),),
    latex=r"\cos\left({0}\right)",
)
_fn("tan", np.tan, "tangent", lambda n: (1 + n**2,), latex=r"\tan\left({0}\right)")
_fn(
    "asin",
    np.arcsin,
    "inverse sine",
    lambda n: (1 / _A("sqrt", 1 - n.args[0] ** 2),),
    domain="open_unit",
    latex=r"\arcsin\left({0}\right)",
)
_fn(
    "acos",
    np.arccos,
    "inverse cosine",
    lambda n: (-1 / _A("sqrt", 1 - n.args[0] ** 2),),
    domain="open_unit",
    latex=r"\arccos\left({0}\right)",
)
_fn(
    "atan",
    np.arctan,
    "inverse tangent",
    lambda n: (1 / (1 + n.args[0] ** 2),),
    latex=r"\arctan\left({0}\right)",
)
_fn(
    "sinh",
    np.sinh,
    "hyperbolic sine",
    lambda n: (_A("cosh", n.args[0]),),
    latex=r"\sinh\left({0}\right)",
)
_fn(
    "cosh",
    np.cosh,
    "hyperbolic cosine",
    lambda n: (_A("sinh", n.args[0]),),
    latex=r"\cosh\left({0}\right)",
)
_fn(
    "tanh",
    np.tanh,
    "hyperbolic tangent",
    lambda n: (1 - n**2,),
    latex=r"\tanh\left({0}\right)",
)
_fn("exp", np.exp, "exponential", lambda n: (n,), latex=r"e^{{{0}}}")
_fn(
    "log",
    np.log,
    "natural logarithm",
    lambda n: (1 / n.args[0],),
    domain="positive",
    latex=r"\log\left({0}\right)",
)
_fn(
    "log1p",
    np.log1p,
    "log(1 + x), accurate near 0",
    lambda n: (1 / (1 + n.args[0]),),
    domain="positive",
    latex=r"\log\left(1 + {0}\right)",
    sympy=lambda n, a: _sp().log(1 + a),
)
_fn(
    "expm1",
    np.expm1,
    "exp(x) - 1, accurate near 0",
    lambda n: (_A("exp", n.args[0]),),
    latex=r"\left(e^{{{0}}} - 1\right)",
    sympy=lambda n, a: _sp().exp(a) - 1,
)
_fn(
    "sqrt",
    np.sqrt,
    "square root",
    lambda n: (1 / (2 * n),),
    domain="positive",
    latex=r"\sqrt{{{0}}}",
)
_fn(
    "abs",
    np.abs,
    "absolute value (abs'(0) = 0)",
    lambda n: (_A("sign", n.args[0]),),
    sympy_name="Abs",
    smooth=False,
    latex=r"\left|{0}\right|",
)
_fn(
    "sign",
    np.sign,
    "sign (-1, 0 or 1); derivative 0 away from 0",
    lambda n: (None,),
    smooth=False,
    latex=r"\operatorname{{sign}}\left({0}\right)",
)
_fn(
    "heaviside",
    _heaviside,
    "unit step with heaviside(0) = 0",
    lambda n: (None,),
    smooth=False,
    latex=r"\theta\left({0}\right)",
    sympy=lambda n, a: _sp().Heaviside(a, 0),
)
_fn(
    "sigmoid",
    _sigmoid,
    "logistic function 1 / (1 + exp(-x))",
    lambda n: (n * (1 - n),),
    latex=r"\sigma\left({0}\right)",
    sympy=lambda n, a: 1 / (1 + _sp().exp(-a)),
)
_fn(
    "relu",
    _relu,
    "max(x, 0) (relu'(0) = 0)",
    lambda n: (_A("heaviside", n.args[0]),),
    smooth=False,
    latex=r"\operatorname{{relu}}\left({0}\right)",
    sympy=lambda n, a: _sp().Max(a, 0),
)
_fn(
    "softplus",
    _softplus,
    "log(1 + exp(x)), computed stably",
    lambda n: (_A("sigmoid", n.args[0]),),
    latex=r"\operatorname{{softplus}}\left({0}\right)",
    sympy=lambda n, a: _sp().log(1 + _sp().exp(a)),
)
_fn(
    "erf",
    _erf,
    "error function",
    lambda n: (2 * _A("exp", -(n.args[0] ** 2)) / _A("sqrt", _A("pi")),),
    latex=r"\operatorname{{erf}}\left({0}\right)",
)


def _max_partials(n, sign):
    s = _A("sign", n.args[0] - n.args[1])
    # at a tie the gradient is split evenly (sympy's Heaviside(0) = 1/2)
    return (_half(1 + sign * s), _half(1 - sign * s))


defop(
    "maximum",
    2,
    _ufunc(np.maximum),
    doc="elementwise maximum",
    commutative=True,
    smooth=False,
    partials=lambda n: _max_partials(n, 1),
    latex=r"\max\left({0}, {1}\right)",
    sympy=lambda n, a, b: _sp().Max(a, b),
)
defop(
    "minimum",
    2,
    _ufunc(np.minimum),
    doc="elementwise minimum",
    commutative=True,
    smooth=False,
    partials=lambda n: _max_partials(n, -1),
    latex=r"\min\left({0}, {1}\right)",
    sympy=lambda n, a, b: _sp().Min(a, b),
)


# -- structural ops (shapes, reductions) -----------------------------------------------
# Axes are stored as negative numbers counted from the end, so that an argument given
# with extra leading (batch) dimensions is reduced over the same, trailing axes.
# Their vjps live in symdiff/tensor_ops.py with the other tensor ops' (cotangents there
# may carry extra leading dimensions: jacobian seeds a whole identity at once).


def _norm_axes(op, axis, ndim):
    if axis is None:
        return tuple(range(-ndim, 0))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for ax in axes:
        if not isinstance(ax, int) or isinstance(ax, bool) or not -ndim <= ax < ndim:
            raise ShapeError(f"{op}: axis {ax!r} is out of range for {ndim} dimensions")
        out.append(ax - ndim if ax >= 0 else ax)
    if len(set(out)) != len(out):
        raise ShapeError(f"{op}: repeated axis in {axis!r}")
    return tuple(sorted(out))


def _sum_params(args, params):
    (a,) = args
    extra = set(params) - {"axis", "keepdims"}
    if extra:
        raise TypeError(f"sum: unexpected parameter(s) {sorted(extra)}")
    return {
        "axis": _norm_axes("sum", params.get("axis"), a.ndim),
        "keepdims": bool(params.get("keepdims", False)),
    }


def _sum_shape(op, args, params):
    shape = args[0].shape
    n = len(shape)
    axes = {n + ax for ax in params["axis"]}
    if params["keepdims"]:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _sum_impl(node, v):
    p = node.params
    return np.sum(v, axis=p["axis"], keepdims=p["keepdims"])


def _sum_jvp(n, tangents):
    p = n.params
    return _A("sum", tangents[0], axis=p["axis"], keepdims=p["keepdims"])


defop(
    "sum",
    1,
    _sum_impl,
    doc="sum over axes",
    elementwise=False,
    check_params=_sum_params,
    shape=_sum_shape,
    jvp=_sum_jvp,
    latex=r"\sum {0}",
    sympy=None,
)


def _shape_param(op):
    def check(args, params):
        extra = set(params) - {"shape"}
        if extra or "shape" not in params:
            raise TypeError(f"{op}: takes exactly the parameter 'shape'")
        return {"shape": check_shape(params["shape"])}

    return check


def _reshape_shape(op, args, params):
    src, dst = args[0].shape, params["shape"]
    if math.prod(src) != math.prod(dst):
        raise ShapeError(f"reshape: cannot reshape shape {src} to shape {dst}")
    return dst


def _reshape_impl(node, v):
    batch = np.shape(v)[: np.ndim(v) - node.args[0].ndim]
    return np.reshape(v, batch + node.params["shape"])


defop(
    "reshape",
    1,
    _reshape_impl,
    doc="reshape",
    elementwise=False,
    check_params=_shape_param("reshape"),
    shape=_reshape_shape,
    jvp=lambda n, t: _A("reshape", t[0], shape=n.shape),
)


def _broadcast_shape(op, args, params):
    src, dst = args[0].shape, params["shape"]
    if broadcast_shapes("broadcast_to", src, dst) != dst:
        raise ShapeError(f"broadcast_to: cannot broadcast shape {src} to shape {dst}")
    return dst


def _broadcast_impl(node, v):
    batch = np.shape(v)[: np.ndim(v) - node.args[0].ndim]
    src = node.args[0].shape
    # align the operand's own axes under the target's trailing axes
    v = np.reshape(v, batch + (1,) * (len(node.shape) - len(src)) + src)
    return np.broadcast_to(v, batch + node.params["shape"])


def sum_to(g, shape):
    """Sum ``g`` over broadcast axes so that it has ``shape`` (undoes broadcasting)."""
    if g.shape == shape:
        return g
    lead = len(g.shape) - len(shape)
    axes = list(range(lead))
    axes += [lead + i for i, d in enumerate(shape) if d == 1 and g.shape[lead + i] != 1]
    out = _A("sum", g, axis=tuple(axes), keepdims=False)
    return out if out.shape == shape else _A("reshape", out, shape=shape)


defop(
    "broadcast_to",
    1,
    _broadcast_impl,
    doc="broadcast to a shape",
    elementwise=False,
    check_params=_shape_param("broadcast_to"),
    shape=_broadcast_shape,
    jvp=lambda n, t: _A("broadcast_to", t[0], shape=n.shape),
)


# -- numpy source for code generation (symdiff.codegen) -------------------------------
# A template over the argument names {0}, {1}, or a function (node, names) -> source.
# Generated modules import only numpy (as ``np``), so templates are plain numpy.  Axes
# are negative (see above), so the same code serves batched arguments.


def _sum_code(node, names):
    p = node.params
    return f"np.sum({names[0]}, axis={p['axis']!r}, keepdims={p['keepdims']!r})"


def _reshape_code(node, names):
    (a,) = names
    k = node.args[0].ndim
    batch = f"np.shape({a})[:np.ndim({a}) - {k}]"
    return f"np.reshape({a}, {batch} + {node.params['shape']!r})"


def _broadcast_code(node, names):
    (a,) = names
    src, dst = node.args[0].shape, node.params["shape"]
    lead = (1,) * (len(dst) - len(src))
    batch = f"np.shape({a})[:np.ndim({a}) - {len(src)}]"
    return (
        f"np.broadcast_to(np.reshape({a}, {batch} + {lead + src!r}), {batch} + {dst!r})"
    )


_CODE = {
    "pi": "np.pi",
    "add": "{0} + {1}",
    "sub": "{0} - {1}",
    "mul": "{0} * {1}",
    "div": "{0} / {1}",
    "neg": "-{0}",
    "pow": "{0} ** {1}",
    "sin": "np.sin({0})",
    "cos": "np.cos({0})",
    "tan": "np.tan({0})",
    "asin": "np.arcsin({0})",
    "acos": "np.arccos({0})",
    "atan": "np.arctan({0})",
    "sinh": "np.sinh({0})",
    "cosh": "np.cosh({0})",
    "tanh": "np.tanh({0})",
    "exp": "np.exp({0})",
    "log": "np.log({0})",
    "log1p": "np.log1p({0})",
    "expm1": "np.expm1({0})",
    "sqrt": "np.sqrt({0})",
    "abs": "np.abs({0})",
    "sign": "np.sign({0})",
    "heaviside": "np.heaviside({0}, 0.0)",
    # accurate for every x (below -709 exp overflows to inf and 1/inf = 0, the correct
    # rounding), and an order of magnitude faster than exp(-logaddexp(0, -x))
    "sigmoid": "1.0 / (1.0 + np.exp(-{0}))",
    "relu": "np.maximum({0}, 0.0)",
    "softplus": "np.logaddexp(0.0, {0})",
    "maximum": "np.maximum({0}, {1})",
    "minimum": "np.minimum({0}, {1})",
    "sum": _sum_code,
    "reshape": _reshape_code,
    "broadcast_to": _broadcast_code,
    # numpy has no erf: generated code defines `_erf` (symdiff.codegen supplies it)
    "erf": "_erf({0})",
}
for _name, _code in _CODE.items():
    OPS[_name].code = _code
