"""Ctrl-C and SIGTERM during `allocate`: the search stops, the best layout so far is written."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[1] / "examples" / "smartlife-2024" / "event.yaml"


@pytest.mark.parametrize(
    ("signum", "code", "ended_by"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_during_the_search_writes_the_best_layout_so_far(
    tmp_path: Path, signum: int, code: int, ended_by: str
) -> None:
    """Sent once the whole floor's search runs, a 300 s run ends within seconds, exit 128+signal,
    with its assignment written and marked."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "boothopt.cli", "allocate", str(EXAMPLE), "--out", str(out)]
    command += ["--time-limit", "300", "--progress", "jsonl"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until CP-SAT searches the whole floor
        if line.startswith("{") and json.loads(line)["stage"] == "whole floor":
            break
    sent = time.monotonic()
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr[-2000:]
    assert time.monotonic() - sent < 60
    assert "the best layout found so far is written" in stderr
    assert "placed" in stdout
    solver = json.loads((out / "assignment.json").read_text(encoding="utf-8"))["solver"]
    assert solver["ended_by"] == ended_by and solver["reproducible"] is False
    assert (out / "floorplan.svg").exists() and (out / "assignments.csv").exists()
