"""The state's container: gzip members one after another, so a save compresses only what changed.

The first member holds the sizes of the others; the second the state's JSON document, in which a
large value stands as `{"m": n}`, the n-th member after it: a JSON value of its own (a column of
the ledger, a log's rows) or bytes packed already (a sheet's grid, a team's `--json` piece),
kept as they are. A value decoded from a member is remembered with that member (by identity),
so that saving it again, unchanged, costs nothing but copying the member: a value read is never
changed in place; a change makes a new value.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable
from typing import Any

__all__ = ["Kept", "MemberReader", "MemberWriter", "join", "split"]

LEVEL = 1  # a sync saves the state each time it runs
Kept = dict[int, tuple[object, bytes]]  # id(value) -> (value, the member it was read from)


def _member(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=LEVEL, mtime=0)


class MemberWriter:
    """Members for a document's large values, reusing those of values read unchanged."""

    def __init__(self, kept: Kept, dumps: Callable[[object], str]) -> None:
        self.kept = kept
        self.dumps = dumps
        self.members: list[bytes] = []

    def json(self, value: object) -> dict[str, int]:
        """A reference to a member holding `value` as JSON."""
        known = self.kept.get(id(value))
        if known is not None and known[0] is value:
            member = known[1]
        else:
            member = _member(self.dumps(value))
            self.kept[id(value)] = (value, member)
        return self._add(member)

    def raw(self, packed: bytes) -> dict[str, int]:
        """A reference to `packed` (gzip bytes) as a member of its own."""
        return self._add(packed)

    def _add(self, member: bytes) -> dict[str, int]:
        self.members.append(member)
        return {"m": len(self.members) - 1}


class MemberReader:
    """The members after the document, decoded when asked for."""

    def __init__(self, members: list[bytes], kept: Kept, hook: Callable[[dict[str, Any]], Any]):
        self.members = members
        self.kept = kept
        self.hook = hook

    def _at(self, reference: Any) -> bytes:
        if type(reference) is not dict or type(reference.get("m")) is not int:
            raise ValueError(f"{reference!r} names no member")
        return self.members[reference["m"]]

    def json(self, reference: Any) -> Any:
        member = self._at(reference)
        value = json.loads(gzip.decompress(member), object_hook=self.hook)
        self.kept[id(value)] = (value, member)
        return value

    def raw(self, reference: Any) -> bytes:
        return self._at(reference)


def join(document: str, members: list[bytes]) -> bytes:
    """The container: the sizes, the document, the members."""
    head = _member(document)
    sizes = _member(json.dumps([len(head), *map(len, members)]))
    return b"".join([sizes, head, *members])


def split(data: bytes) -> tuple[bytes, list[bytes]]:
    """The document's JSON text and the members of a container (ValueError if it is none)."""
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        sizes = json.loads(reader.decompress(data))
    except zlib.error as err:
        raise ValueError(f"not a state container ({err})") from None
    rest = reader.unused_data
    if type(sizes) is not list or not sizes or any(type(n) is not int or n < 0 for n in sizes):
        raise ValueError("its table of sizes is damaged")
    if sum(sizes) != len(rest):
        raise ValueError("its members are not the sizes it says")
    parts, at = [], 0
    for size in sizes:
        parts.append(rest[at : at + size])
        at += size
    return gzip.decompress(parts[0]), parts[1:]
