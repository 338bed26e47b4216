"""Read a venue from a CAD drawing (DXF): hall outlines, obstacles and doors on named layers.

``boothopt venues import plan.dxf --layers outline=HALL,obstacle=COLUMN,exit=EXIT`` turns a
venue drawing into a venue file (``schema: boothopt.venue/1``). Each layer named is given a role:

``outline``
    Each closed shape is a hall: a closed LWPOLYLINE or POLYLINE (its arcs and bulges flattened
    to within 2 mm), a CIRCLE, an ELLIPSE or closed SPLINE, or the closed shapes of a block
    INSERT. One TEXT, MTEXT or block attribute on the same layer inside the outline gives the
    hall's id; halls without one are numbered H1, H2, … from west to east (then south to north).
``obstacle`` (or ``column``), ``core``, ``stage``, ``wall``, ``other``
    Each closed shape is an obstacle of that kind (``obstacle`` is a column: booths stand clear
    of it and aisles pass it; the others also cut the aisles), cut to the hall it stands in.
``exit``, ``entrance``
    Each shape (a LINE across the opening, a door block, a polyline) is a door on the nearest
    hall wall, centred on the part of the shape that lies on the wall and as wide as it.

Halls on different levels share the same ground, so a layer's name may end in ``@LEVEL``:
``HALL@3F`` is layer ``HALL`` on level 3F, and its obstacles and doors are on ``COLUMN@3F``,
``EXIT@3F``. Layers without a level are on the default level (1F). Layer names match whatever
their case, as in CAD programs. Coordinates are turned into metres by the drawing's
``$INSUNITS``, or by the units given when the drawing has none (or a wrong one). Hatches,
dimensions, points and other entities are left out, and so are the entities of other layers.

Every fault is reported at once, each naming the file, the layer and the entity's handle (CAD
programs find an entity by it: ``LIST`` shows an entity's handle) and what to do. The venue
made is checked by the venue loader itself, so a file this returns always loads.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
import yaml
from ezdxf.lldxf.const import DXFError
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

from boothopt.errors import FileFault, InputError, VenueError
from boothopt.floorplan.venue_file import SCHEMA, UNITS_TO_M, parse_venue
from boothopt.limits import MAX_FILE_BYTES, printable, quoted, read_bytes

Pair = tuple[float, float]

LEVEL_SEP = "@"
DEFAULT_LEVEL = "1F"
#: Obstacle roles and the kind of obstacle each gives.
OBSTACLE_ROLES = {
    "obstacle": "column",
    "column": "column",
    "core": "core",
    "stage": "stage",
    "wall": "wall",
    "other": "other",
}
DOOR_ROLES = ("entrance", "exit")
ROLES = ("outline", *OBSTACLE_ROLES, *DOOR_ROLES)
#: The layers of each role when none are given, as ``venue_to_dxf`` writes them.
DEFAULT_LAYERS: dict[str, tuple[str, ...]] = {
    "outline": ("HALL",),
    "obstacle": ("COLUMN",),
    "core": ("CORE",),
    "stage": ("STAGE",),
    "wall": ("WALL",),
    "other": ("OBSTACLE",),
    "exit": ("EXIT",),
    "entrance": ("ENTRANCE",),
}
#: The layer an obstacle of each kind is drawn on.
KIND_LAYERS = {"column": "COLUMN", "core": "CORE", "stage": "STAGE", "wall": "WALL"}
KIND_LAYERS["other"] = "OBSTACLE"

FLATTEN_M = 0.002  # arcs, bulges and circles are flattened to within 2 mm
CLOSE_GAP_M = 0.001  # a polyline whose ends are this close is closed
DOOR_TOL_M = 0.5  # a door's shape touches the wall within this distance
MIN_DOOR_M = 0.1  # a door narrower than this along its wall is a drawing fault
MIN_AREA_M2 = 0.01  # an obstacle's part in a hall smaller than this is drawing noise
MAX_SHAPES = 200_000  # shapes read from one drawing, blocks expanded (nested blocks multiply)
MAX_BLOCK_DEPTH = 16
DECIMALS = 4  # 0.1 mm

SHAPE_TYPES = frozenset(
    ["LWPOLYLINE", "POLYLINE", "CIRCLE", "ELLIPSE", "SPLINE", "LINE", "ARC", "INSERT"]
)
TEXT_TYPES = frozenset(["TEXT", "MTEXT", "ATTRIB"])
BINARY_DXF = b"AutoCAD Binary DXF\r\n\x1a\x00"
DXF_FIX = "save it from your CAD program as DXF (AutoCAD 2000 or later, ASCII or binary)"


@dataclass(frozen=True)
class Where:
    """The entity a shape comes from, for messages: its layer, type and handle."""

    layer: str
    dxftype: str
    handle: str

    def __str__(self) -> str:
        return f"layer {printable(self.layer)}, {self.dxftype} {self.handle}"


@dataclass
class _Shape:
    """What one entity on a role's layer draws, in metres."""

    role: str
    level: str
    where: Where
    rings: list[list[Pair]] = field(default_factory=list)  # closed, first point repeated
    lines: list[list[Pair]] = field(default_factory=list)  # open


@dataclass(frozen=True)
class _Label:
    level: str
    where: Where
    text: str
    at: Pair


@dataclass
class _Hall:
    level: str
    where: Where
    outline: Polygon
    id: str = ""
    labels: list[_Label] = field(default_factory=list)
    obstacles: list[dict[str, Any]] = field(default_factory=list)
    doors: dict[str, list[tuple[Pair, float]]] = field(default_factory=dict)


def parse_layers(spec: str) -> dict[str, tuple[str, ...]]:
    """Return the layers of each role from ``outline=HALL,obstacle=COLUMN,…``.

    A role may be given more than once (``obstacle=COLUMN,obstacle=PILLAR``); a layer may have
    one role only. The outline role is needed.

    Raises
    ------
    InputError
        Naming the item at fault and the roles there are.

    Examples
    --------
    >>> parse_layers("outline=HALL, exit=EXIT,exit=FIRE-EXIT")
    {'outline': ('HALL',), 'exit': ('EXIT', 'FIRE-EXIT')}
    """
    out: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        role, eq, layer = (part.strip() for part in item.partition("="))
        role = role.lower()
        if not eq or not layer:
            raise InputError(
                f"--layers: {quoted(item.strip())} is not ROLE=LAYER — write e.g. "
                "outline=HALL,obstacle=COLUMN,exit=EXIT,entrance=ENTRANCE"
            )
        if role not in ROLES:
            raise InputError(
                f"--layers: unknown role {quoted(role)} — use one of {', '.join(ROLES)}"
            )
        if layer.upper() in owner and owner[layer.upper()] != role:
            raise InputError(
                f"--layers: layer {quoted(layer)} is given two roles ({owner[layer.upper()]} "
                f"and {role}) — give each layer one role"
            )
        owner[layer.upper()] = role
        out.setdefault(role, []).append(layer)
    if "outline" not in out:
        raise InputError(
            "--layers: no outline layer — name the layer of the hall outlines, e.g. outline=HALL"
        )
    return {role: tuple(layers) for role, layers in out.items()}


def import_dxf(
    path: str | Path,
    layers: Mapping[str, Sequence[str]] | None = None,
    units: str | None = None,
    *,
    venue_id: str | None = None,
    level: str = DEFAULT_LEVEL,
) -> dict[str, Any]:
    """Return the venue drawn in the DXF file ``path``, as a venue file's content.

    Parameters
    ----------
    layers
        The layers of each role (see :func:`parse_layers`); by default :data:`DEFAULT_LAYERS`.
    units
        The drawing's unit (``mm``, ``cm``, ``m`` or ``ft``), overriding its ``$INSUNITS``;
        needed when the drawing does not say its units.
    venue_id
        The venue's id; by default the file's name.
    level
        The level of the layers whose names give none.

    Raises
    ------
    VenueError
        With every fault found, each naming the file, the layer and the entity's handle.
    """
    source = str(path)
    drawing = read_drawing(Path(path))
    scale = drawing_scale(drawing, units, source)
    roles = _roles_by_layer(layers or DEFAULT_LAYERS)
    problems: list[str] = []
    shapes, labels = _collect(drawing, roles, scale, level, problems)
    if not any(s.role == "outline" for s in shapes) and not problems:
        raise VenueError(source, [_no_outline(drawing, roles)])
    halls = _halls(shapes, labels, problems)
    for shape in shapes:
        if shape.role in OBSTACLE_ROLES:
            _place_obstacle(shape, halls, problems)
        elif shape.role in DOOR_ROLES:
            _place_door(shape, halls, problems)
    if problems:
        raise VenueError(source, problems)
    raw = _venue_dict(halls, venue_id or _id_from_name(Path(path).stem), Path(path).name)
    _check(raw, halls, source)
    return raw


def read_drawing(path: Path) -> Any:
    """Return the DXF drawing (an ``ezdxf`` document) in the file ``path``, ASCII or binary.

    A damaged file is repaired where ezdxf can (``ezdxf.recover``).

    Raises
    ------
    VenueError
        When the file is missing, too large, a DWG, or no DXF drawing.
    """
    from ezdxf import recover
    from ezdxf.document import Drawing
    from ezdxf.lldxf.tagger import binary_tags_loader

    source = str(path)
    if not path.is_file():
        raise VenueError(source, ["file not found — check the path"])
    try:
        data = read_bytes(path, MAX_FILE_BYTES)
    except FileFault as fault:
        raise VenueError(source, [fault.what]) from None
    if data.startswith(b"AC10"):
        raise VenueError(source, [f"this is a DWG drawing, not DXF — {DXF_FIX}"])
    with _quiet_ezdxf():
        try:
            if data.startswith(BINARY_DXF):
                return Drawing.load(binary_tags_loader(data))
            drawing, _auditor = recover.read(io.BytesIO(data))
        except Exception as exc:  # ezdxf raises many kinds of error for a damaged file
            line = re.search(r"\bline (\d+)", str(exc))  # the message may quote the file
            reason = f"at line {line.group(1)}" if line else type(exc).__name__
            raise VenueError(
                source, [f"not a readable DXF drawing ({reason}) — {DXF_FIX}"]
            ) from None
    return drawing


@contextlib.contextmanager
def _quiet_ezdxf() -> Iterator[None]:
    """Keep ezdxf's warnings about a drawing it repairs off the terminal."""
    logger = logging.getLogger("ezdxf")
    level = logger.level
    logger.setLevel(logging.ERROR + 10)
    try:
        yield
    finally:
        logger.setLevel(level)


def drawing_scale(drawing: Any, units: str | None, source: str) -> float:
    """Return the metres in one drawing unit: of ``units`` when given, else of ``$INSUNITS``.

    Raises
    ------
    VenueError
        When ``units`` is unknown, or neither it nor the drawing gives the unit.
    """
    from ezdxf import units as dxf_units
    from ezdxf.enums import InsertUnits

    choices = ", ".join(UNITS_TO_M)
    if units is not None:
        if units not in UNITS_TO_M:
            raise VenueError(source, [f"unknown unit {quoted(units)} — use one of {choices}"])
        return UNITS_TO_M[units]
    code = drawing.header.get("$INSUNITS", 0)
    if not code:
        raise VenueError(
            source,
            [
                "the drawing does not say its units ($INSUNITS is 0, unitless) — give them "
                f"with --units (one of {choices}), e.g. --units mm"
            ],
        )
    try:
        return float(dxf_units.conversion_factor(InsertUnits(int(code)), InsertUnits.Meters))
    except (TypeError, ValueError, IndexError):
        name = dxf_units.unit_name(int(code)) if isinstance(code, int) else str(code)
        raise VenueError(
            source,
            [
                f"the drawing's units ($INSUNITS {printable(str(code))}, {name}) cannot be "
                f"turned into metres — give them with --units (one of {choices})"
            ],
        ) from None


def _roles_by_layer(layers: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {name.upper(): role for role, names in layers.items() for name in names}


def split_layer(layer: str, roles: Mapping[str, str], default_level: str) -> tuple[str, str]:
    """Return ``(role, level)`` of a layer's name (role "" when the layer has none).

    Examples
    --------
    >>> split_layer("hall@3F", {"HALL": "outline"}, "1F")
    ('outline', '3F')
    >>> split_layer("HALL", {"HALL": "outline"}, "1F"), split_layer("TEXT", {}, "1F")
    (('outline', '1F'), ('', '1F'))
    """
    if layer.upper() in roles:
        return roles[layer.upper()], default_level
    base, sep, level = layer.rpartition(LEVEL_SEP)
    if sep and level.strip() and base.upper() in roles:
        return roles[base.upper()], level.strip()
    return "", default_level


def _collect(
    drawing: Any,
    roles: Mapping[str, str],
    scale: float,
    default_level: str,
    problems: list[str],
) -> tuple[list[_Shape], list[_Label]]:
    """Return the shapes and labels of the modelspace's entities on the roles' layers."""
    shapes: list[_Shape] = []
    labels: list[_Label] = []
    budget = [MAX_SHAPES]
    for entity in drawing.modelspace():
        layer = str(entity.dxf.layer)
        role, level = split_layer(layer, roles, default_level)
        kind = entity.dxftype()
        if not role or (kind not in SHAPE_TYPES and kind not in TEXT_TYPES):
            continue
        where = Where(layer, kind, str(entity.dxf.handle))
        texts: list[Any] = []
        shape = _Shape(role, level, where)
        if kind in TEXT_TYPES:
            texts.append(entity)
        else:
            try:
                for piece in _pieces(entity, scale, budget, texts):
                    _add_piece(shape, piece, scale)
            except _TooMany:
                problems.append(
                    f"{where}: the drawing holds more than {MAX_SHAPES:,} shapes on the layers "
                    "read, blocks expanded — import a plan of the halls only"
                )
                return shapes, labels
            except (DXFError, TypeError, ValueError, ArithmeticError) as exc:
                problems.append(
                    f"{where}: cannot be read as a shape ({printable(str(exc), 80)}) — redraw "
                    "it as a closed polyline"
                )
                continue
            if shape.rings or shape.lines:
                shapes.append(shape)
        if role == "outline":
            labels += [_label(t, level, where, scale) for t in texts]
    return shapes, labels


class _TooMany(Exception):
    """The drawing holds more shapes than boothopt reads."""


def _pieces(entity: Any, scale: float, budget: list[int], texts: list[Any]) -> Iterator[list[Pair]]:
    """Yield the flattened point lists (drawing units) of an entity, blocks expanded.

    Texts met inside blocks are added to ``texts``.
    """
    from ezdxf.path import make_path

    stack: list[tuple[Any, int]] = [(entity, 0)]
    while stack:
        item, depth = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooMany
        kind = item.dxftype()
        if kind == "INSERT":
            if depth >= MAX_BLOCK_DEPTH:
                raise ValueError(f"blocks nested more than {MAX_BLOCK_DEPTH} deep")
            if item.mcount > budget[0]:  # a MINSERT's rows and columns, each one insert
                raise _TooMany
            inserts = list(item.multi_insert()) if item.mcount > 1 else [item]
            for insert in inserts:
                texts += list(insert.attribs)
                stack += [(v, depth + 1) for v in insert.virtual_entities()]
        elif kind in TEXT_TYPES:
            texts.append(item)
        elif kind in SHAPE_TYPES:
            path = make_path(item)
            points = [(v.x, v.y) for v in path.flattening(FLATTEN_M / scale)]
            if len(points) >= 2:
                yield points


def _add_piece(shape: _Shape, piece: list[Pair], scale: float) -> None:
    points = [(x * scale, y * scale) for x, y in piece]
    if len(points) >= 3 and math.dist(points[0], points[-1]) <= CLOSE_GAP_M:
        shape.rings.append([*points[:-1], points[0]])
    else:
        shape.lines.append(points)


def _label(entity: Any, level: str, where: Where, scale: float) -> _Label:
    """Return the text of a TEXT, MTEXT or ATTRIB and where it stands, in metres."""
    text = str(entity.plain_text())
    if entity.dxftype() == "MTEXT":
        at = entity.dxf.insert  # in world coordinates
    else:
        _align, point, _second = entity.get_placement()  # the point the text is aligned on
        at = entity.ocs().to_wcs(point)
    clean = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return _Label(level, where, clean, (at.x * scale, at.y * scale))


def _no_outline(drawing: Any, roles: Mapping[str, str]) -> str:
    wanted = sorted(name for name, role in roles.items() if role == "outline")
    found = sorted({str(e.dxf.layer) for e in drawing.modelspace()})
    if not found:
        return "the drawing holds no entities — check it is the venue's drawing"
    listed = ", ".join(printable(name, 30) for name in found[:30])
    more = f" and {len(found) - 30} more" if len(found) > 30 else ""
    return (
        f"no closed shape on the outline layer {', '.join(wanted)} — the drawing's layers "
        f"are {listed}{more}; name the hall outlines' layer with --layers outline=LAYER"
    )


def _polygons(shape: _Shape, problems: list[str], what: str) -> list[Polygon]:
    """Return the closed shapes of an entity as polygons, reporting open or crossed ones."""
    if shape.where.dxftype != "INSERT" and shape.lines:
        (line,) = shape.lines
        gap = math.dist(line[0], line[-1])
        problems.append(
            f"{shape.where}: the {what} is open (its ends are {gap:.3f} m apart) — close the "
            "polyline (PEDIT, Close) or join its pieces into one closed polyline (JOIN)"
        )
        return []
    if not shape.rings:
        problems.append(
            f"{shape.where}: the block holds no closed shape — draw the {what} in it as a "
            "closed polyline, or explode the block"
        )
        return []
    polygons: list[Polygon] = []
    for ring in shape.rings:
        poly = Polygon(ring)
        if not poly.is_valid:
            reason = shapely.is_valid_reason(poly)
            problems.append(
                f"{shape.where}: the {what} crosses itself ({reason}, in metres) — redraw it "
                "so that its edges meet only at its corners"
            )
            return []
        if poly.area <= 0:
            problems.append(f"{shape.where}: the {what} encloses no area — check its corners")
            return []
        polygons.append(poly)
    if len(polygons) == 1:
        return polygons
    union = shapely.union_all(polygons)  # the closed shapes of one block make one outline
    return [Polygon(p.exterior) for p in getattr(union, "geoms", [union]) if p.area > 0]


def _halls(shapes: list[_Shape], labels: list[_Label], problems: list[str]) -> list[_Hall]:
    """Return the halls of the outline shapes, with their ids, in a stable order."""
    halls = [
        _Hall(s.level, s.where, shapely.orient_polygons(poly))
        for s in shapes
        if s.role == "outline"
        for poly in _polygons(s, problems, "outline")
    ]
    halls.sort(key=lambda h: (h.level, *(round(v, 3) for v in h.outline.bounds)))
    for label in labels:
        if not label.text:
            continue
        inside = [
            h for h in halls if h.level == label.level and h.outline.contains(Point(label.at))
        ]
        if inside:
            min(inside, key=lambda h: h.outline.area).labels.append(label)
    taken: dict[str, _Hall] = {}
    for hall in halls:
        texts = list(dict.fromkeys(label.text for label in hall.labels))
        if len(texts) > 1:
            quotedtexts = ", ".join(quoted(t, 20) for t in texts[:5])
            problems.append(
                f"{hall.where}: {len(texts)} texts lie inside the outline ({quotedtexts}) — "
                "keep one, the hall's id, on its layer, and move the others to another layer"
            )
        elif texts:
            text = texts[0]
            if len(text) > 40:
                problems.append(
                    f"{hall.labels[0].where}: the text {quoted(text)} inside the outline of "
                    f"{hall.where.dxftype} {hall.where.handle} is not a hall id (at most 40 "
                    "characters) — write the hall's short id there (A, B2, 1F-West)"
                )
            elif text in taken:
                problems.append(
                    f"{hall.where}: hall id {quoted(text)} is also the id of the outline "
                    f"{taken[text].where.dxftype} {taken[text].where.handle} — give each hall "
                    "its own id"
                )
            else:
                hall.id = text
                taken[text] = hall
    number = 0
    for hall in halls:
        if not hall.id:
            number += 1
            while f"H{number}" in taken:
                number += 1
            hall.id = f"H{number}"
            taken[hall.id] = hall
    return halls


def _place_obstacle(shape: _Shape, halls: list[_Hall], problems: list[str]) -> None:
    """Give an obstacle's parts to the halls of its level it stands in (cut to each)."""
    kind = OBSTACLE_ROLES[shape.role]
    for poly in _polygons(shape, problems, "obstacle"):
        placed = False
        for hall in halls:
            if hall.level != shape.level or not hall.outline.intersects(poly):
                continue
            part = hall.outline.intersection(poly)
            for piece in getattr(part, "geoms", [part]):
                if isinstance(piece, Polygon) and piece.area >= MIN_AREA_M2:
                    number = len(hall.obstacles) + 1
                    ring = shapely.orient_polygons(Polygon(piece.exterior)).exterior.coords
                    hall.obstacles.append(
                        {
                            "id": f"{hall.id}-{kind}-{number}",
                            "kind": kind,
                            "polygon": [_pair(p) for p in list(ring)[:-1]],
                        }
                    )
                    placed = True
        if not placed:
            problems.append(
                f"{shape.where}: the obstacle lies in no hall outline on level "
                f"{printable(shape.level)} — move it into its hall, or put it on the layer of "
                "its level (NAME@LEVEL)"
            )


def _place_door(shape: _Shape, halls: list[_Hall], problems: list[str]) -> None:
    """Put a door on the hall wall its shape lies on: centred there, as wide as it reaches."""
    pieces = [*shape.rings, *shape.lines]
    points = [p for piece in pieces for p in piece]
    drawn: BaseGeometry = shapely.union_all(
        [LineString(piece) for piece in pieces if len(set(piece)) >= 2] or [MultiPoint(points)]
    )
    level_halls = [h for h in halls if h.level == shape.level]
    if not level_halls:
        problems.append(
            f"{shape.where}: no hall outline on level {printable(shape.level)} — draw the "
            "door's hall on the outline layer of that level (NAME@LEVEL)"
        )
        return
    best: tuple[float, _Hall, Pair] | None = None  # the widest stretch of wall it lies on
    for hall in level_halls:
        ring = list(hall.outline.exterior.coords)
        for a, b in itertools.pairwise(ring):
            edge = LineString([a, b])
            if edge.length == 0 or edge.distance(drawn) > DOOR_TOL_M:
                continue
            near = [p for p in points if edge.distance(Point(p)) <= DOOR_TOL_M]
            if not near:
                continue
            ux, uy = (b[0] - a[0]) / edge.length, (b[1] - a[1]) / edge.length
            ts = [min(max((x - a[0]) * ux + (y - a[1]) * uy, 0.0), edge.length) for x, y in near]
            width = max(ts) - min(ts)
            mid = (max(ts) + min(ts)) / 2
            if best is None or width > best[0]:
                best = (width, hall, (a[0] + ux * mid, a[1] + uy * mid))
    if best is None:
        far = min(h.outline.exterior.distance(drawn) for h in level_halls)
        problems.append(
            f"{shape.where}: the {shape.role} is {far:.2f} m from the nearest hall wall on "
            f"level {printable(shape.level)} — draw it on the wall it opens"
        )
        return
    width, hall, at = best
    if width < MIN_DOOR_M:
        problems.append(
            f"{shape.where}: the {shape.role} runs along the wall of hall {hall.id} for only "
            f"{width:.2f} m — draw it as a line across the opening, as wide as the door"
        )
        return
    hall.doors.setdefault(shape.role, []).append((at, width))


def _pair(p: Sequence[float]) -> list[float]:
    return [round(float(p[0]), DECIMALS) + 0.0, round(float(p[1]), DECIMALS) + 0.0]


def _id_from_name(stem: str) -> str:
    """Return a venue id made of a file's name.

    Examples
    --------
    >>> _id_from_name("COEX plan (2025)")
    'COEX-plan-2025'
    """
    return re.sub(r"[^0-9A-Za-z_-]+", "-", stem).strip("-") or "venue"


def _venue_dict(halls: list[_Hall], venue_id: str, file_name: str) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for hall in halls:
        ring = [_pair(p) for p in hall.outline.exterior.coords]
        entry: dict[str, Any] = {
            "id": hall.id,
            "level": hall.level,
            "outline": ring,
            "note": f"drawn as {hall.where.dxftype} {hall.where.handle} on layer "
            f"{hall.where.layer}",
        }
        if hall.obstacles:
            entry["obstacles"] = hall.obstacles
        for role, key, letter in (("entrance", "entrances", "E"), ("exit", "exits", "X")):
            doors = sorted(hall.doors.get(role, []))
            if doors:
                entry[key] = [
                    {
                        "id": f"{hall.id}-{letter}{n}",
                        "at": _pair(at),
                        "width_m": round(width, DECIMALS),
                    }
                    for n, (at, width) in enumerate(doors, start=1)
                ]
        out.append(entry)
    return {
        "schema": SCHEMA,
        "id": venue_id,
        "name": venue_id,
        "units": "m",
        "note": f"imported from {file_name} by boothopt venues import",
        "halls": out,
    }


HALL_PROBLEM = re.compile(r"^hall (?P<id>.+?): ")


def _check(raw: dict[str, Any], halls: list[_Hall], source: str) -> None:
    """Load the venue made as the venue loader would; name the outline of each fault found."""
    try:
        parse_venue(raw, source)
    except VenueError as err:
        where = {h.id: h.where for h in halls}
        problems = []
        for problem in err.problems:
            match = HALL_PROBLEM.match(problem)
            hall = match.group("id") if match else ""
            problems.append(
                f"{problem} (hall {hall} is {where[hall]})" if hall in where else problem
            )
        raise VenueError(source, problems) from None


def venue_yaml(raw: dict[str, Any]) -> str:
    """Return a venue file's content as YAML text, points written ``[x, y]``."""
    head = (
        "# Imported from a DXF drawing by `boothopt venues import`: outlines, obstacles and\n"
        "# doors only. Add what a drawing does not hold (names, ceiling heights, floor loads,\n"
        "# hydrants, utilities, joined halls) before planning a show.\n"
    )
    body = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, default_flow_style=None)
    return head + body
