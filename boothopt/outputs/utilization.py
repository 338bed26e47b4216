"""How much of the floor an allocation lets: per hall, per zone and for the whole event.

Written into the assignment file as its ``utilization`` key by
:func:`~boothopt.outputs.assignment.assignment_dict`, so that every export reads the same figures.
Every figure is counted from the solve as it is, never clamped: a share above 1 or a negative
floor left would show a fault, not hide it. Shares are fractions rounded to 4 decimals, ``None``
where there is nothing to divide by; areas are in m², rounded to 3 decimals like booth areas.

A hall's *usable* floor is its module cells, the reserved areas' cells among them; a zone's
*area* is the free cells of the blocks its members stand in (``result.zone_blocks``), as drawn on
the plan.

Older assignment files have no ``utilization``: readers use :func:`utilization_of`, which gives
``None`` then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

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


def utilization(event: Event, problem: Problem, result: Result) -> dict[str, Any]:
    """Return the utilization of a solved event, JSON-ready (the assignment's ``utilization``).

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

    halls: list[dict[str, Any]] = []
    for h in event.halls:
        grid = problem.grids[h]
        free = sum(s.n_free for s in problem.slots if s.hall == h)
        here = [b for b in booths if b.hall == h]
        let = sum(b.modules for b in here)
        reserved_m2 = sum(
            (r.box[2] - r.box[0]) * (r.box[3] - r.box[1])
            for r in result.reserved
            if r.box is not None and r.area.hall == h
        )
        halls.append(
            {
                "hall": h,
                "name": grid.hall.name,
                "name_ko": grid.hall.name_ko,
                "usable_modules": grid.n_cells,
                "usable_m2": _m2(grid.n_cells, module),
                "reserved_modules": grid.n_cells - free,
                "reserved_m2": round(float(reserved_m2), 3),
                "let_modules": let,
                "let_m2": _m2(let, module),
                "free_modules": free - let,
                "share_let": share(let, grid.n_cells),
                "booths": len(here),
                "booths_by_tier": _by_tier(tiers, (by_id[b.exhibitor_id].tier for b in here)),
            }
        )

    zones: list[dict[str, Any]] = []
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
            {
                "zone": z.id,
                "name_ko": z.name_ko,
                "name_en": z.name_en,
                "members": len(members),
                "placed": len(placed),
                "unplaced": len(left),
                "placed_modules": placed_modules,
                "placed_m2": _m2(placed_modules, module),
                "unplaced_modules": left_modules,
                "unplaced_m2": _m2(left_modules, module),
                "area_halls": list(dict.fromkeys(problem.slots[k].hall for k in sorted(blocks))),
                "area_modules": area,
                "area_m2": _m2(area, module),
                "area_let_modules": area_let,
                "area_let_m2": _m2(area_let, module),
                "share_let": share(area_let, area),
            }
        )

    usable = sum(h["usable_modules"] for h in halls)
    let = sum(h["let_modules"] for h in halls)
    left_modules = sum(e.modules for e in unplaced)
    requested = sum(e.modules for e in event.exhibitors)
    placed_tiers = Counter(by_id[b.exhibitor_id].tier for b in booths)
    left_tiers = Counter(e.tier for e in unplaced)
    left_tier_modules: Counter[str] = Counter()
    for e in unplaced:
        left_tier_modules[e.tier] += e.modules
    total = {
        "usable_modules": usable,
        "usable_m2": _m2(usable, module),
        "reserved_modules": sum(h["reserved_modules"] for h in halls),
        "reserved_m2": round(float(sum(h["reserved_m2"] for h in halls)), 3),
        "let_modules": let,
        "let_m2": _m2(let, module),
        "free_modules": sum(h["free_modules"] for h in halls),
        "share_let": share(let, usable),
        "booths": len(booths),
        "booths_by_tier": _by_tier(tiers, (by_id[b.exhibitor_id].tier for b in booths)),
        "exhibitors": len(event.exhibitors),
        "placed": len(booths),
        "unplaced": len(unplaced),
        "by_tier": {
            t: {
                "placed": placed_tiers[t],
                "unplaced": left_tiers[t],
                "unplaced_modules": left_tier_modules[t],
            }
            for t in tiers
        },
        "requested_modules": requested,
        "requested_m2": _m2(requested, module),
        "unplaced_modules": left_modules,
        "unplaced_m2": _m2(left_modules, module),
    }
    return {"module_m": module, "halls": halls, "zones": zones, "total": total}


def utilization_of(doc: dict[str, Any]) -> dict[str, Any] | None:
    """Return an assignment's ``utilization``, or ``None`` for a file written before it existed.

    Examples
    --------
    >>> utilization_of({"halls": []}) is None
    True
    """
    found = doc.get("utilization")
    return found if isinstance(found, dict) else None


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


def hall_line(hall: dict[str, Any]) -> str:
    """Return one hall's utilization in a short line, as the plan's legend shows it.

    Examples
    --------
    >>> hall_line({"hall": "B2", "let_m2": 1233.0, "usable_m2": 1620.0, "share_let": 0.7611,
    ...     "booths": 88})
    'B2: 1,233 of 1,620 m² let (76%) · 88 booths'
    """
    booths = hall.get("booths")
    return (
        f"{hall.get('hall', '?')}: {_num(hall.get('let_m2'))} of {_num(hall.get('usable_m2'))} m² "
        f"let ({percent(hall.get('share_let'))}) · {_num(booths)} booth{'s' * (booths != 1)}"
    )


def zone_line(zone: dict[str, Any]) -> str:
    """Return one zone's utilization in a short line, as the plan's legend shows it.

    The m² are those of the zone's area: let to booths, of all its free floor.

    Examples
    --------
    >>> zone_line({"zone": "scs", "name_en": "Smart City Seoul Zone", "placed": 24,
    ...     "members": 25, "area_let_m2": 2700.0, "area_m2": 2916.0, "share_let": 0.9259})
    'Smart City Seoul Zone: 24 of 25 placed · 2,700 of 2,916 m² let (93%)'
    """
    name = zone.get("name_en") or zone.get("name_ko") or zone.get("zone", "?")
    return (
        f"{name}: {_num(zone.get('placed'))} of {_num(zone.get('members'))} placed · "
        f"{_num(zone.get('area_let_m2'))} of {_num(zone.get('area_m2'))} m² let "
        f"({percent(zone.get('share_let'))})"
    )


def summary_lines(util: dict[str, Any]) -> list[str]:
    """Return the utilization as lines for the run's printed summary.

    One line per hall, one per zone, then the event's totals and the demand left out by tier.

    Examples
    --------
    >>> util = {"halls": [{"hall": "B2", "let_m2": 27.0, "usable_m2": 1620.0,
    ...     "share_let": 0.0167, "booths": 2, "let_modules": 3, "usable_modules": 180,
    ...     "reserved_m2": 0.0}], "zones": [], "total": {"let_m2": 27.0, "usable_m2": 1620.0,
    ...     "share_let": 0.0167, "booths": 2, "placed": 2, "unplaced": 1, "exhibitors": 3,
    ...     "unplaced_modules": 60, "unplaced_m2": 540.0,
    ...     "by_tier": {"gold": {"placed": 1, "unplaced": 0}, "standard": {"placed": 1,
    ...     "unplaced": 1}}}}
    >>> print("\\n".join(summary_lines(util)))
    utilization B2: 27 of 1,620 m² let (2%), 3 of 180 modules · 2 booths
    utilization all halls: 27 of 1,620 m² let (2%) · 2 booths
    exhibitors: 2 placed, 1 unplaced of 3 (gold 1/0, standard 1/1 placed/unplaced)
    unplaced demand: 60 modules (540 m²)
    """
    lines: list[str] = []
    for h in util.get("halls", []):
        reserved = h.get("reserved_m2") or 0
        extra = f", {_num(reserved)} m² reserved" if reserved else ""
        lines.append(
            f"utilization {h.get('hall', '?')}: {_num(h.get('let_m2'))} of "
            f"{_num(h.get('usable_m2'))} m² let ({percent(h.get('share_let'))}), "
            f"{_num(h.get('let_modules'))} of {_num(h.get('usable_modules'))} modules{extra} · "
            f"{_num(h.get('booths'))} booths"
        )
    for z in util.get("zones", []):
        left = z.get("unplaced_modules") or 0
        asked = f"; {_num(left)} modules asked by those left out" if left else ""
        lines.append(f"utilization zone {zone_line(z)}{asked}")
    t = util.get("total") or {}
    if t:
        lines.append(
            f"utilization all halls: {_num(t.get('let_m2'))} of {_num(t.get('usable_m2'))} m² "
            f"let ({percent(t.get('share_let'))}) · {_num(t.get('booths'))} booths"
        )
        tiers = ", ".join(
            f"{tier} {_num(v.get('placed'))}/{_num(v.get('unplaced'))}"
            for tier, v in (t.get("by_tier") or {}).items()
            if v.get("placed") or v.get("unplaced")
        )
        lines.append(
            f"exhibitors: {_num(t.get('placed'))} placed, {_num(t.get('unplaced'))} unplaced of "
            f"{_num(t.get('exhibitors'))}" + (f" ({tiers} placed/unplaced)" if tiers else "")
        )
        lines.append(
            f"unplaced demand: {_num(t.get('unplaced_modules'))} modules "
            f"({_num(t.get('unplaced_m2'))} m²)"
        )
    return lines
