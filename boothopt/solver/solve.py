"""One entry point: ``solve(problem, time_limit, seed, workers)``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from ortools.sat.python import cp_model

from boothopt.solver.candidates import Group, build_groups
from boothopt.solver.greedy import Choice, competitor_distances, greedy_layout
from boothopt.solver.model import SCALE, AllocationModel
from boothopt.solver.problem import Problem
from boothopt.solver.result import (
    Booth,
    Result,
    SolveStatus,
    objective_value,
    rect_distance,
    score_terms,
)


@dataclass(frozen=True)
class Progress:
    """What a progress display shows while the solver runs."""

    elapsed_s: float
    objective: float | None
    bound: float | None


ProgressFn = Callable[[Progress], None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Note when solutions arrive and pass objective and bound to a progress display."""

    def __init__(self, start: float, on_progress: ProgressFn | None) -> None:
        super().__init__()
        self.start = start
        self.first: float | None = None
        self.on_progress = on_progress

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.start
        if self.first is None:
            self.first = now
        if self.on_progress is not None:
            self.on_progress(
                Progress(now, self.objective_value / SCALE, self.best_objective_bound / SCALE)
            )


def solve(
    problem: Problem,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    method: Literal["cpsat", "greedy"] = "cpsat",
    on_progress: ProgressFn | None = None,
) -> Result:
    """Assign booths: the CP-SAT optimizer started from the greedy layout, or the greedy alone.

    The time limit always returns the best layout found so far, with the bound and gap; so does
    Ctrl-C. With the same problem, seed and workers the result is the same: the search stops on
    CP-SAT's deterministic time (70 % of the limit, which tracks seconds on this kind of machine
    but not the machine's load); the wall-clock limit is only a guard.
    """
    start = time.perf_counter()
    groups = build_groups(problem)
    chosen = greedy_layout(problem, groups)
    if method == "greedy":
        return _result(
            problem,
            groups,
            chosen,
            SolveStatus.GREEDY,
            "greedy",
            None,
            start,
            seed,
            time_limit,
            1,
            time.perf_counter() - start,
        )
    built = AllocationModel(problem, groups)
    built.add_hint(chosen)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    # The deterministic limit ends the search reproducibly; the wall-clock one only guards the
    # time limit on a loaded machine, where runs may then differ.
    remaining = max(0.1, time_limit - (time.perf_counter() - start))
    # Measured on smartlife-2024 (2 workers): a deterministic second runs 1.3-1.4 wall seconds
    # with interleaved search, so 0.7 of the remaining time keeps most runs inside the limit.
    params.max_deterministic_time = 0.7 * remaining
    params.max_time_in_seconds = remaining
    params.interleave_search = params.num_workers > 1  # keeps parallel search deterministic
    params.symmetry_level = 0  # identical exhibitors are already grouped
    # The greedy hint is complete; a light presolve reaches it in 0.2 s instead of 0.8 s.
    params.cp_model_probing_level = 0
    params.max_presolve_iterations = 1
    watcher = _Watcher(start, on_progress)
    status = solver.solve(built.model, watcher)
    wall = time.perf_counter() - start
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        picked = _picked(built, groups, solver)
        state = SolveStatus.OPTIMAL if status == cp_model.OPTIMAL else SolveStatus.FEASIBLE
        bound = solver.best_objective_bound / SCALE
        return _result(
            problem,
            groups,
            picked,
            state,
            "cpsat",
            bound,
            start,
            seed,
            time_limit,
            params.num_workers,
            watcher.first,
        )
    return _result(
        problem,
        groups,
        chosen,
        SolveStatus.UNKNOWN,
        "cpsat",
        solver.best_objective_bound / SCALE,
        start,
        seed,
        time_limit,
        params.num_workers,
        wall,
    )


def _picked(
    built: AllocationModel, groups: list[Group], solver: cp_model.CpSolver
) -> dict[str, Choice]:
    """Give each group's chosen placements to its members: the best spot to the best member."""
    out: dict[str, Choice] = {}
    for g in groups:
        ks = [k for k, var in enumerate(built.x[g.index]) if solver.boolean_value(var)]
        ks.sort(key=lambda k: (-g.value[k], int(g.slot[k]), int(g.i[k]), int(g.j[k])))
        for member, k in zip(g.members, ks, strict=False):
            out[member.id] = (g.index, k)
    return out


def _result(
    problem: Problem,
    groups: list[Group],
    chosen: dict[str, Choice],
    status: SolveStatus,
    method: str,
    bound: float | None,
    start: float,
    seed: int,
    time_limit: float,
    workers: int,
    first_feasible: float | None,
) -> Result:
    booths = _number_booths(
        problem, [_booth(problem, groups[g], e, k) for e, (g, k) in chosen.items()]
    )
    terms = score_terms(problem, booths)
    objective = objective_value(problem, terms)
    unplaced = explain_unplaced(problem, groups, booths)
    return Result(
        status=status,
        method=method,
        booths=booths,
        unplaced=unplaced,
        terms=terms,
        objective=objective,
        bound=objective if bound is None else max(bound, objective),
        wall_s=time.perf_counter() - start,
        first_feasible_s=first_feasible,
        seed=seed,
        time_limit_s=time_limit,
        workers=workers,
        conflicts=list(problem.conflicts),
        reserved=list(problem.reserved),
    )


def _booth(problem: Problem, g: Group, exhibitor_id: str, k: int) -> Booth:
    slot = problem.slots[int(g.slot[k])]
    e = next(m for m in g.members if m.id == exhibitor_id)
    box = tuple(float(v) for v in g.boxes[k])
    return Booth(
        exhibitor_id,
        slot.hall,
        slot.index,
        int(g.i[k]),
        int(g.j[k]),
        int(g.w[k]),
        int(g.d[k]),
        (box[0], box[1], box[2], box[3]),
        tuple(int(c) for c in g.cells[k]),
        int(g.open_sides[k]),
        float(g.value[k]),
        e.zone,
    )


def _number_booths(problem: Problem, booths: list[Booth]) -> list[Booth]:
    """Number booths hall letter, row, number (``C-214``): rows by band, numbers along the row."""
    out = []
    by_row: dict[tuple[str, int], list[Booth]] = {}
    for b in booths:
        by_row.setdefault((b.hall, problem.slots[b.slot].band), []).append(b)
    for (hall, band), row in sorted(by_row.items()):
        row.sort(
            key=lambda b: (
                (b.box[0], b.box[1])
                if problem.slots[b.slot].block.axis == "x"
                else (b.box[1], b.box[0])
            )
        )
        for n, b in enumerate(row, start=1):
            out.append(replace(b, booth_no=f"{hall}-{band + 1}{n:02d}"))
    out.sort(key=lambda b: b.booth_no)
    return out


def explain_unplaced(
    problem: Problem, groups: list[Group], booths: list[Booth]
) -> list[tuple[str, str]]:
    """Return, for each exhibitor left out, the reason in a floor manager's words."""
    placed = {b.exhibitor_id: b for b in booths}
    taken = np.zeros(sum(g.n_cells for g in problem.grids.values()), dtype=bool)
    for b in booths:
        taken[list(b.cells)] = True
    apart = competitor_distances(problem)
    group_of = {e.id: g for g in groups for e in g.members}
    out = []
    for e in problem.exhibitors:
        if e.id in placed:
            continue
        g = group_of[e.id]
        shape = f"{e.shape[0]}x{e.shape[1]}" if e.shape else f"{e.modules}-module"
        if g.size == 0:
            out.append((e.id, g.no_place_reason))
            continue
        free = [k for k in range(g.size) if not taken[g.cells[k]].any()]
        where = (
            f"the {e.zone} zone's area"
            if e.zone in problem.zone_slots
            else "the halls " + ", ".join(problem.event.halls)
        )
        if not free:
            out.append(
                (e.id, f"no free {shape} space left in {where} after higher-priority exhibitors")
            )
            continue
        rivals = [(o, placed[o], m) for o, m in apart[e.id].items() if o in placed]
        blocked_by: set[str] = set()
        for k in free:
            hits = [
                o
                for o, b, m in rivals
                if rect_distance(g.boxes[k : k + 1], np.array([b.box]))[0, 0] < m - 1e-9
            ]
            if not hits:
                break
            blocked_by.update(hits)
        else:
            names = ", ".join(sorted(blocked_by))
            out.append(
                (e.id, f"every free {shape} space in {where} is too close to competitor {names}")
            )
            continue
        out.append(
            (
                e.id,
                f"left out to place higher-priority requests; a {shape} space is "
                "still free — a longer time limit may place it",
            )
        )
    return out
