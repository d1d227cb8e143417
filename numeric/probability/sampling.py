"""How the simulations draw: in bounded chunks, summed exactly, with a progress bar.

Draws come from :meth:`numeric.distributions.Distribution.draw` in chunks, so that
memory stays bounded however many are asked for; integer and boolean draws are summed
exactly in int64, the rest in float64.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from numeric.probability.discrete import Multinomial
from numeric.probability.infrastructure import Distribution

__all__ = [
    "ProgressBar",
    "check_scalar_distribution",
    "accumulator",
    "row_sums",
    "chunk_grid",
    "chunk_sums",
    "accumulate_sums",
    "running_sums",
    "sum_grid",
    "block_sums",
    "assemble_sums",
    "sums_of_draws",
]


class ProgressBar:
    """Dependency-free progress bar on stderr, redrawn at most twice a second.

    Parameters
    ----------
    total : int
        Number of draws the bar counts up to.
    enabled : bool
        When false the bar only counts and never writes.
    label : str
        Printed before the bar (the simulation's name).

    Examples
    --------
    >>> bar = ProgressBar(10, False, "demo")
    >>> bar.update(4); bar.done
    4
    """

    def __init__(self, total, enabled, label, width=30, interval=0.5):
        self.total = max(int(total), 1)
        self.enabled = bool(enabled)
        self.label = label
        self.width = width
        self.interval = interval
        self.done = 0
        self.start = time.perf_counter()
        self.last = -math.inf
        self.shown = -1

    def update(self, k):
        """Count ``k`` more draws; redraw if enabled and the interval has passed."""
        self.done += int(k)
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last >= self.interval or self.done >= self.total:
            self.last = now
            self._render(now)

    def _render(self, now):
        self.shown = self.done
        frac = min(1.0, self.done / self.total)
        filled = int(round(frac * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        sys.stderr.write(
            f"\r{self.label} [{bar}] {100 * frac:5.1f}% "
            f"({self.done:.3g}/{self.total:.3g} draws, {now - self.start:.1f} s)"
        )
        sys.stderr.flush()

    def close(self):
        """Show the final count and end the line (if enabled)."""
        if self.enabled:
            if self.shown != self.done:
                self._render(time.perf_counter())
            sys.stderr.write("\n")
            sys.stderr.flush()


def check_scalar_distribution(dist, owner):
    """Raise unless ``dist`` is a scalar-valued distribution with scalar parameters.

    Examples
    --------
    >>> from numeric.distributions import Normal
    >>> check_scalar_distribution(Normal([0.0, 1.0]), "central_limit")
    Traceback (most recent call last):
    ...
    ValueError: central_limit: dist must have scalar parameters; got batch shape (2,) for Normal(mu=[0., 1.], sigma=[1., 1.])
    """  # noqa: E501
    if not isinstance(dist, Distribution):
        raise TypeError(
            f"{owner}: dist must be a numeric.distributions distribution; got {dist!r}"
        )
    if isinstance(dist, Multinomial):
        raise ValueError(
            f"{owner}: dist must be scalar-valued; a Multinomial draw is a vector"
        )
    if dist.batch_shape != ():
        raise ValueError(
            f"{owner}: dist must have scalar parameters; got batch shape "
            f"{dist.batch_shape} for {dist!r}"
        )
    return dist


def accumulator(x):
    """The dtype in which draws of ``x``'s dtype are summed exactly enough.

    Examples
    --------
    >>> import numpy as np
    >>> accumulator(np.array([True])).__name__, accumulator(np.array([0.5])).__name__
    ('int64', 'float64')
    """
    # Integer (and bool) draws are summed exactly in int64; the rest in float64.
    return np.int64 if x.dtype.kind in "biu" else np.float64


def row_sums(x):
    """Sum each row of a ``(rows, n)`` block of draws.

    ``sum(axis=1)`` pays a per-row overhead that dominates for short rows.  A loop
    over the columns is fastest for very short rows and ``einsum`` otherwise (it
    avoids BLAS, whose idle threads would compete with the random draws).

    Examples
    --------
    >>> import numpy as np
    >>> print(row_sums(np.array([[True, False, True], [True, True, True]])))
    [2 3]
    """
    n = x.shape[1]
    acc = accumulator(x)
    if n <= 4 or (x.dtype.kind == "b" and n <= 16):
        total = x[:, 0].astype(acc)
        for j in range(1, n):
            total += x[:, j]
        return total
    if x.dtype.kind == "b":
        # Counting in the narrowest integer that cannot overflow keeps the additions
        # vectorised; the widening to int64 then touches one value per row only.
        narrow = np.uint8 if n < 256 else np.uint16 if n < 65536 else np.int64
        return np.einsum("ij->i", x.view(np.uint8), dtype=narrow).astype(np.int64)
    return np.einsum("ij->i", x, dtype=acc)


def _piece_sums(x, idx, acc):
    """Cumulative sums of ``x`` over the pieces starting at ``idx`` (one pass)."""
    if x.dtype.kind == "b":
        if idx.size <= 64:
            ends = np.append(idx[1:], x.size)
            pieces = [np.count_nonzero(x[a:b]) for a, b in zip(idx, ends, strict=True)]
            return np.cumsum(np.array(pieces, dtype=np.int64))
        x = x.view(np.uint8)
    return np.cumsum(np.add.reduceat(x, idx, dtype=acc))


def chunk_grid(n, checkpoints, chunk_size):
    """The chunks :func:`running_sums` draws, in order: ``(size, local checkpoints)``.

    ``local`` lists the checkpoints that fall in the chunk, counted from its start
    (so within ``[1, size]``).  A chunked run elsewhere (on dask) walks the same grid.

    Examples
    --------
    >>> import numpy as np
    >>> grid = chunk_grid(5, np.array([1, 3, 5]), 2)
    >>> [(size, local.tolist()) for size, local in grid]
    [(2, [1]), (2, [1]), (1, [1])]
    """
    pos = 0
    for start in range(0, n, chunk_size):
        size = min(chunk_size, n - start)
        stop = int(np.searchsorted(checkpoints, start + size, side="right"))
        yield size, checkpoints[pos:stop] - start
        pos = stop


def chunk_sums(x, local):
    """One chunk's share of :func:`running_sums`: its sums at ``local``, and its total.

    Each chunk is read once: ``add.reduceat`` sums the pieces between consecutive
    checkpoints (and the remainder), and a short cumulative sum of those pieces gives
    the sums of ``x[:c]`` for each ``c`` in ``local`` and the chunk's total.

    Parameters
    ----------
    x : numpy.ndarray, 1-D
        The chunk's draws.
    local : numpy.ndarray of int64
        Strictly increasing counts in ``[1, x.size]`` (may be empty).

    Returns
    -------
    (numpy.ndarray, scalar)
        The sums (in the accumulator dtype of ``x``, see :func:`accumulator`) and the
        total.

    Examples
    --------
    >>> import numpy as np
    >>> prefix, total = chunk_sums(np.array([1, 2, 3, 4]), np.array([1, 3]))
    >>> prefix.tolist(), int(total)
    ([1, 6], 10)
    """
    acc = accumulator(x)
    if local.size:
        bounds = local if local[-1] < x.size else local[:-1]
        idx = np.concatenate([[0], bounds]).astype(np.intp)
        prefix = _piece_sums(x, idx, acc)
        return prefix[: local.size], prefix[-1]
    if x.dtype.kind == "b":
        return np.empty(0, dtype=acc), np.count_nonzero(x)  # far faster than a sum
    return np.empty(0, dtype=acc), x.sum(dtype=acc)


def accumulate_sums(pieces, count):
    """The running sums at ``count`` checkpoints from each chunk's :func:`chunk_sums`.

    ``pieces`` yields the chunks' ``(sums, total)`` in order; every chunk's sums are
    offset by the totals before it, added one after the other, so the result depends
    only on the pieces (not on where they were computed).

    Examples
    --------
    >>> import numpy as np
    >>> none = np.array([], dtype=int)
    >>> pieces = [(np.array([1, 3]), 3), (none, 4), (np.array([2]), 2)]
    >>> accumulate_sums(pieces, 3).tolist()
    [1, 3, 9]
    """
    out = None
    total = 0
    pos = 0
    for prefix, chunk_total in pieces:
        if out is None:
            out = np.empty(count, dtype=prefix.dtype)
        out[pos : pos + prefix.size] = total + prefix
        total = total + chunk_total
        pos += prefix.size
    return out


def running_sums(draw, n, checkpoints, chunk_size, progress):
    """Sums of the first ``c`` draws for each checkpoint ``c``, drawing in chunks.

    The chunks are those of :func:`chunk_grid`, each reduced by :func:`chunk_sums` and
    released before the next is drawn, so two never coexist.

    Parameters
    ----------
    draw : callable
        ``draw(size)`` returns ``size`` fresh draws.
    n : int
        Total number of draws.
    checkpoints : numpy.ndarray of int64
        Strictly increasing counts in ``[1, n]``.
    chunk_size : int
        Draws per call of ``draw``.
    progress : ProgressBar
        Counts the draws; closed at the end.

    Examples
    --------
    >>> import numpy as np
    >>> cps = np.array([1, 3, 4])
    >>> ones = lambda size: np.ones(size, dtype=np.int64)
    >>> print(running_sums(ones, 4, cps, 2, ProgressBar(4, False, "demo")))
    [1 3 4]
    """

    def pieces():
        for size, local in chunk_grid(n, checkpoints, chunk_size):
            piece = chunk_sums(draw(size), local)
            progress.update(size)
            yield piece

    out = accumulate_sums(pieces(), checkpoints.shape[0])
    progress.close()
    return out


def sum_grid(n, m, chunk_size):
    """The shapes :func:`sums_of_draws` draws, in order.

    Short sums come as ``(rows, n)`` blocks of about ``chunk_size`` draws; a sum longer
    than ``chunk_size`` as ``(size,)`` pieces, one sum after the other.

    Examples
    --------
    >>> list(sum_grid(3, 5, 6)), list(sum_grid(5, 2, 3))
    ([(2, 3), (2, 3), (1, 3)], [(3,), (2,), (3,), (2,)])
    """
    if n <= chunk_size:
        rows = max(1, chunk_size // n)
        for r0 in range(0, m, rows):
            yield (min(rows, m - r0), n)
    else:
        for _ in range(m):
            for s0 in range(0, n, chunk_size):
                yield (min(chunk_size, n - s0),)


def block_sums(x):
    """One chunk's share of :func:`sums_of_draws`: row sums of a block, or a sum.

    Examples
    --------
    >>> import numpy as np
    >>> block_sums(np.ones((2, 3))).tolist(), int(block_sums(np.ones(4, dtype=bool)))
    ([3.0, 3.0], 4)
    """
    if x.ndim == 2:
        return row_sums(x)
    return x.sum(dtype=accumulator(x))


def assemble_sums(parts, n, m, chunk_size):
    """The ``m`` sums of :func:`sums_of_draws` from each chunk's :func:`block_sums`.

    ``parts`` yields them in the order of :func:`sum_grid`; the pieces of a long sum
    are added one after the other, so the result depends only on the parts.

    Examples
    --------
    >>> import numpy as np
    >>> assemble_sums([np.array([1, 2]), np.array([3])], 4, 3, 8).tolist()
    [1, 2, 3]
    >>> assemble_sums([np.int64(1), np.int64(2), np.int64(3), np.int64(4)], 4, 2, 2)
    array([3, 7])
    """
    sums = None
    if n <= chunk_size:
        r0 = 0
        for block in parts:
            if sums is None:
                sums = np.empty(m, dtype=block.dtype)
            sums[r0 : r0 + block.size] = block
            r0 += block.size
        return sums
    per_sum = -(-n // chunk_size)
    parts = iter(parts)
    for i in range(m):
        total = 0
        for _ in range(per_sum):
            total = total + next(parts)
        if sums is None:
            sums = np.empty(m, dtype=np.asarray(total).dtype)
        sums[i] = total
    return sums


def sums_of_draws(draw, n, m, chunk_size, progress):
    """``m`` independent sums of ``n`` draws each, drawing in chunks.

    The chunks are the shapes of :func:`sum_grid`, each reduced by :func:`block_sums`
    and released before the next is drawn; :func:`assemble_sums` puts them together.

    Parameters
    ----------
    draw : callable
        ``draw(shape)`` returns fresh draws of that shape.
    n, m : int
        Draws per sum and number of sums.
    chunk_size : int
        Upper bound on the draws held at once (at least one row).
    progress : ProgressBar
        Counts the draws; closed at the end.

    Returns
    -------
    numpy.ndarray, shape (m,)
        int64 sums for integer or boolean draws, float64 otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> ones = lambda shape: np.ones(shape, dtype=bool)
    >>> print(sums_of_draws(ones, 5, 3, 4, ProgressBar(15, False, "demo")))
    [5 5 5]
    """

    def parts():
        for shape in sum_grid(n, m, chunk_size):
            part = block_sums(draw(shape))
            progress.update(math.prod(shape))
            yield part

    sums = assemble_sums(parts(), n, m, chunk_size)
    progress.close()
    return sums
