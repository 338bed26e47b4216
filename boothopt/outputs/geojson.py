"""The floor plan on the earth: an RFC 7946 GeoJSON FeatureCollection for maps and GIS.

Venue metres become WGS84 longitude and latitude through the venue's anchor: the venue point
``origin_m`` stands at ``lon``/``lat`` and the venue's +y axis points ``bearing_deg`` clockwise
from true north. Around the anchor the plan is laid on a local azimuthal equidistant projection,
which keeps distances from the anchor true and is off by far less than a centimetre over a hall.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from boothopt.contract import Anchor, Assignment, Booth
from boothopt.errors import InputError

DECIMALS = 7  # 1e-7 degree is about 1 cm
ANCHOR_EXAMPLE = "anchor: {lon: 127.0590, lat: 37.5125, bearing_deg: 0, origin: [0, 0]}"

Point = tuple[float, float]
Project = Callable[[Sequence[Sequence[float]]], list[list[float]]]


def render_geojson(doc: Assignment) -> dict[str, bytes]:
    """Return ``floorplan.geojson``: halls, booths, reserved areas, zone areas and entrances.

    Each feature's ``feature_type`` property says which it is (``hall``, ``booth``,
    ``reserved``, ``zone``, ``entrance``); every feature carries its ``hall`` and ``level``, since
    halls on different floors cover the same ground.

    Raises
    ------
    InputError
        When the assignment has no anchor: the venue file needs one.
    """
    project = projector(doc.anchor, doc.venue)
    levels = {h.id: h.level for h in doc.halls}
    features: list[dict[str, Any]] = []

    def add(kind: str, geometry: dict[str, Any], props: dict[str, Any]) -> None:
        hall = props.get("hall", "")
        props = {"feature_type": kind, **props, "level": levels.get(hall, "")}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})

    for h in doc.halls:
        add(
            "hall",
            _polygon(h.polygon, project),
            {"hall": h.id, "name": h.name, "name_ko": h.name_ko},
        )
    for z in doc.zones:
        for a in z.area:
            add(
                "zone",
                _polygon(a.polygon, project),
                {"zone": z.id, "hall": a.hall, "name_ko": z.name_ko, "name_en": z.name_en},
            )
    for r in doc.reserved:
        add(
            "reserved",
            _polygon(r.polygon, project),
            {
                "id": r.id,
                "hall": r.hall,
                "kind": r.kind,
                "name_ko": r.name_ko,
                "name_en": r.name_en,
            },
        )
    for b in doc.booths:
        add("booth", _polygon(b.polygon, project), _booth_properties(b))
    for e in doc.entrances:
        (point,) = project([e.at])
        add(
            "entrance",
            {"type": "Point", "coordinates": point},
            {"id": e.id, "hall": e.hall, "width_m": e.width_m},
        )
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return {"floorplan.geojson": (text + "\n").encode("utf-8")}


def _booth_properties(b: Booth) -> dict[str, Any]:
    """Return the properties a booth feature carries."""
    return {
        "booth_no": b.booth_no,
        "hall": b.hall,
        "exhibitor_id": b.exhibitor_id,
        "name_ko": b.name_ko,
        "name_en": b.name_en,
        "kind": b.kind,
        "country": b.country,
        "tier": b.tier,
        "zone": b.zone,
        "area_m2": b.area_m2,
        "modules": b.modules,
        "size_m": list(b.size_m),
        "booth_type": b.booth_type,
        "open_sides": b.open_sides,
        "entrance": b.entrance,
        "entrance_walk_m": b.entrance_walk_m,
    }


def projector(anchor: Anchor | None, venue: str = "") -> Project:
    """Return a function turning venue points ``[[x, y], ...]`` into ``[[lon, lat], ...]``.

    Raises
    ------
    InputError
        When ``anchor`` is None, saying how to give the venue file one.

    Examples
    --------
    >>> to_earth = projector(Anchor(lon=127.059, lat=37.5125, origin_m=(100, 0)))
    >>> to_earth([[100, 0], [100, 1000]])
    [[127.059, 37.5125], [127.059, 37.52151]]
    """
    if anchor is None:
        raise InputError(
            f"venue {venue or '(unnamed)'} has no geographic anchor, so the plan cannot be "
            "placed on the earth — add to the venue file a line such as "
            f"`{ANCHOR_EXAMPLE}` (the longitude and latitude of venue point `origin`, and the "
            "direction of the venue's +y axis in degrees clockwise from north), then re-run "
            "`boothopt allocate`"
        )
    from pyproj import Transformer

    lon0, lat0 = anchor.lon, anchor.lat
    ox, oy = anchor.origin_m
    theta = math.radians(anchor.bearing_deg)
    cos_t, sin_t = math.cos(theta), math.sin(theta)
    local = f"+proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} +x_0=0 +y_0=0 +datum=WGS84 +units=m"
    to_wgs84 = Transformer.from_crs(local, "EPSG:4326", always_xy=True)

    def project(points: Sequence[Sequence[float]]) -> list[list[float]]:
        # The venue's +y axis points at the bearing, its +x axis 90 degrees clockwise from it.
        dx = [p[0] - ox for p in points]
        dy = [p[1] - oy for p in points]
        east = [x * cos_t + y * sin_t for x, y in zip(dx, dy, strict=True)]
        north = [-x * sin_t + y * cos_t for x, y in zip(dx, dy, strict=True)]
        lons, lats = to_wgs84.transform(east, north)
        return [
            [round(lon, DECIMALS), round(lat, DECIMALS)]
            for lon, lat in zip(lons, lats, strict=True)
        ]

    return project


def _polygon(ring: Sequence[Sequence[float]], project: Project) -> dict[str, Any]:
    """Return a GeoJSON Polygon of a closed venue ring, its exterior counter-clockwise."""
    coords = project(ring)
    if _signed_area(coords) < 0:
        coords.reverse()
    return {"type": "Polygon", "coordinates": [coords]}


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    """Return the shoelace area of a closed ring: positive when counter-clockwise."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
