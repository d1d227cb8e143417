"""``torch.autograd.functional``: ``vjp``, ``jvp``, ``jacobian``, ``hessian``, ``hvp``.

Reached as ``numeric.autograd.autograd.functional``. Each takes a function of tensors
and the point ``inputs`` (a Tensor or a tuple of them) and differentiates with the one
backward engine: Jacobians row by row (one vector-Jacobian product per output
element), forward products ``J v`` by the double-backward trick (the VJP is linear in
its cotangent ``u``, so differentiating ``(J^T u) . v`` by ``u`` gives ``J v``).
Unused inputs get zeros (``strict=True`` raises instead), as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from numeric.autograd import functions as fn
from numeric.autograd.conversions import scalarize
from numeric.autograd.engine import run_backward_many, seed_gradient
from numeric.autograd.errors import GradError
from numeric.autograd.mode import enable_grad
from numeric.autograd.tensor import Tensor, as_tensor, make_leaf

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _prepare(inputs, create_graph, what):
    """The inputs as a tuple of fresh tensors requiring grad (connected if needed)."""
    is_tuple = isinstance(inputs, tuple)
    items = inputs if is_tuple else (inputs,)
    out = []
    for i, x in enumerate(items):
        x = as_tensor(x, f"inputs[{i}]", what)
        if x.data.dtype.kind != "f":
            raise TypeError(f"{what}: inputs[{i}] must be floating point")
        if create_graph and x.requires_grad:
            out.append(x + 0.0)  # stays connected, so the result is differentiable
        else:
            out.append(make_leaf(x.data, True))
    return is_tuple, tuple(out)


def _call(func, ins, what):
    with enable_grad():
        out = func(*ins)
    is_tuple = isinstance(out, tuple)
    outs = out if is_tuple else (out,)
    for i, o in enumerate(outs):
        if type(o) is not Tensor:
            raise TypeError(
                f"{what}: func must return a Tensor or a tuple of Tensors, output "
                f"{i} is a {type(o).__name__}"
            )
    return is_tuple, outs


def _vjps(outs, seeds, ins, create_graph, strict, what):
    """``sum_k seeds[k] . d outs[k] / d ins[j]`` for each j (zeros where unused)."""
    live = [(o, s) for o, s in zip(outs, seeds, strict=True) if o.requires_grad]
    if live:
        roots = [o for o, _ in live]
        seeds = [seed_gradient(o, s, create_graph) for o, s in live]
        got = run_backward_many(roots, seeds, True, create_graph, list(ins))
    else:
        got = [None] * len(ins)
    result = []
    for j, (x, g) in enumerate(zip(ins, got, strict=True)):
        if g is None:
            if strict:
                raise GradError(f"{what}: the output does not depend on input {j}")
            g = np.zeros_like(x.data)
        if type(g) is not Tensor:
            g = make_leaf(scalarize(np.array(g, dtype=x.data.dtype)))
        result.append(g)
    return result


def _cotangents(v, outs, what, name="v"):
    if v is None:
        for o in outs:
            if o.data.size != 1:
                raise ValueError(
                    f"{what}: {name} is needed because the output has shape "
                    f"{o.data.shape}, not a single element"
                )
        return [np.ones_like(o.data) for o in outs]
    vs = v if isinstance(v, tuple) else (v,)
    if len(vs) != len(outs):
        raise ValueError(f"{what}: {len(vs)} vectors in {name} for {len(outs)} values")
    out = []
    for i, (vi, o) in enumerate(zip(vs, outs, strict=True)):
        vi = as_tensor(vi, f"{name}[{i}]", what)
        if vi.data.shape != o.data.shape:
            raise ValueError(
                f"{what}: {name}[{i}] has shape {vi.data.shape}, expected "
                f"{o.data.shape}"
            )
        out.append(vi)
    return out


def _result(values, is_tuple, create_graph):
    values = tuple(v if create_graph else v.detach() for v in values)
    return values if is_tuple else values[0]


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T J)``: the vector-Jacobian product.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.autograd import functional
    >>> functional.vjp(lambda x: x * x, tensor([1.0, 2.0]), tensor([1.0, 10.0]))
    (tensor([1., 4.]), tensor([ 2., 40.]))
    """
    in_tuple, ins = _prepare(inputs, create_graph, "vjp")
    out_tuple, outs = _call(func, ins, "vjp")
    seeds = [np.asarray(c.data) for c in _cotangents(v, outs, "vjp")]
    grads = _vjps(outs, seeds, ins, create_graph, strict, "vjp")
    return _result(outs, out_tuple, create_graph), _result(
        grads, in_tuple, create_graph
    )


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), J v)``: the Jacobian-vector product (double backward).

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.autograd import functional
    >>> functional.jvp(lambda x: x * x, tensor([1.0, 2.0]), tensor([1.0, 10.0]))
    (tensor([1., 4.]), tensor([ 2., 40.]))
    """
    in_tuple, ins = _prepare(inputs, create_graph, "jvp")
    out_tuple, outs = _call(func, ins, "jvp")
    vs = _cotangents(v, ins, "jvp")
    # u: dummy cotangents; g(u) = J^T u is linear in u, so d(g(u) . v)/du = J v.
    us = [make_leaf(np.zeros_like(o.data), True) for o in outs]
    with enable_grad():
        gs = _vjps(outs, us, ins, True, strict, "jvp")
        dot = None
        for g, vi in zip(gs, vs, strict=True):
            if g.requires_grad:
                term = fn.sum(g * vi)
                dot = term if dot is None else dot + term
    if dot is None:
        jv = [make_leaf(np.zeros_like(o.data)) for o in outs]
    else:
        jv = _vjps([dot], [np.ones_like(dot.data)], us, create_graph, strict, "jvp")
    return _result(outs, out_tuple, create_graph), _result(jv, out_tuple, create_graph)


def _stack_rows(rows, out_shape, in_shape, create_graph):
    """Rows ``d out[i] / d in`` (flattened i) as one tensor of out + in shape."""
    if not create_graph:
        stacked = np.stack([np.asarray(r.data) for r in rows]) if rows else None
        shape = (*out_shape, *in_shape)
        if stacked is None:
            return make_leaf(np.zeros(shape))
        return make_leaf(scalarize(stacked.reshape(shape)))
    # Recorded stacking: each row placed by a one-hot product (differentiable).
    n = len(rows)
    total = None
    for i, r in enumerate(rows):
        onehot = np.zeros((n,) + (1,) * len(in_shape))
        onehot[i] = 1
        piece = fn.reshape(r, (1, *in_shape)) * onehot
        total = piece if total is None else total + piece
    return fn.reshape(total, (*out_shape, *in_shape))


def jacobian(func, inputs, create_graph=False, strict=False):
    """The Jacobian of ``func`` at ``inputs``: shape ``out.shape + in.shape``.

    With a tuple of inputs, a tuple over inputs; with a tuple of outputs, a tuple
    over outputs of those (``torch.autograd.functional.jacobian``'s nesting).

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.autograd import functional
    >>> functional.jacobian(lambda x: x * x, tensor([1.0, 2.0]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    in_tuple, ins = _prepare(inputs, create_graph, "jacobian")
    out_tuple, outs = _call(func, ins, "jacobian")
    per_output = []
    for o in outs:
        rows = []
        for i in range(o.data.size):
            seed = np.zeros(o.data.size, dtype=o.data.dtype)
            seed[i] = 1
            seed = seed.reshape(o.data.shape)
            rows.append(_vjps([o], [seed], ins, create_graph, strict, "jacobian"))
        blocks = [
            _stack_rows([r[j] for r in rows], o.data.shape, x.data.shape, create_graph)
            for j, x in enumerate(ins)
        ]
        per_output.append(tuple(blocks) if in_tuple else blocks[0])
    return tuple(per_output) if out_tuple else per_output[0]


def _scalar_func(func, what):
    def f(*xs):
        out = func(*xs)
        if type(out) is not Tensor or out.data.size != 1:
            raise ValueError(f"{what}: func must return a single-element Tensor")
        return out

    return f


def hessian(func, inputs, create_graph=False, strict=False):
    """The Hessian of the scalar ``func`` at ``inputs`` (the Jacobian of its gradient).

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.autograd import functional
    >>> functional.hessian(lambda x: (x**3).sum(), tensor([1.0, 2.0]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    f = _scalar_func(func, "hessian")
    in_tuple, _ = _prepare(inputs, False, "hessian")

    def gradient(*xs):
        with enable_grad():
            out = f(*xs)
            gs = _vjps([out], [np.ones_like(out.data)], xs, True, strict, "hessian")
        return tuple(gs) if in_tuple else gs[0]

    return jacobian(gradient, inputs, create_graph, strict)


def hvp(func, inputs, v, create_graph=False, strict=False):
    """``(func(inputs), H v)`` for the scalar ``func`` (H symmetric: also ``v^T H``).

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.autograd import functional
    >>> functional.hvp(lambda x: (x**3).sum(), tensor([1.0, 2.0]), tensor([1.0, 1.0]))
    (tensor(9.), tensor([ 6., 12.]))
    """
    f = _scalar_func(func, "hvp")
    in_tuple, ins = _prepare(inputs, create_graph, "hvp")
    vs = _cotangents(v, ins, "hvp")
    with enable_grad():
        out = f(*ins)
        gs = _vjps([out], [np.ones_like(out.data)], ins, True, strict, "hvp")
        dot = None
        for g, vi in zip(gs, vs, strict=True):
            if g.requires_grad:
                term = fn.sum(g * vi)
                dot = term if dot is None else dot + term
    if dot is None:
        hv = [make_leaf(np.zeros_like(x.data)) for x in ins]
    else:
        hv = _vjps([dot], [np.ones_like(dot.data)], ins, create_graph, strict, "hvp")
    return _result([out], False, create_graph), _result(hv, in_tuple, create_graph)


vhp = hvp
