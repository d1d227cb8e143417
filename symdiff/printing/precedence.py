"""The one precedence table: how tightly Python's operators bind (higher: tighter).

The text printer, the parser and the code generator all read it, so what one writes
without parentheses the others read back the same way.
"""

ATOM = 100  # names, numbers, calls: never need parentheses
POWER = 40  # **
UNARY = 30  # unary minus: binds looser than ** (-x**2 is -(x**2)), tighter than * /
PRODUCT = 20  # * / // % @
SUM = 10  # + -

# Python's binary operators -> (precedence, the op it builds; None: not an op of ours)
BINARY = {
    "+": (SUM, "add"),
    "-": (SUM, "sub"),
    "*": (PRODUCT, "mul"),
    "/": (PRODUCT, "div"),
    "//": (PRODUCT, None),
    "%": (PRODUCT, None),
    "@": (PRODUCT, "matmul"),
    "**": (POWER, "pow"),
}

# op name -> the precedence of the operator that ``str`` prints it with (the ops it
# prints as operators; every other op prints as a call, an atom)
OF_OP = {"add": SUM, "sub": SUM, "mul": PRODUCT, "div": PRODUCT, "neg": UNARY}
OF_OP["pow"] = POWER
OF_OP["matmul"] = PRODUCT


def of_operator(symbol):
    """Precedence of the binary operator ``symbol``.

    Examples
    --------
    >>> of_operator("*") < of_operator("**")
    True
    """
    return BINARY[symbol][0]
