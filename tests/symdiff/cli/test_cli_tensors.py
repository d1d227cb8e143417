"""The ``symdiff`` command over tensors: --shape, arrays in --at, tensor exports."""

import contextlib
import io
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff.cli import main

LOSS = "sum(softplus(X@w + b) - y*(X@w + b))"
SHAPES = ["--shape", "X=3,2", "--shape", "w=2", "--shape", "y=3"]
X_VALUE = [[1.0, 2.0], [3.0, 4.0], [5.0, -6.0]]
AT = "X=[[1,2],[3,4],[5,-6]], w=[0.1,-0.2], b=0.3, y=[1,0,1]"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv):
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _by_hand(w, b):
    """The logistic loss's gradient and Hessian, written out with numpy."""
    X = np.array(X_VALUE)
    y = np.array([1.0, 0.0, 1.0])
    p = _sigmoid(X @ w + b)
    Xb = np.hstack([X, np.ones((3, 1))])  # the bias is one more column of ones
    return Xb.T @ (p - y), Xb.T @ (Xb * (p * (1 - p))[:, None])


def test_grad_over_a_tensor_symbol_matches_numpy_by_hand(capsys):
    data = run_json(capsys, "grad", LOSS, *SHAPES, "--wrt", "w,b", "--at", AT)
    assert data["wrt"] == ["w", "b"]
    g, _ = _by_hand(np.array([0.1, -0.2]), 0.3)
    np.testing.assert_allclose(data["gradient_value"][0], g[:2], rtol=1e-13)
    np.testing.assert_allclose(data["gradient_value"][1], g[2], rtol=1e-13)
    assert data["at"]["X"] == X_VALUE


def test_hessian_over_tensor_and_scalar_symbols_is_one_matrix(capsys):
    data = run_json(capsys, "hessian", LOSS, *SHAPES, "--wrt", "w,b", "--at", AT)
    _, H = _by_hand(np.array([0.1, -0.2]), 0.3)
    np.testing.assert_allclose(np.array(data["value"]), H, rtol=1e-12)


@pytest.mark.parametrize("command", ["grad", "hessian"])
def test_check_agrees_over_tensor_symbols(capsys, command):
    status, out, err = run(
        capsys, command, LOSS, *SHAPES, "--wrt", "w,b", "--at", AT, "--check"
    )
    assert status == 0, err
    assert "check: agree" in out


def test_check_catches_a_wrong_tensor_gradient(capsys, monkeypatch):
    import symdiff.cli.commands as commands

    real = commands.grad

    def wrong(expr, wrt):  # one entry of the gradient of w is off by 1%
        g = real(expr, wrt)
        return (g[0] * np.array([1.0, 1.01]), *g[1:])

    monkeypatch.setattr(commands, "grad", wrong)
    status, out, _ = run(capsys, "grad", LOSS, *SHAPES, "--at", AT, "--check")
    assert status == 1 and "MISMATCH" in out


def test_indexing_transpose_and_matmul_read_with_declared_shapes(capsys):
    status, out, err = run(
        capsys,
        "grad",
        "X[0] @ w + sum(X.T @ X) * w[1]",
        "--shape",
        "X=2,2",
        "--shape",
        "w=2",
        "--wrt",
        "w",
        "--at",
        "X=[[1,2],[3,4]], w=[5,6]",
        "--check",
    )
    assert status == 0, err
    # d/dw of X[0] @ w + c*w[1] is X[0] + (0, c), c = sum(X.T @ X) = 10 + 14 + 14 + 20
    assert "df/dw = [1, 60]" in out


def test_export_of_tensor_functions_runs_without_symdiff(capsys, tmp_path):
    path = tmp_path / "logistic.py"
    status, out, err = run(
        capsys, "export", LOSS, *SHAPES, "--wrt", "w,b", "--hessian", "-o", str(path)
    )
    assert status == 0, err
    assert "f(w, b, X, y)" in out
    namespace = {}
    exec(path.read_text(), namespace)
    w, b = np.array([0.1, -0.2]), 0.3
    X, y = np.array(X_VALUE), np.array([1.0, 0.0, 1.0])
    gw, gb = namespace["grad_f"](w, b, X, y)
    g, H = _by_hand(w, b)
    np.testing.assert_allclose(np.append(gw, gb), g, rtol=1e-13)
    (hww, hwb), (hbw, hbb) = namespace["hess_f"](w, b, X, y)
    np.testing.assert_allclose(np.block([[hww, hwb[:, None]], [hbw, hbb]]), H)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--shape", "X"], "--shape: expected NAME=D1,D2,..."),
        (["--shape", "X=3,-2"], "a dimension must be a non-negative integer"),
        (["--shape", "X=3,2.5"], "a dimension must be a non-negative integer"),
        (["--shape", "X=3,(2)"], "a dimension must be a non-negative integer"),
        (["--shape", "3X=3"], "--shape: expected NAME=D1,D2"),
        (["--shape", "X=3,2", "--shape", "X=2"], "X is declared twice"),
        (
            ["--shape", "X=1,2", "--shape", "w=2", "--shape", "Z=2"],
            "--shape: 'Z' is not a symbol of the expression",
        ),
        (["--shape", "X=3,2", "--shape", "w=3"], "matmul"),
    ],
)
def test_bad_shapes_are_one_line_and_status_2(capsys, argv, message):
    status, out, err = run(capsys, "grad", "sum(X @ w)", *argv)
    assert status == 2 and not out
    assert err.count("\n") == 1 and err.startswith("symdiff: error: ")
    assert message in err


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("X=[[1,2],[3,4]], w=[1,2]", "X must have shape (3, 2), got shape (2, 2)"),
        ("X=[[1,2],[3,4],[5,6]], w=1", "w must be an array of shape (2,)"),
        ("X=[[1,2],[3,4],[5,6]], w=[1,inf]", "w must be finite"),
    ],
)
def test_bad_tensor_values_name_the_shapes(capsys, at, message):
    status, _, err = run(
        capsys, "grad", "sum(X @ w)", "--shape", "X=3,2", "--shape", "w=2", "--at", at
    )
    assert status == 2 and message in err


def test_diff_with_respect_to_a_tensor_is_bad_input(capsys):
    status, _, err = run(capsys, "diff", "sum(w)", "--shape", "w=2", "--wrt", "w")
    assert status == 2 and "use grad" in err


@settings(max_examples=15, deadline=None)
@given(
    w=st.lists(st.floats(-3, 3), min_size=2, max_size=2),
    b=st.floats(-3, 3),
)
def test_tensor_gradients_agree_with_numpy_at_random_points(w, b):
    at = f"X={X_VALUE}, w={w}, b={b!r}, y=[1,0,1]"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["grad", LOSS, *SHAPES, "--wrt", "w,b", "--at", at, "--json"])
    assert status == 0
    data = json.loads(out.getvalue())
    g, _ = _by_hand(np.array(w), b)
    got = np.append(data["gradient_value"][0], data["gradient_value"][1])
    np.testing.assert_allclose(got, g, rtol=1e-12, atol=1e-12)


def test_shape_declared_for_a_scalar_expression_is_scalar(capsys):
    data = run_json(capsys, "grad", "b**2", "--shape", "b=", "--at", "b=3")
    assert data["gradient_value"] == [6.0]


# -- named dimensions: the number of rows comes from the data ----------------------


def _named_dims():
    from symdiff import Symbol

    try:
        Symbol("X", shape=("n", 2))
    except (ValueError, TypeError):
        return False
    return True


named = pytest.mark.skipif(
    not _named_dims(), reason="named dimensions (issue 12, part A) are not available"
)
MEAN_LOSS = "sum(softplus(X@w) - y*(X@w))/n"
NAMED = ["--shape", "X=n,2", "--shape", "w=2", "--shape", "y=n"]


@named
@pytest.mark.parametrize("rows", [1, 3, 6])
def test_a_named_dimension_takes_its_size_from_the_data(capsys, rows):
    rng = np.random.default_rng(rows)
    X, w = rng.normal(size=(rows, 2)), rng.normal(size=2)
    y = (rng.random(rows) < 0.5).astype(float)
    at = f"X={X.tolist()}, w={w.tolist()}, y={y.tolist()}"
    data = run_json(capsys, "grad", MEAN_LOSS, *NAMED, "--wrt", "w", "--at", at)
    p = _sigmoid(X @ w)
    np.testing.assert_allclose(data["gradient_value"][0], (p - y) @ X / rows)
    want = np.mean(np.logaddexp(0, X @ w) - y * (X @ w))
    np.testing.assert_allclose(data["value"], want, rtol=1e-13)


@named
def test_rows_that_disagree_name_the_dimension(capsys):
    at = "X=[[1,2],[3,4],[5,6]], w=[1,2], y=[1,0]"
    status, _, err = run(capsys, "grad", MEAN_LOSS, *NAMED, "--at", at)
    assert status == 2 and "dimension n is 3 in X but 2 in y" in err


@named
def test_a_name_cannot_be_a_symbol_and_a_dimension(capsys):
    status, _, err = run(capsys, "grad", "sum(X)", "--shape", "X=n", "--shape", "n=")
    assert status == 2 and "n is both a symbol and a dimension" in err


@named
def test_export_with_a_named_dimension_takes_any_number_of_rows(capsys, tmp_path):
    path = tmp_path / "model.py"
    status, _, err = run(
        capsys, "export", MEAN_LOSS, *NAMED, "--wrt", "w", "--hessian", "-o", str(path)
    )
    assert status == 0, err
    namespace = {}
    exec(path.read_text(), namespace)
    rng = np.random.default_rng(0)
    w = rng.normal(size=2)
    for rows in (5, 200):
        X = rng.normal(size=(rows, 2))
        y = (rng.random(rows) < 0.5).astype(float)
        p = _sigmoid(X @ w)
        (g,) = namespace["grad_f"](w, X, y)
        np.testing.assert_allclose(g, (p - y) @ X / rows, rtol=1e-12)
        ((h,),) = namespace["hess_f"](w, X, y)
        np.testing.assert_allclose(h, X.T @ (X * (p * (1 - p))[:, None]) / rows)
