// detente workbench: plain modern JavaScript, no build step, no library.
// Every number on the page comes from the server's JSON API, which returns
// the same documents as the command line's --json.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  name: "scenario",
  edits: { set: new Map(), drop: new Set() },
  analysis: null, // the last /api/analyze response
  controlsFor: null, // the text the what-if controls were built for
  talks: null, // the last negotiation document
  seq: 0, // answers to older requests are ignored
  pair: [0, 1],
  view: null,
};
const SVG = "http://www.w3.org/2000/svg";
const W = 560, H = 440, L = 56, R = 14, T = 14, B = 44;

// ---------- requests ----------

async function api(path, body, as = "json") {
  const init = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  if (!res.ok) {
    let err = { error: `${res.status} ${res.statusText}` };
    try { err = await res.json(); } catch (_) { /* not JSON */ }
    err.status = res.status;
    throw err;
  }
  return as === "json" ? res.json() : as === "text" ? res.text() : res.blob();
}

function status(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

// Runs `fn` at once when idle; input that arrives while it runs is folded
// into one more run when it finishes. The first change repaints without a
// pause, and a key held down never queues more than one request.
function coalesce(fn) {
  let running = false, again = false;
  const go = async () => {
    running = true;
    try { await fn(); } finally {
      running = false;
      if (again) { again = false; go(); }
    }
  };
  return () => { if (running) again = true; else go(); };
}

const liveAnalyze = coalesce(() => analyze());

// ---------- editor: a textarea over a highlighted <pre> ----------

function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// A small TOML highlighter, line by line: comments, table headers, keys,
// strings, numbers and booleans. JSON gets strings and numbers.
function highlightLine(line) {
  const m = /^(\s*)(\[\[?[^\]]*\]\]?)(.*)$/.exec(line);
  if (m) return escapeHtml(m[1]) + `<span class="tok-table">${escapeHtml(m[2])}</span>` + highlightValue(m[3]);
  const k = /^(\s*)([A-Za-z0-9_.\-"]+)(\s*=)(.*)$/.exec(line);
  if (k) return escapeHtml(k[1]) + `<span class="tok-key">${escapeHtml(k[2])}</span>` + escapeHtml(k[3]) + highlightValue(k[4]);
  return highlightValue(line);
}

function highlightValue(s) {
  let out = "";
  const re = /("(?:[^"\\]|\\.)*"?|'[^']*'?)|(#.*$)|(\b-?\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|(\btrue\b|\bfalse\b)/g;
  let last = 0, m;
  while ((m = re.exec(s))) {
    out += escapeHtml(s.slice(last, m.index));
    const cls = m[1] ? "tok-string" : m[2] ? "tok-comment" : m[3] ? "tok-number" : "tok-bool";
    out += `<span class="${cls}">${escapeHtml(m[0])}</span>`;
    last = re.lastIndex;
  }
  return out + escapeHtml(s.slice(last));
}

let marked = new Map(); // line number -> "error" | "warning"

function paintEditor() {
  const lines = $("editor").value.split("\n");
  $("highlight").innerHTML = lines
    .map((line, i) => {
      const html = highlightLine(line) || " ";
      const sev = marked.get(i + 1);
      return sev ? `<span class="line-${sev}" data-line="${i + 1}">${html}</span>` : html;
    })
    .join("\n") + "\n";
  syncScroll();
}

function syncScroll() {
  $("highlight").scrollTop = $("editor").scrollTop;
  $("highlight").scrollLeft = $("editor").scrollLeft;
}

function setText(text, name) {
  $("editor").value = text;
  state.name = name || "scenario";
  marked = new Map();
  paintEditor();
}

function goTo(line, column) {
  const ed = $("editor");
  const lines = ed.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  ed.focus();
  ed.setSelectionRange(offset, offset);
  const lineHeight = 13 * 1.5;
  ed.scrollTop = Math.max(0, (line - 5) * lineHeight);
  syncScroll();
}

// ---------- diagnostics ----------

function showDiagnostics(doc) {
  const list = $("diagnostics");
  list.replaceChildren();
  marked = new Map();
  for (const d of doc.diagnostics) {
    const li = document.createElement("li");
    li.className = d.severity;
    li.dataset.testid = "diagnostic";
    const line = d.span ? d.span.line : 1, column = d.span ? d.span.column : 1;
    li.dataset.line = line;
    li.dataset.column = column;
    if (!marked.has(line) || d.severity === "error") marked.set(line, d.severity);
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = `line ${line}, column ${column} · ${d.severity} [${d.code}] `;
    const msg = document.createElement("span");
    msg.textContent = d.message + (d.label ? ` (${d.label})` : "");
    li.append(where, msg);
    const go = document.createElement("button");
    go.type = "button";
    go.textContent = "Show";
    go.setAttribute("aria-label", `Show line ${line} in the editor`);
    go.addEventListener("click", () => goTo(line, column));
    li.append(go);
    if (d.help) {
      const help = document.createElement("span");
      help.className = "help";
      help.textContent = "Help: " + d.help;
      li.append(help);
    }
    list.append(li);
  }
  if (doc.diagnostics.length === 0) {
    const li = document.createElement("li");
    li.className = "ok";
    li.textContent = "No problems found.";
    li.style.borderColor = "var(--agree)";
    li.style.background = "#eef7f0";
    list.append(li);
  }
  paintEditor();
}

async function check() {
  const seq = ++state.seq;
  try {
    const doc = await api("/api/check", { text: $("editor").value, name: state.name });
    if (seq !== state.seq) return;
    showDiagnostics(doc);
    if (doc.valid) analyze();
    else status(`The scenario has problems; the analysis waits until they are fixed.`, true);
  } catch (e) {
    if (seq === state.seq) status(e.error, true);
  }
}

// ---------- analysis ----------

function editsBody() {
  return { set: [...state.edits.set].map(([p, v]) => `${p}=${v}`), drop: [...state.edits.drop] };
}

async function analyze() {
  const seq = ++state.seq;
  const text = $("editor").value;
  const started = performance.now();
  status("Analysing…");
  try {
    // The type and pressure sections are not shown here; leaving them out
    // halves the what-if's time on the Kuril file.
    const res = await api("/api/analyze", { text, ...editsBody(), sections: false });
    if (seq !== state.seq) return;
    state.analysis = res;
    showVerdict(res);
    showBlockers(res);
    if (state.controlsFor !== text) {
      state.controlsFor = text;
      buildControls(res.controls);
      buildPairs(res.plane);
      buildPartyStrategies(res.plane);
      state.view = null;
      // Results of the text before are not results of this one.
      for (const id of ["negotiation-result", "robustness-result", "forecast-result"]) $(id).replaceChildren();
      state.talks = null;
    } else {
      updateControls(res.controls);
    }
    showEdits();
    drawPlane();
    const a = res.analysis;
    status(`Analysed ${a.outcomes} outcomes in ${Math.round(performance.now() - started)} ms.`);
  } catch (e) {
    if (seq !== state.seq) return;
    if (e.check) showDiagnostics(e.check);
    status(e.error || String(e), true);
  }
}

function showVerdict(res) {
  const v = $("verdict");
  v.textContent = res.verdict || "No verdict.";
  v.classList.toggle("deal", !!res.analysis.deal_exists);
  v.dataset.deal = res.analysis.deal_exists ? "yes" : "no";
}

function blockerEdits(b) {
  const set = [], drop = [];
  for (const r of b.relax) {
    if (r.kind === "drop-constraint") drop.push(r.constraint);
    else if (r.kind === "lower-reservation" && typeof r.best_feasible === "number") {
      // Just below the best it can get, so that outcome clears the reservation.
      let v = Math.floor(r.best_feasible * 1e4) / 1e4;
      if (v >= r.best_feasible) v -= 1e-4;
      set.push([`${r.actor}.reservation`, Math.max(0, v).toFixed(4)]);
    } else return null; // removing a ratifier or a veto has no what-if edit
  }
  return { set, drop };
}

function showBlockers(res) {
  const list = $("blockers");
  list.replaceChildren();
  const blockers = res.analysis.blockers || [];
  if (res.analysis.deal_exists) {
    const li = document.createElement("li");
    li.textContent = "Nothing: there is a deal.";
    list.append(li);
    return;
  }
  if (blockers.length === 0) {
    const li = document.createElement("li");
    li.textContent = "No change of up to four relaxations opens a deal.";
    list.append(li);
  }
  for (const b of blockers) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.testid = "blocker";
    button.textContent = `${b.summary} — opens ${b.opens_count} outcome${b.opens_count === 1 ? "" : "s"}`;
    const edits = blockerEdits(b);
    if (!edits) {
      button.disabled = true;
      button.title = "Removing a ratifier or a veto is not a what-if edit; edit the scenario text instead.";
    }
    button.addEventListener("click", () => {
      for (const [p, v] of edits.set) state.edits.set.set(p, v);
      for (const d of edits.drop) state.edits.drop.add(d);
      analyze();
    });
    li.append(button);
    list.append(li);
  }
}

// ---------- what-if controls ----------

function slider(container, id, label, value, max, path) {
  const l = document.createElement("label");
  l.htmlFor = id;
  l.textContent = label;
  const input = document.createElement("input");
  Object.assign(input, { type: "range", id, min: 0, max, step: max / 200, value });
  input.dataset.path = path;
  input.dataset.testid = "slider-" + path;
  const out = document.createElement("output");
  out.htmlFor = id;
  out.id = id + "-value";
  out.textContent = Number(value).toFixed(3);
  input.addEventListener("input", () => {
    out.textContent = Number(input.value).toFixed(3);
    state.edits.set.set(path, Number(input.value).toFixed(4));
    liveAnalyze();
  });
  container.append(l, input, out);
}

function buildControls(c) {
  const res = $("reservations");
  res.replaceChildren();
  const head = document.createElement("strong");
  head.textContent = "Reservations (the least each actor accepts, 0–1)";
  head.style.gridColumn = "1 / -1";
  res.append(head);
  for (const a of c.actors) slider(res, `res-${a.id}`, `${a.name} (${a.role})`, a.reservation, 1, `${a.id}.reservation`);
  const sal = $("saliences");
  sal.replaceChildren();
  for (const a of c.actors) {
    for (const s of a.saliences) {
      const max = Math.max(1, Math.ceil(s.salience * 2));
      slider(sal, `sal-${a.id}-${s.issue}`, `${a.id}: ${s.issue}`, s.salience, max, `${a.id}.salience.${s.issue}`);
    }
  }
  const box = $("constraints");
  box.querySelectorAll("div").forEach((d) => d.remove());
  for (const k of c.constraints) {
    const div = document.createElement("div");
    const input = document.createElement("input");
    Object.assign(input, { type: "checkbox", id: `con-${k.label}`, checked: !state.edits.drop.has(k.label) });
    input.dataset.testid = "constraint-" + k.label;
    input.addEventListener("change", () => {
      if (input.checked) state.edits.drop.delete(k.label);
      else state.edits.drop.add(k.label);
      analyze();
    });
    const l = document.createElement("label");
    l.htmlFor = input.id;
    l.textContent = ` ${k.label} (${k.owner}) `;
    const rule = document.createElement("code");
    rule.textContent = k.rule;
    div.append(input, l, rule);
    box.append(div);
  }
}

function updateControls(c) {
  for (const a of c.actors) {
    const input = $(`res-${a.id}`);
    if (input && document.activeElement !== input) {
      input.value = a.reservation;
      $(`res-${a.id}-value`).textContent = Number(a.reservation).toFixed(3);
    }
  }
  for (const k of c.constraints) {
    const input = $(`con-${k.label}`);
    if (input) input.checked = !state.edits.drop.has(k.label);
  }
}

function showEdits() {
  const list = $("edits");
  list.replaceChildren();
  const add = (text, undo) => {
    const li = document.createElement("li");
    li.textContent = text + " ";
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Undo";
    b.setAttribute("aria-label", `Undo: ${text}`);
    b.addEventListener("click", () => { undo(); state.controlsFor = null; analyze(); });
    li.append(b);
    list.append(li);
  };
  for (const [p, v] of state.edits.set) add(`set ${p} = ${v}`, () => state.edits.set.delete(p));
  for (const d of state.edits.drop) add(`drop constraint ${d}`, () => state.edits.drop.delete(d));
}

// ---------- the utility plane ----------

// One strategy choice per party ("as above": the strategy of every party),
// kept when the same parties come back after an edit.
function buildPartyStrategies(plane) {
  const box = $("party-strategies");
  const before = new Map([...box.querySelectorAll("select")].map((x) => [x.dataset.party, x.value]));
  box.replaceChildren();
  plane.parties.forEach((party, i) => {
    const id = `strategy-${party}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = plane.names[i];
    const select = document.createElement("select");
    select.id = id;
    select.dataset.party = party;
    select.append(new Option("as above", ""), ...[...$("strategy").options].map((o) => new Option(o.textContent, o.value)));
    select.value = before.get(party) || "";
    box.append(label, select);
  });
}

function buildPairs(plane) {
  for (const [id, k] of [["pair-x", 0], ["pair-y", 1]]) {
    const sel = $(id);
    sel.replaceChildren(...plane.parties.map((p, i) => new Option(plane.names[i] + ` (${p})`, i)));
    sel.value = Math.min(k, plane.parties.length - 1);
    sel.disabled = plane.parties.length <= 2;
  }
  state.pair = [0, Math.min(1, plane.parties.length - 1)];
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.append(e);
  return e;
}

function defaultView() {
  return { x0: -0.03, x1: 1.03, y0: -0.03, y1: 1.03 };
}

function drawPlane() {
  const res = state.analysis;
  const svg = $("plane");
  svg.replaceChildren();
  delete svg.dataset.points;
  delete svg.dataset.fine;
  svg.dataset.paints = Number(svg.dataset.paints || 0) + 1;
  if (!res) return;
  const plane = res.plane;
  const [px, py] = state.pair;
  const v = state.view || (state.view = defaultView());
  const sx = (u) => L + ((u - v.x0) / (v.x1 - v.x0)) * (W - L - R);
  const sy = (u) => T + (1 - (u - v.y0) / (v.y1 - v.y0)) * (H - T - B);
  state.scale = { sx, sy };
  const defs = el("defs", {}, svg);
  const clip = el("clipPath", { id: "plot-area" }, defs);
  el("rect", { x: L, y: T, width: W - L - R, height: H - T - B }, clip);
  // Axes and grid: tenths of utility.
  const axes = el("g", {}, svg);
  const step = (v.x1 - v.x0) > 0.5 ? 0.1 : (v.x1 - v.x0) > 0.1 ? 0.02 : 0.005;
  for (let t = Math.ceil(v.x0 / step) * step; t <= v.x1 + 1e-9; t += step) {
    el("line", { class: "grid", x1: sx(t), x2: sx(t), y1: T, y2: H - B }, axes);
    el("text", { x: sx(t), y: H - B + 16, "text-anchor": "middle" }, axes).textContent = +t.toFixed(3);
  }
  const stepY = (v.y1 - v.y0) > 0.5 ? 0.1 : (v.y1 - v.y0) > 0.1 ? 0.02 : 0.005;
  for (let t = Math.ceil(v.y0 / stepY) * stepY; t <= v.y1 + 1e-9; t += stepY) {
    el("line", { class: "grid", x1: L, x2: W - R, y1: sy(t), y2: sy(t) }, axes);
    el("text", { x: L - 6, y: sy(t) + 4, "text-anchor": "end" }, axes).textContent = +t.toFixed(3);
  }
  el("rect", { class: "axis", x: L, y: T, width: W - L - R, height: H - T - B, fill: "none" }, axes);
  el("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle" }, axes).textContent = `utility of ${plane.names[px]}`;
  el("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${(T + H - B) / 2})` }, axes).textContent = `utility of ${plane.names[py]}`;
  const g = el("g", { "clip-path": "url(#plot-area)" }, svg);
  // Every outcome, or the binned density for large spaces.
  const dots = el("g", { "data-testid": "outcomes" }, g);
  let agreeCount = 0;
  if (plane.points) {
    // Thousands of dots: one canvas inside the SVG (a DOM node per dot
    // would cost more than the analysis itself).
    const k = 2; // canvas pixels per SVG unit, for sharp dots
    const fo = el("foreignObject", { x: L, y: T, width: W - L - R, height: H - T - B }, dots);
    const canvas = document.createElement("canvas");
    canvas.width = (W - L - R) * k;
    canvas.height = (H - T - B) * k;
    canvas.style.width = "100%";
    canvas.style.height = "100%";
    canvas.style.display = "block";
    fo.append(canvas);
    const ctx = canvas.getContext("2d");
    const styles = getComputedStyle(document.documentElement);
    for (const agree of [0, 1]) {
      ctx.fillStyle = agree ? styles.getPropertyValue("--agree").trim() : "#767676";
      const r = (agree ? 3 : 2.2) * k;
      ctx.beginPath();
      for (const row of plane.points) {
        if (row[1] !== agree) continue;
        agreeCount += agree;
        const x = (sx(row[2 + px]) - L) * k, y = (sy(row[2 + py]) - T) * k;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    svg.dataset.points = plane.points.length;
  } else if (plane.density && fineFor(res, px, py, v)) {
    // The window the server counted at this zoom: cells of its own size.
    const f = state.fine.doc;
    const w = (f.x_range[1] - f.x_range[0]) / f.bins, h = (f.y_range[1] - f.y_range[0]) / f.bins;
    drawCells(dots, f, f.bins, sx, sy, (row, col) =>
      [f.x_range[0] + col * w, f.x_range[0] + (col + 1) * w, f.y_range[0] + row * h, f.y_range[0] + (row + 1) * h]);
    svg.dataset.fine = f.bins;
  } else if (plane.density) {
    const d = plane.density;
    const [a, b] = px < py ? [px, py] : [py, px];
    const pl = d.planes.find((p) => p.x === a && p.y === b);
    if (zoomed(v)) refine();
    // Planes are stored with the lower party position along x.
    if (pl) drawCells(dots, pl, d.bins, sx, sy, (row, col) => {
      const [cx, cy] = px < py ? [col, row] : [row, col];
      return [cx / d.bins, (cx + 1) / d.bins, cy / d.bins, (cy + 1) / d.bins];
    });
  }
  // Reservations.
  el("line", { class: "reservation", x1: sx(plane.reservations[px]), x2: sx(plane.reservations[px]), y1: T, y2: H - B }, g);
  el("line", { class: "reservation", x1: L, x2: W - R, y1: sy(plane.reservations[py]), y2: sy(plane.reservations[py]) }, g);
  // The Pareto frontier of all outcomes (on this pair, the projection).
  const front = plane.pareto_all.map((p) => [p.u[px], p.u[py]]).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  if (front.length) el("polyline", { class: "pareto", points: front.map(([x, y]) => `${sx(x)},${sy(y)}`).join(" "), "data-testid": "pareto" }, g);
  // Status quo and solutions.
  if (plane.status_quo) el("circle", { class: "sq", cx: sx(plane.status_quo[px]), cy: sy(plane.status_quo[py]), r: 6 }, g);
  const letters = { nash: "N", kalai_smorodinsky: "K", egalitarian: "E", utilitarian: "U" };
  for (const [key, letter] of Object.entries(letters)) {
    const p = plane.solutions[key];
    if (!p) continue;
    el("circle", { class: "sol", cx: sx(p.u[px]), cy: sy(p.u[py]), r: 5 }, g);
    el("text", { class: "sol-label", x: sx(p.u[px]) + 7, y: sy(p.u[py]) - 6 }, g).textContent = letter;
  }
  // The simulated talks: each party's offers in order, and the agreement.
  if (state.talks) drawTalks(g, plane, sx, sy, px, py);
  el("circle", { class: "hover-ring", id: "hover-ring", r: 7, cx: -20, cy: -20 }, svg);
  svg.dataset.agree = agreeCount;
  svg.dataset.drawn = Number(svg.dataset.drawn || 0) + 1;
  $("plane-caption").textContent = plane.points
    ? `${plane.points.length} outcomes drawn, ${res.analysis.agreement_set_size ?? "?"} in the agreement set (green). Hover for an outcome's changes from the status quo; scroll or use + and − to zoom, drag to move.`
    : `${res.analysis.outcomes} outcomes, binned: darker cells hold more outcomes, green cells some in the agreement set. Zoom in (scroll, + and −) and the cells are counted again at the new scale.`;
}

function drawTalks(g, plane, sx, sy, px, py) {
  const ids = [plane.parties[px], plane.parties[py]];
  const byActor = new Map();
  for (const step of state.talks.trace || []) {
    if (!step.utilities || step.action !== "offer") continue;
    if (!byActor.has(step.actor)) byActor.set(step.actor, []);
    byActor.get(step.actor).push([step.utilities[ids[0]], step.utilities[ids[1]]]);
  }
  const paths = el("g", { "data-testid": "offer-path" }, g);
  let dash = 0;
  for (const [actor, pts] of byActor) {
    el("polyline", { class: "offer-path", "stroke-dasharray": dash++ ? "6 3" : "none", points: pts.map(([x, y]) => `${sx(x)},${sy(y)}`).join(" "), "data-actor": actor }, paths);
    for (const [x, y] of pts) el("circle", { class: "offer", cx: sx(x), cy: sy(y), r: 2.5 }, paths);
  }
  const r = state.talks.result;
  if (r && r.agreement && r.utilities) el("circle", { class: "deal-mark", cx: sx(r.utilities[ids[0]]), cy: sy(r.utilities[ids[1]]), r: 8 }, paths);
}

// An outcome's changes from the status quo, from its number (last issue fastest).
function changesOf(index, space) {
  const digits = new Array(space.issues.length);
  let n = BigInt(index);
  for (let i = space.issues.length - 1; i >= 0; i--) {
    const r = BigInt(space.issues[i].values.length);
    digits[i] = Number(n % r);
    n /= r;
  }
  const parts = [];
  space.issues.forEach((issue, i) => {
    if (!space.status_quo || space.status_quo[i] !== digits[i]) parts.push(`${issue.id} → ${issue.values[digits[i]]}`);
  });
  return parts.length ? parts.join(", ") : "the status quo";
}

function hover(evt) {
  const res = state.analysis;
  if (!res || !state.scale) return;
  const svg = $("plane");
  const pt = svg.createSVGPoint();
  pt.x = evt.clientX; pt.y = evt.clientY;
  const at = pt.matrixTransform(svg.getScreenCTM().inverse());
  const { sx, sy } = state.scale;
  const [px, py] = state.pair;
  const plane = res.plane;
  let best = null, bestD = 100; // within 10 px
  const consider = (u, info) => {
    const dx = sx(u[px]) - at.x, dy = sy(u[py]) - at.y, d = dx * dx + dy * dy;
    if (d < bestD) { bestD = d; best = { u, ...info }; }
  };
  for (const row of plane.points || []) consider(row.slice(2), { index: row[0], agree: !!row[1] });
  for (const p of plane.pareto_all) consider(p.u, { changes: p.changes, what: "on the Pareto frontier" });
  for (const [k, p] of Object.entries(plane.solutions)) if (p) consider(p.u, { changes: p.changes, what: `the ${k.replace("_", "–")} solution` });
  const tip = $("tooltip");
  if (!best) { tip.hidden = true; $("hover-ring")?.setAttribute("cx", -20); return; }
  $("hover-ring").setAttribute("cx", sx(best.u[px]));
  $("hover-ring").setAttribute("cy", sy(best.u[py]));
  const changes = best.changes ?? changesOf(best.index, plane.space);
  const utilities = plane.parties.map((p, i) => `${plane.names[i]}: ${best.u[i].toFixed(3)}`).join("<br>");
  const what = best.what || (best.agree ? "in the agreement set" : "not acceptable to all");
  tip.innerHTML = `<strong>${escapeHtml(changes)}</strong><br><em>${escapeHtml(what)}</em><br>${utilities}`;
  const box = svg.getBoundingClientRect(), wrap = svg.parentElement.getBoundingClientRect();
  tip.style.left = Math.min(evt.clientX - wrap.left + 14, box.width - 200) + "px";
  tip.style.top = (evt.clientY - wrap.top + 14) + "px";
  tip.hidden = false;
}

// Binned counts (`all`, `agreement`, row-major) as shaded cells; `cell(row,
// col)` gives a cell's utility rectangle [x0, x1, y0, y1].
function drawCells(dots, counts, bins, sx, sy, cell) {
  const max = Math.max(1, ...counts.all);
  for (let row = 0; row < bins; row++) {
    for (let col = 0; col < bins; col++) {
      const k = row * bins + col;
      const n = counts.all[k];
      if (!n) continue;
      const [x0, x1, y0, y1] = cell(row, col);
      el("rect", {
        class: counts.agreement[k] ? "cell agree" : "cell",
        x: sx(x0), y: sy(y1), width: sx(x1) - sx(x0), height: sy(y0) - sy(y1),
        "fill-opacity": (0.15 + 0.85 * Math.log(1 + n) / Math.log(1 + max)).toFixed(3),
        "data-count": n, "data-agree": counts.agreement[k],
      }, dots);
    }
  }
}

function zoomed(v) {
  const d = defaultView();
  return v.x1 - v.x0 < 0.9 * (d.x1 - d.x0) || v.y1 - v.y0 < 0.9 * (d.y1 - d.y0);
}

// Whether the counted window in state.fine belongs to this analysis, pair
// and view.
function fineFor(res, px, py, v) {
  const f = state.fine;
  return !!f && f.res === res && f.px === px && f.py === py && f.view.x0 === v.x0 && f.view.x1 === v.x1 && f.view.y0 === v.y0 && f.view.y1 === v.y1;
}

// A large space is drawn from binned counts; once the view has settled on
// a zoomed part, the server counts that part at the same number of bins, so
// the picture sharpens as one zooms in.
const refine = debounce(async () => {
  const res = state.analysis, v = state.view, [px, py] = state.pair;
  if (!res || !res.plane.density || !v || !zoomed(v) || fineFor(res, px, py, v)) return;
  try {
    const doc = await api("/api/density", {
      text: $("editor").value, ...editsBody(),
      x: px, y: py, x_range: [v.x0, v.x1], y_range: [v.y0, v.y1],
    });
    if (state.analysis !== res || state.view !== v || state.pair[0] !== px || state.pair[1] !== py) return;
    state.fine = { res, px, py, view: { ...v }, doc };
    drawPlane();
  } catch (e) {
    status(e.error || String(e), true);
  }
}, 150);

function zoom(factor, cx = 0.5, cy = 0.5) {
  const v = state.view || defaultView();
  const x = v.x0 + cx * (v.x1 - v.x0), y = v.y0 + cy * (v.y1 - v.y0);
  state.view = { x0: x - (x - v.x0) * factor, x1: x + (v.x1 - x) * factor, y0: y - (y - v.y0) * factor, y1: y + (v.y1 - y) * factor };
  drawPlane();
}

function pan(dx, dy) {
  const v = state.view || defaultView();
  const w = v.x1 - v.x0, h = v.y1 - v.y0;
  state.view = { x0: v.x0 + dx * w, x1: v.x1 + dx * w, y0: v.y0 + dy * h, y1: v.y1 + dy * h };
  drawPlane();
}

function planeFraction(evt) {
  const svg = $("plane");
  const pt = svg.createSVGPoint();
  pt.x = evt.clientX; pt.y = evt.clientY;
  const at = pt.matrixTransform(svg.getScreenCTM().inverse());
  return [(at.x - L) / (W - L - R), 1 - (at.y - T) / (H - T - B)];
}

// ---------- negotiation, forecast, downloads ----------

async function negotiate(evt) {
  evt.preventDefault();
  const out = $("negotiation-result");
  out.textContent = "Negotiating…";
  try {
    const doc = await api("/api/negotiate", {
      text: $("editor").value, ...editsBody(),
      default_strategy: $("strategy").value, rounds: Number($("rounds").value), seed: Number($("seed").value),
      strategies: [...document.querySelectorAll("#party-strategies select")].filter((x) => x.value).map((x) => `${x.dataset.party}=${x.value}`),
    });
    state.talks = doc;
    const r = doc.result;
    const utilities = Object.entries(r.utilities || {}).map(([p, u]) => `${p} ${u.toFixed(3)}`).join(", ");
    const offers = (doc.trace || []).filter((s) => s.action === "offer").length;
    out.textContent = r.agreement
      ? `Agreement after ${r.rounds_used} rounds (${offers} offers)${r.stands ? ", and it stands" : ", but ratifiers or vetoes reject it: " + r.rejected_by.join(", ")}. Utilities: ${utilities}. The offers are drawn on the plane.`
      : `No agreement (${r.ending}) after ${r.rounds_used} rounds and ${offers} offers; each party is left with its reservation value (${utilities}). The offers are drawn on the plane.`;
    out.dataset.offers = offers;
    drawPlane();
  } catch (e) {
    out.textContent = e.error || String(e);
  }
}

// The forecast by round as a small line on the issue's scale.
function trajectory(trace, scale) {
  const w = 80, h = 22, n = trace.length - 1;
  const span = (scale.max - scale.min) || 1;
  const svg = el("svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}`, class: "trajectory", role: "img" });
  const pts = trace.map((t, k) => `${(k / n) * (w - 2) + 1},${h - 1 - ((t.forecast - scale.min) / span) * (h - 2)}`);
  el("polyline", { points: pts.join(" "), fill: "none", stroke: "#0b5cad", "stroke-width": 1.5 }, svg);
  const label = el("title", {}, svg);
  label.textContent = `forecast by round: ${trace.map((t) => t.forecast.toFixed(2)).join(", ")}`;
  svg.setAttribute("aria-label", label.textContent);
  return svg;
}

async function forecast() {
  const out = $("forecast-result");
  out.textContent = "Forecasting…";
  try {
    const doc = await api("/api/forecast", { text: $("editor").value });
    const models = [...new Set(doc.issues.flatMap((i) => i.forecasts.map((f) => f.model)))];
    const table = document.createElement("table");
    const cap = table.createCaption();
    cap.textContent = "Each model's forecast per issue (position on the issue's scale; option names where the issue has options); for the models that iterate, a line shows the forecast round by round.";
    const head = table.createTHead().insertRow();
    for (const h of ["issue", ...models]) { const th = document.createElement("th"); th.scope = "col"; th.textContent = h; head.append(th); }
    const body = table.createTBody();
    for (const issue of doc.issues) {
      const tr = body.insertRow();
      const th = document.createElement("th"); th.scope = "row"; th.textContent = issue.issue; tr.append(th);
      for (const m of models) {
        const f = issue.forecasts.find((x) => x.model === m);
        const opts = issue.scale && issue.scale.options;
        let text = "—";
        if (f && typeof f.forecast === "number") {
          text = f.forecast.toFixed(2);
          if (opts) text += ` (${opts[Math.round(f.forecast - issue.scale.min)] ?? "?"})`;
        }
        const cell = tr.insertCell();
        cell.textContent = text;
        if (f && f.iterates && (f.trace || []).length > 1) cell.append(" ", trajectory(f.trace, issue.scale));
      }
    }
    out.replaceChildren(table);
  } catch (e) {
    out.textContent = e.error || String(e);
  }
}

async function robustness() {
  const out = $("robustness-result");
  out.textContent = "Sampling the judgements…";
  try {
    const doc = await api("/api/robustness", { text: $("editor").value, samples: 128 });
    const pct = (x) => `${Math.round(x * 100)}%`;
    const [lo, hi] = doc.deal_share_interval;
    const p = document.createElement("p");
    p.textContent = `Over the ranges of ${doc.parameters.length} uncertain judgement${doc.parameters.length === 1 ? "" : "s"}, ` +
      `a deal exists in ${pct(doc.deal_share)} of the judgement space (95% interval ${pct(lo)} to ${pct(hi)}); ` +
      `the file as written ${doc.file_deal ? "has" : "has no"} deal. ${doc.evaluations} verdicts, seed ${doc.seed}.`;
    const list = document.createElement("ul");
    const ranked = [...doc.parameters].sort((a, b) => (b.st ?? 0) - (a.st ?? 0)).slice(0, 5);
    for (const q of ranked) {
      const li = document.createElement("li");
      const flip = typeof q.breakpoint === "number"
        ? `alone flips the verdict ${q.breakpoint_side} ${q.breakpoint.toFixed(3)} (file: ${Number(q.file_value).toFixed(3)})`
        : "alone never flips the verdict in its range";
      li.textContent = `${q.param}: explains ${pct(q.st ?? 0)} of the variation with its interactions; ${flip}`;
      list.append(li);
    }
    out.replaceChildren(p, list);
  } catch (e) {
    out.textContent = e.error || String(e);
  }
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url; a.download = filename;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function downloadReport() {
  status("Writing the report…");
  try {
    const blob = await api("/api/report", { text: $("editor").value, ...editsBody() }, "blob");
    download(blob, `${state.name}-report.html`);
    status("Report downloaded.");
  } catch (e) {
    status(e.error || String(e), true);
  }
}

function downloadScenario() {
  const text = $("editor").value;
  const json = text.trimStart().startsWith("{");
  download(new Blob([text], { type: json ? "application/json" : "application/toml" }), `${state.name}.${json ? "json" : "toml"}`);
}

// ---------- start ----------

async function openScenario(name) {
  status(`Opening ${name}…`);
  try {
    const text = await api(`/api/scenarios/${encodeURIComponent(name)}`, undefined, "text");
    resetEdits();
    state.talks = null;
    $("negotiation-result").textContent = "";
    setText(text, name);
    await check();
  } catch (e) {
    status(e.error || String(e), true);
  }
}

function resetEdits() {
  state.edits.set.clear();
  state.edits.drop.clear();
  state.controlsFor = null;
}

async function start() {
  const editor = $("editor");
  const recheck = debounce(check, 300);
  editor.addEventListener("input", () => { paintEditor(); state.talks = null; recheck(); });
  editor.addEventListener("scroll", syncScroll);
  editor.addEventListener("keydown", (e) => {
    if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.altKey && editor.dataset.tabs === "on") {
      e.preventDefault();
      editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
      editor.dispatchEvent(new Event("input"));
    }
  });
  $("open-scenario").addEventListener("click", () => openScenario($("scenario-select").value));
  $("upload").addEventListener("change", async () => {
    const file = $("upload").files[0];
    if (!file) return;
    resetEdits();
    setText(await file.text(), file.name.replace(/\.[^.]*$/, ""));
    check();
  });
  $("download-scenario").addEventListener("click", downloadScenario);
  $("download-report").addEventListener("click", downloadReport);
  $("reset-edits").addEventListener("click", () => { resetEdits(); analyze(); });
  $("negotiation-form").addEventListener("submit", negotiate);
  $("run-forecast").addEventListener("click", forecast);
  $("run-robustness").addEventListener("click", robustness);
  for (const [id, k] of [["pair-x", 0], ["pair-y", 1]]) {
    $(id).addEventListener("change", () => { state.pair[k] = Number($(id).value); drawPlane(); });
  }
  $("zoom-in").addEventListener("click", () => zoom(0.5));
  $("zoom-out").addEventListener("click", () => zoom(2));
  $("zoom-reset").addEventListener("click", () => { state.view = null; drawPlane(); });
  const svg = $("plane");
  svg.addEventListener("mousemove", hover);
  svg.addEventListener("mouseleave", () => { $("tooltip").hidden = true; });
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const [fx, fy] = planeFraction(e);
    zoom(e.deltaY < 0 ? 0.8 : 1.25, fx, fy);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (e) => { drag = planeFraction(e); svg.setPointerCapture(e.pointerId); });
  svg.addEventListener("pointerup", () => { drag = null; });
  svg.addEventListener("pointermove", (e) => {
    if (!drag || !(e.buttons & 1)) return;
    const [fx, fy] = planeFraction(e);
    const dx = drag[0] - fx, dy = drag[1] - fy;
    if (Math.abs(dx) + Math.abs(dy) < 0.005) return;
    drag = [fx + dx, fy + dy];
    pan(dx, dy);
  });
  svg.addEventListener("keydown", (e) => {
    const keys = { "+": () => zoom(0.5), "=": () => zoom(0.5), "-": () => zoom(2), "0": () => { state.view = null; drawPlane(); },
      ArrowLeft: () => pan(-0.1, 0), ArrowRight: () => pan(0.1, 0), ArrowUp: () => pan(0, 0.1), ArrowDown: () => pan(0, -0.1) };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  try {
    const { scenarios } = await api("/api/scenarios");
    $("scenario-select").replaceChildren(...scenarios.map((s) => {
      const o = new Option(s.name, s.name);
      o.title = s.description;
      return o;
    }));
    const wanted = new URLSearchParams(location.search).get("scenario");
    const first = scenarios.find((s) => s.name === wanted) || scenarios.find((s) => s.origin === "file") || scenarios[0];
    if (first) {
      $("scenario-select").value = first.name;
      await openScenario(first.name);
    }
  } catch (e) {
    status(e.error || String(e), true);
  }
}

start();
