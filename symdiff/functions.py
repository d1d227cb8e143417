"""Public constructors for the elementwise functions of the op table.

Each is generated from its :data:`symdiff.ops.OPS` entry, so the docstring and the op
stay in one place.
"""

from symdiff.expr import apply
from symdiff.ops import OPS

UNARY = (
    "sin cos tan asin acos atan sinh cosh tanh exp log log1p expm1 sqrt abs sign "
    "heaviside sigmoid relu softplus erf"
).split()
BINARY = ("maximum", "minimum")


def _unary(name):
    def fn(x):
        return apply(name, x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"""Elementwise {OPS[name].doc}.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, {name}
    >>> print({name}(Symbol("x")))
    {name}(x)
    """
    return fn


def _binary(name):
    def fn(a, b):
        return apply(name, a, b)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"""Elementwise {OPS[name].doc} of two operands (they broadcast).

    Examples
    --------
    >>> from symdiff import symbols, {name}
    >>> x, y = symbols("x y")
    >>> print({name}(x, y))
    {name}(x, y)
    """
    return fn


_made = {name: _unary(name) for name in UNARY}
_made.update({name: _binary(name) for name in BINARY})
globals().update(_made)
__all__ = sorted(_made)

pi = apply("pi")
"""The exact constant pi (a node: prints ``pi``, evaluates to ``math.pi``)."""
