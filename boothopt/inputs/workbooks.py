"""Old Excel workbooks (.xls) and OpenDocument spreadsheets (.ods), read by calamine.

Calamine, the reader pandas uses, holds every sheet of a workbook in memory at once, each as
the rectangle from its first filled cell to its last, and a failed allocation ends the process
with no exception to catch. So the file is walked here first, cheaply, for the cells calamine
would hold (the compound file and BIFF records of an .xls, the content.xml of an .ods), and a
file that would unfold to more than the limit is refused before calamine sees it. The rows then
go through the same header and row handling as the other tables (:mod:`.tables`).
"""

from __future__ import annotations

import io
import os
import struct
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from boothopt.errors import FileFault
from boothopt.inputs.tables import Table, _check_unpacked, _read_sheet, _read_xlsx
from boothopt.limits import (
    MAX_FILE_BYTES,
    read_bytes,
)

# Cells that the sheets of one .xls or .ods workbook may span (about 60 bytes each in calamine):
# 100,000 exhibitors of 40 columns.
_MAX_SHEET_CELLS = 4_000_000
# Cells with an error value, or a formula with no stored value, noted on one sheet.
_MAX_NOTED_CELLS = 10_000
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: .xls, or encrypted
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_NOT_XLS = (
    "not a readable .xls workbook (damaged, cut short, or not an Excel file) — open it in "
    "Excel or LibreOffice and save it again as .xlsx or .ods; a workbook with a password must "
    "be saved without it"
)
_NOT_ODS = (
    "not a readable .ods spreadsheet (not a zip archive, or damaged or cut short) — open it in "
    "LibreOffice or Excel and save it again as .ods or .xlsx; a spreadsheet with a password "
    "must be saved without it"
)
_PASSWORD = (
    "the workbook is protected by a password, and boothopt cannot open it — open it, save a "
    "copy without the password (as .xlsx or .ods), and list that copy in the event file"
)
_WEB_PAGE = (
    "a web page (HTML) or XML file under a spreadsheet's name, not a workbook — open it in "
    "Excel or LibreOffice and save it as .xlsx or .ods"
)


def _too_many_cells(cells: int) -> FileFault:
    return FileFault(
        f"the workbook's sheets span {cells:,} cells or more, more than the "
        f"{_MAX_SHEET_CELLS:,} boothopt reads (a stray value far below or right of the table "
        "counts as the whole rectangle up to it) — delete stray cells, or save the exhibitor "
        "sheet alone as a new workbook or as CSV UTF-8"
    )


@dataclass
class _Notes:
    """What the walk found on one sheet that calamine does not say.

    ``errors`` maps (row, column), from 0, to the error a formula gave (``#DIV/0!``), which
    calamine reads as an empty cell; the XLSX reader gives the error's text, and so does this.
    ``uncached`` holds (row, column), from 1, of formulas with no stored value, as
    :func:`_read_sheet` takes them. ``overflow`` is set when more cells than
    :data:`_MAX_NOTED_CELLS` would be noted.
    """

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    uncached: set[tuple[int, int]] = field(default_factory=set)
    overflow: bool = False

    def note(self, row: int, column: int, error: str | None) -> None:
        if len(self.errors) + len(self.uncached) >= _MAX_NOTED_CELLS:
            self.overflow = True
        elif error is None:
            self.uncached.add((row + 1, column + 1))
        else:
            self.errors[row, column] = error


def read_workbook(path: Path, table: Table, suffix: str) -> None:
    """Read an .xls or .ods table by what the file holds, whichever of the two names it has."""
    data = read_bytes(path, MAX_FILE_BYTES)
    damaged = _NOT_XLS if suffix == ".xls" else _NOT_ODS
    if data.startswith(_CFB_MAGIC):
        _read_xls(data, table)
    elif data.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise FileFault(damaged) from None
        with archive:
            names = archive.namelist()
            if "mimetype" in names:
                _read_ods(archive, table)
            elif "[Content_Types].xml" in names:  # an .xlsx workbook under an older name
                with _scratch() as folder:  # openpyxl goes by the name
                    copy = folder / "table.xlsx"
                    copy.write_bytes(data)
                    _read_xlsx(copy, table)
            else:
                raise FileFault(damaged)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        raise FileFault(_WEB_PAGE)
    else:
        raise FileFault(damaged)


@contextmanager
def _scratch() -> Iterator[Path]:
    """Yield a new private folder for a copy of the file calamine reads; remove it after."""
    try:
        with tempfile.TemporaryDirectory(prefix="boothopt-") as folder:
            yield Path(folder)
    except OSError as exc:
        raise FileFault(
            f"cannot be read: no room for a temporary copy ({exc.strerror or type(exc).__name__})"
            " — free some disk space, or set TMPDIR to a folder with room"
        ) from None


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send the process's standard error (file 2) to the null device for a while.

    A damaged file can make calamine panic: the panic comes back as an exception, and the file
    gets its one fault, but Rust prints the panic, with its source file, to file 2 first.
    """
    if sys.stderr is not None:
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no file 2 to quiet
        yield
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _failed(exc: BaseException) -> bool:
    """True for calamine's errors and its panics (a Rust panic is a BaseException), not Ctrl-C."""
    return not isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit)


def _read_calamine(
    copy: Path, table: Table, notes: Callable[[int, str], _Notes], damaged: str
) -> None:
    """Read the table from the workbook at ``copy`` with calamine: its sheet ``exhibitors``, or
    its first worksheet, as the XLSX reader does."""
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

    try:
        with _quiet_stderr():
            book = CalamineWorkbook.from_path(str(copy))
    except PasswordError:
        raise FileFault(_PASSWORD) from None
    except BaseException as exc:
        if not _failed(exc):
            raise
        raise FileFault(damaged) from None
    try:
        names = book.sheet_names
        kinds = book.sheets_metadata
        worksheets = [i for i, m in enumerate(kinds) if m.typ == SheetTypeEnum.WorkSheet]
        if not worksheets:
            raise FileFault("the workbook has no worksheet — put the table on a worksheet")
        index = next((i for i in worksheets if names[i] == "exhibitors"), worksheets[0])
        found = notes(index, names[index])
        if found.overflow:
            raise FileFault(
                f"more than {_MAX_NOTED_CELLS:,} cells of the sheet hold an error (#N/A, "
                "#DIV/0! …) or a formula with no stored value — fix the formulas, or copy the "
                "sheet and paste it as values only"
            )
        with _quiet_stderr():
            sheet = book.get_sheet_by_index(index)
        _read_sheet(table, _calamine_rows(sheet, found.errors), found.uncached)
    except FileFault:
        raise
    except BaseException as exc:
        if not _failed(exc):
            raise
        raise FileFault(damaged) from None
    finally:
        book.close()


def _calamine_rows(
    sheet: Any, errors: dict[tuple[int, int], str]
) -> Iterator[tuple[int, list[Any]]]:
    """Yield (sheet row, cells) for every row, with cells at their sheet columns.

    Calamine's rows start at the sheet's first row (blank rows first) but at the first filled
    column: blank cells are put before, so that a cell's position is its column.
    """
    start = sheet.start
    if start is None:  # an empty sheet
        return
    pad: list[Any] = [None] * start[1]
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, column), text in errors.items():
        by_row.setdefault(row, []).append((column, text))
    for index, values in enumerate(sheet.iter_rows()):
        cells = pad + [_plain(v) for v in values]
        for column, text in by_row.get(index, ()):
            cells.extend([None] * (column + 1 - len(cells)))
            cells[column] = text
        yield index + 1, cells


def _plain(value: Any) -> Any:
    """Return a calamine value as the XLSX reader gives it: 4.0 as 4, a blank cell as None.

    Calamine reads every number of an .ods file, and many of an .xls file, as a float.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str) and not value:
        return None
    return value


# --- XLS: the OLE2 compound file and the BIFF records in it -----------------------------------

_CFB_END_OF_CHAIN = 0xFFFFFFFE
_CFB_RESERVED = 0xFFFFFFFA  # this and above: no sector
_CFB_DIFSECT = 0xFFFFFFFC
_BIFF_EOF, _BIFF_FILEPASS, _BIFF_BOUNDSHEET = 0x000A, 0x002F, 0x0085
_BIFF_DIMENSIONS, _BIFF_STRING = 0x0200, 0x0207
_BIFF_FORMULAS = frozenset({0x0006, 0x0206, 0x0406})
# Records of one cell, row and column first: BIFF2 to BIFF8, blank cells too.
_BIFF_CELLS = _BIFF_FORMULAS | frozenset(
    {0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}
)
_BIFF_SPANS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column … last column
_BIFF_BOOLERR = 0x0205
_XLS_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def _read_xls(data: bytes, table: Table) -> None:
    stream = _cfb_workbook(data)
    sheets = _scan_biff(stream)
    with _scratch() as folder:
        copy = folder / "table.xls"
        copy.write_bytes(data)
        _read_calamine(
            copy,
            table,
            lambda index, _name: sheets[index] if index < len(sheets) else _Notes(),
            _NOT_XLS,
        )


def _cfb_workbook(data: bytes) -> bytes:
    """Return the workbook stream of an OLE2 compound file, found as calamine finds it.

    Anything out of the ordinary (a sector past the end, a chain that loops, two streams that
    could be the workbook) is a damaged file: the stream walked here must be the one calamine
    reads.
    """
    if len(data) < 512:
        raise FileFault(_NOT_XLS)
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if shift not in (9, 12) or mini_shift != 6:
        raise FileFault(_NOT_XLS)
    size = 1 << shift
    dir_len, _, dir_start = struct.unpack_from("<III", data, 40)
    mini_fat_start, mini_fat_len, difat_start = struct.unpack_from("<III", data, 60)
    body = memoryview(data)[size:]  # sector 0 follows the header's sector
    count = -(-len(body) // size)  # the last may be cut short, as calamine allows

    def sector(n: int) -> bytes:
        if n >= count:
            raise FileFault(_NOT_XLS)
        return bytes(body[n * size : (n + 1) * size])

    def words(block: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(block) // 4}I", block))

    difat = words(data[76:512])
    seen: set[int] = set()
    next_difat = difat_start
    while next_difat < _CFB_RESERVED:
        if next_difat in seen:
            raise FileFault(_NOT_XLS)
        seen.add(next_difat)
        difat += words(sector(next_difat))
        next_difat = difat.pop()
    fat: list[int] = []
    for n in difat:
        if n < _CFB_DIFSECT:
            fat += words(sector(n))

    def chain(first: int, table: list[int], read: Callable[[int], bytes], length: int) -> bytes:
        parts: list[bytes] = []
        visited: set[int] = set()
        n = first
        while n != _CFB_END_OF_CHAIN:
            if n in visited or n >= len(table):
                raise FileFault(_NOT_XLS)
            visited.add(n)
            parts.append(read(n))
            n = table[n]
        whole = b"".join(parts)
        return whole[:length] if length > 0 else whole

    entries = chain(dir_start, fat, sector, dir_len * size)
    directory = [entries[i : i + 128] for i in range(0, len(entries) - 127, 128)]
    if not directory:
        raise FileFault(_NOT_XLS)
    names = [_cfb_name(entry) for entry in directory]
    if any("encryptedpackage" in readings for _, readings in names):  # an encrypted .xlsx
        raise FileFault(_PASSWORD)
    workbooks = [i for i, (name, _) in enumerate(names) if name == "Workbook"]
    books = [i for i, (name, _) in enumerate(names) if name == "Book"]
    doubtful = [
        i
        for i, (name, readings) in enumerate(names)
        if readings & {"workbook", "book"} and name not in ("Workbook", "Book")
    ]
    if doubtful or len(workbooks) > 1 or (not workbooks and len(books) != 1):
        raise FileFault(_NOT_XLS)
    chosen = directory[workbooks[0] if workbooks else books[0]]
    mini_stream, mini_fat = b"", []
    if mini_fat_len:  # calamine reads the small streams' sectors whether or not it needs them
        root_start, root_length = _cfb_entry(directory[0], size)
        mini_stream = chain(root_start, fat, sector, root_length)
        mini_fat = words(chain(mini_fat_start, fat, sector, mini_fat_len * size))

    def mini_sector(n: int) -> bytes:
        if (n + 1) * 64 > len(mini_stream):
            raise FileFault(_NOT_XLS)
        return mini_stream[n * 64 : (n + 1) * 64]

    start, length = _cfb_entry(chosen, size)
    if length >= 4096:
        return chain(start, fat, sector, length)
    return chain(start, mini_fat, mini_sector, length)


def _cfb_entry(entry: bytes, size: int) -> tuple[int, int]:
    """Return a directory entry's first sector and length (of 8 bytes in 4,096-byte files)."""
    (start,) = struct.unpack_from("<I", entry, 116)
    (length,) = struct.unpack_from("<I" if size == 512 else "<Q", entry, 120)
    return start, length


def _cfb_name(entry: bytes) -> tuple[str, set[str]]:
    """Return a directory entry's name as calamine reads it, and every reading of it, folded.

    Calamine (encoding_rs) heeds a byte-order mark and ends the name at its first NUL; other
    readings let a name that only might be "Workbook" be caught as doubtful.
    """
    raw = entry[:64]
    name = raw.decode("utf-16-le", "replace")
    readings = {name}
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if raw.startswith(bom):
            name = raw[len(bom) :].decode(codec, "replace")
            readings.add(name)
            break
    (length,) = struct.unpack_from("<H", entry, 64)  # in bytes, with the closing NUL
    readings.add(raw[: max(0, min(length, 64) - 2)].decode("utf-16-le", "replace"))
    return name.split("\x00", 1)[0], {r.split("\x00", 1)[0].casefold() for r in readings}


def _scan_biff(stream: bytes) -> list[_Notes]:
    """Walk the workbook's records: refuse a password and sheets too large; note cells per sheet."""
    starts: list[int] = []
    at = 0
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        if kind == _BIFF_FILEPASS:
            raise FileFault(_PASSWORD)
        if kind == _BIFF_BOUNDSHEET and size >= 4:
            starts.append(struct.unpack_from("<I", stream, at + 4)[0])
        if kind == _BIFF_EOF:
            break
        at += 4 + size
    walked = cells = 0
    scans: dict[int, tuple[int, int, _Notes]] = {}
    sheets: list[_Notes] = []
    for start in starts:
        if start not in scans:
            scans[start] = _scan_biff_sheet(stream, start)
        length, span, notes = scans[start]
        walked += length
        cells += span
        if walked > len(stream):  # sheets that overlap, each read again
            raise FileFault(_NOT_XLS)
        if cells > _MAX_SHEET_CELLS:
            raise _too_many_cells(cells)
        sheets.append(notes)
    return sheets


def _scan_biff_sheet(stream: bytes, start: int) -> tuple[int, int, _Notes]:
    """Walk one sheet's records; return the bytes walked, the cells spanned and its notes.

    The span counts from the first row, as the rows are read, to the last filled one, and from
    the first filled column to the last: calamine's rectangle, and the blank rows before it.
    """
    if start >= len(stream):
        raise FileFault(_NOT_XLS)
    notes = _Notes()
    last_row, first_col, last_col = -1, 1 << 32, -1
    pending: tuple[int, int] | None = None  # a formula whose text comes in a STRING record
    at, end = start, len(stream)
    while at + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, at)
        body = at + 4
        at = body + size
        if at > end:
            raise FileFault(_NOT_XLS)
        if kind in _BIFF_CELLS or kind in _BIFF_SPANS:
            if size < 6:
                continue
            row, col = struct.unpack_from("<HH", stream, body)
            cols = (
                col,
                struct.unpack_from("<H", stream, at - 2)[0] if kind in _BIFF_SPANS else col,
            )
            last_row = max(last_row, row)
            first_col, last_col = min(first_col, *cols), max(last_col, *cols)
            if pending is not None:
                notes.note(*pending, None)
                pending = None
            if kind == _BIFF_BOOLERR and size >= 8 and stream[body + 7] == 1:
                notes.note(row, col, _XLS_ERRORS.get(stream[body + 6], "#VALUE!"))
            elif (
                kind in _BIFF_FORMULAS
                and size >= 14
                and stream[body + 12 : body + 14] == b"\xff\xff"
            ):
                if stream[body + 6] == 2:
                    notes.note(row, col, _XLS_ERRORS.get(stream[body + 8], "#VALUE!"))
                elif stream[body + 6] == 0:
                    pending = (row, col)
        elif kind == _BIFF_STRING:
            pending = None
        elif kind == _BIFF_DIMENSIONS:
            _check_dimensions(stream[body:at])
        elif kind == _BIFF_EOF:
            break
    if pending is not None:
        notes.note(*pending, None)
    span = (last_row + 1) * (last_col - first_col + 1) if last_row >= 0 else 0
    return at - start, span, notes


def _check_dimensions(body: bytes) -> None:
    """Refuse the size a sheet declares when calamine would reserve more cells than allowed."""
    if len(body) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    elif len(body) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
    else:
        raise FileFault(_NOT_XLS)
    if last_row >= 1 and last_col >= 1:  # calamine's arithmetic, on 32 bits
        cells = ((last_row - first_row) % (1 << 32)) * ((last_col - first_col) % (1 << 32))
        if cells > _MAX_SHEET_CELLS:
            raise _too_many_cells(cells)


# --- ODS: a zip of XML ------------------------------------------------------------------------

# Attributes that give a cell a value or a formula: calamine reads a cell with any as filled.
_ODS_FILLED = frozenset(
    {"value", "string-value", "date-value", "time-value", "boolean-value", "value-type", "formula"}
)
_ODS_VALUES = _ODS_FILLED - {"formula"}  # a formula without any of these has no stored value
_ODS_CELLS = frozenset({"table-cell", "covered-table-cell"})


def _read_ods(archive: zipfile.ZipFile, table: Table) -> None:
    _check_unpacked(archive)
    names = archive.namelist()
    if len(set(names)) != len(names) or "content.xml" not in names:
        raise FileFault(_NOT_ODS)
    try:
        mimetype = archive.read("mimetype")
        manifest = archive.read("META-INF/manifest.xml")
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileFault(_NOT_ODS) from None
    if not mimetype.startswith(_ODS_MIMETYPE):
        raise FileFault(_NOT_ODS)
    if b"encryption-data" in manifest:
        raise FileFault(_PASSWORD)
    with _scratch() as folder:
        # Calamine reads a copy of the three parts it reads, written here as they are walked:
        # whatever a zip holds twice, or hides from one reader, it reads what was walked.
        copy = folder / "table.ods"
        with zipfile.ZipFile(copy, "w") as out:
            out.writestr("mimetype", _ODS_MIMETYPE)
            out.writestr("META-INF/manifest.xml", manifest)
            with archive.open("content.xml") as source, out.open("content.xml", "w") as target:
                sheets = _scan_ods(_Copying(source, target))
        _read_calamine(copy, table, lambda _index, name: sheets.get(name, _Notes()), _NOT_ODS)


class _Copying:
    """A stream that writes to ``target`` what is read from ``source``."""

    def __init__(self, source: Any, target: Any) -> None:
        self.source = source
        self.target = target

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.source.read(size)
        self.target.write(chunk)
        return chunk


def _scan_ods(stream: Any) -> dict[str, _Notes]:
    """Walk content.xml: refuse sheets too large; return the notes of each sheet by name."""
    from xml.parsers import expat

    walk = _OdsWalk()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = walk.start
    parser.EndElementHandler = walk.end
    parser.CharacterDataHandler = walk.text
    # No entities: a "billion laughs" of nested entities unfolds to gigabytes.
    parser.EntityDeclHandler = _no_entities
    parser.ExternalEntityRefHandler = _no_entities
    try:
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except FileFault:
        raise
    except Exception:  # broken XML, an entity, a bad CRC, a member cut short
        raise FileFault(_NOT_ODS) from None
    return walk.sheets


def _no_entities(*_: Any) -> NoReturn:
    raise ValueError("an XML entity")


def _local(name: str) -> str:
    """Return an element's or attribute's name without its namespace."""
    return name.rsplit("}", 1)[-1]


def _repeats(attributes: dict[str, str], name: str) -> int:
    counts = [v for k, v in attributes.items() if _local(k) == name]
    return max((int(v) if v.isdigit() else 1 for v in counts), default=1)


class _OdsWalk:
    """The walk of content.xml, element by element, holding counts only.

    Names count whatever their namespace: this counts what calamine counts, and perhaps more.
    Calamine first lays out each row up to its last filled cell (``laid``, all sheets), then
    keeps each sheet's rectangle of filled cells; rows are then read from the sheet's first
    row. Repeats (``number-rows-repeated``, ``number-columns-repeated``) count as many times.
    """

    def __init__(self) -> None:
        self.sheets: dict[str, _Notes] = {}
        self.laid = 0
        self.spanned = 0  # cells of the sheets done
        self.depth = 0  # elements open
        self.tables = 0  # tables open
        self._new_sheet("")
        self.repeat = 1  # times the open row repeats
        self.col = 0  # where the next cell of the open row starts
        self.row_end = -1  # the last filled column of the open row
        self.cell = 0  # the depth of the cell open, 0 for none: calamine reads it as one value
        self.cell_kind = (1, False, False, False)  # repeats, filled, error, formula w/o value
        self.cell_text: list[str] = []  # an error cell's text, as far as needed

    def _new_sheet(self, name: str) -> None:
        self.name = name
        self.notes = _Notes()
        self.row = 0  # the row the open row starts on, from 0
        self.last_row, self.first_col, self.last_col = -1, 1 << 62, -1

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.cell:
            return
        tag = _local(name)
        if tag == "table":
            if not self.tables:
                self._new_sheet(next((v for k, v in attributes.items() if _local(k) == "name"), ""))
            self.tables += 1
        elif self.tables and tag == "table-row":
            self.repeat = _repeats(attributes, "number-rows-repeated")
            self.col, self.row_end = 0, -1
        elif self.tables and tag in _ODS_CELLS:
            keys = {_local(k): v for k, v in attributes.items()}
            error = keys.get("value-type") == "error"
            uncached = "formula" in keys and not _ODS_VALUES & keys.keys()
            columns = _repeats(attributes, "number-columns-repeated")
            self.cell, self.cell_text = self.depth, []
            self.cell_kind = (columns, bool(_ODS_FILLED & keys.keys()), error, uncached)

    def text(self, data: str) -> None:
        if self.cell and self.cell_kind[2] and len(self.cell_text) < 40:
            self.cell_text.append(data)

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.cell:
            if self.depth < self.cell:
                self.cell = 0
                self._cell_done()
            return
        tag = _local(name)
        if self.tables and tag == "table-row":
            if self.row_end >= 0:
                self.laid += self.row_end + 1
                if self.laid > _MAX_SHEET_CELLS:
                    raise _too_many_cells(self.laid)
            self.row += self.repeat
        elif self.tables and tag == "table":
            self.tables -= 1
            if not self.tables:
                self._sheet_done()

    def _cell_done(self) -> None:
        columns, filled, error, uncached = self.cell_kind
        first, last = self.col, self.col + columns - 1
        self.col += columns
        if not filled:
            return
        self.row_end = last
        self.last_row = max(self.last_row, self.row + self.repeat - 1)
        self.first_col, self.last_col = min(self.first_col, first), max(self.last_col, last)
        span = (self.last_row + 1) * (self.last_col - self.first_col + 1)
        if self.spanned + span > _MAX_SHEET_CELLS:
            raise _too_many_cells(self.spanned + span)
        if not (error or uncached):
            return
        text = ("".join(self.cell_text).strip()[:40] or "#VALUE!") if error else None
        for row in range(self.row, self.row + self.repeat):
            for col in range(first, last + 1):
                self.notes.note(row, col, text)
                if self.notes.overflow:
                    return

    def _sheet_done(self) -> None:
        if self.last_row >= 0:
            self.spanned += (self.last_row + 1) * (self.last_col - self.first_col + 1)
        self.sheets[self.name] = self.notes  # a later sheet of the same name wins, as in calamine
