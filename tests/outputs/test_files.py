"""Atomic writes: whole files or none, whole folders replaced as one set, usual permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from boothopt.outputs.export import write_exports
from boothopt.outputs.files import write_all, write_atomic


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


def test_a_whole_folder_holds_exactly_the_new_files(tmp_path: Path) -> None:
    """A folder written whole loses the files of its earlier set; files beside it are written
    as usual, and nothing temporary stays."""
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "A-1.pdf").write_bytes(b"old")
    (letters / "B-9.pdf").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_bytes(b"mine")
    write_all(
        {letters / "A-1.pdf": b"new", letters / "C-2.pdf": b"c", tmp_path / "booths.csv": b"csv"},
        [letters],
    )
    assert {p.name: p.read_bytes() for p in letters.iterdir()} == {
        "A-1.pdf": b"new",
        "C-2.pdf": b"c",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["booths.csv", "letters", "notes.txt"]


def test_letters_written_without_naming_the_folder_still_replace_it(tmp_path: Path) -> None:
    """`allocate --export letters` hands its files over without formats: files under letters/
    make the folder one set all the same."""
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "B2-101.pdf").write_bytes(b"stale")
    write_exports({"letters/R-1.pdf": b"%PDF", "booths.csv": b"csv"}, tmp_path)
    assert [p.name for p in (tmp_path / "letters").iterdir()] == ["R-1.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["booths.csv", "letters"]


def test_a_folder_of_its_own_is_made_whole_in_an_empty_output(tmp_path: Path) -> None:
    """A first export makes the folder (and --out) with the usual folder mode."""
    old = os.umask(0o022)
    try:
        write_exports({"letters/A-1.pdf": b"%PDF"}, tmp_path / "new" / "out")
    finally:
        os.umask(old)
    letters = tmp_path / "new" / "out" / "letters"
    assert [p.name for p in letters.iterdir()] == ["A-1.pdf"]
    assert stat.S_IMODE(letters.stat().st_mode) == 0o755
    assert [p.name for p in letters.parent.iterdir()] == ["letters"]
