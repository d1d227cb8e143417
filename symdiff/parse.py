"""Safe text -> Expr: a whitelist tokenizer and an operator-precedence parser.

Nothing is ever passed to ``eval``/``exec`` or even to Python's own parser: the grammar
is a small Python-like subset, read by a loop with explicit operand/operator stacks (so
deeply nested text parses without recursion). Names are symbols, unless they are one of
the op table's functions (which must be called) or ``pi``, ``inf``, ``nan``. Two calls
have their own rules: ``dim(n)`` (the size of the named dimension ``n``) and ``einsum``,
whose first argument is its subscripts in quotes, the one place a string is allowed,
checked against numpy's subscript grammar as it is read.  Anything else (other
attributes, lambdas, other strings, dunder names, unknown functions) is a
:class:`ParseError` naming the 1-based column.

Grammar, loosest to tightest: ``+ -`` (binary), ``* / @``, unary ``- +``, ``**``
(right associative, its right operand may be unary: ``x**-2``), the postfix subscripts
``A[0]``, ``A[:, 1:3]``, ``v[::-1]`` (ints and slices) and ``A.T``, calls
``f(a, b, axis=0)``, parentheses, numbers and ``[...]`` array literals.  This is the
grammar ``str`` prints, so ``parse(str(e), symbols=...) is e`` for tensors too.
"""

from __future__ import annotations

import collections
import keyword
import re

from symdiff.constructors.tensor import getitem
from symdiff.core.errors import ParseError
from symdiff.core.expr import Symbol, apply, const, symbol_table
from symdiff.core.spec import OPS
from symdiff.printing.precedence import BINARY, UNARY

_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/(),=\[\]@:.])"
    r"|(?P<string>\"[^\"\n]*\"|'[^'\n]*')"
)
# every character a token has (quotes: einsum's subscripts, the one string allowed)
_ALLOWED = re.compile(r"[\sA-Za-z0-9_.+\-*/(),=\[\]@:'\">]*")
# einsum subscripts: terms of letters, each may start with '...', and an optional
# '->' output (numpy's grammar; the letters are checked against the operands later)
_TERM = r"\s*(?:\.\.\.)?[A-Za-z]*\s*"
_SUBSCRIPTS = re.compile(rf"{_TERM}(?:,{_TERM})*(?:->{_TERM})?")
# the binary operators this grammar reads: the precedence table's that build our ops
_BINARY_OPS = {
    sym: op
    for sym, (_, op) in BINARY.items()
    if op in ("add", "sub", "mul", "div", "pow", "matmul")
}
_CONSTANTS = {
    "pi": lambda: apply("pi"),
    "inf": lambda: const(float("inf")),
    "nan": lambda: const(float("nan")),
}
# characters people paste from papers and keyboards, and what this grammar spells them
_LOOK_ALIKES = {
    "π": "pi",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "÷": "/",
    "−": "-",
    "–": "-",
    "²": "**2",
    "³": "**3",
    "√": "sqrt(...)",
    "∞": "inf",
    "^": "**",
}
_LITERALS = {"True": True, "False": False, "None": None}
MAX_LENGTH = 10_000_000
# Open parentheses, calls and pending operators at once.  Printed expressions
# 100,000 deep read back; deeper text is refused at once rather than read for seconds
# (Python's own parser stops at 200 levels).
MAX_DEPTH = 200_000


_STRING_PLACE = (
    "a string is only allowed as einsum's first argument (its subscripts, as in "
    'einsum("ij,jk->ik", A, B))'
)


def _functions():
    return {
        name for name, spec in OPS.items() if spec.arity != 0 and spec.infix is None
    }


class _Tokens:
    """The tokens of ``text`` as ``(kind, text, column)``, read as the parser asks for
    them (one C-level regex scan), ending with an ``end`` token.  Reading lazily means
    a problem early in a huge text is reported at once."""

    def __init__(self, text):
        self.text = text
        self.matches = _TOKEN.finditer(text)
        self.pos = 0
        self.ahead = collections.deque()
        # a character no token has fails at once, before any of the text is built
        bad = _ALLOWED.match(text).end()
        if bad < len(text):
            for m in _TOKEN.finditer(text, 0, bad):  # still report problems in order
                if m.lastgroup == "name":
                    _check_name(m.group(), m.start() + 1)
            self.fail_at(bad)

    def _read(self):
        for m in self.matches:
            if m.start() != self.pos:
                break  # text[pos] matched nothing
            self.pos = m.end()
            kind = m.lastgroup
            if kind == "space":
                continue
            if kind == "name":
                _check_name(m.group(), m.start() + 1)
            return kind, m.group(), m.start() + 1
        if self.pos < len(self.text):
            self.fail_at(self.pos)
        return "end", "", len(self.text) + 1

    def fail_at(self, pos):
        if self.text[pos] in "'\"":
            raise ParseError(f"unterminated string at column {pos + 1}", pos + 1)
        hint = _LOOK_ALIKES.get(self.text[pos])
        hint = f" (write {hint!r})" if hint else ""
        raise ParseError(
            f"unexpected character {self.text[pos]!r} at column {pos + 1}{hint}",
            pos + 1,
        )

    def peek(self, k=0):
        while len(self.ahead) <= k:
            self.ahead.append(self._read())
        return self.ahead[k]

    def take(self):
        self.peek()
        return self.ahead.popleft()

    def put_back(self, token):
        self.ahead.appendleft(token)


def _check_name(word, col):
    if keyword.iskeyword(word) and word not in _LITERALS:
        raise ParseError(f"Python keyword {word!r} is not allowed at column {col}", col)
    if word.startswith("__"):
        raise ParseError(f"name {word!r} is not allowed at column {col}", col)


def _number(text, col):
    try:
        if re.fullmatch(r"\d+", text):
            return int(text)
        return float(text)
    except (ValueError, OverflowError):
        if len(text) > 4000:  # Python's guard against slow conversions
            raise ParseError(
                f"integer of {len(text)} digits at column {col}: more than Python "
                "converts (sys.set_int_max_str_digits raises its limit)",
                col,
            ) from None
        raise ParseError(f"bad number {text!r} at column {col}", col) from None


class _Parser:
    """One parse: token cursor, operand stack and operator stack."""

    def __init__(self, text, symbols):
        self.tokens = _Tokens(text)
        self.symbols = symbols
        self.functions = _functions()

    def peek(self, k=0):
        return self.tokens.peek(k)

    def take(self):
        tok = self.tokens.take()
        return tok

    def fail(self, message, col):
        raise ParseError(f"{message} at column {col}", col)

    def expect(self, value):
        kind, text, col = self.take()
        if text != value:
            got = "end of input" if kind == "end" else repr(text)
            self.fail(f"expected {value!r} but found {got}", col)

    # -- literals for keyword arguments and arrays (flat loops, no recursion) ----------
    def literal(self, dims=False):
        """A keyword value: int, signed number, True/False/None, or a tuple of them;
        with ``dims`` (the keywords ``shape`` and ``size``) also dimension names, as
        ``shape=(n, 3)`` prints."""
        kind, text, col = self.peek()
        if text == "(":
            self.take()
            items = []
            while self.peek()[1] != ")":
                items.append(self.keyword_item(dims))
                if self.peek()[1] == ",":
                    self.take()
                elif self.peek()[1] != ")":
                    self.fail("expected ',' or ')' in a tuple", self.peek()[2])
            self.take()
            return tuple(items)
        return self.keyword_item(dims)

    def keyword_item(self, dims):
        kind, text, col = self.peek()
        if dims and kind == "name" and text not in _LITERALS and text != "inf":
            self.take()
            return text  # a dimension name; the op checks that it may be one
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

    # -- the main loop: operand and operator stacks (no recursion) --------------------
    # operator stack entries: ("bin", prec, op, col) | ("un", prec, sign, col)
    #                         | ("paren", col) | ["call", name, col, nargs, kwargs]
    #                         (einsum's call also has the column of its subscripts)
    def parse(self):
        self.operands, self.operators = [], []
        expect_operand = True
        while True:
            if expect_operand:
                expect_operand = self.read_operand()
                continue
            result = self.read_after_operand()
            if result is not None:
                return result[0]
            expect_operand = self.expect_operand_next

    def read_operand(self):
        """Consume the start of an operand; True if an operand is still expected."""
        kind, text, col = self.take()
        if len(self.operators) > MAX_DEPTH:
            self.fail(f"expression nested deeper than {MAX_DEPTH:,} levels", col)
        if kind == "number":
            self.operands.append(const(_number(text, col)))
            return False
        if kind == "name" and text == "dim" and self.peek()[1] == "(":
            self.operands.append(self.dim_call(col))
            return False
        if kind == "name" and self.peek()[1] == "(":
            if text not in self.functions:
                self.fail(f"unknown function {text!r}", col)
            self.take()
            self.operators.append(["call", text, col, len(self.operands), {}])
            if self.peek()[1] == ")":
                self.fail(f"{text}() needs an argument", self.peek()[2])
            if text == "einsum":
                # a problem with the letters is reported at the subscripts
                self.operators[-1].append(self.peek()[2])
                self.operators[-1][4]["subscripts"] = self.einsum_subscripts()
            self.keyword_args_if_any(self.operators[-1])
            return True
        if kind == "string":
            self.fail(_STRING_PLACE, col)
        if kind == "name":
            self.operands.append(self.name(text, col))
            return False
        if text == "(":
            self.operators.append(("paren", col))
            return True
        if text == "[":
            self.tokens.put_back((kind, text, col))
            self.operands.append(self.array_literal())
            return False
        if text in ("-", "+"):
            self.operators.append(("un", UNARY, text, col))
            return True
        got = "end of input" if kind == "end" else repr(text)
        self.fail(f"expected an operand but found {got}", col)

    def read_after_operand(self):
        """A binary operator, ')', ',' or the end; ``(result,)`` at the end."""
        kind, text, col = self.peek()
        self.expect_operand_next = False
        if kind == "op" and _BINARY_OPS.get(text) is not None:
            self.take()
            prec, op = BINARY[text]
            self.reduce_while(prec, right_assoc=(op == "pow"))
            self.operators.append(("bin", prec, op, col))
            self.expect_operand_next = True
        elif text == ")":
            self.take()
            self.reduce_while(-1)
            if not self.operators:
                self.fail("unmatched ')'", col)
            top = self.operators.pop()
            if top[0] == "call":
                self.finish_call(top)
        elif text == ",":
            self.take()
            self.next_call_argument(col)
        elif text in ("[", ".") and kind == "op":
            self.take()
            operand = self.operands.pop()
            if text == "[":
                self.operands.append(self.subscript(operand, col))
            else:
                self.operands.append(self.attribute(operand, col))
        elif kind == "end":
            return (self.finish(col),)
        else:
            what = {
                "=": "'=' is only allowed for keyword arguments",
            }.get(text, f"unexpected {text!r}")
            if kind in ("name", "number", "string"):
                what = f"missing operator before {text!r}"
            self.fail(what, col)
        return None

    # -- postfix: subscripts and .T bind tighter than any operator -------------------
    def subscript(self, operand, col):
        """``operand[...]`` after its ``[``: ints and ``start:stop:step`` slices."""
        key = []
        while True:
            key.append(self.subscript_item())
            _, text, at = self.take()
            if text == "]":
                break
            if text != ",":
                self.fail("expected ',' or ']' in a subscript", at)
        try:
            return getitem(operand, tuple(key))
        except (TypeError, ValueError, IndexError) as exc:
            raise ParseError(f"{exc} (at column {col})", col) from None

    def subscript_item(self):
        """One index: an int, or a slice with optional int parts."""
        parts = [None]
        while True:
            kind, text, col = self.peek()
            if text == ":":
                self.take()
                if len(parts) == 3:
                    self.fail("a slice has at most two ':'", col)
                parts.append(None)
            elif text in ("]", ","):
                break
            elif parts[-1] is None:
                value = self.scalar_literal()
                if not isinstance(value, int) or isinstance(value, bool):
                    self.fail(f"indices must be integers, got {value!r}", col)
                parts[-1] = value
            else:
                self.fail(
                    f"expected ':', ',' or ']' in a subscript, found {text!r}", col
                )
        if len(parts) == 1:
            if parts[0] is None:
                self.fail("empty index in a subscript", self.peek()[2])
            return parts[0]
        return slice(*parts)

    # -- the two calls that are not op-table functions of expressions ----------------
    def dim_call(self, col):
        """``dim(n)`` after its name: the size of the named dimension ``n``."""
        self.take()  # '('
        kind, name, at = self.take()
        if kind != "name":
            found = "end of input" if kind == "end" else repr(name)
            hint = " (a name, unquoted: dim(n))" if kind == "string" else ""
            self.fail(f"dim() takes a dimension name{hint}, found {found}", at)
        self.expect(")")
        return self.build("dim", (), {"name": name}, col)

    def einsum_subscripts(self):
        """The string that must open an ``einsum(`` call, checked against numpy's
        subscript grammar; the letters against the operands when the node is built."""
        kind, text, col = self.take()
        if kind != "string":
            self.fail(
                "einsum's first argument must be its subscripts in quotes, as in "
                'einsum("ij,jk->ik", A, B)',
                col,
            )
        body = text[1:-1]
        done = _SUBSCRIPTS.match(body).end()
        if done < len(body):
            self.fail(
                f"einsum subscripts hold letters, ',', '->' and a leading '...' per "
                f"term; found {body[done]!r}",
                col + 1 + done,
            )
        kind, text, at = self.take()
        if text != ",":
            self.fail("einsum needs operands after its subscripts", at)
        return body

    def attribute(self, operand, col):
        """``operand.T``, the one attribute an expression has in this grammar."""
        kind, text, at = self.take()
        if kind != "name" or text != "T":
            found = "end of input" if kind == "end" else repr(text)
            self.fail(f"only the attribute '.T' is supported, found {found}", at)
        return self.build("transpose", (operand,), {}, col)

    def next_call_argument(self, col):
        """After a ',' in a call: keyword arguments, a closing ')' or an operand."""
        self.reduce_while(-1)
        if not self.operators or self.operators[-1][0] != "call":
            self.fail("',' outside a function call", col)
        self.keyword_args_if_any(self.operators[-1])
        if self.peek()[1] == ")":
            self.take()
            self.finish_call(self.operators.pop())
        else:
            self.expect_operand_next = True

    def finish(self, col):
        self.reduce_while(-1)
        if self.operators:
            top = self.operators[-1]
            self.fail("unclosed '('", top[1] if top[0] == "paren" else top[2])
        if len(self.operands) != 1:  # pragma: no cover - the grammar prevents it
            self.fail("incomplete expression", col)
        return self.operands[0]

    def reduce_top(self):
        kind = self.operators.pop()
        operands = self.operands
        if kind[0] == "un":
            a = operands.pop()
            operands.append(apply("neg", a) if kind[2] == "-" else a)
        else:
            b = operands.pop()
            a = operands.pop()
            operands.append(self.build(kind[2], (a, b), {}, kind[3]))

    def reduce_while(self, prec, right_assoc=False):
        while self.operators and self.operators[-1][0] in ("bin", "un"):
            top = self.operators[-1][1]
            if top > prec or (top == prec and not right_assoc):
                self.reduce_top()
            else:
                break

    def keyword_args_if_any(self, call):
        """Read ``name=literal`` arguments (they come last in a call)."""
        while self.peek()[0] == "name" and self.peek(1)[1] == "=":
            _, key, col = self.take()
            self.take()
            if key in call[4]:
                self.fail(f"repeated keyword argument {key!r}", col)
            call[4][key] = self.literal(dims=key in ("shape", "size"))
            if self.peek()[1] == ",":
                self.take()
            elif self.peek()[1] != ")":
                self.fail(
                    "expected ',' or ')' after a keyword argument", self.peek()[2]
                )

    def finish_call(self, call):
        _, name, col, start, kwargs = call[:5]
        col = call[5] if len(call) > 5 else col  # einsum's: its subscripts' column
        operands = self.operands
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
    symdiff.ParseError: name '__class__' is not allowed at column 3
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() needs a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"text longer than {MAX_LENGTH} characters", 0)
    table = symbol_table(symbols, "parse")
    if not text.strip():
        raise ParseError("empty expression at column 1", 1)
    return _Parser(text, table).parse()
