"""The checked event as the solver sees it: plain, immutable objects, no pydantic, no files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from boothopt.floorplan import AisleScheme, Breach, Venue


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

    @property
    def rule(self) -> str:
        """Return where on the rows a booth of this type can stand, in a floor manager's words."""
        return {
            "inline": "an inline booth opens on one side only, so it stands shallower than "
            "its row and away from the row's ends",
            "corner": "a corner booth opens on two sides, at a row's end or through the row's "
            "whole depth",
            "peninsula": "a peninsula spans its row's depth and opens on one end",
            "island": "an island spans its row's depth and opens on both ends",
            "any": "any booth faces an aisle",
        }[self.value]


def open_side_counts(along: int, deep: int, block_along: int, block_deep: int) -> frozenset[int]:
    """Return the numbers of open sides a booth ``along`` x ``deep`` modules can have in a block.

    Only the sides on the block's edge face aisles. A booth spanning the block's depth can open
    an end more by keeping the module row beside it free: a new cross aisle.

    Examples
    --------
    >>> sorted(open_side_counts(1, 1, 10, 2)), sorted(open_side_counts(2, 2, 10, 2))
    ([1, 2], [2, 3, 4])
    >>> sorted(open_side_counts(1, 3, 10, 2))
    []
    """
    if along > block_along or deep > block_deep:
        return frozenset()
    ends = {2} if along == block_along else {1} if along == block_along - 1 else {0, 1}
    if deep == block_deep:
        return frozenset(range(2 + min(ends), 5))
    long_sides = {0, 1} if block_deep - deep >= 2 else {1}
    return frozenset(a + b for a in long_sides for b in ends)


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
    booth_type_or_better: bool = False  # "corner+": this type or one with more open sides
    priority_points: float = 0.0
    applied_on: dt.date | None = None
    zone: str | None = None
    halls: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    avoid: tuple[tuple[str, float], ...] = ()
    needs: Needs = field(default_factory=Needs)
    source: str = ""  # file:row, for messages
    # A booth fixed before the draw, as written: a booth number of an earlier plan (C-214) or
    # a position, hall@x,y with the size in modules (C@120,45 2x1); "" for none.
    booth: str = ""

    @property
    def booth_type_label(self) -> str:
        """Return the booth type as written in a table: ``corner``, or ``corner+`` for or better."""
        return self.booth_type.value + ("+" if self.booth_type_or_better else "")

    def open_sides_range(self, rows: bool) -> tuple[int, int]:
        """Return the fewest and the most open sides the booth may have.

        A type is exact: an inline booth given a corner gives away the corner's premium. On a
        floor of aisles (``rows``) every booth faces at least one.
        """
        asked = self.booth_type.open_sides
        fewest = max(int(rows), asked)
        more_ok = self.booth_type is BoothType.ANY or self.booth_type_or_better
        return fewest, 4 if more_ok else asked

    @property
    def sides_bonus_from(self) -> int | None:
        """Return the open sides beyond which each extra side is a bonus, None when none is."""
        if self.booth_type is BoothType.ANY:
            return 1
        return self.booth_type.open_sides if self.booth_type_or_better else None


# Booths longer than this many times their depth look like corridors; they are only offered when
# no squarer shape exists (a 5-module booth is 5 x 1 or nothing).
MAX_ASPECT = 4


def booth_shapes_in(e: Exhibitor, axis_x: bool, n_along: int, n_deep: int) -> list[tuple[int, int]]:
    """Return the (along, deep) shapes ``e`` may take in a block ``n_along`` x ``n_deep`` modules.

    ``axis_x`` is True when the block's rows run along the venue's x axis: a requested shape,
    written as modules along x by along y, is turned to the block's (along, deep).

    Examples
    --------
    >>> e = Exhibitor("co-1", "가", "A", Kind.COMPANY, "KR", "", 12, "gold")
    >>> booth_shapes_in(e, True, 10, 2), booth_shapes_in(e, True, 10, 6)
    ([(6, 2)], [(2, 6), (3, 4), (4, 3), (6, 2)])
    >>> from dataclasses import replace
    >>> fixed = replace(e, shape=(3, 4), rotatable=False)
    >>> booth_shapes_in(fixed, True, 10, 6), booth_shapes_in(fixed, False, 10, 6)
    ([(3, 4)], [(4, 3)])
    """
    if e.shape is not None:
        a, b = e.shape  # along x, along y
        fixed = (a, b) if axis_x else (b, a)
        shapes = {fixed, fixed[::-1]} if e.rotatable else {fixed}
    else:
        pairs = [(w, e.modules // w) for w in range(1, e.modules + 1) if e.modules % w == 0]
        squarish = [p for p in pairs if max(p) <= MAX_ASPECT * min(p)]
        shapes = set(squarish or pairs)
    return sorted(s for s in shapes if s[0] <= n_along and s[1] <= n_deep)


def forms_booth_type(
    e: Exhibitor,
    shapes: Iterable[tuple[int, int]],
    block_along: int,
    block_deep: int,
    rows: bool,
) -> bool:
    """Return True when one of the (along, deep) ``shapes`` gives ``e`` its type in the block."""
    fewest, most = e.open_sides_range(rows)
    return any(
        fewest <= n <= most
        for along, deep in shapes
        for n in open_side_counts(along, deep, block_along, block_deep)
    )


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


# How far, edge to edge, a booth needing power may stand from a power point. A floor box feeds a
# booth through a cable run laid under the carpet; a few metres is routine, longer runs cross
# aisles and neighbours' stands. 6 m reaches any 3 m booth on a full 9 m grid of boxes (COEX's:
# at worst 4.2 m, a booth centred between four boxes), so the rule bites where boxes are sparse.
DEFAULT_POWER_REACH_M = 6.0


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
    power_reach_m: float = DEFAULT_POWER_REACH_M
    warnings: tuple[str, ...] = ()
    source: str = ""
    # The fire-rule breaches of the event's own aisle scheme in each rented hall, each saying
    # what to change in the event file (empty when the layout keeps every rule).
    layout_breaches: tuple[Breach, ...] = ()
    # Rules no allocation can keep (a booth larger than any block, a zone larger than its
    # halls, competitors farther apart than the floor allows), each said once.
    impossible: tuple[str, ...] = ()
    # What a re-plan keeps in place whatever it costs: exhibitor ids, hall:ID, zone:ID.
    locks: tuple[str, ...] = ()
    # The show's first and last day, when the event file gives them.
    dates: tuple[dt.date, dt.date] | None = None

    def tier_rank(self, tier: str) -> int:
        """Return 0 for the best tier, 1 for the next, and so on."""
        return self.tiers.index(tier)

    @property
    def requested_modules(self) -> int:
        """Return the modules all exhibitors asked for."""
        return sum(e.modules for e in self.exhibitors)
