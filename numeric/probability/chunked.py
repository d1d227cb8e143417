"""Simulations in independent chunks: one random stream per chunk, here or on dask.

Given a ``numpy.random.SeedSequence`` instead of a ``Generator``,
:func:`~numeric.simulate.law_of_large_numbers` and
:func:`~numeric.simulate.central_limit` draw chunk ``i`` from a stream of its own,
``default_rng(chunk_seed(seed, i))``: the ``i``-th child of the seed, the one
``seed.spawn`` gives on a fresh sequence (the sequence passed in is never spawned
from, so passing it again repeats the run).  Each chunk is reduced where it is drawn
to a few numbers (its sums at the checkpoints inside it and its total for the law of
large numbers; its row sums, or one partial sum, for the central limit theorem), and
the reductions are put together in chunk order by the same code
(:func:`~numeric.probability.sampling.accumulate_sums`,
:func:`~numeric.probability.sampling.assemble_sums`) however they were computed.
So a run here, one chunk after the other, and a run on dask (``scheduler=``: a
``distributed.Client`` or one of dask's local schedulers), with the chunks spread over
workers, give bit-identical results, and each worker holds one chunk of draws at a
time (``chunk_size`` values) plus the small reductions.

dask is optional and imported only when a scheduler is given.
"""

from __future__ import annotations

import itertools

import numpy as np

from numeric.probability.sampling import (
    accumulate_sums,
    assemble_sums,
    block_sums,
    chunk_grid,
    chunk_sums,
    running_sums,
    sum_grid,
    sums_of_draws,
)
from numeric.validation import check_rng

__all__ = [
    "LOCAL_SCHEDULERS",
    "chunk_seed",
    "chunk_rng",
    "check_randomness",
    "lln_chunk",
    "clt_chunk",
    "chunked_running_sums",
    "chunked_sums_of_draws",
]

#: dask's own schedulers by name; ``"distributed"`` is the default ``Client``.
LOCAL_SCHEDULERS = ("threads", "processes", "synchronous", "distributed")


def chunk_seed(seed, index):
    """The seed of chunk ``index``: child ``index`` of ``seed``, without spawning.

    It equals ``seed.spawn(index + 1)[index]`` on a sequence that has not spawned
    yet, but leaves ``seed`` untouched, so the same seed always gives the same chunks.

    Examples
    --------
    >>> import numpy as np
    >>> seed = np.random.SeedSequence(7)
    >>> kids = np.random.SeedSequence(7).spawn(3)
    >>> [chunk_seed(seed, i).spawn_key for i in range(3)] == [k.spawn_key for k in kids]
    True
    >>> bool((chunk_seed(seed, 2).generate_state(4) == kids[2].generate_state(4)).all())
    True
    """
    return np.random.SeedSequence(
        seed.entropy, spawn_key=seed.spawn_key + (index,), pool_size=seed.pool_size
    )


def chunk_rng(seed, index):
    """The generator chunk ``index`` draws from: ``default_rng(chunk_seed(...))``.

    Examples
    --------
    >>> import numpy as np
    >>> seed = np.random.SeedSequence(7)
    >>> a = chunk_rng(seed, 1).random(2)
    >>> b = np.random.default_rng(np.random.SeedSequence(7).spawn(2)[1]).random(2)
    >>> bool((a == b).all())
    True
    """
    return np.random.default_rng(chunk_seed(seed, index))


def check_randomness(rng, scheduler, progress, owner):
    """Check ``rng`` (a Generator, or a SeedSequence) against ``scheduler``.

    A scheduler needs a ``SeedSequence``: a ``Generator`` is one stream that workers
    cannot share.  The progress bar is for runs in this process (dask's dashboard
    shows the progress of a distributed run).

    Examples
    --------
    >>> import numpy as np
    >>> check_randomness(np.random.SeedSequence(0), "threads", False, "demo").entropy
    0
    >>> check_randomness(np.random.default_rng(0), "threads", False, "demo")
    Traceback (most recent call last):
    ...
    TypeError: demo: with scheduler='threads' rng must be a numpy.random.SeedSequence (each chunk draws from a child of it), e.g. numpy.random.SeedSequence(0); got a Generator
    """  # noqa: E501
    if isinstance(rng, np.random.SeedSequence):
        pass
    elif scheduler is None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"{owner}: rng must be a numpy.random.Generator or a "
                f"numpy.random.SeedSequence (one stream per chunk), e.g. "
                f"numpy.random.default_rng(0); got {rng!r}"
            )
        return check_rng(rng, owner)
    else:
        got = "a Generator" if isinstance(rng, np.random.Generator) else repr(rng)
        raise TypeError(
            f"{owner}: with scheduler={scheduler!r} rng must be a "
            f"numpy.random.SeedSequence (each chunk draws from a child of it), e.g. "
            f"numpy.random.SeedSequence(0); got {got}"
        )
    if scheduler is not None:
        _check_scheduler(scheduler, owner)
        if progress:
            raise ValueError(
                f"{owner}: progress=True is for runs in this process; with a "
                f"scheduler, follow the run on dask's dashboard"
            )
    return rng


def _check_scheduler(scheduler, owner):
    if isinstance(scheduler, str):
        if scheduler not in LOCAL_SCHEDULERS:
            raise ValueError(
                f"{owner}: scheduler must be None (this process), a "
                f"distributed.Client or one of {LOCAL_SCHEDULERS}; got {scheduler!r}"
            )
        return
    # a Client is recognised by its class, so that distributed need not be imported
    kind = type(scheduler)
    if not (kind.__name__ == "Client" and kind.__module__.startswith("distributed")):
        raise TypeError(
            f"{owner}: scheduler must be None (this process), a distributed.Client "
            f"or one of {LOCAL_SCHEDULERS}; got {scheduler!r}"
        )


def lln_chunk(dist, seed, index, size, local):
    """Chunk ``index`` of the law of large numbers: draw it, reduce it (a dask task).

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Bernoulli
    >>> sums, total = lln_chunk(Bernoulli(1.0), np.random.SeedSequence(0), 3, 5,
    ...                         np.array([2, 5]))
    >>> sums.tolist(), int(total)
    ([2, 5], 5)
    """
    return chunk_sums(dist.draw(size, chunk_rng(seed, index)), local)


def clt_chunk(dist, seed, index, shape):
    """Chunk ``index`` of the central limit theorem: draw it, sum it (a dask task).

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Bernoulli
    >>> clt_chunk(Bernoulli(1.0), np.random.SeedSequence(0), 0, (2, 3)).tolist()
    [3, 3]
    """
    return block_sums(dist.draw(shape, chunk_rng(seed, index)))


def _seeded_draw(dist, rng):
    """``draw(shape)``: from ``rng`` if a Generator, else chunk k's stream at call k."""
    if isinstance(rng, np.random.Generator):
        return lambda shape: dist.draw(shape, rng)
    counter = itertools.count()
    return lambda shape: dist.draw(shape, chunk_rng(rng, next(counter)))


def _compute(func, calls, scheduler, owner):
    """``[func(*c) for c in calls]`` as dask tasks on ``scheduler``, in order."""
    try:
        import dask
    except ImportError as exc:  # optional: only runs with a scheduler need it
        raise ImportError(
            f"{owner}: scheduler={scheduler!r} needs dask (pip install "
            f"'symdiff[dask]'); leave scheduler=None to run in this process"
        ) from exc
    task = dask.delayed(func, pure=False)
    return dask.compute(*(task(*c) for c in calls), scheduler=scheduler)


def chunked_running_sums(dist, rng, n, checkpoints, chunk_size, progress, scheduler):
    """The running sums of ``law_of_large_numbers``: one stream or one per chunk.

    A ``Generator`` ``rng`` is one stream drawn here; a ``SeedSequence`` gives chunk
    ``i`` the stream :func:`chunk_rng` ``(rng, i)``, drawn here (``scheduler=None``)
    or as dask tasks, with the same result.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Poisson
    >>> from numeric.probability.sampling import ProgressBar
    >>> cps, seed = np.array([1, 10, 100]), np.random.SeedSequence(3)
    >>> sums = chunked_running_sums(Poisson(2.0), seed, 100, cps, 16,
    ...                             ProgressBar(100, False, "demo"), None)
    >>> kids = np.random.SeedSequence(3).spawn(7)  # 7 chunks: 6 of 16 draws, 1 of 4
    >>> draws = np.concatenate([Poisson(2.0).draw(16, np.random.default_rng(k))
    ...                         for k in kids])[:100]
    >>> bool((sums == np.cumsum(draws)[cps - 1]).all())
    True
    """
    if scheduler is None:
        draw = _seeded_draw(dist, rng)
        return running_sums(draw, n, checkpoints, chunk_size, progress)
    calls = [
        (dist, rng, i, size, local)
        for i, (size, local) in enumerate(chunk_grid(n, checkpoints, chunk_size))
    ]
    pieces = _compute(lln_chunk, calls, scheduler, "law_of_large_numbers")
    return accumulate_sums(pieces, checkpoints.shape[0])


def chunked_sums_of_draws(dist, rng, n, m, chunk_size, progress, scheduler):
    """The ``m`` sums of ``central_limit``: one stream or one per chunk.

    Chunks as in :func:`~numeric.probability.sampling.sum_grid`; seeding as in
    :func:`chunked_running_sums`.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.distributions import Exponential
    >>> from numeric.probability.sampling import ProgressBar
    >>> seed = np.random.SeedSequence(3)
    >>> sums = chunked_sums_of_draws(Exponential(), seed, 7, 10, 16,
    ...                              ProgressBar(70, False, "demo"), None)
    >>> kids = np.random.SeedSequence(3).spawn(5)  # 5 chunks of 2 rows of 7 draws
    >>> rows = [Exponential().draw((2, 7), np.random.default_rng(k)) for k in kids]
    >>> bool(np.allclose(sums, np.concatenate(rows).sum(axis=1), rtol=1e-14))
    True
    """
    if scheduler is None:
        draw = _seeded_draw(dist, rng)
        return sums_of_draws(draw, n, m, chunk_size, progress)
    calls = [
        (dist, rng, i, shape) for i, shape in enumerate(sum_grid(n, m, chunk_size))
    ]
    parts = _compute(clt_chunk, calls, scheduler, "central_limit")
    return assemble_sums(parts, n, m, chunk_size)
