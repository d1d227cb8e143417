"""Printing: readable infix (``str``), LaTeX, and Graphviz DOT of the DAG.

Printers are iterative: a node is laid out as a list of pieces (literal text and child
slots with the precedence they need), and an explicit stack emits the pieces in order,
so deep expressions print without recursion and without quadratic string building.

``str`` prints the exact structure with the fewest parentheses Python's grammar allows,
so ``parse(str(e)) is e``.  The order of commutative operands is chosen for reading
(constants in front of products and at the end of sums); that is safe because building
the parsed text canonicalises the order again.
"""

import re
from fractions import Fraction

import numpy as np

from symdiff.ops import OPS
from symdiff.traverse import topo_order

ATOM = 100
_PREC = {"add": 10, "sub": 10, "mul": 20, "div": 20, "neg": 30, "pow": 40}


# -- constants -------------------------------------------------------------------------


def _float_text(v):
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def _const_text(v):
    if isinstance(v, np.ndarray):
        return repr(v.tolist()).replace("inf", "inf")
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}"
    if isinstance(v, float):
        return _float_text(v)
    return str(v)


def _prec(node):
    op = node.op
    if op == "const":
        v = node.attrs[0][1]
        if isinstance(v, np.ndarray):
            return ATOM
        if isinstance(v, Fraction):
            return 20
        return (
            30 if v < 0 or (isinstance(v, float) and str(v).startswith("-")) else ATOM
        )
    if op == "mul" and (_coefficient(node) is not None or (
            node.args[0].op == "const" and not node.args[0].shape)):
        return 20
    if op == "neg":
        # -x*y and -x/y read as (-x)*y and (-x)/y, which build the same node
        return 20 if _prec(node.args[0]) == 20 else 30
    return _PREC.get(op, ATOM)


def _is_one(e):
    return e.op == "const" and not e.shape and e.attrs[0][1] == 1


def _coefficient(node):
    """The Fraction coefficient of ``node`` if it is ``(p/q)*b``, else None."""
    a = node.args[0]
    if a.op == "const" and isinstance(a.attrs[0][1], Fraction):
        return a.attrs[0][1]
    return None


def _param_text(value):
    if isinstance(value, tuple) and len(value) == 1:
        return str(value[0])
    return str(value)


def _call_params(node):
    """Keyword arguments of a call, leaving out defaults."""
    out = []
    for name, value in node.attrs:
        if name == "keepdims" and not value:
            continue
        out.append(f", {name}={_param_text(value)}")
    return out


# -- layouts ---------------------------------------------------------------------------


def _str_layout(node):
    op = node.op
    if op == "const":
        return [_const_text(node.attrs[0][1])]
    if op == "symbol":
        return [node.name]
    if not node.args:
        return [op]
    if op in ("add", "sub"):
        a, b = node.args
        if op == "add" and (
            _PREC.get(b.op) == 10
            and _PREC.get(a.op) != 10
            or a.op == "const"
            and b.op != "const"
        ):
            a, b = b, a
        return [(a, 10, False), f" {'+' if op == 'add' else '-'} ", (b, 10, True)]
    if op == "mul":
        a, b = node.args
        if a.op == "const" and not a.shape and b.op == "div" and _is_one(b.args[0]):
            return [(a, 20, False), "/", (b.args[1], 20, True)]  # c*(1/u) as c/u
        c = _coefficient(node)
        if c is not None:
            if c.numerator == 1:
                return [(b, 20, False), f"/{c.denominator}"]
            if c.numerator == -1:
                return ["-", (b, 30, False), f"/{c.denominator}"]
            return [f"{c.numerator}*", (b, 20, False), f"/{c.denominator}"]
        if a.op == "const" and not a.shape:
            # c*(x*y) and c*(x/y) print as c*x*y and c*x/y: parsing moves a scalar
            # coefficient back in front, so the structure survives
            return [(a, 20, False), "*", (b, 20, False)]
        if _PREC.get(b.op) == 20 and _PREC.get(a.op) != 20:
            a, b = b, a
        return [(a, 20, False), "*", (b, 20, True)]
    if op == "div":
        return [(node.args[0], 20, False), "/", (node.args[1], 20, True)]
    if op == "neg":
        return ["-", (node.args[0], 20, False)]
    if op == "pow":
        return [(node.args[0], 40, True), "**", (node.args[1], 30, False)]
    pieces = [f"{op}("]
    for i, a in enumerate(node.args):
        if i:
            pieces.append(", ")
        pieces.append((a, 0, False))
    pieces.extend(_call_params(node))
    pieces.append(")")
    return pieces


def _emit(root, layout, prec, lparen, rparen):
    out = []
    stack = [(root, 0, False)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, need, strict = item
        p = prec(node)
        pieces = layout(node)
        if p < need or (strict and p == need):
            pieces = [lparen, *pieces, rparen]
        stack.extend(reversed(pieces))
    return "".join(out)


def to_str(expr):
    """Readable infix text of ``expr`` that :func:`symdiff.parse` reads back.

    Examples
    --------
    >>> from symdiff import symbols, sin
    >>> x, y = symbols("x y")
    >>> print(-(x + y)**2 / 3 - sin(x))
    -(x + y)**2/3 - sin(x)
    """
    return _emit(expr, _str_layout, _prec, "(", ")")


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
    return _const_text(v)


def _latex_name(name):
    parts = name.split("_", 1)
    if len(parts) == 2 and parts[1]:
        return f"{parts[0]}_{{{parts[1]}}}"
    return name


def _latex_prec(node):
    if node.op == "div":
        return ATOM  # \frac{}{} needs no parentheses around it
    if node.op == "mul" and _coefficient(node) is not None:
        return 20
    return _prec(node)


def _latex_layout(node):
    op = node.op
    if op == "const":
        return [_latex_const(node.attrs[0][1])]
    if op == "symbol":
        return [_latex_name(node.name)]
    if op == "mul":
        a, b = node.args
        sep = (
            r" \cdot "
            if b.op == "const" or (a.op == "const" and b.op == "const")
            else " "
        )
        return [(a, 20, False), sep, (b, 20, True)]
    if op == "pow":
        return ["{", (node.args[0], 40, True), "}^{", (node.args[1], 0, False), "}"]
    if op in ("add", "sub", "neg"):
        return _str_layout(node)
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
    return _emit(expr, _latex_layout, _latex_prec, r"\left(", r"\right)")


# -- Graphviz --------------------------------------------------------------------------


def _dot_label(node):
    if node.op == "const":
        text = _const_text(node.attrs[0][1])
    elif node.op == "symbol":
        text = node.name
    else:
        text = node.op + "".join(_call_params(node)).replace(", ", " ")
    if len(text) > 40:
        text = text[:37] + "..."
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(*exprs):
    """Graphviz DOT source of the DAG: every shared node is drawn once.

    Examples
    --------
    >>> from symdiff import Symbol, sin, to_dot
    >>> x = Symbol("x")
    >>> print(to_dot(sin(x) * sin(x)).count("shape="))  # x, sin, 2, pow
    4
    """
    order = topo_order(*exprs)
    index = {node: i for i, node in enumerate(order)}
    lines = ["digraph expr {", "  rankdir=BT;"]
    for node, i in index.items():
        shape = "ellipse" if node.args else "box"
        lines.append(f'  n{i} [label="{_dot_label(node)}", shape={shape}];')
    for node, i in index.items():
        for pos, a in enumerate(node.args):
            tag = (
                f' [label="{pos}"]'
                if len(node.args) > 1 and node.op in ("sub", "div", "pow")
                else ""
            )
            lines.append(f"  n{index[a]} -> n{i}{tag};")
    roots = " ".join(f"n{index[e]}" for e in exprs)
    lines.append(f"  {{rank=max; {roots}}}")
    lines.append("}")
    return "\n".join(lines)
