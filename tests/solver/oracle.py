"""An independent search for what a layout left undone, by trying every booth rectangle.

Written from the rules, not the solver: an exhibitor left out is tried on every rectangle of the
booth grid with its size, and the assignment with that booth added is handed to the independent
validator. A rectangle that passes is a fillable free space; one that passes once a
lower-priority exhibitor's booth is taken away is a priority inversion. Slow (a validation per
rectangle), so for tiny events only.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from shapely.geometry import Polygon

from boothopt.floorplan import build_grid
from boothopt.inputs.domain import Event, Exhibitor
from tests.solver.validator import check_assignment


def draw_key(event: Event, e: Exhibitor) -> tuple[int, float, dt.date]:
    """Return the space draw's order, smaller first: tier, then points, then application date."""
    return (event.tiers.index(e.tier), -e.priority_points, e.applied_on or dt.date.max)


def rectangles(event: Event, e: Exhibitor) -> list[tuple[str, list[list[float]]]]:
    """Return every grid-aligned rectangle of the exhibitor's size: (hall, closed ring)."""
    module = event.scheme.module_m
    shapes = {(w, e.modules // w) for w in range(1, e.modules + 1) if e.modules % w == 0}
    if e.shape is not None:
        shapes = {e.shape, e.shape[::-1]} if e.rotatable else {e.shape}
    out = []
    for h in event.halls:
        grid = build_grid(event.venue.hall(h), event.scheme)
        corners = {(round(b[0], 6), round(b[1], 6)) for b in grid.cell_boxes}
        for x, y in sorted(corners):
            for w, d in sorted(shapes):
                x1, y1 = x + w * module, y + d * module
                ring = [[x, y], [x1, y], [x1, y1], [x, y1], [x, y]]
                out.append((h, ring))
    return out


def _with_booth(
    data: dict[str, Any], e: Exhibitor, hall: str, ring: list[list[float]], module: float
) -> dict[str, Any]:
    """Return a copy of the assignment with exhibitor ``e`` on rectangle ``ring``."""
    trial = copy.deepcopy(data)
    trial["unplaced"] = [u for u in trial["unplaced"] if u["exhibitor_id"] != e.id]
    zone = e.zone
    trial["booths"].append(
        {
            "booth_no": f"TRY-{e.id}",
            "hall": hall,
            "exhibitor_id": e.id,
            "polygon": ring,
            "area_m2": e.modules * module**2,
            "modules": e.modules,
            "size_m": [ring[2][0] - ring[0][0], ring[2][1] - ring[0][1]],
            "zone": zone,
        }
    )
    return trial


def undone(event: Event, data: dict[str, Any]) -> list[str]:
    """Return each fillable free space and priority inversion the layout leaves, in words."""
    module = event.scheme.module_m
    exhibitors = {e.id: e for e in event.exhibitors}
    out = []
    for u in data["unplaced"]:
        e = exhibitors[u["exhibitor_id"]]
        tries = rectangles(event, e)
        if any(not check_assignment(event, _with_booth(data, e, h, r, module)) for h, r in tries):
            out.append(f"{e.id} fits in a free space")
            continue
        lower = [
            b
            for b in data["booths"]
            if draw_key(event, exhibitors[b["exhibitor_id"]]) > draw_key(event, e)
        ]
        for b in lower:
            without = copy.deepcopy(data)
            without["booths"] = [x for x in without["booths"] if x != b]
            without["unplaced"].append({"exhibitor_id": b["exhibitor_id"], "reason": ""})
            theirs = Polygon(b["polygon"])
            if any(
                not check_assignment(event, _with_booth(without, e, h, r, module))
                for h, r in tries
                if h == b["hall"] and Polygon(r).intersection(theirs).area > 1e-6
            ):
                out.append(f"{e.id} fits where lower-priority {b['exhibitor_id']} stands")
                break
    return out
