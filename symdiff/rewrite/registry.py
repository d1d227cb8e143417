"""The rule registry: rewrite rules as named, documented data in two phases.

``canonicalize`` rules run inside :func:`symdiff.core.expr.apply` every time a node is
built.  They are cheap and local (constant folding, ``x + 0``, ``--x``, sign
normalisation), so equal expressions built different ways meet in one canonical node,
derivatives come out lightly simplified, and ``parse(str(e)) is e``.

``simplify`` rules run only in :func:`symdiff.simplify`: collecting like terms and
powers over whole sums and products, and inverse pairs such as ``log(exp(x))``.

A canonicalising rule is ``fn(op, args, params, shape) -> Expr | None`` and a simplify
rule ``fn(node) -> Expr | None`` (``None``: does not apply).  Its guard is the explicit
condition at its top.  No rule may change a value at a point where its input is
defined; identities that hold only on part of the domain say so.

Registering (``@rule``) only records a rule here; :func:`install` hands the
canonicalize phase to ``apply`` and builds the per-op tables the simplify driver
reads.  ``symdiff/__init__.py`` calls it once, after every rule module is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from symdiff.core.expr import set_canonicalizers

PHASES = ("canonicalize", "simplify")


@dataclass(frozen=True)
class Rule:
    """A named rewrite rule: ``fn`` applies to nodes whose op is in ``ops``."""

    name: str
    phase: str
    ops: tuple
    fn: object
    doc: str
    order: int = 0


RULES: list[Rule] = []
_BY_OP: dict[str, dict[str, tuple]] = {phase: {} for phase in PHASES}


def rule(phase, *ops, order=0):
    """Decorator: record ``fn`` as a rule of ``phase`` for the given ops.

    Rules of one op run by ``order``, then in the order they were recorded (so a
    module of later rules, ``order=1``, needs no particular import order).

    Examples
    --------
    >>> from symdiff.rewrite.registry import RULES
    >>> r = next(r for r in RULES if r.name == "inverse_pairs")
    >>> r.phase, "log" in r.ops
    ('simplify', True)
    """
    if phase not in PHASES:
        raise ValueError(f"rule: phase must be one of {PHASES}, got {phase!r}")

    def register(fn):
        doc = (fn.__doc__ or "").strip()
        RULES.append(Rule(fn.__name__, phase, ops, fn, doc, order))
        return fn

    return register


def install():
    """Make the recorded rules active: ``apply`` canonicalises, ``simplify`` sees
    every simplify rule.  Rules of one op run in the order they were recorded.

    Examples
    --------
    >>> from symdiff.rewrite.registry import rules_for
    >>> [fn.__name__ for fn in rules_for("simplify", "sqrt")]
    ['sqrt_of_square']
    """
    for phase in PHASES:
        table: dict[str, list] = {}
        for r in sorted(RULES, key=lambda r: r.order):  # stable: recording order kept
            if r.phase == phase:
                for op in r.ops:
                    table.setdefault(op, []).append(r.fn)
        _BY_OP[phase] = {op: tuple(fns) for op, fns in table.items()}
    set_canonicalizers(_BY_OP["canonicalize"])


def rules_for(phase, op):
    """The installed rules of ``phase`` for ``op``, in order."""
    return _BY_OP[phase].get(op, ())
