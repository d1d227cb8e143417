"""Argument validators shared by the whole of ``numeric``.

Every check raises with a message that starts with the public function it guards
(``owner``), names the argument and shows the value it got, so that an error read in
a traceback points straight at the caller's mistake.  Add checks here rather than in a
subpackage when two subpackages need them; change none of the messages, tests match
them.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "check_callable",
    "check_choice",
    "check_int",
    "real_points",
    "real_scalar",
    "scalar_result",
    # numeric.probability
    "SUM_TOL",
    "check_alpha",
    "check_instance",
    "check_rng",
    "finite_array",
    "format_scalar",
    "integer_array",
    "outcome_probabilities",
    "positive_int",
    "probability_vector",
    "real_array",
    "require",
    "sample_shape",
]


def check_callable(f, owner):
    """Raise ``TypeError`` unless ``f`` is callable.

    Parameters
    ----------
    f : object
        The function to check.
    owner : str
        The public function whose argument this is (it starts the message).

    Returns
    -------
    callable
        ``f`` itself.

    Examples
    --------
    >>> check_callable(abs, "derivative") is abs
    True
    >>> check_callable(3, "derivative")
    Traceback (most recent call last):
    ...
    TypeError: derivative: f must be callable; got 3
    """
    if not callable(f):
        raise TypeError(f"{owner}: f must be callable; got {f!r}")
    return f


def real_scalar(value, name, owner):
    """A finite real number (a Python or numpy scalar, or a 0-d array) as a float.

    Parameters
    ----------
    value : object
        The argument to check; ``bool`` is rejected.
    name, owner : str
        The argument's name and the public function it belongs to.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is not finite.

    Examples
    --------
    >>> import numpy as np
    >>> real_scalar(np.float32(0.5), "x", "derivative")
    0.5
    >>> real_scalar(float("nan"), "x", "derivative")
    Traceback (most recent call last):
    ...
    ValueError: derivative: x must be finite; got nan
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            arr = np.asarray(value)
        except Exception:  # pragma: no cover - exotic objects
            arr = None
        if arr is None or arr.shape != () or arr.dtype.kind not in "iuf":
            raise TypeError(f"{owner}: {name} must be a real number; got {value!r}")
        value = arr.item()
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{owner}: {name} must be finite; got {value!r}")
    return value


def check_int(value, name, owner, minimum):
    """An integer (not a ``bool``) of at least ``minimum``, as an ``int``.

    Parameters
    ----------
    value : object
        The argument to check.
    name, owner : str
        The argument's name and the public function it belongs to.
    minimum : int
        The smallest value allowed.

    Returns
    -------
    int

    Examples
    --------
    >>> check_int(2, "n", "derivative", 1)
    2
    >>> check_int(0, "n", "derivative", 1)
    Traceback (most recent call last):
    ...
    ValueError: derivative: n must be >= 1; got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be an integer; got {value!r}")
    if value < minimum:
        raise ValueError(f"{owner}: {name} must be >= {minimum}; got {value!r}")
    return int(value)


def check_choice(value, name, owner, allowed):
    """Raise ``ValueError`` unless ``value`` is one of the strings ``allowed``.

    Parameters
    ----------
    value : object
        The argument to check.
    name, owner : str
        The argument's name and the public function it belongs to.
    allowed : sequence of str
        The accepted values, listed in the message in this order.

    Returns
    -------
    str
        ``value`` itself.

    Examples
    --------
    >>> check_choice("forward", "method", "derivative", ("central", "forward"))
    'forward'
    >>> check_choice("cubic", "method", "derivative", ("central", "forward"))
    Traceback (most recent call last):
    ...
    ValueError: derivative: unknown method 'cubic'; expected one of 'central', 'forward'
    """
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{owner}: unknown {name} {value!r}; expected one of "
            + ", ".join(repr(m) for m in allowed)
        )
    return value


def real_points(x, owner):
    """``x`` as a float64 array, and the dtype in which to evaluate functions at it.

    Parameters
    ----------
    x : array_like
        Real numbers (integers, floats); all must be finite.
    owner : str
        The public function ``x`` belongs to.

    Returns
    -------
    points : numpy.ndarray
        ``x`` converted to float64 (0-d for a scalar).
    dtype : type
        ``numpy.float32`` when ``x`` is float16 or float32, ``numpy.float64``
        otherwise: a function of single-precision input is evaluated in single
        precision.

    Examples
    --------
    >>> import numpy as np
    >>> points, dtype = real_points(np.float32([1, 2]), "gradient")
    >>> points.dtype.name, dtype.__name__
    ('float64', 'float32')
    """
    if isinstance(x, bool):
        raise TypeError(f"{owner}: x must be real numbers; got {x!r}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - exotic objects
        raise TypeError(f"{owner}: x must be real numbers; got {x!r}") from exc
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{owner}: x must be real numbers; got {x!r} (dtype {arr.dtype})"
        )
    dtype = np.float32 if arr.dtype in (np.float16, np.float32) else np.float64
    xf = arr.astype(np.float64)
    if not np.all(np.isfinite(xf)):
        bad = xf[~np.isfinite(xf)].reshape(-1)[0]
        raise ValueError(f"{owner}: x must be finite; got {bad!r}")
    return xf, dtype


def scalar_result(y, owner, where):
    """A function's value ``y`` that must be one real number, as a float.

    Parameters
    ----------
    y : object
        What the function returned (a number, or an array of size 1).
    owner : str
        The public function that called it.
    where : str
        Where it was evaluated, for the message (e.g. ``"x = 1.0"``).

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> scalar_result(np.array([2]), "tangent_line", "x0 = 1.0")
    2.0
    >>> scalar_result([1, 2], "tangent_line", "x0 = 1.0")
    Traceback (most recent call last):
    ...
    ValueError: tangent_line: f must return a scalar at x0 = 1.0; got shape (2,)
    """
    arr = np.asarray(y)
    if arr.size != 1:
        raise ValueError(
            f"{owner}: f must return a scalar at {where}; got shape {arr.shape}"
        )
    if arr.dtype.kind not in "iufb":
        raise TypeError(f"{owner}: f must return a real number; got {y!r}")
    return float(arr.reshape(()))


# --------------------------------------------------------------------------------------
# arrays, probabilities and random sources (numeric.probability)
# --------------------------------------------------------------------------------------

#: Probabilities given by the user may carry rounding error (``[0.1] * 10`` sums to
#: 0.9999999999999999), so every sum-to-one check allows this much slack.
SUM_TOL = 1e-9


def format_scalar(value):
    """``repr`` of a 0-d value as the Python ``int``, ``bool`` or ``float`` it holds.

    Parameters
    ----------
    value : scalar or 0-d array_like

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np
    >>> format_scalar(np.int64(5)), format_scalar(np.float64(2.0))
    ('5', '2.0')
    """
    value = np.asarray(value)
    if value.dtype.kind in "iu":
        return repr(int(value))
    if value.dtype.kind == "b":
        return repr(bool(value))
    return repr(float(value))


def real_array(value, name, owner, *, allow_bool=False):
    """``value`` as a float64 array of any shape (infinities and NaN pass).

    Parameters
    ----------
    value : array_like
        Integers or floats (and booleans with ``allow_bool=True``).
    name, owner : str
        The argument's name and the public function it belongs to.
    allow_bool : bool, default False
        Accept boolean arrays (as 0 and 1).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> real_array([1, 2], "x", "Normal.pdf")
    array([1., 2.])
    >>> real_array("a", "p", "Bernoulli")
    Traceback (most recent call last):
    ...
    TypeError: Bernoulli: p must be a real number or array of real numbers; got 'a' (dtype <U1)
    """  # noqa: E501
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(
            f"{owner}: {name} must be a real number or array of real numbers; "
            f"got {value!r}"
        ) from exc
    kinds = "iuf" + ("b" if allow_bool else "")
    if arr.dtype.kind not in kinds:
        raise TypeError(
            f"{owner}: {name} must be a real number or array of real numbers; "
            f"got {value!r} (dtype {arr.dtype})"
        )
    return arr.astype(float)


def finite_array(value, name, owner, ndim=None):
    """``value`` as a float64 array of finite numbers, optionally of a given rank.

    Unlike :func:`real_array`, booleans are accepted and every entry must be finite.

    Parameters
    ----------
    value : array_like
    name, owner : str
        The argument's name and the public function it belongs to.
    ndim : tuple of int, optional
        The accepted numbers of dimensions.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> finite_array([True, 2], "values", "expectation", ndim=(1,))
    array([1., 2.])
    >>> finite_array([1.0, float("inf")], "values", "expectation")
    Traceback (most recent call last):
    ...
    ValueError: expectation: values must be finite; got inf at index (1,)
    """
    try:
        arr = np.asarray(value)
    except Exception as exc:
        raise TypeError(f"{owner}: {name} must be real numbers; got {value!r}") from exc
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{owner}: {name} must be real numbers; got {value!r} (dtype {arr.dtype})"
        )
    arr = arr.astype(float)
    if ndim is not None and arr.ndim not in ndim:
        want = " or ".join(f"{d}-D" for d in ndim)
        raise ValueError(f"{owner}: {name} must be {want}; got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{owner}: {name} must be finite; got {float(arr[where])!r} at index "
            f"{where}"
        )
    return arr


def require(ok, owner, name, value, why):
    """Raise ``ValueError`` naming the first entry of ``value`` where ``ok`` is false.

    Parameters
    ----------
    ok : array_like of bool
        The condition, elementwise.
    owner, name : str
        The public function and the argument's name.
    value : array_like
        The argument, broadcastable to ``ok``'s shape.
    why : str
        What the argument must be, e.g. ``"must be > 0"``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, -2.0])
    >>> require(x > 0, "Normal", "sigma", x, "must be > 0")
    Traceback (most recent call last):
    ...
    ValueError: Normal: sigma must be > 0; got sigma=-2.0 at index (1,)
    """
    ok = np.asarray(ok)
    if ok.all():
        return
    value = np.broadcast_to(np.asarray(value), ok.shape)
    if ok.ndim == 0:
        raise ValueError(f"{owner}: {name} {why}; got {name}={format_scalar(value)}")
    bad = tuple(int(i) for i in np.argwhere(~ok)[0])
    raise ValueError(
        f"{owner}: {name} {why}; got {name}={format_scalar(value[bad])} at index {bad}"
    )


def integer_array(value, name, owner, *, minimum=None):
    """``value`` as an int64 array of whole numbers (``minimum`` may be ``None`` or 0).

    Parameters
    ----------
    value : array_like
        Integers, or floats holding whole numbers; not booleans.
    name, owner : str
        The argument's name and the public function it belongs to.
    minimum : {None, 0}
        ``0`` asks for non-negative integers.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> integer_array(3.0, "n", "Binomial", minimum=0)
    array(3)
    >>> integer_array(2.5, "n", "Binomial", minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: Binomial: n must be a non-negative integer; got n=2.5
    """
    if isinstance(value, bool) or np.asarray(value).dtype.kind == "b":
        raise TypeError(
            f"{owner}: {name} must be an integer, not a bool; got {value!r}"
        )
    arr = real_array(value, name, owner)
    why = "must be an integer" if minimum is None else "must be a non-negative integer"
    require(np.isfinite(arr) & (arr == np.floor(arr)), owner, name, arr, why)
    if minimum is not None:
        require(arr >= minimum, owner, name, arr, why)
    # Beyond 2^53 floats no longer hold every integer; int64 ends at 2^63.
    require(np.abs(arr) <= 2.0**53, owner, name, arr, "must be at most 2**53")
    return arr.astype(np.int64)


def positive_int(value, name, owner):
    """A Python ``int`` of at least 1; anything else is a ``ValueError``.

    Examples
    --------
    >>> positive_int(3, "n", "central_limit")
    3
    >>> positive_int(0, "groups", "dice_experiment")
    Traceback (most recent call last):
    ...
    ValueError: dice_experiment: groups must be a positive integer; got 0
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or int(value) < 1
    ):
        raise ValueError(f"{owner}: {name} must be a positive integer; got {value!r}")
    return int(value)


def check_alpha(value, owner):
    """An error probability ``alpha`` strictly between 0 and 1, as a float.

    Examples
    --------
    >>> check_alpha(0.05, "dkw_bound")
    0.05
    >>> check_alpha(1, "dkw_bound")
    Traceback (most recent call last):
    ...
    ValueError: dkw_bound: alpha must lie in (0, 1); got alpha=1
    """
    try:
        a = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{owner}: alpha must be a number; got {value!r}") from None
    if not 0 < a < 1:
        raise ValueError(f"{owner}: alpha must lie in (0, 1); got alpha={value!r}")
    return a


def probability_vector(value, name, owner):
    """Probability vectors along the last axis (leading axes are a batch), normalised.

    Every entry must lie in ``[0, 1]`` and every vector sum to 1 within
    :data:`SUM_TOL`; the result is divided by its sum.

    Examples
    --------
    >>> probability_vector([0.25, 0.75], "probs", "Categorical")
    array([0.25, 0.75])
    >>> probability_vector([0.5, 0.6], "probs", "Categorical")
    Traceback (most recent call last):
    ...
    ValueError: Categorical: probs must sum to 1; got sum(probs)=1.1
    """
    arr = real_array(value, name, owner)
    if arr.ndim == 0:
        raise ValueError(
            f"{owner}: {name} must be a vector of probabilities (last axis = "
            f"categories); got the scalar {name}={format_scalar(arr)}"
        )
    if arr.shape[-1] == 0:
        raise ValueError(f"{owner}: {name} must have at least one category; got none")
    require(np.isfinite(arr) & (arr >= 0), owner, name, arr, "must be in [0, 1]")
    require(arr <= 1, owner, name, arr, "must be in [0, 1]")
    total = arr.sum(axis=-1)
    ok = np.abs(total - 1.0) <= SUM_TOL
    if not ok.all():
        if total.ndim == 0:
            raise ValueError(
                f"{owner}: {name} must sum to 1; got sum({name})={float(total)!r}"
            )
        bad = tuple(int(i) for i in np.argwhere(~ok)[0])
        raise ValueError(
            f"{owner}: {name} must sum to 1 along the last axis; got sum "
            f"{float(total[bad])!r} at index {bad}"
        )
    # Divide out the rounding so that the masses sum to one as closely as floats allow.
    return arr / total[..., None]


def outcome_probabilities(value, name, owner, length=None):
    """One probability per outcome (a 1-D vector), normalised.

    The entries must be finite and non-negative and sum to 1 within
    :data:`SUM_TOL`; the result is divided by its sum.

    Parameters
    ----------
    value : array_like, 1-D
    name, owner : str
        The argument's name and the public function it belongs to.
    length : int, optional
        The number of outcomes the vector must have.

    Examples
    --------
    >>> outcome_probabilities([0.5, 0.5], "prior", "bayes")
    array([0.5, 0.5])
    >>> outcome_probabilities([0.5, 0.5], "probs", "expectation", length=3)
    Traceback (most recent call last):
    ...
    ValueError: expectation: probs has 2 entries but there are 3 outcomes
    """
    p = finite_array(value, name, owner, ndim=(1,))
    if length is not None and p.shape[0] != length:
        raise ValueError(
            f"{owner}: {name} has {p.shape[0]} entries but there are {length} outcomes"
        )
    if (p < 0).any():
        i = int(np.argmax(p < 0))
        raise ValueError(
            f"{owner}: {name} must be non-negative; got {float(p[i])!r} at index {i}"
        )
    total = float(p.sum())
    if abs(total - 1.0) > SUM_TOL:
        raise ValueError(f"{owner}: {name} must sum to 1; got sum({name})={total!r}")
    return p / total


def check_rng(rng, owner):
    """Raise ``TypeError`` unless ``rng`` is a ``numpy.random.Generator``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> check_rng(rng, "sample") is rng
    True
    >>> check_rng(None, "sample")
    Traceback (most recent call last):
    ...
    TypeError: sample: rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(0); got None
    """  # noqa: E501
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{owner}: rng must be a numpy.random.Generator, e.g. "
            f"numpy.random.default_rng(0); got {rng!r}"
        )
    return rng


def sample_shape(size, owner):
    """A sample ``size`` (``None``, an int or a tuple of ints) as a shape tuple.

    Examples
    --------
    >>> sample_shape(None, "sample"), sample_shape(3, "sample"), sample_shape((2, 0), "s")
    ((), (3,), (2, 0))
    >>> sample_shape(-1, "sample")
    Traceback (most recent call last):
    ...
    ValueError: sample: size must be a non-negative integer or a tuple of them; got size=(-1,)
    """  # noqa: E501
    if size is None:
        return ()
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, bool):
        size = (int(size),)
    try:
        shape = tuple(int(s) for s in size)
        ok = all(
            isinstance(s, (numbers.Integral, np.integer)) and not isinstance(s, bool)
            for s in size
        )
    except TypeError:
        ok = False
    if not ok or any(s < 0 for s in shape):
        raise ValueError(
            f"{owner}: size must be a non-negative integer or a tuple of them; "
            f"got size={size!r}"
        )
    return shape


def check_instance(obj, cls, name, owner):
    """Raise ``TypeError`` unless ``obj`` is an instance of ``cls``.

    Examples
    --------
    >>> check_instance(1.5, float, "x", "plot_distribution")
    1.5
    >>> check_instance("a", float, "x", "plot_distribution")
    Traceback (most recent call last):
    ...
    TypeError: plot_distribution: x must be a float; got 'a'
    """
    if not isinstance(obj, cls):
        raise TypeError(f"{owner}: {name} must be a {cls.__name__}; got {obj!r}")
    return obj


def bind_arguments(f, args, kwargs, owner):
    """``f`` with extra positional and keyword arguments bound after ``x``.

    Parameters
    ----------
    f : callable
        Called as ``f(x, *args, **kwargs)``.
    args : tuple or list
        Extra positional arguments (a tuple or list; a bare value is rejected
        so that a forgotten comma does not pass silently).
    kwargs : dict or None
        Extra keyword arguments.
    owner : str
        The public function these belong to (it starts error messages).

    Returns
    -------
    callable
        ``f`` itself when there is nothing to bind.

    Examples
    --------
    >>> g = bind_arguments(lambda x, a, b=0: a * x + b, (2,), {"b": 1}, "gradient")
    >>> g(3)
    7
    """
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"{owner}: args must be a tuple; got {args!r}")
    if kwargs is None:
        kwargs = {}
    if not isinstance(kwargs, dict):
        raise TypeError(f"{owner}: kwargs must be a dict; got {kwargs!r}")
    if not args and not kwargs:
        return f
    args = tuple(args)
    kwargs = dict(kwargs)

    def bound(x):
        return f(x, *args, **kwargs)

    return bound
