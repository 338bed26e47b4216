"""The tests' judge of an assignment: the package's rule checker, :mod:`boothopt.checker`.

The checker reads the assignment file and the event only; it shares no code with the solver's
model, so it judges the solver's answers as it judges a floor manager's hand edit. The fire rules
of an event's own aisle scheme are left out here: they judge the event, not the assignment, and
many small test halls break them on purpose.
"""

from __future__ import annotations

from typing import Any

from boothopt.checker import check_layout
from boothopt.inputs.domain import Event


def check_assignment(event: Event, data: dict[str, Any]) -> list[str]:
    """Return every hard rule the assignment breaks, one line each (empty when it keeps all)."""
    return [b.line() for b in check_layout(data, event) if b.rule != "fire"]
