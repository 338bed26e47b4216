"""The `boothopt` command: parse options, call the layers below, print, set the exit code."""

from __future__ import annotations

import contextlib
import json
import math
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import click

from boothopt import __version__
from boothopt.errors import BoothoptError, InputError

if TYPE_CHECKING:
    from boothopt.contract import Assignment

DEFAULT_TIME_LIMIT_S = 60.0  # allocate's wall-clock limit when neither limit is given

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2  # bad input, or a layout that breaks a rule (check, export)
EXIT_UNPLACED = 3  # allocate --strict: done, but someone is left out
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM

EXIT_CODES = f"""\b
Exit codes:
  0    done
  {EXIT_FAILED}    failed (a bug or a broken installation; the message says which)
  {EXIT_BAD_INPUT}    bad input or options, or a layout that breaks a rule (check, export)
  {EXIT_UNPLACED}    allocate --strict: done, but some exhibitors are left out
  {EXIT_INTERRUPTED}  stopped by Ctrl-C (allocate writes the best layout found so far)
  {EXIT_TERMINATED}  stopped by SIGTERM (likewise)
"""

_F = TypeVar("_F", bound=Callable[..., Any])
_JSON_META = "boothopt.json"  # set in the context's meta when the command prints JSON


def _remember_json(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[_JSON_META] = True
    return value


def json_option(help_text: str) -> Callable[[_F], _F]:
    """The ``--json`` flag of every command: the result, and any error, as one JSON object."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        is_eager=True,  # noted first, so an error in a later option is answered in JSON too
        callback=_remember_json,
        help=help_text + ' Errors too, as {"ok": false, "error": ...}.',
    )


def _fail(ctx: click.Context, kind: str, code: int, lines: list[str]) -> None:
    """Report an error (as JSON on stdout under --json, else as lines on stderr) and exit."""
    if ctx.meta.get(_JSON_META):
        error = {"kind": kind, "exit_code": code, "messages": lines}
        click.echo(json.dumps({"ok": False, "error": error}, ensure_ascii=False))
    else:
        for line in lines:
            click.echo(f"error: {line}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """A click group that turns boothopt's own errors into one readable line each."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BoothoptError as exc:
            bad_input = isinstance(exc, InputError)
            code = EXIT_BAD_INPUT if bad_input else EXIT_FAILED
            _fail(ctx, "input" if bad_input else "failed", code, str(exc).splitlines())
        except click.ClickException as exc:
            if not ctx.meta.get(_JSON_META):
                raise
            _fail(ctx, "usage", exc.exit_code, [exc.format_message()])
        except KeyboardInterrupt:
            # During a solve CP-SAT takes Ctrl-C itself and returns its best layout; this is
            # Ctrl-C anywhere else (reading files, writing them): stop cleanly, write nothing more.
            _fail(ctx, "interrupted", EXIT_INTERRUPTED, ["interrupted"])


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES
)
@click.version_option(__version__, prog_name="boothopt")
def main() -> None:
    """Plan exhibition floors: venues, booth grids and booth allocation."""


@main.group(cls=_Group)
def venues() -> None:
    """Look at venues: the built-in ones (COEX, Jamsil) or any venue file."""


@venues.command("list")
@json_option("Print the venues as one JSON object.")
def venues_list(as_json: bool) -> None:
    """List the built-in venues with their halls and areas."""
    from boothopt.floorplan import builtin_venues, load_venue

    names = builtin_venues()
    if as_json:
        out = []
        for name in names:
            venue = load_venue(name)
            hall_list = [
                {"id": h.id, "area_m2": round(h.area_m2, 1), "parts": list(h.parts)}
                for h in venue.halls + venue.joined
            ]
            out.append(
                {
                    "id": name,
                    "name": venue.name,
                    "area_m2": round(venue.area_m2, 1),
                    "halls": hall_list,
                }
            )
        _echo_json({"ok": True, "venues": out})
        return
    for name in names:
        venue = load_venue(name)
        halls = ", ".join(
            h.id + (f" ({'+'.join(h.parts)})" if h.parts else "")
            for h in venue.halls + venue.joined
        )
        click.echo(
            f"{name:<14} {venue.name} — {venue.area_m2:,.0f} m² in "
            f"{len(venue.halls)} halls: {halls}"
        )


VENUE_ARG = click.argument("venue", metavar="VENUE")
HALL_OPT = click.option(
    "--hall",
    "halls",
    multiple=True,
    metavar="ID",
    help="Only this hall (repeat for several); joined halls such as B work.",
)


@venues.command("show")
@VENUE_ARG
@HALL_OPT
@json_option("Print one JSON object instead of a table.")
def venues_show(venue: str, halls: tuple[str, ...], as_json: bool) -> None:
    """Lay out each hall with the default aisle scheme and report its figures.

    VENUE is a built-in name (see `boothopt venues list`) or a venue file.
    Per hall: area, usable area, cells, standard-booth capacity, aisle length, farthest walk to an
    exit, and the fire-rule breaches. Exits with status 0 even when a hall breaches a rule.
    """
    from boothopt.floorplan import load_venue
    from boothopt.floorplan.report import hall_reports

    v = load_venue(venue)
    reports = hall_reports(v, list(halls) or None)
    if as_json:
        _echo_json(
            {"ok": True, "venue": v.id, "name": v.name, "halls": [r.as_dict() for r in reports]},
            indent=2,
        )
        return
    click.echo(f"{v.name} {v.name_ko} ({v.id})")
    header = (
        f"{'hall':<6}{'level':<7}{'area m²':>10}{'usable m²':>11}{'cells':>7}"
        f"{'booths':>8}{'aisles m':>10}{'exit walk m':>13}  breaches"
    )
    click.echo(header)
    for r in reports:
        d = r.as_dict()
        walk = "-" if d["max_exit_walk_m"] is None else f"{d['max_exit_walk_m']:.1f}"
        click.echo(
            f"{r.grid.hall.id:<6}{r.grid.hall.level:<7}{r.grid.hall.area_m2:>10,.0f}"
            f"{r.grid.usable_m2:>11,.0f}{r.grid.n_cells:>7}{d['booth_capacity']:>8}"
            f"{r.grid.aisle_length_m:>10,.0f}{walk:>13}  {len(r.breaches) or 'none'}"
        )
    for r in reports:
        for b in r.breaches:
            click.echo(f"breach: {b.message}")
    if any(r.grid.hall.estimated for r in reports):
        click.echo(
            "note: shapes or figures marked estimated in the venue file; replace them "
            "with the venue's drawings before a real show."
        )


@venues.command("render")
@VENUE_ARG
@HALL_OPT
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SVG file to write.",
)
@json_option("Print what was written as one JSON object.")
def venues_render(venue: str, halls: tuple[str, ...], out: Path, as_json: bool) -> None:
    """Draw halls to scale as SVG: outline, obstacles, exits, entrances, aisles and blocks.

    Without --hall every hall is drawn, each level on its own band; the parts of a joined hall
    (B1, B2) are drawn rather than the joined hall (B) unless B is asked for.
    """
    from boothopt.floorplan import build_grid, load_venue
    from boothopt.outputs.files import write_atomic
    from boothopt.outputs.venue_svg import render_grids_svg

    v = load_venue(venue)
    ids = list(halls) or [h.id for h in v.halls]
    grids = [build_grid(v.hall(i)) for i in ids]
    svg = render_grids_svg(grids, f"{v.name} {v.name_ko} — booth grid")
    write_atomic(out, svg)
    _wrote([out], as_json)


@venues.command("import")
@click.argument("drawing", metavar="DRAWING.dxf", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--layers",
    "layers",
    metavar="ROLE=LAYER,…",
    help="The layers to read and what each holds: outline (hall outlines), obstacle (columns), "
    "core, stage, wall, other (obstacles of that kind), exit, entrance (doors). "
    "[default: outline=HALL,obstacle=COLUMN,core=CORE,stage=STAGE,wall=WALL,other=OBSTACLE,"
    "exit=EXIT,entrance=ENTRANCE]",
)
@click.option(
    "--units",
    type=click.Choice(["mm", "cm", "m", "ft"]),
    help="The drawing's unit; needed when the drawing does not say it ($INSUNITS unset), and "
    "used instead of what it says when given.",
)
@click.option(
    "--level",
    default="1F",
    show_default=True,
    help="The level of layers whose names give none (HALL@3F is layer HALL on level 3F).",
)
@click.option("--id", "venue_id", metavar="ID", help="The venue's id [default: the file's name].")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Venue file (YAML) to write.",
)
@json_option("Print what was written and the halls found as one JSON object.")
def venues_import(
    drawing: Path,
    layers: str | None,
    units: str | None,
    level: str,
    venue_id: str | None,
    out: Path,
    as_json: bool,
) -> None:
    """Turn a venue's CAD drawing (DXF) into a venue file.

    Each closed shape on the outline layer is a hall, named by the one text inside it (else H1,
    H2, …); shapes on the obstacle layers become its obstacles, and shapes on the exit and
    entrance layers doors on its wall, as wide as they reach along it. Arcs, circles and blocks
    are read. The venue file written is checked as `venues show` would load it.
    """
    from boothopt.floorplan.dxf_import import import_dxf, parse_layers, venue_yaml
    from boothopt.outputs.files import write_atomic

    roles = parse_layers(layers) if layers is not None else None
    raw = import_dxf(drawing, roles, units, venue_id=venue_id, level=level)
    write_atomic(out, venue_yaml(raw))
    halls = [
        {
            "id": h["id"],
            "level": h["level"],
            "obstacles": len(h.get("obstacles", [])),
            "entrances": len(h.get("entrances", [])),
            "exits": len(h.get("exits", [])),
        }
        for h in raw["halls"]
    ]
    if as_json:
        _echo_json({"ok": True, "wrote": [str(out)], "venue": raw["id"], "halls": halls})
        return
    for h in halls:
        click.echo(
            f"hall {h['id']} ({h['level']}): {_count(h['obstacles'], 'obstacle')}, "
            f"{_count(h['entrances'], 'entrance')}, {_count(h['exits'], 'exit')}"
        )
    _wrote([out], as_json)


@venues.command("export")
@VENUE_ARG
@HALL_OPT
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="DXF file to write.",
)
@json_option("Print what was written as one JSON object.")
def venues_export(venue: str, halls: tuple[str, ...], out: Path, as_json: bool) -> None:
    """Draw a venue's halls as a CAD drawing (DXF, millimetres) that `venues import` reads.

    Layers HALL, COLUMN (CORE, STAGE, WALL, OBSTACLE), EXIT and ENTRANCE, each per level
    (HALL@1F); each hall's id is a text inside its outline. Without --hall every hall is drawn
    (the parts of a joined hall, not the joined hall).
    """
    from boothopt.floorplan import load_venue
    from boothopt.outputs.dxf import venue_to_dxf
    from boothopt.outputs.files import write_atomic

    v = load_venue(venue)
    write_atomic(out, venue_to_dxf(v, list(halls) or None))
    _wrote([out], as_json)


SEED_OPT = click.option("--seed", default=0, show_default=True, help="Random seed of the search.")
WORKERS_OPT = click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Search threads (one per core).",
)
QUIET_OPT = click.option("--quiet", is_flag=True, help="Print nothing but errors.")
ALLOW_OUTSIDE_OPT = click.option(
    "--allow-outside",
    is_flag=True,
    help="Read exhibitor tables and venue files the event names even outside its folder.",
)


@main.command()
@click.argument("event_file", metavar="EVENT.yaml", type=click.Path(path_type=Path))
@json_option("Print the normalized event as the solver will see it, as JSON.")
@ALLOW_OUTSIDE_OPT
def validate(event_file: Path, as_json: bool, allow_outside: bool) -> None:
    """Check an event file and its exhibitor tables; print a summary or every fault.

    Faults are printed one per line as file:row:column: what is wrong — what to do, with exit
    code 2; so are fire rules the event's own aisle scheme breaks (allocate refuses such an
    event unless --allow-breaches). Rules that can never hold (competitors farther apart than
    the floor allows, a zone larger than its hall) are stated once each. A clean event prints
    exhibitors by kind, zone and tier, the requested area against the usable floor of the
    rented halls, and the warnings.
    """
    from boothopt.inputs.event_file import event_summary, event_to_dict, load_event

    event = load_event(event_file, allow_outside=allow_outside)
    breaches = event.layout_breaches
    code = EXIT_BAD_INPUT if breaches else 0
    if as_json:
        _echo_json({"ok": not breaches, **event_to_dict(event)}, indent=2)
        sys.exit(code)
    s = event_summary(event)

    def counts(d: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items())

    title = " ".join(t for t in (event.name, event.name_ko) if t)
    click.echo(f"{title} — {event.venue.name}, halls {', '.join(event.halls)}")
    click.echo(f"exhibitors: {s['exhibitors']} ({counts(s['by_kind'])})")
    click.echo(f"by zone:    {counts(s['by_zone'])}")
    click.echo(f"by tier:    {counts(s['by_tier'])}")
    share = (s["requested_m2"] + s["reserved_m2"]) / s["usable_m2"] if s["usable_m2"] else 0
    click.echo(
        f"floor:      {s['requested_m2']:,.0f} m² requested + {s['reserved_m2']:,.0f} m² "
        f"reserved of {s['usable_m2']:,.0f} m² usable ({share:.0%})"
    )
    for w in s["warnings"]:
        click.echo(f"warning: {w}")
    for line in event.impossible:
        click.echo(f"cannot hold: {line}")
    for b in breaches:
        click.echo(f"fire rule: {b.message}")
    if breaches:
        click.echo(
            f"not ok: the event's aisle scheme breaks {_count(len(breaches), 'fire rule')}; "
            "allocate refuses it unless --allow-breaches"
        )
        sys.exit(code)
    never = event.impossible
    click.echo(
        "ok: no faults found"
        + (f"; {_count(len(never), 'rule')} can never hold (see above)" if never else "")
    )


@main.command()
@click.argument("out", metavar="OUT.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--event",
    "event_file",
    type=click.Path(path_type=Path),
    help="Take the zones and tiers for the drop-down lists from this event file.",
)
@ALLOW_OUTSIDE_OPT
@json_option("Print what was written as one JSON object.")
def template(out: Path, event_file: Path | None, allow_outside: bool, as_json: bool) -> None:
    """Write an empty exhibitor application sheet (XLSX) to send to exhibitors.

    Headers in Korean and English, drop-down lists for kind, tier, zone and booth type, one
    example row, and a guide sheet explaining every column.
    """
    from boothopt.inputs.domain import DEFAULT_TIERS
    from boothopt.inputs.event_file import read_zones_and_tiers
    from boothopt.inputs.template import DEFAULT_ZONES, write_template

    zones, tiers = list(DEFAULT_ZONES), list(DEFAULT_TIERS)
    if event_file is not None:
        zones, tiers = read_zones_and_tiers(event_file, allow_outside=allow_outside)
    write_template(out, zones, tiers)
    _wrote([out], as_json)


@main.command()
@click.argument("name", metavar="NAME")
@click.option("--seed", default=0, show_default=True, help="Random seed; same seed, same files.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write event.yaml and exhibitors.csv (and venue.yaml for scale-N) into.",
)
@json_option("Print what was written as one JSON object.")
def scenario(name: str, seed: int, out_dir: Path, as_json: bool) -> None:
    """Write a forecast event for planners and benchmarks.

    NAME is one of smartlife-2024 (Hall B2 + Hall C, 147 companies and 115 cities), year2
    (200 cities, 300 domestic and 50 foreign companies on Halls A + C), year3 (300 cities, 500
    domestic, 100 foreign, all COEX halls), jamsil-2031 (2,000+ exhibitors at Jamsil), or
    scale-100, scale-200, scale-400, scale-800, scale-1600, scale-3200 (that many exhibitors on a
    generated venue sized to fit them, written beside the event as venue.yaml).
    """
    from boothopt.inputs.scenarios import write_scenario

    _wrote(list(write_scenario(name, seed, out_dir)), as_json)


@main.command()
@click.argument("event_file", metavar="EVENT.yaml", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for assignment.json, assignments.csv and floorplan.svg.",
)
@click.option(
    "--time-limit",
    default=None,
    type=click.FloatRange(min=0.1),
    help="Wall-clock seconds for the whole run; the best layout found by then is kept. "
    "[default: 60, or none with --work-limit]",
)
@click.option(
    "--work-limit",
    default=None,
    type=click.FloatRange(min=0.1),
    help="The optimizer's work, in CP-SAT deterministic seconds: the same event, seed, workers "
    "and work limit give the same assignment however busy the machine. [default: 0.45 per "
    "second of --time-limit]",
)
@SEED_OPT
@WORKERS_OPT
@click.option(
    "--method",
    type=click.Choice(["cpsat", "greedy", "best-spot"]),
    default="cpsat",
    show_default=True,
    help="The optimizer, or a baseline: greedy (first come, first served) or best-spot "
    "(priority order, each on the spot worth most).",
)
@click.option(
    "--export",
    "exports",
    multiple=True,
    metavar="F[,F...]",
    help="Also write these exports of the new assignment into --out (formats as for `export`).",
)
@QUIET_OPT
@json_option("Print the run's summary as one JSON object.")
@ALLOW_OUTSIDE_OPT
@click.option(
    "--strict",
    is_flag=True,
    help=f"Exit with status {EXIT_UNPLACED} when any exhibitor is left out (files are written).",
)
@click.option(
    "--allow-breaches",
    is_flag=True,
    help="Allocate even when the event's own aisle scheme breaks a fire rule; the breaches are "
    "printed in the summary and drawn on the plan.",
)
@click.option(
    "--progress",
    "progress_mode",
    type=click.Choice(["auto", "bar", "jsonl", "none"]),
    default="auto",
    show_default=True,
    help="How the run shows progress on stderr: a one-line display (auto: when stderr is a "
    "terminal), one JSON object per line at least once a second (for scripts), or nothing.",
)
def allocate(
    event_file: Path,
    out_dir: Path,
    time_limit: float | None,
    work_limit: float | None,
    seed: int,
    workers: int,
    method: str,
    exports: tuple[str, ...],
    quiet: bool,
    as_json: bool,
    allow_outside: bool,
    strict: bool,
    allow_breaches: bool,
    progress_mode: str,
) -> None:
    """Assign every exhibitor a booth and write the assignment, the booth list and the plan.

    Same event, seed, workers and work limit: the same assignment (a run the wall clock cut says
    so). The summary gives placed and unplaced
    exhibitors (each unplaced with its reason), each soft goal's score against its best, and the
    optimizer's gap to its bound. With --export, the exports are written with the assignment,
    all or nothing. The written layout is checked against every hard rule by the same checker
    as `boothopt check`, and the summary says what it found.

    An event whose own aisle scheme breaks a fire rule is refused unless --allow-breaches.
    """
    from boothopt import api
    from boothopt.inputs.event_file import load_event
    from boothopt.outputs.export import (
        parse_formats,
        renderer,
    )
    from boothopt.outputs.files import folder_lock
    from boothopt.outputs.utilization import summary_lines
    from boothopt.solver.solve import Interrupt

    started = time.perf_counter()  # reading and laying out count against the time limit too
    _check_writable(out_dir)  # before the solve, not after it
    if time_limit is None:
        time_limit = math.inf if work_limit is not None else DEFAULT_TIME_LIMIT_S
    formats = parse_formats(exports) if exports else []
    for name in formats:
        renderer(name)  # a format that cannot be made is reported before the solve, not after
    if progress_mode == "auto":
        tty = sys.stderr.isatty() and not quiet and not as_json
        progress_mode = "bar" if tty else "none"
    interrupt = Interrupt()
    with (
        folder_lock(out_dir),
        _stop_on_signals(interrupt) as caught,
        _progress(progress_mode, started, time_limit) as progress,
    ):
        progress.stage("reading the event")
        run = api.allocate(
            load_event(event_file, allow_outside=allow_outside),
            time_limit=time_limit,
            work_limit=work_limit,
            seed=seed,
            workers=workers,
            method=cast(Literal["cpsat", "greedy", "best-spot"], method),
            allow_breaches=allow_breaches,
            on_stage=progress.stage,
            on_progress=progress.update,
            started_at=started,
            interrupt=interrupt,
        )
        event, result, layout, breaches = run.event, run.result, run.layout, run.breaches
        progress.stage("writing")
        files = _write_layout(layout, out_dir, formats)
    if caught:
        # Ctrl-C or SIGTERM: the best layout found so far is written, marked; the summary
        # follows, and the exit code says which signal ended the run (130 or 143).
        what = "Ctrl-C" if caught[0] == signal.SIGINT else "SIGTERM"
        click.echo(
            f"{what}: the search was stopped; the best layout found so far is written "
            f"(assignment.json: solver.ended_by {result.ended_by})",
            err=True,
        )
    code = 128 + caught[0] if caught else 0
    if not code and strict and result.unplaced:
        code = EXIT_UNPLACED
    summary = result.summary()
    summary["unplaced_reasons"] = [{"exhibitor_id": e, "reason": r} for e, r in result.unplaced]
    summary["breaches"] = [b.as_dict() for b in breaches]
    summary["impossible"] = list(event.impossible)
    summary["utilization"] = _utilization_data(layout)
    if as_json:
        _echo_json({"ok": True, **summary})
        sys.exit(code)
    if quiet:
        sys.exit(code)
    click.echo(
        f"{event.name}: {summary['placed']} placed, {summary['unplaced']} unplaced "
        f"({result.status.value}, objective {result.objective:,.1f}, bound "
        f"{result.bound:,.1f}, gap {result.gap:.2%}, {result.wall_s:.1f} s)"
    )
    click.echo(f"  bound: {result.bound_covers}")
    if result.method == "cpsat":
        click.echo(f"  ended by: {_ended_by(result, seed, workers)}")
    if result.work_limit is not None and not result.reproducible:
        click.echo(
            "warning: the wall clock (--time-limit) ended the search before its work was done, "
            "so another run may differ; give a --time-limit long enough for the --work-limit, "
            "or none"
        )
    for name, t in result.terms.items():
        # Against what each exhibitor's own best legal spot could give, not a perfect floor.
        top = result.term_bounds.get(name, t.max)
        share = t.score / top if top else 1.0
        click.echo(f"  {name:<15} {t.score:>10,.1f} of at most {top:>10,.1f}  ({share:.0%})")
    for line in summary_lines(layout.utilization) if layout.utilization else []:
        click.echo(f"  {line}")
    if result.priority_breaches:
        for line in result.priority_breaches:
            click.echo(f"priority not kept: {line}")
    else:
        click.echo(
            "priority kept: nobody is left out while a space they fit is free or held by "
            "someone of lower priority"
        )
    for e, why in result.unplaced:
        click.echo(f"unplaced: {e}: {why}")
    for c in result.conflicts:
        click.echo(f"conflict: {c}")
    for line in event.impossible:
        click.echo(f"cannot hold: {line}")
    for b in breaches:
        click.echo(f"breach: {b.line()}")
    if not breaches:
        click.echo("checked: every hard rule kept (the same check as `boothopt check`)")
    click.echo(f"wrote {', '.join(_written(out_dir, files))}")
    sys.exit(code)


@main.command()
@click.argument("previous", metavar="EARLIER.json", type=click.Path(path_type=Path))
@click.argument("event_file", metavar="EVENT.yaml", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the new assignment.json, assignments.csv, floorplan.svg, changes.csv and "
    "changes.xlsx.",
)
@click.option(
    "--lock",
    "locks",
    multiple=True,
    metavar="ID|hall:ID|zone:ID",
    help="Keep these earlier booths whatever it costs (repeat; adds to the event's locks:).",
)
@click.option(
    "--max-moves",
    type=click.IntRange(min=0),
    default=None,
    help="Move at most this many earlier booths; when keeping priority needs more, every "
    "earlier booth is kept. [default: as many as priority needs]",
)
@click.option(
    "--allow-swap",
    is_flag=True,
    help="Let two exhibitors of the same size, type, zone and needs trade booths where that "
    "serves a preferred hall or a partner (each trade is two moves).",
)
@click.option(
    "--time-limit",
    default=DEFAULT_TIME_LIMIT_S,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Wall-clock seconds for the whole run.",
)
@click.option(
    "--work-limit",
    default=None,
    type=click.FloatRange(min=0.1),
    help="The optimizer's work in CP-SAT deterministic seconds, for runs that repeat exactly.",
)
@SEED_OPT
@WORKERS_OPT
@click.option(
    "--export",
    "exports",
    multiple=True,
    metavar="F[,F...]",
    help="Also write these exports; letters only for the exhibitors whose booth changed.",
)
@QUIET_OPT
@json_option("Print the re-plan's summary and changes as one JSON object.")
@ALLOW_OUTSIDE_OPT
@click.option(
    "--allow-breaches",
    is_flag=True,
    help="Re-plan even when the event's own aisle scheme breaks a fire rule.",
)
def reallocate(
    previous: Path,
    event_file: Path,
    out_dir: Path,
    locks: tuple[str, ...],
    max_moves: int | None,
    allow_swap: bool,
    time_limit: float,
    work_limit: float | None,
    seed: int,
    workers: int,
    exports: tuple[str, ...],
    quiet: bool,
    as_json: bool,
    allow_outside: bool,
    allow_breaches: bool,
) -> None:
    """Re-plan an earlier assignment against the exhibitor tables as they are now.

    Cancellations free their booths; late entries, size changes and those left out before are
    placed. Keeping earlier booths comes before every soft goal: only the hard rules and the
    priority order (tier, points, date) come first, so a booth moves only to seat someone of
    higher priority, and a moved exhibitor gets a booth of its size and type in its zone, in
    its earlier hall where possible. Booth numbers of unmoved booths never change. Writes the
    new assignment and changes.csv / changes.xlsx (exhibitor, old booth, new booth, reason).
    """
    from boothopt import api
    from boothopt.contract import read_assignment
    from boothopt.inputs.event_file import load_event
    from boothopt.outputs.changes import render_changes
    from boothopt.outputs.export import (
        parse_formats,
        renderer,
    )
    from boothopt.outputs.files import folder_lock
    from boothopt.outputs.utilization import summary_lines
    from boothopt.solver.solve import Interrupt

    started = time.perf_counter()
    _check_writable(out_dir)
    formats = parse_formats(exports) if exports else []
    for name in formats:
        renderer(name)
    earlier = read_assignment(previous)
    interrupt = Interrupt()
    with folder_lock(out_dir), _stop_on_signals(interrupt) as caught:
        run = api.reallocate(
            earlier,
            load_event(event_file, allow_outside=allow_outside),
            locks=locks,
            max_moves=max_moves,
            allow_swap=allow_swap,
            time_limit=time_limit,
            work_limit=work_limit,
            seed=seed,
            workers=workers,
            allow_breaches=allow_breaches,
            started_at=started,
            interrupt=interrupt,
        )
        assert run.replan is not None
        plan, event, result, layout, breaches = (
            run.replan,
            run.event,
            run.result,
            run.layout,
            run.breaches,
        )
        changes = [
            {
                "exhibitor_id": c.exhibitor_id,
                "name": c.name,
                "old_booth": c.old_booth,
                "new_booth": c.new_booth,
                "reason": c.reason,
            }
            for c in plan.changes
        ]
        changed = {c["new_booth"] for c in changes if c["new_booth"]}
        moved_from = {c["new_booth"]: c["old_booth"] for c in changes if c["new_booth"]}
        moved_from = {new: old for new, old in moved_from.items() if old and old != new}
        files = _write_layout(
            layout, out_dir, formats, render_changes(changes), changed, moved_from
        )
    code = 128 + caught[0] if caught else 0
    summary = {
        "ok": True,
        "kept": plan.kept,
        "moved": plan.moved,
        "placed_new": plan.placed_new,
        "cancelled": plan.cancelled,
        "locked": plan.locked,
        "fewest_moves_proved_within_m": plan.fewest_within_m,
        "placed": len(result.booths),
        "unplaced": len(result.unplaced),
        "changes": changes,
        "breaches": [b.as_dict() for b in breaches],
        "ended_by": result.ended_by,
        "terms": result.summary()["terms"],
        "utilization": _utilization_data(layout),
    }
    if as_json:
        _echo_json(summary)
        sys.exit(code)
    if quiet:
        sys.exit(code)
    click.echo(
        f"{event.name}: {plan.kept} booths kept, {plan.moved} moved, {plan.placed_new} placed "
        f"new, {plan.cancelled} cancelled; {len(result.booths)} placed, "
        f"{len(result.unplaced)} unplaced"
    )
    if plan.fewest_within_m is not None:
        click.echo(
            f"  fewest moves: proved for everyone within {plan.fewest_within_m:g} m of a change "
            "(no layout that keeps everyone placed, and those further where they stand, moves "
            "fewer)"
        )
    for c in plan.changes:
        old = c.old_booth or "-"
        new = c.new_booth or "-"
        click.echo(f"  {c.exhibitor_id}: {old} -> {new}: {c.reason}")
    for line in summary_lines(layout.utilization) if layout.utilization else []:
        click.echo(f"  {line}")
    for b in breaches:
        click.echo(f"breach: {b.line()}")
    if not breaches:
        click.echo("checked: every hard rule kept (the same check as `boothopt check`)")
    click.echo(f"wrote {', '.join(_written(out_dir, files))}")
    sys.exit(code)


@main.command()
@click.argument("source", metavar="[EVENT_OR_SCENARIO]", required=False)
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    required=True,
    metavar="NAME=SPEC",
    help="A layout to compare (repeat): NAME=VENUE[:HALL,...][@OPTION=VALUE,...], e.g. "
    "coex-AC=coex:A,C, jamsil=jamsil-mice (every hall), mine=venue.yaml:H1,H2@aisles=5.5. "
    "Options after @ change the event's aisle scheme: aisles (side and cross), side, cross, "
    "main, perimeter (metres), row (longest row, metres), depth (block depth, modules), "
    "orientation (x, y, auto), kind (rows, none).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for comparison.json and comparison.html.",
)
@click.option(
    "--hall-map",
    "hall_maps",
    multiple=True,
    metavar="FROM=TO[,...]",
    help="Where what names a hall a layout lacks goes (preferred halls, zones' halls, reserved "
    "areas), e.g. B2=A,D1=C; without it a preference or a zone's hall is dropped (one warning "
    "per kind) and a reserved area goes to the layout's largest hall.",
)
@click.option(
    "--visitors",
    metavar="N[,N...]",
    help="Visitors over the show days for the crowding forecast, e.g. 20000,30000. "
    "[default: the scenario's own forecast; 30000 for an event file]",
)
@click.option(
    "--seeds",
    metavar="N|A-B|A,B,...",
    help="Seeds to run each layout with; a scenario is also drawn anew for each. Figures are "
    "then given as mean and spread (min–max). [default: 0]",
)
@click.option(
    "--scenario",
    "scenarios",
    multiple=True,
    metavar="NAME[,NAME...]",
    help="Scenario presets to compare on every layout: year1 (smartlife-2024), year2, year3, "
    "jamsil-2031, or scale-N.",
)
@click.option(
    "--time-limit",
    default=None,
    type=click.FloatRange(min=0.1),
    help="Wall-clock seconds for each run. [default: 60, or none with --work-limit]",
)
@click.option(
    "--work-limit",
    default=None,
    type=click.FloatRange(min=0.1),
    help="Each run's optimizer work in CP-SAT deterministic seconds: runs that repeat exactly.",
)
@WORKERS_OPT
@click.option(
    "--method",
    type=click.Choice(["cpsat", "greedy", "best-spot"]),
    default="cpsat",
    show_default=True,
    help="The optimizer, or a baseline (as for allocate).",
)
@QUIET_OPT
@json_option("Print what was written and the comparison as one JSON object.")
@ALLOW_OUTSIDE_OPT
def compare(
    source: str | None,
    layouts: tuple[str, ...],
    out_dir: Path,
    hall_maps: tuple[str, ...],
    visitors: str | None,
    seeds: str | None,
    scenarios: tuple[str, ...],
    time_limit: float | None,
    work_limit: float | None,
    workers: int,
    method: str,
    quiet: bool,
    as_json: bool,
    allow_outside: bool,
) -> None:
    """Compare venues, hall sets and aisle schemes for the same exhibitors.

    EVENT_OR_SCENARIO is an event file or a scenario preset (or give --scenario). Every layout
    gets the same exhibitors, seeds and limits; runs go one process per run on the cores
    available. Prints the figures side by side — area, booth capacity, placed, area granted,
    each goal, walks from the entrances (mean, 95th percentile, by tier), the farthest walk to
    an exit, rule breaches, zone compactness, the optimizer's gap and the crowding forecast —
    and writes them to comparison.json and comparison.html (one offline page with the table,
    bar charts and the plans with their crowding heat maps).
    """
    from boothopt.outputs.files import folder_lock, write_all
    from boothopt.planning.compare import compare as run_compare
    from boothopt.planning.compare import (
        comparison_json,
        hot_spot_lines,
        parse_hall_map,
        parse_layout,
        parse_seeds,
        parse_visitors,
        resolve_sources,
        table_lines,
    )
    from boothopt.planning.report_html import comparison_page, plan_views

    _check_writable(out_dir)
    # Every option is checked before the first run starts.
    seed_list = parse_seeds(seeds)
    visitor_list = parse_visitors(visitors)
    hall_map = parse_hall_map(hall_maps)
    parsed = [parse_layout(text) for text in layouts]
    sources = resolve_sources(source, scenarios, allow_outside)
    talk = not (quiet or as_json)

    def started(runs: int, processes: int) -> None:
        if talk:
            at_once = f", {processes} at a time" if processes > 1 else ""
            click.echo(f"{_count(runs, 'run')}{at_once}", err=True)

    def done(o: Any) -> None:
        if talk:
            click.echo(
                f"  done: {o.source}, {o.layout}, seed {o.seed}: {o.figures['placed']} placed, "
                f"{o.figures['unplaced']} left out",
                err=True,
            )

    with folder_lock(out_dir):
        result = run_compare(
            sources,
            parsed,
            hall_map=hall_map,
            seeds=seed_list,
            visitors=visitor_list,
            time_limit=time_limit,
            work_limit=work_limit,
            workers=workers,
            method=cast(Literal["cpsat", "greedy", "best-spot"], method),
            on_start=started,
            on_done=done,
        )
        files = {
            out_dir / "comparison.json": comparison_json(result.data),
            out_dir / "comparison.html": comparison_page(result.data, plan_views(result.outcomes)),
        }
        write_all(files)
    if as_json:
        _echo_json({"ok": True, "wrote": [str(p) for p in files], "comparison": result.data})
        return
    if quiet:
        return
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in table_lines(result.data):
        click.echo(line)
    for line in hot_spot_lines(result.outcomes):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in files)}")


EVENT_CHECK_OPT = click.option(
    "--event",
    "event_file",
    type=click.Path(path_type=Path),
    help="Check against this event and its exhibitor tables as they are now: sizes, booth types, "
    "zones, competitors, needs, reserved areas, fire rules, who is missing or gone.",
)


@main.command("check")
@click.argument("assignment_file", metavar="ASSIGNMENT.json", type=click.Path(path_type=Path))
@EVENT_CHECK_OPT
@ALLOW_OUTSIDE_OPT
@json_option("Print the breaches as one JSON object.")
def check_cmd(
    assignment_file: Path, event_file: Path | None, allow_outside: bool, as_json: bool
) -> None:
    """Check a layout, allocated or edited by hand, against every hard rule.

    One line per breach, naming the booth and the rule; exit status 2 when there is any.
    Without --event only what the assignment file shows by itself is checked: booths are
    rectangles of whole modules of the size they state, inside their hall, off blocked floor
    (exit clear zones, columns) and overlapping nothing. With --event, every rule of the event
    too, against its exhibitor tables as they are now.
    """
    from boothopt import api
    from boothopt.contract import read_assignment
    from boothopt.inputs.event_file import load_event

    doc = read_assignment(assignment_file)
    event = load_event(event_file, allow_outside=allow_outside) if event_file else None
    breaches = api.check(doc, event)
    scope = "event" if event is not None else "geometry"
    booths = len(doc.booths)
    if as_json:
        _echo_json(
            {
                "ok": not breaches,
                "file": str(assignment_file),
                "event": str(event_file) if event_file else None,
                "checked": scope,
                "booths": booths,
                "breaches": [b.as_dict() for b in breaches],
            }
        )
    else:
        for b in breaches:
            click.echo(f"breach: {b.line()}")
        if breaches:
            where = {b.booth for b in breaches if b.booth}
            click.echo(
                f"{assignment_file}: {len(breaches)} breach{'es' if len(breaches) != 1 else ''}"
                f" ({_count(len(where), 'booth')} at fault)"
            )
        elif event is not None:
            click.echo(f"ok: {_count(booths, 'booth')} keep every hard rule of {event_file}")
        else:
            click.echo(
                f"ok: {_count(booths, 'booth')} are whole rectangles of their size, inside their "
                "halls, off blocked floor, overlapping nothing; give --event EVENT.yaml to check "
                "the event's rules and tables too"
            )
    sys.exit(EXIT_BAD_INPUT if breaches else 0)


@main.command("export")
@click.argument("assignment_file", metavar="ASSIGNMENT.json", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    required=True,
    metavar="F[,F...]",
    help="csv, xlsx, geojson, svg, png, pdf, letters, or all; repeat or separate with commas.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the files into.",
)
@EVENT_CHECK_OPT
@ALLOW_OUTSIDE_OPT
@click.option(
    "--force",
    is_flag=True,
    help="Export a layout that breaks a rule: the breaches are stamped on the plan and listed "
    "in the lists.",
)
@json_option("Print what was written, and the breaches, as one JSON object.")
def export_cmd(
    assignment_file: Path,
    formats: tuple[str, ...],
    out_dir: Path,
    event_file: Path | None,
    allow_outside: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Write what exhibitors and floor managers receive, from an assignment file.

    Formats: csv and xlsx (the master list of booths, by booth number, and those left out),
    geojson (halls, booths, zones and reserved areas on the earth, from the venue's anchor),
    svg, png and pdf (the floor plan to scale), letters (one PDF per exhibitor, in Korean and
    English, with a map of the hall). Every format is made before any file is written; a
    failure leaves the earlier files as they were.

    The layout is checked first, as `boothopt check` does (with --event, against the event's
    rules too); a layout that breaks a rule is refused unless --force.
    """
    from boothopt import api
    from boothopt.contract import read_assignment
    from boothopt.inputs.event_file import load_event
    from boothopt.outputs.export import export, parse_formats
    from boothopt.outputs.files import folder_lock

    names = parse_formats(formats)
    _check_writable(out_dir)
    doc = read_assignment(assignment_file)
    event = load_event(event_file, allow_outside=allow_outside) if event_file else None
    found = api.check(doc, event)
    # Breaches the assignment already carries were let through when it was made
    # (allocate --allow-breaches, or an earlier forced export): stamped again, not refused.
    known = doc.breaches
    seen = {(b.rule, b.booth, b.message) for b in known}
    new = [b for b in found if (b.rule, b.booth, b.message) not in seen]
    if new and not force:
        raise InputError(
            "\n".join(
                [
                    f"{assignment_file}: the layout breaks {_count(len(new), 'rule')}:",
                    *(f"  {b.line()}" for b in new),
                    "— fix the layout (see `boothopt check`), or export it anyway with --force, "
                    "which stamps the breaches on the plan and in the lists",
                ]
            )
        )
    if new:
        doc = doc.model_copy(update={"breaches": (*known, *(b.record() for b in new))})
    with folder_lock(out_dir):
        written = export(doc, names, out_dir)
    if as_json:
        _echo_json(
            {
                "ok": True,
                "wrote": {name: [str(p) for p in paths] for name, paths in written.items()},
                "breaches": [b.model_dump(mode="json") for b in doc.breaches],
            }
        )
        return
    for b in new:
        click.echo(f"warning: exported with a breach (--force): {b.line()}", err=True)
    for name, paths in written.items():
        rels = [p.relative_to(out_dir).as_posix() for p in paths]
        click.echo(f"{name}: wrote {', '.join(_written(out_dir, rels))}")


def _echo_json(data: dict[str, Any], indent: int | None = None) -> None:
    """Print ``data`` as one JSON object (never a bare NaN: that is not JSON)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False))


def _wrote(paths: list[Path], as_json: bool) -> None:
    """Say which files a command wrote: one line each, or one JSON object."""
    if as_json:
        _echo_json({"ok": True, "wrote": [str(p) for p in paths]})
        return
    for path in paths:
        click.echo(f"wrote {path}")


def _utilization_data(layout: Assignment) -> dict[str, Any] | None:
    """Return the assignment's utilization as JSON data, for the printed summary."""
    return layout.utilization.model_dump(mode="json") if layout.utilization else None


def _write_layout(
    layout: Assignment,
    out_dir: Path,
    formats: list[str],
    extra: dict[str, bytes] | None = None,
    letters_for: set[str] | None = None,
    moved_from: dict[str, str] | None = None,
) -> dict[str, str | bytes]:
    """Write a checked assignment with its plan and exports into ``out_dir`` as one set.

    The exports read the assignment as `boothopt export` would read the file. Returns the
    files written; ``letters_for`` limits the letters to these booth numbers, and
    ``moved_from`` (new booth number -> old) has a moved booth's letter say so.
    """
    from boothopt.contract import assignment_json, parse_assignment
    from boothopt.outputs.export import merged, render_exports, write_exports
    from boothopt.outputs.letters import render_letters
    from boothopt.outputs.master_list import assignments_csv
    from boothopt.outputs.plan_svg import render_plan_svg

    text = assignment_json(layout)
    files: dict[str, str | bytes] = {
        "assignment.json": text,
        "assignments.csv": assignments_csv(layout),
        "floorplan.svg": render_plan_svg(layout),
        **(extra or {}),
    }
    if formats:
        doc = parse_assignment(json.loads(text), str(out_dir / "assignment.json"))
        others = [f for f in formats if f != "letters" or letters_for is None]
        files.update(merged(render_exports(doc, others)))
        if "letters" in formats and letters_for is not None:
            files.update(render_letters(doc, only=letters_for, moved_from=moved_from))
    write_exports(files, out_dir, ["letters"] if "letters" in formats else [])
    return files


def _count(n: int, word: str) -> str:
    """Return ``3 fire rules`` / ``1 fire rule``."""
    return f"{n} {word}{'s' if n != 1 else ''}"


def _check_writable(out_dir: Path) -> None:
    """Refuse an ``--out`` that cannot be written, before any work: a file where a folder must
    be, or a folder this user may not write in. Nothing is created here."""
    import os

    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(
            f"{out_dir}: cannot write (not a directory: {existing} is a file) — choose a "
            "writable folder for --out"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(
            f"{out_dir}: cannot write (permission denied in {existing}) — choose a writable "
            "folder for --out"
        )


@contextlib.contextmanager
def _stop_on_signals(interrupt: Any) -> Iterator[list[int]]:
    """Yield a list that holds the signal number once Ctrl-C or SIGTERM arrives, which also
    stops the solve (``interrupt``) at once, even inside CP-SAT.

    Python runs a signal handler only when the main thread runs Python code, and the solve's
    main thread is inside CP-SAT; so the signal also wakes a small thread (through the wakeup
    file descriptor) that stops the search from outside.
    """
    import os
    import select
    import threading

    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught  # signals reach the main thread only; a caller in a thread handles them
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)

    def note(signum: int, frame: Any) -> None:
        if not caught:
            caught.append(signum)

    wanted = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}

    def watch() -> None:
        reason = ""
        while True:
            # Once a signal came, the stop is repeated every half second until the run ends
            # (a stop that comes as a search starts is lost).
            ready, _, _ = select.select([read_end], [], [], 0.5 if reason else None)
            if reason and not ready:
                interrupt.stop(reason)
                continue
            data = os.read(read_end, 64)
            if not data or 0 in data:
                return
            for number in data:
                if number in wanted:
                    if not caught:
                        caught.append(number)
                    reason = reason or wanted[signal.Signals(number)]
                    interrupt.stop(reason)

    previous = {s: signal.signal(s, note) for s in wanted}
    old_fd = signal.set_wakeup_fd(write_end)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield caught
    finally:
        signal.set_wakeup_fd(old_fd)
        for s, handler in previous.items():
            signal.signal(s, handler)
        os.write(write_end, b"\x00")
        watcher.join(timeout=5)
        os.close(write_end)
        os.close(read_end)


def _ended_by(result: Any, seed: int, workers: int) -> str:
    """Say what ended the optimizer's search and whether another run gives the same layout."""
    if result.work_limit is None:
        return (
            f"{result.ended_by}, {result.time_limit_s:g} s of wall clock: another run may differ "
            "(--work-limit N gives runs that repeat exactly)"
        )
    same = "repeats exactly" if result.reproducible else "may differ"
    return (
        f"{result.ended_by}, {result.work_limit:g} deterministic s of work, seed {seed}, "
        f"{workers} workers: {same}"
    )


def _written(out_dir: Path, files: Iterable[str]) -> list[str]:
    """Name the files written: each top-level file, and each subfolder once with its count."""
    files = list(files)
    folders: dict[str, int] = {}
    for rel in files:
        head, _, rest = rel.partition("/")
        if rest:
            folders[head] = folders.get(head, 0) + 1
    out = [str(out_dir / rel) for rel in files if "/" not in rel]
    out += [f"{n} file{'s' if n != 1 else ''} in {out_dir / head}/" for head, n in folders.items()]
    return out or ["nothing"]


@contextlib.contextmanager
def _progress(mode: str, started: float, time_limit: float) -> Iterator[_ProgressDisplay]:
    """Yield the run's progress display (``bar``, ``jsonl`` or ``none``), closed on the way out."""
    display = _ProgressDisplay(mode, started, time_limit)
    try:
        yield display
    finally:
        display.close()


class _ProgressDisplay:
    """What the run is doing, on stderr, from the command's first second.

    ``bar``: one line, at most 80 columns, redrawn four times a second: the clock since the
    command started (against the time limit), the stage, and the whole floor's objective, bound
    and gap when a stage solves it. ``jsonl``: the same as one JSON object per line, written on
    every change and at least once a second. ``none``: nothing.
    """

    WIDTH = 80
    TICK_S = 1.0

    def __init__(self, mode: str, started: float, time_limit: float) -> None:
        import threading

        self.mode, self.started, self.time_limit = mode, started, time_limit
        self.state: dict[str, Any] = {"stage": "starting"}
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.live: Any = None
        self.thread: threading.Thread | None = None
        if mode == "bar":
            from rich.console import Console
            from rich.live import Live

            console = Console(stderr=True, width=min(self.WIDTH, Console(stderr=True).width))
            self.live = Live(
                self._line(),
                console=console,
                refresh_per_second=4,
                transient=True,
                auto_refresh=False,
            )
            self.live.start()
        if mode in ("bar", "jsonl"):
            self.thread = threading.Thread(target=self._tick, daemon=True)
            self.thread.start()

    def stage(self, name: str) -> None:
        """Note that a new step has started (reading, laying out, zones, each solve pass)."""
        self._set({"stage": name, "objective": None, "bound": None})

    def update(self, p: Any) -> None:
        """Take a solver's progress report (its stage, and objective and bound when known)."""
        self._set({"stage": p.stage, "objective": p.objective, "bound": p.bound})

    def close(self) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()
        if self.live is not None:
            self.live.stop()

    def _set(self, state: dict[str, Any]) -> None:
        with self.lock:
            changed = state != self.state
            self.state = state
        if changed:
            self._emit()

    def _tick(self) -> None:
        period = 0.25 if self.mode == "bar" else self.TICK_S
        while not self.done.wait(period):
            self._emit()

    def _emit(self) -> None:
        with self.lock:
            state = dict(self.state)
        elapsed = time.perf_counter() - self.started
        if self.mode == "jsonl":
            objective, bound = state.get("objective"), state.get("bound")
            gap = None
            if objective is not None and bound is not None:
                gap = round((bound - objective) / max(abs(bound), 1e-9), 6)
            line = {"elapsed_s": round(elapsed, 2), "stage": state["stage"]}
            line.update({"objective": objective, "bound": bound, "gap": gap})
            click.echo(json.dumps(line, ensure_ascii=False), err=True)
        elif self.live is not None:
            self.live.update(self._line(), refresh=True)

    def _line(self) -> Any:
        from rich.text import Text

        with self.lock:
            state = dict(self.state)
        elapsed = time.perf_counter() - self.started
        clock = _clock(elapsed)
        if not math.isinf(self.time_limit):
            clock += f" of {_clock(self.time_limit)}"
        info = state["stage"]
        objective, bound = state.get("objective"), state.get("bound")
        if objective is not None:
            info += f" · objective {objective:,.0f}"
        if objective is not None and bound is not None:
            gap = (bound - objective) / max(abs(bound), 1e-9)
            info += f" · gap {gap:.2%}"
        line = f"{clock}  {info}"
        if len(line) > self.WIDTH - 1:
            line = line[: self.WIDTH - 2] + "…"
        return Text(line, no_wrap=True, overflow="ellipsis")


def _clock(seconds: float) -> str:
    """Return ``h:mm:ss``."""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


if __name__ == "__main__":  # pragma: no cover
    main()
