"""numeric.simulate in chunks: one seed per chunk, computed here or on dask.

Given a ``SeedSequence``, ``law_of_large_numbers`` and ``central_limit`` draw chunk
``i`` from the seed's ``i``-th spawned child.  Checked here: that rule against draws
made by hand from ``SeedSequence.spawn``; bit-identical results in this process and on
a two-worker ``distributed.LocalCluster`` (and dask's local schedulers, with worker
processes too); the bounds on runs of up to 10^7 draws; memory per chunk; the
errors.  The statistical checks form one family at total alpha = 1e-4 (Bonferroni);
their seeds are fixed, so a run is reproducible.
"""

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeric.distributions import Bernoulli, Exponential, Normal, Poisson, Uniform
from numeric.probability.chunked import clt_chunk, lln_chunk
from numeric.simulate import central_limit, law_of_large_numbers

BASE_SEED = int(os.environ.get("SYMDIFF_TEST_SEED", "20240607"))
ALPHA = 1e-4 / 4  # the four statistical checks below
ROOT = Path(__file__).resolve().parents[3]

DISTS = {  # bool, int64 and float64 draws: the three ways chunks are summed
    "bernoulli": lambda: Bernoulli(0.3),
    "poisson": lambda: Poisson(4.0),
    "normal": lambda: Normal(1.0, 2.0),
}


def seed_for(key):
    return np.random.SeedSequence([BASE_SEED, key])


@pytest.fixture(scope="module")
def client():
    """Two single-threaded workers in this process: starts in well under a second
    and needs no free port (one test below runs tasks in worker processes)."""
    distributed = pytest.importorskip("distributed", reason="dask is optional")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


def assert_same_lln(a, b):
    for field in ("draws", "running_sum", "running_mean", "band"):
        x, y = getattr(a, field), getattr(b, field)
        assert x.dtype == y.dtype and np.array_equal(x, y), field
    assert (a.mean, a.bound, a.alpha, a.n) == (b.mean, b.bound, b.alpha, b.n)


def assert_same_clt(a, b):
    assert a.sums.dtype == b.sums.dtype and np.array_equal(a.sums, b.sums)
    for field in ("kolmogorov", "berry_esseen", "dkw"):
        assert getattr(a, field) == getattr(b, field), field


# -- the seeding rule, against SeedSequence.spawn by hand ------------------------------


@pytest.mark.parametrize("name", DISTS)
def test_chunk_i_draws_from_the_ith_spawned_child(name):
    dist, n, chunk = DISTS[name](), 10_000, 1_500  # 7 chunks, the last one short
    r = law_of_large_numbers(dist, n, seed_for(1), chunk_size=chunk, checkpoints=40)
    kids = seed_for(1).spawn(-(-n // chunk))
    draws = np.concatenate(
        [dist.sample(chunk, np.random.default_rng(k)) for k in kids]
    )[:n]
    expected = np.cumsum(draws)[r.draws - 1]
    if draws.dtype.kind == "f":  # summed in another order: equal to rounding
        np.testing.assert_allclose(r.running_sum, expected, rtol=1e-12, atol=1e-9)
    else:
        np.testing.assert_array_equal(r.running_sum, expected)
    # the seed is not spawned from: passing it again repeats the run
    seed = seed_for(1)
    again = [law_of_large_numbers(dist, n, seed, chunk_size=chunk) for _ in range(2)]
    assert_same_lln(*again)


def test_central_limit_chunks_are_spawned_children_too():
    dist = Poisson(2.0)
    # n <= chunk: blocks of 3 rows of 50 draws; n > chunk: sums in pieces of 40
    r = central_limit(dist, 50, 10, seed_for(2), chunk_size=150)
    kids = seed_for(2).spawn(4)
    rows = [dist.sample((3, 50), np.random.default_rng(k)) for k in kids]
    np.testing.assert_array_equal(r.sums, np.concatenate(rows)[:10].sum(axis=1))
    r = central_limit(dist, 100, 3, seed_for(3), chunk_size=40)
    kids = iter(seed_for(3).spawn(9))  # 3 pieces (40, 40, 20) per sum

    def piece(k):
        return int(dist.sample(k, np.random.default_rng(next(kids))).sum())

    expected = [piece(40) + piece(40) + piece(20) for _ in range(3)]
    np.testing.assert_array_equal(r.sums, expected)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 3_000),  # n
    st.integers(1, 50),  # chunks wanted (the last one may be short)
    st.sampled_from(sorted(DISTS)),
    st.integers(0, 2**32 - 1),  # seed
    st.data(),
)
def test_any_chunking_matches_the_spawned_streams(n, k, name, entropy, data):
    dist, chunk = DISTS[name](), -(-n // k)
    cps = np.array(
        sorted(data.draw(st.sets(st.integers(1, n), min_size=1, max_size=20))),
        dtype=np.int64,
    )
    r = law_of_large_numbers(
        dist, n, np.random.SeedSequence(entropy), chunk_size=chunk, checkpoints=cps
    )
    kids = np.random.SeedSequence(entropy).spawn(-(-n // chunk))
    sizes = [min(chunk, n - i * chunk) for i in range(len(kids))]
    draws = np.concatenate(
        [
            dist.sample(s, np.random.default_rng(kid))
            for s, kid in zip(sizes, kids, strict=True)
        ]
    )
    np.testing.assert_allclose(
        r.running_sum, np.cumsum(draws)[cps - 1], rtol=1e-12, atol=1e-9
    )
    if data.draw(st.booleans(), label="also on dask"):
        pytest.importorskip("dask", reason="dask is optional")
        there = law_of_large_numbers(
            dist,
            n,
            np.random.SeedSequence(entropy),
            chunk_size=chunk,
            checkpoints=cps,
            scheduler="synchronous",
        )
        assert_same_lln(r, there)


# -- here and on dask: bit-identical ---------------------------------------------------


@pytest.mark.parametrize("name", DISTS)
@pytest.mark.parametrize("checkpoints", [None, 7, "chunk-edges"])
def test_law_of_large_numbers_on_dask_is_identical(client, name, checkpoints):
    dist, n, chunk = DISTS[name](), 60_000, 4_096
    if checkpoints == "chunk-edges":  # on, just before and just after chunk edges
        edges = np.arange(1, n // chunk + 1) * chunk
        checkpoints = np.unique(np.concatenate([[1], edges - 1, edges, edges + 1, [n]]))
    kw = dict(chunk_size=chunk, checkpoints=checkpoints)
    here = law_of_large_numbers(dist, n, seed_for(4), **kw)
    there = law_of_large_numbers(dist, n, seed_for(4), scheduler=client, **kw)
    assert_same_lln(here, there)


@pytest.mark.parametrize("name", DISTS)
@pytest.mark.parametrize("n, m, chunk", [(30, 2_000, 1_000), (5_000, 12, 1_024)])
def test_central_limit_on_dask_is_identical(client, name, n, m, chunk):
    dist = DISTS[name]()
    here = central_limit(dist, n, m, seed_for(5), chunk_size=chunk)
    there = central_limit(dist, n, m, seed_for(5), chunk_size=chunk, scheduler=client)
    assert_same_clt(here, there)


def test_the_tasks_ran_on_both_workers(client):
    distributed = pytest.importorskip("distributed")
    with distributed.get_task_stream(client) as stream:
        law_of_large_numbers(
            Uniform(), 200_000, seed_for(6), chunk_size=8_192, scheduler=client
        )
    assert len(stream.data) == -(-200_000 // 8_192)
    assert len({t["worker"] for t in stream.data}) == 2


@pytest.mark.parametrize("scheduler", ["threads", "synchronous", "processes"])
def test_dask_local_schedulers_are_identical(scheduler):
    pytest.importorskip("dask", reason="dask is optional")
    # "processes" sends the distribution and the seeds to worker processes (pickled)
    here = law_of_large_numbers(Exponential(), 30_000, seed_for(7), chunk_size=5_000)
    there = law_of_large_numbers(
        Exponential(), 30_000, seed_for(7), chunk_size=5_000, scheduler=scheduler
    )
    assert_same_lln(here, there)
    here = central_limit(Bernoulli(0.2), 10, 500, seed_for(8), chunk_size=1_000)
    there = central_limit(
        Bernoulli(0.2), 10, 500, seed_for(8), chunk_size=1_000, scheduler=scheduler
    )
    assert_same_clt(here, there)


# -- the bounds, on 10^7 draws ---------------------------------------------------------


def test_ten_million_draws_on_dask_stay_in_their_bounds(client):
    coin = law_of_large_numbers(
        Bernoulli(0.3), 10**7, seed_for(9), alpha=ALPHA, scheduler=client
    )
    assert coin.bound == "hoeffding" and coin.draws[-1] == 10**7 and coin.within_band
    heavy = law_of_large_numbers(
        Exponential(2.0),
        10**7,
        seed_for(10),
        alpha=ALPHA,
        scheduler=client,
        chunk_size=1 << 21,
    )
    assert heavy.bound == "chebyshev" and heavy.within_band
    # the mean is right to the band's width at 10^7 draws, not merely inside it
    assert abs(coin.running_mean[-1] - 0.3) <= coin.band[-1] < 2e-3
    clt = central_limit(
        Bernoulli(0.2), 1_000, 10_000, seed_for(11), alpha=ALPHA, scheduler=client
    )
    assert clt.within_bound and clt.bound < 0.05
    clt = central_limit(
        Uniform(),
        10**6,
        10,
        seed_for(12),
        alpha=ALPHA,
        scheduler=client,
        chunk_size=1 << 18,
    )
    assert clt.within_bound


# -- bounded memory per chunk ----------------------------------------------------------


def test_a_chunk_task_holds_one_chunk_of_draws():
    chunk = 1 << 18  # 2 MiB of float64 draws
    tracemalloc.start()
    lln_chunk(Normal(), seed_for(13), 0, chunk, np.array([1, 1000, chunk]))
    clt_chunk(Normal(), seed_for(13), 1, (chunk // 64, 64))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 3 * 8 * chunk  # one chunk, a reduction's buffer, change


def test_a_dask_run_never_holds_its_draws():
    pytest.importorskip("dask", reason="dask is optional")
    n, chunk = 4_000_000, 1 << 16  # 32 MB of draws, 0.5 MiB per chunk
    tracemalloc.start()
    law_of_large_numbers(
        Normal(), n, seed_for(14), chunk_size=chunk, scheduler="synchronous"
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # 62 tasks' graph and results, and one chunk at a time: far below 32 MB
    assert peak < 4_000_000


# -- errors, and dask stays optional ---------------------------------------------------

BAD_CALLS = [
    (
        lambda: law_of_large_numbers(
            Normal(), 10, np.random.default_rng(0), scheduler="threads"
        ),
        TypeError,
        "with scheduler='threads' rng must be a numpy.random.SeedSequence",
    ),
    (
        lambda: central_limit(Normal(), 10, 5, seed_for(0), scheduler="gpu"),
        ValueError,
        r"scheduler must be None \(this process\), a distributed.Client or one of",
    ),
    (
        lambda: central_limit(Normal(), 10, 5, seed_for(0), scheduler=object()),
        TypeError,
        "scheduler must be None",
    ),
    (
        lambda: law_of_large_numbers(
            Normal(), 10, seed_for(0), scheduler="threads", progress=True
        ),
        ValueError,
        "progress=True is for runs in this process",
    ),
    (
        lambda: law_of_large_numbers(Normal(), 10, 42),
        TypeError,
        "rng must be a numpy.random.Generator or a numpy.random.SeedSequence",
    ),
]


@pytest.mark.parametrize("call, error, message", BAD_CALLS)
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_without_dask_a_scheduler_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # import dask now fails
    needs = r"needs dask \(pip install 'symdiff\[dask\]'\)"
    with pytest.raises(ImportError, match=needs):
        law_of_large_numbers(Normal(), 10, seed_for(0), scheduler="threads")
    # runs in this process do not need it
    law_of_large_numbers(Normal(), 10, seed_for(0))


def test_importing_numeric_does_not_import_dask():
    code = (
        "import sys, numeric, numeric.simulate, numeric.probability.chunked; "
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
