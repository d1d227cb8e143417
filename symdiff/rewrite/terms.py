"""Sums and products seen as lists: the views the simplify rules work on."""

from fractions import Fraction

from symdiff.core.expr import apply, const
from symdiff.rewrite.predicates import ONE, is_scalar_const


def coeff_term(e):
    """Split ``e`` into (numeric coefficient, term) with e == coefficient * term."""
    if e.op == "const" and not e.shape:
        return e.value, ONE
    if e.op == "mul" and is_scalar_const(e.args[0]):
        return e.args[0].value, e.args[1]
    if e.op == "neg":
        c, t = coeff_term(e.args[0])
        return -c, t
    return 1, e


def flatten(root, ops, sign_op=None):
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


def build_chain(op, items):
    """``items[0] op items[1] op ...``, left to right."""
    acc = items[0]
    for it in items[1:]:
        acc = apply(op, acc, it)
    return acc


def base_exp(e):
    """Split ``e`` into (base, exponent) with e == base**exponent."""
    if e.op == "pow":
        return e.args[0], e.args[1]
    if e.op == "sqrt":
        return e.args[0], const(Fraction(1, 2))
    return e, ONE
