"""Rows of the op table: special functions for log-densities (gammaln, polygamma).

``gammaln(x) = log|Gamma(x)|`` and ``polygamma(n, x)``, the ``n``-th derivative of the
digamma function (``polygamma(0, x)`` is digamma, ``polygamma(1, x)`` trigamma).  The
order ``n`` is the first operand and must be a non-negative integer constant, so that
the text form ``polygamma(1, x)`` is SymPy's and the parser's alike, and each
derivative is the next order: ``gammaln' = polygamma(0, .)``,
``polygamma(n, .)' = polygamma(n + 1, .)``.

Numbers come from :mod:`scipy.special`, imported on first use; generated code imports
it where it is called (so exported modules that use these ops need scipy).
"""

from __future__ import annotations

import numbers

import numpy as np

from symdiff.core import lazy
from symdiff.core.expr import Const, apply
from symdiff.core.spec import defop

# generated code has only `np` in scope: the call imports scipy.special itself (cached
# by Python after the first call); the text is fixed, no user text reaches it
_SPECIAL = '__import__("scipy.special", fromlist=["gammaln"])'


def _sympy_function(name):
    from symdiff.ops.sympy_special import functions

    return functions()[name]


def _gammaln(v):
    return lazy.scipy_special().gammaln(np.asarray(v, dtype=float))


def _order(arg):
    """The order of ``polygamma``: a non-negative integer constant, else an error."""
    value = arg.value if isinstance(arg, Const) else None
    ok = (
        value is not None
        and np.ndim(value) == 0
        and isinstance(value.item() if hasattr(value, "item") else value, numbers.Real)
        and float(value) == int(value)
        and int(value) >= 0
    )
    if not ok:
        raise ValueError(
            "polygamma(n, x): the order n must be a non-negative integer constant, "
            f"got {arg}"
        )
    return int(value)


def _polygamma_params(args, params):
    if args:
        _order(args[0])
    return params


def _polygamma_impl(node, n, v):
    return lazy.scipy_special().polygamma(int(n), np.asarray(v, dtype=float))


def _polygamma_sympy(node, n, a):
    return lazy.sympy().polygamma(n, a)


defop(
    "gammaln",
    1,
    lambda node, v: _gammaln(v),
    doc="log|Gamma(x)| (scipy.special.gammaln)",
    partials=lambda n: (apply("polygamma", 0, n.args[0]),),
    latex=r"\ln\Gamma\left({0}\right)",
    sympy=lambda n, a: _sympy_function("gammaln")(a),
    code=_SPECIAL + ".gammaln({0})",
    domain="positive",
)
defop(
    "polygamma",
    2,
    _polygamma_impl,
    doc="polygamma(n, x): the n-th derivative of digamma (n a non-negative integer)",
    check_params=_polygamma_params,
    partials=lambda n: (None, apply("polygamma", _order(n.args[0]) + 1, n.args[1])),
    latex=r"\psi^{{\left({0}\right)}}\left({1}\right)",
    sympy=_polygamma_sympy,
    code=_SPECIAL + ".polygamma({0}, {1})",
    domain="positive",
)
