"""Hostile input for the parser and the CLI, measured (issue 18, item 8).

Generates seeded inputs (random text over a hostile alphabet with unicode look-alikes,
NUL, CR/LF and zero-width characters; mutations of valid expressions; attempts at code
execution that would create a canary file; and a few huge ones: 10**6 nested
parentheses, huge integer literals, ``10**10**10``) and runs ``symdiff.parse`` on each,
and ``symdiff diff`` (the CLI's ``main``, in this process) on a share of them.  Allowed:
an expression or ``ParseError`` (the CLI: exit status 0 or 2), within 1 s each (text
nested deeper than ``symdiff.parse.MAX_DEPTH`` is refused when the parser gets there),
no ``RecursionError``, and the canary never appears.  Prints the counts; the exit status
is 1 if any rule is broken.

Run:  python benchmarks/parse_fuzz.py [N]     (N generated inputs, 10,000 by default)

The test suite runs a smaller number (tests/symdiff/test_parse_fuzz.py).
"""

import contextlib
import io
import os
import sys
import tempfile
import time
from collections import Counter

import numpy as np

from symdiff import parse
from symdiff.cli import main as cli_main
from symdiff.core.errors import ParseError

TIME_LIMIT = 1.0  # seconds per input
CLI_MAX_CHARS = 10_000  # the CLI prints derivatives, which can be far longer
CLI_SHARE = 5  # every CLI_SHARE-th input also goes through the CLI

_ASCII = "xy01239.e+-*/()[],=_ abcsinexplogqrt'\"\\;:@!<>{}%&|^~#`$?"
_UNICODE = "\u2212\u00d7\u00f7\u03c0\u00b2\u221a\uff58\u200b\u00a0\u2009\U0001d465"
_CONTROL = "\x00\r\n\t\x0b\x0c\x1b"
_VALID = [
    "3*x**2 - 4*x",
    "sin(x)*exp(y) + log1p(x*y)",
    "maximum(x, y) / (1 + abs(x))",
    "sqrt(x**2 + y**2) - tanh(x/y)",
    "sigmoid(2*x) ** 3 - softplus(-y)",
    "(x + 1)**(y - 2) * pi",
    "erf(x) + heaviside(y) - relu(x - y)",
]


def payloads(canary):
    """Texts that create ``canary`` if anything evaluates them."""
    c = repr(str(canary))
    return [
        f"__import__('os').system('touch ' + {c})",
        f"open({c}, 'w')",
        f"exec(\"open({c}, 'w')\")",
        f"eval(\"open({c}, 'w')\")",
        f"(lambda: open({c}, 'w'))()",
        f"x.__class__.__init__.__globals__['os'].system('touch ' + {c})",
        f"[open({c}, 'w') for _ in (1,)]",
        f"f'{{open({c}, \"w\")}}'",
        f"compile(\"open({c}, 'w')\", 'f', 'exec')",
        f"sin(x) + __builtins__.open({c}, 'w')",
        f"x; open({c}, 'w')",
        f"x\nopen({c}, 'w')",
    ]


def huge_inputs():
    """The named big cases of the issue."""
    return {
        "1e6 nested parentheses": "(" * 10**6 + "x" + ")" * 10**6,
        "1e6 unclosed parentheses": "(" * 10**6 + "x",
        "1e5 nested sin": "sin(" * 10**5 + "x" + ")" * 10**5,
        "100,000-digit integer": "9" * 100_000,
        "10**10**10": "10**10**10",
        "2**2**2**2**2**2": "2**2**2**2**2**2",
        "x**10**10": "x**10**10",
        "1e999999": "1e999999 * x",
        "NUL inside": "x\x00 + 1",
        "look-alike minus": "x \u2212 y",
        "full-width x": "\uff58 + 1",
        "CRLF": "x +\r\n y",
        "1e6 minus signs": "-" * 10**6 + "x",
    }


def generate(n, rng, canary):
    """``n`` hostile texts (deterministic for a seeded ``rng``)."""
    alphabet = list(_ASCII + _UNICODE + _CONTROL)
    attacks = payloads(canary)
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:  # random text
            size = int(rng.integers(0, 60))
            out.append("".join(rng.choice(alphabet, size)))
        elif kind in (1, 2):  # a valid expression with a few characters changed
            text = list(_VALID[int(rng.integers(len(_VALID)))])
            for _ in range(int(rng.integers(1, 4))):
                at = int(rng.integers(len(text) + 1))
                edit = int(rng.integers(3))
                if edit == 0 or not text:
                    text.insert(at, str(rng.choice(alphabet)))
                elif edit == 1:
                    del text[min(at, len(text) - 1)]
                else:
                    text[min(at, len(text) - 1)] = str(rng.choice(alphabet))
            out.append("".join(text))
        else:  # an attack, sometimes spliced into a valid expression
            attack = attacks[int(rng.integers(len(attacks)))]
            if rng.random() < 0.5:
                attack = _VALID[int(rng.integers(len(_VALID)))] + " + " + attack
            out.append(attack)
    return out


def _timed(fn, text):
    start = time.perf_counter()
    try:
        fn(text)
        outcome = "expression"
    except ParseError:
        outcome = "ParseError"
    except RecursionError:
        outcome = "RecursionError (bug)"
    except Exception as exc:  # noqa: BLE001 - any other exception is what we count
        outcome = f"{type(exc).__name__} (bug)"
    return outcome, time.perf_counter() - start


def _cli(text):
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        return cli_main(["diff", text])


def run(n, seed=20260118, huge=True):
    """Fuzz ``n`` generated inputs (and the huge ones); return the report dict.

    Keys: ``parse`` and ``cli`` (Counters of outcomes), ``slow`` (inputs over
    :data:`TIME_LIMIT`, with their time), ``max_seconds``, ``canary`` (True if the
    canary file appeared: code was executed).
    """
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        canary = os.path.join(tmp, "canary")
        cases = [(f"generated {i}", t) for i, t in enumerate(generate(n, rng, canary))]
        cases += [(f"attack {i}", t) for i, t in enumerate(payloads(canary))]
        if huge:
            cases += list(huge_inputs().items())
        parse_counts, cli_counts, slow, worst = Counter(), Counter(), [], 0.0
        for i, (name, text) in enumerate(cases):
            outcome, seconds = _timed(parse, text)
            parse_counts[outcome] += 1
            worst = max(worst, seconds)
            if seconds > TIME_LIMIT:
                slow.append((name, round(seconds, 3)))
            cli = i % CLI_SHARE == 0 or not name.startswith("generated")
            if cli and len(text) <= CLI_MAX_CHARS:
                start = time.perf_counter()
                status = _cli(text)
                seconds = time.perf_counter() - start
                cli_counts[f"exit {status}"] += 1
                if seconds > TIME_LIMIT:
                    slow.append((f"cli: {name}", round(seconds, 3)))
        return {
            "parse": parse_counts,
            "cli": cli_counts,
            "slow": slow,
            "max_seconds": worst,
            "canary": os.path.exists(canary),
        }


def broken_rules(report):
    """The rules a report breaks, as sentences (empty: all kept)."""
    problems = [f"parse: {k} x{v}" for k, v in report["parse"].items() if "bug" in k]
    problems += [
        f"cli: {k} x{v}"
        for k, v in report["cli"].items()
        if k not in ("exit 0", "exit 2")
    ]
    problems += [f"over the time limit: {name} ({s} s)" for name, s in report["slow"]]
    if report["canary"]:
        problems.append("the canary file appeared: code was executed")
    return problems


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    start = time.perf_counter()
    report = run(n)
    print(
        f"{n} generated inputs + attacks + huge cases in "
        f"{time.perf_counter() - start:.1f} s"
    )
    print("parse:", dict(report["parse"]))
    print("cli diff:", dict(report["cli"]))
    print(f"slowest input: {report['max_seconds']:.3f} s")
    print("canary file created:", report["canary"])
    problems = broken_rules(report)
    for p in problems:
        print("BROKEN:", p)
    sys.exit(1 if problems else 0)
