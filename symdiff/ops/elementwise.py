"""Rows of the op table: elementwise functions (sin ... erf, maximum, minimum).

Every row gives its numpy implementation, local partial derivatives, LaTeX, SymPy form
and numpy code template in one place; ``_fn`` fills in what all unary functions share.
"""

from __future__ import annotations

import numpy as np

from symdiff.core import lazy
from symdiff.core.expr import apply
from symdiff.core.shapes import broadcast_shapes
from symdiff.core.spec import defop
from symdiff.ops.util import ufunc_impl

# exp of a non-positive number only, so no overflow warning at any finite x (with
# 1/(1 + exp(-x)), exp(800) overflows and -W error suites fail): e**min(x,0) over
# 1 + e**-|x| is 1/(1 + e**-x) for x >= 0 and e**x/(1 + e**x) below, both exact
_SIGMOID_CODE = "np.exp(np.minimum({0}, 0.0)) / (1.0 + np.exp(-np.abs({0})))"


def _sigmoid(v):
    return (
        lazy.scipy_special().expit(v)
        if not np.iscomplexobj(v)
        else 1 / (1 + np.exp(-v))
    )


def _softplus(v):
    if np.iscomplexobj(v):
        return np.log1p(np.exp(v))
    return np.logaddexp(0.0, v)


def _sympy_function(op):
    """SymPy's function class for ``op`` (``sympy.codegen.cfunctions``' or ours), so
    that ``from_sympy(to_sympy(e)) is e``; imported on first use (it loads SymPy)."""
    from symdiff.ops.sympy_functions import functions

    return functions()[op]


def _heaviside(v):
    return np.heaviside(v, 0.0)


def _erf(v):
    return lazy.scipy_special().erf(v)


def _relu(v):
    return np.maximum(v, 0.0)


def _half(x):
    return apply("div", x, 2)


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
    code=None,
):
    """Add the row of the unary elementwise function ``name`` (numpy's ``f``), with the
    defaults they share: LaTeX ``\\operatorname{name}``, SymPy's function of the same
    (or ``sympy_name``) name."""
    sp_name = sympy_name or name
    defop(
        name,
        1,
        ufunc_impl(f),
        doc=doc,
        partials=partials,
        smooth=smooth,
        domain=domain,
        latex=latex or (r"\operatorname{" + name + r"}\left({0}\right)"),
        # sympy=False: SymPy has no such function (to_sympy says so)
        sympy=None
        if sympy is False
        else sympy or (lambda n, a: getattr(lazy.sympy(), sp_name)(a)),
        code=code,
    )


_fn(
    "sin",
    np.sin,
    "sine",
    lambda n: (apply("cos", n.args[0]),),
    latex=r"\sin\left({0}\right)",
    code="np.sin({0})",
)
_fn(
    "cos",
    np.cos,
    "cosine",
    lambda n: (-apply("sin", n.args[0]),),
    latex=r"\cos\left({0}\right)",
    code="np.cos({0})",
)
_fn(
    "tan",
    np.tan,
    "tangent",
    lambda n: (1 + n**2,),
    latex=r"\tan\left({0}\right)",
    code="np.tan({0})",
)
_fn(
    "asin",
    np.arcsin,
    "inverse sine",
    lambda n: (1 / apply("sqrt", 1 - n.args[0] ** 2),),
    domain="open_unit",
    latex=r"\arcsin\left({0}\right)",
    code="np.arcsin({0})",
)
_fn(
    "acos",
    np.arccos,
    "inverse cosine",
    lambda n: (-1 / apply("sqrt", 1 - n.args[0] ** 2),),
    domain="open_unit",
    latex=r"\arccos\left({0}\right)",
    code="np.arccos({0})",
)
_fn(
    "atan",
    np.arctan,
    "inverse tangent",
    lambda n: (1 / (1 + n.args[0] ** 2),),
    latex=r"\arctan\left({0}\right)",
    code="np.arctan({0})",
)
_fn(
    "sinh",
    np.sinh,
    "hyperbolic sine",
    lambda n: (apply("cosh", n.args[0]),),
    latex=r"\sinh\left({0}\right)",
    code="np.sinh({0})",
)
_fn(
    "cosh",
    np.cosh,
    "hyperbolic cosine",
    lambda n: (apply("sinh", n.args[0]),),
    latex=r"\cosh\left({0}\right)",
    code="np.cosh({0})",
)
_fn(
    "tanh",
    np.tanh,
    "hyperbolic tangent",
    lambda n: (1 - n**2,),
    latex=r"\tanh\left({0}\right)",
    code="np.tanh({0})",
)
_fn(
    "exp", np.exp, "exponential", lambda n: (n,), latex=r"e^{{{0}}}", code="np.exp({0})"
)
_fn(
    "log",
    np.log,
    "natural logarithm",
    lambda n: (1 / n.args[0],),
    domain="positive",
    latex=r"\log\left({0}\right)",
    code="np.log({0})",
)
_fn(
    "log1p",
    np.log1p,
    "log(1 + x), accurate near 0",
    lambda n: (1 / (1 + n.args[0]),),
    domain="positive",
    latex=r"\log\left(1 + {0}\right)",
    sympy=lambda n, a: _sympy_function("log1p")(a),
    code="np.log1p({0})",
)
_fn(
    "expm1",
    np.expm1,
    "exp(x) - 1, accurate near 0",
    lambda n: (apply("exp", n.args[0]),),
    latex=r"\left(e^{{{0}}} - 1\right)",
    sympy=lambda n, a: _sympy_function("expm1")(a),
    code="np.expm1({0})",
)
_fn(
    "sqrt",
    np.sqrt,
    "square root",
    lambda n: (1 / (2 * n),),
    domain="positive",
    latex=r"\sqrt{{{0}}}",
    code="np.sqrt({0})",
)
_fn(
    "abs",
    np.abs,
    "absolute value (abs'(0) = 0)",
    lambda n: (apply("sign", n.args[0]),),
    sympy_name="Abs",
    smooth=False,
    latex=r"\left|{0}\right|",
    code="np.abs({0})",
)
_fn(
    "sign",
    np.sign,
    "sign (-1, 0 or 1); derivative 0 away from 0",
    lambda n: (None,),
    smooth=False,
    latex=r"\operatorname{{sign}}\left({0}\right)",
    code="np.sign({0})",
)
_fn(
    "heaviside",
    _heaviside,
    "unit step with heaviside(0) = 0",
    lambda n: (None,),
    smooth=False,
    latex=r"\theta\left({0}\right)",
    sympy=lambda n, a: lazy.sympy().Heaviside(a, 0),
    # sign(max(x, 0)): the same values (nan, -0.0 and the dtype too), ~6x faster
    code="np.sign(np.maximum({0}, 0.0))",
)
_fn(
    "sigmoid",
    _sigmoid,
    "logistic function 1 / (1 + exp(-x))",
    lambda n: (n * (1 - n),),
    latex=r"\sigma\left({0}\right)",
    sympy=lambda n, a: _sympy_function("sigmoid")(a),
    code=_SIGMOID_CODE,
)
_fn(
    "relu",
    _relu,
    "max(x, 0) (relu'(0) = 0)",
    lambda n: (apply("heaviside", n.args[0]),),
    smooth=False,
    latex=r"\operatorname{{relu}}\left({0}\right)",
    sympy=lambda n, a: _sympy_function("relu")(a),
    code="np.maximum({0}, 0.0)",
)
_fn(
    "softplus",
    _softplus,
    "log(1 + exp(x)), computed stably",
    lambda n: (apply("sigmoid", n.args[0]),),
    latex=r"\operatorname{{softplus}}\left({0}\right)",
    sympy=lambda n, a: _sympy_function("softplus")(a),
    # as exact as logaddexp(0, x) and 2.5x faster (numpy's logaddexp is slow): the
    # logistic loss's per-call time is mostly this (benchmarks/models.py)
    code="np.maximum({0}, 0.0) + np.log1p(np.exp(-np.abs({0})))",
)
_fn(
    "erf",
    _erf,
    "error function",
    lambda n: (2 * apply("exp", -(n.args[0] ** 2)) / apply("sqrt", apply("pi")),),
    latex=r"\operatorname{{erf}}\left({0}\right)",
    # numpy has no erf: generated code defines `_erf` (symdiff.codegen supplies it)
    code="_erf({0})",
)


def _max_partials(n, sign):
    s = apply("sign", n.args[0] - n.args[1])
    # at a tie the gradient is split evenly (sympy's Heaviside(0) = 1/2)
    return (_half(1 + sign * s), _half(1 - sign * s))


defop(
    "maximum",
    2,
    ufunc_impl(np.maximum),
    doc="elementwise maximum",
    commutative=True,
    smooth=False,
    partials=lambda n: _max_partials(n, 1),
    latex=r"\max\left({0}, {1}\right)",
    sympy=lambda n, a, b: lazy.sympy().Max(a, b),
    code="np.maximum({0}, {1})",
)
defop(
    "minimum",
    2,
    ufunc_impl(np.minimum),
    doc="elementwise minimum",
    commutative=True,
    smooth=False,
    partials=lambda n: _max_partials(n, -1),
    latex=r"\min\left({0}, {1}\right)",
    sympy=lambda n, a, b: lazy.sympy().Min(a, b),
    code="np.minimum({0}, {1})",
)


# -- issue 12: inverse hyperbolics, other bases, erfc, rounding, two-argument ------


def _cfunction(name):
    """SymPy's ``sympy.codegen`` function ``name`` (log2, exp2, hypot, logaddexp):
    named like the op, so :func:`symdiff.from_sympy` maps it back to the same node."""

    def build(n, *a):
        from sympy.codegen import cfunctions, numpy_nodes

        return getattr(cfunctions, name, None) or getattr(numpy_nodes, name)

    return lambda n, *a: build(n)(*a)


def _erfc(v):
    return lazy.scipy_special().erfc(v)


_fn(
    "asinh",
    np.arcsinh,
    "inverse hyperbolic sine",
    lambda n: (1 / apply("sqrt", n.args[0] ** 2 + 1),),
    latex=r"\operatorname{{arsinh}}\left({0}\right)",
    code="np.arcsinh({0})",
)
_fn(
    "acosh",
    np.arccosh,
    "inverse hyperbolic cosine (defined for x >= 1)",
    lambda n: (1 / apply("sqrt", n.args[0] ** 2 - 1),),
    domain="above_one",
    latex=r"\operatorname{{arcosh}}\left({0}\right)",
    code="np.arccosh({0})",
)
_fn(
    "atanh",
    np.arctanh,
    "inverse hyperbolic tangent (defined on (-1, 1))",
    lambda n: (1 / (1 - n.args[0] ** 2),),
    domain="open_unit",
    latex=r"\operatorname{{artanh}}\left({0}\right)",
    code="np.arctanh({0})",
)
_fn(
    "log2",
    np.log2,
    "base-2 logarithm",
    lambda n: (1 / (n.args[0] * apply("log", 2)),),
    domain="positive",
    latex=r"\log_2\left({0}\right)",
    sympy=_cfunction("log2"),
    code="np.log2({0})",
)
_fn(
    "log10",
    np.log10,
    "base-10 logarithm",
    lambda n: (1 / (n.args[0] * apply("log", 10)),),
    domain="positive",
    latex=r"\log_{{10}}\left({0}\right)",
    sympy=_cfunction("log10"),
    code="np.log10({0})",
)
_fn(
    "exp2",
    np.exp2,
    "2 to the power x",
    lambda n: (n * apply("log", 2),),
    latex=r"2^{{{0}}}",
    sympy=_cfunction("exp2"),
    code="np.exp2({0})",
)
_fn(
    "erfc",
    _erfc,
    "complementary error function 1 - erf(x) (scipy's, accurate for large x)",
    lambda n: (-2 * apply("exp", -(n.args[0] ** 2)) / apply("sqrt", apply("pi")),),
    latex=r"\operatorname{{erfc}}\left({0}\right)",
    # numpy has no erfc: generated code defines `_erfc` (symdiff.codegen supplies it;
    # not 1 - erf, whose error is absolute, not relative: erfc(6) = 2e-17 came out 0)
    code="_erfc({0})",
)
for _name, _f, _doc, _latex in (
    ("floor", np.floor, "largest integer <= x", r"\left\lfloor {0} \right\rfloor"),
    ("ceil", np.ceil, "smallest integer >= x", r"\left\lceil {0} \right\rceil"),
    ("round", np.round, "nearest integer, halves to even (numpy's round)", None),
):
    # piecewise constant: the derivative is 0 wherever it exists (away from the
    # jumps), and taken as 0 at the jumps too, as torch and JAX do
    _fn(
        _name,
        _f,
        _doc + "; derivative 0 (at the jumps too)",
        lambda n: (None,),
        smooth=False,
        latex=_latex or r"\operatorname{{round}}\left({0}\right)",
        sympy={"ceil": lambda n, a: lazy.sympy().ceiling(a), "round": False}.get(_name),
        code=f"np.{_name}({{0}})",
    )


def _hypot_partials(n):
    a, b = n.args
    return (a / n, b / n)


def _atan2_partials(n):
    y, x = n.args
    r2 = x**2 + y**2
    return (x / r2, -y / r2)


def _logaddexp_partials(n):
    a, b = n.args
    # exp(a - logaddexp(a, b)) <= 1: never overflows
    return (apply("exp", a - n), apply("exp", b - n))


defop(
    "atan2",
    2,
    ufunc_impl(np.arctan2),
    doc="angle of the point (x, y): atan2(y, x), in (-pi, pi]",
    smooth=False,  # the jump along the negative x axis, and (0, 0)
    partials=_atan2_partials,
    latex=r"\operatorname{{atan2}}\left({0}, {1}\right)",
    sympy=lambda n, y, x: lazy.sympy().atan2(y, x),
    code="np.arctan2({0}, {1})",
)
defop(
    "hypot",
    2,
    ufunc_impl(np.hypot),
    doc="sqrt(a**2 + b**2) without overflow",
    commutative=True,
    smooth=False,  # a cone at (0, 0)
    partials=_hypot_partials,
    latex=r"\operatorname{{hypot}}\left({0}, {1}\right)",
    sympy=_cfunction("hypot"),
    code="np.hypot({0}, {1})",
)
defop(
    "logaddexp",
    2,
    ufunc_impl(np.logaddexp),
    doc="log(exp(a) + exp(b)) without overflow",
    commutative=True,
    partials=_logaddexp_partials,
    latex=r"\log\left(e^{{{0}}} + e^{{{1}}}\right)",
    sympy=_cfunction("logaddexp"),
    code="np.logaddexp({0}, {1})",
)


def _clip_shape(op, args, params):
    return broadcast_shapes(op, *(a.shape for a in args))


def _clip_partials(n):
    x, lo, hi = n.args
    # numpy's clip is minimum(maximum(x, lo), hi), also when lo > hi (then it is hi)
    above = apply("heaviside", apply("maximum", x, lo) - hi)  # the value is hi
    inside = 1 - above
    below = apply("heaviside", lo - x)  # the value is lo, unless above
    # at x == lo or x == hi the gradient goes to x, as torch.clamp's does
    return (inside * (1 - below), inside * below, above)


defop(
    "clip",
    3,
    ufunc_impl(np.clip),
    doc="x limited to [lo, hi] (numpy's clip); the gradient goes to x at the ends",
    shape=_clip_shape,
    smooth=False,
    partials=_clip_partials,
    latex=r"\operatorname{{clip}}\left({0}, {1}, {2}\right)",
    # Min(Max(x, lo), hi) in a function of its own: it converts back to clip
    sympy=lambda n, x, lo, hi: _sympy_function("clip")(x, lo, hi),
    code="np.clip({0}, {1}, {2})",
)
