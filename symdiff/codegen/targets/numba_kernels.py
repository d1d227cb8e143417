"""The numba target: one compiled loop over the points per output group.

For a function of scalar (and small fixed-shape tensor) symbols, the generated module
has, per exported function ``f``:

* ``_point_f(x, y, ...)``: the scalar code for one point (``numba.njit``), returning
  the entries of every output as a flat tuple (a single entry: the number itself);
* ``_loop_f`` and ``_ploop_f``: the same code in a loop over the points writing into
  one preallocated ``(entries, points)`` array: no temporaries; ``_ploop_f`` runs the
  loop with ``numba.prange`` and is used from ``PARALLEL_MIN`` points on;
* ``f(x, y, ...)``: the Python entry: arguments broadcast like numpy's, outputs in the
  requested structure with the batch shape in front; when every argument is a number
  it calls ``_point_f`` directly.  ``f.point`` is ``_point_f`` (numbers in, a flat
  tuple out), and ``f.packed(v)`` takes every argument's entries in one float64 vector
  and returns every output's entries in one vector: the least overhead per call for
  many arguments (an optimiser's ``x``);
* ``_bloop_f`` and ``_pbloop_f``: the loops of ``f.packed_batch(X, out=None)``, which
  takes the points as the rows of one ``(points, inputs)`` block (the inputs in
  ``f.packed``'s order) and writes one ``(points, outputs)`` block: two contiguous
  streams, where the per-argument loop reads one array per argument.

The scalar code comes from :mod:`.scalar` (the op rows' numpy templates, which numba
compiles as they are, apart from the few names in ``TABLE``).
"""

from __future__ import annotations

import math

from symdiff.codegen.outputs import flatten_outputs, render_structure
from symdiff.codegen.source import (
    append_def,
    append_statement,
    key_literal,
    scalar_literal,
)
from symdiff.codegen.targets.scalar import ScalarProgram, TemplateRender, scalarize
from symdiff.codegen.writer import (
    check_args,
    check_dtype,
    code_names,
)

__all__ = ["PARALLEL_MIN", "lambdify_numba", "numba_module"]

# from this many points on the loop runs in parallel (numba.prange): measured on 2
# shared cores, a parallel loop over 10**4 points of the n=10 Rosenbrock gradient took
# 4 ms against 0.07 ms serial (threads' start-up and contention), and at 10**6 points
# they were even; a machine with more cores gains from here on
PARALLEL_MIN = 262_144

_OPTIONS = 'cache=_CACHE, nogil=True, error_model="numpy"'
_SUPPORTED = (
    "sin cos tan arcsin arccos arctan sinh cosh tanh exp log log1p expm1 sqrt abs "
    "sign maximum minimum logaddexp pi inf nan arcsinh arccosh arctanh log2 log10 "
    "exp2 floor ceil round arctan2 hypot less less_equal greater greater_equal equal "
    "not_equal where"
).split()
TABLE = {f"np.{n}": f"np.{n}" for n in _SUPPORTED} | {"_erf": "math.erf"}
# heaviside(x, 0): numba lacks np.heaviside; sign(max(x, 0)) is the same, nan included
OVERRIDES = {
    "heaviside": "np.sign(np.maximum({0}, 0.0))",
    "erfc": "math.erfc({0})",
    # numba has no scalar np.clip; max then min is numpy's clip (lo > hi and nan too)
    "clip": "np.minimum(np.maximum({0}, {1}), {2})",
}

_RUN = '''\
def _run(kernels, args, shapes, names, out_shapes, dtype):
    """Evaluate at every point of the broadcast arguments; one array per output."""
    point, loop, ploop = kernels
    if not any(shapes) and all(np.ndim(a) == 0 for a in args):
        flat = point(*[float(a) for a in args])
        flat = flat if isinstance(flat, tuple) else (flat,)
        if not any(out_shapes):  # numbers in, numbers out: the fast path
            return [dtype(v) for v in flat]
        batch = ()
        out = np.asarray(flat, dtype=dtype)[:, None]
    else:
        arrays = [np.asarray(a, dtype=np.float64) for a in args]
        batches = []
        for a, shape, name in zip(arrays, shapes, names):
            k = len(shape)
            if a.ndim < k or a.shape[a.ndim - k :] != shape:
                raise ValueError(
                    f"argument {name} must have shape {shape} (or a batch of "
                    f"them, with extra leading dimensions), got shape {a.shape}"
                )
            batches.append(a.shape[: a.ndim - k])
        batch = np.broadcast_shapes(*batches)
        n = int(np.prod(batch))
        flat = []
        for a, shape in zip(arrays, shapes):  # copies and views only where needed
            if a.shape != batch + shape:
                a = np.broadcast_to(a, batch + shape)
            if a.ndim != 1 + bool(shape):
                a = a.reshape((n, -1) if shape else (n,))
            flat.append(a)
        out = np.empty((sum(int(np.prod(s)) for s in out_shapes), n), dtype=dtype)
        (ploop if n >= PARALLEL_MIN else loop)(*flat, out)
    outputs = []
    start = 0
    for shape in out_shapes:
        if not shape:
            block = out[start].reshape(batch)
            outputs.append(block if batch else block[()])
            start += 1
            continue
        size = int(np.prod(shape))
        block = out[start : start + size].reshape(shape + batch)
        k = len(shape)
        outputs.append(np.moveaxis(block, tuple(range(k)), tuple(range(-k, 0))))
        start += size
    return outputs


def _run_block(loops, X, out, n_in, n_out, dtype, name):
    """The block entry: rows of ``X`` are points, one row of the result per point."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(
            f"{name}: X must have shape (points, {n_in}), one row per point, "
            f"got shape {X.shape}"
        )
    shape = (X.shape[0], n_out)
    if out is None:
        out = np.empty(shape, dtype=dtype)
    elif (
        not isinstance(out, np.ndarray)
        or out.shape != shape
        or out.dtype != dtype
        or not out.flags.c_contiguous
    ):
        got = getattr(out, "shape", type(out).__name__)
        raise ValueError(
            f"{name}: out must be a C-contiguous {np.dtype(dtype).name} array of "
            f"shape {shape}, got {got}"
        )
    loops[X.shape[0] >= PARALLEL_MIN](X, out)
    return out
'''


def _leaf_text(names, args):
    index = {s: j for j, s in enumerate(args)}

    def text(node):
        if node.op == "const":
            return scalar_literal(node.value)
        name = node.name
        if name.startswith("\x00"):  # an entry of a tensor argument
            j, k = name[1:].split("\x00")
            return f"{names[int(j)]}[{k}]"
        if node not in index:
            raise ValueError(
                f"the outputs depend on the symbol {name!r}, which is not in args "
                f"{[s.name for s in args]}"
            )
        return names[index[node]]

    return text


def _kernels(fname, args, names, flat):
    """Lines of the point function and the two loops over the points."""
    render = TemplateRender(TABLE, OVERRIDES, "numba")
    prog = ScalarProgram(flat, render, _leaf_text(names, args))
    body = []
    for target, rhs in prog.statements:
        append_statement(body, "", f"{target} = ", rhs)
    arrays = [f"_a{j}" for j in range(len(args))]
    # error_model="numpy": x / 0 is inf or nan as in numpy (no raise, no branch)
    lines = [f"@numba.njit({_OPTIONS})"]
    append_def(lines, f"_point_{fname}", names)
    lines += ["    " + ln for ln in body]
    ret = ", ".join(prog.outputs)
    append_statement(lines, "    ", "return ", ret if len(flat) == 1 else f"({ret})")
    # the packed entry: every input entry in one vector, every output entry in one
    # vector (one array to unbox and one to box: the least overhead per call)
    lines += ["", "", f"@numba.njit({_OPTIONS})"]
    append_def(lines, f"_packed_{fname}", ["_in"])
    at = 0
    for s, n in zip(args, names, strict=True):
        size = math.prod(s.shape)
        lines.append(
            f"    {n} = _in[{at}:{at + size}]" if s.shape else f"    {n} = _in[{at}]"
        )
        at += size
    lines += ["    " + ln for ln in body]
    lines.append(f"    _out = np.empty({len(flat)})")
    for k, text in enumerate(prog.outputs):
        append_statement(lines, "    ", f"_out[{k}] = ", text)
    lines.append("    return _out")
    for kind, loop, par in (
        ("loop", "range", ""),
        ("ploop", "numba.prange", ", parallel=True"),
    ):
        lines += ["", "", f"@numba.njit({_OPTIONS}{par})"]
        append_def(lines, f"_{kind}_{fname}", [*arrays, "_out"])
        lines.append(f"    for _i in {loop}(_out.shape[1]):")
        for n, a in zip(names, arrays, strict=True):
            lines.append(f"        {n} = {a}[_i]")
        lines += ["        " + ln for ln in body]
        for k, text in enumerate(prog.outputs):
            append_statement(lines, "        ", f"_out[{k}, _i] = ", text)
    return lines + _block_loops(fname, args, names, body, prog.outputs)


def _block_loops(fname, args, names, body, outputs):
    """The loops of ``f.packed_batch``: one row of ``_in`` per point, one row of
    ``_out`` per point; two contiguous streams instead of one per argument and
    output entry (at n = 100 the per-argument loop's 200 strided streams made it
    2-3x slower)."""
    lines = []
    for kind, loop, par in (
        ("bloop", "range", ""),
        ("pbloop", "numba.prange", ", parallel=True"),
    ):
        lines += ["", "", f"@numba.njit({_OPTIONS}{par})"]
        append_def(lines, f"_{kind}_{fname}", ["_in", "_out"])
        lines.append(f"    for _i in {loop}(_in.shape[0]):")
        lines.append("        _row = _in[_i]")
        at = 0
        for s, n in zip(args, names, strict=True):
            size = math.prod(s.shape)
            rhs = f"_row[{at}:{at + size}]" if s.shape else f"_row[{at}]"
            lines.append(f"        {n} = {rhs}")
            at += size
        lines += ["        " + ln for ln in body]
        for k, text in enumerate(outputs):
            append_statement(lines, "        ", f"_out[_i, {k}] = ", text)
    return lines


def _function(fname, args, names, outputs, dtype, keys, owner):
    """Lines of the kernels and the Python entry of one function; ``keys`` writes
    dict keys (a literal in a module, a namespace name in this process)."""
    leaves, tokens = flatten_outputs(outputs, owner)
    entries, _ = scalarize(leaves, args, "numba")
    flat = [e for arr in entries for e in arr.reshape(-1)]
    if not flat:
        raise ValueError(f"{owner}: the numba target needs at least one output entry")
    lines = _kernels(fname, args, names, flat)
    shapes = tuple(s.shape for s in args)
    out_shapes = tuple(leaf.shape for leaf in leaves)
    lines += ["", ""]
    append_def(lines, fname, names)
    lines.append(f'    """Compute {fname} (see the module docstring)."""'[:88])
    kernels = f"(_point_{fname}, _loop_{fname}, _ploop_{fname})"
    arg_tuple = f"({', '.join(names)}{',' if len(names) == 1 else ''})"
    call = f"{kernels}, {arg_tuple}, {shapes!r}, {tuple(names)!r}, {out_shapes!r}"
    append_statement(lines, "    ", "_o = ", f"_run({call}, np.{dtype.name})")
    ret = "".join(render_structure(tokens, lambda i: f"_o[{i}]", keys))
    append_statement(lines, "    ", "return ", ret)
    lines += ["", "", f"{fname}.point = _point_{fname}"]
    lines += [f"{fname}.packed = _packed_{fname}", "", ""]
    append_def(lines, f"_packed_batch_{fname}", ["X", "out=None"])
    lines.append('    """One row of X per point in, one row of outputs out."""')
    n_in = sum(math.prod(s.shape) for s in args)
    loops = f"(_bloop_{fname}, _pbloop_{fname})"
    name = f"{fname if owner == 'export_module' else 'f'}.packed_batch"
    call = f"{loops}, X, out, {n_in}, {len(flat)}, np.{dtype.name}, {name!r}"
    append_statement(lines, "    ", "return ", f"_run_block({call})")
    lines += ["", "", f"{fname}.packed_batch = _packed_batch_{fname}"]
    return lines


def _check(dtype, owner):
    dt = check_dtype(dtype, owner)
    if dt.kind != "f":
        raise ValueError(f"{owner}: the numba target computes in float32 or float64")
    return dt


def _header(cache):
    return [
        "import math",
        "",
        "import numba",
        "import numpy as np",
        "",
        f"_CACHE = {cache}  # numba's on-disk cache (needs a module file)",
        f"PARALLEL_MIN = {PARALLEL_MIN}  # from this many points the loop is parallel",
        "",
        "",
        *_RUN.rstrip("\n").split("\n"),
    ]


def numba_module(functions, args, dt):
    """The module text of ``export_module(..., target="numba")`` (writing it needs
    no numba; running it does).

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol
    >>> x = Symbol("x")
    >>> src = numba_module({"f": 2 * x}, [x], np.dtype("float64"))
    >>> "def _loop_f(_a0, _out):" in src and "f.point = _point_f" in src
    True
    """
    from symdiff.codegen.targets.modules import module_docstring
    from symdiff.core.version import __version__

    owner = "export_module"
    dt = _check(dt, owner)
    names = code_names(args)

    def keys(k):
        text = key_literal(k)
        if text is None:
            raise ValueError(f"{owner}: dict keys must be str, int, float, bool, None")
        return text

    how = (
        f"Every function takes the arguments ({', '.join(names)}): numbers or numpy "
        "arrays, which broadcast, and runs one compiled loop over the points (in "
        "parallel from PARALLEL_MIN points on); f.point(...) is the compiled code for "
        "one point (numbers in, a flat tuple of the outputs' entries out); "
        "f.packed_batch(X) takes the points as the rows of one (points, inputs) "
        "array and returns one (points, outputs) array."
    )
    first = f"Functions generated by symdiff {__version__} (numba target)."
    lines = module_docstring(functions, names, first, how)
    lines += [""] + _header(True)
    for fname, outputs in functions.items():
        lines += ["", ""] + _function(fname, args, names, outputs, dt, keys, owner)
    lines += ["", ""]
    exported = ", ".join(f'"{f}"' for f in sorted(functions))
    append_statement(lines, "", "__all__ = ", f"[{exported}]")
    return "\n".join(lines) + "\n"


def lambdify_numba(args, outputs, dtype):
    """``lambdify(..., backend="numba")``: kernels compiled in this process (numba's
    in-memory cache; export the module to cache on disk).

    Examples
    --------
    >>> from symdiff import Symbol
    >>> x = Symbol("x")
    >>> f = lambdify_numba([x], x * 2, "float64")  # doctest: +SKIP
    >>> f.point(1.5)  # doctest: +SKIP
    3.0
    """
    from symdiff.codegen.targets.compiled import CompiledFunction

    owner = "lambdify"
    dt = _check(dtype, owner)
    args = check_args(args, owner)
    names = code_names(args)
    extras = {}

    def keys(k):
        if isinstance(k, str | int) and not isinstance(k, bool):
            return repr(k)
        name = f"_k{len(extras)}"
        extras[name] = k
        return name

    lines = _header(False)
    lines += ["", ""] + _function("_lambdified", args, names, outputs, dt, keys, owner)
    source = "\n".join(lines) + "\n"
    fn = CompiledFunction(source, args, extras, "numba")
    fn.point = fn.__wrapped__.point
    fn.packed = fn.__wrapped__.packed
    fn.packed_batch = fn.__wrapped__.packed_batch
    return fn
