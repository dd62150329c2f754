""" "Did you mean …?" for names and IDs people mistype (pure, difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .model import id_key

__all__ = ["closest", "did_you_mean"]

CUTOFF = 0.6  # difflib's ratio below which two names are not worth suggesting
MAX_CANDIDATES = 2000  # above this, compare only names sharing the first two characters


def closest(typed: str, known: Iterable[str]) -> str | None:
    """The known name closest to `typed` (compared case-folded), or None when none is close.
    Only names with the same digits are offered: `PLAT-9` is a number typed on purpose, and
    `PLAT-6` would be a wrong guess.

    >>> closest("Enginering", ["Sales", "Engineering"])
    'Engineering'
    >>> closest("SAL1", ["SAL-1", "SAL-2", "ENG-1"])
    'SAL-1'
    >>> closest("Zzz", ["Sales"]) is None, closest("PLAT-9", ["PLAT-6"]) is None
    (True, True)
    """
    by_key: dict[str, str] = {}
    for name in known:
        by_key.setdefault(id_key(name), name)
    wanted = id_key(typed)
    digits = _digits(wanted)
    candidates = [key for key in by_key if _digits(key) == digits]
    if len(candidates) > MAX_CANDIDATES:  # keeps a run over 100,000 IDs fast
        candidates = [key for key in candidates if key[:2] == wanted[:2]][:MAX_CANDIDATES]
    found = difflib.get_close_matches(wanted, candidates, n=1, cutoff=CUTOFF)
    return by_key[found[0]] if found else None


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def did_you_mean(typed: str, known: Iterable[str]) -> str:
    """` Did you mean X?` to end a message with, or nothing.

    >>> did_you_mean("sles", ["Sales"])
    ' Did you mean Sales?'
    """
    found = closest(typed, known)
    return f" Did you mean {found}?" if found else ""
