"""Zones decided with the placements: a zone's area moves when a big stand needs its blocks."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
from shapely.geometry import Polygon

from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver.problem import build_problem
from boothopt.solver.solve import solve
from tests.solver.conftest import row, write_event
from tests.solver.validator import check_assignment

CITIES = (
    "zones:\n  - {id: cities, name_ko: 도시, name_en: Cities, members: {kinds: [city]}}\n"
    "weights: {location: 10, zone_compact: 0}\n"
)


def booth_groups(data: dict[str, object], zone: str, gap_m: float) -> int:
    """Return how many groups a zone's booths form, linked when at most ``gap_m`` apart."""
    booths = [b for b in data["booths"] if b["zone"] == zone]  # type: ignore[union-attr,index]
    polys = [Polygon(b["polygon"]) for b in booths]
    graph = nx.Graph()
    graph.add_nodes_from(range(len(booths)))
    for a, b in itertools.combinations(range(len(booths)), 2):
        if booths[a]["hall"] == booths[b]["hall"] and polys[a].distance(polys[b]) <= gap_m:
            graph.add_edge(a, b)
    return int(nx.number_connected_components(graph))


def test_zone_gives_up_the_door_block_to_the_platinum_stand(tmp_path: Path) -> None:
    """Drawn first, the cities take the block by the door; solved together, the platinum does."""
    rows = [row(f"city{n}", 2, kind="city") for n in range(2)]
    rows.append(row("plat", 20, tier="platinum", shape="10x2", rotatable="yes"))
    event = load_event(write_event(tmp_path, rows, extra=CITIES))
    problem = build_problem(event)
    drawn = problem.zone_slots["cities"]
    assert len(drawn) == 1
    door_block = next(iter(drawn))  # the zone was drawn on the block nearest the door
    result = solve(problem, time_limit=10.0, workers=2)
    data = assignment_dict(event, problem, result)
    assert check_assignment(event, data) == []
    assert len(result.booths) == 3
    plat = next(b for b in result.booths if b.exhibitor_id == "plat")
    assert plat.slot == door_block
    assert result.zone_blocks["cities"] != sorted(drawn)
    assert door_block not in result.zone_blocks["cities"]
    # The cities' booths form one group: each touches another.
    assert booth_groups(data, "cities", 0.0) == 1
    # The first-come baseline keeps the zone where it was drawn.
    greedy = solve(problem, time_limit=5.0, workers=1, method="greedy")
    assert next(b for b in greedy.booths if b.exhibitor_id == "plat").slot != door_block


def test_zone_booths_fill_one_unbroken_stretch(tmp_path: Path) -> None:
    """With room to spare, a zone's booths in a block still stand side by side, no gap."""
    rows = [row(f"city{n}", 1, kind="city", points=n) for n in range(5)]
    rows += [row(f"co{n}", 2) for n in range(6)]
    event = load_event(write_event(tmp_path, rows, extra=CITIES))
    problem = build_problem(event)
    for method in ("greedy", "best-spot", "cpsat"):
        result = solve(problem, time_limit=5.0, workers=2, method=method)  # type: ignore[arg-type]
        data = assignment_dict(event, problem, result)
        assert check_assignment(event, data) == []
        assert booth_groups(data, "cities", 0.0) == 1, method
