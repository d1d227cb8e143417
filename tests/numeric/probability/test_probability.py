"""numeric.probability: joint tables, Bayes, expectations, covariances, Chebyshev.

The d2l numbers (HIV test, investment, covariance examples, Chebyshev) are the book's.
Sampling checks use ``numpy.random.default_rng([BASE_SEED, key])`` with the base seed
overridable through ``SYMDIFF_TEST_SEED``; they form one family at total alpha = 1e-4
(Bonferroni), each with an exact test or an exact finite-sample interval.
"""

import itertools
import math
import os
import zlib

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

from numeric.distributions import (
    Binomial,
    DiscreteUniform,
    Exponential,
    Normal,
    Poisson,
    Uniform,
)
from numeric.probability import (
    JointDistribution,
    bayes,
    chebyshev_bound,
    chebyshev_interval,
    correlation,
    covariance,
    covariance_matrix,
    expectation,
    std,
    total_probability,
    variance,
)

BASE_SEED = int(os.environ.get("SYMDIFF_TEST_SEED", "20240607"))
# HIV simulation: 2 checks; covariance examples: 3 values x 3 events; correlation
# examples: 3 values x 2 events.
FAMILY = 2 + 9 + 6
ALPHA = 1e-4 / FAMILY


def rng_for(name):
    return np.random.default_rng([BASE_SEED, zlib.crc32(name.encode())])


# --------------------------------------------------------------------------------------
# the HIV test (d2l)
# --------------------------------------------------------------------------------------

PRIOR = {0: 0.9985, 1: 0.0015}  # P(H)
TEST1 = {0: {0: 0.99, 1: 0.01}, 1: {0: 0.0, 1: 1.0}}  # P(D1 | H)
TEST2 = {0: {0: 0.97, 1: 0.03}, 1: {0: 0.02, 1: 0.98}}  # P(D2 | H)


def hiv_joint():
    return JointDistribution.from_function(
        {"H": [0, 1], "D1": [0, 1], "D2": [0, 1]},
        lambda H, D1, D2: PRIOR[H] * TEST1[H][D1] * TEST2[H][D2],
    )


def test_hiv_numbers_from_the_joint_table():
    j = hiv_joint()
    assert math.isclose(j.probability(D1=1), 0.011485, rel_tol=1e-12)
    post1 = j.conditional("H", given={"D1": 1}).probability(H=1)
    assert round(post1, 4) == 0.1306
    assert math.isclose(post1, 0.0015 / 0.011485, rel_tol=1e-12)
    assert math.isclose(j.probability(D1=1, D2=1), 0.00176955, rel_tol=1e-12)
    post2 = j.conditional("H", given={"D1": 1, "D2": 1}).probability(H=1)
    assert round(post2, 4) == 0.8307
    assert math.isclose(post2, 0.0015 * 0.98 / 0.00176955, rel_tol=1e-12)
    # The tests are conditionally independent given H, but not independent.
    assert j.conditionally_independent("D1", "D2", given="H")
    assert not j.independent("D1", "D2")
    # H and D1 are dependent (the test is informative).
    assert not j.independent("H", "D1")


def test_hiv_numbers_from_bayes():
    prior = [PRIOR[0], PRIOR[1]]
    lik1 = [TEST1[0][1], TEST1[1][1]]
    lik2 = [TEST2[0][1], TEST2[1][1]]
    assert math.isclose(total_probability(prior, lik1), 0.011485, rel_tol=1e-12)
    assert round(float(bayes(prior, lik1)[1]), 4) == 0.1306
    both = np.multiply(lik1, lik2)
    assert math.isclose(total_probability(prior, both), 0.00176955, rel_tol=1e-12)
    joint_update = bayes(prior, both)
    sequential = bayes(bayes(prior, lik1), lik2)
    np.testing.assert_allclose(joint_update, sequential, rtol=1e-12)
    assert round(float(joint_update[1]), 4) == 0.8307
    named = bayes({"healthy": 0.9985, "ill": 0.0015}, {"healthy": 0.01, "ill": 1.0})
    assert set(named) == {"healthy", "ill"}
    assert math.isclose(named["ill"], float(bayes(prior, lik1)[1]), rel_tol=1e-15)


def test_hiv_simulation_agrees_with_the_exact_numbers():
    # d2l simulates ten million patients; a million suffice for exact binomial tests.
    rng = rng_for("hiv")
    n = 1_000_000
    h = rng.random(n) < 0.0015
    d1 = rng.random(n) < np.where(h, 1.00, 0.01)
    d2 = rng.random(n) < np.where(h, 0.98, 0.03)
    j = JointDistribution.from_samples(H=h.astype(int), D1=d1.astype(int), D2=d2)
    positives = int(round(j.probability(D1=1, D2=True) * n))
    assert st.binomtest(positives, n, 0.00176955).pvalue > ALPHA
    ill = int(np.count_nonzero(h & d1 & d2))
    # Given the number of double positives, the ill among them are binomial.
    exact_post = 0.0015 * 0.98 / 0.00176955
    assert st.binomtest(ill, positives, exact_post).pvalue > ALPHA


# --------------------------------------------------------------------------------------
# joint tables: laws over random tables
# --------------------------------------------------------------------------------------


@hs.composite
def joint_tables(draw, max_vars=3):
    k = draw(hs.integers(1, max_vars))
    sizes = draw(hs.lists(hs.integers(1, 3), min_size=k, max_size=k))
    weights = draw(
        hnp.arrays(float, tuple(sizes), elements=hs.floats(0.0, 1.0)).filter(
            lambda w: w.sum() > 0.1
        )
    )
    names = ["a", "b", "c"][:k]
    variables = {n: list(range(10, 10 + s)) for n, s in zip(names, sizes, strict=True)}
    return JointDistribution(variables, weights, normalize=True)


@given(joint_tables())
def test_marginals_and_conditionals_obey_the_chain_rule(j):
    assert math.isclose(float(j.table.sum()), 1.0, rel_tol=1e-12)
    first = j.names[0]
    m = j.marginal(first)
    for v in j.values[first]:
        assert math.isclose(m.probability(**{first: v}), j.probability(**{first: v}))
    if len(j.names) < 2:
        return
    a, b = j.names[0], j.names[1]
    pb = j.marginal(b)
    for vb in j.values[b]:
        if pb.probability(**{b: vb}) == 0:
            with pytest.raises(ValueError, match="= 0"):
                j.conditional(a, given={b: vb})
            continue
        cond = j.conditional(a, given={b: vb})
        assert math.isclose(float(cond.table.sum()), 1.0, rel_tol=1e-12)
        for va in j.values[a]:
            lhs = j.probability(**{a: va, b: vb})
            rhs = cond.probability(**{a: va}) * pb.probability(**{b: vb})
            assert math.isclose(lhs, rhs, rel_tol=1e-12, abs_tol=1e-15)
    # Marginalising in either order gives transposed tables.
    np.testing.assert_allclose(j.marginal(a, b).table, j.marginal(b, a).table.T)


@given(
    hnp.arrays(float, 3, elements=hs.floats(0.01, 1.0)),
    hnp.arrays(float, 2, elements=hs.floats(0.01, 1.0)),
    hnp.arrays(float, 4, elements=hs.floats(0.01, 1.0)),
)
def test_product_tables_are_independent(pa, pb, pc):
    pa, pb, pc = pa / pa.sum(), pb / pb.sum(), pc / pc.sum()
    table = np.einsum("i,j,k->ijk", pa, pb, pc)
    j = JointDistribution({"a": range(3), "b": range(2), "c": range(4)}, table)
    assert j.independent("a", "b") and j.independent("a", ["b", "c"])
    assert j.conditionally_independent("a", "b", given="c")


@given(hnp.arrays(float, (2, 2), elements=hs.floats(0.05, 1.0)))
def test_a_dependent_table_is_detected(w):
    w = w / w.sum()
    j = JointDistribution({"a": [0, 1], "b": [0, 1]}, w)
    det = w[0, 0] * w[1, 1] - w[0, 1] * w[1, 0]
    # For 2 x 2 tables independence is exactly a zero determinant.
    assert j.independent("a", "b", atol=1e-12) == (abs(det) <= 1e-12)


def test_conditional_independence_can_fail():
    # Given C, A and B copy one fair coin: dependent given C.
    table = np.zeros((2, 2, 2))
    for c, x in itertools.product(range(2), range(2)):
        table[x, x, c] = 0.25
    j = JointDistribution({"A": [0, 1], "B": [0, 1], "C": [0, 1]}, table)
    assert not j.conditionally_independent("A", "B", given="C")
    assert j.independent("A", "C") and j.independent("B", "C")


def test_events_and_values_of_a_die():
    die = JointDistribution({"X": range(1, 7)}, [1 / 6] * 6)
    assert math.isclose(die.probability(X=5), 1 / 6)
    assert math.isclose(die.probability(lambda X: np.isin(X, [1, 3, 5])), 0.5)
    assert math.isclose(die.expectation("X"), 3.5)
    assert math.isclose(die.variance("X"), 35 / 12)


def test_from_samples_counts_relative_frequencies():
    j = JointDistribution.from_samples(x=["h", "t", "h", "h"], y=[1, 1, 2, 2])
    assert j.values == {"x": ("h", "t"), "y": (1, 2)}
    np.testing.assert_allclose(j.table, [[0.25, 0.5], [0.25, 0.0]])


BAD_TABLES = [
    (lambda: JointDistribution({"a": [0, 1]}, [0.5, 0.6]), "must sum to 1"),
    (lambda: JointDistribution({"a": [0, 1]}, [1.5, -0.5]), "non-negative"),
    (lambda: JointDistribution({"a": [0, 1]}, [1.0]), "shape"),
    (lambda: JointDistribution({"a": [0, 0]}, [0.5, 0.5]), "distinct"),
    (lambda: JointDistribution({"a": [0, 1]}, [np.nan, 1.0]), "finite"),
    (lambda: JointDistribution({}, []), "non-empty mapping"),
]


@pytest.mark.parametrize("build, message", BAD_TABLES)
def test_bad_tables_are_rejected(build, message):
    with pytest.raises((ValueError, TypeError), match=message):
        build()


def test_bad_queries_are_rejected():
    j = hiv_joint()
    with pytest.raises(ValueError, match="unknown variable 'D3'"):
        j.probability(D3=1)
    with pytest.raises(ValueError, match="D1=2 is not a value of 'D1'"):
        j.probability(D1=2)
    with pytest.raises(ValueError, match="both target and given"):
        j.conditional("H", given={"H": 1})
    with pytest.raises(ValueError, match="share variables"):
        j.independent("H", ["H", "D1"])
    zero = JointDistribution({"a": [0, 1], "b": [0, 1]}, [[0.5, 0.0], [0.5, 0.0]])
    with pytest.raises(ValueError, match=r"P\(b=1\) = 0"):
        zero.conditional("a", given={"b": 1})


def test_bayes_rejects_bad_input():
    with pytest.raises(ValueError, match="prior must sum to 1"):
        bayes([0.5, 0.6], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"likelihood .* must lie in \[0, 1\]"):
        bayes([0.5, 0.5], [0.1, 1.2])
    with pytest.raises(ValueError, match="probability zero"):
        bayes([1.0, 0.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="same hypotheses"):
        bayes({"a": 1.0}, {"b": 1.0})
    with pytest.raises(ValueError, match="likelihood has 3 entries"):
        bayes([0.5, 0.5], [0.1, 0.2, 0.3])


@given(
    hnp.arrays(float, 4, elements=hs.floats(0.0, 1.0)).filter(lambda w: w.sum() > 0),
    hnp.arrays(float, 4, elements=hs.floats(0.01, 1.0)),
)
def test_bayes_is_conditioning_the_joint_table(w, lik):
    prior = w / w.sum()
    post = bayes(prior, lik)
    j = JointDistribution.from_function(
        {"h": range(4), "e": [0, 1]},
        lambda h, e: prior[h] * (lik[h] if e else 1 - lik[h]),
    )
    np.testing.assert_allclose(post, j.conditional("h", given={"e": 1}).table)
    assert math.isclose(
        total_probability(prior, lik), j.probability(e=1), rel_tol=1e-12
    )
    assert math.isclose(float(post.sum()), 1.0, rel_tol=1e-12)


# --------------------------------------------------------------------------------------
# expectations and variances
# --------------------------------------------------------------------------------------


def test_d2l_investment():
    values, probs = [0, 2, 10], [0.5, 0.4, 0.1]
    assert math.isclose(expectation(values, probs), 1.8, rel_tol=1e-12)
    assert math.isclose(variance(values, probs), 8.36, rel_tol=1e-12)
    assert math.isclose(std(values, probs), math.sqrt(8.36), rel_tol=1e-12)
    utility = {0: -1.0, 2: 2.0, 10: 4.0}
    happy = expectation(values, probs, f=lambda r: [utility[int(v)] for v in r])
    assert math.isclose(happy, 0.7, rel_tol=1e-12)
    j = JointDistribution({"R": values}, probs)
    assert math.isclose(j.expectation("R"), 1.8, rel_tol=1e-12)
    assert math.isclose(j.variance("R"), 8.36, rel_tol=1e-12)
    # Var = E[X^2] - E[X]^2, the book's way of computing it.
    assert math.isclose(j.expectation(lambda R: R**2) - 1.8**2, 8.36, rel_tol=1e-12)


@given(hs.floats(0.0, 1.0))
def test_d2l_discrete_covariance_example(p):
    # X in {1, 3}, Y in {-1, 3}; equal extremes together with probability p / 2 each.
    x, y = [1, 1, 3, 3], [-1, 3, -1, 3]
    probs = [p / 2, (1 - p) / 2, (1 - p) / 2, p / 2]
    assert math.isclose(covariance(x, y, probs), 4 * p - 2, abs_tol=1e-12)
    assert math.isclose(correlation(x, y, probs), 2 * p - 1, abs_tol=1e-12)
    j = JointDistribution({"X": [1, 3], "Y": [-1, 3]}, np.reshape(probs, (2, 2)))
    assert math.isclose(j.covariance("X", "Y"), 4 * p - 2, abs_tol=1e-12)
    assert math.isclose(j.correlation("X", "Y"), 2 * p - 1, abs_tol=1e-12)


def test_covariance_misses_nonlinear_dependence():
    # d2l: X = Y^2 with Y uniform on {-2, ..., 2} has zero covariance.
    y = np.arange(-2, 3)
    assert covariance(y**2, y, [0.2] * 5) == 0.0


@pytest.mark.parametrize("c", [-0.9, 0.0, 1.2])
def test_d2l_covariance_model_is_exact(c):
    # Y = c X + E with X, E uncorrelated, mean 0, variance 1 (Rademacher here, so the
    # distribution is discrete and the computation exact) has Cov(X, Y) = c.
    pts = np.array(list(itertools.product([-1.0, 1.0], repeat=2)))
    xy = np.column_stack([pts[:, 0], c * pts[:, 0] + pts[:, 1]])
    probs = [0.25] * 4
    assert math.isclose(covariance(xy[:, 0], xy[:, 1], probs), c, abs_tol=1e-15)
    sigma = covariance_matrix(xy, probs)
    np.testing.assert_allclose(sigma, [[1.0, c], [c, c * c + 1.0]], atol=1e-15)


@pytest.mark.parametrize("r", [-0.9, 0.0, 1.0])
def test_d2l_correlation_model_is_exact(r):
    pts = np.array(list(itertools.product([-1.0, 1.0], repeat=2)))
    y = r * pts[:, 0] + math.sqrt(1 - r * r) * pts[:, 1]
    assert math.isclose(correlation(pts[:, 0], y, [0.25] * 4), r, abs_tol=1e-15)


@hs.composite
def discrete_vectors(draw):
    m = draw(hs.integers(1, 6))
    d = draw(hs.integers(1, 3))
    pts = draw(hnp.arrays(float, (m, d), elements=hs.floats(-10, 10)))
    w = draw(
        hnp.arrays(float, m, elements=hs.floats(0.0, 1.0)).filter(
            lambda w: w.sum() > 0.1
        )
    )
    v = draw(hnp.arrays(float, d, elements=hs.floats(-3, 3)))
    return pts, w / w.sum(), v


@given(discrete_vectors())
def test_quadratic_form_of_the_covariance_is_a_variance(case):
    pts, probs, v = case
    sigma = covariance_matrix(pts, probs)
    np.testing.assert_array_equal(sigma, sigma.T)
    assert np.linalg.eigvalsh(sigma).min() >= -1e-9 * max(1.0, np.abs(sigma).max())
    lhs = v @ sigma @ v
    rhs = variance(pts @ v, probs)
    assert math.isclose(lhs, rhs, rel_tol=1e-9, abs_tol=1e-9)
    for i in range(pts.shape[1]):
        assert math.isclose(
            sigma[i, i], variance(pts[:, i], probs), rel_tol=1e-12, abs_tol=1e-12
        )


@given(hnp.arrays(float, (20, 3), elements=hs.floats(-100, 100)))
def test_sample_estimators_match_numpy(x):
    np.testing.assert_allclose(covariance_matrix(x), np.cov(x.T), atol=1e-9, rtol=1e-9)
    np.testing.assert_allclose(
        covariance_matrix(x, ddof=0), np.cov(x.T, ddof=0), atol=1e-9, rtol=1e-9
    )
    assert math.isclose(expectation(x[:, 0]), float(np.mean(x[:, 0])), abs_tol=1e-12)
    assert math.isclose(
        variance(x[:, 0]), float(np.var(x[:, 0], ddof=1)), rel_tol=1e-9, abs_tol=1e-9
    )
    sx, sy = np.std(x[:, 0]), np.std(x[:, 1])
    if sx > 1e-6 and sy > 1e-6:
        assert math.isclose(
            correlation(x[:, 0], x[:, 1]),
            float(np.corrcoef(x[:, 0], x[:, 1])[0, 1]),
            abs_tol=1e-9,
        )
    v = np.array([1.0, -2.0, 0.5])
    assert math.isclose(
        v @ covariance_matrix(x) @ v, variance(x @ v), rel_tol=1e-9, abs_tol=1e-7
    )


def test_bad_moment_input_is_rejected():
    with pytest.raises(ValueError, match="probs must sum to 1"):
        expectation([1, 2], [0.5, 0.6])
    with pytest.raises(ValueError, match="probs has 3 entries"):
        expectation([1, 2], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="ddof applies to samples only"):
        variance([1, 2], [0.5, 0.5], ddof=1)
    with pytest.raises(ValueError, match="need more than ddof=1 samples"):
        variance([1.0])
    with pytest.raises(ValueError, match="must be finite; got nan"):
        expectation([1.0, np.nan])
    with pytest.raises(ValueError, match="same length"):
        covariance([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="a variance is zero"):
        correlation([1, 1], [1, 2], [0.5, 0.5])
    with pytest.raises(TypeError, match="real numbers"):
        expectation(["a", "b"])


# --------------------------------------------------------------------------------------
# d2l's scatter examples, sampled, with exact finite-sample intervals
# --------------------------------------------------------------------------------------

M = 10_000  # d2l draws 500 points for its figures; more make the intervals tight


def _chi2_interval(df, alpha):
    return st.chi2.ppf(alpha / 2, df) / df, st.chi2.ppf(1 - alpha / 2, df) / df


def _null_correlation_radius(m, alpha):
    # The sample correlation u of independent normals has u^2 ~ Beta(1/2, (m-2)/2).
    return math.sqrt(st.beta.ppf(1 - alpha, 0.5, (m - 2) / 2))


@pytest.mark.parametrize("c", [-0.9, 0.0, 1.2])
def test_sampled_covariance_examples(c):
    rng = rng_for(f"cov{c}")
    x = rng.standard_normal(M)
    e = rng.standard_normal(M)
    y = c * x + e
    cov = covariance(x, y)
    # The estimator is linear: Cov(x, c x + e) = c Var(x) + Cov(x, e).
    assert math.isclose(cov, c * variance(x) + covariance(x, e), abs_tol=1e-12)
    # S_xx ~ chi2(M-1)/(M-1) exactly, S_ee too, |corr(x, e)| <= u: three events.
    lo, hi = _chi2_interval(M - 1, ALPHA)
    u = _null_correlation_radius(M, ALPHA)
    lower = min(c * lo, c * hi) - u * hi
    upper = max(c * lo, c * hi) + u * hi
    assert lower <= cov <= upper


@pytest.mark.parametrize("r", [-0.9, 0.0, 1.0])
def test_sampled_correlation_examples(r):
    rng = rng_for(f"cor{r}")
    x = rng.standard_normal(M)
    e = rng.standard_normal(M)
    s = math.sqrt(1 - r * r)
    y = r * x + s * e
    rho = correlation(x, y)
    if s == 0:
        assert math.isclose(rho, 1.0, abs_tol=1e-12)
        return
    # rho = w / sqrt(1 + w^2) with w = (r + s u sqrt(v)) / (s sqrt(v) sqrt(1 - u^2)),
    # u = corr(x, e) (Beta law above) and v = S_ee / S_xx ~ F(M-1, M-1): two events.
    # w is monotone in v, and in u while |u| < s sqrt(v) / |r|, so the extremes sit
    # at the corners of the box of (u, v).
    u_max = _null_correlation_radius(M, ALPHA)
    v_lo = st.f.ppf(ALPHA / 2, M - 1, M - 1)
    v_hi = st.f.ppf(1 - ALPHA / 2, M - 1, M - 1)
    assert r == 0 or u_max < s * math.sqrt(v_lo) / abs(r)
    corners = []
    for uu, vv in itertools.product([-u_max, u_max], [v_lo, v_hi]):
        w = (r + s * uu * math.sqrt(vv)) / (s * math.sqrt(vv) * math.sqrt(1 - uu * uu))
        corners.append(w / math.sqrt(1 + w * w))
    assert min(corners) <= rho <= max(corners)


# --------------------------------------------------------------------------------------
# Chebyshev
# --------------------------------------------------------------------------------------


def test_chebyshev_d2l_values():
    assert math.isclose(chebyshev_bound(math.sqrt(2)), 0.5)
    lo, hi = chebyshev_interval(0.0, 1.0, 0.5)
    assert math.isclose(hi, math.sqrt(2)) and math.isclose(lo, -math.sqrt(2))
    assert chebyshev_bound(0.5) == 1.0
    with pytest.raises(ValueError, match="k must be > 0"):
        chebyshev_bound(0.0)
    with pytest.raises(ValueError, match=r"coverage must lie in \[0, 1\)"):
        chebyshev_interval(0.0, 1.0, 1.0)


@given(hs.floats(1.0, 10.0))
def test_chebyshev_is_attained_by_a_three_point_law(k):
    # P(X = +-k) = 1 / (2 k^2), P(X = 0) = 1 - 1 / k^2: mean 0, variance 1, and
    # P(|X| >= k) = 1 / k^2 exactly, so the bound cannot be improved.
    values = [-k, 0.0, k]
    probs = [1 / (2 * k * k), 1 - 1 / (k * k), 1 / (2 * k * k)]
    assert math.isclose(variance(values, probs), 1.0, rel_tol=1e-12)
    assert math.isclose(probs[0] + probs[2], chebyshev_bound(k), rel_tol=1e-12)


DISTS = [
    lambda a: Normal(a, 1 + a * a),
    lambda a: Uniform(a, a + 2),
    lambda a: Exponential(1 + a * a),
    lambda a: Poisson(1 + 10 * a * a),
    lambda a: Binomial(20, 0.05 + 0.9 * abs(math.sin(a))),
    lambda a: DiscreteUniform(-3, 3 + int(5 * a * a)),
]


@given(hs.sampled_from(range(len(DISTS))), hs.floats(-1, 1), hs.floats(1.0, 5.0))
def test_chebyshev_holds_for_the_distributions(which, a, k):
    d = DISTS[which](a)
    mu, sd = float(d.mean()), float(d.std())
    lo, hi = mu - k * sd, mu + k * sd
    if d.discrete:
        # P(X <= lo) + P(X >= hi) with P(X >= hi) = P(X > ceil(hi) - 1).
        outside = d.cdf(lo) + d.sf(math.ceil(hi) - 1)
    else:
        outside = d.cdf(lo) + d.sf(hi)
    assert outside <= chebyshev_bound(k) + 1e-12
    ilo, ihi = chebyshev_interval(mu, sd, 1 - 1 / (k * k))
    assert math.isclose(ilo, lo, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(ihi, hi, rel_tol=1e-9, abs_tol=1e-9)
