"""Packing: several shaped Symbols as one flat vector, and back."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import ShapeError, Symbol
from symdiff.optimize import Packing

shapes = st.lists(
    st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple),
    min_size=1,
    max_size=4,
)


@settings(max_examples=30, deadline=None)
@given(shapes, st.integers(0, 2**32 - 1))
def test_pack_unpack_round_trip(shape_list, seed):
    params = [Symbol(f"p{k}", shape=s) for k, s in enumerate(shape_list)]
    packing = Packing(params)
    assert packing.size == sum(int(np.prod(s)) for s in shape_list)
    x = np.random.default_rng(seed).normal(size=packing.size)
    values = packing.unpack(x)
    for p in params:
        assert np.shape(values[p]) == p.shape
        # C order, laid end to end in the order of params
        np.testing.assert_array_equal(np.ravel(values[p]), x[packing.slices[p]])
    np.testing.assert_array_equal(packing.pack(values), x)
    np.testing.assert_array_equal(packing.pack([values[p] for p in params]), x)
    by_name = {p.name: v for p, v in values.items()}
    np.testing.assert_array_equal(packing.pack(by_name), x)


def test_slices_are_contiguous_in_order():
    a, W, b = Symbol("a"), Symbol("W", shape=(2, 3)), Symbol("b", shape=(4,))
    p = Packing([a, W, b])
    assert [p.slices[s] for s in (a, W, b)] == [slice(0, 1), slice(1, 7), slice(7, 11)]
    assert isinstance(p.unpack(np.arange(11.0))[a], float)


def test_scalars_broadcast_to_a_symbols_shape():
    W = Symbol("W", shape=(2, 2))
    np.testing.assert_array_equal(Packing([W]).pack({W: 3.0}), np.full(4, 3.0))


def test_errors_name_the_parameter_and_both_shapes():
    W = Symbol("W", shape=(2, 3))
    p = Packing([Symbol("a"), W])
    with pytest.raises(ShapeError, match=r"W.*\(2, 3\).*\(3, 2\)"):
        p.pack({"a": 1.0, W: np.zeros((3, 2))})
    with pytest.raises(ShapeError, match=r"\(7,\).*\(5,\)"):
        p.unpack(np.zeros(5))
    with pytest.raises(ValueError, match="no value.*W"):
        p.pack({"a": 1.0})
    with pytest.raises(ValueError, match="unknown.*zz"):
        p.pack({"a": 1.0, W: np.zeros((2, 3)), "zz": 1})
    with pytest.raises(ValueError, match="2 parameters"):
        p.pack([1.0])


def test_bad_parameter_lists():
    x = Symbol("x")
    with pytest.raises(TypeError, match="Symbol"):
        Packing([x + 1])
    with pytest.raises(ValueError, match="repeat: x"):
        Packing([x, x])
    with pytest.raises(ValueError, match="at least one"):
        Packing([])
    with pytest.raises(TypeError, match="sequence"):
        Packing(3)
