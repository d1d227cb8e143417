"""``str`` of expressions: readable infix text that :func:`symdiff.parse` reads back.

``str`` prints the exact structure with the fewest parentheses Python's grammar allows,
so ``parse(str(e)) is e``.  The order of commutative operands is chosen for reading
(constants in front of products and at the end of sums); that is safe because building
the parsed text canonicalises the order again.
"""

from fractions import Fraction

import numpy as np

from symdiff.printing.emit import emit
from symdiff.printing.precedence import ATOM, OF_OP, POWER, PRODUCT, SUM, UNARY

# -- constants -------------------------------------------------------------------------


def float_text(v):
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return repr(v)


_CHUNK_DIGITS = 1000


def int_text(v):
    """The decimal digits of an int of any length (``str`` stops at Python's limit
    on digits, 4,300 by default, which exact coefficients can pass: a gradient through
    a chain of 15,000 squares has a 2**15000 in it).

    Examples
    --------
    >>> int_text(-12), len(int_text(10**5000))
    ('-12', 5001)
    """
    if v.bit_length() < 10_000:  # under 3,011 digits: str can
        return str(v)
    chunks = []
    rest = abs(v)
    while rest:
        rest, r = divmod(rest, 10**_CHUNK_DIGITS)
        chunks.append(r)
    head = str(chunks.pop())
    body = "".join(f"{c:0{_CHUNK_DIGITS}d}" for c in reversed(chunks))
    return ("-" if v < 0 else "") + head + body


def const_text(v):
    if isinstance(v, np.ndarray):
        return repr(v.tolist()).replace("inf", "inf")
    if isinstance(v, Fraction):
        return f"{int_text(v.numerator)}/{int_text(v.denominator)}"
    if isinstance(v, float):
        return float_text(v)
    return int_text(v)


def precedence(node):
    op = node.op
    if op == "const":
        v = node.value
        if isinstance(v, np.ndarray):
            return ATOM
        if isinstance(v, Fraction):
            return PRODUCT
        return (
            UNARY
            if v < 0 or (isinstance(v, float) and str(v).startswith("-"))
            else ATOM
        )
    if op == "mul" and (
        fraction_coefficient(node) is not None
        or (node.args[0].op == "const" and not node.args[0].shape)
    ):
        return PRODUCT
    if op == "neg":
        # -x*y and -x/y read as (-x)*y and (-x)/y, which build the same node
        return PRODUCT if _minus_on_first_factor(node) else UNARY
    return OF_OP.get(op, ATOM)


def _negation_rewrites(e):
    """Building ``-e`` gives no ``neg`` node: --x -> x, -(a - b) -> b - a,
    -(c*x) -> (-c)*x, -c -> a constant (the canonicalize rules)."""
    return e.op in ("neg", "sub", "const") or (
        e.op == "mul" and e.args[0].op == "const" and not e.args[0].shape
    )


def _minus_on_first_factor(node):
    """Whether ``neg(a*b)`` or ``neg(a/b)`` may print as ``-a*b``, ``-a/b``.

    Read back, the minus goes to the first factor, and ``(-a)*b`` builds ``-(a*b)``
    again only if ``-a`` stays a ``neg`` node; otherwise it prints ``-(a*b)``.  A
    factor that is itself a product or quotient printed without parentheses
    (``-(1 - t)/d*x``: the minus lands on ``1 - t``) is looked into, iteratively.
    """
    a = node.args[0]
    if a.op not in ("mul", "div") or precedence(a) != PRODUCT:
        return False
    stack = [a]
    while stack:
        e = stack.pop()
        for f in e.args[:1] if e.op == "div" else e.args:
            if _negation_rewrites(f):
                return False
            if f.op in ("mul", "div") and precedence(f) == PRODUCT:
                stack.append(f)
    return True


def _is_one(e):
    return e.op == "const" and not e.shape and e.value == 1


def fraction_coefficient(node):
    """The Fraction coefficient of ``node`` if it is ``(p/q)*b``, else None."""
    a = node.args[0]
    if a.op == "const" and isinstance(a.value, Fraction):
        return a.value
    return None


def _param_text(value):
    if isinstance(value, tuple) and len(value) == 1:
        return str(value[0])
    return str(value)


def call_params(node):
    """Keyword arguments of a call, leaving out defaults.

    Axes are stored counted from the end (so batches work); they print counted from
    the front of the operand, as numpy users write them, and an ``axis`` that covers
    every axis is the default, left out.
    """
    out = []
    if node.op == "unslice":
        return _unslice_params(node)
    for name, value in node.params.items():
        if name == "keepdims" and not value:
            continue
        if name == "axis" and node.args:
            value = front_axes(node.args[0].ndim, value)
            if value is None:
                continue
        out.append(f", {name}={_param_text(value)}")
    return out


def _unslice_params(node):
    """The keywords of an unslice (the adjoint of a slice: zeros of ``size`` with the
    operand at the slice), in slice order, defaults left out as a slice leaves them."""
    p = node.params
    out = [f", axis={front_axes(node.args[0].ndim, p['axis'])}"]
    first = 0 if p["step"] > 0 else p["size"] - 1
    if p["start"] != first:
        out.append(f", start={p['start']}")
    if not (p["stop"] is None or (p["step"] > 0 and p["stop"] >= p["size"])):
        out.append(f", stop={p['stop']}")
    if p["step"] != 1:
        out.append(f", step={p['step']}")
    out.append(f", size={p['size']}")
    return out


def front_axes(ndim, axis):
    """A stored (negative) axis or tuple of axes counted from the front; None when
    a tuple covers every one of the ``ndim`` axes.

    Examples
    --------
    >>> front_axes(3, -1), front_axes(3, (-3, -1)), front_axes(2, (-2, -1))
    (2, (0, 2), None)
    """
    if isinstance(axis, tuple):
        if len(axis) == ndim:
            return None
        front = tuple(ndim + a if a < 0 else a for a in axis)
        return front[0] if len(front) == 1 else front
    return ndim + axis if axis < 0 else axis


# -- layouts ---------------------------------------------------------------------------


def _product_layout(node):
    """``a*b`` for reading: coefficients in front, ``c/u``, ``x/3`` for (1/3)*x."""
    a, b = node.args
    if a.op == "const" and not a.shape and b.op == "div" and _is_one(b.args[0]):
        return [
            (a, PRODUCT, False),
            "/",
            (b.args[1], PRODUCT, True),
        ]  # c*(1/u) as c/u
    c = fraction_coefficient(node)
    keep = b.op == "matmul"  # parentheses kept around a matrix product
    if c is not None:
        if c.numerator == 1:
            return [(b, PRODUCT, False), f"/{c.denominator}"]
        if c.numerator == -1:
            return ["-", (b, UNARY, False), f"/{c.denominator}"]
        return [f"{c.numerator}*", (b, PRODUCT, keep), f"/{c.denominator}"]
    if a.op == "const" and not a.shape:
        # c*(x*y) and c*(x/y) print as c*x*y and c*x/y: parsing moves a scalar
        # coefficient back in front, so the structure survives (not out of a
        # matrix product: c*A @ x reads as (c*A) @ x)
        return [(a, PRODUCT, False), "*", (b, PRODUCT, keep)]
    if OF_OP.get(b.op) == PRODUCT and OF_OP.get(a.op) != PRODUCT:
        a, b = b, a
    return [(a, PRODUCT, False), "*", (b, PRODUCT, True)]


def text_layout(node):
    op = node.op
    if op == "const":
        return [const_text(node.value)]
    if op == "symbol":
        return [node.name]
    if not node.args:
        if op == "dim":  # not `n`: that would read back as a Symbol named n
            return [f"dim({node.params['name']})"]
        return [op]
    if op in ("add", "sub"):
        a, b = node.args
        if op == "add" and (
            OF_OP.get(b.op) == SUM
            and OF_OP.get(a.op) != SUM
            or a.op == "const"
            and b.op != "const"
        ):
            a, b = b, a
        return [(a, SUM, False), f" {'+' if op == 'add' else '-'} ", (b, SUM, True)]
    if op == "mul":
        return _product_layout(node)
    if op == "div":
        return [(node.args[0], PRODUCT, False), "/", (node.args[1], PRODUCT, True)]
    if op == "neg":
        if _minus_on_first_factor(node):
            return ["-", (node.args[0], PRODUCT, False)]
        return ["-", (node.args[0], UNARY, True)]
    if op == "pow":
        return [(node.args[0], POWER, True), "**", (node.args[1], UNARY, False)]
    if op in _POSTFIX:
        return [(node.args[0], ATOM, False), _POSTFIX[op](node)]
    if op == "transpose" and not node.params:  # the matrix transpose: reversed axes
        return [(node.args[0], ATOM, False), ".T"]
    if op == "matmul":
        return [(node.args[0], PRODUCT, False), " @ ", (node.args[1], PRODUCT, True)]
    pieces = [f"{op}("]
    if op == "einsum":  # numpy's order, the subscripts first: parse reads it back
        pieces = [f'einsum("{node.params["subscripts"]}", ']
    for i, a in enumerate(node.args):
        if i:
            pieces.append(", ")
        pieces.append((a, 0, False))
    if op != "einsum":
        pieces.extend(call_params(node))
    pieces.append(")")
    return pieces


def _subscript(node, item):
    """``[item]`` on the node's axis, with ``:`` for the axes before it."""
    return "[" + index_text(node, item) + "]"


def index_text(node, item):
    """The index of a take or slice node on its axis: ``":, " * k + item``."""
    before = node.args[0].ndim + node.params["axis"]
    return ":, " * before + item


def slice_text(node):
    """The ``start:stop:step`` of a slice node, as short as numpy reads it back."""
    return _slice_item(node.params, node.args[0].shape[node.params["axis"]])


def _slice_item(p, n):
    first = 0 if p["step"] > 0 else n - 1  # where numpy starts when start is left out
    start = "" if p["start"] == first else str(p["start"])
    to_end = p["stop"] is None or (p["step"] > 0 and p["stop"] >= n)
    stop = "" if to_end else str(p["stop"])
    step = "" if p["step"] == 1 else f":{p['step']}"
    if not (start or stop or step):  # a bare ':' would read back as no slice at all
        start, stop = str(p["start"]), str(p["stop"])
    return f"{start}:{stop}{step}"


# ops printed after their operand, numpy's way: A[0], A[:, 1:3], A.T
_POSTFIX = {
    "take": lambda n: _subscript(n, str(n.params["index"])),
    "slice": lambda n: _subscript(n, slice_text(n)),
}


def to_str(expr):
    """Readable infix text of ``expr`` that :func:`symdiff.parse` reads back.

    Examples
    --------
    >>> from symdiff import symbols, sin
    >>> x, y = symbols("x y")
    >>> print(-(x + y)**2 / 3 - sin(x))
    -(x + y)**2/3 - sin(x)
    """
    return emit(expr, text_layout, precedence, "(", ")")
