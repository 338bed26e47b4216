"""The exhibitor table's columns and values, in English and Korean.

Organizers' sheets say `업체명` where the schema says `name_ko`; the application template writes
both (`업체명 (name_ko)`). Every header and every enumerated value is matched here, once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One field of the exhibitor table with its Korean label and the headers that mean it."""

    name: str
    label_ko: str
    aliases: tuple[str, ...]
    help_en: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "참가번호",
        ("exhibitor_id", "exhibitor id", "번호", "아이디", "신청번호"),
        "unique id, e.g. seoul or acme-korea",
    ),
    Column(
        "name_ko",
        "업체명",
        ("국문명", "업체명(국문)", "기관명", "참가사명", "이름"),
        "name in Korean",
    ),
    Column(
        "name_en",
        "영문명",
        ("name", "company", "company name", "업체명(영문)", "english name"),
        "name in English",
    ),
    Column(
        "kind", "구분", ("type", "유형", "참가구분"), "city, company, institution or government"
    ),
    Column("country", "국가", ("nation",), "country, e.g. KR"),
    Column("category", "분야", ("카테고리", "sector", "theme"), "product category or theme"),
    Column(
        "modules",
        "부스수",
        ("size_modules", "booths", "모듈수", "부스 수"),
        "size in 3 m x 3 m modules",
    ),
    Column(
        "area_m2",
        "면적",
        ("size_m2", "area", "면적(m2)", "면적(㎡)", "sqm"),
        "size in m², rounded up to whole modules",
    ),
    Column("shape", "규격", ("형태", "dimensions"), "e.g. 3x2 modules or 9x6m; blank = any"),
    Column("rotatable", "회전가능", ("rotate", "may_rotate"), "yes/no: may the shape be turned"),
    Column(
        "booth_type",
        "부스유형",
        ("booth type", "부스형태", "type of booth"),
        "inline, corner, peninsula, island or any",
    ),
    Column(
        "tier",
        "등급",
        ("sponsor tier", "후원등급", "sponsorship"),
        "platinum, gold, silver or standard",
    ),
    Column(
        "priority_points",
        "우선순위점수",
        ("points", "priority", "점수"),
        "priority points of the space draw",
    ),
    Column(
        "applied_on",
        "신청일",
        ("application_date", "applied", "date", "신청일자"),
        "application date, YYYY-MM-DD",
    ),
    Column("zone", "존", ("구역", "존(zone)", "area_zone"), "zone id; blank = by the zone rules"),
    Column(
        "halls",
        "선호홀",
        ("preferred_halls", "preferred halls", "hall", "희망홀"),
        "preferred halls, separated by ;",
    ),
    Column(
        "near",
        "인접희망",
        ("partners", "near_ids", "파트너"),
        "ids of partners to be near, separated by ;",
    ),
    Column(
        "avoid",
        "이격희망",
        ("competitors", "경쟁사"),
        "ids of competitors to keep away, id:metres separated by ;",
    ),
    Column("power_kw", "전력(kW)", ("power", "전력"), "electric power needed, kW"),
    Column(
        "load_t_m2",
        "하중(t/m²)",
        ("load", "heavy_load", "하중", "floor_load_t_m2"),
        "floor load needed, t/m²",
    ),
    Column("height_m", "높이(m)", ("height", "높이"), "stand height needed, m"),
    Column(
        "booth",
        "부스번호",
        ("booth_no", "pin", "고정부스"),
        "a booth fixed before the draw: a booth number of the earlier plan (C-214, for "
        "reallocate) or a position, hall@x,y in metres with the size in modules (C@120,45 2x1)",
    ),
)
BY_NAME = {c.name: c for c in COLUMNS}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    return re.sub(r"[\s_\-]+", "_", text)


_HEADER_INDEX: dict[str, str] = {}
for _c in COLUMNS:
    for _alias in (_c.name, _c.label_ko, *_c.aliases):
        _HEADER_INDEX[_key(_alias)] = _c.name


def template_header(column: Column) -> str:
    """Return the bilingual header the application template writes, e.g. `업체명 (name_ko)`."""
    return f"{column.label_ko} ({column.name})"


def match_header(header: str) -> str | None:
    """Return the field a header means, or None when it means none.

    Examples
    --------
    >>> match_header("업체명"), match_header("Name_KO"), match_header("업체명 (name_ko)")
    ('name_ko', 'name_ko', 'name_ko')
    >>> match_header("colour") is None
    True
    """
    key = _key(header)
    if key in _HEADER_INDEX:
        return _HEADER_INDEX[key]
    inner = re.fullmatch(r"(.*?)_?\((.+)\)", key)
    if inner:
        for part in (inner.group(2), inner.group(1)):
            if part.strip("_") in _HEADER_INDEX:
                return _HEADER_INDEX[part.strip("_")]
    return None


KIND_VALUES = {
    "city": ("도시", "지자체", "city government"),
    "company": ("기업", "업체", "회사", "corporation", "firm", "startup", "스타트업"),
    "institution": ("기관", "공공기관", "연구기관", "university", "대학", "association", "협회"),
    "government": ("정부", "부처", "ministry", "agency"),
}
BOOTH_TYPE_VALUES = {
    "inline": ("일반", "일반형", "standard"),
    "corner": ("코너", "코너형"),
    "peninsula": ("반독립", "반독립형"),
    "island": ("독립", "독립형"),
    "any": ("무관", "", "none", "-"),
}
TIER_ALIASES = {
    "platinum": ("플래티넘", "플래티늄"),
    "gold": ("골드",),
    "silver": ("실버",),
    "bronze": ("브론즈",),
    "standard": ("일반", "none", "기본"),
}
YES = {"yes", "y", "true", "1", "예", "네", "o", "가능"}
NO = {"no", "n", "false", "0", "아니오", "아니요", "x", "불가"}


def match_value(value: str, vocabulary: dict[str, tuple[str, ...]]) -> str | None:
    """Return the canonical value a cell means (case and Korean aliases allowed), or None.

    Examples
    --------
    >>> match_value("도시", KIND_VALUES), match_value("Island", BOOTH_TYPE_VALUES)
    ('city', 'island')
    """
    key = _key(value)
    for canonical, aliases in vocabulary.items():
        if key == _key(canonical) or key in {_key(a) for a in aliases}:
            return canonical
    return None


# A trailing + asks for a booth type or one with more open sides: corner+, 코너+.
OR_BETTER = "+"


def match_booth_type(value: str) -> tuple[str, bool] | None:
    """Return the booth type a cell means and whether it asks for that type or better, or None.

    Examples
    --------
    >>> match_booth_type("Corner+"), match_booth_type("코너 +"), match_booth_type("독립")
    (('corner', True), ('corner', True), ('island', False))
    >>> match_booth_type("+") is None
    True
    """
    text = unicodedata.normalize("NFKC", value).strip()
    base = text.removesuffix(OR_BETTER).rstrip()
    or_better = base != text
    if or_better and not base:
        return None
    booth_type = match_value(base, BOOTH_TYPE_VALUES)
    if booth_type is None:
        return None
    # "any" takes every number of sides already, and no booth has more than an island's four.
    return booth_type, or_better and booth_type not in ("any", "island")
