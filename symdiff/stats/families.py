"""Log-densities of the distribution families as symdiff expressions.

Each :class:`Family` names its parameters, their constraints (``real``, ``positive``,
``unit`` for probabilities; the map to unconstrained space is
:mod:`symdiff.stats.transforms`), the log-density as an expression in the data and the
parameters (stable forms: ``gammaln``, ``log1p``), and where they exist the closed-form
Fisher information per observation and the closed-form MLE.  Families are named like
:mod:`numeric.distributions` (and accepted as its classes or instances, looked up by
name, so this module does not import :mod:`numeric`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from symdiff.constructors.elementwise import log, log1p
from symdiff.constructors.special import betaln, gammaln, trigamma
from symdiff.core.expr import Expr, as_expr

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


@dataclass(frozen=True)
class Family:
    """One family: parameters, constraints, log-density and what has a closed form.

    ``logpdf(x, p)`` builds the log-density at ``x`` from ``p``, a dict of parameter
    expressions; ``fisher(p)`` the Fisher information of one observation (a nested
    list of expressions, ``None`` if it has no closed form); ``mle(data)`` the
    closed-form MLE (``None`` if there is none); ``start(data)`` a starting point for
    the numerical fit; ``scipy(p)`` the frozen ``scipy.stats`` distribution.
    """

    name: str
    params: tuple[str, ...]
    constraints: tuple[str, ...]
    logpdf: object
    scipy: object
    start: object
    discrete: bool = False
    fixed: tuple[str, ...] = ()  # given, never estimated (Binomial's n)
    fisher: object = None
    mle: object = None
    support: str = "real"  # for data checks: real, positive, unit, counts, binary
    aliases: tuple[str, ...] = field(default=())


def _z(x, mu, sigma):
    return (x - mu) / sigma


def _normal_fisher(p):
    s2 = p["sigma"] ** 2
    return [[1 / s2, 0], [0, 2 / s2]]


def _normal_mle(d):
    return {"mu": float(np.mean(d)), "sigma": float(np.std(d))}


def _lognormal_mle(d):
    return _normal_mle(np.log(d))


def _gamma_start(d):
    m, v = float(np.mean(d)), float(np.var(d))
    return {"shape": m * m / v, "scale": v / m}


def _beta_start(d):
    m, v = float(np.mean(d)), float(np.var(d))
    c = m * (1 - m) / v - 1
    return {"a": max(m * c, 1e-2), "b": max((1 - m) * c, 1e-2)}


def _t_start(d):
    q1, med, q3 = np.percentile(d, [25, 50, 75])
    return {"df": 5.0, "mu": float(med), "sigma": float(q3 - q1) / 1.5}


def _beta_fisher(p):
    a, b = p["a"], p["b"]
    ab = trigamma(a + b)
    return [[trigamma(a) - ab, -ab], [-ab, trigamma(b) - ab]]


def _clip_unit(m):
    return {"p": float(m)}


def _stats():
    import scipy.stats

    return scipy.stats


FAMILIES = {
    f.name: f
    for f in (
        Family(
            "bernoulli",
            ("p",),
            ("unit",),
            lambda x, p: x * log(p["p"]) + (1 - x) * log1p(-p["p"]),
            lambda p: _stats().bernoulli(p["p"]),
            lambda d: _clip_unit(np.mean(d)),
            discrete=True,
            fisher=lambda p: [[1 / (p["p"] * (1 - p["p"]))]],
            mle=lambda d: _clip_unit(np.mean(d)),
            support="binary",
        ),
        Family(
            "binomial",
            ("n", "p"),
            ("fixed", "unit"),
            lambda x, p: (
                gammaln(p["n"] + 1)
                - gammaln(x + 1)
                - gammaln(p["n"] - x + 1)
                + x * log(p["p"])
                + (p["n"] - x) * log1p(-p["p"])
            ),
            lambda p: _stats().binom(p["n"], p["p"]),
            None,  # the start and the MLE need n: see symdiff.stats.fit
            discrete=True,
            fixed=("n",),
            fisher=lambda p: [[p["n"] / (p["p"] * (1 - p["p"]))]],
            support="counts",
        ),
        Family(
            "poisson",
            ("rate",),
            ("positive",),
            lambda x, p: x * log(p["rate"]) - p["rate"] - gammaln(x + 1),
            lambda p: _stats().poisson(p["rate"]),
            lambda d: {"rate": float(np.mean(d))},
            discrete=True,
            fisher=lambda p: [[1 / p["rate"]]],
            mle=lambda d: {"rate": float(np.mean(d))},
            support="counts",
        ),
        Family(
            "normal",
            ("mu", "sigma"),
            ("real", "positive"),
            lambda x, p: (
                -_HALF_LOG_2PI - log(p["sigma"]) - 0.5 * _z(x, p["mu"], p["sigma"]) ** 2
            ),
            lambda p: _stats().norm(p["mu"], p["sigma"]),
            _normal_mle,
            fisher=_normal_fisher,
            mle=_normal_mle,
        ),
        Family(
            "exponential",
            ("rate",),
            ("positive",),
            lambda x, p: log(p["rate"]) - p["rate"] * x,
            lambda p: _stats().expon(scale=1 / p["rate"]),
            lambda d: {"rate": 1 / float(np.mean(d))},
            fisher=lambda p: [[1 / p["rate"] ** 2]],
            mle=lambda d: {"rate": 1 / float(np.mean(d))},
            support="positive",
        ),
        Family(
            "gamma",
            ("shape", "scale"),
            ("positive", "positive"),
            lambda x, p: (
                (p["shape"] - 1) * log(x)
                - x / p["scale"]
                - gammaln(p["shape"])
                - p["shape"] * log(p["scale"])
            ),
            lambda p: _stats().gamma(p["shape"], scale=p["scale"]),
            _gamma_start,
            fisher=lambda p: [
                [trigamma(p["shape"]), 1 / p["scale"]],
                [1 / p["scale"], p["shape"] / p["scale"] ** 2],
            ],
            support="positive",
        ),
        Family(
            "beta",
            ("a", "b"),
            ("positive", "positive"),
            lambda x, p: (
                (p["a"] - 1) * log(x)
                + (p["b"] - 1) * log1p(-x)
                - betaln(p["a"], p["b"])
            ),
            lambda p: _stats().beta(p["a"], p["b"]),
            _beta_start,
            fisher=_beta_fisher,
            support="unit",
        ),
        Family(
            "studentt",
            ("df", "mu", "sigma"),
            ("positive", "real", "positive"),
            lambda x, p: (
                gammaln((p["df"] + 1) / 2)
                - gammaln(p["df"] / 2)
                - 0.5 * log(p["df"] * math.pi)
                - log(p["sigma"])
                - (p["df"] + 1) / 2 * log1p(_z(x, p["mu"], p["sigma"]) ** 2 / p["df"])
            ),
            lambda p: _stats().t(p["df"], p["mu"], p["sigma"]),
            _t_start,
            aliases=("t",),
        ),
        Family(
            "lognormal",
            ("mu", "sigma"),
            ("real", "positive"),
            lambda x, p: (
                -log(x)
                - _HALF_LOG_2PI
                - log(p["sigma"])
                - 0.5 * _z(log(x), p["mu"], p["sigma"]) ** 2
            ),
            lambda p: _stats().lognorm(p["sigma"], scale=math.exp(p["mu"])),
            _lognormal_mle,
            fisher=_normal_fisher,
            mle=_lognormal_mle,
            support="positive",
        ),
        Family(
            "uniform",
            ("low", "high"),
            ("real", "real"),
            # inside the support; the MLE (min, max) sits on the boundary, where the
            # likelihood is not smooth: fit() refuses it
            lambda x, p: -log(p["high"] - p["low"]) + 0 * x,
            lambda p: _stats().uniform(p["low"], p["high"] - p["low"]),
            None,
        ),
        Family(
            "discreteuniform",
            ("low", "high"),
            ("fixed", "fixed"),
            lambda x, p: -log(p["high"] - p["low"] + 1) + 0 * x,
            lambda p: _stats().randint(p["low"], p["high"] + 1),
            None,
            discrete=True,
            fixed=("low", "high"),
            support="counts",
        ),
    )
}
_BY_NAME = {a: f for f in FAMILIES.values() for a in (f.name, *f.aliases)}


def family_of(family):
    """The :class:`Family` and the parameter values it carries.

    ``family`` is a name (``"normal"``, ``"Normal"``), a :class:`Family`, a
    :mod:`numeric.distributions` class (``Normal``) or instance (``Normal(0, 2)``:
    its parameters become the values).

    Examples
    --------
    >>> fam, values = family_of("Gamma")
    >>> fam.params, values
    (('shape', 'scale'), {})
    """
    if isinstance(family, Family):
        return family, {}
    if isinstance(family, str):
        key = family
    elif isinstance(family, type):
        key = family.__name__
    else:
        key = type(family).__name__
    key = key.lower().replace("_", "").replace(" ", "")
    if key in ("categorical", "multinomial", "multivariatenormal", "mvnormal"):
        raise ValueError(
            f"{key} is a vector family: use symdiff.stats.categorical_log_pmf, "
            "multinomial_log_pmf or mvnormal_log_pdf (and fit_closed_form)"
        )
    if key not in _BY_NAME:
        known = ", ".join(sorted(FAMILIES))
        raise ValueError(f"unknown distribution family {family!r}; known: {known}")
    raw = getattr(family, "params", None)
    values = {}
    if not isinstance(family, (str, type)) and isinstance(raw, dict):
        values = {k: float(np.asarray(v)) for k, v in raw.items()}
    return _BY_NAME[key], values


def log_density(family, x, **params):
    """The log-density (log-pmf for discrete families) of ``family`` at ``x``.

    Parameters
    ----------
    family : str, Family, or a numeric.distributions class or instance
        The family (see :func:`family_of`); an instance supplies parameter values.
    x : Expr, number or array
        The point(s); the result is elementwise in ``x``.
    **params : Expr or number
        Every parameter of the family (names as in ``Family.params``), as numbers or
        symbols.

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, evaluate
    >>> x, mu = Symbol("x"), Symbol("mu")
    >>> e = log_density("normal", x, mu=mu, sigma=1.0)
    >>> print(e)
    -0.9189385332046727 - 0.5*(x - mu)**2
    >>> round(float(evaluate(e, {x: 0.0, mu: 0.0})), 6)
    -0.918939
    """
    fam, values = family_of(family)
    values.update(params)
    missing = [p for p in fam.params if p not in values]
    extra = [p for p in values if p not in fam.params]
    if missing or extra:
        raise TypeError(
            f"log_density({fam.name}): parameters are {fam.params}; "
            f"missing {missing}, unexpected {extra}"
        )
    exprs = {k: v if isinstance(v, Expr) else as_expr(v) for k, v in values.items()}
    return fam.logpdf(as_expr(x), exprs)
