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

from boothopt.floorplan import Block, build_grid
from boothopt.inputs.domain import Event

SIDES = {"inline": 1, "corner": 2, "peninsula": 3, "island": 4, "any": 0}


def booth_polygon(b: dict[str, Any]) -> Polygon:
    """Return a booth's polygon from the assignment."""
    return Polygon(b["polygon"])


def side_strips(poly: Polygon, depth: float) -> list[Polygon]:
    """Return the strips ``depth`` deep outside a rectangle's four sides."""
    x0, y0, x1, y1 = poly.bounds
    return [
        shapely.box(x0, y0 - depth, x1, y0),
        shapely.box(x0, y1, x1, y1 + depth),
        shapely.box(x0 - depth, y0, x0, y1),
        shapely.box(x1, y0, x1 + depth, y1),
    ]


def open_sides(
    poly: Polygon, others: list[Polygon], obstacles: list[Polygon], hall: Polygon, module: float
) -> int:
    """Count the sides whose strip outside (almost one module deep) is walkable floor.

    Any booth or reserved area in the strip closes the side; an obstacle closes it only when it
    fills most of the strip (a column standing in an aisle does not close the aisle).
    """
    strips = side_strips(poly, module * 0.95)
    blockers = shapely.union_all(others) if others else Polygon()
    solid = shapely.union_all(obstacles) if obstacles else Polygon()
    return sum(
        1
        for s in strips
        if hall.contains(s)
        and s.intersection(blockers).area < 1e-6
        and s.intersection(solid).area < 0.5 * s.area
    )


def block_area(block: Block, module: float) -> Polygon:
    """Return the rectangle a block of the booth grid covers; aisles run around it."""
    x0, y0 = block.origin
    along, deep = block.n_along * module, block.n_deep * module
    if block.axis == "x":
        return shapely.box(x0, y0, x0 + along, y0 + deep)
    return shapely.box(x0, y0, x0 + deep, y0 + along)


def aisle_sides(poly: Polygon, rows: Polygon, module: float) -> int:
    """Count the sides that face an aisle: a thin strip outside them lies off every block.

    A side facing an empty module of its block is not counted: that module may be let later.
    """
    strips = side_strips(poly, module * 0.1)
    return sum(1 for s in strips if s.intersection(rows).area < 1e-6)


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
    # No overlaps within a hall, booths and reserved areas alike (halls on different levels
    # may lie one above the other).
    shapes = polys + reserved
    halls = [b["hall"] for b in booths] + [r["hall"] for r in data["reserved"]]
    names = [b["booth_no"] for b in booths] + [r["id"] for r in data["reserved"]]
    for a, b in itertools.combinations(range(len(shapes)), 2):
        if halls[a] == halls[b] and shapes[a].intersection(shapes[b]).area > 1e-6:
            out.append(f"overlap between {names[a]} and {names[b]}")
    # Inside the usable floor: on grid cells, in the hall, off obstacles and door clear zones.
    grids = {h: build_grid(event.venue.hall(h), event.scheme) for h in event.halls}
    floor = {h: shapely.union_all(g.cell_polygons()) for h, g in grids.items()}
    rows = {
        h: shapely.union_all([block_area(k, module) for k in g.blocks]) for h, g in grids.items()
    }
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
        # Power within reach, edge to edge, of one of the hall's own power points (a hall with
        # none is a reported conflict, not a breach).
        power = [
            shapely.Point(u.at) for u in event.venue.hall(b["hall"]).utilities if u.kind == "power"
        ]
        if e.needs.power_kw > 0 and power:
            gap = min(poly.distance(p) for p in power)
            if gap > event.power_reach_m + 1e-6:
                out.append(
                    f"{b['booth_no']} of {e.id} is {gap:.1f} m from a power point "
                    f"(at most {event.power_reach_m:g} m)"
                )
        # Booth type: at least the open sides asked for and, unless the exhibitor asked for that
        # type or better (corner+) or any, no more aisles than asked: an inline booth at a row's
        # end would be a corner given away.
        asked = SIDES[e.booth_type.value]
        label = e.booth_type.value + ("+" if e.booth_type_or_better else "")
        others = [p for p, h in zip(shapes, halls, strict=True) if p is not poly and h == b["hall"]]
        obstacles = [o.polygon for o in hall.obstacles]
        sides = open_sides(poly, others, obstacles, hall.outline, module)
        if sides < asked:
            out.append(f"{b['booth_no']} has {sides} open sides, {e.id} asked {label}")
        on_aisles = aisle_sides(poly, rows[b["hall"]], module)
        exact = e.booth_type.value != "any" and not e.booth_type_or_better
        if exact and on_aisles > asked:
            out.append(f"{b['booth_no']} faces {on_aisles} aisles, {e.id} asked {label} ({asked})")
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
    # Zones: each zone's area is one connected piece of floor (its blocks touch or face each
    # other across one aisle, at most the widest aisle of the scheme), in the zone's hall; its
    # members stand inside it, nobody else does.
    scheme = event.scheme
    across_one_aisle = max(scheme.side_aisle_m, scheme.cross_aisle_m, scheme.main_aisle_m) + 1e-6
    areas = {z["id"]: z.get("area", []) for z in data.get("zones", [])}
    for z in event.zones:
        members = [e.id for e in event.exhibitors if e.zone == z.id and e.id in where]
        pieces = [(Polygon(a["polygon"]), a["hall"]) for a in areas.get(z.id, [])]
        if members and not pieces:
            out.append(f"zone {z.id} has members but no area")
            continue
        if z.hall:
            out += [
                f"zone {z.id}: its area reaches into hall {h}" for _, h in pieces if h != z.hall
            ]
        g = nx.Graph()
        g.add_nodes_from(range(len(pieces)))
        for a, b in itertools.combinations(range(len(pieces)), 2):
            (pa, ha), (pb, hb) = pieces[a], pieces[b]
            if ha == hb and pa.distance(pb) <= across_one_aisle:
                g.add_edge(a, b)
        if z.contiguous and pieces and nx.number_connected_components(g) > 1:
            out.append(f"zone {z.id}'s area is in {nx.number_connected_components(g)} pieces")
        # Its booths form one group: each touches another or faces one across one aisle.
        booths = nx.Graph()
        booths.add_nodes_from(members)
        for a, b in itertools.combinations(members, 2):
            (pa, ha), (pb, hb) = where[a], where[b]
            if ha == hb and pa.distance(pb) <= across_one_aisle:
                booths.add_edge(a, b)
        if z.contiguous and members and nx.number_connected_components(booths) > 1:
            groups = nx.number_connected_components(booths)
            out.append(f"zone {z.id}'s booths stand in {groups} groups")
        for ident, (poly, hall) in where.items():
            inside = any(h == hall and poly.difference(p).area < 1e-6 for p, h in pieces)
            overlaps = any(h == hall and poly.intersection(p).area > 1e-6 for p, h in pieces)
            if ident in members and not inside:
                out.append(f"{ident} of zone {z.id} stands outside the zone's area")
            if ident not in members and overlaps:
                out.append(f"{ident} stands in zone {z.id}'s area without belonging to it")
    return out
