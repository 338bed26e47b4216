"""The reported bound holds for the problem as posed: bound >= true optimum >= objective.

The true optimum comes from enumerating every layout of a tiny event: every exhibitor on any of
its legal rectangles or left out, zone areas not drawn in advance but any connected set of
blocks, booths apart and competitors at their distance.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from boothopt.inputs.event_file import load_event
from boothopt.solver.candidates import build_groups
from boothopt.solver.greedy import competitor_distances
from boothopt.solver.problem import Problem, build_problem
from boothopt.solver.result import (
    candidate_terms,
    partner_pairs,
    term_weights,
    too_close,
)
from boothopt.solver.solve import solve
from tests.solver.conftest import row, write_event

STRIP = (
    "schema: boothopt.venue/1\nid: strip\nhalls:\n"
    "  - id: F\n    rect: {origin: [0, 0], size: [5, 3]}\n"
    "    entrances: [{id: F-E, at: [0, 1.5], width_m: 1}]\n"
)


def true_optimum(problem: Problem) -> float:
    """Return the best objective of any layout of the posed problem, by enumeration."""
    weights = term_weights(problem)
    groups = build_groups(problem, zone_areas="free")
    options: list[tuple[str, list[tuple[float, int, np.ndarray, np.ndarray, set[int]]]]] = []
    for g in groups:
        worth = np.zeros(g.size)
        for name, values in candidate_terms(problem, g).items():
            if name != "zone_compact":  # weighted 0 in these events: it depends on a drawing
                worth += weights[name] * np.asarray(values, dtype=float)
        for e in g.members:
            value = weights["placed"] * problem.priority[e.id]
            opts = [
                (
                    value + worth[k],
                    int(g.slot[k]),
                    g.slot[k : k + 1],
                    g.boxes[k : k + 1],
                    {int(c) for c in g.cells[k]},
                )
                for k in range(g.size)
            ]
            options.append((e.id, opts))
    zone_of = {e.id: e.zone for e in problem.exhibitors}
    apart = competitor_distances(problem)
    pairs = partner_pairs(problem)
    best = -1.0

    def legal_zones(at: dict[str, tuple[int, np.ndarray, np.ndarray]]) -> bool:
        for z in problem.event.zones:
            blocks = {s for e, (s, _, _) in at.items() if zone_of[e] == z.id}
            others = {s for e, (s, _, _) in at.items() if zone_of[e] != z.id}
            if blocks & others:
                return False
            if z.hall and any(problem.slots[s].hall != z.hall for s in blocks):
                return False
            graph = nx.Graph()
            graph.add_nodes_from(blocks)
            graph.add_edges_from(
                (a, b) for a, b in itertools.combinations(blocks, 2) if b in problem.neighbours[a]
            )
            if blocks and not nx.is_connected(graph):
                return False
        return True

    def walk(
        n: int, used: set[int], at: dict[str, tuple[int, np.ndarray, np.ndarray]], total: float
    ) -> None:
        nonlocal best
        if n == len(options):
            if not legal_zones(at):
                return
            met = sum(
                1
                for a, b in pairs
                if a in at and b in at and at[b][0] in problem.neighbours[at[a][0]]
            )
            best = max(best, total + weights["partners"] * met)
            return
        e_id, opts = options[n]
        walk(n + 1, used, at, total)  # left out
        for value, slot, slots, box, cells in opts:
            if cells & used:
                continue
            if any(
                too_close(problem, slots, box, at[o][1], at[o][2], m)[0, 0]
                for o, m in apart[e_id].items()
                if o in at
            ):
                continue
            at[e_id] = (slot, slots, box)
            walk(n + 1, used | cells, at, total + value)
            del at[e_id]

    walk(0, set(), {}, 0.0)
    return best


@pytest.mark.parametrize("method", ["greedy", "best-spot", "cpsat"])
def test_bound_holds_on_an_open_floor(tmp_path: Path, method: str) -> None:
    """Five requests for a 5x3 floor: objective <= enumerated optimum <= bound, none adjusted."""
    (tmp_path / "strip.yaml").write_text(STRIP, encoding="utf-8")
    (tmp_path / "ex.csv").write_text(
        "id,name_en,kind,modules,shape,rotatable,tier,priority_points,near,avoid\n"
        "a,A,company,6,3x2,yes,gold,0,b,\n"
        "b,B,company,4,2x2,no,standard,10,a,\n"
        "c,C,company,3,3x1,yes,standard,30,,d:2\n"
        "d,D,company,2,2x1,yes,silver,0,,\n"
        "e,E,company,2,1x2,no,standard,5,,\n",
        encoding="utf-8",
    )
    event_file = tmp_path / "event.yaml"
    event_file.write_text(
        "schema: boothopt.event/1\nname: Strip\nvenue: strip.yaml\nhalls: [F]\nmodule_m: 1\n"
        "aisles: {kind: none, entrance_clear_m: 1}\nexhibitors: [ex.csv]\n"
        "weights: {zone_compact: 0}\n",
        encoding="utf-8",
    )
    problem = build_problem(load_event(event_file))
    result = solve(problem, time_limit=5.0, workers=1, method=method)  # type: ignore[arg-type]
    optimum = true_optimum(problem)
    assert result.objective <= optimum + 1e-6
    assert optimum <= result.bound + 1e-6
    if result.status.value == "OPTIMAL":
        assert result.objective == pytest.approx(optimum, abs=1e-6)


def test_bound_holds_when_zone_areas_are_free(tmp_path: Path) -> None:
    """With a zone, the bound covers every zone area, not only the one drawn in advance."""
    rows = [
        row("z1", 4, zone="cities", tier="gold"),
        row("z2", 3, zone="cities", near="o1"),
        row("o1", 4, near="z2", points=50),
    ]
    zones = (
        "zones:\n  - {id: cities, name_ko: 도시, name_en: Cities, members: {ids: [z1, z2]}}\n"
        "weights: {zone_compact: 0}\n"
    )
    problem = build_problem(load_event(write_event(tmp_path, rows, extra=zones)))
    result = solve(problem, time_limit=5.0, workers=1)
    optimum = true_optimum(problem)
    assert result.objective <= optimum + 1e-6
    assert optimum <= result.bound + 1e-6
    assert "zone areas free" in result.bound_covers
