"""Gradient checks: compare a hand-written gradient with adaptive finite differences.

The check is per component.  Component ``i`` passes when

    |analytic_i - numeric_i| <= atol + rtol * |numeric_i| + 2 * fd_error_i

where ``numeric_i`` and ``fd_error_i`` come from :func:`numeric.jacobian`
(an adaptive Richardson search with its own error estimate, evaluated in the dtype of
``x``), ``rtol`` defaults to 32 machine epsilons of that dtype and ``atol`` to 0.
Nothing depends on the number of components, so a large array gets the same
per-component scrutiny as a small one; and because the finite-difference error is
estimated rather than assumed, float64 checks are tight (a relative error of 1e-6
fails) while correct float32 gradients pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numeric.calculus.multivariate import jacobian
from numeric.validation import bind_arguments, check_callable, real_points

__all__ = ["GradCheckResult", "check_grad", "assert_grad_close"]

_RTOL_EPS = 32.0  # default rtol in machine epsilons of the dtype
_FD_SAFETY = 2.0  # multiple of the finite-difference error estimate allowed
_UNCHECKED_REL = 0.1  # an unreliable difference with a larger error checks nothing


@dataclass(frozen=True)
class GradCheckResult:
    """Outcome of :func:`check_grad`.

    Attributes
    ----------
    ok : bool
        Every component is within its tolerance.
    max_rel_error : float
        Largest ``|analytic - numeric| / max(|analytic|, |numeric|)`` over the
        components (0 where both are 0).
    analytic, numeric : numpy.ndarray
        The gradient under test and the finite-difference one (``x``'s shape, or
        ``f(x).shape + x.shape`` for a Jacobian).
    abs_error, rel_error : numpy.ndarray
        Per-component absolute and relative differences.
    fd_error : numpy.ndarray
        Estimated error of each finite-difference component.
    tolerance : numpy.ndarray
        Per-component tolerance ``atol + rtol * |numeric| + 2 * fd_error``.
    rtol, atol : float
        The tolerances used.
    dtype : numpy.dtype
        Precision in which ``f`` was evaluated (that of ``x``).
    nfev : int
        Evaluations of ``f``.
    reliable : numpy.ndarray
        Where the finite-difference search converged; elsewhere the check can only
        be as strict as its (large) error estimate.
    unchecked : numpy.ndarray
        Components that could not be checked: the search found no trustworthy step
        and its error is at least a tenth of the value (a loss that rounds away its
        own variation). They do not make ``ok`` False; the report counts them.

    Examples
    --------
    >>> import numpy as np
    >>> res = check_grad(lambda v: np.sum(np.sin(v)), np.cos, np.array([0.1, 0.2]))
    >>> res.ok, res.failures()
    (True, [])
    """

    ok: bool
    max_rel_error: float
    analytic: np.ndarray
    numeric: np.ndarray
    abs_error: np.ndarray
    rel_error: np.ndarray
    fd_error: np.ndarray
    tolerance: np.ndarray
    rtol: float
    atol: float
    dtype: np.dtype
    nfev: int
    reliable: np.ndarray
    unchecked: np.ndarray = None

    def failures(self):
        """Indices (tuples) of the components outside their tolerance.

        Returns
        -------
        list of tuple
            In order of decreasing ``abs_error / tolerance``.

        Examples
        --------
        >>> import numpy as np
        >>> f = lambda v: np.sum(np.sin(v))
        >>> res = check_grad(f, lambda v: np.cos(v) * [1, 1.01], np.zeros(2))
        >>> res.failures()
        [(1,)]
        """
        bad = (self.abs_error > self.tolerance) & ~self._unchecked()
        bad = bad.reshape(-1)
        order = np.argsort(-self._ratio(), axis=None, kind="stable")
        return [
            tuple(int(k) for k in np.unravel_index(i, self.numeric.shape))
            for i in order
            if bad[i]
        ]

    def _unchecked(self):
        if self.unchecked is None:
            return np.zeros(self.numeric.shape, dtype=bool)
        return np.asarray(self.unchecked, dtype=bool)

    def _worst_line(self):
        """The largest relative error, naming its component and its verdict (the
        largest relative error may well be within its tolerance)."""
        if self.rel_error.size == 0:
            return "max relative error 0"
        flat = int(np.argmax(self.rel_error))
        i = np.unravel_index(flat, self.rel_error.shape)
        failed = self.abs_error[i] > self.tolerance[i]
        verdict = "FAIL" if failed else "within tolerance"
        if self._unchecked()[i]:
            verdict = "not checked"
        where = tuple(int(k) for k in i)
        return f"max relative error {self.max_rel_error:.3e} at {where} ({verdict})"

    def _ratio(self):
        tol = np.where(self.tolerance > 0, self.tolerance, np.finfo(float).tiny)
        return self.abs_error / tol

    def report(self, max_rows=10):
        """A readable summary: verdict, worst components, and the tolerance rule.

        Parameters
        ----------
        max_rows : int, default 10
            How many components to list (failures first, then the largest ratios of
            error to tolerance).

        Returns
        -------
        str

        Examples
        --------
        >>> import numpy as np
        >>> res = check_grad(lambda v: np.sum(np.sin(v)), np.cos, np.array([0.5]))
        >>> print(res.report())  # doctest: +ELLIPSIS
        check_grad: OK (1 component), dtype float64, ... evaluations of f
        ...
        """
        n = self.numeric.size
        fails = self.failures()
        head = "OK" if self.ok else f"FAILED ({len(fails)} of {n} outside tolerance)"
        word = "component" if n == 1 else "components"
        skipped = int(self._unchecked().sum())
        if self.ok:
            head = f"OK ({n} {word}" + (f", {skipped} not checked)" if skipped else ")")
        lines = [
            f"check_grad: {head}, "
            f"dtype {np.dtype(self.dtype).name}, {self.nfev} evaluations of f",
            self._worst_line(),
        ]
        order = list(np.argsort(-self._ratio(), axis=None, kind="stable"))
        rows = order[:max_rows]
        lines.append(
            f"{'index':>12}  {'analytic':>22}  {'numeric':>22}  {'|diff|':>9}  "
            f"{'tolerance':>9}  {'rel.err':>9}"
        )
        for flat in rows:
            i = np.unravel_index(flat, self.numeric.shape)
            a = self.analytic[i]
            v = self.numeric[i]
            fail = self.abs_error[i] > self.tolerance[i]
            mark = "  FAIL" if fail and not self._unchecked()[i] else ""
            if not self.reliable[i]:
                mark += "  (finite difference unreliable)"
            lines.append(
                f"{str(tuple(int(k) for k in i)):>12}  {a:>22.15e}  {v:>22.15e}  "
                f"{self.abs_error[i]:>9.2e}  {self.tolerance[i]:>9.2e}  "
                f"{self.rel_error[i]:>9.2e}{mark}"
            )
        if n > len(rows):
            lines.append(f"{'':>12}  ... {n - len(rows)} more within tolerance")
        if skipped:
            lines.append(
                f"{skipped} component(s) not checked: no finite-difference step "
                "resolves f there (its measured noise or rounding is too large)"
            )
        lines.append(
            f"tolerance = atol + rtol*|numeric| + {_FD_SAFETY:g}*fd_error with "
            f"rtol={self.rtol:.2e}, atol={self.atol:.2e}"
        )
        return "\n".join(lines)


def _tolerance_value(value, name, default):
    if value is None:
        return default
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"check_grad: {name} must be a number; got {value!r}") from exc
    if not np.isfinite(out) or out < 0:
        raise ValueError(f"check_grad: {name} must be finite and >= 0; got {value!r}")
    return out


def _analytic_gradient(grad_f, xd, shape):
    """The gradient under test at xd, as float64 of the numeric gradient's shape."""
    if callable(grad_f):
        analytic = grad_f(xd)
    else:
        analytic = grad_f
    try:
        analytic = np.asarray(analytic, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"check_grad: grad_f must give real numbers; got {analytic!r}"
        ) from exc
    if analytic.shape != shape:
        if analytic.size == math.prod(shape) and analytic.size == 1:
            analytic = analytic.reshape(shape)
        else:
            raise ValueError(
                f"check_grad: grad_f has shape {analytic.shape}; expected "
                f"{shape} (f(x).shape + x.shape)"
            )
    return analytic


def _differences(analytic, numeric):
    """Absolute and relative differences (NaN counts as an infinite difference)."""
    abs_error = np.abs(analytic - numeric)
    abs_error = np.where(np.isnan(abs_error), np.inf, abs_error)
    denom = np.maximum(np.abs(analytic), np.abs(numeric))
    with np.errstate(invalid="ignore", divide="ignore"):
        rel_error = np.where(
            denom > 0, abs_error / denom, np.where(abs_error > 0, np.inf, 0.0)
        )
    return abs_error, rel_error


def check_grad(
    f, grad_f, x, *, rtol=None, atol=None, method="central", args=(), kwargs=None
):
    """Compare an analytic gradient (or Jacobian) with finite differences.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape; returns a scalar (or an array, in which
        case ``grad_f`` is its Jacobian of shape ``f(x).shape + x.shape``).
    grad_f : callable or array_like
        The gradient under test, as a function of ``x`` or already evaluated at it.
    x : array_like
        Where to check.  Its dtype sets the precision in which ``f`` is evaluated
        and the default ``rtol``; it must be finite.
    rtol : float, optional
        Relative tolerance; 32 epsilons of ``x``'s dtype by default.
    atol : float, optional
        Absolute tolerance; 0 by default.
    method : {"central", "forward", "backward", "complex"}, default "central"
        Finite-difference method (``"complex"`` for analytic ``f``).
    args : tuple, default ()
        Extra positional arguments of ``f`` and ``grad_f`` (as in scipy's
        ``check_grad``): ``f(x, *args, **kwargs)``.
    kwargs : dict, optional
        Extra keyword arguments of ``f`` and ``grad_f``.

    Returns
    -------
    GradCheckResult

    Raises
    ------
    ValueError
        If ``grad_f`` has the wrong shape, a tolerance is negative, or ``x`` is not
        finite.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: np.sum(v**3)
    >>> check_grad(f, lambda v: 3 * v**2, np.array([1.0, 2.0])).ok
    True
    >>> check_grad(f, lambda v: 3 * v**2 * (1 + 1e-6), np.array([1.0, 2.0])).ok
    False
    """
    check_callable(f, "check_grad")
    f = bind_arguments(f, args, kwargs, "check_grad")
    if callable(grad_f):
        grad_f = bind_arguments(grad_f, args, kwargs, "check_grad")
    xf, dtype = real_points(x, "check_grad")
    xd = np.asarray(x).astype(dtype) if xf.ndim else dtype(xf)
    res = jacobian(f, xd, method=method, full_output=True)
    numeric = np.asarray(res.value, dtype=np.float64)
    fd_error = np.asarray(res.error, dtype=np.float64)
    analytic = _analytic_gradient(grad_f, xd, numeric.shape)
    eps = float(np.finfo(dtype).eps)
    rtol = _tolerance_value(rtol, "rtol", _RTOL_EPS * eps)
    atol = _tolerance_value(atol, "atol", 0.0)
    abs_error, rel_error = _differences(analytic, numeric)
    fd_err = np.where(np.isfinite(fd_error), fd_error, np.inf)
    tolerance = atol + rtol * np.abs(numeric) + _FD_SAFETY * fd_err
    tolerance = np.where(np.isnan(tolerance), np.inf, tolerance)
    reliable = np.asarray(res.success, dtype=bool)
    # Where no finite-difference step is trustworthy and its error rivals the
    # value, the component cannot be checked: it is reported, not failed.
    unchecked = ~reliable & ~(_FD_SAFETY * fd_err < _UNCHECKED_REL * np.abs(numeric))
    ok = bool(np.all((abs_error <= tolerance) | unchecked))
    max_rel = float(np.max(rel_error)) if rel_error.size else 0.0
    return GradCheckResult(
        ok=ok,
        max_rel_error=max_rel,
        analytic=analytic,
        numeric=numeric,
        abs_error=abs_error,
        rel_error=rel_error,
        fd_error=fd_error,
        tolerance=tolerance,
        rtol=rtol,
        atol=atol,
        dtype=np.dtype(dtype),
        nfev=int(res.nfev),
        reliable=reliable,
        unchecked=unchecked,
    )


def assert_grad_close(
    f, grad_f, x, *, rtol=None, atol=None, method="central", args=(), kwargs=None
):
    """Assert that ``grad_f`` matches finite differences (for pytest suites).

    Parameters
    ----------
    f, grad_f, x, rtol, atol, method, args, kwargs
        As in :func:`check_grad`.

    Returns
    -------
    GradCheckResult
        When the check passes.

    Raises
    ------
    AssertionError
        With :meth:`GradCheckResult.report` as its message when it fails.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: np.sum(np.exp(v))
    >>> _ = assert_grad_close(f, np.exp, np.array([0.0, 1.0]))
    >>> assert_grad_close(f, np.cos, np.array([1.0]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: check_grad: FAILED (1 of 1 outside tolerance), ...
    """
    result = check_grad(
        f, grad_f, x, rtol=rtol, atol=atol, method=method, args=args, kwargs=kwargs
    )
    if not result.ok:
        raise AssertionError(result.report())
    return result
