"""Sparse derivatives: sparsity patterns, colouring, sparse Jacobians/Hessians, code.

Nothing here is imported by ``import symdiff`` (it loads ``scipy.sparse``); import it
as ``symdiff.sparse``.
"""

from numeric.sparsity import colour_columns, colour_hessian
from symdiff.sparse.code import SparseFunction, export_module, lambdify
from symdiff.sparse.derivatives import (
    SparseDerivative,
    hessian_vector_product,
    sparse_hessian,
    sparse_jacobian,
)
from symdiff.sparse.pattern import hessian_sparsity, jacobian_sparsity

__all__ = [
    "SparseDerivative",
    "SparseFunction",
    "colour_columns",
    "export_module",
    "colour_hessian",
    "hessian_sparsity",
    "hessian_vector_product",
    "jacobian_sparsity",
    "lambdify",
    "sparse_hessian",
    "sparse_jacobian",
]
