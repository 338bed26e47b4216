"""Check a hall's booth grid against the fire and layout rules of VENUE_FACTS.md."""

from __future__ import annotations

import math
from dataclasses import dataclass

from boothopt.floorplan.grid import HallGrid


@dataclass(frozen=True)
class FireRules:
    """Limits a layout must keep; defaults from the rules seen at COEX and elsewhere."""

    max_exit_walk_m: float = 61.0
    max_dead_end_m: float = 18.0
    max_row_m: float = 30.0
    min_aisle_m: float = 3.0
    # Main aisles carry the crowd from the entrances: planning practice is 5-6 m (VENUE_FACTS).
    min_main_aisle_m: float = 5.0
    min_entrance_clear_m: float = 4.0
    min_exit_clear_m: float = 1.0


@dataclass(frozen=True)
class Breach:
    """One rule a layout breaks, said in a floor manager's words."""

    rule: str  # exit-walk, dead-end, row-length, aisle-width, clearance, no-exit
    hall: str
    message: str
    where: tuple[float, float] | None = None
    # For a breach of the aisle scheme: the scheme's setting at fault (``side_aisle_m``,
    # ``max_row_m``, ``entrance_clear_m``...), its value in the layout and the rule's limit.
    setting: str = ""
    value: float | None = None
    limit: float | None = None

    def as_dict(self) -> dict[str, object]:
        """Return the breach as plain JSON-ready data."""
        return {
            "rule": self.rule,
            "hall": self.hall,
            "message": self.message,
            "where": list(self.where) if self.where else None,
        }


def check_grid(grid: HallGrid, rules: FireRules | None = None) -> list[Breach]:
    """Return every rule ``grid`` breaks (an empty list when it keeps them all).

    Examples
    --------
    >>> from boothopt.floorplan.venue_file import load_venue
    >>> from boothopt.floorplan.grid import build_grid
    >>> check_grid(build_grid(load_venue("coex").hall("A")))
    []
    """
    rules = rules or FireRules()
    hall = grid.hall.id
    out: list[Breach] = []
    s = grid.scheme
    if not grid.hall.exits:
        out.append(
            Breach(
                "no-exit", hall, f"hall {hall} has no emergency exit — add exits to the venue file"
            )
        )
    elif grid.n_cells:
        worst = int(grid.exit_walk_m.argmax())
        walk = float(grid.exit_walk_m[worst])
        x0, y0, x1, y1 = grid.cell_boxes[worst]
        where = ((x0 + x1) / 2, (y0 + y1) / 2)
        if math.isinf(walk):
            out.append(
                Breach(
                    "exit-walk",
                    hall,
                    f"hall {hall}: the cell at ({where[0]:.0f}, "
                    f"{where[1]:.0f}) has no aisle route to an exit — open an aisle "
                    "to it",
                    where,
                )
            )
        elif walk > rules.max_exit_walk_m + 1e-6:
            out.append(
                Breach(
                    "exit-walk",
                    hall,
                    f"hall {hall}: the cell at ({where[0]:.0f}, "
                    f"{where[1]:.0f}) is {walk:.1f} m of walking from the nearest exit "
                    f"(limit {rules.max_exit_walk_m:g} m) — add an exit or a cross "
                    "aisle nearer to it",
                    where,
                )
            )
    out += _dead_ends(grid, rules)
    if s.kind == "rows":
        longest = max((b.n_along for b in grid.blocks), default=0) * s.module_m
        if longest > rules.max_row_m + 1e-6:
            out.append(
                Breach(
                    "row-length",
                    hall,
                    f"hall {hall}: booth rows run {longest:g} m "
                    f"without a cross aisle (limit {rules.max_row_m:g} m) — lower "
                    "max_row_m in the aisle scheme",
                    setting="max_row_m",
                    value=longest,
                    limit=rules.max_row_m,
                )
            )
        # The main-aisle rule holds only where the layout has main aisles (a hall shorter than
        # main_aisle_spacing_m has none); every aisle keeps the general minimum.
        has_main = any(e.kind == "main" for e in grid.aisle_edges)
        for name in ("side_aisle_m", "cross_aisle_m", "main_aisle_m", "perimeter_aisle_m"):
            width = getattr(s, name)
            least = rules.min_aisle_m
            if name == "main_aisle_m" and has_main:
                least = max(least, rules.min_main_aisle_m)
            if width < least - 1e-9:
                out.append(
                    Breach(
                        "aisle-width",
                        hall,
                        f"hall {hall}: {name} is {width:g} m (at least {least:g} m) — widen it",
                        setting=name,
                        value=width,
                        limit=least,
                    )
                )
    if s.entrance_clear_m < rules.min_entrance_clear_m - 1e-9 and grid.hall.entrances:
        out.append(
            Breach(
                "clearance",
                hall,
                f"hall {hall}: {s.entrance_clear_m:g} m clear in "
                f"front of entrances (at least {rules.min_entrance_clear_m:g} m) — "
                "raise entrance_clear_m",
                setting="entrance_clear_m",
                value=s.entrance_clear_m,
                limit=rules.min_entrance_clear_m,
            )
        )
    if s.exit_clear_m < rules.min_exit_clear_m - 1e-9:
        out.append(
            Breach(
                "clearance",
                hall,
                f"hall {hall}: {s.exit_clear_m:g} m clear around "
                f"exits (at least {rules.min_exit_clear_m:g} m) — raise exit_clear_m",
                setting="exit_clear_m",
                value=s.exit_clear_m,
                limit=rules.min_exit_clear_m,
            )
        )
    return out


def dead_end_lengths(grid: HallGrid) -> list[tuple[float, tuple[float, float]]]:
    """Return (length, position of the closed end) for each dead-end aisle of the grid."""
    g = grid.graph
    out = []
    for leaf in g.nodes:
        if g.degree(leaf) != 1 or g.nodes[leaf]["kind"] != "junction":
            continue
        length, prev, cur = 0.0, None, leaf
        while True:
            nxt = [n for n in g.neighbors(cur) if n != prev]
            if len(nxt) != 1:
                break
            length += g[cur][nxt[0]]["length"]
            prev, cur = cur, nxt[0]
            if g.degree(cur) != 2 or g.nodes[cur]["kind"] != "junction":
                break
        out.append((length, g.nodes[leaf]["pos"]))
    return out


def _dead_ends(grid: HallGrid, rules: FireRules) -> list[Breach]:
    out = []
    for length, pos in dead_end_lengths(grid):
        if length > rules.max_dead_end_m + 1e-6:
            out.append(
                Breach(
                    "dead-end",
                    grid.hall.id,
                    f"hall {grid.hall.id}: a dead-end aisle "
                    f"of {length:.1f} m ends at ({pos[0]:.0f}, {pos[1]:.0f}) (limit "
                    f"{rules.max_dead_end_m:g} m) — connect it to another aisle",
                    (pos[0], pos[1]),
                )
            )
    return out
