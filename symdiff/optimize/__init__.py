"""The scipy.optimize bridge: exact derivatives for ``minimize`` and ``least_squares``.

:class:`Problem` turns an objective expression, its (possibly shaped) parameters,
constraints and bounds into exactly the arguments ``scipy.optimize.minimize`` takes
for a method: ``fun``, ``jac``, a sparse ``hess`` or ``hessp``, ``constraints`` with
their Jacobians (and, for trust-constr, the Hessian of ``v . c(x)``) and
``bounds``.  :func:`minimize` and :func:`least_squares` wrap it.  scipy.optimize is
imported on first use, so importing this package stays light.
"""

from symdiff.optimize.packing import Packing
from symdiff.optimize.problem import METHODS, Problem
from symdiff.optimize.solve import least_squares, minimize

__all__ = ["METHODS", "Packing", "Problem", "least_squares", "minimize"]
