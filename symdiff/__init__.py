"""symdiff: exact derivatives over interned expression DAGs, checked numerically.

Build expressions with :class:`Symbol` and Python operators, differentiate them with
:func:`diff`, :func:`grad`, :func:`jacobian` and :func:`hessian`, simplify, print, parse
and evaluate them.

Examples
--------
>>> from symdiff import symbols, diff, grad, sin, evaluate
>>> x, y = symbols("x y")
>>> f = x**2 * sin(y)
>>> print(diff(f, x))
2*x*sin(y)
>>> [str(g) for g in grad(f, [x, y])]
['2*x*sin(y)', 'x**2*cos(y)']
"""

# Layers, bottom to top (docs/architecture.md): core, ops, rewrite, diff/evaluate/
# constructors, printing, codegen/parse/sympy_bridge, cli.  This module wires them:
# the op table is filled, the rewrite rules go live, Expr gets its upper-layer methods.
from symdiff import ops, rewrite, surface  # noqa: F401  (ops: fills the op table)
from symdiff.codegen import export_c, export_module, lambdify
from symdiff.constructors.elementwise import (
    abs,
    acos,
    asin,
    atan,
    cos,
    cosh,
    erf,
    exp,
    expm1,
    heaviside,
    log,
    log1p,
    maximum,
    minimum,
    pi,
    relu,
    sigmoid,
    sign,
    sin,
    sinh,
    softplus,
    sqrt,
    tan,
    tanh,
)
from symdiff.constructors.functions import (  # issue 12's elementwise functions
    acosh,
    asinh,
    atan2,
    atanh,
    ceil,
    clip,
    equal,
    erfc,
    exp2,
    floor,
    greater,
    greater_equal,
    hypot,
    less,
    less_equal,
    log2,
    log10,
    logaddexp,
    not_equal,
    round,  # shadows the builtin, as numpy's does
    where,
)
from symdiff.constructors.ml import (
    cholesky,
    einsum,
    flip,
    inner,
    kron,
    log_softmax,
    logsumexp,
    softmax,
    take_along_axis,
    tensordot,
    tril,
    triu,
)
from symdiff.constructors.tensor import (  # sum, max, min shadow builtins, as in numpy
    concatenate,
    cumsum,
    det,
    diag,
    diagonal,
    dim,
    dot,
    inv,
    logdet,
    matmul,
    max,
    mean,
    min,
    norm,
    outer,
    prod,
    reshape,
    solve,
    stack,
    std,
    sum,
    trace,
    transpose,
    var,
)
from symdiff.core.errors import ParseError, ShapeError
from symdiff.core.expr import Const, Expr, Symbol, apply, const, subs, symbols
from symdiff.core.traverse import count_nodes, topo_order
from symdiff.core.version import __version__  # noqa: F401  (public)
from symdiff.diff import diff, grad, hessian, hvp, jacobian, jvp, vjp
from symdiff.evaluate import evaluate
from symdiff.parse import parse
from symdiff.printing import latex, to_dot, to_str
from symdiff.rewrite import simplify
from symdiff.sympy_bridge import from_sympy, to_sympy

rewrite.install()
surface.install()


__all__ = [
    "Const",
    "Expr",
    "ParseError",
    "ShapeError",
    "Symbol",
    "abs",
    "acos",
    "apply",
    "asin",
    "atan",
    "concatenate",
    "const",
    "cos",
    "cosh",
    "count_nodes",
    "cumsum",
    "det",
    "diag",
    "diagonal",
    "diff",
    "dot",
    "erf",
    "evaluate",
    "exp",
    "expm1",
    "export_c",
    "export_module",
    "from_sympy",
    "grad",
    "heaviside",
    "hessian",
    "hvp",
    "inv",
    "jacobian",
    "jvp",
    "lambdify",
    "latex",
    "log",
    "log1p",
    "logdet",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "norm",
    "outer",
    "parse",
    "pi",
    "prod",
    "relu",
    "reshape",
    "sigmoid",
    "sign",
    "simplify",
    "sin",
    "sinh",
    "softplus",
    "solve",
    "sqrt",
    "stack",
    "subs",
    "sum",
    "symbols",
    "tan",
    "tanh",
    "to_dot",
    "to_str",
    "to_sympy",
    "topo_order",
    "trace",
    "transpose",
    "vjp",
]
__all__ += [  # issue 12: the ML op library
    "acosh",
    "asinh",
    "atan2",
    "atanh",
    "ceil",
    "clip",
    "equal",
    "erfc",
    "exp2",
    "floor",
    "greater",
    "greater_equal",
    "hypot",
    "less",
    "less_equal",
    "log10",
    "log2",
    "logaddexp",
    "log_softmax",
    "logsumexp",
    "not_equal",
    "round",
    "softmax",
    "take_along_axis",
    "tensordot",
    "where",
]
__all__ += ["einsum", "inner", "kron"]  # issue 12: contractions
__all__ += ["cholesky", "flip", "tril", "triu"]  # issue 12: triangles
__all__ += ["dim", "std", "var"]  # issue 12: named dimensions
