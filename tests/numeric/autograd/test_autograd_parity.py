"""PyTorch parity where numeric.autograd used to be silently wrong (issue 16).

Each test is ported from the PyTorch test named in its docstring
(pytorch/test/test_autograd.py); numbers are recomputed here, not copied.
"""

import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import numeric.autograd as ag
from numeric.autograd import GradError, GradTypeError, GradValueError

# ----------------------------------------------------------------------------- 1
INPLACE = {
    "+=": (lambda a, b: a.__iadd__(b), lambda a, b: a + b),
    "-=": (lambda a, b: a.__isub__(b), lambda a, b: a - b),
    "*=": (lambda a, b: a.__imul__(b), lambda a, b: a * b),
    "/=": (lambda a, b: a.__itruediv__(b), lambda a, b: a / b),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_requires_grad_inplace(name):
    """PyTorch test_requires_grad_inplace: a += b makes a require grad, and the
    gradient through a is the one of the out-of-place a + b (issue's example)."""
    rng = np.random.default_rng(0)
    start = rng.uniform(0.5, 2.0, 2)
    bval = rng.uniform(0.5, 2.0, 2)
    inplace, outofplace = INPLACE[name]
    for make_a in (lambda: ag.tensor(start), lambda: ag.tensor(start) + 0.0):
        a = make_a()
        b = ag.tensor(bval, requires_grad=True)
        same = inplace(a, b)
        assert same is a and a.requires_grad and not a.is_leaf
        (a * b).sum().backward()
        b2 = ag.tensor(bval, requires_grad=True)
        (outofplace(ag.tensor(start), b2) * b2).sum().backward()
        np.testing.assert_allclose(b.grad.data, b2.grad.data, rtol=1e-12)


def test_requires_grad_inplace_issue_numbers():
    a = ag.tensor([0.0, 0.0])
    b = ag.tensor([1.0, 1.0], requires_grad=True)
    a += b
    (a * b).sum().backward()
    assert a.requires_grad
    np.testing.assert_array_equal(b.grad.data, [2.0, 2.0])


OPNAMES = ["add", "sub", "mul", "div"]


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPNAMES), st.floats(0.5, 2.0), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_inplace_chain_matches_out_of_place(steps):
    """Law: any chain of in-place updates has the out-of-place chain's gradient."""
    x0 = np.array([0.7, -1.3, 2.1])

    def run(in_place):
        x = ag.tensor(x0, requires_grad=True)
        a = x * 1.0
        keep = a + 0.0  # a consumer of a (saving nothing) recorded before the changes
        for opname, c, use_x in steps:
            other = x if use_x else c
            if in_place:
                getattr(a, opname + "_")(other)
            else:
                a = {
                    "add": a + other,
                    "sub": a - other,
                    "mul": a * other,
                    "div": a / other,
                }[opname]
        (a.sum() + keep.sum()).backward()
        return a.data, x.grad.data

    val_in, grad_in = run(True)
    val_out, grad_out = run(False)
    np.testing.assert_allclose(val_in, val_out, rtol=1e-12)
    np.testing.assert_allclose(grad_in, grad_out, rtol=1e-10, atol=1e-12)


def test_inplace_on_leaf_requiring_grad_refused_but_allowed_in_no_grad():
    """PyTorch test_leaf_assignment/in-place: a leaf that requires grad cannot be
    changed in place while recording; in no_grad it is the SGD update."""
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GradError, match="leaf tensor that requires grad"):
        w += 1.0
    with ag.no_grad():
        w -= 0.5
    np.testing.assert_array_equal(w.data, [0.5, 1.5])
    assert w.is_leaf and w.requires_grad


def test_inplace_dtype_and_shape_errors():
    a = ag.tensor([1, 2])
    with pytest.raises(TypeError, match="cannot be stored in place"):
        a += ag.tensor([0.5, 0.5], requires_grad=True)
    b = ag.tensor([1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        b += ag.ones(3, 2)


# ----------------------------------------------------------------------------- 2
@pytest.mark.parametrize(
    ("shape", "p"),
    [
        ((10,), 2),
        ((10, 10), 2),
        ((10,), 3),
        ((10,), 1),
        ((10,), 1.5),
        ((10,), math.inf),
    ],
)
def test_norm_subgradient(shape, p):
    """PyTorch test_norm_subgradient: the gradient of norm(x, p) at 0 is 0."""
    x = ag.zeros(*shape, requires_grad=True)
    ag.norm(x, p).backward()
    assert np.abs(x.grad.data).sum() == 0


@pytest.mark.parametrize("p", [1.5, 3.0, 4.0, 0.5])
def test_pnorm_gradient_matches_formula(p):
    rng = np.random.default_rng(1)
    v = rng.normal(size=5)
    x = ag.tensor(v, requires_grad=True)
    ag.norm(x, p).backward()
    n = np.sum(np.abs(v) ** p) ** (1 / p)
    want = np.sign(v) * (np.abs(v) / n) ** (p - 1)
    np.testing.assert_allclose(x.grad.data, want, rtol=1e-12)


def test_pnorm_agrees_with_torch_including_second_derivative():
    torch = pytest.importorskip("torch", reason="torch is an optional test dependency")
    v = np.random.default_rng(2).normal(size=4)
    for p in (1.5, 3.0):
        h = ag.hessian(lambda x, p=p: ag.norm(x, p))(v)
        ht = torch.autograd.functional.hessian(
            lambda x, p=p: torch.linalg.vector_norm(x, p), torch.tensor(v)
        )
        np.testing.assert_allclose(h.data, ht.numpy(), rtol=1e-9, atol=1e-12)


# ----------------------------------------------------------------------------- 3
def test_set_grad_generator_functions():
    """PyTorch test_set_grad_generator_functions: decorated generators run their
    body in the decorator's mode and the caller keeps its own between yields."""

    @ag.no_grad()
    def gen_no_grad():
        for i in range(3):
            assert not ag.is_grad_enabled()
            yield i

    @ag.enable_grad()
    def gen_enable_grad():
        for i in range(3):
            assert ag.is_grad_enabled()
            yield i

    with ag.enable_grad():
        assert list(gen_no_grad()) == [0, 1, 2]
        for _ in gen_no_grad():
            assert ag.is_grad_enabled()
    with ag.no_grad():
        for _ in gen_enable_grad():
            assert not ag.is_grad_enabled()


def test_set_grad_generator_send_throw_close_and_return():
    seen = []

    @ag.no_grad()
    def coroutine():
        try:
            while True:
                got = yield ag.is_grad_enabled()
                seen.append((got, ag.is_grad_enabled()))
        except KeyError:
            seen.append(("thrown", ag.is_grad_enabled()))
            yield "after throw"
        finally:
            seen.append(("closed", ag.is_grad_enabled()))
        return "done"

    gen = coroutine()
    assert next(gen) is False
    assert gen.send(5) is False
    assert gen.throw(KeyError()) == "after throw"
    gen.close()
    assert seen == [(5, False), ("thrown", False), ("closed", False)]
    assert ag.is_grad_enabled()

    @ag.no_grad()
    def returns():
        yield 1
        return 7

    g = returns()
    next(g)
    with pytest.raises(StopIteration) as stop:
        next(g)
    assert stop.value.value == 7


def test_grad_mode_decorator_allows_recursion():
    @ag.no_grad()
    def depth(n):
        return ag.is_grad_enabled() if n == 0 else depth(n - 1)

    assert depth(3) is False
    assert ag.is_grad_enabled()


# ----------------------------------------------------------------------------- 4
def test_grad_assignment():
    """PyTorch test_grad_assignment: wrong shape, integer dtype or the tensor itself
    are refused; a good assignment is accumulated into."""
    x = ag.tensor(np.ones((5, 5)), requires_grad=True)
    with pytest.raises(GradValueError, match=r"shape \(2, 2\)"):
        x.grad = ag.ones(2, 2)
    with pytest.raises(GradTypeError, match="int64"):
        x.grad = ag.tensor(np.ones((5, 5), dtype=np.int64))
    with pytest.raises(GradError, match="its own grad"):
        x.grad = x
    with pytest.raises(TypeError, match="Tensor or None"):
        x.grad = np.ones((5, 5))
    assert x.grad is None
    x.grad = ag.tensor(np.full((5, 5), 2.0))
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.full((5, 5), 5.0))
    x.grad = None
    assert x.grad is None


# ----------------------------------------------------------------------------- 5
def test_inplace_on_saved_value_raises_at_backward():
    """PyTorch test_inplace: after z.add_(2), q = z + y (nothing saved) still
    backpropagates correctly, w = z * y (z saved) refuses."""
    x = ag.tensor(np.ones((5, 5)), requires_grad=True)
    y = ag.tensor(np.full((5, 5), 4.0), requires_grad=True)
    z = x * y
    q = z + y
    w = z * y
    z.add_(2)
    q.backward(np.ones((5, 5)), retain_graph=True)
    np.testing.assert_array_equal(x.grad.data, y.data)
    np.testing.assert_array_equal(y.grad.data, x.data + 1)
    with pytest.raises(GradError, match="modified by an inplace operation"):
        w.backward(np.ones((5, 5)))


@pytest.mark.parametrize("modify", ["+=", "mul_"])
def test_inplace_on_saved_input_without_grad_raises(modify):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0])
    y = (x * b).sum()  # mul saves b for x's gradient
    if modify == "+=":
        b += 1
    else:
        b.mul_(2)
    with pytest.raises(GradError, match="'mul'"):
        y.backward()


def test_inplace_through_shared_storage_and_saved_output():
    x = ag.tensor([0.5, 1.0], requires_grad=True)
    y = ag.exp(x)  # exp saves its output
    u = y.detach()  # shares y's array
    u.mul_(2)
    with pytest.raises(GradError, match="'exp'"):
        y.sum().backward()


def test_raw_data_writes_stay_untracked():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0])
    y = (x * b).sum()
    b.data[0] = 10.0  # as PyTorch's .data: invisible to autograd
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [10.0, 4.0])


def test_graph_recorded_after_an_update_is_not_refused():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(2):
        loss = (w * w).sum()
        loss.backward()
        with ag.no_grad():
            w -= 0.1 * w.grad
        w.grad = None
    np.testing.assert_allclose(w.data, [0.64, 1.28])
