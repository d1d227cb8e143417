"""The log-likelihood of a data vector, and its compiled derivatives (cached).

The data are a symbol of named length ``n`` (:func:`data_symbol`), so one
expression, and one compiled gradient and Hessian, serve data sets of every length:
the compiled functions bind ``n`` from the array passed in.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from symdiff.codegen import lambdify
from symdiff.constructors.tensor import sum as sum_
from symdiff.core.expr import Symbol
from symdiff.diff import grad, hessian
from symdiff.stats.families import family_of, log_density
from symdiff.stats.transforms import to_natural


def data_symbol(n="n"):
    """The symbol standing for the observations: ``n`` of them.

    Parameters
    ----------
    n : str or int, default "n"
        A dimension name (the default: any length, bound from the data when the
        expression is evaluated or compiled) or a fixed length.

    Examples
    --------
    >>> data_symbol().shape  # the named dimension n
    (n,)
    >>> data_symbol(3).shape
    (3,)
    """
    if isinstance(n, str):
        return Symbol("data", shape=(n,))
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ValueError(
            f"data_symbol: n must be a dimension name or an int >= 0, got {n!r}"
        )
    return Symbol("data", shape=(int(n),))


def as_data(data, fam):
    """``data`` as a 1-D float array, checked against the family's support."""
    d = np.asarray(data, dtype=float).reshape(-1)
    if d.size == 0:
        raise ValueError(f"{fam.name}: the data are empty")
    if not np.all(np.isfinite(d)):
        raise ValueError(f"{fam.name}: the data contain nan or inf")
    bad = {
        "positive": d <= 0,
        "unit": (d <= 0) | (d >= 1),
        "counts": (d < 0) | (d != np.round(d)),
        "binary": (d != 0) & (d != 1),
    }.get(fam.support)
    if bad is not None and bad.any():
        raise ValueError(
            f"{fam.name}: data outside the support ({fam.support}), e.g. "
            f"{d[bad][0]!r} at index {int(np.argmax(bad))}"
        )
    return d


def log_likelihood(family, data, **params):
    """The log-likelihood ``sum_i log p(data_i | params)`` as an expression.

    Parameters
    ----------
    family : str, Family, or a numeric.distributions class or instance
    data : Expr or array_like
        A data vector (numbers, or a symbol of shape ``(n,)``).
    **params : Expr or number

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, diff, evaluate
    >>> lam = Symbol("lam")
    >>> ll = log_likelihood("poisson", [1, 2, 3], rate=lam)
    >>> float(evaluate(diff(ll, lam), {lam: 2.0}))  # sum(x) / lam - n
    0.0
    """
    return sum_(log_density(family, data, **params))


@lru_cache(maxsize=64)
def compiled(name, fixed):
    """Compiled log-likelihood pieces for family ``name`` and the fixed parameter
    values ``fixed`` (a tuple of pairs), built once and cached: the data have the
    named length ``n``, so one entry serves data sets of every length.

    Returns ``(free, value_grad, hess, natural_hess)``: the free parameter names;
    ``value_grad(data, *u)`` -> (ll, gradient) and ``hess(data, *u)`` in
    unconstrained space; ``natural_hess(data, *theta)`` the Hessian in the natural
    parameters (for the observed information at the MLE).
    """
    fam, _ = family_of(name)
    X = data_symbol()
    free = [p for p in fam.params if p not in fam.fixed]
    cons = dict(zip(fam.params, fam.constraints, strict=True))
    us = [Symbol("u_" + p) for p in free]
    thetas = [Symbol(p) for p in free]
    fixed = dict(fixed)
    nat = {p: to_natural(cons[p], u) for p, u in zip(free, us, strict=True)}
    ll_u = log_likelihood(fam, X, **nat, **fixed)
    ll_t = log_likelihood(fam, X, **dict(zip(free, thetas, strict=True)), **fixed)
    g = grad(ll_u, us)
    h = hessian(ll_u, us)
    ht = hessian(ll_t, thetas)
    k = len(free)
    f_vg = lambdify([X, *us], [ll_u, *g])
    f_h = lambdify([X, *us], [h[i][j] for i in range(k) for j in range(k)])
    f_ht = lambdify([X, *thetas], [ht[i][j] for i in range(k) for j in range(k)])

    def value_grad(data, *u):
        out = f_vg(data, *u)
        return float(out[0]), np.array(out[1:], dtype=float)

    def hess(data, *u):
        return np.array(f_h(data, *u), dtype=float).reshape(k, k)

    def natural_hess(data, *theta):
        return np.array(f_ht(data, *theta), dtype=float).reshape(k, k)

    return tuple(free), value_grad, hess, natural_hess
