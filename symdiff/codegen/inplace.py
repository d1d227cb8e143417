"""Writing into dying temporaries: which numpy templates can reuse an operand's memory.

An elementwise result the size of its operand can be written into that operand when
the operand is a temporary that dies there (``np.maximum(0.0, _w0 := X @ W1, out=_w0)``
instead of a second array the size of ``X @ W1``).  On large batches that saves an
allocation, its page faults and a pass of cache misses per op; numpy already does it
by itself for ``tmp + y`` when the shapes agree ("temporary elision"), but not when
``y`` broadcasts, not for a temporary on the right of ``-`` or ``/``, and never for a
function call.

This module only reads templates (the op table's ``code`` strings): whether an op
makes a new floating-point array (its operands may then be written into), and how to
write it into one of its operands.  The writer decides when that is safe (the operand
is used once, has the result's shape and batch, and the dtype is real).
"""

from __future__ import annotations

import ast

import numpy as np

# binary operator templates that numpy runs as these ufuncs
_OPERATOR_UFUNCS = {
    ast.Add: "add",
    ast.Sub: "subtract",
    ast.Mult: "multiply",
    ast.Div: "divide",
}
# operators whose result is a new array of the operands' (floating) dtype
_NEW_ARRAY_OPERATORS = (*_OPERATOR_UFUNCS, ast.Pow, ast.MatMult)


# ops whose code is a function (so not read here) and always makes a new array: a
# matmul's lifted vector forms are views of its new product
NEW_ARRAY_OPS = frozenset({"matmul"})


def _parse(template, arity):
    try:
        body = ast.parse(template.format(*(f"_{i}" for i in range(arity))), mode="eval")
    except (SyntaxError, IndexError, KeyError, ValueError):
        return None
    return body.body


def _ufunc_result(node):
    """(name, result dtype on float64 operands) of a call node ``np.f(...)`` of a
    numpy ufunc, or None."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "np"
        and not node.keywords
    ):
        return None
    f = getattr(np, node.func.attr, None)
    if not isinstance(f, np.ufunc) or f.nin != len(node.args) or f.nout != 1:
        return None
    try:
        out = f.resolve_dtypes((np.dtype(np.float64),) * f.nin + (None,))[-1]
    except (TypeError, ValueError):  # pragma: no cover - no float loop
        return None
    return f.__name__, out


def _float_ufunc(node):
    result = _ufunc_result(node)
    return result is not None and result[1] == np.float64


def result_kind(template, arity):
    """What ``template`` computes from floating-point operands: ``"new"``, a new
    floating-point array (a numpy ufunc call or an arithmetic operator at its top);
    ``"mask"``, booleans (a comparison ufunc); None, anything else (views, calls
    this module does not read).

    Examples
    --------
    >>> result_kind("np.exp({0})", 1), result_kind("{0} @ {1}", 2)
    ('new', 'new')
    >>> result_kind("np.less({0}, {1})", 2), result_kind("np.swapaxes({0}, -1, -2)", 1)
    ('mask', None)
    """
    if not isinstance(template, str):
        return None
    node = _parse(template, arity)
    if isinstance(node, ast.BinOp):
        return "new" if isinstance(node.op, _NEW_ARRAY_OPERATORS) else None
    if isinstance(node, ast.UnaryOp):
        return "new" if isinstance(node.op, ast.USub) else None
    result = _ufunc_result(node)
    if result is None:
        return None
    dtype = result[1]
    return "new" if dtype == np.float64 else "mask" if dtype.kind == "b" else None


def in_place_form(template, arity):
    """How ``template`` writes its result into an operand: ``("call", None)`` for a
    template that is one ufunc call (``out=`` goes before its closing parenthesis),
    ``("operator", name)`` for a binary operator template (written as ``np.name``),
    None where it cannot.

    Examples
    --------
    >>> in_place_form("np.maximum({0}, {1})", 2), in_place_form("{0} - {1}", 2)
    (('call', None), ('operator', 'subtract'))
    >>> in_place_form("np.sign(np.maximum({0}, 0.0))", 1)  # the out= would go to sign
    ('call', None)
    >>> in_place_form("np.sum({0}, axis=-1)", 1) is None
    True
    """
    if not isinstance(template, str):
        return None
    node = _parse(template, arity)
    if isinstance(node, ast.BinOp):
        name = _OPERATOR_UFUNCS.get(type(node.op))
        operands = (node.left, node.right)
        if name is None or [getattr(x, "id", None) for x in operands] != ["_0", "_1"]:
            return None
        return ("operator", name)
    if _float_ufunc(node) and template.endswith(")"):
        return ("call", None)
    return None


def in_place_text(form, rhs, operands, target):
    """The text computing ``rhs`` (the template filled with ``operands``) into the
    array named ``target``.

    Examples
    --------
    >>> in_place_text(("call", None), "np.exp(_w0 := a @ b)", ["_w0 := a @ b"], "_w0")
    'np.exp(_w0 := a @ b, out=_w0)'
    >>> in_place_text(("operator", "subtract"), "y - t", ["y", "t"], "t")
    'np.subtract(y, t, out=t)'

    ``target`` may be a conditional (``"t if _unbatched else None"``).
    """
    kind, name = form
    if " " in target:
        target = f"({target})"
    if kind == "call":
        return f"{rhs[:-1]}, out={target})"
    return f"np.{name}({operands[0]}, {operands[1]}, out={target})"
