"""Zone areas: which blocks each zone gets, decided for all zones at once by a small CP-SAT model.

Every zone gets a connected set of whole blocks (connected = blocks touching or facing each other
across one aisle) in its hall, large enough for its members with a little slack, holding the deep
stands some members ask for, and as near its entrance or the doors as the others allow. The floor
no zone takes is the open floor, where everyone else stands; it too must hold its demand. Drawing
the zones one after another, each taking the best blocks near its seed, wastes deep blocks on zones
of small booths and leaves the open floor short; deciding them together does not.

The model is small (a variable per zone and block, a tree per zone for connectivity), yet its
search moves a zone only a block or two at a time. It starts from the best of the one-by-one
drawings it is given, improves that two zones at a time (:func:`_pairs`: both freed, the others
fixed, a sub-model solved in a fraction of a second), then searches the whole model; the best
drawing found stands. Every step runs on a deterministic budget, so the drawing repeats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from boothopt.inputs.domain import Exhibitor, Zone
from boothopt.solver.problem import Problem, Slot, booth_shapes

# Slack a zone keeps over its demand, for the cells no booth shape can use (ends of rows, odd
# leftovers): the share of the demand, plus a few modules.
SLACK_SHARE = 0.08
SLACK_MODULES = 2
# Deterministic seconds for each solve of the zoning model (about 1-2 s of wall time on COEX at 1;
# smartlife-2024 needed 4 to give the social-tech zone the deep block its 4x3 stand needs, with
# the Smart City Seoul Zone's deep stands in the same hall).
ZONING_DET_TIME = 4.0
# Objective weights, per module: a module a group needs but does not get costs far more than one
# given to a zone beyond its need, which costs more than the best location is worth.
SHORT_COST = 100
WASTE_COST = 2
# A module a sponsor (any tier above the lowest) needs in the blocks that can hold its stand, and
# does not get, costs this much more: a platinum 4x3 corner stand must find a deep block in its
# zone before the zone's small booths get their slack (year2 left one out without it).
SPONSOR_SHORT_FACTOR = 50
# The two-zones-at-a-time rounds before the whole model's search: deterministic seconds for each
# small solve and for all of them together, and at most this many rounds over the pairs (year2:
# short of 150 modules to short of none in two rounds; Jamsil's 33 zones spend the 4 seconds).
PAIR_SOLVE_DET_TIME = 0.25
PAIR_DET_TIME = 4.0
PAIR_ROUNDS = 4


@dataclass(frozen=True)
class Need:
    """Modules of members that only some blocks can hold (deep stands, large islands)."""

    blocks: frozenset[int]
    modules: int


def edge_capacity(slot: Slot) -> int:
    """Return the free cells a booth one or two modules deep can take: all but a deep block's core.

    In a block more than four modules deep, the cells two modules or more from both long aisles
    and away from the block's ends have no aisle to open on but for a deep stand's.
    """
    free = slot.cell_ids >= 0
    if slot.n_deep > 4 and slot.n_along > 2:
        free = free.copy()
        free[1:-1, 2:-2] = False
    return int(free.sum())


def request(e: Exhibitor) -> tuple[object, ...]:
    """Return what decides which blocks can hold an exhibitor's booth: size, shape, type."""
    return (e.modules, e.shape, e.rotatable, e.booth_type.value, e.booth_type_or_better)


def shallow_demand(problem: Problem, members: Sequence[Exhibitor], allowed: set[int]) -> int:
    """Return the modules of members whose booth can be two modules deep or less."""
    shallow: dict[tuple[object, ...], bool] = {}
    total = 0
    for e in members:
        key = request(e)
        if key not in shallow:
            shallow[key] = any(
                d <= 2 for k in sorted(allowed) for _, d in booth_shapes(e, problem.slots[k])
            )
        total += e.modules if shallow[key] else 0
    return total


def free_table(slot: Slot) -> np.ndarray:
    """Return the summed-area table of a block's free cells (a row and column of 0 in front)."""
    free = (slot.cell_ids >= 0).astype(int)
    return np.pad(free.cumsum(0).cumsum(1), ((1, 0), (1, 0)))


def window_sums(table: np.ndarray, w: int, d: int) -> np.ndarray:
    """Return the free cells in every w x d window of a block, from its :func:`free_table`."""
    windows: np.ndarray = table[w:, d:] - table[:-w, d:] - table[w:, :-d] + table[:-w, :-d]
    return windows


def holds(e: Exhibitor, slot: Slot, table: np.ndarray | None = None, rows: bool = True) -> bool:
    """Return True when the block's free cells hold one of the exhibitor's shapes whole.

    The booth must also be of its type there: open on exactly as many aisles as asked (or more
    for ``corner+`` and the like). An island or peninsula spans the block's depth and finds its
    ends open: on a cross aisle at the block's end, or a free column beside it to keep clear.
    ``table`` is the block's :func:`free_table`, when already made; ``rows`` is a floor of aisles.
    """
    table = free_table(slot) if table is None else table
    fewest, most = e.open_sides_range(rows)
    column_free: np.ndarray = np.asarray((slot.cell_ids >= 0).all(axis=1))
    for w, d in booth_shapes(e, slot):
        windows = window_sums(table, w, d)
        for i, j in zip(*np.nonzero(windows == w * d), strict=True):
            sides = (
                int(i == 0) + int(i + w == slot.n_along) + int(j == 0) + int(j + d == slot.n_deep)
            )
            if sides > most:
                continue
            if sides >= fewest:
                return True
            if d != slot.n_deep:
                continue
            strips = int(i > 0 and bool(column_free[i - 1]))
            strips += int(i + w < slot.n_along and bool(column_free[i + w]))
            if sides + strips >= fewest:
                return True
    return False


def footprint(e: Exhibitor) -> int:
    """Return the cells a booth takes off its block: an island or peninsula keeps its ends free.

    Islands and peninsulas inside a longer block open their ends by keeping a one-module strip
    free across the block, about as long as the booth's longer side.
    """
    strips = {"island": 2, "peninsula": 1}.get(e.booth_type.value, 0)
    if not strips:
        return e.modules
    side = max(w for w in range(1, e.modules + 1) if e.modules % w == 0 and w * w <= e.modules)
    return e.modules + strips * (e.modules // side)


def group_needs(problem: Problem, members: Sequence[Exhibitor], allowed: set[int]) -> list[Need]:
    """Return, per set of blocks some members are restricted to, the modules those need there.

    Members no allowed block can hold are left out (they go unplaced with their own reason). A
    need on a set of blocks covers every member whose blocks are a subset of it, so that two deep
    stands do not count one deep block twice.
    """
    fits: dict[frozenset[int], int] = {}
    tables: dict[int, np.ndarray] = {}
    rows = problem.event.scheme.kind == "rows"
    blocks_of: dict[tuple[object, ...], frozenset[int]] = {}
    for e in members:
        key = request(e)
        if key not in blocks_of:
            held = []
            for k in sorted(allowed):
                if k not in tables:
                    tables[k] = free_table(problem.slots[k])
                if holds(e, problem.slots[k], tables[k], rows):
                    held.append(k)
            blocks_of[key] = frozenset(held)
        ok = blocks_of[key]
        if ok and ok != allowed:
            fits[ok] = fits.get(ok, 0) + footprint(e)
    return [Need(s, sum(m for t, m in fits.items() if t <= s)) for s in sorted(fits, key=sorted)]


def _by_standing(
    problem: Problem, members: Sequence[Exhibitor]
) -> list[tuple[int, Sequence[Exhibitor]]]:
    """Return the groups whose block needs are costed: everyone at 1, and sponsors again on top.

    A sponsor's need counted twice makes its shortage cost ``1 + SPONSOR_SHORT_FACTOR`` per module.
    """
    lowest = len(problem.event.tiers) - 1
    sponsors = [e for e in members if problem.event.tier_rank(e.tier) < lowest]
    return [(1, members), (SPONSOR_SHORT_FACTOR, sponsors)] if sponsors else [(1, members)]


def zone_values(problem: Problem, zone: Zone | None, allowed: set[int]) -> dict[int, float]:
    """Return each allowed block's location value for a zone, 0..1 (the nearer its door, higher)."""
    out: dict[int, float] = {}
    module = problem.module_m
    door = None
    if zone is not None and zone.near_entrance:
        for k in allowed:
            grid = problem.grids[problem.slots[k].hall]
            door = next((d for d in grid.hall.entrances if d.id == zone.near_entrance), door)
    dist: dict[int, float] = {}
    for k in allowed:
        s = problem.slots[k]
        if door is None:
            cells = s.cell_ids >= 0
            out[k] = float(s.value[cells].mean()) if cells.any() else 0.0
        else:
            x0, y0, x1, y1 = s.box(0, 0, s.n_along, s.n_deep, module)
            dist[k] = math.hypot((x0 + x1) / 2 - door.at[0], (y0 + y1) / 2 - door.at[1])
    if dist:
        far = max(dist.values()) or 1.0
        out = {k: 1.0 - d / far for k, d in dist.items()}
    return out


def draw_zones_model(
    problem: Problem,
    zones: Sequence[Zone],
    members: dict[str, list[Exhibitor]],
    allowed: dict[str, set[int]],
    open_members: Sequence[Exhibitor],
    hints: Sequence[dict[str, set[int]]],
    seed: int = 0,
    workers: int = 2,
) -> dict[str, set[int]] | None:
    """Return each zone's blocks, from one model over all zones, or None when it finds nothing.

    ``allowed[z]`` is the blocks zone ``z`` may take (its hall), ``hints`` feasible drawings.
    The open floor (blocks no zone takes) must hold ``open_members``.

    The search starts from the hint the model scores best, improves it two zones at a time
    (:func:`_pairs`), then searches the whole model from there; the best drawing stands.
    """
    if not zones:
        return {}
    zm = _build(problem, zones, members, allowed, open_members)
    best: tuple[list[int], float] | None = None
    for hint in hints:
        scored = _score(zm, problem, hint)
        if scored is not None and (best is None or scored[1] > best[1]):
            best = scored
    if best is not None:
        best = _pairs(zm, problem, *best)
        _hint_values(zm.m, best[0])
    # Interleaved workers: the search's LNS finds good drawings fast, and stays reproducible for
    # the same seed and workers.
    solver = _solver(workers, seed, ZONING_DET_TIME)
    status = solver.solve(zm.m)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found and (best is None or solver.objective_value > best[1]):
        best = ([solver.value(v) for v in _variables(zm.m)], solver.objective_value)
    if best is None:
        return None
    values = best[0]
    return {z.id: {k for k in sorted(allowed[z.id]) if values[zm.x[z.id, k].index]} for z in zones}


@dataclass
class _ZoneModel:
    """The zoning model and the variables the search reads and fixes."""

    m: cp_model.CpModel
    x: dict[tuple[str, int], cp_model.IntVar]  # zone, block -> the zone takes the block
    # Per contiguous zone, its connecting tree: root, depth and parent (block, neighbour) vars.
    trees: dict[
        str,
        tuple[
            dict[int, cp_model.IntVar],
            dict[int, cp_model.IntVar],
            dict[tuple[int, int], cp_model.IntVar],
        ],
    ]
    # Per zone (None: the open floor), the variables of what it is short of.
    short: dict[str | None, list[cp_model.IntVar]]


def _build(
    problem: Problem,
    zones: Sequence[Zone],
    members: dict[str, list[Exhibitor]],
    allowed: dict[str, set[int]],
    open_members: Sequence[Exhibitor],
) -> _ZoneModel:
    """Build the zoning model (see the module docstring)."""
    m = cp_model.CpModel()
    n_blocks = len(problem.slots)
    cap = [s.n_free for s in problem.slots]
    edge = [edge_capacity(s) for s in problem.slots]
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    for z in zones:
        for k in sorted(allowed[z.id]):
            x[z.id, k] = m.new_bool_var(f"x_{z.id}_{k}")
    in_zone: list[list[cp_model.IntVar]] = [[] for _ in range(n_blocks)]
    for (_, k), v in x.items():
        in_zone[k].append(v)
    for k in range(n_blocks):
        if len(in_zone[k]) > 1:
            m.add_at_most_one(in_zone[k])

    cost: list[cp_model.LinearExprT] = []
    reward: list[cp_model.LinearExprT] = []
    short_of: dict[str | None, list[cp_model.IntVar]] = {}
    order_weight = {z.id: 1.0 + (len(zones) - i) / len(zones) for i, z in enumerate(zones)}
    for z in zones:
        ks = sorted(allowed[z.id])
        demand = sum(e.modules for e in members[z.id])
        need = math.ceil(demand * (1 + SLACK_SHARE)) + SLACK_MODULES
        taken = sum(cap[k] * x[z.id, k] for k in ks)
        shallow_modules = shallow_demand(problem, members[z.id], set(ks))
        edge_taken = sum(edge[k] * x[z.id, k] for k in ks)
        # A deep block's core counts only for the deep stands that can use it.
        core_used = m.new_int_var(0, demand, f"core_{z.id}")
        m.add(core_used <= sum((cap[k] - edge[k]) * x[z.id, k] for k in ks))
        m.add(core_used <= demand - shallow_modules)
        short = m.new_int_var(0, need, f"short_{z.id}")
        m.add(edge_taken + core_used + short >= need)
        waste = m.new_int_var(0, sum(cap[k] for k in ks), f"waste_{z.id}")
        m.add(waste >= taken - need)
        cost += [SHORT_COST * short, WASTE_COST * waste]
        # The zone's shallow booths fit along the aisles, not in a deep block's core.
        shallow = math.ceil(shallow_modules * (1 + SLACK_SHARE))
        lack_edge = m.new_int_var(0, shallow, f"lack_edge_{z.id}")
        m.add(edge_taken + lack_edge >= shallow)
        cost.append(SHORT_COST * lack_edge)
        short_of[z.id] = [short, lack_edge]
        for factor, group in _by_standing(problem, members[z.id]):
            for need_k in group_needs(problem, group, set(ks)):
                lack = m.new_int_var(0, need_k.modules, f"lack_{z.id}_{len(cost)}")
                held = sum(cap[k] * x[z.id, k] for k in sorted(need_k.blocks))
                m.add(held + lack >= need_k.modules)
                cost.append(factor * SHORT_COST * lack)
                short_of[z.id].append(lack)
        # Location: each module of demand is worth up to the block's value (0..1), the zones
        # listed first a little more; a module given beyond the need costs more than that.
        values = zone_values(problem, z, set(ks))
        w = order_weight[z.id]
        reward += [round(w * values[k] * min(cap[k], demand)) * x[z.id, k] for k in ks]

    # The open floor: whatever no zone takes.
    open_demand = sum(e.modules for e in open_members)
    if open_demand:
        left = sum(cap[k] * (1 - sum(in_zone[k])) for k in range(n_blocks))
        short = m.new_int_var(0, open_demand, "short_open")
        m.add(left + short >= math.ceil(open_demand * (1 + SLACK_SHARE)))
        cost.append(SHORT_COST * short)
        everywhere = set(range(n_blocks))
        shallow = math.ceil(shallow_demand(problem, open_members, everywhere) * (1 + SLACK_SHARE))
        lack_edge = m.new_int_var(0, shallow, "lack_edge_open")
        m.add(sum(edge[k] * (1 - sum(in_zone[k])) for k in range(n_blocks)) + lack_edge >= shallow)
        cost.append(SHORT_COST * lack_edge)
        short_of[None] = [short, lack_edge]
        for factor, group in _by_standing(problem, open_members):
            for need_k in group_needs(problem, group, everywhere):
                lack = m.new_int_var(0, need_k.modules, f"lack_open_{len(cost)}")
                left_k = sum(cap[k] * (1 - sum(in_zone[k])) for k in sorted(need_k.blocks))
                m.add(left_k + lack >= need_k.modules)
                cost.append(factor * SHORT_COST * lack)
                short_of[None].append(lack)

    trees = {
        z.id: _connect(m, problem, z.id, sorted(allowed[z.id]), x) for z in zones if z.contiguous
    }
    m.maximize(cp_model.LinearExpr.sum(reward) - cp_model.LinearExpr.sum(cost))
    return _ZoneModel(m, x, trees, short_of)


def _score(
    zm: _ZoneModel, problem: Problem, drawing: dict[str, set[int]]
) -> tuple[list[int], float] | None:
    """Return the model's variables and objective with the zones' blocks fixed to ``drawing``."""
    zm.m.clear_hints()  # type: ignore[no-untyped-call]
    for zone, (root, depth, parent) in zm.trees.items():
        # A connected drawing's breadth-first tree, as a hint for the tree variables.
        hint_parent, hint_depth = bfs_tree(problem, drawing.get(zone, set()) & set(root))
        for k in root:
            zm.m.add_hint(root[k], hint_depth.get(k, -1) == 0)
            zm.m.add_hint(depth[k], min(hint_depth.get(k, 1), len(root) - 1))
        for (k, j), var in parent.items():
            zm.m.add_hint(var, hint_parent.get(k) == j)
    zm.m.add_assumptions([v if k in drawing.get(z_id, ()) else ~v for (z_id, k), v in zm.x.items()])
    solver = _solver(1, 0, ZONING_DET_TIME)
    status = solver.solve(zm.m)
    zm.m.clear_assumptions()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [solver.value(v) for v in _variables(zm.m)], solver.objective_value


def _solver(workers: int, seed: int, det_time: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    # CP-SAT's own Ctrl-C handler would replace the caller's (and leave none behind).
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.interleave_search = workers > 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = det_time
    return solver


def _variables(m: cp_model.CpModel) -> list[cp_model.IntVar]:
    return [m.get_int_var_from_proto_index(i) for i in range(len(m.proto.variables))]


def _hint_values(m: cp_model.CpModel, values: list[int]) -> None:
    m.clear_hints()  # type: ignore[no-untyped-call]
    for var, v in zip(_variables(m), values, strict=True):
        m.add_hint(var, v)


def _pairs(
    zm: _ZoneModel, problem: Problem, values: list[int], objective: float
) -> tuple[list[int], float]:
    """Improve a drawing two zones at a time, the others' blocks fixed; return it and its score.

    The whole model's search moves a zone a block or two at a time; freeing two zones lets them
    trade places or take open blocks, and such a model solves in a fraction of a second (year2:
    from short of 150 modules to short of none in about 2 deterministic seconds, where the whole
    model's search was still short after 8). The pairs tried are those with a zone short of
    something (every zone, when the open floor is), then those whose areas touch; rounds go on
    while one improves, within ``PAIR_DET_TIME`` in all. Each small solve is deterministic.
    """
    zones = list(dict.fromkeys(z for z, _ in zm.x))
    spent = 0.0
    for _ in range(PAIR_ROUNDS):
        better = False
        pairs = _pair_order(zm, problem, zones, values)
        if not pairs:
            break
        for a, b in pairs:
            if spent >= PAIR_DET_TIME:
                break
            # The others' blocks fixed in the variables' domains, so presolve drops them.
            part = zm.m.clone()
            _hint_values(part, values)
            for (z, _), var in zm.x.items():
                if z not in (a, b):
                    domain = part.proto.variables[var.index].domain  # a Boolean's [0, 1]
                    domain[0] = domain[1] = values[var.index]
            sub = _solver(1, 0, PAIR_SOLVE_DET_TIME)
            status = sub.solve(part)
            spent += sub.deterministic_time
            found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            if found and sub.objective_value > objective + 0.5:
                objective = sub.objective_value
                values = [sub.value(v) for v in _variables(part)]
                better = True
        if not better:
            break
    return values, objective


def _pair_order(
    zm: _ZoneModel, problem: Problem, zones: list[str], values: list[int]
) -> list[tuple[str, str]]:
    """Return the pairs of zones worth freeing together: when some zone (or the open floor) is
    short of something, those with a zone short of something, then those whose areas touch;
    none when nobody is short (the whole model's search polishes such a drawing)."""
    short = {z: sum(values[v.index] for v in zm.short.get(z, [])) for z in [*zones, None]}
    troubled = {z for z in zones if short[z] > 0}
    if short[None] > 0:
        troubled = set(zones)
    if not troubled:
        return []
    area = {z: {k for (zz, k), v in zm.x.items() if zz == z and values[v.index]} for z in zones}
    around = {z: {n for k in area[z] for n in problem.neighbours[k]} for z in zones}
    first: list[tuple[int, int, tuple[str, str]]] = []
    then: list[tuple[str, str]] = []
    for i, a in enumerate(zones):
        for b in zones[i + 1 :]:
            if a in troubled or b in troubled:
                first.append((short[a] + short[b], i, (a, b)))
            elif around[a] & area[b]:
                then.append((a, b))
    return [pair for *_, pair in sorted(first, key=lambda t: (-t[0], t[1]))] + then


def _connect(
    m: cp_model.CpModel,
    problem: Problem,
    zone: str,
    blocks: list[int],
    x: dict[tuple[str, int], cp_model.IntVar],
) -> tuple[
    dict[int, cp_model.IntVar],
    dict[int, cp_model.IntVar],
    dict[tuple[int, int], cp_model.IntVar],
]:
    """Keep a zone's blocks connected: a tree from one root, each block hanging from a neighbour.

    Every block but the root has a parent among its chosen neighbours, one step nearer the root.
    Returns the tree's root, depth and parent variables.
    """
    inside = set(blocks)
    depth_max = len(blocks) - 1
    root = {k: m.new_bool_var(f"root_{zone}_{k}") for k in blocks}
    m.add_exactly_one(root.values())
    depth = {k: m.new_int_var(0, depth_max, f"depth_{zone}_{k}") for k in blocks}
    parent: dict[tuple[int, int], cp_model.IntVar] = {}
    for k in blocks:
        m.add_implication(root[k], x[zone, k])
        m.add(depth[k] == 0).only_enforce_if(root[k])
        m.add(depth[k] >= 1).only_enforce_if(~root[k])
        parents = []
        for j in sorted(problem.neighbours[k] & inside):
            if j == k:
                continue
            p = m.new_bool_var(f"par_{zone}_{k}_{j}")
            m.add_implication(p, x[zone, j])
            m.add(depth[k] == depth[j] + 1).only_enforce_if(p)
            parent[k, j] = p
            parents.append(p)
        # A chosen block other than the root hangs from exactly one parent.
        m.add(sum(parents) == x[zone, k] - root[k])
    return root, depth, parent


def bfs_tree(
    problem: Problem, area: set[int], linked: set[tuple[int, int]] | None = None
) -> tuple[dict[int, int], dict[int, int]]:
    """Return parent and depth of each block on a breadth-first tree of ``area``.

    The tree grows from the area's first block over neighbouring blocks (only the ``linked``
    pairs, in either order, when given); blocks it cannot reach get none.
    """
    if not area:
        return {}, {}
    root = min(area)
    parent: dict[int, int] = {}
    depth = {root: 0}
    order = [root]
    for k in order:
        for j in sorted(problem.neighbours[k] & area):
            if linked is not None and (k, j) not in linked and (j, k) not in linked:
                continue
            if j not in depth:
                parent[j] = k
                depth[j] = depth[k] + 1
                order.append(j)
    return parent, depth


def best_block(problem: Problem, zone: Zone, area: set[int]) -> int:
    """Return the zone's seed: its block of best location value."""
    values = zone_values(problem, zone, area)
    return max(sorted(area), key=lambda k: (values[k], -k))
