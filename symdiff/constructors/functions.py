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
TERNARY = ("clip", "where")
COMPARISONS = (
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "equal",
    "not_equal",
)

__all__ = [*UNARY, *BINARY, *TERNARY, *COMPARISONS]


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


def less(a, b):
    """Elementwise mask ``a < b`` (numpy booleans when evaluated); derivative 0.

    ``a < b`` on expressions builds the same node.

    Parameters
    ----------
    a, b : Expr, number or array
        They broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, less
    >>> x = Symbol("x", shape=(3,))
    >>> print(less(x, 1))
    less(x, 1)
    >>> evaluate(less(x, 1), {x: [0.0, 1.0, 2.0]}).tolist()
    [True, False, False]
    """
    return apply("less", a, b)


def less_equal(a, b):
    """Elementwise mask ``a <= b`` (numpy booleans when evaluated); derivative 0.

    ``a <= b`` on expressions builds the same node.

    Parameters
    ----------
    a, b : Expr, number or array
        They broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, less_equal
    >>> x = Symbol("x", shape=(3,))
    >>> print(less_equal(x, 1))
    less_equal(x, 1)
    >>> evaluate(less_equal(x, 1), {x: [0.0, 1.0, 2.0]}).tolist()
    [True, True, False]
    """
    return apply("less_equal", a, b)


def greater(a, b):
    """Elementwise mask ``a > b`` (numpy booleans when evaluated); derivative 0.

    ``a > b`` on expressions builds the same node.

    Parameters
    ----------
    a, b : Expr, number or array
        They broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, greater
    >>> x = Symbol("x", shape=(3,))
    >>> print(greater(x, 1))
    greater(x, 1)
    >>> evaluate(greater(x, 1), {x: [0.0, 1.0, 2.0]}).tolist()
    [False, False, True]
    """
    return apply("greater", a, b)


def greater_equal(a, b):
    """Elementwise mask ``a >= b`` (numpy booleans when evaluated); derivative 0.

    ``a >= b`` on expressions builds the same node.

    Parameters
    ----------
    a, b : Expr, number or array
        They broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, greater_equal
    >>> x = Symbol("x", shape=(3,))
    >>> print(greater_equal(x, 1))
    greater_equal(x, 1)
    >>> evaluate(greater_equal(x, 1), {x: [0.0, 1.0, 2.0]}).tolist()
    [False, True, True]
    """
    return apply("greater_equal", a, b)


def equal(a, b):
    """Elementwise mask ``a == b`` (numpy booleans when evaluated); derivative 0.

    ``==`` and ``!=`` on expressions stay structural identity (interning relies
    on it): equality masks are built with this function.

    Parameters
    ----------
    a, b : Expr, number or array
        They broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, equal
    >>> x = Symbol("x", shape=(3,))
    >>> print(equal(x, 1))  # commutative: operands in canonical order
    equal(1, x)
    >>> evaluate(equal(x, 1), {x: [0.0, 1.0, 2.0]}).tolist()
    [False, True, False]
    """
    return apply("equal", a, b)


def not_equal(a, b):
    """Elementwise mask ``a != b`` (numpy booleans when evaluated); derivative 0.

    ``==`` and ``!=`` on expressions stay structural identity (interning relies
    on it): equality masks are built with this function.

    Parameters
    ----------
    a, b : Expr, number or array
        They broadcast.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, evaluate, not_equal
    >>> x = Symbol("x", shape=(3,))
    >>> print(not_equal(x, 1))  # commutative: operands in canonical order
    not_equal(1, x)
    >>> evaluate(not_equal(x, 1), {x: [0.0, 1.0, 2.0]}).tolist()
    [True, False, True]
    """
    return apply("not_equal", a, b)


def where(cond, a, b):
    """``a`` where ``cond`` holds, else ``b`` (numpy's ``where``; they broadcast).

    The derivative passes through the mask to ``a`` and through its complement to
    ``b``; none flows into ``cond`` (a mask is piecewise constant).

    Parameters
    ----------
    cond : Expr, number or array
        A mask (a comparison such as ``x > 0``), or numbers (nonzero is true).
    a, b : Expr, number or array
        The values.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, diff, evaluate, where
    >>> x = Symbol("x")
    >>> e = where(x > 0, x**2, -x)
    >>> print(e)
    where(greater(x, 0), x**2, -x)
    >>> float(evaluate(diff(e, x), {x: 3.0})), float(evaluate(diff(e, x), {x: -3.0}))
    (6.0, -1.0)
    """
    return apply("where", cond, a, b)
