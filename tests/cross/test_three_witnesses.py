"""Three witnesses agree: symbolic == eager autograd == finite differences.

The symbolic gradient comes from symdiff's reverse mode over the DAG; the eager one
from ``numeric.autograd`` replaying the same expression op by op on numpy values (it
shares no derivative code with symdiff); the numerical one from ``numeric.gradient``.
"""

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import numeric.autograd as ag
from numeric import gradient
from symdiff import evaluate, grad, symbols
from symdiff.core.traverse import topo_order
from symdiff.ops import OPS
from symdiff.strategies import expressions

x, y = symbols("x y")
points = st.tuples(st.floats(-2, 2), st.floats(-2, 2))
# the unary functions both halves have (numeric.autograd has no acosh, floor, ...)
SHARED = [
    n
    for n, s in OPS.items()
    if s.arity == 1 and s.elementwise and s.infix is None and hasattr(ag, n)
]
SMOOTH_SHARED = [n for n in SHARED if OPS[n].smooth]


def autograd_gradient(expr, at):
    """Replay ``expr`` with numeric.autograd tensors; return value and gradient."""
    leaves = {s: ag.tensor(float(v), requires_grad=True) for s, v in at.items()}
    env = {}
    for node in topo_order(expr):
        if node.op == "symbol":
            env[node] = leaves[node]
        elif node.op == "const":
            env[node] = ag.tensor(float(node.value))
        elif node.op == "pi":
            env[node] = ag.tensor(math.pi)
        else:
            fn = getattr(ag, node.op)  # the same op names on both sides
            env[node] = fn(*[env[a] for a in node.args])
    out = env[expr]
    if not out.requires_grad:
        return out.item(), [0.0 for _ in leaves]
    out.backward()
    return out.item(), [
        0.0 if leaf.grad is None else leaf.grad.item() for leaf in leaves.values()
    ]


@given(expressions([x, y], max_leaves=10, unary_ops=SMOOTH_SHARED), points)
def test_symbolic_autograd_and_finite_differences_agree(e, pt):
    at = {x: pt[0], y: pt[1]}
    value = float(evaluate(e, at))
    symbolic = [float(v) for v in evaluate(list(grad(e, [x, y])), at)]
    assume(math.isfinite(value) and all(map(math.isfinite, symbolic)))
    eager_value, eager = autograd_gradient(e, at)
    assert math.isclose(eager_value, value, rel_tol=1e-12, abs_tol=1e-12)
    np.testing.assert_allclose(eager, symbolic, rtol=1e-9, atol=1e-9)

    def f(v):
        return float(evaluate(e, {x: v[0], y: v[1]}))

    numerical = gradient(f, np.array(pt, dtype=float))
    scale = max(1.0, abs(value), *map(abs, symbolic))
    assume(np.all(np.isfinite(numerical)))
    np.testing.assert_allclose(numerical, symbolic, rtol=1e-5, atol=1e-6 * scale)


@given(expressions([x, y], max_leaves=8, smooth=False, unary_ops=SHARED), points)
def test_nonsmooth_ops_make_the_same_documented_choices(e, pt):
    at = {x: pt[0], y: pt[1]}
    symbolic = [float(v) for v in evaluate(list(grad(e, [x, y])), at)]
    assume(all(map(math.isfinite, symbolic)))
    _, eager = autograd_gradient(e, at)
    np.testing.assert_allclose(eager, symbolic, rtol=1e-9, atol=1e-9)


def test_documented_kinks_agree_exactly():
    from symdiff import abs as sabs
    from symdiff import maximum, relu

    for e, at in (
        (sabs(x), {x: 0.0, y: 0.0}),
        (relu(x), {x: 0.0, y: 0.0}),
        (maximum(x, y), {x: 1.0, y: 1.0}),
    ):
        symbolic = [float(v) for v in evaluate(list(grad(e, [x, y])), at)]
        _, eager = autograd_gradient(e + 0 * y, at)
        assert eager == symbolic, (str(e), eager, symbolic)
