"""Atomic writes: whole files or none, with the usual permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from boothopt.outputs.files import write_atomic


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    """An atomically written file gets the usual permissions, not the temporary file's 0600."""
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "plan.svg", "<svg/>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text(encoding="utf-8") == "<svg/>"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.svg"]


def test_failed_write_leaves_the_earlier_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the final rename fails, the earlier file is untouched and no temporary file stays."""
    path = write_atomic(tmp_path / "assignment.json", '{"old": true}')

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, '{"new": true}')
    assert path.read_text(encoding="utf-8") == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["assignment.json"]
