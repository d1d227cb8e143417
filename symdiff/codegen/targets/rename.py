"""Mapping the numpy names of generated code to another target's names.

The op rows' numpy code templates (``OpSpec.code``: ``"np.sin({0})"``) are the single
source of what each op computes.  A target other than numpy does not keep a second copy
of the op list: it maps the *names* those templates (and the writer) use, through a
table of its own, with Python's tokenizer, so text inside strings (dict keys of the
outputs) is never touched.  A dotted name followed by ``(`` is looked up first with the
``(`` (``"np.float64("``: a call), then without it (``"np.float64"``: a value).
"""

from __future__ import annotations

import re

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


# string literals (dict keys, docstrings): never renamed inside
_STRING = re.compile(r"""('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")""")
# a dotted name not preceded by a dot or a word character, maybe called
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_NAME = re.compile(rf"(?<![\w.])({_IDENT}(?:\.{_IDENT})*)(\()?")


def rename(source, table, default=None):
    """``source`` with the dotted names in ``table`` replaced.

    ``table`` maps a name (``"np.sin"``) or a call (``"np.heaviside("``, replaced
    together with its parenthesis) to its replacement text.  A name starting with
    ``np.`` that is not in the table becomes ``default`` + the rest of the name when
    ``default`` is given, and raises ``KeyError`` otherwise.  A name preceded by a dot
    (an attribute, ``a.dtype``) is never a candidate, nor is text inside a string.

    Examples
    --------
    >>> table = {"np.sin(": "xp.sin("}
    >>> print(rename("y = np.sin(x) + np.pi  # 'np.sin'", table, "xp."))
    y = xp.sin(x) + xp.pi  # 'np.sin'
    """

    def sub(m):
        name, call = m.group(1), m.group(2)
        if call:
            new = table.get(name + "(")
            if new is not None:
                return new
        new = table.get(name)
        if new is None and name.startswith("np."):
            if default is None:
                raise KeyError(name)
            new = default + name[3:]
        if new is None:
            return m.group(0)
        return new + (call or "")

    pieces = _STRING.split(source)
    # even pieces are code, odd ones string literals
    return "".join(
        _NAME.sub(sub, piece) if k % 2 == 0 else piece for k, piece in enumerate(pieces)
    )


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
