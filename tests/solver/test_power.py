"""Power: exhibitors needing it stand within reach of a power point, or are told why not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import Point, Polygon

from boothopt.inputs.domain import Event
from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver.power import within_power_reach
from boothopt.solver.problem import build_problem
from boothopt.solver.result import Result
from boothopt.solver.solve import solve
from tests.solver.validator import check_assignment

# Two 40 m x 27 m halls, each two blocks of 10 x 2 modules (x 5..35, y 6..12 and 15..21).
# P has one power point in its south-west corner, 5 m from the nearest cell (5..8, 6..9) and
# over 7 m from every other; its entrance is on the north wall, far from it. Q has no power.
CORNER = (2.0, 2.0)
VENUE = f"""schema: boothopt.venue/1
id: powered
halls:
  - id: P
    rect: {{origin: [0, 0], size: [40, 27]}}
    entrances: [{{id: P-E1, at: [20, 27], width_m: 4}}]
    exits: [{{id: P-X1, at: [0, 13.5], width_m: 2}}, {{id: P-X2, at: [40, 13.5], width_m: 2}}]
    utilities: [{{kind: power, at: [{CORNER[0]}, {CORNER[1]}]}}, {{kind: data, at: [20, 13.5]}}]
  - id: Q
    rect: {{origin: [50, 0], size: [40, 27]}}
    entrances: [{{id: Q-E1, at: [70, 27], width_m: 4}}]
    exits: [{{id: Q-X1, at: [50, 13.5], width_m: 2}}, {{id: Q-X2, at: [90, 13.5], width_m: 2}}]
"""
HEADER = "id,name_en,kind,modules,tier,halls,power_kw"
OTHERS = [f"b{n},B{n},company,1,gold,," for n in range(6)]


def write_event(tmp_path: Path, rows: list[str], halls: str = "[P]", extra: str = "") -> Path:
    """Write the powered venue, an event renting ``halls`` and a CSV of ``rows``; return it."""
    (tmp_path / "venue.yaml").write_text(VENUE, encoding="utf-8")
    (tmp_path / "ex.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    event = tmp_path / "event.yaml"
    event.write_text(
        f"schema: boothopt.event/1\nname: Powered\nvenue: venue.yaml\nhalls: {halls}\n"
        f"exhibitors: [ex.csv]\n{extra}",
        encoding="utf-8",
    )
    return event


def run(path: Path, method: str = "cpsat") -> tuple[Event, Result, dict[str, Any]]:
    """Solve an event file briefly; return the event, the result and the assignment."""
    event = load_event(path)
    problem = build_problem(event)
    result = solve(
        problem,
        time_limit=3.0,
        seed=0,
        workers=2,
        method="greedy" if method == "greedy" else "cpsat",
    )
    return event, result, assignment_dict(event, problem, result)


def booth_polygon(data: dict[str, Any], ident: str) -> Polygon:
    """Return the polygon of an exhibitor's booth in an assignment."""
    return Polygon(next(b["polygon"] for b in data["booths"] if b["exhibitor_id"] == ident))


def test_reach_is_edge_to_edge_from_the_booth(tmp_path: Path) -> None:
    """A booth 5 m from the point is within the default 6 m, one 7.2 m away only within 7.5 m."""
    boxes = np.array([[5.0, 6.0, 8.0, 9.0], [8.0, 6.0, 11.0, 9.0]])
    slots = np.array([0, 0])
    needy = "amp,Amp,company,1,gold,,5"
    problem = build_problem(load_event(write_event(tmp_path, [needy])))
    amp = problem.exhibitors[0]
    assert problem.slots[0].hall == "P"
    assert within_power_reach(problem, amp, slots, boxes).tolist() == [True, False]
    far = build_problem(load_event(write_event(tmp_path, [needy], extra="power_reach_m: 7.5\n")))
    assert within_power_reach(far, far.exhibitors[0], slots, boxes).tolist() == [True, True]


@pytest.mark.parametrize("method", ["greedy", "cpsat"])
def test_power_need_is_placed_within_reach(tmp_path: Path, method: str) -> None:
    """The platinum exhibitor needing power stands by the corner power point; the rest anywhere."""
    rows = ["amp,Amp,company,1,platinum,,5", *OTHERS]
    event, result, data = run(write_event(tmp_path, rows), method)
    assert not result.unplaced
    point = Point(CORNER)
    assert booth_polygon(data, "amp").distance(point) <= 6.0 + 1e-6
    assert all(booth_polygon(data, f"b{n}").distance(point) > 6.0 for n in range(6))
    assert check_assignment(event, data) == []


def test_hall_with_power_is_chosen_over_a_preferred_hall_without(tmp_path: Path) -> None:
    """Preferring hall Q (no power) does not take an exhibitor needing power away from P's point."""
    rows = ["amp,Amp,company,1,platinum,Q,5", *OTHERS]
    event, result, data = run(write_event(tmp_path, rows, halls="[P, Q]"))
    assert not result.unplaced and not result.conflicts
    amp = next(b for b in data["booths"] if b["exhibitor_id"] == "amp")
    assert amp["hall"] == "P"
    assert booth_polygon(data, "amp").distance(Point(CORNER)) <= 6.0 + 1e-6
    assert check_assignment(event, data) == []


def test_power_need_in_a_hall_without_power_is_placed_and_reported(tmp_path: Path) -> None:
    """In hall Q, which has no power point, the exhibitor is placed and the conflict names it."""
    rows = ["amp,Amp,company,1,platinum,,5", *OTHERS]
    event, result, data = run(write_event(tmp_path, rows, halls="[Q]"))
    assert not result.unplaced
    assert any(b["exhibitor_id"] == "amp" for b in data["booths"])
    assert result.conflicts == [
        "exhibitor amp needs 5 kW of power but hall Q has no power point — add `utilities:` or "
        "`utility_grid:` to the venue, or bring a generator"
    ]
    assert check_assignment(event, data) == []


def test_no_free_space_within_reach_gives_the_reason(tmp_path: Path) -> None:
    """A stage on the only cell within reach of power leaves the exhibitor out, and says why."""
    stage = "reserved:\n  - {id: stage, kind: stage, size_m: [3, 3], hall: P, at: [5, 6]}\n"
    rows = ["amp,Amp,company,1,platinum,,5", *OTHERS]
    event, result, data = run(write_event(tmp_path, rows, extra=stage))
    reasons = dict(result.unplaced)
    assert list(reasons) == ["amp"]
    assert "no free 1-module space within 6 m of a power point in" in reasons["amp"]
    assert not result.conflicts
    assert check_assignment(event, data) == []
