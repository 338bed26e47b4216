"""Headless Chromium for the page tests: Debian's browser, started as CI starts it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# As CI starts it (as root): no sandbox, and nothing that would try the network on its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


def chromium_available() -> None:
    """Skip, saying how to install it, when Debian's Chromium is missing (CI installs it)."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium) to "
            "look at the page; CI installs it"
        )


def run_chromium(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a new profile in ``folder``; return its output."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=folder)
    try:
        return subprocess.run(
            [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
