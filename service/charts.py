"""Score-over-time charts for the web pages, as plain coordinates for inline SVG (pure).

x runs over the cycle (start to end), y over the score (0 at the bottom, 1 at the top). The pace
line is where a score on track would be: 0 at the cycle start, 1 at its end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Chart", "Point", "score_chart"]


@dataclass(frozen=True, slots=True)
class Point:
    """One History row of the item, placed on the chart."""

    day: dt.date
    score: float | None
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    pace: tuple[float, float, float, float]  # x1, y1, x2, y2
    today: float  # x of as-of

    @property
    def polyline(self) -> str:
        """The SVG `points` of the scored rows, oldest first."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points if p.score is not None)


def score_chart(
    trend: list[tuple[dt.date, float | None]],
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    width: int,
    height: int,
    pad: int = 2,
) -> Chart:
    """The chart of one item's trend in a `width` x `height` box.

    >>> d = dt.date
    >>> chart = score_chart([(d(2026, 10, 1), 0.0), (d(2026, 11, 15), 0.5)],
    ...                     d(2026, 10, 1), d(2026, 12, 30), d(2026, 11, 15), 94, 24)
    >>> chart.polyline, chart.pace
    ('2.0,22.0 47.0,12.0', (2.0, 22.0, 92.0, 2.0))
    """
    span = max((end - start).days, 1)
    inner_w, inner_h = width - 2 * pad, height - 2 * pad

    def x_of(day: dt.date) -> float:
        return pad + inner_w * min(max((day - start).days / span, 0.0), 1.0)

    def y_of(score: float | None) -> float:
        return pad + inner_h * (1 - min(max(score or 0.0, 0.0), 1.0))

    points = [Point(day, score, x_of(day), y_of(score)) for day, score in trend]
    pace = (x_of(start), y_of(0.0), x_of(end), y_of(1.0))
    return Chart(width, height, points, pace, x_of(as_of))
