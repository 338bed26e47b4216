"""The assignment file (``boothopt.assignment/1``): the contract between solving and exporting.

This module is the file's one home. :class:`Assignment` and its parts are typed, frozen models of
everything the file holds; :func:`assignment_json` writes one as text and :func:`read_assignment`
reads a file back into one, checked. ``allocate`` and ``reallocate`` build theirs with
:func:`boothopt.outputs.assignment.build_assignment`; every export, ``check`` and ``reallocate``
read the file through :func:`read_assignment` and use the models' attributes only.

Polygons are closed rings in venue metres. Only the timing fields of ``solver``
(:data:`TIMING_FIELDS`) change between two runs of the same event, seed and worker count.

A hand-edited or truncated file is refused with one line naming the file, the field and what to
do, never with a traceback deep inside a renderer. Fields this version does not know are kept as
they are (the schema may grow) but used by nothing. Fields added over time have defaults, so
older files still read: a booth's nearest entrance (``entrance``, ``entrance_walk_m``), the
venue's ``anchor`` on the earth and the ``utilization``; a booth added by hand may leave out its
``open_sides``. The utilization is figures the exports can do without: a part of it that cannot
be read is read as missing, as in a file written before it existed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_serializer,
    model_validator,
)

from boothopt.errors import InputError, field_path

SCHEMA = "boothopt.assignment/1"
#: The fields of ``solver`` that change from run to run of the same event, seed and workers.
TIMING_FIELDS = ("wall_s", "first_feasible_s")
REDO = "re-run `boothopt allocate` to write a fresh assignment.json"

Point = tuple[float, float]
Ring = tuple[Point, ...]


def _two_numbers(value: object) -> object:
    """Check that a point or a size has two numbers (before they are read as numbers)."""
    if isinstance(value, list | tuple) and len(value) != 2:
        raise ValueError(f"expected two numbers [x, y], got {len(value)}")
    return value


def _closed_ring(ring: Ring) -> Ring:
    """Check that a polygon is a closed ring of at least three corners."""
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise ValueError(
            "not a closed ring — a polygon lists at least 3 corners [x, y] and repeats the "
            "first at the end"
        )
    return ring


def _or_none(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """Read a part the exports can do without as missing when it cannot be read."""
    try:
        return handler(value)
    except ValidationError:
        return None


def _or_empty(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """Read a list the exports can do without as empty when it cannot be read."""
    try:
        return handler(value)
    except ValidationError:
        return ()


# As read: a point of two numbers, and a closed ring of such points.
_XY = Annotated[Point, BeforeValidator(_two_numbers)]
_Ring = Annotated[tuple[_XY, ...], AfterValidator(_closed_ring)]


class _Part(BaseModel):
    # Frozen: what was read or written is not changed on the way to a renderer. Fields this
    # version does not know are kept as they are (the schema may grow).
    model_config = ConfigDict(frozen=True, extra="allow", allow_inf_nan=False)


class Anchor(_Part):
    """Where the venue lies on the earth (see the venue file's ``anchor``)."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    bearing_deg: float = 0.0
    origin_m: _XY = (0.0, 0.0)


class Dates(_Part):
    """The show's first and last day, as the event file gives them (ISO dates)."""

    start: str
    end: str


class TermScore(_Part):
    """One goal of the objective: its score, the most it could reach, and its bound."""

    score: float | None = None
    max: float | None = None
    bound: float | None = None


class SolverRun(_Part):
    """How the layout was found: the optimizer's figures and limits (read by no export).

    Every field has a default, so files written before a field existed still read.
    """

    status: str = ""
    method: str = ""
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    wall_s: float | None = None
    first_feasible_s: float | None = None
    seed: int | None = None
    workers: int | None = None
    time_limit_s: float | None = None
    work_limit: float | None = None
    ended_by: str = ""
    reproducible: bool | None = None
    terms: Mapping[str, TermScore] = {}


class Hall(_Part):
    """One hall of the plan."""

    id: str = Field(min_length=1)
    level: str = ""
    name: str = ""
    name_ko: str = ""
    polygon: _Ring


class Blocked(_Part):
    """A part of a hall no booth may touch (exit clearances, columns ...)."""

    hall: str
    kind: str
    polygon: _Ring


class Entrance(_Part):
    """A hall entrance."""

    id: str = Field(min_length=1)
    hall: str
    at: _XY
    width_m: float = Field(gt=0)


class ZoneArea(_Part):
    """One piece of a zone's area."""

    hall: str
    polygon: _Ring


class Zone(_Part):
    """A zone and its area."""

    id: str = Field(min_length=1)
    name_ko: str = ""
    name_en: str = ""
    area: tuple[ZoneArea, ...] = ()


class Booth(_Part):
    """One placed exhibitor's booth.

    ``open_sides`` is what the optimizer counted; a booth added by hand may leave it out.
    ``entrance`` is the nearest entrance by walking along the aisles, ``entrance_walk_m`` that
    walk (both None in files written before they existed, or when no entrance is reached).
    """

    booth_no: str = Field(min_length=1)
    hall: str
    exhibitor_id: str = Field(min_length=1)
    name_ko: str = ""
    name_en: str = ""
    kind: str = ""
    country: str = ""
    tier: str = ""
    booth_type: str = ""
    polygon: _Ring
    area_m2: float = Field(gt=0)
    modules: int = Field(ge=1)
    size_m: _XY
    open_sides: int | None = Field(default=None, ge=0, le=4)
    zone: str | None = None
    entrance: str | None = None
    entrance_walk_m: float | None = None


class Reserved(_Part):
    """A reserved area: stage, theatre, lounge, desk."""

    id: str = Field(min_length=1)
    kind: str = ""
    hall: str
    name_ko: str = ""
    name_en: str = ""
    polygon: _Ring


class Unplaced(_Part):
    """An exhibitor left out, with the reason."""

    exhibitor_id: str = Field(min_length=1)
    name_ko: str = ""
    name_en: str = ""
    kind: str = ""
    country: str = ""
    tier: str = ""
    reason: str


class HallUse(_Part):
    """The floor let in one hall (see :mod:`boothopt.outputs.utilization`); None: not known."""

    hall: str | None = None
    name: str = ""
    name_ko: str = ""
    usable_modules: int | None = None
    usable_m2: float | None = None
    reserved_modules: int | None = None
    reserved_m2: float | None = None
    let_modules: int | None = None
    let_m2: float | None = None
    free_modules: int | None = None
    share_let: float | None = None
    booths: int | None = None
    booths_by_tier: Mapping[str, int] = {}


class ZoneUse(_Part):
    """A zone's members placed and the floor let in its area; None: not known."""

    zone: str | None = None
    name_ko: str = ""
    name_en: str = ""
    members: int | None = None
    placed: int | None = None
    unplaced: int | None = None
    placed_modules: int | None = None
    placed_m2: float | None = None
    unplaced_modules: int | None = None
    unplaced_m2: float | None = None
    area_halls: tuple[str, ...] = ()
    area_modules: int | None = None
    area_m2: float | None = None
    area_let_modules: int | None = None
    area_let_m2: float | None = None
    share_let: float | None = None


class TierUse(_Part):
    """The exhibitors of one tier placed and left out, and the modules those left out asked."""

    placed: int | None = None
    unplaced: int | None = None
    unplaced_modules: int | None = None


class TotalUse(_Part):
    """The halls' figures summed, and the exhibitors placed and left out; None: not known."""

    usable_modules: int | None = None
    usable_m2: float | None = None
    reserved_modules: int | None = None
    reserved_m2: float | None = None
    let_modules: int | None = None
    let_m2: float | None = None
    free_modules: int | None = None
    share_let: float | None = None
    booths: int | None = None
    booths_by_tier: Mapping[str, int] = {}
    exhibitors: int | None = None
    placed: int | None = None
    unplaced: int | None = None
    by_tier: Mapping[str, TierUse] = {}
    requested_modules: int | None = None
    requested_m2: float | None = None
    unplaced_modules: int | None = None
    unplaced_m2: float | None = None


class Utilization(_Part):
    """How much of the floor the layout lets: per hall, per zone and for the whole event."""

    module_m: float | None = None
    halls: Annotated[tuple[HallUse, ...], WrapValidator(_or_empty)] = ()
    zones: Annotated[tuple[ZoneUse, ...], WrapValidator(_or_empty)] = ()
    total: Annotated[TotalUse | None, WrapValidator(_or_none)] = None


class BreachRecord(_Part):
    """A hard rule the layout breaks, recorded when it was let through.

    ``allocate --allow-breaches`` and ``export --force`` record them; the exports stamp them on
    the plan and list them. ``where`` is a point to mark on the plan.
    """

    rule: str = ""
    booth: str | None = None
    hall: str | None = None
    where: _XY | None = None
    message: str = ""


class PostalAddress(_Part):
    """The venue's postal address, for the IMDF export (added by hand; boothopt writes none).

    ``country`` is an ISO 3166 code (``KR``), ``province`` an ISO 3166-2 one (``KR-11``).
    """

    address: str = ""
    locality: str = ""
    country: str = ""
    province: str | None = None
    postal_code: str | None = None


class Assignment(_Part):
    """The whole assignment file: the event, the halls drawn, the booths and those left out.

    ``dates``, ``breaches`` and ``address`` are written only when there are any; everything else
    always, in this order.
    """

    schema_: str = Field(default=SCHEMA, alias="schema")
    event: str = ""
    event_ko: str = ""
    dates: Dates | None = None
    venue: str = ""
    module_m: float = Field(default=3.0, gt=0)
    anchor: Anchor | None = None
    solver: SolverRun | None = None
    halls: tuple[Hall, ...] = Field(min_length=1)
    blocked: tuple[Blocked, ...] = ()
    entrances: tuple[Entrance, ...] = ()
    zones: tuple[Zone, ...] = ()
    booths: tuple[Booth, ...] = ()
    reserved: tuple[Reserved, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    conflicts: tuple[str, ...] = ()
    utilization: Annotated[Utilization | None, WrapValidator(_or_none)] = None
    breaches: tuple[BreachRecord, ...] = ()
    address: PostalAddress | None = None

    @model_validator(mode="after")
    def _references(self) -> Assignment:
        """Check that every hall named exists and booth numbers are unique."""
        halls = {h.id for h in self.halls}
        named: list[tuple[str, str]] = [
            *((f"blocked[{i}].hall", b.hall) for i, b in enumerate(self.blocked)),
            *((f"entrances[{i}].hall", e.hall) for i, e in enumerate(self.entrances)),
            *(
                (f"zones[{i}].area[{k}].hall", a.hall)
                for i, z in enumerate(self.zones)
                for k, a in enumerate(z.area)
            ),
            *((f"booths[{i}].hall", b.hall) for i, b in enumerate(self.booths)),
            *((f"reserved[{i}].hall", r.hall) for i, r in enumerate(self.reserved)),
        ]
        for where, hall in named:
            if hall not in halls:
                raise ValueError(f"{where}: hall {hall!r} is not among the halls")
        seen: dict[str, int] = {}
        for i, b in enumerate(self.booths):
            if b.booth_no in seen:
                raise ValueError(
                    f"booths[{i}].booth_no: {b.booth_no!r} is also booths[{seen[b.booth_no]}]"
                )
            seen[b.booth_no] = i
        return self

    @model_serializer(mode="wrap")
    def _written(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Leave out the fields written only when there are any."""
        data: dict[str, Any] = handler(self)
        if self.dates is None:
            data.pop("dates", None)
        if not self.breaches:
            data.pop("breaches", None)
        if self.address is None:
            data.pop("address", None)
        return data

    def hall(self, hall_id: str) -> Hall:
        """Return the hall ``hall_id``.

        Raises
        ------
        KeyError
            When the assignment has no such hall.
        """
        for h in self.halls:
            if h.id == hall_id:
                return h
        raise KeyError(hall_id)


def assignment_data(doc: Assignment) -> dict[str, Any]:
    """Return the assignment as the file holds it: JSON-ready data, keys in the file's order."""
    data: dict[str, Any] = doc.model_dump(mode="json", by_alias=True)
    return data


def assignment_json(doc: Assignment | Mapping[str, Any]) -> str:
    """Return the assignment as the file's text: stable, readable JSON (keys in a fixed order).

    An assignment already turned into data (:func:`assignment_data`) is written as it is.
    """
    data = assignment_data(doc) if isinstance(doc, Assignment) else doc
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read_assignment(path: str | Path) -> Assignment:
    """Read an assignment file and check it.

    Optional fields that older files lack are filled with their defaults (``anchor``, each
    booth's ``entrance``); fields this version does not know are kept as they are.

    Raises
    ------
    InputError
        When the file is missing, not JSON, not an assignment file, or a field is wrong; one
        line naming the file and the field (``booths[3].polygon``) and what to do.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            f"{path}: file not found — give the assignment.json that `boothopt allocate` wrote"
        ) from None
    except IsADirectoryError:
        raise InputError(
            f"{path}: is a folder — give the assignment.json inside it that `boothopt allocate` "
            "wrote"
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text, so not an assignment file — {REDO}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}) — check the path") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}) — {REDO}"
        ) from None
    except RecursionError:
        raise InputError(f"{path}: not an assignment file (nested too deeply) — {REDO}") from None
    return parse_assignment(raw, str(path))


def parse_assignment(raw: object, source: str = "<assignment>") -> Assignment:
    """Check an assignment already read into Python objects (see :func:`read_assignment`).

    An :class:`Assignment` is returned as it is.

    Examples
    --------
    >>> doc = parse_assignment(
    ...     {"schema": "boothopt.assignment/1", "halls": [{"id": "A", "polygon": [[0, 0], [9, 0],
    ...      [9, 9], [0, 0]]}]})
    >>> doc.booths, doc.anchor, doc.halls[0].polygon[1]
    ((), None, (9.0, 0.0))
    >>> parse_assignment({"schema": "boothopt.assignment/1", "halls": []}, "a.json")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    boothopt.errors.InputError: a.json: halls: there must be at least one hall — re-run ...
    """
    if isinstance(raw, Assignment):
        return raw
    if not isinstance(raw, Mapping):
        raise InputError(
            f"{source}: not an assignment file (a JSON object with schema {SCHEMA} expected) "
            f"— {REDO}"
        )
    if raw.get("schema") != SCHEMA:
        raise InputError(
            f"{source}: schema is {raw.get('schema')!r}, not {SCHEMA} — give the assignment.json "
            f"written by `boothopt allocate`, or {REDO} with this version"
        )
    try:
        return Assignment.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{source}: {_first_problem(exc, raw)} — {REDO}") from None


# What a JSON file holds, in the words of JSON rather than of Python.
_JSON_WORDS = {
    "tuple_type": "expected a list",
    "model_type": "expected an object {...}",
    "dict_type": "expected an object {...}",
}


def _first_problem(exc: ValidationError, raw: Mapping[str, Any]) -> str:
    """Return the first fault as ``field: what is wrong`` (and how many more there are)."""
    errors = exc.errors()
    err = errors[0]
    where = field_path(err["loc"])
    booth = _booth_no(err["loc"], raw)
    if booth:
        where += f" (booth {booth})"
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = "required field is missing"
    elif err["type"] == "too_short" and err["loc"] == ("halls",):
        msg = "there must be at least one hall"
    elif err["type"] in _JSON_WORDS:
        msg = _JSON_WORDS[err["type"]]
    text = f"{where}: {msg}" if where else msg
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more fault{'s' if len(errors) > 2 else ''})"
    return text


def _booth_no(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    """Return the booth number of the booth a fault is in, when it has a readable one."""
    if len(loc) < 2 or loc[0] != "booths" or not isinstance(loc[1], int):
        return ""
    booths = raw.get("booths")
    if not isinstance(booths, list) or not isinstance(booths[loc[1]], dict):
        return ""
    number = booths[loc[1]].get("booth_no")
    return number if isinstance(number, str) else ""
