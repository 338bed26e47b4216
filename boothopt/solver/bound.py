"""A bound on the objective that holds for the problem as posed, whatever the zones' areas.

The optimizer works on a floor where each zone's area is drawn first, so CP-SAT's own bound
covers only layouts with those areas. The bound here drops instead two rules of the posed
problem, so that every layout of it scores no more:

- booths may overlap: each exhibitor's soft goals count at its own best legal spot (right size
  and type, zone's hall, needs), zone compactness at its best (1), every partner pair as met;
- who is placed is limited only by what each block can hold: the placed priority is at most
  the optimum of a linear program that spreads exhibitors fractionally over the blocks where
  their booth fits (zones anywhere in their hall), each block holding no more than its free
  cells (each booth takes at least its cells, with an island's or peninsula's kept-free strips).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from boothopt.solver.candidates import build_groups
from boothopt.solver.problem import Problem
from boothopt.solver.result import candidate_terms, partner_pairs, term_weights


@dataclass(frozen=True)
class Bound:
    """An upper bound on the objective, what it covers in a sentence, and one per goal.

    ``terms`` bounds each goal's score alone (placed priority included), each at its own best.
    """

    value: float
    covers: str
    terms: dict[str, float] = field(default_factory=dict)


WHOLE_PROBLEM = (
    "every layout of the posed problem, zone areas free: each exhibitor on its best legal spot, "
    "placed priority limited by what each block's free cells can hold"
)
CPSAT_WHOLE_FLOOR = "every layout of the posed problem: CP-SAT's bound of the whole-floor model"


def whole_problem_bound(problem: Problem) -> Bound:
    """Return the bound described in the module docstring."""
    weights = term_weights(problem)
    soft = 0.0
    best = dict.fromkeys(weights, 0.0)
    # Per group: its members' priority values, and the fewest cells a booth of it takes per
    # module in each block where it fits.
    spread: list[tuple[int, list[float], dict[int, float]]] = []
    placeable: set[str] = set()
    for g in build_groups(problem, zone_areas="free"):
        if g.size == 0:
            continue
        worth = np.zeros(g.size)
        per_term = candidate_terms(problem, g)
        for name, values in per_term.items():
            if name != "zone_compact":
                worth += weights[name] * np.asarray(values, dtype=float)
        modules = g.members[0].modules
        per_block: dict[int, float] = {}
        for k in range(g.size):
            b = int(g.slot[k])
            per_block[b] = min(per_block.get(b, np.inf), len(g.cells[k]) / modules)
        for e in g.members:
            soft += float(worth.max())
            for name, values in per_term.items():
                if name != "zone_compact":
                    best[name] += float(np.max(values))
            if e.zone in problem.zone_seed:
                soft += weights["zone_compact"]
                best["zone_compact"] += 1.0
            placeable.add(e.id)
        spread.append((modules, [float(problem.priority[e.id]) for e in g.members], per_block))
    pairs = partner_pairs(problem)
    met = sum(1 for a, b in pairs if a in placeable and b in placeable)
    soft += weights["partners"] * met
    best["partners"] = float(met)
    capacity = {s.index: s.n_free for s in problem.slots}
    best["placed"] = block_capacity_bound(spread, capacity)
    return Bound(weights["placed"] * best["placed"] + soft, WHOLE_PROBLEM, best)


def block_capacity_bound(
    spread: list[tuple[int, list[float], dict[int, float]]], capacity: dict[int, int]
) -> float:
    """Return the most priority the blocks can hold, exhibitors spread fractionally.

    ``spread`` holds, per group of interchangeable exhibitors: their modules, their priority
    values, and per block where they fit the fewest cells a booth takes per module. A linear
    program (GLOP) places a fraction of each exhibitor, its modules spread over those blocks;
    should it fail, the looser knapsack of priority into all free cells stands in.
    """
    from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]

    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None or not spread:
        return _area_knapsack(spread, capacity)
    load: dict[int, list[tuple[float, pywraplp.Variable]]] = {b: [] for b in capacity}
    objective = []
    for n, (modules, values, per_block) in enumerate(spread):
        placed = [solver.NumVar(0.0, 1.0, f"y{n}_{m}") for m in range(len(values))]
        shares = {b: solver.NumVar(0.0, solver.infinity(), f"x{n}_{b}") for b in per_block}
        solver.Add(sum(shares.values()) == modules * sum(placed))
        for b, var in shares.items():
            load[b].append((per_block[b], var))
        objective += [v * y for v, y in zip(values, placed, strict=True)]
    for b, terms in load.items():
        if terms:
            solver.Add(sum(c * var for c, var in terms) <= capacity[b])
    solver.Maximize(sum(objective))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return _area_knapsack(spread, capacity)
    # GLOP solves to a relative tolerance of about 1e-7: a margin above it keeps the bound one.
    return float(solver.Objective().Value()) * (1 + 1e-6) + 1e-6


def _area_knapsack(
    spread: list[tuple[int, list[float], dict[int, float]]], capacity: dict[int, int]
) -> float:
    items = [(v, modules) for modules, values, _ in spread for v in values]
    return fractional_knapsack(items, sum(capacity.values()))


def fractional_knapsack(items: list[tuple[float, int]], capacity: int) -> float:
    """Return the most value that fits in ``capacity``, items (value, size) cut as needed.

    Examples
    --------
    >>> fractional_knapsack([(10.0, 2), (9.0, 3), (1.0, 1)], 4)
    16.0
    """
    total, room = 0.0, float(capacity)
    for value, size in sorted(items, key=lambda it: (-it[0] / it[1], it[1])):
        if room <= 0:
            break
        take = min(1.0, room / size)
        total += take * value
        room -= take * size
    return total


def rounding_margin(problem: Problem, scale: int) -> float:
    """Return how far the model's integer objective (over ``scale``) may fall below the true one.

    Each soft coefficient is rounded twice by at most a half unit; an exhibitor takes one
    candidate, with one coefficient per goal. A goal of weight 0 has no coefficient to round
    (with placement alone, the objective is exact and the margin 0).
    """
    weights = term_weights(problem)
    per_exhibitor = sum(0.5 * w + 0.5 for name, w in weights.items() if name != "placed" and w)
    return len(problem.exhibitors) * per_exhibitor / scale
