"""The zone rules as booths come and go: whole blocks, one zone each, connected.

A zone keeps the blocks where its members stand; such a block holds nobody else, and a
contiguous zone's blocks form one connected piece (blocks touching, or facing each other across
one aisle). The CP-SAT model states the same rules as constraints
(:class:`~boothopt.solver.model.AllocationModel`); this class checks them for the layouts built
one booth at a time: the baselines and the repair of the priority order.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from boothopt.inputs.domain import Exhibitor
from boothopt.solver.problem import Problem

OPEN = ""  # the "zone" of exhibitors outside every zone


class ZoneFloor:
    """Which zone holds each block, and where a booth may go without breaking a zone rule."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.held: dict[int, Counter[str]] = defaultdict(Counter)  # block -> zone -> booths
        self.kept: dict[str, set[int]] = defaultdict(set)  # zone -> its blocks
        self.contiguous = {z.id for z in problem.event.zones if z.contiguous}

    def zone(self, e: Exhibitor) -> str:
        """Return the zone whose area rules apply to ``e``, or OPEN."""
        return e.zone if e.zone is not None and e.zone in self.problem.zone_reach else OPEN

    def add(self, e: Exhibitor, block: int) -> None:
        """Note a booth of ``e`` in ``block``."""
        zone = self.zone(e)
        self.held[block][zone] += 1
        if zone != OPEN:
            self.kept[zone].add(block)

    def remove(self, e: Exhibitor, block: int) -> None:
        """Note that the booth of ``e`` in ``block`` is gone."""
        zone = self.zone(e)
        self.held[block][zone] -= 1
        if self.held[block][zone] == 0:
            del self.held[block][zone]
            self.kept[zone].discard(block)

    def allowed(
        self, e: Exhibitor, blocks: np.ndarray, without: tuple[Exhibitor, int] | None = None
    ) -> np.ndarray:
        """Return which of ``blocks`` may take a booth of ``e``, once ``without`` is gone."""
        if without is not None:
            self.remove(*without)
        try:
            if without is not None and not self._still_connected(self.zone(without[0])):
                return np.zeros(len(blocks), dtype=bool)
            unique = np.unique(blocks)
            ok = {int(b): self._may_take(e, int(b)) for b in unique}
            return np.array([ok[int(b)] for b in blocks], dtype=bool)
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

    def _still_connected(self, zone: str) -> bool:
        if zone == OPEN or zone not in self.contiguous:
            return True
        return is_connected(self.problem, self.kept[zone])


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
