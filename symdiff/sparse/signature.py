"""Term signatures for re-rolling (:mod:`symdiff.sparse.reroll`), in one DAG pass.

A term's *template* is its expression tree with every symbol and every scalar
constant replaced by a slot; two terms with one template are one function of their
slots.  Templates are interned bottom-up: a node's template id is the id of
``(op, params, operand template ids)``, its symbol sequence the concatenation of its
operands' (a symbol's is its own index), its constant sequence likewise.  Nodes are
hash-consed, so a node shared by many terms (a symbol, a constant, a common
sub-term) is visited once for all of them, and equal-shaped terms share the
template's bookkeeping: the work per node is a tuple key, a dict look-up and two
tuple concatenations.  Most terms never get there: once a template is known, its
compiled matcher (:mod:`symdiff.sparse.matcher`) checks the terms left in one sweep
and reads their slots, so the general pass runs about once per template.

Slots are positions in the tree's leaf order (a symbol used twice takes two slots):
equal templates then mean equal trees, whatever the sharing inside each term.
"""

from __future__ import annotations

from symdiff.core.spec import OPS
from symdiff.sparse.matcher import MAX_COMPILED, matcher

__all__ = ["MAX_TEMPLATE", "Foreign", "Signatures"]

# a term template bigger than this many tree nodes is not re-rolled (bounds the work
# of instantiating it, and of the sequences a node carries)
MAX_TEMPLATE = 256

_SYMBOL, _CONST = 0, 1  # the template ids of the two slot kinds
_BAD = (None, (), ())  # the signature of a node that cannot be re-rolled
_MISSING = object()
# compiled-matcher passes over the terms left (each finds one template's terms), at
# most; and at most this many of them that find fewer than _MIN_HITS terms
_ROUNDS, _WASTED, _MIN_HITS = 32, 4, 4


class Foreign(Exception):
    """A symbol outside ``wrt``: the problem is not re-rolled."""


class Signatures:
    """The signatures of terms over the scalar Symbols of ``index``.

    ``of(terms)`` gives, per term, ``(template id, symbol indices, constants)``
    (the template id None: the term cannot be re-rolled: not elementwise, not
    scalar, or too big); ``template(tid)`` the template as a flat list, operands
    first: ``("s", k)`` for the ``k``-th symbol slot, ``("c", k)`` for the ``k``-th
    constant slot, ``(op, params, operand positions...)`` otherwise.  A symbol not
    in ``index`` raises :class:`Foreign`.

    Examples
    --------
    >>> from symdiff import symbols, sin
    >>> x, y, z = symbols("x y z")
    >>> sig = Signatures({x: 0, y: 1, z: 2})
    >>> (a, ia, ca), (b, ib, cb) = sig.of([sin(x) * 2.0 - y, sin(y) * 3.0 - z])
    >>> a == b, ia, ib, ca, cb
    (True, (0, 1), (1, 2), (2.0,), (3.0,))
    >>> [e[0] for e in sig.template(a)]
    ['c', 's', 'sin', 'mul', 's', 'sub']
    """

    def __init__(self, index):
        # node -> (template id, symbol indices, constant values)
        self._index = index
        self._info = {}  # (a symbol's: on first use, see _leaf)
        self._ids = {}  # (op, params, operand ids...) -> template id (None: bad)
        # template id -> (op, params, operand ids), and its tree size
        self._table = [("s", (), ()), ("c", (), ())]
        self._size = [1, 1]
        self._counts = [(1, 0), (0, 1)]  # (symbol slots, constant slots)
        self._matchers = {}  # template id -> compiled matcher (or None)

    def _leaf(self, node):
        op = node.op
        if op == "const":
            return _BAD if node.shape else (_CONST, (), (node.value,))
        if op == "symbol":
            i = self._index.get(node)
            if i is None:
                raise Foreign(node.name)
            return (_SYMBOL, (i,), ())
        return _BAD

    def _new(self, node, key):
        """The id of a template not seen before (None where it cannot re-roll)."""
        tid = None
        kids = key[2:]
        if None not in kids and not node.shape and OPS[node.op].elementwise:
            size = 1 + sum(self._size[k] for k in kids)
            if size <= MAX_TEMPLATE:
                tid = len(self._table)
                self._table.append((node.op, key[1], kids))
                self._size.append(size)
                self._counts.append(
                    (
                        sum(self._counts[k][0] for k in kids),
                        sum(self._counts[k][1] for k in kids),
                    )
                )
        self._ids[key] = tid
        return tid

    def of(self, terms):
        """``[(template id, symbol indices, constants)]``, one per term."""
        terms = list(terms)
        out = [None] * len(terms)
        pending, at = list(range(len(terms))), 0
        rounds = wasted = 0
        while at < len(pending):
            if rounds >= _ROUNDS or wasted >= _WASTED:  # the rest one by one
                out[pending[at]] = self._one(terms[pending[at]])
                at += 1
                continue
            # a term from the middle: more likely of a common template than the
            # first (often a boundary term)
            mid = at + (len(pending) - at) // 2
            k = pending[mid]
            out[k] = sig = self._one(terms[k])
            tid = sig[0]
            match = self._matcher(tid) if tid is not None else None
            if match is None:  # (counted as wasted: few such deletions)
                del pending[mid]
                wasted += 1
                continue
            # the other terms of this template, by its compiled matcher
            rest = pending[at:mid] + pending[mid + 1 :]
            found, sigs, pending = match(
                [terms[j] for j in rest], rest, self._index.get, tid
            )
            at = 0
            rounds += 1
            wasted += len(found) < _MIN_HITS
            if found and found[-1] - found[0] == len(found) - 1:  # one stretch
                out[found[0] : found[-1] + 1] = sigs
            else:
                for j, sig in zip(found, sigs, strict=True):
                    out[j] = sig
        return out

    def _one(self, term):
        sig = self._info.get(term)
        if sig is None:
            if term.args:
                self._walk(term)
                sig = self._info[term]
            else:
                sig = self._info[term] = self._leaf(term)
        return sig

    def _matcher(self, tid):
        if tid not in self._matchers:
            pattern = self._pattern(tid)
            self._matchers[tid] = None if pattern is None else matcher(pattern)
        return self._matchers[tid]

    def _pattern(self, tid):
        """The template ``tid`` in preorder, as :func:`matcher` reads it: ``(op,
        params)``, ``(None, None)`` for a symbol slot, ``(False, None)`` for a
        constant slot (None: too big, or an op without a fixed arity)."""
        if self._size[tid] > MAX_COMPILED:
            return None
        pattern = []
        table = self._table
        stack = [tid]
        while stack:
            op, params, kids = table[stack.pop()]
            if op == "s":
                pattern.append((None, None))
            elif op == "c":
                pattern.append((False, None))
            else:
                if OPS[op].arity != len(kids):
                    return None
                pattern.append((op, params))
                stack.extend(reversed(kids))
        return tuple(pattern)

    def _walk(self, root):
        """Signatures of every node under ``root`` not seen yet, operands first
        (an explicit stack: deep chains are fine)."""
        info, ids, new, leaf = self._info, self._ids, self._new, self._leaf
        stack = [root]
        while stack:
            node = stack[-1]
            args = node.args
            pending = False
            for a in args:
                if a not in info:
                    if a.args:
                        stack.append(a)
                        pending = True
                    else:
                        info[a] = leaf(a)
            if pending:
                continue
            stack.pop()
            if node in info:  # reached twice before it was done
                continue
            if len(args) == 2:
                t0, s0, c0 = info[args[0]]
                t1, s1, c1 = info[args[1]]
                key = (node.op, node._items, t0, t1)
                tid = ids.get(key, _MISSING)
                if tid is _MISSING:
                    tid = new(node, key)
                info[node] = _BAD if tid is None else (tid, s0 + s1, c0 + c1)
                continue
            sigs = [info[a] for a in args]
            key = (node.op, node._items, *[s[0] for s in sigs])
            tid = ids.get(key, _MISSING)
            if tid is _MISSING:
                tid = new(node, key)
            if tid is None:
                info[node] = _BAD
            elif len(sigs) == 1:
                info[node] = (tid, sigs[0][1], sigs[0][2])
            else:
                syms, consts = (), ()
                for s in sigs:
                    syms += s[1]
                    consts += s[2]
                info[node] = (tid, syms, consts)

    def template(self, tid):
        """The template ``tid`` as a flat list, operands first (see the class)."""
        table, counts = self._table, self._counts
        flat, done = [], []  # done: the positions of the finished operands
        # post order over the template's tree (an explicit stack of
        # (id, first symbol slot, first constant slot, operands done?))
        stack = [(tid, 0, 0, False)]
        while stack:
            t, s, c, expanded = stack.pop()
            op, params, kids = table[t]
            if not kids:
                done.append(len(flat))
                flat.append((op, s if op == "s" else c))
                continue
            if expanded:
                places = done[len(done) - len(kids) :]
                del done[len(done) - len(kids) :]
                done.append(len(flat))
                flat.append((op, params, *places))
                continue
            stack.append((t, s, c, True))
            starts = []
            for k in kids:
                starts.append((k, s, c, False))
                s, c = s + counts[k][0], c + counts[k][1]
            stack.extend(reversed(starts))
        return flat
