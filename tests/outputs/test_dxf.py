"""The allocated plan as a DXF drawing: booths where the assignment puts them, names inert.

The drawing is read back with ezdxf, as a CAD program would read it.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import ezdxf
import pytest
import shapely
from ezdxf.document import Drawing
from ezdxf.tools.text import plain_text
from shapely.geometry import Point, Polygon

from boothopt.contract import Assignment, assignment_json
from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import build_assignment
from boothopt.outputs.dxf import (
    APP_ID,
    PLAN_LAYERS,
    STYLE,
    dxf_text,
    level_offsets,
    render_dxf,
)
from boothopt.outputs.fonts import PACKAGED_REGULAR, FontFile, charset
from boothopt.solver.problem import build_problem
from boothopt.solver.solve import solve
from tests.outputs.assignments import content

HOSTILE = "Evil\x07 Co\\P{\\fArial;x}\x0b %%u^J \\U+0041\u202e end"
EXHIBITORS = [
    ("seoul", "서울특별시", "Seoul", "city", 8),
    ("busan", "부산광역시", "Busan", "city", 4),
    ("robot", "로보틱스 주식회사", "Robotics Inc.", "company", 4),
    ("evil", f"악성{HOSTILE}", HOSTILE, "company", 2),
    ("kiosk", "키오스크랩", "Kiosk Lab", "company", 2),
    ("mobil", "모빌리티코리아", "Mobility Korea", "company", 6),
]


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    """A tiny event on two COEX levels (B2 on 1F, C on 3F), a zone and a stage, allocated."""
    folder = tmp_path_factory.mktemp("tiny")
    rows = ["id,name_ko,name_en,kind,modules"]
    for ident, ko, en, kind, modules in EXHIBITORS:
        cells = ['"' + v.replace('"', '""') + '"' for v in (ko, en)]
        rows.append(f"{ident},{cells[0]},{cells[1]},{kind},{modules}")
    (folder / "ex.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "event.yaml").write_text(
        "schema: boothopt.event/1\nname: Tiny Expo\nname_ko: 작은 박람회\nvenue: coex\n"
        "halls: [B2, C]\nexhibitors: [ex.csv]\n"
        "zones:\n- {id: cities, name_ko: 도시관, name_en: Cities, members: {kinds: [city]},"
        " hall: C}\n"
        "reserved:\n- {id: stage, kind: stage, name_ko: 무대, name_en: Stage, size_m: [9, 6],"
        " hall: C}\n",
        encoding="utf-8",
    )
    event = load_event(folder / "event.yaml")
    problem = build_problem(event)
    return build_assignment(event, problem, solve(problem, method="greedy", time_limit=5))


@pytest.fixture(scope="module")
def drawing(doc: Assignment) -> Drawing:
    """The plan's DXF, read back."""
    data = render_dxf(doc)["floorplan.dxf"]
    return ezdxf.read(io.StringIO(data.decode("utf-8")))


def on_layer(drawing: Drawing, layer: str, kind: str) -> list[Any]:
    return [e for e in drawing.modelspace() if e.dxf.layer == layer and e.dxftype() == kind]


def ring_of(polyline: Any) -> list[tuple[float, float]]:
    return [(x, y) for x, y in polyline.get_points("xy")]


def test_the_doc_spans_two_levels_with_every_kind_of_thing(doc: Assignment) -> None:
    """The fixture exercises every layer: two levels, booths, a zone, a stage, blocked areas."""
    assert {h.level for h in doc.halls} == {"1F", "3F"}
    assert len(doc.booths) == len(EXHIBITORS)
    assert doc.zones[0].area and doc.reserved and doc.blocked and doc.entrances


def test_booths_are_where_the_assignment_puts_them(doc: Assignment, drawing: Drawing) -> None:
    """Each booth's outline, found by the booth number it carries, is its polygon, moved by
    its level's offset, within 1e-6 m; metres are the drawing's units."""
    assert drawing.units == 6 and drawing.header["$INSUNITS"] == 6
    offsets = level_offsets(doc)
    level = {h.id: h.level for h in doc.halls}
    drawn = {}
    for line in on_layer(drawing, "BOOTH", "LWPOLYLINE"):
        assert line.closed
        number, exhibitor = (value for _, value in line.get_xdata(APP_ID))
        drawn[number] = (exhibitor, ring_of(line))
    assert set(drawn) == {b.booth_no for b in doc.booths}
    for b in doc.booths:
        dx, dy = offsets[level[b.hall]]
        exhibitor, ring = drawn[b.booth_no]
        assert exhibitor == b.exhibitor_id
        want = [(x + dx, y + dy) for x, y in b.polygon[:-1]]
        assert len(ring) == len(want)
        assert all(
            abs(p[0] - q[0]) <= 1e-6 and abs(p[1] - q[1]) <= 1e-6
            for p, q in zip(ring, want, strict=True)
        )
        assert Polygon(ring).symmetric_difference(Polygon(want)).area < 1e-9


def test_numbers_and_names_stand_inside_their_booths_on_their_layers(
    doc: Assignment, drawing: Drawing
) -> None:
    """Booth numbers, Korean and English names are texts on their own layers, each inside its
    booth and narrower than it (estimated), the Korean names as written."""
    booths = {
        b["booth_no"]: Polygon(ring_of(line))
        for line in on_layer(drawing, "BOOTH", "LWPOLYLINE")
        for b in [{"booth_no": next(iter(line.get_xdata(APP_ID))).value}]
    }
    numbers = {t.dxf.text: t for t in on_layer(drawing, "BOOTH-NO", "TEXT")}
    assert set(numbers) == set(booths)
    for number, text in numbers.items():
        assert booths[number].contains(Point(text.dxf.align_point.x, text.dxf.align_point.y))
    korean = {t.dxf.text for t in on_layer(drawing, "NAME-KO", "TEXT")}
    english = {t.dxf.text for t in on_layer(drawing, "NAME-EN", "TEXT")}
    for _, ko, en, _, _ in EXHIBITORS[:3]:
        assert ko in korean and en in english
    assert "로보틱스 주식회사" in korean
    for text in on_layer(drawing, "NAME-KO", "TEXT"):
        where = Point(text.dxf.align_point.x, text.dxf.align_point.y)
        assert any(box.contains(where) for box in booths.values())


def test_every_layer_is_there_and_levels_lie_side_by_side(
    doc: Assignment, drawing: Drawing
) -> None:
    """The plan's layers exist and hold something; halls of different levels do not overlap."""
    names = {layer.dxf.name for layer in drawing.layers}
    assert set(PLAN_LAYERS) <= names
    used = {e.dxf.layer for e in drawing.modelspace()}
    assert set(PLAN_LAYERS) <= used
    halls = [Polygon(ring_of(line)) for line in on_layer(drawing, "HALL", "LWPOLYLINE")]
    assert len(halls) == 2
    assert not halls[0].intersects(halls[1])
    offsets = level_offsets(doc)
    assert offsets["1F"] == (0.0, 0.0) and offsets["3F"][0] > 0
    for h in doc.halls:
        dx, dy = offsets[h.level]
        want = shapely.affinity.translate(Polygon(h.polygon), dx, dy)
        assert any(want.symmetric_difference(p).area < 1e-6 for p in halls)
    zone = on_layer(drawing, "ZONE", "LWPOLYLINE")
    assert len(zone) == len(doc.zones[0].area)
    assert [v.value for v in zone[0].get_xdata(APP_ID)] == ["cities", "도시관", "Cities"]
    texts = {t.dxf.text for t in on_layer(drawing, "RESERVED", "TEXT")}
    assert {"무대", "Stage"} <= texts


def test_texts_use_a_style_whose_font_holds_hangul(drawing: Drawing) -> None:
    """Every text is in the BOOTHOPT style, which names the NanumGothic TTF boothopt ships."""
    style = drawing.styles.get(STYLE)
    assert style.dxf.font == PACKAGED_REGULAR.name == "NanumGothic.ttf"
    assert style.get_extended_font_data()[0] == "NanumGothic"
    assert all(ord(ch) in charset(FontFile(PACKAGED_REGULAR)) for ch in "서울특별시무대")
    texts = [e for e in drawing.modelspace() if e.dxftype() == "TEXT"]
    assert texts and all(t.dxf.style == STYLE for t in texts)
    assert not [e for e in drawing.modelspace() if e.dxftype() == "MTEXT"]


def test_hostile_names_are_neutralised(doc: Assignment, drawing: Drawing) -> None:
    """A name with control characters, MTEXT codes, %% and caret codes and a direction override
    is one line of plain text: no control character, no backslash a reader would run, and it
    shows as written (control characters as spaces)."""
    evil = next(b for b in doc.booths if b.exhibitor_id == "evil")
    (english,) = [
        t.dxf.text for t in on_layer(drawing, "NAME-EN", "TEXT") if t.dxf.text.startswith("Evil")
    ]
    (korean,) = [
        t.dxf.text for t in on_layer(drawing, "NAME-KO", "TEXT") if t.dxf.text.startswith("악성")
    ]
    for text in (english, korean):
        assert not [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf")]
        assert "\\" not in text and "%%u" not in text.replace("%%%", "")
    # What a CAD program shows: the name itself, control characters as spaces.
    shown = " ".join(
        "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in evil.name_en)
        .replace("\\", "＼")
        .split()
    )
    assert plain_text(english) == shown
    assert "{＼fArial;x}" in shown and "%%u^J" in shown


def test_the_same_assignment_gives_the_same_bytes(doc: Assignment, tmp_path: Path) -> None:
    """No date, random id or string hashing makes two drawings of one plan differ: drawn in
    processes with different hash seeds (which order ezdxf's set of entity types), the bytes
    are the same."""
    assert render_dxf(doc) == render_dxf(doc)
    path = tmp_path / "assignment.json"
    path.write_text(assignment_json(doc), encoding="utf-8")
    script = (
        "import sys; from boothopt.contract import read_assignment; "
        "from boothopt.outputs.dxf import render_dxf; "
        "sys.stdout.buffer.write(render_dxf(read_assignment(sys.argv[1]))['floorplan.dxf'])"
    )
    drawn = {
        subprocess.run(
            [sys.executable, "-c", script, str(path)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            check=True,
        ).stdout
        for seed in range(1, 9)
    }
    assert len(drawn) == 1 and drawn == {render_dxf(doc)["floorplan.dxf"]}


def test_dxf_text_keeps_text_on_one_line_and_cuts_long_names() -> None:
    """Line breaks become spaces; a name longer than the limit is cut with an ellipsis."""
    assert dxf_text("Seoul\r\nCity\u2028Hall") == "Seoul City Hall"
    assert dxf_text("x" * 300, 10) == "x" * 9 + "…"
    assert plain_text(dxf_text("50% off %%c ^I")) == "50% off %%c ^I"


def test_a_plan_of_one_hall_without_levels_is_drawn(tmp_path: Path) -> None:
    """A hand-made assignment with no level, zones or booths still gives a drawing."""
    ring = [[0, 0], [9, 0], [9, 6], [0, 6], [0, 0]]
    data = render_dxf(content(event="Expo", halls=[{"id": "T", "polygon": ring}]))
    path = tmp_path / "floorplan.dxf"
    path.write_bytes(data["floorplan.dxf"])
    drawing = ezdxf.readfile(path)
    (hall,) = on_layer(drawing, "HALL", "LWPOLYLINE")
    assert ring_of(hall) == [(0, 0), (9, 0), (9, 6), (0, 6)]
