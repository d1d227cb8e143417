"""The C target: ``export_c`` writes C99 source and a header, no dependencies.

Per exported function ``f`` of the arguments ``(x, y, A)``:

* ``void f(double x, double y, const double *A, double *out)``: one point; scalar
  arguments are ``double``, tensor arguments pointers to their entries (row-major),
  and ``out`` receives the entries of every output one after the other (a comment
  before each output says where it starts);
* ``void f_batch(long n, const double *in, double *out)``: ``n`` points, ``in`` holding
  ``F_N_IN`` numbers per point (the arguments' entries in order) and ``out``
  ``F_N_OUT`` per point;
* the same two in single precision, ``f_f32`` and ``f_f32_batch`` (``float`` and the
  ``sinf`` family).

The body is the scalar code of :mod:`.scalar`: one ``const double _tN = ...;`` per
shared node, a node used once written into its user.  What each op prints is its op
row's numpy template with the names mapped by ``TABLE`` (``np.sin`` -> ``sin``) and
``**`` as ``pow``; ops C has no function for are written in ``OVERRIDES``.  Where the
numpy and C functions differ at NaN: ``fmax``/``fmin`` (maximum, minimum, relu) return
the other operand, ``sign``/``heaviside`` give 0.
"""

from __future__ import annotations

import math
import os
import re

import numpy as np

from symdiff.codegen.outputs import flatten_outputs
from symdiff.codegen.targets.modules import short_text
from symdiff.codegen.targets.scalar import ScalarProgram, TemplateRender, scalarize
from symdiff.codegen.writer import (
    check_args,
    code_names,
)
from symdiff.core.traverse import paused_gc, topo_order
from symdiff.core.version import __version__

__all__ = ["C_RESERVED", "OVERRIDES", "TABLE", "c_source", "export_c"]

_FUNCTIONS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "asin", "arccos": "acos",
    "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "exp": "exp",
    "log": "log", "log1p": "log1p", "expm1": "expm1", "sqrt": "sqrt", "abs": "fabs",
    "maximum": "fmax", "minimum": "fmin", "arcsinh": "asinh", "arccosh": "acosh",
    "arctanh": "atanh", "log2": "log2", "log10": "log10", "exp2": "exp2",
    "floor": "floor", "ceil": "ceil", "arctan2": "atan2", "hypot": "hypot",
    # nearbyint rounds half to even in the default rounding mode, as numpy's round
    "round": "nearbyint",
}  # fmt: skip
TABLE = {f"np.{k}": v for k, v in _FUNCTIONS.items()} | {"_erf": "erf"}
OVERRIDES = {
    "pow": "pow({0}, {1})",
    "pi": "3.141592653589793",
    "sign": "(double)(({0} > 0.0) - ({0} < 0.0))",
    "heaviside": "({0} > 0.0 ? 1.0 : 0.0)",
    "softplus": "fmax({0}, 0.0) + log1p(exp(-fabs({0})))",
    "erfc": "erfc({0})",
    "clip": "fmin(fmax({0}, {1}), {2})",
    # equal arguments apart: inf - inf would make the general form nan
    "logaddexp": (
        "({0} == {1} ? {0} + 0.6931471805599453"
        " : fmax({0}, {1}) + log1p(exp(-fabs({0} - {1}))))"
    ),
    "less": "(double)({0} < {1})",
    "less_equal": "(double)({0} <= {1})",
    "greater": "(double)({0} > {1})",
    "greater_equal": "(double)({0} >= {1})",
    "equal": "(double)({0} == {1})",
    "not_equal": "(double)({0} != {1})",
    "where": "({0} ? {1} : {2})",
}
C_RESERVED = frozenset(
    (
        "auto break case char const continue default do double else enum extern float "
        "for goto if inline int long register restrict return short signed sizeof "
        "static struct switch typedef union unsigned void volatile while "
        "n i in out p o pow fmax fmin fabs erf asin acos atan M_PI INFINITY NAN"
    ).split()
    + list(_FUNCTIONS.values())
    + list(_FUNCTIONS)
)


class _CRender(TemplateRender):
    """Templates in double or single precision (``sinf``, ``2.0f``)."""

    def __init__(self, single):
        super().__init__(TABLE, OVERRIDES, "c")
        self.single = single

    def _map(self, op, code):
        text = super()._map(op, code)
        return _single(text.replace("(double)", "(float)")) if self.single else text


def _single(text):
    """Single-precision spelling of the functions and literals of a C template."""
    for name in sorted({*_FUNCTIONS.values(), "pow", "erf"}, key=len, reverse=True):
        text = re.sub(rf"\b{name}\(", f"{name}f(", text)
    return re.sub(r"(?<![\w.])(\d+\.\d+)(?![\w.])", r"\1f", text)


def _literal(value, single):
    v = float(value) if not isinstance(value, float) else value
    if single and math.isfinite(v) and v != 0:
        with np.errstate(over="ignore", under="ignore"):
            as_single = float(np.float32(v))
        if as_single == 0 or math.isinf(as_single):
            # beyond float's range, the literal would not compile cleanly: write
            # the value it has in single precision (as numpy's float32 code has it)
            v = as_single
    if math.isnan(v):
        text = "NAN"
    elif math.isinf(v):
        text = "INFINITY" if v > 0 else "-INFINITY"
    else:
        text = repr(v)
        if single:
            text += "f"
    return f"({text})" if text.startswith("-") else text


def _c_names(args):
    """Identifiers of the arguments: the Python code names, C-safe."""
    names = code_names(args)
    return [f"_s{i}_{n}" if n in C_RESERVED else n for i, n in enumerate(names)]


def _check_name(fname):
    if (
        not isinstance(fname, str)
        or not fname.isascii()
        or not fname.isidentifier()
        or fname.startswith("_")
        or fname in C_RESERVED
        or len(fname) > 60
    ):
        raise ValueError(
            f"export_c: function name {fname!r} must be an ASCII identifier of at most "
            "60 characters, not starting with '_', that is not a C keyword or a math.h "
            "function"
        )


def _leaf_text(names, args, single):
    index = {s: j for j, s in enumerate(args)}

    def text(node):
        if node.op == "const":
            return _literal(node.value, single)
        name = node.name
        if name.startswith("\x00"):  # an entry of a tensor argument
            j, k = name[1:].split("\x00")
            return f"{names[int(j)]}[{k}]"
        if node not in index:
            raise ValueError(
                f"export_c: the outputs depend on the symbol {name!r}, which is not "
                f"in args {[s.name for s in args]}"
            )
        return names[index[node]]

    return text


def _layout(leaves):
    """(start, size) of each output in ``out``."""
    starts = []
    at = 0
    for leaf in leaves:
        size = math.prod(leaf.shape)
        starts.append((at, size))
        at += size
    return starts, at


# long: one function's text, written top to bottom as it reads
def _function(fname, args, names, outputs, single):
    """Definitions of the point and batch functions of ``fname``, and prototypes."""
    real = "float" if single else "double"
    leaves, _ = flatten_outputs(outputs, "export_c")
    entries, _ = scalarize(leaves, args, "c")
    flat = [e for arr in entries for e in arr.reshape(-1)]
    prog = ScalarProgram(flat, _CRender(single), _leaf_text(names, args, single))
    suffix = "_f32" if single else ""
    params = [
        f"const {real} *{n}" if s.shape else f"{real} {n}"
        for s, n in zip(args, names, strict=True)
    ]
    point = f"void {fname}{suffix}({', '.join([*params, f'{real} *out'])})"
    batch = f"void {fname}{suffix}_batch(long n, const {real} *in, {real} *out)"
    lines = [point, "{"]
    for target, rhs in prog.statements:
        lines.append(f"    const {real} {target} = {rhs};")
    starts, n_out = _layout(leaves)
    k = 0
    for j, (leaf, (start, size)) in enumerate(zip(leaves, starts, strict=True)):
        what = short_text(leaf, 50).replace("*/", "* /")
        what = what if len(what) <= 50 else what[:47] + "..."
        shape = f", shape {leaf.shape}, out[{start}] on" if leaf.shape else ""
        lines.append(f"    /* output {j}{shape}: {what} */")
        for _ in range(size):
            lines.append(f"    out[{k}] = {prog.outputs[k]};")
            k += 1
    lines += ["}", "", batch, "{"]
    # the point body again, inside the loop (not a call with every argument by value)
    n_in = sum(math.prod(s.shape) for s in args)
    lines.append("    for (long i = 0; i < n; ++i) {")
    used = _used_args(flat, args)
    if used:
        lines.append(f"        const {real} *p = in + i * {n_in};")
    lines.append(f"        {real} *o = out + i * {n_out};")
    at = 0
    for j, (s, name) in enumerate(zip(args, names, strict=True)):
        if j not in used:  # (an unused local would be a compiler warning)
            pass
        elif s.shape:
            lines.append(f"        const {real} *{name} = p + {at};")
        else:
            lines.append(f"        const {real} {name} = p[{at}];")
        at += math.prod(s.shape)
    for target, rhs in prog.statements:
        lines.append(f"        const {real} {target} = {rhs};")
    for k, text in enumerate(prog.outputs):
        lines.append(f"        o[{k}] = {text};")
    lines += ["    }", "}"]
    return lines, [point + ";", batch + ";"], n_in, n_out


def _used_args(flat, args):
    """Positions of the arguments the scalar expressions ``flat`` read."""
    index = {s: j for j, s in enumerate(args)}
    used = set()
    for node in topo_order(*flat):
        if node.op == "symbol":
            name = node.name
            used.add(
                int(name[1:].split("\x00")[0]) if name[:1] == "\x00" else index[node]
            )
    return used


def _comment(text, width=84):
    """``text`` as C comment lines (``*/`` cannot occur: it is split)."""
    text = text.replace("*/", "* /")
    words = text.split()
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(" * " + cur)
            cur = ""
        cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(" * " + cur)
    return lines


def c_source(functions, args, header_name="symdiff_export.h"):
    """The C source and header of ``functions`` (see :func:`export_c`).

    Examples
    --------
    >>> from symdiff import Symbol
    >>> src, hdr = c_source({"f": Symbol("x") * 2}, [Symbol("x")], "f.h")
    >>> "void f(double x, double *out);" in hdr, '#include "f.h"' in src
    (True, True)
    """
    from symdiff.codegen.targets.modules import module_docstring

    args = check_args(args, "export_c")
    if not isinstance(functions, dict) or not functions:
        raise TypeError("export_c: functions must be a non-empty dict of outputs")
    for fname in functions:
        _check_name(fname)
    names = _c_names(args)
    guard = "SYMDIFF_" + "".join(c if c.isalnum() else "_" for c in header_name).upper()
    doc = module_docstring(
        functions,
        names,
        f"C99 generated by symdiff {__version__}; needs only math.h (link with -lm).",
        "Each function f has a point form f(args..., out), a batch form f_batch(n, "
        "in, out) over n points of F_N_IN inputs each, and single-precision forms "
        "f_f32, f_f32_batch. Scalar arguments are numbers, tensor arguments pointers "
        "to their entries in row-major order; out receives the entries of every "
        "output in turn.",
        quote="",
        prefix=" * ",
    )
    head = ["/*", *(ln.replace("*/", "* /") for ln in doc[:-1]), " */"]
    src = [*head, "", "#include <math.h>", "", f'#include "{header_name}"']
    hdr = [*head, "", f"#ifndef {guard}", f"#define {guard}", ""]
    with paused_gc():
        for fname, outputs in functions.items():
            for single in (False, True):
                body, protos, n_in, n_out = _function(
                    fname, args, names, outputs, single
                )
                src += [""] + body
                hdr += protos
            hdr += [f"#define {fname.upper()}_N_IN {n_in}"]
            hdr += [f"#define {fname.upper()}_N_OUT {n_out}", ""]
    hdr += [f"#endif /* {guard} */"]
    return "\n".join(src) + "\n", "\n".join(hdr) + "\n"


def export_c(functions, args, path=None):
    """Write C99 source (``path``) and its header (``path`` with ``.h``).

    Parameters
    ----------
    functions : dict
        Maps function names (C identifiers) to outputs: an Expr or a (nested) list /
        tuple / dict of them; tensor ops are expanded entry by entry (``inv``,
        ``det``, ``solve``, ``norm`` are not supported).
    args : sequence of Symbol
        The parameters every function takes, in order.
    path : str or path-like, optional
        Where to write the ``.c`` file; the header goes beside it (``.h``).

    Returns
    -------
    (str, str)
        The source and the header.

    Examples
    --------
    >>> from symdiff import symbols, grad, sin, export_c
    >>> x, y = symbols("x y")
    >>> src, hdr = export_c({"g": grad(x**2 * sin(y), [x, y])}, [x, y])
    >>> print(src[src.index("void g("):src.index("void g_batch")])
    void g(double x, double y, double *out)
    {
        /* output 0: 2*x*sin(y) */
        out[0] = 2.0 * (x * sin(y));
        /* output 1: x**2*cos(y) */
        out[1] = pow(x, 2.0) * cos(y);
    }
    <BLANKLINE>
    <BLANKLINE>
    """
    header_name = "symdiff_export.h"
    if path is not None:
        path = os.fspath(path)
        stem = path[:-2] if path.endswith(".c") else path
        header_name = os.path.basename(stem) + ".h"
    src, hdr = c_source(functions, args, header_name)
    if path is not None:
        with open(path if path.endswith(".c") else path + ".c", "w") as fh:
            fh.write(src)
        with open(os.path.join(os.path.dirname(path), header_name), "w") as fh:
            fh.write(hdr)
    return src, hdr
