"""Code targets side by side: numba and C exports vs our numpy code, JAX and CasADi.

The gradient of the n-dimensional Rosenbrock function, in one process:

1. n = 10 at 10**6 points and n = 100 at 10**4 points: ``lambdify(...,
   backend="numba")``, called with one array per argument and as
   ``f.packed_batch(X)`` with the points as the rows of one block (X prepared
   beforehand, as JAX's input is), vs our numpy code (target: numba at least 2x
   faster) and vs ``jax.jit(jax.vmap(jax.grad(f)))`` on the CPU (target: numba at
   least as fast);
2. one point, n = 100: the numba entries ``f.packed`` (one vector in, one out; target:
   5 us per call or less) and ``f.point`` (100 numbers in, a tuple out), and our numpy
   function's per-call time beside a hand-written numpy gradient of one point;
3. C: ``export_c`` compiled with ``cc -O2`` vs the C that CasADi generates for the same
   gradient (compiled the same way, both called in a loop over the points in C; target:
   within 1.2x), and its throughput beside numba's serial loops (per argument, and
   ``f.packed_batch`` on the same block with a preallocated ``out``).

Every result is checked against the hand-written gradient first.  Peers that are not
installed (numba, jax, casadi, a C compiler) are skipped with a printed reason.  Times
are the best of interleaved runs; a ratio above 1 means the first-named is faster.
The GPU part (CuPy / torch through the array-API target, 10**8 points) runs from
``benchmarks/gpu_check.sh`` where a device is present.

Run:  python benchmarks/backends.py [--quick]
"""

from __future__ import annotations

import argparse
import ctypes
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from symdiff import export_c, grad, lambdify, symbols


def rosenbrock(xs):
    return sum(
        100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2
        for i in range(len(xs) - 1)
    )


def hand_grad(x):
    """The gradient by hand, vectorized over the coordinates (x: (n, ...))."""
    g = np.zeros_like(x)
    d = x[1:] - x[:-1] ** 2
    g[:-1] = -400 * x[:-1] * d - 2 * (1 - x[:-1])
    g[1:] += 200 * d
    return g


def best(fns, repeat):
    """Best time of each function, interleaved so load affects them alike."""
    times = [np.inf] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[k] = min(times[k], time.perf_counter() - t)
    return times


def optional(name):
    try:
        return __import__(name)
    except ImportError:
        print(f"    ({name} is not installed: skipped)")
        return None


def check(name, got, ref):
    err = np.max(np.abs(np.asarray(got, dtype=float) - ref) / (1 + np.abs(ref)))
    assert err < 1e-10, f"{name} differs from the hand-written gradient: {err}"


def batches(n, points, repeat):
    xs = symbols(" ".join(f"x{i}" for i in range(n)))
    g = grad(rosenbrock(xs), xs)
    x = np.random.default_rng(0).uniform(-2, 2, size=(n, points))
    rows = list(x)
    ref = hand_grad(x)
    ours = lambdify(xs, g)
    fns = {"numpy backend": lambda: ours(*rows)}
    if optional("numba"):
        nb = lambdify(xs, g, backend="numba")
        t = time.perf_counter()
        nb(*[r[:2] for r in rows])
        print(
            f"    (numba compile of the serial loop: {time.perf_counter() - t:.1f} s)"
        )
        block = np.ascontiguousarray(x.T)  # the points as rows, like jax's input
        t = time.perf_counter()
        nb.packed_batch(block[:2])
        print(f"    (numba compile of the block loop: {time.perf_counter() - t:.1f} s)")
        fns = {
            "numba": lambda: nb(*rows),
            "numba packed_batch(X)": lambda: nb.packed_batch(block),
            **fns,
        }
    jax = optional("jax")
    if jax:
        jax.config.update("jax_enable_x64", True)
        jg = jax.jit(jax.vmap(jax.grad(lambda v: rosenbrock(list(v)))))
        xt = jax.numpy.asarray(x.T)
        fns["jax.jit(vmap(grad))"] = lambda: jg(xt).block_until_ready()
    for name, fn in fns.items():
        out = fn()
        block_form = "jax" in name or "packed" in name
        check(name, np.asarray(out).T if block_form else out, ref)
    times = dict(zip(fns, best(list(fns.values()), repeat), strict=True))
    print(f"n={n}, {points:,} points:")
    for name, t in times.items():
        print(f"    {name:<24} {t * 1e3:9.2f} ms")
    for form in ("numba", "numba packed_batch(X)"):
        if form not in times:
            continue
        tn = times[form]
        r = times["numpy backend"] / tn
        print(f"    => {form} {r:.2f}x our numpy (target >= 2)")
        if "jax.jit(vmap(grad))" in times:
            r = times["jax.jit(vmap(grad))"] / tn
            print(f"    => {form} {r:.2f}x jax.jit on the CPU (target >= 1)")


def one_point(n, calls):
    xs = symbols(" ".join(f"x{i}" for i in range(n)))
    g = grad(rosenbrock(xs), xs)
    p = [float(v) for v in np.random.default_rng(1).uniform(-2, 2, n)]
    vec = np.array(p)
    ours = lambdify(xs, g)
    fns = {
        "numpy backend f(*p)": lambda: ours(*p),
        "hand numpy (one point)": lambda: hand_grad(vec),
    }
    if optional("numba"):
        nb = lambdify(xs, g, backend="numba")
        nb.point(*p)
        check("numba point", nb.point(*p), hand_grad(vec))
        check("numba packed", nb.packed(vec), hand_grad(vec))
        fns = {
            "numba f.packed(v)": lambda: nb.packed(vec),
            "numba f.point(*p)": lambda: nb.point(*p),
            **fns,
        }
    loops = {
        name: (lambda fn=fn: [fn() for _ in range(calls)]) for name, fn in fns.items()
    }
    times = dict(zip(loops, best(list(loops.values()), 3), strict=True))
    print(f"one point, n={n} (per call):")
    for name, t in times.items():
        print(f"    {name:<24} {t / calls * 1e6:9.2f} us")
    if "numba f.packed(v)" in times:
        us = times["numba f.packed(v)"] / calls * 1e6
        print(f"    => numba entry f.packed {us:.2f} us per call (target <= 5)")
    r = times["numpy backend f(*p)"] / times["hand numpy (one point)"]
    print(f"    => our numpy code's call costs {r:.2f}x the hand-written one's")


_DRIVER = """
#include <stdlib.h>
int {name}(const double** arg, double** res, long long int* iw, double* w, int mem);
int {name}_work(long long int *a, long long int *r, long long int *iw,
                long long int *w);
void casadi_batch(long n, const double *in, double *out)
{{
    long long int a, r, iw, w;
    {name}_work(&a, &r, &iw, &w);
    long long int *iwk = malloc(sizeof(long long int) * (iw + 1));
    double *wk = malloc(sizeof(double) * (w + 1));
    const double *args[1];
    double *res[1];
    for (long i = 0; i < n; ++i) {{
        args[0] = in + i * {n_in};
        res[0] = out + i * {n_in};
        {name}(args, res, iwk, wk, 0);
    }}
    free(iwk);
    free(wk);
}}
"""


def _compile(cc, source, tmp, stem):
    lib = tmp / f"lib{stem}.so"
    cmd = [cc, "-O2", "-shared", "-fPIC", str(source), "-o", str(lib), "-lm"]
    subprocess.run(cmd, check=True, capture_output=True)
    return ctypes.CDLL(str(lib))


def _batch_call(fn, data, n_out):
    ptr = ctypes.POINTER(ctypes.c_double)
    fn.argtypes = [ctypes.c_long, ptr, ptr]
    out = np.empty((data.shape[0], n_out))

    def call():
        fn(data.shape[0], data.ctypes.data_as(ptr), out.ctypes.data_as(ptr))
        return out

    return call


def c_export(n, points, repeat):
    cc = shutil.which("cc")
    if cc is None:
        print("C: no C compiler (cc): skipped")
        return
    xs = symbols(" ".join(f"x{i}" for i in range(n)))
    g = grad(rosenbrock(xs), xs)
    x = np.random.default_rng(2).uniform(-2, 2, size=(points, n))
    ref = hand_grad(x.T).T
    tmp = Path(tempfile.mkdtemp(prefix="symdiff-bench-"))
    export_c({"rosen_grad": g}, xs, tmp / "ours.c")
    ours = _batch_call(_compile(cc, tmp / "ours.c", tmp, "ours").rosen_grad_batch, x, n)
    fns = {"symdiff export_c": ours}
    casadi = optional("casadi")
    if casadi:
        v = casadi.SX.sym("v", n)
        expr = rosenbrock([v[i] for i in range(n)])
        gen = casadi.CodeGenerator("cas_grad.c")
        gen.add(casadi.Function("cas_grad", [v], [casadi.gradient(expr, v)]))
        gen.generate(str(tmp) + "/")
        (tmp / "cas_driver.c").write_text(
            '#include "cas_grad.c"\n' + _DRIVER.format(name="cas_grad", n_in=n)
        )
        lib = _compile(cc, tmp / "cas_driver.c", tmp, "cas")
        fns["casadi generated C"] = _batch_call(lib.casadi_batch, x, n)
    if optional("numba"):
        nb = lambdify(xs, g, backend="numba")
        cols = list(np.ascontiguousarray(x.T))
        nb(*[c[:2] for c in cols])
        nb.packed_batch(x[:2])
        fns["numba (serial loop)"] = lambda: nb(*cols)
        nb_out = np.empty((points, n))
        fns["numba packed_batch"] = lambda: nb.packed_batch(x, out=nb_out)
    for name, fn in fns.items():
        out = fn()
        check(name, np.asarray(out).T if "loop" in name else out, ref)
    times = dict(zip(fns, best(list(fns.values()), repeat), strict=True))
    print(f"C, n={n}, {points:,} points (cc -O2):")
    for name, t in times.items():
        rate = points / t / 1e6
        print(f"    {name:<24} {t * 1e3:9.2f} ms  {rate:8.2f} M points/s")
    t = times["symdiff export_c"]
    if "casadi generated C" in times:
        r = t / times["casadi generated C"]
        print(f"    => export_c takes {r:.2f}x CasADi's time (target <= 1.2)")
    for form in ("numba (serial loop)", "numba packed_batch"):
        if form in times:
            r = times[form] / t
            print(f"    => export_c {r:.2f}x the throughput of {form}")


def gpu(n, points, repeat):
    """The array-API function on CuPy and torch (CUDA) vs jax.jit on the same GPU."""
    xs = symbols(" ".join(f"x{i}" for i in range(n)))
    g = grad(rosenbrock(xs), xs)
    fn = lambdify(xs, g, backend="array_api")
    fns = {}
    torch = optional("torch")
    if torch is not None and torch.cuda.is_available():
        gen = torch.Generator(device="cuda").manual_seed(0)
        rows = [
            torch.rand(points, device="cuda", dtype=torch.float64, generator=gen)
            for _ in range(n)
        ]

        def run_torch():
            out = fn(*rows)
            torch.cuda.synchronize()
            return out

        fns["torch (array API)"] = run_torch
    cupy = optional("cupy")
    if cupy is not None:
        crows = [cupy.random.default_rng(k).random(points) for k in range(n)]

        def run_cupy():
            out = fn(*crows)
            cupy.cuda.Device().synchronize()
            return out

        fns["cupy (array API)"] = run_cupy
    jax = optional("jax")
    if jax is not None and any(d.platform == "gpu" for d in jax.devices()):
        jax.config.update("jax_enable_x64", True)
        jg = jax.jit(jax.vmap(jax.grad(lambda v: rosenbrock(list(v)))))
        xj = jax.random.uniform(jax.random.PRNGKey(0), (points, n), dtype="float64")
        fns["jax.jit(vmap(grad))"] = lambda: jg(xj).block_until_ready()
    if not fns:
        print("GPU: no CUDA device with torch, CuPy or JAX: skipped")
        return
    for f in fns.values():
        f()  # compile / warm up
    times = dict(zip(fns, best(list(fns.values()), repeat), strict=True))
    print(f"GPU, n={n}, {points:,} points:")
    for name, t in times.items():
        print(f"    {name:<24} {t * 1e3:9.2f} ms")
    if "jax.jit(vmap(grad))" in times:
        for name, t in times.items():
            if name != "jax.jit(vmap(grad))":
                r = times["jax.jit(vmap(grad))"] / t
                print(f"    => {name} {r:.2f}x jax.jit on the same GPU")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    parser.add_argument(
        "--gpu", action="store_true", help="only the GPU part (10**8 points)"
    )
    opts = parser.parse_args(argv)
    quick = opts.quick
    if opts.gpu:
        gpu(10, 10**6 if quick else 10**8, 2 if quick else 5)
        return 0
    scale = 100 if quick else 1
    print("Rosenbrock gradient: numba vs our numpy code vs jax.jit (CPU)")
    batches(10, 1_000_000 // scale, 2 if quick else 5)
    batches(
        100 // (10 if quick else 1), 10_000 // (10 if quick else 1), 2 if quick else 10
    )
    one_point(100 // (10 if quick else 1), 100 if quick else 20_000)
    c_export(
        100 // (10 if quick else 1), 10_000 // (10 if quick else 1), 2 if quick else 10
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
