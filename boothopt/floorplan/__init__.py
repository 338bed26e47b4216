"""Venue geometry: halls, doors, obstacles, the booth grid and the aisle graph."""

from __future__ import annotations

from boothopt.floorplan.grid import AisleScheme, Block, BlockedArea, HallGrid, build_grid
from boothopt.floorplan.rules import Breach, FireRules, check_grid
from boothopt.floorplan.venue import Figure, Hall, Obstacle, Opening, UtilityPoint, Venue
from boothopt.floorplan.venue_file import builtin_venues, load_venue, parse_venue

__all__ = [
    "AisleScheme",
    "Block",
    "BlockedArea",
    "Breach",
    "Figure",
    "FireRules",
    "Hall",
    "HallGrid",
    "Obstacle",
    "Opening",
    "UtilityPoint",
    "Venue",
    "build_grid",
    "builtin_venues",
    "check_grid",
    "load_venue",
    "parse_venue",
]
