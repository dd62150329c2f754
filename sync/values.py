"""Reading what people type into cells: numbers, yes/no, thresholds, dates and text (pure).

Each parser returns a value, `None` for a blank cell, or raises `BadValue` with a hint that the
caller turns into a finding naming the row, the column and the value.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from .model import TargetKind

__all__ = [
    "BadValue",
    "cell_text",
    "column_letters",
    "is_blank",
    "parse_confidence",
    "parse_date",
    "parse_number",
    "parse_per_minute",
    "parse_target",
    "parse_yes_no",
]

YES_WORDS = frozenset({"true", "yes", "done"})
NO_WORDS = frozenset({"false", "no"})
# Spreadsheet day 0: 1899-12-30 (Excel and Google agree for every date after 1900-03-01).
SERIAL_EPOCH = dt.date(1899, 12, 30)
_CURRENCY = "$€£¥"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_THRESHOLD = re.compile(r"(>=|<=|≥|≤|>|<)\s*(.+)")
_THRESHOLD_KINDS = {
    ">=": TargetKind.AT_LEAST,
    "≥": TargetKind.AT_LEAST,
    "<=": TargetKind.AT_MOST,
    "≤": TargetKind.AT_MOST,
    ">": TargetKind.ABOVE,
    "<": TargetKind.BELOW,
}
_NUMBER_WITH_WORDS = re.compile(r"([^A-Za-z]*\d[^A-Za-z]*?)\s+[^\W\d][\w\s.]*")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


class BadValue(ValueError):  # noqa: N818 - reads as "a bad value"
    """A cell that cannot be read as what its column needs; the message says what to type."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letters(number: int) -> str:
    """A 1-based column number as spreadsheets name it.

    >>> column_letters(1), column_letters(1000), column_letters(16384)
    ('A', 'ALL', 'XFD')
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell as trimmed text; whole floats lose their `.0` (an ID typed as 101 reads `101`).

    >>> cell_text(101.0), cell_text("  ENG-1 "), cell_text(None)
    ('101', 'ENG-1', '')
    """
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_number(value: object) -> float | None:
    """A number from a cell: numbers, `1,200`, `45%`, `$3.5`, yes/no words as 1/0.

    >>> parse_number("1,200"), parse_number(" 45% "), parse_number("$3.5"), parse_number("done")
    (1200.0, 0.45, 3.5, 1.0)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise BadValue("is not a finite number")
        return number
    if isinstance(value, dt.date):
        raise BadValue("is a date, not a number")
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "")
    if not text:
        return None
    word = text.casefold()
    if word in YES_WORDS:
        return 1.0
    if word in NO_WORDS:
        return 0.0
    return _parse_numeric_text(text)


def parse_per_minute(value: object) -> int:
    """A limit of requests per minute, as typed in the hub's Settings or the environment: a
    whole number >= 1 (plain digits; no separators or words).

    >>> parse_per_minute(" 300 "), parse_per_minute(120.0)
    (300, 120)
    """
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not number.is_integer() or number < 1:
        raise BadValue(f"{text!r} is not a whole number of requests >= 1")
    return int(number)


def _parse_numeric_text(text: str) -> float:
    negative = False
    body = text
    if body.startswith("(") and body.endswith(")"):  # accounting negative: (5)
        negative, body = True, body[1:-1].strip()
    if body[:1] in "+-" and body[1:2] in _CURRENCY:  # -$3.5
        negative, body = negative ^ (body[0] == "-"), body[1:]
    if body[:1] in _CURRENCY:
        body = body[1:].strip()
    percent = body.endswith("%")
    if percent:
        body = body[:-1].strip()
    if _GROUPED_NUMBER.fullmatch(body):
        body = body.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(body):
        suggestion = _unit_hint(text)
        if suggestion:
            raise BadValue(f"is not a number; did you mean {suggestion} (the number alone)")
        raise BadValue("is not a number; type digits like 1200, 1,200, 45% or $3.5")
    number = float(body) / (100 if percent else 1)
    if not math.isfinite(number):  # 1e309
        raise BadValue("is too large to be a number; type a smaller number")
    return -number if negative else number


def _unit_hint(text: str) -> str:
    """For a number typed with words after it, the number alone; else nothing.

    >>> _unit_hint("120 customers"), _unit_hint("lots")
    ('120', '')
    """
    match = _NUMBER_WITH_WORDS.fullmatch(text)
    if match is None:
        return ""
    try:
        number = _parse_numeric_text(match.group(1))
    except BadValue:
        return ""
    return match.group(1).strip() if math.isfinite(number) else ""


def parse_yes_no(value: object) -> float | None:
    """A yes/no cell as 1/0: yes words, or a number >= 1 for yes.

    >>> parse_yes_no("Yes"), parse_yes_no(0.5), parse_yes_no(None)
    (1.0, 0.0, None)
    """
    try:
        number = parse_number(value)
    except BadValue:
        raise BadValue(
            "is not yes or no; this key result's target is yes/no, so type yes or no"
        ) from None
    if number is None:
        return None
    return 1.0 if number >= 1 else 0.0


CONFIDENCE_WORDS = {"low": 3.0, "medium": 6.0, "high": 9.0}
CONFIDENCE_FORMS = "type a number from 0 to 10, a percentage like 70%, or Low, Medium or High"


def parse_confidence(value: object) -> float | None:
    """An owner's forecast on a 0-10 scale: a number, a percentage read as tenths, or a word.

    >>> [parse_confidence(v) for v in (7, "70%", " high ", "")]
    [7.0, 7.0, 9.0, None]
    """
    if isinstance(value, str):
        text = value.strip()
        word = CONFIDENCE_WORDS.get(text.casefold())
        if word is not None:
            return word
        value = text
    if isinstance(value, bool) or cell_text(value).casefold() in YES_WORDS | NO_WORDS:
        raise BadValue(f"is not a confidence; {CONFIDENCE_FORMS}")
    try:
        number = parse_number(value)
    except BadValue:
        raise BadValue(f"is not a confidence; {CONFIDENCE_FORMS}") from None
    if number is None:
        return None
    if isinstance(value, str) and value.endswith("%"):
        number = round(number * 10, 9)  # 70% -> 0.7 -> 7 tenths
    if not 0 <= number <= 10:
        raise BadValue(f"is outside 0-10; {CONFIDENCE_FORMS}")
    return number


def parse_target(value: object) -> tuple[TargetKind, float | None]:
    """A key result's target: a number, a threshold (`>= 99.9`, `<= 2`) or a yes/no target.

    >>> [(kind.value, bound) for kind, bound in (parse_target("<= 2"), parse_target("yes"))]
    [('<=', 2.0), ('yes_no', 1.0)]
    """
    if value is True:
        return TargetKind.YES_NO, 1.0
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in YES_WORDS:
            return TargetKind.YES_NO, 1.0
        match = _THRESHOLD.fullmatch(text)
        if match:
            try:
                bound = parse_number(match.group(2))
            except BadValue:
                raise BadValue(
                    "is not a threshold; type >= or <= followed by a number, like >= 99.9"
                ) from None
            if bound is None:
                raise BadValue("has no number after the comparison; type like >= 99.9")
            return _THRESHOLD_KINDS[match.group(1)], bound
    number = parse_number(value)
    if number is None:
        return TargetKind.NONE, None
    return TargetKind.NUMBER, number


def parse_date(value: object) -> dt.date | None:
    """A date cell, a `YYYY-MM-DD` text or a spreadsheet serial number (days since 1899-12-30).

    >>> parse_date("2026-11-05"), parse_date(46331)
    (datetime.date(2026, 11, 5), datetime.date(2026, 11, 5))
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise BadValue("is not a date; type it as YYYY-MM-DD")
    if isinstance(value, int | float):
        if not (1 <= value <= 2958465):  # up to 9999-12-31
            raise BadValue("is not a date; type it as YYYY-MM-DD")
        return SERIAL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    if not text:
        return None
    match = _ISO_DATE.fullmatch(text)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match:
        return _unambiguous_date(*(int(part) for part in match.groups()))
    raise BadValue("is not a date; type it as YYYY-MM-DD (for example 2026-11-05)")


def _unambiguous_date(first: int, second: int, year: int) -> dt.date:
    """`21/11/2026` or `11/21/2026`: read when only one of day-month and month-day is a date
    (or both give the same day); otherwise refused as ambiguous.

    >>> _unambiguous_date(21, 11, 2026), _unambiguous_date(11, 21, 2026)
    (datetime.date(2026, 11, 21), datetime.date(2026, 11, 21))
    """
    readings = set()
    for day, month in ((first, second), (second, first)):
        try:
            readings.add(dt.date(year, month, day))
        except ValueError:
            continue
    if len(readings) == 1:
        return readings.pop()
    if readings:
        day_first, month_first = sorted(readings)
        raise BadValue(
            f"could be {day_first.isoformat()} or {month_first.isoformat()}; type it as YYYY-MM-DD"
        )
    raise BadValue("is not a date; type it as YYYY-MM-DD (for example 2026-11-05)")
