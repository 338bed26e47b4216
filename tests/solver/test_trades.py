"""Trades: two exhibitors of the same size swap booths where the objective rises, rules kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from boothopt.inputs.event_file import load_event
from boothopt.solver.candidates import Group, build_groups
from boothopt.solver.problem import Problem, build_problem
from boothopt.solver.result import objective_value, score_terms
from boothopt.solver.solve import _booth
from boothopt.solver.trades import Choice, trade_booths
from tests.solver.conftest import row, write_event


def _setup(tmp_path: Path, rows: list[str]) -> tuple[Problem, list[Group]]:
    """Two alike halls stacked on two levels, as COEX's A and C are: the same coordinates."""
    path = write_event(tmp_path, rows, halls="[P, Q]")
    venue = (tmp_path / "venue.yaml").read_text(encoding="utf-8")
    venue = venue.replace("  - id: P\n", "  - id: P\n    level: 1F\n")
    venue = venue.replace("  - id: Q\n", "  - id: Q\n    level: 3F\n")
    venue = venue.replace("origin: [50, 0]", "origin: [0, 0]")
    for a, b in (
        ("[70, 27]", "[20, 27]"),
        ("[50, 13.5]", "[0, 13.5]"),
        ("[90, 13.5]", "[40, 13.5]"),
    ):
        venue = venue.replace(a, b)
    (tmp_path / "venue.yaml").write_text(venue, encoding="utf-8")
    problem = build_problem(load_event(path))
    return problem, build_groups(problem)


def _at(problem: Problem, groups: list[Group], ident: str, hall: str, box: tuple) -> Choice:
    """Return the candidate of ``ident``'s group in ``hall`` with ``box`` (hall coordinates)."""
    g = next(g for g in groups if any(e.id == ident for e in g.members))
    for k in range(g.size):
        if problem.slots[int(g.slot[k])].hall == hall and tuple(g.boxes[k].tolist()) == box:
            return g.index, k
    raise AssertionError(f"{ident} has no candidate at {box} in {hall}")


def _value(problem: Problem, groups: list[Group], layout: dict[str, Choice]) -> float:
    booths = [_booth(problem, groups[g], e, k) for e, (g, k) in layout.items()]
    return objective_value(problem, score_terms(problem, booths))


def _first_box(problem: Problem, groups: list[Group], ident: str, hall: str) -> tuple:
    g = next(g for g in groups if any(e.id == ident for e in g.members))
    k = next(k for k in range(g.size) if problem.slots[int(g.slot[k])].hall == hall)
    return tuple(g.boxes[k].tolist())


def test_an_exhibitor_outside_its_hall_trades_with_one_who_does_not_mind(tmp_path: Path) -> None:
    """a asks for hall Q and stands in P; b, the same size, stands in Q at the same place of
    its hall and asks for nothing. They trade: a in Q, b in P, the same boxes (the halls lie on
    each other, so a place is told by block and box, not by the box alone), the objective up."""
    problem, groups = _setup(tmp_path, [row("a", 2, halls="Q"), row("b", 2)])
    box = _first_box(problem, groups, "a", "P")
    layout = {"a": _at(problem, groups, "a", "P", box), "b": _at(problem, groups, "b", "Q", box)}
    before = _value(problem, groups, layout)

    out, traded = trade_booths(problem, groups, layout)

    assert traded == {"a": "b", "b": "a"}
    assert problem.slots[int(groups[out["a"][0]].slot[out["a"][1]])].hall == "Q"
    assert problem.slots[int(groups[out["b"][0]].slot[out["b"][1]])].hall == "P"
    assert tuple(groups[out["a"][0]].boxes[out["a"][1]].tolist()) == box
    assert _value(problem, groups, out) > before


def test_no_trade_that_brings_a_competitor_too_close(tmp_path: Path) -> None:
    """The same pair, but a keeps 30 m from c, who stands next to b's booth in Q (and asks for
    Q too, so a trade of a and c gains nothing): no trade."""
    rows = [row("a", 2, halls="Q", avoid="c:30"), row("b", 2), row("c", 2, halls="Q")]
    problem, groups = _setup(tmp_path, rows)
    box = _first_box(problem, groups, "a", "P")
    layout = {"a": _at(problem, groups, "a", "P", box), "b": _at(problem, groups, "b", "Q", box)}
    gc = next(g for g in groups if g.members[0].id == "c")
    near_b = next(
        k
        for k in range(gc.size)
        if problem.slots[int(gc.slot[k])].hall == "Q"
        and tuple(gc.boxes[k].tolist()) != box
        and abs(gc.boxes[k][0] - box[0]) <= 6
        and abs(gc.boxes[k][1] - box[1]) < 1
    )
    layout["c"] = (gc.index, near_b)

    out, traded = trade_booths(problem, groups, layout)

    assert traded == {}
    assert out == layout


def test_locked_exhibitors_and_a_budget_keep_booths(tmp_path: Path) -> None:
    """A locked b does not trade; with a budget of none, nobody does."""
    problem, groups = _setup(tmp_path, [row("a", 2, halls="Q"), row("b", 2)])
    box = _first_box(problem, groups, "a", "P")
    layout = {"a": _at(problem, groups, "a", "P", box), "b": _at(problem, groups, "b", "Q", box)}
    assert trade_booths(problem, groups, layout, locked={"b"}) == (layout, {})
    assert trade_booths(problem, groups, layout, budget=0) == (layout, {})


def test_no_trade_into_a_place_whose_cells_differ(tmp_path: Path) -> None:
    """A peninsula inside a row keeps a strip free beside it: its placement takes more cells
    than another booth's at the same box. a (peninsula, asks for Q) and b (any type) at the
    same place of their halls: a's placement there would take cells b's does not (a cell
    someone else may hold), so they do not trade."""
    rows = [row("a", 2, halls="Q", booth_type="peninsula"), row("b", 2)]
    problem, groups = _setup(tmp_path, rows)
    ga = next(g for g in groups if g.members[0].id == "a")
    gb = next(g for g in groups if g.members[0].id == "b")
    pairs = [
        (k, kb)
        for k in range(ga.size)
        if problem.slots[int(ga.slot[k])].hall == "P"
        for kb in range(gb.size)
        if problem.slots[int(gb.slot[kb])].hall == "Q"
        and tuple(gb.boxes[kb].tolist()) == tuple(ga.boxes[k].tolist())
    ]
    pairs = [(k, kb) for k, kb in pairs if len(ga.cells[k]) > len(gb.cells[kb])]
    assert pairs, "the test needs a box both can take, the peninsula with a strip"
    for k, kb in pairs:
        layout = {"a": (ga.index, k), "b": (gb.index, kb)}
        out, traded = trade_booths(problem, groups, layout)
        assert traded == {} and out == layout


def test_with_nobody_to_trade_with_one_moves_to_a_free_place_in_its_hall(tmp_path: Path) -> None:
    """a asks for hall Q, stands in P, and nobody stands in Q: a moves to a free place in Q
    (one of its own legal placements) and the objective rises."""
    from boothopt.solver.trades import move_to_preferred_halls

    problem, groups = _setup(tmp_path, [row("a", 2, halls="Q"), row("b", 2)])
    box = _first_box(problem, groups, "a", "P")
    layout = {"a": _at(problem, groups, "a", "P", box)}
    before = _value(problem, groups, layout)

    out, moved = move_to_preferred_halls(problem, groups, layout)

    assert moved == ["a"]
    assert problem.slots[int(groups[out["a"][0]].slot[out["a"][1]])].hall == "Q"
    assert _value(problem, groups, out) > before
    assert out["a"][0] == layout["a"][0]  # the same group: a placement of a's own


def test_a_zone_member_does_not_move_out_of_its_row(tmp_path: Path) -> None:
    """A zone's member outside its preferred hall stays: a move would leave a gap in its row."""
    from boothopt.solver.trades import move_to_preferred_halls

    zones = "zones:\n  - {id: z, members: {categories: [tech]}}\n"
    rows = [row("a", 2, halls="Q", category="tech")]
    path = write_event(tmp_path, rows, halls="[P, Q]", extra=zones)
    problem = build_problem(load_event(path))
    groups = build_groups(problem)
    ga = groups[0]
    in_p = next(k for k in range(ga.size) if problem.slots[int(ga.slot[k])].hall == "P")
    layout = {"a": (ga.index, in_p)}
    assert move_to_preferred_halls(problem, groups, layout) == (layout, [])


def test_with_its_hall_full_one_takes_a_lower_ones_place_who_moves_to_a_free_one(
    tmp_path: Path,
) -> None:
    """a asks for hall Q, stands in P; Q is packed full with booths of a's size held by
    exhibitors of lower priority who ask for no hall. a takes one of their places in Q, and
    that one moves to a free place (in P): nobody left out, no two booths on the same cells,
    the objective up."""
    from boothopt.solver.trades import move_to_preferred_halls

    rows = [row("a", 2, points=10, halls="Q")] + [row(f"f{n:02d}", 2) for n in range(40)]
    problem, groups = _setup(tmp_path, rows)
    fillers = next(g for g in groups if any(e.id == "f00" for e in g.members))
    taken: set[int] = set()
    layout: dict[str, Choice] = {}
    members = iter(m.id for m in fillers.members)
    for k in range(fillers.size):
        if problem.slots[int(fillers.slot[k])].hall != "Q":
            continue
        cells = set(fillers.cells[k].tolist())
        if cells & taken:
            continue
        taken |= cells
        layout[next(members)] = (fillers.index, k)
    assert len(layout) < 40, "the test needs fillers to spare: Q is full"
    layout["a"] = _at(problem, groups, "a", "P", _first_box(problem, groups, "a", "P"))
    before = _value(problem, groups, layout)

    out, moved = move_to_preferred_halls(problem, groups, layout)

    assert moved == ["a"]
    assert problem.slots[int(groups[out["a"][0]].slot[out["a"][1]])].hall == "Q"
    assert set(out) == set(layout)  # nobody left out
    cells = [c for g, k in out.values() for c in groups[g].cells[k].tolist()]
    assert len(cells) == len(set(cells))
    assert _value(problem, groups, out) > before
    shifted = [e for e in out if e != "a" and out[e] != layout[e]]
    assert len(shifted) == 1
    assert problem.slots[int(groups[out[shifted[0]][0]].slot[out[shifted[0]][1]])].hall == "P"


def test_a_full_zone_takes_the_next_block_when_its_booths_can_move(tmp_path: Path) -> None:
    """Zone z's block of hall P is full of its members and one more is left out; the other
    block of P holds two booths outside every zone (of higher priority, so nobody gives way),
    and hall Q is empty. The two move to Q, the zone takes the block and seats its member:
    nobody leaves the floor, no cell taken twice, a zone block holds zone members only, the
    objective up."""
    from boothopt.solver.trades import grow_zones

    zones = "zones:\n  - {id: z, members: {categories: [tech]}}\n"
    rows = [row(f"t{n:02d}", 2, category="tech") for n in range(11)]
    rows += [row("o1", 2, points=50), row("o2", 2, points=50)]
    path = write_event(tmp_path, rows, halls="[P, Q]", extra=zones)
    problem = build_problem(load_event(path))
    groups = build_groups(problem)
    # Hall P's two blocks: the zone stands in one, the two others in the other.
    zone_block, other_block = (b for b, s in enumerate(problem.slots) if s.hall == "P")
    taken: set[int] = set()
    layout: dict[str, Choice] = {}

    def fill(ids: list[str], block: int) -> None:
        g = next(g for g in groups if any(e.id == ids[0] for e in g.members))
        todo = iter(ids)
        for k in range(g.size):
            cells = set(g.cells[k].tolist())
            if int(g.slot[k]) == block and not cells & taken:
                e_id = next(todo, None)
                if e_id is None:
                    return
                taken.update(cells)
                layout[e_id] = (g.index, k)

    fill([f"t{n:02d}" for n in range(11)], zone_block)
    fill(["o1", "o2"], other_block)
    left_out = [f"t{n:02d}" for n in range(11) if f"t{n:02d}" not in layout]
    assert len(left_out) == 1 and {"o1", "o2"} <= set(layout), "the zone's block must be full"
    before = _value(problem, groups, layout)

    out, seated = grow_zones(problem, groups, layout)

    assert seated == left_out
    assert set(out) == set(layout) | set(left_out)
    hall = {e: problem.slots[int(groups[g].slot[k])].hall for e, (g, k) in out.items()}
    assert hall["o1"] == hall["o2"] == "Q"
    assert int(groups[out[left_out[0]][0]].slot[out[left_out[0]][1]]) == other_block
    in_zone_blocks = [e for e, (g, k) in out.items() if int(groups[g].slot[k]) != zone_block]
    assert all(e.startswith("t") or hall[e] == "Q" for e in in_zone_blocks)
    cells = [c for g, k in out.values() for c in groups[g].cells[k].tolist()]
    assert len(cells) == len(set(cells))
    assert _value(problem, groups, out) > before


def _scores(problem: Problem, groups: list[Group], layout: dict[str, Choice]) -> dict[str, float]:
    booths = [_booth(problem, groups[g], e, k) for e, (g, k) in layout.items()]
    return {name: t.score for name, t in score_terms(problem, booths).items()}


def _sponsor_inline_standard_on_corner(problem: Problem, groups: list[Group]) -> dict[str, Choice]:
    """Return a layout: gold ``g`` on an inline booth, standard ``s`` on a corner of hall P."""
    gg = next(x for x in groups if x.members[0].id == "g")
    gs = next(x for x in groups if x.members[0].id == "s")
    in_p = [problem.slots[int(s)].hall == "P" for s in gg.slot]
    inline = next(k for k in range(gg.size) if in_p[k] and gg.open_sides[k] == 1)
    taken = set(gg.cells[inline].tolist())
    corner = next(
        k
        for k in range(gs.size)
        if problem.slots[int(gs.slot[k])].hall == "P"
        and gs.open_sides[k] == 2
        and not taken & set(gs.cells[k].tolist())
    )
    return {"g": (gg.index, inline), "s": (gs.index, corner)}


def test_goal_moves_take_a_free_corner(tmp_path: Path) -> None:
    """A gold stand on an inline booth with corners free: it moves to a place with more open
    sides, the booth-type goal rises, and the returned scores are the layout's."""
    from boothopt.solver.trades import trade_for_goals

    problem, groups = _setup(tmp_path, [row("g", 2, tier="gold"), row("s", 2)])
    layout = _sponsor_inline_standard_on_corner(problem, groups)
    before = _scores(problem, groups, layout)

    out, now = trade_for_goals(problem, groups, layout, before, {"booth_type": 1e9}, {})

    after = _scores(problem, groups, out)
    assert after["booth_type"] > before["booth_type"]
    assert now == pytest.approx(after)
    cells = [set(groups[g].cells[k].tolist()) for g, k in out.values()]
    assert not cells[0] & cells[1]
    # Partners, a goal no single place carries, raised where nobody has one: nothing moves.
    assert trade_for_goals(problem, groups, layout, before, {"partners": 1.0}, {})[0] == layout


def test_goal_trades_give_the_sponsor_the_corner_on_a_full_floor(tmp_path: Path) -> None:
    """Both halls full of 2-module stands, the gold one on an inline booth: no place is free,
    so the gold trades with a standard stand on a corner; the booth-type goal rises and the
    returned scores are the layout's. A floor the trade would break stops it, and so does a
    target already met."""
    from boothopt.solver.greedy import best_spot_layout
    from boothopt.solver.trades import _Market, trade_for_goals

    rows = [row("g", 2, tier="gold")] + [row(f"s{n:02d}", 2) for n in range(39)]
    problem, groups = _setup(tmp_path, rows)
    layout = best_spot_layout(problem, groups)
    assert len(layout) == 40  # every cell taken

    def sides(e_id: str, where: dict[str, Choice]) -> int:
        g, k = where[e_id]
        return int(groups[g].open_sides[k])

    market = _Market(problem, groups, layout, frozenset())
    if sides("g", layout) > 1:  # put the gold on an inline booth, by a legal trade
        other = next(
            e for e in sorted(layout) if sides(e, layout) == 1 and market.swapped("g", e, layout)
        )
        pair = market.swapped("g", other, layout)
        assert pair is not None
        layout["g"], layout[other] = pair
    before = _scores(problem, groups, layout)

    out, now = trade_for_goals(problem, groups, layout, before, {"booth_type": 1e9}, {})

    after = _scores(problem, groups, out)
    assert after["booth_type"] > before["booth_type"]
    assert sides("g", out) > 1
    assert now == pytest.approx(after)
    assert sorted(out) == sorted(layout)
    held = sorted(sorted(groups[g].cells[k].tolist()) for g, k in out.values())
    assert held == sorted(sorted(groups[g].cells[k].tolist()) for g, k in layout.values())

    # Location held above where it is: no trade keeps it.
    high = {"location": before["location"] + 10.0}
    assert trade_for_goals(problem, groups, layout, before, {"booth_type": 1e9}, high)[0] == layout
    met = {"booth_type": before["booth_type"]}
    assert trade_for_goals(problem, groups, layout, before, met, {})[0] == layout


def test_a_region_swap_gives_a_larger_sponsor_the_corner(tmp_path: Path) -> None:
    """Both halls full: a 2-module gold stand inline, every other cell a 1-module stand. No
    one has its size (no trade) and nothing is free (no move), but the gold may take the
    two cells of a corner from two standard stands, who take its place: the booth-type goal
    rises, the same cells stay taken, and the returned scores are the layout's."""
    from boothopt.solver.trades import trade_for_goals

    rows = [row("g", 2, tier="gold")] + [row(f"s{n:02d}", 1) for n in range(78)]
    problem, groups = _setup(tmp_path, rows)
    gg = next(x for x in groups if x.members[0].id == "g")
    inline = next(k for k in range(gg.size) if gg.open_sides[k] == 1)
    layout: dict[str, Choice] = {"g": (gg.index, inline)}
    taken = set(gg.cells[inline].tolist())
    for x in groups:
        for e in x.members:
            if e.id == "g":
                continue
            k = next(k for k in range(x.size) if not taken & set(x.cells[k].tolist()))
            layout[e.id] = (x.index, k)
            taken |= set(x.cells[k].tolist())
    assert len(taken) == 80  # every cell of both halls
    before = _scores(problem, groups, layout)

    out, now = trade_for_goals(problem, groups, layout, before, {"booth_type": 1e9}, {})

    after = _scores(problem, groups, out)
    g, k = out["g"]
    assert groups[g].open_sides[k] > 1
    assert after["booth_type"] > before["booth_type"]
    assert now == pytest.approx(after)
    cells = [set(groups[g].cells[k].tolist()) for g, k in out.values()]
    assert sum(len(c) for c in cells) == len(set().union(*cells)) == 80


def test_a_full_preferred_hall_is_repacked_to_seat_one_outside_it(tmp_path: Path) -> None:
    """Hall Q is full of 2-module booths (nobody there minds the hall), and a 4-module stand
    asking for Q stands in P: no trade (no one of its size) and no free place in Q. Re-packing
    a block of Q with a's block of P seats a in Q: some of Q's move to P, everyone stays placed,
    no two booths overlap (Shapely), each inside its hall."""
    import time

    from shapely.geometry import box as shapely_box

    from boothopt.solver.solve import _Run, _seat_in_preferred_halls, _Watcher

    rows = [row("a", 4, shape="2x2", halls="Q")]
    rows += [row(f"q{n:02d}", 2, shape="2x1") for n in range(20)]
    problem, groups = _setup(tmp_path, rows)
    taken: dict[str, set[int]] = {}
    layout: dict[str, Choice] = {}
    for ident, hall in [("a", "P")] + [(f"q{n:02d}", "Q") for n in range(20)]:
        g = next(g for g in groups if any(e.id == ident for e in g.members))
        used = set().union(*taken.values()) if taken else set()
        k = next(
            k
            for k in range(g.size)
            if problem.slots[int(g.slot[k])].hall == hall and not used & set(g.cells[k].tolist())
        )
        layout[ident], taken[ident] = (g.index, k), set(g.cells[k].tolist())
    q_cells = sum(s.n_free for s in problem.slots if s.hall == "Q")
    assert q_cells == 40 == sum(len(c) for i, c in taken.items() if i != "a")  # Q is full

    run = _Run(time.perf_counter(), 0, 60.0, 1, 5.0)
    out = _seat_in_preferred_halls(
        problem, groups, layout, [{}], run, _Watcher(run.start, None), 2.0
    )

    booths = {e: _booth(problem, groups[g], e, k) for e, (g, k) in out.items()}
    assert set(out) == set(layout)  # everyone still placed
    assert booths["a"].hall == "Q"
    assert sum(b.hall == "P" for e, b in booths.items() if e != "a") >= 2  # made room
    for e, b in booths.items():
        assert (b.w * b.d) == (4 if e == "a" else 2)
    boxes = [(b.hall, shapely_box(*b.box)) for b in booths.values()]
    for n, (hall_a, box_a) in enumerate(boxes):
        for hall_b, box_b in boxes[n + 1 :]:
            assert hall_a != hall_b or box_a.intersection(box_b).area < 1e-9
    halls = {"P": shapely_box(0, 0, 40, 27), "Q": shapely_box(0, 0, 40, 27)}
    assert all(halls[hall].contains(box) for hall, box in boxes)
