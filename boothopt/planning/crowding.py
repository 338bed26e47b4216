"""Forecast how crowded each aisle is at the show's busiest hour, and draw it on the plan.

The model, in the order it is computed (figures and their sources in ``docs/crowding.md``):

1. **Peak on the floor** by Little's law: people present = arrival rate x time each stays. The
   busiest hour's arrivals are ``total / days x peak_hour_share`` visitors an hour, each staying
   ``dwell_h`` hours, so ``peak_on_floor = total / days x peak_hour_share x dwell_h``. Defaults: 3
   show days (every Smart Life Week so far), 15 % of a day's visitors in its busiest hour and a
   1.5-hour stay. Together they put the 2024 edition (about 30,000 visitors, COEX Halls B2 and C,
   about 14,000 m² gross) at 6.2 m² of hall per person at the peak, inside the 6.1-6.3 m² per
   person measured at peaks in Korean exhibition halls.
2. **Who draws them**: each booth draws a share of the peak in proportion to its *attraction*,
   its area times its tier's weight: 2.0 for the best tier down in even steps to 1.0 for the last
   (platinum 2, gold 1.67, silver 1.33, standard 1 with the default tiers).
3. **Stands and aisles**: half of a booth's visitors are inside its stand, but never more than one
   per 4 m² of stand (Koelnmesse's first estimate of a stand's capacity); the rest, and any
   overflow, are in the aisles.
4. **Where in the aisles**: half of those in the aisles stand at the booth's front, on the aisle
   segments its open sides face (a segment faces a booth when its centre line is within half the
   aisle's width, plus 0.1 m, of the booth's edge), shared by the length of booth edge along each.
   The other half walk: they come from the hall's entrances (shared by door width) along the
   shortest path over the aisle graph to the booth's front, spread evenly along the path.
5. **Density and level**: people on a segment / its area (centre-line length x aisle width) =
   m² per person, graded by the walkway levels of service: A above 5.6, B 3.7-5.6, C 2.2-3.7,
   D 1.4-2.2, E 0.75-1.4, F 0.75 or less (Fruin's levels as the Highway Capacity Manual states them
   for walkways). For comparison, building codes allow at most one person per 0.65 m² of standing
   floor.

Door links (the short pieces from a door to its aisle) are walked but not graded: their floor is
the aisle's they join. Stages and lounges draw nobody here, and a hall laid out as open floor (no
aisles) has no segments: its aisle crowd is counted in ``peak_on_floor`` only.

Examples
--------
>>> v = Visitors(30_000)
>>> v.daily, round(v.peak_on_floor)
(10000.0, 2250)
>>> walkway_level(6.2), walkway_level(3.0), walkway_level(0.7)
('A', 'C', 'F')
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import shapely
from shapely.geometry import LineString, Point, Polygon

from boothopt.solver.problem import Problem

if TYPE_CHECKING:
    from boothopt.contract import Assignment
    from boothopt.floorplan.grid import HallGrid
    from boothopt.inputs.domain import Event
    from boothopt.outputs.plan_svg import Frame

# Smart Life Week has run three days each year (10-12 Oct 2024, 30 Sep-2 Oct 2025).
DEFAULT_DAYS = 3
# A show day of 7-8 opening hours spreads arrivals at 12.5-14 % an hour; the busiest hour takes a
# little more. With DEFAULT_DWELL_H this reproduces the measured Korean peaks (module docstring).
DEFAULT_PEAK_HOUR_SHARE = 0.15
# Hours a visitor stays on the exhibition floor. Trade visitors at US shows spend 8.3 hours over
# 2.3 days on the floor (CEIR, about 3.6 hours a day); a free city-and-technology show is visited
# more briefly.
DEFAULT_DWELL_H = 1.5
# Share of a booth's visitors inside its stand (the rest are in the aisles in front or walking).
STAND_SHARE = 0.5
# Koelnmesse's first estimate of a stand's capacity: one person per 4 m² of open stand area.
STAND_M2_PER_PERSON = 4.0
# Share of the aisle crowd standing at the booth fronts; the rest walk from the entrances.
FRONT_SHARE = 0.5
# Attraction per m² of the best tier relative to the last; tiers between are spaced evenly.
TOP_TIER_DRAW = 2.0
# The densest occupant load building codes allow for standing or chairs-only assembly floor.
CODE_CEILING_M2_PER_PERSON = 0.65
# A segment faces a booth when its centre line is this much beyond half its width from the booth.
REACH_TOL_M = 0.1
MAX_HOT_SPOTS = 10

LEVELS = ("A", "B", "C", "D", "E", "F")
# Walkway levels of service: the level is the first whose floor the m² per person is above.
LEVEL_FLOORS_M2 = (("A", 5.6), ("B", 3.7), ("C", 2.2), ("D", 1.4), ("E", 0.75))
LEVEL_COLOURS = {
    "A": "#1a9850",
    "B": "#91cf60",
    "C": "#d9ef8b",
    "D": "#fee08b",
    "E": "#fc8d59",
    "F": "#d73027",
}
LEVEL_TEXT = {
    "A": "free walking",
    "B": "minor conflicts",
    "C": "speed somewhat restricted",
    "D": "speed restricted, frequent conflicts",
    "E": "shuffling, frequent stops",
    "F": "flow breaks down",
}
HEAT_OPACITY = 0.75


@dataclass(frozen=True)
class Visitors:
    """The expected attendance and how it arrives and stays.

    ``total`` is the visitors over the whole show, spread evenly over ``days``;
    ``peak_hour_share`` of a day's visitors arrive in its busiest hour and each stays ``dwell_h``
    hours on the exhibition floor.
    """

    total: int
    days: int = DEFAULT_DAYS
    peak_hour_share: float = DEFAULT_PEAK_HOUR_SHARE
    dwell_h: float = DEFAULT_DWELL_H

    def __post_init__(self) -> None:
        if not (isinstance(self.total, int | float) and math.isfinite(self.total)) or (
            self.total < 0
        ):
            raise ValueError(f"visitors must be a number of people, 0 or more (got {self.total})")
        if self.days < 1:
            raise ValueError(f"a show lasts at least 1 day (got {self.days})")
        if not 0 < self.peak_hour_share <= 1:
            raise ValueError(
                f"the peak hour's share of a day's visitors is above 0 and at most 1 "
                f"(got {self.peak_hour_share})"
            )
        if not (math.isfinite(self.dwell_h) and self.dwell_h > 0):
            raise ValueError(
                f"the stay on the floor is a positive number of hours ({self.dwell_h})"
            )

    @classmethod
    def for_event(
        cls,
        total: int,
        event: Event,
        peak_hour_share: float = DEFAULT_PEAK_HOUR_SHARE,
        dwell_h: float = DEFAULT_DWELL_H,
    ) -> Visitors:
        """Return the visitors of ``event``: its ``dates`` give the days (else the default).

        Examples
        --------
        >>> import datetime as dt
        >>> from types import SimpleNamespace
        >>> ev = SimpleNamespace(dates=(dt.date(2024, 10, 10), dt.date(2024, 10, 12)))
        >>> Visitors.for_event(30_000, ev).days
        3
        """
        days = (event.dates[1] - event.dates[0]).days + 1 if event.dates else DEFAULT_DAYS
        return cls(total, days, peak_hour_share, dwell_h)

    @property
    def daily(self) -> float:
        """Return the visitors of one show day."""
        return self.total / self.days

    @property
    def peak_on_floor(self) -> float:
        """Return the visitors on the floor at the busiest hour (Little's law)."""
        return self.daily * self.peak_hour_share * self.dwell_h


@dataclass(frozen=True)
class Segment:
    """One piece of aisle between two junctions, with its crowd at the peak."""

    hall: str
    coords: tuple[tuple[float, float], ...]  # the aisle centre line, venue metres
    width_m: float
    area_m2: float
    people: float  # visitors on it at the peak
    m2_per_person: float  # area_m2 / people (inf when nobody)
    level: str  # walkway level of service "A".."F"
    between: tuple[str, str]  # booths left and right of the centre line ("" for none)

    @property
    def name(self) -> str:
        """Return the segment as a floor manager names it: by the booths on either side.

        Examples
        --------
        >>> s = Segment("C", ((0, 0), (9, 0)), 3, 27, 9, 3, "C", ("C-404", "C-412"))
        >>> s.name
        'aisle between C-404 and C-412'
        >>> s.__class__("C", s.coords, 3, 27, 0, math.inf, "A", ("", "C-404")).name
        'aisle beside C-404'
        """
        named = [b for b in self.between if b]
        if len(named) == 2:
            return f"aisle between {named[0]} and {named[1]}"
        if named:
            return f"aisle beside {named[0]}"
        return f"aisle in hall {self.hall}"

    @property
    def over_code_ceiling(self) -> bool:
        """Return True when the segment is denser than building codes allow anywhere."""
        return self.m2_per_person < CODE_CEILING_M2_PER_PERSON


@dataclass(frozen=True)
class Forecast:
    """The crowding forecast of one layout at the busiest hour."""

    visitors: Visitors
    peak_on_floor: float  # visitors on the floor at the peak
    segments: tuple[Segment, ...]
    hot_spots: tuple[Segment, ...]  # the most crowded, worst first (at most MAX_HOT_SPOTS)
    share_by_level: dict[str, float] = field(default_factory=dict)  # share of aisle area
    worst_level: str = "A"

    @property
    def on_aisles(self) -> float:
        """Return the visitors in the graded aisles at the peak (the rest are in stands)."""
        return sum(s.people for s in self.segments)


def walkway_level(m2_per_person: float) -> str:
    """Return the walkway level of service ("A".."F") of a crowd with this much room each.

    Examples
    --------
    >>> [walkway_level(m) for m in (math.inf, 5.61, 5.6, 3.7, 2.2, 1.4, 0.75, 0.1)]
    ['A', 'A', 'B', 'C', 'D', 'E', 'F', 'F']
    """
    for level, floor in LEVEL_FLOORS_M2:
        if m2_per_person > floor:
            return level
    return "F"


def tier_draw(tier: str, tiers: tuple[str, ...]) -> float:
    """Return a tier's attraction per m²: ``TOP_TIER_DRAW`` for the best, 1 for the last.

    Examples
    --------
    >>> tiers = ("platinum", "gold", "silver", "standard")
    >>> [round(tier_draw(t, tiers), 3) for t in tiers]
    [2.0, 1.667, 1.333, 1.0]
    >>> tier_draw("unknown", tiers), tier_draw("only", ("only",))
    (1.0, 1.0)
    """
    if tier not in tiers or len(tiers) < 2:
        return 1.0
    rank = tiers.index(tier)
    return 1.0 + (TOP_TIER_DRAW - 1.0) * (len(tiers) - 1 - rank) / (len(tiers) - 1)


# --- the forecast -----------------------------------------------------------------------------


@dataclass
class _Aisle:
    """A graded aisle segment while people are put on it."""

    hall: str
    edge: int  # index in the hall grid's aisle_edges
    line: LineString
    width_m: float
    people: float = 0.0
    # side (+1 left, -1 right) -> booth number -> people it stands at its front here
    fronts: dict[int, dict[str, float]] = field(default_factory=lambda: {1: {}, -1: {}})


@dataclass(frozen=True)
class _Face:
    """An aisle segment a booth faces: where along it, how much of it and on which side."""

    aisle: int  # index into the forecast's aisles
    length_m: float  # booth edge along the segment
    t_mid: float  # distance along the centre line to the middle of the booth's front
    side: int  # +1 when the booth is left of the centre line, -1 when right


class _Hall:
    """One hall's aisle segments and the walks from its entrances, computed once."""

    def __init__(self, hall: str, grid: HallGrid, first: int) -> None:
        self.grid = grid
        self.aisles = [
            _Aisle(hall, k, e.line, float(e.width_m))
            for k, e in enumerate(grid.aisle_edges)
            if e.kind != "door"
        ]
        self.first = first  # global index of this hall's first aisle
        self.by_edge = {a.edge: first + n for n, a in enumerate(self.aisles)}
        self.tree = shapely.STRtree([a.line for a in self.aisles]) if self.aisles else None
        self.reach = max((a.width_m for a in self.aisles), default=0.0) / 2 + REACH_TOL_M
        self.walks = self._door_walks()

    def _door_walks(self) -> list[tuple[float, dict[int, float], dict[int, list[int]]]]:
        """Return each reachable entrance's width, walk to every node and shortest paths."""
        graph = self.grid.graph
        nodes = [
            (n, Point(pos))
            for n, pos in graph.nodes(data="pos")
            if graph.nodes[n].get("kind") == "entrance"
        ]
        out = []
        for door in self.grid.hall.entrances:
            here = Point(door.at)
            near = [n for n, p in nodes if p.distance(here) < 1e-3]
            if near and graph.degree(near[0]) > 0:
                dist, paths = nx.single_source_dijkstra(graph, near[0], weight="length")
                out.append((float(door.width_m), dist, paths))
        return out

    def faces(self, booth: Polygon) -> list[_Face]:
        """Return the segments the booth's open sides face (the nearest one if none is in reach)."""
        if self.tree is None:
            return []
        in_reach = []
        for n in sorted(int(i) for i in self.tree.query(booth, "dwithin", self.reach)):
            a = self.aisles[n]
            if booth.distance(a.line) <= a.width_m / 2 + REACH_TOL_M:
                ts = [a.line.project(Point(c)) for c in booth.exterior.coords[:-1]]
                in_reach.append((n, max(ts) - min(ts), (max(ts) + min(ts)) / 2))
        chosen = [f for f in in_reach if f[1] > 1e-9]
        if not chosen:  # no booth edge along any of them: share evenly
            if not in_reach:
                n = int(self.tree.nearest(booth))
                in_reach = [(n, 0.0, self.aisles[n].line.project(booth.centroid))]
            chosen = [(n, 1.0, t) for n, _, t in in_reach]
        return [
            _Face(self.first + n, length, t, _side(self.aisles[n].line, booth))
            for n, length, t in chosen
        ]

    def walk(self, faces: list[_Face], walkers: float, aisles: list[_Aisle]) -> bool:
        """Spread ``walkers`` along the shortest walks from the doors to the booth's front.

        The doors share them by width (among those that reach the booth). Return False when no
        door reaches it (nothing is spread).
        """
        routes = []
        for width, dist, paths in self.walks:
            best: tuple[float, int, float, _Face] | None = None  # walk, via node, last piece
            for f in faces:
                e = self.grid.aisle_edges[aisles[f.aisle].edge]
                length = aisles[f.aisle].line.length
                for node, piece in ((e.u, f.t_mid), (e.v, length - f.t_mid)):
                    walk = dist.get(node, math.inf) + piece
                    if math.isfinite(walk) and (best is None or walk < best[0] - 1e-9):
                        best = (walk, node, piece, f)
            if best is not None:
                routes.append((width, paths[best[1]], best[2], best[3]))
        total_width = sum(r[0] for r in routes)
        if not routes or total_width <= 0:
            return False
        graph = self.grid.graph
        for width, path, piece, face in routes:
            pieces: list[tuple[int, float]] = []
            for a, b in itertools.pairwise(path):
                edge = graph[a][b]
                if self.grid.aisle_edges[edge["index"]].kind != "door":
                    pieces.append((self.by_edge[edge["index"]], float(edge["length"])))
            pieces.append((face.aisle, piece))
            share = walkers * width / total_width
            length = sum(p for _, p in pieces)
            if length <= 1e-9:
                aisles[face.aisle].people += share
                continue
            for aisle, p in pieces:
                aisles[aisle].people += share * p / length
        return True


def _side(line: LineString, booth: Polygon) -> int:
    """Return +1 when ``booth`` lies left of ``line``'s direction, -1 when right."""
    c = booth.centroid
    t = line.project(c)
    step = min(0.5, line.length / 2)
    a = line.interpolate(max(t - step, 0.0))
    b = line.interpolate(min(t + step, line.length))
    p = line.interpolate(t)
    cross = (b.x - a.x) * (c.y - p.y) - (b.y - a.y) * (c.x - p.x)
    return 1 if cross >= 0 else -1


def forecast(problem: Problem, assignment: Assignment, visitors: Visitors) -> Forecast:
    """Return the crowding forecast of a layout for the expected ``visitors``.

    ``problem`` gives the halls' aisle graphs and the event's tiers, ``assignment`` the booths
    (as :func:`boothopt.allocate` returns it in ``layout``). See the module docstring for the
    model.
    """
    halls: dict[str, _Hall] = {}
    aisles: list[_Aisle] = []
    for hall_id, grid in problem.grids.items():
        halls[hall_id] = _Hall(hall_id, grid, len(aisles))
        aisles += halls[hall_id].aisles
    peak = visitors.peak_on_floor
    booths = [b for b in assignment.booths if b.hall in halls]
    weights = [b.area_m2 * tier_draw(b.tier, problem.event.tiers) for b in booths]
    total_weight = sum(weights)
    if total_weight <= 0:  # no booth draws anyone: the crowd spreads evenly over the aisles
        area = sum(a.line.length * a.width_m for a in aisles)
        for a in aisles:
            a.people = peak * a.line.length * a.width_m / area if area > 0 else 0.0
    for booth, weight in zip(booths, weights, strict=True):
        if weight <= 0:
            continue
        hall = halls[booth.hall]
        poly = Polygon(booth.polygon)
        faces = hall.faces(poly)
        if not faces:
            continue  # open floor: its visitors are on the floor but in no aisle
        drawn = peak * weight / total_weight
        inside = min(STAND_SHARE * drawn, booth.area_m2 / STAND_M2_PER_PERSON)
        in_aisles = drawn - inside
        front = FRONT_SHARE * in_aisles
        if not hall.walk(faces, in_aisles - front, aisles):
            front = in_aisles  # no entrance reaches it: its walkers stay at its front
        along = sum(f.length_m for f in faces)
        for f in faces:
            here = front * f.length_m / along
            aisles[f.aisle].people += here
            fronts = aisles[f.aisle].fronts[f.side]
            fronts[booth.booth_no] = fronts.get(booth.booth_no, 0.0) + here
    segments = tuple(_segment(a) for a in aisles)
    return _summary(visitors, peak, segments)


def _segment(a: _Aisle) -> Segment:
    area = a.line.length * a.width_m
    m2pp = area / a.people if a.people > 1e-12 else math.inf
    left, right = (_most(a.fronts[side]) for side in (1, -1))
    return Segment(
        hall=a.hall,
        coords=tuple((round(float(x), 3), round(float(y), 3)) for x, y in a.line.coords),
        width_m=a.width_m,
        area_m2=area,
        people=a.people,
        m2_per_person=m2pp,
        level=walkway_level(m2pp),
        between=(left, right),
    )


def _most(fronts: dict[str, float]) -> str:
    """Return the booth that stands the most people here (the first booth number on a tie)."""
    if not fronts:
        return ""
    return min(fronts, key=lambda b: (-fronts[b], b))


def _summary(visitors: Visitors, peak: float, segments: tuple[Segment, ...]) -> Forecast:
    crowded = [n for n, s in enumerate(segments) if s.people > 1e-12]
    crowded.sort(key=lambda n: (segments[n].m2_per_person, n))
    area = sum(s.area_m2 for s in segments)
    share = {
        level: (sum(s.area_m2 for s in segments if s.level == level) / area if area > 0 else 0.0)
        for level in LEVELS
    }
    worst = max((s.level for s in segments), default="A")
    return Forecast(
        visitors=visitors,
        peak_on_floor=peak,
        segments=segments,
        hot_spots=tuple(segments[n] for n in crowded[:MAX_HOT_SPOTS]),
        share_by_level=share,
        worst_level=worst,
    )


# --- the heat layer ---------------------------------------------------------------------------


def heat_layer_svg(fc: Forecast, hall: str, transform: Frame | None = None) -> str:
    """Return an SVG ``<g>`` of the hall's aisle segments as strokes coloured by level.

    ``transform`` is the frame the plan draws the hall in,
    ``boothopt.outputs.plan_svg.plan_layout(assignment).frame(hall)``: the strokes then lie on
    the plan's aisles, each as wide as its aisle (``width_m`` x the frame's pixels per metre).
    Without it the layer is drawn in venue metres (x east, y north, one unit a metre). Each stroke
    has its level in ``data-level`` and a ``<title>`` naming it (shown on hover); every text is
    escaped.

    Examples
    --------
    >>> s = Segment("C", ((0, 0), (9, 0)), 3, 27, 9, 3, "C", ("C-1", ""))
    >>> fc = Forecast(Visitors(100), 9, (s,), (s,), {"C": 1.0}, "C")
    >>> print(heat_layer_svg(fc, "C"))  # doctest: +NORMALIZE_WHITESPACE
    <g class="crowding" data-hall="C">
    <path class="crowding-aisle" data-level="C" d="M0,0 L9,0" fill="none" stroke="#d9ef8b"
     stroke-width="3" stroke-opacity="0.75"><title>aisle beside C-1: 3.0 m² per person,
     level C</title></path>
    </g>
    """
    k = transform.k if transform is not None else 1.0
    parts = [f'<g class="crowding" data-hall={quoteattr(_clean(hall))}>']
    for s in fc.segments:
        if s.hall != hall:
            continue
        points = [transform.pt(x, y) if transform is not None else (x, y) for x, y in s.coords]
        d = "M" + " L".join(f"{_fmt(px)},{_fmt(py)}" for px, py in points)
        room = f"{s.m2_per_person:.1f} m² per person" if math.isfinite(s.m2_per_person) else "empty"
        title = escape(_clean(f"{s.name}: {room}, level {s.level}"))
        parts.append(
            f'<path class="crowding-aisle" data-level="{s.level}" d="{d}" fill="none" '
            f'stroke="{LEVEL_COLOURS[s.level]}" stroke-width="{_fmt(s.width_m * k)}" '
            f'stroke-opacity="{HEAT_OPACITY}"><title>{title}</title></path>'
        )
    parts.append("</g>")
    return "\n".join(parts)


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _clean(text: object) -> str:
    """Return ``text`` without control characters (XML cannot hold them)."""
    return "".join(ch for ch in str(text) if unicodedata.category(ch) not in ("Cc", "Cs"))
