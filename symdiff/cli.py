"""The ``symdiff`` command (also ``python -m symdiff``)."""

import argparse
import sys


def build_parser():
    parser = argparse.ArgumentParser(
        prog="symdiff",
        description="Exact symbolic derivatives over DAGs, checked numerically.",
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser(
        "demo", help="differentiate 3*x**2 - 4*x and check it numerically"
    )
    demo.add_argument("--at", type=float, default=1.0, help="the point x (default 1)")
    return parser


def run_demo(at):
    """The README's first example: exact derivative, checked by finite differences."""
    from numeric import derivative
    from symdiff import Symbol, diff, evaluate

    x = Symbol("x")
    f = 3 * x**2 - 4 * x
    df = diff(f, x)
    exact = float(evaluate(df, {x: at}))
    numeric = derivative(lambda t: float(evaluate(f, {x: t})), at)
    print(f"f(x)  = {f}")
    print(f"f'(x) = {df}")
    print(f"f'({at:g}) = {exact:g} exactly; finite differences give {numeric:.12g}")
    if abs(numeric - exact) > 1e-8 * max(1.0, abs(exact)):
        print("MISMATCH between the symbolic and the numerical derivative")
        return 1
    print("symbolic and numerical derivatives agree")
    return 0


def main(argv=None):
    """Entry point of the ``symdiff`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        return run_demo(args.at)
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
