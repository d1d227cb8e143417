"""Index progressions for re-rolling (:mod:`symdiff.sparse.reroll`).

Terms of one template carry their slots' symbol indices as equally long tuples; the
terms that re-roll are those whose tuples move by one stride vector (``start + k *
stride``).  This module finds such runs: among consecutive tuples (the greedy split
of :func:`_bounds`, with numpy), after sorting (by the offsets between slots, then
by index), and as *chains* of a common stride among interleaved ones (the first and
last column of a grid).  The tuples are read into numpy arrays once per sort.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np

# a progression shorter than this stays as scalar terms
MIN_RUN = 4
_first = operator.itemgetter(0)


def _bounds(keys, min_run, array=None):
    """The greedy split of ``keys`` (equally long index tuples, in order) into
    maximal runs that move by one stride vector: ``[(start, stop, is_run)]``, a
    single key ``(k, k + 1, False)`` where a run would be shorter than ``min_run``.

    A run from ``k`` goes on while the steps equal the first one, so it ends where
    the block of equal consecutive steps that holds step ``k`` ends: the blocks are
    found with numpy, the greedy walk steps from block to block.  ``array``: the
    keys as an ``(m, width)`` array already, where the caller has it."""
    m = len(keys)
    if m < 2:
        return [(0, m, m >= min_run)] if m else []
    if array is None:
        width = len(keys[0])
        flat = np.fromiter(itertools.chain.from_iterable(keys), np.int64, m * width)
        array = flat.reshape(m, width)
    steps = np.diff(array, axis=0)
    change = np.flatnonzero((steps[1:] != steps[:-1]).any(axis=1)) + 1
    ends = change.tolist() + [m - 1]  # where each block of equal steps ends
    out, k, p = [], 0, 0
    while k < m:
        if k == m - 1:
            out.append((k, m, min_run <= 1))
            break
        while ends[p] <= k:
            p += 1
        j = ends[p] + 1
        if j - k >= min_run:
            out.append((k, j, True))
        else:
            out.extend((i, i + 1, False) for i in range(k, j))
        k = j
    return out


def _segments(members, min_run, array=None):
    """Split ``members`` ``[(indices, consts, coef, term)]`` (in order) into maximal
    runs whose indices move by one stride vector, in order: ``[(is_run, list)]``
    (``array``: their indices as an array, where known)."""
    bounds = _bounds(list(map(_first, members)), min_run, array)
    return [(run, members[a:b]) for a, b, run in bounds]


def _runs(members, min_run, array=None):
    """``(runs, rest)`` of :func:`_segments`."""
    runs, rest = [], []
    for is_run, part in _segments(members, min_run, array):
        (runs if is_run else rest).extend([part] if is_run else part)
    return runs, rest


def _index_array(members):
    """The slot indices of ``members`` (one template: equally many) as an array."""
    width = len(members[0][0]) if members else 0
    flat = itertools.chain.from_iterable(map(_first, members))
    return np.fromiter(flat, np.int64, len(members) * width).reshape(-1, width)


def _sorted(members, by_offsets=False, with_array=False):
    """``members`` sorted (stably) by their indices, or by the offsets between their
    slots and then the first index (``by_offsets``): numpy's lexsort, not a Python
    key per member.  ``with_array``: ``(members, their indices as an array or
    None)``."""
    if len(members) < 2 or not members[0][0]:
        return (list(members), None) if with_array else list(members)
    idx = _index_array(members)
    keys = [idx[:, 0]] if by_offsets else []
    cols = idx - idx[:, :1] if by_offsets else idx
    keys += [cols[:, j] for j in range(cols.shape[1] - 1, -1, -1)]
    order = np.lexsort(keys)
    out = [members[k] for k in order.tolist()]
    return (out, idx[order]) if with_array else out


def _group_runs(groups):
    """The runs and the left-over members of each template's members."""
    runs, rest = {}, []
    for template, members in groups.items():
        # same offsets between slots first (one stride for all), then any strides
        members, idx = _sorted(members, by_offsets=True, with_array=True)
        found, left = _runs(members, MIN_RUN, idx)
        more, left = _runs(_sorted(left), MIN_RUN)
        for _ in range(_CHAIN_ROUNDS):
            if len(left) < MIN_RUN:
                break
            chains, left = _chains(left)
            more += chains
        if found or more:
            runs[template] = found + more
        rest += left
    return runs, rest


# rounds of chain extraction (each takes the most common stride out of the rest)
_CHAIN_ROUNDS = 3
_CHAIN_WINDOW = 8


def _common_step(idx):
    """The most common difference ``idx[j] - idx[k]`` over the pairs ``0 < j - k <=
    _CHAIN_WINDOW`` of the rows of ``idx`` (ties: the one met first, ``k`` outer and
    ``j`` inner), as a tuple; None for fewer than two rows.  Counted with numpy."""
    m = idx.shape[0]
    if m < 2:
        return None
    k = np.arange(m)[:, None]
    j = k + np.arange(1, _CHAIN_WINDOW + 1)[None, :]
    valid = j < m  # (pairs in row-major order: k outer, j inner)
    steps = idx[j[valid]] - idx[np.broadcast_to(k, j.shape)[valid]]
    if not steps.shape[1]:
        return ()
    uniq, first, counts = np.unique(
        steps, axis=0, return_index=True, return_counts=True
    )
    best = np.lexsort((first, -counts))[0]
    return tuple(uniq[best].tolist())


def _chains(members):
    """Progressions that are not consecutive in sorted order (interleaved ones: the
    first and last column of a grid): the most common stride between near members,
    followed from each member.  ``(runs, rest)``."""
    members = _sorted(members)
    step = _common_step(_index_array(members))
    if step is None:
        return [], members
    at = {m[0]: m for m in members}
    used, runs = set(), []
    for m in members:
        if m[0] in used:
            continue
        chain, key = [], m[0]
        while key in at and key not in used:
            chain.append(at[key])
            used.add(key)
            key = tuple(i + d for i, d in zip(key, step, strict=True))
        if len(chain) >= MIN_RUN:
            runs.append(chain)
        else:
            used.difference_update(c[0] for c in chain)
    return runs, [m for m in members if m[0] not in used]
