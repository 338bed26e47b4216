"""The assignment file (``boothopt.assignment/1``): the contract between solving and exporting.

Written by ``allocate``, read by every export. Polygons are closed rings in venue metres. Only
the timing fields (``solver.wall_s``, ``solver.first_feasible_s``) change between two runs of the
same event, seed and worker count.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from shapely.geometry import Polygon

from boothopt.inputs.domain import Event
from boothopt.solver.problem import Problem
from boothopt.solver.result import Result

SCHEMA = "boothopt.assignment/1"
TIMING_FIELDS = ("wall_s", "first_feasible_s")


def _ring(poly: Polygon) -> list[list[float]]:
    return [[round(x, 3), round(y, 3)] for x, y in poly.exterior.coords]


def _box_ring(box: tuple[float, float, float, float]) -> list[list[float]]:
    x0, y0, x1, y1 = (round(v, 3) for v in box)
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def assignment_dict(event: Event, problem: Problem, result: Result) -> dict[str, Any]:
    """Return the assignment file's content for a solved event."""
    by_id = {e.id: e for e in event.exhibitors}
    module = event.scheme.module_m
    summary = result.summary()
    return {
        "schema": SCHEMA,
        "event": event.name,
        "event_ko": event.name_ko,
        "venue": event.venue.id,
        "module_m": module,
        "solver": {
            k: summary[k]
            for k in (
                "status",
                "method",
                "objective",
                "bound",
                "gap",
                "wall_s",
                "first_feasible_s",
                "seed",
                "workers",
                "time_limit_s",
                "terms",
            )
        },
        "halls": [
            {
                "id": h,
                "level": problem.grids[h].hall.level,
                "name": problem.grids[h].hall.name,
                "name_ko": problem.grids[h].hall.name_ko,
                "polygon": _ring(problem.grids[h].hall.outline),
            }
            for h in event.halls
        ],
        "blocked": [
            {"hall": h, "kind": b.kind, "polygon": _ring(b.polygon)}
            for h in event.halls
            for b in problem.grids[h].blocked
            if isinstance(b.polygon, Polygon) and not b.polygon.is_empty
        ],
        "entrances": [
            {
                "id": d.id,
                "hall": h,
                "at": [round(d.at[0], 3), round(d.at[1], 3)],
                "width_m": d.width_m,
            }
            for h in event.halls
            for d in problem.grids[h].hall.entrances
        ],
        "zones": [
            {
                "id": z.id,
                "name_ko": z.name_ko,
                "name_en": z.name_en,
                "area": [
                    {
                        "hall": problem.slots[k].hall,
                        "polygon": _box_ring(
                            problem.slots[k].box(
                                0, 0, problem.slots[k].n_along, problem.slots[k].n_deep, module
                            )
                        ),
                    }
                    for k in sorted(problem.zone_slots.get(z.id, ()))
                ],
            }
            for z in event.zones
        ],
        "booths": [
            {
                "booth_no": b.booth_no,
                "hall": b.hall,
                "exhibitor_id": b.exhibitor_id,
                "name_ko": by_id[b.exhibitor_id].name_ko,
                "name_en": by_id[b.exhibitor_id].name_en,
                "kind": by_id[b.exhibitor_id].kind.value,
                "country": by_id[b.exhibitor_id].country,
                "tier": by_id[b.exhibitor_id].tier,
                "booth_type": _booth_type(b.open_sides),
                "polygon": _box_ring(b.box),
                "area_m2": round(b.modules * module**2, 3),
                "modules": b.modules,
                "size_m": [round(b.box[2] - b.box[0], 3), round(b.box[3] - b.box[1], 3)],
                "open_sides": b.open_sides,
                "zone": b.zone,
            }
            for b in result.booths
        ],
        "reserved": [
            {
                "id": r.area.id,
                "kind": r.area.kind,
                "hall": r.area.hall,
                "name_ko": r.area.name_ko,
                "name_en": r.area.name_en,
                "polygon": _box_ring(r.box),
            }
            for r in result.reserved
            if r.box is not None
        ],
        "unplaced": [{"exhibitor_id": e, "reason": why} for e, why in result.unplaced],
        "conflicts": list(result.conflicts),
    }


def _booth_type(open_sides: int) -> str:
    return {1: "inline", 2: "corner", 3: "peninsula", 4: "island"}.get(open_sides, "inline")


def assignment_json(data: dict[str, Any]) -> str:
    """Return the assignment as stable, readable JSON text (keys in a fixed order)."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Return a cell value a spreadsheet will not run as a formula (text gets a leading ')."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


ASSIGNMENT_COLUMNS = (
    "booth_no",
    "hall",
    "zone",
    "exhibitor_id",
    "name_ko",
    "name_en",
    "country",
    "modules",
    "area_m2",
    "size_m",
    "booth_type",
    "open_sides",
    "tier",
)


def assignments_csv(data: dict[str, Any]) -> str:
    """Return the booth list as CSV text (UTF-8 with BOM for Excel), by booth number."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ASSIGNMENT_COLUMNS)
    for b in sorted(data["booths"], key=lambda b: b["booth_no"]):
        row = dict(b)
        row["size_m"] = "x".join(f"{v:g}" for v in b["size_m"])
        row["zone"] = b["zone"] or ""
        writer.writerow([safe_cell(row[c]) for c in ASSIGNMENT_COLUMNS])
    return "\ufeff" + out.getvalue()
