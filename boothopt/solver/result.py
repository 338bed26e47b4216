"""What a solve returns: the booths, the unplaced with reasons, and how good it is, term by term."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from boothopt.solver.candidates import Group
from boothopt.solver.problem import Problem, ReservedPlacement


class SolveStatus(StrEnum):
    """How a solve ended."""

    OPTIMAL = "OPTIMAL"  # proven best
    FEASIBLE = "FEASIBLE"  # a layout, not proven best (time limit, interrupt)
    GREEDY = "GREEDY"  # the greedy baseline's layout
    UNKNOWN = "UNKNOWN"  # nothing better than the start was found


@dataclass(frozen=True)
class Booth:
    """One exhibitor's booth: where it is, how big, how open."""

    exhibitor_id: str
    hall: str
    slot: int
    i: int
    j: int
    w: int
    d: int
    box: tuple[float, float, float, float]
    cells: tuple[int, ...]
    open_sides: int
    value: float
    zone: str | None
    booth_no: str = ""

    @property
    def modules(self) -> int:
        """Return the booth's size in modules."""
        return self.w * self.d


@dataclass(frozen=True)
class TermScore:
    """One soft goal: the score reached and the most it could be."""

    score: float
    max: float


@dataclass
class Result:
    """The outcome of one solve."""

    status: SolveStatus
    method: str
    booths: list[Booth]
    unplaced: list[tuple[str, str]]  # exhibitor id, reason
    terms: dict[str, TermScore]
    objective: float
    bound: float
    bound_covers: str
    wall_s: float
    first_feasible_s: float | None
    seed: int
    time_limit_s: float  # wall clock; math.inf for none
    workers: int
    conflicts: list[str] = field(default_factory=list)
    reserved: list[ReservedPlacement] = field(default_factory=list)
    # Exhibitors left out while a space they fit is free or held by someone of lower priority
    # (none after an optimizer's run), and how many moves the optimizer's repair made for it.
    priority_breaches: list[str] = field(default_factory=list)
    priority_moves: int = 0
    # zone id -> the blocks it keeps: where its members stand (its area on the plan)
    zone_blocks: dict[str, list[int]] = field(default_factory=dict)
    # Each goal's score can reach at most this, each exhibitor at its own best legal spot.
    term_bounds: dict[str, float] = field(default_factory=dict)
    # Deterministic seconds the solve was given, and what ended it: "work limit", "time limit"
    # (the wall clock, before the work was done), "proved optimal", or "baseline".
    work_limit: float | None = None
    ended_by: str = "work limit"
    # Another run of the same problem, seed, workers and work limit gives the same layout: the
    # solve ran on a work limit and no wall clock ended a search.
    reproducible: bool = True

    @property
    def gap(self) -> float:
        """Return the relative gap between the bound and the objective.

        The bound holds for the problem as posed (``bound_covers`` says how), so the gap is how
        far the layout may be from the best one. Neither is adjusted to the other: a bound
        below the objective is a fault, shown as a negative gap.
        """
        return (self.bound - self.objective) / max(abs(self.bound), 1e-9)

    def summary(self) -> dict[str, object]:
        """Return the figures a floor manager reads after a run, JSON-ready."""
        return {
            "status": self.status.value,
            "method": self.method,
            "objective": round(self.objective, 4),
            "bound": round(self.bound, 4),
            "bound_covers": self.bound_covers,
            "gap": round(self.gap, 6),
            "placed": len(self.booths),
            "unplaced": len(self.unplaced),
            "first_feasible_s": None
            if self.first_feasible_s is None
            else round(self.first_feasible_s, 3),
            "wall_s": round(self.wall_s, 3),
            "seed": self.seed,
            "workers": self.workers,
            "time_limit_s": None if math.isinf(self.time_limit_s) else self.time_limit_s,
            "work_limit": None if self.work_limit is None else round(self.work_limit, 3),
            "ended_by": self.ended_by,
            "reproducible": self.reproducible,
            "terms": {
                k: {
                    "score": round(t.score, 4),
                    "max": round(t.max, 4),
                    "bound": round(self.term_bounds[k], 4) if k in self.term_bounds else None,
                }
                for k, t in self.terms.items()
            },
            "conflicts": list(self.conflicts),
            "priority_breaches": list(self.priority_breaches),
            "priority_moves": self.priority_moves,
        }


TERMS = ("placed", "location", "preferred_hall", "partners", "booth_type", "zone_compact")


def rect_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return the edge-to-edge distance between boxes ``a`` (n, 4) and ``b`` (m, 4), as (n, m).

    Examples
    --------
    >>> rect_distance(np.array([[0, 0, 3, 3]]), np.array([[6, 7, 9, 9], [3, 0, 6, 3]]))
    array([[5., 0.]])
    """
    dx = np.maximum(0.0, np.maximum(b[None, :, 0] - a[:, None, 2], a[:, None, 0] - b[None, :, 2]))
    dy = np.maximum(0.0, np.maximum(b[None, :, 1] - a[:, None, 3], a[:, None, 1] - b[None, :, 3]))
    return np.asarray(np.hypot(dx, dy))


def too_close(
    problem: Problem,
    slots_a: np.ndarray,
    boxes_a: np.ndarray,
    slots_b: np.ndarray,
    boxes_b: np.ndarray,
    metres: float,
) -> np.ndarray:
    """Return, as (n, m), which booths of ``a`` stand within ``metres`` of booths of ``b``.

    Distance is edge to edge on one level; booths on different levels are never close (halls
    one above the other share coordinates, not floor).
    """
    level = problem.slot_level
    same = level[np.asarray(slots_a)][:, None] == level[np.asarray(slots_b)][None, :]
    return np.asarray(same & (rect_distance(boxes_a, boxes_b) < metres - 1e-9))


def zone_closeness(problem: Problem, zone: str | None, slot: int) -> float:
    """Return 1 for the zone's seed block, falling to 0 at the farthest block it may keep."""
    if zone is None or zone not in problem.zone_seed:
        return 0.0
    seed = problem.slots[problem.zone_seed[zone]]
    module = problem.module_m
    sx0, sy0, sx1, sy1 = seed.box(0, 0, seed.n_along, seed.n_deep, module)

    def dist(k: int) -> float:
        s = problem.slots[k]
        x0, y0, x1, y1 = s.box(0, 0, s.n_along, s.n_deep, module)
        return math.hypot((x0 + x1 - sx0 - sx1) / 2, (y0 + y1 - sy0 - sy1) / 2)

    # Over every block the zone may keep, so that its value stays within 0..1.
    far = max(
        (dist(k) for k in problem.zone_reach.get(zone, problem.zone_slots[zone])), default=0.0
    )
    return 1.0 if far <= 0 else 1.0 - dist(slot) / far


def candidate_terms(problem: Problem, g: Group) -> dict[str, np.ndarray]:
    """Return, per candidate of ``g``, what it adds to each linear soft term for one member."""
    e = g.members[0]
    tw = problem.tier_weight[e.id]
    halls = np.array([problem.slots[s].hall for s in g.slot], dtype=object)
    prefers = np.isin(halls, list(e.halls)) if e.halls else np.zeros(g.size, dtype=bool)
    # Sides beyond the asked minimum are a bonus for "any" and "corner+" requests alone.
    base = e.sides_bonus_from
    extra_sides = (g.open_sides - base) / 3.0 if base is not None else np.zeros(g.size)
    closeness = np.zeros(g.size)
    if e.zone:
        # Once per block, not per candidate: a group has thousands of candidates in a few blocks.
        blocks, back = np.unique(g.slot, return_inverse=True)
        closeness = np.array([zone_closeness(problem, e.zone, int(s)) for s in blocks])[back]
    return {
        "location": tw * g.value,
        "preferred_hall": prefers.astype(float),
        "booth_type": tw * extra_sides,
        "zone_compact": closeness,
    }


def candidate_worth(problem: Problem, g: Group, skip: tuple[str, ...] = ()) -> np.ndarray:
    """Return what each candidate of ``g`` adds to the weighted soft goals for one member."""
    weights = term_weights(problem)
    worth = np.zeros(g.size)
    for name, values in candidate_terms(problem, g).items():
        if name not in skip:
            worth += weights[name] * np.asarray(values, dtype=float)
    return worth


def score_terms(problem: Problem, booths: list[Booth]) -> dict[str, TermScore]:
    """Score a layout term by term, the same way for the optimizer and the greedy."""
    placed = {b.exhibitor_id: b for b in booths}
    prio, tw = problem.priority, problem.tier_weight
    scores = dict.fromkeys(TERMS, 0.0)
    maxima = dict.fromkeys(TERMS, 0.0)
    for e in problem.exhibitors:
        maxima["placed"] += prio[e.id]
        maxima["location"] += tw[e.id]
        maxima["preferred_hall"] += 1.0 if e.halls else 0.0
        base = e.sides_bonus_from
        maxima["booth_type"] += tw[e.id] * (4 - base) / 3.0 if base is not None else 0.0
        maxima["zone_compact"] += 1.0 if e.zone in problem.zone_seed else 0.0
        b = placed.get(e.id)
        if b is None:
            continue
        scores["placed"] += prio[e.id]
        scores["location"] += tw[e.id] * b.value
        scores["preferred_hall"] += 1.0 if b.hall in e.halls else 0.0
        if base is not None:
            scores["booth_type"] += tw[e.id] * (b.open_sides - base) / 3.0
        scores["zone_compact"] += zone_closeness(problem, e.zone, b.slot)
    for a_id, b_id in partner_pairs(problem):
        maxima["partners"] += 1.0
        if a_id in placed and b_id in placed and are_close(problem, placed[a_id], placed[b_id]):
            scores["partners"] += 1.0
    return {k: TermScore(scores[k], maxima[k]) for k in TERMS}


def partner_pairs(problem: Problem) -> list[tuple[str, str]]:
    """Return each pair of partners once, in a stable order."""
    ids = {e.id for e in problem.exhibitors}
    pairs = {tuple(sorted((e.id, o))) for e in problem.exhibitors for o in e.near if o in ids}
    return sorted((a, b) for a, b in pairs)


def are_close(problem: Problem, a: Booth, b: Booth) -> bool:
    """Return True when two booths share a block or face each other across one aisle."""
    return b.slot in problem.neighbours[a.slot]


def objective_value(problem: Problem, terms: dict[str, TermScore]) -> float:
    """Return the weighted sum of the term scores (what the optimizer maximizes)."""
    weights = term_weights(problem)
    return sum(weights[k] * terms[k].score for k in TERMS)


def term_weights(problem: Problem) -> dict[str, float]:
    """Return the weight of each term; placement's is :func:`placement_weight`."""
    w = problem.event.weights
    return {
        "placed": placement_weight(problem),
        "location": w.location,
        "preferred_hall": w.preferred_hall,
        "partners": w.partners,
        "booth_type": w.booth_type,
        "zone_compact": w.zone_compact,
    }


def placement_weight(problem: Problem) -> float:
    """Return the weight of one unit of priority value: more than every soft goal at its best.

    One more unit of placed priority (one more exhibitor on the floor, or a better one in
    another's place) then outweighs anything the soft goals could give up for it, so a layout
    that leaves out someone who fits, or someone better than one placed, is never worth more.
    The event's own ``placed`` weight counts when it is larger. The margin of one unit per
    exhibitor covers the model's rounding of the soft coefficients to integers.
    """
    if problem.placement_unit is not None:
        return problem.placement_unit
    w = problem.event.weights
    maxima = score_terms(problem, [])
    soft = {
        "location": w.location,
        "preferred_hall": w.preferred_hall,
        "partners": w.partners,
        "booth_type": w.booth_type,
        "zone_compact": w.zone_compact,
    }
    top = sum(weight * maxima[name].max for name, weight in soft.items())
    if top == 0:
        # Placement alone: the objective is the placed exhibitors' priority points, times the
        # event's weight, and nothing else (values are points times ``points_scale``).
        problem.placement_unit = float(w.placed) / problem.points_scale
        return problem.placement_unit
    problem.placement_unit = max(float(w.placed), math.ceil(top) + 1.0 + len(problem.exhibitors))
    return problem.placement_unit
