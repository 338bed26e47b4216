"""`allocate`'s progress display: every stage from the first second, in 80 columns or as JSON."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from click.testing import CliRunner

from boothopt.cli import main
from tests.solver.conftest import row, write_event

ZONES = "zones:\n  - {id: cities, members: {kinds: [city]}}\n"


def tiny_event(tmp_path: Path) -> Path:
    """Write a small event with a zone, so that every stage of a run has something to do."""
    rows = [row(f"c{n}", 1, kind="city") for n in range(8)]
    rows += [row(f"f{n}", 2, tier="gold" if n < 2 else "standard") for n in range(10)]
    return write_event(tmp_path, rows, extra=ZONES)


def test_jsonl_progress_shows_every_stage_from_the_first_second(tmp_path: Path) -> None:
    """One JSON object per line: stages in order from reading on, the clock from the start."""
    event = tiny_event(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            *("allocate", str(event), "--out", str(tmp_path / "out"), "--time-limit", "4"),
            *("--progress", "jsonl", "--quiet"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    stages = [line["stage"] for line in lines]
    first_seen = [s for n, s in enumerate(stages) if s not in stages[:n]]
    assert first_seen[:4] == [
        "reading the event",
        "laying out the halls",
        "drawing the zones",
        "baselines",
    ]
    assert "whole floor" in first_seen and first_seen[-1] == "writing"
    assert lines[0]["elapsed_s"] < 1.0
    times = [line["elapsed_s"] for line in lines]
    assert times == sorted(times)
    # At least once a second (slack for a busy machine: CI runs two jobs on two cores).
    assert max(b - a for a, b in itertools.pairwise(times)) <= 2.5
    assert set(lines[0]) == {"elapsed_s", "stage", "objective", "bound", "gap"}


def test_bar_on_a_terminal_fits_80_columns_and_counts_from_the_start(tmp_path: Path) -> None:
    """In a pseudo-terminal 80 columns wide, each frame fits and its clock starts at 0:00:00."""
    event = tiny_event(tmp_path)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    command = [sys.executable, "-m", "boothopt.cli", "allocate", str(event)]
    command += ["--out", str(tmp_path / "out"), "--time-limit", "4"]
    env = dict(os.environ, TERM="xterm", COLUMNS="80")
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    raw = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            raw += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    assert proc.wait(timeout=10) == 0
    text = raw.decode("utf-8", "replace")
    frames = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", f) for f in re.split(r"[\r\n]", text)]
    clock = re.compile(r"^(\d):(\d\d):(\d\d) of 0:00:04  ")
    shown = [f for f in frames if clock.match(f)]
    assert shown, text[:500]
    assert all(len(f) <= 80 for f in shown)
    assert clock.match(shown[0]).groups() == ("0", "00", "00")  # type: ignore[union-attr]
    assert any("reading the event" in f for f in shown)
    assert any("drawing the zones" in f for f in shown)
    assert any("whole floor" in f for f in shown)
    # The summary follows once the display is gone.
    assert "placed" in text
