"""The floor plan as an IMDF archive: the Indoor Mapping Data Format that indoor maps read.

IMDF 1.0.0 is the OGC Community Standard 20-094 (docs.ogc.org/cs/20-094), written by Apple for
the indoor maps of Apple Maps. An archive is a ZIP holding ``manifest.json`` and one RFC 7946
GeoJSON FeatureCollection per feature type, named ``<feature_type>.geojson``. Positions come
from the venue's anchor through :func:`boothopt.outputs.geojson.projector`, as in the GeoJSON
export, rounded the same way.

What the standard says, and what this module follows (page of 20-094 in brackets):

- Every Feature has an ``id`` (FEATURE-ID, a UUID) and a ``feature_type`` member beside
  ``type``, ``geometry`` and ``properties`` [Reference]. Ids here are UUID version 5 of the
  event, the venue and the element's own id, so one assignment always gives the same ids.
- ``manifest.json`` MUST have ``version`` (only "1.0.0" is allowed), ``created`` (DATE-TIME) and
  ``language`` (a language tag); ``generated_by`` and ``extensions`` may be null [Manifest].
- Address: unlocated (geometry null); ``address``, ``locality`` and ``country`` (ISO 3166) are
  strings; ``unit``, ``province`` (ISO 3166-2), the postal codes may be null [Address].
- Venue: POLYGONAL geometry; ``category`` (VENUE-CATEGORY), ``name`` (LABELS),
  ``display_point`` and ``address_id`` are not nullable; ``restriction``, ``alt_name``,
  ``hours``, ``phone``, ``website`` may be null [Venue].
- Building: unlocated; ``category`` (BUILDING-CATEGORY); ``name``, ``alt_name``,
  ``restriction``, ``display_point``, ``address_id`` may be null [Building].
- Footprint: POLYGONAL; ``category`` one of "aerial", "ground", "subterranean"; ``name`` may be
  null; ``building_ids`` an array of Building ids [Footprint].
- Level: POLYGONAL; ``category`` (LEVEL-CATEGORY), ``restriction`` [Level]; and, from the same
  page as mirrored in IMDF type definitions that cite it (the stored copy of the page was cut
  short), ``outdoor`` (boolean), ``ordinal`` (integer), ``name`` and ``short_name`` (LABELS),
  ``display_point``, ``address_id`` and ``building_ids`` (null or array).
- Unit: POLYGONAL; ``category`` (UNIT-CATEGORY), ``level_id`` not nullable; ``restriction``,
  ``accessibility``, ``name``, ``alt_name``, ``display_point`` may be null. A Unit's extent may
  be set by "a legal instrument, such as the description of a gross leasable area" [Unit].
- Section: POLYGONAL; "the presence and approximate extent of a theme"; ``category``
  (SECTION-CATEGORY) and ``level_id`` not nullable; ``parents`` and the rest may be null
  [Section].
- Opening: LINE-STRING geometry; ``category`` (OPENING-CATEGORY), ``level_id`` not nullable;
  ``accessibility``, ``access_control``, ``door``, ``name``, ``alt_name``, ``display_point``
  may be null [Opening].
- Amenity: POINT; ``category`` (AMENITY-CATEGORY) and ``unit_ids`` (array of Unit ids) not
  nullable [Amenity].
- Anchor: POINT; ``unit_id`` not nullable and the Anchor "MUST be placed within the referenced
  Unit"; ``address_id`` MUST be null for a non-addressable location [Anchor].
- Occupant: unlocated; ``name`` (LABELS), ``category`` (OCCUPANT-CATEGORY) and ``anchor_id``
  not nullable, the anchor giving the Unit and the point; ``validity`` null or TEMPORALITY
  (``start``, ``end``); ``hours``, ``phone``, ``website``, ``correlation_id`` may be null
  [Occupant].
- Categories are taken from the standard's lists [Categories] (the stored copy of that page
  was cut short too: the lists past its start were read from the same IMDF type definitions);
  LABELS are objects keyed by language tag, here ``{"ko": ..., "en": ...}``.

Where this module had to choose:

- Booths are ``room`` Units (a leased area, the Unit page's "gross leasable area"); what is left
  of a hall after booths, reserved areas and columns is one ``walkway`` Unit; columns are
  ``column`` Units, other fixed obstacles ``structure`` (a fixed stage ``theater``). Reserved
  areas: stage ``theater``, theatre ``auditorium``, lounge ``lounge``, info desk
  ``unenclosedarea``, other ``unspecified``; Amenities only where a category fits: info desk
  ``information``, lounge ``seating``. Zones are ``exhibition`` Sections, one per zone and level.
- OCCUPANT-CATEGORY has no "exhibitor": companies are ``popup`` (a temporary stand), cities and
  governments ``publicservices.government``, institutions ``nonprofit``. An exhibitor with
  several booths has one Occupant per booth, sharing a ``correlation_id``.
- Levels: halls sharing a ``level`` label form one Level (COEX halls A and C share ground but
  are on 1F and 3F). ``ordinal`` is read from the label ("1F" 0, "3F" 2, "B1" -1); when a label
  cannot be read, levels are numbered 0, 1, ... in the order the halls list them.
- Openings: entrances are ``pedestrian`` lines ``width_m`` long along the wall at ``at``. The
  assignment does not list exits, only their clear zones (``blocked`` of kind
  ``exit-clearance``): each becomes an ``emergencyexit`` line along the wall edge of its clear
  zone, which is the door with the clearance margin on either side.
- The assignment carries no show dates (nor does the event file): Occupant ``validity`` is null
  unless the document has ``dates: {start, end}`` (ISO dates or date-times), then the show's
  first day from 00:00:00 to its last day at 23:59:59.
- The assignment carries no postal address either. The Venue's ``address_id`` is required, so
  an Address is written from ``address`` in the document when it has one ({address, locality,
  country, province?, postal_code?}), else from the address boothopt knows for its built-in
  venue COEX; for any other venue ``address_id`` is null, the one field that then falls short
  of the standard.
- ``created`` in the manifest is fixed, like the ZIP entries' timestamps (1980-01-01, the
  earliest a ZIP can hold), so the same assignment always gives the same bytes.

Names of exhibitors, zones and areas are data: they reach the archive only through
``json.dumps``; the file names inside the ZIP are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from boothopt import __version__
from boothopt.contract import Assignment, PostalAddress
from boothopt.errors import BoothoptError, InputError
from boothopt.outputs.geojson import Project, projector

ARCHIVE = "venue.imdf.zip"
IMDF_VERSION = "1.0.0"
LANGUAGE = "ko"
#: The ZIP entries' time and the manifest's ``created``: fixed, so the bytes repeat.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CREATED = "1980-01-01T00:00:00Z"
#: The feature types written, in the order of the files in the archive.
FEATURE_TYPES = (
    "address",
    "venue",
    "building",
    "footprint",
    "level",
    "unit",
    "section",
    "opening",
    "amenity",
    "anchor",
    "occupant",
)
#: All ids of one event derive from this namespace, the event and the venue (uuid5).
ID_NAMESPACE = uuid.UUID("5b0c1e7a-8f43-5d2e-9a61-3c7d2f4e8b90")

VENUE_CATEGORY = "conventioncenter"
BUILDING_CATEGORY = "unspecified"
FOOTPRINT_CATEGORY = "ground"
LEVEL_CATEGORY = "unspecified"
BOOTH_UNIT = "room"
WALKWAY_UNIT = "walkway"
#: Reserved area kind -> Unit category; other kinds are "unspecified".
RESERVED_UNIT = {
    "stage": "theater",
    "theatre": "auditorium",
    "lounge": "lounge",
    "info": "unenclosedarea",
    "other": "unspecified",
}
#: Reserved area kind -> Amenity category, where one fits.
RESERVED_AMENITY = {"info": "information", "lounge": "seating"}
#: Fixed obstacle kind (``blocked``) -> Unit category; clear zones are part of the walkway.
OBSTACLE_UNIT = {"column": "column", "core": "structure", "wall": "structure", "stage": "theater"}
OTHER_OBSTACLE_UNIT = "structure"
ZONE_SECTION = "exhibition"
ENTRANCE_OPENING = "pedestrian"
EXIT_OPENING = "emergencyexit"
EXIT_CLEARANCE = "exit-clearance"
#: Exhibitor kind -> Occupant category; other kinds are "popup".
OCCUPANT_CATEGORY = {
    "company": "popup",
    "city": "publicservices.government",
    "government": "publicservices.government",
    "institution": "nonprofit",
}
DEFAULT_OCCUPANT = "popup"
#: Postal addresses of built-in venues (COEX's, as its venue file gives it).
VENUE_ADDRESSES: dict[str, PostalAddress] = {
    "coex": PostalAddress(
        address="513 Yeongdong-daero, Gangnam-gu",
        locality="Seoul",
        province="KR-11",
        country="KR",
        postal_code=None,
    ),
}
MIN_AREA_M2 = 0.01  # pieces of a walkway smaller than this are slivers, not floor
ON_WALL_M = 0.01  # a clear zone's edge this close to the hall outline lies on the wall

Feature = dict[str, Any]


def render_imdf(doc: Assignment) -> dict[str, bytes]:
    """Return ``venue.imdf.zip``: the IMDF 1.0.0 archive of the allocated floor plan.

    The same assignment gives the same bytes: ids are derived from the event and each
    element's id, and the archive's timestamps are fixed.

    Raises
    ------
    InputError
        When the assignment has no anchor (the venue file needs one, as for GeoJSON), its
        ``dates`` are not dates, or its ``address`` has no ISO 3166 country code.
    """
    project = projector(doc.anchor, doc.venue)
    collections = _features(doc, project)
    manifest = {
        "version": IMDF_VERSION,
        "created": CREATED,
        "generated_by": f"boothopt {__version__}",
        "language": LANGUAGE,
        "extensions": None,
    }
    files = {"manifest.json": _json_bytes(manifest)}
    for kind in FEATURE_TYPES:
        files[f"{kind}.geojson"] = _json_bytes(
            {"type": "FeatureCollection", "features": collections[kind]}
        )
    return {ARCHIVE: _zip(files)}


def _features(doc: Assignment, project: Project) -> dict[str, list[Feature]]:
    """Return the features of every type, by feature type."""
    new_id = _Ids(doc)
    out: dict[str, list[Feature]] = {kind: [] for kind in FEATURE_TYPES}

    def add(kind: str, key: str, geometry: dict[str, Any] | None, props: dict[str, Any]) -> str:
        fid = new_id(kind, key)
        out[kind].append(
            {
                "id": fid,
                "type": "Feature",
                "feature_type": kind,
                "geometry": geometry,
                "properties": props,
            }
        )
        return fid

    def point(p: Point) -> dict[str, Any]:
        (coords,) = project([(p.x, p.y)])
        return {"type": "Point", "coordinates": coords}

    halls = {h.id: h for h in doc.halls}
    outlines = {h.id: _valid(Polygon(h.polygon)) for h in doc.halls}
    everything = shapely.union_all(list(outlines.values()))
    venue_name, address = _venue_facts(doc)

    address_id = None
    if address is not None:
        address_id = add(
            "address",
            "venue",
            None,
            {
                "address": address.address,
                "unit": None,
                "locality": address.locality,
                "province": address.province,
                "country": address.country,
                "postal_code": address.postal_code,
                "postal_code_ext": None,
                "postal_code_vanity": None,
            },
        )
    add(
        "venue",
        "venue",
        _geometry(everything, project),
        {
            "category": VENUE_CATEGORY,
            "restriction": None,
            "name": venue_name,
            "alt_name": None,
            "hours": None,
            "phone": None,
            "website": None,
            "display_point": point(_inner_point(everything)),
            "address_id": address_id,
        },
    )
    building_id = add(
        "building",
        "building",
        None,
        {
            "name": venue_name,
            "alt_name": None,
            "category": BUILDING_CATEGORY,
            "restriction": None,
            "display_point": point(_inner_point(everything)),
            "address_id": address_id,
        },
    )
    add(
        "footprint",
        "footprint",
        _geometry(everything, project),
        {"category": FOOTPRINT_CATEGORY, "name": None, "building_ids": [building_id]},
    )

    # Levels: halls sharing a level label share a Level.
    by_level: dict[str, list[str]] = {}
    for h in doc.halls:
        by_level.setdefault(h.level, []).append(h.id)
    ordinals = _ordinals(list(by_level))
    level_ids: dict[str, str] = {}
    for label in sorted(by_level, key=lambda lv: ordinals[lv]):
        ids = by_level[label]
        floor = shapely.union_all([outlines[i] for i in ids])
        short = label or f"L{ordinals[label]}"
        names_en = ", ".join(halls[i].name or i for i in ids)
        names_ko = ", ".join(halls[i].name_ko or halls[i].name or i for i in ids)
        level_ids[label] = add(
            "level",
            f"level:{label}",
            _geometry(floor, project),
            {
                "category": LEVEL_CATEGORY,
                "restriction": None,
                "outdoor": False,
                "ordinal": ordinals[label],
                "name": {"ko": f"{short} ({names_ko})", "en": f"{short} ({names_en})"},
                "short_name": {"ko": short, "en": short},
                "display_point": point(_inner_point(floor)),
                "address_id": None,
                "building_ids": [building_id],
            },
        )
    hall_level = {h.id: level_ids[h.level] for h in doc.halls}

    def unit(key: str, hall: str, shape: BaseGeometry, category: str, name: Any) -> str:
        shape = shapely.MultiPolygon(_polygons(shape)) if not isinstance(shape, Polygon) else shape
        return add(
            "unit",
            key,
            _geometry(shape, project),
            {
                "category": category,
                "restriction": None,
                "accessibility": None,
                "name": name,
                "alt_name": None,
                "level_id": hall_level[hall],
                "display_point": point(_inner_point(shape)),
            },
        )

    # Units: booths, reserved areas, fixed obstacles, and the walkway left between them.
    taken: dict[str, list[BaseGeometry]] = {h: [] for h in halls}
    booth_units: dict[str, tuple[str, Polygon]] = {}
    for b in doc.booths:
        shape = Polygon(b.polygon)
        taken[b.hall].append(_valid(shape))
        number = {"ko": b.booth_no, "en": b.booth_no}
        booth_units[b.booth_no] = (
            unit(f"booth:{b.booth_no}", b.hall, shape, BOOTH_UNIT, number),
            shape,
        )
    for r in doc.reserved:
        shape = Polygon(r.polygon)
        taken[r.hall].append(_valid(shape))
        name = _labels(r.name_ko, r.name_en, r.id)
        kind = r.kind
        unit_id = unit(
            f"reserved:{r.id}", r.hall, shape, RESERVED_UNIT.get(kind, "unspecified"), name
        )
        if kind in RESERVED_AMENITY:
            add(
                "amenity",
                f"reserved:{r.id}",
                point(_inner_point(shape)),
                {
                    "category": RESERVED_AMENITY[kind],
                    "accessibility": None,
                    "name": name,
                    "alt_name": None,
                    "hours": None,
                    "phone": None,
                    "website": None,
                    "unit_ids": [unit_id],
                    "address_id": None,
                    "correlation_id": None,
                },
            )
    count: dict[str, int] = {}
    for blocked in doc.blocked:
        kind = blocked.kind
        if kind.endswith("-clearance"):
            continue
        hall = blocked.hall
        shape = _valid(Polygon(blocked.polygon)).intersection(outlines[hall])
        for earlier in taken[hall]:
            shape = shape.difference(earlier)
        if shape.area < MIN_AREA_M2:
            continue
        count[hall] = count.get(hall, 0) + 1
        taken[hall].append(shape)
        category = OBSTACLE_UNIT.get(kind, OTHER_OBSTACLE_UNIT)
        unit(f"blocked:{hall}:{count[hall]}", hall, shape, category, None)
    for h in doc.halls:
        floor = outlines[h.id].difference(shapely.union_all(taken[h.id]))
        floor = shapely.MultiPolygon([p for p in _polygons(floor) if p.area >= MIN_AREA_M2])
        if not floor.is_empty:
            unit(f"walkway:{h.id}", h.id, floor, WALKWAY_UNIT, None)

    # Sections: each zone, one per level it covers.
    for z in doc.zones:
        pieces: dict[str, list[BaseGeometry]] = {}
        for a in z.area:
            pieces.setdefault(hall_level[a.hall], []).append(_valid(Polygon(a.polygon)))
        for level_id, shapes in pieces.items():
            area = shapely.union_all(shapes)
            add(
                "section",
                f"zone:{z.id}:{level_id}",
                _geometry(area, project),
                {
                    "category": ZONE_SECTION,
                    "restriction": None,
                    "accessibility": None,
                    "name": _labels(z.name_ko, z.name_en, z.id),
                    "alt_name": None,
                    "display_point": point(_inner_point(area)),
                    "level_id": level_id,
                    "address_id": None,
                    "correlation_id": None,
                    "parents": None,
                },
            )

    # Openings: entrances at their doors, exits along the wall edge of their clear zones.
    def opening(key: str, hall: str, line: LineString, category: str, name: Any) -> None:
        ends = project(list(line.coords))
        add(
            "opening",
            key,
            {"type": "LineString", "coordinates": ends},
            {
                "category": category,
                "accessibility": None,
                "access_control": None,
                "door": None,
                "name": name,
                "alt_name": None,
                "display_point": point(line.interpolate(0.5, normalized=True)),
                "level_id": hall_level[hall],
            },
        )

    for e in doc.entrances:
        line = _door(outlines[e.hall], e.at, e.width_m)
        opening(f"entrance:{e.id}", e.hall, line, ENTRANCE_OPENING, _labels("", "", e.id))
    exits: dict[str, int] = {}
    for blocked in doc.blocked:
        if blocked.kind != EXIT_CLEARANCE:
            continue
        hall = blocked.hall
        exits[hall] = exits.get(hall, 0) + 1
        edge = _wall_edge(Polygon(blocked.polygon), outlines[hall])
        if edge is not None:
            opening(f"exit:{hall}:{exits[hall]}", hall, edge, EXIT_OPENING, None)

    # Occupants: each booth's exhibitor, placed by an Anchor inside the booth's Unit.
    validity = _validity(doc)
    booths_of: dict[str, int] = {}
    for b in doc.booths:
        booths_of[b.exhibitor_id] = booths_of.get(b.exhibitor_id, 0) + 1
    for b in doc.booths:
        unit_id, shape = booth_units[b.booth_no]
        anchor_id = add(
            "anchor",
            f"booth:{b.booth_no}",
            point(_inner_point(shape)),
            {"address_id": None, "unit_id": unit_id},
        )
        exhibitor = b.exhibitor_id
        add(
            "occupant",
            f"booth:{b.booth_no}",
            None,
            {
                "name": _labels(b.name_ko, b.name_en, exhibitor),
                "category": OCCUPANT_CATEGORY.get(b.kind, DEFAULT_OCCUPANT),
                "anchor_id": anchor_id,
                "hours": None,
                "phone": None,
                "website": None,
                "validity": validity,
                "correlation_id": (
                    new_id("exhibitor", exhibitor) if booths_of[exhibitor] > 1 else None
                ),
            },
        )
    return out


class _Ids:
    """Stable UUIDs: version 5 of the event and venue, then of the element's own key."""

    def __init__(self, doc: Assignment) -> None:
        event = json.dumps([doc.event, doc.venue])
        self.namespace = uuid.uuid5(ID_NAMESPACE, event)

    def __call__(self, kind: str, key: str) -> str:
        return str(uuid.uuid5(self.namespace, json.dumps([kind, key])))


def _labels(ko: str, en: str, fallback: str) -> dict[str, str]:
    """Return IMDF LABELS of a Korean and an English name; the fallback when both are blank."""
    labels = {lang: text for lang, text in (("ko", ko), ("en", en)) if text and text.strip()}
    return labels or {"ko": fallback, "en": fallback}


def _venue_facts(doc: Assignment) -> tuple[dict[str, str], PostalAddress | None]:
    """Return the venue's name (LABELS) and postal address, when known.

    The document's own ``address`` is used when it gives the street and the locality.
    """
    venue = doc.venue or "venue"
    name = {"ko": venue, "en": venue}
    try:
        from boothopt.floorplan.venue_file import builtin_venues, load_venue

        if venue in builtin_venues():
            known = load_venue(venue)
            name = _labels(known.name_ko, known.name, venue)
    except (BoothoptError, OSError):
        pass
    given = doc.address
    address: PostalAddress | None = None
    if given is not None and given.address.strip() and given.locality.strip():
        if not re.fullmatch(r"[A-Z]{2}", given.country):
            raise InputError(
                f"address.country {given.country!r} is not an ISO 3166 country code — "
                "write two capital letters, such as KR"
            )
        address = given
    elif venue in VENUE_ADDRESSES:
        address = VENUE_ADDRESSES[venue]
    return name, address


def _ordinals(labels: Sequence[str]) -> dict[str, int]:
    """Return each level label's IMDF ordinal: 0 for "1F", 2 for "3F", -1 for "B1".

    When a label cannot be read, or two read alike, the levels are numbered 0, 1, ... in order.

    Examples
    --------
    >>> _ordinals(["1F", "3F", "B2"])
    {'1F': 0, '3F': 2, 'B2': -2}
    >>> _ordinals(["Hall level", "Upper"])
    {'Hall level': 0, 'Upper': 1}
    """
    read: dict[str, int] = {}
    for label in labels:
        m = re.fullmatch(r"\s*(B)?\s*(\d{1,3})\s*F?\s*", label, re.IGNORECASE)
        if m is None:
            break
        number = int(m.group(2))
        read[label] = -number if m.group(1) else number - 1
    if len(read) == len(labels) and len(set(read.values())) == len(labels):
        return read
    return {label: k for k, label in enumerate(labels)}


def _validity(doc: Assignment) -> dict[str, str] | None:
    """Return the show's TEMPORALITY from the document's ``dates``, or None without them.

    Raises
    ------
    InputError
        When a date cannot be read, or the show ends before it starts.
    """
    dates = doc.dates
    if dates is None:
        return None
    bounds: list[dt.datetime] = []
    for key, given, day_time in (
        ("start", dates.start, dt.time(0, 0, 0)),
        ("end", dates.end, dt.time(23, 59, 59)),
    ):
        value = given.strip()
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(value), day_time)
        except ValueError:
            try:
                when = dt.datetime.fromisoformat(value)
            except ValueError:
                raise InputError(
                    f"dates.{key}: {value[:40]!r} is not a date — write YYYY-MM-DD"
                ) from None
        bounds.append(when)
    start, end = bounds
    if (start.tzinfo is None) != (end.tzinfo is None) or end < start:
        raise InputError("dates: the show must end after it starts — check dates.start and end")
    return {"start": start.isoformat(), "end": end.isoformat()}


def _door(outline: Polygon, at: Sequence[float], width: float) -> LineString:
    """Return a door ``width`` wide centred on ``at``, along the hall wall nearest to it."""
    centre = Point(at[0], at[1])
    ring = list(outline.exterior.coords)
    walls = [LineString([a, b]) for a, b in itertools.pairwise(ring) if a != b]
    wall = min(walls, key=lambda w: w.distance(centre))
    (x0, y0), (x1, y1) = wall.coords
    length = wall.length
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    half = width / 2
    return LineString(
        [(centre.x - ux * half, centre.y - uy * half), (centre.x + ux * half, centre.y + uy * half)]
    )


def _wall_edge(zone: Polygon, outline: Polygon) -> LineString | None:
    """Return the longest edge of a clear zone lying on the hall's outline, if one does."""
    wall = outline.exterior
    edges = [
        LineString([a, b])
        for a, b in itertools.pairwise(zone.exterior.coords)
        if a != b and wall.distance(Point(a)) < ON_WALL_M and wall.distance(Point(b)) < ON_WALL_M
    ]
    edges = [e for e in edges if wall.buffer(ON_WALL_M).contains(e)]
    return max(edges, key=lambda e: e.length) if edges else None


def _valid(shape: Polygon) -> BaseGeometry:
    """Return a polygon made valid (a hand-edited ring may cross itself)."""
    return shape if shape.is_valid else shapely.make_valid(shape)


def _polygons(shape: BaseGeometry) -> list[Polygon]:
    """Return the polygons of a geometry, whatever collection holds them."""
    if isinstance(shape, Polygon):
        return [] if shape.is_empty else [shape]
    return [p for part in getattr(shape, "geoms", ()) for p in _polygons(part)]


def _inner_point(shape: BaseGeometry) -> Point:
    """Return a point inside the shape: its centroid when inside (a booth), else one inside."""
    centroid = shape.centroid
    if shape.contains(centroid):
        return Point(centroid.x, centroid.y)
    inner = shape.representative_point()
    return Point(inner.x, inner.y)


def _geometry(shape: BaseGeometry, project: Project) -> dict[str, Any]:
    """Return a GeoJSON Polygon or MultiPolygon of venue shapes, as RFC 7946 wants it.

    Rings are closed, exteriors counter-clockwise and holes clockwise.
    """
    parts: list[list[list[list[float]]]] = []
    for poly in _polygons(shape):
        outer = _ring(poly.exterior.coords, project, counter_clockwise=True)
        if outer is None:
            continue
        holes = (_ring(r.coords, project, counter_clockwise=False) for r in poly.interiors)
        parts.append([outer, *(h for h in holes if h is not None)])
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def _ring(
    coords: Iterable[Sequence[float]], project: Project, counter_clockwise: bool
) -> list[list[float]] | None:
    """Return a projected closed ring turning the given way, or None when it collapsed."""
    points = project([(c[0], c[1]) for c in coords])
    ring = [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4:
        return None
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    if (area > 0) != counter_clockwise:
        ring.reverse()
    return ring


def _json_bytes(value: Any) -> bytes:
    """Return compact UTF-8 JSON; names are escaped as JSON, never written raw."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a name: keep it, escaped
        return (json.dumps(value, separators=(",", ":")) + "\n").encode("ascii")


def _zip(files: dict[str, bytes]) -> bytes:
    """Return a ZIP of the files, in the given order, with fixed timestamps and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine writes it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
