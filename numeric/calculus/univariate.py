"""The adaptive derivative of an elementwise function, and its result type.

:func:`derivative` walks a geometric ladder of steps ``h_k = h_0 / r**k`` (ratio
``r = 1.9``, deliberately not 2: with halving steps a periodic function aliases and the
table "converges" to a wrong value), evaluates a difference stencil at each step, and
builds a Richardson table that cancels the ``h**2, h**4, ...`` error terms.  Every
entry gets an error estimate: the Ridders differences to the entries it was built from
(truncation) plus a rounding bound ``eps * (|f| + |x f'|) / h`` carried through the
table's weights.  The search itself is :class:`numeric.calculus.search.StepSearch`.
``method="complex"`` is the complex step ``Im f(x + ih) / h``: one evaluation, no
cancellation, machine precision for ``f`` analytic in ``x``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numeric.calculus.complex_step import (
    COMPLEX_STEP_REL_ERROR,
    complex_step_derivative,
)
from numeric.calculus.evaluators import ElementwiseEvaluator
from numeric.calculus.noise import untrustworthy
from numeric.calculus.search import StepSearch
from numeric.calculus.stencils import BACKWARD, CENTRAL, FORWARD
from numeric.calculus.tuning import AUDIT_EVALUATIONS, HONEST_REL, NOISE_MODEL_FACTOR
from numeric.validation import (
    bind_arguments,
    check_callable,
    check_choice,
    check_int,
    real_points,
    real_scalar,
)

__all__ = [
    "METHODS",
    "DerivativeResult",
    "check_step",
    "check_target",
    "derivative",
    "resolve_direction",
    "stencil_mode",
]

METHODS = ("central", "forward", "backward", "complex")
# direction= (numdifftools' and scipy's spelling) -> method= (ours).
_DIRECTIONS = {
    "center": "central",
    "central": "central",
    "forward": "forward",
    "backward": "backward",
    0: "central",
    1: "forward",
    -1: "backward",
}


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
        evaluation budget, nor without any valid step), and the error is small
        against ``f``'s own variation (else no step gave a trustworthy answer).
    message : str or numpy.ndarray
        Empty where ``success``; otherwise why not (for :func:`derivative`; the
        multivariate functions leave it empty).

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
    message: object = ""


def check_step(step, shape, owner):
    """A fixed step per element of ``x``: positive, finite, broadcast to ``shape``.

    Returns
    -------
    numpy.ndarray
        Flat float64 steps, one per element.

    Examples
    --------
    >>> check_step(0.5, (2,), "derivative").tolist()
    [0.5, 0.5]
    """
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


def stencil_mode(method):
    """The stencil mode of a finite-difference method name.

    Examples
    --------
    >>> stencil_mode("backward")
    -1
    """
    return {"central": CENTRAL, "forward": FORWARD, "backward": BACKWARD}[method]


def resolve_direction(method, direction, owner):
    """The method named by ``method`` and ``direction`` together (None: central).

    ``direction`` is numdifftools' and scipy's spelling of a one-sided difference:
    ``"center"``/``0``, ``"forward"``/``+1``, ``"backward"``/``-1``.

    Examples
    --------
    >>> resolve_direction(None, -1, "derivative")
    'backward'
    >>> resolve_direction("forward", "backward", "derivative")
    Traceback (most recent call last):
    ...
    ValueError: derivative: method='forward' contradicts direction='backward'
    """
    if method is not None:
        method = check_choice(method, "method", owner, METHODS)
    if direction is None:
        return "central" if method is None else method
    key = direction
    if isinstance(direction, bool) or not isinstance(direction, (str, int, np.integer)):
        key = None
    elif not isinstance(direction, str):
        key = int(direction)
    if key not in _DIRECTIONS:
        raise ValueError(
            f"{owner}: unknown direction {direction!r}; expected one of 'center', "
            "'forward', 'backward' (or 0, +1, -1)"
        )
    named = _DIRECTIONS[key]
    if method is not None and method != named:
        raise ValueError(
            f"{owner}: method={method!r} contradicts direction={direction!r}"
        )
    return named


def check_target(atol, rtol, maxiter, step, owner, eps):
    """``atol``, ``rtol`` (non-negative, finite) and ``maxiter`` (>= 1), checked.

    Returns ``(atol, rtol, maxiter)``; a target with one of ``atol``/``rtol``
    given gets the other's default (``0``, and scipy's ``sqrt(eps)``); with
    neither, both are None (no target).  ``maxiter`` caps a search, so it makes
    no sense with a fixed ``step``.

    Examples
    --------
    >>> check_target(1e-8, None, 5, None, "derivative", 2.0**-52)
    (1e-08, 1.4901161193847656e-08, 5)
    >>> check_target(-1.0, None, None, None, "derivative", 2.0**-52)
    Traceback (most recent call last):
    ...
    ValueError: derivative: atol must be >= 0; got -1.0
    """
    out = []
    for value, name in ((atol, "atol"), (rtol, "rtol")):
        if value is not None:
            value = real_scalar(value, name, owner)
            if value < 0:
                raise ValueError(f"{owner}: {name} must be >= 0; got {value!r}")
        out.append(value)
    if maxiter is not None:
        maxiter = check_int(maxiter, "maxiter", owner, 1)
        if step is not None:
            raise ValueError(
                f"{owner}: maxiter caps the step search; it has no meaning with a "
                "fixed step"
            )
    atol, rtol = out
    if atol is not None or rtol is not None:
        atol = 0.0 if atol is None else atol
        rtol = math.sqrt(eps) if rtol is None else rtol
    return atol, rtol, maxiter


def _check_options(method, n, order, owner):
    """The method, n and order of :func:`derivative`, checked together."""
    n = check_int(n, "n", owner, 1)
    order = check_int(order, "order", owner, 1)
    if method == "central" and order % 2:
        raise ValueError(
            f"{owner}: order must be even for central differences; got {order}"
        )
    if method == "complex" and n != 1:
        raise ValueError(
            f"{owner}: method='complex' gives first derivatives only; got n={n}"
        )
    return method, n, order


def derivative(
    f,
    x,
    *,
    method=None,
    order=2,
    step=None,
    n=1,
    full_output=False,
    args=(),
    kwargs=None,
    direction=None,
    maxiter=None,
    atol=None,
    rtol=None,
):
    """Numerical derivative of an elementwise function, with an adaptive step.

    Parameters
    ----------
    f : callable
        A real function of one real variable.  For an array ``x``, ``f`` is called
        with arrays of ``x``'s shape and must act elementwise (as numpy's functions
        do); for a scalar ``x`` it is called with scalars.
    x : float or array_like
        Where to differentiate; every value must be finite.
    method : {"central", "forward", "backward", "complex"}, optional
        The stencil (default ``"central"``).  ``"central"`` switches by itself to a
        one-sided stencil where ``f`` is not finite on one side.  ``"complex"`` is
        the complex step ``Im f(x + ih) / h`` for ``f`` analytic in ``x``: one
        evaluation, accurate to a few ulp.
    order : int, default 2
        Order of accuracy of the base stencil (even for ``"central"``).  Richardson
        extrapolation raises it further when ``step`` is None.
    step : float or array_like, optional
        A fixed step instead of the adaptive search.
    n : int, default 1
        Which derivative (``"complex"`` supports ``n=1`` only).
    full_output : bool, default False
        Return a :class:`DerivativeResult` with ``value``, ``error``, ``nfev``,
        ``success`` and ``message`` instead of the value alone.
    args : tuple, default ()
        Extra positional arguments: ``f(x, *args, **kwargs)``.
    kwargs : dict, optional
        Extra keyword arguments of ``f``.
    direction : {"center", "forward", "backward", 0, 1, -1}, optional
        numdifftools' and scipy's name for ``method``'s one-sided choices
        (``+1`` forward, ``-1`` backward, ``0`` central); passing a ``method`` that
        says otherwise is an error.
    maxiter : int, optional
        Cap on the rounds of the step search (each adds one step, or restarts at
        another scale; the first evaluates three steps).  Elements still
        searching then get ``success=False``.  Not with a fixed ``step``.
    atol, rtol : float, optional
        A target, as in ``scipy.differentiate``: the search stops as soon as the
        reported error is at most ``atol + rtol * |value|``, and ``success`` is
        False (with a message) where the target is not met.  Given one, the other
        defaults to ``atol=0`` or ``rtol=sqrt(eps)``; given neither, the search
        aims at about 1e-11 relative and there is no target.

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
    >>> res = derivative(np.sqrt, 0.5, direction=+1, rtol=1e-6, full_output=True)
    >>> bool(res.success), bool(abs(res.value - 0.5**-0.5 / 2) <= res.error <= 1e-6)
    (True, True)
    """
    owner = "derivative"
    check_callable(f, owner)
    f = bind_arguments(f, args, kwargs, owner)
    method = resolve_direction(method, direction, owner)
    method, n, order = _check_options(method, n, order, owner)
    xf, dtype = real_points(x, owner)
    eps = float(np.finfo(dtype).eps)
    atol, rtol, maxiter = check_target(atol, rtol, maxiter, step, owner, eps)
    scalar = xf.ndim == 0
    flat = xf.reshape(-1)
    if method == "complex":
        val = complex_step_derivative(f, xf, owner)
        err = COMPLEX_STEP_REL_ERROR * np.abs(val)
        nfev = np.ones(flat.size, dtype=np.int64)
        success, message = _target(val, err, np.isfinite(val), atol, rtol)
        return _package(val, err, nfev, success, xf.shape, full_output, message)
    shape = None if scalar else xf.shape
    evaluator = ElementwiseEvaluator(f, flat, dtype, owner, shape)
    search = StepSearch(
        evaluator,
        flat,
        n,
        order,
        stencil_mode(method),
        eps,
        allow_switch=method == "central",
        maxiter=maxiter,
        atol=atol,
        rtol=rtol,
    )
    if step is not None:
        h = check_step(step, xf.shape, owner)
        val, err = search.fixed_step(h, full_output)
        val = val[:, 0]
        err = np.full(val.shape, np.nan) if err is None else err[:, 0]
        success, message = _target(
            val, err, np.isfinite(val) & np.isfinite(err), atol, rtol
        )
        return _package(val, err, search.nfev, success, xf.shape, full_output, message)
    val, err, nfev, success, message = _searched(search, atol, rtol)
    return _package(val, err, nfev, success, xf.shape, full_output, message)


def _searched(search, atol, rtol):
    """Run the search, audit its noise; values, errors, nfev, success, messages."""
    val, err, nfev, success = search.run()
    val, err, nfev, success, untrusted = _audit_noise(search, val, err, nfev, success)
    val, err, success = val[:, 0], err[:, 0], success[:, 0]
    message = np.where(success, "", _FAILED)
    message = np.where(search.out_of_rounds, _MAXITER, message)
    message = np.where(untrusted, _NOISY, message)
    message = np.where(np.isfinite(val), message, _NOT_FINITE)
    success = success & ~untrusted
    success, message = _target(val, err, success, atol, rtol, message)
    return val, err, nfev, success, message


_FAILED = (
    "the step search ended without a converging table (evaluation budget spent, "
    "or no step in the asymptotic range); value and error are the best seen"
)
_NOISY = (
    "no step gives a trustworthy difference: the error (measured noise of f "
    "included) is comparable to f's own variation"
)
_NOT_FINITE = "f is not finite near x"
_MAXITER = "maxiter rounds of the step search ended before the table converged"
_MISSED = "the error estimate is above the target atol + rtol * |value|"


def _target(val, err, success, atol, rtol, message=None):
    """Success and message, with a user's ``atol``/``rtol`` target enforced."""
    if message is None:
        message = np.where(success, "", _NOT_FINITE)
    if atol is None:
        return success, message
    with np.errstate(invalid="ignore"):
        met = err <= atol + rtol * np.abs(val)
    message = np.where(success & ~met, _MISSED, message)
    return success & met, message


class _SubsetEvaluator:
    """An evaluator restricted to some elements (for a second search over them)."""

    def __init__(self, evaluator, elements):
        self.base = evaluator
        self.elements = elements
        self.dtype = evaluator.dtype

    def __call__(self, idx, pts):
        return self.base(self.elements[idx], pts)


def _audit_noise(search, val, err, nfev, success):
    """Measure the noise where the search's answer is suspect, and search again
    with it where f is noisier than the ``eps (|f| + |x f'|)`` model assumed.

    Suspect: no success, a long search, a table short of its stopping accuracy, a
    difference of exactly 0, or differences of f in quanta coarser than the
    rounding of |f| (a smooth f that converged quickly is not probed, which keeps
    the usual cost near ten evaluations).
    """
    v, e = val[:, 0], err[:, 0]
    with np.errstate(invalid="ignore"):
        suspect = (
            ~success[:, 0]
            | (nfev > AUDIT_EVALUATIONS)
            | ~(e <= search.atol + search.stop_rel * np.abs(v))
            | (v == 0)
            | search.suspect_noise()
        )
        # Out of rounds (maxiter) is a failure already; probing would only spend
        # evaluations the user capped.
        suspect &= ~search.out_of_rounds
    idx = np.nonzero(suspect)[0]
    untrusted = np.zeros(val.shape[0], dtype=bool)
    if idx.size == 0:
        return val, err, nfev, success, untrusted
    search.measure_noise(idx)
    model = search.eps_f * np.abs(search.f0[idx, 0])
    noisy = idx[search.noise[idx, 0] > NOISE_MODEL_FACTOR * model]
    if noisy.size:
        val, err, nfev, success = _search_again(search, noisy, val, err, success)
    else:
        nfev = search.nfev
    untrusted[idx] = untrustworthy(
        err[idx, 0],
        val[idx, 0],
        search.f0[idx, 0],
        search.scale[idx],
        search.n,
        search.eps_f,
        HONEST_REL,
    )
    return val, err, nfev, success, untrusted


def _search_again(search, noisy, val, err, success):
    """A second search over the elements ``noisy``, with their measured noise."""
    again = StepSearch(
        _SubsetEvaluator(search.evaluate, noisy),
        search.x[noisy],
        search.n,
        search.order,
        search.initial_mode,
        search.eps_f,
        allow_switch=search.allow_switch,
        f0=search.f0[noisy],
        maxiter=search.maxiter,
        atol=search.atol if search.targeted else None,
        rtol=search.stop_rel if search.targeted else None,
    )
    again.noise[:] = search.noise[noisy]
    v2, e2, n2, s2 = again.run()
    search.out_of_rounds[noisy] = again.out_of_rounds
    val, err, success = val.copy(), err.copy(), success.copy()
    val[noisy], err[noisy], success[noisy] = v2, e2, s2
    nfev = search.nfev.copy()
    nfev[noisy] += n2
    return val, err, nfev, success


def _package(val, err, nfev, success, shape, full_output, message=None):
    """The value, or a DerivativeResult, with x's shape (scalars for scalar x)."""
    if shape == ():
        value = float(val[0])
        if not full_output:
            return value
        text = "" if message is None else str(message[0])
        return DerivativeResult(
            value, float(err[0]), int(nfev[0]), bool(success[0]), text
        )
    value = val.reshape(shape)
    if not full_output:
        return value
    text = "" if message is None else message.reshape(shape)
    return DerivativeResult(
        value, err.reshape(shape), nfev.reshape(shape), success.reshape(shape), text
    )
