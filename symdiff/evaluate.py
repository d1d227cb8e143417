"""The reference numpy interpreter: ``evaluate`` walks the DAG once with the op table's
numpy implementations (substitution, ``subs``, is in :mod:`symdiff.core.expr`)."""

import numpy as np

from symdiff.core.expr import Expr, Symbol, as_expr
from symdiff.core.spec import OPS
from symdiff.core.specialize import bind_dims, sizes_only, specialize
from symdiff.core.traverse import topo_order


def _bind(symbols, values, sizes):
    """Map each Symbol to a numpy value from ``values`` (keyed by Symbol or name);
    the sizes of named dims go into ``sizes`` (see :func:`bind_dims`)."""
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
            # named dims (or a mismatch): read the sizes off, checking they agree
            bind_dims(s, v.shape, sizes)
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
    sizes = {}
    env = _bind([n for n in order if n.op == "symbol"], values, sizes)
    if sizes or any(n.op == "dim" for n in order):
        # named dims: run on the expression with the sizes in place of the names
        roots, renamed = specialize(roots, sizes_only(sizes))
        env = {renamed[s]: v for s, v in env.items()}
        order = topo_order(*roots)
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
