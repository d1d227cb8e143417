"""Throughput of numeric.simulate next to raw numpy draws; peak memory at 10^9 draws.

Run from the repository root::

    python benchmarks/simulation_throughput.py            # everything (a few minutes)
    python benchmarks/simulation_throughput.py --quick    # throughput only

Throughput: samples per second of ``law_of_large_numbers`` and ``central_limit`` next
to the same distribution drawn straight from a ``numpy.random.Generator`` in the same
process (chunks of 2^20, nothing else done with the draws).  The target is a ratio of
at least 0.5.  Each figure is the best of several repeats, run interleaved so that a
change in machine load affects the three alike.

Memory: 10^9 draws through each simulation, each in a fresh child process, reporting
the tracemalloc peak (every numpy buffer is traced) and the growth of the resident set
size (``ru_maxrss``) over the child's baseline after imports and a warm-up run.

dask (where dask and distributed are installed; skipped with the reason otherwise):
the same seeded run (a ``SeedSequence``, one child stream per chunk of 2^22 draws) in
this process and on a ``distributed.LocalCluster`` of two single-threaded worker
processes, draws per second of each and their ratio, the results checked identical,
and each worker's tracemalloc peak (the memory a worker needs: about one chunk)::

    python benchmarks/simulation_throughput.py --dask-only          # about a minute
    python benchmarks/simulation_throughput.py --ten-billion        # 10^10 draws

``--ten-billion`` runs the law of large numbers on 10^10 Bernoulli(0.3) draws and the
central limit theorem on 10^6 sums of 10^4 draws on the two workers, and prints the
bounds they are checked against.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numeric.distributions import (  # noqa: E402
    Bernoulli,
    Exponential,
    Normal,
    Poisson,
    Uniform,
)
from numeric.simulate import central_limit, law_of_large_numbers  # noqa: E402

CHUNK = 1 << 20
CASES = {
    "Normal(0, 1)": (Normal(0.0, 1.0), lambda rng, k: rng.normal(0.0, 1.0, k)),
    "Exponential(1)": (Exponential(1.0), lambda rng, k: rng.exponential(1.0, k)),
    "Uniform(0, 1)": (Uniform(0.0, 1.0), lambda rng, k: rng.uniform(0.0, 1.0, k)),
    "Bernoulli(0.3)": (Bernoulli(0.3), lambda rng, k: rng.random(k) < 0.3),
    "Poisson(5)": (Poisson(5.0), lambda rng, k: rng.poisson(5.0, k)),
}


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def raw_draws(draw, n, rng):
    done = 0
    while done < n:
        k = min(CHUNK, n - done)
        draw(rng, k)
        done += k


def throughput(n, repeats):
    print(f"throughput: {n:.0e} draws per run, best of {repeats}, chunks of 2^20")
    header = f"{'distribution':16s} {'raw draws/s':>12s} {'LLN draws/s':>12s} "
    header += f"{'LLN/raw':>8s} {'CLT draws/s':>12s} {'CLT/raw':>8s}"
    print(header)
    worst = float("inf")
    for name, (dist, draw) in CASES.items():
        rng = np.random.default_rng(0)
        runs = {
            "raw": lambda d=draw, r=rng: raw_draws(d, n, r),
            "lln": lambda d=dist, r=rng: law_of_large_numbers(d, n, r),
            "clt": lambda d=dist, r=rng: central_limit(d, 100, n // 100, r),
        }
        best = dict.fromkeys(runs, float("inf"))
        # Interleave the three so that a change in machine load hits all of them.
        for _ in range(repeats):
            for key, fn in runs.items():
                best[key] = min(best[key], timed(fn))
        raw, lln, clt = (n / best[k] for k in ("raw", "lln", "clt"))
        worst = min(worst, lln / raw, clt / raw)
        print(
            f"{name:16s} {raw:12.3e} {lln:12.3e} {lln / raw:8.2f} "
            f"{clt:12.3e} {clt / raw:8.2f}"
        )
    verdict = "meets" if worst >= 0.5 else "MISSES"
    print(f"lowest ratio {worst:.2f} ({verdict} the 0.5 target)")


def memory_child(which):
    dist = Normal(0.0, 1.0)
    rng = np.random.default_rng(1)
    # Warm-up: import-time and first-call allocations belong to the baseline.
    law_of_large_numbers(dist, 3 * CHUNK, rng)
    central_limit(dist, 1000, 3 * CHUNK // 1000, rng)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    if which == "lln":
        law_of_large_numbers(dist, 10**9, rng)
    else:
        central_limit(dist, 1000, 10**6, rng)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "traced_peak_bytes": peak,
                "rss_growth_kib": after - before,
            }
        )
    )


def memory():
    print("peak memory for 10^9 Normal(0, 1) draws (each run in a fresh process):")
    runs = {
        "lln": "law_of_large_numbers(n=10^9)",
        "clt": "central_limit(n=1000, m=10^6)",
    }
    for which, label in runs.items():
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", which],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  {label:32s} {r['seconds']:7.1f} s   tracemalloc peak "
            f"{r['traced_peak_bytes'] / 2**20:6.1f} MiB   RSS growth "
            f"{r['rss_growth_kib'] / 1024:6.1f} MiB"
        )


DASK_CHUNK = 1 << 22  # 32 MiB of float64 draws per task


def start_cluster():
    """A two-worker LocalCluster (processes), or None with the reason printed."""
    try:
        import distributed
    except ImportError:
        print(
            "dask: skipped (dask and distributed are not installed: pip install "
            "'symdiff[dask]')"
        )
        return None
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    return cluster, distributed.Client(cluster)


def worker_peaks(client, run):
    """``run()``'s result and each worker's tracemalloc peak (bytes) during it."""
    client.run(tracemalloc.start)
    client.run(tracemalloc.reset_peak)
    result = run()
    peaks = client.run(lambda: tracemalloc.get_traced_memory()[1])
    client.run(tracemalloc.stop)
    return result, sorted(peaks.values())


def dask_rows(n):
    started = start_cluster()
    if started is None:
        return
    cluster, client = started
    print(
        f"dask: {n:.0e} draws, seeded chunks of 2^22, here vs 2 worker processes "
        f"(best of 2)"
    )
    print(f"{'run':32s} {'here draws/s':>13s} {'dask draws/s':>13s} {'dask/here':>9s}")
    seed = np.random.SeedSequence(2024)
    runs = {
        "LLN Bernoulli(0.3)": lambda **kw: (
            law_of_large_numbers(
                Bernoulli(0.3), n, seed, chunk_size=DASK_CHUNK, **kw
            ).running_sum
        ),
        "LLN Normal(0, 1)": lambda **kw: (
            law_of_large_numbers(
                Normal(0.0, 1.0), n, seed, chunk_size=DASK_CHUNK, **kw
            ).running_sum
        ),
        "CLT Exponential(1), n=1000": lambda **kw: (
            central_limit(
                Exponential(1.0), 1000, n // 1000, seed, chunk_size=DASK_CHUNK, **kw
            ).sums
        ),
    }
    with cluster, client:
        for name, run in runs.items():
            here = there = float("inf")
            for _ in range(2):
                start = time.perf_counter()
                a = run()
                here = min(here, time.perf_counter() - start)
                start = time.perf_counter()
                b = run(scheduler=client)
                there = min(there, time.perf_counter() - start)
                assert np.array_equal(a, b), f"{name}: dask differs from here"
            print(f"{name:32s} {n / here:13.3e} {n / there:13.3e} {here / there:9.2f}")
        _, peaks = worker_peaks(
            client, lambda: runs["LLN Normal(0, 1)"](scheduler=client)
        )
        mib = ", ".join(f"{p / 2**20:.1f}" for p in peaks)
        print(
            f"results identical here and on dask; worker tracemalloc peaks "
            f"(LLN Normal) {mib} MiB, one chunk is {8 * DASK_CHUNK / 2**20:.0f} MiB"
        )


def ten_billion():
    started = start_cluster()
    if started is None:
        return
    cluster, client = started
    chunk = 1 << 24  # 128 MiB of float64 (16 MiB of bool) draws per task
    with cluster, client:
        start = time.perf_counter()
        r, peaks = worker_peaks(
            client,
            lambda: law_of_large_numbers(
                Bernoulli(0.3),
                10**10,
                np.random.SeedSequence(10),
                chunk_size=chunk,
                scheduler=client,
            ),
        )
        s = time.perf_counter() - start
        print(
            f"LLN Bernoulli(0.3), 10^10 draws on 2 workers: {s:.0f} s "
            f"({1e10 / s:.2e} draws/s); mean {r.running_mean[-1]:.7f}, "
            f"|mean - 0.3| = {r.deviation[-1]:.1e} <= band {r.band[-1]:.1e}: "
            f"{r.within_band} at all {r.draws.size} checkpoints; worker peaks "
            + ", ".join(f"{p / 2**20:.0f}" for p in peaks)
            + " MiB"
        )
        start = time.perf_counter()
        c, peaks = worker_peaks(
            client,
            lambda: central_limit(
                Bernoulli(0.2),
                10**4,
                10**6,
                np.random.SeedSequence(11),
                chunk_size=chunk,
                scheduler=client,
            ),
        )
        s = time.perf_counter() - start
        print(
            f"CLT Bernoulli(0.2), 10^6 sums of 10^4 draws on 2 workers: {s:.0f} s "
            f"({1e10 / s:.2e} draws/s); Kolmogorov distance {c.kolmogorov:.2e} <= "
            f"Berry-Esseen {c.berry_esseen:.2e} + DKW {c.dkw:.2e}: "
            f"{c.within_bound}; worker peaks "
            + ", ".join(f"{p / 2**20:.0f}" for p in peaks)
            + " MiB"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the memory runs")
    parser.add_argument("--dask-draws", type=int, default=200_000_000)
    parser.add_argument("--dask-only", action="store_true", help="only the dask rows")
    parser.add_argument(
        "--ten-billion", action="store_true", help="10^10 draws on two dask workers"
    )
    parser.add_argument(
        "--memory-child", choices=["lln", "clt"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    if args.ten_billion:
        ten_billion()
        return
    if args.dask_only:
        dask_rows(args.dask_draws)
        return
    throughput(args.draws, args.repeats)
    print()
    dask_rows(args.draws if args.quick else args.dask_draws)
    if not args.quick:
        print()
        memory()


if __name__ == "__main__":
    main()
