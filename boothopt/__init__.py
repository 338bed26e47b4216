"""boothopt: venue floor plans and booth allocation for large exhibitions."""

from __future__ import annotations

__version__ = "0.1.0"
