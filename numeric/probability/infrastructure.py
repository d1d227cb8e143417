"""The machinery behind every distribution family: declared parameters, base classes.

A family declares its parameters once, each with the :class:`Domain` of values it
accepts, and any relation between them (:class:`Ordered`)::

    class Normal(ContinuousDistribution):
        parameters = (
            Parameter("mu", FINITE, default=0.0),
            Parameter("sigma", POSITIVE, default=1.0),
        )

and then writes only its mathematics (``_pdf``, ``_cdf``, ``_sample``, ...).
:class:`Distribution` builds the constructor's signature from the declarations,
converts and checks every argument against its domain, broadcasts the parameters to
a common *batch shape*, and stores them as read-only arrays ``self._mu``, ... .  The
public methods (``cdf``, ``ppf``, ``sample``, ...) check their own arguments and
broadcast them against the parameters before calling the family's hooks.  The idea
follows scipy's ``scipy/stats/_distribution_infrastructure.py``, written small.

Quantiles follow the usual left-continuous definition
``ppf(q) = min{x : cdf(x) >= q}`` for ``0 < q <= 1``; ``ppf(0)`` is its limit from the
right (the smallest value with positive probability, or the lower end of a continuous
support).  scipy agrees for ``0 < q < 1``; at ``q = 0`` scipy returns one less than the
lower end of a discrete support, and at ``q = 1`` it returns the upper end of the
support even when that end has no mass (``Binomial(10, 0).ppf(1)`` is 0 here, 10 in
scipy).
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass

import numpy as np

from numeric.validation import (
    check_rng,
    format_scalar,
    integer_array,
    probability_vector,
    real_array,
    require,
    sample_shape,
)

__all__ = [
    "Domain",
    "RealInterval",
    "Integers",
    "ProbabilityVectors",
    "FINITE",
    "POSITIVE",
    "NON_NEGATIVE",
    "UNIT_INTERVAL",
    "INTEGERS",
    "NON_NEGATIVE_INTEGERS",
    "PROBABILITY_VECTORS",
    "Parameter",
    "Ordered",
    "as_output",
    "Distribution",
    "DiscreteDistribution",
    "ContinuousDistribution",
]


# --------------------------------------------------------------------------------------
# declarations: domains, parameters, relations between parameters
# --------------------------------------------------------------------------------------


class Domain:
    """The values a parameter accepts.

    A domain converts an argument to a numpy array and raises, naming the parameter
    and the offending value, when the argument lies outside it.  ``event_ndim`` is
    the number of trailing axes that make up one value (1 for a probability vector);
    the leading axes are batch axes.
    """

    event_ndim = 0

    def convert(self, value, name, owner):
        """Return ``value`` as an array inside the domain, or raise.

        Examples
        --------
        >>> UNIT_INTERVAL.convert([0.2, 1.0], "p", "Bernoulli")
        array([0.2, 1. ])
        """
        raise NotImplementedError


@dataclass(frozen=True)
class RealInterval(Domain):
    """Finite real numbers between ``low`` and ``high``.

    Attributes
    ----------
    low, high : float
        The ends (infinite ends leave that side open, but values stay finite).
    why : str
        What the message says a value must be, e.g. ``"must be > 0"``.
    open_low : bool, default False
        Exclude ``low`` itself.

    Examples
    --------
    >>> POSITIVE.convert(0.0, "sigma", "Normal")
    Traceback (most recent call last):
    ...
    ValueError: Normal: sigma must be > 0; got sigma=0.0
    """

    low: float
    high: float
    why: str
    open_low: bool = False

    def convert(self, value, name, owner):
        arr = real_array(value, name, owner)
        above = arr > self.low if self.open_low else arr >= self.low
        require(
            np.isfinite(arr) & above & (arr <= self.high), owner, name, arr, self.why
        )
        return arr


@dataclass(frozen=True)
class Integers(Domain):
    """Whole numbers (stored as int64), all of them or the non-negative ones.

    Examples
    --------
    >>> NON_NEGATIVE_INTEGERS.convert(-1, "n", "Binomial")
    Traceback (most recent call last):
    ...
    ValueError: Binomial: n must be a non-negative integer; got n=-1.0
    """

    non_negative: bool = False

    def convert(self, value, name, owner):
        return integer_array(
            value, name, owner, minimum=0 if self.non_negative else None
        )


class ProbabilityVectors(Domain):
    """Probability vectors along the last axis, each summing to 1.

    Examples
    --------
    >>> PROBABILITY_VECTORS.convert([0.5, 0.5], "probs", "Categorical")
    array([0.5, 0.5])
    """

    event_ndim = 1

    def convert(self, value, name, owner):
        return probability_vector(value, name, owner)


FINITE = RealInterval(-math.inf, math.inf, "must be finite")
POSITIVE = RealInterval(0.0, math.inf, "must be > 0", open_low=True)
NON_NEGATIVE = RealInterval(0.0, math.inf, "must be finite and >= 0")
UNIT_INTERVAL = RealInterval(0.0, 1.0, "must lie in [0, 1]")
INTEGERS = Integers()
NON_NEGATIVE_INTEGERS = Integers(non_negative=True)
PROBABILITY_VECTORS = ProbabilityVectors()


@dataclass(frozen=True)
class Parameter:
    """One parameter of a family: its name, its domain and its default, if any.

    Examples
    --------
    >>> Parameter("rate", POSITIVE, default=1.0).default
    1.0
    """

    name: str
    domain: Domain
    default: object = inspect.Parameter.empty


@dataclass(frozen=True)
class Ordered:
    """The relation ``low <= high`` (``low < high`` when ``strict``) between two
    parameters, checked after broadcasting.

    Examples
    --------
    >>> import numpy as np
    >>> Ordered("low", "high", "high must be >= low").check(
    ...     {"low": np.array(5), "high": np.array(1)}, "DiscreteUniform"
    ... )
    Traceback (most recent call last):
    ...
    ValueError: DiscreteUniform: high must be >= low; got low=5, high=1
    """

    low: str
    high: str
    why: str
    strict: bool = False

    def check(self, values, owner):
        """Raise ``ValueError`` at the first batch entry that breaks the relation."""
        lo, hi = values[self.low], values[self.high]
        ok = lo < hi if self.strict else lo <= hi
        if ok.all():
            return
        bad = () if ok.ndim == 0 else tuple(int(i) for i in np.argwhere(~ok)[0])
        where = f" at index {bad}" if bad else ""
        raise ValueError(
            f"{owner}: {self.why}; got {self.low}={format_scalar(lo[bad])}, "
            f"{self.high}={format_scalar(hi[bad])}{where}"
        )


def _broadcast(owner, parameters, values):
    """Broadcast the batch axes of every parameter; return read-only copies and the
    batch shape."""
    event = {p.name: p.domain.event_ndim for p in parameters}
    batches = [v.shape[: v.ndim - event[k]] for k, v in values.items()]
    try:
        batch = np.broadcast_shapes(*batches)
    except ValueError as exc:
        shapes = ", ".join(f"{k} {v.shape}" for k, v in values.items())
        note = " (last axis = categories)" if any(event.values()) else ""
        raise ValueError(
            f"{owner}: parameter shapes do not broadcast together: {shapes}{note}"
        ) from exc
    out = {}
    for k, v in values.items():
        a = np.array(np.broadcast_to(v, batch + v.shape[v.ndim - event[k] :]))
        a.setflags(write=False)
        out[k] = a
    return out, batch


# --------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------


def _points(x, name="x"):
    return real_array(x, name, "argument", allow_bool=True)


def as_output(a):
    """A 0-d array as its numpy scalar; any other array unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> as_output(np.array(2.0)), as_output(np.array([1, 2]))
    (np.float64(2.0), array([1, 2]))
    """
    return np.asarray(a)[()]


def _array_repr(a):
    a = np.asarray(a)
    if a.ndim == 0:
        return format_scalar(a)
    return np.array2string(a, separator=", ", threshold=8)


# --------------------------------------------------------------------------------------
# base classes
# --------------------------------------------------------------------------------------


class Distribution:
    """Common interface of every distribution family.

    Subclasses declare :attr:`parameters`; the constructor checks them, broadcasts
    them to a common ``batch_shape`` and stores them as read-only numpy arrays.
    Every method broadcasts its argument against that shape.

    Examples
    --------
    >>> from numeric.distributions import Binomial
    >>> d = Binomial(10, 0.2)
    >>> print(d)
    Binomial(n=10, p=0.2)
    >>> print(d.mean(), round(float(d.var()), 12), d.batch_shape)
    2.0 1.6 ()
    """

    discrete = False
    #: The family's parameters, in the order of its constructor's arguments.
    parameters: tuple[Parameter, ...] = ()
    #: Relations between parameters, checked after broadcasting.
    constraints: tuple[Ordered, ...] = ()
    __signature__ = inspect.Signature()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "parameters" in cls.__dict__:
            # The constructor's signature, for binding and for help() / inspect.
            cls.__signature__ = inspect.Signature(
                [
                    inspect.Parameter(
                        p.name,
                        inspect.Parameter.POSITIONAL_OR_KEYWORD,
                        default=p.default,
                    )
                    for p in cls.parameters
                ]
            )

    def __init__(self, *args, **kwargs):
        owner = type(self).__name__
        try:
            bound = self.__signature__.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{owner}: {exc}") from None
        bound.apply_defaults()
        values = {
            p.name: p.domain.convert(bound.arguments[p.name], p.name, owner)
            for p in self.parameters
        }
        values, self._batch_shape = _broadcast(owner, self.parameters, values)
        for constraint in self.constraints:
            constraint.check(values, owner)
        for name, value in values.items():
            setattr(self, "_" + name, value)
        self._precompute()

    def _precompute(self):
        """Hook: derive tables from the parameters once, at construction."""

    # ---- parameters -------------------------------------------------------------
    @property
    def params(self):
        """Parameters by name (read-only numpy arrays).

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> sorted(Normal(1.0, 2.0).params)
        ['mu', 'sigma']
        """
        return {p.name: getattr(self, "_" + p.name) for p in self.parameters}

    @property
    def batch_shape(self):
        """Shape of the broadcast parameters (``()`` for scalar parameters).

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> Normal([0.0, 1.0], 1.0).batch_shape
        (2,)
        >>> from numeric.distributions import Categorical
        >>> Categorical([[0.5, 0.5], [0.1, 0.9]]).batch_shape
        (2,)
        """
        return self._batch_shape

    def __repr__(self):
        inside = ", ".join(
            f"{name}={_array_repr(value)}" for name, value in self.params.items()
        )
        return f"{type(self).__name__}({inside})"

    # ---- evaluation machinery ---------------------------------------------------
    def _prepare(self, x):
        """Broadcast evaluation points against the parameters."""
        values = [getattr(self, "_" + p.name) for p in self.parameters]
        try:
            shape = np.broadcast_shapes(x.shape, self.batch_shape)
        except ValueError as exc:
            raise ValueError(
                f"{type(self).__name__}: points of shape {x.shape} do not broadcast "
                f"against the parameters' shape {self.batch_shape}"
            ) from exc
        x = np.broadcast_to(x, shape)
        return x, [np.broadcast_to(np.asarray(v, dtype=float), shape) for v in values]

    @staticmethod
    def _finish(x, out):
        out = np.array(out, dtype=float)
        nan = np.isnan(x)
        if nan.any():
            out[nan] = np.nan
        return out[()]

    def cdf(self, x):
        """Cumulative distribution function ``P(X <= x)``.

        Examples
        --------
        >>> from numeric.distributions import Bernoulli, Normal
        >>> print(Bernoulli(0.3).cdf([-1, 0, 0.5, 1]))
        [0.  0.7 0.7 1. ]
        >>> print(Normal().cdf(0.0))
        0.5
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._cdf(x, *params))

    def sf(self, x):
        """Survival function ``P(X > x)``, computed directly (not as ``1 - cdf``).

        Examples
        --------
        >>> from numeric.distributions import Exponential
        >>> print(round(float(Exponential(2.0).sf(1.0)), 12))
        0.135335283237
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._sf(x, *params))

    def ppf(self, q):
        """Quantile function: the smallest ``x`` with ``cdf(x) >= q``.

        ``q`` must lie in ``[0, 1]``; see the module notes for ``q = 0`` and ``q = 1``.

        Examples
        --------
        >>> from numeric.distributions import DiscreteUniform, Normal
        >>> print(DiscreteUniform(1, 5).ppf([0.0, 0.2, 0.21, 1.0]))
        [1. 1. 2. 5.]
        >>> print(round(float(Normal().ppf(0.975)), 6))
        1.959964
        """
        q = _points(q, "q")
        owner = type(self).__name__ + ".ppf"
        require((q >= 0) & (q <= 1), owner, "q", q, "must lie in [0, 1]")
        q, params = self._prepare(q)
        return as_output(np.asarray(self._ppf(q, *params), dtype=float))

    # ---- moments ----------------------------------------------------------------
    def mean(self):
        """Expectation ``E[X]``.

        Examples
        --------
        >>> from numeric.distributions import Poisson
        >>> print(Poisson(5.0).mean())
        5.0
        """
        return as_output(np.asarray(self._mean(), dtype=float))

    def var(self):
        """Variance ``E[(X - E[X])^2]``.

        Examples
        --------
        >>> from numeric.distributions import DiscreteUniform
        >>> print(DiscreteUniform(1, 5).var())
        2.0
        """
        return as_output(np.asarray(self._var(), dtype=float))

    def std(self):
        """Standard deviation, the square root of :meth:`var`.

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> print(Normal(0.0, 3.0).std())
        3.0
        """
        return as_output(np.sqrt(np.asarray(self._var(), dtype=float)))

    @property
    def support(self):
        """``(lower, upper)``: the ends of the family's range of values, as in scipy.

        For discrete distributions both ends are included; they may be infinite.
        They depend on the family, not on which values happen to have positive mass
        (``Binomial(10, 0).support`` is ``(0, 10)``).

        Examples
        --------
        >>> from numeric.distributions import Uniform
        >>> print(Uniform(1.0, 3.0).support)
        (np.float64(1.0), np.float64(3.0))
        """
        lo, hi = self._support()
        return as_output(lo), as_output(hi)

    # ---- sampling and scipy -----------------------------------------------------
    def sample(self, size, rng):
        """Draw samples of shape ``size + batch_shape``.

        Parameters
        ----------
        size : int, tuple of int or None
            Shape of the independent draws, prepended to :attr:`batch_shape` (as in
            PyTorch's ``sample_shape``); ``None`` or ``()`` draws one per batch entry.
        rng : numpy.random.Generator
            The only source of randomness.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Binomial
        >>> x = Binomial(10, 0.2).sample(1000, np.random.default_rng(0))
        >>> x.shape, x.dtype.kind, int(x.min()) >= 0, int(x.max()) <= 10
        ((1000,), 'i', True, True)
        """
        owner = type(self).__name__ + ".sample"
        rng = check_rng(rng, owner)
        shape = sample_shape(size, owner) + self.batch_shape
        return self._sample(shape, rng)

    def draw(self, size, rng):
        """Samples for code that only sums or counts them, in the cheapest dtype.

        Same shapes and randomness as :meth:`sample`, but a family may return a
        narrower dtype that sums to the same totals (``bool`` for
        :class:`~numeric.distributions.Bernoulli`), which the simulations in
        :mod:`numeric.simulate` add up faster.

        Parameters
        ----------
        size : int, tuple of int or None
            Shape of the independent draws, prepended to :attr:`batch_shape`.
        rng : numpy.random.Generator
            The only source of randomness.

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.distributions import Bernoulli
        >>> coin = Bernoulli(0.5)
        >>> x = coin.draw(4, np.random.default_rng(0))
        >>> y = coin.sample(4, np.random.default_rng(0))
        >>> x.dtype.name, y.dtype.name, bool((x == y).all())
        ('bool', 'int64', True)
        """
        owner = type(self).__name__ + ".draw"
        rng = check_rng(rng, owner)
        return self._draw(sample_shape(size, owner) + self.batch_shape, rng)

    def _draw(self, shape, rng):
        """Hook behind :meth:`draw`: by default the draws of :meth:`sample`."""
        return self._sample(shape, rng)

    def to_scipy(self):
        """The equivalent frozen :mod:`scipy.stats` distribution.

        Examples
        --------
        >>> from numeric.distributions import Exponential
        >>> print(round(float(Exponential(2.0).to_scipy().mean()), 12))
        0.5
        """
        import scipy.stats

        return self._to_scipy(scipy.stats)


class DiscreteDistribution(Distribution):
    """A distribution on the integers, with a probability mass function.

    Examples
    --------
    >>> from numeric.distributions import Poisson
    >>> isinstance(Poisson(2.0), DiscreteDistribution), Poisson(2.0).discrete
    (True, True)
    """

    discrete = True

    def pmf(self, x):
        """Probability mass ``P(X = x)`` (zero off the support and at non-integers).

        Examples
        --------
        >>> from numeric.distributions import DiscreteUniform
        >>> print(DiscreteUniform(1, 5).pmf([0, 1, 5, 5.5, 6]))
        [0.  0.2 0.2 0.  0. ]
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._pmf(x, *params))

    def logpmf(self, x):
        """Natural logarithm of :meth:`pmf` (``-inf`` where the mass is zero).

        Examples
        --------
        >>> from numeric.distributions import Bernoulli
        >>> print(Bernoulli(0.5).logpmf([0, 1, 2]))
        [-0.69314718 -0.69314718        -inf]
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._logpmf(x, *params))

    def _pmf(self, x, *params):
        return np.exp(self._logpmf(x, *params))


class ContinuousDistribution(Distribution):
    """A distribution on the real line with a probability density function.

    Examples
    --------
    >>> from numeric.distributions import Normal
    >>> Normal().discrete
    False
    """

    def pdf(self, x):
        """Probability density at ``x``.

        Examples
        --------
        >>> from numeric.distributions import Uniform
        >>> print(Uniform(1.0, 3.0).pdf([0.0, 1.0, 2.0, 3.0, 4.0]))
        [0.  0.5 0.5 0.5 0. ]
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._pdf(x, *params))

    def logpdf(self, x):
        """Natural logarithm of :meth:`pdf`.

        Examples
        --------
        >>> from numeric.distributions import Normal
        >>> print(round(float(Normal().logpdf(0.0)), 12))
        -0.918938533205
        """
        x, params = self._prepare(_points(x))
        return self._finish(x, self._logpdf(x, *params))
