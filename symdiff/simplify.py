"""The simplify driver: ``simplify`` rules bottom-up to a fixed point (capped).

One pass rebuilds the DAG in topological order, canonicalising every node and trying the
rules of its op until none applies.  Sums and products are collected once, at the top of
each cluster (a node whose parents are all of the same family is skipped, its parent's
rule sees through it), which keeps a pass linear even on long chains.  Passes repeat
until nothing changes, at most ``max_passes`` times; rules per node at most
``_RULES_PER_NODE`` times.  Every loop is capped, so simplify always terminates.
"""

from symdiff.expr import apply, as_expr
from symdiff.rules import SIMPLIFY_RULES
from symdiff.traverse import topo_order

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
        for rule in SIMPLIFY_RULES.get(node.op, ()):
            out = rule(node)
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
        args = tuple(memo[a] for a in node.args)
        if all(a is b for a, b in zip(args, node.args, strict=True)):
            new = node
        else:
            new = apply(node.op, *args, **node.params)
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
