"""How small ``symdiff.simplify`` makes derivatives, next to ``sympy.simplify``.

For each corpus of derivatives (d2l's calculus examples, the test functions peers use,
random expressions drawn with a seeded generator), in one process: the share of cases
where our simplified derivative has no more operations than SymPy's
(``sympy.count_ops`` of ``to_sympy``, both measured the same way), and both total
times, as a ratio.  Targets (issue 13): at least 80% at most SymPy's size, at least
50x less time.

Run:  python benchmarks/simplify_quality.py [number of random expressions, default 280]
"""

import sys
import time

import numpy as np
import sympy

from symdiff import (
    Symbol,
    cos,
    diff,
    exp,
    log,
    sigmoid,
    simplify,
    sin,
    sqrt,
    tanh,
    to_sympy,
)

x, y = Symbol("x"), Symbol("y")

D2L = [  # the functions of d2l's calculus and autograd sections, and their derivatives
    3 * x**2 - 4 * x,
    x**3 - 1 / x,
    2 * x * x,
    sin(x),
    exp(x) * sin(x),
    x**2 * sin(x),
    log(x) / x,
    sigmoid(x),
    tanh(x),
    exp(-(x**2) / 2) / sqrt(2 * np.pi),
    x**x,
    sqrt(x**2 + 1),
    log(1 + exp(x)),
    (x + 1) ** 2 - x**2,
    sin(x) ** 2 + cos(x) ** 2 + x,
    x * exp(-x),
    1 / (1 + x**2),
    log(x**2 + 1) * x,
    exp(sin(x)) * cos(x),
    (x**2 - 1) / (x - 1),
]

PEERS = [  # test functions of numdifftools, scipy.differentiate and SymPy's own tests
    exp(x) / sqrt(cos(x) ** 3 + sin(x) ** 3),
    x**3 * exp(-x),
    sin(x) / x,
    log(x) * x**2,
    1 / (1 + exp(-x)),
    tanh(x) ** 2,
    sqrt(1 - x**2),
    exp(2 * x) * cos(3 * x),
    (x**3 + 2 * x) / (x**2 + 1),
    x * log(x) - x,
    cos(x) ** 3,
    exp(-x) * x**4,
]

_UNARY = [sin, cos, exp, log, sqrt, tanh]


def random_expressions(count, seed=0):
    """``count`` random expressions over x and y, a few ops deep, built iteratively."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        pool = [x, y, x, x + 1, 2 * x]
        for _ in range(int(rng.integers(2, 5))):
            kind = rng.integers(3)
            a = pool[int(rng.integers(len(pool)))]
            b = pool[int(rng.integers(len(pool)))]
            if kind == 0:
                f = _UNARY[int(rng.integers(len(_UNARY)))]
                a = a**2 + 1 if f in (log, sqrt) else a
                pool.append(f(a))
            elif kind == 1:
                pool.append([a + b, a - b, a * b][int(rng.integers(3))])
            else:
                pool.append(
                    a ** int(rng.integers(2, 4))
                    if rng.random() < 0.5
                    else a / (b**2 + 1)
                )
        if x in pool[-1].free_symbols:
            out.append(pool[-1])
    return out


def measure(name, functions):
    derivatives = [diff(f, x) for f in functions]
    t0 = time.perf_counter()
    ours = [simplify(d) for d in derivatives]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = [sympy.simplify(to_sympy(d)) for d in derivatives]
    t_sympy = time.perf_counter() - t0
    at_most = sum(
        sympy.count_ops(to_sympy(o)) <= sympy.count_ops(t)
        for o, t in zip(ours, theirs, strict=True)
    )
    share = at_most / len(derivatives)
    print(
        f"{name:<10} {len(derivatives):>5}   {share:>6.1%}   {t_ours:>9.3f} s"
        f"   {t_sympy:>9.3f} s   {t_sympy / t_ours:>8.0f}x"
    )
    return at_most, len(derivatives), t_ours, t_sympy


def main():
    n_random = int(sys.argv[1]) if len(sys.argv) > 1 else 280
    print(
        "corpus     cases   <= sympy size   symdiff        sympy         sympy/symdiff"
    )
    rows = [
        measure("d2l", D2L),
        measure("peers", PEERS),
        measure("random", random_expressions(n_random)),
    ]
    at_most = sum(r[0] for r in rows)
    total = sum(r[1] for r in rows)
    t_ours = sum(r[2] for r in rows)
    t_sympy = sum(r[3] for r in rows)
    print(
        f"{'all':<10} {total:>5}   {at_most / total:>6.1%}   {t_ours:>9.3f} s"
        f"   {t_sympy:>9.3f} s   {t_sympy / t_ours:>8.0f}x"
        "   (targets: >= 80%, >= 50x)"
    )


if __name__ == "__main__":
    main()
