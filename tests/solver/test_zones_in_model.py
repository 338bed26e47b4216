"""Zones decided with the placements: a zone's area moves when a big stand needs its blocks."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import networkx as nx
from shapely.geometry import Polygon
from shapely.geometry import box as shapely_box

from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver.problem import build_problem
from boothopt.solver.solve import solve
from tests.solver.conftest import row, write_event
from tests.solver.validator import check_assignment

AISLE_M = 3.0  # the tiny venue's aisle between its two blocks
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


def _checkerboard(tmp_path: Path, standing: int) -> tuple[Any, list[Any], dict[str, Any], int]:
    """Ten 1-module cities and a 4-module one; the first ``standing`` small ones stand on a
    checkerboard, (0, 1), (1, 0), (2, 1), ..., in a 10 x 2 block: no 2 x 2 of free cells.
    Return the problem, its groups, that layout and the block."""
    from boothopt.solver.candidates import build_groups

    rows = [row(f"city{n}", 1, kind="city") for n in range(10)]
    rows.append(row("big", 4, kind="city", shape="2x2"))
    event = load_event(write_event(tmp_path, rows, extra=CITIES))
    problem = build_problem(event)
    groups = build_groups(problem)
    block = min(n for n, s in enumerate(problem.slots) if s.n_deep == 2 and s.n_along >= 10)
    assert problem.slots[block].n_along == 10
    small = next(g for g in groups if g.members[0].id == "city0")
    layout = {}
    for n, member in enumerate(small.members[:standing]):
        x, y = n, (n + 1) % 2
        k = next(
            k
            for k in range(small.size)
            if int(small.slot[k]) == block and (int(small.i[k]), int(small.j[k])) == (x, y)
        )
        layout[member.id] = (small.index, k)
    assert len(layout) == standing
    return problem, groups, layout, block


def _repacked(problem: Any, groups: list[Any], layout: dict[str, Any]) -> dict[str, Any]:
    """Run the zone re-pack on ``layout`` with 2 deterministic seconds."""
    import time

    from boothopt.solver.solve import _Run, _seat_zone_members, _Watcher

    run = _Run(time.perf_counter(), 0, 60.0, 1, 5.0)
    return _seat_zone_members(problem, groups, layout, run, _Watcher(run.start, None), 2.0)


def _one_group_near(problem: Any, groups: list[Any], out: dict[str, Any], block: int) -> None:
    """Assert no two booths share a cell, each stands in ``block`` or an empty block next to
    it, and the booths form one group (each touches another or faces one across the aisle)."""
    from boothopt.solver.solve import _booth

    booths = [_booth(problem, groups[g], e, k) for e, (g, k) in out.items()]
    cells = [c for g, k in out.values() for c in groups[g].cells[k].tolist()]
    assert len(cells) == len(set(cells)) == sum(len(groups[g].cells[k]) for g, k in out.values())
    allowed = {block} | set(problem.neighbours[block])
    assert all(b.slot in allowed for b in booths)
    polys = [shapely_box(*b.box) for b in booths]
    graph = nx.Graph()
    graph.add_nodes_from(range(len(polys)))
    for a, b in itertools.combinations(range(len(polys)), 2):
        if booths[a].hall == booths[b].hall and polys[a].distance(polys[b]) <= AISLE_M + 1e-6:
            graph.add_edge(a, b)
    assert nx.number_connected_components(graph) == 1


def test_a_zone_is_repacked_to_seat_a_member_left_out(tmp_path: Path) -> None:
    """Ten 1-module cities stand on a checkerboard in one block: ten cells free, but no 2 x 2
    of them together, so the 4-module city is left out. Re-packing the zone seats it: all
    eleven placed, no two on the same cell, every booth in one of the zone's blocks or an
    empty block next to them, and the zone's booths one group (each touches another or faces
    one across the 3 m aisle)."""
    problem, groups, layout, block = _checkerboard(tmp_path, 10)
    out = _repacked(problem, groups, layout)
    assert set(out) == {*layout, "big"}
    _one_group_near(problem, groups, out, block)


def test_a_zone_is_repacked_for_all_its_members_left_out_at_once(tmp_path: Path) -> None:
    """Six small cities on the checkerboard and five out (four small ones, as if taken off as
    strays, and the 4-module one, which no free cells fit together): one re-pack of the zone
    seats all five, in one group with the six."""
    problem, groups, layout, block = _checkerboard(tmp_path, 6)
    out = _repacked(problem, groups, layout)
    assert set(out) == {*(f"city{n}" for n in range(10)), "big"}
    _one_group_near(problem, groups, out, block)
