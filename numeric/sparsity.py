"""Graph colouring of sparsity patterns, for compressed (coloured) derivatives.

A Jacobian ``J`` whose columns are split into groups ("colours") such that no row has
a nonzero in two columns of one group is recovered from one product ``J s_c`` per
group, where ``s_c`` is the 0/1 indicator of group ``c``: the entry ``J[i, j]`` is
``(J s_c)[i]`` for ``c`` the colour of ``j`` (Curtis, Powell and Reid 1974).  Finding
few groups is colouring the *column intersection graph* (columns adjacent when they
share a row) -- a distance-2 colouring of the bipartite graph of the pattern, in the
terms of Gebremedhin, Manne and Pothen, "What color is your Jacobian? Graph coloring
for computing derivatives", SIAM Review 47 (2005).

:func:`colour_columns` colours greedily in largest-first order (the column with most
neighbours first), which is their reference heuristic.  :func:`colour_hessian` uses
symmetry: by default a greedy *star* colouring (the same paper, section 6), where each
entry is read from one of its two symmetric positions (:func:`recovery_indices` with
``symmetric=True``); it needs fewer colours than the distance-2 colouring (five
instead of seven on a five-point stencil), which stays available as
``method="distance2"``.

This module is pure numpy/scipy and knows nothing of symdiff: ``numeric`` uses it for
coloured finite differences and ``symdiff.sparse`` for compressed symbolic derivatives,
one implementation for both.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = [
    "check_colouring",
    "colour_columns",
    "colour_hessian",
    "recovery_indices",
    "seed_matrix",
]


def _as_pattern(pattern, owner):
    """``pattern`` as a boolean CSR array, with a clear error for anything else."""
    if sparse.issparse(pattern):
        mat = sparse.csr_array(pattern)
    else:
        arr = np.asarray(pattern)
        if arr.ndim != 2:
            raise ValueError(
                f"{owner}: the pattern must be a 2-D matrix, got shape {arr.shape}"
            )
        mat = sparse.csr_array(arr)
    mat = sparse.csr_array(mat != 0) if mat.dtype != bool else mat
    mat.eliminate_zeros()
    mat.sort_indices()
    return mat


def _greedy(adjacency, order):
    """Greedy distance-1 colouring of ``adjacency`` (CSR, no self loops) in ``order``.

    Each vertex takes the smallest colour none of its coloured neighbours has.  Plain
    Python over lists: the adjacency is walked once, so the cost is linear in its
    number of entries.
    """
    n = adjacency.shape[0]
    indptr = adjacency.indptr.tolist()
    indices = adjacency.indices.tolist()
    colour = [-1] * n
    # mark[c] == v: colour c is taken by a neighbour of v (no clearing between vertices)
    mark = [-1] * (n + 1)
    for v in order:
        for k in range(indptr[v], indptr[v + 1]):
            c = colour[indices[k]]
            if c >= 0:
                mark[c] = v
        c = 0
        while mark[c] == v:
            c += 1
        colour[v] = c
    return np.asarray(colour, dtype=np.int64)


def _without_diagonal(mat):
    """The square boolean CSR ``mat`` less its diagonal, indices sorted, as a CSR
    array (built from the index arrays: no ``setdiag``, which rebuilds the matrix)."""
    mat.sort_indices()
    indptr, indices = mat.indptr, mat.indices
    rows = np.repeat(np.arange(mat.shape[0], dtype=indices.dtype), np.diff(indptr))
    keep = indices != rows
    if keep.all():
        return mat
    kept = np.concatenate([[0], np.cumsum(keep)])[indptr]
    return sparse.csr_array(
        (np.ones(int(kept[-1]), dtype=bool), indices[keep], kept), shape=mat.shape
    )


def _largest_first(adjacency):
    degree = np.diff(adjacency.indptr)
    # stable: equal degrees keep their natural order (bands colour as j mod width)
    return np.argsort(-degree, kind="stable").tolist()


def _vertex_order(graph, order, owner):
    """The order the greedy colourings visit the vertices in."""
    if order == "largest_first":
        return _largest_first(graph)
    if order == "natural":
        return range(graph.shape[0])
    raise ValueError(
        f"{owner}: order must be 'largest_first' or 'natural', got {order!r}"
    )


def colour_columns(pattern, order="largest_first"):
    """Colour the columns of a sparsity pattern so no row sees one colour twice.

    Greedy distance-2 colouring of the pattern's bipartite graph (Gebremedhin, Manne
    and Pothen 2005), i.e. distance-1 colouring of the column intersection graph
    ``P^T P``.

    Parameters
    ----------
    pattern : scipy.sparse matrix or array_like, shape (m, n)
        Nonzero (or True) where the Jacobian may be nonzero.
    order : {"largest_first", "natural"}, optional
        The order columns are coloured in: most neighbours first (default) or
        left to right.

    Returns
    -------
    numpy.ndarray of int, shape (n,)
        The colour of each column, ``0 .. ncolours - 1``.

    Examples
    --------
    >>> import numpy as np
    >>> tridiagonal = np.eye(6) + np.eye(6, k=1) + np.eye(6, k=-1)
    >>> colours = colour_columns(tridiagonal)
    >>> int(colours.max()) + 1  # three colours, whatever the size
    3
    >>> check_colouring(tridiagonal, colours)  # no row sees a colour twice
    """
    mat = _as_pattern(pattern, "colour_columns")
    # boolean product: an entry is "some row is shared" (a counting dtype such as
    # int8 would wrap around to 0 for 256 shared rows and lose the edge)
    graph = _without_diagonal(sparse.csr_array(mat.T @ mat))
    return _greedy(graph, _vertex_order(graph, order, "colour_columns"))


def _star(adjacency, order):
    """Greedy star colouring of ``adjacency`` (CSR, no self loops) in ``order``.

    A proper colouring in which every path on four vertices has at least three
    colours (Gebremedhin, Manne and Pothen 2005, section 6; the greedy rule here is
    ours).  A two-coloured path ``a-b-a-b`` could only appear when its last vertex
    ``v`` is coloured, with ``v`` at an end or inside it; both are forbidden:

    * end: ``v - w - x - y``: ``v`` may not take ``x``'s colour when ``x`` has
      another neighbour of ``w``'s colour besides ``w``;
    * inside: ``x - v - w - y``: when two neighbours of ``v`` share a colour, ``v``
      may not take the colour of any other neighbour of either of them.
    """
    n = adjacency.shape[0]
    indptr = adjacency.indptr.tolist()
    indices = adjacency.indices.tolist()
    nbrs_of = [indices[indptr[v] : indptr[v + 1]] for v in range(n)]
    colour = [-1] * n
    # x * big + c is in `once` when x has a coloured neighbour of colour c, in `twice`
    # when it has two or more (flat int keys: one set lookup, no dict per vertex)
    big = n + 1
    once, twice = set(), set()
    for v in order:
        nbrs = nbrs_of[v]
        forbidden = set()
        seen = {}
        for w in nbrs:
            cw = colour[w]
            if cw < 0:
                continue
            forbidden.add(cw)
            if cw in seen:
                seen[cw].append(w)
            else:
                seen[cw] = [w]
            for x in nbrs_of[w]:
                if x != v:
                    cx = colour[x]
                    if cx >= 0 and x * big + cw in twice:
                        forbidden.add(cx)
        for ws in seen.values():
            if len(ws) >= 2:
                for w in ws:
                    for y in nbrs_of[w]:
                        if y != v and colour[y] >= 0:
                            forbidden.add(colour[y])
        c = 0
        while c in forbidden:
            c += 1
        colour[v] = c
        for w in nbrs:
            k = w * big + c
            if k in once:
                twice.add(k)
            else:
                once.add(k)
    return np.asarray(colour, dtype=np.int64)


def colour_hessian(pattern, order="largest_first", method="star"):
    """Colour the columns of a symmetric pattern for Hessian recovery.

    Parameters
    ----------
    pattern : scipy.sparse matrix or array_like, shape (n, n)
        A symmetric sparsity pattern (the diagonal is treated as present).
    order : {"largest_first", "natural"}, optional
    method : {"star", "distance2"}, optional
        ``"star"`` (default): a star colouring, usually fewer colours; each entry is
        read from the product of its column's colour or, where another column of
        its row shares that colour, from the transposed position (two-sided
        recovery, :func:`recovery_indices` with ``symmetric=True``).
        ``"distance2"``: the colouring of :func:`colour_columns`, every entry read
        directly.

    Returns
    -------
    numpy.ndarray of int, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> arrow = np.eye(5, dtype=bool)
    >>> arrow[0, :] = arrow[:, 0] = True
    >>> colour_hessian(arrow, method="distance2").tolist()  # one colour per column
    [0, 1, 2, 3, 4]
    >>> colour_hessian(arrow).tolist()  # star: the hub alone, the leaves together
    [0, 1, 1, 1, 1]
    """
    mat = _as_pattern(pattern, "colour_hessian")
    if mat.shape[0] != mat.shape[1]:
        raise ValueError(
            f"colour_hessian: a Hessian pattern is square, got shape {mat.shape}"
        )
    # symmetric: the transpose has the same index arrays (both canonical: sorted,
    # no duplicates, no explicit zeros)
    tr = mat.T.tocsr()
    tr.sort_indices()
    if not (
        np.array_equal(tr.indptr, mat.indptr)
        and np.array_equal(tr.indices, mat.indices)
    ):
        raise ValueError("colour_hessian: the pattern is not symmetric")
    if method == "distance2":
        return colour_columns(mat, order=order)
    if method != "star":
        raise ValueError(
            f"colour_hessian: method must be 'star' or 'distance2', got {method!r}"
        )
    graph = _without_diagonal(sparse.csr_array(mat, copy=True))
    return _star(graph, _vertex_order(graph, order, "colour_hessian"))


def seed_matrix(colours, ncolours=None):
    """The ``(n, ncolours)`` 0/1 matrix whose column ``c`` marks colour ``c``.

    Examples
    --------
    >>> seed_matrix(np.array([0, 1, 0])).tolist()
    [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    colours = np.asarray(colours, dtype=np.int64)
    p = int(colours.max()) + 1 if ncolours is None and colours.size else ncolours or 0
    out = np.zeros((colours.size, p))
    out[np.arange(colours.size), colours] = 1.0
    return out


def check_colouring(pattern, colours):
    """Raise ``ValueError`` unless no row of ``pattern`` has two columns of one colour.

    Examples
    --------
    >>> check_colouring(np.eye(3), [0, 0, 0])
    >>> check_colouring(np.ones((1, 2)), [0, 0])
    Traceback (most recent call last):
    ...
    ValueError: check_colouring: row 0 has columns 0 and 1, both of colour 0
    """
    mat = _as_pattern(pattern, "check_colouring")
    colours = np.asarray(colours, dtype=np.int64)
    if colours.shape != (mat.shape[1],):
        raise ValueError(
            f"check_colouring: {colours.shape} colours for a pattern of shape "
            f"{mat.shape}: need one per column"
        )
    coo = mat.tocoo()
    key = coo.row.astype(np.int64) * (int(colours.max(initial=0)) + 1)
    key = key + colours[coo.col]
    order = np.argsort(key, kind="stable")
    dup = np.flatnonzero(np.diff(key[order]) == 0)
    if dup.size:
        a, b = order[dup[0]], order[dup[0] + 1]
        raise ValueError(
            f"check_colouring: row {coo.row[a]} has columns {coo.col[a]} and "
            f"{coo.col[b]}, both of colour {colours[coo.col[a]]}"
        )


def recovery_indices(pattern, colours, symmetric=False):
    """Where each nonzero of ``pattern`` is read in the compressed matrix ``B = J S``.

    Parameters
    ----------
    pattern : scipy.sparse matrix or array_like, shape (m, n)
    colours : array_like of int, shape (n,)
        A column colouring (see :func:`colour_columns`).
    symmetric : bool, optional
        For a symmetric ``H``: an entry whose column shares its colour with another
        column of its row is read from the transposed position instead (the
        two-sided recovery of star colourings).

    Returns
    -------
    rows, cols, brow, bcol : numpy.ndarray of int
        The nonzeros (CSR order) and, for each, the entry ``B[brow, bcol]`` equal to
        it.

    Examples
    --------
    >>> rows, cols, brow, bcol = recovery_indices(np.eye(2), [0, 0])
    >>> bcol.tolist()
    [0, 0]
    """
    mat = _as_pattern(pattern, "recovery_indices")
    colours = np.asarray(colours, dtype=np.int64)
    coo = mat.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    ncol = int(colours.max(initial=0)) + 1
    key = rows * ncol + colours[cols]
    # how many columns of each (row, colour) pair the pattern has
    uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    alone = counts[inverse] == 1
    brow, bcol = rows.copy(), colours[cols]
    if not alone.all():
        if not symmetric:
            i = np.flatnonzero(~alone)[0]
            raise ValueError(
                f"recovery_indices: row {rows[i]} has two columns of colour "
                f"{colours[cols[i]]}: not a valid column colouring"
            )
        shared = np.flatnonzero(~alone)
        # the transposed entry H[j, i], read where its (row, colour) pair is alone
        r, c = cols[shared], rows[shared]
        tkey = r * ncol + colours[c]
        at = np.minimum(np.searchsorted(uniq, tkey), uniq.size - 1)
        ok = (uniq[at] == tkey) & (counts[at] == 1)
        if not ok.all():
            i = shared[np.flatnonzero(~ok)[0]]
            raise ValueError(
                f"recovery_indices: entry ({rows[i]}, {cols[i]}) cannot be "
                "recovered from this colouring on either side"
            )
        brow[shared], bcol[shared] = r, colours[c]
    return rows, cols, brow, bcol
