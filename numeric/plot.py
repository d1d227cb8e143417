"""Optional matplotlib figures (install the ``plot`` extra).

Importing this module needs matplotlib; nothing else in ``numeric`` or ``symdiff`` does.
"""

from numeric.plot_calculus import plot_tangent  # noqa: F401
from numeric.plot_probability import (  # noqa: F401
    plot_central_limit,
    plot_clt_binomial,
    plot_covariance_examples,
    plot_distribution,
    plot_frequencies,
    plot_law_of_large_numbers,
)
