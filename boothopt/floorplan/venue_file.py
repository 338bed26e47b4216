"""Read a venue from a YAML/JSON file (or a built-in name) and check it.

The file schema (``schema: boothopt.venue/1``) is described by the pydantic models below. Every
fault found is reported at once, each naming the hall and what to change; the result is a plain,
immutable :class:`~boothopt.floorplan.venue.Venue`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

import shapely
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from shapely.geometry import LineString, Point, Polygon

from boothopt.errors import FileFault, VenueError, field_path
from boothopt.floorplan.parametric import LEVEL_DEFAULTS, expand_generated_halls
from boothopt.floorplan.venue import (
    Figure,
    GeoAnchor,
    Hall,
    Obstacle,
    Opening,
    UtilityPoint,
    Venue,
)
from boothopt.limits import (
    MAX_COORDINATE_M,
    MAX_FILE_BYTES,
    MAX_FLOOR_M2,
    MAX_GENERATED_DOORS,
    MAX_GRID_POINTS,
    MAX_HALLS,
    MAX_YAML_BYTES,
    load_json,
    load_yaml,
    printable,
    quoted,
    read_bytes,
    utf8_text,
)

SCHEMA = "boothopt.venue/1"
UNITS_TO_M = {"m": 1.0, "cm": 0.01, "mm": 0.001, "ft": 0.3048}
# An opening counts as "on the outline" within this distance (metres): drawings are not exact.
ON_OUTLINE_TOL_M = 0.25
# Overlaps smaller than this (m²) between halls of one level are drawing noise, not a fault.
OVERLAP_TOL_M2 = 0.01

Pair = tuple[float, float]


class _Model(BaseModel):
    # NaN and infinity are no measure of anything: every number must be finite.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FigureIn(_Model):
    value: float = Field(gt=0)
    estimated: bool = False
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        """Read a bare number as a measured (not estimated) figure."""
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"value": data}
        return data


class RectIn(_Model):
    origin: Pair
    size: Pair

    @model_validator(mode="after")
    def _positive(self) -> RectIn:
        if self.size[0] <= 0 or self.size[1] <= 0:
            raise ValueError("rect size must be two positive numbers [width, depth]")
        return self


class ObstacleIn(_Model):
    id: str = ""
    kind: Literal["column", "core", "stage", "wall", "other"] = "column"
    polygon: list[Pair] | None = None
    at: Pair | None = None
    size_m: Pair | float | None = None

    @model_validator(mode="after")
    def _shape_given(self) -> ObstacleIn:
        if (self.polygon is None) == (self.at is None):
            raise ValueError("give an obstacle either 'polygon' or 'at' with 'size_m', not both")
        sizes = (self.size_m,) if isinstance(self.size_m, int | float) else self.size_m or ()
        if any(v <= 0 for v in sizes):
            raise ValueError("an obstacle's size_m must be positive")
        if self.at is not None and self.size_m is None:
            raise ValueError(
                "an obstacle given by 'at' needs 'size_m' ([width, depth] or one number)"
            )
        return self


class ColumnGridIn(_Model):
    spacing_m: Pair
    size_m: float = Field(default=1.0, gt=0)
    origin: Pair | None = None  # first column; defaults to one spacing in from the corner
    estimated: bool = False

    @model_validator(mode="after")
    def _positive(self) -> ColumnGridIn:
        if self.spacing_m[0] <= 0 or self.spacing_m[1] <= 0:
            raise ValueError("columns.spacing_m must be two positive distances [along x, along y]")
        return self


class OpeningIn(_Model):
    id: str = ""
    at: Pair
    width_m: float = Field(gt=0)


class UtilityIn(_Model):
    kind: Literal["power", "water", "data", "air", "drain"]
    at: Pair


class UtilityGridIn(_Model):
    spacing_m: float = Field(gt=0)
    kinds: list[Literal["power", "water", "data", "air", "drain"]] = ["power"]
    estimated: bool = False


# A hall id is a short name (A, B2, 1F-West): it is printed in every message and booth number.
HallId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f\x7f]+$")]


class HallIn(_Model):
    id: HallId
    name: str = ""
    name_ko: str = ""
    level: str = "1F"
    outline: list[Pair] | None = None
    rect: RectIn | None = None
    estimated: bool = False
    note: str = ""
    published_area_m2: float | None = None
    ceiling_height_m: FigureIn | None = None
    floor_load_t_m2: FigureIn | None = None
    obstacles: list[ObstacleIn] = []
    columns: ColumnGridIn | None = None
    entrances: list[OpeningIn] = []
    exits: list[OpeningIn] = []
    hydrants: list[Pair] = []
    utilities: list[UtilityIn] = []
    utility_grid: UtilityGridIn | None = None

    @model_validator(mode="after")
    def _outline_given(self) -> HallIn:
        if (self.outline is None) == (self.rect is None):
            raise ValueError("give a hall either 'outline' (a closed ring) or 'rect', not both")
        return self


class JoinedIn(_Model):
    id: HallId
    halls: list[str] = Field(min_length=2)
    name: str = ""
    name_ko: str = ""


class AnchorIn(_Model):
    """Where the venue lies on the earth: WGS84 degrees of venue point ``origin``."""

    # The checks below refuse NaN and infinity themselves, saying what a right value is.
    model_config = ConfigDict(allow_inf_nan=True)

    lon: float
    lat: float
    bearing_deg: float = 0.0
    origin: Pair = (0.0, 0.0)

    @field_validator("lon")
    @classmethod
    def _longitude(cls, value: float) -> float:
        if not -180 <= value <= 180:  # also refuses NaN
            raise ValueError(
                f"{value} is not a longitude — give degrees east of Greenwich between -180 and "
                "180 (WGS84), e.g. 127.059 for COEX"
            )
        return value

    @field_validator("lat")
    @classmethod
    def _latitude(cls, value: float) -> float:
        if not -90 <= value <= 90:
            raise ValueError(
                f"{value} is not a latitude — give degrees north between -90 and 90 (WGS84), "
                "e.g. 37.5125 for COEX"
            )
        return value

    @field_validator("bearing_deg")
    @classmethod
    def _bearing(cls, value: float) -> float:
        if not -360 <= value <= 360:
            raise ValueError(
                f"{value} is not a bearing — give the direction of the venue's +y axis in "
                "degrees clockwise from true north, between -360 and 360 (0 when y points north)"
            )
        return value % 360.0

    @field_validator("origin")
    @classmethod
    def _finite_origin(cls, value: Pair) -> Pair:
        if not all(math.isfinite(v) for v in value):
            raise ValueError(
                "origin must be two numbers [x, y]: the venue point, in the file's units, "
                "that stands at lon/lat"
            )
        return value


class VenueIn(_Model):
    schema_: Literal["boothopt.venue/1"] = Field(alias="schema")
    id: str = Field(min_length=1)
    name: str = ""
    name_ko: str = ""
    units: str = "m"
    note: str = ""
    anchor: AnchorIn | None = None
    parameters: dict[str, Any] = {}
    halls: list[HallIn] = Field(min_length=1, max_length=MAX_HALLS)
    joined: list[JoinedIn] = Field(default=[], max_length=MAX_HALLS)


def builtin_venues() -> list[str]:
    """Return the names of the venues shipped with boothopt, sorted.

    Examples
    --------
    >>> "coex" in builtin_venues()
    True
    """
    data = resources.files("boothopt.floorplan") / "data"
    return sorted(p.name.removesuffix(".yaml") for p in data.iterdir() if p.name.endswith(".yaml"))


def load_venue(name_or_path: str | Path) -> Venue:
    """Load a built-in venue by name, or a venue file (YAML or JSON) by path.

    Raises
    ------
    VenueError
        With every fault found, each naming the hall and what to change.

    Examples
    --------
    >>> load_venue("coex").hall("A").area_m2
    10368.0
    """
    text, source = _read_source(name_or_path)
    if source.lower().endswith(".json"):
        try:
            raw = load_json(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise VenueError(source, [f"not valid JSON at {where} — fix the syntax"]) from None
        except FileFault as fault:
            raise VenueError(source, [_located(fault)]) from None
        return parse_venue(raw, source)
    try:
        raw = load_yaml(text)
    except FileFault as fault:
        raise VenueError(source, [_located(fault)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise VenueError(source, [f"not valid YAML/JSON{where} — fix the syntax"]) from None
    return parse_venue(raw, source)


def _located(fault: FileFault) -> str:
    return f"line {fault.line}: {fault.what}" if fault.line else fault.what


def parse_venue(raw: object, source: str = "<venue>") -> Venue:
    """Check a venue already read into Python objects and build the Venue."""
    if not isinstance(raw, dict):
        raise VenueError(source, ["the file must hold a mapping with 'schema', 'id' and 'halls'"])
    if raw.get("schema") != SCHEMA:
        raise VenueError(
            source,
            [
                f"schema is {quoted(raw.get('schema'))} — the first line should be "
                f"'schema: {SCHEMA}'"
            ],
        )
    units = raw.get("units", "m")
    if not isinstance(units, str) or units not in UNITS_TO_M:
        raise VenueError(
            source,
            [f"units: unknown unit {quoted(units)} — use one of {', '.join(UNITS_TO_M)}"],
        )
    if "generate" in raw and units != "m":
        raise VenueError(source, ["generate: planning figures are in metres — set 'units: m'"])
    too_large = _generate_problems(raw.get("generate"))
    if too_large:
        raise VenueError(source, too_large)
    try:
        raw = expand_generated_halls(raw)
    except ValueError as exc:
        raise VenueError(source, [str(exc)]) from None
    except (TypeError, ArithmeticError):
        raise VenueError(
            source,
            [
                "generate: a planning figure is not a number, or not one that makes halls — "
                "give positive numbers (halls, depth_m, exit_spacing_m, …)"
            ],
        ) from None
    try:
        model = VenueIn.model_validate(raw)
    except ValidationError as exc:
        raise VenueError(source, _pydantic_problems(exc, raw)) from None
    return _build(model, source)


def _read_source(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    looks_like_file = path.suffix.lower() in {".yaml", ".yml", ".json"} or _is(path.exists)
    if not looks_like_file:
        name = str(name_or_path)
        if name in builtin_venues():
            data = resources.files("boothopt.floorplan") / "data" / f"{name}.yaml"
            return data.read_text(encoding="utf-8"), f"{name} (built-in)"
        raise VenueError(
            name,
            [
                "no built-in venue or venue file of that name — use one of "
                + ", ".join(builtin_venues())
                + " or the path of a .yaml/.json venue file"
            ],
        )
    if not _is(path.is_file):
        raise VenueError(str(path), ["file not found — check the path"])
    limit = MAX_FILE_BYTES if path.suffix.lower() == ".json" else MAX_YAML_BYTES
    try:
        return utf8_text(read_bytes(path, limit)), str(path)
    except FileFault as fault:
        raise VenueError(str(path), [_located(fault)]) from None


def _is(test: Callable[[], bool]) -> bool:
    """Return ``test()``, False where the name is one no file can have (too long, say)."""
    try:
        return bool(test())
    except (OSError, ValueError):
        return False


def _generate_problems(gen: Any) -> list[str]:
    """Return what makes a ``generate:`` block too large to expand, checked before expanding it.

    Other faults of the block are the expansion's to report (it names them).
    """
    if not isinstance(gen, dict):
        return []
    bad = _non_finite(gen, "generate")
    if bad:
        return [f"{where}: not a finite number — write a number" for where in bad]
    problems = []
    total = gen.get("exhibition_m2")
    if _is_number(total) and total > MAX_FLOOR_M2:
        problems.append(
            f"generate.exhibition_m2: {total:,.0f} m² is more floor than boothopt lays out in one "
            f"venue ({MAX_FLOOR_M2:,.0f} m²) — check the figure"
        )
    levels = gen.get("levels")
    if problems or not isinstance(levels, list) or not _is_number(total):
        return problems
    doors = 0.0
    for n, spec in enumerate(levels):
        if not isinstance(spec, dict):
            continue
        p = {**LEVEL_DEFAULTS, **spec}
        halls, depth, spacing = p["halls"], p["depth_m"], p["exit_spacing_m"]
        share = p["share"] if p["share"] is not None else 1 / len(levels)
        if not all(_is_number(x) and x > 0 for x in (halls, depth, spacing, share)):
            continue  # the expansion names the figure
        if not 1 <= halls <= 26:
            problems.append(
                f"generate.levels[{n}].halls: {halls:g} halls on one level — give 1 to 26 (A to Z)"
            )
            continue
        width = total * share / int(halls) / depth
        exits = max(1, math.ceil(width / spacing)) + 2 * max(1, math.ceil(depth / spacing))
        doors += int(halls) * (exits + _number_or(p["entrances_per_hall"]))
    if doors > MAX_GENERATED_DOORS:
        problems.append(
            f"generate: these planning figures make {doors:,.0f} doors, more than the "
            f"{MAX_GENERATED_DOORS:,} boothopt places — check exit_spacing_m and depth_m"
        )
    return problems


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_or(value: Any, default: float = 0.0) -> float:
    return float(value) if _is_number(value) else default


def _non_finite(data: Any, where: str) -> list[str]:
    """Return where in ``data`` a number is NaN or infinite."""
    if isinstance(data, float) and not math.isfinite(data):
        return [where]
    if isinstance(data, dict):
        return [w for k, v in data.items() for w in _non_finite(v, f"{where}.{k}")]
    if isinstance(data, list):
        return [w for i, v in enumerate(data) for w in _non_finite(v, f"{where}[{i}]")]
    return []


def _pydantic_problems(exc: ValidationError, raw: dict[str, Any]) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = err["loc"]
        where = _describe_location(loc, raw)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown field {quoted(loc[-1])} — check its spelling against the venue schema"
        elif err["type"] == "string_pattern_mismatch":
            msg = "an id is one line of text — remove the line break or control character"
        elif err["type"] == "missing":
            msg = "required field is missing — add it"
        problems.append(f"{where}: {msg}")
    return problems


def _describe_location(loc: tuple[int | str, ...], raw: dict[str, Any]) -> str:
    """Turn ('halls', 2, 'exits', 0, 'width_m') into 'hall C: exits[0].width_m'."""
    if len(loc) >= 2 and loc[0] == "halls" and isinstance(loc[1], int):
        halls = raw.get("halls") or []
        hall_id = None
        if loc[1] < len(halls) and isinstance(halls[loc[1]], dict):
            hall_id = halls[loc[1]].get("id")
        head = f"hall {printable(str(hall_id))}" if hall_id else f"halls[{loc[1]}]"
        rest = printable(field_path(loc[2:]), 200)
        return f"{head}: {rest}" if rest else head
    return printable(field_path(loc), 200) or "venue"


def _build(model: VenueIn, source: str) -> Venue:
    scale = UNITS_TO_M[model.units]
    problems: list[str] = []
    halls: list[Hall] = []
    seen: set[str] = set()
    for h in model.halls:
        if h.id in seen:
            problems.append(f"hall {h.id}: the id is used twice — give each hall its own id")
            continue
        seen.add(h.id)
        hall = _build_hall(h, scale, problems)
        if hall is not None:
            halls.append(hall)
    floor_m2 = sum(h.area_m2 for h in halls)
    if floor_m2 > MAX_FLOOR_M2:
        problems.append(
            f"halls: {floor_m2:,.0f} m² in all is more floor than boothopt lays out in one venue "
            f"({MAX_FLOOR_M2:,.0f} m²) — check the outlines and the units"
        )
    _check_overlaps(halls, problems)
    declared = {h.id for h in model.halls}
    joined = _build_joined(model.joined, halls, declared, problems)
    partners: dict[str, set[str]] = {}
    for j in joined:
        for part in j.parts:
            partners.setdefault(part, set()).update(p for p in j.parts if p != part)
    halls = [
        dataclasses.replace(h, joinable_with=tuple(sorted(partners[h.id])))
        if h.id in partners
        else h
        for h in halls
    ]
    if problems:
        raise VenueError(source, problems)
    anchor = None
    if model.anchor is not None:
        a = model.anchor
        anchor = GeoAnchor(a.lon, a.lat, a.bearing_deg, _scaled(a.origin, scale))
    return Venue(
        id=model.id,
        name=model.name or model.id,
        name_ko=model.name_ko,
        halls=tuple(halls),
        joined=tuple(joined),
        anchor=anchor,
        note=model.note,
        parameters=dict(model.parameters),
    )


def _scaled(p: Pair, s: float) -> Pair:
    return (p[0] * s, p[1] * s)


def _figure(value: FigureIn | None) -> Figure | None:
    return None if value is None else Figure(value.value, value.estimated, value.note)


def _build_hall(h: HallIn, s: float, problems: list[str]) -> Hall | None:
    where = f"hall {h.id}"
    if h.rect is not None:
        (x, y), (w, d) = _scaled(h.rect.origin, s), _scaled(h.rect.size, s)
        outline = Polygon([(x, y), (x + w, y), (x + w, y + d), (x, y + d)])
    else:
        ring = [_scaled(p, s) for p in h.outline or []]
        if len(ring) < 4:
            problems.append(
                f"{where}: outline has {len(ring)} points — a hall needs at least 3 "
                "corners and the first point repeated at the end"
            )
            return None
        if ring[0] != ring[-1]:
            problems.append(
                f"{where}: outline is not closed — repeat the first point "
                f"{list(h.outline[0]) if h.outline else ''} at the end"
            )
            return None
        outline = Polygon(ring)
        if not outline.is_valid:
            reason = shapely.is_valid_reason(outline)
            problems.append(
                f"{where}: outline is not a simple polygon ({reason}) — the outline crosses "
                "itself; list the corners in order around the hall"
            )
            return None
        if outline.area <= 0:
            problems.append(f"{where}: outline encloses no area — check the corners")
            return None
        outline = shapely.orient_polygons(outline)
    far = max(abs(v) for v in outline.bounds)
    if far > MAX_COORDINATE_M:
        problems.append(
            f"{where}: the outline reaches {far:,.0f} m from the venue's origin, more than "
            f"{MAX_COORDINATE_M:,.0f} m — check the coordinates and the units"
        )
        return None
    if outline.area > MAX_FLOOR_M2:
        problems.append(
            f"{where}: {outline.area:,.0f} m² is more floor than boothopt lays out in one venue "
            f"({MAX_FLOOR_M2:,.0f} m²) — check the outline and the units"
        )
        return None

    obstacles = _build_obstacles(h, outline, s, problems)
    entrances = _build_openings(h.entrances, "entrance", h.id, outline, s, problems)
    exits = _build_openings(h.exits, "exit", h.id, outline, s, problems)
    hydrants = []
    for i, p in enumerate(h.hydrants):
        q = _scaled(p, s)
        if not outline.buffer(ON_OUTLINE_TOL_M).contains(Point(q)):
            problems.append(
                f"{where}: hydrants[{i}] at {list(p)} is outside the hall — move it "
                "inside the outline or delete it"
            )
        hydrants.append(q)
    utilities = [UtilityPoint(u.kind, _scaled(u.at, s)) for u in h.utilities]
    for i, u in enumerate(utilities):
        if not outline.buffer(ON_OUTLINE_TOL_M).contains(Point(u.at)):
            problems.append(
                f"{where}: utilities[{i}] at {list(h.utilities[i].at)} is outside "
                "the hall — move it inside the outline or delete it"
            )
    if h.utility_grid is not None:
        minx, miny, maxx, maxy = outline.bounds
        spacing = h.utility_grid.spacing_m
        points = ((maxx - minx) // spacing) * ((maxy - miny) // spacing)
        if points > MAX_GRID_POINTS:
            problems.append(
                f"{where}: utility_grid.spacing_m {spacing:g} m makes {points:,.0f} points, more "
                f"than the {MAX_GRID_POINTS:,} boothopt places in one hall — check the spacing, "
                "in metres"
            )
        else:
            utilities += _utility_grid(outline, spacing, h.utility_grid.kinds)
    return Hall(
        id=h.id,
        name=h.name or f"Hall {h.id}",
        name_ko=h.name_ko,
        level=h.level,
        outline=outline,
        obstacles=tuple(obstacles),
        entrances=tuple(entrances),
        exits=tuple(exits),
        hydrants=tuple(hydrants),
        utilities=tuple(utilities),
        ceiling_height_m=_figure(h.ceiling_height_m),
        floor_load_t_m2=_figure(h.floor_load_t_m2),
        estimated=h.estimated,
        note=h.note,
        published_area_m2=h.published_area_m2,
    )


def _build_obstacles(h: HallIn, outline: Polygon, s: float, problems: list[str]) -> list[Obstacle]:
    out: list[Obstacle] = []
    room = outline.buffer(1e-6)
    for i, o in enumerate(h.obstacles):
        label = o.id or f"obstacles[{i}]"
        if o.polygon is not None:
            corners = [_scaled(p, s) for p in o.polygon]
            poly = Polygon(corners) if len(set(corners)) >= 3 else Polygon()
            if poly.is_empty or not poly.is_valid or poly.area <= 0:
                problems.append(
                    f"hall {h.id}: obstacle {label} is not a simple polygon with area "
                    "— list its corners in order"
                )
                continue
        else:
            assert o.at is not None and o.size_m is not None
            w, d = (o.size_m, o.size_m) if isinstance(o.size_m, int | float) else o.size_m
            cx, cy = _scaled(o.at, s)
            poly = shapely.box(cx - w / 2, cy - d / 2, cx + w / 2, cy + d / 2)
        if not room.contains(poly):
            problems.append(
                f"hall {h.id}: obstacle {label} lies (partly) outside the hall — "
                "move it inside the outline or give it to the hall it stands in"
            )
            continue
        out.append(Obstacle(o.kind, poly, o.id))
    if h.columns is not None:
        grid = h.columns
        minx, miny, maxx, maxy = outline.bounds
        sx, sy = grid.spacing_m
        ox, oy = _scaled(grid.origin, s) if grid.origin else (minx + sx, miny + sy)
        (i0, i1), (j0, j1) = _grid_span(ox, minx, maxx, sx), _grid_span(oy, miny, maxy, sy)
        count = max(0, i1 - i0) * max(0, j1 - j0)
        if max(abs(ox), abs(oy)) > MAX_COORDINATE_M:
            problems.append(
                f"hall {h.id}: columns.origin is more than {MAX_COORDINATE_M:,.0f} m from the "
                "venue's origin — put the first column in or near the hall"
            )
        elif count > MAX_GRID_POINTS:
            problems.append(
                f"hall {h.id}: columns.spacing_m {list(grid.spacing_m)} makes {count:,} columns, "
                f"more than the {MAX_GRID_POINTS:,} boothopt places in one hall — check the "
                "spacing, in metres"
            )
        else:
            out += _column_grid(h.id, outline, grid, s)
    return out


def _grid_span(origin: float, low: float, high: float, step: float) -> tuple[int, int]:
    """Return the steps i (from 0) with ``low <= origin + i * step <= high``, as range bounds."""
    first = max(0, math.ceil((low - origin) / step - 1e-9))
    return first, max(first, math.floor((high - origin) / step + 1e-9) + 1)


def _column_grid(hall_id: str, outline: Polygon, grid: ColumnGridIn, s: float) -> list[Obstacle]:
    sx, sy = grid.spacing_m
    half = grid.size_m / 2
    minx, miny, maxx, maxy = outline.bounds
    ox, oy = _scaled(grid.origin, s) if grid.origin else (minx + sx, miny + sy)
    cols: list[Obstacle] = []
    inner = outline.buffer(-half - 0.5)  # columns in the wall belong to the wall, not the floor
    for i in range(*_grid_span(ox, minx, maxx, sx)):
        for j in range(*_grid_span(oy, miny, maxy, sy)):
            x, y = ox + i * sx, oy + j * sy
            if inner.contains(Point(x, y)):
                cols.append(
                    Obstacle(
                        "column",
                        shapely.box(x - half, y - half, x + half, y + half),
                        f"{hall_id}-col-{i + 1}-{j + 1}",
                    )
                )
    return cols


def _utility_grid(outline: Polygon, spacing: float, kinds: Sequence[str]) -> list[UtilityPoint]:
    minx, miny, maxx, maxy = outline.bounds
    pts: list[UtilityPoint] = []
    n_x = int((maxx - minx) // spacing)
    n_y = int((maxy - miny) // spacing)
    for i in range(1, n_x + 1):
        for j in range(1, n_y + 1):
            p = (minx + i * spacing, miny + j * spacing)
            if outline.contains(Point(p)):
                pts += [UtilityPoint(k, p) for k in kinds]
    return pts


def _build_openings(
    items: list[OpeningIn],
    kind: str,
    hall_id: str,
    outline: Polygon,
    s: float,
    problems: list[str],
) -> list[Opening]:
    out: list[Opening] = []
    for i, o in enumerate(items):
        oid = o.id or f"{hall_id}-{'E' if kind == 'entrance' else 'X'}{i + 1}"
        opening = make_opening(oid, kind, _scaled(o.at, s), o.width_m, outline)
        if opening is not None and any(
            outline.exterior.distance(Point(c)) > ON_OUTLINE_TOL_M for c in opening.door.coords
        ):
            problems.append(
                f"hall {hall_id}: {kind} {oid} is {o.width_m:g} m wide and runs past the end of "
                "its wall — make it narrower or move it along the wall"
            )
            continue
        if opening is None:
            dist = outline.exterior.distance(Point(_scaled(o.at, s)))
            problems.append(
                f"hall {hall_id}: {kind} {oid} at {list(o.at)} is {dist:.1f} m from the outline — "
                f"an {kind} must sit on the hall's outer wall; move it onto the outline"
            )
            continue
        out.append(opening)
    return out


def make_opening(oid: str, kind: str, at: Pair, width: float, outline: Polygon) -> Opening | None:
    """Return the door centred at ``at`` on the nearest wall, or None if ``at`` is off the wall."""
    ring = outline.exterior
    p = Point(at)
    if ring.distance(p) > ON_OUTLINE_TOL_M:
        return None
    coords = list(ring.coords)
    best = min(
        range(len(coords) - 1),
        key=lambda k: LineString([coords[k], coords[k + 1]]).distance(p),
    )
    (x0, y0), (x1, y1) = coords[best], coords[best + 1]
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    t = (p.x - x0) * ux + (p.y - y0) * uy
    cx, cy = x0 + ux * t, y0 + uy * t
    half = width / 2
    door = LineString([(cx - ux * half, cy - uy * half), (cx + ux * half, cy + uy * half)])
    # The inward normal: the left of an edge on a counter-clockwise ring points inside.
    nx, ny = -uy, ux
    if not outline.contains(Point(cx + nx * 0.05, cy + ny * 0.05)):
        nx, ny = -nx, -ny
    return Opening(oid, kind, (cx, cy), width, door, (nx, ny))


def _check_overlaps(halls: list[Hall], problems: list[str]) -> None:
    for i, a in enumerate(halls):
        for b in halls[i + 1 :]:
            if a.level != b.level:
                continue
            area = a.outline.intersection(b.outline).area
            if area > OVERLAP_TOL_M2:
                problems.append(
                    f"hall {a.id}: overlaps hall {b.id} on level {a.level} by {area:.1f} m² — "
                    "move one outline or put the halls on different levels"
                )


def _build_joined(
    items: list[JoinedIn], halls: list[Hall], declared: set[str], problems: list[str]
) -> list[Hall]:
    by_id = {h.id: h for h in halls}
    out: list[Hall] = []
    seen: set[str] = set()
    for j in items:
        if j.id in declared or j.id in seen:
            problems.append(f"joined hall {j.id}: the id is already used — choose another")
            continue
        seen.add(j.id)
        if len(set(j.halls)) != len(j.halls):
            problems.append(f"joined hall {j.id}: a hall is listed twice — list each part once")
            continue
        if any(p in declared and p not in by_id for p in j.halls):
            continue  # a part hall is faulty; its own problem is reported already
        missing = [p for p in j.halls if p not in by_id]
        if missing:
            problems.append(
                f"joined hall {j.id}: unknown hall {', '.join(missing)} — use one of "
                + ", ".join(by_id)
            )
            continue
        parts = [by_id[p] for p in j.halls]
        if len({p.level for p in parts}) > 1:
            problems.append(
                f"joined hall {j.id}: its halls are on different levels — only "
                "halls of one level can be joined"
            )
            continue
        union = shapely.union_all([p.outline.buffer(0.01, join_style="mitre") for p in parts])
        union = union.buffer(-0.01, join_style="mitre")
        if union.geom_type != "Polygon":
            problems.append(
                f"joined hall {j.id}: {', '.join(j.halls)} do not share a wall — only "
                "adjacent halls can be joined"
            )
            continue
        # Snap away the buffer's noise, then drop the precision grid so later buffers keep holes.
        union = shapely.set_precision(shapely.set_precision(union, 1e-6), 0)
        union = shapely.orient_polygons(union)
        ring = union.exterior
        openings = [o for p in parts for o in p.openings if ring.distance(Point(o.at)) < 0.05]
        # Doors in the dividing wall disappear when the wall is opened.
        rebuilt = [make_opening(o.id, o.kind, o.at, o.width_m, union) for o in openings]
        doors = [o for o in rebuilt if o is not None]
        out.append(
            Hall(
                id=j.id,
                name=j.name or f"Hall {j.id}",
                name_ko=j.name_ko,
                level=parts[0].level,
                outline=union,
                obstacles=tuple(o for p in parts for o in p.obstacles),
                entrances=tuple(o for o in doors if o.kind == "entrance"),
                exits=tuple(o for o in doors if o.kind == "exit"),
                hydrants=tuple(h for p in parts for h in p.hydrants),
                utilities=tuple(u for p in parts for u in p.utilities),
                ceiling_height_m=min(
                    (p.ceiling_height_m for p in parts if p.ceiling_height_m),
                    key=lambda f: f.value,
                    default=None,
                ),
                floor_load_t_m2=min(
                    (p.floor_load_t_m2 for p in parts if p.floor_load_t_m2),
                    key=lambda f: f.value,
                    default=None,
                ),
                estimated=any(p.estimated for p in parts),
                note=f"{' + '.join(j.halls)} opened into one hall",
                published_area_m2=None,
                parts=tuple(j.halls),
            )
        )
    return out
