"""Modification stamps on array storage: how backward notices in-place writes.

PyTorch keeps a version counter on each storage and checks, when a saved value is
used by backward, that it has not changed since it was saved. Here every in-place
operation on a tensor stamps the storage it wrote with a number from the same
increasing sequence as the recorded ops' creation numbers; a recorded op created
before that stamp saw the old values, so the engine refuses to run its VJP on the
modified array. Recording an op costs nothing extra: stamps are written only by
in-place operations and read only by backward. Raw writes to ``.data`` are not
stamped, as in PyTorch.
"""

from __future__ import annotations

import weakref

import numpy as np

__all__ = ["latest_stamp", "mark_modified", "modified_after", "storage"]

# id(storage array) -> (weak reference to it, stamp of its last in-place write).
_MODIFIED: dict[int, tuple[weakref.ref, int]] = {}
# The largest stamp written: ops recorded after it need no check at all, which is
# every op of a training step whose parameters were updated before its forward pass.
_LATEST = [-1]


def storage(arr):
    """The array that owns the memory of ``arr`` (``arr`` itself unless a view).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.zeros(4)
    >>> storage(a[1:]) is a
    True
    """
    while isinstance(arr.base, np.ndarray):
        arr = arr.base
    return arr


def mark_modified(arr, stamp):
    """Record that the storage of the ndarray ``arr`` was written in place at ``stamp``.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.zeros(2)
    >>> mark_modified(a, 10)
    >>> modified_after(a, 5), modified_after(a, 10)
    (True, False)
    """
    base = storage(arr)
    key = id(base)

    def forget(ref, key=key):
        entry = _MODIFIED.get(key)
        if entry is not None and entry[0] is ref:
            del _MODIFIED[key]

    _MODIFIED[key] = (weakref.ref(base, forget), stamp)
    if stamp > _LATEST[0]:
        _LATEST[0] = stamp


def modified_after(value, stamp):
    """Whether ``value`` is an ndarray whose storage was written after ``stamp``.

    Examples
    --------
    >>> import numpy as np
    >>> modified_after(np.ones(3), 0), modified_after(2.0, 0)
    (False, False)
    """
    if not _MODIFIED or type(value) is not np.ndarray:
        return False
    base = storage(value)
    entry = _MODIFIED.get(id(base))
    return entry is not None and entry[0]() is base and entry[1] > stamp


def latest_stamp():
    """The largest stamp written so far (-1 before any in-place write).

    Examples
    --------
    >>> isinstance(latest_stamp(), int)
    True
    """
    return _LATEST[0]
