"""Limits on what boothopt reads, in one place, and the careful readers that keep them.

Every file a floor manager hands boothopt (event file, venue file, exhibitor tables) is read
through these, so that a small hostile or damaged file costs neither minutes nor gigabytes, nor a
traceback. Each limit is far above any real exhibition's files; a file beyond one gets one
message saying which limit it breaks and what to do.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from boothopt.errors import FileFault

MB = 1024 * 1024

# Files: a CSV table of 100,000 exhibitors is about 10 MB (CSV, XLSX and JSON files).
MAX_FILE_BYTES = 50 * MB
# YAML is read many times slower than CSV (about 1 MB a second): event, venue and YAML tables.
MAX_YAML_BYTES = 10 * MB
# An XLSX file is a zip: the sum of its members' unpacked sizes (a zip bomb unpacks to gigabytes).
MAX_XLSX_UNPACKED_BYTES = 200 * MB
# Exhibitors in one table, and in all the tables of one event (2031 expects about 2,000).
MAX_ROWS = 100_000
# Exhibitor tables one event file lists.
MAX_TABLES = 100
MAX_LOCKS = 10_000  # entries in an event's locks: list
# Characters in one cell of an exhibitor table.
MAX_CELL_CHARS = 10_000
# Values that YAML anchors and aliases (&name, *name) may repeat in one file, in all: enough for
# shared defaults, far too few for a "billion laughs" file that expands to gigabytes.
MAX_YAML_ALIAS_VALUES = 10_000
# Floor of one hall, and of all a venue's halls together (Jamsil plans 110,000 m²).
MAX_FLOOR_M2 = 5_000_000.0
# Venue coordinates lie within this distance of the venue's origin, in metres.
MAX_COORDINATE_M = 100_000.0
# Columns, or utility points, that one grid (`columns:`, `utility_grid:`) may place in a hall.
MAX_GRID_POINTS = 100_000
# Halls in one venue file (COEX has 6, Jamsil 8); the overlap check compares every pair.
MAX_HALLS = 500
# Doors a venue file's `generate:` block may place in all.
MAX_GENERATED_DOORS = 10_000
# Modules (booth grid cells) on the rented halls of one event.
MAX_GRID_CELLS = 1_000_000
# The side of one module, metres (the Korean shell-scheme booth is 3 m).
MODULE_M_MIN = 1.0
MODULE_M_MAX = 10.0


def quoted(value: object, width: int = 40) -> str:
    """Return a cell quoted for a message, cut after ``width`` characters.

    Messages quote the offending cell and nothing more of the file.

    Examples
    --------
    >>> quoted("robot"), quoted("x" * 50, 5)
    ("'robot'", "'xxxxx…'")
    """
    text = str(value)
    return repr(text[:width] + "…" if len(text) > width else text)


def printable(text: str, width: int = 40) -> str:
    r"""Return text for a message's location, cut after ``width`` characters.

    Control characters are written as escapes, so that one fault stays one line.

    Examples
    --------
    >>> printable("name\nko"), printable("업체명 (name_ko)")
    ('name\\nko', '업체명 (name_ko)')
    """
    cut = text[:width] + "…" if len(text) > width else text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in cut)


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Return the bytes of ``path``, reading no more than ``limit`` (and one byte to tell).

    Raises
    ------
    FileFault
        When the file cannot be read or is larger than ``limit``.
    """
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise FileFault(
            f"cannot be read ({exc.strerror or type(exc).__name__}) — check the file and that "
            "it may be read"
        ) from None
    if len(data) > limit:
        raise FileFault(too_large(limit))
    return data


def too_large(limit: int) -> str:
    """Return the message for a file over ``limit`` bytes."""
    return (
        f"the file is larger than {limit // MB} MB, the most boothopt reads — check it is the "
        "right file; split a larger exhibitor table into several tables"
    )


def utf8_text(data: bytes) -> str:
    """Return ``data`` as UTF-8 text (a byte-order mark dropped).

    Raises
    ------
    FileFault
        When the bytes are not UTF-8 text.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text_before = data[: exc.start].decode("utf-8", errors="replace")
        raise FileFault(
            "not UTF-8 text — save it as UTF-8", line=text_before.count("\n") + 1
        ) from None


# --- YAML and JSON ----------------------------------------------------------------------------

_Base: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]
    """The safe YAML loader (libyaml's when present), keeping a date that does not exist as text.

    ``2024-02-30`` then reaches the field's own check, which names the cell, instead of failing
    the whole file.
    """


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

# An anchor or alias is & or * before a name; text without one needs no alias check.
_ANCHOR_OR_ALIAS = re.compile(r"[&*][^\s&*]")


def load_yaml(text: str) -> Any:
    """Return the data of a YAML document, refusing alias bombs and values Python cannot hold.

    Raises
    ------
    yaml.YAMLError
        On a syntax error (with its ``problem_mark``), for the caller to report with the line.
    FileFault
        When aliases repeat more than :data:`MAX_YAML_ALIAS_VALUES` values, or refer to the
        value they stand in, or the document is nested too deeply or holds an unreadable value.
    """
    if _ANCHOR_OR_ALIAS.search(text):
        _check_aliases(text)
    try:
        return yaml.load(text, Loader=_Loader)  # a subclass of the safe loader
    except RecursionError:
        raise FileFault("nested too deeply — write the file as plain lists and fields") from None
    except (ValueError, TypeError, OverflowError):
        # A constructor's fault with no position: a number of thousands of digits and the like.
        raise FileFault(
            "a value cannot be read (a number of thousands of digits?) — write plain numbers, "
            "text and dates"
        ) from None


def _check_aliases(text: str) -> None:
    """Count the values that anchors and aliases repeat, without building any of them."""
    sizes: dict[str, int] = {}  # anchor -> the values its node holds, aliases expanded
    inside: set[str] = set()  # anchors of the collections still open
    stack: list[list[Any]] = [[None, 0]]  # per open collection: its anchor, the values so far
    repeated = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            anchor = str(event.anchor)
            if anchor in inside:
                raise FileFault(
                    f"alias *{quoted(anchor)[1:-1]} stands inside the value it names, which would "
                    "never end — write the value out",
                    line,
                )
            count = sizes.get(anchor, 1)
            repeated += count
            if repeated > MAX_YAML_ALIAS_VALUES:
                raise FileFault(
                    f"anchors and aliases (&name, *name) repeat more than "
                    f"{MAX_YAML_ALIAS_VALUES:,} values — write the values out, or use fewer "
                    "aliases",
                    line,
                )
            stack[-1][1] += count
        elif isinstance(event, yaml.ScalarEvent):
            stack[-1][1] += 1
            if event.anchor:
                sizes[str(event.anchor)] = 1
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            stack.append([event.anchor, 1])
            if event.anchor:
                inside.add(str(event.anchor))
        elif isinstance(event, yaml.CollectionEndEvent) and len(stack) > 1:
            anchor, count = stack.pop()
            if anchor:
                sizes[str(anchor)] = count
                inside.discard(str(anchor))
            stack[-1][1] += count


def load_json(text: str) -> Any:
    """Return the data of a JSON document.

    Raises
    ------
    json.JSONDecodeError
        On a syntax error, for the caller to report with the line.
    FileFault
        When the document is nested too deeply or holds a number Python will not read.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise FileFault("nested too deeply — write the file as plain lists and fields") from None
    except ValueError:
        raise FileFault(
            "a value cannot be read (a number of thousands of digits?) — write plain numbers"
        ) from None
