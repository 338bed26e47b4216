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

from collections import defaultdict
from itertools import combinations, product

import numpy as np

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.candidates import Group
from boothopt.solver.greedy import competitor_distances
from boothopt.solver.problem import Problem
from boothopt.solver.result import (
    candidate_terms,
    candidate_worth,
    partner_pairs,
    rect_distance,
    term_weights,
)

Choice = tuple[int, int]  # (group index, candidate index)

# Rounds of goal trades at most (each takes every trade it can at once).
GOAL_TRADE_ROUNDS = 20
# A region swap: the places tried per exhibitor (most gain first), the holders moved at most.
REGION_PLACES = 30
REGION_HOLDERS = 3


def partners_of(problem: Problem) -> dict[str, list[str]]:
    """Return each exhibitor's partners (those with one), both ways."""
    out: dict[str, list[str]] = {}
    for a, b in partner_pairs(problem):
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return out


class _Market:
    """Who may trade booths with whom, and what a trade changes: the helpers the trades share.

    Two exhibitors may trade when they have the same size and the same zone (or both stand
    outside the zones: a block holding a zone's members holds nobody else), each booth is a
    legal place for the other (one of its group's candidates: shape, type, power, loads), the
    two take the same cells (a strip an island or peninsula keeps free included), and each
    keeps its competitors' distances at the new place.
    """

    def __init__(
        self,
        problem: Problem,
        groups: list[Group],
        layout: dict[str, Choice],
        locked: frozenset[str] | set[str],
    ) -> None:
        self.problem, self.groups = problem, groups
        self.people = {e.id: e for e in problem.exhibitors}
        self.group_of = {e.id: g.index for g in groups for e in g.members}
        self.apart = competitor_distances(problem)
        self.partners = partners_of(problem)
        # Per group, its candidates by place: block and box (boxes are in hall coordinates,
        # and alike halls have alike boxes).
        self._at_place: dict[int, dict[tuple[int, tuple[float, ...]], int]] = {}
        self.alike: dict[tuple[object, ...], list[str]] = {}
        for e_id in sorted(layout):
            if e_id not in locked:
                self.alike.setdefault(self.key(self.people[e_id]), []).append(e_id)

    @staticmethod
    def key(e: Exhibitor) -> tuple[object, ...]:
        """Who may trade with whom: the same size in the same zone."""
        return (e.modules, e.zone)

    def slot(self, c: Choice) -> int:
        return int(self.groups[c[0]].slot[c[1]])

    def box(self, c: Choice) -> tuple[float, ...]:
        return tuple(self.groups[c[0]].boxes[c[1]].tolist())

    def cells(self, c: Choice) -> frozenset[int]:
        """The cells a placement takes: its booth's and the strips an island or peninsula
        keeps free to open its ends."""
        return frozenset(self.groups[c[0]].cells[c[1]].tolist())

    def index_of(self, g: int, c: Choice) -> int | None:
        """Return group ``g``'s candidate at the place of choice ``c``, if it has one."""
        if g not in self._at_place:
            self._at_place[g] = {}
            for k in range(self.groups[g].size):
                self._at_place[g].setdefault((self.slot((g, k)), self.box((g, k))), k)
        return self._at_place[g].get((self.slot(c), self.box(c)))

    def swapped(self, a: str, b: str, where: dict[str, Choice]) -> tuple[Choice, Choice] | None:
        """Return a's and b's placements in each other's booths, or None when they cannot
        trade (a place one of them may not take, or other cells)."""
        ca, cb = where[a], where[b]
        ka = self.index_of(self.group_of[a], cb)  # a in b's booth
        kb = self.index_of(self.group_of[b], ca)  # b in a's booth
        if ka is None or kb is None:
            return None
        new_a, new_b = (self.group_of[a], ka), (self.group_of[b], kb)
        if self.cells(new_a) != self.cells(cb) or self.cells(new_b) != self.cells(ca):
            return None  # a strip kept free for one booth's type, not the other's
        return new_a, new_b

    def met(self, e_id: str, where: dict[str, Choice], moved: dict[str, Choice]) -> int:
        """Return e_id's partners beside it, ``moved`` overriding ``where``."""
        here = moved.get(e_id) or where[e_id]
        count = 0
        for p in self.partners.get(e_id, []):
            there = moved.get(p) or where.get(p)
            if there is not None and self.slot(there) in self.problem.neighbours[self.slot(here)]:
                count += 1
        return count

    def pairs_change(
        self, movers: list[str], where: dict[str, Choice], moved: dict[str, Choice]
    ) -> int:
        """Return how many more partner pairs stand close once ``movers`` moved to ``moved``
        (each pair once, as the goal counts them)."""
        pairs = {tuple(sorted((m, p))) for m in movers for p in self.partners.get(m, [])}

        def close(a: str, b: str, over: dict[str, Choice]) -> bool:
            ca, cb = over.get(a) or where.get(a), over.get(b) or where.get(b)
            if ca is None or cb is None:
                return False
            return self.slot(cb) in self.problem.neighbours[self.slot(ca)]

        return sum(close(a, b, moved) - close(a, b, {}) for a, b in sorted(pairs))

    def apart_ok(self, e_id: str, where: dict[str, Choice], moved: dict[str, Choice]) -> bool:
        """Return True when e_id keeps every competitor's distance, ``moved`` overriding."""
        here = moved.get(e_id) or where[e_id]
        level = self.problem.slot_level
        for other, metres in self.apart[e_id].items():
            o = moved.get(other) or where.get(other)
            if o is None or level[self.slot(o)] != level[self.slot(here)]:
                continue
            gap = rect_distance(np.array([self.box(here)]), np.array([self.box(o)]))[0, 0]
            if gap < metres - 1e-9:
                return False
        return True


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
    market = _Market(problem, groups, layout, locked)
    w_partners = term_weights(problem)["partners"]
    worth: dict[int, np.ndarray] = {}

    def worth_of(g: int) -> np.ndarray:
        if g not in worth:
            worth[g] = candidate_worth(problem, groups[g])
        return worth[g]

    def misses(e: Exhibitor) -> bool:
        """Whether e stands outside its preferred halls or away from a partner."""
        hall = problem.slots[market.slot(layout[e.id])].hall
        placed_partners = [p for p in market.partners.get(e.id, []) if p in layout]
        return bool(e.halls and hall not in e.halls) or market.met(e.id, layout, {}) < len(
            placed_partners
        )

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
        for b in market.alike.get(market.key(e), []):
            if b == a or b in traded:
                continue
            pair = market.swapped(a, b, out)
            if pair is None:
                continue
            new_a, new_b = pair
            cb = out[b]
            gain = (
                worth_of(new_a[0])[new_a[1]]
                + worth_of(new_b[0])[new_b[1]]
                - worth_of(ca[0])[ca[1]]
                - worth_of(cb[0])[cb[1]]
            )
            moved = {a: new_a, b: new_b}
            gain += w_partners * market.pairs_change([a, b], out, moved)
            if gain <= 1e-9 or (best is not None and gain <= best[0] + 1e-12):
                continue
            if market.apart_ok(a, out, moved) and market.apart_ok(b, out, moved):
                best = (gain, b, new_a, new_b)
        if best is not None:
            _, b, new_a, new_b = best
            out[a], out[b] = new_a, new_b
            traded[a], traded[b] = b, a
    return out, traded


def trade_for_goals(
    problem: Problem,
    groups: list[Group],
    layout: dict[str, Choice],
    scores: dict[str, float],
    raise_to: dict[str, float],
    floors: dict[str, float],
    locked: frozenset[str] | set[str] = frozenset(),
) -> tuple[dict[str, Choice], dict[str, float]]:
    """Raise the goals in ``raise_to`` toward their targets by trades, moves to free places and
    region swaps, every other goal kept at or above its floor; return the layout and its goals'
    scores.

    A polish for a goal the weighted objective gave away: a sponsor on an inline booth while a
    standard booth of its size has the corner (best-spot gives the corner to the sponsor), or
    an inline booth kept while a corner of its size stands free. Each round ranks every trade
    and every move the raised goals gain from (those that cost the objective nothing first,
    then by gain per objective given up) and takes them in that order while each keeps every
    floor and every rule; rounds go on until every raised goal meets its target or nothing
    is left to take. ``scores`` holds the layout's score of each goal
    (:func:`~boothopt.solver.result.score_terms`). Nobody leaves the floor; zone members move
    only by trades and region swaps within their zone (a move would leave a gap in its row).
    """
    from boothopt.solver.priority import Opening, _Floor

    market = _Market(problem, groups, layout, locked)
    floor = _Floor(problem, groups, layout)
    weights = term_weights(problem)
    terms: dict[int, dict[str, np.ndarray]] = {}

    def terms_of(g: int) -> dict[str, np.ndarray]:
        if g not in terms:
            terms[g] = {
                k: np.asarray(v, dtype=float)
                for k, v in candidate_terms(problem, groups[g]).items()
            }
        return terms[g]

    def change(moved: dict[str, Choice], out: dict[str, Choice]) -> dict[str, float]:
        """Return each goal's change once the exhibitors in ``moved`` moved there."""
        delta: dict[str, float] = defaultdict(float)
        for e_id, (g, k) in moved.items():
            for name, values in terms_of(g).items():
                delta[name] += float(values[k] - values[out[e_id][1]])
        delta["partners"] = float(market.pairs_change(list(moved), out, moved))
        return delta

    def rank(delta: dict[str, float]) -> tuple[bool, float] | None:
        """Order offers: those costing nothing first (most gain first), then by cost per gain;
        None when the raised goals gain nothing."""
        gain = sum(delta[name] for name in raise_to)
        if gain <= 1e-9:
            return None
        cost = -sum(weights[name] * d for name, d in delta.items())
        return (False, -gain) if cost <= 1e-9 else (True, cost / gain)

    def raised_by(values: dict[str, np.ndarray], k: int) -> np.ndarray:
        """Return, per candidate, what the raised goals gain there against candidate ``k``
        (the goals a candidate carries alone: partners depend on who stands where)."""
        gains = [values[name] - values[name][k] for name in raise_to if name in values]
        return np.sum(gains, axis=0) if gains else np.zeros(len(next(iter(values.values()))))

    def keeps_floors(delta: dict[str, float]) -> bool:
        return all(
            now[name] + d >= floors[name] - 1e-9
            for name, d in delta.items()
            if name not in raise_to and name in floors
        )

    def free_place(a: str, out: dict[str, Choice]) -> tuple[tuple[bool, float], int] | None:
        """Return the best free place for ``a`` by ``rank``, if one raises the goals."""
        g, k = out[a]
        values = terms_of(g)
        raised = raised_by(values, k)
        if raised.max() <= 1e-9:
            return None
        floor.release(a)
        places = [
            o.candidate for o in floor.openings(a, free_only=True) if raised[o.candidate] > 1e-9
        ]
        floor.take(Opening(a, k, None))
        best: tuple[tuple[bool, float], int] | None = None
        for c in places:
            key = rank(change({a: (g, c)}, out))
            if key is not None and (best is None or key < best[0]):
                best = (key, c)
        return best

    ids = [e.id for e in problem.exhibitors]

    def region_swap(
        a: str, out: dict[str, Choice]
    ) -> tuple[tuple[bool, float], dict[str, Choice]] | None:
        """Return the best region swap for ``a`` by ``rank``: ``a`` takes a place held by up to
        ``REGION_HOLDERS`` others of its zone (and perhaps free cells), each wholly inside it,
        and they take places inside ``a``'s booth, in its block. The cells taken stay in the
        same blocks and zones: a 15-module stand inline takes the corner where a 9 and a 6
        stand, and they take its place. In a zone, the same cells stay taken (its booths fill
        unbroken stretches of their rows)."""
        g, k = out[a]
        grp = groups[g]
        values = terms_of(g)
        raised = raised_by(values, k)
        better = np.nonzero(raised > 1e-9)[0]
        if not len(better):
            return None
        better = better[np.argsort(-raised[better], kind="stable")][:REGION_PLACES]
        own_cells = set(grp.cells[k].tolist())
        i0, j0 = int(grp.i[k]), int(grp.j[k])
        i1, j1 = i0 + int(grp.w[k]), j0 + int(grp.d[k])
        home = int(grp.slot[k])
        zone = market.people[a].zone
        best: tuple[tuple[bool, float], dict[str, Choice]] | None = None
        for c in better.tolist():
            holders = sorted({int(h) for h in floor.owner[grp.cells[c]].tolist() if h >= 0})
            if not holders or len(holders) > REGION_HOLDERS or floor.index[a] in holders:
                continue
            names = [ids[h] for h in holders]
            if any(h in locked or market.people[h].zone != zone for h in names):
                continue
            there = set(grp.cells[c].tolist())
            held = [set(groups[out[h][0]].cells[out[h][1]].tolist()) for h in names]
            if any(not cells <= there for cells in held):
                continue  # a holder reaches outside the place
            full = set().union(*held)
            options: list[list[int]] = []  # per holder, its places inside a's booth
            for h in names:
                hg = groups[out[h][0]]
                inside = np.nonzero(
                    (hg.slot == home)
                    & (hg.i >= i0)
                    & (hg.j >= j0)
                    & (hg.i + hg.w <= i1)
                    & (hg.j + hg.d <= j1)
                )[0]
                options.append([int(q) for q in inside if set(hg.cells[q].tolist()) <= own_cells])
            for combo in product(*options):
                cells = [
                    set(groups[out[h][0]].cells[q].tolist())
                    for h, q in zip(names, combo, strict=True)
                ]
                if any(x & y for x, y in combinations(cells, 2)):
                    continue
                if zone is not None and (full != there or set().union(*cells) != own_cells):
                    continue  # a zone's booths fill unbroken stretches: no cell left free
                moved = {a: (g, c)} | {h: (out[h][0], q) for h, q in zip(names, combo, strict=True)}
                key = rank(change(moved, out))
                if key is not None and (best is None or key < best[0]):
                    best = (key, moved)
                break  # the first way to seat the holders: the others differ little
        return best

    movable = [
        e.id for e in problem.exhibitors if e.id in layout and e.id not in locked and e.zone is None
    ]
    out = dict(layout)
    now = dict(scores)
    for _ in range(GOAL_TRADE_ROUNDS):
        if all(now[name] >= target - 1e-9 for name, target in raise_to.items()):
            break
        offers: list[tuple[tuple[bool, float], int, dict[str, Choice]]] = []
        for members in market.alike.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pair = market.swapped(a, b, out)
                    if pair is not None:
                        moved = {a: pair[0], b: pair[1]}
                        key = rank(change(moved, out))
                        if key is not None:
                            offers.append((key, len(offers), moved))
        for a in movable:
            found = free_place(a, out)
            if found is not None:
                offers.append((found[0], len(offers), {a: (out[a][0], found[1])}))
        for a in sorted(out):
            if a not in locked:
                region = region_swap(a, out)
                if region is not None:
                    offers.append((region[0], len(offers), region[1]))
        offers.sort(key=lambda offer: offer[:2])
        taken: set[str] = set()
        for _, _, moved in offers:
            if all(now[name] >= target - 1e-9 for name, target in raise_to.items()):
                break
            if taken & moved.keys():
                continue
            # Offers were read at the round's start: the cells must still be free, or held by
            # those who move, and every rival still far enough.
            movers = {floor.index[e] for e in moved}
            if any(
                not np.isin(floor.owner[groups[g].cells[k]], [-1, *movers]).all()
                for g, k in moved.values()
            ):
                continue
            delta = change(moved, out)
            if rank(delta) is None or not keeps_floors(delta):
                continue
            if not all(market.apart_ok(e, out, moved) for e in moved):
                continue
            for e_id in moved:
                floor.release(e_id)
            for e_id, (_, k) in moved.items():
                floor.take(Opening(e_id, k, None))
                out[e_id] = moved[e_id]
            taken |= set(moved)
            for name, d in delta.items():
                now[name] += d
        if not taken:
            break
    return out, now


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
    partners = partners_of(problem)
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
