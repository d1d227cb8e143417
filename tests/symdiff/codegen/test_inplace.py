"""Generated code writes elementwise results into temporaries that die there
(symdiff.codegen.inplace and the writer's ``out=``): values, batches, dtypes and the
arguments themselves are unchanged by it."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import Symbol, evaluate, exp, flip, grad, lambdify, relu, sin, tanh
from symdiff.codegen.inplace import in_place_form, result_kind

A = Symbol("A", shape=("n", 3))
W = Symbol("W", shape=(3, 3))
b = Symbol("b", shape=(3,))
s = Symbol("s")
ARGS = [A, W, b, s]


def _point(rng, n=5, batch=()):
    return {
        A: rng.standard_normal(batch + (n, 3)),
        W: rng.standard_normal((3, 3)),
        b: rng.standard_normal((3,)),
        s: rng.standard_normal(),
    }


def test_a_layer_writes_bias_and_relu_into_its_product():
    f = lambdify(ARGS, relu(A @ W + b))
    assert "out=" in f.source and "np.maximum(" in f.source
    env = _point(np.random.default_rng(0))
    np.testing.assert_allclose(f(*env.values()), evaluate(relu(A @ W + b), env))


def test_a_batch_the_product_does_not_have_is_not_written_into():
    # b carries a batch that A @ W does not: the sum is larger than the product,
    # so the code must allocate (the _unbatched test), and still be right
    f = lambdify(ARGS, relu(A @ W + b))
    assert "_unbatched" in f.source
    rng = np.random.default_rng(1)
    env = _point(rng)
    bs = rng.standard_normal((2, 3))
    got = f(env[A], env[W], bs, env[s])
    assert got.shape == (2, 5, 3)
    for k in range(2):
        np.testing.assert_allclose(got[k], f(env[A], env[W], bs[k], env[s]))


def test_views_of_arguments_are_never_written_into():
    # flip(A) is a view of the caller's A: exp must not write into it
    exprs = [exp(flip(A, -1)), relu(flip(A, -1)) - b, sin(flip(W, 0) + b)]
    f = lambdify(ARGS, exprs)
    env = _point(np.random.default_rng(3))
    copies = {k: np.copy(v) for k, v in env.items()}
    for got, e in zip(f(*env.values()), exprs, strict=True):
        np.testing.assert_allclose(got, evaluate(e, copies))
    for k, v in env.items():
        np.testing.assert_array_equal(v, copies[k])


def test_numpy_elided_temporaries_and_small_arrays_are_left_as_they_read():
    # tmp - y with y of tmp's shape: numpy reuses tmp by itself
    assert "out=" not in lambdify(ARGS, exp(A) - A).source
    # arrays known to be small: allocating is cheaper than the out= call
    V = Symbol("V", shape=(100, 3))
    assert "out=" not in lambdify([V, b], exp(V + b)).source
    V = Symbol("V", shape=(100_000, 3))
    assert "out=" in lambdify([V, b], exp(V + b)).source


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtypes_keep_their_precision(dtype):
    e = tanh(A @ W + b) * s
    f = lambdify(ARGS, e, dtype=dtype)
    env = _point(np.random.default_rng(2))
    got = f(*env.values())
    assert got.dtype == np.dtype(dtype)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(got, evaluate(e, env), rtol=tol, atol=tol)


def test_complex_code_and_array_api_code_do_not_write_in_place():
    e = relu(A @ W + b)
    assert "out=" not in lambdify(ARGS, exp(A @ W + b), dtype="complex128").source
    pytest.importorskip("array_api_compat")
    assert "out=" not in lambdify(ARGS, e, backend="array_api").source


def test_templates_are_read_for_what_they_make():
    assert result_kind("np.maximum({0}, {1})", 2) == "new"
    assert result_kind("np.greater({0}, {1})", 2) == "mask"
    assert result_kind("np.reshape({0}, (3,))", 1) is None  # a view
    assert in_place_form("{0} @ {1}", 2) is None  # a product is never written into
    assert in_place_form("np.sum({0})", 1) is None
    assert in_place_form("{0} / {1}", 2) == ("operator", "divide")


# random layers: products, biases that broadcast, elementwise functions and
# arithmetic in any order, so fresh operands meet broadcasting siblings often
_leaves = st.sampled_from([A, A @ W, b, s, 2.0])


def _flip(e):
    return flip(e, -1) if getattr(e, "shape", ()) else e


# (flip: a view of its operand, which may be an argument: never written into)
_unary = st.sampled_from([exp, sin, tanh, relu, lambda e: -e, _flip])


def _grow(children):
    binary = st.tuples(
        children, children, st.sampled_from(["+", "-", "*", "/", "@W"])
    ).map(_combine)
    return st.one_of(_unary.flatmap(lambda f: children.map(f)), binary)


def _combine(t):
    x, y, op = t
    if op == "@W":
        return (x + A) @ W if getattr(x, "shape", ()) in ((), (3,)) else x @ W
    if op == "/":
        return x / (2.5 + tanh(y))  # away from zero
    return {"+": x + y, "-": x - y, "*": x * y}[op]


_layers = st.recursive(_leaves, _grow, max_leaves=10).filter(
    lambda e: getattr(e, "shape", ()) == ("n", 3)
)


@settings(max_examples=60, deadline=None)
@given(_layers, st.integers(0, 2**32 - 1))
def test_random_layers_equal_evaluate_and_leave_their_arguments_alone(e, seed):
    f = lambdify(ARGS, (e, grad((e * e).sum(), [W, b])))
    rng = np.random.default_rng(seed)
    env = _point(rng)
    copies = {k: np.copy(v) for k, v in env.items()}
    got, (gW, gb) = f(*env.values())
    for k, v in env.items():
        np.testing.assert_array_equal(v, copies[k])  # nothing written into inputs
    want = evaluate(e, env)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    (wW, wb) = [evaluate(g, env) for g in grad((e * e).sum(), [W, b])]
    np.testing.assert_allclose(gW, wW, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(gb, wb, rtol=1e-9, atol=1e-9)
    # a batch of A, and of b, equals the calls one item at a time
    As = rng.standard_normal((2, 5, 3))
    batched, _ = f(As, env[W], env[b], env[s])
    for k in range(2):
        np.testing.assert_allclose(batched[k], f(As[k], env[W], env[b], env[s])[0])
    bs = rng.standard_normal((2, 3))
    batched, _ = f(env[A], env[W], bs, env[s])
    for k in range(2):
        np.testing.assert_allclose(
            np.broadcast_to(batched[k], env[A].shape),
            f(env[A], env[W], bs[k], env[s])[0],
        )


def test_a_100000_deep_chain_of_in_place_writes():
    v = Symbol("v", shape=("n",))
    c = Symbol("c", shape=(1,))
    z = v
    for i in range(100_000):
        z = tanh(z + c) if i % 2 else z * 0.5 + c
    f = lambdify([v, c], z)
    assert "out=" in f.source
    x0, c0 = np.linspace(-1, 1, 4), np.array([0.1])
    np.testing.assert_allclose(f(x0, c0), evaluate(z, {v: x0, c: c0}), rtol=1e-12)


def test_a_relu_backward_pass_uses_a_boolean_mask_with_evaluates_values():
    # grad of sum(relu(A @ W + b) * G) w.r.t. W: G * heaviside(.) is written as
    # _times_step (a boolean mask) and keeps sign's values: 0 at 0, nan at nan
    G = Symbol("G", shape=("n", 3))
    loss = (relu(A @ W + b) * G).sum()
    args = [A, W, b, G]
    grads = grad(loss, [W, b])
    f = lambdify(args, (loss, *grads))  # the forward activation is shared
    assert "_times_step(" in f.source and "np.sign(" not in f.source
    rng = np.random.default_rng(4)
    env = {A: rng.standard_normal((6, 3)), W: rng.standard_normal((3, 3))}
    env[b] = rng.standard_normal(3)
    env[G] = rng.standard_normal((6, 3))
    env[A][0, 0] = np.nan  # a nan row: nan in every gradient it reaches
    env[A][1] = 0.0
    env[b][2] = 0.0  # (row 1, column 2: relu's argument is exactly 0)
    env[G][2, 1] = np.inf
    with np.errstate(invalid="ignore"):
        got = f(*env.values())
        want = [evaluate(g, env) for g in (loss, *grads)]
    for x, y in zip(got, want, strict=True):
        np.testing.assert_array_equal(np.isnan(x), np.isnan(y))
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12)
    f32 = lambdify(args, (loss, *grads), dtype="float32")
    g32 = f32(*(np.nan_to_num(v, posinf=1.0) for v in env.values()))
    assert all(np.asarray(x).dtype == np.float32 for x in g32)
