"""SPEC §5: the combined tree order."""

from __future__ import annotations

from sync.tree import TreeRow
from tests.orgs import Org, kr, obj

DONE = {"target": 1, "current": 1}


def shape(rows: list[TreeRow]) -> list[tuple[str, int]]:
    return [(r.item.id if r.item else "UNREACHABLE", r.depth) for r in rows]


def test_depth_first_key_results_then_their_subtrees_then_aligned_objectives() -> None:
    org = Org(
        {
            "Co": [
                obj("C1"),
                kr("C1.1", **DONE),
                kr("C1.2", **DONE),
                obj("C2"),
                kr("C2.1", **DONE),
            ],
            "Eng": [
                obj("E1", parent="C1.2"),
                kr("E1.1", **DONE),
                obj("E2", parent="C1"),
                kr("E2.1", **DONE),
                obj("E3", parent="C1.1"),
                kr("E3.1", **DONE),
            ],
        },
        levels={"Eng": "Department"},
    )
    assert shape(org.compute().tree) == [
        ("C1", 0),
        ("C1.1", 1),
        ("E3", 2),
        ("E3.1", 3),
        ("C1.2", 1),
        ("E1", 2),
        ("E1.1", 3),
        ("E2", 1),
        ("E2.1", 2),
        ("C2", 0),
        ("C2.1", 1),
    ]


def test_items_with_bad_links_are_roots_and_cycles_come_last() -> None:
    org = Org(
        {
            "Co": [
                obj("A", parent="B"),
                kr("A.1", **DONE),
                obj("B", parent="A"),
                kr("B.1", **DONE),
                obj("R", parent="NOPE"),
                kr("R.1", **DONE),
                kr("K.0", parent="A.1", **DONE),
                obj("U", parent="B.1"),
                kr("U.1", **DONE),
            ]
        }
    )
    assert shape(org.compute().tree) == [
        ("R", 0),
        ("R.1", 1),
        ("K.0", 0),
        ("UNREACHABLE", 0),
        ("A", 0),
        ("A.1", 1),
        ("B", 0),
        ("B.1", 1),
        ("U", 2),
        ("U.1", 3),
    ]


def test_every_item_appears_exactly_once() -> None:
    org = Org(
        {
            "Co": [obj(f"O{n}", parent=f"O{n - 1}.1" if n else "") for n in range(30)]
            + [kr(f"O{n}.1", parent=f"O{n}", **DONE) for n in range(30)]
        }
    )
    computed = org.compute()
    ids = [r.item.id for r in computed.tree if r.item]
    assert sorted(ids) == sorted(i.id for i in computed.result.items)
    assert max(r.depth for r in computed.tree) == 59
