"""Hostile and damaged input files: each gives a result or one readable fault, never a traceback.

Every file is small and written here; each test asserts the message a floor manager reads.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from boothopt.cli import main
from boothopt.errors import InputError
from boothopt.inputs import event_file, tables
from boothopt.inputs.event_file import IntakeError, load_event
from boothopt.inputs.tables import read_table
from boothopt.limits import MAX_CELL_CHARS

EVENT = """schema: boothopt.event/1
name: Hostile Week
venue: {venue}
halls: [{halls}]
zones:
  - {{id: smart-city-seoul, members: {{kinds: [city]}}, hall: C}}
reserved:
  - {{id: awards-stage, kind: stage, size_m: [18, 12], hall: C}}
exhibitors: [{table}]
{extra}"""

HEADER = "id,name_ko,name_en,kind,modules,area_m2,tier,applied_on"


def company(i: int) -> str:
    """Return a good CSV row of one 1-module company."""
    return f"co-{i},회사{i},Company {i},company,1,,standard,2024-07-01"


def write_event(
    folder: Path,
    table: str = "ex.csv",
    extra: str = "",
    venue: str = "coex",
    halls: str = "B2, C",
) -> Path:
    """Write an event file naming ``table`` into ``folder``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "event.yaml"
    text = EVENT.format(venue=venue, halls=halls, table=table, extra=extra)
    path.write_text(text, encoding="utf-8")
    return path


def write_csv(folder: Path, rows: list[str], header: str = HEADER, name: str = "ex.csv") -> Path:
    """Write a CSV table and an event naming it; return the event's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return write_event(folder, name)


def problems_of(path: Path, allow_outside: bool = False) -> list[str]:
    """Load an event that must fail and return its problems."""
    with pytest.raises(IntakeError) as info:
        load_event(path, allow_outside=allow_outside)
    return info.value.problems


def only_problem(path: Path) -> str:
    """Return the single problem of an event with one fault, checking its form."""
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert " — " in problems[0]  # what is wrong — what to do
    return problems[0]


def run_cli(args: list[str]) -> tuple[int, list[str], str]:
    """Run the CLI; return the exit code, the stderr lines and stdout."""
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stderr.strip().splitlines(), result.stdout


# --- XLSX: every row read, damage reported ----------------------------------------------------


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Write a workbook of one sheet with ``rows``; return its path."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def rewrite_member(path: Path, member: str, change: Callable[[str], str]) -> None:
    """Rewrite one member of a zip through ``change`` (text in, text out), keeping the rest."""
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            if info.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(info.filename, data)


XLSX_HEADER: list[object] = ["id", "name_ko", "kind", "modules"]


def test_xlsx_with_a_stale_dimension_is_read_to_its_last_row(tmp_path: Path) -> None:
    """A sheet that declares A1:U9 but holds 262 rows gives all 262 exhibitors."""
    rows: list[list[object]] = [XLSX_HEADER]
    rows += [[f"co-{i}", f"회사{i}", "company", 1] for i in range(262)]
    table = write_xlsx(tmp_path / "ex.xlsx", rows)
    rewrite_member(
        table,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:U9"', xml),
    )
    stale = load_workbook(table, read_only=True).worksheets[0]
    assert stale.calculate_dimension() == "A1:U9"
    assert len(list(stale.iter_rows())) == 9  # what trusting the file would read
    event = load_event(write_event(tmp_path, "ex.xlsx"))
    assert len(event.exhibitors) == 262
    assert event.exhibitors[-1].id == "co-261"


def test_xlsx_formula_with_no_stored_value_is_named(tmp_path: Path) -> None:
    """Formulas never computed (a file written by a program) are named by cell, not defaulted."""
    rows: list[list[object]] = [
        [*XLSX_HEADER, "priority_points"],
        ["a", "가", "company", 1, "=10*5"],
        ["b", "나", "company", "=1+1", "=10*4"],
        ["c", "다", "company", 1, "=10*3"],
    ]
    write_xlsx(tmp_path / "ex.xlsx", rows)
    problems = problems_of(write_event(tmp_path, "ex.xlsx"))
    assert len(problems) == 2, problems
    modules, points = problems
    assert ":3:modules: cell D3 holds a formula with no stored value — " in modules
    assert "save the file in Excel so the values are stored, or type the values" in modules
    assert ":2:priority_points: cell E2 holds a formula with no stored value" in points
    assert "(and 2 more rows of this column, to row 4)" in points


def test_xlsx_formula_with_its_stored_value_is_read(tmp_path: Path) -> None:
    """A formula Excel computed and stored is read as its value."""
    table = write_xlsx(tmp_path / "ex.xlsx", [XLSX_HEADER, ["a", "가", "company", "=1+1"]])
    rewrite_member(
        table,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r"<f>1\+1</f>(<v\s*/>|<v></v>)?", "<f>1+1</f><v>2</v>", xml),
    )
    (a,) = load_event(write_event(tmp_path, "ex.xlsx")).exhibitors
    assert a.modules == 2


def damaged_workbooks(tmp_path: Path) -> dict[str, Path]:
    """Return an XLSX that is not a zip, one cut short and one with a bad CRC."""
    good = write_xlsx(tmp_path / "good.xlsx", [XLSX_HEADER, ["a", "가", "company", 1]])
    text = tmp_path / "text.xlsx"
    text.write_text("id,name_ko\nseoul,서울\n", encoding="utf-8")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    crc = tmp_path / "crc.xlsx"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(crc, "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
    data = bytearray(crc.read_bytes())
    at = data.find(b"<sheetData>")
    assert at > 0
    data[at + 1] = ord("S")  # <SheetData>: same length, different bytes, stored CRC now wrong
    crc.write_bytes(bytes(data))
    return {"not-a-zip": text, "truncated": cut, "bad-crc": crc}


@pytest.mark.parametrize("damage", ["not-a-zip", "truncated", "bad-crc"])
def test_damaged_xlsx_is_one_clear_fault(tmp_path: Path, damage: str) -> None:
    """An XLSX that is not a zip, is cut short or fails its CRC gives one line, no traceback."""
    path = damaged_workbooks(tmp_path)[damage]
    shutil.copy(path, tmp_path / "ex.xlsx")
    problem = only_problem(write_event(tmp_path, "ex.xlsx"))
    assert problem.startswith(f"{tmp_path / 'ex.xlsx'}: not a readable .xlsx workbook")
    assert "save it again from Excel as Excel Workbook (.xlsx)" in problem


def test_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """A 1 MB workbook that unpacks to 250 MB is refused from its directory, quickly."""
    table = tmp_path / "ex.xlsx"
    with (
        zipfile.ZipFile(table, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb,
        bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(250):
            member.write(b" " * (1 << 20))
    assert table.stat().st_size < 2 * 1024 * 1024
    started = time.perf_counter()
    problem = only_problem(write_event(tmp_path, "ex.xlsx"))
    assert time.perf_counter() - started < 2
    assert "the workbook unpacks to 250 MB, more than the 200 MB boothopt reads" in problem


# --- CSV: quotes, long cells, spilled rows ----------------------------------------------------


def test_csv_stray_quote_that_swallows_rows_is_found(tmp_path: Path) -> None:
    """One stray leading quote would take in 257 rows; the fault names its row and lines."""
    rows = [company(i) for i in range(262)]
    rows[3] = rows[3].replace("Company 3", '"Company 3')  # row 5 of the file
    problem = only_problem(write_csv(tmp_path, rows))
    assert problem.startswith(f'{tmp_path / "ex.csv"}:5:name_en: a quote mark " opens this cell')
    assert "on line 5 and the cell runs on to line 263" in problem
    assert 'remove the stray "' in problem


def test_csv_stray_quote_closed_by_another_is_found(tmp_path: Path) -> None:
    """A stray quote closed by a second one a few rows later still loses those rows: reported."""
    rows = [company(i) for i in range(10)]
    rows[1] = rows[1].replace("Company 1", '"Company 1')
    rows[4] = rows[4].replace("Company 4", 'Company 4"')
    problem = only_problem(write_csv(tmp_path, rows))
    assert ":3:name_en:" in problem and "on line 3 and the cell runs on to line 6" in problem


def test_csv_stray_quote_in_the_header_is_found(tmp_path: Path) -> None:
    """A stray quote in the header row, which would take in every row, is named by column."""
    path = write_csv(tmp_path, [company(1), company(2)], header=HEADER.replace(",kind", ',"kind'))
    problem = only_problem(path)
    assert problem.startswith(f'{tmp_path / "ex.csv"}:1:column 4: a quote mark " opens this cell')


def test_csv_cell_over_two_lines_is_kept(tmp_path: Path) -> None:
    """A quoted name written over two lines in Excel is a name, not a stray quote."""
    rows = [company(1).replace("Company 1", '"Company 1\nKorea Branch"')]
    (e,) = load_event(write_csv(tmp_path, rows)).exhibitors
    assert e.name_en == "Company 1\nKorea Branch"


def test_csv_megabyte_cell_is_one_fault(tmp_path: Path) -> None:
    """A 1 MB cell (past the CSV reader's own limit) is one fault, not a traceback."""
    rows = [company(1), company(2).replace("Company 2", "x" * 1_000_000)]
    problem = only_problem(write_csv(tmp_path, rows))
    assert problem.startswith(f"{tmp_path / 'ex.csv'}:3: a cell runs on for more than")
    assert f"a cell may hold at most {MAX_CELL_CHARS:,} characters" in problem


def test_csv_cell_over_the_limit_is_refused_without_quoting_it(tmp_path: Path) -> None:
    """A 20,000-character cell is refused by its cell; the message does not quote it."""
    rows = [company(1).replace("Company 1", "y" * 20_000)]
    problem = only_problem(write_csv(tmp_path, rows))
    assert ":2:name_en: the cell holds 20,000 characters, more than the 10,000 allowed" in problem
    assert "yyyy" not in problem


def test_csv_row_with_more_cells_than_the_header_is_reported(tmp_path: Path) -> None:
    """An unquoted comma in a name shifts the row: reported, not cut silently."""
    rows = [company(1), "co-2,회사2,ACME, Inc.,company,1,,standard,2024-07-01"]
    problems = problems_of(write_csv(tmp_path, rows))
    assert any(
        ":3: the row has 9 cells but the header has 8 columns — put quotes around" in p
        for p in problems
    ), problems


def test_binary_file_named_csv_is_one_fault(tmp_path: Path) -> None:
    """A workbook saved with a .csv name is said to be no text file."""
    good = write_xlsx(tmp_path / "good.xlsx", [XLSX_HEADER])
    shutil.copy(good, tmp_path / "ex.csv")
    problem = only_problem(write_event(tmp_path, "ex.csv"))
    assert "not a text file (it holds NUL bytes)" in problem


# --- numbers: decimal commas, NaN, infinity ---------------------------------------------------

NUMERIC = ["modules", "area_m2", "power_kw", "load_t_m2", "height_m", "priority_points"]


@pytest.mark.parametrize("column", NUMERIC)
def test_decimal_comma_is_refused_never_read_as_thousands(tmp_path: Path, column: str) -> None:
    """`1,5` in any numeric column is refused with the point to write, never read as 15."""
    header = "id,name_ko,kind," + column + ("" if column in ("modules", "area_m2") else ",modules")
    row = 'a,가,company,"1,5"' + ("" if column in ("modules", "area_m2") else ",2")
    problem = only_problem(write_csv(tmp_path, [row], header))
    assert f":2:{column}: '1,5' has a decimal comma — write 1.5 with a point" in problem


def test_thousands_separator_is_read(tmp_path: Path) -> None:
    """`1,800` m² (as Korean Excel writes it) is 1800 m²: 200 modules of 9 m²."""
    header = "id,name_ko,kind,area_m2,power_kw"
    (e,) = load_event(write_csv(tmp_path, ['a,가,company,"1,800","1,000.5"'], header)).exhibitors
    assert e.modules == 200 and e.needs.power_kw == 1000.5


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e309", "infinity"])
@pytest.mark.parametrize("column", NUMERIC)
def test_non_finite_numbers_are_refused_by_their_cell(
    tmp_path: Path, column: str, value: str
) -> None:
    """NaN, infinity and numbers past a float's range are faults at their cell."""
    header = "id,name_ko,kind," + column + ("" if column in ("modules", "area_m2") else ",modules")
    row = f"a,가,company,{value}" + ("" if column in ("modules", "area_m2") else ",2")
    problem = only_problem(write_csv(tmp_path, [row], header))
    assert problem.startswith(f"{tmp_path / 'ex.csv'}:2:{column}: ")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1e309"])
def test_non_finite_numbers_in_yaml_tables_are_refused(tmp_path: Path, value: str) -> None:
    """A YAML table's .nan, .inf and 1e309 are refused at their field."""
    text = f"- {{id: a, name_ko: 가, kind: company, modules: 2, load_t_m2: {value}}}\n"
    (tmp_path / "ex.yaml").write_text(text, encoding="utf-8")
    problem = only_problem(write_event(tmp_path, "ex.yaml"))
    assert f"{tmp_path / 'ex.yaml'}:1:load_t_m2: load_t_m2 is not a number of 0 or more" in problem


def test_huge_integer_is_refused(tmp_path: Path) -> None:
    """A whole number too large for a float is refused at its cell, not an overflow."""
    records = [{"id": "a", "name_ko": "가", "kind": "company", "modules": 10**400}]
    (tmp_path / "ex.json").write_text(json.dumps(records), encoding="utf-8")
    problem = only_problem(write_event(tmp_path, "ex.json"))
    assert ":1:modules: size" in problem and "is not a whole number of modules" in problem


def test_tiny_area_is_one_module_not_none(tmp_path: Path) -> None:
    """A positive area far under one module still asks for one module."""
    path = write_csv(tmp_path, ["a,가,company,0.0000001"], "id,name_ko,kind,area_m2")
    (e,) = load_event(path).exhibitors
    assert e.modules == 1


# --- YAML and JSON tables ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name_en", "[Acme, Korea]", "a list where one value belongs — write one value"),
        ("modules", "{n: 2}", "a mapping (field: value) where one value belongs"),
        ("kind", "!!binary aGVsbG8=", "binary data where one value belongs"),
        ("halls", "{C: yes}", "a mapping (field: value) where a list belongs"),
        ("near", "[[b]]", "the list holds a list — list ids"),
        (
            "avoid",
            "[{id: b, colour: red}]",
            "the list holds a mapping (field: value) — list id:metres or {id: …, distance_m: …}",
        ),
    ],
)
def test_yaml_list_or_mapping_in_a_cell_is_refused(
    tmp_path: Path, field: str, value: str, says: str
) -> None:
    """A list or mapping where one value belongs is a fault at its field, not Python text."""
    text = (
        "- {id: b, name_ko: 나, kind: company, modules: 1}\n"
        f"- {{id: a, name_ko: 가, kind: company, modules: 1, {field}: {value}}}\n"
    )
    (tmp_path / "ex.yaml").write_text(text, encoding="utf-8")
    problem = only_problem(write_event(tmp_path, "ex.yaml"))
    assert problem.startswith(f"{tmp_path / 'ex.yaml'}:2:{field}: {says}"), problem


def test_yaml_date_that_does_not_exist_is_refused_at_its_cell(tmp_path: Path) -> None:
    """`applied_on: 2024-02-30` is a fault of that cell, not a traceback of the file."""
    text = "- {id: a, name_ko: 가, kind: company, modules: 1, applied_on: 2024-02-30}\n"
    (tmp_path / "ex.yaml").write_text(text, encoding="utf-8")
    problem = only_problem(write_event(tmp_path, "ex.yaml"))
    assert ":1:applied_on: '2024-02-30' is not a date — write YYYY-MM-DD" in problem


def test_yaml_real_date_is_still_a_date(tmp_path: Path) -> None:
    """A YAML date that exists is read as that date."""
    text = "- {id: a, name_ko: 가, kind: company, modules: 1, applied_on: 2024-02-29}\n"
    (tmp_path / "ex.yaml").write_text(text, encoding="utf-8")
    (e,) = load_event(write_event(tmp_path, "ex.yaml")).exhibitors
    assert e.applied_on is not None and e.applied_on.isoformat() == "2024-02-29"


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_yaml_alias_bomb_in_a_table_fails_fast(tmp_path: Path) -> None:
    """A billion-laughs table is refused in a moment, before anything is expanded."""
    (tmp_path / "ex.yaml").write_text(
        "exhibitors:\n  - {id: a, name_ko: *i, kind: company, modules: 1}\n"
        + BILLION_LAUGHS.replace("\n", "\n  ").join(["x:\n  ", "\n"]),
        encoding="utf-8",
    )
    started = time.perf_counter()
    problem = only_problem(write_event(tmp_path, "ex.yaml"))
    assert time.perf_counter() - started < 2
    assert "anchors and aliases (&name, *name) repeat more than 10,000 values" in problem


def test_yaml_alias_bomb_in_the_event_file_fails_fast(tmp_path: Path) -> None:
    """The event file itself is checked the same way."""
    path = write_csv(tmp_path, [company(1)])
    path.write_text(path.read_text(encoding="utf-8") + BILLION_LAUGHS, encoding="utf-8")
    problem = only_problem(path)
    assert problem.startswith(f"{path}:")
    assert "repeat more than 10,000 values — write the values out" in problem


def test_a_few_yaml_aliases_are_fine(tmp_path: Path) -> None:
    """Shared values through an anchor or two, as people write them, are read."""
    text = (
        "- &base {id: a, name_ko: 가, kind: company, modules: 1, tier: gold}\n"
        "- {<<: *base, id: b, name_ko: 나}\n"
    )
    (tmp_path / "ex.yaml").write_text(text, encoding="utf-8")
    a, b = load_event(write_event(tmp_path, "ex.yaml")).exhibitors
    assert (a.tier, b.tier, b.name_ko) == ("gold", "gold", "나")


def test_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    """An alias inside the value it names is refused instead of looping."""
    (tmp_path / "ex.yaml").write_text("- &r {id: a, near: [*r]}\n", encoding="utf-8")
    problem = only_problem(write_event(tmp_path, "ex.yaml"))
    assert "alias *r stands inside the value it names" in problem


def test_deeply_nested_json_is_one_fault(tmp_path: Path) -> None:
    """A JSON table nested 100,000 deep is a fault, not a RecursionError."""
    (tmp_path / "ex.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    problem = only_problem(write_event(tmp_path, "ex.json"))
    assert "nested too deeply" in problem


def test_table_that_is_not_utf8_json_is_one_fault(tmp_path: Path) -> None:
    """A JSON table in another encoding is said to be no UTF-8 text, with the line."""
    (tmp_path / "ex.json").write_bytes('[{"id": "a",\n "name_ko": "가"}]'.encode("cp949"))
    problem = only_problem(write_event(tmp_path, "ex.json"))
    assert problem == f"{tmp_path / 'ex.json'}:2: not UTF-8 text — save it as UTF-8"


# --- limits -----------------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table larger than the limit is refused by its size (the limit lowered for the test)."""
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100)
    problem = only_problem(write_csv(tmp_path, [company(i) for i in range(10)]))
    assert problem.startswith(f"{tmp_path / 'ex.csv'}: the file is larger than")
    assert "split a larger exhibitor table into several tables" in problem


def test_rows_over_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table with more rows than the limit says so at the first row too many."""
    monkeypatch.setattr(tables, "MAX_ROWS", 5)
    problem = only_problem(write_csv(tmp_path, [company(i) for i in range(10)]))
    assert ":7: more than 5 exhibitors in one table — split it into several tables" in problem


def test_too_many_modules_are_refused_before_the_grid_is_laid(tmp_path: Path) -> None:
    """2,000,000 one-metre modules are refused before a grid of them is built."""
    (tmp_path / "big.yaml").write_text(
        "schema: boothopt.venue/1\nid: big\nhalls:\n"
        "  - {id: C, rect: {origin: [0, 0], size: [2000, 1000]}}\n",
        encoding="utf-8",
    )
    (tmp_path / "ex.csv").write_text(HEADER + "\n" + company(1) + "\n", encoding="utf-8")
    path = write_event(tmp_path, venue="big.yaml", halls="C", extra="module_m: 1\n")
    started = time.perf_counter()
    problem = only_problem(path)
    assert time.perf_counter() - started < 5
    assert problem == (
        f"{path}: halls: the rented halls' 2,000,000 m² make 2,000,000 modules of 1 m, more "
        "than the 1,000,000 boothopt lays out — rent fewer halls, or use a larger module_m"
    )


def test_tables_over_the_event_row_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables that together hold more than the limit are refused (the limit lowered here)."""
    monkeypatch.setattr(event_file, "MAX_ROWS", 3)
    write_csv(tmp_path, [company(i) for i in range(2)], name="a.csv")
    write_csv(tmp_path, [company(i) for i in range(2, 4)], name="b.csv")
    path = write_event(tmp_path, "a.csv, b.csv")
    problem = only_problem(path)
    assert problem == (
        f"{path}: exhibitors: the tables hold more than 3 exhibitors in all, the most boothopt "
        "reads for one event — check that no table is listed twice"
    )


def test_more_than_a_hundred_tables_are_refused(tmp_path: Path) -> None:
    """An event listing 101 tables is refused before any is read."""
    path = write_event(tmp_path, ", ".join(["ex.csv"] * 101))
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}: exhibitors: List should have at most 100 items")


@pytest.mark.parametrize(
    ("ref", "says"),
    [
        ('"a\\0b.csv"', "cannot be followed to a file — name the file itself"),
        ("x" * 5000 + ".csv", "file not found"),
        ('""', "exhibitors.0: String should have at least 1 character"),
    ],
    ids=["nul", "too-long", "empty"],
)
def test_odd_table_names_are_one_fault(tmp_path: Path, ref: str, says: str) -> None:
    """A NUL, a name too long for any file system, an empty name: one fault each."""
    (problem,) = problems_of(write_event(tmp_path, ref))
    assert says in problem and "\x00" not in problem and len(problem) < 600


# --- the event file and the venue file: finite, sane numbers ----------------------------------


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("module_m: 1000\n", "module_m: 1000 m is not the side of a booth module"),
        ("module_m: 1e-9\n", "module_m: 1e-09 m is not the side of a booth module"),
        ("module_m: .nan\n", "module_m: Input should be a finite number"),
        ("weights: {location: .inf}\n", "weights.location: Input should be a finite number"),
        ("weights: {placed: 1e309}\n", "weights.placed: Input should be a finite number"),
        ("competitor_distance_m: .nan\n", "competitor_distance_m: Input should be a finite"),
        ("aisles: {main_aisle_m: .inf}\n", "aisles.main_aisle_m: Input should be a finite"),
        ("name_ko: 2024-02-30\n", None),
        ("aisles: {max_row_m: 1}\n", "aisles: max_row_m must be at least one module (3 m) — "),
    ],
)
def test_event_file_numbers_must_be_finite_and_sane(
    tmp_path: Path, extra: str, says: str | None
) -> None:
    """A NaN, infinite or absurd number in the event file is one fault naming its field."""
    (tmp_path / "ex.csv").write_text(HEADER + "\n" + company(1) + "\n", encoding="utf-8")
    path = write_event(tmp_path, extra=extra)
    if says is None:  # a date that does not exist, where text belongs, is text
        assert load_event(path).name_ko == "2024-02-30"
        return
    problem = only_problem(path) if " — " in says else problems_of(path)[0]
    assert problem.startswith(f"{path}: ") and says in problem


def test_zone_id_with_a_line_break_is_refused(tmp_path: Path) -> None:
    """A zone id is one line: a line break in it would split the messages that name it."""
    path = write_csv(tmp_path, [company(1)])
    text = path.read_text(encoding="utf-8").replace("{id: smart-city-seoul", '{id: "a\\nb"')
    path.write_text(text, encoding="utf-8")
    assert only_problem(path) == (
        f"{path}: zones.0.id: an id is one line of text — remove the line break"
    )


@pytest.mark.parametrize(
    ("size", "says"),
    [
        ("[.nan, 12]", "reserved.0.size_m.0: Input should be a finite number"),
        ("[18, .inf]", "reserved.0.size_m.1: Input should be a finite number"),
        ("[1000, 1000]", "1000 m x 1000 m is larger than hall C"),
    ],
)
def test_reserved_area_of_nan_or_absurd_size_is_refused(
    tmp_path: Path, size: str, says: str
) -> None:
    """A reserved area's size must be finite and fit its hall."""
    path = write_csv(tmp_path, [company(1)])
    text = path.read_text(encoding="utf-8").replace("size_m: [18, 12]", f"size_m: {size}")
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(path)
    assert says in problem


# --- paths --------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["parent", "absolute", "symlink"])
def test_tables_outside_the_event_folder_are_refused(tmp_path: Path, how: str) -> None:
    """`../x.csv`, an absolute path or a link out of the folder is refused unless allowed."""
    outside = tmp_path / "elsewhere" / "ex.csv"
    outside.parent.mkdir()
    outside.write_text(HEADER + "\n" + company(1) + "\n", encoding="utf-8")
    folder = tmp_path / "event"
    folder.mkdir()
    ref = {"parent": "../elsewhere/ex.csv", "absolute": str(outside), "symlink": "ex.csv"}[how]
    if how == "symlink":
        (folder / "ex.csv").symlink_to(outside)
    path = write_event(folder, ref)
    problem = only_problem(path)
    assert problem.startswith(f"{path}: exhibitors[0]: ")
    assert f"is outside the event file's folder {folder.resolve()} (links followed)" in problem
    assert "or run with --allow-outside" in problem
    assert [e.id for e in load_event(path, allow_outside=True).exhibitors] == ["co-1"]


def test_link_to_a_secret_is_refused_without_quoting_it(tmp_path: Path) -> None:
    """A link to the process environment is refused; nothing of it reaches the message."""
    os.environ["BOOTHOPT_TEST_SECRET"] = "s3cr3t-value"
    (tmp_path / "ex.csv").symlink_to("/proc/self/environ")
    path = write_event(tmp_path, "ex.csv")
    code, lines, _ = run_cli(["validate", str(path)])
    assert code == 2 and len(lines) == 1
    assert "s3cr3t" not in lines[0] and "PATH=" not in lines[0]
    code, lines, _ = run_cli(["validate", str(path), "--allow-outside"])
    assert code == 2 and len(lines) == 1  # read, and refused as no text file
    assert "s3cr3t" not in lines[0] and "PATH=" not in lines[0]
    del os.environ["BOOTHOPT_TEST_SECRET"]


def test_unknown_header_is_quoted_no_further_than_its_start(tmp_path: Path) -> None:
    """A header row pasted full of text is named by its first 40 characters only."""
    path = write_csv(
        tmp_path, ["co-1,회사,company,1,"], header="id,name_ko,kind,modules," + "z" * 500
    )
    (problem,) = problems_of(path)
    assert f":1:{'z' * 40}…: unknown column" in problem and "z" * 41 not in problem


def test_venue_file_outside_the_event_folder_is_refused(tmp_path: Path) -> None:
    """The venue file an event names is confined to the event's folder too."""
    (tmp_path / "v.yaml").write_text(
        "schema: boothopt.venue/1\nid: v\nhalls:\n  - {id: C, rect: {origin: [0, 0], "
        "size: [60, 40]}}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "event"
    folder.mkdir()
    (folder / "ex.csv").write_text(HEADER + "\n" + company(1) + "\n", encoding="utf-8")
    path = write_event(folder, venue="../v.yaml", halls="C")
    path.write_text(
        path.read_text(encoding="utf-8").split("reserved:")[0] + "exhibitors: [ex.csv]\n"
    )
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}: venue: ") and "--allow-outside" in problem
    assert len(load_event(path, allow_outside=True).exhibitors) == 1


@pytest.mark.parametrize("command", [["validate"], ["allocate", "--out", "OUT"]])
def test_cli_allow_outside_reads_a_table_elsewhere(tmp_path: Path, command: list[str]) -> None:
    """`--allow-outside` on validate and allocate reads a table outside the event's folder."""
    outside = tmp_path / "tables" / "ex.csv"
    outside.parent.mkdir()
    outside.write_text(HEADER + "\n" + company(1) + "\n", encoding="utf-8")
    path = write_event(tmp_path / "event", "../tables/ex.csv")
    args = [a.replace("OUT", str(tmp_path / "out")) for a in command]
    code, lines, _ = run_cli([args[0], str(path), *args[1:]])
    assert code == 2 and len(lines) == 1 and "--allow-outside" in lines[0]
    assert not (tmp_path / "out").exists()
    extra = ["--method", "greedy", "--quiet"] if command[0] == "allocate" else []
    code, lines, _ = run_cli([args[0], str(path), *args[1:], "--allow-outside", *extra])
    assert code == 0, lines


def test_cli_template_takes_allow_outside(tmp_path: Path) -> None:
    """`template --event … --allow-outside` is accepted (it reads the event's zones only)."""
    path = write_csv(tmp_path, [company(1)])
    code, lines, _ = run_cli(
        ["template", str(tmp_path / "t.xlsx"), "--event", str(path), "--allow-outside"]
    )
    assert code == 0, lines


# --- the CLI: one line, exit code 2, JSON without NaN -------------------------------------------


@pytest.mark.parametrize(
    ("table", "content", "says"),
    [
        ("ex.csv", HEADER + "\nco-1,회사,Co,company,nan,,standard,\n", ":2:modules:"),
        ("ex.csv", HEADER + "\nco-1,회사,Co,company,1,,standard,2024-02-30\n", ":2:applied_on:"),
        ("ex.xlsx", "PK\x03\x04 not really a zip", "not a readable .xlsx workbook"),
    ],
)
def test_cli_validate_gives_one_line_and_exit_code_2(
    tmp_path: Path, table: str, content: str, says: str
) -> None:
    """`validate` on a hostile table prints one `error:` line and exits with 2."""
    (tmp_path / table).write_text(content, encoding="utf-8")
    code, lines, _ = run_cli(["validate", str(write_event(tmp_path, table))])
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0]


def test_validate_json_never_prints_nan(tmp_path: Path) -> None:
    """`validate --json` of a NaN load is refused; a good event's JSON is strict JSON."""
    (tmp_path / "ex.csv").write_text(
        "id,name_ko,kind,modules,load_t_m2\nco-1,회사,company,1,nan\n", encoding="utf-8"
    )
    path = write_event(tmp_path, "ex.csv")
    code, lines, stdout = run_cli(["validate", str(path), "--json"])
    error = json.loads(stdout)["error"]  # under --json the error is JSON too, on stdout
    assert code == 2 and lines == [] and ":2:load_t_m2:" in error["messages"][0]
    (tmp_path / "ex.csv").write_text(
        "id,name_ko,kind,modules,load_t_m2\nco-1,회사,company,1,1.5\n", encoding="utf-8"
    )
    code, lines, stdout = run_cli(["validate", str(path), "--json"])
    assert code == 0, lines

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON")

    data = json.loads(stdout, parse_constant=refuse)
    assert data["exhibitors"][0]["needs"]["load_t_m2"] == 1.5


def test_read_table_reports_every_fault_as_an_input_error_line(tmp_path: Path) -> None:
    """The table reader never raises: a directory, a missing file, an odd suffix are lines."""
    (tmp_path / "dir.csv").mkdir()
    (tmp_path / "x.numbers").write_text("", encoding="utf-8")
    for name, says in [
        ("dir.csv", "file not found"),
        ("none.csv", "file not found"),
        ("x.numbers", "unknown table type '.numbers'"),
    ]:
        table = read_table(tmp_path / name)
        assert len(table.problems) == 1 and says in table.problems[0]
    assert issubclass(IntakeError, InputError)
