"""Exact mode on 2-D packing instances: perfect packings and 2-D knapsacks, one JSON line each.

    python benchmarks/packing.py --time-limit 60 --workers 2          # all 24 instances
    python benchmarks/packing.py --kind perfect --time-limit 60 --markdown
    python benchmarks/packing.py --kind perfect --cut pinwheel --time-limit 60
    python benchmarks/packing.py --public --time-limit 60 --workers 2  # the literature's 24
    python benchmarks/packing.py --public --work-limit 30 --time-limit 120  # reproducible

Exact mode is one open hall (aisle scheme ``none``), 1 m modules, fixed rectangles and
``weights: {placed: 1}``: the solver is then a 2-D rectangle packer (the search for a layout
that places everyone, ``boothopt/solver/fill.py``, then the interval model of
``boothopt/solver/packing.py``). Instances are generated here, seeded, with known answers:

- ``perfect``: a W x W floor cut at random into n rectangles (16 to 49, floors 20 to 60), the
  pieces given back unturnable; the optimum places all of them with no gap (value = area).
- ``--cut`` cuts the perfect packings' floors other ways, 12 of them (20 to 60 a side, 16 to 49
  pieces; ``OTHER_CUTS``, seeds 1000 to 1011): ``random`` (a piece drawn by area, cut across a
  random axis: long strips such as 1x34 come out), ``pinwheel`` (half the time five pieces
  round a centre, which no cut edge to edge separates) and ``grid`` (random lines, the cells
  merged at random: not cuttable either). ``largest`` (the default) is the set above.
- ``knapsack``: 7 to 25 items on a floor of 10 to 30 modules a side, each worth its area times a
  factor of 1 to 3, times 10 (values above 100), more area than the floor: the optimum is
  what CP-SAT proves (``OPTIMAL``); the run reports its bound and gap otherwise.

``--public`` runs the literature's instances instead (``instances/``), each with its published
optimum: Hopper and Turton's perfect packings C1 to C4 (16 to 49 rectangles on floors of
20 x 20, 40 x 15, 60 x 30 and 60 x 60; European Journal of Operational Research 128, 2001)
and Beasley's two-dimensional knapsacks ngcut1 to ngcut12 (7 to 22 rectangles, values up to
507; Operations Research 33, 1985). The line then says whether the optimum was ``reached``.

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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

PERFECT = [(20, 16), (20, 20), (25, 20), (30, 25), (30, 30), (35, 28), (40, 30), (40, 35)]
PERFECT += [(50, 40), (50, 45), (60, 40), (60, 49)]
OTHER_CUTS = [(20, 16), (30, 25), (40, 30), (40, 35), (50, 40), (50, 45), (60, 40), (60, 49)]
OTHER_CUTS += [(50, 49), (60, 45), (45, 42), (55, 47)]
KNAPSACK = [(7, 10), (9, 12), (10, 15), (12, 15), (13, 18), (15, 20), (16, 20), (18, 22)]
KNAPSACK += [(20, 25), (22, 25), (24, 30), (25, 30)]


def perfect_instance(width: int, n: int, seed: int) -> list[tuple[int, int, float]]:
    """Cut a width x width floor into n rectangles; return (w, d, value = area)."""
    rng = random.Random(seed)
    rects = [(width, width)]
    while len(rects) < n:
        rects.sort(key=lambda r: (-r[0] * r[1], r))
        w, d = rects.pop(0)
        rects += _halves(rng, w, d, across_width=w >= d)
    return [(w, d, float(w * d)) for w, d in rects]


def _halves(rng: random.Random, w: int, d: int, across_width: bool) -> list[tuple[int, int]]:
    """Cut a w x d piece in two at a random place along its width (or its depth)."""
    if across_width:
        c = rng.randint(1, w - 1)
        return [(c, d), (w - c, d)]
    c = rng.randint(1, d - 1)
    return [(w, c), (w, d - c)]


def random_cut_instance(width: int, n: int, seed: int) -> list[tuple[int, int, float]]:
    """Cut a width x width floor into n rectangles, each time a piece drawn by area across an
    axis drawn by length; return (w, d, value = area)."""
    rng = random.Random(seed)
    rects = [(width, width)]
    while len(rects) < n:
        cand = [r for r in rects if r[0] > 1 or r[1] > 1]
        w, d = rng.choices(cand, weights=[a * b for a, b in cand])[0]
        rects.remove((w, d))
        rects += _halves(
            rng, w, d, across_width=rng.choices([0, 1], weights=[w - 1, d - 1])[0] == 0
        )
    return [(w, d, float(w * d)) for w, d in rects]


def pinwheel_instance(width: int, n: int, seed: int) -> list[tuple[int, int, float]]:
    """Cut a width x width floor into n rectangles, the largest piece first: half the time (while
    room is left) into a pinwheel of five, else in two across its longer side."""
    rng = random.Random(seed)
    rects = [(0, 0, width, width)]
    while len(rects) < n:
        rects.sort(key=lambda r: -(r[2] - r[0]) * (r[3] - r[1]))
        x0, y0, x1, y1 = rects.pop(0)
        w, d = x1 - x0, y1 - y0
        if len(rects) + 5 <= n and w >= 3 and d >= 3 and rng.random() < 0.5:
            a = rng.randint(x0 + 1, x1 - 2)
            b = rng.randint(a + 1, x1 - 1)
            c = rng.randint(y0 + 1, y1 - 2)
            e = rng.randint(c + 1, y1 - 1)
            rects += [(x0, y0, b, c), (b, y0, x1, e), (a, e, x1, y1), (x0, c, a, y1), (a, c, b, e)]
        elif w >= d:
            c = rng.randint(x0 + 1, x1 - 1)
            rects += [(x0, y0, c, y1), (c, y0, x1, y1)]
        else:
            c = rng.randint(y0 + 1, y1 - 1)
            rects += [(x0, y0, x1, c), (x0, c, x1, y1)]
    return [(x1 - x0, y1 - y0, float((x1 - x0) * (y1 - y0))) for x0, y0, x1, y1 in rects]


def grid_instance(width: int, n: int, seed: int) -> list[tuple[int, int, float]]:
    """Cut a width x width floor along random lines into a grid, then merge neighbouring
    rectangles that share a whole side, at random, until n are left."""
    rng = random.Random(seed)
    k = int(n**0.5) + 3
    xs = [0, *sorted(rng.sample(range(1, width), k)), width]
    ys = [0, *sorted(rng.sample(range(1, width), k)), width]
    rects = [
        (xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(len(xs) - 1) for j in range(len(ys) - 1)
    ]
    while len(rects) > n:
        a = rng.choice(rects)
        beside = [
            b
            for b in rects
            if b is not a
            and (
                (b[1] == a[1] and b[3] == a[3] and (b[0] == a[2] or b[2] == a[0]))
                or (b[0] == a[0] and b[2] == a[2] and (b[1] == a[3] or b[3] == a[1]))
            )
        ]
        if not beside:
            continue
        b = rng.choice(beside)
        rects.remove(a)
        rects.remove(b)
        rects.append((min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])))
    return [(x1 - x0, y1 - y0, float((x1 - x0) * (y1 - y0))) for x0, y0, x1, y1 in rects]


CUTS = {"random": random_cut_instance, "pinwheel": pinwheel_instance, "grid": grid_instance}


def knapsack_instance(n: int, width: int, seed: int) -> list[tuple[int, int, float]]:
    """Return n items (w, d, value) with more area than a width x width floor."""
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        w = rng.randint(max(1, width // 6), max(2, width // 2))
        d = rng.randint(max(1, width // 6), max(2, width // 2))
        items.append((w, d, float(round(w * d * rng.uniform(1.0, 3.0) * 10))))
    return items


def write_instance(
    folder: Path, width: int, items: list[tuple[int, int, float]], depth: int | None = None
) -> Path:
    """Write an exact-mode event for the items on a width x depth open floor (depth: width)."""
    (folder / "box.yaml").write_text(
        "schema: boothopt.venue/1\nid: box\nhalls:\n"
        f"  - {{id: F, rect: {{origin: [0, 0], size: [{width}, {depth or width}]}}}}\n",
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
    kind: str,
    name: str,
    width: int,
    items: list[tuple[int, int, float]],
    args: argparse.Namespace,
    depth: int | None = None,
    optimum: float | None = None,
) -> dict[str, object]:
    """Solve one instance; return its JSON line."""
    from boothopt.inputs.event_file import load_event
    from boothopt.solver.problem import build_problem
    from boothopt.solver.solve import solve

    with tempfile.TemporaryDirectory() as tmp:
        event = load_event(write_instance(Path(tmp), width, items, depth))
        start = time.perf_counter()
        problem = build_problem(event, seed=args.seed, workers=args.workers)
        result = solve(
            problem,
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
            started_at=start,
            work_limit=args.work_limit,
        )
    line: dict[str, object] = {
        "kind": kind,
        "instance": name,
        "floor": f"{width}x{depth or width}",
        "items": len(items),
        "placed": len(result.booths),
        "status": result.status.value,
        "objective": round(result.objective, 3),
        "bound": round(result.bound, 3),
        "gap": round(result.gap, 6),
        "wall_s": round(result.wall_s, 2),
        "ended_by": result.ended_by,
        "reproducible": result.reproducible,
    }
    if kind == "perfect":
        line["found"] = len(result.booths) == len(items)
    if optimum is not None:
        line["optimum"] = optimum
        line["reached"] = abs(result.objective - optimum) < 1e-6
    return line


def public_instances(kind: str) -> list[tuple[str, int, int, list[tuple[int, int, float]], float]]:
    """Return the literature's instances of a kind: (name, width, depth, items, optimum).

    Perfect packings are Hopper and Turton's categories C1 to C4 (each item worth its area, the
    optimum the floor's area); knapsacks are Beasley's ngcut1 to ngcut12, each copy of an item
    one rectangle worth the item's value (see ``instances/``).
    """
    name = "hopper_turton_c.json" if kind == "perfect" else "beasley_ngcut.json"
    path = HERE / "instances" / name
    out = []
    for inst in json.loads(path.read_text(encoding="utf-8"))["instances"]:
        items: list[tuple[int, int, float]] = []
        for w, d, count, *value in inst["items"]:
            items += [(w, d, float(value[0] if value else w * d))] * count
        optimum = inst.get("optimum", inst["width"] * inst["depth"])
        out.append((inst["name"], inst["width"], inst["depth"], items, float(optimum)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["perfect", "knapsack"], action="append")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work-limit",
        type=float,
        default=None,
        help="CP-SAT deterministic seconds: a reproducible run (--time-limit is then a guard)",
    )
    parser.add_argument("--cut", choices=["largest", *CUTS], default="largest")
    parser.add_argument(
        "--public",
        action="store_true",
        help="the literature's instances (Hopper and Turton's C1-C4, Beasley's ngcut1-12) instead",
    )
    parser.add_argument("--markdown", action="store_true", help="also print a table at the end")
    args = parser.parse_args()
    kinds = args.kind or ["perfect", "knapsack"]
    lines = []
    for kind in kinds:
        if args.public:
            for name, width, depth, items, optimum in public_instances(kind):
                line = run_one(kind, name, width, items, args, depth, optimum)
                print(json.dumps(line), flush=True)
                lines.append(line)
            continue
        other = kind == "perfect" and args.cut != "largest"
        specs = OTHER_CUTS if other else PERFECT if kind == "perfect" else KNAPSACK
        for number, (a, b) in enumerate(specs, start=1):
            name = f"{args.cut if other else kind}-{number:02d}"
            if other:
                width, n = a, b
                items = CUTS[args.cut](width, n, seed=999 + number)
            elif kind == "perfect":
                width, n = a, b
                items = perfect_instance(width, n, seed=number)
            else:
                n, width = a, b
                items = knapsack_instance(n, width, seed=number)
            line = run_one(kind, name, width, items, args)
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
