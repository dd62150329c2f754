""" "Did you mean …?" for names and IDs people mistype (pure, difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .model import id_key

__all__ = ["closest", "did_you_mean"]

CUTOFF = 0.6  # difflib's ratio below which two names are not worth suggesting


def closest(typed: str, known: Iterable[str]) -> str | None:
    """The known name closest to `typed` (compared case-folded), or None when none is close.

    >>> closest("Enginering", ["Sales", "Engineering"])
    'Engineering'
    >>> closest("SAL1", ["SAL-1", "SAL-2", "ENG-1"])
    'SAL-1'
    >>> closest("Zzz", ["Sales"]) is None
    True
    """
    by_key: dict[str, str] = {}
    for name in known:
        by_key.setdefault(id_key(name), name)
    found = difflib.get_close_matches(id_key(typed), list(by_key), n=1, cutoff=CUTOFF)
    return by_key[found[0]] if found else None


def did_you_mean(typed: str, known: Iterable[str]) -> str:
    """`; did you mean X?` to append to a message, or nothing.

    >>> did_you_mean("sles", ["Sales"])
    '; did you mean Sales?'
    """
    found = closest(typed, known)
    return f"; did you mean {found}?" if found else ""
