"""numeric.simulate: dice, coins, the law of large numbers, the central limit theorem.

Each simulation is checked against the bound it reports, and the CLT against the exact
finite-n law (Binomial for Bernoulli sums, Gamma for exponential sums) as well as
N(0, 1).  Random draws come from ``numpy.random.default_rng([BASE_SEED, key])`` with
the base seed overridable through ``SYMDIFF_TEST_SEED``; all checks below form one
family at total alpha = 1e-4 (Bonferroni).
"""

import math
import os
import tracemalloc
import zlib

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp
from scipy import special

from numeric.distributions import (
    Bernoulli,
    Binomial,
    Categorical,
    DiscreteUniform,
    Exponential,
    Multinomial,
    Normal,
    Poisson,
    Uniform,
)
from numeric.simulate import (
    berry_esseen_bound,
    central_limit,
    coin_experiment,
    dice_experiment,
    dkw_bound,
    kolmogorov_distance,
    law_of_large_numbers,
)

BASE_SEED = int(os.environ.get("SYMDIFF_TEST_SEED", "20240607"))

LLN_CASES = {
    "bernoulli": lambda: Bernoulli(0.3),
    "binomial": lambda: Binomial(10, 0.2),
    "discrete-uniform": lambda: DiscreteUniform(1, 5),
    "categorical": lambda: Categorical([0.2, 0.3, 0.5]),
    "uniform": lambda: Uniform(1.0, 3.0),
    "normal": lambda: Normal(2.0, 3.0),
    "exponential": lambda: Exponential(2.0),
    "poisson": lambda: Poisson(5.0),
}
CLT_BERNOULLI_NS = [1, 10, 100, 1000]  # d2l's figure, Binomial(n, 0.2)
CLT_EXPONENTIAL_NS = [1, 5, 50]
COVERAGE_CASES = ["coin", "normal", "exponential", "uniform"]
FAMILY = (
    2  # dice and coin inside their bands
    + len(LLN_CASES)
    + 2 * len(CLT_BERNOULLI_NS)
    + 2 * len(CLT_EXPONENTIAL_NS)
    + len(COVERAGE_CASES)
)
ALPHA = 1e-4 / FAMILY


def rng_for(name):
    return np.random.default_rng([BASE_SEED, zlib.crc32(name.encode())])


# --------------------------------------------------------------------------------------
# dice and coins
# --------------------------------------------------------------------------------------


def test_dice_experiment_is_d2l_and_stays_in_its_band():
    r = dice_experiment(500, 10, rng=rng_for("dice"), alpha=ALPHA)
    assert r.estimates.shape == (500, 6) and r.counts.shape == (500, 6)
    assert r.labels == tuple(f"P(die={i})" for i in range(1, 7))
    assert r.xlabel == "Groups of experiments"
    np.testing.assert_array_equal(r.draws, 10 * np.arange(1, 501))
    np.testing.assert_array_equal(r.counts.sum(axis=1), r.draws)
    assert (np.diff(r.counts, axis=0) >= 0).all()
    np.testing.assert_allclose(r.estimates.sum(axis=1), 1.0)
    np.testing.assert_allclose(r.probs, 1 / 6)
    assert r.within_band
    # The same numbers as d2l's recipe: cumulative sums of multinomial(10, p) rows.
    again = rng_for("dice").multinomial(10, [1 / 6] * 6, size=500).cumsum(axis=0)
    np.testing.assert_array_equal(r.counts, again)


def test_dice_experiment_does_not_depend_on_the_chunk_size():
    a = dice_experiment(300, 7, rng=rng_for("dice-chunks"), chunk_size=6 * 4)
    b = dice_experiment(300, 7, rng=rng_for("dice-chunks"))
    np.testing.assert_array_equal(a.counts, b.counts)
    loaded = dice_experiment(20, 5, rng=rng_for("loaded"), probs=[0.5, 0.25, 0.25])
    assert loaded.estimates.shape == (20, 3)


def test_coin_experiment_is_d2l_and_stays_in_its_band():
    r = coin_experiment(10_000, rng=rng_for("coin"), alpha=ALPHA)
    assert r.labels == ("P(coin=heads)", "P(coin=tails)") and r.xlabel == "Samples"
    np.testing.assert_array_equal(r.draws, np.arange(1, 10_001))
    np.testing.assert_allclose(r.estimates.sum(axis=1), 1.0)
    assert r.within_band
    heads = np.cumsum(Bernoulli(0.5).sample(10_000, rng_for("coin")))
    np.testing.assert_array_equal(r.counts[:, 0], heads)


def test_coin_experiment_checkpoints():
    r = coin_experiment(3_000_000, rng=rng_for("coin-long"), checkpoints=50)
    assert r.draws[0] == 1 and r.draws[-1] == 3_000_000 and len(r.draws) <= 51
    assert (np.diff(r.draws) > 0).all()
    listed = coin_experiment(100, rng=rng_for("x"), checkpoints=np.array([10, 100]))
    np.testing.assert_array_equal(listed.draws, [10, 100])
    with pytest.raises(ValueError, match="strictly increasing within"):
        coin_experiment(100, rng=rng_for("x"), checkpoints=np.array([100, 10]))
    with pytest.raises(ValueError, match="p must lie in"):
        coin_experiment(100, rng=rng_for("x"), p=1.5)


# --------------------------------------------------------------------------------------
# law of large numbers
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", LLN_CASES)
def test_running_means_stay_in_their_bands(case):
    d = LLN_CASES[case]()
    r = law_of_large_numbers(d, 1_000_000, rng_for("lln-" + case), alpha=ALPHA)
    lo, hi = d.support
    assert r.bound == ("hoeffding" if np.isfinite(hi) else "chebyshev")
    assert r.draws[-1] == 1_000_000 and r.mean == d.mean()
    assert r.within_band
    # The band shrinks like 1 / sqrt(n), up to the dyadic blocks' steps.
    k = np.searchsorted(r.draws, [1000, 16000])
    assert 0.2 < r.band[k[1]] / r.band[k[0]] < 0.35


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_running_means_do_not_depend_on_the_chunk_size(chunk):
    d = Normal(1.0, 2.0)
    r = law_of_large_numbers(d, 5000, rng_for("lln-chunks"), chunk_size=chunk)
    x = d.sample(5000, rng_for("lln-chunks"))
    np.testing.assert_allclose(r.running_mean, np.cumsum(x) / np.arange(1, 5001))
    sparse = law_of_large_numbers(
        d, 5000, rng_for("lln-chunks"), chunk_size=chunk, checkpoints=37
    )
    np.testing.assert_allclose(
        sparse.running_mean, np.cumsum(x)[sparse.draws - 1] / sparse.draws
    )


@pytest.mark.parametrize("checkpoints", [None, 37])
@pytest.mark.parametrize("dist", [Bernoulli(0.5), Poisson(3.0)], ids=repr)
def test_integer_running_sums_are_exact(dist, checkpoints):
    r = law_of_large_numbers(
        dist, 2000, rng_for("exact"), chunk_size=300, checkpoints=checkpoints
    )
    x = dist.sample(2000, rng_for("exact"))
    assert r.running_sum.dtype.kind == "i"
    np.testing.assert_array_equal(r.running_sum, np.cumsum(x)[r.draws - 1])


def test_memory_stays_bounded():
    rng = rng_for("memory")
    tracemalloc.start()
    law_of_large_numbers(Normal(), 4_000_000, rng, chunk_size=1 << 16)
    central_limit(Exponential(), 400, 10_000, rng, chunk_size=1 << 16)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # 4e6 draws held at once would take 32 MB; chunks of 2^16 need about 1 MB.
    assert peak < 4_000_000


def test_progress_bar_goes_to_stderr(capsys):
    a = law_of_large_numbers(Uniform(), 50_000, rng_for("bar"), progress=True)
    err = capsys.readouterr().err
    assert "law_of_large_numbers" in err and "100.0%" in err and err.endswith("\n")
    b = law_of_large_numbers(Uniform(), 50_000, rng_for("bar"))
    np.testing.assert_array_equal(a.running_mean, b.running_mean)
    central_limit(Bernoulli(0.5), 10, 100, rng_for("bar"), progress=True)
    assert "central_limit" in capsys.readouterr().err


BAD_CALLS = [
    (lambda: law_of_large_numbers(Normal(), 10, None), TypeError, "rng must be"),
    (
        lambda: law_of_large_numbers(Normal(), 0, rng_for("x")),
        ValueError,
        "n must be a positive integer; got 0",
    ),
    (
        lambda: law_of_large_numbers(Normal(), 10, rng_for("x"), bound="hoeffding"),
        ValueError,
        "Hoeffding's bound needs bounded values",
    ),
    (
        lambda: law_of_large_numbers(Multinomial(3, [0.5, 0.5]), 10, rng_for("x")),
        ValueError,
        "scalar-valued",
    ),
    (
        lambda: law_of_large_numbers(Normal([0.0, 1.0]), 10, rng_for("x")),
        ValueError,
        "scalar parameters",
    ),
    (
        lambda: law_of_large_numbers(Normal(), 10, rng_for("x"), alpha=2.0),
        ValueError,
        r"alpha must lie in \(0, 1\)",
    ),
    (
        lambda: law_of_large_numbers("normal", 10, rng_for("x")),
        TypeError,
        "dist must be a numeric.distributions distribution",
    ),
    (
        lambda: central_limit(Bernoulli(0.0), 10, 10, rng_for("x")),
        ValueError,
        "zero variance",
    ),
    (lambda: dice_experiment(rng=None), TypeError, "rng must be"),
    (
        lambda: dice_experiment(0, rng=rng_for("x")),
        ValueError,
        "groups must be a positive integer",
    ),
]


@pytest.mark.parametrize("call, error, message", BAD_CALLS)
def test_bad_calls_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("case", COVERAGE_CASES)
def test_bands_are_not_too_narrow(case):
    # At alpha = 0.5 a valid band is left by at most half of the runs; a band that
    # is too narrow is left far more often, which the exact binomial test detects.
    runs = 300
    rng = rng_for("coverage-" + case)
    escapes = 0
    for _ in range(runs):
        if case == "coin":
            r = coin_experiment(1000, rng=rng, alpha=0.5)
        else:
            d = {"normal": Normal(), "exponential": Exponential(), "uniform": Uniform()}
            r = law_of_large_numbers(d[case], 1000, rng, alpha=0.5)
        escapes += not r.within_band
    assert st.binom(runs, 0.5).sf(escapes - 1) > ALPHA


# --------------------------------------------------------------------------------------
# central limit theorem
# --------------------------------------------------------------------------------------


def lattice_distance(counts_cdf, exact_cdf):
    return float(np.max(np.abs(counts_cdf - exact_cdf)))


@pytest.mark.parametrize("n", CLT_BERNOULLI_NS)
def test_bernoulli_sums_follow_the_binomial_and_approach_the_normal(n):
    p, m = 0.2, 20_000
    r = central_limit(Bernoulli(p), n, m, rng_for(f"clt-bernoulli-{n}"), alpha=ALPHA)
    assert r.sums.dtype.kind == "i" and r.sums.shape == (m,)
    # Exact finite-n law: S ~ Binomial(n, p).  Both cdfs are step functions jumping
    # only at integers, so the sup is attained on 0..n.
    k = np.arange(n + 1)
    empirical = np.cumsum(np.bincount(r.sums, minlength=n + 1)) / m
    assert lattice_distance(empirical, st.binom(n, p).cdf(k)) <= dkw_bound(m, ALPHA)
    # Against N(0, 1): Berry-Esseen + DKW.
    assert r.within_bound and r.kolmogorov <= r.berry_esseen + r.dkw
    assert math.isclose(
        r.kolmogorov, kolmogorov_distance(r.z, special.ndtr), rel_tol=1e-12
    )


@pytest.mark.parametrize("n", CLT_EXPONENTIAL_NS)
def test_exponential_sums_follow_the_gamma_and_approach_the_normal(n):
    rate, m = 2.0, 20_000
    r = central_limit(Exponential(rate), n, m, rng_for(f"clt-exp-{n}"), alpha=ALPHA)
    exact = st.gamma(n, scale=1 / rate).cdf
    assert kolmogorov_distance(r.sums, exact) <= dkw_bound(m, ALPHA)
    assert r.within_bound


@pytest.mark.parametrize("n", [1, 3, 10, 40, 300])
def test_integer_sums_are_exact_for_every_row_length(n):
    for d in (Bernoulli(0.3), Poisson(2.0)):
        r = central_limit(d, n, 64, rng_for(f"rows-{n}"), chunk_size=1000)
        x = d.sample((64, n), rng_for(f"rows-{n}"))
        np.testing.assert_array_equal(r.sums, x.sum(axis=1))


def test_central_limit_chunking_gives_the_same_sums():
    d = Exponential(1.5)
    a = central_limit(d, 50, 40, rng_for("clt-chunks"), chunk_size=7)  # n > chunk
    b = central_limit(d, 50, 40, rng_for("clt-chunks"), chunk_size=120)  # 2 rows
    c = central_limit(d, 50, 40, rng_for("clt-chunks"))
    x = d.sample((40, 50), rng_for("clt-chunks")).sum(axis=1)
    for r in (a, b, c):
        np.testing.assert_allclose(r.sums, x, rtol=1e-12)


@given(hs.integers(1, 3000), hs.floats(0.01, 0.99))
def test_exact_binomial_law_is_within_berry_esseen(n, p):
    # sup_x |F_n(x) - Phi(x)| for the standardised Binomial(n, p), computed exactly:
    # at each integer k compare Phi with the cdf on both sides of the jump.
    d = Binomial(n, p)
    k = np.arange(n + 1)
    z = (k - n * p) / math.sqrt(n * p * (1 - p))
    phi = special.ndtr(z)
    right = d.cdf(k)
    left = np.concatenate([[0.0], right[:-1]])
    sup = max(np.max(np.abs(right - phi)), np.max(np.abs(left - phi)))
    assert sup <= berry_esseen_bound(Bernoulli(p), n) + 1e-12


@given(hs.integers(1, 500))
def test_exact_gamma_law_is_within_berry_esseen(n):
    z = np.linspace(-8, 8, 4001)
    sums = n + z * math.sqrt(n)  # Exponential(1): mean 1, sd 1
    gap = np.abs(st.gamma(n).cdf(sums) - special.ndtr(z))
    assert gap.max() <= berry_esseen_bound(Exponential(), n)


RHO_CASES = [
    Bernoulli(0.2),
    Binomial(10, 0.3),
    Poisson(5.0),
    DiscreteUniform(1, 5),
    Categorical([0.2, 0.3, 0.5]),
    Normal(1.0, 2.0),
    Uniform(1.0, 3.0),
    Exponential(2.0),
]


@pytest.mark.parametrize("d", RHO_CASES, ids=repr)
def test_berry_esseen_uses_the_third_absolute_moment(d):
    ref = d.to_scipy()
    mu, sd = float(d.mean()), float(d.std())
    rho = ref.expect(lambda x: np.abs(x - mu) ** 3)
    expected = 0.4748 * rho / sd**3 / math.sqrt(9)
    assert math.isclose(berry_esseen_bound(d, 9), expected, rel_tol=1e-6)


@given(
    hnp.arrays(
        float, hs.integers(1, 60), elements=hs.sampled_from([-1.0, 0.0, 0.5, 2.0])
    )
    | hnp.arrays(float, hs.integers(1, 60), elements=hs.floats(-5, 5))
)
def test_kolmogorov_distance_matches_scipy(x):
    ours = kolmogorov_distance(x, special.ndtr)
    assert math.isclose(ours, st.kstest(x, "norm").statistic, rel_tol=1e-12)


@given(hs.integers(1, 2000), hs.floats(1e-6, 0.5))
def test_dkw_radius_is_valid_for_the_exact_kolmogorov_law(m, alpha):
    # Massart: P(sup |F_m - F| > eps) <= alpha; scipy's kstwo is the exact law of the
    # statistic for continuous F.
    eps = dkw_bound(m, alpha)
    assert st.kstwo(m).sf(eps) <= alpha * (1 + 1e-9)
