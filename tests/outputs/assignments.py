"""Assignments made or changed by the outputs' tests, always through the file's contract.

A test that needs an assignment no allocation gives (a hand edit, a hostile name, a tiny hall)
writes it as the file's content and reads it back with :func:`boothopt.contract.parse_assignment`,
so every renderer is tested on what it is given in use: a checked, frozen
:class:`~boothopt.contract.Assignment`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from boothopt.contract import SCHEMA, Assignment, assignment_data, parse_assignment


def content(**fields: Any) -> Assignment:
    """Return the assignment whose file holds ``fields`` (the schema added), checked."""
    return parse_assignment({"schema": SCHEMA, **fields})


def edited(doc: Assignment, edit: Callable[[dict[str, Any]], None]) -> Assignment:
    """Return ``doc`` with its file's content changed by ``edit``, read back as a file is."""
    data = assignment_data(doc)
    edit(data)
    return parse_assignment(data)


def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """Return the closed ring of a rectangle, as the file writes polygons."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def booth(no: str, hall: str, ring: list[list[float]], **fields: Any) -> dict[str, Any]:
    """Return a booth as the file holds it on ``ring`` (a rectangle), in 3 m modules."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    w, d = max(xs) - min(xs), max(ys) - min(ys)
    return {
        "booth_no": no,
        "hall": hall,
        "exhibitor_id": no.lower(),
        "polygon": ring,
        "area_m2": w * d,
        "modules": max(1, round(w * d / 9)),
        "size_m": [w, d],
        "open_sides": 1,
        **fields,
    }
