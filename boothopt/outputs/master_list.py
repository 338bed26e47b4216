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
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from boothopt.outputs.assignment import safe_cell
from boothopt.outputs.utilization import utilization_of

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Row = dict[str, Any]

# (header, value of a booth): the master list's columns in order.
BOOTH_COLUMNS: tuple[tuple[str, Callable[[Row], object]], ...] = (
    ("부스 번호 / Booth no", lambda b: b["booth_no"]),
    ("홀 / Hall", lambda b: b["hall"]),
    ("구역 / Zone", lambda b: b.get("zone") or ""),
    ("참가사 ID / Exhibitor id", lambda b: b["exhibitor_id"]),
    ("참가사명 (국문) / Name (Korean)", lambda b: b.get("name_ko", "")),
    ("참가사명 (영문) / Name (English)", lambda b: b.get("name_en", "")),
    ("국가 / Country", lambda b: b.get("country", "")),
    ("크기 / Size", lambda b: size_text(b["size_m"])),
    ("면적 m² / Area m²", lambda b: b["area_m2"]),
    ("부스 형태 / Booth type", lambda b: b.get("booth_type", "")),
    ("개방면 / Open sides", lambda b: b["open_sides"]),
    ("등급 / Tier", lambda b: b.get("tier", "")),
)

UNPLACED_COLUMNS: tuple[tuple[str, Callable[[Row], object]], ...] = (
    ("참가사 ID / Exhibitor id", lambda u: u["exhibitor_id"]),
    ("참가사명 (국문) / Name (Korean)", lambda u: u.get("name_ko", "")),
    ("참가사명 (영문) / Name (English)", lambda u: u.get("name_en", "")),
    ("국가 / Country", lambda u: u.get("country", "")),
    ("등급 / Tier", lambda u: u.get("tier", "")),
    ("미배정 사유 / Reason not placed", lambda u: u["reason"]),
)

BREACH_COLUMNS: tuple[tuple[str, Callable[[Row], object]], ...] = (
    ("번호 / No", lambda b: b["no"]),
    ("규칙 / Rule", lambda b: b.get("rule", "")),
    ("부스 번호 / Booth no", lambda b: b.get("booth") or ""),
    ("홀 / Hall", lambda b: b.get("hall") or ""),
    ("위반 내용 / Breach", lambda b: b.get("message", "")),
)


def _breaches(doc: dict[str, Any]) -> list[Row]:
    """Return the layout's breaches (an export forced past the check), numbered as on the plan."""
    return [{"no": n, **b} for n, b in enumerate(doc.get("breaches") or [], start=1)]


def _booth_columns(doc: dict[str, Any]) -> tuple[tuple[str, Callable[[Row], object]], ...]:
    """Return the master list's columns: with a breach column when the layout breaks a rule."""
    breaches = _breaches(doc)
    if not breaches:
        return BOOTH_COLUMNS
    by_booth: dict[str, list[str]] = {}
    for b in breaches:
        if b.get("booth"):
            by_booth.setdefault(b["booth"], []).append(f"{b['no']}. {b['rule']}: {b['message']}")
    return (
        *BOOTH_COLUMNS,
        ("규칙 위반 / Breach", lambda row: "; ".join(by_booth.get(row["booth_no"], []))),
    )


# The machine-readable booth list `allocate` writes beside the assignment (assignments.csv).
ASSIGNMENT_COLUMNS: tuple[tuple[str, Callable[[Row], object]], ...] = (
    ("booth_no", lambda b: b["booth_no"]),
    ("hall", lambda b: b["hall"]),
    ("zone", lambda b: b.get("zone") or ""),
    ("exhibitor_id", lambda b: b["exhibitor_id"]),
    ("name_ko", lambda b: b.get("name_ko", "")),
    ("name_en", lambda b: b.get("name_en", "")),
    ("country", lambda b: b.get("country", "")),
    ("modules", lambda b: b["modules"]),
    ("area_m2", lambda b: b["area_m2"]),
    ("size_m", lambda b: "x".join(f"{v:g}" for v in b["size_m"])),
    ("booth_type", lambda b: b.get("booth_type", "")),
    ("open_sides", lambda b: b["open_sides"]),
    ("tier", lambda b: b.get("tier", "")),
)

# The utilization sheet: one row per hall, one per zone, one for the whole event. A zone's
# "usable" floor is its area; its booths are its members placed.
SCOPES = {"hall": "홀 / Hall", "zone": "구역 / Zone", "total": "전체 / Total"}
UTILIZATION_COLUMNS: tuple[tuple[str, Callable[[Row], object]], ...] = (
    ("구분 / Scope", lambda u: SCOPES[u["scope"]]),
    ("ID", lambda u: u.get("hall") or u.get("zone") or ""),
    ("이름 / Name", lambda u: u.get("label", "")),
    ("사용 가능 모듈 / Usable modules", lambda u: u.get("usable_modules", "")),
    ("사용 가능 m² / Usable m²", lambda u: u.get("usable_m2", "")),
    ("예약 구역 m² / Reserved m²", lambda u: u.get("reserved_m2", "")),
    ("배정 모듈 / Modules let", lambda u: u.get("let_modules", "")),
    ("배정 m² / m² let", lambda u: u.get("let_m2", "")),
    ("이용률 / Share let", lambda u: _share_cell(u.get("share_let"))),
    ("부스 / Booths", lambda u: u.get("booths", "")),
    ("참가사 / Exhibitors", lambda u: u.get("exhibitors", "")),
    ("미배정 / Unplaced", lambda u: u.get("unplaced", "")),
    ("미배정 모듈 / Unplaced modules", lambda u: u.get("unplaced_modules", "")),
    ("미배정 m² / Unplaced m²", lambda u: u.get("unplaced_m2", "")),
)
# 1-based: the share let, shown as a percentage
SHARE_COLUMN = 1 + [h for h, _ in UTILIZATION_COLUMNS].index("이용률 / Share let")


def _share_cell(value: object) -> object:
    return value if isinstance(value, int | float) else ""


def utilization_rows(doc: dict[str, Any]) -> tuple[list[Row], list[str]]:
    """Return the utilization sheet's rows (halls, zones, total) and the tiers it counts booths by.

    Empty when the assignment has no utilization (a file written before it existed).
    """
    util = utilization_of(doc)
    if util is None:
        return [], []
    rows: list[Row] = []
    for h in _dicts(util.get("halls")):
        label = " · ".join(str(t) for t in (h.get("name_ko"), h.get("name")) if t)
        rows.append({**h, "scope": "hall", "label": label})
    for z in _dicts(util.get("zones")):
        label = " · ".join(str(t) for t in (z.get("name_ko"), z.get("name_en")) if t)
        rows.append(
            {
                "scope": "zone",
                "zone": z.get("zone", ""),
                "label": label,
                "usable_modules": z.get("area_modules", ""),
                "usable_m2": z.get("area_m2", ""),
                "let_modules": z.get("area_let_modules", ""),
                "let_m2": z.get("area_let_m2", ""),
                "share_let": z.get("share_let"),
                "booths": z.get("placed", ""),
                "exhibitors": z.get("members", ""),
                "unplaced": z.get("unplaced", ""),
                "unplaced_modules": z.get("unplaced_modules", ""),
                "unplaced_m2": z.get("unplaced_m2", ""),
            }
        )
    total = util.get("total")
    if isinstance(total, dict):
        label = " · ".join(t for t in (doc.get("event_ko"), doc.get("event")) if t)
        rows.append({**total, "scope": "total", "label": label})
    tiers = list(dict.fromkeys(t for r in rows if r["scope"] != "zone" for t in _tier_counts(r)))
    return rows, tiers


def _tier_counts(row: Row) -> dict[str, Any]:
    counts = row.get("booths_by_tier")
    return counts if isinstance(counts, dict) else {}


def _dicts(value: object) -> list[Row]:
    """Return the tables in a list; nothing for anything else (a hand-edited file)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def utilization_table(doc: dict[str, Any]) -> list[list[object]]:
    """Return the utilization sheet as a table (header first); only the header without one."""
    rows, tiers = utilization_rows(doc)
    columns = (
        *UTILIZATION_COLUMNS,
        *((f"부스 {t} / Booths {t}", lambda u, t=t: _tier_counts(u).get(t, "")) for t in tiers),
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


def booths_by_number(doc: dict[str, Any]) -> list[Row]:
    """Return the assignment's booths sorted by booth number."""
    return sorted(doc["booths"], key=lambda b: natural_key(b["booth_no"]))


def _table(
    columns: Sequence[tuple[str, Callable[[Row], object]]], items: Iterable[Row]
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


def assignments_csv(doc: dict[str, Any]) -> bytes:
    """Return the booth list `allocate` writes (``assignments.csv``): English field names."""
    return _csv_bytes(_table(ASSIGNMENT_COLUMNS, booths_by_number(doc)))


def render_csv(doc: dict[str, Any]) -> dict[str, bytes]:
    """Return the master list as ``booths.csv`` and the exhibitors left out as ``unplaced.csv``.

    Examples
    --------
    >>> doc = {"booths": [{"booth_no": "A-10", "hall": "A", "exhibitor_id": "x",
    ...     "name_ko": "=1+1", "size_m": [6, 3], "area_m2": 18.0, "open_sides": 1}],
    ...     "unplaced": []}
    >>> render_csv(doc)["booths.csv"].decode("utf-8-sig").splitlines()[1]
    "A-10,A,,x,'=1+1,,,6x3 m,18.0,,1,"
    """
    files = {
        "booths.csv": _csv_bytes(_table(_booth_columns(doc), booths_by_number(doc))),
        "unplaced.csv": _csv_bytes(_table(UNPLACED_COLUMNS, doc.get("unplaced", []))),
    }
    if doc.get("breaches"):
        files["breaches.csv"] = _csv_bytes(_table(BREACH_COLUMNS, _breaches(doc)))
    return files


def render_xlsx(doc: dict[str, Any]) -> dict[str, bytes]:
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
    _fill_sheet(
        wb.create_sheet("미배정 Unplaced"), _table(UNPLACED_COLUMNS, doc.get("unplaced", []))
    )
    if doc.get("breaches"):
        _fill_sheet(wb.create_sheet("위반 Breaches"), _table(BREACH_COLUMNS, _breaches(doc)))
    if utilization_of(doc) is not None:
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
