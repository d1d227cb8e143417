"""numeric.calculus: numerical derivatives, gradient checks and tangent lines.

- :mod:`~numeric.calculus.limits`: d2l's numerical limit and its table.
- :mod:`~numeric.calculus.univariate`: the adaptive derivative and its result type,
  built on :mod:`~numeric.calculus.search` (the step search),
  :mod:`~numeric.calculus.tableau` (the Richardson table),
  :mod:`~numeric.calculus.stencils` (difference rules),
  :mod:`~numeric.calculus.evaluators` (how ``f`` is called) and
  :mod:`~numeric.calculus.complex_step`; :mod:`~numeric.calculus.tuning` holds the
  search's constants.
- :mod:`~numeric.calculus.multivariate`: gradient, Jacobian, Hessian.
- :mod:`~numeric.calculus.gradcheck`: check a hand-written gradient.
- :mod:`~numeric.calculus.tangent`: d2l's tangent line (its figure is in
  ``numeric.plot``).
"""

from numeric.calculus.gradcheck import GradCheckResult, assert_grad_close, check_grad
from numeric.calculus.limits import limit_table, numerical_limit
from numeric.calculus.multivariate import (
    directional_derivative,
    gradient,
    hessian,
    jacobian,
)
from numeric.calculus.tangent import TangentLine, tangent_line
from numeric.calculus.univariate import DerivativeResult, derivative

__all__ = [
    "numerical_limit",
    "limit_table",
    "derivative",
    "gradient",
    "jacobian",
    "hessian",
    "directional_derivative",
    "DerivativeResult",
    "check_grad",
    "assert_grad_close",
    "GradCheckResult",
    "tangent_line",
    "TangentLine",
]
