"""The autograd package's exceptions.

They sit below every other module because both the Tensor (in-place updates,
``requires_grad_``) and the engine (freed graphs) raise them.
"""

from __future__ import annotations

__all__ = ["GradError", "GradTypeError", "GradValueError"]


class GradError(RuntimeError):
    """An autograd request that cannot be carried out in the graph's current state.

    Raised for a backward through a freed graph and for ``backward()`` on a tensor
    with no gradient history. Subclasses :class:`RuntimeError`, as PyTorch does.

    Examples
    --------
    >>> from numeric.autograd import GradError, tensor
    >>> try:
    ...     tensor(1.0).backward()
    ... except GradError as e:
    ...     print("GradError")
    GradError
    """


class GradValueError(GradError, ValueError):
    """A bad argument to backward: both a GradError (as PyTorch) and a ValueError.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.errors import GradValueError
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> try:
    ...     (x * 2).backward()
    ... except GradValueError:
    ...     print("needs gradient=")
    needs gradient=
    """


class GradTypeError(GradError, TypeError):
    """A value of the wrong dtype: both a GradError (as PyTorch) and a TypeError.

    Examples
    --------
    >>> from numeric.autograd import tensor
    >>> from numeric.autograd.errors import GradTypeError
    >>> x = tensor([1.0, 2.0])
    >>> try:
    ...     x.grad = tensor([1, 2])
    ... except GradTypeError:
    ...     print("wrong dtype")
    wrong dtype
    """


# Public under the package's name, so tracebacks read numeric.autograd.GradError
# wherever the class happens to be defined.
for _cls in (GradError, GradTypeError, GradValueError):
    _cls.__module__ = "numeric.autograd"
