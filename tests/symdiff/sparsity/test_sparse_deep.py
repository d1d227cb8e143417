"""The sparse passes work on a 100,000-deep chain (no recursion anywhere)."""

import math

import numpy as np
import pytest

import symdiff as sd
from symdiff.sparse import hessian_sparsity, jacobian_sparsity, sparse_jacobian

DEPTH = 100_000


@pytest.fixture(scope="module")
def chain():
    xs = list(sd.symbols("a b c"))
    e = xs[0]
    for i in range(DEPTH):
        # a linear chain (lazy unions all the way down) with a nonlinear leaf term
        e = e * 0.5 + sd.sin(xs[i % 2])
    return xs, e


def test_patterns_of_a_deep_chain(chain):
    xs, e = chain
    P = jacobian_sparsity([e], xs).toarray()
    assert P.tolist() == [[True, True, False]]
    H = hessian_sparsity(e, xs).toarray()
    assert H.tolist() == [[True, False, False], [False, True, False], [False] * 3]


def test_sparse_jacobian_of_a_deep_chain(chain):
    xs, e = chain
    J = sparse_jacobian([e], xs)
    assert J.rows.tolist() == [0, 0] and J.cols.tolist() == [0, 1]
    env = {xs[0]: 0.3, xs[1]: -0.4, xs[2]: 2.0}
    got = [float(sd.evaluate(v, env)) for v in J.values]
    # the reference: the chain's derivative by hand, in a loop
    da, db = 1.0, 0.0
    for i in range(DEPTH):
        da, db = 0.5 * da, 0.5 * db
        if i % 2 == 0:
            da += math.cos(0.3)
        else:
            db += math.cos(-0.4)
    np.testing.assert_allclose(got, [da, db], rtol=1e-12)
