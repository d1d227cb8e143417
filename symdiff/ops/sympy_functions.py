"""SymPy function classes for the ops SymPy has no function for.

``sigmoid``, ``softplus``, ``relu`` and ``clip`` become instances of these
``sympy.Function`` subclasses (named like the ops, so :func:`symdiff.from_sympy` maps
them back to the very same node).  Each knows its derivative, which is that of its
elementary form (so SymPy differentiates it without our rules), evaluates numerically
through that form, and rewrites to it: ``f.rewrite("elementary")``.

This module imports SymPy: the op table reaches it lazily, through :func:`functions`.
"""

import sympy
from mpmath.libmp import prec_to_dps


class _Elementary(sympy.Function):
    """A one-argument function defined by an elementary SymPy expression."""

    nargs = 1

    @staticmethod
    def elementary(a):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise sympy.ArgumentIndexError(self, argindex)
        t = sympy.Dummy("t", real=True)
        return sympy.diff(self.elementary(t), t).subs(t, self.args[0])

    def _eval_rewrite_as_elementary(self, a, **kwargs):
        return self.elementary(a)

    def _eval_evalf(self, prec):
        if not self.args[0].is_number:
            return None
        return self.elementary(self.args[0]).evalf(prec_to_dps(prec))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_finite(self):
        return self.args[0].is_finite


class sigmoid(_Elementary):  # lower case: named like the op, for from_sympy
    """The logistic function ``1/(1 + exp(-x))``."""

    @staticmethod
    def elementary(a):
        return 1 / (1 + sympy.exp(-a))

    _eval_rewrite_as_exp = _Elementary._eval_rewrite_as_elementary


class softplus(_Elementary):
    """``log(1 + exp(x))``."""

    @staticmethod
    def elementary(a):
        return sympy.log(1 + sympy.exp(a))

    _eval_rewrite_as_log = _Elementary._eval_rewrite_as_elementary


class relu(_Elementary):
    """``max(x, 0)``, with the derivative ``Heaviside(x, 0)`` (relu'(0) = 0)."""

    @staticmethod
    def elementary(a):
        return sympy.Max(a, 0)

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise sympy.ArgumentIndexError(self, argindex)
        return sympy.Heaviside(self.args[0], 0)

    _eval_rewrite_as_Max = _Elementary._eval_rewrite_as_elementary


class clip(sympy.Function):
    """numpy's clip, ``Min(Max(x, lo), hi)``: a function of its own, so that
    ``from_sympy`` gives back ``clip`` and not ``minimum(maximum(x, lo), hi)``."""

    nargs = 3

    @staticmethod
    def elementary(x, lo, hi):
        return sympy.Min(sympy.Max(x, lo), hi)

    def fdiff(self, argindex=1):
        if argindex not in (1, 2, 3):
            raise sympy.ArgumentIndexError(self, argindex)
        t = sympy.symbols("t0:3", real=True, cls=sympy.Dummy)
        d = sympy.diff(self.elementary(*t), t[argindex - 1])
        return d.subs(dict(zip(t, self.args, strict=True)))

    def _eval_rewrite_as_elementary(self, *args, **kwargs):
        return self.elementary(*args)

    _eval_rewrite_as_Min = _eval_rewrite_as_elementary

    def _eval_evalf(self, prec):
        if not all(a.is_number for a in self.args):
            return None
        return self.elementary(*self.args).evalf(prec_to_dps(prec))

    def _eval_is_real(self):
        return self.args[0].is_real


def functions():
    """The op name -> SymPy function class table, for the ops' ``sympy`` forms.

    Examples
    --------
    >>> import sympy
    >>> f = functions()
    >>> t = sympy.Symbol("t", real=True)
    >>> f["sigmoid"](t).rewrite("elementary")
    1/(1 + exp(-t))
    >>> float(f["softplus"](0).evalf())
    0.6931471805599453
    >>> f["log1p"](t).diff(t)
    1/(t + 1)
    """
    from sympy.codegen.cfunctions import expm1, log1p

    return {
        "sigmoid": sigmoid,
        "softplus": softplus,
        "relu": relu,
        "clip": clip,
        "log1p": log1p,
        "expm1": expm1,
    }


def elementary(expr):
    """``expr`` with every function of :func:`functions` in elementary terms.

    Examples
    --------
    >>> import sympy
    >>> t = sympy.Symbol("t")
    >>> elementary(sigmoid(t) + functions()["log1p"](t))
    log(t + 1) + 1/(1 + exp(-t))
    """
    from sympy.codegen.cfunctions import expm1, log1p

    expr = expr.replace(log1p, lambda a: sympy.log(1 + a))
    expr = expr.replace(expm1, lambda a: sympy.exp(a) - 1)
    return expr.rewrite("elementary")
