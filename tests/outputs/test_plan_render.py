"""The floor plan as SVG, PNG and PDF: to scale, labels inside their booths, hostile names inert.

The PNG and PDF are drawn by fpdf2 and PDFium from the SVG, in the fonts shipped with boothopt.
"""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import Polygon

from boothopt.contract import Anchor, Assignment
from boothopt.errors import BoothoptError
from boothopt.inputs.event_file import load_event
from boothopt.outputs import plan_render
from boothopt.outputs.assignment import build_assignment
from boothopt.outputs.fonts import FontRuns, text_width
from boothopt.outputs.plan_render import png_size, png_width, render_pdf, render_png, render_svg
from boothopt.outputs.plan_svg import (
    BOOTH_OPACITY,
    CLEARANCES,
    COLUMN,
    ENTRANCE,
    LINE,
    Frame,
    label_lines,
    plan_layout,
    render_plan_svg,
    zone_colours,
)
from boothopt.solver.problem import build_problem
from boothopt.solver.solve import solve
from tests.outputs.assignments import box, content

EXAMPLE = Path(__file__).parents[2] / "examples" / "smartlife-2024" / "event.yaml"
S = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "</text><script>alert(1)</script>",
    'Tom &amp; Jerry\'s "Lab"',
    "../../etc/passwd",
    "=cmd|' /C calc'!A0",
    "<script>",
    "bell\x07 and\x0b tab",
]


def allocate(path: Path) -> Assignment:
    """Return the assignment of the event at ``path`` by the fast greedy method."""
    event = load_event(path)
    problem = build_problem(event)
    return build_assignment(event, problem, solve(problem, method="greedy", time_limit=5))


@pytest.fixture(scope="module")
def doc() -> Assignment:
    """The 2024 example (COEX halls B2 and C), allocated."""
    return allocate(EXAMPLE)


@pytest.fixture(scope="module")
def hostile_doc(tmp_path_factory: pytest.TempPathFactory) -> Assignment:
    """A one-hall event whose exhibitors have markup, paths and formulas for names."""
    folder = tmp_path_factory.mktemp("hostile")
    rows = ["id,name_ko,name_en,kind,modules"]
    for n, name in enumerate(HOSTILE):
        quoted = '"' + name.replace('"', '""') + '"'
        rows.append(f"ex-{n},{quoted},{quoted},company,{4 if n % 2 else 8}")
    (folder / "ex.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "event.yaml").write_text(
        "schema: boothopt.event/1\nname: Hostile <Expo> & Co\nname_ko: 위험한 <박람회>\n"
        "venue: coex\nhalls: [B2]\nexhibitors: [ex.csv]\n",
        encoding="utf-8",
    )
    return allocate(folder / "event.yaml")


def points(d: str) -> list[tuple[float, float]]:
    """Return the points of an ``M x,y L x,y ... Z`` path."""
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]


def booth_groups(root: ET.Element) -> dict[str, ET.Element]:
    """Return each booth's ``<g class="stand">`` (outline and label) by its booth number."""
    return {g.get("data-booth", ""): g for g in root.iter(f"{S}g") if g.get("class") == "stand"}


def test_every_booth_is_drawn_where_the_assignment_puts_it(doc: Assignment) -> None:
    """Each booth's outline mapped back through its level's frame is the assignment's polygon."""
    layout = plan_layout(doc)
    groups = booth_groups(ET.fromstring(render_plan_svg(doc)))
    assert set(groups) == {b.booth_no for b in doc.booths}
    for b in doc.booths:
        frame = layout.frame(b.hall)
        path = groups[b.booth_no].find(f"{S}path[@class='booth']")
        assert path is not None
        drawn = Polygon([frame.venue(x, y) for x, y in points(path.get("d", ""))])
        assert drawn.hausdorff_distance(Polygon(b.polygon)) < 0.01, b.booth_no


def test_frames_invert_and_keep_the_scale(doc: Assignment) -> None:
    """A frame maps metres to pixels and back; the scale bar's step is drawn k pixels a metre."""
    layout = plan_layout(doc)
    frame = layout.frame("C")
    assert frame.venue(*frame.pt(12.5, 40.0)) == pytest.approx((12.5, 40.0))
    x0, y0 = frame.pt(0, 0)
    x1, y1 = frame.pt(10, 10)
    assert (x1 - x0, y0 - y1) == pytest.approx((10 * layout.k, 10 * layout.k))  # north is up
    root = ET.fromstring(render_plan_svg(doc))
    bar = next(g for g in root.iter(f"{S}g") if g.get("class") == "scale-bar")
    step = float([t.text for t in bar.iter(f"{S}text")][1] or 0)
    assert float(bar[0].get("width", 0)) == pytest.approx(step * layout.k, abs=0.01)


def test_labels_fit_within_their_booths(doc: Assignment) -> None:
    """Every label line is narrower than its booth (its height when turned) and the lines fit."""
    layout = plan_layout(doc)
    groups = booth_groups(ET.fromstring(render_plan_svg(doc)))
    for b in doc.booths:
        g = groups[b.booth_no]
        label = g.find(f"{S}g")
        assert label is not None
        turned = "rotate(-90" in label.get("transform", "")
        x0, y0, x1, y1 = Polygon(b.polygon).bounds
        wide, tall = (x1 - x0) * layout.k, (y1 - y0) * layout.k
        room, depth = (tall, wide) if turned else (wide, tall)
        texts = list(label.iter(f"{S}text"))
        assert texts and texts[0].text == b.booth_no, b.booth_no  # every number is shown
        sizes = [float(t.get("font-size", 0)) for t in texts]
        for t, size in zip(texts, sizes, strict=True):
            assert text_width("".join(t.itertext()), size) <= room, (b.booth_no, t.text)
        assert sum(s * LINE for s in sizes) <= depth, b.booth_no


def test_label_lines_shrink_wrap_and_cut() -> None:
    """Long names wrap and end in an ellipsis; a box too small for a name shows the number only."""
    lines = label_lines("C-101", ["Seoul Metropolitan Government Smart City Office"], 90, 48)
    assert lines[0].text == "C-101" and lines[0].bold
    assert len(lines) >= 3 and lines[-1].text.endswith("…")
    assert all(text_width(line.text, line.size) <= 90 for line in lines)
    small = label_lines("C-101", ["서울특별시"], 24, 9)
    assert [line.text for line in small] == ["C-101"]
    assert label_lines("C-101", [], 3, 3) == []


def test_legend_lists_every_zone_and_the_title_both_languages(doc: Assignment) -> None:
    """The legend names each zone in Korean and English; the title gives both event names."""
    root = ET.fromstring(render_plan_svg(doc))
    legend = next(g for g in root.iter(f"{S}g") if g.get("class") == "legend")
    entries = [t.text or "" for t in legend.iter(f"{S}text")]
    for z in doc.zones:
        assert any(z.name_ko in e and z.name_en in e for e in entries), z.id
    title = " ".join(t.text or "" for t in root.iter(f"{S}text"))
    assert doc.event in title and doc.event_ko in title


def test_north_arrow_points_to_true_north_when_the_bearing_is_known(doc: Assignment) -> None:
    """Without an anchor the arrow is plan north; with a 30° bearing it turns 30° anticlockwise."""

    def arrow(data: Assignment) -> ET.Element:
        root = ET.fromstring(render_plan_svg(data))
        return next(g for g in root.iter(f"{S}g") if g.get("class") == "north-arrow")

    plain = arrow(doc.model_copy(update={"anchor": None}))
    assert plain.get("data-north") == "plan" and plain.get("data-rotation") == "0"
    assert "plan north" in "".join(plain.itertext())
    anchor = Anchor(lon=127.06, lat=37.51, bearing_deg=30.0)
    turned = arrow(doc.model_copy(update={"anchor": anchor}))
    assert turned.get("data-north") == "true" and turned.get("data-rotation") == "-30"
    assert "true north" in "".join(turned.itertext())


def test_hostile_names_are_escaped_in_the_svg(hostile_doc: Assignment) -> None:
    """Markup in names and the event's title stays text: no element, no attribute comes of it."""
    assert len(hostile_doc.booths) == len(HOSTILE)
    svg = render_svg(hostile_doc)["floorplan.svg"].decode("utf-8")
    root = ET.fromstring(svg)  # well-formed, control characters and all
    assert all(el.tag.startswith(S) for el in root.iter())
    assert not [el for el in root.iter() if el.tag == f"{S}script"]
    assert "<script" not in svg and "&lt;/text&gt;&lt;script&gt;" in svg
    assert "&amp;amp;" in svg and "\x07" not in svg
    texts = ["".join(t.itertext()) for t in root.iter(f"{S}text")]
    assert "Hostile <Expo> & Co — floor plan" in texts
    assert any(t.startswith("</text><scr") for t in texts)
    tooltips = [t.text or "" for t in root.iter(f"{S}title")]  # the full names, for a browser
    assert any("</text><script>alert(1)</script>" in t for t in tooltips)


def test_font_runs_split_out_what_the_korean_font_lacks() -> None:
    """Letters the Korean font lacks go in runs of the fallback font; undrawable ones go."""
    runs = FontRuns(
        "NanumGothic", frozenset(map(ord, "Sa Pulo상파울루")), "DejaVu Sans", frozenset([0xE3])
    )
    assert runs.runs("São Paulo 상파울루 😊") == [
        (None, "S"),
        ("DejaVu Sans", "ã"),
        (None, "o Paulo 상파울루 "),
    ]
    doc = content(event="São <Paulo>", halls=[{"id": "T", "polygon": box(0, 0, 30, 20)}])
    root = ET.fromstring(render_plan_svg(doc, runs=runs))
    assert root.get("font-family") == "NanumGothic"
    spans = [s for s in root.iter(f"{S}tspan") if s.get("font-family") == "DejaVu Sans"]
    assert [s.text for s in spans][:1] == ["ã"]


@pytest.fixture(scope="module")
def png(doc: Assignment) -> bytes:
    """The example's plan as PNG."""
    return render_png(doc)["floorplan.png"]


@pytest.fixture(scope="module")
def pdf(doc: Assignment) -> bytes:
    """The example's plan as PDF."""
    return render_pdf(doc)["floorplan.pdf"]


def rgb(colour: str) -> tuple[int, int, int]:
    """Return ``#rrggbb`` as a triple."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return r, g, b


def over(colour: str, opacity: float, ground: str) -> tuple[int, int, int]:
    """Return ``colour`` laid at ``opacity`` over ``ground``."""
    top, bottom = rgb(colour), rgb(ground)
    r, g, b = (round(opacity * a + (1 - opacity) * z) for a, z in zip(top, bottom, strict=True))
    return r, g, b


def near(got: object, want: tuple[int, int, int], tolerance: int = 6) -> bool:
    """Return whether a pixel differs from ``want`` by at most ``tolerance`` in every channel."""
    assert isinstance(got, tuple)
    return all(abs(int(a) - b) <= tolerance for a, b in zip(got[:3], want, strict=True))


def test_png_is_the_plan_at_twenty_pixels_a_metre(doc: Assignment, png: bytes) -> None:
    """The PNG is as wide as :func:`png_width` asks, in the SVG's proportions, on white."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    root = ET.fromstring(render_plan_svg(doc))
    _, _, view_w, view_h = (float(v) for v in root.get("viewBox", "").split())
    assert (width, height) == png_size(doc)
    assert width == png_width(view_w, plan_layout(doc).k) >= 3000
    assert height / width == pytest.approx(view_h / view_w, rel=0.001)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB" and image.size == (width, height)
    assert image.getpixel((2, 2)) == (255, 255, 255)


def test_png_shows_every_booth_in_its_zone_colour(doc: Assignment, png: bytes) -> None:
    """Just inside each booth's corner the PNG has its zone's colour over the hall's floor; each
    column is dark, each entrance green: the drawing is where the assignment puts it."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    layout = plan_layout(doc)
    root = ET.fromstring(render_plan_svg(doc))
    scale = image.width / float(root.get("viewBox", "").split()[2])
    colours = zone_colours(doc)

    def pixel(hall: str, x: float, y: float, dx: float = 0, dy: float = 0) -> object:
        px, py = layout.frame(hall).pt(x, y)
        return image.getpixel((round(px * scale + dx), round(py * scale + dy)))

    for b in doc.booths:
        xs, ys = [p[0] for p in b.polygon], [p[1] for p in b.polygon]
        want = over(colours[b.zone], BOOTH_OPACITY, "#f6f5f0")
        assert near(pixel(b.hall, min(xs), max(ys), 4, 4), want), b.booth_no
    assert len({colours[b.zone] for b in doc.booths}) >= 5  # several zones were seen
    columns = [c for c in doc.blocked if c.kind not in CLEARANCES]
    assert columns
    for c in columns:
        middle = Polygon(c.polygon).centroid
        assert near(pixel(c.hall, middle.x, middle.y), rgb(COLUMN)), c
    for e in doc.entrances:
        assert near(pixel(e.hall, *e.at), rgb(ENTRANCE), 40), e.id


def test_pdf_is_one_a3_page_with_the_title_as_text(doc: Assignment, pdf: bytes) -> None:
    """The PDF is one A3 landscape page whose text holds both titles and every booth number."""
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((1190.55, 841.89), abs=0.5)
    text = reader.pages[0].extract_text()
    assert doc.event in text and doc.event_ko in text
    assert [b.booth_no for b in doc.booths if b.booth_no not in text] == []


def label_texts(group: ET.Element) -> list[str]:
    """Return the lines of a booth's label."""
    return ["".join(t.itertext()) for t in group.iter(f"{S}text")]


def font_names(page: Any) -> set[str]:
    """Return the names of the fonts a PDF page uses, without their subset prefix."""
    fonts = page["/Resources"]["/Font"]
    return {str(fonts[key].get_object()["/BaseFont"]).split("+")[-1] for key in fonts}


def test_pdf_holds_the_korean_and_english_names_as_text(doc: Assignment, pdf: bytes) -> None:
    """Every name a booth's label shows whole, and every zone of the legend, is text in the PDF
    (searchable), drawn in the NanumGothic shipped with boothopt, embedded."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    groups = booth_groups(ET.fromstring(render_plan_svg(doc)))
    shown = {
        "name_ko": [b.name_ko for b in doc.booths if b.name_ko in label_texts(groups[b.booth_no])],
        "name_en": [b.name_en for b in doc.booths if b.name_en in label_texts(groups[b.booth_no])],
    }
    assert len(shown["name_ko"]) > 100 and len(shown["name_en"]) > 20
    assert [n for names in shown.values() for n in names if n not in text] == []
    flat = " ".join(text.split())
    for z in doc.zones:
        assert f"{z.name_ko} · {z.name_en}" in flat, z.id
    assert {"NanumGothic", "NanumGothicBold"} <= font_names(page)


def test_pdf_and_png_are_the_same_bytes_every_time(doc: Assignment, png: bytes, pdf: bytes) -> None:
    """The same assignment gives the same files: no date, nothing of the machine gets in."""
    assert render_pdf(doc)["floorplan.pdf"] == pdf
    assert render_png(doc)["floorplan.png"] == png


def test_letters_the_korean_font_lacks_are_drawn_by_the_fallback(doc: Assignment) -> None:
    """A name with letters NanumGothic lacks (ã, ö) is printed whole, with DejaVu Sans embedded;
    a character neither font has is left out rather than drawn as a box."""
    biggest = max(doc.booths, key=lambda b: b.area_m2)
    names = {"name_ko": "상파울루", "name_en": "São Paulo Malmö \U0001f9ff"}
    renamed = doc.model_copy(update={"booths": (biggest.model_copy(update=names),)})
    page = PdfReader(io.BytesIO(render_pdf(renamed)["floorplan.pdf"])).pages[0]
    text = page.extract_text()
    assert "São Paulo Malmö" in text and "상파울루" in text and "\U0001f9ff" not in text
    assert any(name.startswith("DejaVuSans") for name in font_names(page))


def test_hostile_names_stay_text_in_the_pdf(hostile_doc: Assignment) -> None:
    """Markup in names and the title is printed as it is; control characters are dropped."""
    files = {**render_pdf(hostile_doc), **render_png(hostile_doc)}
    text = PdfReader(io.BytesIO(files["floorplan.pdf"])).pages[0].extract_text()
    assert "Hostile <Expo> & Co — floor plan" in text and "위험한 <박람회>" in text
    assert "</text><scr" in text and "\x07" not in text
    assert Image.open(io.BytesIO(files["floorplan.png"])).size == png_size(hostile_doc)


def test_an_svg_element_the_renderer_cannot_draw_is_an_error(
    doc: Assignment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the plan's SVG grow an element or a path the PDF renderer does not know, it says so
    rather than leave a gap in the plan."""
    svg = render_plan_svg(doc)
    odd = svg.replace("</svg>", '<ellipse cx="5" cy="5" rx="2" ry="1"/></svg>')
    monkeypatch.setattr(plan_render, "render_plan_svg", lambda *args, **kwargs: odd)
    with pytest.raises(BoothoptError, match="<ellipse> element"):
        render_pdf(doc)
    curve = svg.replace("</svg>", '<path d="M0,0 C1,1 2,2 3,3"/></svg>')
    monkeypatch.setattr(plan_render, "render_plan_svg", lambda *args, **kwargs: curve)
    with pytest.raises(BoothoptError, match="path the PDF/PNG renderer cannot draw"):
        render_png(doc)


def test_frame_is_exposed_for_readers() -> None:
    """A frame can be built and inverted by hand (what a reader of the SVG needs)."""
    frame = Frame(minx=10.0, maxy=50.0, k=4.0, ox=40.0, oy=100.0)
    assert frame.pt(10.0, 50.0) == (40.0, 100.0)
    assert frame.venue(44.0, 108.0) == (11.0, 48.0)


def test_a_plan_taller_than_wide_is_printed_on_a_portrait_page() -> None:
    """A tall hall goes on A3 portrait, fitted and centred; the PNG keeps its proportions."""
    doc = content(event="Tall Expo", halls=[{"id": "T", "polygon": box(0, 0, 30, 160)}])
    page = PdfReader(io.BytesIO(render_pdf(doc)["floorplan.pdf"])).pages[0]
    media = page.mediabox
    assert (float(media.width), float(media.height)) == pytest.approx((841.89, 1190.55), abs=0.5)
    assert "Tall Expo — floor plan" in page.extract_text()
    image = Image.open(io.BytesIO(render_png(doc)["floorplan.png"]))
    assert image.size == png_size(doc) and image.height > image.width
