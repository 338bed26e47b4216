"""The fonts shipped with boothopt: found, Korean, licensed, packaged, enough on a bare machine."""

from __future__ import annotations

import fnmatch
import io
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from PIL import Image
from pypdf import PdfReader

from boothopt.contract import Assignment, assignment_json
from boothopt.errors import BoothoptError
from boothopt.inputs.event_file import load_event
from boothopt.outputs import fonts
from boothopt.outputs.assignment import build_assignment
from boothopt.outputs.letters import render_letters
from boothopt.outputs.plan_render import png_size, render_pdf
from boothopt.solver.problem import build_problem
from boothopt.solver.solve import solve
from tests.outputs.assignments import booth, box, content

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "smartlife-2024" / "event.yaml"
PACKAGE = ROOT / "boothopt"
HANGUL_SYLLABLES = range(0xAC00, 0xD7A4)  # all 11,172 of them


@pytest.fixture(autouse=True)
def no_font_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without ``BOOTHOPT_FONT``, as a new user would."""
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)


def weight(path: Path) -> tuple[int, bool]:
    """Return the weight class a font file gives itself (400 regular), and its bold flag."""
    font = TTFont(path, lazy=True)
    return int(font["OS/2"].usWeightClass), bool(font["head"].macStyle & 1)


def test_the_shipped_nanum_gothic_is_the_korean_font() -> None:
    """Without ``BOOTHOPT_FONT`` the font is boothopt's own NanumGothic, regular and bold, with
    every Hangul syllable."""
    found = fonts.find_korean_font()
    assert found.regular.path == fonts.PACKAGED_REGULAR
    assert found.bold.path == fonts.PACKAGED_BOLD
    assert found.regular.path.parent.is_relative_to(PACKAGE)
    assert found.family == "NanumGothic"
    for face in (found.regular, found.bold):
        chars = fonts.charset(face)
        assert all(code in chars for code in HANGUL_SYLLABLES), face
        assert all(code in chars for code in range(0x21, 0x7F)), face
    assert weight(found.regular.path) < weight(found.bold.path)
    assert weight(found.bold.path)[1] and not weight(found.regular.path)[1]


def test_the_shipped_fallback_has_what_nanum_gothic_lacks() -> None:
    """DejaVu Sans, shipped too, draws the accented letters NanumGothic lacks."""
    fallback = fonts.find_fallback_font()
    assert fallback is not None and fallback.path == fonts.PACKAGED_FALLBACK
    korean = fonts.charset(fonts.find_korean_font().regular)
    lacking = [ch for ch in "ãÃÖöÅåõÿ" if ord(ch) not in korean]
    assert lacking  # the reason for the fallback
    assert all(ord(ch) in fonts.charset(fallback) for ch in lacking)


def test_the_fonts_ship_with_their_licences() -> None:
    """Beside the fonts are their licences, naming each font and its copyright holder."""
    ofl = (fonts.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    for words in (
        "NanumGothic",
        "NAVER Corporation",
        "SIL Open Font License, Version 1.1",
        "Reserved Font Name",
        "PERMISSION & CONDITIONS",
    ):
        assert words in ofl, words
    dejavu = (fonts.FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    for words in ("DejaVu Sans", "Bitstream, Inc.", "public domain", "Permission is hereby"):
        assert words in dejavu, words
    assert sorted(p.name for p in fonts.FONT_DIR.glob("*.ttf")) == [
        "DejaVuSans.ttf",
        "NanumGothic.ttf",
        "NanumGothicBold.ttf",
    ]


def test_the_package_data_takes_every_font_file_and_licence() -> None:
    """``pip install .`` ships the font folder: the package data names every file in it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["boothopt"]
    files = [p.relative_to(PACKAGE).as_posix() for p in fonts.FONT_DIR.iterdir()]
    assert files and all(any(fnmatch.fnmatch(f, pat) for pat in patterns) for f in files), files
    assert "OFL-1.1" in project["project"]["license"]
    assert not any("cairo" in dep for dep in project["project"]["dependencies"])


def test_font_variable_names_another_korean_font(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``BOOTHOPT_FONT`` naming a non-font or a font without Hangul is an error; naming a
    Korean font draws with it, its one face for regular and bold."""
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    for wrong in (junk, fonts.PACKAGED_FALLBACK, tmp_path / "missing.ttf"):
        monkeypatch.setenv(fonts.ENV_VAR, str(wrong))
        with pytest.raises(BoothoptError, match=r"BOOTHOPT_FONT=.*Korean glyphs"):
            fonts.find_korean_font()
    own = tmp_path / "Mine.ttf"
    shutil.copyfile(fonts.PACKAGED_BOLD, own)
    monkeypatch.setenv(fonts.ENV_VAR, str(own))
    found = fonts.find_korean_font()
    assert found.regular.path == found.bold.path == own
    assert found.family == "NanumGothic"


def test_a_missing_shipped_font_says_to_reinstall(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Should the shipped font be gone (a broken install), the exports say what to do."""
    monkeypatch.setattr(fonts, "PACKAGED_REGULAR", tmp_path / "NanumGothic.ttf")
    with pytest.raises(BoothoptError) as caught:
        fonts.find_korean_font()
    message = str(caught.value)
    assert str(tmp_path / "NanumGothic.ttf") in message
    assert "reinstall boothopt (pip install .)" in message and "BOOTHOPT_FONT" in message
    hall = {"id": "A", "polygon": box(0, 0, 9, 6)}
    with pytest.raises(BoothoptError, match="reinstall boothopt"):
        render_letters(content(halls=[hall], booths=[booth("A-1", "A", box(0, 0, 3, 3))]))
    with pytest.raises(BoothoptError, match="reinstall boothopt"):
        render_pdf(content(event="x", halls=[hall]))


@pytest.fixture(scope="module")
def small_doc() -> Assignment:
    """The 2024 example allocated (greedy), cut to its first 12 booths (12 letters)."""
    event = load_event(EXAMPLE)
    problem = build_problem(event)
    doc = build_assignment(event, problem, solve(problem, method="greedy", time_limit=5))
    return doc.model_copy(update={"booths": doc.booths[:12]})


# Run in a child process with BOOTHOPT_NO_SYSTEM_FONTS=1: the guard of conftest.py is on before
# boothopt is imported, so no system font file, no fontconfig and no cairo can be reached.
CHILD = """
import importlib.util, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("guard", sys.argv[1])
guard = importlib.util.module_from_spec(spec)
spec.loader.exec_module(guard)
from boothopt.contract import read_assignment
from boothopt.outputs.export import export
written = export(read_assignment(Path(sys.argv[2])), ["png", "pdf", "letters"], Path(sys.argv[3]))
print(sum(len(paths) for paths in written.values()), "files")
for probe in (
    lambda: open("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", "rb"),
    lambda: __import__("cairosvg"),
    lambda: __import__("subprocess").run(["fc-match", "NanumGothic"]),
):
    try:
        probe()
    except (guard.SystemFontUsed, ImportError) as exc:
        print("blocked:", type(exc).__name__)
    else:
        sys.exit("the guard let a system font through")
print("no cairo:", not any(name.startswith("cairo") for name in sys.modules))
"""


def test_plans_and_letters_render_without_system_fonts_or_cairo(
    small_doc: Assignment, tmp_path: Path
) -> None:
    """On a machine without fonts or cairo (simulated), PNG, PDF and letters are made from what
    boothopt ships: the PNG full size and not blank, the PDF and letters with Korean text."""
    source = tmp_path / "assignment.json"
    source.write_text(assignment_json(small_doc), encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "BOOTHOPT_NO_SYSTEM_FONTS": "1"}
    env.pop(fonts.ENV_VAR, None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(Path(__file__).with_name("conftest.py")), source, out],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == [
        "14 files",
        "blocked: SystemFontUsed",
        "blocked: ImportError",
        "blocked: SystemFontUsed",
        "no cairo: True",
    ]
    image = Image.open(out / "floorplan.png").convert("RGB")
    assert image.size == png_size(small_doc)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200  # drawn, antialiased text and all
    counts = {colour: n for n, colour in colours}
    assert counts[(255, 255, 255)] > 0 and counts[(0xF6, 0xF5, 0xF0)] > 0  # sheet, hall floor
    assert max(counts.values()) < 0.8 * image.width * image.height
    plan = PdfReader(out / "floorplan.pdf").pages[0].extract_text()
    assert small_doc.event_ko in plan
    assert all(b.booth_no in plan for b in small_doc.booths)
    letters = sorted((out / "letters").iterdir())
    assert [p.name for p in letters] == sorted(f"{b.booth_no}.pdf" for b in small_doc.booths)
    first = small_doc.booths[0]
    text = PdfReader(io.BytesIO((out / "letters" / f"{first.booth_no}.pdf").read_bytes()))
    assert first.name_ko in text.pages[0].extract_text()
