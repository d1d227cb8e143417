"""Figures for the calculus section (needs matplotlib, the ``plot`` extra).

Built on :class:`matplotlib.figure.Figure` without pyplot, so it works under any
backend (Agg included) and leaves no global figure state behind.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from numeric.calculus.tangent import tangent_line
from numeric.validation import check_callable, real_scalar

__all__ = ["plot_tangent"]


def plot_tangent(f, x0, xs=None, *, label="f(x)", figsize=(3.5, 2.5), **options):
    """d2l's figure of a function and its tangent line at ``x0``.

    Parameters
    ----------
    f : callable
        A real function; called on the array ``xs`` (or elementwise if that fails).
    x0 : float
        The point of contact.
    xs : array_like, optional
        Where to draw; d2l's ``np.arange(0, 3, 0.1)`` by default.
    label : str, default "f(x)"
        Legend entry (and y label) of the function's curve.
    figsize : tuple, default (3.5, 2.5)
        Figure size in inches.
    **options
        Passed to :func:`numeric.tangent_line` (the derivative's options).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with two lines, labelled ``label`` and ``"Tangent line (x=<x0>)"``,
        x label ``"x"`` and y label ``label``, as in d2l.

    Examples
    --------
    >>> fig = plot_tangent(lambda x: 3 * x**2 - 4 * x, 1.0)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['f(x)', 'Tangent line (x=1)']
    """
    check_callable(f, "plot_tangent")
    x0 = real_scalar(x0, "x0", "plot_tangent")
    if xs is None:
        xs = np.arange(0.0, 3.0, 0.1)
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 1 or xs.size < 2 or not np.all(np.isfinite(xs)):
        raise ValueError(
            "plot_tangent: xs must be a 1-d array of at least 2 finite numbers; "
            f"got shape {xs.shape}"
        )
    line = tangent_line(f, x0, **options)
    try:
        ys = np.asarray(f(xs), dtype=float)
        if ys.shape != xs.shape:
            raise ValueError
    except (TypeError, ValueError):
        ys = np.array([float(f(float(t))) for t in xs])
    fig = Figure(figsize=figsize)
    ax = fig.add_subplot()
    ax.plot(xs, ys, "-", label=label)
    ax.plot(xs, line(xs), "m--", label=f"Tangent line (x={x0:g})")
    ax.set_xlabel("x")
    ax.set_ylabel(label)
    ax.set_xlim(xs[0], xs[-1])
    ax.grid(True)
    ax.legend()
    return fig
