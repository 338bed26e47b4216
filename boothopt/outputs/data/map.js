/* boothopt floor map: search, booth details, pan and zoom, the walk from an entrance.
 *
 * Reads the JSON block #boothopt-data written by boothopt.outputs.html_map. Every text taken from
 * it (exhibitor names, booth numbers, zone and hall names) is written as a text node or
 * textContent, never as markup. The plan is the inline SVG #plan-svg; the view is its viewBox.
 */
(function () {
  "use strict";

  const D = JSON.parse(document.getElementById("boothopt-data").textContent);
  const svg = document.getElementById("plan-svg");
  const SVGNS = svg.namespaceURI; // the page names no web address, not even a namespace
  const $ = (id) => document.getElementById(id);

  const TEXT = {
    ko: {
      search: "부스 번호·업체명·구역 검색",
      entrance: "현재 위치(입구)",
      nearest: "가장 가까운 입구",
      all: "전체",
      legend: "구역 안내",
      noZone: "구역 없음",
      count: (n, shown) => (n > shown ? "검색 결과 " + n + "건 중 " + shown + "건" : "검색 결과 " + n + "건"),
      none: "찾는 부스가 없습니다",
      booth: "부스 번호",
      hall: "홀",
      zone: "구역",
      size: "크기",
      type: "부스 형태",
      tier: "등급",
      walk: (m, min, e) => "입구 " + e + "에서 통로를 따라 " + m + " m (도보 약 " + min + "분)",
      noRoute: "이 입구에서 가는 길을 찾지 못했습니다",
      noEntrance: "이 홀에는 입구 정보가 없습니다",
      otherHall: (h) => "이 부스는 " + h + "에 있습니다 — 같은 홀의 입구를 고르세요",
      here: "현재 위치",
      langButton: "EN",
      langLabel: "English",
      zoomIn: "확대",
      zoomOut: "축소",
      fit: "전체 보기",
      plan: "부스 배치도",
      tiers: { platinum: "플래티넘", gold: "골드", silver: "실버", standard: "일반" },
    },
    en: {
      search: "Search booth, exhibitor, zone",
      entrance: "You are here (entrance)",
      nearest: "Nearest entrance",
      all: "All",
      legend: "Zones",
      noZone: "No zone",
      count: (n, shown) => (n > shown ? shown + " of " + n + " results" : n + (n === 1 ? " result" : " results")),
      none: "No booth found",
      booth: "Booth",
      hall: "Hall",
      zone: "Zone",
      size: "Size",
      type: "Type",
      tier: "Tier",
      walk: (m, min, e) => m + " m along the aisles from entrance " + e + " (about " + min + " min)",
      noRoute: "No way found from this entrance",
      noEntrance: "This hall has no entrance on the plan",
      otherHall: (h) => "This booth is in " + h + " — choose an entrance of that hall",
      here: "You are here",
      langButton: "한",
      langLabel: "한국어",
      zoomIn: "Zoom in",
      zoomOut: "Zoom out",
      fit: "Whole plan",
      plan: "Floor plan",
      tiers: {},
    },
  };
  const MAX_RESULTS = 60;
  const WALK_M_PER_MIN = 70;

  let lang = (navigator.languages || [navigator.language || ""]).some((l) => /^ko/i.test(l))
    ? "ko"
    : "en";
  const t = () => TEXT[lang];

  // ---- data -------------------------------------------------------------------------------
  const halls = D.halls;
  const hallIndex = new Map(halls.map((h, i) => [h.id, i]));
  // Each booth is an array of D.booth_fields: no, hall, ko, en, zone, tier, type, box, fronts.
  const booths = D.booths.map(([no, hall, ko, en, zone, tier, type, box, fronts]) => {
    const size = [(box[2] - box[0]) / 10, (box[3] - box[1]) / 10];
    const triples = [];
    for (let i = 0; i + 2 < fronts.length; i += 3) triples.push(fronts.slice(i, i + 3));
    return {
      no, hall: halls[hall].id, ko, en, zone: zone < 0 ? null : zone, tier, type, box, size,
      area: Math.round(size[0] * size[1] * 100) / 100, fronts: triples,
    };
  });
  const byNo = new Map(booths.map((b) => [b.no, b]));
  const entrances = D.entrances;
  const entranceById = new Map(entrances.map((e) => [e.id, e]));
  const stands = new Map();
  for (const g of svg.querySelectorAll("g.stand")) stands.set(g.getAttribute("data-booth"), g);
  const hallShapes = new Map();
  for (const p of svg.querySelectorAll("path.hall")) hallShapes.set(p.getAttribute("data-hall"), p);

  const norm = (s) => (s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  const compact = (s) => norm(s).replace(/[-_.·]/g, "");
  for (const b of booths) {
    const z = b.zone === null ? null : D.zones[b.zone];
    b.keys = [b.no, b.ko, b.en, z && z.ko, z && z.en, z && z.id].map(norm);
    b.noKey = compact(b.no);
  }

  const primary = (o) => (lang === "ko" ? o.ko || o.en : o.en || o.ko) || "";
  const secondary = (o) => {
    const other = lang === "ko" ? o.en : o.ko;
    return other && other !== primary(o) ? other : "";
  };
  const hallName = (h) => (lang === "ko" ? h.ko || h.name || h.id : h.name || h.ko || h.id);
  const zoneName = (b) => (b.zone === null ? t().noZone : primary(D.zones[b.zone]) || D.zones[b.zone].id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }

  // ---- geometry: venue metres -> plan pixels ----------------------------------------------
  function toPlan(hall, x, y) {
    const [minx, maxy, k, ox, oy] = hall.frame;
    return [ox + (x - minx) * k, oy + (maxy - y) * k];
  }

  function sideMiddle(b, side) {
    const [x0, y0, x1, y1] = b.box.map((v) => v / 10);
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    return [[mx, y0], [x1, my], [mx, y1], [x0, my]][side];
  }

  // ---- the walking graph and Dijkstra -------------------------------------------------------
  function graphOf(hall) {
    if (hall.graph) return hall.graph;
    const n = hall.nodes.length / 2;
    const xy = Float64Array.from(hall.nodes, (v) => v / 10);
    const adj = Array.from({ length: n }, () => []);
    const len = new Float64Array(hall.edges.length / 2);
    for (let e = 0; e < len.length; e++) {
      const u = hall.edges[2 * e];
      const v = hall.edges[2 * e + 1];
      len[e] = Math.hypot(xy[2 * v] - xy[2 * u], xy[2 * v + 1] - xy[2 * u + 1]);
      adj[u].push(v, e);
      adj[v].push(u, e);
    }
    hall.graph = { n, xy, adj, len, trees: new Map() };
    return hall.graph;
  }

  /** Shortest walks from node `src` to every node: distances and each node's predecessor. */
  function shortestFrom(g, src) {
    if (g.trees.has(src)) return g.trees.get(src);
    const dist = new Float64Array(g.n).fill(Infinity);
    const prev = new Int32Array(g.n).fill(-1);
    const heapD = [];
    const heapN = [];
    const push = (d, v) => {
      let i = heapD.length;
      heapD.push(d);
      heapN.push(v);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapD[p] <= d) break;
        heapD[i] = heapD[p];
        heapN[i] = heapN[p];
        i = p;
      }
      heapD[i] = d;
      heapN[i] = v;
    };
    const pop = () => {
      const d = heapD[0];
      const v = heapN[0];
      const lastD = heapD.pop();
      const lastN = heapN.pop();
      if (heapD.length) {
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= heapD.length) break;
          if (c + 1 < heapD.length && heapD[c + 1] < heapD[c]) c++;
          if (heapD[c] >= lastD) break;
          heapD[i] = heapD[c];
          heapN[i] = heapN[c];
          i = c;
        }
        heapD[i] = lastD;
        heapN[i] = lastN;
      }
      return [d, v];
    };
    dist[src] = 0;
    push(0, src);
    while (heapD.length) {
      const [d, u] = pop();
      if (d > dist[u]) continue;
      const a = g.adj[u];
      for (let i = 0; i < a.length; i += 2) {
        const v = a[i];
        const nd = d + g.len[a[i + 1]];
        if (nd < dist[v]) {
          dist[v] = nd;
          prev[v] = u;
          push(nd, v);
        }
      }
    }
    const tree = { dist, prev };
    g.trees.set(src, tree);
    return tree;
  }

  /** The walk from entrance `ent` to booth `b`: its length in metres and its points. */
  function walk(ent, b) {
    const hall = halls[hallIndex.get(b.hall)];
    const g = graphOf(hall);
    const { dist, prev } = shortestFrom(g, ent.node);
    let best = null;
    for (const [e, tt, side] of b.fronts) {
      const u = hall.edges[2 * e];
      const v = hall.edges[2 * e + 1];
      const f = tt / 1000;
      const a = [
        g.xy[2 * u] + f * (g.xy[2 * v] - g.xy[2 * u]),
        g.xy[2 * u + 1] + f * (g.xy[2 * v + 1] - g.xy[2 * u + 1]),
      ];
      const m = sideMiddle(b, side);
      const stub = Math.hypot(m[0] - a[0], m[1] - a[1]);
      for (const [via, along] of [[u, f * g.len[e]], [v, (1 - f) * g.len[e]]]) {
        const total = dist[via] + along + stub;
        if (Number.isFinite(total) && (best === null || total < best.metres)) {
          best = { metres: total, via, a, m };
        }
      }
    }
    if (best === null) return null;
    const nodes = [];
    for (let v = best.via; v !== -1; v = prev[v]) nodes.push(v);
    nodes.reverse();
    const pts = nodes.map((v) => [g.xy[2 * v], g.xy[2 * v + 1]]);
    for (const p of [best.a, best.m]) {
      const q = pts[pts.length - 1];
      if (Math.hypot(p[0] - q[0], p[1] - q[1]) > 1e-6) pts.push(p);
    }
    return { metres: best.metres, points: pts, entrance: ent, booth: b, hall };
  }

  /** The walk to `b` from the chosen entrance, or from the nearest of its hall. */
  function routeTo(b) {
    const chosen = entranceById.get($("entrance").value);
    if (chosen) return chosen.hall === b.hall ? walk(chosen, b) : { otherHall: true };
    let best = null;
    for (const e of entrances) {
      if (e.hall !== b.hall) continue;
      const w = walk(e, b);
      if (w && (best === null || w.metres < best.metres)) best = w;
    }
    return best;
  }

  // ---- the view: pan and zoom through the viewBox -----------------------------------------
  const base = svg.viewBox.baseVal;
  const full = { x: base.x, y: base.y, w: base.width, h: base.height };
  const view = { cx: full.x + full.w / 2, cy: full.y + full.h / 2, s: 1 };
  const size = () => {
    const r = svg.getBoundingClientRect();
    return { left: r.left, top: r.top, w: r.width || 1, h: r.height || 1 };
  };
  const maxScale = () => {
    const r = size();
    return 2 * Math.max(full.w / r.w, full.h / r.h);
  };
  const MIN_SCALE = 0.03;

  function apply() {
    const r = size();
    view.s = Math.min(Math.max(view.s, MIN_SCALE), maxScale());
    view.cx = Math.min(Math.max(view.cx, full.x), full.x + full.w);
    view.cy = Math.min(Math.max(view.cy, full.y), full.y + full.h);
    const w = r.w * view.s;
    const h = r.h * view.s;
    svg.setAttribute("viewBox", [view.cx - w / 2, view.cy - h / 2, w, h].map((v) => v.toFixed(2)).join(" "));
    // Markers keep their size on the screen.
    for (const m of svg.querySelectorAll("#route-layer [data-px]")) {
      m.setAttribute(m.getAttribute("data-attr"), (Number(m.getAttribute("data-px")) * view.s).toFixed(2));
    }
  }

  // The last framing asked for (the whole plan, a hall, a booth), redone when the map's size
  // changes (a phone turned, the panel grown) until the user moves the view by hand.
  let reframe = null;
  function framed(fn) {
    reframe = fn;
    fn();
  }
  function byHand() {
    reframe = null;
  }

  function fitBox(x, y, w, h, pad) {
    const r = size();
    view.cx = x + w / 2;
    view.cy = y + h / 2;
    view.s = Math.max((w * (1 + pad)) / r.w, (h * (1 + pad)) / r.h);
    apply();
  }

  function toSvg(clientX, clientY) {
    const r = size();
    return {
      x: view.cx + (clientX - r.left - r.w / 2) * view.s,
      y: view.cy + (clientY - r.top - r.h / 2) * view.s,
    };
  }

  function zoomAt(clientX, clientY, factor) {
    const r = size();
    const p = toSvg(clientX, clientY);
    view.s = Math.min(Math.max(view.s / factor, MIN_SCALE), maxScale());
    view.cx = p.x - (clientX - r.left - r.w / 2) * view.s;
    view.cy = p.y - (clientY - r.top - r.h / 2) * view.s;
    apply();
  }

  function fitAll() {
    fitBox(full.x, full.y, full.w, full.h, 0);
  }

  function zoomCentre(factor) {
    const r = size();
    zoomAt(r.left + r.w / 2, r.top + r.h / 2, factor);
  }

  /** Centre the booth `box` with some 40 m of floor around it, and the walk's start in view. */
  function showBooth(box, w) {
    const r = size();
    const k = halls.length ? halls[0].frame[2] : 8;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    let s = Math.max((box.width * 10) / r.w, (box.height * 10) / r.h, (40 * k) / Math.min(r.w, r.h));
    if (w && w.points) {
      for (const p of w.points) {
        const [x, y] = toPlan(w.hall, p[0], p[1]);
        s = Math.max(s, (2.3 * Math.abs(x - cx)) / r.w, (2.3 * Math.abs(y - cy)) / r.h);
      }
    }
    view.s = Math.min(s, Math.max(full.w / r.w, full.h / r.h));
    view.cx = cx;
    view.cy = cy;
    apply();
  }

  svg.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? size().h : 1;
      byHand();
      zoomAt(e.clientX, e.clientY, Math.exp(-e.deltaY * unit * 0.002));
    },
    { passive: false }
  );

  const pointers = new Map();
  let gesture = null;
  let tapTarget = null;
  let moved = false;

  function startGesture() {
    const list = [...pointers.values()];
    if (list.length === 1) {
      gesture = { kind: "pan", x: list[0].x, y: list[0].y, cx: view.cx, cy: view.cy };
    } else if (list.length >= 2) {
      const [a, b] = list;
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      gesture = { kind: "pinch", d: Math.hypot(a.x - b.x, a.y - b.y) || 1, s: view.s, p: toSvg(mx, my) };
    } else {
      gesture = null;
    }
  }

  svg.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    try {
      svg.setPointerCapture(e.pointerId);
    } catch (err) {
      /* a synthetic pointer cannot be captured; the gesture still works */
    }
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 1) {
      tapTarget = e.target;
      moved = false;
    } else {
      moved = true;
    }
    startGesture();
    svg.classList.add("dragging");
  });

  svg.addEventListener("pointermove", (e) => {
    if (!pointers.has(e.pointerId)) {
      if (e.pointerType === "mouse") hover(e);
      return;
    }
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const r = size();
    if (gesture && gesture.kind === "pan") {
      const dx = e.clientX - gesture.x;
      const dy = e.clientY - gesture.y;
      if (Math.abs(dx) + Math.abs(dy) > 6) moved = true;
      if (!moved) return;
      byHand();
      view.cx = gesture.cx - dx * view.s;
      view.cy = gesture.cy - dy * view.s;
      apply();
    } else if (gesture && gesture.kind === "pinch") {
      byHand();
      const [a, b] = [...pointers.values()];
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      view.s = Math.min(Math.max(gesture.s / (Math.hypot(a.x - b.x, a.y - b.y) / gesture.d), MIN_SCALE), maxScale());
      view.cx = gesture.p.x - (mx - r.left - r.w / 2) * view.s;
      view.cy = gesture.p.y - (my - r.top - r.h / 2) * view.s;
      apply();
    }
  });

  function pointerEnd(e) {
    if (!pointers.has(e.pointerId)) return;
    pointers.delete(e.pointerId);
    if (pointers.size === 0) {
      svg.classList.remove("dragging");
      if (e.type === "pointerup" && !moved && tapTarget) {
        const g = tapTarget.closest ? tapTarget.closest("g.stand") : null;
        const b = g ? byNo.get(g.getAttribute("data-booth")) : null;
        if (b) select(b, false);
      }
      tapTarget = null;
      gesture = null;
    } else {
      startGesture();
    }
  }
  svg.addEventListener("pointerup", pointerEnd);
  svg.addEventListener("pointercancel", pointerEnd);
  svg.addEventListener("pointerleave", () => {
    $("tip").hidden = true;
  });

  function hover(e) {
    const tip = $("tip");
    const g = e.target.closest ? e.target.closest("g.stand") : null;
    const b = g ? byNo.get(g.getAttribute("data-booth")) : null;
    if (!b) {
      tip.hidden = true;
      return;
    }
    tip.replaceChildren(el("b", b.no), document.createTextNode(" " + primary(b)));
    const other = secondary(b);
    if (other) tip.append(el("br"), document.createTextNode(other));
    const m = $("map").getBoundingClientRect();
    tip.style.left = Math.min(e.clientX - m.left + 14, Math.max(0, m.width - 270)) + "px";
    tip.style.top = e.clientY - m.top + 14 + "px";
    tip.hidden = false;
  }

  const resized = () => (reframe ? reframe() : apply());
  window.addEventListener("resize", resized);
  if (window.ResizeObserver) new ResizeObserver(resized).observe($("map"));

  // ---- highlights, route and details -------------------------------------------------------
  let current = null;
  const layer = svgEl("g", { id: "route-layer" });
  svg.appendChild(layer);

  function highlight(nos, cls) {
    for (const g of svg.querySelectorAll("g.stand." + cls)) g.classList.remove(cls);
    for (const no of nos) {
      const g = stands.get(no);
      if (g) g.classList.add(cls);
    }
  }

  function drawHere(ent) {
    const hall = halls[hallIndex.get(ent.hall)];
    const g = graphOf(hall);
    const [x, y] = toPlan(hall, g.xy[2 * ent.node], g.xy[2 * ent.node + 1]);
    const here = svgEl("g", { class: "here", "data-entrance": ent.id });
    here.append(svgEl("circle", { cx: x.toFixed(2), cy: y.toFixed(2), "data-px": 8, "data-attr": "r" }));
    const label = svgEl("text", { x: x.toFixed(2), y: y.toFixed(2), dx: "0.9em", dy: "-0.6em", "data-px": 14, "data-attr": "font-size" });
    label.textContent = t().here;
    here.append(label);
    layer.append(here);
  }

  function drawRoute() {
    layer.replaceChildren();
    const chosen = entranceById.get($("entrance").value);
    const w = current ? routeTo(current) : null;
    if (w && !w.otherHall) {
      const d = w.points
        .map((p, i) => {
          const [x, y] = toPlan(w.hall, p[0], p[1]);
          return (i ? "L" : "M") + x.toFixed(2) + "," + y.toFixed(2);
        })
        .join(" ");
      layer.append(svgEl("path", { class: "route-casing", d }));
      layer.append(
        svgEl("path", {
          id: "route",
          class: "route",
          d,
          "data-metres": w.metres.toFixed(1),
          "data-entrance": w.entrance.id,
          "data-booth": w.booth.no,
        })
      );
      const [gx, gy] = toPlan(w.hall, w.points[w.points.length - 1][0], w.points[w.points.length - 1][1]);
      layer.append(svgEl("circle", { class: "goal", cx: gx.toFixed(2), cy: gy.toFixed(2), "data-px": 6, "data-attr": "r" }));
      drawHere(w.entrance);
    } else if (chosen) {
      drawHere(chosen);
    }
    apply();
    return w;
  }

  function row(dl, term, value) {
    dl.append(el("dt", term), el("dd", value));
  }

  function showDetails(b, w) {
    const box = $("details");
    box.replaceChildren();
    box.hidden = false;
    box.append(el("h2", primary(b) || b.no));
    const other = secondary(b);
    if (other) box.append(el("p", other, "other"));
    const dl = el("dl");
    row(dl, t().booth, b.no);
    const hall = halls[hallIndex.get(b.hall)];
    row(dl, t().hall, hallName(hall) + (hall.level ? " · " + hall.level : ""));
    row(dl, t().zone, zoneName(b));
    row(dl, t().size, b.size[0] + " × " + b.size[1] + " m (" + b.area + " m²)");
    const type = D.types[b.type];
    if (type || b.type) row(dl, t().type, type ? type[lang === "ko" ? 0 : 1] : b.type);
    if (b.tier) row(dl, t().tier, t().tiers[b.tier] || b.tier);
    box.append(dl);
    let note;
    if (w && w.otherHall) note = t().otherHall(hallName(hall));
    else if (w) {
      const metres = Math.round(w.metres);
      note = t().walk(metres, Math.max(1, Math.round(w.metres / WALK_M_PER_MIN)), w.entrance.id);
    } else note = entrances.some((e) => e.hall === b.hall) ? t().noRoute : t().noEntrance;
    box.append(el("p", note, "walk"));
  }

  function centreOn(b, w) {
    const g = stands.get(b.no);
    if (g) framed(() => showBooth((g.querySelector("path.booth") || g).getBBox(), w));
  }

  function select(b, centre) {
    current = b;
    highlight([b.no], "hit");
    const w = drawRoute();
    if (centre) centreOn(b, w);
    showDetails(b, w);
    remember();
  }

  // ---- search, results and zones -------------------------------------------------------------
  let listed = null; // the booths in the results list, or null

  function search(query) {
    const q = norm(query);
    if (!q) return null;
    const qc = compact(query);
    const hits = [];
    for (const b of booths) {
      let rank = b.noKey === qc ? 0 : Infinity;
      for (const k of b.keys) {
        if (!k) continue;
        if (k.startsWith(q)) rank = Math.min(rank, 1);
        else if (k.includes(q)) rank = Math.min(rank, 2);
      }
      if (rank === Infinity && qc && b.noKey.includes(qc)) rank = 2;
      if (rank !== Infinity) hits.push([rank, b]);
    }
    hits.sort((x, y) => x[0] - y[0] || x[1].no.localeCompare(y[1].no, undefined, { numeric: true }));
    return hits.map((h) => h[1]);
  }

  function showResults(list) {
    listed = list;
    const ul = $("results");
    ul.replaceChildren();
    $("count").textContent = "";
    if (list === null) return;
    $("count").textContent = list.length ? t().count(list.length, Math.min(list.length, MAX_RESULTS)) : t().none;
    for (const b of list.slice(0, MAX_RESULTS)) {
      const button = el("button", null);
      button.type = "button";
      button.setAttribute("data-booth", b.no);
      button.append(el("span", b.no, "no"), document.createTextNode(primary(b)));
      const sub = [secondary(b), zoneName(b)].filter(Boolean).join(" · ");
      button.append(el("span", sub, "sub"));
      button.addEventListener("click", () => select(b, true));
      const li = el("li");
      li.append(button);
      ul.append(li);
    }
  }

  function showZone(index) {
    const list = booths.filter((b) => b.zone === index);
    $("search").value = "";
    showResults(list);
    highlight(
      list.map((b) => b.no),
      "zone-hit"
    );
    const boxes = list.map((b) => stands.get(b.no)).filter(Boolean).map((g) => g.getBBox());
    if (boxes.length) {
      const x0 = Math.min(...boxes.map((r) => r.x));
      const y0 = Math.min(...boxes.map((r) => r.y));
      const x1 = Math.max(...boxes.map((r) => r.x + r.width));
      const y1 = Math.max(...boxes.map((r) => r.y + r.height));
      framed(() => fitBox(x0, y0, x1 - x0, y1 - y0, 0.15));
    }
  }

  function buildZones() {
    const ul = $("zones");
    ul.replaceChildren();
    const items = D.zones.map((z, i) => [i, z.colour, primary(z) || z.id, secondary(z)]);
    items.push([null, D.no_zone, t().noZone, ""]);
    for (const [index, colour, name, other] of items) {
      const button = el("button");
      button.type = "button";
      const swatch = el("span", null, "swatch");
      swatch.style.background = colour;
      button.append(swatch, el("span", other ? name + " · " + other : name));
      button.addEventListener("click", () => showZone(index));
      const li = el("li");
      li.append(button);
      ul.append(li);
    }
  }

  function buildHalls() {
    const nav = $("halls");
    nav.replaceChildren();
    const all = el("button", t().all);
    all.type = "button";
    all.addEventListener("click", () => framed(fitAll));
    nav.append(all);
    for (const h of halls) {
      const shape = hallShapes.get(h.id);
      if (!shape) continue;
      const button = el("button", hallName(h));
      button.type = "button";
      button.setAttribute("data-hall", h.id);
      button.addEventListener("click", () => {
        const r = shape.getBBox();
        framed(() => fitBox(r.x, r.y, r.width, r.height, 0.08));
      });
      nav.append(button);
    }
  }

  function buildEntrances() {
    const select = $("entrance");
    const keep = select.value;
    select.replaceChildren();
    const nearest = el("option", t().nearest);
    nearest.value = "";
    select.append(nearest);
    for (const h of halls) {
      const group = document.createElement("optgroup");
      group.label = hallName(h);
      for (const e of entrances) {
        if (e.hall !== h.id) continue;
        const option = el("option", e.id);
        option.value = e.id;
        group.append(option);
      }
      if (group.children.length) select.append(group);
    }
    select.value = entranceById.has(keep) ? keep : "";
  }

  function setLanguage(next) {
    lang = next;
    document.documentElement.lang = lang;
    const tx = t();
    $("search").placeholder = tx.search;
    $("search").setAttribute("aria-label", tx.search);
    $("entrance").setAttribute("aria-label", tx.entrance);
    $("entrance").title = tx.entrance;
    $("lang").textContent = tx.langButton;
    $("lang").setAttribute("aria-label", tx.langLabel);
    $("zoom-in").setAttribute("aria-label", tx.zoomIn);
    $("zoom-out").setAttribute("aria-label", tx.zoomOut);
    $("zoom-fit").setAttribute("aria-label", tx.fit);
    svg.setAttribute("aria-label", tx.plan);
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = tx[e.getAttribute("data-t")];
    $("event-title").textContent = (lang === "ko" ? D.event_ko || D.event : D.event || D.event_ko) || tx.plan;
    buildEntrances();
    buildHalls();
    buildZones();
    showResults(listed);
    if (current) showDetails(current, drawRoute());
    else drawRoute();
    remember();
  }

  function remember() {
    const params = new URLSearchParams();
    if (current) params.set("b", current.no);
    if ($("entrance").value) params.set("e", $("entrance").value);
    params.set("lang", lang);
    try {
      history.replaceState(null, "", "#" + params.toString());
    } catch (err) {
      /* some browsers refuse it for local files: the page works without */
    }
  }

  // ---- wiring -----------------------------------------------------------------------------
  $("search").addEventListener("input", (e) => {
    highlight([], "zone-hit");
    showResults(search(e.target.value));
  });
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && listed && listed.length) select(listed[0], true);
  });
  $("entrance").addEventListener("change", () => {
    if (current) {
      const w = drawRoute();
      centreOn(current, w);
      showDetails(current, w);
    } else drawRoute();
    remember();
  });
  $("lang").addEventListener("click", () => setLanguage(lang === "ko" ? "en" : "ko"));
  $("zoom-in").addEventListener("click", () => {
    byHand();
    zoomCentre(1.5);
  });
  $("zoom-out").addEventListener("click", () => {
    byHand();
    zoomCentre(1 / 1.5);
  });
  $("zoom-fit").addEventListener("click", () => framed(fitAll));

  // A link may name the booth, the entrance and the language: #b=C-214&e=C-E1&lang=en.
  const asked = new URLSearchParams(location.hash.slice(1));
  if (asked.get("lang") === "ko" || asked.get("lang") === "en") lang = asked.get("lang");
  if (window.matchMedia && window.matchMedia("(min-width: 820px)").matches) $("legend").open = true;
  framed(fitAll);
  setLanguage(lang);
  if (entranceById.has(asked.get("e"))) {
    $("entrance").value = asked.get("e");
    drawRoute();
  }
  if (byNo.has(asked.get("b"))) select(byNo.get(asked.get("b")), true);
})();
