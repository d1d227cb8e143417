"""numeric.autograd.autograd: torch.autograd's grad, backward, grad modes and
functional, each test ported from the PyTorch test named in its docstring
(pytorch/test/test_autograd.py, test/autograd/test_functional.py) and compared with
torch itself where it is installed (torch is an optional test dependency)."""

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import numeric.autograd as ag
from numeric.autograd import GradError, autograd

F = autograd.functional


def randt(rng, *shape, requires_grad=True):
    return ag.tensor(rng.normal(size=shape), requires_grad=requires_grad)


def test_grad():
    """test_grad: second derivatives through backward(create_graph) and grad."""
    rng = np.random.default_rng(0)
    x, y = randt(rng, 2, 2), randt(rng, 2, 2)
    z = x**2 + y * x + y**2
    z.backward(np.ones((2, 2)), create_graph=True)
    x_grad, y_grad = 2 * x.data + y.data, x.data + 2 * y.data
    np.testing.assert_allclose(x.grad.data, x_grad)
    np.testing.assert_allclose(y.grad.data, y_grad)
    grad_sum = 2 * x.grad + y.grad
    (x_hv,) = autograd.grad(
        [grad_sum], [x], grad_outputs=[ag.ones(2, 2)], create_graph=True
    )
    np.testing.assert_allclose(x_hv.data, np.full((2, 2), 5.0))
    np.testing.assert_allclose(x.grad.data, x_grad)  # grad() accumulates nothing


def test_grad_nonleaf_and_unused():
    """test_grad_nonleaf / test_grad_unreachable: gradients of intermediate
    tensors; unused inputs raise unless allow_unused (or materialize_grads)."""
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    gh, gx = autograd.grad(y, [h, x], retain_graph=True)
    np.testing.assert_allclose(gh.data, 2 * h.data)
    np.testing.assert_allclose(gx.data, 18 * x.data)
    unused = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(GradError, match="not to have been used"):
        autograd.grad(y, [x, unused], retain_graph=True)
    gx2, none = autograd.grad(y, [x, unused], retain_graph=True, allow_unused=True)
    assert none is None
    _, zero = autograd.grad(y, [x, unused], materialize_grads=True)
    assert float(zero) == 0.0
    with pytest.raises(GradError, match="does not require grad"):
        autograd.grad(x.sum(), ag.tensor(1.0))


def test_multi_backward():
    """test_multi_backward: one pass from several roots, shared parts run once."""
    rng = np.random.default_rng(1)
    x, y, q = randt(rng, 5, 5), randt(rng, 5, 5), randt(rng, 5, 5)
    a = ag.tensor(rng.normal(size=(5, 5)))
    b = ag.tensor(rng.normal(size=(5, 5)), requires_grad=True)
    q2 = q * 2
    z = x + y + q2
    c = a * b + q2
    grad_z, grad_c = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    autograd.backward([z, c], [ag.tensor(grad_z), ag.tensor(grad_c)])
    np.testing.assert_allclose(x.grad.data, grad_z)
    np.testing.assert_allclose(y.grad.data, grad_z)
    np.testing.assert_allclose(b.grad.data, grad_c * a.data)
    np.testing.assert_allclose(q.grad.data, (grad_c + grad_z) * 2)
    # the shared q2 (mul saves) ran once: the graph is freed afterwards
    with pytest.raises(GradError, match="second time"):
        autograd.backward([c], [ag.tensor(grad_c)])


def test_backward_inputs_only_fills_those():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor(3.0, requires_grad=True)
    h = x * w
    autograd.backward(h.sum(), inputs=[x, h])
    np.testing.assert_allclose(x.grad.data, [3.0, 3.0])
    np.testing.assert_allclose(h.grad.data, [1.0, 1.0])
    assert w.grad is None


def test_grad_modes():
    """test_set_grad_enabled / test_inference_mode_context_manager."""
    x = ag.tensor(1.0, requires_grad=True)
    with ag.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    with ag.inference_mode():
        assert not (x * 2).requires_grad
        with ag.inference_mode(False):
            assert (x * 2).requires_grad
    assert autograd.no_grad is ag.no_grad and autograd.is_grad_enabled()


# ------------------------------------------------------------------ functional
def test_vjp_jvp_match_jacobian():
    """test_vjp / test_jvp: v^T J and J v against the explicit Jacobian."""
    rng = np.random.default_rng(2)
    A = rng.normal(size=(3, 4))

    def f(x):
        return ag.tanh(ag.matmul(ag.tensor(A), x)) * 2

    x = ag.tensor(rng.normal(size=4))
    J = F.jacobian(f, x).data
    u, v = rng.normal(size=3), rng.normal(size=4)
    out, vjp = F.vjp(f, x, ag.tensor(u))
    np.testing.assert_allclose(out.data, f(x).data)
    np.testing.assert_allclose(vjp.data, u @ J, rtol=1e-12)
    _, jvp = F.jvp(f, x, ag.tensor(v))
    np.testing.assert_allclose(jvp.data, J @ v, rtol=1e-12)
    want = (1 - np.tanh(A @ x.data) ** 2)[:, None] * A * 2
    np.testing.assert_allclose(J, want, rtol=1e-12)
    assert not out.requires_grad and not vjp.requires_grad


def test_tuple_inputs_and_outputs_nesting():
    """test_jacobian_output / multi-input: tuple nesting as in PyTorch."""

    def f(x, y):
        return x * y, (x * x).sum()

    x, y = ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])
    (jxx, jxy), (jsx, jsy) = F.jacobian(f, (x, y))
    np.testing.assert_array_equal(jxx.data, np.diag([3.0, 4.0]))
    np.testing.assert_array_equal(jxy.data, np.diag([1.0, 2.0]))
    np.testing.assert_array_equal(jsx.data, [2.0, 4.0])
    np.testing.assert_array_equal(jsy.data, [0.0, 0.0])
    with pytest.raises(GradError, match="does not depend on input 1"):
        F.jacobian(lambda x, y: x * 2, (x, y), strict=True)


def test_hessian_and_hvp():
    """test_hessian / test_hvp."""

    def f(x):
        return (x**3).sum() + x[0] * x[1]

    x = ag.tensor([0.5, -1.5])
    H = F.hessian(f, x).data
    np.testing.assert_allclose(H, [[3.0, 1.0], [1.0, -9.0]])
    v = ag.tensor([1.0, 2.0])
    val, hv = F.hvp(f, x, v)
    np.testing.assert_allclose(val.data, f(x).data)
    np.testing.assert_allclose(hv.data, H @ v.data)
    with pytest.raises(ValueError, match="single-element"):
        F.hessian(lambda x: x * x, x)


def test_create_graph_results_are_differentiable():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    J = F.jacobian(lambda t: t**3, x, create_graph=True)
    (d,) = autograd.grad(J.sum(), x)
    np.testing.assert_allclose(d.data, 6 * x.data)  # d/dx sum(diag(3x^2))


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=4),
    chain=st.lists(st.sampled_from(["sin", "exp", "tanh", "sq"]), max_size=3),
)
def test_functional_agrees_with_torch(values, chain):
    torch = pytest.importorskip("torch", reason="torch is an optional test dependency")
    tf = torch.autograd.functional

    def make(m, square):
        def f(x):
            y = x
            for name in chain:
                y = square(y) if name == "sq" else getattr(m, name)(y)
            return y * x[0]

        return f

    ours = make(ag, lambda y: y * y)
    theirs = make(torch, lambda y: y * y)
    v = np.array(values)
    tv = torch.tensor(v)
    np.testing.assert_allclose(
        F.jacobian(ours, ag.tensor(v)).data, tf.jacobian(theirs, tv).numpy(), 1e-12
    )
    w = np.linspace(-1, 1, len(v))
    np.testing.assert_allclose(
        F.jvp(ours, ag.tensor(v), ag.tensor(w))[1].data,
        tf.jvp(theirs, tv, torch.tensor(w))[1].numpy(),
        rtol=1e-10,
        atol=1e-12,
    )
    np.testing.assert_allclose(
        F.hessian(lambda x: ours(x).sum(), ag.tensor(v)).data,
        tf.hessian(lambda x: theirs(x).sum(), tv).numpy(),
        rtol=1e-10,
        atol=1e-12,
    )


# ------------------------------------------------------------------ hooks
def test_hooks():
    """test_hooks: a hook sees the gradient, may replace it; removal works."""
    x = ag.tensor(np.ones((5, 5)), requires_grad=True)
    y = ag.tensor(np.full((5, 5), 4.0), requires_grad=True)
    counter = [0]

    def bw_hook(inc, grad):
        assert isinstance(grad, ag.Tensor)
        counter[0] += inc

    z = x * x + x * 2 + x * y + y
    handle = x.register_hook(lambda g: bw_hook(1, g))
    z.backward(np.ones((5, 5)), retain_graph=True)
    assert counter[0] == 1  # once per pass, even with four uses of x
    h2 = x.register_hook(lambda g: bw_hook(2, g))
    z.backward(np.ones((5, 5)), retain_graph=True)
    assert counter[0] == 4
    h2.remove()
    z.backward(np.ones((5, 5)), retain_graph=True)
    assert counter[0] == 5
    handle.remove()
    z.backward(np.ones((5, 5)), retain_graph=True)
    assert counter[0] == 5

    # a hook replacing the gradient of an intermediate tensor
    x.grad = None
    m = x * 2
    m.register_hook(lambda g: g * 0 + 3)
    (m * m).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.full((5, 5), 6.0))
    with pytest.raises(GradError, match="does not require grad"):
        ag.tensor(1.0).register_hook(lambda g: g)


def test_hook_errors_and_grad_api():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: ag.ones(3))
    with pytest.raises(GradError, match="shape"):
        (x * x).sum().backward()
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.register_hook(lambda g: g * 2)
    (gw,) = autograd.grad((w * w).sum(), w)
    np.testing.assert_allclose(gw.data, 4 * w.data)  # hooks run in grad() too


def test_retain_grad():
    """test_retain_grad: non-leaf gradients kept and accumulated."""
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    assert h.retains_grad and not x.retains_grad
    out = (h * h).sum()
    out.backward(retain_graph=True)
    np.testing.assert_allclose(h.grad.data, 2 * h.data)
    out.backward()
    np.testing.assert_allclose(h.grad.data, 4 * h.data)
    plain = x * 2
    (plain * 1.0).sum().backward()
    assert plain.grad is None


# ------------------------------------------------------------ item assignment
def test_setitem_recorded():
    """test_setitem / test_setitem_mask style: assigned entries get their gradient
    from the value, the others from the old tensor."""
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = ag.tensor(5.0, requires_grad=True)
    y = x * 2.0
    y[0:2] = v
    (y * y).sum().backward()
    np.testing.assert_array_equal(y.data, [5.0, 5.0, 6.0])
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 24.0])
    assert float(v.grad) == 20.0  # 2 * 5 from each of two positions


def test_setitem_constants_masks_and_index_arrays():
    x = ag.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x + 0.0
    y[y < 0] = 0.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 0.0, 1.0])
    b = ag.zeros(3)
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    b[[0, 2]] = w
    (b * b).sum().backward()
    np.testing.assert_array_equal(w.grad.data, 2 * w.data)
    c = ag.zeros(3)
    with pytest.raises(ValueError, match="repeats a position"):
        c[[0, 0]] = w
    leaf = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(GradError, match="leaf tensor"):
        leaf[0] = 2.0
    plain = ag.zeros(2)
    plain[1] = 7.0  # no graph: a plain write
    assert not plain.requires_grad and plain.tolist() == [0.0, 7.0]


def test_setitem_on_saved_value_refused():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0])
    y = (x * b).sum()
    b[0] = 0.0
    with pytest.raises(GradError, match="inplace"):
        y.backward()


# --------------------------------------------------------------- random creation
@pytest.mark.parametrize("make", ["randn", "rand", "normal"])
def test_random_creation_is_reproducible_from_a_generator(make):
    def draw(seed):
        g = np.random.default_rng(seed)
        if make == "normal":
            return ag.normal(1.0, 2.0, (3, 2), generator=g)
        return getattr(ag, make)(3, 2, generator=g)

    a, b, c = draw(5), draw(5), draw(6)
    assert a.shape == (3, 2)
    np.testing.assert_array_equal(a.data, b.data)
    assert not np.array_equal(a.data, c.data)
    with pytest.raises(TypeError, match="Generator"):
        ag.randn(2, generator=5)


def test_random_creation_moments():
    """Bounds, not p-values: the sample mean of 20,000 draws is within 5 standard
    errors of the true mean (a failure chance below 1e-6, and seeded)."""
    g = np.random.default_rng(20261128)
    n = 20_000
    z = ag.normal(3.0, 2.0, n, generator=g).data
    assert abs(z.mean() - 3.0) < 5 * 2.0 / np.sqrt(n)
    u = ag.rand(n, generator=g).data
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12) / np.sqrt(n)
    assert u.min() >= 0.0 and u.max() < 1.0


def test_detach_():
    """test_detach_ (PyTorch's first half) plus earlier consumers keeping history."""
    rng = np.random.default_rng(4)
    x = randt(rng, 10, 10)
    y = x * 2
    used = y * y  # recorded before the detach_
    assert y.detach_() is y
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf
    z = x + y
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones((10, 10)))
    x.grad = None
    used.sum().backward()
    np.testing.assert_allclose(x.grad.data, 8 * x.data)  # d/dx (2x)^2
    leaf = ag.tensor(1.0, requires_grad=True)
    assert not leaf.detach_().requires_grad
