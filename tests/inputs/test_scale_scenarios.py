"""Scale scenarios: 100 to 3,200 exhibitors on a generated venue sized to fit, reproducible."""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from boothopt.cli import main
from boothopt.errors import InputError
from boothopt.floorplan import build_grid
from boothopt.inputs.domain import Event
from boothopt.inputs.event_file import load_event
from boothopt.inputs.scenarios import (
    SCALE_SCENARIOS,
    SCALE_SIZES,
    SCENARIOS,
    scale_venue,
    scenario_names,
    write_scenario,
)

NAMES = [f"scale-{n}" for n in SCALE_SIZES]


@dataclass(frozen=True)
class Written:
    """One scale scenario written with seed 0 and loaded by the event reader."""

    n: int
    out: Path
    event: Event
    venue_file: dict[str, Any]
    rows: list[dict[str, str]]

    def usable_cells(self) -> int:
        """Return the cells of the rented halls under the event's aisle scheme."""
        venue, scheme = self.event.venue, self.event.scheme
        return sum(build_grid(venue.hall(h), scheme).n_cells for h in self.event.halls)

    def demand(self) -> int:
        """Return the requested modules plus the modules of the reserved areas."""
        raw = yaml.safe_load((self.out / "event.yaml").read_text(encoding="utf-8"))
        reserved = sum(
            math.ceil(a["size_m"][0] / 3) * math.ceil(a["size_m"][1] / 3) for a in raw["reserved"]
        )
        return reserved + sum(int(r["modules"]) for r in self.rows)


@pytest.fixture(scope="module", params=SCALE_SIZES, ids=NAMES)
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Written:
    """Each scale scenario, written once per test module and read back."""
    n = request.param
    out = tmp_path_factory.mktemp(f"scale-{n}")
    write_scenario(f"scale-{n}", 0, out)
    with (out / "exhibitors.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    venue_file = yaml.safe_load((out / "venue.yaml").read_text(encoding="utf-8"))
    return Written(n, out, load_event(out / "event.yaml"), venue_file, rows)


def test_the_six_sizes_are_registered_beside_the_presets() -> None:
    """Scale scenarios exist for the issue's six sizes; the presets stay as they were."""
    assert list(SCALE_SCENARIOS) == NAMES
    assert sorted(SCENARIOS) == ["jamsil-2031", "smartlife-2024", "year2", "year3"]
    assert scenario_names() == sorted(SCENARIOS) + NAMES
    for n, spec in zip(SCALE_SIZES, SCALE_SCENARIOS.values(), strict=True):
        assert spec.exhibitor_count == n


def test_each_writes_event_table_and_venue(written: Written) -> None:
    """event.yaml names the venue.yaml written beside it, a generated hall-row venue."""
    raw = yaml.safe_load((written.out / "event.yaml").read_text(encoding="utf-8"))
    assert raw["venue"] == "venue.yaml"
    assert written.venue_file["schema"] == "boothopt.venue/1"
    assert written.venue_file["generate"]["kind"] == "hall-row"
    assert written.event.venue.id == f"scale-{written.n}"


def test_each_validates_with_the_requested_exhibitors(written: Written) -> None:
    """The event reader takes the files without a warning; N exhibitors, unique ids."""
    event = written.event
    assert event.warnings == ()
    ids = [e.id for e in event.exhibitors]
    assert len(ids) == written.n
    assert len(set(ids)) == written.n


def test_the_mix_is_the_presets_mix(written: Written) -> None:
    """Cities in the Smart City zone or pavilion, themed companies, sponsors, pairs, islands."""
    rows = written.rows
    kinds = {r["kind"] for r in rows}
    assert kinds == {"city", "company", "institution", "government"}
    themes = {t.category for t in SCENARIOS["year3"].themes}
    assert {r["category"] for r in rows if r["kind"] == "company"} == themes
    zones = {e.zone for e in written.event.exhibitors}
    assert {"smart-city-seoul", "startup"} <= zones
    assert all(e.zone in ("smart-city-seoul", "overseas-cities")
               for e in written.event.exhibitors if e.kind == "city")  # fmt: skip
    assert {r["tier"] for r in rows} == {"platinum", "gold", "silver", "standard"}
    assert any(r["near"] for r in rows) and any(r["avoid"] for r in rows)
    sizes = [int(r["modules"]) for r in rows]
    assert max(sizes) >= 12 and sum(s >= 4 for s in sizes) >= 0.08 * len(rows)
    assert any(r["booth_type"] in ("island", "peninsula") for r in rows)


def test_demand_takes_80_to_90_percent_of_the_usable_cells(written: Written) -> None:
    """Requests plus reserved areas take 80–90 % of the halls' usable cells."""
    cells = written.usable_cells()
    assert 0.80 * cells <= written.demand() <= 0.90 * cells, (written.n, written.demand(), cells)


def test_zones_are_no_denser_than_in_the_presets(written: Written) -> None:
    """Each contiguous zone has 100 usable cells or more to itself, as in the presets."""
    zones = [z for z in written.event.zones if z.contiguous]
    assert zones and written.usable_cells() / len(zones) >= 100


def test_halls_grow_with_the_exhibitors(written: Written) -> None:
    """One hall per 400 exhibitors or part of it, all on one level, every one rented."""
    venue = written.event.venue
    assert len(venue.halls) == math.ceil(written.n / 400)
    assert list(written.event.halls) == venue.hall_ids()
    assert len({h.level for h in venue.halls}) == 1


def test_floor_area_grows_about_linearly() -> None:
    """Each doubling of the exhibitors about doubles the generated floor (1.6x to 2.4x)."""
    area = [scale_venue(name)["generate"]["exhibition_m2"] for name in NAMES]
    ratios = [b / a for a, b in itertools.pairwise(area)]
    assert all(1.6 <= r <= 2.4 for r in ratios), ratios


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_byte_identical_files(name: str, tmp_path: Path) -> None:
    """Writing a scale scenario twice with one seed gives the same bytes in all three files."""
    first = [p.read_bytes() for p in write_scenario(name, 11, tmp_path / "a")]
    second = [p.read_bytes() for p in write_scenario(name, 11, tmp_path / "b")]
    assert len(first) == 3
    assert first == second


@pytest.mark.parametrize("name", NAMES[:3])
def test_another_seed_changes_the_table_not_the_venue(name: str, tmp_path: Path) -> None:
    """Two seeds give different exhibitors on the same venue."""
    a = write_scenario(name, 1, tmp_path / "a")
    b = write_scenario(name, 2, tmp_path / "b")
    assert a[1].read_bytes() != b[1].read_bytes()
    assert a[2].read_bytes() == b[2].read_bytes()


def test_unknown_names_list_the_scale_scenarios(tmp_path: Path) -> None:
    """An unknown name names every scenario, presets and scale; scale_venue refuses presets."""
    with pytest.raises(InputError) as info:
        write_scenario("scale-123", 0, tmp_path)
    assert all(name in str(info.value) for name in scenario_names())
    with pytest.raises(InputError):
        scale_venue("year3")


def test_cli_writes_a_scale_scenario(tmp_path: Path) -> None:
    """`boothopt scenario scale-100` writes the three files, and `validate` accepts them."""
    runner = CliRunner()
    result = runner.invoke(main, ["scenario", "scale-100", "--seed", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "event.yaml",
        "exhibitors.csv",
        "venue.yaml",
    ]
    result = runner.invoke(main, ["validate", str(tmp_path / "event.yaml")])
    assert result.exit_code == 0, result.output
    assert "exhibitors: 100" in result.output
