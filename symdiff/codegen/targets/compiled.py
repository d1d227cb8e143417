"""Compiling generated source of the non-numpy targets in this process."""

from __future__ import annotations

import itertools
import linecache
import weakref

import numpy as np

__all__ = ["CompiledFunction", "optional_module"]

_serial = itertools.count()


def optional_module(name, target, extra):
    """Import the optional dependency ``name`` of a target, or say how to get it.

    Examples
    --------
    >>> try:
    ...     optional_module("no_such_module_here", "numba", "numba")
    ... except ImportError as exc:
    ...     print(str(exc).split(": ")[1])
    pip install "symdiff[numba]"
    """
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(
            f"the {target!r} target needs {name}, an optional dependency: "
            f'pip install "symdiff[{extra}]"'
        ) from None


def _namespace(kind):
    ns = {"np": np}
    if kind == "array_api":
        try:
            import array_api_compat
        except ImportError:  # numpy alone still works
            array_api_compat = None
        ns["_compat"] = array_api_compat
    elif kind == "numba":
        import math

        ns["math"] = math
        ns["numba"] = optional_module("numba", "numba", "numba")
    return ns


class CompiledFunction:
    """A function compiled from generated source (``backend`` other than numpy).

    ``source`` is the code, ``symbols`` the arguments; the source names ``entry``.
    It pickles as its source and is compiled again on load.

    Examples
    --------
    >>> from symdiff import Symbol, lambdify
    >>> x = Symbol("x")
    >>> f = lambdify([x], 2 * x, backend="array_api")
    >>> float(f(1.5)), "xp" in f.source
    (3.0, True)
    """

    def __init__(self, source, symbols, extras, kind, entry="_lambdified"):
        self.source = source
        self.symbols = tuple(symbols)
        self.backend = kind
        self._spec = (source, self.symbols, extras, kind, entry)
        namespace = {**_namespace(kind), **extras}
        filename = f"<symdiff-{kind}-{next(_serial)}>"
        # Executing generated text is safe: op-table templates mapped through fixed
        # tables, numbers formatted by this package, checked or mangled identifiers.
        exec(compile(source, filename, "exec"), namespace)
        fn = self.__wrapped__ = namespace[entry]
        self.namespace = namespace
        lines = source.splitlines(True)
        linecache.cache[filename] = (len(source), None, lines, filename)
        weakref.finalize(fn, linecache.cache.pop, filename, None)
        self.__name__ = self.__qualname__ = fn.__name__

    def __call__(self, *args, **kwargs):
        return self.__wrapped__(*args, **kwargs)

    def __reduce__(self):
        return (CompiledFunction, self._spec)

    def __repr__(self):
        names = ", ".join(s.name for s in self.symbols)
        return f"<{self.backend} function of ({names})>"
