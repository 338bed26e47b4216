"""The zone rules as booths come and go: whole blocks, one zone each, connected, unbroken rows.

A zone keeps the blocks where its members stand; such a block holds nobody else, a contiguous
zone's blocks form one connected piece (blocks touching, or facing each other across one aisle),
and in each of its blocks its booths fill one unbroken stretch of columns. The CP-SAT model
states the same rules as constraints (:class:`~boothopt.solver.model.AllocationModel`); this
class checks them for the layouts built one booth at a time: the baselines and the repair of the
priority order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.candidates import Group
from boothopt.solver.problem import Problem, across_one_aisle_m
from boothopt.solver.result import rect_distance

OPEN = ""  # the "zone" of exhibitors outside every zone


class ZoneFloor:
    """Which zone holds each block, and where a booth may go without breaking a zone rule."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.held: dict[int, Counter[str]] = defaultdict(Counter)  # block -> zone -> booths
        self.kept: dict[str, set[int]] = defaultdict(set)  # zone -> its blocks
        self.columns: dict[int, Counter[int]] = defaultdict(Counter)  # block -> column -> cells
        self.contiguous = {z.id for z in problem.event.zones if z.contiguous}
        self.column_of = problem.cell_column
        self._spans: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.booths: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
        self.gap = across_one_aisle_m(problem.event.scheme)

    def zone(self, e: Exhibitor) -> str:
        """Return the zone whose area rules apply to ``e``, or OPEN."""
        return e.zone if e.zone is not None and e.zone in self.problem.zone_reach else OPEN

    def add(
        self, e: Exhibitor, block: int, cells: Sequence[int] | np.ndarray, box: Sequence[float]
    ) -> None:
        """Note a booth of ``e`` at ``box``, on ``cells`` of ``block``."""
        zone = self.zone(e)
        self.held[block][zone] += 1
        if zone != OPEN:
            self.booths[zone].append(_box(box))
        self.columns[block].update(int(c) for c in self.column_of[np.asarray(cells, dtype=int)])
        if zone != OPEN:
            self.kept[zone].add(block)

    def remove(
        self, e: Exhibitor, block: int, cells: Sequence[int] | np.ndarray, box: Sequence[float]
    ) -> None:
        """Note that the booth of ``e`` at ``box``, on ``cells`` of ``block``, is gone."""
        zone = self.zone(e)
        self.held[block][zone] -= 1
        if zone != OPEN:
            self.booths[zone].remove(_box(box))
        self.columns[block].subtract(int(c) for c in self.column_of[np.asarray(cells, dtype=int)])
        self.columns[block] = +self.columns[block]
        if self.held[block][zone] == 0:
            del self.held[block][zone]
            self.kept[zone].discard(block)

    def spans(self, g: Group) -> tuple[np.ndarray, np.ndarray]:
        """Return the first and last column each candidate of ``g`` covers (kept strips too)."""
        if g.index not in self._spans:
            lo = np.array([self.column_of[c].min() for c in g.cells], dtype=int)
            hi = np.array([self.column_of[c].max() for c in g.cells], dtype=int)
            self._spans[g.index] = (lo, hi)
        return self._spans[g.index]

    def allowed(
        self,
        e: Exhibitor,
        g: Group,
        ks: np.ndarray,
        without: tuple[Exhibitor, int, np.ndarray, Sequence[float]] | None = None,
    ) -> np.ndarray:
        """Return which candidates ``ks`` of ``g`` may take a booth of ``e``, once ``without``
        (an exhibitor, its block, cells and box) is gone."""
        ks = np.asarray(ks, dtype=int)
        if without is not None:
            self.remove(*without)
        try:
            if without is not None and not self.connected(self.zone(without[0])):
                return np.zeros(len(ks), dtype=bool)
            blocks = g.slot[ks]
            ok = {int(b): self._may_take(e, int(b)) for b in np.unique(blocks)}
            out = np.array([ok[int(b)] for b in blocks], dtype=bool)
            zone = self.zone(e)
            if zone != OPEN and out.any() and not self.problem.gaps_allowed:
                lo, hi = self.spans(g)
                out[out] = [
                    self._unbroken(int(b), int(a), int(z))
                    for b, a, z in zip(blocks[out], lo[ks[out]], hi[ks[out]], strict=True)
                ]
            if zone in self.contiguous and self.booths[zone] and out.any():
                # Next to the zone's booths: touching one, or facing it across one aisle.
                near = rect_distance(g.boxes[ks[out]], np.array(self.booths[zone])) <= self.gap
                out[out] = near.any(axis=1)
            return out
        finally:
            if without is not None:
                self.add(*without)

    def _may_take(self, e: Exhibitor, block: int) -> bool:
        zone = self.zone(e)
        if any(z != zone for z in self.held[block]):
            return False
        if zone == OPEN or zone not in self.contiguous or not self.kept[zone]:
            return True
        kept = self.kept[zone]
        return block in kept or bool(self.problem.neighbours[block] & kept)

    def _unbroken(self, block: int, lo: int, hi: int) -> bool:
        """Return True when columns lo..hi join the block's used columns into one stretch."""
        used = self.columns[block]
        if not used:
            return True
        first, last = min(used), max(used)
        if hi < first - 1 or lo > last + 1:
            return False
        start, end = min(first, lo), max(last, hi)
        return all(used[i] > 0 or lo <= i <= hi for i in range(start, end + 1))

    def connected(self, zone: str) -> bool:
        """Return whether ``zone``'s booths keep its rules as they stand (one group, no gaps)."""
        if zone == OPEN:
            return True
        if zone in self.contiguous and not booths_connected(self.booths[zone], self.gap):
            return False
        if self.problem.gaps_allowed:
            return True  # a re-plan leaves a cancellation's gap open
        return all(self._unbroken_now(b) for b in self.kept[zone])

    def _unbroken_now(self, block: int) -> bool:
        used = [i for i, n in self.columns[block].items() if n > 0]
        return not used or max(used) - min(used) + 1 == len(used)


def _box(box: Sequence[float]) -> tuple[float, float, float, float]:
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))


def booths_connected(boxes: list[tuple[float, float, float, float]], gap: float) -> bool:
    """Return True when the booths form one group: each touching or facing another (``gap``)."""
    return len(booth_groups(boxes, gap)) <= 1


def booth_groups(boxes: list[tuple[float, float, float, float]], gap: float) -> list[list[int]]:
    """Return the groups of booths (indices) linked by touching or facing across ``gap``."""
    if not boxes:
        return []
    near = rect_distance(np.array(boxes), np.array(boxes)) <= gap
    seen: set[int] = set()
    out = []
    for start in range(len(boxes)):
        if start in seen:
            continue
        group, todo = [start], [start]
        seen.add(start)
        while todo:
            k = todo.pop()
            for j in np.nonzero(near[k])[0]:
                if int(j) not in seen:
                    seen.add(int(j))
                    group.append(int(j))
                    todo.append(int(j))
        out.append(sorted(group))
    return out


def strays(problem: Problem, booths: dict[str, tuple[float, float, float, float]]) -> list[str]:
    """Return the zone members standing apart from their zone's main group of booths.

    ``booths`` gives each placed exhibitor's box. The main group is the one of most priority.
    """
    gap = across_one_aisle_m(problem.event.scheme)
    contiguous = {z.id for z in problem.event.zones if z.contiguous}
    out: list[str] = []
    for zone in sorted(contiguous & set(problem.zone_reach)):
        ids = sorted(e.id for e in problem.exhibitors if e.zone == zone and e.id in booths)
        groups = booth_groups([booths[i] for i in ids], gap)
        if len(groups) < 2:
            continue
        main = max(groups, key=lambda grp: (sum(problem.priority[ids[i]] for i in grp), -grp[0]))
        out += [
            ids[i] for grp in groups if grp is not main for i in grp if ids[i] not in problem.pins
        ]
    return out
