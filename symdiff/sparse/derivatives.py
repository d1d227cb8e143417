"""Sparse Jacobians and Hessians as expressions, by compressed (coloured) forward mode.

The Jacobian ``J`` of outputs ``y`` (for a Hessian: of the gradient) is never formed.
Its pattern is coloured (:mod:`numeric.sparsity`, after Gebremedhin, Manne and Pothen
2005: a greedy distance-2 colouring for Jacobians, so no row sees a colour twice; a
greedy star colouring for Hessians, with each entry read from one of its two
symmetric positions); for each colour
``c`` one forward-mode sweep pushes the 0/1 seed ``s_c`` through ``y``, giving the
compressed column ``J s_c`` as expressions (a shaped Expr per shaped output, a scalar
Expr per scalar output), and each nonzero ``J[i, j]`` is the entry ``i`` of the column
of ``j``'s colour.  For a tridiagonal Hessian that is three sweeps, whatever ``n``:
with one vector Symbol the whole sparse Hessian is a handful of vector expressions.

A sweep visits only the nodes that depend on its seed, in the topological order of
the outputs computed once, and builds its nodes with ``apply`` (canonical, interned,
shared with the gradient), as CasADi's SX and ColPack-based AD tools do.

With ``n`` scalar Symbols a problem made of repeated terms is re-rolled first
(:mod:`symdiff.sparse.reroll`) and its derivative assembled from the term templates'
own derivatives (:mod:`symdiff.sparse.assemble`), with no colouring; blocks that do
not fit are swept as above, over the re-rolled expression.
"""

from __future__ import annotations

import math

import numpy as np

from numeric.sparsity import colour_columns, colour_hessian, recovery_indices
from symdiff.core.expr import Expr, apply, as_expr, const, subs
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order, without_gc
from symdiff.diff import ExprTuple, grad, hvp
from symdiff.ops.util import zeros
from symdiff.sparse.assemble import assemble_hessian, assemble_jacobian
from symdiff.sparse.fold import fold_constants
from symdiff.sparse.pattern import (
    VariableSpace,
    hessian_sparsity,
    jacobian_sparsity,
    output_blocks,
    rerolled,
)
from symdiff.sparse.reroll import (
    pack_vector,
    rolled_outputs,
    rolled_sum,
    write_outputs,
)

__all__ = [
    "SparseDerivative",
    "hessian_vector_product",
    "sparse_hessian",
    "sparse_jacobian",
]


class SparseDerivative:
    """A sparse Jacobian or Hessian: its pattern and one expression per nonzero.

    Attributes
    ----------
    rows, cols : numpy.ndarray of int
        The nonzeros, in CSR order (for a Hessian, the lower triangle ``rows >=
        cols`` only: ``symmetric`` is True).
    shape : tuple of int
        ``(m, N)``, or ``(N, N)`` for a Hessian.
    symmetric : bool
    wrt : tuple of Symbol
        The variables, whose flat entries number the columns.
    colours : numpy.ndarray of int or None
        The column colouring the values were compressed with; None for a derivative
        assembled from re-rolled term templates (:mod:`symdiff.sparse.assemble`:
        no colouring, one vector per Hessian diagonal or per run and slot).
    compressed : tuple of Expr
        The compressed columns (one Expr per colour and output block), or the
        assembled vectors.
    gather : numpy.ndarray of int
        Nonzero ``k`` is entry ``gather[k]`` of the flat concatenation of the
        ``compressed`` values (what generated code reads).
    packed : Symbol or None
        For a re-rolled scalar-symbol problem (:mod:`symdiff.sparse.reroll`): the
        vector Symbol whose entry ``i`` is ``wrt[i]``, in which ``compressed`` is
        written; None otherwise.  ``values`` are in the ``wrt`` either way.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, evaluate
    >>> x = Symbol("x", shape=(3,))
    >>> H = sparse_hessian((x[1:] * x[:-1] ** 2).sum(), x)
    >>> H.rows.tolist(), H.cols.tolist()
    ([0, 1, 1, 2], [0, 0, 1, 1])
    >>> [float(evaluate(v, {x: np.array([1.0, 2.0, 3.0])})) for v in H.values]
    [4.0, 2.0, 6.0, 4.0]
    """

    def __init__(
        self,
        rows,
        cols,
        shape,
        symmetric,
        wrt,
        colours,
        compressed,
        gather,
        packed=None,
    ):
        self.rows, self.cols = rows, cols
        self.packed = packed
        self.shape = shape
        self.symmetric = symmetric
        self.wrt = wrt
        self.colours = colours
        self.compressed = compressed
        self.gather = gather
        self._values = None
        # (row of J S, colour, output blocks) of each nonzero, where known: what
        # symdiff.sparse.batched evaluates all colours at once from
        self.reads = None
        self._unpacked = None

    @property
    def nnz(self):
        """The number of stored nonzeros."""
        return int(self.rows.size)

    @property
    def values(self):
        """One scalar Expr per nonzero (built on first use; entries of shaped
        compressed columns are taken out with ``reshape`` and ``take``)."""
        if self._values is None:
            self._values = ExprTuple(_entries(self.unpacked(), self.gather))
        return self._values

    def unpacked(self):
        """``compressed`` written in the symbols of ``wrt`` (for a re-rolled
        derivative the vector Symbol ``packed`` is replaced by the vector of
        ``wrt``; otherwise ``compressed`` itself)."""
        if self.packed is None:
            return self.compressed
        if self._unpacked is None:
            vec = pack_vector(self.wrt)
            self._unpacked = tuple(subs(e, {self.packed: vec}) for e in self.compressed)
        return self._unpacked

    def __repr__(self):
        kind = "Hessian (lower triangle)" if self.symmetric else "Jacobian"
        return f"<SparseDerivative {kind} {self.shape}, {self.nnz} nonzeros>"


def _entries(compressed, gather):
    starts = np.cumsum([0] + [math.prod(e.shape) for e in compressed])
    which = np.searchsorted(starts, gather, side="right") - 1
    flat = {}
    out = []
    for k, b in zip(gather.tolist(), which.tolist(), strict=True):
        e = compressed[b]
        if not e.shape:
            out.append(e)
            continue
        if b not in flat:
            flat[b] = apply("reshape", e, shape=(math.prod(e.shape),))
        out.append(apply("take", flat[b], index=k - int(starts[b]), axis=-1))
    return out


def _times(t, p):
    if type(p) is int:
        if p == 1:
            return t
        if p == -1:
            return apply("neg", t)
    return apply("mul", t, p)


def _node_tangent(node, tan):
    """The tangent of ``node`` from its operands' tangents (None: not dependent)."""
    spec = OPS[node.op]
    ts = [tan.get(a) for a in node.args]
    if spec.partials is not None:
        out = None
        for p, t in zip(spec.partials(node), ts, strict=True):
            if p is not None and t is not None:
                term = _times(t, p)
                out = term if out is None else apply("add", out, term)
        if out is None:
            out = zeros(node.shape)
    elif spec.jvp is not None:
        ts = [
            t if t is not None else zeros(a.shape)
            for t, a in zip(ts, node.args, strict=True)
        ]
        out = spec.jvp(node, ts)
    else:
        raise NotImplementedError(
            f"the derivative of {node.op!r} is not implemented (in {str(node)[:80]})"
        )
    if out.shape != node.shape:
        out = apply("broadcast_to", out, shape=node.shape)
    return out


def _sweep(order, seeds):
    """Forward mode over ``order`` from ``seeds`` ({symbol: tangent}), dependents."""
    tan = dict(seeds)
    for node in order:
        args = node.args
        if not args or node in tan:
            continue
        for a in args:
            if a in tan:
                break
        else:
            continue
        tan[node] = _node_tangent(node, tan)
    return tan


def _seeds(space, colours, c):
    """The 0/1 seed of colour ``c``, one tangent per symbol that has entries in it."""
    seeds = {}
    for w, off in space.offsets.items():
        size = math.prod(w.shape)
        mask = colours[off : off + size] == c
        if not mask.any():
            continue
        seeds[w] = (
            const(1) if not w.shape else const(mask.astype(float).reshape(w.shape))
        )
    return seeds


@without_gc
def _compress(blocks, space, pattern, colours, rows_cols_b):
    """The compressed columns the nonzeros need, and where each nonzero is in them."""
    rows, cols, brow, bcol = rows_cols_b
    sizes = [math.prod(b.shape) for b in blocks]
    starts = np.cumsum([0] + sizes)
    block_of = np.searchsorted(starts, brow, side="right") - 1
    # the (colour, block) pairs some nonzero reads, numbered in first-use order
    pair = bcol * len(blocks) + block_of
    uniq, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    by_colour = {}
    for p in uniq.tolist():
        by_colour.setdefault(p // len(blocks), []).append(p % len(blocks))
    order = topo_order(*blocks)
    exprs = {}
    for c, needed in by_colour.items():
        tan = _sweep(order, _seeds(space, colours, c))
        for b in needed:
            exprs[c * len(blocks) + b] = tan.get(blocks[b]) or zeros(blocks[b].shape)
    compressed = fold_constants([exprs[p] for p in uniq.tolist()])
    csizes = np.array([sizes[p % len(blocks)] for p in uniq.tolist()], dtype=np.int64)
    cstarts = np.concatenate([[0], np.cumsum(csizes)])
    gather = cstarts[inverse] + (brow - starts[block_of])
    return compressed, gather.astype(np.int64)


# The re-rolled paths run with the cyclic collector paused, and free the re-rolled
# terms (a few objects per term) before it resumes: otherwise its first collection
# after the pause walks all of them, about a sixth of the build at n = 10**5.


@without_gc
def _rolled_hessian(f, space):
    """The re-rolled problem's sparse Hessian, assembled or else coloured (None:
    not re-rolled)."""
    rolled = rerolled(rolled_sum, f, space)
    if rolled is None:
        return None
    X, n = rolled.X, space.size
    asm = assemble_hessian(rolled)
    if asm is not None:
        return _from_assembled(asm, space, X, (n, n), True)
    g = rolled.instantiate()
    del rolled
    return _as_packed(sparse_hessian(g, X), space, X)


@without_gc
def _rolled_jacobian(blocks, space):
    """The re-rolled outputs' sparse Jacobian, assembled or else coloured (None:
    not re-rolled)."""
    rolled = rerolled(rolled_outputs, blocks, space)
    if rolled is None:
        return None
    X = rolled[0]
    asm = assemble_jacobian(rolled)
    if asm is not None:
        return _from_assembled(asm, space, X, (len(blocks), space.size), False)
    written = write_outputs(rolled)
    del rolled
    if written is None:
        return None
    return _as_packed(sparse_jacobian(written[1], X), space, X)


def _from_assembled(asm, space, X, shape, symmetric):
    """The :class:`SparseDerivative` of an assembled one (no colouring: ``colours``
    is None, and each nonzero is read where its template put it)."""
    return SparseDerivative(
        asm.rows,
        asm.cols,
        shape,
        symmetric,
        space.symbols,
        None,
        asm.compressed,
        asm.gather,
        packed=X,
    )


def _as_packed(deriv, space, X):
    """The derivative ``deriv`` w.r.t. ``X`` as one w.r.t. the scalars ``X`` packs."""
    return SparseDerivative(
        deriv.rows,
        deriv.cols,
        deriv.shape,
        deriv.symmetric,
        space.symbols,
        deriv.colours,
        deriv.compressed,
        deriv.gather,
        packed=X,
    )


def sparse_jacobian(outputs, wrt, *, reroll=True):
    """The sparse Jacobian of ``outputs`` with respect to ``wrt``.

    Parameters
    ----------
    outputs : Expr or sequence of Expr
        One (shaped) expression, flattened in C order, or a sequence of expressions.
    wrt : Symbol or sequence of Symbol
        Shaped symbols are flattened (C order) and concatenated.
    reroll : bool, optional
        With scalar symbols, rewrite outputs that repeat one template at index
        progressions over one vector Symbol first (:mod:`symdiff.sparse.reroll`;
        the result's ``packed`` is then that Symbol) and assemble the Jacobian from
        the templates (:mod:`symdiff.sparse.assemble`).  False: never.

    Returns
    -------
    SparseDerivative
        Shape ``(m, N)``; entry ``[i, j]`` is ``d outputs[i] / d wrt[j]``.

    Examples
    --------
    >>> from symdiff import Symbol, symbols
    >>> x = Symbol("x", shape=(3,))
    >>> J = sparse_jacobian(x[1:] - x[:-1] ** 2, x)
    >>> J.rows.tolist(), J.cols.tolist()
    ([0, 0, 1, 1], [0, 1, 1, 2])
    >>> a, b, c = symbols("a b c")
    >>> J = sparse_jacobian([b - a**2, c - b**2], [a, b, c])
    >>> [str(v) for v in J.values]
    ['-2*a', '1', '-2*b', '1']
    """
    blocks = output_blocks(outputs, "sparse_jacobian")
    space = VariableSpace(wrt, "sparse_jacobian")
    done = _rolled_jacobian(blocks, space) if reroll else None
    if done is not None:
        return done
    pattern = jacobian_sparsity(blocks, space.symbols)
    colours = colour_columns(pattern)
    rec = recovery_indices(pattern, colours)
    compressed, gather = _compress(blocks, space, pattern, colours, rec)
    out = SparseDerivative(
        rec[0], rec[1], pattern.shape, False, space.symbols, colours, compressed, gather
    )
    out.reads = (rec[2], rec[3], tuple(blocks))  # for symdiff.sparse.batched
    return out


def sparse_hessian(f, wrt, *, reroll=True):
    """The sparse Hessian of the scalar ``f``: its lower triangle, once.

    Parameters
    ----------
    f : Expr
        A scalar expression.
    wrt : Symbol or sequence of Symbol
        Shaped symbols are flattened (C order) and concatenated.
    reroll : bool, optional
        With scalar symbols, rewrite a sum of terms that repeat one template at index
        progressions over one vector Symbol first (:mod:`symdiff.sparse.reroll`;
        the result's ``packed`` is then that Symbol) and assemble the Hessian from
        the templates (:mod:`symdiff.sparse.assemble`).  False: never.

    Returns
    -------
    SparseDerivative
        Shape ``(N, N)``, ``symmetric=True``: the entries with ``rows >= cols``.

    Examples
    --------
    >>> from symdiff import symbols
    >>> x, y = symbols("x y")
    >>> H = sparse_hessian(x**3 + x * y, [x, y])
    >>> list(zip(H.rows.tolist(), H.cols.tolist(), map(str, H.values)))
    [(0, 0, '6*x'), (1, 0, '1')]
    """
    f = as_expr(f)
    if f.shape:
        raise ValueError(
            f"sparse_hessian: f must be a scalar expression, got shape {f.shape}"
        )
    space = VariableSpace(wrt, "sparse_hessian")
    done = _rolled_hessian(f, space) if reroll else None
    if done is not None:
        return done
    pattern = hessian_sparsity(f, space.symbols)
    blocks = list(grad(f, list(space.symbols)))
    colours = colour_hessian(pattern)
    rows, cols, brow, bcol = recovery_indices(pattern, colours, symmetric=True)
    low = rows >= cols
    rec = (rows[low], cols[low], brow[low], bcol[low])
    compressed, gather = _compress(blocks, space, pattern, colours, rec)
    out = SparseDerivative(
        rec[0], rec[1], pattern.shape, True, space.symbols, colours, compressed, gather
    )
    out.reads = (rec[2], rec[3], tuple(blocks))  # for symdiff.sparse.batched
    return out


def hessian_vector_product(f, wrt, v):
    """The exact Hessian-vector product ``H v`` of the scalar ``f``.

    Parameters
    ----------
    f : Expr
        A scalar expression.
    wrt : Symbol or sequence of Symbol
    v : Expr, or sequence of Expr
        One vector of shape ``(N,)`` (the flat variables, C order), or one direction
        per symbol of ``wrt`` with that symbol's shape.

    Returns
    -------
    Expr or ExprTuple
        For a flat ``v``: an Expr of shape ``(N,)``; otherwise one Expr per symbol.

    Examples
    --------
    >>> from symdiff import Symbol, symbols
    >>> x, y = symbols("x y")
    >>> v = Symbol("v", shape=(2,))
    >>> print(hessian_vector_product(x**2 * y, [x, y], v).shape)
    (2,)
    """
    space = VariableSpace(wrt, "hessian_vector_product")
    flat = isinstance(v, Expr) and v.shape == (space.size,)
    if not flat:
        return hvp(f, wrt, v)
    pieces = []
    for w, off in space.offsets.items():
        size = math.prod(w.shape)
        part = apply("slice", v, axis=-1, start=off, stop=off + size, step=1)
        pieces.append(
            apply("reshape", part, shape=w.shape) if w.shape != (size,) else part
        )
    out = hvp(f, list(space.symbols), pieces)
    flat_out = [apply("reshape", o, shape=(math.prod(o.shape),)) for o in out]
    acc = flat_out[0]
    for piece in flat_out[1:]:
        acc = apply("concatenate", acc, piece)
    return acc
