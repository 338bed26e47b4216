"""Venues and halls: the plain, immutable geometry every other layer reads.

Coordinates are metres in a venue-local frame (x east, y north). Objects here are built by
:mod:`boothopt.floorplan.venue_file` from a checked file and never change afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import LineString, Polygon

from boothopt.errors import InputError


@dataclass(frozen=True)
class Figure:
    """A number about a hall with a flag saying whether it is measured or estimated."""

    value: float
    estimated: bool = False
    note: str = ""


@dataclass(frozen=True)
class Obstacle:
    """Something booths cannot stand on: a column, a service core, a fixed stage."""

    kind: str
    polygon: Polygon
    id: str = ""


@dataclass(frozen=True)
class Opening:
    """An entrance or an emergency exit: a door of some width centred on the hall outline."""

    id: str
    kind: str  # "entrance" or "exit"
    at: tuple[float, float]
    width_m: float
    door: LineString
    inward: tuple[float, float]  # unit vector pointing into the hall

    def front_zone(self, depth_m: float, margin_m: float = 0.0) -> Polygon:
        """Return the rectangle in front of the door, ``margin_m`` wider on each side."""
        (x0, y0), (x1, y1) = self.door.coords
        length = self.door.length or 1.0
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        nx, ny = self.inward
        ax, ay = x0 - ux * margin_m, y0 - uy * margin_m
        bx, by = x1 + ux * margin_m, y1 + uy * margin_m
        return Polygon(
            [
                (ax, ay),
                (bx, by),
                (bx + nx * depth_m, by + ny * depth_m),
                (ax + nx * depth_m, ay + ny * depth_m),
            ]
        )


@dataclass(frozen=True)
class UtilityPoint:
    """A floor pit or wall point giving power, water, data or compressed air."""

    kind: str
    at: tuple[float, float]


@dataclass(frozen=True)
class Hall:
    """One exhibition hall: an outline with what stands in it and the doors in its walls."""

    id: str
    name: str
    name_ko: str
    level: str
    outline: Polygon
    obstacles: tuple[Obstacle, ...] = ()
    entrances: tuple[Opening, ...] = ()
    exits: tuple[Opening, ...] = ()
    hydrants: tuple[tuple[float, float], ...] = ()
    utilities: tuple[UtilityPoint, ...] = ()
    ceiling_height_m: Figure | None = None
    floor_load_t_m2: Figure | None = None
    estimated: bool = False
    note: str = ""
    published_area_m2: float | None = None
    parts: tuple[str, ...] = ()  # the halls this one joins, e.g. ("B1", "B2")
    joinable_with: tuple[str, ...] = ()

    @property
    def area_m2(self) -> float:
        """Return the floor area inside the outline, obstacles included."""
        return float(self.outline.area)

    @property
    def openings(self) -> tuple[Opening, ...]:
        """Return entrances and exits together."""
        return self.entrances + self.exits


@dataclass(frozen=True)
class GeoAnchor:
    """Where a venue lies on the earth: the WGS84 position of one venue point and the bearing.

    ``origin`` is the venue point (metres, local frame) that stands at ``lon``/``lat``;
    ``bearing_deg`` is the direction of the venue's +y axis in degrees clockwise from true north
    (0 when the drawing's y axis points north, 90 when it points east).
    """

    lon: float
    lat: float
    bearing_deg: float = 0.0
    origin: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Venue:
    """A set of halls, possibly on several levels, and the ways they can be joined."""

    id: str
    name: str
    name_ko: str
    halls: tuple[Hall, ...]
    joined: tuple[Hall, ...] = ()
    anchor: GeoAnchor | None = None  # where the venue lies on the earth, when known
    note: str = ""
    parameters: dict[str, object] = field(default_factory=dict)

    def hall_ids(self, include_joined: bool = True) -> list[str]:
        """Return the ids of the halls, joined halls (like B = B1 + B2) after their parts."""
        ids = [h.id for h in self.halls]
        if include_joined:
            ids += [h.id for h in self.joined]
        return ids

    def hall(self, hall_id: str) -> Hall:
        """Return the hall (or joined hall) with this id.

        Raises
        ------
        InputError
            With a message listing the halls the venue has.
        """
        for h in self.halls + self.joined:
            if h.id == hall_id:
                return h
        raise InputError(
            f"venue {self.id}: no hall {hall_id!r} — use one of " + ", ".join(self.hall_ids())
        )

    @property
    def area_m2(self) -> float:
        """Return the summed area of the (unjoined) halls."""
        return sum(h.area_m2 for h in self.halls)
