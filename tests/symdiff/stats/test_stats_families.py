"""Log-densities vs scipy.stats logpdf/logpmf on random parameters and points."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st

import numeric.distributions as nd
from symdiff import Symbol, evaluate
from symdiff.stats import FAMILIES, family_of, log_density

x = Symbol("x")
unit = st.floats(1e-6, 1 - 1e-6)
pos = st.floats(0.05, 30.0)
real = st.floats(-20.0, 20.0)


def _check(name, points, ref, **params):
    got = evaluate(log_density(name, x, **params), {x: np.asarray(points, float)})
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(unit, st.integers(1, 60), st.integers(0, 60))
def test_discrete_families(p, n, k):
    k = min(k, n)
    _check("bernoulli", [0, 1], ss.bernoulli(p).logpmf([0, 1]), p=p)
    _check("binomial", [0, k, n], ss.binom(n, p).logpmf([0, k, n]), n=n, p=p)
    rate = 30 * p
    _check("poisson", [0, k, 3 * n], ss.poisson(rate).logpmf([0, k, 3 * n]), rate=rate)
    _check("discreteuniform", [k], ss.randint(0, n + 1).logpmf(k), low=0, high=n)


@settings(max_examples=40, deadline=None)
@given(real, pos, pos, unit)
def test_continuous_families(mu, a, b, u):
    pts = mu + a * np.array([-3.0, -0.1, 0.0, 2.0, 7.0])
    _check("normal", pts, ss.norm(mu, a).logpdf(pts), mu=mu, sigma=a)
    _check("studentt", pts, ss.t(b, mu, a).logpdf(pts), df=b, mu=mu, sigma=a)
    _check(
        "uniform",
        [mu + a / 2],
        ss.uniform(mu, a).logpdf(mu + a / 2),
        low=mu,
        high=mu + a,
    )
    ppos = np.array([1e-3, u, 1.0, 4.0, 50.0])
    _check("exponential", ppos, ss.expon(scale=1 / a).logpdf(ppos), rate=a)
    _check("gamma", ppos, ss.gamma(a, scale=b).logpdf(ppos), shape=a, scale=b)
    m = mu / 10
    lsig = a / 10
    _check(
        "lognormal",
        ppos,
        ss.lognorm(lsig, scale=np.exp(m)).logpdf(ppos),
        mu=m,
        sigma=lsig,
    )
    punit = np.array([1e-4, u, 0.5, 1 - 1e-4])
    _check("beta", punit, ss.beta(a, b).logpdf(punit), a=a, b=b)


@pytest.mark.parametrize("p", [1e-12, 1 - 1e-12])
def test_boundary_probabilities_stay_accurate(p):
    """x = 0 and x = n with p near 0 or 1: log1p keeps the small terms."""
    _check("binomial", [0, 5], ss.binom(5, p).logpmf([0, 5]), n=5, p=p)
    _check("bernoulli", [0, 1], ss.bernoulli(p).logpmf([0, 1]), p=p)
    _check("poisson", [0], ss.poisson(p).logpmf([0]), rate=p)


def test_every_numeric_family_is_known_and_instances_carry_parameters():
    names = [
        "Bernoulli",
        "Binomial",
        "Poisson",
        "DiscreteUniform",
        "Normal",
        "Uniform",
        "Exponential",
        "Gamma",
        "Beta",
        "StudentT",
        "LogNormal",
    ]
    for n in names:
        assert family_of(getattr(nd, n))[0] is family_of(n)[0]
    fam, values = family_of(nd.Normal(1.0, 2.0))
    assert fam is FAMILIES["normal"] and values == {"mu": 1.0, "sigma": 2.0}
    e = log_density(nd.Normal(1.0, 2.0), x)
    assert np.isclose(evaluate(e, {x: 0.5}), ss.norm(1, 2).logpdf(0.5))
    # the parameter names of the numeric classes are the families' names
    for d in (
        nd.Gamma(2.0, 3.0),
        nd.Beta(2.0, 0.5),
        nd.StudentT(3.0, 1.0, 2.0),
        nd.LogNormal(0.5, 0.7),
    ):
        pts = np.array([0.1, 0.5, 0.9])
        got = evaluate(log_density(d, x), {x: pts})
        np.testing.assert_allclose(got, d.to_scipy().logpdf(pts), rtol=1e-10)
    with pytest.raises(ValueError, match="vector family.*categorical_log_pmf"):
        family_of(nd.Categorical([0.5, 0.5]))


def test_bad_family_and_parameters_are_named():
    with pytest.raises(ValueError, match="unknown distribution family 'cauchy'"):
        log_density("cauchy", x)
    with pytest.raises(TypeError, match=r"missing \['sigma'\].*unexpected \['s'\]"):
        log_density("normal", x, mu=0.0, s=1.0)
