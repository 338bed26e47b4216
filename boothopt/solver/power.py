"""Power: an exhibitor that needs it stands within cable reach of one of its hall's power points.

The reach is the event's ``power_reach_m``, measured edge to edge from the booth rectangle to the
point. Only the points of the booth's own hall count: halls one above the other share venue
coordinates, not floor boxes. When none of the halls an exhibitor may stand in has a power point
at all, the need cannot be met by placing; the exhibitor is placed as usual and the need is
reported as a conflict (:func:`unmet_power_needs`), not turned into a reason to leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from boothopt.inputs.domain import Exhibitor

if TYPE_CHECKING:
    from boothopt.solver.problem import Problem

POWER = "power"
# Candidates x points compared at once; bounds the temporary arrays on large halls (Jamsil's
# groups have tens of thousands of candidates, its halls hundreds of floor boxes).
_CHUNK = 1 << 20


def power_points(problem: Problem, hall: str) -> np.ndarray:
    """Return the power points of a rented hall as an (m, 2) array of venue metres."""
    pts = [u.at for u in problem.grids[hall].hall.utilities if u.kind == POWER]
    return np.array(pts, dtype=float).reshape(-1, 2)


def powered_halls(problem: Problem, halls: Iterable[str]) -> list[str]:
    """Return those of ``halls`` that have at least one power point."""
    return [h for h in halls if len(power_points(problem, h))]


def within_power_reach(
    problem: Problem,
    e: Exhibitor,
    slots: np.ndarray,
    boxes: np.ndarray,
    halls: Iterable[str] | None = None,
) -> np.ndarray:
    """Return which candidate booths meet the exhibitor's power need, as a boolean mask.

    Parameters
    ----------
    problem
        The allocation problem; its event gives the reach.
    e
        The exhibitor; every candidate meets a need of 0 kW.
    slots
        The candidates' slot indices, shape (n,).
    boxes
        The candidates' venue boxes (x0, y0, x1, y1), shape (n, 4).
    halls
        The halls the exhibitor may stand in (default: the candidates' halls). When none of them
        has a power point, every candidate is kept: the need is a conflict, not a reason.
    """
    slots = np.asarray(slots, dtype=int)
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    keep = np.ones(len(slots), dtype=bool)
    if e.needs.power_kw <= 0 or not len(slots):
        return keep
    hall_of = np.array([problem.slots[k].hall for k in slots])
    if not powered_halls(problem, sorted(set(halls) if halls is not None else set(hall_of))):
        return keep
    reach = problem.event.power_reach_m
    keep[:] = False
    for hall in sorted(set(hall_of)):
        pts = power_points(problem, hall)
        if not len(pts):
            continue  # a hall without power among halls with power: stand where the power is
        rows = np.nonzero(hall_of == hall)[0]
        step = max(1, _CHUNK // len(pts))
        for start in range(0, len(rows), step):
            idx = rows[start : start + step]
            keep[idx] = _near_any(boxes[idx], pts, reach)
    return keep


def _near_any(boxes: np.ndarray, pts: np.ndarray, reach: float) -> np.ndarray:
    """Return which boxes (n, 4) have a point of ``pts`` (m, 2) within ``reach``, edge to edge."""
    px, py = pts[None, :, 0], pts[None, :, 1]
    dx = np.maximum(0.0, np.maximum(boxes[:, None, 0] - px, px - boxes[:, None, 2]))
    dy = np.maximum(0.0, np.maximum(boxes[:, None, 1] - py, py - boxes[:, None, 3]))
    return np.asarray((dx * dx + dy * dy <= reach * reach + 1e-9).any(axis=1))


def unmet_power_needs(problem: Problem) -> list[str]:
    """Return a conflict line for each set of halls without power where exhibitors needing it go.

    Exhibitors are grouped by the halls they may stand in, so a venue file with no utilities at
    all gives one line per hall set, not one per exhibitor.
    """
    # The one rule of where an exhibitor may stand lives with the candidates, which import this.
    from boothopt.solver.candidates import _allowed_slots

    unmet: dict[tuple[str, ...], list[Exhibitor]] = {}
    # Where an exhibitor may stand depends on its zone, load and height only.
    halls_of: dict[tuple[object, ...], tuple[str, ...]] = {}
    for e in problem.exhibitors:
        if e.needs.power_kw <= 0:
            continue
        key = (e.zone, e.needs.load_t_m2, e.needs.height_m)
        if key not in halls_of:
            slots, _ = _allowed_slots(problem, e)
            halls_of[key] = tuple(sorted({s.hall for s in slots}, key=problem.event.halls.index))
        halls = halls_of[key]
        if halls and not powered_halls(problem, halls):
            unmet.setdefault(halls, []).append(e)
    lines = []
    for halls, members in unmet.items():
        where = f"hall {halls[0]} has" if len(halls) == 1 else f"halls {', '.join(halls)} have"
        if len(members) == 1:
            e = members[0]
            who = f"exhibitor {e.id} needs {e.needs.power_kw:g} kW of power"
        else:
            names = ", ".join(e.id for e in members[:5])
            more = f" and {len(members) - 5} more" if len(members) > 5 else ""
            kw = sorted({e.needs.power_kw for e in members})
            need = f"{kw[0]:g} kW" if len(kw) == 1 else f"{kw[0]:g}–{kw[-1]:g} kW"
            who = f"exhibitors {names}{more} need power ({need})"
        lines.append(
            f"{who} but {where} no power point — add `utilities:` or `utility_grid:` to the "
            "venue, or bring a generator"
        )
    return lines
