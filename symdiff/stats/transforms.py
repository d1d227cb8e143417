"""Maps from unconstrained space to each parameter's domain, as expressions.

``positive``: ``exp(u)``; ``unit`` (probabilities): ``sigmoid(u)``; ``real``: ``u``.
The log-likelihood is built in the unconstrained parameters by substituting these
maps, so its gradient and Hessian there are exact (the chain rule is done
symbolically by :func:`symdiff.grad`).
"""

from __future__ import annotations

import math

from symdiff.constructors.elementwise import exp, sigmoid

TRANSFORMS = {"real", "positive", "unit"}


def to_natural(constraint, u):
    """The expression of a parameter with ``constraint`` from the unconstrained ``u``.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> print(to_natural("positive", Symbol("u")), to_natural("unit", Symbol("u")))
    exp(u) sigmoid(u)
    """
    if constraint == "positive":
        return exp(u)
    if constraint == "unit":
        return sigmoid(u)
    if constraint == "real":
        return u
    raise ValueError(f"unknown constraint {constraint!r}; known: {sorted(TRANSFORMS)}")


def to_unconstrained(constraint, value):
    """The unconstrained value of the number ``value`` (inverse of :func:`to_natural`).

    Examples
    --------
    >>> to_unconstrained("positive", 1.0), to_unconstrained("unit", 0.5)
    (0.0, 0.0)
    """
    value = float(value)
    if constraint == "positive":
        if not value > 0:
            raise ValueError(f"a positive parameter must be > 0, got {value}")
        return math.log(value)
    if constraint == "unit":
        if not 0 < value < 1:
            raise ValueError(f"a probability parameter must be in (0, 1), got {value}")
        return math.log(value) - math.log1p(-value)
    if constraint == "real":
        return value
    raise ValueError(f"unknown constraint {constraint!r}; known: {sorted(TRANSFORMS)}")
