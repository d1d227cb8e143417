"""The SymPy class of ``gammaln`` (named like the op, for :func:`symdiff.from_sympy`).

SymPy's ``loggamma`` is the log of Gamma on the positive reals (where the op is used);
this class evaluates, differentiates and rewrites through it.  This module imports
SymPy: the op table reaches it lazily, through :func:`functions`.
"""

import sympy
from mpmath.libmp import prec_to_dps


class gammaln(sympy.Function):  # lower case: named like the op
    """``log|Gamma(x)|``; ``rewrite("elementary")`` gives SymPy's ``loggamma``."""

    nargs = 1

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise sympy.ArgumentIndexError(self, argindex)
        return sympy.polygamma(0, self.args[0])

    def _eval_rewrite_as_elementary(self, a, **kwargs):
        return sympy.loggamma(a)

    _eval_rewrite_as_loggamma = _eval_rewrite_as_elementary

    def _eval_evalf(self, prec):
        if not self.args[0].is_number:
            return None
        return sympy.loggamma(self.args[0]).evalf(prec_to_dps(prec))

    def _eval_is_real(self):
        return self.args[0].is_positive or None


def functions():
    """The classes by op name.

    Examples
    --------
    >>> sorted(functions())
    ['gammaln']
    """
    return {"gammaln": gammaln}
