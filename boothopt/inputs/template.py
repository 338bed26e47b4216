"""The empty exhibitor application workbook an organizer sends to exhibitors.

The workbook has the exhibitor table (`exhibitors`) with bilingual headers, one filled-in
example row and drop-down lists; a guide sheet (`안내 (guide)`) explaining every column and zone;
and a hidden sheet (`lists`) holding the drop-down values, so long zone lists and Korean text work.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from boothopt.errors import InputError
from boothopt.inputs.columns import (
    BOOTH_TYPE_VALUES,
    BY_NAME,
    COLUMNS,
    KIND_VALUES,
    NO,
    TIER_ALIASES,
    YES,
    Column,
    template_header,
)
from boothopt.inputs.domain import DEFAULT_TIERS, BoothType, Kind
from boothopt.outputs.files import write_atomic

__all__ = [
    "DEFAULT_ZONES",
    "EXHIBITORS_SHEET",
    "GUIDE_SHEET",
    "LAST_ROW",
    "LISTS_SHEET",
    "write_template",
]

DEFAULT_ZONES: tuple[tuple[str, str], ...] = (
    ("smart-city-seoul", "스마트도시 서울존 / Smart City Seoul Zone"),
    ("startup", "스타트업존 / Startup Zone"),
    ("mobility", "모빌리티 / Mobility"),
    ("social-tech", "약자동행기술 / Socially-vulnerable tech"),
    ("tourism", "관광 / Tourism"),
    ("ai-robot", "AI 로봇 / AI Robot Show"),
)

EXHIBITORS_SHEET = "exhibitors"
GUIDE_SHEET = "안내 (guide)"
LISTS_SHEET = "lists"
LAST_ROW = 1000  # drop-downs and number checks cover rows 2..LAST_ROW of the exhibitor table

ROTATABLE_VALUES = ("yes", "no")
CellValue = str | int | float | dt.date
EXAMPLE_ROW: dict[str, CellValue] = {
    "id": "city-seoul",
    "name_ko": "서울특별시",
    "name_en": "Seoul Metropolitan Government",
    "kind": Kind.CITY.value,
    "country": "KR",
    "category": "smart-city",
    "modules": 2,
    "rotatable": "yes",
    "booth_type": BoothType.CORNER.value,
    "tier": "gold",
    "applied_on": dt.date(2025, 6, 2),
    "zone": "smart-city-seoul",
}

# A text cell starting with one of these becomes a formula when a spreadsheet re-reads it.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_WHOLE_AT_LEAST_1 = ("modules",)
# The drop-down's booth types: each type, and "that type or more open" where there is more.
BOOTH_TYPE_CHOICES = [
    v
    for b in BoothType
    for v in (
        (b.value, f"{b.value}+") if b.value in ("inline", "corner", "peninsula") else (b.value,)
    )
]
_DECIMAL_AT_LEAST_0 = ("area_m2", "power_kw", "load_t_m2", "height_m")
_DATE_FORMAT = "yyyy-mm-dd"
_MAX_TITLE = 32  # Excel's limit for a validation's error title

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(
    path: str | Path,
    zones: Sequence[tuple[str, str]] = DEFAULT_ZONES,
    tiers: Sequence[str] = DEFAULT_TIERS,
) -> Path:
    """Write an empty exhibitor application workbook to ``path`` and return the path.

    Parameters
    ----------
    path
        Where to write; must end in ``.xlsx``. An earlier file there is replaced whole, and
        only once the new workbook is complete.
    zones
        The zones exhibitors may ask for, as (id, name) pairs; untrusted text, always written as
        text, never as a formula.
    tiers
        The sponsor tiers offered, best first.

    Raises
    ------
    InputError
        When the path does not end in ``.xlsx`` or is a folder, or a zone or tier is empty,
        repeated or holds control characters.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     book = load_workbook(write_template(Path(folder) / "application.xlsx"))
    >>> book.sheetnames
    ['exhibitors', '안내 (guide)', 'lists']
    >>> book["exhibitors"]["B1"].value
    '업체명 (name_ko)'
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(
            f"{path}: the application template is an Excel workbook — give a file name ending in "
            ".xlsx"
        )
    if path.is_dir():
        raise InputError(f"{path}: is a folder — give a file name ending in .xlsx")
    zone_ids = _checked("zone id", [zone_id for zone_id, _ in zones])
    _checked("zone name", [name for _, name in zones], unique=False)
    tier_names = _checked("tier", list(tiers))

    book = Workbook()
    exhibitors = _only_sheet(book, EXHIBITORS_SHEET)
    guide: Worksheet = book.create_sheet(GUIDE_SHEET)
    lists: Worksheet = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    _write_header(exhibitors)
    _write_example(exhibitors, zone_ids, tier_names)
    _add_validations(exhibitors, lists, zone_ids, tier_names)
    _write_guide(guide, zones, tier_names)
    book.active = 0

    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(path, buffer.getvalue())


def _checked(what: str, values: list[str], *, unique: bool = True) -> list[str]:
    """Return ``values`` once each is non-empty, unrepeated and free of control characters."""
    seen: set[str] = set()
    for i, value in enumerate(values, start=1):
        if not isinstance(value, str) or (unique and not value.strip()):
            must = "non-empty text" if unique else "text"
            raise InputError(f"{what} {i} ({value!r}): must be {must} — fix the {what}s")
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise InputError(
                f"{what} {i} ({value!r}): holds control characters an .xlsx file cannot store — "
                "remove them"
            )
        if unique and value in seen:
            raise InputError(f"{what} {value!r} is given twice — give each {what} once")
        seen.add(value)
    return values


def _only_sheet(book: Workbook, title: str) -> Worksheet:
    """Return the new workbook's single sheet, renamed to ``title``."""
    sheet = book.worksheets[0]
    if not isinstance(sheet, Worksheet):  # pragma: no cover - a new workbook has a plain sheet
        raise TypeError("a new workbook should start with a worksheet")
    sheet.title = title
    return sheet


def _put(sheet: Worksheet, row: int, column: int, value: CellValue) -> Cell:
    """Write ``value`` to a cell, keeping any text as text (never a formula or an error code)."""
    cell = sheet.cell(row=row, column=column)
    if not isinstance(cell, Cell):  # pragma: no cover - this workbook merges no cells
        raise TypeError(f"{sheet.title}!{cell.coordinate} is merged")
    cell.value = value
    if isinstance(value, str):
        # openpyxl stores a str starting with "=" as a formula and "#N/A" as an error.
        cell.data_type = "s"
        if value.startswith(_FORMULA_PREFIXES) or value in ERROR_CODES:
            # Keeps it text in Excel too, after the user edits the cell and presses Enter.
            cell.quotePrefix = True
    return cell


def _display_width(text: str) -> int:
    """Return how many Latin characters wide ``text`` shows (Hangul counts double)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_header(sheet: Worksheet) -> None:
    """Write the bold bilingual header row, its help comments, the freeze pane and the filter."""
    for index, column in enumerate(COLUMNS, start=1):
        cell = _put(sheet, 1, index, template_header(column))
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        comment = Comment(f"{column.label_ko} ({column.name}): {column.help_en}", "boothopt")
        comment.width = 300
        comment.height = 80
        cell.comment = comment
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _display_width(template_header(column)) + 4
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"


def _write_example(sheet: Worksheet, zone_ids: Sequence[str], tiers: Sequence[str]) -> None:
    """Write one filled-in exhibitor in row 2, consistent with the given zones and tiers."""
    example: dict[str, CellValue | None] = {**EXAMPLE_ROW}
    if example["tier"] not in tiers:
        example["tier"] = tiers[0] if tiers else None
    if example["zone"] not in zone_ids:
        example["zone"] = zone_ids[0] if zone_ids else None
    for index, column in enumerate(COLUMNS, start=1):
        value = example.get(column.name)
        if value is None:
            continue
        cell = _put(sheet, 2, index, value)
        if isinstance(value, dt.date):
            cell.number_format = _DATE_FORMAT
        letter = get_column_letter(index)
        shown = len(_DATE_FORMAT) if isinstance(value, dt.date) else _display_width(str(value))
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(dimension.width or 0, shown + 2)


def _column_range(name: str) -> str:
    """Return the data rows of field ``name`` in the exhibitor table, e.g. ``D2:D1000``."""
    letter = get_column_letter(COLUMNS.index(BY_NAME[name]) + 1)
    return f"{letter}2:{letter}{LAST_ROW}"


def _title(column: Column) -> str:
    """Return a validation error title (Excel allows 32 characters)."""
    return template_header(column)[:_MAX_TITLE]


def _add_validations(
    sheet: Worksheet, lists: Worksheet, zone_ids: Sequence[str], tiers: Sequence[str]
) -> None:
    """Add the drop-down lists and the number checks to the exhibitor table."""
    choices: dict[str, Sequence[str]] = {
        "kind": [k.value for k in Kind],
        "tier": tiers,
        "zone": zone_ids,
        "booth_type": BOOTH_TYPE_CHOICES,
        "rotatable": ROTATABLE_VALUES,
    }
    fixed = {"kind", "booth_type", "rotatable"}  # built-in lists, short enough to name in full
    for list_column, (name, values) in enumerate(choices.items(), start=1):
        _put(lists, 1, list_column, name)
        for row, value in enumerate(values, start=2):
            _put(lists, row, list_column, value)
        if not values:
            continue  # no drop-down of nothing: the column stays free text
        letter = get_column_letter(list_column)
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_title(BY_NAME[name]),
            error=(
                f"{', '.join(values)} 중에서 고르세요.\nChoose one of {', '.join(values)}."
                if name in fixed
                else "목록에서 값을 고르세요 (안내 시트 참고).\n"
                "Choose a value from the drop-down list (see the guide sheet)."
            ),
        )
        validation.add(_column_range(name))
        sheet.add_data_validation(validation)

    for name in _WHOLE_AT_LEAST_1:
        validation = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="1",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_title(BY_NAME[name]),
            error="1 이상의 정수를 입력하세요.\nEnter a whole number of at least 1.",
        )
        validation.add(_column_range(name))
        sheet.add_data_validation(validation)
    for name in _DECIMAL_AT_LEAST_0:
        validation = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_title(BY_NAME[name]),
            error="0 이상의 숫자를 입력하세요.\nEnter a number of at least 0.",
        )
        validation.add(_column_range(name))
        sheet.add_data_validation(validation)


def _aliases(vocabulary: dict[str, tuple[str, ...]], values: Sequence[str]) -> str:
    """Return ``values`` with the other spellings the reader accepts, one value a line."""
    lines = []
    for value in values:
        others = [a for a in vocabulary.get(value, ()) if a.strip()]
        lines.append(f"{value} ({', '.join(others)})" if others else value)
    return "\n".join(lines)


def _accepted(column: Column, tiers: Sequence[str]) -> str:
    """Return the values a column accepts, as shown in the guide."""
    if column.name == "kind":
        return _aliases(KIND_VALUES, [k.value for k in Kind])
    if column.name == "booth_type":
        return (
            _aliases(BOOTH_TYPE_VALUES, [b.value for b in BoothType])
            + "\n(빈칸 / blank = any; + 붙이면 그 형태 이상 /"
            " a trailing + = that type or more open, e.g. corner+)"
        )
    if column.name == "tier":
        return _aliases(TIER_ALIASES, tiers)
    if column.name == "rotatable":
        yes = ", ".join(sorted(YES - {"yes"}))
        no = ", ".join(sorted(NO - {"no"}))
        return f"yes ({yes})\nno ({no})\n(빈칸 / blank = yes)"
    if column.name == "zone":
        return "아래 존 ID 중 하나 / one of the zone ids below"
    if column.name in _WHOLE_AT_LEAST_1:
        return "1 이상의 정수 / whole number ≥ 1"
    if column.name in _DECIMAL_AT_LEAST_0:
        return "0 이상의 숫자 / number ≥ 0"
    if column.name == "applied_on":
        return "날짜 / date (YYYY-MM-DD)"
    if column.name == "priority_points":
        return "숫자 / number"
    return "텍스트 / text"


def _write_guide(sheet: Worksheet, zones: Sequence[tuple[str, str]], tiers: Sequence[str]) -> None:
    """Write the guide: every column with its meaning and accepted values, then the zones."""
    _put(
        sheet, 1, 1, "참가신청서 작성 안내 / How to fill in the exhibitor application"
    ).font = Font(bold=True, size=14)
    _put(
        sheet,
        2,
        1,
        f"'{EXHIBITORS_SHEET}' 시트에 한 행에 한 참가사를 적으세요. 2행은 예시이니 고쳐 쓰거나 "
        "지우세요. / One exhibitor a row in the "
        f"'{EXHIBITORS_SHEET}' sheet; row 2 is an example: overwrite or delete it.",
    )
    _put(
        sheet,
        3,
        1,
        "드롭다운 열은 목록의 영문 값을 고르세요. 괄호 안 표기는 다른 양식의 파일을 읽을 때도 "
        "인식합니다. / In drop-down columns pick the English value; the spellings in brackets are "
        "also understood in sheets not made from this template.",
    )
    headings = ("열 / column", "항목 / label", "설명 / meaning", "입력값 / accepted values")
    for index, heading in enumerate(headings, start=1):
        _put(sheet, 4, index, heading).font = _BOLD
    row = 5
    for column in COLUMNS:
        texts = (template_header(column), column.label_ko, column.help_en, _accepted(column, tiers))
        for index, text in enumerate(texts, start=1):
            _put(sheet, row, index, text).alignment = _WRAP
        row += 1

    row += 1
    _put(sheet, row, 1, "존 / zones").font = _BOLD
    _put(sheet, row + 1, 1, "존 ID / zone id").font = _BOLD
    _put(sheet, row + 1, 2, "존 이름 / zone name").font = _BOLD
    row += 2
    for zone_id, name in zones:
        _put(sheet, row, 1, zone_id)
        _put(sheet, row, 2, name)
        row += 1

    for letter, width in zip("ABCD", (26, 40, 48, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
