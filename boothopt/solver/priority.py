"""Priority kept: nobody left out for someone of lower priority, or while a fitting space is free.

Two rules a floor manager is held to after any allocation, by hand or by the optimizer:

- an exhibitor left out has no booth rectangle (of its size, type, zone, hall and needs, keeping
  its competitors' distances and the zone rules: whole blocks, connected) whose cells are all
  free: a *fillable free space*;
- nor one whose cells are free or held by a single exhibitor of lower priority (tier, then
  priority points, then application date): a *priority inversion*, since the two could trade;
- nor one whose cells are held by several exhibitors, all of a lower tier: one sponsor is worth
  more than every lower-tier booth its space can hold, so they make room together.

:func:`priority_breaches` lists every breach of a layout in words; :func:`restore_priority`
removes them all, placing the left-out exhibitor (in the lower ones' place when it must). Each
repair raises the placed priority strictly (a new exhibitor, or a better one for worse ones),
so the repair ends, and the objective, where placement outweighs every soft goal, only rises.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.candidates import Group
from boothopt.solver.greedy import Choice, competitor_distances
from boothopt.solver.problem import Problem
from boothopt.solver.result import candidate_worth, too_close
from boothopt.solver.zone_rules import ZoneFloor


@dataclass(frozen=True)
class Opening:
    """A place an exhibitor left out could take: free, or the booth of a lower one (or the
    booths of several of a lower tier)."""

    exhibitor_id: str
    candidate: int
    displaced: str | None  # the lower-priority exhibitor holding (part of) it, None when free
    also: tuple[str, ...] = ()  # the others of a lower tier holding part of it

    @property
    def holders(self) -> tuple[str, ...]:
        """Return everyone who makes room for it."""
        return () if self.displaced is None else (self.displaced, *self.also)


# How many places held by several exhibitors of a lower tier are checked for one left out
# (fewest holders first); each check takes the holders off the floor and tries the rules.
CROWDED_TRIES = 200


class _Floor:
    """Who holds each cell of the floor, and where each placed exhibitor stands."""

    def __init__(self, problem: Problem, groups: list[Group], chosen: dict[str, Choice]) -> None:
        self.problem = problem
        self.groups = groups
        self.index = {e.id: n for n, e in enumerate(problem.exhibitors)}
        self.group_of = {e.id: groups[g.index] for g in groups for e in g.members}
        n_cells = sum(grid.n_cells for grid in problem.grids.values())
        self.owner = np.full(n_cells + 1, -1)  # the last entry pads the cell matrices: free
        self.chosen = dict(chosen)
        self.apart = competitor_distances(problem)
        self.tier = np.array([problem.event.tier_rank(e.tier) for e in problem.exhibitors])
        self.locked = np.array([e.id in problem.locked for e in problem.exhibitors], dtype=bool)
        self._matrices: dict[int, np.ndarray] = {}
        self.zones = ZoneFloor(problem)
        for e_id, (g, k) in chosen.items():
            self.owner[groups[g].cells[k]] = self.index[e_id]
            self.zones.add(
                problem.exhibitors[self.index[e_id]],
                int(groups[g].slot[k]),
                groups[g].cells[k],
                groups[g].boxes[k],
            )

    def cells(self, g: Group) -> np.ndarray:
        """Return the group's candidate cells as one (candidates, cells) matrix, padded."""
        if g.index not in self._matrices:
            self._matrices[g.index] = g.padded_cells(len(self.owner) - 1)
        return self._matrices[g.index]

    def openings(
        self, e_id: str, halls: frozenset[str] | None = None, free_only: bool = False
    ) -> list[Opening]:
        """Return every place exhibitor ``e_id`` (left out) could take, best first.

        Free places come first, then the booths of the lowest-priority holders; among equals,
        the place worth most to the objective. ``halls`` keeps the places in those halls only,
        ``free_only`` the free ones (both decided before the costlier rules are checked).
        """
        problem, g = self.problem, self.group_of[e_id]
        if g.size == 0:
            return []
        occ = self.owner[self.cells(g)]
        held = np.where(occ >= 0, occ, -1).max(axis=1)
        lowest = np.where(occ >= 0, occ, len(self.owner)).min(axis=1)
        free = held < 0
        rank = problem.draw_rank
        mine = rank[e_id]
        ids = [e.id for e in problem.exhibitors]
        one_holder = (held >= 0) & (held == lowest)
        lower = np.zeros(g.size, dtype=bool)
        locked = self.problem.locked
        lower[one_holder] = [rank[ids[h]] > mine and ids[h] not in locked for h in held[one_holder]]
        ok = free.copy() if free_only else free | lower
        if halls is not None:
            there = [int(k) for k in np.unique(g.slot) if problem.slots[int(k)].hall in halls]
            ok &= np.isin(g.slot, there)
        if not ok.any():
            return []
        ks = np.nonzero(ok)[0]
        # Competitors' distances to everyone standing, but for the one who would make room.
        apart = np.ones(len(ks), dtype=bool)
        for other, close in self._too_close_to_rivals(e_id, g, ks):
            apart &= ~close | (held[ks] == self.index[other])
        ks = ks[apart]
        # The zone rules: whole blocks, one zone each, connected, once the displaced is gone.
        keep = np.zeros(len(ks), dtype=bool)
        for h in np.unique(held[ks]):
            at = held[ks] == h
            without = None
            if h >= 0:
                dg, dk = self.chosen[ids[int(h)]]
                dgroup = self.groups[dg]
                without = (
                    problem.exhibitors[int(h)],
                    int(dgroup.slot[dk]),
                    dgroup.cells[dk],
                    dgroup.boxes[dk],
                )
            keep[at] = self.zones.allowed(self._exhibitor(e_id), g, ks[at], without)
        ks = ks[keep]
        worth = candidate_worth(problem, g)
        out = [Opening(e_id, int(k), None if free[k] else ids[int(held[k])]) for k in ks]
        out.sort(
            key=lambda o: (
                o.displaced is not None,
                0 if o.displaced is None else -rank[o.displaced],
                -worth[o.candidate],
                o.candidate,
            )
        )
        return out

    def crowded(self, e_id: str) -> Opening | None:
        """Return a place exhibitor ``e_id`` (left out) could take whose cells are held by
        several exhibitors, every one of a lower tier and none locked; None when there is none.

        One exhibitor of a higher tier is worth more than all those of lower tiers its space
        can hold (see the tiers' values in :mod:`.problem`; checked for each place), so the
        move raises the placed priority. The places with the fewest holders, then the least
        priority held, then worth most, are tried first; each with every rule checked once the
        holders are gone and the exhibitor stands there (a zone's row closed up again by it
        counts as closed).
        """
        problem, g = self.problem, self.group_of[e_id]
        mine = self.tier[self.index[e_id]]
        if g.size == 0 or mine >= self.tier.max():
            return None  # nobody stands below the lowest tier
        occ = self.owner[self.cells(g)]
        taken = occ >= 0
        tiers = np.where(taken, self.tier[np.maximum(occ, 0)], len(problem.event.tiers))
        locked = (taken & self.locked[np.maximum(occ, 0)]).any(axis=1)
        held = np.where(taken, occ, -1).max(axis=1)
        lowest = np.where(taken, occ, len(self.owner)).min(axis=1)
        several = taken.any(axis=1) & (held != lowest)
        ks = np.nonzero(several & (tiers > mine).all(axis=1) & ~locked)[0]
        if not ks.size:
            return None
        ids = [e.id for e in problem.exhibitors]
        worth = candidate_worth(problem, g)
        holders = {int(k): sorted({int(h) for h in occ[k][taken[k]]}) for k in ks}
        value = problem.priority
        order = sorted(
            holders,
            key=lambda k: (
                len(holders[k]),
                sum(value[ids[h]] for h in holders[k]),
                -worth[k],
                k,
            ),
        )
        e = self._exhibitor(e_id)
        for k in order[:CROWDED_TRIES]:
            out = [ids[h] for h in holders[k]]
            # Checked, not assumed: a place's cells include the strips an island keeps free,
            # so it may hold more booths than the tiers' values were set for.
            if sum(value[o] for o in out) >= value[e_id]:
                continue
            rivals = self._too_close_to_rivals(e_id, g, np.array([k]))
            if any(close[0] and other not in out for other, close in rivals):
                continue
            gone = [self._standing(o) for o in out]
            for item in gone:
                self.zones.remove(*item)
            try:
                ok = bool(self.zones.allowed(e, g, np.array([k]))[0])
                if ok:
                    here = (e, int(g.slot[k]), g.cells[k], g.boxes[k])
                    self.zones.add(*here)
                    zones = {self.zones.zone(item[0]) for item in gone}
                    ok = all(self.zones.connected(z) for z in sorted(zones))
                    self.zones.remove(*here)
            finally:
                for item in reversed(gone):
                    self.zones.add(*item)
            if ok:
                return Opening(e_id, k, out[0], tuple(out[1:]))
        return None

    def _too_close_to_rivals(
        self, e_id: str, g: Group, ks: np.ndarray
    ) -> Iterator[tuple[str, np.ndarray]]:
        """Yield each competitor of ``e_id`` standing now, with which candidates ``ks`` of
        ``g`` stand nearer to its booth than the distance they must keep."""
        for other, metres in self.apart[e_id].items():
            if other not in self.chosen or not ks.size:
                continue
            og, ok_ = self.chosen[other]
            rival = self.groups[og]
            yield (
                other,
                too_close(
                    self.problem,
                    g.slot[ks],
                    g.boxes[ks],
                    rival.slot[ok_ : ok_ + 1],
                    rival.boxes[ok_ : ok_ + 1],
                    metres,
                )[:, 0],
            )

    def _standing(self, e_id: str) -> tuple[Exhibitor, int, np.ndarray, Sequence[float]]:
        """Return a placed exhibitor with its block, cells and box (as the zone rules take it)."""
        dg, dk = self.chosen[e_id]
        group = self.groups[dg]
        return self._exhibitor(e_id), int(group.slot[dk]), group.cells[dk], group.boxes[dk]

    def best_opening(self, e_id: str) -> Opening | None:
        """Return the place exhibitor ``e_id`` (left out) should take: the first of
        :meth:`openings`, else a :meth:`crowded` one; None when there is none."""
        openings = self.openings(e_id)
        return openings[0] if openings else self.crowded(e_id)

    def _exhibitor(self, e_id: str) -> Exhibitor:
        return self.problem.exhibitors[self.index[e_id]]

    def release(self, e_id: str) -> Choice:
        """Take exhibitor ``e_id`` off the floor; return where it stood."""
        dg, dk = self.chosen.pop(e_id)
        self.owner[self.groups[dg].cells[dk]] = -1
        self.zones.remove(
            self._exhibitor(e_id),
            int(self.groups[dg].slot[dk]),
            self.groups[dg].cells[dk],
            self.groups[dg].boxes[dk],
        )
        return dg, dk

    def take(self, opening: Opening) -> None:
        """Give ``opening`` to its exhibitor, removing whoever held it."""
        for holder in opening.holders:
            self.release(holder)
        g = self.group_of[opening.exhibitor_id]
        self.owner[g.cells[opening.candidate]] = self.index[opening.exhibitor_id]
        self.chosen[opening.exhibitor_id] = (g.index, opening.candidate)
        self.zones.add(
            self._exhibitor(opening.exhibitor_id),
            int(g.slot[opening.candidate]),
            g.cells[opening.candidate],
            g.boxes[opening.candidate],
        )


def restore_priority(
    problem: Problem, groups: list[Group], chosen: dict[str, Choice]
) -> tuple[dict[str, Choice], int]:
    """Remove every priority inversion and fillable free space; return the layout and the moves.

    The best exhibitor left out goes first: into the best free place it fits, or else into the
    booth of the lowest-priority exhibitor whose place it could take, who then waits in turn.
    Passes repeat until one moves nobody.
    """
    floor = _Floor(problem, groups, chosen)
    moves = 0
    # A move may free cells (the one who made room had the larger booth) or lift a zone rule
    # for someone already passed over: the waiting are gone through again until nobody moves.
    # Every move raises the placed priority, so this ends.
    while True:
        waiting = [floor.index[e.id] for e in problem.exhibitors if e.id not in floor.chosen]
        heapq.heapify(waiting)
        moved = moves
        while waiting:
            e_id = problem.exhibitors[heapq.heappop(waiting)].id
            best = floor.best_opening(e_id)
            if best is None:
                continue
            floor.take(best)
            moves += 1
            for holder in best.holders:
                heapq.heappush(waiting, floor.index[holder])
        if moves == moved:
            return floor.chosen, moves


def priority_breaches(
    problem: Problem, groups: list[Group], chosen: dict[str, Choice], booth_no: dict[str, str]
) -> list[str]:
    """Return, in words, each exhibitor left out while a space it fits is free or held by a lower.

    ``booth_no`` gives the booth number of each placed exhibitor, for the message.
    """
    floor = _Floor(problem, groups, chosen)
    out = []
    for e in problem.exhibitors:
        if e.id in chosen:
            continue
        o = floor.best_opening(e.id)
        if o is None:
            continue
        g = floor.group_of[e.id]
        slot = problem.slots[int(g.slot[o.candidate])]
        size = f"{int(g.w[o.candidate])}x{int(g.d[o.candidate])}"
        if o.displaced is None:
            out.append(
                f"{e.id} is left out while a free {size} space in hall {slot.hall} keeps every rule"
            )
        elif o.also:
            held = ", ".join(booth_no.get(h, "?") for h in o.holders)
            out.append(
                f"{e.id} is left out while {', '.join(o.holders)}, all of a lower tier, hold "
                f"booths {held} where {e.id} fits"
            )
        else:
            out.append(
                f"{e.id} is left out while {o.displaced}, of lower priority, holds booth "
                f"{booth_no.get(o.displaced, '?')} where {e.id} fits"
            )
    return out
