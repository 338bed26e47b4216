"""The exhibitor application template: bilingual, with drop-downs, and safe with hostile names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from boothopt.errors import InputError
from boothopt.inputs.columns import BY_NAME, COLUMNS, match_header, template_header
from boothopt.inputs.domain import DEFAULT_TIERS
from boothopt.inputs.template import (
    DEFAULT_ZONES,
    EXHIBITORS_SHEET,
    GUIDE_SHEET,
    LAST_ROW,
    LISTS_SHEET,
    write_template,
)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
HOSTILE_ZONES = (
    ('=HYPERLINK("http://x","y")', "@SUM(1)"),
    ("+1", "-2+3"),
    ("#N/A", "\t=1+1"),
)


@pytest.fixture
def book(tmp_path: Path) -> Workbook:
    """The default template, written and read back."""
    return load_workbook(write_template(tmp_path / "application.xlsx"))


def sheet_of(book: Workbook, title: str) -> Worksheet:
    """Return the worksheet called ``title``."""
    sheet = book[title]
    assert isinstance(sheet, Worksheet)
    return sheet


def column_of(name: str) -> str:
    """Return the column letter of field ``name`` in the exhibitor table."""
    return get_column_letter(COLUMNS.index(BY_NAME[name]) + 1)


def validation_for(sheet: Worksheet, name: str) -> DataValidation:
    """Return the one validation covering data rows 2..LAST_ROW of field ``name``."""
    letter = column_of(name)
    found = [
        dv
        for dv in sheet.data_validations.dataValidation
        if f"{letter}2" in dv.sqref and f"{letter}{LAST_ROW}" in dv.sqref
    ]
    assert len(found) == 1, f"{name}: {len(found)} validations"
    validation: DataValidation = found[0]
    assert f"{letter}1" not in validation.sqref  # the header itself is not validated
    return validation


def list_values(book: Workbook, validation: DataValidation) -> list[object]:
    """Resolve a list validation's range on the lists sheet to the values it offers."""
    assert validation.type == "list"
    assert validation.formula1 is not None
    sheet_name, ref = validation.formula1.lstrip("=").rsplit("!", 1)
    assert sheet_name.strip("'") == LISTS_SHEET
    cells = sheet_of(book, LISTS_SHEET)[ref.replace("$", "")]
    assert isinstance(cells, tuple)
    return [cell.value for row in cells for cell in row]


def test_headers_are_the_columns_in_order(book: Workbook) -> None:
    """Row 1 holds every column's bilingual header in COLUMNS order, each read back as its field."""
    sheet = sheet_of(book, EXHIBITORS_SHEET)
    headers = [cell.value for cell in sheet[1]]
    assert headers == [template_header(c) for c in COLUMNS]
    assert [match_header(str(h)) for h in headers] == [c.name for c in COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])


def test_each_header_is_in_korean_and_english(book: Workbook) -> None:
    """Every header holds its Korean label and its English field name; its comment gives help."""
    sheet = sheet_of(book, EXHIBITORS_SHEET)
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        text = str(cell.value)
        assert column.label_ko in text and HANGUL.search(text)
        assert column.name in text and LATIN.search(text)
        assert cell.comment is not None and column.help_en in cell.comment.text


def test_example_row_is_filled_in(book: Workbook) -> None:
    """Row 2 is the Seoul city example with a real date shown YYYY-MM-DD; rows 3.. are empty."""
    sheet = sheet_of(book, EXHIBITORS_SHEET)
    row = {c.name: sheet[f"{column_of(c.name)}2"] for c in COLUMNS}
    expected = {
        "id": "city-seoul",
        "name_ko": "서울특별시",
        "name_en": "Seoul Metropolitan Government",
        "kind": "city",
        "country": "KR",
        "category": "smart-city",
        "modules": 2,
        "tier": "gold",
        "zone": "smart-city-seoul",
        "near": None,
        "avoid": None,
    }
    assert {name: row[name].value for name in expected} == expected
    applied = row["applied_on"]
    assert isinstance(applied.value, dt.datetime)
    assert applied.value.date() == dt.date(2025, 6, 2)
    assert applied.number_format.lower() == "yyyy-mm-dd"
    assert sheet.max_row == 2


def test_drop_downs_offer_the_right_lists(book: Workbook) -> None:
    """Kind, tier, zone, booth type and rotatable each have a drop-down from the lists sheet."""
    sheet = sheet_of(book, EXHIBITORS_SHEET)
    expected = {
        "kind": ["city", "company", "institution", "government"],
        "tier": list(DEFAULT_TIERS),
        "zone": [zone_id for zone_id, _ in DEFAULT_ZONES],
        "booth_type": [
            "inline",
            "inline+",
            "corner",
            "corner+",
            "peninsula",
            "peninsula+",
            "island",
            "any",
        ],
        "rotatable": ["yes", "no"],
    }
    for name, values in expected.items():
        assert list_values(book, validation_for(sheet, name)) == values, name
    assert sheet_of(book, LISTS_SHEET).sheet_state == "hidden"


def test_number_columns_are_checked(book: Workbook) -> None:
    """Modules must be a whole number of at least 1; area, power, load and height at least 0."""
    sheet = sheet_of(book, EXHIBITORS_SHEET)
    modules = validation_for(sheet, "modules")
    assert (modules.type, modules.operator, modules.formula1) == (
        "whole",
        "greaterThanOrEqual",
        "1",
    )
    for name in ("area_m2", "power_kw", "load_t_m2", "height_m"):
        dv = validation_for(sheet, name)
        assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), name


def test_every_validation_explains_itself_in_both_languages(book: Workbook) -> None:
    """Every validation stops a wrong entry with an error message in Korean and English."""
    validations = sheet_of(book, EXHIBITORS_SHEET).data_validations.dataValidation
    assert len(validations) == 10
    for dv in validations:
        assert dv.showErrorMessage and dv.errorStyle == "stop"
        assert dv.error and HANGUL.search(dv.error) and LATIN.search(dv.error)
        assert dv.errorTitle and len(dv.errorTitle) <= 32


def test_header_is_frozen_and_filtered(book: Workbook) -> None:
    """The header row stays in view, carries the autofilter and every column fits its header."""
    sheet = sheet_of(book, EXHIBITORS_SHEET)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}1"
    for index, column in enumerate(COLUMNS, start=1):
        width = sheet.column_dimensions[get_column_letter(index)].width
        assert width >= len(template_header(column))


def test_guide_lists_every_column_and_zone(book: Workbook) -> None:
    """The visible guide sheet names every column with its help and every zone with its name."""
    assert book.sheetnames == [EXHIBITORS_SHEET, GUIDE_SHEET, LISTS_SHEET]
    guide = sheet_of(book, GUIDE_SHEET)
    assert guide.sheet_state == "visible"
    rows = [tuple(row) for row in guide.iter_rows(values_only=True)]
    by_header = {row[0]: row for row in rows}
    for column in COLUMNS:
        row = by_header[template_header(column)]
        assert row[1] == column.label_ko and row[2] == column.help_en and row[3]
    assert "도시" in str(by_header[template_header(BY_NAME["kind"])][3])
    assert "독립" in str(by_header[template_header(BY_NAME["booth_type"])][3])
    assert "골드" in str(by_header[template_header(BY_NAME["tier"])][3])
    for zone_id, name in DEFAULT_ZONES:
        assert by_header[zone_id][1] == name


def test_given_zones_and_tiers_drive_the_lists(tmp_path: Path) -> None:
    """A long zone list and other tiers reach the drop-downs whole, and the example follows them."""
    zones = [(f"zone-{i:03d}", f"구역 {i} / Area {i}") for i in range(300)]
    tiers = ("premium", "basic")
    book = load_workbook(write_template(tmp_path / "t.xlsx", zones=zones, tiers=tiers))
    sheet = sheet_of(book, EXHIBITORS_SHEET)
    assert list_values(book, validation_for(sheet, "zone")) == [z for z, _ in zones]
    assert list_values(book, validation_for(sheet, "tier")) == list(tiers)
    assert sheet[f"{column_of('zone')}2"].value == "zone-000"
    assert sheet[f"{column_of('tier')}2"].value == "premium"


def test_hostile_zone_names_are_stored_as_text(tmp_path: Path) -> None:
    """Zone ids and names that look like formulas or error codes are written as plain text."""
    path = write_template(tmp_path / "t.xlsx", zones=HOSTILE_ZONES)
    book = load_workbook(path)
    hostile = {text for pair in HOSTILE_ZONES for text in pair}
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in hostile:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    seen.add(cell.value)
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert seen == hostile
    exhibitors = sheet_of(book, EXHIBITORS_SHEET)
    assert exhibitors[f"{column_of('zone')}2"].value == HOSTILE_ZONES[0][0]
    zone_list = list_values(book, validation_for(exhibitors, "zone"))
    assert zone_list == [z for z, _ in HOSTILE_ZONES]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


@pytest.mark.parametrize("name", ["application.csv", "application.xls", "application"])
def test_non_xlsx_path_is_refused(tmp_path: Path, name: str) -> None:
    """A path not ending in .xlsx raises InputError naming the path, and writes nothing."""
    with pytest.raises(InputError, match=r"\.xlsx"):
        write_template(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "zones",
    [[("a", "A"), ("a", "B")], [("", "empty")], [("bell\x07", "Bell")]],
    ids=["repeated", "empty", "control-character"],
)
def test_bad_zones_are_refused(tmp_path: Path, zones: list[tuple[str, str]]) -> None:
    """A repeated, empty or unstorable zone id raises InputError and writes nothing."""
    with pytest.raises(InputError, match="zone id"):
        write_template(tmp_path / "t.xlsx", zones=zones)
    assert list(tmp_path.iterdir()) == []


def test_writing_over_a_file_replaces_it_whole(tmp_path: Path) -> None:
    """A larger earlier file at the path is replaced by exactly the new workbook, no leftovers."""
    path = tmp_path / "application.xlsx"
    path.write_bytes(b"not a workbook " * 100_000)
    write_template(path)
    fresh = write_template(tmp_path / "fresh.xlsx")
    assert path.stat().st_size < 100_000
    assert load_workbook(path).sheetnames == load_workbook(fresh).sheetnames
    assert sheet_of(load_workbook(path), EXHIBITORS_SHEET)["A2"].value == "city-seoul"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["application.xlsx", "fresh.xlsx"]
