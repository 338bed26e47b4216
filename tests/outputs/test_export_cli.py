"""`boothopt export` and `allocate --export`: files written as one set, failures leave no trace."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from boothopt.cli import main
from boothopt.contract import Assignment, read_assignment
from boothopt.errors import BoothoptError
from boothopt.outputs import export as export_module
from boothopt.outputs import master_list
from boothopt.outputs.export import FORMATS, export, parse_formats, render_exports
from boothopt.outputs.geojson import render_geojson

EXAMPLE_EVENT = Path(__file__).parent.parent.parent / "examples" / "smartlife-2024" / "event.yaml"


@pytest.fixture(scope="module")
def allocated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the 2024 example allocated with the greedy method."""
    out = tmp_path_factory.mktemp("allocated")
    result = CliRunner().invoke(
        main, ["allocate", str(EXAMPLE_EVENT), "--out", str(out), "--method", "greedy", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def assignment(allocated: Path, tmp_path: Path) -> Path:
    """A private copy of the example's assignment file."""
    path = tmp_path / "assignment.json"
    shutil.copyfile(allocated / "assignment.json", path)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` (temporary files included) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run_export(*args: str) -> Any:
    """Run `boothopt export` with ``args``."""
    return CliRunner().invoke(main, ["export", *args])


def test_formats_name_their_renderers() -> None:
    """The registry names each format's renderer, and `all` asks for every one."""
    assert FORMATS == {
        "csv": "boothopt.outputs.master_list:render_csv",
        "xlsx": "boothopt.outputs.master_list:render_xlsx",
        "geojson": "boothopt.outputs.geojson:render_geojson",
        "imdf": "boothopt.outputs.imdf:render_imdf",
        "dxf": "boothopt.outputs.dxf:render_dxf",
        "html": "boothopt.outputs.html_map:render_html",
        "svg": "boothopt.outputs.plan_render:render_svg",
        "png": "boothopt.outputs.plan_render:render_png",
        "pdf": "boothopt.outputs.plan_render:render_pdf",
        "letters": "boothopt.outputs.letters:render_letters",
    }
    assert parse_formats(["all"]) == list(FORMATS)
    assert parse_formats(["geojson, CSV", "csv"]) == ["csv", "geojson"]


def test_export_writes_the_formats_asked_for(assignment: Path, tmp_path: Path) -> None:
    """`export --format csv,xlsx --format geojson` writes the files the renderers make."""
    out = tmp_path / "out"
    result = run_export(
        str(assignment), "--format", "csv,xlsx", "--format", "geojson", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "booths.csv",
        "booths.xlsx",
        "floorplan.geojson",
        "unplaced.csv",
    ]
    assert result.stdout.splitlines() == [
        f"csv: wrote {out / 'booths.csv'}, {out / 'unplaced.csv'}",
        f"xlsx: wrote {out / 'booths.xlsx'}",
        f"geojson: wrote {out / 'floorplan.geojson'}",
    ]
    doc = read_assignment(assignment)
    assert (out / "booths.csv").read_bytes() == master_list.render_csv(doc)["booths.csv"]
    geo = json.loads((out / "floorplan.geojson").read_text(encoding="utf-8"))
    assert len([f for f in geo["features"] if f["properties"]["feature_type"] == "booth"]) == len(
        doc.booths
    )


def test_allocate_export_matches_export_of_its_assignment(tmp_path: Path) -> None:
    """`allocate --export csv,geojson` writes what `export` makes from the same assignment."""
    out = tmp_path / "out"
    args = ["allocate", str(EXAMPLE_EVENT), "--out", str(out), "--method", "greedy"]
    result = CliRunner().invoke(main, [*args, "--export", "csv,geojson"])
    assert result.exit_code == 0, result.output
    assert f"{out / 'booths.csv'}, {out / 'unplaced.csv'}" in result.stdout
    names = {p.name for p in out.iterdir()}
    assert names == {
        "assignment.json",
        "assignments.csv",
        "floorplan.svg",
        "booths.csv",
        "unplaced.csv",
        "floorplan.geojson",
    }
    again = tmp_path / "again"
    result = run_export(str(out / "assignment.json"), "-f", "csv,geojson", "--out", str(again))
    assert result.exit_code == 0, result.output
    for name in ("booths.csv", "unplaced.csv", "floorplan.geojson"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_allocate_with_an_unknown_format_stops_before_solving(tmp_path: Path) -> None:
    """A misspelt --export is bad input: exit code 2, the valid names listed, nothing written."""
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["allocate", str(EXAMPLE_EVENT), "--out", str(out), "--export", "csv,exel"]
    )
    assert result.exit_code == 2
    assert "unknown export format 'exel'" in result.stderr
    assert "csv, xlsx, geojson, imdf, dxf, html, svg, png, pdf, letters" in result.stderr
    assert not out.exists()


def test_unknown_format_lists_the_valid_ones(assignment: Path, tmp_path: Path) -> None:
    """`export --format docx` is one error line naming every format, exit code 2."""
    out = tmp_path / "out"
    result = run_export(str(assignment), "--format", "docx", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown export format 'docx' — use one or more of "
        "csv, xlsx, geojson, imdf, dxf, html, svg, png, pdf, letters, or all\n"
    )
    assert not out.exists()


def earlier_output(assignment: Path, out: Path) -> dict[str, bytes]:
    """Export csv and geojson into ``out``, then rename an exhibitor; return the files."""
    assert run_export(str(assignment), "-f", "csv,geojson", "--out", str(out)).exit_code == 0
    raw = json.loads(assignment.read_text(encoding="utf-8"))
    raw["booths"][0]["name_en"] = "Renamed Ltd."
    assignment.write_text(json.dumps(raw), encoding="utf-8")
    return snapshot(out)


def test_a_target_that_is_a_folder_leaves_earlier_files_untouched(
    assignment: Path, tmp_path: Path
) -> None:
    """When one target path is a folder, no file is replaced and no temporary file is left."""
    out = tmp_path / "out"
    (out / "booths.xlsx").mkdir(parents=True)
    before = earlier_output(assignment, out)
    result = run_export(str(assignment), "-f", "csv,xlsx,geojson", "--out", str(out))
    assert result.exit_code == 2
    assert f"{out / 'booths.xlsx'}: is a folder" in result.stderr
    assert snapshot(out) == before


def test_a_failing_renderer_leaves_earlier_files_untouched(
    assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renderer raising after others succeeded writes nothing: every format renders first."""
    out = tmp_path / "out"
    before = earlier_output(assignment, out)

    def broken(doc: Assignment) -> dict[str, bytes]:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(master_list, "render_xlsx", broken)
    doc = read_assignment(assignment)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        export(doc, ["csv", "geojson", "xlsx"], out)
    assert snapshot(out) == before


def test_a_folder_that_cannot_be_made_leaves_earlier_files_untouched(
    assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file in the way of a subfolder stops the export; the temporary files already made go."""
    out = tmp_path / "out"
    before = earlier_output(assignment, out)
    (out / "maps").write_text("a file, not a folder", encoding="utf-8")
    before["maps"] = b"a file, not a folder"

    def with_subfolder(doc: Assignment) -> dict[str, bytes]:
        return {"maps/hall-c.geojson": b"{}", **render_geojson(doc)}

    monkeypatch.setattr("boothopt.outputs.geojson.render_geojson", with_subfolder)
    result = run_export(str(assignment), "-f", "csv,geojson", "--out", str(out))
    assert result.exit_code == 2 and "cannot write" in result.stderr
    assert snapshot(out) == before


def test_a_failing_rename_is_reported_as_one_line(
    assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OS error while writing is one error line, and no temporary file stays behind."""
    out = tmp_path / "out"
    before = earlier_output(assignment, out)

    def no_space(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", no_space)
    result = run_export(str(assignment), "-f", "csv", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {out}: writing failed (No space left on device)")
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "path", ["../escaped.csv", "/tmp/absolute.csv", "letters/../../up.csv", "a\\..\\b.csv", ""]
)
def test_renderer_paths_outside_the_folder_are_refused(
    assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """A renderer naming a path that climbs out of --out is refused and nothing is written."""

    def escaping(doc: Assignment) -> dict[str, bytes]:
        return {"booths.csv": b"ok", path: b"owned"}

    monkeypatch.setattr(master_list, "render_csv", escaping)
    out = tmp_path / "deep" / "out"
    with pytest.raises(BoothoptError, match="outside the output folder"):
        export(read_assignment(assignment), ["csv"], out)
    assert not (tmp_path / "deep").exists()
    assert not (tmp_path / "escaped.csv").exists()


def test_a_symbolic_link_out_of_the_folder_is_refused(
    assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subfolder of --out that links elsewhere is not written through."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "letters").symlink_to(outside, target_is_directory=True)

    def into_link(doc: Assignment) -> dict[str, bytes]:
        return {"letters/a.pdf": b"%PDF"}

    monkeypatch.setattr(master_list, "render_csv", into_link)
    with pytest.raises(BoothoptError, match="leads outside"):
        export(read_assignment(assignment), ["csv"], out)
    assert list(outside.iterdir()) == []


def test_two_formats_writing_one_file_are_refused(
    assignment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two renderers claiming the same file is an error, not a silent overwrite."""

    def clash(doc: Assignment) -> dict[str, bytes]:
        return {"booths.csv": b"other"}

    monkeypatch.setattr(master_list, "render_xlsx", clash)
    with pytest.raises(BoothoptError, match=r"csv and xlsx both write booths\.csv"):
        render_exports(read_assignment(assignment), ["csv", "xlsx"])


def test_a_format_whose_module_is_missing_is_named(
    assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renderer module that cannot be imported gives one line naming format and module."""
    monkeypatch.setitem(export_module.FORMATS, "png", "boothopt.outputs.no_such_module:render")
    out = tmp_path / "out"
    result = run_export(str(assignment), "-f", "csv,png", "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: export format png is not available: boothopt.outputs.no_such_module"
    )
    assert not out.exists()


def with_booths(assignment: Path, path: Path, count: int, prefix: str | None = None) -> Path:
    """Write to ``path`` the assignment cut to ``count`` booths, renumbered ``prefix-N``."""
    raw = json.loads(assignment.read_text(encoding="utf-8"))
    booths = raw["booths"][:count]
    if prefix is not None:
        booths = [{**b, "booth_no": f"{prefix}-{n}"} for n, b in enumerate(booths, 1)]
    raw["booths"] = booths
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def seventeen_letters(assignment: Path, tmp_path: Path) -> Path:
    """An output folder with the csv and the letters of 17 booths."""
    out = tmp_path / "out"
    first = with_booths(assignment, tmp_path / "first.json", 17)
    result = run_export(str(first), "-f", "csv,letters", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert len(list((out / "letters").iterdir())) == 17
    return out


def test_reexported_letters_replace_the_earlier_set(
    seventeen_letters: Path, assignment: Path, tmp_path: Path
) -> None:
    """Letters exported again after booths were renumbered are exactly the new set: no letter
    of a booth number gone stays beside them (was: 22 files for 5 booths); other files stay."""
    out = seventeen_letters
    csv_before = (out / "booths.csv").read_bytes()
    renumbered = with_booths(assignment, tmp_path / "renumbered.json", 5, prefix="R")
    result = run_export(str(renumbered), "-f", "letters", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"letters: wrote 5 files in {out / 'letters'}/\n"
    assert sorted(p.name for p in (out / "letters").iterdir()) == [
        f"R-{n}.pdf" for n in range(1, 6)
    ]
    assert sorted(p.name for p in out.iterdir()) == ["booths.csv", "letters", "unplaced.csv"]
    assert (out / "booths.csv").read_bytes() == csv_before
    text = PdfReader(out / "letters" / "R-3.pdf").pages[0].extract_text()
    assert "R-3" in text
    mode = (out / "letters").stat().st_mode & 0o777
    assert mode == 0o777 & ~current_umask()  # the usual folder mode, not mkdtemp's 0700


def current_umask() -> int:
    """Return the process's file-creation mask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failing_letters_swap_leaves_the_earlier_set_whole(
    seventeen_letters: Path, assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the new letters cannot be put in place, the earlier set is put back, whole, and no
    temporary folder stays."""
    out = seventeen_letters
    before = snapshot(out)
    real_rename = os.rename

    def failing(src: Any, dst: Any) -> None:
        if str(src).endswith(".new"):
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing)
    renumbered = with_booths(assignment, tmp_path / "renumbered.json", 5, prefix="R")
    result = run_export(str(renumbered), "-f", "letters", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {out}: writing failed (No space left on device)")
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["booths.csv", "letters", "unplaced.csv"]


def test_a_failure_while_writing_new_letters_leaves_the_earlier_set_whole(
    seventeen_letters: Path, assignment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter that cannot be written stops the export before any letter is replaced."""
    out = seventeen_letters
    before = snapshot(out)
    real_write = Path.write_bytes
    calls: list[Path] = []

    def failing(self: Path, data: Any) -> int:
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    renumbered = with_booths(assignment, tmp_path / "renumbered.json", 5, prefix="R")
    result = run_export(str(renumbered), "-f", "csv,letters", "--out", str(out))
    assert result.exit_code == 2 and "cannot write (No space left on device)" in result.stderr
    assert len(calls) == 3 and calls[0].parent.name.startswith(".letters.")
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["booths.csv", "letters", "unplaced.csv"]


def test_letters_of_no_booth_empty_the_folder(seventeen_letters: Path, assignment: Path) -> None:
    """Letters asked for an assignment that places nobody leave the letters folder empty."""
    doc = read_assignment(assignment)
    written = export(doc.model_copy(update={"booths": ()}), ["letters"], seventeen_letters)
    assert written == {"letters": []}
    assert list((seventeen_letters / "letters").iterdir()) == []


def test_a_file_in_place_of_the_letters_folder_is_refused(assignment: Path, tmp_path: Path) -> None:
    """A file named ``letters`` in --out is neither replaced nor written into."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "letters").write_text("mine", encoding="utf-8")
    small = with_booths(assignment, tmp_path / "small.json", 2)
    result = run_export(str(small), "-f", "letters", "--out", str(out))
    assert result.exit_code == 2
    assert f"{out / 'letters'}: is a file" in result.stderr
    assert snapshot(out) == {"letters": b"mine"}
