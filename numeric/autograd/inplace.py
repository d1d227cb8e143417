"""In-place arithmetic on tensors (``a += b``, ``a.mul_(2)``), recorded like PyTorch's.

An in-place op on a tensor that takes part in a graph is recorded: the tensor becomes
the result node (``a += b`` with ``b`` requiring grad makes ``a`` require grad), while
its state before the change moves to a *shadow* tensor that the new node takes as its
input. The values are still written into the tensor's own array, so views and
detached tensors sharing it see them, and the write stamps that storage
(:mod:`numeric.autograd.versions`): a recorded op that saved the old values then
refuses to run backward instead of using the new ones silently. Ops recorded earlier
that took the tensor itself as input are pointed at the right shadow by the engine
(:func:`numeric.autograd.engine.toposort`), so they keep the state they used.

A leaf that requires grad cannot be changed in place while gradients are recorded
(wrap parameter updates in ``no_grad()``), as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from numeric.autograd import functions as fn
from numeric.autograd.conversions import as_constant, scalarize
from numeric.autograd.errors import GradError
from numeric.autograd.mode import GRAD_MODE
from numeric.autograd.ops import OPS, is_basic_index
from numeric.autograd.tensor import Tensor, next_creation_index, record
from numeric.autograd.versions import mark_modified

__all__ = ["INPLACE_METHODS", "detach_", "inplace", "restore_input", "setitem"]

_new = object.__new__
_SLOTS = ("data", "_requires_grad", "_op", "_inputs", "_saved_args")


def inplace(x, other, op_name, what):
    """Apply the registry op ``op_name`` to ``x, other``, storing the result in ``x``.

    Parameters
    ----------
    x : Tensor
    other : Tensor, number or array_like
    op_name : {"add", "sub", "mul", "div"}
    what : str
        The operator's spelling, for error messages.

    Returns
    -------
    Tensor
        ``x`` itself.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> a = tensor([0.0, 0.0])
    >>> b = tensor([1.0, 1.0], requires_grad=True)
    >>> inplace(a, b, "add", "+=")
    tensor([1., 1.], grad_fn=<add>)
    """
    if type(x) is not Tensor:
        raise TypeError(f"{what}: expected a Tensor, got {type(x).__name__}")
    other_rg = type(other) is Tensor and other._requires_grad
    if GRAD_MODE.enabled and (x._requires_grad or other_rg):
        if x._requires_grad and x._op is None:
            raise GradError(
                f"{what}: a leaf tensor that requires grad cannot be modified in "
                f"place while gradients are recorded; wrap the update in no_grad()"
            )
        return _recorded(x, other, OPS[op_name], what)
    other_data = (
        other.data if type(other) is Tensor else as_constant(other, "other", what)
    )
    data = x.data
    result = np.asarray(OPS[op_name].forward(data, other_data))
    _store(x, result, what)
    return x


def _store(x, result, what):
    """Write ``result`` into ``x``'s array (stamping it) or replace a 0-d value."""
    data = x.data
    if not np.can_cast(result.dtype, data.dtype, "same_kind"):
        raise TypeError(
            f"{what}: the result has dtype {result.dtype}, which cannot be stored "
            f"in place in a tensor of dtype {data.dtype}"
        )
    if result.shape != data.shape:
        raise ValueError(
            f"{what}: the result has shape {result.shape} but the tensor modified "
            f"in place has shape {data.shape}"
        )
    if type(data) is np.ndarray:
        mark_modified(data, next_creation_index())
        np.copyto(data, result, casting="same_kind")
    else:  # a 0-d tensor holds an immutable numpy scalar: nothing shares it
        x.data = scalarize(result.astype(data.dtype, copy=False))


def _recorded(x, other, op, what):
    return _morph(x, lambda shadow: record(op, (shadow, other)), what)


def _morph(x, compute, what):
    """Make ``x`` the node ``compute(shadow)``, ``shadow`` holding x's old state."""
    shadow = _new(Tensor)
    for name in _SLOTS:
        setattr(shadow, name, getattr(x, name))
    shadow._grad = None
    # The shadow keeps the old values for the new node's VJP: x's array is
    # about to be overwritten.
    if type(x.data) is np.ndarray:
        shadow.data = x.data.copy()
    if x._op is not None:
        shadow._creation_index = x._creation_index
    result = compute(shadow)
    stamp = next_creation_index()
    _store(x, np.asarray(result.data), what)
    x._requires_grad = True
    x._op = result._op
    x._inputs = result._inputs
    x._saved_args = result._saved_args
    # Created after the stamp, so the check in backward does not refuse x's
    # own node, whose saved output is the array just written.
    x._creation_index = next_creation_index()
    shadows = getattr(x, "_shadows", None)
    if shadows is None:
        shadows = x._shadows = []
    shadows.append((stamp, shadow))
    return x


def setitem(x, idx, value):
    """``x[idx] = value``, recorded when ``x`` or ``value`` takes part in a graph.

    The new ``x`` is ``where(mask, value placed at idx, x)``: the assigned entries
    take their gradient from ``value``, the others from the old ``x``. With a
    ``value`` that requires grad, an index array may not repeat a position.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = x * 1.0
    >>> y[1] = 10.0
    >>> y.sum().backward()
    >>> x.grad
    tensor([1., 0., 1.])
    """
    if type(idx) is tuple:
        idx = tuple(i.data if type(i) is Tensor else i for i in idx)
    elif type(idx) is Tensor:
        idx = idx.data
    elif isinstance(idx, list):
        idx = np.asarray(idx)
    value_rg = type(value) is Tensor and value._requires_grad
    if not (GRAD_MODE.enabled and (x._requires_grad or value_rg)):
        value_data = value.data if type(value) is Tensor else value
        data = x.data
        if type(data) is np.ndarray and data.ndim > 0:
            mark_modified(data, next_creation_index())
            data[idx] = value_data
        else:
            arr = np.array(data)
            arr[idx] = value_data
            x.data = scalarize(arr)
        return
    if x._requires_grad and x._op is None:
        raise GradError(
            "item assignment: a leaf tensor that requires grad cannot be modified "
            "in place while gradients are recorded; wrap it in no_grad()"
        )
    shape = np.shape(x.data)
    mask = np.zeros(shape, dtype=bool)
    mask[idx] = True
    target_shape = np.shape(np.empty(shape)[idx])
    if value_rg:
        if not is_basic_index(idx):
            hits = np.zeros(shape, dtype=np.intp)
            np.add.at(hits, idx, 1)
            if hits.max(initial=0) > 1:
                raise ValueError(
                    "item assignment: the index repeats a position; with a value "
                    "that requires grad each position may be assigned once"
                )
        v = (
            fn.broadcast_to(value, target_shape)
            if value.shape != target_shape
            else value
        )
        placed = record(OPS["scatter_add"], (v,), (idx, shape))
    else:
        full = np.zeros(shape, dtype=np.result_type(x.data))
        full[idx] = value.data if type(value) is Tensor else value
        placed = full
    _morph(x, lambda shadow: fn.where(mask, placed, shadow), "item assignment")


def detach_(x):
    """Make ``x`` a leaf that does not require grad, in place (PyTorch's ``detach_``).

    Ops recorded earlier that used ``x`` keep differentiating through its old
    history.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> y = x * x
    >>> z = y * 3
    >>> y.detach_()
    tensor(4.)
    >>> z.backward()
    >>> x.grad
    tensor(12.)
    """
    if x._op is not None:
        shadow = _new(Tensor)
        for name in _SLOTS:
            setattr(shadow, name, getattr(x, name))
        shadow._grad = None
        shadow._creation_index = x._creation_index
        stamp = next_creation_index()
        shadows = getattr(x, "_shadows", None)
        if shadows is None:
            shadows = x._shadows = []
        shadows.append((stamp, shadow))
        x._op = x._inputs = x._saved_args = None
    x._requires_grad = False
    return x


def restore_input(node, x):
    """The state of ``x`` that ``node`` used, ``x`` having changed in place since.

    Called by the engine when an input was created after its consumer, which only an
    in-place op can do; the consumer's input is re-pointed at the shadow for good.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> z = x * 1.0
    >>> y = z * 3.0
    >>> _ = inplace(z, 5.0, "mul", "*=")
    >>> restore_input(y, z).data
    np.float64(2.0)
    """
    index = node._creation_index
    for stamp, shadow in getattr(x, "_shadows", None) or ():
        if stamp > index:
            node._inputs = tuple(shadow if p is x else p for p in node._inputs)
            return shadow
    return x  # no recorded change (a leaf whose requires_grad was switched off)


def _method(op_name, what):
    def method(self, other):
        return inplace(self, other, op_name, what)

    method.__name__ = method.__qualname__ = what
    method.__doc__ = (
        f"In-place ``{op_name}``: store ``self {op_name} other`` in this tensor and "
        f"return it (recorded when gradients flow; see :mod:`{__name__}`)."
    )
    return method


#: The in-place methods bound to Tensor by :mod:`numeric.autograd.tensor_methods`.
INPLACE_METHODS = {
    "__iadd__": _method("add", "+="),
    "__isub__": _method("sub", "-="),
    "__imul__": _method("mul", "*="),
    "__itruediv__": _method("div", "/="),
    "add_": _method("add", "add_"),
    "sub_": _method("sub", "sub_"),
    "mul_": _method("mul", "mul_"),
    "div_": _method("div", "div_"),
    "__setitem__": setitem,
    "detach_": detach_,
}
