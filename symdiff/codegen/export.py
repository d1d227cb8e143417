"""``export_module``: the source of a standalone module (numpy only) of functions."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from symdiff.codegen.outputs import flatten_outputs, render_structure
from symdiff.codegen.source import (
    WIDTH,
    append_statement,
    array_literal,
    docstring_lines,
)
from symdiff.codegen.writer import (
    RESERVED_NAMES,
    ModuleWriter,
    check_args,
    check_dtype,
    code_names,
)
from symdiff.core.traverse import count_nodes, paused_gc
from symdiff.core.version import __version__

__all__ = ["export_module"]

_DOC_EXPR_CHARS = 400  # expressions are quoted in docstrings up to this length
_MAX_FUNCTION_NAME = 60


def export_module(functions, args, path=None, *, dtype="float64", target="numpy"):
    """Write a standalone Python module (numpy only) computing the given functions.

    Parameters
    ----------
    functions : dict
        Maps function names (identifiers) to outputs, as in :func:`lambdify`: an Expr
        or a (nested) list / tuple / dict of Exprs.
    args : sequence of Symbol
        The parameters every function takes, in order.
    path : str or path-like, optional
        Where to write the module (UTF-8).  The source is returned either way.
    dtype : numpy dtype, optional
        Floating dtype of the computation (``float64`` by default).
    target : {"numpy", "array_api", "numba"}, optional
        ``"array_api"``: the functions take ``xp=`` (or infer the namespace with
        ``array_api_compat``, imported if installed); ``"numba"``: compiled loops
        (``numba.njit(cache=True)``).  C source: :func:`symdiff.export_c`.

    Returns
    -------
    str
        The module's source.  It imports only numpy, says in its docstring what it
        computes and with which symdiff version, passes ``ruff check`` and is
        deterministic: the same input gives byte-identical text.

    Examples
    --------
    >>> from symdiff import symbols, grad, sin, export_module
    >>> x, y = symbols("x y")
    >>> f = x**2 * sin(y)
    >>> src = export_module({"f": f, "grad_f": grad(f, [x, y])}, [x, y])
    >>> namespace = {}
    >>> exec(src, namespace)
    >>> [float(v) for v in namespace["grad_f"](2.0, 0.0)]
    [0.0, 4.0]
    """
    owner = "export_module"
    dt = check_dtype(dtype, owner)
    args = check_args(args, owner)
    _check_functions(functions, owner)
    if target != "numpy":
        from symdiff.codegen.targets.modules import export_target

        source = export_target(target, functions, args, dt)
    else:
        source = _numpy_module(functions, args, dt)
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(source)
    return source


def _numpy_module(functions, args, dt):
    """The numpy module's source."""
    names = code_names(args)
    writer = ModuleWriter(dt, export=True, owner="export_module")
    bodies = []
    with paused_gc():
        for fname, outputs in functions.items():
            doc = f'    """Compute {fname} (see the module docstring)."""'
            if len(doc) > WIDTH:
                doc = '    """See the module docstring."""'
            bodies.append(writer.write_function(fname, args, names, outputs, [doc]))
        return _module_text(writer, functions, args, names, bodies)


def _check_functions(functions, owner):
    """``functions`` must be a non-empty dict keyed by names a module can define."""
    if not isinstance(functions, Mapping) or not functions:
        raise TypeError(
            f"{owner}: functions must be a non-empty dict mapping names to outputs, "
            f"got {functions!r}"
        )
    for fname in functions:
        if (
            not isinstance(fname, str)
            or not fname.isascii()
            or not fname.isidentifier()
            or fname.startswith("_")
            or fname in RESERVED_NAMES
            or len(fname) > _MAX_FUNCTION_NAME
        ):
            raise ValueError(
                f"{owner}: function name {fname!r} must be an ASCII identifier of at "
                f"most {_MAX_FUNCTION_NAME} characters that is not a keyword or "
                "builtin, not 'np', and does not start with '_'"
            )


def _module_text(writer, functions, args, names, bodies):
    """The module: docstring, import, constant arrays, helpers, functions, __all__."""
    lines = _module_docstring(functions, args, names)
    lines += ["", "import numpy as np"]
    if writer.consts:
        lines.append("")
        for node, cname in writer.consts.items():
            value = np.asarray(node.value)
            if value.size:
                body = f"np.array({array_literal(value)}, dtype={writer.dtype_name})"
            else:
                body = f"np.zeros({value.shape!r}, dtype={writer.dtype_name})"
            append_statement(lines, "", f"{cname} = ", body)
    for helper in sorted(writer.helpers):
        lines += ["", ""] + writer.helper_source(helper).rstrip("\n").split("\n")
    for body in bodies:
        lines += ["", ""] + body
    lines.append("")
    lines.append("")
    exported = (
        "[" + ", ".join(f'"{f}"' for f in sorted(functions, key=_isort_key)) + "]"
    )
    append_statement(lines, "", "__all__ = ", exported)
    return "\n".join(lines) + "\n"


def _isort_key(name):
    """Order ``__all__`` as ruff's default rule RUF022 wants it ("isort-style"):
    SCREAMING_CASE names, then CamelCase, then the rest, each in natural order
    (``f2`` before ``f10``)."""
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    pieces = re.split(r"(\d+)", name)
    natural = tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in pieces if p)
    return kind, natural


def _module_docstring(functions, args, names):
    """Lines of the module docstring: what each function computes, from what."""
    sig = ", ".join(names)
    doc = [f'"""Functions generated by symdiff {__version__}; needs only numpy.', ""]
    doc += docstring_lines(
        f"Every function takes the arguments ({sig}): numbers or numpy arrays, which "
        "broadcast; every result has the broadcast shape (plus its own shape).",
        "",
    )
    mangled = [(s, n) for s, n in zip(args, names, strict=True) if s.name != n]
    if mangled:
        doc += ["", "Arguments renamed to be identifiers:"]
        for s, n in mangled:
            doc += docstring_lines(f"{n}: the symbol {s.name!r}", "    ")
    doc.append("")
    for fname, outputs in functions.items():
        head = f"{fname}({sig}) computes:"
        doc.append(head if len(head) <= WIDTH - 4 else f"{fname} computes:")
        doc += docstring_lines(_outputs_text(outputs), "    ")
    doc.append('"""')
    return doc


def _outputs_text(outputs):
    """``outputs`` as text for the docstring, cut after about 400 characters (then
    the size of the whole is said, in DAG nodes)."""
    leaves, tokens = flatten_outputs(outputs, "export_module")
    text = []
    size = 0
    for piece in render_structure(tokens, lambda i: str(leaves[i]), repr):
        if size + len(piece) > _DOC_EXPR_CHARS:
            whole = f"{count_nodes(*leaves)} nodes in all"
            text.append(piece[: _DOC_EXPR_CHARS - size] + f" ... ({whole})")
            break
        text.append(piece)
        size += len(piece)
    return "".join(text)
