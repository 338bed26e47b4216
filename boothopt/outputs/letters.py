"""Booth letters: one A4 PDF per placed exhibitor, in Korean and English, with a map of its hall.

Each letter gives the event, the hall, the booth number, its size, type and open sides, the zone
and the nearest entrance, Korean first and English beside it, then the hall drawn to scale with
the exhibitor's booth highlighted and the nearest entrance marked.

Files are named from the booth number only (``letters/C-214.pdf``), never from exhibitor text,
which is untrusted: it is only ever written as text, and characters no font can draw are dropped.

Rendering hundreds of letters is kept fast by subsetting the Korean font once to the characters
the letters use (fpdf2 would otherwise parse the whole 4 MB font for every letter) and by working
out each hall's map once.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from boothopt.contract import Assignment, Booth, Hall, assignment_data
from boothopt.outputs.fonts import charset, find_fallback_font, find_korean_font, subset_font
from boothopt.outputs.plan_svg import door_segment

# Booth types by open sides. Korean fairs say 독립부스 for raw space (as against 조립부스, the
# shell scheme), so the island type is called 아일랜드형 here, not 독립형.
BOOTH_TYPES = {
    "inline": ("인라인형", "Inline"),
    "corner": ("코너형", "Corner"),
    "peninsula": ("반도형", "Peninsula"),
    "island": ("아일랜드형", "Island"),
}
KO = {
    "title": "부스 배정 안내",
    "to": "{name} 귀하",
    "intro": "{event}에 참가해 주셔서 감사합니다. 귀사의 부스가 아래와 같이 배정되었음을 "
    "알려 드립니다.",
    "moved": "부스 위치가 변경되었습니다: 이전 부스 {old} → 새 부스 {new}. 이전 안내는 "
    "이 안내로 대신합니다.",
    "details": "배정 내역",
    "exhibitor": "참가업체",
    "hall": "전시홀",
    "booth_no": "부스 번호",
    "size": "부스 크기",
    "type": "부스 유형",
    "zone": "전시 구역",
    "entrance": "가까운 입구",
    "modules": "{n}모듈",
    "open": "{n}면 개방",
    "no_zone": "지정 구역 없음",
    "walk": "도보 약 {m} m",
    "line": "직선거리 약 {m} m",
    "map": "전시홀 배치도",
    "badge": "부스 번호",
    "your_booth": "귀사 부스",
    "others": "다른 부스",
    "column": "기둥",
    "clear": "통로 확보 구역",
    "reserved": "무대·라운지 등",
    "entrance_mark": "입구",
    "footer": "이 안내문은 부스 배정 결과에서 자동으로 작성되었습니다.",
    "true_north": "진북",
    "plan_north": "도면 북쪽",
}
EN = {
    "title": "Booth Assignment",
    "to": "To: {name}",
    "intro": "Thank you for taking part in {event}. Your booth has been assigned as follows.",
    "moved": "Your booth has changed: before {old}, now {new}. This letter replaces the "
    "earlier one.",
    "details": "Your booth",
    "exhibitor": "Exhibitor",
    "hall": "Hall",
    "booth_no": "Booth no.",
    "size": "Size",
    "type": "Booth type",
    "zone": "Zone",
    "entrance": "Nearest entrance",
    "modules": "{n} modules",
    "open": "{n} open sides",
    "no_zone": "no zone",
    "walk": "about {m} m on foot",
    "line": "about {m} m in a straight line",
    "map": "Hall map",
    "badge": "Booth no.",
    "your_booth": "your booth",
    "others": "other booths",
    "column": "column",
    "clear": "kept clear",
    "reserved": "stage, lounge, etc.",
    "entrance_mark": "entrance",
    "footer": "Generated from the booth assignment.",
    "true_north": "true north",
    "plan_north": "plan north",
}
STATIC_TEXT = "".join([*KO.values(), *EN.values(), *(t for p in BOOTH_TYPES.values() for t in p)])
STATIC_TEXT += "".join(chr(c) for c in range(32, 127)) + "×㎡·—…"

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 16.0
CONTENT_W = PAGE_W - 2 * MARGIN
MAP_W = CONTENT_W
MAP_BOTTOM = 44.0  # below the map: its band, scale bar, legend and the page's footer
MAP_BAND = 10.0  # room above and below the map for the entrance tags
HIGHLIGHT = (214, 39, 40)
ENTRANCE = (26, 152, 80)
INK = (34, 34, 34)
GREY = (110, 110, 110)
PT = 25.4 / 72  # millimetres per point
SLUG = re.compile(r"[^A-Za-z0-9-]+")


def booth_slug(booth_no: str) -> str:
    """Return a file-name-safe slug of a booth number: ``[A-Za-z0-9-]`` only, never empty.

    Examples
    --------
    >>> booth_slug("C-214")
    'C-214'
    >>> booth_slug("../../etc/passwd")
    'etc-passwd'
    >>> booth_slug("홀 1")
    '1'
    """
    slug = SLUG.sub("-", booth_no).strip("-")
    slug = re.sub("-{2,}", "-", slug)[:60].strip("-")
    return slug or "booth"


def letter_names(numbers: Iterable[str]) -> dict[str, str]:
    """Return each booth number's letter file name, ``letters/<slug>.pdf``, all distinct.

    Two booth numbers with the same slug get ``-2``, ``-3``... in the order given (the booth
    list's).

    Examples
    --------
    >>> letter_names(["A-1", "A/1"])
    {'A-1': 'letters/A-1.pdf', 'A/1': 'letters/A-1-2.pdf'}
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for number in numbers:
        base = booth_slug(number)
        slug, n = base, 1
        while slug.lower() in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug.lower())
        names[number] = f"letters/{slug}.pdf"
    return names


def render_letters(
    doc: Assignment, only: set[str] | None = None, moved_from: dict[str, str] | None = None
) -> dict[str, bytes]:
    """Return one PDF letter per placed booth: ``{"letters/<booth slug>.pdf": bytes}``.

    An assignment without booths gives no letters (an empty dict). ``only`` limits the letters
    to these booth numbers (a re-plan writes letters only for booths that changed);
    ``moved_from`` gives a moved booth's earlier number (new booth number -> old), which its
    letter then states, in both languages, above the details.

    Raises
    ------
    BoothoptError
        ``BOOTHOPT_FONT`` names no Korean font, or the font shipped with boothopt is missing.
    """
    booths = doc.booths
    if not booths:
        return {}
    names = letter_names(b.booth_no for b in booths)
    with _fonts(doc) as fonts:
        halls = {h.id: h for h in doc.halls}
        maps: dict[str, _HallMap] = {}
        out: dict[str, bytes] = {}
        shared = [
            doc.event,
            doc.event_ko,
            *(part.model_dump(mode="json") for part in (*doc.halls, *doc.zones, *doc.reserved)),
        ]
        everyone = fonts.needs_fallback(json.dumps(shared, ensure_ascii=False))
        for b in booths:
            if only is not None and b.booth_no not in only:
                continue
            hall = halls.get(b.hall)
            if hall is not None and b.hall not in maps:
                maps[b.hall] = _HallMap.build(doc, hall)
            fallback = everyone or fonts.needs_fallback(*b.model_dump().values())
            old = (moved_from or {}).get(b.booth_no)
            letter = _letter(doc, b, hall, maps.get(b.hall), fonts, fallback, old)
            out[names[b.booth_no]] = letter
    return out


@dataclass(frozen=True)
class _Fonts:
    """The subset font files every letter loads, and the filter for undrawable characters."""

    regular: Path
    bold: Path
    fallback: Path | None
    drawable: frozenset[int]
    fallback_only: frozenset[int]  # what only the fallback font has

    def needs_fallback(self, *texts: object) -> bool:
        """Return whether drawing ``texts`` needs the fallback font."""
        return any(ord(ch) in self.fallback_only for t in texts for ch in str(t))

    def clean(self, text: object) -> str:
        """Return ``text`` without control characters and characters no font can draw."""
        return "".join(
            ch for ch in str(text) if ord(ch) in self.drawable and ch.isprintable()
        ).strip()


@contextmanager
def _fonts(doc: Assignment) -> Iterator[_Fonts]:
    """Subset the Korean font (and DejaVu Sans for what it lacks) to the letters' characters."""
    korean = find_korean_font()
    fallback = find_fallback_font()
    text = json.dumps(assignment_data(doc), ensure_ascii=False)
    wanted = {ord(ch) for ch in STATIC_TEXT + text}
    main = charset(korean.regular) & wanted
    extra = (charset(fallback) & wanted) - main if fallback is not None else set()
    with tempfile.TemporaryDirectory(prefix="boothopt-fonts-") as tmp:
        folder = Path(tmp)
        regular = subset_font(korean.regular, main, folder / "ko.ttf")
        bold = subset_font(korean.bold, main, folder / "ko-bold.ttf")
        latin = subset_font(fallback, extra, folder / "latin.ttf") if fallback and extra else None
        yield _Fonts(regular, bold, latin, frozenset(main | extra), frozenset(extra))


@dataclass(frozen=True)
class _HallMap:
    """A hall's drawing, worked out once: metres east and south of its top-left corner."""

    width: float
    height: float
    outline: list[tuple[float, float]]
    blocked: list[tuple[str, list[tuple[float, float]]]]
    reserved: list[tuple[str, tuple[float, float, float, float]]]
    booths: dict[str, tuple[float, float, float, float]]  # x, y, width, height
    entrances: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]]

    @classmethod
    def build(cls, doc: Assignment, hall: Hall) -> _HallMap:
        """Return the map of ``hall`` in ``doc`` (y flipped: the venue's +y is up the page)."""
        ring = hall.polygon
        minx, miny = min(p[0] for p in ring), min(p[1] for p in ring)
        maxx, maxy = max(p[0] for p in ring), max(p[1] for p in ring)

        def pt(x: float, y: float) -> tuple[float, float]:
            return (x - minx, maxy - y)

        def box(r: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
            x0, y0 = pt(min(p[0] for p in r), max(p[1] for p in r))
            x1, y1 = pt(max(p[0] for p in r), min(p[1] for p in r))
            return x0, y0, x1 - x0, y1 - y0

        hid = hall.id
        entrances = {}
        for e in doc.entrances:
            if e.hall == hid:
                a, b, (nx, ny) = door_segment(ring, e.at, e.width_m)
                entrances[e.id] = (pt(*a), pt(*b), (nx, -ny))
        return cls(
            width=maxx - minx,
            height=maxy - miny,
            outline=[pt(x, y) for x, y in ring[:-1]],
            blocked=[
                (k.kind, [pt(x, y) for x, y in k.polygon[:-1]])
                for k in doc.blocked
                if k.hall == hid
            ],
            reserved=[
                (r.name_ko or r.name_en, box(r.polygon)) for r in doc.reserved if r.hall == hid
            ],
            booths={b.booth_no: box(b.polygon) for b in doc.booths if b.hall == hid},
            entrances=entrances,
        )


@dataclass(frozen=True)
class _Place:
    """Where a hall map goes on the page: its top-left corner and millimetres per metre."""

    ox: float
    oy: float
    scale: float

    def pt(self, p: tuple[float, float]) -> tuple[float, float]:
        return self.ox + p[0] * self.scale, self.oy + p[1] * self.scale

    def box(self, b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        s = self.scale
        return self.ox + b[0] * s, self.oy + b[1] * s, b[2] * s, b[3] * s


def nearest_entrance(doc: Assignment, booth: Booth) -> tuple[str, float, bool] | None:
    """Return ``(entrance id, metres, walked)`` of the booth's nearest entrance, if there is one.

    The assignment's own ``entrance`` and ``entrance_walk_m`` (the walk along the aisles) are used
    when present; otherwise the entrance of the booth's hall nearest in a straight line, from the
    booth's centre.
    """
    ring = booth.polygon
    cx = sum(p[0] for p in ring[:-1]) / max(len(ring) - 1, 1)
    cy = sum(p[1] for p in ring[:-1]) / max(len(ring) - 1, 1)
    entrances = {e.id: e for e in doc.entrances if e.hall == booth.hall}
    named = booth.entrance
    if named:
        if booth.entrance_walk_m is not None:
            return named, booth.entrance_walk_m, True
        e = entrances.get(named)
        if e is None:
            return None
        return named, math.hypot(e.at[0] - cx, e.at[1] - cy), False
    if not entrances:
        return None
    e = min(entrances.values(), key=lambda e: math.hypot(e.at[0] - cx, e.at[1] - cy))
    return e.id, math.hypot(e.at[0] - cx, e.at[1] - cy), False


def _num(v: object) -> str:
    return f"{float(v):g}" if isinstance(v, int | float) else str(v)


def _details(
    doc: Assignment, b: Booth, hall: Hall | None
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the Korean and the English rows of the letter's table."""
    zones = {z.id: z for z in doc.zones}
    zone = zones.get(b.zone or "")
    w, d = b.size_m
    dims, area, modules = f"{_num(w)} m × {_num(d)} m", _num(b.area_m2), b.modules
    ko_type, en_type = BOOTH_TYPES.get(b.booth_type, (b.booth_type,) * 2)
    sides = "" if b.open_sides is None else b.open_sides
    level = f" ({hall.level})" if hall and hall.level else ""
    hall_ko = (hall.name_ko or hall.name or hall.id) if hall else b.hall
    hall_en = (hall.name or hall.id) if hall else b.hall
    near = nearest_entrance(doc, b)
    entrance_ko = entrance_en = "—"
    if near is not None:
        eid, metres, walked = near
        m = f"{round(metres):d}"
        entrance_ko = f"{eid} ({KO['walk' if walked else 'line'].format(m=m)})"
        entrance_en = f"{eid} ({EN['walk' if walked else 'line'].format(m=m)})"
    ko = [
        (KO["exhibitor"], b.name_ko or b.name_en or b.exhibitor_id),
        (KO["hall"], f"{hall_ko}{level}"),
        (KO["booth_no"], b.booth_no),
        (KO["size"], f"{dims} ({area}㎡, {KO['modules'].format(n=modules)})"),
        (KO["type"], f"{ko_type} ({KO['open'].format(n=sides)})"),
        (KO["zone"], (zone.name_ko or zone.id) if zone else KO["no_zone"]),
        (KO["entrance"], entrance_ko),
    ]
    en = [
        (EN["exhibitor"], b.name_en or b.name_ko or b.exhibitor_id),
        (EN["hall"], f"{hall_en}{level}"),
        (EN["booth_no"], b.booth_no),
        (EN["size"], f"{dims} ({area} sq m, {EN['modules'].format(n=modules)})"),
        (EN["type"], f"{en_type} ({EN['open'].format(n=sides)})"),
        (EN["zone"], (zone.name_en or zone.id) if zone else EN["no_zone"]),
        (EN["entrance"], entrance_en),
    ]
    return ko, en


class _Letter(FPDF):
    """An A4 page with the Korean font loaded and helpers for bounded, cleaned text."""

    def __init__(self, fonts: _Fonts, fallback: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.fonts_used = fonts
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font("ko", "", fonts.regular)
        self.add_font("ko", "B", fonts.bold)
        if fonts.fallback is not None and fallback:
            self.add_font("latin", "", fonts.fallback)
            self.set_fallback_fonts(["latin"], exact_match=False)
        for font in self.fonts.values():
            # The subset fonts' glyph boxes are right already: saving them as they are (not
            # recompiling every glyph's outline) makes each letter several times faster.
            if hasattr(font, "ttfont"):
                font.ttfont.recalcBBoxes = False
        self.add_page()

    def lines(self, text: str, width: float, max_lines: int) -> list[str]:
        """Return ``text`` wrapped to ``width`` in at most ``max_lines`` lines (cut with …)."""
        out: list[str] = []
        rest = self.fonts_used.clean(text)
        while rest and len(out) < max_lines:
            cut = self._fitting(rest, width)
            space = rest.rfind(" ", 0, cut + 1)
            if cut < len(rest) and space > 0 and len(out) < max_lines - 1:
                cut = space
            out.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
        if rest and out:
            last = out[-1][: self._fitting(out[-1] + "…", width) - 1]
            out[-1] = last.rstrip() + "…"
        return out

    def _fitting(self, text: str, width: float) -> int:
        """Return how many leading characters of ``text`` fit ``width`` (at least one)."""
        if self.get_string_width(text) <= width:
            return len(text)
        low, high = 1, len(text)  # text[:low] is taken to fit, text[:high] does not
        while high - low > 1:
            mid = (low + high) // 2
            if self.get_string_width(text[:mid]) <= width:
                low = mid
            else:
                high = mid
        return low

    def write_lines(
        self,
        x: float,
        y: float,
        text: str,
        width: float,
        size: float,
        *,
        bold: bool = False,
        max_lines: int = 2,
        colour: tuple[int, int, int] = INK,
    ) -> float:
        """Write ``text`` from ``(x, y)`` (top of the first line); return the y below it."""
        self.set_font("ko", "B" if bold else "", size)
        self.set_text_color(*colour)
        height = size * PT * 1.35
        lines = self.lines(text, width, max_lines)
        for n, line in enumerate(lines):
            self.set_xy(x, y + n * height)
            self.cell(width, height, line, new_x=XPos.RIGHT, new_y=YPos.TOP)
        return y + len(lines) * height


def _letter(
    doc: Assignment,
    b: Booth,
    hall: Hall | None,
    hall_map: _HallMap | None,
    fonts: _Fonts,
    fallback: bool,
    moved_from: str | None = None,
) -> bytes:
    """Return the letter of booth ``b`` as PDF bytes; ``moved_from``, the booth's earlier
    number when a re-plan moved it."""
    pdf = _Letter(fonts, fallback)
    clean = fonts.clean
    event_ko = clean(doc.event_ko or doc.event)
    event_en = clean(doc.event)
    pdf.set_title(clean(f"{b.booth_no} — {doc.event}"))
    pdf.set_lang("ko")
    pdf.set_creator("boothopt")

    # Header: the event on the left, the booth number in a badge on the right.
    badge_w = 52.0
    text_w = CONTENT_W - badge_w - 6
    top = pdf.write_lines(MARGIN, 13, event_ko, text_w, 15, bold=True)
    two_korean_lines = top > 21
    en_lines = 1 if two_korean_lines else 2
    y = pdf.write_lines(MARGIN, top + 0.5, event_en, text_w, 10, colour=GREY, max_lines=en_lines)
    _badge(pdf, PAGE_W - MARGIN - badge_w, 12.0, badge_w, clean(b.booth_no))
    rule = max(36.0, y + 2.0)
    pdf.set_draw_color(*HIGHLIGHT)
    pdf.set_line_width(0.6)
    pdf.line(MARGIN, rule, PAGE_W - MARGIN, rule)

    # Title, addressee and a sentence in each language.
    title = f"{KO['title']}  ·  {EN['title']}"
    y = pdf.write_lines(MARGIN, rule + 4, title, CONTENT_W, 14, bold=True)
    name_ko = clean(b.name_ko or b.name_en)
    name_en = clean(b.name_en or b.name_ko)
    y = pdf.write_lines(MARGIN, y + 2, KO["to"].format(name=name_ko), CONTENT_W, 11, bold=True)
    y = pdf.write_lines(MARGIN, y, EN["to"].format(name=name_en), CONTENT_W, 10)
    y = pdf.write_lines(MARGIN, y + 2, KO["intro"].format(event=event_ko), CONTENT_W, 9.5)
    y = pdf.write_lines(MARGIN, y, EN["intro"].format(event=event_en), CONTENT_W, 9.5, colour=GREY)
    if moved_from:
        numbers = {"old": clean(moved_from), "new": clean(b.booth_no)}
        y = pdf.write_lines(
            MARGIN,
            y + 2,
            KO["moved"].format(**numbers),
            CONTENT_W,
            9.5,
            bold=True,
            colour=HIGHLIGHT,
        )
        y = pdf.write_lines(MARGIN, y, EN["moved"].format(**numbers), CONTENT_W, 9.5, bold=True)

    # The details, Korean on the left, English on the right.
    ko, en = _details(doc, b, hall)
    col_w = (CONTENT_W - 8) / 2
    top = y + 4
    bottoms = []
    for x, heading, rows, label_w in (
        (MARGIN, KO["details"], ko, 22.0),
        (MARGIN + col_w + 8, EN["details"], en, 28.0),
    ):
        yy = pdf.write_lines(x, top, heading, col_w, 11, bold=True, colour=HIGHLIGHT)
        pdf.set_draw_color(200, 200, 200)
        pdf.set_line_width(0.2)
        for label, value in rows:
            pdf.line(x, yy + 0.6, x + col_w, yy + 0.6)
            pdf.write_lines(x, yy + 1.2, label, label_w - 1, 8.5, colour=GREY, max_lines=1)
            bold = label in (KO["booth_no"], EN["booth_no"])
            yy = pdf.write_lines(x + label_w, yy + 1, value, col_w - label_w, 9.5, bold=bold)
            yy += 0.6
        bottoms.append(yy)

    # The hall map.
    y = max(bottoms) + 6
    hall_names = (hall.name_ko, hall.name) if hall else ()
    hall_name = clean(" · ".join(t for t in hall_names if t)) or clean(b.hall)
    y = pdf.write_lines(
        MARGIN, y, f"{KO['map']} · {EN['map']} — {hall_name}", CONTENT_W, 11, bold=True
    )
    if hall_map is not None:
        _map(pdf, doc, b, hall_map, y + MAP_BAND)
    pdf.write_lines(
        MARGIN,
        PAGE_H - 10,
        f"{KO['footer']} {EN['footer']}",
        CONTENT_W,
        7,
        colour=GREY,
        max_lines=1,
    )
    return bytes(pdf.output())


def _badge(pdf: _Letter, x: float, y: float, w: float, booth_no: str) -> None:
    """Draw the booth number large, white on the highlight colour."""
    pdf.set_fill_color(*HIGHLIGHT)
    pdf.rect(x, y, w, 21, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("ko", "", 8)
    pdf.set_xy(x, y + 1.5)
    pdf.cell(w, 4, f"{KO['badge']} · {EN['badge']}", align="C")
    size = 26.0
    pdf.set_font("ko", "B", size)
    while size > 8 and pdf.get_string_width(booth_no) > w - 4:
        size -= 1
        pdf.set_font("ko", "B", size)
    text = pdf.lines(booth_no, w - 4, 1)[0] if booth_no else ""
    pdf.set_xy(x, y + 6.5)
    pdf.cell(w, 12, text, align="C")


def _map(pdf: _Letter, doc: Assignment, b: Booth, m: _HallMap, top: float) -> None:
    """Draw the hall to scale with the booth highlighted, then the scale bar and the legend."""
    room = max(PAGE_H - MAP_BOTTOM - top, 40.0)
    scale = min(MAP_W / max(m.width, 1.0), room / max(m.height, 1.0))
    at = _Place(MARGIN + (MAP_W - m.width * scale) / 2, top, scale)
    pdf.set_line_width(0.35)
    pdf.set_draw_color(*INK)
    pdf.set_fill_color(246, 245, 240)
    pdf.polygon([at.pt(p) for p in m.outline], style="DF")
    for kind, ring in m.blocked:
        if "clearance" in kind:
            with pdf.local_context(fill_opacity=0.18):
                pdf.set_fill_color(228, 87, 46)
                pdf.polygon([at.pt(p) for p in ring], style="F")
        else:
            pdf.set_fill_color(74, 74, 74)
            pdf.polygon([at.pt(p) for p in ring], style="F")
    pdf.set_line_width(0.1)
    pdf.set_draw_color(150, 150, 150)
    pdf.set_fill_color(222, 222, 222)
    own = b.booth_no
    for no, box in m.booths.items():
        if no != own:
            pdf.rect(*at.box(box), style="DF")
    pdf.set_fill_color(215, 200, 235)
    pdf.set_draw_color(120, 90, 160)
    pdf.set_font("ko", "", 6)
    pdf.set_text_color(80, 60, 120)
    for name, box in m.reserved:
        x, y, w, h = at.box(box)
        pdf.rect(x, y, w, h, style="DF")
        label = pdf.lines(name, w - 1, 1)
        if label and label[0] != "…" and h > 3:
            pdf.set_xy(x, y + h / 2 - 1.5)
            pdf.cell(w, 3, label[0], align="C")
    _entrances(pdf, doc, b, m, at)
    _highlight(pdf, own, m, at)
    _map_footer(pdf, doc, at, top + m.height * scale + MAP_BAND)


def _entrances(pdf: _Letter, doc: Assignment, b: Booth, m: _HallMap, at: _Place) -> None:
    """Mark the hall's entrances, the nearest one strongly, with a tag just outside its door."""
    near = nearest_entrance(doc, b)
    for eid, (p, q, (nx, ny)) in m.entrances.items():
        nearest = near is not None and near[0] == eid
        (px, py), (qx, qy) = at.pt(p), at.pt(q)
        pdf.set_draw_color(*(ENTRANCE if nearest else (140, 190, 160)))
        pdf.set_line_width(1.6 if nearest else 0.9)
        pdf.line(px, py, qx, qy)
        if not nearest or near is None:
            continue
        key = "walk" if near[2] else "line"
        metres = round(near[1])
        title = f"{KO['entrance_mark']} {EN['entrance_mark'].capitalize()} {eid}"
        walk = f"{KO[key].format(m=metres)} · {EN[key].format(m=metres)}"
        pdf.set_font("ko", "", 6)
        width = pdf.get_string_width(walk)
        pdf.set_font("ko", "B", 7.5)
        width = max(width, pdf.get_string_width(title)) + 3
        height = 7.0
        # Outside the hall, beyond the door, so that it hides no booth.
        cx = (px + qx) / 2 - nx * (width / 2 + 1.5)
        cy = (py + qy) / 2 - ny * (height / 2 + 1.5)
        lx = min(max(cx - width / 2, 3.0), PAGE_W - 3.0 - width)
        ly = cy - height / 2
        pdf.set_fill_color(255, 255, 255)
        pdf.set_draw_color(*ENTRANCE)
        pdf.set_line_width(0.3)
        pdf.rect(lx, ly, width, height, style="DF")
        pdf.set_text_color(*ENTRANCE)
        pdf.set_xy(lx, ly + 0.4)
        pdf.cell(width, 3.6, title, align="C")
        pdf.set_font("ko", "", 6)
        pdf.set_xy(lx, ly + 3.8)
        pdf.cell(width, 2.8, walk, align="C")


def _highlight(pdf: _Letter, own: str, m: _HallMap, at: _Place) -> None:
    """Fill the exhibitor's booth in the strong colour, ring it and label it."""
    if own not in m.booths:
        return
    x, y, w, h = at.box(m.booths[own])
    pdf.set_fill_color(*HIGHLIGHT)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.rect(x, y, w, h, style="DF")
    cx, cy = x + w / 2, y + h / 2
    radius = max(math.hypot(w, h) / 2 + 2.5, 5.0)
    pdf.set_draw_color(*HIGHLIGHT)
    pdf.set_line_width(0.6)
    pdf.circle(cx, cy, radius, style="D")
    pdf.set_font("ko", "B", 9)
    label = pdf.fonts_used.clean(own)
    width = pdf.get_string_width(label) + 3
    # The number goes on a white tag just outside the ring: above it, or below it near the top.
    ty = cy - radius - 5.0 if cy - radius - 5.0 > at.oy else cy + radius + 1.0
    tx = min(max(cx - width / 2, at.ox), at.ox + m.width * at.scale - width)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*HIGHLIGHT)
    pdf.set_line_width(0.3)
    pdf.rect(tx, ty, width, 4.4, style="DF")
    pdf.set_text_color(*HIGHLIGHT)
    pdf.set_xy(tx, ty)
    pdf.cell(width, 4.4, label, align="C")


def _map_footer(pdf: _Letter, doc: Assignment, at: _Place, y: float) -> None:
    """Draw the scale bar, the north arrow and the legend under the map."""
    step = next((s for s in (5, 10, 20, 50, 100) if s * at.scale >= 8), 100)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*INK)
    pdf.set_font("ko", "", 6.5)
    pdf.set_text_color(*INK)
    for i in range(4):
        pdf.set_fill_color(*(INK if i % 2 == 0 else (255, 255, 255)))
        pdf.rect(MARGIN + i * step * at.scale, y, step * at.scale, 1.6, style="DF")
        pdf.set_xy(MARGIN + i * step * at.scale - 4, y + 1.8)
        pdf.cell(8, 3, f"{i * step}", align="C")
    pdf.set_xy(MARGIN + 4 * step * at.scale - 4, y + 1.8)
    pdf.cell(12, 3, f"{4 * step} m", align="C")
    _north(pdf, doc, PAGE_W - MARGIN - 8, y + 4)
    items: list[tuple[tuple[int, int, int], str, float]] = [
        (HIGHLIGHT, f"{KO['your_booth']} · {EN['your_booth']}", 1.0),
        ((222, 222, 222), f"{KO['others']} · {EN['others']}", 1.0),
        ((215, 200, 235), f"{KO['reserved']} · {EN['reserved']}", 1.0),
        ((74, 74, 74), f"{KO['column']} · {EN['column']}", 1.0),
        ((228, 87, 46), f"{KO['clear']} · {EN['clear']}", 0.18),
        (ENTRANCE, f"{KO['entrance_mark']} · {EN['entrance_mark']}", 1.0),
    ]
    x, ly = MARGIN, y + 7.5
    pdf.set_font("ko", "", 7)
    for colour, label, opacity in items:
        width = pdf.get_string_width(label) + 9
        if x + width > PAGE_W - MARGIN - 26:
            x, ly = MARGIN, ly + 4.5
        pdf.set_fill_color(*colour)
        with pdf.local_context(fill_opacity=opacity):
            pdf.rect(x, ly + 0.4, 4, 2.6, style="F")
        pdf.set_text_color(*INK)
        pdf.set_xy(x + 5, ly)
        pdf.cell(width - 5, 3.4, label)
        x += width


def _north(pdf: _Letter, doc: Assignment, x: float, y: float) -> None:
    """Draw a small north arrow at ``(x, y)``: true north if the bearing is known."""
    known = doc.anchor is not None
    turn = math.radians(-doc.anchor.bearing_deg) if doc.anchor is not None else 0.0

    def rot(dx: float, dy: float) -> tuple[float, float]:
        # Counter-clockwise on the page by -turn (page y runs down).
        c, s = math.cos(turn), math.sin(turn)
        return x + dx * c - dy * s, y + dx * s + dy * c

    pdf.set_fill_color(*INK)
    pdf.polygon([rot(0, -4), rot(2, 2.5), rot(0, 1.2), rot(-2, 2.5)], style="F")
    nx, ny = rot(0, -6.5)
    pdf.set_font("ko", "B", 7)
    pdf.set_text_color(*INK)
    pdf.set_xy(nx - 3, ny - 1.7)
    pdf.cell(6, 3.4, "N", align="C")
    key = "true_north" if known else "plan_north"
    caption = f"{KO[key]} {EN[key]}"
    pdf.set_font("ko", "", 5.5)
    pdf.set_xy(x - 12, y + 4.5)
    pdf.cell(24, 2.6, caption, align="C")
