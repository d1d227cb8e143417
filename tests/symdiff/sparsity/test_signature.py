"""Term signatures and compiled matchers (symdiff.sparse.signature, .matcher) and the
numpy run splitting of symdiff.sparse.progressions.

The signature of a term must be exact: rebuilding the term from its template and its
slots gives the very same (interned) node; two terms share a template id exactly when
their trees have one shape; the compiled matcher agrees with the general pass; and
the numpy run splitting and sorting agree with plain-Python references.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff as sd
from symdiff.core.expr import apply, const
from symdiff.sparse.matcher import matcher
from symdiff.sparse.progressions import _bounds, _sorted
from symdiff.sparse.reroll import reroll_outputs
from symdiff.sparse.signature import MAX_TEMPLATE, Foreign, Signatures

XS = list(sd.symbols(" ".join(f"x{i:02d}" for i in range(12))))
INDEX = {w: i for i, w in enumerate(XS)}
UNARY = [sd.sin, sd.exp, sd.tanh, lambda a: -a]
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (1 + b**2),
]


@st.composite
def terms(draw, depth=4):
    """A random scalar term over XS and float constants (bottom-up, no recursion)."""
    leaves = draw(st.lists(st.integers(-1, len(XS) - 1), min_size=1, max_size=5))
    pool = [
        XS[i] if i >= 0 else const(draw(st.sampled_from([0.5, 1.5, 2.5])))
        for i in leaves
    ]
    for _ in range(draw(st.integers(1, depth))):
        if len(pool) > 1 and draw(st.booleans()):
            b, a = pool.pop(), pool.pop()
            pool.append(draw(st.sampled_from(BINARY))(a, b))
        else:
            pool.append(draw(st.sampled_from(UNARY))(pool.pop()))
    out = pool[0]
    for e in pool[1:]:
        out = out * e
    return out


def _rebuild(flat, syms, consts):
    """The term of a flat template with its symbol and constant slots filled."""
    built = []
    for entry in flat:
        if entry[0] == "s":
            built.append(XS[syms[entry[1]]])
        elif entry[0] == "c":
            built.append(const(consts[entry[1]]))
        else:
            args = [built[i] for i in entry[2:]]
            built.append(apply(entry[0], *args, **dict(entry[1])))
    return built[-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(terms(), min_size=1, max_size=6))
def test_a_term_rebuilt_from_its_template_and_slots_is_the_same_node(ts):
    sig = Signatures(INDEX)
    for term, (tid, syms, consts) in zip(ts, sig.of(ts), strict=True):
        if term.op == "const":
            continue  # a bare constant: no symbol, never re-rolled
        assert tid is not None
        assert _rebuild(sig.template(tid), syms, consts) is term


@settings(max_examples=40, deadline=None)
@given(terms(), st.permutations(range(len(XS))), st.integers(0, 2**16))
def test_renamed_terms_share_the_template_and_the_matcher_agrees(term, perm, seed):
    # the same tree over other symbols and constants: one template id; found by the
    # compiled matcher of the first term (the fast path) as by the general pass
    sig = Signatures(INDEX)
    tid, syms, consts = sig.of([term])[0]
    rng = np.random.default_rng(seed)
    other_consts = tuple(float(v) for v in rng.choice([0.5, 1.5, 2.5], len(consts)))
    other_syms = tuple(perm[i] for i in syms)
    # (canonical operand order may make it another tree: then another template)
    other = _rebuild(sig.template(tid), other_syms, other_consts)
    fresh = Signatures(INDEX)
    general = fresh.of([other])[0]
    both = Signatures(INDEX)
    pair = both.of([term, other])
    assert _rebuild(both.template(pair[1][0]), *pair[1][1:]) is other
    same = fresh.template(general[0]) == sig.template(tid)
    assert (pair[0][0] == pair[1][0]) == same
    assert pair[1][1:] == general[1:]
    pattern = sig._pattern(tid)
    if pattern is not None and matcher(pattern) is not None:
        found, sigs, misses = matcher(pattern)([other], [0], INDEX.get, tid)
        assert (found == [0]) == same and (misses == [0]) != same
        if same:
            assert sigs[0] == (tid, *general[1:])


def test_matcher_misses_other_shapes_and_foreign_symbols():
    p = sd.Symbol("p")
    x, y = XS[0], XS[1]
    sig = Signatures(INDEX)
    tid = sig.of([sd.exp(x) - 2.0])[0][0]
    match = matcher(sig._pattern(tid))
    cases = [sd.exp(y) - 3.0, sd.sin(y) - 3.0, sd.exp(p) - 3.0, sd.exp(x) - y]
    found, sigs, misses = match(cases, [0, 1, 2, 3], INDEX.get, tid)
    assert found == [0] and misses == [1, 2, 3]
    assert sigs == [(tid, (1,), (3.0,))]
    with pytest.raises(Foreign):
        Signatures(INDEX).of([sd.exp(x) - 2.0, sd.exp(p) - 3.0])


def test_signatures_of_a_100000_deep_chain_without_recursion():
    x, y = XS[0], XS[1]
    e = x
    for i in range(100_000):
        e = sd.sin(e) if i % 2 else e * y
    sig = Signatures(INDEX)
    (tid, syms, consts), (small, s2, _) = sig.of([e, sd.sin(x * y)])
    assert tid is None  # far bigger than a template may be
    assert small is not None and s2 == (0, 1)
    # a chain just within the bound: a template, rebuilt exactly
    e = x
    for _ in range(MAX_TEMPLATE - 1):
        e = sd.sin(e)
    sig = Signatures(INDEX)
    tid, syms, consts = sig.of([e])[0]
    assert tid is not None and syms == (0,)
    assert _rebuild(sig.template(tid), syms, consts) is e


def test_many_distinct_templates_are_each_found():
    # more templates than compiled-matcher rounds: the rest by the general pass
    outs = []
    for k in range(60):
        e = XS[k % 12]
        for _ in range(k % 7 + 1):
            e = sd.sin(e) if k % 2 else sd.exp(e)
        outs.append(e * (k + 0.5))
    sig = Signatures(INDEX)
    got = sig.of(outs)
    for out, (tid, syms, consts) in zip(outs, got, strict=True):
        assert _rebuild(sig.template(tid), syms, consts) is out


def _bounds_reference(keys, min_run):
    out, k = [], 0
    while k < len(keys):
        j = k + 1
        if j < len(keys):
            step = [b - a for a, b in zip(keys[k], keys[j], strict=True)]
            while j < len(keys) and all(
                b - a == s for a, b, s in zip(keys[j - 1], keys[j], step, strict=True)
            ):
                j += 1
        if j - k >= min_run:
            out.append((k, j, True))
        else:
            out.extend((i, i + 1, False) for i in range(k, j))
        k = j
    return out


@st.composite
def index_rows(draw):
    width = draw(st.integers(0, 3))
    count = draw(st.integers(0, 25))
    rows, cur = [], [0] * width
    step = [draw(st.integers(-2, 2)) for _ in range(width)]
    for _ in range(count):
        if draw(st.integers(0, 4)) == 0:
            step = [draw(st.integers(-2, 2)) for _ in range(width)]
        if draw(st.integers(0, 9)) == 0:
            cur = [draw(st.integers(0, 5)) for _ in range(width)]
        cur = [c + s for c, s in zip(cur, step, strict=True)]
        rows.append(tuple(cur))
    return rows


@settings(max_examples=200, deadline=None)
@given(index_rows(), st.integers(1, 5))
def test_numpy_run_bounds_match_the_greedy_reference(rows, min_run):
    assert _bounds(rows, min_run) == _bounds_reference(rows, min_run)


@settings(max_examples=200, deadline=None)
@given(index_rows())
def test_numpy_sorts_match_python_sorts(rows):
    members = [(r, None, 1, k) for k, r in enumerate(rows)]
    assert _sorted(members) == sorted(members, key=lambda m: m[0])
    if rows and rows[0]:

        def key(m):
            return [i - m[0][0] for i in m[0]], m[0][0]

        assert _sorted(members, by_offsets=True) == sorted(members, key=key)


def test_residual_stretches_interleaved_with_other_outputs_keep_their_order():
    xs = XS
    outs = [sd.exp(xs[i]) - (0.5 * i + 0.25) for i in range(6)]
    outs += [sd.sin(xs[0] * xs[1])]  # a lone output between two runs
    outs += [3.0 * (xs[i + 1] - xs[i]) for i in range(11)]
    outs += [xs[3] ** 3]
    X, blocks = reroll_outputs(outs, xs)
    x = np.random.default_rng(0).uniform(-1, 1, len(xs))
    got = np.concatenate([np.ravel(sd.evaluate(b, {X: x})) for b in blocks])
    env = dict(zip(xs, x, strict=True))
    want = np.array([float(sd.evaluate(o, env)) for o in outs])
    np.testing.assert_allclose(got, want, rtol=1e-14)


def _common_step_reference(rows, window):
    counts = {}
    for k, a in enumerate(rows):
        for b in rows[k + 1 : k + 1 + window]:
            step = tuple(j - i for i, j in zip(a, b, strict=True))
            counts[step] = counts.get(step, 0) + 1
    return max(counts, key=counts.get) if counts else None


@settings(max_examples=200, deadline=None)
@given(index_rows())
def test_numpy_common_step_matches_the_dict_count(rows):
    from symdiff.sparse.progressions import _CHAIN_WINDOW, _common_step

    if not rows or not rows[0]:
        return
    rows = sorted(rows)
    idx = np.array(rows, dtype=np.int64).reshape(len(rows), -1)
    assert _common_step(idx) == _common_step_reference(rows, _CHAIN_WINDOW)
