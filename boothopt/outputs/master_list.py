"""The master list of booths, as CSV and XLSX, for floor managers and contractors.

One row per booth, sorted by booth number (``A-2`` before ``A-10``), with Korean and English
headers; the exhibitors left out follow in their own table with the reason. Exhibitor text is
untrusted: a cell starting with ``= + - @``, a tab or a carriage return is neutralised so no
spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from boothopt.contract import Assignment, Booth, BreachRecord, Unplaced
from boothopt.outputs.assignment import safe_cell

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

T = TypeVar("T")
Columns = tuple[tuple[str, Callable[[T], object]], ...]


def _figure(value: object) -> object:
    """Return a figure for a cell: an empty cell where it is not known."""
    return "" if value is None else value


# (header, value of a booth): the master list's columns in order.
BOOTH_COLUMNS: Columns[Booth] = (
    ("부스 번호 / Booth no", lambda b: b.booth_no),
    ("홀 / Hall", lambda b: b.hall),
    ("구역 / Zone", lambda b: b.zone or ""),
    ("참가사 ID / Exhibitor id", lambda b: b.exhibitor_id),
    ("참가사명 (국문) / Name (Korean)", lambda b: b.name_ko),
    ("참가사명 (영문) / Name (English)", lambda b: b.name_en),
    ("국가 / Country", lambda b: b.country),
    ("크기 / Size", lambda b: size_text(b.size_m)),
    ("면적 m² / Area m²", lambda b: b.area_m2),
    ("부스 형태 / Booth type", lambda b: b.booth_type),
    ("개방면 / Open sides", lambda b: _figure(b.open_sides)),
    ("등급 / Tier", lambda b: b.tier),
)

UNPLACED_COLUMNS: Columns[Unplaced] = (
    ("참가사 ID / Exhibitor id", lambda u: u.exhibitor_id),
    ("참가사명 (국문) / Name (Korean)", lambda u: u.name_ko),
    ("참가사명 (영문) / Name (English)", lambda u: u.name_en),
    ("국가 / Country", lambda u: u.country),
    ("등급 / Tier", lambda u: u.tier),
    ("미배정 사유 / Reason not placed", lambda u: u.reason),
)

# A breach and its number on the plan.
Numbered = tuple[int, BreachRecord]
BREACH_COLUMNS: Columns[Numbered] = (
    ("번호 / No", lambda nb: nb[0]),
    ("규칙 / Rule", lambda nb: nb[1].rule),
    ("부스 번호 / Booth no", lambda nb: nb[1].booth or ""),
    ("홀 / Hall", lambda nb: nb[1].hall or ""),
    ("위반 내용 / Breach", lambda nb: nb[1].message),
)


def _breaches(doc: Assignment) -> list[Numbered]:
    """Return the layout's breaches (an export forced past the check), numbered as on the plan."""
    return list(enumerate(doc.breaches, start=1))


def _booth_columns(doc: Assignment) -> Columns[Booth]:
    """Return the master list's columns: with a breach column when the layout breaks a rule."""
    breaches = _breaches(doc)
    if not breaches:
        return BOOTH_COLUMNS
    by_booth: dict[str, list[str]] = {}
    for n, b in breaches:
        if b.booth:
            by_booth.setdefault(b.booth, []).append(f"{n}. {b.rule}: {b.message}")
    return (
        *BOOTH_COLUMNS,
        ("규칙 위반 / Breach", lambda row: "; ".join(by_booth.get(row.booth_no, []))),
    )


# The machine-readable booth list `allocate` writes beside the assignment (assignments.csv).
ASSIGNMENT_COLUMNS: Columns[Booth] = (
    ("booth_no", lambda b: b.booth_no),
    ("hall", lambda b: b.hall),
    ("zone", lambda b: b.zone or ""),
    ("exhibitor_id", lambda b: b.exhibitor_id),
    ("name_ko", lambda b: b.name_ko),
    ("name_en", lambda b: b.name_en),
    ("country", lambda b: b.country),
    ("modules", lambda b: b.modules),
    ("area_m2", lambda b: b.area_m2),
    ("size_m", lambda b: "x".join(f"{v:g}" for v in b.size_m)),
    ("booth_type", lambda b: b.booth_type),
    ("open_sides", lambda b: _figure(b.open_sides)),
    ("tier", lambda b: b.tier),
)


@dataclass(frozen=True)
class UseRow:
    """One row of the utilization sheet: a hall, a zone or the whole event.

    A zone's "usable" floor is its area; its booths are its members placed. None: not known,
    or not counted for this scope (exhibitors for a hall, reserved floor for a zone).
    """

    scope: str  # a key of SCOPES
    id: str
    label: str
    usable_modules: int | None = None
    usable_m2: float | None = None
    reserved_m2: float | None = None
    let_modules: int | None = None
    let_m2: float | None = None
    share_let: float | None = None
    booths: int | None = None
    exhibitors: int | None = None
    unplaced: int | None = None
    unplaced_modules: int | None = None
    unplaced_m2: float | None = None
    booths_by_tier: Mapping[str, int] = field(default_factory=dict)


# The utilization sheet: one row per hall, one per zone, one for the whole event.
SCOPES = {"hall": "홀 / Hall", "zone": "구역 / Zone", "total": "전체 / Total"}
UTILIZATION_COLUMNS: Columns[UseRow] = (
    ("구분 / Scope", lambda u: SCOPES[u.scope]),
    ("ID", lambda u: u.id),
    ("이름 / Name", lambda u: u.label),
    ("사용 가능 모듈 / Usable modules", lambda u: _figure(u.usable_modules)),
    ("사용 가능 m² / Usable m²", lambda u: _figure(u.usable_m2)),
    ("예약 구역 m² / Reserved m²", lambda u: _figure(u.reserved_m2)),
    ("배정 모듈 / Modules let", lambda u: _figure(u.let_modules)),
    ("배정 m² / m² let", lambda u: _figure(u.let_m2)),
    ("이용률 / Share let", lambda u: _figure(u.share_let)),
    ("부스 / Booths", lambda u: _figure(u.booths)),
    ("참가사 / Exhibitors", lambda u: _figure(u.exhibitors)),
    ("미배정 / Unplaced", lambda u: _figure(u.unplaced)),
    ("미배정 모듈 / Unplaced modules", lambda u: _figure(u.unplaced_modules)),
    ("미배정 m² / Unplaced m²", lambda u: _figure(u.unplaced_m2)),
)
# 1-based: the share let, shown as a percentage
SHARE_COLUMN = 1 + [h for h, _ in UTILIZATION_COLUMNS].index("이용률 / Share let")


def _label(*names: str) -> str:
    return " · ".join(t for t in names if t)


def utilization_rows(doc: Assignment) -> tuple[list[UseRow], list[str]]:
    """Return the utilization sheet's rows (halls, zones, total) and the tiers it counts booths by.

    Empty when the assignment has no utilization (a file written before it existed).
    """
    util = doc.utilization
    if util is None:
        return [], []
    rows: list[UseRow] = []
    for h in util.halls:
        rows.append(
            UseRow(
                scope="hall",
                id=h.hall or "",
                label=_label(h.name_ko, h.name),
                usable_modules=h.usable_modules,
                usable_m2=h.usable_m2,
                reserved_m2=h.reserved_m2,
                let_modules=h.let_modules,
                let_m2=h.let_m2,
                share_let=h.share_let,
                booths=h.booths,
                booths_by_tier=h.booths_by_tier,
            )
        )
    for z in util.zones:
        rows.append(
            UseRow(
                scope="zone",
                id=z.zone or "",
                label=_label(z.name_ko, z.name_en),
                usable_modules=z.area_modules,
                usable_m2=z.area_m2,
                let_modules=z.area_let_modules,
                let_m2=z.area_let_m2,
                share_let=z.share_let,
                booths=z.placed,
                exhibitors=z.members,
                unplaced=z.unplaced,
                unplaced_modules=z.unplaced_modules,
                unplaced_m2=z.unplaced_m2,
            )
        )
    t = util.total
    if t is not None:
        rows.append(
            UseRow(
                scope="total",
                id="",
                label=_label(doc.event_ko, doc.event),
                usable_modules=t.usable_modules,
                usable_m2=t.usable_m2,
                reserved_m2=t.reserved_m2,
                let_modules=t.let_modules,
                let_m2=t.let_m2,
                share_let=t.share_let,
                booths=t.booths,
                exhibitors=t.exhibitors,
                unplaced=t.unplaced,
                unplaced_modules=t.unplaced_modules,
                unplaced_m2=t.unplaced_m2,
                booths_by_tier=t.booths_by_tier,
            )
        )
    tiers = list(dict.fromkeys(t for r in rows if r.scope != "zone" for t in r.booths_by_tier))
    return rows, tiers


def utilization_table(doc: Assignment) -> list[list[object]]:
    """Return the utilization sheet as a table (header first); only the header without one."""
    rows, tiers = utilization_rows(doc)
    columns: Columns[UseRow] = (
        *UTILIZATION_COLUMNS,
        *((f"부스 {t} / Booths {t}", lambda u, t=t: u.booths_by_tier.get(t, "")) for t in tiers),
    )
    return _table(columns, rows)


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_WIDTH = 60  # characters; longer names wrap in the cell rather than widen the column


def natural_key(text: str) -> tuple[str | int, ...]:
    """Return a sort key that orders the numbers inside ``text`` by value.

    Examples
    --------
    >>> sorted(["A-10", "A-2", "B-1", "A-101"], key=natural_key)
    ['A-2', 'A-10', 'A-101', 'B-1']
    """
    # re.split with a group alternates text and digits, so the keys compare part by part.
    parts = re.split(r"(\d+)", text)
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts))


def size_text(size_m: Sequence[float]) -> str:
    """Return a booth's size as written on a plan.

    Examples
    --------
    >>> size_text([6.0, 3.0])
    '6x3 m'
    """
    return f"{size_m[0]:g}x{size_m[1]:g} m"


def booths_by_number(doc: Assignment) -> list[Booth]:
    """Return the assignment's booths sorted by booth number."""
    return sorted(doc.booths, key=lambda b: natural_key(b.booth_no))


def _table(
    columns: Sequence[tuple[str, Callable[[T], object]]], items: Iterable[T]
) -> list[list[object]]:
    """Return the rows of a table (header first), every text cell made safe."""
    rows: list[list[object]] = [[header for header, _ in columns]]
    rows += [[_safe(value(item)) for _, value in columns] for item in items]
    return rows


def _safe(value: object) -> object:
    """Return a cell value with control characters dropped and formulas neutralised."""
    if isinstance(value, str):
        # XLSX cannot store control characters, and they show nothing; dropping them first
        # also keeps one from hiding a formula behind it.
        value = CONTROL_CHARS.sub("", value)
    return safe_cell(value)


def _csv_bytes(rows: list[list[object]]) -> bytes:
    """Return rows as CSV in UTF-8 with a BOM (so Excel reads Korean), CRLF line ends."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def assignments_csv(doc: Assignment) -> bytes:
    """Return the booth list `allocate` writes (``assignments.csv``): English field names."""
    return _csv_bytes(_table(ASSIGNMENT_COLUMNS, booths_by_number(doc)))


def render_csv(doc: Assignment) -> dict[str, bytes]:
    """Return the master list as ``booths.csv`` and the exhibitors left out as ``unplaced.csv``.

    Examples
    --------
    >>> from boothopt.contract import parse_assignment
    >>> ring = [[0, 0], [6, 0], [6, 3], [0, 3], [0, 0]]
    >>> doc = parse_assignment({"schema": "boothopt.assignment/1",
    ...     "halls": [{"id": "A", "polygon": ring}],
    ...     "booths": [{"booth_no": "A-10", "hall": "A", "exhibitor_id": "x", "name_ko": "=1+1",
    ...     "polygon": ring, "size_m": [6, 3], "area_m2": 18.0, "modules": 2, "open_sides": 1}]})
    >>> render_csv(doc)["booths.csv"].decode("utf-8-sig").splitlines()[1]
    "A-10,A,,x,'=1+1,,,6x3 m,18.0,,1,"
    """
    files = {
        "booths.csv": _csv_bytes(_table(_booth_columns(doc), booths_by_number(doc))),
        "unplaced.csv": _csv_bytes(_table(UNPLACED_COLUMNS, doc.unplaced)),
    }
    if doc.breaches:
        files["breaches.csv"] = _csv_bytes(_table(BREACH_COLUMNS, _breaches(doc)))
    return files


def render_xlsx(doc: Assignment) -> dict[str, bytes]:
    """Return the master list as ``booths.xlsx``: booths on one sheet, those left out on another.

    A layout that breaks a rule gets a sheet of its breaches, and one whose assignment has its
    utilization a sheet of the floor let per hall and per zone (:func:`utilization_table`).

    Each sheet has a bold, frozen header row, a filter over its data and columns as wide as
    their text (Korean characters count double). Every text cell is stored as text, never as a
    formula.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.worksheets[0])
    _fill_sheet(wb.create_sheet("부스 Booths"), _table(_booth_columns(doc), booths_by_number(doc)))
    _fill_sheet(wb.create_sheet("미배정 Unplaced"), _table(UNPLACED_COLUMNS, doc.unplaced))
    if doc.breaches:
        _fill_sheet(wb.create_sheet("위반 Breaches"), _table(BREACH_COLUMNS, _breaches(doc)))
    if doc.utilization is not None:
        sheet = wb.create_sheet("이용률 Utilization")
        table = utilization_table(doc)
        _fill_sheet(sheet, table)
        for r in range(2, len(table) + 1):
            sheet.cell(row=r, column=SHARE_COLUMN).number_format = "0.0%"
    # openpyxl stamps the save time into the file; a fixed stamp keeps the same list the same.
    wb.properties.created = wb.properties.modified = FIXED_STAMP
    out = io.BytesIO()
    wb.save(out)
    return {"booths.xlsx": _without_save_time(out.getvalue())}


# The time written into the spreadsheet's properties and zip entries.
FIXED_STAMP = datetime.datetime(2000, 1, 1)


def _without_save_time(data: bytes) -> bytes:
    """Return the XLSX with every zip entry and the document properties at :data:`FIXED_STAMP`."""
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    body,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, body)
    return out.getvalue()


def _fill_sheet(ws: Worksheet, rows: list[list[object]]) -> None:
    """Write ``rows`` (header first) into ``ws`` as a filtered table with fitting columns."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    widths = [0] * len(rows[0])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            plain = value if isinstance(value, int | float) else str(value)
            cell = ws.cell(row=r, column=c, value=plain)
            if isinstance(plain, str):
                cell.data_type = "s"  # text, even if it looks like a formula
            widths[c - 1] = max(widths[c - 1], display_width(str(plain)))
    for c in range(1, len(rows[0]) + 1):
        ws.cell(row=1, column=c).font = Font(bold=True)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = min(widths[c - 1] + 2, MAX_WIDTH)
        if widths[c - 1] + 2 > MAX_WIDTH:
            for r in range(2, len(rows) + 1):
                ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"


def display_width(text: str) -> int:
    """Return how many character cells ``text`` takes: wide (Korean) characters count two.

    Examples
    --------
    >>> display_width("서울 Seoul")
    10
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
