"""Column colourings (numeric.sparsity) are valid, and recovery reads every entry."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from numeric.sparsity import (
    check_colouring,
    colour_columns,
    colour_hessian,
    recovery_indices,
    seed_matrix,
)


def _random_pattern(seed, m, n, density):
    rng = np.random.default_rng(seed)
    return rng.random((m, n)) < density


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 25),
    st.integers(1, 25),
    st.floats(0.0, 0.5),
    st.sampled_from(["largest_first", "natural"]),
)
def test_no_row_sees_a_colour_twice_and_jacobian_is_recovered(
    seed, m, n, density, order
):
    P = _random_pattern(seed, m, n, density)
    colours = colour_columns(sparse.csr_array(P), order=order)
    assert colours.shape == (n,)
    # the property itself, checked by brute force (independent of check_colouring)
    for row in P:
        cs = colours[row]
        assert len(set(cs.tolist())) == cs.size
    check_colouring(P, colours)
    # greedy bound: at most (max degree of the column intersection graph) + 1 colours
    G = (P.T.astype(int) @ P.astype(int)) > 0
    np.fill_diagonal(G, False)
    assert colours.max(initial=0) + 1 <= G.sum(axis=1).max(initial=0) + 1
    # compressed product J S recovers every nonzero of a random J with this pattern
    J = np.where(P, np.random.default_rng(seed + 1).standard_normal((m, n)), 0.0)
    B = J @ seed_matrix(colours, int(colours.max(initial=0)) + 1)
    rows, cols, brow, bcol = recovery_indices(P, colours)
    np.testing.assert_array_equal(B[brow, bcol], J[rows, cols])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 25), st.floats(0.0, 0.4))
def test_hessian_colouring_recovers_symmetric_matrices(seed, n, density):
    P = _random_pattern(seed, n, n, density)
    P = P | P.T | np.eye(n, dtype=bool)
    check_colouring(P, colour_hessian(P, method="distance2"))
    colours = colour_hessian(P)  # star: recovered from one side or the other
    A = np.random.default_rng(seed + 1).standard_normal((n, n))
    H = np.where(P, A + A.T, 0.0)
    B = H @ seed_matrix(colours)
    rows, cols, brow, bcol = recovery_indices(P, colours, symmetric=True)
    np.testing.assert_array_equal(B[brow, bcol], H[rows, cols])


def test_banded_patterns_need_their_width_in_colours():
    n = 200
    for half in (1, 2, 4):
        band = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) <= half
        assert colour_columns(band).max() + 1 == 2 * half + 1
        # a star colouring needs at least the clique size, at most the band width
        assert half + 1 <= colour_hessian(band).max() + 1 <= 2 * half + 1


def _bicoloured_path(P, colours):
    """A path a-b-c-d in the graph of P with colours x-y-x-y, or None (brute force)."""
    n = P.shape[0]
    adj = [set(np.flatnonzero(P[i]).tolist()) - {i} for i in range(n)]
    for b in range(n):
        for c in adj[b]:
            for a in adj[b] - {c}:
                for d in adj[c] - {a, b}:
                    if colours[a] == colours[c] and colours[b] == colours[d]:
                        return a, b, c, d
    return None


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 18), st.floats(0.0, 0.4))
def test_star_colouring_is_proper_and_has_no_two_coloured_path_on_four(seed, n, p):
    P = _random_pattern(seed, n, n, p)
    P = P | P.T | np.eye(n, dtype=bool)
    colours = colour_hessian(P, method="star")
    off = P & ~np.eye(n, dtype=bool)
    assert not (colours[:, None] == colours[None, :])[off].any()  # proper
    assert _bicoloured_path(P, colours) is None
    # greedy bound: every forbidden colour belongs to a vertex within distance 2
    within2 = (P.astype(int) @ P.astype(int)) > 0
    np.fill_diagonal(within2, False)
    assert colours.max(initial=0) + 1 <= within2.sum(axis=1).max(initial=0) + 1


@pytest.mark.parametrize("method", ["star", "distance2"])
def test_both_hessian_colourings_recover_a_grid_laplacian(method):
    m = 7
    T = np.eye(m) * 2 - np.eye(m, k=1) - np.eye(m, k=-1)
    H = np.kron(np.eye(m), T) + np.kron(T, np.eye(m))
    colours = colour_hessian(H != 0, method=method)
    B = H @ seed_matrix(colours)
    rows, cols, brow, bcol = recovery_indices(H != 0, colours, symmetric=True)
    np.testing.assert_array_equal(B[brow, bcol], H[rows, cols])


def test_bad_input():
    with pytest.raises(ValueError, match="2-D"):
        colour_columns(np.ones(3))
    with pytest.raises(ValueError, match="square"):
        colour_hessian(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        colour_hessian(np.triu(np.ones((3, 3))))
    with pytest.raises(ValueError, match="order"):
        colour_columns(np.eye(2), order="random")
    with pytest.raises(ValueError, match="method"):
        colour_hessian(np.eye(2), method="acyclic")
    with pytest.raises(ValueError, match="one per column"):
        check_colouring(np.eye(2), [0])
    with pytest.raises(ValueError, match="not a valid"):
        recovery_indices(np.ones((1, 2)), [0, 0])


def test_columns_sharing_many_rows_are_told_apart():
    # 256 shared rows: a counting product in a small integer type would wrap to 0
    for rows in (255, 256, 257, 512):
        P = np.ones((rows, 3), dtype=bool)
        colours = colour_columns(P)
        assert sorted(colours.tolist()) == [0, 1, 2]
        check_colouring(P, colours)


def test_star_colouring_with_an_explicit_diagonal_or_none():
    # the diagonal, present or absent, changes nothing (it is no edge of the graph)
    m = 6
    T = np.eye(m) * 2 - np.eye(m, k=1) - np.eye(m, k=-1)
    H = np.kron(np.eye(m), T) + np.kron(T, np.eye(m))
    with_diag = H != 0
    without = with_diag & ~np.eye(m * m, dtype=bool)
    np.testing.assert_array_equal(colour_hessian(with_diag), colour_hessian(without))
