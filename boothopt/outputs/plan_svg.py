"""Draw an assignment as an SVG floor plan: booths coloured by zone, numbered and named.

Driven by the assignment file alone. The plan is to scale: venue metres map to pixels through one
:class:`Frame` per level (x east, y flipped so that the venue's +y is up), and :func:`plan_layout`
returns those frames so that a reader can map the drawing back to metres. Levels are drawn side
by side or one under the other, whichever fits an A3 landscape sheet best.

Exhibitor names are untrusted: every text is escaped (control characters dropped), and a label is
shrunk, wrapped or cut with an ellipsis to fit its booth rather than spill over its neighbours;
the full names stay in each booth's ``<title>``, which browsers show on hover.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from boothopt.contract import Assignment, Hall
from boothopt.outputs.fonts import SVG_FONT_FAMILY, FontRuns, text_width
from boothopt.outputs.utilization import hall_line, zone_line

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
ENTRANCE = "#1a9850"
COLUMN = "#4a4a4a"
CLEARANCES = {
    "exit-clearance": ("#e4572e", "비상구 통로 확보", "exit clearance"),
    "entrance-clearance": ("#2e9e5b", "입구 앞 확보", "entrance clear zone"),
    "hydrant-clearance": ("#f0a202", "소화전 확보", "hydrant clearance"),
}
BOOTH_OPACITY = 0.55
BREACH = "#d7191c"
MAX_BREACH_LINES = 30  # listed under the legend; the rest are counted

MAX_PX_PER_M = 8.0
MAX_LEVEL_PX = 3200.0
MARGIN_PX = 40.0
TITLE_PX = 96.0
BAND_HEAD_PX = 48.0
BAND_GAP_PX = 60.0
FOOTER_PX = 64.0
UTILIZATION_PX = 24.0  # the utilization's line under the legend
A3_LANDSCAPE = (420.0, 297.0)

MAX_NUMBER_PX = 11.0
MIN_TEXT_PX = 2.6
LINE = 1.18  # line height, in font sizes


def clean_text(text: object) -> str:
    """Return ``text`` as a string without control characters or lone surrogates (XML and HTML
    cannot hold them); None gives "".

    Examples
    --------
    >>> clean_text("a\\x00b\\ud800c"), clean_text(None)
    ('abc', '')
    """
    if text is None:
        return ""
    return "".join(ch for ch in str(text) if unicodedata.category(ch) not in ("Cc", "Cs"))


def fit_text(text: str, width: float, size: float) -> str:
    """Return ``text`` cut (with an ellipsis) to fit ``width`` at ``size``; "" if nothing fits.

    Examples
    --------
    >>> fit_text("Seoul Metropolitan Government", 40.0, 8.0)
    'Seoul M…'
    """
    if text_width(text, size) <= width:
        return text
    while text and text_width(text.rstrip() + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text.strip() else ""


def wrap_text(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """Return ``text`` broken at spaces into at most ``max_lines`` lines, each fitting ``width``.

    What does not fit on the last line is cut with an ellipsis.

    Examples
    --------
    >>> wrap_text("Dasom University Hospital", 60.0, 8.0, 2)
    ['Dasom', 'University Ho…']
    """
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line += " " + words.pop(0)
        if words and len(lines) == max_lines - 1:
            line = " ".join([line, *words])
            words = []
        lines.append(fit_text(line, width, size))
    return [line for line in lines if line]


def zone_colours(data: Assignment) -> dict[str | None, str]:
    """Return the colour of each zone in the assignment (and of booths in no zone)."""
    colours: dict[str | None, str] = {None: NO_ZONE}
    for n, z in enumerate(data.zones):
        colours[z.id] = ZONE_COLOURS[n % len(ZONE_COLOURS)]
    return colours


def door_segment(
    ring: Sequence[Sequence[float]], at: Sequence[float], width: float
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """Return a door's two ends on the hall outline nearest ``at``, and its inward normal.

    Examples
    --------
    >>> door_segment([[0, 0], [10, 0], [10, 5], [0, 5], [0, 0]], [4, 5], 2)
    ((5.0, 5.0), (3.0, 5.0), (0.0, -1.0))
    """
    px, py = float(at[0]), float(at[1])
    best = (math.inf, 1.0, 0.0)
    for (ax, ay), (bx, by) in itertools.pairwise(ring):
        length = math.hypot(bx - ax, by - ay)
        if length == 0:
            continue
        ux, uy = (bx - ax) / length, (by - ay) / length
        t = max(0.0, min(length, (px - ax) * ux + (py - ay) * uy))
        dist = math.hypot(ax + ux * t - px, ay + uy * t - py)
        if dist < best[0]:
            best = (dist, ux, uy)
    _, ux, uy = best
    nx, ny = -uy, ux  # left of the edge: inside for a counter-clockwise ring
    if _signed_area(ring) < 0:
        nx, ny = -nx, -ny
    half = width / 2
    return (px - ux * half, py - uy * half), (px + ux * half, py + uy * half), (nx + 0.0, ny + 0.0)


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring)) / 2


@dataclass(frozen=True)
class Frame:
    """Maps venue metres to SVG pixels for one level: ``k`` pixels per metre, north (+y) up."""

    minx: float
    maxy: float
    k: float
    ox: float
    oy: float

    def pt(self, x: float, y: float) -> tuple[float, float]:
        """Return the pixel position of venue point ``(x, y)``."""
        return (self.ox + (x - self.minx) * self.k, self.oy + (self.maxy - y) * self.k)

    def venue(self, px: float, py: float) -> tuple[float, float]:
        """Return the venue point drawn at pixel ``(px, py)`` (the inverse of :meth:`pt`)."""
        return (self.minx + (px - self.ox) / self.k, self.maxy - (py - self.oy) / self.k)


@dataclass(frozen=True)
class PlanLayout:
    """Where everything goes: the sheet's width, the scale, each level's frame, the footer's top."""

    width: float
    k: float
    levels: dict[str, list[Hall]]
    frames: dict[str, Frame]  # by level
    footer_y: float

    def frame(self, hall_id: str) -> Frame:
        """Return the frame the hall ``hall_id`` is drawn in."""
        for level, halls in self.levels.items():
            if any(h.id == hall_id for h in halls):
                return self.frames[level]
        raise KeyError(hall_id)


def _bounds(halls: list[Hall]) -> tuple[float, float, float, float]:
    xs = [p[0] for h in halls for p in h.polygon]
    ys = [p[1] for h in halls for p in h.polygon]
    return min(xs), min(ys), max(xs), max(ys)


def plan_layout(data: Assignment) -> PlanLayout:
    """Return the layout of the plan of ``data``: levels in rows, as large as A3 landscape allows.

    Every level is drawn at the same scale ``k`` (pixels per metre). The levels are put in rows
    of one to all of them, in their order; the number per row is the one that lets the whole
    sheet be printed largest on an A3 landscape page.
    """
    levels: dict[str, list[Hall]] = {}
    for hall in data.halls:
        levels.setdefault(hall.level, []).append(hall)
    bounds = {lv: _bounds(hs) for lv, hs in levels.items()}
    widest = max((b[2] - b[0] for b in bounds.values()), default=1.0)
    k = min(MAX_PX_PER_M, MAX_LEVEL_PX / max(widest, 1.0))
    sizes = [((b[2] - b[0]) * k, BAND_HEAD_PX + (b[3] - b[1]) * k) for b in bounds.values()]
    best: tuple[float, list[list[int]]] = (-1.0, [])
    for per_row in range(1, max(len(sizes), 1) + 1):
        rows = [list(range(i, min(i + per_row, len(sizes)))) for i in range(0, len(sizes), per_row)]
        w, h = _rows_size(rows, sizes)
        footer = FOOTER_PX + 20.0 * math.ceil(len(data.zones) / max(1, w // 320))
        footer += UTILIZATION_PX if data.utilization is not None else 0.0
        sheet = (w + 2 * MARGIN_PX, h + TITLE_PX + footer + 2 * MARGIN_PX)
        fit = min(A3_LANDSCAPE[0] / sheet[0], A3_LANDSCAPE[1] / sheet[1])
        if fit > best[0] * 1.001:
            best = (fit, rows)
    rows = best[1]
    width = max(_rows_size(rows, sizes)[0], 400.0) + 2 * MARGIN_PX
    frames: dict[str, Frame] = {}
    names = list(levels)
    y = MARGIN_PX + TITLE_PX
    for row in rows:
        x = MARGIN_PX
        for i in row:
            minx, _, _, maxy = bounds[names[i]]
            frames[names[i]] = Frame(minx, maxy, k, x, y + BAND_HEAD_PX)
            x += sizes[i][0] + BAND_GAP_PX
        y += max(sizes[i][1] for i in row) + BAND_GAP_PX
    footer_y = y - BAND_GAP_PX + 24.0 if rows else y
    return PlanLayout(width, k, levels, frames, footer_y)


def _rows_size(rows: list[list[int]], sizes: list[tuple[float, float]]) -> tuple[float, float]:
    widths = [sum(sizes[i][0] for i in row) + BAND_GAP_PX * (len(row) - 1) for row in rows]
    heights = [max(sizes[i][1] for i in row) for row in rows]
    return max(widths, default=0.0), sum(heights) + BAND_GAP_PX * max(len(rows) - 1, 0)


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _path(ring: Sequence[Sequence[float]], f: Frame) -> str:
    pts = [f.pt(x, y) for x, y in ring[:-1]]
    return "M" + " L".join(f"{_fmt(a)},{_fmt(b)}" for a, b in pts) + " Z"


class _Svg:
    """Collects SVG elements; writes every text escaped, in font runs when drawing for cairo."""

    def __init__(self, runs: FontRuns | None) -> None:
        self.runs = runs
        self.parts: list[str] = []

    def add(self, *elements: str) -> None:
        self.parts.extend(elements)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        anchor: str = "start",
        bold: bool = False,
        fill: str = "#111",
        cls: str = "",
    ) -> None:
        text = clean_text(text)
        attrs = f' class="{cls}"' if cls else ""
        attrs += f' font-size="{_fmt(size)}"'
        attrs += ' font-weight="bold"' if bold else ""
        attrs += f' fill="{fill}"' if fill != "#111" else ""
        runs = self.runs.runs(text) if self.runs is not None else [(None, text)]
        if all(family is None for family, _ in runs):
            body = escape("".join(t for _, t in runs))
            if anchor != "start":
                attrs += f' text-anchor="{anchor}"'
        else:
            # cairosvg places anchored text with tspans wrongly: anchor it ourselves.
            width = text_width("".join(t for _, t in runs), size)
            x -= width / 2 if anchor == "middle" else width if anchor == "end" else 0.0
            body = "".join(
                escape(t)
                if family is None
                else f"<tspan font-family={quoteattr(family)}>{escape(t)}</tspan>"
                for family, t in runs
            )
        self.parts.append(f'<text x="{_fmt(x)}" y="{_fmt(y)}"{attrs}>{body}</text>')


def render_plan_svg(
    data: Assignment,
    title: str | None = None,
    *,
    runs: FontRuns | None = None,
    a3_page: bool = False,
) -> str:
    """Return the floor plan of an assignment as SVG text.

    Parameters
    ----------
    data
        The assignment (see :mod:`boothopt.contract`).
    title
        The English title line; by default the event's name.
    runs
        For drawing with cairo: the one font family to name and the fallback runs to cut texts
        into (cairo uses only the first family and shows boxes for missing glyphs). By default
        the SVG names several families and leaves the choice to the viewer.
    a3_page
        Size the sheet as an A3 page in millimetres (landscape unless the drawing is taller than
        wide), the drawing fitted and centred in it; by default the sheet is sized in pixels.

    Examples
    --------
    >>> from boothopt.contract import parse_assignment
    >>> doc = parse_assignment({"schema": "boothopt.assignment/1", "event": "Expo <1>",
    ...     "halls": [{"id": "T", "polygon": [[0, 0], [9, 0], [9, 6], [0, 6], [0, 0]]}]})
    >>> svg = render_plan_svg(doc)
    >>> svg.startswith("<svg") and "Expo &lt;1&gt;" in svg
    True
    """
    layout = plan_layout(data)
    colours = zone_colours(data)
    svg = _Svg(runs)
    _title(svg, data, title)
    for level, halls in layout.levels.items():
        _level(svg, data, level, halls, layout.frames[level], colours)
    height = _footer(svg, data, layout, colours)
    family = runs.family if runs is not None else SVG_FONT_FAMILY
    size = f'width="{_fmt(layout.width)}" height="{_fmt(height)}"'
    if a3_page:
        page = A3_LANDSCAPE if layout.width >= height else (A3_LANDSCAPE[1], A3_LANDSCAPE[0])
        size = f'width="{_fmt(page[0])}mm" height="{_fmt(page[1])}mm"'
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} '
        f'viewBox="0 0 {_fmt(layout.width)} {_fmt(height)}" font-family={quoteattr(family)}>'
    )
    return (
        "\n".join(
            [
                head,
                '<rect class="background" x="0" y="0" width="100%" height="100%" fill="white"/>',
                *svg.parts,
                "</svg>",
            ]
        )
        + "\n"
    )


def _title(svg: _Svg, data: Assignment, title: str | None) -> None:
    event, event_ko = data.event, data.event_ko
    y = MARGIN_PX + 24
    svg.add('<g class="title">')
    if event_ko:
        svg.text(MARGIN_PX, y, f"{event_ko} 부스 배치도", 26, bold=True)
        y += 30
    svg.text(MARGIN_PX, y, title or f"{event} — floor plan", 20 if event_ko else 26, bold=True)
    booths, halls = len(data.booths), len(data.halls)
    venue = data.venue.upper()
    note = f"{venue} · {halls} hall{'s' * (halls != 1)} · {booths} booths / 부스 {booths}개"
    svg.text(MARGIN_PX, y + 22, note, 12, fill="#555")
    n = len(data.breaches)
    if n:
        s = "es" if n != 1 else ""
        svg.text(
            MARGIN_PX,
            y + 40,
            f"규칙 위반 {n}건 — 검사를 통과하지 못한 배치도 · {n} rule breach{s}: this layout "
            "failed the check (exported with --force)",
            13,
            bold=True,
            fill=BREACH,
            cls="breach-stamp",
        )
    svg.add("</g>")


def _level(
    svg: _Svg,
    data: Assignment,
    level: str,
    halls: list[Hall],
    f: Frame,
    colours: dict[str | None, str],
) -> None:
    ids = {h.id for h in halls}
    svg.add(f'<g class="level" data-level={quoteattr(clean_text(level))}>')
    if level:
        svg.text(f.ox, f.oy - BAND_HEAD_PX + 16, level, 15, bold=True, fill="#333")
    for h in halls:
        svg.add(
            f'<path class="hall" data-hall={quoteattr(clean_text(h.id))} '
            f'd="{_path(h.polygon, f)}" fill="#f6f5f0" stroke="#222" stroke-width="1.5"/>'
        )
        x0 = min(p[0] for p in h.polygon)
        y1 = max(p[1] for p in h.polygon)
        tx, ty = f.pt(x0, y1)
        label = " · ".join(t for t in (h.name_ko, h.name or h.id) if t)
        svg.text(tx + 2, ty - 7, label, 12, bold=True)
    for b in data.blocked:
        if b.hall in ids:
            colour = CLEARANCES.get(b.kind, (COLUMN,))[0]
            opacity = "1" if colour == COLUMN else "0.13"
            svg.add(
                f'<path class="blocked" d="{_path(b.polygon, f)}" fill="{colour}" '
                f'fill-opacity="{opacity}"/>'
            )
    for r in data.reserved:
        if r.hall in ids:
            svg.add(
                '<g class="reserved">',
                f'<path d="{_path(r.polygon, f)}" fill="{RESERVED}" fill-opacity="0.35" '
                'stroke="#5b3f8c" stroke-width="1"/>',
            )
            _label(svg, r.polygon, f, r.name_ko or r.id, [r.name_en])
            svg.add("</g>")
    for booth in data.booths:
        if booth.hall in ids:
            colour = colours.get(booth.zone, NO_ZONE)
            number = quoteattr(clean_text(booth.booth_no))
            names = [booth.booth_no, booth.name_ko, booth.name_en]
            tooltip = " · ".join(dict.fromkeys(clean_text(n) for n in names if n))
            svg.add(
                f'<g class="stand" data-booth={number}>',
                f"<title>{escape(tooltip)}</title>",
                f'<path class="booth" data-booth={number} d="{_path(booth.polygon, f)}" '
                f'fill="{colour}" fill-opacity="{BOOTH_OPACITY}" stroke="#333" '
                'stroke-width="0.7"/>',
            )
            _label(svg, booth.polygon, f, booth.booth_no, [booth.name_ko, booth.name_en])
            svg.add("</g>")
    for mark, breach in enumerate(data.breaches, start=1):
        if breach.hall in ids and breach.where:
            px, py = f.pt(*breach.where)
            svg.add(
                '<g class="breach">',
                f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="8" fill="white" '
                f'stroke="{BREACH}" stroke-width="2.5"/>',
            )
            svg.text(px, py + 3.5, str(mark), 9, anchor="middle", bold=True, fill=BREACH)
            svg.add("</g>")
    hall_rings = {h.id: h.polygon for h in halls}
    for e in data.entrances:
        if e.hall in ids:
            end1, end2, (nx, ny) = door_segment(hall_rings[e.hall], e.at, e.width_m)
            p, q = f.pt(*end1), f.pt(*end2)
            lx, ly = f.pt(e.at[0] + nx * 2.2, e.at[1] + ny * 2.2)
            svg.add(
                '<g class="entrance">',
                f'<path d="M{_fmt(p[0])},{_fmt(p[1])} L{_fmt(q[0])},{_fmt(q[1])}" '
                f'stroke="{ENTRANCE}" stroke-width="5"/>',
            )
            svg.text(lx, ly + 4, e.id, 9, anchor="middle", bold=True, fill=ENTRANCE)
            svg.add("</g>")
    svg.add("</g>")


@dataclass(frozen=True)
class LabelLine:
    """One line of a booth's label, centred at ``dy`` below the label's middle."""

    text: str
    size: float
    bold: bool
    dy: float


def label_lines(first: str, names: list[str], width: float, height: float) -> list[LabelLine]:
    """Return the lines that label a ``width`` x ``height`` box: ``first`` bold, then names.

    The first line (a booth number) is as large as fits, up to ``MAX_NUMBER_PX``. The names follow
    one per line, each wrapped over the lines left or cut with an ellipsis; a name is left out
    when the box has no room for a readable part of it. Every line fits within ``width``
    (estimated with :func:`text_width`) and all lines within ``height``.
    """
    pad = max(1.0, min(width, height) * 0.06)
    w, h = width - 2 * pad, height - 2 * pad
    first = clean_text(first)
    size = min(MAX_NUMBER_PX, h / LINE, w / max(text_width(first, 1.0), 0.1))
    if size < MIN_TEXT_PX:
        return []
    lines = [(first, size, True)]
    room = h - size * LINE
    name_size = min(size * 0.86, 9.0)
    names = [n for n in dict.fromkeys(clean_text(n).strip() for n in names if n) if n]
    if names and room < name_size * LINE:
        name_size = room / LINE
    if names and name_size >= MIN_TEXT_PX:
        slots = int(room // (name_size * LINE))
        lines += [(t, s, False) for t, s in _name_lines(names, w, name_size, slots)]
    total = sum(s * LINE for _, s, _ in lines)
    out, top = [], -total / 2
    for text, s, bold in lines:
        out.append(LabelLine(text, s, bold, top + s * LINE / 2 + s * 0.35))
        top += s * LINE
    return out


def _name_lines(names: list[str], width: float, size: float, slots: int) -> list[tuple[str, float]]:
    """Return up to ``slots`` lines (text, size) for the names: all if they fit, else the best part.

    A name that has one line to itself may shrink by a fifth to fit whole.
    """
    if slots <= 0:
        return []
    small = max(MIN_TEXT_PX, size * 0.8)
    if slots == 1:
        for s in (size, small):
            whole = [n for n in names if text_width(n, s) <= width]
            if whole:
                return [(whole[0], s)]
        cut = fit_text(names[0], width, size)
        return [(cut, size)] if len(cut.rstrip("…")) >= 2 else []
    out: list[tuple[str, float]] = []
    for n, name in enumerate(names):
        left = slots - len(out) - (len(names) - n - 1)
        if left <= 0:
            break
        if left == 1 and text_width(name, size) > width >= text_width(name, small):
            out.append((name, small))
        else:
            out += [(line, size) for line in wrap_text(name, width, size, left)]
    return out[:slots]


def _label(
    svg: _Svg, ring: Sequence[Sequence[float]], f: Frame, first: str, names: list[str]
) -> None:
    """Write a label centred in a rectangle, turned upright along it when it is tall and narrow."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    ax, ay = f.pt(min(xs), max(ys))
    bx, by = f.pt(max(xs), min(ys))
    w, h = bx - ax, by - ay
    cx, cy = (ax + bx) / 2, (ay + by) / 2
    texts = [n for n in names if n]
    lines = label_lines(first, texts, w, h)
    if h > w * 1.3:
        turned = label_lines(first, texts, h, w)
        if turned and (not lines or turned[0].size > lines[0].size * 1.25):
            svg.add(f'<g class="label" transform="rotate(-90 {_fmt(cx)} {_fmt(cy)})">')
            for line in turned:
                svg.text(cx, cy + line.dy, line.text, line.size, anchor="middle", bold=line.bold)
            svg.add("</g>")
            return
    svg.add('<g class="label">')
    for line in lines:
        svg.text(cx, cy + line.dy, line.text, line.size, anchor="middle", bold=line.bold)
    svg.add("</g>")


def _north_arrow(svg: _Svg, data: Assignment, x: float, y: float) -> None:
    """Draw the north arrow: to true north when the venue's bearing is known, else plan north."""
    true_north = data.anchor is not None
    turn = -data.anchor.bearing_deg + 0.0 if data.anchor is not None else 0.0  # never -0
    svg.add(
        f'<g class="north-arrow" data-north="{"true" if true_north else "plan"}" '
        f'data-rotation="{_fmt(turn)}">',
        f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="17" fill="none" stroke="#888" '
        'stroke-width="0.8"/>',
        f'<g transform="rotate({_fmt(turn)} {_fmt(x)} {_fmt(y)})">',
        f'<path d="M{_fmt(x)},{_fmt(y - 16)} L{_fmt(x + 7)},{_fmt(y + 9)} L{_fmt(x)},{_fmt(y + 4)} '
        f'L{_fmt(x - 7)},{_fmt(y + 9)} Z" fill="#222"/>',
        "</g>",
    )
    rad = math.radians(turn)
    lx, ly = x + 26 * math.sin(rad), y - 26 * math.cos(rad)
    svg.text(lx, ly + 5, "N", 13, anchor="middle", bold=True)
    caption = "진북 · true north" if true_north else "도면 북쪽 · plan north"
    svg.text(x, y + 36, caption, 9, anchor="middle", fill="#555")
    svg.add("</g>")


def _scale_bar(svg: _Svg, x: float, y: float, k: float) -> None:
    step = next((s for s in (5, 10, 20, 50, 100) if s * k >= 60), 100)
    svg.add('<g class="scale-bar">')
    for i in range(4):
        fill = "#222" if i % 2 == 0 else "white"
        svg.add(
            f'<rect x="{_fmt(x + i * step * k)}" y="{_fmt(y)}" width="{_fmt(step * k)}" '
            f'height="6" fill="{fill}" stroke="#222" stroke-width="0.8"/>'
        )
        svg.text(x + i * step * k, y + 19, f"{i * step}", 10, anchor="middle")
    svg.text(x + 4 * step * k, y + 19, f"{4 * step} m", 10, anchor="middle")
    svg.add("</g>")


def _footer(
    svg: _Svg, data: Assignment, layout: PlanLayout, colours: dict[str | None, str]
) -> float:
    """Draw the scale bar, the north arrow, the legend and the utilization; return the height."""
    y = layout.footer_y
    _scale_bar(svg, MARGIN_PX, y, layout.k)
    _north_arrow(svg, data, layout.width - MARGIN_PX - 60, y + 14)
    right = layout.width - MARGIN_PX - 140
    legend_h = _legend(svg, data, colours, MARGIN_PX, y + 40, right)
    top = y + 40 + legend_h
    # Below the north arrow's caption the line may run the sheet's whole width.
    wide = layout.width - MARGIN_PX if top >= y + 60 else right
    legend_h += _utilization(svg, data, MARGIN_PX, top, wide)
    bottom = max(y + 40 + legend_h, y + 70)
    return _breach_list(svg, data, MARGIN_PX, bottom + 10, layout.width - 2 * MARGIN_PX) + MARGIN_PX


def _breach_list(svg: _Svg, data: Assignment, x: float, y: float, width: float) -> float:
    """List the layout's breaches, numbered as marked on the plan; return the list's bottom."""
    breaches = data.breaches
    if not breaches:
        return y - 10
    svg.add('<g class="breaches">')
    svg.text(x, y + 12, "규칙 위반 · Rule breaches", 13, bold=True, fill=BREACH)
    y += 30
    for number, b in enumerate(breaches[:MAX_BREACH_LINES], start=1):
        who = f"booth {b.booth}: " if b.booth else ""
        line = fit_text(f"{number}. {who}{b.rule}: {b.message}", width, 11)
        svg.text(x, y, line, 11, fill=BREACH)
        y += 16
    if len(breaches) > MAX_BREACH_LINES:
        svg.text(
            x,
            y,
            f"… and {len(breaches) - MAX_BREACH_LINES} more (see breaches.csv)",
            11,
            fill=BREACH,
        )
        y += 16
    svg.add("</g>")
    return y


def utilization_texts(data: Assignment) -> list[tuple[str, str]]:
    """Return the utilization the plan shows under its legend, as (kind, text) pairs.

    One short line per hall and one for the zone listed first (the Smart City Seoul Zone), when
    the assignment has its utilization; nothing for a file written before it existed.

    Examples
    --------
    >>> from boothopt.contract import parse_assignment
    >>> doc = parse_assignment({"schema": "boothopt.assignment/1",
    ...     "halls": [{"id": "B2", "polygon": [[0, 0], [9, 0], [9, 6], [0, 0]]}],
    ...     "utilization": {"halls": [{"hall": "B2", "let_m2": 27.0, "usable_m2": 1620.0,
    ...     "share_let": 0.0167, "booths": 2}], "zones": []}})
    >>> utilization_texts(doc)
    [('hall', 'B2: 27 of 1,620 m² let (2%) · 2 booths')]
    >>> utilization_texts(doc.model_copy(update={"utilization": None}))
    []
    """
    util = data.utilization
    if util is None:
        return []
    texts = [("hall", hall_line(h)) for h in util.halls]
    if util.zones:
        texts.append(("zone", zone_line(util.zones[0])))
    return texts


def _utilization(svg: _Svg, data: Assignment, x: float, y: float, right: float) -> float:
    """Draw the utilization just below ``(x, y)`` in one line, wrapping before ``right``.

    Return the height taken (none without a utilization).
    """
    texts = utilization_texts(data)
    if not texts:
        return 0.0
    y += 4  # a little apart from the legend
    svg.add('<g class="utilization">')
    head = "이용률 · Utilization"
    svg.text(x, y + 10, head, 11, bold=True, cls="utilization-head")
    cx, cy = x + text_width(head, 11) + 16, y
    for kind, text in texts:
        step = text_width(clean_text(text), 11) + 28
        if cx + step > right and cx > x:
            cx, cy = x, cy + 18
        svg.text(cx, cy + 10, text, 11, fill="#333", cls=f"utilization-{kind}")
        cx += step
    svg.add("</g>")
    return cy - y + 24


def _legend(
    svg: _Svg,
    data: Assignment,
    colours: dict[str | None, str],
    x: float,
    y: float,
    right: float,
) -> float:
    """Draw the legend from ``(x, y)``, wrapping before ``right``; return its height."""
    items: list[tuple[str, str, str]] = []
    for z in data.zones:
        label = " · ".join(t for t in (z.name_ko, z.name_en) if t) or z.id
        items.append(("zone", colours[z.id], label))
    items.append(("zone", NO_ZONE, "구역 없음 · no zone"))
    if data.reserved:
        items.append(("reserved", RESERVED, "무대·포럼·라운지 · stage, forum, lounge"))
    kinds = {b.kind for b in data.blocked}
    if kinds - set(CLEARANCES):
        items.append(("blocked", COLUMN, "기둥 · column"))
    for kind, (colour, ko, en) in CLEARANCES.items():
        if kind in kinds:
            items.append(("clearance", colour, f"{ko} · {en}"))
    if data.entrances:
        items.append(("entrance", ENTRANCE, "입구 · entrance"))
    svg.add('<g class="legend">')
    cx, cy = x, y
    for kind, colour, label in items:
        step = 28 + text_width(clean_text(label), 11) + 18
        if cx + step > right and cx > x:
            cx, cy = x, cy + 20
        if kind == "entrance":
            svg.add(
                f'<path d="M{_fmt(cx)},{_fmt(cy + 5)} L{_fmt(cx + 16)},{_fmt(cy + 5)}" '
                f'stroke="{colour}" stroke-width="5"/>'
            )
        else:
            opacity = {"zone": BOOTH_OPACITY, "reserved": 0.35, "clearance": 0.25}.get(kind, 1)
            svg.add(
                f'<rect x="{_fmt(cx)}" y="{_fmt(cy)}" width="16" height="11" fill="{colour}" '
                f'fill-opacity="{opacity}" stroke="#555" stroke-width="0.5"/>'
            )
        svg.text(cx + 22, cy + 10, label, 11, cls=f"legend-{kind}")
        cx += step
    svg.add("</g>")
    return cy - y + 24
