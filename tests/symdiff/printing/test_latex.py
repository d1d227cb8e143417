"""LaTeX of every op compiles (matplotlib's mathtext), and says what the node says."""

import pytest

from symdiff import (
    Symbol,
    concatenate,
    cumsum,
    det,
    diag,
    diagonal,
    grad,
    hessian,
    inv,
    latex,
    logdet,
    max,
    mean,
    min,
    norm,
    prod,
    reshape,
    solve,
    sum,
    symbols,
    trace,
)
from symdiff.core.expr import apply
from symdiff.ops import OPS

mathtext = pytest.importorskip("matplotlib.mathtext", reason="needs matplotlib")

x, y = symbols("x y")
A, B = Symbol("A", shape=(3, 4)), Symbol("B", shape=(4, 4))
v, w = Symbol("v", shape=(4,)), Symbol("w", shape=(3,))
theta = Symbol("theta", shape=(10,))

TENSOR_EXAMPLES = {
    "sum": [sum(A), sum(A, axis=1), mean(A, axis=0)],
    "prod": [prod(A, axis=0)],
    "max": [max(A, axis=1)],
    "min": [min(v)],
    "norm": [norm(v), norm(v, ord=1), norm(A, ord=float("inf"), axis=1)],
    "cumsum": [cumsum(theta), cumsum(A, axis=0)],
    "reshape": [reshape(A, (12,))],
    "broadcast_to": [apply("broadcast_to", x, shape=(3, 4)), 0 * A + 0],
    "transpose": [
        A.T,
        apply("transpose", Symbol("T", shape=(2, 3, 4)), axes=(0, 2, 1)),
    ],
    "concatenate": [concatenate([v, v]), concatenate([A, A], axis=1)],
    "take": [v[0], A[:, 2], (A @ v)[1]],
    "slice": [theta[:5], theta[::-1], A[1:3, ::2]],
    "unslice": [grad(sum(theta[:5] ** 2), theta)],
    "matmul": [w @ A @ v, B @ v, A @ B, 2 * (A @ v)],
    "diag": [diag(v)],
    "diagonal": [diagonal(B)],
    "trace": [trace(B)],
    "inv": [inv(B), hessian(v @ B @ v, v)],
    "det": [det(B)],
    "logdet": [logdet(B)],
    "solve": [solve(B, v)],
    # the first operand is an integer order
    "polygamma": [apply("polygamma", 0, x), apply("polygamma", 2, x + y)],
    "clip": [apply("clip", x, y, 1)],
    "take_along_axis": [
        apply("take_along_axis", A, Symbol("i", shape=(3,)), axis=1),
        apply("take_along_axis", A, Symbol("j", shape=(1, 4)), axis=0),
    ],
    "scatter_add": [apply("scatter_add", v, v, axis=0, shape=(4, 2))],
    "tril": [apply("tril", A), apply("tril", A, k=-1)],
    "triu": [apply("triu", A, k=1)],
    "flip": [apply("flip", v), apply("flip", A, axis=0)],
    "cholesky": [apply("cholesky", B)],
    "einsum": [
        apply("einsum", A, B, subscripts="ij,jk->ik"),
        apply("einsum", v, subscripts="...i->..."),
    ],
    "where": [apply("where", x > y, x, y), apply("where", x, 1, 0)],
    "logsumexp": [apply("logsumexp", A), apply("logsumexp", A, axis=1)],
    "softmax": [apply("softmax", v), apply("softmax", A, axis=0)],
    "log_softmax": [apply("log_softmax", v), apply("log_softmax", A, axis=0)],
    "dim": [apply("dim", name="n"), x / apply("dim", name="n")],
}


def _examples(op):
    spec = OPS[op]
    if op in TENSOR_EXAMPLES:
        return TENSOR_EXAMPLES[op]
    if spec.arity == 0:
        return [apply(op)] if op not in ("const", "symbol") else [x, Symbol("theta_1")]
    if spec.arity == 1:
        return [apply(op, x), apply(op, x + y)]
    return [apply(op, x, y), apply(op, x + 1, y * 2)]


@pytest.mark.parametrize("op", sorted(OPS))
def test_every_op_has_latex_that_compiles(op):
    parser = mathtext.MathTextParser("path")
    for e in _examples(op):
        parser.parse(f"${latex(e)}$")  # raises on invalid LaTeX


def test_tensor_latex_keeps_indices_axes_and_conventions():
    assert latex(v[0]) != latex(v[1]) and latex(v[1]) == "{v}_{1}"
    assert latex(A[:, 2]) == "{A}_{:, 2}"
    assert latex(theta[:5]) == r"{\theta}_{:5}"
    assert latex(sum(A, axis=1)) == r"\sum_{\mathrm{axis}\,1} A"
    assert latex(sum(A)) == r"\sum A"
    assert latex(w @ A @ v) == r"{w}^{\top} A v"
    assert latex(B @ v) == "B v"
    assert latex(norm(v, ord=1)) == r"\left\| v \right\|_{1}"
    assert latex(inv(B)) == "{B}^{-1}"
    assert latex(trace(B)) == r"\operatorname{tr}\left(B\right)"
    assert latex(det(B)) == r"\det\left(B\right)"
    assert latex(logdet(B)) == r"\log\left|\det\left(B\right)\right|"
    assert latex(hessian(v @ B @ v, v)) == r"B + {B}^{\top}"
    assert latex(Symbol("theta_1")) == r"\theta_{1}"


def test_derivative_tuples_are_tuples_that_render_as_matrices():
    g = grad(x**2 * y, [x, y])
    h = hessian(x**2 * y, [x, y])
    assert isinstance(g, tuple) and g == (2 * x * y, x**2)
    a, b = g  # unpacks like a tuple
    assert latex(g) == r"\begin{pmatrix} 2 x y \\ {x}^{2} \end{pmatrix}"
    assert latex(h) == r"\begin{pmatrix} 2 y & 2 x \\ 2 x & 0 \end{pmatrix}"
    assert h._repr_latex_() == f"${latex(h)}$" and g._repr_latex_() == f"${latex(g)}$"
    assert latex(2 * (A @ v)) == "2 A v"
