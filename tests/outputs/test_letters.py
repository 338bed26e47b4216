"""Booth letters: one bilingual A4 PDF per booth, named by booth number."""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader

from boothopt.contract import Assignment
from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import build_assignment
from boothopt.outputs.letters import booth_slug, letter_names, nearest_entrance, render_letters
from boothopt.solver.problem import build_problem
from boothopt.solver.solve import solve
from tests.outputs.assignments import box, content

EVENT = """schema: boothopt.event/1
name: Letter Test Week
name_ko: 안내문 시험 주간
venue: coex
halls: [B2, C]
zones:
  - {id: cities, name_ko: 도시관, name_en: Cities Pavilion, members: {kinds: [city]}, hall: C}
  - {id: mobility, name_ko: 모빌리티존, name_en: Mobility Zone, members: {categories: [mobility]}}
reserved:
  - {id: stage, kind: stage, name_ko: 무대, name_en: Stage, size_m: [12, 9], hall: C}
exhibitors: [ex.csv]
"""
EXHIBITORS = """id,name_ko,name_en,kind,category,modules,booth_type
seoul,서울,Seoul,city,smart-city,12,island
sao,상파울루,São Paulo,city,smart-city,2,any
busan,부산,Busan,city,smart-city,1,any
smile,스마일😊케어,Smile 😊 Care,company,health,2,any
car1,모빌리티랩,Mobility Lab,company,mobility,4,corner
car2,바퀴,Wheels Co.,company,mobility,2,any
long,한국스마트시티산업협회 국제협력본부,Korea Smart City Association Division,institution,x,3,any
path,../../etc/passwd,../../etc/passwd,company,ai,2,any
calc,=cmd|' /C calc'!A0,=cmd|' /C calc'!A0,company,ai,2,any
html,<script>alert(1)</script>,<b>&amp;</b>,company,ai,6,peninsula
"""
TYPES_KO = {"inline": "인라인형", "corner": "코너형", "peninsula": "반도형", "island": "아일랜드형"}


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    """A small event in COEX halls B2 and C, with awkward and hostile names, allocated."""
    folder = tmp_path_factory.mktemp("letters")
    (folder / "event.yaml").write_text(EVENT, encoding="utf-8")
    (folder / "ex.csv").write_text(EXHIBITORS, encoding="utf-8")
    event = load_event(folder / "event.yaml")
    problem = build_problem(event)
    layout = build_assignment(event, problem, solve(problem, method="greedy", time_limit=5))
    assert len(layout.booths) == 10
    return layout


@pytest.fixture(scope="module")
def letters(doc: Assignment) -> dict[str, bytes]:
    """The letters of the small event."""
    return render_letters(doc)


def text_of(pdf: bytes) -> str:
    """Return the text of a one-page PDF (fails the test if it has more pages)."""
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_one_letter_per_booth_named_by_booth_number(
    doc: Assignment, letters: dict[str, bytes]
) -> None:
    """Exactly one PDF per placed booth, at ``letters/<booth number>.pdf``."""
    assert sorted(letters) == sorted(f"letters/{b.booth_no}.pdf" for b in doc.booths)
    assert all(re.fullmatch(r"letters/[A-Za-z0-9-]+\.pdf", name) for name in letters)
    assert all(pdf.startswith(b"%PDF-") for pdf in letters.values())


def test_letters_say_who_where_and_how_big_in_both_languages(
    doc: Assignment, letters: dict[str, bytes]
) -> None:
    """Each letter names the exhibitor, hall, booth, size, type and zone in Korean and English."""
    halls = {h.id: h for h in doc.halls}
    zones = {z.id: z for z in doc.zones}
    for b in doc.booths:
        text = text_of(letters[f"letters/{b.booth_no}.pdf"])
        flat = " ".join(text.split())
        for name in (b.name_ko, b.name_en):
            if name != "../../etc/passwd" and len(name) < 40:
                assert name in flat, (b.booth_no, name)
        hall = halls[b.hall]
        assert hall.name_ko in flat and hall.name in flat
        assert b.booth_no in flat and doc.event in flat and doc.event_ko in flat
        w, d = (f"{v:g}" for v in b.size_m)
        assert f"{w} m × {d} m" in flat and f"{b.area_m2:g}㎡" in flat
        assert TYPES_KO[b.booth_type] in flat
        assert b.booth_type.capitalize() in flat and f"{b.open_sides}면 개방" in flat
        if b.zone:
            assert zones[b.zone].name_ko in flat and zones[b.zone].name_en in flat
        assert b.entrance_walk_m is not None
        assert f"{b.entrance} (도보 약 {round(b.entrance_walk_m)} m)" in flat


def test_hostile_names_stay_text_and_out_of_paths(
    doc: Assignment, letters: dict[str, bytes]
) -> None:
    """Paths, formulas and markup in names are printed as they are and never reach a file name."""
    by_id = {b.exhibitor_id: b for b in doc.booths}
    for key in ("path", "calc", "html"):
        booth = by_id[key]
        text = " ".join(text_of(letters[f"letters/{booth.booth_no}.pdf"]).split())
        assert booth.name_ko in text
    assert not any(bad in name for name in letters for bad in ("..", "passwd", "<", "=", "|"))


def test_file_names_are_safe_and_unique_for_any_booth_number() -> None:
    """Booth numbers that are paths, empty or clash give distinct ``[A-Za-z0-9-]`` names."""
    numbers = ["../../etc/passwd", "A/1", "A-1", "a-1", "", "..", "C-214", "<b>", "홀-1"]
    names = letter_names(numbers)
    assert len(set(names.values())) == len(numbers)
    for name in names.values():
        assert re.fullmatch(r"letters/[A-Za-z0-9-]+\.pdf", name), name
    assert names["C-214"] == "letters/C-214.pdf"
    assert names["../../etc/passwd"] == "letters/etc-passwd.pdf"
    assert len({n.lower() for n in names.values()}) == len(numbers)  # case-insensitive disks
    assert booth_slug("") == "booth" and booth_slug("B2-101") == "B2-101"


def test_no_booths_no_letters() -> None:
    """An assignment without booths gives no files at all."""
    empty = content(event="Empty", halls=[{"id": "T", "polygon": box(0, 0, 9, 6)}])
    assert render_letters(empty) == {}


def test_every_glyph_is_in_the_fonts(doc: Assignment, caplog: pytest.LogCaptureFixture) -> None:
    """Accents and emoji the Korean font lacks come from the fallback font: none goes missing."""
    sample = tuple(b for b in doc.booths if b.exhibitor_id in ("sao", "smile", "long"))
    with caplog.at_level(logging.WARNING):
        out = render_letters(doc.model_copy(update={"booths": sample}))
    assert "missing" not in caplog.text
    by_id = {b.exhibitor_id: b for b in sample}
    text = " ".join(text_of(out[f"letters/{by_id['sao'].booth_no}.pdf"]).split())
    assert "São Paulo" in text


def test_nearest_entrance_walk_or_straight_line(doc: Assignment) -> None:
    """The assignment's walking entrance is used; without it, the nearest in a straight line."""
    booth = doc.booths[0]
    assert nearest_entrance(doc, booth) == (booth.entrance, booth.entrance_walk_m, True)
    booth = booth.model_copy(update={"entrance": None, "entrance_walk_m": None})
    eid, metres, walked = nearest_entrance(doc, booth) or ("", 0.0, True)
    doors = [e for e in doc.entrances if e.hall == booth.hall]
    assert not walked and eid in {e.id for e in doors} and metres > 0
    letter = render_letters(doc.model_copy(update={"booths": (booth,)}))
    text = " ".join(text_of(next(iter(letter.values()))).split())
    assert f"{eid} (직선거리 약 {round(metres)} m)" in text


def test_a_moved_booths_letter_says_where_it_was_and_the_others_do_not(doc: Assignment) -> None:
    """A re-plan's letter for a moved booth names its earlier number and the new one, in both
    languages, and still fits one page; a letter without an earlier number says nothing of it.
    An earlier number is untrusted text too, drawn as text."""
    first, second = doc.booths[0].booth_no, doc.booths[1].booth_no
    out = render_letters(doc, only={first, second}, moved_from={first: "<b>C-999</b>"})
    names = letter_names(b.booth_no for b in doc.booths)
    moved = text_of(out[names[first]])
    assert f"before <b>C-999</b>, now {first}" in moved
    assert "이전 부스 <b>C-999</b>" in moved and f"새 부스 {first}" in moved
    assert "This letter replaces the earlier one" in moved
    assert "changed" not in text_of(out[names[second]])
