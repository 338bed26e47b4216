"""`boothopt compare`: layouts side by side, figures worked out by hand on two tiny halls.

The venue ``twohall`` has two column-free halls laid out with the default aisle scheme
(perimeter aisles 5 m, blocks two modules deep, modules 3 m):

* P, 16 m x 16 m at the origin: one block of 2 x 2 cells, x and y from 5 to 11. The aisle
  centre lines form a ring at 2.5 and 13.5; the entrance (0, 8) joins the west aisle at
  (2.5, 8) and the exit (16, 8) the east aisle at (13.5, 8).
* Q, 22 m x 16 m at x = 20: one block of 4 x 2 cells, x from 25 to 37, y from 5 to 11; the
  ring at x = 22.5 and 39.5, y = 2.5 and 13.5; entrance (20, 8), exit (42, 8).

A booth's walk (as the grid measures it) is the distance from its centre to an aisle piece
within 2 m of its nearest one, then along the aisles to the door. For P's western cells,
centres (6.5, 6.5) and (6.5, 9.5), the nearest point of the west aisle's piece beyond the door's
junction is the junction itself: sqrt(4² + 1.5²) = 4.272 m, plus the 2.5 m door link, 6.772 m.
The eastern cells, centres (9.5, 6.5) and (9.5, 9.5), are 4 m from the south (north) aisle,
whose western end is 2.5 + 5.5 = 8 m from the entrance: 4 + 8 + 7 = 19 m. In Q the columns at
x = 26.5, 29.5, 32.5 and 35.5 give 6.772, 4 + 8 + 7 = 19, 4 + 8 + 10 = 22 and 4 + 8 + 13 = 25 m.
Each booth's walk is written rounded to 0.1 m: 6.8, 19, 22, 25.

The way out is the nearer of the entrance and the exit: 6.772 m for every cell of P (the
eastern cells mirror the western ones through the exit); in Q the two middle columns are 19 m
from either door, the farthest.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from boothopt.cli import main
from boothopt.contract import Booth
from boothopt.errors import InputError
from boothopt.inputs.domain import Zone
from boothopt.inputs.event_file import load_event
from boothopt.planning.compare import (
    Notice,
    aggregate,
    cell_text,
    compactness,
    layout_event,
    lookup,
    notice_lines,
    parse_hall_map,
    parse_layout,
    parse_seeds,
    parse_visitors,
    resolve_sources,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "smartlife-2024" / "event.yaml"

VENUE = """schema: boothopt.venue/1
id: twohall
halls:
  - id: P
    rect: {origin: [0, 0], size: [16, 16]}
    entrances: [{id: P-E1, at: [0, 8], width_m: 3}]
    exits: [{id: P-X1, at: [16, 8], width_m: 2}]
  - id: Q
    rect: {origin: [20, 0], size: [22, 16]}
    entrances: [{id: Q-E1, at: [20, 8], width_m: 3}]
    exits: [{id: Q-X1, at: [42, 8], width_m: 2}]
"""

EVENT = """schema: boothopt.event/1
name: {name}
venue: venue.yaml
halls: [P, Q]
dates: {{start: 2026-10-01, end: 2026-10-03}}
{extra}
exhibitors: [exhibitors.csv]
"""

HEADER = "id,name_ko,name_en,kind,country,category,modules,tier,priority_points,applied_on,halls"


def rows(name_en: str = "") -> list[str]:
    """Six gold exhibitors who applied first, six standard ones; s1-s3 prefer hall Q."""
    out = []
    for i in range(1, 7):
        out.append(
            f"g{i},골드{i},{name_en or f'Gold {i}'},company,KR,,1,gold,{70 - i},2026-01-0{i},"
        )
    for i in range(1, 7):
        pref = "Q" if i <= 3 else ""
        out.append(f"s{i},표준{i},Standard {i},company,KR,,1,standard,{30 - i},2026-02-0{i},{pref}")
    return out


def write_event(folder: Path, extra: str = "", name: str = "Tiny Show", name_en: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "venue.yaml").write_text(VENUE, encoding="utf-8")
    (folder / "exhibitors.csv").write_text(
        "\n".join([HEADER, *rows(name_en)]) + "\n", encoding="utf-8"
    )
    path = folder / "event.yaml"
    path.write_text(EVENT.format(name=json.dumps(name), extra=extra), encoding="utf-8")
    return path


def layouts(folder: Path) -> list[str]:
    venue = folder / "venue.yaml"
    return ["--layout", f"one={venue}:P", "--layout", f"two={venue}:P,Q"]


def run_json(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["compare", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def one_seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The two layouts run once (greedy), with 1 and 10 million visitors."""
    folder = tmp_path_factory.mktemp("compare")
    event = write_event(folder / "event")
    args = [str(event), *layouts(folder / "event"), "--out", str(folder / "out")]
    return run_json([*args, "--method", "greedy", "--visitors", "1,10000000"])


def figure(data: dict[str, Any], layout: str, *path: str) -> Any:
    agg = next(a for a in data["comparison"]["sources"][0]["aggregate"] if a["layout"] == layout)
    value = lookup(agg["figures"], path)
    return value["mean"] if isinstance(value, dict) and "mean" in value else value


def test_figures_of_two_layouts_match_the_hand_count(one_seed: dict[str, Any]) -> None:
    """Areas, capacity, placed, area granted and walks are those worked out by hand."""
    d = one_seed
    # P alone: 16 x 16 m gross, 4 cells of 9 m², the 4 gold (first, best) placed, 8 left out.
    assert figure(d, "one", "area", "gross_m2") == 256
    assert figure(d, "one", "area", "usable_m2") == 36
    assert figure(d, "one", "area", "booth_capacity") == 4
    assert (figure(d, "one", "placed"), figure(d, "one", "unplaced")) == (4, 8)
    assert figure(d, "one", "granted_share") == pytest.approx(36 / 108, abs=1e-4)
    # Walks 6.8, 6.8, 19, 19: mean 12.9; the 95th percentile lies between the two 19s.
    assert figure(d, "one", "walk", "mean_m") == pytest.approx(12.9)
    assert figure(d, "one", "walk", "p95_m") == pytest.approx(19.0)
    assert figure(d, "one", "walk", "by_tier", "gold", "booths") == 4
    assert figure(d, "one", "walk", "by_tier", "gold", "mean_m") == pytest.approx(12.9)
    assert figure(d, "one", "walk", "by_tier", "standard", "booths") == 0
    assert figure(d, "one", "walk", "by_tier", "standard", "mean_m") is None
    assert figure(d, "one", "exit_walk_max_m") == pytest.approx(6.77)
    # P and Q: 256 + 352 m² gross, 4 + 8 cells, everyone placed.
    assert figure(d, "two", "area", "gross_m2") == 608
    assert figure(d, "two", "area", "usable_m2") == 108
    assert figure(d, "two", "area", "booth_capacity") == 12
    assert (figure(d, "two", "placed"), figure(d, "two", "unplaced")) == (12, 0)
    assert figure(d, "two", "granted_share") == 1.0
    assert figure(d, "two", "goals", "placed", "share") == 1.0
    # Walks: P's 6.8 x 2, 19 x 2 and Q's 6.8 x 2, 19 x 2, 22 x 2, 25 x 2 = 197.2 m over 12.
    assert figure(d, "two", "walk", "mean_m") == pytest.approx(197.2 / 12, abs=1e-3)
    assert figure(d, "two", "walk", "p95_m") == pytest.approx(25.0)
    gold = figure(d, "two", "walk", "by_tier", "gold", "mean_m")
    standard = figure(d, "two", "walk", "by_tier", "standard", "mean_m")
    assert 6 * gold + 6 * standard == pytest.approx(197.2, abs=1e-2)
    assert figure(d, "two", "exit_walk_max_m") == pytest.approx(19.0)
    for lay in ("one", "two"):
        assert figure(d, lay, "breaches", "total") == 0
        assert figure(d, lay, "halls") == {"one": "P", "two": "P+Q"}[lay]


def test_crowding_figures_follow_the_attendance(one_seed: dict[str, Any]) -> None:
    """Ten million visitors over three days: 10e6 / 3 x 0.15 x 1.5 = 750,000 on the floor at
    the peak, whatever the layout, and some aisle is at level F; one visitor crowds nothing."""
    for lay in ("one", "two"):
        assert figure(one_seed, lay, "crowding", "10000000", "peak_on_floor") == 750_000
        assert figure(one_seed, lay, "crowding", "10000000", "worst_level") == "F"
        assert figure(one_seed, lay, "crowding", "10000000", "share_d_or_worse") > 0
        assert figure(one_seed, lay, "crowding", "1", "worst_level") == "A"
        assert figure(one_seed, lay, "crowding", "1", "share_d_or_worse") == 0
    run = one_seed["comparison"]["runs"][0]
    spots = run["figures"]["crowding"]["10000000"]["hot_spots"]
    assert spots and all(s["hall"] == "P" and s["level"] == "F" for s in spots)


def test_json_output_and_files(one_seed: dict[str, Any], tmp_path: Path) -> None:
    """--json prints one object: what was written and the comparison, as the file holds it."""
    wrote = [Path(p) for p in one_seed["wrote"]]
    assert [p.name for p in wrote] == ["comparison.json", "comparison.html"]
    on_disk = json.loads(wrote[0].read_text(encoding="utf-8"))
    assert on_disk == one_seed["comparison"]
    assert on_disk["schema"] == "boothopt.comparison/1"
    assert [lay["name"] for lay in on_disk["layouts"]] == ["one", "two"]
    assert [(r["layout"], r["seed"]) for r in on_disk["runs"]] == [("one", 0), ("two", 0)]
    assert on_disk["limits"]["method"] == "greedy"
    # The preference for Q, which layout one lacks, is one warning.
    assert on_disk["warnings"] == [
        "3 exhibitors' preferred hall Q is not in layout one — dropped; map it with --hall-map Q=P"
    ]


def test_terminal_table_fits_100_columns(tmp_path: Path) -> None:
    """Without --json: the table, layouts side by side, at most 100 columns, and the warning."""
    event = write_event(tmp_path / "event")
    args = [str(event), *layouts(tmp_path / "event"), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, ["compare", *args, "--method", "best-spot"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    table = lines[: lines.index("")]
    assert max(len(line) for line in table) <= 100
    head = next(line for line in lines if line.split() == ["one", "two"])
    assert head.index("one") < head.index("two")
    placed = next(line for line in lines if line.startswith("exhibitors placed"))
    assert placed.split()[-2:] == ["4", "12"]
    usable = next(line for line in lines if line.startswith("usable area m²"))
    assert usable.split()[-2:] == ["36", "108"]
    assert "preferred hall Q is not in layout one" in result.stderr
    assert (tmp_path / "out" / "comparison.html").is_file()


def test_two_seeds_give_mean_and_spread(tmp_path: Path) -> None:
    """Two seeds, one process each: every run in the file, each figure as mean, min, max."""
    event = write_event(tmp_path / "event")
    args = [str(event), *layouts(tmp_path / "event"), "--out", str(tmp_path / "out")]
    data = run_json([*args, "--method", "greedy", "--seeds", "1-2", "--workers", "1"])
    comp = data["comparison"]
    assert comp["seeds"] == [1, 2]
    order = [(r["seed"], r["layout"]) for r in comp["runs"]]
    assert order == [(1, "one"), (1, "two"), (2, "one"), (2, "two")]
    for agg in comp["sources"][0]["aggregate"]:
        runs = [r["figures"] for r in comp["runs"] if r["layout"] == agg["layout"]]
        assert agg["seeds"] == [1, 2]
        placed = agg["figures"]["placed"]
        assert placed == {"mean": runs[0]["placed"], "min": runs[0]["placed"],
                          "max": runs[0]["placed"], "n": 2}  # fmt: skip
        # The solve's wall clock differs from run to run: its mean and spread are the runs'.
        wall = agg["figures"]["optimizer"]["wall_s"]
        seen = [r["optimizer"]["wall_s"] for r in runs]
        assert wall["min"] == min(seen) and wall["max"] == max(seen)
        assert wall["mean"] == pytest.approx(statistics.fmean(seen), abs=1e-6)


def test_aggregate_and_cell_text_by_hand() -> None:
    """Three seeds placing 10, 12 and 14: mean 12, spread 10-14, shown as 12 (10–14)."""
    got = aggregate(
        [
            {"placed": 10, "worst_level": "C", "share": 0.5, "spots": [1]},
            {"placed": 12, "worst_level": "E", "share": 0.25},
            {"placed": 14, "worst_level": "D", "share": None},
        ]
    )
    assert got["placed"] == {"mean": 12.0, "min": 10, "max": 14, "n": 3}
    assert got["worst_level"] == "E"  # the worst of the seeds
    assert got["share"] == {"mean": 0.375, "min": 0.25, "max": 0.5, "n": 2}
    assert "spots" not in got
    assert cell_text(got["placed"], "int") == "12 (10–14)"
    assert cell_text(got["share"], "pct") == "38% (25–50)"


def test_compactness_by_hand() -> None:
    """Two 3 m squares side by side fill their hull; an L of three leaves a triangle of
    4.5 m² out of 31.5 m²; squares in two halls are judged hall by hall."""

    def square(hall: str, x: float, y: float) -> Booth:
        ring = ((x, y), (x + 3, y), (x + 3, y + 3), (x, y + 3), (x, y))
        return Booth(
            booth_no=f"{hall}{x},{y}",
            hall=hall,
            exhibitor_id=f"{hall}{x},{y}",
            polygon=ring,
            area_m2=9,
            modules=1,
            size_m=(3, 3),
        )

    assert compactness([square("P", 0, 0), square("P", 3, 0)]) == 1.0
    assert compactness([square("P", 0, 0), square("P", 3, 0), square("P", 0, 3)]) == (
        pytest.approx(27 / 31.5, abs=1e-4)
    )
    # Two squares 3 m apart in one hall: 18 m² in a 9 m x 3 m hull; in two halls: solid.
    assert compactness([square("P", 0, 0), square("P", 6, 0)]) == pytest.approx(18 / 27, abs=1e-4)
    assert compactness([square("P", 0, 0), square("Q", 6, 0)]) == 1.0
    assert compactness([]) is None


ZONES = """zones:
  - {id: mobility, name_en: Mobility Zone, members: {categories: [mobility]}, hall: Q}
  - {id: smart-city-seoul, name_en: Smart City Seoul Zone, members: {kinds: [city]}, hall: Q}
reserved:
  - {id: stage, kind: stage, size_m: [6, 3], hall: Q}
"""


def test_missing_halls_are_dropped_or_moved_with_one_warning_per_kind(tmp_path: Path) -> None:
    """Layout one lacks Q: the 3 preferences for Q are dropped, both zones lose their hall,
    the stage moves to P; one warning for each of the three kinds."""
    base = load_event(write_event(tmp_path, ZONES))
    one = parse_layout(f"one={tmp_path / 'venue.yaml'}:P")
    event, notices = layout_event(base, one)
    assert event.halls == ("P",)
    assert all(e.halls == () for e in event.exhibitors)
    assert [z.hall for z in event.zones] == [None, None]
    assert [r.hall for r in event.reserved] == ["P"]
    lines = notice_lines([("tiny", "one", n) for n in notices])
    assert len(lines) == 3
    assert lines[0] == (
        "3 exhibitors' preferred hall Q is not in layout one — dropped; map it with --hall-map Q=P"
    )
    assert lines[1].startswith("the hall of zones mobility (hall Q) and smart-city-seoul (hall Q)")
    assert "--hall-map Q=P" in lines[1]
    assert lines[2].startswith("the hall of reserved area stage (hall Q) is not in layout one")
    assert "moved to hall P" in lines[2]


def test_hall_map_sends_everything_to_the_mapped_hall(tmp_path: Path) -> None:
    """--hall-map Q=P: preferences, zones and the stage go to P, and nothing is said."""
    base = load_event(write_event(tmp_path, ZONES))
    one = parse_layout(f"one={tmp_path / 'venue.yaml'}:P")
    event, notices = layout_event(base, one, parse_hall_map(["Q=P"]))
    assert notices == []
    assert [e.halls for e in event.exhibitors if e.id in ("s1", "s2", "s3")] == [("P",)] * 3
    assert [z.hall for z in event.zones] == ["P", "P"]
    assert [r.hall for r in event.reserved] == ["P"]


def test_counts_of_several_seeds_make_one_warning_with_a_range() -> None:
    """The same kind seen in two seeds' runs of one layout is one warning, counts as a range."""
    seen = [
        ("year3", "coex-AC", Notice("preferred", (("B2", 12), ("D", 1)), "A")),
        ("year3", "coex-AC", Notice("preferred", (("B2", 9),), "A")),
        ("year3", "coex-all", Notice("preferred", (("B", 4),), "A")),
    ]
    assert notice_lines(seen) == [
        "9–12 exhibitors' preferred hall B2 and 1 exhibitor's preferred hall D are not in "
        "layout coex-AC — dropped; map them with --hall-map B2=A,D=A",
        "4 exhibitors' preferred hall B is not in layout coex-all — dropped; map it with "
        "--hall-map B=A",
    ]


def test_the_2024_show_on_coex_halls(tmp_path: Path) -> None:
    """The 2024 event (B2 + C) on A + C: only the preferences for B2 are dropped, in one
    warning counting them; on B + C the preference for B2 becomes the joined hall B."""
    base = load_event(EXAMPLE)
    for_b2 = sum("B2" in e.halls for e in base.exhibitors)
    assert for_b2 > 1
    event, notices = layout_event(base, parse_layout("coex-AC=coex:A,C"))
    assert [n.kind for n in notices] == ["preferred"]
    assert notice_lines([("2024", "coex-AC", n) for n in notices]) == [
        f"{for_b2} exhibitors' preferred hall B2 is not in layout coex-AC — dropped; map it "
        "with --hall-map B2=A"
    ]
    assert all("B2" not in e.halls for e in event.exhibitors)
    assert [z.hall for z in event.zones] == [z.hall for z in base.zones]
    event, notices = layout_event(base, parse_layout("coex-BC=coex:B,C"))
    assert [(n.kind, n.items) for n in notices] == [("auto", (("B2→B", for_b2),))]
    assert sum("B" in e.halls for e in event.exhibitors) == for_b2


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("coex", "--layout 'coex': write NAME=SPEC"),
        ("=coex:A", "is not a short name"),
        ("x y=coex:A", "is not a short name"),
        ("x=", "--layout x: no venue"),
        (
            "x=nowhere:A",
            "'nowhere' is neither a built-in venue (coex, jamsil-mice) nor a venue file",
        ),
        ("x=coex:A,Z", "--layout x: coex has no hall 'Z' — use one of A, B1, B2, C, D1, D2, B, D"),
        ("x=coex:A,,C", "an empty hall"),
        ("x=coex:A,A", "hall A is named twice"),
        ("x=coex:B,B1", "halls B and B1 share floor"),
        ("x=coex:A@", "nothing after @"),
        ("x=coex:A@wide=5", "unknown aisle option 'wide' — use aisles, side, cross"),
        ("x=coex:A@side", "'side' after @ is not OPTION=VALUE"),
        ("x=coex:A@aisles=abc", "--layout x: @aisles=abc: "),
        ("x=coex:A@aisles=500", "--layout x: @aisles=500: "),
        ("x=coex:A@depth=2.5", "--layout x: @depth=2.5: "),
        ("x=coex:A@orientation=z", "--layout x: @orientation=z: "),
        ("x=coex:A@aisles=4,side=5", "give each aisle once"),
    ],
)
def test_layout_spec_errors_say_one_thing(spec: str, says: str) -> None:
    """Each faulty layout is refused with one line saying what is wrong."""
    with pytest.raises(InputError) as caught:
        parse_layout(spec)
    message = str(caught.value)
    assert says in message
    assert "\n" not in message


def test_layout_options_and_a_venue_file(tmp_path: Path) -> None:
    """A venue file with its halls and aisle options; without halls, every (unjoined) hall."""
    write_event(tmp_path)
    lay = parse_layout(f"mine={tmp_path / 'venue.yaml'}:Q@aisles=5.5,main=8,depth=3")
    assert (lay.venue.id, lay.halls) == ("twohall", ("Q",))
    assert dict(lay.aisles) == {
        "side_aisle_m": 5.5,
        "cross_aisle_m": 5.5,
        "main_aisle_m": 8.0,
        "block_depth_modules": 3,
    }
    assert parse_layout("coex-all=coex").halls == ("A", "B1", "B2", "C", "D1", "D2")


def test_option_errors(tmp_path: Path) -> None:
    """Seeds, visitors, hall maps and sources: one message each."""
    for bad, says in [
        ("5-1", "runs backwards"),
        ("x", "is not a seed or a range"),
        ("0-500", "more than 100 seeds"),
    ]:
        with pytest.raises(InputError, match=says):
            parse_seeds(bad)
    with pytest.raises(InputError, match="is not a number of visitors"):
        parse_visitors("20,000")
    with pytest.raises(InputError, match="write FROM=TO"):
        parse_hall_map(["B2"])
    with pytest.raises(InputError, match="mapped twice"):
        parse_hall_map(["B2=A", "B2=C"])
    with pytest.raises(InputError, match="neither an event file nor a scenario"):
        resolve_sources("year9", [])
    assert [s.name for s in resolve_sources(None, ["year1,year3"])] == ["smartlife-2024", "year3"]


def test_cli_refuses_a_bad_layout_in_json(tmp_path: Path) -> None:
    """A bad --layout is answered before any run, as one JSON error with exit code 2."""
    event = write_event(tmp_path / "event")
    result = CliRunner().invoke(
        main,
        ["compare", str(event), "--layout", "one=coex:Z", "--out", str(tmp_path / "o"), "--json"],
    )
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "input" and len(error["messages"]) == 1
    assert "coex has no hall 'Z'" in error["messages"][0]
    assert not (tmp_path / "o").exists()


def test_hall_map_to_a_hall_no_layout_has(tmp_path: Path) -> None:
    """--hall-map to a hall of no layout is refused, naming the halls there are."""
    event = write_event(tmp_path / "event")
    args = [str(event), *layouts(tmp_path / "event"), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(main, ["compare", *args, "--hall-map", "Q=Z", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["messages"] == [
        "--hall-map Q=Z: no layout has a hall Z — map to one of P, Q"
    ]


def test_smart_city_seoul_zone_comes_first() -> None:
    """The zone order of the figures puts the Smart City Seoul Zone first."""
    from boothopt.planning.compare import _zone_order

    zones = [Zone("mobility", "", "Mobility"), Zone("scs", "", "Smart City Seoul Zone")]
    assert [z.id for z in _zone_order(zones)] == ["scs", "mobility"]
