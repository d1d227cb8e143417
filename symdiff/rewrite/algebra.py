"""Simplify rules of school algebra: common factors, sin² + cos², exp and log laws,
and expansion where it cancels.

They run after the collecting rules of :mod:`symdiff.rewrite.simplify` (``order=1``),
on scalar sums and products only. Each one
either makes the expression smaller or leaves it alone, so the capped driver settles.
No rule changes a value where its input is defined.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from symdiff.core.expr import apply
from symdiff.core.traverse import topo_order
from symdiff.rewrite.predicates import ONE, is_exact, is_number
from symdiff.rewrite.registry import rule
from symdiff.rewrite.terms import base_exp, build_chain, coeff_term, flatten

_EXPAND_MAX_POWER = 3  # (a + b)**n is expanded to look for cancellation up to this n
_EXPAND_MAX_TERMS = 32  # ... and while the expansion stays this small
_EXPAND_MAX_NODES = 400  # ... in sums no larger than this (size is counted to compare)


def _signed_terms(root):
    """The terms of the sum ``root`` as ``(coefficient, term)`` pairs."""
    out = []
    for e, s in flatten(root, ("add", "sub"), "sub"):
        c, t = coeff_term(e)
        out.append((s * c, t))
    return out


def _sum_of(terms):
    """Rebuild ``sum(c * t)`` from ``(c, t)`` pairs (0 for none)."""
    built = [apply("mul", c, t) for c, t in terms if c != 0]
    return build_chain("add", built) if built else apply("mul", 0, ONE)


def _factor_powers(term):
    """``term`` (a product) as ``{base: [exponent, ...]}`` in the order met."""
    powers: dict = {}
    for e, s in flatten(term, ("mul", "div"), "div"):
        base, ex = base_exp(e)
        powers.setdefault(base, []).append(ex if s == 1 else apply("neg", ex))
    return powers


def _total_exponent(exps):
    """The sum of exponents as a number, or the one symbolic exponent, else None."""
    if all(is_exact(e.value) for e in exps if e.op == "const") and all(
        e.op == "const" and not e.shape for e in exps
    ):
        return sum(e.value for e in exps)
    return exps[0] if len(exps) == 1 else None


@rule("simplify", "add", "sub", order=1)
def factor_common(root):
    """a*x + b*x -> (a + b)*x; a/x**2 - b/x**2 -> (a - b)/x**2; x**k*(1 + log(x))."""
    if root.shape:
        return None
    terms = _signed_terms(root)
    if len(terms) < 2 or any(t is ONE for _, t in terms):
        return None
    powers = [_factor_powers(t) for _, t in terms]
    common = {}
    for base in powers[0]:
        totals = [_total_exponent(p[base]) if base in p else None for p in powers]
        if any(t is None for t in totals):
            continue
        if all(isinstance(t, int | Fraction) for t in totals):
            least = min(totals)
            if least != 0 and all(t * least > 0 for t in totals):
                common[base] = least  # same sign everywhere: a real common factor
        elif all(t is totals[0] for t in totals):
            common[base] = totals[0]  # one symbolic exponent, the same in every term
    if not common:
        return None
    rest = []
    for (c, _), p in zip(terms, powers, strict=True):
        factors = []
        for base, exps in p.items():
            left = _total_exponent(exps)
            if base in common:
                left = (
                    0 if not isinstance(left, int | Fraction) else left - common[base]
                )
                if left == 0:
                    continue
                factors.append(apply("pow", base, left))
            else:
                factors.extend(apply("pow", base, e) for e in exps)
        rest.append((c, build_chain("mul", factors) if factors else ONE))
    inner = _sum_of(rest)
    up = [apply("pow", b, e) for b, e in common.items() if not _negative(e)]
    down = [apply("pow", b, -e) for b, e in common.items() if _negative(e)]
    out = build_chain("mul", [inner, *up]) if up else inner
    return apply("div", out, build_chain("mul", down)) if down else out


def _negative(e):
    return isinstance(e, int | Fraction) and e < 0


@rule("simplify", "add", "sub", order=1)
def pythagorean(root):
    """c*sin(u)**2 + c*cos(u)**2 -> c; c*cosh(u)**2 - c*sinh(u)**2 -> c."""
    if root.shape:
        return None
    terms = _signed_terms(root)
    squares = {}
    for i, (_, t) in enumerate(terms):
        if t.op == "pow" and is_number(t.args[1], 2) and t.args[0].op in _PAIRS:
            squares[(t.args[0].op, t.args[0].args[0])] = i
    for (f, u), i in squares.items():
        partner, sign = _PAIRS[f]
        j = squares.get((partner, u))
        if j is None or f > partner:
            continue
        ci, cj = terms[i][0], terms[j][0]
        if ci == sign * cj:  # c*cos² + c*sin² = c; c*cosh² - c*sinh² = c
            kept = [t for k, t in enumerate(terms) if k not in (i, j)]
            return _sum_of([*kept, (ci, ONE)])
    return None


# f -> (its partner, the sign that makes f² (sign) partner² constant)
_PAIRS = {
    "sin": ("cos", 1),
    "cos": ("sin", 1),
    "cosh": ("sinh", -1),
    "sinh": ("cosh", -1),
}


@rule("simplify", "mul", "div", order=1)
def exp_product(root):
    """exp(a)*exp(b) -> exp(a + b); exp(a)/exp(b) -> exp(a - b)."""
    if root.shape:
        return None
    parts = flatten(root, ("mul", "div"), "div")
    exps = [(e, s) for e, s in parts if e.op == "exp"]
    if len(exps) < 2:
        return None
    power = build_chain(
        "add", [e.args[0] if s == 1 else apply("neg", e.args[0]) for e, s in exps]
    )
    others = [e if s == 1 else apply("div", 1, e) for e, s in parts if e.op != "exp"]
    return build_chain("mul", [*others, apply("exp", power)])


@rule("simplify", "add", "sub", order=1)
def log_sum(root):
    """log(a) + log(b) -> log(a*b), log(a) - log(b) -> log(a/b) (where both are
    defined, a and b are positive, and the two sides agree)."""
    if root.shape:
        return None
    terms = _signed_terms(root)
    logs = [(c, t) for c, t in terms if t.op == "log" and c in (1, -1)]
    if len(logs) < 2:
        return None
    inside = [t.args[0] if c == 1 else apply("div", 1, t.args[0]) for c, t in logs]
    kept = [(c, t) for c, t in terms if not (t.op == "log" and c in (1, -1))]
    return _sum_of([*kept, (1, apply("log", build_chain("mul", inside)))])


@rule("simplify", "add", "sub", order=1)
def expand_to_cancel(root):
    """(x + 1)**2 - x**2 - 2*x -> 1: expand small powers of sums, keep it if smaller."""
    if root.shape:
        return None
    terms = _signed_terms(root)
    if not any(_expandable(t) for _, t in terms):
        return None
    size = len(topo_order(root))
    if size > _EXPAND_MAX_NODES:
        return None
    expanded = []
    for c, t in terms:
        pieces = _expand(t) if _expandable(t) else [(1, t)]
        if pieces is None or len(expanded) + len(pieces) > _EXPAND_MAX_TERMS:
            return None
        expanded.extend((c * pc, pt) for pc, pt in pieces)
    collected: dict = {}
    for c, t in expanded:
        collected[t] = collected.get(t, 0) + c
    out = _sum_of(
        [(c, t) for t, c in sorted(collected.items(), key=lambda tc: tc[0].key)]
    )
    return out if len(topo_order(out)) < size else None


def _expandable(t):
    return (
        t.op == "pow"
        and t.args[0].op in ("add", "sub")
        and t.args[1].op == "const"
        and isinstance(t.args[1].value, int)
        and 2 <= t.args[1].value <= _EXPAND_MAX_POWER
    )


def _expand(t):
    """``(a + b + ...)**n`` as ``(coefficient, monomial)`` pairs, or None if large."""
    terms = _signed_terms(t.args[0])
    n = t.args[1].value
    if math.comb(len(terms) + n - 1, n) > _EXPAND_MAX_TERMS:
        return None
    out = []
    for combo in itertools.product(range(len(terms)), repeat=n):
        c = 1
        factors = []
        for k in combo:
            c *= terms[k][0]
            if terms[k][1] is not ONE:
                factors.append(terms[k][1])
        out.append((c, build_chain("mul", factors) if factors else ONE))
    return out


@rule("simplify", "pow", order=1)
def power_of_quotient(root):
    """(a/b)**n -> a**n/b**n and (1/b)**n -> 1/b**n for an integer n."""
    a, n = root.args
    if root.shape or a.op != "div" or n.op != "const" or not isinstance(n.value, int):
        return None
    top, bottom = a.args
    return apply("div", apply("pow", top, n), apply("pow", bottom, n))
