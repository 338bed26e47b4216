"""Exact mode on 2-D packing instances: perfect packings and 2-D knapsacks, one JSON line each.

    python benchmarks/packing.py --time-limit 60 --workers 2          # all 24 instances
    python benchmarks/packing.py --kind perfect --time-limit 60 --markdown

Exact mode is one open hall (aisle scheme ``none``), 1 m modules, fixed rectangles and
``weights: {placed: 1}``: the solver is then a 2-D rectangle packer (the interval model of
``boothopt/solver/packing.py``). Instances are generated here, seeded, with known answers:

- ``perfect``: a W x W floor cut at random into n rectangles (16 to 49, floors 20 to 60), the
  pieces given back unturnable; the optimum places all of them with no gap (value = area).
- ``knapsack``: 7 to 25 items on a floor of 10 to 30 modules a side, each worth its area times a
  factor of 1 to 3, times 10 (values above 100), more area than the floor: the optimum is
  what CP-SAT proves (``OPTIMAL``); the run reports its bound and gap otherwise.

Each instance is written as an event folder and solved with ``solve()`` (the same path as
``boothopt allocate``); the line gives placed, status, objective, bound, gap, wall seconds and,
for perfect packings, whether the packing was found.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERFECT = [(20, 16), (20, 20), (25, 20), (30, 25), (30, 30), (35, 28), (40, 30), (40, 35)]
PERFECT += [(50, 40), (50, 45), (60, 40), (60, 49)]
KNAPSACK = [(7, 10), (9, 12), (10, 15), (12, 15), (13, 18), (15, 20), (16, 20), (18, 22)]
KNAPSACK += [(20, 25), (22, 25), (24, 30), (25, 30)]


def perfect_instance(width: int, n: int, seed: int) -> list[tuple[int, int, float]]:
    """Cut a width x width floor into n rectangles; return (w, d, value = area)."""
    rng = random.Random(seed)
    rects = [(width, width)]
    while len(rects) < n:
        rects.sort(key=lambda r: (-r[0] * r[1], r))
        w, d = rects.pop(0)
        if w >= d:
            c = rng.randint(1, w - 1)
            rects += [(c, d), (w - c, d)]
        else:
            c = rng.randint(1, d - 1)
            rects += [(w, c), (w, d - c)]
    return [(w, d, float(w * d)) for w, d in rects]


def knapsack_instance(n: int, width: int, seed: int) -> list[tuple[int, int, float]]:
    """Return n items (w, d, value) with more area than a width x width floor."""
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        w = rng.randint(max(1, width // 6), max(2, width // 2))
        d = rng.randint(max(1, width // 6), max(2, width // 2))
        items.append((w, d, float(round(w * d * rng.uniform(1.0, 3.0) * 10))))
    return items


def write_instance(folder: Path, width: int, items: list[tuple[int, int, float]]) -> Path:
    """Write an exact-mode event for the items on a width x width open floor."""
    (folder / "box.yaml").write_text(
        "schema: boothopt.venue/1\nid: box\nhalls:\n"
        f"  - {{id: F, rect: {{origin: [0, 0], size: [{width}, {width}]}}}}\n",
        encoding="utf-8",
    )
    lines = ["id,name_en,kind,modules,shape,rotatable,priority_points"]
    lines += [f"r{n},R{n},company,{w * d},{w}x{d},no,{v:g}" for n, (w, d, v) in enumerate(items)]
    (folder / "ex.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    event = folder / "event.yaml"
    event.write_text(
        "schema: boothopt.event/1\nname: Packing\nvenue: box.yaml\nhalls: [F]\nmodule_m: 1\n"
        "aisles: {kind: none}\nexhibitors: [ex.csv]\nweights: {location: 0, preferred_hall: 0, "
        "partners: 0, booth_type: 0, zone_compact: 0, placed: 1}\n",
        encoding="utf-8",
    )
    return event


def run_one(
    kind: str, name: str, width: int, items: list[tuple[int, int, float]], args: argparse.Namespace
) -> dict[str, object]:
    """Solve one instance; return its JSON line."""
    from boothopt.inputs.event_file import load_event
    from boothopt.solver.problem import build_problem
    from boothopt.solver.solve import solve

    with tempfile.TemporaryDirectory() as tmp:
        event = load_event(write_instance(Path(tmp), width, items))
        start = time.perf_counter()
        problem = build_problem(event, seed=args.seed, workers=args.workers)
        result = solve(
            problem,
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
            started_at=start,
        )
    line: dict[str, object] = {
        "kind": kind,
        "instance": name,
        "floor": f"{width}x{width}",
        "items": len(items),
        "placed": len(result.booths),
        "status": result.status.value,
        "objective": round(result.objective, 3),
        "bound": round(result.bound, 3),
        "gap": round(result.gap, 6),
        "wall_s": round(result.wall_s, 2),
    }
    if kind == "perfect":
        line["found"] = len(result.booths) == len(items)
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["perfect", "knapsack"], action="append")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--markdown", action="store_true", help="also print a table at the end")
    args = parser.parse_args()
    kinds = args.kind or ["perfect", "knapsack"]
    lines = []
    for kind in kinds:
        specs = PERFECT if kind == "perfect" else KNAPSACK
        for number, (a, b) in enumerate(specs, start=1):
            if kind == "perfect":
                width, n = a, b
                items = perfect_instance(width, n, seed=number)
            else:
                n, width = a, b
                items = knapsack_instance(n, width, seed=number)
            line = run_one(kind, f"{kind}-{number:02d}", width, items, args)
            print(json.dumps(line), flush=True)
            lines.append(line)
    if args.markdown:
        print("\n| instance | floor | items | placed | status | objective | bound | gap | wall |")
        print("|---|---|---|---|---|---|---|---|---|")
        for x in lines:
            print(
                f"| {x['instance']} | {x['floor']} | {x['items']} | {x['placed']} | "
                f"{x['status']} | {x['objective']:,} | {x['bound']:,} | {x['gap']:.2%} | "
                f"{x['wall_s']} s |"
            )


if __name__ == "__main__":
    main()
