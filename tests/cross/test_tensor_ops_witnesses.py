"""symdiff and numeric.autograd agree on the array ops they share (issue 16).

For each op both halves define under the same name and signature (concatenate,
cumsum, prod, trace, diag, inv, det, solve, norm), the symbolic gradient of a
weighted sum of the op's output equals the eager one; neither side shares derivative
code with the other.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numeric.autograd as ag
import symdiff as sd

# name: a function applied to (module, X) for a 3x3 input X, on both sides
SHARED = {
    "cumsum": lambda m, X: m.cumsum(X, axis=1),
    "cumsum_flat": lambda m, X: m.cumsum(X),
    "prod": lambda m, X: m.prod(X, axis=0),
    "prod_all": lambda m, X: m.prod(X),
    "trace": lambda m, X: m.trace(X),
    "diag": lambda m, X: m.diag(m.cumsum(X, axis=0)[2]),
    "concatenate": lambda m, X: m.concatenate([X, X * X], axis=1),
    "inv": lambda m, X: m.inv(X + 4.0 * np.eye(3)),
    "det": lambda m, X: m.det(X + 4.0 * np.eye(3)),
    "solve": lambda m, X: m.solve(X + 4.0 * np.eye(3), X[:, 0]),
    "norm": lambda m, X: m.norm(X),
}


@pytest.mark.parametrize("name", sorted(SHARED))
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_symbolic_and_eager_gradients_agree(name, seed):
    rng = np.random.default_rng(seed)
    xv = rng.uniform(-1.0, 1.0, size=(3, 3))
    f = SHARED[name]
    X = sd.Symbol("X", shape=(3, 3))
    out_sym = f(sd, X)
    w = rng.uniform(-1.0, 1.0, size=out_sym.shape)
    loss_sym = sd.sum(sd.const(w) * out_sym)
    value_sym = float(sd.evaluate(loss_sym, X=xv))
    grad_sym = np.asarray(sd.evaluate(sd.grad(loss_sym, X), X=xv), dtype=float)

    x = ag.tensor(xv, requires_grad=True)
    out = f(ag, x)
    assert out.shape == out_sym.shape
    loss = (out * w).sum()
    loss.backward()
    assert float(loss) == pytest.approx(value_sym, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(x.grad.data, grad_sym, rtol=1e-9, atol=1e-12)
