"""The array-API target: one function for numpy, torch, JAX, CuPy, dask, ...

The numpy code the :class:`~symdiff.codegen.writer.ModuleWriter` writes from the op
rows' templates is mapped name by name (:func:`~symdiff.codegen.targets.rename.rename`)
to the array API standard: ``np.sin`` becomes ``xp.sin`` (the namespace of the
arguments, found by ``array_api_compat.array_namespace`` or passed as ``xp=``), and
the few numpy functions outside the standard go to helpers written into the code
(:mod:`~symdiff.codegen.targets.xp_helpers`).  An op whose template names a numpy
function this table does not know raises ``NotImplementedError`` naming the op.
"""

from __future__ import annotations

from symdiff.codegen.source import append_def
from symdiff.codegen.targets.rename import code_names_of_op, relayout, rename
from symdiff.codegen.targets.xp_helpers import helper_sources
from symdiff.core.traverse import topo_order

__all__ = ["STANDARD", "TABLE", "xp_function"]

# numpy names that the standard has under the same name (np.X -> xp.X)
STANDARD = frozenset(
    "np." + n
    for n in (
        "abs sign sqrt exp log log1p expm1 sin cos tan sinh cosh tanh pi inf nan "
        "sum prod max min reshape broadcast_to moveaxis eye zeros asarray "
        "float32 float64 complex64 complex128 linalg.inv linalg.det linalg.solve "
        "linalg.slogdet log2 log10 floor ceil round clip"
    ).split()
)
# numpy names (a trailing "(": calls) that the standard spells differently, or that
# need a helper (the helper group follows the replacement, after "|")
TABLE = {
    "np.arcsin": "xp.asin",
    "np.arccos": "xp.acos",
    "np.arctan": "xp.atan",
    "np.concatenate": "xp.concat",
    "np.cumsum": "xp.cumulative_sum",
    "np.maximum(": "_bin(xp, xp.maximum, |scalar",
    "np.minimum(": "_bin(xp, xp.minimum, |scalar",
    "np.logaddexp(": "_bin(xp, xp.logaddexp, |scalar",
    "np.heaviside(": "_heaviside(xp, |scalar",
    "np.arcsinh": "xp.asinh",
    "np.arccosh": "xp.acosh",
    "np.arctanh": "xp.atanh",
    "np.arctan2(": "_bin(xp, xp.atan2, |scalar",
    "np.hypot(": "_bin(xp, xp.hypot, |scalar",
    "np.exp2(": "_bin(xp, xp.pow, 2.0, |scalar",
    "np.less(": "_bin(xp, xp.less, |scalar",
    "np.less_equal(": "_bin(xp, xp.less_equal, |scalar",
    "np.greater(": "_bin(xp, xp.greater, |scalar",
    "np.greater_equal(": "_bin(xp, xp.greater_equal, |scalar",
    "np.equal(": "_bin(xp, xp.equal, |scalar",
    "np.not_equal(": "_bin(xp, xp.not_equal, |scalar",
    "np.where(": "_where(xp, |scalar",
    "np.expand_dims(": "_expand_dims(xp, |axes",
    "np.swapaxes(": "_swapaxes(xp, |axes",
    "np.flip(": "_flip(xp, |axes",
    "_unslice(": "_unslice(xp, |axes",
    "np.take(": "_take(xp, |axes",
    "np.diagonal(": "_diagonal(xp, |axes",
    "np.trace(": "_trace(xp, |axes",
    "np.shape(": "_shape(|shapes",
    "np.ndim(": "_ndim(|shapes",
    "np.broadcast_shapes(": "_broadcast_shapes(|shapes",
    "np.full(": "_fill(xp, |full",
    "_full(": "_full(xp, |full",
    "_erf(": "_erf(xp, |erf",
    "_erfc(": "_erfc(xp, |erfc",
    "_logsumexp(": "_logsumexp(xp, |logsumexp",
    "_softmax(": "_softmax(xp, |logsumexp",
    "_log_softmax(": "_log_softmax(xp, |logsumexp",
}
for _dt in ("float32", "float64", "complex64", "complex128"):
    TABLE[f"np.{_dt}("] = f"_typed(xp, xp.{_dt}, |scalar"


def _check_ops(leaves, owner):
    """Every op of the DAG must have an array-API form; say which one lacks it."""
    seen = set()
    for node in topo_order(*leaves):
        if node.op in seen or not node.args and node.op in ("symbol", "const"):
            continue
        seen.add(node.op)
        for name in code_names_of_op(node):
            if name not in STANDARD and name not in TABLE and name + "(" not in TABLE:
                raise NotImplementedError(
                    f"{owner}: the op {node.op!r} uses {name}, which has no form in "
                    "the array-API target (symdiff/codegen/targets/array_api.py)"
                )


def _table_for(writer):
    """The rename table of one writer's code, and a record of the helpers used."""
    used = set()

    class _Recording(dict):
        def get(self, key, default=None):
            value = dict.get(self, key, default)
            if value is None or "|" not in value:
                return value
            text, group = value.split("|")
            used.add(group)
            return text

    table = _Recording(TABLE)
    # tensor arguments: the numpy helper bakes the dtype in, this one takes it
    table["_arg("] = f"_arg(xp, xp.{writer.dtype.name}, |arg"
    for cname in writer.consts.values():
        table[cname] = f"xp.asarray({cname})"
    return table, used


def xp_function(writer, name, args, names, leaves, lines, ndoc=0):
    """The array-API form of the lines of one function that ``writer`` wrote.

    ``lines`` are the numpy code; ``ndoc`` the number of docstring lines after the
    ``def``.  Returns the new lines and the helper groups they call.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, sin
    >>> from symdiff.codegen.writer import ModuleWriter
    >>> x = Symbol("x")
    >>> w = ModuleWriter(np.dtype("float64"), export=True, owner="export_module")
    >>> lines = w.write_function("f", [x], ["x"], sin(x) * x)
    >>> new, used = xp_function(w, "f", [x], ["x"], [sin(x) * x], lines)
    >>> new[0], new[-2], sorted(used)
    ('def f(x, *, xp=None):', '    _t0 = x * xp.sin(x)', ['namespace'])
    """
    _check_ops(leaves, writer.owner)
    head = []
    append_def(head, name, names)
    new_head = []
    append_def(new_head, name, [*names, "*", "xp=None"])
    body = "\n".join(lines[len(head) :])
    table, used = _table_for(writer)
    body = rename(body, table, default="xp.")
    first = [
        "    if xp is None:",
        f"        xp = _namespace({', '.join(names)})",
    ]
    out = new_head + lines[len(head) : len(head) + ndoc]
    out += first + relayout(body.split("\n")[ndoc:])
    used.add("namespace")
    return out, used


def helpers(used):
    """Source of the helper groups ``used`` (see :mod:`.xp_helpers`).

    Examples
    --------
    >>> helpers({"namespace"}).splitlines()[0]
    'def _namespace(*args):'
    """
    return helper_sources(used)


def lambdify_source(args, outputs, dtype, owner="lambdify"):
    """Source (helpers, then ``_lambdified``) and namespace values of the array-API
    function of ``outputs``; see :func:`symdiff.lambdify` with ``backend="array_api"``.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> x = Symbol("x")
    >>> source, args, extras = lambdify_source([x], x * 2, "float32")
    >>> "x = xp.asarray(x, dtype=xp.float32)" in source, extras
    (True, {})
    """
    from symdiff.codegen.outputs import flatten_outputs
    from symdiff.codegen.writer import (
        ModuleWriter,
        check_args,
        check_dtype,
        code_names,
    )

    dt = check_dtype(dtype, owner)
    args = check_args(args, owner)
    names = code_names(args)
    writer = ModuleWriter(dt, export=False, owner=owner, in_place=False)
    lines = writer.write_function("_lambdified", args, names, outputs)
    leaves, _ = flatten_outputs(outputs, owner)
    lines, used = xp_function(writer, "_lambdified", args, names, leaves, lines)
    source = helpers(used) + "\n\n" + "\n".join(lines) + "\n"
    extras = {k: v for k, v in writer.namespace.items() if k != "np"}
    return source, args, extras
