"""Priority kept: the space draw's order is never inverted, and no fitting space is left free."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver.candidates import build_groups
from boothopt.solver.greedy import greedy_layout
from boothopt.solver.priority import priority_breaches, restore_priority
from boothopt.solver.problem import build_problem
from boothopt.solver.result import objective_value, placement_weight, score_terms
from boothopt.solver.solve import _booth, solve
from tests.solver.conftest import row, write_event
from tests.solver.oracle import draw_key, undone
from tests.solver.validator import check_assignment


def overfull(tmp_path: Path) -> Path:
    """Write 22 two-module requests for hall P's 40 cells; the later ids have the more points."""
    rows = [row(f"c{n:02d}", 2, points=10 * n) for n in range(22)]
    return write_event(tmp_path, rows)


def test_priority_values_follow_tier_then_points_and_the_draw_adds_the_date(
    tmp_path: Path,
) -> None:
    """Values order exhibitors by tier, then points (above 100 too), a lowest-tier value is its
    points exactly; the draw's rank orders any two as tier, points, date do, ties equal."""
    rows = [
        row("plat", 1, tier="platinum"),
        row("gold-lots", 1, tier="gold", points=950),
        row("gold-some", 1, tier="gold", points=120),
        row("gold-some-too", 1, tier="gold", points=120),
        row("std-top", 1, points=5000),
        row("std", 1),
    ]
    event = load_event(write_event(tmp_path, rows))
    event = replace(
        event,
        exhibitors=(
            *event.exhibitors,
            replace(event.exhibitors[-1], id="std-early", applied_on=dt.date(2024, 3, 1)),
            replace(event.exhibitors[-1], id="std-late", applied_on=dt.date(2024, 5, 1)),
        ),
    )
    problem = build_problem(event)
    v, rank = problem.priority, problem.draw_rank
    for a in event.exhibitors:
        for b in event.exhibitors:
            if draw_key(event, a) < draw_key(event, b):
                assert rank[a.id] < rank[b.id], (a.id, b.id)
                assert v[a.id] >= v[b.id], (a.id, b.id)
                if draw_key(event, a)[:2] != draw_key(event, b)[:2]:  # tier or points differ
                    assert v[a.id] > v[b.id], (a.id, b.id)
            elif draw_key(event, a) == draw_key(event, b):
                assert v[a.id] == v[b.id] and rank[a.id] == rank[b.id]
    # The lowest tier is worth its points, nothing added.
    assert v["std-top"] == 5000 and v["std"] == 0
    # One sponsor outweighs as many lower-tier exhibitors as the largest booth holds.
    largest = max(e.modules for e in event.exhibitors)
    assert v["gold-some"] > (largest + 1) * v["std-top"] - 1


def test_one_more_placed_outweighs_every_soft_goal(tiny: Path) -> None:
    """The weight of a unit of priority exceeds every soft goal at its maximum, summed."""
    problem = build_problem(load_event(overfull(tiny)))
    terms = score_terms(problem, [])
    weights = problem.event.weights
    soft = sum(getattr(weights, k) * t.max for k, t in terms.items() if k != "placed")
    assert placement_weight(problem) > soft


def test_first_come_inverts_priority_and_the_check_names_it(tiny: Path) -> None:
    """First come (by id) leaves out the highest points; the check and the oracle both see it."""
    event = load_event(overfull(tiny))
    problem = build_problem(event)
    result = solve(problem, time_limit=2.0, workers=1, method="greedy")
    assert len(result.booths) == 20
    assert sorted(e for e, _ in result.unplaced) == ["c20", "c21"]
    assert len(result.priority_breaches) == 2
    assert all("of lower priority" in line for line in result.priority_breaches)
    found = undone(event, assignment_dict(event, problem, result))
    assert [line.split()[0] for line in sorted(found)] == ["c20", "c21"]
    assert all("fits where lower-priority" in line for line in found)


def test_restore_places_the_better_and_fills_free_space(tiny: Path) -> None:
    """From a layout with an inversion and a free space, the repair leaves neither, objective up."""
    event = load_event(overfull(tiny))
    problem = build_problem(event)
    groups = build_groups(problem)
    layout = greedy_layout(problem, groups)
    del layout["c05"]  # its booth is now a free space that c20 or c21 fits
    before = priority_breaches(problem, groups, layout, {})
    assert [line.split()[0] for line in before] == ["c21", "c20", "c05"]
    assert all("free 2x1 space" in line or "free 1x2 space" in line for line in before)
    fixed, moves = restore_priority(problem, groups, layout)
    assert moves >= 2
    assert priority_breaches(problem, groups, fixed, {}) == []
    placed = set(fixed)
    assert {"c20", "c21"} <= placed and len(placed) == 20
    # The 20 placed are the 20 with the most points.
    assert placed == {f"c{n:02d}" for n in range(2, 22)}

    def value(chosen: dict[str, tuple[int, int]]) -> float:
        booths = [_booth(problem, groups[g], e, k) for e, (g, k) in chosen.items()]
        return objective_value(problem, score_terms(problem, booths))

    assert value(fixed) > value(greedy_layout(problem, groups))


def test_optimizer_keeps_priority_on_an_overfull_floor(tiny: Path) -> None:
    """Even cut short, the optimizer leaves no inversion and no free space: the oracle agrees."""
    event = load_event(overfull(tiny))
    problem = build_problem(event)
    result = solve(problem, time_limit=1.0, workers=1)
    data = assignment_dict(event, problem, result)
    assert check_assignment(event, data) == []
    assert result.priority_breaches == []
    assert undone(event, data) == []
    assert {e for e, _ in result.unplaced} == {"c00", "c01"}


def test_the_repair_goes_round_again_when_a_move_frees_room() -> None:
    """On the 2024 example, a first-come layout with a random 30 % taken off: the repair leaves
    no breach. A single pass over the waiting left one with seeds 11 and 25: someone passed
    over before a later move freed cells (the one who made room had the larger booth)."""
    import random

    from boothopt.solver.candidates import build_groups as groups_of

    event = load_event(Path(__file__).resolve().parents[2] / "examples/smartlife-2024/event.yaml")
    problem = build_problem(event)
    groups = groups_of(problem)
    base = greedy_layout(problem, groups)
    for seed in (11, 25):
        rng = random.Random(seed)
        layout = {e: c for e, c in base.items() if rng.random() > 0.3}
        assert priority_breaches(problem, groups, layout, {})  # many, to begin with
        fixed, _ = restore_priority(problem, groups, layout)
        assert priority_breaches(problem, groups, fixed, {}) == []


def test_a_sponsor_takes_the_place_of_several_lower_tier_booths(tiny: Path) -> None:
    """Hall P (40 cells) packed full with 2-module standard booths, a 4-module gold stand left
    out: no free space and no single lower booth where it fits, yet two standard booths hold a
    place it fits. The check names it; the repair seats the gold there and the two wait (no room
    is left for them), the objective up, every rule kept, nothing left to report."""
    rows = [row("gold", 4, tier="gold")] + [row(f"s{n:02d}", 2) for n in range(22)]
    event = load_event(write_event(tiny, rows))
    problem = build_problem(event)
    groups = build_groups(problem)
    standard = next(g for g in groups if any(e.id == "s00" for e in g.members))
    taken: set[int] = set()
    layout: dict[str, tuple[int, int]] = {}
    members = iter(m.id for m in standard.members)
    for k in range(standard.size):
        cells = set(standard.cells[k].tolist())
        if not cells & taken:
            taken |= cells
            layout[next(members)] = (standard.index, k)
    assert len(layout) == 20, "the test needs hall P packed full"

    before = priority_breaches(problem, groups, layout, {})
    assert len(before) == 1 and before[0].startswith("gold is left out while ")
    assert "all of a lower tier" in before[0]

    fixed, moves = restore_priority(problem, groups, layout)

    assert "gold" in fixed and moves == 1
    assert len(fixed) == 19  # the gold and 18 standard booths fill the 40 cells
    cells = [c for g, k in fixed.values() for c in groups[g].cells[k].tolist()]
    assert len(cells) == len(set(cells))
    assert priority_breaches(problem, groups, fixed, {}) == []

    def value(chosen: dict[str, tuple[int, int]]) -> float:
        booths = [_booth(problem, groups[g], e, k) for e, (g, k) in chosen.items()]
        return objective_value(problem, score_terms(problem, booths))

    assert value(fixed) > value(layout)
