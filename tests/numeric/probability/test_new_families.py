"""Gamma, Beta, StudentT and LogNormal checked against scipy.stats and the definitions.

Sampling checks form one family with overall error probability 1e-4 (Bonferroni);
each uses the DKW bound on the Kolmogorov distance and Hoeffding (bounded support) or
Chebyshev (finite variance) for the sample mean, never a bare p-value.
"""

import math

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from scipy import integrate

from numeric.distributions import Beta, Gamma, LogNormal, StudentT

CASES = {
    "gamma-2-3": (lambda: Gamma(2.0, 3.0), lambda: st.gamma(2.0, scale=3.0)),
    "gamma-0.5-1": (lambda: Gamma(0.5), lambda: st.gamma(0.5)),
    "gamma-1-2": (lambda: Gamma(1.0, 2.0), lambda: st.gamma(1.0, scale=2.0)),
    "gamma-30-0.1": (lambda: Gamma(30.0, 0.1), lambda: st.gamma(30.0, scale=0.1)),
    "beta-2-5": (lambda: Beta(2.0, 5.0), lambda: st.beta(2.0, 5.0)),
    "beta-0.5-0.5": (lambda: Beta(0.5, 0.5), lambda: st.beta(0.5, 0.5)),
    "beta-1-1": (lambda: Beta(), lambda: st.beta(1.0, 1.0)),
    "beta-3-0.7": (lambda: Beta(3.0, 0.7), lambda: st.beta(3.0, 0.7)),
    "t-1": (lambda: StudentT(1.0), lambda: st.t(1.0)),
    "t-2.5-1-2": (lambda: StudentT(2.5, 1.0, 2.0), lambda: st.t(2.5, 1.0, 2.0)),
    "t-30-m3-0.5": (lambda: StudentT(30.0, -3.0, 0.5), lambda: st.t(30.0, -3.0, 0.5)),
    "lognormal-0-1": (lambda: LogNormal(), lambda: st.lognorm(1.0)),
    "lognormal-1-0.25": (
        lambda: LogNormal(1.0, 0.25),
        lambda: st.lognorm(0.25, scale=math.e),
    ),
}


def assert_matches(ours, ref, rtol):
    ours, ref = np.asarray(ours, float), np.asarray(ref, float)
    assert ours.shape == ref.shape
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    inf = np.isinf(ref)
    np.testing.assert_array_equal(ours[inf], ref[inf])
    fin = np.isfinite(ref)
    np.testing.assert_allclose(ours[fin], ref[fin], rtol=rtol, atol=1e-300)


def grid(ref):
    a, b = ref.ppf(1e-10), ref.ppf(1 - 1e-10)
    x = np.linspace(a - 0.5 * (b - a), b + 0.5 * (b - a), 201)
    lo, hi = ref.support()
    extra = [v for v in (lo, hi) if np.isfinite(v)]
    return np.concatenate([x, extra, [-np.inf, np.inf, np.nan]])


@pytest.mark.parametrize("case", CASES)
def test_values_quantiles_moments_match_scipy(case):
    ours, ref = CASES[case][0](), CASES[case][1]()
    x = grid(ref)
    for method in ("pdf", "logpdf", "cdf", "sf"):
        with np.errstate(invalid="ignore"):  # scipy's gamma at -inf: inf - inf
            expected = getattr(ref, method)(x)
        assert_matches(getattr(ours, method)(x), expected, rtol=1e-9)
    q = np.linspace(0.0, 1.0, 401)
    assert_matches(ours.ppf(q), ref.ppf(q), rtol=1e-9)
    ref_mean = float(ref.mean())
    if case == "t-1":  # the Cauchy has no mean: ours says nan, scipy inf
        assert np.isinf(ref_mean)
        ref_mean = np.nan
    assert_matches([ours.mean(), ours.var()], [ref_mean, float(ref.var())], 1e-12)
    assert tuple(map(float, ours.support)) == tuple(map(float, ref.support()))
    with np.errstate(invalid="ignore"):
        assert_matches(ours.to_scipy().logpdf(x), ref.logpdf(x), rtol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_definitions_normalisation_round_trip_moments(case):
    ours = CASES[case][0]()
    lo, hi = (float(v) for v in ours.support)
    mid = float(ours.ppf(0.5))
    total = integrate.quad(ours.pdf, lo, mid)[0] + integrate.quad(ours.pdf, mid, hi)[0]
    assert math.isclose(total, 1.0, rel_tol=1e-8)
    q = np.linspace(0.001, 0.999, 199)
    x = ours.ppf(q)
    np.testing.assert_allclose(ours.cdf(x), q, rtol=1e-10)
    np.testing.assert_allclose(ours.sf(x), 1 - q, rtol=1e-9)
    np.testing.assert_allclose(ours.logpdf(x), np.log(ours.pdf(x)), rtol=1e-12)
    if np.isfinite(ours.var()):
        m = integrate.quad(lambda t: t * ours.pdf(t), lo, hi, limit=200)[0]
        v = integrate.quad(lambda t: (t - m) ** 2 * ours.pdf(t), lo, hi, limit=200)[0]
        assert math.isclose(ours.mean(), m, rel_tol=1e-7, abs_tol=1e-10)
        assert math.isclose(ours.var(), v, rel_tol=1e-6)


pos = hs.floats(0.05, 50.0)


@settings(max_examples=40, deadline=None)
@given(pos, pos, hs.floats(-20, 20), hs.floats(0.001, 0.999))
def test_random_parameters_match_scipy(a, b, mu, u):
    pairs = [
        (Gamma(a, b), st.gamma(a, scale=b)),
        (Beta(a, b), st.beta(a, b)),
        (StudentT(a, mu, b), st.t(a, mu, b)),
        (LogNormal(mu / 10, b / 10), st.lognorm(b / 10, scale=math.exp(mu / 10))),
    ]
    for ours, ref in pairs:
        x = np.array([ref.ppf(u), ref.ppf(u / 2), ref.ppf(0.5)])
        for method in ("logpdf", "cdf", "sf"):
            assert_matches(getattr(ours, method)(x), getattr(ref, method)(x), 1e-7)


ALPHA = 1e-4 / len(CASES)
N = 20_000


@pytest.mark.parametrize("case", CASES)
def test_samples_follow_the_distribution(case):
    d = CASES[case][0]()
    x = d.sample(N, np.random.default_rng([20261128, len(case), ord(case[-1])]))
    assert x.shape == (N,)
    lo, hi = (float(v) for v in d.support)
    assert np.all((x >= lo) & (x <= hi))
    # DKW: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2); half of alpha each
    eps = math.sqrt(math.log(4 / ALPHA) / (2 * N))
    xs = np.sort(x)
    f = d.cdf(xs)
    k = np.arange(1, N + 1)
    assert max(np.max(k / N - f), np.max(f - (k - 1) / N)) <= eps
    if np.isfinite(lo) and np.isfinite(hi):
        r = (hi - lo) * math.sqrt(math.log(4 / ALPHA) / (2 * N))  # Hoeffding
    elif np.isfinite(d.var()):
        r = math.sqrt(float(d.var()) / (N * ALPHA / 2))  # Chebyshev
    else:
        return
    assert abs(x.mean() - d.mean()) <= r


def test_batches_broadcast_like_numpy():
    d = Gamma([1.0, 2.0, 3.0], 2.0)
    assert d.batch_shape == (3,)
    np.testing.assert_allclose(
        d.logpdf([[1.0], [2.0]]),
        st.gamma([1.0, 2.0, 3.0], scale=2.0).logpdf([[1.0], [2.0]]),
    )
    assert d.sample(5, np.random.default_rng(0)).shape == (5, 3)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Gamma(0.0), r"shape must be > 0; got shape=0\.0"),
        (lambda: Gamma(1.0, -1.0), r"scale must be > 0; got scale=-1\.0"),
        (lambda: Beta(1.0, -2.0), r"b must be > 0; got b=-2\.0"),
        (lambda: StudentT(0.0), r"df must be > 0"),
        (lambda: StudentT(3.0, float("inf")), r"mu must be finite"),
        (lambda: LogNormal(0.0, 0.0), r"sigma must be > 0"),
    ],
)
def test_invalid_parameters_are_named(build, message):
    with pytest.raises(ValueError, match=message):
        build()
