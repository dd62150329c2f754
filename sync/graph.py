"""The alignment forest and the dependency graph (pure).

Alignment: an edge parent -> child for every resolved `Parent`. Cycles are its strongly connected
components; the rest is a forest whose topological order rolls scores up. Dependencies: an edge
item -> the item it depends on; cycles are components again, and risk flows back along edges.

networkx finds the components, and is imported only when there is a cycle: its import costs a
run a third of a second, more than the rest of the graph work on a large organisation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Code, Finding, Item, ItemType, id_key
from .suggest import did_you_mean

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "TEAM_PREFIX",
    "Alignment",
    "Dependencies",
    "DependencyGraph",
    "build_alignment",
    "build_dependencies",
    "cycle_finding",
    "reachable_risks",
    "resolve_parents",
]

TEAM_PREFIX = "team:"

DependencyGraph = dict[str, set[str]]  # item key -> keys of the items it depends on


@dataclass(slots=True)
class Alignment:
    """Resolved parents as a graph, with children lists in Teams-then-row order."""

    key_results: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    objectives: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    cycles: list[list[Item]] = field(default_factory=list)
    on_cycle: set[str] = field(default_factory=set)
    bottom_up: list[str] = field(default_factory=list)  # children before parents, cycles left out


def resolve_parents(items: list[Item], index: dict[str, Item]) -> list[Finding]:
    """Set each item's `parent` key; a key result with a blank Parent takes the nearest objective
    row above it in its own tab (none when that row was left out, e.g. as a duplicate). Bad
    links become findings and leave the item a root."""
    findings: list[Finding] = []
    at_row = {(item.team, item.row): item for item in items if item.type is ItemType.OBJECTIVE}
    for item in items:
        where = f"Team {item.team}, row {item.row} ({item.id})"
        if item.type is ItemType.OBJECTIVE and not item.parent_text:
            continue
        if item.type is ItemType.KEY_RESULT and not item.parent_text:
            above = at_row.get((item.team, item.objective_above or 0))
            if above is None:
                findings.append(
                    Finding.on_row(
                        Code.KR_WITHOUT_OBJECTIVE,
                        item.team,
                        item.row,
                        item.id,
                        f"{where}: this key result has no objective above it and no Parent; "
                        "move it under its objective or type the objective's ID in Parent.",
                    )
                )
            else:
                item.parent = above.key
            continue
        target = index.get(id_key(item.parent_text))
        if target is None:
            findings.append(
                Finding.on_row(
                    Code.UNKNOWN_PARENT,
                    item.team,
                    item.row,
                    item.id,
                    f"{where}: Parent '{item.parent_text}' is no ID in the organisation; type the "
                    "ID of the objective or key result this aligns to, or leave it blank."
                    + did_you_mean(item.parent_text, (i.id for i in index.values())),
                )
            )
        elif item.type is ItemType.KEY_RESULT and target.type is ItemType.KEY_RESULT:
            findings.append(
                Finding.on_row(
                    Code.BAD_PARENT,
                    item.team,
                    item.row,
                    item.id,
                    f"{where}: Parent '{item.parent_text}' is a key result; a key result "
                    "belongs to an objective, so type an objective's ID.",
                    [target.id],
                )
            )
        else:
            item.parent = target.key
    return findings


def build_alignment(items: list[Item]) -> Alignment:
    """Children lists, cycles (strongly connected components) and a bottom-up order."""
    alignment = Alignment()
    for item in items:
        if item.parent is not None:
            siblings = (
                alignment.key_results if item.type is ItemType.KEY_RESULT else alignment.objectives
            )
            siblings[item.parent].append(item)
    # Each item has at most one parent, so without cycles every item hangs below a root and a
    # walk down from the roots is a topological order; only a cycle needs the graph algorithms.
    order = [item.key for item in items if item.parent is None]
    key_results, objectives = alignment.key_results, alignment.objectives
    for key in order:  # grows while it is walked
        order.extend(child.key for child in key_results.get(key, ()))
        order.extend(child.key for child in objectives.get(key, ()))
    if len(order) < len(items):
        order = _order_around_cycles(items, alignment)
    alignment.bottom_up = order[::-1]
    return alignment


def _order_around_cycles(items: list[Item], alignment: Alignment) -> list[str]:
    """Record the alignment cycles; a topological order of the items not on one."""
    import networkx as nx

    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(item.key for item in items)
    graph.add_edges_from((item.parent, item.key) for item in items if item.parent is not None)
    for members in _cycles(graph, {item.key: item for item in items}):
        alignment.cycles.append(members)
        alignment.on_cycle.update(m.key for m in members)
    graph.remove_nodes_from(alignment.on_cycle)
    return list(nx.topological_sort(graph))


def _cycles(graph: nx.DiGraph, by_key: dict[str, Item]) -> list[list[Item]]:
    """Each strongly connected component with more than one item, or a self-loop, as a list
    sorted by ID; the cycles sorted by their smallest ID."""
    import networkx as nx

    looped = {u for u, _ in nx.selfloop_edges(graph)}
    cycles = [
        sorted((by_key[k] for k in component), key=lambda i: (i.key, i.id))
        for component in nx.strongly_connected_components(graph)
        if len(component) > 1 or next(iter(component)) in looped
    ]
    return sorted(cycles, key=lambda members: members[0].key)


def cycle_finding(code: Code, members: list[Item], what: str) -> Finding:
    """One finding per cycle: on its smallest ID, naming the rest."""
    first, rest = members[0], [m.id for m in members[1:]]
    chain = " -> ".join(m.id for m in members)
    return Finding.on_row(
        code,
        first.team,
        first.row,
        first.id,
        f"Team {first.team}, row {first.row} ({first.id}): {what} form a cycle ({chain}); "
        "break it by changing one of these links.",
        rest,
    )


def _acyclic(graph: DependencyGraph) -> bool:
    """No cycle (Kahn's algorithm: every node can be taken once nothing points to it)."""
    pointed_at: dict[str, int] = defaultdict(int)
    for targets in graph.values():
        for target in targets:
            pointed_at[target] += 1
    nodes = graph.keys() | pointed_at.keys()
    ready = [node for node in nodes if not pointed_at[node]]
    taken = 0
    while ready:
        node = ready.pop()
        taken += 1
        for target in graph.get(node, ()):
            pointed_at[target] -= 1
            if not pointed_at[target]:
                ready.append(target)
    return taken == len(nodes)


def _dependency_cycles(graph: DependencyGraph, by_key: dict[str, Item]) -> list[list[Item]]:
    if _acyclic(graph):
        return []
    import networkx as nx

    digraph: nx.DiGraph = nx.DiGraph()
    digraph.add_edges_from(
        (source, target) for source, targets in graph.items() for target in targets
    )
    return _cycles(digraph, by_key)


@dataclass(slots=True)
class Dependencies:
    graph: DependencyGraph
    findings: list[Finding]
    team_links: list[tuple[Item, str]]  # (item, team key) for every `team:` dependency


def build_dependencies(
    items: list[Item], index: dict[str, Item], team_names: dict[str, str]
) -> Dependencies:
    """The dependency graph: unknown targets and cycles become findings."""
    graph: DependencyGraph = defaultdict(set)
    findings: list[Finding] = []
    team_links: list[tuple[Item, str]] = []
    for item in items:
        for token in item.depends_on:
            where = f"Team {item.team}, row {item.row} ({item.id}), column Depends on"
            if token.casefold().startswith(TEAM_PREFIX):
                team = id_key(token[len(TEAM_PREFIX) :])
                if team in team_names:
                    team_links.append((item, team))
                else:
                    findings.append(
                        Finding.on_row(
                            Code.UNKNOWN_DEPENDENCY,
                            item.team,
                            item.row,
                            item.id,
                            f"{where}: '{token}' names no team in the Teams tab; type team:<Team> "
                            "with a listed team's name."
                            + did_you_mean(token[len(TEAM_PREFIX) :], team_names.values()),
                        )
                    )
                continue
            target = index.get(id_key(token))
            if target is None:
                findings.append(
                    Finding.on_row(
                        Code.UNKNOWN_DEPENDENCY,
                        item.team,
                        item.row,
                        item.id,
                        f"{where}: '{token}' is no ID in the organisation; type an existing ID or "
                        "team:<Team>." + did_you_mean(token, (i.id for i in index.values())),
                    )
                )
            else:
                graph[item.key].add(target.key)
    by_key = {item.key: item for item in items}
    for members in _dependency_cycles(graph, by_key):
        findings.append(cycle_finding(Code.DEPENDENCY_CYCLE, members, "these dependencies"))
    return Dependencies(graph, findings, team_links)


def reachable_risks(graph: DependencyGraph, risky: Iterable[str]) -> dict[str, set[str]]:
    """For each item, the risky items it reaches by following dependencies (never itself)."""
    dependents: dict[str, list[str]] = defaultdict(list)
    for source, targets in graph.items():
        for target in targets:
            dependents[target].append(source)
    reached: dict[str, set[str]] = defaultdict(set)
    for key in risky:
        if key not in dependents:
            continue
        ancestors: set[str] = set()
        stack = [key]
        while stack:
            for source in dependents.get(stack.pop(), ()):
                if source not in ancestors:
                    ancestors.add(source)
                    stack.append(source)
        ancestors.discard(key)
        for source in ancestors:
            reached[source].add(key)
    return reached
