"""export_module: standalone numpy-only modules, checked outside symdiff."""

import ast
import builtins
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import symdiff
from numeric import gradient as fd_gradient
from symdiff import (
    Symbol,
    apply,
    atan,
    const,
    cosh,
    erf,
    evaluate,
    exp,
    export_module,
    grad,
    hessian,
    log1p,
    maximum,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    symbols,
    tanh,
)
from symdiff.strategies import expressions

x, y = symbols("x y")
A = Symbol("A", shape=(3,))
ROOT = Path(__file__).resolve().parents[3]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def _load(source, name="generated"):
    """Execute a generated module in a namespace whose imports only allow numpy."""
    real_import = builtins.__import__

    def only_numpy(name, *args, **kwargs):
        if name != "numpy" and not name.startswith("numpy."):
            raise ImportError(f"generated code imported {name!r}")
        return real_import(name, *args, **kwargs)

    namespace = {"__name__": name, "__builtins__": {**vars(builtins)}}
    namespace["__builtins__"]["__import__"] = only_numpy
    exec(compile(source, f"<{name}>", "exec"), namespace)
    return namespace


# -- the snapshot: readable code is a feature ------------------------------------------

ROSENBROCK = (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_module():
    return export_module(
        {
            "f": ROSENBROCK,
            "grad_f": grad(ROSENBROCK, [x, y]),
            "hess_f": hessian(ROSENBROCK, [x, y]),
        },
        [x, y],
    )


def test_snapshot_of_the_2d_rosenbrock_module():
    """The exported text for a small fixed input, reviewed and kept in a file.

    After an intended change of the generated code, regenerate it with
    ``SYMDIFF_UPDATE_SNAPSHOTS=1 python -m pytest tests/symdiff/codegen/test_export.py``
    and review the diff.
    """
    path = SNAPSHOTS / "export_rosenbrock2.txt"
    text = _rosenbrock_module().replace(
        f"symdiff {symdiff.__version__};", "symdiff {version};"
    )
    if os.environ.get("SYMDIFF_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_snapshot_module_computes_the_hand_derived_derivatives():
    ns = _load((SNAPSHOTS / "export_rosenbrock2.txt").read_text(encoding="utf-8"))
    rng = np.random.default_rng(5)
    px, py = rng.uniform(-2, 2, size=(2, 50))
    d = py - px**2
    np.testing.assert_allclose(ns["f"](px, py), (1 - px) ** 2 + 100 * d**2)
    gx, gy = ns["grad_f"](px, py)
    np.testing.assert_allclose(gx, -2 * (1 - px) - 400 * px * d, rtol=1e-12)
    np.testing.assert_allclose(gy, 200 * d, rtol=1e-12)
    (hxx, hxy), (hyx, hyy) = ns["hess_f"](px, py)
    np.testing.assert_allclose(hxx, 2 - 400 * d + 800 * px**2, rtol=1e-12)
    np.testing.assert_allclose(hxy, -400 * px, rtol=1e-12)
    np.testing.assert_allclose(hyx, -400 * px, rtol=1e-12)
    np.testing.assert_array_equal(hyy, np.full(50, 200.0))


def test_module_docstring_names_expressions_and_version():
    src = _rosenbrock_module()
    doc = ast.get_docstring(ast.parse(src))
    assert f"symdiff {symdiff.__version__}" in doc
    assert str(ROSENBROCK) in doc
    for g in grad(ROSENBROCK, [x, y]):
        assert str(g) in doc


# -- a fresh interpreter where symdiff cannot be imported ------------------------------

FRESH = r"""
import importlib.abc, importlib.util, json, sys

BLOCKED = ("symdiff", "numeric", "scipy", "sympy")


class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked in this test")
        return None


sys.meta_path.insert(0, Block())
sys.path = [p for p in sys.path if p and p != ROOT]
try:
    import symdiff  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("symdiff is importable")

import numpy as np

spec = importlib.util.spec_from_file_location("exported", MODULE)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
points = json.loads(POINTS)
out = {}
for name in mod.__all__:
    res = getattr(mod, name)(*[np.array(p) for p in points])
    flat = res if isinstance(res, tuple) else (res,)
    out[name] = [np.asarray(r).tolist() for r in flat]
out["modules"] = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
print(json.dumps(out))
"""

FUNCTIONS = {
    "f1": x**2 * sin(y) + exp(-x * y) / 3,
    "f2": erf(x * y) + sigmoid(x - y) + softplus(y),
    "f3": log1p(x**2) * atan(y) + sqrt(1 + y**2) + tanh(x) * cosh(y / 2),
    "f4": maximum(x, y) * symdiff.abs(x) + relu(y) * x,
    "f5": apply("sum", A * x**2, axis=0)
    + apply("sum", sin(A) * const(np.array([1.0, -2.0, 0.5])), axis=0) * y,
    "f6": const(3),
}
WRT = [x, y, A]


def _reference(f, px, py, pA):
    """Value and gradient per point, by evaluate and by finite differences."""
    vals, grads, fds = [], [], []
    g = grad(f, WRT)
    for i in range(len(px)):
        at = {x: px[i], y: py[i], A: pA[i]}
        vals.append(float(evaluate(f, at)))
        gv = evaluate(list(g), at)
        grads.append(np.concatenate([np.ravel(v) for v in gv]))

        def flat(v):
            return float(evaluate(f, {x: v[0], y: v[1], A: v[2:]}))

        fds.append(fd_gradient(flat, np.concatenate([[px[i], py[i]], pA[i]])))
    return np.array(vals), np.array(grads), np.array(fds)


def test_exported_module_runs_without_symdiff_and_matches(tmp_path):
    functions = {}
    for name, f in FUNCTIONS.items():
        functions[name] = f
        functions[f"grad_{name}"] = grad(f, WRT)
    path = tmp_path / "exported.py"
    source = export_module(functions, [x, y, A], path)
    assert path.read_text(encoding="utf-8") == source
    imports = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import)]
    assert [a.name for n in imports for a in n.names] == ["numpy"]
    assert not any(isinstance(n, ast.ImportFrom) for n in ast.walk(ast.parse(source)))

    rng = np.random.default_rng(7)
    n = 6
    px, py = rng.uniform(-1.5, 1.5, size=(2, n))
    pA = rng.uniform(-1.5, 1.5, size=(n, 3))
    points = [px.tolist(), py.tolist(), pA.tolist()]
    code = (
        f"ROOT = {str(ROOT)!r}\nMODULE = {str(path)!r}\n"
        f"POINTS = {json.dumps(points)!r}\n" + FRESH
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out.pop("modules") == []  # neither symdiff nor scipy nor sympy was loaded

    for name, f in FUNCTIONS.items():
        vals, grads, fds = _reference(f, px, py, pA)
        (got_f,) = out[name]
        np.testing.assert_allclose(got_f, vals, rtol=1e-12, atol=1e-14)
        gx, gy, gA = (np.asarray(v) for v in out[f"grad_{name}"])
        assert gx.shape == gy.shape == (n,) and gA.shape == (n, 3)  # broadcast
        got_g = np.column_stack([gx, gy, gA])
        np.testing.assert_allclose(got_g, grads, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(got_g, fds, rtol=1e-6, atol=1e-7)


# -- property: the exported gradient equals finite differences -------------------------


@given(
    expressions([x, y], max_leaves=8),
    st.floats(-1.5, 1.5),
    st.floats(-1.5, 1.5),
)
def test_exported_gradient_equals_finite_differences(e, px, py):
    ns = _load(export_module({"f": e, "g": grad(e, [x, y])}, [x, y]))
    with np.errstate(all="ignore"):
        value = float(ns["f"](px, py))
        exact = np.array([float(v) for v in ns["g"](px, py)])
        ref = float(evaluate(e, {x: px, y: py}))
    assume(math.isfinite(value) and np.all(np.isfinite(exact)))
    assume(abs(value) < 1e8 and np.max(np.abs(exact)) < 1e8)
    assert math.isclose(value, ref, rel_tol=1e-12, abs_tol=1e-14)
    with np.errstate(all="ignore"):
        res = fd_gradient(
            lambda v: float(ns["f"](v[0], v[1])), np.array([px, py]), full_output=True
        )
    assume(np.all(res.success))
    scale = max(1.0, abs(value), float(np.max(np.abs(exact))))
    assert np.all(np.abs(res.value - exact) <= 1e-6 * scale + 10 * res.error), (
        str(e),
        res.value,
        exact,
    )


# -- the module is clean, deterministic, and safe --------------------------------------


def _big_module():
    xs = [Symbol(f"x{i}") for i in range(60)]
    f = sum(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(59))
    c = const(np.linspace(-1, 1, 40).reshape(8, 5))
    B = Symbol("B", shape=(8, 5))
    return export_module(
        {
            "rosen": f,
            "grad_rosen": grad(f, xs),
            "tensor": {"s": apply("sum", B * c, axis=None), 1: B * c + erf(xs[0])},
            "a_function_name_long_enough_to_need_a_short_docstring": 1,
        },
        [*xs, B],
    )


def _hostile_module(target):
    s = Symbol(f"x); __import__('os').system('touch {target}'); (")
    t = Symbol(f'"""\n__import__("os").system("touch {target}")\n#\\\u00e9')
    return export_module({"h": s * t + sin(s), "grad_h": grad(s * t, [s, t])}, [s, t])


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_exported_modules_pass_ruff(tmp_path):
    files = []
    for name, src in [
        ("rosen2.py", _rosenbrock_module()),
        ("big.py", _big_module()),
        ("hostile.py", _hostile_module(tmp_path / "pwned")),
    ]:
        (tmp_path / name).write_text(src, encoding="utf-8")
        files.append(str(tmp_path / name))
    run = subprocess.run(
        [
            "ruff",
            "check",
            "--isolated",
            "--select",
            "E,F,W,I,B,UP",
            "--line-length",
            "88",
            "--target-version",
            "py310",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (tmp_path / "pwned").exists()
    # ruff's own defaults too (they include RUF022, a sorted __all__), on names whose
    # order needs ruff's isort-style rule: constants, classes, natural numbers
    x = Symbol("x")
    odd = {n: x * i for i, n in enumerate(["loss", "f10", "f2", "GRAD", "Loss", "a_9"])}
    (tmp_path / "odd.py").write_text(export_module(odd, [x]), encoding="utf-8")
    run = subprocess.run(
        ["ruff", "check", "--isolated", *files, str(tmp_path / "odd.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_hostile_names_execute_nothing_and_are_documented_escaped(tmp_path):
    target = tmp_path / "pwned"
    src = _hostile_module(target)
    ns = _load(src)
    assert not target.exists()
    assert float(ns["h"](2.0, 3.0)) == pytest.approx(6.0 + math.sin(2.0))
    assert [float(v) for v in ns["grad_h"](2.0, 3.0)] == [3.0, 2.0]
    doc = ast.get_docstring(ast.parse(src))
    assert "__import__('os').system" in doc  # the names are shown, as text
    assert "\u00e9" in doc


def test_export_is_deterministic_across_processes():
    code = (
        "import sys; from symdiff import Symbol, grad, export_module, sin, exp\n"
        "x, y = Symbol('x'), Symbol('y')\n"
        "f = exp(x * y) * sin(x) + (x - y) ** 2 / 3\n"
        "sys.stdout.write(export_module({'f': f, 'g': grad(f, [x, y])}, [x, y]))\n"
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        outs.append(run.stdout)
    f = exp(x * y) * sin(x) + (x - y) ** 2 / 3
    here = export_module({"f": f, "g": grad(f, [x, y])}, [x, y])
    assert outs[0] == outs[1] == here


# -- numpy-only erf --------------------------------------------------------------------


def test_exported_erf_is_accurate_to_1e_13_relative():
    ns = _load(export_module({"e": erf(x)}, [x]))
    assert "def _erf(" in export_module({"e": erf(x)}, [x])
    assert "def _erf(" not in export_module({"e": sin(x)}, [x])
    pts = np.concatenate(
        [
            np.linspace(-7, 7, 4001),
            np.geomspace(1e-300, 1e-2, 60),
            -np.geomspace(1e-12, 6, 60),
            [2.5, -2.5, np.nextafter(2.5, 0), 1e300],
        ]
    )
    got = ns["e"](pts)
    mpmath.mp.dps = 30
    ref = np.array([float(mpmath.erf(mpmath.mpf(float(v)))) for v in pts])
    nz = ref != 0
    assert np.max(np.abs(got[nz] - ref[nz]) / np.abs(ref[nz])) < 1e-13
    np.testing.assert_array_equal(got[~nz], 0.0)
    special = ns["e"](np.array([np.inf, -np.inf, np.nan, 0.0]))
    np.testing.assert_array_equal(special[:2], [1.0, -1.0])
    assert np.isnan(special[2]) and special[3] == 0.0


# -- other options and bad input -------------------------------------------------------


def test_float32_module():
    ns = _load(
        export_module({"g": grad(sin(x) * y + 2.5, [x, y])}, [x, y], dtype="float32")
    )
    gx, gy = ns["g"](np.linspace(0, 1, 4), 2.0)
    assert gx.dtype == gy.dtype == np.float32
    assert gy.shape == (4,)
    np.testing.assert_allclose(gx, 2 * np.cos(np.linspace(0, 1, 4)), rtol=1e-6)


def test_constant_arrays_are_module_level_literals():
    c = const(np.array([[1.5, -np.inf], [np.nan, 2.0]]))
    B = Symbol("B", shape=(2, 2))
    src = export_module({"k": B * c}, [B])
    assert "_c0 = np.array([[1.5, -np.inf], [np.nan, 2.0]], dtype=np.float64)" in src
    out = _load(src)["k"](np.ones((2, 2)))
    np.testing.assert_array_equal(out, np.array([[1.5, -np.inf], [np.nan, 2.0]]))


@pytest.mark.parametrize(
    "name", ["", "1f", "class", "np", "sum", "_private", "a-b", "f" * 61]
)
def test_bad_function_names_are_rejected(name):
    with pytest.raises(ValueError, match="function name"):
        export_module({name: x}, [x])


def test_bad_arguments_are_rejected(tmp_path):
    with pytest.raises(TypeError, match="non-empty dict"):
        export_module({}, [x])
    with pytest.raises(TypeError, match="non-empty dict"):
        export_module([x], [x])
    with pytest.raises(ValueError, match="not in args"):
        export_module({"f": x * y}, [x])
    with pytest.raises(ValueError, match="dict keys"):
        export_module({"f": {x: x}}, [x])
    with pytest.raises(OSError):
        export_module({"f": x}, [x], tmp_path / "missing" / "out.py")


def test_a_long_expression_is_cut_in_the_docstring_with_its_size():
    import builtins

    xs = [Symbol(f"x{i}") for i in range(60)]
    f = builtins.sum(sin(a) * b for a, b in zip(xs, xs[1:], strict=False))
    doc = ast.get_docstring(ast.parse(export_module({"f": f}, xs)))
    from symdiff import count_nodes

    assert f" ... ({count_nodes(f)} nodes in all)" in doc
    assert len(doc) < 2000  # the cut keeps the docstring short
