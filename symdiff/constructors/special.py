"""Public constructors of the special functions (rows in :mod:`symdiff.ops.special`).

``gammaln`` and ``polygamma`` are op-table rows; ``digamma``, ``trigamma`` and
``betaln`` are compositions of them.
"""

from symdiff.core.expr import apply

UNARY = ("gammaln",)
BINARY = ("polygamma",)

__all__ = ["gammaln", "polygamma", "digamma", "trigamma", "betaln"]


def gammaln(x):
    """Elementwise ``log|Gamma(x)|``, computed without overflow (scipy's gammaln).

    Parameters
    ----------
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, diff
    >>> from symdiff.constructors.special import gammaln
    >>> x = Symbol("x")
    >>> print(gammaln(x), "->", diff(gammaln(x), x))
    gammaln(x) -> polygamma(0, x)
    """
    return apply("gammaln", x)


def polygamma(n, x):
    """Elementwise ``polygamma(n, x)``, the ``n``-th derivative of digamma.

    Parameters
    ----------
    n : int
        The order, a non-negative integer (``ValueError`` otherwise).
    x : Expr, number or array
        Argument; the result has its shape.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, diff, evaluate
    >>> from symdiff.constructors.special import polygamma
    >>> x = Symbol("x")
    >>> print(diff(polygamma(1, x), x))
    polygamma(2, x)
    >>> round(float(evaluate(polygamma(1, x), {x: 1.0})), 6)  # pi**2 / 6
    1.644934
    """
    return apply("polygamma", n, x)


def digamma(x):
    """Elementwise digamma ``psi(x) = Gamma'(x) / Gamma(x)``: ``polygamma(0, x)``.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.constructors.special import digamma
    >>> print(digamma(Symbol("x")))
    polygamma(0, x)
    """
    return apply("polygamma", 0, x)


def trigamma(x):
    """Elementwise trigamma ``psi'(x)``: ``polygamma(1, x)``.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.constructors.special import trigamma
    >>> print(trigamma(Symbol("x")))
    polygamma(1, x)
    """
    return apply("polygamma", 1, x)


def betaln(a, b):
    """Elementwise ``log B(a, b) = gammaln(a) + gammaln(b) - gammaln(a + b)``.

    Examples
    --------
    >>> import math
    >>> from symdiff import evaluate
    >>> from symdiff.constructors.special import betaln
    >>> math.isclose(float(evaluate(betaln(2.0, 3.0))), math.log(1 / 12))
    True
    """
    return gammaln(a) + gammaln(b) - gammaln(apply("add", a, b))
