"""Tests of numeric.autograd: every registered op against central differences,
the engine's PyTorch-style semantics, the functional helpers and bad input."""

import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import numeric.autograd as ag
from numeric.autograd import (
    GradError,
    Tensor,
    apply,
    arange,
    grad,
    hessian,
    no_grad,
    tensor,
    value_and_grad,
    zero_grad,
)
from numeric.autograd.ops import OPS

# ----------------------------------------------------------------------------------
# Central finite differences, written here so the check does not trust the module.


def central_diff(fun, arrays, i, h=1e-6):
    """d fun / d arrays[i] by central differences (fun maps arrays to a float)."""
    base = [np.array(a, dtype=float) for a in arrays]
    out = np.zeros_like(base[i])
    for idx in np.ndindex(base[i].shape):
        step = h * max(1.0, abs(base[i][idx]))
        plus = [a.copy() for a in base]
        minus = [a.copy() for a in base]
        plus[i][idx] += step
        minus[i][idx] -= step
        out[idx] = (fun(plus) - fun(minus)) / (2 * step)
    return out


# ----------------------------------------------------------------------------------
# One input generator per registered op. Domains keep finite differences valid:
# away from kinks (abs, relu, sign), poles (log, div) and the edges of asin/acos.

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
real = st.floats(-2.0, 2.0, allow_nan=False, allow_subnormal=False)
positive = st.floats(0.2, 3.0)
unit = st.floats(-0.9, 0.9)
away_from_zero = st.tuples(st.floats(0.1, 2.0), st.booleans()).map(
    lambda t: t[0] if t[1] else -t[0]
)
# A grid keeps distinct values at least 0.1 apart, so no extremum is tied.
grid = st.integers(-40, 40).map(lambda k: k / 10)


def arrays_of(elements, shape=shapes, unique=False):
    return hnp.arrays(np.float64, shape, elements=elements, unique=unique)


def unary(elements):
    return arrays_of(elements).map(lambda a: ([a], ()))


@st.composite
def binary(draw, left=real, right=real):
    sa, sb = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3)
    ).input_shapes
    return [draw(arrays_of(left, sa)), draw(arrays_of(right, sb))], ()


@st.composite
def extremum_pair(draw):
    (a, b), _ = draw(binary(grid, grid))
    # Ties are fine for max(a, b) (the 1/2 split equals the central difference),
    # but a gap smaller than the step would straddle the kink.
    assume(np.all((a - b == 0) | (np.abs(a - b) > 0.05)))
    return [a, b], ()


@st.composite
def axis_for(draw, nd):
    if nd == 0:
        return None
    return draw(
        st.one_of(
            st.none(),
            st.integers(-nd, nd - 1),
            st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True).map(
                tuple
            ),
        )
    )


@st.composite
def reduction(draw, elements=real, unique=False):
    x = draw(arrays_of(elements, unique=unique))
    return [x], (draw(axis_for(x.ndim)), draw(st.booleans()))


@st.composite
def pnorm_case(draw):
    [x], (axis, keepdims) = draw(reduction(away_from_zero))
    return [x], (axis, keepdims, draw(st.sampled_from([1.5, 3.0, 0.5])))


@st.composite
def cumsum_case(draw):
    x = draw(arrays_of(real, hnp.array_shapes(min_dims=1, max_dims=3, max_side=3)))
    return [x], (draw(st.integers(0, x.ndim - 1)),)


def _well_conditioned(draw, batch):
    # Diagonally dominant: invertible and far from singular, so central
    # differences and the inverse-based rules are both accurate.
    n = draw(st.integers(1, 3))
    m = draw(arrays_of(st.floats(-1.0, 1.0), (*batch, n, n)))
    sign = draw(st.sampled_from([1.0, -1.0]))
    return m + sign * (n + 1.0) * np.eye(n)


@st.composite
def square_case(draw):
    batch = draw(st.sampled_from([(), (2,)]))
    return [_well_conditioned(draw, batch)], ()


@st.composite
def solve_case(draw):
    a = _well_conditioned(draw, ())
    n = a.shape[0]
    b_shape = draw(st.sampled_from([(n,), (n, 1), (n, 2)]))
    return [a, draw(arrays_of(real, b_shape))], ()


@st.composite
def where_case(draw):
    (a, b), _ = draw(binary())
    shape = np.broadcast_shapes(a.shape, b.shape)
    cond = draw(hnp.arrays(np.bool_, shape))
    return [a, b], (cond,)


@st.composite
def reshape_case(draw):
    x = draw(arrays_of(real))
    n = x.size
    target = draw(
        st.sampled_from(
            [(n,), x.shape[::-1], (1,) + x.shape, x.shape + (1,)]
            + ([()] if n == 1 else [])
        )
    )
    return [x], (target,)


@st.composite
def transpose_case(draw):
    x = draw(arrays_of(real))
    return [x], (tuple(draw(st.permutations(range(x.ndim)))),)


@st.composite
def broadcast_case(draw):
    x = draw(arrays_of(real, hnp.array_shapes(min_dims=0, max_dims=2, max_side=2)))
    target = (2,) + tuple(3 if n == 1 else n for n in x.shape)
    return [x], (target,)


@st.composite
def matmul_case(draw):
    n, k, m, b = (draw(st.integers(1, 3)) for _ in range(4))
    sa, sb = draw(
        st.sampled_from(
            [
                ((k,), (k,)),
                ((n, k), (k,)),
                ((k,), (k, m)),
                ((n, k), (k, m)),
                ((b, n, k), (k, m)),
                ((b, n, k), (b, k, m)),
                ((k,), (b, k, m)),
                ((b, n, k), (k,)),
                ((b, 1, n, k), (2, k, m)),
            ]
        )
    )
    return [draw(arrays_of(real, sa)), draw(arrays_of(real, sb))], ()


BASIC_INDICES = [
    (0,),
    (slice(1, None),),
    (Ellipsis, 1),
    (slice(None), None, slice(0, 4, 2)),
    (-1, slice(None, None, -1)),
    (1, 2),
]
ADVANCED_INDICES = [
    (np.array([0, 2, 2, 1]),),
    (np.array([0, 1, 1]), np.array([3, 0, 3])),
    (np.array([[True, False, True, False]] * 3),),
    (slice(None), np.array([1, 1, 0])),
]


@st.composite
def index_case(draw, indices):
    x = draw(arrays_of(real, (3, 4)))
    return [x], (draw(st.sampled_from(indices)),)


@st.composite
def scatter_case(draw):
    idx = draw(st.sampled_from(BASIC_INDICES + ADVANCED_INDICES))
    gshape = np.zeros((3, 4))[idx].shape
    return [draw(arrays_of(real, gshape))], (idx, (3, 4))


CASES = {
    "neg": unary(real),
    "sin": unary(real),
    "cos": unary(real),
    "tan": unary(st.floats(-1.2, 1.2)),
    "asin": unary(unit),
    "acos": unary(unit),
    "atan": unary(real),
    "sinh": unary(real),
    "cosh": unary(real),
    "tanh": unary(real),
    "exp": unary(real),
    "log": unary(positive),
    "log1p": unary(st.floats(-0.8, 3.0)),
    "expm1": unary(real),
    "sqrt": unary(positive),
    "abs": unary(away_from_zero),
    "sign": unary(away_from_zero),
    "heaviside": unary(away_from_zero),
    "sigmoid": unary(st.floats(-6.0, 6.0)),
    "relu": unary(away_from_zero),
    "softplus": unary(st.floats(-6.0, 6.0)),
    "erf": unary(real),
    "add": binary(),
    "sub": binary(),
    "mul": binary(),
    "div": binary(real, away_from_zero),
    "pow": binary(positive, real),
    "maximum": extremum_pair(),
    "minimum": extremum_pair(),
    "where": where_case(),
    "sum": reduction(),
    "mean": reduction(),
    "max": reduction(grid, unique=True),
    "min": reduction(grid, unique=True),
    "norm": reduction(away_from_zero),
    "pnorm": pnorm_case(),
    "cumsum": cumsum_case(),
    "inv": square_case(),
    "det": square_case(),
    "logabsdet": square_case(),
    "solve": solve_case(),
    "reshape": reshape_case(),
    "transpose": transpose_case(),
    "broadcast_to": broadcast_case(),
    "matmul": matmul_case(),
    "getitem": index_case(BASIC_INDICES),
    "index": index_case(ADVANCED_INDICES),
    "scatter_add": scatter_case(),
}


def test_every_registered_op_has_a_test_case():
    # A new op in the registry fails here until it gets an input generator.
    assert set(CASES) == set(OPS)


def _loss_fn(name, attrs, weights):
    # The registry's numpy forward (checked against the Tensor path in the test)
    # keeps the many evaluations of central differences cheap.
    forward = OPS[name].forward

    def loss(arrays):
        return float(np.sum(np.asarray(forward(*arrays, *attrs)) * weights))

    return loss


# The two registry-walking tests run once per op (about 40 ops), so each op gets a
# few dozen examples rather than the profile's full count, keeping the file fast.
per_op = settings(max_examples=min(settings.default.max_examples, 30))


def _weights(seed, shape):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape)


@pytest.mark.parametrize("name", sorted(OPS))
@per_op
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_vjp_matches_central_differences(name, data, seed):
    arrays, attrs = data.draw(CASES[name])
    leaves = [tensor(a, requires_grad=True) for a in arrays]
    out = apply(name, *leaves, *attrs)
    with no_grad():
        expected_out = OPS[name].forward(*arrays, *attrs)
    # the same formula; on 0-d inputs one side may run numpy's scalar math and the
    # other its array loop, which for pow differ in the last bit (x = 1.7493...,
    # y = -1.8218... in a CI run)
    np.testing.assert_allclose(
        np.asarray(out.data), np.asarray(expected_out), rtol=2 * np.finfo(float).eps
    )
    w = _weights(seed, out.shape)
    (out * w).sum().backward()
    loss = _loss_fn(name, attrs, w)
    for i, leaf in enumerate(leaves):
        assert leaf.grad.shape == arrays[i].shape
        np.testing.assert_allclose(
            np.asarray(leaf.grad.data),
            central_diff(loss, arrays, i),
            rtol=1e-5,
            atol=1e-6,
            err_msg=f"{name}: input {i}",
        )


@pytest.mark.parametrize("name", sorted(OPS))
@per_op
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_create_graph_gives_correct_hessian_vector_products(name, data, seed):
    # The VJP rules run again on Tensors under create_graph; differentiating the
    # recorded gradient must give H v, checked against central differences of the
    # (plain) gradient along v.
    arrays, attrs = data.draw(CASES[name])
    if name in ("maximum", "minimum"):
        # The gradient jumps at a tie, so differences of it are meaningless there.
        assume(np.all(arrays[0] != arrays[1]))
    n = len(arrays)
    with no_grad():
        out_shape = np.shape(OPS[name].forward(*arrays, *attrs))
    w = _weights(seed, out_shape)
    rng = np.random.default_rng(seed + 1)
    vs = [rng.uniform(-1.0, 1.0, size=a.shape) for a in arrays]

    def f(*xs):
        return (apply(name, *xs, *attrs) * w).sum()

    grads = grad(f, argnums=tuple(range(n)))

    def directional(*xs):
        gs = grads(*xs)
        total = 0.0
        for g, v in zip(gs, vs, strict=True):
            total = total + (g * v).sum()
        return total

    plain = grads(*arrays)
    hv = grad(directional, argnums=tuple(range(n)))(*arrays)

    def moved(t):
        return grads(*[a + t * v for a, v in zip(arrays, vs, strict=True)])

    h = 1e-5
    up, down = moved(h), moved(-h)
    leaves = [tensor(a, requires_grad=True) for a in arrays]
    recorded = grads(*leaves)
    for i in range(n):
        fd = (np.asarray(up[i]) - np.asarray(down[i])) / (2 * h)
        np.testing.assert_allclose(
            np.asarray(hv[i]), fd, rtol=1e-4, atol=1e-5, err_msg=f"{name}: input {i}"
        )
        # The recorded (Tensor) gradient agrees with the plain one.
        assert isinstance(recorded[i], Tensor)
        np.testing.assert_allclose(
            np.asarray(recorded[i].data), plain[i], rtol=1e-12, atol=1e-12
        )


SYMBOLIC_ELEMENTWISE = (
    "sin cos tan asin acos atan sinh cosh tanh exp log log1p expm1 sqrt abs sign "
    "heaviside sigmoid relu softplus erf maximum minimum add sub mul div pow neg"
).split()


@pytest.mark.parametrize("name", SYMBOLIC_ELEMENTWISE)
def test_every_symbolic_elementwise_op_has_a_function_of_that_name(name):
    # An interpreter maps op names to these functions by name.
    fn = getattr(ag, name)
    assert name in ag.__all__
    assert name in OPS
    args = [tensor([0.3, 0.6], requires_grad=True) for _ in range(OPS[name].nin)]
    out = fn(*args)
    np.testing.assert_array_equal(
        np.asarray(out.data), OPS[name].forward(*[a.data for a in args])
    )
    assert out.grad_fn.name == name


# ----------------------------------------------------------------------------------
# Broadcasting: gradients come back in each input's shape.


@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_broadcast_gradients_are_summed_back_to_input_shapes(shapes, seed):
    sa, sb = shapes.input_shapes
    rng = np.random.default_rng(seed)
    a_np, b_np = rng.normal(size=sa), rng.normal(size=sb)
    a = tensor(a_np, requires_grad=True)
    b = tensor(b_np, requires_grad=True)
    (a * b).sum().backward()
    full = shapes.result_shape
    # d/da sum(a * b) = b broadcast to the full shape, then summed over the axes
    # along which a was broadcast.
    np.testing.assert_allclose(
        np.asarray(a.grad.data),
        _sum_to(np.broadcast_to(b_np, full), sa),
    )
    np.testing.assert_allclose(
        np.asarray(b.grad.data),
        _sum_to(np.broadcast_to(a_np, full), sb),
    )


def _sum_to(x, shape):
    lead = x.ndim - len(shape)
    x = x.sum(axis=tuple(range(lead)))
    return x.sum(
        axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True
    ).reshape(shape)


# ----------------------------------------------------------------------------------
# Engine semantics (PyTorch's).


@given(x0=st.floats(-3, 3), k=st.integers(1, 4))
def test_gradients_accumulate_across_backward_calls(x0, k):
    x = tensor(x0, requires_grad=True)
    for _ in range(k):
        (x * x * x).backward()
    assert x.grad.item() == pytest.approx(k * 3 * x0 * x0, rel=1e-12, abs=1e-12)


def test_retain_graph_twice_gives_64_at_2():
    x = tensor(2.0, requires_grad=True)
    z = (x**2) ** 2
    z.backward(retain_graph=True)
    assert x.grad.item() == 32.0
    z.backward(retain_graph=True)
    assert x.grad.item() == 64.0


@given(x0=st.floats(-3, 3))
def test_retain_graph_accumulates_the_same_gradient(x0):
    x = tensor(x0, requires_grad=True)
    z = (x**2) ** 2
    z.backward(retain_graph=True)
    z.backward()
    assert x.grad.item() == pytest.approx(2 * 4 * x0**3, rel=1e-12, abs=1e-12)


def test_second_backward_through_a_freed_graph_raises():
    x = tensor(2.0, requires_grad=True)
    z = (x**2) ** 2
    z.backward()
    with pytest.raises(GradError, match="second time.*retain_graph=True"):
        z.backward()
    # retain_graph on the first call keeps it usable, and the last call frees it.
    z = (x**2) ** 2
    z.backward(retain_graph=True)
    z.backward()
    with pytest.raises(GradError):
        z.backward()


def test_freed_shared_subgraph_raises_like_pytorch():
    x = tensor(2.0, requires_grad=True)
    y = x * x
    (y * 3).backward()
    with pytest.raises(GradError, match="'mul'"):
        (y * 4).backward()


def test_graphs_without_saved_values_can_run_twice():
    # As in PyTorch: sum/add/reshape keep only shapes, so nothing is freed.
    x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x + 2).reshape(3, 1).sum()
    y.backward()
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0, 2.0])


def test_non_scalar_backward_needs_a_gradient():
    x = tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    with pytest.raises(ValueError, match="scalar outputs.*shape \\(2,\\)"):
        y.backward()
    with pytest.raises(GradError):  # also a RuntimeError, as in PyTorch
        y.backward()
    with pytest.raises(ValueError, match="gradient has shape \\(3,\\)"):
        y.backward(np.ones(3))
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad.data, [2.0, 40.0])


def test_one_element_non_scalar_gets_implicit_gradient():
    x = tensor([3.0], requires_grad=True)
    (x * x).backward()
    np.testing.assert_array_equal(x.grad.data, [6.0])


def test_backward_without_history_raises():
    with pytest.raises(GradError, match="does not require grad"):
        tensor(1.0).backward()
    x = tensor(1.0, requires_grad=True)
    with no_grad():
        y = x * 2
    with pytest.raises(GradError):
        y.backward()


def test_backward_on_a_leaf_accumulates_the_seed():
    x = tensor([1.0, 2.0], requires_grad=True)
    seed = np.array([5.0, 6.0])
    x.backward(seed)
    seed[0] = 100.0  # the caller's array must not be aliased
    np.testing.assert_array_equal(x.grad.data, [5.0, 6.0])


def test_grad_tensor_is_updated_in_place_and_zero_resets_it():
    x = tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    g = x.grad
    (x * x).sum().backward()
    assert x.grad is g
    np.testing.assert_array_equal(g.data, [4.0, 8.0])
    x.grad.zero_()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])
    x.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


def test_leaves_do_not_share_gradient_arrays():
    a = tensor([1.0, 2.0], requires_grad=True)
    b = tensor([3.0, 4.0], requires_grad=True)
    c = tensor([5.0, 6.0], requires_grad=True)
    (a + b + c.reshape(2, 1).reshape(2)).sum().backward()
    a.grad.data[0] = 99.0
    np.testing.assert_array_equal(b.grad.data, [1.0, 1.0])
    np.testing.assert_array_equal(c.grad.data, [1.0, 1.0])
    c.grad.data[1] = 7.0  # writable even though reshape gave a view


def test_zero_grad():
    w = tensor([1.0, 2.0], requires_grad=True)
    b = tensor(0.5, requires_grad=True)
    (w * b).sum().backward()
    zero_grad([w, b], set_to_none=False)
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])
    assert b.grad.item() == 0.0
    zero_grad([w, b])
    assert w.grad is None and b.grad is None
    with pytest.raises(TypeError, match=r"params\[0\]"):
        zero_grad([np.ones(2)])


def test_no_grad_records_nothing_and_restores_state():
    x = tensor(2.0, requires_grad=True)
    with no_grad():
        y = x * x
        assert not ag.is_grad_enabled()
        with ag.enable_grad():
            z = x * x
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf and y.grad_fn is None
    assert z.requires_grad and not z.is_leaf

    @no_grad()
    def f(t):
        return t * 3

    assert not f(x).requires_grad
    assert ag.is_grad_enabled()


def test_no_grad_restores_state_after_an_exception():
    with pytest.raises(KeyError), no_grad():
        raise KeyError("boom")
    assert ag.is_grad_enabled()


def test_detach_shares_data_and_cuts_the_graph():
    x = tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    u = y.detach()
    assert u.data is y.data
    assert not u.requires_grad and u.is_leaf
    (u * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, u.data)


def test_requires_grad_rules():
    with pytest.raises(TypeError, match="floating-point"):
        tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError, match="floating-point"):
        tensor([1, 2]).requires_grad_()
    x = tensor([1.0], requires_grad=True)
    y = x * 2
    with pytest.raises(GradError, match="leaf"):
        y.requires_grad_(False)
    x.requires_grad = False
    assert not (x * 2).requires_grad


def test_in_place_updates_follow_no_grad():
    w = tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with pytest.raises(GradError, match="no_grad"):
        w -= 0.1 * w.grad
    before = w
    data = w.data
    with no_grad():
        w -= 0.5 * w.grad
    assert w is before and w.data is data  # updated in place
    np.testing.assert_array_equal(w.data, [0.0, 0.0])
    s = tensor(3.0)
    s += 1
    assert s.item() == 4.0


def test_float32_gradients_stay_float32():
    x = tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    (x * 2.0 + x.exp()).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.data, 2 + np.exp([1.0, 2.0]), rtol=1e-6)


def test_comparisons_and_truth_values():
    x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    m = x > 1.5
    assert m.dtype == np.bool_ and not m.requires_grad
    np.testing.assert_array_equal(m.data, [False, True, True])
    assert bool(x.sum() > 5) and not bool(x.sum() < 5)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(x > 0)
    assert float(x[1]) == 2.0 and int(x[2]) == 3 and len(x) == 3
    assert [t.item() for t in x] == [1.0, 2.0, 3.0]


def test_numpy_arrays_on_the_left_defer_to_tensor():
    x = tensor([1.0, 2.0], requires_grad=True)
    for y in (np.array([3.0, 4.0]) * x, np.float64(2.0) - x, np.eye(2) @ x):
        assert isinstance(y, Tensor) and y.requires_grad


def test_python_control_flow_is_differentiated():
    # A value-dependent loop: d/dx of x * 2^k is 2^k, whatever k the loop picks.
    def f(x):
        y = x
        while y.abs().item() < 100:
            y = y * 2
        return y

    for x0, k in ((1.0, 7), (-3.0, 6), (50.0, 1)):
        x = tensor(x0, requires_grad=True)
        f(x).backward()
        assert x.grad.item() == 2.0**k


def test_repr_and_introspection():
    x = tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    y = x * 2
    assert repr(y) == "tensor([2., 4.], grad_fn=<mul>)"
    assert y.grad_fn.name == "mul" and y.grad_fn.inputs == (x, None)
    assert repr(tensor(np.float32(1.5))) == "tensor(1.5, dtype=float32)"
    assert x.numpy() is not None and x.tolist() == [1.0, 2.0]
    assert x.numel() == 2 and x.ndim == 1 and x.shape == (2,)


def test_shape_methods_agree_with_numpy():
    a = np.arange(24.0).reshape(2, 3, 4)
    x = tensor(a)
    np.testing.assert_array_equal(x.T.data, a.T)
    np.testing.assert_array_equal(x.transpose(1, 0, 2).data, a.transpose(1, 0, 2))
    np.testing.assert_array_equal(x.reshape(4, -1).data, a.reshape(4, -1))
    np.testing.assert_array_equal(x.reshape((24,)).data, a.reshape(24))
    np.testing.assert_array_equal(x.sum(axis=(0, 2)).data, a.sum(axis=(0, 2)))
    np.testing.assert_array_equal(
        x.max(axis=-1, keepdims=True).data, a.max(axis=-1, keepdims=True)
    )
    np.testing.assert_array_equal(x[1, :, ::2].data, a[1, :, ::2])
    np.testing.assert_array_equal(ag.zeros(2, 3).data, np.zeros((2, 3)))
    np.testing.assert_array_equal(ag.ones((2,)).data, np.ones(2))
    np.testing.assert_array_equal(arange(1, 7, 2).data, np.arange(1, 7, 2))


def test_duplicate_advanced_index_accumulates():
    x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 0.0, 1.0])
    y = tensor([1.0, 2.0, 3.0], requires_grad=True)
    y[tensor([True, False, True])].sum().backward()
    np.testing.assert_array_equal(y.grad.data, [1.0, 0.0, 1.0])


@pytest.mark.parametrize(
    "fn, x0",
    [(ag.relu, 0.0), (ag.abs, 0.0), (lambda t: ag.norm(t), [0.0, 0.0])],
)
def test_kinks_use_the_zero_subgradient(fn, x0):
    x = tensor(x0, requires_grad=True)
    fn(x).sum().backward()
    assert np.all(np.asarray(x.grad.data) == 0.0)


def test_ties_share_the_gradient():
    a = tensor([1.0, 2.0], requires_grad=True)
    b = tensor([1.0, 0.0], requires_grad=True)
    ag.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [0.5, 1.0])
    np.testing.assert_array_equal(b.grad.data, [0.5, 0.0])
    x = tensor([3.0, 1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad.data, [1 / 3, 0.0, 1 / 3, 1 / 3])


def test_pow_edge_cases():
    x = tensor([0.0, 2.0], requires_grad=True)
    (x**0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])
    a = tensor([-2.0, 0.0, 2.0], requires_grad=True)
    b = tensor(2.0, requires_grad=True)
    (a**b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [-4.0, 0.0, 4.0])
    # d/db a**b: no derivative for a < 0 (nan), 0 at a == 0, a^b log a for a > 0.
    assert math.isnan(b.grad.item()) is True
    c = tensor(2.0, requires_grad=True)
    (tensor([0.0, 2.0]) ** c).sum().backward()
    assert c.grad.item() == pytest.approx(4 * math.log(2.0))
    # A tensor exponent of 0 at base 0: the gradient is 0, not 0 * inf.
    base = tensor([0.0, 3.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the masked 0 * inf does not warn
        (base ** tensor([0.0, 2.0])).sum().backward()
    np.testing.assert_array_equal(base.grad.data, [0.0, 6.0])


def test_create_graph_leaves_get_separate_grad_tensors():
    a = tensor([1.0, 2.0], requires_grad=True)
    b = tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward(create_graph=True)
    assert a.grad is not b.grad
    a.grad.zero_()
    np.testing.assert_array_equal(b.grad.data, [1.0, 1.0])


# ----------------------------------------------------------------------------------
# Deep graphs: nothing recurses.


def test_100000_op_chain_backward():
    n = 100_000
    x = tensor(0.5, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.00001
    y.backward()
    assert x.grad.item() == pytest.approx(1.00001**n, rel=1e-9)
    del y  # tearing down the chain must not recurse either


def test_100000_op_chain_with_create_graph():
    n = 100_000
    x = tensor(0.5, requires_grad=True)
    y = x
    for _ in range(n // 2):
        y = y * x
        y = y * 0.5
    # y = x^(n/2 + 1) 0.5^(n/2); its second derivative via the recorded gradient.
    y.backward(create_graph=True)
    dx = x.grad
    assert dx.requires_grad
    x.grad = None
    dx.backward()
    p = n // 2 + 1
    expected = p * (p - 1) * 0.5 ** (p - 2) * 0.5 ** (n // 2)
    assert x.grad.item() == pytest.approx(expected, rel=1e-9)


def test_wide_diamond_graph():
    # Many paths into one node: each contribution must be added exactly once.
    x = tensor(1.5, requires_grad=True)
    y = x * 1.0
    total = tensor(0.0)
    for _ in range(2000):
        total = total + y * y
    total.backward()
    assert x.grad.item() == pytest.approx(2000 * 2 * 1.5)


# ----------------------------------------------------------------------------------
# Functional helpers and higher derivatives.


@given(x0=st.floats(-2, 2), y0=st.floats(0.5, 2))
def test_grad_and_value_and_grad(x0, y0):
    def f(x, y):
        return ag.sin(x) * ag.log(y) + x**2 / y

    v, (gx, gy) = value_and_grad(f, argnums=(0, 1))(x0, y0)
    assert float(v) == pytest.approx(math.sin(x0) * math.log(y0) + x0**2 / y0)
    assert isinstance(gx, np.floating)
    fun = lambda arrs: float(f(*[tensor(a) for a in arrs]).data)  # noqa: E731
    assert float(gx) == pytest.approx(central_diff(fun, [x0, y0], 0), abs=1e-6)
    assert float(gy) == pytest.approx(central_diff(fun, [x0, y0], 1), abs=1e-6)
    assert float(grad(f, argnums=1)(x0, y0)) == pytest.approx(float(gy), rel=1e-12)


@given(x0=st.floats(-2, 2))
def test_nested_grad_third_derivative(x0):
    d3 = grad(grad(grad(lambda x: ag.sin(x) * x)))(x0)
    # (x sin x)''' = -3 sin x - x cos x
    assert float(d3) == pytest.approx(-3 * math.sin(x0) - x0 * math.cos(x0), abs=1e-12)


@given(x0=st.floats(-2, 2), c=st.floats(-2, 2))
def test_nested_grad_through_a_closure(x0, c):
    # d/dx [x * d/dy (x * y)] = d/dx x^2 = 2x: the inner gradient must stay
    # connected to x (a classic perturbation-confusion trap).
    def outer(x):
        return x * grad(lambda y: x * y)(c)

    assert float(grad(outer)(x0)) == pytest.approx(2 * x0, abs=1e-12)


def test_grad_returns_tensors_for_tensor_arguments_and_zeros_for_constants():
    g = grad(lambda x: (x * x).sum())(tensor([1.0, 2.0]))
    assert isinstance(g, Tensor) and not g.requires_grad
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    z = grad(lambda x: 3.0)(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(z, [0.0, 0.0])
    assert grad(lambda x: x)(2) == 1.0  # ints are promoted to float


def test_grad_does_not_touch_leaf_grads():
    w = tensor(3.0, requires_grad=True)
    g = grad(lambda x: x * w)(2.0)
    assert float(g) == 3.0
    assert w.grad is None


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4))
def test_hessian_of_quadratic_form(seed, n):
    A = np.random.default_rng(seed).normal(size=(n, n))
    x0 = np.random.default_rng(seed + 1).normal(size=n)
    H = hessian(lambda x: x @ tensor(A) @ x)(x0)
    np.testing.assert_allclose(H, A + A.T, rtol=1e-12, atol=1e-12)


@given(x=hnp.arrays(np.float64, (3,), elements=real))
def test_hessian_matches_differences_of_the_gradient(x):
    def f(v):
        return (ag.sin(v) * v[0]).sum() + ag.exp(v[1] * v[2])

    H = hessian(f)(x)
    g = grad(f)
    fd = np.stack([(g(x + 1e-5 * e) - g(x - 1e-5 * e)) / 2e-5 for e in np.eye(3)])
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-12)
    assert hessian(lambda v: (v * 2.0).sum())(x).tolist() == np.zeros((3, 3)).tolist()
    assert isinstance(hessian(f)(tensor(x)), Tensor)


def test_backward_create_graph_gives_differentiable_grads():
    x = tensor(1.5, requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    dx = x.grad
    assert dx.item() == pytest.approx(3 * 1.5**2)
    assert dx.requires_grad
    x.grad = None
    dx.backward()
    assert x.grad.item() == pytest.approx(6 * 1.5)


# ----------------------------------------------------------------------------------
# Bad input gets a clear error.


@pytest.mark.parametrize(
    "call, exc, pattern",
    [
        (lambda: tensor("abc"), TypeError, "data must be numeric"),
        (lambda: tensor(object()), TypeError, "data"),
        (lambda: tensor([1 + 2j]), TypeError, "complex"),
        (lambda: arange(4.0).reshape(3, 2), ValueError, r"shape \(4,\).*\(3, 2\)"),
        (lambda: arange(4.0).sum(axis=1), ValueError, "axis 1 is out of range"),
        (lambda: arange(4.0).sum(axis=1.5), TypeError, "axis must be"),
        (lambda: ag.zeros(2, 3) @ ag.zeros(2), ValueError, "inner dimensions"),
        (lambda: ag.matmul(tensor(1.0), ag.zeros(2)), ValueError, "at least 1"),
        (lambda: ag.dot(ag.zeros(2, 2), ag.zeros(2)), ValueError, "1-d"),
        (lambda: ag.where(ag.ones(2), 1.0, 2.0), TypeError, "boolean"),
        (lambda: arange(3.0) + "a", TypeError, "unsupported operand"),
        (lambda: ag.add(arange(3.0), object()), TypeError, "b must be a Tensor"),
        (lambda: ag.sin("x"), TypeError, "sin: x must be"),
        (lambda: apply("nope", 1.0), ValueError, "unknown op name 'nope'"),
        (lambda: apply("mul", 1.0), TypeError, "takes 2 input"),
        (lambda: grad(3), TypeError, "callable"),
        (lambda: grad(lambda x: x, argnums=2)(1.0), ValueError, "argnums 2"),
        (lambda: grad(lambda x: x, argnums=(0, -1))(1.0), ValueError, "twice"),
        (lambda: grad(lambda x: x * 1.0)([1.0, 2.0]), ValueError, "scalar"),
        (lambda: hessian(lambda x: x, argnums=(0,)), TypeError, "argnums"),
        (lambda: ag.norm(ag.ones(2), p=-1), ValueError, "p must be"),
        (lambda: ag.zeros(2, 3).transpose(0, 0), ValueError, "permutation"),
        (lambda: ag.broadcast_to(ag.zeros(2), (3,)), ValueError, "broadcast"),
        (lambda: ag.zeros(-1), ValueError, "non-negative"),
        (lambda: ag.max(ag.zeros(0)), ValueError, "empty"),
        (lambda: arange(4.0, step=0), ValueError, "step"),
        (lambda: tensor([1.0, 2.0]).item(), ValueError, "one-element"),
        (lambda: len(tensor(1.0)), TypeError, "0-d"),
        (
            lambda: tensor([1.0], requires_grad=True).backward("x"),
            TypeError,
            "gradient must be numeric",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()
