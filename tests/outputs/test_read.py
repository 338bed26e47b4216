"""The assignment file's contract: reading it back, writing it, and what it says about entrances
and the earth."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from pydantic import ValidationError

from boothopt.api import check
from boothopt.cli import main
from boothopt.contract import (
    Assignment,
    assignment_data,
    assignment_json,
    parse_assignment,
    read_assignment,
)
from boothopt.errors import InputError
from boothopt.floorplan import build_grid
from boothopt.inputs.event_file import load_event
from boothopt.outputs.master_list import render_csv

EXAMPLE_EVENT = Path(__file__).parent.parent.parent / "examples" / "smartlife-2024" / "event.yaml"

# A 60 m x 27 m hall with one entrance at each end: booths find the entrance on their side.
TWO_DOOR_VENUE = """schema: boothopt.venue/1
id: two-doors
anchor: {lon: 126.9780, lat: 37.5665, bearing_deg: 0, origin: [0, 0]}
halls:
  - id: W
    rect: {origin: [0, 0], size: [60, 27]}
    entrances: [{id: W-west, at: [0, 13.5], width_m: 4}, {id: W-east, at: [60, 13.5], width_m: 4}]
    exits: [{id: W-X1, at: [30, 0], width_m: 2}]
"""


def allocate(event: Path, out: Path) -> Path:
    """Run `allocate --method greedy` and return the assignment file written."""
    result = CliRunner().invoke(
        main, ["allocate", str(event), "--out", str(out), "--method", "greedy", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return out / "assignment.json"


@pytest.fixture(scope="module")
def example_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2024 example allocated with the greedy method (COEX Hall B2 and Hall C)."""
    return allocate(EXAMPLE_EVENT, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def two_door_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty one-module exhibitors in the two-door hall, and one too big for any block."""
    folder = tmp_path_factory.mktemp("two-doors")
    (folder / "venue.yaml").write_text(TWO_DOOR_VENUE, encoding="utf-8")
    rows = [f"co-{k:02d},Company {k},company,1" for k in range(20)]
    rows.append("big,Big Stand,company,30")  # blocks hold 10 x 2 modules: left out
    (folder / "ex.csv").write_text(
        "\n".join(["id,name_en,kind,modules", *rows]) + "\n", encoding="utf-8"
    )
    (folder / "event.yaml").write_text(
        "schema: boothopt.event/1\nname: Two Doors\nvenue: venue.yaml\nhalls: [W]\n"
        "exhibitors: [ex.csv]\n",
        encoding="utf-8",
    )
    return allocate(folder / "event.yaml", folder / "out")


def test_reading_gives_back_what_allocate_wrote(example_file: Path) -> None:
    """Every booth, hall, zone, reserved area and unplaced exhibitor comes back unchanged."""
    raw = json.loads(example_file.read_text(encoding="utf-8"))
    doc = read_assignment(example_file)
    assert doc.schema_ == "boothopt.assignment/1"
    data = assignment_data(doc)
    assert data == raw
    assert list(data) == list(raw)  # the file's order of fields
    assert doc.booths[0].booth_no == raw["booths"][0]["booth_no"]
    assert doc.solver is not None and doc.solver.ended_by == raw["solver"]["ended_by"]


def test_writing_what_was_read_gives_the_same_bytes(example_file: Path, tmp_path: Path) -> None:
    """Written, read back and written again, the assignment file is byte for byte the same."""
    text = example_file.read_text(encoding="utf-8")
    assert assignment_json(read_assignment(example_file)) == text
    again = tmp_path / "again.json"
    again.write_text(assignment_json(read_assignment(example_file)), encoding="utf-8")
    assert again.read_bytes() == example_file.read_bytes()


def test_the_assignment_is_frozen(example_file: Path) -> None:
    """No renderer can change what was read: setting a field of the file or of a part raises."""
    doc = read_assignment(example_file)
    with pytest.raises(ValidationError, match="frozen"):
        doc.event = "Another Fair"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        doc.booths[0].booth_no = "X-1"  # type: ignore[misc]
    with pytest.raises(TypeError):
        doc.booths[0].polygon[0][0] = 1.0  # type: ignore[index]
    assert isinstance(doc.booths, tuple) and isinstance(doc.booths[0].polygon, tuple)
    changed = doc.model_copy(update={"event": "Another Fair"})
    assert changed.event == "Another Fair" and doc.event != "Another Fair"


def test_fields_this_version_does_not_know_are_kept(example_file: Path, tmp_path: Path) -> None:
    """A newer file's unknown fields, at the top and in a booth, are read and written back."""
    raw = json.loads(example_file.read_text(encoding="utf-8"))
    raw["floor_manager"] = {"name": "Kim", "phone": "010"}
    raw["booths"][0]["power_kw"] = 6.5
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    doc = read_assignment(path)
    assert doc.model_extra == {"floor_manager": {"name": "Kim", "phone": "010"}}
    assert doc.booths[0].model_extra == {"power_kw": 6.5}
    back = json.loads(assignment_json(doc))
    assert back["floor_manager"] == raw["floor_manager"]
    assert back["booths"][0]["power_kw"] == 6.5
    assert assignment_json(parse_assignment(back)) == assignment_json(doc)


def test_a_damaged_utilization_reads_as_missing(example_file: Path) -> None:
    """The exports can do without the utilization: a part that cannot be read is left out."""
    raw = json.loads(example_file.read_text(encoding="utf-8"))
    raw["utilization"]["zones"] = "oops"
    doc = parse_assignment(raw)
    assert doc.utilization is not None and doc.utilization.zones == ()
    assert doc.utilization.halls and doc.utilization.total is not None
    raw["utilization"] = "not a table"
    assert parse_assignment(raw).utilization is None


def test_parse_accepts_an_assignment_as_it_is(example_file: Path) -> None:
    """An assignment already checked is returned as it is."""
    doc = read_assignment(example_file)
    assert parse_assignment(doc) is doc
    assert isinstance(parse_assignment(assignment_data(doc)), Assignment)


def test_a_booth_added_by_hand_may_leave_out_its_open_sides(example_file: Path) -> None:
    """A floor manager's new booth without ``open_sides`` is read, and listed with it blank."""
    raw = json.loads(example_file.read_text(encoding="utf-8"))
    del raw["booths"][0]["open_sides"]
    doc = parse_assignment(raw)
    assert doc.booths[0].open_sides is None and doc.booths[1].open_sides is not None
    text = render_csv(doc)["booths.csv"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    first = next(r for r in rows if r[0] == doc.booths[0].booth_no)
    assert first[10] == ""  # the open sides column


def test_the_check_reads_data_as_it_reads_a_file(example_file: Path) -> None:
    """Given the file's content rather than the file, the check checks it the same way."""
    doc = read_assignment(example_file)
    event = load_event(EXAMPLE_EVENT)
    assert check(assignment_data(doc), event) == check(doc, event) == check(example_file, event)
    data = assignment_data(doc)
    data["booths"][0]["polygon"] = 1
    with pytest.raises(InputError, match=r"booths\[0\]\.polygon"):
        check(data)


def test_assignment_places_coex_on_the_earth(example_file: Path) -> None:
    """The assignment carries COEX's anchor from the built-in venue file."""
    anchor = read_assignment(example_file).anchor
    assert anchor is not None
    assert anchor.lat == pytest.approx(37.5125, abs=0.002)
    assert anchor.lon == pytest.approx(127.059, abs=0.002)
    assert anchor.bearing_deg == 0.0
    assert len(anchor.origin_m) == 2


def test_unplaced_exhibitors_carry_their_names(two_door_file: Path) -> None:
    """Each exhibitor left out is named beside the reason."""
    doc = read_assignment(two_door_file)
    assert [(u.exhibitor_id, u.name_en) for u in doc.unplaced] == [("big", "Big Stand")]
    assert "30-module" in doc.unplaced[0].reason


def test_each_booth_names_the_entrance_on_its_side(two_door_file: Path) -> None:
    """Booths in the west half walk to the west door, those in the east half to the east door."""
    doc = read_assignment(two_door_file)
    assert len(doc.booths) == 20
    for b in doc.booths:
        x = shapely.Polygon(b.polygon).centroid.x
        assert b.entrance == ("W-west" if x < 30 else "W-east"), b


def test_entrance_walk_is_the_grid_walk_from_the_booths_nearest_cell(
    example_file: Path,
) -> None:
    """A booth's walk is its cells' shortest aisle walk, never shorter than a straight line."""
    doc = read_assignment(example_file)
    event = load_event(EXAMPLE_EVENT)
    grids = {h.id: build_grid(event.venue.hall(h.id), event.scheme) for h in doc.halls}
    doors = {e.id: e.at for e in doc.entrances}
    for b in doc.booths:
        grid = grids[b.hall]
        x0, y0, x1, y1 = shapely.Polygon(b.polygon).bounds
        c = grid.cell_boxes
        inside = (c[:, 0] >= x0 - 1e-6) & (c[:, 2] <= x1 + 1e-6)
        inside &= (c[:, 1] >= y0 - 1e-6) & (c[:, 3] <= y1 + 1e-6)
        assert inside.sum() == b.modules
        assert b.entrance is not None and b.entrance_walk_m is not None
        assert b.entrance_walk_m == pytest.approx(grid.entrance_walk_m[inside].min(), abs=0.06)
        # Walking is never shorter than the straight line from the booth to its door.
        straight = shapely.Point(doors[b.entrance]).distance(shapely.Polygon(b.polygon))
        assert b.entrance_walk_m >= straight - 0.06
        assert doors[b.entrance] and b.entrance.startswith(b.hall + "-")


def test_old_files_without_the_new_fields_are_read(example_file: Path, tmp_path: Path) -> None:
    """A file written before anchors and entrances existed reads with those fields empty."""
    raw = json.loads(example_file.read_text(encoding="utf-8"))
    del raw["anchor"]
    for b in raw["booths"]:
        del b["entrance"], b["entrance_walk_m"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    doc = read_assignment(path)
    assert doc.anchor is None
    assert all(b.entrance is None for b in doc.booths)


Edit = Callable[[dict[str, Any]], None]


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    """Return an edit setting the field at ``path`` to ``value``."""

    def edit(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _delete(path: tuple[Any, ...]) -> Edit:
    """Return an edit deleting the field at ``path``."""

    def edit(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _duplicate_booth_no(doc: dict[str, Any]) -> None:
    doc["booths"][4]["booth_no"] = doc["booths"][2]["booth_no"]


OPEN_RING = [[0, 0], [3, 0], [3, 3], [0, 3]]
BAD_FIELDS = [
    ("open polygon", _set(("booths", 3, "polygon"), OPEN_RING), "booths[3].polygon", "closed ring"),
    ("missing polygon", _delete(("booths", 3, "polygon")), "booths[3].polygon", "missing"),
    ("3-D point", _set(("booths", 1, "polygon", 2), [1, 2, 3]), "booths[1].polygon[2]", "two"),
    ("text area", _set(("booths", 0, "area_m2"), "big"), "booths[0].area_m2", "number"),
    ("unknown hall", _set(("booths", 5, "hall"), "Z"), "booths[5].hall", "'Z'"),
    ("same booth number twice", _duplicate_booth_no, "booths[4].booth_no", "booths[2]"),
    ("no halls", _set(("halls",), []), "halls", "at least one hall"),
    ("booths not a list", _set(("booths",), {"a": 1}), "booths", "list"),
    ("latitude off the earth", _set(("anchor", "lat"), 95), "anchor.lat", "90"),
    ("five open sides", _set(("booths", 2, "open_sides"), 5), "booths[2].open_sides", "4"),
    ("reserved area in no hall", _set(("reserved", 0, "hall"), "Q"), "reserved[0].hall", "'Q'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "field", "says"), [b[1:] for b in BAD_FIELDS], ids=[b[0] for b in BAD_FIELDS]
)
def test_a_bad_field_is_named_with_the_file_and_what_to_do(
    example_file: Path, tmp_path: Path, edit: Edit, field: str, says: str
) -> None:
    """One faulty field gives one line: the file, the field, what is wrong, re-run allocate."""
    raw = copy.deepcopy(json.loads(example_file.read_text(encoding="utf-8")))
    edit(raw)
    path = tmp_path / "assignment.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_assignment(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {field}")
    assert says in message
    assert "re-run `boothopt allocate`" in message


def test_not_a_number_in_a_polygon_is_refused(example_file: Path, tmp_path: Path) -> None:
    """NaN (which Python's JSON reader accepts) is refused in a booth's corners."""
    raw = json.loads(example_file.read_text(encoding="utf-8"))
    raw["booths"][0]["polygon"][1][0] = math.nan
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert "NaN" in path.read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"booths\[0\]\.polygon\[1\]\[0\]"):
        read_assignment(path)


FILE_FAULTS = [
    ("missing", None, "file not found"),
    ("truncated", b'{"schema": "boothopt.assignment/1", "halls": [', "not valid JSON (line 1"),
    ("a list", b"[1, 2]", "not an assignment file"),
    ("other schema", b'{"schema": "boothopt.venue/1"}', "schema is 'boothopt.venue/1'"),
    ("no schema", b'{"halls": []}', "schema is None"),
    ("not UTF-8", b'{"event": "\xff\xfe"}', "not UTF-8"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "says"), [f[1:] for f in FILE_FAULTS], ids=[f[0] for f in FILE_FAULTS]
)
def test_a_file_that_is_no_assignment_is_refused_clearly(
    tmp_path: Path, content: bytes | None, says: str
) -> None:
    """Missing files, broken JSON and other schemas each give one line naming the file."""
    path = tmp_path / "assignment.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_assignment(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and says in message and "\n" not in message


def test_a_folder_is_not_an_assignment_file(tmp_path: Path) -> None:
    """Giving the output folder instead of the file says so."""
    with pytest.raises(InputError, match="is a folder"):
        read_assignment(tmp_path)


def test_export_of_a_bad_file_is_one_line_and_exit_code_2(
    example_file: Path, tmp_path: Path
) -> None:
    """`boothopt export` on a faulty file prints one error line, no traceback, writes nothing."""
    raw = json.loads(example_file.read_text(encoding="utf-8"))
    raw["booths"][3]["polygon"] = "here"
    path = tmp_path / "assignment.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: booths[3].polygon")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert not out.exists()


def test_the_grid_reports_no_entrance_for_a_hall_without_one() -> None:
    """A hall without entrances gives every cell no entrance and an infinite walk."""
    from boothopt.floorplan.grid import nearest_entrances
    from boothopt.floorplan.venue_file import parse_venue

    venue = parse_venue(
        {
            "schema": "boothopt.venue/1",
            "id": "closed",
            "halls": [{"id": "H", "rect": {"origin": [0, 0], "size": [30, 21]}}],
        }
    )
    grid = build_grid(venue.hall("H"))
    index, walk = nearest_entrances(grid)
    assert grid.n_cells > 0
    assert (index == -1).all() and np.isinf(walk).all()
