"""Build the n-dimensional Rosenbrock function and its full gradient.

Prints seconds and DAG sizes (count_nodes) for symdiff at n = 10 ... 10000, and SymPy's
time for the same job (up to n = 300) in the same process, as a ratio; SymEngine's too
(up to n = 1000: it differentiates variable by variable, so its time grows as n²)
when it is installed (the ``bench`` extra); then the size of the derivative of nested
sin per level.  Run:  python benchmarks/grad_build.py
"""

import sys
import time

import sympy

from symdiff import Symbol, count_nodes, diff, grad, sin
from symdiff.core.expr import collect_garbage


def rosenbrock(xs):
    n = len(xs)
    return sum(
        100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)
    )


def best_of(fn, repeat):
    """Best time of ``fn(tag)`` over ``repeat`` runs, each with fresh symbol names.

    Fresh names matter: symdiff interns nodes, so a rerun with the same symbols would
    find the whole result already built.
    """
    best = float("inf")
    for rep in range(repeat):
        out = None
        collect_garbage()
        t = time.perf_counter()
        out = fn(f"r{rep}_")
        best = min(best, time.perf_counter() - t)
    return best, out


def symdiff_job(n, tag=""):
    xs = [Symbol(f"x{tag}{i}") for i in range(n)]
    f = rosenbrock(xs)
    g = grad(f, xs)
    return f, g


def sympy_job(n, tag=""):
    xs = sympy.symbols(f"x{tag}0:{n}")
    f = rosenbrock(xs)
    return f, [sympy.diff(f, v) for v in xs]


def symengine_job(n, tag=""):
    import symengine

    xs = symengine.symbols(f"x{tag}0:{n}")
    f = rosenbrock(xs)
    return f, [f.diff(v) for v in xs]


def _has_symengine():
    try:
        import symengine  # noqa: F401
    except ImportError:
        return False
    return True


def main(sizes=(10, 100, 300, 1000, 10000), sympy_max=300, symengine_max=1000):
    print(
        f"{'n':>6} {'symdiff s':>10} {'f nodes':>8} {'f+grad nodes':>13} "
        f"{'per n':>6} {'sympy s':>9} {'sympy/symdiff':>14}"
        + (
            f" {'symengine s':>12} {'symengine/symdiff':>18}"
            if _has_symengine()
            else "  (symengine not installed)"
        )
    )
    for n in sizes:
        repeat = 3 if n <= 1000 else 1
        t, (f, g) = best_of(lambda tag, n=n: symdiff_job(n, tag), repeat)
        nodes_f, nodes = count_nodes(f), count_nodes(f, *g)
        line = f"{n:>6} {t:>10.4f} {nodes_f:>8} {nodes:>13} {nodes / n:>6.1f}"
        if n <= sympy_max:
            ts, _ = best_of(lambda tag, n=n: sympy_job(n, tag), 1)
            line += f" {ts:>9.3f} {ts / t:>13.0f}x"
        else:
            line += f" {'-':>9} {'-':>14}"
        if _has_symengine() and n <= symengine_max:
            te, _ = best_of(lambda tag, n=n: symengine_job(n, tag), repeat)
            line += f" {te:>12.4f} {te / t:>17.2f}x"
        print(line)
    x = Symbol("x")
    e = x
    for _ in range(1000):
        e = sin(e)
    t, d = best_of(lambda tag: diff(e, x), 1)
    extra = count_nodes(d, e) - count_nodes(e)
    print(
        f"nested sin, depth 1000: derivative adds {extra} nodes "
        f"({extra / 1000:.1f} per level) in {t:.4f} s"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(tuple(int(a) for a in sys.argv[1:]))
    else:
        main()
