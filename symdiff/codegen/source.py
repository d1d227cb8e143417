"""The text of generated source: literals, operand parentheses, line layout, helpers.

Everything here works on strings only (no expression DAGs): how a number or an array is
written, whether an operand needs parentheses in a template's slot (from Python's
operator precedence, :mod:`symdiff.printing.precedence`), how a long statement is
wrapped to fit 88 columns, how text is escaped into a docstring, and the source of the
small helper functions that generated code calls.
"""

from __future__ import annotations

import io
import itertools
import re
import tokenize

import numpy as np

from symdiff.printing.precedence import ATOM, BINARY, UNARY, of_operator

WIDTH = 88  # generated lines fit the project's (and ruff's) line length
INDENT = "    "  # one level of a function body
# the precedence of text whose form is not recognised: parenthesised in any operator
# slot (and a call argument's slot asks for nothing, so it goes there as it is)
LOOSEST = 0

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

_ERFC_SOURCE = '''\
def _erfc(x):
    """erfc = 1 - erf with numpy only, to a relative error below 1e-13 for every x.

    |x| < 1.5: 1 - erf(x), erf by the series of ``_erf`` (erfc > 0.03 there, so the
    subtraction costs little relative accuracy).  Otherwise erfc(|x|) = exp(-x**2) /
    (sqrt(pi) t), t the continued fraction of ``_erf`` (80 terms converge at 1.5),
    and erfc(x) = 2 - erfc(-x) below zero.  exp(-x**2) keeps its relative accuracy
    (x**2 rounded would cost x**2 ulps): x = h + l with h a multiple of 1/16, whose
    square is exact, and exp(-x**2) = exp(-h**2 / 2) exp(-l (x + h)) exp(-h**2 / 2),
    multiplied in that order so that a result below the normal range is rounded once.
    """
    ax = np.abs(x)
    small = ax < 1.5
    s = np.where(small, ax, 0.0)
    s2 = 2.0 * s * s
    acc = np.ones_like(s)
    for n in range(30, 0, -1):
        acc = 1.0 + acc * s2 / (2 * n + 1)
    erf = 1.1283791670955126 * np.exp(-s * s) * s * acc
    c = np.where(small, 1.5, np.minimum(ax, 30.0))
    t = c
    for k in range(80, 0, -1):
        t = c + 0.5 * k / t
    h = np.round(c * 16.0) / 16.0
    half = np.exp(-0.5 * h * h)
    tail = half * (np.exp(-(c - h) * (c + h)) / (1.7724538509055159 * t)) * half
    return np.where(small, 1.0 - np.sign(x) * erf, np.where(x < 0, 2.0 - tail, tail))
'''

_ARG_SOURCE = '''\
def _arg(value, shape, name):
    """A tensor argument as an array; extra leading dimensions are a batch."""
    if (
        value.__class__ is np.ndarray
        and value.dtype.type is {dtype}
        and value.shape == shape
    ):  # the usual call (an optimizer's point, the data): nothing to convert
        return value
    value = np.asarray(value, dtype={dtype})
    k = len(shape)
    if value.ndim < k or value.shape[value.ndim - k :] != shape:
        raise ValueError(
            f"argument {{name}} must have shape {{shape}} (or a batch of them, with "
            f"extra leading dimensions), got shape {{value.shape}}"
        )
    return value
'''

_ARGN_SOURCE = '''\
def _argn(value, shape, name, shown):
    """A tensor argument with named dimensions (None in ``shape``: bound after)."""
    if value.__class__ is not np.ndarray or value.dtype.type is not {dtype}:
        value = np.asarray(value, dtype={dtype})
    lead = value.ndim - len(shape)
    ok = lead >= 0
    if ok:
        for d, v in zip(shape, value.shape[lead:], strict=True):
            if d is not None and d != v:
                ok = False
    if not ok:
        raise ValueError(
            f"argument {{name}} must have shape {{shown}} (or a batch of them, with "
            f"extra leading dimensions), got shape {{value.shape}}"
        )
    return value
'''

_DIM_SOURCE = '''\
def _dim(name, *seen):
    """The size of a named dimension, the same in every argument that has it."""
    size, first, axis = seen[0]
    for other_size, other, other_axis in seen[1:]:
        if other_size != size:
            raise ValueError(
                f"dimension {{name!r}}: {{first}} has {{size}} (axis {{axis}}) but "
                f"{{other}} has {{other_size}} (axis {{other_axis}})"
            )
    return size
'''


_FULL_SOURCE = '''\
def _full(value, shape):
    """An output with the arguments' broadcast shape (copied only if it lacks some)."""
    if np.shape(value) == shape:
        return value
    return np.full(shape, value, dtype={dtype})
'''

_UNSLICE_SOURCE = '''\
def _unslice(a, before, after, axis, step=1):
    """Zeros before and after ``a`` along the (negative) ``axis``, and ``step - 1``
    zeros between its entries (a negative ``step``: ``a`` reversed): numpy.pad's
    result without its per-call cost (one allocation, one slice assignment)."""
    shape = a.shape
    if axis == -1 and step == 1:  # the usual case, without building an index tuple
        size = shape[-1]
        out = np.zeros(shape[:-1] + (before + size + after,), dtype=a.dtype)
        out[..., before : before + size] = a
        return out
    if step < 0:
        a, step = np.flip(a, axis), -step
    k = len(shape) + axis
    span = (shape[k] - 1) * step + 1 if shape[k] else 0
    out = np.zeros(shape[:k] + (before + span + after,) + shape[k + 1 :], a.dtype)
    out[(slice(None),) * k + (slice(before, before + span, step),)] = a
    return out
'''

_LOGSUMEXP_SOURCE = '''\
def _logsumexp(a, axis, keepdims):
    """log(sum(exp(a))) along ``axis``, shifted by the max (taken once)."""
    m = np.max(a, axis=axis, keepdims=True)
    if np.isfinite(m).all():
        out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True))
    else:  # a row of -inf (the answer -inf) or with +inf: shifted by 0
        m = np.where(np.isfinite(m), m, 0.0)
        with np.errstate(divide="ignore", over="ignore"):
            out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True))
    out += m
    return out if keepdims else np.squeeze(out, axis=axis)
'''

_SOFTMAX_SOURCE = '''\
def _softmax(a, axis):
    """exp(a) / sum(exp(a)) along ``axis``, shifted by the max (exp taken once)."""
    m = np.max(a, axis=axis, keepdims=True)
    if np.isfinite(m).all():
        e = np.exp(a - m)
        e /= np.sum(e, axis=axis, keepdims=True)
        return e
    m = np.where(np.isfinite(m), m, 0.0)  # rows of infinities: shifted by 0
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(a - m)
        return e / np.sum(e, axis=axis, keepdims=True)
'''

_LOG_SOFTMAX_SOURCE = '''\
def _log_softmax(a, axis):
    """a - logsumexp(a) along ``axis``, shifted by the max (taken once)."""
    m = np.max(a, axis=axis, keepdims=True)
    if np.isfinite(m).all():
        s = a - m
        return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
    s = a - np.where(np.isfinite(m), m, 0.0)  # rows of infinities: shifted by 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
'''

_TIMES_STEP_SOURCE = '''\
def _times_step(g, r, out):
    """g * sign(r) for r = maximum(x, 0), so r >= 0 or nan (a ReLU's backward pass):
    g where r > 0, 0 where r is 0, nan where r is nan; a boolean mask where sign
    would make a float array."""
    out = np.multiply(g, r > 0, out=out)
    if np.isnan(np.sum(r)):  # (r >= 0: only a nan sums to nan)
        np.copyto(out, np.nan, where=np.isnan(r))
    return out
'''

# helper name -> its source, a format string over the dtype's name (``np.float64``)
_HELPER_TEMPLATES = {
    "_arg": _ARG_SOURCE,
    "_argn": _ARGN_SOURCE,
    "_dim": _DIM_SOURCE,
    "_erf": _ERF_SOURCE.replace("{", "{{").replace("}", "}}"),
    "_erfc": _ERFC_SOURCE.replace("{", "{{").replace("}", "}}"),
    "_full": _FULL_SOURCE,
    "_logsumexp": _LOGSUMEXP_SOURCE.replace("{", "{{").replace("}", "}}"),
    "_softmax": _SOFTMAX_SOURCE.replace("{", "{{").replace("}", "}}"),
    "_log_softmax": _LOG_SOFTMAX_SOURCE.replace("{", "{{").replace("}", "}}"),
    "_unslice": _UNSLICE_SOURCE,
    "_times_step": _TIMES_STEP_SOURCE.replace("{", "{{").replace("}", "}}"),
}
# ops whose code calls a helper that the generated code must define (numpy has no erf
# nor erfc; erfc as 1 - erf would lose all relative accuracy above x = 6; the
# max-shifted ops take the max (and exp) once, and shift rows of infinities by 0)
HELPER_OF_OP = {
    "erf": "_erf",
    "erfc": "_erfc",
    "logsumexp": "_logsumexp",
    "softmax": "_softmax",
    "log_softmax": "_log_softmax",
    "unslice": "_unslice",
}


def helper_source(name, dtype_name):
    """Source of the helper function ``name`` computing in the dtype ``dtype_name``.

    Examples
    --------
    >>> print(helper_source("_full", "np.float32"))  # doctest: +ELLIPSIS
    def _full(value, shape):
    ...
        return np.full(shape, value, dtype=np.float32)
    <BLANKLINE>
    """
    return _HELPER_TEMPLATES[name].format(dtype=dtype_name)


# -- literals --------------------------------------------------------------------------


def _as_float(v):
    try:
        return float(v)
    except OverflowError:  # an int too large for a float
        return float("inf") if v > 0 else float("-inf")


def float_literal(v):
    """Source of the float ``v``, with ``np.nan`` / ``np.inf`` for the special values.

    Examples
    --------
    >>> float_literal(0.5), float_literal(float("-inf"))
    ('0.5', '-np.inf')
    """
    if v != v:
        return "np.nan"
    if v in (float("inf"), float("-inf")):
        return "np.inf" if v > 0 else "-np.inf"
    return repr(v)


def scalar_literal(v, typed_as=None):
    """Source of a scalar constant: a Python number, or ``<typed_as>(...)``.

    A negative number is parenthesised, so it can go into any operand slot.

    Examples
    --------
    >>> scalar_literal(2), scalar_literal(-0.5), scalar_literal(2, "np.float32")
    ('2', '(-0.5)', 'np.float32(2.0)')
    """
    if typed_as is not None:
        return f"{typed_as}({float_literal(_as_float(v))})"
    if isinstance(v, int) and abs(v) <= 2**53:
        text = str(v)
    else:
        text = float_literal(_as_float(v))
    return f"({text})" if text.startswith("-") else text


def key_literal(k):
    """Source of a dict key of an exported module, or None if it has no literal.

    Examples
    --------
    >>> key_literal("a"), key_literal(2.5), key_literal(object()) is None
    ("'a'", '2.5', True)
    """
    if k is None or isinstance(k, bool | int | str):
        return repr(k)
    if isinstance(k, float) and np.isfinite(k):
        return repr(k)
    return None


def array_literal(arr):
    """Source of the nested lists holding the values of the (non-empty) array ``arr``.

    Examples
    --------
    >>> array_literal(np.arange(4.0).reshape(2, 2))
    '[[0.0, 1.0], [2.0, 3.0]]'
    """
    flat = [float_literal(_as_float(v)) for v in arr.ravel().tolist()]
    groups = flat
    for d in reversed(arr.shape):
        groups = [
            "[" + ", ".join(groups[i : i + d]) + "]" for i in range(0, len(groups), d)
        ]
    return groups[0]


# -- docstrings ------------------------------------------------------------------------


def _escaped_chars(text):
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


def docstring_lines(text, indent, width=WIDTH - 4):
    """Escaped ``text`` filled into lines of at most ``width`` columns.

    Examples
    --------
    >>> docstring_lines('say "hi" to \\u00e9', "  ", width=12)
    ['  say \\\\"hi\\\\"', '  to \\\\xe9']
    """
    lines = []
    cur = ""
    room = width - len(indent)
    for word in text.split():
        pieces = _escaped_chars(word)
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


# -- operand parentheses ---------------------------------------------------------------

# "{0} <op> {1}" with one of Python's binary operators (longest first: ** before *)
_BINARY_TEMPLATE = re.compile(
    r"\{0\} ("
    + "|".join(re.escape(op) for op in sorted(BINARY, key=len, reverse=True))
    + r") \{1\}"
)
_NEGATION_TEMPLATE = "-{0}"
_CALL = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\(")
_NAME_OR_NUMBER = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?"
)


def operand_slots(template, arity):
    """For each operand of a string template, the least precedence an expression needs
    to go into its slot without parentheses; None if an operand is used twice.

    Examples
    --------
    >>> operand_slots("{0} - {1}", 2), operand_slots("np.sin({0})", 1)
    ((10, 11), (0,))
    """
    if any(template.count(f"{{{i}}}") != 1 for i in range(arity)):
        return None
    m = _BINARY_TEMPLATE.fullmatch(template)
    if m:
        p = of_operator(m.group(1))
        # left-associative: an equal-precedence right operand keeps its parentheses
        # (evaluation order matters in floating point); ** is right-associative
        return (p + 1, p + 1) if m.group(1) == "**" else (p, p + 1)
    if template == _NEGATION_TEMPLATE:
        return (UNARY,)
    out = []
    for i in range(arity):
        at = template.index(f"{{{i}}}")
        end = at + len(f"{{{i}}}")
        before, after = template[:at].rstrip(" "), template[end:].lstrip(" ")
        in_call = before.endswith(("(", ",")) and after.startswith((")", ","))
        out.append(LOOSEST if in_call else ATOM)
    return tuple(out)


def expression_precedence(template, text):
    """Precedence of ``text``, written from ``template`` (None: judge by the text).

    Examples
    --------
    >>> expression_precedence("{0} * {1}", "a * b"), expression_precedence(None, "f(a)")
    (20, 100)
    """
    if isinstance(template, str):
        m = _BINARY_TEMPLATE.fullmatch(template)
        if m:
            return of_operator(m.group(1))
        if template == _NEGATION_TEMPLATE:
            return UNARY
    return ATOM if is_atomic(text) else LOOSEST


def is_atomic(text):
    """True if ``text`` needs no parentheses as an operand (a name, number or call).

    Examples
    --------
    >>> is_atomic("np.sin(x)"), is_atomic("f(x) + g(x)"), is_atomic("(a, b)")
    (True, False, True)
    """
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


def _token_pieces(body):
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


def append_statement(lines, indent, head, body):
    """Append ``indent + head + body``, wrapped in parentheses if it is too long.

    Examples
    --------
    >>> lines = []
    >>> items = ", ".join(f"_t{i} * x" for i in range(14))
    >>> append_statement(lines, "    ", "return ", f"[{items}]")
    >>> print("\\n".join(lines))
        return (
            [_t0 * x, _t1 * x, _t2 * x, _t3 * x, _t4 * x, _t5 * x, _t6 * x, _t7 * x,
            _t8 * x, _t9 * x, _t10 * x, _t11 * x, _t12 * x, _t13 * x]
        )
    """
    line = indent + head + body
    if len(line) <= WIDTH:
        lines.append(line)
        return
    inner = indent + INDENT
    room = WIDTH - len(inner)
    # break after commas where possible, elsewhere between tokens only if needed
    segments = [[]]
    for p in _token_pieces(body):
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


def append_def(lines, name, params):
    """Append the line(s) ``def name(params):``, one parameter line per 88 columns.

    Examples
    --------
    >>> lines = []
    >>> append_def(lines, "f", ["x", "y"])
    >>> lines
    ['def f(x, y):']
    """
    line = f"def {name}({', '.join(params)}):"
    if len(line) <= WIDTH:
        lines.append(line)
        return
    lines.append(f"def {name}(")
    cur = ""
    for p in params:
        if cur and len(cur) + len(p) + 6 > WIDTH:
            lines.append(INDENT + cur.rstrip())
            cur = ""
        cur += p + ", "
    lines.append(INDENT + cur.rstrip())
    lines.append("):")
