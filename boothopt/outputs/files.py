"""Write files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from boothopt.errors import InputError


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place.

    The earlier file at ``path``, if any, stays whole until the new one is complete.

    Raises
    ------
    InputError
        When the folder cannot be created or written, naming the path.
    """
    path = Path(path)
    write_all({path: data})
    return path


def write_all(files: Mapping[Path, str | bytes]) -> None:
    """Write several files as one: all temporary files first, then every rename.

    A failure while writing leaves every earlier file as it was; the renames come last, so the
    set is never a mix of old and new unless a rename itself fails.

    Raises
    ------
    InputError
        When a folder cannot be created or written, naming the path.
    """
    done: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise InputError(
                    f"{path}: cannot write ({exc.strerror}) — choose a writable folder"
                ) from None
            done.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            # mkstemp makes the file private; the outputs are for sharing: use the usual mode.
            os.chmod(tmp, 0o666 & ~_umask())
        for tmp, path in done:
            os.replace(tmp, path)
    finally:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)


def _umask() -> int:
    """Return the process's file-creation mask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
