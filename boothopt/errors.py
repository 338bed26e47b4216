"""The exceptions boothopt raises; the CLI turns each into one readable line."""

from __future__ import annotations


class BoothoptError(Exception):
    """Base of every error boothopt raises on purpose."""


class InputError(BoothoptError):
    """A file or option given by the user is wrong; the message says where and what to do."""


class VenueError(InputError):
    """A venue (built-in name or venue file) cannot be loaded or is inconsistent."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = [f"{source}: {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class FileFault(InputError):
    """A file breaks a reading limit or cannot be parsed; the reader adds the file's name.

    ``what`` says what is wrong and what to do; ``line`` is the line it is on, when known.
    """

    def __init__(self, what: str, line: int | None = None) -> None:
        self.what = what
        self.line = line
        super().__init__(what)

    def at(self, source: str) -> str:
        """Return the fault as one line naming the file (and line): ``file:12: what``."""
        return f"{source}:{self.line}: {self.what}" if self.line else f"{source}: {self.what}"


def field_path(loc: tuple[int | str, ...]) -> str:
    """Return a pydantic error location as a path a person reads: ``booths[3].polygon``.

    Examples
    --------
    >>> field_path(("booths", 3, "polygon"))
    'booths[3].polygon'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
