"""CAD drawings (DXF) of a venue and of an allocated floor plan, for architects and the venue.

:func:`venue_to_dxf` draws a venue the way :mod:`boothopt.floorplan.dxf_import` reads one, in
millimetres: hall outlines on layer HALL with each hall's id as a text inside, obstacles on
COLUMN (CORE, STAGE, WALL or OBSTACLE by kind), and doors as lines across the opening on EXIT and
ENTRANCE. Halls on different levels share the same ground, so every layer's name ends in the
level: ``HALL@1F``, ``COLUMN@3F``. Importing the drawing gives back the halls, their obstacles
and doors; names, figures, hydrants, utilities and joined halls are not drawn.

:func:`render_dxf` draws an assignment (see :mod:`boothopt.outputs.assignment`) in metres, one
layer for each kind of thing (:data:`PLAN_LAYERS`): halls, zones, reserved areas, blocked areas,
booths, booth numbers, exhibitor names in Korean and in English, entrances. Levels are laid side
by side, :data:`LEVEL_GAP_M` apart (:func:`level_offsets` says how far each is moved), so that no
two overlap. Aisles are not drawn: as on the plan (:mod:`boothopt.outputs.plan_svg`) they are the
hall floor that booths, reserved and blocked areas leave free, and the assignment holds no aisle
geometry of its own. Each booth's outline carries its booth number and exhibitor id as extended
data (application ``BOOTHOPT``), for CAD scripts.

Texts are TEXT entities (one line, no MTEXT formatting) in the text style ``BOOTHOPT``, which
names NanumGothic (the Korean font boothopt ships) so that Hangul shows in CAD programs that
have it. Exhibitor names are untrusted: :func:`dxf_text` writes each so that it shows as written
and no code in it is run. The same input gives the same bytes (the drawing's dates and ids are
fixed).
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from ezdxf import units as dxf_units
from ezdxf._options import options as ezdxf_options  # ezdxf.options, from its own module
from ezdxf.document import Drawing
from ezdxf.enums import TextEntityAlignment
from ezdxf.filemanagement import new as new_dxf
from ezdxf.layouts.layout import Modelspace

from boothopt.contract import Assignment
from boothopt.floorplan.dxf_import import KIND_LAYERS, LEVEL_SEP
from boothopt.floorplan.venue import Hall, Venue
from boothopt.outputs.fonts import PACKAGED_REGULAR, text_width
from boothopt.outputs.plan_svg import door_segment, zone_colours

DXF_VERSION = "R2010"  # AutoCAD 2010: UTF-8 text, read by every current CAD program
STYLE = "BOOTHOPT"
FONT_FILE = PACKAGED_REGULAR.name  # NanumGothic.ttf
FONT_FAMILY = "NanumGothic"
APP_ID = "BOOTHOPT"
MAX_TEXT = 250  # characters of one text; longer ones are cut with an ellipsis
MAX_XDATA = 255  # characters of one extended-data string (the DXF limit)

#: Layers of the allocated plan: name -> (ACI colour, description).
PLAN_LAYERS: dict[str, tuple[int, str]] = {
    "TITLE": (7, "event title"),
    "HALL": (7, "hall outlines"),
    "HALL-NAME": (7, "hall names and level headings"),
    "ZONE": (8, "zone areas, coloured as on the plan"),
    "RESERVED": (6, "stages, forums and lounges with their names"),
    "BLOCKED": (252, "columns and the clear zones before exits, entrances and hydrants"),
    "BOOTH": (5, "booth outlines, coloured by zone"),
    "BOOTH-NO": (7, "booth numbers"),
    "NAME-KO": (3, "exhibitor names in Korean"),
    "NAME-EN": (4, "exhibitor names in English"),
    "ENTRANCE": (3, "entrances (a line across the door) and their ids"),
}
#: Layers of a venue drawing (each per level), with their ACI colours.
VENUE_LAYERS: dict[str, int] = {"HALL": 7, "EXIT": 1, "ENTRANCE": 3}
VENUE_LAYERS.update({layer: 8 for layer in KIND_LAYERS.values()})

LEVEL_GAP_M = 30.0
TITLE_M = 6.0
LEVEL_HEAD_M = 4.0
HALL_NAME_M = 2.0
NUMBER_MAX_M = 0.8
NAME_MAX_M = 0.5
ENTRANCE_ID_M = 0.8
HALL_ID_MM = 2000.0
LINE = 1.25  # line height, in text heights
PAD = 0.08  # of a booth's shorter side, kept free around its label

Point = tuple[float, float]


def dxf_text(value: object, limit: int = MAX_TEXT) -> str:
    r"""Return ``value`` as the content of a TEXT entity that shows it as written, on one line.

    Control, format and line-separator characters become spaces (a line break cannot be in a
    TEXT, and a direction override would turn the text around). A TEXT runs ``%%`` codes
    (``%%u`` underlines) and caret codes (``^J``): ``%`` is written ``%%%`` and ``^`` as ``^ ``,
    which show as themselves. A backslash, which starts a code in MTEXT (``\P``, ``\f``) and a
    character code in any text (``\U+0041``), becomes the full-width backslash ``＼`` that
    looks like it. Text longer than ``limit`` is cut with an ellipsis.

    Examples
    --------
    >>> dxf_text("Lab\r\n{\\fArial;x} 100%")
    'Lab {＼fArial;x} 100%%%'
    >>> dxf_text("서울^Seoul")
    '서울^ Seoul'
    """
    text = " ".join(_printable(value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("%", "%%%").replace("^", "^ ").replace("\\", "＼")


def _printable(value: object) -> str:
    """Return ``value`` as text with every control and format character made a space."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") else ch
        for ch in str(value)
    )


def _xdata_text(value: object) -> str:
    text = " ".join(_printable(value).split())
    return text[:MAX_XDATA]


@contextlib.contextmanager
def _fixed_metadata() -> Iterator[None]:
    """Have ezdxf stamp a drawing with fixed dates and ids, not the time and fresh ones.

    ezdxf marks a drawing when making and when writing it; its own setting for fixed marks is
    turned on here and put back afterwards, so that the same input gives the same bytes.
    """
    fixed = ezdxf_options.write_fixed_meta_data_for_testing
    ezdxf_options.write_fixed_meta_data_for_testing = True
    try:
        yield
    finally:
        ezdxf_options.write_fixed_meta_data_for_testing = fixed


def _new_drawing(units: int) -> Drawing:
    with _fixed_metadata():
        doc = new_dxf(DXF_VERSION, units=units)
    style = doc.styles.add(STYLE, font=FONT_FILE)
    style.set_extended_font_data(family=FONT_FAMILY)
    doc.header["$TEXTSTYLE"] = STYLE
    doc.appids.add(APP_ID)
    return doc


def dxf_bytes(doc: Drawing) -> bytes:
    """Return the drawing as DXF bytes (UTF-8 text), the same for the same drawing."""
    # ezdxf adds a CLASS entry per entity type in use from a set, whose order follows the
    # process's string hashing (PYTHONHASHSEED): added now and sorted, they stay in one order.
    doc.classes.add_required_classes(doc.dxfversion)
    ordered = sorted(doc.classes.classes.items())
    doc.classes.classes.clear()
    doc.classes.classes.update(ordered)
    stream = io.StringIO()
    with _fixed_metadata():
        doc.write(stream)
    return stream.getvalue().encode("utf-8")


def level_layer(name: str, level: str) -> str:
    """Return the layer ``name`` of ``level`` in a venue drawing: ``HALL@3F``.

    Characters a layer's name may not hold become ``_``.

    Examples
    --------
    >>> level_layer("HALL", "3F"), level_layer("EXIT", "B1/2")
    ('HALL@3F', 'EXIT@B1_2')
    """
    level = "".join("_" if ch in '<>/\\":;?*|=,`' or not ch.isprintable() else ch for ch in level)
    return f"{name}{LEVEL_SEP}{level}"


def venue_to_dxf(venue: Venue, hall_ids: Sequence[str] | None = None) -> bytes:
    """Return a DXF drawing (millimetres) of the venue's halls, as the DXF import reads it.

    ``hall_ids`` picks the halls (a joined hall is drawn as one outline); by default every hall
    but the joined ones, whose parts are drawn.
    """
    halls = [venue.hall(h) for h in hall_ids] if hall_ids else list(venue.halls)
    doc = _new_drawing(dxf_units.MM)
    msp = doc.modelspace()
    mm = 1000.0
    for level in dict.fromkeys(h.level for h in halls):
        for name, colour in VENUE_LAYERS.items():
            if level_layer(name, level) not in doc.layers:  # two levels may read alike
                doc.layers.add(level_layer(name, level), color=colour)
    for hall in halls:
        _venue_hall(msp, hall, mm)
    return dxf_bytes(doc)


def _venue_hall(msp: Modelspace, hall: Hall, mm: float) -> None:
    def scaled(coords: Any) -> list[Point]:
        return [(x * mm, y * mm) for x, y in coords]

    layer = level_layer("HALL", hall.level)
    msp.add_lwpolyline(
        scaled(hall.outline.exterior.coords[:-1]),
        format="xy",
        close=True,
        dxfattribs={"layer": layer},
    )
    inside = hall.outline.representative_point()
    text = msp.add_text(
        dxf_text(hall.id), height=HALL_ID_MM, dxfattribs={"layer": layer, "style": STYLE}
    )
    text.set_placement((inside.x * mm, inside.y * mm), align=TextEntityAlignment.MIDDLE_CENTER)
    for obstacle in hall.obstacles:
        polygon = obstacle.polygon
        msp.add_lwpolyline(
            scaled(polygon.exterior.coords[:-1]),
            format="xy",
            close=True,
            dxfattribs={
                "layer": level_layer(KIND_LAYERS.get(obstacle.kind, "OBSTACLE"), hall.level)
            },
        )
    for door in hall.openings:
        start, end = scaled(door.door.coords)
        name = "EXIT" if door.kind == "exit" else "ENTRANCE"
        msp.add_line(start, end, dxfattribs={"layer": level_layer(name, hall.level)})


def level_offsets(doc: Assignment) -> dict[str, tuple[float, float]]:
    """Return how far the halls of each level are moved in the plan's drawing, (dx, dy) metres.

    The first level (in the assignment's order of halls) stays where it is; each next one is
    moved east to start :data:`LEVEL_GAP_M` past the one before.

    Examples
    --------
    >>> from boothopt.contract import parse_assignment
    >>> square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    >>> level_offsets(parse_assignment({"schema": "boothopt.assignment/1",
    ...     "halls": [{"id": "A", "level": "1F", "polygon": square},
    ...               {"id": "C", "level": "3F", "polygon": square}]}))
    {'1F': (0.0, 0.0), '3F': (40.0, 0.0)}
    """
    bounds: dict[str, list[float]] = {}
    for h in doc.halls:
        xs = [p[0] for p in h.polygon]
        level = h.level
        lo, hi = bounds.get(level, [min(xs), max(xs)])
        bounds[level] = [min(lo, *xs), max(hi, *xs)]
    offsets: dict[str, tuple[float, float]] = {}
    east = None
    for level, (lo, hi) in bounds.items():
        dx = 0.0 if east is None else east + LEVEL_GAP_M - lo
        offsets[level] = (dx, 0.0)
        east = hi + dx
    return offsets


def render_dxf(doc: Assignment) -> dict[str, bytes]:
    """Return ``floorplan.dxf``: the allocated plan in metres, levels side by side.

    Examples
    --------
    >>> from boothopt.contract import parse_assignment
    >>> ring = [[0, 0], [9, 0], [9, 6], [0, 6], [0, 0]]
    >>> files = render_dxf(parse_assignment({"schema": "boothopt.assignment/1",
    ...     "event": "Expo", "halls": [{"id": "T", "polygon": ring}]}))
    >>> list(files), b"NanumGothic.ttf" in files["floorplan.dxf"]
    (['floorplan.dxf'], True)
    """
    drawing = _new_drawing(dxf_units.M)
    for name, (colour, description) in PLAN_LAYERS.items():
        drawing.layers.add(name, color=colour).description = description
    msp = drawing.modelspace()
    offsets = level_offsets(doc)
    level_of = {h.id: h.level for h in doc.halls}

    def moved(hall: str, ring: Sequence[Sequence[float]]) -> list[Point]:
        dx, dy = offsets.get(level_of.get(hall, ""), (0.0, 0.0))
        return [(float(x) + dx, float(y) + dy) for x, y in ring]

    colours = zone_colours(doc)
    _headings(msp, doc, offsets)
    for h in doc.halls:
        ring = moved(h.id, h.polygon)
        _outline(msp, ring, "HALL")
        x0, y1 = min(p[0] for p in ring), max(p[1] for p in ring)
        label = " · ".join(t for t in (h.name_ko, h.name or h.id) if t)
        _text(msp, label, (x0, y1 + HALL_NAME_M * 0.5), HALL_NAME_M, "HALL-NAME", left=True)
    for z in doc.zones:
        for area in z.area:
            line = _outline(msp, moved(area.hall, area.polygon), "ZONE")
            line.rgb = _rgb(colours.get(z.id, colours[None]))
            line.set_xdata(APP_ID, [(1000, _xdata_text(v)) for v in (z.id, z.name_ko, z.name_en)])
    for k in doc.blocked:
        _outline(msp, moved(k.hall, k.polygon), "BLOCKED")
    for r in doc.reserved:
        ring = moved(r.hall, r.polygon)
        _outline(msp, ring, "RESERVED")
        _label(msp, ring, [(r.name_ko or r.id, "RESERVED"), (r.name_en, "RESERVED")])
    for b in doc.booths:
        ring = moved(b.hall, b.polygon)
        line = _outline(msp, ring, "BOOTH")
        line.rgb = _rgb(colours.get(b.zone, colours[None]))
        line.set_xdata(
            APP_ID, [(1000, _xdata_text(b.booth_no)), (1000, _xdata_text(b.exhibitor_id))]
        )
        names: list[tuple[object, str]] = [(b.booth_no, "BOOTH-NO")]
        names += [(b.name_ko, "NAME-KO"), (b.name_en, "NAME-EN")]
        _label(msp, ring, names)
    rings = {h.id: h.polygon for h in doc.halls}
    for e in doc.entrances:
        if e.hall not in rings:
            continue
        end1, end2, (nx, ny) = door_segment(rings[e.hall], e.at, e.width_m)
        (a, b2, inner) = moved(e.hall, [end1, end2, (e.at[0] + nx * 2.0, e.at[1] + ny * 2.0)])
        msp.add_line(a, b2, dxfattribs={"layer": "ENTRANCE"})
        _text(msp, e.id, inner, ENTRANCE_ID_M, "ENTRANCE")
    return {"floorplan.dxf": dxf_bytes(drawing)}


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _outline(msp: Modelspace, ring: Sequence[Point], layer: str) -> Any:
    """Add a closed polyline of a closed ring (its first point repeated at the end)."""
    points = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    return msp.add_lwpolyline(points, format="xy", close=True, dxfattribs={"layer": layer})


def _text(
    msp: Modelspace,
    value: object,
    at: Point,
    height: float,
    layer: str,
    *,
    rotation: float = 0.0,
    left: bool = False,
) -> None:
    text = dxf_text(value)
    if not text or height <= 0:
        return
    entity = msp.add_text(
        text, height=height, rotation=rotation, dxfattribs={"layer": layer, "style": STYLE}
    )
    align = TextEntityAlignment.BOTTOM_LEFT if left else TextEntityAlignment.MIDDLE_CENTER
    entity.set_placement(at, align=align)


def _headings(msp: Modelspace, doc: Assignment, offsets: dict[str, tuple[float, float]]) -> None:
    """Write the event's title over the drawing and each level's name over its halls."""
    tops: dict[str, tuple[float, float]] = {}
    for h in doc.halls:
        level = h.level
        dx, dy = offsets[level]
        x0 = min(p[0] for p in h.polygon) + dx
        y1 = max(p[1] for p in h.polygon) + dy
        lo, hi = tops.get(level, (x0, y1))
        tops[level] = (min(lo, x0), max(hi, y1))
    for level, (x0, y1) in tops.items():
        if level:
            _text(msp, level, (x0, y1 + HALL_NAME_M * 2.5), LEVEL_HEAD_M, "HALL-NAME", left=True)
    x0 = min(x for x, _ in tops.values())
    y1 = max(y for _, y in tops.values()) + HALL_NAME_M * 2.5 + LEVEL_HEAD_M * 2
    event, event_ko = doc.event, doc.event_ko
    title = (
        f"{event_ko} 부스 배치도 · {event} — floor plan" if event_ko else f"{event} — floor plan"
    )
    _text(msp, title, (x0, y1), TITLE_M, "TITLE", left=True)


def _label(msp: Modelspace, ring: Sequence[Point], lines: list[tuple[object, str]]) -> None:
    """Write the lines (text, layer) centred in a ring's box, one under the other.

    Each line is as large as fits the box's width and its share of the height (a booth number
    up to NUMBER_MAX_M, a name up to NAME_MAX_M), never cut; the lines are turned to read
    upwards in a box much taller than wide, when that lets them be larger.
    """
    texts = [(dxf_text(t), layer) for t, layer in lines]
    texts = [(t, layer) for t, layer in texts if t]
    if not texts:
        return
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    flat = list(_stack(texts, w, h))
    if h > w * 1.3:
        turned = list(_stack(texts, h, w))
        if turned[0][1] > flat[0][1] * 1.25:
            for (text, size, v), (_, layer) in zip(turned, texts, strict=True):
                entity = msp.add_text(
                    text, height=size, rotation=90.0, dxfattribs={"layer": layer, "style": STYLE}
                )
                entity.set_placement((cx - v, cy), align=TextEntityAlignment.MIDDLE_CENTER)
            return
    for (text, size, v), (_, layer) in zip(flat, texts, strict=True):
        entity = msp.add_text(text, height=size, dxfattribs={"layer": layer, "style": STYLE})
        entity.set_placement((cx, cy + v), align=TextEntityAlignment.MIDDLE_CENTER)


def _stack(
    texts: list[tuple[str, str]], width: float, height: float
) -> Iterator[tuple[str, float, float]]:
    """Yield (text, height, offset up from the box's middle) of lines stacked in a box."""
    pad = PAD * min(width, height)
    w, h = max(width - 2 * pad, 1e-3), max(height - 2 * pad, 1e-3)
    slot = h / len(texts)
    for n, (text, _) in enumerate(texts):
        cap = NUMBER_MAX_M if n == 0 else NAME_MAX_M
        shown = text.replace("%%%", "%").replace("^ ", "^")
        size = min(cap, slot / LINE, w / max(text_width(shown, 1.0), 1e-3))
        yield text, size, h / 2 - slot * (n + 0.5)
