"""Code generation: expression DAGs -> numpy source (``lambdify``, ``export_module``).

Examples
--------
>>> from symdiff import Symbol
>>> from symdiff.codegen import lambdify
>>> x = Symbol("x")
>>> float(lambdify([x], 3 * x)(2.0))
6.0
"""

from symdiff.codegen.writer import code_names, export_module, lambdify

__all__ = ["code_names", "export_module", "lambdify"]
