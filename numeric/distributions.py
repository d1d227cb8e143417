"""Probability distributions with exact densities, quantiles, moments and sampling.

Thirteen families cover the distributions of d2l's probability chapter and maths
appendix, and the usual ones of maximum likelihood:
:class:`Bernoulli`, :class:`Binomial`, :class:`Poisson`, :class:`DiscreteUniform` (both
ends included), :class:`Categorical` and :class:`Multinomial` are discrete;
:class:`Normal`, :class:`Uniform`, :class:`Exponential`, :class:`Gamma`,
:class:`Beta`, :class:`StudentT` and :class:`LogNormal` are continuous.  Parameters
may be arrays: they broadcast against each other (the *batch shape*) and against the
points at which a method is evaluated, as in numpy.  Sampling always takes an explicit
``numpy.random.Generator``; nothing here touches numpy's global random state.
:mod:`scipy.stats` appears only in :meth:`Distribution.to_scipy`, an independent
reference for the tests.

This module is the public path; the code lives in :mod:`numeric.probability`
(``infrastructure``, ``discrete`` and ``continuous``).
"""

from numeric.probability.continuous import (
    Beta,
    Exponential,
    Gamma,
    LogNormal,
    Normal,
    StudentT,
    Uniform,
)
from numeric.probability.discrete import (
    Bernoulli,
    Binomial,
    Categorical,
    DiscreteUniform,
    Multinomial,
    Poisson,
)
from numeric.probability.infrastructure import (
    ContinuousDistribution,
    DiscreteDistribution,
    Distribution,
)

__all__ = [
    "Distribution",
    "DiscreteDistribution",
    "ContinuousDistribution",
    "Bernoulli",
    "Binomial",
    "Poisson",
    "DiscreteUniform",
    "Categorical",
    "Multinomial",
    "Normal",
    "Uniform",
    "Exponential",
    "Gamma",
    "Beta",
    "StudentT",
    "LogNormal",
]
