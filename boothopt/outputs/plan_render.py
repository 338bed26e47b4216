"""The floor plan as files: SVG for screens, PNG for messages and slides, PDF for printing.

Each renderer takes the assignment (see :mod:`boothopt.contract`) and returns its files
as ``{relative name: bytes}``. The PDF and the PNG are drawn from the plan's own SVG
(:func:`~boothopt.outputs.plan_svg.render_plan_svg`), read back element by element and drawn by
fpdf2 with the fonts shipped with boothopt (:mod:`boothopt.outputs.fonts`): the PDF as vector
graphics on an A3 page, its texts kept as text; the PNG as a page of the drawing's own size,
rasterized by PDFium (pypdfium2). Both libraries install as wheels: no system library and no
system font is used, and the same assignment gives the same bytes on every machine (with the same
versions of these libraries).

Only what the plan's SVG holds is read: ``rect``, ``path`` (``M``, ``L`` and ``Z``), ``circle``,
``text`` (a ``tspan``'s text joins its line), ``g`` (with at most a ``rotate`` transform) and
``title`` (a tooltip, not drawn). Anything else is an error rather than a silent gap in the plan.
Each text is cut into runs of NanumGothic and of DejaVu Sans for the letters NanumGothic lacks,
and placed by its measured width, so an anchored text is centred exactly.
"""

from __future__ import annotations

import functools
import io
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from boothopt.contract import Assignment
from boothopt.errors import BoothoptError
from boothopt.outputs.fonts import (
    FontRuns,
    charset,
    find_fallback_font,
    find_korean_font,
    subset_font,
)
from boothopt.outputs.plan_svg import plan_layout, render_plan_svg

PNG_PX_PER_M = 20.0
PNG_MIN_WIDTH = 3000
PNG_MAX_WIDTH = 10000
#: The PNG is rasterized from a page of a quarter of its size in points, so that the page's size
#: (written with two decimals) is exact and the bitmap is exactly the width asked for.
PNG_PAGE_SCALE = 4
#: Fixed, so that the same assignment gives the same PDF bytes (the date is metadata only).
PDF_DATE = datetime(2024, 1, 1, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"
#: The presentation attributes a group passes on to what it holds.
INHERITED = frozenset(
    ["fill", "fill-opacity", "stroke", "stroke-width", "font-size", "font-weight", "text-anchor"]
)
NAMED_COLOURS = {"white": (255, 255, 255), "black": (0, 0, 0)}
ROTATE = re.compile(r"\s*rotate\(\s*([-+\d.eE]+)(?:[\s,]+([-+\d.eE]+)[\s,]+([-+\d.eE]+))?\s*\)\s*")
PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
XML_SPACE = re.compile(r"[ \t\r\n]+")


def render_svg(doc: Assignment) -> dict[str, bytes]:
    """Return ``{"floorplan.svg": ...}``: the plan to scale, for any SVG viewer."""
    return {"floorplan.svg": render_plan_svg(doc).encode("utf-8")}


def png_width(svg_width: float, k: float) -> int:
    """Return the PNG's width in pixels: about 20 pixels per metre, 3000 to 10000 in all.

    Examples
    --------
    >>> png_width(1800.0, 8.0)
    4500
    >>> png_width(500.0, 8.0)
    3000
    """
    wanted = round(svg_width * PNG_PX_PER_M / k)
    return max(PNG_MIN_WIDTH, min(PNG_MAX_WIDTH, wanted))


def png_size(doc: Assignment) -> tuple[int, int]:
    """Return the PNG's width and height in pixels: :func:`png_width`, in the SVG's proportions."""
    return _png_size(doc, ET.fromstring(render_plan_svg(doc)))


def _png_size(doc: Assignment, root: ET.Element) -> tuple[int, int]:
    view_w, view_h = _view_box(root)
    width = png_width(view_w, plan_layout(doc).k)
    return width, max(1, round(width * view_h / view_w))


def render_png(doc: Assignment) -> dict[str, bytes]:
    """Return ``{"floorplan.png": ...}``: the plan as a bitmap, about 20 pixels per metre.

    Raises
    ------
    BoothoptError
        ``BOOTHOPT_FONT`` names no Korean font, or the font shipped with boothopt is missing.
    """
    import pypdfium2  # type: ignore[import-untyped]

    root = ET.fromstring(render_plan_svg(doc))
    width, height = _png_size(doc, root)
    pdf = _draw_pdf(doc, root, (width / PNG_PAGE_SCALE, height / PNG_PAGE_SCALE))
    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=PNG_PAGE_SCALE, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    if image.size != (width, height):  # should PDFium round the page's size otherwise
        sheet = Image.new("RGB", (width, height), (255, 255, 255))
        sheet.paste(image, (0, 0))
        image = sheet
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return {"floorplan.png": out.getvalue()}


def render_pdf(doc: Assignment) -> dict[str, bytes]:
    """Return ``{"floorplan.pdf": ...}``: the plan as vector graphics on one A3 page.

    The page is landscape unless the drawing is taller than wide; the drawing is fitted and
    centred in it, and its texts stay text (searchable, selectable).

    Raises
    ------
    BoothoptError
        ``BOOTHOPT_FONT`` names no Korean font, or the font shipped with boothopt is missing.
    """
    root = ET.fromstring(render_plan_svg(doc))
    view_w, view_h = _view_box(root)
    return {"floorplan.pdf": _draw_pdf(doc, root, "L" if view_w >= view_h else "P")}


def _view_box(root: ET.Element) -> tuple[float, float]:
    """Return the width and height of the SVG's ``viewBox``."""
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width, height


def _draw_pdf(doc: Assignment, root: ET.Element, page: str | tuple[float, float]) -> bytes:
    """Return a one-page PDF of the SVG ``root``, fitted and centred on ``page``.

    ``page`` is the orientation of an A3 sheet ("L" or "P"), or a page size in points.
    """
    texts = "".join(
        "".join(el.itertext()) for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}tspan")
    )
    with _fonts({ord(ch) for ch in texts}) as (files, runs):
        if isinstance(page, str):
            pdf = FPDF(orientation=page, unit="pt", format="A3")
        else:
            pdf = FPDF(unit="pt", format=page)
        pdf.set_creation_date(PDF_DATE)
        pdf.set_creator("boothopt")
        pdf.set_title(runs.keep(f"{doc.event} — floor plan".strip(" —")))
        pdf.set_lang("ko")
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.add_font("ko", "", files[0])
        pdf.add_font("ko", "B", files[1])
        if files[2] is not None:
            pdf.add_font("latin", "", files[2])
        for font in pdf.fonts.values():
            # The subsets' glyph boxes are right already: no need to recompile every outline.
            if hasattr(font, "ttfont"):
                font.ttfont.recalcBBoxes = False
        pdf.add_page()
        view_w, view_h = _view_box(root)
        scale = min(pdf.w / view_w, pdf.h / view_h)
        painter = _Painter(
            pdf,
            runs,
            scale,
            (pdf.w - view_w * scale) / 2,
            (pdf.h - view_h * scale) / 2,
            (view_w, view_h),
        )
        painter.draw(root, {})
        return bytes(pdf.output())


@contextmanager
def _fonts(wanted: set[int]) -> Iterator[tuple[tuple[Path, Path, Path | None], FontRuns]]:
    """Yield the font files cut down to ``wanted`` (regular, bold, fallback) and the text runs."""
    korean = find_korean_font()
    fallback = find_fallback_font()
    main = charset(korean.regular)
    extra = (charset(fallback) - main) if fallback is not None else frozenset()
    with tempfile.TemporaryDirectory(prefix="boothopt-fonts-") as tmp:
        folder = Path(tmp)
        regular = subset_font(korean.regular, main & wanted, folder / "ko.ttf")
        bold = subset_font(korean.bold, main & wanted, folder / "ko-bold.ttf")
        latin = None
        if fallback is not None and extra & wanted:
            latin = subset_font(fallback, extra & wanted, folder / "latin.ttf")
        runs = FontRuns("ko", main, "latin", extra) if latin else FontRuns("ko", main)
        yield (regular, bold, latin), runs


def _colour(value: str | None) -> tuple[int, int, int] | None:
    """Return an SVG colour (``#rgb``, ``#rrggbb``, white, black) as RGB; None for ``none``.

    Examples
    --------
    >>> _colour("#4e79a7"), _colour("#111"), _colour("none")
    ((78, 121, 167), (17, 17, 17), None)
    """
    if value is None or value == "none":
        return None
    value = value.strip().lower()
    if value in NAMED_COLOURS:
        return NAMED_COLOURS[value]
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        r, g, b = (int(c * 2, 16) for c in value[1:])
        return r, g, b
    if re.fullmatch(r"#[0-9a-f]{6}", value):
        r, g, b = (int(value[i : i + 2], 16) for i in (1, 3, 5))
        return r, g, b
    raise BoothoptError(f"the plan's SVG has a colour the PDF/PNG renderer cannot read: {value!r}")


def _subpaths(d: str) -> list[tuple[list[tuple[float, float]], bool]]:
    """Return the subpaths of a path's ``d`` made of M, L and Z: (points, closed) each.

    Examples
    --------
    >>> _subpaths("M0,0 L10,0 L10,5 Z M1,1 L2,2")
    [([(0.0, 0.0), (10.0, 0.0), (10.0, 5.0)], True), ([(1.0, 1.0), (2.0, 2.0)], False)]
    """
    out: list[tuple[list[tuple[float, float]], bool]] = []
    tokens = PATH_TOKEN.findall(d)
    i = 0
    while i < len(tokens):
        command, numbers = tokens[i], tokens[i + 1 : i + 3]
        if command in ("M", "L") and len(numbers) == 2 and not any(n.isalpha() for n in numbers):
            point = (float(numbers[0]), float(numbers[1]))
            if command == "M" or not out or out[-1][1]:
                out.append(([point], False))
            else:
                out[-1][0].append(point)
            i += 3
        elif command in ("Z", "z") and out:
            out[-1] = (out[-1][0], True)
            i += 1
        else:
            raise BoothoptError(
                f"the plan's SVG has a path the PDF/PNG renderer cannot draw: {d[:60]!r}"
            )
    return out


@dataclass
class _Painter:
    """Draws the plan's SVG elements on an fpdf2 page: ``scale`` points per SVG unit, offset."""

    pdf: FPDF
    runs: FontRuns
    scale: float
    ox: float
    oy: float
    view: tuple[float, float]

    def x(self, v: float) -> float:
        return self.ox + v * self.scale

    def y(self, v: float) -> float:
        return self.oy + v * self.scale

    def draw(self, el: ET.Element, inherited: dict[str, str]) -> None:
        """Draw ``el`` and its children, with the presentation attributes of its parents."""
        tag = el.tag.removeprefix(SVG)
        attrs = {**inherited, **{k: v for k, v in el.attrib.items() if k in INHERITED}}
        if tag in ("svg", "g"):
            with self._transform(el.get("transform")):
                for child in el:
                    self.draw(child, attrs)
        elif tag == "title":
            return
        elif tag == "rect":
            self._rect(el, attrs)
        elif tag == "path":
            self._path(el, attrs)
        elif tag == "circle":
            r = float(el.get("r", 0)) * self.scale
            cx, cy = self.x(float(el.get("cx", 0))), self.y(float(el.get("cy", 0)))
            # fpdf2 leaves a circle's outline open where it starts: round caps hide the seam.
            with self.pdf.local_context(stroke_cap_style="round"):
                self._paint(attrs, lambda style: self.pdf.circle(cx, cy, r, style=style))
        elif tag == "text":
            self._text(el, attrs)
        else:
            raise BoothoptError(
                f"the plan's SVG has a <{tag}> element the PDF/PNG renderer cannot draw"
            )

    def _transform(self, value: str | None) -> AbstractContextManager[None]:
        """Return the context that applies an SVG ``rotate(a cx cy)`` transform."""
        if not value:
            return nullcontext()
        found = ROTATE.fullmatch(value)
        if found is None:
            raise BoothoptError(
                f"the plan's SVG has a transform the PDF/PNG renderer cannot apply: {value!r}"
            )
        angle, cx, cy = found.groups()
        # SVG turns clockwise on the screen for a positive angle, fpdf2 anticlockwise.
        return self.pdf.rotation(-float(angle), self.x(float(cx or 0)), self.y(float(cy or 0)))

    def _paint(self, attrs: dict[str, str], draw: Callable[[str], object]) -> None:
        """Set the fill and stroke of ``attrs`` and call ``draw`` with fpdf2's paint style."""
        fill = _colour(attrs.get("fill", "black"))
        stroke = _colour(attrs.get("stroke", "none"))
        style = ("D" if stroke else "") + ("F" if fill else "")
        if not style:
            return
        if fill:
            self.pdf.set_fill_color(*fill)
        if stroke:
            self.pdf.set_draw_color(*stroke)
            self.pdf.set_line_width(float(attrs.get("stroke-width", 1)) * self.scale)
        opacity = float(attrs.get("fill-opacity", 1))
        context = (
            self.pdf.local_context(fill_opacity=opacity) if fill and opacity < 1 else nullcontext()
        )
        with context:
            draw(style)

    def _rect(self, el: ET.Element, attrs: dict[str, str]) -> None:
        def length(name: str, whole: float) -> float:
            value = el.get(name, "0")
            return whole * float(value[:-1]) / 100 if value.endswith("%") else float(value)

        x, y = length("x", self.view[0]), length("y", self.view[1])
        w, h = length("width", self.view[0]), length("height", self.view[1])
        box = (self.x(x), self.y(y), w * self.scale, h * self.scale)
        self._paint(attrs, lambda style: self.pdf.rect(*box, style=style))

    def _path(self, el: ET.Element, attrs: dict[str, str]) -> None:
        for points, closed in _subpaths(el.get("d", "")):
            page = [(self.x(px), self.y(py)) for px, py in points]
            if closed:
                self._paint(attrs, functools.partial(self._polygon, page))
            else:
                # An open line is only stroked: SVG's fill of it would be nothing to see.
                self._paint({**attrs, "fill": "none"}, functools.partial(self._polyline, page))

    def _polygon(self, points: list[tuple[float, float]], style: str) -> None:
        self.pdf.polygon(points, style=style)

    def _polyline(self, points: list[tuple[float, float]], style: str) -> None:
        self.pdf.polyline(points, style=style)

    def _text(self, el: ET.Element, attrs: dict[str, str]) -> None:
        text = XML_SPACE.sub(" ", "".join(el.itertext())).strip()
        runs = self.runs.runs(text)
        if not runs:
            return
        size = float(attrs.get("font-size", 16)) * self.scale
        bold = "B" if attrs.get("font-weight") in ("bold", "700", "800", "900") else ""
        pdf = self.pdf
        widths = []
        for family, part in runs:
            pdf.set_font("ko" if family is None else family, bold if family is None else "", size)
            widths.append(pdf.get_string_width(part))
        x = self.x(float(el.get("x", 0)))
        anchor = attrs.get("text-anchor", "start")
        x -= sum(widths) / 2 if anchor == "middle" else sum(widths) if anchor == "end" else 0.0
        y = self.y(float(el.get("y", 0)))
        pdf.set_text_color(*(_colour(attrs.get("fill", "black")) or (0, 0, 0)))
        for (family, part), width in zip(runs, widths, strict=True):
            pdf.set_font("ko" if family is None else family, bold if family is None else "", size)
            pdf.text(x, y, part)
            x += width
