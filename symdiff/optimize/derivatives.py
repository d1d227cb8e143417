"""The compiled functions of a problem: value, gradient, Hessian, products, Jacobian.

Each is built once (one :func:`~symdiff.lambdify` per function) over the packed
parameters; calls then only slice the flat vector into the symbols' values.  The
Hessian and Jacobians are :mod:`symdiff.sparse`'s: pattern, colouring and one
expression per nonzero, compiled to functions returning CSR, never ``n**2`` entries;
the Hessian-vector product never forms the Hessian at all.
"""

from __future__ import annotations

import numpy as np

from symdiff import sparse
from symdiff.codegen import lambdify
from symdiff.constructors.tensor import concatenate, reshape
from symdiff.core.expr import Symbol
from symdiff.diff import grad

__all__ = ["flat_vector", "Compiled"]


def flat_vector(exprs):
    """One vector Expr: the given Exprs raveled (C order) and laid end to end.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> flat_vector([Symbol("a"), Symbol("W", shape=(2, 2))]).shape
    (5,)
    """
    parts = [reshape(e, (-1,)) for e in exprs]
    return parts[0] if len(parts) == 1 else concatenate(parts)


class Compiled:
    """The functions scipy calls, for one objective and one packing.

    Parameters
    ----------
    packing : Packing
    objective : Expr, optional
        A scalar expression (None for a least-squares problem).
    extras : sequence of Symbol, optional
        Symbols that are arguments but not unknowns (the Lagrange multipliers of a
        constraint's Hessian), passed after the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol
    >>> from symdiff.optimize import Packing
    >>> x = Symbol("x", shape=(2,))
    >>> compiled = Compiled(Packing([x]), (x**3).sum())
    >>> compiled.jac()(np.array([1.0, 2.0]))
    array([ 3., 12.])
    >>> compiled.hess()(np.array([1.0, 2.0])).toarray()
    array([[ 6.,  0.],
           [ 0., 12.]])
    """

    def __init__(self, packing, objective=None, extras=()):
        self.packing = packing
        self.objective = objective
        self.extras = tuple(extras)
        self._cache = {}

    def _args(self):
        return list(self.packing.params) + list(self.extras)

    def _get(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def fun(self):
        """x -> float."""
        fn = self._get("fun", lambda: lambdify(self._args(), self.objective))
        values = self.packing.values

        def fun(x, *extra):
            return float(fn(*values(x), *extra))

        return fun

    def jac(self):
        """x -> gradient (flat, float64)."""
        params = self.packing.params

        def build():
            return lambdify(self._args(), flat_vector(grad(self.objective, params)))

        fn = self._get("jac", build)
        values = self.packing.values

        def jac(x, *extra):
            return np.asarray(fn(*values(x), *extra), dtype=float)

        return jac

    def hess(self):
        """x -> Hessian as a scipy.sparse CSR array (symmetric, both triangles)."""
        params = list(self.packing.params)

        def build():
            return sparse.lambdify(
                self._args(), sparse.sparse_hessian(self.objective, params)
            )

        fn = self._get("hess", build)
        values = self.packing.values

        def hess(x, *extra):
            return fn(*values(x), *extra)

        return hess

    def hessp(self):
        """(x, p) -> Hessian times p (flat), never forming the Hessian."""
        params = list(self.packing.params)
        direction = Symbol("<direction>", shape=(self.packing.size,))

        def build():
            product = sparse.hessian_vector_product(self.objective, params, direction)
            return lambdify(self._args() + [direction], product)

        fn = self._get("hessp", build)
        values = self.packing.values

        def hessp(x, p, *extra):
            p = np.asarray(p, dtype=float)
            return np.asarray(fn(*values(x), *extra, p), dtype=float)

        return hessp


class CompiledVector:
    """A vector function of the packed parameters and its Jacobian (CSR).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol
    >>> from symdiff.optimize import Packing
    >>> x = Symbol("x", shape=(3,))
    >>> c = CompiledVector(Packing([x]), x[1:] * x[:-1])
    >>> c.fun(np.array([1.0, 2.0, 3.0]))
    array([2., 6.])
    >>> c.jac()(np.array([1.0, 2.0, 3.0])).toarray()
    array([[2., 1., 0.],
           [0., 3., 2.]])
    """

    def __init__(self, packing, vector):
        self.packing = packing
        self.vector = vector
        self.size = int(vector.shape[0])
        values = packing.values
        fn = lambdify(list(packing.params), vector)

        def fun(x):
            return np.asarray(fn(*values(x)), dtype=float).reshape(-1)

        self.fun = fun
        self._jac = None

    def jac(self):
        """x -> Jacobian ``(size, packing.size)`` as a CSR array."""
        if self._jac is None:
            params = list(self.packing.params)
            self._jac = sparse.lambdify(
                params, sparse.sparse_jacobian(self.vector, params)
            )
        fn, values = self._jac, self.packing.values

        def jac(x):
            return fn(*values(x))

        return jac
