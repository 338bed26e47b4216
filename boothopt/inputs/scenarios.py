"""Write forecast events for Seoul Smart Life Week: an event file and its exhibitor table.

Planners compare venue layouts for editions that have not been sold yet, so they need exhibitor
lists of the right size and mix before any application arrives. Each preset in
:data:`SCENARIOS` rests on the organizer's published plan (see ``DESIGN.md``) and the figures in
``VENUE_FACTS.md``; everything else — names, sizes, dates, sponsors, partners — is drawn from
``random.Random(seed)``, so one name and seed always give byte-identical files.

The exhibitors are invented. City names are real (with their Korean exonyms); company and
institution names are made from word lists, plus a few names that stress exports (an apostrophe,
an ampersand, accents, an emoji, a comma and quotes). Show dates of future editions are
estimates; they only anchor the application dates.

Sizes follow the rented floor, measured on the default booth grid: raw space is only drawn in
sizes some block of the grid holds (blocks are two modules deep, so at most 20 modules in COEX
A and C, 18 in B2 and at Jamsil), and requests are cut — largest raw space first — until they
and the reserved areas take at most 88 % of the rented cells.

The scale scenarios of :data:`SCALE_SCENARIOS` (``scale-100`` to ``scale-3200``) measure how the
solver grows: the same mix of exhibitors at 100 to 3,200 exhibitors, each on a venue generated
to fit (one level of column-free halls, one hall per 400 exhibitors), written next to the event
as ``venue.yaml``.

Examples
--------
>>> sorted(SCENARIOS)
['jamsil-2031', 'smartlife-2024', 'year2', 'year3']
>>> SCENARIOS["smartlife-2024"].exhibitor_count
262
>>> list(SCALE_SCENARIOS)[:2], SCALE_SCENARIOS["scale-3200"].halls[-1]
(['scale-100', 'scale-200'], '1H')
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import functools
import heapq
import io
import math
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from boothopt.errors import InputError
from boothopt.floorplan import AisleScheme, Hall, Venue, build_grid, load_venue, parse_venue
from boothopt.floorplan.rules import check_grid
from boothopt.inputs.columns import COLUMNS
from boothopt.inputs.domain import BoothType, Exhibitor, Kind, booth_shapes_in, forms_booth_type
from boothopt.outputs.files import write_atomic

# One feature band of 6-deep blocks per hall, along its entrances:
# room for the stage, the forum theatre and the raw-space stands no 2-deep block holds.
SCHEME = AisleScheme(feature_bands=1, feature_depth_modules=6)
AISLES = {
    "feature_bands": SCHEME.feature_bands,
    "feature_depth_modules": SCHEME.feature_depth_modules,
}

__all__ = [
    "CSV_COLUMNS",
    "SCALE_SCENARIOS",
    "SCALE_SIZES",
    "SCENARIOS",
    "GeneratedScenario",
    "ReservedSpec",
    "ScenarioSpec",
    "Theme",
    "generate_scenario",
    "scale_venue",
    "scenario_names",
    "write_scenario",
]

# Every column but the booth pin: a forecast fixes no booth before the draw.
CSV_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.name != "booth")
MODULE_M = 3
# Requests are cut until they take at most this share of the rented cells (after the reserved
# areas): whole-module booths never tile a floor perfectly, and zones must stay contiguous.
FILL_TARGET = 0.88
# A contiguous zone larger than this share of one hall's free cells leaves the solver no room.
ZONE_FILL_LIMIT = 0.85
# Raw-space sizes (modules) that shows sell; only those a block of the grid can hold are used.
RAW_SPACE_SIZES = (4, 6, 8, 9, 10, 12, 15, 16, 18, 20, 24, 30, 36)
ANCHOR_MIN_MODULES = 12  # 108 m², the "100 m² and more" stands of the big exhibitors
RAW_SPACE_SHARE = 0.10
HEAVY_LOADS_T_M2 = (1.5, 2.0, 2.5, 3.0, 4.0)
STAND_HEIGHTS_M = (4.0, 4.5, 5.0)


# --- the presets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """A product theme of the companies, with its own zone or a preferred hall.

    ``weight`` is the theme's share of the companies; when the weights of a preset add up to its
    number of companies they are exact counts (the 2024 social-tech group of 41 firms).
    """

    category: str
    name_en: str
    name_ko: str
    weight: int
    zone: bool = False
    hall: str | None = None  # the zone's hall, or the preferred hall of a theme without a zone


@dataclass(frozen=True)
class ReservedSpec:
    """Floor the event keeps for itself; sizes are whole 3 m modules."""

    id: str
    kind: str
    name_ko: str
    name_en: str
    size_m: tuple[int, int]
    hall: str

    @property
    def modules(self) -> int:
        """Return the modules the area covers."""
        return math.ceil(self.size_m[0] / MODULE_M) * math.ceil(self.size_m[1] / MODULE_M)


@dataclass(frozen=True)
class ScenarioSpec:
    """One forecast edition: where, which halls, and how many exhibitors of each kind."""

    name: str
    title_en: str
    title_ko: str
    venue: str
    halls: tuple[str, ...]
    show_date: dt.date  # the first show day; estimated for future editions
    visitors: int
    cities: int
    city_countries: int
    domestic_companies: int
    foreign_companies: int
    institutions: int
    government: int
    sponsors: tuple[int, int, int]  # platinum (the host city among them), gold, silver
    themes: tuple[Theme, ...]
    reserved: tuple[ReservedSpec, ...]
    city_zone_hall: str | None = None
    overseas_pavilion: int = 0  # foreign cities shown together in their own pavilion
    country_pavilions: int = 0  # pavilions of the countries with the most foreign companies
    # Set when the venue is generated to fit (the scale scenarios): ``venue`` is then the
    # generated venue's id, and the venue file is written next to the event under this name.
    venue_file: str | None = None
    show_days: int = 3  # every edition so far ran three days

    @property
    def companies(self) -> int:
        """Return the number of companies, domestic and foreign."""
        return self.domestic_companies + self.foreign_companies

    @property
    def exhibitor_count(self) -> int:
        """Return the number of exhibitors of every kind."""
        return self.cities + self.companies + self.institutions + self.government


def _reserved_areas(
    stages: tuple[tuple[str, str, str, str, tuple[int, int], str], ...], halls: tuple[str, ...]
) -> tuple[ReservedSpec, ...]:
    """Return the stages given plus one lounge and one information desk in each hall."""
    out = [ReservedSpec(*s) for s in stages]
    for i, hall in enumerate(halls, start=1):
        out.append(ReservedSpec(f"lounge-{i}", "lounge", "비즈니스 라운지", "Business Lounge",
                                (9, 6), hall))  # fmt: skip
        out.append(
            ReservedSpec(f"info-{i}", "info", "안내데스크", "Information Desk", (6, 3), hall)
        )
    return tuple(out)


_AWARDS = ("awards-stage", "stage", "시상식 무대", "Awards Ceremony Stage", (18, 12))
_FORUM = ("forum-theatre", "theatre", "포럼장", "Forum Theatre", (15, 12))
_ROBOT = ("robot-show", "stage", "AI 로봇쇼 무대", "AI Robot Show Stage", (12, 9))
_MEDIA = ("media-centre", "other", "프레스센터", "Media Centre", (9, 6))

# The 2024 show: a showroom of twelve themed areas in Hall B2 (49 firms) and the Business Hall in
# Hall C (98: socially-vulnerable-tech 41, innovation, tourism, mobility, institutions).
_THEMES_2024 = (
    Theme("social-tech", "Social Tech Zone", "약자동행기술존", 41, zone=True, hall="C"),
    Theme("innovation", "Innovation Zone", "혁신기술존", 20, zone=True),
    Theme("mobility", "Mobility Zone", "모빌리티존", 12, zone=True),
    Theme("tourism", "Smart Tourism Zone", "스마트관광존", 12, zone=True),
    Theme("smart-home", "Smart Home", "스마트홈", 5, hall="B2"),
    Theme("ai-robot", "AI & Robots", "AI·로봇", 4, hall="B2"),
    Theme("health-care", "Health Care", "헬스케어", 4, hall="B2"),
    Theme("fintech", "Fintech", "핀테크", 4, hall="B2"),
    Theme("edu-tech", "Edu Tech", "에듀테크", 4, hall="B2"),
    Theme("energy", "Smart Energy", "스마트에너지", 4, hall="B2"),
    Theme("safety", "Urban Safety", "도시안전", 4, hall="B2"),
    Theme("content", "Digital Content", "디지털콘텐츠", 4, hall="B2"),
    Theme("iot", "IoT", "사물인터넷", 4, hall="B2"),
    Theme("environment", "Climate & Environment", "기후환경", 4, hall="B2"),
    Theme("drone", "Drones & UAM", "드론·UAM", 4, hall="B2"),
    Theme("data", "Data & Cloud", "데이터·클라우드", 4, hall="B2"),
)
_THEMES_GROWTH = (
    Theme("startup", "Startup Zone", "스타트업존", 15, zone=True),
    Theme("social-tech", "Social Tech Zone", "약자동행기술존", 12, zone=True),
    Theme("ai-robot", "AI Robot Zone", "AI 로봇존", 12, zone=True),
    Theme("mobility", "Mobility Zone", "모빌리티존", 10, zone=True),
    Theme("tourism", "Smart Tourism Zone", "스마트관광존", 6, zone=True),
    Theme("innovation", "Innovation", "혁신기술", 6),
    Theme("smart-home", "Smart Home", "스마트홈", 6),
    Theme("health-care", "Health Care", "헬스케어", 7),
    Theme("fintech", "Fintech", "핀테크", 5),
    Theme("edu-tech", "Edu Tech", "에듀테크", 4),
    Theme("energy", "Smart Energy", "스마트에너지", 6),
    Theme("safety", "Urban Safety", "도시안전", 5),
    Theme("content", "Digital Content", "디지털콘텐츠", 4),
    Theme("iot", "IoT", "사물인터넷", 4),
    Theme("environment", "Climate & Environment", "기후환경", 3),
    Theme("drone", "Drones & UAM", "드론·UAM", 3),
    Theme("data", "Data & Cloud", "데이터·클라우드", 5),
)

_JAMSIL_HALLS = ("1A", "1B", "1C", "1D", "2A", "2B", "2C", "2D")

SCENARIOS: dict[str, ScenarioSpec] = {
    s.name: s
    for s in (
        ScenarioSpec(
            name="smartlife-2024",
            title_en="Seoul Smart Life Week 2024",
            title_ko="2024 서울 스마트라이프 위크",
            venue="coex",
            halls=("B2", "C"),
            show_date=dt.date(2024, 10, 10),
            visitors=30_000,
            cities=115,
            city_countries=72,
            domestic_companies=128,
            foreign_companies=6,
            institutions=10,
            government=3,
            sponsors=(3, 8, 12),
            themes=_THEMES_2024,
            # The 2024 plan: both stages, one lounge and one desk, all in the Business Hall.
            reserved=_reserved_areas(((*_AWARDS, "C"), (*_FORUM, "C")), ("C",)),
            city_zone_hall="C",
            overseas_pavilion=7,
        ),
        ScenarioSpec(
            name="year2",
            title_en="Seoul Smart Life Week — year 2 (forecast)",
            title_ko="서울 스마트라이프 위크 2년차 (예측)",
            venue="coex",
            halls=("A", "C"),
            show_date=dt.date(2025, 9, 30),
            visitors=25_000,
            cities=200,
            city_countries=85,
            domestic_companies=300,
            foreign_companies=50,
            institutions=15,
            government=4,
            sponsors=(4, 12, 20),
            themes=_THEMES_GROWTH,
            reserved=_reserved_areas(((*_AWARDS, "C"), (*_FORUM, "C")), ("C", "A")),
            city_zone_hall="C",
            overseas_pavilion=20,
            country_pavilions=1,
        ),
        ScenarioSpec(
            name="year3",
            title_en="Seoul Smart Life Week — year 3 (forecast)",
            title_ko="서울 스마트라이프 위크 3년차 (예측)",
            venue="coex",
            halls=("A", "B", "C", "D"),
            show_date=dt.date(2026, 10, 1),
            visitors=30_000,
            cities=300,
            city_countries=100,
            domestic_companies=500,
            foreign_companies=100,
            institutions=30,
            government=6,
            sponsors=(5, 18, 30),
            themes=_THEMES_GROWTH,
            reserved=_reserved_areas(
                ((*_AWARDS, "C"), (*_FORUM, "D"), (*_ROBOT, "A")), ("C", "A", "B", "D")
            ),
            city_zone_hall="C",
            overseas_pavilion=60,
            country_pavilions=2,
        ),
        ScenarioSpec(
            name="jamsil-2031",
            title_en="Seoul Smart Life Week 2031 at Jamsil (forecast)",
            title_ko="2031 서울 스마트라이프 위크 잠실 (예측)",
            venue="jamsil-mice",
            halls=_JAMSIL_HALLS,
            show_date=dt.date(2031, 10, 1),
            visitors=100_000,
            cities=500,
            city_countries=110,
            domestic_companies=1300,
            foreign_companies=250,
            institutions=60,
            government=8,
            sponsors=(8, 30, 60),
            themes=_THEMES_GROWTH,
            reserved=_reserved_areas(
                (
                    (*_AWARDS, "2A"),
                    (*_FORUM, "2B"),
                    (*_ROBOT, "1A"),
                    (*_MEDIA, "2A"),
                ),
                _JAMSIL_HALLS,
            ),
            # 500 cities do not fit one hall: the foreign ones get a pavilion of their own.
            overseas_pavilion=200,
            country_pavilions=4,
        ),
    )
}


# --- names ------------------------------------------------------------------------------------

# Real cities with their Korean exonyms (국립국어원 spelling) and ISO 3166 country codes. The
# first city of each country is the one taken when a scenario needs that country once.
WORLD_CITIES: tuple[tuple[str, str, str], ...] = (
    ("Seoul", "서울", "KR"), ("Busan", "부산", "KR"), ("Incheon", "인천", "KR"),
    ("Daegu", "대구", "KR"), ("Daejeon", "대전", "KR"), ("Gwangju", "광주", "KR"),
    ("Ulsan", "울산", "KR"), ("Sejong", "세종", "KR"), ("Suwon", "수원", "KR"),
    ("Jeju", "제주", "KR"), ("Changwon", "창원", "KR"), ("Goyang", "고양", "KR"),
    ("Seongnam", "성남", "KR"), ("Yongin", "용인", "KR"), ("Hwaseong", "화성", "KR"),
    ("Bucheon", "부천", "KR"), ("Ansan", "안산", "KR"), ("Anyang", "안양", "KR"),
    ("Namyangju", "남양주", "KR"), ("Pyeongtaek", "평택", "KR"), ("Siheung", "시흥", "KR"),
    ("Paju", "파주", "KR"), ("Gimpo", "김포", "KR"), ("Uijeongbu", "의정부", "KR"),
    ("Gwangmyeong", "광명", "KR"), ("Hanam", "하남", "KR"), ("Osan", "오산", "KR"),
    ("Icheon", "이천", "KR"), ("Gunpo", "군포", "KR"), ("Gwacheon", "과천", "KR"),
    ("Cheongju", "청주", "KR"), ("Cheonan", "천안", "KR"), ("Jeonju", "전주", "KR"),
    ("Pohang", "포항", "KR"), ("Gimhae", "김해", "KR"), ("Gumi", "구미", "KR"),
    ("Gangneung", "강릉", "KR"), ("Wonju", "원주", "KR"), ("Chuncheon", "춘천", "KR"),
    ("Mokpo", "목포", "KR"), ("Yeosu", "여수", "KR"), ("Suncheon", "순천", "KR"),
    ("Gyeongju", "경주", "KR"), ("Andong", "안동", "KR"), ("Jinju", "진주", "KR"),
    ("Iksan", "익산", "KR"), ("Gunsan", "군산", "KR"), ("Asan", "아산", "KR"),
    ("Sokcho", "속초", "KR"),
    ("Tokyo", "도쿄", "JP"), ("Osaka", "오사카", "JP"), ("Yokohama", "요코하마", "JP"),
    ("Fukuoka", "후쿠오카", "JP"), ("Kyoto", "교토", "JP"), ("Nagoya", "나고야", "JP"),
    ("Sapporo", "삿포로", "JP"), ("Kobe", "고베", "JP"), ("Sendai", "센다이", "JP"),
    ("Beijing", "베이징", "CN"), ("Shanghai", "상하이", "CN"), ("Shenzhen", "선전", "CN"),
    ("Hangzhou", "항저우", "CN"), ("Guangzhou", "광저우", "CN"), ("Chengdu", "청두", "CN"),
    ("Wuhan", "우한", "CN"), ("Qingdao", "칭다오", "CN"), ("Suzhou", "쑤저우", "CN"),
    ("Taipei", "타이베이", "TW"), ("Kaohsiung", "가오슝", "TW"), ("Taichung", "타이중", "TW"),
    ("Hong Kong", "홍콩", "HK"), ("Ulaanbaatar", "울란바토르", "MN"),
    ("Hanoi", "하노이", "VN"), ("Ho Chi Minh City", "호찌민", "VN"), ("Da Nang", "다낭", "VN"),
    ("Hai Phong", "하이퐁", "VN"),
    ("Bangkok", "방콕", "TH"), ("Chiang Mai", "치앙마이", "TH"), ("Phuket", "푸껫", "TH"),
    ("Manila", "마닐라", "PH"), ("Quezon City", "케손시티", "PH"), ("Cebu", "세부", "PH"),
    ("Davao", "다바오", "PH"),
    ("Jakarta", "자카르타", "ID"), ("Bandung", "반둥", "ID"), ("Surabaya", "수라바야", "ID"),
    ("Makassar", "마카사르", "ID"),
    ("Kuala Lumpur", "쿠알라룸푸르", "MY"), ("George Town", "조지타운", "MY"),
    ("Johor Bahru", "조호르바루", "MY"),
    ("Singapore", "싱가포르", "SG"), ("Phnom Penh", "프놈펜", "KH"),
    ("Vientiane", "비엔티안", "LA"), ("Yangon", "양곤", "MM"),
    ("Bandar Seri Begawan", "반다르스리브가완", "BN"),
    ("New Delhi", "뉴델리", "IN"), ("Mumbai", "뭄바이", "IN"), ("Bengaluru", "벵갈루루", "IN"),
    ("Pune", "푸네", "IN"), ("Hyderabad", "하이데라바드", "IN"), ("Chennai", "첸나이", "IN"),
    ("Lahore", "라호르", "PK"), ("Islamabad", "이슬라마바드", "PK"), ("Dhaka", "다카", "BD"),
    ("Colombo", "콜롬보", "LK"), ("Kathmandu", "카트만두", "NP"), ("Thimphu", "팀푸", "BT"),
    ("Malé", "말레", "MV"),
    ("Almaty", "알마티", "KZ"), ("Astana", "아스타나", "KZ"), ("Shymkent", "심켄트", "KZ"),
    ("Tashkent", "타슈켄트", "UZ"), ("Samarkand", "사마르칸트", "UZ"),
    ("Bukhara", "부하라", "UZ"),
    ("Bishkek", "비슈케크", "KG"), ("Dushanbe", "두샨베", "TJ"), ("Ashgabat", "아시가바트", "TM"),
    ("Baku", "바쿠", "AZ"), ("Tbilisi", "트빌리시", "GE"), ("Yerevan", "예레반", "AM"),
    ("Istanbul", "이스탄불", "TR"), ("Ankara", "앙카라", "TR"), ("Izmir", "이즈미르", "TR"),
    ("Dubai", "두바이", "AE"), ("Abu Dhabi", "아부다비", "AE"), ("Sharjah", "샤르자", "AE"),
    ("Riyadh", "리야드", "SA"), ("Jeddah", "제다", "SA"), ("Doha", "도하", "QA"),
    ("Kuwait City", "쿠웨이트시티", "KW"), ("Manama", "마나마", "BH"),
    ("Muscat", "무스카트", "OM"), ("Amman", "암만", "JO"), ("Tel Aviv", "텔아비브", "IL"),
    ("Cairo", "카이로", "EG"), ("Alexandria", "알렉산드리아", "EG"),
    ("Casablanca", "카사블랑카", "MA"), ("Rabat", "라바트", "MA"), ("Tunis", "튀니스", "TN"),
    ("Algiers", "알제", "DZ"), ("Nairobi", "나이로비", "KE"), ("Mombasa", "몸바사", "KE"),
    ("Addis Ababa", "아디스아바바", "ET"), ("Kigali", "키갈리", "RW"),
    ("Dar es Salaam", "다르에스살람", "TZ"), ("Kampala", "캄팔라", "UG"),
    ("Accra", "아크라", "GH"), ("Lagos", "라고스", "NG"), ("Abuja", "아부자", "NG"),
    ("Dakar", "다카르", "SN"), ("Abidjan", "아비장", "CI"), ("Maputo", "마푸투", "MZ"),
    ("Cape Town", "케이프타운", "ZA"), ("Johannesburg", "요하네스버그", "ZA"),
    ("Durban", "더반", "ZA"),
    ("London", "런던", "GB"), ("Manchester", "맨체스터", "GB"), ("Edinburgh", "에든버러", "GB"),
    ("Bristol", "브리스틀", "GB"), ("Glasgow", "글래스고", "GB"),
    ("Dublin", "더블린", "IE"), ("Cork", "코크", "IE"),
    ("Paris", "파리", "FR"), ("Lyon", "리옹", "FR"), ("Nice", "니스", "FR"),
    ("Bordeaux", "보르도", "FR"), ("Toulouse", "툴루즈", "FR"),
    ("Barcelona", "바르셀로나", "ES"), ("Madrid", "마드리드", "ES"), ("Bilbao", "빌바오", "ES"),
    ("Valencia", "발렌시아", "ES"), ("Málaga", "말라가", "ES"),
    ("Lisbon", "리스본", "PT"), ("Porto", "포르투", "PT"),
    ("Milan", "밀라노", "IT"), ("Rome", "로마", "IT"), ("Turin", "토리노", "IT"),
    ("Bologna", "볼로냐", "IT"), ("Florence", "피렌체", "IT"),
    ("Berlin", "베를린", "DE"), ("Hamburg", "함부르크", "DE"), ("Munich", "뮌헨", "DE"),
    ("Frankfurt", "프랑크푸르트", "DE"), ("Cologne", "쾰른", "DE"),
    ("Amsterdam", "암스테르담", "NL"), ("Rotterdam", "로테르담", "NL"),
    ("Eindhoven", "에인트호번", "NL"), ("Utrecht", "위트레흐트", "NL"),
    ("Brussels", "브뤼셀", "BE"), ("Ghent", "헨트", "BE"), ("Antwerp", "안트베르펜", "BE"),
    ("Luxembourg", "룩셈부르크", "LU"), ("Zurich", "취리히", "CH"), ("Geneva", "제네바", "CH"),
    ("Basel", "바젤", "CH"), ("Vienna", "빈", "AT"), ("Graz", "그라츠", "AT"),
    ("Copenhagen", "코펜하겐", "DK"), ("Aarhus", "오르후스", "DK"),
    ("Stockholm", "스톡홀름", "SE"), ("Gothenburg", "예테보리", "SE"), ("Malmö", "말뫼", "SE"),
    ("Oslo", "오슬로", "NO"), ("Bergen", "베르겐", "NO"),
    ("Helsinki", "헬싱키", "FI"), ("Espoo", "에스포", "FI"), ("Tampere", "탐페레", "FI"),
    ("Oulu", "오울루", "FI"), ("Reykjavík", "레이캬비크", "IS"),
    ("Tallinn", "탈린", "EE"), ("Riga", "리가", "LV"), ("Vilnius", "빌뉴스", "LT"),
    ("Warsaw", "바르샤바", "PL"), ("Kraków", "크라쿠프", "PL"), ("Gdańsk", "그단스크", "PL"),
    ("Prague", "프라하", "CZ"), ("Brno", "브르노", "CZ"), ("Bratislava", "브라티슬라바", "SK"),
    ("Budapest", "부다페스트", "HU"), ("Ljubljana", "류블랴나", "SI"),
    ("Zagreb", "자그레브", "HR"), ("Belgrade", "베오그라드", "RS"),
    ("Sarajevo", "사라예보", "BA"), ("Tirana", "티라나", "AL"), ("Skopje", "스코페", "MK"),
    ("Sofia", "소피아", "BG"), ("Bucharest", "부쿠레슈티", "RO"),
    ("Chișinău", "키시너우", "MD"), ("Kyiv", "키이우", "UA"),
    ("Athens", "아테네", "GR"), ("Thessaloniki", "테살로니키", "GR"),
    ("Nicosia", "니코시아", "CY"), ("Valletta", "발레타", "MT"),
    ("New York", "뉴욕", "US"), ("San Francisco", "샌프란시스코", "US"),
    ("Los Angeles", "로스앤젤레스", "US"), ("Boston", "보스턴", "US"),
    ("Seattle", "시애틀", "US"), ("Chicago", "시카고", "US"), ("Austin", "오스틴", "US"),
    ("Pittsburgh", "피츠버그", "US"),
    ("Toronto", "토론토", "CA"), ("Montréal", "몬트리올", "CA"), ("Vancouver", "밴쿠버", "CA"),
    ("Ottawa", "오타와", "CA"),
    ("Mexico City", "멕시코시티", "MX"), ("Guadalajara", "과달라하라", "MX"),
    ("Monterrey", "몬테레이", "MX"), ("Guatemala City", "과테말라시티", "GT"),
    ("San José", "산호세", "CR"), ("Panama City", "파나마시티", "PA"),
    ("Bogotá", "보고타", "CO"), ("Medellín", "메데인", "CO"), ("Quito", "키토", "EC"),
    ("Lima", "리마", "PE"), ("Santiago", "산티아고", "CL"), ("Valparaíso", "발파라이소", "CL"),
    ("Buenos Aires", "부에노스아이레스", "AR"), ("Córdoba", "코르도바", "AR"),
    ("Montevideo", "몬테비데오", "UY"), ("Asunción", "아순시온", "PY"),
    ("La Paz", "라파스", "BO"),
    ("São Paulo", "상파울루", "BR"), ("Rio de Janeiro", "리우데자네이루", "BR"),
    ("Curitiba", "쿠리치바", "BR"), ("Brasília", "브라질리아", "BR"),
    ("Santo Domingo", "산토도밍고", "DO"), ("Kingston", "킹스턴", "JM"),
    ("Sydney", "시드니", "AU"), ("Melbourne", "멜버른", "AU"), ("Brisbane", "브리즈번", "AU"),
    ("Adelaide", "애들레이드", "AU"),
    ("Auckland", "오클랜드", "NZ"), ("Wellington", "웰링턴", "NZ"), ("Suva", "수바", "FJ"),
    ("Port Moresby", "포트모르즈비", "PG"),
)  # fmt: skip

# Seoul's 25 autonomous districts exhibit on their own at smart-city shows.
SEOUL_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("Jongno-gu", "종로구"), ("Jung-gu", "중구"), ("Yongsan-gu", "용산구"),
    ("Seongdong-gu", "성동구"), ("Gwangjin-gu", "광진구"), ("Dongdaemun-gu", "동대문구"),
    ("Jungnang-gu", "중랑구"), ("Seongbuk-gu", "성북구"), ("Gangbuk-gu", "강북구"),
    ("Dobong-gu", "도봉구"), ("Nowon-gu", "노원구"), ("Eunpyeong-gu", "은평구"),
    ("Seodaemun-gu", "서대문구"), ("Mapo-gu", "마포구"), ("Yangcheon-gu", "양천구"),
    ("Gangseo-gu", "강서구"), ("Guro-gu", "구로구"), ("Geumcheon-gu", "금천구"),
    ("Yeongdeungpo-gu", "영등포구"), ("Dongjak-gu", "동작구"), ("Gwanak-gu", "관악구"),
    ("Seocho-gu", "서초구"), ("Gangnam-gu", "강남구"), ("Songpa-gu", "송파구"),
    ("Gangdong-gu", "강동구"),
)  # fmt: skip

# Countries that send companies abroad most, with a weight and their pavilion names.
FOREIGN_COMPANY_COUNTRIES: tuple[tuple[str, int, str, str], ...] = (
    ("US", 10, "United States", "미국"), ("JP", 9, "Japan", "일본"), ("CN", 8, "China", "중국"),
    ("DE", 6, "Germany", "독일"), ("FR", 5, "France", "프랑스"),
    ("SG", 5, "Singapore", "싱가포르"), ("GB", 4, "United Kingdom", "영국"),
    ("NL", 3, "Netherlands", "네덜란드"), ("FI", 3, "Finland", "핀란드"),
    ("VN", 3, "Vietnam", "베트남"), ("TW", 3, "Taiwan", "대만"), ("IN", 3, "India", "인도"),
    ("AE", 3, "United Arab Emirates", "아랍에미리트"), ("IL", 3, "Israel", "이스라엘"),
    ("CA", 2, "Canada", "캐나다"), ("AU", 2, "Australia", "호주"), ("ES", 2, "Spain", "스페인"),
    ("SE", 2, "Sweden", "스웨덴"), ("EE", 2, "Estonia", "에스토니아"),
    ("CH", 2, "Switzerland", "스위스"),
)  # fmt: skip
_LEGAL_FORM = {"US": "Inc.", "DE": "GmbH", "FR": "SAS", "NL": "B.V.", "GB": "Ltd", "SE": "AB",
               "FI": "Oy", "CH": "AG", "JP": "K.K."}  # fmt: skip

_KO_WORDS: tuple[tuple[str, str], ...] = (
    ("Hanbit", "한빛"), ("Saeron", "새론"), ("Nuri", "누리"), ("Daon", "다온"),
    ("Haneul", "하늘"), ("Purun", "푸른"), ("Gaon", "가온"), ("Arum", "아름"),
    ("Dasom", "다솜"), ("Yeoul", "여울"), ("Haru", "하루"), ("Sol", "솔"), ("Barun", "바른"),
    ("Ieum", "이음"), ("Nanum", "나눔"), ("Doum", "도움"), ("Saebit", "새빛"),
    ("Hanul", "한울"), ("Seum", "세움"), ("Bom", "봄"), ("Maru", "마루"), ("Ollim", "올림"),
    ("Mirae", "미래"), ("Gureum", "구름"), ("Bada", "바다"), ("Byeol", "별"), ("Dal", "달"),
    ("Onnuri", "온누리"), ("Chorok", "초록"), ("Saebyeok", "새벽"), ("Hwarang", "화랑"),
    ("Geumbit", "금빛"), ("Eunha", "은하"), ("Sarang", "사랑"), ("Jinri", "진리"),
    ("Narae", "나래"), ("Boram", "보람"), ("Hansol", "한솔"), ("Yeon", "연"), ("Sori", "소리"),
)  # fmt: skip
_MIDDLE_WORDS: tuple[tuple[str, str], ...] = (
    ("Smart", "스마트"), ("Digital", "디지털"), ("Global", "글로벌"), ("Next", "넥스트"),
    ("Green", "그린"), ("Urban", "어반"), ("Future", "퓨처"), ("One", "원"),
)  # fmt: skip
_FOREIGN_WORDS: tuple[tuple[str, str], ...] = (
    ("Nova", "노바"), ("Helix", "헬릭스"), ("Orbit", "오빗"), ("Vertex", "버텍스"),
    ("Lumen", "루멘"), ("Apex", "에이펙스"), ("Zenith", "제니스"), ("Quanta", "퀀타"),
    ("Stratos", "스트라토스"), ("Atlas", "아틀라스"), ("Boreal", "보리얼"),
    ("Cobalt", "코발트"), ("Kestrel", "케스트럴"), ("Meridian", "메리디언"),
    ("Polaris", "폴라리스"), ("Tessera", "테세라"), ("Vela", "벨라"), ("Aurora", "오로라"),
    ("Fjord", "피오르"), ("Sakura", "사쿠라"), ("Lotus", "로터스"), ("Cedar", "시더"),
)  # fmt: skip
_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "mobility": (("Mobility", "모빌리티"), ("Motors", "모터스"), ("Drive", "드라이브")),
    "social-tech": (("Care", "케어"), ("Together", "투게더"), ("Able", "에이블"),
                    ("Hands", "핸즈")),
    "tourism": (("Travel", "트래블"), ("Tour", "투어"), ("Trip", "트립"), ("Stay", "스테이")),
    "innovation": (("Labs", "랩스"), ("Tech", "테크"), ("Innovation", "이노베이션")),
    "startup": (("Labs", "랩스"), ("Studio", "스튜디오"), ("Ventures", "벤처스"),
                ("Works", "웍스")),
    "ai-robot": (("AI", "에이아이"), ("Robotics", "로보틱스"), ("Intelligence", "인텔리전스"),
                 ("Bot", "봇")),
    "smart-home": (("Home", "홈"), ("Living", "리빙"), ("Space", "스페이스")),
    "health-care": (("Health", "헬스"), ("Medical", "메디컬"), ("Bio", "바이오")),
    "fintech": (("Pay", "페이"), ("Fintech", "핀테크"), ("Finance", "파이낸스")),
    "edu-tech": (("Edu", "에듀"), ("Learning", "러닝"), ("Class", "클래스")),
    "energy": (("Energy", "에너지"), ("Power", "파워"), ("Solar", "솔라")),
    "safety": (("Safety", "세이프티"), ("Security", "시큐리티"), ("Guard", "가드")),
    "content": (("Media", "미디어"), ("Contents", "콘텐츠"), ("Pictures", "픽처스")),
    "iot": (("Networks", "네트웍스"), ("Sensor", "센서"), ("Link", "링크")),
    "environment": (("Eco", "에코"), ("Clean", "클린"), ("Climate", "클라이밋")),
    "drone": (("Drone", "드론"), ("Aero", "에어로"), ("Air", "에어")),
    "data": (("Data", "데이터"), ("Cloud", "클라우드"), ("Soft", "소프트")),
}  # fmt: skip
_GENERIC_SUFFIXES = (("Tech", "테크"), ("Solutions", "솔루션즈"), ("Systems", "시스템즈"))

# Names that break careless exports: an apostrophe and ampersand, an accent and a Greek letter,
# an emoji, a comma with quotes (CSV quoting), and the enclosed "㈜" that NFKC turns into "(주)".
STRESS_NAMES: tuple[tuple[str, str], ...] = (
    ("O'Neill & Park Robotics", "오닐앤박 로보틱스"),
    ("Café Ω Labs", "카페 오메가 랩스"),
    ("Smile 😊 Care", "스마일😊케어"),
    ('Nuri "Sky" Systems, Inc.', '누리 "스카이" 시스템즈'),
    ("Hanbit R&D Mobility Co., Ltd.", "㈜한빛알앤디모빌리티"),
)

_INSTITUTE_FIELDS: tuple[tuple[str, str], ...] = (
    ("Smart City", "스마트도시"), ("Digital Inclusion", "디지털포용"),
    ("Mobility", "모빌리티"), ("Urban Safety", "도시안전"),
    ("Energy Transition", "에너지전환"), ("AI Ethics", "인공지능윤리"),
    ("Tourism Culture", "관광문화"), ("Robot Industry", "로봇산업"),
    ("Data Policy", "데이터정책"), ("Aging Society", "고령사회"),
    ("Climate Tech", "기후기술"), ("Digital Health", "디지털헬스"),
)  # fmt: skip
GOVERNMENT_BODIES: tuple[tuple[str, str], ...] = (
    ("Ministry of Science and ICT", "과학기술정보통신부"),
    ("Ministry of Land, Infrastructure and Transport", "국토교통부"),
    ("Ministry of the Interior and Safety", "행정안전부"),
    ("Ministry of SMEs and Startups", "중소벤처기업부"),
    ("Ministry of Trade, Industry and Energy", "산업통상자원부"),
    ("Ministry of Health and Welfare", "보건복지부"),
    ("Ministry of Culture, Sports and Tourism", "문화체육관광부"),
    ("Ministry of Environment", "환경부"),
)


def slug(text: str) -> str:
    """Return a lowercase ASCII id part: accents dropped, anything else a hyphen.

    Examples
    --------
    >>> slug("São Paulo"), slug("Gangnam-gu"), slug("Chișinău")
    ('sao-paulo', 'gangnam-gu', 'chisinau')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --- scale scenarios -------------------------------------------------------------------------

SCALE_SIZES: tuple[int, ...] = (100, 200, 400, 800, 1600, 3200)
EXHIBITORS_PER_HALL = 400  # one generated hall per this many exhibitors (or part of it)
SCALE_VENUE_FILE = "venue.yaml"
# The generated floor is sized so that the 1–3 module booths of standard exhibitors average this
# many modules at the fill target. Sizing draws a mean of 1.1–1.5 to fill what is left; aiming
# low in that range fills the floor to about 85–88 % for any seed (a mean from 1.35 on leaves room,
# as cities never take 3 modules). Raw space is cut only for some seeds of the smallest
# scenarios, where a few large stands sway the total.
SCALE_STANDARD_MEAN = 1.2
SCALE_PROBE_EXHIBITORS = 1600  # the demand is estimated from this many exhibitors drawn
SCALE_HALL_DEPTH_M = (36, 72)  # a lone small hall is about twice as wide as deep; else Jamsil's
_SCALE_STAGES = (_AWARDS, _FORUM, _ROBOT, _MEDIA)
_SCALE_STAGES_FROM = (0, 200, 800, 1600)  # exhibitors from which each stage is reserved


def _scale_spec(n: int) -> ScenarioSpec:
    """Return the scale scenario of ``n`` exhibitors: the mix of the growth presets.

    A quarter are cities, 3 % institutions, a ministry per 400 exhibitors (at most the eight
    listed), the rest companies, one in six foreign, in the themes of ``year2`` to
    ``jamsil-2031``. Sponsors, stages and zones grow with ``n`` as they do from one preset to
    the next, and zones no denser than in the presets (100 to 150 usable cells or more per
    contiguous zone): the small floors get the Smart City Seoul Zone and only the largest themed
    zones, the overseas pavilion from 200 exhibitors and country pavilions from 400.
    """
    halls = tuple(f"1{chr(ord('A') + i)}" for i in range(math.ceil(n / EXHIBITORS_PER_HALL)))
    cities = round(0.25 * n)
    institutions = max(2, round(0.03 * n))
    government = min(len(GOVERNMENT_BODIES), max(1, round(n / 400)))
    companies = n - cities - institutions - government
    foreign = round(companies / 6)
    stages = [
        (*stage, halls[k % len(halls)])
        for k, (stage, start) in enumerate(zip(_SCALE_STAGES, _SCALE_STAGES_FROM, strict=True))
        if n >= start
    ]
    return ScenarioSpec(
        name=f"scale-{n}",
        title_en=f"Seoul Smart Life Week — scale test, {n:,} exhibitors",
        title_ko=f"서울 스마트라이프 위크 규모 시험 (참가 {n:,}곳)",
        venue=f"scale-{n}",
        halls=halls,
        show_date=dt.date(2031, 10, 1),
        visitors=50 * n,
        cities=cities,
        city_countries=min(110, round(0.6 * cities)),
        domestic_companies=companies - foreign,
        foreign_companies=foreign,
        institutions=institutions,
        government=government,
        sponsors=(max(2, round(n / 300)), max(4, round(n / 65)), max(6, round(n / 35))),
        themes=_scale_themes(n // 100),
        reserved=_reserved_areas(tuple(stages), halls),
        overseas_pavilion=round(cities * min(0.4, 0.1 * len(halls))) if n >= 200 else 0,
        country_pavilions=min(4, len(halls)) if n >= 400 else 0,
        venue_file=SCALE_VENUE_FILE,
    )


def _scale_themes(zones: int) -> tuple[Theme, ...]:
    """Return the growth presets' themes with only the first ``zones`` zoned themes zoned.

    Examples
    --------
    >>> [t.category for t in _scale_themes(2) if t.zone]
    ['startup', 'social-tech']
    """
    zoned = [t.category for t in _THEMES_GROWTH if t.zone][:zones]
    return tuple(
        t if not t.zone or t.category in zoned else dataclasses.replace(t, zone=False)
        for t in _THEMES_GROWTH
    )


SCALE_SCENARIOS: dict[str, ScenarioSpec] = {
    s.name: s for s in (_scale_spec(n) for n in SCALE_SIZES)
}


def scenario_names() -> list[str]:
    """Return every name :func:`write_scenario` accepts: the presets, then the scale scenarios.

    Examples
    --------
    >>> scenario_names()[:4], scenario_names()[-1]
    (['jamsil-2031', 'smartlife-2024', 'year2', 'year3'], 'scale-3200')
    """
    return sorted(SCENARIOS) + list(SCALE_SCENARIOS)


def scale_venue(name: str) -> dict[str, Any]:
    """Return the venue file's mapping of a scale scenario: one row of halls sized to fit.

    The mapping has a ``generate: kind: hall-row`` block (see
    :mod:`boothopt.floorplan.parametric`), like the built-in ``jamsil-mice``. The halls are
    sized once per scenario, from what its exhibitors ask with seeds 0, 1, ... (as many draws
    as make :data:`SCALE_PROBE_EXHIBITORS` exhibitors): wide enough that the requests plus the
    reserved areas take :data:`FILL_TARGET` of the usable cells when standard booths average
    :data:`SCALE_STANDARD_MEAN` modules. Every seed gets the same venue.

    Raises
    ------
    InputError
        When ``name`` is not a scale scenario.
    """
    if name not in SCALE_SCENARIOS:
        raise InputError(f"no scale scenario {name!r} — use one of {', '.join(SCALE_SCENARIOS)}")
    return copy.deepcopy(_sized_venue(name))


@functools.cache
def _sized_venue(name: str) -> dict[str, Any]:
    """Return the venue mapping :func:`scale_venue` describes, sized once per process."""
    spec = SCALE_SCENARIOS[name]
    n_halls = len(spec.halls)
    # What the exhibitors ask, drawn on a provisional floor of Jamsil-sized halls.
    provisional = parse_venue(_scale_venue_raw(spec, 132, SCALE_HALL_DEPTH_M[1]), name)
    facts = {h: _facts_of(provisional.hall(h)) for h in spec.halls}
    # Averaged over a few seeds where a handful of large stands sway the total.
    seeds = range(max(1, SCALE_PROBE_EXHIBITORS // spec.exhibitor_count))
    drawn = [_Generator(spec, seed, facts).demand() for seed in seeds]
    fixed = sum(f for f, _ in drawn) / len(drawn)
    small = sum(s for _, s in drawn) / len(drawn)
    reserved = sum(a.modules for a in spec.reserved)
    per_hall = (fixed + SCALE_STANDARD_MEAN * small + reserved) / FILL_TARGET / n_halls
    shallow, deep = SCALE_HALL_DEPTH_M
    depth = min(deep, max(shallow, 12 * round(math.sqrt(MODULE_M**2 * per_hall) / 12)))

    def cells(modules_wide: int) -> int:
        one = dataclasses.replace(spec, halls=spec.halls[:1])
        raw = _scale_venue_raw(one, MODULE_M * modules_wide, depth)
        return build_grid(parse_venue(raw, name).hall(spec.halls[0]), SCHEME).n_cells

    # The narrowest hall, in whole modules, that holds its share (cells grow with the width),
    # or the one a module narrower when that comes closer.
    lo, hi = 1, max(2, math.ceil(2 * per_hall * MODULE_M / depth))
    while cells(hi) < per_hall:
        lo, hi = hi, 2 * hi
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if cells(mid) >= per_hall else (mid + 1, hi)
    if lo > 1 and per_hall - cells(lo - 1) < cells(lo) - per_hall:
        lo -= 1
    # The doors of the south wall: as many entrances (with exits between them) as keep every
    # cell within the fire rules' walk of a way out, under the event's own aisle scheme.
    usual = 2 if depth < SCALE_HALL_DEPTH_M[1] else 3
    for entrances in (usual, usual + 1, usual + 2):
        raw = _scale_venue_raw(spec, MODULE_M * lo, depth, entrances)
        venue = parse_venue(raw, name)
        if not any(check_grid(build_grid(venue.hall(h), SCHEME)) for h in spec.halls):
            break
    return raw


def _scale_venue_raw(
    spec: ScenarioSpec, width: int, depth: int, entrances: int | None = None
) -> dict[str, Any]:
    """Return the venue mapping of ``spec``'s halls, each ``width`` x ``depth`` metres."""
    n_halls = len(spec.halls)
    if entrances is None:
        entrances = 2 if depth < SCALE_HALL_DEPTH_M[1] else 3
    n = spec.exhibitor_count
    return {
        "schema": "boothopt.venue/1",
        "id": spec.venue,
        "name": f"Scale test hall row for {n:,} exhibitors (generated)",
        "name_ko": f"규모 시험 전시장 (참가 {n:,}곳, 생성)",
        "units": "m",
        "note": (
            f"Generated by boothopt for scenario {spec.name}: {n_halls} column-free "
            f"hall{'s' if n_halls > 1 else ''} of {width} m x {depth} m on one level, sized so "
            f"that requests and reserved areas take about {FILL_TARGET:.0%} of the usable cells."
        ),
        # A placeholder on the earth (the Jamsil site), for exports that need one.
        "anchor": {
            "lon": 127.073,
            "lat": 37.515,
            "bearing_deg": 0.0,
            "origin": [n_halls * width / 2, depth / 2],
        },
        "parameters": {"exhibitors": n, "exhibitors_per_hall": EXHIBITORS_PER_HALL},
        "generate": {
            "kind": "hall-row",
            "exhibition_m2": n_halls * width * depth,
            "estimated": True,
            "levels": [
                {
                    "level": "L1",
                    "prefix": "1",
                    "note": "generated to fit the scale scenario",
                    "halls": n_halls,
                    "depth_m": depth,
                    "gap_m": 0,
                    "column_spacing_m": 0,
                    "floor_load_t_m2": 3.0,
                    "ceiling_height_m": 12,
                    "entrances_per_hall": entrances,
                    "exit_spacing_m": 30,
                }
            ],
        },
        "halls": [],
    }


# --- the floor --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HallFacts:
    cells: int
    footprints: tuple[tuple[int, int], ...]  # full blocks as (modules along x, along y)
    blocks: tuple[tuple[bool, int, int], ...]  # full blocks as (rows along x, along, deep)
    floor_load_t_m2: float
    ceiling_m: float


@functools.cache
def _hall_facts(venue_name: str, hall_id: str) -> _HallFacts:
    """Return what sizing needs from a hall's default booth grid (built once per process)."""
    return _facts_of(_venue(venue_name).hall(hall_id))


def _facts_of(hall: Hall) -> _HallFacts:
    """Return what sizing needs from a hall's default booth grid."""
    grid = build_grid(hall, SCHEME)
    full = [b for b in grid.blocks if len(b.cells) == b.n_along * b.n_deep]
    footprints = {(b.n_along, b.n_deep) if b.axis == "x" else (b.n_deep, b.n_along) for b in full}
    return _HallFacts(
        cells=grid.n_cells,
        footprints=tuple(sorted(footprints)),
        blocks=tuple(sorted({(b.axis == "x", b.n_along, b.n_deep) for b in full})),
        floor_load_t_m2=hall.floor_load_t_m2.value if hall.floor_load_t_m2 else 0.0,
        ceiling_m=hall.ceiling_height_m.value if hall.ceiling_height_m else 0.0,
    )


@functools.cache
def _venue(name: str) -> Venue:
    """Return a built-in venue, or the generated venue of a scale scenario."""
    if name in SCALE_SCENARIOS:
        return parse_venue(_sized_venue(name), f"{name} (generated)")
    return load_venue(name)


def _fits(shape: tuple[int, int], footprints: tuple[tuple[int, int], ...]) -> bool:
    """Return True when a booth of this exact orientation fits inside some full block."""
    return any(shape[0] <= w and shape[1] <= d for w, d in footprints)


def _shapes(modules: int, footprints: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Return the shapes of ``modules`` that fit a block in some orientation, widest first.

    Raw space is at least two modules deep and at most five times as long as deep, as sold.
    """
    out = []
    for b in range(2, math.isqrt(modules) + 1):
        a, rest = divmod(modules, b)
        if rest == 0 and a <= 5 * b and (_fits((a, b), footprints) or _fits((b, a), footprints)):
            out.append((a, b))
    return sorted(out, reverse=True)


@functools.cache
def _forms(
    booth_type: BoothType,
    modules: int,
    shape: tuple[int, int] | None,
    rotatable: bool,
    blocks: tuple[tuple[bool, int, int], ...],
) -> bool:
    """Return True when a stand can be a booth of this type in one of the (empty) ``blocks``.

    The stand takes the shapes the solver offers it, so the event reader finds the type too.

    Examples
    --------
    >>> rows_and_band = ((True, 10, 2), (True, 10, 6))
    >>> _forms(BoothType.PENINSULA, 12, (6, 2), False, rows_and_band)  # spans a row
    True
    >>> _forms(BoothType.PENINSULA, 9, None, True, rows_and_band)  # 3x3 spans neither
    False
    >>> _forms(BoothType.ISLAND, 36, (6, 6), False, rows_and_band)  # fills the band's depth
    True
    """
    e = Exhibitor(
        "", "", "", Kind.COMPANY, "", "", modules, "", shape, rotatable, booth_type=booth_type
    )
    rows = SCHEME.kind == "rows"
    return any(
        forms_booth_type(e, booth_shapes_in(e, x, along, deep), along, deep, rows)
        for x, along, deep in blocks
    )


# --- generation -------------------------------------------------------------------------------


@dataclass
class _Row:
    """One exhibitor while it is being drawn; becomes one CSV row."""

    id: str
    name_ko: str
    name_en: str
    kind: str
    country: str
    category: str
    modules: int = 1
    shape: tuple[int, int] | None = None
    rotatable: bool | None = None
    booth_type: str = "any"
    tier: str = "standard"
    priority_points: int = 0
    applied_on: dt.date | None = None
    zone: str = ""  # as written; blank lets the zone rules decide
    member_of: str = ""  # the zone it ends up in, written or by rule
    halls: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)
    avoid: list[tuple[str, int]] = field(default_factory=list)
    power_kw: float = 0.0
    load_t_m2: float = 0.0
    height_m: float = 0.0
    anchor: bool = False  # keeps 12+ modules when requests are cut to fit the floor

    def cells(self) -> dict[str, str]:
        """Return the row as CSV cells in :data:`CSV_COLUMNS` order."""
        values = {
            "id": self.id,
            "name_ko": self.name_ko,
            "name_en": self.name_en,
            "kind": self.kind,
            "country": self.country,
            "category": self.category,
            "modules": str(self.modules),
            "area_m2": "",
            "shape": f"{self.shape[0]}x{self.shape[1]}" if self.shape else "",
            "rotatable": "" if self.rotatable is None else ("yes" if self.rotatable else "no"),
            "booth_type": self.booth_type,
            "tier": self.tier,
            "priority_points": str(self.priority_points),
            "applied_on": self.applied_on.isoformat() if self.applied_on else "",
            "zone": self.zone,
            "halls": ";".join(self.halls),
            "near": ";".join(self.near),
            "avoid": ";".join(f"{i}:{d}" for i, d in self.avoid),
            "power_kw": _num(self.power_kw),
            "load_t_m2": _num(self.load_t_m2),
            "height_m": _num(self.height_m),
        }
        return {c: values[c] for c in CSV_COLUMNS}


def _num(value: float) -> str:
    return f"{value:g}" if value else ""


@dataclass(frozen=True)
class GeneratedScenario:
    """A drawn scenario: the event mapping, the exhibitor rows and how they fill the floor."""

    spec: ScenarioSpec
    seed: int
    event: dict[str, Any]
    rows: tuple[dict[str, str], ...]
    capacity_modules: int  # cells of the rented halls under the default aisle scheme
    reserved_modules: int
    requested_modules: int
    venue: dict[str, Any] | None = None  # the generated venue's mapping (scale scenarios)

    def event_yaml(self) -> str:
        """Return the event file's text."""
        header = (
            f"# Forecast scenario {self.spec.name!r}, seed {self.seed}: invented exhibitors, "
            "written by boothopt.\n"
            f"# {self.requested_modules} modules requested + {self.reserved_modules} reserved "
            f"of {self.capacity_modules} cells in halls {', '.join(self.spec.halls)}.\n"
        )
        body = yaml.safe_dump(
            self.event, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
        )
        return header + body

    def exhibitors_csv(self) -> str:
        """Return the exhibitor table's text: a header row, then one row per exhibitor."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue()

    def venue_yaml(self) -> str | None:
        """Return the generated venue file's text, or None when the venue is a built-in one."""
        if self.venue is None:
            return None
        header = (
            f"# Venue of scenario {self.spec.name!r}, generated by boothopt to fit it (the same "
            "for every seed).\n"
            f"# {self.capacity_modules} usable cells in halls {', '.join(self.spec.halls)} "
            "under the event's aisle scheme.\n"
        )
        body = yaml.safe_dump(self.venue, allow_unicode=True, sort_keys=False, width=100)
        return header + body


def write_scenario(name: str, seed: int, out_dir: Path) -> list[Path]:
    """Write ``event.yaml`` and ``exhibitors.csv`` of a scenario into ``out_dir``.

    A scale scenario also writes its generated venue, ``venue.yaml``, which the event names.
    The same name and seed give byte-identical files.

    Raises
    ------
    InputError
        When the name is not a scenario (the message lists them all), or a scenario's requests
        cannot be cut to fit its halls.
    """
    scenario = generate_scenario(name, seed)
    out_dir = Path(out_dir)
    paths = [
        write_atomic(out_dir / "event.yaml", scenario.event_yaml()),
        write_atomic(out_dir / "exhibitors.csv", scenario.exhibitors_csv()),
    ]
    venue_text = scenario.venue_yaml()
    if venue_text is not None and scenario.spec.venue_file:
        paths.append(write_atomic(out_dir / scenario.spec.venue_file, venue_text))
    return paths


def generate_scenario(name: str, seed: int) -> GeneratedScenario:
    """Draw a scenario's exhibitors for ``seed`` and size them to fit its halls.

    Raises
    ------
    InputError
        When the name is not a scenario, or its requests cannot be cut to fit its halls.
    """
    spec = SCENARIOS.get(name) or SCALE_SCENARIOS.get(name)
    if spec is None:
        raise InputError(f"unknown scenario {name!r} — use one of {', '.join(scenario_names())}")
    return _Generator(spec, seed).run()


class _Generator:
    """Draw one scenario; every random choice goes through one ``random.Random(seed)``."""

    def __init__(
        self, spec: ScenarioSpec, seed: int, facts: dict[str, _HallFacts] | None = None
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.rng = random.Random(seed)
        self.facts = facts or {h: _hall_facts(spec.venue, h) for h in spec.halls}
        self.footprints = tuple(sorted({f for h in self.facts.values() for f in h.footprints}))
        self.blocks = tuple(sorted({b for h in self.facts.values() for b in h.blocks}))
        self.raw_sizes = [s for s in RAW_SPACE_SIZES if _shapes(s, self.footprints)]
        if not self.raw_sizes:
            raise InputError(
                f"scenario {spec.name}: no block of halls {', '.join(spec.halls)} holds a "
                f"{RAW_SPACE_SIZES[0]}-module stand — check the venue's booth grid"
            )
        anchors = [s for s in self.raw_sizes if s >= ANCHOR_MIN_MODULES]
        self.anchor_sizes = anchors or self.raw_sizes[-1:]
        self.used_names: set[str] = set()
        self.zone_hall: dict[str, str | None] = {}

    def run(self) -> GeneratedScenario:
        """Return the drawn scenario."""
        cities, companies, others, zones = self._exhibitors()
        rows = cities + companies + others
        reserved = sum(r.modules for r in self.spec.reserved)
        capacity = sum(f.cells for f in self.facts.values())
        budget = math.floor(FILL_TARGET * capacity) - reserved
        self._sizes(rows, budget)
        self._fit_floor(rows, budget)
        self._check_zones(rows)
        self._shapes_and_types(rows)
        self._preferred_halls(rows)
        self._partners(cities, companies)
        self._competitors(companies)
        self._needs(rows)
        return GeneratedScenario(
            spec=self.spec,
            seed=self.seed,
            event=self._event(zones),
            rows=tuple(r.cells() for r in rows),
            capacity_modules=capacity,
            reserved_modules=reserved,
            requested_modules=sum(r.modules for r in rows),
            venue=_sized_venue(self.spec.name) if self.spec.name in SCALE_SCENARIOS else None,
        )

    def demand(self) -> tuple[int, int]:
        """Return what the exhibitors ask before the floor limits them.

        Returns
        -------
        tuple of int
            The modules of sponsors and raw space, and the number of standard exhibitors left
            to the 1–3 module booths whose mean size follows the floor.
        """
        cities, companies, others, _ = self._exhibitors()
        return self._sizes(cities + companies + others, budget=0)

    def _exhibitors(
        self,
    ) -> tuple[list[_Row], list[_Row], list[_Row], list[dict[str, Any]]]:
        """Return cities, companies and the others, and the zones, with tiers, points, dates."""
        cities = self._cities()
        companies = self._companies()
        others = self._institutions() + self._government()
        zones = self._zones(cities, companies)
        self._tiers(cities, companies, others)
        self._points_and_dates(cities + companies + others)
        return cities, companies, others, zones

    # -- who exhibits --

    def _cities(self) -> list[_Row]:
        """Return the cities: Seoul, one city per country, then more from those countries."""
        spec, rng = self.spec, self.rng
        first_of: dict[str, tuple[str, str, str]] = {}
        for city in WORLD_CITIES:
            first_of.setdefault(city[2], city)
        others = sorted(c for c in first_of if c != "KR")
        if spec.city_countries - 1 > len(others):
            raise InputError(
                f"scenario {spec.name}: {spec.city_countries} countries asked, the city list "
                f"has {len(others) + 1}"
            )
        countries = ["KR", *rng.sample(others, spec.city_countries - 1)]
        chosen = [first_of[c] for c in countries]
        picked = set(chosen)
        pool: list[tuple[str, str, str]] = [
            c for c in WORLD_CITIES if c[2] in countries and c not in picked
        ]
        pool += [(f"Seoul {en}", f"서울 {ko}", "KR") for en, ko in SEOUL_DISTRICTS]
        rng.shuffle(pool)
        chosen += pool[: max(0, spec.cities - len(chosen))]
        # Beyond the list, cities send further delegations (numbered) — still real places.
        k = 2
        while len(chosen) < spec.cities:
            for en, ko, cc in list(chosen[: spec.city_countries]):
                if len(chosen) >= spec.cities:
                    break
                chosen.append((f"{en} Delegation {k}", f"{ko} 대표단 {k}", cc))
            k += 1
        rows = [
            _Row(f"city-{slug(en)}", ko, en, "city", cc, "smart-city")
            for en, ko, cc in chosen[: spec.cities]
        ]
        for r in rows:
            r.member_of = "smart-city-seoul"
        foreign = [r for r in rows if r.country != "KR"]
        for r in rng.sample(foreign, min(spec.overseas_pavilion, len(foreign))):
            r.zone = r.member_of = "overseas-cities"
        return rows

    def _companies(self) -> list[_Row]:
        """Return the companies, domestic then foreign, each with a theme and a name."""
        spec, rng = self.spec, self.rng
        categories = _apportion([(t.category, t.weight) for t in spec.themes], spec.companies)
        rng.shuffle(categories)
        weights = [w for _, w, _, _ in FOREIGN_COMPANY_COUNTRIES]
        codes = [c for c, _, _, _ in FOREIGN_COMPANY_COUNTRIES]
        rows = []
        for i, category in enumerate(categories):
            domestic = i < spec.domestic_companies
            country = "KR" if domestic else rng.choices(codes, weights)[0]
            en, ko = self._company_name(category, country)
            rows.append(_Row(f"co-{i + 1:04d}", ko, en, "company", country, category))
        # Fixed positions so that every preset and seed carries the awkward names.
        for row, (en, ko) in zip(rows[1::7], STRESS_NAMES, strict=False):
            row.name_en, row.name_ko = en, ko
        return rows

    def _company_name(self, category: str, country: str) -> tuple[str, str]:
        """Return an unused (English, Korean) company name for a theme and country."""
        rng = self.rng
        suffixes = _SUFFIXES.get(category, _GENERIC_SUFFIXES)
        words = _KO_WORDS if country == "KR" else _FOREIGN_WORDS
        for attempt in range(60):
            w_en, w_ko = rng.choice(words)
            s_en, s_ko = rng.choice(suffixes)
            m_en, m_ko = rng.choice(_MIDDLE_WORDS) if attempt >= 20 else ("", "")
            en = " ".join(p for p in (w_en, m_en, s_en) if p)
            if country == "KR":
                ko = w_ko + m_ko + s_ko
            else:
                ko = " ".join(p for p in (w_ko, m_ko, s_ko) if p)
                en = f"{en} {_LEGAL_FORM[country]}" if country in _LEGAL_FORM else en
            if en not in self.used_names:
                self.used_names.add(en)
                return en, ko
        n = len(self.used_names)  # the word lists ran out: number the name, still unique
        self.used_names.add(f"{en} {n}")
        return f"{en} {n}", f"{ko} {n}"

    def _institutions(self) -> list[_Row]:
        """Return research institutes, universities and public agencies."""
        rng = self.rng
        rows = []
        for i in range(self.spec.institutions):
            for _ in range(30):  # redraw a name already taken; number it only as a last resort
                f_en, f_ko = rng.choice(_INSTITUTE_FIELDS)
                w_en, w_ko = rng.choice(_KO_WORDS)
                pattern = rng.randrange(3)
                if pattern == 0:
                    en, ko, cat = f"Korea {f_en} Institute", f"한국{f_ko}연구원", "research"
                elif pattern == 1:
                    en, ko = f"{w_en} University {f_en} Center", f"{w_ko}대학교 {f_ko}센터"
                    cat = "education"
                else:
                    en, ko = f"{w_en} {f_en} Agency", f"{w_ko}{f_ko}진흥원"
                    cat = "public-service"
                if en not in self.used_names:
                    break
            else:
                en, ko = f"{en} {i + 1}", f"{ko} {i + 1}"
            self.used_names.add(en)
            rows.append(_Row(f"inst-{i + 1:03d}", ko, en, "institution", "KR", cat))
        return rows

    def _government(self) -> list[_Row]:
        """Return the ministries taking part, numbered when more are asked than listed."""
        rows = []
        for i in range(self.spec.government):
            en, ko = GOVERNMENT_BODIES[i % len(GOVERNMENT_BODIES)]
            if i >= len(GOVERNMENT_BODIES):
                n = i // len(GOVERNMENT_BODIES) + 1
                en, ko = f"{en} Pavilion {n}", f"{ko} {n}관"
            rows.append(_Row(f"gov-{i + 1:02d}", ko, en, "government", "KR", "government"))
        return rows

    # -- zones --

    def _zones(self, cities: list[_Row], companies: list[_Row]) -> list[dict[str, Any]]:
        """Return the zones of the event file and mark each member's zone."""
        spec, rng = self.spec, self.rng
        zones: list[dict[str, Any]] = [
            _zone("smart-city-seoul", "스마트도시 서울존", "Smart City Seoul Zone",
                  {"kinds": ["city"], "categories": ["smart-city"], "ids": []},
                  spec.city_zone_hall),
        ]  # fmt: skip
        pavilion = sorted(r.id for r in cities if r.member_of == "overseas-cities")
        if pavilion:
            zones.append(
                _zone("overseas-cities", "해외도시관", "Overseas Cities Pavilion",
                      {"kinds": [], "categories": [], "ids": pavilion}, spec.city_zone_hall)
            )  # fmt: skip
        for theme in spec.themes:
            members = [r for r in companies if r.category == theme.category]
            if theme.zone:
                zones.append(
                    _zone(theme.category, theme.name_ko, theme.name_en,
                          {"kinds": [], "categories": [theme.category], "ids": []}, theme.hall)
                )  # fmt: skip
                for r in members:
                    r.member_of = theme.category
                    # Organizers' sheets name the zone for some rows and leave the rest to it.
                    r.zone = theme.category if rng.random() < 0.5 else ""
        foreign = Counter(r.country for r in companies if r.country != "KR")
        top = sorted(foreign.items(), key=lambda kv: (-kv[1], kv[0]))
        names = {c: (en, ko) for c, _, en, ko in FOREIGN_COMPANY_COUNTRIES}
        for code, count in top[: spec.country_pavilions]:
            if count < 4:
                break
            zone_id = f"pavilion-{code.lower()}"
            ids = sorted(r.id for r in companies if r.country == code)
            zones.append(
                _zone(zone_id, f"{names[code][1]}관", f"{names[code][0]} Pavilion",
                      {"kinds": [], "categories": [], "ids": ids}, None)
            )  # fmt: skip
            for r in companies:
                if r.country == code:
                    r.zone = r.member_of = zone_id
        self.zone_hall = {z["id"]: z.get("hall") for z in zones}
        return zones

    # -- tiers, points, dates --

    def _tiers(self, cities: list[_Row], companies: list[_Row], others: list[_Row]) -> None:
        """Give the host city and a handful of others platinum, more gold and silver."""
        rng = self.rng
        platinum, gold, silver = self.spec.sponsors
        host = cities[0]
        host.tier, host.anchor = "platinum", True
        domestic = [r for r in companies if r.country == "KR"]
        for r in rng.sample(domestic, platinum - 1):
            r.tier, r.anchor = "platinum", True
        free = [r for r in cities[1:] + companies + others if r.tier == "standard"]
        # Sponsors are mostly companies; a few cities and public bodies buy packages too.
        weights = [1 if r.kind == "city" else 4 for r in free]
        chosen = _weighted_sample(rng, free, weights, gold + silver)
        for i, r in enumerate(chosen):
            r.tier = "gold" if i < gold else "silver"

    def _points_and_dates(self, rows: list[_Row]) -> None:
        """Give priority points (sponsors and returning exhibitors higher) and application dates."""
        rng = self.rng
        end = self.spec.show_date - dt.timedelta(days=21)
        start = self.spec.show_date - dt.timedelta(days=183)
        span = (end - start).days
        for r in rows:
            if r.tier == "platinum":
                points, early = rng.randint(90, 100), 30
            elif r.tier == "gold":
                points, early = rng.randint(75, 92), 45
            elif r.tier == "silver":
                points, early = rng.randint(60, 80), 75
            else:
                editions = rng.choice((0, 0, 0, 1, 1, 2, 3))  # earlier shows attended
                points, early = 5 + 15 * editions + rng.randint(0, 15), span
            r.priority_points = min(points, 100)
            r.applied_on = start + dt.timedelta(days=rng.randint(0, early))
        rows[0].priority_points = 100  # the host city is first in line

    # -- sizes --

    def _sizes(self, rows: list[_Row], budget: int) -> tuple[int, int]:
        """Draw sizes: about a tenth raw space (the sponsors' anchors 12+), the rest 1–3 modules.

        The share of 2-module booths follows the floor: a plan as dense as year 2 (550
        exhibitors on about 1,000 modules) leaves room for little but single modules.

        Returns
        -------
        tuple of int
            The modules drawn before the small booths, and the number of small booths.
        """
        rng, raw = self.rng, self.raw_sizes
        mid = [s for s in raw if 6 <= s <= 16] or raw
        small = [s for s in raw if s <= 8] or raw[:1]
        for r in rows:
            if r.anchor:
                r.modules = raw[-1] if r is rows[0] else rng.choice(self.anchor_sizes)
            elif r.tier == "gold":
                r.modules = rng.choice(mid)
            elif r.tier == "silver":
                r.modules = rng.choice(small) if rng.random() < 0.5 else 2
        standard = [r for r in rows if r.tier == "standard"]
        short = round(RAW_SPACE_SHARE * len(rows)) - sum(r.modules >= raw[0] for r in rows)
        pool = [r for r in standard if r.kind != "city"]  # cities rarely buy raw space
        extras = rng.sample(pool, min(len(pool), max(0, short)))
        sizes = [s for s in raw if s <= ANCHOR_MIN_MODULES]
        weights = [6 if s <= 6 else 3 if s <= 10 else 1 for s in sizes]
        for r in extras:
            r.modules = rng.choices(sizes, weights)[0]
        taken = {id(r) for r in extras}
        rest = [r for r in standard if id(r) not in taken]
        fixed = sum(r.modules for r in rows if r.tier != "standard" or id(r) in taken)
        mean = min(1.5, max(1.1, (budget - fixed) / max(1, len(rest))))
        p3 = 0.05 if mean >= 1.35 else 0.0
        p2 = mean - 1 - 2 * p3
        for r in rest:
            x = rng.random()
            r.modules = 3 if x < p3 and r.kind != "city" else 2 if x < p3 + p2 else 1
        return fixed, len(rest)

    def _fit_floor(self, rows: list[_Row], budget: int) -> None:
        """Cut requests until they fit ``budget`` modules: the largest raw space first.

        Raw space steps down through the sizes sold (anchors keep 12+ modules); when that is not
        enough, 3- and 2-module requests of the lowest priority lose a module.
        """
        total = sum(r.modules for r in rows)
        raw = self.raw_sizes
        floor_of = {id(r): (self.anchor_sizes[0] if r.anchor else raw[0]) for r in rows}
        # Largest first; among equals the lowest priority, then the latest application.
        heap = [
            (-r.modules, r.priority_points, -_ordinal(r), i)
            for i, r in enumerate(rows)
            if r.modules > floor_of[id(r)] and r.modules >= raw[0]
        ]
        heapq.heapify(heap)
        while total > budget and heap:
            _, _, _, i = heapq.heappop(heap)
            r = rows[i]
            smaller = max(s for s in raw if s < r.modules)
            total -= r.modules - smaller
            r.modules = smaller
            if r.modules > floor_of[id(r)]:
                heapq.heappush(heap, (-r.modules, r.priority_points, -_ordinal(r), i))
        for size in (3, 2):
            if total <= budget:
                break
            for r in sorted(rows, key=lambda r: (r.priority_points, -_ordinal(r), r.id)):
                if total <= budget:
                    break
                if r.modules == size:
                    r.modules -= 1
                    total -= 1
        if total > budget:
            raise InputError(
                f"scenario {self.spec.name}: {len(rows)} exhibitors need at least {total} "
                f"modules but halls {', '.join(self.spec.halls)} hold {budget} after the "
                "reserved areas — rent more halls or plan fewer exhibitors"
            )

    def _check_zones(self, rows: list[_Row]) -> None:
        """Refuse a preset whose contiguous zones could not fit their halls."""
        demand = Counter[str]()
        for r in rows:
            if r.member_of:
                demand[r.member_of] += r.modules
        room = {
            h: f.cells - sum(a.modules for a in self.spec.reserved if a.hall == h)
            for h, f in self.facts.items()
        }
        # Zones pinned to one hall share it; a free zone needs room in one hall at least.
        load = Counter[str]()
        for zone_id, modules in sorted(demand.items()):
            hall = self.zone_hall.get(zone_id)
            if hall:
                load[hall] += modules
            elif modules > ZONE_FILL_LIMIT * max(room.values()):
                raise InputError(
                    f"scenario {self.spec.name}: zone {zone_id} asks {modules} modules, more "
                    f"than one hall holds ({max(room.values())} free cells) — split the zone"
                )
        for hall, modules in sorted(load.items()):
            if modules > ZONE_FILL_LIMIT * room[hall]:
                raise InputError(
                    f"scenario {self.spec.name}: the zones pinned to hall {hall} ask {modules} "
                    f"modules of its {room[hall]} free cells — pin fewer zones there"
                )

    def _shapes_and_types(self, rows: list[_Row]) -> None:
        """Give some raw-space stands a shape and some sponsors a type they can form; most any."""
        rng = self.rng
        for r in rows:
            if r.modules >= self.raw_sizes[0]:
                shapes = _shapes(r.modules, self.footprints)
                if shapes and rng.random() < 0.4:
                    a, b = rng.choice(shapes)
                    # Written in the orientation the blocks hold, so "no" never locks it out.
                    r.shape = (a, b) if _fits((a, b), self.footprints) else (b, a)
                    r.rotatable = rng.random() < 0.75
            if r.anchor:
                wanted = "island" if rng.random() < 0.6 else "peninsula"
            elif r.modules >= self.raw_sizes[0]:
                roll = rng.random()
                wanted = "peninsula" if roll < 0.15 else "corner" if roll < 0.35 else "any"
            elif rng.random() < (0.3 if r.tier != "standard" else 0.03):
                wanted = "corner"
            else:
                continue
            r.booth_type = self._type_formed(r, BoothType(wanted)).value

    def _type_formed(self, r: _Row, wanted: BoothType) -> BoothType:
        """Return ``wanted`` when the stand can form it, else the next premium type down it can.

        Types are exact: a peninsula or an island spans its block's depth, so a 3x3 stand in
        rows two modules deep asks for a corner instead, and one that forms no premium type
        (island, peninsula, corner) asks for any. A stand in a zone pinned to a hall is judged
        on that hall's blocks.
        """
        hall = self.zone_hall.get(r.member_of)
        blocks = self.facts[hall].blocks if hall else self.blocks
        rotatable = r.rotatable is not False  # blank is yes
        premium = (BoothType.ISLAND, BoothType.PENINSULA, BoothType.CORNER)
        for t in (t for t in premium if t.open_sides <= wanted.open_sides):
            if _forms(t, r.modules, r.shape, rotatable, blocks):
                return t
        return BoothType.ANY

    def _preferred_halls(self, rows: list[_Row]) -> None:
        """Give some exhibitors a preferred hall; zone members follow their zone instead."""
        rng, spec = self.rng, self.spec
        theme_hall = {t.category: t.hall for t in spec.themes if not t.zone and t.hall}
        for r in rows:
            if r.member_of or r.kind == "city":
                continue
            hall = theme_hall.get(r.category)
            if hall and rng.random() < 0.8:
                r.halls = [hall]
            elif len(spec.halls) > 1 and rng.random() < (0.5 if r.tier != "standard" else 0.15):
                r.halls = [rng.choice(spec.halls)]

    # -- pairs --

    def _partners(self, cities: list[_Row], companies: list[_Row]) -> None:
        """Group some cities with one to four of their own country's companies."""
        rng = self.rng
        with_companies = {r.country for r in companies}
        eligible = [c for c in cities if c.country in with_companies]
        for city in rng.sample(eligible, min(len(eligible), round(0.12 * len(cities)))):
            own = [r for r in companies if r.country == city.country and not r.near]
            if not own:
                continue
            group = rng.sample(own, min(len(own), rng.randint(1, 4)))
            for r in sorted(group, key=lambda r: r.id):
                r.near = [city.id]
                city.near.append(r.id)

    def _competitors(self, companies: list[_Row]) -> None:
        """Keep pairs of same-category companies apart, at 9 or 12 m, one way or both."""
        rng = self.rng
        by_category: dict[str, list[_Row]] = {}
        for r in companies:
            by_category.setdefault(r.category, []).append(r)
        categories = sorted(c for c, rs in by_category.items() if len(rs) >= 2)
        pairs: set[tuple[str, str]] = set()
        for _ in range(max(2, len(companies) // 20)):
            a, b = rng.sample(by_category[rng.choice(categories)], 2)
            key = (min(a.id, b.id), max(a.id, b.id))
            if key in pairs:
                continue
            pairs.add(key)
            distance = rng.choice((9, 12))
            a.avoid.append((b.id, distance))
            if rng.random() < 0.5:
                b.avoid.append((a.id, distance))
        for r in companies:
            r.avoid.sort()

    # -- needs --

    def _needs(self, rows: list[_Row]) -> None:
        """Give power to many, a floor load to a few (where a hall bears it), height to a few."""
        rng, spec = self.rng, self.spec
        for r in rows:
            if r.modules >= self.raw_sizes[0]:
                r.power_kw = rng.choice((5, 8, 10, 12, 15, 20)) if rng.random() < 0.9 else 0
            elif rng.random() < (0.3 if r.kind == "city" else 0.6):
                r.power_kw = rng.choice((1, 2, 3, 5))
        strong = max(f.floor_load_t_m2 for f in self.facts.values())
        loads = [x for x in HEAVY_LOADS_T_M2 if x <= strong]
        heavy_halls = [
            h for h in spec.halls if self.facts[h].floor_load_t_m2 >= HEAVY_LOADS_T_M2[0]
        ]
        # A heavy exhibit must not sit in a zone pinned to a hall whose floor cannot bear it.
        candidates = [
            r
            for r in rows
            if r.kind == "company"
            and r.modules >= self.raw_sizes[0]
            and self.zone_hall.get(r.member_of) in (None, *heavy_halls)
            and not r.load_t_m2
        ]
        if loads and candidates:
            for r in rng.sample(candidates, min(len(candidates), max(1, spec.companies // 100))):
                r.load_t_m2 = rng.choice(loads)
                bearing = [h for h in heavy_halls if self.facts[h].floor_load_t_m2 >= r.load_t_m2]
                if not self.zone_hall.get(r.member_of) and len(bearing) < len(spec.halls):
                    r.halls = bearing
        tall = [
            r
            for r in rows
            if r.modules >= self.raw_sizes[0]
            and all(self.facts[h].ceiling_m >= STAND_HEIGHTS_M[-1] + 1 for h in spec.halls)
        ]
        for r in rng.sample(tall, min(len(tall), max(1, len(rows) // 150))):
            r.height_m = rng.choice(STAND_HEIGHTS_M)

    # -- the event file --

    def _event(self, zones: list[dict[str, Any]]) -> dict[str, Any]:
        """Return the event file's mapping, keys in the schema's order."""
        spec = self.spec
        return {
            "schema": "boothopt.event/1",
            "name": spec.title_en,
            "name_ko": spec.title_ko,
            "venue": spec.venue_file or spec.venue,
            "halls": list(spec.halls),
            "aisles": dict(AISLES),
            "tiers": ["platinum", "gold", "silver", "standard"],
            "competitor_distance_m": 9,
            "zones": zones,
            "reserved": [
                {
                    "id": a.id,
                    "kind": a.kind,
                    "name_ko": a.name_ko,
                    "name_en": a.name_en,
                    "size_m": list(a.size_m),
                    "hall": a.hall,
                }
                for a in spec.reserved
            ],
            "exhibitors": ["exhibitors.csv"],
            "dates": {
                "start": spec.show_date,
                "end": spec.show_date + dt.timedelta(days=spec.show_days - 1),
            },
            "weights": {
                "location": 10,
                "preferred_hall": 5,
                "partners": 3,
                "booth_type": 2,
                "zone_compact": 1,
                "placed": 100,
            },
        }


def _zone(
    zone_id: str, name_ko: str, name_en: str, members: dict[str, list[str]], hall: str | None
) -> dict[str, Any]:
    """Return one zone of the event file; ``hall`` only when the zone is pinned to one."""
    zone: dict[str, Any] = {
        "id": zone_id,
        "name_ko": name_ko,
        "name_en": name_en,
        "members": members,
        "contiguous": True,
    }
    if hall:
        zone["hall"] = hall
    return zone


def _ordinal(r: _Row) -> int:
    return r.applied_on.toordinal() if r.applied_on else 0


def _apportion(weights: list[tuple[str, int]], total: int) -> list[str]:
    """Return ``total`` labels split by weight (largest remainders), in the order given.

    Examples
    --------
    >>> Counter(_apportion([("a", 2), ("b", 1)], 4))
    Counter({'a': 3, 'b': 1})
    """
    whole = sum(w for _, w in weights)
    shares = [(label, w * total / whole) for label, w in weights]
    counts = {label: math.floor(s) for label, s in shares}
    short = total - sum(counts.values())
    by_remainder = sorted(range(len(shares)), key=lambda i: -(shares[i][1] % 1))
    for i in by_remainder[:short]:
        counts[shares[i][0]] += 1
    return [label for label, _ in weights for _ in range(counts[label])]


def _weighted_sample(
    rng: random.Random, items: list[_Row], weights: list[int], k: int
) -> list[_Row]:
    """Return ``k`` distinct items drawn with the given weights (without replacement)."""
    # Efraimidis–Spirakis keys: one draw per item, then the k largest.
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in keyed[:k]]
