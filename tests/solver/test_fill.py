"""Exact mode's search for a layout that places everyone (boothopt.solver.fill), checked with
Shapely: no two booths overlap, none stands on a taken cell, each has its shape."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from boothopt.solver import fill
from boothopt.solver.fill import MAX_SIDE, fill_all, kernel_floor, kernel_kinds, luby
from tests.solver.test_solve import guillotine_cuts


def check_layout(
    width: int,
    depth: int,
    taken: list[int],
    items: list[list[tuple[int, int]]],
    spots: list[tuple[int, int, int, int]],
) -> None:
    """Assert that ``spots`` is a layout of ``items`` on the floor, independently of the search."""
    assert len(spots) == len(items)
    floor = box(0, 0, width, depth)
    blocked = [
        box(x, y, x + 1, y + 1) for y in range(depth) for x in range(width) if taken[y] >> x & 1
    ]
    booths = []
    for (x, y, w, d), shapes in zip(spots, items, strict=True):
        assert (w, d) in shapes
        b = box(x, y, x + w, y + d)
        assert floor.contains(b)
        assert all(b.intersection(c).area == 0 for c in blocked)
        booths.append(b)
    assert all(a.intersection(b).area == 0 for a, b in itertools.combinations(booths, 2))


@pytest.mark.parametrize(("side", "n", "seed"), [(20, 20, 2), (30, 30, 5), (40, 35, 8)])
def test_perfect_packings_are_found(side: int, n: int, seed: int) -> None:
    """Rectangles cut from a square floor go back with no cell to spare."""
    items = [[shape] for shape in guillotine_cuts(side, side, n, seed)]
    spots = fill_all(side, side, [0] * side, items, spare=0, max_nodes=2_000_000)
    assert spots is not None
    check_layout(side, side, [0] * side, items, spots)
    union = shapely.union_all([box(x, y, x + w, y + d) for x, y, w, d in spots])
    assert union.area == pytest.approx(side * side)


def test_taken_cells_are_kept_free_and_spare_cells_may_stay_empty() -> None:
    """A floor with a column in it: the booths go around it, two cells left empty."""
    rng = random.Random(3)
    taken = [0] * 8
    taken[3] |= 1 << 4  # a column at (4, 3)
    items = [[(3, 2)], [(2, 3)], [(4, 4)], [(1, 5)], [(3, 3)], [(2, 2)], [(5, 1)], [(3, 1), (1, 3)]]
    rng.shuffle(items)
    spare = 8 * 8 - 1 - sum(min(w * d for w, d in s) for s in items)
    spots = fill_all(8, 8, taken, items, spare=spare, max_nodes=500_000)
    assert spots is not None
    check_layout(8, 8, taken, items, spots)


def test_no_layout_is_reported_as_none_after_an_exhaustive_search() -> None:
    """Two 2x2 booths on a 3x3 floor: the area fits, the shapes do not."""
    assert fill_all(3, 3, [0] * 3, [[(2, 2)], [(2, 2)]], spare=1, max_nodes=10_000) is None
    # Too little area: no search at all.
    assert fill_all(3, 3, [0] * 3, [[(3, 3)], [(1, 1)]], spare=-1, max_nodes=10_000) is None


def test_turnable_booths_take_either_shape() -> None:
    """A 3x1 that may turn fills a 1-wide, 3-deep gap the unturned shape cannot."""
    items = [[(2, 3)], [(3, 1), (1, 3)]]
    spots = fill_all(3, 3, [0, 0, 0], items, spare=0, max_nodes=1_000)
    assert spots is not None
    check_layout(3, 3, [0, 0, 0], items, spots)
    assert spots[1][2:] == (1, 3)


def test_the_same_seed_gives_the_same_layout() -> None:
    """The search is seeded and ended by its node budget: two calls give one answer."""
    items = [[shape] for shape in guillotine_cuts(30, 30, 25, 4)]
    first = fill_all(30, 30, [0] * 30, items, spare=0, max_nodes=300_000, seed=7)
    second = fill_all(30, 30, [0] * 30, items, spare=0, max_nodes=300_000, seed=7)
    assert first is not None and first == second


def test_streams_side_by_side_give_the_same_layout_each_time() -> None:
    """Two streams of restarts in threads: the layout taken is the first stream's (by number) to
    find one in a round of equal branches, not the first thread to finish, so repeated calls
    agree; it is a perfect packing."""
    items = [[shape] for shape in guillotine_cuts(40, 40, 35, 11)]
    runs = [
        fill_all(40, 40, [0] * 40, items, spare=0, max_nodes=4_000_000, seed=3, workers=2)
        for _ in range(3)
    ]
    assert runs[0] is not None and runs[0] == runs[1] == runs[2]
    check_layout(40, 40, [0] * 40, items, runs[0])


@pytest.mark.parametrize("turned", [False, True])
def test_a_stream_on_the_floor_turned_a_quarter_hands_back_spots_of_the_floor_as_it_is(
    monkeypatch: pytest.MonkeyPatch, turned: bool
) -> None:
    """One stream, searching a 9 x 6 floor with taken cells either as it is or turned (its rows
    the floor's columns): the layout it hands back is one of the floor as given — each booth in
    a shape of its own, on no taken cell — with a booth that may turn and one that may not."""
    monkeypatch.setattr(fill, "TURNED", (turned,))
    taken = [0] * 6
    taken[0] |= 0b11  # cells (0, 0) and (1, 0)
    taken[4] |= 1 << 7  # cell (7, 4)
    items = [[(4, 2)], [(2, 5)], [(3, 3)], [(5, 1), (1, 5)], [(2, 2)], [(3, 1)], [(1, 2)]]
    spare = 9 * 6 - 3 - sum(min(w * d for w, d in s) for s in items)
    spots = fill_all(9, 6, taken, items, spare=spare, max_nodes=200_000, workers=1)
    assert spots is not None
    check_layout(9, 6, taken, items, spots)


@pytest.mark.parametrize(("overhang", "first"), [(0.0, (4, 1)), (4.0, (3, 1))])
def test_a_booth_that_would_overhang_a_hole_is_tried_last_when_weighed(
    overhang: float, first: tuple[int, int]
) -> None:
    """From a lower-left corner over a ledge of 3 taken cells, a 4-wide booth would overhang an
    empty cell: larger first, it is tried before the 3-wide one; weighed (the second stream's
    4), after it."""
    from boothopt.solver.fill_kernel import _corner_moves

    order = [((4, 1),), ((3, 1),)]
    kinds = kernel_kinds(order)
    rows, cols = kernel_floor(6, 3, [0b000111, 0, 0])  # cells 0-2 of the first row taken
    moves = np.zeros((8, 5), dtype=np.int64)
    n = _corner_moves(
        rows, cols, 0, 1, 0, np.ones(2, dtype=np.int64), kinds, 12, np.ones(2, dtype=np.uint64),
        moves, 0, np.zeros(8), np.zeros(1, dtype=np.uint64), 0.0, True, overhang,
    )  # fmt: skip
    tried = [(int(m[3]), int(m[4])) for m in moves[:n] if m[0] >= 0]
    assert tried[0] == first and sorted(tried) == [(3, 1), (4, 1)]


def tiles(width: int, depth: int, shapes: list[tuple[int, int]]) -> bool:
    """Return True when the shapes (unturned) tile the floor exactly: a plain brute force, the
    lowest, then leftmost, empty cell taken by each distinct shape left in turn."""
    grid = [[False] * width for _ in range(depth)]
    counts: dict[tuple[int, int], int] = {}
    for shape in shapes:
        counts[shape] = counts.get(shape, 0) + 1

    def fill() -> bool:
        empty = next(((x, y) for y in range(depth) for x in range(width) if not grid[y][x]), None)
        if empty is None:
            return True
        x, y = empty
        for (w, d), n in list(counts.items()):
            cells = [(x + i, y + j) for i in range(w) for j in range(d)]
            if n == 0 or x + w > width or y + d > depth or any(grid[b][a] for a, b in cells):
                continue
            for a, b in cells:
                grid[b][a] = True
            counts[(w, d)] -= 1
            if fill():
                return True
            counts[(w, d)] += 1
            for a, b in cells:
                grid[b][a] = False
        return False

    return fill()


def test_a_failed_node_is_not_searched_again() -> None:
    """The compiled search's table of failed nodes: a floor proved impossible once is proved
    again at the cost of its first branches only, since every node below was stored as
    failed; a fresh table searches the whole tree again."""
    from boothopt.solver.fill_kernel import NO_LAYOUT, run_tries

    # A 10x10 floor cut in 12, one piece turned (a 3x4 asked as 4x3): the area still fits,
    # the shapes do not, and only a search of some thousands of branches shows it.
    cut = guillotine_cuts(10, 10, 12, 4)
    odd = next(s for s in cut if s[0] < s[1])
    shapes = sorted(cut, key=lambda s: (-s[0] * s[1], s))
    shapes[shapes.index(odd)] = (odd[1], odd[0])
    assert tiles(10, 10, cut) and not tiles(10, 10, shapes)
    order = sorted({(s,) for s in shapes}, key=lambda k: (-k[0][0] * k[0][1], k))
    left = np.array([shapes.count(k[0]) for k in order], dtype=np.int64)
    kinds = kernel_kinds(order)
    rows, cols = kernel_floor(10, 10, [0] * 10)
    placed = np.zeros((len(shapes), 5), dtype=np.int64)
    whole = np.array([10**9], dtype=np.int64)

    def prove(dead: np.ndarray) -> int:
        result, branches, _, _ = run_tries(
            rows, cols, left, kinds, 0, 0, whole, 10**9, 0.0, 0, np.ones(1), placed, dead, 0.0
        )
        assert result == NO_LAYOUT
        return int(branches)

    dead = np.zeros(1 << 20, dtype=np.uint64)
    first = prove(dead)
    again = prove(dead)
    assert first > 1_000
    assert again <= len(order)  # the first node's branches, each found failed in the table
    assert prove(np.zeros(1 << 20, dtype=np.uint64)) == first


def test_a_floor_wider_than_the_compiled_search_is_searched_in_python() -> None:
    """70 modules along (past the compiled search's 63): the Python search fills it, a column
    kept free; and it proves an impossible floor impossible, as the compiled one does on a
    narrow one."""
    assert MAX_SIDE < 70
    taken = [0, 1 << 35, 0, 0]
    items = [[shape] for shape in guillotine_cuts(35, 4, 6, 1)]
    items += [[(17, 2)], [(17, 2)], [(1, 3)], [(1, 1)]]
    spare = 70 * 4 - 1 - sum(min(w * d for w, d in s) for s in items)
    spots = fill_all(70, 4, taken, items, spare=spare, max_nodes=200_000)
    assert spots is not None
    check_layout(70, 4, taken, items, spots)
    # Three 2x2 booths on a 3x4 floor; a 2x2 and a 2x1 on the 3x2 left free of a 70x2 floor:
    # the area fits, the shapes do not; each search (compiled, Python) proves it.
    stuck = [[(2, 2)], [(2, 2)], [(2, 2)]]
    assert fill_all(3, 4, [0] * 4, stuck, spare=0, max_nodes=100_000) is None
    wall = [sum(1 << x for x in range(3, 70))] * 2
    assert fill_all(70, 2, wall, [[(2, 2)], [(2, 1)]], spare=0, max_nodes=100_000) is None


def test_a_stop_ends_the_search_between_rounds() -> None:
    """Ctrl-C: the solve's stop is asked between rounds; once it says stop, the search gives up
    (None), with no deadline and branches left; asked before the first round, no search."""
    items = [[shape] for shape in guillotine_cuts(50, 50, 45, 10)]
    asked = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) > 2

    assert fill_all(50, 50, [0] * 50, items, spare=0, max_nodes=10**12, stop=stop) is None
    assert len(asked) == 3
    easy = [[(2, 2)], [(1, 1)], [(1, 1)]]
    assert fill_all(3, 2, [0, 0], easy, spare=0, max_nodes=100, stop=lambda: True) is None
    assert fill_all(3, 2, [0, 0], easy, spare=0, max_nodes=100) is not None


def test_luby_sequence() -> None:
    """The restart schedule: 1, 1, 2, 1, 1, 2, 4, ... (Luby, Sinclair and Zuckerman)."""
    assert [luby(i) for i in range(1, 32)][-16:] == [
        1,
        1,
        2,
        1,
        1,
        2,
        4,
        1,
        1,
        2,
        1,
        1,
        2,
        4,
        8,
        16,
    ]
