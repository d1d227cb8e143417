"""Optional matplotlib figures (install the ``plot`` extra).

Importing this package needs matplotlib; nothing else in ``numeric`` or ``symdiff``
does.
"""

# Calculus figures.
from numeric.plot.calculus import plot_tangent

# Probability figures.
from numeric.plot.probability import (
    plot_central_limit,
    plot_clt_binomial,
    plot_covariance_examples,
    plot_distribution,
    plot_frequencies,
    plot_law_of_large_numbers,
)

__all__ = [
    "plot_tangent",
    "plot_frequencies",
    "plot_law_of_large_numbers",
    "plot_central_limit",
    "plot_clt_binomial",
    "plot_distribution",
    "plot_covariance_examples",
]
