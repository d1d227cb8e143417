"""MkDocs hook: ``$...$`` and ``$$...$$`` in the docs become MathML when the site is
built (latex2mathml), so pages show formulas with no script and no network. Code blocks
and inline code are left alone."""

import re

from latex2mathml.converter import convert

_FENCED = re.compile(r"(^```.*?^```[^\n]*$)", re.M | re.S)
_INLINE_CODE = re.compile(r"(`[^`\n]*`)")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")


def _math(text):
    text = _DISPLAY.sub(lambda m: convert(m.group(1).strip(), display="block"), text)
    return _INLINE.sub(lambda m: convert(m.group(1)), text)


def on_page_markdown(markdown, **kwargs):
    """Convert the math of one page (the MkDocs event of that name)."""
    parts = _FENCED.split(markdown)
    for i in range(0, len(parts), 2):  # even parts are outside fenced code
        pieces = _INLINE_CODE.split(parts[i])
        pieces[::2] = [_math(p) for p in pieces[::2]]
        parts[i] = "".join(pieces)
    return "".join(parts)
