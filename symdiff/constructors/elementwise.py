"""Public constructors of the elementwise functions: ``sin(x)`` builds an ``Expr``.

These are the user-facing names; the op table rows they build are in
:mod:`symdiff.ops.elementwise` (constructors here, table rows there).  This file is
written out, one function per op, so linters and IDEs see every name; a test checks
that it covers exactly the elementwise rows of the table.
"""

from symdiff.core.expr import apply

UNARY = (
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "exp",
    "log",
    "log1p",
    "expm1",
    "sqrt",
    "abs",
    "sign",
    "heaviside",
    "sigmoid",
    "relu",
    "softplus",
    "erf",
)
BINARY = ("maximum", "minimum")

__all__ = [*UNARY, *BINARY, "pi"]


def sin(x):
    """Elementwise sine.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, sin
    >>> print(sin(Symbol("x")))
    sin(x)
    """
    return apply("sin", x)


def cos(x):
    """Elementwise cosine.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, cos
    >>> print(cos(Symbol("x")))
    cos(x)
    """
    return apply("cos", x)


def tan(x):
    """Elementwise tangent.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, tan
    >>> print(tan(Symbol("x")))
    tan(x)
    """
    return apply("tan", x)


def asin(x):
    """Elementwise inverse sine.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, asin
    >>> print(asin(Symbol("x")))
    asin(x)
    """
    return apply("asin", x)


def acos(x):
    """Elementwise inverse cosine.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, acos
    >>> print(acos(Symbol("x")))
    acos(x)
    """
    return apply("acos", x)


def atan(x):
    """Elementwise inverse tangent.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, atan
    >>> print(atan(Symbol("x")))
    atan(x)
    """
    return apply("atan", x)


def sinh(x):
    """Elementwise hyperbolic sine.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, sinh
    >>> print(sinh(Symbol("x")))
    sinh(x)
    """
    return apply("sinh", x)


def cosh(x):
    """Elementwise hyperbolic cosine.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, cosh
    >>> print(cosh(Symbol("x")))
    cosh(x)
    """
    return apply("cosh", x)


def tanh(x):
    """Elementwise hyperbolic tangent.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, tanh
    >>> print(tanh(Symbol("x")))
    tanh(x)
    """
    return apply("tanh", x)


def exp(x):
    """Elementwise exponential.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, exp
    >>> print(exp(Symbol("x")))
    exp(x)
    """
    return apply("exp", x)


def log(x):
    """Elementwise natural logarithm.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, log
    >>> print(log(Symbol("x")))
    log(x)
    """
    return apply("log", x)


def log1p(x):
    """Elementwise log(1 + x), accurate near 0.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, log1p
    >>> print(log1p(Symbol("x")))
    log1p(x)
    """
    return apply("log1p", x)


def expm1(x):
    """Elementwise exp(x) - 1, accurate near 0.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, expm1
    >>> print(expm1(Symbol("x")))
    expm1(x)
    """
    return apply("expm1", x)


def sqrt(x):
    """Elementwise square root.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, sqrt
    >>> print(sqrt(Symbol("x")))
    sqrt(x)
    """
    return apply("sqrt", x)


def abs(x):
    """Elementwise absolute value (abs'(0) = 0).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, abs
    >>> print(abs(Symbol("x")))
    abs(x)
    """
    return apply("abs", x)


def sign(x):
    """Elementwise sign (-1, 0 or 1); derivative 0 away from 0.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, sign
    >>> print(sign(Symbol("x")))
    sign(x)
    """
    return apply("sign", x)


def heaviside(x):
    """Elementwise unit step with heaviside(0) = 0.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, heaviside
    >>> print(heaviside(Symbol("x")))
    heaviside(x)
    """
    return apply("heaviside", x)


def sigmoid(x):
    """Elementwise logistic function 1 / (1 + exp(-x)).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, sigmoid
    >>> print(sigmoid(Symbol("x")))
    sigmoid(x)
    """
    return apply("sigmoid", x)


def relu(x):
    """Elementwise max(x, 0) (relu'(0) = 0).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, relu
    >>> print(relu(Symbol("x")))
    relu(x)
    """
    return apply("relu", x)


def softplus(x):
    """Elementwise log(1 + exp(x)), computed stably.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, softplus
    >>> print(softplus(Symbol("x")))
    softplus(x)
    """
    return apply("softplus", x)


def erf(x):
    """Elementwise error function.

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, erf
    >>> print(erf(Symbol("x")))
    erf(x)
    """
    return apply("erf", x)


def maximum(a, b):
    """Elementwise elementwise maximum of two operands (they broadcast).

    Examples
    --------
    >>> from symdiff import symbols, maximum
    >>> x, y = symbols("x y")
    >>> print(maximum(x, y))
    maximum(x, y)
    """
    return apply("maximum", a, b)


def minimum(a, b):
    """Elementwise elementwise minimum of two operands (they broadcast).

    Examples
    --------
    >>> from symdiff import symbols, minimum
    >>> x, y = symbols("x y")
    >>> print(minimum(x, y))
    minimum(x, y)
    """
    return apply("minimum", a, b)


pi = apply("pi")
"""The exact constant pi (a node: prints ``pi``, evaluates to ``math.pi``)."""
