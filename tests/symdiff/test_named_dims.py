"""Named data dimensions end to end: models whose data size ``n`` is a name, built
once and evaluated, differentiated, lambdified and exported for every ``n``.

Witnesses: numpy written by hand, ``numeric``'s finite differences, and the
reference interpreter against the generated code.
"""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numeric
from symdiff import (
    ShapeError,
    Symbol,
    dim,
    evaluate,
    exp,
    export_module,
    grad,
    hessian,
    jacobian,
    lambdify,
    latex,
    mean,
    sin,
    softplus,
    std,
    tanh,
    to_sympy,
    var,
    vjp,
)

X = Symbol("X", shape=("n", 3))
y = Symbol("y", shape=("n",))
w = Symbol("w", shape=(3,))
SIZES = (1, 7, 500)


def _data(n, seed=0):
    rng = np.random.default_rng(seed + n)
    return rng.normal(size=3), rng.normal(size=(n, 3)), rng.choice([-1.0, 1.0], n)


def _logistic(wv, Xv, yv):
    """The logistic loss, its gradient and Hessian, by hand."""
    z = yv * (Xv @ wv)
    p = 1 / (1 + np.exp(z))  # sigmoid(-z)
    n = len(yv)
    loss = np.mean(np.logaddexp(0, -z))
    g = -(Xv.T @ (yv * p)) / n
    H = (Xv.T * (p * (1 - p))) @ Xv / n
    return loss, g, H


LOSS = mean(softplus(-y * (X @ w)))


def test_logistic_loss_grad_and_hessian_for_every_n():
    g, H = grad(LOSS, w), hessian(LOSS, w)
    assert g.shape == (3,) and H.shape == (3, 3)
    f = lambdify([w, X, y], [LOSS, g, H])
    for n in SIZES:
        wv, Xv, yv = _data(n)
        want = _logistic(wv, Xv, yv)
        for got in (f(wv, Xv, yv), evaluate([LOSS, g, H], {w: wv, X: Xv, y: yv})):
            for a, b in zip(got, want, strict=True):
                np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
        fd = numeric.gradient(lambda v, Xv=Xv, yv=yv: f(v, Xv, yv)[0], wv)
        np.testing.assert_allclose(f(wv, Xv, yv)[1], fd, rtol=1e-6, atol=1e-8)


def test_exported_module_takes_any_n_and_never_hard_codes_it():
    g, H = grad(LOSS, w), hessian(LOSS, w)
    src = export_module({"fit": [LOSS, g, H]}, [w, X, y])
    assert "n = X.shape[-2]" in src and "if y.shape[-1] != n:" in src
    ns = {}
    exec(compile(src, "<exported>", "exec"), ns)  # our own generated module
    for n in (7, 500, 123):
        wv, Xv, yv = _data(n)
        for a, b in zip(ns["fit"](wv, Xv, yv), _logistic(wv, Xv, yv), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    # the sizes only come from the arrays: no literal like 123 or 500 in the code
    code = src.split('"""', 2)[2]
    assert not re.search(r"\b(7|123|500)\b", code)


def test_mismatched_n_names_the_dimension_and_both_arguments():
    f = lambdify([w, X, y], LOSS)
    wv, Xv, yv = _data(500)
    msg = "dimension 'n': X has 500 (axis 0) but y has 499 (axis 0)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        f(wv, Xv, yv[:-1])
    with pytest.raises(ShapeError, match=re.escape(msg)):
        evaluate(LOSS, {w: wv, X: Xv, y: yv[:-1]})
    with pytest.raises(ValueError, match=r"argument X must have shape \(n, 3\)"):
        f(wv, Xv[:, :2], yv)


def test_a_dim_no_argument_has_is_refused_when_compiling():
    with pytest.raises(ValueError, match="dimension 'm'"):
        lambdify([w], w.sum() / dim("m"))


def test_a_symbol_named_like_a_dim_is_mangled_in_code():
    n = Symbol("n")
    f = lambdify([n, y], n * y.sum() / dim("n"))
    np.testing.assert_allclose(f(2.0, np.arange(4.0)), 2.0 * 6.0 / 4)


def test_gradient_with_respect_to_data_of_named_shape():
    gX = grad(LOSS, X)
    assert gX.shape == ("n", 3)
    f = lambdify([w, X, y], gX)
    for n in (1, 7):
        wv, Xv, yv = _data(n)
        p = 1 / (1 + np.exp(yv * (Xv @ wv)))
        want = -np.outer(yv * p, wv) / n
        np.testing.assert_allclose(f(wv, Xv, yv), want, rtol=1e-10, atol=1e-14)
    with pytest.raises(ShapeError, match="named dimensions"):
        hessian(LOSS, X)
    with pytest.raises(ShapeError, match=r"shape \(n,\) has named dimensions"):
        jacobian(X @ w, w)  # a tensor output of named shape: use vjp / jvp
    r = Symbol("r", shape=("n",))
    Jt_r = lambdify([w, X, r], vjp(X @ w, w, r))
    Xv, rv = np.arange(6.0).reshape(2, 3), np.array([1.0, -2.0])
    np.testing.assert_allclose(Jt_r(np.zeros(3), Xv, rv), Xv.T @ rv)


def test_batches_lead_named_dims():
    f = lambdify([w, X, y], LOSS)
    wv, Xv, yv = _data(5)
    Xb, yb = np.stack([Xv, 2 * Xv]), np.stack([yv, -yv])
    got = f(wv, Xb, yb)
    want = [_logistic(wv, Xb[i], yb[i])[0] for i in range(2)]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(evaluate(LOSS, {w: wv, X: Xb, y: yb}), want, rtol=1e-12)


@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_mean_var_std_over_named_dims_match_numpy(axis, ddof):
    Xv = np.random.default_rng(3).normal(size=(6, 3))
    exprs = [mean(X, axis=axis), var(X, axis=axis, ddof=ddof), std(X, axis, ddof)]
    want = [Xv.mean(axis), Xv.var(axis, ddof=ddof), Xv.std(axis, ddof=ddof)]
    f = lambdify([X], exprs)
    for got in (evaluate(exprs, X=Xv), f(Xv)):
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12)


def test_dim_prints_apart_from_a_symbol_and_has_no_derivative():
    e = mean(X, axis=0)
    assert str(e) == "sum(X, axis=0)/dim(n)"
    assert latex(dim("n")) == "n"
    assert grad(w.sum() * dim("n"), w).shape == (3,)
    f = lambdify([w, X], grad((w * w).sum() * dim("n"), w))
    np.testing.assert_allclose(f(np.ones(3), np.zeros((4, 3))), 8.0 * np.ones(3))


# -- property tests: random models over named data ------------------------------------

_UNARY = [sin, tanh, lambda t: softplus(t), lambda t: exp(-(t * t))]
_NP_UNARY = [np.sin, np.tanh, lambda t: np.logaddexp(0, t), lambda t: np.exp(-t * t)]


@st.composite
def _models(draw):
    """A scalar model of w (3,) over data X (n, 3), y (n,), and its numpy twin."""
    steps = draw(st.lists(st.integers(0, 5), min_size=1, max_size=5))
    e, f = X @ w, lambda wv, Xv, yv: Xv @ wv
    for s in steps:
        if s < 4:
            e, f = _UNARY[s](e), (lambda g, k: lambda *a: _NP_UNARY[k](g(*a)))(f, s)
        elif s == 4:
            e, f = e * y, (lambda g: lambda wv, Xv, yv: g(wv, Xv, yv) * yv)(f)
        else:
            e, f = e + y, (lambda g: lambda wv, Xv, yv: g(wv, Xv, yv) + yv)(f)
    if draw(st.booleans()):
        return mean(e), lambda *a: f(*a).mean()
    return var(e, ddof=0) + (w * w).sum(), lambda *a: f(*a).var() + a[0] @ a[0]


@settings(max_examples=15, deadline=None)
@given(_models(), st.integers(0, 2**32 - 1))
def test_random_models_grad_matches_fd_and_code_matches_evaluate(model, seed):
    e, ref = model
    g = grad(e, w)
    f = lambdify([w, X, y], [e, g])
    for n in (2, 9):
        rng = np.random.default_rng([seed, n])
        wv, Xv, yv = (
            rng.uniform(-1, 1, 3),
            rng.uniform(-1, 1, (n, 3)),
            rng.normal(size=n),
        )
        value, gv = f(wv, Xv, yv)
        want = evaluate([e, g], {w: wv, X: Xv, y: yv})
        np.testing.assert_allclose(value, want[0], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(gv, want[1], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(value, ref(wv, Xv, yv), rtol=1e-10, atol=1e-12)
        fd = numeric.gradient(lambda v, Xv=Xv, yv=yv: ref(v, Xv, yv), wv)
        np.testing.assert_allclose(gv, fd, rtol=1e-5, atol=1e-7)


def test_to_sympy_gives_named_dims_as_integer_symbols():
    sympy = pytest.importorskip("sympy", reason="SymPy forms of named shapes")
    n = sympy.Symbol("n", integer=True, nonnegative=True)
    assert to_sympy(X @ w).shape == (n, 1)
    assert to_sympy(dim("n")) == n
    total = to_sympy(mean(y)).subs(n, 3).doit()
    ys = sympy.MatrixSymbol("y", 3, 1)
    assert sympy.simplify(total - (ys[0, 0] + ys[1, 0] + ys[2, 0]) / 3) == 0


def test_gradient_and_hessian_match_torch_for_two_n():
    torch = pytest.importorskip("torch", reason="torch as an independent witness")
    g, H = grad(LOSS, w), hessian(LOSS, w)
    f = lambdify([w, X, y], [g, H])

    def torch_loss(wt, Xt, yt):
        return torch.nn.functional.softplus(-yt * (Xt @ wt)).mean()

    for n in (3, 40):
        wv, Xv, yv = _data(n, seed=5)
        Xt, yt = torch.tensor(Xv), torch.tensor(yv)
        wt = torch.tensor(wv, requires_grad=True)
        (gt,) = torch.autograd.grad(torch_loss(wt, Xt, yt), wt)
        Ht = torch.autograd.functional.hessian(
            lambda v, Xt=Xt, yt=yt: torch_loss(v, Xt, yt), wt
        )
        got_g, got_H = f(wv, Xv, yv)
        np.testing.assert_allclose(got_g, gt.numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(got_H, Ht.numpy(), rtol=1e-10, atol=1e-14)
