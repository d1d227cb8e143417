"""Conversion to and from SymPy, for validation and for users who want both worlds.

Both directions walk the expression iteratively (post-order with an explicit stack).
Every op maps to one SymPy function, so the round trip is exact
(``from_sympy(to_sympy(e)) is e``): SymPy's own where it has one
(``sympy.codegen.cfunctions.log1p``, ...), else a ``sympy.Function`` of
:mod:`symdiff.ops.sympy_functions` whose derivative is that of its elementary form;
``to_sympy(e, elementary=True)`` writes those in elementary terms.
"""

from fractions import Fraction

from symdiff.core import lazy
from symdiff.core.expr import Expr, Symbol, apply, const, symbol_table
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order


def _sympy_matrix_shape(node):
    if node.ndim > 2:
        raise ValueError(
            f"to_sympy: SymPy matrices have at most 2 dimensions; {node.op} has shape "
            f"{node.shape}"
        )
    sp = lazy.sympy()
    # a named dim is SymPy's integer symbol of that name, as symdiff.dim converts
    shape = tuple(
        sp.Symbol(str(d), integer=True, nonnegative=True) if isinstance(d, str) else d
        for d in node.shape
    )
    return shape + (1,) * (2 - node.ndim)  # vectors are columns


def _elementwise_tensor(sp, node, args):
    """An elementwise op on SymPy matrices (vectors as columns), or a clear error."""
    op = node.op
    shapes = [a.shape for a in node.args]

    def fail(why):
        listed = " and ".join(str(s) for s in shapes)
        raise ValueError(f"to_sympy: {op} of shapes {listed}: {why}")

    if len(args) == 1:
        if op == "neg":
            return -args[0]
        rule = OPS[op].sympy
        if rule is None:
            fail("no SymPy form")
        return args[0].applyfunc(lambda t: rule(node, t))
    if len(args) != 2:
        fail("no SymPy matrix form for an elementwise op of three operands")
    (a, b), (sa, sb) = args, shapes
    if op == "mul" and len(sa) == len(sb) == 2 and sa != sb:
        # the broadcasts that are matrix products: a column scales rows, a row
        # scales columns, a column times a row is an outer product
        from sympy.matrices.expressions.diagonal import DiagMatrix

        if sa[1] == 1 and sb[0] == 1:
            return a * b
        if sb[1] == 1 and sa[0] == 1:
            return b * a
        if sa == (sb[0], 1):
            return DiagMatrix(a) * b
        if sb == (sa[0], 1):
            return DiagMatrix(b) * a
        if sa == (1, sb[1]):
            return b * DiagMatrix(a.T)
        if sb == (1, sa[1]):
            return a * DiagMatrix(b.T)
    if sa and sb and sa != sb:
        fail("SymPy matrices do not broadcast")
    if op in ("add", "sub"):
        ones = sp.OneMatrix(*_sympy_matrix_shape(node))
        a, b = (a * ones if not sa else a), (b * ones if not sb else b)
        return a + b if op == "add" else a - b
    if op == "mul":
        return a * b if not sa or not sb else sp.HadamardProduct(a, b)
    if op == "div":
        if not sb:
            return a / b
        inv = b.applyfunc(lambda t: 1 / t)
        return a * inv if not sa else sp.HadamardProduct(a, inv)
    if op == "pow" and not sb:
        return a.applyfunc(lambda t: t**b)
    fail("no elementwise SymPy form for these operands")


def _tensor_node(sp, node, args):
    """SymPy form of a node with a tensor operand or result (vectors as columns)."""
    for a in (node, *node.args):
        _sympy_matrix_shape(a)
    op = node.op
    if op == "symbol":
        return sp.MatrixSymbol(node.name, *_sympy_matrix_shape(node))
    if op == "const":
        value = node.value.reshape(_sympy_matrix_shape(node))
        return sp.ImmutableMatrix(value.tolist())
    if op in ("reshape", "broadcast_to"):
        (a,) = node.args
        if op == "broadcast_to" and not a.shape:
            return args[0] * sp.OneMatrix(*_sympy_matrix_shape(node))
        src, dst = _sympy_matrix_shape(a), _sympy_matrix_shape(node)
        if src == dst:
            return args[0] if a.shape else sp.ImmutableMatrix([[args[0]]])
        if not node.shape:
            return args[0][0, 0]
        if src == dst[::-1] and 1 in src:
            return args[0].T
        raise ValueError(
            f"to_sympy: {op} from shape {a.shape} to {node.shape} has no SymPy "
            "matrix form"
        )
    if OPS[op].elementwise:
        return _elementwise_tensor(sp, node, args)
    rule = OPS[op].sympy
    if rule is None:
        raise ValueError(
            f"to_sympy: SymPy has no form for {op!r} on shapes "
            + ", ".join(str(a.shape) for a in node.args)
        )
    return rule(node, *args)


def to_sympy(expr, evaluate=True, *, elementary=False):
    """Convert an expression to SymPy (symbols become real SymPy symbols).

    Tensor expressions of up to two dimensions become SymPy matrix expressions:
    tensor symbols become ``MatrixSymbol`` (a vector of shape ``(n,)`` is an ``n x 1``
    column), ``A @ x`` a matrix product, ``inv``/``det``/``trace`` SymPy's
    ``Inverse``/``Determinant``/``Trace``, elementwise products Hadamard products.
    What SymPy's matrices cannot hold (broadcasting, more than two dimensions, ``max``
    over entries, ``cumsum``, ...) raises a ``ValueError`` naming the op and shapes.

    Parameters
    ----------
    expr : Expr
    evaluate : bool, optional
        Let SymPy evaluate (canonicalise) each node as it is built.  SymPy's evaluation
        costs time per node that grows with depth; for very deep expressions (10,000+
        levels) pass ``evaluate=False`` to get SymPy's unevaluated form in linear time.
    elementary : bool, optional
        Every op is a SymPy function of its own by default (``log1p``, ``expm1``
        from ``sympy.codegen.cfunctions``; ``sigmoid``, ``softplus``, ``relu`` from
        :mod:`symdiff.ops.sympy_functions`), so ``from_sympy(to_sympy(e)) is e``.
        ``elementary=True`` writes those in elementary functions instead (``log(x +
        1)``, ``1/(1 + exp(-x))``, ``Max(x, 0)``), for SymPy to simplify or
        differentiate without any definition of ours.

    Examples
    --------
    >>> import sympy
    >>> from symdiff import Symbol, from_sympy, sigmoid, to_sympy
    >>> x = Symbol("x")
    >>> e = x**2 / 3 + sigmoid(x)
    >>> to_sympy(e)
    x**2/3 + sigmoid(x)
    >>> from_sympy(to_sympy(e)) is e
    True
    >>> to_sympy(e, elementary=True)
    x**2/3 + 1/(1 + exp(-x))
    >>> from symdiff import Symbol
    >>> A, v = Symbol("A", shape=(3, 3)), Symbol("v", shape=(3,))
    >>> to_sympy(A.T @ v)
    A.T*v
    """
    sp = lazy.sympy()
    if elementary:
        from symdiff.ops.sympy_functions import elementary as to_elementary

        return to_elementary(to_sympy(expr, evaluate))
    if not evaluate:
        with sp.core.parameters.evaluate(False):
            return to_sympy(expr, evaluate=True)
    memo = {}
    for node in topo_order(expr):
        if node.shape or any(a.shape for a in node.args):
            memo[node] = _tensor_node(sp, node, [memo[a] for a in node.args])
        elif node.op == "symbol":
            memo[node] = sp.Symbol(node.name, real=True)
        elif node.op == "const":
            v = node.value
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


# SymPy's relationals -> the comparison ops (masks)
_RELATIONAL = {
    "StrictLessThan": "less",
    "LessThan": "less_equal",
    "StrictGreaterThan": "greater",
    "GreaterThan": "greater_equal",
    "Equality": "equal",
    "Unequality": "not_equal",
}


def _from_sympy_logic(sp, s, args):
    """Relationals, ``Piecewise`` and its parts -> comparisons and nested ``where``;
    None for any other node.  A piece's condition ``True`` converts to the marker
    ``True`` and a piece to its ``(expr, cond)`` pair, which only a Piecewise takes."""
    name = _RELATIONAL.get(type(s).__name__)
    if name is not None:
        return apply(name, *args)
    if s is sp.true:
        return True
    if isinstance(s, sp.functions.elementary.piecewise.ExprCondPair):
        return tuple(args)
    if not isinstance(s, sp.Piecewise):
        return None
    acc, otherwise = args[-1]
    if otherwise is not True:
        raise ValueError(
            "from_sympy: a Piecewise without an otherwise branch (condition True) "
            "has no symdiff form"
        )
    for value, cond in reversed(args[:-1]):
        acc = apply("where", cond, value, acc)
    return acc


def _from_sympy_node(sp, s, args, symbols):
    """One SymPy node (its arguments already converted) -> Expr."""
    logic = _from_sympy_logic(sp, s, args)
    if logic is not None:
        return logic
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
    name = {"Abs": "abs", "ceiling": "ceil"}.get(type(s).__name__, type(s).__name__)
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
    sp = lazy.sympy()
    expr = sp.sympify(expr)
    table = symbol_table(symbols, "from_sympy")
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
    if not isinstance(memo[expr], Expr):  # True, or a piece of a Piecewise
        raise ValueError(f"from_sympy: no symdiff form for SymPy's {expr!r}")
    return memo[expr]
