"""Write files so that a failure never leaves a half-written file, or a mixed folder, behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
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


def write_all(files: Mapping[Path, str | bytes], folders: Iterable[Path] = ()) -> None:
    """Write several files as one: all temporary files first, then every rename.

    A failure while writing leaves every earlier file as it was; the renames come last, so the
    set is never a mix of old and new unless a rename itself fails.

    Each folder in ``folders`` is replaced whole, as one set: the files under it are written into
    a new hidden folder beside it (``.letters.<random>.new``), which then takes its place, so
    that the folder holds exactly the new files (none of an earlier set stays beside them). A
    failure before that swap leaves the earlier folder as it was, and a failing swap puts it back.

    Raises
    ------
    InputError
        When a folder cannot be created or written, naming the path.
    """
    swaps = {Path(folder): Path() for folder in folders}  # folder -> its new set, once made
    done: list[tuple[str, Path]] = []
    try:
        for folder in swaps:
            swaps[folder] = _new_folder(folder)
        for path, data in files.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            whole = next((f for f in swaps if path.is_relative_to(f)), None)
            if whole is not None:
                _write_new(swaps[whole] / path.relative_to(whole), raw)
                continue
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise _cannot_write(path, exc) from None
            done.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            # mkstemp makes the file private; the outputs are for sharing: use the usual mode.
            os.chmod(tmp, 0o666 & ~_umask())
        for tmp, path in done:
            os.replace(tmp, path)
        for folder, new in swaps.items():
            _swap(new, folder)
    finally:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)
        for new in swaps.values():
            if new.name:  # made, and not swapped in (a failure on the way)
                shutil.rmtree(new, ignore_errors=True)


def _new_folder(folder: Path) -> Path:
    """Make and return an empty hidden folder beside ``folder``, for its new set."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=folder.parent))
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    os.chmod(new, 0o777 & ~_umask())  # mkdtemp makes it private, as mkstemp does a file
    return new


def _write_new(path: Path, raw: bytes) -> None:
    """Write a file of a new set, in its folder no one else sees yet."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _swap(new: Path, folder: Path) -> None:
    """Put the folder ``new`` in the place of ``folder``, then delete the earlier one.

    ``folder`` is moved aside first (renamed ``.<name>.<random>.old``), ``new`` renamed into its
    place, and the earlier set deleted last; should the second rename fail, the earlier folder
    is moved back, whole.
    """
    if not folder.exists() and not folder.is_symlink():
        os.rename(new, folder)
        return
    old = new.with_name(new.name.removesuffix(".new") + ".old")
    os.rename(folder, old)
    try:
        os.rename(new, folder)
    except OSError:
        os.rename(old, folder)
        raise
    if old.is_symlink() or not old.is_dir():
        old.unlink(missing_ok=True)
    else:
        shutil.rmtree(old, ignore_errors=True)


def _cannot_write(path: Path, exc: OSError) -> InputError:
    return InputError(f"{path}: cannot write ({exc.strerror}) — choose a writable folder")


def _umask() -> int:
    """Return the process's file-creation mask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


LOCK_NAME = ".boothopt.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock while a run writes into it; a second run is refused at once.

    The lock is an advisory lock (``flock``) on a hidden file in the folder, which the system
    releases when the process ends, however it ends: a killed run leaves no stale lock. A folder
    made here and still empty when the run ends (it failed before writing) is removed again.

    Raises
    ------
    InputError
        When another run holds the folder's lock, or the folder cannot be made.
    """
    import fcntl

    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _cannot_write(folder / LOCK_NAME, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise InputError(
                f"{folder}: another boothopt run is writing into this folder{who} — wait for "
                "it to end, or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            # Removed while still held, so a run waiting for it never takes a lock on a file
            # that is gone; the next run makes a new one.
            (folder / LOCK_NAME).unlink(missing_ok=True)
            if made:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty: the run wrote nothing
    finally:
        os.close(fd)
