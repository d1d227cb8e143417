"""The canonical order of operands: a deterministic sort key per node.

Commutative operands are sorted when a node is built, so ``x + y`` and ``y + x`` are
one node.  The key must not depend on ``id`` or on Python's randomised string hashes
(canonical forms, printed output and generated code are the same in every run), so it
is made of the lead symbol's name, the degree and a 64-bit digest computed from the
op, its parameters and its operands' digests.
"""

from __future__ import annotations

import zlib

__all__ = ["sort_key"]

_MASK = (1 << 64) - 1


def _mix(h, x):
    """Deterministic 64-bit hash step (FNV-like), stable across processes."""
    return ((h ^ x) * 0x100000001B3) & _MASK


def _digest_text(text):
    return zlib.crc32(text.encode()) * 0x9E3779B1 & _MASK


def _digest_leaf(leafkey):
    # an array constant's key holds its bytes: checksum them as they are (repr of a
    # 10^5-element array's bytes was most of the time of building a large model)
    if leafkey and leafkey[0] == "a":
        head = zlib.crc32(repr(leafkey[:3]).encode())
        return zlib.crc32(leafkey[3], head) * 0x9E3779B1 & _MASK
    if leafkey and leafkey[0] in ("i", "q") and max(map(_bits, leafkey[1:])) > 4000:
        # integers too long for repr (Python's limit on digits): their bytes
        h = zlib.crc32(leafkey[0].encode())
        for v in leafkey[1:]:
            h = zlib.crc32(
                v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True), h
            )
        return h * 0x9E3779B1 & _MASK
    return _digest_text(repr(leafkey))


def _bits(v):
    return v.bit_length()


_OP_DIGEST: dict = {}
_DEGREE_OPS = {"add": max, "sub": max, "maximum": max, "minimum": max}
# degrees are bounded: a chain of squares would carry a 2**depth integer (the digest
# still orders what sorts equal by degree)
_MAX_DEGREE = 1 << 30


def sort_key(op, args, items, leafkey):
    """A deterministic total order used to canonicalise commutative operands.

    ``(lead symbol name, -degree, digest)``: reads naturally (``x**2`` before ``x``,
    constants first) and is stable across runs, unlike ``id``-based hashes.
    """
    if not args:
        if op == "symbol":
            return (items[0][1], -1, _digest_leaf(leafkey))
        # only constants have the empty lead, so they sort before everything else
        # (rules rely on a product's constant factor being its first argument)
        return ("" if op == "const" else "\x00", 0, _digest_leaf(leafkey))
    h = _OP_DIGEST.get(op)
    if h is None:
        h = _OP_DIGEST[op] = _digest_text(op)
    if items:
        h = _mix(h, _digest_text(repr(items)))
    lead = ""
    for a in args:
        ka = a.key
        h = ((h ^ ka[2]) * 0x100000001B3) & _MASK  # _mix, inlined: this is hot
        if not lead:
            lead = ka[0] or "\x00"
    if op == "mul":
        deg = args[0].key[1] + args[1].key[1]
    elif op == "neg":
        deg = args[0].key[1]
    elif op in _DEGREE_OPS:
        deg = min(a.key[1] for a in args)
    elif op == "pow" and args[1].op == "const" and isinstance(args[1].value, int):
        deg = max(-_MAX_DEGREE, min(_MAX_DEGREE, args[0].key[1] * args[1].value))
    else:
        deg = 0
    return (lead, deg, h)
