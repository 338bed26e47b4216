"""Read exhibitor tables as organizers have them: CSV, XLSX, YAML or JSON.

Each reader returns the rows as dicts keyed by field name (see :mod:`columns`), with the row
number and the header each value came from, so that every message can point at
``file:row:column``. Nothing is interpreted here beyond headers; values stay raw.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from boothopt.inputs.columns import COLUMNS, match_header

CSV_ENCODINGS = ("utf-8-sig", "cp949")  # Excel in Korea saves CSV as CP949 unless told otherwise


@dataclass(frozen=True)
class Row:
    """One data row: field name -> raw value, and field name -> the header it came from."""

    number: int  # row in the file (CSV/XLSX: the line or sheet row; YAML/JSON: entry number)
    values: dict[str, Any]
    headers: dict[str, str]


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
    if not path.is_file():
        table.problems.append(f"{source}: file not found — check the path in the event file")
        return table
    try:
        if suffix == ".csv":
            _read_csv(path, table)
        elif suffix == ".xlsx":
            _read_xlsx(path, table)
        elif suffix in (".yaml", ".yml", ".json"):
            _read_records(path, table, suffix)
        else:
            table.problems.append(
                f"{source}: unknown table type {suffix!r} — save it as .csv, .xlsx, .yaml or .json"
            )
    except OSError as exc:
        table.problems.append(f"{source}: cannot be read ({exc.strerror}) — check the file")
    return table


def _headers(table: Table, labels: list[str], row_no: int) -> dict[int, str] | None:
    """Map column positions to field names; report unknown and repeated headers."""
    fields: dict[int, str] = {}
    seen: dict[str, str] = {}
    known = ", ".join(c.name for c in COLUMNS)
    for pos, label in enumerate(labels):
        if not label.strip():
            continue
        name = match_header(label)
        if name is None:
            table.problems.append(
                f"{table.source}:{row_no}:{label}: unknown column — rename it to one of {known} "
                "(Korean headers such as 업체명 work too) or delete it"
            )
            continue
        if name in seen:
            table.problems.append(
                f"{table.source}:{row_no}:{label}: column means {name}, as does {seen[name]!r} — "
                "keep one of them"
            )
            continue
        seen[name] = label
        fields[pos] = name
    if "id" not in seen:
        table.problems.append(
            f"{table.source}:{row_no}: no id column — add a column `id` (참가번호) with a unique "
            "id per exhibitor"
        )
        return None
    return fields


def _add_row(
    table: Table, number: int, labels: list[str], fields: dict[int, str], cells: list[Any]
) -> None:
    values: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for pos, name in fields.items():
        value = cells[pos] if pos < len(cells) else None
        if isinstance(value, str) and not value.strip():
            value = None
        values[name] = value
        headers[name] = labels[pos]
    if any(v is not None for v in values.values()):
        table.rows.append(Row(number, values, headers))


def _read_csv(path: Path, table: Table) -> None:
    data = path.read_bytes()
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
    lines = list(reader)
    if not lines:
        table.problems.append(f"{table.source}: the file is empty — add a header row and rows")
        return
    labels = [h.strip() for h in lines[0]]
    fields = _headers(table, labels, 1)
    if fields is None:
        return
    for i, cells in enumerate(lines[1:], start=2):
        _add_row(table, i, labels, fields, list(cells))


def _read_xlsx(path: Path, table: Table) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        table.problems.append(
            f"{table.source}: not a readable .xlsx workbook ({exc}) — save it "
            "again from Excel as .xlsx"
        )
        return
    try:
        sheet = book["exhibitors"] if "exhibitors" in book.sheetnames else book.worksheets[0]
        labels: list[str] | None = None
        fields: dict[int, str] | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if labels is None:
                if any(c not in (None, "") for c in cells):
                    labels = ["" if c is None else str(c).strip() for c in cells]
                    fields = _headers(table, labels, number)
                    if fields is None:
                        return
                continue
            assert fields is not None
            _add_row(table, number, labels, fields, list(cells))
        if labels is None:
            table.problems.append(f"{table.source}: the first sheet is empty — add a header row")
    finally:
        book.close()


def _read_records(path: Path, table: Table, suffix: str) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = getattr(exc, "lineno", None) or (mark.line + 1 if mark else "?")
        table.problems.append(
            f"{table.source}:{line}: not valid {suffix[1:].upper()} — fix the syntax"
        )
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
        labels = [str(k) for k in record]
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
        _add_row(table, number, labels, fields, list(record.values()))
