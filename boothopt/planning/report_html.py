"""``comparison.html``: the comparison of layouts as one self-contained page.

The page holds the table of figures (the same rows and the same writing of each figure as the
terminal's table, from the comparison file's aggregated figures), bar charts of the main figures
as inline SVG, each layout's plan side by side (:func:`~boothopt.outputs.plan_svg.render_plan_svg`
of its first seed's assignment) with the crowding forecast laid over it
(:func:`~boothopt.planning.crowding.heat_layer_svg`), one visitors figure at a time, chosen with
plain radio buttons and CSS: the page runs no script.

It makes no network request: it names no address, and its Content-Security-Policy allows nothing
but its own style (by hash). Every text from an event, an exhibitor table or the command line is
escaped; the plans escape theirs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boothopt.outputs.fonts import web_font_css
from boothopt.outputs.plan_svg import clean_text
from boothopt.planning.compare import cell_text, format_value, lookup, table_rows

if TYPE_CHECKING:
    from boothopt.contract import Assignment
    from boothopt.planning.compare import RunOutcome
    from boothopt.planning.crowding import Forecast


@dataclass(frozen=True)
class PlanView:
    """One layout's plan on the page: its assignment and its forecasts, one per visitors figure."""

    source: str
    layout: str
    seed: int
    assignment: Assignment
    forecasts: tuple[Forecast, ...]


def plan_views(outcomes: Sequence[RunOutcome]) -> list[PlanView]:
    """Return the plan of each source's layouts: the first seed's run of each."""
    out: list[PlanView] = []
    seen: set[tuple[str, str]] = set()
    for o in outcomes:
        if (o.source, o.layout) not in seen:
            seen.add((o.source, o.layout))
            out.append(PlanView(o.source, o.layout, o.seed, o.assignment, o.forecasts))
    return out


#: The figures drawn as bar charts: label, path in the figures, format, and whether more is
#: better (said under the chart).
CHARTS: tuple[tuple[str, tuple[str, ...], str, bool], ...] = (
    ("exhibitors placed", ("placed",), "int", True),
    ("requested area granted", ("granted_share",), "pct", True),
    ("usable area m²", ("area", "usable_m2"), "area", True),
    ("walk from entrance, mean m", ("walk", "mean_m"), "m", False),
    ("walk from entrance, p95 m", ("walk", "p95_m"), "m", False),
    ("farthest walk to an exit m", ("exit_walk_max_m",), "m", False),
)

STYLE_BASE = """
body{font-family:"boothopt-ko","Noto Sans KR","Malgun Gothic","Apple SD Gothic Neo",system-ui,
sans-serif;margin:0 auto;padding:16px 24px;max-width:1800px;color:#1b1b1b;background:#fafaf7}
h1{font-size:22px;margin:4px 0 8px}h2{font-size:19px;margin:28px 0 8px;border-top:2px solid #333;
padding-top:12px}h3{font-size:15px;margin:18px 0 6px}
p.meta{color:#555;margin:2px 0}
ul.warnings{background:#fff6e0;border:1px solid #e0c070;padding:8px 8px 8px 28px;font-size:13px}
table.figures{border-collapse:collapse;font-size:13px;background:#fff}
table.figures th,table.figures td{border:1px solid #ccc;padding:3px 8px}
table.figures td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.figures tbody th{text-align:left;font-weight:normal;white-space:pre}
table.figures thead th{background:#eef}
.charts{display:flex;flex-wrap:wrap;gap:12px}
.chart{background:#fff;border:1px solid #ddd}
.plans{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:14px}
figure.plan{margin:0;background:#fff;border:1px solid #ccc;padding:6px}
figure.plan svg{height:auto;display:block;font-family:"boothopt-ko",NanumGothic,sans-serif}
figure.plan figcaption{font-weight:bold;margin:2px 0 4px}
ul.spots{font-size:12px;margin:4px 0;padding-left:20px}
.heat{display:none}
.pick{margin:4px 12px 8px 0;font-size:13px}
.levels{display:flex;flex-wrap:wrap;gap:10px;font-size:12px;margin:6px 0}
.levels span.key{display:inline-block;width:22px;height:10px;margin-right:4px;
vertical-align:middle;border:1px solid #999}
dl.terms{font-size:13px;max-width:1100px}dl.terms dt{font-weight:bold;margin-top:6px}
dl.terms dd{margin-left:16px}
"""


def esc(value: object) -> str:
    """Return ``value`` escaped for HTML text and attribute values.

    Examples
    --------
    >>> esc('<img src=x onerror="1">\\x00')
    '&lt;img src=x onerror=&quot;1&quot;&gt;'
    """
    return html.escape(clean_text(value), quote=True)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(style: str) -> str:
    """Return the page's Content-Security-Policy: its own style and embedded fonts, and nothing
    else at all."""
    return (
        f"default-src 'none'; style-src {_hash(style)}; script-src 'none'; img-src 'none'; "
        "font-src data:; connect-src 'none'; media-src 'none'; object-src 'none'; "
        "frame-src 'none'; base-uri 'none'; form-action 'none'"
    )


def comparison_page(data: Mapping[str, Any], plans: Sequence[PlanView]) -> str:
    """Return the page's HTML text (see the module's description)."""
    from boothopt.planning.crowding import LEVEL_COLOURS, LEVEL_TEXT, LEVELS

    rules = [STYLE_BASE.strip()]
    sections = []
    for si, source in enumerate(data["sources"]):
        mine = [p for p in plans if p.source == source["name"]]
        for vi in range(len(source["visitors"])):
            rules.append(f"#heat-{si}-{vi}:checked~.plans .heat-{vi}{{display:inline}}")
        sections.append(_section(si, source, data, mine))
    style = "\n".join(rules)
    legend = "".join(
        f'<span><span class="key" data-level="{lv}"></span>{lv}: {esc(LEVEL_TEXT[lv])}</span>'
        for lv in LEVELS
    )
    # Colour keys by attribute, in the hashed style: no inline style attribute is needed.
    style += "\n" + "\n".join(
        f'.levels span.key[data-level="{lv}"]{{background:{LEVEL_COLOURS[lv]}}}' for lv in LEVELS
    )
    events = list(dict.fromkeys(clean_text(s["event"]) for s in data["sources"]))
    title = "Layout comparison — " + " · ".join(events)
    layouts = ", ".join(
        f"{esc(lay['name'])} ({esc(lay['venue'])}: {esc('+'.join(lay['halls']))}"
        + (
            "; " + ", ".join(f"{esc(k)} {esc(v)}" for k, v in lay["aisles"].items())
            if lay["aisles"]
            else ""
        )
        + ")"
        for lay in data["layouts"]
    )
    limits = data["limits"]
    limit = (
        f"work limit {limits['work_limit']:g} deterministic s"
        if limits.get("work_limit") is not None
        else f"time limit {limits['time_limit_s']:g} s"
        if limits.get("time_limit_s") is not None
        else "time limit 60 s"
    )
    seeds = ", ".join(str(s) for s in data["seeds"])
    warnings = "".join(f"<li>{esc(w)}</li>" for w in data.get("warnings", []))

    def page(style: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(policy(style))}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{style}</style>
</head>
<body>
<h1 id="title">{esc(title)}</h1>
<p class="meta">Layouts: {layouts}</p>
<p class="meta">Optimizer: {esc(limits.get("method"))}, {esc(limit)}, {esc(limits.get("workers"))}
 workers; seeds {esc(seeds)} (with several seeds each figure is the mean, and in brackets the
 smallest and largest of the seeds).</p>
{f'<ul class="warnings" id="warnings">{warnings}</ul>' if warnings else ""}
{"".join(sections)}
<h2>Crowding levels</h2>
<div class="levels" id="levels">{legend}</div>
{_terms()}
</body>
</html>
"""

    # The Korean font goes in the page, cut to the letters the page has, so that no machine
    # shows boxes for want of a Korean font.
    return page(web_font_css(html.unescape(page(style))) + "\n" + style)


def _section(
    si: int, source: Mapping[str, Any], data: Mapping[str, Any], plans: Sequence[PlanView]
) -> str:
    zones: dict[str, str] = {}
    for agg in source["aggregate"]:
        for z, v in ((agg["figures"] or {}).get("zones") or {}).items():
            zones.setdefault(z, str(v.get("name_en") or z))
    rows = table_rows(source, zones)
    figures = {a["layout"]: a["figures"] for a in source["aggregate"]}
    head = "".join(f'<th data-layout="{esc(lay)}">{esc(lay)}</th>' for lay in figures)
    body = []
    for row in rows:
        cells = "".join(
            f'<td data-layout="{esc(lay)}">{esc(cell_text(lookup(fig, row.path), row.fmt))}</td>'
            for lay, fig in figures.items()
        )
        body.append(
            f'<tr data-path="{esc(json.dumps(list(row.path), ensure_ascii=False))}" '
            f'data-fmt="{row.fmt}"><th>{esc(row.label)}</th>{cells}</tr>'
        )
    seeds = source["aggregate"][0]["seeds"] if source["aggregate"] else []
    charts = [_chart(label, path, fmt, more, figures) for label, path, fmt, more in CHARTS]
    city = source["zones"][0] if source["zones"] else None
    if city is not None:
        charts.append(
            _chart(
                f"compactness: {zones.get(city, city)}",
                ("zones", city, "compactness"),
                "ratio",
                True,
                figures,
            )
        )
    for v in source["visitors"]:
        charts.append(
            _chart(
                f"{v:,} visitors: aisle area at D or worse",
                ("crowding", str(v), "share_d_or_worse"),
                "pct",
                False,
                figures,
            )
        )
    picks = []
    for vi, v in enumerate(source["visitors"]):
        checked = " checked" if vi == len(source["visitors"]) - 1 else ""
        picks.append(
            f'<input type="radio" name="heat-{si}" id="heat-{si}-{vi}"{checked}>'
            f'<label class="pick" for="heat-{si}-{vi}">crowding at {v:,} visitors</label>'
        )
    picks.append(
        f'<input type="radio" name="heat-{si}" id="heat-{si}-none">'
        f'<label class="pick" for="heat-{si}-none">plan only</label>'
    )
    # Every plan at one scale: each as wide, of its column, as its floor is of the widest.
    metres = {p.layout: _plan_metres(p) for p in plans}
    widest = max(metres.values(), default=1.0)
    figs = "".join(_plan_figure(p, source["visitors"], metres[p.layout] / widest) for p in plans)
    kind = "scenario" if source["kind"] == "scenario" else "event file"
    return f"""<section class="source" data-source="{esc(source["name"])}">
<h2>{esc(source["event"])} <small>({esc(kind)} {esc(source["name"])},
 {source["exhibitors"]:,} exhibitors)</small></h2>
<table class="figures" data-source="{esc(source["name"])}">
<thead><tr><th>figure</th>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
<h3>Main figures</h3>
<div class="charts">{"".join(charts)}</div>
<h3>Plans and crowding at the busiest hour (seed {esc(seeds[0] if seeds else "")})</h3>
{"".join(picks)}
<div class="plans">{figs}</div>
</section>
"""


def _chart(
    label: str,
    path: tuple[str, ...],
    fmt: str,
    more_is_better: bool,
    figures: Mapping[str, Any],
) -> str:
    """Return one bar chart: a bar per layout at the mean, a whisker from min to max."""
    bar_h, gap, left, right, top = 18.0, 8.0, 120.0, 70.0, 30.0
    width = 440.0
    values = {lay: lookup(fig, path) for lay, fig in figures.items()}
    numbers = [
        v["max"] for v in values.values() if isinstance(v, dict) and v.get("max") is not None
    ]
    scale_max = max([*numbers, 1e-9])
    if fmt in ("pct", "ratio"):
        scale_max = max(scale_max, 1.0)
    span = width - left - right
    height = top + len(values) * (bar_h + gap) + 22
    parts = [
        f'<svg class="chart" data-figure="{esc(".".join(path))}" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{esc(label)}">',
        f'<text x="8" y="18" font-size="13" font-weight="bold">{esc(_short(label, 56))}</text>',
    ]
    y = top
    for lay, v in values.items():
        parts.append(
            f'<text x="{left - 6:g}" y="{y + 13:g}" font-size="12" text-anchor="end">'
            f"{esc(_short(lay, 18))}</text>"
        )
        if isinstance(v, dict) and v.get("mean") is not None:
            w = span * float(v["mean"]) / scale_max
            lo = left + span * float(v["min"]) / scale_max
            hi = left + span * float(v["max"]) / scale_max
            parts.append(
                f'<rect class="bar" data-layout="{esc(lay)}" x="{left:g}" y="{y:g}" '
                f'width="{max(w, 0.5):.2f}" height="{bar_h:g}" fill="#4e79a7"/>'
            )
            if hi - lo > 0.5:
                mid = y + bar_h / 2
                parts.append(
                    f'<path d="M{lo:.2f},{mid:g} H{hi:.2f} M{lo:.2f},{y + 3:g} V{y + bar_h - 3:g}'
                    f' M{hi:.2f},{y + 3:g} V{y + bar_h - 3:g}" stroke="#222" stroke-width="1.4"/>'
                )
            parts.append(
                f'<text x="{left + max(w, hi - left) + 5:.2f}" y="{y + 13:g}" font-size="12">'
                f"{esc(format_value(v['mean'], fmt))}</text>"
            )
        else:
            parts.append(f'<text x="{left + 4:g}" y="{y + 13:g}" font-size="12">–</text>')
        y += bar_h + gap
    better = "more is better" if more_is_better else "less is better"
    parts.append(f'<text x="8" y="{height - 6:g}" font-size="11" fill="#666">{better}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _plan_metres(plan: PlanView) -> float:
    """Return the width of a plan's sheet in venue metres."""
    from boothopt.outputs.plan_svg import plan_layout

    layout = plan_layout(plan.assignment)
    return layout.width / layout.k


def _plan_figure(plan: PlanView, visitors: Sequence[int], share: float = 1.0) -> str:
    """Return one layout's plan with its heat layers, and its worst spots; the plan is drawn
    ``share`` of its column wide."""
    from boothopt.outputs.plan_svg import plan_layout, render_plan_svg
    from boothopt.planning.crowding import heat_layer_svg

    svg = render_plan_svg(plan.assignment).strip()
    # Inline in HTML an SVG needs no namespace: the page names no web address at all.
    svg = re.sub(r'^(<svg\b[^>]*?)\s+xmlns="[^"]*"', r"\1", svg, count=1)
    # Sized by its column (the viewBox keeps its shape), not by its pixels.
    svg = re.sub(
        r'^(<svg\b[^>]*?) width="[^"]*" height="[^"]*"',
        rf'\1 width="{100 * share:.1f}%"',
        svg,
        count=1,
    )
    layout = plan_layout(plan.assignment)
    by_total = {fc.visitors.total: fc for fc in plan.forecasts}
    layers = []
    spots = []
    for vi, v in enumerate(visitors):
        fc = by_total.get(v)
        if fc is None:
            continue
        halls = "".join(heat_layer_svg(fc, h.id, layout.frame(h.id)) for h in plan.assignment.halls)
        layers.append(f'<g class="heat heat-{vi}" data-visitors="{v}">{halls}</g>')
        worst = ", ".join(
            f"{esc(s.name)} ({esc(s.level)}, {s.m2_per_person:.1f} m²/person)"
            for s in fc.hot_spots[:3]
        )
        spots.append(f"<li>{v:,} visitors: {worst or 'no crowded aisle'}</li>")
    svg = svg.removesuffix("</svg>") + "".join(layers) + "</svg>"
    return (
        f'<figure class="plan" data-layout="{esc(plan.layout)}">'
        f"<figcaption>{esc(plan.layout)}</figcaption>{svg}"
        f'<ul class="spots">{"".join(spots)}</ul></figure>'
    )


def _terms() -> str:
    """Return what each figure means, as the README says it."""
    items = (
        (
            "gross / usable area",
            "the halls' floor inside their walls / the floor booths can "
            "stand on (the booth grid's module cells)",
        ),
        ("standard booths", "how many 3 m × 3 m booths the grid holds"),
        ("requested area granted", "the placed exhibitors' booth area over the area all asked for"),
        (
            "goal",
            "each soft goal's score over the most it could reach (each exhibitor at its "
            "own best legal spot)",
        ),
        (
            "walk from entrance",
            "along the aisles from the nearest entrance to each booth: mean "
            "and 95th percentile, in all and by tier",
        ),
        ("farthest walk to an exit", "the longest walk from any booth cell to its nearest way out"),
        ("rule breaches", "fire rules the aisle scheme breaks, and hard rules the layout breaks"),
        (
            "compact",
            "a zone's booths' area over the area of their convex hull, hall by hall: 1 "
            "for one solid rectangle, less the more the zone straggles",
        ),
        ("optimizer gap", "how far the layout may be from the best one, by the optimizer's bound"),
        (
            "crowding",
            "visitors on the floor at the busiest hour, spread over the aisles by "
            "booth size and tier; each aisle graded A (free walking) to F (flow breaks down) by "
            "its m² per person",
        ),
    )
    body = "".join(f"<dt>{esc(t)}</dt><dd>{esc(d)}</dd>" for t, d in items)
    return f'<h2>What the figures mean</h2><dl class="terms">{body}</dl>'


__all__ = ["CHARTS", "PlanView", "comparison_page", "esc", "plan_views", "policy"]
