"""Difference stencils: exact weights, the step scale, and one stencil's estimate.

A stencil for the ``n``-th derivative of order of accuracy ``order`` samples ``f`` at
``x + j h`` for integer offsets ``j`` (symmetric ones for central differences,
``0, 1, 2, ...`` for one-sided ones) with weights that make it exact on polynomials of
the highest possible degree.  The weights are rational numbers computed exactly, so
that no rounding enters them.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from numeric.calculus.tuning import SCALE_FLOOR, SCALE_REL_FLOOR

__all__ = [
    "BACKWARD",
    "CENTRAL",
    "FORWARD",
    "Stencil",
    "apply_stencil",
    "difference_stencil",
    "step_scale",
]

# A stencil's mode; the one-sided ones are also the sign of their offsets.
CENTRAL, FORWARD, BACKWARD = 0, 1, -1


class Stencil(NamedTuple):
    """Offsets and weights of a difference rule, and the powers of its error.

    The error of the rule at step ``h`` is a series in ``h**error_order``,
    ``h**(error_order + error_step)``, ... (``error_step`` is 2 for central rules,
    whose odd terms cancel, and 1 for one-sided ones).

    Examples
    --------
    >>> rule = difference_stencil(CENTRAL, 1, 2)
    >>> rule.offsets.tolist(), rule.weights.tolist(), rule.error_order
    ([-1, 1], [-0.5, 0.5], 2)
    """

    offsets: np.ndarray
    weights: np.ndarray
    error_order: int
    error_step: int


def _solve_exactly(rows, rhs):
    """Solve the small square system ``rows @ w = rhs`` by Gauss-Jordan on Fractions."""
    size = len(rows)
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
    return [mat[i][size] for i in range(size)]


@functools.cache
def difference_stencil(mode, n, order):
    """The stencil of mode ``CENTRAL``, ``FORWARD`` or ``BACKWARD`` for ``f^(n)``.

    The weights solve the moment conditions ``sum_j w_j j**m / m! = [m == n]`` for
    ``m < len(offsets)`` in exact rational arithmetic.

    Parameters
    ----------
    mode : int
        ``CENTRAL`` (symmetric offsets) or a one-sided mode (offsets ``0, 1, ...``;
        the caller multiplies them by the signed step).
    n : int
        Which derivative.
    order : int
        Order of accuracy (even for central stencils).

    Returns
    -------
    Stencil
        Offsets with non-zero weights only.

    Examples
    --------
    >>> difference_stencil(FORWARD, 1, 1).weights.tolist()
    [-1.0, 1.0]
    """
    if mode == CENTRAL:
        p = (n + order - 1) // 2
        offsets = list(range(-p, p + 1))
    else:
        offsets = list(range(0, n + order))
    size = len(offsets)
    rows = [
        [Fraction(j) ** m / math.factorial(m) for j in offsets] for m in range(size)
    ]
    rhs = [Fraction(int(m == n)) for m in range(size)]
    weights = _solve_exactly(rows, rhs)
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
    return Stencil(offs, wts, lead, 2 if mode == CENTRAL else 1)


def step_scale(x):
    """The prior length scale of each abscissa, from which the steps start.

    ``|x|`` itself below 1, ``sqrt|x|`` above, never below ``2**-12 |x|``, ``2**-10``
    as an absolute floor near 0, and 1 at exactly 0.

    Parameters
    ----------
    x : numpy.ndarray
        The abscissae (float64).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> step_scale(np.array([0.0, 0.5, 16.0])).tolist()
    [1.0, 0.5, 4.0]
    """
    a = np.abs(x)
    s = np.where(a > 1.0, np.sqrt(a), np.clip(a, SCALE_FLOOR, 1.0))
    s = np.where(a == 0.0, 1.0, s)
    return np.maximum(s, a * SCALE_REL_FLOOR)


def apply_stencil(rule, vals, pos, signed_step, step, n, eps_f, scale):
    """One stencil's derivative, its rounding bound, and the derivative's scale.

    Parameters
    ----------
    rule : Stencil
        The difference rule.
    vals : numpy.ndarray
        ``f`` at the stencil's points, shape ``(offsets, elements, outputs)``.
    pos : numpy.ndarray
        The points as evaluated (after rounding to ``f``'s dtype), ``(offsets,
        elements)``.
    signed_step, step : numpy.ndarray
        The step with its direction, and its length, per element.
    n : int
        Which derivative.
    eps_f : float
        Machine epsilon of ``f``'s dtype.
    scale : numpy.ndarray
        The prior length scale ``s`` of each element.

    Returns
    -------
    value, rounding, magnitude : numpy.ndarray
        Each ``(elements, outputs)``: the difference quotient; the rounding bound
        ``eps (|f| + |x f'|) / h**n`` carried through the weights; and
        ``|value| + mean|f| / s**n``, against which relative thresholds are taken.

    Examples
    --------
    >>> import numpy as np
    >>> rule = difference_stencil(CENTRAL, 1, 2)
    >>> x, h = 1.0, np.array([0.5])
    >>> pos = np.array([[x - 0.5], [x + 0.5]])
    >>> value, _, _ = apply_stencil(rule, pos[:, :, None] ** 2, pos, h, h, 1,
    ...                             2.0**-52, np.array([1.0]))
    >>> value.tolist()
    [[2.0]]
    """
    offs, wts = rule.offsets, rule.weights
    with np.errstate(all="ignore"):
        d = np.einsum("a,aim->im", wts, vals) / (signed_step**n)[:, None]
        amax = int(np.argmax(offs))
        amin = int(np.argmin(offs))
        span = np.abs(pos[amax] - pos[amin])
        slope = np.abs(vals[amax] - vals[amin]) / span[:, None]
        absw = np.abs(wts)[:, None, None]
        mag = np.abs(vals) + np.abs(pos)[:, :, None] * slope[None]
        rnd = eps_f * (absw * mag).sum(axis=0) / (step**n)[:, None]
        fmean = np.abs(vals).mean(axis=0)
        magnitude = np.abs(d) + fmean / (scale**n)[:, None]
    return d, rnd, magnitude
