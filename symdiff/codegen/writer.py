"""Code generation: expression DAGs -> numpy source (``lambdify``, ``export_module``).

The printer walks the DAG once in topological order and writes **one assignment per
shared node** (``_t3 = np.sin(_t2)``), so common subexpressions are computed once by
construction.  A node used only once is written into its user's expression, but never
more than three levels deep, so no line is deeply nested: a 100,000-deep chain becomes
about 25,000 short lines, and compiles.  What each op prints comes from the op table
(``OPS[op].code``: a template over the argument names, or a function
``(node, names) -> str``), so an op added to the table is printed without touching this
module; parentheses around an inlined operand are decided from the template (Python's
operator precedence for ``"{0} + {1}"``-style templates, none inside call arguments).
Temporaries are deleted right after their last use, which keeps memory flat on large
batches.

Every function the printer writes:

* converts its arguments with ``np.asarray(..., dtype=...)`` (tensor symbols also get
  their trailing shape checked; extra leading dimensions are a batch);
* aligns the operands of elementwise ops whose own shapes have different ranks, so that
  batches of scalar and tensor symbols combine (a batch prefix stays a prefix);
* returns every output with the broadcast shape of the inputs: an output that is a
  constant or that does not depend on every argument is materialised with
  ``np.full(batch + shape, value)``.

Constants are written as literals in the code.  Where they meet an array they are plain
Python numbers (numpy adopts the array's dtype, and ``x ** 2`` keeps numpy's fast
square); where only constants meet (``sin(2)``) they are numpy scalars of the chosen
dtype, so numpy (not Python) semantics apply and ``dtype=float32`` stays float32.
Constant arrays are values of the namespace (``lambdify``) or module-level
``np.array([...])`` literals (``export_module``).

Safety: the only text in generated code comes from the op table, from numbers formatted
here, and from identifiers that are checked (symbol names that are not plain, unreserved
ASCII identifiers are mangled to ``_s<i>_<letters>``).  Symbol names and expressions
appear in exported docstrings only after escaping, so no user text is ever executed.
"""

from __future__ import annotations

import builtins
import io
import itertools
import keyword
import linecache
import numbers
import re
import tokenize
import weakref
from collections.abc import Mapping

import numpy as np

from symdiff.core.expr import Expr, Symbol, as_expr
from symdiff.core.spec import OPS
from symdiff.core.traverse import paused_gc, topo_order

__all__ = ["lambdify", "export_module"]

WIDTH = 88  # generated lines fit the project's (and ruff's) line length
_MAX_NAME = 40  # longer symbol names are mangled (readable code, lines that fit)
_DOC_EXPR_CHARS = 400  # expressions are quoted in docstrings up to this length
_RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | frozenset(dir(builtins))
    | {"np", "numpy"}
)
# ops whose code calls a helper that the generated code must define (numpy has no erf)
_HELPER_OF_OP = {"erf": "_erf"}
_counter = itertools.count()
_INLINE_DEPTH = 3  # operands used once are written in place up to this nesting
_INLINE_CHARS = 60  # ... and this length
_CALL = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\(")
_NAME_OR_NUMBER = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?"
)


# -- helpers that generated code calls -------------------------------------------------

_ERF_SOURCE = '''\
def _erf(x):
    """The error function with numpy only (relative error below 1e-15).

    |x| < 2.5: erf(x) = 2/sqrt(pi) exp(-x**2) sum_n 2**n x**(2n+1) / (2n+1)!!, a series
    of positive terms (no cancellation).  Otherwise erfc(x) = exp(-x**2) / (sqrt(pi) t)
    with t the continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + ...))).
    """
    ax = np.abs(x)
    small = ax < 2.5
    s = np.where(small, ax, 0.0)
    s2 = 2.0 * s * s
    acc = np.ones_like(s)
    for n in range(40, 0, -1):
        acc = 1.0 + acc * s2 / (2 * n + 1)
    series = 1.1283791670955126 * np.exp(-s * s) * s * acc
    c = np.where(small, 2.5, np.minimum(ax, 30.0))
    t = c
    for k in range(30, 0, -1):
        t = c + 0.5 * k / t
    tail = 1.0 - np.exp(-c * c) / (1.7724538509055159 * t)
    return np.sign(x) * np.where(small, series, tail)
'''

_ARG_SOURCE = '''\
def _arg(value, shape, name):
    """A tensor argument as an array; extra leading dimensions are a batch."""
    value = np.asarray(value, dtype={dtype})
    k = len(shape)
    if value.ndim < k or value.shape[value.ndim - k :] != shape:
        raise ValueError(
            f"argument {{name}} must have shape {{shape}} (or a batch of them, with "
            f"extra leading dimensions), got shape {{value.shape}}"
        )
    return value
'''


_FULL_SOURCE = '''\
def _full(value, shape):
    """An output with the arguments' broadcast shape (copied only if it lacks some)."""
    if np.shape(value) == shape:
        return value
    return np.full(shape, value, dtype={dtype})
'''

_HELPERS = {
    "_arg": _ARG_SOURCE,
    "_erf": _ERF_SOURCE.replace("{", "{{").replace("}", "}}"),
    "_full": _FULL_SOURCE,
}


def _scipy_erf():
    import scipy.special

    return scipy.special.erf


# -- checking the inputs ---------------------------------------------------------------


def _check_dtype(dtype, owner):
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"{owner}: dtype must be a numpy floating or complex dtype, got {dtype!r}"
        ) from None
    if dt.kind not in "fc" or not isinstance(getattr(np, dt.name, None), type):
        raise ValueError(
            f"{owner}: dtype must be a floating or complex dtype (float64, float32, "
            f"complex128, ...), got {dtype!r}"
        )
    return dt


def _check_args(args, owner):
    if isinstance(args, Expr):
        args = [args]
    if isinstance(args, str) or not hasattr(args, "__iter__"):
        raise TypeError(f"{owner}: args must be a sequence of Symbols, got {args!r}")
    args = list(args)
    seen = set()
    for a in args:
        if not isinstance(a, Symbol):
            raise TypeError(
                f"{owner}: args must be Symbols, got {a!r} ({type(a).__name__})"
            )
        if a in seen:
            raise ValueError(f"{owner}: symbol {a.name!r} appears twice in args")
        seen.add(a)
    return args


def _keepable(name):
    return (
        name.isascii()
        and name.isidentifier()
        and not name.startswith("_")
        and name not in _RESERVED
        and len(name) <= _MAX_NAME
    )


def code_names(args):
    """The identifiers the generated code uses for the symbols ``args``.

    A symbol's name is kept when it is a plain ASCII identifier that is not a Python
    keyword or builtin, not ``np``, does not start with ``_`` and has at most 40
    characters; otherwise (and for a repeated name) it is mangled deterministically to
    ``_s<position>_<its letters and digits>``.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.codegen import code_names
    >>> code_names([Symbol("x"), Symbol("lambda"), Symbol("x); import os")])
    ['x', '_s1_lambda', '_s2_x_import_os']
    """
    names = []
    taken = set()
    for i, s in enumerate(args):
        name = s.name
        if not _keepable(name) or name in taken:
            clean = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:24].rstrip("_")
            name = f"_s{i}_{clean}" if clean else f"_s{i}"
        names.append(name)
        taken.add(name)
    return names


# -- output structures (an Expr, or nested lists / tuples / dicts of them) -------------

_END = object()


def _flatten(outputs, owner):
    """Leaves (Exprs) and a token list describing the structure around them."""
    leaves = []
    tokens = []
    stack = [iter([(_END, outputs)])]
    closers = [None]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            closer = closers.pop()
            if closer is not None:
                tokens.append(("close", closer))
            continue
        key, value = item
        if key is not _END:
            tokens.append(("key", key))
        if isinstance(value, Mapping):
            tokens.append(("open", "dict"))
            stack.append(iter(list(value.items())))
            closers.append("dict")
        elif isinstance(value, list | tuple):
            kind = "tuple" if isinstance(value, tuple) else "list"
            tokens.append(("open", kind))
            stack.append(iter([(_END, v) for v in value]))
            closers.append(kind)
        elif isinstance(value, Expr | np.ndarray) or (
            isinstance(value, numbers.Real) and not isinstance(value, bool)
        ):
            tokens.append(("leaf", len(leaves)))
            leaves.append(as_expr(value))
        else:
            raise TypeError(
                f"{owner}: outputs must be Exprs, numbers, or (nested) lists, tuples "
                f"and dicts of them; got {value!r} ({type(value).__name__})"
            )
    return leaves, tokens


_BRACKETS = {"list": ("[", "]"), "tuple": ("(", ")"), "dict": ("{", "}")}


def _render(tokens, leaf, key):
    """Yield the pieces of the text of a structure (leaf(i), key(k) give the text)."""
    counts = []  # [kind, number of items so far] of the open brackets
    after_key = False
    for kind, val in tokens:
        if kind == "close":
            k, n = counts.pop()
            if k == "tuple" and n == 1:
                yield ","
            yield _BRACKETS[k][1]
            continue
        if counts and not after_key:
            if counts[-1][1]:
                yield ", "
            counts[-1][1] += 1
        after_key = False
        if kind == "key":
            yield key(val)
            yield ": "
            after_key = True
        elif kind == "open":
            yield _BRACKETS[val][0]
            counts.append([val, 0])
        else:
            yield leaf(val)


# -- literals --------------------------------------------------------------------------


def _float_of(v):
    try:
        return float(v)
    except OverflowError:
        return float("inf") if v > 0 else float("-inf")


def _float_text(v):
    if v != v:
        return "np.nan"
    if v in (float("inf"), float("-inf")):
        return "np.inf" if v > 0 else "-np.inf"
    return repr(v)


def _literal(v, typed_as=None):
    """Source of a scalar constant: a Python number, or ``np.<dtype>(...)``."""
    if typed_as is not None:
        return f"{typed_as}({_float_text(_float_of(v))})"
    if isinstance(v, int) and abs(v) <= 2**53:
        text = str(v)
    else:
        text = _float_text(_float_of(v))
    return f"({text})" if text.startswith("-") else text


def _key_literal(k):
    """Source of a dict key of an exported module, or None if it has no literal."""
    if k is None or isinstance(k, bool | int | str):
        return repr(k)
    if isinstance(k, float) and np.isfinite(k):
        return repr(k)
    return None


def _array_literal(arr):
    flat = [_float_text(_float_of(v)) for v in arr.ravel().tolist()]
    groups = flat
    for d in reversed(arr.shape):
        groups = [
            "[" + ", ".join(groups[i : i + d]) + "]" for i in range(0, len(groups), d)
        ]
    return groups[0]


def _doc_pieces(text):
    """Escape text for a triple-quoted docstring: printable ASCII stays, the rest and
    backslashes and quotes become escape sequences (so it cannot end the string)."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            o = ord(ch)
            out.append(
                f"\\x{o:02x}"
                if o < 0x100
                else f"\\u{o:04x}"
                if o < 0x10000
                else f"\\U{o:08x}"
            )
    return out


def _doc_lines(text, indent, width=WIDTH - 4):
    """Escaped ``text`` filled into lines of at most ``width`` columns."""
    lines = []
    cur = ""
    room = width - len(indent)
    for word in text.split():
        pieces = _doc_pieces(word)
        esc = "".join(pieces)
        if cur and len(cur) + 1 + len(esc) <= room:
            cur += " " + esc
            continue
        if cur:
            lines.append(indent + cur)
            cur = ""
        for piece in pieces:  # a word longer than a line is cut between characters
            if len(cur) + len(piece) > room:
                lines.append(indent + cur)
                cur = ""
            cur += piece
    if cur:
        lines.append(indent + cur)
    return lines


# Python's binding strength of the operators templates use (higher binds tighter)
_PY_PREC = {"+": 10, "-": 10, "*": 20, "/": 20, "//": 20, "%": 20, "@": 20, "**": 40}
_UNARY_PREC = 30
_ATOM = 100
_BINARY_TEMPLATE = re.compile(r"\{0\} (\*\*|//|[-+*/%@]) \{1\}")


def _slots(template, arity):
    """For each operand of a string template, the least precedence an expression needs
    to go into its slot without parentheses; None if an operand is used twice."""
    if any(template.count(f"{{{i}}}") != 1 for i in range(arity)):
        return None
    m = _BINARY_TEMPLATE.fullmatch(template)
    if m:
        p = _PY_PREC[m.group(1)]
        # left-associative: an equal-precedence right operand keeps its parentheses
        # (evaluation order matters in floating point); ** is right-associative
        return (p + 1, p + 1) if m.group(1) == "**" else (p, p + 1)
    if template == "-{0}":
        return (_UNARY_PREC,)
    out = []
    for i in range(arity):
        at = template.index(f"{{{i}}}")
        end = at + len(f"{{{i}}}")
        before, after = template[:at].rstrip(" "), template[end:].lstrip(" ")
        in_call = before.endswith(("(", ",")) and after.startswith((")", ","))
        out.append(0 if in_call else _ATOM)
    return tuple(out)


def _precedence(template, text):
    if isinstance(template, str):
        m = _BINARY_TEMPLATE.fullmatch(template)
        if m:
            return _PY_PREC[m.group(1)]
        if template == "-{0}":
            return _UNARY_PREC
    return _ATOM if _atomic(text) else 0


def _atomic(text):
    """True if ``text`` needs no parentheses as an operand (a name, number or call)."""
    if _NAME_OR_NUMBER.fullmatch(text):
        return True
    m = _CALL.match(text)
    start = m.end() - 1 if m else 0 if text.startswith("(") else None
    if start is None:
        return False
    depth = 0
    quote = None
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


# -- line layout -----------------------------------------------------------------------


def _pieces(body):
    """Split source text at the spaces between its tokens (never inside a string)."""
    if "'" not in body and '"' not in body:  # no string: every space is between tokens
        return body.split(" ")
    try:
        toks = [
            t
            for t in tokenize.generate_tokens(io.StringIO(body).readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, SyntaxError):  # pragma: no cover - defensive
        return [body]
    pieces = []
    start = 0
    for prev, tok in itertools.pairwise(toks):
        gap_from, gap_to = prev.end[1], tok.start[1]
        if prev.end[0] == tok.start[0] == 1 and gap_to > gap_from:
            pieces.append(body[start:gap_from])
            start = gap_to
    pieces.append(body[start:])
    return pieces


def _emit(lines, indent, head, body):
    """Append ``indent + head + body``, wrapped in parentheses if it is too long."""
    line = indent + head + body
    if len(line) <= WIDTH:
        lines.append(line)
        return
    inner = indent + "    "
    room = WIDTH - len(inner)
    # break after commas where possible, elsewhere between tokens only if needed
    segments = [[]]
    for p in _pieces(body):
        segments[-1].append(p)
        if p.endswith(","):
            segments.append([])
    lines.append(indent + head + "(")
    cur = ""
    for seg in segments:
        text = " ".join(seg)
        if not text:
            continue
        parts = [text] if len(text) <= room else seg
        for p in parts:
            if cur and len(cur) + 1 + len(p) > room:
                lines.append(inner + cur)
                cur = p
            else:
                cur = f"{cur} {p}" if cur else p
    lines.append(inner + cur)
    lines.append(indent + ")")


def _emit_def(lines, name, params):
    line = f"def {name}({', '.join(params)}):"
    if len(line) <= WIDTH:
        lines.append(line)
        return
    lines.append(f"def {name}(")
    cur = ""
    for p in params:
        if cur and len(cur) + len(p) + 6 > WIDTH:
            lines.append("    " + cur.rstrip())
            cur = ""
        cur += p + ", "
    lines.append("    " + cur.rstrip())
    lines.append("):")


# -- the printer -----------------------------------------------------------------------


class _Unit:
    """What the functions of one generated module share: dtype, constants, helpers."""

    def __init__(self, dtype, export, owner):
        self.dtype = dtype
        self.dname = f"np.{dtype.name}"
        self.export = export
        self.owner = owner
        self.consts = {}  # array Const node -> module-level name
        self.namespace = {"np": np}  # values the lambdify code refers to by name
        self.helpers = set()
        self.key_names = {}
        self._ops = {}

    def array_name(self, node):
        name = self.consts.get(node)
        if name is None:
            name = self.consts[node] = f"_c{len(self.consts)}"
            value = np.array(node.value, dtype=self.dtype)
            value.setflags(write=False)
            self.namespace[name] = value
        return name

    def key_text(self, k):
        if self.export:
            text = _key_literal(k)
            if text is None:
                raise ValueError(
                    f"{self.owner}: dict keys of outputs must be str, int, float, bool "
                    f"or None to be written in a module, got {k!r}"
                )
            return text
        if isinstance(k, str | int) and not isinstance(k, bool):
            return repr(k)
        name = self.key_names.setdefault(id(k), f"_k{len(self.key_names)}")
        self.namespace[name] = k
        return name

    def function(self, name, args, names, outputs, doc=()):
        """Source lines of the function ``name(*names)`` computing ``outputs``."""
        leaves, tokens = _flatten(outputs, self.owner)
        order = topo_order(*leaves)
        mask = self._masks(order, args)
        full = (1 << len(args)) - 1
        uses = {}
        for node in order:
            for a in node.args:
                uses[a] = uses.get(a, 0) + 1
        for leaf in leaves:
            uses[leaf] = 2  # outputs are returned by name

        # Shared nodes (and outputs) get an assignment.  A node used once is written
        # into its consumer's expression, up to a small depth: that is the same
        # computation in fewer statements, and its temporary dies at once.
        self._ref = dict(zip(args, names, strict=True))  # node -> name in the code
        self._stmts = []  # (target, rhs, temporaries it reads)
        self._temps = set()
        self._pending = {}  # node used once -> (text, depth, temporaries it reads)
        self._args_read = set()
        for node in order:
            if node.op == "symbol":
                continue
            if node.op == "const":
                if node.shape:
                    self._ref[node] = self.array_name(node)
                continue
            text, depth, reads, prec = self._expression(node, mask)
            if uses[node] == 1:
                self._pending[node] = (text, depth, reads, prec)
            else:
                self._assign(node, text, reads)
        stmts, ref = self._stmts, self._ref

        # outputs that are leaves or miss an argument are materialised at full shape
        out_text = []
        need_batch = False
        for leaf in leaves:
            text = ref.get(leaf) or _literal(leaf.value)
            if not leaf.args or mask[leaf] != full:
                need_batch = True
                shape = f"_b + {leaf.shape!r}" if leaf.shape else "_b"
                if leaf.args:  # computed here: filled out only if it has to be
                    self.helpers.add("_full")
                    text = f"_full({text}, {shape})"
                else:  # an argument or a constant: always a new array
                    text = f"np.full({shape}, {text}, dtype={self.dname})"
            out_text.append(text)
        keep = {ref[leaf] for leaf in leaves if ref.get(leaf) in self._temps}
        args_read = set(args) if need_batch else self._args_read
        last = {}
        for i, (_, _, reads) in enumerate(stmts):
            for t in reads:
                last[t] = i

        lines = []
        _emit_def(lines, name, names)
        lines.extend(doc)
        ind = "    "
        for s, n in zip(args, names, strict=True):
            if s not in args_read:
                continue
            if s.shape:
                self.helpers.add("_arg")
                _emit(lines, ind, f"{n} = ", f'_arg({n}, {s.shape!r}, "{n}")')
            else:
                _emit(lines, ind, f"{n} = ", f"np.asarray({n}, dtype={self.dname})")
        if need_batch:
            parts = [
                f"np.shape({n})[: np.ndim({n}) - {s.ndim}]"
                if s.shape
                else f"np.shape({n})"
                for s, n in zip(args, names, strict=True)
            ]
            if len(parts) > 1:
                batch = f"np.broadcast_shapes({', '.join(parts)})"
            else:
                batch = parts[0] if parts else "()"
            _emit(lines, ind, "_b = ", batch)
        for i, (target, rhs, reads) in enumerate(stmts):
            _emit(lines, ind, f"{target} = ", rhs)
            dead = [t for t in dict.fromkeys(reads) if last[t] == i and t not in keep]
            if dead:
                _emit(lines, ind, "del ", ", ".join(dead))
        ret = "".join(_render(tokens, out_text.__getitem__, self.key_text))
        _emit(lines, ind, "return ", ret)
        return lines

    def _assign(self, node, text, reads):
        target = f"_t{len(self._stmts)}"
        self._stmts.append((target, text, reads))
        self._ref[node] = target
        self._temps.add(target)
        return target

    def _op_info(self, op, arity):
        """(code, operand slots, precedence, elementwise) of an op, looked up once."""
        key = (op, arity)
        info = self._ops.get(key)
        if info is None:
            spec = OPS[op]
            code = spec.code
            if code is None:
                raise NotImplementedError(
                    f"{self.owner}: the op {op!r} has no numpy code template "
                    f"(OPS[{op!r}].code in symdiff/ops.py), so it cannot be compiled"
                )
            if isinstance(code, str):
                slots = _slots(code, arity)
                prec = _precedence(code, code.format(*["_"] * arity))
            else:  # a function's text is only known per node
                slots = prec = None
            info = self._ops[key] = (code, slots, prec, spec.elementwise)
            helper = _HELPER_OF_OP.get(op)
            if helper is not None:
                self.helpers.add(helper)
        return info

    def _expression(self, node, mask):
        """Source of ``node``, its inlining depth, the temporaries it reads, and its
        precedence as a Python expression (None: work it out from the text)."""
        args = node.args
        code, slots, prec, elementwise = self._op_info(node.op, len(args))
        # constants meeting only constants are numpy scalars: numpy semantics, dtype
        typed = self.dname if mask[node] == 0 else None
        ndim = len(node.shape)
        pending_of = self._pending
        operands = []
        reads = []
        depth = 0
        for a in args:
            pending = pending_of.pop(a, None) if pending_of else None
            if pending is not None:
                text, d, r, p = pending
                # a template that uses each operand once can take operand expressions
                if slots and d < _INLINE_DEPTH and len(text) <= _INLINE_CHARS:
                    need = slots[len(operands)]
                    if (
                        need
                        and (p if p is not None else _precedence(None, text)) < need
                    ):
                        text = f"({text})"
                    if d >= depth:
                        depth = d + 1
                    reads += r
                else:
                    text = self._assign(a, text, r)
                    reads.append(text)
            else:
                text = self._ref.get(a)
                if text is None:  # a scalar constant, written in place
                    text = _literal(a.value, typed)
                elif text in self._temps:
                    reads.append(text)
                elif a.op == "symbol":
                    self._args_read.add(a)
            if elementwise and len(a.shape) < ndim and mask[a]:
                # keep a batch prefix a prefix: (*batch, *a.shape) gets 1s inserted
                # in front of a's own axes, not in front of the batch
                axes = tuple(range(-ndim, -len(a.shape)))
                text = f"np.expand_dims({text}, {axes!r})"
            operands.append(text)
        if slots is not None or isinstance(code, str):
            rhs = code.format(*operands)
        else:
            rhs = code(node, operands)
        if not args:  # an op like pi: a constant of the chosen dtype
            if node.shape:
                rhs = f"np.asarray({rhs}, dtype={self.dname})"
            else:
                rhs = f"{self.dname}({rhs})"
            prec = _ATOM
        return rhs, depth, reads, prec

    def _masks(self, order, args):
        """Bit i of a node's mask is set when it depends on ``args[i]``."""
        bit = {s: 1 << i for i, s in enumerate(args)}
        mask = {}
        for node in order:
            if node.op == "symbol":
                m = bit.get(node)
                if m is None:
                    shape = f" (shape {node.shape})" if node.shape else ""
                    raise ValueError(
                        f"{self.owner}: the outputs depend on the symbol "
                        f"{node.name!r}{shape}, which is not in args "
                        f"{[s.name for s in args]}"
                    )
                mask[node] = m
            else:
                m = 0
                for a in node.args:
                    m |= mask[a]
                mask[node] = m
        return mask

    def helper_source(self, name):
        return _HELPERS[name].format(dtype=self.dname)


def _register_source(filename, source, owner):
    """Let linecache (so inspect.getsource and tracebacks) see generated source."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    weakref.finalize(owner, linecache.cache.pop, filename, None)


# -- public API ------------------------------------------------------------------------


def lambdify(args, outputs, *, dtype="float64"):
    """Compile expressions to a vectorized numpy function.

    The generated code has one assignment per shared node of the DAG, in topological
    order, so common subexpressions are computed once and very deep expressions
    compile.  Arguments may be numbers or arrays; they broadcast, and every output has
    the broadcast shape of the inputs (a constant output, or one that does not depend
    on some argument, is filled out to that shape).  A tensor symbol's value may carry
    extra leading (batch) dimensions, which the outputs then carry too.

    Parameters
    ----------
    args : Symbol or sequence of Symbol
        The positional parameters of the function, in order.
    outputs : Expr, number, or (nested) list / tuple / dict of them
        What to compute; the function returns the same structure.
    dtype : numpy dtype, optional
        Floating (or complex) dtype of the computation: inputs are converted to it and
        constants are written in it.  ``float64`` by default.

    Returns
    -------
    callable
        A plain Python function.  Its source is ``fn.source`` and
        ``inspect.getsource(fn)`` shows it; tracebacks point at its lines.
        ``fn.symbols`` is ``args`` as a tuple.  Symbol names
        that are not plain identifiers are mangled (see :func:`code_names`), which
        matters only when passing arguments by keyword.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import symbols, diff, grad, sin, lambdify
    >>> x, y = symbols("x y")
    >>> f = lambdify([x, y], grad(x**2 * sin(y), [x, y]))
    >>> [float(v) for v in f(1.0, 0.0)]
    [0.0, 1.0]
    >>> lambdify([x], diff(3 * x, x))(np.arange(4.0))
    array([3., 3., 3., 3.])
    >>> print(lambdify([x], [sin(x)**2, sin(x) * x]).source)
    def _lambdified(x):
        x = np.asarray(x, dtype=np.float64)
        _t0 = np.sin(x)
        _t1 = _t0 ** 2
        _t2 = x * _t0
        del _t0
        return [_t1, _t2]
    <BLANKLINE>
    """
    with paused_gc():
        return _lambdify(args, outputs, dtype)


def _lambdify(args, outputs, dtype):
    owner = "lambdify"
    dt = _check_dtype(dtype, owner)
    args = _check_args(args, owner)
    names = code_names(args)
    unit = _Unit(dt, export=False, owner=owner)
    lines = unit.function("_lambdified", args, names, outputs)
    namespace = unit.namespace
    if "_erf" in unit.helpers:  # here scipy's erf; exported modules carry their own
        namespace["_erf"] = _scipy_erf()
    for helper in sorted(unit.helpers - {"_erf"}, reverse=True):
        lines = unit.helper_source(helper).rstrip().split("\n") + ["", ""] + lines
    source = "\n".join(lines) + "\n"
    filename = f"<symdiff-lambdify-{next(_counter)}>"
    # Executing generated text is safe: it consists of op-table templates, numbers
    # formatted by this module and checked or mangled identifiers; no user-supplied
    # text reaches it (constant arrays and dict keys are passed in `namespace`).
    exec(compile(source, filename, "exec"), namespace)
    fn = namespace["_lambdified"]
    fn.source = source
    fn.symbols = tuple(args)
    _register_source(filename, source, fn)
    return fn


def export_module(functions, args, path=None, *, dtype="float64"):
    """Write a standalone Python module (numpy only) computing the given functions.

    Parameters
    ----------
    functions : dict
        Maps function names (identifiers) to outputs, as in :func:`lambdify`: an Expr
        or a (nested) list / tuple / dict of Exprs.
    args : sequence of Symbol
        The parameters every function takes, in order.
    path : str or path-like, optional
        Where to write the module (UTF-8).  The source is returned either way.
    dtype : numpy dtype, optional
        Floating dtype of the computation (``float64`` by default).

    Returns
    -------
    str
        The module's source.  It imports only numpy, says in its docstring what it
        computes and with which symdiff version, passes ``ruff check`` and is
        deterministic: the same input gives byte-identical text.

    Examples
    --------
    >>> from symdiff import symbols, grad, sin, export_module
    >>> x, y = symbols("x y")
    >>> f = x**2 * sin(y)
    >>> src = export_module({"f": f, "grad_f": grad(f, [x, y])}, [x, y])
    >>> namespace = {}
    >>> exec(src, namespace)
    >>> [float(v) for v in namespace["grad_f"](2.0, 0.0)]
    [0.0, 4.0]
    """
    owner = "export_module"
    dt = _check_dtype(dtype, owner)
    args = _check_args(args, owner)
    if not isinstance(functions, Mapping) or not functions:
        raise TypeError(
            f"{owner}: functions must be a non-empty dict mapping names to outputs, "
            f"got {functions!r}"
        )
    for fname in functions:
        if (
            not isinstance(fname, str)
            or not fname.isascii()
            or not fname.isidentifier()
            or fname.startswith("_")
            or fname in _RESERVED
            or len(fname) > 60
        ):
            raise ValueError(
                f"{owner}: function name {fname!r} must be an ASCII identifier of at "
                "most 60 characters that is not a keyword or builtin, not 'np', and "
                "does not start with '_'"
            )
    names = code_names(args)
    unit = _Unit(dt, export=True, owner=owner)
    bodies = []
    with paused_gc():
        for fname, outputs in functions.items():
            doc = f'    """Compute {fname} (see the module docstring)."""'
            if len(doc) > WIDTH:
                doc = '    """See the module docstring."""'
            bodies.append(unit.function(fname, args, names, outputs, [doc]))
        return _module_text(unit, functions, args, names, bodies, path)


def _expr_doc(outputs):
    leaves, tokens = _flatten(outputs, "export_module")
    text = []
    size = 0
    for piece in _render(tokens, lambda i: str(leaves[i]), repr):
        if size + len(piece) > _DOC_EXPR_CHARS:
            text.append(piece[: _DOC_EXPR_CHARS - size] + " ...")
            break
        text.append(piece)
        size += len(piece)
    return "".join(text)


def _module_text(unit, functions, args, names, bodies, path):
    from symdiff import __version__

    sig = ", ".join(names)
    doc = [f'"""Functions generated by symdiff {__version__}; needs only numpy.', ""]
    doc += _doc_lines(
        f"Every function takes the arguments ({sig}): numbers or numpy arrays, which "
        "broadcast; every result has the broadcast shape (plus its own shape).",
        "",
    )
    mangled = [(s, n) for s, n in zip(args, names, strict=True) if s.name != n]
    if mangled:
        doc += ["", "Arguments renamed to be identifiers:"]
        for s, n in mangled:
            doc += _doc_lines(f"{n}: the symbol {s.name!r}", "    ")
    doc.append("")
    for fname, outputs in functions.items():
        head = f"{fname}({sig}) computes:"
        doc.append(head if len(head) <= WIDTH - 4 else f"{fname} computes:")
        doc += _doc_lines(_expr_doc(outputs), "    ")
    doc.append('"""')

    lines = doc + ["", "import numpy as np"]
    if unit.consts:
        lines.append("")
        for node, cname in unit.consts.items():
            value = np.asarray(node.value)
            if value.size:
                body = f"np.array({_array_literal(value)}, dtype={unit.dname})"
            else:
                body = f"np.zeros({value.shape!r}, dtype={unit.dname})"
            _emit(lines, "", f"{cname} = ", body)
    for helper in sorted(unit.helpers):
        lines += ["", ""] + unit.helper_source(helper).rstrip("\n").split("\n")
    for body in bodies:
        lines += ["", ""] + body
    lines.append("")
    lines.append("")
    _emit(lines, "", "__all__ = ", "[" + ", ".join(f'"{f}"' for f in functions) + "]")
    source = "\n".join(lines) + "\n"
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(source)
    return source
