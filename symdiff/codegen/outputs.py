"""Output structures: an Expr, or nested lists, tuples and dicts of them.

Generated functions return what the user asked for in the shape they asked for it:
:func:`flatten_outputs` turns the structure into its leaves (the expressions to
compute) and a flat token list, without recursion (structures may be deep), and
:func:`render_structure` writes the structure back around the computed leaves.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

from symdiff.core.expr import Expr, as_expr

__all__ = ["flatten_outputs", "render_structure"]


_END = object()  # the end of an iterator of items; also: no dict key


def flatten_outputs(outputs, owner):
    """Leaves (Exprs) and a token list describing the structure around them.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> leaves, tokens = flatten_outputs({"f": [Symbol("x"), 2]}, "lambdify")
    >>> [str(leaf) for leaf in leaves]
    ['x', '2']
    >>> tokens  # doctest: +NORMALIZE_WHITESPACE
    [('open', 'dict'), ('key', 'f'), ('open', 'list'), ('leaf', 0), ('leaf', 1),
     ('close', 'list'), ('close', 'dict')]
    """
    leaves = []
    tokens = []
    stack = [iter([(_END, outputs)])]
    closers = [None]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            closer = closers.pop()
            if closer is not None:
                tokens.append(("close", closer))
            continue
        key, value = item
        if key is not _END:
            tokens.append(("key", key))
        if isinstance(value, Mapping):
            tokens.append(("open", "dict"))
            stack.append(iter(list(value.items())))
            closers.append("dict")
        elif isinstance(value, list | tuple):
            kind = "tuple" if isinstance(value, tuple) else "list"
            tokens.append(("open", kind))
            stack.append(iter([(_END, v) for v in value]))
            closers.append(kind)
        elif isinstance(value, Expr | np.ndarray) or (
            isinstance(value, numbers.Real) and not isinstance(value, bool)
        ):
            tokens.append(("leaf", len(leaves)))
            leaves.append(as_expr(value))
        else:
            raise TypeError(
                f"{owner}: outputs must be Exprs, numbers, or (nested) lists, tuples "
                f"and dicts of them; got {value!r} ({type(value).__name__})"
            )
    return leaves, tokens


_BRACKETS = {"list": ("[", "]"), "tuple": ("(", ")"), "dict": ("{", "}")}


def render_structure(tokens, leaf, key):
    """Yield the pieces of the text of a structure (leaf(i), key(k) give the text).

    Examples
    --------
    >>> tokens = [("open", "tuple"), ("leaf", 0), ("close", "tuple")]
    >>> "".join(render_structure(tokens, lambda i: f"_t{i}", repr))
    '(_t0,)'
    """
    counts = []  # [kind, number of items so far] of the open brackets
    after_key = False
    for kind, val in tokens:
        if kind == "close":
            k, n = counts.pop()
            if k == "tuple" and n == 1:
                yield ","
            yield _BRACKETS[k][1]
            continue
        if counts and not after_key:
            if counts[-1][1]:
                yield ", "
            counts[-1][1] += 1
        after_key = False
        if kind == "key":
            yield key(val)
            yield ": "
            after_key = True
        elif kind == "open":
            yield _BRACKETS[val][0]
            counts.append([val, 0])
        else:
            yield leaf(val)
