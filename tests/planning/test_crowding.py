"""The crowding forecast: the peak, the aisle crowd, levels, hot spots and the heat layer."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import boothopt
from boothopt.contract import SCHEMA, Assignment, parse_assignment
from boothopt.inputs.event_file import load_event
from boothopt.outputs.plan_svg import plan_layout
from boothopt.planning.crowding import (
    LEVEL_COLOURS,
    LEVEL_FLOORS_M2,
    LEVELS,
    MAX_HOT_SPOTS,
    STAND_M2_PER_PERSON,
    STAND_SHARE,
    Forecast,
    Segment,
    Visitors,
    forecast,
    heat_layer_svg,
    walkway_level,
)
from boothopt.solver.problem import Problem, build_problem

HEADER = (
    "id,name_en,kind,category,modules,shape,rotatable,booth_type,tier,priority_points,zone,"
    "halls,near,avoid,load_t_m2"
)

# One hall 31 m x 9 m, laid out with no perimeter aisle and one-module rows: a row of booths on
# each side of a single 3 m aisle, whose centre line runs from x = 0.25 to 30.75 at y = 4.5 (the
# half metre left over along the hall is split between its ends). Entrance west, exit east.
ONE_AISLE_VENUE = """schema: boothopt.venue/1
id: one-aisle
halls:
  - id: L
    rect: {origin: [0, 0], size: [31, 9]}
    entrances: [{id: L-E1, at: [0, 4.5], width_m: 3}]
    exits: [{id: L-X1, at: [31, 4.5], width_m: 2}]
"""
ONE_AISLE_AREA_M2 = 30.5 * 3.0

# Two 40 m x 27 m halls (as the solver tests'): each has two blocks of 10 x 2 modules at
# x 5-35, y 6-12 and y 15-21, aisles along y = 3 (6 m wide), 13.5 (3 m) and 24 (6 m), cross
# aisles at x = 2.5 and 37.5 (5 m), an entrance at the middle of the north wall.
TWO_HALL_VENUE = """schema: boothopt.venue/1
id: tiny
halls:
  - id: P
    rect: {origin: [0, 0], size: [40, 27]}
    entrances: [{id: P-E1, at: [20, 27], width_m: 4}]
    exits: [{id: P-X1, at: [0, 13.5], width_m: 2}, {id: P-X2, at: [40, 13.5], width_m: 2}]
  - id: Q
    rect: {origin: [50, 0], size: [40, 27]}
    entrances: [{id: Q-E1, at: [70, 27], width_m: 4}]
    exits: [{id: Q-X1, at: [50, 13.5], width_m: 2}, {id: Q-X2, at: [90, 13.5], width_m: 2}]
"""


def _event(tmp_path: Path, venue: str, rows: list[str], halls: str, extra: str = "") -> Path:
    """Write a venue, an event renting ``halls`` and its exhibitor table; return the event."""
    (tmp_path / "venue.yaml").write_text(venue, encoding="utf-8")
    (tmp_path / "ex.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    event = tmp_path / "event.yaml"
    event.write_text(
        f"schema: boothopt.event/1\nname: Tiny\nvenue: venue.yaml\nhalls: {halls}\n"
        f"exhibitors: [ex.csv]\n{extra}",
        encoding="utf-8",
    )
    return event


def _row(ident: str, modules: int, tier: str) -> str:
    return f"{ident},{ident.title()},company,,{modules},,,,{tier},0,,,,,"


@pytest.fixture
def two_halls(tmp_path: Path) -> Problem:
    """Return the problem of the two-hall venue (no booths placed: the tests place them)."""
    path = _event(tmp_path, TWO_HALL_VENUE, [_row("x", 1, "standard")], "[P, Q]")
    return build_problem(load_event(path))


def _booth(
    no: str, hall: str, box: tuple[float, float, float, float], tier: str, **fields: Any
) -> dict[str, Any]:
    """Return a booth as the assignment file holds it."""
    x0, y0, x1, y1 = box
    return {
        "booth_no": no,
        "hall": hall,
        "exhibitor_id": no,
        "name_en": f"Exhibitor of {no}",
        "polygon": [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]],
        "tier": tier,
        "area_m2": (x1 - x0) * (y1 - y0),
        "modules": round((x1 - x0) * (y1 - y0) / 9),
        "size_m": [x1 - x0, y1 - y0],
        **fields,
    }


def _layout(problem: Problem, booths: list[dict[str, Any]]) -> Assignment:
    """Return the assignment of the problem's halls with these booths, read as a file is."""
    halls = [
        {
            "id": h,
            "level": g.hall.level,
            "polygon": [list(p) for p in g.hall.outline.exterior.coords],
        }
        for h, g in problem.grids.items()
    ]
    return parse_assignment({"schema": SCHEMA, "halls": halls, "booths": booths})


def _every_cell(problem: Problem, tier: str = "standard") -> Assignment:
    """Return an assignment with a one-module booth on every cell of every hall."""
    booths = []
    for hall, grid in problem.grids.items():
        for n, (x0, y0, x1, y1) in enumerate(grid.cell_boxes.tolist()):
            booths.append(_booth(f"{hall}-{n + 101}", hall, (x0, y0, x1, y1), tier))
    return _layout(problem, booths)


def _on(fc: Forecast, hall: str, y: float) -> list[Segment]:
    """Return the hall's segments running along the rows at height ``y``."""
    return [
        s for s in fc.segments if s.hall == hall and all(abs(c[1] - y) < 1e-6 for c in s.coords)
    ]


# --- the one-aisle hall, by hand -----------------------------------------------------------------


def test_one_aisle_hall_matches_the_hand_computation(tmp_path: Path) -> None:
    """The peak, the aisle crowd, its density and level are those worked out by hand."""
    path = _event(
        tmp_path,
        ONE_AISLE_VENUE,
        [_row("a", 1, "standard"), _row("b", 2, "platinum")],
        "[L]",
        "aisles: {perimeter_aisle_m: 0, block_depth_modules: 1}\n",
    )
    run = boothopt.allocate(path, method="greedy", allow_breaches=True)
    assert sorted(b.area_m2 for b in run.layout.booths) == [9.0, 18.0]

    # 600 visitors over 3 days = 200 a day; 20 % arrive in the peak hour and stay half an hour.
    fc = forecast(run.problem, run.layout, Visitors(600, 3, 0.2, 0.5))
    assert fc.peak_on_floor == pytest.approx(20.0)  # 200 x 0.2 x 0.5
    # Attraction: a 9 m² standard booth (x 1) and an 18 m² platinum one (x 2): 9 : 36, so they
    # draw 4 and 16 people. Inside the stands: half of each, at most one per 4 m²:
    # min(2, 9/4) = 2 and min(8, 18/4) = 4.5. Both face the one aisle, and every walk from the
    # door runs along it: it holds the other 20 - 6.5 = 13.5.
    (aisle,) = fc.segments
    assert aisle.width_m == pytest.approx(3.0)
    assert aisle.area_m2 == pytest.approx(ONE_AISLE_AREA_M2)  # 30.5 m x 3 m
    assert aisle.people == pytest.approx(13.5)
    assert aisle.m2_per_person == pytest.approx(91.5 / 13.5)  # 6.78 m² per person
    assert aisle.level == "A"
    assert fc.on_aisles == pytest.approx(13.5)
    assert fc.share_by_level == {"A": 1.0, "B": 0.0, "C": 0.0, "D": 0.0, "E": 0.0, "F": 0.0}
    assert fc.worst_level == "A"
    assert fc.hot_spots == (aisle,)

    # Three times the visitors: 60 on the floor, both stands full (2.25 + 4.5 inside), 53.25 in
    # the aisle: 91.5 / 53.25 = 1.72 m² per person, level D.
    busy = forecast(run.problem, run.layout, Visitors(1800, 3, 0.2, 0.5))
    assert busy.peak_on_floor == pytest.approx(60.0)
    (aisle,) = busy.segments
    assert aisle.people == pytest.approx(53.25)
    assert aisle.m2_per_person == pytest.approx(91.5 / 53.25)
    assert aisle.level == "D"
    assert busy.worst_level == "D"


def test_peak_is_littles_law_with_the_stated_defaults() -> None:
    """The default arrival and stay put 30,000 visitors over 3 days at 2,250 on the floor."""
    v = Visitors(30_000)
    assert (v.days, v.peak_hour_share, v.dwell_h) == (3, 0.15, 1.5)
    assert v.peak_on_floor == pytest.approx(10_000 * 0.15 * 1.5)
    # 2024: COEX Halls B2 (67.5 m x 54 m) and C (10,368 m²) at the measured 6.1-6.3 m² each.
    assert 6.1 <= (67.5 * 54 + 10_368) / v.peak_on_floor <= 6.3
    assert Visitors(100_000, days=4).peak_on_floor == pytest.approx(25_000 * 0.15 * 1.5)


@pytest.mark.parametrize(
    "kwargs", [{"days": 0}, {"peak_hour_share": 0.0}, {"peak_hour_share": 1.5}, {"dwell_h": -1}]
)
def test_visitors_refuse_impossible_figures(kwargs: dict[str, float]) -> None:
    """Zero days, a peak share outside (0, 1] or a negative stay is refused with a reason."""
    with pytest.raises(ValueError, match=r"day|share|hours"):
        Visitors(1000, **kwargs)


# --- the model's properties -------------------------------------------------------------------


def test_doubling_attendance_halves_room_per_person(two_halls: Problem) -> None:
    """While no stand is full, twice the visitors leave half the room on every aisle."""
    layout = _every_cell(two_halls)
    one = forecast(two_halls, layout, Visitors(1000))
    two = forecast(two_halls, layout, Visitors(2000))
    # No stand full even at 2,000: each of the 80 booths holds half of 150 / 80 < 9 / 4.
    assert STAND_SHARE * two.peak_on_floor / 80 < 9 / STAND_M2_PER_PERSON
    assert two.peak_on_floor == pytest.approx(2 * one.peak_on_floor)
    # Every booth faces an aisle and is reached from a door: the other half is in the aisles.
    assert one.on_aisles == pytest.approx(one.peak_on_floor * (1 - STAND_SHARE))
    assert len(one.segments) == 16
    for a, b in zip(one.segments, two.segments, strict=True):
        assert a.people > 0
        assert b.m2_per_person == pytest.approx(a.m2_per_person / 2)


def test_full_stands_spill_into_the_aisles(two_halls: Problem) -> None:
    """Beyond one person per 4 m² of stand, the rest of a booth's crowd is in the aisles."""
    layout = _every_cell(two_halls)
    fc = forecast(two_halls, layout, Visitors(100_000))
    held = 80 * 9 / STAND_M2_PER_PERSON  # 80 stands of 9 m², full
    assert fc.on_aisles == pytest.approx(fc.peak_on_floor - held)


@pytest.mark.parametrize("bigger", [{"tier": "platinum"}, {"size": 2}])
def test_a_bigger_or_higher_tier_booth_draws_more_to_its_aisle(
    two_halls: Problem, bigger: dict[str, Any]
) -> None:
    """Booth A faces the south aisle, B the north one: upgrading A crowds A's aisle more."""
    b = _booth("P-B", "P", (14, 18, 17, 21), "standard")  # faces the aisle at y = 24

    def layout(tier: str, modules: int) -> Assignment:
        a = _booth("P-A", "P", (14, 6, 14 + 3 * modules, 9), tier)  # faces the aisle at y = 3
        return _layout(two_halls, [a, b])

    visitors = Visitors(3000)
    plain = forecast(two_halls, layout("standard", 1), visitors)
    better = forecast(
        two_halls, layout(bigger.get("tier", "standard"), bigger.get("size", 1)), visitors
    )
    (south_before,), (south_after,) = _on(plain, "P", 3.0), _on(better, "P", 3.0)
    assert south_before.between == ("P-A", "") or south_before.between == ("", "P-A")
    assert south_after.people > south_before.people * 1.2
    # The front of B, on the west half of the north aisle, gets fewer.
    north_before = [s for s in _on(plain, "P", 24.0) if "P-B" in s.between]
    north_after = [s for s in _on(better, "P", 24.0) if "P-B" in s.between]
    assert len(north_before) == len(north_after) == 1
    assert north_after[0].people < north_before[0].people


def test_levels_follow_the_walkway_thresholds(two_halls: Problem) -> None:
    """Each segment is graded by its m² per person: A above 5.6 ... F at 0.75 or less."""
    assert LEVEL_FLOORS_M2 == (("A", 5.6), ("B", 3.7), ("C", 2.2), ("D", 1.4), ("E", 0.75))
    cases = {
        math.inf: "A",
        5.61: "A",
        5.6: "B",
        3.71: "B",
        3.7: "C",
        2.21: "C",
        2.2: "D",
        1.41: "D",
        1.4: "E",
        0.76: "E",
        0.75: "F",
        0.65: "F",
    }
    assert {m: walkway_level(m) for m in cases} == cases
    layout = _every_cell(two_halls)
    seen: set[str] = set()
    for total in (2_000, 10_000, 30_000, 100_000, 400_000):
        fc = forecast(two_halls, layout, Visitors(total))
        for s in fc.segments:
            assert s.level == walkway_level(s.m2_per_person)
            assert s.m2_per_person == pytest.approx(s.area_m2 / s.people)
            seen.add(s.level)
        shares = fc.share_by_level
        assert set(shares) == set(LEVELS) and sum(shares.values()) == pytest.approx(1.0)
        assert fc.worst_level == max(s.level for s in fc.segments)
    assert len(seen) >= 4  # the sweep does cross the thresholds


def test_hot_spots_are_named_by_their_booths_and_sorted_worst_first(two_halls: Problem) -> None:
    """The aisle between two rows is named by the booths facing it; the worst comes first."""
    layout = _every_cell(two_halls)
    fc = forecast(two_halls, layout, Visitors(30_000))
    spots = fc.hot_spots
    assert len(spots) == MAX_HOT_SPOTS < len(fc.segments)
    rooms = [s.m2_per_person for s in spots]
    assert rooms == sorted(rooms)
    assert rooms[0] == min(s.m2_per_person for s in fc.segments)
    assert all(rooms[-1] <= s.m2_per_person for s in fc.segments if s not in spots)

    # The middle aisle of hall P (y = 13.5) runs between the rows y 9-12 and y 15-18.
    (middle,) = _on(fc, "P", 13.5)
    north_is_left = (
        middle.coords[-1][0] > middle.coords[0][0]
    )  # walking east, north (the row above) is on the left
    left, right = middle.between
    booths = {b.booth_no: b for b in layout.booths}
    assert booths[left].polygon[0][1] == (15 if north_is_left else 9)
    assert booths[right].polygon[0][1] == (9 if north_is_left else 15)
    assert middle.name == f"aisle between {left} and {right}"


def test_a_wall_side_is_named_by_its_one_booth(two_halls: Problem) -> None:
    """An aisle with booths on one side only is named by that booth."""
    layout = _layout(two_halls, [_booth("P-A", "P", (14, 6, 17, 9), "gold")])
    fc = forecast(two_halls, layout, Visitors(5000))
    (south,) = _on(fc, "P", 3.0)
    assert sorted(south.between) == ["", "P-A"]
    assert south.name == "aisle beside P-A"
    assert all(s.people > 0 for s in fc.hot_spots)
    assert len(fc.hot_spots) == sum(1 for s in fc.segments if s.people > 0) < len(fc.segments)


# --- the heat layer -----------------------------------------------------------------------------


def test_heat_layer_is_valid_svg_with_one_stroke_per_segment(two_halls: Problem) -> None:
    """The layer parses as XML and has one stroke per segment of the hall, in its level's colour."""
    layout = _every_cell(two_halls)
    fc = forecast(two_halls, layout, Visitors(10_000))
    frame = plan_layout(layout).frame("Q")
    root = ET.fromstring(heat_layer_svg(fc, "Q", frame))
    assert root.tag == "g" and root.get("data-hall") == "Q"
    paths = root.findall("path")
    hall_segments = [s for s in fc.segments if s.hall == "Q"]
    assert len(paths) == len(hall_segments) == 8
    assert len({p.get("data-level") for p in paths}) >= 2
    for path, seg in zip(paths, hall_segments, strict=True):
        assert path.get("data-level") == seg.level
        assert path.get("stroke") == LEVEL_COLOURS[seg.level]
        assert path.get("fill") == "none"
        assert float(path.get("stroke-width", "0")) == pytest.approx(
            seg.width_m * frame.k, abs=0.01
        )
        # The stroke lies on the plan's drawing of the aisle: the frame maps its ends.
        d = path.get("d", "")
        first = d[1:].split(" L")[0].split(",")
        px, py = frame.pt(*seg.coords[0])
        assert (float(first[0]), float(first[1])) == pytest.approx((px, py), abs=0.01)
        title = path.find("title")
        assert title is not None and seg.name in (title.text or "")
        assert f"level {seg.level}" in (title.text or "")


def test_heat_layer_escapes_every_text(two_halls: Problem) -> None:
    """Booth numbers and hall ids are escaped; exhibitor names never reach the layer."""
    hostile = 'P-<script>&"x'
    booth = _booth(hostile, "P", (14, 6, 17, 9), "standard", name_en="<img src=x onerror=alert(1)>")
    layout = _layout(two_halls, [booth])
    fc = forecast(two_halls, layout, Visitors(5000))
    svg = heat_layer_svg(fc, "P")
    assert "<script>" not in svg and "<img" not in svg and "onerror" not in svg
    root = ET.fromstring(svg)  # well-formed despite the booth number
    titles = [t.text or "" for t in root.iter("title")]
    assert any(hostile in t for t in titles)  # escaped, not dropped
    # A hall id with markup in it stays an attribute value.
    seg = fc.segments[0]
    odd = Forecast(fc.visitors, fc.peak_on_floor, (Segment(**{**seg.__dict__, "hall": 'H"<'}),), ())
    root = ET.fromstring(heat_layer_svg(odd, 'H"<'))
    assert root.get("data-hall") == 'H"<' and len(root.findall("path")) == 1


def test_heat_layer_without_a_frame_is_in_venue_metres(two_halls: Problem) -> None:
    """Without a frame each stroke runs along the centre line in metres, as wide as the aisle."""
    fc = forecast(two_halls, _every_cell(two_halls), Visitors(30_000))
    root = ET.fromstring(heat_layer_svg(fc, "P"))
    (path,) = [
        p for p in root.findall("path") if p.get("d") in ("M2.5,3 L37.5,3", "M37.5,3 L2.5,3")
    ]
    assert path.get("stroke-width") == "6"
    assert heat_layer_svg(fc, "nowhere").count("<path") == 0
