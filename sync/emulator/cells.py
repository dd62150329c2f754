"""What a cell holds and how it reads back: input parsing, formulas and number formats.

A cell is kept as the API's own ``CellData`` dict (``userEnteredValue``, ``userEnteredFormat``,
``dataValidation``, ``note``), so field masks in ``repeatCell``/``updateCells`` apply to it
directly. Effective and formatted values are computed on read from those fields.

>>> parse_user_entered("45%")
({'numberValue': 0.45}, {'type': 'PERCENT', 'pattern': '0%'})
>>> format_number(2000000.01, {"type": "NUMBER", "pattern": "#,##0.00"})
'2,000,000.01'
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from ..google.cells import ERROR_TEXT

__all__ = [
    "Cell",
    "DATE_TYPES",
    "ExtendedValue",
    "effective_value",
    "format_number",
    "formatted_value",
    "hyperlink",
    "is_blank",
    "parse_user_entered",
    "raw_value",
    "render",
    "seed_result",
    "serial_to_date",
    "date_to_serial",
]

Cell = dict[str, Any]
ExtendedValue = dict[str, Any]

DATE_TYPES = frozenset({"DATE", "TIME", "DATE_TIME"})
_EPOCH = dt.datetime(1899, 12, 30)
_DATE = {"type": "DATE", "pattern": "yyyy-mm-dd"}
_DATE_TIME = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_CURRENCY = re.compile(r"^([+-]?)\$(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.?\d*|\.\d+)$")
_ISO_DATE = re.compile(
    r"^(\d{4})([-/])(\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_NAMED_DATE = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")
_MONTHS = {
    name: i + 1
    for i, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_STRING = r'"((?:[^"]|"")*)"'
_HYPERLINK = re.compile(rf"^=\s*HYPERLINK\(\s*{_STRING}\s*(?:[,;]\s*{_STRING}\s*)?\)\s*$", re.I)
_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


def date_to_serial(value: dt.date | dt.datetime) -> float:
    """A date as the spreadsheet's serial number (days since 1899-12-30)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value - _EPOCH
    return delta.days + delta.seconds / 86400


def serial_to_date(serial: float) -> dt.datetime:
    """The inverse of :func:`date_to_serial`."""
    return _EPOCH + dt.timedelta(seconds=round(serial * 86400))


def _number(value: float) -> int | float:
    """Integral floats as ints, as Google's JSON writes them (``2``, not ``2.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _pattern(grouped: bool, decimals: int, suffix: str = "", prefix: str = "") -> str:
    body = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
    return f"{prefix}{body}{suffix}"


def parse_user_entered(text: str) -> tuple[ExtendedValue, dict[str, str] | None]:
    """Interpret typed text as the Sheets UI does; returns the value and any implied format.

    Covers what teams type into OKR sheets: plain and grouped numbers, percentages, dollar
    amounts, TRUE/FALSE, ISO and US dates, formulas, and a leading apostrophe to force text.
    """
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    upper = stripped.upper()
    if upper in ("TRUE", "FALSE"):
        return {"boolValue": upper == "TRUE"}, None
    if _NUMBER.match(stripped):
        return {"numberValue": _number(float(stripped))}, None
    if _GROUPED.match(stripped):
        pattern = _pattern(True, _decimals(stripped))
        return {"numberValue": _number(float(stripped.replace(",", "")))}, {
            "type": "NUMBER",
            "pattern": pattern,
        }
    if stripped.endswith("%"):
        body = stripped[:-1].strip()
        if _NUMBER.match(body) or _GROUPED.match(body):
            value = float(body.replace(",", "")) / 100
            pattern = _pattern(False, _decimals(body), "%")
            return {"numberValue": _number(round(value, 15))}, {
                "type": "PERCENT",
                "pattern": pattern,
            }
    currency = _CURRENCY.match(stripped)
    if currency:
        sign, amount = currency.groups()
        value = float(amount.replace(",", "")) * (-1 if sign == "-" else 1)
        return {"numberValue": _number(value)}, {
            "type": "CURRENCY",
            "pattern": '"$"#,##0.00',
        }
    date = _parse_date(stripped)
    if date is not None:
        return date
    return {"stringValue": text}, None


def _parse_date(text: str) -> tuple[ExtendedValue, dict[str, str]] | None:
    """ISO dates and date-times, US ``M/D/YYYY`` and ``Nov 5, 2026``, as en_US Sheets reads them."""
    try:
        iso, us, named = _ISO_DATE.match(text), _US_DATE.match(text), _NAMED_DATE.match(text)
        if iso:
            year, sep, month, day, hour, minute, second = iso.groups()
            moment = dt.datetime(int(year), int(month), int(day))
            pattern = f"yyyy{sep}mm{sep}dd"
            if hour is not None:
                moment = moment.replace(hour=int(hour), minute=int(minute), second=int(second or 0))
                clock = "hh:mm:ss" if second is not None else "hh:mm"
                serial = date_to_serial(moment)
                return {"numberValue": _number(serial)}, {
                    "type": "DATE_TIME",
                    "pattern": f"{pattern} {clock}",
                }
        elif us:
            month, day, year = us.groups()
            moment, pattern = dt.datetime(int(year), int(month), int(day)), "M/d/yyyy"
        elif named:
            name, day, year = named.groups()
            month_number = _MONTHS.get(name[:3].lower())
            if month_number is None:
                return None
            moment = dt.datetime(int(year), month_number, int(day))
            pattern = "mmmm d, yyyy" if len(name) > 3 else "mmm d, yyyy"
        else:
            return None
    except ValueError:
        return None
    return {"numberValue": _number(date_to_serial(moment))}, {"type": "DATE", "pattern": pattern}


def raw_value(value: Any, user_entered: bool) -> tuple[ExtendedValue | None, dict[str, str] | None]:
    """A JSON value from a ``values`` write as a ``userEnteredValue``; ``None`` clears the cell.

    RAW keeps strings literally; USER_ENTERED parses them. Numbers and booleans are the same
    either way; ``date``/``datetime`` objects (from seeding, e.g. out of openpyxl) become dates.
    """
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return {"numberValue": _number(date_to_serial(value))}, _DATE
        return {"numberValue": _number(date_to_serial(value))}, _DATE_TIME
    if isinstance(value, dt.date):
        return {"numberValue": _number(date_to_serial(value))}, _DATE
    if isinstance(value, int | float):
        return {"numberValue": _number(float(value)) if isinstance(value, float) else value}, None
    text = str(value)
    if text == "":
        return None, None
    if user_entered:
        return parse_user_entered(text)
    return {"stringValue": text}, None


# What Google says of the errors a formula here can give; the text is what cells show.
_ERROR_MESSAGES = {
    "DIVIDE_BY_ZERO": "Function DIVIDE parameter 2 cannot be zero.",
    "REF": "Reference does not exist.",
    "N_A": "Value not available.",
}
_ERROR_TYPES = {text: kind for kind, text in ERROR_TEXT.items()}
_SEEDED = "seededResult"  # not a CellData field: never sent, and kept only with its formula
_NA_CALL = re.compile(r"^NA\(\s*\)$", re.I)


def _error(kind: str) -> ExtendedValue:
    """An `errorValue`, as Google gives for a formula that fails (`=1/0`, `=#REF!`)."""
    return {"errorValue": {"type": kind, "message": _ERROR_MESSAGES.get(kind, "Error")}}


def _error_text(value: ExtendedValue) -> str:
    """How an error cell reads in every value render option: `#DIV/0!`, `#REF!`, ..."""
    return ERROR_TEXT.get(str(value["errorValue"].get("type")), "#ERROR!")


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _evaluate(node.operand)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    raise ValueError("not plain arithmetic")


def _formula_result(formula: str) -> ExtendedValue | None:
    link = _HYPERLINK.match(formula)
    if link:
        url, label = (None if g is None else g.replace('""', '"') for g in link.groups())
        return {"stringValue": label if label is not None else url}
    expression = formula[1:].replace("^", "**").strip()
    typed_error = _ERROR_TYPES.get(expression.upper())
    if typed_error is not None:
        return _error(typed_error)
    if _NA_CALL.match(expression):
        return _error("N_A")
    if not re.fullmatch(r"[\d\s.+\-*/()eE]+", expression.replace("**", "*")):
        return None
    try:
        result = _evaluate(ast.parse(expression, mode="eval").body)
    except ZeroDivisionError:
        return _error("DIVIDE_BY_ZERO")
    except (SyntaxError, ValueError, OverflowError, RecursionError):
        return None
    if math.isnan(result) or math.isinf(result):
        return None
    return {"numberValue": _number(result)}


def seed_result(cell: Cell, value: Any) -> None:
    """Give a formula cell the result its workbook saved (Excel keeps one per formula), shown
    while the fake cannot compute the formula and its text is unchanged."""
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
    if formula is None or value is None:
        return
    error = _ERROR_TYPES.get(value) if isinstance(value, str) else None
    result = _error(error) if error else raw_value(value, False)[0]
    if result is not None:
        cell[_SEEDED] = {"formula": formula, "value": result}


def effective_value(cell: Cell) -> ExtendedValue | None:
    """The value the cell shows: formulas computed when plain arithmetic or HYPERLINK, else the
    result seeded with them (`seed_result`)."""
    entered = cell.get("userEnteredValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        computed = _formula_result(entered["formulaValue"])
        seeded = cell.get(_SEEDED)
        if computed is None and seeded and seeded["formula"] == entered["formulaValue"]:
            return dict(seeded["value"])
        return computed
    return dict(entered)


def hyperlink(cell: Cell) -> str | None:
    """The target of a ``=HYPERLINK(...)`` formula, reported as ``CellData.hyperlink``."""
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
    match = _HYPERLINK.match(formula) if isinstance(formula, str) else None
    return match.group(1).replace('""', '"') if match else None


def is_blank(cell: Cell | None) -> bool:
    """A cell with no value counts as empty for ``values`` answers, whatever its format."""
    return cell is None or not cell.get("userEnteredValue")


def _general(value: float) -> str:
    """Google's automatic number format: up to 10 decimals, no trailing zeros."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e15 or abs(value) < 1e-10:
        mantissa, exponent = f"{value:.2E}".split("E")
        return f"{mantissa}E{int(exponent):+03d}"
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


_DATE_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|am/pm|.", re.I)


def _format_date(value: float, pattern: str) -> str:
    """Render a serial with a date/time pattern; ``m``/``mm`` mean minutes next to h or s."""
    moment = serial_to_date(value)
    tokens = _DATE_TOKEN.findall(pattern)
    kinds = [t.lower() for t in tokens]
    twelve = "am/pm" in kinds
    hour = moment.hour % 12 or 12 if twelve else moment.hour
    fixed = {
        "yyyy": f"{moment.year:04d}",
        "yy": f"{moment.year % 100:02d}",
        "mmmm": moment.strftime("%B"),
        "mmm": moment.strftime("%b"),
        "dddd": moment.strftime("%A"),
        "ddd": moment.strftime("%a"),
        "dd": f"{moment.day:02d}",
        "d": str(moment.day),
        "hh": f"{hour:02d}",
        "h": str(hour),
        "ss": f"{moment.second:02d}",
        "am/pm": "AM" if moment.hour < 12 else "PM",
    }
    out = []
    for i, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        if kind in ("m", "mm"):
            before = [k for k in kinds[:i] if k in fixed or k in ("m", "mm")]
            after = [k for k in kinds[i + 1 :] if k in fixed or k in ("m", "mm")]
            minute = bool(before and before[-1] in ("h", "hh")) or bool(after and after[0] == "ss")
            number = moment.minute if minute else moment.month
            out.append(f"{number:02d}" if kind == "mm" else str(number))
        else:
            out.append(fixed.get(kind, token))
    return "".join(out)


def format_number(value: float, number_format: dict[str, Any] | None) -> str:
    """Render a number with a cell's ``numberFormat``; automatic when there is none."""
    if not number_format or not number_format.get("pattern"):
        kind = (number_format or {}).get("type")
        if kind == "PERCENT":
            return _general(value * 100) + "%"
        if kind in DATE_TYPES:
            return _format_date(value, "yyyy-mm-dd" if kind == "DATE" else "yyyy-mm-dd hh:mm:ss")
        return _general(value)
    pattern = str(number_format["pattern"])
    if number_format.get("type") in DATE_TYPES:
        return _format_date(value, pattern)
    prefix_match = re.match(r'^(?:"([^"]*)"|\[\$([^\]-]*)[^\]]*\])?', pattern)
    prefix = ""
    if prefix_match:
        prefix = prefix_match.group(1) or prefix_match.group(2) or ""
        pattern = pattern[prefix_match.end() :]
    percent = pattern.endswith("%")
    body = pattern.rstrip("%")
    decimals = len(body.split(".", 1)[1]) if "." in body else 0
    shown = value * 100 if percent else value
    text = f"{abs(shown):,.{decimals}f}" if "," in body else f"{abs(shown):.{decimals}f}"
    sign = "-" if shown < 0 and float(text.replace(",", "")) != 0 else ""
    return f"{sign}{prefix}{text}{'%' if percent else ''}"


def formatted_value(cell: Cell) -> str | None:
    """``FORMATTED_VALUE`` rendering of a cell, ``None`` when it is empty."""
    value = effective_value(cell)
    if value is None:
        return "" if cell.get("userEnteredValue") else None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    if "numberValue" in value:
        number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat")
        return format_number(float(value["numberValue"]), number_format)
    if "errorValue" in value:
        return _error_text(value)
    return None


def render(cell: Cell, value_option: str, date_option: str) -> Any:
    """One cell as ``values`` answers give it, per valueRenderOption and dateTimeRenderOption."""
    if value_option == "FORMATTED_VALUE":
        return formatted_value(cell)
    entered = cell.get("userEnteredValue") or {}
    if value_option == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    value = effective_value(cell)
    if value is None:
        return ""
    if "numberValue" in value:
        number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat") or {}
        if date_option == "FORMATTED_STRING" and number_format.get("type") in DATE_TYPES:
            return format_number(float(value["numberValue"]), number_format)
        return _number(value["numberValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        return _error_text(value)
    return value.get("stringValue", "")
