"""Draw venues and their booth grids to scale as SVG, written directly (no SVG library).

The drawing flips the y axis (venue y runs north, SVG y runs down) and escapes every text.
Levels are drawn one under the other, since halls of different levels share a footprint.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from boothopt.floorplan.grid import HallGrid
from boothopt.outputs.plan_svg import Frame

MARGIN_PX = 40.0
LEVEL_GAP_PX = 70.0
MAX_WIDTH_PX = 1600.0
MAX_PX_PER_M = 8.0

BLOCKED_STYLE = {
    "exit-clearance": ("#e4572e", "exit clearance"),
    "entrance-clearance": ("#2e9e5b", "entrance clear zone"),
    "hydrant-clearance": ("#f0a202", "hydrant clearance"),
}
OBSTACLE_FILL = "#4a4a4a"
CELL_FILL = "#dce9f6"
AISLE_STROKE = {
    "main": "#7a8fa6",
    "perimeter": "#7a8fa6",
    "side": "#b3c2d1",
    "cross": "#b3c2d1",
    "door": "#b3c2d1",
}


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _path(geom: BaseGeometry, f: Frame) -> str:
    parts: list[str] = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            pts = [f.pt(x, y) for x, y in ring.coords[:-1]]
            parts.append("M" + " L".join(f"{_fmt(a)},{_fmt(b)}" for a, b in pts) + " Z")
    return " ".join(parts)


def _line(line: LineString, f: Frame) -> str:
    pts = [f.pt(x, y) for x, y in line.coords]
    return "M" + " L".join(f"{_fmt(a)},{_fmt(b)}" for a, b in pts)


def _text(x: float, y: float, text: str, size: float, extra: str = "") -> str:
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}" '
        f'font-family="Noto Sans CJK KR, NanumGothic, sans-serif"{extra}>'
        f"{escape(text)}</text>"
    )


def render_grids_svg(grids: Iterable[HallGrid], title: str) -> str:
    """Return an SVG drawing of the halls' outlines, obstacles, doors, aisles and blocks.

    Examples
    --------
    >>> from boothopt.floorplan import load_venue, build_grid
    >>> svg = render_grids_svg([build_grid(load_venue("coex").hall("B1"))], "COEX <B1>")
    >>> svg.startswith("<svg") and "COEX &lt;B1&gt;" in svg
    True
    """
    grids = list(grids)
    levels: dict[str, list[HallGrid]] = {}
    for g in grids:
        levels.setdefault(g.hall.level, []).append(g)
    bounds = {lv: _bounds([g.hall.outline for g in gs]) for lv, gs in levels.items()}
    widest = max((b[2] - b[0] for b in bounds.values()), default=1.0)
    k = min(MAX_PX_PER_M, (MAX_WIDTH_PX - 2 * MARGIN_PX) / max(widest, 1.0))
    width = widest * k + 2 * MARGIN_PX
    body: list[str] = []
    y_cursor = MARGIN_PX + 30.0
    body.append(_text(MARGIN_PX, MARGIN_PX, title, 20, ' font-weight="bold"'))
    for level, gs in levels.items():
        minx, miny, _maxx, maxy = bounds[level]
        body.append(_text(MARGIN_PX, y_cursor + 14, f"Level {level}", 14, ' fill="#333"'))
        frame = Frame(minx, maxy, k, MARGIN_PX, y_cursor + 44)
        for g in gs:
            body += _hall(g, frame)
        y_cursor += 44 + (maxy - miny) * k + LEVEL_GAP_PX
    body += _scale_bar(MARGIN_PX, y_cursor - LEVEL_GAP_PX + 30, k)
    body += _north_arrow(width - MARGIN_PX - 20, y_cursor - LEVEL_GAP_PX + 20)
    legend_y = y_cursor - LEVEL_GAP_PX + 70
    body += _legend(MARGIN_PX, legend_y)
    height = legend_y + 40
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_fmt(width)}" '
        f'height="{_fmt(height)}" viewBox="0 0 {_fmt(width)} {_fmt(height)}">'
    )
    return (
        "\n".join([head, '<rect width="100%" height="100%" fill="white"/>', *body, "</svg>"]) + "\n"
    )


def _bounds(polys: list[Polygon]) -> tuple[float, float, float, float]:
    xs0, ys0, xs1, ys1 = zip(*(p.bounds for p in polys), strict=True)
    return min(xs0), min(ys0), max(xs1), max(ys1)


def _hall(g: HallGrid, f: Frame) -> list[str]:
    h = g.hall
    out = [
        f'<g class="hall" id={quoteattr("hall-" + h.id)}>',
        f'<path d="{_path(h.outline, f)}" fill="#f6f5f0" stroke="#222" stroke-width="1.5"/>',
    ]
    for e in g.aisle_edges:
        dash = "" if e.kind in ("main", "perimeter") else ' stroke-dasharray="4 3"'
        out.append(
            f'<path class="aisle" d="{_line(e.line, f)}" fill="none" '
            f'stroke="{AISLE_STROKE.get(e.kind, "#b3c2d1")}" stroke-width="1"{dash}/>'
        )
    for x0, y0, x1, y1 in g.cell_boxes:
        ax, ay = f.pt(x0, y1)
        out.append(
            f'<rect class="cell" x="{_fmt(ax)}" y="{_fmt(ay)}" '
            f'width="{_fmt((x1 - x0) * f.k)}" height="{_fmt((y1 - y0) * f.k)}" '
            f'fill="{CELL_FILL}" stroke="#9fb3c8" stroke-width="0.5"/>'
        )
    for b in g.blocked:
        if b.polygon.is_empty:
            continue
        if b.kind in BLOCKED_STYLE:
            colour = BLOCKED_STYLE[b.kind][0]
            out.append(
                f'<path class="blocked {b.kind}" d="{_path(b.polygon, f)}" '
                f'fill="{colour}" fill-opacity="0.25" stroke="{colour}" '
                'stroke-width="0.8"/>'
            )
        else:
            out.append(
                f'<path class="obstacle {escape(b.kind)}" d="{_path(b.polygon, f)}" '
                f'fill="{OBSTACLE_FILL}"/>'
            )
    for door in h.openings:
        colour = "#2e9e5b" if door.kind == "entrance" else "#e4572e"
        out.append(
            f'<path class="{door.kind}" d="{_line(door.door, f)}" stroke="{colour}" '
            'stroke-width="4" stroke-linecap="butt"/>'
        )
        lx, ly = f.pt(door.at[0] + door.inward[0] * 2.5, door.at[1] + door.inward[1] * 2.5)
        out.append(_text(lx, ly + 3, door.id, 7, f' fill="{colour}" text-anchor="middle"'))
    minx, _, _, maxy = h.outline.bounds
    tx, ty = f.pt(minx, maxy)
    label = f"{h.name} {h.name_ko} — {g.booth_capacity()} booths, {g.usable_m2:,.0f} m² usable"
    out.append(_text(tx + 4, ty - 5, label, 11, ' font-weight="bold"'))
    out.append("</g>")
    return out


def _scale_bar(x: float, y: float, k: float) -> list[str]:
    step = next((s for s in (5, 10, 20, 50, 100) if s * k >= 60), 100)
    out = ['<g class="scale-bar">']
    for i in range(4):
        fill = "#222" if i % 2 == 0 else "white"
        out.append(
            f'<rect x="{_fmt(x + i * step * k)}" y="{_fmt(y)}" width="{_fmt(step * k)}" '
            f'height="6" fill="{fill}" stroke="#222" stroke-width="0.8"/>'
        )
        out.append(_text(x + i * step * k, y + 18, f"{i * step}", 9, ' text-anchor="middle"'))
    out.append(_text(x + 4 * step * k, y + 18, f"{4 * step} m", 9, ' text-anchor="middle"'))
    out.append("</g>")
    return out


def _north_arrow(x: float, y: float) -> list[str]:
    return [
        '<g class="north-arrow">',
        f'<path d="M{_fmt(x)},{_fmt(y - 18)} L{_fmt(x + 7)},{_fmt(y + 6)} '
        f'L{_fmt(x)},{_fmt(y)} L{_fmt(x - 7)},{_fmt(y + 6)} Z" fill="#222"/>',
        _text(x, y + 20, "N", 12, ' text-anchor="middle" font-weight="bold"'),
        "</g>",
    ]


def _legend(x: float, y: float) -> list[str]:
    items = [(CELL_FILL, "booth module"), (OBSTACLE_FILL, "column / obstacle")]
    items += [(c, label) for c, label in BLOCKED_STYLE.values()]
    out = ['<g class="legend">']
    cx = x
    for colour, label in items:
        out.append(
            f'<rect x="{_fmt(cx)}" y="{_fmt(y)}" width="14" height="10" fill="{colour}" '
            'stroke="#555" stroke-width="0.5"/>'
        )
        out.append(_text(cx + 18, y + 9, label, 10))
        cx += 30 + 6.5 * len(label)
    for colour, label in (("#2e9e5b", "entrance"), ("#e4572e", "exit"), ("#7a8fa6", "main aisle")):
        out.append(
            f'<path d="M{_fmt(cx)},{_fmt(y + 5)} L{_fmt(cx + 16)},{_fmt(y + 5)}" '
            f'stroke="{colour}" stroke-width="4"/>'
        )
        out.append(_text(cx + 20, y + 9, label, 10))
        cx += 34 + 6.5 * len(label)
    out.append("</g>")
    return out
