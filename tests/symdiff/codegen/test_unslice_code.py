"""Generated code for ``unslice`` (the adjoint of a slice) with any step.

A strided slice's gradient zero-pads its cotangent with ``step - 1`` zeros between
entries. The numpy code writes it with one allocation and one strided assignment,
and the array-API code by joining zeros on. Neither builds a product with rows of an
identity, which would cost ``size * count``. Both are checked against the reference
interpreter ``evaluate``.
"""

import importlib.util
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff as sd
from symdiff import Symbol, evaluate, export_module, grad, lambdify
from symdiff.core.expr import apply


@st.composite
def strided(draw):
    """``(size, start, stop, step)`` of a slice with at least one entry."""
    size = draw(st.integers(1, 14))
    step = draw(st.sampled_from([-3, -2, -1, 1, 2, 3, 5]))
    start = draw(st.integers(0, size - 1))
    stop = draw(st.one_of(st.none(), st.integers(-1, size)))
    if stop is not None and len(range(size)[start:stop:step]) == 0:
        stop = None
    return size, start, stop, step


@settings(max_examples=40, deadline=None)
@given(strided(), st.sampled_from([0, 1]), st.booleans(), st.integers(0, 2**16))
def test_strided_slice_gradients_match_evaluate(sl, axis, batch, seed):
    size, start, stop, step = sl
    shape = (size, 3) if axis == 0 else (3, size)
    x = Symbol("x", shape=shape)
    index = (
        (slice(start, stop, step),)
        if axis == 0
        else (slice(None), slice(start, stop, step))
    )
    part = x[index]
    g = grad((part**2 * sd.sin(part)).sum(), [x])[0]
    fn = lambdify([x], g)
    assert "np.eye" not in fn.source
    rng = np.random.default_rng(seed)
    v = rng.uniform(-1.0, 1.0, shape)
    np.testing.assert_allclose(fn(v), evaluate(g, {x: v}), rtol=1e-12, atol=1e-14)
    if batch:  # a leading batch axis
        vb = rng.uniform(-1.0, 1.0, (2, *shape))
        got = fn(vb)
        for k in range(2):
            ref = evaluate(g, {x: vb[k]})
            np.testing.assert_allclose(got[k], ref, rtol=1e-12, atol=1e-14)


def test_the_code_is_one_helper_call_with_the_step():
    x = Symbol("x", shape=(12,))
    e = apply("unslice", x[1:9:3], axis=-1, start=1, stop=9, step=3, size=12)
    src = lambdify([x], e).source
    assert "_unslice(" in src and ", 3)" in src and "np.eye" not in src
    v = np.arange(12.0)
    expect = np.zeros(12)
    expect[1:9:3] = v[1:9:3]
    np.testing.assert_array_equal(lambdify([x], e)(v), expect)


def test_a_large_strided_unslice_is_linear():
    # size 10**5 with 300 entries: an identity's rows would be 240 MB of float64
    n, step = 100_000, 333
    x = Symbol("x", shape=(n,))
    g = grad((sd.exp(x[::step])).sum(), [x])[0]
    v = np.linspace(-1.0, 1.0, n)
    got = lambdify([x], g)(v)
    expect = np.zeros(n)
    expect[::step] = np.exp(v[::step])
    np.testing.assert_allclose(got, expect, rtol=1e-15)


@settings(max_examples=20, deadline=None)
@given(strided(), st.integers(0, 2**16))
def test_array_api_strict_strided_unslice(sl, seed):
    xps = pytest.importorskip("array_api_strict")
    pytest.importorskip("array_api_compat")
    size, start, stop, step = sl
    x = Symbol("x", shape=(2, size))
    part = x[:, start:stop:step]
    g = grad((part**3).sum(), [x])[0]
    fn = lambdify([x], g, backend="array_api")
    v = np.random.default_rng(seed).uniform(-1.0, 1.0, (2, size))
    got = np.asarray(fn(xps.asarray(v)), dtype=float)
    np.testing.assert_allclose(got, evaluate(g, {x: v}), rtol=1e-12, atol=1e-14)


def test_an_exported_module_with_a_strided_unslice_runs_alone(tmp_path):
    x = Symbol("x", shape=(10,))
    g = grad((x[::-3] ** 2).sum(), [x])[0]
    path = tmp_path / "strided_grad.py"
    export_module({"g": g}, [x], path)
    spec = importlib.util.spec_from_file_location("strided_grad", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["strided_grad"] = module
    try:
        spec.loader.exec_module(module)
        v = np.arange(10.0)
        expect = np.zeros(10)
        expect[::-3] = 2 * v[::-3]
        np.testing.assert_array_equal(module.g(v), expect)
    finally:
        del sys.modules["strided_grad"]
