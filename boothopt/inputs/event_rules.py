"""What an event asks that its floor can never give, found before any solving.

Two kinds of fault, each said once in a floor manager's words:

- :func:`layout_breaches`: the fire and layout rules the event's own aisle scheme breaks in each
  rented hall (``check_grid`` on the grids the event was laid out with), each naming the hall and
  the setting to change in the event file;
- :func:`impossible_rules`: rules no allocation can keep, whatever the solver does: a booth
  larger than every block it may stand in, a zone asking more floor than its halls have, and
  competitors that must stand farther apart than the floor allows.

Every rule reported impossible is proven so by a necessary condition (a relaxation of the
solver's own rules), never guessed: a hall may hold fewer booths that far apart than the bound
says, never more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
import shapely
from numpy.lib.stride_tricks import sliding_window_view

from boothopt.floorplan import AisleScheme, Breach, FireRules, HallGrid, check_grid
from boothopt.inputs.domain import Exhibitor, Zone, booth_shapes_in

# Distances are compared with this much to spare, so rounding never turns a possible rule into
# an impossible one (the solver itself allows 1e-9).
_SPARE_M = 1e-6
# Groups of mutual competitors examined at most: enough for any real avoid list, and a bound on
# the time a hostile table (everyone avoiding everyone) can take.
_MAX_GROUPS = 2000
# Ids named in one line at most; the rest are counted.
_MAX_NAMED = 10

_NUMBERS = (
    "none",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


# --- the aisle scheme against the fire rules --------------------------------------------------


_AISLES = {
    "side_aisle_m": "side aisles",
    "cross_aisle_m": "cross aisles",
    "main_aisle_m": "main aisles",
    "perimeter_aisle_m": "aisles along the walls",
}


def layout_breaches(
    grids: Mapping[str, HallGrid], rules: FireRules | None = None
) -> tuple[Breach, ...]:
    """Return every fire-rule breach of each hall's grid, worded for the event file.

    ``grids`` are the rented halls laid out with the event's own aisle scheme. Each breach keeps
    its rule, hall and place; its message names the hall and what to change in the event file.
    """
    rules = rules or FireRules()
    out: list[Breach] = []
    for grid in grids.values():
        out += [_event_words(b, grid.scheme, rules) for b in check_grid(grid, rules)]
    return tuple(out)


def _event_words(b: Breach, scheme: AisleScheme, rules: FireRules) -> Breach:
    """Return the breach with a message saying what to change in the event file."""
    hall, name = b.hall, b.setting
    if name and b.value is not None and b.limit is not None:
        value, limit = b.value, b.limit
        if b.rule == "aisle-width":
            what = _AISLES.get(name, "aisles")
            rule = (
                f"the {limit:g} m rule for main aisles"
                if limit > rules.min_aisle_m + 1e-9
                else f"the {limit:g} m fire rule ({what})"
            )
            message = (
                f"hall {hall}: {name} {value:g} in the event's aisle scheme is narrower than "
                f"{rule} — set aisles: {name}: {limit:g} or more in the event file"
            )
        elif b.rule == "row-length":
            message = (
                f"hall {hall}: booth rows run {value:g} m without a cross aisle, longer than the "
                f"{limit:g} m fire rule ({name} is {getattr(scheme, name):g} in the event's "
                f"aisle scheme) — set aisles: {name}: {limit:g} or less in the event file"
            )
        else:
            where = "in front of entrances" if name == "entrance_clear_m" else "around exits"
            message = (
                f"hall {hall}: {name} {value:g} in the event's aisle scheme keeps less floor "
                f"clear {where} than the {limit:g} m fire rule — set aisles: {name}: "
                f"{limit:g} or more in the event file"
            )
    else:
        what = b.message.rpartition(" — ")[0] or b.message
        fix = {
            "exit-walk": "set a smaller aisles: max_row_m in the event file for more cross "
            "aisles, or add an exit nearer to it in the venue file",
            "dead-end": "change aisles: max_row_m or orientation in the event file so an aisle "
            "meets its end, or check the obstacle in the venue file",
        }.get(b.rule)
        message = f"{what} — {fix}" if fix else b.message
    return Breach(b.rule, hall, message, b.where, b.setting, b.value, b.limit)


# --- rules that can never hold ----------------------------------------------------------------


def impossible_rules(
    exhibitors: Sequence[Exhibitor], zones: Sequence[Zone], grids: Mapping[str, HallGrid]
) -> tuple[str, ...]:
    """Return each rule of the event no allocation can keep, once, in a floor manager's words.

    ``exhibitors`` carry their zones; ``grids`` are the rented halls as laid out for the event.
    """
    if not grids:
        return ()
    allowed = allowed_halls(exhibitors, zones, grids)
    sizes = too_large(exhibitors, allowed, grids, zones)
    # A booth fitting no block is said once, there; zones are judged on the others.
    fitting = [e for e in exhibitors if not _unfit(e, allowed, grids)]
    return tuple(
        sizes
        + zones_too_large(fitting, zones, grids)
        + competitors_too_far(exhibitors, allowed, grids, zones)
    )


def _unfit(
    e: Exhibitor, allowed: Mapping[str, tuple[str, ...]], grids: Mapping[str, HallGrid]
) -> bool:
    return not any(_fits(e, grids[h]) for h in allowed[e.id])


def allowed_halls(
    exhibitors: Sequence[Exhibitor], zones: Sequence[Zone], grids: Mapping[str, HallGrid]
) -> dict[str, tuple[str, ...]]:
    """Return, per exhibitor id, the halls it may stand in: its zone's hall, or every rented one.

    A preferred hall (the ``halls`` column) is a wish, not a rule, so it does not narrow them.
    """
    zone_hall = {z.id: z.hall for z in zones if z.hall in grids}
    every = tuple(grids)
    out = {}
    for e in exhibitors:
        hall = zone_hall.get(e.zone) if e.zone is not None else None
        out[e.id] = (hall,) if hall is not None else every
    return out


def too_large(
    exhibitors: Sequence[Exhibitor],
    allowed: Mapping[str, tuple[str, ...]],
    grids: Mapping[str, HallGrid],
    zones: Sequence[Zone] = (),
) -> list[str]:
    """Return a line for each size (and shape) no block of the halls it may use can hold.

    A booth never crosses an aisle: it is a rectangle of whole cells within one block. Exhibitors
    asking the same size in the same halls share one line.
    """
    groups: dict[tuple[int, tuple[int, int] | None, bool, tuple[str, ...]], list[Exhibitor]] = {}
    for e in exhibitors:
        groups.setdefault((e.modules, e.shape, e.rotatable, allowed[e.id]), []).append(e)
    out = []
    for (modules, shape, _, halls), members in groups.items():
        if not _unfit(members[0], allowed, grids):
            continue
        blocks = [(len(b.cells), b.n_along, b.n_deep) for h in halls for b in grids[h].blocks]
        cells, along, deep = max(blocks, default=(0, 0, 0))
        size = f"{modules} modules" + (f" in shape {shape[0]}x{shape[1]}" if shape else "")
        largest = (
            f"the largest holds {cells} modules, {along} x {deep}" if blocks else "it has no block"
        )
        out.append(
            f"{_listed([m.id for m in members])}: {size} fit no block of {_halls(halls, grids)} "
            f"({largest}) — a booth cannot cross an aisle: ask for less floor or another shape, "
            "or lay deeper blocks in the event file (aisles: feature_bands, "
            f"feature_depth_modules){_zone_fix(members, halls, grids, zones)}"
        )
    return out


def _fits(e: Exhibitor, grid: HallGrid) -> bool:
    """Return True when some block of ``grid`` has a whole rectangle of cells for ``e``."""
    for b in grid.blocks:
        if len(b.cells) < e.modules:
            continue
        shapes = booth_shapes_in(e, b.axis == "x", b.n_along, b.n_deep)
        if not shapes:
            continue
        if len(b.cells) == b.n_along * b.n_deep:
            return True
        present = np.zeros((b.n_along, b.n_deep), dtype=bool)
        ij = grid.cell_ij[list(b.cells)]
        present[ij[:, 0], ij[:, 1]] = True
        if any(sliding_window_view(present, s).all(axis=(2, 3)).any() for s in shapes):
            return True
    return False


def zones_too_large(
    exhibitors: Sequence[Exhibitor], zones: Sequence[Zone], grids: Mapping[str, HallGrid]
) -> list[str]:
    """Return a line for each zone whose members ask more floor than its halls' booth grid has.

    ``exhibitors`` are those judged: :func:`impossible_rules` leaves out booths that fit no block
    (said on their own), so a zone is reported only when the others are already too many.
    """
    out = []
    for z in zones:
        members = [e for e in exhibitors if e.zone == z.id]
        halls = (z.hall,) if z.hall is not None and z.hall in grids else tuple(grids)
        if not members or not halls:
            continue
        module_m = grids[halls[0]].module_m
        modules = sum(e.modules for e in members)
        asked = modules * module_m**2
        usable = sum(grids[h].usable_m2 for h in halls)
        if asked <= usable + 1e-6:
            continue
        if z.hall is not None and len(grids) > 1:
            fix = f"remove hall: {z.hall} from the zone in the event file, or rent more floor"
        else:
            fix = "rent more floor"
        n = len(members)
        out.append(
            f"zone {z.id}: its {n} member{'s' if n != 1 else ''} ask {modules} modules "
            f"({asked:,.0f} m²), more than the {usable:,.0f} m² of booth floor in "
            f"{_halls(halls, grids)} — move members out of the zone, {fix}"
        )
    return out


def competitors_too_far(
    exhibitors: Sequence[Exhibitor],
    allowed: Mapping[str, tuple[str, ...]],
    grids: Mapping[str, HallGrid],
    zones: Sequence[Zone] = (),
) -> list[str]:
    """Return a line for each group of competitors the floor cannot hold that far apart.

    A group is competitors that must all stand pairwise at least a distance apart (their avoid
    columns, both ways, the larger distance of a pair counting). Booths in different halls are
    taken as always apart (the most lenient reading), so a group is reported only when the halls
    its members may use cannot, even together, hold that many booths that far apart. A group
    reported is never also reported as part of a larger one.
    """
    order = {e.id: k for k, e in enumerate(exhibitors)}
    apart: dict[frozenset[str], float] = {}
    for e in exhibitors:
        for other, metres in e.avoid:
            if other in order and other != e.id:
                pair = frozenset((e.id, other))
                apart[pair] = max(apart.get(pair, 0.0), metres)
    found = _groups(apart)
    bound: dict[tuple[str, float], int] = {}
    reported: list[tuple[frozenset[str], str]] = []
    for group in found:
        ids = sorted(group, key=order.__getitem__)
        pairs = [apart[frozenset((a, b))] for i, a in enumerate(ids) for b in ids[i + 1 :]]
        metres = min(pairs)
        if metres <= _SPARE_M:
            continue
        halls = tuple(h for h in grids if any(h in allowed[i] for i in ids))
        for h in halls:
            if (h, metres) not in bound:
                bound[h, metres] = most_apart(grids[h], metres)
        room = sum(bound[h, metres] for h in halls)
        if room == 0 or len(ids) <= room:
            continue  # room 0: no booth fits at all, which the size check says
        exact = "" if max(pairs) - metres < 1e-9 else "at least "
        members = [e for e in exhibitors if e.id in group]
        where = _halls(halls, grids, sizes=True)
        fix = _zone_fix(members, halls, grids, zones) or ", or rent another hall"
        reported.append(
            (
                group,
                f"competitors {_listed(ids, None)} must stand {exact}{metres:g} m apart, but "
                f"{where} cannot hold {_number(len(ids))} booths that far apart (at most "
                f"{_number(room)}) — lower the distance in their avoid column{fix}",
            )
        )
    return [line for g, line in reported if not any(g < other for other, _ in reported)]


def _groups(apart: Mapping[frozenset[str], float]) -> list[frozenset[str]]:
    """Return the maximal groups of mutual competitors at each distance, each once."""
    if not apart:
        return []
    out: dict[frozenset[str], None] = {}
    for metres in sorted(set(apart.values()), reverse=True):
        g = nx.Graph()
        g.add_edges_from(tuple(pair) for pair, m in apart.items() if m >= metres)
        for clique in nx.find_cliques(g):
            out.setdefault(frozenset(clique))
            if len(out) >= _MAX_GROUPS:
                return list(out)
    return list(out)


def most_apart(grid: HallGrid, metres: float) -> int:
    """Return how many booths of ``grid``, at most, can stand pairwise ``metres`` apart.

    The distance is edge to edge. Each booth covers at least one cell, so the booths give as many
    cells pairwise that far apart: the bound is on cells, and is the least of three proofs:

    - no two cells are that far apart (the floor's reach): one;
    - pigeonholes: the floor is cut into pieces in which any two cells are closer; one cell
      per piece at most;
    - area: disks of half the distance around the cells' centres do not overlap, and all lie
      within the centres' convex hull grown by that half.

    Examples
    --------
    >>> from boothopt.floorplan import AisleScheme, build_grid, parse_venue
    >>> hall = {"id": "T", "rect": {"origin": [0, 0], "size": [67, 54]}}
    >>> venue = parse_venue({"schema": "boothopt.venue/1", "id": "t", "halls": [hall]}, "t")
    >>> grid = build_grid(venue.hall("T"), AisleScheme(kind="none"))
    >>> most_apart(grid, 60), most_apart(grid, 80)
    (2, 1)
    """
    n = grid.n_cells
    if n == 0:
        return 0
    boxes = grid.cell_boxes
    centres = np.column_stack([(boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2])
    module = grid.module_m
    reach = metres - _SPARE_M
    hull = shapely.convex_hull(shapely.multipoints(centres))
    corners = shapely.get_coordinates(hull)
    dx = np.maximum(np.abs(corners[:, None, 0] - corners[None, :, 0]) - module, 0.0)
    dy = np.maximum(np.abs(corners[:, None, 1] - corners[None, :, 1]) - module, 0.0)
    if float(np.hypot(dx, dy).max()) < reach:
        return 1
    best = min(
        n, _pigeonholes(centres, module, reach), _pigeonholes(centres[:, ::-1], module, reach)
    )
    r = reach / 2
    perimeter = hull.length if hull.geom_type == "Polygon" else 2 * hull.length
    grown = hull.area + perimeter * r + math.pi * r * r
    return int(min(best, math.floor(grown / (math.pi * r * r) + 1e-9)))


def _pigeonholes(centres: np.ndarray, module: float, reach: float) -> int:
    """Return the fewest pieces holding a cell, over a few cuts of the centres' bounding box.

    A piece ``a`` x ``b`` (of centre positions) holds cells at most ``sqrt((a - module)² +
    (b - module)²)`` apart edge to edge; each cut keeps that below ``reach``.
    """
    low = centres.min(axis=0)
    span_x, span_y = centres.max(axis=0) - low
    rel = centres - low
    first = int(span_x // (module + reach)) + 1  # the fewest columns whose width is short enough
    best = len(centres)
    for cols in range(first, first + 6):
        a = span_x / cols
        room = reach**2 - max(a - module, 0.0) ** 2
        if room <= 0:
            continue
        rows = int(span_y // (module + math.sqrt(room))) + 1
        b = span_y / rows
        ix = _piece(rel[:, 0], a, cols)
        iy = _piece(rel[:, 1], b, rows)
        best = min(best, len(np.unique(ix * rows + iy)))
    return best


def _piece(offsets: np.ndarray, width: float, count: int) -> np.ndarray:
    """Return the piece, 0 to ``count - 1``, of each offset along one side of the box."""
    if width <= 0:
        return np.zeros(len(offsets), dtype=np.int64)
    return np.minimum((offsets / width).astype(np.int64), count - 1)


# --- words ------------------------------------------------------------------------------------


def _number(n: int) -> str:
    """Return a small count in words (``four``), a larger one in digits."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def _listed(items: Iterable[str], most: int | None = _MAX_NAMED) -> str:
    """Return ``a``, ``a and b``, ``a, b and c``; past ``most`` items, the rest counted."""
    items = list(items)
    if most is not None and len(items) > most:
        return ", ".join(items[:most]) + f" and {len(items) - most} more"
    return " and ".join([", ".join(items[:-1]), items[-1]] if items[1:] else items)


def _halls(halls: Sequence[str], grids: Mapping[str, HallGrid], sizes: bool = False) -> str:
    """Return ``hall C``, ``halls B2 and C`` (with each hall's size when ``sizes``)."""

    def one(h: str) -> str:
        if not sizes:
            return h
        x0, y0, x1, y1 = grids[h].hall.outline.bounds
        return f"{h} ({x1 - x0:g} x {y1 - y0:g} m)"

    named = _listed([one(h) for h in halls], None)
    if len(halls) == 1:
        return f"hall {named}"
    if len(halls) == len(grids) and not sizes:
        return f"the rented halls {named}"
    return f"halls {named}" + (" together" if sizes else "")


def _zone_fix(
    members: Sequence[Exhibitor],
    halls: Sequence[str],
    grids: Mapping[str, HallGrid],
    zones: Sequence[Zone],
) -> str:
    """Return ``, or remove hall: C from zone z in the event file`` when a zone's hall narrows
    ``halls`` below the rented ones, else an empty string."""
    if len(halls) == len(grids):
        return ""
    named = sorted(
        {z.id for z in zones if z.hall is not None and z.id in {m.zone for m in members}}
    )
    if not named:
        return ""
    return f", or remove the hall of zone {_listed(named, None)} in the event file"
