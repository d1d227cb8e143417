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
    precedence,
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


def _latex_name(name):
    parts = name.split("_", 1)
    if len(parts) == 2 and parts[1]:
        return f"{parts[0]}_{{{parts[1]}}}"
    return name


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
    if op == "mul":
        a, b = node.args
        sep = (
            r" \cdot "
            if b.op == "const" or (a.op == "const" and b.op == "const")
            else " "
        )
        return [(a, PRODUCT, False), sep, (b, PRODUCT, True)]
    if op == "pow":
        return ["{", (node.args[0], POWER, True), "}^{", (node.args[1], 0, False), "}"]
    if op in ("add", "sub", "neg"):
        return text_layout(node)
    template = OPS[op].latex or (r"\operatorname{" + op + r"}\left({0}\right)")
    return _template_pieces(template, node.args)


def latex(expr):
    r"""LaTeX source for ``expr`` (also shown by notebooks via ``_repr_latex_``).

    Examples
    --------
    >>> from symdiff import symbols, sin, latex
    >>> x, y = symbols("x y")
    >>> print(latex(x**2 / (1 + sin(y))))
    \frac{{x}^{2}}{\sin\left(y\right) + 1}
    """
    return emit(expr, _latex_layout, _latex_prec, r"\left(", r"\right)")
