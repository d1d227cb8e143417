"""The reference numpy interpreter (``evaluate``) and substitution (``subs``)."""

import numpy as np

from symdiff.errors import ShapeError
from symdiff.expr import Expr, Symbol, apply, as_expr
from symdiff.ops import OPS
from symdiff.traverse import topo_order


def _bind(symbols, values):
    """Map each Symbol to a numpy value from ``values`` (keyed by Symbol or name)."""
    by_name = {}
    for k, v in values.items():
        if isinstance(k, Symbol):
            by_name.setdefault(("sym", k), v)
        elif isinstance(k, str):
            by_name[("name", k)] = v
        else:
            raise TypeError(f"values must be keyed by Symbols or names, got {k!r}")
    bound = {}
    for s in symbols:
        key = ("sym", s) if ("sym", s) in by_name else ("name", s.name)
        if key not in by_name:
            raise ValueError(f"evaluate: no value given for symbol {s.name!r}")
        v = np.asarray(by_name[key])
        if v.dtype.kind in "biu":
            v = v.astype(np.float64)
        elif v.dtype.kind not in "fc":
            raise TypeError(
                f"evaluate: value of {s.name!r} must be numeric, got {v.dtype}"
            )
        if v.shape[v.ndim - s.ndim :] != s.shape or v.ndim < s.ndim:
            raise ShapeError(
                f"evaluate: symbol {s.name!r} has shape {s.shape} but its value has "
                f"shape {v.shape} (extra leading dimensions are a batch)"
            )
        bound[s] = v
    return bound


def _align_batch(node, vals):
    """Keep batch prefixes prefixes: an operand of lower rank than the elementwise
    ``node`` gets 1s inserted in front of its own axes, not in front of its batch."""
    out = vals
    for i, (a, v) in enumerate(zip(node.args, vals, strict=True)):
        if a.ndim < node.ndim and np.ndim(v) > a.ndim:
            if out is vals:
                out = list(vals)
            out[i] = np.expand_dims(v, tuple(range(-node.ndim, -a.ndim)))
    return out


def evaluate(exprs, values=None, **named):
    """Evaluate expressions with numpy (the reference interpreter).

    Parameters
    ----------
    exprs : Expr or sequence of Expr
        What to evaluate; several expressions share the work on their common nodes.
    values : dict, optional
        Maps Symbols (or their names) to numbers or arrays.  An array with extra leading
        dimensions is a batch: results get those dimensions too.
    **named
        Values by symbol name, as an alternative to ``values``.

    Returns
    -------
    numpy value, or a list of them when ``exprs`` is a sequence.

    Examples
    --------
    >>> from symdiff import symbols, sin, evaluate
    >>> x, y = symbols("x y")
    >>> float(evaluate(x**2 * y, {x: 3, y: 2}))
    18.0
    >>> evaluate(2 * x, x=[1.0, 2.0])
    array([2., 4.])
    """
    single = isinstance(exprs, Expr)
    roots = [as_expr(exprs)] if single else [as_expr(e) for e in exprs]
    values = dict(values or {})
    values.update(named)
    order = topo_order(*roots)
    env = _bind([n for n in order if n.op == "symbol"], values)
    with np.errstate(all="ignore"):  # log(0) = -inf, 0/0 = nan, as numpy defines them
        for node in order:
            if node.op != "symbol":
                spec = OPS[node.op]
                vals = [env[a] for a in node.args]
                if spec.elementwise and len(vals) > 1:
                    vals = _align_batch(node, vals)
                env[node] = spec.impl(node, *vals)
    out = [env[r] for r in roots]
    return out[0] if single else out


def subs(expr, mapping):
    """Replace subexpressions (usually symbols) by expressions, rebuilding once.

    Parameters
    ----------
    expr : Expr
    mapping : dict
        Keys are Exprs (or symbol names); values are Exprs or numbers.

    Examples
    --------
    >>> from symdiff import symbols
    >>> x, y = symbols("x y")
    >>> print((x * y + x).subs({x: 2}))
    2*y + 2
    """
    repl = {}
    names = {}
    for k, v in mapping.items():
        if isinstance(k, str):
            names[k] = as_expr(v)
        else:
            repl[as_expr(k)] = as_expr(v)
    memo = {}
    for node in topo_order(expr):
        if node in repl:
            memo[node] = repl[node]
        elif node.op == "symbol" and node.name in names:
            memo[node] = names[node.name]
        elif not node.args:
            memo[node] = node
        else:
            args = tuple(memo[a] for a in node.args)
            if all(a is b for a, b in zip(args, node.args, strict=True)):
                memo[node] = node
            else:
                memo[node] = apply(node.op, *args, **node.params)
    return memo[expr]
