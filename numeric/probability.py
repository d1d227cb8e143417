"""Discrete probability tables, Bayes' rule, expectations and covariances.

:class:`JointDistribution` is a table of probabilities over named discrete variables:
from it come marginals, conditionals, independence checks and expectations, exactly as
in d2l's probability section (the HIV-test example is the running one).

The free functions :func:`expectation`, :func:`variance`, :func:`std`,
:func:`covariance`, :func:`correlation` and :func:`covariance_matrix` work in two modes:

* **exact**, when ``probs`` is given: the values are the outcomes of a discrete
  distribution and ``probs`` their probabilities;
* **sample**, when ``probs`` is omitted: the values are draws, and the usual estimators
  are returned (``ddof = 1`` by default for (co)variances, as in ``numpy.cov``).

:func:`bayes` and :func:`total_probability` are Bayes' rule and the law of total
probability over a finite set of hypotheses; :func:`chebyshev_bound` and
:func:`chebyshev_interval` are Chebyshev's inequality.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np

__all__ = [
    "JointDistribution",
    "bayes",
    "total_probability",
    "expectation",
    "variance",
    "std",
    "covariance",
    "correlation",
    "covariance_matrix",
    "chebyshev_bound",
    "chebyshev_interval",
]

_SUM_TOL = 1e-9


# --------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------


def _real(value, name, owner, ndim=None):
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


def _probabilities(value, name, owner, length=None):
    p = _real(value, name, owner, ndim=(1,))
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
    if abs(total - 1.0) > _SUM_TOL:
        raise ValueError(f"{owner}: {name} must sum to 1; got sum({name})={total!r}")
    return p / total


# --------------------------------------------------------------------------------------
# joint tables
# --------------------------------------------------------------------------------------


def _as_names(names, owner, what):
    if isinstance(names, str):
        return (names,)
    try:
        out = tuple(names)
    except TypeError:
        raise TypeError(
            f"{owner}: {what} must be a variable name or a sequence of names; "
            f"got {names!r}"
        ) from None
    if not all(isinstance(n, str) for n in out):
        raise TypeError(f"{owner}: {what} must contain variable names; got {names!r}")
    return out


class JointDistribution:
    """A probability table over named discrete random variables.

    Parameters
    ----------
    variables : mapping of str to sequence
        Each variable's name and its possible values (hashable, distinct), in the
        order of the table's axes.
    table : array_like
        ``table[i, j, ...]`` is the probability that the first variable takes its
        ``i``-th value, the second its ``j``-th, and so on.  Entries are non-negative
        and sum to 1 (unless ``normalize=True``).
    normalize : bool, default False
        Divide the table by its sum, so that non-negative weights may be given.

    Examples
    --------
    The d2l HIV test, built from the prior and the test's likelihoods:

    >>> from numeric.probability import JointDistribution
    >>> prior = {0: 0.9985, 1: 0.0015}
    >>> test = {0: {0: 0.99, 1: 0.01}, 1: {0: 0.0, 1: 1.0}}  # P(D1 | H)
    >>> joint = JointDistribution.from_function(
    ...     {"H": [0, 1], "D1": [0, 1]}, lambda H, D1: prior[H] * test[H][D1]
    ... )
    >>> print(round(joint.probability(D1=1), 6))
    0.011485
    >>> print(round(joint.conditional("H", given={"D1": 1}).probability(H=1), 4))
    0.1306
    """

    def __init__(self, variables, table, *, normalize=False):
        owner = "JointDistribution"
        if not isinstance(variables, Mapping) or not variables:
            raise TypeError(
                f"{owner}: variables must be a non-empty mapping name -> values; "
                f"got {variables!r}"
            )
        names = tuple(variables)
        for name in names:
            if not isinstance(name, str):
                raise TypeError(f"{owner}: variable names must be str; got {name!r}")
        values = {}
        index = {}
        for name in names:
            vals = tuple(variables[name])
            if not vals:
                raise ValueError(f"{owner}: variable {name!r} has no values")
            try:
                lookup = {v: i for i, v in enumerate(vals)}
            except TypeError:
                raise TypeError(
                    f"{owner}: values of {name!r} must be hashable; got {vals!r}"
                ) from None
            if len(lookup) != len(vals):
                raise ValueError(
                    f"{owner}: values of {name!r} must be distinct; got {vals!r}"
                )
            values[name] = vals
            index[name] = lookup
        table = _real(table, "table", owner)
        shape = tuple(len(values[n]) for n in names)
        if table.shape != shape:
            raise ValueError(
                f"{owner}: table has shape {table.shape} but the variables "
                f"{names} have {shape} values"
            )
        if (table < 0).any():
            where = tuple(int(i) for i in np.argwhere(table < 0)[0])
            raise ValueError(
                f"{owner}: probabilities must be non-negative; got "
                f"{float(table[where])!r} at index {where}"
            )
        total = float(table.sum())
        if normalize:
            if total <= 0:
                raise ValueError(f"{owner}: table sums to {total!r}; cannot normalize")
            table = table / total
        elif abs(total - 1.0) > _SUM_TOL:
            raise ValueError(
                f"{owner}: probabilities must sum to 1; got sum(table)={total!r} "
                "(pass normalize=True to rescale weights)"
            )
        else:
            table = table / total
        table.setflags(write=False)
        self._names = names
        self._values = values
        self._index = index
        self._table = table

    # ---- constructors -----------------------------------------------------------
    @classmethod
    def from_function(cls, variables, f, *, normalize=False):
        """Build the table by calling ``f(**assignment)`` on every combination.

        Parameters
        ----------
        variables : mapping of str to sequence
            Names and values, as for the constructor.
        f : callable
            Receives one keyword argument per variable (a single value each) and
            returns the probability (or a weight, with ``normalize=True``).
        normalize : bool, default False
            Rescale the weights to sum to 1.

        Examples
        --------
        Two fair coins:

        >>> from numeric.probability import JointDistribution
        >>> j = JointDistribution.from_function(
        ...     {"a": [0, 1], "b": [0, 1]}, lambda a, b: 0.25
        ... )
        >>> j.independent("a", "b")
        True
        """
        if not callable(f):
            raise TypeError(
                f"JointDistribution.from_function: f must be callable; got {f!r}"
            )
        names = tuple(variables)
        lists = [tuple(variables[n]) for n in names]
        table = np.empty(tuple(len(v) for v in lists))
        # itertools.product walks the table in C order, matching table.flat.
        flat = table.reshape(-1)
        for i, combo in enumerate(itertools.product(*lists)):
            flat[i] = f(**dict(zip(names, combo, strict=True)))
        return cls(
            {n: v for n, v in zip(names, lists, strict=True)},
            table,
            normalize=normalize,
        )

    @classmethod
    def from_samples(cls, **samples):
        """Empirical joint distribution of paired observations.

        Parameters
        ----------
        **samples : array_like
            One 1-D array per variable, all of the same length; row ``i`` of every
            array is one joint observation.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> j = JointDistribution.from_samples(x=[0, 0, 1, 1], y=[0, 1, 1, 1])
        >>> print(j.probability(x=1, y=1), j.values["y"])
        0.5 (0, 1)
        """
        owner = "JointDistribution.from_samples"
        if not samples:
            raise TypeError(f"{owner}: give at least one variable as name=array")
        arrays = {}
        length = None
        for name, data in samples.items():
            arr = np.asarray(data)
            if arr.ndim != 1:
                raise ValueError(
                    f"{owner}: samples of {name!r} must be 1-D; got shape {arr.shape}"
                )
            if length is None:
                length = arr.shape[0]
            elif arr.shape[0] != length:
                raise ValueError(
                    f"{owner}: all variables need the same number of samples; "
                    f"{name!r} has {arr.shape[0]}, expected {length}"
                )
            arrays[name] = arr
        if length == 0:
            raise ValueError(f"{owner}: no samples given")
        codes = []
        variables = {}
        for name, arr in arrays.items():
            uniq, inverse = np.unique(arr, return_inverse=True)
            variables[name] = [u.item() for u in uniq]
            codes.append(inverse.reshape(-1))
        shape = tuple(len(v) for v in variables.values())
        flat = np.ravel_multi_index(codes, shape)
        counts = np.bincount(flat, minlength=math.prod(shape)).reshape(shape)
        return cls(variables, counts / length)

    # ---- inspection -------------------------------------------------------------
    @property
    def names(self):
        """Variable names, in table-axis order.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> JointDistribution({"x": [0, 1]}, [0.5, 0.5]).names
        ('x',)
        """
        return self._names

    @property
    def values(self):
        """Each variable's possible values, as a dict of tuples.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> JointDistribution({"x": [0, 1]}, [0.5, 0.5]).values
        {'x': (0, 1)}
        """
        return dict(self._values)

    @property
    def table(self):
        """The probability table (read-only array, axes in :attr:`names` order).

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> print(JointDistribution({"x": [0, 1]}, [0.25, 0.75]).table)
        [0.25 0.75]
        """
        return self._table

    def __repr__(self):
        vars_ = ", ".join(f"{n}={list(self._values[n])}" for n in self._names)
        return f"JointDistribution({vars_})"

    # ---- core queries -----------------------------------------------------------
    def _axes(self, names, what):
        owner = f"JointDistribution.{what}"
        names = _as_names(names, owner, "variables")
        for n in names:
            if n not in self._index:
                raise ValueError(
                    f"{owner}: unknown variable {n!r}; the variables are {self._names}"
                )
        if len(set(names)) != len(names):
            raise ValueError(f"{owner}: variables repeated in {names}")
        return names

    def _selector(self, assignment, what):
        owner = f"JointDistribution.{what}"
        sel = [slice(None)] * len(self._names)
        for name, value in assignment.items():
            if name not in self._index:
                raise ValueError(
                    f"{owner}: unknown variable {name!r}; the variables are "
                    f"{self._names}"
                )
            try:
                i = self._index[name][value]
            except (KeyError, TypeError):
                raise ValueError(
                    f"{owner}: {name}={value!r} is not a value of {name!r} "
                    f"(values: {list(self._values[name])})"
                ) from None
            sel[self._names.index(name)] = i
        return tuple(sel)

    def probability(self, event=None, /, **assignment):
        """Probability of an assignment of some variables, or of an event.

        Parameters
        ----------
        event : callable, optional
            A predicate receiving every variable as a keyword argument (numpy arrays
            spanning the table); the probability of the cells where it is true.
        **assignment
            Values of some variables, e.g. ``D1=1, D2=1``; the others are summed out.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> die = JointDistribution({"X": range(1, 7)}, [1 / 6] * 6)
        >>> print(round(die.probability(X=5), 6))
        0.166667
        >>> print(round(die.probability(lambda X: X % 2 == 1), 6))  # B = {1, 3, 5}
        0.5
        """
        table = self._table[self._selector(assignment, "probability")]
        if event is None:
            return float(table.sum())
        if assignment:
            raise TypeError(
                "JointDistribution.probability: give an event or an assignment, "
                "not both"
            )
        mask = np.asarray(event(**self._grids()), dtype=bool)
        try:
            mask = np.broadcast_to(mask, self._table.shape)
        except ValueError:
            raise ValueError(
                "JointDistribution.probability: the event returned shape "
                f"{mask.shape}, which does not broadcast to the table "
                f"{self._table.shape}"
            ) from None
        return float(self._table[mask].sum())

    def marginal(self, *names):
        """Joint distribution of the given variables, the others summed out.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> j = JointDistribution({"a": [0, 1], "b": [0, 1]}, [[0.1, 0.2], [0.3, 0.4]])
        >>> print(j.marginal("b").table)
        [0.4 0.6]
        """
        if len(names) == 1 and not isinstance(names[0], str):
            names = tuple(names[0])
        names = self._axes(names, "marginal")
        keep = [self._names.index(n) for n in names]
        drop = tuple(i for i in range(len(self._names)) if i not in keep)
        summed = self._table.sum(axis=drop)
        # After summing, the kept axes are in table order; reorder them as requested.
        order = sorted(keep)
        summed = np.transpose(summed, [order.index(k) for k in keep])
        return JointDistribution({n: self._values[n] for n in names}, summed)

    def conditional(self, target, given):
        """Distribution of ``target`` given an assignment of other variables.

        Parameters
        ----------
        target : str or sequence of str
            The variable(s) whose conditional distribution is wanted.
        given : mapping of str to value
            The observed values, e.g. ``{"D1": 1, "D2": 1}``.

        Raises
        ------
        ValueError
            If the conditioning event has probability zero.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> j = JointDistribution({"a": [0, 1], "b": [0, 1]}, [[0.1, 0.2], [0.3, 0.4]])
        >>> print(j.conditional("a", given={"b": 1}).table.round(6))
        [0.333333 0.666667]
        """
        if not isinstance(given, Mapping):
            raise TypeError(
                "JointDistribution.conditional: given must be a mapping "
                f"name -> value; got {given!r}"
            )
        targets = self._axes(target, "conditional")
        overlap = set(targets) & set(given)
        if overlap:
            raise ValueError(
                f"JointDistribution.conditional: {sorted(overlap)} are both target "
                "and given"
            )
        sliced = self._table[self._selector(dict(given), "conditional")]
        rest = [n for n in self._names if n not in given]
        total = float(sliced.sum())
        if total <= 0:
            raise ValueError(
                f"JointDistribution.conditional: P({_fmt_assign(given)}) = 0, so the "
                "conditional distribution is undefined"
            )
        sub = JointDistribution({n: self._values[n] for n in rest}, sliced / total)
        return sub.marginal(*targets)

    # ---- independence -----------------------------------------------------------
    def independent(self, a, b, *, atol=1e-12):
        """Whether ``P(a, b) = P(a) P(b)`` for every value (within ``atol``).

        ``a`` and ``b`` are variable names or sequences of names (disjoint).

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> j = JointDistribution({"a": [0, 1], "b": [0, 1]}, [[0.1, 0.2], [0.3, 0.4]])
        >>> j.independent("a", "b")
        False
        """
        a = self._axes(a, "independent")
        b = self._axes(b, "independent")
        if set(a) & set(b):
            raise ValueError(
                f"JointDistribution.independent: {a} and {b} share variables"
            )
        ab = self.marginal(*a, *b).table
        pa = self.marginal(*a).table
        pb = self.marginal(*b).table
        outer = np.multiply.outer(pa, pb)
        return bool(np.allclose(ab, outer, rtol=0.0, atol=atol))

    def conditionally_independent(self, a, b, given, *, atol=1e-12):
        """Whether ``P(a, b | c) = P(a | c) P(b | c)`` whenever ``P(c) > 0``.

        ``given`` names the conditioning variable(s); all their values are checked.
        The comparison is made without division, as
        ``P(a, b, c) P(c) = P(a, c) P(b, c)``.

        Examples
        --------
        Two HIV tests are conditionally independent given the infection status, but
        not independent:

        >>> from numeric.probability import JointDistribution
        >>> prior = {0: 0.9985, 1: 0.0015}
        >>> t1 = {0: {0: 0.99, 1: 0.01}, 1: {0: 0.0, 1: 1.0}}
        >>> t2 = {0: {0: 0.97, 1: 0.03}, 1: {0: 0.02, 1: 0.98}}
        >>> j = JointDistribution.from_function(
        ...     {"H": [0, 1], "D1": [0, 1], "D2": [0, 1]},
        ...     lambda H, D1, D2: prior[H] * t1[H][D1] * t2[H][D2],
        ... )
        >>> j.conditionally_independent("D1", "D2", given="H")
        True
        >>> j.independent("D1", "D2")
        False
        """
        a = self._axes(a, "conditionally_independent")
        b = self._axes(b, "conditionally_independent")
        c = self._axes(given, "conditionally_independent")
        if (set(a) & set(b)) or (set(a) & set(c)) or (set(b) & set(c)):
            raise ValueError(
                "JointDistribution.conditionally_independent: a, b and given must be "
                f"disjoint; got {a}, {b}, {c}"
            )
        abc = self.marginal(*a, *b, *c).table
        na, nb = len(a), len(b)
        pac = abc.sum(axis=tuple(range(na, na + nb)))
        pbc = abc.sum(axis=tuple(range(na)))
        pc = pac.sum(axis=tuple(range(na)))
        # Broadcast each factor to the (a..., b..., c...) layout.
        lhs = abc * pc.reshape((1,) * (na + nb) + pc.shape)
        rhs = pac.reshape(pac.shape[:na] + (1,) * nb + pac.shape[na:]) * pbc.reshape(
            (1,) * na + pbc.shape
        )
        return bool(np.allclose(lhs, rhs, rtol=0.0, atol=atol))

    # ---- expectations -----------------------------------------------------------
    def _grids(self):
        arrays = []
        for axis, name in enumerate(self._names):
            shape = [1] * len(self._names)
            shape[axis] = -1
            arrays.append(np.asarray(self._values[name]).reshape(shape))
        return dict(zip(self._names, arrays, strict=True))

    def _evaluate(self, f, what):
        owner = f"JointDistribution.{what}"
        if isinstance(f, str):
            (name,) = self._axes(f, what)
            vals = self._grids()[name]
        elif callable(f):
            vals = f(**self._grids())
        else:
            raise TypeError(
                f"{owner}: expected a variable name or a function of the variables; "
                f"got {f!r}"
            )
        vals = np.asarray(vals)
        if vals.dtype.kind not in "biuf":
            raise TypeError(
                f"{owner}: the values must be real numbers; got dtype {vals.dtype}"
            )
        try:
            return np.broadcast_to(vals.astype(float), self._table.shape)
        except ValueError:
            raise ValueError(
                f"{owner}: the function returned shape {vals.shape}, which does not "
                f"broadcast to the table {self._table.shape}"
            ) from None

    def expectation(self, f):
        """``E[f]``: ``f`` is a variable name or a function of the variables.

        The function receives every variable as a keyword argument holding a numpy
        array laid out along its table axis, so ordinary numpy expressions such as
        ``lambda X, Y: X * Y`` evaluate the whole table at once.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> invest = JointDistribution({"R": [0, 2, 10]}, [0.5, 0.4, 0.1])
        >>> print(round(invest.expectation("R"), 12))
        1.8
        >>> print(round(invest.expectation(lambda R: R**2), 12))
        11.6
        """
        vals = self._evaluate(f, "expectation")
        return float((vals * self._table).sum())

    def variance(self, f):
        """``Var[f] = E[(f - E f)^2]`` (computed from centred values).

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> invest = JointDistribution({"R": [0, 2, 10]}, [0.5, 0.4, 0.1])
        >>> print(round(invest.variance("R"), 12))
        8.36
        """
        return self.covariance(f, f)

    def covariance(self, f, g):
        """``Cov[f, g] = E[(f - E f)(g - E g)]``.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> table = [[0.4, 0.1], [0.1, 0.4]]
        >>> j = JointDistribution({"X": [-1, 1], "Y": [-1, 1]}, table)
        >>> print(round(j.covariance("X", "Y"), 12))
        0.6
        """
        a = self._evaluate(f, "covariance")
        b = self._evaluate(g, "covariance")
        da = a - (a * self._table).sum()
        db = b - (b * self._table).sum()
        return float((da * db * self._table).sum())

    def correlation(self, f, g):
        """``Cov[f, g] / (sd f sd g)``, in ``[-1, 1]``.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> table = [[0.4, 0.1], [0.1, 0.4]]
        >>> j = JointDistribution({"X": [-1, 1], "Y": [-1, 1]}, table)
        >>> print(round(j.correlation("X", "Y"), 12))
        0.6
        """
        c = self.covariance(f, g)
        va = self.covariance(f, f)
        vb = self.covariance(g, g)
        if va <= 0 or vb <= 0:
            raise ValueError(
                "JointDistribution.correlation: undefined because a variance is zero "
                f"(Var={va!r}, {vb!r})"
            )
        return float(np.clip(c / math.sqrt(va * vb), -1.0, 1.0))

    def covariance_matrix(self, fs):
        """Covariance matrix of several variables or functions.

        Examples
        --------
        >>> from numeric.probability import JointDistribution
        >>> table = [[0.4, 0.1], [0.1, 0.4]]
        >>> j = JointDistribution({"X": [-1, 1], "Y": [-1, 1]}, table)
        >>> print(j.covariance_matrix(["X", "Y"]).round(12))
        [[1.  0.6]
         [0.6 1. ]]
        """
        if isinstance(fs, str) or callable(fs):
            fs = [fs]
        fs = list(fs)
        k = len(fs)
        out = np.empty((k, k))
        for i in range(k):
            for j in range(i, k):
                out[i, j] = out[j, i] = self.covariance(fs[i], fs[j])
        return out


def _fmt_assign(given):
    return ", ".join(f"{k}={v!r}" for k, v in given.items())


# --------------------------------------------------------------------------------------
# Bayes' rule
# --------------------------------------------------------------------------------------


def _prior_likelihood(prior, likelihood, owner):
    if isinstance(prior, Mapping):
        if not isinstance(likelihood, Mapping):
            raise TypeError(
                f"{owner}: prior is a mapping, so likelihood must be one too; "
                f"got {likelihood!r}"
            )
        keys = list(prior)
        if set(keys) != set(likelihood):
            raise ValueError(
                f"{owner}: prior and likelihood must name the same hypotheses; got "
                f"{sorted(map(repr, keys))} and {sorted(map(repr, likelihood))}"
            )
        p = [prior[k] for k in keys]
        lik = [likelihood[k] for k in keys]
    else:
        keys = None
        p, lik = prior, likelihood
    p = _probabilities(p, "prior", owner)
    lik = _real(lik, "likelihood", owner, ndim=(1,))
    if lik.shape != p.shape:
        raise ValueError(
            f"{owner}: likelihood has {lik.shape[0]} entries but prior has {p.shape[0]}"
        )
    bad = (lik < 0) | (lik > 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{owner}: likelihood P(evidence | hypothesis) must lie in [0, 1]; got "
            f"{float(lik[i])!r} at index {i}"
        )
    return keys, p, lik


def total_probability(prior, likelihood):
    """Law of total probability: ``P(E) = sum_h P(E | h) P(h)``.

    Parameters
    ----------
    prior : array_like or mapping
        ``P(h)`` for each hypothesis (summing to 1).
    likelihood : array_like or mapping
        ``P(E | h)`` for each hypothesis, in the same order (or with the same keys).

    Examples
    --------
    d2l's HIV test: P(H = 1) = 0.0015, P(D1 = 1 | H = 1) = 1, P(D1 = 1 | H = 0) = 0.01.

    >>> from numeric.probability import total_probability
    >>> print(round(total_probability([0.9985, 0.0015], [0.01, 1.0]), 6))
    0.011485
    """
    _, p, lik = _prior_likelihood(prior, likelihood, "total_probability")
    return float(np.dot(p, lik))


def bayes(prior, likelihood):
    """Posterior ``P(h | E) = P(E | h) P(h) / P(E)`` over a finite set of hypotheses.

    Parameters
    ----------
    prior : array_like or mapping
        ``P(h)`` for each hypothesis (summing to 1).
    likelihood : array_like or mapping
        ``P(E | h)`` for each hypothesis.  For several conditionally independent
        pieces of evidence pass the product of their likelihoods, or apply
        :func:`bayes` repeatedly.

    Returns
    -------
    numpy.ndarray or dict
        The normalised posterior, a dict when ``prior`` is a mapping.

    Raises
    ------
    ValueError
        If the evidence has probability zero under the prior.

    Examples
    --------
    >>> from numeric.probability import bayes
    >>> post = bayes({"H=0": 0.9985, "H=1": 0.0015}, {"H=0": 0.01, "H=1": 1.0})
    >>> print(round(post["H=1"], 4))
    0.1306
    >>> both = bayes([0.9985, 0.0015], [0.01 * 0.03, 1.0 * 0.98])
    >>> print(round(float(both[1]), 4))
    0.8307
    """
    keys, p, lik = _prior_likelihood(prior, likelihood, "bayes")
    joint = p * lik
    evidence = joint.sum()
    if evidence <= 0:
        raise ValueError(
            "bayes: the evidence has probability zero under this prior "
            "(every hypothesis with prior mass gives it likelihood 0)"
        )
    post = joint / evidence
    if keys is None:
        return post
    return {k: float(v) for k, v in zip(keys, post, strict=True)}


# --------------------------------------------------------------------------------------
# expectations, variances and covariances: exact or from samples
# --------------------------------------------------------------------------------------


def _ddof(ddof, probs, owner):
    if probs is not None:
        if ddof is not None:
            raise ValueError(
                f"{owner}: ddof applies to samples only; it must be omitted when "
                "probs is given"
            )
        return 0
    if ddof is None:
        return 1
    if isinstance(ddof, bool) or not isinstance(ddof, (int, np.integer)) or ddof < 0:
        raise ValueError(f"{owner}: ddof must be a non-negative integer; got {ddof!r}")
    return int(ddof)


def _values_probs(values, probs, owner, name="values", ndim=(1,)):
    x = _real(values, name, owner, ndim=ndim)
    if x.shape[0] == 0:
        raise ValueError(f"{owner}: {name} is empty")
    if probs is None:
        return x, None
    return x, _probabilities(probs, "probs", owner, length=x.shape[0])


def _check_samples(n, ddof, owner):
    if n <= ddof:
        raise ValueError(f"{owner}: need more than ddof={ddof} samples; got {n}")


def expectation(values, probs=None, *, f=None):
    """``E[f(X)]``: exact for a discrete distribution, or the sample mean.

    Parameters
    ----------
    values : array_like, 1-D
        Outcomes (with ``probs``) or samples (without).
    probs : array_like, optional
        Probability of each outcome; omit for samples.
    f : callable, optional
        Applied elementwise (vectorised) to the values before averaging.

    Examples
    --------
    d2l's investment: lose everything with probability 0.5, double with 0.4,
    tenfold with 0.1.

    >>> from numeric.probability import expectation
    >>> print(round(expectation([0, 2, 10], [0.5, 0.4, 0.1]), 12))
    1.8
    >>> utility = {0: -1.0, 2: 2.0, 10: 4.0}
    >>> print(round(expectation([0, 2, 10], [0.5, 0.4, 0.1],
    ...                         f=lambda r: [utility[v] for v in r]), 12))
    0.7
    """
    owner = "expectation"
    x, p = _values_probs(values, probs, owner)
    if f is not None:
        fx = _real(f(x), "f(values)", owner, ndim=(1,))
        if fx.shape != x.shape:
            raise ValueError(
                f"{owner}: f(values) must keep the shape {x.shape} of values; got "
                f"{fx.shape}"
            )
        x = fx
    if p is None:
        return float(np.mean(x))
    return float(np.dot(p, x))


def variance(values, probs=None, *, ddof=None):
    """``Var[X]``: exact (``E[(X - E X)^2]``) or the sample variance.

    Parameters
    ----------
    values : array_like, 1-D
        Outcomes (with ``probs``) or samples (without).
    probs : array_like, optional
        Probability of each outcome; omit for samples.
    ddof : int, optional
        Samples only: the divisor is ``len(values) - ddof`` (default 1, unbiased).

    Examples
    --------
    >>> from numeric.probability import variance
    >>> print(round(variance([0, 2, 10], [0.5, 0.4, 0.1]), 12))
    8.36
    >>> print(variance([1.0, 2.0, 3.0, 4.0]))
    1.6666666666666667
    """
    return covariance(values, values, probs, ddof=ddof)


def std(values, probs=None, *, ddof=None):
    """Standard deviation, the square root of :func:`variance`.

    Examples
    --------
    >>> from numeric.probability import std
    >>> print(std([-1.0, 1.0], [0.5, 0.5]))
    1.0
    """
    return math.sqrt(variance(values, probs, ddof=ddof))


def covariance(x, y, probs=None, *, ddof=None):
    """``Cov[X, Y] = E[(X - E X)(Y - E Y)]``, exact or from paired samples.

    Parameters
    ----------
    x, y : array_like, 1-D
        Paired outcomes ``(x[i], y[i])`` with probability ``probs[i]``, or paired
        samples.
    probs : array_like, optional
        Joint probability of each pair; omit for samples.
    ddof : int, optional
        Samples only: divisor ``len(x) - ddof`` (default 1, as ``numpy.cov``).

    Examples
    --------
    d2l's example: X in {1, 3}, Y in {-1, 3}, equal values paired with probability
    p / 2 each; the covariance is 4p - 2.

    >>> from numeric.probability import covariance
    >>> p = 0.9
    >>> print(round(covariance([1, 1, 3, 3], [-1, 3, -1, 3],
    ...                        [p / 2, (1 - p) / 2, (1 - p) / 2, p / 2]), 12))
    1.6
    """
    owner = "covariance"
    d = _ddof(ddof, probs, owner)
    xs, p = _values_probs(x, probs, owner, "x")
    ys = _real(y, "y", owner, ndim=(1,))
    if ys.shape != xs.shape:
        raise ValueError(
            f"{owner}: x and y must have the same length; got {xs.shape[0]} and "
            f"{ys.shape[0]}"
        )
    if p is None:
        _check_samples(xs.shape[0], d, owner)
        dx = xs - xs.mean()
        dy = ys - ys.mean()
        return float(np.dot(dx, dy) / (xs.shape[0] - d))
    dx = xs - np.dot(p, xs)
    dy = ys - np.dot(p, ys)
    return float(np.dot(p, dx * dy))


def correlation(x, y, probs=None):
    """Pearson correlation ``Cov[X, Y] / (sd X sd Y)``, exact or from samples.

    Examples
    --------
    >>> from numeric.probability import correlation
    >>> p = 0.9
    >>> print(round(correlation([1, 1, 3, 3], [-1, 3, -1, 3],
    ...                         [p / 2, (1 - p) / 2, (1 - p) / 2, p / 2]), 12))
    0.8
    """
    c = covariance(x, y, probs, ddof=None if probs is not None else 1)
    vx = covariance(x, x, probs, ddof=None if probs is not None else 1)
    vy = covariance(y, y, probs, ddof=None if probs is not None else 1)
    if vx <= 0 or vy <= 0:
        raise ValueError(
            f"correlation: undefined because a variance is zero (Var X={vx!r}, "
            f"Var Y={vy!r})"
        )
    return float(np.clip(c / math.sqrt(vx * vy), -1.0, 1.0))


def covariance_matrix(values, probs=None, *, ddof=None):
    """Covariance matrix of a random vector, exact or from samples.

    Parameters
    ----------
    values : array_like, shape (m, d)
        Row ``i`` is an outcome (with ``probs``) or a sample (without) of the
        ``d``-dimensional vector.
    probs : array_like, shape (m,), optional
        Probability of each row; omit for samples.
    ddof : int, optional
        Samples only: divisor ``m - ddof`` (default 1, as ``numpy.cov``).

    Returns
    -------
    numpy.ndarray, shape (d, d)
        ``Sigma``, so that ``v @ Sigma @ v`` is ``Var(v . X)`` for any vector ``v``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.probability import covariance_matrix, variance
    >>> pts = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> probs = [0.2, 0.3, 0.5]
    >>> sigma = covariance_matrix(pts, probs)
    >>> v = np.array([2.0, -1.0])
    >>> print(round(float(v @ sigma @ v), 12), round(variance(pts @ v, probs), 12))
    1.09 1.09
    """
    owner = "covariance_matrix"
    d = _ddof(ddof, probs, owner)
    x, p = _values_probs(values, probs, owner, ndim=(2,))
    if p is None:
        _check_samples(x.shape[0], d, owner)
        centred = x - x.mean(axis=0)
        out = centred.T @ centred / (x.shape[0] - d)
    else:
        centred = x - p @ x
        out = (centred * p[:, None]).T @ centred
    # The products are symmetric in exact arithmetic only; make the result exactly so.
    return 0.5 * (out + out.T)


# --------------------------------------------------------------------------------------
# Chebyshev
# --------------------------------------------------------------------------------------


def chebyshev_bound(k):
    """Chebyshev's inequality: ``P(|X - mu| >= k sigma) <= 1 / k^2`` (capped at 1).

    Holds for every distribution with a finite variance.

    Examples
    --------
    >>> from numeric.probability import chebyshev_bound
    >>> print(round(chebyshev_bound(2.0**0.5), 12))  # half the mass beyond sqrt(2) sd
    0.5
    """
    k = _real(k, "k", "chebyshev_bound")
    if (k <= 0).any():
        raise ValueError(f"chebyshev_bound: k must be > 0; got k={k!r}")
    out = np.minimum(1.0, 1.0 / (k * k))
    return float(out) if out.ndim == 0 else out


def chebyshev_interval(mean, sd, coverage):
    """Interval ``mean +- k sd`` holding at least ``coverage`` of any distribution.

    ``k = 1 / sqrt(1 - coverage)``, from Chebyshev's inequality.

    Examples
    --------
    d2l: at least 50% of the mass lies within sqrt(2) standard deviations.

    >>> from numeric.probability import chebyshev_interval
    >>> lo, hi = chebyshev_interval(0.0, 1.0, 0.5)
    >>> print(round(hi, 12), round(2 ** 0.5, 12))
    1.414213562373 1.414213562373
    """
    owner = "chebyshev_interval"
    mean = float(_real(mean, "mean", owner, ndim=(0,)))
    sd = float(_real(sd, "sd", owner, ndim=(0,)))
    coverage = float(_real(coverage, "coverage", owner, ndim=(0,)))
    if sd < 0:
        raise ValueError(f"{owner}: sd must be >= 0; got sd={sd!r}")
    if not 0 <= coverage < 1:
        raise ValueError(
            f"{owner}: coverage must lie in [0, 1); got coverage={coverage!r}"
        )
    k = 1.0 / math.sqrt(1.0 - coverage)
    return mean - k * sd, mean + k * sd
