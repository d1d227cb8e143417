"""Issue 11 on real losses: no false alarms, planted errors caught, honest errors.

The corpus (``loss_corpus.py``, 14 families at several scales) is sampled with fixed
seeds; ``benchmarks/finite_diff_accuracy.py`` runs it at full size.
"""

import numpy as np
import pytest
from loss_corpus import FAMILIES, cases

from numeric import check_grad, derivative, gradient

PLANTED = {np.float64: 1e-6, np.float32: 1e-2}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_correct_gradients_pass_and_planted_errors_are_caught(dtype):
    missed, resolvable = [], 0
    for case in cases(1, dtype, seed=11):
        res = check_grad(case.f, case.grad, case.x)
        assert res.ok, f"{case.family} at scale {case.scale}\n{res.report()}"
        i = int(np.argmax(np.abs(case.grad)))
        bad = case.grad.copy()
        bad[i] *= 1 + PLANTED[dtype]
        # Resolvable: the planted change exceeds the tolerance of the correct check.
        if abs(bad[i] - case.grad[i]) > res.tolerance[i]:
            resolvable += 1
            if check_grad(case.f, bad, case.x).ok:
                missed.append(case.family)
    assert resolvable >= 20
    assert missed == []


def test_gradient_error_bounds_the_truth():
    for case in cases(1, np.float64, seed=12):
        res = gradient(case.f, case.x, full_output=True)
        assert np.all(np.abs(res.value - case.grad) <= res.error), case.family


def test_derivative_along_a_direction_bounds_the_truth():
    rng = np.random.default_rng(13)
    for case in cases(1, np.float64, seed=14):
        u = rng.standard_normal(case.x.size)
        u /= np.linalg.norm(u)
        exact = float(case.grad @ u)
        res = derivative(lambda t, c=case, u=u: c.f(c.x + t * u), 0.0, full_output=True)
        assert abs(res.value - exact) <= res.error, case.family


def test_corpus_has_the_families_the_issue_names():
    assert len(FAMILIES) >= 12
    assert FAMILIES["softmax-ce"][1] == (1.0, 5.0, 20.0, 100.0)
    for dtype in (np.float64, np.float32):
        for case in cases(1, dtype, seed=0):
            assert case.x.dtype == dtype
            assert case.grad.shape == case.x.shape
