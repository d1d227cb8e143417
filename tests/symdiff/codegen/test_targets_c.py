"""The C target: compiled with the system cc into a shared library, called through
ctypes, against the reference interpreter ``evaluate``."""

import ctypes
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    Symbol,
    apply,
    erf,
    evaluate,
    export_c,
    grad,
    heaviside,
    sin,
    symbols,
)
from symdiff.strategies import expressions

x, y = symbols("x y")
A = Symbol("A", shape=(3,))
M = Symbol("M", shape=(2, 3))
CC = shutil.which("cc")
needs_cc = pytest.mark.skipif(CC is None, reason="no C compiler (cc) on this machine")


def _build(tmp_path, functions, args):
    """Compile the export into a shared library; return it (ctypes)."""
    path = tmp_path / "gen.c"
    export_c(functions, args, path)
    lib = tmp_path / "libgen.so"
    cmd = [CC, "-std=c99", "-O1", "-Wall", "-Werror", "-pedantic", "-shared",
           "-fPIC", str(path), "-o", str(lib), "-lm"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return ctypes.CDLL(str(lib))


def _batch(lib, name, inputs, n_out, single=False):
    """Call ``name_batch`` on the (points, inputs) array ``inputs``."""
    real = np.float32 if single else np.float64
    cptr = ctypes.POINTER(ctypes.c_float if single else ctypes.c_double)
    inputs = np.ascontiguousarray(inputs, dtype=real)
    out = np.empty((inputs.shape[0], n_out), dtype=real)
    fn = getattr(lib, f"{name}{'_f32' if single else ''}_batch")
    fn.argtypes = [ctypes.c_long, cptr, cptr]
    fn(inputs.shape[0], inputs.ctypes.data_as(cptr), out.ctypes.data_as(cptr))
    return out


@needs_cc
@settings(max_examples=8)
@given(
    st.lists(expressions([x, y], max_leaves=10, smooth=False), min_size=1, max_size=6)
)
def test_random_expressions_compiled_match_evaluate(tmp_path_factory, exprs):
    tmp = tmp_path_factory.mktemp("c")
    lib = _build(tmp, {"f": exprs}, [x, y])
    pts = np.random.default_rng(0).uniform(-2, 2, size=(7, 2))
    got = _batch(lib, "f", pts, len(exprs))
    with np.errstate(all="ignore"):
        for k, e in enumerate(exprs):
            ref = evaluate(e, {x: pts[:, 0], y: pts[:, 1]}) * np.ones(7)
            np.testing.assert_allclose(got[:, k], ref, rtol=1e-9, atol=1e-12)
    got32 = _batch(lib, "f", pts, len(exprs), single=True)
    finite = np.isfinite(got) & (np.abs(got) < 1e6)
    np.testing.assert_allclose(got32[finite], got[finite], rtol=2e-3, atol=1e-3)


@needs_cc
def test_constants_beyond_float_range_compile_in_single_precision(tmp_path):
    # a literal like 1.7e-177f does not compile under -Werror: the float variant
    # writes the value it has in single precision (0, inf), as numpy float32 does
    outputs = [x * 1.7e-177, x * 1e300, x * -1e300, x * 0.25]
    lib = _build(tmp_path, {"f": outputs}, [x])
    got = _batch(lib, "f", np.array([[2.0]]), 4, single=True)[0]
    with np.errstate(over="ignore", under="ignore"):
        want = np.float32(2.0) * np.array([1.7e-177, 1e300, -1e300, 0.25], np.float32)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_allclose(_batch(lib, "f", np.array([[2.0]]), 4)[0][[0, 3]],
                               [3.4e-177, 0.5])  # fmt: skip


@needs_cc
def test_tensor_ops_and_the_point_form(tmp_path):
    T = pytest.importorskip("symdiff.constructors.tensor")
    f = T.sum(M @ A * x) + apply("prod", A, axis=None) + heaviside(y) + erf(x)
    outs = [f, *grad(f, [x, A, M]), T.cumsum(A, axis=0), M.T, M[1, 1:3] * y]
    lib = _build(tmp_path, {"g": outs}, [x, y, A, M])
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(5, 2 + 3 + 6))
    got = _batch(lib, "g", pts, 1 + 1 + 3 + 6 + 3 + 6 + 2)
    for i, p in enumerate(pts):
        env = {x: p[0], y: p[1], A: p[2:5], M: p[5:].reshape(2, 3)}
        ref = np.concatenate([np.ravel(evaluate(o, env)) for o in outs])
        np.testing.assert_allclose(got[i], ref, rtol=1e-12, atol=1e-14)
    # the point form: numbers for scalar symbols, pointers for tensors
    dptr = ctypes.POINTER(ctypes.c_double)
    lib.g.argtypes = [ctypes.c_double, ctypes.c_double, dptr, dptr, dptr]
    a, m = np.ascontiguousarray(pts[0, 2:5]), np.ascontiguousarray(pts[0, 5:])
    out = np.empty(got.shape[1])
    lib.g(pts[0, 0], pts[0, 1], a.ctypes.data_as(dptr), m.ctypes.data_as(dptr),
          out.ctypes.data_as(dptr))  # fmt: skip
    np.testing.assert_array_equal(out, got[0])


def test_source_is_readable_and_cse_d():
    s = sin(x) * y
    src, hdr = export_c({"f": [s + s**2, s * x]}, [x, y])
    body = src[src.index("void f(double") : src.index("void f_batch")]
    code = [ln for ln in body.splitlines() if not ln.lstrip().startswith("/*")]
    assert (
        "\n".join(code).count("sin(x)") == 1
    )  # computed once, in the shared statement
    assert "const double _t0 = sin(x) * y;" in body
    assert "/* output 1: " in body
    assert "void f(double x, double y, double *out);" in hdr
    assert "#define F_N_OUT 2" in hdr


def test_names_are_made_safe_for_c():
    weird = [Symbol("double"), Symbol("x); system(1"), Symbol("sin")]
    src, _ = export_c({"f": weird[0] * weird[1] + weird[2]}, weird)
    assert "void f(double _s0_double, double _s1_x_system_1, double _s2_sin," in src
    with pytest.raises(ValueError, match="function name 'int'"):
        export_c({"int": x}, [x])


def test_unsupported_ops_are_named():
    T = pytest.importorskip("symdiff.constructors.tensor")
    B = Symbol("B", shape=(2, 2))
    with pytest.raises(NotImplementedError, match="'inv'"):
        export_c({"f": T.inv(B)}, [B])
