"""The tangent line of d2l's calculus section, without plotting.

The figure itself is :func:`numeric.plot.plot_tangent` (it needs matplotlib).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from numeric.calculus.univariate import derivative
from numeric.validation import check_callable, real_scalar, scalar_result

__all__ = ["TangentLine", "tangent_line"]


class TangentLine(NamedTuple):
    """Slope and intercept of ``y = slope * x + intercept``; call it to evaluate.

    Examples
    --------
    >>> line = TangentLine(2.0, -3.0)
    >>> line(1.5)
    0.0
    """

    slope: float
    intercept: float

    def __call__(self, x):
        """The line at ``x`` (a number or an array)."""
        if np.ndim(x):
            return self.slope * np.asarray(x, dtype=float) + self.intercept
        return self.slope * float(x) + self.intercept


def tangent_line(f, x0, **options):
    """Tangent of ``f`` at ``x0``, with the slope from :func:`derivative`.

    Parameters
    ----------
    f : callable
        A real function of one real variable.
    x0 : float
        The point of contact; must be finite.
    **options
        Passed to :func:`numeric.derivative` (``method``, ``step``...).

    Returns
    -------
    TangentLine
        ``(slope, intercept)``: the line ``y = slope * x + intercept`` through
        ``(x0, f(x0))``.

    Examples
    --------
    >>> slope, intercept = tangent_line(lambda x: 3 * x**2 - 4 * x, 1.0)
    >>> round(slope, 10), round(intercept, 10)
    (2.0, -3.0)
    """
    check_callable(f, "tangent_line")
    x0 = real_scalar(x0, "x0", "tangent_line")
    if "full_output" in options or "n" in options:
        raise TypeError("tangent_line: options full_output and n are not accepted")
    slope = float(derivative(f, x0, **options))
    y0 = scalar_result(f(x0), "tangent_line", f"x0 = {x0!r}")
    return TangentLine(slope, y0 - slope * x0)
