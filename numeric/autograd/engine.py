"""The backward pass: order the recorded graph, run each op's VJP, accumulate.

The engine knows no calculus: every rule comes from :mod:`numeric.autograd.ops`. It
is iterative (a 100,000-op chain is fine), sums every gradient back to its input's
shape in one place (:func:`unbroadcast`), and follows PyTorch's rules for
accumulation, ``retain_graph`` and freed graphs.
"""

from __future__ import annotations

import operator
import types

import numpy as np

from numeric.autograd import functions as fn
from numeric.autograd.conversions import scalarize
from numeric.autograd.creation import zeros_like
from numeric.autograd.errors import GradError, GradValueError
from numeric.autograd.inplace import restore_input
from numeric.autograd.mode import set_grad_enabled
from numeric.autograd.ops import ARRAY_FNS, OPS
from numeric.autograd.tensor import HOOKS_USED, Tensor, index, make_leaf, record
from numeric.autograd.versions import latest_stamp, modified_after

__all__ = [
    "RETAIN_GRAD",
    "TENSOR_FNS",
    "backward",
    "run_backward",
    "run_backward_many",
    "run_hooks",
    "seed_gradient",
    "toposort",
    "unbroadcast",
    "zero_grad",
]

#: The VJP rules' elementary functions under ``create_graph``: recorded Tensor ops.
#: The rules pass axes and shapes taken from the forward pass, so matmul and
#: scatter_add skip the argument checks of the public functions.
TENSOR_FNS = types.SimpleNamespace(
    sin=fn.sin,
    cos=fn.cos,
    sinh=fn.sinh,
    cosh=fn.cosh,
    exp=fn.exp,
    log=fn.log,
    sqrt=fn.sqrt,
    sign=fn.sign,
    sigmoid=fn.sigmoid,
    zeros_like=zeros_like,
    sum=fn.sum,
    reshape=fn.reshape,
    transpose=fn.transpose,
    broadcast_to=fn.broadcast_to,
    matmul=lambda a, b: record(OPS["matmul"], (a, b)),
    where=fn.where,
    getitem=index,
    scatter_add=lambda g, idx, shape: record(OPS["scatter_add"], (g,), (idx, shape)),
    cumsum=lambda x, axis: record(OPS["cumsum"], (x,), (axis,)),
    inv=lambda a: record(OPS["inv"], (a,)),
    solve=lambda a, b: record(OPS["solve"], (a, b)),
)


def backward(root, gradient=None, retain_graph=None, create_graph=False):
    """Accumulate the gradient of this tensor into the ``.grad`` of its leaves.

    This is the method ``Tensor.backward`` (``root`` is the tensor).

    Parameters
    ----------
    root : Tensor
        The output to differentiate.
    gradient : Tensor or array_like, optional
        ``dL/dself`` to propagate; required unless this tensor has one element
        (then it defaults to 1), as in PyTorch. Must have this tensor's shape.
    retain_graph : bool, optional
        Keep the saved values so backward can run through this graph again.
        Defaults to ``create_graph``.
    create_graph : bool, default False
        Record the backward pass itself, so the accumulated gradients are
        differentiable (for second derivatives).

    Raises
    ------
    GradError
        If the tensor has no gradient history, or the graph was freed by an
        earlier backward without ``retain_graph=True``.
    ValueError
        If ``gradient`` is missing for a non-scalar tensor or has the wrong
        shape (the error is also a GradError).

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> z = (x ** 2) ** 2
    >>> z.backward(retain_graph=True)
    >>> z.backward()
    >>> x.grad
    tensor(64.)
    """
    if retain_graph is None:
        retain_graph = create_graph
    seed = seed_gradient(root, gradient, create_graph)
    run_backward(root, seed, bool(retain_graph), bool(create_graph))


def seed_gradient(root, gradient, create_graph):
    """The starting gradient ``dL/droot`` for backward, validated.

    Returns
    -------
    numpy value, or a Tensor under ``create_graph``

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> seed_gradient(tensor(3.0), None, False)
    np.float64(1.0)
    """
    if type(root) is not Tensor:
        raise TypeError(f"backward: expected a Tensor, got {type(root).__name__}")
    root_data = root.data
    if gradient is None:
        if root_data.size != 1:
            raise GradValueError(
                f"backward: gradient can be implicitly created only for scalar "
                f"outputs; this tensor has shape {root_data.shape}, so pass "
                f"gradient= (e.g. ones of that shape) or call .sum() first"
            )
        seed = np.ones_like(root_data)
    elif type(gradient) is Tensor and create_graph:
        if gradient.data.shape != root_data.shape:
            raise GradValueError(
                f"backward: gradient has shape {gradient.data.shape} but the "
                f"tensor has shape {root_data.shape}"
            )
        return gradient
    else:
        gradient_data = gradient.data if type(gradient) is Tensor else gradient
        try:
            seed = np.array(gradient_data, dtype=root_data.dtype, copy=True)
        except (TypeError, ValueError):
            raise TypeError(
                f"backward: gradient must be numeric array_like, got "
                f"{type(gradient).__name__}"
            ) from None
        if seed.shape != root_data.shape:
            raise GradValueError(
                f"backward: gradient has shape {seed.shape} but the tensor has "
                f"shape {root_data.shape}"
            )
    seed = scalarize(seed)
    return make_leaf(seed) if create_graph else seed


_creation_key = operator.attrgetter("_creation_index")


def toposort(*roots):
    """Recorded tensors reachable from the roots, each before all of its inputs.

    A tensor is always created after its inputs, so decreasing creation number is
    a valid order for the backward pass: one iterative sweep collects the
    reachable set (no recursion, so any depth is fine) and a sort orders it. The
    sweep also clears each tensor's pending gradient for the pass.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> x = tensor(1.0, requires_grad=True)
    >>> [t.grad_fn.name for t in toposort((x * 2).exp())]
    ['exp', 'mul']
    """
    nodes = []
    seen = set()
    for root in roots:
        if root._op is not None and id(root) not in seen:
            root._pending_grad = None
            seen.add(id(root))
            nodes.append(root)
    stack = list(nodes)
    while stack:
        node = stack.pop()
        index = node._creation_index
        for p in node._inputs:
            if p is None:
                continue
            if p._op is None:
                if p._requires_grad:
                    continue  # an ordinary leaf
                # A recorded input that no longer requires grad was detach_()ed
                # after node used it: node keeps the state it used.
                p = restore_input(node, p)
                if p._op is None:
                    continue
            elif p._creation_index > index:  # changed in place after node used it
                p = restore_input(node, p)
            k = id(p)
            if k not in seen:
                seen.add(k)
                p._pending_grad = None
                nodes.append(p)
                stack.append(p)
    nodes.sort(key=_creation_key, reverse=True)
    return nodes


def unbroadcast(F, g, shape):
    """Sum a broadcast gradient back to ``shape``: the one place it happens.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.autograd.ops import ARRAY_FNS
    >>> unbroadcast(ARRAY_FNS, np.ones((2, 3)), (1, 3))
    array([[2., 2., 2.]])
    """
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if lead < 0:
        raise AssertionError(
            f"internal error: gradient of shape {gshape} for an input of shape {shape}"
        )
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and gshape[i + lead] != 1
    )
    if axes:
        g = F.sum(g, axis=axes)
    return F.reshape(g, shape)


def _freed_error(op):
    return GradError(
        f"Trying to backward through the graph a second time: the values saved by "
        f"'{op.name}' were freed by an earlier backward(). Pass retain_graph=True "
        f"to the first backward() if you need to run backward through this graph "
        f"again."
    )


def run_backward(root, seed, retain_graph, create_graph, inputs=None):
    """Propagate ``seed`` from ``root`` back through the recorded graph.

    Without ``inputs`` the gradients of leaves are accumulated into their ``.grad``
    (``Tensor.backward``); with ``inputs`` nothing is accumulated and the gradients of
    exactly those tensors are returned (None where there is no path).

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> x = tensor(3.0, requires_grad=True)
    >>> run_backward(x * x, 1.0, False, False, [x])
    [np.float64(6.0)]
    """
    return run_backward_many([root], [seed], retain_graph, create_graph, inputs)


def run_backward_many(roots, seeds, retain_graph, create_graph, inputs=None):
    """:func:`run_backward` from several roots at once, in one pass.

    The roots' gradients meet where their graphs share nodes, which is therefore
    run (and freed) once, as PyTorch's ``autograd.backward([y1, y2], [g1, g2])``.

    Examples
    --------
    >>> import numpy as np
    >>> from numeric.autograd import tensor
    >>> x = tensor(3.0, requires_grad=True)
    >>> one = np.float64(1.0)
    >>> run_backward_many([x * x, x * 2], [one, one], False, False, [x])
    [np.float64(8.0)]
    """
    for i, root in enumerate(roots):
        if not root.requires_grad:
            raise GradError(
                f"backward: tensor {i} does not require grad and has no grad_fn: "
                f"no input of the computation had requires_grad=True (or it ran "
                f"in no_grad)"
            )
    captured = None if inputs is None else {id(x): None for x in inputs}
    delivery = _Delivery(captured, create_graph)
    order = toposort(*roots)
    with set_grad_enabled(create_graph):
        for root, seed in zip(roots, seeds, strict=True):
            if root._op is None:
                if HOOKS_USED[0] and getattr(root, "_hooks", None):
                    seed = run_hooks(root, seed, create_graph)
                delivery.deliver(root, seed)
            else:
                pending = root._pending_grad
                root._pending_grad = seed if pending is None else pending + seed
        try:
            _propagate(order, delivery, retain_graph)
        except BaseException:
            for t in order:  # drop the partial gradients of an interrupted pass
                t._pending_grad = None
            raise
    if inputs is None:
        return None
    return [captured[id(x)] for x in inputs]


# long: the per-op loop of every backward pass, kept whole (see the docstring).
def _propagate(order, delivery, retain_graph):
    """Run the VJPs of ``order`` (a topological order), handing gradients on.

    The per-op loop of every backward pass: it stays one body, with the common leaf
    accumulation inlined, because a helper call per recorded op would cost about as
    much as the op's own bookkeeping.
    """
    create_graph = delivery.create_graph
    F = TENSOR_FNS if create_graph else ARRAY_FNS
    free = not retain_graph
    captured = delivery.captured
    capturing = captured is not None
    hooks_used = HOOKS_USED[0]
    # Without hooks anywhere, the common case (plain backward into .grad) adds
    # into an existing leaf gradient inline; hooked leaves are gathered in
    # `hooked_leaves` so their hooks see the whole gradient once.
    inline_leaves = not capturing and not create_graph and not hooks_used
    hooked_leaves = {}
    latest_write = latest_stamp()
    for t in order:
        g = t._pending_grad
        t._pending_grad = None
        if hooks_used and getattr(t, "_hooks", None):
            g = run_hooks(t, g, create_graph)
        if capturing and id(t) in captured:
            captured[id(t)] = g
        op = t._op
        args = t._saved_args
        if args is None:
            raise _freed_error(op)
        if op.saves and t._creation_index < latest_write:
            _check_saved_values(t, args)
        recorded_inputs = t._inputs
        if create_graph:
            y = t
            # The rules must see the input Tensors, not their data, to be recorded.
            args = tuple(
                x if x is not None else a
                for x, a in zip(recorded_inputs, args[: op.nin], strict=True)
            ) + args[op.nin :]
        else:
            y = t.data
        for x, vjp in zip(recorded_inputs, op.vjps, strict=True):
            if x is None:
                continue
            gx = vjp(F, g, y, *args)
            xshape = x.data.shape
            if gx.shape != xshape:
                gx = unbroadcast(F, gx, xshape)
            if x._op is None:
                current = x._grad
                if inline_leaves and current is not None:
                    new = current.data + gx
                    if new.dtype != x.data.dtype:
                        new = new.astype(x.data.dtype)
                    current.data = new
                elif hooks_used and getattr(x, "_hooks", None):
                    prev = hooked_leaves.get(id(x))
                    hooked_leaves[id(x)] = (x, gx if prev is None else prev[1] + gx)
                else:
                    delivery.deliver(x, gx)
            else:
                pending = x._pending_grad
                x._pending_grad = gx if pending is None else pending + gx
        if free and op.saves:
            t._saved_args = None
    for x, g in hooked_leaves.values():
        delivery.deliver(x, run_hooks(x, g, create_graph))


def RETAIN_GRAD(g):
    """The hook retain_grad() adds (the engine stores ``g`` in ``.grad`` for it)."""
    return None


def run_hooks(t, g, create_graph):
    """Pass ``g`` through the hooks of ``t`` in order; store it where it is retained.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> x = tensor(1.0, requires_grad=True)
    >>> _ = x.register_hook(lambda g: g + 1)
    >>> run_hooks(x, 2.0, False)
    np.float64(3.0)
    """
    for hook in list(t._hooks):
        if hook is RETAIN_GRAD:
            value = g if create_graph else make_leaf(scalarize(np.array(g)))
            t._grad = value if t._grad is None else t._grad + value
            continue
        given = g if type(g) is Tensor else make_leaf(scalarize(np.asarray(g)))
        out = hook(given)
        if out is None:
            continue
        if type(out) is not Tensor:
            raise TypeError(
                f"hook: a hook must return a Tensor or None, got {type(out).__name__}"
            )
        if out.data.shape != np.shape(given.data):
            raise GradError(
                f"hook: the hook returned a gradient of shape {out.data.shape}, "
                f"expected {np.shape(given.data)}"
            )
        g = out if create_graph else out.data
    return g


def _check_saved_values(t, args):
    """Refuse to run ``t``'s VJP on values written in place after it was recorded."""
    index = t._creation_index
    for value in (t.data, *args):
        if modified_after(value, index):
            raise GradError(
                f"one of the variables needed for gradient computation has been "
                f"modified by an inplace operation: a value saved by "
                f"'{t._op.name}' was changed in place after it was recorded. "
                f"Compute on a copy, or record the op after the in-place change."
            )


class _Delivery:
    """Where one backward pass puts leaf gradients: ``captured`` or ``.grad``."""

    __slots__ = ("captured", "create_graph", "assigned")

    def __init__(self, captured, create_graph):
        self.captured = captured
        self.create_graph = create_graph
        # ids of the gradient values handed out in this pass, so no two leaves
        # share one (zero_ on one would clear both).
        self.assigned = set()

    def deliver(self, leaf, g):
        """Hand ``leaf`` its gradient ``g``."""
        captured = self.captured
        if captured is not None:
            k = id(leaf)
            if k in captured:
                prev = captured[k]
                captured[k] = g if prev is None else prev + g
            return
        current = leaf._grad
        if self.create_graph:
            if current is None:
                # Neither may a leaf's grad alias a caller's gradient Tensor.
                leaf._grad = g + 0.0 if id(g) in self.assigned else g
                self.assigned.add(id(leaf._grad))
            else:
                leaf._grad = current + g
            return
        dtype = leaf.data.dtype
        if current is None:
            if type(g) is np.ndarray and (
                g.base is not None or not g.flags.writeable or id(g) in self.assigned
            ):
                g = g.copy()
            if g.dtype != dtype:
                g = g.astype(dtype)
            self.assigned.add(id(g))
            leaf._grad = make_leaf(scalarize(g))
        else:
            new = current.data + g
            if new.dtype != dtype:
                new = new.astype(dtype)
            current.data = new


def zero_grad(params, set_to_none=True):
    """Reset the gradients of ``params`` before the next backward pass.

    Parameters
    ----------
    params : iterable of Tensor
    set_to_none : bool, default True
        Drop ``.grad`` (PyTorch's default) instead of filling it with zeros.

    Examples
    --------
    >>> from numeric.autograd import tensor, zero_grad
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward()
    >>> zero_grad([w])
    >>> w.grad is None
    True
    """
    for i, p in enumerate(params):
        if type(p) is not Tensor:
            raise TypeError(
                f"zero_grad: params[{i}] must be a Tensor, got {type(p).__name__}"
            )
        if set_to_none:
            p.grad = None
        elif p.grad is not None:
            p.grad = make_leaf(scalarize(np.zeros_like(p.grad.data)))
