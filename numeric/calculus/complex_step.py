"""The complex step ``Im f(x + ih) / h``: one evaluation, no cancellation.

For ``f`` analytic in ``x`` and written with functions that accept complex input
(numpy's do), the imaginary part carries the derivative with no subtraction, so the
step can be far below the scale of ``x`` and the result is accurate to a few ulp.
"""

from __future__ import annotations

import numpy as np

from numeric.calculus.stencils import step_scale

__all__ = [
    "COMPLEX_STEP_REL_ERROR",
    "complex_step_derivative",
    "complex_step_jacobian",
    "complex_step_size",
]

# The reported error of a complex-step derivative, relative to its value.
COMPLEX_STEP_REL_ERROR = 2.0 * float(np.finfo(np.float64).eps)


def complex_step_size(x):
    """A power of two far below the scale of x: truncation (h/s)**2 vanishes.

    Examples
    --------
    >>> import numpy as np
    >>> complex_step_size(np.array([1.0])).tolist() == [2.0**-60]
    True
    """
    return 2.0 ** (np.floor(np.log2(step_scale(x))) - 60.0)


def _call_complex(f, z, owner):
    """f(z) as a complex array, or a ValueError saying why f does not qualify."""
    try:
        y = f(z)
    except TypeError as exc:
        raise ValueError(
            f"{owner}: method='complex' needs f to accept complex input; {exc}"
        ) from exc
    arr = np.asarray(y)
    if arr.dtype.kind != "c":
        raise ValueError(
            f"{owner}: method='complex' needs f to return complex values for complex "
            f"input (an analytic f written with numpy functions); got dtype {arr.dtype}"
        )
    return arr


def complex_step_derivative(f, points, owner):
    """The complex-step derivative of an elementwise ``f`` at each of ``points``.

    Parameters
    ----------
    f : callable
        Called with a Python complex for 0-d ``points``, else with a complex array of
        their shape.
    points : numpy.ndarray
        The abscissae (float64).
    owner : str
        The public function, for error messages.

    Returns
    -------
    numpy.ndarray
        The derivatives, flat.

    Examples
    --------
    >>> import numpy as np
    >>> complex_step_derivative(np.sin, np.array([0.0, np.pi]), "derivative").tolist()
    [1.0, -1.0]
    """
    flat = points.reshape(-1)
    h = complex_step_size(flat)
    if points.ndim == 0:
        arr = _call_complex(f, complex(flat[0], h[0]), owner)
        if arr.size != 1:
            raise ValueError(
                f"{owner}: f must return a scalar for scalar x; got shape {arr.shape}"
            )
    else:
        arr = _call_complex(f, (flat + 1j * h).reshape(points.shape), owner)
        if arr.shape != points.shape:
            raise ValueError(
                f"{owner}: f must be elementwise and return an array of x's shape "
                f"{points.shape}; got shape {arr.shape}"
            )
    return arr.reshape(-1).imag / h


def complex_step_jacobian(f, points, owner):
    """The complex-step Jacobian of ``f`` at ``points``, one evaluation per coordinate.

    Parameters
    ----------
    f : callable
        Takes a complex array of ``points``' shape, returns an array of fixed shape.
    points : numpy.ndarray
        The point (float64, at least one element).
    owner : str
        The public function, for error messages.

    Returns
    -------
    jac : numpy.ndarray
        ``(outputs, coordinates)``: entry ``[m, i]`` is ``d f_m / d x_i``.
    out_shape : tuple
        The shape of ``f``'s value.

    Examples
    --------
    >>> import numpy as np
    >>> jac, shape = complex_step_jacobian(lambda v: v**2, np.array([1.0, 3.0]), "j")
    >>> jac.tolist(), shape
    ([[2.0, 0.0], [0.0, 6.0]], (2,))
    """
    flat = points.reshape(-1)
    h = complex_step_size(flat)
    out_shape = None
    rows = []
    for i in range(flat.size):
        z = flat.astype(np.complex128)
        z[i] += 1j * h[i]
        arr = _call_complex(f, z.reshape(points.shape), owner)
        if out_shape is None:
            out_shape = arr.shape
        elif arr.shape != out_shape:
            raise ValueError(
                f"{owner}: f returned shape {arr.shape} after shape "
                f"{out_shape}; its output shape must not change"
            )
        rows.append(arr.reshape(-1).imag / h[i])
    return np.stack(rows, axis=1), out_shape
