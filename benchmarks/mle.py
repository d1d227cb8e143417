"""Fit time of symdiff.stats.fit (exact gradient and Hessian, trust-exact) against
scipy.stats.<family>.fit on the same data, with iterations and function evaluations.

For each family and n (10^3 and 10^5) the two fits run on one data set in turns; each
time is the best of a few repeats (the first symdiff call, which builds and compiles
the log-likelihood, is reported apart as ``compile``).  The log-likelihood of both
estimates is printed (difference ours - scipy's: >= 0 means ours is at least as high).
scipy's fits: Gamma with ``floc=0`` (scipy solves one equation in the shape), Beta
with ``floc=0, fscale=1`` and StudentT (generic Nelder-Mead), LogNormal and
Exponential with ``floc=0`` and Normal (closed forms).

Run: ``python benchmarks/mle.py`` (about a minute) or ``--quick`` (n = 10^3 only,
fewer repeats).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.stats as ss

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symdiff.stats import FAMILIES, fit  # noqa: E402

CASES = {
    "gamma": (
        lambda r, n: r.gamma(2.5, 1.3, n),
        lambda d: ss.gamma.fit(d, floc=0),
        lambda t: {"shape": t[0], "scale": t[2]},
    ),
    "beta": (
        lambda r, n: r.beta(2.0, 5.0, n),
        lambda d: ss.beta.fit(d, floc=0, fscale=1),
        lambda t: {"a": t[0], "b": t[1]},
    ),
    "studentt": (
        lambda r, n: 2.0 + 0.5 * r.standard_t(4.0, n),
        lambda d: ss.t.fit(d),
        lambda t: {"df": t[0], "mu": t[1], "sigma": t[2]},
    ),
    "lognormal": (
        lambda r, n: r.lognormal(0.3, 0.6, n),
        lambda d: ss.lognorm.fit(d, floc=0),
        lambda t: {"mu": np.log(t[2]), "sigma": t[0]},
    ),
    "exponential": (
        lambda r, n: r.exponential(0.5, n),
        lambda d: ss.expon.fit(d, floc=0),
        lambda t: {"rate": 1 / t[1]},
    ),
    "normal": (
        lambda r, n: r.normal(1.0, 2.0, n),
        lambda d: ss.norm.fit(d),
        lambda t: {"mu": t[0], "sigma": t[1]},
    ),
}


def _best(fn, repeats):
    best, out = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _loglik(fam, params, d):
    return float(np.sum(FAMILIES[fam].scipy(params).logpdf(d)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="n = 1000 only, 2 repeats")
    args = ap.parse_args(argv)
    sizes = (1000,) if args.quick else (1000, 100_000)
    repeats = 2 if args.quick else 5
    rng = np.random.default_rng(0)
    print(
        f"{'family':12} {'n':>7} {'compile':>9} {'ours':>9} {'scipy':>9} "
        f"{'scipy/ours':>10} {'nit':>4} {'nfev':>5} {'nhev':>5} {'dloglik':>10}"
    )
    for fam, (sample, scipy_fit, as_params) in CASES.items():
        for n in sizes:
            d = sample(rng, n)
            t0 = time.perf_counter()
            fit(fam, d)  # builds and compiles the log-likelihood for this n
            compile_s = time.perf_counter() - t0
            ours_s, ours = _best(lambda d=d, fam=fam: fit(fam, d), repeats)
            theirs_s, theirs = _best(lambda d=d, f=scipy_fit: f(d), repeats)
            dll = _loglik(fam, ours.params, d) - _loglik(fam, as_params(theirs), d)
            print(
                f"{fam:12} {n:>7} {compile_s:>8.3f}s {ours_s * 1e3:>7.2f}ms "
                f"{theirs_s * 1e3:>7.2f}ms {theirs_s / ours_s:>10.2f} {ours.nit:>4} "
                f"{ours.nfev:>5} {ours.nhev:>5} {dll:>10.2e}"
            )


if __name__ == "__main__":
    main()
