"""Solve the scale scenarios (100 to 3,200 exhibitors) and print one JSON line per size.

    python benchmarks/scaling.py                                 # all six sizes, 60 s each
    python benchmarks/scaling.py --sizes 100 200 --time-limit 10 --markdown

Each size is `boothopt scenario scale-N`: the exhibitor mix of the presets on a venue generated
to fit (one hall per 400 exhibitors, requests about 88 % of the usable cells). Each run happens in
a fresh process (through `run.py`'s `one`), so its peak memory is its own, and every layout is
checked with the test suite's independent validator; `breaches` must be 0. With `--markdown` a
table for `benchmarks/README.md` follows the JSON lines.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = (100, 200, 400, 800, 1600, 3200)
FIELDS = (
    "n",
    "halls",
    "cells",
    "setup_s",
    "first_feasible_s",
    "wall_s",
    "objective",
    "bound",
    "gap",
    "placed",
    "peak_rss_mib",
    "breaches",
)


def one_size(n: int, time_limit: float, workers: int, seed: int) -> dict[str, Any]:
    """Write, load and solve ``scale-N`` in this process; return its figures in FIELDS order.

    ``setup_s`` is loading the event plus building the problem; ``peak_rss_mib`` is this
    process's peak, measured when the layout has been checked.
    """
    sys.path[:0] = [str(ROOT), str(HERE)]
    from run import one

    from boothopt.inputs.scenarios import SCALE_SCENARIOS, generate_scenario

    name = f"scale-{n}"
    figures = one(name, "cpsat", time_limit, workers, seed)
    # The venue and its grid are cached by now: counting the cells costs a redraw only.
    cells = generate_scenario(name, seed).capacity_modules
    figures.update(n=n, halls=len(SCALE_SCENARIOS[name].halls), cells=cells)
    return {k: figures[k] for k in FIELDS} | {"time_limit_s": time_limit, "seed": seed}


def markdown(rows: list[dict[str, Any]]) -> str:
    """Return the runs as a Markdown table, with how each time grew from the size before.

    Examples
    --------
    >>> print(markdown([{"n": 100, "halls": 1, "cells": 300, "setup_s": 0.5,
    ...     "first_feasible_s": 0.1, "wall_s": 9.8, "objective": 9, "bound": 10, "gap": 0.1,
    ...     "placed": 99, "peak_rss_mib": 200.0, "breaches": 0}]).splitlines()[-1])
    | 100 | 1 | 300 | 0.50 s | 0.10 s | — | 9.80 s | — | 9 | 10 | 10.00 % | 99 | 200 MiB | 0 |
    """
    head = (
        "| exhibitors | halls | usable cells | setup | first feasible | growth | wall | growth "
        "| objective | bound | gap | placed | peak memory | breaches |"
    )
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    before: dict[str, Any] | None = None
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n']:,} | {r['error']} |")
            continue
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{r['n']:,}",
                    str(r["halls"]),
                    f"{r['cells']:,}",
                    _seconds(r["setup_s"]),
                    _seconds(r["first_feasible_s"]),
                    _growth(r, before, "first_feasible_s"),
                    _seconds(r["wall_s"]),
                    _growth(r, before, "wall_s"),
                    _number(r["objective"]),
                    _number(r["bound"]),
                    "—" if r["gap"] is None else f"{100 * r['gap']:.2f} %",
                    f"{r['placed']:,}",
                    f"{r['peak_rss_mib']:,.0f} MiB",
                    str(r["breaches"]),
                ]
            )
            + " |"
        )
        before = r
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _growth(row: dict[str, Any], before: dict[str, Any] | None, key: str) -> str:
    """Return how many times ``key`` grew from the size before, against the exhibitors' growth."""
    if before is None or not before.get(key) or row.get(key) is None:
        return "—"
    return f"{row[key] / before[key]:.1f}x ({row['n'] / before['n']:.0f}x n)"


def main() -> None:
    """Parse options; solve each size in its own process; print JSON lines (and a table)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", choices=SIZES, default=list(SIZES), metavar="N",
        help=f"exhibitors, any of {', '.join(map(str, SIZES))} (default: all)",
    )  # fmt: skip
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table too")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        figures = one_size(args.sizes[0], args.time_limit, args.workers, args.seed)
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        return
    rows: list[dict[str, Any]] = []
    for n in sorted(set(args.sizes)):
        cmd = [
            sys.executable,
            __file__,
            "--one",
            "--sizes",
            str(n),
            "--time-limit",
            str(args.time_limit),
            "--workers",
            str(args.workers),
            "--seed",
            str(args.seed),
        ]
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
        lines = done.stdout.strip().splitlines()
        if done.returncode == 0 and lines:
            row = json.loads(lines[-1])
        else:
            row = {"n": n, "error": f"run failed with exit code {done.returncode}"}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.markdown:
        print()
        print(markdown(rows))
    if any("error" in r for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
