"""boothopt: venue floor plans and booth allocation for large exhibitions.

The library API (see :mod:`boothopt.api`): ``boothopt.allocate(event)``,
``boothopt.reallocate(earlier, event)`` and ``boothopt.check(assignment, event)``.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "allocate", "check", "reallocate"]


def __getattr__(name: str) -> Any:
    # The API pulls in the solver (OR-Tools); `import boothopt` alone stays light.
    if name in ("allocate", "reallocate", "check", "Allocation"):
        from boothopt import api

        return getattr(api, name)
    raise AttributeError(f"module 'boothopt' has no attribute {name!r}")
