"""The tensor API: d2l's linear-algebra examples, indexing, errors, SymPy, printing."""

import builtins
import doctest
import importlib
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff
from symdiff import (
    ShapeError,
    Symbol,
    concatenate,
    const,
    cumsum,
    det,
    diag,
    dot,
    evaluate,
    grad,
    inv,
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
    to_sympy,
    trace,
    transpose,
)
from symdiff.core.expr import apply

# -- d2l, "Linear Algebra" -------------------------------------------------------------


def test_d2l_scalars():
    x, y = const(3.0), const(2.0)
    assert [float(evaluate(e)) for e in (x + y, x * y, x / y, x**y)] == [
        5.0,
        6.0,
        1.5,
        9.0,
    ]


def test_d2l_vectors_and_matrices():
    x = Symbol("x", shape=(3,))
    xv = np.arange(3.0)
    assert float(evaluate(x[2], x=xv)) == 2.0
    assert x.shape == (3,) and len(list(x)) == 3
    A = Symbol("A", shape=(3, 2))
    Av = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(evaluate(A.T, A=Av), Av.T)
    B = const(np.array([[1, 2, 3], [2, 0, 4], [3, 4, 5]]))
    assert B.T is B  # symmetric: its transpose is the same (interned) constant
    T = reshape(const(np.arange(24)), (2, 3, 4))
    assert T.shape == (2, 3, 4)
    np.testing.assert_array_equal(evaluate(T), np.arange(24).reshape(2, 3, 4))


def test_d2l_elementwise_and_broadcasting():
    A = Symbol("A", shape=(2, 3))
    Av = np.arange(6.0).reshape(2, 3)
    Bv = Av.copy()
    B = Symbol("B", shape=(2, 3))
    env = {A: Av, B: Bv}
    np.testing.assert_array_equal(evaluate(A + B, env), Av + Bv)
    np.testing.assert_array_equal(evaluate(A * B, env), Av * Bv)  # Hadamard
    X = Symbol("X", shape=(2, 3, 4))
    a = 2
    assert (a + X).shape == (2, 3, 4) and (a * X).shape == (2, 3, 4)


def test_d2l_reductions_and_keepdims():
    A = Symbol("A", shape=(2, 3))
    Av = np.arange(6.0).reshape(2, 3)

    def ev(e):
        return evaluate(e, A=Av)

    assert float(ev(sum(A))) == 15.0
    np.testing.assert_array_equal(ev(A.sum(axis=0)), [3.0, 5.0, 7.0])
    np.testing.assert_array_equal(ev(A.sum(axis=1)), [3.0, 12.0])
    assert float(ev(A.sum(axis=(0, 1)))) == 15.0
    assert float(ev(A.mean())) == float(ev(A.sum() / 6)) == 2.5
    np.testing.assert_array_equal(ev(A.mean(axis=0)), ev(A.sum(axis=0) / 2))
    s = A.sum(axis=1, keepdims=True)
    assert s.shape == (2, 1)
    np.testing.assert_allclose(ev(A / s), Av / Av.sum(axis=1, keepdims=True))
    np.testing.assert_array_equal(ev(A.cumsum(axis=0)), np.cumsum(Av, axis=0))


def test_d2l_products_and_norms():
    x = Symbol("x", shape=(3,))
    xv = np.arange(3.0)
    assert float(evaluate(dot(x, np.ones(3)), x=xv)) == 3.0
    A = Symbol("A", shape=(2, 3))
    Av = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(evaluate(A @ x, A=Av, x=xv), [5.0, 14.0])
    AB = matmul(A, np.ones((3, 4)))
    np.testing.assert_array_equal(evaluate(AB, A=Av), Av @ np.ones((3, 4)))
    u = Symbol("u", shape=(2,))
    assert float(evaluate(norm(u), u=[3.0, -4.0])) == 5.0
    assert float(evaluate(norm(u, ord=1), u=[3.0, -4.0])) == 7.0
    assert float(evaluate(norm(Symbol("M", shape=(4, 9))), M=np.ones((4, 9)))) == 6.0


# -- the numpy-like surface ------------------------------------------------------------


@settings(max_examples=30)
@given(st.data())
def test_methods_agree_with_functions(data):
    A = Symbol("A", shape=(2, 3))
    axis = data.draw(st.sampled_from([None, 0, 1, -1, (0, 1)]))
    keep = data.draw(st.booleans())
    for method, fn in (
        ("sum", sum),
        ("mean", mean),
        ("prod", prod),
        ("max", max),
        ("min", min),
    ):
        assert getattr(A, method)(axis=axis, keepdims=keep) is fn(A, axis, keep)
    assert A.T is transpose(A) and A.transpose(1, 0) is A.T
    assert A.reshape(3, 2) is reshape(A, (3, 2)) is A.reshape((3, -1))
    assert A.cumsum(axis=1) is cumsum(A, axis=1)
    B = Symbol("B", shape=(3, 3))
    assert B.trace() is trace(B) and B.dot(B) is B @ B
    assert A.norm() is norm(A)


def test_matmul_operator_with_arrays_on_either_side():
    x = Symbol("x", shape=(3,))
    M = np.arange(9.0).reshape(3, 3)
    xv = np.array([1.0, -1.0, 2.0])
    np.testing.assert_allclose(evaluate(M @ x, x=xv), M @ xv)
    np.testing.assert_allclose(evaluate(x @ M, x=xv), xv @ M)


@settings(max_examples=40)
@given(st.data())
def test_indexing_matches_numpy(data):
    shape = tuple(data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))

    def entry(n):
        return data.draw(
            st.integers(-n, n - 1)
            | st.builds(
                slice,
                st.none() | st.integers(-n - 2, n + 2),
                st.none() | st.integers(-n - 2, n + 2),
                st.none() | st.sampled_from([1, 2, 3, -1, -3]),
            )
        )

    p = data.draw(st.integers(0, len(shape)))
    q = data.draw(st.integers(0, len(shape) - p))
    key = [entry(n) for n in shape[:p]]
    if data.draw(st.booleans()):  # an ellipsis, then indices of the last q axes
        key += [Ellipsis] + [entry(n) for n in shape[len(shape) - q :]]
    if data.draw(st.booleans()):
        key.insert(data.draw(st.integers(0, len(key))), None)
    key = tuple(key)
    X = Symbol("X", shape=shape)
    v = np.arange(float(np.prod(shape))).reshape(shape)
    e = X[key]
    assert e.shape == v[key].shape
    np.testing.assert_array_equal(evaluate(e, X=v), v[key])


def test_indexing_errors():
    X = Symbol("X", shape=(2, 3))
    with pytest.raises(ShapeError, match=r"too many indices \(3\) for shape \(2, 3\)"):
        X[0, 0, 0]
    with pytest.raises(ShapeError, match=r"take: index 3 is out of range.*\(2, 3\)"):
        X[:, 3]
    with pytest.raises(TypeError, match="not supported"):
        X[[0, 1]]
    with pytest.raises(TypeError, match="not supported"):
        X[True]
    with pytest.raises(ValueError, match="step cannot be zero"):
        X[::0]
    with pytest.raises(TypeError, match="scalar"):
        iter(Symbol("s"))


def test_iteration_and_stack_round_trip():
    X = Symbol("X", shape=(3, 2))
    rows = list(X)
    assert [r.shape for r in rows] == [(2,)] * 3
    v = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(evaluate(stack(rows), X=v), v)
    np.testing.assert_array_equal(evaluate(concatenate(rows), X=v), v.ravel())


# -- errors name the op and the shapes -------------------------------------------------


@pytest.mark.parametrize(
    "build, pattern",
    [
        (
            lambda: Symbol("A", shape=(2, 3)) @ Symbol("B", shape=(2, 3)),
            r"matmul: shapes \(2, 3\) and \(2, 3\)",
        ),
        (
            lambda: Symbol("a", shape=(3,)) @ Symbol("b", shape=(4,)),
            r"matmul: shapes \(3,\) and \(4,\)",
        ),
        (
            lambda: Symbol("A", shape=(2, 2, 3)) @ Symbol("B", shape=(3, 3, 1)),
            r"matmul: shapes \(2, 2, 3\) and \(3, 3, 1\)",
        ),
        (lambda: matmul(Symbol("s"), Symbol("a", shape=(2,))), r"matmul: .*\(\)"),
        (
            lambda: Symbol("a", shape=(3,)) + Symbol("b", shape=(4,)),
            r"add: shapes \(3,\) and \(4,\)",
        ),
        (
            lambda: concatenate([Symbol("a", shape=(2, 3)), Symbol("b", shape=(2, 4))]),
            r"concatenate: shapes \(2, 3\) and \(2, 4\)",
        ),
        (
            lambda: concatenate([Symbol("a", shape=(2,)), Symbol("b", shape=(2, 1))]),
            r"concatenate: shapes \(2,\) and \(2, 1\)",
        ),
        (
            lambda: stack([Symbol("a", shape=(2,)), Symbol("b", shape=(3,))]),
            r"stack: .*\(2,\) and \(3,\)",
        ),
        (
            lambda: solve(Symbol("A", shape=(2, 2)), Symbol("b", shape=(3,))),
            r"solve: shapes \(2, 2\) and \(3,\)",
        ),
        (lambda: inv(Symbol("A", shape=(2, 3))), r"inv: .*\(2, 3\)"),
        (lambda: det(Symbol("a", shape=(3,))), r"det: .*\(3,\)"),
        (lambda: trace(Symbol("A", shape=(2, 3))), r"trace: .*\(2, 3\)"),
        (
            lambda: reshape(Symbol("A", shape=(2, 3)), (4,)),
            r"reshape: cannot reshape shape \(2, 3\) to shape \(4,\)",
        ),
        (lambda: sum(Symbol("A", shape=(2, 3)), axis=2), r"sum: axis 2"),
        (lambda: max(Symbol("A", shape=(2, 3)), axis=(0, 0)), r"max: repeated"),
        (lambda: transpose(Symbol("A", shape=(2, 3)), (0, 0)), r"transpose: axes"),
        (lambda: cumsum(Symbol("s"), axis=0), r"cumsum: .*scalar"),
        (lambda: dot(Symbol("T", shape=(2, 2, 2)), Symbol("a", shape=(2,))), "dot:"),
    ],
)
def test_shape_errors_name_the_op_and_shapes(build, pattern):
    with pytest.raises(ShapeError, match=pattern):
        build()


def test_bad_parameters_are_clear_errors():
    x = Symbol("x", shape=(3,))
    X = Symbol("X", shape=(3, 3))
    with pytest.raises(ValueError, match="ord must be > 0"):
        norm(x, ord=-1)
    with pytest.raises(ValueError, match="ord 'nuc' is not supported"):
        norm(X, ord="nuc")
    with pytest.raises(ValueError, match="matrix norms support only"):
        norm(X, ord=2)
    with pytest.raises(ValueError, match="'fro' needs a matrix"):
        norm(x, ord="fro")
    with pytest.raises(TypeError, match="keepdims must be True or False"):
        prod(x, keepdims="yes")
    with pytest.raises(TypeError, match="unexpected parameter"):
        apply("max", x, axes=0)
    with pytest.raises(symdiff.ParseError):
        parse("take(x)", symbols=[x])


# -- printing and the builtins ---------------------------------------------------------


def test_printed_forms():
    # numpy's spelling: subscripts, .T, @, axes counted from the front
    A, x = Symbol("A", shape=(3, 3)), Symbol("x", shape=(3,))
    theta = Symbol("theta", shape=(10,))
    assert str(A @ x) == "A @ x"
    assert str(x @ A @ x) == "x @ A @ x"
    assert str(2 * (A @ x)) == "2*(A @ x)" and str(-(A @ x)) == "-(A @ x)"
    assert str(A.T) == "A.T" and str(A.T[1]) == "A.T[1]"
    assert str(transpose(Symbol("T", shape=(2, 3, 4)), (0, 2, 1))) == (
        "transpose(T, axes=(0, 2, 1))"
    )
    assert str(A.sum(axis=0)) == "sum(A, axis=0)" and str(A.sum()) == "sum(A)"
    assert str(A.max(axis=1, keepdims=True)) == "max(A, axis=1, keepdims=True)"
    assert str(norm(x, ord=1)) == "norm(x, ord=1)"
    assert str(x[1:]) == "x[1:]" and str(theta[:5]) == "theta[:5]"
    assert str(theta[::-1]) == "theta[::-1]" and str(theta[1:9:3]) == "theta[1::3]"
    assert str(A[:, 2]) == "A[:, 2]" and str(A[0]) == "A[0]"
    assert str((A @ x)[1]) == "(A @ x)[1]"
    assert str(mean(x)) == "sum(x)/3"
    assert str(logdet(A)) == "logdet(A)"


def test_builtins_are_shadowed_only_by_name():
    assert symdiff.sum is sum and sum is not builtins.sum
    assert builtins.sum([1, 2]) == 3  # the package does not touch the builtins
    assert str(sum(Symbol("x", shape=(2,)))) == "sum(x)"


# -- SymPy -----------------------------------------------------------------------------


def _sympy_value(e, syms, vals):
    s = to_sympy(e)
    subs = {
        sympy.MatrixSymbol(
            k.name, *(k.shape + (1,) * (2 - k.ndim))
        ): sympy.ImmutableMatrix(np.reshape(v, k.shape + (1,) * (2 - k.ndim)))
        for k, v in zip(syms, vals, strict=True)
    }
    out = s.subs(subs).doit()
    return np.array(out.tolist() if hasattr(out, "tolist") else out, dtype=float)


def test_to_sympy_matrix_expressions_evaluate_like_symdiff():
    rng = np.random.default_rng(0)
    A, x = Symbol("A", shape=(3, 3)), Symbol("x", shape=(3,))
    B = Symbol("B", shape=(3, 2))
    vals = [np.eye(3) + 0.2 * rng.normal(size=(3, 3)), rng.normal(size=3)]
    vals.append(rng.normal(size=(3, 2)))
    syms = [A, x, B]
    env = dict(zip(syms, vals, strict=True))
    for e in (
        x @ A @ x,
        A @ x + 2 * x,
        x @ A,
        inv(A) @ x,
        det(A) + trace(A),
        logdet(A),
        sum(A, axis=0),
        sum(B, axis=1, keepdims=True),
        sum(x * x) + norm(x) + norm(B),
        A.T @ B,
        sin(x) * x - x / 3,
        x**2,
        diag(x) @ B,
        concatenate([x, 2 * x]),
        concatenate([A, B], axis=1),
        A[1],
        A[:, 1],
        B[1:3, :],
        solve(A, B),
        A[0:2, :],
        outer(x, x[0:2]),
        x @ diag(x) @ A,
    ):
        ours = np.asarray(evaluate(e, env), dtype=float)
        theirs = _sympy_value(e, syms, vals)
        np.testing.assert_allclose(theirs.reshape(ours.shape), ours, rtol=1e-10)


def test_to_sympy_names_what_it_cannot_hold():
    x = Symbol("x", shape=(3,))
    T = Symbol("T", shape=(2, 2, 2))
    for e, pattern in (
        (cumsum(x), "cumsum"),
        (max(x), "max"),
        (T, "at most 2 dimensions"),
        (x + Symbol("M", shape=(2, 3)), "do not broadcast"),
        (norm(x, ord=float("inf")), "norm"),
    ):
        with pytest.raises(ValueError, match=pattern):
            to_sympy(e)


def test_our_gradient_matches_sympys_matrix_derivative():
    rng = np.random.default_rng(1)
    A, x = Symbol("A", shape=(3, 3)), Symbol("x", shape=(3,))
    sA, sx = sympy.MatrixSymbol("A", 3, 3), sympy.MatrixSymbol("x", 3, 1)
    theirs = sympy.diff(sx.T * sA * sx, sx)  # SymPy: A*x + A.T*x
    vals = [rng.normal(size=(3, 3)), rng.normal(size=3)]
    subs = {sA: sympy.ImmutableMatrix(vals[0]), sx: sympy.ImmutableMatrix(vals[1])}
    expect = np.array(theirs.subs(subs).doit().tolist(), dtype=float).ravel()
    ours = _sympy_value(grad(x @ A @ x, x), [A, x], vals).ravel()
    np.testing.assert_allclose(ours, expect, rtol=1e-12)


# -- the documentation's examples run --------------------------------------------------


def test_doc_page_and_docstring_examples():
    modules = [
        importlib.import_module(f"symdiff.{m}")
        for m in ("constructors.tensor", "ops.util", "diff")
    ]  # (symdiff.diff the attribute is the function, hence import_module)
    page = Path(__file__).resolve().parents[3] / "docs" / "tensors.md"
    result = doctest.testfile(str(page), module_relative=False)
    assert result.attempted > 40 and result.failed == 0
    for module in modules:
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0
