"""The autograd items of d2l's "Preliminaries" (shared/D2L_CHECKLIST.md), each as the
book states it, reproduced with numeric.autograd."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from numeric.autograd import (
    GradError,
    arange,
    dot,
    log,
    ones,
    sin,
    tensor,
)


@pytest.fixture
def x():
    # x = torch.arange(4.0); x.requires_grad_(True)
    x = arange(4.0)
    x.requires_grad_(True)
    assert x.grad is None
    return x


def test_gradient_of_2_x_dot_x_is_4x(x):
    y = 2 * dot(x, x)
    assert y.item() == 28.0
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 4.0, 8.0, 12.0])
    np.testing.assert_array_equal(x.grad.data, 4 * x.data)


def test_gradients_accumulate_until_zeroed(x):
    (2 * dot(x, x)).backward()
    # Without zeroing, the next gradient (ones) is added to 4x.
    x.sum().backward()
    np.testing.assert_array_equal(x.grad.data, 4 * x.data + 1)
    x.grad.zero_()
    y = x.sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0, 1.0, 1.0])


def test_non_scalar_backward_with_ones_gives_2x(x):
    y = x * x
    with pytest.raises(ValueError):
        y.backward()  # a non-scalar needs the vector of the vector-Jacobian product
    y.backward(gradient=ones(len(y)))
    np.testing.assert_array_equal(x.grad.data, 2 * x.data)
    x.grad.zero_()
    y = x * x
    y.sum().backward()  # the book's equivalent spelling
    np.testing.assert_array_equal(x.grad.data, 2 * x.data)


def test_detach_gives_u_then_fresh_backward_gives_2x(x):
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.data, u.data)
    x.grad.zero_()
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, 2 * x.data)


def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


@given(seed=st.integers(0, 2**32 - 1))
def test_control_flow_gradient_is_d_over_a(seed):
    # a = torch.randn(size=(), requires_grad=True); d = f(a); d.backward()
    a = tensor(np.random.default_rng(seed).normal(), requires_grad=True)
    d = f(a)
    d.backward()
    # d = k a for a k that depends on a's value only through the branches taken.
    ratio = d.item() / a.item()
    if a.item() > 0:
        assert a.grad.item() == ratio  # k is a power of two: exact
    else:
        assert a.grad.item() == pytest.approx(ratio, rel=4 * np.finfo(float).eps)


def test_exercise_backward_twice_needs_retain_graph():
    a = tensor(0.7, requires_grad=True)
    d = f(a)
    d.backward()
    with pytest.raises(GradError, match="retain_graph"):
        d.backward()


@pytest.mark.parametrize("shape", [(3,), (2, 3)])
@given(seed=st.integers(0, 2**32 - 1))
def test_exercise_control_flow_with_vector_or_matrix_a(shape, seed):
    a = tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)
    d = f(a)
    d.sum().backward()
    # d = k a elementwise, so each partial derivative is d / a.
    np.testing.assert_allclose(a.grad.data, d.data / a.data, rtol=1e-14)


def test_exercise_sin_and_its_autograd_derivative():
    xs = tensor(np.linspace(-2 * np.pi, 2 * np.pi, 201), requires_grad=True)
    sin(xs).sum().backward()
    np.testing.assert_allclose(xs.grad.data, np.cos(xs.data), rtol=0, atol=1e-15)


@given(x0=st.floats(0.1, 5.0))
def test_exercise_dependency_graph_function(x0):
    # f(x) = (log x^2) sin x + 1/x; f'(x) = (2/x) sin x + log(x^2) cos x - 1/x^2
    x = tensor(x0, requires_grad=True)
    y = log(x**2) * sin(x) + x**-1
    y.backward()
    expected = 2 / x0 * math.sin(x0) + math.log(x0**2) * math.cos(x0) - 1 / x0**2
    assert x.grad.item() == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # The recorded graph has the shape the exercise asks to draw.
    assert y.grad_fn.name == "add"
    left, right = y.grad_fn.inputs
    assert left.grad_fn.name == "mul" and right.grad_fn.name == "pow"
