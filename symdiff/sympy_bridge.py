"""Conversion to and from SymPy, for validation and for users who want both worlds.

Both directions walk the expression iteratively (post-order with an explicit stack).
Ops that SymPy has no function for are written in SymPy's terms (``sigmoid(x)`` becomes
``1/(1 + exp(-x))``), so SymPy can differentiate the result independently of us.
"""

from fractions import Fraction

from symdiff.expr import Symbol, apply, const
from symdiff.ops import OPS
from symdiff.traverse import topo_order


def _sympy():
    import sympy

    return sympy


def to_sympy(expr, evaluate=True):
    """Convert a scalar expression to SymPy (symbols become real SymPy symbols).

    Parameters
    ----------
    expr : Expr
    evaluate : bool, optional
        Let SymPy evaluate (canonicalise) each node as it is built.  SymPy's evaluation
        costs time per node that grows with depth; for very deep expressions (10,000+
        levels) pass ``evaluate=False`` to get SymPy's unevaluated form in linear time.

    Examples
    --------
    >>> import sympy
    >>> from symdiff import Symbol, sigmoid, to_sympy
    >>> x = Symbol("x")
    >>> to_sympy(x**2 / 3 + sigmoid(x))
    x**2/3 + 1/(1 + exp(-x))
    """
    sp = _sympy()
    if not evaluate:
        with sp.core.parameters.evaluate(False):
            return to_sympy(expr, evaluate=True)
    memo = {}
    for node in topo_order(expr):
        if node.shape:
            raise ValueError(
                f"to_sympy: {node.op} has shape {node.shape}; only scalar expressions "
                "convert to SymPy"
            )
        if node.op == "symbol":
            memo[node] = sp.Symbol(node.name, real=True)
        elif node.op == "const":
            v = node.attrs[0][1]
            if isinstance(v, Fraction):
                memo[node] = sp.Rational(v.numerator, v.denominator)
            elif isinstance(v, int):
                memo[node] = sp.Integer(v)
            else:
                memo[node] = (
                    sp.Float(v)
                    if v == v and abs(v) != float("inf")
                    else (sp.nan if v != v else (sp.oo if v > 0 else -sp.oo))
                )
        else:
            rule = OPS[node.op].sympy
            if rule is None:
                raise ValueError(f"to_sympy: no SymPy form for {node.op!r}")
            memo[node] = rule(node, *[memo[a] for a in node.args])
    return memo[expr]


def _fold(op, items):
    acc = items[0]
    for it in items[1:]:
        acc = apply(op, acc, it)
    return acc


def _from_sympy_node(sp, s, args, symbols):
    """One SymPy node (its arguments already converted) -> Expr."""
    if s.is_Symbol:
        return symbols.get(s.name) or Symbol(s.name)
    if s.is_Integer:
        return const(int(s))
    if s.is_Rational:
        return const(Fraction(int(s.p), int(s.q)))
    if s.is_Float:
        return const(float(s))
    if s is sp.pi:
        return apply("pi")
    if s is sp.E:
        return apply("exp", 1)
    if s in (sp.oo, -sp.oo, sp.nan):
        return const(float(s))
    if s.is_Add:
        return _fold("add", args)
    if s.is_Mul:
        return _fold("mul", args)
    if s.is_Pow:
        base, ex = args
        if s.exp == sp.Rational(1, 2):
            return apply("sqrt", base)
        if s.exp.is_Number and s.exp < 0:  # x**-2 reads better as 1/x**2
            return apply("div", 1, apply("pow", base, apply("neg", ex)))
        return apply("pow", base, ex)
    if isinstance(s, sp.Max | sp.Min):
        return _fold("maximum" if isinstance(s, sp.Max) else "minimum", args)
    if isinstance(s, sp.Heaviside):
        h0 = sp.Rational(s.args[1]) if len(s.args) > 1 else sp.Rational(1, 2)
        x = args[0]
        if h0 == 0:
            return apply("heaviside", x)
        if h0 == sp.Rational(1, 2):
            return (1 + apply("sign", x)) / 2
        # a step with any other value at 0: add it where sign(x) == 0
        return apply("heaviside", x) + Fraction(int(h0.p), int(h0.q)) * (
            1 - apply("abs", apply("sign", x))
        )
    name = {"Abs": "abs", "asin": "asin", "acos": "acos", "atan": "atan"}.get(
        type(s).__name__, type(s).__name__
    )
    if name in OPS and OPS[name].infix is None and OPS[name].arity == len(args):
        return apply(name, *args)
    raise ValueError(f"from_sympy: no symdiff form for SymPy's {type(s).__name__}")


def from_sympy(expr, symbols=None):
    """Convert a SymPy expression to a symdiff expression.

    Parameters
    ----------
    expr : sympy.Expr
    symbols : dict or iterable of Symbol, optional
        symdiff symbols to use for SymPy symbols of the same name.

    Examples
    --------
    >>> import sympy
    >>> from symdiff import from_sympy
    >>> t = sympy.Symbol("t")
    >>> print(from_sympy(sympy.sin(t)**2 + sympy.Rational(1, 3)))
    sin(t)**2 + 1/3
    """
    sp = _sympy()
    expr = sp.sympify(expr)
    if symbols is None:
        table = {}
    elif isinstance(symbols, dict):
        table = dict(symbols)
    else:
        table = {s.name: s for s in symbols}
    memo = {}
    stack = [expr]
    while stack:
        s = stack[-1]
        if s in memo:
            stack.pop()
            continue
        pending = [
            a for a in s.args if a not in memo and not isinstance(s, sp.Heaviside)
        ]
        if isinstance(s, sp.Heaviside):
            pending = [a for a in s.args[:1] if a not in memo]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        args = [
            memo[a] for a in (s.args[:1] if isinstance(s, sp.Heaviside) else s.args)
        ]
        memo[s] = _from_sympy_node(sp, s, args, table)
    return memo[expr]
