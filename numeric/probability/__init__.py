"""Probability: distributions, joint tables, Bayes' rule, moments and simulations.

The package is layered; each module imports only those above it:

* :mod:`~numeric.probability.kernels`: accurate binomial and Poisson kernels;
* :mod:`~numeric.probability.infrastructure`: declared parameters and the
  ``Distribution`` base classes;
* :mod:`~numeric.probability.discrete`, :mod:`~numeric.probability.continuous`: the
  nine families (imported from :mod:`numeric.distributions`);
* :mod:`~numeric.probability.joint`, :mod:`~numeric.probability.bayes`,
  :mod:`~numeric.probability.moments`: joint tables, Bayes' rule, expectations and
  covariances, Chebyshev (exported here);
* :mod:`~numeric.probability.results`, :mod:`~numeric.probability.sampling`,
  :mod:`~numeric.probability.bounds`, :mod:`~numeric.probability.chunked`,
  :mod:`~numeric.probability.simulate`: the simulations (imported from
  :mod:`numeric.simulate`; ``chunked`` runs them one seed per chunk, here or on dask).

Argument checks come from :mod:`numeric.validation`.
"""

from numeric.probability.bayes import bayes, total_probability
from numeric.probability.joint import JointDistribution
from numeric.probability.moments import (
    chebyshev_bound,
    chebyshev_interval,
    correlation,
    covariance,
    covariance_matrix,
    expectation,
    std,
    variance,
)

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
