"""The baselines the optimizer must beat: two ways floor plans are made by hand.

- :func:`greedy_layout`, first come, first served: exhibitors in order of tier, then
  application date, biggest first; each takes the free spot nearest the entrances that keeps
  its competitors' distance.
- :func:`best_spot_layout`, what a careful floor manager does: exhibitors in the objective's own
  priority order (tier, priority points, date); each takes the free spot worth most to the whole
  objective: location, preferred hall, booth type, zone compactness, and partners already
  placed nearby.

Both are fast; the better of the two is the optimizer's starting point.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.candidates import Group, inside_drawn_areas
from boothopt.solver.problem import Problem
from boothopt.solver.result import candidate_worth, term_weights, too_close
from boothopt.solver.zone_rules import ZoneFloor

Choice = tuple[int, int]  # (group index, candidate index)


def competitor_distances(problem: Problem) -> dict[str, dict[str, float]]:
    """Return, per exhibitor, the distance each competitor must keep (both lists merged)."""
    out: dict[str, dict[str, float]] = {e.id: {} for e in problem.exhibitors}
    for e in problem.exhibitors:
        for other, metres in e.avoid:
            if other in out:
                out[e.id][other] = max(out[e.id].get(other, 0.0), metres)
                out[other][e.id] = max(out[other].get(e.id, 0.0), metres)
    return out


def best_spot_layout(problem: Problem, groups: list[Group]) -> dict[str, Choice]:
    """Place exhibitors in priority order, each on the free spot worth most to the objective."""
    weights = term_weights(problem)
    group_of = {e.id: g for g in groups for e in g.members}
    n_cells = sum(g.n_cells for g in problem.grids.values())
    taken = np.zeros(n_cells + 1, dtype=bool)  # the last entry pads the cell matrices
    apart = competitor_distances(problem)
    partners: dict[str, set[str]] = {e.id: set() for e in problem.exhibitors}
    for e in problem.exhibitors:
        for o in e.near:
            if o in partners:
                partners[e.id].add(o)
                partners[o].add(e.id)
    worth: dict[int, np.ndarray] = {}
    matrix: dict[int, np.ndarray] = {}
    placed_at: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    chosen: dict[str, Choice] = {}
    used: dict[int, np.ndarray] = {}
    inside: dict[int, np.ndarray] = {}
    zones = ZoneFloor(problem)
    for e in pinned_first(problem, problem.exhibitors):  # best first, pinned booths before all
        g = group_of[e.id]
        if g.size == 0:
            continue
        if g.index not in worth:
            worth[g.index] = candidate_worth(problem, g)
            matrix[g.index] = g.padded_cells(n_cells)
            used[g.index] = np.zeros(g.size, dtype=bool)
            inside[g.index] = inside_drawn_areas(problem, g)
        ok = inside[g.index] & ~used[g.index]
        ok[ok] = ~taken[matrix[g.index][ok]].any(axis=1)
        ok[ok] = zones.allowed(e, g, np.nonzero(ok)[0])
        for other, metres in apart[e.id].items():
            if other in placed_at and ok.any():
                slot, box = placed_at[other]
                ok &= ~too_close(problem, g.slot, g.boxes, slot, box, metres)[:, 0]
        if not ok.any():
            continue
        score = worth[g.index].copy()
        for other in partners[e.id]:
            if other in placed_at:
                near = np.fromiter(problem.neighbours[int(placed_at[other][0][0])], dtype=int)
                score += weights["partners"] * np.isin(g.slot, near)
        score[~ok] = -np.inf
        # Ties go to the first in the candidates' order, so the layout is reproducible.
        k = int(np.argmax(score))
        taken[g.cells[k]] = True
        used[g.index][k] = True
        placed_at[e.id] = (g.slot[k : k + 1], g.boxes[k : k + 1])
        chosen[e.id] = (g.index, k)
        zones.add(e, int(g.slot[k]), g.cells[k], g.boxes[k])
    return chosen


def pinned_first(problem: Problem, order: list[Exhibitor]) -> list[Exhibitor]:
    """Return ``order`` with the pinned exhibitors first (locked ones before those)."""
    return sorted(order, key=lambda e: (e.id not in problem.locked, e.id not in problem.pins))


def hand_order(problem: Problem, e: Exhibitor) -> tuple[object, ...]:
    """Return the sort key of a manual space draw: tier, date, biggest first."""
    return (problem.event.tier_rank(e.tier), e.applied_on or dt.date.max, -e.modules, e.id)


def greedy_layout(problem: Problem, groups: list[Group]) -> dict[str, Choice]:
    """Place exhibitors one by one in hand order; return exhibitor id -> chosen candidate."""
    group_of = {e.id: g for g in groups for e in g.members}
    taken = np.zeros(sum(g.n_cells for g in problem.grids.values()), dtype=bool)
    apart = competitor_distances(problem)
    placed_at: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # id -> (slot, box) as arrays
    used: dict[int, set[int]] = {g.index: set() for g in groups}
    order_cache: dict[int, np.ndarray] = {}
    chosen: dict[str, Choice] = {}
    zones = ZoneFloor(problem)
    for e in pinned_first(
        problem, sorted(problem.exhibitors, key=lambda x: hand_order(problem, x))
    ):
        g = group_of[e.id]
        if g.size == 0:
            continue
        if g.index not in order_cache:
            # The zone areas are drawn first, as by hand; within them, the best spots first.
            order = np.lexsort((g.j, g.i, g.slot, -g.value))
            order_cache[g.index] = order[inside_drawn_areas(problem, g)[order]]
        rivals = [(placed_at[o], m) for o, m in apart[e.id].items() if o in placed_at]
        order = order_cache[g.index]
        for k in order[zones.allowed(e, g, order)]:
            k = int(k)
            if k in used[g.index] or taken[g.cells[k]].any():
                continue
            box, slot = g.boxes[k : k + 1], g.slot[k : k + 1]
            if any(too_close(problem, slot, box, s, b, m)[0, 0] for (s, b), m in rivals):
                continue
            taken[g.cells[k]] = True
            used[g.index].add(k)
            placed_at[e.id] = (slot, box)
            chosen[e.id] = (g.index, k)
            zones.add(e, int(g.slot[k]), g.cells[k], g.boxes[k])
            break
    return chosen
