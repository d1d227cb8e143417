"""TensorFlow's ``GradientTape`` front end on the one numeric.autograd engine.

``numeric.tape`` is to TensorFlow what :mod:`numeric.autograd` is to PyTorch: the
same tensors, op registry and backward engine, reached the TensorFlow way. Values are
:class:`Variable` (watched automatically) or :func:`constant` tensors; a
:class:`GradientTape` block decides what is recorded; ``tape.gradient(target,
sources)`` returns gradients in the structure of ``sources`` instead of filling
``.grad``. TensorFlow's defaults apply: Python floats become float32, the gradient of
a non-scalar target is that of its sum, an unconnected source gets None.

Modules: ``variables`` (Variable, constant, stop_gradient), ``gradient_tape``
(GradientTape), ``functions`` (reduce_sum, tensordot, norm and other TensorFlow
names).

Examples
--------
>>> from numeric.tape import GradientTape, Variable, range, tensordot
>>> x = Variable(range(4.0))
>>> with GradientTape() as t:
...     y = 2 * tensordot(x, x, axes=1)
>>> t.gradient(y, x)
tensor([ 0.,  4.,  8., 12.], dtype=float32)
"""

from numeric.tape.functions import (
    abs,
    add,
    cos,
    divide,
    exp,
    log,
    matmul,
    multiply,
    norm,
    ones,
    random_normal,
    range,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_sum,
    relu,
    reshape,
    sigmoid,
    sin,
    sqrt,
    square,
    subtract,
    tanh,
    tensordot,
    transpose,
    where,
    zeros,
)
from numeric.tape.gradient_tape import GradientTape
from numeric.tape.variables import Variable, constant, convert_to_tensor, stop_gradient

__all__ = [
    "GradientTape",
    "Variable",
    "abs",
    "add",
    "constant",
    "convert_to_tensor",
    "cos",
    "divide",
    "exp",
    "log",
    "matmul",
    "multiply",
    "norm",
    "ones",
    "random_normal",
    "range",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_sum",
    "relu",
    "reshape",
    "sigmoid",
    "sin",
    "sqrt",
    "square",
    "stop_gradient",
    "subtract",
    "tanh",
    "tensordot",
    "transpose",
    "where",
    "zeros",
]
