"""Exact mode's search for a layout that places everyone, corner cell by corner cell.

When the requests together fit the free floor's area, the best layout may place them all — for
a perfect packing (no cell to spare) only a layout that fills every cell does. Such a layout is
searched for directly, the way the perfect-packing literature does (the absolute placement of
Huang and Korf; Clautiaux, Carlier and Moukrim): an empty cell whose left and lower neighbours
are taken (or walls) is the lower-left corner of whatever covers it in a layout. The search
picks, among those corner cells, the one with the fewest branches (fail first) and branches on
each distinct remaining request, in each of its shapes, with its corner there — and, while the
spare area allows, the cell left empty.

Three rules prune the search:

- a shape must fit the run of empty cells its corner starts, and the empty rows above it;
- the booths that cover a run of empty cells in a row (or a column) cut it into their widths
  (depths), so the run's length, less the spare cells still allowed, is a sum of remaining
  widths (depths) — a subset-sum test on the rows and columns the last booth touched;
- Korf's wasted-space bound: cut runs and booths into strips one cell thick; a strip fits only
  a run at least as long; the cells no strip can reach stay empty, and may not exceed the spare.

Identical requests are one branch, not one per request, so the search never revisits their
permutations. Backtracking has heavy tails, so the search restarts on the Luby schedule with
its choices jittered; it is deterministic (seeded, ended by a node budget) unless the caller
also gives it a deadline.

Examples
--------
>>> fill_all(3, 2, [0, 0], [[(2, 2)], [(1, 1)], [(1, 1)]], spare=0, max_nodes=100)
[(0, 0, 2, 2), (2, 0, 1, 1), (2, 1, 1, 1)]
>>> fill_all(3, 2, [0, 0], [[(2, 2)], [(2, 1)]], spare=0, max_nodes=100) is None
True
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

# Branches of a try are this many times the Luby sequence's term (1, 1, 2, 1, 1, 2, 4, ...).
# Short tries did best on the benchmark's perfect packings: with 50, perfect-11 (60 x 60, 40
# rectangles) was found in 3 s; with 1,000, not in 60 s. The others found either way.
RESTART_UNIT_NODES = 50
# On a restart, each booth's size counts as up to this share more, at random, in the order tried.
JITTER = 0.5

Shape = tuple[int, int]  # (w, d): modules along x and along y
Spot = tuple[int, int, int, int]  # (x, y, w, d)


def _trailing_ones(bits: int) -> int:
    """Return how many of the lowest bits are set (a column's taken cells from the floor up)."""
    return (~bits & (bits + 1)).bit_length() - 1


def luby(i: int) -> int:
    """Return the i-th term (from 1) of the Luby sequence: 1, 1, 2, 1, 1, 2, 4, 1, 1, 2, ...

    Examples
    --------
    >>> [luby(i) for i in range(1, 16)]
    [1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8]
    """
    k = 1
    while (1 << k) - 1 < i:
        k += 1
    while i != (1 << k) - 1:
        i -= (1 << (k - 1)) - 1
        k = 1
        while (1 << k) - 1 < i:
            k += 1
    return 1 << (k - 1)


def fill_all(
    width: int,
    depth: int,
    taken: Sequence[int],
    items: Sequence[Sequence[Shape]],
    spare: int,
    max_nodes: int,
    deadline: float | None = None,
    seed: int = 0,
) -> list[Spot] | None:
    """Return a spot for every item, no two overlapping and none on a taken cell, or None.

    ``taken`` holds, per row y (0 .. depth-1), a bit mask of the cells already taken (bit x set
    for cell x). ``items`` gives each item's shapes; ``spare`` how many free cells the layout may
    leave empty (the free area less the items' area; negative means no layout exists). None
    when no layout exists or none was found within ``max_nodes`` branches (or by ``deadline``,
    a :func:`time.perf_counter` value).

    Backtracking search has heavy tails: an early wrong choice can hold it for hours below a
    part of the floor that cannot be filled. So the search restarts, each time with the branches
    the Luby sequence gives (the schedule that loses least against an unknown best one) and
    its choices jittered at random (seeded by ``seed``: the same call, the same answer),
    until the layout is found, the search was exhaustive (no layout), or the budget is spent.
    """
    if spare < 0 or len(taken) != depth:
        return None
    full = (1 << width) - 1
    rows = [r & full for r in taken]
    # Identical requests (the same shapes) are one kind, tried once per cell.
    kinds: dict[tuple[Shape, ...], list[int]] = {}
    for n, shapes in enumerate(items):
        fits = tuple(sorted({(w, d) for w, d in shapes if 0 < w <= width and 0 < d <= depth}))
        if not fits:
            return None
        kinds.setdefault(fits, []).append(n)
    # Larger kinds first: they have the fewest places left as the floor fills.
    order = sorted(kinds, key=lambda k: (-max(w * d for w, d in k), k))
    left = [len(kinds[k]) for k in order]
    placed: list[tuple[int, Spot]] = []  # (kind, spot), in the order placed
    spent, attempt = 0, 0
    while spent < max_nodes:
        rng = random.Random(seed * 1_000_003 + attempt) if attempt else None
        nodes = min(RESTART_UNIT_NODES * luby(attempt + 1), max_nodes - spent)
        search = _Search(width, depth, list(rows), order, list(left), nodes, deadline, rng)
        found = search.run(spare, placed)
        if found is not None:
            break
        if search.out_of_time:
            return None
        spent += nodes
        attempt += 1
        placed.clear()
    else:
        return None
    if not found:
        return None  # the whole tree was searched: no layout places everyone
    # Hand the spots of each kind to its items in order.
    spots: list[Spot | None] = [None] * len(items)
    next_of = {k: 0 for k in range(len(order))}
    for kind, spot in placed:
        members = kinds[order[kind]]
        spots[members[next_of[kind]]] = spot
        next_of[kind] += 1
    return [s for s in spots if s is not None]


class _Search:
    """The depth-first search of :func:`fill_all`, with an explicit stack (no recursion limit)."""

    def __init__(
        self,
        width: int,
        depth: int,
        rows: list[int],
        order: list[tuple[Shape, ...]],
        left: list[int],
        max_nodes: int,
        deadline: float | None,
        rng: random.Random | None,
    ) -> None:
        self.width, self.depth, self.rows = width, depth, rows
        self.order, self.left = order, left
        # Per kind, its lengths along x and along y (any of its shapes).
        self.lengths = (
            [sorted({w for w, _ in k}) for k in order],
            [sorted({d for _, d in k}) for k in order],
        )
        self.area = [min(w * d for w, d in k) for k in order]
        self.cols = [sum(1 << y for y in range(depth) if rows[y] >> x & 1) for x in range(width)]
        self.nodes_left = max_nodes
        self.deadline = deadline
        self.out_of_time = False
        self.rng = rng

    def _reach(self, side: int) -> int:
        """Return the sums of remaining booths' lengths along x (side 0) or y (side 1) as bits:
        bit s set when some of them, each at most once, sum to s."""
        reach, cap = 1, (1 << (max(self.width, self.depth) + 1)) - 1
        for kind, count in enumerate(self.left):
            lengths = self.lengths[side][kind]
            for _ in range(count):
                grown = reach
                for n in lengths:
                    grown |= reach << n
                reach = grown & cap
        return reach

    @staticmethod
    def _runs_fit(taken: int, length: int, reach: int, spare: int) -> bool:
        """Return True when every run of empty cells in a line is a sum of booth lengths, up to
        ``spare`` cells left empty (``taken``: the line's taken cells as bits)."""
        window = (1 << (spare + 1)) - 1
        empty = ~taken & ((1 << length) - 1)
        wall = taken | (1 << length)
        while empty:
            start = (empty & -empty).bit_length() - 1
            rest = wall >> start
            run = (rest & -rest).bit_length() - 1
            if not (reach >> max(0, run - spare)) & window:
                return False
            empty &= ~(((1 << run) - 1) << start)
        return True

    def _waste(self, side: int) -> int:
        """Return a lower bound on the empty cells no layout can fill, along x (side 0, rows)
        or along y (side 1, columns): Korf's wasted-space bound. Cut each line's runs of empty
        cells and each booth into strips one cell thick; a strip fits only a run at least as long
        as it. Short runs are served first, each from the strips short enough for it."""
        lines, length = (self.rows, self.width) if side == 0 else (self.cols, self.depth)
        cells = [0] * (length + 1)  # empty cells in runs of each length
        for taken in lines:
            empty = ~taken & ((1 << length) - 1)
            wall = taken | (1 << length)
            while empty:
                start = (empty & -empty).bit_length() - 1
                rest = wall >> start
                run = (rest & -rest).bit_length() - 1
                cells[run] += run
                empty &= ~(((1 << run) - 1) << start)
        area = [0] * (length + 1)  # booth area by its shortest length on this side
        for kind, count in enumerate(self.left):
            if count:
                area[self.lengths[side][kind][0]] += count * self.area[kind]
        waste = pool = 0
        for n in range(1, length + 1):
            pool += area[n]
            used = min(pool, cells[n])
            waste += cells[n] - used
            pool -= used
        return waste

    def _fillable(self, rows: range, cols: range, spare: int) -> bool:
        """Return False when a run of empty cells in one of ``rows`` or ``cols`` cannot be
        covered by the booths left: the booths covering a run of a line cut it into their
        lengths along that line, so its length is a sum of them (less any cells left empty)."""
        along = self._reach(0)
        if not all(self._runs_fit(self.rows[y], self.width, along, spare) for y in rows):
            return False
        deep = self._reach(1)
        if not all(self._runs_fit(self.cols[x], self.depth, deep, spare) for x in cols):
            return False
        return self._waste(0) <= spare and self._waste(1) <= spare

    def _corners(self) -> list[tuple[int, int]]:
        """Return the empty cells whose left and lower neighbours are taken (or walls).

        Whatever covers such a cell in a layout has it as its lower-left corner: it cannot
        reach left or down past a taken cell.
        """
        rows, full, out = self.rows, (1 << self.width) - 1, []
        below = full
        for y in range(self.depth):
            r = rows[y]
            corners = ~r & full & ((r << 1) | 1) & below
            while corners:
                low = corners & -corners
                out.append((low.bit_length() - 1, y))
                corners ^= low
            below = r
        return out

    def _moves(self, x: int, y: int, spare: int) -> list[tuple[int, int, int]]:
        """Return the branches at the corner cell (x, y): (kind, w, d), and (-1, 1, 1) for
        leaving the cell empty."""
        rows, r = self.rows, self.rows[y]
        ahead = (r >> x) | (1 << (self.width - x))  # the wall counts as taken
        run = (ahead & -ahead).bit_length() - 1  # empty cells from x on
        out = []
        for kind, shapes in enumerate(self.order):
            if not self.left[kind]:
                continue
            for w, d in shapes:
                if w > run or y + d > self.depth:
                    continue
                mask = ((1 << w) - 1) << x
                if all(not rows[y + k] & mask for k in range(1, d)):
                    out.append((kind, w, d))
        # A booth exactly as wide as the run first: it closes the run with no sliver left; then
        # one whose top meets a neighbour's (no new step in the skyline); then larger first, on
        # a restart each size jittered at random.
        left_top = _trailing_ones(self.cols[x - 1]) if x > 0 else -1
        right_top = _trailing_ones(self.cols[x + run]) if x + run < self.width else -1
        noise = self.rng.random if self.rng is not None else (lambda: 0.0)
        out.sort(
            key=lambda m: (
                m[1] != run,
                y + m[2] not in (left_top, right_top if m[1] == run else -1),
                -m[1] * m[2] * (1.0 + JITTER * noise()),
            )
        )
        if spare > 0:
            out.append((-1, 1, 1))
        return out

    def _branch(self, spare: int) -> tuple[int, int, list[tuple[int, int, int]]] | None:
        """Return the corner with the fewest branches (fail first) and its branches; None when
        no cell is empty."""
        best: tuple[int, int, list[tuple[int, int, int]]] | None = None
        for x, y in self._corners():
            moves = self._moves(x, y, spare)
            if best is None or len(moves) < len(best[2]):
                best = (x, y, moves)
                if len(moves) <= 1:
                    break
        return best

    def _set(self, x: int, y: int, w: int, d: int) -> None:
        """Take the cells of a w x d booth at (x, y), or free them again."""
        mask = ((1 << w) - 1) << x
        for k in range(y, y + d):
            self.rows[k] ^= mask
        mask = ((1 << d) - 1) << y
        for k in range(x, x + w):
            self.cols[k] ^= mask

    def _late(self) -> bool:
        """Return True (and note it) when the deadline has passed."""
        self.out_of_time = self.deadline is not None and time.perf_counter() > self.deadline
        return self.out_of_time

    def run(self, spare: int, placed: list[tuple[int, Spot]]) -> bool | None:
        """Search: True when found (``placed`` then holds the layout), False when the whole
        tree was searched in vain, None when the branches (or the time) ran out first."""
        stack: list[tuple[int, int, int, list[tuple[int, int, int]], int]] = []
        if not self._fillable(range(self.depth), range(self.width), spare):
            return False
        first = self._branch(spare)
        if first is None:
            return not any(self.left)
        stack.append((*first[:2], spare, first[2], 0))
        while stack:
            x, y, sp, moves, at = stack[-1]
            if at > 0:  # undo the branch tried last
                kind, w, d = moves[at - 1]
                self._set(x, y, w, d)
                if kind >= 0:
                    self.left[kind] += 1
                    placed.pop()
            if at == len(moves):
                stack.pop()
                continue
            self.nodes_left -= 1
            if self.nodes_left < 0:
                return None
            if self.deadline is not None and self.nodes_left % 1024 == 0 and self._late():
                return None
            stack[-1] = (x, y, sp, moves, at + 1)
            kind, w, d = moves[at]
            self._set(x, y, w, d)
            if kind >= 0:
                self.left[kind] -= 1
                placed.append((kind, (x, y, w, d)))
                after = sp
            else:
                after = sp - 1
            if not any(self.left):
                return True
            if not self._fillable(range(y, y + d), range(x, x + w), after):
                continue
            nxt = self._branch(after)
            if nxt is None:
                continue
            stack.append((*nxt[:2], after, nxt[2], 0))
        return False
