"""Run the exports of an assignment and write their files as one set.

Every format is rendered in memory first; only when all succeeded are the files written, through
temporary files renamed at the end, so a failure anywhere leaves the earlier output whole. A
format that writes a folder of files (the letters) replaces that folder as one set: the new set is
written beside it and swapped in, so no file of an earlier set (a booth since renumbered) stays.
Renderers are looked up by name and imported only when asked for, so a format whose libraries
are missing is reported by name without stopping the others from being listed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from boothopt.contract import Assignment
from boothopt.errors import BoothoptError, InputError
from boothopt.outputs.files import write_all

Renderer = Callable[[Assignment], dict[str, bytes]]

# Format name -> "module:function" of its renderer, (doc) -> {relative path: bytes}.
FORMATS: dict[str, str] = {
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
ALL = "all"
#: Format name -> the folder it writes as one set, replacing the folder's earlier content whole.
WHOLE_FOLDERS: dict[str, str] = {"letters": "letters"}


def parse_formats(values: Iterable[str]) -> list[str]:
    """Return the formats asked for (each value one name or a comma list), in FORMATS order.

    Raises
    ------
    InputError
        When a name is unknown, listing the valid ones.

    Examples
    --------
    >>> parse_formats(["xlsx,csv", "CSV"])
    ['csv', 'xlsx']
    >>> len(parse_formats(["all"])) == len(FORMATS)
    True
    """
    asked: set[str] = set()
    for value in values:
        for name in value.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name == ALL:
                asked.update(FORMATS)
            elif name in FORMATS:
                asked.add(name)
            else:
                raise InputError(
                    f"unknown export format {name!r} — use one or more of "
                    f"{', '.join(FORMATS)}, or {ALL}"
                )
    if not asked:
        raise InputError(f"no export format given — use one or more of {', '.join(FORMATS)}")
    return [f for f in FORMATS if f in asked]


def renderer(name: str) -> Renderer:
    """Return the renderer of format ``name``, importing its module now.

    Raises
    ------
    InputError
        When the format is unknown.
    BoothoptError
        When its module cannot be imported (a library missing), naming the module.
    """
    if name not in FORMATS:
        raise InputError(f"unknown export format {name!r} — use one of {', '.join(FORMATS)}")
    module_name, _, function = FORMATS[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except (ImportError, OSError) as exc:
        # OSError: a library found but not loadable (a native library missing or broken).
        raise BoothoptError(
            f"export format {name} is not available: {module_name} cannot be loaded ({exc}) "
            "— reinstall boothopt with its dependencies (pip install .)"
        ) from None
    render = getattr(module, function, None)
    if not callable(render):
        raise BoothoptError(f"export format {name}: {module_name} has no {function}()")
    result: Renderer = render
    return result


def render_exports(doc: Assignment, formats: Iterable[str]) -> dict[str, dict[str, bytes]]:
    """Render every format in memory; return each format's files, relative path -> content.

    Raises
    ------
    BoothoptError
        When a renderer returns a path outside the output folder, or two formats the same path.
    """
    rendered: dict[str, dict[str, bytes]] = {}
    owner: dict[str, str] = {}
    for name in formats:
        files: dict[str, bytes] = {}
        for rel, data in renderer(name)(doc).items():
            key = str(safe_relative(rel))
            if not isinstance(data, bytes):
                raise BoothoptError(f"export format {name}: {rel} is not bytes")
            if key in owner:
                raise BoothoptError(f"export formats {owner[key]} and {name} both write {key}")
            owner[key] = name
            files[key] = data
        rendered[name] = files
    return rendered


def safe_relative(rel: str) -> PurePosixPath:
    """Return ``rel`` as a relative path that stays inside the output folder.

    Raises
    ------
    BoothoptError
        When ``rel`` is empty, absolute, or climbs out with ``..``.

    Examples
    --------
    >>> safe_relative("letters/C-214.pdf")
    PurePosixPath('letters/C-214.pdf')
    >>> safe_relative("../x.csv")
    Traceback (most recent call last):
    ...
    boothopt.errors.BoothoptError: refusing to write '../x.csv': outside the output folder
    """
    path = PurePosixPath(rel)
    if (
        not rel
        or "\\" in rel
        or "\0" in rel
        or path.is_absolute()
        or ":" in path.parts[0]  # a Windows drive, C:
        or any(part in ("..", ".") for part in path.parts)
        or path.name in ("", ".")
    ):
        raise BoothoptError(f"refusing to write {rel!r}: outside the output folder")
    return path


def merged(rendered: Mapping[str, Mapping[str, bytes]]) -> dict[str, bytes]:
    """Return the files of every format as one mapping, relative path -> content."""
    return {rel: data for files in rendered.values() for rel, data in files.items()}


def write_exports(
    files: Mapping[str, str | bytes], out_dir: Path, folders: Iterable[str] = ()
) -> list[Path]:
    """Write ``files`` (relative path -> content) into ``out_dir`` as one set; return the paths.

    Nothing is written unless every target can be: a target that is a folder is refused first,
    and any other failure leaves the earlier files as they were and no temporary file behind.
    The folders of :data:`WHOLE_FOLDERS` that a file is written in, and those named in
    ``folders`` (a format asked for that may write no file: letters of no booth), are replaced
    whole: afterwards they hold exactly the files given for them.

    Raises
    ------
    InputError
        When a target is a folder, a whole folder is a file, or the folder cannot be written.
    """
    root = out_dir.resolve()
    tops = {parts[0] for rel in files if len(parts := PurePosixPath(rel).parts) > 1}
    whole = set(folders) | (tops & set(WHOLE_FOLDERS.values()))
    for name in sorted(whole):
        folder = out_dir / name
        if folder.is_symlink() and not folder.resolve().is_relative_to(root):
            raise BoothoptError(f"refusing to replace {folder}: it leads outside {out_dir}")
        if folder.exists() and not folder.is_dir():
            raise InputError(
                f"{folder}: is a file, so the {name} folder cannot be written there — move it "
                "away or choose another --out"
            )
    targets: dict[Path, str | bytes] = {}
    for rel, data in files.items():
        path = out_dir / safe_relative(rel)
        if not path.resolve().is_relative_to(root):  # a symbolic link out of the folder
            raise BoothoptError(f"refusing to write {path}: it leads outside {out_dir}")
        if path.is_dir() and PurePosixPath(rel).parts[0] not in whole:
            raise InputError(
                f"{path}: is a folder, so the {rel} export cannot be written there — move it "
                "away or choose another --out"
            )
        targets[path] = data
    try:
        write_all(targets, [out_dir / name for name in sorted(whole)])
    except OSError as exc:
        raise InputError(
            f"{out_dir}: writing failed ({exc.strerror or exc}) — nothing was replaced; "
            "check the folder and the free space"
        ) from None
    return list(targets)


def export(doc: Assignment, formats: Iterable[str], out_dir: Path) -> dict[str, list[Path]]:
    """Render ``formats`` of an assignment and write them into ``out_dir`` as one set.

    Returns the paths written, per format. The letters folder, when letters are asked for, is
    replaced whole by the new letters (emptied when the assignment places no booth).

    Raises
    ------
    InputError
        When a format is unknown, a target is a folder or the folder cannot be written.
    """
    rendered = render_exports(doc, formats)
    write_exports(
        {rel: data for files in rendered.values() for rel, data in files.items()},
        out_dir,
        [WHOLE_FOLDERS[name] for name in rendered if name in WHOLE_FOLDERS],
    )
    return {name: [out_dir / rel for rel in files] for name, files in rendered.items()}
