"""Public constructors: the functions users call to build expressions.

``elementwise`` (``sin``, ``exp``, ``maximum``, ``pi``, ...) and ``tensor`` (``sum``,
``reshape``, ``matmul``, ``norm``, ...).  They build rows of the op table
(:mod:`symdiff.ops`) through :func:`symdiff.core.expr.apply`: constructors here, table
rows there.
"""
