"""The array functions added for PyTorch parity (issue 16): values, gradients and
second derivatives against torch (an optional test dependency), plus the edge cases
of PyTorch's own tests (test_autograd.py: test_prod_zeros / "prod with zeros",
test_clamp boundary, test_logsumexp large values)."""

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import numeric.autograd as ag
from numeric.autograd import autograd

torch = pytest.importorskip("torch", reason="torch is an optional test dependency")

# name: (ours, theirs) on one 2-d input, reduced to a scalar by a fixed weighting
CASES = {
    "logsumexp": (lambda x: ag.logsumexp(x, 1), lambda x: torch.logsumexp(x, 1)),
    "logsumexp_all": (lambda x: ag.logsumexp(x), lambda x: torch.logsumexp(x, (0, 1))),
    "softmax": (lambda x: ag.softmax(x, 0), lambda x: torch.softmax(x, 0)),
    "log_softmax": (lambda x: ag.log_softmax(x), lambda x: torch.log_softmax(x, -1)),
    "clip": (lambda x: ag.clip(x, -0.5, 0.7), lambda x: torch.clamp(x, -0.5, 0.7)),
    "var": (lambda x: ag.var(x, 0, ddof=1), lambda x: torch.var(x, 0)),
    "std": (lambda x: ag.std(x, 1), lambda x: torch.std(x, 1, correction=0)),
    "prod": (lambda x: ag.prod(x, 1), lambda x: torch.prod(x, 1)),
    "prod_all": (lambda x: ag.prod(x), lambda x: torch.prod(x)),
    "cumsum": (lambda x: ag.cumsum(x, 1), lambda x: torch.cumsum(x, 1)),
    "stack": (
        lambda x: ag.stack([x, x * x], axis=1),
        lambda x: torch.stack([x, x * x], 1),
    ),
    "concatenate": (
        lambda x: ag.concatenate([x, ag.sin(x)], axis=0),
        lambda x: torch.cat([x, torch.sin(x)], 0),
    ),
    "outer": (lambda x: ag.outer(x[0], x[1]), lambda x: torch.outer(x[0], x[1])),
    "trace": (lambda x: ag.trace(x[:, :2]), lambda x: torch.trace(x[:, :2])),
    "diag": (lambda x: ag.diag(x[0]), lambda x: torch.diag(x[0])),
    "inv": (
        lambda x: ag.inv(x[:, :2] + 3 * np.eye(2)),
        lambda x: torch.linalg.inv(x[:, :2] + 3 * torch.eye(2, dtype=x.dtype)),
    ),
    "det": (
        lambda x: ag.det(x[:, :2] + 3 * np.eye(2)),
        lambda x: torch.linalg.det(x[:, :2] + 3 * torch.eye(2, dtype=x.dtype)),
    ),
    "slogdet": (
        lambda x: ag.slogdet(x[:, :2] - 3 * np.eye(2))[1],
        lambda x: torch.linalg.slogdet(x[:, :2] - 3 * torch.eye(2, dtype=x.dtype))[1],
    ),
    "solve": (
        lambda x: ag.solve(x[:, :2] + 3 * np.eye(2), x[:, 2]),
        lambda x: torch.linalg.solve(
            x[:, :2] + 3 * torch.eye(2, dtype=x.dtype), x[:, 2]
        ),
    ),
}


def _weighted(f, w, lib):
    def g(x):
        y = f(x)
        return (
            y
            * (
                ag.tensor(w[: y.numel()].reshape(y.shape))
                if lib is ag
                else torch.tensor(w[: y.numel()].reshape(y.shape))
            )
        ).sum()

    return g


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_value_gradient_and_hessian_agree_with_torch(name, seed):
    rng = np.random.default_rng(seed)
    v = rng.uniform(-1.0, 1.0, size=(2, 3))
    w = rng.uniform(-1.0, 1.0, size=64)
    ours, theirs = CASES[name]
    np.testing.assert_allclose(
        ours(ag.tensor(v)).data, theirs(torch.tensor(v)).numpy(), rtol=1e-12, atol=1e-14
    )
    f, tf = _weighted(ours, w, ag), _weighted(theirs, w, torch)
    x = ag.tensor(v, requires_grad=True)
    f(x).backward()
    tx = torch.tensor(v, requires_grad=True)
    tf(tx).backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    if name == "clip":
        return  # piecewise linear: the Hessian is 0 on both sides
    h = autograd.functional.hessian(lambda t: f(ag.reshape(t, (2, 3))), v.ravel())
    th = torch.autograd.functional.hessian(
        lambda t: tf(t.reshape(2, 3)), torch.tensor(v.ravel())
    )
    np.testing.assert_allclose(h.data, th.numpy(), rtol=1e-8, atol=1e-10)


def test_prod_gradient_with_zeros():
    """PyTorch's prod-with-zeros cases: one zero gives the product of the others
    there and 0 elsewhere; two zeros give 0 everywhere; second derivatives too."""
    x = ag.tensor([2.0, 0.0, 3.0, 5.0], requires_grad=True)
    ag.prod(x).backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 30.0, 0.0, 0.0])
    y = ag.tensor([0.0, 2.0, 0.0], requires_grad=True)
    ag.prod(y).backward()
    np.testing.assert_array_equal(y.grad.data, [0.0, 0.0, 0.0])
    h = autograd.functional.hessian(ag.prod, ag.tensor([0.0, 2.0, 0.0]))
    np.testing.assert_array_equal(h.data[0, 2], 2.0)
    assert float(ag.prod(ag.tensor(np.zeros((0,))))) == 1.0


def test_clip_boundary_passes_the_gradient():
    """As torch.clamp: x equal to a bound gets gradient 1."""
    x = ag.tensor([0.0, 1.0, 1.5], requires_grad=True)
    ag.clip(x, 0.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="at least one"):
        ag.clip(x)


def test_logsumexp_softmax_stable_for_large_values():
    x = ag.tensor([1000.0, 1000.0, -np.inf], requires_grad=True)
    assert float(ag.logsumexp(x)) == pytest.approx(1000 + np.log(2))
    ag.logsumexp(x).backward()
    np.testing.assert_allclose(x.grad.data, [0.5, 0.5, 0.0])
    np.testing.assert_allclose(ag.softmax(ag.tensor([1e4, 0.0])).data, [1.0, 0.0])


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="square"):
        ag.inv(ag.ones(2, 3))
    with pytest.raises(ValueError, match="Singular"):
        ag.inv(ag.zeros(2, 2))
    with pytest.raises(ValueError, match="one shape"):
        ag.stack([ag.ones(2), ag.ones(3)])
    with pytest.raises(ValueError, match="too few"):
        ag.var(ag.ones(1), ddof=1)
    with pytest.raises(ValueError, match="shape"):
        ag.solve(ag.tensor(np.eye(2)), ag.ones(3))
