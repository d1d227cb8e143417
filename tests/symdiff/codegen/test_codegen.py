"""lambdify: generated numpy code against the reference interpreter ``evaluate``."""

import doctest
import inspect
import keyword
import math
import traceback
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symdiff.cli
import symdiff.codegen
from symdiff import (
    Symbol,
    apply,
    const,
    diff,
    erf,
    evaluate,
    exp,
    grad,
    hessian,
    lambdify,
    log,
    pi,
    sin,
    symbols,
)
from symdiff.codegen import code_names
from symdiff.ops import OPS
from symdiff.strategies import expressions

x, y = symbols("x y")
A = Symbol("A", shape=(3,))
M = Symbol("M", shape=(2, 3))

arrays = st.lists(
    st.floats(-3, 3, allow_nan=False, allow_infinity=False), min_size=1, max_size=6
).map(np.array)


def assert_same_values(ours, ref, rtol=1e-10):
    """Equal where finite (to rounding), and the same nan / +inf / -inf pattern."""
    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    assert ours.shape == ref.shape
    assert np.array_equal(np.isnan(ours), np.isnan(ref))
    assert np.array_equal(np.isposinf(ours), np.isposinf(ref))
    assert np.array_equal(np.isneginf(ours), np.isneginf(ref))
    fin = np.isfinite(ref)
    np.testing.assert_allclose(ours[fin], ref[fin], rtol=rtol, atol=rtol)


# -- agreement with evaluate -----------------------------------------------------------


@given(expressions([x, y], max_leaves=10, smooth=False, defined=False), arrays)
def test_lambdify_equals_evaluate_on_random_expressions_and_arrays(e, xs):
    ys = xs[::-1] * 0.7 - 0.3
    with np.errstate(all="ignore"):
        ours = lambdify([x, y], e)(xs, ys)
        ref = np.broadcast_to(evaluate(e, {x: xs, y: ys}), xs.shape)
    assert_same_values(ours, ref)


@given(expressions([x, y], max_leaves=8), st.floats(-2, 2), st.floats(-2, 2))
def test_lambdified_gradient_equals_evaluated_gradient(e, px, py):
    g = grad(e, [x, y])
    with np.errstate(all="ignore"):
        ours = lambdify([x, y], g)(px, py)
        ref = evaluate(list(g), {x: px, y: py})
    assert isinstance(ours, tuple) and len(ours) == 2
    for a, b in zip(ours, ref, strict=True):
        assert_same_values(a, b)


@given(
    expressions([x], max_leaves=6),
    expressions([x, y], max_leaves=6),
    arrays,
)
def test_several_outputs_sharing_nodes_equal_evaluate(e1, e2, xs):
    # outputs that miss an argument, share nodes, and feed each other
    outs = [e1, e2, e1 * e2, *grad(e1 * e2 + e1, [x, y]), 2]
    with np.errstate(all="ignore"):
        got = lambdify([x, y], outs)(xs, 0.5)
        ref = evaluate(outs[:-1], {x: xs, y: 0.5})
    for g, r in zip(got, [*ref, 2.0], strict=True):
        assert_same_values(g, np.broadcast_to(r, xs.shape))


def test_every_op_with_code_compiles_and_matches_evaluate():
    pts = np.array([-1.5, -0.3, 0.0, 0.4, 2.0])
    for name, spec in OPS.items():
        if name in ("const", "symbol") or not spec.elementwise or not spec.arity:
            continue
        if name == "polygamma":  # the first operand is an integer order
            e = apply(name, 1, x) + y
        else:
            e = apply(name, *(x, y, x * y)[: spec.arity])
        with np.errstate(all="ignore"):
            ours = lambdify([x, y], e)(pts, pts[::-1])
            ref = evaluate(e, {x: pts, y: pts[::-1]})
        assert_same_values(ours, ref, rtol=1e-13)


# -- broadcasting: every output has the inputs' broadcast shape ------------------------


def test_constant_derivative_has_one_value_per_point():
    out = lambdify([x], diff(3 * x, x))(np.arange(5.0))
    np.testing.assert_array_equal(out, np.full(5, 3.0))


@given(
    st.sampled_from([(), (4,), (2, 1), (3, 4)]),
    st.sampled_from([(), (4,), (1, 4)]),
)
def test_outputs_missing_an_argument_are_broadcast(sx, sy):
    rng = np.random.default_rng(1)
    vx, vy = rng.normal(size=sx), rng.normal(size=sy)
    shape = np.broadcast_shapes(sx, sy)
    outs = lambdify([x, y], [x, y, 3, x * y, sin(x) + 2, pi])(vx, vy)
    for o in outs:
        assert np.shape(o) == shape
    np.testing.assert_allclose(outs[0], np.broadcast_to(vx, shape))
    np.testing.assert_allclose(outs[2], np.full(shape, 3.0))
    np.testing.assert_allclose(outs[5], np.full(shape, math.pi))


def test_an_output_that_is_also_an_operand_is_not_deleted_early():
    # sin(x) misses y, so it is returned through the broadcast helper, and it is
    # also read by the second output
    out = lambdify([x, y], [sin(x), sin(x) * y])(1.0, np.array([2.0, 3.0]))
    np.testing.assert_allclose(out[0], np.full(2, math.sin(1.0)))
    np.testing.assert_allclose(out[1], math.sin(1.0) * np.array([2.0, 3.0]))


def test_outputs_are_new_arrays_not_the_inputs():
    vx = np.arange(3.0)
    out_x, out_c = lambdify([x], [x, 2])(vx)
    out_x[:] = -1
    out_c[:] = -1
    np.testing.assert_array_equal(vx, np.arange(3.0))
    np.testing.assert_array_equal(lambdify([x], [x, 2])(vx)[1], [2.0, 2.0, 2.0])


def test_structure_of_outputs_is_kept():
    f = lambdify(
        [x, y], {"f": x * y, "grad": grad(x * y, [x, y]), x: [y, (x,)], "n": []}
    )
    out = f(2.0, 5.0)
    assert set(out) == {"f", "grad", x, "n"}
    assert float(out["f"]) == 10.0
    assert isinstance(out["grad"], tuple)
    assert [float(v) for v in out["grad"]] == [5.0, 2.0]
    assert isinstance(out[x], list) and isinstance(out[x][1], tuple)
    assert float(out[x][0]) == 5.0 and float(out[x][1][0]) == 2.0
    assert out["n"] == []


def test_hessian_rows_share_their_symmetric_entries_correctly():
    f = exp(x * y) + x**3
    H = lambdify([x, y], hessian(f, [x, y]))(0.5, -1.0)
    e = math.exp(-0.5)
    ref = [[e * 1.0 + 6 * 0.5, e * (1 + 0.5 * -1.0)], [e * (1 - 0.5), e * 0.25]]
    np.testing.assert_allclose(np.array(H, dtype=float), ref, rtol=1e-14)


# -- tensor symbols and batches --------------------------------------------------------


def _sum(e):
    return apply("sum", e, axis=None)


def test_batched_tensor_and_scalar_symbols_match_a_loop_of_evaluations():
    e = x * A + _sum(A * A) / (1 + x**2)
    rng = np.random.default_rng(2)
    vx = rng.normal(size=(4,))
    vA = rng.normal(size=(4, 3))
    out = lambdify([x, A], e)(vx, vA)
    assert out.shape == (4, 3)
    for i in range(4):
        np.testing.assert_allclose(out[i], evaluate(e, {x: vx[i], A: vA[i]}))


def test_structural_ops_keep_the_batch_prefix():
    outs = [
        apply("reshape", M, shape=(3, 2)),
        apply("broadcast_to", A, shape=(2, 3)),
        apply("sum", M, axis=0),
        apply("sum", M * M, axis=(0, 1), keepdims=True),
    ]
    rng = np.random.default_rng(3)
    vM = rng.normal(size=(5, 2, 3))
    vA = rng.normal(size=(5, 3))
    got = lambdify([M, A], outs)(vM, vA)
    for o, g in zip(outs, got, strict=True):
        assert g.shape == (5, *o.shape)
        for i in range(5):
            np.testing.assert_allclose(g[i], evaluate(o, {M: vM[i], A: vA[i]}))


def test_gradient_of_a_tensor_expression_has_the_symbols_shape_per_batch():
    f = _sum(sin(A) * x)
    gA, gx = grad(f, [A, x])
    fn = lambdify([x, A], [gA, gx, f])
    vA = np.arange(6.0).reshape(2, 3)
    outs = fn(2.0, vA)
    assert [np.shape(o) for o in outs] == [(2, 3), (2,), (2,)]
    np.testing.assert_allclose(outs[0], 2.0 * np.cos(vA))
    np.testing.assert_allclose(outs[1], np.sin(vA).sum(axis=1))


def test_tensor_argument_of_the_wrong_shape_is_a_clear_error():
    fn = lambdify([A], _sum(A))
    with pytest.raises(ValueError, match=r"argument A must have shape \(3,\)"):
        fn(np.ones(4))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        fn(1.0)


def test_tensor_ops_of_the_op_table_compile_with_batches():
    T = pytest.importorskip("symdiff.constructors.tensor")
    B = Symbol("B", shape=(3, 3))
    v = Symbol("v", shape=(3,))
    exprs = [
        B @ v,
        B.T @ B,
        B[1:3, 0] * x,
        T.concatenate([v, v * x]),
        T.cumsum(v, axis=0),
        T.det(B),
        T.inv(B),
        T.dot(v, v) * x,
        T.mean(B, axis=1),
    ]
    rng = np.random.default_rng(4)
    vx = rng.normal(size=4)
    vB = rng.normal(size=(4, 3, 3)) + 3 * np.eye(3)
    vv = rng.normal(size=(4, 3))
    for e in exprs:
        f = _sum(e) if e.shape else e
        outs = [e, *grad(f, [x, B, v])]
        got = lambdify([x, B, v], outs)(vx, vB, vv)
        for i in range(4):
            ref = evaluate(outs, {x: vx[i], B: vB[i], v: vv[i]})
            for g, r in zip(got, ref, strict=True):
                np.testing.assert_allclose(g[i], r, rtol=1e-10, atol=1e-12)


def test_constant_arrays():
    c = const(np.array([1.0, -2.0, np.inf]))
    out = lambdify([A], A * c + 1)(np.ones((2, 3)))
    np.testing.assert_array_equal(out, np.array([[2.0, -1.0, np.inf]] * 2))


# -- dtype -----------------------------------------------------------------------------


def test_float32_applies_to_inputs_constants_and_outputs():
    outs = [sin(x) * 2.5 + pi + sin(2) + erf(x) / 3, 7, exp(const(1) / 3), x**2]
    fn = lambdify([x], outs, dtype=np.float32)
    pts = np.linspace(-1, 1, 5)
    got = fn(pts)
    ref = lambdify([x], outs)(pts)
    for g, r in zip(got, ref, strict=True):
        assert g.dtype == np.float32
        assert g.shape == (5,)
        np.testing.assert_allclose(g, r, rtol=1e-6)
    assert "np.float64" not in fn.source


def test_complex_dtype_allows_the_complex_step():
    f = exp(x) * sin(x) / (1 + x**2)
    h = 1e-30
    fn = lambdify([x], f, dtype=np.complex128)
    cs = (fn(0.7 + 1j * h)).imag / h
    assert math.isclose(cs, float(evaluate(diff(f, x), {x: 0.7})), rel_tol=1e-14)


@pytest.mark.parametrize("bad", ["int64", "bool", "U3"])
def test_non_floating_dtypes_are_rejected(bad):
    with pytest.raises(ValueError, match="dtype"):
        lambdify([x], x, dtype=bad)
    with pytest.raises(TypeError, match="dtype"):
        lambdify([x], x, dtype="no such dtype")


# -- names: kept when safe, mangled otherwise ------------------------------------------


HOSTILE = "x); __import__('os').system('touch {path}'); ("


def test_hostile_symbol_name_executes_nothing(tmp_path):
    target = tmp_path / "pwned"
    s = Symbol(HOSTILE.format(path=target))
    t = Symbol(f'"""\n__import__("os").system("touch {target}")\n#\\')
    fn = lambdify([s, t], {"a": s * 2 + t, "b": sin(s)})
    out = fn(1.5, 1.0)
    assert float(out["a"]) == 4.0
    assert not target.exists()
    assert str(target) not in fn.source
    params = list(inspect.signature(fn).parameters)
    assert all(p.isidentifier() and p.startswith("_s") for p in params)


@pytest.mark.parametrize(
    "name",
    ["lambda", "class", "np", "sum", "print", "_t0", "_b", "_full", "_c0", "x y"],
)
def test_reserved_and_invalid_names_are_mangled_and_work(name):
    s = Symbol(name)
    fn = lambdify([s, x], [s * x + 1, s])
    (param,) = [p for p in inspect.signature(fn).parameters if p != "x"]
    assert param != name and param.isidentifier() and not keyword.iskeyword(param)
    np.testing.assert_allclose(fn(np.arange(3.0), 2.0)[0], 2 * np.arange(3.0) + 1)


def test_names_are_kept_when_safe_and_mangling_is_deterministic():
    args = [
        Symbol("alpha"),
        Symbol("x1"),
        Symbol("alpha", shape=(2,)),  # same name, another symbol
        Symbol("é"),
        Symbol("a" * 41),
    ]
    names = code_names(args)
    assert names[:2] == ["alpha", "x1"]
    assert len(set(names)) == len(names)
    assert all(n.isascii() and n.isidentifier() for n in names)
    assert names == code_names(args)
    fn = lambdify(args, args[0] + args[1] + args[3] + args[4])
    values = dict(zip(names, [1.0, 2.0, np.zeros(2), 4.0, 8.0], strict=True))
    assert float(fn(**values)) == 15.0


# -- the source: one assignment per shared node, inspectable ---------------------------


def test_shared_subexpressions_are_computed_once():
    s = sin(x * y)
    outs = [s * x, s * y, s**2, exp(s)]
    src = lambdify([x, y], outs).source
    assert src.count("np.sin(") == 1
    assert src.count("x * y") == 1


def test_gradient_reuses_the_functions_nodes():
    f = exp(sin(x) * y) + log(1 + (x * y) ** 2)
    src = lambdify([x, y], [f, *grad(f, [x, y])]).source
    assert src.count("np.exp(") == 1  # exp(sin(x)*y) and its derivative share it
    assert src.count("np.sin(") == 1


def test_getsource_and_tracebacks_show_the_generated_lines():
    fn = lambdify([x, y], x * y + sin(x))
    assert inspect.getsource(fn) == fn.source
    assert fn.source.startswith("def _lambdified(x, y):")
    with pytest.raises(ValueError) as info:
        fn(np.ones(3), np.ones(4))  # the batches do not broadcast
    frames = traceback.extract_tb(info.value.__traceback__)
    ours = [f for f in frames if f.filename.startswith("<symdiff-lambdify")]
    assert ours and "x * y" in ours[-1].line


def test_a_dead_functions_source_leaves_linecache_at_the_next_lambdify():
    # dropped by our own code, never by a finalizer inside a garbage collection
    # (which could run within linecache.checkcache's loop and make it fail)
    import gc
    import linecache

    fn = lambdify([x], x + 41)
    name = fn.__wrapped__.__code__.co_filename
    assert name in linecache.cache
    del fn
    gc.collect()
    assert name in linecache.cache  # nothing happens during the collection
    live = lambdify([x], x + 42)
    assert name not in linecache.cache
    assert inspect.getsource(live) == live.source
    linecache.checkcache()


def test_source_is_deterministic_and_names_temporaries_in_order():
    f = x**2 * sin(y) + exp(x)
    a = lambdify([x, y], grad(f, [x, y])).source
    b = lambdify([x, y], grad(f, [x, y])).source
    assert a == b
    targets = [ln.split(" = ")[0].strip() for ln in a.splitlines() if " = " in ln]
    temps = [t for t in targets if t.startswith("_t")]
    assert temps == [f"_t{i}" for i in range(len(temps))]


def test_deep_chain_compiles_and_runs():
    depth = 100_000  # nodes on the path from the output to x
    e = x
    for i in range(depth):
        e = sin(e) if i % 2 else e * 0.5 + x
    fn = lambdify([x], e)
    v = 0.3
    t = v
    for i in range(depth):
        t = math.sin(t) if i % 2 else t * 0.5 + v
    assert math.isclose(float(fn(v)), t, rel_tol=1e-12)
    assert max(len(line) for line in fn.source.splitlines()) <= 88


# -- bad input -------------------------------------------------------------------------


def test_symbol_missing_from_args_is_named():
    with pytest.raises(ValueError, match="symbol 'y'.*not in args"):
        lambdify([x], x * y)


def test_args_must_be_distinct_symbols():
    with pytest.raises(TypeError, match="args must be Symbols"):
        lambdify([x, 2], x)
    with pytest.raises(TypeError, match="args must be a sequence"):
        lambdify("x", x)
    with pytest.raises(ValueError, match="appears twice"):
        lambdify([x, x], x)


def test_outputs_must_be_expressions():
    with pytest.raises(TypeError, match="outputs must be Exprs"):
        lambdify([x], [x, "y"])


def test_op_without_code_is_named(monkeypatch):
    monkeypatch.setattr(OPS["tanh"], "code", None)
    with pytest.raises(NotImplementedError, match="'tanh'"):
        lambdify([x], apply("tanh", x) + 1)


def test_callable_code_templates_are_used(monkeypatch):
    # a template may be a function (node, names) -> source: codegen must call it
    monkeypatch.setattr(OPS["cos"], "code", lambda node, names: f"np.sin({names[0]})")
    assert float(lambdify([x], apply("cos", x))(0.5)) == math.sin(0.5)


# -- the documentation's examples run -------------------------------------------------


def test_doc_page_and_docstring_examples():
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    page = Path(__file__).resolve().parents[3] / "docs" / "codegen.md"
    result = doctest.testfile(str(page), module_relative=False, optionflags=flags)
    assert result.attempted > 10 and result.failed == 0
    for module in (symdiff.codegen, symdiff.cli):
        result = doctest.testmod(module, optionflags=flags)
        assert result.attempted > 0 and result.failed == 0
