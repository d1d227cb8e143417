"""Difference stencils of ``f`` at chosen steps, for N elements at once.

:class:`StencilSampler` is the evaluating half of the step search: given steps (or
ladder indices ``k``, for steps ``h_k = h_0 / STEP_RATIO**k``) it places each
element's stencil so that ``x +- h`` is exact in ``f``'s dtype, calls ``f`` through an
evaluator, counts the evaluations, and returns the difference quotients with their
rounding bounds.  The search (:class:`numeric.calculus.search.StepSearch`) decides
which steps to ask for.
"""

from __future__ import annotations

import numpy as np

from numeric.calculus.noise import (
    PROBE_POINTS,
    PROBE_WIDEN,
    noise_from_values,
    probe_step,
    quantum,
    resolution_floor,
)
from numeric.calculus.stencils import (
    CENTRAL,
    apply_stencil,
    difference_stencil,
    step_scale,
)
from numeric.calculus.tuning import (
    ERROR_SAFETY,
    FIRST_STEP_FRACTION,
    MAX_LEVEL,
    NOISE_BOUNDS,
    NOISE_MODEL_FACTOR,
    STEP_RATIO,
)

__all__ = ["StencilSampler", "modes_present"]


def modes_present(modes):
    """The distinct stencil modes in ``modes`` (usually just one).

    Examples
    --------
    >>> import numpy as np
    >>> modes_present(np.array([0, 0])), modes_present(np.array([1, 0, 1]))
    ([0], [0, 1])
    """
    first = modes[0]
    if np.all(modes == first):
        return [int(first)]
    return [int(m) for m in np.unique(modes)]


class StencilSampler:
    """Evaluates the difference stencil of each of N elements at given steps.

    Parameters
    ----------
    evaluator : ElementwiseEvaluator or CoordinateEvaluator
        Gives ``f`` at shifted points (see :mod:`numeric.calculus.evaluators`).
    x : numpy.ndarray
        The abscissae, float64 and flat (N of them).
    n, order : int
        Which derivative, and the order of accuracy of the stencil.
    mode : int
        ``CENTRAL``, ``FORWARD`` or ``BACKWARD`` (from ``stencils``), for all
        elements at first; a search may switch single elements later.
    eps_f : float
        Machine epsilon of the dtype in which ``f`` is evaluated.
    outputs : int, default 1
        M, the number of values ``f`` returns.
    f0 : numpy.ndarray, optional
        ``f(x)`` already known, shape ``(N, M)``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.calculus.evaluators import ElementwiseEvaluator
    >>> x = np.array([1.0])
    >>> ev = ElementwiseEvaluator(np.square, x, np.float64, "derivative", (1,))
    >>> value, _ = StencilSampler(ev, x, 1, 2, 0, 2.0**-52).fixed_step(
    ...     np.array([0.5]), False)
    >>> value.tolist()
    [[2.0]]
    """

    def __init__(self, evaluator, x, n, order, mode, eps_f, *, outputs=1, f0=None):
        self.evaluate = evaluator
        self.x = x
        self.N = x.size
        self.M = outputs
        self.n = n
        self.order = order
        self.eps_f = eps_f
        self.dtype = evaluator.dtype
        self.mode = np.full(self.N, mode, dtype=np.int64)
        self.scale = step_scale(x)
        self.first_step = 2.0 ** np.floor(np.log2(self.scale)) * FIRST_STEP_FRACTION
        self.nfev = np.zeros(self.N, dtype=np.int64)
        self.f0 = f0
        self.have_f0 = np.full(self.N, f0 is not None)
        # Measured noise (standard deviation) of f near each x, per output; 0 until
        # measure_noise runs, when only the eps (|f| + |x f'|) model bounds rounding.
        self.noise = np.zeros((self.N, self.M))
        # The coarsest power of two dividing every difference of f seen, and the
        # largest |f| seen: f computed as a + g - a moves in multiples of ulp(a),
        # which flags it for a noise measurement at no cost (see suspect_noise).
        self.quanta = np.full((self.N, self.M), np.inf)
        self.fmag = np.zeros((self.N, self.M))

    def _note_quanta(self, ii, vals, ok):
        with np.errstate(invalid="ignore"):
            seen = quantum(np.where(ok[None, :, None], vals - vals[:1], np.nan))
            self.quanta[ii] = np.minimum(
                self.quanta[ii], np.where(seen > 0, seen, np.inf)
            )
            big = np.where(ok[None, :, None], np.abs(vals), 0.0).max(axis=0)
            self.fmag[ii] = np.fmax(self.fmag[ii], big)

    def suspect_noise(self):
        """Where f's differences come in quanta coarser than rounding of |f|, ``(N,)``.

        A hint only (round numbers trigger it too): it decides where the noise is
        worth measuring.
        """
        q = np.where(np.isfinite(self.quanta), self.quanta, 0.0)
        model = NOISE_MODEL_FACTOR * self.eps_f * self.fmag
        return (q / 12**0.5 > model).any(axis=1)

    def beyond_model(self):
        """Where the measured noise exceeds the ``eps |f|`` model, ``(N, M)``."""
        if self.f0 is None:
            return np.zeros((self.N, self.M), dtype=bool)
        with np.errstate(invalid="ignore"):
            model = NOISE_MODEL_FACTOR * self.eps_f * np.abs(self.f0)
            return self.noise > np.where(np.isfinite(model), model, np.inf)

    def measure_noise(self, idx):
        """Measure the noise of f near x for elements idx (PROBE_POINTS - 1 calls).

        The probe is a difference table at ``x + j * delta`` (forward, or backward
        where f is not finite ahead; a one-sided search probes its own side only);
        see :mod:`numeric.calculus.noise`.
        """
        if idx.size == 0:
            return
        self.ensure_f0(idx)
        x = self.x[idx]
        delta = probe_step(x, self.scale[idx], self.eps_f, self.dtype)
        sigma, flat = self._probe(idx, x, delta)
        # A probe f did not resolve at all (every value equal) is either a flat f
        # or one quantized more coarsely than the probe: look once more, wider.
        again = np.nonzero(flat)[0]
        if again.size:
            wide = probe_step(x[again], PROBE_WIDEN * delta[again], 1.0, self.dtype)
            sigma[again], flat_again = self._probe(idx[again], x[again], wide)
            # Constant over a wide region (a loss that rounds to exactly 0): what
            # f cannot show is at least the rounding of intermediates of x's size.
            still = again[flat_again]
            reach = np.maximum(np.abs(x[still]), self.scale[idx[still]])
            sigma[still] = np.fmax(
                sigma[still], (self.eps_f * reach / 12**0.5)[:, None]
            )
        self.noise[idx] = np.where(np.isfinite(sigma), sigma, 0.0)

    def _probe(self, idx, x, delta):
        """Noise from PROBE_POINTS values at spacing delta, and where all are equal."""
        sigma = np.full((idx.size, self.M), np.nan)
        flat = np.zeros(idx.size, dtype=bool)
        for sign in (1.0, -1.0):
            # A one-sided search never looks behind it: f may be undefined there.
            own_side = self.mode[idx] != -int(sign)
            todo = np.nonzero(np.isnan(sigma).any(axis=1) & (delta > 0) & own_side)[0]
            if todo.size == 0:
                break
            vals = [self.f0[idx[todo]]]
            for j in range(1, PROBE_POINTS):
                p = (x[todo] + sign * j * delta[todo]).astype(self.dtype)
                vals.append(self.evaluate(idx[todo], p))
                self.nfev[idx[todo]] += 1
            vals = np.stack(vals)
            found = np.fmax(noise_from_values(vals), resolution_floor(vals, self.eps_f))
            sigma[todo] = np.where(np.isnan(sigma[todo]), found, sigma[todo])
            flat[todo] = (vals == vals[:1]).all(axis=(0, 2))
        return sigma, flat

    def ensure_f0(self, idx):
        idx = idx[~self.have_f0[idx]]
        if idx.size == 0:
            return
        pts = self.x[idx].astype(self.dtype)
        vals = self.evaluate(idx, pts)
        if self.f0 is None:
            self.f0 = np.full((self.N, self.M), np.nan)
        self.f0[idx] = vals
        self.have_f0[idx] = True
        self.nfev[idx] += 1

    def at_ladder(self, idx, ks):
        """The stencil of elements idx at ladder indices ks (see at_steps)."""
        h = self.first_step[idx] * STEP_RATIO ** (-np.asarray(ks, dtype=np.float64))
        return self.at_steps(idx, h)

    def at_steps(self, idx, hstep):
        """D, rounding bound, scale, |step| and one-sidedness at nominal steps hstep.

        The one-sidedness is +1 where only the positive side of a central stencil was
        finite, -1 where only the negative side was, 0 otherwise.
        """
        M = self.M
        D = np.full((idx.size, M), np.nan)
        R = np.full((idx.size, M), np.inf)
        S = np.full((idx.size, M), np.nan)
        H = np.zeros(idx.size)
        one_sided = np.zeros(idx.size, dtype=np.int64)
        for mode in modes_present(self.mode[idx]):
            sel = np.nonzero(self.mode[idx] == mode)[0]
            d, rnd, scale, ho, side = self._evaluate_mode(idx[sel], mode, hstep[sel])
            D[sel], R[sel], S[sel], H[sel] = d, rnd, scale, ho
            if mode == CENTRAL:
                one_sided[sel] = side
        return D, R, S, H, one_sided

    def _stencil_values(self, ii, offs, x, hs, ok):
        """f at x + j * hs for the offsets j: values and the points as evaluated."""
        vals = np.zeros((len(offs), ii.size, self.M))
        pos = np.zeros((len(offs), ii.size))
        if np.any(offs == 0):
            self.ensure_f0(ii)
        for a, j in enumerate(offs):
            if j == 0:
                vals[a] = self.f0[ii]
                pos[a] = x
                continue
            p = x + j * hs  # exact for j = +-1 by the choice of the step
            p = p.astype(self.dtype)
            pos[a] = p.astype(np.float64)
            v = np.full((ii.size, self.M), np.nan)
            if np.any(ok):
                v[ok] = self.evaluate(ii[ok], p[ok])
                self.nfev[ii[ok]] += 1
            vals[a] = v
        return vals, pos

    def _evaluate_mode(self, ii, mode, h):
        """at_steps for the elements ii, which all use the stencil of mode."""
        rule = difference_stencil(int(mode), self.n, self.order)
        offs = rule.offsets
        x = self.x[ii]
        if mode == CENTRAL:
            dirn = np.where(x < 0, -1.0, 1.0)
        else:
            dirn = np.full(ii.size, float(mode))
        # The step as it is after rounding x + h to f's dtype, so that x +- h is exact.
        outer = (x + dirn * h).astype(self.dtype).astype(np.float64)
        ho = np.abs(outer - x)
        ok = ho > 0
        hs = dirn * ho
        vals, pos = self._stencil_values(ii, offs, x, hs, ok)
        self._note_quanta(ii, vals, ok)
        fin = np.isfinite(vals).all(axis=2)  # (len(offs), ii)
        allfin = fin.all(axis=0) & ok
        side = None
        if mode == CENTRAL:
            plus = fin[offs > 0].all(axis=0)
            minus = fin[offs < 0].all(axis=0)
            side = np.where(plus & ~minus, 1, 0) + np.where(minus & ~plus, -1, 0)
        d, rnd, scale = apply_stencil(
            rule, vals, pos, hs, ho, self.n, self.eps_f, self.scale[ii]
        )
        with np.errstate(all="ignore"):
            measured = NOISE_BOUNDS * np.abs(rule.weights).sum() * self.noise[ii]
            rnd = np.maximum(rnd, measured / (ho**self.n)[:, None])
        good = allfin[:, None] & np.isfinite(d) & np.isfinite(rnd)
        return (
            np.where(good, d, np.nan),
            np.where(good, rnd, np.inf),
            np.where(good, scale, np.nan),
            ho,
            side,
        )

    def fixed_step(self, h, with_error):
        """One stencil at steps h; with_error: also at h/2, for an error estimate.

        Returns the values ``(N, M)`` and their errors (None without with_error).
        """
        idx = np.arange(self.N)
        D, R, _, _, _ = self.at_steps(idx, h)
        if not with_error:
            return D, None
        D2, _, _, _, _ = self.at_steps(idx, h / 2.0)
        lead = difference_stencil(int(self.mode[0]), self.n, self.order).error_order
        with np.errstate(all="ignore"):
            err = ERROR_SAFETY * (np.abs(D - D2) / (1.0 - 2.0**-lead) + R)
        return D, err

    def exponents(self, mode):
        """The powers of h in the error series of the stencil of ``mode``."""
        rule = difference_stencil(int(mode), self.n, self.order)
        return [rule.error_order + rule.error_step * i for i in range(MAX_LEVEL)]
