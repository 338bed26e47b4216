"""Compare venues, hall sets and aisle schemes for the same exhibitors (`boothopt compare`).

A *layout* is a venue with the halls rented and an aisle scheme, written ``NAME=SPEC``::

    coex-AC=coex:A,C                    COEX Halls A and C, the event's own aisle scheme
    coex-all=coex:A,B1,B2,C,D1,D2       every COEX hall
    jamsil=jamsil-mice                  every hall of the venue
    mine=venue.yaml:H1,H2@aisles=5.5    a venue file, its halls H1 and H2, aisles 5.5 m wide

After ``@`` come changes to the event's aisle scheme, separated by commas (see
:data:`AISLE_OPTIONS`): ``aisles`` (the side and cross aisles together), ``side``, ``cross``,
``main``, ``perimeter`` (metres), ``row`` (the longest row, metres), ``depth`` (a block's depth in
modules), ``orientation`` (``x``, ``y`` or ``auto``) and ``kind`` (``rows`` or ``none``).

Every layout gets the same exhibitors, seed and limits: its event is the base event (an event
file, or a scenario preset drawn for the seed) with the venue, halls and scheme replaced, and
everything that depends on the halls built again as the event file's reader builds it: the
fire-rule check of the scheme, the rules no allocation can keep, the floor warnings. What names
a hall the layout lacks is mapped (``--hall-map B2=A``), or mapped to the joined hall holding it
(B2 to B), or else dropped — a preferred hall, a zone's hall, a zone's entrance — with one
warning per kind; a reserved area goes to the layout's largest hall, since the show still needs
its stage.

Each run (layout x seed x scenario) is solved by :func:`boothopt.api.allocate`, one process per
run on the cores available, and its figures (:func:`run_figures`) are put side by side, with the
mean and the spread (min-max) across seeds (:func:`aggregate`).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import statistics
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
from pydantic import ValidationError
from shapely.geometry import Polygon

from boothopt.contract import Assignment, Booth
from boothopt.errors import BoothoptError, InputError
from boothopt.floorplan import HallGrid, Venue, build_grid, builtin_venues, load_venue
from boothopt.inputs.domain import Event, Exhibitor, ReservedArea, Zone
from boothopt.limits import MAX_GRID_CELLS, printable, quoted

if TYPE_CHECKING:
    from boothopt.api import Allocation
    from boothopt.planning.crowding import Forecast

SCHEMA = "boothopt.comparison/1"
Method = Literal["cpsat", "greedy", "best-spot"]

#: What the options after ``@`` change in the aisle scheme: option -> the scheme's fields.
AISLE_OPTIONS: dict[str, tuple[str, ...]] = {
    "aisles": ("side_aisle_m", "cross_aisle_m"),
    "side": ("side_aisle_m",),
    "cross": ("cross_aisle_m",),
    "main": ("main_aisle_m",),
    "perimeter": ("perimeter_aisle_m",),
    "row": ("max_row_m",),
    "depth": ("block_depth_modules",),
    "orientation": ("orientation",),
    "kind": ("kind",),
}
#: ``year1`` is the first edition, the 2024 show.
SCENARIO_ALIASES = {"year1": "smartlife-2024"}
#: Visitors over the show days when neither ``--visitors`` nor the scenario gives them: the
#: 2024 show's attendance.
DEFAULT_VISITORS = 30_000
MAX_SEEDS = 100
MAX_VISITORS = 10_000_000
#: The walkway comfort levels counted as crowded: D and worse.
CROWDED_LEVELS = ("D", "E", "F")
HOT_SPOTS_SHOWN = 3
#: The zone whose compactness comes first.
CITY_ZONE = "smart-city-seoul"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,39}")


# --- what the command line names ---------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A venue with the halls rented and the changes to the event's aisle scheme."""

    name: str
    spec: str
    venue_ref: str  # the built-in name or the venue file, as written
    venue: Venue
    halls: tuple[str, ...]
    aisles: tuple[tuple[str, Any], ...] = ()  # (AisleScheme field, value), in the order given

    def describe(self) -> dict[str, Any]:
        """Return the layout as the comparison file records it."""
        return {
            "name": self.name,
            "spec": self.spec,
            "venue": self.venue.id,
            "venue_name": self.venue.name,
            "halls": list(self.halls),
            "aisles": dict(self.aisles),
        }


def parse_layout(text: str) -> Layout:
    """Return the layout ``NAME=VENUE[:HALL,...][@OPTION=VALUE,...]`` (see the module's text).

    Raises
    ------
    InputError
        With one message saying what is wrong and how to write it.

    Examples
    --------
    >>> lay = parse_layout("coex-AC=coex:A,C@aisles=4,depth=3")
    >>> lay.name, lay.venue.id, lay.halls
    ('coex-AC', 'coex', ('A', 'C'))
    >>> lay.aisles
    (('side_aisle_m', 4.0), ('cross_aisle_m', 4.0), ('block_depth_modules', 3))
    >>> parse_layout("jamsil=jamsil-mice").halls[:2]
    ('1A', '1B')
    """
    shown = quoted(text, 80)
    name, eq, spec = text.partition("=")
    name = name.strip()
    if not eq:
        raise InputError(
            f"--layout {shown}: write NAME=SPEC, e.g. coex-AC=coex:A,C (a name, then the venue "
            "and its halls)"
        )
    if not _NAME.fullmatch(name):
        raise InputError(
            f"--layout {shown}: the name {quoted(name)} is not a short name — use letters, "
            "digits and . _ + - (at most 40, starting with a letter or digit), e.g. coex-AC"
        )
    where = f"--layout {name}"
    venue_part, at, options = spec.partition("@")
    venue_ref, colon, hall_text = venue_part.partition(":")
    venue_ref = venue_ref.strip()
    if not venue_ref:
        raise InputError(f"{where}: no venue — write {name}=VENUE[:HALL,...], e.g. {name}=coex:A,C")
    if venue_ref not in builtin_venues() and not Path(venue_ref).is_file():
        raise InputError(
            f"{where}: {quoted(venue_ref)} is neither a built-in venue ("
            + ", ".join(builtin_venues())
            + ") nor a venue file — check the name or the path"
        )
    venue = load_venue(venue_ref)
    if colon:
        halls = tuple(h.strip() for h in hall_text.split(","))
        if not all(halls):
            raise InputError(
                f"{where}: an empty hall in {quoted(hall_text)} — list the halls separated by "
                f"commas, e.g. {venue_ref}:{','.join(venue.hall_ids(False)[:2])}"
            )
    else:
        halls = tuple(venue.hall_ids(include_joined=False))
    known = venue.hall_ids()
    unknown = [h for h in halls if h not in known]
    if unknown:
        raise InputError(
            f"{where}: {venue.id} has no hall {quoted(unknown[0])} — use one of " + ", ".join(known)
        )
    twice = [h for h, n in Counter(halls).items() if n > 1]
    if twice:
        raise InputError(f"{where}: hall {twice[0]} is named twice — name each hall once")
    overlap = _overlapping(venue, halls)
    if overlap:
        raise InputError(
            f"{where}: halls {overlap[0]} and {overlap[1]} share floor (one is part of the "
            "other) — name either the joined hall or its parts"
        )
    aisles: tuple[tuple[str, Any], ...] = ()
    if at:
        aisles = _parse_aisles(where, options)
    return Layout(name, text, venue_ref, venue, halls, aisles)


def _overlapping(venue: Venue, halls: Sequence[str]) -> tuple[str, str] | None:
    from boothopt.inputs.event_file import _overlapping_halls

    return _overlapping_halls(venue, list(halls))


def _parse_aisles(where: str, options: str) -> tuple[tuple[str, Any], ...]:
    """Return the scheme's fields set by ``aisles=5.5,depth=3``, each checked as the event
    file's ``aisles:`` would be."""
    from boothopt.inputs.event_file import AislesIn

    if not options.strip():
        raise InputError(
            f"{where}: nothing after @ — write the aisle changes, e.g. @aisles=5.5 or "
            "@side=3,cross=4,main=6"
        )
    values: dict[str, str] = {}
    order: list[str] = []
    for item in options.split(","):
        key, eq, value = (part.strip() for part in item.partition("="))
        if not eq or not key or not value:
            raise InputError(
                f"{where}: {quoted(item.strip())} after @ is not OPTION=VALUE — write e.g. "
                "@aisles=5.5"
            )
        if key not in AISLE_OPTIONS:
            raise InputError(
                f"{where}: unknown aisle option {quoted(key)} — use "
                + ", ".join(AISLE_OPTIONS)
                + " (e.g. @aisles=5.5,main=8)"
            )
        for name in AISLE_OPTIONS[key]:
            if name in values and values[name] != value:
                raise InputError(
                    f"{where}: {key}={value} sets {name} set before to {values[name]} — "
                    "give each aisle once"
                )
            values[name] = value
            if name not in order:
                order.append(name)
    try:
        checked = AislesIn.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0])
        key = next(k for k, fields in AISLE_OPTIONS.items() if name in fields)
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise InputError(f"{where}: @{key}={values[name]}: {msg}") from None
    return tuple((name, getattr(checked, name)) for name in order)


def parse_hall_map(values: Iterable[str]) -> dict[str, str]:
    """Return ``--hall-map B2=A,D1=C`` (repeatable) as {from: to}.

    Examples
    --------
    >>> parse_hall_map(["B2=A, D1=C", "D2=C"])
    {'B2': 'A', 'D1': 'C', 'D2': 'C'}
    """
    out: dict[str, str] = {}
    for value in values:
        for item in value.split(","):
            src, eq, dst = (part.strip() for part in item.partition("="))
            if not eq or not src or not dst:
                raise InputError(
                    f"--hall-map {quoted(item.strip())}: write FROM=TO, e.g. B2=A (what names "
                    "hall B2 goes to hall A)"
                )
            if src == dst:
                raise InputError(f"--hall-map {src}={dst}: maps a hall to itself — remove it")
            if out.get(src, dst) != dst:
                raise InputError(
                    f"--hall-map: hall {src} is mapped twice (to {out[src]} and to {dst}) — "
                    "keep one"
                )
            out[src] = dst
    return out


def parse_seeds(text: str | None) -> list[int]:
    """Return the seeds of ``--seeds``: ``3``, ``1-5`` or ``1,4,9``.

    Examples
    --------
    >>> parse_seeds("1-3"), parse_seeds("7, 2"), parse_seeds(None)
    ([1, 2, 3], [7, 2], [0])
    """
    if text is None:
        return [0]
    seeds: list[int] = []
    for item in text.split(","):
        item = item.strip()
        m = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", item)
        if m is None:
            raise InputError(
                f"--seeds {quoted(text)}: {quoted(item)} is not a seed or a range — write e.g. "
                "1-5 or 1,4,9 (whole numbers, 0 or more)"
            )
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo:
            raise InputError(f"--seeds {quoted(text)}: the range {item} runs backwards — {hi}-{lo}")
        if hi - lo + len(seeds) >= MAX_SEEDS:
            raise InputError(f"--seeds {quoted(text)}: more than {MAX_SEEDS} seeds — give fewer")
        seeds += [s for s in range(lo, hi + 1) if s not in seeds]
    return seeds


def parse_visitors(text: str | None) -> list[int] | None:
    """Return the attendance figures of ``--visitors 20000,30000`` (None when not given).

    Examples
    --------
    >>> parse_visitors("20000, 30000"), parse_visitors(None)
    ([20000, 30000], None)
    """
    if text is None:
        return None
    out: list[int] = []
    for item in text.split(","):
        item = item.strip().replace("_", "")
        if not item.isdigit() or not 0 < int(item) <= MAX_VISITORS:
            raise InputError(
                f"--visitors {quoted(text)}: {quoted(item)} is not a number of visitors — write "
                f"whole numbers from 1 to {MAX_VISITORS:,} separated by commas, without "
                "thousands separators, e.g. 20000,30000"
            )
        if int(item) not in out:
            out.append(int(item))
    return out


@dataclass
class Source:
    """What is compared: an event file, or a scenario preset drawn for each seed."""

    name: str
    kind: Literal["event", "scenario"]
    path: Path | None = None
    allow_outside: bool = False
    _loaded: Event | None = field(default=None, repr=False)

    def event(self, seed: int) -> Event:
        """Return the base event for ``seed`` (an event file is the same for every seed)."""
        if self.kind == "event":
            assert self.path is not None
            if self._loaded is None:
                from boothopt.inputs.event_file import load_event

                self._loaded = load_event(self.path, allow_outside=self.allow_outside)
            return self._loaded
        from boothopt.inputs.event_file import load_event
        from boothopt.inputs.scenarios import write_scenario

        with tempfile.TemporaryDirectory(prefix="boothopt-compare-") as folder:
            write_scenario(self.name, seed, Path(folder))
            ev = load_event(Path(folder) / "event.yaml")
        return replace(ev, source=f"scenario {self.name} (seed {seed})")

    def default_visitors(self) -> int:
        """Return the scenario's forecast attendance, or :data:`DEFAULT_VISITORS`."""
        from boothopt.inputs.scenarios import SCALE_SCENARIOS, SCENARIOS

        spec = SCENARIOS.get(self.name) or SCALE_SCENARIOS.get(self.name)
        return spec.visitors if self.kind == "scenario" and spec else DEFAULT_VISITORS


def resolve_sources(
    argument: str | None, scenarios: Iterable[str], allow_outside: bool = False
) -> list[Source]:
    """Return the sources of ``EVENT_OR_SCENARIO`` and ``--scenario a,b``, in that order.

    A name is an event file when such a file exists (or it ends in .yaml/.yml), else a scenario
    preset (``year1`` is ``smartlife-2024``).
    """
    from boothopt.inputs.scenarios import scenario_names

    names = [argument] if argument else []
    names += [n.strip() for value in scenarios for n in value.split(",")]
    if not names:
        raise InputError(
            "nothing to compare — give an event file or a scenario (year1, year2, year3, "
            "jamsil-2031), or --scenario year1,year2"
        )
    out: list[Source] = []
    for name in names:
        if not name:
            raise InputError("--scenario: an empty name — separate the scenarios by commas")
        path = Path(name)
        if path.is_file() or path.suffix.lower() in (".yaml", ".yml"):
            if not path.is_file():
                raise InputError(f"{printable(name, 200)}: file not found — check the path")
            out.append(Source(str(path), "event", path, allow_outside))
            continue
        preset = SCENARIO_ALIASES.get(name, name)
        if preset not in scenario_names():
            raise InputError(
                f"{quoted(name)} is neither an event file nor a scenario — give an event "
                "file's path or one of year1, " + ", ".join(scenario_names())
            )
        out.append(Source(preset, "scenario"))
    seen = [s.name for s in out]
    if len(set(seen)) != len(seen):
        twice = next(n for n in seen if seen.count(n) > 1)
        raise InputError(f"{quoted(twice)} is named twice — name each event or scenario once")
    return out


# --- one layout's event --------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One kind of thing a layout had to change in the event: what, and how many of each."""

    kind: str  # preferred, zone-hall, zone-entrance, reserved-hall, reserved-at, pins, auto
    items: tuple[tuple[str, int], ...]  # (what, how many); the meaning depends on the kind
    target: str = ""  # where the reserved areas went; the hall a mapping example names


class _Halls:
    """Where a hall a layout lacks goes: mapped, the joined hall holding it, or its parts."""

    def __init__(self, venue: Venue, halls: Sequence[str], hall_map: Mapping[str, str]) -> None:
        self.venue = venue
        self.halls = tuple(halls)
        self.map = hall_map
        self.joined_of = {p: j.id for j in venue.joined if j.id in halls for p in j.parts}
        self.parts_of = {
            j.id: tuple(p for p in j.parts if p in halls) for j in venue.joined if j.id not in halls
        }

    def many(self, hall: str) -> tuple[tuple[str, ...], str]:
        """Return the halls a preference for ``hall`` becomes, and how: kept, mapped, auto, or
        dropped (no hall)."""
        if hall in self.halls:
            return (hall,), "kept"
        if self.map.get(hall) in self.halls:
            return (self.map[hall],), "mapped"
        if hall in self.joined_of:
            return (self.joined_of[hall],), "auto"
        if self.parts_of.get(hall):
            return self.parts_of[hall], "auto"
        return (), "dropped"

    def one(self, hall: str) -> tuple[str | None, str]:
        """Return the one hall ``hall`` becomes for a zone or a reserved area, and how: of a
        joined hall's parts, the largest (the first on a tie)."""
        got, how = self.many(hall)
        if not got:
            return None, how
        return max(got, key=lambda h: (self.venue.hall(h).area_m2, -got.index(h))), how


def layout_event(
    base: Event, layout: Layout, hall_map: Mapping[str, str] | None = None
) -> tuple[Event, list[Notice]]:
    """Return ``base`` on the layout's venue, halls and scheme, and what had to change.

    Raises
    ------
    InputError
        When the layout's halls are too large to lay out, or its scheme cannot hold a module.
    """
    from boothopt.inputs.event_file import _floor_warnings
    from boothopt.inputs.event_rules import impossible_rules, layout_breaches

    venue, halls = layout.venue, layout.halls
    try:
        scheme = replace(base.scheme, **dict(layout.aisles))
    except ValueError as exc:
        raise InputError(f"--layout {layout.name}: {exc} — change the aisle options") from None
    module = scheme.module_m
    floor_m2 = sum(venue.hall(h).area_m2 for h in halls)
    if floor_m2 / module**2 > MAX_GRID_CELLS:
        raise InputError(
            f"--layout {layout.name}: its halls' {floor_m2:,.0f} m² make more than "
            f"{MAX_GRID_CELLS:,} modules of {module:g} m — name fewer halls"
        )
    grids = {h: build_grid(venue.hall(h), scheme) for h in halls}
    where = _Halls(venue, halls, hall_map or {})
    # The same floor: booth positions and reserved areas' places in venue metres still hold.
    same_floor = venue.id == base.venue.id and scheme == base.scheme
    dropped: Counter[str] = Counter()
    auto: Counter[str] = Counter()
    pins = 0
    exhibitors: list[Exhibitor] = []
    for e in base.exhibitors:
        prefs: list[str] = []
        for h in e.halls:
            got, how = where.many(h)
            if how == "dropped":
                dropped[h] += 1
            elif how == "auto":
                auto[f"{h}→{'+'.join(got)}"] += 1
            prefs += got
        booth = e.booth
        if booth and not (same_floor and _pin_hall(booth) in halls):
            booth, pins = "", pins + 1
        exhibitors.append(replace(e, halls=tuple(dict.fromkeys(prefs)), booth=booth))

    doors = {d.id for h in halls for d in venue.hall(h).entrances}
    zone_halls: list[tuple[str, int]] = []
    zone_doors: list[tuple[str, int]] = []
    zones: list[Zone] = []
    for z in base.zones:
        hall: str | None = None
        if z.hall is not None:
            hall, how = where.one(z.hall)
            if how == "dropped":
                zone_halls.append((f"{z.id} (hall {z.hall})", 1))
            elif how == "auto":
                auto[f"{z.hall}→{hall}"] += 1
        entrance = z.near_entrance if z.near_entrance in doors else None
        if z.near_entrance is not None and entrance is None:
            zone_doors.append((f"{z.id} ({z.near_entrance})", 1))
        zones.append(replace(z, hall=hall, near_entrance=entrance))

    largest = max(halls, key=lambda h: (grids[h].usable_m2, -halls.index(h)))
    moved: list[tuple[str, int]] = []
    unfixed: list[tuple[str, int]] = []
    reserved: list[ReservedArea] = []
    for r in base.reserved:
        target, how = where.one(r.hall)
        if target is None:
            target = largest
            moved.append((f"{r.id} (hall {r.hall})", 1))
        elif how == "auto":
            auto[f"{r.hall}→{target}"] += 1
        at = r.at if same_floor and target == r.hall else None
        if r.at is not None and at is None:
            unfixed.append((r.id, 1))
        reserved.append(replace(r, hall=target, at=at))

    example = halls[0]
    notices = [
        Notice(kind, tuple(items), target)
        for kind, items, target in (
            ("preferred", sorted(dropped.items()), example),
            ("zone-hall", zone_halls, example),
            ("zone-entrance", zone_doors, ""),
            ("reserved-hall", moved, largest),
            ("reserved-at", unfixed, ""),
            ("pins", [("booth", pins)] if pins else [], ""),
            ("auto", sorted(auto.items()), ""),
        )
        if items
    ]
    event = replace(
        base,
        venue=venue,
        halls=halls,
        scheme=scheme,
        zones=tuple(zones),
        reserved=tuple(reserved),
        exhibitors=tuple(exhibitors),
        warnings=tuple(_floor_warnings(exhibitors, reserved, grids, module)),
        layout_breaches=layout_breaches(grids),
        impossible=impossible_rules(exhibitors, zones, grids),
    )
    return event, notices


def _pin_hall(booth: str) -> str | None:
    """Return the hall of a table's booth position (``C@120,45 2x1``); None for a booth number,
    which only a re-plan's earlier plan gives a place."""
    from boothopt.inputs.event_file import BOOTH_POSITION

    m = BOOTH_POSITION.fullmatch(booth)
    return m["hall"] if m else None


def notice_lines(
    notices: Iterable[tuple[str, str, Notice]], several_sources: bool = False
) -> list[str]:
    """Return one warning per source, layout and kind; counts that differ between seeds are
    given as a range.

    ``notices`` are (source, layout, notice) as the runs found them, a layout once per seed.

    Examples
    --------
    >>> n = Notice("preferred", (("B2", 12),), "A")
    >>> print(*notice_lines([("year1", "coex-AC", n)]))
    12 exhibitors' preferred hall B2 is not in layout coex-AC — dropped; map it with --hall-map B2=A
    """
    merged: dict[tuple[str, str, str], tuple[dict[str, list[int]], str]] = {}
    for source, layout, n in notices:
        items, _ = merged.setdefault((source, layout, n.kind), ({}, n.target))
        for what, count in n.items:
            items.setdefault(what, []).append(count)
    out = []
    for (source, layout, kind), (items, target) in merged.items():
        line = _notice_line(kind, layout, items, target)
        out.append(f"{source}: {line}" if several_sources else line)
    return out


def _whose(counts: list[int]) -> str:
    """Return ``12 exhibitors'``, ``9–12 exhibitors'`` or ``1 exhibitor's``."""
    return "1 exhibitor's" if max(counts) == 1 else f"{_count(counts)} exhibitors'"


def _count(counts: list[int]) -> str:
    lo, hi = min(counts), max(counts)
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _notice_line(kind: str, layout: str, items: dict[str, list[int]], target: str) -> str:
    names = list(items)
    several = len(names) > 1
    them = "them" if several else "it"
    if kind == "preferred":
        what = _and([f"{_whose(c)} preferred hall {h}" for h, c in items.items()])
        maps = ",".join(f"{h}={target}" for h in names)
        return (
            f"{what} {'are' if several else 'is'} not in layout {layout} — dropped; map {them} "
            f"with --hall-map {maps}"
        )
    if kind == "zone-hall":
        halls = sorted({w.rsplit("hall ", 1)[-1].rstrip(")") for w in names})
        return (
            f"the hall of zone{'s' if several else ''} {_and(names)} {'are' if several else 'is'}"
            f" not in layout {layout} — dropped, the zone{'s' if several else ''} may stand in "
            f"any hall; map {them} with --hall-map " + ",".join(f"{h}={target}" for h in halls)
        )
    if kind == "zone-entrance":
        return (
            f"the entrance of zone{'s' if several else ''} {_and(names)} "
            f"{'are' if several else 'is'} not in layout {layout} — dropped"
        )
    if kind == "reserved-hall":
        return (
            f"the hall of reserved area{'s' if several else ''} {_and(names)} "
            f"{'are' if several else 'is'} not in layout {layout} — moved to hall {target}, its "
            "largest; map the hall with --hall-map to choose another"
        )
    if kind == "reserved-at":
        return (
            f"the fixed place of reserved area{'s' if several else ''} {_and(names)} is not on "
            f"layout {layout}'s floor (another venue, hall or aisle scheme) — placed by the "
            "optimizer"
        )
    if kind == "pins":
        counts = items.get("booth", [0])
        return (
            f"{_count(counts)} exhibitors' booths fixed in the table (booth column) are not on "
            f"layout {layout}'s floor — placed like the others"
        )
    return (
        f"layout {layout} takes "
        + _and([f"{w} ({_count(c)}×)" for w, c in items.items()])
        + " (a joined hall and its parts)"
    )


def _and(words: list[str]) -> str:
    """Return ``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if words[1:] else words)


# --- running ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunTask:
    """One run: a layout of one source's event for one seed."""

    index: int
    source: str
    seed: int
    base: Event
    layout: Layout
    hall_map: tuple[tuple[str, str], ...]
    visitors: tuple[int, ...]
    time_limit: float | None
    work_limit: float | None
    workers: int
    method: Method


@dataclass(frozen=True)
class RunOutcome:
    """A run's figures, what its layout changed, its assignment and its crowding forecasts."""

    index: int
    source: str
    layout: str
    seed: int
    figures: dict[str, Any]
    notices: tuple[Notice, ...]
    assignment: Assignment
    forecasts: tuple[Forecast, ...]


def run_one(task: RunTask) -> RunOutcome:
    """Build the layout's event, allocate it, and return the run's figures.

    Errors cross the process boundary as plain :class:`InputError` or :class:`BoothoptError`
    naming the run (the library's own error classes do not all survive pickling).
    """
    try:
        return _run(task)
    except InputError as exc:
        raise InputError(_run_error(task, exc)) from None
    except BoothoptError as exc:
        raise BoothoptError(_run_error(task, exc)) from None


def _run_error(task: RunTask, exc: Exception) -> str:
    return f"{task.source}, layout {task.layout.name}, seed {task.seed}: {exc}"


def _run(task: RunTask) -> RunOutcome:
    from boothopt import api
    from boothopt.planning.crowding import Visitors, forecast

    event, notices = layout_event(task.base, task.layout, dict(task.hall_map))
    run = api.allocate(
        event,
        time_limit=task.time_limit,
        work_limit=task.work_limit,
        seed=task.seed,
        workers=task.workers,
        method=task.method,
        allow_breaches=True,  # a scheme breaking a fire rule is a finding here, not an error
    )
    forecasts = tuple(
        forecast(run.problem, run.layout, Visitors.for_event(v, event)) for v in task.visitors
    )
    figures = run_figures(run, forecasts)
    return RunOutcome(
        task.index,
        task.source,
        task.layout.name,
        task.seed,
        figures,
        tuple(notices),
        run.layout,
        forecasts,
    )


def processes_for(runs: int, workers_per_run: int) -> int:
    """Return how many runs go at once: the cores over each run's search threads, at least one.

    Examples
    --------
    >>> processes_for(1, 1)
    1
    """
    return max(1, min(runs, (os.cpu_count() or 1) // max(1, workers_per_run)))


def run_tasks(
    tasks: Sequence[RunTask],
    workers_per_run: int,
    on_done: Callable[[RunOutcome], None] | None = None,
) -> list[RunOutcome]:
    """Run every task, one process per run on the cores available; outcomes in task order."""
    procs = processes_for(len(tasks), workers_per_run)
    if procs <= 1:
        outcomes: list[RunOutcome] = []
        for task in tasks:
            outcomes.append(run_one(task))
            if on_done is not None:
                on_done(outcomes[-1])
        return outcomes
    # Spawned, not forked: a fork of a process that ran CP-SAT's threads may hang.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=procs, mp_context=context) as pool:
        futures = [pool.submit(run_one, task) for task in tasks]
        try:
            for done in as_completed(futures):
                if on_done is not None:
                    on_done(done.result())
        except BaseException:
            for f in futures:
                f.cancel()
            raise
        return [f.result() for f in futures]


# --- a run's figures --------------------------------------------------------------------------


def _num(value: float | None, digits: int = 4) -> float | None:
    """Return ``value`` rounded, None for None or a value JSON cannot hold (inf, NaN)."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def walk_figures(walks: Sequence[float]) -> dict[str, Any]:
    """Return the booths, the mean walk and its 95th percentile (linear between booths).

    Examples
    --------
    >>> walk_figures([8.0, 8.0, 19.0, 19.0])
    {'booths': 4, 'mean_m': 13.5, 'p95_m': 19.0}
    >>> walk_figures([])
    {'booths': 0, 'mean_m': None, 'p95_m': None}
    """
    if not walks:
        return {"booths": 0, "mean_m": None, "p95_m": None}
    arr = np.asarray(walks, dtype=float)
    return {
        "booths": len(walks),
        "mean_m": _num(float(arr.mean()), 3),
        "p95_m": _num(float(np.percentile(arr, 95)), 3),
    }


def compactness(booths: Iterable[Booth]) -> float | None:
    """Return how compact a zone stands: its booths' area over the area of their convex hull,
    hall by hall (1 for one solid rectangle, less the more it straggles); None without booths.

    Examples
    --------
    >>> def sq(x: float, y: float) -> Booth:
    ...     ring = ((x, y), (x + 3, y), (x + 3, y + 3), (x, y + 3), (x, y))
    ...     return Booth(booth_no=f"{x},{y}", hall="T", exhibitor_id=f"{x},{y}", polygon=ring,
    ...                  area_m2=9, modules=1, size_m=(3, 3))
    >>> compactness([sq(0, 0), sq(3, 0)]), round(compactness([sq(0, 0), sq(3, 0), sq(0, 3)]), 4)
    (1.0, 0.8571)
    """
    by_hall: dict[str, list[Polygon]] = {}
    for b in booths:
        by_hall.setdefault(b.hall, []).append(Polygon(b.polygon))
    if not by_hall:
        return None
    area = sum(p.area for polys in by_hall.values() for p in polys)
    hull = sum(shapely.union_all(polys).convex_hull.area for polys in by_hall.values())
    return _num(area / hull) if hull > 0 else None


def _zone_order(zones: Sequence[Zone]) -> list[Zone]:
    """Return the zones, the Smart City Seoul Zone first, the others in the event's order."""

    def first(z: Zone) -> bool:
        return z.id == CITY_ZONE or "smart city seoul" in z.name_en.casefold()

    return sorted(zones, key=lambda z: not first(z))


def run_figures(run: Allocation, forecasts: Sequence[Forecast] = ()) -> dict[str, Any]:
    """Return a run's figures, JSON-ready (see the README's "Comparing venues and layouts")."""
    event, problem, result, layout = run.event, run.problem, run.result, run.layout
    module = event.scheme.module_m
    grids: dict[str, HallGrid] = problem.grids
    booths = layout.booths
    requested = event.requested_modules * module**2
    granted = sum(b.area_m2 for b in booths)
    goals = {}
    for name, t in result.terms.items():
        top = result.term_bounds.get(name, t.max)
        goals[name] = {
            "score": _num(t.score),
            "max": _num(t.max),
            "bound": _num(top),
            "share": _num(t.score / top) if top else None,
        }
    walks = [b.entrance_walk_m for b in booths if b.entrance_walk_m is not None]
    tiers = list(event.tiers) + sorted({b.tier for b in booths} - set(event.tiers))
    by_tier = {
        t: walk_figures(
            [b.entrance_walk_m for b in booths if b.tier == t and b.entrance_walk_m is not None]
        )
        for t in tiers
    }
    exit_walk = max((grids[h].max_exit_walk_m for h in event.halls), default=0.0)
    members = Counter(e.zone for e in event.exhibitors)
    zones = {
        z.id: {
            "name_ko": z.name_ko,
            "name_en": z.name_en,
            "members": members[z.id],
            "placed": sum(b.zone == z.id for b in booths),
            "compactness": compactness(b for b in booths if b.zone == z.id),
        }
        for z in _zone_order(event.zones)
    }
    summary = result.summary()
    return {
        "venue": event.venue.id,
        "halls": "+".join(event.halls),
        "area": {
            "gross_m2": _num(sum(event.venue.hall(h).area_m2 for h in event.halls), 1),
            "usable_m2": _num(sum(grids[h].usable_m2 for h in event.halls), 1),
            "booth_capacity": sum(grids[h].booth_capacity() for h in event.halls),
        },
        "exhibitors": len(event.exhibitors),
        "placed": len(booths),
        "unplaced": len(layout.unplaced),
        "requested_m2": _num(requested, 1),
        "granted_m2": _num(granted, 1),
        "granted_share": _num(granted / requested) if requested else None,
        "goals": goals,
        "walk": {**walk_figures(walks), "by_tier": by_tier},
        "exit_walk_max_m": _num(exit_walk, 2),
        "breaches": {
            "total": len(event.layout_breaches) + len(run.breaches),
            "fire": len(event.layout_breaches),
            "layout": len(run.breaches),
            "messages": [b.message for b in event.layout_breaches]
            + [b.line() for b in run.breaches],
        },
        "cannot_hold": list(event.impossible),
        "zones": zones,
        "optimizer": {
            "method": summary["method"],
            "status": summary["status"],
            "gap": summary["gap"],
            "objective": summary["objective"],
            "bound": summary["bound"],
            "ended_by": summary["ended_by"],
            "reproducible": summary["reproducible"],
            "wall_s": summary["wall_s"],
        },
        "crowding": {str(fc.visitors.total): crowding_figures(fc) for fc in forecasts},
    }


def crowding_figures(fc: Forecast) -> dict[str, Any]:
    """Return a forecast's figures: peak on the floor, the worst level, the share of aisle area
    at level D or worse, and the worst spots."""
    area = sum(s.area_m2 for s in fc.segments)
    crowded = sum(s.area_m2 for s in fc.segments if s.level in CROWDED_LEVELS)
    return {
        "visitors": fc.visitors.total,
        "days": fc.visitors.days,
        "peak_on_floor": _num(fc.peak_on_floor, 1),
        "worst_level": fc.worst_level,
        "share_d_or_worse": _num(crowded / area) if area else None,
        "hot_spots": [
            {
                "hall": s.hall,
                "between": list(s.between),
                "level": s.level,
                "m2_per_person": _num(s.m2_per_person, 3),
                "people": _num(s.people, 1),
                "width_m": _num(s.width_m, 2),
            }
            for s in fc.hot_spots[:HOT_SPOTS_SHOWN]
        ],
    }


# --- across seeds -----------------------------------------------------------------------------


def aggregate(values: Sequence[Any], key: str = "") -> Any:
    """Return figures of several seeds as one: each number as its mean, min, max and count;
    a text the same in every seed as it is (the worst level: the worst one); lists left out.

    Examples
    --------
    >>> got = aggregate([{"placed": 4, "gap": 0.5, "spots": [1]}, {"placed": 6, "gap": None}])
    >>> got["placed"], got["gap"]["n"], "spots" in got
    ({'mean': 5.0, 'min': 4, 'max': 6, 'n': 2}, 1, False)
    """
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, dict) for v in present):
        keys = list(dict.fromkeys(k for v in present for k in v))
        out = {}
        for k in keys:
            got = aggregate([v.get(k) for v in present], k)
            if got is not _SKIP:
                out[k] = got
        return out
    if any(isinstance(v, list) for v in present):
        return _SKIP
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return {
            "mean": round(statistics.fmean(present), 6),
            "min": min(present),
            "max": max(present),
            "n": len(present),
        }
    if key == "worst_level":
        return max(str(v) for v in present)
    distinct = list(dict.fromkeys(present))
    return distinct[0] if len(distinct) == 1 else distinct


_SKIP: Any = object()


# --- the whole comparison ---------------------------------------------------------------------


@dataclass
class Comparison:
    """What `boothopt compare` found: the comparison file's content and each run's outcome."""

    data: dict[str, Any]
    outcomes: list[RunOutcome]
    warnings: list[str]


def compare(
    sources: Sequence[Source],
    layouts: Sequence[Layout],
    *,
    hall_map: Mapping[str, str] | None = None,
    seeds: Sequence[int] = (0,),
    visitors: Sequence[int] | None = None,
    time_limit: float | None = None,
    work_limit: float | None = None,
    workers: int = 2,
    method: Method = "cpsat",
    on_start: Callable[[int, int], None] | None = None,
    on_done: Callable[[RunOutcome], None] | None = None,
) -> Comparison:
    """Run every layout for every source and seed, and put the figures side by side.

    A scenario source is drawn once per seed, and each seed also seeds the optimizer; an event
    file is the same for every seed. ``visitors`` default to each scenario's own forecast
    (:data:`DEFAULT_VISITORS` for an event file). ``on_start(runs, processes)`` is called once
    the runs are known, ``on_done`` as each ends.

    Raises
    ------
    InputError
        When a layout names a hall map target it lacks in every layout, or an event is faulty.
    """
    hall_map = dict(hall_map or {})
    names = [lay.name for lay in layouts]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise InputError(f"--layout {twice}: the name is used twice — give each layout its own")
    every_hall = {h for lay in layouts for h in lay.halls}
    for src, dst in hall_map.items():
        if dst not in every_hall:
            raise InputError(
                f"--hall-map {src}={dst}: no layout has a hall {dst} — map to one of "
                + ", ".join(sorted(every_hall))
            )
    tasks: list[RunTask] = []
    named: set[str] = set()
    for source in sources:
        wanted = tuple(visitors) if visitors else (source.default_visitors(),)
        for seed in seeds:
            base = source.event(seed)
            named |= {h for e in base.exhibitors for h in e.halls}
            named |= {z.hall for z in base.zones if z.hall} | {r.hall for r in base.reserved}
            for lay in layouts:
                tasks.append(
                    RunTask(
                        len(tasks),
                        source.name,
                        seed,
                        base,
                        lay,
                        tuple(hall_map.items()),
                        wanted,
                        time_limit,
                        work_limit,
                        workers,
                        method,
                    )
                )
    warnings = [
        f"--hall-map {src}={dst}: no exhibitor, zone or reserved area names hall {src} — "
        "check the spelling"
        for src, dst in hall_map.items()
        if src not in named
    ]
    if on_start is not None:
        on_start(len(tasks), processes_for(len(tasks), workers))
    outcomes = run_tasks(tasks, workers, on_done)
    warnings += notice_lines(
        ((o.source, o.layout, n) for o in outcomes for n in o.notices), len(sources) > 1
    )
    data = comparison_data(sources, layouts, outcomes, hall_map, seeds, tasks, warnings)
    return Comparison(data, outcomes, warnings)


def comparison_data(
    sources: Sequence[Source],
    layouts: Sequence[Layout],
    outcomes: Sequence[RunOutcome],
    hall_map: Mapping[str, str],
    seeds: Sequence[int],
    tasks: Sequence[RunTask],
    warnings: Sequence[str],
) -> dict[str, Any]:
    """Return the comparison file's content (``boothopt.comparison/1``)."""
    first = tasks[0] if tasks else None
    by_source: list[dict[str, Any]] = []
    for source in sources:
        mine = [o for o in outcomes if o.source == source.name]
        task = next(t for t in tasks if t.source == source.name)
        aggregated = []
        for lay in layouts:
            runs = [o for o in mine if o.layout == lay.name]
            aggregated.append(
                {
                    "layout": lay.name,
                    "seeds": [o.seed for o in runs],
                    "figures": aggregate([o.figures for o in runs]),
                }
            )
        tiers = list(task.base.tiers)
        by_source.append(
            {
                "name": source.name,
                "kind": source.kind,
                "event": task.base.name,
                "event_ko": task.base.name_ko,
                "exhibitors": len(task.base.exhibitors),
                "tiers": tiers,
                "zones": [z.id for z in _zone_order(task.base.zones)],
                "visitors": list(task.visitors),
                "aggregate": aggregated,
            }
        )
    return {
        "schema": SCHEMA,
        "sources": by_source,
        "layouts": [lay.describe() for lay in layouts],
        "seeds": list(seeds),
        "hall_map": dict(hall_map),
        "limits": {
            "method": first.method if first else None,
            "time_limit_s": first.time_limit if first else None,
            "work_limit": first.work_limit if first else None,
            "workers": first.workers if first else None,
        },
        "runs": [
            {"source": o.source, "layout": o.layout, "seed": o.seed, "figures": o.figures}
            for o in outcomes
        ],
        "warnings": list(warnings),
    }


# --- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the table: its label, where its figure is, and how to write it."""

    label: str
    path: tuple[str, ...]
    fmt: str  # int, area, pct, m, gap, ratio, text


GOAL_LABELS = {
    "placed": "goal: placement",
    "location": "goal: location",
    "preferred_hall": "goal: preferred hall",
    "partners": "goal: partners near",
    "booth_type": "goal: booth type",
    "zone_compact": "goal: zone compact",
}


def table_rows(source: Mapping[str, Any], zone_names: Mapping[str, str]) -> list[Row]:
    """Return the table's rows for one source (its tiers, zones and visitors figures)."""
    rows = [
        Row("halls", ("halls",), "text"),
        Row("gross area m²", ("area", "gross_m2"), "area"),
        Row("usable area m²", ("area", "usable_m2"), "area"),
        Row("standard booths (3×3 m)", ("area", "booth_capacity"), "int"),
        Row("exhibitors placed", ("placed",), "int"),
        Row("left out", ("unplaced",), "int"),
        Row("requested area granted", ("granted_share",), "pct"),
    ]
    rows += [Row(label, ("goals", name, "share"), "pct") for name, label in GOAL_LABELS.items()]
    rows += [
        Row("walk from entrance, mean m", ("walk", "mean_m"), "m"),
        Row("walk from entrance, p95 m", ("walk", "p95_m"), "m"),
    ]
    for tier in source["tiers"]:
        rows += [
            Row(f"  {tier}: mean m", ("walk", "by_tier", tier, "mean_m"), "m"),
            Row(f"  {tier}: p95 m", ("walk", "by_tier", tier, "p95_m"), "m"),
        ]
    rows += [
        Row("farthest walk to an exit m", ("exit_walk_max_m",), "m"),
        Row("rule breaches", ("breaches", "total"), "int"),
    ]
    rows += [
        Row(f"compact: {zone_names.get(z) or z}", ("zones", z, "compactness"), "ratio")
        for z in source["zones"]
    ]
    rows.append(Row("optimizer gap", ("optimizer", "gap"), "gap"))
    for v in source["visitors"]:
        rows += [
            Row(f"{v:,} visitors: peak on floor", ("crowding", str(v), "peak_on_floor"), "int"),
            Row("  worst aisle level", ("crowding", str(v), "worst_level"), "text"),
            Row("  aisle area at D or worse", ("crowding", str(v), "share_d_or_worse"), "pct"),
        ]
    return rows


def lookup(figures: Any, path: Sequence[str]) -> Any:
    """Return the figure at ``path`` in a run's or an aggregate's figures, None when absent."""
    for part in path:
        if not isinstance(figures, dict) or part not in figures:
            return None
        figures = figures[part]
    return figures


def format_value(value: Any, fmt: str, bare: bool = False) -> str:
    """Return one number as the table writes it (``bare``: without its unit sign).

    Examples
    --------
    >>> format_value(0.8712, "pct"), format_value(12345.6, "area"), format_value(0.0123, "gap")
    ('87%', '12,346', '1.2%')
    """
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    v = float(value)
    if fmt == "pct":
        return f"{v:.0%}" if not bare else f"{v * 100:.0f}"
    if fmt == "gap":
        return f"{v:.1%}" if not bare else f"{v * 100:.1f}"
    if fmt == "m":
        return f"{v:.1f}"
    if fmt == "ratio":
        return f"{v:.2f}"
    if fmt == "int" and not v.is_integer():
        return f"{v:,.1f}"
    return f"{v:,.0f}"


def cell_text(value: Any, fmt: str) -> str:
    """Return a figure as the table shows it: ``mean (min–max)`` when the seeds differ.

    Examples
    --------
    >>> cell_text({"mean": 5.0, "min": 4, "max": 6, "n": 2}, "int")
    '5 (4–6)'
    >>> cell_text({"mean": 0.999, "min": 0.998, "max": 1.0, "n": 2}, "pct"), cell_text(None, "m")
    ('100%', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    if isinstance(value, dict) and "mean" in value:
        text = format_value(value["mean"], fmt)
        lo, hi = format_value(value["min"], fmt, True), format_value(value["max"], fmt, True)
        if lo != hi:  # a spread too small to show is not shown
            text += f" ({lo}–{hi})"
        return text
    return printable(format_value(value, fmt), 60)


TABLE_WIDTH = 100
LABEL_WIDTH = 34


def table_lines(data: Mapping[str, Any], width: int = TABLE_WIDTH) -> list[str]:
    """Return the comparison as plain text, at most ``width`` columns, layouts side by side
    (in several tables when they do not fit in one)."""
    out: list[str] = []
    for source in data["sources"]:
        names = {z["zone"]: z["name_en"] for z in _zone_names(source)}
        rows = table_rows(source, names)
        figures = {a["layout"]: a["figures"] for a in source["aggregate"]}
        seeds = source["aggregate"][0]["seeds"] if source["aggregate"] else []
        title = printable(source["event"], 70)
        note = f"seed {seeds[0]}" if len(seeds) == 1 else f"{len(seeds)} seeds: mean (min–max)"
        out.append(_fit(f"{title} — {source['exhibitors']:,} exhibitors ({note})", width))
        labels = [printable(r.label, LABEL_WIDTH - 1) for r in rows]
        label_w = min(LABEL_WIDTH, max(len(s) for s in labels) + 1)
        cells = {
            lay: [cell_text(lookup(fig, r.path), r.fmt) for r in rows]
            for lay, fig in figures.items()
        }
        widths = {
            lay: min(width - label_w, max([len(printable(lay, 40))] + [len(c) for c in col]) + 2)
            for lay, col in cells.items()
        }
        chunk: list[str] = []
        chunks: list[list[str]] = []
        used = label_w
        for lay in cells:
            if chunk and used + widths[lay] > width:
                chunks.append(chunk)
                chunk, used = [], label_w
            chunk.append(lay)
            used += widths[lay]
        if chunk:
            chunks.append(chunk)
        for part in chunks:
            head = " " * label_w + "".join(
                _fit(printable(lay, 40), widths[lay] - 2).rjust(widths[lay]) for lay in part
            )
            out.append(head)
            out.append("-" * len(head))
            for i, label in enumerate(labels):
                line = label.ljust(label_w)[:label_w] + "".join(
                    _fit(cells[lay][i], widths[lay] - 2).rjust(widths[lay]) for lay in part
                )
                out.append(line.rstrip())
        out.append("")
    return out


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _zone_names(source: Mapping[str, Any]) -> list[dict[str, str]]:
    """Return each zone of a source with its English name, read from the first figures."""
    for agg in source["aggregate"]:
        zones = (agg["figures"] or {}).get("zones") or {}
        return [{"zone": z, "name_en": str(v.get("name_en") or z)} for z, v in zones.items()]
    return []


def hot_spot_lines(outcomes: Sequence[RunOutcome], width: int = TABLE_WIDTH) -> list[str]:
    """Return the worst aisle spots of each layout's first seed, per visitors figure."""
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for o in outcomes:
        if (o.source, o.layout) in seen:
            continue
        seen.add((o.source, o.layout))
        for v, crowd in o.figures["crowding"].items():
            spots = "; ".join(
                f"{' / '.join(b for b in s['between'] if b) or 'in ' + s['hall']} {s['level']}"
                for s in crowd["hot_spots"]
            )
            line = f"worst aisles, {o.layout}, {int(v):,} visitors: {spots or 'none crowded'}"
            out.append(_fit(printable(line, 400), width))
    return out


def comparison_json(data: Mapping[str, Any]) -> str:
    """Return the comparison file's text."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


__all__ = [
    "AISLE_OPTIONS",
    "SCHEMA",
    "Comparison",
    "Layout",
    "Notice",
    "RunOutcome",
    "Source",
    "aggregate",
    "compactness",
    "compare",
    "layout_event",
    "parse_hall_map",
    "parse_layout",
    "parse_seeds",
    "parse_visitors",
    "resolve_sources",
    "run_figures",
    "table_lines",
]
