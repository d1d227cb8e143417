"""Rows of the op table: reductions (sum, prod, max, min, norm) and cumsum.

Reduced axes are stored negative, so an operand given with extra leading (batch)
dimensions is reduced over the same, trailing axes.  A reduction's derivative is its
``local`` derivative with the operand's shape times the cotangent with the reduced
axes kept (:func:`symdiff.ops.util.with_kept_dims`), so one pair of helpers serves
prod, max, min and norm.
"""

from __future__ import annotations

import numpy as np

from symdiff.core import lazy
from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.spec import defop
from symdiff.ops.util import (
    bool_param,
    check_axis,
    check_param_names,
    cotangent_lead,
    keeps_dims,
    no_sympy,
    normalize_axes,
    one_axis,
    reduced_axes,
    with_kept_dims,
)

_INF = float("inf")


# -- sum ------------------------------------------------------------------------------


def _sum_params(args, params):
    (a,) = args
    extra = set(params) - {"axis", "keepdims"}
    if extra:
        raise TypeError(f"sum: unexpected parameter(s) {sorted(extra)}")
    return {
        "axis": normalize_axes("sum", params.get("axis"), a.ndim),
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


def _sum_vjp(n, g):
    (a,) = n.args
    return (
        apply(
            "broadcast_to", with_kept_dims(n, g), shape=cotangent_lead(g, n) + a.shape
        ),
    )


def _sum_code(node, names):
    p = node.params
    return f"np.sum({names[0]}, axis={p['axis']!r}, keepdims={p['keepdims']!r})"


def _sympy_sum_all(m, shape):
    """The sum of every entry of the SymPy matrix ``m`` (a tensor of ``shape``)."""
    sp = lazy.sympy()
    rows, cols = m.shape
    return (sp.OneMatrix(1, rows) * m * sp.OneMatrix(cols, 1))[0, 0]


def _sympy_sum(n, a):
    """SymPy form of ``sum`` over a vector or a matrix (row sums are a column)."""
    sp = lazy.sympy()
    (x,) = n.args
    axes = reduced_axes(n, x.ndim)
    if x.ndim > 2:
        no_sympy(n)
    if len(axes) == x.ndim:
        if keeps_dims(n):
            return sp.ImmutableMatrix([[_sympy_sum_all(a, x.shape)]])
        return _sympy_sum_all(a, x.shape)
    rows, cols = a.shape
    if axes == (-1,):  # row sums: a column, also for keepdims (shape (m, 1))
        return a * sp.OneMatrix(cols, 1)
    if keeps_dims(n):  # column sums kept as a row (shape (1, n))
        return sp.OneMatrix(1, rows) * a
    return a.T * sp.OneMatrix(rows, 1)


def _sum_jvp(n, tangents):
    p = n.params
    return apply("sum", tangents[0], axis=p["axis"], keepdims=p["keepdims"])


defop(
    "sum",
    1,
    _sum_impl,
    doc="sum over axes",
    elementwise=False,
    check_params=_sum_params,
    shape=_sum_shape,
    vjp=_sum_vjp,
    jvp=_sum_jvp,
    code=_sum_code,
    sympy=_sympy_sum,
)


# -- cumsum ----------------------------------------------------------------------------


def _cumsum_params(args, params):
    check_param_names("cumsum", params, ("axis", "reverse"))
    (a,) = args
    axis = one_axis("cumsum", params.get("axis", -1), a.ndim)
    out = {} if axis == -1 else {"axis": axis}
    if bool_param("cumsum", "reverse", params.get("reverse", False)):
        out["reverse"] = True
    return out


def _cumsum_shape(op, args, params):
    if args[0].ndim == 0:
        raise ShapeError("cumsum: needs at least one dimension, got a scalar")
    return args[0].shape


def _cumsum_impl(node, v):
    ax = node.params.get("axis", -1)
    if node.params.get("reverse"):
        return np.flip(np.cumsum(np.flip(v, ax), axis=ax), ax)
    return np.cumsum(v, axis=ax)


def _cumsum_code(node, names):
    ax = node.params.get("axis", -1)
    if node.params.get("reverse"):
        return f"np.flip(np.cumsum(np.flip({names[0]}, {ax}), axis={ax}), {ax})"
    return f"np.cumsum({names[0]}, axis={ax})"


def _cumsum_vjp(n, g):
    ax = n.params.get("axis", -1)
    return (apply("cumsum", g, axis=ax, reverse=not n.params.get("reverse", False)),)


defop(
    "cumsum",
    1,
    _cumsum_impl,
    doc="cumulative sum along an axis (reverse=True: from the end)",
    elementwise=False,
    check_params=_cumsum_params,
    shape=_cumsum_shape,
    vjp=_cumsum_vjp,
    jvp=lambda n, t: apply("cumsum", t[0], **n.params),
    code=_cumsum_code,
)


# -- prod, max, min, norm -------------------------


def _reduce_params(op, extra=()):
    allowed = ("axis", "keepdims", *extra)

    def check(args, params):
        check_param_names(op, params, allowed)
        (a,) = args
        out = {}
        axes = normalize_axes(op, check_axis(op, params.get("axis")), a.ndim)
        if len(axes) != a.ndim:
            out["axis"] = axes
        if bool_param(op, "keepdims", params.get("keepdims", False)):
            out["keepdims"] = True
        return out

    return check


def reduce_shape(op, args, params):
    """Shape rule of a reduction over ``params``' axes (kept as 1s with keepdims)."""
    shape = args[0].shape
    n = len(shape)
    axes = {n + ax for ax in reduced_axes(params, n)}
    if keeps_dims(params):
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _reduction_vjp(local):
    return lambda n, g: (apply("mul", with_kept_dims(n, g), local(n)),)


def _reduction_jvp(local):
    def jvp(n, t):
        (a,) = n.args
        return apply(
            "sum",
            apply("mul", t[0], local(n)),
            axis=reduced_axes(n, a.ndim),
            keepdims=keeps_dims(n),
        )

    return jvp


def _reduction_kwargs(node):
    k = node.args[0].ndim
    return {"axis": reduced_axes(node, k), "keepdims": keeps_dims(node)}


def _reduction_impl(fn):
    return lambda node, v: fn(v, **_reduction_kwargs(node))


def _reduction_code(name):
    def code(node, names):
        kw = _reduction_kwargs(node)
        return f"{name}({names[0]}, axis={kw['axis']!r}, keepdims={kw['keepdims']!r})"

    return code


def _argmax_share(n, v):
    """Where ``v`` (shape of the operand) equals the reduced value, 1/(number of ties);
    elsewhere 0: the derivative of max/min, splitting ties evenly as maximum does."""
    (a,) = n.args
    hit = 1 - apply("sign", apply("abs", v - with_kept_dims(n, n)))
    count = apply("sum", hit, axis=reduced_axes(n, a.ndim), keepdims=True)
    return hit / count


def _reduction(name, fn, doc, local, smooth=True):
    defop(
        name,
        1,
        _reduction_impl(fn),
        doc=doc,
        elementwise=False,
        smooth=smooth,
        check_params=_reduce_params(name),
        shape=reduce_shape,
        vjp=_reduction_vjp(local),
        jvp=_reduction_jvp(local),
        code=_reduction_code(f"np.{name}"),
    )


_reduction(
    "prod",
    np.prod,
    "product over axes (its derivative divides by the entries: nan at zeros)",
    lambda n: with_kept_dims(n, n) / n.args[0],
)
_reduction(
    "max",
    np.max,
    "maximum over axes (ties share the derivative evenly)",
    lambda n: _argmax_share(n, n.args[0]),
    smooth=False,
)
_reduction(
    "min",
    np.min,
    "minimum over axes (ties share the derivative evenly)",
    lambda n: _argmax_share(n, n.args[0]),
    smooth=False,
)


# norm: the entrywise p-norm over the given axes; the public function maps numpy's
# spellings (ord=None, 'fro') onto it.


def _ord(node_or_params):
    params = getattr(node_or_params, "params", node_or_params)
    return params.get("ord", 2)


def _norm_params(args, params):
    out = _reduce_params("norm", ("ord",))(args, {k: v for k, v in params.items()})
    p = params.get("ord", 2)
    if p is None:
        p = 2
    if isinstance(p, bool | np.bool_) or not isinstance(p, int | float | np.number):
        raise ValueError(f"norm: ord must be a number > 0 or inf, got {p!r}")
    p = float(p)
    if not p > 0:
        raise ValueError(f"norm: ord must be > 0 (or inf), got {p!r}")
    if p != _INF and p == int(p):
        p = int(p)
    if p != 2:
        out["ord"] = p
    return out


def _norm_impl(node, v):
    kw = _reduction_kwargs(node)
    p = _ord(node)
    if p == 2:
        return np.sqrt(np.sum(np.abs(v) ** 2, **kw))
    if p == 1:
        return np.sum(np.abs(v), **kw)
    if p == _INF:
        return np.max(np.abs(v), **kw)
    return np.sum(np.abs(v) ** p, **kw) ** (1.0 / p)


def _norm_code(node, names):
    kw = _reduction_kwargs(node)
    p = _ord(node)
    a = names[0]
    args = f"axis={kw['axis']!r}, keepdims={kw['keepdims']!r}"
    if p == 2:
        return f"np.sqrt(np.sum(np.abs({a}) ** 2, {args}))"
    if p == 1:
        return f"np.sum(np.abs({a}), {args})"
    if p == _INF:
        return f"np.max(np.abs({a}), {args})"
    return f"np.sum(np.abs({a}) ** {p!r}, {args}) ** {1.0 / p!r}"


def _norm_local(n):
    """d norm / d a, with the operand's shape."""
    (a,) = n.args
    p = _ord(n)
    nk = with_kept_dims(n, n)
    if p == 2:
        return a / nk
    s = apply("sign", a)
    if p == 1:
        return s
    if p == _INF:
        return s * _argmax_share(n, apply("abs", a))
    return s * apply("abs", a) ** (p - 1) / nk ** (p - 1)


def _sympy_norm(n, a):
    sp = lazy.sympy()
    p = _ord(n)
    (x,) = n.args
    if p == _INF or keeps_dims(n) or len(reduced_axes(n, x.ndim)) != x.ndim:
        return no_sympy(n, "only full (every-axis) finite-p norms convert")
    q = sp.Integer(p) if isinstance(p, int) else sp.Float(p)
    return _sympy_sum_all(a.applyfunc(lambda t: sp.Abs(t) ** q), x.shape) ** (1 / q)


defop(
    "norm",
    1,
    _norm_impl,
    doc="entrywise p-norm over axes (p = 2 by default; 1, any p > 0, or inf)",
    elementwise=False,
    smooth=False,
    check_params=_norm_params,
    shape=reduce_shape,
    vjp=_reduction_vjp(_norm_local),
    jvp=_reduction_jvp(_norm_local),
    code=_norm_code,
    sympy=_sympy_norm,
)
