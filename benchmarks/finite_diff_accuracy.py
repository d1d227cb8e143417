"""Accuracy and cost of numeric.derivative, gradient, hessian and check_grad vs peers.

Run as ``python benchmarks/finite_diff_accuracy.py`` (``--corpus`` for the loss
corpus section alone).  Peers are measured in the same
process when installed: numdifftools (``pip install numdifftools``, in the ``bench``
extra) and ``scipy.differentiate`` (scipy >= 1.15).  Cost is counted in evaluations
of f, which is what matters when f is expensive; wall time is printed as a ratio to
numeric.derivative in the same run.

Suite: exp, sin, cos, tan, log, sqrt, tanh, atan, x**3, log1p, expm1 at several x,
including large |x| (sin at 1e6, exp at 50, x**3 at 1e4) and points near a domain
edge (log at 1e-3, sqrt at 1e-2); the Squire-Trapp function e^x / sqrt(sin^3 x +
cos^3 x) at 1.5; and d/dx cdf = pdf at median + 0.1 for every continuous distribution
in scipy.stats (with scipy's own example shape parameters).  References for the
elementary functions come from mpmath at 40 digits.
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numeric import check_grad, derivative, gradient, hessian  # noqa: E402

try:
    import mpmath as mp

    mp.mp.dps = 40
except ImportError:  # pragma: no cover - mpmath comes with sympy
    mp = None

try:
    import numdifftools as nd
except ImportError:
    nd = None

try:
    from scipy import differentiate as sdiff
except ImportError:
    sdiff = None


# ------------------------------------------------------------------- the suite


def _ref(mpf, npf, x):
    if mp is not None:
        return float(mpf(mp.mpf(x)))
    return float(npf(x))


def elementary_cases():
    table = [
        ("exp", np.exp, lambda t: mp.exp(t), np.exp, [-2.0, 0.5, 1.0, 3.0, 50.0]),
        ("sin", np.sin, lambda t: mp.cos(t), np.cos, [0.3, 1.0, 2.5, 1e6]),
        ("cos", np.cos, lambda t: -mp.sin(t), lambda t: -np.sin(t), [0.3, 1.0, 2.5]),
        (
            "tan",
            np.tan,
            lambda t: 1 / mp.cos(t) ** 2,
            lambda t: 1 / np.cos(t) ** 2,
            [0.2, 1.0, 1.5],
        ),
        ("log", np.log, lambda t: 1 / t, lambda t: 1 / t, [1e-3, 0.5, 2.0, 100.0]),
        (
            "sqrt",
            np.sqrt,
            lambda t: 1 / (2 * mp.sqrt(t)),
            lambda t: 0.5 / np.sqrt(t),
            [1e-2, 1.0, 4.0],
        ),
        (
            "tanh",
            np.tanh,
            lambda t: 1 / mp.cosh(t) ** 2,
            lambda t: 1 / np.cosh(t) ** 2,
            [-1.0, 0.5, 3.0],
        ),
        (
            "atan",
            np.arctan,
            lambda t: 1 / (1 + t * t),
            lambda t: 1 / (1 + t * t),
            [-2.0, 0.5, 10.0],
        ),
        (
            "x**3",
            lambda t: t**3,
            lambda t: 3 * t * t,
            lambda t: 3 * t * t,
            [-1.5, 2.0, 1e4],
        ),
        (
            "log1p",
            np.log1p,
            lambda t: 1 / (1 + t),
            lambda t: 1 / (1 + t),
            [1e-3, 0.5, 5.0],
        ),
        ("expm1", np.expm1, lambda t: mp.exp(t), np.exp, [1e-3, -0.5, 2.0]),
    ]
    cases = []
    for name, f, dmp, dnp, xs in table:
        for x in xs:
            cases.append((f"{name}({x:g})", f, x, _ref(dmp, dnp, x)))

    def squire_trapp(t):
        return np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3)

    cases.append(("squire-trapp(1.5)", squire_trapp, 1.5, 4.053427893898621))
    return cases


def stats_cases():
    import scipy.stats as st

    try:
        from scipy.stats._distr_params import distcont
    except ImportError:  # pragma: no cover - private module moved
        distcont = [
            (name, ())
            for name in dir(st)
            if isinstance(getattr(st, name), st.rv_continuous)
        ]
    cases = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, params in distcont:
            try:
                dist = getattr(st, name)(*params)
                x = float(dist.median()) + 0.1
                pdf = float(dist.pdf(x))
            except Exception:
                continue
            if math.isfinite(x) and math.isfinite(pdf) and pdf > 0:
                cases.append((f"{name}.cdf", dist.cdf, x, pdf))
    return cases


# ------------------------------------------------------------------ the methods


class Counter:
    def __init__(self, f):
        self.f = f
        self.n = 0

    def __call__(self, x):
        self.n += np.size(x)
        return self.f(x)


def run_ours(f, x):
    res = derivative(f, x, full_output=True)
    return res.value, res.nfev, res.error


def run_numdifftools(f, x):
    c = Counter(f)
    return float(nd.Derivative(c)(x)), c.n, None


def run_scipy(f, x):
    res = sdiff.derivative(f, x)
    return float(res.df), int(res.nfev), float(res.error)


def measure(method, cases):
    rel, nfev, truthful = [], [], []
    nan = 0
    t0 = time.perf_counter()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for _, f, x, ref in cases:
            try:
                value, n, err = method(f, x)
            except Exception:
                value, n, err = math.nan, 0, None
            if not math.isfinite(value):
                nan += 1
                rel.append(math.inf)
            else:
                rel.append(abs(value - ref) / abs(ref))
            nfev.append(n)
            if err is not None:
                truthful.append(abs(value - ref) <= err)
    elapsed = time.perf_counter() - t0
    rel = np.array(rel)
    return {
        "median": float(np.median(rel)),
        "p95": float(np.percentile(rel, 95)),
        "nan": nan,
        "nfev": float(np.median(nfev)),
        "truthful": float(np.mean(truthful)) if truthful else math.nan,
        "time": elapsed,
        "rel": rel,
    }


def accuracy_section():
    cases = elementary_cases() + stats_cases()
    print(
        f"== derivative: {len(cases)} cases "
        f"({len(elementary_cases())} elementary, {len(cases) - len(elementary_cases())}"
        " scipy.stats cdf -> pdf)"
    )
    methods = [("numeric.derivative", run_ours)]
    if nd is not None:
        methods.append(("numdifftools.Derivative", run_numdifftools))
    else:
        print("   (numdifftools not installed: pip install numdifftools)")
    if sdiff is not None:
        methods.append(("scipy.differentiate", run_scipy))
    else:
        print("   (scipy.differentiate not available: scipy >= 1.15)")
    results = {name: measure(m, cases) for name, m in methods}
    base = results["numeric.derivative"]
    print(
        f"{'method':<26}{'median rel':>11}{'95th pct':>11}{'NaN':>5}"
        f"{'median nfev':>13}{'truthful':>10}{'time ratio':>12}"
    )
    for name, r in results.items():
        truth = "-" if math.isnan(r["truthful"]) else f"{r['truthful']:.3f}"
        print(
            f"{name:<26}{r['median']:>11.2e}{r['p95']:>11.2e}{r['nan']:>5d}"
            f"{r['nfev']:>13.0f}{truth:>10}{r['time'] / base['time']:>12.2f}"
        )
    print(
        "   targets for numeric.derivative: median <= 1e-13, 95th <= 1e-11, "
        "median nfev <= 15, no NaN"
    )
    names = [c[0] for c in cases]
    for label, key in (
        ("sin(1e+06)", "sin(1e+06)"),
        ("log(0.001)", "log(0.001)"),
        ("exp(50)", "exp(50)"),
        ("x**3(10000)", "x**3(10000)"),
        ("squire-trapp", "squire-trapp(1.5)"),
    ):
        i = names.index(key)
        row = (
            "   "
            + f"{label:<14}"
            + "  ".join(
                f"{name.split('.')[0]}={r['rel'][i]:.1e}" for name, r in results.items()
            )
        )
        print(row)
    large = [
        ("x**3 at 1e20", lambda t: t**3, 1e20, 3e40),
        ("log at 1e20", np.log, 1e20, 1e-20),
    ]
    for label, f, x, ref in large:
        row = "   " + f"{label:<14}"
        for name, m in methods:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                try:
                    v = m(f, x)[0]
                except Exception:
                    v = math.nan
            row += f"  {name.split('.')[0]}={abs(v - ref) / abs(ref):.1e}"
        print(row)


# ---------------------------------------------------------------- complex step


def complex_section():
    funcs = [
        (np.exp, lambda t: mp.exp(t)),
        (np.sin, lambda t: mp.cos(t)),
        (np.cos, lambda t: -mp.sin(t)),
        (np.tanh, lambda t: 1 / mp.cosh(t) ** 2),
        (np.arctan, lambda t: 1 / (1 + t * t)),
        (lambda t: t**3, lambda t: 3 * t * t),
        (np.log1p, lambda t: 1 / (1 + t)),
        (np.expm1, lambda t: mp.exp(t)),
        (lambda t: np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3), None),
    ]
    xs = [0.1, 0.5, 1.0, 1.5, 2.5]
    worst = 0.0
    count = 0
    for f, dmp in funcs:
        for x in xs:
            res = derivative(f, x, method="complex", full_output=True)
            if dmp is None:
                if x != 1.5:
                    continue
                ref = 4.053427893898621
            else:
                ref = float(dmp(mp.mpf(x)))
            worst = max(worst, abs(res.value - ref) / math.ulp(ref))
            count += 1
    print(
        f"== complex step: {count} cases, worst error {worst:.1f} ulp "
        "(target <= 2 ulp), 1 evaluation each"
    )


# ---------------------------------------------------------- gradients, Hessians


def make_test_function(n, rng):
    """f(v) = v.A.v / 2 + sum(sin v) + exp(c.v), with exact gradient and Hessian."""
    A = rng.normal(size=(n, n))
    A = A + A.T
    c = rng.uniform(-0.5, 0.5, n)

    def f(v):
        return 0.5 * v @ A @ v + np.sum(np.sin(v)) + np.exp(c @ v)

    def exact(v):
        e = np.exp(c @ v)
        return A @ v + np.cos(v) + c * e, A - np.diag(np.sin(v)) + np.outer(c, c) * e

    return f, exact


def grad_section():
    print(
        "== gradient and Hessian: evaluations and max relative error (vs numdifftools)"
    )
    rng = np.random.default_rng(0)
    print(
        f"{'n':>4}{'grad nfev':>11}{'/n':>7}{'grad err':>10}"
        f"{'hess nfev':>11}{'/n^2':>7}{'hess err':>10}"
        f"{'nd grad/n':>11}{'nd err':>9}{'nd hess/n^2':>13}{'nd err':>9}"
    )
    for n in (2, 5, 10, 20):
        test_function, exact = make_test_function(n, rng)
        v = rng.uniform(-1, 1, n)
        g_ex, H_ex = exact(v)
        g = gradient(test_function, v, full_output=True)
        H = hessian(test_function, v, full_output=True)
        ge = np.max(np.abs(g.value - g_ex) / np.maximum(np.abs(g_ex), 1e-300))
        he = np.max(np.abs(H.value - H_ex)) / np.max(np.abs(H_ex))
        row = (
            f"{n:>4}{g.nfev:>11}{g.nfev / n:>7.1f}{ge:>10.1e}"
            f"{H.nfev:>11}{H.nfev / n**2:>7.1f}{he:>10.1e}"
        )
        if nd is not None:
            c = Counter(test_function)
            ng = nd.Gradient(c)(v)
            ng_n = c.n
            c2 = Counter(test_function)
            nh = nd.Hessian(c2)(v)
            nge = np.max(np.abs(ng - g_ex) / np.abs(g_ex))
            nhe = np.max(np.abs(nh - H_ex)) / np.max(np.abs(H_ex))
            # Counter counts array elements; each call here is one point of R^n.
            row += (
                f"{ng_n / n / n:>11.1f}{nge:>9.1e}{c2.n / n / n**2:>13.1f}{nhe:>9.1e}"
            )
        print(row)


# ------------------------------------------------------------------ grad check


def random_function(rng, n):
    """A random smooth f: R^n -> R and its exact gradient."""
    k = 4
    B = rng.normal(size=(k, n))
    c = rng.uniform(-1, 1, k)
    a = rng.uniform(-2, 2, k)
    kinds = rng.integers(0, 4, k)
    phi = [np.sin, np.tanh, lambda t: np.log1p(t * t), lambda t: np.exp(np.sin(t))]
    dphi = [
        np.cos,
        lambda t: 1 - np.tanh(t) ** 2,
        lambda t: 2 * t / (1 + t * t),
        lambda t: np.cos(t) * np.exp(np.sin(t)),
    ]

    def f(v):
        u = B @ v + c
        return sum(a[i] * phi[kinds[i]](u[i]) for i in range(k))

    def g(v):
        u = B @ v + c
        return sum(a[i] * dphi[kinds[i]](u[i]) * B[i] for i in range(k))

    return f, g


def torch_style(f, grad, x, eps=1e-6, atol=1e-5, rtol=1e-3):
    """The fixed-tolerance rule of torch.autograd.gradcheck, emulated with numpy."""
    x = np.array(x)
    num = np.zeros(x.shape, dtype=np.float64)
    for i in range(x.size):
        xp = x.copy()
        xm = x.copy()
        xp.flat[i] += x.dtype.type(eps)
        xm.flat[i] -= x.dtype.type(eps)
        num.flat[i] = (np.float64(f(xp)) - np.float64(f(xm))) / (2 * eps)
    return bool(np.all(np.abs(grad - num) <= atol + rtol * np.abs(num)))


def gradcheck_section():
    rng = np.random.default_rng(1)
    trials = 1000
    fp = fn = 0
    fp_t = fn_t = 0
    pass_1e4_t = 0
    for _ in range(trials):
        n = int(rng.integers(2, 5))
        f, g = random_function(rng, n)
        x = rng.uniform(-2, 2, n)
        good = g(x)
        bad = good.copy()
        i = int(np.argmax(np.abs(good)))
        bad[i] *= 1 + 1e-6
        bad4 = good.copy()
        bad4[i] *= 1 + 1e-4
        fp += not check_grad(f, good, x).ok
        fn += check_grad(f, bad, x).ok
        fp_t += not torch_style(f, good, x)
        fn_t += torch_style(f, bad, x)
        pass_1e4_t += torch_style(f, bad4, x)
    print(f"== check_grad, float64, {trials} random smooth functions")
    print(f"   numeric.check_grad: false positives {fp}, misses of a 1e-6 error {fn}")
    print(
        f"   torch-style fixed rule (eps=1e-6, atol=1e-5, rtol=1e-3, emulated): "
        f"false positives {fp_t}, misses of 1e-6 {fn_t}, "
        f"passes a 1e-4 error in {pass_1e4_t}/{trials}"
    )
    sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    funcs32 = [
        ("sin", np.sin, np.cos),
        ("exp", np.exp, np.exp),
        ("tanh", np.tanh, lambda t: 1 - np.tanh(t) ** 2),
        ("sigmoid", sig, lambda t: sig(t) * (1 - sig(t))),
    ]
    rows = []
    for name, f, d in funcs32:
        fp32 = fn32 = fpt = 0
        m = 100
        for _ in range(m):
            x = rng.uniform(-3, 3, 8).astype(np.float32)

            def F(v, f=f):
                return np.sum(f(v), dtype=np.float32)

            good = d(x).astype(np.float32)
            bad = good.copy()
            bad[int(np.argmax(np.abs(good)))] *= np.float32(1.01)
            fp32 += not check_grad(F, good, x).ok
            fn32 += check_grad(F, bad, x).ok
            fpt += not torch_style(F, good, x)
        rows.append(
            f"{name} fp={fp32}/{m} miss1e-2={fn32}/{m} torch-style fp={fpt}/{m}"
        )
    print("== check_grad, float32 (8-element arrays): " + "; ".join(rows))
    # Size independence: one wrong component among 1000 still fails.
    x = rng.uniform(-2, 2, 1000)

    def big(v):
        return np.sum(np.sin(v))

    good = np.cos(x)
    bad = good.copy()
    bad[123] *= 1 + 1e-6
    print(
        f"== check_grad on 1000 components: correct ok={check_grad(big, good, x).ok},"
        f" one component off by 1e-6 ok={check_grad(big, bad, x).ok}"
    )


def _corpus():
    sys.path.insert(
        0, str(Path(__file__).resolve().parents[1] / "tests/numeric/calculus")
    )
    import loss_corpus

    return loss_corpus


def _check_corpus(cases, planted):
    """False alarms, and detection of a planted relative error on the largest
    component (overall, and where the correct check's tolerance resolves it)."""
    alarms, caught, resolvable, caught_res = 0, 0, 0, 0
    worst = {}
    for case in cases:
        res = check_grad(case.f, case.grad, case.x)
        if not res.ok:
            alarms += 1
            worst[case.family] = worst.get(case.family, 0) + 1
        i = int(np.argmax(np.abs(case.grad)))
        bad = case.grad.copy()
        bad[i] *= 1 + planted
        hit = not check_grad(case.f, bad, case.x).ok
        caught += hit
        if abs(bad[i] - case.grad[i]) > res.tolerance[i]:
            resolvable += 1
            caught_res += hit
    return alarms, caught, resolvable, caught_res, worst


def _slice_cases(cases, seed):
    """Directional derivatives of the corpus losses: f(x + t u) at t = 0."""
    rng = np.random.default_rng(seed)
    out = []
    for case in cases:
        u = rng.standard_normal(case.x.size)
        u /= np.linalg.norm(u)

        def g(t, c=case, u=u):
            t = np.asarray(t, dtype=np.float64)
            vals = [c.f(c.x + ti * u) for ti in t.reshape(-1)]
            return np.reshape(np.array(vals, dtype=np.float64), t.shape)

        out.append((case.family, g, 0.0, float(case.grad @ u)))
    return out


def run_numdifftools_full(f, x):
    c = Counter(f)
    out = nd.Derivative(c, full_output=True)(x)
    if hasattr(out, "estimate"):  # numdifftools >= 0.11
        return float(out.estimate), c.n, float(out.error_estimate)
    val, info = out
    return float(val), c.n, float(info.error_estimate)


def corpus_section():
    lc = _corpus()
    t0 = time.perf_counter()
    c64 = lc.cases(67, np.float64, seed=101)
    c32 = lc.cases(17, np.float32, seed=102)
    print(
        f"== loss corpus: {len(lc.FAMILIES)} families, {len(c64)} float64 and "
        f"{len(c32)} float32 cases (tests/numeric/calculus/loss_corpus.py)"
    )
    print("   dtype    cases  false alarms  planted  caught (all)  caught (resolvable)")
    for name, cs, planted in (("float64", c64, 1e-6), ("float32", c32, 1e-2)):
        alarms, caught, res_n, caught_res, worst = _check_corpus(cs, planted)
        print(
            f"   {name}  {len(cs):>6}  {alarms:>12}  {planted:>7.0e}  "
            f"{caught:>5}/{len(cs):<6}  {caught_res:>8}/{res_n}"
        )
        if worst:
            print(f"      false alarms by family: {worst}")
    slices = _slice_cases(lc.cases(20, np.float64, seed=103), seed=104)
    print(f"== derivative on {len(slices)} directional slices of the corpus")
    print(
        "method                     median rel   95th pct  NaN  median nfev  truthful"
    )
    peers = [("numeric.derivative", run_ours)]
    if nd is not None:
        peers.append(("numdifftools", run_numdifftools_full))
    if sdiff is not None:
        peers.append(("scipy.differentiate", run_scipy))
    for label, method in peers:
        m = measure(method, slices)
        print(
            f"{label:<26} {m['median']:>10.2e} {m['p95']:>10.2e} {m['nan']:>4} "
            f"{m['nfev']:>12.0f} {m['truthful']:>9.4f}"
        )
    both = measure(run_ours, elementary_cases() + stats_cases() + slices)
    print(
        f"   numeric.derivative error bounds the truth in {both['truthful']:.4f} of "
        f"the 157 + {len(slices)} cases; corpus section took "
        f"{time.perf_counter() - t0:.0f} s"
    )


def main():
    if "--corpus" in sys.argv:
        corpus_section()
        return
    print(
        f"numpy {np.__version__}; numdifftools "
        f"{getattr(nd, '__version__', 'absent')}; scipy.differentiate "
        f"{'present' if sdiff is not None else 'absent'}"
    )
    accuracy_section()
    complex_section()
    grad_section()
    gradcheck_section()
    corpus_section()


if __name__ == "__main__":
    main()
