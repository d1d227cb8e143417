"""``lambdify``: compile expressions to a numpy function in this process."""

from __future__ import annotations

import itertools
import linecache
import weakref

import numpy as np

from symdiff.codegen.writer import ModuleWriter, check_args, check_dtype, code_names
from symdiff.core.lazy import scipy_special
from symdiff.core.traverse import paused_gc

__all__ = ["LambdifiedFunction", "lambdify"]

_serial = itertools.count()  # numbers the generated sources' file names


def lambdify(args, outputs, *, dtype="float64", backend="numpy"):
    """Compile expressions to a vectorized numpy function.

    The generated code has one assignment per shared node of the DAG, in topological
    order, so common subexpressions are computed once and very deep expressions
    compile.  Arguments may be numbers or arrays; they broadcast, and every output has
    the broadcast shape of the inputs (a constant output, or one that does not depend
    on some argument, is filled out to that shape).  A tensor symbol's value may carry
    extra leading (batch) dimensions, which the outputs then carry too.

    Parameters
    ----------
    args : Symbol or sequence of Symbol
        The positional parameters of the function, in order.
    outputs : Expr, number, or (nested) list / tuple / dict of them
        What to compute; the function returns the same structure.
    dtype : numpy dtype, optional
        Floating (or complex) dtype of the computation: inputs are converted to it and
        constants are written in it.  ``float64`` by default.
    backend : {"numpy", "array_api", "numba"}, optional
        ``"array_api"``: code for any array-API namespace (torch, JAX, CuPy, dask...;
        the function takes ``xp=`` or infers it from the arguments); ``"numba"``:
        compiled loops over the points (needs numba), with ``fn.point(...)`` and
        ``fn.packed(v)`` for one point and ``fn.packed_batch(X)`` for the points as
        the rows of one array.  See ``docs/codegen.md``.

    Returns
    -------
    LambdifiedFunction
        A callable wrapping the generated function (it pickles).  Its source is
        ``fn.source`` and ``inspect.getsource(fn)`` shows it; tracebacks point at
        its lines.
        ``fn.symbols`` is ``args`` as a tuple.  Symbol names
        that are not plain identifiers are mangled (see :func:`code_names`), which
        matters only when passing arguments by keyword.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import symbols, diff, grad, sin, lambdify
    >>> x, y = symbols("x y")
    >>> f = lambdify([x, y], grad(x**2 * sin(y), [x, y]))
    >>> [float(v) for v in f(1.0, 0.0)]
    [0.0, 1.0]
    >>> lambdify([x], diff(3 * x, x))(np.arange(4.0))
    array([3., 3., 3., 3.])
    >>> print(lambdify([x], [sin(x)**2, sin(x) * x]).source)
    def _lambdified(x):
        x = np.asarray(x, dtype=np.float64)
        _t0 = np.sin(x)
        _t1 = _t0 ** 2
        _t2 = x * _t0
        del _t0
        return [_t1, _t2]
    <BLANKLINE>
    """
    with paused_gc():
        if backend != "numpy":
            from symdiff.codegen.targets import lambdify_target

            return lambdify_target(backend, args, outputs, dtype)
        return _lambdify(args, outputs, dtype)


def _lambdify(args, outputs, dtype):
    owner = "lambdify"
    dt = check_dtype(dtype, owner)
    args = check_args(args, owner)
    names = code_names(args)
    writer = ModuleWriter(dt, export=False, owner=owner)
    lines = writer.write_function("_lambdified", args, names, outputs)
    namespace = writer.namespace
    for helper in sorted(writer.helpers - {"_erf", "_erfc"}, reverse=True):
        lines = writer.helper_source(helper).rstrip().split("\n") + ["", ""] + lines
    source = "\n".join(lines) + "\n"
    # what the source refers to besides numpy (constant arrays, dict keys): a pickle
    # carries these with the source
    extras = {k: v for k, v in namespace.items() if k != "np"}
    erf = bool(writer.helpers & {"_erf", "_erfc"})
    return LambdifiedFunction(source, tuple(args), extras, erf)


def _compile(source, extras, erf):
    """Compile the generated ``source`` to its function."""
    namespace = {"np": np, **extras}
    if erf:  # here scipy's erf and erfc; exported modules carry their own
        namespace["_erf"] = scipy_special().erf
        namespace["_erfc"] = scipy_special().erfc
    filename = f"<symdiff-lambdify-{next(_serial)}>"
    # Executing generated text is safe: it consists of op-table templates, numbers
    # formatted by this package and checked or mangled identifiers; no user-supplied
    # text reaches it (constant arrays and dict keys are passed in `namespace`).
    exec(compile(source, filename, "exec"), namespace)
    fn = namespace["_lambdified"]
    _register_source(filename, source, fn)
    return fn


class LambdifiedFunction:
    """The function :func:`lambdify` returns: call it like the generated function.

    ``source`` is the generated code, ``symbols`` the arguments;
    ``inspect.getsource`` shows the source (``__wrapped__`` is the compiled function).
    It pickles as its source and argument specification and is compiled again on
    load, so it can be sent to process pools.

    Examples
    --------
    >>> import pickle
    >>> from symdiff import Symbol, lambdify
    >>> x = Symbol("x")
    >>> f = pickle.loads(pickle.dumps(lambdify([x], 2 * x)))
    >>> float(f(1.5)), f.symbols == (x,)
    (3.0, True)
    """

    def __init__(self, source, symbols, extras, erf):
        self.source = source
        self.symbols = symbols
        self._spec = (source, symbols, extras, erf)
        self.__wrapped__ = fn = _compile(source, extras, erf)
        self.__name__ = self.__qualname__ = fn.__name__
        self.__doc__ = fn.__doc__

    def __call__(self, *args, **kwargs):
        return self.__wrapped__(*args, **kwargs)

    def __reduce__(self):
        return (LambdifiedFunction, self._spec)

    def __repr__(self):
        names = ", ".join(s.name for s in self.symbols)
        return f"<lambdified function of ({names})>"


_dead_sources = []  # linecache names of generated functions that have died
_source_refs = {}  # linecache name -> weak reference to its function


def _register_source(filename, source, owner):
    """Let linecache (so inspect.getsource and tracebacks) see generated source, for
    as long as ``owner`` (the function) lives.

    A dead function's entry is dropped at the next registration, not by a finalizer:
    a finalizer runs during garbage collection, which can happen inside
    ``linecache.checkcache``'s loop over the cache (doctest and pdb call it), and that
    loop fails with KeyError on an entry removed under it.
    """
    while _dead_sources:
        name = _dead_sources.pop()
        linecache.cache.pop(name, None)
        _source_refs.pop(name, None)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    _source_refs[filename] = weakref.ref(owner, lambda _, n=filename: _dead(n))


def _dead(filename):
    _dead_sources.append(filename)  # (a list append: safe inside a collection)
