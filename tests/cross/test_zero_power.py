"""Issue 18.4: d/dy 0**y is the same in symdiff and numeric.autograd."""

import numpy as np
import pytest

import numeric.autograd as ag
from symdiff import Symbol, const, diff, evaluate

y = Symbol("y")


@pytest.mark.parametrize("at", [0.0, 1e-3, 0.5, 2.0, 40.0])
def test_derivative_of_zero_to_the_y_agrees_with_numeric_autograd(at):
    ours = float(evaluate(diff(const(0) ** y, y), {y: at}))
    with np.errstate(all="ignore"):
        theirs = float(ag.grad(lambda t: ag.tensor(0.0) ** t)(at))
    assert ours == theirs == 0.0
