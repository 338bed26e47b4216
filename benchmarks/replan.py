"""Re-planning after cancellations and late entries: moves of `reallocate` against a fresh run.

    python benchmarks/replan.py --scenario smartlife-2024 --cancel 0.05 --late 0.05 --work-limit 20

Allocates the scenario (the earlier plan), then changes its exhibitor table: a share
``--cancel`` of the exhibitors leave (drawn at random, with ``--seed``, among those no other row
names as partner or competitor and the event file names in no zone), and a share ``--late`` of
late entries arrive (copies of rows drawn at random, so of the same size mix, with new ids,
30 days after the last date).
Then re-plans the earlier plan with ``boothopt reallocate`` and, for comparison, allocates the
changed table afresh with the same limits, and prints one JSON line: the earlier plan's goals
(what a re-plan that keeps booths inherits); of the earlier booths of
those still exhibiting, how many each kept, moved to another booth, or gave up with no other
found (left out), the two together as a share; booth numbers changed; placed and unplaced;
and the seconds taken.
Every run goes through the command line in a fresh process, as a floor manager runs it.
``--keep DIR`` keeps the files: ``ev`` (the event, its table changed), ``a`` (the earlier plan),
``r`` (the re-plan, with changes.csv) and ``f`` (the fresh allocation).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def boothopt(*args: str) -> tuple[float, dict[str, Any]]:
    """Run one boothopt command with --json; return the seconds and its JSON answer."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "boothopt.cli", *args, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 3):
        raise SystemExit(f"boothopt {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return time.perf_counter() - start, json.loads(done.stdout)


def change_table(table: Path, cancel: float, late: float, seed: int) -> tuple[list[str], list[str]]:
    """Cancel and add rows of the exhibitor table in place; return (cancelled, late) ids."""
    import random

    rng = random.Random(seed)
    with table.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    named = set()
    for r in rows:
        for field in ("near", "avoid"):
            for part in (r.get(field) or "").split(";"):
                if part:
                    named.add(part.split(":")[0])
    # Nor one the event file names (a zone's member list): cancelling it would break the event.
    event_text = (table.parent / "event.yaml").read_text(encoding="utf-8")
    named |= {r["id"] for r in rows if r["id"] in event_text}
    free = sorted(r["id"] for r in rows if r["id"] not in named)
    gone = sorted(rng.sample(free, round(cancel * len(rows))))
    last = max(dt.date.fromisoformat(r["applied_on"]) for r in rows if r.get("applied_on"))
    added = []
    for n, model in enumerate(rng.sample(rows, round(late * len(rows)))):
        copy = dict(model)
        copy.update(
            id=f"late-{n + 1:02d}",
            name_en=f"Late Entry {n + 1}",
            name_ko=f"추가 참가사 {n + 1}",
            applied_on=(last + dt.timedelta(days=30)).isoformat(),
            near="",
            avoid="",
        )
        added.append(copy)
    kept = [r for r in rows if r["id"] not in gone] + added
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return gone, [r["id"] for r in added]


def booths(path: Path) -> dict[str, tuple[str, tuple[float, ...], str]]:
    """Return exhibitor -> (hall, bounds, booth number) of an assignment file."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for b in doc["booths"]:
        xs = [p[0] for p in b["polygon"]]
        ys = [p[1] for p in b["polygon"]]
        out[b["exhibitor_id"]] = (b["hall"], (min(xs), min(ys), max(xs), max(ys)), b["booth_no"])
    return out


def compare(before: dict[str, Any], after: dict[str, Any], cancelled: list[str]) -> dict[str, int]:
    """Count, among the earlier booths of those still exhibiting, the kept, moved (to another
    booth), left out (their booth given up and no other found) and renumbered; and the moves
    of either kind as a share of them, in per cent."""
    stay = [e for e in before if e in after]
    lost = [e for e in before if e not in after and e not in cancelled]
    moved = [e for e in stay if after[e][:2] != before[e][:2]]
    renumbered = [e for e in stay if after[e][2] != before[e][2]]
    halls = [e for e in stay if after[e][0] != before[e][0]]
    exhibiting = len(stay) + len(lost)
    return {
        "kept": len(stay) - len(moved),
        "moved": len(moved),
        "left_out": len(lost),
        "moved_or_left_out_pct": round(100 * (len(moved) + len(lost)) / max(exhibiting, 1), 2),
        "hall_changed": len(halls),
        "renumbered": len(renumbered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="smartlife-2024")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cancel", type=float, default=0.05, help="share of exhibitors")
    parser.add_argument("--late", type=float, default=0.05, help="share of late entries")
    parser.add_argument("--work-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--keep", type=Path, help="write the event and the three plans here (else a temp folder)"
    )
    args = parser.parse_args()
    limits = ["--work-limit", str(args.work_limit), "--workers", str(args.workers)]
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        boothopt("scenario", args.scenario, "--seed", str(args.seed), "--out", str(root / "ev"))
        event = root / "ev" / "event.yaml"
        first_s, first = boothopt("allocate", str(event), "--out", str(root / "a"), *limits)
        gone, added = change_table(
            root / "ev" / "exhibitors.csv", args.cancel, args.late, args.seed
        )
        earlier = booths(root / "a" / "assignment.json")
        replan_s, replanned = boothopt(
            "reallocate",
            str(root / "a" / "assignment.json"),
            str(event),
            "--out",
            str(root / "r"),
            *limits,
        )
        fresh_s, fresh = boothopt("allocate", str(event), "--out", str(root / "f"), *limits)
        line = {
            "scenario": args.scenario,
            "seed": args.seed,
            "work_limit": args.work_limit,
            "earlier_s": round(first_s, 1),
            # The earlier plan's own goals: what a re-plan that keeps booths inherits.
            "earlier_goals": {k: round(t["score"], 1) for k, t in first["terms"].items()},
            "cancelled": len(gone),
            "late": len(added),
            "reallocate": {
                **compare(earlier, booths(root / "r" / "assignment.json"), gone),
                "placed": replanned["placed"],
                "unplaced": replanned["unplaced"],
                "breaches": len(replanned["breaches"]),
                "seconds": round(replan_s, 1),
                "goals": {k: round(t["score"], 1) for k, t in replanned["terms"].items()},
            },
            "fresh_allocate": {
                **compare(earlier, booths(root / "f" / "assignment.json"), gone),
                "placed": fresh["placed"],
                "unplaced": fresh["unplaced"],
                "breaches": len(fresh["breaches"]),
                "seconds": round(fresh_s, 1),
                "goals": {k: round(t["score"], 1) for k, t in fresh["terms"].items()},
            },
        }
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
