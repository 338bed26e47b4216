"""The changes of a re-plan, as CSV and XLSX: who moved, from which booth to which, and why.

One row per exhibitor whose booth changed (moved, new, cancelled, left out), sorted by new booth
number, with Korean and English headers; exhibitor text is made safe as in the master list.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from boothopt.outputs.master_list import (
    FIXED_STAMP,
    _csv_bytes,
    _fill_sheet,
    _table,
    _without_save_time,
)

Row = dict[str, Any]

CHANGE_COLUMNS: tuple[tuple[str, Callable[[Row], object]], ...] = (
    ("참가사 ID / Exhibitor id", lambda c: c["exhibitor_id"]),
    ("참가사명 / Name", lambda c: c.get("name", "")),
    ("이전 부스 / Old booth", lambda c: c.get("old_booth") or ""),
    ("새 부스 / New booth", lambda c: c.get("new_booth") or ""),
    ("사유 / Reason", lambda c: c.get("reason", "")),
)


def render_changes(changes: Sequence[Row]) -> dict[str, bytes]:
    """Return ``changes.csv`` and ``changes.xlsx`` of a re-plan's changes (dicts of
    exhibitor_id, name, old_booth, new_booth, reason)."""
    from openpyxl import Workbook

    rows = _table(CHANGE_COLUMNS, changes)
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    _fill_sheet(wb.create_sheet("변경 Changes"), rows)
    wb.properties.created = wb.properties.modified = FIXED_STAMP
    out = io.BytesIO()
    wb.save(out)
    return {"changes.csv": _csv_bytes(rows), "changes.xlsx": _without_save_time(out.getvalue())}
