"""Re-plans keep earlier booths, move only for priority, and pinned booths stay where pinned."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import Polygon

from boothopt.cli import main
from boothopt.floorplan import build_grid
from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import assignment_dict
from boothopt.solver.problem import across_one_aisle_m, build_problem
from boothopt.solver.replan import Earlier, replan
from boothopt.solver.result import objective_value, score_terms
from boothopt.solver.solve import Interrupt, solve
from tests.solver.conftest import HEADER, row, write_event
from tests.solver.oracle import undone
from tests.solver.validator import check_assignment

LIMITS: dict[str, Any] = {"time_limit": 30.0, "work_limit": 3.0, "workers": 2}


def event_in(folder: Path, rows: list[str]) -> Path:
    """Write hall P's event with ``rows`` into a new ``folder``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_event(folder, rows)


def earlier_layout(folder: Path, rows: list[str]) -> dict[str, Any]:
    """Allocate ``rows`` in hall P (best spot: fast and fixed) and return the assignment."""
    event = load_event(event_in(folder, rows))
    problem = build_problem(event)
    result = solve(problem, method="best-spot")
    data = assignment_dict(event, problem, result)
    assert check_assignment(event, data) == []
    return data


def boxes(data: dict[str, Any]) -> dict[str, tuple[str, tuple[float, ...], str]]:
    """Return exhibitor -> (hall, bounds, booth number) of an assignment."""
    return {
        b["exhibitor_id"]: (b["hall"], Polygon(b["polygon"]).bounds, b["booth_no"])
        for b in data["booths"]
    }


def test_a_replan_keeps_every_booth_it_can(tmp_path: Path) -> None:
    """Two cancellations, a late entry and a size change: everyone else keeps booth and number."""
    rows = [row(f"c{n:02d}", 2, points=n) for n in range(16)]  # 32 of hall P's 40 cells
    before = earlier_layout(tmp_path / "before", rows)
    now_rows = [r for r in rows if not r.startswith(("c03,", "c09,"))]
    now_rows = [row("c05", 3, points=5) if r.startswith("c05,") else r for r in now_rows]
    now_rows.append(row("late", 2, points=50))
    event = load_event(event_in(tmp_path / "now", now_rows))
    plan = replan(event, Earlier.from_assignment(before), **LIMITS)
    data = assignment_dict(event, plan.problem, plan.result)
    assert check_assignment(event, data) == []
    old, new = boxes(before), boxes(data)
    assert set(new) == {e.id for e in event.exhibitors}  # all 15 placed: room enough
    unchanged = set(old) - {"c03", "c09", "c05"}
    for e in unchanged:
        assert new[e] == old[e], e  # same hall, same rectangle, same booth number
    assert plan.kept == len(unchanged) and plan.moved == 1 and plan.cancelled == 2
    assert plan.placed_new == 1
    numbers = [n for _, _, n in new.values()]
    assert len(numbers) == len(set(numbers))
    earlier_numbers = {n for _, _, n in old.values()}
    assert new["late"][2] not in earlier_numbers  # a new booth never takes an old number
    why = {c.exhibitor_id: c for c in plan.changes}
    assert why["c03"].reason.startswith("cancelled") and why["c03"].new_booth == ""
    assert why["c05"].reason == "its request changed (2 to 3 modules)"
    assert why["late"].reason == "late entry" and why["late"].old_booth == ""
    assert set(why) == {"c03", "c09", "c05", "late"}


def full_floor(tmp_path: Path) -> tuple[dict[str, Any], list[str]]:
    """Twenty 2-module requests fill hall P's 40 cells; c00 has the fewest points."""
    rows = [row(f"c{n:02d}", 2, points=10 + n) for n in range(20)]
    return earlier_layout(tmp_path / "before", rows), rows


def test_a_late_entry_of_higher_priority_takes_the_lowest_booth(tmp_path: Path) -> None:
    """On a full floor the late entry (more points) takes the booth of the lowest, c00, who
    is left out with the reason; nobody else moves, and no priority is inverted."""
    before, rows = full_floor(tmp_path)
    event = load_event(event_in(tmp_path / "now", [*rows, row("late", 2, points=99)]))
    plan = replan(event, Earlier.from_assignment(before), **LIMITS)
    data = assignment_dict(event, plan.problem, plan.result)
    assert check_assignment(event, data) == []
    assert undone(event, data) == []
    old, new = boxes(before), boxes(data)
    assert "c00" not in new and new["late"][:2] == old["c00"][:2]
    assert all(new[e] == old[e] for e in old if e != "c00")
    (change,) = [c for c in plan.changes if c.exhibitor_id == "c00"]
    assert change.old_booth == old["c00"][2] and change.new_booth == ""
    assert "made room for the 18 m² late entry of Late (late)" in change.reason
    # One move is the fewest on a full floor, and the exact pass proves it out to 12 m.
    assert plan.fewest_within_m == 12.0


def test_reallocate_says_how_far_its_fewest_moves_are_proved(tmp_path: Path) -> None:
    """On the full floor the late entry sends c00 away: the summary says the one move is proved
    the fewest, in words and in --json."""
    before, rows = full_floor(tmp_path)
    earlier = tmp_path / "before" / "assignment.json"
    earlier.write_text(json.dumps(before, ensure_ascii=False), encoding="utf-8")
    now = event_in(tmp_path / "now", [*rows, row("late", 2, points=99)])
    args = ["reallocate", str(earlier), str(now), "--work-limit", "3"]
    text = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "t")])
    assert text.exit_code == 0, text.output
    assert "fewest moves: proved for everyone within 12 m of a change" in text.output
    as_json = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "j"), "--json"])
    summary = json.loads(as_json.stdout)
    assert summary["moved"] == 1 and summary["fewest_moves_proved_within_m"] == 12.0


def test_locked_booths_never_move_and_max_moves_zero_moves_nobody(tmp_path: Path) -> None:
    """Lock c00: the next lowest, c01, gives way instead. With --max-moves 0 nobody moves and
    the late entry waits."""
    before, rows = full_floor(tmp_path)
    event = load_event(event_in(tmp_path / "now", [*rows, row("late", 2, points=99)]))
    earlier = Earlier.from_assignment(before)
    plan = replan(event, earlier, {"c00"}, **LIMITS)
    new = boxes(assignment_dict(event, plan.problem, plan.result))
    old = boxes(before)
    assert new["c00"] == old["c00"] and "c01" not in new
    assert new["late"][:2] == old["c01"][:2]
    frozen = replan(event, earlier, max_moves=0, **LIMITS)
    kept = boxes(assignment_dict(event, frozen.problem, frozen.result))
    assert kept == old and frozen.moved == 0
    assert dict(frozen.result.unplaced).keys() == {"late"}


def positioned_rows(tmp_path: Path, booths: dict[str, str]) -> Path:
    """Write hall P's event with a booth column: ``booths`` maps exhibitor id -> booth text."""
    path = write_event(tmp_path, [row(f"c{n}", 2, points=n) for n in range(4)])
    lines = [HEADER + ",booth"]
    lines += [row(f"c{n}", 2, points=n) + f',"{booths.get(f"c{n}", "")}"' for n in range(4)]
    (tmp_path / "ex.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def block_corner(event_path: Path) -> tuple[float, float, str]:
    """Return a block's lower-left corner in hall P and the axis its rows run along."""
    event = load_event(event_path)
    grid = build_grid(event.venue.hall("P"), event.scheme)
    block = grid.blocks[0]
    return block.origin[0], block.origin[1], block.axis


def test_a_position_in_the_booth_column_pins_the_booth(tmp_path: Path) -> None:
    """`c0` pinned at a block's far corner stands there; the others are placed around it."""
    path = positioned_rows(tmp_path, {})
    x, y, axis = block_corner(path)
    size = "2x1" if axis == "x" else "1x2"
    path = positioned_rows(tmp_path, {"c0": f"P@{x:g},{y:g} {size}"})
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["allocate", str(path), "--out", str(out), "--work-limit", "2", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "assignment.json").read_text(encoding="utf-8"))
    c0 = next(b for b in data["booths"] if b["exhibitor_id"] == "c0")
    w, d = (6.0, 3.0) if axis == "x" else (3.0, 6.0)
    assert Polygon(c0["polygon"]).equals(shapely.box(x, y, x + w, y + d))
    assert len(data["booths"]) == 4
    assert check_assignment(load_event(path), data) == []


@pytest.mark.parametrize(
    "booths, says",
    [
        ({"c0": "P@0,0 2x1"}, "c0: its pinned booth (P@0,0 6x3 m) is not a legal place"),
        ({"c0": "C-101"}, "a booth number belongs to an earlier plan"),
        ({"c0": "P@{x},{y} 3x1"}, "is 3x1 = 3 modules, but c0 asks for 2"),
        ({"c0": "P@{x},{y} {s}", "c1": "P@{x},{y} {s}"}, "its pinned booth overlaps that of c"),
    ],
)
def test_a_pin_that_breaks_a_rule_is_bad_input(
    tmp_path: Path, booths: dict[str, str], says: str
) -> None:
    """A pin in an aisle, a booth number without an earlier plan, a size that disagrees and two
    pins on one spot: one readable error naming the exhibitor, exit 2, nothing written."""
    x, y, axis = block_corner(positioned_rows(tmp_path, {}))
    s = "2x1" if axis == "x" else "1x2"
    filled = {k: v.format(x=f"{x:g}", y=f"{y:g}", s=s) for k, v in booths.items()}
    path = positioned_rows(tmp_path, filled)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["allocate", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 2, result.output
    assert says in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_reallocate_writes_the_changes_and_letters_only_for_them(tmp_path: Path) -> None:
    """The command: changes.csv names each change; letters only for the booths that changed."""
    rows = [row(f"c{n:02d}", 2, points=n) for n in range(10)]
    before = earlier_layout(tmp_path / "before", rows)
    earlier = tmp_path / "before" / "assignment.json"
    earlier.write_text(json.dumps(before, ensure_ascii=False), encoding="utf-8")
    now = event_in(tmp_path / "now", [*rows[1:], row("late", 2, points=3)])
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "reallocate",
            str(earlier),
            str(now),
            "--out",
            str(out),
            "--work-limit",
            "2",
            "--export",
            "letters",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["cancelled"] == 1 and summary["placed_new"] == 1 and summary["moved"] == 0
    text = (out / "changes.csv").read_text(encoding="utf-8-sig")
    assert "c00" in text and "cancelled" in text and "late entry" in text
    late = next(c for c in summary["changes"] if c["exhibitor_id"] == "late")
    assert sorted(p.name for p in (out / "letters").iterdir()) == [f"{late['new_booth']}.pdf"]
    check = CliRunner().invoke(main, ["check", str(out / "assignment.json"), "--event", str(now)])
    assert check.exit_code == 0, check.output


def test_through_the_library_a_cancellation_or_a_fitting_late_entry_moves_nobody(
    tmp_path: Path,
) -> None:
    """boothopt.allocate, .reallocate and .check: a cancellation alone moves nobody, and a
    late entry that fits the free floor moves nobody either."""
    import boothopt

    rows = [row(f"c{n:02d}", 2, points=n) for n in range(12)]  # 24 of 40 cells
    run = boothopt.allocate(event_in(tmp_path / "a", rows), method="best-spot")
    assert run.breaches == [] and boothopt.check(run.assignment, run.event) == []
    old = boxes(run.assignment)
    cancelled = event_in(tmp_path / "b", rows[1:])
    again = boothopt.reallocate(run.assignment, cancelled, **LIMITS)
    assert again.replan is not None and again.replan.moved == 0
    assert boxes(again.assignment) == {e: v for e, v in old.items() if e != "c00"}
    assert [c.exhibitor_id for c in again.changes] == ["c00"]
    late = event_in(tmp_path / "c", [*rows, row("late", 3, points=1)])
    third = boothopt.reallocate(run.assignment, late, **LIMITS)
    assert third.replan is not None and third.replan.moved == 0
    new = boxes(third.assignment)
    assert {e: new[e] for e in old} == old and "late" in new
    assert boothopt.check(third.assignment, third.event) == []


def test_allow_swap_trades_booths_for_changed_preferences(tmp_path: Path) -> None:
    """a stood in P and b in Q as they asked; now each asks for the other's hall. Without
    --allow-swap nobody moves (a preference is a soft goal); with it they trade booths of the
    same size, and the layout keeps every rule."""
    rows = [row("a", 2, halls="P"), row("b", 2, halls="Q")]
    folder = tmp_path / "before"
    folder.mkdir()
    event = load_event(write_event(folder, rows, halls="[P, Q]"))
    problem = build_problem(event)
    before = assignment_dict(event, problem, solve(problem, method="best-spot"))
    old = boxes(before)
    assert old["a"][0] == "P" and old["b"][0] == "Q"
    later = tmp_path / "now"
    later.mkdir()
    now = load_event(
        write_event(later, [row("a", 2, halls="Q"), row("b", 2, halls="P")], halls="[P, Q]")
    )
    earlier = Earlier.from_assignment(before)
    kept = replan(now, earlier, **LIMITS)
    assert boxes(assignment_dict(now, kept.problem, kept.result)) == old and kept.moved == 0
    traded = replan(now, earlier, allow_swap=True, **LIMITS)
    data = assignment_dict(now, traded.problem, traded.result)
    new = boxes(data)
    assert new["a"] == (old["b"][0], old["b"][1], old["b"][2])  # b's booth, number and all
    assert new["b"] == (old["a"][0], old["a"][1], old["a"][2])
    assert traded.moved == 2 and check_assignment(now, data) == []
    assert all("traded booths with" in c.reason for c in traded.changes)
    capped = replan(now, earlier, allow_swap=True, max_moves=1, **LIMITS)
    assert capped.moved == 0  # a trade is two moves


def test_a_late_entry_that_took_two_booths_gives_them_back_for_a_free_place(
    tmp_path: Path,
) -> None:
    """Earlier: a and b stand side by side, 32 one-module stands fill the rest of hall P but for
    a free 4 x 1 stretch. Now (as the passes might leave it) the 4-module late entry stands on
    a's and b's booths, and they stand on the free stretch: two moves. The step that gives
    earlier booths back returns both and sends the late entry to the stretch — no move, the
    fewest possible; every hard rule kept (the independent validator), nobody left out."""
    from boothopt.solver.replan import _fewer_moves

    rows = [row("a", 2, shape="2x1", points=1), row("b", 2, shape="2x1", points=1)]
    rows += [row(f"f{n:02d}", 1, points=5) for n in range(32)]
    before_event = load_event(event_in(tmp_path / "before", rows))
    p0 = build_problem(before_event)
    first, second = [n for n, s in enumerate(p0.slots) if s.hall == "P"]
    assert p0.slots[first].n_along == 10 and p0.slots[first].n_deep == 2

    def at(block: int, i: int, w: int, j: int = 0) -> tuple[str, Any]:
        slot = p0.slots[block]
        return ("P", slot.box(i, j, w, 1, p0.module_m))

    stands = [(b, i, j) for b in (first, second) for j in (0, 1) for i in range(10)]
    stands = [(b, i, j) for b, i, j in stands if not (j == 0 and i < 4)]
    fillers = {f"f{n:02d}": at(b, i, 1, j) for n, (b, i, j) in enumerate(stands)}
    homes = {"a": at(first, 0, 2), "b": at(first, 2, 2), **fillers}
    earlier_problem = build_problem(before_event, pins=homes, gaps_allowed=True)
    earlier_result = solve(earlier_problem, method="greedy")
    before = assignment_dict(before_event, earlier_problem, earlier_result)
    assert len(before["booths"]) == 34 and check_assignment(before_event, before) == []

    event = load_event(event_in(tmp_path / "now", [*rows, row("late", 4, shape="4x1", points=99)]))
    now = {"late": at(first, 0, 4), "a": at(second, 0, 2), "b": at(second, 2, 2), **fillers}
    problem = build_problem(event, pins=now, gaps_allowed=True)
    result = solve(problem, method="greedy")
    assert len(result.booths) == 35  # the layout the step starts from: a and b moved

    out, back = _fewer_moves(problem, result, Earlier.from_assignment(before), set())

    assert back == 2
    data = assignment_dict(event, problem, out)
    assert check_assignment(event, data) == []
    old, new = boxes(before), boxes(data)
    assert set(new) == {e.id for e in event.exhibitors}
    assert all(shapely.equals(shapely.box(*new[e][1]), shapely.box(*old[e][1])) for e in old)
    assert shapely.equals(shapely.box(*new["late"][1]), shapely.box(*at(second, 0, 4)[1]))
    # The result is scored for its new booths, not for those it started from.
    assert out.terms == score_terms(problem, out.booths)
    assert out.objective == objective_value(problem, out.terms)


def test_a_zone_cut_in_two_by_a_cancellation_is_joined_again_with_the_fewest_moves(
    tmp_path: Path,
) -> None:
    """Four cities of 2 x 2 modules stand in a row in their zone; the third cancels, which
    leaves the last one apart. The re-plan moves that one (the smaller part) next to the other
    two, and nobody else: the zone stands in one group again (the independent check), and the
    change says why."""
    zones = "zones:\n  - {id: cities, name_ko: 도시, name_en: Cities, members: {kinds: [city]}}\n"
    rows = [row(f"city{n}", 4, shape="2x2", kind="city", points=20 + n) for n in range(4)]
    rows += [row(f"co{n:02d}", 2, points=n) for n in range(6)]
    (tmp_path / "before").mkdir()
    event = load_event(write_event(tmp_path / "before", rows, extra=zones))
    problem = build_problem(event)
    before = assignment_dict(event, problem, solve(problem, method="best-spot"))
    old = boxes(before)
    # The cities stand in one row, left to right: the third from the left joins the last.
    row_order = sorted((e for e in old if e.startswith("city")), key=lambda e: old[e][1][0])
    assert all(old[a][1][2] == old[b][1][0] for a, b in itertools.pairwise(row_order))
    gone, last = row_order[2], row_order[3]
    (tmp_path / "now").mkdir()
    now_rows = [r for r in rows if not r.startswith(f"{gone},")]
    event = load_event(write_event(tmp_path / "now", now_rows, extra=zones))
    plan = replan(event, Earlier.from_assignment(before), **LIMITS)
    data = assignment_dict(event, plan.problem, plan.result)
    assert check_assignment(event, data) == []
    new = boxes(data)
    assert set(new) == set(old) - {gone}
    assert [e for e in new if new[e] != old[e]] == [last]
    assert plan.moved == 1
    # Beside them, or facing them across one aisle at most (the zone rule's reach).
    near = [shapely.box(*new[e][1]) for e in row_order[:2]]
    reach = across_one_aisle_m(event.scheme)
    assert shapely.box(*old[last][1]).distance(shapely.union_all(near)) > reach  # was apart
    assert shapely.box(*new[last][1]).distance(shapely.union_all(near)) <= reach
    (change,) = [c for c in plan.changes if c.exhibitor_id == last]
    assert change.reason.startswith("cancellations cut it off from the rest of the Cities")
    # With --max-moves 0 nobody moves; the check after the solve names the zone instead.
    frozen = replan(event, Earlier.from_assignment(before), max_moves=0, **LIMITS)
    kept = assignment_dict(event, frozen.problem, frozen.result)
    assert frozen.moved == 0 and boxes(kept) == {e: old[e] for e in old if e != gone}
    assert [b for b in check_assignment(event, kept) if "zone cities" in b] != []


def fewest_moves_by_brute_force(problem: Any, homes: dict[str, tuple[str, Any]]) -> int:
    """Return the fewest exhibitors away from their earlier booth (``homes``) over every layout
    that places everyone without overlap: a plain depth-first search over each exhibitor's
    candidate booths, home first, cut where it cannot beat the best so far."""
    from boothopt.solver.candidates import build_groups

    groups = build_groups(problem)
    options: list[tuple[str, list[tuple[int, frozenset[int]]]]] = []
    for g in groups:
        for e in g.members:
            cands = []
            for k in range(g.size):
                hall = problem.slots[int(g.slot[k])].hall
                box = tuple(float(v) for v in g.boxes[k])
                at_home = e.id in homes and homes[e.id] == (hall, box)
                cands.append((0 if at_home or e.id not in homes else 1, frozenset(g.cells[k])))
            options.append((e.id, sorted(cands, key=lambda c: c[0])))
    options.sort(key=lambda o: (o[0] in homes, o[0]))  # the new entries first
    best = [len(homes) + 1]

    def search(n: int, taken: frozenset[int], cost: int) -> None:
        if cost >= best[0]:
            return
        if n == len(options):
            best[0] = cost
            return
        for extra, cells in options[n][1]:
            if not cells & taken:
                search(n + 1, taken | cells, cost + extra)

    search(0, frozenset(), 0)
    return best[0]


def test_the_exact_pass_finds_the_fewest_moves_where_the_steps_cannot(tmp_path: Path) -> None:
    """Earlier, row 0 of hall P's first block holds a, b (2 x 1), c, d (1 x 1), e (2 x 1) and
    two free cells; one-module stands fill the rest but for a free 2 x 1 stretch and two free
    cells apart in the second block. As the passes might leave it, the 3 x 1 late entry stands on b,
    c and d, who stand on the free places: three moves. The step that gives booths back finds
    no free place of 3 x 1 for the late entry, so nothing. The exact pass puts the late entry
    at the row's end, over e, who takes the free stretch: one move, as few as a brute force
    over every layout finds, proved within both reaches; every hard rule kept; the same again
    on the same work limit."""
    from boothopt.solver.replan import FEWEST_REACH_M, _fewer_moves, _fewest_moves

    rows = [row("a", 2, shape="2x1", points=1), row("b", 2, shape="2x1", points=1)]
    rows += [row("c", 1, points=1), row("d", 1, points=1), row("e", 2, shape="2x1", points=1)]
    rows += [row(f"f{n:02d}", 1, points=5) for n in range(26)]
    before_event = load_event(event_in(tmp_path / "before", rows))
    p0 = build_problem(before_event)
    first, second = [n for n, s in enumerate(p0.slots) if s.hall == "P"]

    def at(block: int, i: int, w: int, j: int = 0) -> tuple[str, Any]:
        return ("P", p0.slots[block].box(i, j, w, 1, p0.module_m))

    cells = [(first, i, 1) for i in range(10)] + [(second, i, j) for j in (0, 1) for i in range(10)]
    cells = [c for c in cells if not (c[0] == second and c[2] == 0 and c[1] in (0, 1, 3, 5))]
    fillers = {f"f{n:02d}": at(b, i, 1, j) for n, (b, i, j) in enumerate(cells)}
    homes = {"a": at(first, 0, 2), "b": at(first, 2, 2), "c": at(first, 4, 1)}
    homes |= {"d": at(first, 5, 1), "e": at(first, 6, 2), **fillers}
    earlier_problem = build_problem(before_event, pins=homes, gaps_allowed=True)
    before = assignment_dict(before_event, earlier_problem, solve(earlier_problem, method="greedy"))
    assert len(before["booths"]) == 31 and check_assignment(before_event, before) == []

    event = load_event(event_in(tmp_path / "now", [*rows, row("late", 3, shape="3x1", points=99)]))
    now = {"late": at(first, 3, 3), "b": at(second, 0, 2), "c": at(second, 3, 1)}
    now |= {"d": at(second, 5, 1)}
    now |= {e: place for e, place in homes.items() if e not in now}
    problem = build_problem(event, pins=now, gaps_allowed=True)
    result = solve(problem, method="greedy")
    assert len(result.booths) == 32  # the layout the pass starts from: b, c and d moved
    earlier = Earlier.from_assignment(before)
    assert _fewer_moves(problem, result, earlier, set())[1] == 0

    limits: dict[str, float | None] = {"time_limit": 30.0, "work_limit": 4.0}
    out, within = _fewest_moves(problem, result, earlier, set(), set(), limits, 0, 2, None)

    data = assignment_dict(event, problem, out)
    assert check_assignment(event, data) == []
    old, new = boxes(before), boxes(data)
    assert set(new) == {e.id for e in event.exhibitors}  # nobody left out
    away = sorted(
        e for e in old if not shapely.equals(shapely.box(*new[e][1]), shapely.box(*old[e][1]))
    )
    free = build_problem(event, gaps_allowed=True)
    fewest = fewest_moves_by_brute_force(
        free, {e: (h, b) for e, (h, b, _) in earlier.booths.items()}
    )
    assert fewest == 1 and away == ["e"]
    assert within == FEWEST_REACH_M[-1]  # proved, out to the last reach
    # On a work limit, another run gives the same booths.
    again, _ = _fewest_moves(problem, result, earlier, set(), set(), limits, 0, 2, None)
    assert again.booths == out.booths and again.reproducible
    # A stop asked before (Ctrl-C during the passes): the layout stays as it came, unproved.
    stop = Interrupt()
    stop.stop()
    kept, proved = _fewest_moves(problem, result, earlier, set(), set(), limits, 0, 2, stop)
    assert kept.booths == result.booths and proved is None
    assert out.terms == score_terms(problem, out.booths)
