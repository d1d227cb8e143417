"""fit(): vs scipy.stats' fit and the closed-form MLE; Wald interval coverage."""

import numpy as np
import pytest
import scipy.optimize
import scipy.stats as ss

from symdiff.stats import fit

N_SETS = 20


def _tight(func, x0, args=(), disp=0):
    """scipy's default optimiser for fit (Nelder-Mead) with tight tolerances: with
    its defaults it stops where the score is still ~1e-4."""
    return scipy.optimize.fmin(
        func, x0, args, xtol=1e-9, ftol=1e-13, maxiter=5000, maxfun=10_000, disp=0
    )


# family, sampler(rng, n), scipy's MLE as our parameters
SCIPY_FITS = {
    "gamma": (
        lambda r, n: r.gamma(r.uniform(0.5, 5), r.uniform(0.5, 3), n),
        lambda d: dict(
            zip(("shape", "scale"), np.delete(ss.gamma.fit(d, floc=0), 1), strict=True)
        ),
    ),
    "beta": (
        lambda r, n: r.beta(r.uniform(0.5, 5), r.uniform(0.5, 5), n),
        lambda d: dict(
            zip(("a", "b"), ss.beta.fit(d, floc=0, fscale=1)[:2], strict=True)
        ),
    ),
    "studentt": (
        lambda r, n: r.uniform(-2, 2) + r.uniform(0.5, 2) * r.standard_t(5, n),
        lambda d: dict(
            zip(("df", "mu", "sigma"), ss.t.fit(d, optimizer=_tight), strict=True)
        ),
    ),
    "lognormal": (
        lambda r, n: r.lognormal(r.uniform(-1, 1), r.uniform(0.2, 1), n),
        lambda d: (lambda s, _, sc: {"mu": np.log(sc), "sigma": s})(
            *ss.lognorm.fit(d, floc=0)
        ),
    ),
    "exponential": (
        lambda r, n: r.exponential(r.uniform(0.2, 5), n),
        lambda d: {"rate": 1 / ss.expon.fit(d, floc=0)[1]},
    ),
    "normal": (
        lambda r, n: r.normal(r.uniform(-3, 3), r.uniform(0.5, 3), n),
        lambda d: dict(zip(("mu", "sigma"), ss.norm.fit(d), strict=True)),
    ),
}


def _loglik(fam, params, d):
    from symdiff.stats import FAMILIES

    return float(np.sum(FAMILIES[fam].scipy(params).logpdf(d)))


@pytest.mark.parametrize("fam", sorted(SCIPY_FITS))
def test_fit_agrees_with_scipy_fit(fam):
    sample, scipy_fit = SCIPY_FITS[fam]
    rng = np.random.default_rng(17)
    for _ in range(N_SETS):
        d = sample(rng, 300)
        ours = fit(fam, d)
        theirs = scipy_fit(d)
        assert ours.success, ours.message
        ll_ours, ll_theirs = _loglik(fam, ours.params, d), _loglik(fam, theirs, d)
        assert ll_ours >= ll_theirs - 1e-12 * abs(ll_theirs)
        assert np.isclose(ours.loglik, ll_ours, rtol=1e-10)
        for k, v in theirs.items():
            assert ours.params[k] == pytest.approx(v, rel=1e-6), (k, ours, theirs)


CLOSED = {
    "bernoulli": (lambda r, n: r.binomial(1, r.uniform(0.1, 0.9), n), {}),
    "binomial": (lambda r, n: r.binomial(12, r.uniform(0.1, 0.9), n), {"n": 12}),
    "poisson": (lambda r, n: r.poisson(r.uniform(0.5, 20), n), {}),
    "normal": (lambda r, n: r.normal(r.uniform(-3, 3), 2, n), {}),
    "exponential": (lambda r, n: r.exponential(r.uniform(0.2, 5), n), {}),
    "lognormal": (lambda r, n: r.lognormal(0.3, 0.5, n), {}),
}


def _closed_form(fam, d, fixed):
    if fam == "bernoulli":
        return {"p": d.mean()}
    if fam == "binomial":
        return {"p": d.mean() / fixed["n"]}
    if fam == "poisson":
        return {"rate": d.mean()}
    if fam == "exponential":
        return {"rate": 1 / d.mean()}
    if fam == "lognormal":
        d = np.log(d)
    return {"mu": d.mean(), "sigma": np.sqrt(np.mean((d - d.mean()) ** 2))}


@pytest.mark.parametrize("fam", sorted(CLOSED))
def test_numeric_fit_matches_closed_form_mle(fam):
    sample, fixed = CLOSED[fam]
    rng = np.random.default_rng(7)
    for _ in range(N_SETS):
        d = sample(rng, 200).astype(float)
        r = fit(fam, d, **fixed)
        assert r.success, r.message
        for k, v in _closed_form(fam, d, fixed).items():
            assert r.params[k] == pytest.approx(v, rel=1e-6)


def test_standard_errors_are_the_textbook_ones():
    d = np.random.default_rng(1).normal(2.0, 3.0, 500)
    r = fit("normal", d, method="closed_form")
    s = r.params["sigma"]
    assert r.se["mu"] == pytest.approx(s / np.sqrt(500), rel=1e-10)
    assert r.se["sigma"] == pytest.approx(s / np.sqrt(1000), rel=1e-10)
    r = fit("bernoulli", (d > 2).astype(float))
    p = r.params["p"]
    assert r.se["p"] == pytest.approx(np.sqrt(p * (1 - p) / 500), rel=1e-8)


# 2,000 data sets per family: the count of 95% intervals covering the truth is
# Binomial(2000, c) with c -> 0.95 as n grows; the band holds with probability
# 1 - 1e-4 (Bonferroni over the 6 parameters checked) if c = 0.95 exactly, widened
# by 0.005 for Wald's O(1/n) error at n = 400
COVER = {
    "normal": (lambda r: r.normal(1.0, 2.0, 400), {"mu": 1.0, "sigma": 2.0}),
    "poisson": (lambda r: r.poisson(4.0, 400), {"rate": 4.0}),
    "bernoulli": (lambda r: r.binomial(1, 0.3, 400), {"p": 0.3}),
    "exponential": (lambda r: r.exponential(0.5, 400), {"rate": 2.0}),
}


@pytest.mark.parametrize("fam", sorted(COVER))
def test_wald_intervals_cover_at_the_nominal_rate(fam):
    sample, truth = COVER[fam]
    rng = np.random.default_rng(2026)
    m = 2000
    hits = dict.fromkeys(truth, 0)
    for _ in range(m):
        ci = fit(fam, sample(rng).astype(float), method="closed_form").conf_int(0.95)
        for k, v in truth.items():
            hits[k] += ci[k][0] <= v <= ci[k][1]
    alpha = 1e-4 / 6
    lo, hi = ss.binom(m, 0.95).ppf([alpha / 2, 1 - alpha / 2]) / m
    for k, h in hits.items():
        assert lo - 0.005 <= h / m <= hi + 0.005, (k, h / m, lo, hi)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="outside the support"):
        fit("poisson", [1.0, -2.0])
    with pytest.raises(ValueError, match="empty"):
        fit("normal", [])
    with pytest.raises(TypeError, match="fixed parameter n"):
        fit("binomial", [1, 2])
    with pytest.raises(ValueError, match="no closed-form MLE"):
        fit("gamma", [1.0, 2.0], method="closed_form")
    with pytest.raises(ValueError, match="boundary"):
        fit("uniform", [0.1, 0.5])
    with pytest.raises(ValueError, match="method must be one of"):
        fit("normal", [1.0, 2.0], method="bfgs")


def test_newton_cg_and_a_numeric_instance_give_the_same_estimates():
    from numeric.distributions import Binomial

    rng = np.random.default_rng(3)
    d = rng.gamma(3.0, 2.0, 400)
    a, b = fit("gamma", d), fit("gamma", d, method="newton-cg")
    assert b.success
    for k in ("shape", "scale"):
        assert b.params[k] == pytest.approx(a.params[k], rel=1e-6)
    counts = rng.binomial(12, 0.4, 300).astype(float)
    r = fit(Binomial(12, 0.5), counts)  # the instance supplies n; p is estimated
    assert r.params["n"] == 12
    assert r.params["p"] == pytest.approx(counts.mean() / 12, rel=1e-8)


def test_one_compiled_likelihood_fits_every_data_length():
    """The data have a named length: the cache holds one entry per family, and the
    one compiled gradient and Hessian fit data sets of different lengths."""
    from symdiff.stats.likelihood import compiled, data_symbol

    assert data_symbol().shape == ("n",)
    compiled.cache_clear()
    rng = np.random.default_rng(23)
    for n in (40, 3000):
        d = rng.gamma(2.5, 1.5, n)
        ours = fit("gamma", d)
        theirs = SCIPY_FITS["gamma"][1](d)
        assert ours.success, ours.message
        for k, v in theirs.items():
            assert ours.params[k] == pytest.approx(v, rel=1e-6), (n, k)
        e = rng.exponential(0.5, n)
        assert fit("exponential", e).params["rate"] == pytest.approx(1 / e.mean())
    info = compiled.cache_info()
    assert (info.currsize, info.misses) == (2, 2)  # gamma and exponential, once each


def test_data_symbol_rejects_a_bad_length():
    from symdiff.stats import data_symbol

    assert data_symbol(4).shape == (4,)
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="data_symbol"):
            data_symbol(bad)
