"""Vector families vs scipy.stats; their score vs finite differences; closed-form MLE
is a stationary point of the symbolic log-likelihood."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st

from numeric import derivative
from symdiff import Symbol, evaluate, grad
from symdiff.constructors.elementwise import exp
from symdiff.constructors.tensor import concatenate
from symdiff.constructors.tensor import sum as sum_
from symdiff.core.errors import ShapeError
from symdiff.stats import (
    categorical_log_pmf,
    fit_closed_form,
    multinomial_log_pmf,
    mvnormal_log_pdf,
)

seeds = st.integers(0, 2**32 - 1)
dims = st.integers(1, 5)


def _simplex(rng, k):
    p = rng.dirichlet(np.ones(k)) + 1e-3
    return p / p.sum()


def _chol(rng, k):
    a = np.tril(rng.normal(size=(k, k)))
    a[np.diag_indices(k)] = np.exp(rng.normal(scale=0.5, size=k))
    return a


@settings(max_examples=30, deadline=None)
@given(seeds, dims)
def test_categorical_and_multinomial_vs_scipy(seed, k):
    rng = np.random.default_rng(seed)
    p = _simplex(rng, k)
    lab = rng.integers(0, k, size=7)
    got = evaluate(categorical_log_pmf(lab, p))
    np.testing.assert_allclose(got, np.log(p[lab]), rtol=1e-12)
    ref_cat = ss.multinomial(1, p).logpmf(np.eye(k)[lab])
    np.testing.assert_allclose(got, ref_cat, rtol=1e-9, atol=1e-12)
    counts = rng.multinomial(rng.integers(0, 30), p, size=4)
    got = evaluate(multinomial_log_pmf(counts, p))
    ref = [ss.multinomial(c.sum(), p).logpmf(c) for c in counts]
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(seeds, dims)
def test_mvnormal_vs_scipy_and_score_vs_finite_differences(seed, k):
    rng = np.random.default_rng(seed)
    mu0, L0 = rng.normal(size=k), _chol(rng, k)
    x = rng.normal(size=(6, k)) * 2
    ref = ss.multivariate_normal(mu0, L0 @ L0.T).logpdf(x)
    np.testing.assert_allclose(
        evaluate(mvnormal_log_pdf(x, mu0, L0)), np.atleast_1d(ref), rtol=1e-8
    )
    mu, L = Symbol("mu", shape=(k,)), Symbol("L", shape=(k, k))
    ll = sum_(mvnormal_log_pdf(x, mu, L))
    gmu, gL = (evaluate(g, {mu: mu0, L: L0}) for g in grad(ll, [mu, L]))

    def f(m, c):  # scipy's log-likelihood: an independent reference
        return ss.multivariate_normal(m, c @ c.T).logpdf(x).sum()

    # the noise-aware witness (an adaptive step with an error estimate): a fixed step
    # of 1e-6 was off by 3e-5 relative where L is ill-conditioned (seed 38, k = 5)
    def agree(exact, along):
        res = derivative(along, 0.0, full_output=True)
        tol = 1e-7 * max(1.0, abs(res.value)) + 10 * res.error
        assert abs(exact - res.value) <= tol

    for i in range(k):
        e = np.eye(k)[i]
        agree(gmu[i], lambda t, e=e: f(mu0 + t * e, L0))
        for j in range(i + 1):  # the lower triangle: where L is a parameter
            E = np.zeros((k, k))
            E[i, j] = 1.0
            agree(gL[i, j], lambda t, E=E: f(mu0, L0 + t * E))


def test_closed_form_mle_is_stationary():
    """The symbolic gradient vanishes at the closed-form MLE: p = softmax([0, z])
    for the simplex families, (mu, L) for the normal."""
    rng = np.random.default_rng(1)
    k = 4
    z = Symbol("z", shape=(k - 1,))
    p = exp(concatenate([np.zeros(1), z])) / sum_(exp(concatenate([np.zeros(1), z])))
    lab = rng.integers(0, k, size=50)
    counts = rng.multinomial(12, [0.1, 0.2, 0.3, 0.4], size=9)
    for name, data, ll in (
        ("categorical", lab, sum_(categorical_log_pmf(lab, p))),
        ("multinomial", counts, sum_(multinomial_log_pmf(counts, p))),
    ):
        phat = fit_closed_form(name, data)["p"]
        zhat = np.log(phat[1:] / phat[0])
        np.testing.assert_allclose(evaluate(grad(ll, z), {z: zhat}), 0, atol=1e-9)
        # and a worse point has a lower log-likelihood
        assert evaluate(ll, {z: zhat}) > evaluate(ll, {z: zhat + 0.1})
    x = rng.normal(size=(40, 3)) @ _chol(rng, 3).T
    est = fit_closed_form("mvnormal", x)
    np.testing.assert_allclose(est["cov"], np.cov(x.T, bias=True), rtol=1e-12)
    mu, L = Symbol("mu", shape=(3,)), Symbol("L", shape=(3, 3))
    ll = sum_(mvnormal_log_pdf(x, mu, L))
    at = {mu: est["mu"], L: est["chol"]}
    gmu, gL = (evaluate(g, at) for g in grad(ll, [mu, L]))
    np.testing.assert_allclose(gmu, 0, atol=1e-9)
    np.testing.assert_allclose(np.tril(gL), 0, atol=1e-9)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match=r"labels must lie in 0..2"):
        categorical_log_pmf([0, 3], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="integers"):
        categorical_log_pmf([0.5], [0.5, 0.5])
    with pytest.raises(ShapeError, match=r"shape \(n, 3\).*\(2, 2\)"):
        multinomial_log_pmf([[1, 2], [3, 4]], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="non-negative"):
        multinomial_log_pmf([-1, 2], [0.5, 0.5])
    with pytest.raises(ShapeError, match=r"chol \(3, 3\)"):
        mvnormal_log_pdf(np.zeros((2, 2)), [0.0, 0.0], np.eye(3))
    with pytest.raises(ShapeError, match="n > k"):
        fit_closed_form("mvnormal", np.zeros((2, 3)))
    with pytest.raises(ValueError, match="unknown vector family"):
        fit_closed_form("dirichlet", [1.0])
