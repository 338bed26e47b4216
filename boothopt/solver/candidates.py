"""Every booth rectangle an exhibitor could get, and why there is none when there is none.

Exhibitors that no rule tells apart (same size, shape, type, tier, zone, halls and needs, no
partner or competitor) share one candidate set: the model then counts how many of the group
stand, instead of trying every permutation of interchangeable names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from boothopt.inputs.domain import Exhibitor, forms_booth_type
from boothopt.solver.power import within_power_reach
from boothopt.solver.problem import Pin, Problem, Slot, _inside, booth_shapes


@dataclass
class Group:
    """Interchangeable exhibitors (best first) and the placements any of them could take."""

    index: int
    members: list[Exhibitor]
    slot: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    i: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    j: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    w: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    d: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    value: np.ndarray = field(default_factory=lambda: np.zeros(0))
    open_sides: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    boxes: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))
    cells: list[np.ndarray] = field(default_factory=list)
    no_place_reason: str = ""

    @property
    def size(self) -> int:
        """Return the number of candidate placements."""
        return len(self.slot)

    def padded_cells(self, pad: int) -> np.ndarray:
        """Return the candidates' cells as one (candidates, cells) matrix, short rows ``pad``ded."""
        width = max((len(c) for c in self.cells), default=0)
        out = np.full((self.size, width), pad)
        for k, c in enumerate(self.cells):
            out[k, : len(c)] = c
        return out


def group_key(e: Exhibitor, linked: set[str]) -> tuple[object, ...]:
    """Return what decides an exhibitor's placements and value; linked exhibitors stand alone.

    ``linked`` holds those that must stand alone: partners, competitors, pinned exhibitors.
    """
    if e.id in linked:
        return ("single", e.id)
    return (
        e.modules,
        e.shape,
        e.rotatable,
        e.booth_type,
        e.booth_type_or_better,
        e.tier,
        e.zone,
        e.halls,
        e.needs,
    )


ZoneAreas = Literal["reach", "drawn", "free"]


def build_groups(problem: Problem, zone_areas: ZoneAreas = "reach") -> list[Group]:
    """Group the exhibitors and enumerate each group's placements.

    ``zone_areas`` says where a zone's members may stand, and everyone else:

    - ``reach`` (the optimizer's): members in the zone's drawn area or the blocks next to it,
      everyone else anywhere; the model then decides which blocks each zone keeps;
    - ``drawn``: members in the drawn area, everyone else outside every drawn area;
    - ``free``: members anywhere in the zone's hall, everyone else anywhere. These placements
      include every layout of the problem as posed, whatever the zones' areas: for its bound.
    """
    linked = {e.id for e in problem.exhibitors if e.near or e.avoid}
    linked |= {o for e in problem.exhibitors for o in e.near}
    linked |= {o for e in problem.exhibitors for o, _ in e.avoid}
    linked |= set(problem.pins)
    by_key: dict[tuple[object, ...], list[Exhibitor]] = {}
    for e in problem.exhibitors:  # already best first
        by_key.setdefault(group_key(e, linked), []).append(e)
    cache: dict[tuple[object, ...], Group] = {}
    groups: list[Group] = []
    for members in by_key.values():
        g = Group(len(groups), members)
        _enumerate(problem, g, cache, zone_areas)
        groups.append(g)
    return groups


def _allowed_slots(
    problem: Problem, e: Exhibitor, zone_areas: ZoneAreas = "reach"
) -> tuple[list[Slot], str]:
    """Return the slots an exhibitor may use, or none and the reason."""
    zone_slots = problem.zone_slots
    if zone_areas == "free" or (zone_areas == "reach" and e.zone not in zone_slots):
        zone = next((z for z in problem.event.zones if z.id == e.zone), None)
        hall = zone.hall if zone is not None else None
        slots = [s for s in problem.slots if hall is None or s.hall == hall]
        where = f"hall {hall}" if hall else "the rented halls"
    elif zone_areas == "reach" and e.zone is not None:
        slots = [problem.slots[k] for k in sorted(problem.zone_reach.get(e.zone, set()))]
        where = f"the {e.zone} zone's area"
    elif e.zone is not None and e.zone in zone_slots:
        slots = [problem.slots[k] for k in sorted(zone_slots[e.zone])]
        where = f"the {e.zone} zone's area"
    else:
        in_zones = set().union(*zone_slots.values()) if zone_slots else set()
        slots = [s for s in problem.slots if s.index not in in_zones]
        where = "the floor outside the zones"
    if not slots:
        return [], f"{where} has no free block"
    needs = e.needs
    if needs.load_t_m2 > 0:
        slots = [s for s in slots if _figure(problem, s, "floor_load_t_m2") >= needs.load_t_m2]
        if not slots:
            return [], (
                f"no hall in {where} bears {needs.load_t_m2:g} t/m² — rent a hall with a "
                "stronger floor or lower the need"
            )
    if needs.height_m > 0:
        slots = [s for s in slots if _figure(problem, s, "ceiling_height_m") >= needs.height_m]
        if not slots:
            return [], f"no hall in {where} has {needs.height_m:g} m of height"
    return slots, where


def _opening_strips(
    s: Slot, free: np.ndarray, i: int, w: int, d: int, missing: int
) -> np.ndarray | None:
    """Return the cells to keep empty so a full-depth booth gets ``missing`` more open sides.

    An island or peninsula in a block longer than itself opens an end by leaving the row of
    cells beside it empty: a new 3 m cross aisle through the block. None when it cannot.
    """
    if missing <= 0:
        return np.zeros(0, dtype=int)
    if d != s.n_deep:
        return None
    ends = [k for k in (i - 1, i + w) if 0 <= k < s.n_along and free[k].all()]
    if len(ends) < missing:
        return None
    return np.concatenate([s.cell_ids[k] for k in ends[:missing]])


def _figure(problem: Problem, slot: Slot, name: str) -> float:
    fig = getattr(problem.grids[slot.hall].hall, name)
    return float(fig.value) if fig is not None else 0.0


def _enumerate(
    problem: Problem, g: Group, cache: dict[tuple[object, ...], Group], zone_areas: ZoneAreas
) -> None:
    e = g.members[0]
    slots, where = _allowed_slots(problem, e, zone_areas)
    # On a floor of aisles every booth must face one; an open floor (scheme none) has no aisles.
    rows = problem.event.scheme.kind == "rows"
    need_sides, most_sides = e.open_sides_range(rows)
    power = e.needs.power_kw > 0
    pin = problem.pins.get(e.id)
    key = (
        pin,
        tuple(s.index for s in slots),
        e.modules,
        e.shape,
        e.rotatable,
        need_sides,
        most_sides,
        power,
    )
    if key in cache:
        src = cache[key]
        for name in (
            "slot",
            "i",
            "j",
            "w",
            "d",
            "value",
            "open_sides",
            "boxes",
            "cells",
            "no_place_reason",
        ):
            setattr(g, name, getattr(src, name))
        return
    cache[key] = g
    if not slots:
        g.no_place_reason = where
        return
    halls = {s.hall for s in slots}  # where power points count, pinned or not
    if pin is not None:
        # Only a block holding the pinned box can hold it as a placement (a re-plan pins
        # hundreds of booths, each searched through every block before).
        slots = [
            s
            for s in slots
            if s.hall == pin[0]
            and _inside(pin[1], s.box(0, 0, s.n_along, s.n_deep, problem.module_m))
        ]
    out: dict[str, list[object]] = {
        k: [] for k in ("slot", "i", "j", "w", "d", "value", "open_sides", "boxes", "cells")
    }
    module = problem.module_m
    any_shape = False
    for s in slots:
        free = s.cell_ids >= 0
        for w, d in booth_shapes(e, s):
            any_shape = True
            fits = sliding_window_view(free, (w, d)).all(axis=(2, 3))
            values = sliding_window_view(s.value, (w, d)).mean(axis=(2, 3))
            for i, j in zip(*np.nonzero(fits), strict=True):
                i, j = int(i), int(j)
                sides = int(i == 0) + int(i + w == s.n_along) + int(j == 0) + int(j + d == s.n_deep)
                if sides > most_sides:
                    continue  # open on more aisles than asked: a premium nobody paid for
                strip = _opening_strips(s, free, i, w, d, need_sides - sides)
                if strip is None:
                    continue
                booth_cells = s.cell_ids[i : i + w, j : j + d].ravel()
                out["slot"].append(s.index)
                out["i"].append(i)
                out["j"].append(j)
                out["w"].append(w)
                out["d"].append(d)
                out["value"].append(float(values[i, j]))
                out["open_sides"].append(max(sides, need_sides))
                out["boxes"].append(s.box(i, j, w, d, module))
                out["cells"].append(np.concatenate([booth_cells, strip]))
    g.slot = np.array(out["slot"], dtype=int)
    g.i, g.j = np.array(out["i"], dtype=int), np.array(out["j"], dtype=int)
    g.w, g.d = np.array(out["w"], dtype=int), np.array(out["d"], dtype=int)
    g.value = np.array(out["value"], dtype=float)
    g.open_sides = np.array(out["open_sides"], dtype=int)
    g.boxes = np.array(out["boxes"], dtype=float).reshape(-1, 4)
    g.cells = out["cells"]  # type: ignore[assignment]
    # Power: only booths within reach of a power point (all of them when no hall has one).
    near = within_power_reach(problem, e, g.slot, g.boxes, halls)
    short_of_power = g.size > 0 and not near.any()
    for name in ("slot", "i", "j", "w", "d", "value", "open_sides", "boxes"):
        setattr(g, name, getattr(g, name)[near])
    g.cells = [c for c, k in zip(g.cells, near, strict=True) if k]
    if pin is not None:
        _keep_pinned(problem, g, pin)
        if g.size == 0:
            g.no_place_reason = (
                f"its pinned booth ({pin_text(pin)}) is not a legal place for it here: "
                "a booth of its size and type, on the booth grid, in its zone's area"
            )
            return
    if g.size == 0:
        shape = f"{e.shape[0]}x{e.shape[1]}" if e.shape else f"{e.modules}-module"
        kind = "" if e.booth_type.value == "any" else f" {e.booth_type_label}"
        if not any_shape:
            g.no_place_reason = f"no block in {where} is large enough for a {shape}{kind} booth"
        elif not any(
            forms_booth_type(e, booth_shapes(e, s), s.n_along, s.n_deep, rows) for s in slots
        ):
            g.no_place_reason = (
                f"no block in {where} can make a {shape} booth of type {e.booth_type_label}: "
                f"{e.booth_type.rule} — ask for another size, shape or type"
            )
        elif short_of_power:
            g.no_place_reason = (
                f"no free {shape}{kind} space within {problem.event.power_reach_m:g} m of a "
                f"power point in {where} — add a power point nearby or raise power_reach_m"
            )
        else:
            g.no_place_reason = f"no free {shape}{kind} space in {where}"


def pin_text(pin: Pin) -> str:
    """Return a pin as written: ``C@120,45 6x3 m``."""
    hall, (x0, y0, x1, y1) = pin
    return f"{hall}@{x0:g},{y0:g} {x1 - x0:g}x{y1 - y0:g} m"


def _keep_pinned(problem: Problem, g: Group, pin: Pin) -> None:
    """Keep only the group's placement on the pinned booth (none when it is not among them)."""
    hall, box = pin
    halls = np.array([problem.slots[int(s)].hall for s in g.slot], dtype=object)
    on = (halls == hall) & (np.abs(g.boxes - np.array(box)) < 1e-6).all(axis=1) if g.size else []
    keep = np.asarray(on, dtype=bool)
    for name in ("slot", "i", "j", "w", "d", "value", "open_sides", "boxes"):
        setattr(g, name, getattr(g, name)[keep])
    g.cells = [c for c, k in zip(g.cells, keep, strict=True) if k]


def inside_drawn_areas(problem: Problem, g: Group) -> np.ndarray:
    """Return which candidates of ``g`` keep to the zone areas drawn in advance.

    A zone's members stand in its drawn area, everyone else outside every drawn area: the
    floor the baselines work on, as a floor manager would draw the zones first.
    """
    zone = g.members[0].zone
    if zone is not None and zone in problem.zone_slots:
        return np.isin(g.slot, sorted(problem.zone_slots[zone]))
    taken = sorted(set().union(*problem.zone_slots.values())) if problem.zone_slots else []
    return ~np.isin(g.slot, taken)
