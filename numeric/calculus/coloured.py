"""Sparse Jacobians and Hessians by coloured finite differences.

Columns of a Jacobian that share no row can be perturbed together: one difference
along the sum of their steps gives all of them at once, each nonzero read back from
the row where it is the only one of its colour (Curtis, Powell and Reid, 1974;
Coleman and Moré, 1983).  So a tridiagonal Jacobian costs three colours, one
central pair each, whatever ``n``.  The colourings are :mod:`numeric.sparsity`'s
(Gebremedhin, Manne and Pothen, 2005): greedy distance-2 for Jacobians, greedy star
for Hessians; each is checked here against the pattern before any entry is read
back.

A Hessian with a gradient function is the Jacobian of the gradient, read back from
either side of the diagonal (``H[i, j]`` from the row of ``i`` or of ``j``, whichever
is alone in its colour; the mean where both are) so a symmetric (star) colouring
serves too, and the result is exactly symmetric.  From ``f`` alone no colouring
helps: a difference along two groups mixes every pair between them, so each nonzero
of the lower triangle gets its own central second difference (four evaluations off
the diagonal, two on it), still linear in the nonzeros rather than ``3 n**2``.
"""

from __future__ import annotations

import numpy as np

from numeric.calculus.univariate import check_step
from numeric.sparsity import colour_columns, colour_hessian

__all__ = ["coloured_hessian", "coloured_jacobian", "pattern_matrix"]

# Fixed steps: eps**(1/3) balances a central difference's truncation (h**2) against
# rounding (eps / h); eps**(1/2) does it for one-sided ones, eps**(1/4) for second
# differences (h**2 against eps / h**2).  Relative to max(|x_j|, 1).
_EPS = float(np.finfo(np.float64).eps)
STEP_BASE = {"central": _EPS ** (1 / 3), "forward": _EPS**0.5, "second": _EPS**0.25}
COMPLEX_STEP = 1e-20


def pattern_matrix(sparsity, shape, owner):
    """The pattern as a canonical CSR boolean matrix of ``shape`` (or a clear error).

    Parameters
    ----------
    sparsity : scipy.sparse matrix or array_like of bool
        True (nonzero) where the derivative may be nonzero.
    shape : tuple of int or None
        ``(rows, cols)`` the derivative has (None: any 2-D shape).
    owner : str
        The public function's name, for messages.

    Examples
    --------
    >>> pattern_matrix([[1, 0], [0, 1]], (2, 2), "jacobian").nnz
    2
    """
    from scipy import sparse

    if sparse.issparse(sparsity):
        mat = sparse.csr_matrix(sparsity, dtype=bool)
    else:
        try:
            arr = np.asarray(sparsity)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{owner}: sparsity must be a scipy.sparse matrix or a boolean array; "
                f"got {type(sparsity).__name__}"
            ) from exc
        if arr.dtype == object or not (
            arr.dtype == bool or np.issubdtype(arr.dtype, np.number)
        ):
            raise TypeError(
                f"{owner}: sparsity must be boolean (or 0/1); got dtype {arr.dtype}"
            )
        if arr.ndim != 2:
            raise ValueError(
                f"{owner}: sparsity must be 2-D (outputs x inputs); got shape "
                f"{arr.shape}"
            )
        mat = sparse.csr_matrix(arr != 0)
    if shape is not None and tuple(mat.shape) != tuple(shape):
        raise ValueError(
            f"{owner}: sparsity has shape {tuple(mat.shape)}; the derivative has "
            f"shape {tuple(shape)} (flattened f(x) by flattened x)"
        )
    mat.eliminate_zeros()
    mat.sum_duplicates()
    mat.sort_indices()
    return mat


def _steps(x, step, base, owner):
    """One step per coordinate, exactly representable as (x + h) - x."""
    if step is None:
        h = base * np.maximum(np.abs(x), 1.0)
    else:
        h = check_step(step, x.shape, owner)
    return (x + h) - x


def _colours(pattern, symmetric, owner):
    """Colours of the columns from :mod:`numeric.sparsity`: distance-2 for a
    Jacobian (every entry read directly), star for a symmetric Hessian (every entry
    read from one side of the diagonal or the other)."""
    if symmetric:
        colours = colour_hessian(pattern)
    else:
        colours = colour_columns(pattern)
    return np.asarray(colours, dtype=np.int64)


def _alone(rows, colours_of_entries, ncolours):
    """For each pattern entry: is it the only one of its colour in its row?"""
    key = rows * ncolours + colours_of_entries
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return counts[inverse] == 1


class _Counted:
    """f on flat vectors, returning flat float (or complex) arrays; counts calls."""

    def __init__(self, f, shape):
        self.f, self.shape, self.calls = f, shape, 0

    def __call__(self, flat):
        self.calls += 1
        return np.asarray(self.f(flat.reshape(self.shape))).reshape(-1)


def _compressed(fun, x, h, colours, ncolours, method):
    """B[:, c] ~ J @ d_c, where d_c holds the steps of the columns of colour c."""
    cols = []
    f0 = fun(x) if method == "forward" else None
    for c in range(ncolours):
        d = np.where(colours == c, h, 0.0)
        if method == "central":
            cols.append((fun(x + d) - fun(x - d)) / 2.0)
        elif method == "forward":
            cols.append(fun(x + d) - f0)
        else:  # complex step: the imaginary part is exact up to h**2
            cols.append(fun(x + 1j * d).imag)
    return np.stack(cols, axis=1).astype(np.float64, copy=False)


def coloured_jacobian(f, x, sparsity, *, method="central", step=None, owner="jacobian"):
    """The Jacobian of ``f`` at ``x`` on the pattern ``sparsity`` (CSR), and nfev.

    One evaluation per colour (``"forward"`` adds one at ``x``; ``"complex"`` uses
    imaginary steps), two for ``"central"``.  Entry ``[i, j]`` is
    ``d f.flat[i] / d x.flat[j]``; entries outside the pattern are zero.

    Examples
    --------
    >>> import numpy as np
    >>> J, nfev = coloured_jacobian(lambda v: v**2, np.arange(1.0, 4.0), np.eye(3))
    >>> np.round(J.diagonal(), 6), nfev
    (array([2., 4., 6.]), 2)
    """
    if method not in ("central", "forward", "complex"):
        raise ValueError(
            f"{owner}: with sparsity=, method must be 'central', 'forward' or "
            f"'complex'; got {method!r}"
        )
    shape = x.shape
    flat = x.reshape(-1)
    pattern = pattern_matrix(sparsity, None, owner)
    _check_columns(pattern, shape, owner)
    fun = _Counted(f, shape)
    if method == "complex":
        h = np.full(flat.size, COMPLEX_STEP)
        if step is not None:
            h = check_step(step, shape, owner)
    else:
        h = _steps(flat, step, STEP_BASE[method], owner)
    colours = _colours(pattern, False, owner)
    ncolours = int(colours.max()) + 1 if colours.size else 0
    B = _compressed(fun, flat, h, colours, ncolours, method)
    if B.shape[0] != pattern.shape[0]:
        raise ValueError(
            f"{owner}: sparsity has shape {pattern.shape}; the Jacobian has shape "
            f"{(B.shape[0], flat.size)} (f(x).size by x.size)"
        )
    rows, cols = _entries(pattern)
    ok = _alone(rows, colours[cols], ncolours)
    if not ok.all():
        k = int(np.flatnonzero(~ok)[0])
        raise ValueError(
            f"{owner}: the colouring is not valid for the pattern: row {rows[k]} "
            f"has two columns of colour {colours[cols[k]]}"
        )
    values = B[rows, colours[cols]] / h[cols]
    return _csr(values, rows, cols, pattern.shape), fun.calls


def _entries(pattern):
    coo = pattern.tocoo()
    return coo.row.astype(np.int64), coo.col.astype(np.int64)


def _csr(values, rows, cols, shape):
    from scipy import sparse

    return sparse.csr_matrix((values, (rows, cols)), shape=shape)


def _check_columns(pattern, shape, owner):
    n = int(np.prod(shape))
    if pattern.shape[1] != n:
        raise ValueError(
            f"{owner}: sparsity has shape {pattern.shape}; x of shape {shape} needs "
            f"{n} columns"
        )


def _symmetric(sparsity, n, owner):
    """The pattern united with its transpose: a Hessian's pattern is symmetric."""
    pattern = pattern_matrix(sparsity, None, owner)
    if pattern.shape != (n, n):
        raise ValueError(
            f"{owner}: sparsity has shape {pattern.shape}; the Hessian of f on x with "
            f"{n} elements has shape {(n, n)}"
        )
    return pattern_matrix(pattern + pattern.T, (n, n), owner)


def coloured_hessian(f, x, sparsity, *, grad=None, step=None, owner="hessian"):
    """The Hessian of a scalar ``f`` on the pattern ``sparsity`` (CSR), and nfev.

    With ``grad`` (a function returning the gradient with ``x``'s shape): central
    differences of ``grad`` per colour, two gradient calls each (nfev counts them).
    Without: a central second difference per nonzero of the lower triangle.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: np.sum(v**3) + v[0] * v[1]
    >>> H, nfev = coloured_hessian(f, np.array([1.0, 2.0]), np.ones((2, 2)))
    >>> np.round(H.toarray(), 5)
    array([[ 6.,  1.],
           [ 1., 12.]])
    """
    shape = x.shape
    flat = x.reshape(-1)
    pattern = _symmetric(sparsity, flat.size, owner)
    if grad is not None:
        if not callable(grad):
            raise TypeError(
                f"{owner}: grad must be callable; got {type(grad).__name__}"
            )
        return _hessian_from_gradient(grad, flat, shape, pattern, step, owner)
    return _hessian_from_values(f, flat, shape, pattern, step, owner)


def _hessian_from_gradient(grad, flat, shape, pattern, step, owner):
    fun = _Counted(grad, shape)
    h = _steps(flat, step, STEP_BASE["central"], owner)
    colours = _colours(pattern, True, owner)
    ncolours = int(colours.max()) + 1 if colours.size else 0
    B = _compressed(fun, flat, h, colours, ncolours, "central")
    if B.shape[0] != flat.size:
        raise ValueError(
            f"{owner}: grad must return x's {flat.size} elements; got {B.shape[0]}"
        )
    rows, cols = _entries(pattern)
    # H[i, j] from row i (column j alone of its colour there) or from row j (column
    # i alone there); with both, their mean, so the result is symmetric.
    here = _alone(rows, colours[cols], ncolours)
    mirror = _alone(cols, colours[rows], ncolours)  # the entry (j, i) in row j
    if not np.all(here | mirror):
        k = int(np.flatnonzero(~(here | mirror))[0])
        raise ValueError(
            f"{owner}: the colouring cannot recover entry ({rows[k]}, {cols[k]}) of "
            "the Hessian: neither of its rows sees its column alone in its colour"
        )
    a = B[rows, colours[cols]] / h[cols]
    b = B[cols, colours[rows]] / h[rows]
    values = np.where(here & mirror, 0.5 * (a + b), np.where(here, a, b))
    return _csr(values, rows, cols, pattern.shape), fun.calls


def _hessian_from_values(f, flat, shape, pattern, step, owner):
    fun = _Counted(f, shape)

    def value(v):
        out = fun(v)
        if out.size != 1:
            raise ValueError(
                f"{owner}: with sparsity=, f must return a scalar; got {out.size} "
                "values"
            )
        return float(out[0])

    h = _steps(flat, step, STEP_BASE["second"], owner)
    f0 = value(flat)
    rows, cols = _entries(pattern)
    lower = rows >= cols
    rows, cols = rows[lower], cols[lower]
    values = np.empty(rows.size)
    axis = {}
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        if i == j:
            if i not in axis:
                e = np.zeros(flat.size)
                e[i] = h[i]
                axis[i] = (value(flat + e) - 2.0 * f0 + value(flat - e)) / h[i] ** 2
            values[k] = axis[i]
            continue
        a = np.zeros(flat.size)
        a[i] = h[i]
        b = np.zeros(flat.size)
        b[j] = h[j]
        num = value(flat + a + b) - value(flat + a - b)
        num -= value(flat - a + b) - value(flat - a - b)
        values[k] = num / (4.0 * h[i] * h[j])
    off = rows != cols
    all_rows = np.concatenate([rows, cols[off]])
    all_cols = np.concatenate([cols, rows[off]])
    all_values = np.concatenate([values, values[off]])
    return _csr(all_values, all_rows, all_cols, pattern.shape), fun.calls


def sparse_route(owner, f, x, sparsity, method, step, full_output, controls, grad=None):
    """What :func:`numeric.jacobian` / :func:`numeric.hessian` do with ``sparsity=``:
    the coloured derivative as CSR, after checking the options it cannot honour.

    Examples
    --------
    >>> import numpy as np
    >>> J = sparse_route("jacobian", np.exp, np.zeros(3), np.eye(3), None, None,
    ...                  False, {})
    >>> np.round(J.diagonal(), 8)
    array([1., 1., 1.])
    """
    from numeric.validation import check_callable, real_points

    check_callable(f, owner)
    if full_output:
        raise ValueError(
            f"{owner}: full_output is not available with sparsity= (coloured "
            "differences take one fixed step per colour and estimate no error)"
        )
    given = sorted(k for k, v in controls.items() if v is not None)
    if given:
        raise ValueError(
            f"{owner}: {', '.join(given)} apply to the adaptive search, which "
            "sparsity= replaces by one fixed step per colour (pass step= instead)"
        )
    xf, _ = real_points(x, owner)  # coloured differences run in float64
    if xf.size == 0:
        raise ValueError(f"{owner}: x must have at least one element")
    if owner == "hessian":
        return coloured_hessian(f, xf, sparsity, grad=grad, step=step, owner=owner)[0]
    method = "central" if method is None else method
    return coloured_jacobian(f, xf, sparsity, method=method, step=step, owner=owner)[0]
