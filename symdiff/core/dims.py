"""Named (symbolic) dimensions: a shape entry that is a name instead of a size.

``Symbol("X", shape=("n", 5))`` is a matrix with ``n`` rows, ``n`` fixed only when
values are given (``evaluate``, ``lambdify``, ``export_module`` read it off the arrays
passed in).  Shapes stay plain tuples: a named entry is a :class:`Dim`, a ``str``
subclass, so equal shapes still compare (and hash) as tuples, ``("n", 5)`` and
``(Dim("n"), 5)`` are the same shape, and all-int shapes pay nothing.

The rules (documented in ``docs/tensors.md``):

* A name promises nothing about its size: ``n`` broadcasts with ``1`` and with ``n``
  only; ``n`` against ``5`` or against ``m`` is a ShapeError (as JAX's shape
  polymorphism refuses to guess).
* Arithmetic on a named dim raises ShapeError instead of silently doing string
  arithmetic (``"n" * 5`` would be ``"nnnnn"``), so a shape rule that needs a size
  fails loudly.
* ``Dim``'s ``repr`` is its bare name, so shapes print as ``(n, 5)`` in messages and
  in generated code, where the function binds the variable ``n`` from its arguments.
"""

from __future__ import annotations

import builtins
import itertools
import keyword

from symdiff.core.errors import ShapeError

# names a dim cannot take: generated code binds each dim to a local variable of its
# name, which must not shadow Python, numpy or the code's own (underscored) names
_RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | frozenset(dir(builtins))
    | {"np", "numpy"}
)
_FRESH = itertools.count(1)


def _no_arithmetic(self, *other):
    raise ShapeError(
        f"the size of the named dimension {str(self)!r} is not known until values are "
        "given, so it cannot be computed with here"
    )


class Dim(str):
    """A named dimension of a shape (a ``str`` whose ``repr`` is its bare name).

    Make one with :func:`as_dim` (shapes given to ``Symbol`` are converted for you).

    Examples
    --------
    >>> from symdiff.core.dims import Dim
    >>> d = Dim("n")
    >>> (d, 5), d == "n"
    ((n, 5), True)
    >>> d * 5
    Traceback (most recent call last):
    ...
    symdiff.ShapeError: the size of the named dimension 'n' is not known until \
values are given, so it cannot be computed with here
    """

    __slots__ = ()

    def __repr__(self):
        return str.__str__(self)

    def __reduce__(self):
        return (Dim, (str(self),))

    __add__ = __radd__ = __mul__ = __rmul__ = __mod__ = __rmod__ = _no_arithmetic
    __sub__ = __rsub__ = __floordiv__ = __rfloordiv__ = _no_arithmetic
    __truediv__ = __rtruediv__ = __neg__ = __index__ = _no_arithmetic


def is_dim_name(name):
    """True if ``name`` may name a dimension (a public, unreserved identifier).

    Examples
    --------
    >>> is_dim_name("n"), is_dim_name("_n"), is_dim_name("lambda"), is_dim_name("2n")
    (True, False, False, False)
    """
    return (
        isinstance(name, str)
        and name.isascii()
        and name.isidentifier()
        and not name.startswith("_")
        and name not in _RESERVED
    )


def as_dim(d, owner="shape"):
    """One shape entry, checked: an ``int >= 0``, a name (a :class:`Dim`) or ``None``
    (a fresh anonymous dim, named ``_d1``, ``_d2``, ... which no user name can be).

    Examples
    --------
    >>> as_dim(3), as_dim("n")
    (3, n)
    >>> str(as_dim(None)).startswith("_d")
    True
    """
    if isinstance(d, Dim):
        return d
    if d is None:
        return Dim(f"_d{next(_FRESH)}")
    if isinstance(d, str):
        if not is_dim_name(d):
            raise ShapeError(
                f"{owner}: a named dimension must be an ASCII identifier that is not a "
                f"Python keyword or builtin, 'np', nor starts with '_'; got {d!r}"
            )
        return Dim(d)
    if isinstance(d, int) and not isinstance(d, bool) and d >= 0:
        return d
    raise ShapeError(
        f"{owner}: a dimension must be an int >= 0, a name or None, got {d!r}"
    )


def is_named(d):
    """True if the shape entry ``d`` is a name (not a size)."""
    return isinstance(d, str)


def has_named(shape):
    """True if ``shape`` has a named entry.

    Examples
    --------
    >>> has_named((2, 3)), has_named(("n", 3))
    (False, True)
    """
    for d in shape:
        if isinstance(d, str):
            return True
    return False


def dim_names(shape):
    """The named entries of ``shape``, in order."""
    return [d for d in shape if isinstance(d, str)]


def concrete(shape, sizes):
    """``shape`` with each named dim replaced by its size from ``sizes`` (name -> int).

    Examples
    --------
    >>> concrete(("n", 5), {"n": 7})
    (7, 5)
    """
    if not has_named(shape):
        return shape
    try:
        return tuple([sizes[d] if isinstance(d, str) else d for d in shape])
    except KeyError as exc:
        raise ShapeError(f"the named dimension {exc.args[0]!r} is not bound") from None


def segments(shape):
    """``shape`` split at its named dims: ``(names, [int products between them])``.

    Two shapes hold the same number of entries for every binding exactly when their
    names and their products agree, which is the rule ``reshape`` checks.

    Examples
    --------
    >>> segments((2, "n", 3, 4))
    (['n'], [2, 12])
    """
    names, products = [], [1]
    for d in shape:
        if isinstance(d, str):
            names.append(str(d))
            products.append(1)
        else:
            products[-1] *= d
    return names, products
