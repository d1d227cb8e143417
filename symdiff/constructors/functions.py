"""Public constructors of the elementwise functions issue 12 added (asinh ... clip).

Their op table rows are in :mod:`symdiff.ops.elementwise`; like
:mod:`symdiff.constructors.elementwise`, one function per op, written out.
"""

from symdiff.core.expr import apply

UNARY = (
    "asinh",
    "acosh",
    "atanh",
    "log2",
    "log10",
    "exp2",
    "erfc",
    "floor",
    "ceil",
    "round",
)
BINARY = (
    "atan2",
    "hypot",
    "logaddexp",
)
TERNARY = ("clip",)

__all__ = [*UNARY, *BINARY, *TERNARY]


def asinh(x):
    """Elementwise inverse hyperbolic sine.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, asinh
    >>> print(asinh(Symbol("x")))
    asinh(x)
    """
    return apply("asinh", x)


def acosh(x):
    """Elementwise inverse hyperbolic cosine (defined for x >= 1).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, acosh
    >>> print(acosh(Symbol("x")))
    acosh(x)
    """
    return apply("acosh", x)


def atanh(x):
    """Elementwise inverse hyperbolic tangent (defined on (-1, 1)).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, atanh
    >>> print(atanh(Symbol("x")))
    atanh(x)
    """
    return apply("atanh", x)


def log2(x):
    """Elementwise base-2 logarithm.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, log2
    >>> print(log2(Symbol("x")))
    log2(x)
    """
    return apply("log2", x)


def log10(x):
    """Elementwise base-10 logarithm.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, log10
    >>> print(log10(Symbol("x")))
    log10(x)
    """
    return apply("log10", x)


def exp2(x):
    """Elementwise 2 to the power x.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, exp2
    >>> print(exp2(Symbol("x")))
    exp2(x)
    """
    return apply("exp2", x)


def erfc(x):
    """Elementwise complementary error function 1 - erf(x), accurate for large x.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, erfc
    >>> print(erfc(Symbol("x")))
    erfc(x)
    """
    return apply("erfc", x)


def floor(x):
    """Elementwise floor; its derivative is 0 everywhere (at the jumps too).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, floor
    >>> print(floor(Symbol("x")))
    floor(x)
    """
    return apply("floor", x)


def ceil(x):
    """Elementwise ceiling; its derivative is 0 everywhere (at the jumps too).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, ceil
    >>> print(ceil(Symbol("x")))
    ceil(x)
    """
    return apply("ceil", x)


def round(x):
    """Elementwise rounding to the nearest integer, halves to even (numpy's).

    Its derivative is 0 everywhere (at the jumps too).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, round
    >>> print(round(Symbol("x")))
    round(x)
    """
    return apply("round", x)


def atan2(y, x):
    """Elementwise angle of the point (x, y), in (-pi, pi] (numpy's arctan2).

    Parameters
    ----------
    y, x : Expr, number or array
        Arguments; they broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import symbols, atan2
    >>> y, x = symbols("y x")
    >>> print(atan2(y, x))
    atan2(y, x)
    """
    return apply("atan2", y, x)


def hypot(a, b):
    """Elementwise sqrt(a**2 + b**2), without overflow.

    Parameters
    ----------
    a, b : Expr, number or array
        Arguments; they broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import symbols, hypot
    >>> a, b = symbols("a b")
    >>> print(hypot(a, b))
    hypot(a, b)
    """
    return apply("hypot", a, b)


def logaddexp(a, b):
    """Elementwise log(exp(a) + exp(b)), without overflow.

    Parameters
    ----------
    a, b : Expr, number or array
        Arguments; they broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import symbols, logaddexp
    >>> a, b = symbols("a b")
    >>> print(logaddexp(a, b))
    logaddexp(a, b)
    """
    return apply("logaddexp", a, b)


def clip(x, lo, hi):
    """Elementwise ``x`` limited to ``[lo, hi]`` (numpy's ``clip``).

    The derivative is 1 with respect to ``x`` where ``lo <= x <= hi`` (the ends
    included, as ``torch.clamp``), else 1 with respect to the bound that is active.

    Parameters
    ----------
    x, lo, hi : Expr, number or array
        They broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, clip, diff, evaluate
    >>> x = Symbol("x")
    >>> print(clip(x, -1, 1))
    clip(x, -1, 1)
    >>> float(evaluate(diff(clip(x, -1, 1), x), {x: 0.5}))
    1.0
    """
    return apply("clip", x, lo, hi)
