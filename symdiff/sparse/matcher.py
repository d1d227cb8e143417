"""Compiled term matchers: which of many terms are instances of one template.

Re-rolling (:mod:`symdiff.sparse.reroll`) needs the signature of every term of a
sum or every output of a residual list; they are mostly a few templates repeated
``n`` times.  Once a template is known (:mod:`symdiff.sparse.signature`), checking
that a term is an instance of it and reading its slots is a fixed walk, so it is
compiled to straight-line Python: per term a few attribute reads and comparisons,
no stack, no dict entry per node (a few times faster than the general pass).

The generated source holds only variable names made here; the ops and parameters
it compares against are bound in its namespace, never written into the text.
"""

from __future__ import annotations

from symdiff.core.spec import OPS

__all__ = ["MAX_COMPILED", "matcher"]

# templates bigger than this many nodes are not compiled (the general pass does them)
MAX_COMPILED = 48
_CACHE: dict = {}  # pattern -> compiled matcher (patterns repeat across builds)
_CACHE_MAX = 256


def matcher(pattern):
    """A function ``match(terms, positions, get, tag) -> (found, sigs, misses)``
    for the preorder ``pattern`` (``(op, params)`` per node, ``(None, None)`` for a
    symbol slot, ``(False, None)`` for a constant slot), or None where it is not
    compiled.

    ``found`` are the positions of the terms that are instances (``get`` maps a
    symbol to its index, None outside), ``sigs`` their ``(tag, symbol indices,
    constants)``, ``misses`` the positions of the others, all in order.

    Examples
    --------
    >>> from symdiff import symbols, exp
    >>> x, y = symbols("x y")
    >>> match = matcher((("sub", ()), ("exp", ()), (None, None), (False, None)))
    >>> match([exp(x) - 2.0, x - 2.0, exp(y) - 3.0], [0, 1, 2], {x: 0, y: 1}.get, 7)
    ([0, 2], [(7, (0,), (2.0,)), (7, (1,), (3.0,))], [1])
    """
    if len(pattern) > MAX_COMPILED:
        return None
    try:
        hash(pattern)
    except TypeError:
        # parameters that do not hash (arrays) would not compare as one truth value
        # either: the general pass does those
        return None
    fn = _CACHE.get(pattern)
    if fn is None:
        fn = _compile(pattern)
        if fn is not None:
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.clear()
            _CACHE[pattern] = fn
    return fn


def _compile(pattern):
    namespace = {"CONST": "const"}
    body = []
    names = ["v0"]  # the variables of the nodes still to read (a stack)
    fresh, syms, consts = 1, [], []
    for e, (op, params) in enumerate(pattern):
        v = names.pop()
        if op is None:
            s = f"s{len(syms)}"
            syms.append(s)
            body += [f"{s} = get({v})", f"if {s} is None: miss(k); continue"]
            continue
        if op is False:
            c = f"c{len(consts)}"
            consts.append(c)
            body += [
                f"if {v}.op != CONST or {v}.shape: miss(k); continue",
                f"{c} = {v}._items[0][1]",
            ]
            continue
        arity = OPS[op].arity
        if arity is None or arity < 1:
            return None
        namespace[f"O{e}"] = op
        kids = [f"v{fresh + j}" for j in range(arity)]
        fresh += arity
        if params == ():  # (no parameters: an empty tuple of items)
            check = f"if {v}.op != O{e} or {v}._items: miss(k); continue"
        else:
            namespace[f"P{e}"] = params
            check = f"if {v}.op != O{e} or {v}._items != P{e}: miss(k); continue"
        body += [check, f"{', '.join(kids)}, = {v}.args"]
        names.extend(reversed(kids))
    if names:  # a pattern that is not one whole tree
        return None
    # the ops and parameters compared against: keyword defaults, read as fast locals
    bound = ", ".join(f"{key}={key}" for key in namespace)
    lines = [
        f"def match(terms, positions, get, tag, *, {bound}):",
        "    found, sigs, misses = [], [], []",
        "    at, hit, miss = found.append, sigs.append, misses.append",
        "    for k, v0 in zip(positions, terms):",
    ]
    lines += ["        " + line for line in body]
    lines.append("        at(k)")
    lines.append(
        f"        hit((tag, ({''.join(s + ', ' for s in syms)}), "
        f"({''.join(c + ', ' for c in consts)})))"
    )
    lines.append("    return found, sigs, misses")
    source = "\n".join(lines) + "\n"
    exec(compile(source, "<symdiff.sparse.matcher>", "exec"), namespace)
    return namespace["match"]
