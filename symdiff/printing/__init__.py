"""Printing: one printer per target (text, LaTeX, Graphviz DOT) over one precedence
table (:mod:`symdiff.printing.precedence`) and one explicit-stack emitter.

Examples
--------
>>> from symdiff import symbols
>>> from symdiff.printing import latex, to_str
>>> x = symbols("x")
>>> to_str(x**2 / 3), latex(x**2)
('x**2/3', '{x}^{2}')
"""

from symdiff.printing.dot import to_dot
from symdiff.printing.latex import latex
from symdiff.printing.text import to_str

__all__ = ["latex", "to_dot", "to_str"]
