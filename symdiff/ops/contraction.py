"""Rows of the op table: ``einsum`` (issue 12).

The subscripts are validated when the node is built (letters only, one term per
operand of its number of dimensions, equal sizes for equal letters, an explicit or
implied output of distinct input letters) and stored explicitly (``"ij,jk->ik"``).
A term may start with ``...``: leading dimensions that broadcast, numpy's way.

A letter repeated *within one operand* (numpy's ``"ii->i"`` diagonal and ``"ii"``
trace) is refused with a pointer to ``diagonal`` and ``trace``: that keeps every
operand's adjoint an einsum of the others.  The vjp for operand ``k`` is the einsum of
the cotangent (subscripts ``...`` + output) with the other operands, to operand ``k``'s
letters; letters that only operand ``k`` has (summed out, as in ``"ij->i"``) are
broadcast back.  The jvp is the sum over operands of the einsum with that operand
replaced by its tangent.
"""

from __future__ import annotations

import string

import numpy as np

from symdiff.core.errors import ShapeError
from symdiff.core.expr import apply
from symdiff.core.shapes import broadcast_shapes
from symdiff.core.spec import defop
from symdiff.ops.util import check_param_names

_LETTERS = set(string.ascii_letters)
_DOTS = "..."


def parse_subscripts(subscripts, ndims):
    """``(terms, output, dots)`` of validated einsum ``subscripts`` for operands with
    ``ndims`` dimensions; ``dots[i]``: term ``i`` starts with ``...``.

    Examples
    --------
    >>> parse_subscripts("ij,jk", (2, 2))
    (('ij', 'jk'), 'ik', (False, False))
    >>> parse_subscripts("ii->i", (2,))
    Traceback (most recent call last):
    ...
    ValueError: einsum: the letter 'i' repeats within the operand term 'ii' ...
    """
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a str, got {subscripts!r}")
    text = subscripts.replace(" ", "")
    lhs, arrow, out = text.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise ValueError(
            f"einsum: {subscripts!r} has {len(terms)} operand term(s) for "
            f"{len(ndims)} operand(s)"
        )
    dots, bare = [], []
    for term, nd in zip(terms, ndims, strict=True):
        d = term.startswith(_DOTS)
        body = term[3:] if d else term
        _check_letters(body, subscripts)
        if len(set(body)) != len(body):
            rep = next(c for c in body if body.count(c) > 1)
            raise ValueError(
                f"einsum: the letter {rep!r} repeats within the operand term "
                f"{term!r} (diagonals and traces are not einsum rows here: use "
                "diagonal() or trace())"
            )
        if len(body) != nd if not d else len(body) > nd:
            raise ShapeError(
                f"einsum: the term {term!r} has {len(body)} letter(s) for an operand "
                f"with {nd} dimension(s)"
            )
        dots.append(d)
        bare.append(body)
    seen = "".join(bare)
    if arrow:
        od = out.startswith(_DOTS)
        out = out[3:] if od else out
        _check_letters(out, subscripts)
        if len(set(out)) != len(out):
            raise ValueError(f"einsum: the output {out!r} repeats a letter")
        missing = [c for c in out if c not in seen]
        if missing:
            raise ValueError(
                f"einsum: output letter(s) {missing} appear in no operand term"
            )
        if any(dots) and not od:
            raise ValueError("einsum: operands have '...' but the output does not")
    else:  # numpy's implicit output: letters seen once, in alphabetical order
        out = "".join(sorted(c for c in set(seen) if seen.count(c) == 1))
    return tuple(bare), out, tuple(dots)


def _check_letters(body, subscripts):
    bad = set(body) - _LETTERS
    if bad:
        raise ValueError(
            f"einsum: subscripts {subscripts!r} may hold letters, ',', '->' and a "
            f"leading '...' only; found {sorted(bad)}"
        )


def _text(terms, out, dots):
    d = _DOTS if any(dots) else ""
    lhs = ",".join((_DOTS if dt else "") + t for t, dt in zip(terms, dots, strict=True))
    return f"{lhs}->{d}{out}"


def _einsum_params(args, params):
    check_param_names("einsum", params, ("subscripts",))
    terms, out, dots = parse_subscripts(
        params.get("subscripts"), tuple(a.ndim for a in args)
    )
    return {"subscripts": _text(terms, out, dots)}


def _parsed(node_or_args, params=None):
    if params is None:
        node_or_args, params = node_or_args.args, node_or_args.params
    return parse_subscripts(params["subscripts"], tuple(a.ndim for a in node_or_args))


def _einsum_shape(op, args, params):
    terms, out, dots = _parsed(args, params)
    size = {}
    leads = []
    for a, term in zip(args, terms, strict=True):
        k = a.ndim - len(term)
        leads.append(a.shape[:k])
        for c, n in zip(term, a.shape[k:], strict=True):
            if size.setdefault(c, n) != n:
                raise ShapeError(
                    f"einsum: the letter {c!r} has size {size[c]} in one operand and "
                    f"{n} in another (operand shapes "
                    f"{', '.join(str(x.shape) for x in args)})"
                )
    lead = broadcast_shapes("einsum", *leads) if any(dots) else ()
    return tuple(lead) + tuple(size[c] for c in out)


def _numpy_subscripts(node):
    """The node's subscripts with '...' on every term: values may carry a batch."""
    terms, out, _ = _parsed(node)
    return ",".join(_DOTS + t for t in terms) + "->" + _DOTS + out


def _einsum_impl(node, *vals):
    return np.einsum(_numpy_subscripts(node), *vals, optimize=len(vals) > 2)


def _einsum_code(node, names):
    opt = ", optimize=True" if len(names) > 2 else ""
    return f"np.einsum({_numpy_subscripts(node)!r}, {', '.join(names)}{opt})"


def _einsum_vjp(n, g):
    terms, out, dots = _parsed(n)
    return tuple(
        (lambda k=k: _adjoint(n, g, k, terms, out, dots)) for k in range(len(terms))
    )


def _adjoint(n, g, k, terms, out, dots):
    args = n.args
    x, term = args[k], terms[k]
    others = [i for i in range(len(args)) if i != k]
    have = set(out).union(*(terms[i] for i in others))
    kept = "".join(c for c in term if c in have)
    # '...' only where needed: a cotangent with leading (Jacobian) axes, or '...' terms
    d = _DOTS if g.ndim != n.ndim or any(dots) else ""
    subs = [(_DOTS if dots[i] else "") + terms[i] for i in others]
    operands = [args[i] for i in others]
    if not (g.op == "const" and not g.shape and g.value == 1):  # seed 1: no factor
        subs.insert(0, d + out)
        operands.insert(0, g)
    if not operands:  # einsum("i->", x): the gradient is ones
        return apply("broadcast_to", 1, shape=g.shape[: g.ndim - n.ndim] + x.shape)
    r = apply("einsum", *operands, subscripts=",".join(subs) + "->" + d + kept)
    body = x.shape[x.ndim - len(term) :]
    lead = r.shape[: r.ndim - len(kept)]
    if kept != term:  # letters only x had were summed out: broadcast them back
        ones = tuple(d if c in kept else 1 for c, d in zip(term, body, strict=True))
        r = apply("reshape", r, shape=lead + ones)
        r = apply("broadcast_to", r, shape=lead + body)
    return r  # the driver sums away leading axes that x broadcast ('...' terms)


def _einsum_jvp(n, tangents):
    terms = [
        apply("einsum", *n.args[:k], t, *n.args[k + 1 :], **n.params)
        for k, t in enumerate(tangents)
    ]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


defop(
    "einsum",
    None,
    _einsum_impl,
    doc="numpy's einsum over validated subscripts (no letter repeated in one term)",
    elementwise=False,
    check_params=_einsum_params,
    shape=_einsum_shape,
    vjp=_einsum_vjp,
    jvp=_einsum_jvp,
    code=_einsum_code,
)
