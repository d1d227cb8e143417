"""All colours' compressed columns in one evaluation, for small shaped problems.

:func:`~symdiff.sparse.sparse_hessian` writes one forward sweep per colour, each with
its 0/1 seed folded in as a constant: the generated code repeats the tangent's few
dozen numpy calls once per colour.  At ``n = 10**3`` those calls cost more in
numpy's per-call overhead than in arithmetic, so here the sweep is written once,
along a *direction symbol* per variable (``jvp(block, wrt, directions)``), and
evaluated with the stacked seeds as a batch of directions: shape ``(C, *w.shape)``,
``C`` the number of colours.  Every numpy call then works on ``C`` rows at once.
For large ``n`` the per-colour form wins (its seeds fold away whole terms, and the
arithmetic, not the overhead, is the cost): :func:`use_batched` chooses.
"""

from __future__ import annotations

import math

import numpy as np

from symdiff.codegen.lambdify import lambdify
from symdiff.codegen.writer import code_names
from symdiff.core.expr import Symbol
from symdiff.core.traverse import topo_order
from symdiff.diff import jvp
from symdiff.sparse.fold import fold_constants

__all__ = ["BatchedColumns", "batchable", "batched_columns", "use_batched"]

# Only below this many compressed entries (colours x variables), where numpy's
# per-call overhead outweighs the arithmetic (Broyden, 5 colours: 0.65x the time at
# n = 10**3, 0.74x at 4 * 10**3, 1.2x at 10**4; benchmarks/sparse_derivatives.py)
BATCHED_MAX = 20_000
# ... and only when the batched code has at most this share of the per-colour
# code's operations: the per-colour seeds fold away whole terms (Bratu's quadratic
# part becomes one constant per colour, so batching it would be 4x slower)
BATCHED_SHARE = 0.5
# ... and with at least this many colours (with fewer, the per-colour code is seldom
# twice the batched one, and trying costs a sweep)
BATCHED_MIN_COLOURS = 4


def batchable(derivative):
    """Whether :func:`batched_columns` applies: a derivative from
    :func:`~symdiff.sparse.sparse_hessian` or :func:`~symdiff.sparse.sparse_jacobian`
    with shaped variables and shaped output blocks."""
    reads = getattr(derivative, "reads", None)
    if reads is None or not derivative.wrt:
        return False
    return all(w.shape for w in derivative.wrt) and all(b.shape for b in reads[2])


def use_batched(derivative):
    """Whether :func:`batched_columns` applies to ``derivative`` and its size is
    small enough to consider it (the op count decides then).

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.sparse import sparse_hessian
    >>> x = Symbol("x", shape=(6,))
    >>> use_batched(sparse_hessian((x[2:] * x[1:-1] * x[:-2]).sum(), x))
    True
    """
    if not batchable(derivative):
        return False
    ncol = int(derivative.colours.max(initial=0)) + 1
    return BATCHED_MIN_COLOURS <= ncol and ncol * derivative.shape[1] <= BATCHED_MAX


def _operations(exprs):
    return sum(1 for node in topo_order(*exprs) if node.args)


class BatchedColumns:
    """The compiled batched columns with their seeds bound (it pickles).

    Calling it with the arguments' values returns the columns, each of shape
    ``(C, *block.shape)``.  ``source`` is the generated code.
    """

    def __init__(self, compiled, seeds, ndims):
        self.compiled = compiled
        self.seeds = seeds
        self.ndims = ndims  # {parameter name: its symbol's number of dimensions}
        self._order = tuple(ndims.values())

    @property
    def source(self):
        return self.compiled.source

    def __call__(self, *args, **kwargs):
        # a batch of points would broadcast against the batch of seeds (silently, if
        # it had as many points as there are colours): refuse it here
        for value, ndim in zip(args, self._order, strict=False):
            if np.ndim(value) > ndim:
                self._refuse(value)
        for name, value in kwargs.items():
            if np.ndim(value) > self.ndims.get(name, np.ndim(value)):
                self._refuse(value)
        return self.compiled.__wrapped__(*args, **kwargs, **self.seeds)

    @staticmethod
    def _refuse(value):
        raise ValueError(
            f"sparse derivative: an argument has shape {np.shape(value)}, with batch "
            "dimensions; sparse matrices take unbatched arguments (one point at a "
            "time)"
        )

    def __repr__(self):
        return f"<batched columns of {self.compiled!r}>"


def batched_columns(derivative, args, dtype="float64", only_if_smaller=False):
    """Compile ``derivative``'s columns of all colours as one batched function.

    Returns ``(function, sizes, gather)``: ``function(*arg_values)`` returns one
    array ``(C, *block.shape)`` per output block, ``sizes`` their sizes, and the
    nonzeros are ``concatenate(flat values)[gather]`` (in ``derivative.rows`` order).
    With ``only_if_smaller``, None unless the batched code has at most
    ``BATCHED_SHARE`` of the operations of the per-colour code.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol
    >>> from symdiff.sparse import sparse_hessian
    >>> x = Symbol("x", shape=(3,))
    >>> H = sparse_hessian((x[1:] * x[:-1] ** 2).sum(), x)
    >>> fn, sizes, gather = batched_columns(H, [x])
    >>> flat = np.concatenate(fn(np.array([1.0, 2.0, 3.0])), axis=None)
    >>> flat[gather].tolist()  # H[0, 0], H[1, 0], H[1, 1], H[2, 1]
    [4.0, 2.0, 6.0, 4.0]
    """
    brow, bcol, blocks = derivative.reads
    wrt = list(derivative.wrt)
    taken = {w.name for w in wrt} | {a.name for a in args}
    directions = []
    for i, w in enumerate(wrt):
        name = f"{w.name}'seed"
        while name in taken:  # never one of the function's own symbols
            name += f"'{i}"
        taken.add(name)
        directions.append(Symbol(name, shape=w.shape))
    columns = fold_constants([jvp(b, wrt, directions) for b in blocks])
    if only_if_smaller:
        if _operations(columns) > BATCHED_SHARE * _operations(derivative.compressed):
            return None
    compiled = lambdify(list(args) + directions, list(columns), dtype=dtype)
    ncol = int(derivative.colours.max(initial=0)) + 1
    all_names = code_names(list(args) + directions)
    names = all_names[len(args) :]
    ndims = {name: len(a.shape) for name, a in zip(all_names, args, strict=False)}
    seeds = {}
    off = 0
    for name, w in zip(names, wrt, strict=True):
        size = math.prod(w.shape)
        part = derivative.colours[off : off + size]
        mask = part[None, :] == np.arange(ncol)[:, None]
        seeds[name] = mask.astype(dtype).reshape((ncol, *w.shape))
        off += size
    sizes = [math.prod(b.shape) for b in blocks]
    starts = np.cumsum([0] + sizes)
    block = np.searchsorted(starts, brow, side="right") - 1
    offsets = ncol * starts[:-1]
    gather = offsets[block] + bcol * np.asarray(sizes)[block] + (brow - starts[block])
    return (
        BatchedColumns(compiled, seeds, ndims),
        tuple(ncol * s for s in sizes),
        gather.astype(np.int64),
    )
