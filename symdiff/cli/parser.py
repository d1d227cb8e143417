"""The argument parser of the ``symdiff`` command, its usage error and exit statuses."""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_MISMATCH = 1  # --check: the symbolic and finite-difference derivatives disagree
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class UsageError(Exception):
    """Bad input on the command line (exit status 2)."""


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (status 2).

    argparse would print the usage and exit itself; raising lets :func:`main` report
    every kind of bad input the same way.
    """

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser():
    """The argument parser of the ``symdiff`` command.

    Returns
    -------
    argparse.ArgumentParser
        Parses the subcommands ``diff``, ``grad``, ``hessian``, ``simplify``,
        ``export`` and ``demo``; bad arguments raise :class:`UsageError`.

    Examples
    --------
    >>> args = build_parser().parse_args(["grad", "x*y", "--wrt", "x", "--check"])
    >>> args.command, args.expr, args.wrt, args.check
    ('grad', 'x*y', 'x', True)
    """
    parser = OneLineErrorParser(
        prog="symdiff",
        description="Exact symbolic derivatives over DAGs, checked numerically.",
        epilog="Expressions use Python syntax: x**2*sin(y), exp(-x/2), maximum(x, 0).",
    )
    commands = parser.add_subparsers(dest="command", parser_class=OneLineErrorParser)
    demo = commands.add_parser(
        "demo", help="differentiate 3*x**2 - 4*x and check it numerically"
    )
    demo.add_argument("--at", type=float, default=1.0, help="the point x (default 1)")
    demo.add_argument("--json", action="store_true", help="machine-readable output")
    _add_derivative_commands(commands)
    simplify = commands.add_parser("simplify", help="simplify an expression")
    simplify.add_argument("expr", help="the expression")
    _add_shape_argument(simplify)
    simplify.add_argument("--json", action="store_true", help="machine-readable output")
    _add_export_command(commands)
    return parser


def _add_derivative_commands(commands):
    """``diff``, ``grad`` and ``hessian``: an expression, --wrt, --at and --check."""
    diff = commands.add_parser(
        "diff", help="n-th derivative with respect to one symbol"
    )
    _add_expression_arguments(
        diff, "the symbol (may be left out if the expression has only one)"
    )
    diff.add_argument("--n", type=int, default=1, help="order of the derivative")
    _add_point_arguments(diff)

    several = "symbols, comma-separated (default: all, sorted by name)"
    grad = commands.add_parser("grad", help="gradient (reverse mode over the DAG)")
    _add_expression_arguments(grad, several)
    _add_point_arguments(grad)

    hessian = commands.add_parser("hessian", help="Hessian matrix")
    _add_expression_arguments(hessian, several)
    _add_point_arguments(hessian)


def _add_export_command(commands):
    export = commands.add_parser(
        "export", help="write a numpy-only module with the function and its gradient"
    )
    _add_expression_arguments(
        export, "symbols of the gradient, comma-separated (default: all)", False
    )
    export.add_argument(
        "--hessian", action="store_true", help="also export the Hessian"
    )
    export.add_argument("--name", default="f", help="function name (default f)")
    export.add_argument(
        "--target",
        choices=("numpy", "array_api", "numba", "c"),
        default="numpy",
        help="numpy (default), array_api (any array namespace), numba (compiled "
        "loops) or c (C99 source and header: needs -o FILE.c)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write (default: standard output)",
    )


def _add_expression_arguments(command, wrt_help, simplify=True):
    command.add_argument("expr", help="the expression, e.g. 'x**2*sin(y)'")
    _add_shape_argument(command)
    command.add_argument("--wrt", metavar="X,Y", help=wrt_help)
    command.add_argument("--json", action="store_true", help="machine-readable output")
    if simplify:
        command.add_argument(
            "--simplify",
            action="store_true",
            help="simplify the derivatives before printing them",
        )


def _add_shape_argument(command):
    command.add_argument(
        "--shape",
        action="append",
        metavar="X=n,5",
        help="declare a tensor symbol: its dimensions, integers or names (a named "
        "dimension such as the number of rows n takes its size from the data, and "
        "the expression may use it: sum(X)/n); repeat for several symbols",
    )


def _add_point_arguments(command):
    command.add_argument(
        "--at",
        metavar="X=1,Y=2",
        help="evaluate at this point (values may be expressions like pi/4, and "
        "arrays for tensor symbols: w=[1,2])",
    )
    command.add_argument(
        "--check",
        action="store_true",
        help="compare with adaptive finite differences (needs --at) and "
        "print the relative error; exit status 1 if they disagree",
    )


def _is_negative_expression(arg):
    return (
        arg[:1] == "-" and len(arg) > 1 and arg[:2] != "--" and arg not in ("-h", "-o")
    )


def protect_negative_expressions(argv):
    """Keep argparse from taking an expression such as ``-x**2`` for an option.

    A leading space does it (the only short options are ``-h`` and ``-o``, given
    alone), and the expression parser ignores the space.

    Parameters
    ----------
    argv : list of str
        The command-line arguments, without the program name.

    Returns
    -------
    list of str
        ``argv`` with a space before every argument that starts with one ``-`` and is
        not ``-h`` or ``-o``.

    Examples
    --------
    >>> protect_negative_expressions(["grad", "-x**2", "-o", "--json"])
    ['grad', ' -x**2', '-o', '--json']
    """
    return [" " + arg if _is_negative_expression(arg) else arg for arg in argv]
