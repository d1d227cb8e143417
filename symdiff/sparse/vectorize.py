"""Vectorized evaluation of many scalar expressions: one numpy call per op *group*.

A sparse derivative of a scalar-symbol problem (``n`` scalar Symbols, as CasADi's
``SX`` sees it) is thousands of small scalar expressions, and the ordinary code
generator writes one numpy statement per node: about ``10 n`` numpy calls on 0-d
values per evaluation.  Here the nodes are *scheduled* instead:

* every node gets a **level**, the longest path from the leaves (symbols and
  constants are level 0), so a node's operands all have lower levels;
* the nodes of one level with the same op (and, for ``pow``, the same constant
  exponent, which keeps numpy's fast ``x ** 2``) form a **group**, computed by one
  numpy call on whole index vectors: ``buf[s:e] = np.sin(buf[I])``;
* all values live in one flat buffer: the arguments first, then the constants, then
  the groups, level by level.  A group's members are laid out sorted by their
  operands' slots, so an operand vector is often a slice (``buf[a:b]`` or
  ``buf[a:b:k]``, no copy) rather than a gather; an operand shared by the whole
  group is one scalar (a literal for a constant), which numpy broadcasts.

The number of numpy calls is the number of groups, which for the problems of
``benchmarks/problems.py`` does not grow with ``n`` (a chain of ``n`` additions does
make ``n`` levels: :func:`compile_scalar_program` then declines, see ``force``).
The statement of a group is the op table's numpy template (``OPS[op].code``) over
the operand vectors, so every elementwise op works with no second op table.

Why levels rather than a cleverer schedule: it is one pass in topological order, it
is exact (a group never reads a slot its own level writes), and on these problems it
already makes the number of calls independent of ``n``.
"""

from __future__ import annotations

import itertools

import numpy as np

from symdiff.codegen.source import scalar_literal
from symdiff.codegen.writer import check_args, check_dtype, code_names
from symdiff.core.lazy import scipy_special
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order, without_gc

__all__ = ["ScalarProgram", "compile_scalar_program"]

_serial = itertools.count()
# a schedule with more groups than this fraction of its nodes is no faster than one
# numpy statement per node (a group costs a few calls: gathers, the op, the store)
_MIN_NODES_PER_GROUP = 4


def _schedulable(op):
    spec = OPS[op]
    return spec.elementwise and isinstance(spec.code, str)


def _groups(order, slot_of_leaf):
    """The inner nodes by group key ``(level, op, pow's constant exponent)``, in
    topological order within a group (None: a node this module cannot schedule).

    One loop over every node: it is the compile time's largest part."""
    level = {}
    groups = {}
    ok_ops = {}
    for node in order:
        args = node.args
        if not args:
            if node not in slot_of_leaf:
                return None  # a free symbol not among args, or a nullary op
            level[node] = 0
            continue
        op = node.op
        ok = ok_ops.get(op)
        if ok is None:
            ok = ok_ops[op] = _schedulable(op)
        if not ok or node.shape:
            return None
        lv = 0
        for a in args:
            la = level[a]
            if la > lv:
                lv = la
        lv += 1
        level[node] = lv
        if op == "pow" and args[1].op == "const":
            key = (lv, op, repr(args[1].value))
        else:
            key = (lv, op, "")
        members = groups.get(key)
        if members is None:
            groups[key] = [node]
        else:
            members.append(node)
    return groups


def _operand_text(slots, shared, namespace):
    """Source reading one operand vector of a group from ``buf``."""
    if shared is not None:  # one node for every member
        if shared.op == "const":
            return scalar_literal(shared.value)
        return f"buf[{int(slots[0])}]"
    start = int(slots[0])
    if slots.size > 1:
        step = int(slots[1] - slots[0])
        if step > 0 and np.array_equal(
            slots, np.arange(start, start + step * slots.size, step)
        ):
            stop = start + step * (slots.size - 1) + 1
            tail = "" if step == 1 else f":{step}"
            return f"buf[{start}:{stop}{tail}]"
    name = f"_i{len(namespace)}"
    namespace[name] = slots
    return f"buf[{name}]"


def _group_code(op, members, slot, namespace, dtype_name):
    """The group's members in buffer order, and the source of their values."""
    if len(members) == 1:  # no vectors to lay out: read the operands' slots
        args = members[0].args
        # constants meeting only constants: numpy scalars (numpy semantics: 1 / 0 is
        # inf, not a ZeroDivisionError), as the ordinary code generator writes them
        typed = dtype_name if all(a.op == "const" for a in args) else None
        operands = [
            scalar_literal(a.value, typed) if a.op == "const" else f"buf[{slot[a]}]"
            for a in args
        ]
        return members, OPS[op].code.format(*operands)
    arity = len(members[0].args)
    operand_nodes = itertools.chain.from_iterable(m.args for m in members)
    table = np.fromiter(
        map(slot.__getitem__, operand_nodes), np.int64, arity * len(members)
    ).reshape(len(members), arity)
    # members sorted by their operands' slots: operand vectors become slices
    perm = np.lexsort(table.T[::-1])
    table = table[perm]
    members = [members[i] for i in perm.tolist()]
    operands = []
    for k in range(arity):
        column = table[:, k]
        # one slot is one node: an operand shared by the whole group
        shared = members[0].args[k] if (column == column[0]).all() else None
        operands.append(_operand_text(column, shared, namespace))
    return members, OPS[op].code.format(*operands)


# long: one pass that schedules, lays out and writes; split, it would pass six tables
@without_gc
def compile_scalar_program(args, exprs, *, dtype="float64", force=False):
    """Compile scalar expressions of scalar symbols to a grouped numpy program.

    Parameters
    ----------
    args : sequence of Symbol
        Scalar symbols: the program's parameters, in order.
    exprs : sequence of Expr
        Scalar expressions of ``args`` built from elementwise ops.
    dtype : numpy dtype, optional
    force : bool, optional
        Compile even where the schedule has so many groups (a long chain of
        dependent nodes) that the ordinary generated code would be as fast.

    Returns
    -------
    ScalarProgram or None
        None where the expressions are not all scalar elementwise operations of
        ``args`` and constants (or, without ``force``, where grouping would not
        pay); the caller then uses :func:`symdiff.lambdify`.

    Examples
    --------
    >>> from symdiff import symbols, sin
    >>> x, y, z = symbols("x y z")
    >>> exprs = [sin(x) * y, sin(y) * z, x**2]
    >>> prog = compile_scalar_program([x, y, z], exprs, force=True)
    >>> prog(0.0, 1.0, 2.0)[0].round(6).tolist()
    [0.0, 1.682942, 0.0]
    >>> prog.groups
    3
    """
    owner = "symdiff.sparse.lambdify"
    dt = check_dtype(dtype, owner)
    args = check_args(args, owner)
    if any(a.shape for a in args) or any(e.shape for e in exprs):
        return None
    order = topo_order(*exprs)
    slot = {a: i for i, a in enumerate(args)}
    consts = []
    for node in order:
        if node.op == "const" and node not in slot:
            slot[node] = len(args) + len(consts)
            consts.append(node.value)
    # every operand of an inner node is an inner node or a leaf, all scalars (the
    # leaves are args or constants: checked in _groups)
    groups = _groups(order, slot)
    if groups is None:
        return None
    inner = len(order) - len(slot)
    if not force and len(groups) * _MIN_NODES_PER_GROUP > inner:
        return None
    namespace = {}
    lines = ["def _program(buf):"]
    top = len(slot)
    erf = False
    for key in sorted(groups):
        members, rhs = _group_code(
            key[1], groups[key], slot, namespace, f"np.{dt.name}"
        )
        erf = erf or "_erf(" in rhs or "_erfc(" in rhs
        target = f"{top}" if len(members) == 1 else f"{top}:{top + len(members)}"
        lines.append(f"    buf[{target}] = {rhs}")
        for m in members:
            slot[m] = top
            top += 1
    outs = np.fromiter((slot[e] for e in exprs), np.int64, len(exprs))
    namespace["_out"] = outs
    lines.append("    return [buf[_out]]")
    source = "\n".join(lines) + "\n"
    const_values = np.array(consts, dtype=dt) if consts else np.zeros(0, dt)
    spec = (source, code_names(args), namespace, const_values, top, dt.str, erf)
    return ScalarProgram(*spec, groups=len(groups))


class ScalarProgram:
    """The grouped numpy program of :func:`compile_scalar_program` (it pickles).

    Called with one number per scalar symbol (positionally or by name), it returns
    a list of one flat array, the expressions' values: the form of a lambdified
    function of one vector output, which is what ``SparseFunction`` reads.

    Attributes
    ----------
    source : str
        The generated program (one statement per group).
    groups : int
        The number of groups: numpy statements per evaluation.
    """

    def __init__(self, source, names, namespace, consts, size, dtype, erf, groups):
        self.source = source
        self.groups = groups
        self._spec = (source, names, namespace, consts, size, dtype, erf, groups)
        self._names = names
        self._consts = consts
        self._size = size
        self._dtype = np.dtype(dtype)
        glb = {"np": np, **namespace}
        if erf:  # the helpers generated code calls, here scipy's
            glb["_erf"] = scipy_special().erf
            glb["_erfc"] = scipy_special().erfc
        filename = f"<symdiff-scalar-program-{next(_serial)}>"
        # Executing generated text is safe: it is op-table templates over slices,
        # integers and numbers formatted here; index arrays come in the namespace.
        exec(compile(source, filename, "exec"), glb)
        self._fn = glb["_program"]

    def __reduce__(self):
        return (_rebuild, self._spec)

    def __repr__(self):
        return f"<scalar program of {len(self._names)} symbols, {self.groups} groups>"

    def _bind(self, args, kwargs):
        names = self._names
        if kwargs:
            given = dict(zip(names, args, strict=False))
            for k, v in kwargs.items():
                if k not in names:
                    raise TypeError(
                        f"unexpected argument {k!r}; the arguments are {_some(names)}"
                    )
                if k in given:
                    raise TypeError(f"the argument {k!r} is given twice")
                given[k] = v
            args = [given[k] for k in names if k in given]
        if len(args) != len(names):
            raise TypeError(
                f"the function takes {len(names)} arguments "
                f"({_some(names)}), got {len(args)}"
            )
        return args

    def __call__(self, *args, **kwargs):
        args = self._bind(args, kwargs)
        n = len(args)
        buf = np.empty(self._size, dtype=self._dtype)
        try:
            buf[:n] = np.fromiter(args, self._dtype, n)
        except (TypeError, ValueError) as exc:
            shaped = [(k, np.shape(a)) for k, a in enumerate(args) if np.shape(a)]
            if not shaped:
                raise TypeError(
                    f"the arguments must be real numbers ({self._dtype}): {exc}"
                ) from exc
            k, shape = shaped[0]
            raise ValueError(
                "sparse derivative: every argument must be one number (sparse "
                "matrices take unbatched arguments, one point at a time); got "
                f"shape {shape} for {self._names[k]}"
            ) from exc
        buf[n : n + self._consts.size] = self._consts
        return self._fn(buf)


def _some(names, most=6):
    """The first few names, for error messages about thousands of arguments."""
    head = ", ".join(names[:most])
    return head + (f", ... ({len(names) - most} more)" if len(names) > most else "")


def _rebuild(*spec):
    return ScalarProgram(*spec[:-1], groups=spec[-1])
