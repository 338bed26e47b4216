"""``comparison.html``: one offline page with the figures, the charts, the plans and their heat
maps, looked at in Debian's headless Chromium; hostile names show as text and run nothing."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from boothopt.cli import main
from boothopt.planning.compare import cell_text, lookup
from boothopt.planning.crowding import LEVEL_COLOURS
from boothopt.planning.report_html import CHARTS
from tests.chromium import chromium_available, run_chromium
from tests.planning.test_compare import layouts, write_event

# Each would set data-pwned on the body if it ran; the page's policy and escaping stop both.
EVENT_PAYLOAD = "Expo</title><script>document.body.dataset.pwned=1</script>"
NAME_PAYLOAD = "<img src=x onerror=document.body.dataset.pwned=2>"
ZONE_PAYLOAD = '<svg onload="document.body.dataset.pwned=3">'
ZONES = f"""zones:
  - {{id: hostile, name_en: {json.dumps(ZONE_PAYLOAD)}, members: {{ids: [g1]}}}}
"""


class Page(HTMLParser):
    """What the test reads in the page's DOM: the table, the plans, the charts, the title."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[list[str], str, dict[str, str]]] = []
        self.plans: dict[str, dict[str, int]] = {}
        self.bars: dict[str, list[str]] = {}
        self.title = ""
        self.pwned = False
        self.tags: set[str] = set()
        self._cell: str | None = None
        self._text = ""
        self._plan: str | None = None
        self._chart: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        self.pwned |= "data-pwned" in a
        if tag == "tr" and "data-path" in a:
            self.rows.append((json.loads(a["data-path"]), a["data-fmt"], {}))
        elif tag == "td" and "data-layout" in a and self.rows:
            self._cell, self._text = a["data-layout"], ""
        elif tag == "figure" and "plan" in a.get("class", ""):
            self._plan = a["data-layout"]
            self.plans[self._plan] = {"booth": 0, "crowding-aisle": 0, "heat": 0}
        elif tag == "svg" and "chart" in a.get("class", ""):
            self._chart = a["data-figure"]
            self.bars[self._chart] = []
        elif tag == "rect" and a.get("class") == "bar" and self._chart is not None:
            self.bars[self._chart].append(a["data-layout"])
        elif tag == "title" and self._plan is None:
            self._in_title = True
        if self._plan is not None:
            classes = a.get("class", "").split()
            for name in ("booth", "crowding-aisle", "heat"):
                self.plans[self._plan][name] += name in classes

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1][2][self._cell] = self._text
            self._cell = None
        elif tag == "figure":
            self._plan = None
        elif tag == "svg":
            self._chart = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text += data
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A comparison of the two tiny layouts, with hostile event, exhibitor and zone names."""
    folder = tmp_path_factory.mktemp("report")
    event = write_event(folder / "event", ZONES, name=EVENT_PAYLOAD, name_en=NAME_PAYLOAD)
    out = folder / "out"
    args = [str(event), *layouts(folder / "event"), "--out", str(out)]
    result = CliRunner().invoke(
        main, ["compare", *args, "--method", "greedy", "--visitors", "30000,10000000", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    return out / "comparison.html", data


def test_page_is_one_file_that_asks_for_nothing(report: tuple[Path, dict[str, Any]]) -> None:
    """No address anywhere, no script, and a policy that allows nothing but its own style and
    fonts."""
    page = report[0].read_text(encoding="utf-8")
    fonts = r'url\(data:font/woff;base64,[A-Za-z0-9+/=]+\) format\("woff"\)'
    assert len(re.findall(fonts, page)) in (1, 2)  # the Korean font (and the Latin), as data
    page = re.sub(fonts, "FONT", page)
    assert re.search(r"https?:|//[a-z]|url\(", page, re.IGNORECASE) is None
    assert "<script" not in page.replace("&lt;script", "")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert policy.group(1).startswith("default-src &#x27;none&#x27;; style-src &#x27;sha256-")


def test_chromium_shows_the_figures_plans_charts_and_names_as_text(
    report: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """The DOM Chromium builds holds every figure of comparison.json as the table writes it,
    each layout's plan with its booths and heat map, each chart's bars, and the hostile names
    as text; nothing ran and nothing was refused."""
    chromium_available()
    path, data = report
    done = run_chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", path.as_uri())
    assert "</html>" in done.stdout, done.stderr[-3000:]
    page = Page()
    page.feed(done.stdout)
    assert not page.pwned and "script" not in page.tags and "img" not in page.tags
    assert EVENT_PAYLOAD in page.title
    assert "&lt;img src=x onerror=" in done.stdout  # the exhibitor's name, as text
    assert f"compact: {ZONE_PAYLOAD}" in _labels(done.stdout)
    refused = [line for line in done.stderr.splitlines() if re.search(r"Refused|Uncaught", line)]
    assert refused == []

    source = data["sources"][0]
    figures = {a["layout"]: a["figures"] for a in source["aggregate"]}
    assert len(page.rows) > 30
    for path_, fmt, cells in page.rows:
        assert set(cells) == {"one", "two"}
        for lay, text in cells.items():
            assert text == cell_text(lookup(figures[lay], path_), fmt), (path_, lay)
    placed = next(cells for p, _, cells in page.rows if p == ["placed"])
    usable = next(cells for p, _, cells in page.rows if p == ["area", "usable_m2"])
    assert (usable["one"], usable["two"]) == ("36", "108")
    assert int(placed["one"]) <= 4 and placed["two"] != "–"

    assert set(page.plans) == {"one", "two"}
    for lay, counts in page.plans.items():
        runs = [r for r in data["runs"] if r["layout"] == lay]
        assert counts["booth"] == runs[0]["figures"]["placed"]
        assert counts["heat"] == 2  # one layer per visitors figure
        assert counts["crowding-aisle"] > 0
    for _, chart_path, _, _ in CHARTS:
        assert page.bars[".".join(chart_path)] == ["one", "two"]


def _labels(dom: str) -> list[str]:
    """Return the table's row labels as text (entities decoded)."""
    import html

    return [
        html.unescape(m)
        for m in re.findall(r'<tr data-path="[^"]*" data-fmt="\w+"><th>([^<]*)</th>', dom)
    ]


def test_screenshot_shows_the_table_and_the_heat_map(
    report: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """A 1400 x 3000 screenshot: the page is drawn, and the heat map's level F red is on it
    (10 million visitors are shown first)."""
    chromium_available()
    path, _ = report
    shot = tmp_path / "comparison.png"
    done = run_chromium(
        tmp_path,
        "--virtual-time-budget=3000",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        "--window-size=1400,3000",
        path.as_uri(),
    )
    assert shot.exists(), done.stderr[-3000:]
    with Image.open(shot) as image:
        assert image.size == (1400, 3000)
        pixels = np.asarray(image.convert("RGB"), dtype=int)
    red = np.array([int(LEVEL_COLOURS["F"][i : i + 2], 16) for i in (1, 3, 5)])
    # The strokes are drawn at 75 % over the plan: near the colour, not on it.
    near = np.abs(pixels - red).max(axis=2) < 40
    assert int(near.sum()) > 200
