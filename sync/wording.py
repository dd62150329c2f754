"""Small phrases every text output shares (pure)."""

from __future__ import annotations

from .model import Result

__all__ = ["cycle_phrase", "plural"]


def plural(count: int, noun: str) -> str:
    """
    >>> plural(1, "team"), plural(3, "team")
    ('1 team', '3 teams')
    """
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def cycle_phrase(result: Result) -> str:
    """Where the run stands in its cycle, in words."""
    if result.cycle_ended:
        return f"the cycle ended on {result.cycle.end.isoformat()}; statuses are final"
    return f"{result.cycle.expected:.0%} of the cycle elapsed"
