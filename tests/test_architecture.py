"""The architecture, checked: import-linter contracts (and that they can fail), module
sizes, and what ``import symdiff`` must not pull in."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("symdiff", "numeric")
MAX_FILE_LINES = 700
MAX_FUNCTION_LINES = 60


def _lint_imports(cwd, pythonpath=None):
    env = None
    if pythonpath is not None:
        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_import_contracts_are_kept():
    out = _lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


@pytest.mark.parametrize(
    ("path", "planted", "contract"),
    [
        # the core importing a printer: a layer violation
        ("symdiff/core/traverse.py", "import symdiff.printing", "symdiff layers"),
        # the numeric half importing the symbolic half
        ("numeric/validation.py", "import symdiff", "never imports the symbolic"),
        # codegen reaching for the numeric half (only the CLI may)
        ("symdiff/codegen/__init__.py", "import numeric", "only from its CLI"),
    ],
)
def test_import_contracts_fail_on_a_planted_violation(
    tmp_path, path, planted, contract
):
    for pkg in PACKAGES:
        shutil.copytree(
            ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / path
    target.write_text(target.read_text() + f"\n{planted}  # planted violation\n")
    out = _lint_imports(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0, out.stdout
    broken = out.stdout.split("Broken contracts")[-1]
    assert contract in broken and "planted" not in broken.split(contract)[0]


def _python_files():
    for pkg in PACKAGES:
        yield from sorted((ROOT / pkg).rglob("*.py"))


def test_no_module_over_700_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in _python_files()
        if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES
    }
    assert not long


def _function_lengths(path):
    """(name, line, length without docstring, comment above) of every function."""
    text = path.read_text()
    lines = text.splitlines()
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.lineno + 1
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            length -= first.end_lineno - first.lineno + 1
        top = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        above = lines[top - 2].strip() if top >= 2 else ""
        yield node.name, node.lineno, length, above


def test_long_functions_say_why():
    """A function over 60 lines (docstring aside) has a ``# long: why`` comment."""
    unexplained = [
        f"{p.relative_to(ROOT)}:{line} {name} ({n} lines)"
        for p in _python_files()
        for name, line, n, above in _function_lengths(p)
        if n > MAX_FUNCTION_LINES and not above.startswith("# long:")
    ]
    assert not unexplained


def _modules_after(code):
    out = subprocess.run(
        [sys.executable, "-c", code + "; import sys; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


def test_import_symdiff_loads_no_heavy_or_optional_module():
    loaded = _modules_after("import symdiff")
    for heavy in ("sympy", "scipy.special", "hypothesis", "matplotlib", "numeric"):
        assert heavy not in loaded


def test_strategies_import_without_hypothesis_and_say_what_is_missing():
    code = (
        "import sys; sys.modules['hypothesis'] = None; "
        "import symdiff, symdiff.strategies as S\n"
        "try:\n    S.expressions([symdiff.Symbol('x')])\n"
        "except ImportError as exc:\n    print(exc)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "needs hypothesis" in out.stdout and "pip install" in out.stdout
