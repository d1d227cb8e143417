"""Named dimensions in the core: the Dim entry, shape checks, broadcasting, reshape
rules, specialising to sizes, and their errors."""

import pickle

import numpy as np
import pytest

from symdiff import (
    ShapeError,
    Symbol,
    concatenate,
    dim,
    evaluate,
    mean,
    reshape,
    sin,
)
from symdiff.core.dims import Dim, as_dim, concrete, has_named, is_dim_name, segments
from symdiff.core.shapes import broadcast_shapes, check_shape
from symdiff.core.specialize import bind_dims, specialize


def test_a_name_is_a_dim_that_compares_and_hashes_as_its_str():
    X = Symbol("X", shape=("n", 5))
    assert X.shape == ("n", 5) and isinstance(X.shape[0], Dim)
    assert X is Symbol("X", shape=(Dim("n"), 5))  # one shape, one node
    assert {X.shape: 1}[("n", 5)] == 1
    assert str(X.shape) == "(n, 5)"
    assert X is not Symbol("X", shape=("m", 5))


def test_arithmetic_on_a_named_dim_is_refused_not_string_arithmetic():
    d = Dim("n")
    for attempt in (lambda: d * 5, lambda: 5 * d, lambda: d + d, lambda: 1 + d):
        with pytest.raises(ShapeError, match="'n'"):
            attempt()


def test_anonymous_dims_are_fresh_and_cannot_be_user_names():
    a = Symbol("a", shape=(None, 2)).shape[0]
    b = Symbol("b", shape=(None, 2)).shape[0]
    assert a != b and str(a).startswith("_d") and not is_dim_name(str(a))
    with pytest.raises(ShapeError):
        Symbol("c", shape=(str(a), 2))  # a user cannot spell it


@pytest.mark.parametrize(
    "bad", ["for", "np", "_n", "2n", "len", "n-1", "", 2.0, -1, True]
)
def test_bad_dims_are_refused_with_the_shape_named(bad):
    with pytest.raises(ShapeError, match="shape"):
        Symbol("q", shape=(bad, 3))


def test_check_shape_keeps_all_int_shapes_as_they_are():
    shape = (2, 3)
    assert check_shape(shape) is shape
    assert check_shape("n") == ("n",) and check_shape(4) == (4,)


@pytest.mark.parametrize(
    ("shapes", "out"),
    [
        ((("n", 3), (3,)), ("n", 3)),
        ((("n", 1), (1, 4)), ("n", 4)),
        ((("n", 3), (1, 3)), ("n", 3)),
        ((("n", 1), ("n", "m")), ("n", "m")),
        (((), ("n",)), ("n",)),
    ],
)
def test_a_name_broadcasts_with_one_and_itself(shapes, out):
    shapes = [check_shape(s) for s in shapes]
    assert broadcast_shapes("add", *shapes) == out


@pytest.mark.parametrize(
    ("a", "b", "pair"),
    [(("n", 3), (5, 3), "n against 5"), (("n",), ("m",), "n against m")],
)
def test_a_name_against_another_size_is_an_error_naming_both(a, b, pair):
    A, B = Symbol("A", shape=a), Symbol("B", shape=b)
    with pytest.raises(ShapeError) as info:
        A + B
    msg = str(info.value)
    assert pair in msg and str(A.shape) in msg and str(B.shape) in msg


def test_reshape_keeps_names_in_place_and_splits_only_int_blocks():
    X = Symbol("X", shape=(2, "n", 6))
    assert reshape(X, (2, "n", 2, 3)).shape == (2, "n", 2, 3)
    assert reshape(X, (1, 2, "n", 6, 1)).shape == (1, 2, "n", 6, 1)
    assert reshape(X, (2, "n", -1)).shape == (2, "n", 6)
    for bad in [(2, 6, "n"), ("n", 12), (2, "n", 5), (2, "m", 6), (-1,)]:
        with pytest.raises(ShapeError, match=r"reshape: cannot reshape shape"):
            reshape(X, bad)
    assert segments((2, "n", 6)) == (["n"], [2, 6])


def test_indexing_and_concatenating_a_named_axis_are_clear_errors():
    X = Symbol("X", shape=("n", 3))
    assert X[:, 1].shape == ("n",) and X[:].shape == ("n", 3)
    with pytest.raises(ShapeError, match="named dimension 'n'"):
        X[0]
    with pytest.raises(ShapeError, match="named dimension 'n'"):
        X[1:]
    with pytest.raises(ShapeError, match="named dimension n"):
        concatenate([X, X])
    assert concatenate([X, X], axis=1).shape == ("n", 6)


def test_named_shapes_pickle_and_stay_interned():
    X = Symbol("X", shape=("n", 2))
    e = mean(X, axis=0)
    assert pickle.loads(pickle.dumps(e)) is e
    assert pickle.loads(pickle.dumps(X.shape)) == ("n", 2)


def test_bind_dims_names_the_dimension_and_both_symbols():
    sizes = {}
    bind_dims(Symbol("X", shape=("n", 2)), (7, 500, 2), sizes)  # a batch of 7
    assert sizes == {"n": (500, "X", 0)}
    with pytest.raises(ShapeError) as info:
        bind_dims(Symbol("y", shape=("n",)), (499,), sizes)
    assert str(info.value).endswith(
        "dimension 'n': X has 500 (axis 0) but y has 499 (axis 0)"
    )
    with pytest.raises(ShapeError, match="has shape"):
        bind_dims(Symbol("Z", shape=("n", 3)), (5, 2), {})


def test_specialize_replaces_names_by_sizes_everywhere():
    X = Symbol("X", shape=("n", 2))
    (e,), symbols = specialize([X.sum(axis=0) / dim("n")], {"n": 4})
    assert symbols[X].shape == (4, 2) and not has_named(e.shape)
    assert all(not has_named(s.shape) for s in e.free_symbols)
    assert "dim" not in str(e) and "/4" in str(e)
    assert concrete(("n", "m", 1), {"n": 2, "m": 3}) == (2, 3, 1)
    assert as_dim(3) == 3


def test_an_unbound_dim_is_a_clear_error():
    x = Symbol("x", shape=(2,))
    with pytest.raises(ShapeError, match="'m'"):
        evaluate(x.sum() / dim("m"), x=np.ones(2))


def test_specialize_is_iterative_on_a_deep_chain():
    X = Symbol("X", shape=("n",))
    e = X
    for _ in range(100_000):
        e = sin(e)
    value = np.array([0.5, 1.0, 2.0])
    t = value
    for _ in range(100_000):
        t = np.sin(t)
    assert np.allclose(evaluate(e.sum() / dim("n"), X=value), t.mean(), rtol=1e-12)
