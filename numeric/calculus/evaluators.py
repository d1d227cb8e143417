"""How the step search calls ``f``: elementwise, or one coordinate of ``x`` at a time.

The search asks for ``f`` at one shifted abscissa per element it is working on, as
``evaluator(idx, points)``, and gets an array ``(len(idx), outputs)`` of float64
values.  :class:`ElementwiseEvaluator` serves :func:`derivative` (all elements shift
in one call of an elementwise ``f``); :class:`CoordinateEvaluator` serves the gradient,
Jacobian and Hessian (one call per shifted coordinate, all outputs at once, cached).
"""

from __future__ import annotations

import numpy as np

from numeric.validation import scalar_result

__all__ = ["CoordinateEvaluator", "ElementwiseEvaluator"]


class ElementwiseEvaluator:
    """Evaluates an elementwise ``f`` at one abscissa per element of ``x``.

    Parameters
    ----------
    f : callable
        Elementwise function (called with scalars when ``shape`` is None).
    x : numpy.ndarray
        The abscissae, float64 and flat.
    dtype : type
        The dtype in which ``f`` is evaluated.
    owner : str
        The public function, for error messages.
    shape : tuple or None
        The shape of ``x`` as given, None for a scalar.

    Examples
    --------
    >>> import numpy as np
    >>> ev = ElementwiseEvaluator(np.square, np.array([1.0, 2.0]), np.float64,
    ...                           "derivative", (2,))
    >>> ev(np.array([1]), np.array([3.0])).tolist()
    [[9.0]]
    """

    def __init__(self, f, x, dtype, owner, shape):
        self.f = f
        self.x = x
        self.shape = shape
        self.dtype = dtype
        self.owner = owner
        self.outputs = 1

    def __call__(self, idx, pts):
        """Values (len(idx), 1) of f at pts (dtype values) for elements idx."""
        if self.shape is None:
            with np.errstate(all="ignore"):
                y = self.f(pts[0])
            where = f"x = {float(pts[0])!r}"
            return np.array([[scalar_result(y, self.owner, where)]])
        full = self.x.astype(self.dtype, copy=True)
        full[idx] = pts
        with np.errstate(all="ignore"):
            y = np.asarray(self.f(full.reshape(self.shape)))
        if y.shape != self.shape:
            raise ValueError(
                f"{self.owner}: f must be elementwise and return an array of x's "
                f"shape {self.shape}; got shape {y.shape}"
            )
        if y.dtype.kind not in "iufb":
            raise TypeError(
                f"{self.owner}: f must return real numbers; got dtype {y.dtype}"
            )
        return y.reshape(-1)[idx].astype(np.float64)[:, None]


class CoordinateEvaluator:
    """Evaluates ``f(x + t e_i)`` for a function ``f`` of an array ``x``.

    ``f`` may return an array of any fixed shape; the first call fixes it
    (``out_shape``, and ``outputs`` its size).  Points on the axes are cached, so
    the Hessian's mixed terms reuse what the diagonal search evaluated.

    Parameters
    ----------
    f : callable
        Takes an array of ``in_shape``.
    x : numpy.ndarray
        The point, float64 and flat.
    dtype : type
        The dtype in which ``f`` is evaluated.
    owner : str
        The public function, for error messages.
    in_shape : tuple
        The shape of ``x`` as given.

    Examples
    --------
    >>> import numpy as np
    >>> ev = CoordinateEvaluator(lambda v: v * v.sum(), np.array([1.0, 2.0]),
    ...                          np.float64, "jacobian", (2,))
    >>> ev.on_axis(0, 2.0).tolist(), ev.outputs, ev.calls
    ([8.0, 8.0], 2, 1)
    """

    def __init__(self, f, x, dtype, owner, in_shape):
        self.f = f
        self.x = x
        self.dtype = dtype
        self.owner = owner
        self.in_shape = in_shape
        self.out_shape = None
        self.outputs = None
        self.cache = {}
        self.calls = 0

    def at(self, vec):
        """``f`` at the flat point ``vec`` (of ``dtype``), as flat float64 values."""
        with np.errstate(all="ignore"):
            y = np.asarray(self.f(vec.reshape(self.in_shape)))
        self.calls += 1
        if y.dtype.kind not in "iufb":
            raise TypeError(
                f"{self.owner}: f must return real numbers; got dtype {y.dtype}"
            )
        if self.out_shape is None:
            if y.size == 0:
                raise ValueError(f"{self.owner}: f returned an empty array at x")
            self.out_shape = y.shape
            self.outputs = int(y.size)
        elif y.shape != self.out_shape:
            raise ValueError(
                f"{self.owner}: f returned shape {y.shape} at a shifted point but "
                f"shape {self.out_shape} at x; its output shape must not change"
            )
        return y.astype(np.float64).reshape(-1)

    def on_axis(self, i, value):
        """``f`` at ``x`` with coordinate ``i`` replaced by ``value`` (cached)."""
        key = (int(i), float(value))
        hit = self.cache.get(key)
        if hit is None:
            vec = self.x.astype(self.dtype, copy=True)
            vec[i] = value
            hit = self.at(vec)
            self.cache[key] = hit
        return hit

    def __call__(self, idx, pts):
        """Values (len(idx), outputs): coordinate ``idx[k]`` moved to ``pts[k]``."""
        return np.stack([self.on_axis(i, p) for i, p in zip(idx, pts, strict=True)])
