"""Issue 18.5: distributions and simulation results pickle (for process pools)."""

import dataclasses
import pickle

import numpy as np
import pytest

from numeric.distributions import (
    Bernoulli,
    Binomial,
    Categorical,
    DiscreteUniform,
    Exponential,
    Multinomial,
    Normal,
    Poisson,
    Uniform,
)
from numeric.simulate import (
    central_limit,
    coin_experiment,
    dice_experiment,
    law_of_large_numbers,
)

DISTRIBUTIONS = [
    Normal(0.5, 2.0),
    Uniform(-1.0, 3.0),
    Exponential(2.0),
    Bernoulli(0.3),
    Binomial(5, 0.3),
    Poisson(2.5),
    DiscreteUniform(1, 6),
    Categorical([0.2, 0.5, 0.3]),
    Multinomial(3, [0.2, 0.8]),
]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda d: type(d).__name__)
def test_distributions_pickle_and_behave_the_same(dist):
    back = pickle.loads(pickle.dumps(dist))
    assert type(back) is type(dist) and repr(back) == repr(dist)
    np.testing.assert_array_equal(back.mean(), dist.mean())
    a = dist.sample(20, np.random.default_rng(7))
    b = back.sample(20, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def _fields_equal(a, b):
    assert type(a) is type(b)
    for field in dataclasses.fields(a) if dataclasses.is_dataclass(a) else ():
        u, v = getattr(a, field.name), getattr(b, field.name)
        if isinstance(u, np.ndarray):
            np.testing.assert_array_equal(u, v)
        elif not callable(u) and not hasattr(u, "sample"):
            assert u == v or (u != u and v != v), field.name


def test_simulation_results_pickle():
    rng = np.random.default_rng(0)
    results = [
        dice_experiment(20, 5, rng=rng),
        coin_experiment(100, rng=rng),
        law_of_large_numbers(Normal(0.0, 1.0), 100, rng),
        central_limit(Bernoulli(0.3), 20, 50, rng),
    ]
    for r in results:
        back = pickle.loads(pickle.dumps(r))
        _fields_equal(r, back)
        assert repr(back) == repr(r)
