"""Maximum likelihood with the exact gradient and Hessian (scipy.optimize.minimize).

The negative log-likelihood is minimised over unconstrained parameters
(:mod:`symdiff.stats.transforms`) with ``trust-exact``, which uses the exact Hessian
(a small dense matrix: one row per parameter).  Standard errors come from inverting
the observed information ``-H`` computed in the *natural* parameters at the MLE (not
from the unconstrained Hessian by the delta method: at the optimum the two agree, and
the natural one needs no Jacobian).  Until :mod:`symdiff.optimize` lands, this module
calls :func:`scipy.optimize.minimize` directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symdiff.stats.families import family_of
from symdiff.stats.likelihood import as_data, compiled
from symdiff.stats.transforms import to_unconstrained

METHODS = ("trust-exact", "newton-cg", "closed_form")


@dataclass
class FitResult:
    """What :func:`fit` returns.

    ``params``: the MLE by name (fixed parameters included); ``se``: standard errors
    of the free parameters; ``cov``: their covariance (inverse observed information);
    ``loglik``; ``nit``, ``nfev``, ``njev``, ``nhev``, ``success``, ``message``: the
    optimiser's report (zeros for ``closed_form``).
    """

    family: str
    params: dict
    se: dict
    cov: np.ndarray
    loglik: float
    nit: int
    nfev: int
    njev: int
    nhev: int
    success: bool
    message: str

    def conf_int(self, level=0.95):
        """Wald intervals ``estimate -/+ z * se`` for each free parameter.

        Examples
        --------
        >>> r = fit("normal", [0.0, 1.0, 2.0, 3.0])
        >>> lo, hi = r.conf_int()["mu"]
        >>> bool(lo < 1.5 < hi)
        True
        """
        if not 0 < level < 1:
            raise ValueError(f"level must be in (0, 1), got {level}")
        from scipy.stats import norm

        z = float(norm.ppf(0.5 + level / 2))
        return {
            k: (self.params[k] - z * s, self.params[k] + z * s)
            for k, s in self.se.items()
        }


def _fixed_values(fam, values, fixed, data):
    vals = {**values, **fixed}
    out = {}
    for p in fam.fixed:
        if p not in vals:
            raise TypeError(f"fit({fam.name}): give the fixed parameter {p}=...")
        out[p] = float(vals[p])
    if fam.name == "binomial" and np.any(data > out["n"]):
        raise ValueError(f"binomial: data exceed n = {out['n']}")
    return out


def _start(fam, data, fixed):
    if fam.name == "binomial":
        return {"p": float(np.mean(data)) / fixed["n"]}
    if fam.start is None:
        raise ValueError(
            f"fit({fam.name}): the MLE is on the boundary of the support (not a "
            "smooth optimum); it is not fitted numerically"
        )
    return fam.start(data)


def fit(family, data, method="trust-exact", **fixed):
    """The maximum-likelihood estimate of ``family``'s parameters from ``data``.

    Parameters
    ----------
    family : str, Family, or a numeric.distributions class or instance
    data : array_like
        Independent observations (flattened).
    method : {"trust-exact", "newton-cg", "closed_form"}
        ``closed_form`` only for families with one (Bernoulli, Poisson, Normal,
        Exponential, LogNormal).
    **fixed : number
        Parameters that are given, not estimated (Binomial's ``n``).

    Returns
    -------
    FitResult

    Examples
    --------
    >>> r = fit("exponential", [0.5, 1.0, 1.5])
    >>> round(r.params["rate"], 8), r.success
    (1.0, True)
    >>> round(r.se["rate"], 6)  # rate / sqrt(n)
    0.57735
    """
    fam, values = family_of(family)
    d = as_data(data, fam)
    fixed = _fixed_values(fam, values, fixed, d)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    free, value_grad, hess, natural_hess = compiled(
        fam.name, tuple(sorted(fixed.items()))
    )
    cons = dict(zip(fam.params, fam.constraints, strict=True))
    if method == "closed_form":
        if fam.mle is None:
            raise ValueError(f"{fam.name} has no closed-form MLE")
        theta = fam.mle(d)
        report = (0, 0, 0, 0, True, "closed form")
    else:
        start = _start(fam, d, fixed)
        theta, report = _optimise(d, free, cons, start, method, value_grad, hess)
    th = [theta[p] for p in free]
    info = -natural_hess(d, *th)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.full_like(info, np.nan)
    se = {p: float(np.sqrt(cov[i, i])) for i, p in enumerate(free)}
    u = [to_unconstrained(cons[p], theta[p]) for p in free]
    return FitResult(
        fam.name, {**fixed, **theta}, se, cov, value_grad(d, *u)[0], *report
    )


def _optimise(d, free, cons, start, method, value_grad, hess):
    from scipy.optimize import minimize

    u0 = np.array([to_unconstrained(cons[p], start[p]) for p in free])

    def fun(u):
        v, g = value_grad(d, *u)
        return -v, -g

    res = minimize(
        fun,
        u0,
        jac=True,
        hess=lambda u: -hess(d, *u),
        method="trust-exact" if method == "trust-exact" else "Newton-CG",
        options={"gtol": 1e-9 * max(1.0, d.size)} if method == "trust-exact" else {},
    )
    theta = {}
    for p, ui in zip(free, res.x, strict=True):
        c = cons[p]
        if c == "positive":
            ui = np.exp(ui)
        elif c == "unit":
            ui = 1 / (1 + np.exp(-ui))
        theta[p] = float(ui)
    report = (
        int(res.get("nit", 0)),
        int(res.get("nfev", 0)),
        int(res.get("njev", 0)),
        int(res.get("nhev", 0)),
        # trust-exact stops with "bad approximation" when it cannot improve further
        # at rounding level: that is convergence if the gradient is at that level too
        bool(res.success or np.max(np.abs(res.jac)) <= 1e-7 * max(1.0, abs(res.fun))),
        str(res.message),
    )
    return theta, report
