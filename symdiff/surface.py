"""Expr's methods whose work lives above the core: printing and the numpy-like surface
(and the notebook LaTeX of the derivative tuples ``grad`` and ``hessian`` return).

:mod:`symdiff.core.expr` defines the node and its operators; it cannot import the
printers or the tensor constructors without importing upwards.  :func:`install`, called
once by ``symdiff/__init__.py``, gives :class:`~symdiff.core.expr.Expr` these methods,
so imports run one way and every method an ``Expr`` has is listed here or in the core.
"""

import numbers

from symdiff.constructors import tensor
from symdiff.core.expr import Expr, apply
from symdiff.diff import ExprTuple
from symdiff.ops.comparison import COMPARISONS
from symdiff.printing import latex, to_str


def _iter(self):
    if not self.shape:
        raise TypeError("iteration over a scalar (0-d) expression")
    return (tensor.getitem(self, i) for i in range(self.shape[0]))


def _reshape(self, *shape):
    if len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
        shape = shape[0]
    return tensor.reshape(self, shape)


def _transpose(self, *axes):
    if len(axes) == 1 and not isinstance(axes[0], numbers.Integral):
        axes = axes[0]
    return tensor.transpose(self, axes or None)


def _comparison(op):
    def compare(self, other):
        return apply(op, self, other)

    compare.__name__ = f"__{op}__"
    return compare


def _bool(self):
    # a mask has no single truth value: `if x < y:` or sorted(exprs) would silently
    # take any expression as true; say what to use instead, as SymPy does
    if self.op in COMPARISONS:
        raise TypeError(
            f"the truth value of the mask {to_str(self)} is not known until it is "
            "evaluated; use where(mask, a, b) to choose between expressions"
        )
    return True


def _repr_latex_(self):
    return f"${latex(self)}$"


METHODS = {
    "__str__": to_str,
    "__repr__": to_str,
    "_repr_latex_": _repr_latex_,
    "__getitem__": tensor.getitem,
    "__iter__": _iter,
    "sum": tensor.sum,
    "mean": tensor.mean,
    "prod": tensor.prod,
    "max": tensor.max,
    "min": tensor.min,
    "cumsum": tensor.cumsum,
    "reshape": _reshape,
    "transpose": _transpose,
    "dot": tensor.dot,
    "trace": tensor.trace,
    "norm": tensor.norm,
    # masks (issue 12); == and != stay structural identity, which interning needs
    "__lt__": _comparison("less"),
    "__le__": _comparison("less_equal"),
    "__gt__": _comparison("greater"),
    "__ge__": _comparison("greater_equal"),
    "__bool__": _bool,
}


def install():
    """Attach :data:`METHODS` to :class:`~symdiff.core.expr.Expr`, and LaTeX to the
    derivative tuples of :mod:`symdiff.diff` (idempotent).

    Examples
    --------
    >>> from symdiff import Symbol
    >>> A = Symbol("A", shape=(2, 3))
    >>> print(A.sum(axis=0)), str(A[0]), A.T.shape
    sum(A, axis=0)
    (None, 'A[0]', (3, 2))
    """
    for name, fn in METHODS.items():
        setattr(Expr, name, fn)
    ExprTuple._repr_latex_ = _repr_latex_
