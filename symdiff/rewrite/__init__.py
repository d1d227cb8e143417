"""Rewriting: rules as named data in two phases (canonicalize, simplify), and the
capped simplify driver.

Examples
--------
>>> from symdiff import Symbol
>>> from symdiff.rewrite import simplify
>>> x = Symbol("x")
>>> print(simplify(x * x * x))
x**3
"""

from symdiff.rewrite import algebra, canonicalize  # noqa: F401  (record their rules)
from symdiff.rewrite.registry import RULES, Rule, install, rule
from symdiff.rewrite.simplify import simplify

__all__ = ["RULES", "Rule", "install", "rule", "simplify"]
