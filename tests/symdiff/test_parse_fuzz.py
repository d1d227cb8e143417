"""Issue 18.8: hostile input gives an expression or ParseError, never anything else.

The generator and the rules are those of ``benchmarks/parse_fuzz.py`` (which runs
10,000 inputs and the huge cases); the suite runs fewer, and no huge ones.
"""

import importlib.util
import pathlib

import pytest

from symdiff import parse
from symdiff.core.errors import ParseError

_PATH = pathlib.Path(__file__).parents[2] / "benchmarks" / "parse_fuzz.py"
_spec = importlib.util.spec_from_file_location("parse_fuzz", _PATH)
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)


def test_generated_hostile_inputs_keep_every_rule():
    report = fuzz.run(600, huge=False)
    assert sum(report["parse"].values()) >= 600
    assert not fuzz.broken_rules(report), fuzz.broken_rules(report)
    assert report["parse"]["ParseError"] > 0 and report["parse"]["expression"] > 0


def test_the_rules_catch_a_broken_report():
    """The checker itself can fail (a report with a crash, a hang, a canary)."""
    report = fuzz.run(8, huge=False)
    report["parse"]["RecursionError (bug)"] = 1
    report["cli"]["exit 3"] = 1
    report["slow"].append(("x", 2.0))
    report["canary"] = True
    assert len(fuzz.broken_rules(report)) == 4


@pytest.mark.parametrize(
    "name",
    [
        "10**10**10",
        "2**2**2**2**2**2",
        "100,000-digit integer",
        "NUL inside",
        "look-alike minus",
        "full-width x",
        "CRLF",
        "1e999999",
    ],
)
def test_named_hostile_cases(name):
    text = fuzz.huge_inputs()[name]
    try:
        parse(text)
    except ParseError:
        pass
    assert fuzz._cli(text) in (0, 2)


def test_deeply_nested_unclosed_parentheses_fail_cleanly_and_fast():
    # CPU time, not wall time: the bound is about the parser, not the machine's load
    import time

    # unclosed: read in linear time, then a ParseError (the benchmark runs 10**6)
    text = "(" * 150_000 + "x"
    start = time.process_time()
    with pytest.raises(ParseError, match="unclosed"):
        parse(text)
    assert time.process_time() - start < 10 * 3e-6 * len(text)  # generous, linear


@pytest.mark.parametrize(
    "text",
    ["(" * 10**6 + "x" + ")" * 10**6, "-" * 10**6 + "x", "x" + "**x" * 10**6],
)
def test_text_nested_past_the_limit_is_refused_at_once(text):
    import time

    start = time.process_time()
    with pytest.raises(ParseError, match="nested deeper than 200,000 levels"):
        parse(text)
    assert time.process_time() - start < 1.0  # read only up to the limit


def test_a_bad_character_at_the_end_of_a_huge_text_is_found_first():
    import time

    start = time.process_time()
    with pytest.raises(ParseError, match="column 2000001"):
        parse("x+" * 10**6 + ";")  # nothing of the sum is built before the error
    assert time.process_time() - start < 1.0
