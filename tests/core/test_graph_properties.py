"""Property tests: random alignment forests and dependency DAGs with injected cycles give exactly
the injected PARENT_CYCLE and DEPENDENCY_CYCLE findings and nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.model import Code, id_key
from tests.orgs import Org, kr, obj

DONE = {"target": 1, "current": 1}


@st.composite
def organisations(draw: st.DrawFn) -> tuple[Org, set[tuple[Code, str, tuple[str, ...]]]]:
    size = draw(st.integers(min_value=1, max_value=25))
    names = [f"O{n}" for n in range(size)]
    parents: dict[str, str] = {}
    for n in range(1, size):  # a forest: each objective aligns to an earlier item or to nothing
        choice = draw(st.integers(min_value=-1, max_value=n - 1))
        if choice >= 0:
            parents[names[n]] = names[choice] + draw(st.sampled_from(["", ".1"]))
    depends: dict[str, list[str]] = {}
    for n in range(size):  # dependencies only point forward: no loops
        targets = draw(st.lists(st.integers(min_value=n + 1, max_value=size + 3), max_size=2))
        depends[names[n]] = [names[t] for t in targets if t < size]
    expected: set[tuple[Code, str, tuple[str, ...]]] = set()
    cycle_lengths = draw(st.lists(st.integers(min_value=1, max_value=4), max_size=3))
    for c, length in enumerate(cycle_lengths):  # fresh objectives aligned in a ring
        ring = [f"C{c}-{k}" for k in range(length)]
        names.extend(ring)
        for k, name in enumerate(ring):
            parents[name] = ring[(k + 1) % length] + draw(st.sampled_from(["", ".1"]))
            depends[name] = []
        members = sorted(
            ring + [p for p in (parents[n] for n in ring) if p.endswith(".1")], key=id_key
        )
        expected.add((Code.PARENT_CYCLE, members[0], tuple(members[1:])))
    loops = draw(st.lists(st.integers(min_value=1, max_value=4), max_size=3))
    for c, length in enumerate(loops):  # fresh key-result rings of dependencies
        ring = [f"D{c}-{k}" for k in range(length)]
        names.append(f"D{c}")
        depends[f"D{c}"] = []
        for k, name in enumerate(ring):
            depends[name] = [ring[(k + 1) % length]]
        members = sorted(ring, key=id_key)
        expected.add((Code.DEPENDENCY_CYCLE, members[0], tuple(members[1:])))
    rows: list[dict[str, Any]] = []
    for name in names:
        rows.append(obj(name, parent=parents.get(name, ""), depends=", ".join(depends[name])))
        rows.append(kr(f"{name}.1", **DONE))
        if name.startswith("D"):
            index = name[1:]
            length = loops[int(index)]
            rows.extend(
                kr(f"D{index}-{k}", depends=depends[f"D{index}-{k}"][0], **DONE)
                for k in range(length)
            )
    order = draw(st.permutations(range(len(names))))  # objective blocks in any order
    blocks = _blocks(rows)
    shuffled = [row for i in order for row in blocks[i]]
    limits = {"Max objectives per team": 1000, "Max key results per objective": 1000}
    return Org({"Co": shuffled}, settings=limits), expected


def _blocks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    blocks: list[list[dict[str, Any]]] = []
    for row in rows:
        if row["Type"] == "Objective":
            blocks.append([])
        blocks[-1].append(row)
    return blocks


@settings(max_examples=150, deadline=None)
@given(organisations())
def test_exactly_the_injected_cycles_are_found(
    case: tuple[Org, set[tuple[Code, str, tuple[str, ...]]]],
) -> None:
    org, expected = case
    computed = org.compute()
    found = {(f.code, f.id, f.related) for f in computed.result.findings}
    assert found == expected
    on_cycles = {
        m for code, first, rest in expected if code is Code.PARENT_CYCLE for m in (first, *rest)
    }
    for item in computed.result.items:
        assert (item.score is None) == (item.id in on_cycles)
    tree_ids = [r.item.id for r in computed.tree if r.item]
    assert sorted(tree_ids) == sorted(i.id for i in computed.result.items)
    unreachable_at = next(
        (n for n, r in enumerate(computed.tree) if r.item is None), len(computed.tree)
    )
    assert {
        r.item.id for r in computed.tree[unreachable_at + 1 :] if r.item and r.depth == 0
    } == on_cycles
