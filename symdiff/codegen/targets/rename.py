"""Mapping the numpy names of generated code to another target's names.

The op rows' numpy code templates (``OpSpec.code``: ``"np.sin({0})"``) are the single
source of what each op computes.  A target other than numpy does not keep a second copy
of the op list: it maps the *names* those templates (and the writer) use, through a
table of its own, with Python's tokenizer, so text inside strings (dict keys of the
outputs) is never touched.  A dotted name followed by ``(`` is looked up first with the
``(`` (``"np.float64("``: a call), then without it (``"np.float64"``: a value).
"""

from __future__ import annotations

import io
import re
import tokenize

__all__ = ["code_names_of_op", "rename"]

_SENTINEL = "\x00{}\x00"  # stands for an operand while a template is inspected
_DOTTED = re.compile(r"\b(np(?:\.[A-Za-z_][A-Za-z0-9_]*)+|_[a-z]+)\b")


def code_names_of_op(node):
    """The names (``np.sin``, ``_erf``...) the numpy code of ``node``'s op uses.

    Examples
    --------
    >>> from symdiff import Symbol, sin
    >>> sorted(code_names_of_op(sin(Symbol("x"))))
    ['np.sin']
    """
    from symdiff.core.spec import OPS

    code = OPS[node.op].code
    operands = [_SENTINEL.format(i) for i in range(len(node.args))]
    if code is None:
        return set()
    text = code.format(*operands) if isinstance(code, str) else code(node, operands)
    return set(_DOTTED.findall(text))


def _dotted_at(toks, i):
    """The dotted name starting at token ``i`` and the index after it."""
    parts = [toks[i].string]
    j = i + 1
    while (
        j + 1 < len(toks)
        and toks[j].type == tokenize.OP
        and toks[j].string == "."
        and toks[j + 1].type == tokenize.NAME
    ):
        parts.append(toks[j + 1].string)
        j += 2
    return ".".join(parts), j


def rename(source, table, default=None):
    """``source`` with the dotted names in ``table`` replaced.

    ``table`` maps a name (``"np.sin"``) or a call (``"np.heaviside("``, replaced
    together with its parenthesis) to its replacement text.  A name starting with
    ``np.`` that is not in the table becomes ``default`` + the rest of the name when
    ``default`` is given, and raises ``KeyError`` otherwise.  A name preceded by a dot
    (an attribute, ``a.dtype``) is never a candidate.

    Examples
    --------
    >>> table = {"np.sin(": "xp.sin("}
    >>> print(rename("y = np.sin(x) + np.pi  # 'np.sin'", table, "xp."))
    y = xp.sin(x) + xp.pi  # 'np.sin'
    """
    lines = source.splitlines(True)
    toks = list(tokenize.generate_tokens(io.StringIO(source).readline))
    edits = []  # (row, col_from, row_end, col_to, text)
    i = 0
    while i < len(toks):
        tok = toks[i]
        after_dot = i and toks[i - 1].string == "." and toks[i - 1].type == tokenize.OP
        if tok.type != tokenize.NAME or after_dot:
            i += 1
            continue
        name, j = _dotted_at(toks, i)
        call = j < len(toks) and toks[j].string == "("
        end = toks[j].end if call and name + "(" in table else toks[j - 1].end
        new = table.get(name + "(") if call else None
        if new is None:
            end = toks[j - 1].end
            new = table.get(name)
        if new is None and name.startswith("np."):
            if default is None:
                raise KeyError(name)
            new = default + name[3:]
        if new is not None:
            edits.append((tok.start, end, new))
        i = j
    for (r0, c0), (r1, c1), new in reversed(edits):
        head = lines[r0 - 1][:c0]
        tail = lines[r1 - 1][c1:]
        lines[r0 - 1 : r1] = [head + new + tail]
    return "".join(lines)


_HEAD = re.compile(r"(\s*)((?:[A-Za-z_][A-Za-z0-9_]* = )|return )?(.*)")


def relayout(lines):
    """Statements wrapped (or not) for their old text, wrapped again for their new.

    ``lines`` come from :func:`symdiff.codegen.source.append_statement`, which writes
    a long statement as ``head (``, lines of the body, ``)``.

    Examples
    --------
    >>> relayout(["    y = (", "        a + b", "    )"])
    ['    y = a + b']
    """
    from symdiff.codegen.source import WIDTH, append_statement, is_atomic

    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _HEAD.fullmatch(line)
        indent, head, body = m.group(1), m.group(2) or "", m.group(3)
        closing = indent + ")"
        if head and body == "(":
            j = lines.index(closing, i + 1)
            body = " ".join(part.strip() for part in lines[i + 1 : j])
            if body.startswith("(") and is_atomic(body):  # one pair is enough
                body = body[1:-1]
            append_statement(out, indent, head, body)
            i = j + 1
            continue
        if len(line) > WIDTH and head:
            append_statement(out, indent, head, body)
        else:
            out.append(line)
        i += 1
    return out
