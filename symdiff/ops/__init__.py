"""THE op table: every operation symdiff knows, one row each, one file per family.

Importing this package fills :data:`OPS` (the schema is :mod:`symdiff.core.spec`):

=================  ==============================================================
``arithmetic``     leaves (const, symbol, pi) and ``+ - * / -x **``
``elementwise``    sin ... erf, maximum, minimum
``structural``     reshape, broadcast_to, transpose, concatenate
``indexing``       take, slice, unslice
``reductions``     sum, prod, max, min, norm, cumsum
``linalg``         matmul, diag, diagonal, trace, inv, det, logdet, solve
``special``        gammaln, polygamma (log-densities; scipy.special on first use)
``ml``             logsumexp, softmax, log_softmax
``comparison``     less ... not_equal (boolean masks), where
``contraction``    einsum (tensordot, inner and kron are built from it)
``triangular``     tril, triu, flip, cholesky
``gather``         take_along_axis (integer-array indexing), scatter_add (its adjoint)
``util``           helpers the rows share (zeros, identity, unbroadcast, axes)
=================  ==============================================================

Examples
--------
>>> from symdiff.ops import OPS
>>> OPS["matmul"].arity, OPS["sin"].elementwise
(2, True)
"""

from symdiff.core.spec import OPS, OpSpec, defop
from symdiff.ops import (  # noqa: F401  (each module adds its rows to OPS)
    arithmetic,
    comparison,
    contraction,
    elementwise,
    gather,
    indexing,
    linalg,
    ml,
    reductions,
    special,
    structural,
    triangular,
)

__all__ = ["OPS", "OpSpec", "defop"]
