"""The fonts the exports draw Korean with, and text widths estimated without them.

The letters (fpdf2) and the PNG/PDF plans (cairo) need a font with Hangul glyphs. We look for one
in this order: the file named by ``BOOTHOPT_FONT``, Debian's fonts-nanum (NanumGothic), then
whatever fontconfig offers for NanumGothic, Noto Sans CJK KR or the Korean language. The plain SVG
needs no font file: it names the families and lets the viewer choose; its labels are sized with
:func:`text_width`, an estimate built from NanumGothic's advance widths.
"""

from __future__ import annotations

import functools
import os
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from boothopt.errors import BoothoptError

ENV_VAR = "BOOTHOPT_FONT"
NANUM_DIR = Path("/usr/share/fonts/truetype/nanum")
NO_FONT = (
    "no Korean font found — install Debian's fonts-nanum (apt-get install fonts-nanum) "
    f"or set {ENV_VAR} to a .ttf"
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
FONTCONFIG_PATTERNS = ("NanumGothic", "Noto Sans CJK KR", ":lang=ko")
FALLBACK_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
HANGUL = "가한글"

#: Font families for SVG viewers, Korean-capable first (browsers fall back glyph by glyph).
SVG_FONT_FAMILY = (
    "NanumGothic, 'Noto Sans CJK KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
)

# NanumGothic's advance widths (regular and bold alike) of the ASCII characters 32..126, in
# hundredths of an em, rounded up.
_ASCII_WIDTHS = (
    29, 43, 43, 61, 61, 110, 73, 31, 37, 37, 61, 66, 31, 37, 31, 38, 61, 61, 61, 61, 61, 61, 61,
    61, 61, 61, 31, 31, 55, 66, 55, 55, 88, 73, 61, 68, 73, 58, 51, 80, 73, 25, 37, 65, 49, 97,
    73, 79, 58, 79, 63, 55, 55, 73, 67, 103, 67, 67, 55, 37, 97, 37, 66, 55, 25, 55, 61, 49, 61,
    55, 37, 61, 61, 25, 27, 52, 25, 91, 61, 61, 61, 61, 37, 43, 37, 61, 49, 85, 51, 47, 49, 31,
    25, 31, 66,
)  # fmt: skip


def char_width(ch: str) -> float:
    """Return the estimated advance of one character, in ems (never less than NanumGothic's)."""
    code = ord(ch)
    if 32 <= code <= 126:
        return _ASCII_WIDTHS[code - 32] / 100
    if unicodedata.combining(ch):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.8


def text_width(text: str, size: float) -> float:
    """Return the estimated width of ``text`` set at ``size`` (same unit as ``size``).

    Examples
    --------
    >>> round(text_width("C-101", 10.0), 2)
    28.8
    >>> text_width("서울", 10.0)
    20.0
    """
    return size * sum(char_width(ch) for ch in text)


@dataclass(frozen=True)
class FontFile:
    """One face of a font file (``index`` picks the face in a .ttc collection)."""

    path: Path
    index: int = 0


@dataclass(frozen=True)
class KoreanFont:
    """The Korean font found: its regular and bold faces and its family name."""

    regular: FontFile
    bold: FontFile  # the regular face again when the family has no bold
    family: str


def find_korean_font() -> KoreanFont:
    """Return a font with Hangul glyphs, or raise :class:`BoothoptError` saying what to install.

    Raises
    ------
    BoothoptError
        ``BOOTHOPT_FONT`` names no usable font, or no Korean font is installed.
    """
    named = os.environ.get(ENV_VAR, "").strip()
    if named:
        face = FontFile(Path(named).expanduser())
        if not _has_hangul(face):
            raise BoothoptError(
                f"{ENV_VAR}={named}: not a readable .ttf/.otf/.ttc font with Korean glyphs"
            )
        return KoreanFont(face, face, family_name(face))
    regular = FontFile(NANUM_DIR / "NanumGothic.ttf")
    bold = FontFile(NANUM_DIR / "NanumGothicBold.ttf")
    if _has_hangul(regular):
        return KoreanFont(regular, bold if bold.path.is_file() else regular, family_name(regular))
    for pattern in FONTCONFIG_PATTERNS:
        found = _fontconfig_match(pattern)
        if found is not None and _has_hangul(found):
            heavy = _fontconfig_match(f"{family_name(found)}:weight=bold")
            bold = heavy if heavy is not None and _has_hangul(heavy) else found
            return KoreanFont(found, bold, family_name(found))
    raise BoothoptError(NO_FONT)


def find_fallback_font() -> FontFile | None:
    """Return a Latin font for the letters a Korean font lacks (DejaVu Sans), if there is one."""
    for path in FALLBACK_FILES:
        if path.is_file():
            return FontFile(path)
    face = _fontconfig_match("DejaVu Sans")
    return face if face is not None and charset(face) else None


def _fontconfig_match(pattern: str) -> FontFile | None:
    """Return the font file fontconfig picks for ``pattern`` (None without fontconfig)."""
    try:
        done = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        return None
    index = int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else 0
    return FontFile(Path(lines[0]), index)


def _has_hangul(face: FontFile) -> bool:
    chars = charset(face)
    return all(ord(ch) in chars for ch in HANGUL)


@functools.lru_cache(maxsize=16)
def charset(face: FontFile) -> frozenset[int]:
    """Return the code points ``face`` has glyphs for (empty when it is not a readable font)."""
    if face.path.suffix.lower() not in FONT_SUFFIXES or not face.path.is_file():
        return frozenset()
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    try:
        font = TTFont(face.path, fontNumber=face.index, lazy=True)
        cmap = font.getBestCmap() or {}
    except Exception:  # fontTools raises many kinds of error for a broken file
        return frozenset()
    return frozenset(cmap)


@functools.lru_cache(maxsize=16)
def family_name(face: FontFile) -> str:
    """Return the family name fontconfig and cairo know ``face`` by (e.g. ``NanumGothic``)."""
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    name = font["name"]
    for name_id in (16, 1):
        record = name.getName(name_id, 3, 1, 0x409) or name.getName(name_id, 1, 0, 0)
        if record is not None:
            return str(record.toUnicode())
    return face.path.stem


@dataclass(frozen=True)
class FontRuns:
    """Splits text into runs of the main font and of the fallback font, for cairo.

    cairo draws a text with one font and shows a box for every glyph that font lacks, so a label
    is cut into runs: the main (Korean) font where it has the glyph, the fallback font where only
    it has it. Characters neither font has (an emoji, say) are dropped.
    """

    family: str
    chars: frozenset[int]
    fallback_family: str | None = None
    fallback_chars: frozenset[int] = frozenset()

    def runs(self, text: str) -> list[tuple[str | None, str]]:
        """Return ``(family, text)`` runs, ``None`` for the main family."""
        out: list[tuple[str | None, str]] = []
        for ch in text:
            if ord(ch) in self.chars or ch == " ":
                family = None
            elif ord(ch) in self.fallback_chars:
                family = self.fallback_family
            else:
                continue
            if out and out[-1][0] == family:
                out[-1] = (family, out[-1][1] + ch)
            else:
                out.append((family, ch))
        return out

    def keep(self, text: str) -> str:
        """Return ``text`` without the characters neither font can draw."""
        return "".join(t for _, t in self.runs(text))


def cairo_font_runs() -> FontRuns:
    """Return the font runs for drawing with cairo: the Korean font, then DejaVu Sans.

    Raises
    ------
    BoothoptError
        No Korean font is installed where fontconfig (which cairo asks) can find it.
    """
    font = find_korean_font()
    known = _fontconfig_match(font.family)
    if known is not None and not _has_hangul(known):
        raise BoothoptError(f"{NO_FONT} (fontconfig does not know the font {font.family})")
    fallback = find_fallback_font()
    if fallback is None:
        return FontRuns(font.family, charset(font.regular))
    return FontRuns(font.family, charset(font.regular), family_name(fallback), charset(fallback))
