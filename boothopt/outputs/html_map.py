"""The floor plan as one offline web page for visitors and exhibitors on their phones.

``floorplan.html`` holds everything it needs: the plan's own SVG
(:func:`~boothopt.outputs.plan_svg.render_plan_svg`) inline, the page's script and style
(``data/map.js``, ``data/map.css``) inline, and the data the script reads as JSON in a
``<script type="application/json">`` block, and the Korean font cut to the page's letters
(:func:`~boothopt.outputs.fonts.web_font_css`), so that it reads on a machine without Korean
fonts too. It makes no network request: a Content-Security-Policy allows nothing but its own
script and style (by hash) and its own fonts. On the page: pan and zoom (wheel, drag,
pinch), search by exhibitor name in Korean or English, by booth number or zone, details of a
booth on hover or tap, a zone legend, a Korean/English switch, and the walk from an entrance
("you are here") to a booth along the aisles, drawn on the plan with its length.

The walk runs on a graph of walking lines worked out from the assignment alone, as the plan is
drawn: the file does not say which aisle scheme the event used (``aisles:`` in the event file),
so the venue's own aisle graph (:func:`~boothopt.floorplan.grid.build_grid`) cannot be rebuilt
from it. Booths, reserved areas and obstacles are rectangles on the booth grid, so the floor left
free is cut into rectangles by their edges; a line through the middle of each strip between two
neighbouring edges runs down the middle of an aisle. Those lines, kept clear of booths and walls
and cut where they cross, are the graph; the doors are linked to their nearest line, as in the
venue's aisle graph. Each booth is reached from the aisle in front of one of its open sides.

Exhibitor text is untrusted: the SVG escapes it, the JSON block escapes ``<``, ``>``, ``&`` and
the line separators, and the script writes every name as a text node, never as markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import nearest_points

from boothopt.contract import Assignment
from boothopt.errors import BoothoptError
from boothopt.outputs.fonts import web_font_css
from boothopt.outputs.letters import BOOTH_TYPES
from boothopt.outputs.plan_svg import (
    CLEARANCES,
    NO_ZONE,
    clean_text,
    plan_layout,
    render_plan_svg,
    zone_colours,
)

DATA_DIR = Path(__file__).parent / "data"
#: A walking line keeps this far from booths, walls and obstacles (narrower gaps are not walked).
WALK_CLEAR_M = 0.45
#: Free floor wider than this between two edges gets several lines, at most LINE_SPACING_M apart.
SPLIT_GAP_M = 8.0
LINE_SPACING_M = 6.0
#: Dead ends this short are the ends of lines that cross an aisle between two booths: dropped.
STUB_M = 3.0
#: How far in front of a booth's side its aisle is looked for.
FRONT_REACH_M = 10.0
#: Coordinates are written in decimetres.
DM = 10.0
SIDES = 4  # south, east, north, west: a booth front's side index
#: What each booth's array in the page's data holds, in order. ``zone`` is an index into the
#: zones (-1: none), ``box`` the booth's bounds in decimetres, ``fronts`` (edge, thousandths
#: along it, side) triples run together (see :func:`booth_fronts`).
BOOTH_FIELDS = ("no", "hall", "ko", "en", "zone", "tier", "type", "box", "fronts")


@dataclass(frozen=True)
class WalkGraph:
    """The walking lines of one hall: nodes in venue metres, straight edges between them."""

    hall: str
    nodes: list[tuple[float, float]]
    edges: list[tuple[int, int]]
    doors: dict[str, int]  # entrance id -> its node

    def lines(self) -> list[LineString]:
        """Return each edge as a line, in edge order."""
        return [LineString([self.nodes[u], self.nodes[v]]) for u, v in self.edges]


def render_html(doc: Assignment) -> dict[str, bytes]:
    """Return ``{"floorplan.html": ...}``: the plan as one self-contained offline web page.

    Raises
    ------
    BoothoptError
        When the page's script or style is missing from the installed package.
    """
    return {"floorplan.html": map_page(doc).encode("utf-8")}


def script_json(data: object) -> str:
    """Return ``data`` as JSON that cannot end or confuse the ``<script>`` block it is put in.

    Examples
    --------
    >>> script_json({"name": "</script><b>&\\u2028"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, escaped)
    return text


def _asset(name: str) -> str:
    path = DATA_DIR / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise BoothoptError(
            f"export format html is not available: {path} is missing — reinstall boothopt "
            "(pip install .)"
        ) from None


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: Iterable[str], styles: Iterable[str]) -> str:
    """Return a policy that allows only the given inline scripts and styles, the page's own
    embedded fonts (``data:``), and no request."""
    script_src = " ".join(_csp_hash(s) for s in scripts)
    style_src = " ".join(_csp_hash(s) for s in styles)
    return (
        f"default-src 'none'; script-src {script_src}; style-src {style_src}; "
        "img-src 'none'; font-src data:; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def map_page(doc: Assignment) -> str:
    """Return the page's HTML text (see the module's description)."""
    script, style = _asset("map.js"), _asset("map.css")
    if re.search(r"</script|<!--", script, re.IGNORECASE) or "</style" in style.lower():
        raise BoothoptError("the map page's script or style would end its own element early")
    data = script_json(page_data(doc))
    svg = render_plan_svg(doc).strip()
    # Inline in HTML the SVG needs no namespace declaration: the page names no web address.
    svg = re.sub(r'^(<svg\b[^>]*?)\s+xmlns="[^"]*"', r"\1", svg, count=1)
    svg = svg.replace("<svg ", '<svg id="plan-svg" role="img" aria-label="floor plan" ', 1)
    # The page shows a booth's names on hover and tap itself: the SVG's tooltips would double them.
    svg = re.sub(r"<title>[^<]*</title>\n?", "", svg)
    event = clean_text(doc.event_ko) or clean_text(doc.event)
    names = [clean_text(doc.event_ko), clean_text(doc.event)]
    title = " · ".join(t for t in dict.fromkeys(names) if t)
    parts = {"event": event, "title": title, "svg": svg, "data": data, "script": script}
    # The Korean font goes in the page, cut to the letters the page has (all of them are in
    # the page drawn without it), so that no machine shows boxes for want of a Korean font.
    style = web_font_css(html.unescape(_page("", "", **parts))) + "\n" + style
    return _page(content_security_policy([script], [style]), style, **parts)


def _page(policy: str, style: str, event: str, title: str, svg: str, data: str, script: str) -> str:
    esc = html.escape
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<title>{esc(title or "부스 배치도 · Floor plan")}</title>
<style>{style}</style>
</head>
<body>
<header id="bar">
<h1 id="event-title">{esc(event)}</h1>
<button type="button" id="lang" aria-label="English">EN</button>
</header>
<div id="tools">
<input id="search" type="search" autocomplete="off" enterkeyhint="search"
 placeholder="부스·업체·구역 검색" aria-label="search">
<select id="entrance" aria-label="entrance"></select>
<nav id="halls" aria-label="halls"></nav>
</div>
<main id="map">
{svg}
<div id="zoom">
<button type="button" id="zoom-in" aria-label="+">+</button>
<button type="button" id="zoom-out" aria-label="-">−</button>
<button type="button" id="zoom-fit" aria-label="fit">⤢</button>
</div>
<div id="tip" hidden></div>
</main>
<aside id="panel">
<section id="details" hidden></section>
<p id="count"></p>
<ul id="results"></ul>
<details id="legend"><summary data-t="legend">구역 안내</summary><ul id="zones"></ul></details>
</aside>
<script type="application/json" id="boothopt-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""


def page_data(doc: Assignment) -> dict[str, Any]:
    """Return what the page's script reads, as JSON-ready data.

    Halls with the frame they are drawn in (see :class:`~boothopt.outputs.plan_svg.Frame`) and
    their walking graph (nodes as x, y decimetres run together, edges as node pairs run
    together), the entrances and their nodes, the zones and their colours, and the booths, one
    array each (:data:`BOOTH_FIELDS`).
    """
    layout = plan_layout(doc)
    colours = zone_colours(doc)
    zone_index = {z.id: n for n, z in enumerate(doc.zones)}
    halls: list[dict[str, Any]] = []
    entrances: list[dict[str, Any]] = []
    booths: list[list[Any]] = []
    for h in doc.halls:
        graph = walk_graph(doc, h.id)
        f = layout.frame(h.id)
        halls.append(
            {
                "id": clean_text(h.id),
                "name": clean_text(h.name),
                "ko": clean_text(h.name_ko),
                "level": clean_text(h.level),
                "frame": [f.minx, f.maxy, f.k, f.ox, f.oy],
                "nodes": [round(c * DM) for p in graph.nodes for c in p],
                "edges": [n for e in graph.edges for n in e],
            }
        )
        for e in doc.entrances:
            if e.hall == h.id and e.id in graph.doors:
                entrances.append(
                    {"id": clean_text(e.id), "hall": clean_text(h.id), "node": graph.doors[e.id]}
                )
        fronts = booth_fronts(doc, h.id, graph)
        for b in doc.booths:
            if b.hall != h.id:
                continue
            # One array a booth, to keep the page small: see BOOTH_FIELDS.
            booths.append(
                [
                    clean_text(b.booth_no),
                    len(halls) - 1,
                    clean_text(b.name_ko),
                    clean_text(b.name_en),
                    zone_index.get(b.zone, -1) if b.zone is not None else -1,
                    clean_text(b.tier),
                    clean_text(b.booth_type),
                    [round(v * DM) for v in Polygon(b.polygon).bounds],
                    [n for front in fronts.get(b.booth_no, []) for n in front],
                ]
            )
    return {
        "event": clean_text(doc.event),
        "event_ko": clean_text(doc.event_ko),
        "halls": halls,
        "entrances": entrances,
        "booth_fields": BOOTH_FIELDS,
        "booths": booths,
        "zones": [
            {
                "id": clean_text(z.id),
                "ko": clean_text(z.name_ko),
                "en": clean_text(z.name_en),
                "colour": colours[z.id],
            }
            for z in doc.zones
        ],
        "no_zone": NO_ZONE,
        "types": {k: list(v) for k, v in BOOTH_TYPES.items()},
    }


def _obstacles(doc: Assignment, hall: str) -> list[tuple[str, Polygon]]:
    """Return what stands on the floor of ``hall``: booths, reserved areas, columns and cores.

    Clear zones (in front of exits, entrances, hydrants) are floor a visitor walks on.
    """
    out: list[tuple[str, Polygon]] = []
    for b in doc.booths:
        if b.hall == hall:
            out.append((f"booth:{b.booth_no}", Polygon(b.polygon)))
    for r in doc.reserved:
        if r.hall == hall:
            out.append((f"reserved:{r.id}", Polygon(r.polygon)))
    for k in doc.blocked:
        if k.hall == hall and k.kind not in CLEARANCES:
            out.append((f"blocked:{k.kind}", Polygon(k.polygon)))
    return [(k, p if p.is_valid else p.buffer(0)) for k, p in out if not p.is_empty]


def midlines(edges: Iterable[float]) -> list[float]:
    """Return where walking lines run between edges: through the middle of each gap between two.

    A gap wider than ``SPLIT_GAP_M`` (open floor) gets lines about ``LINE_SPACING_M`` apart.

    Examples
    --------
    >>> midlines([0, 3, 6, 11, 23])
    [1.5, 4.5, 8.5, 14.0, 20.0]
    """
    xs = sorted(set(edges))
    out: list[float] = []
    for a, b in itertools.pairwise(xs):
        gap = b - a
        n = math.ceil(gap / LINE_SPACING_M) if gap > SPLIT_GAP_M else 1
        out += [round(a + gap * (i + 0.5) / n, 4) for i in range(n)]
    return out


def _key(pt: tuple[float, float]) -> tuple[float, float]:
    return (round(pt[0], 3), round(pt[1], 3))


def walk_graph(doc: Assignment, hall_id: str) -> WalkGraph:
    """Return the walking lines of hall ``hall_id`` of the assignment, its doors linked in.

    Examples
    --------
    Two rows of booths with a 3 m aisle between them, a door in the middle of the west wall:

    >>> from boothopt.contract import parse_assignment
    >>> box = lambda x0, y0, x1, y1: [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    >>> booth = lambda no, ring: {"booth_no": no, "hall": "T", "exhibitor_id": no,
    ...     "polygon": ring, "area_m2": 54, "modules": 6, "size_m": [18, 3]}
    >>> doc = parse_assignment({"schema": "boothopt.assignment/1",
    ...     "halls": [{"id": "T", "polygon": box(0, 0, 24, 15)}],
    ...     "booths": [booth("1", box(3, 3, 21, 6)), booth("2", box(3, 9, 21, 12))],
    ...     "entrances": [{"id": "E", "hall": "T", "at": [0, 7.5], "width_m": 3}]})
    >>> g = walk_graph(doc, "T")
    >>> sorted(g.nodes[v] for v in range(len(g.nodes)) if g.nodes[v][1] == 7.5)
    [(0.0, 7.5), (1.5, 7.5), (22.5, 7.5)]
    """
    outline = Polygon(doc.hall(hall_id).polygon)
    outline = outline if outline.is_valid else outline.buffer(0)
    obstacles = [p for _, p in _obstacles(doc, hall_id)]
    graph = nx.Graph()
    walkable = outline.difference(shapely.union_all(obstacles)) if obstacles else outline
    walkable = walkable.buffer(-WALK_CLEAR_M, join_style="mitre")
    if not walkable.is_empty:
        xs = [x for x, _ in outline.exterior.coords]
        ys = [y for _, y in outline.exterior.coords]
        for p in obstacles:
            x0, y0, x1, y1 = p.bounds
            xs += [x0, x1]
            ys += [y0, y1]
        minx, miny, maxx, maxy = outline.bounds
        lines = [LineString([(x, miny), (x, maxy)]) for x in midlines(round(x, 3) for x in xs)]
        lines += [LineString([(minx, y), (maxx, y)]) for y in midlines(round(y, 3) for y in ys)]
        pieces = shapely.intersection(shapely.set_precision(lines, 1e-3), walkable)
        noded = shapely.union_all(shapely.set_precision(pieces, 1e-3))
        for part in getattr(noded, "geoms", [noded]):
            if part.geom_type != "LineString" or part.length < 1e-6:
                continue
            coords = list(part.coords)
            for a, b in itertools.pairwise(coords):
                u, v = _key(a), _key(b)
                if u != v:
                    graph.add_edge(u, v)
        _tidy(graph)
    doors: dict[str, tuple[float, float]] = {}
    for e in doc.entrances:
        if e.hall == hall_id:
            doors[e.id] = _link_door(graph, e.at)
    if doors:  # floor shut in by booths, reached from no door, is left out
        reached = set().union(*(nx.node_connected_component(graph, n) for n in doors.values()))
        graph.remove_nodes_from([n for n in list(graph.nodes) if n not in reached])
    index = {n: k for k, n in enumerate(graph.nodes)}
    return WalkGraph(
        hall=hall_id,
        nodes=[(float(x), float(y)) for x, y in graph.nodes],
        edges=[(index[u], index[v]) for u, v in graph.edges],
        doors={d: index[n] for d, n in doors.items()},
    )


def _length(u: tuple[float, float], v: tuple[float, float]) -> float:
    return math.hypot(v[0] - u[0], v[1] - u[1])


def _tidy(graph: nx.Graph) -> None:
    """Drop short dead ends and join straight runs, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for n in list(graph.nodes):
            if n not in graph:
                continue
            nbrs = list(graph.neighbors(n))
            if len(nbrs) == 1 and _length(n, nbrs[0]) <= STUB_M:
                graph.remove_node(n)
                changed = True
            elif len(nbrs) == 2:
                (ax, ay), (bx, by) = nbrs
                cross = (ax - n[0]) * (by - n[1]) - (ay - n[1]) * (bx - n[0])
                if abs(cross) < 1e-6 and not graph.has_edge(nbrs[0], nbrs[1]):
                    graph.remove_node(n)
                    graph.add_edge(nbrs[0], nbrs[1])
                    changed = True
            elif not nbrs:
                graph.remove_node(n)
                changed = True


def _link_door(graph: nx.Graph, at: tuple[float, float]) -> tuple[float, float]:
    """Link the door at ``at`` to its nearest walking line (cut there); return its node."""
    door = _key(at)
    edges = list(graph.edges)
    if not edges:
        graph.add_node(door)
        return door
    lines = [LineString([u, v]) for u, v in edges]
    best = shapely.STRtree(lines).nearest(Point(door))
    u, v = edges[int(best)]
    line = lines[int(best)]
    q = _key(line.interpolate(line.project(Point(door))).coords[0])
    if q not in (u, v):
        graph.remove_edge(u, v)
        graph.add_edge(u, q)
        graph.add_edge(q, v)
    if q != door:
        graph.add_edge(door, q)
    return door


def _side(box: tuple[float, float, float, float], side: int) -> tuple[Point, tuple[float, float]]:
    """Return the middle of a booth's side (0 south, 1 east, 2 north, 3 west) and its normal."""
    x0, y0, x1, y1 = box
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    return [
        (Point(mx, y0), (0.0, -1.0)),
        (Point(x1, my), (1.0, 0.0)),
        (Point(mx, y1), (0.0, 1.0)),
        (Point(x0, my), (-1.0, 0.0)),
    ][side]


def booth_fronts(doc: Assignment, hall_id: str, graph: WalkGraph) -> dict[str, list[list[int]]]:
    """Return, per booth of the hall, where it is walked to from: ``[edge, t, side]`` each.

    A front is the point ``t`` thousandths along ``edge`` (from its first node) straight out
    from the middle of the booth's ``side`` (0 south, 1 east, 2 north, 3 west), the way to it
    free of other booths. A booth with no such side (every side closed) is walked to from the
    walking line nearest to it, on the side nearest to that.
    """
    lines = graph.lines()
    if not lines:
        return {}
    tree = shapely.STRtree(lines)
    obstacles = _obstacles(doc, hall_id)
    blockers = [p for _, p in obstacles]
    names = [k for k, _ in obstacles]
    blockers.append(Polygon(doc.hall(hall_id).polygon).exterior)
    names.append("wall")
    obstacle_tree = shapely.STRtree(blockers)
    out: dict[str, list[list[int]]] = {}
    for b in doc.booths:
        if b.hall != hall_id:
            continue
        poly = Polygon(b.polygon)
        box = poly.bounds
        me = f"booth:{b.booth_no}"
        fronts: list[list[int]] = []
        for side in range(SIDES):
            mid, (nx_, ny_) = _side(box, side)
            ray = LineString(
                [
                    (mid.x + nx_ * 1e-3, mid.y + ny_ * 1e-3),
                    (mid.x + nx_ * FRONT_REACH_M, mid.y + ny_ * FRONT_REACH_M),
                ]
            )
            hit = _first_hit(ray, mid, tree.query(ray, predicate="intersects"), lines)
            if hit is None:
                continue
            dist, edge, point = hit
            blocked = False
            for k in obstacle_tree.query(ray, predicate="intersects"):
                if names[int(k)] == me:
                    continue
                if mid.distance(ray.intersection(blockers[int(k)])) < dist - 1e-6:
                    blocked = True
                    break
            if not blocked:
                fronts.append([edge, _along(lines[edge], point), side])
        if not fronts:
            edge = int(tree.nearest(poly))
            point = nearest_points(lines[edge], poly)[0]
            side = min(range(SIDES), key=lambda s: _side(box, s)[0].distance(point))
            fronts.append([edge, _along(lines[edge], point), side])
        out[b.booth_no] = fronts
    return out


def _first_hit(
    ray: LineString, mid: Point, candidates: Iterable[Any], lines: list[LineString]
) -> tuple[float, int, Point] | None:
    """Return the distance from ``mid``, the edge and the point where ``ray`` first meets a line."""
    best: tuple[float, int, Point] | None = None
    for k in candidates:
        meet = ray.intersection(lines[int(k)])
        if meet.is_empty:
            continue
        point = nearest_points(meet, mid)[0]
        dist = mid.distance(point)
        if best is None or dist < best[0]:
            best = (dist, int(k), point)
    return best


def _along(line: LineString, point: Point) -> int:
    """Return how far along ``line`` ``point`` lies, in thousandths of its length."""
    return round(1000 * line.project(point, normalized=True)) if line.length > 0 else 0
