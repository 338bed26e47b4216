"""The venue file's anchor: where a venue lies on the earth, checked with clear messages."""

from __future__ import annotations

from typing import Any

import pytest
import shapely

from boothopt.errors import VenueError
from boothopt.floorplan import load_venue, parse_venue
from boothopt.floorplan.venue import GeoAnchor


def venue_with(anchor: Any, units: str = "m") -> dict[str, Any]:
    """Return a one-hall venue (a 40 m x 30 m hall) with ``anchor``."""
    return {
        "schema": "boothopt.venue/1",
        "id": "anchored",
        "units": units,
        "anchor": anchor,
        "halls": [{"id": "H", "rect": {"origin": [0, 0], "size": [40, 30]}}],
    }


def test_anchor_is_read_with_its_origin_and_bearing() -> None:
    """An anchor gives the position, the bearing and the venue point it is measured from."""
    venue = parse_venue(
        venue_with({"lon": 126.978, "lat": 37.5665, "bearing_deg": 15, "origin": [20, 15]})
    )
    assert venue.anchor == GeoAnchor(126.978, 37.5665, 15.0, (20.0, 15.0))


def test_anchor_origin_is_in_the_files_units() -> None:
    """An origin written in centimetres becomes metres like every other point."""
    raw = venue_with({"lon": 0, "lat": 0, "origin": [2000, 1500]}, units="cm")
    raw["halls"][0]["rect"]["size"] = [4000, 3000]
    venue = parse_venue(raw)
    assert venue.anchor is not None and venue.anchor.origin == (20.0, 15.0)


def test_anchor_defaults_to_north_up_from_the_origin() -> None:
    """Without bearing and origin the venue's y axis points north from venue point (0, 0)."""
    venue = parse_venue(venue_with({"lon": 127, "lat": 37.5}))
    assert venue.anchor == GeoAnchor(127.0, 37.5, 0.0, (0.0, 0.0))


def test_negative_bearing_is_turned_into_the_compass_range() -> None:
    """A bearing of -20 degrees is 340 degrees clockwise from north."""
    venue = parse_venue(venue_with({"lon": 127, "lat": 37.5, "bearing_deg": -20}))
    assert venue.anchor is not None and venue.anchor.bearing_deg == pytest.approx(340.0)


def test_a_venue_without_anchor_has_none() -> None:
    """The anchor is optional."""
    raw = venue_with(None)
    del raw["anchor"]
    assert parse_venue(raw).anchor is None


BAD_ANCHORS = [
    ("latitude", {"lon": 127, "lat": 95}, "anchor.lat: 95", "latitude"),
    ("longitude", {"lon": 200, "lat": 37}, "anchor.lon: 200", "longitude"),
    ("bearing", {"lon": 127, "lat": 37, "bearing_deg": 400}, "anchor.bearing_deg: 400", "north"),
    ("not a number", {"lon": 127, "lat": "north"}, "anchor.lat:", "number"),
    ("missing lat", {"lon": 127}, "anchor.lat:", "missing"),
    ("origin", {"lon": 127, "lat": 37, "origin": [1, 2, 3]}, "anchor.origin", "2"),
    ("unknown field", {"lon": 127, "lat": 37, "heading": 3}, "anchor.heading", "unknown field"),
    ("nan", {"lon": 127, "lat": float("nan")}, "anchor.lat: nan", "latitude"),
]


@pytest.mark.parametrize(
    ("anchor", "where", "says"), [b[1:] for b in BAD_ANCHORS], ids=[b[0] for b in BAD_ANCHORS]
)
def test_a_bad_anchor_is_one_clear_problem(anchor: dict[str, Any], where: str, says: str) -> None:
    """Each bad anchor field is one problem naming the field and what a right value is."""
    with pytest.raises(VenueError) as info:
        parse_venue(venue_with(anchor), "v.yaml")
    assert len(info.value.problems) == 1, info.value.problems
    problem = info.value.problems[0]
    assert problem.startswith(where) and says in problem


@pytest.mark.parametrize(
    ("name", "lon", "lat"), [("coex", 127.0590, 37.5125), ("jamsil-mice", 127.0730, 37.5150)]
)
def test_builtin_venues_are_anchored_in_seoul(name: str, lon: float, lat: float) -> None:
    """COEX and Jamsil are anchored at their places in Gangnam and Songpa, at a hall point."""
    venue = load_venue(name)
    assert venue.anchor is not None
    assert venue.anchor.lon == pytest.approx(lon, abs=0.002)
    assert venue.anchor.lat == pytest.approx(lat, abs=0.002)
    footprint = shapely.union_all([h.outline for h in venue.halls]).envelope
    assert footprint.contains(shapely.Point(venue.anchor.origin))
