"""The booth grid: capacity, cells kept off aisles and blocked areas, and the layout rules."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from boothopt.floorplan import AisleScheme, HallGrid, build_grid, check_grid, load_venue
from boothopt.floorplan.grid import layout_axis
from tests.conftest import one_hall_venue

COEX = load_venue("coex")


def aisle_strips(grid: HallGrid) -> shapely.Geometry:
    """Return the aisles as areas: each centre line widened to its width."""
    strips = [
        e.line.buffer(e.width_m / 2, cap_style="flat") for e in grid.aisle_edges if e.kind != "door"
    ]
    return shapely.union_all(strips)


@pytest.mark.parametrize(("hall", "published"), [("A", 520), ("B", 360)])
def test_coex_capacity_meets_published_booth_counts(hall: str, published: int) -> None:
    """With the default scheme Hall A holds >= 520 and Hall B (B1+B2) >= 360 booths, no breach."""
    grid = build_grid(COEX.hall(hall))
    assert grid.booth_capacity() >= published
    assert check_grid(grid) == []


@pytest.mark.parametrize("hall", COEX.hall_ids())
def test_cells_stay_inside_the_hall_off_aisles_and_blocked_areas(hall: str) -> None:
    """Every cell lies in its hall, overlaps no other cell, no aisle and no blocked area."""
    grid = build_grid(COEX.hall(hall))
    cells = grid.cell_polygons()
    assert cells, "a COEX hall without cells"
    assert all(grid.hall.outline.contains(c) for c in cells)
    union = shapely.union_all(cells)
    assert union.area == pytest.approx(len(cells) * 9.0)  # no two cells overlap
    assert all(c.area == pytest.approx(9.0) for c in cells)
    for blocked in grid.blocked:
        assert union.intersection(blocked.polygon).area < 1e-6, blocked.kind
    assert union.intersection(aisle_strips(grid)).area < 1e-6


def test_blocked_areas_cover_every_door_column_and_hydrant() -> None:
    """Hall A's blocked areas hold one clear zone per door and hydrant and every column."""
    hall = COEX.hall("A")
    grid = build_grid(hall)
    kinds = [b.kind for b in grid.blocked]
    assert kinds.count("exit-clearance") == len(hall.exits)
    assert kinds.count("entrance-clearance") == len(hall.entrances)
    assert kinds.count("hydrant-clearance") == len(hall.hydrants)
    assert kinds.count("column") == len(hall.obstacles) > 0
    for door in hall.entrances:
        zone = next(b.polygon for b in grid.blocked if b.ref == door.id)
        # 4 m deep in front of the entrance, 1 m wider than the door on each side
        assert zone.area == pytest.approx(4.0 * (door.width_m + 2.0))
        assert zone.contains(shapely.Point(door.at[0], door.at[1] - 3.9))


def test_rows_are_back_to_back_pairs_no_longer_than_30_m() -> None:
    """Default blocks are two modules deep and at most ten modules (30 m) long."""
    grid = build_grid(COEX.hall("A"))
    assert {b.n_deep for b in grid.blocks} == {2}
    assert max(b.n_along for b in grid.blocks) * 3.0 <= 30.0


def test_open_sides_count_block_edges() -> None:
    """A corner cell of a 2-deep block has 2 open sides, a middle one 1, an end one 2."""
    grid = build_grid(COEX.hall("B1"))
    block = grid.blocks[0]
    by_ij = {tuple(grid.cell_ij[c]): c for c in block.cells}
    assert grid.cell_open_sides[by_ij[(0, 0)]] == 2
    assert grid.cell_open_sides[by_ij[(3, 0)]] == 1
    assert grid.cell_open_sides[by_ij[(block.n_along - 1, 1)]] == 2


def test_open_floor_with_one_metre_module_is_one_block() -> None:
    """Scheme 'none' with a 1 m module gives one block covering the hall, no aisles."""
    venue = one_hall_venue((10, 6))
    grid = build_grid(venue.hall("T"), AisleScheme(kind="none", module_m=1.0))
    assert grid.n_cells == 60
    assert len(grid.blocks) == 1
    assert grid.aisle_length_m == 0
    assert grid.booth_capacity() == 6  # 3 x 2 standard 3 m x 3 m booths
    assert grid.usable_m2 == pytest.approx(60.0)


def test_clear_zone_removes_cells_in_front_of_an_entrance() -> None:
    """Without a perimeter aisle the 4 m zone in front of an entrance holds no cell."""
    venue = one_hall_venue((12, 12), entrances=[{"at": [6, 0], "width_m": 2}])
    grid = build_grid(venue.hall("T"), AisleScheme(kind="none"))
    zone = grid.blocked[0].polygon
    assert grid.blocked[0].kind == "entrance-clearance"
    assert all(not c.intersects(zone.buffer(-1e-6)) for c in grid.cell_polygons())
    assert grid.n_cells == 16 - 4  # the two middle columns of the first two rows


def test_layout_axis_fills_length_within_limits() -> None:
    """Segments stay within their limits, gaps are at least their width, all fits the length."""
    for length in (20, 47.5, 72, 144, 230):
        axis = layout_axis(0, length, 3, 1, 10, 3, 5, 60, 5, "cross")
        assert all(1 <= n <= 10 for _, n in axis.segments)
        widths = [w for _, w, kind in axis.gaps if kind != "perimeter"]
        assert all(w >= 3 for w in widths)
        assert axis.gaps[0][1] >= 5 and axis.gaps[-1][1] >= 5
        used = sum(n * 3 for _, n in axis.segments) + sum(w for _, w, _ in axis.gaps)
        assert used == pytest.approx(length)
        assert len(axis.gaps) == len(axis.segments) + 1


def test_layout_axis_puts_most_modules_on_the_floor() -> None:
    """No split of the length into legal segments holds more modules than the one chosen."""
    axis = layout_axis(0, 135, 3, 1, 10, 3, 5, 60, 5, "cross")
    got = sum(n for _, n in axis.segments)
    inner = 135 - 10
    # brute force: n segments, the main gaps spread as layout_axis does
    best = 0
    for n in range(1, 20):
        k = min(n - 1, int(np.ceil(inner / 60)) - 1)
        room = inner - (n - 1 - k) * 3 - k * 5
        best = max(best, min(int(room // 3), 10 * n))
    assert got == best == 37


def test_grid_is_the_same_for_the_same_hall() -> None:
    """Two builds of one hall give identical cells (the grid is deterministic)."""
    a, b = build_grid(COEX.hall("D")), build_grid(COEX.hall("D"))
    assert np.array_equal(a.cell_boxes, b.cell_boxes)
    assert np.array_equal(a.exit_walk_m, b.exit_walk_m)


def test_feature_band_lies_along_the_entrance_wall() -> None:
    """A feature band of 6-deep blocks is laid along the wall with Hall A's entrances (north)."""
    hall = COEX.hall("A")
    grid = build_grid(hall, AisleScheme(feature_bands=1))
    deep = [b for b in grid.blocks if b.n_deep == 6]
    assert deep and all(b.n_along <= 10 for b in deep)
    top_of_feature = max(b.origin[1] + 6 * 3.0 for b in deep)
    top_of_others = max(b.origin[1] + b.n_deep * 3.0 for b in grid.blocks if b.n_deep != 6)
    assert top_of_feature > top_of_others  # nearer the north wall than every other band
    assert check_grid(grid) == []
