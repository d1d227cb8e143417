"""The exceptions symdiff raises on bad input."""


class ShapeError(ValueError):
    """Operand shapes do not fit an operation; the message names op and shapes."""


class ParseError(ValueError):
    """Text that :func:`symdiff.parse` cannot read; the message names the column.

    Attributes
    ----------
    column : int
        1-based column of the offending token (0 when unknown).
    """

    def __init__(self, message, column=0):
        super().__init__(message)
        self.column = column


# Public under the package's name (as numpy does), so tracebacks and docs read
# ``symdiff.ShapeError`` wherever the class happens to be defined.
ShapeError.__module__ = ParseError.__module__ = "symdiff"
