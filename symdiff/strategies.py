"""Hypothesis strategies for random expressions, for our tests and for users' own.

``expressions(symbols)`` draws expression trees over the given symbols from the op
table.  By default every drawn expression is defined (and smooth) at every real point:
ops with a restricted domain get an argument mapped into it (``log(u)`` is drawn as
``log(u**2 + 1)``, ``asin(u)`` as ``asin(tanh(u))``, a denominator ``u`` as
``u**2 + 1``), so tests can evaluate anywhere.  Non-finite values can still arise by
overflow (``exp(exp(exp(x)))``), so compare only where values are finite.

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


_SKIP = {"pi"}  # leaves that are drawn as constants instead


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
