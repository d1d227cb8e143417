"""einsum and the contractions built on it: values vs numpy, derivatives vs central
differences and torch, validation errors that say what is wrong."""

import numpy as np
import pytest
from ml_helpers import check_derivatives

from symdiff import (
    ShapeError,
    Symbol,
    einsum,
    evaluate,
    grad,
    hessian,
    inner,
    kron,
    lambdify,
    sum,
    tensordot,
)

RNG = np.random.default_rng(8)
A = Symbol("A", shape=(2, 3))
B = Symbol("B", shape=(3, 4))
C = Symbol("C", shape=(4, 2))
x = Symbol("x", shape=(3,))
T = Symbol("T", shape=(5, 2, 3))  # '...' batch of A-shaped matrices

SUBSCRIPTS = [
    ("ij,jk->ik", (A, B)),
    ("ij,jk,kl->il", (A, B, C)),  # three operands (numpy optimizes the order)
    ("ij->", (A,)),
    ("ij->ji", (A,)),
    ("ij->i", (A,)),  # a letter only the operand has: its adjoint broadcasts
    ("i,j->ij", (x, x)),
    ("ij,j", (A, x)),  # numpy's implied output
    ("...ij,j->...i", (T, x)),
    ("ij,ij->", (A, A)),  # the same operand twice
]


def _values(ops):
    return {s: RNG.normal(size=s.shape) for s in set(ops)}


@pytest.mark.parametrize(("subs", "ops"), SUBSCRIPTS, ids=[s for s, _ in SUBSCRIPTS])
def test_values_and_derivatives(subs, ops):
    e = einsum(subs, *ops)
    vals = _values(ops)
    want = np.einsum(subs, *[vals[s] for s in ops])
    np.testing.assert_allclose(evaluate(e, vals), want, rtol=1e-13)
    syms = sorted(vals, key=lambda s: s.name)
    np.testing.assert_allclose(
        lambdify(syms, e)(*[vals[s] for s in syms]), want, rtol=1e-13
    )
    for s in syms:
        others = {o: vals[o] for o in syms if o is not s}
        check_derivatives(e, s, vals[s], others)


def test_gradients_match_torch_einsum():
    torch = pytest.importorskip("torch", reason="torch cross-check (optional)")
    vals = _values((A, B, C))
    ta, tb, tc = (torch.tensor(vals[s], requires_grad=True) for s in (A, B, C))
    w = RNG.normal(size=(2, 2))
    tout = (torch.einsum("ij,jk,kl->il", ta, tb, tc) * torch.tensor(w)).sum()
    grads = torch.autograd.grad(tout, (ta, tb, tc))
    loss = sum(einsum("ij,jk,kl->il", A, B, C) * w)
    for s, tg in zip((A, B, C), grads, strict=True):
        np.testing.assert_allclose(
            evaluate(grad(loss, s), vals), tg.numpy(), rtol=1e-12
        )


def test_quadratic_form_hessian_is_symmetric_part():
    M = Symbol("M", shape=(3, 3))
    m = RNG.normal(size=(3, 3))
    h = evaluate(hessian(einsum("i,ij,j->", x, M, x), x), {M: m, x: np.zeros(3)})
    np.testing.assert_allclose(h, m + m.T, rtol=1e-14)


def test_tensordot_inner_kron_match_numpy():
    U, V = Symbol("U", shape=(2, 3, 4)), Symbol("V", shape=(3, 4, 5))
    u, v = RNG.normal(size=U.shape), RNG.normal(size=V.shape)
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4))
    at = {U: u, V: v, A: a, B: b}
    checks = [
        (tensordot(U, V), np.tensordot(u, v)),
        (tensordot(U, V, axes=([1], [0])), np.tensordot(u, v, axes=([1], [0]))),
        (tensordot(A, B, axes=1), a @ b),
        (inner(A, Symbol("A2", shape=(4, 3))), None),
        (kron(A, B), np.kron(a, b)),
    ]
    a2 = RNG.normal(size=(4, 3))
    at[Symbol("A2", shape=(4, 3))] = a2
    checks[3] = (checks[3][0], np.inner(a, a2))
    for e, want in checks:
        np.testing.assert_allclose(evaluate(e, at), want, rtol=1e-13)
    check_derivatives(kron(A, B), A, a, {B: b})


def test_bad_subscripts_are_clear_errors():
    with pytest.raises(ValueError, match="2 operand term.*for 1 operand"):
        einsum("ij,jk", A)
    with pytest.raises(ShapeError, match="the term 'ijk' has 3 letter.*2 dimension"):
        einsum("ijk->i", A)
    with pytest.raises(ShapeError, match=r"letter 'j' has size 3 .* 2 in another"):
        einsum("ij,jk->ik", A, A)
    with pytest.raises(ValueError, match="repeats within the operand term 'ii'"):
        einsum("ii->i", Symbol("S", shape=(3, 3)))
    with pytest.raises(ValueError, match=r"output letter\(s\) \['z'\]"):
        einsum("ij->z", A)
    with pytest.raises(ValueError, match="letters, ',', '->'"):
        einsum("i1->", x)
    with pytest.raises(TypeError, match="subscripts must be a str"):
        einsum(3, x)
    with pytest.raises(ValueError, match="kron: operands need the same number"):
        kron(A, x)
