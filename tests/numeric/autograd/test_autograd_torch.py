"""numeric.autograd against PyTorch, where users rely on PyTorch's semantics.

Skipped when torch is not installed (``pip install torch`` for the CPU build).
"""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import numeric.autograd as ag
from numeric.autograd import GradError, tensor

torch = pytest.importorskip("torch")


def T(a, requires_grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def const(m, a):
    """A constant (no gradient) in library ``m``."""
    return tensor(np.asarray(a, dtype=np.float64)) if m is ag else T(a)


def as_np(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.data)


def test_accumulation_and_zeroing_match_torch():
    x0 = np.array([0.5, -1.0, 2.0])
    ours = tensor(x0, requires_grad=True)
    theirs = T(x0, requires_grad=True)
    steps = [
        lambda m, x: (x * x).sum(),
        lambda m, x: m.sin(x).sum(),
        None,  # zero the gradient in place
        lambda m, x: (x**3).mean(),
    ]
    for step in steps:
        if step is None:
            ours.grad.zero_()
            theirs.grad.zero_()
            continue
        step(ag, ours).backward()
        step(torch, theirs).backward()
        np.testing.assert_allclose(as_np(ours.grad), as_np(theirs.grad), rtol=1e-14)


def test_retain_graph_matches_torch():
    results = []
    for make in (
        lambda v: tensor(v, requires_grad=True),
        lambda v: T(v, requires_grad=True),
    ):
        x = make(2.0)
        z = (x**2) ** 2
        z.backward(retain_graph=True)
        z.backward(retain_graph=True)
        results.append(float(as_np(x.grad)))
    assert results[0] == results[1] == 64.0


# Which graphs may be run backward twice without retain_graph: PyTorch frees the
# values saved by an op, so only ops that saved nothing can run again.
FREED_CASES = {
    "sum": lambda m, x: x.sum(),
    "add": lambda m, x: (x + 2).sum(),
    "sub": lambda m, x: (1 - x).sum(),
    "neg": lambda m, x: (-x).sum(),
    "mean": lambda m, x: x.mean(),
    "reshape": lambda m, x: x.reshape(6).sum(),
    "transpose": lambda m, x: x.T.sum(),
    "basic index": lambda m, x: x[0].sum(),
    "advanced index": lambda m, x: x[[0, 1, 1]].sum(),
    "mul const": lambda m, x: (x * 2).sum(),
    "mul": lambda m, x: (x * x).sum(),
    "div": lambda m, x: (x / 2).sum(),
    "pow": lambda m, x: (x**2).sum(),
    "exp": lambda m, x: m.exp(x).sum(),
    "log": lambda m, x: m.log(x).sum(),
    "tanh": lambda m, x: m.tanh(x).sum(),
    "sigmoid": lambda m, x: m.sigmoid(x).sum(),
    "relu": lambda m, x: m.relu(x).sum(),
    "abs": lambda m, x: m.abs(x).sum(),
    "sqrt": lambda m, x: m.sqrt(x).sum(),
    "matmul": lambda m, x: (x @ const(m, np.ones(3))).sum(),
    "max": lambda m, x: x.max(),
    "norm": lambda m, x: x.norm(),
    "maximum": lambda m, x: m.maximum(x, const(m, [1.5, 1.5, 1.5])).sum(),
    "where": lambda m, x: m.where(x > 1, x, 0.0 * x).sum(),
}


@pytest.mark.parametrize("name", sorted(FREED_CASES))
def test_second_backward_without_retain_graph_matches_torch(name):
    fn = FREED_CASES[name]
    x0 = np.arange(1.0, 7.0).reshape(2, 3) / 3

    def second_backward_fails(m, x):
        y = fn(m, x)
        y.backward()
        try:
            y.backward()
        except RuntimeError:
            return True, None
        return False, as_np(x.grad)

    ours = second_backward_fails(ag, tensor(x0, requires_grad=True))
    theirs = second_backward_fails(torch, T(x0, requires_grad=True))
    assert ours[0] == theirs[0]
    if not ours[0]:
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-14)


def test_errors_raised_in_the_same_situations_as_torch():
    for m, make in (
        (ag, lambda v: tensor(v, requires_grad=True)),
        (torch, lambda v: T(v, requires_grad=True)),
    ):
        x = make([1.0, 2.0])
        with pytest.raises(RuntimeError):  # non-scalar, no gradient given
            (x * x).backward()
        with pytest.raises(RuntimeError):  # gradient of the wrong shape
            (x * x).backward(const(m, np.ones(3)))
        with pytest.raises(RuntimeError):  # nothing requires grad
            (x.detach() * 2).sum().backward()
        y = x * x
        (y * 3).sum().backward()
        with pytest.raises(RuntimeError):  # a shared, already freed subgraph
            (y * 4).sum().backward()
        one = make([3.0])
        (one * one).backward()  # one element: the gradient is implicit
        assert float(as_np(one.grad)[0]) == 6.0
    with pytest.raises(GradError):
        (tensor([1.0], requires_grad=True) * 2).backward(np.ones(2))


def test_grad_object_identity_matches_torch():
    for make in (
        lambda v: tensor(v, requires_grad=True),
        lambda v: T(v, requires_grad=True),
    ):
        x = make([1.0, 2.0])
        (x * x).sum().backward()
        g = x.grad
        (x * x).sum().backward()
        assert x.grad is g
        np.testing.assert_array_equal(as_np(g), [4.0, 8.0])


def test_detach_matches_torch():
    outs = []
    for make in (
        lambda v: tensor(v, requires_grad=True),
        lambda v: T(v, requires_grad=True),
    ):
        x = make(np.arange(4.0))
        y = x * x
        u = y.detach()
        (u * x).sum().backward()
        first = as_np(x.grad).copy()
        x.grad.zero_()
        y.sum().backward()
        outs.append((first, as_np(x.grad)))
    for a, b in zip(outs[0], outs[1], strict=True):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------------------
# Random programs: the same ops applied in both libraries give the same gradients.

UNARY = {
    "sin": lambda m, x: m.sin(x),
    "cos": lambda m, x: m.cos(x),
    "tanh": lambda m, x: m.tanh(x),
    "exp_tanh": lambda m, x: m.exp(m.tanh(x)),
    "sigmoid": lambda m, x: m.sigmoid(x),
    "relu": lambda m, x: m.relu(x),
    "abs": lambda m, x: m.abs(x),
    "softplus": lambda m, x: (
        m.softplus(x) if m is ag else torch.nn.functional.softplus(x)
    ),
    "erf": lambda m, x: m.erf(x),
    "atan": lambda m, x: m.atan(x),
    "log_sq": lambda m, x: m.log(x * x + 1),
    "sqrt_sq": lambda m, x: m.sqrt(x * x + 0.5),
    "asin_tanh": lambda m, x: m.asin(0.9 * m.tanh(x)),
    "log1p_sq": lambda m, x: m.log1p(x * x),
    "expm1_tanh": lambda m, x: m.expm1(m.tanh(x)),
    "sign_mul": lambda m, x: m.sign(x) * x,
    "neg": lambda m, x: -x,
}
BINARY = {
    "add": lambda m, x, b: x + b,
    "rsub": lambda m, x, b: b - x,
    "mul": lambda m, x, b: x * b,
    "div": lambda m, x, b: x / (b * b + 1),
    "rdiv": lambda m, x, b: b / (x * x + 1),
    "maximum": lambda m, x, b: m.maximum(x, b),
    "minimum": lambda m, x, b: m.minimum(x, b),
    "pow": lambda m, x, b: (x * x + 0.5) ** m.tanh(b),
    "pow_const": lambda m, x, b: x**3 - 2 * x**2,
    "where": lambda m, x, b: m.where(x > b, x * b, x - b),
}


def _reduce(m, x, kind, axis):
    if kind == "sum":
        return x.sum(axis, keepdims=True) if m is ag else x.sum(axis, keepdim=True)
    if kind == "mean":
        return x.mean(axis, keepdims=True) if m is ag else x.mean(axis, keepdim=True)
    if kind == "max":
        return x.max(axis, keepdims=True) if m is ag else torch.amax(x, axis, True)
    return (
        x.norm(axis=axis, keepdims=True)
        if m is ag
        else torch.linalg.vector_norm(x, dim=axis, keepdim=True)
    )


@st.composite
def programs(draw):
    sa, sb = draw(
        hnp.mutually_broadcastable_shapes(
            num_shapes=2, min_dims=1, max_dims=3, max_side=3
        )
    ).input_shapes
    steps = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("u"), st.sampled_from(sorted(UNARY))),
                st.tuples(st.just("b"), st.sampled_from(sorted(BINARY))),
                st.tuples(
                    st.just("r"), st.sampled_from(["sum", "mean", "max", "norm"])
                ),
            ),
            min_size=1,
            max_size=6,
        )
    )
    # A coarse grid produces exact ties and zeros, where the conventions matter.
    grid = st.integers(-8, 8).map(lambda k: k / 4)
    a = draw(hnp.arrays(np.float64, sa, elements=grid))
    b = draw(hnp.arrays(np.float64, sb, elements=grid))
    return a, b, steps


def _run(m, a, b, steps, w_seed):
    x = a
    for kind, name in steps:
        if kind == "u":
            x = UNARY[name](m, x)
        elif kind == "b":
            x = BINARY[name](m, x, b)
        else:
            x = _reduce(m, x, name, -1)
    shape = tuple(x.shape)
    w = np.random.default_rng(w_seed).uniform(-1, 1, size=shape)
    return (x * (tensor(w) if m is ag else T(w))).sum()


@given(prog=programs(), w_seed=st.integers(0, 2**32 - 1))
def test_random_programs_match_torch_gradients(prog, w_seed):
    a0, b0, steps = prog
    ours_a, ours_b = tensor(a0, requires_grad=True), tensor(b0, requires_grad=True)
    th_a, th_b = T(a0, requires_grad=True), T(b0, requires_grad=True)
    out_ours = _run(ag, ours_a, ours_b, steps, w_seed)
    out_th = _run(torch, th_a, th_b, steps, w_seed)
    np.testing.assert_allclose(as_np(out_ours), as_np(out_th), rtol=1e-12, atol=1e-12)
    out_ours.backward()
    out_th.backward()
    for ours, theirs in ((ours_a, th_a), (ours_b, th_b)):
        if theirs.grad is None:
            assert ours.grad is None or np.all(as_np(ours.grad) == 0)
            continue
        np.testing.assert_allclose(
            as_np(ours.grad), as_np(theirs.grad), rtol=1e-10, atol=1e-12
        )


@given(
    shapes=st.sampled_from(
        [
            ((3,), (3,)),
            ((2, 3), (3,)),
            ((3,), (3, 2)),
            ((2, 3), (3, 4)),
            ((2, 2, 3), (3, 4)),
            ((2, 2, 3), (2, 3, 1)),
            ((3,), (2, 3, 2)),
            ((1, 2, 3), (4, 3, 2)),
        ]
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_matmul_gradients_match_torch(shapes, seed):
    rng = np.random.default_rng(seed)
    a0, b0 = rng.normal(size=shapes[0]), rng.normal(size=shapes[1])
    a, b = tensor(a0, requires_grad=True), tensor(b0, requires_grad=True)
    ta, tb = T(a0, requires_grad=True), T(b0, requires_grad=True)
    w = rng.normal(size=np.matmul(a0, b0).shape)
    ((a @ b) * w).sum().backward()
    ((ta @ tb) * T(w)).sum().backward()
    np.testing.assert_allclose(as_np(a.grad), as_np(ta.grad), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(as_np(b.grad), as_np(tb.grad), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "index",
    [
        (0,),
        (slice(None), 1),
        ([0, 0, 2],),
        ((slice(None), [1, 1, 0])),
        (np.array([[True, False, True], [False, False, True], [True, True, True]]),),
    ],
)
def test_indexing_gradients_match_torch(index):
    x0 = np.arange(9.0).reshape(3, 3)
    x, tx = tensor(x0, requires_grad=True), T(x0, requires_grad=True)
    tidx = tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in index)
    w = np.random.default_rng(0).normal(size=x0[index].shape)
    (x[index] * w).sum().backward()
    (tx[tidx] * T(w)).sum().backward()
    np.testing.assert_allclose(as_np(x.grad), as_np(tx.grad), rtol=1e-14)


@given(
    x0=hnp.arrays(np.float64, (3,), elements=st.floats(-2, 2)),
    seed=st.integers(0, 2**32 - 1),
)
def test_second_derivatives_match_torch(x0, seed):
    assume(np.linalg.norm(x0) > 0.1)  # the norm has no second derivative at 0
    v = np.random.default_rng(seed).normal(size=3)

    def f(m, x):
        return (m.sin(x) * x[0] + m.exp(x * x[1]) / (1 + x * x)).sum() + x.norm()

    # Hessian-vector product through create_graph in both libraries.
    x = tensor(x0, requires_grad=True)
    f(ag, x).backward(create_graph=True)
    g = x.grad
    x.grad = None
    (g * v).sum().backward()
    tx = T(x0, requires_grad=True)
    (tg,) = torch.autograd.grad(f(torch, tx), tx, create_graph=True)
    (thv,) = torch.autograd.grad((tg * T(v)).sum(), tx)
    np.testing.assert_allclose(as_np(g), as_np(tg), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(as_np(x.grad), as_np(thv), rtol=1e-10, atol=1e-10)
    H = ag.hessian(lambda t: f(ag, t))(x0)
    tH = torch.autograd.functional.hessian(lambda t: f(torch, t), T(x0))
    np.testing.assert_allclose(H, as_np(tH), rtol=1e-10, atol=1e-10)


@given(seed=st.integers(0, 2**32 - 1))
def test_d2l_control_flow_matches_torch(seed):
    a0 = np.random.default_rng(seed).normal()

    def f(m, a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        c = b if b.sum() > 0 else 100 * b
        return c

    a, ta = tensor(a0, requires_grad=True), T(a0, requires_grad=True)
    f(ag, a).backward()
    f(torch, ta).backward()
    assert a.grad.item() == ta.grad.item()
