"""The GeoJSON export: RFC 7946 structure, geometry back in venue metres, COEX where it is."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely
from click.testing import CliRunner
from pyproj import Geod, Transformer

from boothopt.cli import main
from boothopt.contract import Anchor, Assignment, read_assignment
from boothopt.errors import InputError
from boothopt.outputs.geojson import projector, render_geojson

EXAMPLE_EVENT = Path(__file__).parent.parent.parent / "examples" / "smartlife-2024" / "event.yaml"
COEX_LON_LAT = (127.0590, 37.5125)  # COEX, 513 Yeongdong-daero, Seoul (about)
WGS84 = Geod(ellps="WGS84")
TOL_M = 0.03  # booth corners come back within 3 cm (1e-7 degree is about 1 cm)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    """The 2024 example at COEX, allocated with the greedy method."""
    out = tmp_path_factory.mktemp("example")
    result = CliRunner().invoke(
        main, ["allocate", str(EXAMPLE_EVENT), "--out", str(out), "--method", "greedy", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return read_assignment(out / "assignment.json")


def features(doc: Assignment) -> dict[str, list[dict[str, Any]]]:
    """Render the GeoJSON, parse it, and return its features by feature_type."""
    data = json.loads(render_geojson(doc)["floorplan.geojson"].decode("utf-8"))
    assert set(data) == {"type", "features"}  # no "crs": RFC 7946 is WGS84 only
    assert data["type"] == "FeatureCollection"
    out: dict[str, list[dict[str, Any]]] = {}
    for f in data["features"]:
        assert f["type"] == "Feature" and set(f) == {"type", "geometry", "properties"}
        out.setdefault(f["properties"]["feature_type"], []).append(f)
    return out


def to_venue(anchor: Anchor | None, lon_lat: list[list[float]]) -> list[tuple[float, float]]:
    """Project WGS84 positions back into venue metres (the inverse of the export, by hand)."""
    assert anchor is not None
    lon0, lat0 = anchor.lon, anchor.lat
    local = f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +x_0=0 +y_0=0 +datum=WGS84 +units=m"
    to_local = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    east, north = to_local.transform([p[0] for p in lon_lat], [p[1] for p in lon_lat])
    t = math.radians(anchor.bearing_deg)
    ox, oy = anchor.origin_m
    return [
        (ox + e * math.cos(t) - n * math.sin(t), oy + e * math.sin(t) + n * math.cos(t))
        for e, n in zip(east, north, strict=True)
    ]


def signed_area(ring: list[list[float]]) -> float:
    """Return the shoelace area of a ring, positive when counter-clockwise."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


def test_every_hall_booth_zone_area_and_reserved_area_is_a_feature(
    example: Assignment,
) -> None:
    """One feature per hall, booth, reserved area, zone area and entrance, with properties."""
    by_type = features(example)
    assert len(by_type["hall"]) == len(example.halls)
    assert len(by_type["booth"]) == len(example.booths)
    assert len(by_type["reserved"]) == len(example.reserved) > 0
    assert len(by_type["zone"]) == sum(len(z.area) for z in example.zones) > 0
    assert len(by_type["entrance"]) == len(example.entrances)
    booths = {b.booth_no: b for b in example.booths}
    for f in by_type["booth"]:
        p = f["properties"]
        b = booths[p["booth_no"]]
        keys = ("hall", "exhibitor_id", "name_ko", "name_en", "zone", "area_m2")
        assert [p[k] for k in keys] == [
            b.hall,
            b.exhibitor_id,
            b.name_ko,
            b.name_en,
            b.zone,
            b.area_m2,
        ]
        assert p["size_m"] == list(b.size_m) and p["open_sides"] == b.open_sides
        assert p["booth_type"] == b.booth_type and p["entrance"] == b.entrance
        assert p["level"] == {"B2": "1F", "C": "3F"}[b.hall]


def test_polygons_follow_rfc_7946(example: Assignment) -> None:
    """Closed rings of [lon, lat], counter-clockwise, at most 7 decimals, on the earth."""
    for group in features(example).values():
        for f in group:
            geometry = f["geometry"]
            if geometry["type"] == "Point":
                continue
            assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 1
            ring = geometry["coordinates"][0]
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert signed_area(ring) > 0  # exterior ring counter-clockwise
            for lon, lat in ring:
                assert -180 <= lon <= 180 and -90 <= lat <= 90
                assert round(lon, 7) == lon and round(lat, 7) == lat


def test_booths_project_back_onto_their_assignment_polygons(example: Assignment) -> None:
    """Each booth, taken back to venue metres, covers its polygon within a few centimetres."""
    booths = {b.booth_no: b for b in example.booths}
    for f in features(example)["booth"]:
        b = booths[f["properties"]["booth_no"]]
        back = shapely.Polygon(to_venue(example.anchor, f["geometry"]["coordinates"][0]))
        want = shapely.Polygon(b.polygon)
        # Rounding to 7 decimals moves each edge by under a centimetre.
        slack = want.length * 0.01
        assert back.area == pytest.approx(b.area_m2, abs=slack)
        assert back.hausdorff_distance(want) < TOL_M
        assert back.symmetric_difference(want).area < slack


def test_coex_booths_lie_at_coex(example: Assignment) -> None:
    """Every booth of the COEX example is within 300 m of COEX's position in Seoul."""
    lon0, lat0 = COEX_LON_LAT
    for f in features(example)["booth"]:
        for lon, lat in f["geometry"]["coordinates"][0]:
            _, _, metres = WGS84.inv(lon0, lat0, lon, lat)
            assert metres < 300


def test_distances_and_directions_follow_the_bearing() -> None:
    """With +y pointing 30° east of north, venue offsets come out at their true azimuth."""
    project = projector(Anchor(lon=127.0, lat=37.5, bearing_deg=30.0, origin_m=(100.0, 50.0)))
    offsets = [(0.0, 200.0), (150.0, 0.0), (-80.0, 60.0), (0.0, -120.0)]
    points = project([[100 + dx, 50 + dy] for dx, dy in offsets])
    for (dx, dy), (lon, lat) in zip(offsets, points, strict=True):
        # Where a surveyor would walk: from the anchor, at the offset's true azimuth.
        azimuth = 30.0 + math.degrees(math.atan2(dx, dy))
        want_lon, want_lat, _ = WGS84.fwd(127.0, 37.5, azimuth, math.hypot(dx, dy))
        _, _, miss = WGS84.inv(want_lon, want_lat, lon, lat)
        assert miss < 0.02
    assert project([[100, 50]]) == [[127.0, 37.5]]


def test_rotated_plan_keeps_rings_counter_clockwise(example: Assignment) -> None:
    """Turning the venue 200° keeps every ring counter-clockwise and booths in place."""
    assert example.anchor is not None
    turned = example.anchor.model_copy(update={"bearing_deg": 200.0})
    doc = example.model_copy(update={"anchor": turned})
    for f in features(doc)["booth"][:20]:
        ring = f["geometry"]["coordinates"][0]
        assert signed_area(ring) > 0
        back = shapely.Polygon(to_venue(doc.anchor, ring))
        match = next(b for b in doc.booths if b.booth_no == f["properties"]["booth_no"])
        assert back.hausdorff_distance(shapely.Polygon(match.polygon)) < TOL_M


def test_no_anchor_says_how_to_add_one(example: Assignment) -> None:
    """Without an anchor the export says the venue file needs one and shows how it is written."""
    doc = example.model_copy(update={"anchor": None})
    with pytest.raises(InputError) as info:
        render_geojson(doc)
    message = str(info.value)
    assert "venue coex has no geographic anchor" in message
    assert "anchor: {lon:" in message and "bearing_deg" in message and "origin" in message
