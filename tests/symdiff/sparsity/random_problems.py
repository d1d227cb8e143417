"""Small random sparse problems for the property tests, in both formulations.

Each problem is a scalar objective (or a list of residuals) built from a few random
terms, each coupling a few variables, so its Hessian and Jacobian are sparse with a
pattern the test cannot know in advance.
"""

import numpy as np
from hypothesis import strategies as st

import symdiff as sd

# (kind, number of variables it couples)
SCALAR_TERMS = [
    ("square_diff", 2),  # (x_i - x_j**2)**2
    ("sin_lin", 2),  # sin(2 x_i - x_j)
    ("exp_times", 2),  # exp(x_i) * x_j
    ("ratio", 2),  # x_i / (1 + x_j**2)
    ("triple", 3),  # x_i * x_j * x_k
    ("linear", 1),  # 3 x_i: no Hessian
    ("cube", 1),  # x_i**3
]


def scalar_term(kind, v):
    if kind == "square_diff":
        return (v[0] - v[1] ** 2) ** 2
    if kind == "sin_lin":
        return sd.sin(2 * v[0] - v[1])
    if kind == "exp_times":
        return sd.exp(v[0]) * v[1]
    if kind == "ratio":
        return v[0] / (1 + v[1] ** 2)
    if kind == "triple":
        return v[0] * v[1] * v[2]
    if kind == "linear":
        return 3 * v[0]
    return v[0] ** 3


@st.composite
def scalar_problem(draw):
    """``(symbols, terms)``: n scalar Symbols and a list of scalar term Exprs."""
    n = draw(st.integers(2, 7))
    xs = list(sd.symbols(" ".join(f"x{i}" for i in range(n))))
    terms = []
    for _ in range(draw(st.integers(1, 5))):
        kind, k = draw(st.sampled_from(SCALAR_TERMS))
        idx = draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k))
        terms.append(scalar_term(kind, [xs[i] for i in idx]))
    return xs, terms


SHAPED_FNS = ["square", "sin", "exp", "identity", "cube"]


def _apply(fn, e):
    if fn == "square":
        return e**2
    if fn == "sin":
        return sd.sin(e)
    if fn == "exp":
        return sd.exp(e)
    if fn == "cube":
        return e**3
    return e


@st.composite
def shaped_piece(draw, x, n):
    """A vector Expr built from slices of x with elementwise ops (its length varies)."""
    kind = draw(st.sampled_from(["slices", "matmul", "reshape", "take", "concat"]))
    fn = draw(st.sampled_from(SHAPED_FNS))
    if kind == "slices":
        length = draw(st.integers(1, n))
        a = draw(st.integers(0, n - length))
        b = draw(st.integers(0, n - length))
        op = draw(st.sampled_from(["mul", "sub", "add"]))
        left, right = x[a : a + length], _apply(fn, x[b : b + length])
        return (
            left * right
            if op == "mul"
            else left - right
            if op == "sub"
            else left + right
        )
    if kind == "matmul":
        seed = draw(st.integers(0, 2**16))
        rng = np.random.default_rng(seed)
        m = draw(st.integers(1, n))
        a = rng.standard_normal((m, n)) * (rng.random((m, n)) < 0.4)
        return _apply(fn, sd.const(a) @ x)
    if kind == "reshape" and n % 2 == 0:
        mat = x.reshape((2, n // 2))
        return _apply(fn, (mat * mat.sum(axis=0)).T).reshape((n,))
    if kind == "take":
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        return _apply(fn, x[i] * x[j]) * x[:1]
    k = draw(st.integers(1, n - 1)) if n > 1 else 1
    return (
        sd.concatenate([_apply(fn, x[:k]), x[k:] * x[:1]]) if n > 1 else _apply(fn, x)
    )


@st.composite
def shaped_problem(draw):
    """``(x, pieces)``: a vector Symbol and a list of vector Exprs of it."""
    n = draw(st.integers(2, 6))
    x = sd.Symbol("x", shape=(n,))
    pieces = [draw(shaped_piece(x, n)) for _ in range(draw(st.integers(1, 3)))]
    return x, pieces


def dense_hessian_values(f, xs, point):
    """The dense Hessian (symdiff's ``hessian``, reverse over reverse) as an array."""
    if isinstance(xs, sd.Symbol):
        return np.asarray(sd.evaluate(sd.hessian(f, xs), {xs: point}), dtype=float)
    h = sd.hessian(f, xs)
    env = dict(zip(xs, point, strict=True))
    return np.array([[float(sd.evaluate(e, env)) for e in row] for row in h])


def dense_jacobian_values(outputs, xs, point):
    if isinstance(xs, sd.Symbol):
        out = outputs[0]
        for o in outputs[1:]:
            out = sd.concatenate([out, o])
        return np.asarray(sd.evaluate(sd.jacobian(out, xs), {xs: point}), dtype=float)
    env = dict(zip(xs, point, strict=True))
    rows = sd.jacobian(outputs, xs)
    return np.array([[float(sd.evaluate(e, env)) for e in row] for row in rows])
