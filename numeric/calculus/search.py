"""The adaptive step search behind :func:`numeric.derivative` and its relatives.

The search walks a geometric ladder of steps ``h_k = h_0 / r**k`` (ratio
``r = STEP_RATIO``), evaluates a difference stencil at each step (its base class
:class:`numeric.calculus.sampling.StencilSampler`), and keeps a window of successive
steps (:class:`numeric.calculus.windows.StepWindows`) from which
:func:`numeric.calculus.tableau.best_entries` builds a Richardson table.  Each round
it extends the window towards smaller steps while truncation dominates and towards
larger ones while rounding does, jumps when the steps are far off, and stops once the
best entry is good to about 1e-11, stops improving, or the evaluation budget is
spent.  Steps start from the scale :func:`numeric.calculus.stencils.step_scale`.
Where ``f`` is not finite on one side of ``x`` (``log`` or ``sqrt`` at a domain edge)
the search retries below ``|x| / 4`` and then switches to a one-sided stencil.

All of this runs vectorised over N elements (the entries of ``x``, or its coordinates)
with M outputs each (the entries of ``f(x)``); an element's next move follows the
output that is furthest from done.
"""

from __future__ import annotations

import math

import numpy as np

from numeric.calculus.sampling import StencilSampler, modes_present
from numeric.calculus.stencils import CENTRAL
from numeric.calculus.tableau import Candidates, best_entries
from numeric.calculus.tuning import (
    CONVERGED_REL,
    ERROR_SAFETY,
    FAR_OFF_REL,
    GROW_JUMP_MAX,
    GROW_JUMP_MIN,
    IMPROVEMENT,
    JUMP_DOWN_LEVELS,
    MAX_EVALUATIONS,
    MAX_LEVEL,
    MAX_STEP_LOG2,
    MIN_STEP_REL,
    PATIENCE,
    SIGNAL_REL,
    START_STEPS,
    STEP_RATIO,
    STOP_REL,
)
from numeric.calculus.windows import StepWindows

__all__ = ["StepSearch"]

# What an element does next.
_STOP, _SHRINK, _GROW, _JUMP_DOWN, _JUMP_UP = range(5)


class StepSearch(StencilSampler):
    """Vectorised adaptive Richardson search over N elements with M outputs each.

    Parameters
    ----------
    evaluator : ElementwiseEvaluator or CoordinateEvaluator
        Gives ``f`` at shifted points (see :mod:`numeric.calculus.evaluators`).
    x : numpy.ndarray
        The abscissae, float64 and flat (N of them).
    n, order : int
        Which derivative, and the order of accuracy of the base stencil.
    mode : int
        ``CENTRAL``, ``FORWARD`` or ``BACKWARD`` (from ``stencils``).
    eps_f : float
        Machine epsilon of the dtype in which ``f`` is evaluated.
    allow_switch : bool
        Whether a central search may turn one-sided where ``f`` is not finite.
    outputs : int, default 1
        M, the number of values ``f`` returns.
    f0 : numpy.ndarray, optional
        ``f(x)`` already known, shape ``(N, M)``.
    maxfev : int, default MAX_EVALUATIONS
        Evaluation budget per element.
    maxiter : int, optional
        Cap on the rounds of the search (each round adds one step or restarts a
        window); elements still searching then end without success.
    atol, rtol : float, optional
        A user's target: an element is done once its reported error is at most
        ``atol + rtol * |value|`` (instead of the built-in relative accuracy).

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.calculus.evaluators import ElementwiseEvaluator
    >>> x = np.array([0.0, 1.0])
    >>> ev = ElementwiseEvaluator(np.exp, x, np.float64, "derivative", (2,))
    >>> value, error, nfev, success = StepSearch(ev, x, 1, 2, 0, 2.0**-52,
    ...                                          allow_switch=True).run()
    >>> np.allclose(value[:, 0], np.exp(x), rtol=1e-12), success[:, 0].tolist()
    (True, [True, True])
    """

    def __init__(
        self,
        evaluator,
        x,
        n,
        order,
        mode,
        eps_f,
        *,
        allow_switch,
        outputs=1,
        f0=None,
        maxfev=MAX_EVALUATIONS,
        maxiter=None,
        atol=None,
        rtol=None,
    ):
        super().__init__(evaluator, x, n, order, mode, eps_f, outputs=outputs, f0=f0)
        # The relative thresholds are tuned for float64; a function computed in
        # float32 cannot reach them, so they follow its precision.
        self.signal_rel = max(SIGNAL_REL, 100.0 * eps_f)
        self.stop_rel = max(STOP_REL, eps_f**0.8)
        self.converged_rel = max(CONVERGED_REL, math.sqrt(eps_f))
        self.far_off_rel = max(FAR_OFF_REL, eps_f**0.25)
        self.maxfev = maxfev
        self.maxiter = maxiter
        # A user's target replaces the built-in stopping accuracy (scipy's rule).
        self.targeted = atol is not None or rtol is not None
        self.atol = 0.0 if atol is None else atol
        if rtol is not None:
            self.stop_rel = rtol
        self.out_of_rounds = np.zeros(self.N, dtype=bool)
        self.allow_switch = allow_switch
        self.initial_mode = mode
        self._ladder_limits()

    def _ladder_limits(self):
        """Ladder indices of the largest (k_min) and smallest (k_max) steps allowed."""
        x = self.x
        lr = math.log(STEP_RATIO)
        hmax = 2.0**MAX_STEP_LOG2 * np.maximum(np.abs(x), 1.0)
        log_hmin = np.log(np.where(x != 0, np.abs(x), self.scale)) + math.log(
            MIN_STEP_REL
        )
        self.k_min = -np.floor(np.log(hmax / self.first_step) / lr).astype(np.int64)
        self.k_max = np.floor((np.log(self.first_step) - log_hmin) / lr).astype(
            np.int64
        )

    # -- table --------------------------------------------------------------

    def _candidates(self, idx):
        """Best valid and best overall table entry of each (element, output) in idx."""
        win = self.windows
        width = win.width[idx]
        # Rows beyond the longest window hold nothing; leaving them out saves work.
        rows = max(int(width.max()), 3)
        modes = self.mode[idx]
        exps = np.empty((idx.size, MAX_LEVEL))
        for m in modes_present(modes):
            exps[modes == m] = self.exponents(m)
        return best_entries(
            win.d[:rows, idx],
            win.r[:rows, idx],
            win.s[:rows, idx],
            win.h[:rows, idx],
            width,
            win.k_top[idx],
            exps,
            self.signal_rel,
        )

    # -- window bookkeeping -------------------------------------------------

    def _restart(self, idx, kstart):
        """Start fresh windows of START_STEPS steps at ladder index kstart."""
        self.windows.clear(idx, kstart)
        for _ in range(START_STEPS):
            self._extend_down(idx)

    def _extend_down(self, idx):
        """Add the next smaller step; a full window drops its largest one."""
        if idx.size == 0:
            return
        k = self.windows.next_smaller(idx)
        D, R, S, H, side = self.at_ladder(idx, k)
        self.windows.append_smaller(idx, D, R, S, H)
        self._note_sides(idx, side)

    def _extend_up(self, idx):
        """Add the next larger step; a full window drops its smallest one."""
        if idx.size == 0:
            return
        k = self.windows.next_larger(idx)
        D, R, S, H, side = self.at_ladder(idx, k)
        self.windows.prepend_larger(idx, D, R, S, H)
        self._note_sides(idx, side)

    def _note_sides(self, idx, side):
        hit = side != 0
        self.side_hit[idx[hit]] = side[hit]
        self.side_last[idx[hit]] = side[hit]

    # -- driver -------------------------------------------------------------

    def _start(self):
        """Allocate the windows and the running best, and evaluate the first steps."""
        N, M = self.N, self.M
        self.windows = StepWindows(N, M)
        self.side_hit = np.zeros(N, dtype=np.int64)
        self.switched = np.zeros(N, dtype=bool)
        self.retried = np.zeros(N, dtype=bool)
        self.side_last = np.zeros(N, dtype=np.int64)
        keys = ("v", "rep", "e", "S", "tr", "rr", "kb")
        self.chosen = {k: np.full((N, M), np.nan) for k in keys}
        self.chosen_valid = np.zeros((N, M), dtype=bool)
        self.chosen_any = np.zeros((N, M), dtype=bool)
        self.least_any_error = np.full((N, M), np.inf)
        self.stall = np.zeros((N, M), dtype=np.int64)
        self.ended_badly = np.zeros(N, dtype=bool)
        self.active = np.ones(N, dtype=bool)
        self._restart(np.arange(N), np.zeros(N, dtype=np.int64))

    def run(self):
        """Search until every element stops.

        Returns
        -------
        value, error, nfev, success
            ``(N, M)`` values and reported errors, ``(N,)`` evaluations, ``(N, M)``
            success flags.
        """
        self._start()
        rounds = 10_000 if self.maxiter is None else self.maxiter
        for it in range(rounds):  # each round adds steps; the caps end it long before
            idx = np.nonzero(self.active)[0]
            if idx.size == 0:
                break
            if self.allow_switch:
                self._switch_if_one_sided()
            found = self._scatter(idx, self._candidates(idx))
            self._keep_best(found)
            act, jump = self._decide(found)
            moves, jumps = self._element_moves(act, jump)
            if it + 1 < rounds:  # the last round's steps would never be read
                self._apply(moves, jumps)
        # Still searching when the rounds ran out (maxiter): no success.
        self.out_of_rounds = self.active.copy()
        self.ended_badly |= self.active
        self.active[:] = False
        chosen = self.chosen
        value = chosen["v"]
        err = ERROR_SAFETY * chosen["rep"]
        success = (
            self.chosen_valid
            & ~self.ended_badly[:, None]
            & np.isfinite(value)
            & np.isfinite(err)
        )
        err = np.where(np.isfinite(value), err, np.inf)
        return value, err, self.nfev, success

    def smallest_steps(self, count):
        """Per element, the ``count`` smallest steps of the chosen entry's window.

        The best entry of element i used steps up to ladder index ``kb``; these are
        the steps at ``kb - count + 1 .. kb`` (cached already for windows that long).
        """
        kb = np.nan_to_num(self.chosen["kb"][:, 0], nan=0).astype(np.int64)
        levels = np.arange(1 - count, 1)
        return [
            self.first_step[i] * STEP_RATIO ** -(kb[i] + levels) for i in range(self.N)
        ]

    def _switch_if_one_sided(self):
        """One-sided fallback: f is not finite on one side and nothing valid yet."""
        to_switch = (
            self.active
            & (self.side_hit != 0)
            & ~self.switched
            & (self.mode == CENTRAL)
            & ~self.chosen_valid.any(axis=1)
        )
        if np.any(to_switch):
            self._one_sided(np.nonzero(to_switch)[0])

    def _keep_best(self, found):
        """Fold this round's candidates into the running best; count stalled rounds."""
        chosen = self.chosen
        best_e, all_e = found.best_error, found.any_error
        has_best = np.isfinite(best_e)
        has_all = np.isfinite(all_e)
        improved = (
            has_best & (~self.chosen_valid | (best_e < IMPROVEMENT * chosen["e"]))
        ) | (has_all & (all_e < IMPROVEMENT * self.least_any_error))
        take = has_best & (~self.chosen_valid | ~(best_e >= chosen["e"]))
        take_all = ~has_best & has_all & ~self.chosen_valid & ~(all_e >= chosen["e"])
        for key in ("v", "rep", "S", "tr", "rr", "kb"):
            chosen[key] = np.where(take, found.best[key], chosen[key])
        chosen["e"] = np.where(take, best_e, chosen["e"])
        for key in ("v", "rep", "S"):
            chosen[key] = np.where(take_all, found.any_best[key], chosen[key])
        chosen["e"] = np.where(take_all, all_e, chosen["e"])
        self.chosen_valid |= take
        self.chosen_any |= take | take_all
        self.least_any_error = np.minimum(self.least_any_error, all_e)
        # Far-off entries are no progress to wait for: they do not count as a stall.
        far_off = ~self.chosen_any | ~(chosen["e"] <= self.far_off_rel * chosen["S"])
        self.stall = np.where(improved | far_off, 0, self.stall + 1)

    def _element_moves(self, act, jump):
        """One move per element: that of its output furthest from done."""
        N, chosen, active = self.N, self.chosen, self.active
        need = np.where(
            np.isfinite(chosen["e"]) & np.isfinite(chosen["S"]), chosen["e"], np.inf
        )
        need = need / np.where(chosen["S"] > 0, chosen["S"], 1.0)
        need = np.where(act == _STOP, -1.0, need)
        pick = np.argmax(need, axis=1)
        moves = act[np.arange(N), pick]
        jumps = jump[np.arange(N), pick]
        moves = np.where(active, moves, _STOP)
        over = self.nfev >= self.maxfev
        self.ended_badly |= active & over
        moves = np.where(over, _STOP, moves)
        # Running out of ladder while still looking for an asymptotic regime.
        nothing = active & (moves == _STOP) & ~self.chosen_valid.any(axis=1)
        self.ended_badly |= nothing
        self.active &= moves != _STOP
        return moves, jumps

    def _scatter(self, idx, found):
        """Spread the candidates of the active elements idx over all N elements."""
        N, M = self.N, self.M
        if idx.size == N:
            return found

        def full(arr, fill):
            out = np.full((N, M), fill, dtype=arr.dtype)
            out[idx] = arr
            return out

        return Candidates(
            full(found.best_error, np.inf),
            {k: full(v, np.nan) for k, v in found.best.items()},
            full(found.best_row, -1),
            full(found.best_level, 0),
            full(found.any_error, np.inf),
            {k: full(v, np.nan) for k, v in found.any_best.items()},
        )

    def _one_sided(self, elements):
        """React to f being finite on one side only of x, before anything valid.

        Steps longer than |x| / 4 may have crossed a singularity at 0 (log, sqrt):
        first retry central differences below that.  Otherwise, or if that fails
        too, continue with a one-sided stencil on the finite side.
        """
        self.side_hit[elements] = 0
        ax = np.abs(self.x[elements])
        htop = self.first_step[elements] * STEP_RATIO ** (
            -self.windows.k_top[elements].astype(np.float64)
        )
        retry = ~self.retried[elements] & (ax > 0) & (htop > ax / 4)
        retrying = elements[retry]
        if retrying.size:
            self.retried[retrying] = True
            k = np.ceil(
                np.log(4 * self.first_step[retrying] / ax[retry]) / math.log(STEP_RATIO)
            )
            self._restart(retrying, k.astype(np.int64))
        switching = elements[~retry]
        if switching.size == 0:
            return
        self.ensure_f0(switching)
        switching = switching[np.isfinite(self.f0[switching]).all(axis=1)]
        if switching.size:
            self.mode[switching] = self.side_last[switching]
            self.switched[switching] = True
            self._restart(switching, np.maximum(self.windows.k_top[switching], 0))

    def _decide(self, found):
        """The move each (element, output) wants, and the size of upward jumps."""
        N, M = self.N, self.M
        act = np.full((N, M), _STOP, dtype=np.int64)
        width = self.windows.width[:, None]
        k_top = self.windows.k_top[:, None]
        k_bottom = k_top + width - 1
        stalled = self.stall > PATIENCE
        has_best = np.isfinite(found.best_error)
        # No valid entry yet: the steps are too large (or f is undefined there).
        jump_down = (
            ~has_best
            & ~stalled
            & (k_bottom + JUMP_DOWN_LEVELS + START_STEPS <= self.k_max[:, None])
        )
        act = np.where(jump_down, _JUMP_DOWN, act)
        v, e = found.best["v"], found.best_error
        tr, rr = found.best["tr"], found.best["rr"]
        with np.errstate(invalid="ignore"):
            # Done when good enough, or when the table agrees exactly (a zero or
            # linear derivative): more steps would only shrink the rounding bound.
            # (Only while rounding is small against the value, or the value is
            # exactly 0: else larger steps still gain.)
            small_r = (rr <= self.stop_rel * np.abs(v)) | (v == 0)
            goal = self.atol + self.stop_rel * np.abs(v)
            if self.targeted:
                # The target is on the error reported to the user, not the
                # table's internal estimate; no early stop on agreement alone.
                rep = ERROR_SAFETY * found.best["rep"]
                done = has_best & (np.maximum(e, rep) <= goal)
            else:
                done = has_best & ((e <= goal) | ((e <= rr) & small_r))
            top = found.best_row - found.best_level + 1
            trunc = tr > rr
            shrink = (
                has_best
                & ~done
                & ~stalled
                & trunc
                & ((found.best_row == width - 1) | (e > self.converged_rel * np.abs(v)))
                & (k_bottom < self.k_max[:, None])
            )
            grow = has_best & ~done & ~stalled & ~trunc & (top == 0)
            grow &= k_top > self.k_min[:, None]
        act = np.where(shrink, _SHRINK, act)
        act, jump = self._grow_moves(act, grow, found.best_level, tr, rr)
        act = np.where(self.active[:, None], act, _STOP)
        return act, jump

    def _grow_moves(self, act, grow, level, tr, rr):
        """Grow by one step, or jump to where rounding and truncation balance."""
        jump = np.zeros(act.shape, dtype=np.int64)
        if not np.any(grow):
            return act, jump
        w = np.maximum(level, 1)
        with np.errstate(all="ignore"):
            fac = (rr / (2 * w * tr)) ** (1.0 / (2 * w + 1))
            J = np.where(
                tr > 0, np.round(np.log(fac) / math.log(STEP_RATIO)), GROW_JUMP_MAX
            )
        J = np.clip(np.nan_to_num(J, nan=1.0), 1, GROW_JUMP_MAX).astype(np.int64)
        J = np.minimum(J, (self.windows.k_top[:, None] - self.k_min[:, None]))
        big = J > GROW_JUMP_MIN
        act = np.where(grow & ~big, _GROW, act)
        act = np.where(grow & big, _JUMP_UP, act)
        jump = np.where(grow & big, J, jump)
        return act, jump

    def _apply(self, moves, jumps):
        """Carry out each element's move: slide, or restart its window elsewhere."""
        self._extend_down(np.nonzero(moves == _SHRINK)[0])
        self._extend_up(np.nonzero(moves == _GROW)[0])
        win = self.windows
        down = np.nonzero(moves == _JUMP_DOWN)[0]
        if down.size:
            self._restart(
                down, win.k_top[down] + win.width[down] - 1 + JUMP_DOWN_LEVELS
            )
        up = np.nonzero(moves == _JUMP_UP)[0]
        if up.size:
            start = win.k_top[up] - jumps[up] - START_STEPS + 2
            start = np.maximum(start, self.k_min[up])
            self._restart(up, start)
