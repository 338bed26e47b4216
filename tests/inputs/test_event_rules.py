"""Fire-rule breaches of the event's own aisle scheme, and rules that can never hold.

Expected figures are worked out by hand from the halls' sizes, not read back from the code.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import networkx as nx
import pytest

from boothopt.floorplan import AisleScheme, build_grid, parse_venue
from boothopt.inputs.event_file import event_summary, event_to_dict, load_event
from boothopt.inputs.event_rules import most_apart

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "smartlife-2024" / "event.yaml"

# Hall C is 67 m x 54 m, hall T 30 m x 21 m, side by side on one level. Doors sit on the walls
# where the 5 m aisle along the walls keeps their clear zones (4 m deep) off the booths.
VENUE = """schema: boothopt.venue/1
id: test-centre
halls:
  - id: C
    rect: {origin: [0, 0], size: [67, 54]}
    entrances: [{id: C-E1, at: [0, 27], width_m: 4}]
    exits:
      - {id: C-X1, at: [67, 27], width_m: 2}
      - {id: C-X2, at: [33.5, 0], width_m: 2}
      - {id: C-X3, at: [33.5, 54], width_m: 2}
  - id: T
    rect: {origin: [100, 0], size: [30, 21]}
    entrances: [{id: T-E1, at: [100, 10.5], width_m: 3}]
    exits: [{id: T-X1, at: [130, 10.5], width_m: 2}]
"""

EVENT = """schema: boothopt.event/1
name: Rules Test
venue: {venue}
halls: [{halls}]
{extra}
exhibitors: [ex.csv]
"""

HEADER = "id,name_en,kind,category,modules,booth_type,tier,avoid"


def write_event(
    tmp_path: Path,
    rows: list[str],
    halls: str = "C",
    extra: str = "",
    venue: str = "venue.yaml",
) -> Path:
    """Write the test venue, an event file and its table; return the event file's path."""
    (tmp_path / "venue.yaml").write_text(VENUE, encoding="utf-8")
    (tmp_path / "ex.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    path = tmp_path / "event.yaml"
    path.write_text(EVENT.format(venue=venue, halls=halls, extra=extra), encoding="utf-8")
    return path


def rivals(ids: list[str], metres: float) -> list[str]:
    """Return rows for exhibitors that each avoid all the others by ``metres``."""
    return [
        f"{i},{i.upper()},company,,1,,standard,"
        + ";".join(f"{o}:{metres:g}" for o in ids if o != i)
        for i in ids
    ]


FOUR = ["co-0001", "co-0002", "co-0003", "co-0004"]


# --- the event's aisle scheme against the fire rules ------------------------------------------


def test_narrow_aisles_and_long_rows_are_breaches(tmp_path: Path) -> None:
    """2 m aisles and 45 m rows in COEX hall C (144 m long) breach the 3 m and 30 m rules."""
    aisles = "aisles: {side_aisle_m: 2, cross_aisle_m: 2, max_row_m: 45}"
    path = write_event(tmp_path, ["a,A,company,,1,,standard,"], "C", aisles, venue="coex")
    event = load_event(path)
    rules = sorted(b.rule for b in event.layout_breaches)
    # Fewer cross aisles also lengthen the way out from the middle of the hall past 61 m (hall C
    # keeps that rule with the default 30 m rows; test_rules checks it): the fix is the same.
    assert rules == ["aisle-width", "aisle-width", "exit-walk", "row-length"]
    (walk,) = [b for b in event.layout_breaches if b.rule == "exit-walk"]
    assert "(limit 61 m)" in walk.message and "smaller aisles: max_row_m" in walk.message
    assert all(b.hall == "C" for b in event.layout_breaches)
    messages = [b.message for b in event.layout_breaches]
    assert (
        "hall C: side_aisle_m 2 in the event's aisle scheme is narrower than the 3 m fire rule "
        "(side aisles) — set aisles: side_aisle_m: 3 or more in the event file"
    ) in messages
    assert any(
        m.startswith("hall C: cross_aisle_m 2 in the event's aisle scheme")
        and "set aisles: cross_aisle_m: 3 or more" in m
        for m in messages
    )
    (row,) = [b for b in event.layout_breaches if b.rule == "row-length"]
    # 134 m between the 5 m wall aisles: rows of up to 15 modules (45 m) are cut into at least
    # three, and three rows of 14 modules and their aisles fit — so rows run 42 m, not 30.
    assert row.message.startswith("hall C: booth rows run 42 m without a cross aisle")
    assert "max_row_m is 45 in the event's aisle scheme" in row.message
    assert row.message.endswith("set aisles: max_row_m: 30 or less in the event file")
    # Listed for `validate --json`, as the breach's own dict.
    data = event_to_dict(event)
    assert data["layout_breaches"] == [b.as_dict() for b in event.layout_breaches]
    assert json.loads(json.dumps(data))["layout_breaches"][0]["hall"] == "C"
    assert event_summary(event)["layout_breaches"] == data["layout_breaches"]


def test_a_narrow_main_aisle_breaks_the_main_aisle_rule(tmp_path: Path) -> None:
    """COEX hall C (144 m) has main aisles every 60 m: a 4 m main aisle is under 5 m."""
    path = write_event(
        tmp_path, ["a,A,company,,1,,standard,"], "C", "aisles: {main_aisle_m: 4}", venue="coex"
    )
    (breach,) = load_event(path).layout_breaches
    assert breach.rule == "aisle-width"
    assert breach.message == (
        "hall C: main_aisle_m 4 in the event's aisle scheme is narrower than the 5 m rule for "
        "main aisles — set aisles: main_aisle_m: 5 or more in the event file"
    )


def test_a_hall_without_main_aisles_is_not_held_to_the_main_aisle_rule(tmp_path: Path) -> None:
    """The 67 m hall has 57 m between its wall aisles, under the 60 m spacing: no main aisle."""
    path = write_event(tmp_path, ["a,A,company,,1,,standard,"], "C", "aisles: {main_aisle_m: 4}")
    assert load_event(path).layout_breaches == ()


def test_short_clear_zones_name_their_setting(tmp_path: Path) -> None:
    """3 m in front of entrances (rule 4 m) is one breach, said with its setting."""
    path = write_event(
        tmp_path, ["a,A,company,,1,,standard,"], "C", "aisles: {entrance_clear_m: 3}"
    )
    (breach,) = load_event(path).layout_breaches
    assert breach.rule == "clearance"
    assert breach.message == (
        "hall C: entrance_clear_m 3 in the event's aisle scheme keeps less floor clear in front "
        "of entrances than the 4 m fire rule — set aisles: entrance_clear_m: 4 or more in the "
        "event file"
    )


def test_the_builtin_example_keeps_every_rule() -> None:
    """The smartlife-2024 example breaks no fire rule and asks nothing impossible."""
    event = load_event(EXAMPLE)
    assert event.layout_breaches == ()
    assert event.impossible == ()
    data = event_to_dict(event)
    assert data["layout_breaches"] == [] and data["impossible"] == []


def test_venues_show_scheme_is_unchanged_by_the_main_aisle_rule() -> None:
    """The default scheme (5 m main aisles) keeps the new rule in the built-in venues."""
    from boothopt.floorplan import check_grid, load_venue

    coex = load_venue("coex")
    assert all(check_grid(build_grid(coex.hall(h))) == [] for h in coex.hall_ids())


# --- competitors farther apart than the floor allows ------------------------------------------


def test_four_competitors_60_m_apart_cannot_stand_in_a_67_by_54_m_hall(tmp_path: Path) -> None:
    """Booth cells lie between the 5 m wall aisles: their centres span at most 54 m x 41 m.

    Cut that in two halves 27 m x 41 m: two cells in one half are at most
    sqrt(24² + 38²) = 44.9 m apart edge to edge, under 60 m; so at most two of the four fit.
    """
    event = load_event(write_event(tmp_path, rivals(FOUR, 60)))
    assert event.impossible == (
        "competitors co-0001, co-0002, co-0003 and co-0004 must stand 60 m apart, but hall C "
        "(67 x 54 m) cannot hold four booths that far apart (at most two) — lower the distance "
        "in their avoid column, or rent another hall",
    )
    assert event_to_dict(event)["impossible"] == list(event.impossible)
    assert event.warnings == ()  # said once, among the impossible rules only


def test_two_competitors_farther_apart_than_the_hall_is_wide(tmp_path: Path) -> None:
    """No two cells of the hall are 90 m apart (its diagonal is sqrt(67² + 54²) = 86 m)."""
    event = load_event(write_event(tmp_path, rivals(["a", "b"], 90)))
    assert event.impossible == (
        "competitors a and b must stand 90 m apart, but hall C (67 x 54 m) cannot hold two "
        "booths that far apart (at most one) — lower the distance in their avoid column, or "
        "rent another hall",
    )


def test_feasible_competitor_distances_are_not_reported(tmp_path: Path) -> None:
    """Four cells at the corners of the 54 m x 41 m span of centres are >= 38 m apart."""
    assert load_event(write_event(tmp_path, rivals(FOUR, 20))).impossible == ()
    # Two booths 60 m apart fit: opposite corners are sqrt(51² + 38²) = 63.6 m apart.
    assert load_event(write_event(tmp_path, rivals(FOUR[:2], 60))).impossible == ()


def test_competitors_in_another_hall_count_as_apart(tmp_path: Path) -> None:
    """With hall T rented too, booths in different halls are taken as apart. Hall T's cells
    (one block 18 m x 6 m) are at most 15 m apart, so it holds one of them; C holds two: three
    of the four at most, and three alone are not reported."""
    event = load_event(write_event(tmp_path, rivals(FOUR, 60), "C, T"))
    (line,) = event.impossible
    assert line.startswith("competitors co-0001, co-0002, co-0003 and co-0004 must stand 60 m")
    assert "halls C (67 x 54 m) and T (30 x 21 m) together cannot hold four booths" in line
    assert "(at most three)" in line
    # Three of them fit: two in C, one in T.
    assert load_event(write_event(tmp_path, rivals(FOUR[:3], 60), "C, T")).impossible == ()


def test_a_group_is_reported_once_not_with_its_subgroups(tmp_path: Path) -> None:
    """Five mutual competitors 60 m apart: one line for the five, none for any four of them."""
    five = [*FOUR, "co-0005"]
    (line,) = load_event(write_event(tmp_path, rivals(five, 60))).impossible
    assert "co-0001, co-0002, co-0003, co-0004 and co-0005" in line
    assert "cannot hold five booths" in line


# --- zones and sizes larger than their floor --------------------------------------------------


ZONE = """zones:
  - id: pavilion
    members: {kinds: [city]}
    hall: T"""


def test_a_zone_larger_than_its_hall(tmp_path: Path) -> None:
    """Twenty 4-module cities (720 m²) ask more than hall T's whole 630 m² floor.

    Hall T's booth floor: 20 m x 11 m between the 5 m wall aisles, one block of 6 x 2 modules
    (18 m x 6 m), 12 modules of 9 m² = 108 m².
    """
    rows = [f"city-{k:02d},City {k},city,,4,,standard," for k in range(20)]
    event = load_event(write_event(tmp_path, rows, "C, T", ZONE))
    assert event.impossible == (
        "zone pavilion: its 20 members ask 80 modules (720 m²), more than the 108 m² of booth "
        "floor in hall T — move members out of the zone, remove hall: T from the zone in the "
        "event file, or rent more floor",
    )


def test_a_zone_that_fits_its_hall_is_not_reported(tmp_path: Path) -> None:
    """Three 4-module cities (108 m²) in the 12 modules of hall T: exactly full, possible."""
    rows = [f"city-{k:02d},City {k},city,,4,,standard," for k in range(3)]
    assert load_event(write_event(tmp_path, rows, "C, T", ZONE)).impossible == ()


def test_a_booth_larger_than_every_block_of_its_hall(tmp_path: Path) -> None:
    """13 modules cannot stand in hall T's only block of 6 x 2; hall C would hold it, but the
    zone keeps the city in T. Two cities asking the same share one line; the zone, asking
    26 modules of T's 12, is not said again (its members are the two already reported)."""
    rows = ["city-a,A,city,,13,,standard,", "city-b,B,city,,13,,standard,"]
    event = load_event(write_event(tmp_path, rows, "C, T", ZONE))
    assert event.impossible == (
        "city-a and city-b: 13 modules fit no block of hall T (the largest holds 12 modules, "
        "6 x 2) — a booth cannot cross an aisle: ask for less floor or another shape, or lay "
        "deeper blocks in the event file (aisles: feature_bands, feature_depth_modules), or "
        "remove the hall of zone pavilion in the event file",
    )
    assert not any("largest block" in w for w in event.warnings)


def test_a_booth_type_no_size_can_make_is_one_warning_for_all(tmp_path: Path) -> None:
    """A 3-module peninsula must span the 2-module rows' depth: 3 is odd, so three exhibitors
    asking it get one warning, not three."""
    rows = [f"p{k},P{k},company,,3,peninsula,standard," for k in range(3)]
    event = load_event(write_event(tmp_path, rows))
    (line,) = [w for w in event.warnings if "peninsula" in w]
    assert line.startswith(f"{tmp_path / 'ex.csv'}:2 and 2 more rows: p0, p1, p2: 3 modules ")
    assert "cannot make a booth of type peninsula" in line


# --- the bound itself -------------------------------------------------------------------------


def _tiny_grid(width: float, depth: float):
    raw = {
        "schema": "boothopt.venue/1",
        "id": "tiny",
        "halls": [{"id": "T", "rect": {"origin": [0, 0], "size": [width, depth]}}],
    }
    return build_grid(parse_venue(raw, "tiny.yaml").hall("T"), AisleScheme(kind="none"))


@pytest.mark.parametrize(("width", "depth"), [(12, 9), (15, 6), (18, 12)])
def test_the_bound_is_never_below_the_true_most(width: float, depth: float) -> None:
    """On small open floors the most cells pairwise D apart is found by brute force; the bound
    may be higher (it proves only impossibility), never lower."""
    grid = _tiny_grid(width, depth)
    boxes = grid.cell_boxes
    for metres in (3, 4.5, 6, 7.5, 9, 12, 15, 18, 21):
        far = nx.Graph()
        far.add_nodes_from(range(len(boxes)))
        for a, b in itertools.combinations(range(len(boxes)), 2):
            dx = max(0.0, abs(boxes[a, 0] - boxes[b, 0]) - 3)
            dy = max(0.0, abs(boxes[a, 1] - boxes[b, 1]) - 3)
            if math.hypot(dx, dy) >= metres - 1e-9:
                far.add_edge(a, b)
        most = max(len(c) for c in nx.find_cliques(far))
        assert most_apart(grid, metres) >= most, (width, depth, metres)
