"""The schema of the op table: :class:`OpSpec`, the table :data:`OPS` and :func:`defop`.

This module holds no rows.  The rows live in :mod:`symdiff.ops`, one file per family,
each row written whole in one place (shape rule, numpy implementation, derivative,
printing, LaTeX, SymPy form, numpy code).  Every pass (evaluate, diff, print, code
generation, the SymPy bridge, strategies) reads the table, so adding an operation is
one ``defop`` call plus its tests; a table-driven test walks every row.

Derivatives come in one of two forms:

* ``partials(node)`` for elementwise ops: the local partial derivative of the node with
  respect to each argument, as expressions (``None`` for "does not depend").  Reverse
  mode multiplies them by the adjoint, forward mode by the tangents; broadcasting is
  undone once, in the driver (:mod:`symdiff.diff`).
* ``vjp(node, g)`` / ``jvp(node, tangents)`` for structural ops (reductions, reshapes,
  products), which are linear maps that cannot be written as a pointwise product.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from symdiff.core.shapes import broadcast_shapes


def elementwise_shape(op, args, params):
    """Shape rule of elementwise ops: numpy broadcasting of the operands.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> a, b = Symbol("a", shape=(3, 1)), Symbol("b", shape=(4,))
    >>> elementwise_shape("add", (a, b), {})
    (3, 4)
    """
    if len(args) == 2:  # the hot path: equal shapes or a scalar operand
        sa, sb = args[0].shape, args[1].shape
        if sa == sb or not sb:
            return sa
        if not sa:
            return sb
        return broadcast_shapes(op, sa, sb)
    return args[0].shape if args else ()


@dataclass
class OpSpec:
    """One row of the op table (see the module docstring).

    Only ``name``, ``arity`` and ``impl`` are required; everything else has a default
    that fits an elementwise function printed as a call.
    """

    name: str
    arity: int | None
    impl: Callable  # impl(node, *values) -> numpy value
    doc: str = ""
    shape: Callable = elementwise_shape
    elementwise: bool = True
    partials: Callable | None = None
    vjp: Callable | None = None
    jvp: Callable | None = None
    infix: str | None = None  # binary " + ", unary "-"; None: printed as a call
    # template over the printed arguments {0}, {1}; ops whose LaTeX shows their
    # parameters (indices, axes, shapes) are laid out by symdiff.printing.latex
    latex: str | None = None
    sympy: Callable | None = None  # to_sympy(node, *sympy_args)
    code: str | Callable | None = None  # numpy source: "np.sin({0})" or fn(node, names)
    commutative: bool = False
    smooth: bool = True  # False: has points where the derivative is a documented choice
    domain: str = "real"  # where strategies may evaluate it: real|positive|open_unit
    check_params: Callable | None = None


OPS: dict[str, OpSpec] = {}


def defop(name, arity, impl, **fields):
    """Add the row ``name`` to the op table and return it.

    Parameters
    ----------
    name : str
        The op's name (``Expr.op``); must be new.
    arity : int or None
        Number of operands (``None``: any).
    impl : callable
        ``impl(node, *values)``: the numpy implementation.
    **fields
        The other :class:`OpSpec` fields.

    Examples
    --------
    >>> from symdiff.core.spec import OPS
    >>> OPS["sin"].arity, OPS["sin"].code
    (1, 'np.sin({0})')
    """
    if name in OPS:
        raise ValueError(f"defop: the op {name!r} is already in the table")
    spec = OpSpec(name, arity, impl, **fields)
    OPS[name] = spec
    return spec
