"""``minimize`` and ``least_squares``: scipy's solvers fed exact derivatives."""

from __future__ import annotations

import numpy as np

from symdiff.core.expr import Expr
from symdiff.optimize.derivatives import CompiledVector, flat_vector
from symdiff.optimize.packing import Packing
from symdiff.optimize.problem import Problem, as_expr

__all__ = ["least_squares", "minimize"]


def _params_of(x0, params, owner):
    if params is not None:
        return params
    if isinstance(x0, dict) and all(isinstance(k, Expr) for k in x0):
        return list(x0)
    raise ValueError(
        f"{owner}: give params=[...] (the Symbols to solve for), or x0 as a dict "
        "keyed by those Symbols"
    )


def minimize(
    objective,
    x0,
    *,
    params=None,
    method="trust-constr",
    equalities=(),
    inequalities=(),
    constraints=(),
    bounds=None,
    hessp=False,
    **options,
):
    """Minimize an expression with ``scipy.optimize.minimize`` and exact derivatives.

    Parameters
    ----------
    objective : Expr
        A scalar expression.
    x0 : dict or array_like
        The start: ``{symbol: value}`` (its keys are then the default ``params``),
        or anything :meth:`Problem.x0` takes.
    params : sequence of Symbol, optional
        The unknowns, in packing order.
    method : str, default "trust-constr"
        One of ``"trust-constr"``, ``"Newton-CG"``, ``"trust-krylov"``,
        ``"L-BFGS-B"``, ``"SLSQP"``.
    equalities, inequalities, constraints, bounds
        As in :class:`Problem` (``g = 0``, ``h >= 0``, ``(lo, expr, hi)``,
        ``{symbol: (lo, hi)}``).
    hessp : bool, default False
        Pass the exact Hessian-vector product instead of the sparse Hessian.
    **options
        Passed on to ``scipy.optimize.minimize`` (``tol``, ``options``, ...).

    Returns
    -------
    scipy.optimize.OptimizeResult
        scipy's result, plus ``params``: ``{symbol: value}`` at the solution.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.optimize import minimize
    >>> x, y = Symbol("x"), Symbol("y")
    >>> res = minimize((1 - x) ** 2 + 100 * (y - x**2) ** 2, {x: -1.2, y: 1.0},
    ...                method="Newton-CG", tol=1e-10)
    >>> round(res.params[x], 6), round(res.params[y], 6)
    (1.0, 1.0)
    """
    from scipy import optimize

    problem = Problem(
        objective,
        _params_of(x0, params, "minimize"),
        equalities=equalities,
        inequalities=inequalities,
        constraints=constraints,
        bounds=bounds,
    )
    kw = problem.minimize_kwargs(method, hessp=hessp)
    clash = sorted(set(kw) & set(options))
    if clash:
        raise TypeError(f"minimize: {clash} are built from the expressions; drop them")
    res = optimize.minimize(x0=problem.x0(x0), **kw, **options)
    return problem.result(res)


def least_squares(residuals, x0, *, params=None, bounds=None, **options):
    """Solve a nonlinear least-squares problem with the exact sparse Jacobian.

    Minimizes ``0.5 * sum(r(x)**2)`` with ``scipy.optimize.least_squares``; the
    Jacobian of the residuals is compiled once and returned as CSR, so scipy's
    ``trf`` method solves its subproblems with LSMR and never forms a dense matrix.

    Parameters
    ----------
    residuals : Expr or sequence of Expr
        The residuals: one expression of any shape, or a list (raveled and laid
        end to end).
    x0 : dict or array_like
        The start, as in :func:`minimize`.
    params : sequence of Symbol, optional
        The unknowns, in packing order.
    bounds : dict, optional
        ``{symbol: (lo, hi)}`` as in :class:`Problem`.
    **options
        Passed on to ``scipy.optimize.least_squares`` (``method``, ``x_scale``...).

    Returns
    -------
    scipy.optimize.OptimizeResult
        scipy's result, plus ``params``: ``{symbol: value}`` at the solution.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, exp
    >>> from symdiff.optimize import least_squares
    >>> a, k = Symbol("a"), Symbol("k")
    >>> t = np.linspace(0.0, 1.0, 8)
    >>> res = least_squares(a * exp(k * t) - 2.0 * np.exp(-1.5 * t), {a: 1.0, k: 0.0})
    >>> round(res.params[a], 6), round(res.params[k], 6)
    (2.0, -1.5)
    """
    from scipy import optimize

    packing = Packing(_params_of(x0, params, "least_squares"))
    items = [residuals] if isinstance(residuals, Expr) else list(residuals)
    if not items:
        raise ValueError("least_squares: no residuals")
    exprs = [as_expr(r, f"residual {k}") for k, r in enumerate(items)]
    vector = flat_vector(exprs)
    stray = sorted(s.name for s in vector.free_symbols if s not in set(packing.params))
    if stray:
        raise ValueError(
            f"least_squares: the residuals depend on symbols that are not parameters: "
            f"{', '.join(stray)}"
        )
    # A Problem gives the x0 and bounds handling; its objective is never compiled.
    holder = Problem(0.5 * (vector * vector).sum(), packing.params, bounds=bounds)
    start = holder.x0(x0)
    compiled = CompiledVector(packing, vector)
    if "jac" in options:
        raise TypeError("least_squares: jac is built from the expressions; drop it")
    bounds_arg = holder.bounds if holder.bounds is not None else (-np.inf, np.inf)
    res = optimize.least_squares(
        compiled.fun, start, jac=compiled.jac(), bounds=bounds_arg, **options
    )
    return holder.result(res)
