"""Tiny events for the solver tests: two small halls, written as real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from boothopt.inputs.domain import Event
from boothopt.inputs.event_file import load_event

# Two 40 m x 27 m halls side by side: 40 cells each, two blocks of 10 x 2 modules.
# P's floor bears 1 t/m², Q's 3 t/m²; entrances on the north wall, exits east and west.
VENUE = """schema: boothopt.venue/1
id: tiny
halls:
  - id: P
    rect: {origin: [0, 0], size: [40, 27]}
    floor_load_t_m2: 1.0
    ceiling_height_m: 6
    entrances: [{id: P-E1, at: [20, 27], width_m: 4}]
    exits: [{id: P-X1, at: [0, 13.5], width_m: 2}, {id: P-X2, at: [40, 13.5], width_m: 2}]
  - id: Q
    rect: {origin: [50, 0], size: [40, 27]}
    floor_load_t_m2: 3.0
    ceiling_height_m: 12
    entrances: [{id: Q-E1, at: [70, 27], width_m: 4}]
    exits: [{id: Q-X1, at: [50, 13.5], width_m: 2}, {id: Q-X2, at: [90, 13.5], width_m: 2}]
"""

HEADER = (
    "id,name_en,kind,category,modules,shape,rotatable,booth_type,tier,priority_points,zone,"
    "halls,near,avoid,load_t_m2"
)


def write_event(tmp_path: Path, rows: list[str], halls: str = "[P]", extra: str = "") -> Path:
    """Write the tiny venue, an event renting ``halls`` and a CSV of ``rows``; return the event."""
    (tmp_path / "venue.yaml").write_text(VENUE, encoding="utf-8")
    (tmp_path / "ex.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    event = tmp_path / "event.yaml"
    event.write_text(
        f"schema: boothopt.event/1\nname: Tiny\nvenue: venue.yaml\nhalls: {halls}\n"
        f"exhibitors: [ex.csv]\n{extra}",
        encoding="utf-8",
    )
    return event


def row(
    ident: str,
    modules: int = 1,
    *,
    tier: str = "standard",
    points: int = 0,
    shape: str = "",
    rotatable: str = "",
    booth_type: str = "",
    zone: str = "",
    halls: str = "",
    near: str = "",
    avoid: str = "",
    load: str = "",
    kind: str = "company",
    category: str = "",
) -> str:
    """Return one exhibitor row for the tiny event's CSV."""
    return (
        f"{ident},{ident.title()},{kind},{category},{modules},{shape},{rotatable},"
        f"{booth_type},{tier},{points},{zone},{halls},{near},{avoid},{load}"
    )


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """Return the folder the tiny event files go into."""
    return tmp_path


def load(path: Path) -> Event:
    """Load an event file."""
    return load_event(path)
