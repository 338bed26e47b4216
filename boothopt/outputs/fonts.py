"""The fonts the exports draw Korean with, shipped with boothopt, and text widths without them.

The letters and the PNG/PDF plans (all drawn with fpdf2) need a font with Hangul glyphs. boothopt
ships one as package data (``data/fonts``): NanumGothic, regular and bold, under the SIL Open Font
License, with DejaVu Sans for the few letters NanumGothic lacks (the ã of São Paulo). These are
the fonts used, always: system fonts are never looked up, so the same assignment gives the same
PNG and PDF bytes on every machine, with or without fonts installed. ``BOOTHOPT_FONT`` may name
another .ttf/.otf/.ttc with Hangul glyphs to draw with instead (its one face for regular and bold).

The plain SVG needs no font file: it names the families and lets the viewer choose; its labels are
sized with :func:`text_width`, an estimate built from NanumGothic's advance widths.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import os
import unicodedata
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from boothopt.errors import BoothoptError

ENV_VAR = "BOOTHOPT_FONT"
#: The fonts shipped with boothopt, and their licences.
FONT_DIR = Path(__file__).parent / "data" / "fonts"
PACKAGED_REGULAR = FONT_DIR / "NanumGothic.ttf"
PACKAGED_BOLD = FONT_DIR / "NanumGothicBold.ttf"
PACKAGED_FALLBACK = FONT_DIR / "DejaVuSans.ttf"
NO_FONT = (
    "the Korean font shipped with boothopt is missing or unreadable ({path}) — reinstall "
    f"boothopt (pip install .), or set {ENV_VAR} to a .ttf with Korean glyphs"
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
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
    """The Korean font to draw with: its regular and bold faces and its family name."""

    regular: FontFile
    bold: FontFile  # the regular face again when the family has no bold
    family: str


def find_korean_font() -> KoreanFont:
    """Return the font with Hangul glyphs to draw with: ``BOOTHOPT_FONT``, else NanumGothic.

    NanumGothic is the copy shipped with boothopt, never a system font, so that output does not
    depend on what the machine has installed.

    Raises
    ------
    BoothoptError
        ``BOOTHOPT_FONT`` names no usable font, or the shipped font is missing.
    """
    named = os.environ.get(ENV_VAR, "").strip()
    if named:
        face = FontFile(Path(named).expanduser())
        if not _has_hangul(face):
            raise BoothoptError(
                f"{ENV_VAR}={named}: not a readable .ttf/.otf/.ttc font with Korean glyphs"
            )
        return KoreanFont(face, face, family_name(face))
    regular, bold = FontFile(PACKAGED_REGULAR), FontFile(PACKAGED_BOLD)
    if not _has_hangul(regular):
        raise BoothoptError(NO_FONT.format(path=regular.path))
    return KoreanFont(regular, bold if _has_hangul(bold) else regular, family_name(regular))


def find_fallback_font() -> FontFile | None:
    """Return the Latin font for the letters the Korean font lacks (DejaVu Sans, shipped)."""
    face = FontFile(PACKAGED_FALLBACK)
    return face if charset(face) else None


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
    """Return the family name the font file gives itself (e.g. ``NanumGothic``)."""
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    name = font["name"]
    for name_id in (16, 1):
        record = name.getName(name_id, 3, 1, 0x409) or name.getName(name_id, 1, 0, 0)
        if record is not None:
            return str(record.toUnicode())
    return face.path.stem


def subset_font(face: FontFile, chars: Set[int], path: Path) -> Path:
    """Write to ``path`` the font ``face`` cut down to ``chars`` (and the space); return ``path``.

    fpdf2 parses a whole font file when it is added, which for the 4 MB NanumGothic costs far
    more than drawing a page: the subset, which it parses instead, keeps that cost small.
    """
    _write_subset(face, chars, path)
    return path


def _write_subset(
    face: FontFile, chars: Set[int], target: Path | BinaryIO, flavor: str | None = None
) -> None:
    """Write the subset of :func:`subset_font` to a file or a stream; ``flavor="woff"``
    compresses it, for a web page."""
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["kern", "GPOS", "GSUB", "GDEF", "hdmx", "VDMX", "LTSH", "DSIG"]
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "TSI0 NOT subset; dropped" and the like
    try:
        # The subset keeps the font's own date, so that the same text gives the same bytes.
        font = TTFont(face.path, fontNumber=face.index, lazy=True, recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(set(chars) | {32}))
        subsetter.subset(font)
        font.flavor = flavor
        font.save(target)
    finally:
        logger.setLevel(level)


@dataclass(frozen=True)
class FontRuns:
    """Splits text into runs of the main font and of the fallback font.

    A PDF text is drawn with one font, which shows a box for every glyph it lacks, so a label is
    cut into runs: the main (Korean) font where it has the glyph, the fallback font where only
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


#: The family name web pages give the fonts they embed (see :func:`web_font_css`).
WEB_FAMILY = "boothopt-ko"


def web_font_css(text: str) -> str:
    """Return ``@font-face`` rules that embed the Korean font, cut to the characters of ``text``.

    A page that names system fonts shows a box for every Hangul letter on a machine without a
    Korean font (a kiosk, a fresh laptop, a headless browser); with these rules it draws with
    the font the PDF plans and letters use, on every machine, and still makes no request (the
    fonts are ``data:`` URLs in WOFF). Only the regular face is embedded, to keep the page
    light for phones: browsers draw bold text from it. Letters the Korean font lacks come from
    the Latin fallback font, a second face of the same family limited to them
    (``unicode-range``). The family is :data:`WEB_FAMILY`; the page's Content-Security-Policy
    must allow ``font-src data:``.
    """
    korean = find_korean_font()
    wanted = {ord(ch) for ch in text if ch.isprintable()} | set(range(32, 127))
    main = charset(korean.regular)
    rules = []
    fallback = find_fallback_font()
    extra = sorted((wanted - main) & charset(fallback)) if fallback else []
    if fallback is not None and extra:
        ranges = ",".join(f"U+{c:X}" for c in extra)
        rules.append(_face(fallback, set(extra), f"unicode-range:{ranges};"))
    rules.append(_face(korean.regular, wanted & main))
    return "\n".join(rules)


def _face(face: FontFile, chars: Set[int], more: str = "") -> str:
    buffer = io.BytesIO()
    _write_subset(face, chars, buffer, flavor="woff")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'@font-face{{font-family:"{WEB_FAMILY}";{more}'
        f'src:url(data:font/woff;base64,{data}) format("woff")}}'
    )
