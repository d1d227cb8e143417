"""logsumexp, softmax, log_softmax: values vs scipy.special, derivatives vs central
differences and torch, forward vs reverse mode, no overflow at +-800."""

import warnings

import numpy as np
import pytest
import scipy.special
import sympy
from hypothesis import given
from hypothesis import strategies as st
from ml_helpers import check_derivatives

from symdiff import (
    ShapeError,
    Symbol,
    evaluate,
    grad,
    hessian,
    lambdify,
    latex,
    parse,
    to_str,
    to_sympy,
)
from symdiff.constructors.ml import log_softmax, logsumexp, softmax

Z = Symbol("Z", shape=(4, 3))
z = Symbol("z", shape=(5,))
T = Symbol("T", shape=(2, 3, 4))
RNG = np.random.default_rng(12)

CASES = [  # (expression, scipy's value of it as a function of the operand's value)
    (logsumexp(Z), lambda v: scipy.special.logsumexp(v)),
    (logsumexp(Z, axis=1), lambda v: scipy.special.logsumexp(v, axis=1)),
    (
        logsumexp(Z, axis=0, keepdims=True),
        lambda v: scipy.special.logsumexp(v, axis=0, keepdims=True),
    ),
    (logsumexp(T, axis=(0, 2)), lambda v: scipy.special.logsumexp(v, axis=(0, 2))),
    (softmax(Z), lambda v: scipy.special.softmax(v, axis=-1)),
    (softmax(Z, axis=0), lambda v: scipy.special.softmax(v, axis=0)),
    (softmax(T, axis=1), lambda v: scipy.special.softmax(v, axis=1)),
    (log_softmax(Z), lambda v: scipy.special.log_softmax(v, axis=-1)),
    (log_softmax(T, axis=0), lambda v: scipy.special.log_softmax(v, axis=0)),
    (log_softmax(z), lambda v: scipy.special.log_softmax(v)),
]
IDS = [to_str(e) for e, _ in CASES]


def _value(e, scale=1.0):
    (sym,) = e.free_symbols
    return sym, RNG.normal(size=sym.shape) * scale


@pytest.mark.parametrize(("e", "ref"), CASES, ids=IDS)
def test_values_match_scipy_also_where_exp_overflows(e, ref):
    for scale in (1.0, 400.0):  # 400 * N(0, 1) reaches +-800 and beyond
        sym, v = _value(e, scale)
        want = ref(v)
        np.testing.assert_allclose(evaluate(e, {sym: v}), want, rtol=1e-12, atol=1e-13)
        with (
            warnings.catch_warnings(),
            np.errstate(over="raise", invalid="raise", divide="raise"),
        ):
            warnings.simplefilter("error")
            got = lambdify([sym], e)(v)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize(("e", "ref"), CASES, ids=IDS)
def test_derivatives_match_central_differences(e, ref):
    sym, v = _value(e)
    check_derivatives(e, sym, v)


@pytest.mark.parametrize(("e", "ref"), CASES, ids=IDS)
def test_printing_parsing_and_latex(e, ref):
    (sym,) = e.free_symbols
    assert parse(to_str(e), {sym.name: sym}) is e
    assert "operatorname" in latex(e)


def test_gradients_match_torch():
    torch = pytest.importorskip("torch", reason="torch cross-check (optional)")
    v = RNG.normal(size=(4, 3)) * 30
    w = RNG.normal(size=(4, 3))
    tz = torch.tensor(v, requires_grad=True)
    pairs = [
        (
            logsumexp(Z, axis=1) * w[:, 0],
            lambda t: torch.logsumexp(t, 1) * torch.tensor(w[:, 0]),
        ),
        (softmax(Z, axis=0) * w, lambda t: torch.softmax(t, 0) * torch.tensor(w)),
        (log_softmax(Z) * w, lambda t: torch.log_softmax(t, -1) * torch.tensor(w)),
    ]
    from symdiff import sum as ssum

    for e, tf in pairs:
        (g,) = torch.autograd.grad(tf(tz).sum(), tz)
        ours = evaluate(grad(ssum(e), Z), {Z: v})
        np.testing.assert_allclose(ours, g.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(
            evaluate(e, {Z: v}), tf(tz).detach().numpy(), rtol=1e-12, atol=1e-13
        )


def test_hessian_of_logsumexp_is_diag_softmax_minus_outer():
    v = RNG.normal(size=5)
    s = scipy.special.softmax(v)
    got = evaluate(hessian(logsumexp(z), z), {z: v})
    np.testing.assert_allclose(got, np.diag(s) - np.outer(s, s), rtol=1e-12, atol=1e-15)


@given(
    st.lists(st.floats(-700, 700), min_size=1, max_size=6),
    st.integers(0, 1),
)
def test_softmax_rows_sum_to_one_and_log_softmax_is_its_log(vals, which):
    v = np.array(vals)
    x = Symbol("x", shape=v.shape)
    s = evaluate(softmax(x), {x: v})
    ls = evaluate(log_softmax(x), {x: v})
    assert abs(s.sum() - 1) < 1e-12
    np.testing.assert_allclose(np.exp(ls), s, rtol=1e-12, atol=1e-300)
    assert np.all(ls <= 0)
    lse = float(evaluate(logsumexp(x), {x: v}))
    assert v.max() <= lse <= v.max() + np.log(len(v)) + 1e-12


def test_sympy_forms_of_vectors():
    v = RNG.normal(size=5)
    for e in (logsumexp(z), softmax(z), log_softmax(z)):
        s = to_sympy(e)
        (mat,) = s.free_symbols  # the MatrixSymbol z, a 5 x 1 column
        num = s.subs(mat, sympy.ImmutableMatrix(v.reshape(5, 1))).doit().evalf()
        got = np.array(sympy.Matrix([num]) if num.is_number else num, dtype=float)
        np.testing.assert_allclose(
            got.ravel(), np.ravel(evaluate(e, {z: v})), rtol=1e-12
        )


def test_bad_axes_and_scalars_are_clear_errors():
    with pytest.raises(ShapeError, match="softmax: needs at least one dimension"):
        softmax(Symbol("s"))
    with pytest.raises(ShapeError, match="log_softmax: axis 2 is out of range"):
        log_softmax(Z, axis=2)
    with pytest.raises(ShapeError, match="logsumexp: axis 5 is out of range"):
        logsumexp(Z, axis=5)
    with pytest.raises(TypeError, match="logsumexp: keepdims must be True or False"):
        logsumexp(Z, keepdims="yes")


def test_batched_values_keep_the_leading_axes():
    """A value with extra leading axes is a batch: the ops act on the trailing ones."""
    v = RNG.normal(size=(7, 4, 3))
    got = lambdify([Z], [logsumexp(Z, axis=1), softmax(Z, axis=0)])(v)
    np.testing.assert_allclose(got[0], scipy.special.logsumexp(v, axis=2))
    np.testing.assert_allclose(got[1], scipy.special.softmax(v, axis=1))
