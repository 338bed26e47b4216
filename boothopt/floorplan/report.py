"""Figures a floor manager reads about a hall: areas, capacity, walking distances, breaches."""

from __future__ import annotations

from dataclasses import dataclass

from boothopt.floorplan.grid import AisleScheme, HallGrid, build_grid
from boothopt.floorplan.rules import Breach, FireRules, check_grid
from boothopt.floorplan.venue import Figure, Venue


@dataclass(frozen=True)
class HallReport:
    """One hall laid out with one aisle scheme, summed up."""

    grid: HallGrid
    breaches: tuple[Breach, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready data (the `venues show --json` entry)."""
        h, g = self.grid.hall, self.grid
        return {
            "id": h.id,
            "name": h.name,
            "name_ko": h.name_ko,
            "level": h.level,
            "parts": list(h.parts),
            "area_m2": round(h.area_m2, 1),
            "usable_m2": round(g.usable_m2, 1),
            "cells": g.n_cells,
            "module_m": g.module_m,
            "booth_capacity": g.booth_capacity(),
            "aisle_length_m": round(g.aisle_length_m, 1),
            "max_exit_walk_m": round(g.max_exit_walk_m, 1) if g.n_cells else None,
            "entrances": len(h.entrances),
            "exits": len(h.exits),
            "obstacles": len(h.obstacles),
            "ceiling_height_m": _figure(h.ceiling_height_m),
            "floor_load_t_m2": _figure(h.floor_load_t_m2),
            "estimated": h.estimated,
            "note": h.note,
            "breaches": [b.as_dict() for b in self.breaches],
        }


def _figure(f: Figure | None) -> dict[str, object] | None:
    return None if f is None else {"value": f.value, "estimated": f.estimated}


def hall_reports(
    venue: Venue,
    hall_ids: list[str] | None = None,
    scheme: AisleScheme | None = None,
    rules: FireRules | None = None,
) -> list[HallReport]:
    """Lay out each hall (all of them, joined halls included, when ``hall_ids`` is None)."""
    out = []
    for hall_id in hall_ids or venue.hall_ids():
        grid = build_grid(venue.hall(hall_id), scheme)
        out.append(HallReport(grid, tuple(check_grid(grid, rules))))
    return out
