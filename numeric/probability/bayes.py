"""Bayes' rule and the law of total probability over a finite set of hypotheses."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from numeric.validation import finite_array, outcome_probabilities

__all__ = ["bayes", "total_probability"]


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
    p = outcome_probabilities(p, "prior", owner)
    lik = finite_array(lik, "likelihood", owner, ndim=(1,))
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
