"""The master list: CSV and XLSX parsed back and compared with the assignment, hostile names."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from boothopt.cli import main
from boothopt.contract import Assignment, Booth, read_assignment
from boothopt.outputs.master_list import (
    BOOTH_COLUMNS,
    UNPLACED_COLUMNS,
    display_width,
    natural_key,
    render_csv,
    render_xlsx,
)
from tests.outputs.assignments import booth, box, content, edited

EXAMPLE_EVENT = Path(__file__).parent.parent.parent / "examples" / "smartlife-2024" / "event.yaml"

HOSTILE_NAMES = {
    "link": '=HYPERLINK("http://x","y")',
    "at": "@SUM(1)",
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "bell": "\x07=1+1",  # a control character hiding a formula behind it
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def allocate(event: Path, out: Path) -> Assignment:
    """Run `allocate --method greedy` and return the assignment as the exports read it."""
    result = CliRunner().invoke(
        main, ["allocate", str(event), "--out", str(out), "--method", "greedy", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return read_assignment(out / "assignment.json")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    """The 2024 example (about 260 booths, a few left out) allocated with the greedy method."""
    return allocate(EXAMPLE_EVENT, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    """A one-hall event whose exhibitors' names look like formulas, one exhibitor left out."""
    folder = tmp_path_factory.mktemp("hostile")
    records = [
        {"id": k, "name_ko": v, "name_en": v, "kind": "company", "modules": 1}
        for k, v in HOSTILE_NAMES.items()
    ]
    # No block holds 60 modules: left out.
    huge = {"id": "huge", "name_ko": "거대", "name_en": "Huge", "kind": "company", "modules": 60}
    records.append(huge)
    (folder / "ex.json").write_text(json.dumps(records), encoding="utf-8")
    (folder / "event.yaml").write_text(
        "schema: boothopt.event/1\nname: Hostile\nvenue: coex\nhalls: [B2]\n"
        "exhibitors: [ex.json]\n",
        encoding="utf-8",
    )
    return allocate(folder / "event.yaml", folder / "out")


def expected_row(b: Booth) -> list[str]:
    """Return a booth's master-list row as text, computed from the assignment independently."""
    w, d = b.size_m
    return [
        b.booth_no,
        b.hall,
        b.zone or "",
        b.exhibitor_id,
        b.name_ko,
        b.name_en,
        b.country,
        f"{w:g}x{d:g} m",
        str(b.area_m2),
        b.booth_type,
        str(b.open_sides),
        b.tier,
    ]


def number_order(booth_no: str) -> tuple[str, int, int]:
    """Return the order of a booth number ``<hall>-<row><nn>``: hall, then the number's value."""
    hall, number = booth_no.rsplit("-", 1)
    return hall, len(number), int(number)


def read_csv(data: bytes) -> list[list[str]]:
    """Parse CSV bytes written for Excel."""
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_every_booth_by_booth_number(example: Assignment) -> None:
    """booths.csv parsed back has one row per booth, in booth-number order, equal to the file."""
    rows = read_csv(render_csv(example)["booths.csv"])
    assert rows[0] == [h for h, _ in BOOTH_COLUMNS]
    assert rows[0][0] == "부스 번호 / Booth no"
    booths = sorted(example.booths, key=lambda b: number_order(b.booth_no))
    assert len(rows) - 1 == len(booths) > 250
    assert rows[1:] == [expected_row(b) for b in booths]


def test_csv_lines_end_for_excel(example: Assignment) -> None:
    """Every line ends with CRLF, as Excel writes CSV."""
    data = render_csv(example)["booths.csv"]
    assert data.count(b"\r\n") == len(example.booths) + 1
    assert data.count(b"\n") == data.count(b"\r\n")


def test_unplaced_csv_gives_each_reason(example: Assignment) -> None:
    """unplaced.csv lists each exhibitor left out with names and the reason."""
    rows = read_csv(render_csv(example)["unplaced.csv"])
    assert rows[0] == [h for h, _ in UNPLACED_COLUMNS]
    assert rows[1:] == [
        [u.exhibitor_id, u.name_ko, u.name_en, u.country, u.tier, u.reason]
        for u in example.unplaced
    ]


def test_booth_numbers_sort_by_their_value() -> None:
    """A-2 comes before A-10, and A-10 before A-101, whatever the text order."""
    numbers = ("A-101", "B-1", "A-10", "A-2")
    doc = content(
        halls=[{"id": "A", "polygon": box(0, 0, 30, 3)}],
        booths=[booth(no, "A", box(3 * k, 0, 3 * k + 3, 3)) for k, no in enumerate(numbers)],
    )
    rows = read_csv(render_csv(doc)["booths.csv"])
    assert [r[0] for r in rows[1:]] == ["A-2", "A-10", "A-101", "B-1"]
    assert sorted(["C-1001", "C-201", "C-99"], key=natural_key) == ["C-99", "C-201", "C-1001"]


def test_xlsx_rows_equal_the_assignment(example: Assignment) -> None:
    """The Booths sheet read back holds every booth in order, numbers as numbers."""
    wb = load_workbook(io.BytesIO(render_xlsx(example)["booths.xlsx"]))
    assert wb.sheetnames == ["부스 Booths", "미배정 Unplaced", "이용률 Utilization"]
    ws = wb["부스 Booths"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == [h for h, _ in BOOTH_COLUMNS]
    booths = sorted(example.booths, key=lambda b: number_order(b.booth_no))
    assert len(rows) - 1 == len(booths)
    for row, b in zip(rows[1:], booths, strict=True):
        want = expected_row(b)
        assert row[8] == b.area_m2 and row[10] == b.open_sides  # numbers, not text
        row[8], row[10] = want[8], want[10]
        assert [v if v is not None else "" for v in row] == want


def test_xlsx_has_a_frozen_bold_header_a_filter_and_fitting_widths(
    example: Assignment,
) -> None:
    """Both sheets: header bold and frozen, a filter over all data, columns as wide as text."""
    wb = load_workbook(io.BytesIO(render_xlsx(example)["booths.xlsx"]))
    for ws, n_rows in (
        (wb["부스 Booths"], len(example.booths)),
        (wb["미배정 Unplaced"], len(example.unplaced)),
    ):
        last = ws.cell(row=1, column=ws.max_column).column_letter
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{last}{n_rows + 1}"
        assert all(c.font.bold for c in ws[1])
        assert not any(c.font.bold for c in ws[2])
        for column in ws.iter_cols():
            letter = column[0].column_letter
            widest = max(display_width(str(c.value)) for c in column if c.value is not None)
            width = ws.column_dimensions[letter].width
            assert min(widest, 58) < width <= 60, (letter, widest, width)
    # Korean names count double: the Korean-name column is wider than its longest name's letters.
    names = [b.name_ko for b in example.booths]
    assert wb["부스 Booths"].column_dimensions["E"].width > 2 * max(len(n) for n in names)


def test_hostile_names_are_text_in_csv(hostile: Assignment) -> None:
    """Names that look like formulas start with a quote in the CSV; none starts as a formula."""
    cells = [c for row in read_csv(render_csv(hostile)["booths.csv"]) for c in row]
    for name in HOSTILE_NAMES.values():
        assert cells.count("'" + name.replace("\x07", "")) == 2  # Korean and English name
    assert not any(c.startswith(FORMULA_STARTS) for c in cells)
    assert not any("\x07" in c for c in cells)


def test_names_starting_with_a_tab_or_return_are_neutralised(hostile: Assignment) -> None:
    """A name beginning with a tab or a carriage return is quoted too, in CSV and XLSX."""

    def rename(data: dict[str, Any]) -> None:
        data["booths"][0]["name_en"] = "\t=1+1"
        data["booths"][1]["name_en"] = "\r=2+2"

    doc = edited(hostile, rename)
    cells = [c for row in read_csv(render_csv(doc)["booths.csv"]) for c in row]
    assert "'\t=1+1" in cells and "'\r=2+2" in cells
    ws = load_workbook(io.BytesIO(render_xlsx(doc)["booths.xlsx"]))["부스 Booths"]
    values = [c.value for c in ws["F"]]
    # XML readers turn a stored carriage return into a line feed.
    assert "'\t=1+1" in values and "'\n=2+2" in values


def test_hostile_names_are_never_formulas_in_xlsx(hostile: Assignment) -> None:
    """In the XLSX every text cell is stored as text: no formula in the file at all."""
    data = render_xlsx(hostile)["booths.xlsx"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3  # booths, unplaced, utilization
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert not re.search(r"<(\w+:)?f[ >]", xml), name
    wb = load_workbook(io.BytesIO(data))
    ws = wb["부스 Booths"]
    values = []
    for row in ws.iter_rows(min_row=2):
        for c in row:
            assert c.data_type != "f"
            if isinstance(c.value, str):
                assert c.data_type in ("s", "inlineStr")
                values.append(c.value)
    for name in HOSTILE_NAMES.values():
        assert values.count("'" + name.replace("\x07", "")) == 2
    assert not any(v.startswith(FORMULA_STARTS) for v in values)


def test_unplaced_sheet_lists_who_was_left_out(hostile: Assignment) -> None:
    """The second sheet names the exhibitor left out and says why."""
    wb = load_workbook(io.BytesIO(render_xlsx(hostile)["booths.xlsx"]))
    rows = list(wb["미배정 Unplaced"].iter_rows(values_only=True))
    assert rows[0][0] == "참가사 ID / Exhibitor id"
    assert len(rows) == 2
    assert rows[1][:3] == ("huge", "거대", "Huge")
    assert rows[1][-1] == hostile.unplaced[0].reason and "60-module" in rows[1][-1]


def test_text_wider_than_a_column_wraps(hostile: Assignment) -> None:
    """A reason too long for the widest column wraps in its cell; short columns do not."""

    def lengthen(data: dict[str, Any]) -> None:
        data["unplaced"][0]["reason"] = "no room " * 20

    doc = edited(hostile, lengthen)
    ws = load_workbook(io.BytesIO(render_xlsx(doc)["booths.xlsx"]))["미배정 Unplaced"]
    assert ws.column_dimensions["F"].width == 60
    assert ws["F2"].alignment.wrap_text and not ws["A2"].alignment.wrap_text


def test_same_assignment_gives_the_same_xlsx_bytes(
    example: Assignment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save time is not written into the file: the same list is the same file, later too."""
    import datetime
    import time

    first = render_xlsx(example)["booths.xlsx"]

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> Later:
            return cls(2031, 5, 1, 12, 0, 0, tzinfo=tz)

    monkeypatch.setattr(datetime, "datetime", Later)
    later = time.time() + 86_400 * 365
    monkeypatch.setattr(time, "time", lambda: later)  # the zip entries' clock
    assert render_xlsx(example)["booths.xlsx"] == first
