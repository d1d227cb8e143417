"""Sparse derivatives of re-rolled problems, assembled from their templates.

A re-rolled sum (:mod:`symdiff.sparse.reroll`) is ``sum over blocks, over k of c_k *
T(X[i_0(k)], ..., X[i_s(k)])``: one small template ``T`` per block, each slot's
indices a progression (or a grid).  Its Hessian is assembled the way finite-element
codes assemble a stiffness matrix from element matrices:

1. the template's second partial derivatives ``d2T/ds_a ds_b`` are taken once per
   template, on a scalar expression of a few nodes;
2. each is written over the block as a vector expression (slots -> slices of ``X``)
   and placed at the entries ``(i_a(k), i_b(k))``;
3. two slots that move with one stride keep one offset ``d = |i_a - i_b|`` along the
   block, so every contribution lands on one diagonal of the Hessian: one vector per
   offset ``d`` holds the entry ``(j + d, j)`` at position ``j``, summed over blocks
   (constant contributions are added in numpy here, once; the others are zero-padded
   into place with ``unslice``).

A Jacobian likewise: ``dT/ds_a`` at ``(row_0 + k, i_a(k))``, one vector per block and
slot.  No sparsity pass, no colouring and no sweep is needed: the pattern is the union
of the placed index progressions, exact where the template's derivative is not
identically zero.  Where a block does not fit (slots moving with different strides,
or a slot fixed across a block), :func:`assemble_hessian` and
:func:`assemble_jacobian` return None and the caller differentiates the re-rolled
expression by coloured sweeps instead.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np

from symdiff.core.expr import Symbol, apply, const, subs
from symdiff.core.traverse import topo_order
from symdiff.diff import grad, hessian
from symdiff.sparse.reroll import (
    _balanced,
    _const_of,
    _grid_of,
    _grid_offset,
    _steps,
    _to_x,
    _vector_of,
)

__all__ = ["Assembled", "assemble_hessian", "assemble_jacobian"]

_second, _third = operator.itemgetter(1), operator.itemgetter(2)

# a left-over term with more symbols than this is not assembled (its dense Hessian)
MAX_LEFTOVER_SYMBOLS = 8
# at most this many symbolic left-over entries (each a zero-padded vector to add)
MAX_LEFTOVER_ENTRIES = 16
# at most this many diagonals (each a vector of n entries)
MAX_DIAGONALS = 32


class Assembled:
    """An assembled derivative: nonzeros ``(rows, cols)`` in CSR order, and entry
    ``k`` is entry ``gather[k]`` of the flat concatenation of ``compressed``."""

    def __init__(self, rows, cols, compressed, gather):
        self.rows, self.cols = rows, cols
        self.compressed, self.gather = compressed, gather


class _Templates:
    """A template's expression over scalar placeholders, and its derivatives, taken
    once per template and set of fixed constants."""

    def __init__(self, signatures):
        self.signatures = signatures
        self._memo = {}

    def expr(self, tid, fixed):
        """``(T, slots, consts)``: ``T`` over the placeholder Symbols ``slots`` (one
        per symbol slot) and ``consts`` (one per constant slot not in ``fixed``, a
        tuple of ``(slot, value)`` for the constants one value throughout a block,
        such as exponents: written as numbers, so that ``x**2``'s second derivative
        is ``2``, not ``c*(c - 1)*x**(c - 2)``)."""
        key = ("t", tid, fixed)
        found = self._memo.get(key)
        if found is not None:
            return found
        template = self.signatures.template(tid)
        nslots = 1 + max((e[1] for e in template if e[0] == "s"), default=-1)
        nconsts = 1 + max((e[1] for e in template if e[0] == "c"), default=-1)
        slots = [Symbol(f"_slot{a}") for a in range(nslots)]
        consts = [Symbol(f"_const{j}") for j in range(nconsts)]
        values = list(consts)
        for j, v in fixed:
            values[j] = const(v)
        built = []
        for entry in template:
            if entry[0] == "s":
                built.append(slots[entry[1]])
            elif entry[0] == "c":
                built.append(values[entry[1]])
            else:
                args = [built[i] for i in entry[2:]]
                built.append(apply(entry[0], *args, **dict(entry[1])))
        found = self._memo[key] = (built[-1], slots, consts)
        return found

    def gradient(self, tid, fixed):
        key = ("g", tid, fixed)
        if key not in self._memo:
            t, slots, _ = self.expr(tid, fixed)
            self._memo[key] = tuple(grad(t, slots))
        return self._memo[key]

    def hessian(self, tid, fixed):
        key = ("h", tid, fixed)
        if key not in self._memo:
            t, slots, _ = self.expr(tid, fixed)
            self._memo[key] = hessian(t, slots)
        return self._memo[key]


def _is_zero(e):
    return e.op == "const" and not e.shape and e.value == 0


def _real(value):
    """A constant's value as a float array (exact Fractions rounded, as the coloured
    path's folded constants are; constants are never complex)."""
    return np.asarray(value, dtype=float)


class _Block:
    """One block's geometry: its shape, and each slot's first index, stride and
    stride between rows (``outer``; None for a one-run block)."""

    def __init__(self, rows):
        run = rows[0]
        self.first, self.count = run[0][0], len(run)
        width = len(self.first)
        self.stride = _steps(run[0][0], run[1][0]) if self.count > 1 else [0] * width
        self.outer = _steps(rows[0][0][0], rows[1][0][0]) if len(rows) > 1 else None
        self.nrows = len(rows)
        self.shape = (self.count,) if self.outer is None else (self.nrows, self.count)
        members = list(itertools.chain.from_iterable(rows))
        # each constant slot's values and the coefficients (C-level loops)
        self.coefs = list(map(_third, members))
        values = list(map(_second, members))
        self.consts = [
            list(map(operator.itemgetter(j), values)) for j in range(len(values[0]))
        ]
        # the constant slots with one value throughout (an exponent, a weight)
        self.fixed = tuple(
            (j, vals[0])
            for j, vals in enumerate(self.consts)
            if vals.count(vals[0]) == len(vals)
        )

    def moves(self, a):
        """Whether slot ``a`` reads distinct entries across the block."""
        if self.count > 1 and self.stride[a] <= 0:
            return False
        return self.outer is None or self.outer[a] > self.stride[a] * (self.count - 1)

    def positions(self, a):
        """Slot ``a``'s indices, an array of the block's shape."""
        idx = self.first[a] + self.stride[a] * np.arange(self.count)
        if self.outer is None:
            return idx
        return idx[None, :] + self.outer[a] * np.arange(self.nrows)[:, None]

    def view(self, X, a):
        if self.outer is None:
            if (self.first[a], self.stride[a], self.count) == (0, 1, X.shape[0]):
                return X  # (all of X: no slice to copy)
            return _vector_of(X, self.first[a], self.stride[a], self.count)
        return _grid_of(
            X, self.first[a], self.stride[a], self.count, self.outer[a], self.nrows
        )

    def constant(self, j):
        return _const_of(self.consts[j], self.shape)

    def coefficients(self):
        return _const_of(self.coefs, self.shape)

    def write(self, e, X, slots, consts):
        """``e`` (over the placeholders) over this block: an Expr of its shape."""
        used = {s for s in topo_order(e) if s.op == "symbol"}
        mapping = {s: self.view(X, a) for a, s in enumerate(slots) if s in used}
        mapping.update({q: self.constant(j) for j, q in enumerate(consts) if q in used})
        out = subs(e, mapping) if mapping else e
        if out.shape == self.shape:
            return out
        if out.op == "const":  # (a number: an array of the block's shape)
            return const(np.broadcast_to(np.asarray(out.value, float), self.shape))
        return apply("broadcast_to", out, shape=self.shape)


def _scatter(v, block, a, n):
    """The vector of ``n`` zeros with ``v`` (the block's shape) at slot ``a``'s
    indices (which :meth:`_Block.moves`: distinct, increasing)."""
    first, stride, count = block.first[a], block.stride[a], block.count
    step = max(stride, 1)
    if block.outer is None:
        if first == 0 and step == 1 and count == n:
            return v
        stop = first + step * (count - 1) + 1
        return apply("unslice", v, axis=-1, start=first, stop=stop, step=step, size=n)
    outer, nrows = block.outer[a], block.nrows
    off = _grid_offset(first, stride, count, outer, nrows, n)
    base = first - off
    if not (off == 0 and step == 1 and count == outer):
        stop = off + step * (count - 1) + 1
        v = apply("unslice", v, axis=-1, start=off, stop=stop, step=step, size=outer)
    v = apply("reshape", v, shape=(nrows * outer,))
    if base == 0 and nrows * outer == n:
        return v
    return apply(
        "unslice", v, axis=-1, start=base, stop=base + nrows * outer, step=1, size=n
    )


class _Diagonals:
    """The Hessian's lower diagonals being assembled: per offset ``d``, the column
    indices placed, the constant part (numpy) and the symbolic parts."""

    def __init__(self, n):
        self.n = n
        self.cols, self.numeric, self.symbolic = {}, {}, {}

    def add_constant(self, d, cols, value):
        self.cols.setdefault(d, []).append(cols.ravel())
        acc = self.numeric.get(d)
        if acc is None:
            acc = self.numeric[d] = np.zeros(self.n)
        acc[cols.ravel()] += np.broadcast_to(value, cols.shape).ravel()

    def add(self, d, cols, expr):
        self.cols.setdefault(d, []).append(cols.ravel())
        self.symbolic.setdefault(d, []).append(expr)

    def result(self):
        """``Assembled`` of the lower triangle (None: too many diagonals)."""
        offsets = sorted(self.cols)
        if len(offsets) > MAX_DIAGONALS:
            return None
        n = self.n
        compressed, rows, cols, flat = [], [], [], []
        for k, d in enumerate(offsets):
            parts = list(self.symbolic.get(d, ()))
            acc = self.numeric.get(d)
            if acc is not None and (acc.any() or not parts):
                parts.append(const(acc))
            compressed.append(_balanced("add", parts))
            at = np.unique(np.concatenate(self.cols[d]))
            rows.append(at + d)
            cols.append(at)
            flat.append(k * n + at)
        rows, cols, flat = (np.concatenate(a) for a in (rows, cols, flat))
        order = np.lexsort((cols, rows))
        return Assembled(rows[order], cols[order], tuple(compressed), flat[order])


def _place_block(diag, templates, tid, rows, X, n):
    """Add one block's second derivatives to ``diag``; False where it does not fit."""
    block = _Block(rows)
    _, slots, consts = templates.expr(tid, block.fixed)
    nslots = len(slots)
    if not all(block.moves(a) for a in range(nslots)):
        return False
    h = templates.hessian(tid, block.fixed)
    coef = block.coefficients()
    for a in range(nslots):
        for b in range(a, nslots):
            e = h[a][b]
            if _is_zero(e):
                continue
            if block.stride[a] != block.stride[b] or (
                block.outer is not None and block.outer[a] != block.outer[b]
            ):
                return False
            d = block.first[a] - block.first[b]
            low = b if d >= 0 else a  # the slot whose indices are the columns
            d = abs(d)
            if a != b and d == 0:
                e = apply("mul", e, const(2))  # (a, b) and (b, a) on the diagonal
            value = block.write(e, X, slots, consts)
            cols = block.positions(low)
            if value.op == "const":
                diag.add_constant(d, cols, _real(value.value) * _real(coef.value))
            else:
                diag.add(d, cols, _scatter(apply("mul", value, coef), block, low, n))
    return True


def _place_leftover(diag, c, term, index, X, budget):
    """Add a left-over term's dense Hessian to ``diag``; the symbolic entries left in
    ``budget[0]`` (False where the term is too big)."""
    syms = [s for s in topo_order(term) if s.op == "symbol"]
    if len(syms) > MAX_LEFTOVER_SYMBOLS:
        return False
    h = hessian(term, syms)
    n = diag.n
    for a, b in itertools.combinations_with_replacement(range(len(syms)), 2):
        e = h[a][b]
        if _is_zero(e):
            continue
        p, q = index[syms[a]], index[syms[b]]
        d, col = abs(p - q), np.array([min(p, q)])
        if e.op == "const":
            diag.add_constant(d, col, _real(e.value) * _real(c))
            continue
        budget[0] -= 1
        if budget[0] < 0:
            return False
        v = apply("reshape", _to_x(apply("mul", e, const(c)), index, X), shape=(1,))
        start = int(col[0])
        diag.add(
            d,
            col,
            apply("unslice", v, axis=-1, start=start, stop=start + 1, step=1, size=n),
        )
    return True


def assemble_hessian(rolled):
    """The lower triangle of the Hessian of a :class:`~symdiff.sparse.reroll.
    RolledSum` w.r.t. its ``X``, assembled (see the module), or None where a block
    does not fit.

    Examples
    --------
    >>> from symdiff import symbols
    >>> from symdiff.sparse.reroll import rolled_sum, vector_for
    >>> xs = symbols(" ".join(f"x{i}" for i in range(20)))
    >>> f = sum((xs[i + 1] - xs[i]) ** 2 for i in range(19))
    >>> prep = vector_for(dict(zip(xs, range(20))))
    >>> H = assemble_hessian(rolled_sum(f, prep))
    >>> H.rows[:4].tolist(), H.cols[:4].tolist()
    ([0, 1, 1, 2], [0, 0, 1, 1])
    """
    X = rolled.X
    n = X.shape[0]
    diag = _Diagonals(n)
    templates = _Templates(rolled.signatures)
    for tid, rows in rolled.blocks:
        if not _place_block(diag, templates, tid, rows, X, n):
            return None
    budget = [MAX_LEFTOVER_ENTRIES]
    for c, term in rolled.rest:
        if not _place_leftover(diag, c, term, rolled.index, X, budget):
            return None
    if not diag.cols:  # linear: no nonzero
        empty = np.zeros(0, dtype=np.int64)
        return Assembled(empty, empty, (), empty)
    return diag.result()


def _place_run(out, templates, tid, run, r0, X):
    """Add one run's partial derivatives (``out``: rows, cols, compressed, flat
    positions); False where two slots could meet at one entry."""
    block = _Block([run])
    _, slots, consts = templates.expr(tid, block.fixed)
    g = templates.gradient(tid, block.fixed)
    # slots reading one progression are one column per row: their partials add up
    groups = {}
    for a, e in enumerate(g):
        if not _is_zero(e):
            key = (block.first[a], block.stride[a])
            groups[key] = e if key not in groups else apply("add", groups[key], e)
    keys = list(groups)
    for (f1, s1), (f2, s2) in itertools.combinations(keys, 2):
        if s1 != s2 and (f2 - f1) % (s1 - s2) == 0:
            k = (f2 - f1) // (s1 - s2)
            if 0 <= k < block.count:
                return False
    rows, cols, compressed, flat, size = out
    ks = np.arange(block.count)
    for first, stride in keys:
        rows.append(r0 + ks)
        cols.append(first + stride * ks)
        flat.append(size[0] + ks)
        compressed.append(block.write(groups[(first, stride)], X, slots, consts))
        size[0] += block.count
    return True


def assemble_jacobian(rolled):
    """The Jacobian of re-rolled outputs (:func:`~symdiff.sparse.reroll.
    rolled_outputs`) w.r.t. their ``X``, assembled (see the module), or None where a
    run does not fit.

    Examples
    --------
    >>> from symdiff import symbols
    >>> from symdiff.sparse.reroll import rolled_outputs, vector_for
    >>> xs = symbols(" ".join(f"x{i}" for i in range(20)))
    >>> outs = [xs[i + 1] - xs[i] ** 2 for i in range(19)]
    >>> prep = vector_for(dict(zip(xs, range(20))))
    >>> J = assemble_jacobian(rolled_outputs(outs, prep))
    >>> J.rows[:4].tolist(), J.cols[:4].tolist()
    ([0, 0, 1, 1], [0, 1, 1, 2])
    """
    X, index, signatures, parts = rolled
    templates = _Templates(signatures)
    out = ([], [], [], [], [0])
    rows, cols, compressed, flat, size = out
    r0 = 0
    for tid, part in parts:
        if tid is not None:
            if not _place_run(out, templates, tid, part, r0, X):
                return None
            r0 += len(part)
            continue
        # an output in no run: its own gradient (its symbols are all in wrt, or
        # re-rolling would have stopped)
        syms = [s for s in topo_order(part) if s.op == "symbol"]
        for s, e in zip(syms, grad(part, syms) if syms else (), strict=True):
            if _is_zero(e):
                continue
            rows.append(np.array([r0]))
            cols.append(np.array([index[s]]))
            flat.append(np.array([size[0]]))
            compressed.append(_to_x(e, index, X))
            size[0] += 1
        r0 += 1
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return Assembled(empty, empty, (), empty)
    rows, cols, flat = (np.concatenate(a).astype(np.int64) for a in (rows, cols, flat))
    order = np.lexsort((cols, rows))
    return Assembled(rows[order], cols[order], tuple(compressed), flat[order])
