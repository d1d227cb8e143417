"""Every code target writes a 100,000-node-deep chain without recursion."""

import pytest

from symdiff import Symbol, export_c, export_module, sin

DEPTH = 100_000


@pytest.fixture(scope="module")
def chain():
    x, y = Symbol("x"), Symbol("y")
    e = x
    for i in range(DEPTH):  # a node per level: 100,000 deep
        e = sin(e) if i % 2 else e + y
    return x, y, e


def test_array_api_module(chain):
    x, y, e = chain
    src = export_module({"f": e}, [x, y], target="array_api")
    assert src.count("xp.sin(") == DEPTH // 2


def test_c_source(chain):
    x, y, e = chain
    src, _ = export_c({"f": e}, [x, y])
    body = src[src.index("void f(double") : src.index("void f_batch")]
    code = [ln for ln in body.splitlines() if not ln.lstrip().startswith("/*")]
    assert "\n".join(code).count("sin(") == DEPTH // 2


def test_numba_module_text(chain):
    pytest.importorskip("numba", reason="the numba extra")
    x, y, e = chain
    src = export_module({"f": e}, [x, y], target="numba")
    point = src[src.index("def _point_f") : src.index("def _packed_f")]
    assert point.count("np.sin(") == DEPTH // 2
