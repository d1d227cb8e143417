"""numeric.tape semantics, ported from TensorFlow's own GradientTape tests
(tensorflow/python/eager/backprop_test.py: testPersistentTape,
testGradientTapeWatchAccessedVariables, testNestedGradients / second derivatives,
testUnconnectedGradientsZero, testJacobian*, testBatchJacobian*, testStopRecording),
with values recomputed here, and cross-checked against numeric.autograd's PyTorch-style
front end (the same engine, so the two must agree exactly) and against TensorFlow
itself where it is installed.
"""

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import numeric.autograd as ag
import numeric.tape as tf


def test_float32_defaults_and_dtypes_kept():
    assert tf.constant(1.5).dtype == np.float32
    assert tf.constant([1, 2]).dtype == np.int32
    assert tf.constant(np.float64(1.5)).dtype == np.float64
    assert tf.Variable(2.0).dtype == np.float32
    x = tf.Variable(np.arange(3.0))  # a float64 array stays float64
    with tf.GradientTape() as t:
        y = tf.reduce_sum(x * x)
    assert t.gradient(y, x).dtype == np.float64


def test_non_persistent_tape_refuses_second_gradient():
    """testGradientTapeNonPersistent: RuntimeError on the second call."""
    x = tf.Variable(3.0)
    with tf.GradientTape() as t:
        y = x * x
    assert float(t.gradient(y, x)) == 6.0
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        t.gradient(y, x)


def test_persistent_tape_many_gradients():
    """testPersistentTape: y = x^2, z = y^2 from one tape."""
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y
    assert float(g.gradient(z, x)) == 4 * 3.0**3
    assert float(g.gradient(y, x)) == 2 * 3.0
    assert float(g.gradient(z, y)) == 2 * 9.0


def test_structure_of_sources_is_preserved():
    a, b = tf.Variable(2.0), tf.Variable([1.0, 3.0])
    with tf.GradientTape() as t:
        y = a * tf.reduce_sum(b * b)
    out = t.gradient(y, {"a": a, "pair": (b, [a])})
    assert set(out) == {"a", "pair"} and isinstance(out["pair"], tuple)
    assert float(out["a"]) == 10.0 and float(out["pair"][1][0]) == 10.0
    np.testing.assert_array_equal(out["pair"][0].numpy(), 2 * 2.0 * b.numpy())


def test_unconnected_gradients_none_or_zero():
    """testUnconnectedGradientsZero."""
    x, z = tf.Variable([1.0, 2.0]), tf.Variable([[5.0]])
    with tf.GradientTape(persistent=True) as t:
        y = x * 2
    assert t.gradient(y, z) is None
    zero = t.gradient(y, z, unconnected_gradients="zero")
    assert zero.shape == (1, 1) and zero.dtype == np.float32 and float(zero[0, 0]) == 0
    with pytest.raises(ValueError, match="unconnected_gradients"):
        t.gradient(y, z, unconnected_gradients="nan")
    c = tf.constant(1.0)
    assert t.gradient(c * 2, x) is None  # a target that was never recorded


def test_watch_accessed_variables_false_and_explicit_watch():
    """testGradientTapeWatchAccessedVariables / watched_variables."""
    x, y = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape(watch_accessed_variables=False) as t:
        t.watch(x)
        z = x * y
    assert t.watched_variables() == (x,)
    gx, gy = t.gradient(z, [x, y])
    assert float(gx) == 3.0 and gy is None
    frozen = tf.Variable(4.0, trainable=False)
    with tf.GradientTape() as t:
        w = frozen * x
    assert t.gradient(w, frozen) is None


def test_nothing_is_recorded_outside_a_tape():
    x = tf.Variable(2.0)
    y = x * x
    assert not y.requires_grad
    c = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(c)
    assert not c.requires_grad  # the tape's watch ends with its block
    assert not (c * 2).requires_grad


def test_output_gradients_and_several_targets():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        y = x * x
        w = 3 * x
    g = t.gradient(y, x, output_gradients=tf.constant([10.0, 1.0]))
    np.testing.assert_array_equal(g.numpy(), [20.0, 4.0])
    both = t.gradient([y, w], x)
    np.testing.assert_array_equal(both.numpy(), 2 * x.numpy() + 3)


def test_nested_tapes_give_second_derivatives():
    """testNestedGradients style: d2/dx2 x^3 = 6x."""
    x = tf.Variable(1.5)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    assert float(dy) == pytest.approx(3 * 1.5**2)
    assert float(d2y) == pytest.approx(6 * 1.5)


def test_stop_recording_and_stop_gradient():
    """testTapeStopRecording."""
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as t:
        with t.stop_recording():
            y = x * x
        z = x * tf.stop_gradient(x * x)
    assert t.gradient(y, x) is None
    assert float(t.gradient(z, x)) == 4.0
    with pytest.raises(RuntimeError, match="not recording"):
        with t.stop_recording():
            pass


def test_jacobian():
    """testJacobian: d(x * x)/dx is diag(2x); several sources keep their shapes."""
    x = tf.Variable([1.0, 2.0, 3.0])
    w = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape(persistent=True) as t:
        y = x * x
        v = tf.matmul(w, x)
    np.testing.assert_array_equal(t.jacobian(y, x).numpy(), np.diag(2 * x.numpy()))
    jw, jx = t.jacobian(v, [w, x])
    assert jw.shape == (2, 2, 3) and jx.shape == (2, 3)
    np.testing.assert_array_equal(jx.numpy(), w.numpy())
    want = np.zeros((2, 2, 3))
    want[0, 0], want[1, 1] = x.numpy(), x.numpy()
    np.testing.assert_array_equal(jw.numpy(), want)


def test_hessian_through_nested_jacobian():
    """A Hessian as the jacobian of a gradient taken under an outer tape."""
    x = tf.Variable([0.5, -1.0])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(x * x * x) + x[0] * x[1]
        g = inner.gradient(y, x)
    h = outer.jacobian(g, x).numpy()
    want = np.array([[6 * 0.5, 1.0], [1.0, 6 * -1.0]])
    np.testing.assert_allclose(h, want, rtol=1e-6)


def test_batch_jacobian():
    """testBatchJacobianParallelIterations style: per-row Jacobians."""
    rng = np.random.default_rng(3)
    xv = rng.normal(size=(4, 3)).astype(np.float32)
    wv = rng.normal(size=(3, 2)).astype(np.float32)
    x = tf.constant(xv)
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.tanh(tf.matmul(x, wv))
    bj = t.batch_jacobian(y, x).numpy()
    assert bj.shape == (4, 2, 3)
    for b in range(4):
        want = (1 - np.tanh(xv[b] @ wv) ** 2)[:, None] * wv.T
        np.testing.assert_allclose(bj[b], want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="batch"):
        with tf.GradientTape() as t2:
            t2.watch(x)
            y2 = x * 2
        t2.batch_jacobian(tf.reshape(y2, (12,))[:3], x)


def test_variable_assign_and_errors():
    v = tf.Variable([1.0, 2.0])
    v.assign([3.0, 4.0]).assign_add([1.0, 1.0]).assign_sub([0.5, 0.5])
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    with pytest.raises(ValueError, match="shape"):
        v.assign([1.0, 2.0, 3.0])
    with tf.GradientTape() as t:
        y = tf.reduce_sum(tf.exp(v))  # exp saves its output, mul its inputs
        z = tf.reduce_sum(v * v)
    v.assign([0.0, 0.0])
    with pytest.raises(RuntimeError, match="modified by an inplace"):
        t.gradient(z, v)
    del y
    with pytest.raises(TypeError, match="watch"):
        with tf.GradientTape() as t:
            t.watch(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="sources must be"):
        t.gradient(z, "x")


def test_training_loop_keras_style():
    rng = np.random.default_rng(0)
    X = tf.constant(rng.normal(size=(32, 2)))
    true_w = np.array([2.0, -3.4])
    Y = tf.constant(rng.normal(size=32) * 0.01 + X.numpy() @ true_w + 4.2)
    w, b = tf.Variable(np.zeros(2)), tf.Variable(0.0, dtype=np.float64)
    for _ in range(200):
        with tf.GradientTape() as t:
            loss = tf.reduce_mean(tf.square(tf.matmul(X, w) + b - Y))
        dw, db = t.gradient(loss, [w, b])
        w.assign_sub(0.1 * dw.numpy())
        b.assign_sub(0.1 * db.numpy())
    np.testing.assert_allclose(w.numpy(), true_w, atol=0.02)
    assert float(b.numpy()) == pytest.approx(4.2, abs=0.02)


UNARY = ["sin", "cos", "exp", "tanh", "sigmoid", "square"]


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4),
    chain=st.lists(st.sampled_from(UNARY), min_size=1, max_size=4),
)
def test_tape_agrees_with_pytorch_style_front_end(values, chain):
    """Law: both front ends run the same rules, so the gradients are identical."""
    v = np.array(values)
    x = tf.Variable(v)
    with tf.GradientTape() as t:
        y = x
        for name in chain:
            y = getattr(tf, name)(y)
    g_tape = t.gradient(y, x).numpy()
    xa = ag.tensor(v, requires_grad=True)
    ya = xa
    for name in chain:
        ya = ya * ya if name == "square" else getattr(ag, name)(ya)
    ya.sum().backward()
    np.testing.assert_array_equal(g_tape, xa.grad.numpy())


def test_against_tensorflow_itself():
    real_tf = pytest.importorskip(
        "tensorflow", reason="tensorflow-cpu is an optional test dependency"
    )
    v = np.array([0.3, -1.2, 2.0])
    x = real_tf.Variable(v)
    with real_tf.GradientTape() as t:
        y = real_tf.reduce_sum(real_tf.sin(x) * x) + real_tf.norm(x, ord=3)
    want = t.gradient(y, x).numpy()
    ours = tf.Variable(v)
    with tf.GradientTape() as t2:
        y2 = tf.reduce_sum(tf.sin(ours) * ours) + tf.norm(ours, ord=3)
    np.testing.assert_allclose(t2.gradient(y2, ours).numpy(), want, rtol=1e-12)
