"""The decomposed solve (hall by hall from the start): every hard rule kept across hall walls."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver import solve as solve_module
from boothopt.solver.problem import build_problem
from boothopt.solver.result import term_weights
from boothopt.solver.solve import Progress, solve
from tests.solver.conftest import row, write_event
from tests.solver.validator import check_assignment


def rows() -> list[str]:
    """Exhibitors for both tiny halls: a city zone in Q, rivals who must keep 15 m apart.

    Halls P and Q stand 10 m apart on one level, so a rival near P's east wall rules out the
    booths near Q's west wall: the distance must hold across the hall border.
    """
    out = [row(f"c{n}", 1, kind="city") for n in range(12)]
    out += [row(f"r{n}", 2, tier="gold", avoid=f"s{n}:15") for n in range(6)]
    out += [row(f"s{n}", 2, tier="silver") for n in range(6)]
    out += [row(f"f{n}", 2, near=f"f{n + 1}" if n % 2 == 0 else "") for n in range(10)]
    return out


ZONES = "zones:\n  - {id: cities, members: {kinds: [city]}, hall: Q}\n"


@pytest.fixture
def decomposed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every problem count as too large for one whole-floor model."""
    monkeypatch.setattr(solve_module, "WHOLE_FLOOR_MAX_CANDIDATES", 0)


@pytest.mark.usefixtures("decomposed")
def test_decomposed_solve_keeps_every_hard_rule(tmp_path: Path) -> None:
    """Zone whole, rivals apart across the hall walls, no overlap: checked independently."""
    event = load_event(write_event(tmp_path, rows(), halls="[P, Q]", extra=ZONES))
    problem = build_problem(event)
    stages: list[str] = []

    def note(p: Progress) -> None:
        stages.append(p.stage)

    greedy = solve(problem, time_limit=5.0, seed=0, workers=2, method="greedy")
    result = solve(problem, time_limit=8.0, seed=0, workers=2, on_progress=note)
    data = assignment_dict(event, problem, result)
    assert check_assignment(event, data) == []
    assert {b["hall"] for b in data["booths"] if b["zone"] == "cities"} == {"Q"}
    assert {b["hall"] for b in data["booths"]} == {"P", "Q"}
    assert len(result.booths) >= len(greedy.booths)
    assert result.objective >= greedy.objective - 1e-6
    # The bound of a decomposed solve is at most every goal at its best, never below the layout.
    weights = term_weights(problem)
    ceiling = sum(weights[k] * t.max for k, t in result.terms.items())
    assert result.objective - 1e-6 <= result.bound <= ceiling + 1e-6
    assert any(s.startswith("placing hall") for s in stages)
    assert not any(s == "whole floor" for s in stages)


@pytest.mark.usefixtures("decomposed")
def test_decomposed_solve_is_reproducible(tmp_path: Path) -> None:
    """The same event, seed and work limit give the same layout hall by hall too."""
    event = load_event(write_event(tmp_path, rows(), halls="[P, Q]", extra=ZONES))
    layouts = []
    for _ in range(2):
        problem = build_problem(event)
        result = solve(problem, time_limit=math.inf, seed=0, workers=2, work_limit=3.0)
        assert result.reproducible
        layouts.append(sorted((b.exhibitor_id, b.box) for b in result.booths))
    assert layouts[0] == layouts[1]
