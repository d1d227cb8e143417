"""Graphviz DOT source of the DAG: every shared node is drawn once."""

from symdiff.core.traverse import topo_order
from symdiff.printing.text import call_params, const_text

# -- Graphviz --------------------------------------------------------------------------


def _dot_label(node):
    if node.op == "const":
        text = const_text(node.value)
    elif node.op == "symbol":
        text = node.name
    else:
        text = node.op + "".join(call_params(node)).replace(", ", " ")
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
