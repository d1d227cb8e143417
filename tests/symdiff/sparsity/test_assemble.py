"""Assembled derivatives of re-rolled problems (symdiff.sparse.assemble).

Each assembled Hessian or Jacobian is checked against the dense ``hessian`` /
``jacobian`` (one expression per entry: no re-rolling, no pattern, no colouring) and
against the coloured path of the same re-rolled expression; the cases that must not
be assembled (slots moving with different strides, a slot fixed along a run, two
slots meeting at one entry) are checked to fall back and stay right.
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff as sd
from symdiff.sparse import assemble as asm
from symdiff.sparse import (
    hessian_sparsity,
    jacobian_sparsity,
    lambdify,
    sparse_hessian,
    sparse_jacobian,
)
from symdiff.sparse.assemble import MAX_LEFTOVER_SYMBOLS

# two-slot term templates, as functions of the slots and a constant
TEMPLATES = {
    "rosen": lambda a, b, c: 100 * (b - a**2) ** 2 + (c - a) ** 2,
    "sin_lin": lambda a, b, c: sd.sin(2 * a - b * c),
    "exp_times": lambda a, b, c: sd.exp(a * 0.3) * b,
    "ratio": lambda a, b, c: a / (c + b**2),
    "log_sq": lambda a, b, c: sd.log(1 + (a - b) ** 2) * c,
    "sq": lambda a, b, c: c * a**2,
}


def _symbols(n):
    # zero-padded names: the canonical operand order follows the index
    return list(sd.symbols(" ".join(f"x{i:04d}" for i in range(n))))


def _dense_hessian(f, xs, x):
    return np.array(sd.lambdify(xs, sd.hessian(f, xs))(*x), dtype=float)


def _dense_jacobian(outs, xs, x):
    J = sd.lambdify(xs, sd.jacobian(list(outs), xs))(*x)
    return np.array(J, dtype=float).reshape(len(outs), len(xs))


def _coloured_hessian(f, xs, x):
    """The same re-rolled problem by coloured sweeps (symdiff.sparse.reroll then the
    shaped path), the route assembly replaces."""
    from symdiff.sparse.reroll import reroll_sum

    X, g = reroll_sum(f, xs)
    return lambdify([X], sparse_hessian(g, X))(np.asarray(x)).toarray()


def _total(terms):
    return sum(terms[1:], terms[0])


@st.composite
def regular_sum(draw):
    """``(xs, terms)``: one to three two-slot templates, each along a progression
    whose slots move together (one stride, a fixed offset), a constant that is one
    value or one per term, and a few terms in no run."""
    n = draw(st.integers(50, 70))
    xs = _symbols(n)
    terms = []
    kinds = draw(
        st.lists(
            st.sampled_from(sorted(TEMPLATES)), min_size=1, max_size=3, unique=True
        )
    )
    for kind in kinds:
        count = draw(st.integers(16, 20))
        stride = draw(st.sampled_from([1, 2]))
        offset = draw(st.sampled_from([-3, -2, -1, 1, 2, 3]))
        lo = max(0, -offset)
        hi = n - 1 - stride * (count - 1) - max(0, offset)
        start = draw(st.integers(lo, hi))
        varying = draw(st.booleans())
        for k in range(count):
            i = start + stride * k
            c = 1.0 + 0.25 * k if varying else 1.5
            terms.append(TEMPLATES[kind](xs[i], xs[i + offset], c))
    for _ in range(draw(st.integers(0, 2))):  # left-over terms
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        terms.append(sd.cos(xs[i]) * xs[j])
    order = draw(st.permutations(range(len(terms))))
    return xs, [terms[k] for k in order]


@settings(max_examples=25, deadline=None)
@given(regular_sum(), st.integers(0, 2**16))
def test_assembled_hessian_matches_dense_and_coloured(problem, seed):
    xs, terms = problem
    f = _total(terms)
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, len(xs))
    H = sparse_hessian(f, xs)
    assert H.colours is None  # assembled: no colouring
    got = lambdify(xs, H)(*x).toarray()
    np.testing.assert_allclose(got, _dense_hessian(f, xs, x), rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(got, _coloured_hessian(f, xs, x), rtol=1e-10, atol=1e-9)
    # the pattern: what hessian_sparsity reports, and never missing a nonzero
    stored = np.zeros(H.shape, dtype=bool)
    stored[H.rows, H.cols] = stored[H.cols, H.rows] = True
    assert (hessian_sparsity(f, xs).toarray() == stored).all()
    assert not (np.abs(got) > 0)[~stored].any()
    assert (H.rows >= H.cols).all()


@st.composite
def regular_residuals(draw):
    """``(xs, outputs)``: runs of one- to three-slot residual templates (slots with
    one stride or a fixed slot), in order, with a few single residuals between."""
    n = draw(st.integers(30, 50))
    xs = _symbols(n)
    outs = []
    for _ in range(draw(st.integers(1, 3))):
        count = draw(st.integers(16, 20))
        kind = draw(st.sampled_from(["exp_data", "diff", "prod_fixed", "same_twice"]))
        start = draw(st.integers(0, n - count - 1))
        data = draw(st.booleans())
        for k in range(count):
            i = start + k
            y = 0.5 + 0.1 * k if data else 0.5
            if kind == "exp_data":
                outs.append(sd.exp(xs[i]) - y)
            elif kind == "diff":
                outs.append(y * (xs[i + 1] - xs[i]))
            elif kind == "prod_fixed":  # a slot fixed along the run
                outs.append(xs[i] * xs[n - 1] + y)
            else:  # one symbol in two slots of one template
                outs.append(xs[i] * sd.sin(xs[i]) - y)
        if draw(st.booleans()):
            outs.append(sd.cos(xs[draw(st.integers(0, n - 1))]))
    return xs, outs


@settings(max_examples=25, deadline=None)
@given(regular_residuals(), st.integers(0, 2**16))
def test_assembled_jacobian_matches_dense(problem, seed):
    xs, outs = problem
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, len(xs))
    J = sparse_jacobian(outs, xs)
    got = lambdify(xs, J)(*x).toarray()
    np.testing.assert_allclose(got, _dense_jacobian(outs, xs, x), rtol=1e-10, atol=1e-9)
    if J.packed is not None:  # re-rolled: assembled, and the pattern agrees
        assert J.colours is None
        stored = np.zeros(J.shape, dtype=bool)
        stored[J.rows, J.cols] = True
        assert (jacobian_sparsity(outs, xs).toarray() == stored).all()


def test_a_stencil_hessian_is_a_few_diagonals_of_folded_constants():
    # the 1-D Laplacian sum (x[i+1] - x[i])**2: constant diagonals, no expression
    xs = _symbols(30)
    f = _total([(xs[i + 1] - xs[i]) ** 2 for i in range(29)])
    H = sparse_hessian(f, xs)
    assert len(H.compressed) == 2 and all(c.op == "const" for c in H.compressed)
    got = lambdify(xs, H)(*np.zeros(30)).toarray()
    expect = 4 * np.eye(30) - 2 * np.eye(30, k=1) - 2 * np.eye(30, k=-1)
    expect[0, 0] = expect[-1, -1] = 2
    np.testing.assert_array_equal(got, expect)


@pytest.mark.parametrize(
    "make",
    [
        # slots moving with different strides: the entries are on no diagonal
        lambda xs: [xs[i] * xs[2 * i] ** 2 for i in range(20)],
        # a slot fixed along the run: every term meets one column
        lambda xs: [sd.sin(xs[i] * xs[0]) for i in range(1, 30)],
    ],
)
def test_irregular_blocks_fall_back_to_colouring(make):
    xs = _symbols(41)
    f = _total(make(xs))
    H = sparse_hessian(f, xs)
    assert H.colours is not None  # the coloured path
    x = np.random.default_rng(3).uniform(-1.0, 1.0, 41)
    got = lambdify(xs, H)(*x).toarray()
    np.testing.assert_allclose(got, _dense_hessian(f, xs, x), rtol=1e-10, atol=1e-9)


def test_residual_slots_meeting_at_one_entry_fall_back():
    # x[i] and x[2 i] meet at i = 0: two partials for one entry of row 0
    xs = _symbols(40)
    outs = [xs[i] - xs[2 * i] ** 2 for i in range(20)]
    J = sparse_jacobian(outs, xs)
    assert J.colours is not None
    x = np.random.default_rng(4).uniform(-1.0, 1.0, 40)
    got = lambdify(xs, J)(*x).toarray()
    np.testing.assert_allclose(got, _dense_jacobian(outs, xs, x), rtol=1e-12)


def test_a_big_left_over_term_falls_back():
    xs = _symbols(40)
    big = sd.exp(_total(xs[: MAX_LEFTOVER_SYMBOLS + 1]))  # one term, many symbols
    f = _total([(xs[i + 1] - xs[i]) ** 2 for i in range(39)]) + big
    H = sparse_hessian(f, xs)
    assert H.colours is not None
    x = np.random.default_rng(5).uniform(-0.3, 0.3, 40)
    got = lambdify(xs, H)(*x).toarray()
    np.testing.assert_allclose(got, _dense_hessian(f, xs, x), rtol=1e-10, atol=1e-9)


def test_exact_coefficients_and_values_in_the_users_symbols():
    xs = _symbols(24)
    f = _total([Fraction(1, 3) * xs[i] ** 2 * xs[i + 1] for i in range(23)])
    H = sparse_hessian(f, xs)
    assert H.colours is None
    x = np.linspace(-1.0, 1.0, 24)
    env = dict(zip(xs, x, strict=True))
    ref = _dense_hessian(f, xs, x)
    for k in range(H.nnz):
        got = float(sd.evaluate(H.values[k], env))
        assert got == pytest.approx(ref[H.rows[k], H.cols[k]], rel=1e-12, abs=1e-12)


def test_a_linear_sum_has_an_empty_assembled_hessian():
    xs = _symbols(20)
    f = _total([3 * xs[i] - xs[i + 1] for i in range(19)])
    H = sparse_hessian(f, xs)
    assert H.nnz == 0
    assert lambdify(xs, H)(*np.ones(20)).nnz == 0


def test_a_symbolic_stencil_on_a_full_grid():
    # sin and cos of the differences along both axes of an m x m grid: 2-D blocks
    # whose values are expressions, zero-padded into the diagonals 1 and m
    m = 6
    xs = _symbols(m * m)
    terms = []
    for i in range(m):
        for j in range(m):
            if j + 1 < m:
                terms.append(sd.sin(xs[i * m + j] - xs[i * m + j + 1]))
            if i + 1 < m:
                terms.append(sd.cos(xs[i * m + j] - xs[(i + 1) * m + j]))
    f = _total(terms)
    H = sparse_hessian(f, xs)
    assert H.colours is None
    x = np.random.default_rng(6).uniform(-1.0, 1.0, m * m)
    got = lambdify(xs, H)(*x).toarray()
    np.testing.assert_allclose(got, _dense_hessian(f, xs, x), rtol=1e-10, atol=1e-9)


def test_left_over_terms_constant_and_symbolic_and_their_limits(monkeypatch):
    xs = _symbols(200)
    run = [(xs[i + 1] - xs[i] ** 2) ** 2 for i in range(199)]
    x = np.random.default_rng(8).uniform(-1.0, 1.0, 200)
    # a few left-over terms: a constant cross entry and a symbolic one
    f = _total(run + [3.0 * xs[5] * xs[150], sd.cos(xs[7]) * xs[90]])
    H = sparse_hessian(f, xs)
    assert H.colours is None
    got = lambdify(xs, H)(*x).toarray()
    np.testing.assert_allclose(got, _dense_hessian(f, xs, x), rtol=1e-10, atol=1e-9)
    # too many symbolic left-over entries (at triangular numbers: in no run), or
    # more diagonals than allowed: coloured instead
    many = [sd.cos(xs[k * (k + 1) // 2]) * xs[199 - k] for k in range(12)]
    for extra, diagonals in ((many, asm.MAX_DIAGONALS), ([], 1)):
        monkeypatch.setattr(asm, "MAX_DIAGONALS", diagonals)
        f = _total(run + extra)
        H = sparse_hessian(f, xs)
        assert H.colours is not None
        got = lambdify(xs, H)(*x).toarray()
        np.testing.assert_allclose(got, _dense_hessian(f, xs, x), rtol=1e-10, atol=1e-9)


def test_residuals_with_zero_partials():
    xs = _symbols(30)
    # sign's derivative is 0: a run with no nonzero, and a single output too
    outs = [sd.sign(xs[i]) for i in range(20)]
    J = sparse_jacobian(outs, xs)
    assert J.colours is None and J.nnz == 0
    outs = [sd.exp(xs[i]) for i in range(20)] + [sd.sign(xs[25]) + xs[26]]
    J = sparse_jacobian(outs, xs)
    assert J.colours is None and J.nnz == 21
    x = np.random.default_rng(9).uniform(-1.0, 1.0, 30)
    got = lambdify(xs, J)(*x).toarray()
    np.testing.assert_allclose(got, _dense_jacobian(outs, xs, x), rtol=1e-12)


def test_one_symbol_in_two_slots_counts_both_orders_on_the_diagonal():
    # x_i * sin(x_i): slots 0 and 1 read one progression, so d2/ds0 ds1 lands on
    # the diagonal twice ((0, 1) and (1, 0))
    xs = _symbols(30)
    f = _total([xs[i] * sd.sin(xs[i]) + xs[i] * xs[i + 1] for i in range(29)])
    H = sparse_hessian(f, xs)
    assert H.colours is None
    x = np.random.default_rng(10).uniform(-1.0, 1.0, 30)
    got = lambdify(xs, H)(*x).toarray()
    np.testing.assert_allclose(got, _dense_hessian(f, xs, x), rtol=1e-10, atol=1e-9)
