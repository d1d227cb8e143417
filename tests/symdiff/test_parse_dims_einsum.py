"""parse reads dim(n) and einsum("...", ...) back as str prints them, and rejects bad
subscripts, misplaced strings and malformed dim() with the column of the problem."""

import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import (
    ParseError,
    Symbol,
    cos,
    dim,
    einsum,
    grad,
    parse,
    sin,
    sum,
)
from symdiff.cli import main

# named and fixed dimensions; equal letters must have equal sizes, so each letter
# belongs to one dimension
X = Symbol("X", shape=("n", 3))
Y = Symbol("Y", shape=(3, 4))
Z = Symbol("Z", shape=("n", 4))
v = Symbol("v", shape=(3,))
SYMS = [X, Y, Z, v]
LETTERS = {"n": "ab", 3: "cde", 4: "fg"}


@st.composite
def einsums(draw):
    """A valid einsum over 1 to 3 of the symbols, with a drawn or implied output."""
    k = draw(st.integers(1, 3))
    operands = draw(st.lists(st.sampled_from(SYMS), min_size=k, max_size=k))
    terms = []
    for a in operands:  # no symbol has two axes of one dimension: letters differ
        terms.append("".join(draw(st.sampled_from(LETTERS[d])) for d in a.shape))
    seen = sorted(set("".join(terms)))
    if draw(st.booleans()):
        out = "".join(draw(st.permutations(seen))[: draw(st.integers(0, len(seen)))])
        subscripts = ",".join(terms) + "->" + out
    else:
        subscripts = ",".join(terms)
    return einsum(subscripts, *operands)


@settings(max_examples=40, deadline=None)
@given(einsums(), st.sampled_from([sin, cos, lambda e: e * 2]))
def test_expressions_with_dims_and_einsums_read_back(e, f):
    for expr in (
        e,
        sum(f(e)) / dim("n"),
        dim("n") * sum(e) + sum(X @ v) / dim("n"),
        grad(sum(f(e)) / dim("n"), min(e.free_symbols, key=str)),
    ):
        text = str(expr)
        assert parse(text, symbols=SYMS) is expr, text


def test_printed_forms():
    assert str(dim("n")) == "dim(n)"
    e = einsum("ij,jk->ik", X, Y)
    assert str(e) == 'einsum("ij,jk->ik", X, Y)'
    # quotes of either kind and spaces read as numpy reads them
    assert parse("einsum('ij , jk', X, Y)", symbols=SYMS) is e
    assert parse("sum(X @ v)/dim(n)", symbols=SYMS) is sum(X @ v) / dim("n")


@pytest.mark.parametrize(
    "text, column, words",
    [
        ('einsum("ij,jk->ik")', 19, "needs operands after its subscripts"),
        ("einsum(X, Y)", 8, "first argument must be its subscripts in quotes"),
        ('einsum("ij,j+k", X, Y)', 13, "found '+'"),
        ('einsum("ij,jk->i.k", X, Y)', 17, "found '.'"),
        ('einsum("ij;k", X, Y)', 11, "unexpected character ';'"),
        ('einsum("ij,jk->ik" X)', 20, "needs operands"),
        ('einsum("ij,jk->ik', 8, "unterminated string"),
        # the letters against the operands: at the subscripts
        ('einsum("ij,kk->ik", X, Y)', 8, "repeats within the operand term 'kk'"),
        ('einsum("ij,jk->ik", X)', 8, "2 operand term(s) for 1 operand(s)"),
        ('einsum("ij,jk->ik", Y, Y)', 8, "the letter 'j' has size 4"),
        ('einsum("ij,jk->ik", X, Y', 1, "unclosed '('"),
        ('x + "ab"', 5, "only allowed as einsum's first argument"),
        ('sin("x")', 5, "only allowed as einsum's first argument"),
        ('einsum("ij->ij", X, subscripts="i")', 21, "repeated keyword argument"),
        ('X "ab"', 3, "missing operator"),
        ('dim("n")', 5, "a name, unquoted: dim(n)"),
        ("dim()", 5, "dim() takes a dimension name"),
        ("dim(n", 6, "expected ')'"),
        ("dim(n, m)", 6, "expected ')'"),
        ("dim(_n)", 1, "'_n' cannot name a dimension"),
        # dimension names are keyword values only where a shape is expected
        ("broadcast_to(v, shape=(n, _m))", 1, "got '_m'"),
        ("sum(X, axis=n)", 13, "expected a number, True, False or None"),
        ("sum(X, keepdims=yes)", 17, "expected a number, True, False or None"),
    ],
)
def test_bad_input_names_the_column(text, column, words):
    with pytest.raises(ParseError, match=re.escape(words)) as info:
        parse(text, symbols=SYMS)
    assert info.value.column == column, str(info.value)
    assert f"column {column}" in str(info.value)


def test_a_symbol_named_dim_still_reads():
    assert parse("dim + 1") is Symbol("dim") + 1


def test_a_broadcast_to_a_named_dimension_reads_back():
    g = grad(sum(X) / dim("n"), X)
    assert str(g) == "broadcast_to(1/dim(n), shape=(n, 3))"
    assert parse(str(g), symbols=SYMS) is g


def test_cli_reads_dim_and_prints_what_reads_back(capsys):
    rows = 4
    rng = np.random.default_rng(3)
    Xv, wv = rng.normal(size=(rows, 5)), rng.normal(size=5)
    argv = ["grad", "sum(X @ w)/dim(n)", "--shape", "X=n,5", "--shape", "w=5"]
    argv += ["--wrt", "w", "--at", f"X={Xv.tolist()}, w={wv.tolist()}", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(data["value"], np.sum(Xv @ wv) / rows, rtol=1e-13)
    np.testing.assert_allclose(data["gradient_value"][0], Xv.sum(axis=0) / rows)
    w = Symbol("w", shape=(5,))
    Xn = Symbol("X", shape=("n", 5))
    assert parse(data["expr"], symbols=[Xn, w]) is sum(Xn @ w) / dim("n")
    # the gradient broadcasts to the named dimension (shape=n): it reads back too
    g = grad(sum(Xn @ w) / dim("n"), w)
    assert parse(data["gradient"][0], symbols=[Xn, w]) is g
    argv[1] = 'einsum("ij,j->", X, w)/dim(n)'
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(data["value"], np.sum(Xv @ wv) / rows, rtol=1e-13)
