"""Re-rolling: a scalar-symbol problem rewritten over one vector Symbol.

With ``n`` scalar Symbols ``x0, ..., x{n-1}`` (as CasADi's ``SX`` sees a problem) a
sum like ``sum(100*(x[i+1] - x[i]**2)**2 for i ...)`` is ``n`` copies of one term
*template* at index progressions.  Building its sparse Hessian node by node costs
Python time per node; the same function written over one vector Symbol ``X`` with
slices (``X[1:] - X[:-1]**2``) builds in a few vector operations.  This module
recognises the templates and re-rolls them (loop re-rolling, the inverse of
unrolling; SLP vectorisers do the same on straight-line code):

1. the top-level sum is split into terms with coefficients (``add``, ``sub``,
   ``neg``, products with a scalar constant; shared sub-sums are counted once per
   use, in one reverse topological pass);
2. each term gets a signature (:mod:`symdiff.sparse.signature`): its tree with
   every symbol replaced by a *slot* (numbered in leaf order) and every scalar
   constant by a constant slot, plus the symbol indices and constant values per
   slot;
3. terms with one signature whose slot indices move in arithmetic progressions
   (``start + k * stride``) become ``sum(T(X[a0::s0], X[a1::s1], ...))``; a constant
   slot becomes a scalar when it is the same in every term, a vector otherwise.
   Terms that fit no long progression stay as they are, with ``x_i -> X[i]``.

For a residual list (a Jacobian) the order of the outputs is kept: consecutive
residuals with one signature and progressing indices become one vector block.

Re-rolling is exact (the same function, rewritten), and it is used only where it
pays: all of ``wrt`` scalar Symbols, no other symbol, and most terms in long runs.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np

from symdiff.core.expr import Symbol, apply, const, subs
from symdiff.core.traverse import topo_order, without_gc
from symdiff.sparse.progressions import MIN_RUN, _bounds, _group_runs, _segments
from symdiff.sparse.signature import Foreign as _Foreign
from symdiff.sparse.signature import Signatures

__all__ = [
    "MIN_RUN",
    "MIN_TERMS",
    "PackedArguments",
    "pack_vector",
    "reroll_outputs",
    "reroll_sum",
    "split_sum",
]

# fewer terms than this: the scalar path is fast enough, re-rolling is not tried
MIN_TERMS = 16
# more blocks and left-over terms than this: evaluation would cost more numpy calls
# than the scalar path's grouped program (symdiff.sparse.vectorize)
MAX_PIECES = 64
# a term template bigger than this many nodes is not re-rolled (bounds the work)
MAX_TEMPLATE = 256
_LINEAR = ("add", "sub", "neg", "mul")
_first, _second, _third = (operator.itemgetter(k) for k in range(3))


def _scalar_const(e):
    return e.op == "const" and not e.shape


def _linear_children(node):
    """``[(child, factor)]`` when ``node`` is linear in its operands, else None."""
    op, args = node.op, node.args
    if op == "add":
        return [(args[0], 1), (args[1], 1)]
    if op == "sub":
        return [(args[0], 1), (args[1], -1)]
    if op == "neg":
        return [(args[0], -1)]
    if op == "mul" and not node.shape:
        a, b = args
        if _scalar_const(a) and not _scalar_const(b):
            return [(b, a.value)]
        if _scalar_const(b) and not _scalar_const(a):
            return [(a, b.value)]
    return None


def split_sum(f):
    """The terms of the scalar ``f`` as ``{term: coefficient}`` (constants dropped).

    Examples
    --------
    >>> from symdiff import symbols, sin
    >>> x, y = symbols("x y")
    >>> sorted((str(t), c) for t, c in split_sum(3 * (sin(x) - y) + sin(x)).items())
    [('sin(x)', 4), ('y', -3)]
    """
    terms = _walk_tree(f)
    if terms is None:  # a shared sub-sum: count each use once, in topological order
        terms = {t: c for t, c in _walk_dag(f).items() if t.op != "const"}
    if 0 in terms.values():  # (cancelled terms: rare)
        terms = {t: c for t, c in terms.items() if c != 0}
    return terms


def _walk_tree(f):
    """The terms (constants left out) by walking each path down the linear nodes
    (None: more linear nodes walked than a few per term found or operand pending,
    as where a shared sub-sum makes the paths exponentially many).  The cases of
    :func:`_linear_children`, written out: this loop visits every node of the sum.
    The second operand is followed at once and the first one pushed (a left-deep
    chain ``((t1 + t2) + t3) + ...`` costs one push per node); the terms come out in
    the order of a depth-first walk that takes the second operand first.

    A path walk counts a sub-sum once per use, as :func:`_walk_dag` does, so only
    its cost needs a bound, and a budget of visits per term found (a counter) is
    that bound without a set of the nodes seen (one hash-table entry per linear node:
    at n = 10**5 terms a table bigger than the caches, which set the pace)."""
    terms, stack = {}, [(f, 1)]
    pop, push, get = stack.pop, stack.append, terms.get
    budget = _WALK_SLACK  # linear nodes left to walk: more per term found
    while stack:
        node, c = pop()
        while True:
            op = node.op
            if op == "add" or op == "sub":
                budget -= 1
                # (the operands pushed count too: a right-deep chain walks its whole
                # spine before its first term)
                if budget < -_WALK_PER_TERM * (len(terms) + len(stack)):
                    return None
                a, node = node.args
                push((a, c))
                if op == "sub":
                    c = -c
                continue
            if op == "neg":
                budget -= 1
                node = node.args[0]
                c = -c
                continue
            if op == "mul" and not node.shape:
                a, b = node.args
                a_const = a.op == "const" and not a.shape
                b_const = b.op == "const" and not b.shape
                if a_const != b_const:  # a scalar constant times a term
                    budget -= 1
                    if a_const:
                        c, node = c * a.value, b
                    else:
                        c, node = c * b.value, a
                    continue
            elif op == "const":
                break
            terms[node] = get(node, 0) + c
            break
    return terms


# the tree walk's budget: this many linear nodes, plus this many per term found
# and per operand pending
_WALK_SLACK, _WALK_PER_TERM = 256, 16


def _walk_dag(f):
    post, post_set, children, stack = [], set(), {}, [f]
    while stack:  # post order of the linear nodes under f (iterative DFS)
        node = stack.pop()
        if node in children:  # expanded already: finished now, or a duplicate entry
            if node not in post_set:
                post_set.add(node)
                post.append(node)
            continue
        kids = children[node] = _linear_children(node)
        stack.append(node)
        if kids:
            stack.extend(child for child, _ in kids if child not in children)
    coef = {f: 1}
    terms = {}
    for node in reversed(post):  # parents before children
        c = coef.pop(node, 0)
        kids = children[node]
        if kids is None:
            terms[node] = terms.get(node, 0) + c
            continue
        for child, k in kids:
            coef[child] = coef.get(child, 0) + c * k
    return terms


def _vector_of(X, start, stride, count):
    if stride == 0:
        return apply("take", X, index=start, axis=-1)
    stop = start + stride * count
    return apply(
        "slice", X, axis=-1, start=start, stop=None if stop < 0 else stop, step=stride
    )


def _grid_offset(start, stride, count, outer, rows, n):
    """Where the grid ``start + outer * r + stride * l`` starts within rows of
    ``outer`` entries read from ``X[start - off :]``: the least ``off`` that keeps
    those rows inside ``X`` (a grid whose last row would end past ``X``, such as the
    second neighbours of a stencil, reads its rows one entry earlier).  None: the
    indices are no such view."""
    if stride <= 0 or outer <= stride * (count - 1):
        return None
    off = max(0, start + outer * rows - n)
    if off > start or off + stride * (count - 1) >= outer:
        return None
    return off


def _grid_fits(start, stride, count, outer, rows, n):
    """Whether the indices ``start + outer * r + stride * l`` are a strided view of
    ``X`` reshaped to rows of ``outer`` entries (see :func:`_grid_of`)."""
    if outer == 0 or stride == 0:
        return outer >= 0 and stride >= 0
    return _grid_offset(start, stride, count, outer, rows, n) is not None


def _grid_of(X, start, stride, count, outer, rows):
    """The ``(rows, count)`` grid ``X[start + outer * r + stride * l]`` (or a row or
    column that broadcasts to it, where one of the strides is 0)."""
    if outer == 0:
        return _vector_of(X, start, stride, count)
    if stride == 0:
        column = _vector_of(X, start, outer, rows)
        return apply("reshape", column, shape=(rows, 1))
    # within X: checked by _stack_runs
    off = _grid_offset(start, stride, count, outer, rows, X.shape[0])
    base = start - off
    block = apply("slice", X, axis=-1, start=base, stop=base + outer * rows, step=1)
    grid = apply("reshape", block, shape=(rows, outer))
    stop = off + stride * (count - 1) + 1
    return apply("slice", grid, axis=-1, start=off, stop=stop, step=stride)


def _const_of(values, shape=None):
    if values.count(values[0]) == len(values):  # (one C-level pass)
        return const(values[0])
    arr = np.asarray(values, dtype=float)
    return const(arr if shape is None else arr.reshape(shape))


def _steps(a, b):
    return [j - i for i, j in zip(a, b, strict=True)]


def _instantiate(template, rows, X, total=True):
    """The template over one block of runs (``rows``, equally long, their starts in
    progression): a vector for one run, a ``(len(rows), len(run))`` grid otherwise;
    summed with the terms' coefficients (``total``), or the vector of the terms."""
    run = rows[0]
    first, count = run[0][0], len(run)
    stride = _steps(run[0][0], run[1][0]) if count > 1 else [0] * len(first)
    outer = _steps(rows[0][0][0], rows[1][0][0]) if len(rows) > 1 else None
    shape = (count,) if outer is None else (len(rows), count)
    members = list(itertools.chain.from_iterable(rows))
    built = []
    for entry in template:
        kind = entry[0]
        if kind == "s":
            s = entry[1]
            if outer is None:
                built.append(_vector_of(X, first[s], stride[s], count))
            else:
                built.append(
                    _grid_of(X, first[s], stride[s], count, outer[s], len(rows))
                )
        elif kind == "c":
            at = operator.itemgetter(entry[1])
            built.append(_const_of(list(map(at, map(_second, members))), shape))
        else:
            args = [built[i] for i in entry[2:]]
            built.append(apply(kind, *args, **dict(entry[1])))
    out = built[-1]
    if out.shape != shape:  # a slot constant along an axis: broadcast it
        out = apply("broadcast_to", out, shape=shape)
    if not total:
        return out
    coef = _const_of(list(map(_third, members)), shape)
    axes = tuple(range(-len(shape), 0))
    if coef.shape:  # coefficients that vary along the block: inside the sum
        return apply("sum", out * coef, axis=axes)
    return apply("sum", out, axis=axes) * coef


def _stack_runs(runs, n):
    """Runs of one template grouped into blocks: equally long runs with one stride
    whose starts progress (a grid, e.g. one run per row of a 2-D stencil)."""
    by_kind = {}
    for run in runs:
        stride = tuple(_steps(run[0][0], run[1][0]))
        by_kind.setdefault((len(run), stride), []).append(run)
    blocks = []
    for (count, stride), same in by_kind.items():
        same.sort(key=lambda r: r[0][0])
        heads = [(r[0][0], None, None, r) for r in same]
        for is_block, part in _segments(heads, 2):
            rows = [h[3] for h in part]
            if is_block:
                outer = _steps(rows[0][0][0], rows[1][0][0])
                first = rows[0][0][0]
                while len(rows) > 1:  # the last row may end past X: keep it apart
                    if all(
                        _grid_fits(a, d, count, o, len(rows), n)
                        for a, d, o in zip(first, stride, outer, strict=True)
                    ):
                        blocks.append(rows)
                        rows = []
                        break
                    blocks.append([rows.pop()])
            blocks.extend([r] for r in rows)
    return blocks


def _balanced(op, pieces):
    while len(pieces) > 1:
        pieces = [
            apply(op, *pieces[i : i + 2]) if i + 1 < len(pieces) else pieces[i]
            for i in range(0, len(pieces), 2)
        ]
    return pieces[0]


def _prepare(xs):
    """``(X, index)`` for the scalar Symbols ``xs`` (None: not all scalar symbols)."""
    if len(xs) < 2 or any(w.op != "symbol" or w.shape for w in xs):
        return None
    index = dict(zip(xs, range(len(xs)), strict=True))
    if len(index) != len(xs):
        return None
    return vector_for(index)


def vector_for(index):
    """``(X, index)``: the vector Symbol ``X`` standing for the distinct scalar
    Symbols of ``index`` (symbol -> its entry of ``X``, ``0 .. n-1``), what the
    re-rolling passes take (:func:`reroll_sum` builds it from a list of symbols).

    Examples
    --------
    >>> from symdiff import symbols
    >>> a, b, X = symbols("a b X")
    >>> print(vector_for({a: 0, b: 1, X: 2})[0])  # a name none of them has
    _X
    """
    name = "X"  # a name no symbol of xs has (they are scalar, and nodes interned)
    while Symbol(name) in index:
        name = "_" + name
    return Symbol(name, shape=(len(index),)), index


def _worth_it(n_terms, covered, pieces):
    """Most terms (``covered`` of ``n_terms``) in runs, and few ``pieces`` (blocks
    plus left-over terms): each piece is a few vector operations in every derivative
    and every evaluation."""
    return (
        n_terms >= MIN_TERMS
        and covered >= 0.75 * n_terms
        and pieces <= min(n_terms / 4, MAX_PIECES)
    )


def reroll_sum(f, xs):
    """The scalar ``f`` re-rolled over a vector Symbol ``X`` standing for ``xs``.

    Returns ``(X, g)`` with ``g`` equal to ``f`` up to a constant (``X[i]`` is
    ``xs[i]``), or None where re-rolling does not apply or pay.

    Examples
    --------
    >>> from symdiff import symbols
    >>> xs = symbols(" ".join(f"x{i}" for i in range(40)))
    >>> f = sum((xs[i + 1] - xs[i] ** 2) ** 2 for i in range(39))
    >>> X, g = reroll_sum(f, xs)
    >>> print(g)
    sum((X[1:] - X[:39]**2)**2)
    """
    prep = _prepare(xs)
    return None if prep is None else reroll_sum_over(f, prep)


@without_gc
def reroll_sum_over(f, prep):
    """:func:`reroll_sum` over ``prep = (X, index)`` from :func:`vector_for` (the
    symbols' checks done by the caller).

    Examples
    --------
    >>> from symdiff import symbols
    >>> xs = symbols(" ".join(f"x{i}" for i in range(20)))
    >>> prep = vector_for(dict(zip(xs, range(20), strict=True)))
    >>> X, g = reroll_sum_over(sum(x**2 for x in xs), prep)
    >>> print(g)
    sum(X[0:20]**2)
    """
    rolled = rolled_sum(f, prep)
    return None if rolled is None else (rolled.X, rolled.instantiate())


class RolledSum:
    """A sum re-rolled but not yet written out: what :func:`rolled_sum` finds.

    Attributes
    ----------
    X : Symbol
        The vector standing for the scalar symbols.
    index : dict
        Symbol -> its entry of ``X``.
    signatures : Signatures
        Where the blocks' templates are (``signatures.template(tid)``).
    blocks : list
        ``(template id, rows)``: equally long runs of members ``(indices, constants,
        coefficient, term)`` whose starts progress (one run: a vector block).
    rest : list
        ``(coefficient, term)`` of the terms in no run.
    """

    def __init__(self, X, index, signatures, blocks, rest):
        self.X, self.index, self.signatures = X, index, signatures
        self.blocks, self.rest = blocks, rest

    def instantiate(self):
        """The re-rolled function ``g`` of ``X``: each block a vector expression
        summed, each left-over term with ``x_i -> X[i]``."""
        X, index = self.X, self.index
        pieces = [
            _instantiate(self.signatures.template(tid), rows, X)
            for tid, rows in self.blocks
        ]
        leftovers = [_to_x(term, index, X) * c for c, term in self.rest]
        return _balanced("add", pieces + leftovers)


@without_gc
def rolled_sum(f, prep):
    """The :class:`RolledSum` of the scalar ``f`` over ``prep = (X, index)``, or
    None where re-rolling does not apply or pay (see :func:`reroll_sum`)."""
    X, index = prep
    n = len(index)
    terms = split_sum(f)
    if len(terms) < MIN_TERMS:
        return None
    groups, rest = {}, []
    signatures = Signatures(index)
    try:
        for (term, c), sig in zip(terms.items(), signatures.of(terms), strict=True):
            if sig[0] is None or not sig[1]:
                rest.append((None, None, c, term))
            else:
                groups.setdefault(sig[0], []).append((sig[1], sig[2], c, term))
        runs, left = _group_runs(groups)
        rest += left
        blocks = []
        for template, its_runs in runs.items():
            blocks += [(template, rows) for rows in _stack_runs(its_runs, n)]
        covered = sum(len(r) for _, rows in blocks for r in rows)
        if not _worth_it(len(terms), covered, len(blocks) + len(rest)):
            return None
        for _, _, _, term in rest:  # (a symbol outside wrt: not re-rolled)
            for node in topo_order(term):
                if node.op == "symbol" and node not in index:
                    raise _Foreign(node.name)
    except _Foreign:
        return None
    return RolledSum(X, index, signatures, blocks, [(m[2], m[3]) for m in rest])


def _stretches(outputs, sigs):
    """Consecutive outputs split into runs (one template, progressing indices) and
    single outputs, in order: ``[(template or None, run or output)]``."""
    out, k = [], 0
    # stretches of one template id, found by groupby (no Python step per output)
    for tid, group in itertools.groupby(sigs, key=_first):
        part = list(group)
        j = k + len(part)
        if tid is None or not part[0][1]:  # (a template's members: equally many)
            out += [(None, o) for o in outputs[k:j]]
            k = j
            continue
        syms = list(map(_second, part))
        for a, b, is_run in _bounds(syms, MIN_RUN):
            if is_run:  # members (indices, constants, coefficient, output)
                consts = list(map(_third, part[a:b]))
                ones = [1] * (b - a)
                run = zip(syms[a:b], consts, ones, outputs[k + a : k + b], strict=True)
                out.append((tid, list(run)))
            else:
                out.append((None, outputs[k + a]))
        k = j
    return out


def reroll_outputs(outputs, xs):
    """The scalar ``outputs`` re-rolled, in order, as blocks over a vector ``X``.

    Returns ``(X, blocks)``: consecutive outputs with one template at progressing
    indices make one vector block, the others stay scalar (``x_i -> X[i]``); the
    blocks flattened and concatenated are ``outputs``.  None where it does not pay.

    Examples
    --------
    >>> from symdiff import symbols
    >>> xs = symbols(" ".join(f"x{i}" for i in range(40)))
    >>> X, blocks = reroll_outputs([xs[i + 1] - xs[i] for i in range(39)], xs)
    >>> [str(b) for b in blocks]
    ['X[1:] - X[:39]']
    """
    prep = _prepare(xs)
    return None if prep is None else reroll_outputs_over(outputs, prep)


@without_gc
def reroll_outputs_over(outputs, prep):
    """:func:`reroll_outputs` over ``prep = (X, index)`` from :func:`vector_for`
    (the symbols' checks done by the caller).

    Examples
    --------
    >>> from symdiff import symbols
    >>> xs = symbols(" ".join(f"x{i}" for i in range(20)))
    >>> prep = vector_for(dict(zip(xs, range(20), strict=True)))
    >>> [str(b) for b in reroll_outputs_over([2 * x for x in xs], prep)[1]]
    ['2*X[0:20]']
    """
    rolled = rolled_outputs(outputs, prep)
    return None if rolled is None else write_outputs(rolled)


def write_outputs(rolled):
    """``(X, blocks)`` of :func:`reroll_outputs` from :func:`rolled_outputs`'s
    result (None: an output has a symbol outside ``wrt``)."""
    X, index, signatures, parts = rolled
    try:
        blocks = [
            _instantiate(signatures.template(t), [p], X, total=False)
            if t is not None
            else _to_x(p, index, X)
            for t, p in parts
        ]
    except _Foreign:
        return None
    return X, blocks


@without_gc
def rolled_outputs(outputs, prep):
    """The outputs re-rolled but not written out: ``(X, index, signatures, parts)``
    with ``parts`` in order, ``(template id, run)`` for a run of members
    ``(indices, constants, 1, output)`` and ``(None, output)`` for an output in no
    run; None where re-rolling does not apply or pay (see :func:`reroll_outputs`)."""
    if len(outputs) < MIN_TERMS:
        return None
    X, index = prep
    signatures = Signatures(index)
    try:
        sigs = signatures.of(outputs)
        parts = _stretches(outputs, sigs)
        runs = [p for t, p in parts if t is not None]
        rest = [p for t, p in parts if t is None]
        covered = sum(map(len, runs))
        if not _worth_it(len(outputs), covered, len(runs) + len(rest)):
            return None
    except _Foreign:
        return None
    return X, index, signatures, parts


def _to_x(e, index, X):
    """``e`` with its symbols replaced by entries of the vector Symbol ``X``."""
    mapping = {}
    for node in topo_order(e):
        if node.op == "symbol":
            i = index.get(node)
            if i is None:
                raise _Foreign(node.name)
            mapping[node] = apply("take", X, index=i, axis=-1)
    return subs(e, mapping)


def pack_vector(xs):
    """The vector ``[xs[0], ..., xs[n-1]]`` of scalar expressions (a balanced tree of
    ``concatenate``), what a re-rolled derivative substitutes for its vector Symbol.

    Examples
    --------
    >>> from symdiff import symbols, evaluate
    >>> a, b, c = symbols("a b c")
    >>> evaluate(pack_vector([a, b, c]), {a: 1.0, b: 2.0, c: 3.0}).tolist()
    [1.0, 2.0, 3.0]
    """
    parts = [apply("reshape", w, shape=(1,)) for w in xs]
    return _balanced("concatenate", parts)


class PackedArguments:
    """Call ``inner`` (a function of one vector) with ``n`` scalar arguments packed
    into that vector: how a re-rolled derivative takes the user's ``n`` scalars
    (by position, or by the symbols' names as keywords).  It pickles when ``inner``
    does.

    Examples
    --------
    >>> import numpy as np
    >>> f = PackedArguments(np.cumsum, ("a", "b", "c"))
    >>> f(1.0, 2.0, 3.0).tolist(), f(1.0, c=3.0, b=2.0).tolist()
    ([1.0, 3.0, 6.0], [1.0, 3.0, 6.0])
    """

    def __init__(self, inner, names, dtype="float64"):
        # names: strings, or the Symbols themselves (their names read on first use)
        self.inner, self._names, self.dtype = inner, tuple(names), dtype
        self.n = len(self._names)
        self._position = None

    @property
    def names(self):
        """The arguments' names, in order."""
        if self._names and not isinstance(self._names[0], str):
            self._names = tuple(w.name for w in self._names)
        return self._names

    def __reduce__(self):
        return (PackedArguments, (self.inner, self.names, self.dtype))

    def __repr__(self):
        return f"<{self.n} scalar arguments packed into {self.inner!r}>"

    def _with_keywords(self, args, kwargs):
        if self._position is None:
            self._position = {name: i for i, name in enumerate(self.names)}
        values = list(args) + [None] * (self.n - len(args))
        for key, v in kwargs.items():
            i = self._position.get(key)
            if i is None:
                raise TypeError(f"unexpected keyword argument {key!r}")
            if i < len(args):
                raise TypeError(f"argument {key!r} given by position and keyword")
            values[i] = v
        missing = [self.names[i] for i, v in enumerate(values) if v is None]
        if missing:
            raise TypeError(
                f"missing {len(missing)} argument(s): {', '.join(missing[:5])}"
                + (", ..." if len(missing) > 5 else "")
            )
        return values

    def __call__(self, *args, **kwargs):
        if kwargs:
            args = self._with_keywords(args, kwargs)
        if len(args) != self.n:
            raise TypeError(f"expected {self.n} arguments, got {len(args)}")
        try:
            vec = np.array(args, dtype=self.dtype)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"the {self.n} arguments must be numbers: {exc}") from None
        if vec.shape != (self.n,):
            raise ValueError(
                "sparse matrices take unbatched arguments (one number per "
                f"symbol), got arguments stacking to shape {vec.shape}"
            )
        return self.inner(vec)
