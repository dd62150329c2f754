"""The organisation model: teams, items, findings and the result of one run (pure values)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sheets_templates.definition import SETTING_DEFAULTS, TEAM_TAB, SettingKey

__all__ = [
    "LEVEL_RANK",
    "SEVERITY_ORDER",
    "STATUS_LABELS",
    "Code",
    "Cycle",
    "Finding",
    "Item",
    "ItemType",
    "Level",
    "Result",
    "Settings",
    "Severity",
    "Status",
    "Team",
    "TeamState",
    "TargetKind",
    "id_key",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Code(StrEnum):
    """What a finding is about; its severity comes with it (`Code.severity`)."""

    # errors: the data cannot be trusted
    TEMPLATE_MISSING_COLUMN = "TEMPLATE_MISSING_COLUMN"
    SPREADSHEET_UNREADABLE = "SPREADSHEET_UNREADABLE"
    DUPLICATE_TEAM = "DUPLICATE_TEAM"
    DUPLICATE_SHEET = "DUPLICATE_SHEET"
    UNKNOWN_PARENT_TEAM = "UNKNOWN_PARENT_TEAM"
    INVALID_LEVEL = "INVALID_LEVEL"
    MISSING_ID = "MISSING_ID"
    DUPLICATE_ID = "DUPLICATE_ID"
    INVALID_TYPE = "INVALID_TYPE"
    UNKNOWN_PARENT = "UNKNOWN_PARENT"
    BAD_PARENT = "BAD_PARENT"
    KR_WITHOUT_OBJECTIVE = "KR_WITHOUT_OBJECTIVE"
    PARENT_CYCLE = "PARENT_CYCLE"
    UNKNOWN_DEPENDENCY = "UNKNOWN_DEPENDENCY"
    DEPENDENCY_CYCLE = "DEPENDENCY_CYCLE"
    INVALID_NUMBER = "INVALID_NUMBER"
    ZERO_RANGE = "ZERO_RANGE"
    # warnings: the method is off
    UNALIGNED = "UNALIGNED"
    ALIGNMENT_INVERTED = "ALIGNMENT_INVERTED"
    NO_KEY_RESULTS = "NO_KEY_RESULTS"
    TOO_MANY_KEY_RESULTS = "TOO_MANY_KEY_RESULTS"
    TOO_MANY_OBJECTIVES = "TOO_MANY_OBJECTIVES"
    NO_OWNER = "NO_OWNER"
    UNMEASURABLE = "UNMEASURABLE"
    STALE = "STALE"
    INVALID_DATE = "INVALID_DATE"
    DEPENDENCY_AT_RISK = "DEPENDENCY_AT_RISK"
    UNACKNOWLEDGED_DEPENDENCY = "UNACKNOWLEDGED_DEPENDENCY"
    CONFIDENCE_GAP = "CONFIDENCE_GAP"
    NOT_WRITTEN = "NOT_WRITTEN"

    @property
    def severity(self) -> Severity:
        """Error for the codes in `_ERRORS` (the data cannot be trusted), else warning.

        >>> Code.DUPLICATE_ID.severity, Code.STALE.severity
        (<Severity.ERROR: 'error'>, <Severity.WARNING: 'warning'>)
        """
        return Severity.ERROR if self in _ERRORS else Severity.WARNING


_ERRORS = {
    Code.TEMPLATE_MISSING_COLUMN,
    Code.SPREADSHEET_UNREADABLE,
    Code.DUPLICATE_TEAM,
    Code.DUPLICATE_SHEET,
    Code.UNKNOWN_PARENT_TEAM,
    Code.INVALID_LEVEL,
    Code.MISSING_ID,
    Code.DUPLICATE_ID,
    Code.INVALID_TYPE,
    Code.UNKNOWN_PARENT,
    Code.BAD_PARENT,
    Code.KR_WITHOUT_OBJECTIVE,
    Code.PARENT_CYCLE,
    Code.UNKNOWN_DEPENDENCY,
    Code.DEPENDENCY_CYCLE,
    Code.INVALID_NUMBER,
    Code.ZERO_RANGE,
}


class Level(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    TEAM = "team"
    INDIVIDUAL = "individual"


LEVEL_RANK = {Level.COMPANY: 0, Level.DEPARTMENT: 1, Level.TEAM: 2, Level.INDIVIDUAL: 3}


class ItemType(StrEnum):
    OBJECTIVE = "objective"
    KEY_RESULT = "key_result"


class TargetKind(StrEnum):
    NUMBER = "number"
    AT_LEAST = ">="
    AT_MOST = "<="
    ABOVE = ">"
    BELOW = "<"
    YES_NO = "yes_no"
    NONE = "none"  # blank target: rolled up from aligned objectives, or unmeasurable


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.DONE: "Done",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.NO_DATA: "No data",
}


def id_key(text: str) -> str:
    """The form in which IDs and team names are compared: trimmed, NFC, case-folded.

    >>> id_key("  Eng-1 ") == id_key("ENG-1")
    True
    """
    text = text.strip()
    if text.isascii():  # the common case, and for ASCII casefold() is lower()
        return text.lower()
    return unicodedata.normalize("NFC", text).casefold()


@dataclass(frozen=True, slots=True)
class Settings:
    """The hub's `Settings` tab, parsed; a key left out has its template.json default. The
    requests-per-minute limits are for a Google hub's client (None: not set); a local workspace
    has no use for them."""

    cycle_start: dt.date
    cycle_end: dt.date
    cycle: str = SETTING_DEFAULTS[SettingKey.CYCLE]
    stale_after_days: int = SETTING_DEFAULTS[SettingKey.STALE_AFTER_DAYS]
    on_track_within: float = SETTING_DEFAULTS[SettingKey.ON_TRACK_WITHIN]
    at_risk_within: float = SETTING_DEFAULTS[SettingKey.AT_RISK_WITHIN]
    max_objectives: int = SETTING_DEFAULTS[SettingKey.MAX_OBJECTIVES_PER_TEAM]
    max_key_results: int = SETTING_DEFAULTS[SettingKey.MAX_KEY_RESULTS_PER_OBJECTIVE]
    reads_per_minute: int | None = None
    writes_per_minute: int | None = None


@dataclass(frozen=True, slots=True)
class Team:
    """One row of the hub's `Teams` tab."""

    name: str
    level: Level
    parent: str | None
    source: str
    tab: str = TEAM_TAB
    owner: str = ""
    row: int = 0  # row in the hub's Teams tab

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]


@dataclass(slots=True)
class Item:
    """An objective or key result read from a team row, with what the run computes for it."""

    id: str
    type: ItemType
    team: str
    row: int
    title: str = ""
    owner: str = ""
    parent_text: str = ""  # as typed, trimmed
    objective_above: int | None = None  # row of the nearest Objective row above (key results)
    depends_on: list[str] = field(default_factory=list)  # tokens as typed, trimmed
    why_now: str = ""
    weight: float = 1.0
    start: float | None = None
    target: float | None = None
    target_kind: TargetKind = TargetKind.NONE
    current: float | None = None
    updated: dt.date | None = None
    confidence: float | None = None  # the owner's forecast, 0-10
    note: str = ""  # the latest check-in note
    has_number_error: bool = False  # an unreadable Start/Target/Current
    # computed
    parent: str | None = None  # resolved parent's key (id_key), None for roots
    score: float | None = None
    progress: float | None = None
    status: Status = Status.NO_DATA
    trend: list[tuple[dt.date, float | None]] = field(default_factory=list)  # History, oldest first
    spark: str = ""  # the trend's last points as a sparkline (`history.sparkline`)
    key: str = field(init=False)  # id_key(id), computed once: IDs are compared everywhere

    def __post_init__(self) -> None:
        self.key = id_key(self.id)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the run noticed. `row` places it on a sheet row (written to `Warnings`).

    Made with `Finding.on_row` or `Finding.on_team`, which take the severity from the code.
    """

    severity: Severity
    code: Code
    id: str | None
    team: str | None
    message: str
    related: tuple[str, ...] = ()
    row: int | None = None

    @classmethod
    def on_row(
        cls,
        code: Code,
        team: str,
        row: int,
        item_id: str | None,
        message: str,
        related: Iterable[str] = (),
    ) -> Finding:
        """A finding on one row of a team's sheet: its item's (`item_id` None when the row has
        no ID), written to that row's `Warnings`."""
        return cls(code.severity, code, item_id, team, message, tuple(related), row)

    @classmethod
    def on_team(cls, code: Code, team: str | None, message: str) -> Finding:
        """A finding on a whole team (None: on the organisation, e.g. its hub)."""
        return cls(code.severity, code, None, team, message)

    def sort_key(self) -> tuple[int, str, str]:
        return (SEVERITY_ORDER[self.severity], self.code.value, id_key(self.id or ""))

    def as_json(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code.value,
            "id": self.id,
            "team": self.team,
            "message": self.message,
            "related": list(self.related),
        }


@dataclass(frozen=True, slots=True)
class Cycle:
    name: str
    start: dt.date
    end: dt.date
    expected: float


@dataclass(slots=True)
class TeamState:
    """A team as the run saw it: ok when its sheet was read and had the required columns."""

    team: Team
    ok: bool = True
    header_row: int | None = None


@dataclass(slots=True)
class Result:
    """Everything one run computed; items and findings in their final order."""

    as_of: dt.date
    cycle: Cycle
    settings: Settings
    teams: list[TeamState]
    items: list[Item]
    findings: list[Finding]
    writes_spreadsheets: int = 0
    writes_cells: int = 0

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def cycle_ended(self) -> bool:
        """The run looks back at a finished cycle: its statuses are final, not a forecast."""
        return self.as_of > self.cycle.end
