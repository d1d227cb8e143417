"""The subcommands of ``symdiff``: each takes the parsed arguments, prints its result
and returns the exit status."""

from __future__ import annotations

import sys

import numpy as np

from symdiff.cli.check import (
    DERIVATIVE,
    GRADIENT,
    HESSIAN,
    check_derivative,
    finite_differences,
    relative_error,
)
from symdiff.cli.inputs import (
    check_declared,
    declared_symbols,
    ordered_symbols,
    parse_expression,
    read_point,
    read_shapes,
    require_scalar,
    wrt_symbols,
)
from symdiff.cli.output import (
    format_values,
    json_number,
    json_values,
    point_text,
    print_result,
    record_point,
    signature,
)
from symdiff.cli.parser import EXIT_MISMATCH, EXIT_OK, UsageError
from symdiff.codegen import export_c, export_module
from symdiff.core.expr import Symbol
from symdiff.core.traverse import count_nodes
from symdiff.diff import diff, grad, hessian
from symdiff.evaluate import evaluate
from symdiff.rewrite import simplify

DEMO_TOL = 1e-8  # demo: largest accepted relative error (a polynomial: FD is accurate)


def _point_if_given(args, expr):
    """The --at point, or None when not given (then --check is bad input)."""
    if args.at is None:
        if args.check:
            raise UsageError("--check needs a point: give --at")
        return None
    return read_point(expr, args.at)


def _expression(args):
    """The expression, read with the tensor symbols that --shape declares."""
    shapes = read_shapes(args.shape)
    expr = parse_expression(args.expr, declared_symbols(shapes))
    check_declared(expr, shapes)
    return expr


def _scalar_expression_and_wrt(args, command):
    """The scalar expression and its --wrt symbols (default: all, in natural order)."""
    expr = _expression(args)
    require_scalar(expr, command)
    return expr, wrt_symbols(expr, args.wrt)


def _at_point_and_check(args, expr, wrt, data, lines, show_values, kind, n=1):
    """--at and --check, the same for diff, grad and hessian; print; the exit status.

    ``show_values(at)`` evaluates the derivatives at the point, adds them to ``data``
    and ``lines`` and returns them, for --check to compare with finite differences.
    """
    ok = True
    at = _point_if_given(args, expr)
    if at is not None:
        record_point(data, at)
        exact = show_values(at)
        if args.check and expr.shape:
            raise UsageError("--check needs a scalar expression")
        if args.check and wrt:
            more, ok = check_derivative(data, expr, wrt, at, exact, kind, n)
            lines += more
    print_result(data, lines, args.json)
    return EXIT_OK if ok else EXIT_MISMATCH


def cmd_diff(args):
    """``symdiff diff EXPR [--wrt X] [--n N] [--at X=1 [--check]]``."""
    expr = _expression(args)
    if not isinstance(args.n, int) or args.n < 1:
        raise UsageError(f"--n must be a positive integer, got {args.n}")
    wrt = wrt_symbols(expr, args.wrt, all_by_default=False)
    if len(wrt) != 1:
        raise UsageError("--wrt: diff takes exactly one symbol (use grad for several)")
    (x,) = wrt
    derivative = diff(expr, x, args.n)
    if args.simplify:
        derivative = simplify(derivative)
    op = f"d/d{x.name}" if args.n == 1 else f"d^{args.n}/d{x.name}^{args.n}"
    data = {"expr": str(expr), "wrt": x.name, "n": args.n}
    data["derivative"] = str(derivative)
    lines = [f"f = {expr}", f"{op} f = {derivative}"]

    def show_values(at):
        value = evaluate(derivative, at)
        data["value"] = json_values(value)
        lines.append(f"at {point_text(at)}: {op} f = {format_values(value)}")
        return value

    return _at_point_and_check(
        args, expr, wrt, data, lines, show_values, DERIVATIVE, args.n
    )


def cmd_grad(args):
    """``symdiff grad EXPR [--wrt X,Y] [--at X=1,Y=2 [--check]]``."""
    expr, wrt = _scalar_expression_and_wrt(args, "grad")
    gradient = grad(expr, wrt) if wrt else ()
    if args.simplify:
        gradient = tuple(simplify(e) for e in gradient)
    data = {"expr": str(expr), "wrt": [s.name for s in wrt]}
    data["gradient"] = [str(e) for e in gradient]
    lines = [f"f({signature(ordered_symbols(expr, wrt))}) = {expr}"]
    lines += [f"df/d{s.name} = {e}" for s, e in zip(wrt, gradient, strict=True)]

    def show_values(at):
        f_value, *g_values = evaluate([expr, *gradient], at)
        data["value"] = json_number(f_value)
        data["gradient_value"] = [json_values(v) for v in g_values]
        lines.extend([f"at {point_text(at)}:", f"  f = {format_values(f_value)}"])
        for s, v in zip(wrt, g_values, strict=True):
            lines.append(f"  df/d{s.name} = {format_values(v)}")
        # one vector over the flattened variables, as finite differences see them
        return np.concatenate([np.ravel(v) for v in g_values]) if g_values else []

    return _at_point_and_check(args, expr, wrt, data, lines, show_values, GRADIENT)


def cmd_hessian(args):
    """``symdiff hessian EXPR [--wrt X,Y] [--at X=1,Y=2 [--check]]``."""
    expr, wrt = _scalar_expression_and_wrt(args, "hessian")
    matrix = hessian(expr, wrt) if wrt else ()
    if args.simplify:
        matrix = tuple(tuple(simplify(e) for e in row) for row in matrix)
    data = {"expr": str(expr), "wrt": [s.name for s in wrt]}
    data["hessian"] = [[str(e) for e in row] for row in matrix]
    lines = [f"f = {expr}", f"Hessian with respect to ({signature(wrt)}):"]
    lines += ["  [" + ", ".join(str(e) for e in row) + "]" for row in matrix]

    def show_values(at):
        flat = evaluate([e for row in matrix for e in row], at) if matrix else []
        values = hessian_matrix(flat, [np.shape(at[s]) for s in wrt])
        data["value"] = json_values(values)
        lines.append(f"at {point_text(at)}:")
        lines.extend("  " + format_values(row) for row in values)
        return values

    return _at_point_and_check(args, expr, wrt, data, lines, show_values, HESSIAN)


def hessian_matrix(blocks, shapes):
    """The Hessian as one matrix over the flattened variables, from its blocks.

    ``blocks`` holds the row-major blocks d2f/dx_i dx_j, of shape
    ``shapes[i] + shapes[j]``; a scalar variable is one row and one column.

    Examples
    --------
    >>> hessian_matrix([2.0, [1.0, 0.0], [1.0, 0.0], [[0.0, 0.0], [0.0, 3.0]]],
    ...                [(), (2,)])
    array([[2., 1., 0.],
           [1., 0., 0.],
           [0., 0., 3.]])
    """
    sizes = [int(np.prod(shape)) for shape in shapes]
    rows = []
    for i, size in enumerate(sizes):
        row = blocks[i * len(sizes) : (i + 1) * len(sizes)]
        rows.append(
            [
                np.asarray(b, dtype=float).reshape(size, other)
                for b, other in zip(row, sizes, strict=True)
            ]
        )
    return np.block(rows) if rows else np.zeros((0, 0))


def cmd_simplify(args):
    """``symdiff simplify EXPR``: the simplified expression and the node counts."""
    expr = _expression(args)
    simplified = simplify(expr)
    data = {
        "expr": str(expr),
        "simplified": str(simplified),
        "nodes_before": count_nodes(expr),
        "nodes_after": count_nodes(simplified),
    }
    print_result(data, [str(simplified)], args.json)
    return EXIT_OK


def cmd_export(args):
    """``symdiff export EXPR [--wrt X,Y] [--hessian] [--name F] [--target T] [-o F]``"""
    expr, wrt = _scalar_expression_and_wrt(args, "export")
    symbols = ordered_symbols(expr, wrt)
    name = args.name
    functions = {name: expr, f"grad_{name}": grad(expr, wrt) if wrt else ()}
    if args.hessian:
        functions[f"hess_{name}"] = hessian(expr, wrt) if wrt else ()
    source = _export_source(args, functions, symbols)
    if args.target == "c":
        calls = ", ".join(f"{f}" for f in functions)
        header = args.output[:-2] + ".h" if args.output.endswith(".c") else ""
        data = {"path": args.output, "header": header, "functions": list(functions)}
        print_result(data, [f"wrote {args.output} and {header}: {calls}"], args.json)
        return EXIT_OK
    if args.output is None or args.output == "-":
        if args.json:
            print_result({"functions": list(functions), "source": source}, [], True)
        else:
            sys.stdout.write(source)
        return EXIT_OK
    _write_text(args.output, source)
    data = {
        "path": args.output,
        "functions": list(functions),
        "args": [s.name for s in symbols],
    }
    calls = ", ".join(f"{f}({signature(symbols)})" for f in functions)
    print_result(data, [f"wrote {args.output}: {calls}"], args.json)
    return EXIT_OK


def _export_source(args, functions, symbols):
    """The exported text for ``--target`` (C: written here, to -o and its header)."""
    target = args.target
    try:
        if target != "c":
            return export_module(functions, symbols, target=target)
        out = args.output
        if out is None or out == "-" or not out.endswith(".c"):
            raise UsageError("--target c writes FILE.c and FILE.h: give -o FILE.c")
        try:
            export_c(functions, symbols, out)
        except OSError as exc:
            raise UsageError(f"cannot write {out!r}: {exc.strerror or exc}") from None
        return None
    except ImportError as exc:  # an optional dependency of the target
        raise UsageError(str(exc)) from None
    except NotImplementedError as exc:
        raise UsageError(str(exc)) from None


def _write_text(path, text):
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"cannot write {path!r}: {reason}") from None


def cmd_demo(args):
    """The README's first example: exact derivative, checked by finite differences."""
    at = args.at
    x = Symbol("x")
    f = 3 * x**2 - 4 * x
    df = diff(f, x)
    exact = float(evaluate(df, {x: at}))
    approx = float(finite_differences(f, [x], {x: at}, DERIVATIVE))
    error = relative_error(exact, approx)
    ok = error <= DEMO_TOL  # nan is a mismatch too
    data = {
        "function": str(f),
        "derivative": str(df),
        "at": {"x": at},
        "value": json_number(exact),
        "finite_differences": json_number(approx),
        "check": {
            "relative_error": json_number(error),
            "tolerance": DEMO_TOL,
            "ok": ok,
        },
    }
    lines = [
        f"f(x)  = {f}",
        f"f'(x) = {df}",
        f"f'({at:g}) = {exact:g} exactly; finite differences give {approx:.12g}",
        "symbolic and numerical derivatives agree"
        if ok
        else "MISMATCH between the symbolic and the numerical derivative",
    ]
    print_result(data, lines, args.json)
    return EXIT_OK if ok else EXIT_MISMATCH


COMMANDS = {
    "demo": cmd_demo,
    "diff": cmd_diff,
    "grad": cmd_grad,
    "hessian": cmd_hessian,
    "simplify": cmd_simplify,
    "export": cmd_export,
}
