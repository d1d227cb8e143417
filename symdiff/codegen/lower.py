"""Lowering before code generation: rewrite a DAG into cheaper numpy for one purpose,
computing values.

The rules here are not canonical forms: they are kept out of ``apply``'s rules (which
every printed, simplified and differentiated expression goes through) and run only
on the DAG the code writer is about to print.  Each rule replaces a node by an
equal-valued expression in the table's primitive ops, chosen so that work is shared
or memory is read in order:

* ``sigmoid(z)`` and ``softplus(z)`` share one ``e = exp(-|z|)`` (the op rows' stable
  templates compute it, or ``exp(min(z, 0))``, separately: three exponentials in a
  logistic loss and its gradient where one does), as a careful hand-written loss does:
  ``sigmoid = where(z >= 0, 1, e) / (1 + e)``, ``softplus = max(z, 0) + log1p(e)``.
  Both are free of overflow for every float (``e <= 1``).
* ``sigmoid(z) * (1 - sigmoid(z))`` (the derivative rule's product, in every logistic
  Hessian) is ``e / (1 + e)**2``: no cancellation in ``1 - s``, fewer passes.
* ``relu(x)`` and ``heaviside(x)`` (relu's derivative) share ``maximum(x, 0)``, so
  the backward pass of a ReLU layer reads its forward activation instead of making
  it again.
* ``c*x - c*y`` and ``c*x + c*y`` with one scalar ``c`` become ``c*(x -+ y)``: a
  gradient of a mean comes out as ``(1/n)*p - (1/n)*y``; factored, the scalar then
  leaves a following matmul (``apply``'s ``matmul_scalar_out`` rule) and scales the
  small product instead of two length-n vectors; ``sum(c * x)`` is ``c * sum(x)``
  for the same reason.
* ``v * B.T`` with ``v`` a vector and ``B`` a matrix becomes ``(v[:, None] * B).T``:
  the product is made in ``B``'s own memory order and the transpose stays a view
  (BLAS reads it as is), where the broadcast against the transposed ``B`` read ``B``
  with a stride of a row per element (the Gauss-Newton ``X.T diag(s) X``).

The pass is one loop over a topological order (no recursion); it rebuilds only nodes
whose operands changed, so a DAG with nothing to lower costs one dictionary lookup
per node.
"""

from __future__ import annotations

from symdiff.core.expr import apply, with_args
from symdiff.rewrite.predicates import is_number

__all__ = ["LOWERED_OPS", "lower_for_code"]


def _shared_exp(z):
    """``exp(-|z|)``: one node per ``z`` (interned), so every rule shares it."""
    return apply("exp", apply("neg", apply("abs", z)))


def _sigmoid(node, args, new):
    (z,) = args
    if z.op == "const":  # the comparison would fold to a number, not a mask
        return None
    e = _shared_exp(z)
    positive = apply("greater_equal", z, 0.0)
    return apply("div", apply("where", positive, 1.0, e), 1.0 + e)


def _softplus(node, args, new):
    (z,) = args
    return apply("add", apply("maximum", z, 0.0), apply("log1p", _shared_exp(z)))


def _relu(node, args, new):
    return apply("maximum", args[0], 0.0)


def _heaviside(node, args, new):
    """sign(relu(x)): the template's own formula, sharing relu's node."""
    return apply("sign", apply("maximum", args[0], 0.0))


def _sigmoid_of_complement(a, b):
    """z when ``a`` is ``1 - sigmoid(z)`` and ``b`` is that ``sigmoid(z)``."""
    if a.op == "sub" and is_number(a.args[0], 1) and a.args[1] is b:
        return b.args[0] if b.op == "sigmoid" else None
    return None


def _scalar_times(e, shape):
    """(c, x) when ``e`` is ``c * x`` with ``c`` a scalar and ``x`` of ``shape``,
    also from ``(c * a) * b`` (``x = a * b``, interned: the same node wherever it is
    made, so a product the code needs elsewhere is shared)."""
    if e.op != "mul" or e.shape != shape:
        return None
    p, q = e.args
    for s, t in ((p, q), (q, p)):
        if not s.shape and t.shape == shape:
            return s, t
    for inner, other in ((p, q), (q, p)):
        if inner.op == "mul" and inner.shape == shape:
            for s, t in (inner.args, inner.args[::-1]):
                if not s.shape and t.shape == shape:
                    return s, apply("mul", t, other)
    return None


def _mul(node, args, new):
    old_a, old_b = node.args
    for a, b in ((old_a, old_b), (old_b, old_a)):
        z = _sigmoid_of_complement(a, b)
        if z is not None:  # s * (1 - s) = e / (1 + e)**2, either sign of z
            e = _shared_exp(new[z])
            return apply("div", e, apply("pow", 1.0 + e, 2))
    for v, t in (args, args[::-1]):
        if (
            t.op == "transpose"
            and len(v.shape) == 1
            and len(t.shape) == 2
            and v.shape[0] == t.shape[1]
        ):  # v * B.T -> (v[:, None] * B).T
            column = apply("reshape", v, shape=(v.shape[0], 1))
            return apply("transpose", apply("mul", column, t.args[0]))
    return None


def _add_or_sub(node, args, new):
    shape = node.shape
    left = _scalar_times(args[0], shape)
    right = _scalar_times(args[1], shape)
    if left is None or right is None or left[0] is not right[0]:
        return None
    return apply("mul", left[0], apply(node.op, left[1], right[1]))


def _sum(node, args, new):
    """sum(c * x) -> c * sum(x), c a scalar: the gradient of a mean scales the sum."""
    found = _scalar_times(args[0], args[0].shape)
    if found is None or not args[0].shape:
        return None
    c, x = found
    return apply("mul", c, apply("sum", x, **node.params))


_RULES = {
    "sum": _sum,
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "relu": _relu,
    "heaviside": _heaviside,
    "mul": _mul,
    "add": _add_or_sub,
    "sub": _add_or_sub,
}
LOWERED_OPS = frozenset(_RULES)


def lower_for_code(order, leaves):
    """The ``leaves`` rebuilt with the lowering rules, given their topological
    ``order``; the same objects when no rule applies.

    Examples
    --------
    >>> from symdiff import Symbol, sigmoid, softplus
    >>> from symdiff.core.traverse import topo_order
    >>> z = Symbol("z")
    >>> leaves = [sigmoid(z), softplus(z)]
    >>> s, p = lower_for_code(topo_order(*leaves), leaves)
    >>> print(s)
    where(greater_equal(z, 0.0), 1.0, exp(-abs(z)))/(exp(-abs(z)) + 1.0)
    >>> print(p)
    maximum(0.0, z) + log1p(exp(-abs(z)))
    """
    if not any(node.op in LOWERED_OPS for node in order):
        return leaves
    new = {}
    for node in order:
        if not node.args:
            new[node] = node
            continue
        args = tuple(new[a] for a in node.args)
        rule = _RULES.get(node.op)
        out = rule(node, args, new) if rule is not None else None
        new[node] = with_args(node, args) if out is None else out
    return [new[leaf] for leaf in leaves]
