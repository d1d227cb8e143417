"""Exact derivatives over the DAG: reverse mode (grad) and forward mode (diff, jvp).

Both modes walk the topological order once and build derivative nodes with
:func:`symdiff.core.expr.apply`, so results are canonicalised, interned, and share
nodes with the input and with each other. Only nodes that depend on the
differentiation variables are visited, and the cost is a small multiple of the
expression's size (no swell).

Gradients of broadcast operands are summed back to the operand's shape here, in one
place (:func:`_unbroadcast`, over :func:`symdiff.ops.util.unbroadcast`), not in the
op rules.

Reverse mode accepts a seed with extra *leading* dimensions: seeded with the identity of
the output's space it yields the whole Jacobian of a tensor output in one pass (every
vjp rule passes leading dimensions through), so ``hessian(x @ A @ x, x)`` is built as
``A + A.T``, not row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from symdiff.core.errors import ShapeError
from symdiff.core.expr import Expr, Symbol, apply, as_expr, const
from symdiff.core.spec import OPS
from symdiff.core.traverse import topo_order, without_gc
from symdiff.ops.util import identity, unbroadcast, zeros


class ExprTuple(tuple):
    r"""Derivatives as a tuple: a gradient, or (nested) a Jacobian's or Hessian's rows.

    It is a tuple in every way (indexing, unpacking, ``==`` with plain tuples); it adds
    LaTeX as a ``pmatrix`` (``latex(g)``, and notebooks' ``_repr_latex_``): a gradient
    as a column, a Jacobian or Hessian as a matrix.

    Examples
    --------
    >>> from symdiff import grad, latex, symbols
    >>> x, y = symbols("x y")
    >>> g = grad(x**2 * y, [x, y])
    >>> g == (2 * x * y, x**2), isinstance(g, tuple)
    (True, True)
    >>> print(latex(g))
    \begin{pmatrix} 2 x y \\ {x}^{2} \end{pmatrix}
    """

    __slots__ = ()


def _check_wrt(wrt):
    single = isinstance(wrt, Expr)
    wrt_list = [wrt] if single else list(wrt)
    for w in wrt_list:
        if not isinstance(w, Symbol):
            raise TypeError(
                f"can only differentiate with respect to Symbols, got {w!r}"
            )
    return single, wrt_list


def _unbroadcast(g, shape, nlead):
    if g.ndim == nlead + len(shape) and g.shape[nlead:] == shape:
        return g
    return unbroadcast(g, shape, nlead)


def _add_all(terms):
    acc = terms[0]
    for t in terms[1:]:
        acc = apply("add", acc, t)
    return acc


_ONE = const(1)


def _times(g, p):
    """g * p, skipping the multiplication for the common partials 1 and -1, and for
    the adjoint 1 (a sum's terms all get it from a scalar seed)."""
    if p is None:
        return None
    if type(p) is int:
        if p == 1:
            return g
        if p == -1:
            return apply("neg", g)
    if g is _ONE:
        return as_expr(p) if p.__class__ is not int else const(p)
    return apply("mul", g, p)


def _power_adjoint(node, g):
    """``g`` times the partial ``c*t`` of ``node = a**c`` (``c`` an exact scalar
    constant, ``t = a**(c-1)``): the node ``_times(g, c*t)`` gives, built without
    the node ``c*t`` where canonicalising the product would only take it apart again.

    ``mul_identities`` turns ``g*(c*t)`` into ``c*(g*t)`` (``g`` not a constant),
    ``(v*c)*t`` (``g`` the constant ``v``) or ``(c*k)*(t*s)`` (``g = k*s``), so
    ``c*t`` and ``k*(t*s)`` were garbage: half of the nodes the scalar Rosenbrock's
    gradient made were built, then swept.  The conditions below are those under which
    the rule takes those branches; anything else takes the general path, and a test
    compares the two on random expressions.
    """
    a, b = node.args
    c = b.value
    t = a if c == 2 else apply("pow", a, c - 1)
    if node.shape or g.shape or c in (0, 1, -1) or _pulls(t) or g is _ONE:
        return _times(g, apply("mul", c, t))
    if g.op == "const":
        v = g.value
        if v == 1 or v == 0:
            return _times(g, apply("mul", c, t))
        return apply("mul", -c if v == -1 else v * c, t)
    if g.op == "mul" and g.args[1] is t and g.args[0].op == "const":
        return _times(g, apply("mul", c, t))  # g may be c*t itself: c*t squared
    k = g.args[0] if g.op == "mul" else None
    if k is not None and k.op == "const" and not k.shape and t.op != "div":
        # g = k*s: the rule makes c*(k*(t*s)), which is (c*k)*(t*s) when k*(t*s) is
        # a plain product (else it is built as the rule builds it)
        r = apply("mul", t, g.args[1])
        if k.value not in (0, 1, -1) and not _pulls(r):
            return apply("mul", c * k.value, r)
        return apply("mul", c, apply("mul", k, r))
    return apply("mul", c, apply("mul", g, t))


def _pulls(e):
    """Whether ``mul_identities`` rewrites a product with ``e`` as its second factor
    by looking into ``e`` (a constant, a negation, or a product with a constant)."""
    return e.op in ("const", "neg") or (
        e.op == "mul" and e.args[0].op == "const" and not e.args[0].shape
    )


def _is_exact_power(node):
    """``a**c`` with ``c`` an exact scalar constant (what `_power_adjoint` takes)."""
    if node.op != "pow":
        return False
    b = node.args[1]
    return b.op == "const" and not b.shape and isinstance(b.value, int | Fraction)


def _dependents(order, targets):
    dep = set(targets)
    add = dep.add
    for node in order:
        for a in node.args:  # (a plain loop: a generator per node costs more)
            if a in dep:
                add(node)
                break
    return dep


def _missing_rule(node):
    return NotImplementedError(
        f"the derivative of {node.op!r} is not implemented (in {str(node)[:80]})"
    )


@without_gc
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
        if _is_exact_power(node):
            outs = (_power_adjoint(node, g), None)
        elif spec.partials is not None:
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
                if callable(c):  # a rule's lazy entry: built only when needed
                    c = c()
                if not isinstance(c, Expr):
                    c = as_expr(c)
                if nlead or c.shape != arg.shape:
                    c = _unbroadcast(c, arg.shape, nlead)
                pending.setdefault(arg, []).append(c)
    return [grads.get(w) or zeros(lead + w.shape) for w in wrt_list]


@without_gc
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
            out = _add_all(terms) if terms else zeros(node.shape)
        elif spec.jvp is not None:
            ts = [
                t if t is not None else zeros(a.shape)
                for t, a in zip(ts, node.args, strict=True)
            ]
            out = spec.jvp(node, ts)
        else:
            raise _missing_rule(node)
        if out.shape != node.shape:
            out = apply("broadcast_to", out, shape=node.shape)
        tan[node] = out
    return [tan.get(o) or zeros(o.shape) for o in outputs]


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
    >>> print(diff(x, x, 10**8))
    0
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"diff: n must be a non-negative integer, got {n!r}")
    _check_wrt(x)
    if x.shape:
        raise ValueError(f"diff: {x.name!r} has shape {x.shape}; use grad or jacobian")
    out = as_expr(expr)
    for _ in range(n):
        free = x in out.free_symbols
        (out,) = _forward([out], {x: const(1)})
        if not free:
            # `out` is now the zero of the right shape, and so is every further
            # derivative: any n is instant once the variable is gone.
            break
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
    return grads[0] if single else ExprTuple(grads)


def _seed(y):
    """The identity seed of reverse mode for output ``y`` (``1`` for scalars)."""
    return const(1) if not y.shape else identity(y.shape)


def jacobian(outputs, wrt):
    """Jacobian of ``outputs`` with respect to the symbols ``wrt``.

    Parameters
    ----------
    outputs : Expr or sequence of Expr
        A tensor expression ``y``, or a list of expressions.
    wrt : Symbol or sequence of Symbol

    Returns
    -------
    Expr or tuple
        For one tensor output ``y`` (``y.shape != ()``): an Expr of shape
        ``y.shape + x.shape`` for one symbol ``x`` (entry ``[i, j]`` is
        ``d y[i] / d x[j]``), or a tuple of them for a sequence of symbols.  For a
        scalar output or a list of outputs: a tuple of rows, one per output, each a
        tuple over ``wrt`` (entries of shape ``output.shape + symbol.shape``).

    Notes
    -----
    A tensor output is differentiated by one reverse pass whose seed is the identity
    of the output's space, so the result stays at the matrix level (``jacobian(A @ x,
    x)`` is ``A``) and costs about as much as one gradient.  d2l writes the gradient
    of a vector function in the transposed layout (``x.shape + y.shape``): its
    :math:`\nabla_x Ax = A^\top` is our ``jacobian(A @ x, x) == A``.

    Examples
    --------
    >>> from symdiff import Symbol, symbols, jacobian
    >>> x, y = symbols("x y")
    >>> [[str(e) for e in row] for row in jacobian([x * y, x + y], [x, y])]
    [['y', 'x'], ['1', '1']]
    >>> A, v = Symbol("A", shape=(2, 3)), Symbol("v", shape=(3,))
    >>> print(jacobian(A @ v, v))
    A
    """
    _, wrt_list = _check_wrt(wrt)
    if isinstance(outputs, Expr) and outputs.shape:
        single = isinstance(wrt, Expr)
        js = _reverse(outputs, wrt_list, _seed(outputs))
        return js[0] if single else ExprTuple(js)
    outs = [outputs] if isinstance(outputs, Expr) else [as_expr(o) for o in outputs]
    return ExprTuple(ExprTuple(_reverse(o, wrt_list, _seed(o))) for o in outs)


def hessian(expr, wrt):
    """Hessian of a scalar expression.

    Parameters
    ----------
    expr : Expr
        A scalar expression.
    wrt : Symbol or sequence of Symbol

    Returns
    -------
    Expr or tuple of tuples
        For one tensor symbol ``x``: an Expr of shape ``x.shape + x.shape``.  Otherwise
        (a scalar symbol or a sequence): a tuple of rows of blocks, block ``[i][j]``
        with shape ``wrt[i].shape + wrt[j].shape``.

    Examples
    --------
    >>> from symdiff import Symbol, symbols, hessian
    >>> x, y = symbols("x y")
    >>> [[str(e) for e in row] for row in hessian(x**2 * y, [x, y])]
    [['2*y', '2*x'], ['2*x', '0']]
    >>> A, v = Symbol("A", shape=(3, 3)), Symbol("v", shape=(3,))
    >>> print(hessian(v @ A @ v, v))
    A + A.T
    """
    single, wrt_list = _check_wrt(wrt)
    if single and wrt_list[0].shape:
        return jacobian(grad(expr, wrt), wrt)
    if not isinstance(wrt_list, Sequence):
        wrt_list = list(wrt_list)
    return jacobian(list(grad(expr, wrt_list)), wrt_list)


def _directions(owner, wrt, vectors):
    """Pair symbols with direction vectors (converted to Exprs of the same shape)."""
    single, wrt_list = _check_wrt(wrt)
    vecs = [vectors] if single else list(vectors)
    if len(vecs) != len(wrt_list):
        raise ValueError(
            f"{owner}: got {len(vecs)} direction(s) for {len(wrt_list)} symbol(s)"
        )
    out = {}
    for w, v in zip(wrt_list, vecs, strict=True):
        v = as_expr(v)
        if v.shape != w.shape:
            raise ShapeError(
                f"{owner}: the direction for {w.name!r} has shape {v.shape} but the "
                f"symbol has shape {w.shape}"
            )
        out[w] = v
    return single, wrt_list, out


def jvp(f, wrt, v):
    """Jacobian-vector product (forward mode): the derivative of ``f`` along ``v``.

    Parameters
    ----------
    f : Expr
        Any expression (scalar or tensor).
    wrt : Symbol or sequence of Symbol
    v : Expr, number or array, or a sequence of them
        A direction for each symbol, with that symbol's shape.

    Returns
    -------
    Expr
        ``sum_j J[..., j] v[j]``, with ``f``'s shape; the Jacobian is never formed.

    Examples
    --------
    >>> from symdiff import Symbol, jvp, sin
    >>> x = Symbol("x", shape=(2,))
    >>> u = Symbol("u", shape=(2,))
    >>> print(jvp(sin(x), x, u))
    u*cos(x)
    """
    _, _, tangents = _directions("jvp", wrt, v)
    (out,) = _forward([as_expr(f)], tangents)
    return out


def vjp(f, wrt, u):
    """Vector-Jacobian product (reverse mode): ``u`` pulled back through ``f``.

    Parameters
    ----------
    f : Expr
        Any expression.
    wrt : Symbol or sequence of Symbol
    u : Expr, number or array
        A cotangent with ``f``'s shape.

    Returns
    -------
    Expr or tuple of Expr
        ``sum_i u[i] J[i, ...]``, with the shape of each symbol (one Expr for one
        symbol, a tuple for a sequence).

    Examples
    --------
    >>> from symdiff import Symbol, vjp
    >>> A, x = Symbol("A", shape=(2, 3)), Symbol("x", shape=(3,))
    >>> u = Symbol("u", shape=(2,))
    >>> print(vjp(A @ x, x, u))
    u @ A
    """
    f = as_expr(f)
    single, wrt_list = _check_wrt(wrt)
    u = as_expr(u)
    if u.shape != f.shape:
        raise ShapeError(
            f"vjp: the cotangent has shape {u.shape} but the expression has shape "
            f"{f.shape}"
        )
    out = _reverse(f, wrt_list, u)
    return out[0] if single else ExprTuple(out)


def hvp(f, wrt, v):
    """Hessian-vector product of a scalar ``f`` without forming the Hessian.

    Forward mode over the reverse-mode gradient: the result costs a small multiple of
    ``f``'s size, however large the Hessian would be.

    Parameters
    ----------
    f : Expr
        A scalar expression.
    wrt : Symbol or sequence of Symbol
    v : Expr, number or array, or a sequence of them
        A direction for each symbol, with that symbol's shape.

    Returns
    -------
    Expr or tuple of Expr
        ``H v``, with the shape of each symbol.

    Examples
    --------
    >>> from symdiff import Symbol, hvp, simplify
    >>> A, x = Symbol("A", shape=(3, 3)), Symbol("x", shape=(3,))
    >>> v = Symbol("v", shape=(3,))
    >>> print(simplify(hvp(x @ A @ x, x, v)))
    (A + A.T) @ v
    """
    single, wrt_list, tangents = _directions("hvp", wrt, v)
    gs = grad(f, wrt_list)
    out = _forward(list(gs), tangents)
    return out[0] if single else ExprTuple(out)
