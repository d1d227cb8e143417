"""Scalar code per point, shared by the numba and C targets.

Two steps, both iterative over the DAG:

1. :func:`scalarize` turns every tensor node into an object array of *scalar*
   expressions, one per entry, over one scalar symbol per entry of each tensor argument
   (elementwise ops entry by entry with broadcasting; sums, products, max/min, slices,
   reshapes, transposes, matmul, cumsum, concatenate... as the sums and products they
   are).  The scalar expressions are ordinary interned Exprs, so equal entries are one
   node (common subexpressions stay shared).  Ops with no fixed scalar form (``inv``,
   ``det``, ``solve``, ``norm``...) raise ``NotImplementedError`` naming op and target.
2. :class:`ScalarProgram` orders the scalar nodes, gives each shared node one statement
   and writes a node used once into its user's expression (up to a small depth), like
   the numpy writer.  What a node prints comes from its op row's numpy template, mapped
   by the target (``np.sin({0})`` -> ``math.sin``, ``sin``, ``sinf``); operand
   parentheses come from the shared precedence table via ``operand_slots``.
"""

from __future__ import annotations

import numpy as np

from symdiff.codegen.source import expression_precedence, operand_slots
from symdiff.core.expr import Expr, Symbol, apply, as_expr
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order
from symdiff.ops.structural import transpose_perm
from symdiff.ops.util import keeps_dims, reduced_axes
from symdiff.printing.precedence import ATOM

__all__ = ["ScalarProgram", "scalarize"]

_INLINE_DEPTH = 3
_INLINE_CHARS = 60


def _obj(value):
    """A 0-d object array holding ``value`` (numpy would iterate an Expr)."""
    out = np.empty((), dtype=object)
    out[()] = value
    return out


def _exprs(arr):
    """Entries that reductions left as Python numbers (an empty sum: 0) as Exprs."""
    if not isinstance(arr, np.ndarray):
        return _obj(arr if isinstance(arr, Expr) else as_expr(arr))
    out = np.empty(arr.shape, dtype=object)
    for idx in np.ndindex(out.shape):
        v = arr[idx]
        out[idx] = v if isinstance(v, Expr) else as_expr(v)
    return out


def _reduce(arr, node, combine):
    """Reduce ``arr`` over the node's axes with the scalar function ``combine``."""
    axes = [a % arr.ndim for a in reduced_axes(node, arr.ndim)]
    rest = [a for a in range(arr.ndim) if a not in axes]
    moved = np.transpose(arr, rest + axes)
    kept = moved.shape[: len(rest)]
    flat = moved.reshape(kept + (-1,))
    out = np.empty(kept, dtype=object)
    for idx in np.ndindex(kept):
        items = list(flat[idx])
        acc = items[0]
        for item in items[1:]:
            acc = combine(acc, item)
        out[idx] = acc
    if keeps_dims(node):
        out = out.reshape(tuple(1 if a in axes else n for a, n in enumerate(arr.shape)))
    return out


def _zeros(shape):
    out = np.empty(shape, dtype=object)
    out[...] = _obj(as_expr(0))
    return out


def _structural(node, vals):
    """The entries of a non-elementwise node from those of its arguments."""
    op, p = node.op, node.params
    a = vals[0]
    if op in ("sum", "prod", "max", "min"):
        combine = {
            "sum": lambda u, v: u + v,
            "prod": lambda u, v: u * v,
            "max": lambda u, v: apply("maximum", u, v),
            "min": lambda u, v: apply("minimum", u, v),
        }[op]
        return _reduce(a, node, combine)
    if op == "take":
        return np.take(a, p["index"], axis=p["axis"])
    if op == "slice":
        key = [slice(None)] * a.ndim
        key[p["axis"]] = slice(p["start"], p["stop"], p["step"])
        return a[tuple(key)]
    if op == "unslice":
        out = _zeros(node.shape)
        key = [slice(None)] * a.ndim
        key[p["axis"]] = slice(p["start"], p["stop"], p["step"])
        out[tuple(key)] = a
        return out
    if op in ("reshape", "broadcast_to"):
        fn = np.reshape if op == "reshape" else np.broadcast_to
        return np.array(fn(a, p["shape"]), dtype=object)
    if op == "transpose":
        return np.transpose(a, transpose_perm(node, a.ndim))
    if op == "matmul":
        return np.matmul(a, vals[1])
    if op == "diag":
        out = _zeros(node.shape)
        for idx in np.ndindex(a.shape):
            out[idx + (idx[-1],)] = a[idx]
        return out
    if op == "diagonal":
        return np.diagonal(a, axis1=-2, axis2=-1)
    if op == "trace":
        return np.trace(a, axis1=-2, axis2=-1)
    if op == "cumsum":
        ax = p.get("axis", -1)
        if p.get("reverse"):
            return np.flip(np.cumsum(np.flip(a, ax), axis=ax), ax)
        return np.cumsum(a, axis=ax)
    if op == "concatenate":
        return np.concatenate([a, vals[1]], axis=p.get("axis", -node.ndim))
    return None


def scalarize(leaves, args, target):
    """Each leaf as an object array of scalar Exprs; and the entry symbols.

    Returns ``(entries, inputs)``: ``entries[i]`` has ``leaves[i].shape``;
    ``inputs[j]`` is the object array of scalar symbols standing for ``args[j]``
    (the symbol itself for a scalar argument).

    Examples
    --------
    >>> from symdiff import Symbol
    >>> A = Symbol("A", shape=(2,))
    >>> (entries,), inputs = scalarize([A.sum() * 2], [A], "c")
    >>> entries[()].op, len(inputs[0])
    ('mul', 2)
    """
    order = topo_order(*leaves)
    if all(not n.shape for n in order):  # already scalar: nothing to expand
        return [_obj(leaf) for leaf in leaves], [_obj(a) for a in args]
    inputs = []
    val = {}
    for j, s in enumerate(args):
        if s.shape:
            arr = np.empty(s.shape, dtype=object)
            for k, idx in enumerate(np.ndindex(s.shape)):
                arr[idx] = Symbol(f"\x00{j}\x00{k}")
        else:
            arr = _obj(s)
        inputs.append(arr)
        val[s] = arr
    for node in order:
        if node in val:
            continue
        if node.op == "symbol":  # not in args: the generator names it
            val[node] = _obj(node)
        elif node.op == "const":
            arr = np.empty(node.shape, dtype=object)
            values = np.asarray(node.value)
            for idx in np.ndindex(node.shape):
                v = values[idx]  # an exact scalar (Fraction) stays itself: no .item()
                arr[idx] = as_expr(v.item() if isinstance(v, np.generic) else v)
            val[node] = arr
        elif (
            not node.shape
            and all(not a.shape for a in node.args)
            and all(val[a][()] is a for a in node.args)
        ):
            val[node] = _obj(node)  # a scalar node over unchanged scalars
        elif OPS[node.op].elementwise:
            op, params = node.op, node.params
            fn = np.frompyfunc(lambda *a, op=op, p=params: apply(op, *a, **p), 2, 1)
            if len(node.args) == 1:
                fn = np.frompyfunc(lambda a, op=op, p=params: apply(op, a, **p), 1, 1)
            out = fn(*[val[a] for a in node.args])
            val[node] = _exprs(out) if isinstance(out, np.ndarray) else _obj(out)
        else:
            out = _structural(node, [val[a] for a in node.args])
            if out is None:
                raise NotImplementedError(
                    f"the {target} target: the op {node.op!r} has no fixed scalar "
                    "form per point (use the numpy or array_api backend)"
                )
            val[node] = _exprs(out)
    return [val[leaf] for leaf in leaves], inputs


class ScalarProgram:
    """The statements computing scalar expressions, for one target.

    ``render(node, operands) -> (text, template)`` gives a node's code from its
    operands' texts (``template``: what :func:`operand_slots` reads, or None).
    ``leaf_text(node)`` names symbols and writes constants.  After construction,
    ``statements`` is a list of ``(name, text)`` and ``outputs`` the text of each
    output expression.

    Examples
    --------
    >>> from symdiff import Symbol, sin
    >>> x = Symbol("x")
    >>> render = TemplateRender({"np.sin": "sin"}, {}, "c")
    >>> def leaf(n):
    ...     return str(n.value) if n.op == "const" else n.name
    >>> prog = ScalarProgram([sin(x) * x + sin(x)], render, leaf)
    >>> prog.statements, prog.outputs
    ([('_t0', 'sin(x)')], ['x * _t0 + _t0'])
    """

    def __init__(self, outputs, render, leaf_text, temp="_t{}"):
        order = topo_order(*outputs)
        uses = {}
        for node in order:
            for a in node.args:
                uses[a] = uses.get(a, 0) + 1
        for out in outputs:  # an output used once is written into out[k] = ...
            uses[out] = uses.get(out, 0) + 1
        self.statements = []
        text_of = {}  # node -> (text, depth, precedence)
        inline = {}
        for node in order:
            if not node.args and node.op in ("symbol", "const"):
                text_of[node] = (leaf_text(node), 0, ATOM)
                continue
            texts, depth = [], 0
            template, slots = render.template(node)
            for k, a in enumerate(node.args):
                pending = inline.pop(a, None)
                if pending is not None and slots is None:  # an operand used twice
                    name = temp.format(len(self.statements))
                    self.statements.append((name, pending[0]))
                    text_of[a] = (name, 0, ATOM)
                    pending = None
                if pending is not None:
                    t, d, prec = pending
                    depth = max(depth, d + 1)
                    if slots[k]:
                        if prec is None:
                            prec = expression_precedence(None, t)
                        if prec < slots[k]:
                            t = f"({t})"
                else:
                    t = text_of[a][0]
                texts.append(t)
            text = render.apply(node, template, texts)
            prec = expression_precedence(template, text) if template else None
            ok = slots is not None and len(text) <= _INLINE_CHARS
            if uses.get(node, 0) == 1 and ok and depth < _INLINE_DEPTH:
                inline[node] = (text, depth, prec)
            else:
                name = temp.format(len(self.statements))
                self.statements.append((name, text))
                text_of[node] = (name, 0, ATOM)
        self.outputs = [
            inline.pop(o)[0] if o in inline else text_of[o][0] for o in outputs
        ]


class TemplateRender:
    """Renders a node from its op row's numpy template mapped by ``table``.

    ``table`` maps the names of numpy templates (``np.sin``, ``_erf``) to the target's;
    ``overrides`` maps an op name to a whole template of the target; ``owner`` names
    the target in errors.

    Examples
    --------
    >>> from symdiff import Symbol, sin
    >>> TemplateRender({"np.sin": "sinf"}, {}, "c").template(sin(Symbol("x")))
    ('sinf({0})', (0,))
    """

    def __init__(self, table, overrides, owner):
        self.table = table
        self.overrides = overrides
        self.owner = owner
        self._cache = {}

    def template(self, node):
        key = (node.op, len(node.args))
        hit = self._cache.get(key)
        if hit is None:
            code = self.overrides.get(node.op, OPS[node.op].code)
            if not isinstance(code, str):
                raise NotImplementedError(
                    f"the {self.owner} target: the op {node.op!r} has no scalar code"
                )
            code = self._map(node.op, code)
            hit = self._cache[key] = (code, operand_slots(code, len(node.args)))
        return hit

    def _map(self, op, code):
        import re

        def sub(m):
            name = m.group(0)
            if name in self.table:
                return self.table[name]
            raise NotImplementedError(
                f"the {self.owner} target: the op {op!r} uses {name}, which it cannot "
                "map (symdiff/codegen/targets/)"
            )

        return re.sub(r"np(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\b_[a-z]+\b", sub, code)

    def apply(self, node, template, texts):
        return template.format(*texts)
