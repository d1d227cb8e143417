"""Code generation: expression DAGs -> numpy source (``lambdify``, ``export_module``).

Modules, bottom to top: ``source`` (text only: literals, operand parentheses, line
layout, the helpers generated code calls), ``writer`` (:class:`ModuleWriter`, which
writes the functions; checks of arguments and names; output structures), then the two
entry points ``lambdify`` (compile in this process) and ``export`` (a module's text).
``targets/`` holds the other targets (array API, numba, C: ``export_c``), each from
the same writer or the same op templates.

Examples
--------
>>> from symdiff import Symbol
>>> from symdiff.codegen import lambdify
>>> x = Symbol("x")
>>> float(lambdify([x], 3 * x)(2.0))
6.0
"""

from symdiff.codegen.export import export_module
from symdiff.codegen.lambdify import lambdify
from symdiff.codegen.targets.c import export_c
from symdiff.codegen.writer import code_names

__all__ = ["code_names", "export_c", "export_module", "lambdify"]
