"""Draw an assignment as an SVG floor plan: booths coloured by zone, numbered and named.

Driven by the assignment file alone. Exhibitor names are untrusted: every text is escaped, and a
name is shortened to fit its booth rather than spill over its neighbours.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from xml.sax.saxutils import quoteattr

from boothopt.outputs.venue_svg import (
    LEVEL_GAP_PX,
    MARGIN_PX,
    MAX_WIDTH_PX,
    _fmt,
    _Frame,
    _north_arrow,
    _scale_bar,
    _text,
)

ZONE_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
)
NO_ZONE = "#c9d3de"
RESERVED = "#8e6bbf"
MAX_PX_PER_M = 8.0


def text_width(text: str, size: float) -> float:
    """Return the rough width of ``text`` in pixels: wide (Korean) glyphs count double."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return size * (0.58 * (len(text) - wide) + 1.0 * wide)


def fit_text(text: str, width: float, size: float) -> str:
    """Return ``text`` cut (with an ellipsis) to fit ``width`` pixels at ``size``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…" if text else ""


def zone_colours(data: dict[str, Any]) -> dict[str | None, str]:
    """Return the colour of each zone in the assignment (and of booths in no zone)."""
    colours: dict[str | None, str] = {None: NO_ZONE}
    for n, z in enumerate(data.get("zones", [])):
        colours[z["id"]] = ZONE_COLOURS[n % len(ZONE_COLOURS)]
    return colours


def _path(ring: list[list[float]], f: _Frame) -> str:
    pts = [f.pt(x, y) for x, y in ring[:-1]]
    return "M" + " L".join(f"{_fmt(a)},{_fmt(b)}" for a, b in pts) + " Z"


def render_plan_svg(data: dict[str, Any], title: str | None = None) -> str:
    """Return the floor plan of an assignment as SVG text."""
    title = title or f"{data['event']} — floor plan"
    colours = zone_colours(data)
    levels: dict[str, list[dict[str, Any]]] = {}
    for h in data["halls"]:
        levels.setdefault(h.get("level", ""), []).append(h)
    bounds = {}
    for lv, halls in levels.items():
        xs = [p[0] for h in halls for p in h["polygon"]]
        ys = [p[1] for h in halls for p in h["polygon"]]
        bounds[lv] = (min(xs), min(ys), max(xs), max(ys))
    widest = max(b[2] - b[0] for b in bounds.values())
    k = min(MAX_PX_PER_M, (MAX_WIDTH_PX - 2 * MARGIN_PX) / max(widest, 1.0))
    width = widest * k + 2 * MARGIN_PX
    body = [_text(MARGIN_PX, MARGIN_PX, title, 20, ' font-weight="bold"')]
    y = MARGIN_PX + 30.0
    for lv, halls in levels.items():
        minx, miny, _, maxy = bounds[lv]
        body.append(_text(MARGIN_PX, y + 14, f"Level {lv}", 14, ' fill="#333"'))
        f = _Frame(minx, maxy, k, MARGIN_PX, y + 44)
        ids = {h["id"] for h in halls}
        body += _level(data, halls, ids, f, colours)
        y += 44 + (maxy - miny) * k + LEVEL_GAP_PX
    body += _scale_bar(MARGIN_PX, y - LEVEL_GAP_PX + 30, k)
    body += _north_arrow(width - MARGIN_PX - 20, y - LEVEL_GAP_PX + 20)
    legend, legend_h = _legend(data, colours, MARGIN_PX, y - LEVEL_GAP_PX + 70, width)
    body += legend
    height = y - LEVEL_GAP_PX + 70 + legend_h + 20
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_fmt(width)}" '
        f'height="{_fmt(height)}" viewBox="0 0 {_fmt(width)} {_fmt(height)}">'
    )
    return (
        "\n".join([head, '<rect width="100%" height="100%" fill="white"/>', *body, "</svg>"]) + "\n"
    )


def _level(
    data: dict[str, Any],
    halls: list[dict[str, Any]],
    ids: set[str],
    f: _Frame,
    colours: dict[str | None, str],
) -> list[str]:
    out = []
    for h in halls:
        out.append(
            f'<path class="hall" d="{_path(h["polygon"], f)}" fill="#f6f5f0" '
            'stroke="#222" stroke-width="1.5"/>'
        )
        x0 = min(p[0] for p in h["polygon"])
        y1 = max(p[1] for p in h["polygon"])
        tx, ty = f.pt(x0, y1)
        label = " ".join(t for t in (h.get("name", h["id"]), h.get("name_ko", "")) if t)
        out.append(_text(tx + 4, ty - 5, label, 11, ' font-weight="bold"'))
    for b in data["blocked"]:
        if b["hall"] not in ids:
            continue
        fill = "#4a4a4a" if "clearance" not in b["kind"] else "#e4572e"
        opacity = "1" if "clearance" not in b["kind"] else "0.15"
        out.append(
            f'<path class="blocked" d="{_path(b["polygon"], f)}" fill="{fill}" '
            f'fill-opacity="{opacity}"/>'
        )
    for r in data["reserved"]:
        if r["hall"] not in ids:
            continue
        out.append(
            f'<path class="reserved" d="{_path(r["polygon"], f)}" fill="{RESERVED}" '
            'fill-opacity="0.35" stroke="#5b3f8c" stroke-width="1"/>'
        )
        out += _label(r["polygon"], f, r.get("name_en") or r["id"], r.get("name_ko", ""))
    for b in data["booths"]:
        if b["hall"] not in ids:
            continue
        colour = colours.get(b["zone"], NO_ZONE)
        out.append(
            f'<path class="booth" data-booth={quoteattr(b["booth_no"])} '
            f'd="{_path(b["polygon"], f)}" fill="{colour}" fill-opacity="0.55" '
            'stroke="#333" stroke-width="0.7"/>'
        )
        out += _label(b["polygon"], f, b["booth_no"], b.get("name_en") or b.get("name_ko", ""))
    return out


def _label(ring: list[list[float]], f: _Frame, first: str, second: str) -> list[str]:
    """Write one or two lines centred in a rectangle, each cut to fit its width."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    ax, ay = f.pt(min(xs), max(ys))
    bx, by = f.pt(max(xs), min(ys))
    w, h = bx - ax, by - ay
    size = max(4.0, min(9.0, h / 3.2, w / 4.5))
    cx, cy = (ax + bx) / 2, (ay + by) / 2
    lines = [fit_text(first, w - 2, size)]
    if second and h >= 2.4 * size:
        lines.append(fit_text(second, w - 2, size * 0.9))
    out = []
    top = cy - (len(lines) - 1) * size * 0.55 + size * 0.35
    for n, line in enumerate(lines):
        if line:
            out.append(
                _text(
                    cx,
                    top + n * size * 1.1,
                    line,
                    size if n == 0 else size * 0.9,
                    ' text-anchor="middle" fill="#111"',
                )
            )
    return out


def _legend(
    data: dict[str, Any], colours: dict[str | None, str], x: float, y: float, width: float
) -> tuple[list[str], float]:
    names = {
        z["id"]: " · ".join(t for t in (z.get("name_en"), z.get("name_ko")) if t)
        for z in data.get("zones", [])
    }
    items = [(colours[z], names.get(z) or str(z)) for z in colours if z is not None]
    items += [(NO_ZONE, "no zone"), (RESERVED, "reserved (stage, forum, lounge, desk)")]
    out = ['<g class="legend">']
    cx, cy = x, y
    for colour, label in items:
        step = 30 + text_width(label, 10)
        if cx + step > width - MARGIN_PX:
            cx, cy = x, cy + 18
        out.append(
            f'<rect x="{_fmt(cx)}" y="{_fmt(cy)}" width="14" height="10" '
            f'fill="{colour}" fill-opacity="0.7" stroke="#555" stroke-width="0.5"/>'
        )
        out.append(_text(cx + 18, cy + 9, label, 10))
        cx += step
    out.append("</g>")
    return out, cy - y + 18
