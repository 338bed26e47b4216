"""The checked event as the solver sees it: plain, immutable objects, no pydantic, no files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from boothopt.floorplan import AisleScheme, Venue


class Kind(StrEnum):
    """Who an exhibitor is."""

    CITY = "city"
    COMPANY = "company"
    INSTITUTION = "institution"
    GOVERNMENT = "government"


class BoothType(StrEnum):
    """A booth type, named by how many sides face an aisle."""

    INLINE = "inline"
    CORNER = "corner"
    PENINSULA = "peninsula"
    ISLAND = "island"
    ANY = "any"

    @property
    def open_sides(self) -> int:
        """Return the number of open sides the type asks for (0 for any)."""
        return {"inline": 1, "corner": 2, "peninsula": 3, "island": 4, "any": 0}[self.value]


DEFAULT_TIERS = ("platinum", "gold", "silver", "standard")


@dataclass(frozen=True)
class Needs:
    """What an exhibit needs from the floor; zero means no need."""

    power_kw: float = 0.0
    load_t_m2: float = 0.0
    height_m: float = 0.0


@dataclass(frozen=True)
class Exhibitor:
    """One checked exhibitor request."""

    id: str
    name_ko: str
    name_en: str
    kind: Kind
    country: str
    category: str
    modules: int
    tier: str
    shape: tuple[int, int] | None = None  # modules along x, along y (as requested)
    rotatable: bool = True
    booth_type: BoothType = BoothType.ANY
    priority_points: float = 0.0
    applied_on: dt.date | None = None
    zone: str | None = None
    halls: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    avoid: tuple[tuple[str, float], ...] = ()
    needs: Needs = field(default_factory=Needs)
    source: str = ""  # file:row, for messages


@dataclass(frozen=True)
class ZoneRule:
    """Who belongs to a zone when the exhibitor table does not say: by kind, category or id."""

    kinds: tuple[Kind, ...] = ()
    categories: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    def matches(self, kind: Kind, category: str, exhibitor_id: str) -> bool:
        """Return True when an exhibitor of this kind, category and id belongs."""
        return (
            kind in self.kinds
            or (bool(category) and category.casefold() in {c.casefold() for c in self.categories})
            or exhibitor_id in self.ids
        )


@dataclass(frozen=True)
class Zone:
    """An area gathering its members: the Smart City Seoul Zone, a pavilion, a themed area."""

    id: str
    name_ko: str
    name_en: str
    rule: ZoneRule = field(default_factory=ZoneRule)
    contiguous: bool = True
    hall: str | None = None
    near_entrance: str | None = None


@dataclass(frozen=True)
class ReservedArea:
    """Floor kept for the event itself: the awards stage, the forum theatre, lounges, desks."""

    id: str
    kind: str  # stage, theatre, lounge, info, other
    name_ko: str
    name_en: str
    size_m: tuple[float, float]
    hall: str
    at: tuple[float, float] | None = None  # lower-left corner in venue metres, when fixed


@dataclass(frozen=True)
class Weights:
    """How much each soft goal counts in the allocation objective."""

    location: float = 10.0
    preferred_hall: float = 5.0
    partners: float = 3.0
    booth_type: float = 2.0
    zone_compact: float = 1.0
    placed: float = 100.0


@dataclass(frozen=True)
class Event:
    """A checked event: where, with which halls and rules, and who exhibits."""

    name: str
    name_ko: str
    venue: Venue
    halls: tuple[str, ...]
    scheme: AisleScheme
    zones: tuple[Zone, ...]
    reserved: tuple[ReservedArea, ...]
    exhibitors: tuple[Exhibitor, ...]
    tiers: tuple[str, ...] = DEFAULT_TIERS
    weights: Weights = field(default_factory=Weights)
    competitor_distance_m: float = 9.0
    warnings: tuple[str, ...] = ()
    source: str = ""

    def tier_rank(self, tier: str) -> int:
        """Return 0 for the best tier, 1 for the next, and so on."""
        return self.tiers.index(tier)

    @property
    def requested_modules(self) -> int:
        """Return the modules all exhibitors asked for."""
        return sum(e.modules for e in self.exhibitors)
