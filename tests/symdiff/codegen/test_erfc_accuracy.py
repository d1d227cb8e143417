"""erfc to full relative accuracy on every target, over x in [-6, 27].

erfc(x) falls to 1e-300 at x = 26: generated code that computed it as 1 - erf(x) had
an absolute error near 1e-16, so from x = 6 on it returned 0 (relative error 1).  The
references are mpmath at 40 digits (exact here) and scipy.special.erfc, whose own
error grows like x**2 ulps (it rounds x**2 before exp), 6e-14 at x = 25.
"""

import ctypes
import functools
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from symdiff import Symbol, erfc, evaluate, export_c, export_module, lambdify

mpmath = pytest.importorskip("mpmath", reason="mpmath (SymPy's dependency)")
special = pytest.importorskip("scipy.special")

x = Symbol("x")
RTOL = 1e-13
TINY = np.finfo(np.float64).tiny
_points = st.lists(st.floats(-6, 27, allow_nan=False), min_size=1, max_size=12).map(
    np.array
)


def _exact(values):
    with mpmath.workdps(40):
        return np.array([float(mpmath.erfc(mpmath.mpf(float(v)))) for v in values])


def _check(got, values, flushes=False):
    """Relative error below RTOL against mpmath and (in the normal range) scipy.

    Below the normal range (x > 26.55) the error is measured against TINY, or, for
    code that flushes subnormal results to 0 as scipy's erfc does (``flushes``), it
    must stay below TINY."""
    got = np.asarray(got, dtype=np.float64)
    exact = _exact(values)
    err = np.abs(got - exact) / np.maximum(exact, TINY)
    if flushes:
        err = np.where(exact < TINY, 0.0, err)
        assert np.all(np.abs(got - exact)[exact < TINY] < TINY)
    assert err.max() <= RTOL, (values[err.argmax()], got[err.argmax()])
    ref = special.erfc(values)
    normal = ref > 1e-300  # scipy returns 0 once the value is subnormal
    err = np.abs(got - ref)[normal] / ref[normal]
    assert err.max(initial=0.0) <= 1.5 * RTOL


def _np(a):
    return np.asarray(a.tolist() if hasattr(a, "tolist") else a, dtype=np.float64)


@functools.cache
def _exported():
    namespace = {}
    source = export_module({"f": erfc(x)}, [x])
    exec(compile(source, "exported", "exec"), namespace)
    return namespace["f"]


@functools.cache
def _exported_xp():
    namespace = {}
    source = export_module({"f": erfc(x)}, [x], target="array_api")
    exec(compile(source, "exported_xp", "exec"), namespace)
    return namespace["f"]


@settings(max_examples=25, deadline=None)
@given(_points)
@example(np.array([6.0, 10.0, 20.0, 26.0, 26.9]))
@example(np.array([-6.0, -1.0, 0.0, 0.5, 1.49, 1.5, 2.0, 5.0]))
def test_numpy_code_evaluate_and_lambdify_are_relatively_accurate(values):
    _check(_exported()(values), values)
    # scipy's erfc
    _check(evaluate(erfc(x), {x: values}), values, flushes=True)
    _check(lambdify([x], erfc(x))(values), values, flushes=True)


def test_exported_numpy_code_needs_no_scipy_and_handles_edges():
    source = export_module({"f": erfc(x)}, [x])
    assert "def _erfc(" in source and "scipy" not in source
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = _exported()(np.array([np.inf, -np.inf, 30.0, 1e300, -1e300, -0.0]))
    np.testing.assert_array_equal(got, [0.0, 2.0, 0.0, 0.0, 2.0, 1.0])
    assert np.isnan(_exported()(np.nan))
    # float32 code: the same helper, evaluated in single precision
    namespace = {}
    exec(export_module({"f": erfc(x)}, [x], dtype="float32"), namespace)
    values = np.linspace(-6.0, 9.0, 301)
    got = namespace["f"](values.astype(np.float32))
    assert got.dtype == np.float32
    exact = _exact(values.astype(np.float32))
    normal = exact > np.finfo(np.float32).tiny
    np.testing.assert_allclose(got[normal], exact[normal], rtol=2e-5)


@settings(max_examples=15, deadline=None)
@given(_points)
@example(np.array([6.0, 10.0, 20.0, 26.0, 26.9]))
def test_array_api_target_fallback_and_namespaces(values):
    xps = pytest.importorskip(
        "array_api_strict", reason="array-api-strict (test extra)"
    )
    pytest.importorskip("array_api_compat", reason="the array_api extra")
    f = _exported_xp()
    # array-api-strict has no erfc: the generated series
    _check(_np(f(xps.asarray(values))), values)
    _check(f(values), values, flushes=True)  # numpy: scipy's erfc
    f = lambdify([x], erfc(x), backend="array_api")
    _check(_np(f(xps.asarray(values))), values)


@settings(max_examples=10, deadline=None)
@given(_points)
@example(np.array([6.0, 10.0, 20.0, 26.0]))
def test_array_api_target_on_torch(values):
    torch = pytest.importorskip("torch")
    pytest.importorskip("array_api_compat", reason="the array_api extra")
    got = _exported_xp()(torch.asarray(values, dtype=torch.float64))
    _check(got.numpy(), values)


@settings(max_examples=10, deadline=None)
@given(_points)
@example(np.array([6.0, 10.0, 20.0, 26.0]))
def test_numba_target(values):
    pytest.importorskip("numba", reason="the numba extra")
    _check(_numba()(values), values)


@functools.cache
def _numba():
    return lambdify([x], erfc(x), backend="numba")


CC = shutil.which("cc")


@pytest.mark.skipif(CC is None, reason="no C compiler (cc) on this machine")
def test_c_target(tmp_path):
    path = tmp_path / "gen.c"
    export_c({"f": erfc(x)}, [x], path)
    lib = tmp_path / "libgen.so"
    cmd = [CC, "-std=c99", "-O1", "-shared", "-fPIC", str(path), "-o", str(lib), "-lm"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    fn = ctypes.CDLL(str(lib)).f_batch
    dptr = ctypes.POINTER(ctypes.c_double)
    fn.argtypes = [ctypes.c_long, dptr, dptr]
    values = np.concatenate([np.linspace(-6, 27, 2001), [6.0, 10.0, 26.0]])
    inputs = np.ascontiguousarray(values[:, None])
    out = np.empty_like(inputs)
    fn(len(values), inputs.ctypes.data_as(dptr), out.ctypes.data_as(dptr))
    _check(out[:, 0], values)
