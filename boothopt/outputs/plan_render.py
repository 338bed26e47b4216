"""The floor plan as files: SVG for screens, PNG for messages and slides, PDF for printing.

Each renderer takes the assignment (see :mod:`boothopt.outputs.assignment`) and returns its files
as ``{relative name: bytes}``. The PNG and the PDF are drawn from the plan's SVG by cairo, which
finds fonts through fontconfig: the SVG then names the Korean font found on this machine, and
cuts every text into runs of that font and of DejaVu Sans for the few Latin letters it lacks.
"""

from __future__ import annotations

from typing import Any

import cairosvg  # type: ignore[import-untyped]

from boothopt.outputs.fonts import cairo_font_runs
from boothopt.outputs.plan_svg import plan_layout, render_plan_svg

PNG_PX_PER_M = 20.0
PNG_MIN_WIDTH = 3000
PNG_MAX_WIDTH = 10000


def render_svg(doc: dict[str, Any]) -> dict[str, bytes]:
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


def render_png(doc: dict[str, Any]) -> dict[str, bytes]:
    """Return ``{"floorplan.png": ...}``: the plan as a bitmap, about 20 pixels per metre.

    Raises
    ------
    BoothoptError
        No Korean font is installed (the message says which package to install).
    """
    layout = plan_layout(doc)
    svg = render_plan_svg(doc, runs=cairo_font_runs())
    png = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=png_width(layout.width, layout.k)
    )
    return {"floorplan.png": bytes(png)}


def render_pdf(doc: dict[str, Any]) -> dict[str, bytes]:
    """Return ``{"floorplan.pdf": ...}``: the plan as vector graphics on one A3 page.

    The page is landscape unless the drawing is taller than wide; the drawing is fitted and
    centred in it, and its texts stay text (searchable, selectable).

    Raises
    ------
    BoothoptError
        No Korean font is installed (the message says which package to install).
    """
    svg = render_plan_svg(doc, runs=cairo_font_runs(), a3_page=True)
    pdf = cairosvg.svg2pdf(bytestring=svg.encode("utf-8"))
    return {"floorplan.pdf": bytes(pdf)}
