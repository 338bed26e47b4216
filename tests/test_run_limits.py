"""`allocate`'s two limits as the floor manager reads them: what ended the run, and a warning."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from boothopt.cli import main
from tests.test_progress import tiny_event

EXAMPLE = Path(__file__).parents[1] / "examples" / "smartlife-2024" / "event.yaml"


def allocate(tmp_path: Path, *options: str, event: Path | None = None) -> tuple[int, str]:
    """Run `allocate` on the tiny event (or ``event``); return the exit code and its output."""
    event = event or tiny_event(tmp_path)
    result = CliRunner().invoke(
        main, ["allocate", str(event), "--out", str(tmp_path / "out"), *options]
    )
    return result.exit_code, result.output


def test_a_work_limited_run_says_it_repeats(tmp_path: Path) -> None:
    """With --work-limit and no time limit, the summary says the run repeats exactly."""
    code, out = allocate(tmp_path, "--work-limit", "1")
    assert code == 0, out
    ended = "ended by: work limit, 1 deterministic s of work, seed 0, 2 workers: repeats exactly"
    assert ended in out
    assert "warning" not in out
    text = (tmp_path / "out" / "assignment.json").read_text(encoding="utf-8")
    solver = json.loads(text)["solver"]
    assert solver["ended_by"] == "work limit" and solver["reproducible"] is True
    assert solver["work_limit"] == 1 and solver["time_limit_s"] is None


def test_a_work_limited_run_the_clock_cut_warns_with_the_fix(tmp_path: Path) -> None:
    """A work limit the time limit cannot hold (the 2024 example's 262 exhibitors): one warning
    line naming both options."""
    code, out = allocate(tmp_path, "--work-limit", "1000", "--time-limit", "3", event=EXAMPLE)
    assert code == 0, out
    assert "ended by: time limit" in out and "may differ" in out
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "--time-limit" in warnings[0] and "--work-limit" in warnings[0]


def test_a_time_limited_run_says_another_may_differ(tmp_path: Path) -> None:
    """Without a work limit the time is the limit: the summary says so and how to repeat runs."""
    code, out = allocate(tmp_path, "--time-limit", "3")
    assert code == 0, out
    line = next(line for line in out.splitlines() if "ended by:" in line)
    assert "3 s of wall clock" in line and "--work-limit" in line
    assert "warning" not in out
