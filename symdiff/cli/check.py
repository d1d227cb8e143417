"""``--check``: symbolic derivatives against finite differences.

This is the only module of symdiff that imports ``numeric``, the independent numeric
half, and it does so on first use, so that ``symdiff --help`` stays fast.  The two
halves share no code, so when they agree each has checked the other.
"""

from __future__ import annotations

import numpy as np

from symdiff.cli.inputs import ordered_symbols
from symdiff.cli.output import format_values, json_number, json_values
from symdiff.cli.parser import UsageError
from symdiff.codegen import lambdify

CHECK_TOL = 1e-6  # largest accepted relative error of first derivatives
CHECK_TOL_SECOND = 1e-5  # ... second and higher ones (second differences are noisier)

# What finite differences compute, named as the numeric function that computes it.
DERIVATIVE = "derivative"  # of order n along one symbol
GRADIENT = "gradient"
HESSIAN = "hessian"


def relative_error(exact, approx):
    """``max |exact - approx| / max(1, max |exact|)``: the error --check reports.

    Examples
    --------
    >>> relative_error([2.0, 100.0], [2.0, 100.5])
    0.005
    >>> relative_error(0.5, 0.25)
    0.25
    """
    exact = np.asarray(exact, dtype=float)
    approx = np.asarray(approx, dtype=float)
    scale = max(1.0, float(np.max(np.abs(exact), initial=0.0)))
    return float(np.max(np.abs(exact - approx), initial=0.0)) / scale


def finite_differences(expr, wrt, at, kind, n=1):
    """Differentiate the scalar ``expr`` numerically with respect to ``wrt`` at ``at``.

    The symbols not in ``wrt`` stay at their values in ``at``.

    Parameters
    ----------
    expr : Expr
        A scalar expression.
    wrt : list of Symbol
        The variables: exactly one for ``DERIVATIVE``.
    at : dict
        ``{Symbol: value}``, a value for every symbol of ``expr`` (arrays for tensor
        symbols).
    kind : {DERIVATIVE, GRADIENT, HESSIAN}
        What to compute.
    n : int
        The order, for ``DERIVATIVE``.

    Returns
    -------
    float or numpy.ndarray
        The n-th derivative, the gradient (shape ``(k,)``) or the Hessian
        (``(k, k)``), where ``k`` counts the entries of ``wrt`` (a tensor symbol is
        flattened, in order).

    Examples
    --------
    >>> from symdiff.cli.inputs import parse_expression, wrt_symbols
    >>> f = parse_expression("x**3*y")
    >>> x, y = wrt_symbols(f, None)
    >>> round(float(finite_differences(f, [x], {x: 1.0, y: 2.0}, DERIVATIVE, n=2)), 6)
    12.0
    >>> np.round(finite_differences(f, [x, y], {x: 1.0, y: 2.0}, GRADIENT), 6)
    array([6., 1.])
    """
    import numeric  # on first use: the numeric half is needed only by --check

    on_wrt = _function_of_wrt(expr, wrt, at)
    start = np.concatenate([np.ravel(at[s]) for s in wrt]).astype(float)
    if kind == DERIVATIVE:
        return numeric.derivative(lambda t: on_wrt([t]), start[0], n=n)
    return getattr(numeric, kind)(on_wrt, start)


def _function_of_wrt(expr, wrt, at):
    """``expr`` as a function of the values of ``wrt``; the rest stay at ``at``."""
    symbols = ordered_symbols(expr, wrt)
    compiled = lambdify(symbols, expr)  # evaluated many times: compile it once
    held = [at[s] for s in symbols[len(wrt) :]]
    shapes = [np.shape(at[s]) for s in wrt]
    ends = np.cumsum([int(np.prod(shape)) for shape in shapes])[:-1]

    def on_wrt(values):
        pieces = np.split(np.asarray(values, dtype=float), ends)
        pieces = [p.reshape(shape) for p, shape in zip(pieces, shapes, strict=True)]
        return float(compiled(*pieces, *held))

    return on_wrt


def check_derivative(data, expr, wrt, at, exact, kind, n=1):
    """Compare the symbolic values ``exact`` with finite differences; report it.

    Adds ``finite_differences`` and ``check: {relative_error, tolerance, ok}`` to the
    JSON result ``data``.

    Returns
    -------
    lines : list of str
        The check line for people: ``check: agree (...)`` or ``check: MISMATCH ...``.
    ok : bool
        Whether the relative error is within the tolerance.

    Raises
    ------
    UsageError
        When either value is not finite (a point outside the function's domain):
        there is nothing to compare.

    Examples
    --------
    >>> from symdiff.cli.inputs import parse_expression, wrt_symbols
    >>> f = parse_expression("3*x**2 - 4*x")
    >>> (x,) = wrt_symbols(f, None)
    >>> data = {}
    >>> lines, ok = check_derivative(data, f, [x], {x: 1.0}, 2.0, DERIVATIVE)
    >>> ok, lines[0].startswith("check: agree"), data["check"]["tolerance"]
    (True, True, 1e-06)
    """
    approx = finite_differences(expr, wrt, at, kind, n)
    data["finite_differences"] = json_values(approx)
    if not (np.all(np.isfinite(exact)) and np.all(np.isfinite(approx))):
        which = "symbolic" if not np.all(np.isfinite(exact)) else "finite-difference"
        raise UsageError(
            f"--check: the {which} value is not finite at this point "
            f"({format_values(exact if which == 'symbolic' else approx)}): is the "
            "point inside the function's domain? Nothing to compare"
        )
    tolerance = CHECK_TOL if kind != HESSIAN and n == 1 else CHECK_TOL_SECOND
    error = relative_error(exact, approx)
    ok = error <= tolerance
    data["check"] = {
        "relative_error": json_number(error),
        "tolerance": tolerance,
        "ok": ok,
    }
    verdict = "agree" if ok else "MISMATCH: symbolic and finite differences differ"
    return [f"check: {verdict} (relative error {error:.3g})"], ok
