"""Zone areas drawn for all zones at once: deep blocks to the zones that need them, areas whole."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import shapely

from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver.problem import Problem, _draw_one_by_one, booth_shapes, build_problem
from boothopt.solver.solve import solve
from tests.solver.validator import check_assignment

# One 45 m x 51 m hall with a band of 6-deep blocks along its entrance wall; the stage takes one
# of the two deep blocks, so one 6x6 block (36 cells) is left beside four shallow ones.
VENUE = """schema: boothopt.venue/1
id: deep
halls:
  - id: P
    rect: {origin: [0, 0], size: [45, 51]}
    entrances: [{id: P-E1, at: [22.5, 51], width_m: 4}]
    exits: [{id: P-X1, at: [0, 25], width_m: 2}, {id: P-X2, at: [45, 25], width_m: 2}]
"""
EVENT = """schema: boothopt.event/1
name: Deep blocks
venue: venue.yaml
halls: [P]
aisles: {feature_bands: 1, feature_depth_modules: 6}
exhibitors: [ex.csv]
zones:
  - {id: small, members: {categories: [small]}}
  - {id: deep, members: {categories: [deep]}}
reserved:
  - {id: stage, kind: stage, name_en: Stage, size_m: [18, 18], hall: P}
"""


def write(tmp_path: Path) -> Path:
    """Write a zone of 20 one-module booths, listed first, and a zone with a 3x3 stand."""
    rows = ["id,name_en,kind,category,modules,shape"]
    rows += [f"s{n},S{n},company,small,1," for n in range(20)]
    rows += ["d0,D0,company,deep,9,3x3"] + [f"d{n},D{n},company,deep,1," for n in range(1, 5)]
    (tmp_path / "venue.yaml").write_text(VENUE, encoding="utf-8")
    (tmp_path / "ex.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "event.yaml").write_text(EVENT, encoding="utf-8")
    return tmp_path / "event.yaml"


def holds(problem: Problem, ident: str, area: set[int]) -> bool:
    """Return True when some block of ``area`` can hold exhibitor ``ident``'s booth."""
    e = next(e for e in problem.exhibitors if e.id == ident)
    return any(booth_shapes(e, problem.slots[k]) for k in area)


def test_the_deep_block_goes_to_the_zone_that_needs_it(tmp_path: Path) -> None:
    """Drawn one by one blind to the others' needs, the first zone takes the deep block; the
    drawing kept gives it to the zone whose 3x3 stand needs it."""
    event = load_event(write(tmp_path))
    problem = build_problem(event)
    deep_blocks = {s.index for s in problem.slots if s.n_deep >= 3}
    assert len(deep_blocks) == 1

    members = {z.id: [e for e in problem.exhibitors if e.zone == z.id] for z in event.zones}
    allowed = {z.id: {s.index for s in problem.slots} for z in event.zones}
    blind: dict[int, dict[str | None, float]] = {s.index: {} for s in problem.slots}
    one_by_one = _draw_one_by_one(problem, event.zones, members, allowed, wanted=blind)
    assert deep_blocks <= one_by_one["small"]  # the trap
    assert not holds(problem, "d0", one_by_one["deep"])
    # Told what the others want, the one-by-one drawing leaves the deep block alone.
    aware = _draw_one_by_one(problem, event.zones, members, allowed)
    assert not deep_blocks & aware["small"]

    assert deep_blocks <= problem.zone_slots["deep"]
    assert holds(problem, "d0", problem.zone_slots["deep"])
    result = solve(problem, time_limit=5.0, seed=0, workers=2, method="greedy")
    assert result.unplaced == []
    assert check_assignment(event, assignment_dict(event, problem, result)) == []


def test_zone_areas_are_disjoint_connected_and_large_enough(tmp_path: Path) -> None:
    """Every zone's blocks hang together across aisles, no block is shared, demand fits."""
    event = load_event(write(tmp_path))
    problem = build_problem(event)
    seen: set[int] = set()
    for zone, area in problem.zone_slots.items():
        assert area and not area & seen
        seen |= area
        graph = nx.Graph()
        graph.add_nodes_from(area)
        graph.add_edges_from((k, j) for k in area for j in problem.neighbours[k] & area if j != k)
        assert nx.is_connected(graph)
        demand = sum(e.modules for e in problem.exhibitors if e.zone == zone)
        assert sum(int((problem.slots[k].cell_ids >= 0).sum()) for k in area) >= demand
        assert problem.zone_seed[zone] in area


def test_zone_areas_are_reproducible(tmp_path: Path) -> None:
    """The same event draws the same zone areas every time."""
    path = write(tmp_path)
    areas = [build_problem(load_event(path)).zone_slots for _ in range(2)]
    assert areas[0] == areas[1]


def test_a_zone_seeds_where_the_connected_floor_holds_it(tmp_path: Path) -> None:
    """A zone asking 30 modules near P's door, with 20 connected cells left in P, goes to Q."""
    from tests.solver.conftest import row, write_event

    rows = [row(f"a{n}", 1, kind="city") for n in range(15)]
    rows += [row(f"b{n}", 2, category="tech") for n in range(15)]
    zones = (
        "zones:\n  - {id: first, members: {kinds: [city]}, hall: P}\n"
        "  - {id: second, members: {categories: [tech]}, near_entrance: P-E1}\n"
    )
    event = load_event(write_event(tmp_path, rows, halls="[P, Q]", extra=zones))
    problem = build_problem(event)
    members = {z.id: [e for e in problem.exhibitors if e.zone == z.id] for z in event.zones}
    allowed = {
        z.id: {s.index for s in problem.slots if z.hall is None or s.hall == z.hall}
        for z in event.zones
    }
    drawn = _draw_one_by_one(problem, event.zones, members, allowed)
    assert {problem.slots[k].hall for k in drawn["first"]} == {"P"}
    assert {problem.slots[k].hall for k in drawn["second"]} == {"Q"}
    cells = sum(int((problem.slots[k].cell_ids >= 0).sum()) for k in drawn["second"])
    assert cells >= 30
    assert not any("zone second" in c for c in problem.conflicts)


def test_a_sponsor_whose_stand_a_column_blocks_is_seeded_where_it_fits(tmp_path: Path) -> None:
    """Two 8x6 deep blocks; a column stands in the one nearer the entrance, so the gold 6x5
    stand fits only the other. Drawn one by one, the zone's area takes that one (before, a
    block's size alone was looked at, and the area was the blocked block alone)."""
    venue = VENUE.replace("size: [45, 51]", "size: [63, 51]").replace(
        "at: [22.5, 51]", "at: [12, 51]"
    )
    venue = venue.replace("at: [45, 25]", "at: [63, 25]")
    venue += (
        "    obstacles: [{id: C1, polygon: [[17.5, 34], [18.5, 34], [18.5, 35], [17.5, 35]]}]\n"
    )
    (tmp_path / "venue.yaml").write_text(venue, encoding="utf-8")
    (tmp_path / "ex.csv").write_text(
        "id,name_en,kind,category,modules,shape,rotatable,tier\n"
        "b0,B0,company,big,30,6x5,no,gold\nb1,B1,company,big,1,,,\nb2,B2,company,big,1,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "event.yaml").write_text(
        "schema: boothopt.event/1\nname: Column\nvenue: venue.yaml\nhalls: [P]\n"
        "aisles: {feature_bands: 1, feature_depth_modules: 6}\nexhibitors: [ex.csv]\n"
        "zones:\n  - {id: big, members: {categories: [big]}}\n",
        encoding="utf-8",
    )
    event = load_event(tmp_path / "event.yaml")
    problem = build_problem(event)
    deep = [s for s in problem.slots if s.n_deep == 6]
    assert len(deep) == 2
    column = shapely.box(17.5, 34, 18.5, 35)
    blocked, clear = sorted(
        deep, key=lambda s: not shapely.box(*s.box(0, 0, s.n_along, s.n_deep, 3.0)).contains(column)
    )
    assert shapely.box(*blocked.box(0, 0, 8, 6, 3.0)).contains(column)
    # The block with the column is the nearer the entrance: the seed a location alone picks.
    members = {z.id: [e for e in problem.exhibitors if e.zone == z.id] for z in event.zones}
    allowed = {z.id: {s.index for s in problem.slots} for z in event.zones}
    drawn = _draw_one_by_one(problem, event.zones, members, allowed)
    assert clear.index in drawn["big"]  # before: {blocked}, whose size alone looked right
    result = solve(problem, method="best-spot")
    assert "b0" in {b.exhibitor_id for b in result.booths}
    assert check_assignment(event, assignment_dict(event, problem, result)) == []


def test_two_zones_freed_together_trade_the_deep_block(tmp_path: Path) -> None:
    """Started from the trap (the small booths' zone on the deep block, the 3x3's zone short of
    one), freeing the two zones together gives the deep block to the 3x3's zone: nobody is short
    any more and the model's objective rises."""
    from boothopt.solver.zoning import _build, _pairs, _score

    event = load_event(write(tmp_path))
    problem = build_problem(event)
    members = {z.id: [e for e in problem.exhibitors if e.zone == z.id] for z in event.zones}
    allowed = {z.id: {s.index for s in problem.slots} for z in event.zones}
    blind: dict[int, dict[str | None, float]] = {s.index: {} for s in problem.slots}
    trap = _draw_one_by_one(problem, event.zones, members, allowed, wanted=blind)
    open_members = [e for e in problem.exhibitors if e.zone is None]
    zm = _build(problem, event.zones, members, allowed, open_members)
    scored = _score(zm, problem, trap)
    assert scored is not None
    values, objective = scored
    assert sum(values[v.index] for v in zm.short["deep"]) > 0  # the 3x3's block need, unmet

    values, improved = _pairs(zm, problem, values, objective)
    assert improved > objective
    assert all(values[v.index] == 0 for shorts in zm.short.values() for v in shorts)
    deep_area = {k for (z, k), v in zm.x.items() if z == "deep" and values[v.index]}
    assert holds(problem, "d0", deep_area)
    # The score is the model's own: the drawing fixed, the model finds the same objective.
    drawing = {
        z.id: {k for (zz, k), v in zm.x.items() if zz == z.id and values[v.index]}
        for z in event.zones
    }
    rescored = _score(zm, problem, drawing)
    assert rescored is not None and rescored[1] == improved
