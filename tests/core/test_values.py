"""Cell parsing: numbers, yes/no, targets and dates, as tables and as properties."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.model import TargetKind
from sync.values import BadValue, cell_text, parse_date, parse_number, parse_target, parse_yes_no


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (0, 0.0),
        (12, 12.0),
        (3.25, 3.25),
        (True, 1.0),
        (False, 0.0),
        ("42", 42.0),
        (" 42 ", 42.0),
        ("1,200", 1200.0),
        ("1,234,567.5", 1234567.5),
        ("45%", 0.45),
        (" 45 % ", 0.45),
        ("$3.5", 3.5),
        ("€1,200", 1200.0),
        ("-$3.5", -3.5),
        ("(5)", -5.0),
        ("-0.5", -0.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("TRUE", 1.0),
        ("false", 0.0),
        ("Yes", 1.0),
        ("no", 0.0),
        ("done", 1.0),
        ("1\u00a0200", 1200.0),
    ],
)
def test_parse_number_reads_what_people_type(cell: object, expected: float | None) -> None:
    assert (
        parse_number(cell) == pytest.approx(expected)
        if expected is not None
        else parse_number(cell) is None
    )


@pytest.mark.parametrize(
    "cell",
    [
        "abc",
        "1,5",
        "12,34",
        "1.2.3",
        "--5",
        "5-",
        "nan",
        "inf",
        "%",
        "$",
        float("nan"),
        float("inf"),
        dt.date(2026, 1, 1),
        "1,2000",
        "maybe",
        "1e309",
        "-1e309",
        "$1e309",
        "1e309%",
        "+1e309",
        "-inf",
        "Infinity",
        float("-inf"),
    ],
)
def test_parse_number_refuses_what_it_cannot_read(cell: object) -> None:
    with pytest.raises(BadValue):
        parse_number(cell)


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4))
def test_grouped_and_plain_text_agree(value) -> None:  # type: ignore[no-untyped-def]
    plain = format(value, "f")
    grouped = format(value, ",f")
    assert parse_number(plain) == pytest.approx(float(value))
    assert parse_number(grouped) == pytest.approx(float(value))


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_numbers_and_their_text_agree(value: float) -> None:
    assert parse_number(value) == value
    assert parse_number(repr(value)) == pytest.approx(value)
    assert parse_number(f"{value * 100!r}%") == pytest.approx(value, abs=1e-9)


@given(st.text())
def test_parse_number_never_crashes(text: str) -> None:
    try:
        result = parse_number(text)
    except BadValue:
        return
    assert result is None or (isinstance(result, float) and math.isfinite(result))


@given(st.one_of(st.text(), st.floats(), st.integers()))
def test_every_number_read_is_finite(cell: object) -> None:
    for parse in (parse_number, parse_yes_no, lambda c: parse_target(c)[1]):
        try:
            result = parse(cell)
        except BadValue:
            continue
        assert result is None or math.isfinite(result)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, None),
        ("yes", 1.0),
        ("TRUE", 1.0),
        (True, 1.0),
        ("done", 1.0),
        (1, 1.0),
        (2, 1.0),
        (0.99, 0.0),
        ("no", 0.0),
        (False, 0.0),
        (0, 0.0),
        ("50%", 0.0),
        ("100%", 1.0),
    ],
)
def test_parse_yes_no(cell: object, expected: float | None) -> None:
    assert parse_yes_no(cell) == expected


@pytest.mark.parametrize(
    ("cell", "kind", "bound"),
    [
        (100, TargetKind.NUMBER, 100.0),
        ("1,200", TargetKind.NUMBER, 1200.0),
        ("45%", TargetKind.NUMBER, 0.45),
        (">= 99.9", TargetKind.AT_LEAST, 99.9),
        (">=99.9%", TargetKind.AT_LEAST, 0.999),
        ("<= 2", TargetKind.AT_MOST, 2.0),
        ("≤ 2", TargetKind.AT_MOST, 2.0),
        ("> 5", TargetKind.ABOVE, 5.0),
        ("< 5", TargetKind.BELOW, 5.0),
        ("TRUE", TargetKind.YES_NO, 1.0),
        (True, TargetKind.YES_NO, 1.0),
        ("yes", TargetKind.YES_NO, 1.0),
        ("Done", TargetKind.YES_NO, 1.0),
        (None, TargetKind.NONE, None),
        ("  ", TargetKind.NONE, None),
        ("no", TargetKind.NUMBER, 0.0),
    ],
)
def test_parse_target(cell: object, kind: TargetKind, bound: float | None) -> None:
    assert parse_target(cell) == (kind, pytest.approx(bound) if bound is not None else None)


@pytest.mark.parametrize("cell", [">= lots", ">=", "about 5", "<= 1,5"])
def test_parse_target_refuses(cell: str) -> None:
    with pytest.raises(BadValue):
        parse_target(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, None),
        ("", None),
        (dt.date(2026, 11, 5), dt.date(2026, 11, 5)),
        (dt.datetime(2026, 11, 5, 14, 30), dt.date(2026, 11, 5)),
        ("2026-11-05", dt.date(2026, 11, 5)),
        (" 2026-11-05 ", dt.date(2026, 11, 5)),
        ("2026-11-05 10:30", dt.date(2026, 11, 5)),
        ("2026-11-05T10:30:00", dt.date(2026, 11, 5)),
        (46331, dt.date(2026, 11, 5)),
        (46331.75, dt.date(2026, 11, 5)),
    ],
)
def test_parse_date(cell: object, expected: dt.date | None) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    "cell", ["yesterday", "05/11/2026", "2026-13-01", "2026-02-30", True, -3, 0]
)
def test_parse_date_refuses(cell: object) -> None:
    with pytest.raises(BadValue, match="YYYY-MM-DD"):
        parse_date(cell)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_dates_round_trip_through_serials_and_text(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, ""),
        (" a ", "a"),
        (101.0, "101"),
        (101, "101"),
        (1.5, "1.5"),
        (True, "TRUE"),
        (dt.date(2026, 1, 2), "2026-01-02"),
        ("ÉQUIPE-1", "ÉQUIPE-1"),
    ],
)
def test_cell_text(cell: object, expected: str) -> None:
    assert cell_text(cell) == expected
