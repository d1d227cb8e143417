"""The ``symdiff`` command (also ``python -m symdiff``).

Subcommands: ``diff``, ``grad``, ``hessian``, ``simplify``, ``export`` and ``demo``.
Expressions are read with :func:`symdiff.parse` (never ``eval``).  Output is text for
people, or JSON with ``--json``.  Exit status: 0 success, 1 when ``--check`` finds the
symbolic and numerical derivatives disagreeing, 2 for bad input (one line on stderr,
never a traceback), 3 for an internal error (also one line; please report it).
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np

EXIT_MISMATCH = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
CHECK_TOL = 1e-6  # --check: largest accepted relative error (first derivatives)
CHECK_TOL_SECOND = 1e-5  # ... second and higher derivatives (second differences)


class UsageError(Exception):
    """Bad input on the command line (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (status 2)."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser():
    """The argument parser of the ``symdiff`` command."""
    parser = _Parser(
        prog="symdiff",
        description="Exact symbolic derivatives over DAGs, checked numerically.",
        epilog="Expressions use Python syntax: x**2*sin(y), exp(-x/2), maximum(x, 0).",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = sub.add_parser(
        "demo", help="differentiate 3*x**2 - 4*x and check it numerically"
    )
    demo.add_argument("--at", type=float, default=1.0, help="the point x (default 1)")

    def common(p, wrt_help, simplify=True):
        p.add_argument("expr", help="the expression, e.g. 'x**2*sin(y)'")
        p.add_argument("--wrt", metavar="X,Y", help=wrt_help)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        if simplify:
            p.add_argument(
                "--simplify",
                action="store_true",
                help="simplify the derivatives before printing them",
            )

    def point(p, check):
        p.add_argument(
            "--at",
            metavar="X=1,Y=2",
            help="evaluate at this point (values may be expressions like pi/4)",
        )
        if check:
            p.add_argument(
                "--check",
                action="store_true",
                help="compare with adaptive finite differences (needs --at) and "
                "print the relative error; exit status 1 if they disagree",
            )

    p = sub.add_parser("diff", help="n-th derivative with respect to one symbol")
    common(p, "the symbol (may be left out if the expression has only one)")
    p.add_argument("--n", type=int, default=1, help="order of the derivative")
    point(p, check=True)

    p = sub.add_parser("grad", help="gradient (reverse mode over the DAG)")
    common(p, "symbols, comma-separated (default: all, sorted by name)")
    point(p, check=True)

    p = sub.add_parser("hessian", help="Hessian matrix")
    common(p, "symbols, comma-separated (default: all, sorted by name)")
    point(p, check=True)

    p = sub.add_parser("simplify", help="simplify an expression")
    p.add_argument("expr", help="the expression")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser(
        "export", help="write a numpy-only module with the function and its gradient"
    )
    common(p, "symbols of the gradient, comma-separated (default: all)", False)
    p.add_argument("--hessian", action="store_true", help="also export the Hessian")
    p.add_argument("--name", default="f", help="function name (default f)")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write (default: standard output)",
    )
    return parser


# -- reading the command line ----------------------------------------------------------


def _parse_expr(text):
    from symdiff import ParseError, parse

    try:
        return parse(text)
    except ParseError as exc:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise UsageError(f"cannot read the expression {shown!r}: {exc}") from None


def _symbols_by_name(expr):
    return {s.name: s for s in expr.free_symbols}


def _wrt(expr, text, default_all=True):
    """The symbols named by --wrt (default: all symbols of ``expr`` by name)."""
    known = _symbols_by_name(expr)
    listing = ", ".join(sorted(known)) or "none"
    if text is None:
        if not default_all and len(known) != 1:
            raise UsageError(
                f"--wrt is needed: the expression has the symbols {listing}"
            )
        return [known[n] for n in sorted(known)]
    out = []
    for name in (part.strip() for part in text.split(",")):
        if not name:
            raise UsageError(f"--wrt: empty symbol name in {text!r}")
        if name not in known:
            raise UsageError(
                f"--wrt: {name!r} is not a symbol of the expression (its symbols: "
                f"{listing})"
            )
        if known[name] in out:
            raise UsageError(f"--wrt: {name!r} is given twice")
        out.append(known[name])
    return out


def _split_top_level(text):
    """Split at commas that are not inside parentheses or brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _point(expr, text):
    """The values of --at as {Symbol: float}; every symbol of ``expr`` needs one."""
    from symdiff import evaluate, parse

    known = _symbols_by_name(expr)
    values = {}
    for part in _split_top_level(text):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq or not name or not value.strip():
            raise UsageError(f"--at: expected NAME=VALUE, got {part.strip()!r}")
        if name not in known:
            listing = ", ".join(sorted(known)) or "none"
            raise UsageError(
                f"--at: {name!r} is not a symbol of the expression (its symbols: "
                f"{listing})"
            )
        if known[name] in values:
            raise UsageError(f"--at: {name} is given twice")
        try:
            v = parse(value)
        except ValueError as exc:
            raise UsageError(f"--at: cannot read the value of {name}: {exc}") from None
        if v.free_symbols or v.shape:
            raise UsageError(
                f"--at: the value of {name} must be a number, got {value!r}"
            )
        number = float(evaluate(v))
        if not math.isfinite(number):
            raise UsageError(f"--at: the value of {name} must be finite, got {value!r}")
        values[known[name]] = number
    missing = sorted(n for n, s in known.items() if s not in values)
    if missing:
        raise UsageError(f"--at: no value given for {', '.join(missing)}")
    return values


# -- output helpers --------------------------------------------------------------------


def _number(v):
    """A JSON-safe number (non-finite values as the strings 'nan', 'inf', '-inf')."""
    v = float(v)
    return v if math.isfinite(v) else str(v)


def _values(arr):
    """Nested lists of JSON-safe numbers."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 0:
        return _number(arr)
    return np.vectorize(_number, otypes=[object])(arr).tolist()


def _fmt(v):
    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.12g}"
    return np.array2string(
        arr, separator=", ", formatter={"float_kind": lambda t: f"{t:.12g}"}
    )


def _relative_error(exact, approx):
    exact = np.asarray(exact, dtype=float)
    approx = np.asarray(approx, dtype=float)
    scale = max(1.0, float(np.max(np.abs(exact), initial=0.0)))
    return float(np.max(np.abs(exact - approx), initial=0.0)) / scale


def _signature(symbols):
    return ", ".join(s.name for s in symbols)


def _emit(args, data, lines):
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(lines))


def _check_lines(data, err, tol):
    ok = err <= tol  # False for nan
    data["check"] = {"relative_error": _number(err), "tolerance": tol, "ok": ok}
    verdict = "agree" if ok else "MISMATCH: symbolic and finite differences differ"
    return [f"check: {verdict} (relative error {err:.3g})"], ok


# -- subcommands -----------------------------------------------------------------------


def _ordered_symbols(expr, wrt):
    """All symbols of ``expr``: those of ``wrt`` first, then the others by name."""
    rest = sorted((s for s in expr.free_symbols if s not in wrt), key=lambda s: s.name)
    return list(wrt) + rest


def cmd_diff(args):
    from symdiff import diff, evaluate, simplify

    expr = _parse_expr(args.expr)
    if not isinstance(args.n, int) or args.n < 1:
        raise UsageError(f"--n must be a positive integer, got {args.n}")
    wrt = _wrt(expr, args.wrt, default_all=False)
    if len(wrt) != 1:
        raise UsageError("--wrt: diff takes exactly one symbol (use grad for several)")
    (x,) = wrt
    d = diff(expr, x, args.n)
    if args.simplify:
        d = simplify(d)
    op = f"d/d{x.name}" if args.n == 1 else f"d^{args.n}/d{x.name}^{args.n}"
    data = {"expr": str(expr), "wrt": x.name, "n": args.n, "derivative": str(d)}
    lines = [f"f = {expr}", f"{op} f = {d}"]
    ok = True
    if args.at is not None:
        at = _point(expr, args.at)
        value = evaluate(d, at)
        data["at"] = {s.name: v for s, v in at.items()}
        data["value"] = _values(value)
        lines.append(f"at {_at_text(at)}: {op} f = {_fmt(value)}")
        if args.check:
            from numeric import derivative

            if expr.shape:
                raise UsageError("--check needs a scalar expression")

            def along(t):
                point = dict(at)
                point[x] = t
                return evaluate(expr, point)

            fd = derivative(along, at[x], n=args.n)
            tol = CHECK_TOL if args.n == 1 else CHECK_TOL_SECOND
            more, ok = _check_lines(data, _relative_error(value, fd), tol)
            lines += more
    elif args.check:
        raise UsageError("--check needs a point: give --at")
    _emit(args, data, lines)
    return 0 if ok else EXIT_MISMATCH


def _at_text(at):
    return ", ".join(f"{s.name} = {v:g}" for s, v in at.items())


def _scalar(expr, what):
    if expr.shape:
        raise UsageError(f"{what} needs a scalar expression, got shape {expr.shape}")


def _as_vector_function(expr, symbols):
    from symdiff import lambdify

    fn = lambdify(symbols, expr)
    return lambda v: float(fn(*np.asarray(v, dtype=float)))


def cmd_grad(args):
    from symdiff import evaluate, grad, simplify

    expr = _parse_expr(args.expr)
    _scalar(expr, "grad")
    wrt = _wrt(expr, args.wrt)
    g = grad(expr, wrt) if wrt else ()
    if args.simplify:
        g = tuple(simplify(e) for e in g)
    data = {
        "expr": str(expr),
        "wrt": [s.name for s in wrt],
        "gradient": [str(e) for e in g],
    }
    lines = [f"f({_signature(_ordered_symbols(expr, wrt))}) = {expr}"]
    lines += [f"df/d{s.name} = {e}" for s, e in zip(wrt, g, strict=True)]
    ok = True
    if args.at is not None:
        at = _point(expr, args.at)
        f_value, *g_values = evaluate([expr, *g], at)
        data["at"] = {s.name: v for s, v in at.items()}
        data["value"] = _number(f_value)
        data["gradient_value"] = [_number(v) for v in g_values]
        lines.append(f"at {_at_text(at)}:")
        lines.append(f"  f = {_fmt(f_value)}")
        lines += [
            f"  df/d{s.name} = {_fmt(v)}" for s, v in zip(wrt, g_values, strict=True)
        ]
        if args.check and wrt:
            from numeric import gradient

            symbols = _ordered_symbols(expr, wrt)
            fn = _as_vector_function(expr, symbols)
            base = np.array([at[s] for s in symbols])
            k = len(wrt)

            def on_wrt(v):
                full = base.copy()
                full[:k] = v
                return fn(full)

            fd = gradient(on_wrt, base[:k])
            data["finite_differences"] = [_number(v) for v in fd]
            more, ok = _check_lines(data, _relative_error(g_values, fd), CHECK_TOL)
            lines += more
    elif args.check:
        raise UsageError("--check needs a point: give --at")
    _emit(args, data, lines)
    return 0 if ok else EXIT_MISMATCH


def cmd_hessian(args):
    from symdiff import evaluate, hessian, simplify

    expr = _parse_expr(args.expr)
    _scalar(expr, "hessian")
    wrt = _wrt(expr, args.wrt)
    h = hessian(expr, wrt) if wrt else ()
    if args.simplify:
        h = tuple(tuple(simplify(e) for e in row) for row in h)
    data = {
        "expr": str(expr),
        "wrt": [s.name for s in wrt],
        "hessian": [[str(e) for e in row] for row in h],
    }
    lines = [f"f = {expr}", f"Hessian with respect to ({_signature(wrt)}):"]
    lines += ["  [" + ", ".join(str(e) for e in row) + "]" for row in h]
    ok = True
    if args.at is not None:
        at = _point(expr, args.at)
        flat = evaluate([e for row in h for e in row], at) if h else []
        k = len(wrt)
        matrix = np.array([float(v) for v in flat]).reshape(k, k)
        data["at"] = {s.name: v for s, v in at.items()}
        data["value"] = _values(matrix)
        lines.append(f"at {_at_text(at)}:")
        lines += ["  " + _fmt(row) for row in matrix]
        if args.check and wrt:
            from numeric import hessian as fd_hessian

            symbols = _ordered_symbols(expr, wrt)
            fn = _as_vector_function(expr, symbols)
            base = np.array([at[s] for s in symbols])

            def on_wrt(v):
                full = base.copy()
                full[:k] = v
                return fn(full)

            fd = fd_hessian(on_wrt, base[:k])
            data["finite_differences"] = _values(fd)
            more, ok = _check_lines(data, _relative_error(matrix, fd), CHECK_TOL_SECOND)
            lines += more
    elif args.check:
        raise UsageError("--check needs a point: give --at")
    _emit(args, data, lines)
    return 0 if ok else EXIT_MISMATCH


def cmd_simplify(args):
    from symdiff import count_nodes, simplify

    expr = _parse_expr(args.expr)
    out = simplify(expr)
    data = {
        "expr": str(expr),
        "simplified": str(out),
        "nodes_before": count_nodes(expr),
        "nodes_after": count_nodes(out),
    }
    _emit(args, data, [str(out)])
    return 0


def cmd_export(args):
    from symdiff import export_module, grad, hessian

    expr = _parse_expr(args.expr)
    _scalar(expr, "export")
    wrt = _wrt(expr, args.wrt)
    symbols = _ordered_symbols(expr, wrt)
    name = args.name
    functions = {name: expr, f"grad_{name}": grad(expr, wrt) if wrt else ()}
    if args.hessian:
        functions[f"hess_{name}"] = hessian(expr, wrt) if wrt else ()
    source = export_module(functions, symbols)
    if args.output is None or args.output == "-":
        if args.json:
            _emit(args, {"functions": list(functions), "source": source}, [])
        else:
            sys.stdout.write(source)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(source)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"cannot write {args.output!r}: {reason}") from None
    sig = _signature(symbols)
    data = {
        "path": args.output,
        "functions": list(functions),
        "args": [s.name for s in symbols],
    }
    lines = [f"wrote {args.output}: " + ", ".join(f"{f}({sig})" for f in functions)]
    _emit(args, data, lines)
    return 0


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


_COMMANDS = {
    "diff": cmd_diff,
    "grad": cmd_grad,
    "hessian": cmd_hessian,
    "simplify": cmd_simplify,
    "export": cmd_export,
}


def _negative_expression(arg):
    return (
        arg[:1] == "-" and len(arg) > 1 and arg[:2] != "--" and arg not in ("-h", "-o")
    )


def _one_line(exc):
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv=None):
    """Entry point of the ``symdiff`` console script; returns the exit status.

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
    # An expression may start with '-' ("-x**2"): a leading space keeps argparse from
    # taking it for an option (the only short options are -h and -o, given alone),
    # and the expression parser ignores it.
    argv = [" " + a if _negative_expression(a) else a for a in argv]
    try:
        args = parser.parse_args(argv)
        if args.command == "demo":
            return run_demo(args.at)
        if args.command is None:
            parser.print_help()
            return 0
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"symdiff: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValueError, TypeError, ArithmeticError, NotImplementedError) as exc:
        # ParseError and ShapeError are ValueErrors: bad expressions
        print(f"symdiff: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"symdiff: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: still one line, but say so
        print(
            f"symdiff: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(this is a bug in symdiff; please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
