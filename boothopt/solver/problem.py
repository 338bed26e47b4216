"""The allocation problem: the floor as slots of free cells, the exhibitors, checked once.

A *slot* is one block of the booth grid with the cells still free after the reserved areas are
placed; booths are rectangles inside one slot. Everything the model and the greedy need is
computed here once: cell values, slot neighbours, zone areas, the priority of each exhibitor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import shapely

from boothopt.errors import InputError
from boothopt.floorplan import AisleScheme, Block, HallGrid, build_grid
from boothopt.inputs.domain import Event, Exhibitor, ReservedArea, Zone, booth_shapes_in
from boothopt.solver.power import unmet_power_needs

# Blocks facing each other across one aisle are neighbours: their gap is at most the widest aisle
# of the scheme, plus this much for rounding.
NEIGHBOUR_TOLERANCE_M = 0.01


@dataclass(frozen=True)
class Slot:
    """A block of one hall with its free cells, in lattice coordinates (along, deep)."""

    index: int
    hall: str
    block: Block
    cell_ids: np.ndarray  # (n_along, n_deep) global cell index, -1 where no free cell
    value: np.ndarray  # (n_along, n_deep) location value of each cell, 0..1
    band: int  # rank of the block's band in its hall, for booth numbers

    @property
    def n_along(self) -> int:
        """Return the lattice length along the rows."""
        return self.block.n_along

    @property
    def n_deep(self) -> int:
        """Return the lattice depth across the rows."""
        return self.block.n_deep

    @property
    def n_free(self) -> int:
        """Return how many of the block's cells are free."""
        return int((self.cell_ids >= 0).sum())

    def box(
        self, i: int, j: int, w: int, d: int, module_m: float
    ) -> tuple[float, float, float, float]:
        """Return the venue box (x0, y0, x1, y1) of lattice rectangle [i, i+w) x [j, j+d)."""
        ox, oy = self.block.origin
        if self.block.axis == "x":
            return (
                ox + i * module_m,
                oy + j * module_m,
                ox + (i + w) * module_m,
                oy + (j + d) * module_m,
            )
        return (
            ox + j * module_m,
            oy + i * module_m,
            ox + (j + d) * module_m,
            oy + (i + w) * module_m,
        )


@dataclass(frozen=True)
class ReservedPlacement:
    """Where a reserved area ended up (or why it could not be placed)."""

    area: ReservedArea
    box: tuple[float, float, float, float] | None
    reason: str = ""


@dataclass
class Problem:
    """One checked allocation problem, built from an event by :func:`build_problem`."""

    event: Event
    grids: dict[str, HallGrid]
    slots: list[Slot]
    neighbours: list[set[int]]  # slot index -> slots facing it across one aisle (and itself)
    reserved: list[ReservedPlacement]
    zone_slots: dict[str, set[int]]  # zone id -> the slots of the area drawn first
    zone_seed: dict[str, int]
    exhibitors: list[Exhibitor]  # in the space draw's order, best first
    priority: dict[str, int]  # exhibitor id -> what placing it is worth (points above a tier base)
    tier_weight: dict[str, float]  # exhibitor id -> 0..1, best tier 1
    # exhibitor id -> place in the space draw (tier, points, date), 0 first; equal keys share one
    draw_rank: dict[str, int] = field(default_factory=dict)
    points_scale: int = 1  # priority values are points times this (10 ** their decimals)
    conflicts: list[str] = field(default_factory=list)
    slot_level: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    placement_unit: float | None = None  # see result.placement_weight, worked out once
    # zone id -> the blocks its members may take in the optimization: the drawn area and the
    # blocks next to it in the zone's hall (the optimizer decides which the zone keeps).
    zone_reach: dict[str, set[int]] = field(default_factory=dict)
    # cell -> its column (lattice position along its block), -1 for a cell in no slot
    cell_column: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    # Booths fixed before the solve: exhibitor id -> (hall, box). A pinned exhibitor has that
    # booth as its only placement; a locked one (a subset) must have it, and nobody of higher
    # priority may take it. The others (a re-plan's earlier booths) may give theirs up.
    pins: dict[str, Pin] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    # A zone's booths may leave gaps in its rows (a re-plan leaves the gap of a cancellation
    # open rather than move the neighbours); otherwise they fill one unbroken stretch.
    gaps_allowed: bool = False

    @property
    def module_m(self) -> float:
        """Return the module edge in metres."""
        return self.event.scheme.module_m


Box = tuple[float, float, float, float]
Pin = tuple[str, Box]  # hall, (x0, y0, x1, y1) in venue metres


def booth_shapes(e: Exhibitor, slot: Slot) -> list[tuple[int, int]]:
    """Return the (along, deep) lattice shapes exhibitor ``e`` may take in ``slot``."""
    return booth_shapes_in(e, slot.block.axis == "x", slot.n_along, slot.n_deep)


def build_problem(
    event: Event,
    seed: int = 0,
    workers: int = 2,
    on_stage: Callable[[str], None] | None = None,
    pins: dict[str, Pin] | None = None,
    locked: frozenset[str] = frozenset(),
    zone_areas: dict[str, list[Pin]] | None = None,
    gaps_allowed: bool = False,
) -> Problem:
    """Lay out the rented halls, place the reserved areas, draw the zone areas.

    ``seed`` and ``workers`` are the zone drawing's search settings, as for :func:`solve`;
    ``on_stage`` hears of each step as it starts, for a progress display.

    ``pins`` fix exhibitors' booths before the solve (see :attr:`Problem.pins`), ``locked``
    those that must keep them. ``zone_areas`` gives zones the areas of an earlier layout (each
    a list of block rectangles): a re-plan keeps them; zones without one are drawn anew on the
    blocks left.
    """
    if on_stage is not None:
        on_stage("laying out the halls")
    grids = {h: build_grid(event.venue.hall(h), event.scheme) for h in event.halls}
    module = event.scheme.module_m
    free: dict[str, np.ndarray] = {h: np.ones(g.n_cells, dtype=bool) for h, g in grids.items()}
    reserved = [_place_reserved(r, grids[r.hall], free[r.hall], module) for r in event.reserved]
    slots = _slots(grids, free)
    neighbours = _neighbours(slots, module, across_one_aisle_m(event.scheme))
    exhibitors, priority, tier_weight, draw_rank, points_scale = _priorities(event)
    problem = Problem(
        event, grids, slots, neighbours, reserved, {}, {}, exhibitors, priority, tier_weight
    )
    problem.draw_rank, problem.points_scale = draw_rank, points_scale
    problem.pins = dict(pins or {})
    problem.locked = frozenset(locked) & set(problem.pins)
    problem.gaps_allowed = gaps_allowed
    levels = sorted({event.venue.hall(h).level for h in event.halls})
    problem.cell_column = _cell_columns(grids, slots)
    problem.slot_level = np.array(
        [levels.index(event.venue.hall(s.hall).level) for s in slots], dtype=int
    )
    problem.conflicts += [
        f"reserved area {p.area.id}: {p.reason}" for p in reserved if p.box is None
    ]
    if on_stage is not None and problem.event.zones:
        on_stage("drawing the zones")
    if zone_areas is None:
        _draw_zones(problem, seed, workers)
    else:
        _earlier_zones(problem, zone_areas)
    problem.conflicts += unmet_power_needs(problem)
    return problem


def _place_reserved(
    area: ReservedArea, grid: HallGrid, free: np.ndarray, module: float
) -> ReservedPlacement:
    """Place a reserved area and take its cells off the floor.

    With a fixed position, the cells under it go. Otherwise it goes where the walk from the
    entrances is longest: a stage at the back draws visitors through the hall and leaves the
    prime spots near the doors to exhibitors.
    """
    w = math.ceil(area.size_m[0] / module - 1e-9)
    d = math.ceil(area.size_m[1] / module - 1e-9)
    if area.at is not None:
        x, y = area.at
        box = (x, y, x + area.size_m[0], y + area.size_m[1])
        hit = shapely.intersects(shapely.box(*box).buffer(-1e-6), shapely.box(*grid.cell_boxes.T))
        free[hit] = False
        return ReservedPlacement(area, box)
    best: tuple[float, tuple[float, ...], np.ndarray] | None = None
    for block in grid.blocks:
        lattice = np.full((block.n_along, block.n_deep), -1)
        for c in block.cells:
            if free[c]:
                i, j = grid.cell_ij[c]
                lattice[i, j] = c
        for bw, bd in {(w, d), (d, w)}:
            for i in range(block.n_along - bw + 1):
                for j in range(block.n_deep - bd + 1):
                    cells = lattice[i : i + bw, j : j + bd]
                    if (cells < 0).any():
                        continue
                    walk = float(grid.entrance_walk_m[cells].mean())
                    if best is None or walk > best[0] + 1e-9:
                        boxes = grid.cell_boxes[cells.ravel()]
                        box = (
                            boxes[:, 0].min(),
                            boxes[:, 1].min(),
                            boxes[:, 2].max(),
                            boxes[:, 3].max(),
                        )
                        best = (walk, box, cells.ravel())
    if best is None:
        return ReservedPlacement(
            area,
            None,
            f"no free {w}x{d}-module block in hall {grid.hall.id} — give it a position (at:) "
            "or add a feature band (aisles: feature_bands: 1)",
        )
    free[best[2]] = False
    return ReservedPlacement(
        area, (float(best[1][0]), float(best[1][1]), float(best[1][2]), float(best[1][3]))
    )


def _cell_values(grid: HallGrid) -> np.ndarray:
    """Return each cell's location value, 0..1: the nearer the entrances, the higher."""
    walk = grid.entrance_walk_m
    finite = np.isfinite(walk)
    if not finite.any():
        return np.zeros(len(walk))
    top = float(walk[finite].max()) or 1.0
    return np.where(finite, 1.0 - walk / top, 0.0)


def _slots(grids: dict[str, HallGrid], free: dict[str, np.ndarray]) -> list[Slot]:
    slots: list[Slot] = []
    offset = 0
    for hall, grid in grids.items():
        values = _cell_values(grid)
        deep_origins = sorted({b.origin[1] if b.axis == "x" else b.origin[0] for b in grid.blocks})
        for block in grid.blocks:
            ids = np.full((block.n_along, block.n_deep), -1)
            val = np.zeros((block.n_along, block.n_deep))
            for c in block.cells:
                if free[hall][c]:
                    i, j = grid.cell_ij[c]
                    ids[i, j] = offset + c
                    val[i, j] = values[c]
            if (ids >= 0).any():
                band = deep_origins.index(block.origin[1] if block.axis == "x" else block.origin[0])
                slots.append(Slot(len(slots), hall, block, ids, val, band))
        offset += grid.n_cells
    return slots


def _cell_columns(grids: dict[str, HallGrid], slots: list[Slot]) -> np.ndarray:
    """Return each cell's column: its lattice position along its block."""
    out = np.full(sum(g.n_cells for g in grids.values()), -1)
    for slot in slots:
        for i in range(slot.n_along):
            ids = slot.cell_ids[i]
            out[ids[ids >= 0]] = i
    return out


def across_one_aisle_m(scheme: AisleScheme) -> float:
    """Return the widest gap between two blocks that face each other across one aisle."""
    widest = max(scheme.side_aisle_m, scheme.cross_aisle_m, scheme.main_aisle_m)
    return widest + NEIGHBOUR_TOLERANCE_M


def _neighbours(slots: list[Slot], module: float, gap_m: float) -> list[set[int]]:
    rects = [shapely.box(*s.box(0, 0, s.n_along, s.n_deep, module)) for s in slots]
    tree = shapely.STRtree(rects)
    out: list[set[int]] = [{s.index} for s in slots]
    for s in slots:
        for k in tree.query(rects[s.index], predicate="dwithin", distance=gap_m):
            other = slots[int(k)]
            if other.hall == s.hall:
                out[s.index].add(other.index)
    return out


def priority_key(event: Event, e: Exhibitor) -> tuple[int, float, int]:
    """Return an exhibitor's place in a space draw, smaller first: tier, points, application date.

    Nobody without a date goes before anyone with one in the same tier and points.
    """
    date = e.applied_on.toordinal() if e.applied_on else 10**7
    return (event.tier_rank(e.tier), -e.priority_points, date)


# Priority values are whole numbers (CP-SAT's objective is integer): priority points with up to
# this many decimals are kept exactly, scaled by a power of ten; more is an input error. (Three:
# the model's coefficients are the objective times 1000, so a placed-only objective stays exact.)
POINT_DECIMALS_MAX = 3
# The sum of all priority values stays below this, which times the soft goals' scale (up to
# about 3e7 at Jamsil) stays within the 2**53 that CP-SAT's linear relaxation holds exactly in
# a double. A table whose values would not fit is an input error, never a silent cap.
PRIORITY_VALUE_MAX = 2**28


def _priorities(
    event: Event,
) -> tuple[list[Exhibitor], dict[str, int], dict[str, float], dict[str, int], int]:
    """Give each exhibitor a whole-number priority value: its points, above its tier's base.

    The value is what placing the exhibitor is worth: in the lowest tier, exactly its priority
    points (times ``10**d`` when points have ``d`` decimals), so with ``weights: {placed: 1}``
    the objective is the sum of the placed exhibitors' points, nothing added. Each higher tier
    starts above every value of the tiers below times (the largest request + 1): one sponsor
    outweighs as many lower-tier exhibitors as fit in a booth of the largest size. Application
    dates order exhibitors of equal tier and points in the space draw (``draw_rank``) but add
    nothing to the value; the priority repair and check read the draw order.
    """
    n_tiers = len(event.tiers)
    scale = 10 ** max((_decimals(e) for e in event.exhibitors), default=0)
    points = {e.id: int(Decimal(repr(float(e.priority_points))) * scale) for e in event.exhibitors}
    largest = max((e.modules for e in event.exhibitors), default=1)
    priority: dict[str, int] = {}
    base, top_below = 0, 0
    for rank in reversed(range(n_tiers)):  # the lowest tier first
        tier = [e for e in event.exhibitors if event.tier_rank(e.tier) == rank]
        if rank != n_tiers - 1:
            base = (largest + 1) * top_below + 1
        for e in tier:
            priority[e.id] = base + points[e.id]
        if tier:
            top_below = max(top_below, max(priority[e.id] for e in tier))
    total = sum(priority.values())
    if total > PRIORITY_VALUE_MAX:
        raise InputError(
            f"priority points: placing everyone would be worth {total:,} after the tiers' steps, "
            f"more than the optimizer keeps exact ({PRIORITY_VALUE_MAX:,}) — use smaller points, "
            "fewer decimals or fewer tiers"
        )
    ordered = sorted(event.exhibitors, key=lambda e: (priority_key(event, e), e.id))
    keys = sorted({priority_key(event, e) for e in event.exhibitors})
    position = {key: i for i, key in enumerate(keys)}
    draw_rank = {e.id: position[priority_key(event, e)] for e in event.exhibitors}
    tier_weight = {e.id: (n_tiers - event.tier_rank(e.tier)) / n_tiers for e in event.exhibitors}
    return ordered, priority, tier_weight, draw_rank, scale


def _decimals(e: Exhibitor) -> int:
    """Return the decimals of an exhibitor's priority points, as written (``12.5`` has 1)."""
    exponent = Decimal(repr(float(e.priority_points))).normalize().as_tuple().exponent
    decimals = max(0, -int(exponent))
    if decimals > POINT_DECIMALS_MAX:
        raise InputError(
            f"exhibitor {e.id}: priority points {e.priority_points!r} have more than "
            f"{POINT_DECIMALS_MAX} decimals — round them"
        )
    return decimals


def _draw_zones(problem: Problem, seed: int, workers: int) -> None:
    """Give each zone a connected area of whole blocks, and note the conflicts.

    A zone takes whole blocks, so its members stay contiguous and no one else stands among them.
    The areas are decided for all zones at once (:mod:`boothopt.solver.zoning`), starting from a
    drawing one zone after another in the event file's order (the Smart City Seoul Zone first),
    which also stands in should the model find nothing.
    """
    from boothopt.solver.zoning import best_block, draw_zones_model

    zones = [z for z in problem.event.zones if any(e.zone == z.id for e in problem.exhibitors)]
    members = {z.id: [e for e in problem.exhibitors if e.zone == z.id] for z in zones}
    allowed = {
        z.id: {s.index for s in problem.slots if z.hall is None or s.hall == z.hall} for z in zones
    }
    placeable = [z for z in zones if allowed[z.id]]
    for z in zones:
        if not allowed[z.id]:
            where = f"hall {z.hall}" if z.hall else "the rented halls"
            problem.conflicts.append(
                f"zone {z.id}: no free block left in {where} for its {len(members[z.id])} members"
            )
            problem.zone_slots[z.id] = set()
    # Drawn one by one in the zones' order, the zones listed first get the best places; drawn
    # with the zones of the pickiest stands first, or the largest, fewer are left short. The
    # zone model starts from whichever of these it scores best.
    holds = _Holds(problem)
    wanted = _wanted(problem, holds)
    picky = {z.id: sum(w.get(z.id, 0.0) for w in wanted.values()) for z in placeable}
    size = {z.id: sum(e.modules for e in members[z.id]) for z in placeable}
    orders = [
        list(placeable),
        sorted(placeable, key=lambda z: -picky[z.id]),
        sorted(placeable, key=lambda z: -size[z.id]),
    ]
    unique = [o for i, o in enumerate(orders) if o not in orders[:i]]
    drawings = [_draw_one_by_one(problem, o, members, allowed, holds, wanted) for o in unique]
    drawn = drawings[0]
    open_members = [e for e in problem.exhibitors if e.zone is None]
    joint = draw_zones_model(
        problem, placeable, members, allowed, open_members, drawings, seed, workers
    )
    if joint is not None and all(joint[z.id] for z in placeable):
        drawn = joint
    module_area = problem.module_m**2
    for z in placeable:
        area = drawn[z.id]
        problem.zone_slots[z.id] = area
        if not area:
            where = f"hall {z.hall}" if z.hall else "the rented halls"
            problem.conflicts.append(
                f"zone {z.id}: no free block left in {where} for its {len(members[z.id])} "
                "members once the zones before it took theirs"
            )
            continue
        problem.zone_seed[z.id] = best_block(problem, z, area)
        # The optimizer may move the area's edge by a block: a whole hall as reach makes the
        # model five times larger (smartlife-2024: 72 k placements, not 15 k) and it placed
        # fewer in the same time (259 of 262 at 30 s).
        ring = {n for k in area for n in problem.neighbours[k]} & allowed[z.id]
        problem.zone_reach[z.id] = area | ring
        demand = sum(e.modules for e in members[z.id])
        have = sum(problem.slots[k].n_free for k in area)
        if have < demand:
            where = f"hall {z.hall}" if z.hall else "the free floor"
            problem.conflicts.append(
                f"zone {z.id}: its members ask {demand} modules ({demand * module_area:,.0f} "
                f"m²) but {where} has {have} connected modules left — some members cannot be "
                "placed; drop the zone's hall or rent more floor"
            )


def _earlier_zones(problem: Problem, areas: dict[str, list[Pin]]) -> None:
    """Give the zones the areas of an earlier layout; draw those without one on the rest.

    A block belongs to a zone when its rectangle lies inside one of the zone's area rectangles.
    """
    from boothopt.solver.zoning import best_block

    module = problem.module_m
    taken: set[int] = set()
    for zone, rects in areas.items():
        blocks = {
            s.index
            for s in problem.slots
            for hall, (x0, y0, x1, y1) in rects
            if hall == s.hall
            and _inside(s.box(0, 0, s.n_along, s.n_deep, module), (x0, y0, x1, y1))
        }
        problem.zone_slots[zone] = blocks
        taken |= blocks
    zones = [
        z
        for z in problem.event.zones
        if z.id not in areas and any(e.zone == z.id for e in problem.exhibitors)
    ]
    members = {z.id: [e for e in problem.exhibitors if e.zone == z.id] for z in zones}
    allowed = {
        z.id: {
            s.index
            for s in problem.slots
            if (z.hall is None or s.hall == z.hall) and s.index not in taken
        }
        for z in zones
    }
    problem.zone_slots.update(_draw_one_by_one(problem, zones, members, allowed))
    for z in problem.event.zones:
        area = problem.zone_slots.get(z.id)
        if not area:
            continue
        hall_ok = {s.index for s in problem.slots if z.hall is None or s.hall == z.hall}
        ring = {n for k in area for n in problem.neighbours[k]} & hall_ok
        problem.zone_reach[z.id] = area | ring
        problem.zone_seed[z.id] = best_block(problem, z, area)


def _inside(box: Box, rect: Box, tol: float = 1e-6) -> bool:
    return (
        box[0] >= rect[0] - tol
        and box[1] >= rect[1] - tol
        and box[2] <= rect[2] + tol
        and box[3] <= rect[3] + tol
    )


def _draw_one_by_one(
    problem: Problem,
    zones: Sequence[Zone],
    members: dict[str, list[Exhibitor]],
    allowed: dict[str, set[int]],
    holds: _Holds | None = None,
    wanted: dict[int, dict[str | None, float]] | None = None,
) -> dict[str, set[int]]:
    """Draw the zones one after another, each grown from its best free block.

    A zone grown from its best block that holds none of the blocks its best sponsor's stand
    fits (a deep stand where the other blocks have columns) is grown again from one of those.
    """
    taken: set[int] = set()
    out: dict[str, set[int]] = {}
    holds = _Holds(problem) if holds is None else holds
    wanted = _wanted(problem, holds) if wanted is None else wanted
    for zone in zones:
        free = [problem.slots[k] for k in sorted(allowed[zone.id] - taken)]
        if not free:
            out[zone.id] = set()
            continue
        demand = sum(e.modules for e in members[zone.id])
        # What the blocks are worth to the exhibitors outside this zone whose stands only some
        # blocks hold: the zone grows into those last, unless its own members need them.
        others = {
            k: sum(w for zone_id, w in wanted[k].items() if zone_id != zone.id) for k in wanted
        }
        # Seed where the free floor connected to the block can hold the zone, if anywhere does.
        room = _room(problem, {s.index for s in free})
        fits = [s for s in free if room[s.index] >= demand] or free
        seed = max(fits, key=lambda s: (-others[s.index], _seed_value(problem, s, zone), -s.index))
        area = _grow(
            problem, seed, {s.index for s in free}, demand, members[zone.id], holds, others
        )
        # A sponsor the area grown from there cannot hold (its stand fits only blocks the
        # growth never reached): grow again from the best block that holds the first such.
        lowest = len(problem.event.tiers) - 1
        for e in sorted(members[zone.id], key=lambda m: problem.draw_rank.get(m.id, 0)):
            if problem.event.tier_rank(e.tier) == lowest:
                break  # sponsors only: the lowest tier's needs are the zone model's to weigh
            if any(holds(e, k) for k in area):
                continue
            able = [s for s in free if holds(e, s.index)]
            if able:
                fits = [s for s in able if room[s.index] >= demand] or able
                seed = max(fits, key=lambda s: (_seed_value(problem, s, zone), -s.index))
                area = _grow(
                    problem, seed, {s.index for s in free}, demand, members[zone.id], holds, others
                )
            break
        out[zone.id] = area
        taken |= area
    return out


def _wanted(problem: Problem, holds: _Holds) -> dict[int, dict[str | None, float]]:
    """Return, per block and zone (None: the open floor), how much its picky exhibitors want it.

    An exhibitor whose stand only some blocks hold (a deep stand, a large island, a column in
    the way) wants each of those blocks by its modules over their number, a sponsor
    ``SPONSOR_SHORT_FACTOR`` times as much, as the zone model weighs a shortfall.
    """
    from boothopt.solver.zoning import SPONSOR_SHORT_FACTOR, request

    lowest = len(problem.event.tiers) - 1
    out: dict[int, dict[str | None, float]] = {s.index: {} for s in problem.slots}
    blocks_of: dict[tuple[object, ...], list[int]] = {}
    for e in problem.exhibitors:
        key = request(e)
        if key not in blocks_of:
            blocks_of[key] = [s.index for s in problem.slots if holds(e, s.index)]
        able = blocks_of[key]
        if not able or len(able) == len(problem.slots):
            continue
        sponsor = problem.event.tier_rank(e.tier) < lowest
        want = e.modules * (SPONSOR_SHORT_FACTOR if sponsor else 1) / len(able)
        for k in able:
            out[k][e.zone] = out[k].get(e.zone, 0.0) + want
    return out


def _room(problem: Problem, blocks: set[int]) -> dict[int, int]:
    """Return, for each block, the free cells of the connected piece of ``blocks`` it lies in."""
    out: dict[int, int] = {}
    for start in sorted(blocks):
        if start in out:
            continue
        piece, todo = {start}, [start]
        while todo:
            k = todo.pop()
            for j in problem.neighbours[k] & blocks:
                if j not in piece:
                    piece.add(j)
                    todo.append(j)
        cells = sum(problem.slots[k].n_free for k in piece)
        out.update(dict.fromkeys(piece, cells))
    return out


class _Holds:
    """Whether a block's free cells hold an exhibitor's booth (shape, type, columns), cached."""

    def __init__(self, problem: Problem) -> None:
        from boothopt.solver.zoning import free_table

        self.problem = problem
        self.rows = problem.event.scheme.kind == "rows"
        self.tables = {s.index: free_table(s) for s in problem.slots}
        self.cache: dict[tuple[object, int], bool] = {}
        self.sized: dict[tuple[object, int], bool] = {}

    def __call__(self, e: Exhibitor, k: int) -> bool:
        from boothopt.solver.zoning import holds, request

        key = (request(e), k)
        if key not in self.cache:
            slot = self.problem.slots[k]
            self.cache[key] = holds(e, slot, self.tables[k], self.rows)
        return self.cache[key]

    def shaped(self, e: Exhibitor, k: int) -> bool:
        """Whether one of the exhibitor's shapes fits the block's size (free cells aside)."""
        from boothopt.solver.zoning import request

        key = (request(e), k)
        if key not in self.sized:
            self.sized[key] = bool(booth_shapes(e, self.problem.slots[k]))
        return self.sized[key]


def _growth_rank(
    problem: Problem,
    k: int,
    centre: tuple[float, float],
    waiting: list[Exhibitor],
    holds: Callable[[Exhibitor, int], bool],
    wanted: float,
) -> tuple[bool, float, float, int]:
    """Rank a block for joining a zone: one that holds a waiting member first, then the one
    others want least, then the nearest."""
    s = problem.slots[k]
    x0, y0, x1, y1 = s.box(0, 0, s.n_along, s.n_deep, problem.module_m)
    dist = math.hypot((x0 + x1) / 2 - centre[0], (y0 + y1) / 2 - centre[1])
    serves = any(holds(e, k) for e in waiting)
    return (not serves, wanted, dist, k)


def _seed_value(problem: Problem, slot: Slot, zone: Zone) -> float:
    if zone.near_entrance:
        grid = problem.grids[slot.hall]
        door = next((d for d in grid.hall.entrances if d.id == zone.near_entrance), None)
        if door is None:
            return -1e9
        x0, y0, x1, y1 = slot.box(0, 0, slot.n_along, slot.n_deep, problem.module_m)
        return -math.hypot((x0 + x1) / 2 - door.at[0], (y0 + y1) / 2 - door.at[1])
    cells = slot.cell_ids >= 0
    return float(slot.value[cells].mean() + cells.sum() / 1000.0)


def _grow(
    problem: Problem,
    seed: Slot,
    allowed: set[int],
    demand: int,
    members: Sequence[Exhibitor],
    holds: _Holds,
    others: dict[int, float],
) -> set[int]:
    """Grow a connected set of slots from ``seed`` until it holds the demand with some slack.

    Blocks that hold a waiting member's stand come first, then those the exhibitors outside the
    zone want least (``others``, see :func:`_wanted`), then the nearest.
    """
    # Slack for the cells no booth shape can use (ends of rows, odd leftovers); more starves the
    # exhibitors outside the zones, since a zone's blocks are its own.
    target = demand * 1.15 + 2
    area = {seed.index}
    cells = seed.n_free
    sx0, sy0, sx1, sy1 = seed.box(0, 0, seed.n_along, seed.n_deep, problem.module_m)
    centre = ((sx0 + sx1) / 2, (sy0 + sy1) / 2)

    # Each member with a shape that only some blocks hold (a 6x6 island, a 4x3 stand, a deep
    # stand where columns stand in the other blocks) needs one. Members no allowed block can
    # hold at all are left to the reasons of the unplaced.
    # Sponsors are judged by the blocks' free cells (a column in the way counts); the others by
    # the blocks' size, as the zone model weighs their needs on the whole.
    lowest = len(problem.event.tiers) - 1

    def serves(e: Exhibitor, k: int) -> bool:
        if problem.event.tier_rank(e.tier) < lowest:
            return holds(e, k)
        return holds.shaped(e, k)

    from boothopt.solver.zoning import request

    served: dict[tuple[object, ...], bool] = {}  # per request (and standing): only some blocks
    picky = []
    for e in members:
        key = (*request(e), problem.event.tier_rank(e.tier) < lowest)
        if key not in served:
            hits = sum(serves(e, k) for k in allowed)
            served[key] = 0 < hits < len(allowed)
        if served[key]:
            picky.append(e)

    def unserved() -> list[Exhibitor]:
        return [e for e in picky if not any(serves(e, k) for k in area)]

    while True:
        frontier = {n for k in area for n in problem.neighbours[k]} & allowed - area
        waiting = unserved()
        if not frontier or (cells >= target and not waiting):
            break
        if waiting and not any(serves(e, k) for e in waiting for k in frontier):
            # Head for the nearest free block that holds a waiting member's stand; when none
            # can be reached any more, the zone stops growing for them.
            step = _towards(problem, area, allowed, waiting, serves)
            if step is None:
                picky = [e for e in picky if e not in waiting]
                continue
            nxt = step
        else:
            nxt = min(
                frontier,
                key=lambda k: _growth_rank(problem, k, centre, waiting, serves, others[k]),
            )
        area.add(nxt)
        cells += problem.slots[nxt].n_free
    return area


def _towards(
    problem: Problem,
    area: set[int],
    allowed: set[int],
    waiting: list[Exhibitor],
    serves: Callable[[Exhibitor, int], bool],
) -> int | None:
    """Return the first block on a shortest path from ``area`` over ``allowed`` to a block that
    serves someone ``waiting``."""

    def goal(k: int) -> bool:
        return any(serves(e, k) for e in waiting)

    first: dict[int, int] = {}
    todo: list[int] = []
    for k in sorted(area):
        for n in sorted(problem.neighbours[k] & allowed - area):
            if n not in first:
                first[n] = n
                todo.append(n)
    for k in todo:  # breadth first: the list grows while it is walked
        if goal(k):
            return first[k]
        for n in sorted(problem.neighbours[k] & allowed - area):
            if n not in first:
                first[n] = first[k]
                todo.append(n)
    return None
