"""Expr: the immutable, interned DAG node, and the operator overloads that build it.

Every node is created by :func:`apply` (or the leaf constructors :class:`Symbol` and
:func:`const`), which normalises the arguments, checks shapes, runs the canonicalising
rewrite rules of the op and then *interns* the node: building the same expression twice
returns the same object.  Because of that, Python's default identity ``==`` and ``hash``
are structural and O(1), and equal subexpressions are one node (a hash-consed DAG).

The intern table's keys refer to children by ``id`` (a live parent keeps its children
alive, so those ids cannot be reused while the key exists), which keeps hashing a key
C-fast.  Nodes nobody refers to any more are dropped from the table by
:func:`collect_garbage`, which runs by itself as the table grows.
"""

from __future__ import annotations

import numbers
import sys
import threading
from fractions import Fraction

import numpy as np

from symdiff.core.order import sort_key
from symdiff.core.shapes import check_shape
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order

# key -> node.  Insertion order is creation order, so children always come before
# their parents.  The table holds nodes strongly; `collect_garbage` (run by itself each
# time the table doubles) drops the nodes nobody else refers to, newest first: dropping
# a dead parent releases its children before they are looked at, so one pass frees
# whole dead chains, and deallocation never nests (a deep chain is freed node by node).
_NODES: dict = {}
_SWEEP_MIN = 200_000
_sweep_at = _SWEEP_MIN
# sweeps are serialised by this lock and counted by `_sweep_seq` (odd while one runs),
# which is how `_intern` knows a node it found without the lock is still interned
_SWEEP_LOCK = threading.RLock()
_sweep_seq = 0


def collect_garbage():
    """Free interned nodes that no live expression refers to; return how many.

    Runs by itself whenever the intern table has doubled since the last run, so
    calling it is never needed for correctness, only to release memory early.

    Examples
    --------
    >>> from symdiff import Symbol, sin
    >>> from symdiff.core.expr import collect_garbage
    >>> e = sin(Symbol("tmp_var")) * 7
    >>> del e
    >>> collect_garbage() >= 2
    True
    """
    global _sweep_at, _sweep_seq
    freed = 0
    with _SWEEP_LOCK:
        _sweep_seq += 1  # odd: a sweep is running (see `_intern`)
        try:
            for key in reversed(list(_NODES)):
                node = _NODES.get(key)
                # references: the table, `node` here, and getrefcount's argument; a
                # thread that holds the node adds one, so it is never dropped here
                if node is not None and sys.getrefcount(node) <= 3:
                    del _NODES[key]
                    freed += 1
            node = None
            _sweep_at = max(_SWEEP_MIN, 2 * len(_NODES))
        finally:
            _sweep_seq += 1
    return freed


class Expr:
    """An immutable, interned node of a symbolic expression DAG.

    Build expressions from :class:`Symbol`, numbers, Python operators and the functions
    of :mod:`symdiff` (``sin``, ``exp``, ...); never instantiate ``Expr`` directly.

    Attributes
    ----------
    op : str
        The operation's name, a key of :data:`symdiff.core.spec.OPS`.
    args : tuple of Expr
        Operands.
    params : dict
        Op-specific parameters (the value of a constant, the name of a symbol, the
        axis of a reduction); stored as sorted ``(name, value)`` pairs.
    shape : tuple of int and named dims
        Shape of the value; ``()`` for scalars (a named dim is a ``str``).

    Notes
    -----
    The operators (``+ - * / ** @``, ``e.T``) are defined here; printing (``str``,
    ``_repr_latex_``) and the numpy-like methods (``e[0]``, ``e.sum()``,
    ``e.reshape()``) live in upper layers and are attached by :mod:`symdiff.surface`.

    Examples
    --------
    >>> from symdiff import Symbol, sin
    >>> x = Symbol("x")
    >>> e = x**2 * sin(x)
    >>> e is x**2 * sin(x)
    True
    >>> e.op, e.shape
    ('mul', ())
    """

    __slots__ = ("op", "args", "_items", "shape", "key", "__weakref__")

    def __new__(cls, *args, **kwargs):
        raise TypeError(
            "Expr nodes are built with Symbol(...), numbers, operators and functions"
        )

    def __setattr__(self, name, value):
        raise AttributeError("Expr nodes are immutable")

    def __delattr__(self, name):
        raise AttributeError("Expr nodes are immutable")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        # A flat recipe in topological order (no nesting, so a 100,000-deep chain
        # pickles without recursion); loading re-interns it (see `_rebuild`).
        return (_rebuild, (_recipe(self),))

    # -- introspection -------------------------------------------------------------
    @property
    def params(self):
        """The op's parameters as a new dict (name -> value, sorted by name)."""
        return dict(self._items)

    @property
    def ndim(self):
        """Number of dimensions (0 for scalars)."""
        return len(self.shape)

    @property
    def free_symbols(self):
        """The set of :class:`Symbol` nodes this expression depends on.

        Examples
        --------
        >>> from symdiff import symbols
        >>> x, y = symbols("x y")
        >>> sorted(s.name for s in (x * y + 1).free_symbols)
        ['x', 'y']
        """
        return frozenset(n for n in topo_order(self) if n.op == "symbol")

    def subs(self, mapping):
        """Substitute expressions for symbols (or for any subexpression).

        Examples
        --------
        >>> from symdiff import symbols
        >>> x, y = symbols("x y")
        >>> print((x**2).subs({x: y + 1}))
        (y + 1)**2
        """
        return subs(self, mapping)

    # -- printing ------------------------------------------------------------------
    # ``str``, ``repr`` and ``_repr_latex_`` are the printers of symdiff.printing, which
    # sits above the core: symdiff/__init__.py installs them (see symdiff.surface), so
    # imports run one way.  Until then a node shows its structure.
    def __repr__(self):
        return f"<Expr {self.op} {self.shape}>"

    # -- operators -----------------------------------------------------------------
    def __add__(self, other):
        return apply("add", self, other)

    def __radd__(self, other):
        return apply("add", other, self)

    def __sub__(self, other):
        return apply("sub", self, other)

    def __rsub__(self, other):
        return apply("sub", other, self)

    def __mul__(self, other):
        return apply("mul", self, other)

    def __rmul__(self, other):
        return apply("mul", other, self)

    def __truediv__(self, other):
        return apply("div", self, other)

    def __rtruediv__(self, other):
        return apply("div", other, self)

    def __pow__(self, other):
        return apply("pow", self, other)

    def __rpow__(self, other):
        return apply("pow", other, self)

    def __matmul__(self, other):
        return apply("matmul", self, other)

    def __rmatmul__(self, other):
        return apply("matmul", other, self)

    def __neg__(self):
        return apply("neg", self)

    def __pos__(self):
        return self

    def __abs__(self):
        return apply("abs", self)

    @property
    def T(self):
        """The transpose (axes reversed), as in numpy."""
        return apply("transpose", self)

    # Expressions are not numpy arrays: let numpy defer to our reflected operators.
    __array_ufunc__ = None


class Symbol(Expr):
    """A named variable, scalar by default or of a given ``shape``.

    Parameters
    ----------
    name : str
        Any non-empty string (code generation mangles names that are not identifiers).
    shape : tuple of int, str or None, optional
        The shape of the values it stands for; ``()`` (a scalar) by default.  An
        entry may be a name (``"n"``): a size read off the values when evaluated or
        compiled (see :mod:`symdiff.core.dims`); ``None`` is a fresh anonymous one.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> x = Symbol("x")
    >>> x is Symbol("x")
    True
    >>> Symbol("A", shape=(2, 3)).shape
    (2, 3)
    >>> Symbol("X", shape=("n", 3)).shape
    (n, 3)
    """

    __slots__ = ()

    def __new__(cls, name, shape=()):
        if not isinstance(name, str) or not name:
            raise TypeError(f"a Symbol's name must be a non-empty string, got {name!r}")
        shape = check_shape(shape)
        return _intern("symbol", (), (("name", name), ("shape", shape)), shape, cls)

    @property
    def name(self):
        """The symbol's name."""
        return self._items[0][1]


class Const(Expr):
    """A constant: an exact ``int`` or ``Fraction``, a ``float``, or a numpy array.

    Build one with :func:`const` (or let operators convert Python numbers).

    Examples
    --------
    >>> from symdiff import const
    >>> const(3).value, const(0.5).value
    (3, 0.5)
    """

    __slots__ = ()

    @property
    def value(self):
        """The constant's value."""
        return self._items[0][1]

    @property
    def is_exact(self):
        """True for ints and Fractions (and integer arrays)."""
        v = self.value
        if isinstance(v, np.ndarray):
            return v.dtype.kind in "iub"
        return isinstance(v, int | Fraction)


def symbols(names, shape=()):
    """Create symbols from a string of names separated by spaces or commas.

    One name gives one :class:`Symbol`; several give a tuple.

    Examples
    --------
    >>> from symdiff import symbols
    >>> x, y, z = symbols("x y z")
    >>> symbols("t").name
    't'
    """
    parts = [p for p in names.replace(",", " ").split() if p]
    if not parts:
        raise ValueError(f"symbols() needs at least one name, got {names!r}")
    made = tuple(Symbol(p, shape) for p in parts)
    return made[0] if len(made) == 1 else made


def symbol_table(symbols, owner):
    """A ``name -> Symbol`` dict from ``None``, a dict, or an iterable of Symbols.

    Parsers (:func:`symdiff.parse`, :func:`symdiff.from_sympy`) use it to know which
    names are shaped symbols.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> A = Symbol("A", shape=(2, 2))
    >>> symbol_table([A], "parse") == {"A": A}
    True
    """
    if symbols is None:
        return {}
    if isinstance(symbols, dict):
        return dict(symbols)
    try:
        table = {s.name: s for s in symbols}
    except (TypeError, AttributeError):
        raise TypeError(
            f"{owner}: symbols must be a dict of names to Symbols or an iterable of "
            f"Symbols, got {symbols!r}"
        ) from None
    return table


def _normalise_number(v):
    """Map a Python/numpy number to int, Fraction or float (exact stays exact)."""
    if isinstance(v, bool | np.bool_):
        return int(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, Fraction):
        return v.numerator if v.denominator == 1 else v
    if isinstance(v, float | np.floating):
        return float(v)
    if isinstance(v, numbers.Rational):
        return _normalise_number(Fraction(v.numerator, v.denominator))
    raise TypeError(
        f"cannot use {v!r} (type {type(v).__name__}) in an expression: "
        "expected a number, a numpy array or an Expr"
    )


_SMALL_INTS: dict = {}  # int -> its interned node, for the small ints every rule uses


def const(value):
    """Make a constant node from a number or a numpy array.

    Integers and ``fractions.Fraction`` stay exact; floats stay floats; arrays are
    copied and frozen.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from symdiff import const
    >>> const(Fraction(2, 4)).value
    Fraction(1, 2)
    >>> const([1.0, 2.0]).shape
    (2,)
    """
    kind = type(value)
    if kind is float:  # fast path: the common case while differentiating
        return _intern("const", (), (("value", value),), (), Const, ("f", value.hex()))
    if kind is int:
        node = _SMALL_INTS.get(value)
        if node is None:
            node = _intern("const", (), (("value", value),), (), Const, ("i", value))
            if -1024 <= value <= 1024:  # held here: a bounded set, never swept
                _SMALL_INTS[value] = node
        return node
    if isinstance(value, Const):
        return value
    if isinstance(value, np.ndarray | list | tuple):
        arr = np.array(value)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"constant arrays must be numeric, got dtype {arr.dtype}")
        if arr.ndim == 0:
            return const(arr.item())
        if arr.dtype.kind == "b":
            arr = arr.astype(np.int64)
        arr.setflags(write=False)
        items = (("value", arr),)
        key = ("a", arr.dtype.str, arr.shape, arr.tobytes())
        return _intern("const", (), items, arr.shape, Const, key)
    v = _normalise_number(value)
    if isinstance(v, int):
        key = ("i", v)
    elif isinstance(v, Fraction):
        key = ("q", v.numerator, v.denominator)
    else:
        key = ("f", v.hex())
    return _intern("const", (), (("value", v),), (), Const, key)


def as_expr(value):
    """Convert ``value`` to an :class:`Expr` (numbers and arrays become constants)."""
    if isinstance(value, Expr):
        return value
    return const(value)


# -- pickling -----------------------------------------------------------------------


def _recipe(expr):
    """``expr`` as a tuple of steps ``(op, items, shape, arg indices)``, children
    first: leaves carry their value or name in ``items``, so nothing is nested."""
    index = {}
    steps = []
    for node in topo_order(expr):
        index[node] = len(steps)
        args = tuple([index[a] for a in node.args])
        steps.append((node.op, node._items, node.shape, args))
    return tuple(steps)


def _rebuild(steps):
    """The node of a :func:`_recipe`, interned: the very same object in the process
    that pickled it, an equal interned node in any other.

    Examples
    --------
    >>> import pickle
    >>> from symdiff import Symbol, sin
    >>> e = sin(Symbol("x")) * Symbol("y")
    >>> pickle.loads(pickle.dumps(e)) is e
    True
    """
    if not isinstance(steps, tuple) or not steps:
        raise TypeError("not a pickled symdiff expression")
    nodes = []
    for op, items, shape, args in steps:
        if op == "symbol":
            node = Symbol(items[0][1], items[1][1])
        elif op == "const":
            node = const(items[0][1])
        elif op in OPS:
            # the recipe is of a canonical node: intern it as it was, without rules
            node = _intern(op, tuple([nodes[i] for i in args]), items, shape)
        else:
            raise ValueError(f"cannot unpickle an expression with unknown op {op!r}")
        nodes.append(node)
    return nodes[-1]


# -- interning ----------------------------------------------------------------------

_OP_CODE: dict = {}  # op -> a small int, its name in int intern keys


def _op_code(op):
    with _SWEEP_LOCK:  # two new ops never get one code
        return _OP_CODE.setdefault(op, len(_OP_CODE) + 1)


def _intern(op, args, items, shape, cls=Expr, leafkey=None):
    # Thread safety without a lock on the hot path: a hit is trusted only if no sweep
    # ran meanwhile (`_sweep_seq` is odd during a sweep and moves on after it; a node
    # we hold cannot be swept, so one looked up outside a sweep stays interned); a
    # miss inserts with the atomic `dict.setdefault`, so two threads building the same
    # node get the one that won.  Anything in doubt is settled under the sweep's lock.
    if leafkey is None:
        leafkey = items
    if not leafkey and len(args) <= 2:
        # most nodes: an int key, cheaper to hash than a tuple and never tracked by
        # the cyclic GC (a tuple is, until a collection looks at it)
        key = _OP_CODE.get(op) or _op_code(op)
        for a in args:  # the op's code, then 64 bits per operand's id: no two alike
            key = key << 64 | id(a)
    else:
        key = (op, leafkey, *map(id, args))
    seq = _sweep_seq
    node = _NODES.get(key)
    if node is None:
        new = object.__new__(cls)
        _set_op(new, op)
        _set_args(new, args)
        _set_items(new, items)
        _set_shape(new, shape)
        _set_key(new, sort_key(op, args, items, leafkey))
        node = _NODES.setdefault(key, new)
        if node is new:
            if len(_NODES) >= _sweep_at:
                collect_garbage()
            return node
    if seq == _sweep_seq and not seq & 1:
        return node
    with _SWEEP_LOCK:  # a sweep may have dropped `node` after we found it: put it back
        return _NODES.setdefault(key, node)


# the slot descriptors' setters: Expr.__setattr__ refuses, these are the one way in
_set_op = Expr.op.__set__
_set_args = Expr.args.__set__
_set_items = Expr._items.__set__
_set_shape = Expr.shape.__set__
_set_key = Expr.key.__set__


# op name -> its canonicalising rules, run by `apply` before interning.  The rules are
# rewrite data owned by symdiff.rewrite, which installs them (imports run one way).
_CANONICALIZERS: dict[str, tuple] = {}


def set_canonicalizers(table):
    """Install the canonicalising rules: ``{op: (rule, ...)}``, replacing the old ones.

    A rule is ``rule(op, args, params, shape) -> Expr | None``.  Called by
    :func:`symdiff.rewrite.install`; nodes built before it are not canonical.

    Examples
    --------
    >>> from symdiff.core.expr import canonicalizers
    >>> [r.__name__ for r in canonicalizers("neg")][:1]
    ['fold_constants']
    """
    _CANONICALIZERS.clear()
    _CANONICALIZERS.update({op: tuple(rules) for op, rules in table.items()})


def canonicalizers(op):
    """The canonicalising rules that :func:`apply` runs for ``op``, in order."""
    return _CANONICALIZERS.get(op, ())


def apply(op, *args, **params):
    """Build the node ``op(*args, **params)``: check shapes, canonicalise, intern.

    This is the one door through which every non-leaf node is made.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.core.expr import apply
    >>> x = Symbol("x")
    >>> apply("sin", x) is apply("sin", x)
    True
    >>> print(apply("add", x, 0))
    x
    """
    try:
        spec = OPS[op]
    except KeyError:
        raise ValueError(f"unknown operation {op!r}") from None
    for a in args:
        if not isinstance(a, Expr):
            args = tuple([a if isinstance(a, Expr) else const(a) for a in args])
            break
    if spec.arity is not None and len(args) != spec.arity:
        raise TypeError(f"{op} takes {spec.arity} argument(s), got {len(args)}")
    if spec.check_params is not None:  # also with no params: it fills in defaults
        params = spec.check_params(args, params)
    items = tuple(sorted(params.items())) if params else ()
    shape = spec.shape(op, args, params)
    for rule in _CANONICALIZERS.get(op, ()):
        out = rule(op, args, params, shape)
        if out is not None:
            return out
    if spec.commutative and args[1].key < args[0].key:
        args = (args[1], args[0])
    return _intern(op, args, items, shape)


def with_args(node, args):
    """``node`` over the operands ``args``: ``node`` itself when every one is the
    same object, else rebuilt through :func:`apply` (so canonical).

    The step of every pass that rebuilds a DAG bottom-up (substitution, simplify,
    lowering for code, constant folding).

    Examples
    --------
    >>> from symdiff import Symbol, sin
    >>> x, y = Symbol("x"), Symbol("y")
    >>> e = sin(x)
    >>> with_args(e, (x,)) is e, str(with_args(e, (y,)))
    (True, 'sin(y)')
    """
    for a, b in zip(args, node.args, strict=True):
        if a is not b:
            return apply(node.op, *args, **node.params)
    return node


def subs(expr, mapping):
    """Replace subexpressions (usually symbols) by expressions, rebuilding once.

    Parameters
    ----------
    expr : Expr
    mapping : dict
        Keys are Exprs (or symbol names); values are Exprs or numbers.

    Examples
    --------
    >>> from symdiff import symbols
    >>> x, y = symbols("x y")
    >>> print((x * y + x).subs({x: 2}))
    2*y + 2
    """
    repl = {}
    names = {}
    for k, v in mapping.items():
        if isinstance(k, str):
            names[k] = as_expr(v)
        else:
            repl[as_expr(k)] = as_expr(v)
    memo = {}
    for node in topo_order(expr):
        if node in repl:
            memo[node] = repl[node]
        elif node.op == "symbol" and node.name in names:
            memo[node] = names[node.name]
        elif not node.args:
            memo[node] = node
        else:
            memo[node] = with_args(node, tuple(memo[a] for a in node.args))
    return memo[expr]
