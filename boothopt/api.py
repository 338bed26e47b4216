"""The library API the command line, the benchmarks and the tests share.

    import boothopt
    run = boothopt.allocate("examples/smartlife-2024/event.yaml", work_limit=20)
    run.layout.booths[0].booth_no, run.result.gap, run.breaches
    boothopt.check(run.layout, run.event)          # [] when every hard rule is kept
    again = boothopt.reallocate(run.layout, "event.yaml", locks={"co-0001"})

Each takes an event file or a loaded :class:`~boothopt.inputs.domain.Event`, and returns the
assignment (``boothopt.assignment/1``) as a typed, frozen
:class:`~boothopt.contract.Assignment`, checked against every hard rule by
:mod:`boothopt.checker`. Bad input raises :class:`~boothopt.errors.InputError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from boothopt.checker import Breach, check_geometry, check_layout
from boothopt.contract import Assignment, assignment_data, parse_assignment, read_assignment
from boothopt.errors import InputError
from boothopt.inputs.domain import Event
from boothopt.solver.problem import Problem
from boothopt.solver.replan import Change, Earlier, Replan
from boothopt.solver.result import Result
from boothopt.solver.solve import Interrupt, ProgressFn

Method = Literal["cpsat", "greedy", "best-spot"]


@dataclass
class Allocation:
    """A solved event: the problem, the solver's result, the assignment and its check.

    ``layout`` is the assignment, with the breaches of its check recorded in it.
    """

    event: Event
    problem: Problem
    result: Result
    layout: Assignment
    breaches: list[Breach]
    changes: list[Change] = field(default_factory=list)  # a re-plan's, else empty
    replan: Replan | None = None  # a re-plan's figures (kept, moved, ...)

    @property
    def assignment(self) -> dict[str, Any]:
        """The assignment as the file holds it, as JSON data (a new copy each time)."""
        return assignment_data(self.layout)


def load(event: Event | str | Path, allow_outside: bool = False) -> Event:
    """Return ``event`` loaded and checked (an :class:`Event` is returned as it is)."""
    from boothopt.inputs.event_file import load_event

    return event if isinstance(event, Event) else load_event(event, allow_outside=allow_outside)


def allocate(
    event: Event | str | Path,
    *,
    time_limit: float | None = None,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 2,
    method: Method = "cpsat",
    allow_breaches: bool = False,
    on_stage: Callable[[str], None] | None = None,
    on_progress: ProgressFn | None = None,
    started_at: float | None = None,
    interrupt: Interrupt | None = None,
) -> Allocation:
    """Assign every exhibitor of ``event`` a booth (see `boothopt allocate`).

    ``time_limit`` is wall-clock seconds (60 when neither limit is given), ``work_limit`` CP-SAT
    deterministic seconds (the same event, seed, workers and work limit give the same
    assignment). Booths the table pins (its ``booth`` column) are kept where pinned.

    Raises
    ------
    InputError
        When the event is faulty, its aisle scheme breaks a fire rule (unless
        ``allow_breaches``), or a pinned booth breaks a hard rule.
    """
    from boothopt.outputs.assignment import build_assignment
    from boothopt.solver.problem import build_problem
    from boothopt.solver.solve import solve

    if time_limit is None:
        time_limit = math.inf if work_limit is not None else 60.0
    ev, pins = _ready(event, allow_breaches)
    problem = build_problem(
        ev, seed=seed, workers=workers, on_stage=on_stage, pins=pins, locked=frozenset(pins)
    )
    _refuse_pin_faults(problem)
    result = solve(
        problem,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        method=method,
        on_progress=on_progress,
        started_at=started_at,
        work_limit=work_limit,
        interrupt=interrupt,
    )
    layout, breaches = _stamped(build_assignment(ev, problem, result), ev)
    return Allocation(ev, problem, result, layout, breaches)


def reallocate(
    earlier: Assignment | Mapping[str, Any] | str | Path,
    event: Event | str | Path,
    *,
    locks: Iterable[str] = (),
    max_moves: int | None = None,
    allow_swap: bool = False,
    time_limit: float = 60.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 2,
    allow_breaches: bool = False,
    on_stage: Callable[[str], None] | None = None,
    on_progress: ProgressFn | None = None,
    started_at: float | None = None,
    interrupt: Interrupt | None = None,
) -> Allocation:
    """Re-plan an earlier assignment (a file, or its content) against ``event``'s tables now,
    with the fewest moves (see :mod:`boothopt.solver.replan` and `boothopt reallocate`).

    ``locks`` (exhibitor ids, ``hall:ID``, ``zone:ID``) are kept whatever it costs, with the
    event's own ``locks:``.

    Raises
    ------
    InputError
        As :func:`allocate`, and for a lock that names nothing or a booth number not in the
        earlier plan.
    """
    from boothopt.outputs.assignment import build_assignment
    from boothopt.solver.replan import replan, resolve_locks

    doc = _layout(earlier)
    # The solver reads the earlier plan from the file's content, as its tests give it.
    before = Earlier.from_assignment(assignment_data(doc))
    ev, fixed = _ready(event, allow_breaches, before)
    try:
        locked = resolve_locks(ev, before, [*ev.locks, *locks])
    except ValueError as exc:
        raise InputError(f"{ev.source or 'event'}: {exc}") from None
    plan = replan(
        ev,
        before,
        locked,
        fixed=fixed,
        max_moves=max_moves,
        allow_swap=allow_swap,
        time_limit=time_limit,
        work_limit=work_limit,
        seed=seed,
        workers=workers,
        on_progress=on_progress,
        on_stage=on_stage,
        started_at=started_at,
        interrupt=interrupt,
    )
    layout, breaches = _stamped(build_assignment(ev, plan.problem, plan.result), ev)
    return Allocation(ev, plan.problem, plan.result, layout, breaches, plan.changes, plan)


def check(
    assignment: Assignment | Mapping[str, Any] | str | Path,
    event: Event | str | Path | None = None,
) -> list[Breach]:
    """Return every hard rule a layout breaks (see :mod:`boothopt.checker`); empty when none.

    Without ``event`` only what the assignment shows by itself is checked.
    """
    doc = _layout(assignment)
    if event is None:
        return check_geometry(doc)
    return check_layout(doc, load(event))


def _layout(assignment: Assignment | Mapping[str, Any] | str | Path) -> Assignment:
    """Return an assignment given as itself, as its content (checked) or as a file (read)."""
    if isinstance(assignment, str | Path):
        return read_assignment(assignment)
    return parse_assignment(assignment)


def _ready(
    event: Event | str | Path, allow_breaches: bool, earlier: Earlier | None = None
) -> tuple[Event, dict[str, Any]]:
    """Load the event, refuse fire-rule breaches of its aisle scheme (unless allowed) and
    return it with the booths its table pins (booth numbers read in ``earlier``)."""
    from boothopt.solver.replan import table_pins

    ev = load(event)
    _refuse_fire_breaches(ev, allow_breaches)
    pins, faults = table_pins(ev, earlier)
    if faults:
        raise InputError("\n".join(faults))
    return ev, pins


def _refuse_fire_breaches(event: Event, allowed: bool) -> None:
    if event.layout_breaches and not allowed:
        raise InputError(
            "\n".join(
                [
                    f"{event.source or 'event'}: the event's aisle scheme breaks "
                    f"{len(event.layout_breaches)} fire rule"
                    f"{'s' if len(event.layout_breaches) != 1 else ''}:",
                    *(f"  {b.message}" for b in event.layout_breaches),
                    "— widen the aisles or shorten the rows in the event file (aisles:), or "
                    "allocate anyway with --allow-breaches",
                ]
            )
        )


def _refuse_pin_faults(problem: Problem) -> None:
    from boothopt.solver.replan import pin_faults

    if problem.locked and (faults := pin_faults(problem)):
        raise InputError(
            "\n".join(
                [*faults, "— correct the booth column (or the lock), or leave the booth free"]
            )
        )


def _stamped(layout: Assignment, event: Event) -> tuple[Assignment, list[Breach]]:
    """Check the assignment against every hard rule; return it with any breach recorded in it,
    and the breaches."""
    breaches = check_layout(layout, event)
    if breaches:
        layout = layout.model_copy(update={"breaches": tuple(b.record() for b in breaches)})
    return layout, breaches
