"""The explicit-stack emitter every printer shares (no recursion over expressions)."""


def emit(root, layout, prec, lparen, rparen):
    """Text of ``root`` from a ``layout(node)`` of pieces, with an explicit stack.

    A layout is a list of literal strings and child slots ``(child, need, strict)``: the
    child is wrapped in ``lparen``/``rparen`` when its ``prec(child)`` is below
    ``need`` (or equal to it, for a ``strict`` slot: the right operand of ``-``).  The
    stack replaces recursion, so a 100,000-deep chain prints in linear time.

    Examples
    --------
    >>> from symdiff import symbols
    >>> x, y = symbols("x y")
    >>> def layout(n):
    ...     if not n.args:
    ...         return [n.name]
    ...     return [(n.args[0], 1, False), " & ", (n.args[1], 1, True)]
    >>> emit(x - y, layout, lambda n: 100 if not n.args else 1, "[", "]")
    'x & y'
    """
    out = []
    stack = [(root, 0, False)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, need, strict = item
        p = prec(node)
        pieces = layout(node)
        if p < need or (strict and p == need):
            pieces = [lparen, *pieces, rparen]
        stack.extend(reversed(pieces))
    return "".join(out)
