"""The source of the helper functions array-API code calls (written into modules).

Each helper takes the namespace ``xp`` first; together they fill the few places where
numpy's functions (which the op rows' templates name) and the array API standard
differ.  They are source text, so an exported module carries them and needs only
numpy (and, optionally, ``array_api_compat``).
"""

from __future__ import annotations

__all__ = ["HELPERS", "helper_sources"]

_NAMESPACE = '''\
def _namespace(*args):
    """The array namespace of the arguments (numpy's when none is an array)."""
    arrays = [a for a in args if not isinstance(a, (int, float, complex))]
    if _compat is None:
        return np
    return _compat.array_namespace(*(arrays or [np.zeros(0)]))
'''

_SHAPES = '''\
def _shape(a):
    return tuple(a.shape)


def _ndim(a):
    return len(a.shape)


def _broadcast_shapes(*shapes):
    """numpy.broadcast_shapes for tuples (an unknown size, None or nan, stays)."""
    k = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(-k, 0):
        sizes = {s[i] for s in shapes if len(s) >= -i and s[i] != 1}
        if len(sizes) > 1:
            raise ValueError(f"shapes {shapes} do not broadcast")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)
'''

_ARG = '''\
def _arg(xp, dtype, value, shape, name):
    """A tensor argument as an array; extra leading dimensions are a batch."""
    value = xp.asarray(value, dtype=dtype)
    k = len(shape)
    if len(value.shape) < k or tuple(value.shape[len(value.shape) - k :]) != shape:
        raise ValueError(
            f"argument {name} must have shape {shape} (or a batch of them, with "
            f"extra leading dimensions), got shape {tuple(value.shape)}"
        )
    return value
'''

_FULL = '''\
def _full(xp, value, shape):
    """An output with the arguments' broadcast shape (copied only if it lacks some)."""
    if tuple(value.shape) == shape:
        return value
    return value + xp.zeros(shape, dtype=value.dtype)


def _fill(xp, shape, value, dtype):
    return xp.asarray(value, dtype=dtype) + xp.zeros(shape, dtype=dtype)
'''

_SCALAR = '''\
def _typed(xp, dtype, value):
    return xp.asarray(value, dtype=dtype)


def _bin(xp, fn, a, b):
    """fn(a, b) where one of a, b may be a Python number."""
    if isinstance(a, (int, float)):
        a = xp.asarray(a, dtype=b.dtype)
    if isinstance(b, (int, float)):
        b = xp.asarray(b, dtype=a.dtype)
    return fn(a, b)


def _where(xp, cond, a, b):
    """where(cond, a, b) where a or b may be a Python number."""
    ref = a if not isinstance(a, (int, float)) else b
    dtype = getattr(ref, "dtype", xp.float64)
    if isinstance(a, (int, float)):
        a = xp.asarray(a, dtype=dtype)
    if isinstance(b, (int, float)):
        b = xp.asarray(b, dtype=dtype)
    return xp.where(cond, a, b)


def _heaviside(xp, x, at0):
    step = xp.astype(x > 0, x.dtype) + xp.astype(x == 0, x.dtype) * at0
    return xp.where(x == x, step, x)
'''

_AXES = '''\
def _expand_dims(xp, a, axes):
    """Insert axes of length 1 at the (negative) positions ``axes``."""
    shape = list(a.shape)
    k = len(shape) + len(axes)
    for ax in sorted(ax % k for ax in axes):
        shape.insert(ax, 1)
    return xp.reshape(a, tuple(shape))


def _swapaxes(xp, a, i, j):
    return xp.matrix_transpose(a)


def _flip(xp, a, axis):
    return xp.flip(a, axis=axis)


def _take(xp, a, index, axis):
    """Entry ``index`` along the (negative) ``axis``: batch axes lead."""
    return a[(..., index) + (slice(None),) * (-axis - 1)]


def _unslice(xp, a, before, after, axis, step=1):
    """Zeros before and after ``a`` along the (negative) ``axis``, and ``step - 1``
    zeros between its entries (a negative ``step``: ``a`` reversed), joined on (the
    standard has no pad, and some arrays take no slice assignment)."""
    if step != 1:
        if step < 0:
            a, step = xp.flip(a, axis=axis), -step
        k = a.ndim + axis
        shape = list(a.shape)
        count = shape[k]
        if count:  # each entry followed by step - 1 zeros, the last ones cut off
            gaps = shape[: k + 1] + [step - 1] + shape[k + 1 :]
            zeros = xp.zeros(tuple(gaps), dtype=a.dtype, device=a.device)
            a = xp.concat([xp.expand_dims(a, axis=k + 1), zeros], axis=k + 1)
            a = xp.reshape(a, tuple(shape[:k] + [count * step] + shape[k + 1 :]))
            a = a[(slice(None),) * k + (slice(0, (count - 1) * step + 1),)]
    parts = [a]
    for width, at in ((before, 0), (after, 1)):
        if width:
            shape = list(a.shape)
            shape[axis] = width
            zeros = xp.zeros(tuple(shape), dtype=a.dtype, device=a.device)
            parts.insert(at * len(parts), zeros)
    return xp.concat(parts, axis=axis) if len(parts) > 1 else a


def _diagonal(xp, a, axis1, axis2):
    return xp.linalg.diagonal(a)


def _trace(xp, a, axis1, axis2):
    return xp.linalg.trace(a)
'''

_SPECIAL = '''\
def _special(xp, name):
    """The namespace's own special function ``name`` (erf, erfc), or None."""
    if _compat is None:
        return None
    try:
        if _compat.is_torch_namespace(xp):
            import torch

            return getattr(torch.special, name)
        if _compat.is_jax_namespace(xp):
            import jax.scipy.special

            return getattr(jax.scipy.special, name)
        if _compat.is_cupy_namespace(xp):
            import cupyx.scipy.special

            return getattr(cupyx.scipy.special, name)
        if _compat.is_numpy_namespace(xp) or _compat.is_dask_namespace(xp):
            import scipy.special

            fn = getattr(scipy.special, name)
            if _compat.is_dask_namespace(xp):
                return lambda x: x.map_blocks(fn)
            return fn
    except ImportError:  # the series below are as accurate
        return None
    return None
'''

_ERF = '''\
def _erf(xp, x):
    """erf by the namespace's own function where it has one, else by a series."""
    fn = _special(xp, "erf")
    return _erf_series(xp, x) if fn is None else fn(x)


def _erf_series(xp, x):
    """The error function from the standard's functions (relative error < 1e-15).

    |x| < 2.5: erf(x) = 2/sqrt(pi) exp(-x**2) sum_n 2**n x**(2n+1) / (2n+1)!!;
    otherwise 1 - exp(-x**2) / (sqrt(pi) t), t a continued fraction.
    """
    ax = xp.abs(x)
    small = ax < 2.5
    s = xp.where(small, ax, xp.zeros_like(ax))
    s2 = 2.0 * s * s
    acc = xp.ones_like(s)
    for n in range(40, 0, -1):
        acc = 1.0 + acc * s2 / (2 * n + 1)
    series = 1.1283791670955126 * xp.exp(-s * s) * s * acc
    c = xp.where(small, xp.full_like(ax, 2.5), xp.clip(ax, max=30.0))
    t = c
    for k in range(30, 0, -1):
        t = c + 0.5 * k / t
    tail = 1.0 - xp.exp(-c * c) / (1.7724538509055159 * t)
    return xp.sign(x) * xp.where(small, series, tail)
'''

_ERFC = '''\
def _erfc(xp, x):
    """erfc by the namespace's own function where it has one, else by a series."""
    fn = _special(xp, "erfc")
    return _erfc_series(xp, x) if fn is None else fn(x)


def _erfc_series(xp, x):
    """erfc from the standard's functions, relative error below 1e-13 for every x.

    |x| < 1.5: 1 - erf(x) by the series of _erf_series; otherwise erfc(|x|) =
    exp(-x**2) / (sqrt(pi) t), t the continued fraction, with x = h + l, h a
    multiple of 1/16 (h**2 exact) so that exp(-x**2) keeps its relative accuracy;
    erfc(x) = 2 - erfc(-x) below zero.
    """
    ax = xp.abs(x)
    small = ax < 1.5
    s = xp.where(small, ax, xp.zeros_like(ax))
    s2 = 2.0 * s * s
    acc = xp.ones_like(s)
    for n in range(30, 0, -1):
        acc = 1.0 + acc * s2 / (2 * n + 1)
    erf = 1.1283791670955126 * xp.exp(-s * s) * s * acc
    c = xp.where(small, xp.full_like(ax, 1.5), xp.clip(ax, max=30.0))
    t = c
    for k in range(80, 0, -1):
        t = c + 0.5 * k / t
    h = xp.round(c * 16.0) / 16.0
    half = xp.exp(-0.5 * h * h)
    tail = half * (xp.exp(-(c - h) * (c + h)) / (1.7724538509055159 * t)) * half
    tail = xp.where(x < 0, 2.0 - tail, tail)
    return xp.where(small, 1.0 - xp.sign(x) * erf, tail)
'''

_LOGSUMEXP = '''\
def _finite_max(xp, a, axis):
    """The largest finite entry along ``axis`` (0 where there is none): the shift
    under which exp overflows nowhere."""
    finite = xp.where(xp.isfinite(a), a, xp.full_like(a, -xp.inf))
    m = xp.max(finite, axis=axis, keepdims=True)
    return xp.where(xp.isfinite(m), m, xp.zeros_like(m))


def _log_sum(xp, s):
    """log(s), with log(0) = -inf written out (no warning to silence)."""
    zero = s == 0
    return xp.where(zero, xp.full_like(s, -xp.inf), xp.log(xp.where(zero, 1.0 + s, s)))


def _logsumexp(xp, a, axis, keepdims):
    """log(sum(exp(a))) along ``axis``, shifted."""
    m = _finite_max(xp, a, axis)
    out = _log_sum(xp, xp.sum(xp.exp(a - m), axis=axis, keepdims=True)) + m
    return out if keepdims else xp.squeeze(out, axis=axis)


def _softmax(xp, a, axis):
    e = xp.exp(a - _finite_max(xp, a, axis))
    s = xp.sum(e, axis=axis, keepdims=True)
    ok = xp.isfinite(s) & (s > 0)  # else nan (a row of -inf, an inf, a nan)
    return xp.where(ok, e / xp.where(ok, s, xp.ones_like(s)), xp.full_like(e, xp.nan))


def _log_softmax(xp, a, axis):
    s = a - _finite_max(xp, a, axis)
    ls = _log_sum(xp, xp.sum(xp.exp(s), axis=axis, keepdims=True))
    ok = xp.isfinite(ls)  # else nan (a row of -inf, an inf, a nan)
    out = s - xp.where(ok, ls, xp.zeros_like(ls))
    return xp.where(ok, out, xp.full_like(s, xp.nan))
'''

# helper group -> its source; a generated call names the group it needs
HELPERS = {
    "namespace": _NAMESPACE,
    "shapes": _SHAPES,
    "arg": _ARG,
    "full": _FULL,
    "scalar": _SCALAR,
    "axes": _AXES,
    "special": _SPECIAL,
    "erf": _ERF,
    "erfc": _ERFC,
    "logsumexp": _LOGSUMEXP,
}
# helper group -> the groups its functions call
_NEEDS = {"erf": ("special",), "erfc": ("special",)}


def helper_sources(groups):
    """The source of the helper groups ``groups`` in a fixed order.

    Examples
    --------
    >>> print(helper_sources({"shapes"}).splitlines()[0])
    def _shape(a):
    """
    groups = set(groups)
    groups.update(need for g in list(groups) for need in _NEEDS.get(g, ()))
    return "\n\n".join(HELPERS[g].rstrip("\n") + "\n" for g in HELPERS if g in groups)
