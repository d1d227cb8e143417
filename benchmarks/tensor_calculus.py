"""Matrix calculus at the matrix level: symdiff's tensor derivatives against numpy.

Three jobs, each timed in this process against a hand-written numpy reference:

1. ``hessian(x @ A @ x, x)`` for n = 100 and 1000: build time, then evaluation (the
   reference interpreter ``evaluate`` and compiled ``lambdify``) next to numpy's
   ``A + A.T``.  Target: within 2x of numpy at n = 1000.
2. The gradient of a two-layer tanh MLP's softmax cross-entropy (784 -> 128 -> 10,
   batch 256) with respect to all four parameters: build time, and evaluation next to
   a hand-written numpy forward and backward pass.  Target: within 1.3x.
3. Gradient and Hessian of the logistic-regression negative log-likelihood with X of
   shape (10000, 100), next to the closed forms X^T (s - y) and X^T diag(s (1 - s)) X.

Every symdiff result is checked against its reference before it is timed.  Ratios are
symdiff time / numpy time, each the best of many runs timed in alternation (so both
see the same machine load).  Run:
python benchmarks/tensor_calculus.py
"""

import itertools
import time

import numpy as np

from symdiff import (
    Symbol,
    count_nodes,
    evaluate,
    exp,
    grad,
    hessian,
    lambdify,
    log,
    softplus,
    sum,
    tanh,
)

_tags = itertools.count()


def best_of(fn, repeat=7, number=1):
    """Best seconds per call of ``fn()`` over ``repeat`` rounds of ``number`` calls."""
    return interleaved([fn], repeat, number)[0]


def interleaved(fns, repeat=15, number=1):
    """Best seconds per call of each of ``fns``, timed in alternation.

    Alternating the contenders round by round exposes them to the same machine load,
    so their ratio is fair even on a busy machine.
    """
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            for _ in range(number):
                fn()
            best[i] = min(best[i], (time.perf_counter() - t) / number)
    return best


def fresh(name, shape):
    """A symbol with a new name: interning would otherwise return the last build."""
    return Symbol(f"{name}{next(_tags)}", shape=shape)


def row(label, seconds, ref=None):
    ratio = f"{seconds / ref:7.2f}x numpy" if ref else ""
    print(f"  {label:<38s}{seconds * 1e3:10.3f} ms  {ratio}")


def job_quadratic_form(rng):
    print("1. hessian(x @ A @ x, x) vs numpy A + A.T")
    for n in (100, 1000):
        Av = rng.normal(size=(n, n))

        def build(n=n):
            x, A = fresh("x", (n,)), fresh("A", (n, n))
            return A, hessian(x @ A @ x, x)

        t_build = best_of(build, repeat=5)
        A, Hs = build()
        f = lambdify([A], Hs)
        expect = Av + Av.T
        assert np.array_equal(evaluate(Hs, {A: Av}), expect)
        assert np.array_equal(f(Av), expect)
        number = 200 if n == 100 else 20
        t_np, t_ev, t_fn = interleaved(
            [
                lambda Av=Av: Av + Av.T,
                lambda A=A, Hs=Hs, Av=Av: evaluate(Hs, {A: Av}),
                lambda f=f, Av=Av: f(Av),
            ],
            number=number,
        )
        print(f" n = {n}: Hessian = {Hs}  ({count_nodes(Hs)} nodes)")
        row("build (symbolic Hessian)", t_build)
        row("numpy A + A.T", t_np)
        row("symdiff evaluate", t_ev, t_np)
        row("symdiff lambdify", t_fn, t_np)


def job_mlp(rng):
    B, D, Hn, C = 256, 784, 128, 10
    print(f"2. MLP loss gradient ({D} -> {Hn} -> {C}, tanh, softmax CE, batch {B})")
    vals = [
        rng.normal(size=(B, D)),
        np.eye(C)[rng.integers(0, C, size=B)],
        rng.normal(size=(D, Hn)) / np.sqrt(D),
        np.zeros(Hn),
        rng.normal(size=(Hn, C)) / np.sqrt(Hn),
        np.zeros(C),
    ]

    def build():
        X, Y = fresh("X", (B, D)), fresh("Y", (B, C))
        W1, b1 = fresh("W1_", (D, Hn)), fresh("b1_", (Hn,))
        W2, b2 = fresh("W2_", (Hn, C)), fresh("b2_", (C,))
        Z = tanh(X @ W1 + b1) @ W2 + b2
        loss = sum(log(sum(exp(Z), axis=1)) - sum(Y * Z, axis=1)) / B
        return [X, Y, W1, b1, W2, b2], grad(loss, [W1, b1, W2, b2])

    def numpy_backward(X, Y, W1, b1, W2, b2):
        H = np.tanh(X @ W1 + b1)
        E = np.exp(H @ W2 + b2)
        dZ = (E / E.sum(axis=1, keepdims=True) - Y) / B
        dH = (dZ @ W2.T) * (1 - H * H)
        return X.T @ dH, dH.sum(axis=0), H.T @ dZ, dZ.sum(axis=0)

    t_build = best_of(build, repeat=5)
    syms, gs = build()
    t0 = time.perf_counter()
    f = lambdify(syms, list(gs))
    t_compile = time.perf_counter() - t0
    env = dict(zip(syms, vals, strict=True))
    for ours, ref in zip(f(*vals), numpy_backward(*vals), strict=True):
        np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)
    for ours, ref in zip(evaluate(list(gs), env), numpy_backward(*vals), strict=True):
        np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)
    t_np, t_ev, t_fn = interleaved(
        [
            lambda: numpy_backward(*vals),
            lambda: evaluate(list(gs), env),
            lambda: f(*vals),
        ],
        repeat=40,
        number=5,
    )
    print(f"  gradient DAG: {count_nodes(*gs)} nodes")
    row("build (grad of 4 parameters)", t_build)
    row("lambdify (compile once)", t_compile)
    row("numpy forward + backward by hand", t_np)
    row("symdiff evaluate", t_ev, t_np)
    row("symdiff lambdify", t_fn, t_np)


def job_logistic(rng):
    m, n = 10000, 100
    print(f"3. logistic regression NLL, X of shape ({m}, {n})")
    Xv = rng.normal(size=(m, n))
    yv = (rng.random(m) < 0.5).astype(float)
    wv = rng.normal(size=n) / np.sqrt(n)

    def build():
        X, y, w = fresh("X", (m, n)), fresh("y", (m,)), fresh("w", (n,))
        z = X @ w
        nll = sum(softplus(z) - y * z)
        return [X, y, w], grad(nll, w), hessian(nll, w)

    def closed_grad(X, y, w):
        s = 1 / (1 + np.exp(-(X @ w)))
        return X.T @ (s - y)

    def closed_hess(X, y, w):
        s = 1 / (1 + np.exp(-(X @ w)))
        return X.T @ (X * (s * (1 - s))[:, None])

    t_build = best_of(build, repeat=5)
    syms, g, Hs = build()
    fg, fh = lambdify(syms, g), lambdify(syms, Hs)
    vals = [Xv, yv, wv]
    env = dict(zip(syms, vals, strict=True))
    np.testing.assert_allclose(fg(*vals), closed_grad(*vals), rtol=1e-10)
    np.testing.assert_allclose(fh(*vals), closed_hess(*vals), rtol=1e-10)
    np.testing.assert_allclose(evaluate(Hs, env), closed_hess(*vals), rtol=1e-10)
    print(f"  gradient = {g}")
    print(f"  Hessian DAG: {count_nodes(Hs)} nodes")
    row("build (gradient and Hessian)", t_build)
    tg_np, tg_ev, tg_fn = interleaved(
        [lambda: closed_grad(*vals), lambda: evaluate(g, env), lambda: fg(*vals)],
        number=5,
    )
    row("numpy X.T @ (s - y)", tg_np)
    row("symdiff gradient, evaluate", tg_ev, tg_np)
    row("symdiff gradient, lambdify", tg_fn, tg_np)
    th_np, th_ev, th_fn = interleaved(
        [lambda: closed_hess(*vals), lambda: evaluate(Hs, env), lambda: fh(*vals)],
        repeat=10,
        number=2,
    )
    row("numpy X.T @ diag(s(1-s)) @ X", th_np)
    row("symdiff Hessian, evaluate", th_ev, th_np)
    row("symdiff Hessian, lambdify", th_fn, th_np)


def main():
    rng = np.random.default_rng(20241122)
    job_quadratic_form(rng)
    job_mlp(rng)
    job_logistic(rng)


if __name__ == "__main__":
    main()
