"""A problem stated with expressions, turned into what scipy.optimize.minimize wants."""

from __future__ import annotations

import numpy as np

from symdiff.constructors.tensor import sum as expr_sum
from symdiff.core.errors import ShapeError
from symdiff.core.expr import Expr, Symbol, const
from symdiff.optimize.derivatives import Compiled, CompiledVector, flat_vector
from symdiff.optimize.packing import Packing

__all__ = ["METHODS", "Problem"]

# What each supported method accepts besides fun and jac (scipy's documentation).
METHODS = {
    "trust-constr": {"hess", "constraints", "bounds"},
    "newton-cg": {"hess"},
    "trust-krylov": {"hess"},
    "l-bfgs-b": {"bounds"},
    "slsqp": {"constraints", "bounds"},
}


def as_expr(value, what):
    """An Expr of ``value`` (numbers become constants), or a TypeError naming it.

    Examples
    --------
    >>> as_expr(2.0, "the objective").shape
    ()
    >>> as_expr(True, "equalities[0]")
    Traceback (most recent call last):
    ...
    TypeError: equalities[0] is a bool (True): `==` between expressions tests ...
    """
    if isinstance(value, bool):
        raise TypeError(
            f"{what} is a bool ({value}): `==` between expressions tests structural "
            "identity and `<=`/`>=` build no expression here; pass g for g(x) = 0 in "
            "equalities=, h for h(x) >= 0 in inequalities=, or (lo, expr, hi) in "
            "constraints="
        )
    if isinstance(value, Expr):
        return value
    if isinstance(value, (int, float, np.ndarray, np.number)):
        return const(value)
    raise TypeError(f"{what} must be an expression; got {type(value).__name__}")


def check_method(method):
    """The lower-case name of a supported method, or a ValueError listing them.

    Examples
    --------
    >>> check_method("Newton-CG")
    'newton-cg'
    """
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ValueError(
            f"unknown or unsupported method {method!r}; symdiff.optimize supports "
            f"{', '.join(sorted(METHODS))}"
        )
    return method.lower()


def _check_symbols(expr, packing, what):
    known = set(packing.params)
    stray = sorted(s.name for s in expr.free_symbols if s not in known)
    if stray:
        raise ValueError(
            f"{what} depends on symbols that are not parameters: {', '.join(stray)} "
            "(substitute their values first, or add them to params)"
        )


def _side(value, shape, default, what):
    if value is None:
        return np.full(shape, default)
    arr = np.asarray(value, dtype=float)
    try:
        return np.broadcast_to(arr, shape).astype(float)
    except ValueError:
        raise ShapeError(
            f"{what} has shape {arr.shape}; it must broadcast to shape {shape}"
        ) from None


class Problem:
    """An objective, its parameters, constraints and bounds, for scipy.optimize.

    The functions are compiled once, on first use, and reused for every call.

    Parameters
    ----------
    objective : Expr
        A scalar expression of the parameters.
    params : Symbol or sequence of Symbol
        The unknowns (scalar or shaped), packed into one flat vector in this order
        (see :class:`Packing`).
    equalities : sequence of Expr, optional
        Each ``g`` means ``g(x) = 0`` (elementwise for a shaped ``g``).
    inequalities : sequence of Expr, optional
        Each ``h`` means ``h(x) >= 0``: scipy's SLSQP convention.
    constraints : sequence of (lo, Expr, hi), optional
        Two-sided ``lo <= expr(x) <= hi``; ``lo``/``hi`` are numbers, arrays that
        broadcast to the expression's shape, or None (unbounded).
    bounds : dict, optional
        ``{symbol: (lo, hi)}`` (or keyed by name), each side a number, an array of
        the symbol's shape, or None.

    Notes
    -----
    On this branch ``==`` between expressions is structural identity and ``<=``
    does not build an expression, hence the three lists instead of comparisons.

    Examples
    --------
    >>> import numpy as np, scipy.optimize
    >>> from symdiff import Symbol
    >>> from symdiff.optimize import Problem
    >>> x = Symbol("x", shape=(2,))
    >>> f = (x[0] - 1) ** 2 + 10 * (x[1] - x[0] ** 2) ** 2
    >>> problem = Problem(f, [x], inequalities=[4 - x @ x], bounds={x: (-2, 2)})
    >>> kw = problem.minimize_kwargs("trust-constr")
    >>> sorted(kw)
    ['bounds', 'constraints', 'fun', 'hess', 'jac', 'method']
    >>> res = scipy.optimize.minimize(x0=problem.x0({x: [0.0, 0.0]}), tol=1e-10, **kw)
    >>> np.round(res.x, 4)
    array([1., 1.])
    """

    def __init__(
        self,
        objective,
        params,
        *,
        equalities=(),
        inequalities=(),
        constraints=(),
        bounds=None,
    ):
        self.packing = Packing(params)
        objective = as_expr(objective, "the objective")
        if objective.shape != ():
            raise ShapeError(
                f"the objective must be a scalar expression; got shape "
                f"{objective.shape} (sum it, or use least_squares for residuals)"
            )
        _check_symbols(objective, self.packing, "the objective")
        self.objective = objective
        self.compiled = Compiled(self.packing, objective)
        self._constraint_vector(equalities, inequalities, constraints)
        self.bounds = self._bounds(bounds)

    def _constraint_vector(self, equalities, inequalities, constraints):
        exprs, lows, highs = [], [], []
        for kind, items in (("equalities", equalities), ("inequalities", inequalities)):
            for k, g in enumerate(_listed(items, kind)):
                g = as_expr(g, f"{kind}[{k}]")
                exprs.append(g)
                zero = np.zeros(g.shape)
                lows.append(zero)
                highs.append(zero if kind == "equalities" else np.full(g.shape, np.inf))
        for k, triple in enumerate(_listed(constraints, "constraints")):
            if not (isinstance(triple, (tuple, list)) and len(triple) == 3):
                raise TypeError(
                    f"constraints[{k}] must be a (lo, expr, hi) triple; got "
                    f"{type(triple).__name__} (equalities= and inequalities= take bare "
                    "expressions)"
                )
            lo, g, hi = triple
            g = as_expr(g, f"constraints[{k}]")
            lows.append(_side(lo, g.shape, -np.inf, f"constraints[{k}]'s lower side"))
            highs.append(_side(hi, g.shape, np.inf, f"constraints[{k}]'s upper side"))
            exprs.append(g)
        for k, g in enumerate(exprs):
            _check_symbols(g, self.packing, f"constraint {k}")
        self.lower = np.concatenate([a.reshape(-1) for a in lows]) if exprs else None
        self.upper = np.concatenate([a.reshape(-1) for a in highs]) if exprs else None
        self.constraint = (
            CompiledVector(self.packing, flat_vector(exprs)) if exprs else None
        )

    def _bounds(self, bounds):
        if not bounds:
            return None
        if not isinstance(bounds, dict):
            raise TypeError(
                "bounds must be a dict {symbol: (lo, hi)}; got "
                f"{type(bounds).__name__}"
            )
        lo = np.full(self.packing.size, -np.inf)
        hi = np.full(self.packing.size, np.inf)
        by_name = {p.name: p for p in self.packing.params}
        for key, pair in bounds.items():
            name = key.name if isinstance(key, Expr) else key
            if name not in by_name:
                raise ValueError(f"bounds: {name!r} is not a parameter")
            p = by_name[name]
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
                raise TypeError(f"bounds[{name}] must be a pair (lo, hi); got {pair!r}")
            sl, shape = self.packing.slices[p], self.packing.shapes[p]
            lo[sl] = _side(pair[0], shape, -np.inf, f"bounds[{name}][0]").reshape(-1)
            hi[sl] = _side(pair[1], shape, np.inf, f"bounds[{name}][1]").reshape(-1)
        if np.any(lo > hi):
            raise ValueError("bounds: some lower bound exceeds its upper bound")
        return lo, hi

    def x0(self, values):
        """The flat starting vector: from ``{symbol: value}``, a flat array of length
        ``packing.size``, one value per parameter, or (one parameter) its value.

        Examples
        --------
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Problem
        >>> u = Symbol("u", shape=(2, 2))
        >>> Problem((u * u).sum(), [u]).x0([[1.0, 2.0], [3.0, 4.0]])
        array([1., 2., 3., 4.])
        """
        packing = self.packing
        if isinstance(values, dict):
            return packing.pack(values)
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            arr = None
        if arr is not None and arr.shape == (packing.size,):
            return arr.copy()
        if len(packing.params) == 1:
            return packing.pack([values])
        if arr is not None:  # a rectangular array that is not the flat vector
            raise ShapeError(
                f"x0 has shape {np.shape(values)}; the parameters "
                f"({packing.describe()}) pack into shape ({packing.size},)"
            )
        return packing.pack(values)

    # long: one branch per kind of argument, in scipy's order, reads as a table
    def minimize_kwargs(self, method="trust-constr", *, hessp=False):
        """The keyword arguments of ``scipy.optimize.minimize`` for ``method``.

        Parameters
        ----------
        method : {"trust-constr", "Newton-CG", "trust-krylov", "L-BFGS-B", "SLSQP"}
        hessp : bool, default False
            Give Newton-CG / trust-constr the exact Hessian-vector product
            (``hessp``) instead of the sparse Hessian (``hess``).  trust-krylov
            always gets ``hessp``: its subproblem solver takes only dense matrices.

        Returns
        -------
        dict
            ``method``, ``fun``, ``jac`` and what the method accepts of ``hess``
            (CSR) or ``hessp``, ``constraints`` (``NonlinearConstraint`` for
            trust-constr with the exact Jacobian and the Hessian of ``v . c(x)``;
            dicts for SLSQP) and ``bounds`` (``scipy.optimize.Bounds``).

        Raises
        ------
        ValueError
            For an unknown method, or constraints/bounds the method cannot take.

        Examples
        --------
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Problem
        >>> x = Symbol("x", shape=(3,))
        >>> sorted(Problem((x**4).sum(), [x]).minimize_kwargs("L-BFGS-B"))
        ['fun', 'jac', 'method']
        """
        from scipy import optimize

        name = check_method(method)
        accepts = METHODS[name]
        if self.constraint is not None and "constraints" not in accepts:
            raise ValueError(
                f"method {method!r} takes no constraints; use 'trust-constr' or 'SLSQP'"
            )
        if self.bounds is not None and "bounds" not in accepts:
            raise ValueError(
                f"method {method!r} takes no bounds; use 'trust-constr', 'L-BFGS-B' "
                "or 'SLSQP'"
            )
        kw = {"method": method, "fun": self.compiled.fun(), "jac": self.compiled.jac()}
        if "hess" in accepts:
            # trust-krylov's trlib takes dense matrices only: give it products
            if hessp or name == "trust-krylov":
                kw["hessp"] = self.compiled.hessp()
            else:
                kw["hess"] = self.compiled.hess()
        if self.bounds is not None:
            kw["bounds"] = optimize.Bounds(*self.bounds)
        if self.constraint is not None:
            if name == "trust-constr":
                kw["constraints"] = self._nonlinear_constraint(optimize)
            else:
                kw["constraints"] = self._slsqp_constraints()
        return kw

    def _nonlinear_constraint(self, optimize):
        c = self.constraint
        v = Symbol("<multipliers>", shape=(c.size,))
        lagrangian = Compiled(self.packing, expr_sum(v * c.vector), extras=[v])
        return optimize.NonlinearConstraint(
            c.fun, self.lower, self.upper, jac=c.jac(), hess=lagrangian.hess()
        )

    def _slsqp_constraints(self):
        """Dict constraints: c - lo = 0 where lo == hi; c - lo >= 0, hi - c >= 0."""
        c, lo, hi = self.constraint, self.lower, self.upper
        jac = c.jac()
        eq = lo == hi
        below = np.isfinite(lo) & ~eq
        above = np.isfinite(hi) & ~eq
        out = []
        if eq.any():
            out.append(
                {
                    "type": "eq",
                    "fun": lambda x: c.fun(x)[eq] - lo[eq],
                    "jac": lambda x: jac(x)[eq].toarray(),
                }
            )
        if below.any() or above.any():

            def fun(x):
                val = c.fun(x)
                return np.concatenate([val[below] - lo[below], hi[above] - val[above]])

            def dfun(x):
                J = jac(x).toarray()
                return np.concatenate([J[below], -J[above]])

            out.append({"type": "ineq", "fun": fun, "jac": dfun})
        return out

    def result(self, res):
        """scipy's result with ``.params``: the solution unpacked by symbol.

        Examples
        --------
        >>> import numpy as np, scipy.optimize
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Problem
        >>> a = Symbol("a")
        >>> problem = Problem((a - 3) ** 2, [a])
        >>> kw = problem.minimize_kwargs("L-BFGS-B")
        >>> res = problem.result(scipy.optimize.minimize(x0=np.zeros(1), **kw))
        >>> round(res.params[a], 6)
        3.0
        """
        res.params = self.packing.unpack(res.x)
        return res


def _listed(items, what):
    """A list of constraint items; one bare expression (or bool) is a list of one."""
    if isinstance(items, (Expr, bool)):
        return [items]
    try:
        return list(items)
    except TypeError:
        raise TypeError(f"{what} must be a list; got {type(items).__name__}") from None
