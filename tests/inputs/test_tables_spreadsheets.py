"""Old Excel (.xls) and OpenDocument (.ods) tables: read as CSV and XLSX tables are, or one fault.

Every workbook is written here: .xls files with xlwt, .ods files by hand (a zip of a mimetype, a
manifest and content.xml, as LibreOffice writes them). Hostile ones are refused before calamine
unfolds them, each with one line naming the file and what to do.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import struct
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import xlwt
from click.testing import CliRunner
from openpyxl import Workbook

from boothopt.cli import main
from boothopt.inputs import tables, workbooks
from boothopt.inputs.domain import Exhibitor
from boothopt.inputs.event_file import IntakeError, load_event
from boothopt.inputs.tables import read_table
from boothopt.limits import MAX_CELL_CHARS

EVENT = """schema: boothopt.event/1
name: Spreadsheet Week
venue: coex
halls: [B2, C]
zones:
  - {{id: smart-city-seoul, members: {{kinds: [city]}}, hall: C}}
exhibitors: [{table}]
"""

HEADER = ["id", "name_ko", "name_en", "kind", "modules", "area_m2", "tier", "applied_on"]
HEADER += ["rotatable", "near"]
ROWS: list[list[object]] = [
    [
        "seoul",
        "서울특별시",
        "Seoul City",
        "city",
        4,
        None,
        "gold",
        dt.date(2024, 7, 1),
        True,
        "acme",
    ],
    [
        "acme",
        "에이크미",
        "Café Ω & Sons 🚀",
        "company",
        None,
        20,
        "",
        dt.date(2024, 7, 2),
        False,
        "",
    ],
    ["007", "공공칠", 2024, "company", 2, None, "silver", None, None, "seoul; acme"],
]

# --- writing workbooks --------------------------------------------------------------------------

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
    "{encryption}</manifest:file-entry></manifest:manifest>"
)
# A cell of a formula whose value was never stored, and one whose formula gave an error, as
# LibreOffice writes them.
ODS_NO_VALUE = '<table:table-cell table:formula="of:=[.A1]*2"/>'
ODS_DIV0 = (
    '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
    'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
)


def ods_cell(value: object) -> str:
    """Return a cell of content.xml; a string starting with <table: is taken as written."""
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, str) and value.startswith("<table:"):
        return value
    if isinstance(value, bool):
        flag = str(value).lower()
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def ods_sheet(name: str, rows: Sequence[Sequence[object] | str]) -> str:
    """Return a sheet of content.xml; a row given as a string is taken as written."""
    body = "".join(
        row
        if isinstance(row, str)
        else "<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    return f'<table:table table:name="{name}">{body}</table:table>'


def write_ods(
    path: Path,
    rows: Sequence[Sequence[object] | str] = (),
    sheets: str | None = None,
    encrypted: bool = False,
) -> Path:
    """Write an .ods file of one sheet of ``rows`` (or of the sheets' XML given); return it."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        'office:version="1.3"><office:body><office:spreadsheet>'
        f"{sheets if sheets is not None else ods_sheet('Sheet1', rows)}"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    encryption = '<manifest:encryption-data manifest:checksum="x"/>' if encrypted else ""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE)  # first, and stored, as the format asks
        archive.writestr(
            "META-INF/manifest.xml",
            MANIFEST.format(mime=ODS_MIMETYPE, encryption=encryption),
            zipfile.ZIP_DEFLATED,
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def write_xls(path: Path, rows: Sequence[Sequence[object]], at: tuple[int, int] = (0, 0)) -> Path:
    """Write an .xls workbook of one sheet with ``rows`` from cell ``at``; return its path."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write(at[0] + r, at[1] + c, value, date)
            else:
                sheet.write(at[0] + r, at[1] + c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Write the table as the CSV an organizer would save: dates ISO, yes/no for booleans."""

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([[text(v) for v in row] for row in rows])
    return path


def write_workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Write ``rows`` as the workbook the suffix of ``path`` names."""
    return write_ods(path, rows) if path.suffix == ".ods" else write_xls(path, rows)


def write_event(folder: Path, table: str) -> Path:
    """Write an event file naming ``table`` into ``folder``; return its path."""
    path = folder / "event.yaml"
    path.write_text(EVENT.format(table=table), encoding="utf-8")
    return path


def only_problem(path: Path) -> str:
    """Return the single problem of an event with one fault, checking its form."""
    with pytest.raises(IntakeError) as info:
        load_event(path)
    problems = info.value.problems
    assert len(problems) == 1, problems
    assert " — " in problems[0] and "\n" not in problems[0]  # what is wrong — what to do
    return problems[0]


def by_row(exhibitors: Sequence[Exhibitor]) -> list[Exhibitor]:
    """Return the exhibitors with their source cut to the row, to compare tables of two files."""
    return [dataclasses.replace(e, source=e.source.rsplit(":", 1)[-1]) for e in exhibitors]


def patched(data: bytes, old: bytes, new: bytes) -> bytes:
    """Return ``data`` with the one occurrence of ``old`` replaced by ``new`` (same length)."""
    assert data.count(old) == 1 and len(old) == len(new)
    return data.replace(old, new)


WORKBOOKS = ["ex.ods", "ex.xls"]


# --- the same table as CSV and XLSX -------------------------------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_workbook_reads_as_the_same_table_written_as_csv(tmp_path: Path, name: str) -> None:
    """Exhibitors from an .ods or .xls table equal those of the same table as CSV, row by row."""
    (tmp_path / "csv").mkdir()
    write_csv(tmp_path / "csv" / "ex.csv", [HEADER, *ROWS])
    from_csv = load_event(write_event(tmp_path / "csv", "ex.csv")).exhibitors
    write_workbook(tmp_path / name, [HEADER, *ROWS])
    from_book = load_event(write_event(tmp_path, name)).exhibitors
    assert [e.id for e in from_book] == ["seoul", "acme", "007"]
    assert by_row(from_book) == by_row(from_csv)
    assert from_book[0].source == f"{tmp_path / name}:2"
    seoul, acme, bond = from_book
    assert (
        seoul.modules == 4 and seoul.applied_on == dt.date(2024, 7, 1) and seoul.near == ("acme",)
    )
    assert acme.name_en == "Café Ω & Sons 🚀" and acme.modules == 3 and not acme.rotatable
    assert bond.name_en == "2024"  # a number cell read as 2024, not 2024.0


@pytest.mark.parametrize("name", WORKBOOKS)
def test_values_come_through_as_the_xlsx_reader_gives_them(tmp_path: Path, name: str) -> None:
    """Whole numbers are ints (calamine's 4.0 is 4), text stays text, dates are dates."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *ROWS]:
        sheet.append([None if v == "" else v for v in row])
    book.save(tmp_path / "ex.xlsx")
    xlsx = read_table(tmp_path / "ex.xlsx")
    table = read_table(write_workbook(tmp_path / name, [HEADER, *ROWS]))
    assert table.problems == [] and xlsx.problems == []
    seoul, acme, bond = (row.values for row in table.rows)
    assert type(seoul["modules"]) is int and seoul["modules"] == 4
    assert type(acme["area_m2"]) is int and type(bond["name_en"]) is int
    assert bond["id"] == "007"  # a text cell of digits stays text
    assert seoul["rotatable"] is True and acme["rotatable"] is False
    assert seoul["applied_on"] == dt.date(2024, 7, 1)

    def as_date(value: object) -> object:  # openpyxl gives a date cell as a datetime at 0:00
        return value.date() if isinstance(value, dt.datetime) else value

    assert [row.number for row in table.rows] == [row.number for row in xlsx.rows] == [2, 3, 4]
    for ours, theirs in zip(table.rows, xlsx.rows, strict=True):
        assert ours.values == {k: as_date(v) for k, v in theirs.values.items()}
        assert ours.headers == theirs.headers


def test_ods_sheet_named_exhibitors_is_read_before_the_first(tmp_path: Path) -> None:
    """As in an XLSX workbook, a sheet named `exhibitors` is the table, wherever it stands."""
    sheets = ods_sheet("notes", [["memo"], ["not a table"]]) + ods_sheet(
        "exhibitors", [["id", "name_ko", "kind", "modules"], ["seoul", "서울", "city", 2]]
    )
    write_ods(tmp_path / "ex.ods", sheets=sheets)
    (seoul,) = load_event(write_event(tmp_path, "ex.ods")).exhibitors
    assert (seoul.id, seoul.modules) == ("seoul", 2)


# --- where a fault is -------------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_bad_value_is_named_by_file_row_and_column(tmp_path: Path, name: str) -> None:
    """Rows count from the sheet's first row, blank rows and columns before the table included."""
    rows: list[list[object]] = [
        ["id", "name_ko", "kind", "modules"],
        ["seoul", "서울", "city", 4],
        [],
        [],
        ["busan", "부산", "city", "many"],
    ]
    if name.endswith(".ods"):  # two blank rows written as one repeated, a blank column A
        blank = (
            '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        )
        write_ods(
            tmp_path / name, [blank, [None, *rows[0]], [None, *rows[1]], blank, [None, *rows[4]]]
        )
    else:
        write_xls(tmp_path / name, rows, at=(2, 1))  # the table starts at B3
    problem = only_problem(write_event(tmp_path, name))
    assert problem.startswith(f"{tmp_path / name}:7:modules: size 'many' is not a whole number")


@pytest.mark.parametrize("name", WORKBOOKS)
def test_error_cell_reads_as_its_error_like_in_xlsx(tmp_path: Path, name: str) -> None:
    """A formula's error (#DIV/0!) is the cell's value, not a blank that takes the default."""
    header = ["id", "name_ko", "kind", "modules"]
    if name.endswith(".ods"):
        write_ods(tmp_path / name, [header, ["a", "가", "company", ODS_DIV0]])
    else:
        book = xlwt.Workbook()
        sheet = book.add_sheet("Sheet1")
        for c, value in enumerate([*header, "a", "가", "company"]):
            sheet.write(c // 4, c % 4, value)
        sheet.row(1).set_cell_error(3, "#DIV/0!")
        book.save(str(tmp_path / name))
    problem = only_problem(write_event(tmp_path, name))
    assert problem.startswith(f"{tmp_path / name}:2:modules: size '#DIV/0!' is not a whole number")


@pytest.mark.parametrize("name", WORKBOOKS)
def test_formula_with_no_stored_value_is_named(tmp_path: Path, name: str) -> None:
    """A formula never computed reads as empty in calamine: it is named, as in an XLSX file."""
    header = ["id", "name_ko", "kind", "modules"]
    if name.endswith(".ods"):
        write_ods(tmp_path / name, [header, ["a", "가", "company", ODS_NO_VALUE]])
    else:
        path = write_xls(tmp_path / name, [header, ["a", "가", "company", xlwt.Formula("1+1")]])
        # xlwt stores an empty text as the formula's value; make it text that never came.
        stored_empty_text = b"\x03\x00\x00\x00\x00\x00\xff\xff"
        path.write_bytes(
            patched(path.read_bytes(), stored_empty_text, b"\x00" + stored_empty_text[1:])
        )
    problem = only_problem(write_event(tmp_path, name))
    assert problem.startswith(f"{tmp_path / name}:2:modules: cell D2 holds a formula with no")


# --- damaged, disguised and protected files -----------------------------------------------------


def damaged(tmp_path: Path, name: str, damage: str) -> Path:
    """Write a good workbook as ``name`` and damage it."""
    path = write_workbook(tmp_path / name, [HEADER, *ROWS])
    data = path.read_bytes()
    if damage == "text":
        path.write_text("id,name_ko\nseoul,서울\n", encoding="utf-8")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif name.endswith(".ods"):  # bad-inside: content.xml fails its CRC
        with zipfile.ZipFile(path) as old:
            items = [(info.filename, old.read(info)) for info in old.infolist()]
        with zipfile.ZipFile(path, "w") as new:  # stored, so that a byte can be changed
            for member, body in items:
                new.writestr(member, body)
        data = path.read_bytes()
        at = data.index(b"<table:table ")
        path.write_bytes(data[:at] + b"<table:tablE " + data[at + 13 :])
    else:  # bad-inside: the compound file's sector size is not one there is
        path.write_bytes(data[:30] + b"\x11\x00" + data[32:])
    return path


@pytest.mark.parametrize("damage", ["text", "truncated", "empty", "bad-inside"])
@pytest.mark.parametrize("name", WORKBOOKS)
def test_damaged_workbook_is_one_clear_fault(tmp_path: Path, name: str, damage: str) -> None:
    """Not a workbook, cut short, empty or broken inside: one line naming the file, no traceback."""
    damaged(tmp_path, name, damage)
    problem = only_problem(write_event(tmp_path, name))
    if name.endswith(".ods"):
        assert problem.startswith(f"{tmp_path / name}: not a readable .ods spreadsheet")
        assert "save it again as .ods or .xlsx" in problem
    else:
        assert problem.startswith(f"{tmp_path / name}: not a readable .xls workbook")
        assert "save it again as .xlsx or .ods" in problem


@pytest.mark.parametrize("name", WORKBOOKS)
def test_password_protected_workbook_says_so(tmp_path: Path, name: str) -> None:
    """An encrypted workbook is named as such, with what to do, rather than as damaged."""
    if name.endswith(".ods"):
        write_ods(tmp_path / name, [HEADER, *ROWS], encrypted=True)
    else:
        path = write_xls(tmp_path / name, [HEADER, *ROWS])
        codepage, filepass = b"\x42\x00\x02\x00", b"\x2f\x00\x02\x00"  # record type and length
        path.write_bytes(patched(path.read_bytes(), codepage, filepass))
    problem = only_problem(write_event(tmp_path, name))
    assert problem.startswith(f"{tmp_path / name}: the workbook is protected by a password")
    assert "save a copy without the password" in problem


def test_web_page_named_xls_is_said_to_be_one(tmp_path: Path) -> None:
    """Web systems export HTML tables as .xls: the fault says what the file is."""
    (tmp_path / "ex.xls").write_text("<html><table><tr><td>id</td></tr></table></html>")
    problem = only_problem(write_event(tmp_path, "ex.xls"))
    assert problem.startswith(f"{tmp_path / 'ex.xls'}: a web page (HTML) or XML file")
    assert "save it as .xlsx or .ods" in problem


def test_workbook_under_the_other_name_is_read_for_what_it_is(tmp_path: Path) -> None:
    """An .xls saved as .ods, an .ods and an .xlsx saved as .xls: each is read."""
    write_xls(tmp_path / "a.ods", [HEADER, ROWS[0]])
    write_ods(tmp_path / "b.xls", [HEADER, ROWS[1]])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append([None if v == "" else v for v in ROWS[2]])
    book.save(tmp_path / "c.xls")
    for name, ident in [("a.ods", "seoul"), ("b.xls", "acme"), ("c.xls", "007")]:
        table = read_table(tmp_path / name)
        assert table.problems == [] and [row.values["id"] for row in table.rows] == [ident]


def test_empty_sheet_asks_for_a_header_row(tmp_path: Path) -> None:
    """A workbook whose sheet holds nothing says so, as an empty XLSX sheet does."""
    write_ods(tmp_path / "ex.ods", [])
    problem = only_problem(write_event(tmp_path, "ex.ods"))
    assert problem == f"{tmp_path / 'ex.ods'}: the first sheet is empty — add a header row"


# --- hostile files and limits -------------------------------------------------------------------


def test_xls_with_a_stray_far_cell_is_refused_before_it_is_unfolded(tmp_path: Path) -> None:
    """Two cells, at A1 and IV65536: 6 KB that calamine would hold as 16.8 million cells."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 0, "id")
    sheet.write(65535, 255, "x")
    book.save(str(tmp_path / "ex.xls"))
    started = time.perf_counter()
    problem = only_problem(write_event(tmp_path, "ex.xls"))
    assert time.perf_counter() - started < 2
    assert "the workbook's sheets span 16,777,216 cells or more, more than the 4,000,000" in problem
    assert "delete stray cells, or save the exhibitor sheet alone" in problem


def test_xls_declaring_a_huge_sheet_is_refused(tmp_path: Path) -> None:
    """A DIMENSIONS record of 4 billion rows: calamine reserves room for its cells at once."""
    path = write_xls(tmp_path / "ex.xls", [HEADER, *ROWS])
    data = path.read_bytes()
    at = data.index(b"\x00\x02\x0e\x00") + 4  # DIMENSIONS, 14 bytes: rows, rows, cols, cols
    path.write_bytes(data[:at] + struct.pack("<IIHH", 0, 0xFFFFFFFF, 0, 0xFF) + data[at + 12 :])
    problem = only_problem(write_event(tmp_path, "ex.xls"))
    assert problem.startswith(f"{tmp_path / 'ex.xls'}: the workbook's sheets span")


def test_ods_of_repeated_cells_is_refused_before_it_is_unfolded(tmp_path: Path) -> None:
    """One cell repeated over 16,384 columns of 1,000 rows: a 1 KB file of 16 million cells."""
    bomb = (
        '<table:table-row table:number-rows-repeated="1000">'
        '<table:table-cell office:value-type="string" table:number-columns-repeated="16384">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    path = write_ods(tmp_path / "ex.ods", [["id"], bomb])
    assert path.stat().st_size < 2048
    started = time.perf_counter()
    problem = only_problem(write_event(tmp_path, "ex.ods"))
    assert time.perf_counter() - started < 2
    assert "the workbook's sheets span" in problem and "more than the 4,000,000" in problem


def test_calamine_panic_is_one_fault_and_prints_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A record calamine reads without checking its length makes it panic: one line, and Rust's
    panic message (with its source file) does not reach standard error."""
    path = write_xls(tmp_path / "ex.xls", [HEADER, *ROWS])
    interface_end, codepage = b"\xe2\x00\x00\x00", b"\x42\x00\x00\x00"  # CODEPAGE, no bytes
    data = path.read_bytes()
    at = data.index(interface_end)
    path.write_bytes(data[:at] + codepage + data[at + 4 :])
    capfd.readouterr()
    problem = only_problem(write_event(tmp_path, "ex.xls"))
    assert problem.startswith(f"{tmp_path / 'ex.xls'}: not a readable .xls workbook")
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("name", WORKBOOKS)
def test_limits_hold_for_workbooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """File size, rows and cell length are bounded as for every table (limits lowered here)."""
    rows: list[list[object]] = [["id", "name_ko", "kind", "modules"]]
    rows += [[f"co-{i}", f"회사{i}", "company", 1] for i in range(5)]
    rows[2][1] = "가" * (MAX_CELL_CHARS + 1)
    path = write_workbook(tmp_path / name, rows)
    event = write_event(tmp_path, name)
    problem = only_problem(event)
    assert problem.startswith(f"{path}:3:name_ko: the cell holds 10,001 characters, more than")
    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    with pytest.raises(IntakeError) as info:
        load_event(event)
    assert info.value.problems == [
        problem,
        f"{path}:5: more than 3 exhibitors in one table — split it into several tables and list "
        "each under `exhibitors:` in the event file",
    ]
    monkeypatch.setattr(workbooks, "MAX_FILE_BYTES", 100)
    problem = only_problem(event)
    assert problem.startswith(f"{path}: the file is larger than")


def test_ods_zip_bomb_is_refused_from_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .ods unpacking to more than the limit is refused as an XLSX one is (limit lowered)."""
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED_BYTES", 4 * tables.MB)
    path = write_ods(tmp_path / "ex.ods", [["id"], ["a" * 5_000_000]])
    assert path.stat().st_size < 100_000
    problem = only_problem(write_event(tmp_path, "ex.ods"))
    assert "the workbook unpacks to 4 MB, more than the 4 MB boothopt reads" in problem


def test_unknown_table_type_lists_the_workbooks_read(tmp_path: Path) -> None:
    """A Numbers file is refused with the list of types that are read, .xls and .ods among them."""
    (tmp_path / "ex.numbers").write_bytes(b"PK\x03\x04")
    (problem,) = read_table(tmp_path / "ex.numbers").problems
    assert problem == (
        f"{tmp_path / 'ex.numbers'}: unknown table type '.numbers' — save it as .csv, .xlsx, "
        ".xls, .ods, .yaml or .json"
    )


# --- end to end ---------------------------------------------------------------------------------


def test_cli_validate_reads_an_ods_table(tmp_path: Path) -> None:
    """`boothopt validate` on an event whose exhibitors are an .ods table: counts, exit 0."""
    write_ods(tmp_path / "ex.ods", [HEADER, *ROWS])
    result = CliRunner().invoke(main, ["validate", str(write_event(tmp_path, "ex.ods"))])
    assert result.exit_code == 0, result.output
    assert "exhibitors: 3 (company 2, city 1)" in result.stdout
    assert "smart-city-seoul 1" in result.stdout and "ok: no faults found" in result.stdout


def test_cli_validate_names_the_xls_row_at_fault(tmp_path: Path) -> None:
    """`validate` on an .xls table with a bad kind: one `error: file:row:column:` line, exit 2."""
    write_xls(tmp_path / "ex.xls", [HEADER, *ROWS, ["busan", "부산", "Busan", "town", 2]])
    result = CliRunner().invoke(main, ["validate", str(write_event(tmp_path, "ex.xls"))])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {tmp_path / 'ex.xls'}:5:kind:")
