"""Binding named dimensions to sizes: read them off values, check, specialise.

:func:`bind_dims` reads the size of every named dimension off the values given for
the symbols (a batch may lead: the symbol's own axes are the trailing ones) and checks
that every symbol agrees, naming the dimension and both symbols when they do not.
:func:`specialize` rebuilds an expression with those sizes in place of the names, so
that the reference interpreter (:func:`symdiff.evaluate`) runs on all-int shapes.
Generated code does not specialise: it binds the names at run time (see
:mod:`symdiff.codegen.writer`).
"""

from __future__ import annotations

import numpy as np

from symdiff.core.dims import concrete, has_named
from symdiff.core.errors import ShapeError
from symdiff.core.expr import Symbol, apply, const
from symdiff.core.traverse import topo_order


def bind_dims(symbol, shape, sizes, owner="evaluate"):
    """Check the value shape ``shape`` against ``symbol``'s and record its named dims.

    ``sizes`` maps a dim name to ``(size, symbol name, axis)`` of the first symbol that
    bound it, and is updated in place.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> sizes = {}
    >>> bind_dims(Symbol("X", shape=("n", 2)), (5, 2), sizes)
    >>> sizes
    {'n': (5, 'X', 0)}
    >>> bind_dims(Symbol("y", shape=("n",)), (4,), sizes)
    Traceback (most recent call last):
    ...
    symdiff.ShapeError: evaluate: dimension 'n': X has 5 (axis 0) but y has 4 (axis 0)
    """
    k = len(symbol.shape)
    lead = len(shape) - k
    if lead < 0:
        raise ShapeError(
            f"{owner}: symbol {symbol.name!r} has shape {symbol.shape} but its value "
            f"has shape {tuple(shape)} (extra leading dimensions are a batch)"
        )
    for i, d in enumerate(symbol.shape):
        actual = int(shape[lead + i])
        if not isinstance(d, str):
            if d != actual:
                raise ShapeError(
                    f"{owner}: symbol {symbol.name!r} has shape {symbol.shape} but its "
                    f"value has shape {tuple(shape)} (extra leading dimensions are a "
                    "batch)"
                )
            continue
        seen = sizes.get(d)
        if seen is None:
            sizes[str(d)] = (actual, symbol.name, i)
        elif seen[0] != actual:
            raise ShapeError(
                f"{owner}: dimension {str(d)!r}: {seen[1]} has {seen[0]} (axis "
                f"{seen[2]}) but {symbol.name} has {actual} (axis {i})"
            )


def _concrete_params(node, sizes):
    params = node.params
    for key, value in params.items():
        if isinstance(value, tuple) and has_named(value):
            params[key] = concrete(value, sizes)
    return params


def specialize(roots, sizes):
    """``roots`` rebuilt with every named dim replaced by its size from ``sizes``.

    Returns the new roots and a dict mapping each old symbol to its new one.  A dim
    with no size stays named (``evaluate`` then says which one is unbound).

    Examples
    --------
    >>> from symdiff import Symbol, mean
    >>> X = Symbol("X", shape=("n", 2))
    >>> (e,), symbols = specialize([mean(X, axis=0)], {"n": 4})
    >>> print(e), symbols[X].shape
    sum(X, axis=0)/4
    (None, (4, 2))
    """
    memo = {}
    symbols = {}
    for node in topo_order(*roots):
        if node.op == "symbol":
            new = node
            if has_named(node.shape):
                try:
                    new = Symbol(node.name, concrete(node.shape, sizes))
                except ShapeError:
                    new = node
            symbols[node] = new
        elif node.op == "dim" and node.params["name"] in sizes:
            new = const(int(sizes[node.params["name"]]))
        elif not node.args:
            new = node
        else:
            args = [memo[a] for a in node.args]
            same = all(a is b for a, b in zip(args, node.args, strict=True))
            if same and not has_named(node.shape):
                new = node
            else:
                try:
                    params = _concrete_params(node, sizes)
                except ShapeError:
                    params = node.params
                new = apply(node.op, *args, **params)
        memo[node] = new
    return [memo[r] for r in roots], symbols


def sizes_only(sizes):
    """``{name: size}`` from what :func:`bind_dims` recorded."""
    return {name: int(np.int64(v[0])) for name, v in sizes.items()}
