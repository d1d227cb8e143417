"""Vector-valued families: Categorical, Multinomial, MultivariateNormal (Cholesky).

Their observations are vectors (or labels standing for one-hot vectors), so they do
not fit :class:`symdiff.stats.Family`, whose log-density is elementwise in the data.
Each function returns the log-density of every observation (a vector, one entry per
row of the data) as an expression in the parameters; ``sum`` of it is the
log-likelihood.  The data enter as constants:

* Categorical labels become a one-hot matrix ``H`` (n x k), so ``log p[x_i]`` is
  ``(H @ log(p))[i]``: no gather op, and the derivative in ``p`` is exact.
* Multinomial counts ``C`` (n x k): ``gammaln(N_i + 1) - sum_j gammaln(C_ij + 1) +
  (C @ log(p))[i]``; ``C_ij log p_j`` is 0 where ``C_ij = 0`` as long as ``p_j > 0``.
* The multivariate normal takes the lower Cholesky factor ``L`` of the covariance
  (positive diagonal): ``-k/2 log 2 pi - sum log diag L - 1/2 |L^-1 (x_i - mu)|^2``.

:func:`fit_closed_form` gives the closed-form MLE (``p = counts / N``; the sample
mean and the biased sample covariance).  A numerical fit over the simplex (``p =
softmax([0, z])``) is not provided: the closed form is exact.
"""

from __future__ import annotations

import math

import numpy as np

from symdiff.constructors.elementwise import log
from symdiff.constructors.special import gammaln
from symdiff.constructors.tensor import diagonal, matmul, solve, transpose
from symdiff.constructors.tensor import sum as sum_
from symdiff.core.errors import ShapeError
from symdiff.core.expr import Expr, as_expr


def _vector_param(name, p):
    p = p if isinstance(p, Expr) else as_expr(np.asarray(p, dtype=float))
    if len(p.shape) != 1 or p.shape[0] < 1:
        raise ShapeError(f"{name}: p must be a vector of shape (k,), got {p.shape}")
    return p


def one_hot(labels, k):
    """The one-hot matrix (n x k) of integer ``labels`` in ``0..k-1``.

    Examples
    --------
    >>> one_hot([0, 2], 3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    lab = np.asarray(labels).reshape(-1)
    if lab.size == 0:
        raise ValueError("categorical: the labels are empty")
    if not np.all(np.isfinite(lab.astype(float))) or np.any(lab != np.round(lab)):
        raise ValueError("categorical: labels must be integers 0..k-1")
    lab = lab.astype(int)
    if lab.min() < 0 or lab.max() >= k:
        raise ValueError(
            f"categorical: labels must lie in 0..{k - 1}, got {lab.min()}..{lab.max()}"
        )
    h = np.zeros((lab.size, k))
    h[np.arange(lab.size), lab] = 1.0
    return h


def categorical_log_pmf(labels, p):
    """``log p[x_i]`` for each label ``x_i`` (a vector expression).

    Parameters
    ----------
    labels : array_like of int
        Labels in ``0..k-1``.
    p : Expr or array_like, shape (k,)
        The probabilities (positive, summing to one: not checked for a symbol).

    Returns
    -------
    Expr of shape (n,)

    Examples
    --------
    >>> from symdiff import Symbol, evaluate
    >>> p = Symbol("p", shape=(3,))
    >>> e = categorical_log_pmf([0, 2, 2], p)
    >>> np.round(evaluate(e, {p: [0.5, 0.25, 0.25]}), 6)
    array([-0.693147, -1.386294, -1.386294])
    """
    p = _vector_param("categorical", p)
    return matmul(as_expr(one_hot(labels, p.shape[0])), log(p))


def _counts(counts, k):
    c = np.asarray(counts, dtype=float)
    if c.ndim == 1:
        c = c[None, :]
    if c.ndim != 2 or c.shape[1] != k:
        raise ShapeError(
            f"multinomial: counts must have shape (n, {k}) or ({k},) to match p of "
            f"shape ({k},), got {np.shape(counts)}"
        )
    if not np.all(np.isfinite(c)) or np.any(c < 0) or np.any(c != np.round(c)):
        raise ValueError("multinomial: counts must be non-negative integers")
    return c


def multinomial_log_pmf(counts, p):
    """The multinomial log-pmf of each row of ``counts`` (its own total ``N_i``).

    Parameters
    ----------
    counts : array_like, shape (n, k) or (k,)
    p : Expr or array_like, shape (k,)

    Returns
    -------
    Expr of shape (n,)

    Examples
    --------
    >>> from symdiff import evaluate
    >>> e = multinomial_log_pmf([[1, 1]], [0.5, 0.5])  # 2 * 0.5 * 0.5
    >>> round(float(np.exp(evaluate(e)[0])), 12)
    0.5
    """
    p = _vector_param("multinomial", p)
    c = _counts(counts, p.shape[0])
    const = gammaln(as_expr(c.sum(axis=1) + 1)) - sum_(gammaln(as_expr(c + 1)), axis=1)
    return const + matmul(as_expr(c), log(p))


def mvnormal_log_pdf(x, mu, chol):
    """The multivariate normal log-density of each row of ``x`` (covariance L Lᵀ).

    Parameters
    ----------
    x : Expr or array_like, shape (n, k) or (k,)
    mu : Expr or array_like, shape (k,)
    chol : Expr or array_like, shape (k, k)
        Lower triangular with a positive diagonal (its upper triangle must be zero:
        the log-determinant is read off the diagonal).

    Returns
    -------
    Expr of shape (n,)

    Examples
    --------
    >>> from symdiff import evaluate
    >>> e = mvnormal_log_pdf([[0.0, 0.0]], [0.0, 0.0], np.eye(2))
    >>> round(float(evaluate(e)[0]), 6)  # -log(2 pi)
    -1.837877
    """
    mu = _vector_param("mvnormal", mu)
    k = mu.shape[0]
    chol = chol if isinstance(chol, Expr) else as_expr(np.asarray(chol, float))
    x = x if isinstance(x, Expr) else as_expr(np.asarray(x, float))
    if x.shape == (k,):
        x = as_expr(np.asarray([0.0])[:, None]) + x  # one row: shape (1, k)
    if chol.shape != (k, k) or len(x.shape) != 2 or x.shape[1] != k:
        raise ShapeError(
            f"mvnormal: need x (n, {k}) and chol ({k}, {k}) to match mu ({k},), got "
            f"x {x.shape} and chol {chol.shape}"
        )
    z = solve(chol, transpose(x - mu))  # (k, n): L^-1 (x_i - mu) in column i
    return (
        -0.5 * k * math.log(2 * math.pi)
        - sum_(log(diagonal(chol)))
        - 0.5 * sum_(z**2, axis=0)
    )


def fit_closed_form(family, data):
    """The closed-form MLE of a vector family from ``data``.

    ``"categorical"`` (labels; ``k = max + 1`` categories) and ``"multinomial"``
    (count rows) give ``{"p": counts / N}``; ``"mvnormal"`` (rows) gives ``{"mu":
    mean, "cov": biased covariance, "chol": its Cholesky factor}``.

    Examples
    --------
    >>> fit_closed_form("categorical", [0, 1, 1, 2])["p"]
    array([0.25, 0.5 , 0.25])
    """
    if family == "categorical":
        lab = np.asarray(data).reshape(-1)
        h = one_hot(lab, int(np.max(lab)) + 1 if lab.size else 1)
        return {"p": h.mean(axis=0)}
    if family == "multinomial":
        c = np.asarray(data, dtype=float)
        c = _counts(c, c.shape[-1] if c.ndim else 0)
        return {"p": c.sum(axis=0) / c.sum()}
    if family == "mvnormal":
        x = np.asarray(data, dtype=float)
        if x.ndim != 2 or x.shape[0] < x.shape[1] + 1:
            raise ShapeError(
                f"mvnormal: need data of shape (n, k) with n > k, got {x.shape}"
            )
        mu = x.mean(axis=0)
        cov = (x - mu).T @ (x - mu) / x.shape[0]
        return {"mu": mu, "cov": cov, "chol": np.linalg.cholesky(cov)}
    raise ValueError(
        f"unknown vector family {family!r}; known: categorical, multinomial, mvnormal"
    )
