"""Hypothesis strategies for random expressions, for our tests and for users' own.

``expressions(symbols)`` draws expression trees over the given symbols from the op
table.  By default every drawn expression is defined (and smooth) at every real point:
ops with a restricted domain get an argument mapped into it (``log(u)`` is drawn as
``log(u**2 + 1)``, ``asin(u)`` as ``asin(tanh(u))``, a denominator ``u`` as
``u**2 + 1``), so tests can evaluate anywhere.  Non-finite values can still arise by
overflow (``exp(exp(exp(x)))``), so compare only where values are finite.

``tensor_expressions(shape)`` draws tensor-shaped expressions (elementwise ops and the
table's shape-keeping tensor ops: softmax, log_softmax, flip, cumsum, tril, ...), and
``points(expr)`` draws a point inside an expression's domain: arrays for its symbols,
named dimensions given sizes.

Hypothesis is a test extra, so it is imported when a strategy is first built: this
module imports without it, and building a strategy without it says what to install.
"""

from symdiff.core.expr import apply, const
from symdiff.core.spec import OPS


def _hypothesis_strategies():
    try:
        from hypothesis import strategies
    except ImportError:
        raise ImportError(
            "symdiff.strategies needs hypothesis: pip install 'symdiff[test]' "
            "(or pip install hypothesis)"
        ) from None
    return strategies


# pi: a leaf drawn as a constant instead; gammaln: generated code for it imports
# scipy.special, so it is drawn only when asked for (unary_ops=)
_SKIP = {"pi", "gammaln"}


def _unary_ops(smooth_only):
    return sorted(
        name
        for name, spec in OPS.items()
        if spec.arity == 1
        and spec.elementwise
        and name not in _SKIP
        and (spec.smooth or not smooth_only)
    )


def _wrap(op, u):
    """Map ``u`` into the domain of ``op`` (see the module docstring)."""
    domain = OPS[op].domain
    if domain == "positive":
        return u**2 + 1
    if domain == "open_unit":
        return apply("tanh", u) / 2
    if domain == "above_one":  # away from 1, where acosh' is infinite
        return u**2 + 2
    if op == "tan":
        return apply("tanh", u)  # stays inside (-pi/2, pi/2)
    return u


def constants():
    """Small exact and inexact constants: ints, fractions and floats."""
    st = _hypothesis_strategies()
    return st.one_of(
        st.integers(-5, 5),
        st.fractions(min_value=-4, max_value=4, max_denominator=6),
        st.floats(-4, 4, allow_nan=False, width=32).map(lambda v: round(float(v), 3)),
    ).map(const)


def expressions(
    symbols,
    *,
    max_leaves=12,
    smooth=True,
    defined=True,
    unary_ops=None,
    binary_ops=("add", "sub", "mul", "div", "pow"),
):
    """A strategy drawing random scalar expressions over ``symbols``.

    Parameters
    ----------
    symbols : sequence of Symbol
        Leaves to draw from (together with small constants).
    max_leaves : int, optional
        Size limit of the drawn tree.
    smooth : bool, optional
        Leave out ops with non-smooth points (``abs``, ``relu``, ``maximum``...).
    defined : bool, optional
        Map arguments into each op's domain so the expression is defined everywhere.
    unary_ops, binary_ops : sequence of str, optional
        Restrict the ops drawn (names from :data:`symdiff.ops.OPS`).

    Examples
    --------
    >>> from hypothesis import given
    >>> from symdiff import symbols, evaluate
    >>> from symdiff.strategies import expressions
    >>> x, y = symbols("x y")
    >>> @given(expressions([x, y]))
    ... def test_evaluates(e):
    ...     evaluate(e, {x: 0.5, y: -1.0})
    >>> test_evaluates()
    """
    symbols = list(symbols)
    if not symbols:
        raise ValueError("expressions() needs at least one symbol")
    unary = list(unary_ops) if unary_ops is not None else _unary_ops(smooth)
    binary = list(binary_ops)
    if not smooth:
        binary += ["maximum", "minimum"]
    st = _hypothesis_strategies()
    leaves = st.one_of(st.sampled_from(symbols), constants())

    def extend(children):
        unary_node = st.tuples(st.sampled_from(unary), children).map(
            lambda t: apply(t[0], _wrap(t[0], t[1]) if defined else t[1])
        )
        binary_node = st.tuples(st.sampled_from(binary), children, children).map(
            lambda t: _binary(t[0], t[1], t[2], defined)
        )
        return st.one_of(unary_node, binary_node)

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def _binary(op, a, b, defined):
    if not defined:
        return apply(op, a, b)
    if op == "div":
        return a / (b**2 + 1)
    if op == "pow":
        # a positive base with any exponent, or any base with a small integer power
        if b.op == "const" and isinstance(b.value, int):
            return a ** max(0, min(b.value, 3))
        return (a**2 + 1) ** (apply("tanh", b) * 2)
    return apply(op, a, b)


# shape-keeping tensor ops drawn by tensor_expressions: (op, params, least ndim); a
# reduction with keepdims=True is added back to its operand, which keeps the shape
_TENSOR_UNARY = (
    ("softmax", {}, 1),
    ("log_softmax", {}, 1),
    ("flip", {}, 1),
    ("cumsum", {}, 1),
    ("logsumexp", {"axis": -1, "keepdims": True}, 1),
    ("sum", {"axis": -1, "keepdims": True}, 1),
    ("tril", {}, 2),
    ("triu", {"k": 1}, 2),
)


def _tensor_unary(op, params, u):
    out = apply(op, u, **params)
    return u + out if params.get("keepdims") else out


def tensor_expressions(shape, symbols=None, *, max_leaves=8, unary_ops=None):
    """A strategy drawing tensor expressions of ``shape`` from the op table.

    Leaves are ``symbols`` (all of ``shape``; by default ``a`` and ``b``) and small
    constants; nodes are elementwise functions (arguments mapped into each op's
    domain, as :func:`expressions` does), ``+ - * /`` and the table's shape-keeping
    tensor ops (softmax, log_softmax, flip, cumsum, logsumexp and sum with kept axes,
    tril/triu for matrices).  Every drawn expression is smooth and defined at every
    real point, so :func:`points` may draw anywhere.

    Parameters
    ----------
    shape : tuple of int or str
        The shape of every drawn expression (names are dimensions, issue 12).
    symbols : sequence of Symbol, optional
        Leaves, each of ``shape``.
    max_leaves : int, optional
        Size limit of the drawn tree.
    unary_ops : sequence of str, optional
        The elementwise functions drawn (default: every smooth one).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from symdiff import evaluate
    >>> from symdiff.strategies import points, tensor_expressions
    >>> @settings(max_examples=5)
    ... @given(tensor_expressions((3,)).flatmap(
    ...     lambda e: points(e).map(lambda p: (e, p))))
    ... def test_shape(case):
    ...     e, p = case
    ...     assert evaluate(e, p).shape == (3,)
    >>> test_shape()
    """
    from symdiff.core.expr import Symbol

    shape = tuple(shape)
    if symbols is None:
        symbols = [Symbol("a", shape=shape), Symbol("b", shape=shape)]
    symbols = list(symbols)
    for sym in symbols:
        if sym.shape != shape:
            raise ValueError(
                f"tensor_expressions: symbol {sym.name} has shape {sym.shape}, not "
                f"{shape}"
            )
    unary = list(unary_ops) if unary_ops is not None else _unary_ops(True)
    tensor_ops = [t for t in _TENSOR_UNARY if t[0] in OPS and len(shape) >= t[2]]
    st = _hypothesis_strategies()
    leaves = st.one_of(st.sampled_from(symbols), constants())

    def extend(children):
        options = [
            st.tuples(st.sampled_from(unary), children).map(
                lambda t: apply(t[0], _wrap(t[0], t[1]))
            ),
            st.tuples(
                st.sampled_from(("add", "sub", "mul", "div")), children, children
            ).map(lambda t: _binary(t[0], t[1], t[2], True)),
        ]
        if tensor_ops:
            options.append(
                st.tuples(st.sampled_from(tensor_ops), children).map(
                    lambda t: _tensor_unary(t[0][0], t[0][1], _full(t[1], shape))
                )
            )
        return st.one_of(*options)

    return st.recursive(leaves, extend, max_leaves=max_leaves).map(
        lambda e: _full(e, shape)
    )


def _full(e, shape):
    """``e`` broadcast to ``shape`` (a constant leaf has shape ())."""
    if e.shape == shape:
        return e
    return e + apply("broadcast_to", 0, shape=shape)


def points(expr, *, dims=None, bound=2.0):
    """A strategy drawing ``{symbol: value}`` for the free symbols of ``expr``.

    Values are float arrays of each symbol's shape with entries in ``[-bound,
    bound]``; a named dimension gets one drawn size (1 to 4) for all symbols, unless
    ``dims`` gives it.  Expressions from :func:`expressions` and
    :func:`tensor_expressions` are defined at every such point.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from symdiff import Symbol
    >>> from symdiff.strategies import points
    >>> X = Symbol("X", shape=("n", 2))
    >>> @settings(max_examples=5)
    ... @given(points(X * 2))
    ... def test_rows(p):
    ...     assert p[X].shape[1] == 2 and 1 <= p[X].shape[0] <= 4
    >>> test_rows()
    """
    st = _hypothesis_strategies()
    from hypothesis.extra.numpy import arrays

    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    names = sorted({d for s in syms for d in s.shape if isinstance(d, str)})
    given_dims = dict(dims or {})
    free = [n for n in names if n not in given_dims]
    elements = st.floats(-bound, bound, allow_nan=False, width=64)

    def draw_values(sizes):
        sizes = {**given_dims, **dict(zip(free, sizes, strict=True))}
        return st.tuples(
            *[
                arrays(
                    float,
                    tuple(sizes[d] if isinstance(d, str) else d for d in s.shape),
                    elements=elements,
                )
                for s in syms
            ]
        ).map(lambda vals: dict(zip(syms, vals, strict=True)))

    return st.tuples(*[st.integers(1, 4) for _ in free]).flatmap(draw_values)
