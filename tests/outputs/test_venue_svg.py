"""The venue drawing: to scale, complete, and safe with hostile names."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from boothopt.floorplan import build_grid, load_venue
from boothopt.outputs.venue_svg import render_grids_svg
from tests.conftest import one_hall_venue

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    """Parse an SVG string (fails the test if it is not well-formed XML)."""
    return ET.fromstring(svg)


def test_every_cell_door_and_obstacle_is_drawn() -> None:
    """Hall A's drawing holds one rect per cell, one mark per door and one shape per column."""
    hall = load_venue("coex").hall("A")
    grid = build_grid(hall)
    root = parse(render_grids_svg([grid], "COEX Hall A"))
    cells = root.findall(".//s:rect[@class='cell']", NS)
    assert len(cells) == grid.n_cells
    assert len(root.findall(".//s:path[@class='entrance']", NS)) == len(hall.entrances)
    assert len(root.findall(".//s:path[@class='exit']", NS)) == len(hall.exits)
    assert len(root.findall(".//s:path[@class='obstacle column']", NS)) == len(hall.obstacles)
    for group in ("scale-bar", "legend", "north-arrow"):
        assert root.find(f".//s:g[@class='{group}']", NS) is not None


def test_drawing_is_to_scale() -> None:
    """A 3 m cell is drawn as wide as 3/step of one scale-bar segment, and cells are square."""
    grid = build_grid(load_venue("coex").hall("B1"))
    root = parse(render_grids_svg([grid], "B1"))
    cell = root.find(".//s:rect[@class='cell']", NS)
    assert cell is not None
    width, height = float(cell.get("width", 0)), float(cell.get("height", 0))
    assert width == pytest.approx(height)
    bar = root.findall(".//s:g[@class='scale-bar']/s:rect", NS)
    labels = [t.text for t in root.findall(".//s:g[@class='scale-bar']/s:text", NS)]
    step = float(labels[1] or 0)
    assert width / float(bar[0].get("width", 0)) == pytest.approx(3.0 / step, rel=1e-3)


def test_cells_keep_their_relative_positions() -> None:
    """Cell rectangles sit where the grid puts them: x grows east, y is flipped (north up)."""
    grid = build_grid(load_venue("coex").hall("B1"))
    root = parse(render_grids_svg([grid], "B1"))
    rects = root.findall(".//s:rect[@class='cell']", NS)
    k = float(rects[0].get("width", 0)) / 3.0
    x0, y0 = float(rects[0].get("x", 0)), float(rects[0].get("y", 0))
    for i, r in enumerate(rects):
        bx0, _, _, by1 = grid.cell_boxes[i]
        ex = x0 + (bx0 - grid.cell_boxes[0][0]) * k
        ey = y0 - (by1 - grid.cell_boxes[0][3]) * k
        assert float(r.get("x", 0)) == pytest.approx(ex, abs=0.02)
        assert float(r.get("y", 0)) == pytest.approx(ey, abs=0.02)


def test_levels_are_drawn_apart() -> None:
    """Halls on different levels (A on 1F, C on 3F) are drawn on separate bands."""
    venue = load_venue("coex")
    svg = render_grids_svg([build_grid(venue.hall("A")), build_grid(venue.hall("C"))], "A and C")
    root = parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Level 1F" in texts and "Level 3F" in texts


def test_hostile_names_are_escaped() -> None:
    """Markup in hall names and titles comes out as text, never as elements."""
    venue = one_hall_venue((30, 21), name="<script>alert(1)</script>", name_ko="홀 & <b>")
    svg = render_grids_svg([build_grid(venue.hall("T"))], '"><svg onload=alert(1)>')
    root = parse(svg)
    assert root.find(".//s:script", NS) is None
    assert "onload" not in "".join(el.get("onload", "") for el in root.iter())
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>alert(1)</script>" in texts and "홀 & <b>" in texts
