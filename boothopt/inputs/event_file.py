"""Read an event file and its exhibitor tables, check everything, build the Event.

Every fault in every file is collected before anything is reported, each as
``file:row:column: what is wrong — what to do``, so a floor manager fixes a sheet in one pass.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from boothopt.errors import FileFault, InputError
from boothopt.floorplan import (
    AisleScheme,
    HallGrid,
    Venue,
    build_grid,
    builtin_venues,
    load_venue,
)
from boothopt.inputs.columns import (
    KIND_VALUES,
    NO,
    TIER_ALIASES,
    YES,
    match_booth_type,
    match_value,
)
from boothopt.inputs.domain import (
    DEFAULT_POWER_REACH_M,
    DEFAULT_TIERS,
    BoothType,
    Event,
    Exhibitor,
    Kind,
    Needs,
    ReservedArea,
    Weights,
    Zone,
    ZoneRule,
    booth_shapes_in,
    forms_booth_type,
    open_side_counts,
)
from boothopt.inputs.event_rules import impossible_rules, layout_breaches
from boothopt.inputs.tables import Row, read_table
from boothopt.inputs.template import EXAMPLE_ROW
from boothopt.limits import (
    MAX_GRID_CELLS,
    MAX_LOCKS,
    MAX_ROWS,
    MAX_TABLES,
    MAX_YAML_BYTES,
    MODULE_M_MAX,
    MODULE_M_MIN,
    load_yaml,
    printable,
    quoted,
    read_bytes,
    utf8_text,
)

SCHEMA = "boothopt.event/1"
# Characters of a file name a message shows.
_PATH_SHOWN = 200


class IntakeError(InputError):
    """An event or exhibitor table has faults; ``problems`` lists each on its own line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --- the event file ---------------------------------------------------------------------------


class _Model(BaseModel):
    # NaN and infinity are no measure of anything: every number must be finite.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class MembersIn(_Model):
    kinds: list[Kind] = []
    categories: list[str] = []
    ids: list[str] = []


# A zone or reserved area id is a short name printed in messages and the assignment file.
Ident = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f\x7f]+$")]


class ZoneIn(_Model):
    id: Ident
    name_ko: str = ""
    name_en: str = ""
    members: MembersIn = MembersIn()
    contiguous: bool = True
    hall: str | None = None
    near_entrance: str | None = None


class ReservedIn(_Model):
    id: Ident
    kind: Literal["stage", "theatre", "lounge", "info", "other"] = "other"
    name_ko: str = ""
    name_en: str = ""
    size_m: tuple[float, float]
    hall: str
    at: tuple[float, float] | None = None


# The file's defaults are the domain objects' defaults, written once there.
_SCHEME = AisleScheme()
_WEIGHTS = Weights()


# Upper bounds: far beyond any floor plan, they keep a typing slip (a width of 3000 for 3) from
# laying out a nonsense grid.
_WIDTH_MAX_M = 100.0
_DEPTH_MAX_MODULES = 20


class AislesIn(_Model):
    kind: Literal["rows", "none"] = _SCHEME.kind
    block_depth_modules: int = Field(
        default=_SCHEME.block_depth_modules, ge=1, le=_DEPTH_MAX_MODULES
    )
    max_row_m: float = Field(default=_SCHEME.max_row_m, gt=0, le=1000)
    side_aisle_m: float = Field(default=_SCHEME.side_aisle_m, ge=0, le=_WIDTH_MAX_M)
    cross_aisle_m: float = Field(default=_SCHEME.cross_aisle_m, ge=0, le=_WIDTH_MAX_M)
    main_aisle_m: float = Field(default=_SCHEME.main_aisle_m, ge=0, le=_WIDTH_MAX_M)
    perimeter_aisle_m: float = Field(default=_SCHEME.perimeter_aisle_m, ge=0, le=_WIDTH_MAX_M)
    main_aisle_spacing_m: float = Field(default=_SCHEME.main_aisle_spacing_m, ge=0, le=10_000)
    orientation: Literal["auto", "x", "y"] = _SCHEME.orientation
    entrance_clear_m: float = Field(default=_SCHEME.entrance_clear_m, ge=0, le=_WIDTH_MAX_M)
    exit_clear_m: float = Field(default=_SCHEME.exit_clear_m, ge=0, le=_WIDTH_MAX_M)
    exit_approach_m: float = Field(default=_SCHEME.exit_approach_m, ge=0, le=_WIDTH_MAX_M)
    hydrant_clear_m: float = Field(default=_SCHEME.hydrant_clear_m, ge=0, le=_WIDTH_MAX_M)
    feature_bands: int = Field(default=_SCHEME.feature_bands, ge=0, le=_DEPTH_MAX_MODULES)
    feature_depth_modules: int = Field(
        default=_SCHEME.feature_depth_modules, ge=1, le=_DEPTH_MAX_MODULES
    )


# Weights count against each other; a million times the default is as good as infinity.
_WEIGHT_MAX = 1e6


class DatesIn(_Model):
    """The show's first and last day (the exports' validity, the crowding forecast's days)."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _in_order(self) -> DatesIn:
        if self.end < self.start:
            raise ValueError(
                f"the show ends ({self.end}) before it starts ({self.start}) — swap the dates"
            )
        return self


class WeightsIn(_Model):
    location: float = Field(default=_WEIGHTS.location, ge=0, le=_WEIGHT_MAX)
    preferred_hall: float = Field(default=_WEIGHTS.preferred_hall, ge=0, le=_WEIGHT_MAX)
    partners: float = Field(default=_WEIGHTS.partners, ge=0, le=_WEIGHT_MAX)
    booth_type: float = Field(default=_WEIGHTS.booth_type, ge=0, le=_WEIGHT_MAX)
    zone_compact: float = Field(default=_WEIGHTS.zone_compact, ge=0, le=_WEIGHT_MAX)
    placed: float = Field(default=_WEIGHTS.placed, ge=0, le=_WEIGHT_MAX)


class EventIn(_Model):
    schema_: Literal["boothopt.event/1"] = Field(alias="schema")
    name: str = Field(min_length=1)
    name_ko: str = ""
    venue: str = Field(min_length=1)
    halls: list[str] = Field(min_length=1)
    module_m: float = 3.0
    aisles: AislesIn = AislesIn()
    tiers: list[str] = Field(default=list(DEFAULT_TIERS), min_length=1)
    competitor_distance_m: float = Field(default=9.0, ge=0, le=10_000)
    # Why 6 m: see DEFAULT_POWER_REACH_M. Infinity would drop the rule, NaN refuse every booth.
    power_reach_m: float = Field(default=DEFAULT_POWER_REACH_M, ge=0, le=10_000)
    zones: list[ZoneIn] = []
    reserved: list[ReservedIn] = []
    exhibitors: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1, max_length=MAX_TABLES
    )
    weights: WeightsIn = WeightsIn()
    dates: DatesIn | None = None
    # Booths a re-plan keeps whatever it costs: exhibitor ids, hall:ID or zone:ID.
    locks: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default=[], max_length=MAX_LOCKS
    )

    @field_validator("module_m")
    @classmethod
    def _module_size(cls, value: float) -> float:
        if not MODULE_M_MIN <= value <= MODULE_M_MAX:
            raise ValueError(
                f"{value:g} m is not the side of a booth module — give it in metres, between "
                f"{MODULE_M_MIN:g} and {MODULE_M_MAX:g} (3 for the Korean shell-scheme booth)"
            )
        return value


def load_event(path: str | Path, allow_outside: bool = False) -> Event:
    """Read and check an event file with its venue and exhibitor tables.

    The files the event names (venue file, exhibitor tables) must lie in the event file's
    folder or below it, links followed, unless ``allow_outside``: an event file from elsewhere
    cannot make boothopt read, and quote, any file on the machine.

    Raises
    ------
    IntakeError
        With every fault found in the event file and its tables, one per line.
    """
    path = Path(path)
    return _build_event(_read_event_file(path), path, allow_outside)


def read_zones_and_tiers(
    path: str | Path, allow_outside: bool = False
) -> tuple[list[tuple[str, str]], list[str]]:
    """Return an event file's zones as (id, name) pairs and its tiers, without its tables.

    No other file is read, so ``allow_outside`` changes nothing; it is taken so that every
    command reading an event takes the same options.
    """
    del allow_outside
    model = _read_event_file(Path(path))
    zones = [
        (z.id, " / ".join(n for n in (z.name_ko, z.name_en) if n) or z.id) for z in model.zones
    ]
    return zones, [t.strip().casefold() for t in model.tiers]


def _read_event_file(path: Path) -> EventIn:
    source = str(path)
    if not path.is_file():
        raise IntakeError([f"{source}: file not found — check the path"])
    try:
        raw = load_yaml(utf8_text(read_bytes(path, MAX_YAML_BYTES)))
    except FileFault as fault:
        raise IntakeError([fault.at(source)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark else ""
        raise IntakeError([f"{source}:{line} not valid YAML — fix the syntax"]) from None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise IntakeError(
            [f"{source}: not an event file — its first line must be 'schema: {SCHEMA}'"]
        )
    try:
        return EventIn.model_validate(raw)
    except ValidationError as exc:
        raise IntakeError([_pydantic_problem(source, err) for err in exc.errors()]) from None


def _pydantic_problem(source: str, err: Any) -> str:
    where = ".".join(printable(str(p)) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"{source}: {where}: unknown field — check its spelling"
    if err["type"] == "missing":
        return f"{source}: {where}: required field is missing — add it"
    if err["type"] == "string_pattern_mismatch":
        return f"{source}: {where}: an id is one line of text — remove the line break"
    return f"{source}: {where}: {err['msg'].removeprefix('Value error, ')}"


def _build_event(model: EventIn, path: Path, allow_outside: bool = False) -> Event:
    source = str(path)
    # A venue file is found next to the event file; a built-in name is a built-in venue.
    is_file = Path(model.venue).suffix.lower() in (".yaml", ".yml", ".json")
    if is_file or model.venue not in builtin_venues():
        venue_path = path.parent / model.venue
        outside = _outside(venue_path, path, allow_outside)
        if outside:
            raise IntakeError([f"{source}: venue: {outside}"])
        venue = load_venue(venue_path)
    else:
        venue = load_venue(model.venue)
    problems: list[str] = []
    known_halls = venue.hall_ids()
    rented: list[str] = []
    for hall_id in model.halls:
        if hall_id not in known_halls:
            problems.append(
                f"{source}: halls: {venue.id} has no hall {quoted(hall_id)} — use one of "
                + ", ".join(known_halls)
            )
        else:
            rented.append(hall_id)
    overlap = _overlapping_halls(venue, rented)
    if overlap:
        problems.append(
            f"{source}: halls: {overlap[0]} and {overlap[1]} share floor (one is "
            "part of the other) — rent either the joined hall or its parts"
        )
    try:
        scheme = AisleScheme(module_m=model.module_m, **model.aisles.model_dump())
    except ValueError as exc:  # the scheme's own rule: a row holds at least one module
        problems.append(f"{source}: aisles: {exc} ({model.module_m:g} m) — raise it")
        raise IntakeError(problems) from None
    # Refused before any grid is laid out: a grid of millions of cells fills the memory.
    floor_m2 = sum(venue.hall(h).area_m2 for h in rented)
    cells = floor_m2 / model.module_m**2
    if cells > MAX_GRID_CELLS:
        problems.append(
            f"{source}: halls: the rented halls' {floor_m2:,.0f} m² make {cells:,.0f} modules "
            f"of {model.module_m:g} m, more than the {MAX_GRID_CELLS:,} boothopt lays out — rent "
            "fewer halls, or use a larger module_m"
        )
        raise IntakeError(problems)
    grids = {h: build_grid(venue.hall(h), scheme) for h in rented}
    tiers = tuple(t.strip().casefold() for t in model.tiers)
    zones = _build_zones(model, source, rented, venue, problems)
    reserved = _build_reserved(model, source, rented, venue, problems)

    exhibitors: list[Exhibitor] = []
    warnings: list[str] = []
    ctx = _RowContext(model, tiers, zones, rented, grids, problems, warnings)
    rows_read = 0
    for i, table_ref in enumerate(model.exhibitors):
        table_path = path.parent / table_ref
        outside = _outside(table_path, path, allow_outside)
        if outside:
            problems.append(f"{source}: exhibitors[{i}]: {outside}")
            continue
        table = read_table(table_path, display=printable(str(table_path), _PATH_SHOWN))
        problems += table.problems
        rows_read += len(table.rows)
        if rows_read > MAX_ROWS:
            problems.append(
                f"{source}: exhibitors: the tables hold more than {MAX_ROWS:,} exhibitors in all, "
                "the most boothopt reads for one event — check that no table is listed twice"
            )
            break
        for row in table.rows:
            exhibitor = ctx.parse(table.source, row)
            if exhibitor is not None:
                exhibitors.append(exhibitor)
    _cross_check(exhibitors, ctx.rows_by_id, zones, problems)
    if problems:
        raise IntakeError(problems)
    exhibitors = [_with_zone(e, zones) for e in exhibitors]
    warnings += [
        f"{e.source}: this is the application template's example row — delete it unless it is "
        "a real application"
        for e in exhibitors
        if (e.id, e.name_en, e.applied_on)
        == (EXAMPLE_ROW["id"], EXAMPLE_ROW["name_en"], EXAMPLE_ROW["applied_on"])
    ]
    warnings += _floor_warnings(exhibitors, reserved, grids, model.module_m)
    return Event(
        name=model.name,
        name_ko=model.name_ko,
        venue=venue,
        halls=tuple(rented),
        scheme=scheme,
        zones=tuple(zones),
        reserved=tuple(reserved),
        exhibitors=tuple(exhibitors),
        tiers=tiers,
        weights=Weights(**model.weights.model_dump()),
        competitor_distance_m=model.competitor_distance_m,
        power_reach_m=model.power_reach_m,
        locks=tuple(model.locks),
        dates=(model.dates.start, model.dates.end) if model.dates else None,
        warnings=tuple(warnings),
        source=source,
        layout_breaches=layout_breaches(grids),
        impossible=impossible_rules(exhibitors, zones, grids),
    )


def _outside(target: Path, event_path: Path, allow_outside: bool) -> str | None:
    """Return why ``target`` may not be read for the event at ``event_path``, or None."""
    if allow_outside:
        return None
    folder = event_path.parent.resolve()
    try:
        where = target.resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        return (
            f"{printable(str(target), _PATH_SHOWN)} cannot be followed to a file — name the "
            "file itself"
        )
    if where.is_relative_to(folder):
        return None
    return (
        f"{printable(str(target), _PATH_SHOWN)} is outside the event file's folder {folder} "
        "(links followed) — put the file in that folder or below it, or run with --allow-outside"
    )


def _overlapping_halls(venue: Venue, rented: list[str]) -> tuple[str, str] | None:
    for i, a in enumerate(rented):
        for b in rented[i + 1 :]:
            ha, hb = venue.hall(a), venue.hall(b)
            if ha.level == hb.level and ha.outline.intersection(hb.outline).area > 1.0:
                return a, b
    return None


def _build_zones(
    model: EventIn, source: str, rented: list[str], venue: Venue, problems: list[str]
) -> list[Zone]:
    zones = []
    seen: set[str] = set()
    for i, z in enumerate(model.zones):
        where = f"{source}: zones[{i}] ({z.id})"
        if z.id in seen:
            problems.append(f"{where}: the zone id is used twice — give each zone its own id")
        seen.add(z.id)
        if z.hall is not None and z.hall not in rented:
            problems.append(
                f"{where}: hall {quoted(z.hall)} is not rented — use one of " + ", ".join(rented)
            )
        if z.near_entrance is not None:
            doors = {d.id for h in rented for d in venue.hall(h).entrances}
            if z.near_entrance not in doors:
                problems.append(
                    f"{where}: no entrance {quoted(z.near_entrance)} in the rented halls — "
                    "use one of " + ", ".join(sorted(doors))
                )
        rule = ZoneRule(tuple(z.members.kinds), tuple(z.members.categories), tuple(z.members.ids))
        zones.append(
            Zone(z.id, z.name_ko, z.name_en or z.id, rule, z.contiguous, z.hall, z.near_entrance)
        )
    return zones


def _build_reserved(
    model: EventIn, source: str, rented: list[str], venue: Venue, problems: list[str]
) -> list[ReservedArea]:
    out = []
    for i, r in enumerate(model.reserved):
        where = f"{source}: reserved[{i}] ({r.id})"
        if r.hall not in rented:
            problems.append(
                f"{where}: hall {quoted(r.hall)} is not rented — use one of " + ", ".join(rented)
            )
        if r.size_m[0] <= 0 or r.size_m[1] <= 0:
            problems.append(f"{where}: size_m must be two positive lengths [width, depth]")
        elif r.hall in rented and r.size_m[0] * r.size_m[1] > venue.hall(r.hall).area_m2:
            problems.append(
                f"{where}: {r.size_m[0]:g} m x {r.size_m[1]:g} m is larger than hall {r.hall} "
                f"({venue.hall(r.hall).area_m2:,.0f} m²) — check the size_m, in metres"
            )
        out.append(
            ReservedArea(
                r.id, r.kind, r.name_ko, r.name_en or r.id, (r.size_m[0], r.size_m[1]), r.hall, r.at
            )
        )
    return out


# --- one exhibitor row ------------------------------------------------------------------------


_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일"),
)
_SHAPE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[x×*X]\s*(\d+(?:\.\d+)?)\s*(m)?\s*")
_SPLIT = re.compile(r"[;,|\n]")


class _RowContext:
    """What parsing one exhibitor row needs to know about the event."""

    def __init__(
        self,
        model: EventIn,
        tiers: tuple[str, ...],
        zones: list[Zone],
        rented: list[str],
        grids: dict[str, HallGrid],
        problems: list[str],
        warnings: list[str],
    ) -> None:
        self.model = model
        self.tiers = tiers
        self.zone_ids = {z.id for z in zones}
        self.rented = rented
        self.max_cells = max((g.n_cells for g in grids.values()), default=0)
        self.problems = problems
        self.warnings = warnings
        self.tier_vocab = {t: TIER_ALIASES.get(t, ()) for t in tiers}
        # Every row with an id, parsed or not, so references to a faulty row are not reported
        # as unknown ids on top of the row's own fault.
        self.rows_by_id: dict[str, list[tuple[str, Row]]] = {}

    def parse(self, source: str, row: Row) -> Exhibitor | None:
        """Return the exhibitor of one row, or None after reporting its faults."""
        before = len(self.problems)
        v = row.values

        def fault(name: str, what: str) -> None:
            if name in row.faulty:
                return  # the reader has reported this cell
            column = row.headers.get(name, name)
            self.problems.append(f"{source}:{row.number}:{column}: {what}")

        ident = _text(v.get("id"))
        if not ident:
            fault("id", "missing id — give every exhibitor a unique id")
            return None
        self.rows_by_id.setdefault(ident, []).append((source, row))
        name_ko, name_en = _name(v.get("name_ko")), _name(v.get("name_en"))
        if not name_ko and not name_en:
            fault("name_ko", "no name — fill name_ko (업체명) or name_en (영문명)")
        kind = match_value(_text(v.get("kind")), KIND_VALUES)
        if kind is None:
            fault(
                "kind",
                f"kind {quoted(_text(v.get('kind')))} is unknown — write city, company, "
                "institution or government (도시, 기업, 기관, 정부)",
            )
        tier_text = _text(v.get("tier"))
        tier = self.tiers[-1] if not tier_text else match_value(tier_text, self.tier_vocab)
        if tier is None:
            fault(
                "tier", f"tier {quoted(tier_text)} is unknown — use one of {', '.join(self.tiers)}"
            )
        booth_type = match_booth_type(_text(v.get("booth_type")))
        if booth_type is None:
            fault(
                "booth_type",
                f"booth type {quoted(_text(v.get('booth_type')))} is unknown — write "
                "inline, corner, peninsula, island or any; add + for that type or one with "
                "more open sides (corner+)",
            )
        modules, shape = self._size(v, fault, ident)
        rotatable = _bool(v.get("rotatable"), default=True)
        if rotatable is None:
            fault("rotatable", "rotatable is not yes or no — write yes or no (예/아니오)")
        points = _number(v.get("priority_points"), 0.0)
        if points is None:
            fault(
                "priority_points",
                _not_a_number(
                    v.get("priority_points"), "priority points are not a number — write e.g. 50"
                ),
            )
        applied = _date(v.get("applied_on"))
        if applied is False:
            fault(
                "applied_on",
                f"{quoted(_text(v.get('applied_on')))} is not a date — write YYYY-MM-DD, "
                "e.g. 2024-07-15",
            )
        zone = _text(v.get("zone")) or None
        if zone is not None and zone not in self.zone_ids:
            fault(
                "zone",
                f"zone {quoted(zone)} is not declared in the event file — use one of "
                + (", ".join(sorted(self.zone_ids)) or "(no zones declared)"),
            )
        halls = tuple(_items(v.get("halls")))
        for h in halls:
            if h not in self.rented:
                fault(
                    "halls",
                    f"hall {quoted(h)} is not rented for this event — use one of "
                    + ", ".join(self.rented),
                )
        near = tuple(_items(v.get("near")))
        avoid = self._avoid(v.get("avoid"), fault)
        needs = []
        for name in ("power_kw", "load_t_m2", "height_m"):
            value = _number(v.get(name), 0.0)
            if value is None or value < 0:
                usual = f"{name} is not a number of 0 or more — write e.g. 5, or leave it blank"
                fault(name, _not_a_number(v.get(name), usual))
            needs.append(value or 0.0)
        booth = _text(v.get("booth"))
        if booth and not (BOOTH_NUMBER.fullmatch(booth) or BOOTH_POSITION.fullmatch(booth)):
            fault(
                "booth",
                f"{quoted(booth)} is neither a booth number (C-214) nor a position "
                "(C@120,45 2x1: hall@x,y in metres, size in modules) — write one of them, or "
                "leave it blank",
            )
        elif (m := BOOTH_POSITION.fullmatch(booth)) and m["hall"] not in self.rented:
            fault("booth", f"hall {quoted(m['hall'])} of booth {quoted(booth)} is not rented")
        if len(self.problems) > before or row.faulty:
            return None
        assert kind is not None and tier is not None and booth_type is not None
        assert modules is not None and points is not None and applied is not False
        return Exhibitor(
            id=ident,
            name_ko=name_ko,
            name_en=name_en,
            kind=Kind(kind),
            country=_text(v.get("country")).upper(),
            category=_text(v.get("category")),
            modules=modules,
            tier=tier,
            shape=shape,
            rotatable=bool(rotatable),
            booth_type=BoothType(booth_type[0]),
            booth_type_or_better=booth_type[1],
            priority_points=points,
            applied_on=applied,
            zone=zone,
            halls=halls,
            near=near,
            avoid=avoid,
            needs=Needs(*needs),
            source=f"{source}:{row.number}",
            booth=booth,
        )

    def _size(
        self, v: dict[str, Any], fault: Any, ident: str
    ) -> tuple[int | None, tuple[int, int] | None]:
        module = self.model.module_m
        shape = None
        shape_text = _text(v.get("shape"))
        if shape_text:
            m = _SHAPE.fullmatch(shape_text)
            if m is None:
                fault(
                    "shape",
                    f"shape {quoted(shape_text)} is not WxD — write e.g. 3x2 (modules) or 9x6m "
                    "(metres)",
                )
                return None, None
            a, b = float(m.group(1)), float(m.group(2))
            if m.group(3):
                a, b = a / module, b / module
            if a < 1 or b < 1 or abs(a - round(a)) > 1e-9 or abs(b - round(b)) > 1e-9:
                fault(
                    "shape",
                    f"shape {quoted(shape_text)} is not whole {module:g} m modules — "
                    "round it to whole modules",
                )
                return None, None
            shape = (round(a), round(b))
        modules_raw, area_raw = v.get("modules"), v.get("area_m2")
        modules: int | None = None
        if modules_raw is not None:
            value = _number(modules_raw, None)
            if value is None or value <= 0 or abs(value - round(value)) > 1e-9:
                usual = (
                    f"size {quoted(_text(modules_raw))} is not a whole number of modules, 1 or "
                    f"more — write e.g. 2 (one module is {module:g} m x {module:g} m)"
                )
                fault("modules", _not_a_number(modules_raw, usual))
                return None, shape
            modules = round(value)
        elif area_raw is not None:
            area = _number(area_raw, None)
            if area is None or area <= 0:
                usual = (
                    f"area {quoted(_text(area_raw))} is not a positive number — write m², e.g. 18"
                )
                fault("area_m2", _not_a_number(area_raw, usual))
                return None, shape
            exact = area / module**2
            modules = max(1, math.ceil(exact - 1e-9))
            if abs(exact - modules) > 1e-9:
                self.warnings.append(
                    f"{ident}: {area:g} m² rounded up to {modules} modules "
                    f"({modules * module**2:g} m²)"
                )
        elif shape is not None:
            modules = shape[0] * shape[1]
        else:
            fault("modules", "no size — fill modules (부스수) or area_m2 (면적)")
            return None, shape
        if shape is not None and shape[0] * shape[1] != modules:
            fault(
                "shape",
                f"shape {shape[0]}x{shape[1]} is {shape[0] * shape[1]} modules but "
                f"the size is {modules} — make them agree",
            )
            return None, None
        if modules > self.max_cells:
            fault(
                "modules" if modules_raw is not None else "area_m2",
                f"{modules} modules is larger than any rented hall (the largest holds "
                f"{self.max_cells}) — check the size or rent a larger hall",
            )
            return None, shape
        return modules, shape

    def _avoid(self, raw: Any, fault: Any) -> tuple[tuple[str, float], ...]:
        out = []
        default = self.model.competitor_distance_m
        items: list[Any] = raw if isinstance(raw, list) else list(_items(raw))
        for item in items:
            if isinstance(item, dict):
                ident, dist = _text(item.get("id")), _number(item.get("distance_m"), default)
                written = f"{ident}:{_text(item.get('distance_m'))}"
            else:
                written = _text(item)
                ident, _, metres = written.partition(":")
                ident = ident.strip()
                dist = _number(metres, default) if metres.strip() else default
            if not ident or dist is None or dist < 0:
                fault("avoid", f"{quoted(written)} is not id or id:metres — write e.g. acme:12")
                continue
            out.append((ident, float(dist)))
        return tuple(out)


# A booth fixed in the table: an earlier plan's number (C-214) or hall@x,y [WxD modules].
BOOTH_NUMBER = re.compile(r"[^\s@]+-\d+")
BOOTH_POSITION = re.compile(
    r"(?P<hall>[^\s@]+)@\s*(?P<x>-?\d+(?:\.\d+)?)\s*,\s*(?P<y>-?\d+(?:\.\d+)?)"
    r"(?:\s+(?P<w>\d+)\s*[xX×]\s*(?P<d>\d+))?"
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _name(value: Any) -> str:
    # Names are kept exactly as written (Korean, accents, emoji); only blank cells become "".
    return "" if value is None else str(value)


def _items(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [p.strip() for p in _SPLIT.split(_text(value)) if p.strip()]


# A comma between groups of three digits separates thousands (1,000 or 12,500.5), as Korean and
# English write; any other comma is a decimal comma (1,5), refused rather than guessed at.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def _number(value: Any, default: float | None) -> float | None:
    """Return a cell's number, ``default`` for a blank cell, None for anything but a finite number.

    Examples
    --------
    >>> _number("1,500", None), _number(" 2.5 ", None), _number(None, 0.0)
    (1500.0, 2.5, 0.0)
    >>> [_number(x, None) for x in ("1,5", "nan", "inf", "1e309", float("nan"), 10**400, True)]
    [None, None, None, None, None, None, None]
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = str(value).strip()
            if "," in text:
                if not _THOUSANDS.fullmatch(text):
                    return None
                text = text.replace(",", "")
            number = float(text)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _not_a_number(value: Any, usual: str) -> str:
    """Return the message for a cell that is not a number: a decimal comma's own, or ``usual``."""
    text = _text(value)
    if _DECIMAL_COMMA.fullmatch(text):
        return (
            f"{quoted(text)} has a decimal comma — write {text.replace(',', '.')} with a point "
            "(a comma only separates thousands, as in 1,000)"
        )
    return usual


def _bool(value: Any, default: bool) -> bool | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    key = _text(value).casefold()
    if key in YES:
        return True
    if key in NO:
        return False
    return None


def _date(value: Any) -> dt.date | Literal[False] | None:
    """Return the date of a cell, None for a blank one, False for one that is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return False
    return False


# --- checks across rows -----------------------------------------------------------------------


def _cross_check(
    exhibitors: list[Exhibitor],
    rows_by_id: dict[str, list[tuple[str, Row]]],
    zones: list[Zone],
    problems: list[str],
) -> None:
    for ident, rows in rows_by_id.items():
        (first_source, first_row), *again = rows
        for source, row in again:
            problems.append(
                f"{source}:{row.number}:{row.headers['id']}: duplicate id {quoted(ident)}, first "
                f"used at {first_source}:{first_row.number} — give each exhibitor its own id"
            )
    for e in exhibitors:
        source, row = rows_by_id[e.id][0]
        near_at = f"{source}:{row.number}:{row.headers.get('near', 'near')}"
        avoid_at = f"{source}:{row.number}:{row.headers.get('avoid', 'avoid')}"
        for other in e.near:
            if other == e.id:
                problems.append(f"{near_at}: {quoted(e.id)} lists itself as a partner — remove it")
            elif other not in rows_by_id:
                problems.append(
                    f"{near_at}: partner {quoted(other)} is not an exhibitor id — check the "
                    "spelling or remove it"
                )
        for other, _ in e.avoid:
            if other == e.id:
                problems.append(
                    f"{avoid_at}: {quoted(e.id)} lists itself as a competitor — remove it"
                )
            elif other not in rows_by_id:
                problems.append(
                    f"{avoid_at}: competitor {quoted(other)} is not an exhibitor id — check the "
                    "spelling or remove it"
                )
    for z in zones:
        for ident in z.rule.ids:
            if ident not in rows_by_id:
                problems.append(
                    f"zone {z.id}: member {quoted(ident)} is not an exhibitor id — check "
                    "the spelling or remove it"
                )


def _with_zone(e: Exhibitor, zones: list[Zone]) -> Exhibitor:
    """Give an exhibitor with no zone of its own the first zone whose rule takes it."""
    if e.zone is not None:
        return e
    for z in zones:
        if z.rule.matches(e.kind, e.category, e.id):
            return replace(e, zone=z.id)
    return e


def _floor_warnings(
    exhibitors: list[Exhibitor],
    reserved: list[ReservedArea],
    grids: dict[str, HallGrid],
    module_m: float,
) -> list[str]:
    out = []
    usable = sum(g.usable_m2 for g in grids.values())
    requested = sum(e.modules for e in exhibitors) * module_m**2
    reserved_m2 = sum(r.size_m[0] * r.size_m[1] for r in reserved)
    if requested + reserved_m2 > usable:
        out.append(
            f"requests ({requested:,.0f} m²) and reserved areas ({reserved_m2:,.0f} m²) "
            f"exceed the usable floor ({usable:,.0f} m²): the lowest-priority requests "
            "will go unplaced"
        )
    loads = [g.hall.floor_load_t_m2.value for g in grids.values() if g.hall.floor_load_t_m2]
    heights = [g.hall.ceiling_height_m.value for g in grids.values() if g.hall.ceiling_height_m]
    for e in exhibitors:
        if e.needs.load_t_m2 and loads and e.needs.load_t_m2 > max(loads):
            out.append(
                f"{e.id}: needs {e.needs.load_t_m2:g} t/m² but no rented hall's floor "
                f"bears more than {max(loads):g} t/m²"
            )
        if e.needs.height_m and heights and e.needs.height_m > max(heights):
            out.append(
                f"{e.id}: needs {e.needs.height_m:g} m of height but no rented hall is "
                f"higher than {max(heights):g} m"
            )
    return out + _booth_type_warnings(exhibitors, grids)


def _booth_type_warnings(exhibitors: list[Exhibitor], grids: dict[str, HallGrid]) -> list[str]:
    """Return a warning for each request whose size cannot make its booth type in these rows."""
    # The solver's own shape rule (its limit on long, thin booths included), asked of a bare
    # block of each size: the floor is judged free, so only size, shape and type are checked.
    blocks = sorted(
        {(b.axis == "x", b.n_along, b.n_deep) for g in grids.values() for b in g.blocks}
    )
    if not blocks:
        return []
    rows = next(iter(grids.values())).scheme.kind == "rows"
    depths = _either([str(d) for d in sorted({deep for _, _, deep in blocks})])
    # One line per size and type: many exhibitors asking the same are one fault, said once.
    asking: dict[tuple[object, ...], list[Exhibitor]] = {}
    for e in exhibitors:
        if e.booth_type is not BoothType.ANY:
            key = (e.modules, e.shape, e.rotatable, e.booth_type, e.booth_type_or_better)
            asking.setdefault(key, []).append(e)
    out = []
    for same in asking.values():
        why = _booth_type_problem(same[0], blocks, rows, depths)
        if why is None:
            continue
        first = same[0]
        if len(same) == 1:
            out.append(f"{first.source}: {first.id}: {why}")
        else:
            ids = ", ".join(e.id for e in same[:10]) + (
                f" and {len(same) - 10} more" if len(same) > 10 else ""
            )
            out.append(f"{first.source} and {len(same) - 1} more rows: {ids}: {why}")
    return out


def _booth_type_problem(
    e: Exhibitor, blocks: list[tuple[bool, int, int]], rows: bool, depths: str
) -> str | None:
    """Return why no bare block makes the exhibitor's booth type, None when one does.

    ``blocks`` are (rows along x, modules along, modules deep).
    """
    shapes = [(along, deep, booth_shapes_in(e, x, along, deep)) for x, along, deep in blocks]
    if not any(fit for _, _, fit in shapes):
        return None  # no block is large enough: the solver says so
    if any(forms_booth_type(e, fit, along, deep, rows) for along, deep, fit in shapes):
        return None
    sides = {
        n
        for along, deep, fit in shapes
        for a, d in fit
        for n in open_side_counts(a, d, along, deep)
    }
    others = [t.value for t in BoothType if t is not BoothType.ANY and t.open_sides in sides]
    size = f"{e.shape[0]}x{e.shape[1]}" if e.shape else str(e.modules)
    unit = "module" if size == "1" else "modules"
    instead = f"{_either(others)} (or any)" if others else "any"
    return (
        f"{size} {unit} cannot make a booth of type {e.booth_type_label} in these halls' rows, "
        f"{depths} modules deep — {e.booth_type.rule}; ask for {instead}, or another size or "
        "shape"
    )


def _either(words: list[str]) -> str:
    """Return ``a``, ``a or b``, ``a, b or c``."""
    return " or ".join([", ".join(words[:-1]), words[-1]] if words[1:] else words)


def event_summary(event: Event) -> dict[str, Any]:
    """Return the figures `boothopt validate` prints: counts, areas, warnings."""
    grids = {h: build_grid(event.venue.hall(h), event.scheme) for h in event.halls}
    module_area = event.scheme.module_m**2
    return {
        "event": event.name,
        "venue": event.venue.id,
        "exhibitors": len(event.exhibitors),
        "by_kind": dict(Counter(e.kind.value for e in event.exhibitors).most_common()),
        "by_zone": dict(Counter(e.zone or "(none)" for e in event.exhibitors).most_common()),
        "by_tier": {t: sum(e.tier == t for e in event.exhibitors) for t in event.tiers},
        "requested_m2": event.requested_modules * module_area,
        "reserved_m2": sum(r.size_m[0] * r.size_m[1] for r in event.reserved),
        "usable_m2": sum(g.usable_m2 for g in grids.values()),
        "halls": [
            {"id": h, "usable_m2": g.usable_m2, "cells": g.n_cells} for h, g in grids.items()
        ],
        "warnings": list(event.warnings),
        "layout_breaches": [b.as_dict() for b in event.layout_breaches],
        "impossible": list(event.impossible),
    }


def event_to_dict(event: Event) -> dict[str, Any]:
    """Return the normalized event as the solver will see it, as JSON-ready data."""
    summary = event_summary(event)
    return {
        "event": event.name,
        "name_ko": event.name_ko,
        "venue": event.venue.id,
        "module_m": event.scheme.module_m,
        "halls": summary["halls"],
        "tiers": list(event.tiers),
        "zones": [
            {
                "id": z.id,
                "name_ko": z.name_ko,
                "name_en": z.name_en,
                "contiguous": z.contiguous,
                "hall": z.hall,
                "near_entrance": z.near_entrance,
                "members": {
                    "kinds": [k.value for k in z.rule.kinds],
                    "categories": list(z.rule.categories),
                    "ids": list(z.rule.ids),
                },
            }
            for z in event.zones
        ],
        "reserved": [
            {
                "id": r.id,
                "kind": r.kind,
                "name_ko": r.name_ko,
                "name_en": r.name_en,
                "size_m": list(r.size_m),
                "hall": r.hall,
                "at": list(r.at) if r.at else None,
            }
            for r in event.reserved
        ],
        "exhibitors": [
            {
                "id": e.id,
                "name_ko": e.name_ko,
                "name_en": e.name_en,
                "kind": e.kind.value,
                "country": e.country,
                "category": e.category,
                "modules": e.modules,
                "shape": list(e.shape) if e.shape else None,
                "rotatable": e.rotatable,
                "booth_type": e.booth_type.value,
                "booth_type_or_better": e.booth_type_or_better,
                "tier": e.tier,
                "priority_points": e.priority_points,
                "applied_on": e.applied_on.isoformat() if e.applied_on else None,
                "zone": e.zone,
                "halls": list(e.halls),
                "near": list(e.near),
                "avoid": [[i, d] for i, d in e.avoid],
                "needs": {
                    "power_kw": e.needs.power_kw,
                    "load_t_m2": e.needs.load_t_m2,
                    "height_m": e.needs.height_m,
                },
            }
            for e in event.exhibitors
        ],
        "weights": vars(event.weights),
        "competitor_distance_m": event.competitor_distance_m,
        "power_reach_m": event.power_reach_m,
        "locks": list(event.locks),
        "warnings": list(event.warnings),
        "layout_breaches": summary["layout_breaches"],
        "impossible": summary["impossible"],
    }
