"""Forecast scenarios: written, reproducible, sized to the floor and internally consistent."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from boothopt.errors import InputError
from boothopt.floorplan import AisleScheme, Venue, build_grid, load_venue
from boothopt.inputs.event_file import load_event
from boothopt.inputs.scenarios import SCENARIOS, ScenarioSpec, write_scenario

HEADER = [
    "id", "name_ko", "name_en", "kind", "country", "category", "modules", "area_m2", "shape",
    "rotatable", "booth_type", "tier", "priority_points", "applied_on", "zone", "halls", "near",
    "avoid", "power_kw", "load_t_m2", "height_m",
]  # fmt: skip
EVENT_KEYS = [
    "schema", "name", "name_ko", "venue", "halls", "aisles", "tiers", "competitor_distance_m",
    "zones", "reserved", "exhibitors", "dates", "weights",
]  # fmt: skip
TIERS = ("platinum", "gold", "silver", "standard")


@dataclass(frozen=True)
class Written:
    """One preset written with seed 0, read back with plain yaml and csv."""

    spec: ScenarioSpec
    event: dict[str, Any]
    header: list[str]
    rows: list[dict[str, str]]

    def ids(self) -> set[str]:
        """Return the exhibitor ids."""
        return {r["id"] for r in self.rows}


def read_back(out: Path) -> tuple[dict[str, Any], list[str], list[dict[str, str]]]:
    """Return the event mapping, the CSV header and the CSV rows found in ``out``."""
    event = yaml.safe_load((out / "event.yaml").read_text(encoding="utf-8"))
    with (out / "exhibitors.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    return event, header, rows


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Written:
    """Each preset, written once per test module."""
    name = request.param
    out = tmp_path_factory.mktemp(name)
    write_scenario(name, 0, out)
    return Written(SCENARIOS[name], *read_back(out))


@functools.cache
def venue(name: str) -> Venue:
    """Return a built-in venue, loaded once."""
    return load_venue(name)


@functools.cache
def hall_cells(venue_name: str, hall: str, feature_bands: int) -> int:
    """Return the module cells of a hall under the event's aisle scheme, built once."""
    scheme = AisleScheme(feature_bands=feature_bands)
    return build_grid(venue(venue_name).hall(hall), scheme).n_cells


def items(cell: str) -> list[str]:
    """Return the parts of a ;-separated cell."""
    return [p for p in cell.split(";") if p]


# --- writing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_preset_writes_event_and_table(name: str, tmp_path: Path) -> None:
    """Every preset writes event.yaml and exhibitors.csv, non-empty, and returns their paths."""
    paths = write_scenario(name, 3, tmp_path)
    assert [p.name for p in paths] == ["event.yaml", "exhibitors.csv"]
    assert all(p.parent == tmp_path and p.stat().st_size > 0 for p in paths)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_same_seed_gives_byte_identical_files(name: str, tmp_path: Path) -> None:
    """Writing a preset twice with one seed gives the same bytes in both files."""
    first = [p.read_bytes() for p in write_scenario(name, 11, tmp_path / "a")]
    second = [p.read_bytes() for p in write_scenario(name, 11, tmp_path / "b")]
    assert first == second


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_another_seed_gives_another_table(name: str, tmp_path: Path) -> None:
    """Two seeds give different exhibitor tables for the same preset."""
    a = write_scenario(name, 1, tmp_path / "a")[1].read_bytes()
    b = write_scenario(name, 2, tmp_path / "b")[1].read_bytes()
    assert a != b


def test_unknown_name_raises_input_error_listing_presets(tmp_path: Path) -> None:
    """An unknown scenario name raises InputError naming it and every preset, writing nothing."""
    with pytest.raises(InputError) as info:
        write_scenario("smartlife-2099", 0, tmp_path)
    message = str(info.value)
    assert "smartlife-2099" in message
    assert all(name in message for name in SCENARIOS)
    assert list(tmp_path.iterdir()) == []


def test_jamsil_writes_well_under_two_seconds(tmp_path: Path) -> None:
    """The largest preset (over 2,000 exhibitors) writes in well under 2 s."""
    start = time.perf_counter()
    write_scenario("jamsil-2031", 5, tmp_path)
    assert time.perf_counter() - start < 1.5


# --- what is in the files ---------------------------------------------------------------------


def test_event_yaml_names_venue_halls_and_the_schema_keys(written: Written) -> None:
    """The YAML parses, has exactly the schema's keys, and names the preset's venue and halls."""
    event, spec = written.event, written.spec
    assert list(event) == EVENT_KEYS
    assert event["schema"] == "boothopt.event/1"
    assert (event["venue"], event["halls"]) == (spec.venue, list(spec.halls))
    assert event["tiers"] == list(TIERS)
    assert event["exhibitors"] == ["exhibitors.csv"]
    first, last = event["dates"]["start"], event["dates"]["end"]
    assert first == spec.show_date and (last - first).days == spec.show_days - 1
    assert spec.venue in {"coex", "jamsil-mice"}
    assert all(h in venue(spec.venue).hall_ids() for h in event["halls"])


def test_csv_has_the_exact_header(written: Written) -> None:
    """The CSV's header row is the schema's columns in order."""
    assert written.header == HEADER


def test_counts_per_kind_match_the_preset(written: Written) -> None:
    """Cities, companies (domestic and foreign), institutions and government match the preset."""
    spec, rows = written.spec, written.rows
    kinds = Counter(r["kind"] for r in rows)
    assert kinds == {
        "city": spec.cities,
        "company": spec.domestic_companies + spec.foreign_companies,
        "institution": spec.institutions,
        "government": spec.government,
    }
    foreign = [r for r in rows if r["kind"] == "company" and r["country"] != "KR"]
    assert len(foreign) == spec.foreign_companies
    city_countries = {r["country"] for r in rows if r["kind"] == "city"}
    assert len(city_countries) == spec.city_countries
    assert "city-seoul" in written.ids()


def test_2024_matches_the_published_show(tmp_path: Path) -> None:
    """2024: 115 cities of 72 countries with Seoul, 147 others, 41 social-tech, a pavilion of 7."""
    write_scenario("smartlife-2024", 0, tmp_path)
    event, _, rows = read_back(tmp_path)
    cities = [r for r in rows if r["kind"] == "city"]
    assert len(cities) == 115
    assert len({r["country"] for r in cities}) == 72
    assert ("서울", "Seoul") in {(r["name_ko"], r["name_en"]) for r in cities}
    assert sum(r["kind"] in ("company", "institution", "government") for r in rows) == 147
    assert sum(r["category"] == "social-tech" for r in rows) == 41
    assert sum(r["zone"] == "overseas-cities" for r in rows) == 7
    assert (event["venue"], event["halls"]) == ("coex", ["B2", "C"])


def test_ids_are_unique_lowercase_slugs(written: Written) -> None:
    """Every id is a lowercase slug and no two rows share one."""
    ids = [r["id"] for r in written.rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_near_and_avoid_name_other_existing_exhibitors(written: Written) -> None:
    """Every near and avoid id exists and is never the row's own; avoid is id:9 or id:12."""
    ids = written.ids()
    by_id = {r["id"]: r for r in written.rows}
    assert any(r["near"] for r in written.rows) and any(r["avoid"] for r in written.rows)
    for r in written.rows:
        for other in items(r["near"]):
            assert other in ids and other != r["id"]
        for entry in items(r["avoid"]):
            other, _, metres = entry.partition(":")
            assert other in ids and other != r["id"]
            assert metres in ("9", "12")
            assert by_id[other]["category"] == r["category"]  # competitors share a category


def test_partner_groups_pair_a_city_with_its_own_companies(written: Written) -> None:
    """A city lists 1–4 companies of its country, and each of them lists that city back."""
    by_id = {r["id"]: r for r in written.rows}
    groups = [r for r in written.rows if r["kind"] == "city" and r["near"]]
    assert groups
    for city in groups:
        members = items(city["near"])
        assert 1 <= len(members) <= 4
        for m in members:
            assert by_id[m]["kind"] == "company"
            assert by_id[m]["country"] == city["country"]
            assert items(by_id[m]["near"]) == [city["id"]]


def test_shapes_multiply_to_modules(written: Written) -> None:
    """Each shape AxB multiplies to the row's modules; rotatable is yes/no exactly when shaped."""
    shaped = [r for r in written.rows if r["shape"]]
    assert shaped
    for r in written.rows:
        assert r["area_m2"] == ""  # modules are always given
        if r["shape"]:
            a, b = (int(x) for x in r["shape"].split("x"))
            assert a * b == int(r["modules"])
            assert r["rotatable"] in ("yes", "no")
        else:
            assert r["rotatable"] == ""


def test_size_mix_is_mostly_small_with_some_raw_space_and_anchors(written: Written) -> None:
    """Over 60 % ask 1–2 modules, 8–12 % raw space (4+), and some anchors ask 12+ modules."""
    sizes = [int(r["modules"]) for r in written.rows]
    n = len(sizes)
    assert sum(1 <= s <= 2 for s in sizes) / n > 0.60
    assert 0.08 <= sum(s >= 4 for s in sizes) / n <= 0.12
    assert sum(s >= 12 for s in sizes) >= 3
    assert min(sizes) >= 1


def test_requests_and_reserved_areas_fit_the_rented_floor(written: Written) -> None:
    """Requested modules plus reserved modules take at most 90 % of the rented halls' cells."""
    spec, event = written.spec, written.event
    bands = event.get("aisles", {}).get("feature_bands", 0)
    cells = sum(hall_cells(event["venue"], h, bands) for h in event["halls"])
    reserved = 0
    for area in event["reserved"]:
        width, depth = area["size_m"]
        assert width % 3 == 0 and depth % 3 == 0  # whole 3 m modules
        assert area["hall"] in event["halls"]
        reserved += math.ceil(width / 3) * math.ceil(depth / 3)
    requested = sum(int(r["modules"]) for r in written.rows)
    assert requested + reserved <= 0.90 * cells, (spec.name, requested, reserved, cells)


def test_larger_scenarios_reserve_more_areas_over_more_halls() -> None:
    """Each preset reserves at least as many areas, in at least as many halls, as the one before."""
    order = ["smartlife-2024", "year2", "year3", "jamsil-2031"]
    counts = [len(SCENARIOS[n].reserved) for n in order]
    halls = [len({a.hall for a in SCENARIOS[n].reserved}) for n in order]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert halls == sorted(halls) and halls[0] < halls[-1]


def test_every_zone_used_is_declared(written: Written) -> None:
    """Every zone an exhibitor names is declared; zone halls are rented; pavilion ids exist."""
    event = written.event
    declared = [z["id"] for z in event["zones"]]
    assert len(declared) == len(set(declared))
    assert declared[0] == "smart-city-seoul"
    assert event["zones"][0]["members"]["kinds"] == ["city"]
    assert {r["zone"] for r in written.rows if r["zone"]} <= set(declared)
    for zone in event["zones"]:
        assert zone.get("hall", event["halls"][0]) in event["halls"]
        assert set(zone["members"]["ids"]) <= written.ids()


def test_cities_are_left_to_the_smart_city_zone(written: Written) -> None:
    """Cities have a blank zone (the zone rule takes them) unless they are in the pavilion."""
    for r in written.rows:
        if r["kind"] == "city":
            assert r["zone"] in ("", "overseas-cities")
            assert r["category"] == "smart-city"


def test_tiers_points_and_dates_are_plausible(written: Written) -> None:
    """Tiers are the event's, sponsors outscore the rest, applications fall 0–6 months ahead."""
    spec, rows = written.spec, written.rows
    tiers = Counter(r["tier"] for r in rows)
    assert set(tiers) <= set(TIERS)
    assert (tiers["platinum"], tiers["gold"], tiers["silver"]) == spec.sponsors
    assert tiers["platinum"] < tiers["gold"] < tiers["silver"] < tiers["standard"]
    points = {t: [int(r["priority_points"]) for r in rows if r["tier"] == t] for t in TIERS}
    assert all(0 <= p <= 100 for ps in points.values() for p in ps)
    assert min(points["platinum"]) > sum(points["standard"]) / len(points["standard"])
    for r in rows:
        applied = dt.date.fromisoformat(r["applied_on"])
        assert 0 < (spec.show_date - applied).days <= 190


def test_needs_stay_within_what_the_halls_bear(written: Written) -> None:
    """Power 1–20 kW for many; loads 1.5–4 t/m² on a hall that bears them; heights 4–5 m."""
    spec, rows = written.spec, written.rows
    power = [float(r["power_kw"]) for r in rows if r["power_kw"]]
    assert len(power) > 0.3 * len(rows)
    assert all(1 <= p <= 20 for p in power)
    halls = [venue(spec.venue).hall(h) for h in spec.halls]
    strongest = max(h.floor_load_t_m2.value for h in halls if h.floor_load_t_m2)
    loads = [float(r["load_t_m2"]) for r in rows if r["load_t_m2"]]
    assert 0 < len(loads) <= 0.02 * len(rows)
    assert all(1.5 <= x <= min(4.0, strongest) for x in loads)
    if spec.venue == "coex":
        assert max(loads) <= 2.0
    heights = [float(r["height_m"]) for r in rows if r["height_m"]]
    assert heights and all(4 <= h <= 5 for h in heights)


def test_names_include_characters_that_stress_exports(written: Written) -> None:
    """Names carry an apostrophe, an ampersand, an accent, an emoji, and Korean in every row."""
    names = [r["name_en"] for r in written.rows]
    assert any("'" in n for n in names)
    assert any("&" in n for n in names)
    assert any("é" in n for n in names)
    assert any(any(ord(c) > 0xFFFF for c in n) for n in names)  # outside the BMP: an emoji
    assert all(re.search("[가-힣]", r["name_ko"]) for r in written.rows)


def test_files_load_with_the_event_reader(written: Written, tmp_path: Path) -> None:
    """The event reader accepts the written files without a fault or a floor warning."""
    write_scenario(written.spec.name, 0, tmp_path)
    event = load_event(tmp_path / "event.yaml")
    assert len(event.exhibitors) == len(written.rows)
    assert event.warnings == ()
    zones = Counter(e.zone for e in event.exhibitors)
    assert zones["smart-city-seoul"] + zones["overseas-cities"] == written.spec.cities
