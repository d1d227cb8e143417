"""How much does numeric.autograd's tape cost (and numeric.tape's GradientTape)?

Two measurements, each against references run in this same process:

1. Per-op overhead: forward + backward of a 10,000-op chain of scalar ops
   (``y = tanh(y * w + c) - d`` repeated), in microseconds per op. References: a
   minimal pure-Python scalar tape (the micrograd design, floats and closures)
   and, when installed, PyTorch on 0-d tensors. Target: at most 5 us per op.
2. Large arrays: one training step (forward, backward, SGD update) of a 2-layer
   MLP whose hidden activations have 10^6 elements, against the same step written
   by hand in numpy (and PyTorch, float64 on CPU, when installed).
   Target: at most 1.3x the hand-written numpy time.

Run: ``python benchmarks/autograd_overhead.py``. Each figure is the best of
several repeats (the least disturbed by other processes), with the contenders run
in turns and BLAS limited to one thread (unless the environment sets it).
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path

# One BLAS thread for every contender: with two threads on a shared machine the
# matmul times swing with the scheduler far more than with the code under test.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numeric import autograd as ag  # noqa: E402
from numeric import tape as tf  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # torch is an optional reference
    torch = None

CHAIN_OPS = 10_000
CHAIN_REPEATS = 15
MLP_REPEATS = 15


def best_of_interleaved(fns, repeats):
    """Best time of each function, running them in turns so that a burst of load
    from other processes hits all of them rather than one."""
    best = {name: math.inf for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


# ------------------------------------------------------------------ scalar chain


class ScalarNode:
    """Reference: a minimal scalar tape on Python floats (micrograd's design)."""

    __slots__ = ("value", "grad", "inputs", "local")

    def __init__(self, value, inputs=(), local=()):
        self.value = value
        self.grad = 0.0
        self.inputs = inputs
        self.local = local  # d self / d input, one per input

    def __mul__(self, other):
        if isinstance(other, ScalarNode):
            return ScalarNode(self.value * other.value, (self, other),
                              (other.value, self.value))
        return ScalarNode(self.value * other, (self,), (other,))

    def __add__(self, c):
        return ScalarNode(self.value + c, (self,), (1.0,))

    def __sub__(self, c):
        return ScalarNode(self.value - c, (self,), (1.0,))

    def tanh(self):
        t = math.tanh(self.value)
        return ScalarNode(t, (self,), (1.0 - t * t,))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node.inputs)
        self.grad = 1.0
        for node in reversed(order):
            for p, d in zip(node.inputs, node.local, strict=True):
                p.grad += d * node.grad


def chain_autograd():
    x = ag.tensor(0.5, requires_grad=True)
    w = ag.tensor(0.999, requires_grad=True)
    y = x
    for _ in range(CHAIN_OPS // 4):
        y = ag.tanh(y * w + 0.001) - 0.0001
    y.backward()
    return x.grad.item()


def chain_tape():
    # The TensorFlow-style front end on the same engine: float64 variables so the
    # result matches the others to the last digit.
    x = tf.Variable(np.float64(0.5))
    w = tf.Variable(np.float64(0.999))
    with tf.GradientTape() as t:
        y = x
        for _ in range(CHAIN_OPS // 4):
            y = ag.tanh(y * w + 0.001) - 0.0001
    return float(t.gradient(y, x))


def chain_reference():
    x = ScalarNode(0.5)
    w = ScalarNode(0.999)
    y = x
    for _ in range(CHAIN_OPS // 4):
        y = (y * w + 0.001).tanh() - 0.0001
    y.backward()
    return x.grad


def chain_torch():
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(0.999, dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(CHAIN_OPS // 4):
        y = torch.tanh(y * w + 0.001) - 0.0001
    y.backward()
    return x.grad.item()


# ---------------------------------------------------------------------- MLP step

BATCH, FEATURES, HIDDEN, OUT = 10_000, 100, 100, 10  # hidden: 10^6 elements
LR = 1e-3


def mlp_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, FEATURES))
    Y = rng.normal(size=(BATCH, OUT))
    params = [
        rng.normal(scale=0.1, size=(FEATURES, HIDDEN)),
        np.zeros(HIDDEN),
        rng.normal(scale=0.1, size=(HIDDEN, OUT)),
        np.zeros(OUT),
    ]
    return X, Y, params


def make_numpy_step(X, Y, params):
    W1, b1, W2, b2 = (p.copy() for p in params)

    def step():
        h_pre = X @ W1 + b1
        h = np.maximum(h_pre, 0.0)
        out = h @ W2 + b2
        diff = out - Y
        loss = np.mean(diff * diff)
        d_out = diff * (2.0 / diff.size)
        dW2 = h.T @ d_out
        db2 = d_out.sum(axis=0)
        d_h = d_out @ W2.T
        d_h *= h_pre > 0
        dW1 = X.T @ d_h
        db1 = d_h.sum(axis=0)
        for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            p -= LR * g
        return loss

    return step


def make_autograd_step(X, Y, params):
    Xt, Yt = ag.tensor(X), ag.tensor(Y)
    ps = [ag.tensor(p, requires_grad=True) for p in params]
    W1, b1, W2, b2 = ps

    def step():
        h = ag.relu(Xt @ W1 + b1)
        diff = h @ W2 + b2 - Yt
        loss = (diff * diff).mean()
        loss.backward()
        with ag.no_grad():
            for p in ps:
                p -= LR * p.grad
        ag.zero_grad(ps)
        return loss.item()

    return step


def make_tape_step(X, Y, params):
    Xt, Yt = tf.constant(X), tf.constant(Y)
    vs = [tf.Variable(p) for p in params]
    W1, b1, W2, b2 = vs

    def step():
        with tf.GradientTape() as t:
            h = tf.relu(tf.matmul(Xt, W1) + b1)
            diff = tf.matmul(h, W2) + b2 - Yt
            loss = tf.reduce_mean(diff * diff)
        for v, g in zip(vs, t.gradient(loss, vs), strict=True):
            v.assign_sub(LR * g.data)
        return loss.item()

    return step


def make_torch_step(X, Y, params):
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    W1, b1, W2, b2 = ps

    def step():
        h = torch.relu(Xt @ W1 + b1)
        diff = h @ W2 + b2 - Yt
        loss = (diff * diff).mean()
        loss.backward()
        with torch.no_grad():
            for p in ps:
                p -= LR * p.grad
                p.grad = None
        return loss.item()

    return step


def main():
    print(f"numpy {np.__version__}"
          + (f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
             if torch else ", torch not installed"))

    print(f"\n1) scalar chain of {CHAIN_OPS} ops, forward + backward "
          f"(best of {CHAIN_REPEATS})")
    g_ours, g_ref = chain_autograd(), chain_reference()
    assert math.isclose(g_ours, g_ref, rel_tol=1e-12), (g_ours, g_ref)
    assert math.isclose(chain_tape(), g_ref, rel_tol=1e-12)
    fns = {"numeric.autograd": chain_autograd,
           "numeric.tape": chain_tape,
           "pure-Python float tape": chain_reference}
    if torch:
        assert math.isclose(chain_torch(), g_ref, rel_tol=1e-12)
        fns["torch 0-d tensors"] = chain_torch
    times = best_of_interleaved(fns, CHAIN_REPEATS)
    ours = times["numeric.autograd"]
    for name, t in times.items():
        print(f"   {name:24s} {t / CHAIN_OPS * 1e6:6.2f} us/op   "
              f"autograd / this = {ours / t:5.2f}")
    per_op = ours / CHAIN_OPS * 1e6
    print(f"   target <= 5 us/op: {'met' if per_op <= 5 else 'MISSED'} "
          f"({per_op:.2f} us/op)")
    per_op_tape = times["numeric.tape"] / CHAIN_OPS * 1e6
    print(f"   tape target <= 5 us/op: {'met' if per_op_tape <= 5 else 'MISSED'} "
          f"({per_op_tape:.2f} us/op)")

    print(f"\n2) 2-layer MLP step, X {BATCH}x{FEATURES} -> hidden {HIDDEN} "
          f"({BATCH * HIDDEN:.0e} elements) -> {OUT}; forward + backward + SGD "
          f"(best of {MLP_REPEATS})")
    X, Y, params = mlp_data()
    steps = {"hand-written numpy": make_numpy_step(X, Y, params),
             "numeric.autograd": make_autograd_step(X, Y, params),
             "numeric.tape": make_tape_step(X, Y, params)}
    if torch:
        steps["torch (float64)"] = make_torch_step(X, Y, params)
    losses = {name: [s() for _ in range(3)] for name, s in steps.items()}
    ref_losses = losses["hand-written numpy"]
    for name, ls in losses.items():
        assert np.allclose(ls, ref_losses, rtol=1e-10), (name, ls, ref_losses)
    times = best_of_interleaved(steps, MLP_REPEATS)
    base = times["hand-written numpy"]
    for name, t in times.items():
        print(f"   {name:24s} {t * 1e3:8.2f} ms   / numpy = {t / base:5.2f}")
    ratio = times["numeric.autograd"] / base
    print(f"   target <= 1.3x numpy: {'met' if ratio <= 1.3 else 'MISSED'} "
          f"({ratio:.2f}x)")
    ratio_tape = times["numeric.tape"] / base
    print(f"   tape target <= 1.3x numpy: {'met' if ratio_tape <= 1.3 else 'MISSED'} "
          f"({ratio_tape:.2f}x)")


if __name__ == "__main__":
    main()
