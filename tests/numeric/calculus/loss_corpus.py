"""A corpus of real losses with exact gradients, for the finite-difference witness.

Test data for issue 11 (used by ``tests/numeric/calculus/test_fd_corpus.py`` and by
``benchmarks/finite_diff_accuracy.py``, which puts this folder on ``sys.path``).
Each :class:`Case` is a loss ``f`` written as ordinary numpy code would write it (in
the dtype of its input: float64 or float32), a point ``x`` and the exact gradient
there, from the closed form evaluated in float64 (50-digit mpmath for the softmax
families, where the closed form itself would cancel).

Families: softmax cross-entropy at logit scales 1, 5, 20, 100; log-sum-exp; logistic
loss; Gaussian log-likelihood; Gaussian-mixture log-likelihood; a tanh MLP loss;
Rosenbrock; d2l's examples (``3 x0^2 + 5 exp(x1)``, ``x^T A x``); deliberate
cancellation ``a + sum(sin x) - a``; Huber and absolute-value losses away from their
kinks; softplus; Poisson regression.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp
import numpy as np

__all__ = ["Case", "FAMILIES", "cases"]


@dataclass(frozen=True)
class Case:
    """One loss at one point: ``f``, ``x`` (in its dtype) and the exact gradient."""

    family: str
    scale: float
    f: object
    x: np.ndarray
    grad: np.ndarray


def _sigmoid(m):
    """1 / (1 + exp(-m)) to full relative accuracy for either sign of m."""
    e = np.exp(-np.abs(m))
    return np.where(m >= 0, 1 / (1 + e), e / (1 + e))


def _softmax_exact(z, k):
    with mp.workdps(50):
        zs = [mp.mpf(float(v)) for v in z]
        m = max(zs)
        es = [mp.exp(v - m) for v in zs]
        tot = mp.fsum(es)
        g = [e / tot for e in es]
        g[k] -= 1
        return np.array([float(v) for v in g])


def _softmax_ce(rng, scale, dtype):
    n, k = 6, int(rng.integers(6))
    z = (scale * rng.standard_normal(n)).astype(dtype)

    def f(v):
        m = np.max(v)
        return m + np.log(np.sum(np.exp(v - m))) - v[k]

    return f, z, _softmax_exact(z.astype(np.float64), k)


def _logsumexp(rng, scale, dtype):
    z = (scale * rng.standard_normal(5)).astype(dtype)

    def f(v):
        m = np.max(v)
        return m + np.log(np.sum(np.exp(v - m)))

    g = _softmax_exact(z.astype(np.float64), 0)
    g[0] += 1.0
    return f, z, g


def _logistic(rng, scale, dtype):
    X = rng.standard_normal((8, 4)).astype(dtype)
    y = np.where(rng.random(8) < 0.5, -1.0, 1.0).astype(dtype)
    w = (scale * rng.standard_normal(4)).astype(dtype)

    def f(v):
        return np.mean(np.logaddexp(0, -y * (X @ v)))

    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    m = -y64 * (X64 @ w.astype(np.float64))
    sig = _sigmoid(m)
    return f, w, -(X64.T @ (y64 * sig)) / 8


def _gaussian(rng, scale, dtype):
    d = (scale * rng.standard_normal(10) + 1.0).astype(dtype)
    theta = np.array([rng.normal() * scale, rng.normal() * 0.5], dtype=dtype)

    def f(v):
        s = np.exp(v[1])
        return np.sum(0.5 * ((d - v[0]) / s) ** 2 + v[1])

    d64, t = d.astype(np.float64), theta.astype(np.float64)
    r = (d64 - t[0]) / np.exp(t[1])
    return f, theta, np.array([-np.sum(r) / np.exp(t[1]), np.sum(1 - r * r)])


def _mixture(rng, scale, dtype):
    d = (scale * rng.standard_normal(12)).astype(dtype)
    mu = (scale * rng.standard_normal(2)).astype(dtype)

    def f(v):
        a = -0.5 * (d[:, None] - v[None, :]) ** 2
        m = np.max(a, axis=1, keepdims=True)
        return -np.sum(m[:, 0] + np.log(np.sum(0.5 * np.exp(a - m), axis=1)))

    d64, mu64 = d.astype(np.float64), mu.astype(np.float64)
    a = -0.5 * (d64[:, None] - mu64[None, :]) ** 2
    resp = np.exp(a - a.max(axis=1, keepdims=True))
    resp /= resp.sum(axis=1, keepdims=True)
    return f, mu, -np.sum(resp * (d64[:, None] - mu64[None, :]), axis=0)


def _mlp(rng, scale, dtype):
    X = rng.standard_normal((6, 3)).astype(dtype)
    y = rng.standard_normal(6).astype(dtype)
    p = (scale * 0.5 * rng.standard_normal(3 * 2 + 2)).astype(dtype)

    def f(v):
        W, w2 = v[:6].reshape(3, 2), v[6:]
        r = np.tanh(X @ W) @ w2 - y
        return 0.5 * np.mean(r * r)

    X64, y64, p64 = X.astype(np.float64), y.astype(np.float64), p.astype(np.float64)
    W, w2 = p64[:6].reshape(3, 2), p64[6:]
    H = np.tanh(X64 @ W)
    r = H @ w2 - y64
    gw2 = H.T @ r / 6
    gW = X64.T @ ((r[:, None] * w2[None, :]) * (1 - H * H)) / 6
    return f, p, np.concatenate([gW.reshape(-1), gw2])


def _rosenbrock(rng, scale, dtype):
    x = (scale * rng.uniform(-1.5, 1.5, 4)).astype(dtype)

    def f(v):
        return np.sum(100.0 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2)

    v = x.astype(np.float64)
    g = np.zeros(4)
    g[:-1] += -400.0 * v[:-1] * (v[1:] - v[:-1] ** 2) - 2 * (1 - v[:-1])
    g[1:] += 200.0 * (v[1:] - v[:-1] ** 2)
    return f, x, g


def _d2l(rng, scale, dtype):
    x = (scale * rng.uniform(-1, 1, 2)).astype(dtype)
    x[1] = dtype(rng.uniform(-2, 2))

    def f(v):
        return 3 * v[0] ** 2 + 5 * np.exp(v[1])

    v = x.astype(np.float64)
    return f, x, np.array([6 * v[0], 5 * np.exp(v[1])])


def _quadratic_form(rng, scale, dtype):
    A = rng.standard_normal((4, 4)).astype(dtype)
    x = (scale * rng.standard_normal(4)).astype(dtype)

    def f(v):
        return v @ A @ v

    A64 = A.astype(np.float64)
    return f, x, (A64 + A64.T) @ x.astype(np.float64)


def _cancellation(rng, scale, dtype):
    a = dtype(scale * 1e3)
    x = rng.uniform(-2, 2, 5).astype(dtype)

    def f(v):
        return a + np.sum(np.sin(v)) - a

    return f, x, np.cos(x.astype(np.float64))


def _away_from(rng, n, kinks, gap, scale):
    x = scale * rng.uniform(-2, 2, n)
    for k in kinks:
        near = np.abs(x - k * scale) < gap * scale
        x = np.where(near, k * scale + np.sign(x - k * scale + 1e-300) * gap * scale, x)
    return x


def _huber(rng, scale, dtype):
    x = _away_from(rng, 5, (-1.0, 1.0), 0.25, scale).astype(dtype)
    c = dtype(scale)

    def f(v):
        a = np.abs(v)
        return np.sum(np.where(a <= c, 0.5 * v * v, c * (a - 0.5 * c)))

    v = x.astype(np.float64)
    return f, x, np.where(np.abs(v) <= scale, v, scale * np.sign(v))


def _abs(rng, scale, dtype):
    x = _away_from(rng, 5, (0.0,), 0.25, scale).astype(dtype)

    def f(v):
        return np.sum(np.abs(v) * 2.0)

    return f, x, 2.0 * np.sign(x.astype(np.float64))


def _softplus(rng, scale, dtype):
    x = (scale * rng.standard_normal(5)).astype(dtype)

    def f(v):
        return np.sum(np.logaddexp(0, v))

    return f, x, _sigmoid(x.astype(np.float64))


def _poisson(rng, scale, dtype):
    X = (rng.standard_normal((8, 3)) / 2).astype(dtype)
    y = rng.poisson(2.0, 8).astype(dtype)
    w = (scale * 0.3 * rng.standard_normal(3)).astype(dtype)

    def f(v):
        eta = X @ v
        return np.sum(np.exp(eta) - y * eta)

    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    eta = X64 @ w.astype(np.float64)
    return f, w, X64.T @ (np.exp(eta) - y64)


FAMILIES = {
    "softmax-ce": (_softmax_ce, (1.0, 5.0, 20.0, 100.0)),
    "logsumexp": (_logsumexp, (1.0, 10.0)),
    "logistic": (_logistic, (1.0, 5.0)),
    "gaussian-ll": (_gaussian, (1.0, 10.0)),
    "mixture-ll": (_mixture, (1.0, 3.0)),
    "tanh-mlp": (_mlp, (1.0, 3.0)),
    "rosenbrock": (_rosenbrock, (1.0, 2.0)),
    "d2l-3x2+5exp": (_d2l, (1.0, 10.0)),
    "d2l-xAx": (_quadratic_form, (1.0, 10.0)),
    "cancel-a+sin-a": (_cancellation, (1.0, 1e3)),
    "huber": (_huber, (1.0, 5.0)),
    "abs": (_abs, (1.0, 5.0)),
    "softplus": (_softplus, (1.0, 20.0)),
    "poisson": (_poisson, (1.0, 3.0)),
}


def cases(per_scale, dtype=np.float64, seed=0, families=None):
    """``per_scale`` cases of every family at each of its scales.

    Parameters
    ----------
    per_scale : int
        Cases per (family, scale).
    dtype : numpy dtype, default float64
        The dtype of ``x`` (and of the loss's arithmetic).
    seed : int, default 0
        Seed of the ``numpy.random.default_rng`` that draws the data and points.
    families : iterable of str, optional
        A subset of :data:`FAMILIES`.

    Returns
    -------
    list of Case
    """
    rng = np.random.default_rng(seed)
    out = []
    for name in families or FAMILIES:
        make, scales = FAMILIES[name]
        for scale in scales:
            for _ in range(per_scale):
                f, x, g = make(rng, scale, dtype)
                out.append(Case(name, scale, f, np.asarray(x, dtype=dtype), g))
    return out
