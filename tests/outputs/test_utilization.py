"""Utilization after allocation: figures counted by hand and with Shapely, and where they show.

A one-hall event (COEX B2 in the default aisle scheme: 180 module cells of 3 m, 1,620 m²) with
an information desk of 6 x 3 m, two cities in the Smart City Seoul Zone, two companies and one
exhibitor too large for any block: every figure is known before the solve.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely
from click.testing import CliRunner
from openpyxl import load_workbook
from shapely.geometry import Polygon

from boothopt.cli import main
from boothopt.contract import (
    Assignment,
    assignment_data,
    assignment_json,
    parse_assignment,
    read_assignment,
)
from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import build_assignment
from boothopt.outputs.master_list import render_csv, render_xlsx
from boothopt.outputs.plan_svg import render_plan_svg, utilization_texts
from boothopt.outputs.utilization import summary_lines
from boothopt.solver.problem import Problem, build_problem
from boothopt.solver.solve import solve

S = "{http://www.w3.org/2000/svg}"
SHEET = "이용률 Utilization"

EVENT_YAML = """schema: boothopt.event/1
name: Tiny Week
name_ko: 작은 주간
venue: coex
halls: [B2]
tiers: [platinum, gold, silver, standard]
zones:
  - {id: smart-city-seoul, name_ko: 스마트도시 서울존, name_en: Smart City Seoul Zone,
     members: {kinds: [city]}}
  - {id: empty-pavilion, name_ko: 빈 전시관, name_en: Empty Pavilion,
     members: {categories: [nothing]}}
reserved:
  - {id: info-1, kind: info, name_ko: 안내데스크, name_en: Information Desk, size_m: [6, 3],
     hall: B2}
exhibitors: [ex.csv]
"""

# id -> (kind, modules, tier); "huge" fits no block of B2 (the largest holds 18 modules).
EXHIBITORS = {
    "seoul": ("city", 4, "gold"),
    "busan": ("city", 2, "silver"),
    "acme": ("company", 3, "standard"),
    "beta": ("company", 1, "standard"),
    "huge": ("company", 60, "platinum"),
}
MODULE_M2 = 9.0


def write_event(folder: Path) -> Path:
    """Write the tiny event into ``folder``; return its path."""
    rows = [f"{k},{k},{k.title()},{kind},{m},{tier}" for k, (kind, m, tier) in EXHIBITORS.items()]
    (folder / "ex.csv").write_text(
        "\n".join(["id,name_ko,name_en,kind,modules,tier", *rows]) + "\n", encoding="utf-8"
    )
    (folder / "event.yaml").write_text(EVENT_YAML, encoding="utf-8")
    return folder / "event.yaml"


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Problem, Assignment]:
    """The tiny event solved by the best-spot method: the problem and the assignment."""
    event = load_event(write_event(tmp_path_factory.mktemp("tiny")))
    problem = build_problem(event)
    return problem, build_assignment(event, problem, solve(problem, method="best-spot"))


@pytest.fixture(scope="module")
def doc(solved: tuple[Problem, Assignment]) -> Assignment:
    """The tiny event's assignment as the exports read it back from the file."""
    return parse_assignment(json.loads(assignment_json(solved[1])))


def edited(doc: Assignment, edit: Callable[[dict[str, Any]], None]) -> Assignment:
    """Return the assignment with its file's content changed by ``edit``, read back."""
    data = assignment_data(doc)
    edit(data)
    return parse_assignment(data)


def test_figures_match_a_count_by_hand(doc: Assignment) -> None:
    """Four booths of 10 modules on 180 cells, the desk's 2 cells, 60 modules left out."""
    assert [u.exhibitor_id for u in doc.unplaced] == ["huge"]
    util = assignment_data(doc)["utilization"]
    assert util["module_m"] == 3.0
    (hall,) = util["halls"]
    assert hall == {
        "hall": "B2",
        "name": "Hall B2",
        "name_ko": "B2홀",
        "usable_modules": 180,
        "usable_m2": 1620.0,
        "reserved_modules": 2,
        "reserved_m2": 18.0,
        "let_modules": 10,
        "let_m2": 90.0,
        "free_modules": 168,
        "share_let": 0.0556,
        "booths": 4,
        "booths_by_tier": {"platinum": 0, "gold": 1, "silver": 1, "standard": 2},
    }
    seoul_zone, empty = util["zones"]
    assert seoul_zone["zone"] == "smart-city-seoul"  # listed first in the event, first here
    assert {k: seoul_zone[k] for k in ("members", "placed", "unplaced")} == {
        "members": 2,
        "placed": 2,
        "unplaced": 0,
    }
    assert (seoul_zone["placed_modules"], seoul_zone["placed_m2"]) == (6, 54.0)
    assert (seoul_zone["unplaced_modules"], seoul_zone["area_halls"]) == (0, ["B2"])
    assert seoul_zone["area_let_modules"] == 6
    assert seoul_zone["share_let"] == round(6 / seoul_zone["area_modules"], 4)
    # A zone nobody belongs to has no area: nothing to divide by, no share made up.
    assert (empty["members"], empty["area_modules"], empty["share_let"]) == (0, 0, None)
    total = util["total"]
    assert total["exhibitors"] == 5 and (total["placed"], total["unplaced"]) == (4, 1)
    assert (total["requested_modules"], total["requested_m2"]) == (70, 630.0)
    assert (total["unplaced_modules"], total["unplaced_m2"]) == (60, 540.0)
    assert total["by_tier"] == {
        "platinum": {"placed": 0, "unplaced": 1, "unplaced_modules": 60},
        "gold": {"placed": 1, "unplaced": 0, "unplaced_modules": 0},
        "silver": {"placed": 1, "unplaced": 0, "unplaced_modules": 0},
        "standard": {"placed": 2, "unplaced": 0, "unplaced_modules": 0},
    }
    for k in ("usable_modules", "usable_m2", "let_modules", "let_m2", "reserved_m2", "share_let"):
        assert total[k] == hall[k], k


def test_figures_match_the_geometry(solved: tuple[Problem, Assignment]) -> None:
    """Areas measured with Shapely from the grid's cells and the assignment's polygons agree."""
    problem, layout = solved
    util = layout.utilization
    assert util is not None
    grid = problem.grids["B2"]
    cells = grid.cell_polygons()
    floor = shapely.union_all(cells)
    booths = [Polygon(b.polygon) for b in layout.booths]
    let = shapely.union_all(booths)
    reserved = shapely.union_all([Polygon(r.polygon) for r in layout.reserved])
    (hall,) = util.halls
    assert hall.usable_m2 == pytest.approx(floor.area)
    assert hall.usable_modules == round(floor.area / MODULE_M2)
    assert let.area == pytest.approx(sum(p.area for p in booths))  # no two booths overlap
    assert hall.let_m2 == pytest.approx(let.area)
    assert hall.let_modules == round(let.area / MODULE_M2)
    assert hall.reserved_m2 == pytest.approx(reserved.area)
    under_desk = [c for c in cells if c.intersection(reserved).area > 1e-6]
    assert hall.reserved_modules == len(under_desk)
    assert hall.share_let == round(let.area / floor.area, 4)
    assert None not in (hall.usable_modules, hall.reserved_modules, hall.let_modules)
    left = hall.usable_modules - hall.reserved_modules - hall.let_modules
    assert hall.free_modules == left
    # The zone's area as drawn on the plan: its cells off the desk, and the booths on them.
    zone = next(z for z in layout.zones if z.id == "smart-city-seoul")
    area = shapely.union_all([Polygon(a.polygon) for a in zone.area])
    in_area = [c for c in cells if c.intersection(area).area > 1e-6 and c not in under_desk]
    figures = util.zones[0]
    assert figures.area_modules == len(in_area)
    assert figures.area_m2 == pytest.approx(len(in_area) * MODULE_M2)
    taken = let.intersection(area).area
    assert figures.area_let_m2 == pytest.approx(taken)
    assert figures.share_let == round(taken / (len(in_area) * MODULE_M2), 4)
    members = [b for b in layout.booths if b.zone == "smart-city-seoul"]
    assert figures.placed_m2 == pytest.approx(sum(b.area_m2 for b in members))


def test_the_file_keeps_the_figures(solved: tuple[Problem, Assignment]) -> None:
    """The assignment file carries the utilization as written; reading it back keeps it."""
    layout = solved[1]
    assert layout.utilization is not None
    back = parse_assignment(json.loads(assignment_json(layout)))
    assert back.utilization == layout.utilization
    assert json.loads(assignment_json(layout))["utilization"]["halls"][0]["hall"] == "B2"


def sheet_rows(doc: Assignment) -> list[tuple[Any, ...]]:
    """Return the utilization sheet of the master list as rows of values."""
    wb = load_workbook(io.BytesIO(render_xlsx(doc)["booths.xlsx"]))
    ws = wb[SHEET]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws["I2"].number_format == "0.0%"
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def test_xlsx_has_a_utilization_sheet(doc: Assignment) -> None:
    """One row per hall, per zone and for the event, headed in Korean and English."""
    rows = sheet_rows(doc)
    assert rows[0] == (
        "구분 / Scope",
        "ID",
        "이름 / Name",
        "사용 가능 모듈 / Usable modules",
        "사용 가능 m² / Usable m²",
        "예약 구역 m² / Reserved m²",
        "배정 모듈 / Modules let",
        "배정 m² / m² let",
        "이용률 / Share let",
        "부스 / Booths",
        "참가사 / Exhibitors",
        "미배정 / Unplaced",
        "미배정 모듈 / Unplaced modules",
        "미배정 m² / Unplaced m²",
        "부스 platinum / Booths platinum",
        "부스 gold / Booths gold",
        "부스 silver / Booths silver",
        "부스 standard / Booths standard",
    )
    assert doc.utilization is not None
    area = doc.utilization.zones[0].area_modules
    assert area is not None
    share = round(6 / area, 4)
    hall = ("홀 / Hall", "B2", "B2홀 · Hall B2")
    zone = ("구역 / Zone", "smart-city-seoul", "스마트도시 서울존 · Smart City Seoul Zone")
    empty = ("구역 / Zone", "empty-pavilion", "빈 전시관 · Empty Pavilion")
    total = ("전체 / Total", None, "작은 주간 · Tiny Week")
    blank = (None, None, None, None)  # exhibitors and unplaced: for zones and the event only
    no_tiers = blank  # booths by tier: for halls and the event only
    assert rows[1:] == [
        (*hall, 180, 1620, 18, 10, 90, 0.0556, 4, *blank, 0, 1, 1, 2),
        (*zone, area, area * 9, None, 6, 54, share, 2, 2, 0, 0, 0, *no_tiers),
        (*empty, 0, 0, None, 0, 0, None, 0, 0, 0, 0, 0, *no_tiers),
        (*total, 180, 1620, 18, 10, 90, 0.0556, 4, 5, 1, 60, 540, 0, 1, 1, 2),
    ]


def test_plan_legend_shows_each_hall_and_the_first_zone(doc: Assignment) -> None:
    """Under the legend: one short line for B2 and one for the Smart City Seoul Zone."""
    assert doc.utilization is not None
    area = doc.utilization.zones[0].area_modules
    assert area is not None
    expected_zone = (
        f"Smart City Seoul Zone: 2 of 2 placed · 54 of {area * 9:,} m² let ({6 / area:.0%})"
    )
    assert utilization_texts(doc) == [
        ("hall", "B2: 90 of 1,620 m² let (6%) · 4 booths"),
        ("zone", expected_zone),
    ]
    root = ET.fromstring(render_plan_svg(doc))
    group = next(g for g in root.iter(f"{S}g") if g.get("class") == "utilization")
    texts = [t.text for t in group.iter(f"{S}text")]
    assert texts == [
        "이용률 · Utilization",
        "B2: 90 of 1,620 m² let (6%) · 4 booths",
        expected_zone,
    ]
    # The plan grows by a line, two on a sheet as narrow as this one hall's.
    old = doc.model_copy(update={"utilization": None})
    old_height = float(ET.fromstring(render_plan_svg(old)).get("height", "0"))
    height = float(root.get("height", "0"))
    assert old_height < height <= old_height + 2 * 24


def test_summary_lines_for_the_cli(doc: Assignment) -> None:
    """The printed summary's lines: the hall, each zone, the totals and the demand left out."""
    assert doc.utilization is not None
    lines = summary_lines(doc.utilization)
    assert lines[0] == (
        "utilization B2: 90 of 1,620 m² let (6%), 10 of 180 modules, 18 m² reserved · 4 booths"
    )
    assert lines[1].startswith("utilization zone Smart City Seoul Zone: 2 of 2 placed")
    assert lines[2] == ("utilization zone Empty Pavilion: 0 of 0 placed · 0 of 0 m² let (–)")
    assert lines[3:] == [
        "utilization all halls: 90 of 1,620 m² let (6%) · 4 booths",
        "exhibitors: 4 placed, 1 unplaced of 5 "
        "(platinum 0/1, gold 1/0, silver 1/0, standard 2/0 placed/unplaced)",
        "unplaced demand: 60 modules (540 m²)",
    ]


def test_an_assignment_without_utilization_still_exports(
    solved: tuple[Problem, Assignment], tmp_path: Path
) -> None:
    """A file written before the utilization existed exports every format, without its parts."""
    old = assignment_data(solved[1])
    del old["utilization"]
    path = tmp_path / "assignment.json"
    path.write_text(assignment_json(old), encoding="utf-8")
    doc = read_assignment(path)
    assert doc.utilization is None and utilization_texts(doc) == []
    wb = load_workbook(io.BytesIO(render_xlsx(doc)["booths.xlsx"]))
    assert SHEET not in wb.sheetnames
    assert set(render_csv(doc)) == {"booths.csv", "unplaced.csv"}
    assert 'class="utilization"' not in render_plan_svg(doc)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["export", str(path), "-f", "csv,xlsx,svg,png", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"booths.xlsx", "floorplan.svg", "floorplan.png"}


def test_a_damaged_utilization_does_not_break_the_exports(doc: Assignment) -> None:
    """Parts of the utilization missing or not what they should be: the rest still shows."""

    def damage(data: dict[str, Any]) -> None:
        data["utilization"] = {"halls": [{"hall": "B2"}], "zones": "oops"}

    broken = edited(doc, damage)
    assert utilization_texts(broken) == [("hall", "B2: ? of ? m² let (–) · ? booths")]
    assert 'class="utilization"' in render_plan_svg(broken)
    render_xlsx(broken)

    def ruin(data: dict[str, Any]) -> None:
        data["utilization"] = "not a table"

    broken = edited(doc, ruin)
    assert utilization_texts(broken) == []
    render_xlsx(broken)


def test_zone_names_are_never_formulas_in_the_sheet(doc: Assignment) -> None:
    """A zone's name that looks like a formula is stored as text, neutralised."""

    def rename(data: dict[str, Any]) -> None:
        zone = data["utilization"]["zones"][0]
        zone["name_ko"], zone["name_en"] = "", '=HYPERLINK("http://x","y")'

    hostile = edited(doc, rename)
    wb = load_workbook(io.BytesIO(render_xlsx(hostile)["booths.xlsx"]))
    cell = wb[SHEET]["C3"]
    assert cell.value == '\'=HYPERLINK("http://x","y")' and cell.data_type == "s"
