"""Fire and layout rule breaches: each rule is reported when broken and only then."""

from __future__ import annotations

import pytest

from boothopt.floorplan import AisleScheme, FireRules, build_grid, check_grid, load_venue
from boothopt.floorplan.rules import dead_end_lengths
from tests.conftest import one_hall_venue


def rules_broken(grid) -> list[str]:
    """Return the names of the rules a grid breaks."""
    return [b.rule for b in check_grid(grid)]


@pytest.mark.parametrize("venue", ["coex", "jamsil-mice"])
def test_builtin_venues_keep_every_rule(venue: str) -> None:
    """Every built-in hall, joined halls included, keeps every rule with the default scheme."""
    v = load_venue(venue)
    for hall_id in v.hall_ids():
        assert check_grid(build_grid(v.hall(hall_id))) == [], hall_id


def test_long_walk_to_the_only_exit_is_a_breach() -> None:
    """A 200 m hall with one exit at its west end breaches the 61 m walking limit."""
    venue = one_hall_venue((200, 30), exits=[{"at": [0, 15], "width_m": 2}])
    grid = build_grid(venue.hall("T"))
    breaches = check_grid(grid)
    assert [b.rule for b in breaches] == ["exit-walk"]
    assert "61 m" in breaches[0].message and "add an exit" in breaches[0].message
    assert grid.max_exit_walk_m > 150
    # A laxer limit over the worst walk makes it compliant.
    assert check_grid(grid, FireRules(max_exit_walk_m=grid.max_exit_walk_m + 1)) == []


def test_hall_without_exits_is_a_breach() -> None:
    """A hall with no emergency exit is reported."""
    assert rules_broken(build_grid(one_hall_venue((30, 30)).hall("T"))) == ["no-exit"]


def test_long_dead_end_aisle_is_a_breach() -> None:
    """A core that cuts the aisles leaves dead ends; those over 18 m are reported."""
    core = [[54, 0], [57, 0], [57, 34], [54, 34], [54, 0]]
    venue = one_hall_venue(
        (120, 40),
        obstacles=[{"id": "core", "kind": "core", "polygon": core}],
        exits=[{"at": [0, 20], "width_m": 2}, {"at": [120, 20], "width_m": 2}],
    )
    grid = build_grid(venue.hall("T"))
    cross_x = sorted(
        {
            e.line.coords[0][0]
            for e in grid.aisle_edges
            if e.kind in ("cross", "main") and e.line.coords[0][0] == e.line.coords[-1][0]
        }
    )
    west = 54 - max(x for x in cross_x if x < 54)
    east = min(x for x in cross_x if x > 57) - 57
    lengths = sorted({round(length, 3) for length, _ in dead_end_lengths(grid)})
    assert lengths == sorted({round(west, 3), round(east, 3)})
    assert max(west, east) > 18
    dead = [b for b in check_grid(grid) if b.rule == "dead-end"]
    assert dead and all("dead-end aisle" in b.message for b in dead)


def test_scheme_outside_the_rules_is_a_breach() -> None:
    """Rows over 30 m, aisles under 3 m and short clear zones are each reported."""
    venue = one_hall_venue(
        (80, 30), exits=[{"at": [0, 15], "width_m": 2}], entrances=[{"at": [30, 30], "width_m": 4}]
    )
    scheme = AisleScheme(max_row_m=36, side_aisle_m=2.5, entrance_clear_m=3, exit_clear_m=0.5)
    broken = rules_broken(build_grid(venue.hall("T"), scheme))
    assert broken.count("row-length") == 1
    assert broken.count("aisle-width") == 1
    assert broken.count("clearance") == 2
