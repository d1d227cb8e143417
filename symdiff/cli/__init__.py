"""The ``symdiff`` command (also ``python -m symdiff``).

Subcommands: ``diff``, ``grad``, ``hessian``, ``simplify``, ``export`` and ``demo``.
Expressions are read with :func:`symdiff.parse` (never ``eval``).  Output is text for
people, or JSON with ``--json``.  Exit status: 0 success, 1 when ``--check`` finds the
symbolic and numerical derivatives disagreeing, 2 for bad input (one line on stderr,
never a traceback), 3 for an internal error (also one line; please report it).

The package: :mod:`~symdiff.cli.parser` (arguments, :class:`UsageError`, exit
statuses), :mod:`~symdiff.cli.inputs` (text to expressions, symbols and points),
:mod:`~symdiff.cli.commands` (one function a subcommand), :mod:`~symdiff.cli.check`
(``--check``: the only module of symdiff that imports ``numeric``) and
:mod:`~symdiff.cli.output`.

Examples
--------
>>> main(["grad", "x*y", "--at", "x=1,y=2"])
f(x, y) = x*y
df/dx = y
df/dy = x
at x = 1, y = 2:
  f = 2
  df/dx = 2
  df/dy = 1
0
"""

from __future__ import annotations

import sys

from symdiff.cli.commands import COMMANDS
from symdiff.cli.parser import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_MISMATCH,
    UsageError,
    build_parser,
    protect_negative_expressions,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_MISMATCH",
    "UsageError",
    "build_parser",
    "main",
]

# Bad input, reported as one line with status 2: ParseError and ShapeError are
# ValueErrors (bad expressions); OSError is a file that cannot be read or written.
_BAD_INPUT = (
    UsageError,
    ValueError,
    TypeError,
    ArithmeticError,
    NotImplementedError,
    OSError,
)


def _one_line(exc):
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv=None):
    """Entry point of the ``symdiff`` console script; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments without the program name; ``sys.argv[1:]`` by default.

    Examples
    --------
    >>> from symdiff.cli import main
    >>> main(["diff", "x**3", "--wrt", "x"])
    f = x**3
    d/dx f = 3*x**2
    0
    """
    parser = build_parser()
    if argv is None:
        argv = sys.argv[1:]
    try:
        args = parser.parse_args(protect_negative_expressions(argv))
        if args.command is None:
            parser.print_help()
            return 0
        return COMMANDS[args.command](args)
    except _BAD_INPUT as exc:
        print(f"symdiff: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: still one line, but say so
        print(
            f"symdiff: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(this is a bug in symdiff; please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
