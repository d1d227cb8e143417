"""Finite differences: d2l's numerical limit, adaptive derivatives, gradients, Hessians.

d2l approaches the derivative through the quotient ``(f(x + h) - f(x)) / h`` for
shrinking ``h`` (:func:`numerical_limit`, :func:`limit_table`).  That quotient never
gets better than about 1e-8: a small ``h`` cancels digits, a large one leaves Taylor
terms.  :func:`derivative` removes both problems.  It walks a geometric ladder of steps
``h_k = h_0 / r**k`` (ratio ``r = 1.9``, deliberately not 2: with halving steps a
periodic function aliases and the table "converges" to a wrong value), evaluates a
difference stencil at each step, and builds a Richardson table that cancels the
``h**2, h**4, ...`` error terms.  Every entry gets an error estimate: the Ridders
differences to the entries it was built from (truncation) plus a rounding bound
``eps * (|f| + |x f'|) / h`` carried through the table's weights.  The search extends
the ladder towards smaller steps while truncation dominates and towards larger ones
while rounding does, stops once the best entry is good to about 1e-11 or stops
improving, and rejects entries whose successive differences do not shrink like those
of a converging series (steps still too large for the function's scale).

Steps are relative: they start from a scale ``s`` that follows ``|x|`` (``|x|`` itself
below 1, ``sqrt|x|`` above, never below ``2**-12 |x|``, ``2**-10`` as an absolute floor
near 0, and 1 at exactly 0).  Where ``f`` is not finite on one side of ``x`` (``log``
or ``sqrt`` at a domain edge) the search retries below ``|x| / 4`` and then switches to
a one-sided stencil.

The same engine runs over the coordinates of ``x`` for :func:`gradient` and
:func:`jacobian` (one search per coordinate, in lock-step; every evaluation of a
vector-valued ``f`` serves all its outputs) and :func:`hessian` (adaptive second
differences on the axes, then each mixed term from two new evaluations per level,
reusing the axis points).  ``method="complex"`` is the complex step
``Im f(x + ih) / h``: one evaluation, no cancellation, machine precision for ``f``
analytic in ``x``.
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = [
    "numerical_limit",
    "limit_table",
    "derivative",
    "gradient",
    "jacobian",
    "hessian",
    "DerivativeResult",
]

_METHODS = ("central", "forward", "backward", "complex")

# Search constants, tuned on the benchmark suite and on random compositions of
# elementary functions (see benchmarks/finite_diff_accuracy.py and the tests).
_RATIO = 1.9  # step ratio of the ladder
_C0 = 0.25  # first step as a fraction of the scale s
_W0 = 3  # steps evaluated before the first decision
_WMAX = 6  # largest Richardson level used
_L = _WMAX + 3  # steps kept per window
_SIG = 4.0  # a difference is signal when it exceeds this many rounding bounds
_RELSIG = 1e-8  # ... and this fraction of the derivative's scale
_STOP_REL = 1e-11  # stop once the best estimate is this good (relative)
_TCONV = 1e-6  # below this relative error a table has really converged
_GARBAGE = 1e-4  # above this relative error the steps are still far too large
_JUMP = 4  # levels skipped when the steps are far too large
_JUMP_GROW = 5  # a predicted growth beyond this many levels is taken in one jump
_JMAX = 8  # cap of a predicted jump
_GROWCAP = 4.0  # steps never exceed 2**4 * max(|x|, 1)
_PATIENCE = 2  # rounds without a 0.7x improvement before stopping
_IMPROVE = 0.7
_SAFETY = 2.0  # the reported error is this multiple of the estimate
_MAXFEV = 100
_FLOOR = 2.0**-10
_RELFLOOR = 2.0**-12
_SHRINK_FLOOR = 2.0**-42

_ACT_STOP, _ACT_SHRINK, _ACT_GROW, _ACT_JUMP_DOWN, _ACT_JUMP_UP = range(5)
_CENTRAL, _FORWARD, _BACKWARD = 0, 1, -1


# --------------------------------------------------------------------------- d2l


def _check_callable(f, owner):
    if not callable(f):
        raise TypeError(f"{owner}: f must be callable; got {f!r}")


def _check_real_scalar(value, name, owner):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            arr = np.asarray(value)
        except Exception:  # pragma: no cover - exotic objects
            arr = None
        if arr is None or arr.shape != () or arr.dtype.kind not in "iuf":
            raise TypeError(f"{owner}: {name} must be a real number; got {value!r}")
        value = arr.item()
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{owner}: {name} must be finite; got {value!r}")
    return value


def _scalar_value(y, owner, where):
    arr = np.asarray(y)
    if arr.size != 1:
        raise ValueError(
            f"{owner}: f must return a scalar at {where}; got shape {arr.shape}"
        )
    if arr.dtype.kind not in "iufb":
        raise TypeError(f"{owner}: f must return a real number; got {y!r}")
    return float(arr.reshape(()))


def numerical_limit(f, x, h):
    """d2l's forward difference quotient ``(f(x + h) - f(x)) / h``.

    Parameters
    ----------
    f : callable
        A real function of one real variable.
    x : float
        Where to differentiate.
    h : float
        The step; any finite non-zero number (negative steps go backwards).

    Returns
    -------
    float
        The quotient.  Its error is about ``|f''| h / 2`` plus a rounding part
        ``eps |f| / h``; :func:`derivative` removes both.

    Examples
    --------
    >>> f = lambda x: 3 * x**2 - 4 * x
    >>> round(numerical_limit(f, 1.0, 0.1), 5)
    2.3
    """
    _check_callable(f, "numerical_limit")
    x = _check_real_scalar(x, "x", "numerical_limit")
    h = _check_real_scalar(h, "h", "numerical_limit")
    if h == 0.0:
        raise ValueError("numerical_limit: h must be non-zero; got 0.0")
    fxh = _scalar_value(f(x + h), "numerical_limit", f"x + h = {x + h!r}")
    fx = _scalar_value(f(x), "numerical_limit", f"x = {x!r}")
    return (fxh - fx) / h


def limit_table(f, x, hs=None, *, file=None):
    """Print d2l's table of numerical limits for shrinking steps.

    Parameters
    ----------
    f : callable
        A real function of one real variable.
    x : float
        Where to differentiate.
    hs : sequence of float, optional
        The steps; d2l's ``0.1, 0.01, ..., 1e-5`` by default.
    file : file-like, optional
        Where to print (``sys.stdout`` by default).

    Returns
    -------
    list of (float, float)
        The pairs ``(h, numerical_limit(f, x, h))`` that were printed, one line each
        in d2l's format ``h=0.10000, numerical limit=2.30000``.

    Examples
    --------
    >>> rows = limit_table(lambda x: 3 * x**2 - 4 * x, 1.0)
    h=0.10000, numerical limit=2.30000
    h=0.01000, numerical limit=2.03000
    h=0.00100, numerical limit=2.00300
    h=0.00010, numerical limit=2.00030
    h=0.00001, numerical limit=2.00003
    """
    _check_callable(f, "limit_table")
    x = _check_real_scalar(x, "x", "limit_table")
    if hs is None:
        hs = [10.0 ** (-i) for i in range(1, 6)]
    elif isinstance(hs, (str, bytes)) or not hasattr(hs, "__iter__"):
        raise TypeError(f"limit_table: hs must be a sequence of steps; got {hs!r}")
    out = sys.stdout if file is None else file
    rows = []
    for h in hs:
        value = numerical_limit(f, x, h)
        h = float(h)
        print(f"h={h:.5f}, numerical limit={value:.5f}", file=out)
        rows.append((h, value))
    return rows


# ---------------------------------------------------------------------- stencils


@functools.cache
def _stencil(mode, n, order):
    """Offsets, exact weights and leading error exponent of a difference stencil.

    The weights solve the moment conditions ``sum_j w_j j**m / m! = [m == n]`` for
    ``m < len(offsets)`` in exact rational arithmetic, so no rounding enters them.
    """
    if mode == _CENTRAL:
        p = (n + order - 1) // 2
        offsets = list(range(-p, p + 1))
    else:
        offsets = list(range(0, n + order))
    size = len(offsets)
    rows = [
        [Fraction(j) ** m / math.factorial(m) for j in offsets] for m in range(size)
    ]
    rhs = [Fraction(int(m == n)) for m in range(size)]
    # Gauss-Jordan elimination on the small rational system.
    mat = [row[:] + [rhs[i]] for i, row in enumerate(rows)]
    for col in range(size):
        piv = next(r for r in range(col, size) if mat[r][col] != 0)
        mat[col], mat[piv] = mat[piv], mat[col]
        inv = 1 / mat[col][col]
        mat[col] = [v * inv for v in mat[col]]
        for r in range(size):
            if r != col and mat[r][col] != 0:
                fac = mat[r][col]
                mat[r] = [a - fac * b for a, b in zip(mat[r], mat[col], strict=True)]
    weights = [mat[i][size] for i in range(size)]
    pairs = [(j, float(w)) for j, w in zip(offsets, weights, strict=True) if w != 0]
    offs = np.array([j for j, _ in pairs], dtype=np.int64)
    wts = np.array([w for _, w in pairs], dtype=np.float64)
    # Leading error exponent: first moment beyond the conditions that does not vanish.
    lead = None
    for m in range(size, size + 4):
        moment = sum(
            w * Fraction(j) ** m for j, w in zip(offsets, weights, strict=True)
        )
        if moment != 0:
            lead = m - n
            break
    step = 2 if mode == _CENTRAL else 1
    return offs, wts, lead, step


# ---------------------------------------------------------------------- backends


class _Elementwise:
    """Evaluates an elementwise ``f`` at one abscissa per element of ``x``."""

    def __init__(self, f, x, dtype, owner):
        self.f = f
        self.x = x  # float64, flat
        self.shape = None  # shape of x as given (None for a scalar)
        self.dtype = dtype
        self.owner = owner
        self.M = 1

    def __call__(self, idx, pts):
        """Values (len(idx), 1) of f at pts (dtype values) for elements idx."""
        if self.shape is None:
            with np.errstate(all="ignore"):
                y = self.f(pts[0])
            return np.array([[_scalar_value(y, self.owner, f"x = {float(pts[0])!r}")]])
        full = self.x.astype(self.dtype, copy=True)
        full[idx] = pts
        with np.errstate(all="ignore"):
            y = np.asarray(self.f(full.reshape(self.shape)))
        if y.shape != self.shape:
            raise ValueError(
                f"{self.owner}: f must be elementwise and return an array of x's "
                f"shape {self.shape}; got shape {y.shape}"
            )
        if y.dtype.kind not in "iufb":
            raise TypeError(
                f"{self.owner}: f must return real numbers; got dtype {y.dtype}"
            )
        return y.reshape(-1)[idx].astype(np.float64)[:, None]


class _Coordinatewise:
    """Evaluates ``f(x + t e_i)`` for a vector-valued ``f`` of an array ``x``."""

    def __init__(self, f, x, dtype, owner):
        self.f = f
        self.x = x  # float64, flat
        self.dtype = dtype
        self.owner = owner
        self.in_shape = None
        self.out_shape = None
        self.M = None
        self.cache = {}
        self.calls = 0

    def call_at(self, vec):
        with np.errstate(all="ignore"):
            y = np.asarray(self.f(vec.reshape(self.in_shape)))
        self.calls += 1
        if y.dtype.kind not in "iufb":
            raise TypeError(
                f"{self.owner}: f must return real numbers; got dtype {y.dtype}"
            )
        if self.out_shape is None:
            if y.size == 0:
                raise ValueError(f"{self.owner}: f returned an empty array at x")
            self.out_shape = y.shape
            self.M = int(y.size)
        elif y.shape != self.out_shape:
            raise ValueError(
                f"{self.owner}: f returned shape {y.shape} at a shifted point but "
                f"shape {self.out_shape} at x; its output shape must not change"
            )
        return y.astype(np.float64).reshape(-1)

    def point(self, i, value):
        key = (int(i), float(value))
        hit = self.cache.get(key)
        if hit is None:
            vec = self.x.astype(self.dtype, copy=True)
            vec[i] = value
            hit = self.call_at(vec)
            self.cache[key] = hit
        return hit

    def __call__(self, idx, pts):
        return np.stack([self.point(i, p) for i, p in zip(idx, pts, strict=True)])


# ------------------------------------------------------------------------ engine


def _eps_of(dtype):
    return float(np.finfo(dtype).eps)


@functools.cache
def _window_index(L, w):
    """Rows of a table entry's window: position lpos uses steps lo..hi.

    The window of the level-w entry at position lpos is ``lpos - w + 1 .. lpos``,
    widened to three steps for w = 2 so that every accepted entry has passed at least
    one ratio test.
    """
    lpos = np.arange(L)
    lo = lpos - w + 1
    hi = np.maximum(lpos, lo + 2)
    usable = (lo >= 0) & (hi < L)
    return hi, usable, np.clip(lo, 0, L - 2), np.clip(hi, 1, L - 1)


def _modes(modes):
    """The distinct modes present (usually just one)."""
    first = modes[0]
    if np.all(modes == first):
        return [int(first)]
    return [int(m) for m in np.unique(modes)]


def _scale(x):
    """The prior length scale of each abscissa (see the module docstring)."""
    a = np.abs(x)
    s = np.where(a > 1.0, np.sqrt(a), np.clip(a, _FLOOR, 1.0))
    s = np.where(a == 0.0, 1.0, s)
    return np.maximum(s, a * _RELFLOOR)


class _Search:
    """Vectorised adaptive Richardson search over N elements with M outputs each."""

    def __init__(self, backend, x, n, order, mode, eps_f, maxfev, allow_switch):
        self.be = backend
        self.x = x
        self.N = x.size
        self.n = n
        self.order = order
        self.eps_f = eps_f
        # The relative thresholds are tuned for float64; a function computed in
        # float32 cannot reach them, so they follow its precision.
        self.relsig = max(_RELSIG, 100.0 * eps_f)
        self.stop_rel = max(_STOP_REL, eps_f**0.8)
        self.tconv = max(_TCONV, math.sqrt(eps_f))
        self.garbage = max(_GARBAGE, eps_f**0.25)
        self.maxfev = maxfev
        self.allow_switch = allow_switch
        self.dtype = backend.dtype
        self.mode = np.full(self.N, mode, dtype=np.int64)
        s = _scale(x)
        self.s = s
        self.h0 = 2.0 ** np.floor(np.log2(s)) * _C0
        lr = math.log(_RATIO)
        hmax = 2.0**_GROWCAP * np.maximum(np.abs(x), 1.0)
        log_hmin = np.log(np.where(x != 0, np.abs(x), s)) + math.log(_SHRINK_FLOOR)
        self.kgrow = -np.floor(np.log(hmax / self.h0) / lr).astype(np.int64)
        self.kshrink = np.floor((np.log(self.h0) - log_hmin) / lr).astype(np.int64)
        self.nfev = np.zeros(self.N, dtype=np.int64)
        self.f0 = None
        self.have_f0 = np.zeros(self.N, dtype=bool)

    # -- evaluation ---------------------------------------------------------

    def _ensure_f0(self, idx):
        idx = idx[~self.have_f0[idx]]
        if idx.size == 0:
            return
        pts = self.x[idx].astype(self.dtype)
        vals = self.be(idx, pts)
        if self.f0 is None:
            self.f0 = np.full((self.N, self.M), np.nan)
        self.f0[idx] = vals
        self.have_f0[idx] = True
        self.nfev[idx] += 1

    def _eval_steps(self, idx, ks):
        """D, rounding bound, scale and |step| at ladder index ks of elements idx."""
        h = self.h0[idx] * _RATIO ** (-np.asarray(ks, dtype=np.float64))
        return self._eval_h(idx, h)

    def _eval_h(self, idx, hstep):
        """The stencil of each element's mode at nominal step hstep (> 0)."""
        M = self.M
        D = np.full((idx.size, M), np.nan)
        R = np.full((idx.size, M), np.inf)
        S = np.full((idx.size, M), np.nan)
        H = np.zeros(idx.size)
        onesided_bad = np.zeros(idx.size, dtype=np.int64)
        for mode in _modes(self.mode[idx]):
            sel = np.nonzero(self.mode[idx] == mode)[0]
            ii = idx[sel]
            offs, wts, _, _ = _stencil(int(mode), self.n, self.order)
            x = self.x[ii]
            if mode == _CENTRAL:
                dirn = np.where(x < 0, -1.0, 1.0)
            else:
                dirn = np.full(ii.size, float(mode))
            h = hstep[sel]
            outer = (x + dirn * h).astype(self.dtype).astype(np.float64)
            ho = np.abs(outer - x)
            ok = ho > 0
            hs = dirn * ho
            vals = np.zeros((len(offs), ii.size, M))
            pos = np.zeros((len(offs), ii.size))
            if np.any(offs == 0):
                self._ensure_f0(ii)
            for a, j in enumerate(offs):
                if j == 0:
                    vals[a] = self.f0[ii]
                    pos[a] = x
                    continue
                p = x + j * hs  # exact for j = +-1 by the choice of ho
                p = p.astype(self.dtype)
                pos[a] = p.astype(np.float64)
                v = np.full((ii.size, M), np.nan)
                if np.any(ok):
                    v[ok] = self.be(ii[ok], p[ok])
                    self.nfev[ii[ok]] += 1
                vals[a] = v
            fin = np.isfinite(vals).all(axis=2)  # (len(offs), ii)
            allfin = fin.all(axis=0) & ok
            if mode == _CENTRAL:
                plus = fin[offs > 0].all(axis=0)
                minus = fin[offs < 0].all(axis=0)
                # +1: only the positive side is finite; -1: only the negative side.
                onesided_bad[sel] = np.where(plus & ~minus, 1, 0) + np.where(
                    minus & ~plus, -1, 0
                )
            hn = hs**self.n
            with np.errstate(all="ignore"):
                d = np.einsum("a,aim->im", wts, vals) / hn[:, None]
                amax = int(np.argmax(offs))
                amin = int(np.argmin(offs))
                span = np.abs(pos[amax] - pos[amin])
                slope = np.abs(vals[amax] - vals[amin]) / span[:, None]
                absw = np.abs(wts)[:, None, None]
                mag = np.abs(vals) + np.abs(pos)[:, :, None] * slope[None]
                rnd = self.eps_f * (absw * mag).sum(axis=0) / (ho**self.n)[:, None]
                fmean = np.abs(vals).mean(axis=0)
                scale = np.abs(d) + fmean / (self.s[ii] ** self.n)[:, None]
            good = allfin[:, None] & np.isfinite(d) & np.isfinite(rnd)
            D[sel] = np.where(good, d, np.nan)
            R[sel] = np.where(good, rnd, np.inf)
            S[sel] = np.where(good, scale, np.nan)
            H[sel] = ho
        return D, R, S, H, onesided_bad

    # -- tableau ------------------------------------------------------------

    def _exponents(self, mode):
        _, _, lead, step = _stencil(int(mode), self.n, self.order)
        return [lead + step * i for i in range(_WMAX)]

    def _candidates(self, idx):
        """Best valid and best overall table entry of each (element, output) in idx."""
        nwin = self.nwin[idx]
        # Rows beyond the longest window hold nothing; leaving them out saves work.
        N, M, L = idx.size, self.M, max(int(nwin.max()), 3)
        D, R, S = self.Dw[:L, idx], self.Rw[:L, idx], self.Sw[:L, idx]
        Hw = self.Hw[:L, idx]
        klo = self.klo[idx]
        modes = self.mode[idx]
        pos = np.arange(L)[:, None]
        inwin = pos < nwin[None, :]  # (L, N)
        exps = np.empty((N, _WMAX))
        for m in _modes(modes):
            exps[modes == m] = self._exponents(m)
        q1 = _RATIO ** exps[:, 0]
        qlo = (q1 / 2.5)[None, :, None]
        qhi = (q1 * 5.5)[None, :, None]
        # Ratio test on successive differences of the first column.
        with np.errstate(all="ignore"):
            d = D[:-1] - D[1:]
            nb = R[:-1] + R[1:]
            sc = self.relsig * S[1:]
            sig = (np.abs(d) > np.maximum(_SIG * nb, sc)) & np.isfinite(d)
            q = d[:-1] / d[1:]
        both = sig[:-1] & sig[1:]
        exists3 = inwin[2:, :, None] & np.ones((1, 1, M), dtype=bool)
        nonfin = ~np.isfinite(D[:-2]) | ~np.isfinite(D[1:-1]) | ~np.isfinite(D[2:])
        bad = exists3 & (nonfin | (both & ((q < qlo) | (q > qhi))))
        badc = np.concatenate(
            [np.zeros((1, N, M), dtype=np.int64), np.cumsum(bad, axis=0)], axis=0
        )
        T = [D]
        Rr = [R]
        E_list, V_list, X_list = [], [], []
        TR_list, RW_list, TW_list = [], [], []
        for w in range(2, min(_WMAX, L) + 1):
            qw = (_RATIO ** exps[:, w - 2] - 1.0)[None, :, None]
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
            hi, usable, lo_c, hi_c = _window_index(L, w)
            exists = (
                usable[:, None, None]
                & (hi[:, None] < nwin[None, :])[:, :, None]
                & np.isfinite(e)
            )
            nbad = badc[hi_c - 1] - badc[lo_c]
            valid = exists & (nbad == 0)
            if w >= 3:
                with np.errstate(invalid="ignore"):
                    prev_tr = np.abs(T[-1] - T[-2])
                    valid &= (
                        (tr <= 0.5 * prev_tr)
                        | (tr <= _SIG * Rw)
                        | (tr <= self.relsig * S)
                    )
            E_list.append(e)
            V_list.append(valid)
            X_list.append(exists)
            TR_list.append(tr)
            RW_list.append(Rw)
            TW_list.append(Tw)
            T.append(Tw)
            Rr.append(Rw)
        E = np.stack(E_list)  # (W-1, L, N, M)
        V = np.stack(V_list)
        X = np.stack(X_list)
        flatE = E.reshape(-1, N, M)
        pick = np.argmin(np.where(V, E, np.inf).reshape(-1, N, M), axis=0)
        pick_all = np.argmin(np.where(X, E, np.inf).reshape(-1, N, M), axis=0)
        nn = np.arange(N)[:, None]
        mm = np.arange(M)[None, :]
        has = V.reshape(-1, N, M)[pick, nn, mm]
        has_all = X.reshape(-1, N, M)[pick_all, nn, mm]
        best_e = np.where(has, flatE[pick, nn, mm], np.inf)
        all_e = np.where(has_all, flatE[pick_all, nn, mm], np.inf)
        wsel = pick // L + 2
        lsel = pick % L

        TWs = np.stack(TW_list).reshape(-1, N, M)
        TRs = np.stack(TR_list).reshape(-1, N, M)
        RWs = np.stack(RW_list).reshape(-1, N, M)
        best = {
            "v": np.where(has, TWs[pick, nn, mm], np.nan),
            "tr": np.where(has, TRs[pick, nn, mm], np.nan),
            "rr": np.where(has, RWs[pick, nn, mm], np.nan),
            "rep": best_e.copy(),
            "S": np.where(has, S[lsel, nn, mm], np.nan),
            "kb": np.where(has, klo[:, None] + lsel, np.nan),
        }
        best_l = np.where(has, lsel, -1)
        best_w = np.where(has, wsel, 0)
        lall = pick_all % L
        allb = {
            "v": np.where(has_all, TWs[pick_all, nn, mm], np.nan),
            "rep": all_e.copy(),
            "S": np.where(has_all, S[lall, nn, mm], np.nan),
        }
        # Noise seen at the next smaller steps, scaled back to the chosen step, so
        # that a lucky small difference at the chosen entry does not hide it.
        noise = np.zeros((N, M))
        for extra in (1, 2):
            lb = np.minimum(best_l + extra, L - 1)
            okk = has & (best_l + extra < nwin[:, None]) & (best_l + extra < L)
            ev = E[np.maximum(best_w - 2, 0), lb, nn, mm]
            ratio = Hw[lb, nn] / Hw[np.maximum(best_l, 0), nn]
            with np.errstate(invalid="ignore"):
                val = np.where(okk & np.isfinite(ev), ev * ratio, 0.0)
            noise = np.maximum(noise, val)
        best["rep"] = np.where(has, np.maximum(best["rep"], noise), best["rep"])
        return best_e, best, best_l, best_w, all_e, allb

    # -- window bookkeeping -------------------------------------------------

    def _store(self, idx, slot, D, R, S, H):
        self.Dw[slot, idx] = D
        self.Rw[slot, idx] = R
        self.Sw[slot, idx] = S
        self.Hw[slot, idx] = H

    def _restart(self, idx, kstart):
        """Start fresh windows of _W0 steps at ladder index kstart."""
        self.Dw[:, idx] = np.nan
        self.Rw[:, idx] = np.inf
        self.Sw[:, idx] = np.nan
        self.Hw[:, idx] = 0.0
        self.klo[idx] = kstart
        self.nwin[idx] = 0
        for _ in range(_W0):
            self._extend_down(idx)

    def _extend_down(self, idx):
        """Add the next smaller step; a full window drops its largest one."""
        if idx.size == 0:
            return
        full = self.nwin[idx] >= _L
        if np.any(full):
            fi = idx[full]
            for arr in (self.Dw, self.Rw, self.Sw, self.Hw):
                arr[:, fi] = np.roll(arr[:, fi], -1, axis=0)
            self.klo[fi] += 1
            self.nwin[fi] -= 1
        k = self.klo[idx] + self.nwin[idx]
        D, R, S, H, side = self._eval_steps(idx, k)
        self._store(idx, self.nwin[idx], D, R, S, H)
        self.nwin[idx] += 1
        self._note_sides(idx, side)

    def _extend_up(self, idx):
        """Add the next larger step; a full window drops its smallest one."""
        if idx.size == 0:
            return
        for arr in (self.Dw, self.Rw, self.Sw, self.Hw):
            arr[:, idx] = np.roll(arr[:, idx], 1, axis=0)
        self.nwin[idx] = np.minimum(self.nwin[idx] + 1, _L)
        self.klo[idx] -= 1
        D, R, S, H, side = self._eval_steps(idx, self.klo[idx])
        self._store(idx, np.zeros(idx.size, dtype=np.int64), D, R, S, H)
        self._note_sides(idx, side)

    def _note_sides(self, idx, side):
        hit = side != 0
        self.side_hit[idx[hit]] = side[hit]
        self.side_last[idx[hit]] = side[hit]

    # -- driver -------------------------------------------------------------

    def run(self):
        N = self.N
        self.M = self.be.M if self.be.M is not None else 1
        M = self.M
        L = _L
        self.Dw = np.full((L, N, M), np.nan)
        self.Rw = np.full((L, N, M), np.inf)
        self.Sw = np.full((L, N, M), np.nan)
        self.Hw = np.zeros((L, N))
        self.klo = np.zeros(N, dtype=np.int64)
        self.nwin = np.zeros(N, dtype=np.int64)
        self.side_hit = np.zeros(N, dtype=np.int64)
        self.switched = np.zeros(N, dtype=bool)
        self.retried = np.zeros(N, dtype=bool)
        self.side_last = np.zeros(N, dtype=np.int64)
        g = {
            k: np.full((N, M), np.nan) for k in ("v", "rep", "e", "S", "tr", "rr", "kb")
        }
        g_valid = np.zeros((N, M), dtype=bool)
        g_found = np.zeros((N, M), dtype=bool)
        a_e = np.full((N, M), np.inf)
        stall = np.zeros((N, M), dtype=np.int64)
        ended_badly = np.zeros(N, dtype=bool)
        active = np.ones(N, dtype=bool)
        self._restart(np.arange(N), np.zeros(N, dtype=np.int64))
        for _ in range(10_000):  # each round adds steps; the caps end it long before
            idx = np.nonzero(active)[0]
            if idx.size == 0:
                break
            # One-sided fallback: f is not finite on one side and nothing valid yet.
            if self.allow_switch:
                sw = (
                    active
                    & (self.side_hit != 0)
                    & ~self.switched
                    & (self.mode == _CENTRAL)
                    & ~g_valid.any(axis=1)
                )
                if np.any(sw):
                    self._one_sided(np.nonzero(sw)[0])
            best_e, best, best_l, best_w, all_e, allb = self._scatter(
                idx, *self._candidates(idx)
            )
            has_best = np.isfinite(best_e)
            has_all = np.isfinite(all_e)
            improved = (has_best & (~g_valid | (best_e < _IMPROVE * g["e"]))) | (
                has_all & (all_e < _IMPROVE * a_e)
            )
            take = has_best & (~g_valid | ~(best_e >= g["e"]))
            take_all = ~has_best & has_all & ~g_valid & ~(all_e >= g["e"])
            for key in ("v", "rep", "S", "tr", "rr", "kb"):
                g[key] = np.where(take, best[key], g[key])
            g["e"] = np.where(take, best_e, g["e"])
            for key in ("v", "rep", "S"):
                g[key] = np.where(take_all, allb[key], g[key])
            g["e"] = np.where(take_all, all_e, g["e"])
            g_valid |= take
            g_found |= take | take_all
            a_e = np.minimum(a_e, all_e)
            garb = ~g_found | ~(g["e"] <= self.garbage * g["S"])
            stall = np.where(improved | garb, 0, stall + 1)

            act, jump = self._decide(
                has_best, best_e, best, best_l, best_w, stall, active
            )
            need = np.where(np.isfinite(g["e"]) & np.isfinite(g["S"]), g["e"], np.inf)
            need = need / np.where(g["S"] > 0, g["S"], 1.0)
            need = np.where(act == _ACT_STOP, -1.0, need)
            pick = np.argmax(need, axis=1)
            eact = act[np.arange(N), pick]
            ejump = jump[np.arange(N), pick]
            eact = np.where(active, eact, _ACT_STOP)
            over = self.nfev >= self.maxfev
            ended_badly |= active & over
            eact = np.where(over, _ACT_STOP, eact)
            # Running out of ladder while still looking for an asymptotic regime.
            nothing = active & (eact == _ACT_STOP) & ~g_valid.any(axis=1)
            ended_badly |= nothing
            active &= eact != _ACT_STOP
            self._apply(eact, ejump)
        self.g = g
        self.g_valid = g_valid
        self.ended_badly = ended_badly
        value = g["v"]
        err = _SAFETY * g["rep"]
        success = (
            g_valid & ~ended_badly[:, None] & np.isfinite(value) & np.isfinite(err)
        )
        err = np.where(np.isfinite(value), err, np.inf)
        return value, err, self.nfev, success

    def _scatter(self, idx, best_e, best, best_l, best_w, all_e, allb):
        """Spread results for the active elements idx over all N elements."""
        N, M = self.N, self.M
        if idx.size == N:
            return best_e, best, best_l, best_w, all_e, allb

        def full(arr, fill):
            out = np.full((N, M), fill, dtype=arr.dtype)
            out[idx] = arr
            return out

        best = {k: full(v, np.nan) for k, v in best.items()}
        allb = {k: full(v, np.nan) for k, v in allb.items()}
        return (
            full(best_e, np.inf),
            best,
            full(best_l, -1),
            full(best_w, 0),
            full(all_e, np.inf),
            allb,
        )

    def _one_sided(self, si):
        """React to f being finite on one side only of x, before anything valid.

        Steps longer than |x| / 4 may have crossed a singularity at 0 (log, sqrt):
        first retry central differences below that.  Otherwise, or if that fails
        too, continue with a one-sided stencil on the finite side.
        """
        self.side_hit[si] = 0
        ax = np.abs(self.x[si])
        htop = self.h0[si] * _RATIO ** (-self.klo[si].astype(np.float64))
        retry = ~self.retried[si] & (ax > 0) & (htop > ax / 4)
        ri = si[retry]
        if ri.size:
            self.retried[ri] = True
            k = np.ceil(np.log(4 * self.h0[ri] / ax[retry]) / math.log(_RATIO))
            self._restart(ri, k.astype(np.int64))
        oi = si[~retry]
        if oi.size == 0:
            return
        self._ensure_f0(oi)
        oi = oi[np.isfinite(self.f0[oi]).all(axis=1)]
        if oi.size:
            self.mode[oi] = self.side_last[oi]
            self.switched[oi] = True
            self._restart(oi, np.maximum(self.klo[oi], 0))

    def _decide(self, has_best, best_e, best, best_l, best_w, stall, active):
        N, M = self.N, self.M
        act = np.full((N, M), _ACT_STOP, dtype=np.int64)
        jump = np.zeros((N, M), dtype=np.int64)
        nwin = self.nwin[:, None]
        klo = self.klo[:, None]
        khi_abs = klo + nwin - 1
        can_shrink = khi_abs < self.kshrink[:, None]
        can_grow = klo > self.kgrow[:, None]
        stalled = stall > _PATIENCE
        # No valid entry yet: the steps are too large (or f is undefined there).
        jd = ~has_best & ~stalled & (khi_abs + _JUMP + _W0 <= self.kshrink[:, None])
        act = np.where(jd, _ACT_JUMP_DOWN, act)
        v = best["v"]
        e = best_e
        tr = best["tr"]
        rr = best["rr"]
        with np.errstate(invalid="ignore"):
            # Done when good enough, or when the table agrees exactly (a zero or
            # linear derivative): more steps would only shrink the rounding bound.
            done = has_best & ((e <= self.stop_rel * np.abs(v)) | (e <= rr))
            top = best_l - best_w + 1
            trunc = tr > rr
            shrink = (
                has_best
                & ~done
                & ~stalled
                & trunc
                & ((best_l == nwin - 1) | (e > self.tconv * np.abs(v)))
                & can_shrink
            )
            grow = has_best & ~done & ~stalled & ~trunc & (top == 0) & can_grow
        act = np.where(shrink, _ACT_SHRINK, act)
        if np.any(grow):
            w = np.maximum(best_w, 1)
            with np.errstate(all="ignore"):
                fac = (rr / (2 * w * tr)) ** (1.0 / (2 * w + 1))
                J = np.where(tr > 0, np.round(np.log(fac) / math.log(_RATIO)), _JMAX)
            J = np.clip(np.nan_to_num(J, nan=1.0), 1, _JMAX).astype(np.int64)
            J = np.minimum(J, (klo - self.kgrow[:, None]))
            big = J > _JUMP_GROW
            act = np.where(grow & ~big, _ACT_GROW, act)
            act = np.where(grow & big, _ACT_JUMP_UP, act)
            jump = np.where(grow & big, J, jump)
        act = np.where(active[:, None], act, _ACT_STOP)
        return act, jump

    def _apply(self, eact, ejump):
        shrink = np.nonzero(eact == _ACT_SHRINK)[0]
        self._extend_down(shrink)
        grow = np.nonzero(eact == _ACT_GROW)[0]
        self._extend_up(grow)
        jd = np.nonzero(eact == _ACT_JUMP_DOWN)[0]
        if jd.size:
            self._restart(jd, self.klo[jd] + self.nwin[jd] - 1 + _JUMP)
        ju = np.nonzero(eact == _ACT_JUMP_UP)[0]
        if ju.size:
            start = self.klo[ju] - ejump[ju] - _W0 + 2
            start = np.maximum(start, self.kgrow[ju])
            self._restart(ju, start)


# ------------------------------------------------------------------------ public


@dataclass(frozen=True)
class DerivativeResult:
    """A numerical derivative with its error estimate.

    Attributes
    ----------
    value : float or numpy.ndarray
        The derivative (for :func:`jacobian` and :func:`hessian` the whole matrix).
    error : float or numpy.ndarray
        Estimated absolute error of each entry of ``value``: twice the Richardson
        table's own estimate (truncation from neighbouring entries, rounding from
        ``eps (|f| + |x f'|) / h``), so that it bounds the actual error in the vast
        majority of cases.
    nfev : int or numpy.ndarray
        Evaluations of ``f``: per element of ``x`` for :func:`derivative`, the total
        for :func:`gradient`, :func:`jacobian` and :func:`hessian`.
    success : bool or numpy.ndarray
        Whether the search found a converging table and ended normally (not at the
        evaluation budget, nor without any valid step).

    Examples
    --------
    >>> import numpy as np
    >>> res = derivative(np.exp, 1.0, full_output=True)
    >>> bool(res.success), bool(abs(res.value - np.e) <= res.error)
    (True, True)
    """

    value: object
    error: object
    nfev: object
    success: object


def _check_int(value, name, owner, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be an integer; got {value!r}")
    if value < minimum:
        raise ValueError(f"{owner}: {name} must be >= {minimum}; got {value!r}")
    return int(value)


def _check_method(method, owner, allowed=_METHODS):
    if not isinstance(method, str) or method not in allowed:
        raise ValueError(
            f"{owner}: unknown method {method!r}; expected one of "
            + ", ".join(repr(m) for m in allowed)
        )
    return method


def _as_points(x, owner):
    """x as a float array plus the dtype in which f is to be evaluated."""
    if isinstance(x, bool):
        raise TypeError(f"{owner}: x must be real numbers; got {x!r}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - exotic objects
        raise TypeError(f"{owner}: x must be real numbers; got {x!r}") from exc
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{owner}: x must be real numbers; got {x!r} (dtype {arr.dtype})"
        )
    dtype = np.float32 if arr.dtype in (np.float16, np.float32) else np.float64
    xf = arr.astype(np.float64)
    if not np.all(np.isfinite(xf)):
        bad = xf[~np.isfinite(xf)].reshape(-1)[0]
        raise ValueError(f"{owner}: x must be finite; got {bad!r}")
    return xf, dtype


def _check_step(step, shape, owner):
    try:
        arr = np.asarray(step, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{owner}: step must be a positive number; got {step!r}"
        ) from exc
    if not np.all(np.isfinite(arr)) or not np.all(arr > 0):
        raise ValueError(f"{owner}: step must be positive and finite; got {step!r}")
    try:
        return np.broadcast_to(arr, shape).reshape(-1).copy()
    except ValueError as exc:
        raise ValueError(
            f"{owner}: step of shape {arr.shape} does not broadcast to x's shape "
            f"{shape}"
        ) from exc


def _mode_of(method):
    return {"central": _CENTRAL, "forward": _FORWARD, "backward": _BACKWARD}[method]


def _complex_step_size(x):
    """A power of two far below the scale of x: truncation (h/s)**2 vanishes."""
    return 2.0 ** (np.floor(np.log2(_scale(x))) - 60.0)


def _complex_values(y, owner):
    arr = np.asarray(y)
    if arr.dtype.kind != "c":
        raise ValueError(
            f"{owner}: method='complex' needs f to return complex values for complex "
            f"input (an analytic f written with numpy functions); got dtype {arr.dtype}"
        )
    return arr


def _fixed_step(search, h, full):
    """One stencil at step h; with full output also at h/2 for an error estimate."""
    idx = np.arange(search.N)
    D, R, _, _, _ = search._eval_h(idx, h)
    if not full:
        return D, None
    D2, R2, _, _, _ = search._eval_h(idx, h / 2.0)
    _, _, lead, _ = _stencil(int(search.mode[0]), search.n, search.order)
    with np.errstate(all="ignore"):
        err = _SAFETY * (np.abs(D - D2) / (1.0 - 2.0**-lead) + R)
    return D, err


def derivative(f, x, *, method="central", order=2, step=None, n=1, full_output=False):
    """Numerical derivative of an elementwise function, with an adaptive step.

    Parameters
    ----------
    f : callable
        A real function of one real variable.  For an array ``x``, ``f`` is called
        with arrays of ``x``'s shape and must act elementwise (as numpy's functions
        do); for a scalar ``x`` it is called with scalars.
    x : float or array_like
        Where to differentiate; every value must be finite.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The stencil.  ``"central"`` switches by itself to a one-sided stencil where
        ``f`` is not finite on one side.  ``"complex"`` is the complex step
        ``Im f(x + ih) / h`` for ``f`` analytic in ``x``: one evaluation, accurate to
        a few ulp.
    order : int, default 2
        Order of accuracy of the base stencil (even for ``"central"``).  Richardson
        extrapolation raises it further when ``step`` is None.
    step : float or array_like, optional
        A fixed step instead of the adaptive search.
    n : int, default 1
        Which derivative (``"complex"`` supports ``n=1`` only).
    full_output : bool, default False
        Return a :class:`DerivativeResult` with ``value``, ``error``, ``nfev`` and
        ``success`` instead of the value alone.

    Returns
    -------
    float or numpy.ndarray or DerivativeResult
        The derivative with ``x``'s shape (a float for scalar ``x``).

    Raises
    ------
    ValueError
        Non-finite ``x``, a step that is not positive, an unknown ``method``, a bad
        ``order`` or ``n``, or ``f`` returning the wrong shape.

    Notes
    -----
    The adaptive search needs about 10 evaluations for a smooth function and
    reaches a relative error near 1e-14; see ``docs/numeric_derivatives.md``.

    Examples
    --------
    >>> import numpy as np
    >>> float(round(derivative(np.sin, 0.0), 12))
    1.0
    >>> derivative(lambda x: x**3, np.array([1.0, 2.0])).round(10)
    array([ 3., 12.])
    >>> float(derivative(np.exp, 1.0, method="complex")) == float(np.e)
    True
    """
    owner = "derivative"
    _check_callable(f, owner)
    method = _check_method(method, owner)
    n = _check_int(n, "n", owner, 1)
    order = _check_int(order, "order", owner, 1)
    if method == "central" and order % 2:
        raise ValueError(
            f"{owner}: order must be even for central differences; got {order}"
        )
    if method == "complex" and n != 1:
        raise ValueError(
            f"{owner}: method='complex' gives first derivatives only; got n={n}"
        )
    xf, dtype = _as_points(x, owner)
    scalar = xf.ndim == 0
    flat = xf.reshape(-1)
    if method == "complex":
        h = _complex_step_size(flat)
        if scalar:
            try:
                y = f(complex(flat[0], h[0]))
            except TypeError as exc:
                raise ValueError(
                    f"{owner}: method='complex' needs f to accept complex input; {exc}"
                ) from exc
            arr = _complex_values(y, owner)
            if arr.size != 1:
                raise ValueError(
                    f"{owner}: f must return a scalar for scalar x; "
                    f"got shape {arr.shape}"
                )
            val = arr.reshape(-1).imag / h
        else:
            z = flat + 1j * h
            try:
                y = f(z.reshape(xf.shape))
            except TypeError as exc:
                raise ValueError(
                    f"{owner}: method='complex' needs f to accept complex input; {exc}"
                ) from exc
            arr = _complex_values(y, owner)
            if arr.shape != xf.shape:
                raise ValueError(
                    f"{owner}: f must be elementwise and return an array of x's shape "
                    f"{xf.shape}; got shape {arr.shape}"
                )
            val = arr.reshape(-1).imag / h
        err = 2.0 * _eps_of(np.float64) * np.abs(val)
        nfev = np.ones(flat.size, dtype=np.int64)
        success = np.isfinite(val)
        return _package(val, err, nfev, success, xf.shape, scalar, full_output)
    backend = _Elementwise(f, flat, dtype, owner)
    backend.shape = None if scalar else xf.shape
    mode = _mode_of(method)
    search = _Search(
        backend, flat, n, order, mode, _eps_of(dtype), _MAXFEV, method == "central"
    )
    search.M = 1
    if step is not None:
        h = _check_step(step, xf.shape, owner)
        val, err = _fixed_step(search, h, full_output)
        val = val[:, 0]
        if err is None:
            err = np.full(val.shape, np.nan)
        else:
            err = err[:, 0]
        success = np.isfinite(val) & np.isfinite(err)
        return _package(val, err, search.nfev, success, xf.shape, scalar, full_output)
    val, err, nfev, success = search.run()
    return _package(
        val[:, 0], err[:, 0], nfev, success[:, 0], xf.shape, scalar, full_output
    )


def _package(val, err, nfev, success, shape, scalar, full_output):
    if scalar:
        value = float(val[0])
        if not full_output:
            return value
        return DerivativeResult(value, float(err[0]), int(nfev[0]), bool(success[0]))
    value = val.reshape(shape)
    if not full_output:
        return value
    return DerivativeResult(
        value, err.reshape(shape), nfev.reshape(shape), success.reshape(shape)
    )


def _jacobian_core(f, x, method, step, owner):
    """Values (M, N), errors (M, N), total evaluations, success (M, N), out shape."""
    _check_callable(f, owner)
    method = _check_method(method, owner)
    xf, dtype = _as_points(x, owner)
    flat = xf.reshape(-1)
    N = flat.size
    if N == 0:
        raise ValueError(
            f"{owner}: x must have at least one element; got shape {xf.shape}"
        )
    backend = _Coordinatewise(f, flat, dtype, owner)
    backend.in_shape = xf.shape
    if method == "complex":
        h = _complex_step_size(flat)
        rows = []
        for i in range(N):
            z = flat.astype(np.complex128)
            z[i] += 1j * h[i]
            try:
                y = f(z.reshape(xf.shape))
            except TypeError as exc:
                raise ValueError(
                    f"{owner}: method='complex' needs f to accept complex input; {exc}"
                ) from exc
            arr = _complex_values(y, owner)
            if backend.out_shape is None:
                backend.out_shape = arr.shape
            elif arr.shape != backend.out_shape:
                raise ValueError(
                    f"{owner}: f returned shape {arr.shape} after shape "
                    f"{backend.out_shape}; its output shape must not change"
                )
            rows.append(arr.reshape(-1).imag / h[i])
        val = np.stack(rows, axis=1)
        err = 2.0 * _eps_of(np.float64) * np.abs(val)
        return val, err, N, np.isfinite(val), backend.out_shape, xf.shape
    f0 = backend.call_at(flat.astype(dtype))
    M = backend.M
    mode = _mode_of(method)
    search = _Search(
        backend, flat, 1, 2, mode, _eps_of(dtype), _MAXFEV, method == "central"
    )
    search.M = M
    search.f0 = np.tile(f0.reshape(1, -1), (N, 1))
    search.have_f0[:] = True
    if step is not None:
        h = _check_step(step, xf.shape, owner)
        val, err = _fixed_step(search, h, True)
        success = np.isfinite(val) & np.isfinite(err)
        return val.T, err.T, backend.calls, success.T, backend.out_shape, xf.shape
    val, err, _, success = search.run()
    return val.T, err.T, backend.calls, success.T, backend.out_shape, xf.shape


def jacobian(f, x, *, method="central", step=None, full_output=False):
    """Jacobian of ``f: R^n -> R^m`` by adaptive finite differences.

    Each coordinate of ``x`` gets its own adaptive step search (about ten
    evaluations); every evaluation serves all outputs of ``f``.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape, returns an array of any fixed shape.
    x : array_like
        The point; every value must be finite.
    method : {"central", "forward", "backward", "complex"}, default "central"
        As in :func:`derivative`; ``"complex"`` costs one evaluation per coordinate.
    step : float or array_like, optional
        A fixed step per coordinate instead of the search (central differences).
    full_output : bool, default False
        Return a :class:`DerivativeResult` (``nfev`` is the total).

    Returns
    -------
    numpy.ndarray or DerivativeResult
        Shape ``f(x).shape + x.shape``: entry ``[i..., j...]`` is
        ``d f[i...] / d x[j...]``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> np.allclose(jacobian(lambda v: A @ v, np.array([0.5, -1.0])), A)
    True
    """
    val, err, nfev, success, out_shape, in_shape = _jacobian_core(
        f, x, method, step, "jacobian"
    )
    shape = tuple(out_shape) + tuple(in_shape)
    value = val.reshape(shape)
    if not full_output:
        return value
    return DerivativeResult(
        value, err.reshape(shape), int(nfev), success.reshape(shape)
    )


def gradient(f, x, *, method="central", step=None, full_output=False):
    """Gradient of a scalar function of an array, by adaptive finite differences.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape and returns a scalar.
    x : array_like
        The point; every value must be finite.
    method : {"central", "forward", "backward", "complex"}, default "central"
        As in :func:`derivative`.
    step : float or array_like, optional
        A fixed step per coordinate instead of the search.
    full_output : bool, default False
        Return a :class:`DerivativeResult` (``nfev`` is the total).

    Returns
    -------
    numpy.ndarray or DerivativeResult
        The gradient, with ``x``'s shape.

    Raises
    ------
    ValueError
        If ``f`` does not return a scalar (use :func:`jacobian`), or for the bad
        inputs listed in :func:`derivative`.

    Examples
    --------
    >>> import numpy as np
    >>> g = gradient(lambda v: 3 * v[0] ** 2 + 5 * np.exp(v[1]), np.array([1.0, 0.0]))
    >>> g.round(10)
    array([6., 5.])
    """
    val, err, nfev, success, out_shape, in_shape = _jacobian_core(
        f, x, method, step, "gradient"
    )
    if tuple(out_shape) != ():
        raise ValueError(
            f"gradient: f must return a scalar; got shape {tuple(out_shape)} "
            "(use jacobian for vector-valued f)"
        )
    value = val.reshape(in_shape)
    if not full_output:
        return value
    return DerivativeResult(
        value, err.reshape(in_shape), int(nfev), success.reshape(in_shape)
    )


def _hessian_pair(backend, f0, x, i, j, steps_i, steps_j, eps_f, fixed):
    """Mixed second difference of coordinates i, j at the given levels of steps.

    Adaptive (``fixed=False``): Richardson over the levels (even powers of the joint
    step), keeping the entry with the smallest error estimate.  Fixed: the value at
    the first level, its error estimated from the second (half) step.
    """
    xi, xj = x[i], x[j]
    dir_i = -1.0 if xi < 0 else 1.0
    dir_j = -1.0 if xj < 0 else 1.0
    vals = []
    rnds = []
    for hi, hj in zip(steps_i, steps_j, strict=True):
        oi = float(np.asarray(xi + dir_i * hi, dtype=backend.dtype))
        oj = float(np.asarray(xj + dir_j * hj, dtype=backend.dtype))
        a = abs(oi - xi) * dir_i
        b = abs(oj - xj) * dir_j
        if a == 0 or b == 0:
            return math.nan, math.inf
        fpa = backend.point(i, xi + a)[0]
        fma = backend.point(i, xi - a)[0]
        fpb = backend.point(j, xj + b)[0]
        fmb = backend.point(j, xj - b)[0]
        vec = x.astype(backend.dtype, copy=True)
        vec[i] = xi + a
        vec[j] = xj + b
        fpp = backend.call_at(vec)[0]
        vec[i] = xi - a
        vec[j] = xj - b
        fmm = backend.call_at(vec)[0]
        num = fpp - fpa - fpb + 2.0 * f0 - fma - fmb + fmm
        vals.append(num / (2.0 * a * b))
        # Rounding of the seven values, and of the arguments inside f.
        gi = abs(fpa - fma) / (2 * abs(a))
        gj = abs(fpb - fmb) / (2 * abs(b))
        mag = abs(fpp) + abs(fpa) + abs(fpb) + 2 * abs(f0) + abs(fma) + abs(fmb)
        mag += abs(fmm) + 4 * (abs(xi) * gi + abs(xj) * gj)
        rnds.append(eps_f * mag / (2.0 * abs(a * b)))
    if fixed:
        err = abs(vals[0] - vals[1]) / (1.0 - 0.25) + rnds[0]
        return vals[0], _SAFETY * err
    T, R = [np.array(vals)], [np.array(rnds)]
    best_e, best_v = math.inf, vals[-1]
    for w in range(2, len(vals) + 1):
        q = _RATIO ** (2 * (w - 1)) - 1.0
        Tp, Rp = T[-1], R[-1]
        Tw = Tp[1:] + (Tp[1:] - Tp[:-1]) / q
        Rw = Rp[1:] * (1 + 1 / q) + Rp[:-1] / q
        for m in range(len(Tw)):
            e = max(abs(Tw[m] - Tp[m + 1]), abs(Tw[m] - Tp[m])) + Rw[m]
            if e < best_e:
                best_e, best_v = e, Tw[m]
        T.append(Tw)
        R.append(Rw)
    return best_v, _SAFETY * best_e


def hessian(f, x, *, step=None, full_output=False):
    """Hessian of a scalar function by adaptive second differences.

    The diagonal comes from an adaptive search for ``d^2 f / dx_i^2`` on each axis
    (points ``x +- h e_i``).  Each mixed entry reuses those axis points and adds two
    evaluations per Richardson level,
    ``[f(x+a+b) - f(x+a) - f(x+b) + 2 f(x) - f(x-a) - f(x-b) + f(x-a-b)] / (2 a b)``,
    so the whole matrix costs about ``3 n**2`` evaluations.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape and returns a scalar.
    x : array_like
        The point; every value must be finite.
    step : float or array_like, optional
        A fixed step per coordinate instead of the search (second-order stencils).
    full_output : bool, default False
        Return a :class:`DerivativeResult` (``nfev`` is the total).

    Returns
    -------
    numpy.ndarray or DerivativeResult
        Symmetric, of shape ``x.shape + x.shape``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> H = hessian(lambda v: v @ A @ v, np.array([0.3, -0.7]))
    >>> np.allclose(H, A + A.T)
    True
    """
    owner = "hessian"
    _check_callable(f, owner)
    xf, dtype = _as_points(x, owner)
    flat = xf.reshape(-1)
    N = flat.size
    if N == 0:
        raise ValueError(
            f"{owner}: x must have at least one element; got shape {xf.shape}"
        )
    backend = _Coordinatewise(f, flat, dtype, owner)
    backend.in_shape = xf.shape
    f0v = backend.call_at(flat.astype(dtype))
    if backend.out_shape != ():
        raise ValueError(
            f"{owner}: f must return a scalar; got shape {tuple(backend.out_shape)}"
        )
    f0 = float(f0v[0])
    eps_f = _eps_of(dtype)
    search = _Search(backend, flat, 2, 2, _CENTRAL, eps_f, _MAXFEV, False)
    search.M = 1
    search.f0 = np.full((N, 1), f0)
    search.have_f0[:] = True
    H = np.zeros((N, N))
    E = np.zeros((N, N))
    if step is not None:
        h = _check_step(step, xf.shape, owner)
        d, e = _fixed_step(search, h, True)
        steps = [[hk, hk / 2.0] for hk in h]
        success = np.isfinite(d[:, 0]) & np.isfinite(e[:, 0])
    else:
        d, e, _, ok = search.run()
        kb = np.nan_to_num(search.g["kb"][:, 0], nan=0).astype(np.int64)
        # The mixed terms use the four smallest steps of each axis' best window
        # (cached already when that window had four steps): small truncation, and
        # the same ladder positions on both axes, so the levels scale jointly.
        levels = np.arange(-3, 1)
        steps = [search.h0[i] * _RATIO ** -(kb[i] + levels) for i in range(N)]
        success = ok[:, 0].copy()
    H[np.diag_indices(N)] = d[:, 0]
    E[np.diag_indices(N)] = e[:, 0]
    pair_ok = np.ones((N, N), dtype=bool)
    for i in range(N):
        for j in range(i + 1, N):
            v, err = _hessian_pair(
                backend, f0, flat, i, j, steps[i], steps[j], eps_f, step is not None
            )
            H[i, j] = H[j, i] = v
            E[i, j] = E[j, i] = err
            pair_ok[i, j] = pair_ok[j, i] = math.isfinite(v) and math.isfinite(err)
    shape = xf.shape + xf.shape
    value = H.reshape(shape)
    if not full_output:
        return value
    succ = pair_ok & success[:, None] & success[None, :]
    return DerivativeResult(
        value, E.reshape(shape), int(backend.calls), succ.reshape(shape)
    )
