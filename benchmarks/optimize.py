"""Exact sparse derivatives vs scipy's finite-difference route, in scipy.optimize.

In one process, for the problems of ``benchmarks/problems.py`` (chained Rosenbrock,
Broyden tridiagonal, 2-D Bratu, and the smoothing least-squares fit):

- **exact**: :mod:`symdiff.optimize` builds ``fun``, ``jac`` and the sparse Hessian
  (``hess``, CSR) or the Hessian-vector product (``hessp``) once; solved with
  ``Newton-CG`` (both) and ``trust-constr`` (``hess``);
- **scipy**: the numpy twin of the same function with scipy's defaults for a user
  without derivatives: ``jac="2-point"`` and a quasi-Newton Hessian, as
  ``trust-constr`` with ``hess=BFGS()`` and as ``BFGS``.  Dense quasi-Newton needs
  ``n**2`` memory and every 2-point gradient ``n + 1`` evaluations, so these run only
  up to ``--fd-max`` unknowns;
- least squares: ``symdiff.optimize.least_squares`` (exact CSR Jacobian; its time
  includes building it) vs ``scipy.optimize.least_squares`` with ``jac="2-point"``
  and the same ``jac_sparsity`` (scipy's own coloured differences), and dense
  ``2-point`` up to n = 200.

Every run has a wall-time budget (``--exact-budget``, ``--budget``); past it the run
is stopped and marked so.  Chained Rosenbrock from its standard start needs a number
of Newton iterations that grows with n (about 1,600 at n = 10^3), so at n = 10^4 it
meets the budget: its ms/it column is the comparable figure there.

Printed per run: iterations, evaluations (f / gradient or Jacobian / Hessian or
products), build and solve time, time per iteration, the final value, and the time
ratio to the exact Newton-CG (hess) run (least squares: to the exact run).  Every run
that finishes must reach the exact route's optimum (asserted), or a point where the
exact gradient vanishes (another local minimum, reported as such).

Run:  python benchmarks/optimize.py            (n = 10^3 and 10^4, about 1.5 minutes)
      python benchmarks/optimize.py --quick    (n = 10^2, seconds)
      python benchmarks/optimize.py --sizes 100000   (10^5: exact routes only)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import optimize

# the repository root (symdiff) and this folder (problems.py), run from anywhere
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from problems import (  # noqa: E402
    LEAST_SQUARES_PROBLEMS,
    MINIMIZE_PROBLEMS,
    square_size,
)

from symdiff.optimize import Problem, least_squares  # noqa: E402

DENSE_LS_MAX = 200  # dense 2-point least squares: about a minute per run at n = 1000


class Counter:
    """Wrap a function and count its calls."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *args):
        self.calls += 1
        return self.fn(*args)


class Budget:
    """A callback stopping a scipy run after ``seconds`` of wall time."""

    def __init__(self, seconds):
        self.end = time.perf_counter() + seconds
        self.hit = False

    def __call__(self, *args, **kwargs):
        if time.perf_counter() > self.end:
            self.hit = True
            raise StopIteration


def row(label, n, nit, counts, build, solve, fun, ref_time, note=""):
    ratio = f"{(build + solve) / ref_time:7.2f}x" if ref_time else "    -   "
    print(
        f"  {label:<30} n={n:<7} it={nit:<6} evals={counts:<22} "
        f"build={build:6.2f}s solve={solve:7.2f}s ({1e3 * solve / max(nit, 1):6.2f} "
        f"ms/it) f*={fun:<12.6g} {ratio} {note}"
    )


def exact_runs(problem, tol, budget):
    """Newton-CG (hess, hessp) and trust-constr (hess) with symdiff's derivatives."""
    results = []
    for method, hessp in (
        ("Newton-CG", False),
        ("Newton-CG", True),
        ("trust-constr", False),
    ):
        t0 = time.perf_counter()
        prob = Problem(problem.objective, problem.params)
        kw = prob.minimize_kwargs(method, hessp=hessp)
        build = time.perf_counter() - t0
        counted = {
            k: Counter(kw[k]) for k in ("fun", "jac", "hess", "hessp") if k in kw
        }
        kw.update(counted)
        stop = Budget(budget)
        t0 = time.perf_counter()
        res = optimize.minimize(
            x0=problem.x0, tol=tol, callback=stop, options={"maxiter": 10**6}, **kw
        )
        solve = time.perf_counter() - t0
        second = counted.get("hess", counted.get("hessp"))
        counts = f"{counted['fun'].calls}/{counted['jac'].calls}/{second.calls}"
        label = f"exact {method} ({'hessp' if hessp else 'hess'})"
        results.append((label, res, counts, build, solve, stop.hit))
    return results


def scipy_runs(problem, tol, budget):
    """scipy's own route: 2-point gradients, quasi-Newton Hessians."""
    out = []
    for label, kw in (
        (
            "scipy trust-constr 2-point+BFGS",
            dict(method="trust-constr", hess=optimize.BFGS()),
        ),
        ("scipy BFGS 2-point", dict(method="BFGS")),
    ):
        f = Counter(problem.f)
        stop = Budget(budget)
        t0 = time.perf_counter()
        res = optimize.minimize(
            f,
            problem.x0,
            jac="2-point",
            tol=tol,
            callback=stop,
            options={"maxiter": 100000},
            **kw,
        )
        solve = time.perf_counter() - t0
        out.append((label, res, f"{f.calls}/-/-", 0.0, solve, stop.hit))
    return out


def check_same(problem, reference, res, label, gradient):
    """The same optimum as the exact Newton-CG run, or a note that the method found
    another stationary point (asserted: the exact gradient vanishes there)."""
    scale = max(1.0, abs(reference.fun))
    if abs(res.fun - reference.fun) <= 1e-5 * scale:
        return "same optimum"
    g = np.linalg.norm(gradient(res.x))
    assert g <= 1e-3 * max(1.0, abs(res.fun)), (label, res.fun, g)
    return f"another local minimum (|grad| = {g:.1e})"


def minimize_section(sizes, fd_max, budget, exact_budget, tol):
    for name, build in MINIMIZE_PROBLEMS.items():
        print(f"\n{name}")
        for n in sizes:
            problem = build(square_size(n) if name == "bratu" else n)
            runs = exact_runs(problem, tol, exact_budget)
            _, ref, _, b0, s0, ref_hit = runs[0]
            ref_time = b0 + s0
            gradient = Problem(problem.objective, problem.params).compiled.jac()
            if problem.optimum is not None and not ref_hit:
                assert abs(ref.fun - problem.optimum) <= 1e-6, (name, ref.fun)
            for label, res, counts, b, s, hit in runs:
                if hit:
                    note = f"stopped at the {exact_budget:g}s budget"
                elif ref_hit:
                    note = "finished"
                else:
                    note = check_same(problem, ref, res, label, gradient)
                row(label, problem.n, res.nit, counts, b, s, res.fun, ref_time, note)
            if problem.n > fd_max:
                print(
                    f"  scipy 2-point routes skipped at n={problem.n} (> --fd-max "
                    f"{fd_max}: n**2 quasi-Newton memory, n evaluations per gradient)"
                )
                continue
            for label, res, counts, b, s, hit in scipy_runs(problem, tol, budget):
                if hit:
                    note = f"stopped at the {budget:g}s budget"
                elif ref_hit:
                    note = "finished" if res.success else f"failed: {res.message}"
                elif abs(res.fun - ref.fun) <= 1e-5 * max(1.0, abs(ref.fun)):
                    note = "same optimum"
                    if not res.success:  # scipy's line search gave up right there
                        note += " (scipy: precision loss)"
                else:
                    note = f"not converged: {res.message}"
                row(label, problem.n, res.nit, counts, b, s, res.fun, ref_time, note)


def least_squares_section(sizes, fd_max):
    for name, build in LEAST_SQUARES_PROBLEMS.items():
        print(f"\n{name} (least squares)")
        for n in sizes:
            problem = build(n)
            t0 = time.perf_counter()
            res = least_squares(problem.residuals, problem.x0, params=problem.params)
            total = time.perf_counter() - t0
            row(
                "exact trf (build incl.)",
                n,
                res.nfev,
                f"{res.nfev}/{res.njev}/-",
                0.0,
                total,
                res.cost,
                total,
            )
            pattern = res.jac != 0
            routes = [("scipy 2-point + jac_sparsity", dict(jac_sparsity=pattern))]
            if n <= DENSE_LS_MAX:  # a dense trf step factorizes the whole Jacobian
                routes.append(("scipy 2-point dense", {}))
            for label, kw in routes:
                r = Counter(problem.r)
                t0 = time.perf_counter()
                ref = optimize.least_squares(r, problem.x0, jac="2-point", **kw)
                solve = time.perf_counter() - t0
                assert abs(ref.cost - res.cost) <= 1e-6 * max(1.0, res.cost), label
                np.testing.assert_allclose(ref.x, res.x, atol=1e-4)
                row(
                    label,
                    n,
                    ref.nfev,
                    f"{r.calls}/-/-",
                    0.0,
                    solve,
                    ref.cost,
                    total,
                    "same optimum",
                )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="n = 100 only")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--fd-max", type=int, default=1024)
    parser.add_argument(
        "--budget", type=float, default=5.0, help="seconds per scipy 2-point run"
    )
    parser.add_argument(
        "--exact-budget", type=float, default=10.0, help="seconds per exact run"
    )
    parser.add_argument("--tol", type=float, default=1e-10)
    args = parser.parse_args(argv)
    sizes, budget = ([100], 1.0) if args.quick else (args.sizes, args.budget)
    exact_budget = 5.0 if args.quick else args.exact_budget
    print(
        "evals = f / gradient (Jacobian) / Hessian or products; ratio = time "
        "(build + solve) over the exact Newton-CG (hess) run"
    )
    minimize_section(sizes, args.fd_max, budget, exact_budget, args.tol)
    least_squares_section(sizes, args.fd_max)


if __name__ == "__main__":
    main()
