"""Check a layout, allocated or edited by hand, against every hard rule.

This checker reads only the assignment file and, when given, the event; it shares nothing with
the solver's model, so it can judge the solver's answer as well as a floor manager's hand edit.
`boothopt check` prints what it finds, `boothopt export` runs it before writing anything, and
the tests judge every assignment they make with it.

Two levels:

- :func:`check_geometry` needs the assignment file alone: every booth a rectangle of whole modules
  whose area matches its size, inside its hall, off blocked floor (exit clear zones, columns),
  overlapping no other booth or reserved area, and each exhibitor once.
- :func:`check_layout` adds the event: booths on the booth grid (never in an aisle), sizes, shapes
  and booth types as the exhibitor table asks now, floor load, height and power, competitors
  apart, zones in one connected piece with their members inside, the reserved areas, the fire
  rules of the event's aisle scheme, and who is missing from the layout or no longer in the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import shapely
from shapely.geometry import Polygon
from shapely.strtree import STRtree

from boothopt.contract import Assignment, Booth, BreachRecord, parse_assignment

if TYPE_CHECKING:
    from boothopt.floorplan.grid import Block
    from boothopt.inputs.domain import Event

TOL = 1e-6  # m² of overlap that counts as touching, not overlapping
DOOR_CLEAR_M = 3.0  # floor kept clear in front of a door, as the booth grid keeps it
SIDES = {"inline": 1, "corner": 2, "peninsula": 3, "island": 4, "any": 0}

#: Rule name -> what it says, for `boothopt check --help` and the README.
RULES: dict[str, str] = {
    "shape": "a booth is a rectangle of whole modules",
    "area": "a booth's area matches its size and module count",
    "outside": "a booth stands inside its hall",
    "blocked": "a booth keeps off blocked floor (exit clear zones, columns, fixed obstacles)",
    "overlap": "no two booths or reserved areas overlap",
    "twice": "an exhibitor has one booth at most",
    "grid": "a booth stands on the booth grid, never in an aisle",
    "size": "a booth has the size and shape the exhibitor table asks for",
    "booth-type": "a booth has the open sides its booth type asks for, and no more unless allowed",
    "needs": "the hall bears the booth's floor load and height; power within reach",
    "competitors": "competitors stand at least their distance apart",
    "zone": "a zone's booths form one group inside its area, in its hall; nobody else inside",
    "reserved": "every reserved area of the event is on the floor, at its size",
    "fire": "the event's aisle scheme keeps the fire rules",
    "table": "the layout matches the exhibitor table: nobody missing, nobody gone",
}


@dataclass(frozen=True)
class Breach:
    """One hard rule a layout breaks, in a floor manager's words."""

    rule: str  # a key of RULES
    message: str
    booth: str | None = None  # booth number, when one booth is at fault
    hall: str | None = None
    where: tuple[float, float] | None = None  # a point to mark on the plan

    def as_dict(self) -> dict[str, Any]:
        """Return the breach as JSON-ready data."""
        return {
            "rule": self.rule,
            "booth": self.booth,
            "hall": self.hall,
            "where": list(self.where) if self.where else None,
            "message": self.message,
        }

    def line(self) -> str:
        """Return the breach as one line: ``booth C-214: overlap: …``."""
        who = f"booth {self.booth}: " if self.booth else ""
        return f"{who}{self.rule}: {self.message}"

    def record(self) -> BreachRecord:
        """Return the breach as the assignment file records it (see ``breaches`` there)."""
        return BreachRecord(
            rule=self.rule, booth=self.booth, hall=self.hall, where=self.where, message=self.message
        )


def _centre(poly: Polygon) -> tuple[float, float]:
    c = poly.centroid
    return (round(c.x, 2), round(c.y, 2))


def _is_box(poly: Polygon) -> bool:
    return bool(poly.is_valid and abs(poly.area - poly.envelope.area) < TOL and poly.area > 0)


def check_geometry(doc: Assignment | Mapping[str, Any]) -> list[Breach]:
    """Return the breaches that the assignment file shows by itself (see the module docstring).

    ``doc`` is an assignment read by :func:`boothopt.contract.read_assignment`, or its content
    as data, checked first (:func:`boothopt.contract.parse_assignment`).
    """
    doc = parse_assignment(doc)
    out: list[Breach] = []
    module = doc.module_m
    halls = {h.id: Polygon(h.polygon) for h in doc.halls}
    booths = doc.booths
    polys = [Polygon(b.polygon) for b in booths]
    seen: dict[str, str] = {}
    for b, poly in zip(booths, polys, strict=True):
        no, hall = b.booth_no, b.hall

        def add(rule: str, message: str, no: str = no, hall: str = hall, p: Polygon = poly) -> None:
            out.append(Breach(rule, message, no, hall, _centre(p) if p.is_valid else None))

        if b.exhibitor_id in seen:
            add("twice", f"{b.exhibitor_id} also has booth {seen[b.exhibitor_id]}")
        seen.setdefault(b.exhibitor_id, no)
        if not _is_box(poly):
            add("shape", "its polygon is not a rectangle — booths are rectangles of modules")
            continue
        x0, y0, x1, y1 = poly.bounds
        w, d = (x1 - x0) / module, (y1 - y0) / module
        if abs(w - round(w)) > 1e-3 or abs(d - round(d)) > 1e-3:
            add("shape", f"{x1 - x0:g} x {y1 - y0:g} m is not whole {module:g} m modules")
        modules_m2 = b.modules * module**2
        size = b.size_m[0] * b.size_m[1]
        for what, value in (
            ("its area_m2", b.area_m2),
            (f"{b.modules} modules", modules_m2),
            (f"its size_m {b.size_m[0]:g} x {b.size_m[1]:g}", size),
        ):
            if abs(poly.area - value) > 0.01:
                add("area", f"the polygon covers {poly.area:g} m², {what} says {value:g} m²")
                break
        if not halls[hall].buffer(TOL).contains(poly):
            add("outside", f"it reaches outside hall {hall}")
    shapes = polys + [Polygon(r.polygon) for r in doc.reserved]
    names = [b.booth_no for b in booths] + [f"reserved area {r.id}" for r in doc.reserved]
    on_hall = [b.hall for b in booths] + [r.hall for r in doc.reserved]
    for i, j in _touching_pairs(shapes):
        if on_hall[i] == on_hall[j]:
            inter = shapes[i].intersection(shapes[j])
            if inter.area > TOL:
                who = names[i] if i < len(booths) else None
                where = _centre(inter) if inter.geom_type == "Polygon" else None
                other = names[j] if j >= len(booths) else f"booth {names[j]}"
                if who is None:  # two reserved areas
                    who, other = None, f"{names[i]} overlaps {names[j]}"
                    out.append(Breach("overlap", other, None, on_hall[i], where))
                    continue
                out.append(
                    Breach(
                        "overlap",
                        f"it overlaps {other} by {inter.area:g} m²",
                        who,
                        on_hall[i],
                        where,
                    )
                )
    blocked = [(Polygon(k.polygon), k.hall, k.kind) for k in doc.blocked]
    tree = STRtree([p for p, _, _ in blocked]) if blocked else None
    for b, poly in zip(booths, polys, strict=True):
        if tree is None or not poly.is_valid:
            continue
        for k in tree.query(poly):
            area, hall, kind = blocked[int(k)]
            if hall == b.hall and poly.intersection(area).area > TOL:
                words = kind.replace("_", " ")
                out.append(
                    Breach(
                        "blocked",
                        f"it stands on blocked floor ({words})",
                        b.booth_no,
                        hall,
                        _centre(poly.intersection(area)),
                    )
                )
                break
    return out


def _touching_pairs(shapes: list[Polygon]) -> Iterable[tuple[int, int]]:
    """Yield each pair (i < j) of shapes whose bounding boxes meet."""
    valid = [s if s.is_valid else s.envelope for s in shapes]
    if not valid:
        return
    tree = STRtree(valid)
    left, right = tree.query(valid, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j:
            yield i, j


def check_layout(doc: Assignment | Mapping[str, Any], event: Event) -> list[Breach]:
    """Return every hard rule the layout breaks against ``event`` (its tables as they are now).

    The geometry of :func:`check_geometry` first, then the rules that need the event.
    """
    from boothopt.floorplan import build_grid

    doc = parse_assignment(doc)
    out = check_geometry(doc)
    module = event.scheme.module_m
    if abs(doc.module_m - module) > 1e-9:
        out.append(
            Breach(
                "grid",
                f"the layout uses {doc.module_m:g} m modules, the event "
                f"{module:g} m — re-run `boothopt allocate`",
            )
        )
        return out
    rented = set(event.halls)
    booths = [b for b in doc.booths if b.hall in rented]
    for b in doc.booths:
        if b.hall not in rented:
            out.append(
                Breach(
                    "outside",
                    f"hall {b.hall} is not rented for this event",
                    b.booth_no,
                    b.hall,
                )
            )
    out += _table_breaches(doc, event)
    exhibitors = {e.id: e for e in event.exhibitors}
    polys = {b.booth_no: Polygon(b.polygon) for b in booths}
    grids = {
        h: build_grid(event.venue.hall(h), event.scheme) for h in sorted({b.hall for b in booths})
    }
    floor = {h: shapely.union_all(g.cell_polygons()) for h, g in grids.items()}
    rows = {
        h: shapely.union_all([_block_area(k, module) for k in g.blocks]) for h, g in grids.items()
    }
    reserved = [(Polygon(r.polygon), r.hall) for r in doc.reserved]
    by_hall: dict[str, list[Polygon]] = {}
    for b in booths:
        by_hall.setdefault(b.hall, []).append(polys[b.booth_no])
    for p, h in reserved:
        by_hall.setdefault(h, []).append(p)
    trees = {h: (STRtree(ps), ps) for h, ps in by_hall.items()}
    for b in booths:
        poly, hall_id, no = polys[b.booth_no], b.hall, b.booth_no
        if not _is_box(poly):
            continue  # reported by the geometry check
        hall = grids[hall_id].hall

        def add(
            rule: str, message: str, no: str = no, hall: str = hall_id, p: Polygon = poly
        ) -> None:
            out.append(Breach(rule, message, no, hall, _centre(p)))

        if poly.difference(floor[hall_id]).area > TOL:
            add(
                "grid",
                "it is not on the booth grid's modules (it reaches into an aisle or a clear zone)",
            )
        for o in hall.obstacles:
            if poly.intersection(o.polygon).area > 1e-9:
                add("blocked", f"it stands on obstacle {o.id}")
        for door in hall.openings:
            clear = door.door.buffer(DOOR_CLEAR_M, cap_style="flat").intersection(hall.outline)
            if poly.intersection(clear).area > 1e-9:
                add("blocked", f"it blocks door {door.id}'s clear zone")
        e = exhibitors.get(b.exhibitor_id)
        if e is None:
            continue  # reported with the table
        if abs(poly.area - e.modules * module**2) > TOL:
            add(
                "size",
                f"{poly.area:g} m², but {e.id} asks for {e.modules} module{'s' * (e.modules != 1)} "
                f"({e.modules * module**2:g} m²)",
            )
        w = round((poly.bounds[2] - poly.bounds[0]) / module)
        d = round((poly.bounds[3] - poly.bounds[1]) / module)
        if e.shape and (w, d) != e.shape and not (e.rotatable and (d, w) == e.shape):
            add("size", f"{w}x{d} modules, but {e.id} asks for {e.shape[0]}x{e.shape[1]}")
        load = hall.floor_load_t_m2.value if hall.floor_load_t_m2 else 0.0
        if e.needs.load_t_m2 > load:
            add("needs", f"{e.id} needs {e.needs.load_t_m2:g} t/m², hall {hall_id} bears {load:g}")
        height = hall.ceiling_height_m.value if hall.ceiling_height_m else 0.0
        if e.needs.height_m > height:
            add(
                "needs",
                f"{e.id} needs {e.needs.height_m:g} m of height, hall {hall_id} has {height:g} m",
            )
        power = [shapely.Point(u.at) for u in hall.utilities if u.kind == "power"]
        if e.needs.power_kw > 0 and power:
            gap = min(poly.distance(p) for p in power)
            if gap > event.power_reach_m + 1e-6:
                add(
                    "needs",
                    f"{e.id} needs power; the nearest power point is {gap:.1f} m "
                    f"away (at most {event.power_reach_m:g} m)",
                )
        tree, shapes = trees[hall_id]
        near = [shapes[int(k)] for k in tree.query(poly.buffer(module))]
        others = [p for p in near if not p.equals(poly)]
        asked = SIDES[e.booth_type.value]
        label = e.booth_type.value + ("+" if e.booth_type_or_better else "")
        sides = _open_sides(poly, others, [o.polygon for o in hall.obstacles], hall.outline, module)
        if sides < asked:
            add(
                "booth-type",
                f"{sides} open side{'s' if sides != 1 else ''}, but {e.id} asks for {label}",
            )
        exact = e.booth_type.value != "any" and not e.booth_type_or_better
        on_aisles = _aisle_sides(poly, rows[hall_id], module)
        if exact and on_aisles > asked:
            add(
                "booth-type",
                f"it faces {on_aisles} aisles, but {e.id} asks for {label} "
                f"({asked}) — a wider booth type is given away",
            )
        if event.scheme.kind == "rows" and sides < 1:
            add("booth-type", "it faces no aisle")
    out += _competitor_breaches(booths, polys, event)
    out += _zone_breaches(doc, booths, polys, event)
    out += _reserved_breaches(doc, event)
    out += [
        Breach("fire", b.message, None, b.hall, b.where)
        for b in getattr(event, "layout_breaches", ())
    ]
    return out


def _table_breaches(doc: Assignment, event: Event) -> list[Breach]:
    """Who holds a booth but is no longer in the table, and who is in it but not in the layout."""
    out = []
    table = {e.id for e in event.exhibitors}
    listed = {u.exhibitor_id for u in doc.unplaced}
    placed = {b.exhibitor_id: b.booth_no for b in doc.booths}
    for ident, no in placed.items():
        if ident not in table:
            out.append(
                Breach(
                    "table",
                    f"{ident} holds it but is no longer in the exhibitor table "
                    "(cancelled?) — re-plan with `boothopt reallocate`",
                    no,
                )
            )
    for ident in sorted(table - set(placed) - listed):
        out.append(
            Breach(
                "table",
                f"{ident} is in the exhibitor table but neither has a booth nor is "
                "listed as unplaced (a late entry?) — re-plan with `boothopt reallocate`",
            )
        )
    return out


def _competitor_breaches(
    booths: list[Booth], polys: dict[str, Polygon], event: Event
) -> list[Breach]:
    out = []
    where = {b.exhibitor_id: (polys[b.booth_no], b.hall, b.booth_no) for b in booths}
    done: set[frozenset[str]] = set()
    for e in event.exhibitors:
        for other, metres in e.avoid:
            pair = frozenset((e.id, other))
            if e.id in where and other in where and pair not in done:
                done.add(pair)
                (pa, ha, na), (pb, hb, nb) = where[e.id], where[other]
                gap = pa.distance(pb)
                if ha == hb and gap < metres - 1e-6:
                    out.append(
                        Breach(
                            "competitors",
                            f"{e.id} and its competitor {other} (booth {nb}) "
                            f"stand {gap:.1f} m apart, at least {metres:g} m asked",
                            na,
                            ha,
                            _centre(pa),
                        )
                    )
    return out


def _zone_breaches(
    doc: Assignment, booths: list[Booth], polys: dict[str, Polygon], event: Event
) -> list[Breach]:
    """Each zone's area in one piece in its hall, its booths one group inside it, nobody else."""
    out: list[Breach] = []
    scheme = event.scheme
    # Neighbours face each other across one aisle at most: the scheme's widest aisle.
    across = max(scheme.side_aisle_m, scheme.cross_aisle_m, scheme.main_aisle_m) + 1e-6
    areas = {z.id: z.area for z in doc.zones}
    where = {b.exhibitor_id: (polys[b.booth_no], b.hall, b.booth_no) for b in booths}
    zone_of = {e.id: e.zone for e in event.exhibitors}
    for z in event.zones:
        members = sorted(i for i in where if zone_of.get(i) == z.id)
        pieces = [(Polygon(a.polygon), a.hall) for a in areas.get(z.id, ())]
        if members and not pieces:
            out.append(Breach("zone", f"zone {z.id} has {len(members)} booths but no area"))
            continue
        if z.hall:
            for _, h in pieces:
                if h != z.hall:
                    out.append(
                        Breach(
                            "zone",
                            f"zone {z.id}'s area reaches into hall {h}, its hall is {z.hall}",
                            None,
                            h,
                        )
                    )
                    break
        if z.contiguous:
            n = _groups([(p, h) for p, h in pieces], across)
            if n > 1:
                out.append(
                    Breach(
                        "zone",
                        f"zone {z.id}'s area is in {n} pieces that neither "
                        "touch nor face each other across one aisle",
                    )
                )
            groups = _groups([where[i][:2] for i in members], across)
            if groups > 1:
                out.append(
                    Breach(
                        "zone",
                        f"zone {z.id}'s booths stand in {groups} groups that "
                        "neither touch nor face each other across one aisle",
                    )
                )
        for ident in members:
            poly, hall, no = where[ident]
            if not any(h == hall and poly.difference(p).area < TOL for p, h in pieces):
                out.append(
                    Breach(
                        "zone",
                        f"{ident} of zone {z.id} stands outside the zone's area",
                        no,
                        hall,
                        _centre(poly),
                    )
                )
    owner = {z: [(Polygon(a.polygon), a.hall) for a in v] for z, v in areas.items()}
    for ident, (poly, hall, no) in where.items():
        for zone_id, pieces in owner.items():
            if zone_of.get(ident) != zone_id and any(
                h == hall and poly.intersection(p).area > TOL for p, h in pieces
            ):
                out.append(
                    Breach(
                        "zone",
                        f"{ident} stands in zone {zone_id}'s area without belonging to it",
                        no,
                        hall,
                        _centre(poly),
                    )
                )
    return out


def _groups(shapes: list[tuple[Polygon, str]], across: float) -> int:
    """Count the groups of shapes that touch or face each other across ``across`` metres."""
    g = nx.Graph()
    g.add_nodes_from(range(len(shapes)))
    if shapes:
        tree = STRtree([p for p, _ in shapes])
        for a, (p, h) in enumerate(shapes):
            for k in tree.query(p, predicate="dwithin", distance=across):
                b = int(k)
                if b > a and shapes[b][1] == h:
                    g.add_edge(a, b)
    return int(nx.number_connected_components(g))


def _reserved_breaches(doc: Assignment, event: Event) -> list[Breach]:
    """Every reserved area of the event on the floor, at its size and, when fixed, its place."""
    out = []
    placed = {r.id: r for r in doc.reserved}
    for r in event.reserved:
        got = placed.get(r.id)
        if got is None:
            out.append(
                Breach(
                    "reserved", f"reserved area {r.id} ({r.kind}) is not on the floor", None, r.hall
                )
            )
            continue
        poly = Polygon(got.polygon)
        x0, y0, x1, y1 = poly.bounds
        size = sorted((round(x1 - x0, 2), round(y1 - y0, 2)))
        if size != sorted((round(r.size_m[0], 2), round(r.size_m[1], 2))):
            out.append(
                Breach(
                    "reserved",
                    f"reserved area {r.id} is {x1 - x0:g} x {y1 - y0:g} m,"
                    f" the event asks {r.size_m[0]:g} x {r.size_m[1]:g} m",
                    None,
                    got.hall,
                    _centre(poly),
                )
            )
        if got.hall != r.hall:
            out.append(
                Breach(
                    "reserved",
                    f"reserved area {r.id} is in hall {got.hall}, "
                    f"the event puts it in hall {r.hall}",
                    None,
                    got.hall,
                )
            )
        elif r.at is not None and (abs(x0 - r.at[0]) > 0.01 or abs(y0 - r.at[1]) > 0.01):
            out.append(
                Breach(
                    "reserved",
                    f"reserved area {r.id} has moved from "
                    f"({r.at[0]:g}, {r.at[1]:g}), where the event fixes it",
                    None,
                    r.hall,
                    _centre(poly),
                )
            )
    return out


def _block_area(block: Block, module: float) -> Polygon:
    """Return the rectangle a block of the booth grid covers; aisles run around it."""
    x0, y0 = block.origin
    along, deep = block.n_along * module, block.n_deep * module
    if block.axis == "x":
        return shapely.box(x0, y0, x0 + along, y0 + deep)
    return shapely.box(x0, y0, x0 + deep, y0 + along)


def _side_strips(poly: Polygon, depth: float) -> list[Polygon]:
    """Return the strips ``depth`` deep outside a rectangle's four sides."""
    x0, y0, x1, y1 = poly.bounds
    return [
        shapely.box(x0, y0 - depth, x1, y0),
        shapely.box(x0, y1, x1, y1 + depth),
        shapely.box(x0 - depth, y0, x0, y1),
        shapely.box(x1, y0, x1 + depth, y1),
    ]


def _open_sides(
    poly: Polygon, others: list[Polygon], obstacles: list[Polygon], hall: Polygon, module: float
) -> int:
    """Count the sides whose strip outside (almost one module deep) is walkable floor.

    Any booth or reserved area in the strip closes the side; an obstacle closes it only when it
    fills most of the strip (a column standing in an aisle does not close the aisle).
    """
    strips = _side_strips(poly, module * 0.95)
    blockers = shapely.union_all(others) if others else Polygon()
    solid = shapely.union_all(obstacles) if obstacles else Polygon()
    return sum(
        1
        for s in strips
        if hall.contains(s)
        and s.intersection(blockers).area < TOL
        and s.intersection(solid).area < 0.5 * s.area
    )


def _aisle_sides(poly: Polygon, rows: Polygon, module: float) -> int:
    """Count the sides that face an aisle: a thin strip outside them lies off every block.

    A side facing an empty module of its block is not counted: that module may be let later.
    """
    return sum(1 for s in _side_strips(poly, module * 0.1) if s.intersection(rows).area < TOL)


__all__ = ["RULES", "Breach", "check_geometry", "check_layout"]
