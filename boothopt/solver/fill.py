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

On floors up to 63 modules a side (a row fits a 64-bit word) the search runs compiled
(:mod:`.fill_kernel`, numba: about a million branches a second against 10-20 thousand here),
one stream of restarts per worker, each jittered its own way; it also fills corner cells of
all four kinds (an empty cell whose right and lower neighbours are taken holds a booth's
lower-right corner, and so on), which found the benchmark's last perfect packings. What it
finds depends on luck more than on speed: on the benchmark's 50 x 50 floor of 45 rectangles
one stream found the packing in its 2,825th try and another not in 10 seconds, so streams side
by side are worth more than one stream twice as long. The compiled search remembers failed
nodes (a transposition table), so a part of the floor proved unfillable with the booths left
is not searched again, in the same try or a later one.

The second stream searches the floor turned a quarter (its rows are the floor's columns), and
from a lower-left corner it tries last a booth wider than the taken ledge under it, which
would leave a hole below. The search goes row by row, so the two streams fill the floor in
different orders; some floors, the literature's perfect packings of Hopper and Turton among
them, are filled far sooner the second way.

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
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Branches of a try are this many times the Luby sequence's term (1, 1, 2, 1, 1, 2, 4, ...):
# RESTART_UNIT_NODES in the Python search, RESTART_UNITS[k] in the compiled search's stream k
# (in turn). Short tries did best without the table of failed nodes (with 50, perfect-11 was
# found in 3 s, with 1,000 not in 60 s); with it, longer ones do: on perfect-09, -10, -12 and
# two other cut floors of 60 x 60 (10 s, 2 streams, seeds 0-2) 50 found 6 of 15, 200 9,
# 500 10, 1,000 5, and 200 and 500 side by side 10 (perfect-09 each time in under 4 s).
RESTART_UNIT_NODES = 50
RESTART_UNITS = (200, 500)
# On a restart, each booth's size counts as up to this share more, at random, in the order tried
# (the Python search's). The compiled search's tries take JITTERS in turn, stream k from the
# k-th: on the benchmark's three hardest perfect packings (perfect-09, -10, -12; 15 s, 2
# streams, seeds 0-2) 1 and 5 found 6 of 9, the four of 0.5, 1, 2 and 5 found 4, and 0.5
# and 5 found 2.
JITTER = 0.5
JITTERS = np.array([1.0, 5.0])
# Stream k searches the floor turned a quarter when TURNED[k % 2], and weighs a booth that
# would overhang a hole by OVERHANG[k % 2] (fill_kernel._corner_moves: 4 puts it last). On
# Hopper and Turton's three 60 x 60 perfect packings (C4, 49 rectangles; 10 s, seeds 0-3) the
# second stream so made found 12 of 12, where two streams on the floor as it is found 4 of
# 12 in 30 s (C4-3 each time, C4-1 and C4-2 never). On floors cut the benchmark's ways the
# pair finds about as many as before: a wider set of 24 runs 8 against 9, random-axis floors
# 8 of 12 against 9, merged grids 10 and 10, the four largest sizes drawn anew 11 of 12
# against 9. Overhangs last in both streams found 7 of 12 random-axis floors; the two ways
# alternating round by round in each stream, 10 of 12 C4 floors (20 s) and 6 of the 24 runs.
# A single stream (one worker) takes both ways in turn, round by round: C4 at 20 s, seeds 0-3,
# 8 of 12 against 4 on the floor as it is; 12 of the benchmark's hardest floors at 10 s, 8
# either way.
TURNED = (False, True)
OVERHANG = (0.0, 4.0)
STREAMS_MAX = 64  # a stream's seed is the caller's seed times this, plus the stream
ROUND_NODES = 200_000  # branches per stream per round of the compiled search
COMPILED_BRANCHES_PER_S = 1_000_000
DEAD_SLOTS = 1 << 19  # a stream's table of failed nodes (see fill_kernel._try)
MAX_SIDE = 63  # the compiled search's floors: a row's cells and the wall's bit fit 64 bits

Shape = tuple[int, int]  # (w, d): modules along x and along y
Spot = tuple[int, int, int, int]  # (x, y, w, d)


def branches_per_second(width: int, depth: int) -> int:
    """Return about how many branches the search makes a second on a floor of this size (the
    compiled one's streams together on two cores; the Python one's): a work-limited run counts
    its budget in branches at this rate."""
    return COMPILED_BRANCHES_PER_S if width <= MAX_SIDE and depth <= MAX_SIDE else 10_000


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
    workers: int = 1,
    stop: Callable[[], bool] | None = None,
) -> list[Spot] | None:
    """Return a spot for every item, no two overlapping and none on a taken cell, or None.

    ``taken`` holds, per row y (0 .. depth-1), a bit mask of the cells already taken (bit x set
    for cell x). ``items`` gives each item's shapes; ``spare`` how many free cells the layout may
    leave empty (the free area less the items' area; negative means no layout exists). None
    when no layout exists or none was found within ``max_nodes`` branches (or by ``deadline``,
    a :func:`time.perf_counter` value, or before ``stop`` returned True: it is asked between
    rounds of the compiled search, every 1,024 branches of the Python one).

    Backtracking search has heavy tails: an early wrong choice can hold it for hours below a
    part of the floor that cannot be filled. So the search restarts, each time with the branches
    the Luby sequence gives (the schedule that loses least against an unknown best one) and
    its choices jittered at random (seeded by ``seed``: the same call, the same answer),
    until the layout is found, the search was exhaustive (no layout), or the budget is spent.

    On floors up to 63 modules a side the search is compiled (:mod:`.fill_kernel`) and runs
    ``workers`` streams of restarts side by side, each jittered differently and with tries of
    its own length; they go in rounds of about equal branches, and the layout of the first
    stream (by number) that found one in the round is taken, so the answer does not depend on
    which thread ran faster.
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
    if width <= MAX_SIDE and depth <= MAX_SIDE:
        placed = _fill_compiled(
            width, depth, rows, order, left, spare, max_nodes, deadline, seed, workers, stop
        )
    else:
        placed = _fill_python(
            width, depth, rows, order, left, spare, max_nodes, deadline, seed, stop
        )
    if placed is None:
        return None
    # Hand the spots of each kind to its items in order.
    spots: list[Spot | None] = [None] * len(items)
    next_of = {k: 0 for k in range(len(order))}
    for kind, spot in placed:
        members = kinds[order[kind]]
        spots[members[next_of[kind]]] = spot
        next_of[kind] += 1
    return [s for s in spots if s is not None]


def _fill_python(
    width: int,
    depth: int,
    rows: list[int],
    order: list[tuple[Shape, ...]],
    left: list[int],
    spare: int,
    max_nodes: int,
    deadline: float | None,
    seed: int,
    stop: Callable[[], bool] | None,
) -> list[tuple[int, Spot]] | None:
    """The search in Python, for floors wider or deeper than the compiled one's words: return
    (kind, spot) per booth, or None."""
    placed: list[tuple[int, Spot]] = []  # (kind, spot), in the order placed
    spent, attempt = 0, 0
    while spent < max_nodes:
        rng = random.Random(seed * 1_000_003 + attempt) if attempt else None
        nodes = min(RESTART_UNIT_NODES * luby(attempt + 1), max_nodes - spent)
        search = _Search(width, depth, list(rows), order, list(left), nodes, deadline, rng, stop)
        found = search.run(spare, placed)
        if found is not None:
            return placed if found else None  # False: the whole tree was searched in vain
        if search.out_of_time:
            return None
        spent += nodes
        attempt += 1
        placed.clear()
    return None


def kernel_kinds(order: Sequence[Sequence[Shape]]) -> tuple[np.ndarray, ...]:
    """Return the compiled search's view of the kinds of booth (each kind's shapes): shapes'
    widths and depths and how many, lengths along and how many, lengths deep and how many,
    smallest area."""
    n_kinds, most = len(order), max(len(k) for k in order)
    table = np.zeros((4, n_kinds, most), dtype=np.int64)  # shapes' w, d; lengths along, deep
    counts = np.zeros((3, n_kinds), dtype=np.int64)  # shapes, lengths along, lengths deep
    area = np.zeros(n_kinds, dtype=np.int64)
    for k, shapes in enumerate(order):
        along, deep = sorted({w for w, _ in shapes}), sorted({d for _, d in shapes})
        counts[:, k] = len(shapes), len(along), len(deep)
        table[0, k, : len(shapes)] = [w for w, _ in shapes]
        table[1, k, : len(shapes)] = [d for _, d in shapes]
        table[2, k, : len(along)] = along
        table[3, k, : len(deep)] = deep
        area[k] = min(w * d for w, d in shapes)
    return (table[0], table[1], counts[0], table[2], counts[1], table[3], counts[2], area)


def kernel_floor(width: int, depth: int, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Return the compiled search's view of a floor: taken cells by row and by column."""
    by_row = np.array(rows, dtype=np.uint64)
    by_col = np.array(
        [sum(1 << y for y in range(depth) if rows[y] >> x & 1) for x in range(width)],
        dtype=np.uint64,
    )
    return by_row, by_col


def _fill_compiled(
    width: int,
    depth: int,
    rows: list[int],
    order: list[tuple[Shape, ...]],
    left: list[int],
    spare: int,
    max_nodes: int,
    deadline: float | None,
    seed: int,
    workers: int,
    stop: Callable[[], bool] | None,
) -> list[tuple[int, Spot]] | None:
    """The search compiled, in ``workers`` streams of restarts: return (kind, spot) per booth,
    or None."""
    # Imported here: numba takes a sixth of a second to import, which every other run spares.
    from boothopt.solver.fill_kernel import FOUND, LATE, NO_LAYOUT, run_tries

    counts_left = np.array(left, dtype=np.int64)
    streams = max(1, workers)
    # A stream searches the floor as it is or turned a quarter (its rows the floor's columns):
    # the search goes row by row, so the two fill the floor in different orders.
    # Turned, the floor's columns are its rows and the booths' shapes swap sides.
    by_row, by_col = kernel_floor(width, depth, rows)
    flat = (kernel_kinds(order), by_row, by_col)
    turned = (kernel_kinds([tuple((d, w) for w, d in k) for k in order]), by_col, by_row)
    placed = [np.zeros((sum(left), 5), dtype=np.int64) for _ in range(streams)]
    # Each stream's failed nodes, by hash, kept across its tries and rounds (4 MB a stream and
    # way of searching: a node's hash means one thing on the floor as it is, another turned).
    dead: dict[tuple[int, int], np.ndarray] = {}
    until = deadline if deadline is not None else 0.0
    rounds = [0]

    def way(k: int) -> int:
        """Return stream k's way of searching this round: its own, or (a single stream) both
        in turn, round by round."""
        return (k if streams > 1 else rounds[0]) % 2

    def stream(k: int, first: int, sizes: np.ndarray, nodes: int) -> tuple[int, int, int, int]:
        v = way(k)
        kinds, floor_rows, floor_cols = turned if TURNED[v % len(TURNED)] else flat
        if (k, v) not in dead:
            dead[k, v] = np.zeros(DEAD_SLOTS, dtype=np.uint64)
        result, used, n, t = run_tries(
            floor_rows, floor_cols, counts_left, kinds, spare, first, sizes, nodes, until,
            seed * STREAMS_MAX + k, np.roll(JITTERS, -k), placed[k], dead[k, v],
            OVERHANG[v % len(OVERHANG)],
        )  # fmt: skip
        return int(result), int(used), int(n), int(t)

    spent, firsts = 0, [0] * streams
    units = [RESTART_UNITS[k % len(RESTART_UNITS)] for k in range(streams)]
    with ThreadPoolExecutor(max_workers=streams) as pool:
        while spent < max_nodes and not (stop is not None and stop()):
            # A round: about ROUND_NODES branches of every stream, its next tries.
            plans = []
            for k in range(streams):
                sizes: list[int] = []
                while sum(sizes) < ROUND_NODES:
                    sizes.append(units[k] * luby(firsts[k] + len(sizes) + 1))
                plans.append(np.array(sizes, dtype=np.int64))
            nodes = [min(int(p.sum()), (max_nodes - spent + streams - 1) // streams) for p in plans]
            runs = list(pool.map(stream, range(streams), firsts, plans, nodes))
            found = [k for k, (result, *_) in enumerate(runs) if result == FOUND]
            if found:
                # The first stream that found one this round: not the first thread to finish.
                k = found[0]
                spots = [(int(r[0]), (int(r[1]), int(r[2]), int(r[3]), int(r[4])))
                         for r in placed[k][: runs[k][2]]]  # fmt: skip
                if TURNED[way(k) % len(TURNED)]:
                    spots = [(kind, (y, x, d, w)) for kind, (x, y, w, d) in spots]
                return spots
            if any(result in (NO_LAYOUT, LATE) for result, *_ in runs):
                return None  # the whole tree searched in vain, or out of time
            spent += sum(used for _, used, _, _ in runs)
            firsts = [f + len(p) for f, p in zip(firsts, plans, strict=True)]
            rounds[0] += 1
    return None


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
        stop: Callable[[], bool] | None = None,
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
        self.stop = stop
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
        """Return True (and note it) when the deadline has passed or a stop was asked."""
        self.out_of_time = (self.deadline is not None and time.perf_counter() > self.deadline) or (
            self.stop is not None and self.stop()
        )
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
            if self.nodes_left % 1024 == 0 and self._late():
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
