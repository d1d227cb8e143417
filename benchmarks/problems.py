"""The large sparse test problems the sparse-derivative and optimize benchmarks share.

Each builder takes the number of unknowns ``n`` and returns a :class:`Problem`: the
objective (or residuals) as a symdiff expression in one of two formulations, a plain
numpy version of the same function (what scipy's finite-difference route calls), the
standard starting point, and the optimum value where it is known.

- ``"shaped"``: one vector Symbol ``x`` of shape ``(n,)`` (the Bratu grid: ``(m, m)``),
  the function written with slices and sums, as numpy code would be;
- ``"scalar"``: ``n`` scalar Symbols, the function a Python sum of terms, as CasADi's
  ``SX`` or SymPy would see it.

Problems (all with tridiagonal or five-point sparsity, so ``O(n)`` nonzeros):

- ``chained_rosenbrock``: sum of ``100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2``, from
  ``x0 = (-1.2, 1, -1.2, 1, ...)``; minimum 0 at ``x = 1``.
- ``broyden_tridiagonal``: sum of squares of ``(3 - 2 x[i]) x[i] - x[i-1] - 2 x[i+1]
  + 1`` (``x[0] = x[n+1] = 0``), from ``x0 = -1``; minimum 0 (Moré, Garbow and
  Hillstrom, problem 30).
- ``bratu``: the energy ``1/2 |grad u|^2 - lam h^2 sum exp(u)`` of the 2-D Bratu problem
  ``-Laplace u = lam exp(u)`` on an ``m x m`` interior grid (zero boundary, five-point
  stencil, ``n = m^2``), from ``u0 = 0``; its stationary point is the lower solution.
- ``smoothing_ls``: a sparse nonlinear least-squares fit, residuals ``exp(x[i]) - y[i]``
  and ``alpha (x[i+1] - x[i])`` (``2n - 1`` of them) with seeded data ``y``.

Every module here is imported by benchmark scripts only; nothing in the packages
depends on it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import symdiff as sd  # noqa: E402

BRATU_LAMBDA = 1.0
SMOOTHING_ALPHA = 3.0


@dataclass
class Problem:
    """One test problem at one size, in one formulation.

    ``objective`` is a scalar Expr, or None for a least-squares problem, whose
    ``residuals`` is then a vector Expr (shaped) or a list of scalar Exprs.
    ``params`` are the Symbols in the order of the flat vector; ``f`` (and ``r`` for
    least squares) evaluate the same function with numpy on a flat vector.
    """

    name: str
    n: int
    formulation: str
    params: list
    x0: np.ndarray
    f: object
    objective: object = None
    residuals: object = None
    r: object = None
    optimum: float | None = None
    extra: dict = field(default_factory=dict)


def _check(n, formulation, minimum=2):
    if formulation not in ("shaped", "scalar"):
        raise ValueError(
            f"formulation must be 'shaped' or 'scalar'; got {formulation!r}"
        )
    if int(n) < minimum:
        raise ValueError(f"n must be at least {minimum}; got {n}")
    return int(n)


def _vars(n, formulation, name="x"):
    if formulation == "shaped":
        x = sd.Symbol(name, shape=(n,))
        return [x], x
    xs = [sd.Symbol(f"{name}{i}") for i in range(n)]
    return xs, xs


def chained_rosenbrock(n, formulation="shaped"):
    """The chained Rosenbrock function (minimum 0 at all ones)."""
    n = _check(n, formulation)
    params, x = _vars(n, formulation)
    if formulation == "shaped":
        obj = sd.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    else:
        obj = 0
        for i in range(n - 1):
            obj = obj + 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2

    def f(v):
        return float(np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2))

    x0 = np.where(np.arange(n) % 2 == 0, -1.2, 1.0)
    return Problem(
        "chained_rosenbrock", n, formulation, params, x0, f, obj, optimum=0.0
    )


def broyden_residuals_numpy(v):
    """The Broyden tridiagonal residuals of a flat vector."""
    padded = np.concatenate([[0.0], v, [0.0]])
    return (3 - 2 * v) * v - padded[:-2] - 2 * padded[2:] + 1


def broyden_tridiagonal(n, formulation="shaped"):
    """Broyden's tridiagonal function as a sum of squares (minimum 0)."""
    n = _check(n, formulation)
    params, x = _vars(n, formulation)
    if formulation == "shaped":
        mid = (3 - 2 * x) * x + 1
        # the neighbours as sums over slices: x[i-1] for i >= 1, x[i+1] for i < n-1
        first = mid[:1] - 2 * x[1:2]
        inner = mid[1:-1] - x[:-2] - 2 * x[2:]
        last = mid[-1:] - x[-2:-1]
        obj = sd.sum(first**2) + sd.sum(inner**2) + sd.sum(last**2)
    else:
        obj = 0
        for i in range(n):
            ri = (3 - 2 * x[i]) * x[i] + 1
            if i > 0:
                ri = ri - x[i - 1]
            if i < n - 1:
                ri = ri - 2 * x[i + 1]
            obj = obj + ri**2

    def f(v):
        return float(np.sum(broyden_residuals_numpy(v) ** 2))

    x0 = -np.ones(n)
    return Problem(
        "broyden_tridiagonal", n, formulation, params, x0, f, obj, optimum=0.0
    )


def _bratu_numpy(m, lam):
    h2 = 1.0 / (m + 1) ** 2

    def f(v):
        u = np.pad(v.reshape(m, m), 1)
        dx = np.diff(u, axis=0)
        dy = np.diff(u, axis=1)
        return float(
            0.5 * (np.sum(dx**2) + np.sum(dy**2)) - lam * h2 * np.sum(np.exp(v))
        )

    return f


def bratu(n, formulation="shaped", lam=BRATU_LAMBDA):
    """The 2-D Bratu energy on an m x m interior grid, n = m * m (a perfect square)."""
    n = _check(n, formulation, minimum=4)
    m = math.isqrt(n)
    if m * m != n:
        raise ValueError(f"bratu: n must be a perfect square (m * m); got {n}")
    h2 = 1.0 / (m + 1) ** 2
    if formulation == "shaped":
        u = sd.Symbol("u", shape=(m, m))
        params = [u]
        grad2 = (
            sd.sum((u[1:, :] - u[:-1, :]) ** 2)
            + sd.sum((u[:, 1:] - u[:, :-1]) ** 2)
            + sd.sum(u[0, :] ** 2)
            + sd.sum(u[-1, :] ** 2)
            + sd.sum(u[:, 0] ** 2)
            + sd.sum(u[:, -1] ** 2)
        )
        obj = 0.5 * grad2 - lam * h2 * sd.sum(sd.exp(u))
    else:
        us = [sd.Symbol(f"u{i}_{j}") for i in range(m) for j in range(m)]
        params = us
        obj = 0

        def at(i, j):
            return us[i * m + j] if 0 <= i < m and 0 <= j < m else 0

        for i in range(m):
            for j in range(m):
                # each edge once: to the right and downwards, boundary edges included
                e = (at(i, j) - at(i + 1, j)) ** 2 + (at(i, j) - at(i, j + 1)) ** 2
                if i == 0:
                    e = e + at(i, j) ** 2
                if j == 0:
                    e = e + at(i, j) ** 2
                obj = obj + 0.5 * e - lam * h2 * sd.exp(at(i, j))
    x0 = np.zeros(n)
    return Problem("bratu", n, formulation, params, x0, _bratu_numpy(m, lam), obj)


def smoothing_data(n, seed=0):
    """The seeded data of :func:`smoothing_ls`: a smooth positive curve plus noise."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, n)
    return np.exp(np.sin(2 * np.pi * t)) * (1 + 0.05 * rng.standard_normal(n))


def smoothing_ls(n, formulation="shaped", alpha=SMOOTHING_ALPHA, seed=0):
    """Residuals ``exp(x) - y`` and ``alpha * diff(x)``: a sparse least-squares fit."""
    n = _check(n, formulation)
    y = smoothing_data(n, seed)
    params, x = _vars(n, formulation)
    if formulation == "shaped":
        res = sd.concatenate([sd.exp(x) - y, alpha * (x[1:] - x[:-1])])
    else:
        res = [sd.exp(x[i]) - float(y[i]) for i in range(n)]
        res += [alpha * (x[i + 1] - x[i]) for i in range(n - 1)]

    def r(v):
        return np.concatenate([np.exp(v) - y, alpha * np.diff(v)])

    def f(v):
        return 0.5 * float(np.sum(r(v) ** 2))

    x0 = np.zeros(n)
    return Problem(
        "smoothing_ls",
        n,
        formulation,
        params,
        x0,
        f,
        residuals=res,
        r=r,
        extra={"y": y},
    )


MINIMIZE_PROBLEMS = {
    "chained_rosenbrock": chained_rosenbrock,
    "broyden_tridiagonal": broyden_tridiagonal,
    "bratu": bratu,
}
LEAST_SQUARES_PROBLEMS = {"smoothing_ls": smoothing_ls}


def square_size(n):
    """The perfect square nearest ``n`` (Bratu's grid needs one)."""
    return max(4, round(math.sqrt(n)) ** 2)
