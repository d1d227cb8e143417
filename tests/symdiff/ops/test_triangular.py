"""tril, triu, flip, cholesky: values vs numpy, derivatives vs central differences,
cholesky's gradient vs torch, forward vs reverse mode, clear errors."""

import numpy as np
import pytest
from ml_helpers import check_derivatives

from symdiff import (
    ShapeError,
    Symbol,
    cholesky,
    evaluate,
    flip,
    grad,
    lambdify,
    sum,
    tril,
    triu,
)

RNG = np.random.default_rng(21)
A = Symbol("A", shape=(3, 4))
M = Symbol("M", shape=(3, 3))
T = Symbol("T", shape=(2, 3, 4))

LINEAR = [
    (tril(A), lambda v: np.tril(v)),
    (tril(A, k=1), lambda v: np.tril(v, 1)),
    (triu(A, k=-1), lambda v: np.triu(v, -1)),
    (triu(T), lambda v: np.triu(v)),
    (flip(A), lambda v: np.flip(v)),
    (flip(T, axis=(0, 2)), lambda v: np.flip(v, axis=(0, 2))),
    (flip(A, axis=-1), lambda v: v[:, ::-1]),
]


@pytest.mark.parametrize("k", range(len(LINEAR)))
def test_masks_and_flips_match_numpy_and_differentiate(k):
    e, ref = LINEAR[k]
    (sym,) = e.free_symbols
    v = RNG.normal(size=sym.shape)
    np.testing.assert_array_equal(evaluate(e, {sym: v}), ref(v))
    np.testing.assert_array_equal(lambdify([sym], e)(v), ref(v))
    check_derivatives(e, sym, v)


def _spd(m):
    return m @ m.T + 3 * np.eye(3)


def test_cholesky_values_and_derivatives_through_a_spd_parametrization():
    m = RNG.normal(size=(3, 3))
    L = cholesky(M @ M.T + 3 * np.eye(3))
    np.testing.assert_allclose(evaluate(L, {M: m}), np.linalg.cholesky(_spd(m)))
    check_derivatives(L, M, m)


def test_cholesky_gradient_is_symmetric_and_matches_torch():
    torch = pytest.importorskip("torch", reason="torch cross-check (optional)")
    a = _spd(RNG.normal(size=(3, 3)))
    w = RNG.normal(size=(3, 3))
    ta = torch.tensor(a, requires_grad=True)
    (tg,) = torch.autograd.grad((torch.linalg.cholesky(ta) * torch.tensor(w)).sum(), ta)
    ours = evaluate(grad(sum(cholesky(M) * w), M), {M: a})
    np.testing.assert_allclose(ours, ours.T, atol=1e-14)
    # torch's gradient is the symmetric one too (its rule is Murray's)
    np.testing.assert_allclose(ours, tg.numpy(), rtol=1e-10, atol=1e-12)


def test_cholesky_of_a_batch_in_generated_code():
    ms = RNG.normal(size=(4, 3, 3))
    spd = ms @ np.swapaxes(ms, -1, -2) + 3 * np.eye(3)
    got = lambdify([M], cholesky(M))(spd)
    np.testing.assert_allclose(got, np.linalg.cholesky(spd), rtol=1e-13)


def test_bad_shapes_are_clear_errors():
    with pytest.raises(ShapeError, match=r"cholesky: needs a square matrix.*\(3, 4\)"):
        cholesky(A)
    with pytest.raises(ShapeError, match="tril: needs a matrix"):
        tril(Symbol("v", shape=(3,)))
    with pytest.raises(TypeError, match="triu: k must be an int"):
        triu(A, k=0.5)
    with pytest.raises(ShapeError, match="flip: axis 2 is out of range"):
        flip(A, axis=2)
