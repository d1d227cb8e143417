"""The TensorFlow examples of d2l's autograd section, on numeric.tape.

Each test is one bullet of ../shared/D2L_CHECKLIST.md ("Autograd (TensorFlow-style
tape)"); the expected values are computed from the formulas, not copied.
"""

import numpy as np
import pytest

import numeric.tape as tf


def test_gradient_of_2_xtx_is_4x():
    x = tf.Variable(tf.range(4, dtype=np.float32))
    with tf.GradientTape() as t:
        y = 2 * tf.tensordot(x, x, axes=1)
    assert y.dtype == np.float32
    assert float(y) == 2 * float(np.dot(x.numpy(), x.numpy()))
    x_grad = t.gradient(y, x)
    assert x_grad.dtype == np.float32
    np.testing.assert_array_equal(x_grad.numpy(), 4 * x.numpy())
    np.testing.assert_array_equal(x_grad.numpy(), [0.0, 4.0, 8.0, 12.0])


def test_new_tape_reduce_sum_gives_ones_no_accumulation():
    x = tf.Variable(tf.range(4, dtype=np.float32))
    with tf.GradientTape() as t:
        y = 2 * tf.tensordot(x, x, axes=1)
    t.gradient(y, x)
    with tf.GradientTape() as t:
        y = tf.reduce_sum(x)
    np.testing.assert_array_equal(t.gradient(y, x).numpy(), np.ones(4))


def test_non_scalar_target_is_the_gradient_of_its_sum():
    x = tf.Variable(tf.range(4, dtype=np.float32))
    with tf.GradientTape() as t:
        y = x * x
    np.testing.assert_array_equal(t.gradient(y, x).numpy(), 2 * x.numpy())


def test_persistent_tape_with_stop_gradient():
    x = tf.Variable(tf.range(4, dtype=np.float32))
    with tf.GradientTape(persistent=True) as t:
        y = x * x
        u = tf.stop_gradient(y)
        z = u * x
    np.testing.assert_array_equal(t.gradient(z, x).numpy(), u.numpy())
    np.testing.assert_array_equal(t.gradient(y, x).numpy(), 2 * x.numpy())


def f(a):
    b = a * 2
    while tf.norm(b) < 1000:
        b = b * 2
    if tf.reduce_sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


@pytest.mark.parametrize("seed", range(5))
def test_control_flow_gradient_is_d_over_a(seed):
    a = tf.Variable(tf.random_normal(shape=(), seed=seed))
    with tf.GradientTape() as t:
        d = f(a)
    d_grad = t.gradient(d, a)
    np.testing.assert_allclose(d_grad.numpy(), (d / a).numpy(), rtol=1e-6)
    # d = k a with k a power of two (times 100 for a < 0): so is the gradient
    k = float(d_grad) / (1.0 if float(a) > 0 else 100.0)
    assert k == 2.0 ** np.round(np.log2(k))


def test_control_flow_vector_argument():
    a = tf.Variable(tf.random_normal(shape=(3,), seed=7))
    with tf.GradientTape() as t:
        d = f(a)
    grad = t.gradient(d, a).numpy()
    ratio = (d / a).numpy()
    np.testing.assert_allclose(grad, ratio, rtol=1e-6)
