"""The simplify phase: its rules, and the capped driver that applies them.

One pass rebuilds the DAG in topological order, canonicalising every node and trying the
rules of its op until none applies.  Sums and products are collected once, at the top of
each cluster (a node whose parents are all of the same family is skipped, its parent's
rule sees through it), which keeps a pass linear even on long chains.  Passes repeat
until nothing changes, at most ``max_passes`` times; rules per node at most
``_RULES_PER_NODE`` times.  Every loop is capped, so simplify always terminates.
"""

from __future__ import annotations

from fractions import Fraction

from symdiff.core.expr import apply, as_expr, const, with_args
from symdiff.core.traverse import topo_order
from symdiff.rewrite.predicates import ONE, ZERO, is_exact, is_number, is_scalar_const
from symdiff.rewrite.registry import rule, rules_for
from symdiff.rewrite.terms import base_exp, build_chain, coeff_term, flatten

# -- scalar rules --------------------------------------------------------------------


@rule("simplify", "add", "sub")
def collect_like_terms(root):
    """2*x + 3*x -> 5*x, x - x -> 0, constants summed, over a whole sum."""
    parts = flatten(root, ("add", "sub"), "sub")
    if len(parts) < 2:
        return None
    coeffs: dict = {}
    for e, s in parts:
        c, t = coeff_term(e)
        coeffs[t] = coeffs.get(t, 0) + s * c
    if len(coeffs) == len(parts):
        return None  # nothing to collect
    terms = []
    for t in sorted(coeffs, key=lambda t: t.key):
        c = coeffs[t]
        if c != 0:
            terms.append(const(c) if t is ONE else apply("mul", c, t))
    if not terms:
        return ZERO if not root.shape else None
    out = build_chain("add", terms)
    return out if out.shape == root.shape else None


@rule("simplify", "mul", "div")
def collect_powers(root):
    """x*x*x -> x**3, x**a * x**b -> x**(a+b), x/x -> 1, over a whole product."""
    parts = flatten(root, ("mul", "div"), "div")
    if len(parts) < 2:
        return None
    coeff, exps, order = 1, {}, []
    for e, s in parts:
        if is_scalar_const(e) and (s == 1 or e.value != 0):
            v = e.value
            coeff = (
                coeff * v
                if s == 1
                else (coeff * (Fraction(1) / v if is_exact(v) else 1 / v))
            )
            continue
        base, ex = base_exp(e)
        if base not in exps:
            exps[base] = []
            order.append(base)
        exps[base].append(ex if s == 1 else apply("neg", ex))
    n_consts = len(parts) - sum(len(v) for v in exps.values())
    if len(order) == len(parts) - n_consts and n_consts <= 1:
        return None  # no two factors share a base: nothing to combine
    factors, below = [], []
    for base in sorted(order, key=lambda b: b.key):
        ex = build_chain("add", exps[base])
        if ex.op == "const" and not ex.shape and ex.value < 0:
            below.append(apply("pow", base, -ex.value))  # x**-4 reads as 1/x**4
        else:
            factors.append(apply("pow", base, ex))
    out = build_chain("mul", factors) if factors else ONE
    if below:
        out = apply("div", out, build_chain("mul", below))
    out = apply("mul", coeff, out)
    return out if out.shape == root.shape else None


_INVERSES = {  # f(g(x)) -> x; the comment says where that holds
    ("log", "exp"): "all real x",
    ("exp", "log"): "x > 0, where log(x) is defined",
    ("log1p", "expm1"): "all real x",
    ("expm1", "log1p"): "x > -1, where log1p(x) is defined",
    ("tan", "atan"): "all real x",
    ("sin", "asin"): "|x| <= 1, where asin(x) is defined",
    ("cos", "acos"): "|x| <= 1, where acos(x) is defined",
}


@rule("simplify", *sorted({f for f, _ in _INVERSES}))
def inverse_pairs(root):
    """log(exp(x)) -> x, exp(log(x)) -> x, tan(atan(x)) -> x, ... (see _INVERSES)."""
    (a,) = root.args
    if (root.op, a.op) in _INVERSES:
        return a.args[0]
    return None


@rule("simplify", "sqrt")
def sqrt_of_square(root):
    """sqrt(x**2) -> |x|."""
    (a,) = root.args
    if a.op == "pow" and is_number(a.args[1], 2):
        return apply("abs", a.args[0])
    return None


@rule("simplify", "pow")
def power_of_sqrt(root):
    """sqrt(x)**2 -> x (where sqrt(x) is defined); (x**2)**(1/2) -> |x|."""
    a, b = root.args
    if a.op == "sqrt" and is_number(b, 2):
        return a.args[0]
    if (
        a.op == "pow"
        and is_number(a.args[1], 2)
        and is_scalar_const(b)
        and (b.value == Fraction(1, 2))
    ):
        return apply("abs", a.args[0])
    return None


@rule("simplify", "log")
def log_of_power(root):
    """log(x**n) -> n*log(x) for odd integer n, n*log(|x|) for even n."""
    (a,) = root.args
    n = a.args[1].value if a.op == "pow" and is_scalar_const(a.args[1]) else None
    if isinstance(n, int):
        base = a.args[0] if n % 2 else apply("abs", a.args[0])
        return apply("mul", n, apply("log", base))
    return None


# -- tensor rules ---------------------------------------------------------------------


@rule("simplify", "matmul")
def vector_times_matrix(root):
    """x @ M -> M.T @ x for a vector x: products meet in one (column) form."""
    a, b = root.args
    if a.ndim == 1 and b.ndim == 2:
        return apply("matmul", apply("transpose", b), a)
    return None


@rule("simplify", "add", "sub")
def factor_matmul(root):
    """A @ x + B @ x -> (A + B) @ x and x @ A + x @ B -> x @ (A + B), over a sum."""
    parts = flatten(root, ("add", "sub"), "sub")
    if len(parts) < 2:
        return None
    split = []
    for e, s in parts:
        c, t = coeff_term(e)
        split.append((s * c, t))
    for side in (1, 0):  # group by the shared right operand first, then the left
        groups: dict = {}
        for i, (_, t) in enumerate(split):
            if t.op == "matmul" and t.shape == root.shape:
                key = (t.args[side], t.args[1 - side].shape)
                groups.setdefault(key, []).append(i)
        groups = {k: v for k, v in groups.items() if len(v) > 1}
        if not groups:
            continue
        used = set()
        terms = []
        for (shared, _), idxs in groups.items():
            other = build_chain(
                "add",
                [apply("mul", split[i][0], split[i][1].args[1 - side]) for i in idxs],
            )
            pair = (other, shared) if side == 1 else (shared, other)
            terms.append(apply("matmul", *pair))
            used.update(idxs)
        terms += [apply("mul", c, t) for i, (c, t) in enumerate(split) if i not in used]
        out = build_chain("add", terms)
        return out if out.shape == root.shape else None
    return None


# -- the driver -----------------------------------------------------------------------

_FAMILY = {"add": "sum", "sub": "sum", "mul": "product", "div": "product"}
_RULES_PER_NODE = 16


def _interior(order, roots):
    """Nodes all of whose parents are in the same sum/product family (and shape)."""
    outside = set(roots)
    family_parent = set()
    for node in order:
        fam = _FAMILY.get(node.op)
        for a in node.args:
            if fam is not None and _FAMILY.get(a.op) == fam and a.shape == node.shape:
                family_parent.add(a)
            else:
                outside.add(a)
    return family_parent - outside


def _rewrite(node):
    for _ in range(_RULES_PER_NODE):
        for fn in rules_for("simplify", node.op):
            out = fn(node)
            if out is not None and out is not node:
                node = out
                break
        else:
            return node
    return node


def _one_pass(roots):
    order = topo_order(*roots)
    interior = _interior(order, roots)
    memo = {}
    for node in order:
        if not node.args:
            memo[node] = node
            continue
        new = with_args(node, tuple(memo[a] for a in node.args))
        memo[node] = new if node in interior else _rewrite(new)
    return [memo[r] for r in roots]


def simplify(expr, max_passes=8):
    """Simplify an expression with the registered rewrite rules.

    Exact constant folding, identities (``x + 0``, ``x*1``, ``x**0``, ``--x``,
    ``x - x``), like terms (``2*x + 3*x -> 5*x``), powers (``x*x*x -> x**3``) and
    inverse pairs (``log(exp(x)) -> x``).  Deterministic, always terminates, and never
    changes the value at a point where the input is defined.

    Parameters
    ----------
    expr : Expr or sequence of Expr
    max_passes : int, optional
        Cap on the number of whole-DAG passes.

    Examples
    --------
    >>> from symdiff import Symbol, simplify, exp, log
    >>> x = Symbol("x")
    >>> print(simplify(2*x + 3*x))
    5*x
    >>> print(simplify(x * x * x))
    x**3
    >>> print(simplify(log(exp(x))))
    x
    """
    single = not isinstance(expr, list | tuple)
    roots = [as_expr(expr)] if single else [as_expr(e) for e in expr]
    for _ in range(max_passes):
        new = _one_pass(roots)
        if all(a is b for a, b in zip(new, roots, strict=True)):
            break
        roots = new
    return roots[0] if single else type(expr)(roots)
