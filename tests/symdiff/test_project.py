"""Project-level promises: the core imports without optional extras; the CLI runs."""

import subprocess
import sys

BLOCK_MATPLOTLIB = (
    "import sys; sys.modules['matplotlib'] = None; "
    "import symdiff, numeric; "
    "from symdiff import Symbol, diff; print(diff(Symbol('x')**2, Symbol('x')))"
)


def test_core_imports_without_matplotlib():
    out = subprocess.run(
        [sys.executable, "-c", BLOCK_MATPLOTLIB],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "2*x"


def test_cli_help_and_demo():
    out = subprocess.run(
        [sys.executable, "-m", "symdiff"], capture_output=True, text=True, check=True
    )
    assert "usage: symdiff" in out.stdout
    demo = subprocess.run(
        [sys.executable, "-m", "symdiff", "demo"], capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stderr
    assert "f'(x) = 6*x - 4" in demo.stdout
    assert "agree" in demo.stdout
