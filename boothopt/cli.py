"""The `boothopt` command: parse options, call the layers below, print, set the exit code."""

from __future__ import annotations

import contextlib
import json
import math
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, cast

import click

from boothopt import __version__
from boothopt.errors import BoothoptError, InputError

DEFAULT_TIME_LIMIT_S = 60.0  # allocate's wall-clock limit when neither limit is given

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


class _Group(click.Group):
    """A click group that turns boothopt's own errors into one readable line each."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BoothoptError as exc:
            for line in str(exc).splitlines():
                click.echo(f"error: {line}", err=True)
            sys.exit(EXIT_BAD_INPUT if isinstance(exc, InputError) else EXIT_FAILED)
        except KeyboardInterrupt:
            # During a solve CP-SAT takes Ctrl-C itself and returns its best layout; this is
            # Ctrl-C anywhere else (reading files, writing them): stop cleanly, write nothing more.
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="boothopt")
def main() -> None:
    """Plan exhibition floors: venues, booth grids and booth allocation."""


@main.group(cls=_Group)
def venues() -> None:
    """Look at venues: the built-in ones (COEX, Jamsil) or any venue file."""


@venues.command("list")
def venues_list() -> None:
    """List the built-in venues with their halls and areas."""
    from boothopt.floorplan import builtin_venues, load_venue

    for name in builtin_venues():
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
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
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
        click.echo(
            json.dumps(
                {"venue": v.id, "name": v.name, "halls": [r.as_dict() for r in reports]},
                ensure_ascii=False,
                indent=2,
            )
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
def venues_render(venue: str, halls: tuple[str, ...], out: Path) -> None:
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
    click.echo(f"wrote {out}")


ALLOW_OUTSIDE_OPT = click.option(
    "--allow-outside",
    is_flag=True,
    help="Read exhibitor tables and venue files the event names even outside its folder.",
)


@main.command()
@click.argument("event_file", metavar="EVENT.yaml", type=click.Path(path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the normalized event as the solver will see it, as JSON.",
)
@ALLOW_OUTSIDE_OPT
def validate(event_file: Path, as_json: bool, allow_outside: bool) -> None:
    """Check an event file and its exhibitor tables; print a summary or every fault.

    Faults are printed one per line as file:row:column: what is wrong — what to do, with exit
    code 2. A clean event prints exhibitors by kind, zone and tier, the requested area against
    the usable floor of the rented halls, and the warnings.
    """
    from boothopt.inputs.event_file import event_summary, event_to_dict, load_event

    event = load_event(event_file, allow_outside=allow_outside)
    if as_json:
        click.echo(json.dumps(event_to_dict(event), ensure_ascii=False, indent=2, allow_nan=False))
        return
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
    click.echo("ok: no faults found")


@main.command()
@click.argument("out", metavar="OUT.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--event",
    "event_file",
    type=click.Path(path_type=Path),
    help="Take the zones and tiers for the drop-down lists from this event file.",
)
@ALLOW_OUTSIDE_OPT
def template(out: Path, event_file: Path | None, allow_outside: bool) -> None:
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
    click.echo(f"wrote {out}")


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
def scenario(name: str, seed: int, out_dir: Path) -> None:
    """Write a forecast event for planners and benchmarks.

    NAME is one of smartlife-2024 (Hall B2 + Hall C, 147 companies and 115 cities), year2
    (200 cities, 300 domestic and 50 foreign companies on Halls A + C), year3 (300 cities, 500
    domestic, 100 foreign, all COEX halls), jamsil-2031 (2,000+ exhibitors at Jamsil), or
    scale-100, scale-200, scale-400, scale-800, scale-1600, scale-3200 (that many exhibitors on a
    generated venue sized to fit them, written beside the event as venue.yaml).
    """
    from boothopt.inputs.scenarios import write_scenario

    for path in write_scenario(name, seed, out_dir):
        click.echo(f"wrote {path}")


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
@click.option("--seed", default=0, show_default=True, help="Random seed of the search.")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Search threads (one per core).",
)
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
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as one JSON object.")
@ALLOW_OUTSIDE_OPT
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
    progress_mode: str,
) -> None:
    """Assign every exhibitor a booth and write the assignment, the booth list and the plan.

    Same event, seed, workers and work limit: the same assignment (a run the wall clock cut says
    so). The summary gives placed and unplaced
    exhibitors (each unplaced with its reason), each soft goal's score against its best, and the
    optimizer's gap to its bound. With --export, the exports are written with the assignment,
    all or nothing.
    """
    from boothopt.inputs.event_file import load_event
    from boothopt.outputs.assignment import assignment_dict, assignment_json
    from boothopt.outputs.export import (
        merged,
        parse_formats,
        render_exports,
        renderer,
        write_exports,
    )
    from boothopt.outputs.master_list import assignments_csv
    from boothopt.outputs.plan_svg import render_plan_svg
    from boothopt.outputs.read import check_assignment
    from boothopt.solver.problem import build_problem
    from boothopt.solver.solve import Interrupt, solve

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
        _stop_on_signals(interrupt) as caught,
        _progress(progress_mode, started, time_limit) as progress,
    ):
        progress.stage("reading the event")
        event = load_event(event_file, allow_outside=allow_outside)
        problem = build_problem(event, seed=seed, workers=workers, on_stage=progress.stage)
        result = solve(
            problem,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            method=cast(Literal["cpsat", "greedy", "best-spot"], method),
            on_progress=progress.update,
            started_at=started,
            work_limit=work_limit,
            interrupt=interrupt,
        )
        progress.stage("writing")
    data = assignment_dict(event, problem, result)
    text = assignment_json(data)
    files: dict[str, str | bytes] = {
        "assignment.json": text,
        "assignments.csv": assignments_csv(data),
        "floorplan.svg": render_plan_svg(data),
    }
    if formats:
        # The exports read the assignment as `boothopt export` would read the file.
        doc = check_assignment(json.loads(text), str(out_dir / "assignment.json"))
        files.update(merged(render_exports(doc, formats)))
    write_exports(files, out_dir)
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
    summary = result.summary()
    summary["unplaced_reasons"] = [{"exhibitor_id": e, "reason": r} for e, r in result.unplaced]
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
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
    click.echo(f"wrote {', '.join(_written(out_dir, files))}")
    sys.exit(code)


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
def export_cmd(assignment_file: Path, formats: tuple[str, ...], out_dir: Path) -> None:
    """Write what exhibitors and floor managers receive, from an assignment file.

    Formats: csv and xlsx (the master list of booths, by booth number, and those left out),
    geojson (halls, booths, zones and reserved areas on the earth, from the venue's anchor),
    svg, png and pdf (the floor plan to scale), letters (one PDF per exhibitor, in Korean and
    English, with a map of the hall). Every format is made before any file is written; a
    failure leaves the earlier files as they were.
    """
    from boothopt.outputs.export import export, parse_formats
    from boothopt.outputs.read import read_assignment

    names = parse_formats(formats)
    doc = read_assignment(assignment_file)
    written = export(doc, names, out_dir)
    for name, paths in written.items():
        rels = [p.relative_to(out_dir).as_posix() for p in paths]
        click.echo(f"{name}: wrote {', '.join(_written(out_dir, rels))}")


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
