"""The ``symdiff`` command: subcommands, --json, --check, and bad input."""

import contextlib
import doctest
import io
import json
import math
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given

import symdiff.cli.commands
from symdiff import diff, grad, hessian, parse, simplify, symbols, to_str
from symdiff.cli import main
from symdiff.strategies import expressions

x, y = symbols("x y")


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv):
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


# -- the subcommands -------------------------------------------------------------------


def test_grad_prints_the_gradient_and_its_value(capsys):
    status, out, _ = run(capsys, "grad", "x**2*sin(y)", "--at", "x=1,y=2")
    assert status == 0
    assert "df/dx = 2*x*sin(y)" in out
    assert "df/dy = x**2*cos(y)" in out
    assert f"df/dx = {2 * math.sin(2):.12g}" in out
    assert f"df/dy = {math.cos(2):.12g}" in out


def test_grad_check_reports_a_small_relative_error(capsys):
    status, out, _ = run(capsys, "grad", "x**2*sin(y)", "--at", "x=1,y=2", "--check")
    assert status == 0
    line = [ln for ln in out.splitlines() if ln.startswith("check:")][0]
    err = float(line.split("relative error ")[1].rstrip(")"))
    assert err < 1e-8 and "agree" in line


def test_check_fails_when_the_symbolic_gradient_is_wrong(capsys, monkeypatch):
    def wrong_grad(expr, wrt):
        return tuple(g * 1.001 for g in grad(expr, wrt))

    # the grad command calls the grad that its module imported
    monkeypatch.setattr(symdiff.cli.commands, "grad", wrong_grad)
    status, out, _ = run(capsys, "grad", "x**2*sin(y)", "--at", "x=1,y=2", "--check")
    assert status == 1
    assert "MISMATCH" in out


def test_grad_json(capsys):
    data = run_json(capsys, "grad", "x**2*sin(y)", "--wrt", "y", "--at", "x=1,y=pi/2")
    assert data["wrt"] == ["y"]
    assert data["gradient"] == ["x**2*cos(y)"]
    assert data["at"] == {"x": 1.0, "y": math.pi / 2}
    assert data["value"] == pytest.approx(1.0)
    assert data["gradient_value"][0] == pytest.approx(0.0, abs=1e-15)


def test_grad_json_check(capsys):
    data = run_json(capsys, "grad", "exp(x*y)/y", "--at", "x=0.5,y=2", "--check")
    assert data["check"]["ok"] is True
    assert data["check"]["relative_error"] < 1e-8
    np.testing.assert_allclose(
        data["finite_differences"], data["gradient_value"], rtol=1e-8, atol=1e-12
    )


def test_diff_with_order_and_check(capsys):
    data = run_json(capsys, "diff", "sin(x)*x", "--n", "2", "--at", "x=0.3", "--check")
    assert parse(data["derivative"]) is diff(parse("sin(x)*x"), x, 2)
    assert data["value"] == pytest.approx(2 * math.cos(0.3) - 0.3 * math.sin(0.3))
    assert data["check"]["ok"] is True
    status, out, _ = run(capsys, "diff", "x**3", "--wrt", "x")
    assert status == 0 and out.splitlines() == ["f = x**3", "d/dx f = 3*x**2"]


def test_hessian(capsys):
    data = run_json(capsys, "hessian", "x**2*y", "--at", "x=1,y=3", "--check")
    H = hessian(x**2 * y, [x, y])
    assert [[parse(e) for e in row] for row in data["hessian"]] == [
        list(row) for row in H
    ]
    assert data["value"] == [[6.0, 2.0], [2.0, 0.0]]
    assert data["check"]["ok"] is True


@pytest.mark.parametrize("expr", ["-x**2", "-1/2*x", "-x", "-(x + 1)"])
def test_expressions_starting_with_a_minus_are_not_options(capsys, expr):
    data = run_json(capsys, "grad", expr, "--at", "x=-3")
    assert parse(data["expr"]) is parse(expr)
    assert data["gradient"] == [str(grad(parse(expr), x))]


def test_simplify(capsys):
    status, out, _ = run(capsys, "simplify", "2*x + 3*x")
    assert status == 0 and out.strip() == str(simplify(2 * x + 3 * x))
    data = run_json(capsys, "simplify", "x*x/x")
    assert data["simplified"] == str(simplify(x * x / x))
    assert data["nodes_after"] <= data["nodes_before"]


def test_export_writes_a_working_module(capsys, tmp_path):
    path = tmp_path / "rosen.py"
    expr = "(1 - x)**2 + 100*(y - x**2)**2"
    status, out, _ = run(capsys, "export", expr, "--hessian", "-o", str(path))
    assert status == 0
    assert "grad_f(x, y)" in out and "hess_f(x, y)" in out
    ns = {}
    exec(path.read_text(encoding="utf-8"), ns)
    gx, gy = ns["grad_f"](np.array([1.0, 0.5]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(gx, [0.0, -2 * 0.5 - 400 * 0.5 * 1.75])
    np.testing.assert_allclose(gy, [0.0, 200 * 1.75])
    assert ns["hess_f"](1.0, 1.0)[1][1] == 200


def test_export_to_stdout_and_json(capsys):
    status, out, _ = run(capsys, "export", "x*y", "--wrt", "y", "--name", "g")
    assert status == 0 and "def g(y, x):" in out and "def grad_g(y, x):" in out
    data = run_json(capsys, "export", "x*y")
    assert data["functions"] == ["f", "grad_f"]
    assert "def grad_f(x, y):" in data["source"]


@given(expressions([x, y], max_leaves=8))
def test_grad_json_round_trips_through_parse(e):
    data = json.loads(_main_stdout("grad", to_str(e), "--json"))
    wrt = sorted(e.free_symbols, key=lambda s: s.name)  # the default: all, by name
    assert data["wrt"] == [s.name for s in wrt]
    assert [parse(g) for g in data["gradient"]] == list(grad(e, wrt))


def _main_stdout(*argv):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(list(argv)) == 0
    return buf.getvalue()


# -- bad input: status 2, one line on stderr, no traceback -----------------------------


BAD = [
    (["grad", "x +"], "cannot read the expression"),
    (["grad", "__import__('os')"], "cannot read the expression"),
    (["grad", "x*y", "--wrt", "z"], "'z' is not a symbol"),
    (["grad", "x*y", "--at", "x=1,z=2"], "'z' is not a symbol"),
    (["grad", "x*y", "--at", "x=1"], "no value given for y"),
    (["grad", "x*y", "--at", "x=1,y"], "expected NAME=VALUE"),
    (["grad", "x*y", "--at", "x=1,y=q"], "must be a number"),
    (["grad", "x*y", "--at", "x=1,y=nan"], "must be finite"),
    (["grad", "x*y", "--at", "x=1,y=2*"], "cannot read the value of y"),
    (["grad", "x*y", "--at", "x=1,y=2,x=3"], "x is given twice"),
    (["grad", "x*y", "--check"], "--check needs a point"),
    (["grad", "[1, 2]*x"], "scalar expression"),
    (["diff", "x*y"], "--wrt is needed"),
    (["diff", "x*y", "--wrt", "x,y"], "exactly one symbol"),
    (["diff", "x", "--n", "0"], "--n must be a positive integer"),
    (["diff", "x", "--n", "two"], "invalid int value"),
    (["export", "x", "--name", "class"], "function name"),
    (["export", "x", "-o", "/nonexistent-dir/out.py"], "cannot write"),
    (["frobnicate"], "invalid choice"),
    (["grad"], "required"),
]


@pytest.mark.parametrize(("argv", "message"), BAD)
def test_bad_input_is_one_line_and_status_2(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("symdiff: error: ")
    assert message in err
    assert "Traceback" not in err


def test_bad_input_through_the_real_command():
    proc = subprocess.run(
        [sys.executable, "-m", "symdiff", "grad", "x*y", "--wrt", "z"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "symdiff: error: --wrt: 'z' is not a symbol of the expression "
        "(its symbols: x, y)"
    ]
    assert proc.stdout == ""


def test_the_readme_command_runs():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "symdiff",
            "grad",
            "x**2*sin(y)",
            "--at",
            "x=1,y=2",
            "--check",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "agree" in proc.stdout


def test_help_and_demo_still_work(capsys):
    assert main([]) == 0
    assert "usage: symdiff" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["grad", "--help"])
    assert info.value.code == 0
    assert "--check" in capsys.readouterr().out
    assert main(["demo"]) == 0
    assert "agree" in capsys.readouterr().out


# -- the sessions in docs/cli.md are real ----------------------------------------------

DOC = Path(__file__).resolve().parents[3] / "docs" / "cli.md"


def _sessions():
    """(command line, expected output) for every ``$ symdiff`` line of the page."""
    sessions = []
    in_block = False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_block = line.strip() == "```console"
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            sessions.append([line[2:], []])
        else:
            sessions[-1][1].append(line)
    return [(cmd, "\n".join(out) + "\n") for cmd, out in sessions]


SESSIONS = _sessions()


def test_the_page_has_sessions():
    assert len(SESSIONS) >= 8


@pytest.mark.parametrize(
    ("command", "expected"), SESSIONS, ids=[c for c, _ in SESSIONS]
)
def test_doc_session(command, expected, tmp_path, monkeypatch):
    argv = shlex.split(command)
    assert argv[0] == "symdiff"
    monkeypatch.chdir(tmp_path)  # export writes its file here
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv[1:])
    got = out.getvalue() + err.getvalue()
    assert status == (2 if err.getvalue() else 0)
    checker = doctest.OutputChecker()
    assert checker.check_output(expected, got, doctest.ELLIPSIS), (expected, got)


# -- leftovers of the readable-results issue -------------------------------------------


@pytest.mark.parametrize("text", ["1/0", "x + log(-1)", "sqrt(-4)*x", "x*0**-1"])
def test_an_undefined_constant_part_is_bad_input(capsys, text):
    status, out, err = run(capsys, "grad", text)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "is undefined" in err and "not a finite" in err


def test_wrt_defaults_to_natural_order(capsys):
    data = run_json(capsys, "grad", "x10*x2 + x1")
    assert data["wrt"] == ["x1", "x2", "x10"]
    _, out, _ = run(capsys, "grad", "x10*x2 + x1")
    assert out.splitlines()[0] == "f(x1, x2, x10) = x1 + x10*x2"


def test_demo_speaks_json(capsys):
    data = run_json(capsys, "demo", "--at", "2")
    assert data["derivative"] == "6*x - 4" and data["value"] == 8.0
    assert data["check"]["ok"] and abs(data["finite_differences"] - 8.0) < 1e-8


@pytest.mark.parametrize(
    "argv",
    [
        ("diff", "log(x)", "--at", "x=-1", "--check"),
        ("grad", "sqrt(x)*y", "--at", "x=-2,y=1", "--check"),
        ("hessian", "log(x*y)", "--at", "x=-1,y=1", "--check"),
    ],
)
def test_check_outside_the_domain_says_so_instead_of_a_nan_error(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2 and "nan" not in out
    assert "not finite at this point" in err and "relative error nan" not in err


@pytest.mark.parametrize(("char", "hint"), [("π", "pi"), ("^", "**"), ("×", "*")])
def test_look_alike_characters_get_a_suggestion(capsys, char, hint):
    status, _, err = run(capsys, "grad", f"x{char}2" if char != "π" else "π*x")
    assert status == 2 and f"(write {hint!r})" in err and "column" in err
