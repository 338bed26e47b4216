"""Exact mode: an open floor and placement alone, solved as 2-D packing with interval variables.

One open hall (aisle scheme ``none``), every goal but ``placed`` weighted 0, no zone, competitor or
other rule that singles out positions: what is left is the 2-D orthogonal knapsack (and, when
everything fits, perfect packing). For it the standard CP-SAT model is stronger than the cell
model the rest of the solver uses: per exhibitor an optional x and y interval (its orientation a
choice when it may turn), ``NoOverlap2D`` over them, and the redundant cumulative constraint on
each axis — at every x, the depths standing there sum to at most the hall's depth, and the same
across — which prunes most of the search on tight instances. Identical requests are ordered
(the better one placed first, and placed ones left to right) so that the search does not
revisit their permutations. Cells that are not free (columns, reserved areas, a hall that is not
a rectangle) stand as fixed rectangles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from boothopt.solver.candidates import Group
from boothopt.solver.greedy import Choice, competitor_distances
from boothopt.solver.problem import Problem, Slot
from boothopt.solver.result import term_weights
from boothopt.solver.zoning import free_table, window_sums


def exact_mode(problem: Problem, groups: list[Group]) -> bool:
    """Return True when the problem is plain 2-D packing, where the interval model applies.

    One block over one open hall, placement the only weighted goal, nobody in a zone or with a
    competitor, and each group's candidates every free position of its shapes (so no other rule
    — booth type, load, height, power — removed a position the interval model would allow).
    """
    if problem.event.scheme.kind != "none" or len(problem.slots) != 1:
        return False
    if any(w for name, w in term_weights(problem).items() if name != "placed"):
        return False
    if any(e.zone for e in problem.exhibitors):
        return False
    if any(competitor_distances(problem).values()):
        return False
    slot = problem.slots[0]
    table = free_table(slot)
    for g in groups:
        if g.size == 0:
            continue
        positions = 0
        for w, d in group_shapes(g):
            if w > slot.n_along or d > slot.n_deep:
                continue
            positions += int((window_sums(table, w, d) == w * d).sum())
        if positions != g.size:
            return False
    return True


def group_shapes(g: Group) -> list[tuple[int, int]]:
    """Return the shapes (w, d) a group's candidates take, in order."""
    return sorted(set(zip(g.w.tolist(), g.d.tolist(), strict=True)))


class CandidateIndex:
    """Find a group's candidate by where it stands and its shape: (x, y, w, d) -> index."""

    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups
        self._by_group: dict[int, dict[tuple[int, int, int, int], int]] = {}

    def __call__(self, g: int, spot: tuple[int, int, int, int]) -> int:
        if g not in self._by_group:
            grp = self.groups[g]
            keys = zip(grp.i.tolist(), grp.j.tolist(), grp.w.tolist(), grp.d.tolist(), strict=True)
            self._by_group[g] = {key: k for k, key in enumerate(keys)}
        return self._by_group[g][spot]


@dataclass
class Packing:
    """The interval model of an exact-mode problem and how to read a layout back from it."""

    model: cp_model.CpModel
    present: list[cp_model.IntVar]
    x: list[cp_model.IntVar]
    y: list[cp_model.IntVar]
    shape: list[list[tuple[int, int, cp_model.IntVar]]]  # per item: (w, d, chosen)
    items: list[tuple[int, str]]  # per item: group index, exhibitor id


def build_packing(problem: Problem, groups: list[Group]) -> Packing:
    """Build the interval model over the one block (x along, y deep, in modules)."""
    slot = problem.slots[0]
    width, depth = slot.n_along, slot.n_deep
    m = cp_model.CpModel()
    present: list[cp_model.IntVar] = []
    xs: list[cp_model.IntVar] = []
    ys: list[cp_model.IntVar] = []
    shapes: list[list[tuple[int, int, cp_model.IntVar]]] = []
    items: list[tuple[int, str]] = []
    x_iv: list[cp_model.IntervalVar] = []
    y_iv: list[cp_model.IntervalVar] = []
    x_len: list[cp_model.LinearExprT] = []
    y_len: list[cp_model.LinearExprT] = []
    normal_x, normal_y = _normal_positions(slot, groups)
    for g in groups:
        if g.size == 0:
            continue
        options = group_shapes(g)
        previous: tuple[cp_model.IntVar, cp_model.IntVar, cp_model.IntVar] | None = None
        for e in g.members:
            p = m.new_bool_var(f"p_{e.id}")
            own = len(present)  # this item's place in the lists below
            x = m.new_int_var_from_domain(cp_model.Domain.from_values(normal_x[own]), f"x_{e.id}")
            y = m.new_int_var_from_domain(cp_model.Domain.from_values(normal_y[own]), f"y_{e.id}")
            if len(options) == 1:
                (w, d) = options[0]
                chosen = [(w, d, p)]
                x_interval = m.new_optional_fixed_size_interval_var(x, w, p, f"ix_{e.id}")
                y_interval = m.new_optional_fixed_size_interval_var(y, d, p, f"iy_{e.id}")
                wl: cp_model.LinearExprT = w
                dl: cp_model.LinearExprT = d
                m.add(x + w <= width).only_enforce_if(p)
                m.add(y + d <= depth).only_enforce_if(p)
            else:
                chosen = [(w, d, m.new_bool_var(f"o_{e.id}_{w}x{d}")) for w, d in options]
                m.add(sum(o for *_, o in chosen) == p)
                wv = m.new_int_var_from_domain(
                    cp_model.Domain.from_values(sorted({0, *(w for w, _ in options)})), f"w_{e.id}"
                )
                dv = m.new_int_var_from_domain(
                    cp_model.Domain.from_values(sorted({0, *(d for _, d in options)})), f"d_{e.id}"
                )
                m.add(wv == sum(w * o for w, _, o in chosen))
                m.add(dv == sum(d * o for _, d, o in chosen))
                x_end = m.new_int_var(0, width, f"xe_{e.id}")
                y_end = m.new_int_var(0, depth, f"ye_{e.id}")
                x_interval = m.new_optional_interval_var(x, wv, x_end, p, f"ix_{e.id}")
                y_interval = m.new_optional_interval_var(y, dv, y_end, p, f"iy_{e.id}")
                wl, dl = wv, dv
            if previous is not None:
                # Identical requests: the better one stands if the worse does, and to its left
                # (or below) when both stand.
                p0, x0, y0 = previous
                m.add_implication(p, p0)
                m.add(x0 * (depth + 1) + y0 <= x * (depth + 1) + y).only_enforce_if(p)
            previous = (p, x, y)
            present.append(p)
            xs.append(x)
            ys.append(y)
            shapes.append(chosen)
            items.append((g.index, e.id))
            x_iv.append(x_interval)
            y_iv.append(y_interval)
            x_len.append(wl)
            y_len.append(dl)
    for bx, by, bw, bd in _blocked_rectangles(slot):
        x_iv.append(m.new_fixed_size_interval_var(bx, bw, f"bx_{bx}_{by}"))
        y_iv.append(m.new_fixed_size_interval_var(by, bd, f"by_{bx}_{by}"))
        x_len.append(bw)
        y_len.append(bd)
    m.add_no_overlap_2d(x_iv, y_iv)
    # Redundant: at every x the depths standing there fit the hall's depth, and across.
    m.add_cumulative(x_iv, y_len, depth)
    m.add_cumulative(y_iv, x_len, width)
    # Redundant: the placed area fits the free cells.
    area = [p * (opts[0][0] * opts[0][1]) for p, opts in zip(present, shapes, strict=True)]
    m.add(sum(area) <= slot.n_free)
    values = {e_id: problem.priority[e_id] for _, e_id in items}
    m.maximize(sum(values[e_id] * p for p, (_, e_id) in zip(present, items, strict=True)))
    return Packing(m, present, xs, ys, shapes, items)


def _normal_positions(slot: Slot, groups: list[Group]) -> tuple[list[list[int]], list[list[int]]]:
    """Return, per item (in the model's order), the x and the y where it may stand.

    Normal patterns (Herz; Christofides and Whitlock): any packing stays a packing when every
    booth is pushed left, then down, as far as it goes; it then stops at the wall, at a cell that
    is not free, or at another booth, so its x is a wall or the right edge of a blocked cell plus
    the widths of some other booths in a chain. Only those x (and likewise y) need be searched.
    """
    blocked = slot.cell_ids < 0
    width, depth = slot.n_along, slot.n_deep
    starts_x = {0} | {i + 1 for i in range(width) if blocked[i].any()}
    starts_y = {0} | {j + 1 for j in range(depth) if blocked[:, j].any()}
    items: list[list[tuple[int, int]]] = []
    for g in groups:
        if g.size:
            options = group_shapes(g)
            items += [options] * len(g.members)
    out_x, out_y = [], []
    for own, options in enumerate(items):
        reach_x = _subset_sums(
            starts_x, [{w for w, _ in o} for k, o in enumerate(items) if k != own], width
        )
        reach_y = _subset_sums(
            starts_y, [{d for _, d in o} for k, o in enumerate(items) if k != own], depth
        )
        out_x.append(sorted(v for v in reach_x if v + min(w for w, _ in options) <= width))
        out_y.append(sorted(v for v in reach_y if v + min(d for _, d in options) <= depth))
    return out_x, out_y


def _subset_sums(starts: set[int], lengths: list[set[int]], limit: int) -> set[int]:
    """Return every start plus a sum of lengths, one from each of some of the sets, below limit."""
    reach = np.zeros(limit + 1, dtype=bool)
    reach[sorted(s for s in starts if s <= limit)] = True
    for options in lengths:
        grown = reach.copy()
        for n in options:
            if n <= limit:
                grown[n:] |= reach[: limit + 1 - n]
        reach = grown
    return set(np.nonzero(reach)[0].tolist())


def _blocked_rectangles(slot: Slot) -> list[tuple[int, int, int, int]]:
    """Return the block's cells that are not free as rectangles (x, y, w, d): runs along x."""
    blocked = slot.cell_ids < 0
    out = []
    for y in range(slot.n_deep):
        x = 0
        while x < slot.n_along:
            if blocked[x, y]:
                start = x
                while x < slot.n_along and blocked[x, y]:
                    x += 1
                out.append((start, y, x - start, 1))
            else:
                x += 1
    return out


def hint_packing(packing: Packing, groups: list[Group], layout: dict[str, Choice]) -> None:
    """Start the search from a layout of the cell model's candidates."""
    m = packing.model
    for p, x, y, chosen, (_, e_id) in zip(
        packing.present, packing.x, packing.y, packing.shape, packing.items, strict=True
    ):
        if e_id not in layout:
            m.add_hint(p, False)
            continue
        g, k = layout[e_id]
        w, d = int(groups[g].w[k]), int(groups[g].d[k])
        m.add_hint(p, True)
        m.add_hint(x, int(groups[g].i[k]))
        m.add_hint(y, int(groups[g].j[k]))
        if len(chosen) > 1:
            for cw, cd, o in chosen:
                m.add_hint(o, (cw, cd) == (w, d))


def read_packing(
    packing: Packing, groups: list[Group], solver: cp_model.CpSolver
) -> dict[str, Choice]:
    """Return the solver's layout as the cell model's candidates (group, candidate index)."""
    find = CandidateIndex(groups)
    out: dict[str, Choice] = {}
    for p, x, y, chosen, (g, e_id) in zip(
        packing.present, packing.x, packing.y, packing.shape, packing.items, strict=True
    ):
        if not solver.boolean_value(p):
            continue
        w, d = next((w, d) for w, d, o in chosen if solver.boolean_value(o))
        out[e_id] = (g, find(g, (solver.value(x), solver.value(y), w, d)))
    return out
