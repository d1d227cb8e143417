"""Every tensor op, table-driven: value vs numpy, derivatives vs finite differences.

Each case draws random shapes (and axes, keepdims, indices...) with hypothesis and
random values from a seeded generator, then checks, for the one expression built:

* the reference interpreter against a numpy formula written independently here;
* reverse mode (vjp), forward mode (jvp) and the one-pass Jacobian (identity seed with
  leading dimensions) against central finite differences along a random direction;
* the Hessian-vector product and the Hessian of a scalar projection against finite
  differences of the gradient (second order exercises the rules of derivative ops);
* batch evaluation (values with extra leading dimensions) against a loop;
* printing and parsing back, LaTeX, and compiled code (lambdify, batched too).
"""

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ml_helpers import ML_OPS_COVERED

from symdiff import (
    Symbol,
    concatenate,
    cumsum,
    det,
    diag,
    diagonal,
    dot,
    evaluate,
    grad,
    hessian,
    hvp,
    inv,
    jacobian,
    jvp,
    latex,
    logdet,
    matmul,
    max,
    mean,
    min,
    norm,
    outer,
    parse,
    prod,
    reshape,
    sin,
    solve,
    stack,
    sum,
    trace,
    transpose,
    vjp,
)
from symdiff.core.expr import apply
from symdiff.ops import OPS

try:
    from symdiff import lambdify
except ImportError:  # pragma: no cover - codegen is another issue's module
    lambdify = None

H = 1e-6
_counter = iter(range(10**9))


@dataclass
class Built:
    y: object  # the expression
    syms: list  # its symbols
    ref: object  # numpy reference: list of arrays -> array
    kinds: list  # how to draw each symbol's values (see _values)


def _sym(shape):
    # fresh names: interning would otherwise share nodes between examples harmlessly,
    # but distinct names keep failures readable
    return Symbol(f"s{next(_counter)}", shape=tuple(shape))


def _values(rng, kind, shape):
    size = int(np.prod(shape, dtype=int))
    if kind == "normal":
        return rng.normal(size=shape)
    if kind == "distinct":  # gaps of at least 0.08: finite differences see no ties
        grid = rng.permutation(size) * 0.1 - 0.05 * size
        return (grid + rng.uniform(0, 0.02, size)).reshape(shape)
    if kind == "nonzero":  # |v| in [0.5, 1.5], distinct magnitudes, random signs
        mag = 0.5 + rng.permutation(size) / (size + 1) + rng.uniform(0, 0.01, size)
        return (mag * rng.choice([-1.0, 1.0], size)).reshape(shape)
    if kind == "positive":
        return rng.uniform(0.5, 2.0, size=shape)
    if kind == "wellcond":  # square matrices near the identity
        n = shape[-1]
        return np.eye(n) + 0.3 * rng.normal(size=shape) / np.sqrt(n)
    raise AssertionError(kind)


dim = st.integers(1, 3)


def shapes(min_dims=0, max_dims=3):
    return st.lists(dim, min_size=min_dims, max_size=max_dims).map(tuple)


def _axis_arg(data, ndim):
    """None, an int, or a tuple of distinct axes (negative ones too)."""
    if ndim == 0:
        return None
    kind = data.draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return data.draw(st.integers(-ndim, ndim - 1))
    axes = data.draw(st.lists(st.integers(0, ndim - 1), min_size=1, unique=True))
    return tuple(a - ndim if data.draw(st.booleans()) else a for a in axes)


# -- the cases -------------------------------------------------------------------------


def case_transpose(data):
    s = data.draw(shapes(1))
    perm = tuple(data.draw(st.permutations(range(len(s)))))
    X = _sym(s)
    return Built(transpose(X, perm), [X], lambda x: np.transpose(x, perm), ["normal"])


def case_matrix_T(data):
    X = _sym(data.draw(shapes(2, 2)))
    return Built(X.T * 2, [X], lambda x: x.T * 2, ["normal"])


def _index_key(data, shape):
    key = []
    for n in shape:
        if data.draw(st.booleans()):
            key.append(data.draw(st.integers(-n, n - 1)))
        else:
            sl = data.draw(
                st.builds(
                    slice,
                    st.none() | st.integers(-n - 1, n + 1),
                    st.none() | st.integers(-n - 1, n + 1),
                    st.sampled_from([None, 1, 2, -1, -2]),
                ).filter(lambda s, n=n: len(range(n)[s]) > 0)
            )
            key.append(sl)
    extras = data.draw(st.sampled_from(["", "none", "ellipsis", "short"]))
    if extras == "none":
        key.insert(data.draw(st.integers(0, len(key))), None)
    elif extras == "ellipsis" and key:
        key[data.draw(st.integers(0, len(key) - 1))] = Ellipsis
    elif extras == "short" and key:
        key = key[: data.draw(st.integers(0, len(key) - 1))]
    return tuple(key)


def case_getitem(data):
    s = data.draw(shapes(1))
    key = _index_key(data, s)
    X = _sym(s)
    return Built(X[key], [X], lambda x: x[key], ["normal"])


def case_concatenate(data):
    s = data.draw(shapes(1))
    axis = data.draw(st.integers(-len(s), len(s) - 1))
    parts = []
    for _ in range(data.draw(st.integers(2, 3))):
        t = list(s)
        t[axis] = data.draw(dim)
        parts.append(_sym(t))
    return Built(
        concatenate(parts, axis=axis),
        parts,
        lambda *vs: np.concatenate(vs, axis=axis),
        ["normal"] * len(parts),
    )


def case_stack(data):
    s = data.draw(shapes(0, 2))
    axis = data.draw(st.integers(-len(s) - 1, len(s)))
    parts = [_sym(s) for _ in range(data.draw(st.integers(1, 3)))]
    return Built(
        stack(parts, axis=axis),
        parts,
        lambda *vs: np.stack(vs, axis=axis),
        ["normal"] * len(parts),
    )


def case_reshape(data):
    s = data.draw(shapes(0))
    size = int(np.prod(s, dtype=int))
    new = data.draw(st.sampled_from([(size,), (1, size), (size, 1), (-1,)]))
    X = _sym(s)
    return Built(reshape(X, new), [X], lambda x: np.reshape(x, new), ["normal"])


def case_broadcast_mul(data):
    """Elementwise ops whose operands broadcast (shapes (m, 1) and (n,), ...)."""
    m, n = data.draw(dim), data.draw(dim)
    sa = data.draw(st.sampled_from([(m, 1), (m, n), (1, n), ()]))
    sb = data.draw(st.sampled_from([(n,), (1, n), (m, 1), ()]))
    a, b = _sym(sa), _sym(sb)
    y = a * b + sin(a) / (1 + b**2)
    return Built(
        y, [a, b], lambda u, v: u * v + np.sin(u) / (1 + v**2), ["normal", "normal"]
    )


def case_keepdims_division(data):
    """d2l: A / A.sum(axis=1, keepdims=True)."""
    s = data.draw(shapes(1))
    axis = data.draw(st.integers(-len(s), len(s) - 1))
    A = _sym(s)
    return Built(
        A / A.sum(axis=axis, keepdims=True),
        [A],
        lambda a: a / a.sum(axis=axis, keepdims=True),
        ["positive"],
    )


def _reduction_case(fn, ref, kind):
    def case(data):
        s = data.draw(shapes(0))
        axis = _axis_arg(data, len(s))
        keep = data.draw(st.booleans())
        X = _sym(s)
        return Built(
            fn(X, axis=axis, keepdims=keep),
            [X],
            lambda x: np.asarray(ref(x, axis=axis, keepdims=keep)),
            [kind],
        )

    return case


def case_norm(data):
    s = data.draw(shapes(1))
    ord_ = data.draw(st.sampled_from([None, 1, 2, 3, 1.5, float("inf")]))
    if ord_ is None:
        axis = _axis_arg(data, len(s))
    else:  # vector norms along one axis
        axis = data.draw(st.integers(-len(s), len(s) - 1))
    keep = data.draw(st.booleans())
    X = _sym(s)

    def ref(x):
        axes = tuple(range(x.ndim)) if axis is None else axis
        p = 2 if ord_ is None else ord_
        if p == float("inf"):
            return np.max(np.abs(x), axis=axes, keepdims=keep)
        return np.sum(np.abs(x) ** p, axis=axes, keepdims=keep) ** (1 / p)

    return Built(norm(X, ord=ord_, axis=axis, keepdims=keep), [X], ref, ["nonzero"])


def case_cumsum(data):
    s = data.draw(shapes(1))
    axis = data.draw(st.none() | st.integers(-len(s), len(s) - 1))
    reverse = data.draw(st.booleans()) and axis is not None
    X = _sym(s)
    if reverse:
        y = apply("cumsum", X, axis=axis, reverse=True)

        def ref(x):
            return np.flip(np.cumsum(np.flip(x, axis), axis=axis), axis)

    else:
        y = cumsum(X, axis=axis)

        def ref(x):
            return np.cumsum(x, axis=axis)

    return Built(y, [X], ref, ["normal"])


_MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3, 4)),
    ((2, 2, 3), (3, 1)),
    ((3,), (2, 3, 2)),
    ((2, 1, 3), (3,)),
    ((2, 1, 2, 3), (3, 3, 2)),
    ((1, 3), (2, 3, 1)),
]


def case_matmul(data):
    sa, sb = data.draw(st.sampled_from(_MATMUL_SHAPES))
    a, b = _sym(sa), _sym(sb)
    return Built(a @ b, [a, b], np.matmul, ["normal", "normal"])


def case_dot_outer(data):
    n, m = data.draw(dim), data.draw(dim)
    a, b, c = _sym((n,)), _sym((n,)), _sym((m,))
    y = dot(a, b) * outer(a, c) + 2 * matmul(a, b)
    return Built(
        y,
        [a, b, c],
        lambda u, v, w: np.dot(u, v) * np.outer(u, w) + 2 * (u @ v),
        ["normal"] * 3,
    )


def case_x_A_x(data):
    n = data.draw(dim)
    x, A = _sym((n,)), _sym((n, n))
    return Built(x @ A @ x, [x, A], lambda u, M: u @ M @ u, ["normal", "normal"])


def case_trace_diag(data):
    stack_ = data.draw(shapes(0, 1))
    n = data.draw(dim)
    A, v = _sym(stack_ + (n, n)), _sym((n,))
    y = trace(A) * sum(diagonal(A) * v) + sum(diag(v) * A)
    return Built(
        y,
        [A, v],
        lambda a, u: (
            np.trace(a, axis1=-2, axis2=-1)
            * np.sum(np.diagonal(a, axis1=-2, axis2=-1) * u)
            + np.sum(np.diag(u) * a)
        ),
        ["normal", "normal"],
    )


def case_linalg(data):
    stack_ = data.draw(shapes(0, 1))
    n = data.draw(dim)
    which = data.draw(st.sampled_from(["inv", "det", "logdet"]))
    A = _sym(stack_ + (n, n))
    fn = {"inv": inv, "det": det, "logdet": logdet}[which]
    ref = {
        "inv": np.linalg.inv,
        "det": np.linalg.det,
        "logdet": lambda a: np.linalg.slogdet(a)[1],
    }[which]
    return Built(fn(A), [A], ref, ["wellcond"])


def case_solve(data):
    n = data.draw(dim)
    sb = data.draw(st.sampled_from([(n,), (n, data.draw(dim))]))
    A, b = _sym((n, n)), _sym(sb)
    return Built(solve(A, b), [A, b], np.linalg.solve, ["wellcond", "normal"])


def case_unslice(data):
    n = data.draw(st.integers(1, 5))
    sl = data.draw(
        st.builds(
            slice,
            st.none() | st.integers(-n, n),
            st.none() | st.integers(-n, n),
            st.sampled_from([None, 1, 2, -1]),
        ).filter(lambda s: len(range(n)[s]) > 0)
    )
    length = len(range(n)[sl])
    lead = data.draw(shapes(0, 1))
    g = _sym(lead + (length,))
    y = apply("unslice", g, axis=-1, start=sl.start, stop=sl.stop, step=sl.step, size=n)

    def ref(v):
        out = np.zeros(lead + (n,))
        out[..., sl] = v
        return out

    return Built(y, [g], ref, ["normal"])


CASES = {
    "transpose": case_transpose,
    "matrix_T": case_matrix_T,
    "getitem": case_getitem,
    "concatenate": case_concatenate,
    "stack": case_stack,
    "reshape": case_reshape,
    "broadcast": case_broadcast_mul,
    "keepdims_division": case_keepdims_division,
    "sum": _reduction_case(sum, np.sum, "normal"),
    "mean": _reduction_case(mean, np.mean, "normal"),
    "prod": _reduction_case(prod, np.prod, "nonzero"),
    "max": _reduction_case(max, np.max, "distinct"),
    "min": _reduction_case(min, np.min, "distinct"),
    "norm": case_norm,
    "cumsum": case_cumsum,
    "matmul": case_matmul,
    "dot_outer": case_dot_outer,
    "x_A_x": case_x_A_x,
    "trace_diag": case_trace_diag,
    "linalg": case_linalg,
    "solve": case_solve,
    "unslice": case_unslice,
}


def test_every_tensor_op_has_a_case():
    """A new tensor op must get a case here (the table walks them all)."""
    covered = {
        "transpose",
        "take",
        "slice",
        "unslice",
        "concatenate",
        "cumsum",
        "prod",
        "max",
        "min",
        "norm",
        "matmul",
        "diag",
        "diagonal",
        "trace",
        "inv",
        "det",
        "logdet",
        "solve",
        "sum",
        "reshape",
        "broadcast_to",
    }
    covered |= ML_OPS_COVERED  # their cases are in test_ml_ops.py and its neighbours
    structural = {n for n, s in OPS.items() if not s.elementwise and s.arity != 0}
    assert structural <= covered, structural - covered


# -- the checks ------------------------------------------------------------------------


def _draw(data, case):
    built = CASES[case](data)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    vals = [
        _values(rng, k, s.shape) for k, s in zip(built.kinds, built.syms, strict=True)
    ]
    return built, rng, vals


def _env(syms, vals):
    return dict(zip(syms, vals, strict=True))


def _fd(y, syms, vals, dirs, only=None):
    """Central difference of y along dirs (for every symbol, or only one)."""
    hi, lo = [], []
    for i, (v, d) in enumerate(zip(vals, dirs, strict=True)):
        step = H * d if only is None or only == i else 0 * d
        hi.append(v + step)
        lo.append(v - step)
    return (evaluate(y, _env(syms, hi)) - evaluate(y, _env(syms, lo))) / (2 * H)


def _close(a, b, tol=2e-5):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    scale = 1 + np.max(np.abs(b), initial=0.0)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol * scale)


CASE_NAMES = sorted(CASES)


@pytest.mark.parametrize("case", CASE_NAMES)
@settings(max_examples=20)
@given(data=st.data())
def test_value_matches_numpy(case, data):
    built, _, vals = _draw(data, case)
    out = evaluate(built.y, _env(built.syms, vals))
    expect = built.ref(*vals)
    assert built.y.shape == np.shape(expect)
    _close(out, expect, 1e-12)


@pytest.mark.parametrize("case", CASE_NAMES)
@settings(max_examples=15)
@given(data=st.data())
def test_first_derivatives_match_finite_differences(case, data):
    built, rng, vals = _draw(data, case)
    y, syms = built.y, built.syms
    dirs = [rng.normal(size=s.shape) for s in syms]
    u = rng.normal(size=y.shape)
    dy = _fd(y, syms, vals, dirs)
    env = _env(syms, vals)
    # forward mode along every symbol at once
    V = [Symbol(f"{s.name}_dir", shape=s.shape) for s in syms]
    env_v = {**env, **_env(V, dirs)}
    _close(evaluate(jvp(y, syms, V), env_v), dy)
    # reverse mode: <u, dy> == sum_s <vjp_s(u), v_s>
    U = Symbol(f"{syms[0].name}_cot", shape=y.shape)
    pulled = vjp(y, syms, U)
    got = np.sum(
        [
            np.sum(evaluate(p, {**env, U: u}) * d)
            for p, d in zip(pulled, dirs, strict=True)
        ]
    )
    _close(got, np.sum(u * dy))
    # the one-pass Jacobian (identity seed, leading dims) contracted with v
    for i, s in enumerate(syms):
        J = jacobian(y, s) if y.shape else grad(y, s)
        assert J.shape == y.shape + s.shape
        Jv = np.tensordot(evaluate(J, env), dirs[i], axes=s.ndim)
        _close(Jv, _fd(y, syms, vals, dirs, only=i))


@pytest.mark.parametrize("case", CASE_NAMES)
@settings(max_examples=8)
@given(data=st.data())
def test_second_derivatives_match_finite_differences(case, data):
    built, rng, vals = _draw(data, case)
    y, syms = built.y, built.syms
    if case in ("max", "min") or (case == "norm" and "ord=inf" in str(y)):
        return  # piecewise linear: the second derivative is 0 a.e., checked below
    W = rng.normal(size=y.shape)
    phi = sum(y * W)  # a scalar projection of y
    i = data.draw(st.integers(0, len(syms) - 1))
    s = syms[i]
    d = rng.normal(size=s.shape)
    env = _env(syms, vals)
    g = grad(phi, s)
    dg = _fd(g, syms, vals, [d if j == i else 0 * v for j, v in enumerate(vals)])
    V = Symbol(f"{s.name}_hv", shape=s.shape)
    _close(evaluate(hvp(phi, s, V), {**env, V: d}), dg, 1e-4)
    Hs = hessian(phi, s) if s.shape else hessian(phi, [s])[0][0]
    assert Hs.shape == s.shape * 2
    Hd = np.tensordot(evaluate(Hs, env), d, axes=s.ndim)
    _close(Hd, dg, 1e-4)


@pytest.mark.parametrize("case", CASE_NAMES)
@settings(max_examples=10)
@given(data=st.data())
def test_batch_evaluation_equals_a_loop(case, data):
    built, rng, vals = _draw(data, case)
    y, syms = built.y, built.syms
    B = data.draw(st.integers(1, 3))
    batched = [data.draw(st.booleans()) for _ in syms]
    if not any(batched):
        batched[0] = True
    bvals = [
        np.stack([_values(rng, k, s.shape) for _ in range(B)]) if b else v
        for b, k, s, v in zip(batched, built.kinds, syms, vals, strict=True)
    ]
    out = evaluate(y, _env(syms, bvals))
    assert out.shape == (B,) + y.shape
    for j in range(B):
        one = [bv[j] if b else bv for b, bv in zip(batched, bvals, strict=True)]
        _close(out[j], evaluate(y, _env(syms, one)), 1e-12)
    if lambdify is not None:
        f = lambdify(syms, y)
        _close(f(*bvals), out, 1e-12)
        _close(f(*vals), evaluate(y, _env(syms, vals)), 1e-12)


@pytest.mark.parametrize("case", CASE_NAMES)
@settings(max_examples=10)
@given(data=st.data())
def test_print_parse_round_trip_and_latex(case, data):
    built, _, _ = _draw(data, case)
    y = built.y
    assert parse(str(y), symbols=built.syms) is y
    assert latex(y)
    s = built.syms[0]
    for d in (grad(sum(sin(y) * y), s), jacobian(y, s) if y.shape else grad(y, s)):
        assert parse(str(d), symbols=built.syms) is d
