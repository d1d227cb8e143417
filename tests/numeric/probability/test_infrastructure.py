"""The declared-parameter machinery and the public sampling hook ``draw``."""

import inspect

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

FAMILIES = [
    (Bernoulli, "(p)", lambda: Bernoulli([0.2, 0.7])),
    (Binomial, "(n, p)", lambda: Binomial(7, 0.4)),
    (Poisson, "(rate)", lambda: Poisson(3.0)),
    (DiscreteUniform, "(low, high)", lambda: DiscreteUniform(-2, 4)),
    (Categorical, "(probs)", lambda: Categorical([0.1, 0.2, 0.7])),
    (Multinomial, "(n, probs)", lambda: Multinomial(4, [0.5, 0.5])),
    (Normal, "(mu=0.0, sigma=1.0)", lambda: Normal([0.0, 1.0], 2.0)),
    (Uniform, "(low=0.0, high=1.0)", lambda: Uniform(1.0, 3.0)),
    (Exponential, "(rate=1.0)", lambda: Exponential(2.0)),
]
IDS = [cls.__name__ for cls, _, _ in FAMILIES]


@pytest.mark.parametrize("cls, signature, build", FAMILIES, ids=IDS)
def test_signature_comes_from_the_declared_parameters(cls, signature, build):
    assert str(inspect.signature(cls)) == signature
    d = build()
    assert list(d.params) == [p.name for p in cls.parameters]
    for value in d.params.values():
        assert not value.flags.writeable


@pytest.mark.parametrize("cls, signature, build", FAMILIES, ids=IDS)
def test_draw_gives_the_draws_of_sample(cls, signature, build):
    d = build()
    x = d.draw((5, 3), np.random.default_rng(11))
    y = d.sample((5, 3), np.random.default_rng(11))
    assert x.shape == y.shape and y.shape[: 2 + len(d.batch_shape)] == (
        (5, 3) + d.batch_shape
    )
    np.testing.assert_array_equal(x.astype(y.dtype), y)


def test_bernoulli_draws_are_booleans():
    assert Bernoulli(0.5).draw(10, np.random.default_rng(0)).dtype == np.bool_


def test_draw_checks_its_arguments():
    with pytest.raises(TypeError, match="Normal.draw: rng must be"):
        Normal().draw(3, None)
    with pytest.raises(ValueError, match="size must be a non-negative integer"):
        Normal().draw(-1, np.random.default_rng(0))


def test_constructor_arguments_are_bound_like_a_signature():
    assert Normal(sigma=2.0).params["sigma"] == 2.0
    with pytest.raises(TypeError, match="Bernoulli: missing a required argument"):
        Bernoulli()
    with pytest.raises(TypeError, match="Normal: too many positional arguments"):
        Normal(0.0, 1.0, 2.0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'scale'"):
        Exponential(scale=2.0)


def test_relations_between_parameters_name_the_first_bad_entry():
    with pytest.raises(ValueError, match=r"low=3\.0, high=1\.0 at index \(1,\)"):
        Uniform([0.0, 3.0], [1.0, 1.0])
