"""``symdiff export --target numpy|array_api|numba|c``."""

import sys

import numpy as np
import pytest

from symdiff.cli import main


def test_each_python_target_writes_a_module_that_runs(tmp_path, capsys):
    for target in ("numpy", "array_api"):
        path = tmp_path / f"m_{target}.py"
        assert main(["export", "x**2*sin(y)", "--target", target, "-o", str(path)]) == 0
        namespace = {}
        exec(compile(path.read_text(), str(path), "exec"), namespace)
        gx, gy = namespace["grad_f"](2.0, 0.5)
        np.testing.assert_allclose([gx, gy], [4 * np.sin(0.5), 4 * np.cos(0.5)])
    capsys.readouterr()


def test_c_target_writes_source_and_header(tmp_path, capsys):
    path = tmp_path / "g.c"
    assert main(["export", "x**2*sin(y)", "--target", "c", "-o", str(path)]) == 0
    assert "void grad_f(double x, double y, double *out)" in path.read_text()
    assert (
        "void grad_f(double x, double y, double *out);"
        in (tmp_path / "g.h").read_text()
    )
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--target", "fortran"], "invalid choice: 'fortran'"),
        (["--target", "c"], "give -o FILE.c"),
    ],
)
def test_bad_target_is_one_line_and_status_2(argv, message, capsys):
    assert main(["export", "x**2", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_missing_optional_dependency_is_one_line_and_status_2(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba now fails
    assert main(["export", "x**2", "--target", "numba"]) == 2
    err = capsys.readouterr().err
    assert 'pip install "symdiff[numba]"' in err and err.count("\n") == 1
