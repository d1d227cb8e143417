"""Score, observed information and Fisher information of a data vector.

All three are exact derivatives of the symbolic log-likelihood
(:func:`symdiff.stats.log_likelihood`) in the natural parameters.  Parameters given
as numbers give numbers (numpy arrays); parameters given as symbols give expressions.
The Fisher information has a closed form for most families (Bernoulli, Binomial,
Poisson, Normal, Exponential, Gamma and Beta through trigamma, LogNormal); for the
others (StudentT) it is a Monte Carlo mean of the observed information, returned with
its standard error.
"""

from __future__ import annotations

import numpy as np

from symdiff.core.expr import Expr, Symbol, as_expr
from symdiff.core.expr import subs as subs_
from symdiff.diff import grad, hessian
from symdiff.evaluate import evaluate
from symdiff.stats.families import family_of
from symdiff.stats.likelihood import as_data, log_likelihood


def _setup(family, data, params):
    """Family, data, the free parameters' symbols and the values to substitute."""
    fam, values = family_of(family)
    values.update(params)
    missing = [p for p in fam.params if p not in values]
    if missing:
        raise TypeError(f"{fam.name}: give the parameters {missing}")
    free = [p for p in fam.params if p not in fam.fixed]
    syms, subs = {}, {}
    numeric = True
    for p in free:
        v = values[p]
        if isinstance(v, Expr):
            syms[p] = v
            numeric = False
        else:
            syms[p] = Symbol(p)
            subs[syms[p]] = float(v)
    fixed = {p: values[p] for p in fam.fixed}
    if not isinstance(data, Expr):
        data = as_data(data, fam)
    return fam, data, free, syms, fixed, subs, numeric


def _finish(exprs, subs, numeric):
    if not numeric:  # the numbers given go in; the symbols given stay
        if exprs and isinstance(exprs[0], tuple):
            return tuple(tuple(subs_(as_expr(e), subs) for e in row) for row in exprs)
        return tuple(subs_(e, subs) for e in exprs)
    if exprs and isinstance(exprs[0], tuple):  # a matrix: evaluated flat, reshaped
        k = len(exprs)
        flat = [as_expr(e) for row in exprs for e in row]
        # + 0.0: an exact zero prints as 0, not -0
        return np.array(evaluate(flat, subs), dtype=float).reshape(k, k) + 0.0
    return np.array(evaluate(list(exprs), subs), dtype=float)


def score(family, data, **params):
    """The score: the gradient of the log-likelihood in the free parameters.

    Parameters
    ----------
    family : str, Family, or a numeric.distributions class or instance
    data : array_like or Expr
        The observations (any length).
    **params : number or Expr
        Every parameter; numbers give a numpy vector, symbols an expression tuple.

    Returns
    -------
    numpy.ndarray or tuple of Expr
        One entry per free parameter, in ``Family.params`` order.

    Examples
    --------
    >>> score("poisson", [1, 2, 3], rate=2.0)  # sum(x) / rate - n
    array([0.])
    """
    fam, data, free, syms, fixed, subs, numeric = _setup(family, data, params)
    ll = log_likelihood(fam, data, **syms, **fixed)
    return _finish(tuple(grad(ll, [syms[p] for p in free])), subs, numeric)


def observed_information(family, data, **params):
    """The observed information ``-H``, the negated Hessian of the log-likelihood.

    Examples
    --------
    >>> observed_information("normal", [0.0, 1.0], mu=0.5, sigma=0.5)  # at the MLE
    array([[ 8.,  0.],
           [ 0., 16.]])
    """
    fam, data, free, syms, fixed, subs, numeric = _setup(family, data, params)
    ll = log_likelihood(fam, data, **syms, **fixed)
    h = hessian(ll, [syms[p] for p in free])
    return _finish(tuple(tuple(-e for e in row) for row in h), subs, numeric)


def fisher_information(family, n=1, *, samples=20_000, rng=None, **params):
    """The Fisher information of ``n`` observations, ``n * E[-H_1]``.

    Closed form where the family has one; else the Monte Carlo mean of the observed
    information over ``samples`` draws (``rng``: a ``numpy.random.Generator``), with
    the standard error of each entry (so entries are off by more than 4 standard
    errors with probability below 1e-4).

    Returns
    -------
    numpy.ndarray or tuple of Expr, or (numpy.ndarray, numpy.ndarray)
        The matrix; for Monte Carlo, the matrix and its standard errors.

    Examples
    --------
    >>> fisher_information("bernoulli", n=10, p=0.5)
    array([[40.]])
    """
    fam, values = family_of(family)
    values.update(params)
    if fam.fisher is not None:
        _, _, free, syms, fixed, subs, numeric = _setup(fam, as_expr(0.0), values)
        entries = fam.fisher({**syms, **fixed})
        out = tuple(tuple(as_expr(e) * n for e in row) for row in entries)
        return _finish(out, subs, numeric)
    if any(isinstance(v, Expr) for v in values.values()):
        raise ValueError(f"{fam.name}: no closed-form Fisher information; give numbers")
    if rng is None:
        raise ValueError(f"{fam.name}: Monte Carlo Fisher information needs rng=")
    draws = fam.scipy(values).rvs(size=int(samples), random_state=rng)
    per = _per_observation_information(fam, draws, values)
    return n * per.mean(axis=0), n * per.std(axis=0, ddof=1) / np.sqrt(len(draws))


def _per_observation_information(fam, draws, values):
    """The observed information of each draw alone, shape (samples, k, k)."""
    from symdiff.codegen import lambdify

    free = [p for p in fam.params if p not in fam.fixed]
    x = Symbol("x")
    syms = [Symbol(p) for p in free]
    fixed = {p: values[p] for p in fam.fixed}
    ll = fam.logpdf(x, {**dict(zip(free, syms, strict=True)), **fixed})
    h = hessian(ll, syms)
    k = len(free)
    f = lambdify([x, *syms], [-h[i][j] for i in range(k) for j in range(k)])
    cols = f(draws, *[float(values[p]) for p in free])
    cols = [np.broadcast_to(c, draws.shape) for c in cols]
    return np.stack(cols, axis=-1).reshape(len(draws), k, k)
