"""Constant folding for the compressed columns of sparse derivatives.

A colour's sweep multiplies by 0/1 seed masks and adds the zero-padded constants of
quadratic terms, so its column is full of operations on constants: ``c1 + (c2 + (c3
+ t))`` or ``0.5 * (mask * t)``.  Folding them once, here, keeps them out of every
evaluation: subexpressions without a symbol become one constant, and a chain of sums
(or of products) has its constant terms (factors) gathered into one.
"""

from __future__ import annotations

import numpy as np

from symdiff.core.expr import apply, const, with_args
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order

__all__ = ["fold_constants"]

_CHAIN = {"add": ("add", "sub"), "sub": ("add", "sub"), "mul": ("mul",)}


def _users(order, exprs):
    """How many parents each node has (an output counts as one more), and the chain
    nodes whose one parent is a chain of the same kind (its regrouping covers them)."""
    count = dict.fromkeys(order, 0)
    for node in order:
        for a in node.args:
            count[a] += 1
    for e in exprs:
        count[e] += 1
    absorbed = set()
    for node in order:
        kinds = _CHAIN.get(node.op, ())
        for a in node.args:
            if a.op in kinds and count[a] == 1:
                absorbed.add(a)
    return count, absorbed


def _chain_leaves(node, memo, users):
    """The terms (``(sign, folded leaf)``) of the sum, or factors of the product,
    rooted at ``node``, through the single-use nodes of the same kind below it."""
    kinds = _CHAIN[node.op]
    leaves = []
    stack = [(node, 1)]
    while stack:
        n, sign = stack.pop()
        inner = n is node or (n.op in kinds and users[n] == 1 and memo[n].op != "const")
        if not inner:
            leaves.append((sign, memo[n]))
            continue
        a, b = n.args
        # pushed in reverse, so the leaves come out in the written order
        stack.append((b, -sign if n.op == "sub" else sign))
        stack.append((a, sign))
    return leaves


def _regroup(node, memo, users):
    """``node`` (a sum or product) with its constant leaves combined into one, or
    None when that changes nothing."""
    leaves = _chain_leaves(node, memo, users)
    consts = [(s, e) for s, e in leaves if e.op == "const"]
    others = [(s, e) for s, e in leaves if e.op != "const"]
    if not others or len(consts) < 2:
        return None
    try:  # (exact Fractions become floats, as folded constants do; complex: left)
        values = [np.asarray(e.value, dtype=float) for _, e in consts]
    except TypeError:
        return None
    if node.op == "mul":
        value = values[0]
        for v in values[1:]:
            value = value * v
    else:
        value = sum(s * v for (s, _), v in zip(consts, values, strict=True))
    sign, out = others[0]
    if sign < 0:
        out = apply("neg", out)
    for s, e in others[1:]:
        out = apply("mul" if node.op == "mul" else "add" if s > 0 else "sub", out, e)
    out = apply(node.op if node.op == "mul" else "add", out, const(value))
    return out if out.shape == node.shape else None


def fold_constants(exprs):
    """``exprs`` with every subexpression that has no symbol in it computed once.

    The compressed columns of a quadratic term are constants that the sweeps leave
    as operations on constants (zero padding of a constant, a slice of one): folding
    them here, once, keeps them out of every evaluation.  A scalar broadcast to a
    shape stays a broadcast (folding it would only store a large array).  The constant
    terms of a chain of sums (factors of a chain of products) are added (multiplied)
    together first: floating-point reassociation, exact up to rounding.

    Examples
    --------
    >>> from symdiff import Symbol, const
    >>> x = Symbol("x", shape=(3,))
    >>> e = const(np.arange(3.0))[1:] * 2 + x[1:]
    >>> print(fold_constants([e])[0])
    x[1:] + [2.0, 4.0]
    >>> print(fold_constants([const(np.ones(2)) + (x[1:] + const(np.ones(2)))])[0])
    x[1:] + [2.0, 2.0]
    """
    order = topo_order(*exprs)
    users, absorbed = _users(order, exprs)
    memo = {}
    for node in order:
        if not node.args:
            memo[node] = node
            continue
        node_new = with_args(node, tuple(memo[a] for a in node.args))
        foldable = node_new.op != "const" and node_new.args
        if foldable and all(a.op == "const" for a in node_new.args):
            if node_new.op != "broadcast_to" or node_new.args[0].shape:
                values = [a.value for a in node_new.args]
                value = OPS[node_new.op].impl(node_new, *values)
                node_new = const(np.asarray(value, dtype=float))
        elif node.op in _CHAIN and node not in absorbed:
            regrouped = _regroup(node, memo, users)
            if regrouped is not None:
                node_new = regrouped
        memo[node] = node_new
    return tuple(memo[e] for e in exprs)
