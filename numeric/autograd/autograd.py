"""``torch.autograd``'s functions, under the name ``numeric.autograd.autograd``.

The package's own :func:`numeric.autograd.grad` is the functional transform
``grad(f)``; PyTorch's ``torch.autograd.grad(outputs, inputs, ...)`` is a different
function, so it lives here with ``backward`` (several roots at once), the grad-mode
switches and ``functional`` (``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``hvp``), as
``torch.autograd`` has them::

    from numeric.autograd import autograd
    (dx,) = autograd.grad(y, x, create_graph=True)
"""

from __future__ import annotations

import numpy as np

from numeric.autograd import jacobians as functional
from numeric.autograd.conversions import scalarize
from numeric.autograd.engine import run_backward_many, seed_gradient
from numeric.autograd.errors import GradError
from numeric.autograd.mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from numeric.autograd.tensor import Tensor, make_leaf

__all__ = [
    "backward",
    "enable_grad",
    "functional",
    "grad",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]


def _tensors(value, what, name):
    items = [value] if type(value) is Tensor else list(value)
    for i, t in enumerate(items):
        if type(t) is not Tensor:
            raise TypeError(
                f"{what}: {name}[{i}] must be a Tensor, got {type(t).__name__}"
            )
    return items


def _seeds(outputs, grad_outputs, create_graph, what):
    if grad_outputs is None:
        given = [None] * len(outputs)
    else:
        given = [grad_outputs] if type(grad_outputs) is Tensor else list(grad_outputs)
    if len(given) != len(outputs):
        raise GradError(
            f"{what}: {len(given)} gradients given for {len(outputs)} outputs"
        )
    return [
        seed_gradient(out, g, create_graph)
        for out, g in zip(outputs, given, strict=True)
    ]


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    allow_unused=False,
    materialize_grads=False,
):
    """The gradients of ``outputs`` for ``inputs``, returned, not accumulated.

    As ``torch.autograd.grad``: the sum over outputs of ``grad_outputs[i] .
    d outputs[i] / d inputs``, one entry per input.

    Parameters
    ----------
    outputs : Tensor or sequence of Tensor
    inputs : Tensor or sequence of Tensor
        Tensors that require grad (leaves or not).
    grad_outputs : Tensor or sequence, optional
        One per output (None entries: ones, allowed for one-element outputs).
    retain_graph : bool, optional
        Default ``create_graph``.
    create_graph : bool, default False
        Record the computation so the gradients can be differentiated again.
    allow_unused : bool, default False
        Return None for an input the outputs do not depend on, instead of raising.
    materialize_grads : bool, default False
        Return zeros instead of None for unused inputs.

    Returns
    -------
    tuple of (Tensor or None)

    Examples
    --------
    >>> from numeric.autograd import autograd, tensor
    >>> x = tensor(3.0, requires_grad=True)
    >>> (dx,) = autograd.grad(x**3, x, create_graph=True)
    >>> dx, autograd.grad(dx, x)
    (tensor(27., grad_fn=<mul>), (tensor(18.),))
    """
    outs = _tensors(outputs, "grad", "outputs")
    ins = _tensors(inputs, "grad", "inputs")
    for i, x in enumerate(ins):
        if not x.requires_grad:
            raise GradError(f"grad: inputs[{i}] does not require grad")
    if retain_graph is None:
        retain_graph = create_graph
    seeds = _seeds(outs, grad_outputs, create_graph, "grad")
    got = run_backward_many(outs, seeds, bool(retain_graph), bool(create_graph), ins)
    result = []
    for i, (x, g) in enumerate(zip(ins, got, strict=True)):
        if g is None:
            if materialize_grads:
                g = np.zeros_like(x.data)
            elif allow_unused:
                result.append(None)
                continue
            else:
                raise GradError(
                    f"grad: inputs[{i}] appears not to have been used in the graph; "
                    f"pass allow_unused=True if this is intended"
                )
        if type(g) is not Tensor:
            g = make_leaf(scalarize(np.array(g, dtype=x.data.dtype)))
        result.append(g)
    return tuple(result)


def backward(
    tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None
):
    """Accumulate the gradients of several tensors into ``.grad`` in one pass.

    As ``torch.autograd.backward``. With ``inputs``, only those tensors (leaves or
    not) get ``.grad``.

    Examples
    --------
    >>> from numeric.autograd import autograd, tensor
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> autograd.backward([(x * x).sum(), x], [None, tensor([10.0, 0.0])])
    >>> x.grad
    tensor([12.,  4.])
    """
    roots = _tensors(tensors, "backward", "tensors")
    if retain_graph is None:
        retain_graph = create_graph
    seeds = _seeds(roots, grad_tensors, create_graph, "backward")
    if inputs is None:
        run_backward_many(roots, seeds, bool(retain_graph), bool(create_graph))
        return
    ins = _tensors(inputs, "backward", "inputs")
    got = run_backward_many(roots, seeds, bool(retain_graph), bool(create_graph), ins)
    for x, g in zip(ins, got, strict=True):
        if g is None:
            continue
        if type(g) is not Tensor:
            g = make_leaf(scalarize(np.array(g, dtype=x.data.dtype)))
        x._grad = g if x._grad is None else x._grad + g
