"""Several shaped Symbols as one flat vector, the way scipy.optimize sees them."""

from __future__ import annotations

import math

import numpy as np

from symdiff.core.errors import ShapeError
from symdiff.core.expr import Expr

__all__ = ["Packing"]


class Packing:
    """Lay out the values of several Symbols end to end in one flat vector.

    Symbol ``k`` occupies ``x[slices[k]]`` in C (row-major) order, so a scalar
    takes one entry and a ``(2, 3)`` matrix six; :meth:`pack` and :meth:`unpack`
    convert between a mapping ``{symbol: value}`` and the flat vector.

    Parameters
    ----------
    params : Symbol or sequence of Symbol
        The unknowns, in the order of the flat vector; no repeats.

    Attributes
    ----------
    params : tuple of Symbol
    size : int
        Length of the flat vector.
    slices : dict
        ``{symbol: slice}``: where each symbol's values sit.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> from symdiff.optimize import Packing
    >>> a, W = Symbol("a"), Symbol("W", shape=(2, 2))
    >>> p = Packing([a, W])
    >>> p.size, p.slices[W]
    (5, slice(1, 5, None))
    >>> x = p.pack({a: 1.0, W: [[2.0, 3.0], [4.0, 5.0]]})
    >>> x
    array([1., 2., 3., 4., 5.])
    >>> p.unpack(x)[W]
    array([[2., 3.],
           [4., 5.]])
    """

    def __init__(self, params):
        if isinstance(params, Expr):
            params = [params]
        try:
            params = tuple(params)
        except TypeError:
            raise TypeError(
                "Packing: params must be a Symbol or a sequence of Symbols; got "
                f"{type(params).__name__}"
            ) from None
        if not params:
            raise ValueError("Packing: params must name at least one Symbol")
        for p in params:
            if not (isinstance(p, Expr) and p.op == "symbol"):
                raise TypeError(
                    f"Packing: every parameter must be a Symbol; got {p!r} "
                    f"({type(p).__name__})"
                )
        if len(set(params)) != len(params):
            names = [p.name for p in params]
            dup = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"Packing: parameters repeat: {', '.join(dup)}")
        self.params = params
        self.shapes = {p: tuple(p.shape) for p in params}
        self.slices = {}
        start = 0
        for p in params:
            stop = start + math.prod(p.shape)
            self.slices[p] = slice(start, stop)
            start = stop
        self.size = start

    def __repr__(self):
        inner = ", ".join(f"{p.name}{list(p.shape)}" for p in self.params)
        return f"Packing({inner}; size={self.size})"

    def pack(self, values):
        """The flat vector of a ``{symbol: value}`` mapping or a sequence of values.

        Parameters
        ----------
        values : dict or sequence
            A value per parameter (keyed by Symbol or by its name, or in the order
            of ``params``), each with its symbol's shape (a scalar broadcasts).

        Returns
        -------
        numpy.ndarray
            Shape ``(size,)``, float64.

        Examples
        --------
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Packing
        >>> x = Symbol("x", shape=(3,))
        >>> Packing([x]).pack({"x": 0.5})
        array([0.5, 0.5, 0.5])
        """
        if isinstance(values, dict):
            by_name = {
                (k.name if isinstance(k, Expr) else k): v for k, v in values.items()
            }
            known = {p.name for p in self.params}
            extra = sorted(str(k) for k in by_name if k not in known)
            if extra:
                raise ValueError(f"pack: values for unknown parameters: {extra}")
            missing = [p.name for p in self.params if p.name not in by_name]
            if missing:
                raise ValueError(f"pack: no value for parameters {missing}")
            seq = [by_name[p.name] for p in self.params]
        else:
            seq = list(values) if not np.isscalar(values) else [values]
            if len(seq) != len(self.params):
                raise ValueError(
                    f"pack: {len(self.params)} parameters need {len(self.params)} "
                    f"values; got {len(seq)}"
                )
        out = np.empty(self.size)
        for p, v in zip(self.params, seq, strict=True):
            arr = np.asarray(v, dtype=float)
            shape = self.shapes[p]
            if arr.shape != shape:
                if arr.ndim != 0:
                    raise ShapeError(
                        f"pack: parameter {p.name} has shape {shape}; its value has "
                        f"shape {arr.shape}"
                    )
                arr = np.full(shape, float(arr))
            out[self.slices[p]] = arr.reshape(-1)
        return out

    def flat(self, x, owner="unpack"):
        """``x`` as a float64 vector of length :attr:`size` (or a clear error).

        Examples
        --------
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Packing
        >>> Packing([Symbol("a"), Symbol("b")]).flat([1, 2])
        array([1., 2.])
        """
        arr = np.asarray(x, dtype=float)
        if arr.shape != (self.size,):
            raise ShapeError(
                f"{owner}: the parameters ({self.describe()}) pack into shape "
                f"({self.size},); got x of shape {arr.shape}"
            )
        return arr

    def describe(self):
        """The parameters and their shapes, for error messages.

        Examples
        --------
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Packing
        >>> Packing([Symbol("a"), Symbol("W", shape=(2, 2))]).describe()
        'a: (), W: (2, 2)'
        """
        return ", ".join(f"{p.name}: {self.shapes[p]}" for p in self.params)

    def unpack(self, x):
        """``{symbol: value}`` of a flat vector (views of ``x``; floats for scalars).

        Examples
        --------
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Packing
        >>> a, b = Symbol("a"), Symbol("b", shape=(2,))
        >>> Packing([a, b]).unpack([1.0, 2.0, 3.0])[b]
        array([2., 3.])
        """
        return dict(zip(self.params, self.values(self.flat(x)), strict=True))

    def values(self, x):
        """The values of the parameters, in order (``x`` already checked): what the
        compiled functions take as positional arguments.

        Examples
        --------
        >>> import numpy as np
        >>> from symdiff import Symbol
        >>> from symdiff.optimize import Packing
        >>> Packing([Symbol("a"), Symbol("b", shape=(2,))]).values(np.arange(3.0))
        [0.0, array([1., 2.])]
        """
        out = []
        for p in self.params:
            part = x[self.slices[p]]
            out.append(float(part[0]) if not self.shapes[p] else part.reshape(p.shape))
        return out
