"""The window of successive ladder steps that the step search keeps per element.

Row 0 holds an element's largest step (ladder index ``k_top``), row ``width - 1``
its smallest; each row has the stencil's values ``D``, rounding bounds ``R`` and
scales ``S`` (per output) and the step length ``h``.  The search slides the window
towards smaller or larger steps, or clears it to jump.
"""

from __future__ import annotations

import numpy as np

from numeric.calculus.tuning import WINDOW_STEPS

__all__ = ["StepWindows"]


class StepWindows:
    """Windows of up to ``WINDOW_STEPS`` steps for N elements with M outputs.

    Examples
    --------
    >>> import numpy as np
    >>> win = StepWindows(1, 1)
    >>> idx = np.array([0])
    >>> win.clear(idx, 3)
    >>> win.append_smaller(idx, [[1.0]], [[0.0]], [[1.0]], [0.5])
    >>> int(win.k_top[0]), int(win.width[0]), win.h[0].tolist()
    (3, 1, [0.5])
    """

    def __init__(self, N, M):
        L = WINDOW_STEPS
        self.d = np.full((L, N, M), np.nan)
        self.r = np.full((L, N, M), np.inf)
        self.s = np.full((L, N, M), np.nan)
        self.h = np.zeros((L, N))
        self.k_top = np.zeros(N, dtype=np.int64)
        self.width = np.zeros(N, dtype=np.int64)

    def _arrays(self):
        return (self.d, self.r, self.s, self.h)

    def _store(self, idx, slot, D, R, S, H):
        self.d[slot, idx] = D
        self.r[slot, idx] = R
        self.s[slot, idx] = S
        self.h[slot, idx] = H

    def clear(self, idx, kstart):
        """Empty the windows of elements idx; their next step is at index kstart."""
        self.d[:, idx] = np.nan
        self.r[:, idx] = np.inf
        self.s[:, idx] = np.nan
        self.h[:, idx] = 0.0
        self.k_top[idx] = kstart
        self.width[idx] = 0

    def next_smaller(self, idx):
        """Ladder index of the next smaller step; a full window drops its largest."""
        full = self.width[idx] >= WINDOW_STEPS
        if np.any(full):
            fi = idx[full]
            for arr in self._arrays():
                arr[:, fi] = np.roll(arr[:, fi], -1, axis=0)
            self.k_top[fi] += 1
            self.width[fi] -= 1
        return self.k_top[idx] + self.width[idx]

    def append_smaller(self, idx, D, R, S, H):
        """Store the step that next_smaller named below the window's last row."""
        self._store(idx, self.width[idx], D, R, S, H)
        self.width[idx] += 1

    def next_larger(self, idx):
        """Make row 0 free for the next larger step (a full window drops its
        smallest) and return that step's ladder index.
        """
        for arr in self._arrays():
            arr[:, idx] = np.roll(arr[:, idx], 1, axis=0)
        self.width[idx] = np.minimum(self.width[idx] + 1, WINDOW_STEPS)
        self.k_top[idx] -= 1
        return self.k_top[idx]

    def prepend_larger(self, idx, D, R, S, H):
        """Store the step that next_larger named in row 0."""
        self._store(idx, np.zeros(idx.size, dtype=np.int64), D, R, S, H)
