"""Small structural tests on nodes that both rewrite phases use."""

from fractions import Fraction

from symdiff.core.expr import const


def is_scalar_const(e):
    """``e`` is a scalar constant node.

    Examples
    --------
    >>> from symdiff import Symbol, const
    >>> is_scalar_const(const(2)), is_scalar_const(Symbol("x"))
    (True, False)
    """
    return e.op == "const" and not e.shape


def is_exact(v):
    """``v`` (a constant's value) is an exact int or Fraction."""
    return isinstance(v, int | Fraction)


def is_number(e, number):
    """``e`` is the scalar constant ``number`` (exactly 0 or 1, int or float)."""
    return e.op == "const" and not e.shape and e.value == number


def is_negative_const(e):
    """``e`` is a scalar constant below zero."""
    return is_scalar_const(e) and e.value < 0


ZERO = const(0)
ONE = const(1)
