"""The core: the expression node and what every layer above builds on.

``expr`` (Expr, Symbol, Const, the one door ``apply``, interning, ``subs``), ``spec``
(the op table's schema: OpSpec, OPS, defop; no rows), ``shapes`` (broadcasting with
readable errors), ``traverse`` (iterative topological order), ``errors`` and ``lazy``
(heavy optional modules on first use).  It imports nothing above it.
"""
