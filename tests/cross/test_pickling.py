"""Issue 18.5: what users send to process pools pickles, and means the same there.

One real ``ProcessPoolExecutor`` with the spawn start method (a fresh interpreter,
which has interned nothing yet) carries expressions, lambdified functions, exported
modules' functions and results both ways.
"""

import multiprocessing
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from numeric.calculus import check_grad
from symdiff import (
    Symbol,
    const,
    diff,
    erf,
    evaluate,
    export_module,
    lambdify,
    log1p,
    sin,
    to_str,
)

x, y = Symbol("x"), Symbol("y")
A = Symbol("A", shape=(2,))
EXPRS = [
    sin(x) * y,
    log1p(x * y) + erf(x) / 3 + const(0.25) ** y,
    (A * x).sum() + const(np.arange(2.0)) @ A,
]


def _chain(depth):
    e = x
    for i in range(depth):
        e = sin(e) + y if i % 2 else e * 1.5
    return e


def worker_report(e, text):
    """Runs in the worker: is ``e`` interned there (rebuilding it from ``text`` gives
    the very node), and what is its derivative (built there, sent back)?"""
    from symdiff import parse

    return parse(text, symbols=[A]) is e, diff(e, x)


def test_expressions_unpickle_to_the_same_node_in_this_process():
    for e in [*EXPRS, _chain(100_000)]:
        assert pickle.loads(pickle.dumps(e)) is e
    tangled = [EXPRS[0], EXPRS[0] + 1]  # shared subexpressions stay shared
    back = pickle.loads(pickle.dumps(tangled))
    assert back[0] is tangled[0] and back[1].args[1] is back[0]


def test_unpickling_garbage_is_a_clear_error():
    from symdiff.core.expr import _rebuild

    with pytest.raises(ValueError, match="unknown op 'nope'"):
        _rebuild((("nope", (), (), ()),))
    with pytest.raises(TypeError, match="not a pickled symdiff expression"):
        _rebuild("x")


def test_lambdified_functions_pickle_as_source():
    f = lambdify([x, y], {"f": EXPRS[1], "g": [diff(EXPRS[1], x)]})
    g = pickle.loads(pickle.dumps(f))
    assert g.source == f.source and g.symbols == f.symbols
    assert g(0.3, 0.7) == f(0.3, 0.7)


def test_grad_check_result_pickles():
    r = check_grad(lambda v: (v**2).sum(), lambda v: 2 * v, np.array([1.0, 2.0]))
    back = pickle.loads(pickle.dumps(r))
    assert back.ok == r.ok and back.nfev == r.nfev
    np.testing.assert_array_equal(back.numeric, r.numeric)


def test_a_spawned_process_pool_gets_equal_interned_nodes(tmp_path, monkeypatch):
    export_module({"h": EXPRS[1]}, [x, y], tmp_path / "exported_h.py")
    monkeypatch.syspath_prepend(str(tmp_path))  # spawn copies sys.path to the worker
    import exported_h

    f = lambdify([x, y], EXPRS[1])
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=ctx) as pool:
        reports = list(pool.map(worker_report, EXPRS, [to_str(e) for e in EXPRS]))
        values = pool.submit(evaluate, EXPRS, {x: 0.3, y: 0.7, A: [1.0, 2.0]})
        from_f = pool.submit(f, 0.3, 0.7)
        from_module = pool.submit(exported_h.h, 0.3, 0.7)
        deep = pool.submit(diff, _chain(20_000), y)
        assert values.result()[0] == evaluate(EXPRS[0], {x: 0.3, y: 0.7})
        assert from_f.result() == f(0.3, 0.7) == from_module.result()
        assert deep.result() is diff(_chain(20_000), y)
    for e, (interned, derivative) in zip(EXPRS, reports, strict=True):
        assert interned, to_str(e)
        assert derivative is diff(e, x)  # and it comes back as our own node
    del sys.modules["exported_h"]
