"""Rows of the op table: leaves (constants, symbols, pi, dim) and arithmetic.

Each row is written whole here: shape rule (broadcasting, the default), numpy
implementation, local partial derivatives, printing, LaTeX, SymPy form and the numpy
source template that code generation prints.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from symdiff.core import lazy
from symdiff.core.dims import is_dim_name
from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.spec import defop
from symdiff.ops.util import ufunc_impl


def _const_impl(node):
    v = node.value
    if isinstance(v, float | np.ndarray) or (isinstance(v, int) and abs(v) < 2**53):
        return v
    try:  # Fractions, and ints too big for numpy's integer types
        return float(v)
    except OverflowError:  # beyond the largest float: inf, as generated code has it
        return math.inf if v > 0 else -math.inf


def _pow_impl(node, a, b):
    # Integer constants take float semantics, as in generated code: numpy refuses
    # integers to negative integer powers (``0**-1`` must be inf, ``2**-1`` 0.5).
    if np.result_type(a, b).kind in "biu":
        a = np.asarray(a, dtype=np.float64)
    return np.power(a, b)


def _symbol_impl(node):
    raise RuntimeError("symbols are bound by the evaluator")  # pragma: no cover


defop("const", 0, _const_impl, doc="a constant", elementwise=False)
defop("symbol", 0, _symbol_impl, doc="a variable", elementwise=False)
defop(
    "pi",
    0,
    lambda node: math.pi,
    doc="the number pi",
    elementwise=False,
    latex=r"\pi",
    sympy=lambda node: lazy.sympy().pi,
    code="np.pi",
)


def _dim_params(args, params):
    name = params.get("name")
    if set(params) != {"name"} or not isinstance(name, str):
        raise TypeError(
            f"dim: takes exactly the parameter 'name' (a str), got {params}"
        )
    if not (is_dim_name(name) or name.startswith("_d") and name[2:].isdigit()):
        raise ShapeError(f"dim: {name!r} cannot name a dimension (see symdiff.dim)")
    return {"name": str(name)}


def _dim_impl(node):
    # evaluate binds every dim before it runs (symdiff.evaluate replaces dim nodes by
    # their sizes), so reaching this means the dim is on no symbol that has a value
    raise ShapeError(
        f"dim: the dimension {node.params['name']!r} is not a dimension of any symbol "
        "with a value, so its size is unknown"
    )


# The size of a named dimension as a scalar expression: mean(X, axis=0) divides by it.
# Its value is bound from the arrays passed to evaluate / lambdify; it is a constant
# of the data, so it has no derivative (no partials: reverse mode sees no operand).
defop(
    "dim",
    0,
    _dim_impl,
    doc="the size of a named dimension",
    elementwise=False,
    check_params=_dim_params,
    latex=None,
    sympy=lambda node: lazy.sympy().Symbol(
        node.params["name"], integer=True, nonnegative=True
    ),
    # generated functions bind each dim to a local variable of its name
    code=lambda node, names: node.params["name"],
)


# -- arithmetic ------------------------------------------------------------------------


def _pow_partials(n):
    a, b = n.args
    if b.op == "const" and not b.shape and isinstance(b.value, int | Fraction):
        # the common case, built directly: c*a**(c - 1) (2*a for squares)
        c = b.value
        return (apply("mul", c, a if c == 2 else apply("pow", a, c - 1)), None)
    da = None if a.op == "const" else b * a ** (b - 1)
    if b.op == "const":
        db = None
    elif a.op == "const" and not a.shape and a.value == 0:
        # 0**b is piecewise constant (inf, then 1 at b = 0, then 0): its derivative
        # is 0 wherever it exists, and we take 0 at the jump too, as numeric.autograd
        # does; a**b*log(a) would be 0*(-inf) = nan there.
        db = 0
    else:
        db = n * apply("log", a)
    return (da, db)


defop(
    "add",
    2,
    ufunc_impl(np.add),
    doc="addition",
    infix=" + ",
    commutative=True,
    latex="{0} + {1}",
    partials=lambda n: (1, 1),
    sympy=lambda n, a, b: a + b,
    code="{0} + {1}",
)
defop(
    "sub",
    2,
    ufunc_impl(np.subtract),
    doc="subtraction",
    infix=" - ",
    latex="{0} - {1}",
    partials=lambda n: (1, -1),
    sympy=lambda n, a, b: a - b,
    code="{0} - {1}",
)
defop(
    "mul",
    2,
    ufunc_impl(np.multiply),
    doc="multiplication",
    infix="*",
    commutative=True,
    latex=r"{0} \cdot {1}",
    partials=lambda n: (n.args[1], n.args[0]),
    sympy=lambda n, a, b: a * b,
    code="{0} * {1}",
)
defop(
    "div",
    2,
    ufunc_impl(np.true_divide),
    doc="division",
    infix="/",
    latex=r"\frac{{{0}}}{{{1}}}",
    partials=lambda n: (1 / n.args[1], -(n / n.args[1])),
    sympy=lambda n, a, b: a / b,
    code="{0} / {1}",
)
defop(
    "neg",
    1,
    ufunc_impl(np.negative),
    doc="negation",
    infix="-",
    latex="-{0}",
    partials=lambda n: (-1,),
    sympy=lambda n, a: -a,
    code="-{0}",
)
defop(
    "pow",
    2,
    _pow_impl,
    doc="power",
    infix="**",
    latex="{0}^{{{1}}}",
    partials=_pow_partials,
    sympy=lambda n, a, b: a**b,
    code="{0} ** {1}",
)
