"""The IMDF export: every feature against the standard's rules, references, geometry, bytes.

The rules below are written out from OGC IMDF 1.0.0 (Community Standard 20-094), page by page,
and not taken from the module: which geometry each feature type has, which properties it must
carry, which may be null, and the categories the standard allows.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import math
import re
import uuid
import zipfile
from typing import Any

import pytest
import shapely
from click.testing import CliRunner
from pyproj import Transformer
from shapely.geometry import shape

from boothopt.cli import main
from boothopt.contract import Anchor, Assignment, Dates, PostalAddress, read_assignment
from boothopt.errors import InputError
from boothopt.outputs.geojson import render_geojson
from boothopt.outputs.imdf import render_imdf

TOL_M = 0.01  # booth corners come back within a centimetre (1e-7 degree is about 1 cm)
HOSTILE_KO = '"</script><script>alert(1)</script>\x07\x00\u202e'
HOSTILE_EN = 'O\'Brien "&" </script>\n\t\\ 🎉'

# ---------------------------------------------------------------------------------------------
# The standard, written out (docs.ogc.org/cs/20-094: one page per feature type, Categories).
# ---------------------------------------------------------------------------------------------

VENUE_CATEGORIES = {
    "airport", "airport.intl", "aquarium", "businesscampus", "casino", "communitycenter",
    "conventioncenter", "governmentfacility", "healthcarefacility", "hotel", "museum",
    "parkingfacility", "resort", "retailstore", "shoppingcenter", "stadium", "stripmall",
    "theater", "themepark", "trainstation", "transitstation", "university",
}  # fmt: skip
BUILDING_CATEGORIES = {"parking", "transit", "transit.bus", "transit.train", "unspecified"}
FOOTPRINT_CATEGORIES = {"aerial", "ground", "subterranean"}
LEVEL_CATEGORIES = {
    "arrivals", "arrivals.domestic", "arrivals.intl", "departures", "departures.domestic",
    "departures.intl", "parking", "transit", "unspecified",
}  # fmt: skip
UNIT_CATEGORIES = {
    "auditorium", "brick", "classroom", "column", "concrete", "conferenceroom", "drywall",
    "elevator", "escalator", "fieldofplay", "firstaid", "fitnessroom", "foodservice",
    "footbridge", "glass", "huddleroom", "kitchen", "laboratory", "library", "lobby", "lounge",
    "mailroom", "mothersroom", "movietheater", "movingwalkway", "nonpublic", "office",
    "opentobelow", "parking", "phoneroom", "platform", "privatelounge", "ramp", "recreation",
    "restroom", "restroom.family", "restroom.female", "restroom.female.wheelchair",
    "restroom.male", "restroom.male.wheelchair", "restroom.transgender",
    "restroom.transgender.wheelchair", "restroom.unisex", "restroom.unisex.wheelchair",
    "restroom.wheelchair", "road", "room", "serverroom", "shower", "smokingarea", "stairs",
    "steps", "storage", "structure", "terrace", "theater", "unenclosedarea", "unspecified",
    "vegetation", "waitingroom", "walkway", "walkway.island", "wood",
}  # fmt: skip
SECTION_CATEGORIES = {
    "arcade",
    "baggageclaim",
    "baggageclaim.intl",
    "carrental",
    "carrental.dropoff",
    "checkin",
    "concessions",
    "cubicle",
    "dutyfree",
    "eatingdrinking",
    "entertainmentarea",
    "entertainmentarea.game",
    "entertainmentarea.music",
    "entertainmentarea.performance",
    "entertainmentarea.sport",
    "exhibit",
    "exhibition",
    "gatearea",
    "gatearea.holding",
    "immigration",
    "immigration.schengen",
    "information",
    "paidarea",
    "parkandride",
    "parking",
    "platform",
    "postsecurity",
    "presecurity",
    "private",
    "recomposearea",
    "recreation",
    "rental",
    "retail",
    "retaildepartment",
    "road",
    "seating",
    "seatingrow",
    "security",
    "servicearea",
    "ticketing",
    "vegetation",
    "walkway",
}  # fmt: skip  (the gambling.* entries left out)
OPENING_CATEGORIES = {
    "automobile", "bicycle", "emergencyexit", "pedestrian", "pedestrian.principal",
    "pedestrian.transit", "service",
}  # fmt: skip
# The standard's Amenity and Occupant lists run to hundreds of entries; these are the entries
# of them an exhibition hall's desks, lounges, stages and exhibitors could take.
AMENITY_CATEGORIES = {
    "amphitheater", "businesscenter", "eatingdrinking", "entry", "exhibit", "firstaid",
    "information", "landmark", "meetingpoint", "privatelounge", "seating", "service",
    "unspecified",
}  # fmt: skip
OCCUPANT_CATEGORIES = {
    "corporateoffices", "eventspace", "nonprofit", "popup", "popupshops",
    "professionalservices", "publicservices.government", "researchanddevelopment",
}  # fmt: skip
RESTRICTIONS = {"employeesonly", "restricted"}

# What a property may hold: a set of categories, or one of these kinds.
LABELS, POINT, STR, BOOL, INT, TEMPORALITY, LIST = (
    "labels", "point", "str", "bool", "int", "temporality", "list",
)  # fmt: skip


def ref(kind: str) -> tuple[str, str]:
    """A property holding the id of a feature of ``kind``."""
    return ("ref", kind)


def refs(kind: str) -> tuple[str, str]:
    """A property holding an array of ids of features of ``kind``."""
    return ("refs", kind)


# Feature type -> (geometry, {property: (what it holds, may it be null)}).
SPEC: dict[str, tuple[str | None, dict[str, tuple[Any, bool]]]] = {
    "address": (None, {
        "address": (STR, False), "unit": (STR, True), "locality": (STR, False),
        "province": (STR, True), "country": (STR, False), "postal_code": (STR, True),
        "postal_code_ext": (STR, True), "postal_code_vanity": (STR, True),
    }),
    "venue": ("polygonal", {
        "category": (VENUE_CATEGORIES, False), "restriction": (RESTRICTIONS, True),
        "name": (LABELS, False), "alt_name": (LABELS, True), "hours": (STR, True),
        "phone": (STR, True), "website": (STR, True), "display_point": (POINT, False),
        "address_id": (ref("address"), False),
    }),
    "building": (None, {
        "name": (LABELS, True), "alt_name": (LABELS, True),
        "category": (BUILDING_CATEGORIES, False), "restriction": (RESTRICTIONS, True),
        "display_point": (POINT, True), "address_id": (ref("address"), True),
    }),
    "footprint": ("polygonal", {
        "category": (FOOTPRINT_CATEGORIES, False), "name": (LABELS, True),
        "building_ids": (refs("building"), False),
    }),
    "level": ("polygonal", {
        "category": (LEVEL_CATEGORIES, False), "restriction": (RESTRICTIONS, True),
        "outdoor": (BOOL, False), "ordinal": (INT, False), "name": (LABELS, False),
        "short_name": (LABELS, False), "display_point": (POINT, True),
        "address_id": (ref("address"), True), "building_ids": (refs("building"), True),
    }),
    "unit": ("polygonal", {
        "category": (UNIT_CATEGORIES, False), "restriction": (RESTRICTIONS, True),
        "accessibility": (LIST, True), "name": (LABELS, True), "alt_name": (LABELS, True),
        "level_id": (ref("level"), False), "display_point": (POINT, True),
    }),
    "section": ("polygonal", {
        "category": (SECTION_CATEGORIES, False), "restriction": (RESTRICTIONS, True),
        "accessibility": (LIST, True), "name": (LABELS, True), "alt_name": (LABELS, True),
        "display_point": (POINT, True), "level_id": (ref("level"), False),
        "address_id": (ref("address"), True), "correlation_id": (STR, True),
        "parents": (refs("section"), True),
    }),
    "opening": ("linestring", {
        "category": (OPENING_CATEGORIES, False), "accessibility": (LIST, True),
        "access_control": (LIST, True), "door": (dict, True), "name": (LABELS, True),
        "alt_name": (LABELS, True), "display_point": (POINT, True),
        "level_id": (ref("level"), False),
    }),
    "amenity": ("point", {
        "category": (AMENITY_CATEGORIES, False), "accessibility": (LIST, True),
        "name": (LABELS, True), "alt_name": (LABELS, True), "hours": (STR, True),
        "phone": (STR, True), "website": (STR, True), "unit_ids": (refs("unit"), False),
        "address_id": (ref("address"), True), "correlation_id": (STR, True),
    }),
    "anchor": ("point", {
        "address_id": (ref("address"), True), "unit_id": (ref("unit"), False),
    }),
    "occupant": (None, {
        "name": (LABELS, False), "category": (OCCUPANT_CATEGORIES, False),
        "anchor_id": (ref("anchor"), False), "hours": (STR, True), "phone": (STR, True),
        "website": (STR, True), "validity": (TEMPORALITY, True),
        "correlation_id": (STR, True),
    }),
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# An event allocated by the real pipeline: COEX halls A (1F) and C (3F), drawn on the same
# ground, a zone, a stage, a lounge and an info desk, and an exhibitor with a hostile name.
# ---------------------------------------------------------------------------------------------

EVENT = """schema: boothopt.event/1
name: IMDF Test Fair
name_ko: IMDF 시험 박람회
venue: coex
halls: [A, C]
zones:
- id: mobility
  name_ko: 모빌리티존
  name_en: Mobility Zone
  members: {kinds: [], categories: [], ids: [co-2]}
  hall: C
reserved:
- {id: stage-1, kind: stage, name_ko: 무대, name_en: Stage, size_m: [9, 6], hall: C}
- {id: lounge-1, kind: lounge, name_ko: 라운지, name_en: Lounge, size_m: [6, 6], hall: A}
- {id: info-1, kind: info, name_ko: 안내, name_en: Info, size_m: [3, 3], hall: C}
exhibitors: [ex.json]
"""


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    """The event above, allocated with the greedy method, as the exports read it."""
    folder = tmp_path_factory.mktemp("imdf")
    exhibitors = [
        {"id": "co-1", "name_ko": "가온", "name_en": "Gaon", "kind": "company", "modules": 2},
        {"id": "co-2", "name_ko": "이음", "name_en": "Ieum", "kind": "company", "modules": 4},
        {"id": "city-1", "name_ko": "서울", "name_en": "Seoul", "kind": "city", "modules": 6},
        {"id": "inst-1", "name_ko": "연구원", "name_en": "Institute", "kind": "institution",
         "modules": 1},
        {"id": "gov-1", "name_ko": "부처", "name_en": "Ministry", "kind": "government",
         "modules": 2, "halls": "A"},
        {"id": "evil", "name_ko": HOSTILE_KO, "name_en": HOSTILE_EN, "kind": "company",
         "modules": 1},
    ]  # fmt: skip
    (folder / "ex.json").write_text(json.dumps(exhibitors), encoding="utf-8")
    (folder / "event.yaml").write_text(EVENT, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(
        main,
        [
            "allocate",
            str(folder / "event.yaml"),
            "--out",
            str(out),
            "--method",
            "greedy",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    return read_assignment(out / "assignment.json")


def archive(doc: Assignment) -> dict[str, Any]:
    """Render the archive and return each file of it parsed, by name."""
    files = render_imdf(doc)
    assert list(files) == ["venue.imdf.zip"]
    with zipfile.ZipFile(io.BytesIO(files["venue.imdf.zip"])) as z:
        assert z.testzip() is None
        return {name: json.loads(z.read(name).decode("utf-8")) for name in z.namelist()}


def features(doc: Assignment) -> dict[str, list[dict[str, Any]]]:
    """Return the features of the archive by feature type (its file name)."""
    return {
        name.removesuffix(".geojson"): data["features"]
        for name, data in archive(doc).items()
        if name.endswith(".geojson")
    }


def signed_area(ring: list[list[float]]) -> float:
    """Return the shoelace area of a ring, positive when counter-clockwise."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


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


def check_position(p: Any) -> None:
    assert isinstance(p, list) and len(p) == 2
    lon, lat = p
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert round(lon, 7) == lon and round(lat, 7) == lat


def check_geometry(kind: str | None, geometry: Any) -> None:
    """Check a geometry against the kind the standard gives its feature type."""
    if kind is None:
        assert geometry is None
        return
    if kind == "point":
        assert geometry["type"] == "Point"
        check_position(geometry["coordinates"])
        return
    if kind == "linestring":
        assert geometry["type"] == "LineString"
        line = geometry["coordinates"]
        assert len(line) >= 2 and line[0] != line[-1]
        for p in line:
            check_position(p)
        return
    assert geometry["type"] in ("Polygon", "MultiPolygon")
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    assert polygons
    for rings in polygons:
        for k, ring in enumerate(rings):
            assert len(ring) >= 4 and ring[0] == ring[-1]  # closed
            for p in ring:
                check_position(p)
            # RFC 7946: exterior rings counter-clockwise, holes clockwise.
            assert (signed_area(ring) > 0) == (k == 0)
    assert shape(geometry).is_valid


def check_value(what: Any, value: Any, ids: dict[str, set[str]]) -> None:
    """Check one property value against what the standard says it holds."""
    if isinstance(what, set):
        assert value in what
    elif what == LABELS:
        assert isinstance(value, dict) and value
        for tag, text in value.items():
            assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag)
            assert isinstance(text, str) and text
    elif what == POINT:
        check_geometry("point", value)
    elif what == STR:
        assert isinstance(value, str)
    elif what == BOOL:
        assert isinstance(value, bool)
    elif what == INT:
        assert isinstance(value, int) and not isinstance(value, bool)
    elif what == LIST:
        assert isinstance(value, list)
    elif what == TEMPORALITY:
        assert set(value) <= {"start", "end", "modified"} and {"start", "end"} <= set(value)
        assert dt.datetime.fromisoformat(value["start"]) <= dt.datetime.fromisoformat(value["end"])
    elif what is dict:
        assert isinstance(value, dict)
    elif what[0] == "ref":
        assert value in ids[what[1]]
    else:
        assert isinstance(value, list) and value and set(value) <= ids[what[1]]


def test_the_archive_holds_the_manifest_and_one_collection_per_feature_type(
    doc: dict[str, Any],
) -> None:
    """Fixed file names, a manifest as the Manifest page asks, FeatureCollections of RFC 7946."""
    files = archive(doc)
    assert set(files) == {"manifest.json"} | {f"{kind}.geojson" for kind in SPEC}
    manifest = files["manifest.json"]
    assert manifest["version"] == "1.0.0"  # the only version allowed
    dt.datetime.fromisoformat(manifest["created"].replace("Z", "+00:00"))
    assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", manifest["language"])
    assert manifest.get("generated_by") is None or isinstance(manifest["generated_by"], str)
    assert manifest.get("extensions") is None or isinstance(manifest["extensions"], list)
    for name, data in files.items():
        if name != "manifest.json":
            assert set(data) == {"type", "features"} and data["type"] == "FeatureCollection"


def test_every_feature_follows_its_page_of_the_standard(doc: Assignment) -> None:
    """Ids are unique UUIDs; geometry kind, required properties, categories and references."""
    by_type = features(doc)
    ids = {kind: {f["id"] for f in group} for kind, group in by_type.items()}
    every = [f["id"] for group in by_type.values() for f in group]
    assert len(every) == len(set(every))
    for kind, group in by_type.items():
        geometry_kind, properties = SPEC[kind]
        for f in group:
            assert set(f) == {"id", "type", "feature_type", "geometry", "properties"}
            assert f["type"] == "Feature" and f["feature_type"] == kind
            assert str(uuid.UUID(f["id"])) == f["id"]
            check_geometry(geometry_kind, f["geometry"])
            assert set(f["properties"]) == set(properties), kind
            for key, (what, nullable) in properties.items():
                value = f["properties"][key]
                if value is None:
                    assert nullable, f"{kind}.{key} may not be null"
                else:
                    check_value(what, value, ids)
    # One venue, building and footprint; the venue's address is there (COEX).
    assert [len(by_type[k]) for k in ("venue", "building", "footprint", "address")] == [1] * 4


def test_booths_units_anchors_and_occupants_point_at_each_other(doc: Assignment) -> None:
    """Each booth is a Unit on its hall's Level, holding the Anchor its Occupant names."""
    by_type = features(doc)
    units = {f["id"]: f for f in by_type["unit"]}
    anchors = {f["id"]: f for f in by_type["anchor"]}
    levels = {f["id"]: f["properties"]["short_name"]["en"] for f in by_type["level"]}
    hall_level = {h.id: h.level for h in doc.halls}
    booths = {b.booth_no: b for b in doc.booths}
    occupants = by_type["occupant"]
    assert len(occupants) == len(doc.booths)
    seen: set[str] = set()
    for o in occupants:
        anchor = anchors[o["properties"]["anchor_id"]]
        unit = units[anchor["properties"]["unit_id"]]
        booth = booths[unit["properties"]["name"]["en"]]
        seen.add(booth.booth_no)
        assert unit["properties"]["category"] == "room"
        assert levels[unit["properties"]["level_id"]] == hall_level[booth.hall]
        assert o["properties"]["name"] == {"ko": booth.name_ko, "en": booth.name_en}
        # "Anchor MUST be placed within the referenced Unit".
        assert shape(unit["geometry"]).contains(shape(anchor["geometry"]))
    assert seen == set(booths)
    # Every amenity names the reserved area's unit it stands in.
    for a in by_type["amenity"]:
        (unit_id,) = a["properties"]["unit_ids"]
        assert shape(units[unit_id]["geometry"]).contains(shape(a["geometry"]))


def test_booth_units_project_back_onto_the_booth_polygons(doc: Assignment) -> None:
    """Taken back to venue metres, each booth's Unit is its polygon within a centimetre."""
    booths = {b.booth_no: b for b in doc.booths}
    for f in features(doc)["unit"]:
        name = f["properties"]["name"]
        if f["properties"]["category"] != "room":
            continue
        booth = booths[name["en"]]
        assert f["geometry"]["type"] == "Polygon" and len(f["geometry"]["coordinates"]) == 1
        back = shapely.Polygon(to_venue(doc.anchor, f["geometry"]["coordinates"][0]))
        want = shapely.Polygon(booth.polygon)
        assert back.hausdorff_distance(want) < TOL_M
        # Rounding to 7 decimals moves each edge by under a centimetre.
        assert back.area == pytest.approx(booth.area_m2, abs=want.length * TOL_M)


def test_halls_on_two_floors_are_two_levels_and_units_tile_each(doc: Assignment) -> None:
    """A (1F) and C (3F) share ground but not a Level; a Level's Units cover it once."""
    by_type = features(doc)
    levels = {f["properties"]["short_name"]["en"]: f for f in by_type["level"]}
    assert set(levels) == {"1F", "3F"}
    assert levels["1F"]["properties"]["ordinal"] == 0
    assert levels["3F"]["properties"]["ordinal"] == 2
    assert levels["1F"]["geometry"] == levels["3F"]["geometry"]
    for level in levels.values():
        floor = shape(level["geometry"])
        parts = [
            shape(u["geometry"])
            for u in by_type["unit"]
            if u["properties"]["level_id"] == level["id"]
        ]
        categories = {
            u["properties"]["category"]
            for u in by_type["unit"]
            if u["properties"]["level_id"] == level["id"]
        }
        assert {"room", "walkway", "column"} <= categories
        # No two units overlap, and together they are the floor.
        assert sum(p.area for p in parts) == pytest.approx(floor.area, rel=1e-5)
        assert shapely.union_all(parts).symmetric_difference(floor).area < 1e-5 * floor.area
    # Zones are Sections on the level of their hall.
    (section,) = by_type["section"]
    assert section["properties"]["level_id"] == levels["3F"]["id"]
    assert section["properties"]["name"] == {"ko": "모빌리티존", "en": "Mobility Zone"}


def test_entrances_and_exits_are_openings_on_the_walls(doc: Assignment) -> None:
    """Each entrance is a door of its width on the wall; each exit clear zone gives an exit."""
    by_type = features(doc)
    openings = by_type["opening"]
    entrances = [o for o in openings if o["properties"]["category"] == "pedestrian"]
    exits = [o for o in openings if o["properties"]["category"] == "emergencyexit"]
    assert len(entrances) == len(doc.entrances)
    assert len(exits) == sum(b.kind == "exit-clearance" for b in doc.blocked) > 0
    widths = {e.id: e.width_m for e in doc.entrances}
    walls = {h.id: shapely.Polygon(h.polygon).exterior for h in doc.halls}
    for o in entrances:
        line = shapely.LineString(to_venue(doc.anchor, o["geometry"]["coordinates"]))
        assert line.length == pytest.approx(widths[o["properties"]["name"]["en"]], abs=0.02)
        assert min(w.distance(line.centroid) for w in walls.values()) < TOL_M
    for o in exits:
        line = shapely.LineString(to_venue(doc.anchor, o["geometry"]["coordinates"]))
        assert line.length > 1
        assert all(min(w.distance(shapely.Point(p)) for w in walls.values()) < TOL_M
                   for p in line.coords)  # fmt: skip


def test_the_same_assignment_gives_the_same_bytes(doc: Assignment) -> None:
    """Ids, order and ZIP timestamps are fixed: two renders, even of a copy, are equal."""
    first = render_imdf(doc)["venue.imdf.zip"]
    assert render_imdf(doc.model_copy(deep=True))["venue.imdf.zip"] == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # Another event gets other ids.
    other = doc.model_copy(update={"event": "Another Fair"})
    assert {f["id"] for f in features(other)["unit"]}.isdisjoint(
        f["id"] for f in features(doc)["unit"]
    )


def test_a_hostile_exhibitor_name_is_data(doc: Assignment) -> None:
    """Quotes, </script>, control characters and bidi marks come back as the same text."""
    raw = render_imdf(doc)["venue.imdf.zip"]
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert sorted(z.namelist()) == sorted(
            ["manifest.json", *(f"{kind}.geojson" for kind in SPEC)]
        )
        text = z.read("occupant.geojson")
    assert not any(byte < 0x20 for byte in text.rstrip(b"\n"))  # escaped, not written raw
    names = [o["properties"]["name"] for o in json.loads(text)["features"]]
    assert {"ko": HOSTILE_KO, "en": HOSTILE_EN} in names


def test_show_dates_become_the_occupants_validity(doc: Assignment) -> None:
    """Without dates the validity is null; with them it runs from the first to the last day."""
    assert {o["properties"]["validity"] for o in features(doc)["occupant"]} == {None}
    dated = doc.model_copy(update={"dates": Dates(start="2024-10-10", end="2024-10-12")})
    for o in features(dated)["occupant"]:
        assert o["properties"]["validity"] == {
            "start": "2024-10-10T00:00:00",
            "end": "2024-10-12T23:59:59",
        }
    dated = doc.model_copy(update={"dates": Dates(start="2024-10-12", end="soon")})
    with pytest.raises(InputError, match=r"dates\.end"):
        render_imdf(dated)


def test_no_anchor_gives_the_geojson_error(doc: Assignment) -> None:
    """Without an anchor the archive cannot be placed: the same clear error as GeoJSON."""
    lost = doc.model_copy(update={"anchor": None})
    with pytest.raises(InputError) as imdf_error:
        render_imdf(lost)
    with pytest.raises(InputError) as geojson_error:
        render_geojson(lost)
    assert str(imdf_error.value) == str(geojson_error.value)
    assert "venue coex has no geographic anchor" in str(imdf_error.value)


def test_a_given_address_is_used_and_an_unknown_venue_has_none(doc: Assignment) -> None:
    """An address in the document wins; a venue boothopt has no address for gets none."""
    street = PostalAddress(address="1 Test Street", locality="Busan", country="KR")
    given = doc.model_copy(update={"address": street})
    (address,) = features(given)["address"]
    assert address["properties"]["locality"] == "Busan"
    unknown = doc.model_copy(update={"venue": "elsewhere"})
    by_type = features(unknown)
    assert by_type["address"] == []
    assert by_type["venue"][0]["properties"]["address_id"] is None
