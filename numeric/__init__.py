"""numeric: the numeric half of symdiff.

Finite differences, gradient checks and tangent lines (``numeric.calculus``),
an eager autograd (``numeric.autograd``), probability (``numeric.distributions``,
``numeric.probability``, ``numeric.simulate``) and optional figures (``numeric.plot``).
It never imports ``symdiff`` to compute a derivative, so it can check the symbolic half.
"""

from numeric.calculus import (
    DerivativeResult,
    GradCheckResult,
    TangentLine,
    assert_grad_close,
    check_grad,
    derivative,
    directional_derivative,
    gradient,
    hessian,
    jacobian,
    limit_table,
    numerical_limit,
    tangent_line,
)

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
