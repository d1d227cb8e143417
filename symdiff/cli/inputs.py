"""Reading the command line's text into values: expressions, --wrt symbols, --at points.

Everything is read with the safe expression parser (:func:`symdiff.parse.parse`), never
with ``eval``; anything unreadable raises :class:`UsageError` with one readable line.
"""

from __future__ import annotations

import re

import numpy as np

from symdiff.cli.parser import UsageError
from symdiff.core.errors import ParseError
from symdiff.core.expr import Symbol
from symdiff.core.traverse import topo_order
from symdiff.evaluate import evaluate
from symdiff.parse import parse

_LONGEST_SHOWN = 60  # characters of a bad expression quoted in the error message


def parse_expression(text, symbols=None):
    """The expression written in ``text``; bad syntax is a :class:`UsageError`.

    ``symbols`` (``{name: Expr}``, from :func:`declared_symbols`) gives names their
    meaning: tensor symbols declared with ``--shape``, and named dimensions.

    Examples
    --------
    >>> print(parse_expression("x**2*sin(y)"))
    x**2*sin(y)
    >>> parse_expression("x +")
    Traceback (most recent call last):
    ...
    symdiff.cli.parser.UsageError: cannot read the expression 'x +': ...
    """
    shown = text
    if len(text) > _LONGEST_SHOWN:
        shown = text[: _LONGEST_SHOWN - 3] + "..."
    try:
        expr = parse(text, symbols=symbols)
    except ParseError as exc:
        raise UsageError(f"cannot read the expression {shown!r}: {exc}") from None
    _reject_undefined_constants(expr, shown)
    return expr


def _reject_undefined_constants(expr, shown):
    """A part without symbols that is not a finite number (``1/0``, ``log(-1)``) makes
    the whole expression undefined everywhere: bad input, not a result to print."""
    depends = set()
    constant_parts = []
    for node in topo_order(expr):
        if node.op == "symbol" or any(a in depends for a in node.args):
            depends.add(node)
        elif node.args:
            constant_parts.append(node)
    if not constant_parts:
        return
    try:
        values = evaluate(constant_parts)
    except (ArithmeticError, ValueError):
        values = [np.nan] * len(constant_parts)
    for node, value in zip(constant_parts, values, strict=True):
        if not np.all(np.isfinite(value)):
            raise UsageError(
                f"the expression {shown!r} is undefined: {node} is not a finite "
                f"number ({value})"
            )


def natural_order(name):
    """Sort key of names in natural order: ``x2`` before ``x10``.

    Examples
    --------
    >>> sorted(["x10", "x2", "y", "x1"], key=natural_order)
    ['x1', 'x2', 'x10', 'y']
    """
    pieces = re.split(r"(\d+)", name)
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in pieces if p)


def symbols_by_name(expr):
    """The free symbols of ``expr`` as ``{name: Symbol}``."""
    return {s.name: s for s in expr.free_symbols}


def _listing(known):
    return ", ".join(sorted(known)) or "none"


def _symbol_named(option, name, known):
    """The symbol ``known[name]``; a name the expression lacks is bad input."""
    if name not in known:
        raise UsageError(
            f"{option}: {name!r} is not a symbol of the expression (its symbols: "
            f"{_listing(known)})"
        )
    return known[name]


def wrt_symbols(expr, text, all_by_default=True):
    """The symbols named by --wrt, in the order given.

    Parameters
    ----------
    expr : Expr
        The expression whose symbols may be named.
    text : str or None
        The value of --wrt: names separated by commas; None when it was not given.
    all_by_default : bool
        Without --wrt, take every symbol of ``expr`` (in natural order: x2 before
        x10); if False, only an expression with exactly one symbol may leave --wrt
        out.

    Examples
    --------
    >>> e = parse_expression("x*y*z")
    >>> [s.name for s in wrt_symbols(e, "z, x")]
    ['z', 'x']
    >>> [s.name for s in wrt_symbols(e, None)]
    ['x', 'y', 'z']
    """
    known = symbols_by_name(expr)
    if text is None:
        if not all_by_default and len(known) != 1:
            raise UsageError(
                f"--wrt is needed: the expression has the symbols {_listing(known)}"
            )
        return [known[name] for name in sorted(known, key=natural_order)]
    chosen = []
    for name in (part.strip() for part in text.split(",")):
        if not name:
            raise UsageError(f"--wrt: empty symbol name in {text!r}")
        symbol = _symbol_named("--wrt", name, known)
        if symbol in chosen:
            raise UsageError(f"--wrt: {name!r} is given twice")
        chosen.append(symbol)
    return chosen


def ordered_symbols(expr, wrt):
    """All symbols of ``expr``: those of ``wrt`` first, then the others (natural order).

    This is the argument order of the functions that ``export`` writes and that
    ``--check`` differentiates numerically.

    Examples
    --------
    >>> e = parse_expression("a*b*c")
    >>> [s.name for s in ordered_symbols(e, wrt_symbols(e, "c"))]
    ['c', 'a', 'b']
    """
    rest = sorted(
        (s for s in expr.free_symbols if s not in wrt),
        key=lambda s: natural_order(s.name),
    )
    return list(wrt) + rest


def require_scalar(expr, command):
    """Raise :class:`UsageError` unless ``expr`` is a scalar (``command`` needs one)."""
    if expr.shape:
        raise UsageError(f"{command} needs a scalar expression, got shape {expr.shape}")


def _split_top_level(text):
    """Split at commas that are not inside parentheses or brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def read_point(expr, text):
    """The values of --at as ``{Symbol: value}``; every symbol of ``expr`` needs one.

    Parameters
    ----------
    expr : Expr
        The expression to be evaluated at the point.
    text : str
        ``NAME=VALUE`` pairs separated by commas; a value may be a constant expression
        such as ``pi/4`` (commas inside parentheses and brackets do not separate
        pairs), and a tensor symbol's value an array such as ``[1, 2]``.

    Returns
    -------
    dict
        A float for each scalar symbol, an array of the symbol's shape for each
        tensor symbol; a named dimension (``--shape X=n,2``) takes its size from the
        first value and every other value must agree.

    Examples
    --------
    >>> e = parse_expression("x*y")
    >>> {s.name: v for s, v in read_point(e, "y=2, x=max([1, 3])").items()}
    {'y': 2.0, 'x': 3.0}
    >>> read_point(e, "x=1")
    Traceback (most recent call last):
    ...
    symdiff.cli.parser.UsageError: --at: no value given for y
    """
    known = symbols_by_name(expr)
    values = {}
    sizes = {}  # named dimension -> (size, the symbol that set it)
    for part in _split_top_level(text):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq or not name or not value.strip():
            raise UsageError(f"--at: expected NAME=VALUE, got {part.strip()!r}")
        symbol = _symbol_named("--at", name, known)
        if symbol in values:
            raise UsageError(f"--at: {name} is given twice")
        values[symbol] = _read_value(symbol, value, sizes)
    missing = sorted(n for n, s in known.items() if s not in values)
    if missing:
        raise UsageError(f"--at: no value given for {', '.join(missing)}")
    return values


def _read_value(symbol, text, sizes):
    """The finite number or array that ``text`` (a constant expression) stands for,
    with ``symbol``'s shape; named dimensions are bound in ``sizes``."""
    name = symbol.name
    try:
        value = parse(text)
    except ValueError as exc:
        raise UsageError(f"--at: cannot read the value of {name}: {exc}") from None
    kind = "an array" if symbol.shape else "a number"
    if value.free_symbols or len(value.shape) != len(symbol.shape):
        raise UsageError(
            f"--at: the value of {name} must be {kind} of shape "
            f"{shape_text(symbol.shape)}, got {text.strip()!r}"
        )
    number = np.asarray(evaluate(value), dtype=float)
    _bind_dims(symbol, number.shape, sizes)
    if not np.all(np.isfinite(number)):
        raise UsageError(f"--at: the value of {name} must be finite, got {text!r}")
    return float(number) if not symbol.shape else number


def _bind_dims(symbol, shape, sizes):
    """Check the value's ``shape`` against ``symbol``'s, binding named dimensions."""
    for declared, size in zip(symbol.shape, shape, strict=True):
        if isinstance(declared, int):
            if declared != size:
                raise UsageError(
                    f"--at: the value of {symbol.name} must have shape "
                    f"{shape_text(symbol.shape)}, got shape {shape_text(shape)}"
                )
            continue
        dim = str(declared)
        bound = sizes.setdefault(dim, (size, symbol.name))
        if bound[0] != size:
            raise UsageError(
                f"--at: dimension {dim} is {bound[0]} in {bound[1]} but {size} in "
                f"{symbol.name}"
            )


def shape_text(shape):
    """A shape for people, as ``--shape`` writes it: ``(n, 5)``, ``()``.

    Examples
    --------
    >>> shape_text(("n", 5)), shape_text((3,)), shape_text(())
    ('(n, 5)', '(3,)', '()')
    """
    comma = "," if len(shape) == 1 else ""
    return "(" + ", ".join(str(d) for d in shape) + comma + ")"


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def read_shapes(texts):
    """The ``--shape NAME=D1,D2`` declarations as ``{name: shape}``.

    A dimension is a non-negative integer or a name (a dimension whose size comes
    from the arrays passed in: the batch size ``n``); ``NAME=`` declares a scalar.

    Examples
    --------
    >>> read_shapes(["X=n,5", "w=5", "b="])
    {'X': ('n', 5), 'w': (5,), 'b': ()}
    >>> read_shapes(["X=n,-5"])
    Traceback (most recent call last):
    ...
    symdiff.cli.parser.UsageError: --shape X=n,-5: a dimension must be a ...
    """
    shapes = {}
    for text in texts or ():
        name, eq, dims = text.partition("=")
        name = name.strip()
        if not eq or not _NAME.match(name):
            raise UsageError(
                f"--shape: expected NAME=D1,D2,... (e.g. X=n,5), got {text!r}"
            )
        if name in shapes:
            raise UsageError(f"--shape: {name} is declared twice")
        shapes[name] = _read_dims(text, dims)
    return shapes


def _read_dims(text, dims):
    shape = []
    for part in (p.strip() for p in dims.split(",")) if dims.strip() else ():
        if part.isdecimal():
            shape.append(int(part))
        elif _NAME.match(part):
            shape.append(part)
        else:
            raise UsageError(
                f"--shape {text}: a dimension must be a non-negative integer or a "
                f"name such as n, got {part!r}"
            )
    return tuple(shape)


def declared_symbols(shapes):
    """Symbols for the ``--shape`` declarations, and the names of named dimensions.

    Returns
    -------
    dict
        ``{name: Expr}`` for the expression parser: each declared Symbol, and each
        named dimension's size as an expression (so ``sum(X)/n`` divides by the
        number of rows).

    Examples
    --------
    >>> table = declared_symbols({"w": (3,)})
    >>> table["w"].shape
    (3,)
    """
    table = {}
    for name, shape in shapes.items():
        try:
            table[name] = Symbol(name, shape=shape)
        except (ValueError, TypeError) as exc:
            dims = ",".join(str(d) for d in shape)
            raise UsageError(f"--shape {name}={dims}: {exc}") from None
    for name, shape in shapes.items():
        for dim in shape:
            if isinstance(dim, str) and dim in shapes:
                raise UsageError(
                    f"--shape: {dim} is both a symbol and a dimension (of {name})"
                )
            if isinstance(dim, str):
                table.setdefault(dim, dim_size(dim))
    return table


def check_declared(expr, shapes):
    """Every ``--shape`` symbol must be a symbol of ``expr``."""
    known = symbols_by_name(expr)
    for name in shapes:
        _symbol_named("--shape", name, known)


def dim_size(name):
    """The size of the named dimension ``name`` as an expression (``sum(X)/n``)."""
    import symdiff  # the public handle of named dimensions

    return symdiff.dim(name)
