"""The offline floor map page: one file, no request, search, route along the aisles, hostile names.

The page is driven in Debian's headless Chromium, started by the test: a copy of the page gets a
small test script (allowed by its hash in the copy's Content-Security-Policy) that searches,
taps, pans, zooms, pinches and picks an entrance through the page's own controls, and writes what
it found into the DOM, which ``--dump-dom`` hands back.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx
import numpy as np
import pytest
import shapely
from fontTools.ttLib import TTFont
from PIL import Image
from shapely.geometry import LineString, Point, Polygon

from boothopt.contract import Assignment, Booth
from boothopt.inputs.event_file import load_event
from boothopt.outputs.assignment import build_assignment
from boothopt.outputs.fonts import PACKAGED_FALLBACK, PACKAGED_REGULAR, FontFile, charset
from boothopt.outputs.html_map import (
    BOOTH_FIELDS,
    booth_fronts,
    page_data,
    render_html,
    script_json,
    walk_graph,
)
from boothopt.outputs.plan_svg import CLEARANCES, plan_layout
from boothopt.solver.problem import build_problem
from boothopt.solver.solve import solve
from tests.chromium import chromium_available, run_chromium
from tests.outputs.assignments import content, edited

EXAMPLE = Path(__file__).parents[2] / "examples" / "smartlife-2024" / "event.yaml"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SCRIPT_PAYLOAD = "</script><script>window.__pwned=2</script>"
ZONE_PAYLOAD = '<svg onload="window.__pwned=3">'
TITLE_PAYLOAD = "Expo</title><script>window.__pwned=4</script>"
MAX_PAGE_BYTES = 2_000_000
# The fonts the page embeds (fonts.web_font_css): WOFF data, nothing fetched.
FONT_URL = re.compile(r'url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\) format\("woff"\)')
ROUTE_COLOUR = (0xD4, 0x00, 0x4F)

# Drives the page through its controls and writes what it saw into #test-findings.
TEST_SCRIPT = r"""
(function () {
  const P = JSON.parse(document.getElementById("test-params").textContent);
  const out = { errors: [] };
  const $ = (id) => document.getElementById(id);
  const svg = document.getElementById("plan-svg");
  const all = (selector) => [...document.querySelectorAll(selector)];
  const nos = (selector) => all(selector).map((e) => e.getAttribute("data-booth"));
  const texts = (selector) => all(selector).map((e) => e.textContent);
  const type = (q) => {
    $("search").value = q;
    $("search").dispatchEvent(new Event("input", { bubbles: true }));
    return nos("#results button");
  };
  const pick = (no) => {
    const b = all("#results button").find((x) => x.getAttribute("data-booth") === no);
    if (b) b.click();
    return !!b;
  };
  const route = () => {
    const r = $("route");
    return r && {
      d: r.getAttribute("d"), metres: Number(r.getAttribute("data-metres")),
      entrance: r.getAttribute("data-entrance"), booth: r.getAttribute("data-booth"),
    };
  };
  const box = () => svg.getAttribute("viewBox").split(" ").map(Number);
  const pointer = (target, kind, id, x, y) => target.dispatchEvent(new PointerEvent(kind, {
    pointerId: id, pointerType: "touch", isPrimary: id === 1, clientX: x, clientY: y,
    button: 0, buttons: kind === "pointerup" ? 0 : 1, bubbles: true, cancelable: true,
  }));
  try {
    out.lang0 = document.documentElement.lang;
    let t0 = performance.now();
    out.by_en = type(P.en);
    out.search_ms = performance.now() - t0;
    out.by_ko = type(P.ko);
    out.by_no = type(P.no_query);
    out.by_zone = type(P.zone_query);
    out.zone_count = $("count").textContent;
    type(P.en);
    const before = box();
    t0 = performance.now();
    out.picked = pick(P.booth);
    out.route_ms = performance.now() - t0;
    out.hits = nos("g.stand.hit");
    const hit = document.querySelector("g.stand.hit path.booth");
    if (hit) {
      const b = hit.getBBox();
      out.hit_centre = [b.x + b.width / 2, b.y + b.height / 2];
    }
    out.view_before = before;
    out.view_after = box();
    out.details = $("details").textContent;
    out.nearest_route = route();
    $("entrance").value = P.entrance;
    $("entrance").dispatchEvent(new Event("change", { bubbles: true }));
    out.route = route();
    out.walk_text = document.querySelector("#details .walk").textContent;
    $("lang").click();
    out.lang1 = document.documentElement.lang;
    out.placeholder1 = $("search").placeholder;
    out.heading1 = document.querySelector("#details h2").textContent;
    out.route_after_lang = route();
    $("lang").click();
    out.lang2 = document.documentElement.lang;
    out.heading2 = document.querySelector("#details h2").textContent;
    if (P.hostile) {
      out.hostile_results = type("onerror");
      pick(P.hostile);
      out.hostile_details = $("details").textContent;
      out.hostile_result_text = texts("#results button");
      out.legend = texts("#zones button");
      out.title_text = $("event-title").textContent;
    }
    // Wheel zoom, one-finger pan, two-finger pinch, and a tap on a booth.
    $("zoom-fit").click();
    const r = svg.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const v0 = box();
    const wheel = { deltaY: -400, clientX: cx, clientY: cy, bubbles: true, cancelable: true };
    svg.dispatchEvent(new WheelEvent("wheel", wheel));
    const v1 = box();
    pointer(svg, "pointerdown", 1, cx, cy);
    pointer(svg, "pointermove", 1, cx + 30, cy + 10);
    pointer(svg, "pointermove", 1, cx + 60, cy + 40);
    pointer(svg, "pointerup", 1, cx + 60, cy + 40);
    const v2 = box();
    pointer(svg, "pointerdown", 2, cx - 50, cy);
    pointer(svg, "pointerdown", 3, cx + 50, cy);
    pointer(svg, "pointermove", 3, cx + 150, cy);
    pointer(svg, "pointerup", 3, cx + 150, cy);
    pointer(svg, "pointerup", 2, cx - 50, cy);
    const v3 = box();
    out.gestures = { fit: v0, wheel: v1, pan: v2, pinch: v3, client_w: r.width };
    const stand = all("g.stand").find((g) => g.getAttribute("data-booth") === P.tap);
    const shape = stand.querySelector("path.booth");
    const sb = shape.getBoundingClientRect();
    pointer(shape, "pointerdown", 4, sb.left + sb.width / 2, sb.top + sb.height / 2);
    pointer(shape, "pointerup", 4, sb.left + sb.width / 2, sb.top + sb.height / 2);
    out.tapped = nos("g.stand.hit");
    out.tapped_heading = document.querySelector("#details h2").textContent;
    // A mouse over a booth shows its names; a zone in the legend lists and marks its booths.
    shape.dispatchEvent(new PointerEvent("pointermove", {
      pointerId: 9, pointerType: "mouse", clientX: sb.left + 1, clientY: sb.top + 1, bubbles: true,
    }));
    out.tip = $("tip").hidden ? null : $("tip").textContent;
    const legend = all("#zones button");
    legend[P.zone_index].click();
    out.zone_listed = nos("#results button");
    out.zone_marked = nos("g.stand.zone-hit");
  } catch (err) {
    out.errors.push(String(err && err.stack || err));
  }
  out.pwned = typeof window.__pwned;
  out.images = document.querySelectorAll("img, image, iframe, object, embed, link").length;
  out.scripts = [...document.scripts].map((s) => (s.id || "") + ":" + (s.type || ""));
  out.resources = performance.getEntriesByType("resource").map((e) => e.name);
  const pre = document.createElement("pre");
  pre.id = "test-findings";
  pre.textContent = encodeURIComponent(JSON.stringify(out));
  document.body.append(pre);
})();
"""


def allocate(path: Path) -> Assignment:
    """Return the assignment of the event at ``path`` by the fast greedy method."""
    event = load_event(path)
    problem = build_problem(event)
    return build_assignment(event, problem, solve(problem, method="greedy", time_limit=5))


def _box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def big_doc(n_booths: int = 2000) -> Assignment:
    """Return an assignment of ``n_booths`` booths with long names in four halls on two levels.

    Each hall is 150 m x 99 m with two entrances on its south wall, nine blocks of back-to-back
    rows cut by cross aisles, and columns standing in a cross aisle.
    """
    halls: list[dict[str, Any]] = []
    booths: list[dict[str, Any]] = []
    entrances: list[dict[str, Any]] = []
    blocked: list[dict[str, Any]] = []
    zones: list[dict[str, Any]] = [
        {
            "id": f"zone-{z}",
            "name_ko": f"스마트 혁신 산업 전시 구역 {z}",
            "name_en": f"Smart Innovation Industry Zone {z}",
            "area": [],
        }
        for z in range(8)
    ]
    tiers = ["platinum", "gold", "silver", "standard", "standard"]
    per_hall = -(-n_booths // 4)
    for hi, hid in enumerate("ABCD"):
        ox = hi % 2 * 200.0
        halls.append(
            {
                "id": hid,
                "level": "1F" if hi < 2 else "3F",
                "name": f"Hall {hid}",
                "name_ko": f"{hid}홀",
                "polygon": _box(ox, 0, ox + 150, 99),
            }
        )
        for k in (1, 2):
            at = [ox + 50.0 * k, 0.0]
            entrances.append({"id": f"{hid}-E{k}", "hall": hid, "at": at, "width_m": 6.0})
            blocked.append(
                {
                    "hall": hid,
                    "kind": "entrance-clearance",
                    "polygon": _box(at[0] - 4, 0, at[0] + 4, 4),
                }
            )
        for cx in (36.5, 69.5, 102.5):
            column = _box(ox + cx - 0.5, 51, ox + cx + 0.5, 52)
            blocked.append({"hall": hid, "kind": "column", "polygon": column})
        count = cycle = 0
        for j in range(9):
            y0 = 9.0 + 9 * j
            for i in range(4):
                x0 = ox + 5.0 + 33 * i
                zone = zones[(2 * j + i) % 8]
                zone["area"].append({"hall": hid, "polygon": _box(x0, y0, x0 + 30, y0 + 6)})
                for row in (0, 1):
                    x = x0
                    while x < x0 + 30 - 1e-9 and count < per_hall and len(booths) < n_booths:
                        modules = min((1, 1, 2)[cycle % 3], round((x0 + 30 - x) / 3))
                        cycle += 1
                        w = 3.0 * modules
                        n = len(booths) + 1
                        booths.append(
                            {
                                "booth_no": f"{hid}-{100 + count}",
                                "hall": hid,
                                "exhibitor_id": f"ex-{n}",
                                "name_ko": f"서울 스마트 혁신기술 주식회사 제{n}호",
                                "name_en": f"Seoul Smart Innovation Technologies Co., Ltd. No. {n}",
                                "tier": tiers[n % 5],
                                "booth_type": "inline",
                                "polygon": _box(x, y0 + 3 * row, x + w, y0 + 3 * row + 3),
                                "area_m2": w * 3,
                                "modules": modules,
                                "size_m": [w, 3.0],
                                "open_sides": 1,
                                "zone": zone["id"],
                                "entrance": None,
                                "entrance_walk_m": None,
                            }
                        )
                        count += 1
                        x += w
    return content(
        **{
            "event": "Big Expo 2026",
            "event_ko": "빅 엑스포 2026",
            "venue": "big",
            "module_m": 3.0,
            "anchor": None,
            "halls": halls,
            "blocked": blocked,
            "entrances": entrances,
            "zones": zones,
            "booths": booths,
            "reserved": [],
            "unplaced": [],
        }
    )


@pytest.fixture(scope="module")
def doc() -> Assignment:
    """The 2024 example (COEX halls B2 and C), allocated."""
    return allocate(EXAMPLE)


@pytest.fixture(scope="module")
def hostile_doc(doc: Assignment) -> Assignment:
    """The example with markup and script for an exhibitor's names, a zone's and the event's."""

    def poison(out: dict[str, Any]) -> None:
        victim = next(b for b in out["booths"] if b["hall"] == "B2")
        victim["name_ko"] = IMG_PAYLOAD
        victim["name_en"] = SCRIPT_PAYLOAD
        out["zones"][-1]["name_en"] = ZONE_PAYLOAD
        out["event"] = TITLE_PAYLOAD
        out["event_ko"] = ""

    return edited(doc, poison)


@pytest.fixture(scope="module")
def page(doc: Assignment) -> str:
    return render_html(doc)["floorplan.html"].decode("utf-8")


@pytest.fixture(scope="module")
def target(doc: Assignment) -> Booth:
    """The booth the browser test walks to: in hall C, farthest from its entrance."""
    return max(
        (b for b in doc.booths if b.hall == "C" and b.entrance and b.name_en),
        key=lambda b: b.entrance_walk_m or 0.0,
    )


def with_test_script(page: str, params: dict[str, Any]) -> str:
    """Return the page with the test script added and allowed by hash in its policy."""
    digest = base64.b64encode(hashlib.sha256(TEST_SCRIPT.encode("utf-8")).digest()).decode()
    page = page.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    extra = (
        f'<script type="application/json" id="test-params">{script_json(params)}</script>\n'
        f"<script>{TEST_SCRIPT}</script>\n"
    )
    return page.replace("</body>", extra + "</body>", 1)


def drive(page: str, params: dict[str, Any], folder: Path) -> tuple[dict[str, Any], str, str]:
    """Open the page with the test script; return the findings, the DOM and the console log."""
    chromium_available()
    path = folder / "page-under-test.html"
    path.write_text(with_test_script(page, params), encoding="utf-8")
    done = run_chromium(folder, "--virtual-time-budget=5000", "--dump-dom", path.as_uri())
    found = re.search(r'<pre id="test-findings">([^<]*)</pre>', done.stdout)
    assert found, f"no findings in the page; chromium said:\n{done.stderr[-3000:]}"
    findings: dict[str, Any] = json.loads(unquote(found.group(1)))
    assert findings["errors"] == [], findings["errors"]
    return findings, done.stdout, done.stderr


def console_errors(log: str) -> list[str]:
    """Return the page's console lines that report an error or a refused request."""
    return [
        line
        for line in log.splitlines()
        if "CONSOLE" in line and re.search(r"Uncaught|Refused|Error|blocked", line)
    ]


def params_for(doc: Assignment, target: Booth, hostile: str = "") -> dict[str, Any]:
    zone = next(z for z in doc.zones if any(b.zone == z.id for b in doc.booths))
    tap = next(b for b in doc.booths if b.booth_no != target.booth_no)
    return {
        "en": target.name_en,
        "ko": target.name_ko,
        "no_query": target.booth_no.replace("-", "").lower(),
        "zone_query": zone.name_ko,
        "zone": zone.id,
        "zone_index": doc.zones.index(zone),
        "booth": target.booth_no,
        "entrance": target.entrance,
        "tap": tap.booth_no,
        "hostile": hostile,
    }


@pytest.fixture(scope="module")
def browsed(
    hostile_doc: Assignment, target: Booth, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], str, str]:
    """What the test script found in the (hostile) example's page, its DOM and console log."""
    victim = next(b for b in hostile_doc.booths if b.name_ko == IMG_PAYLOAD)
    page = render_html(hostile_doc)["floorplan.html"].decode("utf-8")
    params = params_for(hostile_doc, target, victim.booth_no)
    return drive(page, params, tmp_path_factory.mktemp("browsed"))


def route_points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+),(-?[\d.]+)", d)]


# ---- the page as a file --------------------------------------------------------------------


def test_page_names_no_web_address_and_loads_nothing(page: str) -> None:
    """One file: nothing a browser would fetch, and a policy that forbids fetching anything
    (its fonts are in it, as data)."""
    bare = FONT_URL.sub("FONT", page)
    assert not re.search(r"https?://", bare, re.IGNORECASE)
    assert not re.search(r"\b(src|href|srcset|action|poster|data)\s*=", bare, re.IGNORECASE)
    assert not re.search(r"url\(|@import|<link|<img|<iframe|<object|<embed", bare, re.IGNORECASE)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy
    text = html.unescape(policy.group(1))
    rules = dict(rule.strip().split(" ", 1) for rule in text.split(";"))
    assert rules["default-src"] == "'none'"
    assert rules["connect-src"] == rules["img-src"] == "'none'"
    assert rules["font-src"] == "data:"
    assert "unsafe" not in text
    # The one inline script is allowed by its hash, and only it.
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert rules["script-src"] == f"'sha256-{digest}'"


def test_the_page_carries_the_korean_font_for_every_name(page: str, doc: Assignment) -> None:
    """On a machine without Korean fonts the page still draws every name: it embeds the font
    shipped with boothopt, cut to its letters (read back here with fontTools), and names it
    first for its text and for the plan."""
    faces = FONT_URL.findall(page)
    assert 1 <= len(faces) <= 2  # NanumGothic, and DejaVu Sans for letters it lacks
    covered: set[int] = set()
    for data in faces:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff"
        covered |= set(font.getBestCmap())
    texts = [b.name_ko + b.name_en for b in doc.booths]
    texts += [z.name_ko + z.name_en for z in doc.zones] + [doc.event_ko, "부스·업체·구역 검색"]
    wanted = {ord(ch) for ch in "".join(texts)}
    shipped = charset(FontFile(PACKAGED_REGULAR)) | charset(FontFile(PACKAGED_FALLBACK))
    assert sum(0xAC00 <= c <= 0xD7A3 for c in wanted) > 100  # Hangul syllables to draw
    assert not (wanted & shipped) - covered
    assert len(covered) < 1000  # a cut, not the whole font (NanumGothic has 11,000 glyphs)
    family = re.search(r'@font-face\{font-family:"([^"]+)"', page)
    assert family
    assert re.search(rf'body \{{[^}}]*font: 15px/1.4 "{family.group(1)}",', page)
    assert re.search(rf'#plan-svg \{{ font-family: "{family.group(1)}",', page)


def test_exhibitor_text_cannot_leave_the_data_block(hostile_doc: Assignment) -> None:
    """The JSON block holds every hostile name intact but no character that could end it."""
    page = render_html(hostile_doc)["floorplan.html"].decode("utf-8")
    block = re.search(r'<script type="application/json" id="boothopt-data">(.*?)</script>', page)
    assert block
    assert not re.search(r"[<>&\u2028\u2029]", block.group(1))
    data = json.loads(block.group(1))
    names = {n for b in data["booths"] for n in b[2:4]}
    assert {IMG_PAYLOAD, SCRIPT_PAYLOAD} <= names
    assert ZONE_PAYLOAD in {z["en"] for z in data["zones"]}
    assert page.count("</script>") == 2  # the data block's end and the script's
    assert "<img" not in page and "<svg onload" not in page
    assert "Expo&lt;/title&gt;&lt;script&gt;" in page
    assert script_json("a\u2028b<") == '"a\\u2028b\\u003c"'


def test_two_thousand_booths_fit_in_two_megabytes() -> None:
    """The page of a 2,000-booth fair with long names stays under 2 MB."""
    doc = big_doc(2000)
    assert len(doc.booths) == 2000
    page = render_html(doc)["floorplan.html"]
    assert len(page) < MAX_PAGE_BYTES, f"{len(page):,} bytes"


def test_page_data_describes_every_booth(doc: Assignment) -> None:
    data = page_data(doc)
    assert data["booth_fields"] == BOOTH_FIELDS
    assert [b[0] for b in data["booths"]] == [
        b.booth_no for h in doc.halls for b in doc.booths if b.hall == h.id
    ]
    assert {e["id"] for e in data["entrances"]} == {e.id for e in doc.entrances}
    for b in data["booths"]:
        assert b[8] and len(b[8]) % 3 == 0, b[0]  # every booth has a front


# ---- the walking graph ---------------------------------------------------------------------


def _floor(doc: Assignment, hall: str) -> Any:
    shapes = [Polygon(b.polygon) for b in doc.booths if b.hall == hall]
    shapes += [Polygon(r.polygon) for r in doc.reserved if r.hall == hall]
    shapes += [
        Polygon(b.polygon) for b in doc.blocked if b.hall == hall and b.kind not in CLEARANCES
    ]
    return shapely.union_all(shapes)


def walks(doc: Assignment, hall: str) -> dict[str, tuple[str, float, tuple[float, float]]]:
    """Return each booth's shortest walk in the graph: (entrance, metres, end point)."""
    g = walk_graph(doc, hall)
    graph = nx.Graph()
    for u, v in g.edges:
        graph.add_edge(u, v, length=math.dist(g.nodes[u], g.nodes[v]))
    fronts = booth_fronts(doc, hall, g)
    out: dict[str, tuple[str, float, tuple[float, float]]] = {}
    for door, node in g.doors.items():
        dist = nx.single_source_dijkstra_path_length(graph, node, weight="length")
        for b in doc.booths:
            if b.hall != hall:
                continue
            x0, y0, x1, y1 = Polygon(b.polygon).bounds
            mids = [
                ((x0 + x1) / 2, y0),
                (x1, (y0 + y1) / 2),
                ((x0 + x1) / 2, y1),
                (x0, (y0 + y1) / 2),
            ]
            for edge, t, side in fronts[b.booth_no]:
                u, v = g.edges[edge]
                (ux, uy), (vx, vy) = g.nodes[u], g.nodes[v]
                a = (ux + t / 1000 * (vx - ux), uy + t / 1000 * (vy - uy))
                stub = math.dist(a, mids[side])
                length = math.dist((ux, uy), (vx, vy))
                best = min(
                    dist.get(u, math.inf) + t / 1000 * length,
                    dist.get(v, math.inf) + (1 - t / 1000) * length,
                )
                walk = best + stub
                if walk < out.get(b.booth_no, ("", math.inf))[1]:
                    out[b.booth_no] = (door, walk, mids[side])
    return out


def test_walking_lines_keep_off_booths_and_reach_every_booth(doc: Assignment) -> None:
    """No walking line crosses a booth, a stage or a column; every booth can be walked to."""
    for h in doc.halls:
        g = walk_graph(doc, h.id)
        floor = _floor(doc, h.id)
        lines = shapely.union_all(g.lines())
        assert lines.intersection(floor).length < 1e-6, h.id
        assert Polygon(h.polygon).buffer(1e-6).contains(lines)
        reached = walks(doc, h.id)
        assert set(reached) == {b.booth_no for b in doc.booths if b.hall == h.id}


def test_walks_agree_with_the_assignments_entrance_walk(doc: Assignment) -> None:
    """The walks measured on the page's graph match the assignment's own walks to the door.

    The assignment measures from a booth's nearest module, the page to the middle of a side, so
    one large booth may differ; taken together they agree closely.
    """
    ratios = []
    for h in doc.halls:
        reached = walks(doc, h.id)
        for b in doc.booths:
            if b.hall == h.id and b.entrance_walk_m:
                door, metres, end = reached[b.booth_no]
                at = next(e.at for e in doc.entrances if e.id == door)
                assert metres >= math.dist(at, end) - 1e-6
                ratios.append(metres / max(b.entrance_walk_m, 1.0))
    ratios.sort()
    assert 0.9 <= ratios[len(ratios) // 2] <= 1.15
    assert sum(0.7 <= r <= 1.5 for r in ratios) >= 0.95 * len(ratios)


# ---- in the browser ------------------------------------------------------------------------


def test_search_finds_the_booth_and_highlights_it(
    browsed: tuple[dict[str, Any], str, str], target: Booth, doc: Assignment
) -> None:
    found, _, log = browsed
    no = target.booth_no
    assert no in found["by_en"] and no in found["by_ko"]
    assert found["by_no"][0] == no  # "c404" finds C-404 first
    zone = params_for(doc, target)["zone"]
    members = {b.booth_no for b in doc.booths if b.zone == zone}
    assert set(found["by_zone"]) <= members and len(found["by_zone"]) == min(len(members), 60)
    assert str(len(members)) in found["zone_count"]
    assert found["picked"] and found["hits"] == [no]
    assert target.name_en in found["details"] and no in found["details"]
    # The view moved to the booth: it is now in the middle.
    x, y, w, h = found["view_after"]
    assert found["hit_centre"] == pytest.approx([x + w / 2, y + h / 2], abs=1.0)
    assert console_errors(log) == []


def test_route_runs_along_the_aisles_from_the_entrance_to_the_booth_front(
    browsed: tuple[dict[str, Any], str, str], target: Booth, doc: Assignment
) -> None:
    found, _, _ = browsed
    route = found["route"]
    assert route["entrance"] == target.entrance and route["booth"] == target.booth_no
    frame = plan_layout(doc).frame(target.hall)
    pts = [frame.venue(x, y) for x, y in route_points(route["d"])]
    assert len(pts) >= 3
    at = next(e.at for e in doc.entrances if e.id == target.entrance)
    assert math.dist(pts[0], at) < 0.1  # starts at the entrance
    booth = Polygon(target.polygon)
    assert booth.exterior.distance(Point(pts[-1])) < 0.1  # ends at the booth's front
    line = LineString(pts)
    assert line.length == pytest.approx(route["metres"], abs=0.5)
    assert route["metres"] >= math.dist(at, pts[-1])  # never shorter than the crow flies
    assert route["metres"] <= 1.6 * target.entrance_walk_m + 10
    # Along the aisles: through no booth (its own included), stage or column.
    assert line.intersection(_floor(doc, target.hall)).length < 0.05
    assert f"{round(route['metres'])} m" in found["walk_text"]
    # The nearest entrance is the one the assignment names for this booth.
    assert found["nearest_route"]["entrance"] == target.entrance
    assert found["route_after_lang"] == route


def test_language_switch_changes_labels_and_names(
    browsed: tuple[dict[str, Any], str, str], target: Booth
) -> None:
    found, _, _ = browsed
    assert {found["lang0"], found["lang1"]} == {"ko", "en"} and found["lang2"] == found["lang0"]
    korean = found["heading1"] if found["lang1"] == "ko" else found["heading2"]
    english = found["heading2"] if found["lang1"] == "ko" else found["heading1"]
    assert korean == target.name_ko and english == target.name_en
    if found["lang1"] == "ko":
        assert "검색" in found["placeholder1"]
    else:
        assert "Search" in found["placeholder1"]


def test_hostile_names_show_as_text_and_run_nothing(
    browsed: tuple[dict[str, Any], str, str],
) -> None:
    found, dom, log = browsed
    assert found["pwned"] == "undefined"
    assert found["hostile_results"], "the hostile booth is found by its name"
    assert IMG_PAYLOAD in found["hostile_details"] and SCRIPT_PAYLOAD in found["hostile_details"]
    assert any(IMG_PAYLOAD in t for t in found["hostile_result_text"])
    assert any(ZONE_PAYLOAD in t for t in found["legend"])
    assert found["title_text"] == TITLE_PAYLOAD
    assert found["images"] == 0
    assert found["scripts"] == [
        "boothopt-data:application/json",
        ":",
        "test-params:application/json",
        ":",
    ]
    assert not re.search(r"<(img|iframe|object|embed)\b", dom)
    assert "&lt;img src=x onerror=" in dom  # the name is in the page as text
    assert console_errors(log) == []


def test_the_page_requests_nothing(browsed: tuple[dict[str, Any], str, str]) -> None:
    found, _, log = browsed
    assert found["resources"] == []
    assert "Refused" not in log


def test_wheel_drag_and_pinch_move_the_view_and_a_tap_picks_a_booth(
    browsed: tuple[dict[str, Any], str, str], doc: Assignment, target: Booth
) -> None:
    found, _, _ = browsed
    g = found["gestures"]
    assert g["wheel"][2] < g["fit"][2] * 0.7  # zoomed in around the middle
    assert g["wheel"][0] + g["wheel"][2] / 2 == pytest.approx(g["fit"][0] + g["fit"][2] / 2, 1)
    scale = g["wheel"][2] / g["client_w"]
    assert g["pan"][0] == pytest.approx(g["wheel"][0] - 60 * scale, abs=0.5)  # dragged right
    assert g["pan"][1] == pytest.approx(g["wheel"][1] - 40 * scale, abs=0.5)
    assert g["pinch"][2] == pytest.approx(g["pan"][2] / 2, rel=0.02)  # fingers twice as far
    tap = next(b for b in doc.booths if b.booth_no == params_for(doc, target)["tap"])
    assert found["tapped"] == [tap.booth_no]
    assert found["tip"] and tap.booth_no in found["tip"]


def test_zone_legend_lists_and_marks_the_zones_booths(
    browsed: tuple[dict[str, Any], str, str], doc: Assignment, target: Booth
) -> None:
    found, _, _ = browsed
    params = params_for(doc, target)
    members = {b.booth_no for b in doc.booths if b.zone == params["zone"]}
    assert set(found["zone_marked"]) == members
    assert set(found["zone_listed"]) <= members
    assert len(found["zone_listed"]) == min(len(members), 60)
    name = doc.zones[params["zone_index"]].name_en
    assert name in found["legend"][params["zone_index"]]


def test_big_page_searches_and_routes_in_the_browser(tmp_path: Path) -> None:
    """The 2,000-booth page finds a booth at the back of a hall and walks to it."""
    doc = big_doc(2000)
    booth = next(b for b in doc.booths if b.booth_no == "D-480")
    booth = booth.model_copy(update={"entrance": "D-E2"})
    page = render_html(doc)["floorplan.html"].decode("utf-8")
    found, _, log = drive(page, params_for(doc, booth), tmp_path)
    assert found["by_no"][0] == "D-480" and found["hits"] == ["D-480"]
    route = found["route"]
    frame = plan_layout(doc).frame("D")
    pts = [frame.venue(x, y) for x, y in route_points(route["d"])]
    at = next(e.at for e in doc.entrances if e.id == "D-E2")
    assert math.dist(pts[0], at) < 0.1
    assert Polygon(booth.polygon).exterior.distance(Point(pts[-1])) < 0.1
    assert route["metres"] >= math.dist(at, pts[-1])
    assert LineString(pts).intersection(_floor(doc, "D")).length < 0.05
    assert found["search_ms"] < 2000 and found["route_ms"] < 2000
    assert console_errors(log) == []


def test_screenshot_of_a_phone_shows_the_route(
    hostile_doc: Assignment, target: Booth, tmp_path: Path
) -> None:
    """A link naming the booth and entrance opens the page on its route (looked at by hand too)."""
    chromium_available()
    path = tmp_path / "floorplan.html"
    path.write_bytes(render_html(hostile_doc)["floorplan.html"])
    fragment = f"#b={quote(target.booth_no)}&e={quote(target.entrance)}&lang=ko"
    shot = tmp_path / "phone.png"
    done = run_chromium(
        tmp_path,
        "--virtual-time-budget=5000",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        "--window-size=412,860",
        path.as_uri() + fragment,
    )
    assert shot.exists(), done.stderr[-3000:]
    with Image.open(shot) as image:
        assert image.size == (412, 860)
        pixels = np.asarray(image.convert("RGB"), dtype=int)
    route = int((np.abs(pixels - np.array(ROUTE_COLOUR)).max(axis=2) < 12).sum())
    assert route > 200, "the route's colour is on the screen"
    assert console_errors(done.stderr) == []
