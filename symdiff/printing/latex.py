"""LaTeX source of expressions (also shown by notebooks via ``_repr_latex_``).

Operators are laid out here; every other op uses the ``latex`` template of its row in
the op table.
"""

import re
from fractions import Fraction

import numpy as np

from symdiff.core.spec import OPS
from symdiff.printing.emit import emit
from symdiff.printing.precedence import ATOM, POWER, PRODUCT
from symdiff.printing.text import (
    const_text,
    fraction_coefficient,
    front_axes,
    index_text,
    precedence,
    slice_text,
    text_layout,
)

# -- LaTeX -----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\d)\}")


def _template_pieces(template, args):
    pieces = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        pieces.append(template[pos : m.start()].replace("{{", "{").replace("}}", "}"))
        pieces.append((args[int(m.group(1))], 0, False))
        pos = m.end()
    pieces.append(template[pos:].replace("{{", "{").replace("}}", "}"))
    return [p for p in pieces if p != ""]


def _latex_const(v):
    if isinstance(v, Fraction):
        sign = "-" if v < 0 else ""
        return rf"{sign}\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    if isinstance(v, float) and v in (float("inf"), float("-inf")):
        return r"\infty" if v > 0 else r"-\infty"
    if isinstance(v, np.ndarray):
        return r"\left[" + ", ".join(map(str, v.ravel().tolist())) + r"\right]"
    return const_text(v)


_GREEK = set(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
    "sigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi "
    "Omega".split()
)


def _latex_name(name):
    """``theta_1`` as ``\\theta_{1}``: Greek letters by name, then a subscript."""
    parts = name.split("_", 1)
    base = "\\" + parts[0] if parts[0] in _GREEK else parts[0]
    if len(parts) == 2 and parts[1]:
        return f"{base}_{{{parts[1]}}}"
    return base


def _latex_prec(node):
    if node.op == "div":
        return ATOM  # \frac{}{} needs no parentheses around it
    if node.op == "mul" and fraction_coefficient(node) is not None:
        return PRODUCT
    return precedence(node)


def _latex_layout(node):
    op = node.op
    if op == "const":
        return [_latex_const(node.value)]
    if op == "symbol":
        return [_latex_name(node.name)]
    if op == "dim":  # the size of a named dimension (issue 12): n, as in papers
        return [_latex_name(node.params["name"])]
    if op == "mul":
        a, b = node.args
        sep = (
            r" \cdot "
            if b.op == "const" or (a.op == "const" and b.op == "const")
            else " "
        )
        # juxtaposition is associative: 2 x y needs no parentheses, unlike 2*(x*y)
        return [(a, PRODUCT, False), sep, (b, PRODUCT, False)]
    if op == "pow":
        return ["{", (node.args[0], POWER, True), "}^{", (node.args[1], 0, False), "}"]
    if op in ("add", "sub", "neg"):
        return text_layout(node)
    if op in _TENSOR_LAYOUTS:
        return _TENSOR_LAYOUTS[op](node)
    template = OPS[op].latex or (r"\operatorname{" + op + r"}\left({0}\right)")
    return _template_pieces(template, node.args)


# -- tensors: what a row's template cannot say (indices, axes, shapes) ---------------


def _operand(node, need=ATOM):
    return (node.args[0], need, False)


def _sub(text):
    return "_{" + text + "}" if text else ""


def _axes_text(node):
    r"""``\mathrm{axis}\,1`` for a reduction over some of its operand's axes."""
    if "axis" not in node.params:
        return ""
    axes = front_axes(node.args[0].ndim, node.params["axis"])
    if axes is None:
        return ""
    if isinstance(axes, tuple):
        return r"\mathrm{axes}\," + ",".join(map(str, axes))
    return r"\mathrm{axis}\," + str(axes)


def _shape_text(shape):
    return r"\times ".join(map(str, shape)) if shape else "1"


def _reduction(symbol):
    return lambda n: [symbol + _sub(_axes_text(n)) + " ", _operand(n, POWER)]


def _norm(node):
    p = node.params.get("ord", 2)
    p_text = r"\infty" if p == float("inf") else ("" if p == 2 else str(p))
    sub = ",".join(t for t in (p_text, _axes_text(node)) if t)
    return [r"\left\| ", _operand(node, 0), r" \right\|" + _sub(sub)]


def _matmul(node):
    a, b = node.args
    if a.ndim == 1 and a.op != "matmul":  # x^T A x: the leading vector is a row
        return ["{", (a, ATOM, False), r"}^{\top} ", (b, PRODUCT, False)]
    return [(a, PRODUCT, False), " ", (b, PRODUCT, False)]


def _transpose(node):
    if not node.params:
        return ["{", _operand(node), r"}^{\top}"]
    axes = ",".join(map(str, node.params["axes"]))
    return [
        r"\operatorname{transpose}_{(" + axes + r")}\left(",
        _operand(node, 0),
        r"\right)",
    ]


def _broadcast(node):
    (a,) = node.args
    ones = r"\mathbf{1}_{" + _shape_text(node.shape) + "}"
    if a.op == "const" and not a.shape and a.value in (0, 1):
        return [ones.replace("1", str(a.value), 1)]
    return [_operand(node, POWER), r"\," + ones]


def _called(name, sub=""):
    return lambda n: [
        r"\operatorname{" + name + "}" + _sub(sub(n) if callable(sub) else sub),
        r"\left(",
        _operand(n, 0),
        r"\right)",
    ]


_TENSOR_LAYOUTS = {
    "take": lambda n: [
        "{",
        _operand(n),
        "}_{" + index_text(n, str(n.params["index"])) + "}",
    ],
    "slice": lambda n: ["{", _operand(n), "}_{" + index_text(n, slice_text(n)) + "}"],
    "transpose": _transpose,
    "matmul": _matmul,
    "sum": _reduction(r"\sum"),
    "prod": _reduction(r"\prod"),
    "max": _reduction(r"\max"),
    "min": _reduction(r"\min"),
    "norm": _norm,
    "cumsum": _called("cumsum", _axes_text),
    "inv": lambda n: ["{", _operand(n), "}^{-1}"],
    "det": lambda n: [r"\det\left(", _operand(n, 0), r"\right)"],
    "logdet": lambda n: [r"\log\left|\det\left(", _operand(n, 0), r"\right)\right|"],
    "trace": _called("tr"),
    "solve": lambda n: ["{", _operand(n), "}^{-1} ", (n.args[1], PRODUCT, True)],
    "reshape": _called("reshape", lambda n: "(" + _shape_text(n.shape) + ")"),
    "broadcast_to": _broadcast,
    "unslice": _called(
        "unslice",
        lambda n: index_text(n, slice_text(n)) + r"\to " + str(n.params["size"]),
    ),
}

# -- issue 12: the ML op library ------------------------------------------------------


def _one_axis_text(node):
    r"""``\mathrm{axis}\,0`` unless the op works along its default, the last axis."""
    if "axis" not in node.params:
        return ""
    return r"\mathrm{axis}\," + str(node.args[0].ndim + node.params["axis"])


def _two_operands(name, sub):
    return lambda n: [
        r"\operatorname{" + name + "}" + _sub(sub(n)) + r"\left(",
        (n.args[0], 0, False),
        ", ",
        (n.args[1], 0, False),
        r"\right)",
    ]


def _einsum(node):
    lhs, _, out = node.params["subscripts"].partition("->")
    sub = (lhs + r"\to " + out).replace("...", r"\ldots ")
    pieces = [r"\operatorname{einsum}_{" + sub + r"}\left("]
    for i, a in enumerate(node.args):
        pieces += [", "] if i else []
        pieces.append((a, 0, False))
    return [*pieces, r"\right)"]


_TENSOR_LAYOUTS.update(
    {
        "einsum": _einsum,
        "tril": _called("tril", lambda n: str(n.params.get("k", ""))),
        "triu": _called("triu", lambda n: str(n.params.get("k", ""))),
        "flip": _called("flip", _axes_text),
        "cholesky": _called("chol"),
        "logsumexp": _called("logsumexp", _axes_text),
        "softmax": _called("softmax", _one_axis_text),
        "log_softmax": _called("log\\_softmax", _one_axis_text),
        "take_along_axis": _two_operands("gather", _one_axis_text),
        "scatter_add": _two_operands(
            "scatter",
            lambda n: (
                _one_axis_text(n)
                and r"\mathrm{axis}\," + str(len(n.shape) + n.params["axis"])
            ),
        ),
    }
)


def _matrix(items):
    """A tuple of expressions as a column, a tuple of tuples as a matrix."""
    rows = [row if isinstance(row, tuple | list) else (row,) for row in items]
    body = r" \\ ".join(" & ".join(latex(e) for e in row) for row in rows)
    return r"\begin{pmatrix} " + body + r" \end{pmatrix}"


def latex(expr):
    r"""LaTeX source for ``expr`` (also shown by notebooks via ``_repr_latex_``).

    Examples
    --------
    >>> from symdiff import symbols, sin, latex
    >>> x, y = symbols("x y")
    >>> print(latex(x**2 / (1 + sin(y))))
    \frac{{x}^{2}}{\sin\left(y\right) + 1}
    """
    if isinstance(expr, tuple | list):  # grad, jacobian, hessian results
        return _matrix(expr)
    return emit(expr, _latex_layout, _latex_prec, r"\left(", r"\right)")
