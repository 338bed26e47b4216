"""Trades: two exhibitors of the same size swap booths where that raises the objective.

A search that decides who stands where hall by hall cannot move someone to the hall they asked
for once the halls are settled; a floor manager would simply swap two booths of the same size
and type. Such a swap keeps every cell taken as it was (each new placement takes exactly the
cells of the one it replaces, the strips an island or peninsula keeps free included), so the
floor's rules (overlaps, rows, zone blocks) hold as before; each booth must be a legal place for
its new exhibitor (one of its group's candidates), and each exhibitor's competitors are checked
at the new place. The priority repair runs after the trades.
"""

from __future__ import annotations

import numpy as np

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.candidates import Group
from boothopt.solver.greedy import competitor_distances
from boothopt.solver.problem import Problem
from boothopt.solver.result import candidate_worth, partner_pairs, rect_distance, term_weights

Choice = tuple[int, int]  # (group index, candidate index)


def trade_booths(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    locked: frozenset[str] | set[str] = frozenset(),
    budget: int | None = None,
    everyone: bool = True,
) -> tuple[dict[str, Choice], dict[str, str]]:
    """Swap booths between exhibitors of the same size where the objective rises.

    Those who miss a preferred hall or stand away from a partner look for a trade first, then
    (with ``everyone``) the others, each in the exhibitors' order (priority first); each takes
    the trade that raises the objective most (a sponsor taking the corner a standard booth
    had, say), and trades once. ``locked`` exhibitors keep their booths; ``budget`` caps the
    trades. Returns the layout and who traded with whom (both ways).
    """
    people = {e.id: e for e in problem.exhibitors}
    group_of = {e.id: g.index for g in groups for e in g.members}
    apart = competitor_distances(problem)
    w_partners = term_weights(problem)["partners"]
    partners: dict[str, list[str]] = {}
    for a, b in partner_pairs(problem):
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    worth: dict[int, np.ndarray] = {}
    # Per group, its candidates by place: block and box (boxes are in hall coordinates, and
    # alike halls have alike boxes).
    at_place: dict[int, dict[tuple[int, tuple[float, ...]], int]] = {}

    def worth_of(g: int) -> np.ndarray:
        if g not in worth:
            worth[g] = candidate_worth(problem, groups[g])
        return worth[g]

    def index_of(g: int, c: Choice) -> int | None:
        """Return group ``g``'s candidate at the place of choice ``c``, if it has one."""
        if g not in at_place:
            at_place[g] = {}
            for k in range(groups[g].size):
                at_place[g].setdefault((slot((g, k)), box((g, k))), k)
        return at_place[g].get((slot(c), box(c)))

    def slot(c: Choice) -> int:
        return int(groups[c[0]].slot[c[1]])

    def box(c: Choice) -> tuple[float, ...]:
        return tuple(groups[c[0]].boxes[c[1]].tolist())

    def cells(c: Choice) -> frozenset[int]:
        """The cells a placement takes: its booth's and the strips an island or peninsula
        keeps free to open its ends."""
        return frozenset(groups[c[0]].cells[c[1]].tolist())

    def met(e_id: str, where: dict[str, Choice], moved: dict[str, Choice]) -> int:
        """Return e_id's partners beside it, ``moved`` overriding ``where``."""
        here = moved.get(e_id) or where[e_id]
        count = 0
        for p in partners.get(e_id, []):
            there = moved.get(p) or where.get(p)
            if there is not None and slot(there) in problem.neighbours[slot(here)]:
                count += 1
        return count

    def apart_ok(e_id: str, where: dict[str, Choice], moved: dict[str, Choice]) -> bool:
        here = moved.get(e_id) or where[e_id]
        for other, metres in apart[e_id].items():
            o = moved.get(other) or where.get(other)
            if o is None or problem.slot_level[slot(o)] != problem.slot_level[slot(here)]:
                continue
            gap = rect_distance(np.array([box(here)]), np.array([box(o)]))[0, 0]
            if gap < metres - 1e-9:
                return False
        return True

    # Who may trade: the same size in the same zone (or both outside the zones: a block
    # holding a zone's members holds nobody else). Whether each may stand in the other's booth
    # (shape, type, power, loads) is whether its group has that place among its candidates.
    def alike_key(e: Exhibitor) -> tuple[object, ...]:
        return (e.modules, e.zone)

    alike: dict[tuple[object, ...], list[str]] = {}
    for e_id in sorted(layout):
        if e_id not in locked:
            alike.setdefault(alike_key(people[e_id]), []).append(e_id)

    def misses(e: Exhibitor) -> bool:
        """Whether e stands outside its preferred halls or away from a partner."""
        hall = problem.slots[slot(layout[e.id])].hall
        placed_partners = [p for p in partners.get(e.id, []) if p in layout]
        return bool(e.halls and hall not in e.halls) or met(e.id, layout, {}) < len(placed_partners)

    movable = [e for e in problem.exhibitors if e.id in layout and e.id not in locked]
    first = [e for e in movable if misses(e)]
    order = first + ([e for e in movable if e not in first] if everyone else [])
    out = dict(layout)
    traded: dict[str, str] = {}
    for e in order:
        if budget is not None and len(traded) // 2 >= budget:
            break
        if e.id in traded:
            continue
        a = e.id
        ca = out[a]
        best: tuple[float, str, Choice, Choice] | None = None
        for b in alike.get(alike_key(e), []):
            if b == a or b in traded:
                continue
            cb = out[b]
            ka = index_of(group_of[a], cb)  # a in b's booth
            kb = index_of(group_of[b], ca)  # b in a's booth
            if ka is None or kb is None:
                continue
            new_a, new_b = (group_of[a], ka), (group_of[b], kb)
            if cells(new_a) != cells(cb) or cells(new_b) != cells(ca):
                continue  # a strip kept free for one booth's type, not the other's
            gain = (
                worth_of(new_a[0])[ka]
                + worth_of(new_b[0])[kb]
                - worth_of(ca[0])[ca[1]]
                - worth_of(cb[0])[cb[1]]
            )
            moved = {a: new_a, b: new_b}
            if a in partners or b in partners:
                # A pair is counted once from each end among a and b; when a and b are
                # partners themselves, their pair stays as close as it was, and adds nothing.
                before = met(a, out, {}) + met(b, out, {})
                gain += w_partners * (met(a, out, moved) + met(b, out, moved) - before)
            if gain <= 1e-9 or (best is not None and gain <= best[0] + 1e-12):
                continue
            if apart_ok(a, out, moved) and apart_ok(b, out, moved):
                best = (gain, b, new_a, new_b)
        if best is not None:
            _, b, new_a, new_b = best
            out[a], out[b] = new_a, new_b
            traded[a], traded[b] = b, a
    return out, traded


def move_to_preferred_halls(
    problem: Problem, groups: list[Group], layout: dict[str, Choice]
) -> tuple[dict[str, Choice], list[str]]:
    """Move exhibitors outside the zones who stand outside their preferred halls to a place in
    one of them, where that raises the objective; return the layout and who moved.

    A trade needs someone of the same size on the other side; a free place needs nobody. When
    no free place there is worth it, the place of one exhibitor of lower priority is, if that
    one moves in turn to a free place (the one just left, say) and the two moves together raise
    the objective. Each move keeps every rule the priority repair keeps (free cells,
    competitors' distances, a block holding a zone's members holds nobody else). Zone members
    stay, both ways: leaving a gap in their zone's row would break its rule.
    """
    from boothopt.solver.priority import Opening, _Floor

    floor = _Floor(problem, groups, layout)
    w_partners = term_weights(problem)["partners"]
    partners: dict[str, list[str]] = {}
    for a, b in partner_pairs(problem):
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    people = {e.id: e for e in problem.exhibitors}
    worth: dict[str, np.ndarray] = {}

    def slot(c: Choice) -> int:
        return int(groups[c[0]].slot[c[1]])

    def gain_at(e_id: str, candidate: int) -> float:
        """Return what exhibitor ``e_id`` standing at ``candidate`` adds to the objective."""
        if e_id not in worth:
            worth[e_id] = candidate_worth(problem, floor.group_of[e_id])
        at = int(floor.group_of[e_id].slot[candidate])
        met = sum(
            1
            for p in partners.get(e_id, [])
            if p in floor.chosen and slot(floor.chosen[p]) in problem.neighbours[at]
        )
        return float(worth[e_id][candidate]) + w_partners * met

    def best_free(e_id: str, halls: frozenset[str] | None) -> tuple[float, Opening] | None:
        best: tuple[float, Opening] | None = None
        for o in floor.openings(e_id, halls=halls, free_only=True):
            gain = gain_at(e_id, o.candidate)
            if best is None or gain > best[0] + 1e-12:
                best = (gain, o)
        return best

    def make_room(e_id: str, halls: frozenset[str], gain_before: float) -> bool:
        """Put ``e_id`` (off the floor) in the place of a lower exhibitor in ``halls``, and that
        one in a free place, where the two moves together raise the objective; return whether
        it did (else the floor is as it was)."""
        held = [o for o in floor.openings(e_id, halls=halls) if o.displaced is not None]
        for o in held[:MAKE_ROOM_TRIES]:
            other = o.displaced
            assert other is not None
            if people[other].zone is not None:
                continue
            other_before = floor.chosen[other]
            other_gain = gain_at(other, other_before[1])
            floor.take(o)  # ``other`` leaves the floor
            # The holder keeps to its own preferred halls when it stands in one now.
            own = frozenset(people[other].halls)
            stays_in = problem.slots[slot(other_before)].hall in own
            elsewhere = best_free(other, own if stays_in else None)
            if elsewhere is not None:
                floor.take(elsewhere[1])
                # Both gains are read with both moved; a link between the two, should they be
                # partners, counts once (as in ``gain_before``: ``other_gain`` was read with
                # ``e_id`` off the floor).
                total = gain_at(e_id, o.candidate) + gain_at(other, elsewhere[1].candidate)
                if other in partners.get(e_id, []):
                    near = problem.neighbours[int(floor.group_of[e_id].slot[o.candidate])]
                    total -= w_partners * (slot(floor.chosen[other]) in near)
                if total > gain_before + other_gain + 1e-9:
                    return True
                floor.release(other)
            floor.release(e_id)
            floor.take(Opening(other, other_before[1], None))
        return False

    moved: list[str] = []
    for e in problem.exhibitors:
        if e.zone is not None or not e.halls or e.id not in floor.chosen or e.id in problem.locked:
            continue
        if problem.slots[slot(floor.chosen[e.id])].hall in e.halls:
            continue
        halls = frozenset(e.halls)
        before = floor.chosen[e.id]
        gain_before = gain_at(e.id, before[1])
        floor.release(e.id)
        free = best_free(e.id, halls)
        if free is not None and free[0] > gain_before + 1e-9:
            floor.take(free[1])
            moved.append(e.id)
        elif make_room(e.id, halls, gain_before):
            moved.append(e.id)
        else:
            floor.take(Opening(e.id, before[1], None))
    return floor.chosen, moved


# How many places held by someone of lower priority a move to a preferred hall tries, the
# lowest holders and the places worth most first; each try looks for a free place for the holder.
MAKE_ROOM_TRIES = 20


# How many blocks next to its zone a zone member left out tries, and how many booths such a
# block may hold (each must find a free place elsewhere).
GROW_BLOCKS_TRIED = 12
GROW_BOOTHS_MOVED_MAX = 6


def grow_zones(
    problem: Problem, groups: list[Group], layout: dict[str, Choice]
) -> tuple[dict[str, Choice], list[str]]:
    """Seat zone members left out for want of room in their zone's blocks: the zone takes a
    block next to it whose booths (outside every zone) all move to free places elsewhere.

    One more exhibitor is placed and nobody leaves the floor: the placed priority rises by the
    member's value, which outweighs every soft goal (a member worth nothing is seated all the
    same, as the priority repair seats anyone a free space fits). Members go in priority order;
    locked and pinned booths stay. Returns the layout and who was seated.
    """
    from boothopt.solver.priority import Opening, _Floor

    floor = _Floor(problem, groups, layout)
    fixed = set(problem.locked) | set(problem.pins)

    def block_of(c: Choice) -> int:
        return int(groups[c[0]].slot[c[1]])

    def take_block(e_id: str, block: int, there: list[str]) -> bool:
        """Seat ``e_id`` in ``block`` once the booths ``there`` leave it for free places
        elsewhere (the biggest first); return whether all of it went (else nothing changed)."""
        saved = {o: floor.chosen[o] for o in there}
        for o in there:
            floor.release(o)
        g = floor.group_of[e_id]
        spots = [
            o for o in floor.openings(e_id, free_only=True) if int(g.slot[o.candidate]) == block
        ]
        if spots:
            floor.take(spots[0])
            gone: list[str] = []
            for o in sorted(there, key=lambda x: (-len(groups[saved[x][0]].cells[saved[x][1]]), x)):
                free = floor.openings(o, free_only=True)
                if not free:
                    break
                floor.take(free[0])
                gone.append(o)
            if len(gone) == len(there):
                return True
            for o in gone:
                floor.release(o)
            floor.release(e_id)
        for o, c in saved.items():
            floor.take(Opening(o, c[1], None))
        return False

    seated: list[str] = []
    for e in problem.exhibitors:
        zone = floor.zones.zone(e)
        g = floor.group_of[e.id]
        if e.id in floor.chosen or e.zone is None or zone != e.zone or g.size == 0:
            continue
        kept = floor.zones.kept[zone]
        if not kept:
            continue
        mine = {int(b) for b in np.unique(g.slot)}
        near = sorted((set().union(*(problem.neighbours[b] for b in kept)) - kept) & mine)
        standing: dict[int, list[str]] = {}
        for other, c in floor.chosen.items():
            standing.setdefault(block_of(c), []).append(other)
        tried = 0
        for block in near:
            there = standing.get(block, [])
            if not there or len(there) > GROW_BOOTHS_MOVED_MAX:
                continue
            if any(floor.zones.zone(floor._exhibitor(o)) for o in there) or set(there) & fixed:
                continue
            tried += 1
            if tried > GROW_BLOCKS_TRIED:
                break
            if take_block(e.id, block, there):
                seated.append(e.id)
                break
    return floor.chosen, seated
