"""The assignment file (``boothopt.assignment/1``): the contract between solving and exporting.

Written by ``allocate``, read by every export (through :mod:`boothopt.outputs.read`). Polygons
are closed rings in venue metres. Only the timing fields (``solver.wall_s``,
``solver.first_feasible_s``) change between two runs of the same event, seed and worker count.

Besides the fields of DESIGN.md, each booth has its nearest entrance by walking along the aisles
(``entrance``, ``entrance_walk_m``), each unplaced exhibitor its names, and ``anchor`` places the
venue on the earth (or is null when the venue file has none). ``utilization`` gives the floor
let per hall and per zone and the demand left out (:mod:`boothopt.outputs.utilization`); files
written before it lack it, and every export does without.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from shapely.geometry import Polygon

from boothopt.floorplan.grid import HallGrid, nearest_entrances
from boothopt.floorplan.venue import GeoAnchor
from boothopt.inputs.domain import Event
from boothopt.outputs.utilization import utilization
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
    doors = {h: _DoorFinder(problem.grids[h]) for h in {b.hall for b in result.booths}}
    return {
        "schema": SCHEMA,
        "event": event.name,
        "event_ko": event.name_ko,
        **(
            {"dates": {"start": event.dates[0].isoformat(), "end": event.dates[1].isoformat()}}
            if event.dates
            else {}
        ),
        "venue": event.venue.id,
        "module_m": module,
        "anchor": _anchor(event.venue.anchor),
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
                "work_limit",
                "ended_by",
                "reproducible",
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
                "id": _entrance_id(h, k, d.id),
                "hall": h,
                "at": [round(d.at[0], 3), round(d.at[1], 3)],
                "width_m": d.width_m,
            }
            for h in event.halls
            for k, d in enumerate(problem.grids[h].hall.entrances)
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
                    for k in result.zone_blocks.get(z.id, [])
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
                **doors[b.hall].nearest(b.box),
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
        "unplaced": [
            {
                "exhibitor_id": e,
                "name_ko": by_id[e].name_ko,
                "name_en": by_id[e].name_en,
                "kind": by_id[e].kind.value,
                "country": by_id[e].country,
                "tier": by_id[e].tier,
                "reason": why,
            }
            for e, why in result.unplaced
        ],
        "conflicts": list(result.conflicts),
        "utilization": utilization(event, problem, result),
    }


def _anchor(anchor: GeoAnchor | None) -> dict[str, Any] | None:
    """Return the venue's anchor on the earth as written in the assignment file."""
    if anchor is None:
        return None
    return {
        "lon": anchor.lon,
        "lat": anchor.lat,
        "bearing_deg": anchor.bearing_deg,
        "origin_m": [round(anchor.origin[0], 3), round(anchor.origin[1], 3)],
    }


class _DoorFinder:
    """The nearest entrance by walking of a hall's cells, computed once per hall."""

    def __init__(self, grid: HallGrid) -> None:
        self.boxes = grid.cell_boxes
        self.index, self.walk = nearest_entrances(grid)
        # Unnamed doors get the id the assignment's entrance list gives them.
        self.ids = [_entrance_id(grid.hall.id, k, d.id) for k, d in enumerate(grid.hall.entrances)]

    def nearest(self, box: tuple[float, float, float, float]) -> dict[str, Any]:
        """Return the booth fields of the entrance nearest to any cell of the booth ``box``."""
        eps = 1e-6
        x0, y0, x1, y1 = box
        cb = self.boxes
        inside = (
            (cb[:, 0] >= x0 - eps)
            & (cb[:, 1] >= y0 - eps)
            & (cb[:, 2] <= x1 + eps)
            & (cb[:, 3] <= y1 + eps)
        )
        cells = np.flatnonzero(inside)
        if cells.size == 0 or not np.isfinite(self.walk[cells]).any():
            return {"entrance": None, "entrance_walk_m": None}
        best = int(cells[np.argmin(self.walk[cells])])  # the first cell on a tie: deterministic
        return {
            "entrance": self.ids[int(self.index[best])],
            "entrance_walk_m": round(float(self.walk[best]), 1),
        }


def _entrance_id(hall: str, k: int, door_id: str) -> str:
    """Return a door's id, or ``<hall>-entrance-<n>`` for a door the venue file left unnamed."""
    return door_id or f"{hall}-entrance-{k + 1}"


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
