"""Shape rules shared by the op table: numpy broadcasting with readable errors.

A shape entry is an ``int`` or a named dimension (:mod:`symdiff.core.dims`): a name
broadcasts with ``1`` and with itself, never with another name or another size.
"""

from symdiff.core.dims import as_dim
from symdiff.core.errors import ShapeError


def broadcast_shapes(op, *shapes):
    """Broadcast ``shapes`` by numpy's rules, or raise ShapeError naming ``op``.

    Examples
    --------
    >>> broadcast_shapes("add", (3, 1), (4,))
    (3, 4)
    """
    first = shapes[0]
    if all(s == first for s in shapes):  # the common case: no work
        return first
    ndim = max(len(s) for s in shapes)
    out = []
    for axis in range(-ndim, 0):
        size = 1
        for s in shapes:
            if len(s) >= -axis:
                d = s[axis]
                if d != 1:
                    if size not in (1, d):
                        listed = " and ".join(str(tuple(s)) for s in shapes)
                        named = isinstance(size, str) or isinstance(d, str)
                        why = (
                            f" (dimension {size!r} against {d!r}: a named "
                            "dimension broadcasts only with 1 and with itself)"
                            if named
                            else ""
                        )
                        raise ShapeError(
                            f"{op}: shapes {listed} cannot be broadcast together{why}"
                        )
                    size = d
        out.append(size)
    return tuple(out)


def check_shape(shape):
    """Validate a user-given shape: a tuple of ints ``>= 0`` and dimension names.

    A name (``"n"``) becomes a :class:`~symdiff.core.dims.Dim`; ``None`` becomes a
    fresh anonymous dim.

    Examples
    --------
    >>> check_shape(("n", 5))
    (n, 5)
    """
    if isinstance(shape, int | str) or shape is None:
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise ShapeError(
            f"shape must be a tuple of ints and dimension names, got {shape!r}"
        ) from None
    for d in shape:
        if type(d) is not int or d < 0:  # the rare case: names, None, errors
            return tuple([as_dim(d, f"shape {shape!r}") for d in shape])
    return shape
