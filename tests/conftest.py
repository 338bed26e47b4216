"""Tiny venues shared by the tests."""

from __future__ import annotations

from typing import Any

import pytest

from boothopt.floorplan import Venue, parse_venue


def one_hall_venue(size: tuple[float, float] = (30, 21), **hall: Any) -> Venue:
    """Return a venue of one rectangular hall ``T`` with the given extra hall fields."""
    raw = {
        "schema": "boothopt.venue/1",
        "id": "tiny",
        "halls": [{"id": "T", "rect": {"origin": [0, 0], "size": list(size)}, **hall}],
    }
    return parse_venue(raw, "tiny.yaml")


@pytest.fixture
def small_hall_venue() -> Venue:
    """A 30 m x 21 m hall, entrance mid-west, exit mid-east (hand-computed distances)."""
    return one_hall_venue(
        entrances=[{"id": "T-E1", "at": [0, 10.5], "width_m": 3}],
        exits=[{"id": "T-X1", "at": [30, 10.5], "width_m": 2}],
    )
