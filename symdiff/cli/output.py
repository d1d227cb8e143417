"""Writing results: numbers for people and for JSON, and the one place that prints."""

from __future__ import annotations

import json
import math

import numpy as np


def json_number(value):
    """A JSON-safe number (non-finite values as the strings 'nan', 'inf', '-inf').

    Examples
    --------
    >>> json_number(2), json_number(float("-inf"))
    (2.0, '-inf')
    """
    value = float(value)
    return value if math.isfinite(value) else str(value)


def json_values(values):
    """A number or nested lists of JSON-safe numbers (see :func:`json_number`).

    Examples
    --------
    >>> json_values([[1, float("nan")], [0.5, 2]])
    [[1.0, 'nan'], [0.5, 2.0]]
    """
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return json_number(array)
    return np.vectorize(json_number, otypes=[object])(array).tolist()


def format_values(values):
    """A number or an array for people, with 12 significant digits.

    Examples
    --------
    >>> format_values(2 / 3), format_values([1.0, 0.25])
    ('0.666666666667', '[1, 0.25]')
    """
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.12g}"
    return np.array2string(
        array, separator=", ", formatter={"float_kind": lambda t: f"{t:.12g}"}
    )


def signature(symbols):
    """The names of ``symbols`` separated by commas, as in ``f(x, y)``."""
    return ", ".join(s.name for s in symbols)


def point_text(at):
    """A point ``{Symbol: value}`` for people: ``x = 1, w = [1, 2]``.

    Examples
    --------
    >>> from symdiff import Symbol
    >>> point_text({Symbol("x"): 1.0, Symbol("w", shape=(2,)): np.array([1.0, 2.5])})
    'x = 1, w = [1, 2.5]'
    """
    # an array on one line: the point is one line of the output
    return ", ".join(
        f"{s.name} = {' '.join(format_values(v).split()) if np.ndim(v) else f'{v:g}'}"
        for s, v in at.items()
    )


def record_point(data, at):
    """Put the point ``{Symbol: value}`` into the JSON result as ``{name: value}``."""
    data["at"] = {s.name: json_values(v) if np.ndim(v) else v for s, v in at.items()}


def print_result(data, lines, as_json):
    """Print ``data`` as JSON when ``as_json``, else the ``lines`` for people."""
    if as_json:
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(lines))
