"""Build the assignment file (``boothopt.assignment/1``) of a solved event.

The file's model, and the one function that writes it as text, are in :mod:`boothopt.contract`;
here a solve becomes an :class:`~boothopt.contract.Assignment`. Besides the event, the halls and
the booths, each booth gets its nearest entrance by walking along the aisles (``entrance``,
``entrance_walk_m``), each unplaced exhibitor its names, ``anchor`` places the venue on the earth
(or is null when the venue file has none) and ``utilization`` gives the floor let per hall and
per zone and the demand left out (:mod:`boothopt.outputs.utilization`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from shapely.geometry import Polygon

from boothopt.contract import (
    SCHEMA,
    TIMING_FIELDS,
    Anchor,
    Assignment,
    Blocked,
    Booth,
    Dates,
    Entrance,
    Hall,
    Reserved,
    Ring,
    SolverRun,
    Unplaced,
    Zone,
    ZoneArea,
    assignment_data,
    assignment_json,
)
from boothopt.floorplan.grid import HallGrid, nearest_entrances
from boothopt.floorplan.venue import GeoAnchor
from boothopt.inputs.domain import Event
from boothopt.outputs.utilization import utilization
from boothopt.solver.problem import Problem
from boothopt.solver.result import Result

# SCHEMA, TIMING_FIELDS and assignment_json live in boothopt.contract; the solver's tests and the
# benchmarks import them from here too.
__all__ = [
    "SCHEMA",
    "TIMING_FIELDS",
    "assignment_dict",
    "assignment_json",
    "build_assignment",
    "safe_cell",
]


def _ring(poly: Polygon) -> Ring:
    return tuple((round(x, 3), round(y, 3)) for x, y in poly.exterior.coords)


def _box_ring(box: tuple[float, float, float, float]) -> Ring:
    x0, y0, x1, y1 = (round(v, 3) for v in box)
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))


def build_assignment(event: Event, problem: Problem, result: Result) -> Assignment:
    """Return the assignment of a solved event, as the assignment file holds it."""
    by_id = {e.id: e for e in event.exhibitors}
    module = event.scheme.module_m
    summary = result.summary()
    doors = {h: _DoorFinder(problem.grids[h]) for h in {b.hall for b in result.booths}}
    booths = []
    for b in result.booths:
        e = by_id[b.exhibitor_id]
        entrance, walk = doors[b.hall].nearest(b.box)
        booths.append(
            Booth(
                booth_no=b.booth_no,
                hall=b.hall,
                exhibitor_id=b.exhibitor_id,
                name_ko=e.name_ko,
                name_en=e.name_en,
                kind=e.kind.value,
                country=e.country,
                tier=e.tier,
                booth_type=_booth_type(b.open_sides),
                polygon=_box_ring(b.box),
                area_m2=round(b.modules * module**2, 3),
                modules=b.modules,
                size_m=(round(b.box[2] - b.box[0], 3), round(b.box[3] - b.box[1], 3)),
                open_sides=b.open_sides,
                zone=b.zone,
                entrance=entrance,
                entrance_walk_m=walk,
            )
        )
    return Assignment(
        event=event.name,
        event_ko=event.name_ko,
        dates=(
            Dates(start=event.dates[0].isoformat(), end=event.dates[1].isoformat())
            if event.dates
            else None
        ),
        venue=event.venue.id,
        module_m=module,
        anchor=_anchor(event.venue.anchor),
        # The solver's own figures, those the model names.
        solver=SolverRun.model_validate({k: summary[k] for k in SolverRun.model_fields}),
        halls=tuple(
            Hall(
                id=h,
                level=problem.grids[h].hall.level,
                name=problem.grids[h].hall.name,
                name_ko=problem.grids[h].hall.name_ko,
                polygon=_ring(problem.grids[h].hall.outline),
            )
            for h in event.halls
        ),
        blocked=tuple(
            Blocked(hall=h, kind=b.kind, polygon=_ring(b.polygon))
            for h in event.halls
            for b in problem.grids[h].blocked
            if isinstance(b.polygon, Polygon) and not b.polygon.is_empty
        ),
        entrances=tuple(
            Entrance(
                id=_entrance_id(h, k, d.id),
                hall=h,
                at=(round(d.at[0], 3), round(d.at[1], 3)),
                width_m=d.width_m,
            )
            for h in event.halls
            for k, d in enumerate(problem.grids[h].hall.entrances)
        ),
        zones=tuple(
            Zone(
                id=z.id,
                name_ko=z.name_ko,
                name_en=z.name_en,
                area=tuple(
                    ZoneArea(
                        hall=problem.slots[k].hall,
                        polygon=_box_ring(
                            problem.slots[k].box(
                                0, 0, problem.slots[k].n_along, problem.slots[k].n_deep, module
                            )
                        ),
                    )
                    for k in result.zone_blocks.get(z.id, [])
                ),
            )
            for z in event.zones
        ),
        booths=tuple(booths),
        reserved=tuple(
            Reserved(
                id=r.area.id,
                kind=r.area.kind,
                hall=r.area.hall,
                name_ko=r.area.name_ko,
                name_en=r.area.name_en,
                polygon=_box_ring(r.box),
            )
            for r in result.reserved
            if r.box is not None
        ),
        unplaced=tuple(
            Unplaced(
                exhibitor_id=e,
                name_ko=by_id[e].name_ko,
                name_en=by_id[e].name_en,
                kind=by_id[e].kind.value,
                country=by_id[e].country,
                tier=by_id[e].tier,
                reason=why,
            )
            for e, why in result.unplaced
        ),
        conflicts=tuple(result.conflicts),
        utilization=utilization(event, problem, result),
    )


def assignment_dict(event: Event, problem: Problem, result: Result) -> dict[str, Any]:
    """Return the assignment file's content for a solved event, as JSON data.

    For callers that edit the data or index it by key (the solver's tests, the benchmarks);
    everything else takes the :class:`~boothopt.contract.Assignment` of
    :func:`build_assignment`.
    """
    return assignment_data(build_assignment(event, problem, result))


def _anchor(anchor: GeoAnchor | None) -> Anchor | None:
    """Return the venue's anchor on the earth as written in the assignment file."""
    if anchor is None:
        return None
    return Anchor(
        lon=anchor.lon,
        lat=anchor.lat,
        bearing_deg=anchor.bearing_deg,
        origin_m=(round(anchor.origin[0], 3), round(anchor.origin[1], 3)),
    )


class _DoorFinder:
    """The nearest entrance by walking of a hall's cells, computed once per hall."""

    def __init__(self, grid: HallGrid) -> None:
        self.boxes = grid.cell_boxes
        self.index, self.walk = nearest_entrances(grid)
        # Unnamed doors get the id the assignment's entrance list gives them.
        self.ids = [_entrance_id(grid.hall.id, k, d.id) for k, d in enumerate(grid.hall.entrances)]

    def nearest(self, box: tuple[float, float, float, float]) -> tuple[str | None, float | None]:
        """Return the entrance nearest to any cell of the booth ``box``, and the walk to it.

        Both are None when no cell of the booth reaches an entrance.
        """
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
            return None, None
        best = int(cells[np.argmin(self.walk[cells])])  # the first cell on a tie: deterministic
        return self.ids[int(self.index[best])], round(float(self.walk[best]), 1)


def _entrance_id(hall: str, k: int, door_id: str) -> str:
    """Return a door's id, or ``<hall>-entrance-<n>`` for a door the venue file left unnamed."""
    return door_id or f"{hall}-entrance-{k + 1}"


def _booth_type(open_sides: int) -> str:
    return {1: "inline", 2: "corner", 3: "peninsula", 4: "island"}.get(open_sides, "inline")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Return a cell value a spreadsheet will not run as a formula (text gets a leading ')."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
