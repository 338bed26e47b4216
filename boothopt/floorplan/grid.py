"""Lay a hall out as blocks of booth modules separated by aisles.

The layout follows the way show floors are drawn by hand: blocks of back-to-back rows (two modules
deep by default) run along the hall's long side, separated by side aisles; rows are cut into
segments of at most ``max_row_m`` by cross aisles; a few aisles, and the aisle along the walls, are
main aisles. Cells that would touch an obstacle, the clear zone of an exit, an entrance or a hydrant
are left out. Counts of segments and bands are chosen to put the most modules on the floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.ops import nearest_points

from boothopt.floorplan.venue import Hall

STANDARD_BOOTH_M = 3.0


@dataclass(frozen=True)
class AisleScheme:
    """How a hall is cut into blocks and aisles; widths and lengths in metres.

    ``kind="none"`` is an open floor: one block over the whole hall, no aisles.
    """

    kind: Literal["rows", "none"] = "rows"
    module_m: float = 3.0
    block_depth_modules: int = 2
    max_row_m: float = 30.0
    side_aisle_m: float = 3.0
    cross_aisle_m: float = 3.0
    main_aisle_m: float = 5.0
    perimeter_aisle_m: float = 5.0
    main_aisle_spacing_m: float = 60.0
    orientation: Literal["auto", "x", "y"] = "auto"
    entrance_clear_m: float = 4.0
    exit_clear_m: float = 1.0
    exit_approach_m: float = 3.0
    hydrant_clear_m: float = 1.0
    # Feature bands: deeper bands for large stands and reserved areas, along the entrance wall.
    feature_bands: int = 0
    feature_depth_modules: int = 6

    def __post_init__(self) -> None:
        if self.module_m <= 0:
            raise ValueError("module_m must be positive")
        if self.block_depth_modules < 1:
            raise ValueError("block_depth_modules must be at least 1")
        if self.kind == "rows" and self.max_row_m < self.module_m:
            raise ValueError("max_row_m must be at least one module")


@dataclass(frozen=True)
class BlockedArea:
    """A part of the floor no booth may touch, and why."""

    kind: str  # exit-clearance, entrance-clearance, hydrant-clearance, column, core, ...
    polygon: Polygon
    ref: str = ""


@dataclass(frozen=True)
class Block:
    """A rectangle of module cells with aisles around it; booths never cross a block's edge.

    The block's lattice has ``n_along`` modules along its rows and ``n_deep`` across; some lattice
    positions may be missing (a column, a clear zone), so ``cells`` lists those that exist.
    """

    id: int
    axis: Literal["x", "y"]  # the venue axis the rows run along
    origin: tuple[float, float]  # venue coordinates of lattice corner (0, 0)
    n_along: int
    n_deep: int
    cells: tuple[int, ...]


@dataclass(frozen=True)
class AisleEdge:
    """A piece of aisle centre line between two graph nodes."""

    u: int
    v: int
    line: LineString
    width_m: float
    kind: str  # main, side, cross, perimeter, door


@dataclass
class HallGrid:
    """The booth grid of one hall: cells, blocks, blocked areas and the aisle graph."""

    hall: Hall
    scheme: AisleScheme
    cell_boxes: np.ndarray  # (n, 4) x0, y0, x1, y1 in venue metres
    cell_block: np.ndarray  # (n,) block id
    cell_ij: np.ndarray  # (n, 2) lattice position (along, deep) within the block
    cell_open_sides: np.ndarray  # (n,) sides facing an aisle (0-4)
    blocks: tuple[Block, ...]
    blocked: tuple[BlockedArea, ...]
    aisle_edges: tuple[AisleEdge, ...]
    graph: nx.Graph
    exit_walk_m: np.ndarray  # (n,) walk to the nearest way out: an exit or an entrance
    entrance_walk_m: np.ndarray  # (n,) walking distance to the nearest entrance

    @property
    def n_cells(self) -> int:
        """Return the number of module cells."""
        return int(self.cell_boxes.shape[0])

    @property
    def module_m(self) -> float:
        """Return the module edge length in metres."""
        return self.scheme.module_m

    @property
    def usable_m2(self) -> float:
        """Return the floor area booths can stand on."""
        return self.n_cells * self.module_m**2

    @property
    def aisle_length_m(self) -> float:
        """Return the total length of aisle centre lines (door links excluded)."""
        return float(sum(e.line.length for e in self.aisle_edges if e.kind != "door"))

    @property
    def max_exit_walk_m(self) -> float:
        """Return the longest walk from any cell to its nearest exit (inf if one is cut off)."""
        return float(self.exit_walk_m.max()) if self.n_cells else 0.0

    def cell_polygons(self) -> list[Polygon]:
        """Return each cell as a Shapely box."""
        return list(shapely.box(*self.cell_boxes.T))

    def booth_capacity(self) -> int:
        """Return how many standard 3 m x 3 m booths fit on the cells.

        With the default 3 m module every cell is one booth; with a finer module (1 m, 1.5 m) each
        block is tiled row by row with squares of the booth's size.
        """
        k = STANDARD_BOOTH_M / self.module_m
        if abs(k - round(k)) > 1e-9 or round(k) < 1:
            return int(self.usable_m2 // STANDARD_BOOTH_M**2)
        k_int = round(k)
        if k_int == 1:
            return self.n_cells
        total = 0
        for block in self.blocks:
            mask = np.zeros((block.n_along, block.n_deep), dtype=bool)
            for c in block.cells:
                i, j = self.cell_ij[c]
                mask[i, j] = True
            for j in range(0, block.n_deep - k_int + 1, k_int):
                i = 0
                while i <= block.n_along - k_int:
                    if mask[i : i + k_int, j : j + k_int].all():
                        total += 1
                        i += k_int
                    else:
                        i += 1
        return total


# --- one-dimensional layout -------------------------------------------------------------------


@dataclass(frozen=True)
class _Axis:
    """Segments (start, modules) and gaps (start, width, kind) along one axis."""

    segments: tuple[tuple[float, int], ...]
    gaps: tuple[tuple[float, float, str], ...]


def layout_axis(
    start: float,
    length: float,
    unit: float,
    seg_min: int,
    seg_max: int,
    gap: float,
    main_gap: float,
    main_spacing: float,
    edge_gap: float,
    gap_kind: str,
    fixed: tuple[int, ...] = (),
    fixed_at_end: bool = False,
) -> _Axis:
    """Cut ``length`` into segments of whole units separated by gaps, most units first.

    The two edge gaps (along the walls) are ``edge_gap`` wide plus half of whatever is left over,
    so the layout sits centred in the hall. Main gaps (``main_gap`` wide) are spread evenly, one
    per ``main_spacing`` of length. ``fixed`` segments (feature bands for large stands) go
    first, the next last, and so on (mirrored with ``fixed_at_end``) as far as they fit; the
    rest is filled as above.

    Examples
    --------
    >>> a = layout_axis(0, 144, 3, 1, 10, 3, 5, 60, 5, "cross")
    >>> [n for _, n in a.segments]
    [10, 10, 10, 10]
    >>> [n for _, n in layout_axis(0, 72, 3, 1, 2, 3, 5, 60, 5, "side", fixed=(6,)).segments]
    [6, 2, 2, 2, 2, 1]
    """
    inner = length - 2 * edge_gap
    k_target = max(0, math.ceil(inner / main_spacing) - 1) if main_spacing > 0 else 0
    while fixed and sum(fixed) * unit + (len(fixed) - 1) * gap > inner + 1e-9:
        fixed = fixed[:-1]  # feature bands that do not fit are dropped, largest floor first
    fixed_units = sum(fixed)
    best: tuple[int, int, int] | None = None  # (modules, -segments, k)
    for n in range(0 if fixed else 1, int(inner // unit) + 2):
        total = n + len(fixed)
        k = min(total - 1, k_target)
        gaps_total = (total - 1 - k) * gap + k * main_gap
        room = math.floor((inner - gaps_total) / unit + 1e-9) - fixed_units
        modules = min(room, n * seg_max)
        if modules < n * seg_min or room < 0:
            if gaps_total > inner:
                break
            continue
        cand = (modules + fixed_units, -total, k)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is None:
        return _Axis((), ((start, length, "perimeter"),))
    modules, neg_total, k = best
    total = -neg_total
    n = total - len(fixed)
    normal = modules - fixed_units
    sizes = [normal // n + (1 if i < normal % n else 0) for i in range(n)] if n else []
    # Feature bands alternate: the first along the chosen wall, the next along the opposite one.
    near, far = list(fixed[0::2]), list(fixed[1::2])
    if fixed_at_end:
        near, far = far, near
    sizes = near + sizes + far[::-1]
    main_at = {min(total - 2, max(0, round(j * total / (k + 1)) - 1)) for j in range(1, k + 1)}
    widths = [main_gap if i in main_at else gap for i in range(total - 1)]
    used = modules * unit + sum(widths)
    edge = edge_gap + (inner - used) / 2
    segments: list[tuple[float, int]] = []
    gaps: list[tuple[float, float, str]] = [(start, edge, "perimeter")]
    pos = start + edge
    for i, size in enumerate(sizes):
        segments.append((pos, size))
        pos += size * unit
        if i < total - 1:
            gaps.append((pos, widths[i], "main" if i in main_at else gap_kind))
            pos += widths[i]
    gaps.append((pos, start + length - pos, "perimeter"))
    return _Axis(tuple(segments), tuple(gaps))


# --- the grid ---------------------------------------------------------------------------------


def build_grid(hall: Hall, scheme: AisleScheme | None = None) -> HallGrid:
    """Lay out ``hall`` with ``scheme`` (the default scheme when None).

    Examples
    --------
    >>> from boothopt.floorplan.venue_file import load_venue
    >>> build_grid(load_venue("coex").hall("A")).booth_capacity() >= 520
    True
    """
    scheme = scheme or AisleScheme()
    minx, miny, maxx, maxy = hall.outline.bounds
    if scheme.orientation == "auto":
        axis: Literal["x", "y"] = "x" if maxx - minx >= maxy - miny else "y"
    else:
        axis = scheme.orientation
    m = scheme.module_m
    # Work in (along, deep) coordinates: along = the axis rows run on.
    a0, a1, d0, d1 = (minx, maxx, miny, maxy) if axis == "x" else (miny, maxy, minx, maxx)
    if scheme.kind == "none":
        along = _Axis(((a0, int((a1 - a0) // m + 1e-9)),), ())
        deep = _Axis(((d0, int((d1 - d0) // m + 1e-9)),), ())
    else:
        along = layout_axis(
            a0,
            a1 - a0,
            m,
            1,
            max(1, int(scheme.max_row_m // m + 1e-9)),
            scheme.cross_aisle_m,
            scheme.main_aisle_m,
            scheme.main_aisle_spacing_m,
            scheme.perimeter_aisle_m,
            "cross",
        )
        deep = layout_axis(
            d0,
            d1 - d0,
            m,
            1,
            scheme.block_depth_modules,
            scheme.side_aisle_m,
            scheme.main_aisle_m,
            scheme.main_aisle_spacing_m,
            scheme.perimeter_aisle_m,
            "side",
            fixed=(scheme.feature_depth_modules,) * scheme.feature_bands,
            fixed_at_end=_entrances_at_far_side(hall, axis),
        )

    blocked = _blocked_areas(hall, scheme)
    allowed = hall.outline
    if scheme.kind == "rows" and not _is_rectangle(hall.outline):
        allowed = hall.outline.buffer(-scheme.perimeter_aisle_m, join_style="mitre")
    no_go = shapely.union_all([b.polygon for b in blocked])
    allowed = allowed.difference(no_go)
    shapely.prepare(allowed)

    boxes: list[tuple[float, float, float, float]] = []
    cell_block: list[int] = []
    cell_ij: list[tuple[int, int]] = []
    blocks: list[Block] = []
    for d_start, n_deep in deep.segments:
        for a_start, n_along in along.segments:
            grid_i, grid_j = np.meshgrid(np.arange(n_along), np.arange(n_deep), indexing="ij")
            ii, jj = grid_i.ravel(), grid_j.ravel()
            a_lo, d_lo = a_start + ii * m, d_start + jj * m
            if axis == "x":
                bx = np.stack([a_lo, d_lo, a_lo + m, d_lo + m], axis=1)
            else:
                bx = np.stack([d_lo, a_lo, d_lo + m, a_lo + m], axis=1)
            # Shrink each box a hair so a cell touching a wall or a clear zone still counts.
            eps = 1e-7
            keep = shapely.contains(
                allowed, shapely.box(bx[:, 0] + eps, bx[:, 1] + eps, bx[:, 2] - eps, bx[:, 3] - eps)
            )
            if not keep.any():
                continue
            first = len(boxes)
            boxes += [tuple(b) for b in bx[keep]]
            cell_ij += list(zip(ii[keep].tolist(), jj[keep].tolist(), strict=True))
            count = int(keep.sum())
            cell_block += [len(blocks)] * count
            origin = (a_start, d_start) if axis == "x" else (d_start, a_start)
            blocks.append(
                Block(
                    len(blocks), axis, origin, n_along, n_deep, tuple(range(first, first + count))
                )
            )

    cell_boxes = np.array(boxes, dtype=float).reshape(-1, 4)
    ij = np.array(cell_ij, dtype=int).reshape(-1, 2)
    block_arr = np.array(cell_block, dtype=int)
    open_sides = _open_sides(blocks, ij)
    edges, graph = _aisle_graph(hall, scheme, axis, along, deep)
    # Main doors are ways out too: building codes count them among the exits.
    exit_walk = _walk_distances(graph, edges, cell_boxes, ("exit", "entrance"), m)
    entrance_walk = _walk_distances(graph, edges, cell_boxes, ("entrance",), m)
    return HallGrid(
        hall=hall,
        scheme=scheme,
        cell_boxes=cell_boxes,
        cell_block=block_arr,
        cell_ij=ij,
        cell_open_sides=open_sides,
        blocks=tuple(blocks),
        blocked=tuple(blocked),
        aisle_edges=tuple(edges),
        graph=graph,
        exit_walk_m=exit_walk,
        entrance_walk_m=entrance_walk,
    )


def _entrances_at_far_side(hall: Hall, axis: Literal["x", "y"]) -> bool:
    """Return True when most entrances are on the far side across the rows (north for x rows)."""
    minx, miny, maxx, maxy = hall.outline.bounds
    lo, hi = (miny, maxy) if axis == "x" else (minx, maxx)
    mid = (lo + hi) / 2
    across = [e.at[1] if axis == "x" else e.at[0] for e in hall.entrances]
    return bool(sum(a > mid for a in across) > sum(a < mid for a in across))


def _is_rectangle(poly: Polygon) -> bool:
    return bool(abs(poly.area - poly.envelope.area) < 1e-6 * max(poly.area, 1.0))


def _blocked_areas(hall: Hall, scheme: AisleScheme) -> list[BlockedArea]:
    out = [BlockedArea(o.kind, o.polygon, o.id) for o in hall.obstacles]
    for door in hall.exits:
        zone = door.front_zone(scheme.exit_approach_m + scheme.exit_clear_m, scheme.exit_clear_m)
        out.append(BlockedArea("exit-clearance", zone.intersection(hall.outline), door.id))
    for door in hall.entrances:
        zone = door.front_zone(scheme.entrance_clear_m, scheme.exit_clear_m)
        out.append(BlockedArea("entrance-clearance", zone.intersection(hall.outline), door.id))
    half = 0.5  # a hydrant cabinet is about 1 m wide
    for k, (x, y) in enumerate(hall.hydrants):
        r = half + scheme.hydrant_clear_m
        zone = shapely.box(x - r, y - r, x + r, y + r).intersection(hall.outline)
        out.append(BlockedArea("hydrant-clearance", zone, f"hydrant-{k + 1}"))
    return out


def _open_sides(blocks: list[Block], ij: np.ndarray) -> np.ndarray:
    """Count each cell's sides on its block's edge; only those face an aisle."""
    out = np.zeros(len(ij), dtype=int)
    for b in blocks:
        for c in b.cells:
            i, j = ij[c]
            out[c] = int(i == 0) + int(i == b.n_along - 1) + int(j == 0) + int(j == b.n_deep - 1)
    return out


def _gap_lines(axis_layout: _Axis) -> list[tuple[float, float, str]]:
    """Return (position, width, kind) of each gap's centre line."""
    return [(s + w / 2, w, kind) for s, w, kind in axis_layout.gaps if w > 1e-9]


def _aisle_graph(
    hall: Hall,
    scheme: AisleScheme,
    axis: Literal["x", "y"],
    along: _Axis,
    deep: _Axis,
) -> tuple[list[AisleEdge], nx.Graph]:
    """Build the aisle centre-line graph with doors linked in."""

    def xy(a: float, d: float) -> tuple[float, float]:
        return (a, d) if axis == "x" else (d, a)

    lines: list[tuple[LineString, float, str]] = []
    if scheme.kind == "rows":
        deep_gaps = _gap_lines(deep)
        along_gaps = _gap_lines(along)
        if deep_gaps and along_gaps:
            lo_a, hi_a = along_gaps[0][0], along_gaps[-1][0]
            lo_d, hi_d = deep_gaps[0][0], deep_gaps[-1][0]
            for d, w, kind in deep_gaps:  # aisles running along the rows
                lines.append((LineString([xy(lo_a, d), xy(hi_a, d)]), w, kind))
            for a, w, kind in along_gaps:  # cross aisles
                lines.append((LineString([xy(a, lo_d), xy(a, hi_d)]), w, kind))
    walkable = hall.outline
    cores = [o.polygon for o in hall.obstacles if o.kind != "column"]
    if cores:
        walkable = walkable.difference(shapely.union_all(cores))
    clipped: list[tuple[LineString, float, str]] = []
    for line, w, kind in lines:
        piece = line.intersection(walkable.buffer(1e-6))
        for part in getattr(piece, "geoms", [piece]):
            if part.geom_type == "LineString" and part.length > 1e-6:
                clipped.append((part, w, kind))
    if scheme.kind == "rows" and not _is_rectangle(hall.outline):
        ring = hall.outline.buffer(-scheme.perimeter_aisle_m / 2, join_style="mitre")
        for poly in getattr(ring, "geoms", [ring]):
            if not poly.is_empty:
                clipped.append(
                    (LineString(poly.exterior.coords), scheme.perimeter_aisle_m, "perimeter")
                )
    network = shapely.union_all([c[0] for c in clipped]) if clipped else None
    for door in hall.openings:
        p = shapely.Point(door.at)
        if network is None or network.is_empty:
            continue
        q = nearest_points(network, p)[0]
        if p.distance(q) > 1e-6:
            clipped.append((LineString([p, q]), door.width_m, "door"))

    pieces = (
        shapely.union_all(shapely.set_precision([c[0] for c in clipped], 1e-6))
        if clipped
        else shapely.GeometryCollection()
    )
    sources = [c[0] for c in clipped]
    tree = shapely.STRtree(sources)
    graph = nx.Graph()
    node_ids: dict[tuple[float, float], int] = {}

    def node(pt: tuple[float, float]) -> int:
        key = _node_key(pt)
        if key not in node_ids:
            node_ids[key] = len(node_ids)
            graph.add_node(node_ids[key], pos=key, kind="junction")
        return node_ids[key]

    edges: list[AisleEdge] = []
    for piece in getattr(pieces, "geoms", [pieces]):
        if piece.is_empty or piece.length < 1e-6:
            continue
        mid = piece.interpolate(0.5, normalized=True)
        idx = tree.query(mid, predicate="dwithin", distance=1e-5)
        width, kind = (clipped[int(idx[0])][1], clipped[int(idx[0])][2]) if len(idx) else (0, "")
        if len(idx) > 1:  # overlapping sources: the widest describes the aisle
            width, kind = max((clipped[int(i)][1], clipped[int(i)][2]) for i in idx)
        coords = list(piece.coords)
        u, v = node(coords[0]), node(coords[-1])
        if u == v:
            continue
        edges.append(AisleEdge(u, v, piece, float(width), str(kind)))
        if graph.has_edge(u, v) and graph[u][v]["length"] <= piece.length:
            continue
        graph.add_edge(
            u, v, length=float(piece.length), width=float(width), kind=kind, index=len(edges) - 1
        )
    for door in hall.openings:
        n = node(door.at)
        graph.nodes[n]["kind"] = door.kind
        graph.nodes[n]["door"] = door.id
    return edges, graph


def nearest_entrances(grid: HallGrid) -> tuple[np.ndarray, np.ndarray]:
    """Return each cell's nearest entrance by walking along the aisles, and that walk.

    The walk is measured as for :attr:`HallGrid.entrance_walk_m`: from the cell to its aisle,
    then along the aisle graph to the door. Ties go to the entrance listed first.

    Returns
    -------
    tuple of numpy.ndarray
        Per cell, the index of the entrance in ``grid.hall.entrances`` (-1 when no entrance can
        be reached) and the walk in metres (inf when none can be).

    Examples
    --------
    >>> from boothopt.floorplan.venue_file import load_venue
    >>> grid = build_grid(load_venue("coex").hall("B2"))
    >>> index, walk = nearest_entrances(grid)
    >>> {grid.hall.entrances[i].id for i in index}
    {'B2-E1'}
    """
    n = grid.n_cells
    doors = grid.hall.entrances
    if not doors or n == 0:
        return np.full(n, -1, dtype=int), np.full(n, np.inf)
    graph = grid.graph
    at_node = {graph.nodes[v]["pos"]: v for v, k in graph.nodes(data="kind") if k == "entrance"}
    sources = [[at_node[k]] if (k := _node_key(d.at)) in at_node else [] for d in doors]
    walks = _walk_matrix(graph, list(grid.aisle_edges), grid.cell_boxes, sources, grid.module_m)
    index = np.argmin(walks, axis=0)
    walk = walks[index, np.arange(n)]
    return np.where(np.isfinite(walk), index, -1), walk


def _node_key(pt: tuple[float, float]) -> tuple[float, float]:
    """Return the aisle graph's key of a point: its coordinates rounded to 10 µm."""
    return (round(pt[0], 5), round(pt[1], 5))


def _walk_distances(
    graph: nx.Graph,
    edges: list[AisleEdge],
    cell_boxes: np.ndarray,
    door_kinds: tuple[str, ...],
    module_m: float,
) -> np.ndarray:
    """Return each cell's walk to the nearest door of ``door_kinds``: to its aisle, then on."""
    sources = [v for v, k in graph.nodes(data="kind") if k in door_kinds]
    walks: np.ndarray = _walk_matrix(graph, edges, cell_boxes, [sources], module_m)[0]
    return walks


def _walk_matrix(
    graph: nx.Graph,
    edges: list[AisleEdge],
    cell_boxes: np.ndarray,
    source_sets: list[list[int]],
    module_m: float,
) -> np.ndarray:
    """Return, for each set of door nodes, each cell's walk to the nearest of them, as (k, n)."""
    n = cell_boxes.shape[0]
    out = np.full((len(source_sets), n), np.inf)
    if n == 0:
        return out
    centres = shapely.points(
        (cell_boxes[:, 0] + cell_boxes[:, 2]) / 2, (cell_boxes[:, 1] + cell_boxes[:, 3]) / 2
    )
    if not edges:  # open floor: straight lines to the doors
        for row, sources in zip(out, source_sets, strict=True):
            if sources:
                doors = shapely.points([graph.nodes[s]["pos"] for s in sources])
                row[:] = [min(c.distance(d) for d in doors) for c in centres]
        return out
    walk_edges = [e for e in edges if e.kind != "door"] or edges
    lines = np.array([e.line for e in walk_edges], dtype=object)
    tree = shapely.STRtree(lines)
    nearest = shapely.distance(centres, lines[tree.nearest(centres)])
    # A cell is entered from any aisle along its block's edge, not only the nearest one: take
    # every aisle within ``reach`` of the nearest. ``reach`` stays below one module, so the aisle
    # behind a back-to-back row (one module farther) is never taken as the row's own.
    reach = min(2.0, 0.9 * module_m)
    cell_idx, edge_idx = tree.query(centres, predicate="dwithin", distance=nearest + reach)
    length = shapely.length(lines)
    t = shapely.line_locate_point(lines[edge_idx], centres[cell_idx])
    perp = shapely.distance(lines[edge_idx], centres[cell_idx])
    for row, sources in zip(out, source_sets, strict=True):
        if not sources:
            continue
        dist = nx.multi_source_dijkstra_path_length(graph, sources, weight="length")
        u_dist = np.array([dist.get(e.u, math.inf) for e in walk_edges])
        v_dist = np.array([dist.get(e.v, math.inf) for e in walk_edges])
        walk = perp + np.minimum(u_dist[edge_idx] + t, v_dist[edge_idx] + length[edge_idx] - t)
        np.minimum.at(row, cell_idx, walk)
    return out
