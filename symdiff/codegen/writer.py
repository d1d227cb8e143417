"""The code writer: the numpy source of functions computing expression DAGs.

:class:`ModuleWriter` walks a DAG once in topological order and writes **one assignment
per shared node** (``_t3 = np.sin(_t2)``), so common subexpressions are computed once by
construction.  A node used only once is written into its user's expression, but never
more than three levels deep, so no line is deeply nested: a 100,000-deep chain becomes
about 25,000 short lines, and compiles.  What each op prints comes from the op table
(``OPS[op].code``: a template over the argument names, or a function
``(node, names) -> str``), so an op added to the table is printed without touching this
package; parentheses around an inlined operand are decided from the template (Python's
operator precedence for ``"{0} + {1}"``-style templates, none inside call arguments).
Temporaries are deleted right after their last use, which keeps memory flat on large
batches.

Every function the writer writes:

* converts its arguments with ``np.asarray(..., dtype=...)`` (tensor symbols also get
  their trailing shape checked; extra leading dimensions are a batch);
* aligns the operands of elementwise ops whose own shapes have different ranks, so that
  batches of scalar and tensor symbols combine (a batch prefix stays a prefix);
* returns every output with the broadcast shape of the inputs: an output that is a
  constant or that does not depend on every argument is materialised with
  ``np.full(batch + shape, value)``.

Constants are written as literals in the code.  Where they meet an array they are plain
Python numbers (numpy adopts the array's dtype, and ``x ** 2`` keeps numpy's fast
square); where only constants meet (``sin(2)``) they are numpy scalars of the chosen
dtype, so numpy (not Python) semantics apply and ``dtype=float32`` stays float32.
Constant arrays are values of the namespace (``lambdify``) or module-level
``np.array([...])`` literals (``export_module``).

Safety: the only text in generated code comes from the op table, from numbers formatted
here, and from identifiers that are checked (symbol names that are not plain, unreserved
ASCII identifiers are mangled to ``_s<i>_<letters>``).  Symbol names and expressions
appear in exported docstrings only after escaping, so no user text is ever executed.
"""

from __future__ import annotations

import builtins
import keyword
import re

import numpy as np

from symdiff.codegen.inplace import (
    NEW_ARRAY_OPS,
    in_place_form,
    in_place_text,
    result_kind,
)
from symdiff.codegen.lower import lower_for_code
from symdiff.codegen.outputs import flatten_outputs, render_structure
from symdiff.codegen.source import (
    HELPER_OF_OP,
    INDENT,
    LOOSEST,
    append_def,
    append_statement,
    expression_precedence,
    helper_source,
    key_literal,
    operand_slots,
    scalar_literal,
)
from symdiff.core.dims import has_named
from symdiff.core.expr import Expr, Symbol
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order
from symdiff.printing.precedence import ATOM
from symdiff.rewrite.predicates import is_number

_MAX_NAME = 40  # longer symbol names are mangled (readable code, lines that fit)
# names generated code cannot give a symbol or a function: they would shadow Python or
# numpy (``np``) inside it
RESERVED_NAMES = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | frozenset(dir(builtins))
    | {"np", "numpy"}
)
_INLINE_DEPTH = 3  # operands used once are written in place up to this nesting
_INLINE_CHARS = 60  # ... and this length


# arrays known to be smaller than this are not written into: small allocations are
# cheap (numpy caches them), and numpy's own temporary reuse starts at this size too
_IN_PLACE_BYTES = 256 * 1024


def _small(shape, dtype):
    if any(isinstance(d, str) for d in shape):  # a named dim: any size at all
        return False
    return int(np.prod(shape)) * dtype.itemsize < _IN_PLACE_BYTES


# -- checking the inputs ---------------------------------------------------------------


def check_dtype(dtype, owner):
    """``dtype`` as a numpy floating or complex dtype; errors name ``owner``.

    Examples
    --------
    >>> check_dtype("float32", "lambdify")
    dtype('float32')
    """
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"{owner}: dtype must be a numpy floating or complex dtype, got {dtype!r}"
        ) from None
    if dt.kind not in "fc" or not isinstance(getattr(np, dt.name, None), type):
        raise ValueError(
            f"{owner}: dtype must be a floating or complex dtype (float64, float32, "
            f"complex128, ...), got {dtype!r}"
        )
    return dt


def check_args(args, owner):
    """``args`` as a list of distinct Symbols (one Symbol alone is a list of one).

    Examples
    --------
    >>> from symdiff import Symbol
    >>> check_args(Symbol("x"), "lambdify")
    [x]
    """
    if isinstance(args, Expr):
        args = [args]
    if isinstance(args, str) or not hasattr(args, "__iter__"):
        raise TypeError(f"{owner}: args must be a sequence of Symbols, got {args!r}")
    args = list(args)
    seen = set()
    for a in args:
        if not isinstance(a, Symbol):
            raise TypeError(
                f"{owner}: args must be Symbols, got {a!r} ({type(a).__name__})"
            )
        if a in seen:
            raise ValueError(f"{owner}: symbol {a.name!r} appears twice in args")
        seen.add(a)
    return args


def _is_plain_name(name):
    """True if the symbol name ``name`` can be an identifier of generated code."""
    return (
        name.isascii()
        and name.isidentifier()
        and not name.startswith("_")
        and name not in RESERVED_NAMES
        and len(name) <= _MAX_NAME
    )


def code_names(args):
    """The identifiers the generated code uses for the symbols ``args``.

    A symbol's name is kept when it is a plain ASCII identifier that is not a Python
    keyword or builtin, not ``np``, does not start with ``_`` and has at most 40
    characters; otherwise (and for a repeated name) it is mangled deterministically to
    ``_s<position>_<its letters and digits>``.  A symbol named like a dimension of
    an argument's shape is mangled too (the code binds the dimension to that name).

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.codegen import code_names
    >>> code_names([Symbol("x"), Symbol("lambda"), Symbol("x); import os")])
    ['x', '_s1_lambda', '_s2_x_import_os']
    """
    names = []
    # generated functions bind each named dimension to a variable of its name
    taken = {str(d) for s in args for d in s.shape if isinstance(d, str)}
    for i, s in enumerate(args):
        name = s.name
        if not _is_plain_name(name) or name in taken:
            clean = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:24].rstrip("_")
            name = f"_s{i}_{clean}" if clean else f"_s{i}"
        names.append(name)
        taken.add(name)
    return names


# -- the writer ------------------------------------------------------------------------


class ModuleWriter:
    """Writes the functions of one generated module, which share what it collects.

    Shared: the dtype, the constant arrays (``consts``: node -> module-level name), the
    helper functions the code calls (``helpers``) and, for ``lambdify``, the values the
    code refers to by name (``namespace``).  ``export``: the code goes into a module
    file, so dict keys must be literals.  ``in_place``: elementwise results may be
    written into temporaries that die there (numpy's ``out=``, see
    :mod:`symdiff.codegen.inplace`); False for code that is renamed to other array
    libraries, whose arrays may be immutable.

    Examples
    --------
    >>> import numpy as np
    >>> from symdiff import Symbol, sin
    >>> x = Symbol("x")
    >>> writer = ModuleWriter(np.dtype("float64"), export=True, owner="export_module")
    >>> print("\\n".join(writer.write_function("f", [x], ["x"], sin(x) * x)))
    def f(x):
        x = np.asarray(x, dtype=np.float64)
        _t0 = x * np.sin(x)
        return _t0
    """

    def __init__(self, dtype, export, owner, in_place=True):
        self.dtype = dtype
        self.dtype_name = f"np.{dtype.name}"
        self.export = export
        self.owner = owner
        self.consts = {}  # array Const node -> module-level name
        self.namespace = {"np": np}  # values the lambdify code refers to by name
        self.helpers = set()
        self._key_names = {}  # id of a dict key -> its name in the namespace
        self._op_infos = {}  # (op, arity) -> what _op_info returns
        # results may be written into dying operands (numpy's out=; real dtypes
        # only: abs of a complex operand has a real result)
        self._in_place = in_place and dtype.kind == "f"

    def helper_source(self, name):
        """Source of the helper function ``name`` in this module's dtype."""
        return helper_source(name, self.dtype_name)

    def array_name(self, node):
        """The module-level name of the constant array ``node``."""
        name = self.consts.get(node)
        if name is None:
            name = self.consts[node] = f"_c{len(self.consts)}"
            value = np.array(node.value, dtype=self.dtype)
            value.setflags(write=False)
            self.namespace[name] = value
        return name

    def key_text(self, k):
        """Source of the dict key ``k`` of an output structure."""
        if self.export:
            text = key_literal(k)
            if text is None:
                raise ValueError(
                    f"{self.owner}: dict keys of outputs must be str, int, float, bool "
                    f"or None to be written in a module, got {k!r}"
                )
            return text
        if isinstance(k, str | int) and not isinstance(k, bool):
            return repr(k)
        name = self._key_names.setdefault(id(k), f"_k{len(self._key_names)}")
        self.namespace[name] = k
        return name

    def write_function(self, name, args, names, outputs, doc=()):
        """Source lines of the function ``name(*names)`` computing ``outputs``.

        ``args`` are the Symbols its parameters ``names`` hold; ``doc`` the lines of its
        docstring.
        """
        leaves, tokens = flatten_outputs(outputs, self.owner)
        order = topo_order(*leaves)
        lowered = lower_for_code(order, leaves)
        if lowered is not leaves:
            leaves = lowered
            order = topo_order(*leaves)
        masks = self._dependency_masks(order, args)
        self._check_dims_bound(order, args)
        self._plan_statements(order, leaves, args, names, masks)
        out_texts, need_batch = self._output_texts(leaves, masks, len(args))
        lines = []
        append_def(lines, name, names)
        lines.extend(doc)
        args_read = set(args) if need_batch else self._args_read
        self._write_prologue(lines, args, names, args_read, need_batch)
        self._write_statements(lines, leaves)
        ret = "".join(render_structure(tokens, out_texts.__getitem__, self.key_text))
        append_statement(lines, INDENT, "return ", ret)
        return lines

    # -- the steps of write_function ---------------------------------------------------

    def _check_dims_bound(self, order, args):
        """Every named dim the outputs use must be read off some argument's shape."""
        bound = {d for s in args for d in s.shape if isinstance(d, str)}
        for node in order:
            used = [d for d in node.shape if isinstance(d, str)]
            if node.op == "dim":
                used.append(node.params["name"])
            for d in used:
                if d not in bound:
                    raise ValueError(
                        f"{self.owner}: the outputs use the dimension {str(d)!r}, "
                        "which no argument's shape has, so its size is unknown "
                        f"(args: {[f'{s.name} {s.shape}' for s in args]})"
                    )

    def _dependency_masks(self, order, args):
        """Bit i of a node's mask is set when it depends on ``args[i]``."""
        bit = {s: 1 << i for i, s in enumerate(args)}
        mask = {}
        for node in order:
            if node.op == "symbol":
                m = bit.get(node)
                if m is None:
                    shape = f" (shape {node.shape})" if node.shape else ""
                    raise ValueError(
                        f"{self.owner}: the outputs depend on the symbol "
                        f"{node.name!r}{shape}, which is not in args "
                        f"{[s.name for s in args]}"
                    )
                mask[node] = m
            else:
                m = 0
                for a in node.args:
                    m |= mask[a]
                mask[node] = m
        return mask

    def _plan_statements(self, order, leaves, args, names, masks):
        """Decide the function's statements: ``self._statements`` gets one
        ``(target, rhs, temporaries it reads)`` per node that needs an assignment."""
        uses = {}
        for node in order:
            for a in node.args:
                uses[a] = uses.get(a, 0) + 1
        for leaf in leaves:
            uses[leaf] = 2  # outputs are returned by name

        # Shared nodes (and outputs) get an assignment.  A node used once is written
        # into its consumer's expression, up to a small depth: that is the same
        # computation in fewer statements, and its temporary dies at once.
        self._name_of = dict(zip(args, names, strict=True))  # node -> name in the code
        self._statements = []
        self._temporaries = set()
        self._inline = {}  # node used once -> (text, depth, reads, precedence)
        self._args_read = set()
        self._fresh = set()  # nodes whose value is a new floating-point array
        self._not_float = set()  # booleans (masks) and what is made of them only
        self._written_into = {}  # inlined node -> the name of the array it wrote into
        self._walrus = 0  # names _w0, _w1, ... of inlined operands written into
        self._unbatched = 0  # mask of the arguments _unbatched tests (see _written)
        for node in order:
            if node.op == "symbol":
                continue
            if node.op == "const":
                if node.shape:
                    self._name_of[node] = self.array_name(node)
                continue
            text, depth, reads, prec = self._expression(node, masks)
            if uses[node] == 1:
                self._inline[node] = (text, depth, reads, prec)
            else:
                self._assign(node, text, reads)

    def _output_texts(self, leaves, masks, n_args):
        """The text of each output, and whether any needs the batch shape ``_b``.

        Outputs that are arguments or constants, or that miss an argument, are
        materialised at the full broadcast shape.
        """
        full = (1 << n_args) - 1
        out_texts = []
        need_batch = False
        for leaf in leaves:
            text = self._name_of.get(leaf) or scalar_literal(leaf.value)
            if not leaf.args or masks[leaf] != full:
                need_batch = True
                shape = f"_b + {leaf.shape!r}" if leaf.shape else "_b"
                if leaf.args:  # computed here: filled out only if it has to be
                    self.helpers.add("_full")
                    text = f"_full({text}, {shape})"
                else:  # an argument or a constant: always a new array
                    text = f"np.full({shape}, {text}, dtype={self.dtype_name})"
            out_texts.append(text)
        return out_texts, need_batch

    def _write_prologue(self, lines, args, names, args_read, need_batch):
        """Convert the arguments that are read; compute the batch shape if needed."""
        dims = {}  # dim name -> [(code name, ndim, axis)] of the arguments that have it
        for s, n in zip(args, names, strict=True):
            for i, d in enumerate(s.shape):
                if isinstance(d, str):
                    dims.setdefault(str(d), []).append((n, s.ndim, i))
        for s, n in zip(args, names, strict=True):
            if s not in args_read and not has_named(s.shape):
                continue
            if has_named(s.shape):
                self.helpers.add("_argn")
                sizes = tuple(None if isinstance(d, str) else d for d in s.shape)
                value = f'_argn({n}, {sizes!r}, "{n}", "{s.shape!r}")'
                # the usual call (a float array of the declared rank) passes an
                # inline test; anything else goes through the helper
                usual = [
                    f"{n}.__class__ is not np.ndarray",
                    f"{n}.dtype.type is not {self.dtype_name}",
                    f"{n}.ndim != {s.ndim}",
                ] + [f"{n}.shape[{i}] != {d}" for i, d in enumerate(sizes) if d]
                append_statement(lines, INDENT, "if ", " or ".join(usual))
                lines[-1] += ":"
                append_statement(lines, INDENT * 2, f"{n} = ", value)
                continue
            if s.shape:
                self.helpers.add("_arg")
                value = f'_arg({n}, {s.shape!r}, "{n}")'
            else:
                value = f"np.asarray({n}, dtype={self.dtype_name})"
            append_statement(lines, INDENT, f"{n} = ", value)
        for dim, seen in dims.items():
            # a named dim is read off the arguments (their own axes are trailing)
            n, k, i = seen[0]
            append_statement(lines, INDENT, f"{dim} = ", f"{n}.shape[{i - k}]")
            parts = ", ".join(f'({m}.shape[{j - q}], "{m}", {j})' for m, q, j in seen)
            for m, q, j in seen[1:]:
                # checked inline (a call costs more than the check); the helper
                # only words the error
                self.helpers.add("_dim")
                lines.append(f"{INDENT}if {m}.shape[{j - q}] != {dim}:")
                append_statement(lines, INDENT * 2, "", f'_dim("{dim}", {parts})')
        self._write_batch_shape(lines, args, names, need_batch)

    def _write_batch_shape(self, lines, args, names, need_batch):
        """``_unbatched`` (no argument the in-place writes depend on is a batch) and
        ``_b`` (the batch shape), where the code uses them."""
        if self._unbatched:
            plain = [
                f"{n}.ndim == {s.ndim}"
                for i, (s, n) in enumerate(zip(args, names, strict=True))
                if self._unbatched >> i & 1
            ]
            append_statement(lines, INDENT, "_unbatched = ", " and ".join(plain))
        if need_batch:
            parts = [
                f"np.shape({n})[: np.ndim({n}) - {s.ndim}]"
                if s.shape
                else f"np.shape({n})"
                for s, n in zip(args, names, strict=True)
            ]
            if len(parts) > 1:
                batch = f"np.broadcast_shapes({', '.join(parts)})"
            if len(parts) > 1 and any(s.shape for s in args):
                # the usual call has no batch: skip the shape arithmetic (the
                # arguments are arrays here, all of them converted above)
                plain = " and ".join(
                    f"{n}.ndim == {s.ndim}" for s, n in zip(args, names, strict=True)
                )
                batch = f"() if {plain} else {batch}"
            elif len(parts) <= 1:
                batch = parts[0] if parts else "()"
            append_statement(lines, INDENT, "_b = ", batch)

    def _write_statements(self, lines, leaves):
        """The planned assignments, each temporary deleted after its last read
        (outputs are kept: the return statement reads them)."""
        statements = self._statements
        keep = {
            self._name_of[leaf]
            for leaf in leaves
            if self._name_of.get(leaf) in self._temporaries
        }
        last = {}
        for i, (_, _, reads) in enumerate(statements):
            for t in reads:
                last[t] = i
        for i, (target, rhs, reads) in enumerate(statements):
            append_statement(lines, INDENT, f"{target} = ", rhs)
            dead = [t for t in dict.fromkeys(reads) if last[t] == i and t not in keep]
            if dead:
                append_statement(lines, INDENT, "del ", ", ".join(dead))

    # -- expressions -------------------------------------------------------------------

    def _assign(self, node, text, reads):
        target = f"_t{len(self._statements)}"
        self._statements.append((target, text, reads))
        self._name_of[node] = target
        self._temporaries.add(target)
        return target

    def _op_info(self, op, arity):
        """(code, operand slots, precedence, elementwise, in-place form, result
        kind) of an op, looked up once."""
        key = (op, arity)
        info = self._op_infos.get(key)
        if info is None:
            spec = OPS[op]
            code = spec.code
            if code is None:
                raise NotImplementedError(
                    f"{self.owner}: the op {op!r} has no numpy code template "
                    f"(OPS[{op!r}].code, in symdiff/ops/), so it cannot be compiled"
                )
            if isinstance(code, str):
                slots = operand_slots(code, arity)
                prec = expression_precedence(code, code.format(*["_"] * arity))
            else:  # a function's text is only known per node
                slots = prec = None
            form = in_place_form(code, arity) if spec.elementwise else None
            kind = "new" if op in NEW_ARRAY_OPS else result_kind(code, arity)
            info = (code, slots, prec, spec.elementwise, form, kind)
            self._op_infos[key] = info
            helper = HELPER_OF_OP.get(op)
            if helper is not None:
                self.helpers.add(helper)
        return info

    def _expression(self, node, masks):
        """Source of ``node``, its inlining depth, the temporaries it reads, and its
        precedence as a Python expression (None: work it out from the text)."""
        args = node.args
        code, slots, prec, elementwise, form, kind = self._op_info(node.op, len(args))
        not_float = self._classify(node, kind)
        # constants meeting only constants are numpy scalars: numpy semantics, dtype
        typed = self.dtype_name if masks[node] == 0 else None
        ndim = len(node.shape)
        inline = self._inline
        operands = []
        reads = []
        depth = 0
        once = []  # (position, operand) of the operands used only here
        for a in args:
            pending = inline.pop(a, None) if inline else None
            if pending is not None:
                once.append((len(operands), a))
                text, d, r, p = pending
                # a template that uses each operand once can take operand expressions
                if slots and d < _INLINE_DEPTH and len(text) <= _INLINE_CHARS:
                    need = slots[len(operands)]
                    if need:  # (a call's argument needs nothing: skip the work)
                        if p is None:
                            p = expression_precedence(None, text)
                        if p < need:
                            text = f"({text})"
                    if d >= depth:
                        depth = d + 1
                    reads += r
                else:
                    text = self._assign(a, text, r)
                    reads.append(text)
            else:
                text = self._name_of.get(a)
                if text is None:  # a scalar constant, written in place
                    text = scalar_literal(a.value, typed)
                elif text in self._temporaries:
                    reads.append(text)
                elif a.op == "symbol":
                    self._args_read.add(a)
            if elementwise and len(a.shape) < ndim and masks[a]:
                # keep a batch prefix a prefix: (*batch, *a.shape) gets 1s inserted
                # in front of a's own axes, not in front of the batch
                axes = tuple(range(-ndim, -len(a.shape)))
                text = f"np.expand_dims({text}, {axes!r})"
            operands.append(text)
        if once and form and self._in_place and ndim and not not_float:
            written = self._written(node, form, slots, operands, once, reads, masks)
            if written is not None:
                return written, depth, reads, ATOM
        if slots is not None or isinstance(code, str):
            rhs = code.format(*operands)
        else:
            rhs = code(node, operands)
        if not args:  # an op like pi: a constant of the chosen dtype
            if node.shape:
                rhs = f"np.asarray({rhs}, dtype={self.dtype_name})"
            else:
                rhs = f"{self.dtype_name}({rhs})"
            prec = ATOM
        return rhs, depth, reads, prec

    def _classify(self, node, kind):
        """Record whether ``node`` is a new floating-point array (it may be written
        into) or not floating-point at all (masks; it is never written to)."""
        args = node.args
        if kind == "mask" or (args and all(a in self._not_float for a in args)):
            self._not_float.add(node)
            return True
        if kind == "new":
            self._fresh.add(node)
        return False

    def _step_product(self, node, once, operands, reads, masks):
        """``g * sign(r)`` with ``r = maximum(x, 0)`` a named temporary (a ReLU's
        backward pass, as lowered) written as ``_times_step(g, r, out)``: a boolean
        mask instead of the float array of sign, ``out`` a dying ``g``."""
        if node.op != "mul" or _small(node.shape, self.dtype):
            return None
        found = [
            (i, s.args[0])
            for i, s in once
            if s.op == "sign"
            and s not in self._name_of  # (its text went inline: never evaluated)
            and s.args[0].op == "maximum"
            and any(is_number(b, 0) for b in s.args[0].args)
            and s.args[0] in self._name_of
        ]
        if not found:
            return None
        i, r = found[0]
        j = 1 - i
        g = node.args[j]
        out = "None"
        if (j, g) in once and g in self._fresh and g.shape == node.shape:
            name = self._name_of.get(g) or self._written_into.get(g, "")
            if not name:
                name = f"_w{self._walrus}"
                self._walrus += 1
                self._temporaries.add(name)
                reads.append(name)
                operands[j] = f"{name} := {operands[j]}"
            extra = masks[node] & ~masks[g]
            self._unbatched |= extra
            out = f"({name} if _unbatched else None)" if extra else name
        self.helpers.add("_times_step")
        return f"_times_step({operands[j]}, {self._name_of[r]}, {out})"

    def _written(self, node, form, slots, operands, once, reads, masks):
        """The text of an elementwise node written into one of the operands used only
        here (``once``: (position, operand)); None where none is a new array of the
        result's shape, or where numpy already reuses it by itself."""
        step = self._step_product(node, once, operands, reads, masks)
        if step is not None:
            return step
        # (position, the array's name; "" for inlined text, named below)
        dying = [
            (i, self._name_of.get(a) or self._written_into.get(a, ""))
            for i, a in once
            if a in self._fresh and a.shape == node.shape
        ]
        if not dying or _small(node.shape, self.dtype):
            return None
        kind, ufunc = form
        if kind == "operator":
            # numpy itself reuses the temporary of ``tmp + y`` when y has tmp's shape
            # or is a scalar (and of ``y + tmp`` for + and *): leave those as they read
            x, y = node.args
            for i, _ in dying:
                if i == 0 and y.shape in ((), node.shape):
                    return None
                if (
                    i == 1
                    and ufunc in ("add", "multiply")
                    and x.shape in ((), node.shape)
                ):
                    return None
        i, name = dying[0]
        if not name:  # the operand is inlined text: name it where it is computed
            name = f"_w{self._walrus}"
            self._walrus += 1
            self._temporaries.add(name)
            reads.append(name)  # deleted after the statement the text ends up in
            text = f"{name} := {operands[i]}"
            # (an operand slot inside an expression needs the parentheses)
            in_call = kind == "operator" or (slots and slots[i] == LOOSEST)
            operands[i] = text if in_call else f"({text})"
        rhs = OPS[node.op].code.format(*operands)
        extra = masks[node] & ~masks[node.args[i]]
        if extra:
            # arguments the operand does not read could bring a batch that makes
            # the result larger than the operand: written into it only when none
            # of them is a batch (the prologue's _unbatched)
            self._unbatched |= extra
            target = f"{name} if _unbatched else None"
        else:
            self._written_into[node] = name
            target = name
        return in_place_text(form, rhs, operands, target)
