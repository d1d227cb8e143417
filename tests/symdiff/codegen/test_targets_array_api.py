"""The array-API target: one generated function on numpy, array-api-strict, torch,
JAX and dask, against the reference interpreter ``evaluate``."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    Symbol,
    apply,
    const,
    erf,
    evaluate,
    export_module,
    grad,
    heaviside,
    lambdify,
    maximum,
    sin,
    symbols,
)
from symdiff.strategies import expressions

x, y = symbols("x y")
A = Symbol("A", shape=(3,))
B = Symbol("B", shape=(3, 3))
xps = pytest.importorskip("array_api_strict", reason="array-api-strict (test extra)")
pytest.importorskip("array_api_compat", reason="the array_api extra")

_points = st.lists(st.floats(-2, 2), min_size=3, max_size=3)


def _np(a):
    return np.asarray(a.tolist() if hasattr(a, "tolist") else a, dtype=np.float64)


@settings(max_examples=30)
@given(expressions([x, y], max_leaves=10, smooth=False), _points, _points)
def test_random_expressions_on_array_api_strict_match_evaluate(e, vx, vy):
    f = lambdify([x, y], [e, grad(e, [x, y])], backend="array_api")
    vx, vy = np.array(vx), np.array(vy)
    got = f(xps.asarray(vx), xps.asarray(vy))
    assert type(got[0]).__module__.startswith("array_api_strict")
    ref = [evaluate(o, {x: vx, y: vy}) for o in (e, grad(e, [x, y]))]
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(_np(got[0]), ref[0], rtol=1e-9, atol=1e-12)
        for g, r in zip(got[1], ref[1], strict=True):
            np.testing.assert_allclose(_np(g), r, rtol=1e-9, atol=1e-12)


@settings(max_examples=20)
@given(expressions([x, A], max_leaves=8), st.floats(-2, 2))
def test_random_tensor_expressions_on_torch_match_evaluate(e, vx):
    torch = pytest.importorskip("torch")
    f = _sum(e * A) + x * e.sum() if e.shape else _sum(A * e)
    outs = [f, *grad(f, [x, A])]
    vA = np.array([0.5, -1.0, 1.5])
    fn = lambdify([x, A], outs, backend="array_api")
    got = fn(torch.tensor(vx, dtype=torch.float64), torch.tensor(vA))
    ref = [evaluate(o, {x: vx, A: vA}) for o in outs]
    for g, r in zip(got, ref, strict=True):
        assert isinstance(g, torch.Tensor)
        np.testing.assert_allclose(g.numpy(), r, rtol=1e-9, atol=1e-12)


def _sum(e):
    return apply("sum", e, axis=None)


def test_tensor_ops_of_the_op_table_on_strict_and_torch():
    T = pytest.importorskip("symdiff.constructors.tensor")
    torch = pytest.importorskip("torch")
    v = A
    exprs = [
        B @ v,
        B.T @ B,
        B[1:3, 0] * x,
        T.concatenate([v, v * x]),
        T.cumsum(v, axis=0),
        T.det(B),
        T.inv(B),
        T.dot(v, v) * x,
        T.mean(B, axis=1),
        apply("take", v, index=1, axis=0) * x,
        T.trace(B) + x,
    ]
    rng = np.random.default_rng(4)
    vx = rng.normal(size=4)
    vB = rng.normal(size=(4, 3, 3)) + 3 * np.eye(3)
    vv = rng.normal(size=(4, 3))
    for e in exprs:
        f = _sum(e) if e.shape else e
        outs = [e, *grad(f, [x, B, v])]
        fn = lambdify([x, B, v], outs, backend="array_api")
        for conv in (xps.asarray, torch.asarray):
            got = fn(conv(vx), conv(vB), conv(vv))
            for i in range(4):
                ref = [evaluate(o, {x: vx[i], B: vB[i], v: vv[i]}) for o in outs]
                for g, r in zip(got, ref, strict=True):
                    np.testing.assert_allclose(_np(g)[i], r, rtol=1e-10, atol=1e-12)


def test_special_functions_dispatch_per_namespace():
    torch = pytest.importorskip("torch")
    scipy_special = pytest.importorskip("scipy.special")
    e = [erf(x), heaviside(x), maximum(x, 0.5), sin(const(2)) * x]
    f = lambdify([x], e, backend="array_api")
    pts = np.array([-3.0, -0.2, 0.0, 0.7, 4.0])
    ref = [scipy_special.erf(pts), np.heaviside(pts, 0.0), np.maximum(pts, 0.5)]
    ref.append(np.sin(2.0) * pts)
    for arr in (pts, xps.asarray(pts), torch.asarray(pts)):
        for g, r in zip(f(arr), ref, strict=True):
            np.testing.assert_allclose(_np(g), r, rtol=1e-14, atol=1e-15)


def test_jax_and_dask_run_the_same_function():
    jnp = pytest.importorskip("jax.numpy")
    da = pytest.importorskip("dask.array")
    f = lambdify([x, y], grad(x**2 * sin(y) + erf(x), [x, y]), backend="array_api")
    pts = np.linspace(-1, 1, 6)
    ref = [evaluate(o, {x: pts, y: 0.3}) for o in grad(x**2 * sin(y) + erf(x), [x, y])]
    g32 = grad(x**2 * sin(y) + erf(x), [x, y])
    f32 = lambdify([x, y], g32, backend="array_api", dtype="float32")
    got = f32(jnp.asarray(pts, dtype=jnp.float32), 0.3, xp=jnp)
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_allclose(np.asarray(g), r, rtol=1e-5)
    got = f(da.from_array(pts, chunks=2), 0.3)
    assert hasattr(got[0], "compute")
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_allclose(g.compute(), r, rtol=1e-14)


def test_exported_module_takes_xp_and_imports_only_numpy_and_compat(tmp_path):
    torch = pytest.importorskip("torch")
    f = x**2 * sin(y) + erf(x) + _sum(A * x) + const(np.array([1.0, 2.0, 3.0])) @ A
    src = export_module(
        {"f": f, "g": grad(f, [x, y, A])}, [x, y, A], target="array_api"
    )
    imports = [ln for ln in src.splitlines() if ln.lstrip().startswith("import ")]
    # at module level only numpy (compat optional); inside _erf the namespace's own
    allowed = {"numpy", "array_api_compat", "torch", "jax.scipy.special"}
    assert {ln.split()[1] for ln in imports} <= allowed | {
        "scipy.special",
        "cupyx.scipy.special",
    }
    assert [ln for ln in src.splitlines() if ln.startswith("import")] == [
        "import numpy as np"
    ]
    namespace = {}
    exec(compile(src, "generated", "exec"), namespace)
    vA = np.array([0.1, 0.2, 0.3])
    ref = [evaluate(o, {x: 0.5, y: 1.0, A: vA}) for o in (f, grad(f, [x, y, A]))]
    got = namespace["f"](torch.tensor(0.5), torch.tensor(1.0), torch.asarray(vA))
    np.testing.assert_allclose(got.numpy(), ref[0])
    got = namespace["g"](0.5, 1.0, xps.asarray(vA), xp=xps)
    for g, r in zip(got, ref[1], strict=True):
        np.testing.assert_allclose(_np(g), r)
    path = tmp_path / "generated.py"
    path.write_text(src)
    import shutil
    import subprocess

    if shutil.which("ruff") is None:
        pytest.skip("ruff is not installed")
    done = subprocess.run(
        ["ruff", "check", "--no-cache", str(path)], capture_output=True
    )
    assert done.returncode == 0, done.stdout.decode()


def test_an_op_without_an_array_api_form_is_named(monkeypatch):
    from symdiff.core.spec import OPS

    monkeypatch.setattr(OPS["tan"], "code", "np.fancy_tan({0})")
    with pytest.raises(NotImplementedError, match=r"'tan' uses np.fancy_tan"):
        lambdify([x], apply("tan", x), backend="array_api")


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="backend must be one of"):
        lambdify([x], x, backend="fortran")


def _gpu_arrays():
    """(name, converter to a GPU array, converter back to numpy) per GPU library."""
    out = []
    try:
        import torch

        if torch.cuda.is_available():
            out.append(("torch", lambda a: torch.asarray(a, device="cuda"),
                        lambda t: t.cpu().numpy()))  # fmt: skip
    except ImportError:
        pass
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount():
            out.append(("cupy", cupy.asarray, cupy.asnumpy))
    except Exception:  # no cupy, or no device (CUDARuntimeError)
        pass
    return out


def test_gpu_torch_and_cupy_match_evaluate():
    arrays = _gpu_arrays()
    if not arrays:
        pytest.skip("no GPU with torch (CUDA) or CuPy")
    f = x**2 * sin(y) + erf(x) + heaviside(x - 0.5)
    outs = [f, *grad(f, [x, y])]
    fn = lambdify([x, y], outs, backend="array_api")
    pts = np.linspace(-2, 2, 101)
    ref = [evaluate(o, {x: pts, y: 0.3}) * np.ones(101) for o in outs]
    for _, to_gpu, back in arrays:
        got = fn(to_gpu(pts), to_gpu(np.full(101, 0.3)))
        for g, r in zip(got, ref, strict=True):
            np.testing.assert_allclose(back(g), r, rtol=1e-12, atol=1e-14)
