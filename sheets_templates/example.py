"""The example organisation `okrtree init --example` creates: Northwind Logistics, 2026-Q4.

Sixteen teams on all four levels. On 2026-11-21 most items are on track, two key results are at
risk (AMER-2, GRO-2) and two off track (MOB-4 not shipped, AMER-4 an experiment weighted 0). It
is built to show every kind of key result and exactly these warnings, and no errors:

- CONFIDENCE_GAP on AMER-4 and MOB-4 (off track, owner confident) and SAL-3 (on track, owner
  doubtful)
- DEPENDENCY_AT_RISK on EMEA-1 (depends on GRO-2, at risk)
- NO_OWNER on SUP-4
- STALE on TB-2 (last check-in 2026-10-23)
- TOO_MANY_KEY_RESULTS on GRO-1 (six key results)
- UNACKNOWLEDGED_DEPENDENCY on MOB-1 (`team:Data`, and nothing in Data aligns to MOB-1)
- UNALIGNED on LO-1

Acknowledged team dependencies: ENG-4 on `team:Onboarding` (ONB-1 aligns to ENG-6) and PLAT-4
on `team:Priya Shah` (PS-1 aligns to PLAT-6). CO-3 has no target: it is the score of CS-1,
which aligns to it. EMEA-4 has no parent but says why now. The hub comes with a quarter of
`History` and `Check-ins` (see `example_logs`), so trends show from the first look.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.template import Col

from .builder import new_hub_workbook, new_team_workbook
from .definition import HUB_FILE, TEAM_TAB, SettingKey, TeamsCol

__all__ = ["AS_OF", "EXPECTED_WARNINGS", "SETTINGS", "TEAMS", "ExampleTeam", "write_example"]

AS_OF = dt.date(2026, 11, 21)
SETTINGS: dict[str, Any] = {
    SettingKey.CYCLE: "2026-Q4",
    SettingKey.CYCLE_START: dt.date(2026, 10, 1),
    SettingKey.CYCLE_END: dt.date(2026, 12, 31),
}
EXPECTED_WARNINGS: list[tuple[str, str]] = [
    ("CONFIDENCE_GAP", "AMER-4"),
    ("CONFIDENCE_GAP", "MOB-4"),
    ("CONFIDENCE_GAP", "SAL-3"),
    ("DEPENDENCY_AT_RISK", "EMEA-1"),
    ("NO_OWNER", "SUP-4"),
    ("STALE", "TB-2"),
    ("TOO_MANY_KEY_RESULTS", "GRO-1"),
    ("UNACKNOWLEDGED_DEPENDENCY", "MOB-1"),
    ("UNALIGNED", "LO-1"),
]


def _mail(name: str) -> str:
    return f"{name}@northwind.example" if name else ""


def _day(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def obj(
    id: str,
    title: str,
    owner: str,
    parent: str = "",
    *,
    depends: str = "",
    weight: float | None = None,
    why: str = "",
) -> dict[str, Any]:
    """An objective row."""
    return {
        Col.ID: id,
        Col.TYPE: "Objective",
        Col.TITLE: title,
        Col.OWNER: _mail(owner),
        Col.PARENT: parent,
        Col.DEPENDS_ON: depends,
        Col.WEIGHT: weight,
        Col.WHY_NOW: why,
    }


def kr(
    id: str,
    title: str,
    owner: str,
    start: Any,
    target: Any,
    current: Any,
    updated: dt.date | None,
    *,
    depends: str = "",
    weight: float | None = None,
    confidence: Any = None,
    note: str = "",
) -> dict[str, Any]:
    """A key result row; its objective is the one above it (Parent left blank)."""
    return {
        Col.ID: id,
        Col.TYPE: "Key Result",
        Col.TITLE: title,
        Col.OWNER: _mail(owner),
        Col.DEPENDS_ON: depends,
        Col.START: start,
        Col.TARGET: target,
        Col.CURRENT: current,
        Col.WEIGHT: weight,
        Col.UPDATED: updated,
        Col.CONFIDENCE: confidence,
        Col.NOTE: note,
    }


@dataclass(frozen=True, slots=True)
class ExampleTeam:
    """One team of the example: its hub row and its OKR rows."""

    name: str
    level: str
    parent: str
    prefix: str
    owner: str
    source: str
    rows: tuple[dict[str, Any], ...]
    tab: str = TEAM_TAB

    def hub_row(self) -> dict[str, Any]:
        return {
            TeamsCol.TEAM: self.name,
            TeamsCol.LEVEL: self.level,
            TeamsCol.PARENT_TEAM: self.parent,
            TeamsCol.SPREADSHEET: self.source,
            TeamsCol.TAB: self.tab,
            TeamsCol.OWNER: _mail(self.owner),
        }


# fmt: off
TEAMS: tuple[ExampleTeam, ...] = (
    ExampleTeam("Northwind", "Company", "", "CO", "maria.chen", "teams/northwind.xlsx", (
        obj("CO-1", "Become the default platform for mid-market logistics", "maria.chen"),
        kr("CO-2", "Grow annual recurring revenue from $18M to $24M (in $M)", "jon.park",
           18, 24, 21.6, _day(11, 16), weight=2, confidence="80%",
           note="Renewals ahead of plan; two expansions signed early."),
        kr("CO-3", "Customers renew and expand (rolled up from Customer Success)", "ana.silva",
           None, None, None, None),
        obj("CO-4", "Run a platform customers can trust", "raj.iyer"),
        kr("CO-5", "Platform availability every month (%)", "raj.iyer",
           None, ">= 99.9", 99.95, _day(11, 19)),
        kr("CO-6", "Sev-1 incidents per month", "raj.iyer", None, "<= 2", 1, _day(11, 17)),
        kr("CO-7", "SOC 2 Type II report issued", "olga.novak", None, "yes", "done", _day(11, 20)),
    )),
    ExampleTeam("Engineering", "Department", "Northwind", "ENG", "raj.iyer",
                "teams/engineering.xlsx", (
        obj("ENG-1", "Ship a faster, more reliable platform", "raj.iyer", "CO-4"),
        kr("ENG-2", "Cut p95 API latency from 800 ms to 300 ms", "wei.zhang",
           800, 300, 520, _day(11, 18), weight=2),
        kr("ENG-3", "Deployments per week from 10 to 40", "sam.okafor", 10, 40, 28, _day(11, 17)),
        obj("ENG-4", "Unlock growth with self-serve onboarding", "raj.iyer", "CO-1",
            depends="team:Onboarding"),
        kr("ENG-5", "Self-serve signup live in all regions", "nina.rossi",
           None, True, True, _day(11, 12)),
        kr("ENG-6", "Days from contract to go-live from 14 to 3", "nina.rossi",
           14, 3, 8, _day(11, 19)),
    )),
    ExampleTeam("Sales", "Department", "Northwind", "SAL", "carlos.mendez", "teams/sales.xlsx", (
        obj("SAL-1", "Win the mid-market", "carlos.mendez", "CO-2", weight=2),
        kr("SAL-2", "New customers signed from 0 to 1,200", "carlos.mendez",
           0, "1,200", 700, _day(11, 18)),
        kr("SAL-3", "Win rate from 18% to 30%", "hannah.lee", "18%", "30%", "25%", _day(11, 16),
           confidence="Low", note="Two large deals slipped to Q1; the rate will dip."),
        obj("SAL-4", "Build a repeatable sales motion", "carlos.mendez", "CO-1",
            depends="ENG-4"),
        kr("SAL-5", "Sales cycle from 90 days to 60 days", "hannah.lee", 90, 60, 75, _day(11, 13)),
        kr("SAL-6", "Playbook adopted by every rep", "hannah.lee", None, "yes", "yes",
           _day(11, 10)),
    )),
    ExampleTeam("Customer Success", "Department", "Northwind", "CS", "ana.silva",
                "teams/customer-success.xlsx", (
        obj("CS-1", "Customers renew and grow with us", "ana.silva", "CO-3"),
        kr("CS-2", "Net revenue retention from 104 to 112 (%)", "ana.silva",
           104, 112, 109, _day(11, 18)),
        kr("CS-3", "Annual gross churn from 9% to 5% (%)", "li.wei", 9, 5, 7, _day(11, 15)),
        obj("CS-4", "Make support a reason to buy", "ana.silva", "CO-1"),
        kr("CS-5", "CSAT from 82 to 92", "emma.wright", 82, 92, 88, _day(11, 19),
           confidence="High", note="New macros cut repeat contacts."),
        kr("CS-6", "First response in business hours (hours)", "emma.wright",
           None, "<= 2", 1.5, _day(11, 19)),
    )),
    ExampleTeam("Platform", "Team", "Engineering", "PLAT", "wei.zhang", "teams/platform.xlsx", (
        obj("PLAT-1", "Make the API fast everywhere", "wei.zhang", "ENG-2"),
        kr("PLAT-2", "p95 latency of the orders API from 900 ms to 250 ms", "priya.shah",
           900, 250, 560, _day(11, 18)),
        kr("PLAT-3", "Cache hit rate from 40% to 85% (%)", "marco.bianchi",
           40, 85, 66, _day(11, 17)),
        obj("PLAT-4", "Deploy without downtime", "wei.zhang", "ENG-1",
            depends="team:Priya Shah"),
        kr("PLAT-5", "Availability of the public API (%)", "marco.bianchi",
           None, ">= 99.9", 99.93, _day(11, 20)),
        kr("PLAT-6", "Rollback time from 30 min to 5 min", "priya.shah", 30, 5, 15, _day(11, 14)),
    )),
    ExampleTeam("Mobile", "Team", "Engineering", "MOB", "julia.kim", "teams/mobile.xlsx", (
        obj("MOB-1", "A mobile app customers rate 4.5 stars", "julia.kim", "ENG-4",
            depends="team:Data"),
        kr("MOB-2", "App store rating from 3.9 to 4.5", "julia.kim", 3.9, 4.5, 4.3, _day(11, 16)),
        kr("MOB-3", "Crash-free sessions (%)", "ben.adams", None, ">= 99.5", 99.7, _day(11, 18)),
        kr("MOB-4", "Offline mode released", "ben.adams", None, "done", None, _day(11, 11),
           confidence=8, note="Release candidate in QA; we ship next sprint."),
    )),
    ExampleTeam("Data", "Team", "Engineering", "DATA", "fatima.khan", "teams/data.xlsx", (
        obj("DATA-1", "Trustworthy numbers for every team", "fatima.khan", "ENG-1"),
        kr("DATA-2", "Dashboards moved to the new warehouse from 0 to 40", "omar.haddad",
           0, 40, 26, _day(11, 19)),
        kr("DATA-3", "Data freshness lag (hours)", "omar.haddad", None, "<= 2", 1, _day(11, 18)),
        kr("DATA-4", "Pipeline failures per week from 12 to 2", "fatima.khan",
           12, 2, 6, _day(11, 17)),
    )),
    ExampleTeam("Security", "Team", "Engineering", "SEC", "olga.novak", "teams/security.xlsx", (
        obj("SEC-1", "Pass SOC 2 Type II without exceptions", "olga.novak", "CO-7",
            depends="PLAT-5, DATA-3"),
        kr("SEC-2", "Controls with collected evidence from 60 to 120", "kevin.osei",
           60, 120, 98, _day(11, 19)),
        kr("SEC-3", "Critical vulnerabilities open longer than 7 days", "kevin.osei",
           None, "<= 2", 1, _day(11, 20)),
        kr("SEC-4", "Auditor fieldwork completed", "olga.novak", None, "yes", "yes", _day(11, 9)),
    )),
    ExampleTeam("EMEA Sales", "Team", "Sales", "EMEA", "stefan.weber", "teams/emea-sales.xlsx", (
        obj("EMEA-1", "Own the DACH mid-market", "stefan.weber", "SAL-1", depends="GRO-2"),
        kr("EMEA-2", "New DACH customers from 0 to 120", "stefan.weber",
           0, 120, 70, _day(11, 18), confidence=7),
        kr("EMEA-3", "Pipeline coverage from 2.0x to 3.5x", "lena.ortiz",
           2, 3.5, 2.9, _day(11, 17)),
        obj("EMEA-4", "Open the Nordics", "stefan.weber",
            why="Our Nordic partner deal was signed in October; the launch window closes in Q1."),
        kr("EMEA-5", "Nordic partners onboarded from 0 to 4", "stefan.weber",
           0, 4, 2, _day(11, 12), weight=2),
        kr("EMEA-6", "First Nordic deal closed", "stefan.weber", None, "yes", True, _day(11, 19)),
    )),
    ExampleTeam("Americas Sales", "Team", "Sales", "AMER", "diego.santos",
                "teams/americas-sales.xlsx", (
        obj("AMER-1", "Grow the US mid-market pipeline", "diego.santos", "SAL-1"),
        kr("AMER-2", "Qualified pipeline from $2.0M to $6.0M (in $M)", "diego.santos",
           2, 6, 3.6, _day(11, 17), confidence="Medium",
           note="Pipeline review is weekly now."),
        kr("AMER-3", "Win rate from 20% to 28% (%)", "grace.liu", 20, 28, 25, _day(11, 14)),
        kr("AMER-4", "Experiment: LinkedIn outbound replies from 0 to 50", "grace.liu",
           0, 50, 5, _day(11, 13), weight=0, confidence="High",
           note="Replies lag the sends by two weeks."),
    )),
    ExampleTeam("Growth Marketing", "Team", "Sales", "GRO", "sofia.marin",
                "teams/growth-marketing.xlsx", (
        obj("GRO-1", "Fill the funnel for Sales", "sofia.marin", "SAL-1"),
        kr("GRO-2", "Marketing-qualified leads per month from 300 to 1,200", "sofia.marin",
           300, "1,200", 660, _day(11, 18), confidence=5,
           note="Paid search paused for a week; back on."),
        kr("GRO-3", "Website conversion from 1.5% to 3%", "ivan.petrov",
           "1.5%", "3%", "2.4%", _day(11, 17)),
        kr("GRO-4", "Webinar attendees from 0 to 2,000", "ivan.petrov",
           0, 2000, 1150, _day(11, 16)),
        kr("GRO-5", "Cost per lead from $90 to $60", "sofia.marin", 90, 60, 72, _day(11, 15)),
        kr("GRO-6", "Customer case studies published from 0 to 8", "ivan.petrov",
           0, 8, 5, _day(11, 12)),
        kr("GRO-7", "Co-marketing campaigns with partners from 0 to 4", "sofia.marin",
           0, 4, 2, _day(11, 10)),
    )),
    ExampleTeam("Support", "Team", "Customer Success", "SUP", "emma.wright",
                "teams/support.xlsx", (
        obj("SUP-1", "Answer every customer fast", "emma.wright", "CS-4"),
        kr("SUP-2", "Median first response from 6 hours to 1.5 hours", "emma.wright",
           6, 1.5, 3.5, _day(11, 19)),
        kr("SUP-3", "Tickets solved by the help centre from 20% to 45%", "tom.becker",
           "20%", "45%", "32%", _day(11, 18)),
        kr("SUP-4", "Support macros rewritten for the new product", "",
           None, "done", "done", _day(11, 13)),
    )),
    ExampleTeam("Onboarding", "Team", "Customer Success", "ONB", "noah.fischer",
                "teams/onboarding.xlsx", (
        obj("ONB-1", "Get new customers live in days, not weeks", "noah.fischer", "ENG-6"),
        kr("ONB-2", "Median time to go-live from 21 days to 7 days", "noah.fischer",
           21, 7, 13, _day(11, 18)),
        kr("ONB-3", "Customers onboarded without a kickoff call from 10% to 50% (%)",
           "aisha.bello", 10, 50, 30, _day(11, 16)),
    )),
    ExampleTeam("Priya Shah", "Individual", "Platform", "PS", "priya.shah",
                "people/priya-shah.xlsx", (
        obj("PS-1", "Automate rollbacks for every service", "priya.shah", "PLAT-6"),
        kr("PS-2", "Services with one-click rollback from 5 to 40", "priya.shah",
           5, 40, 26, _day(11, 19)),
        kr("PS-3", "Rollback runbook published", "priya.shah", None, True, True, _day(11, 12)),
    )),
    ExampleTeam("Tom Becker", "Individual", "Support", "TB", "tom.becker",
                "people/tom-becker.xlsx", (
        obj("TB-1", "Grow the help centre", "tom.becker", "SUP-3"),
        kr("TB-2", "Help-centre articles rewritten from 0 to 60", "tom.becker",
           0, 60, 34, _day(10, 23)),
        kr("TB-3", "Article helpfulness from 55% to 75%", "tom.becker",
           "55%", "75%", "68%", _day(11, 17)),
    )),
    ExampleTeam("Lena Ortiz", "Individual", "EMEA Sales", "LO", "lena.ortiz",
                "people/lena-ortiz.xlsx", (
        obj("LO-1", "Learn to run enterprise deals", "lena.ortiz"),
        kr("LO-2", "Enterprise deals led from 0 to 3", "lena.ortiz", 0, 3, 2, _day(11, 16)),
        kr("LO-3", "Negotiation course completed", "lena.ortiz", None, "yes", "yes", _day(11, 9)),
    )),
)
# fmt: on


def write_example(directory: Path) -> Path:
    """Write the example's hub and team workbooks into `directory`; return the hub's path."""
    from .example_logs import write_example_logs  # it runs the core, which needs this package

    for team in TEAMS:
        new_team_workbook(directory / team.source, team_prefix=team.prefix, rows=team.rows)
    hub = new_hub_workbook(
        directory / HUB_FILE, teams=[team.hub_row() for team in TEAMS], settings=SETTINGS
    )
    write_example_logs(hub, TEAMS, SETTINGS, AS_OF)
    return hub
