"""Structural sparsity patterns of Jacobians and Hessians, read off the DAG.

One forward pass in topological order gives every node, for each of its flat (C-order)
entries, the set of flat variable indices it depends on: a ``frozenset`` for a scalar
node, a boolean ``scipy.sparse`` CSR matrix ``(node.size, N)`` for a tensor node, and
``None`` for a node that depends on no variable.  The cost is the sum over nodes of
their patterns' sizes, never ``N**2`` for sparse problems.

How each op maps its operands' patterns (the sparsity rules, kept here apart from the
op table the way the rewrite rules are):

* elementwise ops (every row with ``elementwise=True``): entry ``e`` depends on the
  broadcast entries ``e`` of the operands -- diagonal for free;
* selection ops (reshape, broadcast_to, transpose, slice, take, unslice, diag,
  diagonal, concatenate): each output entry is a copy of at most one operand entry,
  found by running the op's own numpy implementation on arrays of entry numbers;
* reductions (sum, prod, max, min, norm) over their axes; ``matmul`` of vectors and
  matrices through the nonzeros of a constant factor (Kronecker products);
* anything else: every output entry depends on everything its operands depend on (a
  correct superset).

Hessian patterns add the *nonlinear interactions* of each node, the pairs of
variables its second derivative can couple: ``I(u) x I(u)`` below a nonlinear
elementwise node of ``u``, ``I(u) x I(w)`` (both ways) below ``u * w`` and none below a
linear op.  This is the index-domain propagation of A. Walther, "Computing sparse
Hessians with automatic differentiation", ACM TOMS 34 (2008), which CasADi's
``jacobian_sparsity``/``hessian`` sparsity detection follows too; it is conservative
(never misses an entry) and exact on the problems of the benchmarks.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import sparse

from symdiff.core.expr import Expr, Symbol, as_expr
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order, without_gc
from symdiff.ops.util import reduced_axes
from symdiff.sparse.assemble import assemble_hessian, assemble_jacobian
from symdiff.sparse.reroll import rolled_outputs, rolled_sum, vector_for, write_outputs

__all__ = ["VariableSpace", "hessian_sparsity", "jacobian_sparsity"]

SELECTION_OPS = frozenset(
    {
        "reshape",
        "broadcast_to",
        "transpose",
        "slice",
        "take",
        "unslice",
        "diag",
        "diagonal",
        "concatenate",
    }
)
REDUCTION_OPS = frozenset({"sum", "prod", "max", "min", "norm"})
# ops linear in all their operands: they add no second-order interaction
LINEAR_OPS = SELECTION_OPS | {"add", "sub", "neg", "sum", "trace", "cumsum"}


class VariableSpace:
    """The flat vector of the variables ``wrt``: each Symbol's entries (C order).

    Attributes
    ----------
    symbols : tuple of Symbol
    offsets : dict
        Symbol -> the flat index of its first entry.
    size : int
        ``N``, the total number of scalar variables.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> x, y = Symbol("x", shape=(2, 2)), Symbol("y")
    >>> space = VariableSpace([x, y], "example")
    >>> space.size, space.offsets[y]
    (5, 4)
    """

    def __init__(self, wrt, owner):
        wrt_list = [wrt] if isinstance(wrt, Expr) else list(wrt)
        if not wrt_list:
            raise ValueError(f"{owner}: wrt is empty; give at least one Symbol")
        self.symbols = tuple(wrt_list)
        # n distinct scalar Symbols (a scalar formulation): offsets 0 .. n-1, at once
        scalars = [w for w in wrt_list if type(w) is Symbol and not w.shape]
        if len(scalars) == len(wrt_list):
            self.offsets = dict(zip(wrt_list, range(len(wrt_list)), strict=True))
            self.size = len(wrt_list)
            if len(self.offsets) == self.size:
                self.scalar_index = self.offsets
                return
        self.scalar_index = None
        self.offsets = {}
        size = 0
        for w in wrt_list:
            if not isinstance(w, Symbol):
                raise TypeError(
                    f"{owner}: can only differentiate with respect to Symbols, "
                    f"got {w!r}"
                )
            if w in self.offsets:
                raise ValueError(f"{owner}: the symbol {w.name!r} appears twice in wrt")
            self.offsets[w] = size
            size += math.prod(w.shape)
        self.size = size


def _empty(rows, n):
    return sparse.csr_array((rows, n), dtype=bool)


def _set_row(s, n):
    idx = np.fromiter(sorted(s), dtype=np.int32, count=len(s))
    return sparse.csr_array(
        (np.ones(len(idx), dtype=bool), idx, np.array([0, len(idx)])), shape=(1, n)
    )


class _Union:
    """The pattern of a scalar node, kept as the union of its operands' patterns.

    A long sum ``t1 + t2 + ... + tn`` has partial sums depending on ``1, 2, ..., n``
    variables: computing every one would cost ``n**2``.  Nothing reads them (a sum is
    linear: the Hessian pass needs only the patterns below nonlinear nodes), so they
    stay lazy, and :func:`materialize` forms a union only when it is asked for.
    """

    __slots__ = ("parts", "value")

    def __init__(self, parts):
        self.parts = parts
        self.value = None


# scalar unions up to this size are formed at once (cheaper than a lazy node)
_EAGER_UNION = 32


def materialize(pat):
    """The frozenset of a scalar pattern (a lazy union is formed here, iteratively)."""
    if not isinstance(pat, _Union):
        return pat
    if pat.value is None:
        acc, stack, seen = set(), [pat], set()
        while stack:
            q = stack.pop()
            if id(q) in seen:
                continue
            seen.add(id(q))
            for r in q.parts:
                if not isinstance(r, _Union):
                    acc.update(r)
                elif r.value is not None:
                    acc.update(r.value)
                else:
                    stack.append(r)
        pat.value = frozenset(acc)
    return pat.value


def as_rows(pat, size, n):
    """A node's pattern as a boolean CSR matrix ``(size, n)`` (``None``: empty)."""
    if pat is None:
        return _empty(size, n)
    if isinstance(pat, (frozenset, _Union)):
        return _set_row(materialize(pat), n)
    return pat


def _from_rows(mat, shape):
    """Scalar nodes keep their pattern as a frozenset (the hot path of scalar DAGs)."""
    if shape:
        return mat
    return frozenset(mat.indices.tolist())


def _broadcast(mat, shape, out_shape):
    if shape == out_shape:
        return mat
    src = np.broadcast_to(np.arange(math.prod(shape)).reshape(shape), out_shape)
    return mat[src.ravel()]


def _select(mat, src):
    """Rows ``src`` of ``mat`` (``-1``: an empty row), gathered from its index arrays
    (no selection matrix, no product)."""
    indptr = mat.indptr
    valid = src >= 0
    at = np.where(valid, src, 0)
    lengths = np.where(valid, indptr[at + 1] - indptr[at], 0)
    out_ptr = np.zeros(src.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=out_ptr[1:])
    total = int(out_ptr[-1])
    # entry k of output row r is entry indptr[src[r]] + (k - out_ptr[r]) of mat
    shift = np.repeat(indptr[at] - out_ptr[:-1], lengths)
    indices = mat.indices[np.arange(total) + shift]
    return sparse.csr_array(
        (np.ones(total, dtype=bool), indices, out_ptr), shape=(src.size, mat.shape[1])
    )


def _selection(node, pats, n):
    ids, mats, offset = [], [], 0
    for a, p in zip(node.args, pats, strict=True):
        size = math.prod(a.shape)
        ids.append(np.arange(offset + 1, offset + size + 1).reshape(a.shape))
        mats.append(as_rows(p, size, n))
        offset += size
    src = np.asarray(OPS[node.op].impl(node, *ids)).astype(np.int64).ravel() - 1
    stacked = mats[0] if len(mats) == 1 else sparse.vstack(mats, format="csr")
    return _select(stacked, src)


def _reduction(node, pats, n):
    (a,) = node.args
    axes = [a.ndim + ax for ax in reduced_axes(node, a.ndim)]
    keep = [i for i in range(a.ndim) if i not in axes]
    ids = np.arange(math.prod(a.shape)).reshape(a.shape).transpose(keep + axes)
    k = math.prod(a.shape[i] for i in axes)
    out = math.prod(node.shape)
    sel = sparse.csr_array(
        (np.ones(out * k, dtype=bool), ids.ravel(), np.arange(0, out * k + 1, k)),
        shape=(out, ids.size),
    )
    return sel @ as_rows(pats[0], ids.size, n)


def _mask(a):
    """Where the matrix operand ``a`` may be nonzero (a constant: its nonzeros)."""
    if a.op == "const":
        value = np.asarray(a.params["value"])
        return np.broadcast_to(value, a.shape) != 0
    return np.ones(a.shape, dtype=bool)


def matmul_parts(node, pats, n):
    """The patterns of ``A @ B``'s entries through ``A`` and through ``B`` (or None)."""
    a, b = node.args
    ma = _mask(a).reshape(1, -1) if a.ndim == 1 else _mask(a)
    mb = _mask(b).reshape(-1, 1) if b.ndim == 1 else _mask(b)
    rows, inner, cols = ma.shape[0], ma.shape[1], mb.shape[1]
    part_a = part_b = None
    if pats[0] is not None:
        sel = sparse.kron(sparse.eye(rows, dtype=bool), sparse.csr_array(mb.T))
        part_a = sparse.csr_array(sel, dtype=bool) @ as_rows(pats[0], rows * inner, n)
    if pats[1] is not None:
        sel = sparse.kron(sparse.csr_array(ma), sparse.eye(cols, dtype=bool))
        part_b = sparse.csr_array(sel, dtype=bool) @ as_rows(pats[1], inner * cols, n)
    return part_a, part_b


def _dense(node, pats, n):
    """Fallback: every entry depends on everything the operands depend on."""
    union = np.zeros(n, dtype=bool)
    for a, p in zip(node.args, pats, strict=True):
        if p is not None:
            union[as_rows(p, math.prod(a.shape), n).indices] = True
    idx = np.flatnonzero(union)
    size = math.prod(node.shape)
    return sparse.csr_array(
        (
            np.ones(idx.size * size, dtype=bool),
            np.tile(idx, size),
            np.arange(size + 1) * idx.size,
        ),
        shape=(size, n),
    )


def _elementwise(node, pats, n):
    if not node.shape:  # all operands scalar: set union, the hot path
        parts = [p for p in pats if p is not None]
        if len(parts) == 1:
            return parts[0]
        if all(type(p) is frozenset for p in parts):
            if sum(map(len, parts)) <= _EAGER_UNION:
                return frozenset().union(*parts)
        return _Union(parts)
    acc = None
    for a, p in zip(node.args, pats, strict=True):
        if p is None:
            continue
        m = _broadcast(as_rows(p, math.prod(a.shape), n), a.shape, node.shape)
        acc = m if acc is None else acc + m
    return acc


def node_pattern(node, pats, n):
    """The pattern of ``node`` from its operands' patterns ``pats`` (not all None)."""
    op = node.op
    if OPS[op].elementwise:
        return _elementwise(node, pats, n)
    if op in SELECTION_OPS:
        mat = _selection(node, pats, n)
    elif op in REDUCTION_OPS:
        mat = _reduction(node, pats, n)
    elif op == "matmul" and node.args[0].ndim <= 2 and node.args[1].ndim <= 2:
        part_a, part_b = matmul_parts(node, pats, n)
        mat = (
            part_a if part_b is None else part_b if part_a is None else part_a + part_b
        )
    else:
        mat = _dense(node, pats, n)
    return _from_rows(sparse.csr_array(mat, dtype=bool), node.shape)


def propagate(roots, space, visit=None):
    """Patterns of every node of ``roots``' DAG that depends on ``space``'s symbols.

    ``visit(node, pats, pattern)``, if given, is called for each dependent non-leaf
    node (the Hessian pass collects its interactions there).
    """
    n = space.size
    pats = {}
    for w, off in space.offsets.items():
        size = math.prod(w.shape)
        if w.shape:
            pats[w] = sparse.csr_array(
                (
                    np.ones(size, dtype=bool),
                    np.arange(off, off + size),
                    np.arange(size + 1),
                ),
                shape=(size, n),
            )
        else:
            pats[w] = frozenset((off,))
    get = pats.get
    for node in topo_order(*roots):
        args = node.args
        if not args or node in pats:
            continue
        ps = [get(a) for a in args]
        if all(p is None for p in ps):
            continue
        pat = node_pattern(node, ps, n)
        pats[node] = pat
        if visit is not None:
            visit(node, ps, pat)
    return pats


def _set_rows(sets, n):
    """CSR rows from a list of frozensets (the fast path of scalar outputs)."""
    lengths = np.fromiter((len(t) for t in sets), dtype=np.int64, count=len(sets))
    ptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    idx = np.fromiter(
        itertools.chain.from_iterable(sets), dtype=np.int64, count=ptr[-1]
    )
    mat = sparse.csr_array(
        (np.ones(idx.size, dtype=bool), idx, ptr), shape=(len(sets), n)
    )
    mat.sort_indices()
    return mat


def stack_rows(blocks, n):
    """One CSR matrix from ``(pattern, size)`` pairs: sets, CSR blocks or None."""
    if all(not isinstance(p, sparse.sparray) for p, _ in blocks):
        if all(size == 1 for _, size in blocks):
            return _set_rows([materialize(p) or frozenset() for p, _ in blocks], n)
    mats = [as_rows(p, size, n) for p, size in blocks]
    if not mats:
        return _empty(0, n)
    return sparse.csr_array(sparse.vstack(mats, format="csr"), dtype=bool)


def _boolean(rows, cols, shape):
    """The boolean CSR pattern with entries at ``(rows, cols)`` (repeats: once)."""
    mat = sparse.csr_array(
        (np.ones(len(rows), dtype=bool), (rows, cols)), shape=shape, dtype=bool
    )
    mat.sum_duplicates()
    mat.sort_indices()
    return mat


def rerolled(roll, target, space):
    """``roll`` (:func:`~symdiff.sparse.reroll.rolled_sum` or
    :func:`~symdiff.sparse.reroll.rolled_outputs`) of ``target`` over the vector of
    ``space``'s symbols, or None where they are not n >= 2 scalar Symbols, an output
    is shaped, or re-rolling does not pay."""
    if space.scalar_index is None or space.size < 2:
        return None
    if not isinstance(target, Expr):
        target = list(target)
        if any(b.shape for b in target):
            return None
    return roll(target, vector_for(space.scalar_index))


# (the collector paused, and the re-rolled terms freed before it resumes, as in
# symdiff.sparse.derivatives)


@without_gc
def _rolled_jacobian_pattern(blocks, space):
    """The pattern of re-rolled outputs: the one their templates place, or else the
    re-rolled expression's (None: not re-rolled)."""
    rolled = rerolled(rolled_outputs, blocks, space)
    if rolled is None:
        return None
    asm = assemble_jacobian(rolled)
    if asm is not None:
        return _boolean(asm.rows, asm.cols, (len(blocks), space.size))
    written = write_outputs(rolled)
    del rolled
    return None if written is None else jacobian_sparsity(written[1], written[0])


@without_gc
def _rolled_hessian_pattern(f, space):
    """The pattern of a re-rolled sum: the one its templates place (both
    triangles), or else the re-rolled expression's (None: not re-rolled)."""
    rolled = rerolled(rolled_sum, f, space)
    if rolled is None:
        return None
    asm = assemble_hessian(rolled)
    if asm is None:
        g, X = rolled.instantiate(), rolled.X
        del rolled
        return hessian_sparsity(g, X)
    n = space.size
    rows = np.concatenate([asm.rows, asm.cols])
    cols = np.concatenate([asm.cols, asm.rows])
    return _boolean(rows, cols, (n, n))


def output_blocks(outputs, owner):
    """``outputs`` as a list of Exprs: one shaped Expr, or a sequence of Exprs."""
    if isinstance(outputs, Expr):
        return [outputs]
    if isinstance(outputs, (str, bytes)) or not hasattr(outputs, "__iter__"):
        raise TypeError(
            f"{owner}: outputs must be an Expr or a sequence of Exprs, got "
            f"{type(outputs).__name__}"
        )
    return [o if isinstance(o, Expr) else as_expr(o) for o in outputs]


def jacobian_sparsity(outputs, wrt):
    """The structural sparsity pattern of the Jacobian of ``outputs`` w.r.t. ``wrt``.

    Parameters
    ----------
    outputs : Expr or sequence of Expr
        One (shaped) expression, flattened in C order, or a sequence of expressions,
        each flattened and stacked.
    wrt : Symbol or sequence of Symbol
        The variables; shaped symbols are flattened (C order) and concatenated.

    Returns
    -------
    scipy.sparse.csr_array of bool, shape (m, N)
        True where an entry may be nonzero; never False where it is not.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> x = Symbol("x", shape=(4,))
    >>> jacobian_sparsity(x[1:] - x[:-1] ** 2, x).toarray().astype(int)
    array([[1, 1, 0, 0],
           [0, 1, 1, 0],
           [0, 0, 1, 1]])
    """
    blocks = output_blocks(outputs, "jacobian_sparsity")
    space = VariableSpace(wrt, "jacobian_sparsity")
    found = _rolled_jacobian_pattern(blocks, space)
    if found is not None:  # n scalar symbols re-rolled
        return found
    pats = propagate(blocks, space)
    return stack_rows([(pats.get(b), math.prod(b.shape)) for b in blocks], space.size)


class _Interactions:
    """The nonlinear interactions of a Hessian pass (Walther 2008), as row lists.

    ``I x I`` terms are rows ``I`` of a matrix ``Q`` (giving ``Q^T Q``); ``I x J``
    terms are rows of two matrices ``L`` and ``R`` (giving ``L^T R + R^T L``).
    Scalar nodes add frozensets, tensor nodes CSR blocks; all are multiplied out once
    at the end, in scipy.
    """

    def __init__(self, n):
        self.n = n
        self.square, self.left, self.right = [], [], []

    def rows(self, node, k, ps):
        a = node.args[k]
        p = ps[k]
        if not node.shape:
            return p
        return _broadcast(as_rows(p, math.prod(a.shape), self.n), a.shape, node.shape)

    def visit(self, node, ps, pat):
        op = node.op
        if op in LINEAR_OPS:
            return
        size = math.prod(node.shape)
        if op == "mul" or (
            op == "matmul" and node.args[0].ndim <= 2 >= node.args[1].ndim
        ):
            if ps[0] is None or ps[1] is None:
                return  # a constant factor: linear
            if op == "mul":
                left, right = self.rows(node, 0, ps), self.rows(node, 1, ps)
            else:
                left, right = matmul_parts(node, ps, self.n)
            self.left.append((left, size))
            self.right.append((right, size))
        elif op == "div":
            if ps[1] is None:
                return  # a constant denominator: linear
            den = self.rows(node, 1, ps)
            self.square.append((den, size))
            if ps[0] is not None:
                self.left.append((self.rows(node, 0, ps), size))
                self.right.append((den, size))
        else:
            self.square.append((pat, size))

    def matrix(self):
        n = self.n
        out = _empty(n, n)
        if self.square:
            q = stack_rows(self.square, n).astype(np.int8)
            out = out + (q.T @ q != 0)
        if self.left:
            left = stack_rows(self.left, n).astype(np.int8)
            right = stack_rows(self.right, n).astype(np.int8)
            cross = sparse.csr_array(left.T @ right != 0)
            out = out + cross + cross.T
        out = sparse.csr_array(out, dtype=bool)
        out.sort_indices()
        return out


def hessian_sparsity(f, wrt):
    """The structural sparsity pattern of the Hessian of the scalar ``f``.

    Parameters
    ----------
    f : Expr
        A scalar expression.
    wrt : Symbol or sequence of Symbol
        The variables; shaped symbols are flattened (C order) and concatenated.

    Returns
    -------
    scipy.sparse.csr_array of bool, shape (N, N)
        Symmetric; True where an entry may be nonzero, never False where it is not.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> x = Symbol("x", shape=(4,))
    >>> f = ((x[1:] - x[:-1] ** 2) ** 2).sum()
    >>> hessian_sparsity(f, x).toarray().astype(int)
    array([[1, 1, 0, 0],
           [1, 1, 1, 0],
           [0, 1, 1, 1],
           [0, 0, 1, 1]])
    """
    f = as_expr(f)
    if f.shape:
        raise ValueError(
            f"hessian_sparsity: f must be a scalar expression, got shape {f.shape}"
        )
    space = VariableSpace(wrt, "hessian_sparsity")
    found = _rolled_hessian_pattern(f, space)
    if found is not None:  # n scalar symbols re-rolled
        return found
    inter = _Interactions(space.size)
    propagate([f], space, inter.visit)
    return inter.matrix()
