"""Re-plan an earlier layout with the fewest moves: cancellations, late entries, size changes.

Once letters are out every move costs a call and a reprint, so a re-plan keeps earlier booths
before every soft goal; only the priority order (and the hard rules) come first:

1. **Keep.** Every exhibitor whose earlier booth is still a legal place for it (same size and
   type, on the floor, in its zone's area) is pinned there; the zones keep their earlier areas.
   Where cancellations cut a zone's booths in two, those apart from its largest part are
   placed again, next to it (:func:`cut_off`).
   Who is new, changed or was left out before is placed around them. A higher-priority
   exhibitor left out takes the booth of a lower-priority pinned one when it fits nowhere else
   (the priority repair of every solve); locked exhibitors never give theirs up.
2. **Re-seat.** Those who gave up their booth are placed again, everyone else now fixed,
   preferring their earlier hall.
3. **Fewer moves.** Earlier booths are given back where whoever stands on them can take a free
   place (:func:`_fewer_moves`); then CP-SAT searches exactly around what changed for the
   layout with the most at their earlier booths, and proves how far no layout moves fewer
   (:func:`_fewest_moves`).

Booth numbers of unmoved booths never change; a new or moved booth takes the next free number
of its row. The changes are listed exhibitor by exhibitor, each with its reason.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from boothopt.inputs.domain import Event, Exhibitor
from boothopt.solver.candidates import Group, build_groups, pin_text
from boothopt.solver.greedy import Choice
from boothopt.solver.problem import Box, Pin, Problem, across_one_aisle_m, build_problem
from boothopt.solver.result import Booth, Result, SolveStatus, objective_value, score_terms
from boothopt.solver.solve import DETERMINISTIC_RATE, Interrupt, ProgressFn, solve
from boothopt.solver.zone_rules import ZoneFloor, booth_groups

KEEP_SHARE = 0.6  # of the limits, for the first pass; the re-seating passes share the rest
RESEAT_ROUNDS = 4  # re-seating passes at most (each seats someone of higher priority)
# Giving earlier booths back: rounds over those who moved, and whoever stands on an earlier
# booth, at most this many, take free places instead.
FEWER_MOVES_ROUNDS = 3
HOLDERS_MAX = 3
# The exact pass over the moves (:func:`_fewest_moves`): its share of the re-plan's limits, and
# how far from a change (in metres, in the same hall) exhibitors may move in it.
FEWEST_SHARE = 0.25
FEWEST_REACH_M = (4.0, 12.0)
# A reach whose model would hold more candidate placements is not tried: year2's 12 m (171 k)
# took 12 s to build and search, and was not proved; 4 m (47 k) took 3 s, proved.
FEWEST_CANDIDATES_MAX = 60_000
# A reach's work: for the most at their earlier booths, then those waiting, then the soft goals.
KEEP_WORK, SEAT_WORK, POLISH_WORK = 0.5, 0.2, 0.3


@dataclass(frozen=True)
class Earlier:
    """What an earlier assignment file holds that a re-plan needs."""

    booths: dict[str, tuple[str, Box, str]]  # exhibitor id -> hall, box, booth number
    zone_areas: dict[str, list[Pin]]  # zone id -> its area's block rectangles
    names: dict[str, str]  # exhibitor id -> name, for the reasons
    unplaced: frozenset[str] = frozenset()  # left out of the earlier layout

    @classmethod
    def from_assignment(cls, doc: dict[str, Any]) -> Earlier:
        """Read an assignment file's content (:func:`boothopt.contract.assignment_data` of it)."""
        booths = {}
        for b in doc["booths"]:
            xs = [p[0] for p in b["polygon"]]
            ys = [p[1] for p in b["polygon"]]
            booths[b["exhibitor_id"]] = (
                b["hall"],
                (min(xs), min(ys), max(xs), max(ys)),
                b["booth_no"],
            )
        areas: dict[str, list[Pin]] = {}
        for z in doc.get("zones", []):
            rects = []
            for a in z.get("area", []):
                xs = [p[0] for p in a["polygon"]]
                ys = [p[1] for p in a["polygon"]]
                rects.append((a["hall"], (min(xs), min(ys), max(xs), max(ys))))
            areas[z["id"]] = rects
        names = {
            r["exhibitor_id"]: r.get("name_en") or r.get("name_ko") or r["exhibitor_id"]
            for r in [*doc["booths"], *doc.get("unplaced", [])]
        }
        left_out = frozenset(u["exhibitor_id"] for u in doc.get("unplaced", []))
        return cls(booths, areas, names, left_out)


@dataclass(frozen=True)
class Change:
    """One exhibitor whose booth changed: old and new booth numbers ("" for none), and why."""

    exhibitor_id: str
    name: str
    old_booth: str
    new_booth: str
    reason: str


@dataclass
class Replan:
    """A re-plan's outcome: the final problem and result, and what changed."""

    problem: Problem
    result: Result
    changes: list[Change]
    kept: int  # booths unmoved
    moved: int  # exhibitors placed before and now elsewhere (or left out)
    placed_new: int  # exhibitors without an earlier booth, now placed
    cancelled: int
    locked: list[str] = field(default_factory=list)
    # No layout that keeps everyone placed moves fewer, proved, while everyone further than
    # this (metres) from a change stays where they are; None when not proved.
    fewest_within_m: float | None = None


def resolve_locks(event: Event, earlier: Earlier, locks: Iterable[str]) -> set[str]:
    """Return the exhibitors the locks name: exhibitor ids, ``hall:ID`` and ``zone:ID``.

    Raises
    ------
    ValueError
        For a lock that names no exhibitor with an earlier booth, hall or zone.
    """
    out: set[str] = set()
    zone_of = {e.id: e.zone for e in event.exhibitors}
    for lock in locks:
        kind, _, name = lock.partition(":")
        if name and kind == "hall":
            hit = {e for e, (h, _, _) in earlier.booths.items() if h == name}
        elif name and kind == "zone":
            hit = {e for e in earlier.booths if zone_of.get(e) == name}
        else:
            hit = {lock} & set(earlier.booths)
        if not hit:
            raise ValueError(
                f"lock {lock!r} names no exhibitor with an earlier booth — give an exhibitor "
                "id, hall:ID or zone:ID"
            )
        out |= hit
    return out & set(zone_of)


def replan(
    event: Event,
    earlier: Earlier,
    locks: set[str] | frozenset[str] = frozenset(),
    *,
    fixed: dict[str, Pin] | None = None,
    max_moves: int | None = None,
    allow_swap: bool = False,
    time_limit: float = 60.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 2,
    on_progress: ProgressFn | None = None,
    on_stage: Callable[[str], None] | None = None,
    started_at: float | None = None,
    interrupt: Interrupt | None = None,
) -> Replan:
    """Re-plan ``earlier`` for ``event``'s tables as they are now (see the module docstring).

    ``locks`` are exhibitors whose earlier booths are kept whatever it costs; ``fixed`` are
    booths the table fixes (its booth column), kept the same way; ``allow_swap`` lets two
    exhibitors of the same request trade booths where that serves a soft goal (a preferred
    hall, a partner), each trade two moves; ``max_moves``
    caps how many earlier booths may be given up (when keeping priority needs more, every
    earlier booth is kept and the summary lists who could not be placed).
    """
    start = time.perf_counter() if started_at is None else started_at
    table = {e.id: e for e in event.exhibitors}
    legal = _still_legal(event, earlier, seed, workers)
    pins = {e: (h, box) for e, (h, box, _) in earlier.booths.items() if e in legal}
    pins.update(fixed or {})
    locked = (set(locks) & set(pins)) | set(fixed or {})
    # Those a cancellation cut off from their zone are placed again next to it, each a move
    # (not when that alone is more moves than allowed: the check then names the zone).
    apart = cut_off(event, pins, locked)
    if max_moves is not None and len(apart) > max_moves:
        apart = set()
    for e in apart:
        del pins[e]
    if max_moves == 0:
        locked = set(pins)

    work_left = [1.0]  # the share of the work limit not yet given to a pass

    def limits(share: float) -> dict[str, float | None]:
        """Give a pass ``share`` of the time and work still left."""
        left = time_limit - (time.perf_counter() - start)
        wall = max(0.5, share * left) if math.isfinite(time_limit) else math.inf
        work = None if work_limit is None else share * work_left[0] * work_limit
        work_left[0] *= 1.0 - share
        return {"time_limit": wall, "work_limit": work}

    def run(
        pinned: dict[str, Pin],
        fixed: set[str],
        share: float,
        stage: str,
        areas: dict[str, list[Pin]],
        prefer: dict[str, str] | None = None,
    ) -> tuple[Problem, Result]:
        if on_stage is not None:
            on_stage(stage)
        ev = event
        if prefer:
            ev = replace(
                event,
                exhibitors=tuple(
                    replace(e, halls=(prefer[e.id],)) if e.id in prefer and not e.halls else e
                    for e in event.exhibitors
                ),
            )
        problem = build_problem(
            ev,
            seed=seed,
            workers=workers,
            pins=pinned,
            locked=frozenset(fixed),
            zone_areas=areas,
            gaps_allowed=True,
        )
        lim = limits(share)
        result = solve(
            problem,
            time_limit=float(lim["time_limit"] or math.inf),
            seed=seed,
            workers=workers,
            on_progress=on_progress,
            work_limit=lim["work_limit"],
            interrupt=interrupt,
        )
        return problem, result

    areas = earlier.zone_areas
    problem, result = run(pins, locked, KEEP_SHARE, "keeping earlier booths", areas)
    where = {b.exhibitor_id: b for b in result.booths}
    gave_up = sorted(e for e in pins if e not in where or where[e].box != pins[e][1])
    if max_moves is not None and len(gave_up) + len(apart) > max_moves:
        # Keeping priority would move more than allowed: everyone keeps their booth.
        locked = set(pins)
        problem, result = run(pins, locked, KEEP_SHARE, "keeping every earlier booth", areas)
        where = {b.exhibitor_id: b for b in result.booths}
        gave_up = []
    moved_once = set(gave_up) | apart
    rounds = 0
    reserve = FEWEST_SHARE * work_left[0]  # kept for the exact pass over the moves
    while gave_up and rounds < RESEAT_ROUNDS and not (interrupt and interrupt.requested):
        # Re-seat those who gave up their booth, everyone placed now pinned where they stand.
        # One of them may in turn take the booth of someone of lower priority (never a locked
        # one), who is re-seated in the next round: each such move seats a higher priority.
        # The zones keep the areas the last pass gave them (it may have grown one by a block).
        rounds += 1
        now = {e: (b.hall, b.box) for e, b in where.items()}
        prefer = {e: earlier.booths[e][0] for e in gave_up if e in earlier.booths}
        areas = {
            z: [
                (
                    problem.slots[k].hall,
                    problem.slots[k].box(
                        0, 0, problem.slots[k].n_along, problem.slots[k].n_deep, problem.module_m
                    ),
                )
                for k in blocks
            ]
            for z, blocks in result.zone_blocks.items()
        }
        # The last round takes all that is left but the exact pass's share.
        share = (1.0 - reserve / work_left[0]) / (RESEAT_ROUNDS - rounds + 1)
        problem, result = run(now, locked, share, "re-seating the moved", areas, prefer)
        where = {b.exhibitor_id: b for b in result.booths}
        gave_up = sorted(e for e in now if e not in where or where[e].box != now[e][1])
        moved_once |= set(gave_up)
        if max_moves is not None and len(moved_once) > max_moves:
            break  # the last pass's booths stand; the summary lists who is left out
    if not (interrupt and interrupt.requested):
        result, _ = _fewer_moves(problem, result, earlier, locked | set(fixed or {}))
    proved_within = None
    if not (interrupt and interrupt.requested):
        if on_stage is not None:
            on_stage("fewest moves, exactly")
        result, proved_within = _fewest_moves(
            problem,
            result,
            earlier,
            locked | set(fixed or {}),
            apart,
            limits(1.0),
            seed,
            workers,
            interrupt,
        )
    result.booths = _keep_numbers(problem, result.booths, earlier)
    swapped: dict[str, str] = {}
    if allow_swap:
        budget = None if max_moves is None else max(0, max_moves - len(moved_once)) // 2
        result.booths, swapped = _swaps(problem, result.booths, locked, budget)
        result.terms = score_terms(problem, result.booths)  # the trades raised them
        result.objective = objective_value(problem, result.terms)
    where = {b.exhibitor_id: b for b in result.booths}
    changes = _changes(event, earlier, result, legal, table, swapped, apart)
    kept = sum(
        1
        for e, (h, box, _) in earlier.booths.items()
        if e in where and where[e].box == box and where[e].hall == h
    )
    moved = sum(
        1
        for e, (h, box, _) in earlier.booths.items()
        if e in table and (e not in where or where[e].box != box or where[e].hall != h)
    )
    return Replan(
        problem,
        result,
        changes,
        kept=kept,
        moved=moved,
        placed_new=sum(1 for e in where if e not in earlier.booths),
        cancelled=sum(1 for e in earlier.booths if e not in table),
        locked=sorted(locked),
        fewest_within_m=proved_within,
    )


def _swaps(
    problem: Problem, booths: list[Booth], locked: set[str], budget: int | None
) -> tuple[list[Booth], dict[str, str]]:
    """Let exhibitors of the same size trade booths where that raises the objective: one whose
    preferred hall or partner it now misses first (:func:`~boothopt.solver.trades.trade_booths`,
    which keeps every cell as it was and checks competitors).

    The kept booths are pins of the last pass; here each exhibitor may take any legal place, so
    the groups are made afresh without them. A booth number stays with its booth. Returns the
    booths and who traded with whom.
    """
    from boothopt.solver.solve import _booth
    from boothopt.solver.trades import trade_booths

    free = replace(problem, pins={}, locked=frozenset())
    groups = build_groups(free)
    layout, stuck = _layout_on(groups, booths)
    moved, traded = trade_booths(free, groups, layout, locked | stuck, budget, everyone=False)
    by_id = {b.exhibitor_id: b for b in booths}
    out = dict(by_id)
    for a, other in traded.items():
        gi, ki = moved[a]
        out[a] = replace(_booth(free, groups[gi], a, ki), booth_no=by_id[other].booth_no)
    return sorted(out.values(), key=lambda b: b.booth_no), traded


def _layout_on(groups: list[Group], booths: list[Booth]) -> tuple[dict[str, Choice], set[str]]:
    """Return the booths as a layout on ``groups`` (made without pins), and who has no
    candidate there for their booth (no longer a place of theirs)."""
    group_of = {e.id: g for g in groups for e in g.members}
    layout: dict[str, Choice] = {}
    for b in booths:
        g = group_of.get(b.exhibitor_id)
        if g is None:
            continue
        here = np.flatnonzero(g.slot == b.slot)
        k = next(
            (
                int(k)
                for k in here
                if tuple(float(v) for v in g.boxes[k]) == b.box
                and tuple(int(c) for c in g.cells[k]) == b.cells
            ),
            None,
        )
        if k is not None:
            layout[b.exhibitor_id] = (g.index, k)
    return layout, {b.exhibitor_id for b in booths} - set(layout)


def _fewer_moves(
    problem: Problem, result: Result, earlier: Earlier, locked: set[str]
) -> tuple[Result, int]:
    """Give those who moved (or were left out) their earlier booths back where whoever stands
    on it now — late entries, or others who moved too, at most ``HOLDERS_MAX`` — takes a free
    place instead; return the result and how many went back.

    The passes place late entries where the priority order sends them, one at a time, and the
    displaced where they fit next: a late entry may stand on the booths of two who then took
    the free place that would have held it (smartlife-2024: a city sent one stand away for a
    9 m² late entry, which a free place held). Here nobody at their earlier booth
    moves, nobody leaves the floor, and every hard rule is checked for each step (zones kept
    connected, competitors apart), so the placed priority never falls and the moves only go
    down. The cells a step frees are filled by the priority repair after it, as in every solve.
    """
    from boothopt.solver.priority import Opening, _Floor, restore_priority

    free = replace(problem, pins={}, locked=frozenset(locked))
    groups = build_groups(free)
    layout, stuck = _layout_on(groups, result.booths)
    group_of = {e.id: g for g in groups for e in g.members}
    home: dict[str, int] = {}  # exhibitor -> the candidate of its earlier booth
    for e, (hall, box, _) in earlier.booths.items():
        g = group_of.get(e)
        if g is None or e in stuck or not g.size:
            continue
        same = np.flatnonzero(np.isclose(g.boxes, np.array(box)).all(axis=1))
        ks = [int(k) for k in same if free.slots[int(g.slot[k])].hall == hall]
        if ks:
            home[e] = ks[0]
    floor = _Floor(free, groups, layout)
    home_owner: dict[int, list[str]] = {}  # cell -> whose earlier booth covers it
    for e, k in home.items():
        for c in group_of[e].cells[k].tolist():
            home_owner.setdefault(int(c), []).append(e)

    def holders_of_homes(cells: np.ndarray) -> set[str]:
        """Return those whose earlier booths cover any of ``cells``."""
        return {y for c in cells.tolist() for y in home_owner.get(int(c), [])}

    def at_home(e: str) -> bool:
        return e in home and floor.chosen.get(e) == (group_of[e].index, home[e])

    def seat(e: str) -> bool:
        """Seat ``e`` on a free place: its earlier booth if free, else the best one."""
        spots = floor.openings(e, free_only=True)
        if not spots:
            return False
        mine = [o for o in spots if e in home and o.candidate == home[e]]
        floor.take((mine or spots)[0])
        return True

    fixed = set(locked) | stuck

    def holders(cells: np.ndarray, but: set[str]) -> set[str]:
        """Return who stands on ``cells``, but for ``but``."""
        owners = {int(h) for h in floor.owner[cells] if h >= 0}
        return {free.exhibitors[h].id for h in owners} - but

    back = 0
    for _ in range(FEWER_MOVES_ROUNDS):
        before = back
        for e in [x.id for x in free.exhibitors if x.id in home and not at_home(x.id)]:
            if at_home(e):
                continue  # went back with someone else's step this round
            g = group_of[e]
            above = holders(g.cells[home[e]], {e})
            if len(above) > HOLDERS_MAX or any(at_home(o) or o in fixed for o in above):
                continue
            # Those whose earlier booths lie under the same holders go back with it.
            returning = [e]
            for o in sorted(above):
                og, ok_ = floor.chosen[o]
                for y in sorted(holders_of_homes(groups[og].cells[ok_]) - {e, *returning} - above):
                    if (
                        not at_home(y)
                        and y not in fixed
                        and holders(group_of[y].cells[home[y]], {y}) <= above | {e}
                    ):
                        returning.append(y)
            saved = {o: floor.chosen[o] for o in [*returning, *above] if o in floor.chosen}
            for o in list(saved):
                floor.release(o)
            ok = True
            for y in returning:
                if any(o.candidate == home[y] for o in floor.openings(y, free_only=True)):
                    floor.take(Opening(y, home[y], None))
                elif y != e and y in saved:
                    ok = seat(y)  # it moved before; it stays on a free place
                else:
                    ok = False
                if not ok:
                    break
            # Whoever stood on them takes a free place.
            biggest = sorted(above, key=lambda o: (-group_of[o].members[0].modules, o))
            ok = ok and all(seat(o) for o in biggest)
            everyone = [*saved, *returning, *above]
            zones = {floor.zones.zone(floor._exhibitor(o)) for o in everyone}
            ok = ok and all(floor.zones.connected(z) for z in sorted(zones))
            if not ok:
                for o in everyone:
                    if o in floor.chosen:
                        floor.release(o)
                for o, (_, c) in saved.items():
                    floor.take(Opening(o, c, None))
                continue
            back += sum(1 for y in returning if at_home(y))
        if back == before:
            break
    if not back:
        return result, 0
    chosen, _ = restore_priority(free, groups, floor.chosen)
    return _rescored(problem, free, groups, result, chosen), back


def _fewest_moves(
    problem: Problem,
    result: Result,
    earlier: Earlier,
    locked: set[str],
    apart: set[str],
    limits: dict[str, float | None],
    seed: int,
    workers: int,
    interrupt: Interrupt | None,
) -> tuple[Result, float | None]:
    """Search exactly, near where booths changed, for a layout with fewer moves; return the
    result and the largest reach (metres) within which no layout moves fewer, proved (None when
    not proved).

    The passes before place late entries one at a time and re-seat those they displace where
    they fit next; a chain of moves that no single step sees (the late entry a booth along, so
    that one more goes back) is left. Here CP-SAT takes, for each reach of ``FEWEST_REACH_M``
    in turn while the last was proved, every exhibitor whose booth stands within it of a change
    (an earlier booth given up, the booth held instead, a new entry's booth), and those left
    out; everyone else, and the locked, stay where they are (:func:`_fewest_near`). Those
    ``apart`` (cut off from their zone) are not sent back.
    """
    from boothopt.solver.solve import _Run

    home = {e: (h, box) for e, (h, box, _) in earlier.booths.items()}
    table = {e.id for e in problem.exhibitors}
    where = {b.exhibitor_id: b for b in result.booths}
    if all(
        e not in table or (e in where and (where[e].hall, where[e].box) == home[e]) for e in home
    ):
        return result, None  # nobody moved
    work = limits["work_limit"]
    wall = float(limits["time_limit"] or math.inf)
    run = _Run(
        0.0,
        seed,
        wall,
        workers,
        DETERMINISTIC_RATE * wall if work is None else work,
        deterministic=work is not None,
        interrupt=interrupt or Interrupt(),
    )
    free = replace(problem, pins={}, locked=frozenset(locked))
    free_groups = build_groups(free)
    proved = None
    for n, reach in enumerate(FEWEST_REACH_M):
        share = 1.0 / (len(FEWEST_REACH_M) - n)  # the last reach takes all that is left
        spend = replace(run, time_limit=share * run.time_limit, work=share * run.work)
        run = replace(run, time_limit=run.time_limit - spend.time_limit, work=run.work - spend.work)
        result, done = _fewest_near(
            problem, free, free_groups, result, earlier, apart, reach, spend
        )
        if not done or run.interrupt.requested:
            break
        proved = reach
    return result, proved


def _fewest_near(
    problem: Problem,
    free: Problem,
    free_groups: list[Group],
    result: Result,
    earlier: Earlier,
    apart: set[str],
    reach: float,
    run: Any,
) -> tuple[Result, bool]:
    """One exact pass of :func:`_fewest_moves`, everyone further than ``reach`` metres from a
    change held where they stand; return the result and whether it is proved to move fewest.

    The model is the solve's (every hard rule, zones connected, competitors apart) on
    ``free_groups``' candidates that avoid the held booths, each exhibitor with an earlier
    booth in a group of its own. It keeps everyone placed and maximizes, first, how many stand
    at their earlier booths, then how many of those waiting it places, in priority order (the
    passes before seated whoever the priority order puts first); then, with as many kept and
    placed, the soft goals (when the layout changed): three searches (the solve's own, from the
    hint with a light presolve), on ``KEEP_WORK``, ``SEAT_WORK`` and ``POLISH_WORK`` of
    ``run``'s work.
    The model keeps a zone's blocks connected, not its booths (with a re-plan's gaps allowed),
    so a layout that splits a zone the layout before kept whole is not taken.
    """
    from ortools.sat.python import cp_model

    from boothopt.solver.model import AllocationModel
    from boothopt.solver.priority import restore_priority
    from boothopt.solver.solve import _cut, _from_sub, _picked, _search, _Watcher

    table = {e.id for e in problem.exhibitors}
    home = {e: (h, box) for e, (h, box, _) in earlier.booths.items() if e in table}
    where = {b.exhibitor_id: b for b in result.booths}
    layout, stuck = _layout_on(free_groups, result.booths)
    if stuck:
        return result, False  # a booth this model cannot hold: the layout stays
    moved = {e for e in home if e not in where or (where[e].hall, where[e].box) != home[e]}
    changed = [home[e] for e in moved]
    changed += [(where[e].hall, where[e].box) for e in moved if e in where]
    changed += [(b.hall, b.box) for e, b in where.items() if e not in home]

    def close(b: Booth) -> bool:
        return any(
            h == b.hall
            and b.box[0] < box[2] + reach
            and box[0] < b.box[2] + reach
            and b.box[1] < box[3] + reach
            and box[1] < b.box[3] + reach
            for h, box in changed
        )

    stay = {e for e, b in where.items() if e in free.locked or not close(b)}
    taken = np.zeros(len(problem.cell_column), dtype=bool)
    for e in stay:
        taken[list(where[e].cells)] = True
    # The model's groups, cut from the free ones: one for each exhibitor held (its booth) or
    # with an earlier booth (what avoids the held booths), one for the rest of a group.
    groups: list[Group] = []
    back: list[tuple[int, np.ndarray]] = []
    for g in free_groups:
        fits = np.array([k for k, cells in enumerate(g.cells) if not taken[cells].any()], int)
        rest = []
        for m in g.members:
            if m.id in stay:
                idx = np.array([layout[m.id][1]])
            elif m.id in home:
                idx = fits
            else:
                rest.append(m)
                continue
            groups.append(_cut(g, len(groups), [m], idx))
            back.append((g.index, idx))
        if rest:
            groups.append(_cut(g, len(groups), rest, fits))
            back.append((g.index, fits))
    if sum(g.size for g in groups if g.members[0].id not in stay) > FEWEST_CANDIDATES_MAX:
        return result, False
    local = [{int(k): j for j, k in enumerate(idx)} for _, idx in back]  # free k -> the cut's
    group_of = {e.id: g for g in groups for e in g.members}
    now: dict[str, Choice] = {}
    for e, (_, k) in layout.items():
        i = group_of[e].index
        now[e] = (i, local[i][k])
    sub = replace(free, locked=frozenset(stay))
    built = AllocationModel(sub, groups)
    built.keep_placed(now)
    # Who stands at their earlier booth: the placement on its box, in its hall.
    homes: list[Any] = []
    ids = []
    for e in sorted(set(home) - stay - apart):
        g = group_of[e]
        h = free_groups[back[g.index][0]]
        if not h.size:
            continue
        same = np.flatnonzero(np.isclose(h.boxes, np.array(home[e][1])).all(axis=1))
        ks = [int(k) for k in same if free.slots[int(h.slot[k])].hall == home[e][0]]
        on = [built.x[g.index][local[g.index][k]] for k in ks if k in local[g.index]]
        if on:
            homes.append(sum(on))
            ids.append(e)
    more = []  # those waiting, each with its priority value
    ranks = max(problem.draw_rank.values(), default=0)
    for g in groups:
        count = sum(1 for gi, _ in now.values() if gi == g.index)
        for r, var in enumerate(built.ranked[g.index][count:], start=count):
            # The value, and the draw order among equal values (the priority repair's order).
            e = g.members[r].id
            more.append((var, problem.priority[e] * (ranks + 1) + ranks - problem.draw_rank[e]))
    # First, as many at their earlier booths as can be (what the proof is about).
    built.model.maximize(sum(homes))
    built.add_hint(now)
    watcher = _Watcher(time.perf_counter(), None)  # notes a search the wall clock ended

    def search(share: float) -> tuple[Any, Any]:
        """Search on ``share`` of ``run``'s limits, from the hint, with a light presolve."""
        status, solver = _search(built, share * run.work, share * run.time_limit, run, watcher)
        return solver, status

    solver, status = search(KEEP_WORK)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return result, False
    proved = status == cp_model.OPTIMAL
    kept = round(solver.objective_value)
    built.model.add(sum(homes) >= kept)
    chosen = _picked(built, groups, solver)
    if more:
        # Then, with as many kept, those waiting, in priority order (value, then draw order).
        built.model.maximize(sum(p * v for v, p in more))
        built.add_hint(chosen)
        seated, status = search(SEAT_WORK)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = _picked(built, groups, seated)
            for var, _ in more:
                built.model.add(var == seated.value(var))
    kept_before = len(homes) - len(moved & set(ids))
    if kept == kept_before and set(chosen) == set(now):
        if (
            run.deterministic and watcher.clock_cut
        ):  # the wall clock ended it: another run may differ
            result = replace(result, ended_by="time limit", reproducible=False)
        return result, proved  # nothing better here
    # Last, with as many kept and the same placed, the soft goals, from the layout found.
    built.add_hint(chosen)
    built.model.maximize(sum(c * v for v, c in built.objective_terms))
    polish, status = search(POLISH_WORK)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = _picked(built, groups, polish)
    # The priority repair may seat someone waiting in the place of a lower one the model
    # seated instead (the model weighs placing by value, the repair by the draw order), who
    # then waits: a layout with fewer at their earlier booths than before is not taken, nor
    # one that splits a zone.
    after, _ = restore_priority(free, free_groups, _from_sub(chosen, back))
    if _at_home(free, free_groups, after, home) < _at_home(free, free_groups, layout, home) or (
        not _zones_whole(free, free_groups, after) >= _zones_whole(free, free_groups, layout)
    ):
        return result, proved and kept == kept_before
    # Proved only if the repair kept everyone the model found at their earlier booths.
    proved = proved and _at_home(free, free_groups, after, {e: home[e] for e in ids}) == kept
    out = _rescored(problem, free, free_groups, result, after)
    if run.deterministic and watcher.clock_cut:  # another run may differ
        out = replace(out, ended_by="time limit", reproducible=False)
    return out, proved


def _at_home(
    problem: Problem, groups: list[Group], layout: dict[str, Choice], home: dict[str, Pin]
) -> int:
    """Return how many of ``home`` stand at their earlier booth (hall and box) in ``layout``."""
    out = 0
    for e, (hall, box) in home.items():
        if e in layout:
            g, k = layout[e]
            here = problem.slots[int(groups[g].slot[k])].hall
            out += here == hall and bool(np.allclose(groups[g].boxes[k], box))
    return out


def _zones_whole(problem: Problem, groups: list[Group], layout: dict[str, Choice]) -> set[str]:
    """Return the zones whose booths keep the zone rules in ``layout`` (one group, as
    :meth:`ZoneFloor.connected` checks, the same rule as the checker's)."""
    floor = ZoneFloor(problem)
    for e, (g, k) in layout.items():
        grp = groups[g]
        member = next(m for m in grp.members if m.id == e)
        floor.add(member, int(grp.slot[k]), grp.cells[k], grp.boxes[k])
    return {z for z in problem.zone_reach if floor.connected(z)}


def _rescored(
    problem: Problem, free: Problem, groups: list[Group], result: Result, chosen: dict[str, Choice]
) -> Result:
    """Return ``result`` with the layout ``chosen`` (on ``free``'s ``groups``): its booths,
    who is left out and why, the goals' scores, the priority check and the zones' blocks."""
    from boothopt.solver.priority import priority_breaches
    from boothopt.solver.solve import _booth, _number_booths, explain_unplaced, zone_blocks

    booths = _number_booths(
        problem, [_booth(free, groups[g], e, k) for e, (g, k) in chosen.items()]
    )
    terms = score_terms(problem, booths)
    numbers = {b.exhibitor_id: b.booth_no for b in booths}
    return replace(
        result,
        # Not the layout the last pass proved optimal (its pins are the ones moved here).
        status=SolveStatus.FEASIBLE if result.status == SolveStatus.OPTIMAL else result.status,
        booths=booths,
        unplaced=explain_unplaced(free, groups, booths),
        terms=terms,
        objective=objective_value(problem, terms),
        priority_breaches=priority_breaches(free, groups, chosen, numbers),
        zone_blocks=zone_blocks(problem, booths),
    )


def pin_faults(problem: Problem) -> list[str]:
    """Return, for each locked pin that breaks a hard rule, what is wrong (empty when none).

    A pinned booth must be a legal placement of its exhibitor (size, type, grid, zone, needs),
    and two locked booths may not overlap or stand closer than their competitors' distance.
    """
    out = []
    groups = build_groups(problem)
    for g in groups:
        for e in g.members:
            if e.id in problem.locked and g.size == 0:
                out.append(f"{e.id}: {g.no_place_reason}")
    cells: dict[int, str] = {}
    for g in groups:
        e = g.members[0]
        if e.id not in problem.locked or g.size == 0:
            continue
        for c in g.cells[0].tolist():
            if c in cells:
                out.append(f"{e.id}: its pinned booth overlaps that of {cells[c]}")
                break
            cells[c] = e.id
    return out


def cut_off(event: Event, pins: dict[str, Pin], keep: set[str]) -> set[str]:
    """Return the pinned members of a zone that stand apart from the rest of it.

    A zone's booths form one group (a hard rule), but cancellations may take the booths that
    joined two parts of it. Those outside the zone's largest group of pinned booths (by
    members, so the fewest move) are placed again, next to it. A group holding someone in
    ``keep`` (locked) is the one that stays; when two such groups stand apart nothing is
    returned, and the check after the solve names the zone.
    """
    gap = across_one_aisle_m(event.scheme)
    out: set[str] = set()
    for zone in event.zones:
        if not zone.contiguous:
            continue
        ids = sorted(e.id for e in event.exhibitors if e.zone == zone.id and e.id in pins)
        groups: list[list[str]] = []
        for hall in sorted({pins[e][0] for e in ids}):
            here = [e for e in ids if pins[e][0] == hall]
            for group in booth_groups([pins[e][1] for e in here], gap):
                groups.append([here[k] for k in group])
        if len(groups) < 2:
            continue
        held = [g for g in groups if keep.intersection(g)]
        if len(held) > 1:
            continue
        main = held[0] if held else max(groups, key=len)  # the first of the largest
        out.update(e for g in groups if g is not main for e in g)
    return out


def _still_legal(event: Event, earlier: Earlier, seed: int, workers: int) -> set[str]:
    """Return the exhibitors whose earlier booth is still a legal place for them."""
    table = {e.id for e in event.exhibitors}
    pins = {e: (h, box) for e, (h, box, _) in earlier.booths.items() if e in table}
    if not pins:
        return set()
    problem = build_problem(
        event,
        seed=seed,
        workers=workers,
        pins=pins,
        zone_areas=earlier.zone_areas,
        gaps_allowed=True,
    )
    return {e.id for g in build_groups(problem) for e in g.members if e.id in pins and g.size}


_NUMBER = re.compile(r"^(?P<hall>.+)-(?P<row>\d+?)(?P<n>\d{2,})$")


def _keep_numbers(problem: Problem, booths: list[Booth], earlier: Earlier) -> list[Booth]:
    """Give unmoved booths their earlier numbers and the others the next free one of their row."""
    used = {no for _, _, no in earlier.booths.values()}
    out: list[Booth] = []
    fresh: list[Booth] = []
    for b in booths:
        old = earlier.booths.get(b.exhibitor_id)
        if old is not None and old[0] == b.hall and np.allclose(old[1], b.box):
            out.append(replace(b, booth_no=old[2]))
        else:
            fresh.append(b)
    taken = {b.booth_no for b in out}
    for b in sorted(fresh, key=lambda b: (b.hall, problem.slots[b.slot].band, b.box)):
        prefix = f"{b.hall}-{problem.slots[b.slot].band + 1}"
        n = 1
        while f"{prefix}{n:02d}" in taken or f"{prefix}{n:02d}" in used:
            n += 1
        out.append(replace(b, booth_no=f"{prefix}{n:02d}"))
        taken.add(f"{prefix}{n:02d}")
    out.sort(key=lambda b: b.booth_no)
    return out


def _changes(
    event: Event,
    earlier: Earlier,
    result: Result,
    legal: set[str],
    table: dict[str, Exhibitor],
    swapped: dict[str, str],
    apart: set[str],
) -> list[Change]:
    """List every exhibitor whose booth changed, with the reason, in booth-number order."""
    where = {b.exhibitor_id: b for b in result.booths}
    unplaced = dict(result.unplaced)
    module_m2 = event.scheme.module_m**2
    zones = {z.id: z.name_en or z.name_ko or z.id for z in event.zones}
    out = []

    def name(e: str) -> str:
        if e in table:
            return table[e].name_en or table[e].name_ko or e
        return earlier.names.get(e, e)

    def taker(e: str) -> str:
        """Who now stands on (part of) ``e``'s earlier booth."""
        hall, (x0, y0, x1, y1), _ = earlier.booths[e]
        for o, b in where.items():
            bx0, by0, bx1, by1 = b.box
            if (
                o != e
                and b.hall == hall
                and bx0 < x1 - 1e-6
                and x0 < bx1 - 1e-6
                and by0 < y1 - 1e-6
                and y0 < by1 - 1e-6
            ):
                late = "late entry" if o not in earlier.booths else "booth"
                return (
                    f"made room for the {b.modules * module_m2:g} m² {late} of {name(o)} "
                    f"({o}), of higher priority"
                )
        return "made room for an exhibitor of higher priority"

    for e, (hall, box, no) in earlier.booths.items():
        now = where.get(e)
        if e not in table:
            out.append(Change(e, name(e), no, "", "cancelled: no longer in the exhibitor table"))
            continue
        if now is not None and now.hall == hall and np.allclose(now.box, box):
            continue
        if e in swapped:
            other = swapped[e]
            why = (
                f"traded booths with {name(other)} ({other}), of the same size and type, "
                "for a preferred hall or a partner nearby (--allow-swap)"
            )
        elif e in apart:
            zone = zones.get(table[e].zone or "", table[e].zone)
            why = (
                f"cancellations cut it off from the rest of the {zone}, whose booths stand "
                "together: moved next to them"
            )
        elif e not in legal:
            asked = table[e].modules
            had = round((box[2] - box[0]) * (box[3] - box[1]) / module_m2)
            why = (
                f"its request changed ({had} to {asked} modules)"
                if had != asked
                else f"its earlier booth ({pin_text((hall, box))}) no longer keeps its rules "
                "(type, zone or needs)"
            )
        else:
            why = taker(e)
        if now is None:
            why += f"; not placed again: {unplaced.get(e, 'no free space of its size')}"
        out.append(Change(e, name(e), no, now.booth_no if now else "", why))
    for e, b in where.items():
        if e not in earlier.booths:
            why = "left out before, placed now" if e in earlier.unplaced else "late entry"
            out.append(Change(e, name(e), "", b.booth_no, why))
    for e in table:
        if e not in earlier.booths and e not in where and e not in earlier.unplaced:
            out.append(Change(e, name(e), "", "", f"late entry, not placed: {unplaced.get(e, '')}"))
    out.sort(key=lambda c: (c.new_booth or "~", c.old_booth or "~", c.exhibitor_id))
    return out


def table_pins(event: Event, earlier: Earlier | None = None) -> tuple[dict[str, Pin], list[str]]:
    """Return the booths the exhibitor table fixes (its ``booth`` column), and the faults.

    A position (``C@120,45 2x1``: hall, lower-left corner in venue metres, size in modules along
    x and y; the size may come from the ``shape`` column or a 1-module request instead) stands
    alone; a booth number (``C-214``) means that booth of the ``earlier`` plan.
    """
    from boothopt.inputs.event_file import BOOTH_POSITION

    module = event.scheme.module_m
    numbers = {no: (h, box) for h, box, no in (earlier.booths.values() if earlier else [])}
    pins: dict[str, Pin] = {}
    faults = []
    for e in event.exhibitors:
        if not e.booth:
            continue
        m = BOOTH_POSITION.fullmatch(e.booth)
        if m is not None:
            if m["w"]:
                w, d = int(m["w"]), int(m["d"])
            elif e.shape:
                w, d = e.shape
            elif e.modules == 1:
                w = d = 1
            else:
                faults.append(
                    f"{e.source}: booth {e.booth!r}: give the booth's size in modules after the "
                    f"position (e.g. {e.booth} {e.modules}x1) or a shape"
                )
                continue
            if w * d != e.modules:
                faults.append(
                    f"{e.source}: booth {e.booth!r} is {w}x{d} = {w * d} modules, but {e.id} "
                    f"asks for {e.modules} — make the two agree"
                )
                continue
            x, y = float(m["x"]), float(m["y"])
            pins[e.id] = (m["hall"], (x, y, x + w * module, y + d * module))
        elif earlier is None:
            faults.append(
                f"{e.source}: booth {e.booth!r}: a booth number belongs to an earlier plan — "
                "use `boothopt reallocate EARLIER/assignment.json`, or give a position "
                "(hall@x,y and the size, e.g. C@120,45 2x1)"
            )
        elif e.booth in numbers:
            pins[e.id] = numbers[e.booth]
        else:
            faults.append(
                f"{e.source}: booth {e.booth!r} is not a booth of the earlier plan — check "
                "the number"
            )
    return pins, faults
