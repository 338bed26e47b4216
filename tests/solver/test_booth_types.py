"""Booth types: exact unless asked "or better", checked independently, explained at validate."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest

from boothopt.inputs.domain import Event
from boothopt.inputs.event_file import event_summary, load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver.problem import build_problem
from boothopt.solver.result import Result
from boothopt.solver.solve import solve
from tests.solver.conftest import row, write_event
from tests.solver.validator import check_assignment

# Hall P of the tiny venue with its entrance on the west wall, level with the north block
# (x 5..35, y 15..21): the block's west end is the best location on the floor.
DOOR_WEST = """schema: boothopt.venue/1
id: door-west
halls:
  - id: P
    rect: {origin: [0, 0], size: [40, 27]}
    entrances: [{id: P-E1, at: [0, 18], width_m: 4}]
    exits: [{id: P-X1, at: [40, 13.5], width_m: 2}]
"""


def run(
    path: Path, method: Literal["cpsat", "greedy"] = "cpsat"
) -> tuple[Event, Result, dict[str, Any]]:
    """Solve an event file briefly; return the event, the result and the assignment."""
    event = load_event(path)
    problem = build_problem(event)
    result = solve(problem, time_limit=3.0, seed=0, workers=2, method=method)
    return event, result, assignment_dict(event, problem, result)


def sides_of(data: dict[str, Any]) -> dict[str, int]:
    """Return the open sides of each placed exhibitor's booth."""
    return {b["exhibitor_id"]: b["open_sides"] for b in data["booths"]}


@pytest.mark.parametrize("method", ["greedy", "cpsat"])
def test_inline_requests_get_exactly_one_open_side(
    tmp_path: Path, method: Literal["cpsat", "greedy"]
) -> None:
    """Inline requests of 1 to 3 modules all stand on one aisle only, by both methods."""
    inline = [("i1", 1), ("i2", 1), ("i3", 2), ("i4", 2), ("i5", 3)]
    rows = [row(k, m, booth_type="inline", tier="gold") for k, m in inline]
    rows += [row(f"f{n}", 2) for n in range(4)]
    event, result, data = run(write_event(tmp_path, rows), method)
    sides = sides_of(data)
    assert {k: sides[k] for k, _ in inline} == {k: 1 for k, _ in inline}
    assert result.unplaced == []
    assert check_assignment(event, data) == []


def test_corner_requests_get_exactly_two_open_sides(tmp_path: Path) -> None:
    """Corner requests of 1, 2 and 4 modules get two open sides, never a peninsula's three."""
    corner = [("c1", 1), ("c2", 2), ("c3", 4)]
    rows = [row(k, m, booth_type="corner", tier="platinum") for k, m in corner]
    rows += [row(f"f{n}", 1) for n in range(6)]
    event, result, data = run(write_event(tmp_path, rows, extra="weights: {location: 50}\n"))
    sides = sides_of(data)
    assert {k: sides[k] for k, _ in corner} == {k: 2 for k, _ in corner}
    assert result.unplaced == []
    assert check_assignment(event, data) == []


def test_corner_plus_may_get_more_open_sides(tmp_path: Path) -> None:
    """With the booth-type goal weighted, corner+ gets three open sides while corner keeps two."""
    rows = [row("plus", 2, booth_type="corner+"), row("exact", 2, booth_type="corner")]
    weights = "weights: {location: 0, booth_type: 50}\n"
    event, result, data = run(write_event(tmp_path, rows, extra=weights))
    assert sides_of(data) == {"plus": 3, "exact": 2}
    assert result.terms["booth_type"].score > 0
    assert check_assignment(event, data) == []


@pytest.mark.parametrize(("booth_type", "sides"), [("", 2), ("inline", 1)])
def test_inline_is_not_put_on_a_corner_even_at_the_best_location(
    tmp_path: Path, booth_type: str, sides: int
) -> None:
    """The corner by the door goes to an exhibitor of any type, never to an inline one."""
    path = write_event(tmp_path, [row("solo", 1, booth_type=booth_type, tier="platinum")])
    (tmp_path / "venue.yaml").write_text(DOOR_WEST, encoding="utf-8")
    event, _, data = run(path, "cpsat")
    problem = build_problem(event)
    best = max(problem.slots, key=lambda s: s.value.max())
    assert best.value[0].max() == best.value.max()  # the best cell is at the block's end
    (booth,) = data["booths"]
    assert booth["open_sides"] == sides
    assert check_assignment(event, data) == []


def test_validator_catches_an_inline_booth_on_a_corner(tmp_path: Path) -> None:
    """The independent validator reports an inline booth that faces two aisles."""
    weights = "weights: {location: 0, booth_type: 50}\n"
    _, _, data = run(write_event(tmp_path, [row("solo", 1)], extra=weights))
    assert data["booths"][0]["open_sides"] == 2  # any type: the corner is a bonus
    exact = tmp_path / "exact"
    exact.mkdir()
    event = load_event(write_event(exact, [row("solo", 1, booth_type="inline")]))
    assert any("faces 2 aisles" in p and "inline" in p for p in check_assignment(event, data))


def test_validate_warns_of_a_size_that_cannot_make_its_type(tmp_path: Path) -> None:
    """Validate warns of a 3-module peninsula and a 6-module inline booth in 2-deep rows."""
    rows = [
        row("pen", 3, booth_type="peninsula"),
        row("inl", 6, booth_type="inline"),
        row("isl", 4, booth_type="island"),
        row("inl-plus", 6, booth_type="inline+"),
    ]
    warnings = event_summary(load_event(write_event(tmp_path, rows)))["warnings"]
    pen = [w for w in warnings if "ex.csv:2: pen:" in w]
    inl = [w for w in warnings if "ex.csv:3: inl:" in w]
    assert len(pen) == 1 and len(inl) == 1, warnings
    assert "peninsula" in pen[0] and "2 modules deep" in pen[0] and "ask for" in pen[0]
    assert "inline" in inl[0] and "corner" in inl[0]  # what the size can be instead
    assert not any(": isl:" in w or ": inl-plus:" in w for w in warnings)


def test_a_type_the_rows_cannot_make_is_the_reason_it_goes_unplaced(tmp_path: Path) -> None:
    """A 3-module peninsula on a floor of 2-deep rows is unplaced, and the reason says why."""
    _, result, _ = run(write_event(tmp_path, [row("pen", 3, booth_type="peninsula")]))
    ((ident, reason),) = result.unplaced
    assert ident == "pen" and "spans its row's depth" in reason
