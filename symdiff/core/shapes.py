"""Shape rules shared by the op table: numpy broadcasting with readable errors."""

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
                        raise ShapeError(
                            f"{op}: shapes {listed} cannot be broadcast together"
                        )
                    size = d
        out.append(size)
    return tuple(out)


def check_shape(shape):
    """Validate a user-given shape and return it as a tuple of ints."""
    if isinstance(shape, int):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise ShapeError(f"shape must be a tuple of ints, got {shape!r}") from None
    for d in shape:
        if not isinstance(d, int) or isinstance(d, bool) or d < 0:
            raise ShapeError(
                f"shape must be a tuple of non-negative ints, got {shape!r}"
            )
    return shape
