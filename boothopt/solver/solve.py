"""One entry point: ``solve(problem, time_limit, seed, workers)``."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from ortools.sat.python import cp_model

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.bound import CPSAT_WHOLE_FLOOR, Bound, rounding_margin, whole_problem_bound
from boothopt.solver.candidates import Group, build_groups, inside_drawn_areas
from boothopt.solver.fill import branches_per_second, fill_all
from boothopt.solver.greedy import (
    Choice,
    best_spot_layout,
    competitor_distances,
    greedy_layout,
)
from boothopt.solver.model import SCALE, AllocationModel
from boothopt.solver.packing import (
    CandidateIndex,
    build_packing,
    exact_mode,
    group_shapes,
    hint_packing,
    read_packing,
)
from boothopt.solver.priority import priority_breaches, restore_priority
from boothopt.solver.problem import Problem
from boothopt.solver.result import (
    Booth,
    Result,
    SolveStatus,
    TermScore,
    objective_value,
    placement_weight,
    score_terms,
    too_close,
)
from boothopt.solver.trades import (
    grow_zones,
    move_to_preferred_halls,
    trade_booths,
    trade_for_goals,
)
from boothopt.solver.zone_rules import ZoneFloor, strays


@dataclass(frozen=True)
class Progress:
    """What a progress display shows while the solver runs."""

    elapsed_s: float
    objective: float | None  # the whole floor's, when the stage solves the whole floor
    bound: float | None
    stage: str = ""  # what the solver is doing: "whole floor", "hall C (1/2)", ...


ProgressFn = Callable[[Progress], None]


class Interrupt:
    """A request to stop the solve from outside (Ctrl-C, SIGTERM): the search running stops at
    once, the passes after it are skipped, and the best layout found so far is returned."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None
        self.reason = ""

    def stop(self, reason: str = "interrupted") -> None:
        """Ask the solve to stop; safe to call from any thread, and again: CP-SAT forgets a stop
        that comes as its search starts, so a caller repeats it until the solve returns."""
        with self._lock:
            self.reason = self.reason or reason
            self._event.set()
            if self._solver is not None:
                self._solver.stop_search()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def running(self, solver: cp_model.CpSolver | None) -> None:
        """Note the search now running (None when it has ended), stopping it if asked already."""
        with self._lock:
            self._solver = solver
            if solver is not None and self._event.is_set():
                solver.stop_search()


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Note when solutions arrive and pass the stage, objective and bound to a progress display.

    One watcher follows every stage of a solve; a hall's objective is not the whole floor's, so
    only the stage is shown then.
    """

    def __init__(self, start: float, on_progress: ProgressFn | None) -> None:
        super().__init__()
        self.start = start
        self.first: float | None = None
        self.on_progress = on_progress
        self.stage = "whole floor"
        self.whole_floor = True
        self.clock_cut = False  # a search or a pass was ended by the wall clock, not the work
        self.proved = True  # every search since this was last set ended proved
        self.bound_valid = True  # the whole floor's model is the posed problem (no zone drawn)

    def enter(self, stage: str, whole_floor: bool = False) -> None:
        """Start a stage, and show it."""
        self.stage, self.whole_floor = stage, whole_floor
        if self.on_progress is not None:
            self.on_progress(Progress(time.perf_counter() - self.start, None, None, stage))

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.start
        if self.first is None:
            self.first = now
        if self.on_progress is None:
            return
        if self.whole_floor:
            # CP-SAT's bound is the problem's only when no zone area was drawn in advance.
            objective = self.objective_value / SCALE
            bound = self.best_objective_bound / SCALE if self.bound_valid else None
            self.on_progress(Progress(now, objective, bound, self.stage))
        else:
            self.on_progress(Progress(now, None, None, self.stage))


def solve(
    problem: Problem,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    method: Literal["cpsat", "greedy", "best-spot"] = "cpsat",
    on_progress: ProgressFn | None = None,
    started_at: float | None = None,
    work_limit: float | None = None,
    interrupt: Interrupt | None = None,
) -> Result:
    """Assign booths: the CP-SAT optimizer, or one of the two hand-made baselines alone.

    ``greedy`` is first come, first served; ``best-spot`` takes exhibitors in priority order,
    each to the spot worth most to the objective; ``cpsat`` starts from the better of the two.

    The optimizer works in passes. The first solves the whole floor inside the zone areas
    drawn in advance and decides who is placed; the next keep who stands in which hall and
    re-solve one hall at a time for the other goals — location, halls, partners, open sides,
    compact zones — with each zone free to move a block and its rows closed up, where a search
    of the whole floor rarely gets far at show scale. Then exhibitors of the same size trade
    booths and those outside their preferred hall move to free places there, where the objective
    rises; goals left behind a baseline's are polished hall by hall with every other goal kept;
    last, the priority repair (:mod:`.priority`). The reported bound holds for the problem as
    posed (:mod:`.bound`).

    Two limits, as commercial solvers have them. ``work_limit`` is CP-SAT's deterministic time
    for the passes (it counts work, not seconds, so a busy machine does not change it): with the
    same problem, seed, workers and work limit the result is the same, and ``time_limit`` is only
    a guard (``math.inf`` for none); when the guard ends a search before its work is done, the
    result says so (``ended_by``, ``reproducible``). Without a work limit, ``time_limit`` (wall
    clock) is the limit: the passes share it as they would 0.45 deterministic seconds per second,
    a run not proved optimal keeps improving until it is used, and two runs may differ. Either
    way the best layout found so far is returned, with the bound and gap.

    ``started_at`` (a ``time.perf_counter()`` reading) is when the caller's clock started, so
    that reading the event and laying out the floor count against the time limit too.
    ``interrupt``, when stopped, ends the search at once with the best layout so far
    (``ended_by`` "interrupted").
    """
    start = time.perf_counter() if started_at is None else started_at
    if on_progress is not None:
        on_progress(Progress(time.perf_counter() - start, None, None, "baselines"))
    groups = build_groups(problem)
    baselines = {"greedy": greedy_layout(problem, groups)}
    if method != "greedy":
        # A careful floor manager ends with a sweep: whoever is left out and now fits a free
        # space, or the place of someone lower, gets it.
        baselines["best-spot"], _ = restore_priority(
            problem, groups, best_spot_layout(problem, groups)
        )
    greedy_s = time.perf_counter() - start
    # Without a work limit the passes share the time limit as they would its work (0.45
    # deterministic seconds per second), each stopped by the wall clock instead.
    work = DETERMINISTIC_RATE * time_limit if work_limit is None else work_limit
    run = _Run(
        start,
        seed,
        time_limit,
        workers,
        work,
        deterministic=work_limit is not None,
        interrupt=interrupt or Interrupt(),
    )
    if method != "cpsat":
        return _result(
            problem,
            groups,
            baselines[method],
            SolveStatus.GREEDY,
            method,
            None,
            replace(run, workers=1),
            greedy_s,
            ended_by="baseline",
        )
    chosen = max(
        baselines.values(),
        key=lambda layout: objective_value(problem, _scores(problem, groups, layout)),
    )
    watcher = _Watcher(start, on_progress)
    watcher.bound_valid = not any(problem.zone_slots.values())
    if exact_mode(problem, groups):
        return _solve_exact(problem, groups, chosen, run, watcher, greedy_s)
    # The whole floor's pass works inside the zone areas drawn in advance (the zones' own blocks
    # and rows are decided there; the hall passes then let them move a block): a model of every
    # block a zone may reach was three times larger and found nothing in 30 s (smartlife-2024).
    drawn, drawn_back = _in_drawn_areas(problem, groups)
    size = sum(g.size for g in drawn)
    # The first pass's deterministic seconds; a whole-floor model's are capped (its memory grows
    # with its search), the hall passes get the rest.
    first_budget = FIRST_PASS_SHARE * work
    # One model of the whole floor, unless it is too large, or its share too short for it to
    # get past its hint (smartlife-2024, 17 k placements: nothing better than the hint for 16
    # wall seconds; at 30 s, 257 and 261 placed that way, 262 hall by hall).
    short = first_budget < min(FIRST_PASS_MAX_DET, WHOLE_FLOOR_DET_PER_CANDIDATE * size)
    decomposed = size > WHOLE_FLOOR_MAX_CANDIDATES or short
    if not decomposed:
        first_budget = min(first_budget, FIRST_PASS_MAX_DET)
    if decomposed:
        # Too large for one model: who is placed is decided hall by hall, each hall's pass
        # free to place anyone still waiting, no goal below the starting layout's.
        picked = _hall_passes(
            problem, groups, chosen, run, watcher, first_budget, place=True, stage="placing"
        )
        bound, state = None, SolveStatus.FEASIBLE
    else:
        watcher.enter("whole floor", whole_floor=True)
        built = AllocationModel(problem, drawn, unbroken_rows=False)
        built.add_hint(_to_sub(chosen, drawn_back))
        remaining = max(0.1, time_limit - (time.perf_counter() - start))
        status, solver = _search(built, first_budget, remaining, run, watcher)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        # CP-SAT's bound covers the problem as posed only when no zone area was drawn in
        # advance (the model's floor is then the whole floor); and only when it has a layout
        # of its own (without one it reports 0).
        whole = found and not any(problem.zone_slots.values())
        bound = None
        if whole:
            bound = solver.best_objective_bound / SCALE + rounding_margin(problem, SCALE)
        picked = _from_sub(_picked(built, drawn, solver), drawn_back) if found else chosen
        state = SolveStatus.FEASIBLE if found else SolveStatus.UNKNOWN
        if status == cp_model.OPTIMAL and whole:
            state = SolveStatus.OPTIMAL
        del built, solver  # the whole floor's model is the largest thing held; let it go
    last_polish = 0.0  # deterministic seconds kept for the polish at the end
    seat = 0.0  # deterministic seconds kept for re-packing a zone someone of it is out of
    if run.interrupt.requested:
        pass  # the best layout so far is kept as it is
    elif state != SolveStatus.OPTIMAL and time_limit - (time.perf_counter() - start) <= 0.5:
        watcher.clock_cut = True
    elif state != SolveStatus.OPTIMAL:
        # Second pass: who stands, and in which hall, stays; where in the hall is improved, one
        # hall at a time (a hall's model is a fraction of the whole and converges).
        # Their own share of the deterministic budget, whatever the first pass took: so the
        # budgets, and the layout, do not depend on how fast the machine ran.
        # The last share is kept from the start for the polish at the end (taken out of
        # whatever the hall passes left, it was cut by the clock: smartlife-2024, 0 s of 6 s).
        polish = POLISH_SHARE * work
        pool = work - first_budget - polish
        watcher.proved = True
        kept_s = polish / DETERMINISTIC_RATE  # the polish's share, on the wall clock
        improved = _hall_passes(
            problem, groups, picked, run, watcher, pool, stage="improving", keep_s=kept_s
        )
        # Without a work limit the time given is used: more rounds of hall passes while time
        # is left (less the polish's share) and some hall's search is not proved.
        rounds = 0
        while not run.deterministic and rounds < EXTRA_ROUNDS_MAX:
            left = time_limit - (time.perf_counter() - start) - _reserve_s(problem, groups)
            left -= polish / DETERMINISTIC_RATE
            if left < 1.0 or watcher.proved or run.interrupt.requested:
                break
            watcher.proved = True
            rounds += 1
            improved = _hall_passes(
                problem,
                groups,
                improved,
                run,
                watcher,
                DETERMINISTIC_RATE * left,
                stage=f"improving, round {rounds + 1}",
                keep_s=kept_s,
            )
        # A zone member still waiting, or standing apart from its zone (the clock may cut a
        # hall's pass before it closes the zone's rows up), gets a re-pack of its zone once the
        # strays are taken off below, from the kept share.
        # A zone split in two (37 strays at 30 s) is left to the polish's hall passes, which
        # seat its part apart again with the whole hall's model: a re-pack taking half their
        # share seated only some (the example at 30 s: 261 and 257 placed, 262 without it).
        apart = _without_strays(problem, groups, improved)[1]
        few = len(apart) <= ZONE_SEAT_STRAYS_MAX
        if few and (apart or _zone_members_out(problem, groups, improved)):
            seat = min(ZONE_SEAT_DET, polish / 2)
            polish -= seat
        # The kept share polishes, after the trades, a goal left behind a baseline's; with
        # nothing behind, it goes to one more round for every goal.
        last_polish = polish
        if not _behind(problem, groups, improved, list(baselines.values())):
            improved = _hall_passes(
                problem, groups, improved, run, watcher, polish, stage="improving, last round"
            )
            last_polish = 0.0
        if improved != picked:
            picked, state = improved, SolveStatus.FEASIBLE
    # The optimizer never ends below where it started: a first pass cut short by its work
    # limit may stop at a layout worse than the baseline it was hinted with (the model repairs
    # a hint its stricter zone constraints refuse).
    if _value(problem, groups, picked) < _value(problem, groups, chosen):
        picked = dict(chosen)
        state = SolveStatus.FEASIBLE if state == SolveStatus.OPTIMAL else state
    # A zone's booths form one group. The hall passes close the whole floor's gaps; a run cut
    # short may leave some: those standing apart give up their booths and are seated again
    # next to their zone, where it has room.
    picked, apart_from_zone = _without_strays(problem, groups, picked)
    if apart_from_zone:
        state = SolveStatus.FEASIBLE if state == SolveStatus.OPTIMAL else state
    # A zone member left out, or just taken off as a stray, gets a re-pack of its zone's blocks
    # (smartlife-2024 at 60 s: strays left after a hall's pass the clock cut, and 1 run in 3
    # could seat them nowhere after).
    if seat and _zone_members_out(problem, groups, picked) and not run.interrupt.requested:
        picked = _seat_zone_members(problem, groups, picked, run, watcher, seat)
    # Halls are settled hall by hall: someone left outside their preferred hall, or away from
    # a partner, trades booths with someone of the same size where that raises the objective.
    # Someone left outside their preferred hall with no one to trade with moves to a free
    # place there, where that raises the objective.
    if state != SolveStatus.OPTIMAL:
        picked, _ = trade_booths(problem, groups, picked, problem.locked)
        picked, _ = move_to_preferred_halls(problem, groups, picked)
        # A zone member left out for want of room in its zone's blocks: the zone takes a block
        # next to it whose booths all move to free places elsewhere (one more placed outweighs
        # the rest). Before the polish, which then sees what the moves cost (smartlife-2024,
        # seed 1: five moved out of their preferred halls, 41 down to 36, best-spot 37).
        picked, _ = grow_zones(problem, groups, picked)
    # Last, a goal the weighted search and the trades left behind a baseline's is raised, every
    # other goal kept where it is (before the trades, the trades gave some of it back).
    behind = _behind(problem, groups, picked, list(baselines.values())) if last_polish else {}
    halls_seat = 0.0  # the share for seating exhibitors in their preferred halls
    if behind and not run.interrupt.requested:
        # A share of it is kept for re-packing a zone the polish leaves someone apart from,
        # and, with the preferred halls behind, one to seat someone in them (the polish keeps
        # everyone in their hall).
        after = min(ZONE_SEAT_DET / 2, last_polish / 4)
        if "preferred_hall" in behind:
            halls_seat = min(HALL_SEAT_DET, last_polish / 4)
        picked = _hall_passes(
            problem,
            groups,
            picked,
            run,
            watcher,
            last_polish - after - halls_seat,
            behind,
            stage="polishing",
        )
        # A polish holds the goals where they are, not the rows closed up (a layout the trades
        # and moves changed may not keep them): a zone member it left apart gives up its booth
        # and is seated again, by a re-pack of its zone (smartlife-2024, seed 1: a stray the
        # polish made, and 1 run in 2 found it no other place).
        picked, _ = _without_strays(problem, groups, picked)
        if _zone_members_out(problem, groups, picked) and not run.interrupt.requested:
            picked = _seat_zone_members(problem, groups, picked, run, watcher, after)
    # Preferred halls still not leading the baselines': a block of such a hall is re-packed
    # with the block of someone standing outside it (year2: 44 of 45, tied with best-spot).
    behind = _behind(problem, groups, picked, list(baselines.values())) if halls_seat else {}
    if "preferred_hall" in behind and not run.interrupt.requested:
        picked = _seat_in_preferred_halls(
            problem, groups, picked, list(baselines.values()), run, watcher, halls_seat
        )
    # Once more for a zone member the polish left out.
    if state != SolveStatus.OPTIMAL:
        picked, _ = grow_zones(problem, groups, picked)
    # A goal that still does not lead the baselines' is raised by trades, moves to free places
    # and region swaps that cost the other goals least, each kept above the baselines' (with
    # half its lead); before the priority repair, which then fills any place a move left free.
    if state != SolveStatus.OPTIMAL:
        picked = _trade_for_behind(problem, groups, picked, list(baselines.values()))
    # Whatever the search and the trades left, nobody stays out while a space they fit is free
    # or held by someone of lower priority (each such move raises the objective).
    picked, moves = restore_priority(problem, groups, picked)
    if moves and state == SolveStatus.OPTIMAL:
        state = SolveStatus.FEASIBLE  # cannot happen with a proved optimum; never claim one then
    first = watcher.first if watcher.first is not None else greedy_s
    ended_by, reproducible = _ending(run, watcher, state)
    return _result(
        problem, groups, picked, state, "cpsat", bound, run, first, moves, ended_by, reproducible
    )


def _solve_exact(
    problem: Problem,
    groups: list[Group],
    start: dict[str, Choice],
    run: _Run,
    watcher: _Watcher,
    greedy_s: float,
) -> Result:
    """Solve an exact-mode problem: a layout that places everyone (:mod:`.fill`) when one is
    found in its share of the run; otherwise the interval model (:mod:`.packing`), the rest of
    the work given.

    Placing everyone is optimal and proved (no layout is worth more); otherwise the bound is
    CP-SAT's (the model is the whole problem, its objective the placed priority exactly), and
    ``OPTIMAL`` only when CP-SAT proved it.
    """
    everyone = _fill_everyone(problem, groups, run, watcher)
    if everyone is not None:
        # Everyone stands: no layout is worth more (priority values are never negative).
        everything = sum(problem.priority.values()) * placement_weight(problem)
        first = watcher.first if watcher.first is not None else greedy_s
        ended_by, reproducible = _ending(run, watcher, SolveStatus.OPTIMAL)
        return _result(
            problem,
            groups,
            everyone,
            SolveStatus.OPTIMAL,
            "cpsat",
            everything,
            run,
            first,
            0,
            ended_by,
            reproducible,
        )
    watcher.enter("packing", whole_floor=True)
    packing = build_packing(problem, groups)
    hint_packing(packing, groups, start)
    guard = run.time_limit - (time.perf_counter() - run.start)
    if not run.deterministic:
        guard -= _reserve_s(problem, groups)
    # On the wall clock the plain parallel portfolio searched packings better (the interleaved
    # one sometimes stopped seconds short of its limit: perfect-07 at 48 s of 60). A work-limited
    # run searches with one worker: interleaved workers on this model gave three layouts in three
    # runs beside a busy process (perfect-09, --work-limit 20: 2,402, 2,420, 2,416); one worker
    # gave 2,433 each time.
    work = run.work * (1.0 - _fill_share(problem, groups)) if run.deterministic else run.work
    solver = _new_solver(run, work, guard, interleave=False, one_to_repeat=True)
    status = _solve_with(solver, packing.model, _PackingWatcher(watcher, problem), run, watcher)
    picked = start
    state, bound = SolveStatus.UNKNOWN, None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        picked = read_packing(packing, groups, solver)
        state = SolveStatus.OPTIMAL if status == cp_model.OPTIMAL else SolveStatus.FEASIBLE
        # The model's objective is the placed priority values; the result's, those times
        # the unit of placement (the event's weight over the points' scale).
        bound = solver.best_objective_bound * placement_weight(problem)
    picked, moves = restore_priority(problem, groups, picked)
    if moves and state == SolveStatus.OPTIMAL:
        state = SolveStatus.FEASIBLE
    first = watcher.first if watcher.first is not None else greedy_s
    ended_by, reproducible = _ending(run, watcher, state)
    return _result(
        problem, groups, picked, state, "cpsat", bound, run, first, moves, ended_by, reproducible
    )


def _fill_everyone(
    problem: Problem, groups: list[Group], run: _Run, watcher: _Watcher
) -> dict[str, Choice] | None:
    """Look for a layout that places every exhibitor of an exact-mode problem (:mod:`.fill`);
    return it, or None when there is none or none was found within its share of the run
    (:func:`_fill_share`).

    A work-limited run counts the search's branches, so it repeats; on the wall clock the
    search gets its share of the time left.
    """
    slot = problem.slots[0]
    items: list[list[tuple[int, int]]] = []
    owners: list[tuple[int, str]] = []
    for g in groups:
        shapes = group_shapes(g)
        for e in g.members:
            items.append(shapes)
            owners.append((g.index, e.id))
    spare = _spare_cells(problem, groups)
    if spare < 0 or any(not shapes for shapes in items):
        return None  # not everyone fits the floor's area, or someone fits nowhere
    watcher.enter("filling the floor", whole_floor=True)
    taken = [
        sum(1 << x for x in range(slot.n_along) if slot.cell_ids[x, y] < 0)
        for y in range(slot.n_deep)
    ]
    left = run.time_limit - (time.perf_counter() - run.start) - _reserve_s(problem, groups)
    share = _fill_share(problem, groups)
    deadline = time.perf_counter() + (left if run.deterministic else share * left)
    rate = branches_per_second(slot.n_along, slot.n_deep)
    nodes = int(rate * share * run.work) if run.deterministic else 10**12
    spots = fill_all(
        slot.n_along,
        slot.n_deep,
        taken,
        items,
        spare,
        nodes,
        deadline=deadline,
        seed=run.seed,
        workers=run.workers,
        stop=lambda: run.interrupt.requested,
    )
    if spots is None:
        if run.deterministic and time.perf_counter() > deadline:
            watcher.clock_cut = True
        return None
    if watcher.first is None:
        watcher.first = time.perf_counter() - watcher.start
    find = CandidateIndex(groups)
    layout: dict[str, Choice] = {
        e_id: (index, find(index, spot)) for (index, e_id), spot in zip(owners, spots, strict=True)
    }
    return layout


def _spare_cells(problem: Problem, groups: list[Group]) -> int:
    """Return the free cells of an exact-mode floor less the area everyone asks for (those
    who fit somewhere: a group with no candidate placement has no shape)."""
    asked = sum(min(w * d for w, d in group_shapes(g)) * len(g.members) for g in groups if g.size)
    return problem.slots[0].n_free - asked


def _fill_share(problem: Problem, groups: list[Group]) -> float:
    """Return the share of an exact-mode run for the search that places everyone: more when
    the requests fill the floor to the last cell, where only that search finds a layout; none
    when it does not run (not everyone fits the floor's area, or someone fits nowhere)."""
    spare = _spare_cells(problem, groups)
    if spare < 0 or any(g.members and not g.size for g in groups):
        return 0.0
    return FILL_SHARE_PERFECT if spare == 0 else FILL_SHARE


class _PackingWatcher(cp_model.CpSolverSolutionCallback):
    """Pass the packing model's solutions on to the solve's watcher, in the result's units."""

    def __init__(self, watcher: _Watcher, problem: Problem) -> None:
        super().__init__()
        self.watcher = watcher
        self.unit = placement_weight(problem)

    def on_solution_callback(self) -> None:
        w = self.watcher
        now = time.perf_counter() - w.start
        if w.first is None:
            w.first = now
        if w.on_progress is not None:
            objective = self.objective_value * self.unit
            bound = self.best_objective_bound * self.unit
            w.on_progress(Progress(now, objective, bound, w.stage))


def _without_strays(
    problem: Problem, groups: list[Group], layout: dict[str, Choice]
) -> tuple[dict[str, Choice], list[str]]:
    """Return ``layout`` without the zone members standing apart from their zone, and who they
    are (the priority repair seats them again next to their zone, where it has room)."""
    apart = strays(problem, {e: tuple(groups[g].boxes[k]) for e, (g, k) in layout.items()})
    return {e: c for e, c in layout.items() if e not in apart}, apart


def _guard_s(problem: Problem, groups: list[Group], run: _Run) -> float:
    """Return the wall seconds a search late in a solve may take: what is left of the time
    limit, less (on the wall clock) the end of the solve's reserve (:func:`_reserve_s`)."""
    left = run.time_limit - (time.perf_counter() - run.start)
    return left if run.deterministic else left - _reserve_s(problem, groups)


def _reserve_s(problem: Problem, groups: list[Group]) -> float:
    """Return the wall seconds kept for the end of a solve: building a hall's model, the
    trades, the moves to preferred halls, the repair, the bound, the result. They grow with the
    candidate placements: about 2 s on smartlife-2024 (262 exhibitors), 11 s on Jamsil 2031
    (2,118 exhibitors, 589 k placements: trades 4 s, the bound 7 s; with 5 s kept, and the moves
    to preferred halls then taking 13 s, its runs ended 20-25 s late). The goal trades and the
    repair grow with the exhibitors, most with those left out: the doubled smartlife-2024 table
    (524 exhibitors, 256 left out) spent 3.5 s after its passes, and ended 0.9 s late with
    2 ms an exhibitor kept."""
    candidates = sum(g.size for g in groups)
    return 1.0 + 4e-3 * len(problem.exhibitors) + RESERVE_PER_CANDIDATE_S * candidates


def _scores(
    problem: Problem, groups: list[Group], chosen: dict[str, Choice]
) -> dict[str, TermScore]:
    """Return each term's score of a layout."""
    booths = [_booth(problem, groups[g], e, k) for e, (g, k) in chosen.items()]
    return score_terms(problem, booths)


def _against_baselines(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    baselines: list[dict[str, Choice]],
) -> tuple[dict[str, TermScore], dict[str, float], set[str]]:
    """Return the layout's term scores, the baselines' best score of each term, and the terms
    where the layout does not lead them: those below a baseline's, and the soft goals level
    with one and short of their maximum (a tie is not a lead)."""
    ours = _scores(problem, groups, layout)
    best = {name: max(_scores(problem, groups, b)[name].score for b in baselines) for name in ours}

    def trails(name: str) -> bool:
        score = ours[name].score
        if score < best[name] - 1e-9:
            return True
        return name != "placed" and score <= best[name] + 1e-9 and score < ours[name].max - 1e-9

    return ours, best, {name for name in ours if trails(name)}


def _behind(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    baselines: list[dict[str, Choice]],
) -> dict[str, float]:
    """Return the terms where ``layout`` does not lead the baselines (see
    :func:`_against_baselines`), each with 1 / their best."""
    _, best, trailing = _against_baselines(problem, groups, layout, baselines)
    return {name: 1.0 / max(best[name], 1e-3) for name in sorted(trailing)}


def _trade_for_behind(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    baselines: list[dict[str, Choice]],
) -> dict[str, Choice]:
    """Raise, by trades (:func:`~boothopt.solver.trades.trade_for_goals`), each soft goal that
    does not lead the baselines to ``GOAL_LEAD`` past their best (or to its maximum); every
    other goal keeps at least ``LEAD_KEPT`` of its lead over the baselines. Returns the layout
    (the same when every goal leads)."""
    scores, best, trailing = _against_baselines(problem, groups, layout, baselines)
    ours = {name: t.score for name, t in scores.items()}
    raise_to = {
        name: min(scores[name].max, best[name] + GOAL_LEAD * abs(best[name]) + 1e-6)
        for name in ours
        if name in trailing and name != "placed"
    }
    raise_to = {name: target for name, target in raise_to.items() if target > ours[name] + 1e-9}
    if not raise_to:
        return layout
    floors = {
        name: best[name] + LEAD_KEPT * (ours[name] - best[name])
        for name in ours
        if name not in raise_to
    }
    out, _ = trade_for_goals(problem, groups, layout, ours, raise_to, floors, problem.locked)
    return out


def _hall_passes(
    problem: Problem,
    groups: list[Group],
    picked: dict[str, Choice],
    run: _Run,
    watcher: _Watcher,
    pool: float,
    raise_terms: dict[str, float] | None = None,
    place: bool = False,
    stage: str = "improving",
    keep_s: float = 0.0,
) -> dict[str, Choice]:
    """Re-solve each hall with its exhibitors kept in it; return the improved layout.

    The halls share ``pool`` deterministic seconds by their number of exhibitors. With
    ``raise_terms`` (name -> weight), a hall's pass keeps every term at least where it is and
    raises those: the polish that lifts a goal the weighted search traded away. Everyone left
    out waits, and a hall's pass may place them; its own stay placed. With ``place``, who stands
    is open too: a hall's pass may also leave out one of its own for someone of higher priority
    (who then waits for the next hall). On the wall clock, ``keep_s`` seconds are kept for the
    stages after the passes (the polish's share: a deterministic second runs longer than its
    estimate on some machines, and the passes ate it).
    """
    hall_of = {e: problem.slots[int(groups[g].slot[k])].hall for e, (g, k) in picked.items()}
    counts = Counter(hall_of.values())
    out = dict(picked)
    # Whoever is left out waits: a hall's pass may place them (its zones can take a block more).
    waiting = {e.id for e in problem.exhibitors if e.id not in picked}
    total = sum(counts.values())
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not run.deterministic:
        # On the wall clock, the halls share what is left of it (the passes before may have
        # run long): a share larger than that would starve the last halls.
        left = run.time_limit - (time.perf_counter() - run.start) - _reserve_s(problem, groups)
        pool = min(pool, DETERMINISTIC_RATE * (left - keep_s))
    current = _value(problem, groups, out)  # the layout's objective, as the halls improve it
    for number, (hall, n) in enumerate(order, start=1):
        remaining = run.time_limit - (time.perf_counter() - run.start)
        if not run.deterministic:
            # The next halls' models and the end of the solve.
            remaining -= _reserve_s(problem, groups) + keep_s
        if run.interrupt.requested:
            break
        if remaining < 0.05:
            watcher.clock_cut = True
            break
        watcher.enter(f"{stage} hall {hall} ({number}/{len(order)})")
        subs, back = _hall_groups(problem, groups, out, hall, hall_of, waiting)
        position = {
            (g, int(k)): (i, j) for i, (g, idx) in enumerate(back) for j, k in enumerate(idx)
        }
        local = {e: position[choice] for e, choice in out.items() if hall_of.get(e) == hall}
        # Unbroken rows only where no floor is taken from the layout: a hall the last pass could
        # not close up would otherwise make the model infeasible (and crash the search).
        model = AllocationModel(problem, subs, unbroken_rows=not (raise_terms or place))
        model.add_hint(local)
        if raise_terms:
            model.polish(model.term_values(local), raise_terms)
        elif place:
            # Placing from the greedy layout: no goal of the hall may fall below where it was,
            # so the whole floor ends at least at the greedy's on every goal.
            model.add_floors(model.term_values(local))
        # The wall-clock guard is all the time left: a tighter one would stop runs on a busy
        # machine and make them differ.
        budget = pool * n / total
        if budget < 0.05:
            break
        large = sum(g.size for g in subs) > LNS_ONLY_ABOVE
        # A polish, every goal held at a floor, moves little by local search; the full search
        # side by side does (smartlife-2024, 4 s a hall: booth type 13.4 -> 13.5 interleaved,
        # 16.5 side by side, 15.6 with one worker).
        status, solver = _search(
            model, budget, remaining, run, watcher, lns_only=large, portfolio=bool(raise_terms)
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            here = _picked(model, subs, solver)
            trial = {e: c for e, c in out.items() if hall_of.get(e) != hall}
            for e, (i, j) in here.items():
                g, idx = back[i]
                trial[e] = (g, int(idx[j]))
            # A pass whose search stopped below its hint (a hint its stricter zone rules refuse
            # is repaired, and the repair may be poor when the work runs out) changes nothing:
            # the layout only ever improves.
            trial_value = _value(problem, groups, trial)
            if trial_value < current:
                continue
            current = trial_value
            for e in [e for e in out if hall_of.get(e) == hall and e not in here]:
                del out[e], hall_of[e]
                waiting.add(e)
            for e in here:
                out[e] = trial[e]
                hall_of[e] = hall
                waiting.discard(e)
    return out


def _seat_zone_members(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    run: _Run,
    watcher: _Watcher,
    budget: float,
) -> dict[str, Choice]:
    """Seat zone members left out by re-packing their zone: a small model of the zone's blocks
    with the zone's members standing there and those left out, accepted when it raises the
    objective (placed priority first). Returns the layout.

    The hall passes search a whole hall and may run out of work before they rearrange a zone
    so that a 12-module stand fits among its blocks' free cells (smartlife-2024: a gold stand
    left out beside 33 free cells of its zone, none of them 6 x 2 together), or before they
    close its rows up (its strays are then taken off); a model of the zone alone does it within
    about a deterministic second. The model holds the zone's blocks and the empty blocks next
    to them; when that seats not all, a wider one adds the blocks next to the zone that hold
    exhibitors of no zone (none of them pinned or locked), who are re-packed with it (at most
    ``ZONE_SEAT_NEIGHBOURS`` of them): the zone may take one of those blocks. Zones go in the
    priority order of their first member left out, at most ``ZONE_SEAT_TRIES``, sharing
    ``budget`` deterministic seconds, half of a zone's share for the first model.
    """
    people = {e.id: e for e in problem.exhibitors}
    has_places = {e.id for g in groups if g.size for e in g.members}
    fixed = set(problem.locked) | set(problem.pins)
    waiting = [e for e in problem.exhibitors if e.zone and e.id in has_places - set(layout)]
    zones = list(dict.fromkeys(str(e.zone) for e in waiting))[:ZONE_SEAT_TRIES]
    out = dict(layout)
    current = _value(problem, groups, out)

    def repack(zone: str, members: set[str], blocks: set[int], work: float) -> float:
        """Re-pack ``members`` in ``blocks``; keep the result if it raises the objective.
        Return the deterministic seconds used."""
        nonlocal out, current
        remaining = _guard_s(problem, groups, run)
        if run.interrupt.requested or remaining < 0.05 or work < 0.05:
            return 0.0
        watcher.enter(f"re-packing the {zone} zone")
        subs, back = _block_groups(problem, groups, out, members, blocks)
        position = {
            (g, int(k)): (i, j) for i, (g, idx) in enumerate(back) for j, k in enumerate(idx)
        }
        # Rows closed up: the zone's booths in a block stand side by side (its blocks hold
        # nobody else, so they can always close up).
        model = AllocationModel(problem, subs, unbroken_rows=True)
        model.add_hint({m: position[out[m]] for m in members if m in out and out[m] in position})
        # Everyone of the model placed: the search looks for that packing first, not for
        # better spots of those already placed (smartlife-2024: the gold stand seated in 0.5
        # deterministic seconds instead of 2.5).
        model.place_everyone()
        # Side by side, not interleaved: CP-SAT 9.15 aborts the process ("Check failed:
        # heuristics.fixed_search != nullptr") on an interleaved search of a model its presolve
        # proves infeasible, and everyone placed often is (the doubled table).
        status, solver = _search(model, work, remaining, run, watcher, portfolio=True)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            trial = {m: c for m, c in out.items() if m not in members}
            for m, (i, j) in _picked(model, subs, solver).items():
                g, idx = back[i]
                trial[m] = (g, int(idx[j]))
            value = _value(problem, groups, trial)
            # Unbroken columns do not keep a deep block's booths together (one in the front
            # row, one in the back, five rows apart): a layout with a zone apart is refused
            # (smartlife-2024: the tourism zone in 3 groups in its 9 x 6 block).
            apart = _without_strays(problem, groups, trial)[1]
            if value > current and not any(people[m].zone == zone for m in apart):
                out, current = trial, value
        return float(solver.deterministic_time)

    def around(zone: str) -> tuple[set[str], set[int], dict[int, list[str]], list[int]]:
        """Return the zone's members standing, their blocks, who stands in each block, and
        the blocks next to the zone's."""
        members = {m for m in out if people[m].zone == zone}
        kept = {int(groups[out[m][0]].slot[out[m][1]]) for m in members}
        standing: dict[int, list[str]] = defaultdict(list)
        for m, (g, k) in out.items():
            standing[int(groups[g].slot[k])].append(m)
        near = sorted(set().union(*(problem.neighbours[b] for b in kept)) - kept)
        return members, kept, standing, near

    def cells_of(ids: set[str]) -> int:
        return sum(len(groups[out[m][0]].cells[out[m][1]]) for m in ids)

    def fitting(zone: str, blocks: set[int], standing_there: set[str]) -> set[str]:
        """Return the zone's members left out that the blocks' free cells could hold, in
        priority order (everyone of the model is placed: a model asking for more than the
        cells hold is infeasible, as with the doubled table)."""
        room = sum(problem.slots[b].n_free for b in blocks) - cells_of(standing_there)
        chosen = set()
        for e in waiting:
            if e.zone == zone and e.id not in out and e.modules <= room:
                chosen.add(e.id)
                room -= e.modules
        return chosen

    for zone in zones:
        share = budget / len(zones)
        members, kept, standing, near = around(zone)
        if not members:
            continue
        blocks = kept | {b for b in near if not standing[b]}
        wanting = fitting(zone, blocks, members)
        used = 0.0
        if wanting:
            used = repack(zone, members | wanting, blocks, share / 2)
        if not any(e.zone == zone and e.id not in out for e in waiting):
            continue
        # Wider: the blocks next to the zone that hold exhibitors of no zone, fewest first.
        members, kept, standing, near = around(zone)
        wide = kept | {b for b in near if not standing[b]}
        others: set[str] = set()
        movable = [
            b
            for b in near
            if standing[b] and not any(people[m].zone or m in fixed for m in standing[b])
        ]
        for b in sorted(movable, key=lambda b: (len(standing[b]), b)):
            if len(others) + len(standing[b]) > ZONE_SEAT_NEIGHBOURS:
                break
            others |= set(standing[b])
            wide.add(b)
        wanting = fitting(zone, wide, members | others)
        if others and wanting:
            repack(zone, members | wanting | others, wide, share - used)
    return out


def _seat_in_preferred_halls(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    baselines: list[dict[str, Choice]],
    run: _Run,
    watcher: _Watcher,
    budget: float,
) -> dict[str, Choice]:
    """Give exhibitors standing outside their preferred halls a place there by re-packing a
    block of such a hall together with the block they stand in; return the layout.

    The hall passes keep everyone in their hall, and a trade needs a booth of the same size and
    type: an 8-module corner request in Hall A of year2 found neither in Hall C, whose blocks
    were full. Here a small model holds one block of a preferred hall (the one with the most
    free cells first; none holding a zone's members or anyone pinned or locked) and the
    exhibitor's own block, with everyone standing in either: every one of them placed and one
    more of them in a preferred hall, so the exhibitor may move there while someone there takes
    the exhibitor's place or a free one. The result is kept when the preferred halls rise (the
    whole floor's count, read again) and every other goal stays where it is or keeps at least
    ``LEAD_KEPT`` of its lead over the baselines. Exhibitors go in priority order, at most
    ``HALL_SEAT_TRIES`` blocks each, sharing ``budget`` deterministic seconds.
    """
    people = {e.id: e for e in problem.exhibitors}
    fixed = set(problem.locked) | set(problem.pins)
    out = dict(layout)

    def block_of(e_id: str) -> int:
        g, k = out[e_id]
        return int(groups[g].slot[k])

    def hall_of(e_id: str) -> str:
        return problem.slots[block_of(e_id)].hall

    away = [
        e
        for e in problem.exhibitors
        if e.halls
        and e.id in out
        and e.zone is None
        and e.id not in fixed
        and hall_of(e.id) not in e.halls
    ]
    away.sort(key=lambda e: problem.draw_rank[e.id])
    tries = len(away) * HALL_SEAT_TRIES
    if not tries:
        return out
    scores, best, _ = _against_baselines(problem, groups, out, baselines)
    group_of = {e.id: g.index for g in groups for e in g.members}
    for e in away:
        if run.interrupt.requested or _guard_s(problem, groups, run) < 0.05:
            break
        standing: dict[int, set[str]] = defaultdict(set)
        for m in out:
            standing[block_of(m)].add(m)
        closed = {
            b for b, ids in standing.items() if any(people[m].zone or m in fixed for m in ids)
        }
        home = block_of(e.id)
        if home in closed:
            continue
        g = groups[group_of[e.id]]
        there = {int(b) for b in np.unique(g.slot) if problem.slots[int(b)].hall in e.halls}
        taken = {
            b: sum(len(groups[out[m][0]].cells[out[m][1]]) for m in ids)
            for b, ids in standing.items()
        }
        targets = sorted(
            there - closed,
            key=lambda b: (-(problem.slots[b].n_free - taken.get(b, 0)), b),
        )[:HALL_SEAT_TRIES]
        for target in targets:
            members = standing[target] | standing[home] | {e.id}
            if len(members) > HALL_SEAT_MEMBERS:
                continue
            watcher.enter("seating in preferred halls")
            subs, back = _block_groups(problem, groups, out, members, {target, home})
            position = {
                (gi, int(k)): (i, j) for i, (gi, idx) in enumerate(back) for j, k in enumerate(idx)
            }
            local = {m: position[out[m]] for m in members if out[m] in position}
            model = AllocationModel(problem, subs, unbroken_rows=True)
            model.add_hint(local)
            model.place_everyone()
            # One more of them in a preferred hall (the exhibitor, or someone of either block).
            halls_now = model.term_values(local).get("preferred_hall", 0)
            model.add_floors({"preferred_hall": halls_now + 1})
            guard = _guard_s(problem, groups, run)  # each search's own: the last one took time
            status, solver = _search(model, budget / tries, guard, run, watcher, portfolio=True)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                continue
            trial = {m: c for m, c in out.items() if m not in members}
            for m, (i, j) in _picked(model, subs, solver).items():
                gi, idx = back[i]
                trial[m] = (gi, int(idx[j]))
            now = _scores(problem, groups, trial)
            if now["preferred_hall"].score <= scores["preferred_hall"].score + 1e-9:
                continue
            if any(
                now[name].score
                < min(
                    scores[name].score,
                    best[name] + LEAD_KEPT * (scores[name].score - best[name]),
                )
                - 1e-9
                for name in scores
                if name != "preferred_hall"
            ):
                continue
            out, scores = trial, now
            break
    return out


def _zone_members_out(problem: Problem, groups: list[Group], layout: dict[str, Choice]) -> bool:
    """Return whether some zone member with a place of its own is left out of ``layout``."""
    return any(e.zone and e.id not in layout for g in groups if g.size for e in g.members)


def _value(problem: Problem, groups: list[Group], layout: dict[str, Choice]) -> float:
    """Return the objective of a layout."""
    return objective_value(problem, _scores(problem, groups, layout))


def _hall_groups(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    hall: str,
    hall_of: dict[str, str],
    waiting: set[str] | None = None,
) -> tuple[list[Group], list[tuple[int, np.ndarray]]]:
    """Cut the groups down to one hall: its placed members (and those ``waiting``), its candidates.

    Candidates too close to a competitor standing in another hall of the same level are left
    out, so the pass keeps every distance across the hall's walls too.
    """
    members = {e for e, h in hall_of.items() if h == hall} | (waiting or set())
    blocks = {n for n, s in enumerate(problem.slots) if s.hall == hall}
    return _block_groups(problem, groups, layout, members, blocks)


def _block_groups(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    members: set[str],
    blocks: set[int],
) -> tuple[list[Group], list[tuple[int, np.ndarray]]]:
    """Cut the groups down to ``members`` and their candidates in ``blocks``; return the cut
    groups and, per cut group, its group's index and the candidates kept.

    Candidates too close to a competitor standing outside (in the layout, not a member) are
    left out, so a model of the cut keeps every distance to the rest of the floor. The blocks
    must hold nobody but members: the cut does not see anyone else's cells.
    """
    apart = competitor_distances(problem)
    booth_at = {
        e: (groups[g].slot[k : k + 1], groups[g].boxes[k : k + 1]) for e, (g, k) in layout.items()
    }
    in_blocks = np.zeros(len(problem.slots), dtype=bool)
    in_blocks[sorted(blocks)] = True
    subs: list[Group] = []
    back: list[tuple[int, np.ndarray]] = []
    for g in groups:
        mine = [m for m in g.members if m.id in members]
        if not mine or g.size == 0:
            continue
        keep = in_blocks[g.slot]
        if not keep.any():
            continue
        for m in mine:
            for other, metres in apart[m.id].items():
                if other in booth_at and other not in members:
                    slot, box = booth_at[other]
                    keep &= ~too_close(problem, g.slot, g.boxes, slot, box, metres)[:, 0]
        idx = np.nonzero(keep)[0]
        subs.append(_cut(g, len(subs), mine, idx))
        back.append((g.index, idx))
    return subs, back


def _cut(g: Group, index: int, members: list[Exhibitor], idx: np.ndarray) -> Group:
    """Return group ``g`` with only ``members`` and the candidates ``idx``, as group ``index``."""
    return Group(
        index,
        members,
        g.slot[idx],
        g.i[idx],
        g.j[idx],
        g.w[idx],
        g.d[idx],
        g.value[idx],
        g.open_sides[idx],
        g.boxes[idx],
        [g.cells[k] for k in idx],
        g.no_place_reason,
    )


def _in_drawn_areas(
    problem: Problem, groups: list[Group]
) -> tuple[list[Group], list[tuple[int, np.ndarray]]]:
    """Cut the groups down to the candidates inside the zone areas drawn in advance."""
    subs: list[Group] = []
    back: list[tuple[int, np.ndarray]] = []
    for g in groups:
        idx = np.nonzero(inside_drawn_areas(problem, g))[0]
        subs.append(_cut(g, len(subs), g.members, idx))
        back.append((g.index, idx))
    return subs, back


def _to_sub(layout: dict[str, Choice], back: list[tuple[int, np.ndarray]]) -> dict[str, Choice]:
    """Return a layout in the cut groups' numbering (its booths outside them left out)."""
    position = {(g, int(k)): (i, j) for i, (g, idx) in enumerate(back) for j, k in enumerate(idx)}
    return {e: position[c] for e, c in layout.items() if c in position}


def _from_sub(layout: dict[str, Choice], back: list[tuple[int, np.ndarray]]) -> dict[str, Choice]:
    """Return a layout of cut groups in the full groups' numbering."""
    return {e: (back[i][0], int(back[i][1][j])) for e, (i, j) in layout.items()}


@dataclass(frozen=True)
class _Run:
    """The settings of one solve, as reported with its result."""

    start: float
    seed: int
    time_limit: float  # wall-clock seconds (a guard; math.inf for none)
    workers: int
    work: float  # deterministic seconds for the whole solve
    deterministic: bool = True  # a work limit was given: the passes stop on work, not time
    interrupt: Interrupt = field(default_factory=Interrupt)


# Without a work limit, at most this many more rounds of hall passes use the time left.
EXTRA_ROUNDS_MAX = 20
# A wall-clock guard standing for "none" (CP-SAT takes a finite number of seconds).
WALL_GUARD_NONE_S = 1e7
# Deterministic seconds the whole solve may spend per second of time limit. CP-SAT overshoots a
# deterministic limit by up to about a deterministic second, and a deterministic second ran 1.6-
# 1.8 wall seconds on smartlife-2024 (2 workers, interleaved), with model building on top; 0.45
# keeps runs of 30 s and more inside the limit, stopped by the deterministic clock (the zone-aware
# whole-floor pass takes about 12 s however short its budget: 16 s runs are cut by the guard).
DETERMINISTIC_RATE = 0.45
# The first pass (who is placed) gets this share of it, up to the cap; the hall passes the rest.
# The whole floor's model grows with its search (year3: 1.5 GiB after 16 deterministic seconds,
# 2.2 GiB after 81); past the cap, the hall passes' smaller models use the time better.
FIRST_PASS_SHARE = 0.6
FIRST_PASS_MAX_DET = 30.0
# Above this many candidate placements the first pass goes hall by hall instead of one model of
# the whole floor (year3 has 93 k, Jamsil 2031 589 k; the whole-floor model takes about 2 GiB
# per 100 k candidates and most of a minute to load past 400 k).
WHOLE_FLOOR_MAX_CANDIDATES = 200_000
# Nor when the first pass's share is below this many deterministic seconds per candidate
# placement (or the share's cap): smartlife-2024's 17 k need about 7 (16 wall seconds, 2
# workers) before the search finds anything better than its hint.
WHOLE_FLOOR_DET_PER_CANDIDATE = 5e-4
# A hall's pass with more candidate placements than this searches by local search only.
LNS_ONLY_ABOVE = 15_000
# Wall seconds kept per candidate placement for the end of a solve (see _reserve_s).
RESERVE_PER_CANDIDATE_S = 1.5e-5
# Exact mode: the search for a layout that places everyone (:mod:`.fill`) gets this share of a
# run; CP-SAT's interval model the rest (on perfect packings the search finds what CP-SAT does
# and more; CP-SAT finds the best layout when not everyone fits). On a work-limited run, the
# search's branches are counted at fill.branches_per_second per deterministic second. When the
# requests fill the floor to the last cell (a perfect packing) the interval model found none of
# the benchmark's 12 in 60 s: it is kept for the best partial layout, on a smaller share.
FILL_SHARE = 0.5
FILL_SHARE_PERFECT = 0.8
# The share of the work kept for the polish at the end: when the weighted search and the trades
# leave a goal below a baseline's, each hall raises it, every other goal kept (with nothing
# behind before the trades, the share goes to one more round of hall passes). Once half of it
# went to a polish of the whole floor before the hall passes, whose weighted search then gave
# it back (smartlife-2024, 60 s: booth type 13.75 with it, 16.33 without).
POLISH_SHARE = 0.2
# Zone members left out after the hall passes: their zones are re-packed (at most this many
# zones, in priority order) on this many deterministic seconds of the kept share, at most half.
# With 2, Jamsil's 16-module gold stand of the ai-robot zone stayed out (a third of it per zone
# was too little for its blocks); with 4 it is seated (+0.36 % of the objective).
ZONE_SEAT_TRIES = 3
ZONE_SEAT_DET = 4.0
ZONE_SEAT_STRAYS_MAX = 6  # more standing apart after the hall passes: left to the polish
ZONE_SEAT_NEIGHBOURS = 40  # exhibitors of the blocks next to a zone re-packed with it, at most
# Exhibitors outside their preferred halls: blocks of those halls tried per exhibitor, at most,
# and the exhibitors one such re-pack may hold (see _seat_in_preferred_halls).
HALL_SEAT_TRIES = 2
HALL_SEAT_MEMBERS = 40
HALL_SEAT_DET = 2.0  # deterministic seconds for it, at most a quarter of the polish's share
# A goal behind a baseline's is raised by trades to this share past it (0.01: 1 % ahead); the
# other goals keep at least this share of their lead over the baselines while it is.
GOAL_LEAD = 0.01
LEAD_KEPT = 0.5


def _search(
    built: AllocationModel,
    seconds: float,
    guard_s: float,
    run: _Run,
    watcher: _Watcher,
    lns_only: bool = False,
    portfolio: bool = False,
) -> tuple[Any, cp_model.CpSolver]:
    """Run CP-SAT for ``seconds`` of deterministic time, never past ``guard_s`` of wall time;
    return its status and the solver. Without a work limit, ``seconds`` is worth
    ``seconds / DETERMINISTIC_RATE`` of wall time instead. With ``portfolio``, the workers
    search side by side, not interleaved (a work-limited run then searches with one worker, as
    side by side does not repeat)."""
    solver = _new_solver(run, seconds, guard_s, interleave=not portfolio, one_to_repeat=portfolio)
    params = solver.parameters
    params.symmetry_level = 0  # identical exhibitors are already grouped
    # The hint is complete; a light presolve reaches it in 0.2 s instead of 0.8 s.
    params.cp_model_probing_level = 0
    params.max_presolve_iterations = 1
    # On a large hall the LP-based workers spend the whole budget on one relaxation; local
    # search around the hint is what moves (measured on Jamsil's halls: 62 k placements).
    params.use_lns_only = lns_only
    status = _solve_with(solver, built.model, watcher, run, watcher)
    done = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    watcher.proved = watcher.proved and done
    return status, solver


def _new_solver(
    run: _Run, seconds: float, guard_s: float, interleave: bool, one_to_repeat: bool = False
) -> cp_model.CpSolver:
    """Return a solver set for a run: workers, seed, and its limits — ``seconds`` of
    deterministic time never past ``guard_s`` of wall time; without a work limit, ``seconds``
    is worth ``seconds / DETERMINISTIC_RATE`` of wall time instead. ``interleave`` asks for
    interleaved workers, which keep a parallel search deterministic (always, with a work limit),
    unless ``one_to_repeat``: then a work-limited run searches with one worker instead.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1 if one_to_repeat and run.deterministic else max(1, run.workers)
    params.random_seed = run.seed
    params.interleave_search = params.num_workers > 1 and (interleave or run.deterministic)
    params.catch_sigint_signal = False  # Ctrl-C is the caller's (see Interrupt)
    guard_s = min(max(guard_s, 0.1), WALL_GUARD_NONE_S)
    if run.deterministic:
        # The wall-clock limit only guards the time limit on a loaded machine (or when building
        # the model took long); runs stopped by it may differ, runs stopped by the work not.
        params.max_deterministic_time = max(seconds, 0.05)
        params.max_time_in_seconds = guard_s
    else:
        params.max_time_in_seconds = min(guard_s, max(seconds, 0.05) / DETERMINISTIC_RATE)
    return solver


def _solve_with(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback,
    run: _Run,
    watcher: _Watcher,
) -> Any:
    """Run ``solver`` on ``model`` unless a stop was asked, stoppable by the run's interrupt;
    note on the watcher when the wall clock ended it before its work was done. Return the
    status."""
    if run.interrupt.requested:
        return cp_model.UNKNOWN  # CP-SAT forgets a stop asked before its search starts
    run.interrupt.running(solver)
    status = solver.solve(model, callback)
    run.interrupt.running(None)
    # Stopped before its work was done (not proved, deterministic budget not spent): the wall
    # clock did it, and a run on another machine, or under another load, may differ.
    done = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    if not done and solver.deterministic_time < solver.parameters.max_deterministic_time:
        watcher.clock_cut = True
    return status


def _ending(run: _Run, watcher: _Watcher, state: SolveStatus) -> tuple[str, bool]:
    """Return what ended a solve and whether another run of it gives the same layout."""
    ended_by = "time limit" if watcher.clock_cut or not run.deterministic else "work limit"
    if state == SolveStatus.OPTIMAL:
        ended_by = "proved optimal"
    if run.interrupt.requested:
        return run.interrupt.reason, False
    return ended_by, run.deterministic and not watcher.clock_cut


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
    cpsat_bound: float | None,
    run: _Run,
    first_feasible: float | None,
    priority_moves: int = 0,
    ended_by: str = "work limit",
    reproducible: bool = True,
) -> Result:
    booths = _number_booths(
        problem, [_booth(problem, groups[g], e, k) for e, (g, k) in chosen.items()]
    )
    terms = score_terms(problem, booths)
    objective = objective_value(problem, terms)
    bound = whole_problem_bound(problem)
    if cpsat_bound is not None and cpsat_bound < bound.value:
        bound = Bound(cpsat_bound, CPSAT_WHOLE_FLOOR, bound.terms)
    unplaced = explain_unplaced(problem, groups, booths)
    numbers = {b.exhibitor_id: b.booth_no for b in booths}
    return Result(
        status=status,
        method=method,
        booths=booths,
        unplaced=unplaced,
        terms=terms,
        objective=objective,
        bound=bound.value,
        bound_covers=bound.covers,
        term_bounds=bound.terms,
        wall_s=time.perf_counter() - run.start,
        first_feasible_s=first_feasible,
        seed=run.seed,
        time_limit_s=run.time_limit,
        work_limit=run.work if run.deterministic else None,
        ended_by=ended_by,
        reproducible=reproducible,
        workers=run.workers,
        conflicts=list(problem.conflicts),
        reserved=list(problem.reserved),
        priority_breaches=priority_breaches(problem, groups, chosen, numbers),
        priority_moves=priority_moves,
        zone_blocks=zone_blocks(problem, booths),
    )


def zone_blocks(problem: Problem, booths: list[Booth]) -> dict[str, list[int]]:
    """Return each zone's blocks: those its members' booths stand in (its area on the plan)."""
    kept: dict[str, set[int]] = {z: set() for z in problem.zone_reach}
    for b in booths:
        if b.zone in kept:
            kept[b.zone].add(b.slot)
    return {z: sorted(blocks) for z, blocks in kept.items()}


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
    zones = ZoneFloor(problem)
    by_id = {e.id: e for e in problem.exhibitors}
    for b in booths:
        zones.add(by_id[b.exhibitor_id], b.slot, list(b.cells), b.box)
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
            f"the {e.zone} zone's blocks and those next to them"
            if e.zone in problem.zone_reach
            else "the halls " + ", ".join(problem.event.halls)
        )
        if not free:
            out.append(
                (e.id, f"no free {shape} space left in {where} after higher-priority exhibitors")
            )
            continue
        free = [k for k, ok in zip(free, zones.allowed(e, g, np.array(free)), strict=True) if ok]
        if not free:
            zone_rule = (
                f"the {e.zone} zone keeps whole, connected blocks"
                + ("" if problem.gaps_allowed else ", each filled without a gap")
                if e.zone in problem.zone_reach
                else "a block holding a zone's members holds nobody else"
            )
            out.append(
                (e.id, f"every free {shape} space in {where} would break a zone rule: {zone_rule}")
            )
            continue
        rivals = [(o, placed[o], m) for o, m in apart[e.id].items() if o in placed]
        blocked_by: set[str] = set()
        for k in free:
            hits = [
                o
                for o, b, m in rivals
                if too_close(
                    problem,
                    g.slot[k : k + 1],
                    g.boxes[k : k + 1],
                    np.array([b.slot]),
                    np.array([b.box]),
                    m,
                )[0, 0]
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
