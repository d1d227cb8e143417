"""Rows of the op table: logsumexp, softmax and log_softmax (issue 12).

All three are computed with the max shift, ``log sum exp(x) = m + log sum exp(x - m)``
with ``m = max(x)``, in the interpreter and in generated code alike, so no finite input
overflows.  Their derivatives are written in terms of the node itself, which keeps them
stable too: d logsumexp / dx = exp(x - logsumexp(x)) (the softmax, every factor <= 1),
the softmax's vjp is ``s * (g - sum(g * s))`` and the log-softmax's is
``g - exp(n) * sum(g)``.

Axes are stored negative, as for every reduction (:mod:`symdiff.ops.util`), so extra
leading (batch) dimensions pass through.
"""

from __future__ import annotations

import numpy as np

from symdiff.core import lazy
from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.spec import defop
from symdiff.ops.reductions import reduce_shape
from symdiff.ops.util import (
    bool_param,
    check_axis,
    check_param_names,
    keeps_dims,
    no_sympy,
    normalize_axes,
    one_axis,
    reduced_axes,
    with_kept_dims,
)

# -- logsumexp -------------------------------------------------------------------------


def _lse_params(args, params):
    check_param_names("logsumexp", params, ("axis", "keepdims"))
    (a,) = args
    out = {}
    axes = normalize_axes(
        "logsumexp", check_axis("logsumexp", params.get("axis")), a.ndim
    )
    if len(axes) != a.ndim:  # every axis is the default, left out
        out["axis"] = axes
    if bool_param("logsumexp", "keepdims", params.get("keepdims", False)):
        out["keepdims"] = True
    return out


def _finite_max(v, axis):
    """max over ``axis`` (kept), 0 where it is not finite (so v - m is no nan)."""
    m = np.max(v, axis=axis, keepdims=True)
    return np.where(np.isfinite(m), m, 0.0)


def _lse_impl(node, v):
    v = np.asarray(v, dtype=np.result_type(v, np.float64))
    axis = reduced_axes(node, node.args[0].ndim)
    m = _finite_max(v, axis)
    with np.errstate(divide="ignore"):  # log(0) = -inf: every entry -inf
        out = np.log(np.sum(np.exp(v - m), axis=axis, keepdims=True)) + m
    return out if keeps_dims(node) else np.squeeze(out, axis=axis)


def _lse_code(node, names):
    # a helper of the generated code (symdiff.codegen.source): the max is needed twice
    # and a template is one expression
    axis = reduced_axes(node, node.args[0].ndim)
    return f"_logsumexp({names[0]}, {axis!r}, {keeps_dims(node)!r})"


def _lse_local(n):
    """d logsumexp / d a = exp(a - logsumexp(a)): the softmax, with a's shape."""
    return apply("exp", n.args[0] - with_kept_dims(n, n))


def _lse_vjp(n, g):
    return (with_kept_dims(n, g) * _lse_local(n),)


def _lse_jvp(n, tangents):
    a = n.args[0]
    return apply(
        "sum",
        tangents[0] * _lse_local(n),
        axis=reduced_axes(n, a.ndim),
        keepdims=keeps_dims(n),
    )


def _lse_sympy(n, a):
    sp = lazy.sympy()
    (x,) = n.args
    if len(reduced_axes(n, x.ndim)) != x.ndim or keeps_dims(n):
        no_sympy(n, "only the logsumexp of every entry converts")
    return sp.log(sp.Add(*[sp.exp(t) for t in _entries(a)]))


def _entries(a):
    """The entries of a SymPy matrix (a MatrixSymbol is made explicit first)."""
    return list(a.as_explicit() if hasattr(a, "as_explicit") else a)


defop(
    "logsumexp",
    1,
    _lse_impl,
    doc="log(sum(exp(x))) over axes, with the max shift (no overflow)",
    elementwise=False,
    check_params=_lse_params,
    shape=reduce_shape,
    vjp=_lse_vjp,
    jvp=_lse_jvp,
    code=_lse_code,
    sympy=_lse_sympy,
)


# -- softmax, log_softmax --------------------------------------------------------------


def _one_axis_params(op):
    def check(args, params):
        check_param_names(op, params, ("axis",))
        (a,) = args
        if a.ndim == 0:
            raise ShapeError(f"{op}: needs at least one dimension, got a scalar")
        axis = one_axis(op, params.get("axis", -1), a.ndim)
        return {} if axis == -1 else {"axis": axis}

    return check


def _axis(node):
    return node.params.get("axis", -1)


def _softmax_impl(node, v):
    ax = _axis(node)
    e = np.exp(v - _finite_max(v, ax))
    return e / np.sum(e, axis=ax, keepdims=True)


def _log_softmax_impl(node, v):
    ax = _axis(node)
    shifted = v - _finite_max(v, ax)
    with np.errstate(divide="ignore"):
        return shifted - np.log(np.sum(np.exp(shifted), axis=ax, keepdims=True))


# helpers of the generated code (symdiff.codegen.source), as for logsumexp: the max
# and exp are needed twice, and a template is one expression
def _softmax_code(node, names):
    return f"_softmax({names[0]}, {_axis(node)})"


def _log_softmax_code(node, names):
    return f"_log_softmax({names[0]}, {_axis(node)})"


def _summed(e, ax):
    return apply("sum", e, axis=ax, keepdims=True)


def _softmax_vjp(n, g):
    return (n * (g - _summed(g * n, _axis(n))),)


def _softmax_jvp(n, tangents):
    t = tangents[0]
    return n * (t - _summed(t * n, _axis(n)))


def _log_softmax_vjp(n, g):
    return (g - apply("exp", n) * _summed(g, _axis(n)),)


def _log_softmax_jvp(n, tangents):
    t = tangents[0]
    return t - _summed(apply("exp", n) * t, _axis(n))


def _vector_sympy(log):
    def to_sympy(n, a):
        sp = lazy.sympy()
        if n.args[0].ndim != 1:
            no_sympy(n, "only vectors convert")
        entries = _entries(a)
        lse = sp.log(sp.Add(*[sp.exp(t) for t in entries]))
        out = [t - lse if log else sp.exp(t - lse) for t in entries]
        return sp.ImmutableMatrix(len(out), 1, out)

    return to_sympy


defop(
    "softmax",
    1,
    _softmax_impl,
    doc="exp(x) / sum(exp(x)) along one axis (max shifted)",
    elementwise=False,
    check_params=_one_axis_params("softmax"),
    shape=lambda op, args, params: args[0].shape,
    vjp=_softmax_vjp,
    jvp=_softmax_jvp,
    code=_softmax_code,
    sympy=_vector_sympy(log=False),
)
defop(
    "log_softmax",
    1,
    _log_softmax_impl,
    doc="x - logsumexp(x) along one axis (max shifted)",
    elementwise=False,
    check_params=_one_axis_params("log_softmax"),
    shape=lambda op, args, params: args[0].shape,
    vjp=_log_softmax_vjp,
    jvp=_log_softmax_jvp,
    code=_log_softmax_code,
    sympy=_vector_sympy(log=True),
)
