"""Exact derivatives over the DAG: reverse mode (grad) and forward mode (diff, jvp).

Both modes walk the topological order once and build derivative nodes with
:func:`symdiff.expr.apply`, so results are canonicalised, interned, and share nodes with
the input and with each other. Only nodes that depend on the differentiation variables
are visited, and the cost is a small multiple of the expression's size (no swell).

Gradients of broadcast operands are summed back to the operand's shape here, in one
place (:func:`_unbroadcast`), not in the op rules.

Reverse mode accepts a seed with extra *leading* dimensions: seeded with the identity of
the output's space it yields the whole Jacobian of a tensor output in one pass (every
vjp rule passes leading dimensions through), so ``hessian(x @ A @ x, x)`` is built as
``A + A.T``, not row by row.
"""

from __future__ import annotations

from collections.abc import Sequence

from symdiff.expr import Expr, Symbol, apply, as_expr, const
from symdiff.ops import OPS
from symdiff.tensor_ops import identity, unbroadcast
from symdiff.traverse import topo_order


def _check_wrt(wrt):
    single = isinstance(wrt, Expr)
    wrt_list = [wrt] if single else list(wrt)
    for w in wrt_list:
        if not isinstance(w, Symbol):
            raise TypeError(
                f"can only differentiate with respect to Symbols, got {w!r}"
            )
    return single, wrt_list


def _zeros(shape):
    return const(0) if not shape else apply("broadcast_to", 0, shape=shape)


def _ones(shape):
    return const(1) if not shape else apply("broadcast_to", 1, shape=shape)


def _unbroadcast(g, shape, nlead):
    return g if g.shape[nlead:] == shape else unbroadcast(g, shape, nlead)


def _add_all(terms):
    acc = terms[0]
    for t in terms[1:]:
        acc = apply("add", acc, t)
    return acc


def _times(g, p):
    """g * p, skipping the multiplication for the common partials 1 and -1."""
    if p is None:
        return None
    if type(p) is int:
        if p == 1:
            return g
        if p == -1:
            return apply("neg", g)
    return apply("mul", g, p)


def _dependents(order, targets):
    dep = set(targets)
    for node in order:
        if node.args and any(a in dep for a in node.args):
            dep.add(node)
    return dep


def _missing_rule(node):
    return NotImplementedError(
        f"the derivative of {node.op!r} is not implemented (in {str(node)[:80]})"
    )


def _reverse(f, wrt_list, seed):
    """Adjoints of ``wrt_list`` for output ``f`` seeded with ``seed`` (reverse mode).

    ``seed`` has shape ``lead + f.shape``; every adjoint then has ``lead`` in front.
    """
    lead = seed.shape[: seed.ndim - f.ndim]
    nlead = len(lead)
    order = topo_order(f)
    dep = _dependents(order, wrt_list)
    pending = {f: [seed]} if f in dep else {}
    grads = {}
    for node in reversed(order):
        contribs = pending.pop(node, None)
        if contribs is None:
            continue
        g = _add_all(contribs)
        if not node.args:
            grads[node] = g
            continue
        spec = OPS[node.op]
        if spec.partials is not None:
            outs = [
                _times(g, p) if a in dep else None
                for a, p in zip(node.args, spec.partials(node), strict=True)
            ]
        elif spec.vjp is not None:
            outs = spec.vjp(node, g)
        else:
            raise _missing_rule(node)
        for arg, c in zip(node.args, outs, strict=True):
            if c is not None and arg in dep:
                c = _unbroadcast(as_expr(c), arg.shape, nlead)
                pending.setdefault(arg, []).append(c)
    return [grads.get(w) or _zeros(lead + w.shape) for w in wrt_list]


def _forward(outputs, tangents):
    """Directional derivatives of ``outputs`` along ``{symbol: tangent}`` (forward)."""
    order = topo_order(*outputs)
    dep = _dependents(order, list(tangents))
    tan = dict(tangents)
    for node in order:
        if node not in dep or node in tangents:
            continue
        spec = OPS[node.op]
        ts = [tan.get(a) for a in node.args]
        if spec.partials is not None:
            terms = []
            for p, t in zip(spec.partials(node), ts, strict=True):
                if p is not None and t is not None:
                    terms.append(_times(t, p))
            out = _add_all(terms) if terms else _zeros(node.shape)
        elif spec.jvp is not None:
            ts = [
                t if t is not None else _zeros(a.shape)
                for t, a in zip(ts, node.args, strict=True)
            ]
            out = spec.jvp(node, ts)
        else:
            raise _missing_rule(node)
        if out.shape != node.shape:
            out = apply("broadcast_to", out, shape=node.shape)
        tan[node] = out
    return [tan.get(o) or _zeros(o.shape) for o in outputs]


def diff(expr, x, n=1):
    """The ``n``-th derivative of ``expr`` with respect to the scalar symbol ``x``.

    Parameters
    ----------
    expr : Expr or number
        Scalar or tensor expression (a tensor is differentiated elementwise).
    x : Symbol
        A scalar symbol.
    n : int, optional
        Order of the derivative (default 1).

    Returns
    -------
    Expr

    Examples
    --------
    >>> from symdiff import Symbol, diff, sin
    >>> x = Symbol("x")
    >>> print(diff(3*x**2 - 4*x, x))
    6*x - 4
    >>> print(diff(x**3, x, 2))
    6*x
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"diff: n must be a non-negative integer, got {n!r}")
    _check_wrt(x)
    if x.shape:
        raise ValueError(f"diff: {x.name!r} has shape {x.shape}; use grad or jacobian")
    out = as_expr(expr)
    for _ in range(n):
        (out,) = _forward([out], {x: const(1)})
    return out


def grad(expr, wrt):
    """Gradient of a scalar expression by reverse mode over the DAG.

    Parameters
    ----------
    expr : Expr
        A scalar expression.
    wrt : Symbol or sequence of Symbol
        One symbol gives one Expr; a sequence gives a tuple (one entry per symbol, each
        with that symbol's shape).

    Examples
    --------
    >>> from symdiff import symbols, grad, exp
    >>> x1, x2 = symbols("x1 x2")
    >>> [str(g) for g in grad(3*x1**2 + 5*exp(x2), [x1, x2])]
    ['6*x1', '5*exp(x2)']
    """
    expr = as_expr(expr)
    single, wrt_list = _check_wrt(wrt)
    if expr.shape:
        raise ValueError(
            f"grad needs a scalar expression, got shape {expr.shape}; use jacobian"
        )
    grads = _reverse(expr, wrt_list, const(1))
    return grads[0] if single else tuple(grads)


def jacobian(outputs, wrt):
    """Jacobian of scalar ``outputs`` with respect to the symbols ``wrt``.

    Returns a tuple of rows, one per output, each a tuple over ``wrt``.

    Examples
    --------
    >>> from symdiff import symbols, jacobian
    >>> x, y = symbols("x y")
    >>> [[str(e) for e in row] for row in jacobian([x * y, x + y], [x, y])]
    [['y', 'x'], ['1', '1']]
    """
    outs = [outputs] if isinstance(outputs, Expr) else list(outputs)
    _, wrt_list = _check_wrt(wrt)
    return tuple(tuple(grad(o, wrt_list)) for o in outs)


def hessian(expr, wrt):
    """Hessian matrix (tuple of rows) of a scalar expression.

    Examples
    --------
    >>> from symdiff import symbols, hessian
    >>> x, y = symbols("x y")
    >>> [[str(e) for e in row] for row in hessian(x**2 * y, [x, y])]
    [['2*y', '2*x'], ['2*x', '0']]
    """
    _, wrt_list = _check_wrt(wrt)
    if not isinstance(wrt_list, Sequence):
        wrt_list = list(wrt_list)
    return jacobian(grad(expr, wrt_list), wrt_list)
