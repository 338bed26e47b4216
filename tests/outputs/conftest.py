"""A machine without system fonts or cairo, simulated: ``BOOTHOPT_NO_SYSTEM_FONTS=1``.

With that variable set, this file (imported by pytest before any test of tests/outputs, or by a
test's child process) makes every use of the machine's fonts or of cairo an error, as on a fresh
machine with only Python: opening a file under a system font folder, running fontconfig's tools,
loading the cairo or fontconfig libraries, or importing cairosvg or cairocffi. The outputs must
then be made from what boothopt and its wheels ship. CI runs the outputs tests once this way.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ENV_VAR = "BOOTHOPT_NO_SYSTEM_FONTS"
FONT_FOLDERS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/usr/X11R6/lib/X11/fonts",
    "/etc/fonts",
    "/var/cache/fontconfig",
    str(Path.home() / ".fonts"),
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / ".cache/fontconfig"),
)
FONT_TOOLS = ("fc-match", "fc-list", "fc-query", "fc-cache")
LIBRARIES = ("cairo", "fontconfig")
MODULES = ("cairosvg", "cairocffi", "cairo")


class SystemFontUsed(RuntimeError):
    """Raised where the code under test reaches for the machine's fonts or cairo."""


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        path = os.fsdecode(args[0])
        if path.startswith(FONT_FOLDERS):
            raise SystemFontUsed(f"a system font file was opened: {path}")
    elif event == "subprocess.Popen":
        program = os.path.basename(os.fsdecode(args[0] or "")) if args[0] else ""
        argv = args[1] if isinstance(args[1], Sequence) and not isinstance(args[1], str) else []
        first = os.path.basename(os.fsdecode(argv[0])) if argv else ""
        if program in FONT_TOOLS or first in FONT_TOOLS:
            raise SystemFontUsed(f"fontconfig was asked: {first or program}")
    elif event == "ctypes.dlopen" and args and args[0]:
        name = os.path.basename(os.fsdecode(args[0]))
        if any(lib in name for lib in LIBRARIES):
            raise SystemFontUsed(f"a system library was loaded: {name}")


class _NoCairo(importlib.abc.MetaPathFinder):
    """Refuses the cairo modules, as on a machine where they cannot be installed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname.split(".")[0] in MODULES:
            raise ImportError(f"No module named {fullname!r} (no cairo on this machine)")
        return None


def install() -> None:
    """Make the machine's fonts and cairo unreachable for the rest of this process."""
    for name in list(sys.modules):
        if name.split(".")[0] in MODULES:
            del sys.modules[name]
    sys.meta_path.insert(0, _NoCairo())
    sys.addaudithook(_audit)


if os.environ.get(ENV_VAR) == "1":
    install()
