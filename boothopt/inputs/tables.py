"""Read exhibitor tables as organizers have them: CSV, XLSX, XLS, ODS, YAML or JSON.

Each reader returns the rows as dicts keyed by field name (see :mod:`columns`), with the row
number and the header each value came from, so that every message can point at
``file:row:column``. Nothing is interpreted here beyond headers and the shape of a value (one
value, or a list where a list belongs); values stay raw.

Every row of the file is read or a fault says why not: a stale XLSX ``<dimension>`` is not
trusted, a stray CSV quote that swallows rows is found, an XLSX formula without a stored value is
named. The limits of :mod:`boothopt.limits` bound what one file may cost; .xls and .ods files are
read by :mod:`.workbooks`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from boothopt.errors import FileFault
from boothopt.inputs.columns import COLUMNS, match_header
from boothopt.limits import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    MAX_YAML_BYTES,
    MB,
    load_json,
    load_yaml,
    printable,
    quoted,
    read_bytes,
    too_large,
    utf8_text,
)

CSV_ENCODINGS = ("utf-8-sig", "cp949")  # Excel in Korea saves CSV as CP949 unless told otherwise
# Fields that take a list (in YAML and JSON tables; `;`-separated text anywhere).
LIST_FIELDS = frozenset({"halls", "near", "avoid"})
# One value in a cell: what YAML, JSON and XLSX give for text, numbers, yes/no and dates.
_SCALARS = (str, int, float, bool, dt.date, dt.time, dt.timedelta)
# Unknown columns named one by one before the rest are counted.
_UNKNOWN_COLUMNS_NAMED = 20


@dataclass(frozen=True)
class Row:
    """One data row: field name -> raw value, and field name -> the header it came from.

    ``faulty`` names the fields whose cells the reader reported already (a formula with no
    value, a list where one value belongs): their value is None, and no second fault is due.
    """

    number: int  # row in the file (CSV/XLSX: the line or sheet row; YAML/JSON: entry number)
    values: dict[str, Any]
    headers: dict[str, str]
    faulty: frozenset[str] = frozenset()


@dataclass
class Table:
    """An exhibitor table read from one file."""

    source: str
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_table(path: Path, display: str | None = None) -> Table:
    """Read the exhibitor table at ``path`` (by its suffix); faults go to ``Table.problems``."""
    source = display or str(path)
    suffix = path.suffix.lower()
    table = Table(source)
    try:
        found = path.is_file()
    except OSError:  # a name too long for the file system, and the like
        found = False
    if not found:
        table.problems.append(f"{source}: file not found — check the path in the event file")
        return table
    try:
        if suffix == ".csv":
            _read_csv(path, table)
        elif suffix == ".xlsx":
            _read_xlsx(path, table)
        elif suffix in (".xls", ".ods"):
            from boothopt.inputs.workbooks import read_workbook  # needs this module's readers

            read_workbook(path, table, suffix)
        elif suffix in (".yaml", ".yml", ".json"):
            _read_records(path, table, suffix)
        else:
            table.problems.append(
                f"{source}: unknown table type {quoted(suffix)} — save it as .csv, .xlsx, "
                ".xls, .ods, .yaml or .json"
            )
    except FileFault as fault:
        table.problems.append(fault.at(source))
    return table


def _shown(label: str) -> str:
    """Return a header as a message names it: cut short when a cell is pasted into it."""
    return printable(label)


def _headers(table: Table, labels: list[str], row_no: int) -> dict[int, str] | None:
    """Map column positions to field names; report unknown and repeated headers."""
    fields: dict[int, str] = {}
    seen: dict[str, str] = {}
    known = ", ".join(c.name for c in COLUMNS)
    unknown = 0
    for pos, label in enumerate(labels):
        if not label.strip():
            continue
        name = match_header(label)
        if name is None:
            unknown += 1
            if unknown <= _UNKNOWN_COLUMNS_NAMED:
                table.problems.append(
                    f"{table.source}:{row_no}:{_shown(label)}: unknown column — rename it to one "
                    f"of {known} (Korean headers such as 업체명 work too) or delete it"
                )
            continue
        if name in seen:
            table.problems.append(
                f"{table.source}:{row_no}:{_shown(label)}: column means {name}, as does "
                f"{quoted(seen[name])} — keep one of them"
            )
            continue
        seen[name] = label
        fields[pos] = name
    if unknown > _UNKNOWN_COLUMNS_NAMED:
        table.problems.append(
            f"{table.source}:{row_no}: {unknown - _UNKNOWN_COLUMNS_NAMED} more unknown columns — "
            "is this row the header? Put the header (id, name_ko, …) in the first row"
        )
    if "id" not in seen:
        table.problems.append(
            f"{table.source}:{row_no}: no id column — add a column `id` (참가번호) with a unique "
            "id per exhibitor"
        )
        return None
    return fields


def _add_row(
    table: Table,
    number: int,
    labels: list[str],
    fields: dict[int, str],
    cells: list[Any],
    faulty: set[int] | None = None,
) -> bool:
    """Add one data row (unless blank); return False when the table has too many rows.

    ``faulty`` holds the positions of cells reported already.
    """
    values: dict[str, Any] = {}
    headers: dict[str, str] = {}
    bad = set(faulty or ())
    for pos, name in fields.items():
        value = cells[pos] if pos < len(cells) and pos not in bad else None
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                table.problems.append(
                    f"{table.source}:{number}:{_shown(labels[pos])}: the cell holds {len(value):,} "
                    f"characters, more than the {MAX_CELL_CHARS:,} allowed — shorten it"
                )
                bad.add(pos)
                value = None
            elif not value.strip():
                value = None
        values[name] = value
        headers[name] = _shown(labels[pos])
    if any(v is not None for v in values.values()) or bad:
        if len(table.rows) >= MAX_ROWS:
            table.problems.append(
                f"{table.source}:{number}: more than {MAX_ROWS:,} exhibitors in one table — split "
                "it into several tables and list each under `exhibitors:` in the event file"
            )
            return False
        table.rows.append(Row(number, values, headers, frozenset(fields[p] for p in bad)))
    return True


# --- CSV --------------------------------------------------------------------------------------


def _read_csv(path: Path, table: Table) -> None:
    data = read_bytes(path, MAX_FILE_BYTES)
    if b"\x00" in data:
        raise FileFault(
            "not a text file (it holds NUL bytes) — save the table as CSV UTF-8, or keep an "
            "Excel workbook's .xlsx name"
        )
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        table.problems.append(f"{table.source}: not UTF-8 or CP949 text — save it as CSV UTF-8")
        return
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    labels: list[str] | None = None
    fields: dict[int, str] = {}
    number = 0
    while True:
        first = reader.line_num + 1  # the line this record starts on
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.problems.append(_csv_fault(table.source, number, first, exc))
            return
        if labels is None:
            labels = [h.strip() for h in cells]
            if not _csv_row_is_whole(
                table, number, labels, labels, delimiter, first, reader.line_num
            ):
                return
            found = _headers(table, labels, number)
            if found is None:
                return
            fields = found
            continue
        if not _csv_row_is_whole(table, number, labels, cells, delimiter, first, reader.line_num):
            continue
        if not _add_row(table, number, labels, fields, cells):
            return
    if labels is None:
        table.problems.append(f"{table.source}: the file is empty — add a header row and rows")


def _csv_fault(source: str, number: int, line: int, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"{source}:{number}: a cell runs on for more than {csv.field_size_limit():,} "
            f'characters — look for a quote mark " that opens a cell on line {line} and is '
            f"never closed, and remove it; a cell may hold at most {MAX_CELL_CHARS:,} characters"
        )
    return f"{source}:{number}: cannot be read as CSV ({exc}) — save it again as CSV UTF-8"


def _csv_row_is_whole(
    table: Table,
    number: int,
    labels: list[str],
    cells: list[str],
    delimiter: str,
    first: int,
    last: int,
) -> bool:
    """Report a row that swallowed the rows after it, or spilled past the header; False if so."""
    # A quote mark that opens a cell and is not closed where the cell ends takes in the lines
    # after it, rows and all, as one cell. A cell written over two lines in Excel is fine; one
    # whose later lines hold a row's worth of delimiters is such a swallow.
    enough = max(1, (len(labels) - 1) // 2)
    for pos, cell in enumerate(cells):
        later = cell.splitlines()[1:]
        if any(line.count(delimiter) >= enough for line in later):
            column = labels[pos] if pos < len(labels) and labels[pos] else f"column {pos + 1}"
            if cells is labels or len(column) > 40:  # the header row: name the column by number
                column = f"column {pos + 1}"
            table.problems.append(
                f'{table.source}:{number}:{_shown(column)}: a quote mark " opens this cell on '
                f"line {first} and the cell runs on to line {last}, taking in the rows written "
                'there — remove the stray " (or close it where the cell ends) so that every row '
                "is read"
            )
            return False
    extra = [c for c in cells[len(labels) :] if c.strip()]
    if extra:
        table.problems.append(
            f"{table.source}:{number}: the row has {len(cells)} cells but the header has "
            f"{len(labels)} columns — put quotes around a value that holds a {delimiter!r}, or "
            "give the extra cells a header"
        )
        return False
    return True


# --- XLSX -------------------------------------------------------------------------------------

_NOT_XLSX = (
    "not a readable .xlsx workbook (not a zip archive, or damaged or cut short) — save it "
    "again from Excel as Excel Workbook (.xlsx); a workbook with a password must be saved "
    "without it"
)
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)")


def _read_xlsx(path: Path, table: Table) -> None:
    from openpyxl import load_workbook

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileFault(too_large(MAX_FILE_BYTES))
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileFault(_NOT_XLSX) from None
    with archive:
        _check_unpacked(archive)
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl fails on a damaged file in many ways; each means the same
            raise FileFault(_NOT_XLSX) from None
        try:
            if not book.worksheets:
                raise FileFault("the workbook has no worksheet — put the table on a worksheet")
            sheets = {ws.title: ws for ws in book.worksheets}
            sheet: Any = sheets.get("exhibitors", book.worksheets[0])
            # Read-only mode stops at the size the file declares, which other tools often leave
            # stale: forget it, and read every row there is.
            sheet.reset_dimensions()
            uncached = _uncached_formulas(archive, getattr(sheet, "_worksheet_path", ""))
            _read_sheet(table, _sheet_rows(sheet), uncached)
        finally:
            book.close()


def _check_unpacked(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose members unpack to more than the limit (a zip bomb), from its directory."""
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileFault(
            f"the workbook unpacks to {unpacked // MB:,} MB, more than the "
            f"{MAX_XLSX_UNPACKED_BYTES // MB} MB boothopt reads — save the exhibitor sheet "
            "alone as a new workbook, or as CSV UTF-8"
        )


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """Yield (sheet row, cells) for every row, blank ones included; a damaged sheet is a fault."""
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception:  # a bad CRC, a cut-short member, broken XML inside the zip
            raise FileFault(_NOT_XLSX) from None
        number += 1
        yield number, list(cells)


def _read_sheet(
    table: Table, rows: Iterator[tuple[int, list[Any]]], uncached: set[tuple[int, int]]
) -> None:
    labels: list[str] | None = None
    fields: dict[int, str] = {}
    formulas: dict[int, list[int]] = {}  # column position -> rows whose formula has no value
    for number, cells in rows:
        if labels is None:
            if any(c not in (None, "") for c in cells):
                labels = ["" if c is None else str(c).strip() for c in cells]
                blank = [pos for pos, label in enumerate(labels) if not label]
                for pos in blank:
                    if (number, pos + 1) in uncached:
                        formulas.setdefault(pos, []).append(number)
                found = _headers(table, labels, number)
                if found is None:
                    break
                fields = found
            continue
        faulty = {
            pos
            for pos in fields
            if (number, pos + 1) in uncached and (pos >= len(cells) or cells[pos] is None)
        }
        for pos in faulty:
            formulas.setdefault(pos, []).append(number)
        if not _add_row(table, number, labels, fields, cells, faulty):
            break
    else:
        if labels is None:
            table.problems.append(f"{table.source}: the first sheet is empty — add a header row")
    for pos, numbers in sorted(formulas.items()):
        column = _shown(labels[pos]) if labels and labels[pos] else _column_letter(pos + 1)
        more = (
            f" (and {len(numbers) - 1} more rows of this column, to row {numbers[-1]})"
            if len(numbers) > 1
            else ""
        )
        table.problems.append(
            f"{table.source}:{numbers[0]}:{column}: cell {_column_letter(pos + 1)}{numbers[0]} "
            f"holds a formula with no stored value{more} — save the file in Excel so the values "
            "are stored, or type the values"
        )


def _column_letter(n: int) -> str:
    """Return a column's letters: 1 -> A, 28 -> AB."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def _uncached_formulas(archive: zipfile.ZipFile, member: str) -> set[tuple[int, int]]:
    """Return the (row, column) of every formula cell that holds no stored value.

    A workbook written by a program (not saved by Excel) may hold formulas whose values were
    never computed: the cell reads as empty, and a default would quietly take its place.
    """
    from defusedxml.ElementTree import iterparse

    found: set[tuple[int, int]] = set()
    if not member or not _has_formulas(archive, member):
        return found
    row, column = 0, 0
    rows_parent = None
    try:
        with archive.open(member.lstrip("/")) as stream:
            for event, elem in iterparse(stream, events=("start", "end")):
                if elem.tag == _SHEET_NS + "sheetData" and event == "start":
                    rows_parent = elem
                elif elem.tag == _SHEET_NS + "row":
                    if event == "start":
                        row = _int_or(elem.get("r"), row + 1)
                        column = 0
                    elif rows_parent is not None:
                        rows_parent.clear()  # keep no row once read
                elif elem.tag == _SHEET_NS + "c" and event == "end":
                    ref = _CELL_REF.fullmatch(elem.get("r") or "")
                    column = _column_number(ref.group(1)) if ref else column + 1
                    value = elem.find(_SHEET_NS + "v")
                    # An empty <v/> holds nothing, unless the formula gave empty text (t="str").
                    stored = value is not None and (bool(value.text) or elem.get("t") == "str")
                    if elem.find(_SHEET_NS + "f") is not None and not stored:
                        found.add((int(ref.group(2)) if ref else row, column))
    except Exception:  # the same damage openpyxl meets reading the sheet
        raise FileFault(_NOT_XLSX) from None
    return found


# A formula element, <f> or <x:f>, with or without attributes or content.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(archive: zipfile.ZipFile, member: str) -> bool:
    """Return True when the sheet's XML holds any formula: most tables hold none."""
    tail = b""
    try:
        with archive.open(member.lstrip("/")) as stream:
            while chunk := stream.read(1 << 20):
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    except Exception:  # the same damage openpyxl meets reading the sheet
        raise FileFault(_NOT_XLSX) from None
    return False


def _int_or(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


# --- YAML and JSON ----------------------------------------------------------------------------


def _read_records(path: Path, table: Table, suffix: str) -> None:
    kind = suffix[1:].upper().replace("YML", "YAML")
    limit = MAX_FILE_BYTES if suffix == ".json" else MAX_YAML_BYTES
    text = utf8_text(read_bytes(path, limit))
    try:
        data = load_json(text) if suffix == ".json" else load_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = getattr(exc, "lineno", None) or (mark.line + 1 if mark else "?")
        table.problems.append(f"{table.source}:{line}: not valid {kind} — fix the syntax")
        return
    if isinstance(data, dict) and "exhibitors" in data:
        data = data["exhibitors"]
    if not isinstance(data, list):
        table.problems.append(
            f"{table.source}: expected a list of exhibitors (or a mapping with "
            "key `exhibitors`) — one entry per exhibitor"
        )
        return
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            table.problems.append(
                f"{table.source}:{number}: an exhibitor entry must be a mapping of field: value"
            )
            continue
        labels = [_shown(str(k)) for k in record]
        fields = {}
        for pos, label in enumerate(labels):
            name = match_header(label)
            if name is None:
                table.problems.append(
                    f"{table.source}:{number}:{label}: unknown field — use one of "
                    + ", ".join(c.name for c in COLUMNS)
                )
            else:
                fields[pos] = name
        cells = list(record.values())
        faulty = set()
        for pos, name in fields.items():
            problem = _shape_problem(name, cells[pos])
            if problem is not None:
                table.problems.append(f"{table.source}:{number}:{labels[pos]}: {problem}")
                faulty.add(pos)
        if not _add_row(table, number, labels, fields, cells, faulty):
            return


def _shape_problem(name: str, value: Any) -> str | None:
    """Return what is wrong with the shape of a YAML/JSON value, None when it has the right one."""
    if value is None or isinstance(value, _SCALARS):
        return None
    if name not in LIST_FIELDS:
        return (
            f"{_kind_of(value)} where one value belongs — write one value (text, a number, "
            "yes/no or a date)"
        )
    if not isinstance(value, list):
        return f"{_kind_of(value)} where a list belongs — write a list, or values separated by ;"
    for item in value:
        if isinstance(item, str) and len(item) > MAX_CELL_CHARS:
            return f"an entry holds more than {MAX_CELL_CHARS:,} characters — shorten it"
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            continue
        if name == "avoid" and isinstance(item, dict) and _is_competitor(item):
            continue
        what = "id:metres or {id: …, distance_m: …}" if name == "avoid" else "ids"
        return f"the list holds {_kind_of(item)} — list {what}, one value each"
    return None


def _is_competitor(item: dict[Any, Any]) -> bool:
    """True for ``{id: acme, distance_m: 12}`` (the distance may be left out)."""
    return (
        "id" in item
        and set(item) <= {"id", "distance_m"}
        and all(v is None or isinstance(v, str | int | float) for v in item.values())
    )


def _kind_of(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (field: value)"
    if isinstance(value, bytes):
        return "binary data"
    return "a value of another kind"
