"""An independent check of an assignment against the event: written from the rules, not the code.

It reads the assignment file's booths and the event's exhibitors, venue and grid cells, and
returns every breach it finds, in words. It shares no code with the solver.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
import shapely
from shapely.geometry import Polygon

from boothopt.floorplan import build_grid
from boothopt.inputs.domain import Event

# Booths facing each other across one aisle (at most a main aisle, 5 m) count as connected.
ACROSS_ONE_AISLE_M = 5.0 + 1e-6
SIDES = {"inline": 1, "corner": 2, "peninsula": 3, "island": 4, "any": 0}


def booth_polygon(b: dict[str, Any]) -> Polygon:
    """Return a booth's polygon from the assignment."""
    return Polygon(b["polygon"])


def open_sides(poly: Polygon, others: list[Polygon], hall: Polygon, module: float) -> int:
    """Count the sides whose strip outside (almost one module deep) is clear floor."""
    x0, y0, x1, y1 = poly.bounds
    depth = module * 0.95
    strips = [
        shapely.box(x0, y0 - depth, x1, y0),
        shapely.box(x0, y1, x1, y1 + depth),
        shapely.box(x0 - depth, y0, x0, y1),
        shapely.box(x1, y0, x1 + depth, y1),
    ]
    blockers = shapely.union_all(others) if others else Polygon()
    return sum(1 for s in strips if hall.contains(s) and s.intersection(blockers).area < 1e-6)


def check_assignment(event: Event, data: dict[str, Any]) -> list[str]:
    """Return every hard rule the assignment breaks (an empty list when it keeps them all)."""
    out: list[str] = []
    module = event.scheme.module_m
    exhibitors = {e.id: e for e in event.exhibitors}
    booths = data["booths"]
    polys = [booth_polygon(b) for b in booths]
    reserved = [Polygon(r["polygon"]) for r in data["reserved"]]
    # Every exhibitor at most once, every booth a known exhibitor.
    ids = [b["exhibitor_id"] for b in booths]
    if len(ids) != len(set(ids)):
        out.append("an exhibitor has two booths")
    if set(ids) - set(exhibitors):
        out.append("a booth belongs to no exhibitor")
    placed_or_not = set(ids) | {u["exhibitor_id"] for u in data["unplaced"]}
    if placed_or_not != set(exhibitors):
        out.append("some exhibitors are neither placed nor listed as unplaced")
    # No overlaps, booths and reserved areas alike.
    shapes = polys + reserved
    for a, b in itertools.combinations(range(len(shapes)), 2):
        if shapes[a].intersection(shapes[b]).area > 1e-6:
            out.append(
                f"overlap between {booths[a]['booth_no'] if a < len(booths) else 'reserved'}"
                f" and {booths[b]['booth_no'] if b < len(booths) else 'reserved'}"
            )
    # Inside the usable floor: on grid cells, in the hall, off obstacles and door clear zones.
    grids = {h: build_grid(event.venue.hall(h), event.scheme) for h in event.halls}
    floor = {h: shapely.union_all(g.cell_polygons()) for h, g in grids.items()}
    for b, poly in zip(booths, polys, strict=True):
        grid = grids[b["hall"]]
        hall = grid.hall
        if poly.difference(floor[b["hall"]]).area > 1e-6:
            out.append(f"{b['booth_no']} is not on the booth grid's cells")
        if not hall.outline.contains(poly):
            out.append(f"{b['booth_no']} is outside hall {hall.id}")
        for o in hall.obstacles:
            if poly.intersection(o.polygon).area > 1e-9:
                out.append(f"{b['booth_no']} stands on obstacle {o.id}")
        for door in hall.openings:
            clear = door.door.buffer(3.0, cap_style="flat").intersection(hall.outline)
            if poly.intersection(clear).area > 1e-9:
                out.append(f"{b['booth_no']} blocks door {door.id}")
        # Size and shape as requested.
        e = exhibitors[b["exhibitor_id"]]
        if abs(poly.area - e.modules * module**2) > 1e-6:
            out.append(f"{b['booth_no']} is {poly.area:g} m², {e.id} asked {e.modules} modules")
        w = round((poly.bounds[2] - poly.bounds[0]) / module)
        d = round((poly.bounds[3] - poly.bounds[1]) / module)
        if e.shape and (w, d) != e.shape and not (e.rotatable and (d, w) == e.shape):
            out.append(f"{b['booth_no']} is {w}x{d}, {e.id} asked {e.shape[0]}x{e.shape[1]}")
        # Needs met.
        load = hall.floor_load_t_m2.value if hall.floor_load_t_m2 else 0.0
        if e.needs.load_t_m2 > load:
            out.append(f"{e.id} needs {e.needs.load_t_m2} t/m², hall {hall.id} bears {load}")
        height = hall.ceiling_height_m.value if hall.ceiling_height_m else 0.0
        if e.needs.height_m > height:
            out.append(f"{e.id} needs {e.needs.height_m} m of height, hall {hall.id} has {height}")
        # Booth type: at least the open sides asked for.
        others = [p for p in shapes if p is not poly] + [o.polygon for o in hall.obstacles]
        sides = open_sides(poly, others, hall.outline, module)
        if sides < SIDES[e.booth_type.value]:
            out.append(f"{b['booth_no']} has {sides} open sides, {e.id} asked {e.booth_type.value}")
        if event.scheme.kind == "rows" and sides < 1:
            out.append(f"{b['booth_no']} faces no aisle")
    # Competitors apart, edge to edge.
    where = {b["exhibitor_id"]: (poly, b["hall"]) for b, poly in zip(booths, polys, strict=True)}
    for e in event.exhibitors:
        for other, metres in e.avoid:
            if e.id in where and other in where:
                (pa, ha), (pb, hb) = where[e.id], where[other]
                if ha == hb and pa.distance(pb) < metres - 1e-6:
                    out.append(
                        f"{e.id} and {other} are {pa.distance(pb):.1f} m apart "
                        f"(at least {metres} m)"
                    )
    # Zones: members connected (touching or facing across one aisle), in the zone's hall.
    for z in event.zones:
        members = [e.id for e in event.exhibitors if e.zone == z.id and e.id in where]
        if z.hall:
            out += [
                f"{m} of zone {z.id} is outside hall {z.hall}"
                for m in members
                if where[m][1] != z.hall
            ]
        if z.contiguous and len(members) > 1:
            g = nx.Graph()
            g.add_nodes_from(members)
            for a, b in itertools.combinations(members, 2):
                (pa, ha), (pb, hb) = where[a], where[b]
                if ha == hb and pa.distance(pb) <= ACROSS_ONE_AISLE_M:
                    g.add_edge(a, b)
            parts = nx.number_connected_components(g)
            if parts > 1:
                out.append(f"zone {z.id} is in {parts} separate pieces")
    return out
