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
from boothopt.solver.problem import Problem

OPEN = ""  # the "zone" of exhibitors outside every zone


class ZoneFloor:
    """Which zone holds each block, and where a booth may go without breaking a zone rule."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.held: dict[int, Counter[str]] = defaultdict(Counter)  # block -> zone -> booths
        self.kept: dict[str, set[int]] = defaultdict(set)  # zone -> its blocks
        self.columns: dict[int, Counter[int]] = defaultdict(Counter)  # block -> column -> cells
        self.contiguous = {z.id for z in problem.event.zones if z.contiguous}
        n_cells = sum(g.n_cells for g in problem.grids.values())
        self.column_of = np.full(n_cells, -1)
        for slot in problem.slots:
            for i in range(slot.n_along):
                ids = slot.cell_ids[i]
                self.column_of[ids[ids >= 0]] = i
        self._spans: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def zone(self, e: Exhibitor) -> str:
        """Return the zone whose area rules apply to ``e``, or OPEN."""
        return e.zone if e.zone is not None and e.zone in self.problem.zone_reach else OPEN

    def add(self, e: Exhibitor, block: int, cells: Sequence[int] | np.ndarray) -> None:
        """Note a booth of ``e`` on ``cells`` of ``block``."""
        zone = self.zone(e)
        self.held[block][zone] += 1
        self.columns[block].update(int(c) for c in self.column_of[np.asarray(cells, dtype=int)])
        if zone != OPEN:
            self.kept[zone].add(block)

    def remove(self, e: Exhibitor, block: int, cells: Sequence[int] | np.ndarray) -> None:
        """Note that the booth of ``e`` on ``cells`` of ``block`` is gone."""
        zone = self.zone(e)
        self.held[block][zone] -= 1
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
        without: tuple[Exhibitor, int, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Return which candidates ``ks`` of ``g`` may take a booth of ``e``, once ``without``
        (an exhibitor, its block and cells) is gone."""
        ks = np.asarray(ks, dtype=int)
        if without is not None:
            self.remove(*without)
        try:
            if without is not None and not self._still_connected(self.zone(without[0])):
                return np.zeros(len(ks), dtype=bool)
            blocks = g.slot[ks]
            ok = {int(b): self._may_take(e, int(b)) for b in np.unique(blocks)}
            out = np.array([ok[int(b)] for b in blocks], dtype=bool)
            if self.zone(e) != OPEN and out.any():
                lo, hi = self.spans(g)
                out[out] = [
                    self._unbroken(int(b), int(a), int(z))
                    for b, a, z in zip(blocks[out], lo[ks[out]], hi[ks[out]], strict=True)
                ]
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

    def _still_connected(self, zone: str) -> bool:
        if zone == OPEN:
            return True
        if zone in self.contiguous and not is_connected(self.problem, self.kept[zone]):
            return False
        return all(self._unbroken_now(b) for b in self.kept[zone])

    def _unbroken_now(self, block: int) -> bool:
        used = [i for i, n in self.columns[block].items() if n > 0]
        return not used or max(used) - min(used) + 1 == len(used)


def is_connected(problem: Problem, blocks: set[int]) -> bool:
    """Return True when ``blocks`` form one piece over the blocks' neighbour relation."""
    if not blocks:
        return True
    start = min(blocks)
    seen, todo = {start}, [start]
    while todo:
        k = todo.pop()
        for j in problem.neighbours[k] & blocks:
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return seen == blocks
