"""The allocation solver: hard rules (checked independently), soft terms, reasons, determinism."""

from __future__ import annotations

import itertools
import math
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Polygon

from boothopt.inputs.domain import Event
from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import TIMING_FIELDS, assignment_dict, assignment_json
from boothopt.solver.problem import build_problem
from boothopt.solver.result import Result
from boothopt.solver.solve import solve
from tests.solver.conftest import row, write_event
from tests.solver.validator import check_assignment

EXAMPLE = Path(__file__).parents[2] / "examples" / "smartlife-2024" / "event.yaml"
BOX = (
    "schema: boothopt.venue/1\nid: box\n"
    "halls:\n  - {{id: F, rect: {{origin: [0, 0], size: [{w}, {d}]}}}}\n"
)


def run(
    path: Path,
    method: str = "cpsat",
    time_limit: float = 5.0,
    seed: int = 0,
    work_limit: float | None = None,
) -> tuple[Event, Result, dict[str, Any]]:
    """Solve an event file; return the event, the result and the assignment file's content."""
    event = load_event(path)
    problem = build_problem(event)
    result = solve(
        problem,
        time_limit=time_limit,
        seed=seed,
        workers=2,
        method="greedy" if method == "greedy" else "cpsat",
        work_limit=work_limit,
    )
    return event, result, assignment_dict(event, problem, result)


def booth_of(data: dict[str, Any], ident: str) -> dict[str, Any]:
    """Return the booth of an exhibitor in an assignment."""
    return next(b for b in data["booths"] if b["exhibitor_id"] == ident)


@pytest.mark.parametrize("method", ["greedy", "cpsat"])
def test_2024_example_keeps_every_hard_rule(method: str) -> None:
    """Both methods lay out the 2024 event with no overlap, all on usable floor, rules kept."""
    event, result, data = run(EXAMPLE, method, time_limit=6.0)
    assert check_assignment(event, data) == []
    assert len(result.booths) >= 0.95 * len(event.exhibitors)
    assert all(reason for _, reason in result.unplaced)


def test_optimizer_is_never_worse_than_the_greedy_start() -> None:
    """CP-SAT starts from the greedy layout, so its objective is at least the greedy's."""
    _, greedy, _ = run(EXAMPLE, "greedy")
    _, best, _ = run(EXAMPLE, "cpsat", time_limit=6.0)
    assert best.objective >= greedy.objective - 1e-6
    assert best.bound >= best.objective - 1e-6
    assert 0 <= best.gap < 0.05


def idle_then_busy(path: Path, work_limit: float) -> list[tuple[Result, dict[str, Any]]]:
    """Solve an event twice under a work limit and no wall clock, the second time beside a
    process that keeps a core busy; return each result and assignment."""
    out = []
    for busy in (False, True):
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
        try:
            _, result, data = run(path, time_limit=math.inf, work_limit=work_limit)
        finally:
            if hog is not None:
                hog.kill()
                hog.wait()
        out.append((result, data))
    return out


def test_same_work_limit_gives_the_same_assignment_on_a_busy_machine() -> None:
    """Two solves with one seed and work limit write the same assignment, timing aside, though
    the second runs beside a process that keeps a core busy; no wall clock limits them."""
    texts = []
    for result, data in idle_then_busy(EXAMPLE, work_limit=2.0):
        assert result.ended_by == "work limit" and result.reproducible
        assert data["solver"]["ended_by"] == "work limit" and data["solver"]["reproducible"]
        for field in TIMING_FIELDS:
            data["solver"].pop(field)
        texts.append(assignment_json(data))
    assert texts[0] == texts[1]


def test_exact_mode_work_limit_gives_the_same_assignment_on_a_busy_machine(
    tmp_path: Path,
) -> None:
    """Exact mode (the compiled search's streams in threads, then the interval model) repeats
    under a work limit too, the second run beside a process that keeps a core busy: 40
    rectangles cut from a 50 x 50 floor, too few branches to find their perfect packing."""
    rects = guillotine_cuts(50, 50, 40, seed=9)
    items = {f"r{n}": (f"{w}x{d}", float(w * d)) for n, (w, d) in enumerate(rects)}
    event = packing_event(tmp_path, 50, 50, items)
    texts = []
    for result, data in idle_then_busy(event, work_limit=0.5):
        assert result.reproducible and data["solver"]["reproducible"]
        assert check_assignment(load_event(event), data) == []
        for field in TIMING_FIELDS:
            data["solver"].pop(field)
        texts.append(assignment_json(data))
    assert texts[0] == texts[1]


def test_a_run_the_wall_clock_cut_says_so() -> None:
    """A time limit too short for the work: the result says the clock ended it, not reproducible."""
    _, result, data = run(EXAMPLE, time_limit=2.0, work_limit=1000.0)
    assert result.ended_by == "time limit"
    assert not result.reproducible
    assert data["solver"]["reproducible"] is False


def test_exact_packer_finds_a_perfect_packing(tmp_path: Path) -> None:
    """On an open 6 m x 5 m floor with 1 m modules, three fixed rectangles fill it exactly."""
    venue = BOX.format(w=6, d=5)
    (tmp_path / "box.yaml").write_text(venue, encoding="utf-8")
    (tmp_path / "ex.csv").write_text(
        "id,name_en,kind,modules,shape,rotatable\n"
        "a,A,company,12,4x3,no\nb,B,company,6,2x3,no\nc,C,company,12,6x2,no\n",
        encoding="utf-8",
    )
    event = tmp_path / "event.yaml"
    event.write_text(
        "schema: boothopt.event/1\nname: Packing\nvenue: box.yaml\nhalls: [F]\nmodule_m: 1\n"
        "aisles: {kind: none}\nexhibitors: [ex.csv]\n",
        encoding="utf-8",
    )
    ev, result, data = run(event, time_limit=5.0)
    assert len(result.booths) == 3 and result.unplaced == []
    polys = [Polygon(b["polygon"]) for b in data["booths"]]
    assert sum(p.area for p in polys) == pytest.approx(30.0)
    assert all(a.intersection(b).area == 0 for a, b in itertools.combinations(polys, 2))
    sizes = {b["exhibitor_id"]: tuple(b["size_m"]) for b in data["booths"]}
    assert sizes == {"a": (4.0, 3.0), "b": (2.0, 3.0), "c": (6.0, 2.0)}
    assert check_assignment(ev, data) == []


def packing_event(
    tmp_path: Path, width: int, depth: int, items: dict[str, tuple[str, float]]
) -> Path:
    """Write an exact-mode event: fixed rectangles ``id -> ("WxD", points)`` on an open floor,
    placement the only weighted goal."""
    (tmp_path / "box.yaml").write_text(BOX.format(w=width, d=depth), encoding="utf-8")
    lines = [
        f"{k},{k},company,{int(s.split('x')[0]) * int(s.split('x')[1])},{s},no,{p}"
        for k, (s, p) in items.items()
    ]
    (tmp_path / "ex.csv").write_text(
        "id,name_en,kind,modules,shape,rotatable,priority_points\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    event = tmp_path / "event.yaml"
    event.write_text(
        "schema: boothopt.event/1\nname: Packing\nvenue: box.yaml\nhalls: [F]\nmodule_m: 1\n"
        "aisles: {kind: none}\nexhibitors: [ex.csv]\nweights: {location: 0, preferred_hall: 0, "
        "partners: 0, booth_type: 0, zone_compact: 0, placed: 1}\n",
        encoding="utf-8",
    )
    return event


def test_two_dimensional_knapsack_is_solved_to_optimality(tmp_path: Path) -> None:
    """With points the only weight and too many requests, the placed set maximizes the points."""
    items = {
        "a": ("3x3", 40),
        "b": ("2x4", 30),
        "c": ("3x2", 25),
        "d": ("2x2", 20),
        "e": ("5x1", 18),
        "f": ("1x3", 9),
        "g": ("4x2", 35),
    }
    event = packing_event(tmp_path, 5, 4, items)
    _, result, data = run(event, time_limit=10.0)
    assert result.status.value == "OPTIMAL"
    got = sum(items[b["exhibitor_id"]][1] for b in data["booths"])
    assert got == brute_force_knapsack(items, 5, 4)


@pytest.mark.parametrize(
    "items",
    [
        # Points above 100: the two 4x2 stands (2 x 260) beat the 5x4-filling mix of the rest.
        {
            "a": ("5x2", 500),
            "b": ("4x2", 260),
            "c": ("4x2", 260),
            "d": ("1x2", 30),
            "e": ("1x4", 45),
            "f": ("3x3", 390),
        },
        # Decimal points, kept exactly: 12.5 + 7.25 + ...
        {
            "a": ("3x2", 12.5),
            "b": ("2x2", 7.25),
            "c": ("2x3", 11.75),
            "d": ("5x1", 6.5),
            "e": ("3x3", 19.0),
        },
    ],
)
def test_placed_only_objective_is_the_sum_of_the_points(
    tmp_path: Path, items: dict[str, tuple[str, float]]
) -> None:
    """With ``placed`` the only weight, the objective is the placed points, and proved optimal."""
    event = packing_event(tmp_path, 5, 4, items)
    _, result, data = run(event, time_limit=20.0)
    best = brute_force_knapsack(items, 5, 4)
    got = sum(items[b["exhibitor_id"]][1] for b in data["booths"])
    assert got == pytest.approx(best)
    assert result.objective == pytest.approx(best)
    assert result.status.value == "OPTIMAL"
    assert result.bound == pytest.approx(best, abs=1e-6)


def guillotine_cuts(width: int, depth: int, n: int, seed: int) -> list[tuple[int, int]]:
    """Cut a width x depth floor into ``n`` rectangles at random; return their sizes (w, d)."""
    rng = random.Random(seed)
    rects = [(width, depth)]
    while len(rects) < n:
        rects.sort(key=lambda r: -r[0] * r[1])
        w, d = rects.pop(0)
        if w >= d:
            c = rng.randint(1, w - 1)
            rects += [(c, d), (w - c, d)]
        else:
            c = rng.randint(1, d - 1)
            rects += [(w, c), (w, d - c)]
    return rects


def test_exact_mode_finds_a_perfect_packing_of_24_rectangles(tmp_path: Path) -> None:
    """24 fixed rectangles cut from a 20 x 20 floor go back with no gap, proved optimal (every
    exhibitor placed: nothing is worth more)."""
    rects = guillotine_cuts(20, 20, 24, seed=5)
    items = {f"r{n}": (f"{w}x{d}", float(w * d)) for n, (w, d) in enumerate(rects)}
    event = packing_event(tmp_path, 20, 20, items)
    ev, result, data = run(event, time_limit=60.0)
    assert result.unplaced == [] and len(result.booths) == 24
    assert result.status.value == "OPTIMAL" and result.objective == pytest.approx(400)
    polys = [Polygon(b["polygon"]) for b in data["booths"]]
    assert shapely.union_all(polys).area == pytest.approx(400.0)
    assert sum(p.area for p in polys) == pytest.approx(400.0)
    assert check_assignment(ev, data) == []


def brute_force_knapsack(items: dict[str, tuple[str, float]], width: int, depth: int) -> float:
    """Return the most points any set of non-overlapping fixed rectangles on the floor earns."""
    shapes = {k: (int(s[0]), int(s[2])) for k, (s, _) in items.items()}
    best = 0.0

    def place(names: list[str], used: set[tuple[int, int]], points: float) -> None:
        nonlocal best
        best = max(best, points)
        if not names:
            return
        first, rest = names[0], names[1:]
        w, d = shapes[first]
        for x in range(width - w + 1):
            for y in range(depth - d + 1):
                cells = {(x + i, y + j) for i in range(w) for j in range(d)}
                if not cells & used:
                    place(rest, used | cells, points + items[first][1])
        place(rest, used, points)

    place(sorted(items), set(), 0)
    return best


def test_better_tier_gets_the_better_location(tmp_path: Path) -> None:
    """A platinum sponsor gets a spot at least as near the entrance as any standard one."""
    rows = [row(f"std{n}", 2) for n in range(8)] + [row("plat", 2, tier="platinum")]
    _, result, _ = run(write_event(tmp_path, rows))
    value = {b.exhibitor_id: b.value for b in result.booths}
    others = [v for k, v in value.items() if k != "plat"]
    assert value["plat"] >= max(others) and value["plat"] > min(others)


def test_preferred_hall_is_granted(tmp_path: Path) -> None:
    """An exhibitor asking for hall Q gets Q when two halls are rented."""
    path = write_event(tmp_path, [row("a", 2, halls="Q"), row("b", 2, halls="P")], halls="[P, Q]")
    _, result, data = run(path)
    assert booth_of(data, "a")["hall"] == "Q" and booth_of(data, "b")["hall"] == "P"
    assert result.terms["preferred_hall"].score == 2


def test_partners_end_up_close(tmp_path: Path) -> None:
    """Partners in two halls' worth of floor stand in one block or facing blocks."""
    rows = [
        row("city", 2, near="firm", kind="city"),
        row("firm", 1, near="city"),
        row("x1", 2, tier="gold"),
        row("x2", 2, tier="gold"),
    ]
    path = write_event(tmp_path, rows, halls="[P, Q]", extra="weights: {partners: 50}\n")
    _, result, data = run(path)
    a, b = Polygon(booth_of(data, "city")["polygon"]), Polygon(booth_of(data, "firm")["polygon"])
    assert booth_of(data, "city")["hall"] == booth_of(data, "firm")["hall"]
    assert a.distance(b) <= 5.0 + 1e-6
    assert result.terms["partners"].score == result.terms["partners"].max == 1


def test_competitors_keep_their_distance(tmp_path: Path) -> None:
    """Two competitors asking 20 m apart stand at least 20 m apart, edge to edge."""
    rows = [row("a", 1, avoid="b:20", tier="gold"), row("b", 1, tier="gold")]
    ev, _, data = run(write_event(tmp_path, rows))
    a, b = Polygon(booth_of(data, "a")["polygon"]), Polygon(booth_of(data, "b")["polygon"])
    assert a.distance(b) >= 20 - 1e-6
    assert check_assignment(ev, data) == []


def test_heavy_exhibit_goes_where_the_floor_bears_it(tmp_path: Path) -> None:
    """A 2.5 t/m² exhibit goes to hall Q (3 t/m²), never P (1 t/m²)."""
    path = write_event(tmp_path, [row("heavy", 2, load="2.5")], halls="[P, Q]")
    _, _, data = run(path)
    assert booth_of(data, "heavy")["hall"] == "Q"


def test_heavy_exhibit_with_no_strong_floor_is_unplaced_with_the_reason(tmp_path: Path) -> None:
    """With only hall P rented, a 2.5 t/m² exhibit is unplaced and the reason names the load."""
    _, result, _ = run(write_event(tmp_path, [row("heavy", 2, load="2.5")]))
    assert result.unplaced == [("heavy", result.unplaced[0][1])]
    assert "2.5 t/m²" in result.unplaced[0][1]


def test_booth_types_are_kept(tmp_path: Path) -> None:
    """An island request gets four open sides, a corner request at least two."""
    rows = [
        row("isl", 4, booth_type="island"),
        row("cor", 2, booth_type="corner"),
        *[row(f"f{n}", 1) for n in range(10)],
    ]
    ev, _, data = run(write_event(tmp_path, rows))
    assert booth_of(data, "isl")["open_sides"] == 4
    assert booth_of(data, "cor")["open_sides"] >= 2
    assert check_assignment(ev, data) == []


def test_lowest_priority_goes_unplaced_with_a_reason(tmp_path: Path) -> None:
    """With 44 modules asked of a 40-cell hall, the lowest-priority requests are left out."""
    rows = [row(f"g{n}", 2, tier="gold") for n in range(18)] + [row("low1", 4), row("low2", 4)]
    _, result, _ = run(write_event(tmp_path, rows))
    left = dict(result.unplaced)
    assert set(left) <= {"low1", "low2"} and left
    assert all("no free" in why and "higher-priority" in why for why in left.values())


def test_too_large_for_any_block_is_explained(tmp_path: Path) -> None:
    """A 5x5 stand on a floor of 2-deep blocks is unplaced: no block is large enough."""
    _, result, _ = run(write_event(tmp_path, [row("big", 25, shape="5x5")]))
    assert result.unplaced[0][0] == "big"
    assert "large enough for a 5x5 booth" in result.unplaced[0][1]


def test_zone_larger_than_its_hall_is_a_conflict(tmp_path: Path) -> None:
    """A zone tied to hall P whose members need more than P holds is reported as a conflict."""
    rows = [row(f"c{n}", 2, kind="city") for n in range(25)]
    zones = (
        "zones:\n  - {id: smart-city-seoul, name_en: Smart City Seoul Zone, "
        "members: {kinds: [city]}, hall: P}\n"
    )
    ev, result, data = run(write_event(tmp_path, rows, halls="[P, Q]", extra=zones))
    assert any("zone smart-city-seoul" in c and "50 modules" in c for c in result.conflicts)
    assert all(b["hall"] == "P" for b in data["booths"])
    assert result.unplaced
    assert check_assignment(ev, data) == []


def test_zone_members_stay_together(tmp_path: Path) -> None:
    """Zone members stand together in the zone's hall, with no outsider among their blocks."""
    rows = [row(f"c{n}", 1, kind="city") for n in range(8)] + [
        row(f"f{n}", 2, tier="gold") for n in range(6)
    ]
    zones = "zones:\n  - {id: cities, members: {kinds: [city]}, hall: Q}\n"
    ev, _, data = run(write_event(tmp_path, rows, halls="[P, Q]", extra=zones))
    assert check_assignment(ev, data) == []
    assert {b["hall"] for b in data["booths"] if b["zone"] == "cities"} == {"Q"}


def test_open_sides_go_to_sponsors(tmp_path: Path) -> None:
    """With the booth-type goal weighted, a gold sponsor asking any type gets a corner or more."""
    rows = [row("gold", 2, tier="gold")] + [row(f"s{n}", 2) for n in range(14)]
    weights = "weights: {location: 0, booth_type: 50}\n"
    _, result, data = run(write_event(tmp_path, rows, extra=weights))
    assert booth_of(data, "gold")["open_sides"] >= 2
    assert result.terms["booth_type"].score > 0


def test_zone_members_gather_around_its_first_block(tmp_path: Path) -> None:
    """With the compactness goal weighted, a zone spanning two blocks fills its first block."""
    rows = [row(f"c{n}", 1, kind="city") for n in range(22)]
    zones = "zones:\n  - {id: cities, members: {kinds: [city]}, hall: Q}\n"
    weights = "weights: {location: 0, zone_compact: 50}\n"
    path = write_event(tmp_path, rows, halls="[P, Q]", extra=zones + weights)
    ev, _, data = run(path)
    problem = build_problem(ev)
    assert len(problem.zone_slots["cities"]) == 2
    seed = problem.slots[problem.zone_seed["cities"]]
    x0, y0, x1, y1 = seed.box(0, 0, seed.n_along, seed.n_deep, 3.0)
    first_block = shapely.box(x0, y0, x1, y1)
    inside = [b for b in data["booths"] if Polygon(b["polygon"]).within(first_block)]
    assert len(inside) == 20  # the first block is full; only two stand in the second
    assert check_assignment(ev, data) == []


def test_competitors_on_different_levels_are_not_near(tmp_path: Path) -> None:
    """Competitors in halls one above the other (same coordinates, other level) may both stand."""
    venue = VENUE_TWO_LEVELS
    (tmp_path / "venue.yaml").write_text(venue, encoding="utf-8")
    (tmp_path / "ex.csv").write_text(
        "id,name_en,kind,modules,halls,avoid\n"
        + "\n".join(f"a{n},A{n},company,2,L,b{n}:60" for n in range(6))
        + "\n"
        + "\n".join(f"b{n},B{n},company,2,U," for n in range(6))
        + "\n",
        encoding="utf-8",
    )
    event = tmp_path / "event.yaml"
    event.write_text(
        "schema: boothopt.event/1\nname: Levels\nvenue: venue.yaml\nhalls: [L, U]\n"
        "exhibitors: [ex.csv]\n",
        encoding="utf-8",
    )
    ev, result, data = run(event)
    assert len(result.booths) == 12 and result.unplaced == []
    assert {b["hall"] for b in data["booths"] if b["exhibitor_id"].startswith("a")} == {"L"}
    assert check_assignment(ev, data) == []


VENUE_TWO_LEVELS = """schema: boothopt.venue/1
id: stacked
halls:
  - id: L
    level: 1F
    rect: {origin: [0, 0], size: [40, 27]}
    entrances: [{at: [20, 27], width_m: 4}]
    exits: [{at: [0, 13.5], width_m: 2}]
  - id: U
    level: 2F
    rect: {origin: [0, 0], size: [40, 27]}
    entrances: [{at: [20, 27], width_m: 4}]
    exits: [{at: [0, 13.5], width_m: 2}]
"""


def test_a_hall_pass_that_ends_below_its_start_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hall's search that stops at a layout worse than its hint (here: nobody placed, as a
    search cut short while repairing a refused hint can end) is not taken: the layout a pass
    returns is never worth less than the one it was given."""
    from boothopt.solver import solve as solve_module
    from boothopt.solver.candidates import build_groups
    from boothopt.solver.greedy import best_spot_layout

    rows = [row(f"c{n}", 2, points=n) for n in range(8)]
    problem = build_problem(load_event(write_event(tmp_path, rows)))
    groups = build_groups(problem)
    start = best_spot_layout(problem, groups)
    assert len(start) == 8
    monkeypatch.setattr(solve_module, "_picked", lambda model, subs, solver: {})
    run = solve_module._Run(
        solve_module.time.perf_counter(), 0, 30.0, 1, 2.0, True, solve_module.Interrupt()
    )
    watcher = solve_module._Watcher(run.start, None)
    out = solve_module._hall_passes(problem, groups, start, run, watcher, 2.0)
    assert out == start
    value = solve_module._value
    assert value(problem, groups, out) == value(problem, groups, start)
