"""Safe text -> Expr: a whitelist tokenizer and an operator-precedence parser.

Nothing is ever passed to ``eval``/``exec`` or even to Python's own parser: the grammar
is a small Python-like subset, read by a loop with explicit operand/operator stacks (so
deeply nested text parses without recursion). Names are symbols, unless they are one of
the op table's functions (which must be called) or ``pi``, ``inf``, ``nan``. Anything
else (attribute access, subscripts, lambdas, strings, dunder names, unknown functions)
is a :class:`ParseError` naming the 1-based column.

Grammar, loosest to tightest: ``+ -`` (binary), ``* /``, unary ``- +``, ``**`` (right
associative, its right operand may be unary: ``x**-2``), calls ``f(a, b, axis=0)``,
parentheses, numbers and ``[...]`` array literals.
"""

from __future__ import annotations

import keyword
import re

from symdiff.core.errors import ParseError
from symdiff.core.expr import Symbol, apply, const, symbol_table
from symdiff.core.spec import OPS

_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/(),=\[\]])"
)
_BINARY = {
    "+": (10, "add"),
    "-": (10, "sub"),
    "*": (20, "mul"),
    "/": (20, "div"),
    "**": (40, "pow"),
}
_UNARY_PREC = 30
_CONSTANTS = {
    "pi": lambda: apply("pi"),
    "inf": lambda: const(float("inf")),
    "nan": lambda: const(float("nan")),
}
_LITERALS = {"True": True, "False": False, "None": None}
MAX_LENGTH = 10_000_000


def _functions():
    return {
        name for name, spec in OPS.items() if spec.arity != 0 and spec.infix is None
    }


def _tokenize(text):
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ParseError(
                f"unexpected character {text[pos]!r} at column {pos + 1}", pos + 1
            )
        kind = m.lastgroup
        word = m.group()
        if kind == "name" and keyword.iskeyword(word) and word not in _LITERALS:
            raise ParseError(
                f"Python keyword {word!r} is not allowed at column {pos + 1}", pos + 1
            )
        if kind == "name" and word.startswith("__"):
            raise ParseError(
                f"name {word!r} is not allowed at column {pos + 1}", pos + 1
            )
        if kind != "space":
            tokens.append((kind, m.group(), pos + 1))
        pos = m.end()
    tokens.append(("end", "", len(text) + 1))
    return tokens


def _number(text, col):
    try:
        if re.fullmatch(r"\d+", text):
            return int(text)
        return float(text)
    except (ValueError, OverflowError):
        raise ParseError(f"bad number {text!r} at column {col}", col) from None


class _Parser:
    """One parse: token cursor, operand stack and operator stack."""

    def __init__(self, text, symbols):
        self.tokens = _tokenize(text)
        self.i = 0
        self.symbols = symbols
        self.functions = _functions()

    def peek(self, k=0):
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def fail(self, message, col):
        raise ParseError(f"{message} at column {col}", col)

    def expect(self, value):
        kind, text, col = self.take()
        if text != value:
            got = "end of input" if kind == "end" else repr(text)
            self.fail(f"expected {value!r} but found {got}", col)

    # -- literals for keyword arguments and arrays (flat loops, no recursion) ----------
    def literal(self):
        """A keyword value: int, signed number, True/False/None, or a tuple of them."""
        kind, text, col = self.peek()
        if text == "(":
            self.take()
            items = []
            while self.peek()[1] != ")":
                items.append(self.scalar_literal())
                if self.peek()[1] == ",":
                    self.take()
                elif self.peek()[1] != ")":
                    self.fail("expected ',' or ')' in a tuple", self.peek()[2])
            self.take()
            return tuple(items)
        return self.scalar_literal()

    def scalar_literal(self):
        kind, text, col = self.take()
        sign = 1
        if kind == "op" and text in ("+", "-"):
            sign = -1 if text == "-" else 1
            kind, text, col = self.take()
        if kind == "number":
            return sign * _number(text, col)
        if kind == "name" and text in _LITERALS and sign == 1:
            return _LITERALS[text]
        if kind == "name" and text == "inf":
            return sign * float("inf")
        self.fail(f"expected a number, True, False or None, found {text!r}", col)

    def array_literal(self):
        """``[...]`` of numbers, possibly nested; becomes a constant array."""
        _, _, start_col = self.take()  # '['
        stack = [[]]
        while True:
            kind, text, col = self.peek()
            if text == "[":
                self.take()
                stack.append([])
                continue
            if text == "]":
                self.take()
                done = stack.pop()
                if not stack:
                    try:
                        return const(done)
                    except (TypeError, ValueError) as exc:
                        self.fail(f"bad array literal ({exc})", start_col)
                stack[-1].append(done)
            else:
                stack[-1].append(self.scalar_literal())
            if self.peek()[1] == ",":
                self.take()
            elif self.peek()[1] != "]":
                self.fail("expected ',' or ']' in an array literal", self.peek()[2])

    # -- names -------------------------------------------------------------------------
    def name(self, text, col):
        if text in _LITERALS:
            self.fail(f"{text!r} is not an expression", col)
        if text in self.functions:
            self.fail(f"function {text!r} must be called, as {text}(...)", col)
        if text in _CONSTANTS and text not in self.symbols:
            return _CONSTANTS[text]()
        if text in self.symbols:
            return self.symbols[text]
        return Symbol(text)

    # -- the main loop -----------------------------------------------------------------
    def parse(self):
        operands = []
        # operator stack entries: ("bin", prec, op, col) | ("un", prec, sign, col)
        #                         | ("paren", col) | ("call", name, col, nargs, kwargs)
        operators = []
        expect_operand = True

        def reduce_top():
            kind = operators.pop()
            if kind[0] == "un":
                a = operands.pop()
                operands.append(apply("neg", a) if kind[2] == "-" else a)
            else:
                b = operands.pop()
                a = operands.pop()
                operands.append(self.build(kind[2], (a, b), {}, kind[3]))

        def reduce_while(prec, right_assoc=False):
            while operators and operators[-1][0] in ("bin", "un"):
                top = operators[-1][1]
                if top > prec or (top == prec and not right_assoc):
                    reduce_top()
                else:
                    break

        while True:
            kind, text, col = self.peek()
            if expect_operand:
                self.take()
                if kind == "number":
                    operands.append(const(_number(text, col)))
                    expect_operand = False
                elif kind == "name":
                    if self.peek()[1] == "(":
                        if text not in self.functions:
                            self.fail(f"unknown function {text!r}", col)
                        self.take()
                        operators.append(["call", text, col, len(operands), {}])
                        if self.peek()[1] == ")":
                            self.fail(f"{text}() needs an argument", self.peek()[2])
                        self.keyword_args_if_any(operators[-1])
                        continue
                    operands.append(self.name(text, col))
                    expect_operand = False
                elif text == "(":
                    operators.append(("paren", col))
                elif text == "[":
                    self.i -= 1
                    operands.append(self.array_literal())
                    expect_operand = False
                elif text in ("-", "+"):
                    operators.append(("un", _UNARY_PREC, text, col))
                else:
                    got = "end of input" if kind == "end" else repr(text)
                    self.fail(f"expected an operand but found {got}", col)
                continue
            # after an operand: a binary operator, ')' ',' or the end
            if text in _BINARY and kind == "op":
                self.take()
                prec, op = _BINARY[text]
                reduce_while(prec, right_assoc=(op == "pow"))
                operators.append(("bin", prec, op, col))
                expect_operand = True
            elif text == ")":
                self.take()
                reduce_while(-1)
                if not operators:
                    self.fail("unmatched ')'", col)
                top = operators.pop()
                if top[0] == "call":
                    self.finish_call(top, operands)
            elif text == ",":
                self.take()
                reduce_while(-1)
                if not operators or operators[-1][0] != "call":
                    self.fail("',' outside a function call", col)
                self.keyword_args_if_any(operators[-1])
                if self.peek()[1] == ")":
                    self.take()
                    self.finish_call(operators.pop(), operands)
                    continue
                expect_operand = True
            elif kind == "end":
                reduce_while(-1)
                if operators:
                    self.fail(
                        "unclosed '('",
                        operators[-1][1]
                        if operators[-1][0] == "paren"
                        else operators[-1][2],
                    )
                if len(operands) != 1:  # pragma: no cover - the grammar prevents it
                    self.fail("incomplete expression", col)
                return operands[0]
            else:
                what = {
                    "[": "subscripts are not supported",
                    "=": "'=' is only allowed for keyword arguments",
                }.get(text, f"unexpected {text!r}")
                if kind == "name" or kind == "number":
                    what = f"missing operator before {text!r}"
                self.fail(what, col)

    def keyword_args_if_any(self, call):
        """Read ``name=literal`` arguments (they come last in a call)."""
        while self.peek()[0] == "name" and self.peek(1)[1] == "=":
            _, key, col = self.take()
            self.take()
            if key in call[4]:
                self.fail(f"repeated keyword argument {key!r}", col)
            call[4][key] = self.literal()
            if self.peek()[1] == ",":
                self.take()
            elif self.peek()[1] != ")":
                self.fail(
                    "expected ',' or ')' after a keyword argument", self.peek()[2]
                )

    def finish_call(self, call, operands):
        _, name, col, start, kwargs = call
        args = operands[start:]
        del operands[start:]
        operands.append(self.build(name, tuple(args), kwargs, col))

    def build(self, op, args, kwargs, col):
        try:
            return apply(op, *args, **kwargs)
        except (TypeError, ValueError) as exc:
            raise ParseError(f"{exc} (at column {col})", col) from None


def parse(text, symbols=None):
    """Read an expression from text, safely (no eval, only whitelisted names).

    Parameters
    ----------
    text : str
        Python-like syntax: numbers, names, ``+ - * / **``, parentheses, calls of the
        op table's functions (``sin(x)``, ``maximum(x, y)``), ``pi``.
    symbols : dict or iterable of Symbol, optional
        Symbols to use for names (e.g. tensor-shaped ones); other names become scalar
        Symbols.

    Returns
    -------
    Expr

    Raises
    ------
    ParseError
        With the 1-based column of the problem.

    Examples
    --------
    >>> from symdiff import parse, Symbol
    >>> e = parse("3*x**2 - 4*x")
    >>> e is 3 * Symbol("x")**2 - 4 * Symbol("x")
    True
    >>> parse("x.__class__")
    Traceback (most recent call last):
    ...
    symdiff.ParseError: unexpected character '.' at column 2
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() needs a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"text longer than {MAX_LENGTH} characters", 0)
    table = symbol_table(symbols, "parse")
    if not text.strip():
        raise ParseError("empty expression at column 1", 1)
    return _Parser(text, table).parse()
