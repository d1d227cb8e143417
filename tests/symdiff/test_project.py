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


def _readme_commands():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    blocks = text.split("```bash\n")[1:]
    return [b.split("\n```")[0].strip() for b in blocks]


def test_readme_main_job_runs_and_ci_runs_the_readme_test_command():
    import shlex
    from pathlib import Path

    main_job, test_command = _readme_commands()[:2]
    assert main_job.startswith("python3 -m pip install -e .")
    assert "pytest" in test_command
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert test_command in ci.splitlines()
    run_part = main_job.split("&&", 1)[1].strip()
    out = subprocess.run(shlex.split(run_part), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "check: agree" in out.stdout
