"""Property tests: any table, workbook, venue or event file gives a result or readable faults.

Hypothesis writes CSV, YAML, JSON and XLSX tables, venue files and event files, well-formed and
not; each must load, or fail with boothopt's own error whose every fault is one line. Never a
traceback, never a NaN let through.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from boothopt.errors import InputError, VenueError
from boothopt.floorplan import Venue, load_venue, parse_venue
from boothopt.inputs.domain import Event
from boothopt.inputs.event_file import load_event
from boothopt.inputs.tables import read_table

# 50 examples a test keeps the file to a few seconds; BOOTHOPT_PROPERTY_EXAMPLES=5000 digs deeper.
FAST = settings(
    max_examples=int(os.environ.get("BOOTHOPT_PROPERTY_EXAMPLES", "50")),
    deadline=None,
    database=None,  # no .hypothesis folder left in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

VENUE = """schema: boothopt.venue/1
id: tiny
halls:
  - id: T
    rect: {origin: [0, 0], size: [30, 21]}
    entrances: [{id: T-E1, at: [0, 10.5], width_m: 3}]
    exits: [{id: T-X1, at: [30, 10.5], width_m: 2}]
"""

EVENT = """schema: boothopt.event/1
name: Property Week
venue: venue.yaml
halls: [T]
zones: [{{id: cities, members: {{kinds: [city]}}}}]
exhibitors: [{table}]
"""

HEADERS = [
    "id",
    "name_ko",
    "name_en",
    "kind",
    "modules",
    "area_m2",
    "shape",
    "tier",
    "applied_on",
    "near",
    "avoid",
    "halls",
    "zone",
    "booth_type",
    "rotatable",
    "power_kw",
    "load_t_m2",
    "height_m",
    "priority_points",
    "부스수",
    "colour",
    "",
]
# Cells people and programs write, the awkward ones above all.
SPECIAL = [
    "nan",
    "inf",
    "-inf",
    "1e309",
    "1,5",
    "1,500",
    "2",
    "0",
    "-1",
    "3x2",
    "9x6m",
    "2024-02-30",
    "2024-07-01",
    "2024. 7. 1.",
    "city",
    "도시",
    "company",
    "gold",
    "corner+",
    "T",
    "a:12",
    "a;b",
    '"',
    "=1+1",
    "",
    " ",
]
CELL = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(alphabet=st.sampled_from(list('ab01,;."\n\r :+-xe가\t')), max_size=10),
    st.integers(-3, 12).map(str),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the tiny venue; each example writes its event and table into it."""
    path = tmp_path_factory.mktemp("properties")
    (path / "venue.yaml").write_text(VENUE, encoding="utf-8")
    return path


def write_event(folder: Path, table: str) -> Path:
    """Write the event file naming ``table``; return its path."""
    path = folder / "event.yaml"
    path.write_text(EVENT.format(table=table), encoding="utf-8")
    return path


def check_lines(problems: list[str], source: str) -> None:
    """Every fault is one line of reasonable length that names the file it is about."""
    for p in problems:
        assert "\n" not in p and "\r" not in p, p
        assert len(p) < 1000, p
        assert p.startswith(source), p


def check_event(path: Path, table: Path) -> None:
    """Load the event: an Event with finite figures, or an InputError of one-line faults."""
    try:
        event = load_event(path)
    except InputError as exc:
        problems = getattr(exc, "problems", [str(exc)])
        assert problems
        for p in problems:
            assert "\n" not in p and len(p) < 1000, p
        return
    assert isinstance(event, Event)
    for e in event.exhibitors:
        assert e.modules >= 1
        numbers = [e.priority_points, e.needs.power_kw, e.needs.load_t_m2, e.needs.height_m]
        numbers += [d for _, d in e.avoid]
        assert all(math.isfinite(n) for n in numbers), e
    json.dumps([e.source for e in event.exhibitors], allow_nan=False)


# --- CSV ----------------------------------------------------------------------------------------


@FAST
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_csv_gives_an_event_or_faults(
    folder: Path, header: list[str], rows: list[list[str]], delimiter: str
) -> None:
    """Cells written as they come (stray quotes, commas, newlines) never give a traceback."""
    table = folder / "ex.csv"
    lines = [delimiter.join(header), *(delimiter.join(cells) for cells in rows)]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check_event(write_event(folder, "ex.csv"), table)


@FAST
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_table_give_faults_not_errors(folder: Path, data: bytes) -> None:
    """Arbitrary bytes under each table suffix are read or refused, one line per fault."""
    for suffix in (".csv", ".xlsx", ".yaml", ".json"):
        table = folder / f"raw{suffix}"
        table.write_bytes(data)
        result = read_table(table)
        check_lines(result.problems, str(table))


# --- YAML and JSON ------------------------------------------------------------------------------

SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(SPECIAL),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
RECORDS = st.lists(
    st.dictionaries(st.sampled_from([h for h in HEADERS if h]), VALUE, max_size=8), max_size=5
)


@FAST
@given(records=RECORDS, as_json=st.booleans())
def test_any_yaml_or_json_records_give_an_event_or_faults(
    folder: Path, records: list[dict[str, Any]], as_json: bool
) -> None:
    """Lists, mappings, NaN, huge numbers and dates in any field load or are refused cleanly."""
    if as_json:
        table = folder / "ex.json"
        table.write_text(json.dumps(records, default=str), encoding="utf-8")
    else:
        table = folder / "ex.yaml"
        table.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    check_event(write_event(folder, table.name), table)


@FAST
@given(text=st.text(alphabet=st.sampled_from(list("-:{}[]&*!|>'\"\n #,ab1.가\t")), max_size=80))
def test_any_yaml_text_gives_faults_not_errors(folder: Path, text: str) -> None:
    """YAML text of anchors, aliases, tags and brackets never escapes as a YAML exception."""
    table = folder / "text.yaml"
    table.write_text(text, encoding="utf-8")
    check_lines(read_table(table).problems, str(table))


# --- XLSX ---------------------------------------------------------------------------------------

XLSX_CELL = st.one_of(
    st.none(),
    st.sampled_from([s for s in SPECIAL if s not in ('"',)]),
    st.integers(-3, 12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.sampled_from(["=1+1", "=A1", "=SUM(B2:B3)"]),
)


def workbook_bytes(rows: list[list[Any]]) -> bytes:
    """Return an XLSX file holding ``rows`` on its first sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FAST
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(XLSX_CELL, max_size=7), max_size=5),
)
def test_any_xlsx_cells_give_an_event_or_faults(
    folder: Path, header: list[str], rows: list[list[Any]]
) -> None:
    """Numbers, dates, text and formulas without values in any column load or are refused."""
    table = folder / "ex.xlsx"
    table.write_bytes(workbook_bytes([header, *rows]))
    check_event(write_event(folder, "ex.xlsx"), table)


GOOD_XLSX = workbook_bytes([["id", "name_ko", "kind", "modules"], ["a", "가", "city", 2]])


@FAST
@given(
    cut=st.integers(0, len(GOOD_XLSX)),
    flips=st.lists(st.tuples(st.integers(0, len(GOOD_XLSX) - 1), st.integers(0, 255)), max_size=4),
)
def test_damaged_xlsx_gives_faults_not_errors(
    folder: Path, cut: int, flips: list[tuple[int, int]]
) -> None:
    """A workbook cut short or with bytes changed anywhere is read or refused in one line."""
    data = bytearray(GOOD_XLSX)
    for at, byte in flips:
        data[at] = byte
    table = folder / "damaged.xlsx"
    table.write_bytes(bytes(data[: max(cut, 1)] if cut < len(data) else data))
    check_lines(read_table(table).problems, str(table))


# --- venue files --------------------------------------------------------------------------------

NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.integers(-(10**12), 10**12),
    st.sampled_from([0, 1, 3, 10, 30, 0.001, 1e9, -5, "x", None]),
)
PAIR = st.lists(NUMBER, min_size=1, max_size=3)


@st.composite
def venues(draw: st.DrawFn) -> dict[str, Any]:
    """A venue file's data: a rectangular or drawn hall, or planning figures, numbers anywhere."""
    hall: dict[str, Any] = {"id": draw(st.sampled_from(["T", "B", "", "홀"]))}
    if draw(st.booleans()):
        hall["rect"] = {"origin": draw(PAIR), "size": draw(PAIR)}
    else:
        hall["outline"] = draw(st.lists(PAIR, max_size=6))
    for key in ("entrances", "exits"):
        if draw(st.booleans()):
            hall[key] = [{"at": draw(PAIR), "width_m": draw(NUMBER)}]
    if draw(st.booleans()):
        hall["columns"] = {"spacing_m": draw(PAIR), "size_m": draw(NUMBER)}
    if draw(st.booleans()):
        hall["utility_grid"] = {"spacing_m": draw(NUMBER)}
    if draw(st.booleans()):
        hall["floor_load_t_m2"] = draw(NUMBER)
    raw: dict[str, Any] = {
        "schema": "boothopt.venue/1",
        "id": "v",
        "units": draw(st.sampled_from(["m", "mm", "ft", "km"])),
        "halls": [hall],
    }
    if draw(st.integers(0, 3)) == 0:
        raw["units"] = "m"
        raw["halls"] = []
        level = {
            k: draw(NUMBER)
            for k in draw(
                st.sets(
                    st.sampled_from(
                        ["halls", "depth_m", "exit_spacing_m", "column_spacing_m", "share"]
                    )
                )
            )
        }
        raw["generate"] = {
            "kind": "hall-row",
            "exhibition_m2": draw(NUMBER),
            "levels": [level],
        }
    return raw


@FAST
@given(raw=venues(), as_file=st.booleans())
def test_any_venue_gives_a_venue_or_venue_faults(
    tmp_path_factory: pytest.TempPathFactory, raw: dict[str, Any], as_file: bool
) -> None:
    """NaN, infinite, huge, negative and wrong-kind figures give a Venue or a VenueError."""
    try:
        if as_file:
            path = tmp_path_factory.getbasetemp() / "venue-property.yaml"
            path.write_text(yaml.safe_dump(raw), encoding="utf-8")
            venue = load_venue(path)
        else:
            venue = parse_venue(raw, "v.yaml")
    except VenueError as exc:
        assert exc.problems
        return
    assert isinstance(venue, Venue)
    for hall in venue.halls:
        assert math.isfinite(hall.area_m2) and hall.area_m2 > 0


@FAST
@given(
    text=st.text(
        alphabet=st.sampled_from(list("-:{}[]&*!\n #,.1e9schema:boothopt/venu")), max_size=120
    )
)
def test_any_venue_text_gives_venue_faults(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Any text as a venue file loads or gives a VenueError."""
    path = tmp_path_factory.getbasetemp() / "venue-text.yaml"
    path.write_text("schema: boothopt.venue/1\n" + text, encoding="utf-8")
    try:
        load_venue(path)
    except VenueError as exc:
        assert exc.problems


# --- event files --------------------------------------------------------------------------------

AISLE_FIELDS = [
    "block_depth_modules",
    "max_row_m",
    "side_aisle_m",
    "cross_aisle_m",
    "main_aisle_m",
    "perimeter_aisle_m",
    "main_aisle_spacing_m",
    "entrance_clear_m",
    "exit_clear_m",
    "feature_bands",
    "feature_depth_modules",
]


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    """An event file's data around the tiny venue, with numbers of any kind in its figures."""
    raw: dict[str, Any] = {
        "schema": "boothopt.event/1",
        "name": draw(st.sampled_from(["Week", "", "2024-02-30"])),
        "venue": "venue.yaml",
        "halls": draw(st.sampled_from([["T"], ["T", "T"], ["Z"], []])),
        "exhibitors": draw(st.sampled_from([["ex.csv"], ["ex.csv", "ex.csv"], [""], ["../x.csv"]])),
    }
    for key in ("module_m", "competitor_distance_m", "power_reach_m"):
        if draw(st.booleans()):
            raw[key] = draw(NUMBER)
    if draw(st.booleans()):
        raw["aisles"] = {k: draw(NUMBER) for k in draw(st.sets(st.sampled_from(AISLE_FIELDS)))}
    if draw(st.booleans()):
        raw["weights"] = {
            k: draw(NUMBER) for k in draw(st.sets(st.sampled_from(["location", "placed"])))
        }
    if draw(st.booleans()):
        raw["reserved"] = [{"id": "stage", "size_m": draw(PAIR), "hall": "T", "at": draw(PAIR)}]
    return raw


@FAST
@given(raw=events())
def test_any_event_file_gives_an_event_or_faults(folder: Path, raw: dict[str, Any]) -> None:
    """NaN, infinite, huge and wrong-kind figures in the event file load or are refused."""
    (folder / "ex.csv").write_text("id,name_ko,kind,modules\na,가,city,1\n", encoding="utf-8")
    path = folder / "event.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    check_event(path, folder / "ex.csv")
