"""Grad mode: whether operations are recorded, and whether a transform is running.

This module owns the autograd package's only mutable switches. Code outside it reads
them through :func:`is_grad_enabled` and :func:`in_transform` and changes them only
with the context managers below; the one exception is the per-op hot path in
:mod:`numeric.autograd.tensor`, which reads ``GRAD_MODE.enabled`` directly because a
function call per recorded op would cost more than the op's own bookkeeping.
"""

from __future__ import annotations

import contextlib
import functools
import inspect

__all__ = [
    "GRAD_MODE",
    "GradMode",
    "enable_grad",
    "in_transform",
    "inference_mode",
    "inside_transform",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]


class GradMode:
    """The process-wide autograd switches (one instance: :data:`GRAD_MODE`).

    Attributes
    ----------
    enabled : bool
        Whether operations on tensors that require grad are recorded. Process-wide,
        not per thread, so the hot path reads one attribute (see docs/autograd.md).
    transform_depth : int
        How many ``grad``/``value_and_grad``/``hessian`` calls are running: an inner
        one must return a differentiable gradient so the outer one can differentiate
        it again.

    Examples
    --------
    >>> from numeric.autograd.mode import GRAD_MODE
    >>> GRAD_MODE.enabled, GRAD_MODE.transform_depth
    (True, 0)
    """

    __slots__ = ("enabled", "transform_depth")

    def __init__(self):
        self.enabled = True
        self.transform_depth = 0


#: The switches themselves; change them only through this module's context managers.
GRAD_MODE = GradMode()


class set_grad_enabled(contextlib.ContextDecorator):
    """Context manager (or decorator) that turns recording on or off, then restores it.

    :class:`no_grad` and :class:`enable_grad` are this with the mode fixed.

    Parameters
    ----------
    mode : bool
        Whether to record operations inside the block.

    Examples
    --------
    >>> from numeric.autograd.mode import is_grad_enabled, set_grad_enabled
    >>> with set_grad_enabled(False):
    ...     is_grad_enabled()
    False
    >>> is_grad_enabled()
    True
    """

    def __init__(self, mode):
        self._mode = bool(mode)

    def _recreate_cm(self):
        # A fresh manager per call, so a decorated function may recurse (each
        # call restores its own previous mode).
        return set_grad_enabled(self._mode)

    def __call__(self, func):
        if inspect.isgeneratorfunction(func):
            return _generator_in_mode(func, self._mode)
        return super().__call__(func)

    def __enter__(self):
        self._previous = GRAD_MODE.enabled
        GRAD_MODE.enabled = self._mode
        return self

    def __exit__(self, *exc):
        GRAD_MODE.enabled = self._previous
        return False


def _generator_in_mode(func, mode):
    """Wrap the generator function ``func`` so its body always runs in ``mode``.

    A plain decorator would set the mode only while the generator object is
    created, not while its body runs; like PyTorch, the mode is set around every
    resumption (next, send, throw, close) and the caller's mode is restored at
    every yield.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gen = func(*args, **kwargs)
        try:
            with set_grad_enabled(mode):
                value = gen.send(None)
            while True:
                try:
                    sent = yield value
                except GeneratorExit:
                    with set_grad_enabled(mode):
                        gen.close()
                    raise
                except BaseException as exc:
                    with set_grad_enabled(mode):
                        value = gen.throw(exc)
                else:
                    with set_grad_enabled(mode):
                        value = gen.send(sent)
        except StopIteration as stop:
            return stop.value

    return wrapper


class no_grad(set_grad_enabled):
    """Context manager (or decorator) that stops recording operations.

    Inside it, results never require grad, so no graph is built: use it for parameter
    updates and evaluation. The switch is process-wide, not per thread.

    Examples
    --------
    >>> from numeric.autograd import no_grad, tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> with no_grad():
    ...     y = x * 3
    >>> y.requires_grad
    False
    """

    def __init__(self):
        super().__init__(False)


class enable_grad(set_grad_enabled):
    """Context manager (or decorator) that turns recording back on, e.g. in no_grad.

    Examples
    --------
    >>> from numeric.autograd import enable_grad, no_grad, tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = x * 3
    >>> y.requires_grad
    True
    """

    def __init__(self):
        super().__init__(True)


class inference_mode(set_grad_enabled):
    """``torch.inference_mode``: no recording inside (``mode=False`` records again).

    Here it is :class:`no_grad` under PyTorch's name: tensors carry no separate
    inference flag, so tensors made inside can later be used in recorded code.

    Examples
    --------
    >>> from numeric.autograd import inference_mode, tensor
    >>> x = tensor(2.0, requires_grad=True)
    >>> with inference_mode():
    ...     y = x * 3
    >>> y.requires_grad
    False
    """

    def __init__(self, mode=True):
        super().__init__(not mode)


def is_grad_enabled():
    """Whether operations are currently recorded for differentiation.

    Returns
    -------
    bool

    Examples
    --------
    >>> from numeric.autograd import is_grad_enabled, no_grad
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return GRAD_MODE.enabled


@contextlib.contextmanager
def inside_transform():
    """Mark the block as the body of a functional transform (``grad`` and friends).

    Examples
    --------
    >>> from numeric.autograd.mode import in_transform, inside_transform
    >>> with inside_transform():
    ...     in_transform()
    True
    >>> in_transform()
    False
    """
    GRAD_MODE.transform_depth += 1
    try:
        yield
    finally:
        GRAD_MODE.transform_depth -= 1


def in_transform():
    """Whether a ``grad``/``value_and_grad``/``hessian`` call is running.

    Returns
    -------
    bool

    Examples
    --------
    >>> from numeric.autograd.mode import in_transform
    >>> in_transform()
    False
    """
    return GRAD_MODE.transform_depth > 0
