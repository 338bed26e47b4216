"""How much of the floor an allocation lets: per hall, per zone and for the whole event.

Written into the assignment file as its ``utilization`` key by
:func:`~boothopt.outputs.assignment.build_assignment`, so that every export reads the same
figures (:class:`~boothopt.contract.Utilization`).
Every figure is counted from the solve as it is, never clamped: a share above 1 or a negative
floor left would show a fault, not hide it. Shares are fractions rounded to 4 decimals, ``None``
where there is nothing to divide by; areas are in m², rounded to 3 decimals like booth areas.

A hall's *usable* floor is its module cells, the reserved areas' cells among them; a zone's
*area* is the free cells of the blocks its members stand in (``result.zone_blocks``), as drawn on
the plan.

Older assignment files have no ``utilization`` (it is None then), and a figure missing from a
hand-edited one is None: the lines below show ``?`` for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from boothopt.contract import HallUse, TierUse, TotalUse, Utilization, ZoneUse
from boothopt.inputs.domain import Event
from boothopt.solver.problem import Problem
from boothopt.solver.result import Result


def share(part: float, whole: float) -> float | None:
    """Return ``part / whole`` rounded to 4 decimals, or ``None`` when ``whole`` is 0.

    Examples
    --------
    >>> share(1233, 1620), share(5, 0), share(21, 20)
    (0.7611, None, 1.05)
    """
    return round(part / whole, 4) if whole else None


def _m2(modules: float, module_m: float) -> float:
    return round(modules * module_m**2, 3)


def _tiers(event: Event) -> list[str]:
    """Return the event's tiers, best first, then any other tier an exhibitor names."""
    tiers = list(event.tiers)
    tiers += [t for t in dict.fromkeys(e.tier for e in event.exhibitors) if t not in tiers]
    return tiers


def _by_tier(tiers: list[str], found: Iterable[str]) -> dict[str, int]:
    counts = Counter(found)
    return {t: counts[t] for t in tiers}


def utilization(event: Event, problem: Problem, result: Result) -> Utilization:
    """Return the utilization of a solved event (the assignment's ``utilization``).

    ``halls`` (in the event's order): usable modules and m², modules and m² let to booths, the
    reserved areas' cells and m², the share let (booth m² over usable m²), booths in all and by
    tier. ``zones`` (in the event's order, the Smart City Seoul Zone first): members placed of
    all, their modules and m², the modules the members left out asked for, the zone's area
    (modules, m², halls), what booths there take of it and the share let. ``total``: the halls'
    figures summed, exhibitors placed and left out in all and by tier, and the demand left out.
    """
    module = event.scheme.module_m
    by_id = {e.id: e for e in event.exhibitors}
    tiers = _tiers(event)
    booths = result.booths
    unplaced = [by_id[e] for e, _ in result.unplaced]

    halls: list[HallUse] = []
    usable = let = reserved_modules = free_modules = 0
    reserved_m2 = 0.0  # the halls' rounded figures summed, as the halls show them
    for h in event.halls:
        grid = problem.grids[h]
        free = sum(s.n_free for s in problem.slots if s.hall == h)
        here = [b for b in booths if b.hall == h]
        let_here = sum(b.modules for b in here)
        reserved_here = round(
            float(
                sum(
                    (r.box[2] - r.box[0]) * (r.box[3] - r.box[1])
                    for r in result.reserved
                    if r.box is not None and r.area.hall == h
                )
            ),
            3,
        )
        halls.append(
            HallUse(
                hall=h,
                name=grid.hall.name,
                name_ko=grid.hall.name_ko,
                usable_modules=grid.n_cells,
                usable_m2=_m2(grid.n_cells, module),
                reserved_modules=grid.n_cells - free,
                reserved_m2=reserved_here,
                let_modules=let_here,
                let_m2=_m2(let_here, module),
                free_modules=free - let_here,
                share_let=share(let_here, grid.n_cells),
                booths=len(here),
                booths_by_tier=_by_tier(tiers, (by_id[b.exhibitor_id].tier for b in here)),
            )
        )
        usable += grid.n_cells
        let += let_here
        reserved_modules += grid.n_cells - free
        reserved_m2 += reserved_here
        free_modules += free - let_here

    zones: list[ZoneUse] = []
    placed_ids = {b.exhibitor_id: b for b in booths}
    for z in event.zones:
        members = [e for e in event.exhibitors if e.zone == z.id]
        placed = [e for e in members if e.id in placed_ids]
        left = [e for e in unplaced if e.zone == z.id]
        blocks = set(result.zone_blocks.get(z.id, []))
        area = sum(problem.slots[k].n_free for k in blocks)
        area_let = sum(b.modules for b in booths if b.slot in blocks)
        placed_modules = sum(placed_ids[e.id].modules for e in placed)
        left_modules = sum(e.modules for e in left)
        zones.append(
            ZoneUse(
                zone=z.id,
                name_ko=z.name_ko,
                name_en=z.name_en,
                members=len(members),
                placed=len(placed),
                unplaced=len(left),
                placed_modules=placed_modules,
                placed_m2=_m2(placed_modules, module),
                unplaced_modules=left_modules,
                unplaced_m2=_m2(left_modules, module),
                area_halls=tuple(dict.fromkeys(problem.slots[k].hall for k in sorted(blocks))),
                area_modules=area,
                area_m2=_m2(area, module),
                area_let_modules=area_let,
                area_let_m2=_m2(area_let, module),
                share_let=share(area_let, area),
            )
        )

    left_modules = sum(e.modules for e in unplaced)
    requested = sum(e.modules for e in event.exhibitors)
    placed_tiers = Counter(by_id[b.exhibitor_id].tier for b in booths)
    left_tiers = Counter(e.tier for e in unplaced)
    left_tier_modules: Counter[str] = Counter()
    for e in unplaced:
        left_tier_modules[e.tier] += e.modules
    total = TotalUse(
        usable_modules=usable,
        usable_m2=_m2(usable, module),
        reserved_modules=reserved_modules,
        reserved_m2=round(reserved_m2, 3),
        let_modules=let,
        let_m2=_m2(let, module),
        free_modules=free_modules,
        share_let=share(let, usable),
        booths=len(booths),
        booths_by_tier=_by_tier(tiers, (by_id[b.exhibitor_id].tier for b in booths)),
        exhibitors=len(event.exhibitors),
        placed=len(booths),
        unplaced=len(unplaced),
        by_tier={
            t: TierUse(
                placed=placed_tiers[t],
                unplaced=left_tiers[t],
                unplaced_modules=left_tier_modules[t],
            )
            for t in tiers
        },
        requested_modules=requested,
        requested_m2=_m2(requested, module),
        unplaced_modules=left_modules,
        unplaced_m2=_m2(left_modules, module),
    )
    return Utilization(module_m=module, halls=tuple(halls), zones=tuple(zones), total=total)


def percent(value: object) -> str:
    """Return a share as a whole percent, or ``–`` when there is none.

    Examples
    --------
    >>> percent(0.7611), percent(None), percent(1.05)
    ('76%', '–', '105%')
    """
    return f"{value:.0%}" if isinstance(value, int | float) else "–"


def _num(value: object) -> str:
    """Return a count or an area with thousands separators (``1,233``, ``4.5``)."""
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return "?"


def hall_line(hall: HallUse) -> str:
    """Return one hall's utilization in a short line, as the plan's legend shows it.

    Examples
    --------
    >>> hall_line(HallUse(hall="B2", let_m2=1233.0, usable_m2=1620.0, share_let=0.7611,
    ...     booths=88))
    'B2: 1,233 of 1,620 m² let (76%) · 88 booths'
    """
    booths = hall.booths
    return (
        f"{hall.hall or '?'}: {_num(hall.let_m2)} of {_num(hall.usable_m2)} m² "
        f"let ({percent(hall.share_let)}) · {_num(booths)} booth{'s' * (booths != 1)}"
    )


def zone_line(zone: ZoneUse) -> str:
    """Return one zone's utilization in a short line, as the plan's legend shows it.

    The m² are those of the zone's area: let to booths, of all its free floor.

    Examples
    --------
    >>> zone_line(ZoneUse(zone="scs", name_en="Smart City Seoul Zone", placed=24,
    ...     members=25, area_let_m2=2700.0, area_m2=2916.0, share_let=0.9259))
    'Smart City Seoul Zone: 24 of 25 placed · 2,700 of 2,916 m² let (93%)'
    """
    name = zone.name_en or zone.name_ko or zone.zone or "?"
    return (
        f"{name}: {_num(zone.placed)} of {_num(zone.members)} placed · "
        f"{_num(zone.area_let_m2)} of {_num(zone.area_m2)} m² let "
        f"({percent(zone.share_let)})"
    )


def summary_lines(util: Utilization) -> list[str]:
    """Return the utilization as lines for the run's printed summary.

    One line per hall, one per zone, then the event's totals and the demand left out by tier.

    Examples
    --------
    >>> util = Utilization(
    ...     halls=(HallUse(hall="B2", let_m2=27.0, usable_m2=1620.0, share_let=0.0167,
    ...         booths=2, let_modules=3, usable_modules=180, reserved_m2=0.0),),
    ...     total=TotalUse(let_m2=27.0, usable_m2=1620.0, share_let=0.0167, booths=2,
    ...         placed=2, unplaced=1, exhibitors=3, unplaced_modules=60, unplaced_m2=540.0,
    ...         by_tier={"gold": TierUse(placed=1, unplaced=0),
    ...                  "standard": TierUse(placed=1, unplaced=1)}))
    >>> print("\\n".join(summary_lines(util)))
    utilization B2: 27 of 1,620 m² let (2%), 3 of 180 modules · 2 booths
    utilization all halls: 27 of 1,620 m² let (2%) · 2 booths
    exhibitors: 2 placed, 1 unplaced of 3 (gold 1/0, standard 1/1 placed/unplaced)
    unplaced demand: 60 modules (540 m²)
    """
    lines: list[str] = []
    for h in util.halls:
        reserved = h.reserved_m2 or 0
        extra = f", {_num(reserved)} m² reserved" if reserved else ""
        lines.append(
            f"utilization {h.hall or '?'}: {_num(h.let_m2)} of "
            f"{_num(h.usable_m2)} m² let ({percent(h.share_let)}), "
            f"{_num(h.let_modules)} of {_num(h.usable_modules)} modules{extra} · "
            f"{_num(h.booths)} booths"
        )
    for z in util.zones:
        left = z.unplaced_modules or 0
        asked = f"; {_num(left)} modules asked by those left out" if left else ""
        lines.append(f"utilization zone {zone_line(z)}{asked}")
    t = util.total
    if t is not None:
        lines.append(
            f"utilization all halls: {_num(t.let_m2)} of {_num(t.usable_m2)} m² "
            f"let ({percent(t.share_let)}) · {_num(t.booths)} booths"
        )
        tiers = ", ".join(
            f"{tier} {_num(v.placed)}/{_num(v.unplaced)}"
            for tier, v in t.by_tier.items()
            if v.placed or v.unplaced
        )
        lines.append(
            f"exhibitors: {_num(t.placed)} placed, {_num(t.unplaced)} unplaced of "
            f"{_num(t.exhibitors)}" + (f" ({tiers} placed/unplaced)" if tiers else "")
        )
        lines.append(
            f"unplaced demand: {_num(t.unplaced_modules)} modules ({_num(t.unplaced_m2)} m²)"
        )
    return lines
