"""Read an assignment file (``boothopt.assignment/1``) back and check what the exports use.

Every export is driven by the assignment file alone, so a hand-edited or truncated file must be
refused with one line naming the file, the field and what to do, never with a traceback deep
inside a renderer. Fields the exports do not use pass through unchecked (the schema may grow).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from boothopt.errors import InputError, field_path
from boothopt.outputs.assignment import SCHEMA

REDO = "re-run `boothopt allocate` to write a fresh assignment.json"


def _closed_ring(ring: list[list[float]]) -> list[list[float]]:
    """Check that a polygon is a closed ring of at least three corners."""
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise ValueError(
            "not a closed ring — a polygon lists at least 3 corners [x, y] and repeats the "
            "first at the end"
        )
    return ring


def _pair(value: list[float]) -> list[float]:
    """Check that a point or size is two numbers."""
    if len(value) != 2:
        raise ValueError(f"expected two numbers [x, y], got {len(value)}")
    return value


Pair = Annotated[list[float], AfterValidator(_pair)]
Ring = Annotated[list[Pair], AfterValidator(_closed_ring)]


class _Part(BaseModel):
    # Other fields may be added to the file (DESIGN.md); they are kept as they are.
    model_config = ConfigDict(extra="allow", allow_inf_nan=False)


class AnchorOut(_Part):
    """Where the venue lies on the earth (see the venue file's ``anchor``)."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    bearing_deg: float = 0.0
    origin_m: Pair = [0.0, 0.0]


class HallOut(_Part):
    """One hall of the plan."""

    id: str = Field(min_length=1)
    polygon: Ring
    level: str = ""
    name: str = ""
    name_ko: str = ""


class BlockedOut(_Part):
    """A part of a hall no booth may touch (exit clearances, columns ...)."""

    hall: str
    kind: str
    polygon: Ring


class EntranceOut(_Part):
    """A hall entrance."""

    id: str = Field(min_length=1)
    hall: str
    at: Pair
    width_m: float = Field(gt=0)


class ZoneAreaOut(_Part):
    """One piece of a zone's area."""

    hall: str
    polygon: Ring


class ZoneOut(_Part):
    """A zone and its area."""

    id: str = Field(min_length=1)
    name_ko: str = ""
    name_en: str = ""
    area: list[ZoneAreaOut] = []


class BoothOut(_Part):
    """One placed exhibitor's booth."""

    booth_no: str = Field(min_length=1)
    hall: str
    exhibitor_id: str = Field(min_length=1)
    polygon: Ring
    area_m2: float = Field(gt=0)
    modules: int = Field(ge=1)
    open_sides: int = Field(ge=0, le=4)
    size_m: Pair
    zone: str | None = None
    name_ko: str = ""
    name_en: str = ""
    kind: str = ""
    country: str = ""
    tier: str = ""
    booth_type: str = ""
    entrance: str | None = None
    entrance_walk_m: float | None = None


class ReservedOut(_Part):
    """A reserved area: stage, theatre, lounge, desk."""

    id: str = Field(min_length=1)
    hall: str
    polygon: Ring
    kind: str = ""
    name_ko: str = ""
    name_en: str = ""


class UnplacedOut(_Part):
    """An exhibitor left out, with the reason."""

    exhibitor_id: str = Field(min_length=1)
    reason: str
    name_ko: str = ""
    name_en: str = ""


class AssignmentIn(_Part):
    """The parts of the assignment file the exports read."""

    schema_: str = Field(alias="schema")
    event: str = ""
    event_ko: str = ""
    venue: str = ""
    module_m: float = Field(default=3.0, gt=0)
    anchor: AnchorOut | None = None
    halls: list[HallOut] = Field(min_length=1)
    blocked: list[BlockedOut] = []
    entrances: list[EntranceOut] = []
    zones: list[ZoneOut] = []
    booths: list[BoothOut] = []
    reserved: list[ReservedOut] = []
    unplaced: list[UnplacedOut] = []

    @model_validator(mode="after")
    def _references(self) -> AssignmentIn:
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


def read_assignment(path: str | Path) -> dict[str, Any]:
    """Read an assignment file and check the fields the exports use.

    Returns the file's content with defaults filled in for optional fields that older files
    lack (``anchor``, each booth's ``entrance``); fields not checked are kept as they are.

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
    return check_assignment(raw, str(path))


def check_assignment(raw: object, source: str = "<assignment>") -> dict[str, Any]:
    """Check an assignment already read into Python objects (see :func:`read_assignment`).

    Examples
    --------
    >>> doc = check_assignment(
    ...     {"schema": "boothopt.assignment/1", "halls": [{"id": "A", "polygon": [[0, 0], [9, 0],
    ...      [9, 9], [0, 0]]}]})
    >>> doc["booths"], doc["anchor"]
    ([], None)
    >>> check_assignment({"schema": "boothopt.assignment/1", "halls": []}, "a.json")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    boothopt.errors.InputError: a.json: halls: there must be at least one hall — re-run ...
    """
    if not isinstance(raw, dict):
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
        model = AssignmentIn.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{source}: {_first_problem(exc, raw)} — {REDO}") from None
    data: dict[str, Any] = model.model_dump(by_alias=True)
    return data


def _first_problem(exc: ValidationError, raw: dict[str, Any]) -> str:
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
    text = f"{where}: {msg}" if where else msg
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more fault{'s' if len(errors) > 2 else ''})"
    return text


def _booth_no(loc: tuple[int | str, ...], raw: dict[str, Any]) -> str:
    """Return the booth number of the booth a fault is in, when it has a readable one."""
    if len(loc) < 2 or loc[0] != "booths" or not isinstance(loc[1], int):
        return ""
    booths = raw.get("booths")
    if not isinstance(booths, list) or not isinstance(booths[loc[1]], dict):
        return ""
    number = booths[loc[1]].get("booth_no")
    return number if isinstance(number, str) else ""
