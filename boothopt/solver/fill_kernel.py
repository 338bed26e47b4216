"""The corner search of :mod:`.fill`, compiled (numba), for floors up to 63 modules a side.

The search of ``fill._Search`` — the corner cell with the fewest branches, the subset-sum test
on the rows and columns a booth touches, Korf's wasted-space bound — on 64-bit rows and columns
instead of Python integers, so that it makes about a million branches a second instead of 10-20
thousand. Three things more:

- corner cells of all four kinds: an empty cell whose left and lower neighbours are taken (or
  walls) holds the lower-left corner of whatever covers it, one whose right and lower ones are
  taken its lower-right corner, and so on; the cell with the fewest branches among all of them
  is filled first, so the search works inward from every wall where the floor is tightest
  (perfect-09 and -12 of the benchmark at 15 s over six seeds: 10 of 12 found, against 6 with
  lower-left corners alone);
- a branch whose rest of its row run or column run is no sum of the remaining lengths is
  neither counted for that choice nor tried;
- failed nodes are remembered (a transposition table, ``dead``): a node whose every branch
  failed is stored by its hash (its taken cells, the booths left of each kind, the spare), and
  a node reached again — by placing the same booths in another order or arrangement, or in a
  later try — is not searched again. The table is one stream's, kept across its tries, so a
  stream's answer does not depend on the others'. A stored node is one whose whole subtree was
  searched (a try out of branches returns at once and stores nothing), so the table never
  cuts a branch that could lead to a layout; two nodes share a hash with odds of 2^-64 a look.
  On 64 perfect packings of four kinds (40 x 40 floors, 30-32 rectangles, plain depth-first
  search, 2 s each) it found 20, against 14 without.

:func:`run_tries` runs a range of restarts of one stream (see :func:`.fill.fill_all`); it
releases the GIL, so that streams run side by side in threads.

Bit masks are ``uint64`` throughout (numba turns a mix of signed and unsigned integers into
floats), and a shift is never by 64 or more.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numba import njit, objmode

_U0 = np.uint64(0)
_U1 = np.uint64(1)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_DEBRUIJN = np.uint64(0x03F79D71B4CB0A89)
# The de Bruijn table: the index of a 64-bit word's only set bit, from its product's top 6 bits.
_CTZ = np.zeros(64, dtype=np.int64)
for _bit in range(64):
    _CTZ[((1 << _bit) * 0x03F79D71B4CB0A89 & 0xFFFFFFFFFFFFFFFF) >> 58] = _bit

# Kinds of corner cells the search fills: 1, lower-left only; 4, any corner.
CORNER_KINDS = 4

# Results of one call of run_tries.
FOUND, NO_LAYOUT, TRIES_DONE, LATE = 1, 0, 2, 3


@njit(cache=True, inline="always")
def _ctz(x: Any) -> Any:
    """Return the index of the lowest set bit of a nonzero word."""
    low = x & (~x + _U1)
    return _CTZ[(low * _DEBRUIJN) >> np.uint64(58)]


@njit(cache=True, inline="always")
def _ones(n: Any) -> Any:
    """Return a word with the lowest n bits set (n up to 64)."""
    if n >= 64:
        return _ALL
    return (_U1 << np.uint64(n)) - _U1


@njit(cache=True)
def _random(state: Any) -> Any:
    """Return a float in [0, 1) from the splitmix64 stream in ``state[0]``."""
    state[0] += np.uint64(0x9E3779B97F4A7C15)
    z = state[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _reach(left: Any, lengths: Any, n_lengths: Any, cap: Any) -> Any:
    """Return the sums of the remaining booths' lengths as bits: bit s set when some of them,
    each at most once, in any of its lengths, sum to s."""
    reach = _U1
    for k in range(left.shape[0]):
        for _ in range(left[k]):
            grown = reach
            for s in range(n_lengths[k]):
                grown |= reach << np.uint64(lengths[k, s])
            reach = grown & cap
    return reach


@njit(cache=True)
def _runs_fit(taken: Any, length: int, reach: Any, spare: int) -> bool:
    """Return True when every run of empty cells in a line is a sum of booth lengths, up to
    ``spare`` cells left empty."""
    window = _ones(spare + 1)
    empty = ~taken & _ones(length)
    wall = taken | (_U1 << np.uint64(length))
    while empty:
        start = _ctz(empty)
        run = _ctz(wall >> np.uint64(start))
        if not ((reach >> np.uint64(max(0, run - spare))) & window):
            return False
        empty &= ~(_ones(run) << np.uint64(start))
    return True


@njit(cache=True)
def _waste(lines: Any, length: int, left: Any, lengths: Any, area: Any, scratch: Any) -> int:
    """Return Korf's wasted-space bound along the lines (rows or columns), as in fill.py."""
    cells, pool_area = scratch[0], scratch[1]
    for n in range(length + 1):
        cells[n] = 0
        pool_area[n] = 0
    full = _ones(length)
    wall_bit = _U1 << np.uint64(length)
    for t in range(lines.shape[0]):
        empty = ~lines[t] & full
        wall = lines[t] | wall_bit
        while empty:
            start = _ctz(empty)
            run = _ctz(wall >> np.uint64(start))
            cells[run] += run
            empty &= ~(_ones(run) << np.uint64(start))
    for k in range(left.shape[0]):
        if left[k]:
            pool_area[lengths[k, 0]] += left[k] * area[k]
    waste = 0
    pool = 0
    for n in range(1, length + 1):
        pool += pool_area[n]
        used = min(pool, cells[n])
        waste += cells[n] - used
        pool -= used
    return waste


@njit(cache=True)
def _fillable(
    rows: Any, cols: Any, box: Any, spare: int, left: Any, kinds: Any, scratch: Any, sums: Any
) -> bool:
    """Return False when a run of empty cells in the rows or columns of ``box`` (y0, y1, x0,
    x1) is no sum of the remaining booths' lengths, or Korf's bound exceeds the spare; keep
    those sums (as bits: along, deep) in ``sums``."""
    width, depth = cols.shape[0], rows.shape[0]
    lx, nlx, ly, nly, area = kinds[3], kinds[4], kinds[5], kinds[6], kinds[7]
    cap = _ones(max(width, depth) + 1)
    along = _reach(left, lx, nlx, cap)
    sums[0] = along
    for y in range(box[0], box[1]):
        if not _runs_fit(rows[y], width, along, spare):
            return False
    deep = _reach(left, ly, nly, cap)
    sums[1] = deep
    for x in range(box[2], box[3]):
        if not _runs_fit(cols[x], depth, deep, spare):
            return False
    if _waste(rows, width, left, lx, area, scratch) > spare:
        return False
    return _waste(cols, depth, left, ly, area, scratch) <= spare


@njit(cache=True, inline="always")
def _high(m: Any) -> int:
    """Return the index of the highest set bit of a nonzero word."""
    n = 0
    for step in (32, 16, 8, 4, 2, 1):
        if m >> np.uint64(step):
            m >>= np.uint64(step)
            n += step
    return n


@njit(cache=True, inline="always")
def _span(line: Any, at: int, length: int, ahead: bool) -> Any:
    """Return how many empty cells a line has from cell ``at`` on, ahead (up the bits) or back
    (down to bit 0), ``at`` included."""
    if ahead:
        return _ctz((line >> np.uint64(at)) | (_U1 << np.uint64(length - at)))
    low = line & _ones(at + 1)
    return at + 1 if low == _U0 else at - _high(low)


@njit(cache=True, inline="always")
def _free(rows: Any, x: int, y: int, w: int, d: int) -> bool:
    """Return True when the w x d cells from (x, y) up are all empty."""
    mask = _ones(w) << np.uint64(x)
    for k in range(y, y + d):  # noqa: SIM110 (a loop compiles; a generator in all() does not)
        if rows[k] & mask:
            return False
    return True


@njit(cache=True, inline="always")
def _rest_fits(run: int, n: int, reach: Any, spare: int) -> bool:
    """Return True when a run less a booth's n cells is still a sum of booth lengths (``reach``,
    with the booth's own: a test that never rejects a branch it should keep), up to ``spare``
    cells left empty."""
    if n == run:
        return True
    return bool((reach >> np.uint64(max(0, run - n - spare))) & _ones(spare + 1))


@njit(cache=True)
def _corner_moves(
    rows: Any,
    cols: Any,
    x: int,
    y: int,
    corner: int,
    left: Any,
    kinds: Any,
    spare: int,
    sums: Any,
    moves: Any,
    at: int,
    keys: Any,
    rng: Any,
    jitter: float,
    write: bool,
    overhang: float = 0.0,
) -> int:
    """Count the branches at the corner cell (x, y), and with ``write`` put them in
    ``moves[at:]`` (kind, x0, y0, w, d: the booth's lower-left cell and shape) in the order
    tried, with (-1, x, y, 1, 1) for leaving the cell empty. ``corner`` says which corner of
    the booth stands on the cell: 0 lower-left, 1 lower-right, 2 upper-left, 3 upper-right."""
    width, depth = cols.shape[0], rows.shape[0]
    sw, sd, ns = kinds[0], kinds[1], kinds[2]
    rightward, upward = corner & 1 == 0, corner & 2 == 0
    run = _span(rows[y], x, width, rightward)
    rise = _span(cols[x], y, depth, upward)
    left_top = right_top = -1
    ledge = width  # from a lower-left corner: taken cells (or the wall) under the run, from x
    if write and corner == 0:
        left_top = _ctz(~cols[x - 1]) if x > 0 else -1
        right_top = _ctz(~cols[x + run]) if x + run < width else -1
        if y > 0:
            ledge = _span(~rows[y - 1], x, width, True)
    n = 0
    for k in range(left.shape[0]):
        if left[k] == 0:
            continue
        for s in range(ns[k]):
            w, d = sw[k, s], sd[k, s]
            if w > run or d > rise:
                continue
            x0 = x if rightward else x - w + 1
            y0 = y if upward else y - d + 1
            if not _free(rows, x0, y0, w, d):
                continue
            if not (_rest_fits(run, w, sums[0], spare) and _rest_fits(rise, d, sums[1], spare)):
                continue
            if write:
                # As wide as the run first, then (from a lower-left corner) a top that meets a
                # neighbour's, then larger first, each size jittered at random on a restart;
                # with ``overhang`` (4), last a booth wider than the ledge under it, which
                # leaves a hole below.
                closes = 0.0 if w == run else 2.0
                meets = 0.0 if y + d == left_top or (w == run and y + d == right_top) else 1.0
                overhangs = overhang if w > ledge else 0.0
                noise = _random(rng) if jitter > 0.0 else 0.0
                keys[n] = (closes + meets + overhangs) * 1e7 - w * d * (1.0 + jitter * noise)
                moves[at + n, 0] = k
                moves[at + n, 1], moves[at + n, 2] = x0, y0
                moves[at + n, 3], moves[at + n, 4] = w, d
            n += 1
    if write and n > 1:
        order = np.argsort(keys[:n], kind="mergesort")
        block = moves[at : at + n].copy()
        for i in range(n):
            moves[at + i] = block[order[i]]
    if spare > 0:
        if write:
            moves[at + n, 0] = -1
            moves[at + n, 1], moves[at + n, 2] = x, y
            moves[at + n, 3], moves[at + n, 4] = 1, 1
        n += 1
    return n


@njit(cache=True)
def _branch(
    rows: Any,
    cols: Any,
    left: Any,
    kinds: Any,
    spare: int,
    out: Any,
    sums: Any,
    moves: Any,
    keys: Any,
    rng: Any,
) -> bool:
    """Put the corner cell with the fewest branches in ``out`` (x, y, corner); False when no
    cell is empty. A cell is a lower-left corner when it is empty with its left and lower
    neighbours taken (or walls): whatever covers it has its lower-left corner there; likewise
    the other three kinds. Lower-left cells come first among equals."""
    width, depth = cols.shape[0], rows.shape[0]
    full = _ones(width)
    wall_right = _U1 << np.uint64(width - 1)
    best = -1
    for corner in range(CORNER_KINDS):
        for y in range(depth):
            r = rows[y]
            if corner < 2:
                beside = rows[y - 1] if y > 0 else full
            else:
                beside = rows[y + 1] if y + 1 < depth else full
            side = (r << _U1) | _U1 if corner & 1 == 0 else (r >> _U1) | wall_right
            corners = ~r & full & side & beside
            while corners:
                x = _ctz(corners)
                corners &= corners - _U1
                c = _corner_moves(
                    rows, cols, x, y, corner, left, kinds, spare, sums, moves, 0, keys, rng, 0.0,
                    False,
                )  # fmt: skip
                if best < 0 or c < best:
                    best = c
                    out[0], out[1], out[2] = x, y, corner
                    if c <= 1:
                        return True
    return best >= 0


@njit(cache=True, inline="always")
def _mix(z: Any) -> Any:
    """Return splitmix64's finaliser of a word (every bit of the input moves every bit)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def _row_key(y: int, bits: Any) -> Any:
    """Return row y's share of a node's hash, its taken cells ``bits``."""
    return _mix(bits ^ (np.uint64(y + 1) * np.uint64(0x9E3779B97F4A7C15)))


@njit(cache=True, inline="always")
def _count_key(k: int, n: int) -> Any:
    """Return kind k's share of a node's hash, n of it left to place."""
    return _mix(np.uint64(k * 4099 + n + 1) * np.uint64(0xD6E8FEB86659FD93))


@njit(cache=True, inline="always")
def _spare_key(spare: int) -> Any:
    """Return the spare cells' share of a node's hash."""
    return _mix(np.uint64(spare + 1) * np.uint64(0xA24BAED4963EE407))


@njit(cache=True)
def _rehash(rows: Any, x: int, y: int, w: int, d: int) -> Any:
    """Return what a node's hash changes by when the cells of a w x d booth at (x, y) are taken
    or freed (before :func:`_flip`)."""
    mask = _ones(w) << np.uint64(x)
    delta = _U0
    for k in range(y, y + d):
        delta ^= _row_key(k, rows[k]) ^ _row_key(k, rows[k] ^ mask)
    return delta


@njit(cache=True)
def _flip(rows: Any, cols: Any, x: int, y: int, w: int, d: int) -> None:
    """Take the cells of a w x d booth at (x, y), or free them again."""
    mask = _ones(w) << np.uint64(x)
    for k in range(y, y + d):
        rows[k] ^= mask
    mask = _ones(d) << np.uint64(y)
    for k in range(x, x + w):
        cols[k] ^= mask


@njit(cache=True)
def _try(
    rows: Any,
    cols: Any,
    left: Any,
    kinds: Any,
    spare: int,
    max_nodes: int,
    deadline: float,
    rng: Any,
    jitter: float,
    placed: Any,
    scratch: Any,
    dead: Any,
    overhang: float,
) -> tuple[int, int, int]:
    """One depth-first search of at most ``max_nodes`` branches: (result, branches, booths
    placed), the result FOUND (``placed`` holds kind, x, y, w, d per booth), NO_LAYOUT (the
    whole tree searched), TRIES_DONE (out of branches) or LATE (past ``deadline``, if > 0).
    ``dead`` is the stream's table of failed nodes' hashes (a power of two long), read and
    written."""
    n_kinds = left.shape[0]
    per_frame = 1
    for k in range(n_kinds):
        per_frame += kinds[2][k]
    total = 0
    for k in range(n_kinds):
        total += left[k]
    frames = total + spare + 2
    moves = np.empty((frames * per_frame, 5), dtype=np.int64)
    frame = np.zeros((frames, 3), dtype=np.int64)  # spare, branches, next branch
    # Each frame's node hashed: its taken cells, the booths left of each kind and the spare.
    state = np.zeros(frames, dtype=np.uint64)
    h = _spare_key(spare)
    for y in range(rows.shape[0]):
        h ^= _row_key(y, rows[y])
    for k in range(n_kinds):
        h ^= _count_key(k, left[k])
    slots = np.uint64(dead.shape[0] - 1)
    keys = np.empty(per_frame, dtype=np.float64)
    out = np.zeros(3, dtype=np.int64)
    sums = np.zeros(2, dtype=np.uint64)
    box = np.array([0, rows.shape[0], 0, cols.shape[0]], dtype=np.int64)
    if not _fillable(rows, cols, box, spare, left, kinds, scratch, sums):
        return NO_LAYOUT, 0, 0
    if not _branch(rows, cols, left, kinds, spare, out, sums, moves, keys, rng):
        return (FOUND if total == 0 else NO_LAYOUT), 0, 0
    frame[0, 0] = spare
    state[0] = h
    frame[0, 1] = _corner_moves(
        rows, cols, out[0], out[1], out[2], left, kinds, spare, sums, moves, 0, keys, rng, jitter,
        True, overhang,
    )  # fmt: skip
    depth, used = 1, 0
    while depth > 0:
        f = depth - 1
        at = frame[f, 2]
        base = f * per_frame
        if at > 0:  # undo the branch tried last
            m = base + at - 1
            kind = moves[m, 0]
            _flip(rows, cols, moves[m, 1], moves[m, 2], moves[m, 3], moves[m, 4])
            if kind >= 0:
                left[kind] += 1
                total += 1
        if at == frame[f, 1]:
            # Every branch of this node failed: no layout fills what it leaves free.
            dead[state[f] & slots] = state[f]
            depth -= 1
            continue
        used += 1
        if used > max_nodes:
            return TRIES_DONE, used - 1, 0
        if deadline > 0.0 and (used & 16383) == 0:
            with objmode(now="float64"):
                now = time.perf_counter()
            if now > deadline:
                return LATE, used, 0
        frame[f, 2] = at + 1
        m = base + at
        kind, x, y, w, d = moves[m, 0], moves[m, 1], moves[m, 2], moves[m, 3], moves[m, 4]
        h = state[f] ^ _rehash(rows, x, y, w, d)
        _flip(rows, cols, x, y, w, d)
        after = frame[f, 0]
        if kind >= 0:
            h ^= _count_key(kind, left[kind]) ^ _count_key(kind, left[kind] - 1)
            left[kind] -= 1
            total -= 1
        else:
            h ^= _spare_key(after) ^ _spare_key(after - 1)
            after -= 1
        if total == 0:
            n = 0
            for g in range(depth):
                b = g * per_frame + frame[g, 2] - 1
                if moves[b, 0] >= 0:
                    placed[n] = moves[b]
                    n += 1
            return FOUND, used, n
        if h and dead[h & slots] == h:
            continue  # a node reached before (another way, or in another try) and failed
        box[0], box[1], box[2], box[3] = y, y + d, x, x + w
        if not _fillable(rows, cols, box, after, left, kinds, scratch, sums):
            continue
        if not _branch(rows, cols, left, kinds, after, out, sums, moves, keys, rng):
            continue
        frame[depth, 0] = after
        state[depth] = h
        frame[depth, 1] = _corner_moves(
            rows, cols, out[0], out[1], out[2], left, kinds, after, sums, moves,
            depth * per_frame, keys, rng, jitter, True, overhang,
        )  # fmt: skip
        frame[depth, 2] = 0
        depth += 1
    return NO_LAYOUT, used, 0


@njit(cache=True, nogil=True)
def run_tries(
    rows: Any,
    cols: Any,
    left: Any,
    kinds: Any,
    spare: int,
    first: int,
    sizes: Any,
    max_nodes: int,
    deadline: float,
    seed: int,
    jitters: Any,
    placed: Any,
    dead: Any,
    overhang: float,
) -> tuple[int, int, int, int]:
    """Run tries ``first``, ``first + 1``, ... of a stream, of ``sizes`` branches each (the
    restart schedule's, see fill.py), on copies of the floor (``rows``, ``cols``) and counts
    (``left``), until one finds a layout, proves there is none, or ``max_nodes`` branches in all
    are spent; return (result, branches, booths placed, the try). Try t's choices are jittered
    by the stream ``seed`` and t, by ``jitters[t % len(jitters)]`` (none for try 0 of stream 0:
    the plain order). ``dead`` is the stream's table of failed nodes (see :func:`_try`), kept
    by the caller from one call to the next."""
    scratch = np.zeros((2, max(rows.shape[0], cols.shape[0]) + 1), dtype=np.int64)
    rng = np.zeros(1, dtype=np.uint64)
    spent = 0
    for i in range(sizes.shape[0]):
        if spent >= max_nodes:
            break
        t = first + i
        rng[0] = np.uint64(seed) * np.uint64(1_000_003) + np.uint64(t)
        shake = jitters[t % jitters.shape[0]] if t > 0 or seed > 0 else 0.0
        budget = min(sizes[i], max_nodes - spent)
        result, used, n = _try(
            rows.copy(), cols.copy(), left.copy(), kinds, spare, budget, deadline, rng, shake,
            placed, scratch, dead, overhang,
        )  # fmt: skip
        spent += used
        if result != TRIES_DONE:
            return result, spent, n, t
    return TRIES_DONE, spent, 0, first + sizes.shape[0]
