"""The gradient of the n-dimensional Rosenbrock function: symdiff.lambdify vs peers.

In one process, for (n = 100, 10,000 points) and (n = 10, 1,000,000 points): the time to
evaluate ``symdiff.lambdify(xs, grad(f, xs))`` next to ``sympy.lambdify(..., cse=True)``
on SymPy's gradient of the same function and a hand-written numpy gradient, printed as
ratios (best of several interleaved runs; a ratio below 1 means symdiff is faster).
"Hand-written" is both a version vectorized over the (n, points) block and one working
row by row like the generated code; the faster one is the reference.  Then the time to
generate the function: symdiff's lambdify for n = 10 ... 1000 (target: under 0.5 s at
n = 1000) next to SymPy's cse lambdify where it is practical.  Every evaluation is also
checked against the hand-written gradient.

Run:  python benchmarks/lambdify_eval.py
"""

import time

import numpy as np
import sympy

from symdiff import Symbol, grad, lambdify


def rosenbrock(xs):
    n = len(xs)
    return sum(
        100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)
    )


def numpy_grad(x):
    """The gradient written by hand, vectorized over the coordinates (x: (n, N))."""
    g = np.zeros_like(x)
    d = x[1:] - x[:-1] ** 2
    g[:-1] = -400 * x[:-1] * d - 2 * (1 - x[:-1])
    g[1:] += 200 * d
    return g


def numpy_grad_rows(rows):
    """The gradient written by hand, one array per coordinate (as symdiff computes)."""
    n = len(rows)
    d = [rows[i + 1] - rows[i] ** 2 for i in range(n - 1)]
    out = []
    for i in range(n):
        g = -400 * rows[i] * d[i] - 2 * (1 - rows[i]) if i < n - 1 else 0
        out.append(g + 200 * d[i - 1] if i > 0 else g)
    return out


def best_of(fn, repeat):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def interleaved(fns, repeat):
    """Best time of each function, running them in turn (fair on a busy machine)."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return best


def symdiff_build(n):
    xs = [Symbol(f"x{i}") for i in range(n)]
    return xs, grad(rosenbrock(xs), xs)


def sympy_build(n):
    xs = sympy.symbols(f"x0:{n}")
    f = rosenbrock(xs)
    return xs, [sympy.diff(f, v) for v in xs]


def evaluation(n, points, repeat):
    rng = np.random.default_rng(0)
    x = rng.uniform(-2.0, 2.0, size=(n, points))
    rows = list(x)
    xs, g = symdiff_build(n)
    ours = lambdify(xs, g)
    sxs, sg = sympy_build(n)
    theirs = sympy.lambdify(sxs, sg, modules="numpy", cse=True)
    ref = numpy_grad(x)
    fns = {
        "symdiff": lambda: ours(*rows),
        "sympy cse": lambda: theirs(*rows),
        "hand numpy (block)": lambda: numpy_grad(x),
        "hand numpy (rows)": lambda: numpy_grad_rows(rows),
    }
    for name, fn in fns.items():
        err = np.max(np.abs(np.array(fn()) - ref) / (1 + np.abs(ref)))
        assert err < 1e-12, f"{name} differs from the hand-written gradient: {err}"
    times = dict(zip(fns, interleaved(list(fns.values()), repeat), strict=True))
    t = times["symdiff"]
    hand = min(times["hand numpy (block)"], times["hand numpy (rows)"])
    print(f"n={n}, {points:,} points: symdiff {t * 1e3:.2f} ms")
    for name, other in times.items():
        if name != "symdiff":
            print(
                f"    {name:<20} {other * 1e3:8.2f} ms   symdiff/this = {t / other:.2f}"
            )
    print(
        f"    => {t / times['sympy cse']:.2f}x sympy's cse lambdify (target <= 1), "
        f"{t / hand:.2f}x the faster hand-written numpy (target <= 1.5)"
    )


def generation(n, with_sympy):
    t_build, (xs, g) = best_of(lambda: symdiff_build(n), 1)
    t_ours, _ = best_of(lambda: lambdify(xs, g), 3)
    line = (
        f"n={n:>5}: symdiff lambdify {t_ours:7.3f} s (building f and its gradient "
        f"before: {t_build:.3f} s)"
    )
    if with_sympy:
        sxs, sg = sympy_build(n)
        t_sympy, _ = best_of(
            lambda: sympy.lambdify(sxs, sg, modules="numpy", cse=True), 1
        )
        line += f" | sympy cse lambdify {t_sympy:7.3f} s ({t_ours / t_sympy:.3f}x)"
    print(line)


def main():
    print("evaluation of the Rosenbrock gradient (ratio = symdiff / other)")
    evaluation(100, 10_000, repeat=20)
    evaluation(10, 1_000_000, repeat=5)
    print("generation: lambdify(xs, grad(f, xs)) (target: n=1000 under 0.5 s)")
    for n in (10, 100, 1000):
        generation(n, with_sympy=n <= 100)


if __name__ == "__main__":
    main()
