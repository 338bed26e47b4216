"""`boothopt check`, the export's refusal of a breaking layout, and the commands' common ground:
--json everywhere (errors too), exit codes, --strict, and the lock on the output folder."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import shapely
from click.testing import CliRunner
from openpyxl import load_workbook
from shapely.geometry import Polygon

from boothopt.cli import main
from boothopt.outputs.files import LOCK_NAME, folder_lock

SVG = "{http://www.w3.org/2000/svg}"

EVENT_YAML = """schema: boothopt.event/1
name: Check Week
venue: coex
halls: [B2]
zones:
  - {id: smart-city-seoul, name_ko: 스마트도시 서울존, members: {kinds: [city]}}
exhibitors: [ex.csv]
"""

ROWS = [
    "seoul,서울,city,2,gold,",
    "busan,부산,city,2,,",
    "acme,에이크미,company,2,,",
    "bolt,볼트,company,1,,",
    "core,코어,company,1,,",
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_event(folder: Path, rows: list[str], header: str = "id,name_ko,kind,modules,tier,avoid"):
    """Write a one-hall event (COEX Hall B2) with a CSV table; return the event path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ex.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    path = folder / "event.yaml"
    path.write_text(EVENT_YAML, encoding="utf-8")
    return path


@pytest.fixture
def allocated(runner: CliRunner, tmp_path: Path) -> tuple[Path, Path]:
    """An event and the assignment `allocate` wrote for it: (event.yaml, assignment.json)."""
    event = write_event(tmp_path / "event", ROWS)
    out = tmp_path / "run"
    result = runner.invoke(
        main, ["allocate", str(event), "--out", str(out), "--method", "best-spot", "--quiet"]
    )
    assert result.exit_code == 0, result.stderr
    return event, out / "assignment.json"


def edit(path: Path, change: Any, name: str = "edited.json") -> Path:
    """Write a copy of the assignment at ``path`` changed by ``change(doc)``; return its path."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    target = path.with_name(name)
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return target


def booth(doc: dict[str, Any], exhibitor: str) -> dict[str, Any]:
    return next(b for b in doc["booths"] if b["exhibitor_id"] == exhibitor)


def moved(ring: list[list[float]], dx: float, dy: float) -> list[list[float]]:
    return [[x + dx, y + dy] for x, y in ring]


def test_an_allocated_layout_passes_both_checks(
    runner: CliRunner, allocated: tuple[Path, Path]
) -> None:
    """What `allocate` wrote keeps every rule, by the file alone and against the event."""
    event, assignment = allocated
    alone = runner.invoke(main, ["check", str(assignment)])
    assert alone.exit_code == 0, alone.output
    assert alone.stdout.startswith("ok: 5 booths") and "--event" in alone.stdout
    full = runner.invoke(main, ["check", str(assignment), "--event", str(event), "--json"])
    assert full.exit_code == 0, full.output
    report = json.loads(full.stdout)
    assert report["ok"] is True and report["breaches"] == [] and report["booths"] == 5
    assert report["checked"] == "event"


def test_hand_edits_that_break_the_geometry_are_named(
    runner: CliRunner, allocated: tuple[Path, Path]
) -> None:
    """An overlap, a booth pushed out of its hall and a stretched booth: one line each, exit 2."""
    _, assignment = allocated

    def change(doc: dict[str, Any]) -> None:
        acme, bolt, core = booth(doc, "acme"), booth(doc, "bolt"), booth(doc, "core")
        x0, y0 = acme["polygon"][0]
        # bolt (one module) onto acme's first module
        bolt["polygon"] = [[x0, y0], [x0 + 3, y0], [x0 + 3, y0 + 3], [x0, y0 + 3], [x0, y0]]
        hall = Polygon(doc["halls"][0]["polygon"])
        core["polygon"] = moved(core["polygon"], hall.bounds[2] - core["polygon"][0][0], 0)
        seoul = booth(doc, "seoul")
        seoul["polygon"][1][0] += 3.0
        seoul["polygon"][2][0] += 3.0

    path = edit(assignment, change)
    doc = json.loads(path.read_text(encoding="utf-8"))
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.stdout.splitlines() if line.startswith("breach: ")]
    by_booth = {booth(doc, e)["booth_no"]: e for e in ("acme", "bolt", "core", "seoul")}
    named = {m.groups() for line in lines if (m := re.match(r"breach: booth (\S+): (\S+):", line))}
    number = {e: no for no, e in by_booth.items()}
    overlap = {(number["acme"], "overlap"), (number["bolt"], "overlap")} & named
    assert overlap, lines
    assert (number["core"], "outside") in named
    assert (number["seoul"], "area") in named
    # Every breach names a booth of those edited, and nothing else is reported.
    assert {no for no, _ in named} <= set(by_booth)
    # The same through --json, with a point to mark on the plan inside the hall.
    report = json.loads(runner.invoke(main, ["check", str(path), "--json"]).stdout)
    assert report["ok"] is False
    assert {b["rule"] for b in report["breaches"]} == {"overlap", "outside", "area"}
    for b in report["breaches"]:
        assert b["hall"] == "B2" and len(b["where"]) == 2


def test_blocked_floor_is_a_breach(runner: CliRunner, allocated: tuple[Path, Path]) -> None:
    """A booth moved onto an exit's clear zone stands on blocked floor."""
    _, assignment = allocated
    doc = json.loads(assignment.read_text(encoding="utf-8"))
    clear = next(b for b in doc["blocked"] if b["kind"] == "exit-clearance")
    cx, cy = Polygon(clear["polygon"]).representative_point().coords[0]

    def change(d: dict[str, Any]) -> None:
        b = booth(d, "bolt")
        b["polygon"] = [
            [cx - 1.5, cy - 1.5],
            [cx + 1.5, cy - 1.5],
            [cx + 1.5, cy + 1.5],
            [cx - 1.5, cy + 1.5],
            [cx - 1.5, cy - 1.5],
        ]

    path = edit(assignment, change)
    report = json.loads(runner.invoke(main, ["check", str(path), "--json"]).stdout)
    rules = {(b["booth"], b["rule"]) for b in report["breaches"]}
    assert (booth(doc, "bolt")["booth_no"], "blocked") in rules
    bolt = Polygon(booth(json.loads(path.read_text(encoding="utf-8")), "bolt")["polygon"])
    assert bolt.intersection(Polygon(clear["polygon"])).area > 0  # the edit really is on it


def test_the_current_table_is_checked(
    runner: CliRunner, allocated: tuple[Path, Path], tmp_path: Path
) -> None:
    """After a cancellation, a late entry and a size change the layout no longer fits the table."""
    event, assignment = allocated
    rows = [r for r in ROWS if not r.startswith("core,")]  # core cancelled
    rows = [r.replace("acme,에이크미,company,2", "acme,에이크미,company,3") for r in rows]
    rows.append("late,레이트,company,1,,")
    write_event(event.parent, rows)
    result = runner.invoke(main, ["check", str(assignment), "--event", str(event)])
    assert result.exit_code == 2
    doc = json.loads(assignment.read_text(encoding="utf-8"))
    out = result.stdout
    assert f"booth {booth(doc, 'core')['booth_no']}: table: core holds it but is no longer" in out
    assert "table: late is in the exhibitor table but neither has a booth" in out
    assert (
        f"booth {booth(doc, 'acme')['booth_no']}: size: 18 m², but acme asks for 3 modules" in out
    )


def test_zone_and_competitor_rules_are_checked(runner: CliRunner, tmp_path: Path) -> None:
    """A city swapped with a company leaves the zone; competitors moved side by side."""
    rows = [
        "seoul,서울,city,1,,",
        "busan,부산,city,1,,",
        "acme,에이크미,company,1,,zeta:15",
        "zeta,제타,company,1,,",
    ]
    event = write_event(tmp_path / "event", rows)
    out = tmp_path / "run"
    result = runner.invoke(
        main, ["allocate", str(event), "--out", str(out), "--method", "best-spot", "--quiet"]
    )
    assert result.exit_code == 0, result.stderr
    assignment = out / "assignment.json"
    doc = json.loads(assignment.read_text(encoding="utf-8"))
    acme, zeta = Polygon(booth(doc, "acme")["polygon"]), Polygon(booth(doc, "zeta")["polygon"])
    assert acme.distance(zeta) >= 15  # the solver kept them apart

    def change(d: dict[str, Any]) -> None:
        busan, zeta = booth(d, "busan"), booth(d, "zeta")
        busan["polygon"], zeta["polygon"] = zeta["polygon"], busan["polygon"]

    path = edit(assignment, change)
    new = json.loads(path.read_text(encoding="utf-8"))
    gap = Polygon(booth(new, "acme")["polygon"]).distance(Polygon(booth(new, "zeta")["polygon"]))
    report = json.loads(
        runner.invoke(main, ["check", str(path), "--event", str(event), "--json"]).stdout
    )
    messages = [b["message"] for b in report["breaches"]]
    assert "busan of zone smart-city-seoul stands outside the zone's area" in messages
    assert "zeta stands in zone smart-city-seoul's area without belonging to it" in messages
    if gap < 15:
        assert any(m.startswith("acme and its competitor zeta") for m in messages)
    else:
        assert not any("competitor" in m for m in messages)


def test_export_refuses_a_breaking_layout_and_force_stamps_it(
    runner: CliRunner, allocated: tuple[Path, Path], tmp_path: Path
) -> None:
    """Export writes nothing for an overlapping layout; with --force the breach is on every list
    and marked on the plan where the booths overlap."""
    _, assignment = allocated

    def change(doc: dict[str, Any]) -> None:
        booth(doc, "bolt")["polygon"] = booth(doc, "core")["polygon"]

    path = edit(assignment, change)
    doc = json.loads(path.read_text(encoding="utf-8"))
    out = tmp_path / "exports"
    refused = runner.invoke(main, ["export", str(path), "-f", "csv,xlsx,svg", "--out", str(out)])
    assert refused.exit_code == 2
    assert "overlap" in refused.stderr and "--force" in refused.stderr
    assert not out.exists() or not any(out.iterdir())
    forced = runner.invoke(
        main, ["export", str(path), "-f", "csv,xlsx,svg", "--out", str(out), "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert "exported with a breach (--force)" in forced.stderr
    with (out / "breaches.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 2 and rows[1][1] == "overlap"
    numbers = {booth(doc, "bolt")["booth_no"], booth(doc, "core")["booth_no"]}
    assert rows[1][2] in numbers
    with (out / "booths.csv").open(encoding="utf-8-sig", newline="") as fh:
        listed = list(csv.DictReader(fh))
    flagged = [r for r in listed if r["규칙 위반 / Breach"]]
    assert len(flagged) == 1 and flagged[0]["부스 번호 / Booth no"] == rows[1][2]
    wb = load_workbook(io.BytesIO((out / "booths.xlsx").read_bytes()))
    assert "위반 Breaches" in wb.sheetnames
    assert wb["위반 Breaches"].cell(row=2, column=2).value == "overlap"
    root = ET.fromstring((out / "floorplan.svg").read_text(encoding="utf-8"))
    stamp = root.find(f".//{SVG}text[@class='breach-stamp']")
    assert stamp is not None and "1 rule breach" in "".join(stamp.itertext())
    circles = root.findall(f".//{SVG}g[@class='breach']/{SVG}circle")
    assert len(circles) == 1
    # The mark sits on the overlap: map it back to metres through the plan's frame.
    from boothopt.contract import parse_assignment
    from boothopt.outputs.plan_svg import plan_layout

    frame = plan_layout(parse_assignment(doc)).frame("B2")
    x, y = frame.venue(float(circles[0].get("cx", 0)), float(circles[0].get("cy", 0)))
    assert Polygon(booth(doc, "core")["polygon"]).buffer(0.01).contains(shapely.Point(x, y))


def test_every_command_answers_in_json_errors_included(runner: CliRunner, tmp_path: Path) -> None:
    """--json on every command; a fault comes back as {"ok": false, "error": …} with its code."""
    missing = tmp_path / "nowhere.yaml"
    for args in (
        ["validate", str(missing)],
        ["allocate", str(missing), "--out", str(tmp_path / "o")],
        ["check", str(tmp_path / "none.json")],
        ["export", str(tmp_path / "none.json"), "-f", "csv", "--out", str(tmp_path / "o")],
        ["template", str(tmp_path / "t.txt")],
        ["venues", "show", "atlantis"],
    ):
        result = runner.invoke(main, [*args, "--json"])
        assert result.exit_code == 2, (args, result.output)
        answer = json.loads(result.stdout)
        assert answer["ok"] is False and answer["error"]["kind"] == "input"
        assert answer["error"]["exit_code"] == 2 and answer["error"]["messages"]
        assert result.stderr == ""
    usage = runner.invoke(
        main, ["allocate", "--json", str(missing), "--out", "o", "--time-limit", "0"]
    )
    assert usage.exit_code == 2
    assert json.loads(usage.stdout)["error"]["kind"] == "usage"
    for args in (
        ["venues", "list"],
        ["scenario", "smartlife-2024", "--out", str(tmp_path / "s")],
        ["template", str(tmp_path / "t.xlsx")],
    ):
        result = runner.invoke(main, [*args, "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["ok"] is True


def test_help_lists_the_exit_codes(runner: CliRunner) -> None:
    """`boothopt --help` lists every exit code; allocate offers --strict."""
    text = runner.invoke(main, ["--help"]).stdout
    for code in ("0", "1", "2", "3", "130", "143"):
        assert any(line.strip().startswith(code + " ") for line in text.splitlines()), code
    assert "--strict" in runner.invoke(main, ["allocate", "--help"]).stdout


def test_strict_exits_3_when_someone_is_left_out(runner: CliRunner, tmp_path: Path) -> None:
    """A stand needing more height than Hall B2 has is left out: --strict says so by exit 3."""
    rows = ["acme,에이크미,company,1,,", "tall,톨,company,1,,"]
    event = write_event(tmp_path / "event", rows)
    table = event.parent / "ex.csv"
    table.write_text(
        "id,name_ko,kind,modules,height_m\nacme,에이크미,company,1,\ntall,톨,company,1,40\n",
        encoding="utf-8",
    )
    args = ["allocate", str(event), "--method", "best-spot", "--quiet"]
    plain = runner.invoke(main, [*args, "--out", str(tmp_path / "a")])
    assert plain.exit_code == 0, plain.output
    assert json.loads((tmp_path / "a" / "assignment.json").read_text())["unplaced"]
    strict = runner.invoke(main, [*args, "--out", str(tmp_path / "b"), "--strict"])
    assert strict.exit_code == 3
    assert (tmp_path / "b" / "assignment.json").is_file()  # written all the same


def test_a_second_run_into_the_same_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """While one run holds the folder, another allocate or export into it stops at once."""
    event = write_event(tmp_path / "event", ROWS)
    out = tmp_path / "run"
    with folder_lock(out):
        result = runner.invoke(main, ["allocate", str(event), "--out", str(out), "--quiet"])
        assert result.exit_code == 2
        assert "another boothopt run is writing into this folder" in result.stderr
        assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]
    assert not out.exists()  # made for the run, left empty: removed with the lock
    done = runner.invoke(
        main, ["allocate", str(event), "--out", str(out), "--method", "best-spot", "--quiet"]
    )
    assert done.exit_code == 0, done.output
    assert LOCK_NAME not in {p.name for p in out.iterdir()}


def test_an_event_breaking_the_fire_rules_is_refused_unless_allowed(
    runner: CliRunner, tmp_path: Path
) -> None:
    """2 m aisles: validate says not ok, allocate refuses; --allow-breaches allocates, prints the
    breaches and draws them on the plan."""
    event = write_event(tmp_path / "event", ROWS)
    event.write_text(EVENT_YAML + "aisles: {side_aisle_m: 2, cross_aisle_m: 2}\n", encoding="utf-8")
    checked = runner.invoke(main, ["validate", str(event)])
    assert checked.exit_code == 2
    fire = [line for line in checked.stdout.splitlines() if line.startswith("fire rule: ")]
    assert fire and all("3 m fire rule" in line or "aisle" in line for line in fire)
    assert "allocate refuses it unless --allow-breaches" in checked.stdout
    out = tmp_path / "run"
    refused = runner.invoke(main, ["allocate", str(event), "--out", str(out), "--quiet"])
    assert refused.exit_code == 2 and "--allow-breaches" in refused.stderr
    assert "side_aisle_m 2" in refused.stderr
    assert not out.exists()
    args = ["allocate", str(event), "--out", str(out), "--method", "best-spot"]
    allowed = runner.invoke(main, [*args, "--allow-breaches"])
    assert allowed.exit_code == 0, allowed.output
    printed = [line for line in allowed.stdout.splitlines() if line.startswith("breach: fire: ")]
    assert len(printed) == len(fire)
    doc = json.loads((out / "assignment.json").read_text(encoding="utf-8"))
    assert [b["rule"] for b in doc["breaches"]] == ["fire"] * len(fire)
    root = ET.fromstring((out / "floorplan.svg").read_text(encoding="utf-8"))
    assert root.find(f".//{SVG}text[@class='breach-stamp']") is not None
    # Exporting the layout made so is not refused again: its breaches were accepted.
    exported = runner.invoke(
        main, ["export", str(out / "assignment.json"), "-f", "csv", "--out", str(tmp_path / "x")]
    )
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "x" / "breaches.csv").is_file()


def test_validate_states_a_rule_that_can_never_hold_once(runner: CliRunner, tmp_path: Path) -> None:
    """Three competitors 200 m apart in one 60 m hall: one line, and validate still passes."""
    rows = [
        "acme,에이크미,company,1,,bolt:200;core:200",
        "bolt,볼트,company,1,,core:200",
        "core,코어,company,1,,",
    ]
    event = write_event(tmp_path / "event", rows)
    result = runner.invoke(main, ["validate", str(event)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("cannot hold: ")]
    assert len(lines) == 1 and "200 m apart" in lines[0]
    assert result.stdout.rstrip().endswith("1 rule can never hold (see above)")
