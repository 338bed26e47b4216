"""The aisle graph and the walking distances measured on it, on a hand-computed hall."""

from __future__ import annotations

import networkx as nx
import pytest
import shapely

from boothopt.floorplan import AisleScheme, Venue, build_grid

# 30 m x 21 m, 3 m aisles everywhere, rows of at most 12 m:
# blocks at x 3-15 and 18-27, y 3-9 and 12-18; aisle centre lines at x 1.5, 16.5, 28.5 and
# y 1.5, 10.5, 19.5; entrance at (0, 10.5), exit at (30, 10.5).
SMALL = AisleScheme(perimeter_aisle_m=3, main_aisle_m=3, max_row_m=12)


def cell_at(grid, x: float, y: float) -> int:
    """Return the index of the cell whose centre is (x, y)."""
    centres = (grid.cell_boxes[:, :2] + grid.cell_boxes[:, 2:]) / 2
    hits = [i for i, (cx, cy) in enumerate(centres) if abs(cx - x) < 1e-9 and abs(cy - y) < 1e-9]
    assert len(hits) == 1, f"no single cell centred at ({x}, {y})"
    return hits[0]


def test_graph_is_aisle_centre_lines_with_doors(small_hall_venue: Venue) -> None:
    """Nodes sit at aisle crossings and doors; edges carry their length and aisle width."""
    grid = build_grid(small_hall_venue.hall("T"), SMALL)
    g = grid.graph
    positions = {tuple(p) for _, p in g.nodes(data="pos")}
    for x in (1.5, 16.5, 28.5):
        for y in (1.5, 10.5, 19.5):
            assert (x, y) in positions
    assert (0.0, 10.5) in positions and (30.0, 10.5) in positions
    assert nx.is_connected(g)
    for _, _, data in g.edges(data=True):
        assert data["length"] > 0 and data["width"] >= 2.0
    # 3 horizontal lines of 27 m, 3 vertical of 18 m, and no door links
    assert grid.aisle_length_m == pytest.approx(3 * 27 + 3 * 18)
    kinds = dict(g.nodes(data="kind"))
    assert sorted(k for k in kinds.values() if k != "junction") == ["entrance", "exit"]


def test_walking_distances_match_hand_computation(small_hall_venue: Venue) -> None:
    """Walks follow the aisles: perpendicular to the aisle, along it, then through the door."""
    grid = build_grid(small_hall_venue.hall("T"), SMALL)
    # Cell (6..9, 6..9) faces the middle aisle y=10.5: 3 m to it, 6 m west to x=1.5, 1.5 m out.
    c = cell_at(grid, 7.5, 7.5)
    assert grid.entrance_walk_m[c] == pytest.approx(3 + 6 + 1.5)
    # Cell (6..9, 3..6) faces the south aisle y=1.5: 3 + 6 + 9 up the west aisle + 1.5.
    c = cell_at(grid, 7.5, 4.5)
    assert grid.entrance_walk_m[c] == pytest.approx(3 + 6 + 9 + 1.5)
    # Cell (21..24, 12..15) faces y=10.5: 3 m, then 6 m east to x=28.5, 1.5 m to the exit.
    c = cell_at(grid, 22.5, 13.5)
    assert grid.exit_walk_m[c] == pytest.approx(3 + 6 + 1.5)
    # Its walk to the entrance runs most of the middle aisle: 3 + 21 + 1.5.
    assert grid.entrance_walk_m[c] == pytest.approx(3 + 21 + 1.5)


def test_exit_walk_counts_entrances_as_ways_out(small_hall_venue: Venue) -> None:
    """A cell nearer the entrance than the exit gets the entrance's walk as its exit walk."""
    grid = build_grid(small_hall_venue.hall("T"), SMALL)
    c = cell_at(grid, 7.5, 7.5)
    assert grid.exit_walk_m[c] == pytest.approx(grid.entrance_walk_m[c])
    assert (grid.exit_walk_m <= grid.entrance_walk_m + 1e-9).all()


def test_walk_is_never_shorter_than_the_straight_line(small_hall_venue: Venue) -> None:
    """No cell's walk to the entrance beats the straight line from its centre to the door."""
    grid = build_grid(small_hall_venue.hall("T"), SMALL)
    door = shapely.Point(0, 10.5)
    for i, poly in enumerate(grid.cell_polygons()):
        assert grid.entrance_walk_m[i] >= poly.centroid.distance(door) - 1e-9


def test_core_obstacle_cuts_aisles() -> None:
    """A service core across an aisle removes that stretch of aisle from the graph."""
    from tests.conftest import one_hall_venue

    core = [[13, 9], [20, 9], [20, 12], [13, 12], [13, 9]]
    venue = one_hall_venue(
        (30, 21),
        obstacles=[{"id": "core", "kind": "core", "polygon": core}],
        exits=[{"at": [30, 10.5], "width_m": 2}],
    )
    grid = build_grid(venue.hall("T"), SMALL)
    blocked = shapely.Polygon(core)
    for e in grid.aisle_edges:
        assert e.line.intersection(blocked.buffer(-1e-6)).length == 0
