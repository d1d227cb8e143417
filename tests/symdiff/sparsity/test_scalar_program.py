"""The grouped numpy program for scalar-symbol sparse derivatives (sparse/vectorize.py)
computes what the ordinary generated code and the interpreter compute."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_problems import scalar_problem

import symdiff as sd
from symdiff.codegen.lambdify import lambdify as lambdify_exprs
from symdiff.sparse import lambdify, sparse_hessian, sparse_jacobian
from symdiff.sparse.vectorize import ScalarProgram, compile_scalar_program
from symdiff.strategies import expressions

XS = list(sd.symbols("p q r s"))
BINARY = ("add", "sub", "mul", "div", "pow", "atan2", "hypot", "logaddexp")


def _reference(args, exprs, values):
    """Each expression by the interpreter, one at a time."""
    env = dict(zip(args, values, strict=True))
    return np.array([float(sd.evaluate(e, env)) for e in exprs])


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        expressions(XS, max_leaves=8, smooth=False, binary_ops=BINARY),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.floats(-2, 2), min_size=4, max_size=4),
)
def test_random_expressions_equal_the_interpreter_and_generated_code(exprs, values):
    prog = compile_scalar_program(XS, exprs, force=True)
    assert prog is not None
    with np.errstate(all="ignore"):
        (got,) = prog(*values)
        plain = np.array(lambdify_exprs(XS, list(exprs))(*values), dtype=float)
        ref = _reference(XS, exprs, values)
    assert got.shape == (len(exprs),)
    np.testing.assert_allclose(got, plain, rtol=1e-13, atol=1e-300, equal_nan=True)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12, equal_nan=True)


@settings(max_examples=15, deadline=None)
@given(scalar_problem(), st.integers(0, 2**16))
def test_sparse_derivatives_of_random_scalar_problems(problem, seed):
    xs, terms = problem
    values = np.random.default_rng(seed).uniform(-1.5, 1.5, len(xs))
    for deriv in (sparse_hessian(sum(terms), xs), sparse_jacobian(terms, xs)):
        prog = compile_scalar_program(xs, deriv.compressed, force=True)
        (got,) = prog(*values)
        ref = _reference(xs, deriv.compressed, values)
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


def _rosenbrock_hessian(x):
    """The chained Rosenbrock Hessian, by hand."""
    n = x.size
    H = np.zeros((n, n))
    for i in range(n - 1):
        # 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2
        H[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
        H[i, i + 1] += -400 * x[i]
        H[i + 1, i] += -400 * x[i]
        H[i + 1, i + 1] += 200
    return H


@pytest.mark.parametrize("fmt", ["csr", "coo", "triple"])
def test_scalar_rosenbrock_goes_through_the_program(fmt):
    n = 60
    xs = list(sd.symbols(" ".join(f"x{i}" for i in range(n))))
    f = sum(
        100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)
    )
    # reroll=False: this is the scalar path (re-rolling would take the shaped one)
    fn = lambdify(xs, sparse_hessian(f, xs, reroll=False), format=fmt)
    assert isinstance(fn.compressed, ScalarProgram)
    assert fn.compressed.groups < 20  # grouped: not one statement per node
    x = np.random.default_rng(1).uniform(-1, 1, n)
    out = fn(*x)
    if fmt == "triple":
        rows, cols, vals = out
        M = np.zeros((n, n))
        np.add.at(M, (rows, cols), vals)
    else:
        M = out.toarray()
    np.testing.assert_allclose(M, _rosenbrock_hessian(x), rtol=1e-12, atol=1e-9)
    # pickles (process pools), and by keyword too
    again = pickle.loads(pickle.dumps(fn))
    kw = {f"x{i}": v for i, v in enumerate(x)}
    np.testing.assert_allclose(
        again(**kw).toarray() if fmt != "triple" else again(**kw)[2],
        fn(*x).toarray() if fmt != "triple" else fn(*x)[2],
    )


def test_ops_beyond_arithmetic():
    x, y, z = XS[:3]
    exprs = [
        sd.where(x < y, sd.sin(x), y**2),
        sd.clip(x, y, z),
        sd.maximum(x, y) * sd.erf(z),
        sd.atan2(x, y) + sd.hypot(y, z),
        (x > 0.5) * 1.0 + sd.exp(-(x**2)),
        sd.erfc(y) - sd.sigmoid(z),
    ] * 3
    prog = compile_scalar_program(XS, exprs, force=True)
    for values in ([0.1, 0.7, -0.3, 0.0], [0.9, -0.2, 0.4, 1.0]):
        np.testing.assert_allclose(
            prog(*values)[0], _reference(XS, exprs, values), rtol=1e-12
        )


def test_float32_program():
    x, y = XS[:2]
    exprs = [x * y + 0.1, sd.sin(x) ** 2, x**2 * y]
    prog = compile_scalar_program(XS, exprs, dtype="float32", force=True)
    (got,) = prog(0.3, 0.7, 0.0, 0.0)
    assert got.dtype == np.float32
    ref = _reference(XS, exprs, [0.3, 0.7, 0.0, 0.0])
    np.testing.assert_allclose(got, ref, rtol=1e-6)


def test_declines_what_it_cannot_group():
    x, y = XS[:2]
    v = sd.Symbol("v", shape=(3,))
    assert compile_scalar_program([v], [v.sum()]) is None  # shaped symbol
    assert compile_scalar_program([x], [x * y], force=True) is None  # y not an arg
    assert compile_scalar_program([x, v], [x * v[0]], force=True) is None  # take
    # a chain of dependent nodes: one group per node, no gain without force
    e = x
    for _ in range(50):
        e = sd.sin(e) * y
    assert compile_scalar_program([x, y], [e]) is None
    assert compile_scalar_program([x, y], [e], force=True) is not None


def test_bad_arguments_get_clear_errors():
    x, y = XS[:2]
    prog = compile_scalar_program([x, y], [x * y, x + y], force=True)
    with pytest.raises(ValueError, match=r"unbatched.*shape \(3,\) for q"):
        prog(1.0, np.ones(3))
    with pytest.raises(TypeError, match="real numbers"):
        prog(1.0, "a")
    many = list(sd.symbols(" ".join(f"v{i}" for i in range(100))))
    big = compile_scalar_program(many, [v * 2 for v in many])
    with pytest.raises(TypeError, match=r"v5, \.\.\. \(94 more\)"):
        big(1.0)
    with pytest.raises(TypeError, match="takes 2 arguments"):
        prog(1.0)
    with pytest.raises(TypeError, match="'z'"):
        prog(1.0, z=2.0)
    with pytest.raises(TypeError, match="twice"):
        prog(1.0, p=2.0)
    assert prog(q=3.0, p=2.0)[0].tolist() == [6.0, 5.0]


def test_a_100000_deep_chain():
    x, y = XS[:2]
    sx, sy = sd.sin(x), sd.sin(y)
    e = x
    for i in range(50_000):  # two nodes per step: 100,000 levels
        e = e * 0.5 + (sy if i % 2 else sx)
    # one level per node: not worth grouping, and declined without recursion
    assert compile_scalar_program([x, y], [e]) is None
    prog = compile_scalar_program([x, y], [e, sd.cos(e)], force=True)
    got = prog(0.3, -0.4)[0]
    ref = 0.3
    for i in range(50_000):
        ref = ref * 0.5 + np.sin(-0.4 if i % 2 else 0.3)
    np.testing.assert_allclose(got, [ref, np.cos(ref)], rtol=1e-12)


def test_constants_meeting_constants_follow_numpy():
    x = XS[0]
    zero = sd.apply("mul", sd.const(0), x)  # not folded if the rules keep it
    exprs = [x * 2, sd.apply("div", sd.const(1.0), sd.const(0.0)) + x, zero]
    prog = compile_scalar_program(XS, exprs, force=True)
    with np.errstate(divide="ignore"):
        got = prog(1.5, 0.0, 0.0, 0.0)[0]
    assert got[0] == 3.0 and np.isinf(got[1]) and got[2] == 0.0
