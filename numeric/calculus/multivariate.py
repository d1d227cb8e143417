"""Gradients, Jacobians and Hessians by adaptive finite differences.

The step search of :func:`numeric.derivative` runs over the coordinates of ``x``: one
search per coordinate, in lock-step, where every evaluation of a vector-valued ``f``
serves all its outputs (:func:`jacobian`, :func:`gradient`).  :func:`hessian` runs
adaptive second differences on the axes, then builds each mixed term from two new
evaluations per level, reusing the axis points.
"""

from __future__ import annotations

import math

import numpy as np

from numeric.calculus.coloured import sparse_route
from numeric.calculus.complex_step import COMPLEX_STEP_REL_ERROR, complex_step_jacobian
from numeric.calculus.evaluators import CoordinateEvaluator
from numeric.calculus.noise import (
    PROBE_POINTS,
    PROBE_WIDEN,
    noise_from_values,
    probe_step,
    resolution_floor,
    untrustworthy,
)
from numeric.calculus.search import StepSearch
from numeric.calculus.stencils import CENTRAL
from numeric.calculus.tuning import (
    ERROR_SAFETY,
    HONEST_REL,
    NOISE_BOUNDS,
    STEP_RATIO,
)
from numeric.calculus.univariate import (
    DerivativeResult,
    check_step,
    check_target,
    derivative,
    resolve_direction,
    stencil_mode,
)
from numeric.validation import (
    bind_arguments,
    check_callable,
    real_points,
)

__all__ = ["directional_derivative", "gradient", "hessian", "jacobian"]


def _coordinates(f, x, owner):
    """x as float64 (its shape kept) and an evaluator of f along its coordinates."""
    xf, dtype = real_points(x, owner)
    if xf.size == 0:
        raise ValueError(
            f"{owner}: x must have at least one element; got shape {xf.shape}"
        )
    return xf, CoordinateEvaluator(f, xf.reshape(-1), dtype, owner, xf.shape)


def _joint_noise(evaluator, f0, scale, eps_f):
    """Noise of each output of f near x, from one probe along all coordinates.

    The probe moves every coordinate at once (alternating directions), so it costs
    ``PROBE_POINTS - 1`` evaluations whatever the size of ``x``; the noise of f is
    a property of its values near x, shared by all coordinates.
    """
    x = evaluator.x
    delta = probe_step(x, scale, eps_f, evaluator.dtype)
    sigma, flat = _joint_probe(evaluator, f0, delta, eps_f)
    if flat:
        # f did not resolve the probe at all: flat, or quantized more coarsely.
        wide = probe_step(x, PROBE_WIDEN * delta, 1.0, evaluator.dtype)
        sigma, flat = _joint_probe(evaluator, f0, wide, eps_f)
        if flat:
            # Constant over a wide region: f's output rounds away its variation
            # (a softmax loss that is exactly 0).  What it cannot show is at least
            # the rounding of intermediates the size of x.
            sigma = np.fmax(sigma, eps_f * np.max(np.abs(x)) / np.sqrt(12.0))
    return sigma


def _joint_probe(evaluator, f0, delta, eps_f):
    """Noise per output from PROBE_POINTS values, and whether all were equal."""
    x = evaluator.x
    sign = np.where(np.arange(x.size) % 2 == 0, 1.0, -1.0)
    for direction in (sign, -sign):
        vals = [f0]
        for j in range(1, PROBE_POINTS):
            vec = (x + direction * j * delta).astype(evaluator.dtype)
            vals.append(evaluator.at(vec))
        vals = np.stack(vals)
        sigma = np.fmax(noise_from_values(vals), resolution_floor(vals, eps_f))
        if np.all(np.isfinite(sigma)):
            return sigma, bool(np.all(vals == vals[:1]))
    return np.zeros(f0.size), False


def _search_at(evaluator, n, mode, allow_switch, probe=True, **controls):
    """f(x) (flat), and a search over the coordinates that starts from it.

    With ``probe``, the noise of f near x is measured first (a fixed step skips
    it: its error estimate compares two steps instead).  ``controls`` are the
    search's ``maxiter``, ``atol`` and ``rtol``.
    """
    flat = evaluator.x
    f0 = evaluator.at(flat.astype(evaluator.dtype))
    search = StepSearch(
        evaluator,
        flat,
        n,
        2,
        mode,
        float(np.finfo(evaluator.dtype).eps),
        allow_switch=allow_switch,
        outputs=evaluator.outputs,
        f0=np.tile(f0.reshape(1, -1), (flat.size, 1)),
        **controls,
    )
    if probe:
        sigma = _joint_noise(evaluator, f0, search.scale, search.eps_f)
        search.noise[:] = sigma[None, :]
    return f0, search


def _jacobian_core(f, x, method, step, owner, args=(), kwargs=None, controls=None):
    """Values (M, N), errors (M, N), total evaluations, success (M, N), shapes.

    ``controls`` holds :func:`derivative`'s ``direction``, ``maxiter``, ``atol``
    and ``rtol`` (all None by default).
    """
    check_callable(f, owner)
    f = bind_arguments(f, args, kwargs, owner)
    c = dict.fromkeys(("direction", "maxiter", "atol", "rtol")) | (controls or {})
    method = resolve_direction(method, c["direction"], owner)
    xf, evaluator = _coordinates(f, x, owner)
    atol, rtol, maxiter = check_target(
        c["atol"],
        c["rtol"],
        c["maxiter"],
        step,
        owner,
        float(np.finfo(evaluator.dtype).eps),
    )
    if method == "complex":
        val, out_shape = complex_step_jacobian(f, xf, owner)
        err = COMPLEX_STEP_REL_ERROR * np.abs(val)
        success = _met(val, err, np.isfinite(val), atol, rtol)
        return val, err, xf.size, success, out_shape, xf.shape
    f0, search = _search_at(
        evaluator,
        1,
        stencil_mode(method),
        method == "central",
        step is None,
        maxiter=maxiter,
        atol=atol,
        rtol=rtol,
    )
    if step is not None:
        h = check_step(step, xf.shape, owner)
        val, err = search.fixed_step(h, True)
        success = np.isfinite(val) & np.isfinite(err)
    else:
        val, err, _, success = search.run()
        # No step is trustworthy where the error rivals f's own variation.
        success = success & ~untrustworthy(
            err, val, f0[None, :], search.scale[:, None], 1, search.eps_f, HONEST_REL
        )
    success = _met(val, err, success, atol, rtol)
    return val.T, err.T, evaluator.calls, success.T, evaluator.out_shape, xf.shape


def _met(val, err, success, atol, rtol):
    """``success`` where a user's ``atol + rtol |value|`` target is also met."""
    if atol is None:
        return success
    with np.errstate(invalid="ignore"):
        return success & (err <= atol + rtol * np.abs(val))


def jacobian(
    f,
    x,
    *,
    method=None,
    step=None,
    full_output=False,
    args=(),
    kwargs=None,
    direction=None,
    maxiter=None,
    atol=None,
    rtol=None,
    sparsity=None,
):
    """Jacobian of ``f: R^n -> R^m`` by adaptive finite differences.

    Each coordinate of ``x`` gets its own adaptive step search (about ten
    evaluations); every evaluation serves all outputs of ``f``.  With a sparsity
    pattern, coloured differences instead: one fixed step (pair) per colour of
    columns, so a banded Jacobian costs a few evaluations whatever its size
    (:mod:`numeric.calculus.coloured`).

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape, returns an array of any fixed shape.
    x : array_like
        The point; every value must be finite.
    method : {"central", "forward", "backward", "complex"}, optional
        As in :func:`derivative` (default ``"central"``); ``"complex"`` costs one
        evaluation per coordinate.
    step : float or array_like, optional
        A fixed step per coordinate instead of the search (central differences).
    full_output : bool, default False
        Return a :class:`DerivativeResult` (``nfev`` is the total).
    args : tuple, default ()
        Extra positional arguments: ``f(x, *args, **kwargs)``.
    kwargs : dict, optional
        Extra keyword arguments of ``f``.
    direction, maxiter, atol, rtol : optional
        As in :func:`derivative` (per coordinate; the target applies to every
        entry).
    sparsity : scipy.sparse matrix or array_like of bool, optional
        Where the Jacobian may be nonzero, shape ``(f(x).size, x.size)``: use
        coloured differences (``method`` ``"central"``, ``"forward"`` or
        ``"complex"``; steps ``eps**(1/3) max(|x|, 1)``, ``eps**(1/2) ...`` or
        ``step``) and return a CSR matrix; ``full_output`` and the search's
        controls do not apply.

    Returns
    -------
    numpy.ndarray or DerivativeResult or scipy.sparse.csr_matrix
        Shape ``f(x).shape + x.shape``: entry ``[i..., j...]`` is
        ``d f[i...] / d x[j...]``.  With ``sparsity``: CSR of shape
        ``(f(x).size, x.size)``, zero outside the pattern.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> np.allclose(jacobian(lambda v: A @ v, np.array([0.5, -1.0])), A)
    True
    >>> J = jacobian(lambda v: v**2, np.arange(4.0), sparsity=np.eye(4, dtype=bool))
    >>> J.format, np.round(J.diagonal(), 8)
    ('csr', array([0., 2., 4., 6.]))
    """
    if sparsity is not None:
        controls = dict(direction=direction, maxiter=maxiter, atol=atol, rtol=rtol)
        f = bind_arguments(f, args, kwargs, "jacobian") if callable(f) else f
        return sparse_route(
            "jacobian", f, x, sparsity, method, step, full_output, controls
        )
    val, err, nfev, success, out_shape, in_shape = _jacobian_core(
        f,
        x,
        method,
        step,
        "jacobian",
        args,
        kwargs,
        dict(direction=direction, maxiter=maxiter, atol=atol, rtol=rtol),
    )
    shape = tuple(out_shape) + tuple(in_shape)
    value = val.reshape(shape)
    if not full_output:
        return value
    return DerivativeResult(
        value, err.reshape(shape), int(nfev), success.reshape(shape)
    )


def gradient(
    f,
    x,
    *,
    method=None,
    step=None,
    full_output=False,
    args=(),
    kwargs=None,
    direction=None,
    maxiter=None,
    atol=None,
    rtol=None,
):
    """Gradient of a scalar function of an array, by adaptive finite differences.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape and returns a scalar.
    x : array_like
        The point; every value must be finite.
    method : {"central", "forward", "backward", "complex"}, optional
        As in :func:`derivative` (default ``"central"``).
    step : float or array_like, optional
        A fixed step per coordinate instead of the search.
    full_output : bool, default False
        Return a :class:`DerivativeResult` (``nfev`` is the total).
    args : tuple, default ()
        Extra positional arguments: ``f(x, *args, **kwargs)``.
    kwargs : dict, optional
        Extra keyword arguments of ``f``.
    direction, maxiter, atol, rtol : optional
        As in :func:`derivative` (per coordinate; the target applies to every
        entry).

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
        f,
        x,
        method,
        step,
        "gradient",
        args,
        kwargs,
        dict(direction=direction, maxiter=maxiter, atol=atol, rtol=rtol),
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


def _mixed_differences(evaluator, f0, x, i, j, steps_i, steps_j, eps_f, sigma):
    """The mixed second difference of coordinates i, j and its rounding bound, per
    level of steps; None where a step vanishes in f's dtype.
    """
    xi, xj = x[i], x[j]
    dir_i = -1.0 if xi < 0 else 1.0
    dir_j = -1.0 if xj < 0 else 1.0
    vals, rnds = [], []
    for hi, hj in zip(steps_i, steps_j, strict=True):
        oi = float(np.asarray(xi + dir_i * hi, dtype=evaluator.dtype))
        oj = float(np.asarray(xj + dir_j * hj, dtype=evaluator.dtype))
        a = abs(oi - xi) * dir_i
        b = abs(oj - xj) * dir_j
        if a == 0 or b == 0:
            return None
        fpa = evaluator.on_axis(i, xi + a)[0]
        fma = evaluator.on_axis(i, xi - a)[0]
        fpb = evaluator.on_axis(j, xj + b)[0]
        fmb = evaluator.on_axis(j, xj - b)[0]
        vec = x.astype(evaluator.dtype, copy=True)
        vec[i] = xi + a
        vec[j] = xj + b
        fpp = evaluator.at(vec)[0]
        vec[i] = xi - a
        vec[j] = xj - b
        fmm = evaluator.at(vec)[0]
        num = fpp - fpa - fpb + 2.0 * f0 - fma - fmb + fmm
        vals.append(num / (2.0 * a * b))
        # Rounding of the seven values, and of the arguments inside f.
        gi = abs(fpa - fma) / (2 * abs(a))
        gj = abs(fpb - fmb) / (2 * abs(b))
        mag = abs(fpp) + abs(fpa) + abs(fpb) + 2 * abs(f0) + abs(fma) + abs(fmb)
        mag += abs(fmm) + 4 * (abs(xi) * gi + abs(xj) * gj)
        mag = max(eps_f * mag, NOISE_BOUNDS * 8.0 * sigma)
        rnds.append(mag / (2.0 * abs(a * b)))
    return vals, rnds


def _mixed_richardson(vals, rnds):
    """Richardson over the levels (even powers of the joint step): the entry with
    the smallest error estimate, and that estimate.
    """
    T, R = [np.array(vals)], [np.array(rnds)]
    best_e, best_v = math.inf, vals[-1]
    for w in range(2, len(vals) + 1):
        q = STEP_RATIO ** (2 * (w - 1)) - 1.0
        Tp, Rp = T[-1], R[-1]
        Tw = Tp[1:] + (Tp[1:] - Tp[:-1]) / q
        Rw = Rp[1:] * (1 + 1 / q) + Rp[:-1] / q
        for m in range(len(Tw)):
            e = max(abs(Tw[m] - Tp[m + 1]), abs(Tw[m] - Tp[m])) + Rw[m]
            if e < best_e:
                best_e, best_v = e, Tw[m]
        T.append(Tw)
        R.append(Rw)
    return best_v, best_e


def _hessian_pair(evaluator, f0, x, i, j, steps_i, steps_j, eps_f, sigma, fixed):
    """Mixed second derivative of coordinates i, j, and its reported error.

    Adaptive (``fixed=False``): Richardson over the levels of steps.  Fixed: the
    value at the first level, its error estimated from the second (half) step.
    """
    found = _mixed_differences(evaluator, f0, x, i, j, steps_i, steps_j, eps_f, sigma)
    if found is None:
        return math.nan, math.inf
    vals, rnds = found
    if fixed:
        err = abs(vals[0] - vals[1]) / (1.0 - 0.25) + rnds[0]
        return vals[0], ERROR_SAFETY * err
    value, err = _mixed_richardson(vals, rnds)
    return value, ERROR_SAFETY * err


def _hessian_diagonal(search, step, shape, owner):
    """The diagonal, its errors and success, and the steps for the mixed terms."""
    if step is not None:
        h = check_step(step, shape, owner)
        d, e = search.fixed_step(h, True)
        steps = [[hk, hk / 2.0] for hk in h]
        success = np.isfinite(d[:, 0]) & np.isfinite(e[:, 0])
        return d[:, 0], e[:, 0], success, steps
    d, e, _, ok = search.run()
    # The mixed terms use the four smallest steps of each axis' best window
    # (cached already when that window had four steps): small truncation, and
    # the same ladder positions on both axes, so the levels scale jointly.
    return d[:, 0], e[:, 0], ok[:, 0].copy(), search.smallest_steps(4)


def hessian(
    f,
    x,
    *,
    step=None,
    full_output=False,
    args=(),
    kwargs=None,
    sparsity=None,
    grad=None,
):
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
    args : tuple, default ()
        Extra positional arguments: ``f(x, *args, **kwargs)``.
    kwargs : dict, optional
        Extra keyword arguments of ``f``.
    sparsity : scipy.sparse matrix or array_like of bool, optional
        Where the Hessian may be nonzero, ``(x.size, x.size)`` (united with its
        transpose): return a symmetric CSR matrix from fixed-step differences.
        With ``grad``, central differences of the gradient per colour (two
        gradient calls each); without, a central second difference per nonzero
        of the lower triangle (four calls of ``f`` each, two on the diagonal),
        since differences along colour groups of ``f`` alone mix the entries.
    grad : callable, optional
        The gradient of ``f`` (same arguments, returns ``x``'s shape); used only
        with ``sparsity``.

    Returns
    -------
    numpy.ndarray or DerivativeResult or scipy.sparse.csr_matrix
        Symmetric, of shape ``x.shape + x.shape``; for an ``f`` that returns an
        array, ``f(x).shape + x.shape + x.shape`` (one Hessian per output, each
        from its own search).  With ``sparsity``: CSR ``(x.size, x.size)``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> H = hessian(lambda v: v @ A @ v, np.array([0.3, -0.7]))
    >>> np.allclose(H, A + A.T)
    True
    >>> Hs = hessian(lambda v: v @ A @ v, np.array([0.3, -0.7]),
    ...              sparsity=np.ones((2, 2)), grad=lambda v: (A + A.T) @ v)
    >>> np.allclose(Hs.toarray(), A + A.T)
    True
    """
    owner = "hessian"
    check_callable(f, owner)
    f = bind_arguments(f, args, kwargs, owner)
    if sparsity is not None:
        if grad is not None:
            check_callable(grad, owner)
            grad = bind_arguments(grad, args, kwargs, owner)
        return sparse_route(
            owner, f, x, sparsity, None, step, full_output, {}, grad=grad
        )
    if grad is not None:
        raise ValueError(f"{owner}: grad= is used only with sparsity=")
    xf, evaluator = _coordinates(f, x, owner)
    f0, search = _search_at(evaluator, 2, CENTRAL, False, step is None)
    if evaluator.out_shape != ():
        return _vector_hessian(f, x, evaluator.out_shape, step, full_output)
    N, f0, eps_f, fixed = xf.size, float(f0[0]), search.eps_f, step is not None
    diag, diag_err, success, steps = _hessian_diagonal(search, step, xf.shape, owner)
    H, E = np.diag(diag), np.diag(diag_err)
    pair_ok = np.ones((N, N), dtype=bool)
    for i in range(N):
        for j in range(i + 1, N):
            v, err = _hessian_pair(
                evaluator,
                f0,
                search.x,
                i,
                j,
                steps[i],
                steps[j],
                eps_f,
                float(search.noise[0, 0]),
                fixed,
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
        value, E.reshape(shape), int(evaluator.calls), succ.reshape(shape)
    )


def _vector_hessian(f, x, out_shape, step, full_output):
    """The Hessian of each output of an array-valued f, stacked."""
    size = int(np.prod(out_shape))
    parts = [
        hessian(
            lambda v, k=k: np.asarray(f(v)).reshape(-1)[k],
            x,
            step=step,
            full_output=True,
        )
        for k in range(size)
    ]
    value = np.stack([p.value for p in parts]).reshape(
        tuple(out_shape) + parts[0].value.shape
    )
    if not full_output:
        return value
    error = np.stack([p.error for p in parts]).reshape(value.shape)
    success = np.stack([p.success for p in parts]).reshape(value.shape)
    return DerivativeResult(value, error, sum(p.nfev for p in parts), success)


def directional_derivative(f, x, v, *, full_output=False, args=(), kwargs=None):
    """The derivative of a scalar ``f`` at ``x`` along ``v``: ``d/dt f(x + t v)``.

    One adaptive search along the line (about ten evaluations, whatever the size
    of ``x``), equal to ``gradient(f, x) @ v`` for a differentiable ``f``; ``v`` is
    not normalised.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape and returns a scalar.
    x, v : array_like
        The point and the direction, of the same shape; all finite.
    full_output : bool, default False
        Return a :class:`DerivativeResult` as :func:`derivative` does.
    args : tuple, default ()
        Extra positional arguments: ``f(x, *args, **kwargs)``.
    kwargs : dict, optional
        Extra keyword arguments of ``f``.

    Returns
    -------
    float or DerivativeResult

    Examples
    --------
    >>> import numpy as np
    >>> d = directional_derivative(lambda p: p @ p, np.array([1.0, 2.0]),
    ...                            np.array([0.5, -1.0]))
    >>> round(d, 10)
    -3.0
    """
    owner = "directional_derivative"
    check_callable(f, owner)
    f = bind_arguments(f, args, kwargs, owner)
    xf, dtype = real_points(x, owner)
    vf, _ = real_points(v, owner)
    if vf.shape != xf.shape:
        raise ValueError(
            f"{owner}: v must have x's shape {xf.shape}; got shape {vf.shape}"
        )

    def along(t):
        return f((xf + t * vf).astype(dtype))

    return derivative(along, dtype(0.0), full_output=full_output)
