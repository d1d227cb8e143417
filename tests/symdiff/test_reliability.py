"""Issue 18: no crash on defined input, derivatives that stop, agreed conventions."""

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import symdiff.core.expr as expr_module
from symdiff import Symbol, const, diff, evaluate, exp, log1p, sin

x, y = Symbol("x"), Symbol("y")


def test_integer_zero_to_a_negative_power_evaluates_to_inf():
    e = sin(y) * x + const(0) ** -1  # the node 0**-1 is not folded
    with np.errstate(all="ignore"):
        assert evaluate(e, {x: 1.0, y: 2.0}) == np.inf
        assert evaluate(const(0) ** -1) == np.inf


@pytest.mark.parametrize(
    ("expr", "n"),
    [(x, 10**8), (x**3 * y, 10**9), (Symbol("A", shape=(2,)) * x, 10**7)],
)
def test_high_order_derivatives_stop_once_the_variable_is_gone(expr, n):
    start = time.perf_counter()
    out = diff(expr, x, n)
    assert time.perf_counter() - start < 1.0
    assert np.all(evaluate(out, {x: 1.5, y: 2.0, "A": np.ones(2)}) == 0)
    assert out.shape == expr.shape
    assert diff(x**3, x, 3) is const(6)  # still exact until it is constant


def _build(i):
    return sin(x * (i % 40)) + exp(y) * (i % 31) + log1p(x * y + i)


def _build_all(starts):
    return [_build(i) for i in starts]


@pytest.mark.parametrize("sweep_every", [None, 2_000])
def test_interning_is_atomic_under_threads(sweep_every, monkeypatch):
    """Issue 18.6: 8 threads building the same expressions get the same nodes, also
    while the table is being swept (a tiny sweep threshold forces many sweeps)."""
    if sweep_every is not None:
        monkeypatch.setattr(expr_module, "_SWEEP_MIN", sweep_every)
        monkeypatch.setattr(expr_module, "_sweep_at", sweep_every)
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show
    try:
        for trial in range(3):
            n = 1500
            with ThreadPoolExecutor(8) as pool:
                # fresh constants per trial, so every trial interns new nodes
                starts = range(trial * n, (trial + 1) * n)
                runs = [pool.submit(_build_all, starts) for _ in range(7)]
                built = [r.result() for r in runs]
            for i in range(n):
                first = built[0][i]
                assert all(b[i] is first for b in built), i
                assert first is _build(i + trial * n)
    finally:
        sys.setswitchinterval(old_interval)


def _rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_memory_stays_bounded_for_throwaway_expressions(monkeypatch):
    """Issue 18.7: the intern table is swept as it doubles, so 240,000 throwaway
    nodes leave it (and the process) small; kept expressions stay interned."""
    monkeypatch.setattr(expr_module, "_SWEEP_MIN", 20_000)
    monkeypatch.setattr(expr_module, "_sweep_at", 20_000)
    kept = [sin(x * (-i - 1) + 0.25) for i in range(100)]
    before, peak = _rss_mib(), 0
    for i in range(60_000):
        e = sin(x * i + 0.5)  # 4 new nodes each time, dropped at once
        peak = max(peak, len(expr_module._NODES))
    del e
    assert peak < 2 * 20_000 + 1_000  # never more than twice the threshold
    assert _rss_mib() - before < 64  # generous: measured about 5 MiB
    assert all(k is sin(x * (-i - 1) + 0.25) for i, k in enumerate(kept))
