"""Expand a venue file's ``generate:`` block into ordinary halls.

A venue still on the drawing board (the Jamsil sports-MICE complex) is described by planning figures
— total exhibition area, halls per level, hall depth, column spacing, floor load — rather than by
drawings. This module turns those figures into the same hall entries a drawn venue has, so every
check and every later layer treats both alike, and a planner changes a figure, not a polygon.
"""

from __future__ import annotations

import copy
import math
from typing import Any

LEVEL_DEFAULTS: dict[str, Any] = {
    "share": None,  # of exhibition_m2; None = an equal share among the levels
    "halls": 4,
    "depth_m": 84.0,
    "gap_m": 0.0,  # between neighbouring halls; 0 = they share a movable wall
    "column_spacing_m": 0.0,  # 0 = column-free
    "column_size_m": 1.2,
    "floor_load_t_m2": None,
    "ceiling_height_m": None,
    "entrances_per_hall": 2,
    "entrance_width_m": 8.0,
    "exit_width_m": 2.4,
    "exit_spacing_m": 30.0,
    "utility_spacing_m": 9.0,
    "y_m": 0.0,
    "note": "",
}


def expand_generated_halls(raw: dict[str, Any]) -> dict[str, Any]:
    """Return ``raw`` with its ``generate`` block replaced by the halls it describes.

    Raises
    ------
    ValueError
        When a planning figure is missing or out of range; the message names it.

    Examples
    --------
    >>> v = expand_generated_halls({"generate": {"kind": "hall-row", "exhibition_m2": 20000,
    ...     "levels": [{"level": "1F", "halls": 2, "depth_m": 100}]}})
    >>> [h["id"] for h in v["halls"]], v["halls"][0]["rect"]["size"]
    (['1A', '1B'], [100.0, 100.0])
    """
    gen = raw.get("generate")
    if gen is None:
        return raw
    if not isinstance(gen, dict) or gen.get("kind") != "hall-row":
        raise ValueError("generate.kind must be 'hall-row' (halls side by side on each level)")
    total = gen.get("exhibition_m2")
    if not isinstance(total, int | float) or total <= 0:
        raise ValueError("generate.exhibition_m2 must be a positive area in m²")
    levels = gen.get("levels")
    if not isinstance(levels, list) or not levels:
        raise ValueError("generate.levels must list at least one level")
    out = copy.deepcopy(raw)
    del out["generate"]
    halls = list(out.get("halls") or [])
    estimated = bool(gen.get("estimated", True))
    for n, spec in enumerate(levels, start=1):
        if not isinstance(spec, dict):
            raise ValueError(f"generate.levels[{n - 1}] must be a mapping")
        unknown = set(spec) - set(LEVEL_DEFAULTS) - {"level", "prefix"}
        if unknown:
            raise ValueError(
                f"generate.levels[{n - 1}]: unknown figure {sorted(unknown)[0]!r} "
                f"— known: {', '.join(sorted(LEVEL_DEFAULTS))}"
            )
        p = {**LEVEL_DEFAULTS, **spec}
        share = _positive(p, "share") if p["share"] is not None else 1.0 / len(levels)
        halls += _level_halls(
            str(p.get("level", n)), str(p.get("prefix", n)), total * share, p, estimated
        )
    out["halls"] = halls
    return out


def _positive(p: dict[str, Any], key: str) -> float:
    value = p[key]
    if not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"generate: level {p.get('level')}: {key} must be a positive number")
    return float(value)


def _level_halls(
    level: str, prefix: str, area: float, p: dict[str, Any], estimated: bool
) -> list[dict[str, Any]]:
    n = int(_positive(p, "halls"))
    depth = _positive(p, "depth_m")
    width = round(area / n / depth, 2)
    gap = float(p["gap_m"])
    out = []
    for i in range(n):
        x0 = i * (width + gap)
        y0 = float(p["y_m"])
        hall: dict[str, Any] = {
            "id": f"{prefix}{chr(ord('A') + i)}",
            "name": f"Hall {prefix}{chr(ord('A') + i)}",
            "level": level,
            "rect": {"origin": [x0, y0], "size": [width, depth]},
            "estimated": estimated,
            "note": p["note"] or "generated from planning figures",
            "entrances": _doors_on_wall(
                x0, y0, width, "south", int(p["entrances_per_hall"]), float(p["entrance_width_m"])
            ),
            "exits": _exits(x0, y0, width, depth, p),
        }
        if p["column_spacing_m"]:
            s = float(p["column_spacing_m"])
            hall["columns"] = {
                "spacing_m": [s, s],
                "size_m": float(p["column_size_m"]),
                "estimated": estimated,
            }
        for key in ("floor_load_t_m2", "ceiling_height_m"):
            if p[key] is not None:
                hall[key] = {"value": float(p[key]), "estimated": estimated}
        if p["utility_spacing_m"]:
            hall["utility_grid"] = {
                "spacing_m": float(p["utility_spacing_m"]),
                "kinds": ["power", "data"],
                "estimated": estimated,
            }
        out.append(hall)
    return out


def _doors_on_wall(
    x0: float, y0: float, width: float, wall: str, count: int, door_w: float
) -> list[dict[str, Any]]:
    assert wall == "south"
    return [
        {"at": [round(x0 + (k + 0.5) * width / count, 3), y0], "width_m": door_w}
        for k in range(count)
    ]


def _exits(x0: float, y0: float, width: float, depth: float, p: dict[str, Any]) -> list[Any]:
    spacing = _positive(p, "exit_spacing_m")
    w = float(p["exit_width_m"])
    doors: list[dict[str, Any]] = []
    n_long = max(1, math.ceil(width / spacing))
    n_short = max(1, math.ceil(depth / spacing))
    n_front = max(1, int(p["entrances_per_hall"]))
    for k in range(n_long):  # north wall
        doors.append({"at": [round(x0 + (k + 0.5) * width / n_long, 3), y0 + depth], "width_m": w})
    for k in range(n_short):  # west and east walls
        y = round(y0 + (k + 0.5) * depth / n_short, 3)
        doors.append({"at": [x0, y], "width_m": w})
        doors.append({"at": [x0 + width, y], "width_m": w})
    for k in range(1, n_front):  # south wall, between the entrances
        doors.append({"at": [round(x0 + k * width / n_front, 3), y0], "width_m": w})
    return doors
