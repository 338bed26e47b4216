"""Venues from CAD drawings (DXF): shapes read to the millimetre, every fault named by handle.

Drawings are made here with ezdxf, as a CAD program would save them; what the import writes is
loaded with boothopt's own venue loader, and its geometry compared with Shapely.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import ezdxf
import pytest
import shapely
from click.testing import CliRunner
from ezdxf.document import Drawing
from shapely import affinity
from shapely.geometry import Point, Polygon, box

from boothopt.cli import main
from boothopt.errors import InputError, VenueError
from boothopt.floorplan import load_venue
from boothopt.floorplan.dxf_import import import_dxf, parse_layers, venue_yaml
from boothopt.floorplan.venue import Hall
from boothopt.outputs.dxf import venue_to_dxf

TOL_M = 0.01  # the round trip keeps halls within 1 cm
MM = 1000.0


def save(doc: Drawing, path: Path) -> Path:
    doc.saveas(path)
    return path


def import_and_load(path: Path, tmp_path: Path, **options: Any) -> Any:
    """Import a drawing, write the venue file as the CLI does, and load it."""
    raw = import_dxf(path, **options)
    out = tmp_path / "venue.yaml"
    out.write_text(venue_yaml(raw), encoding="utf-8")
    return load_venue(out)


def new_drawing(units: int = 4) -> Drawing:
    """An empty drawing in millimetres (``$INSUNITS`` 4), or in the given units."""
    doc = ezdxf.new("R2010")
    doc.units = units
    return doc


def rect(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def same_shape(a: Polygon, b: Polygon, tol: float = TOL_M) -> bool:
    return bool(a.symmetric_difference(b).area < tol * a.length and a.hausdorff_distance(b) < tol)


# --- the built-in COEX venue, drawn and read back ---------------------------------------------


@pytest.fixture(scope="module")
def coex_back(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """COEX drawn by venue_to_dxf (millimetres, a layer per level) and imported again."""
    folder = tmp_path_factory.mktemp("coex")
    path = folder / "coex.dxf"
    path.write_bytes(venue_to_dxf(load_venue("coex")))
    return import_and_load(path, folder)


def test_coex_round_trip_gives_the_same_halls_on_their_levels(coex_back: Any) -> None:
    """Every hall comes back with its id and level, its outline within 1 cm (symmetric
    difference and Hausdorff distance), though halls A and C cover the same ground."""
    coex = load_venue("coex")
    assert [h.id for h in coex_back.halls] == sorted(h.id for h in coex.halls)
    assert coex.hall("A").outline.equals(coex.hall("C").outline)  # the case levels are for
    for hall in coex.halls:
        back = coex_back.hall(hall.id)
        assert back.level == hall.level
        assert hall.outline.symmetric_difference(back.outline).area < 1e-4
        assert hall.outline.hausdorff_distance(back.outline) < TOL_M


def test_coex_round_trip_keeps_obstacles_and_doors(coex_back: Any) -> None:
    """Columns come back as the same squares, each door at the same place with its width."""
    for hall in load_venue("coex").halls:
        back: Hall = coex_back.hall(hall.id)
        want = shapely.union_all([o.polygon for o in hall.obstacles])
        got = shapely.union_all([o.polygon for o in back.obstacles])
        assert len(back.obstacles) == len(hall.obstacles)
        assert want.symmetric_difference(got).area < 1e-4
        assert all(o.kind == "column" for o in back.obstacles)
        for kind in ("entrances", "exits"):
            doors = sorted((d.at, d.width_m) for d in getattr(hall, kind))
            again = sorted((d.at, d.width_m) for d in getattr(back, kind))
            assert len(doors) == len(again)
            for (at, width), (at2, width2) in zip(doors, again, strict=True):
                assert math.dist(at, at2) < TOL_M and abs(width - width2) < TOL_M
    assert coex_back.joined == ()  # a drawing holds no joined halls: the venue file adds them


# --- what a CAD drawing holds: bulges, circles, blocks, texts, levels -------------------------


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A drawing in mm: hall West (40 m x 20 m with a half-round east end, a bulge) labelled by
    a TEXT; two unlabelled halls from a rotated, scaled block; a round column, a column block,
    a column straddling the west wall; an exit LINE and an entrance door block (leaf and
    swing); and a hall on level 3F."""
    doc = new_drawing()
    msp = doc.modelspace()
    hall = {"layer": "HALL"}
    msp.add_lwpolyline(
        [(0, 0, 0), (40 * MM, 0, 1), (40 * MM, 20 * MM, 0), (0, 20 * MM, 0)],
        format="xyb",
        close=True,
        dxfattribs=hall,
    )
    msp.add_text("West", height=MM, dxfattribs=hall).set_placement((10 * MM, 10 * MM))
    square = doc.blocks.new("SQUARE")
    square.add_lwpolyline(rect(0, 0, 10 * MM, 10 * MM), close=True)
    msp.add_blockref(
        "SQUARE", (100 * MM, 0), dxfattribs={**hall, "rotation": 30, "xscale": 2, "yscale": 2}
    )
    msp.add_blockref("SQUARE", (60 * MM, 0), dxfattribs=hall)
    msp.add_circle((20 * MM, 10 * MM), 0.5 * MM, dxfattribs={"layer": "COLUMN"})
    column = doc.blocks.new("COL")
    column.add_lwpolyline(rect(-400, -400, 400, 400), close=True)
    column.add_line((-400, -400), (400, 400))  # the cross drawn in a column symbol
    msp.add_blockref("COL", (30 * MM, 5 * MM), dxfattribs={"layer": "column"})
    msp.add_lwpolyline(
        rect(-500, 14.5 * MM, 500, 15.5 * MM), close=True, dxfattribs={"layer": "COLUMN"}
    )
    msp.add_line((5 * MM, 0), (7.4 * MM, 0), dxfattribs={"layer": "EXIT"})
    door = doc.blocks.new("DOOR")
    door.add_line((0, 0), (0, 1800))  # the leaf, open
    door.add_arc((0, 0), 1800, 0, 90)  # its swing
    msp.add_blockref("DOOR", (15 * MM, 20 * MM), dxfattribs={"layer": "ENTRANCE", "rotation": 180})
    upper = {"layer": "HALL@3F"}
    msp.add_lwpolyline(rect(0, 0, 40 * MM, 20 * MM), close=True, dxfattribs=upper)
    msp.add_text("Upper", height=MM, dxfattribs=upper).set_placement((10 * MM, 10 * MM))
    msp.add_line((0, 2 * MM), (0, 4 * MM), dxfattribs={"layer": "EXIT@3F"})
    msp.add_text("not a hall", dxfattribs={"layer": "NOTES"}).set_placement((10 * MM, 5 * MM))
    return save(doc, tmp_path / "plan.dxf")


def test_bulges_are_flattened_to_within_millimetres(plan: Path, tmp_path: Path) -> None:
    """The bulge is a half circle: West is the 40 m x 20 m box and a disc of 10 m radius."""
    west = import_and_load(plan, tmp_path).hall("West")
    exact = box(0, 0, 40, 20).union(Point(40, 10).buffer(10, quad_segs=512))
    assert west.outline.hausdorff_distance(exact) < 0.003
    assert abs(west.area_m2 - exact.area) < 0.01 * exact.area / 100  # within 0.01 %
    assert west.level == "1F"


def test_blocks_become_halls_numbered_west_to_east(plan: Path, tmp_path: Path) -> None:
    """Each block INSERT is its block's shape moved, turned and scaled; unlabelled halls are
    H1, H2 from west to east."""
    venue = import_and_load(plan, tmp_path)
    assert sorted(h.id for h in venue.halls) == ["H1", "H2", "Upper", "West"]
    assert same_shape(venue.hall("H1").outline, box(60, 0, 70, 10))
    turned = affinity.rotate(box(0, 0, 20, 20), 30, origin=(0, 0))
    assert same_shape(venue.hall("H2").outline, affinity.translate(turned, 100, 0))


def test_circles_and_column_blocks_are_obstacles_cut_to_their_hall(
    plan: Path, tmp_path: Path
) -> None:
    """A CIRCLE column is round (area of a 0.5 m radius disc); a block's closed shape is a
    column (its open cross left out); a column in the wall keeps only its part in the hall."""
    west = import_and_load(plan, tmp_path).hall("West")
    shapes = sorted((o.polygon for o in west.obstacles), key=lambda p: p.centroid.x)
    assert [o.kind for o in west.obstacles] == ["column"] * 3
    in_wall, circle, block = shapes
    assert same_shape(in_wall, box(0, 14.5, 0.5, 15.5), 1e-6)
    assert (
        abs(circle.area - math.pi * 0.25) < 0.005 and circle.centroid.distance(Point(20, 10)) < 1e-6
    )
    assert same_shape(block, box(29.6, 4.6, 30.4, 5.4), 1e-6)


def test_doors_sit_on_the_wall_as_wide_as_drawn(plan: Path, tmp_path: Path) -> None:
    """An exit LINE on the south wall is 2.4 m wide at its middle; a door block's leaf and
    swing give a 1.8 m entrance on the north wall; level 3F's exit is its hall's own."""
    venue = import_and_load(plan, tmp_path)
    west, upper = venue.hall("West"), venue.hall("Upper")
    (exit_,) = west.exits
    assert math.dist(exit_.at, (6.2, 0)) < 1e-6 and abs(exit_.width_m - 2.4) < 1e-6
    (entrance,) = west.entrances
    assert math.dist(entrance.at, (14.1, 20)) < 1e-3 and abs(entrance.width_m - 1.8) < 1e-3
    assert entrance.inward == pytest.approx((0, -1))
    assert upper.level == "3F" and same_shape(upper.outline, box(0, 0, 40, 20), 1e-9)
    (upper_exit,) = upper.exits
    assert math.dist(upper_exit.at, (0, 3)) < 1e-6 and not upper.obstacles


def test_units_come_from_the_drawing_or_the_option(tmp_path: Path) -> None:
    """A unitless drawing asks for --units; the option then scales it (and overrides)."""
    doc = new_drawing(units=0)
    doc.modelspace().add_lwpolyline(
        rect(0, 0, 3000, 2000), close=True, dxfattribs={"layer": "HALL"}
    )
    path = save(doc, tmp_path / "unitless.dxf")
    with pytest.raises(VenueError) as info:
        import_dxf(path)
    (problem,) = info.value.problems
    assert "$INSUNITS is 0" in problem and "--units" in problem
    assert str(info.value).startswith(f"{path}: ")
    assert import_and_load(path, tmp_path, units="mm").hall("H1").area_m2 == pytest.approx(6.0)
    assert import_and_load(path, tmp_path, units="cm").hall("H1").area_m2 == pytest.approx(600.0)


# --- faults: each named by file, layer and handle ----------------------------------------------


def test_every_fault_is_named_by_layer_and_handle(tmp_path: Path) -> None:
    """Open and self-crossing outlines, two texts in one outline, an id used twice, a column in
    no hall and an exit off every wall are reported together, each by its handle."""
    doc = new_drawing()
    msp = doc.modelspace()
    hall = {"layer": "HALL"}
    open_ = msp.add_lwpolyline(rect(0, 0, 10 * MM, 10 * MM), dxfattribs=hall)  # not closed
    bow = msp.add_lwpolyline(
        [(20 * MM, 0), (30 * MM, 10 * MM), (30 * MM, 0), (20 * MM, 10 * MM)],
        close=True,
        dxfattribs=hall,
    )
    two = msp.add_lwpolyline(rect(40 * MM, 0, 50 * MM, 10 * MM), close=True, dxfattribs=hall)
    for n, text in enumerate(["A", "Hall A"]):
        msp.add_text(text, dxfattribs=hall).set_placement((42 * MM, (2 + 3 * n) * MM))
    first = msp.add_lwpolyline(rect(60 * MM, 0, 70 * MM, 10 * MM), close=True, dxfattribs=hall)
    again = msp.add_lwpolyline(rect(80 * MM, 0, 90 * MM, 10 * MM), close=True, dxfattribs=hall)
    for x in (65, 85):
        msp.add_text("B", dxfattribs=hall).set_placement((x * MM, 5 * MM))
    column = msp.add_circle((200 * MM, 200 * MM), 500, dxfattribs={"layer": "COLUMN"})
    exit_ = msp.add_line((65 * MM, 30 * MM), (67 * MM, 30 * MM), dxfattribs={"layer": "EXIT"})
    path = save(doc, tmp_path / "faults.dxf")
    with pytest.raises(VenueError) as info:
        import_dxf(path)
    problems = info.value.problems
    assert len(problems) == 6, problems

    def about(entity: Any) -> str:
        (line,) = [p for p in problems if f"{entity.dxftype()} {entity.dxf.handle}:" in p]
        assert line.startswith(f"layer {entity.dxf.layer}, {entity.dxftype()} ")
        return line

    assert "outline is open (its ends are 10.000 m apart)" in about(open_)
    assert "crosses itself (Self-intersection[25 5]" in about(bow)
    assert "2 texts lie inside the outline ('A', 'Hall A')" in about(two)
    (duplicate,) = [p for p in problems if "is also the id of" in p]
    assert {first.dxf.handle, again.dxf.handle} <= {w.strip(",:") for w in duplicate.split()}
    assert "lies in no hall outline on level 1F" in about(column)
    assert "is 20.00 m from the nearest hall wall" in about(exit_)
    assert all(" — " in p for p in problems)  # each says what to do


def test_the_venue_loaders_faults_name_the_outline(tmp_path: Path) -> None:
    """Faults only the venue loader finds (halls overlapping) also say which entity it is."""
    doc = new_drawing()
    msp = doc.modelspace()
    a = msp.add_lwpolyline(rect(0, 0, 10 * MM, 10 * MM), close=True, dxfattribs={"layer": "HALL"})
    msp.add_lwpolyline(rect(5 * MM, 0, 15 * MM, 10 * MM), close=True, dxfattribs={"layer": "HALL"})
    with pytest.raises(VenueError) as info:
        import_dxf(save(doc, tmp_path / "overlap.dxf"))
    (problem,) = info.value.problems
    assert problem.startswith("hall H1: overlaps hall H2 on level 1F by 50.0 m²")
    assert problem.endswith(f"(hall H1 is layer HALL, LWPOLYLINE {a.dxf.handle})")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"AC1032\x00\x00binary drawing", "this is a DWG drawing, not DXF"),
        (b"hello, world\n", "not a readable DXF drawing (at line 1)"),
        (b"", "the drawing holds no entities"),
    ],
)
def test_files_that_are_no_dxf_drawing_are_refused(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    """A DWG, a text file or an empty file is refused in one line naming the file."""
    path = tmp_path / "plan.dxf"
    path.write_bytes(content)
    with pytest.raises(VenueError) as info:
        import_dxf(path, units="mm")
    assert str(info.value).startswith(f"{path}: ") and expected in str(info.value)
    assert len(str(info.value).splitlines()) == 1


def test_binary_dxf_is_read(tmp_path: Path) -> None:
    """A binary DXF reads as the ASCII one does."""
    doc = new_drawing()
    doc.modelspace().add_lwpolyline(
        rect(0, 0, 9000, 6000), close=True, dxfattribs={"layer": "HALL"}
    )
    path = tmp_path / "binary.dxf"
    doc.saveas(path, fmt="bin")
    assert path.read_bytes().startswith(b"AutoCAD Binary DXF")
    assert same_shape(import_and_load(path, tmp_path).hall("H1").outline, box(0, 0, 9, 6), 1e-9)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("outline=HALL,door=EXIT", "unknown role 'door'"),
        ("outline=HALL,COLUMN", "'COLUMN' is not ROLE=LAYER"),
        ("obstacle=COLUMN", "no outline layer"),
        ("outline=HALL,exit=hall", "layer 'hall' is given two roles (outline and exit)"),
    ],
)
def test_bad_layer_lists_are_refused(spec: str, expected: str) -> None:
    """A --layers list with an unknown role, a missing '=', no outline or a layer given two
    roles is refused, naming the item."""
    with pytest.raises(InputError, match=r"^--layers: ") as info:
        parse_layers(spec)
    assert expected in str(info.value)


# --- the command -------------------------------------------------------------------------------


def test_cli_round_trip_with_named_layers(tmp_path: Path) -> None:
    """`venues export` then `venues import --layers … --units mm` writes a venue file that
    `venues show` loads, every hall with the built-in one's area, usable floor and booths."""
    runner = CliRunner()
    drawing, venue = tmp_path / "coex.dxf", tmp_path / "venue.yaml"
    result = runner.invoke(main, ["venues", "export", "coex", "--out", str(drawing)])
    assert result.exit_code == 0 and result.stdout == f"wrote {drawing}\n"
    layers = "outline=HALL,obstacle=COLUMN,exit=EXIT,entrance=ENTRANCE"
    result = runner.invoke(
        main,
        [
            "venues",
            "import",
            str(drawing),
            "--layers",
            layers,
            "--units",
            "mm",
            "--id",
            "coex2",
            "--out",
            str(venue),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["wrote"] == [str(venue)] and report["venue"] == "coex2"
    assert {h["id"]: h["level"] for h in report["halls"]}["C"] == "3F"

    def figures(name: str) -> dict[str, tuple[float, float, int]]:
        shown = runner.invoke(main, ["venues", "show", name, "--json"])
        assert shown.exit_code == 0, shown.output
        halls = json.loads(shown.stdout)["halls"]
        return {h["id"]: (h["area_m2"], h["usable_m2"], h["booth_capacity"]) for h in halls}

    built_in = figures("coex")
    assert figures(str(venue)) == {h: built_in[h] for h in ("A", "B1", "B2", "C", "D1", "D2")}


def test_cli_bad_drawing_is_one_error_line_and_nothing_written(tmp_path: Path) -> None:
    """A unitless drawing without --units: exit code 2, one `error:` line, no file, no
    traceback."""
    doc = new_drawing(units=0)
    doc.modelspace().add_lwpolyline(
        rect(0, 0, 3000, 2000), close=True, dxfattribs={"layer": "HALL"}
    )
    drawing, venue = save(doc, tmp_path / "plan.dxf"), tmp_path / "venue.yaml"
    result = CliRunner().invoke(main, ["venues", "import", str(drawing), "--out", str(venue)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {drawing}: the drawing does not say its units")
    assert "Traceback" not in result.output and not venue.exists()
