"""The `boothopt` command, run through click's CliRunner."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from boothopt.cli import main


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner that keeps stderr apart from stdout."""
    return CliRunner()


def test_venues_list_names_the_builtin_venues(runner: CliRunner) -> None:
    """`venues list` names COEX and Jamsil with their halls."""
    result = runner.invoke(main, ["venues", "list"])
    assert result.exit_code == 0, result.output
    assert "coex" in result.output and "jamsil-mice" in result.output
    assert "B (B1+B2)" in result.output


def test_venues_show_json_has_the_promised_fields(runner: CliRunner) -> None:
    """`venues show coex --json` prints each hall's figures, Hall A with >= 520 booths."""
    result = runner.invoke(main, ["venues", "show", "coex", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["venue"] == "coex"
    halls = {h["id"]: h for h in data["halls"]}
    assert set(halls) == {"A", "B1", "B2", "C", "D1", "D2", "B", "D"}
    for h in halls.values():
        assert {
            "id",
            "area_m2",
            "usable_m2",
            "booth_capacity",
            "max_exit_walk_m",
            "breaches",
        } <= set(h)
        assert 0 < h["usable_m2"] < h["area_m2"]
        assert h["breaches"] == []
    assert halls["A"]["booth_capacity"] >= 520
    assert halls["B"]["booth_capacity"] >= 360


def test_venues_show_one_hall_as_table(runner: CliRunner) -> None:
    """`venues show coex --hall B` prints a table row for the joined hall only."""
    result = runner.invoke(main, ["venues", "show", "coex", "--hall", "B"])
    assert result.exit_code == 0
    rows = [line.split()[0] for line in result.stdout.splitlines()[2:] if line[:1].isalnum()]
    assert rows[0] == "B" and "B1" not in rows


def test_venues_show_reports_breaches(runner: CliRunner, tmp_path: Path) -> None:
    """A hall with one far exit is shown with its breach, and the command still succeeds."""
    venue = tmp_path / "long.yaml"
    venue.write_text(
        "schema: boothopt.venue/1\nid: long\nhalls:\n"
        "  - {id: L, rect: {origin: [0, 0], size: [200, 30]},\n"
        "     exits: [{at: [0, 15], width_m: 2}]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["venues", "show", str(venue), "--json"])
    assert result.exit_code == 0
    breaches = json.loads(result.stdout)["halls"][0]["breaches"]
    assert [b["rule"] for b in breaches] == ["exit-walk"]


def test_venues_render_writes_svg(runner: CliRunner, tmp_path: Path) -> None:
    """`venues render coex --hall A --out` writes a well-formed SVG of Hall A."""
    out = tmp_path / "plans" / "coex-a.svg"
    result = runner.invoke(main, ["venues", "render", "coex", "--hall", "A", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.find(".//{http://www.w3.org/2000/svg}g[@id='hall-A']") is not None
    assert not list(tmp_path.glob("plans/.*.tmp"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["venues", "show", "atlantis"], "no built-in venue or venue file"),
        (["venues", "show", "coex", "--hall", "Z"], "no hall 'Z'"),
        (["venues", "show", "missing.yaml"], "file not found"),
        (["venues", "render", "coex", "--hall", "Q", "--out", "x.svg"], "no hall 'Q'"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    runner: CliRunner,
    args: list[str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bad input gives one `error:` line naming the fault, exit code 2 and no traceback."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_bad_venue_file_lists_every_fault(runner: CliRunner, tmp_path: Path) -> None:
    """A venue file with two faults gets two `error:` lines, each naming file and hall."""
    venue = tmp_path / "bad.yaml"
    venue.write_text(
        "schema: boothopt.venue/1\nid: bad\nhalls:\n"
        "  - {id: P, outline: [[0, 0], [10, 0], [10, 10], [0, 10]]}\n"
        "  - {id: Q, rect: {origin: [20, 0], size: [10, 10]},\n"
        "     exits: [{at: [25, 5], width_m: 2}]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["venues", "show", str(venue)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"error: {venue}: hall ") for line in lines)
    assert "not closed" in lines[0] and "must sit on the hall's outer wall" in lines[1]


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["venues"],
        ["venues", "list"],
        ["venues", "show"],
        ["venues", "render"],
        ["venues", "import"],
        ["venues", "export"],
    ],
)
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    """Every command answers --help with its usage."""
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")


EVENT_YAML = """schema: boothopt.event/1
name: CLI Week
venue: coex
halls: [B2]
zones:
  - {id: smart-city-seoul, name_ko: 스마트도시 서울존, members: {kinds: [city]}}
exhibitors: [ex.csv]
"""


def write_cli_event(tmp_path: Path, rows: list[str]) -> Path:
    """Write a one-hall event with a CSV table of ``rows``; return the event path."""
    (tmp_path / "ex.csv").write_text(
        "\n".join(["id,name_ko,kind,modules,tier", *rows]) + "\n", encoding="utf-8"
    )
    path = tmp_path / "event.yaml"
    path.write_text(EVENT_YAML, encoding="utf-8")
    return path


def test_validate_prints_a_summary(runner: CliRunner, tmp_path: Path) -> None:
    """`validate` on a clean event prints counts by kind, zone and tier and the floor."""
    path = write_cli_event(tmp_path, ["seoul,서울,city,2,gold", "acme,에이크미,company,1,"])
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "exhibitors: 2 (city 1, company 1)" in result.stdout
    assert "smart-city-seoul 1" in result.stdout
    assert "gold 1" in result.stdout and "standard 1" in result.stdout
    assert "27 m² requested" in result.stdout and "1,620 m² usable" in result.stdout


def test_validate_json_is_the_normalized_event(runner: CliRunner, tmp_path: Path) -> None:
    """`validate --json` prints the exhibitors, zones and halls the solver will see."""
    path = write_cli_event(tmp_path, ["seoul,서울,city,2,gold"])
    result = runner.invoke(main, ["validate", str(path), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["exhibitors"][0]["zone"] == "smart-city-seoul"
    assert data["zones"] == [
        {
            "id": "smart-city-seoul",
            "name_ko": "스마트도시 서울존",
            "name_en": "smart-city-seoul",
            "contiguous": True,
            "hall": None,
            "near_entrance": None,
            "members": {"kinds": ["city"], "categories": [], "ids": []},
        }
    ]
    assert data["halls"][0]["id"] == "B2"


def test_validate_reports_every_fault_with_exit_code_2(runner: CliRunner, tmp_path: Path) -> None:
    """`validate` prints each fault as `error: file:row:column: ...` and exits with 2."""
    path = write_cli_event(tmp_path, ["seoul,서울,town,2,gold", "acme,에이크미,company,0,"])
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {tmp_path / 'ex.csv'}:2:kind:")
    assert lines[1].startswith(f"error: {tmp_path / 'ex.csv'}:3:modules:")
    assert "Traceback" not in result.output


def test_template_writes_a_workbook(runner: CliRunner, tmp_path: Path) -> None:
    """`template --event` writes an XLSX whose zone list comes from the event."""
    from openpyxl import load_workbook

    event = write_cli_event(tmp_path, [])
    out = tmp_path / "apply.xlsx"
    result = runner.invoke(main, ["template", str(out), "--event", str(event)])
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    lists = book["lists"]
    values = {c.value for row in lists.iter_rows() for c in row}
    assert "smart-city-seoul" in values and "startup" not in values


def test_template_refuses_other_suffixes(runner: CliRunner, tmp_path: Path) -> None:
    """`template` to a .csv path is bad input: exit code 2, nothing written."""
    result = runner.invoke(main, ["template", str(tmp_path / "apply.csv")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert list(tmp_path.iterdir()) == []


def test_scenario_is_the_same_for_the_same_seed(runner: CliRunner, tmp_path: Path) -> None:
    """`scenario` writes identical files for one seed, and the files validate."""
    for out in ("a", "b"):
        result = runner.invoke(
            main, ["scenario", "smartlife-2024", "--seed", "7", "--out", str(tmp_path / out)]
        )
        assert result.exit_code == 0, result.stderr
    for name in ("event.yaml", "exhibitors.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    result = runner.invoke(main, ["validate", str(tmp_path / "a" / "event.yaml")])
    assert result.exit_code == 0 and "exhibitors: 262" in result.stdout


def test_shipped_example_is_the_2024_scenario(runner: CliRunner, tmp_path: Path) -> None:
    """examples/smartlife-2024 is `scenario smartlife-2024 --seed 2024`, so it stays current."""
    result = runner.invoke(
        main, ["scenario", "smartlife-2024", "--seed", "2024", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    shipped = Path(__file__).parent.parent / "examples" / "smartlife-2024"
    for name in ("event.yaml", "exhibitors.csv"):
        assert (shipped / name).read_bytes() == (tmp_path / name).read_bytes()


EXAMPLE_EVENT = Path(__file__).parent.parent / "examples" / "smartlife-2024" / "event.yaml"


def test_allocate_writes_the_assignment_the_list_and_the_plan(
    runner: CliRunner, tmp_path: Path
) -> None:
    """`allocate --json` on the 2024 example writes three files and prints the summary."""
    import csv

    out = tmp_path / "out"
    result = runner.invoke(
        main, ["allocate", str(EXAMPLE_EVENT), "--out", str(out), "--time-limit", "3", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    keys = {
        "status",
        "objective",
        "bound",
        "gap",
        "placed",
        "unplaced",
        "first_feasible_s",
        "wall_s",
        "terms",
    }
    assert keys <= set(summary)
    assert all({"score", "max", "bound"} == set(t) for t in summary["terms"].values())
    assignment = json.loads((out / "assignment.json").read_text(encoding="utf-8"))
    assert assignment["schema"] == "boothopt.assignment/1"
    assert len(assignment["booths"]) == summary["placed"]
    assert len(assignment["unplaced"]) == summary["unplaced"]
    assert all(u["reason"] for u in assignment["unplaced"])
    with (out / "assignments.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["booth_no"] for r in rows] == sorted(b["booth_no"] for b in assignment["booths"])
    by_no = {b["booth_no"]: b for b in assignment["booths"]}
    for r in rows:
        b = by_no[r["booth_no"]]
        assert (r["hall"], r["exhibitor_id"], int(r["modules"])) == (
            b["hall"],
            b["exhibitor_id"],
            b["modules"],
        )
    root = ET.fromstring((out / "floorplan.svg").read_text(encoding="utf-8"))
    drawn = root.findall(".//{http://www.w3.org/2000/svg}path[@class='booth']")
    assert len(drawn) == summary["placed"]


def test_allocate_greedy_summary_is_readable(runner: CliRunner, tmp_path: Path) -> None:
    """`allocate --method greedy` prints placed, each term and every unplaced reason."""
    result = runner.invoke(
        main, ["allocate", str(EXAMPLE_EVENT), "--out", str(tmp_path), "--method", "greedy"]
    )
    assert result.exit_code == 0, result.stderr
    assert "placed" in result.stdout and "GREEDY" in result.stdout
    for term in ("location", "preferred_hall", "partners", "booth_type", "zone_compact"):
        assert term in result.stdout
    assert result.stdout.count("unplaced: ") == len(
        json.loads((tmp_path / "assignment.json").read_text(encoding="utf-8"))["unplaced"]
    )


def test_allocate_quiet_prints_nothing(runner: CliRunner, tmp_path: Path) -> None:
    """`allocate --quiet` writes its files and prints nothing."""
    result = runner.invoke(
        main,
        ["allocate", str(EXAMPLE_EVENT), "--out", str(tmp_path), "--method", "greedy", "--quiet"],
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert (tmp_path / "assignment.json").is_file()


def test_allocate_bad_event_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    """A faulty event stops `allocate` with exit code 2 before anything is written."""
    path = write_cli_event(tmp_path, ["seoul,서울,town,2,gold"])
    out = tmp_path / "out"
    result = runner.invoke(main, ["allocate", str(path), "--out", str(out)])
    assert result.exit_code == 2 and "kind 'town' is unknown" in result.stderr
    assert not out.exists()


def test_hostile_names_are_neutralised_in_csv_and_svg(runner: CliRunner, tmp_path: Path) -> None:
    """Names that look like formulas or markup stay inert text in the CSV and the SVG."""
    import csv

    (tmp_path / "ex.csv").write_text(
        "id,name_ko,name_en,kind,modules\n"
        'evil,"=HYPERLINK(""http://x"",""y"")","<script>alert(1)</script>",company,2\n'
        "plus,+SUM(A1),@cmd,company,1\n",
        encoding="utf-8",
    )
    event = tmp_path / "event.yaml"
    event.write_text(EVENT_YAML, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["allocate", str(event), "--out", str(out), "--method", "greedy", "--quiet"]
    )
    assert result.exit_code == 0, result.stderr
    with (out / "assignments.csv").open(encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert "'+SUM(A1)" in cells and "'@cmd" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    svg = (out / "floorplan.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.find(".//{http://www.w3.org/2000/svg}script") is None
    assert "&lt;script&gt;" in svg


def test_allocate_to_an_unwritable_place_is_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    """`--out` naming a file, not a folder, is one error line, exit code 2, the file untouched;
    found before the solve (a 300 s optimizer run ends at once)."""
    target = tmp_path / "not-a-folder"
    target.write_text("keep me", encoding="utf-8")
    started = time.monotonic()
    result = runner.invoke(
        main, ["allocate", str(EXAMPLE_EVENT), "--out", str(target / "sub"), "--time-limit", "300"]
    )
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "cannot write" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
