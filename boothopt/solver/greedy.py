"""The greedy baseline: first come, first served, as floor plans are made by hand.

Exhibitors go in order of tier, then application date, biggest first; each takes the best free
spot (nearest the entrances) that keeps its competitors' distance. It is fast, it is what the
optimizer must beat, and its layout is the optimizer's starting point.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.candidates import Group
from boothopt.solver.problem import Problem
from boothopt.solver.result import too_close

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
    for e in sorted(problem.exhibitors, key=lambda x: hand_order(problem, x)):
        g = group_of[e.id]
        if g.size == 0:
            continue
        if g.index not in order_cache:
            order_cache[g.index] = np.lexsort((g.j, g.i, g.slot, -g.value))
        rivals = [(placed_at[o], m) for o, m in apart[e.id].items() if o in placed_at]
        for k in order_cache[g.index]:
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
            break
    return chosen
