"""Code for sparse derivatives: functions returning ``scipy.sparse`` matrices.

The expressions are compiled by the ordinary code generator: :func:`lambdify` (and
:func:`export_module`) compile the tuple ``derivative.compressed`` -- a few vector
expressions for a shaped formulation, a list of scalars otherwise -- and a small
wrapper gathers the nonzeros from the flat results (``values = flat[gather]``, one
numpy fancy-index) and assembles the matrix from the pattern, which is fixed and
prepared once (CSR index arrays, the permutation to CSR order of the full symmetric
matrix).  Exported modules need numpy, and scipy only for ``format="csr"``/``"coo"``.
"""

from __future__ import annotations

import copy
import math

import numpy as np

from symdiff.codegen.export import export_module as _export_exprs
from symdiff.codegen.lambdify import lambdify as _lambdify_exprs
from symdiff.codegen.source import append_def, append_statement
from symdiff.codegen.writer import check_args, code_names
from symdiff.core.expr import Expr
from symdiff.sparse.batched import batchable, batched_columns, use_batched
from symdiff.sparse.derivatives import SparseDerivative
from symdiff.sparse.reroll import PackedArguments
from symdiff.sparse.vectorize import compile_scalar_program

__all__ = ["SparseFunction", "export_module", "lambdify"]

FORMATS = ("csr", "coo", "triple")


def _check_format(fmt, owner):
    if fmt not in FORMATS:
        raise ValueError(
            f"{owner}: format must be one of {', '.join(map(repr, FORMATS))}, "
            f"got {fmt!r}"
        )


def assembly(derivative, triangle=False):
    """The fixed index arrays that turn the gathered nonzeros into the matrix.

    Returns ``(take, rows, cols, indptr, indices)``: the full matrix's values are
    ``values[take]`` in CSR order, at ``(rows, cols)``; ``indptr`` and ``indices``
    are its CSR structure.  For a Hessian without ``triangle`` every off-diagonal
    nonzero appears twice (both triangles).

    Examples
    --------
    >>> from symdiff import symbols
    >>> from symdiff.sparse import sparse_hessian
    >>> x, y = symbols("x y")
    >>> take, rows, cols, indptr, indices = assembly(sparse_hessian(x * y, [x, y]))
    >>> take.tolist(), rows.tolist(), cols.tolist()
    ([0, 0], [0, 1], [1, 0])
    """
    rows, cols = derivative.rows, derivative.cols
    take = np.arange(rows.size)
    if derivative.symmetric and not triangle:
        off = np.flatnonzero(rows != cols)
        take = np.concatenate([take, off])
        rows, cols = (
            np.concatenate([rows, cols[off]]),
            np.concatenate([cols, rows[off]]),
        )
    order = np.lexsort((cols, rows))
    take, rows, cols = take[order], rows[order], cols[order]
    indptr = np.zeros(derivative.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=derivative.shape[0]), out=indptr[1:])
    return take, rows, cols, indptr, cols.astype(np.int64)


def _flat_values(outs, sizes):
    """The compressed results, checked (no batch dimensions) and concatenated."""
    parts = []
    for o, size in zip(outs, sizes, strict=True):
        a = np.asarray(o)
        if a.size != size:
            raise ValueError(
                "sparse derivative: a compressed value has shape "
                f"{a.shape}, expected {size} entries; sparse matrices take "
                "unbatched arguments (one point at a time)"
            )
        parts.append(a.reshape(-1))
    return np.concatenate(parts) if parts else np.zeros(0)


class _Assembler:
    """Turns the gathered values into the matrix, at a small fixed cost per call.

    The structure never changes, so the first matrix is built by scipy's constructor
    (which checks it and picks the index dtype), and each later one is a shallow copy
    of it (``copy.copy``) given the new ``data`` and its own copies of the index
    arrays: the constructor's checks cost ten times the copy on a thousand nonzeros,
    and callers may modify a returned matrix's arrays in place (``sum_duplicates``,
    ``eliminate_zeros``) without reaching the next one.
    """

    def __init__(self, fmt, shape, rows, cols, indptr, indices):
        self.format, self.shape = fmt, shape
        self.rows, self.cols, self.indptr, self.indices = rows, cols, indptr, indices
        self._template = None

    def _build(self, data):
        from scipy import sparse  # only callers asking for scipy matrices load it

        if self.format == "coo":
            return sparse.coo_array((data, (self.rows, self.cols)), shape=self.shape)
        return sparse.csr_array((data, self.indices, self.indptr), shape=self.shape)

    def __call__(self, data):
        if self.format == "triple":
            return self.rows.copy(), self.cols.copy(), data
        template = self._template
        if template is None:
            out = self._build(data)
            # the template keeps copies of its own (it outlives what the caller does)
            self._template = copy.copy(out)
            self._fill(self._template, out.data.copy(), out)
            return out
        out = copy.copy(template)
        self._fill(out, data, template)
        return out

    def _fill(self, out, data, like):
        out.data = data
        if self.format == "coo":
            out.coords = tuple(c.copy() for c in like.coords)
        else:
            out.indices = like.indices.copy()
            out.indptr = like.indptr.copy()


class SparseFunction:
    """What :func:`lambdify` returns for a :class:`SparseDerivative` (it pickles).

    Calling it with the arguments' values returns a ``scipy.sparse.csr_array``, a
    ``coo_array`` or a ``(rows, cols, values)`` triple of numpy arrays.

    Attributes
    ----------
    compressed : LambdifiedFunction, ScalarProgram or PackedArguments
        The compiled compressed columns: generated code, the grouped program of a
        scalar-symbol derivative (:mod:`symdiff.sparse.vectorize`), or the code of a
        re-rolled one fed its packed arguments (:mod:`symdiff.sparse.reroll`).
    shape : tuple of int
    format : str
    """

    def __init__(self, compressed, sizes, gather, plan, shape, fmt):
        self.compressed = compressed
        self.shape = shape
        self.format = fmt
        self._spec = (compressed, sizes, gather, plan, shape, fmt)
        self._sizes = sizes
        self._total = sum(sizes)
        take, rows, cols, indptr, indices = plan
        # one gather from the flat compressed values straight to the matrix's order
        self._pos = np.asarray(gather, dtype=np.intp)[take]
        self._assemble = _Assembler(fmt, shape, rows, cols, indptr, indices)
        self._fn = getattr(compressed, "__wrapped__", compressed)

    def __reduce__(self):
        return (SparseFunction, self._spec)

    def __repr__(self):
        return f"<sparse {self.format} function {self.shape} of {self.compressed!r}>"

    def __call__(self, *args, **kwargs):
        outs = self._fn(*args, **kwargs)
        # (axis=None flattens each value: no reshape calls, which cost as much)
        flat = np.concatenate(outs, axis=None) if outs else np.zeros(0)
        if flat.size != self._total:  # a batch (or a bug): say which value is off
            flat = _flat_values(outs, self._sizes)
        return self._assemble(flat.take(self._pos))


def lambdify(
    args, derivative, format="csr", *, triangle=False, dtype="float64", batched=None
):
    """Compile a sparse derivative to a function returning a sparse matrix.

    Parameters
    ----------
    args : Symbol or sequence of Symbol
        The function's parameters, in order (as for :func:`symdiff.lambdify`).
    derivative : SparseDerivative
        From :func:`sparse_jacobian` or :func:`sparse_hessian`.
    format : {"csr", "coo", "triple"}, optional
        A ``scipy.sparse.csr_array`` (default), a ``coo_array``, or a ``(rows, cols,
        values)`` triple of numpy arrays (no scipy needed).
    triangle : bool, optional
        For a Hessian: only the lower triangle (default: the full symmetric matrix).
    dtype : numpy dtype, optional
    batched : bool, optional
        Evaluate all colours' columns in one batched call
        (:mod:`symdiff.sparse.batched`) instead of one sweep per colour; by default
        when that is faster: shaped variables, few colours times variables, and
        batched code with at most half the operations.

    Returns
    -------
    SparseFunction

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol
    >>> from symdiff.sparse import sparse_hessian
    >>> x = Symbol("x", shape=(3,))
    >>> H = lambdify([x], sparse_hessian((x[1:] * x[:-1] ** 2).sum(), x))
    >>> H(np.array([1.0, 2.0, 3.0])).toarray()
    array([[4., 2., 0.],
           [2., 6., 4.],
           [0., 4., 0.]])
    """
    owner = "symdiff.sparse.lambdify"
    if not isinstance(derivative, SparseDerivative):
        raise TypeError(
            f"{owner}: expected a SparseDerivative (from sparse_jacobian or "
            f"sparse_hessian), got {type(derivative).__name__}; use symdiff.lambdify "
            "for expressions"
        )
    _check_format(format, owner)
    plan = assembly(derivative, triangle)
    if batched and not batchable(derivative):
        raise ValueError(
            f"{owner}: batched=True needs a derivative from sparse_hessian or "
            "sparse_jacobian with shaped variables and shaped outputs"
        )
    if batched or batched is None and use_batched(derivative):
        found = batched_columns(
            derivative, check_args(args, owner), dtype, only_if_smaller=not batched
        )
        if found is not None:
            compiled, sizes, gather = found
            return SparseFunction(
                compiled, sizes, gather, plan, derivative.shape, format
            )
    compressed = derivative.compressed
    sizes = tuple(math.prod(e.shape) for e in compressed)
    if derivative.packed is not None and _is_wrt(args, derivative.wrt):
        # re-rolled (symdiff.sparse.reroll): shaped code of one vector, fed packed
        inner = _lambdify_exprs([derivative.packed], list(compressed), dtype=dtype)
        # (the symbols themselves: their names are read only when needed)
        compiled = PackedArguments(inner, derivative.wrt, dtype)
    else:
        compressed = derivative.unpacked()
        # scalar symbols: one numpy call per group of like nodes (sparse.vectorize)
        compiled = compile_scalar_program(args, compressed, dtype=dtype)
        if compiled is not None:
            sizes = (len(compressed),)
        else:
            compiled = _lambdify_exprs(args, list(compressed), dtype=dtype)
    return SparseFunction(
        compiled, sizes, derivative.gather, plan, derivative.shape, format
    )


def _is_wrt(args, wrt):
    args = (args,) if isinstance(args, Expr) else tuple(args)
    # (Exprs compare by identity: one C-level tuple comparison)
    return args == tuple(wrt)


def _int_array_text(arr):
    return "np.array([" + ", ".join(map(str, arr.tolist())) + "], dtype=np.int64)"


def _wrapper_lines(name, inner, params, derivative, fmt, triangle):
    """The exported wrapper ``name``: gather the values, assemble the matrix."""
    take, rows, cols, indptr, indices = assembly(derivative, triangle)
    sizes = [math.prod(e.shape) for e in derivative.compressed]
    pos = np.asarray(derivative.gather)[take]
    lines = ["", ""]
    consts = {"POS": pos, "ROWS": rows, "COLS": cols, "INDPTR": indptr}
    for key, arr in consts.items():
        append_statement(lines, "", f"_{name.upper()}_{key} = ", _int_array_text(arr))
    lines += ["", ""]
    append_def(lines, name, params)
    lines.append(
        f'    """The sparse {fmt} matrix {name} (see the module docstring)."""'
    )
    append_statement(lines, "    ", "parts = ", f"{inner}({', '.join(params)})")
    lines.append(
        "    flat = np.concatenate([np.reshape(p, -1) for p in parts])"
        if sizes
        else "    flat = np.zeros(0)"
    )
    lines.append(f"    if flat.size != {sum(sizes)}:")
    lines.append('        raise ValueError("sparse matrices take unbatched arguments")')
    lines.append(f"    data = flat[_{name.upper()}_POS]")
    pre = f"_{name.upper()}_"
    if fmt == "triple":
        lines.append(f"    return {pre}ROWS.copy(), {pre}COLS.copy(), data")
    else:
        lines.append("    from scipy import sparse")
        shape = tuple(int(s) for s in derivative.shape)
        if fmt == "coo":
            lines.append(
                f"    return sparse.coo_array((data, ({pre}ROWS, {pre}COLS)), "
                f"shape={shape!r})"
            )
        else:
            lines.append(
                f"    return sparse.csr_array((data, {pre}COLS, {pre}INDPTR), "
                f"shape={shape!r})"
            )
    return lines


def export_module(
    functions, args, path=None, *, format="csr", triangle=False, dtype="float64"
):
    """Write a standalone module computing expressions and sparse derivatives.

    Like :func:`symdiff.export_module`, whose arguments it takes, but a value of
    ``functions`` may also be a :class:`SparseDerivative`: that function then returns
    a sparse matrix in ``format`` (``"csr"``, ``"coo"`` or a ``"triple"``), computed
    by a helper ``<name>_compressed`` plus the fixed pattern, written as integer
    arrays.  The module imports numpy, and scipy.sparse inside the sparse functions
    (not at all for ``"triple"``).

    Parameters
    ----------
    functions : dict
        Names to Exprs (as in :func:`symdiff.export_module`) or SparseDerivatives.
    args : sequence of Symbol
    path : str or path-like, optional
    format : {"csr", "coo", "triple"}, optional
    triangle : bool, optional
        For Hessians: only the lower triangle.
    dtype : numpy dtype, optional

    Returns
    -------
    str
        The module's source.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol
    >>> from symdiff.sparse import sparse_hessian
    >>> x = Symbol("x", shape=(3,))
    >>> f = (x[1:] * x[:-1] ** 2).sum()
    >>> src = export_module({"f": f, "hess": sparse_hessian(f, x)}, [x],
    ...                     format="triple")
    >>> namespace = {}
    >>> exec(src, namespace)
    >>> rows, cols, vals = namespace["hess"](np.array([1.0, 2.0, 3.0]))
    >>> rows.tolist(), vals.tolist()
    ([0, 0, 1, 1, 1, 2], [4.0, 2.0, 2.0, 6.0, 4.0, 4.0])
    """
    owner = "symdiff.sparse.export_module"
    _check_format(format, owner)
    if not isinstance(functions, dict) or not functions:
        raise TypeError(f"{owner}: functions must be a non-empty dict")
    plain, sparse_ones = {}, {}
    for name, value in functions.items():
        if isinstance(value, SparseDerivative):
            plain[f"{name}_compressed"] = list(value.unpacked())
            sparse_ones[name] = value
        else:
            plain[name] = value
    source = _export_exprs(plain, args, dtype=dtype)
    params = code_names(check_args(args, owner))
    lines = source.rstrip("\n").split("\n")
    for name, value in sparse_ones.items():
        lines += _wrapper_lines(
            name, f"{name}_compressed", params, value, format, triangle
        )
    if sparse_ones:
        lines += ["", "", f"__all__ += {sorted(sparse_ones)!r}".replace("'", '"')]
    source = "\n".join(lines) + "\n"
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(source)
    return source
