"""Code targets besides numpy: the array API, numba kernels and C source.

Every target starts from the same DAG and the op rows' numpy code templates: the
array-API target maps the numpy names of the written code (``array_api``), numba and
C print scalar code per point from the same templates (``scalar``, ``numba_kernels``,
``c``).  ``lambdify(..., backend=...)`` and ``export_module(..., target=...)`` land
here.
"""

from __future__ import annotations

from symdiff.codegen.targets.compiled import CompiledFunction, optional_module

__all__ = ["BACKENDS", "CompiledFunction", "lambdify_target"]

BACKENDS = ("numpy", "array_api", "numba")


def lambdify_target(backend, args, outputs, dtype):
    """``lambdify`` for a ``backend`` other than numpy.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> lambdify_target("c", [Symbol("x")], Symbol("x"), "float64")
    Traceback (most recent call last):
    ...
    ValueError: lambdify: backend must be one of 'numpy', 'array_api', 'numba'; got 'c'
    """
    if backend == "array_api":
        from symdiff.codegen.targets.array_api import lambdify_source

        source, args, extras = lambdify_source(args, outputs, dtype)
        return CompiledFunction(source, args, extras, "array_api")
    if backend == "numba":
        optional_module("numba", "numba", "numba")
        from symdiff.codegen.targets.numba_kernels import lambdify_numba

        return lambdify_numba(args, outputs, dtype)
    choices = ", ".join(repr(b) for b in BACKENDS)
    raise ValueError(f"lambdify: backend must be one of {choices}; got {backend!r}")
