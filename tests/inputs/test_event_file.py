"""Event intake: each reader, Korean headers, and one bad file per fault with its message."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from boothopt.inputs.domain import BoothType, Kind
from boothopt.inputs.event_file import IntakeError, event_to_dict, load_event

EVENT = """schema: boothopt.event/1
name: Test Week
name_ko: 테스트 위크
venue: coex
halls: [B2, C]
zones:
  - id: smart-city-seoul
    name_ko: 스마트도시 서울존
    name_en: Smart City Seoul Zone
    members: {{kinds: [city]}}
    hall: C
  - id: startup
    members: {{categories: [startup]}}
reserved:
  - {{id: awards-stage, kind: stage, size_m: [18, 12], hall: C}}
exhibitors: [{table}]
"""

HEADER = "id,name_ko,name_en,kind,country,category,modules,area_m2,shape,tier,applied_on,near,avoid"
GOOD_ROWS = [
    "seoul,서울특별시,Seoul City,city,KR,smart-city,4,,2x2,gold,2024-07-01,acme,",
    'acme,에이크미,"Café Ω & Sons 🚀",company,KR,startup,,20,,standard,2024-07-02,seoul,beta:12',
    "beta,베타,Beta,company,JP,mobility,2,,,silver,2024-07-03,,acme",
]


def write_event(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    """Write an event file and its CSV table; return the event file's path."""
    (tmp_path / "ex.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    event = tmp_path / "event.yaml"
    event.write_text(EVENT.format(table="ex.csv"), encoding="utf-8")
    return event


def problems_of(path: Path) -> list[str]:
    """Load an event that must fail and return its problems."""
    with pytest.raises(IntakeError) as info:
        load_event(path)
    return info.value.problems


def only_problem(path: Path) -> str:
    """Return the single problem of an event with one fault."""
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


def test_csv_event_is_read_and_normalized(tmp_path: Path) -> None:
    """A good CSV gives exhibitors with kinds, sizes, tiers, dates, zones, partners and rivals."""
    event = load_event(write_event(tmp_path, GOOD_ROWS))
    by_id = {e.id: e for e in event.exhibitors}
    assert list(by_id) == ["seoul", "acme", "beta"]
    seoul, acme, beta = by_id["seoul"], by_id["acme"], by_id["beta"]
    assert seoul.kind is Kind.CITY and seoul.modules == 4 and seoul.shape == (2, 2)
    assert seoul.zone == "smart-city-seoul"  # by the zone's rule: kind = city
    assert acme.zone == "startup"  # by category
    assert beta.zone is None
    assert acme.modules == 3  # 20 m² rounded up to whole 9 m² modules
    assert any("acme" in w and "rounded up" in w for w in event.warnings)
    assert acme.avoid == (("beta", 12.0),)
    assert beta.avoid == (("acme", 9.0),)  # the event's default distance
    assert seoul.applied_on == dt.date(2024, 7, 1)
    assert (seoul.tier, acme.tier, beta.tier) == ("gold", "standard", "silver")
    assert event.halls == ("B2", "C")
    assert event.reserved[0].size_m == (18.0, 12.0)


def test_names_are_kept_exactly(tmp_path: Path) -> None:
    """Korean, accents, ampersands and emoji come through unchanged."""
    event = load_event(write_event(tmp_path, GOOD_ROWS))
    acme = next(e for e in event.exhibitors if e.id == "acme")
    assert acme.name_en == "Café Ω & Sons 🚀"
    assert acme.name_ko == "에이크미"


def test_korean_headers_and_values(tmp_path: Path) -> None:
    """Korean headers and Korean values (도시, 골드, 독립, 2024. 7. 1.) mean what they say."""
    header = "참가번호,업체명,영문명,구분,국가,분야,부스수,등급,부스유형,신청일,회전가능"
    rows = [
        "seoul,서울특별시,Seoul,도시,KR,smart-city,4,골드,독립,2024. 7. 1.,예",
        "daegu,대구광역시,Daegu,지자체,KR,smart-city,2,일반,코너,2024년 7월 2일,아니오",
    ]
    event = load_event(write_event(tmp_path, rows, header))
    seoul, daegu = event.exhibitors
    assert seoul.kind is Kind.CITY and daegu.kind is Kind.CITY
    assert seoul.tier == "gold" and daegu.tier == "standard"
    assert seoul.booth_type is BoothType.ISLAND and daegu.booth_type is BoothType.CORNER
    assert seoul.applied_on == dt.date(2024, 7, 1) and daegu.applied_on == dt.date(2024, 7, 2)
    assert seoul.rotatable and not daegu.rotatable


def test_booth_type_with_a_plus_asks_for_that_type_or_better(tmp_path: Path) -> None:
    """`corner+` and `코너+` ask for a corner or more; `corner` is exact; `island+` is `island`."""
    rows = [
        f"{ident},{ident},{ident.upper()},company,KR,,2,,,,,,,{cell}"
        for ident, cell in [("a", "corner+"), ("b", "코너+"), ("c", "Corner"), ("d", "독립 +")]
    ]
    event = load_event(write_event(tmp_path, rows, HEADER + ",booth_type"))
    got = {e.id: (e.booth_type, e.booth_type_or_better) for e in event.exhibitors}
    assert got == {
        "a": (BoothType.CORNER, True),
        "b": (BoothType.CORNER, True),
        "c": (BoothType.CORNER, False),
        "d": (BoothType.ISLAND, False),  # nothing has more open sides than an island
    }
    written = {e["id"]: e for e in event_to_dict(event)["exhibitors"]}
    assert (written["a"]["booth_type"], written["a"]["booth_type_or_better"]) == ("corner", True)
    assert written["c"]["booth_type_or_better"] is False


@pytest.mark.parametrize("cell", ["+", "corner++", "corners+"])
def test_a_booth_type_plus_needs_a_known_type(tmp_path: Path, cell: str) -> None:
    """A plus with no known type before it is a fault that names the + form to write."""
    path = write_event(tmp_path, [f"x,엑스,X,company,KR,,2,,,,,,,{cell}"], HEADER + ",booth_type")
    problem = only_problem(path)
    assert "ex.csv:2:booth_type" in problem and "corner+" in problem and " — " in problem


def test_cp949_csv_from_korean_excel(tmp_path: Path) -> None:
    """A CSV saved by Korean Excel in CP949 is read with its Korean intact."""
    path = write_event(tmp_path, GOOD_ROWS[:1])
    (tmp_path / "ex.csv").write_bytes(
        ("\n".join([HEADER, GOOD_ROWS[0].replace(",acme,", ",,")]) + "\n").encode("cp949")
    )
    assert load_event(path).exhibitors[0].name_ko == "서울특별시"


def test_xlsx_table(tmp_path: Path) -> None:
    """An XLSX sheet with bilingual headers, numbers and date cells is read."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "참가번호 (id)",
            "업체명 (name_ko)",
            "구분 (kind)",
            "부스수 (modules)",
            "신청일 (applied_on)",
        ]
    )
    sheet.append(["seoul", "서울특별시", "city", 4, dt.datetime(2024, 7, 1)])
    sheet.append([None, None, None, None, None])  # blank rows are skipped
    sheet.append(["busan", "부산광역시", "city", 2.0, "2024-07-05"])
    book.save(tmp_path / "ex.xlsx")
    event_path = tmp_path / "event.yaml"
    event_path.write_text(EVENT.format(table="ex.xlsx"), encoding="utf-8")
    event = load_event(event_path)
    assert [(e.id, e.modules, e.applied_on) for e in event.exhibitors] == [
        ("seoul", 4, dt.date(2024, 7, 1)),
        ("busan", 2, dt.date(2024, 7, 5)),
    ]


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_yaml_and_json_tables(tmp_path: Path, suffix: str) -> None:
    """YAML and JSON lists of exhibitors are read, with lists for partners and competitors."""
    records = [
        {"id": "seoul", "name_ko": "서울", "kind": "city", "modules": 2, "near": ["acme"]},
        {
            "id": "acme",
            "name_en": "Acme",
            "kind": "company",
            "modules": 1,
            "avoid": [{"id": "seoul", "distance_m": 6}],
            "applied_on": "2024-07-01",
        },
    ]
    table = tmp_path / f"ex.{suffix}"
    table.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    event_path = tmp_path / "event.yaml"
    event_path.write_text(EVENT.format(table=table.name), encoding="utf-8")
    seoul, acme = load_event(event_path).exhibitors
    assert seoul.near == ("acme",) and acme.avoid == (("seoul", 6.0),)


@pytest.mark.parametrize(
    ("rows", "header", "expected"),
    [
        (GOOD_ROWS, HEADER + ",colour", ["ex.csv:1:colour", "unknown column", "rename"]),
        ([",서울,Seoul,city,KR,,2,,,,,,"], HEADER, ["ex.csv:2:id", "missing id"]),
        (
            ["x,엑스,X,company,KR,,2,,,,,,", "x,엑스,X,company,KR,,2,,,,,,"],
            HEADER,
            ["ex.csv:3:id", "duplicate id 'x'", "ex.csv:2"],
        ),
        (["x,엑스,X,company,KR,,0,,,,,,"], HEADER, ["ex.csv:2:modules", "1 or more"]),
        (["x,엑스,X,company,KR,,-2,,,,,,"], HEADER, ["ex.csv:2:modules", "1 or more"]),
        (["x,엑스,X,company,KR,,900,,,,,,"], HEADER, ["ex.csv:2:modules", "larger than any"]),
        (["x,엑스,X,company,KR,,,0,,,,,"], HEADER, ["ex.csv:2:area_m2", "positive"]),
        (["x,엑스,X,company,KR,,6,,4x2,,,,"], HEADER, ["ex.csv:2:shape", "make them agree"]),
        (["x,엑스,X,company,KR,,6,,big,,,,"], HEADER, ["ex.csv:2:shape", "not WxD"]),
        (["x,엑스,X,company,KR,,2,,,,2024-02-30,,"], HEADER, ["ex.csv:2:applied_on", "not a date"]),
        (["x,엑스,X,robot,KR,,2,,,,,,"], HEADER, ["ex.csv:2:kind", "'robot' is unknown"]),
        (["x,엑스,X,company,KR,,2,,,diamond,,,"], HEADER, ["ex.csv:2:tier", "'diamond'"]),
        (["x,엑스,X,company,KR,,2,,,,,ghost,"], HEADER, ["ex.csv:2:near", "'ghost'"]),
        (["x,엑스,X,company,KR,,2,,,,,,ghost:9"], HEADER, ["ex.csv:2:avoid", "'ghost'"]),
        (["x,엑스,X,company,KR,,2,,,,,,x:9"], HEADER, ["ex.csv:2:avoid", "itself"]),
        (["x,엑스,X,company,KR,,2,,,,,x,"], HEADER, ["ex.csv:2:near", "itself"]),
        (["x,,,company,KR,,2,,,,,,"], HEADER, ["ex.csv:2:name_ko", "no name"]),
        (["x,엑스,X,company,KR,,,,,,,,"], HEADER, ["ex.csv:2:modules", "no size"]),
        (
            ["엑스,X,company,KR,,2,,,,,,"],
            HEADER.removeprefix("id,"),
            ["ex.csv:1", "no id column"],
        ),
    ],
    ids=[
        "unknown-header",
        "missing-id",
        "duplicate-id",
        "zero-size",
        "negative-size",
        "size-over-any-hall",
        "zero-area",
        "shape-vs-size",
        "shape-syntax",
        "bad-date",
        "unknown-kind",
        "unknown-tier",
        "unknown-partner",
        "unknown-competitor",
        "own-competitor",
        "own-partner",
        "no-name",
        "no-size",
        "no-id-column",
    ],
)
def test_each_fault_is_one_message_at_its_cell(
    tmp_path: Path, rows: list[str], header: str, expected: list[str]
) -> None:
    """A table with one fault gets one message naming file, row and column, and what to do."""
    problem = only_problem(write_event(tmp_path, rows, header))
    for part in expected:
        assert part in problem
    assert " — " in problem  # what is wrong — what to do


def test_unknown_zone_and_hall_in_a_row(tmp_path: Path) -> None:
    """A zone not declared and a hall not rented are each reported at their cell."""
    header = HEADER + ",zone,halls"
    problems = problems_of(
        write_event(tmp_path, ["x,엑스,X,company,KR,,2,,,,,,,nowhere,A"], header)
    )
    assert len(problems) == 2
    assert "ex.csv:2:zone" in problems[0] and "'nowhere'" in problems[0]
    assert "ex.csv:2:halls" in problems[1] and "not rented" in problems[1]


def test_every_fault_is_reported_at_once(tmp_path: Path) -> None:
    """Faults in several rows come back together, in row order."""
    rows = [
        "a,에이,A,robot,KR,,2,,,,,,",
        "b,비,B,company,KR,,0,,,,,,",
        "c,씨,C,company,KR,,2,,,,bad,,",
    ]
    problems = problems_of(write_event(tmp_path, rows))
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4"]


def test_a_reference_to_a_faulty_row_is_not_reported_twice(tmp_path: Path) -> None:
    """A partner whose own row is faulty is not also reported as an unknown id."""
    rows = ["a,에이,A,robot,KR,,2,,,,,b,", "b,비,B,company,KR,,2,,,,,a,"]
    problems = problems_of(write_event(tmp_path, rows))
    assert len(problems) == 1 and "robot" in problems[0]


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("halls: [B2, C]", "halls: [B2, Z]", "no hall 'Z'"),
        ("halls: [B2, C]", "halls: [B, B2]", "share floor"),
        ("    hall: C\n", "    hall: A\n", "hall 'A' is not rented"),
        ("venue: coex", "venue: atlantis", "no built-in venue"),
        ("name: Test Week", "nme: Test Week", "nme: unknown field"),
    ],
)
def test_event_file_faults(tmp_path: Path, replace: str, by: str, expected: str) -> None:
    """Faults in the event file itself name the field and what to do."""
    path = write_event(tmp_path, GOOD_ROWS)
    path.write_text(path.read_text(encoding="utf-8").replace(replace, by), encoding="utf-8")
    with pytest.raises(Exception) as info:
        load_event(path)
    assert expected in str(info.value)


@pytest.mark.parametrize(
    ("reach", "expected"),
    [("-1", "greater than or equal to 0"), (".nan", "finite number"), (".inf", "finite number")],
)
def test_power_reach_must_be_a_finite_distance(tmp_path: Path, reach: str, expected: str) -> None:
    """A negative, NaN or infinite power_reach_m is refused, naming the field and the file."""
    path = write_event(tmp_path, GOOD_ROWS)
    text = path.read_text(encoding="utf-8") + f"power_reach_m: {reach}\n"
    path.write_text(text, encoding="utf-8")
    problem = only_problem(path)
    assert problem.startswith(f"{path}: power_reach_m: ") and expected in problem


def test_event_to_dict_has_what_the_solver_sees(tmp_path: Path) -> None:
    """The normalized event lists exhibitors with modules, zone, tier, avoid and near."""
    data = event_to_dict(load_event(write_event(tmp_path, GOOD_ROWS)))
    acme = next(e for e in data["exhibitors"] if e["id"] == "acme")
    assert {k: acme[k] for k in ("kind", "modules", "zone", "tier", "avoid", "near")} == {
        "kind": "company",
        "modules": 3,
        "zone": "startup",
        "tier": "standard",
        "avoid": [["beta", 12.0]],
        "near": ["seoul"],
    }
    assert [z["id"] for z in data["zones"]] == ["smart-city-seoul", "startup"]
    assert data["zones"][0]["contiguous"] is True
    assert [h["id"] for h in data["halls"]] == ["B2", "C"]
    json.dumps(data)  # JSON-ready


def test_filled_in_template_validates(tmp_path: Path) -> None:
    """The application template, filled in, reads back; its untouched example row is flagged."""
    from openpyxl import load_workbook

    from boothopt.inputs.template import write_template

    sheet_path = write_template(tmp_path / "applications.xlsx")
    book = load_workbook(sheet_path)
    sheet = book["exhibitors"]
    headers = [c.value for c in sheet[1]]
    row = {"id": "busan", "name_ko": "부산광역시", "kind": "도시", "modules": 3, "tier": "silver"}
    sheet.append(
        [next((v for k, v in row.items() if str(h).endswith(f"({k})")), None) for h in headers]
    )
    book.save(sheet_path)
    event_path = tmp_path / "event.yaml"
    event_path.write_text(EVENT.format(table="applications.xlsx"), encoding="utf-8")
    event = load_event(event_path)
    assert [e.id for e in event.exhibitors] == ["city-seoul", "busan"]
    busan = event.exhibitors[1]
    assert (busan.kind, busan.modules, busan.tier, busan.zone) == (
        Kind.CITY,
        3,
        "silver",
        "smart-city-seoul",
    )
    assert any("applications.xlsx:2" in w and "example row" in w for w in event.warnings)


def test_show_dates_are_read_and_checked(tmp_path: Path) -> None:
    """`dates: {start, end}` gives the show's days; an end before the start, or a date that is
    not one, is refused naming the field and what to do; without dates, the event has none."""
    path = write_event(tmp_path, GOOD_ROWS)
    assert load_event(path).dates is None
    base = path.read_text(encoding="utf-8")
    path.write_text(base + "dates: {start: 2026-10-01, end: 2026-10-03}\n", encoding="utf-8")
    assert load_event(path).dates == (dt.date(2026, 10, 1), dt.date(2026, 10, 3))

    path.write_text(base + "dates: {start: 2026-10-03, end: 2026-10-01}\n", encoding="utf-8")
    problem = only_problem(path)
    assert problem.startswith(f"{path}: dates: ") and "swap the dates" in problem
    path.write_text(base + "dates: {start: 2026-13-01, end: 2026-10-01}\n", encoding="utf-8")
    problem = only_problem(path)
    assert problem.startswith(f"{path}: dates.start: ")
