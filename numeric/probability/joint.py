"""Discrete probability tables over named variables.

:class:`JointDistribution` is a table of probabilities over named discrete variables:
from it come marginals, conditionals, independence checks and expectations, exactly as
in d2l's probability section (the HIV-test example is the running one).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np

from numeric.validation import SUM_TOL, finite_array

__all__ = ["JointDistribution"]


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


def _variable_values(variables, owner):
    """Each variable's values as a tuple, and a value -> position map for each."""
    if not isinstance(variables, Mapping) or not variables:
        raise TypeError(
            f"{owner}: variables must be a non-empty mapping name -> values; "
            f"got {variables!r}"
        )
    for name in variables:
        if not isinstance(name, str):
            raise TypeError(f"{owner}: variable names must be str; got {name!r}")
    values = {}
    index = {}
    for name in variables:
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
    return values, index


def _probability_table(table, shape, names, normalize, owner):
    """The table as a float array of the given shape, non-negative, summing to 1."""
    table = finite_array(table, "table", owner)
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
    elif abs(total - 1.0) > SUM_TOL:
        raise ValueError(
            f"{owner}: probabilities must sum to 1; got sum(table)={total!r} "
            "(pass normalize=True to rescale weights)"
        )
    return table / total


def _paired_samples(samples, owner):
    """The samples as 1-D arrays of one common, non-zero length."""
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
    return arrays


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
        values, index = _variable_values(variables, owner)
        names = tuple(values)
        shape = tuple(len(values[n]) for n in names)
        table = _probability_table(table, shape, names, normalize, owner)
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
        arrays = _paired_samples(samples, "JointDistribution.from_samples")
        codes = []
        variables = {}
        for name, arr in arrays.items():
            uniq, inverse = np.unique(arr, return_inverse=True)
            variables[name] = [u.item() for u in uniq]
            codes.append(inverse.reshape(-1))
        shape = tuple(len(v) for v in variables.values())
        flat = np.ravel_multi_index(codes, shape)
        counts = np.bincount(flat, minlength=math.prod(shape)).reshape(shape)
        length = next(iter(arrays.values())).shape[0]
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
