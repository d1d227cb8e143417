"""``GradientTape``: TensorFlow's way of asking for gradients, on numeric.autograd.

The tape adds no derivative rules and no second recorder. Operations are recorded by
:mod:`numeric.autograd` (one registry, one engine) whenever an input requires grad;
the tape decides *which* inputs do: the variables read inside its block (or only the
ones passed to :meth:`GradientTape.watch`) and the tensors it is asked to watch. Its
:meth:`~GradientTape.gradient` then runs the engine's backward pass, capturing the
gradients of the sources instead of accumulating ``.grad``. A gradient computed while
a tape is recording is itself recorded (``create_graph``), which is how nested tapes
give second derivatives.
"""

from __future__ import annotations

import contextlib

import numpy as np

from numeric.autograd import Tensor
from numeric.autograd import functions as fn
from numeric.autograd.conversions import scalarize
from numeric.autograd.engine import run_backward, seed_gradient
from numeric.autograd.mode import set_grad_enabled
from numeric.autograd.tensor import make_leaf
from numeric.tape.variables import ACTIVE_TAPES, Variable, convert_to_tensor

__all__ = ["GradientTape"]

_UNCONNECTED = ("none", "zero")


def _flatten(structure, what):
    """The leaves of a nest of lists, tuples and dicts, and a function rebuilding it."""
    if isinstance(structure, (list, tuple)):
        parts = [_flatten(s, what) for s in structure]
        leaves = [leaf for p in parts for leaf in p[0]]

        kind = type(structure)

        def rebuild(values, parts=parts, kind=kind):
            out, i = [], 0
            for p_leaves, p_rebuild in parts:
                out.append(p_rebuild(values[i : i + len(p_leaves)]))
                i += len(p_leaves)
            return kind(out)

        return leaves, rebuild
    if isinstance(structure, dict):
        keys = list(structure)
        leaves, rebuild_list = _flatten([structure[k] for k in keys], what)
        return leaves, lambda values: dict(zip(keys, rebuild_list(values), strict=True))
    if isinstance(structure, (Tensor, Variable)):
        return [structure], lambda values: values[0]
    raise TypeError(
        f"{what}: sources must be Tensors or Variables, or lists, tuples or dicts "
        f"of them; got {type(structure).__name__}"
    )


class GradientTape:
    """Record operations in a ``with`` block to differentiate them (tf.GradientTape).

    Parameters
    ----------
    persistent : bool, default False
        Allow more than one :meth:`gradient` (or :meth:`jacobian`) call.
    watch_accessed_variables : bool, default True
        Watch every trainable :class:`Variable` read inside the block; if False,
        only what :meth:`watch` names is watched.

    Examples
    --------
    >>> from numeric.tape import GradientTape, Variable, range, tensordot
    >>> x = Variable(range(4.0))
    >>> with GradientTape() as t:
    ...     y = 2 * tensordot(x, x, axes=1)
    >>> y
    tensor(28., dtype=float32, grad_fn=<mul>)
    >>> t.gradient(y, x)
    tensor([ 0.,  4.,  8., 12.], dtype=float32)
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._watched = {}  # id -> the watched Variable or Tensor
        self._turned_on = []  # tensors whose requires_grad this tape switched on
        self._recording = False
        self._used = False

    # ------------------------------------------------------------ recording
    def __enter__(self):
        if self._recording:
            raise RuntimeError("GradientTape: this tape is already recording")
        self._recording = True
        ACTIVE_TAPES.append(self)
        return self

    def __exit__(self, *exc):
        self._recording = False
        ACTIVE_TAPES.remove(self)
        for t in self._turned_on:
            if not any(id(t) in tape._watched for tape in ACTIVE_TAPES):
                t._requires_grad = False
        self._turned_on = [t for t in self._turned_on if t._requires_grad]
        return False

    def _reads_variable(self, var):
        """Whether reading ``var`` now must be recorded for this tape."""
        if not self._recording:
            return False
        if id(var) in self._watched:
            return True
        if self._watch_accessed and var.trainable and var._tracked._requires_grad:
            self._watched[id(var)] = var
            return True
        return False

    def watch(self, tensor):
        """Watch ``tensor`` (a Tensor, Variable, or a nest of them) from now on.

        Examples
        --------
        >>> from numeric.tape import GradientTape, constant
        >>> x = constant(3.0)
        >>> with GradientTape() as t:
        ...     t.watch(x)
        ...     y = x * x
        >>> t.gradient(y, x)
        tensor(6., dtype=float32)
        """
        for x in _flatten(tensor, "watch")[0]:
            if isinstance(x, Variable):
                if x.dtype.kind != "f":
                    raise TypeError(f"watch: cannot watch a {x.dtype} Variable")
                self._watched[id(x)] = x
                continue
            if x.data.dtype.kind != "f":
                raise TypeError(
                    f"watch: only floating-point tensors can be watched, got "
                    f"dtype {x.data.dtype}"
                )
            self._watched[id(x)] = x
            if not x._requires_grad:
                x._requires_grad = True
                self._turned_on.append(x)

    def watched_variables(self):
        """The variables this tape has watched, in the order first watched.

        Examples
        --------
        >>> from numeric.tape import GradientTape, Variable
        >>> a, b = Variable(1.0, name="a"), Variable(2.0, trainable=False)
        >>> with GradientTape() as t:
        ...     _ = a * b
        >>> [v.name for v in t.watched_variables()]
        ['a']
        """
        return tuple(v for v in self._watched.values() if isinstance(v, Variable))

    @contextlib.contextmanager
    def stop_recording(self):
        """A block in which nothing is recorded (``tape.stop_recording()``).

        Examples
        --------
        >>> from numeric.tape import GradientTape, Variable
        >>> x = Variable(2.0)
        >>> with GradientTape() as t:
        ...     with t.stop_recording():
        ...         y = x * x
        >>> print(t.gradient(y, x))
        None
        """
        if not self._recording:
            raise RuntimeError("stop_recording: the tape is not recording")
        self._recording = False
        try:
            with set_grad_enabled(False):
                yield
        finally:
            self._recording = True

    def reset(self):
        """Forget everything watched so far and allow a new gradient call.

        Examples
        --------
        >>> from numeric.tape import GradientTape, Variable
        >>> x = Variable(1.0)
        >>> with GradientTape() as t:
        ...     _ = x * x
        ...     t.reset()
        >>> t.watched_variables()
        ()
        """
        self._watched.clear()
        self._used = False

    # ------------------------------------------------------------ gradients
    def _use(self, what):
        if self._used and not self._persistent:
            raise RuntimeError(
                f"{what}: a non-persistent GradientTape can only be used to compute "
                f"one set of gradients (or jacobians); create it with "
                f"GradientTape(persistent=True) to call it again"
            )
        self._used = True

    def _source_tensors(self, sources):
        """The leaf Tensor behind each source (None for one this tape never watched)."""
        out = []
        for s in sources:
            if isinstance(s, Variable):
                out.append(s._tracked if id(s) in self._watched else None)
            elif s._op is None and id(s) not in self._watched:
                out.append(None)
            else:
                out.append(s)
        return out

    def _grads(self, targets, seeds, tensors):
        """Sum over ``targets`` of the gradients of ``seed . target``, per tensor."""
        create_graph = any(t._recording for t in ACTIVE_TAPES)
        wanted = [t for t in tensors if t is not None]
        totals = [None] * len(wanted)
        for target, seed in zip(targets, seeds, strict=True):
            if not wanted or not target._requires_grad:
                continue
            start = seed_gradient(target, seed, create_graph)
            got = run_backward(target, start, True, create_graph, wanted)
            totals = [
                g if acc is None else (acc if g is None else acc + g)
                for acc, g in zip(totals, got, strict=True)
            ]
        found = dict(zip((id(t) for t in wanted), totals, strict=True))
        return [None if t is None else found[id(t)] for t in tensors], create_graph

    def gradient(
        self, target, sources, output_gradients=None, unconnected_gradients="none"
    ):
        """The gradient of ``target`` (summed if not scalar) for each source.

        Parameters
        ----------
        target : Tensor or list of Tensors
            Several targets give the gradient of their sum.
        sources : Tensor, Variable, or a list, tuple or dict of them
            The result has the same structure.
        output_gradients : Tensor or list, optional
            ``dL/dtarget`` weights (default: ones, i.e. the gradient of the sum).
        unconnected_gradients : {"none", "zero"}, default "none"
            What a source that ``target`` does not depend on gets.

        Returns
        -------
        Tensor, None, or the structure of ``sources``

        Raises
        ------
        RuntimeError
            On a second call to a non-persistent tape.

        Examples
        --------
        >>> from numeric.tape import GradientTape, Variable, constant
        >>> x, y = Variable(2.0), Variable(5.0)
        >>> with GradientTape(persistent=True) as t:
        ...     z = x * x
        >>> t.gradient(z, {"x": x, "y": y})
        {'x': tensor(4., dtype=float32), 'y': None}
        >>> t.gradient(z, [y], unconnected_gradients="zero")
        [tensor(0., dtype=float32)]
        """
        if unconnected_gradients not in _UNCONNECTED:
            raise ValueError(
                f"gradient: unconnected_gradients must be 'none' or 'zero', got "
                f"{unconnected_gradients!r}"
            )
        flat, rebuild = _flatten(sources, "gradient")
        targets, seeds = self._targets(target, output_gradients)
        self._use("gradient")
        grads, recorded = self._grads(targets, seeds, self._source_tensors(flat))
        out = [
            _finish(g, s, unconnected_gradients, recorded)
            for g, s in zip(grads, flat, strict=True)
        ]
        return rebuild(out)

    def _targets(self, target, output_gradients):
        many = isinstance(target, (list, tuple))
        targets = [convert_to_tensor(t) for t in (target if many else [target])]
        if output_gradients is None:
            seeds = [np.ones_like(t.data) for t in targets]
        else:
            given = list(output_gradients) if many else [output_gradients]
            if len(given) != len(targets):
                raise ValueError(
                    f"gradient: {len(given)} output_gradients for "
                    f"{len(targets)} targets"
                )
            seeds = [
                g if type(g) is Tensor else np.asarray(g, dtype=t.data.dtype)
                for g, t in zip(given, targets, strict=True)
            ]
        return targets, seeds

    def jacobian(self, target, sources, unconnected_gradients="none"):
        """The Jacobian of ``target`` for each source: shape target + source shape.

        Examples
        --------
        >>> from numeric.tape import GradientTape, Variable
        >>> x = Variable([1.0, 2.0])
        >>> with GradientTape() as t:
        ...     y = x * x
        >>> t.jacobian(y, x)
        tensor([[2., 0.],
                [0., 4.]], dtype=float32)
        """
        self._use("jacobian")
        target = convert_to_tensor(target)
        flat, rebuild = _flatten(sources, "jacobian")
        tensors = self._source_tensors(flat)
        shape = target.data.shape
        rows = []
        for i in range(target.data.size):
            seed = np.zeros(target.data.size, dtype=target.data.dtype)
            seed[i] = 1
            rows.append(self._grads([target], [seed.reshape(shape)], tensors)[0])
        out = []
        for k, s in enumerate(flat):
            column = [row[k] for row in rows]
            out.append(_stack_rows(column, shape, s, unconnected_gradients))
        return rebuild(out)

    def batch_jacobian(self, target, source, unconnected_gradients="none"):
        """Per-example Jacobians: ``d target[b, ...] / d source[b, ...]`` for each b.

        Rows of the batch must not depend on each other (as in TensorFlow).

        Examples
        --------
        >>> import numpy as np
        >>> from numeric.tape import GradientTape, constant
        >>> x = constant(np.arange(4.0).reshape(2, 2))
        >>> with GradientTape() as t:
        ...     t.watch(x)
        ...     y = x * x
        >>> t.batch_jacobian(y, x).shape
        (2, 2, 2)
        """
        self._use("batch_jacobian")
        target = convert_to_tensor(target)
        if target.data.ndim < 1 or _shape_of(source)[:1] != target.data.shape[:1]:
            raise ValueError(
                f"batch_jacobian: target shape {target.data.shape} and source shape "
                f"{_shape_of(source)} must share the first (batch) dimension"
            )
        [tensor] = self._source_tensors([source])
        batch, inner = target.data.shape[0], target.data.shape[1:]
        m = int(np.prod(inner))
        columns = []
        for j in range(m):
            seed = np.zeros((batch, m), dtype=target.data.dtype)
            seed[:, j] = 1
            g = self._grads([target], [seed.reshape(target.data.shape)], [tensor])[0]
            columns.append(g[0])
        stacked = _stack_rows(columns, (m,), source, unconnected_gradients, axis=1)
        return fn.reshape(stacked, (batch, *inner, *_shape_of(source)[1:]))


def _shape_of(x):
    return x.shape if isinstance(x, Variable) else x.data.shape


def _finish(g, source, unconnected, recorded):
    """A captured gradient as a Tensor of the source's dtype (or None / zeros)."""
    dtype = source.dtype
    if g is None:
        if unconnected == "zero":
            return make_leaf(scalarize(np.zeros(_shape_of(source), dtype=dtype)))
        return None
    if type(g) is Tensor:
        return g if recorded else make_leaf(scalarize(np.array(g.data, dtype=dtype)))
    return make_leaf(scalarize(np.array(g, dtype=dtype)))


def _stack_rows(rows, lead_shape, source, unconnected, axis=0):
    """Stack per-row gradients along ``axis`` (recorded if any row is a Tensor)."""
    src_shape = _shape_of(source)
    if axis == 1:
        src_shape = src_shape[1:]
        batch = _shape_of(source)[0]
    if all(r is None for r in rows):
        if unconnected == "none":
            return None
    n = len(rows)
    if not any(type(r) is Tensor for r in rows):
        zero = np.zeros(_shape_of(source), dtype=source.dtype)
        arrays = [zero if r is None else np.asarray(r) for r in rows]
        if axis == 1:
            return make_leaf(np.stack(arrays, axis=1).astype(source.dtype))
        stacked = np.stack(arrays).reshape(*lead_shape, *src_shape)
        return make_leaf(scalarize(stacked.astype(source.dtype)))
    # Recorded rows (an outer tape differentiates this Jacobian): place each row
    # with a one-hot product so the stacking itself is recorded by autograd.
    total = None
    for i, r in enumerate(rows):
        if r is None:
            continue
        onehot = np.zeros(n, dtype=source.dtype)
        onehot[i] = 1
        if axis == 1:
            piece = fn.reshape(r, (batch, 1, *src_shape)) * onehot.reshape(
                (1, n) + (1,) * len(src_shape)
            )
        else:
            piece = fn.reshape(r, (1, *src_shape)) * onehot.reshape(
                (n,) + (1,) * len(src_shape)
            )
        total = piece if total is None else total + piece
    if axis == 1:
        return total
    return fn.reshape(total, (*lead_shape, *src_shape))
