"""The Richardson table over a window of steps, and the choice of its best entry.

The search keeps, per element and output, a window of up to ``WINDOW_STEPS``
successive steps of the ladder (largest first) with the stencil's value ``D``, its
rounding bound ``R`` and the derivative's scale ``S`` at each.  From them
:func:`best_entries` builds the Richardson table level by level (level ``w`` combines
``w`` neighbouring steps and cancels ``w - 1`` error terms), gives each entry an error
estimate (the Ridders differences to the two entries it was built from, plus its
rounding bound carried through the weights), and returns the best entry among the
*valid* ones, those whose steps passed a ratio test: successive differences of the
first column must shrink like those of a converging series, else the steps are still
too large for ``f``'s scale.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from numeric.calculus.tuning import MAX_LEVEL, SIGNAL_BOUNDS, STEP_RATIO

__all__ = ["Candidates", "best_entries"]


class Candidates(NamedTuple):
    """The best table entries of each (element, output), all arrays ``(N, M)``.

    ``best`` (a dict of the entry's value ``v``, truncation estimate ``tr``,
    rounding bound ``rr``, reported error ``rep``, scale ``S`` and ladder index of
    its smallest step ``kb``) is the valid entry with the smallest error estimate
    ``best_error`` (``inf`` where there is none), at window row ``best_row`` and
    level ``best_level``.  ``any_best`` (``v``, ``rep``, ``S``) and ``any_error``
    are the same over all entries, valid or not: a fallback while nothing is valid.
    """

    best_error: np.ndarray
    best: dict
    best_row: np.ndarray
    best_level: np.ndarray
    any_error: np.ndarray
    any_best: dict


@functools.cache
def _window_index(rows, level):
    """Rows of a table entry's window: the entry in row r uses steps lo..hi.

    The window of the level-w entry in row r is ``r - w + 1 .. r``, widened to three
    steps for w = 2 so that every accepted entry has passed at least one ratio test.
    """
    r = np.arange(rows)
    lo = r - level + 1
    hi = np.maximum(r, lo + 2)
    usable = (lo >= 0) & (hi < rows)
    return hi, usable, np.clip(lo, 0, rows - 2), np.clip(hi, 1, rows - 1)


def _ratio_test_failures(D, R, S, inwin, exps, relsig):
    """Cumulative count, down the window, of steps failing the ratio test.

    Three successive steps fail when their two differences are both signal (above
    the rounding and the relative floor) and their ratio is far from the one the
    leading error term predicts, or when any of the three values is not finite.
    """
    N, M = D.shape[1], D.shape[2]
    q1 = STEP_RATIO ** exps[:, 0]
    qlo = (q1 / 2.5)[None, :, None]
    qhi = (q1 * 5.5)[None, :, None]
    with np.errstate(all="ignore"):
        d = D[:-1] - D[1:]
        nb = R[:-1] + R[1:]
        sc = relsig * S[1:]
        sig = (np.abs(d) > np.maximum(SIGNAL_BOUNDS * nb, sc)) & np.isfinite(d)
        q = d[:-1] / d[1:]
    both = sig[:-1] & sig[1:]
    exists3 = inwin[2:, :, None] & np.ones((1, 1, M), dtype=bool)
    nonfin = ~np.isfinite(D[:-2]) | ~np.isfinite(D[1:-1]) | ~np.isfinite(D[2:])
    bad = exists3 & (nonfin | (both & ((q < qlo) | (q > qhi))))
    return np.concatenate(
        [np.zeros((1, N, M), dtype=np.int64), np.cumsum(bad, axis=0)], axis=0
    )


def _richardson_levels(D, R, S, width, exps, failures, relsig):
    """Levels 2.. of the table: values, truncation, rounding, error, valid, exists.

    Each is stacked to ``(levels, rows, N, M)``.
    """
    rows = D.shape[0]
    T, Rr = [D], [R]
    out = {k: [] for k in ("tw", "tr", "rw", "e", "valid", "exists")}
    for w in range(2, min(MAX_LEVEL, rows) + 1):
        qw = (STEP_RATIO ** exps[:, w - 2] - 1.0)[None, :, None]
        Tp, Rp = T[-1], Rr[-1]
        Tw = np.full_like(D, np.nan)
        Rw = np.full_like(D, np.inf)
        rid = np.full_like(D, np.nan)
        with np.errstate(all="ignore"):
            Tw[1:] = Tp[1:] + (Tp[1:] - Tp[:-1]) / qw
            Rw[1:] = Rp[1:] * (1.0 + 1.0 / qw) + Rp[:-1] / qw
            tr = np.abs(Tw - Tp)
            rid[1:] = np.abs(Tw[1:] - Tp[:-1])
            rid = np.maximum(tr, rid)
            e = rid + Rw
        hi, usable, lo_c, hi_c = _window_index(rows, w)
        exists = (
            usable[:, None, None]
            & (hi[:, None] < width[None, :])[:, :, None]
            & np.isfinite(e)
        )
        valid = exists & (failures[hi_c - 1] - failures[lo_c] == 0)
        if w >= 3:
            # A level must still gain on the one before, unless it is at rounding.
            with np.errstate(invalid="ignore"):
                prev_tr = np.abs(T[-1] - T[-2])
                valid &= (
                    (tr <= 0.5 * prev_tr)
                    | (tr <= SIGNAL_BOUNDS * Rw)
                    | (tr <= relsig * S)
                )
        for key, arr in zip(
            ("tw", "tr", "rw", "e", "valid", "exists"),
            (Tw, tr, Rw, e, valid, exists),
            strict=True,
        ):
            out[key].append(arr)
        T.append(Tw)
        Rr.append(Rw)
    return {k: np.stack(v) for k, v in out.items()}


def _noise_floor(levels, has, best_row, best_level, width, steps):
    """Noise seen at the next smaller steps, scaled back to the chosen step.

    A lucky small difference at the chosen entry must not hide it.
    """
    rows, N, M = steps.shape[0], *has.shape
    nn = np.arange(N)[:, None]
    mm = np.arange(M)[None, :]
    noise = np.zeros((N, M))
    for extra in (1, 2):
        lb = np.minimum(best_row + extra, rows - 1)
        okk = has & (best_row + extra < width[:, None]) & (best_row + extra < rows)
        ev = levels["e"][np.maximum(best_level - 2, 0), lb, nn, mm]
        ratio = steps[lb, nn] / steps[np.maximum(best_row, 0), nn]
        with np.errstate(invalid="ignore"):
            val = np.where(okk & np.isfinite(ev), ev * ratio, 0.0)
        noise = np.maximum(noise, val)
    return noise


def best_entries(D, R, S, steps, width, top_index, exps, relsig):
    """The best valid and the best overall table entry of each (element, output).

    Parameters
    ----------
    D, R, S : numpy.ndarray
        The window's stencil values, rounding bounds and scales, ``(rows, N, M)``,
        row 0 holding the largest step.
    steps : numpy.ndarray
        The window's step lengths, ``(rows, N)``.
    width : numpy.ndarray
        How many rows of each element's window are filled, ``(N,)``.
    top_index : numpy.ndarray
        Ladder index of each window's row 0, ``(N,)``.
    exps : numpy.ndarray
        The exponents of the error series of each element's stencil,
        ``(N, MAX_LEVEL)``.
    relsig : float
        Relative floor below which a difference is not signal.

    Returns
    -------
    Candidates
    """
    rows, N, M = D.shape
    inwin = np.arange(rows)[:, None] < width[None, :]
    failures = _ratio_test_failures(D, R, S, inwin, exps, relsig)
    levels = _richardson_levels(D, R, S, width, exps, failures, relsig)
    flat = {k: v.reshape(-1, N, M) for k, v in levels.items()}
    nn = np.arange(N)[:, None]
    mm = np.arange(M)[None, :]
    pick = np.argmin(np.where(flat["valid"], flat["e"], np.inf), axis=0)
    pick_all = np.argmin(np.where(flat["exists"], flat["e"], np.inf), axis=0)
    has = flat["valid"][pick, nn, mm]
    has_all = flat["exists"][pick_all, nn, mm]
    best_e = np.where(has, flat["e"][pick, nn, mm], np.inf)
    all_e = np.where(has_all, flat["e"][pick_all, nn, mm], np.inf)
    wsel = pick // rows + 2
    lsel = pick % rows
    best = {
        "v": np.where(has, flat["tw"][pick, nn, mm], np.nan),
        "tr": np.where(has, flat["tr"][pick, nn, mm], np.nan),
        "rr": np.where(has, flat["rw"][pick, nn, mm], np.nan),
        "rep": best_e.copy(),
        "S": np.where(has, S[lsel, nn, mm], np.nan),
        "kb": np.where(has, top_index[:, None] + lsel, np.nan),
    }
    best_row = np.where(has, lsel, -1)
    best_level = np.where(has, wsel, 0)
    lall = pick_all % rows
    any_best = {
        "v": np.where(has_all, flat["tw"][pick_all, nn, mm], np.nan),
        "rep": all_e.copy(),
        "S": np.where(has_all, S[lall, nn, mm], np.nan),
    }
    noise = _noise_floor(levels, has, best_row, best_level, width, steps)
    best["rep"] = np.where(has, np.maximum(best["rep"], noise), best["rep"])
    return Candidates(best_e, best, best_row, best_level, all_e, any_best)
