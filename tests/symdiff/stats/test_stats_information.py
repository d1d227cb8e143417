"""Score and information: E[score] = 0 and Var[score] = Fisher information by
simulation, with Chebyshev bounds from the known fourth moments; closed forms vs
Monte Carlo; symbolic and numeric answers agree."""

from dataclasses import replace

import numpy as np
import pytest

from symdiff import Symbol, evaluate
from symdiff.codegen import lambdify
from symdiff.diff import grad
from symdiff.stats import (
    FAMILIES,
    data_symbol,
    fisher_information,
    log_likelihood,
    observed_information,
    score,
)

M = 40_000  # simulated data sets
N = 5  # observations in each
ALPHA = 1e-4 / 6  # each of the 6 Chebyshev checks below


def _scores(family, name, value, draws, **params):
    """The score in ``name`` of every data set (rows of ``draws``), compiled once
    from the symbolic log-likelihood and evaluated as one batch."""
    t = Symbol(name)
    ll = log_likelihood(family, data_symbol(), **{name: t}, **params)
    f = lambdify([data_symbol(), t], list(grad(ll, [t])))
    return np.broadcast_to(np.asarray(f(draws, value)[0]), (len(draws),))


def _chebyshev(values, mean, var):
    """|mean(values) - mean| within the bound that holds with prob >= 1 - ALPHA
    when each value has variance ``var``."""
    return abs(values.mean() - mean) <= np.sqrt(var / (len(values) * ALPHA))


@pytest.mark.parametrize("lam", [0.7, 6.0])
def test_poisson_score_has_mean_zero_and_variance_fisher(lam):
    draws = np.random.default_rng(11).poisson(lam, (M, N)).astype(float)
    s = _scores("poisson", "rate", lam, draws)
    info = float(fisher_information("poisson", n=N, rate=lam)[0, 0])
    assert info == pytest.approx(N / lam)
    # the score is S/lam - N with S ~ Poisson(N lam): its fourth central moment is
    # N lam (1 + 3 N lam) / lam**4, which gives the variance of score**2
    mu4 = N * lam * (1 + 3 * N * lam) / lam**4
    assert _chebyshev(s, 0.0, info)  # E[score] = 0 (its variance is info)
    assert _chebyshev(s**2, info, mu4 - info**2)  # E[score**2] = Fisher information


def test_normal_score_in_mu_has_mean_zero_and_variance_fisher():
    mu, sigma = 1.5, 2.0
    draws = np.random.default_rng(12).normal(mu, sigma, (M, N))
    s = _scores("normal", "mu", mu, draws, sigma=sigma)
    info = float(fisher_information("normal", n=N, mu=mu, sigma=sigma)[0, 0])
    assert info == pytest.approx(N / sigma**2)
    # score ~ Normal(0, info): E[score**4] = 3 info**2
    assert _chebyshev(s, 0.0, info)
    assert _chebyshev(s**2, info, 3 * info**2 - info**2)


@pytest.mark.parametrize(
    "fam, params",
    [
        ("gamma", {"shape": 2.5, "scale": 0.7}),
        ("beta", {"a": 2.0, "b": 3.5}),
        ("normal", {"mu": 0.3, "sigma": 1.7}),
    ],
)
def test_closed_forms_agree_with_the_mean_observed_information(fam, params):
    closed = fisher_information(fam, **params)
    # the Monte Carlo path, on a copy of the family without its closed form
    mc, se = fisher_information(
        replace(FAMILIES[fam], fisher=None),
        samples=20_000,
        rng=np.random.default_rng(5),
        **params,
    )
    np.testing.assert_array_less(np.abs(mc - closed), 6 * se + 1e-12)


def test_studentt_monte_carlo_matches_the_known_location_scale_entries():
    nu, sigma = 4.0, 1.3
    info, se = fisher_information(
        "studentt", df=nu, mu=0.0, sigma=sigma, rng=np.random.default_rng(3)
    )
    assert abs(info[1, 1] - (nu + 1) / ((nu + 3) * sigma**2)) < 6 * se[1, 1]
    assert abs(info[2, 2] - 2 * nu / ((nu + 3) * sigma**2)) < 6 * se[2, 2]
    assert abs(info[1, 2]) < 6 * se[1, 2]


def test_symbolic_and_numeric_answers_agree():
    data = [0.5, 1.5, 4.0]
    k, s = Symbol("k"), Symbol("s")
    sym = score("gamma", data, shape=k, scale=s)
    num = score("gamma", data, shape=2.0, scale=1.5)
    np.testing.assert_allclose(evaluate(list(sym), {k: 2.0, s: 1.5}), num)
    obs = observed_information("gamma", data, shape=2.0, scale=1.5)
    h = 1e-6  # -H by central differences of the score
    for j, name in enumerate(("shape", "scale")):
        hi = {"shape": 2.0, "scale": 1.5}
        lo = dict(hi)
        hi[name] += h
        lo[name] -= h
        col = -(score("gamma", data, **hi) - score("gamma", data, **lo)) / (2 * h)
        np.testing.assert_allclose(obs[:, j], col, rtol=1e-6)


def test_missing_parameters_and_rng_are_named():
    with pytest.raises(TypeError, match="give the parameters"):
        score("normal", [1.0], mu=0.0)
    with pytest.raises(ValueError, match="needs rng="):
        fisher_information("studentt", df=3.0, mu=0.0, sigma=1.0)
