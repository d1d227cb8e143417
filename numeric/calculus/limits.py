"""d2l's numerical limit: the forward difference quotient for shrinking steps.

d2l approaches the derivative through the quotient ``(f(x + h) - f(x)) / h`` for
shrinking ``h``.  That quotient never gets better than about 1e-8: a small ``h``
cancels digits, a large one leaves Taylor terms.  :func:`numeric.derivative` removes
both problems.
"""

from __future__ import annotations

import sys

from numeric.validation import check_callable, real_scalar, scalar_result

__all__ = ["limit_table", "numerical_limit"]


def numerical_limit(f, x, h):
    """d2l's forward difference quotient ``(f(x + h) - f(x)) / h``.

    Parameters
    ----------
    f : callable
        A real function of one real variable.
    x : float
        Where to differentiate.
    h : float
        The step; any finite non-zero number (negative steps go backwards).

    Returns
    -------
    float
        The quotient.  Its error is about ``|f''| h / 2`` plus a rounding part
        ``eps |f| / h``; :func:`numeric.derivative` removes both.

    Examples
    --------
    >>> f = lambda x: 3 * x**2 - 4 * x
    >>> round(numerical_limit(f, 1.0, 0.1), 5)
    2.3
    """
    check_callable(f, "numerical_limit")
    x = real_scalar(x, "x", "numerical_limit")
    h = real_scalar(h, "h", "numerical_limit")
    if h == 0.0:
        raise ValueError("numerical_limit: h must be non-zero; got 0.0")
    fxh = scalar_result(f(x + h), "numerical_limit", f"x + h = {x + h!r}")
    fx = scalar_result(f(x), "numerical_limit", f"x = {x!r}")
    return (fxh - fx) / h


def limit_table(f, x, hs=None, *, file=None):
    """Print d2l's table of numerical limits for shrinking steps.

    Parameters
    ----------
    f : callable
        A real function of one real variable.
    x : float
        Where to differentiate.
    hs : sequence of float, optional
        The steps; d2l's ``0.1, 0.01, ..., 1e-5`` by default.
    file : file-like, optional
        Where to print (``sys.stdout`` by default).

    Returns
    -------
    list of (float, float)
        The pairs ``(h, numerical_limit(f, x, h))`` that were printed, one line each
        in d2l's format ``h=0.10000, numerical limit=2.30000``.

    Examples
    --------
    >>> rows = limit_table(lambda x: 3 * x**2 - 4 * x, 1.0)
    h=0.10000, numerical limit=2.30000
    h=0.01000, numerical limit=2.03000
    h=0.00100, numerical limit=2.00300
    h=0.00010, numerical limit=2.00030
    h=0.00001, numerical limit=2.00003
    """
    check_callable(f, "limit_table")
    x = real_scalar(x, "x", "limit_table")
    if hs is None:
        hs = [10.0 ** (-i) for i in range(1, 6)]
    elif isinstance(hs, (str, bytes)) or not hasattr(hs, "__iter__"):
        raise TypeError(f"limit_table: hs must be a sequence of steps; got {hs!r}")
    out = sys.stdout if file is None else file
    rows = []
    for h in hs:
        value = numerical_limit(f, x, h)
        h = float(h)
        print(f"h={h:.5f}, numerical limit={value:.5f}", file=out)
        rows.append((h, value))
    return rows
