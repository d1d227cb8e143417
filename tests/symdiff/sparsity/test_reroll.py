"""Re-rolling (symdiff.sparse.reroll): scalar-symbol problems through the shaped path.

Every re-rolled derivative is checked against the dense ``hessian``/``jacobian``
(an independent route: one expression per entry, no pattern, no colouring) and
against the scalar path (``reroll=False``), on random problems that re-roll and on
problems that must fall back.
"""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff as sd
from symdiff.sparse import (
    export_module,
    lambdify,
    sparse_hessian,
    sparse_jacobian,
)
from symdiff.sparse.reroll import (
    MIN_TERMS,
    _walk_tree,
    reroll_outputs,
    reroll_sum,
    split_sum,
)

# term templates: (arity, function of the slot expressions and a constant)
TEMPLATES = {
    "rosen": (2, lambda v, c: 100 * (v[1] - v[0] ** 2) ** 2 + (c - v[0]) ** 2),
    "sin_lin": (2, lambda v, c: sd.sin(2 * v[0] - v[1] * c)),
    "exp_times": (2, lambda v, c: sd.exp(v[0] * 0.3) * v[1]),
    "ratio": (2, lambda v, c: v[0] / (1 + v[1] ** 2)),
    "triple": (3, lambda v, c: v[0] * v[1] * v[2] + c),
    "cube": (1, lambda v, c: c * v[0] ** 3),
    "tanh_sq": (3, lambda v, c: sd.tanh(v[0] - v[2]) ** 2 * v[1]),
}


def _symbols(n):
    # zero-padded names: the canonical order of commutative operands (by name)
    # then follows the index, so one template keeps one signature along a run
    return list(sd.symbols(" ".join(f"x{i:04d}" for i in range(n))))


@st.composite
def progressions(draw, n, arity):
    """Slot index progressions ``(starts, strides, count)`` that stay in ``[0, n)``."""
    count = draw(st.integers(MIN_TERMS, 24))
    starts, strides = [], []
    for _ in range(arity):
        stride = draw(st.sampled_from([1, 1, 2, -1, 0]))
        lo = max(0, -stride * (count - 1))
        hi = n - 1 - max(0, stride * (count - 1))
        starts.append(draw(st.integers(lo, hi)))
        strides.append(stride)
    return starts, strides, count


@st.composite
def rerollable(draw):
    """``(xs, terms, clean)``: one to three templates, each at an index progression
    (``clean``: no term has one symbol in two slots, so every run is whole)."""
    n = draw(st.integers(50, 70))
    xs = _symbols(n)
    kinds = draw(
        st.lists(
            st.sampled_from(sorted(TEMPLATES)), min_size=1, max_size=3, unique=True
        )
    )
    terms, clean = [], True
    for kind in kinds:
        arity, fn = TEMPLATES[kind]
        starts, strides, count = draw(progressions(n, arity))
        if all(s == 0 for s in strides):
            strides[0] = 1
            starts[0] = min(starts[0], n - count)
        varying = draw(st.booleans())  # the constant: one value, or one per term
        for k in range(count):
            c = 1.0 + 0.1 * k if varying else 1.5
            slots = [xs[a + s * k] for a, s in zip(starts, strides, strict=True)]
            # one symbol in two slots is another template: the run breaks there
            clean = clean and len(set(slots)) == len(slots)
            terms.append(fn(slots, c))
    order = draw(st.permutations(range(len(terms))))
    return xs, [terms[i] for i in order], clean


def _dense_hessian(f, xs, x):
    H = sd.lambdify(xs, sd.hessian(f, xs))(*x)
    return np.array(H, dtype=float)


def _dense_jacobian(outs, xs, x):
    J = sd.lambdify(xs, sd.jacobian(list(outs), xs))(*x)
    return np.array(J, dtype=float).reshape(len(outs), len(xs))


def _check_hessian(f, xs, x, expect_packed):
    H = sparse_hessian(f, xs)
    if expect_packed is not None:
        assert (H.packed is not None) == expect_packed
    fn = lambdify(xs, H)
    got = fn(*x).toarray()
    ref = _dense_hessian(f, xs, x)
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-9)
    scalar = lambdify(xs, sparse_hessian(f, xs, reroll=False))(*x).toarray()
    np.testing.assert_allclose(got, scalar, rtol=1e-10, atol=1e-9)
    return H, fn


@settings(max_examples=25, deadline=None)
@given(rerollable(), st.integers(0, 2**16))
def test_random_rerollable_sums_match_the_dense_hessian(problem, seed):
    xs, terms, clean = problem
    f = terms[0]
    for t in terms[1:]:
        f = f + t
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, len(xs))
    H, _ = _check_hessian(f, xs, x, expect_packed=True if clean else None)
    # the values, one expression per nonzero in the user's symbols
    env = dict(zip(xs, x, strict=True))
    ref = _dense_hessian(f, xs, x)
    pick = np.random.default_rng(seed).choice(H.nnz, size=min(5, H.nnz), replace=False)
    for k in pick.tolist():
        got = float(sd.evaluate(H.values[k], env))
        assert got == pytest.approx(ref[H.rows[k], H.cols[k]], rel=1e-10, abs=1e-9)


@settings(max_examples=20, deadline=None)
@given(rerollable(), st.integers(0, 2**16))
def test_random_rerollable_residuals_match_the_dense_jacobian(problem, seed):
    xs, terms, _ = problem
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, len(xs))
    J = sparse_jacobian(terms, xs)
    got = lambdify(xs, J)(*x).toarray()
    np.testing.assert_allclose(
        got, _dense_jacobian(terms, xs, x), rtol=1e-10, atol=1e-9
    )
    scalar = lambdify(xs, sparse_jacobian(terms, xs, reroll=False))(*x).toarray()
    np.testing.assert_allclose(got, scalar, rtol=1e-10, atol=1e-9)


def _residuals_in_runs(xs, n):
    return [sd.exp(xs[i]) - (0.5 + 0.1 * i) for i in range(n)] + [
        3.0 * (xs[i + 1] - xs[i]) for i in range(n - 1)
    ]


def test_residual_runs_reroll_in_order():
    n = 40
    xs = _symbols(n)
    outs = _residuals_in_runs(xs, n)
    X, blocks = reroll_outputs(outs, xs)
    assert [b.shape for b in blocks] == [(n,), (n - 1,)]
    x = np.random.default_rng(3).uniform(-1, 1, n)
    J = sparse_jacobian(outs, xs)
    assert J.packed is X
    got = lambdify(xs, J)(*x).toarray()
    ref = _dense_jacobian(outs, xs, x)
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    env = dict(zip(xs, x, strict=True))
    for k in (0, n - 1, n, J.nnz - 1):  # values: expressions in the user's symbols
        value = float(sd.evaluate(J.values[k], env))
        assert value == pytest.approx(ref[J.rows[k], J.cols[k]], rel=1e-12)


def _irregular(xs, rng, count):
    n = len(xs)
    terms = []
    for _ in range(count):
        i, j = rng.integers(0, n, 2)
        terms.append((xs[int(i)] - xs[int(j)] ** 2) ** 2)
    return terms


@pytest.mark.parametrize("seed", [0, 1])
def test_irregular_indices_fall_back(seed):
    xs = _symbols(30)
    terms = _irregular(xs, np.random.default_rng(seed), 40)
    f = sum(terms[1:], terms[0])
    assert reroll_sum(f, xs) is None
    x = np.random.default_rng(seed).uniform(-1, 1, 30)
    _check_hessian(f, xs, x, expect_packed=False)
    J = sparse_jacobian(terms, xs)
    assert J.packed is None


def test_mixed_templates_fall_back_and_few_terms_too():
    xs = _symbols(30)
    kinds = sorted(TEMPLATES)
    terms = []
    for k in range(24):  # a different template every term: no run anywhere
        arity, fn = TEMPLATES[kinds[k % len(kinds)]]
        terms.append(fn([xs[(k * 7 + s * 3) % 30] for s in range(arity)], 1.0 + k))
    f = sum(terms[1:], terms[0])
    x = np.random.default_rng(5).uniform(-1, 1, 30)
    _check_hessian(f, xs, x, expect_packed=False)
    few = sum((xs[i + 1] - xs[i] ** 2) ** 2 for i in range(MIN_TERMS - 2))
    assert sparse_hessian(few, xs).packed is None


def test_symbols_outside_wrt_fall_back():
    xs = _symbols(30)
    p = sd.Symbol("p")
    f = sum((xs[i + 1] - p * xs[i] ** 2) ** 2 for i in range(29))
    assert reroll_sum(f, xs) is None
    assert sparse_hessian(f, xs).packed is None


def test_non_elementwise_terms_stay_scalar_and_mostly_regular_rerolls():
    xs = _symbols(40)
    f = sum((xs[i + 1] - xs[i] ** 2) ** 2 for i in range(39))
    f = f + sd.sin(xs[3] * xs[17]) + xs[5] ** 4  # two left-over terms
    x = np.random.default_rng(2).uniform(-1, 1, 40)
    _check_hessian(f, xs, x, expect_packed=True)


def test_split_sum_counts_shared_sub_sums_once_per_use():
    a, b = sd.symbols("a b")
    s = sd.sin(a) + 2 * sd.cos(b)
    f = 3 * s - (s + sd.exp(a)) * 1 + s
    got = {str(t): c for t, c in split_sum(f).items()}
    assert got == {"sin(a)": 3, "cos(b)": 6, "exp(a)": -1}


def test_lambdified_packed_function_pickles_takes_keywords_and_checks_input():
    n = 30
    xs = _symbols(n)
    f = sum(
        100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)
    )
    H = sparse_hessian(f, xs)
    assert H.packed is not None and H.wrt == tuple(xs)
    fn = lambdify(xs, H, format="triple")
    x = np.random.default_rng(4).uniform(-1, 1, n)
    again = pickle.loads(pickle.dumps(fn))
    kw = {w.name: v for w, v in zip(xs, x, strict=True)}
    np.testing.assert_array_equal(again(**kw)[2], fn(*x)[2])
    with pytest.raises(TypeError, match="expected 30 arguments, got 2"):
        fn(1.0, 2.0)
    with pytest.raises(ValueError, match="unbatched"):
        fn(*([np.ones(2)] * n))
    # other arguments than wrt: the derivative in the user's symbols, compiled as is
    rev = lambdify(xs[::-1], H)(*x[::-1]).toarray()
    np.testing.assert_allclose(rev, lambdify(xs, H)(*x).toarray(), rtol=1e-12)


def test_export_module_of_a_packed_hessian():
    n = 20
    xs = _symbols(n)
    f = sum((xs[i + 1] - xs[i] ** 2) ** 2 for i in range(n - 1))
    H = sparse_hessian(f, xs)
    assert H.packed is not None
    namespace = {}
    exec(export_module({"hess": H}, xs, format="triple"), namespace)
    x = np.random.default_rng(6).uniform(-1, 1, n)
    rows, cols, vals = namespace["hess"](*x)
    M = np.zeros((n, n))
    M[rows, cols] = vals
    np.testing.assert_allclose(M, _dense_hessian(f, xs, x), rtol=1e-12)


def test_bad_input_errors_are_unchanged():
    xs = _symbols(20)
    f = sum((xs[i + 1] - xs[i] ** 2) ** 2 for i in range(19))
    with pytest.raises(ValueError, match="scalar expression"):
        sparse_hessian(sd.Symbol("v", shape=(3,)), xs)
    with pytest.raises(TypeError):
        sparse_hessian(f, [1.0, 2.0])
    with pytest.raises(TypeError):
        sparse_jacobian(3.0, xs)


def test_a_100000_term_chain_rerolls_without_recursion():
    n = 100_001
    xs = _symbols(n)
    f = 0
    for i in range(n - 1):  # a left-deep chain of 100,000 additions
        f = f + (xs[i + 1] - xs[i]) ** 2
    H = sparse_hessian(f, xs)
    assert H.packed is not None
    x = np.random.default_rng(7).uniform(-1, 1, n)
    rows, cols, vals = lambdify(xs, H, format="triple", triangle=True)(*x)
    # the Hessian of sum (x[i+1] - x[i])^2 by hand: 2 on the ends, 4 inside, -2 off
    diag = np.full(n, 4.0)
    diag[[0, -1]] = 2.0
    on = rows == cols
    np.testing.assert_array_equal(vals[on][np.argsort(rows[on])], diag)
    np.testing.assert_array_equal(vals[~on], -2.0)
    assert np.all(rows[~on] == cols[~on] + 1)


@st.composite
def stencil(draw):
    """A grid problem: a 2-slot template at ``(r, l) -> (a + S r + l, a + S r + l +
    o)`` (a 2-D stencil, one run per row) plus squares along two grid edges (two
    interleaved progressions)."""
    rows, count = draw(st.integers(4, 7)), draw(st.integers(4, 7))
    outer = count + draw(st.integers(0, 3))
    offset = draw(st.sampled_from([1, outer, outer + 1]))
    start = draw(st.integers(0, 3))
    n = start + outer * rows + offset + 1
    xs = _symbols(n)
    kind = draw(st.sampled_from(["rosen", "sin_lin", "ratio", "exp_times"]))
    fn = TEMPLATES[kind][1]
    terms = []
    for r in range(rows):
        for j in range(count):
            i = start + outer * r + j
            terms.append(fn([xs[i], xs[i + offset]], 1.5))
        # the first and last entry of each row: two progressions, interleaved
        first = start + outer * r
        terms += [sd.cos(xs[first]), sd.cos(xs[first + count - 1])]
    return xs, terms


@settings(max_examples=15, deadline=None)
@given(stencil(), st.integers(0, 2**16))
def test_grids_and_interleaved_progressions_reroll(problem, seed):
    xs, terms = problem
    f = sum(terms[1:], terms[0])
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, len(xs))
    _check_hessian(f, xs, x, expect_packed=True)


def test_split_sum_of_a_deep_shared_chain():
    # a 100,000-deep chain used twice: the DAG walk (no recursion, each use counted)
    a, b = sd.symbols("a b")
    s = sd.sin(a)
    for k in range(100_000):
        s = s + (sd.cos(b) if k % 2 else sd.exp(a))
    got = {str(t): c for t, c in split_sum(3 * s - s).items()}
    assert got == {"sin(a)": 2, "exp(a)": 100_000, "cos(b)": 100_000}


def test_split_sum_of_a_doubling_dag_counts_every_path_without_walking_them():
    # s = (s + a) + (s - a), 300 times: 2**300 paths to sin(a), a few nodes per
    # level.  The path walk stops at its budget and the DAG walk counts the uses; a
    # sub-sum shared twice (within budget) is walked once per use
    a, b = sd.symbols("a b")
    s = sd.sin(a) + 3 * sd.cos(b)
    for _ in range(300):
        s = (s + a) + (s - a)
    assert _walk_tree(s) is None
    got = {str(t): c for t, c in split_sum(s).items()}
    assert got == {"sin(a)": 2**300, "cos(b)": 3 * 2**300}
    # a right-deep chain walks its spine before its first term: still a tree walk
    xs = sd.symbols(" ".join(f"x{i}" for i in range(5000)))
    chain = sd.sin(xs[-1])
    for x in reversed(xs[:-1]):
        chain = sd.sin(x) + chain
    walked = _walk_tree(chain)
    assert walked is not None and len(walked) == 5000
    shared = sd.exp(a) - sd.cos(b)
    got = {str(t): c for t, c in split_sum(shared * 2 + shared + sd.sin(a)).items()}
    assert got == {"exp(a)": 3, "cos(b)": -3, "sin(a)": 1}


def test_a_full_grid_of_second_neighbours_is_one_block():
    # the right neighbours of an m x m grid (n = m * m exactly): the grid of the
    # second slot ends at X's last entry, read from rows starting one entry earlier
    m = 6
    xs = _symbols(m * m)
    f = sum(
        (xs[i * m + j] - xs[i * m + j + 1]) ** 2 for i in range(m) for j in range(m - 1)
    ) + sum(
        (xs[i * m + j] - xs[(i + 1) * m + j]) ** 2
        for i in range(m - 1)
        for j in range(m)
    )
    X, g = reroll_sum(f, xs)
    assert str(g).count("sum(") == 2  # one block per direction, no row apart
    x = np.random.default_rng(5).uniform(-1.0, 1.0, m * m)
    _check_hessian(f, xs, x, expect_packed=True)


def _linear_combination(draw, atoms, depth):
    """A random tree of add/sub/neg/scalar multiples over ``atoms`` (with shared
    sub-sums reused, and constants)."""
    pool = list(atoms) + [sd.const(2.0)]
    for _ in range(depth):
        a, b = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        kind = draw(st.sampled_from(["add", "sub", "neg", "scale", "scale0"]))
        if kind == "add":
            pool.append(a + b)
        elif kind == "sub":
            pool.append(a - b)
        elif kind == "neg":
            pool.append(-a)
        else:
            pool.append((0 if kind == "scale0" else draw(st.integers(-3, 3))) * a)
    return pool[-1]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_split_sum_agrees_with_the_dag_walk(data):
    from symdiff.sparse.reroll import _walk_dag

    a, b, c = sd.symbols("a b c")
    atoms = [sd.sin(a), sd.exp(b), a * b, c, sd.cos(a + c)]
    f = _linear_combination(data.draw, atoms, data.draw(st.integers(1, 12)))
    ref = {t: k for t, k in _walk_dag(f).items() if k != 0 and t.op != "const"}
    assert split_sum(f) == ref
