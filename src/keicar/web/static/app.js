// keicar's page: reads the JSON API and renders it. Everything shown goes through
// textContent or setAttribute on elements built here: nothing a user types, and nothing
// the API returns, is ever parsed as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

/** el("td", {class: "x"}, "text", childNode, ...): an element; strings become text nodes. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** A link only for http(s) addresses; anything else is shown as text. */
function link(href, text) {
  if (typeof href === "string" && /^https?:\/\//i.test(href)) {
    return el("a", {href, rel: "noopener noreferrer", target: "_blank"}, text || href);
  }
  return document.createTextNode(text || "");
}

async function api(method, path, body) {
  const init = {method, headers: {accept: "application/json"}};
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    return {ok: false, status: 0, data: {error: "The keicar server did not answer."}};
  }
  let data;
  try { data = await res.json(); } catch (e) { data = {error: `HTTP ${res.status}`}; }
  return {ok: res.ok, status: res.status, data};
}

// Answers can arrive out of order (a date changed twice quickly): only the newest request
// for a section may render it.
const pending = {};
const ticket = (section) => (pending[section] = (pending[section] || 0) + 1);
const stale = (section, t) => pending[section] !== t;

const today = () => new Date().toISOString().slice(0, 10);
const mark = (passed) => passed === true ? "✔" : passed === false ? "✘" : "?";
const markClass = (passed) => passed === true ? "pass" : passed === false ? "fail" : "unknown";

function fmt(v, unit) {
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) return v.map((x) => fmt(x)).join(" / ");
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (unit && unit !== "date" && unit !== "enum" && unit !== "bool") return `${v} ${unit}`;
  return String(v);
}

// ------------------------------------------------------------------ check

const OPS = {"<=": "≤", ">=": "≥", "==": "="};

function stepsTable(caption, steps) {
  const head = ["Rule", "Value", "Limit", "", "In force since", "Source"];
  const rows = steps.map((s) => {
    const source = el("div", {}, s.citation || "—");  // one cell child: the phone layout is a grid
    if (s.confidence && s.confidence !== "high") source.append(el("span", {class: "tag"}, `${s.confidence} confidence`));
    if (s.disputed && s.disputed.length) {
      source.append(el("details", {}, el("summary", {}, "disputed"), el("ul", {}, s.disputed.map((d) => el("li", {}, d)))));
    }
    const others = (s.citations || []).filter((c) => c !== s.citation);
    if (others.length) {
      source.append(el("details", {}, el("summary", {}, `${others.length} more source${others.length > 1 ? "s" : ""}`),
        el("ul", {}, others.map((c) => el("li", {}, c)))));
    }
    if (s.note) source.append(el("details", {}, el("summary", {}, "note"), el("p", {}, s.note)));
    return el("tr", {class: markClass(s.passed)},
      el("td", {"data-label": "Rule"}, s.label || s.rule),
      el("td", {"data-label": "Value"}, fmt(s.value, s.unit)),
      el("td", {"data-label": "Limit"}, `${OPS[s.op] || s.op || ""} ${fmt(s.limit, s.unit)}`.trim()),
      el("td", {"data-label": "Passed", class: "mark", "aria-label": s.passed === true ? "passed" : s.passed === false ? "failed" : "unknown"}, mark(s.passed)),
      el("td", {"data-label": "Since"}, s.effective || "—"),
      el("td", {"data-label": "Source"}, source));
  });
  return el("div", {class: "table-wrap"}, el("h3", {}, caption),
    el("table", {class: "steps", "aria-label": caption},
      el("thead", {}, el("tr", {}, head.map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, rows)));
}

function chip(label, passed, detail) {
  return el("span", {class: `chip ${markClass(passed)}`}, `${mark(passed)} ${label}`, detail ? el("small", {}, ` ${detail}`) : null);
}

// What a state's reading rests on, strongest first (docs/law-format.md, "A state file").
// `weak`: hatched on the map.
const BASIS = {
  statute: {name: "Statute", meaning: "a law passed by the state legislature says so (its text was read)"},
  regulation: {name: "Regulation", meaning: "an administrative rule says so"},
  agency_guidance: {name: "Agency guidance", meaning: "the agency's own page, bulletin, manual or letter says so"},
  agency_practice_reported: {name: "Reported agency practice", weak: true,
    meaning: "others report that the agency acts this way (titles refused or revoked)"},
  no_kei_rule: {name: "No kei rule", meaning: "no provision singles kei vehicles out: the general title and " +
    "registration rules for a 25-year import apply, with the state's inspection and equipment rules"},
  secondary_only: {name: "Secondary sources only", weak: true,
    meaning: "only secondary sources (aggregators, dealers, news) say so, and they agree"},
};

/** "Reported agency practice: others report …" for a basis; the code itself if unknown. */
function basisWords(basis) {
  const b = BASIS[basis];
  return b ? `${b.name}: ${b.meaning}` : basis;
}

function stateFields(st) {
  return [
    ["Status", st.status], ["Roads", st.max_posted_speed_mph == null ? null : `posted ${st.max_posted_speed_mph} mph or less`],
    ["Interstates", st.interstates == null ? "not established" : st.interstates ? "allowed" : "not allowed"],
    ["Registration class", st.registration_class], ["Applies to", st.applies_to],
    ["In force since", st.effective], ["Confidence", st.confidence], ["Rests on", st.basis && basisWords(st.basis)],
    ["Next change", st.next_change],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
}

function fieldList(st) {
  return el("dl", {}, stateFields(st).map(([k, v]) => [el("dt", {}, k), el("dd", {class: k === "Rests on" ? "basis" : null}, fmt(v))]));
}

function stateBlock(st) {
  const def = st.definition;
  return el("div", {class: "card", id: "state-block"}, el("h3", {}, `State: ${st.name || st.code}`),
    fieldList(st),
    def && (def.checks || []).length ? stepsTable(`${st.name || st.code}: the class's definition`, def.checks) : null,
    (st.citations || []).length ? el("ul", {class: "small"}, st.citations.map((c) => el("li", {}, c))) : null);
}

function renderCheck(r) {
  const out = $("result");
  const kei = r.kei, us = r.us;
  const parts = [
    el("div", {class: "verdict", id: "verdict"},
      el("p", {class: "verdict-line"}, r.verdict),
      el("p", {class: "chips"},
        chip("Kei when built", kei.is_kei, kei.regime ? `(${kei.regime} standard)` : ""),
        chip("Kei today", kei.is_kei_today),
        us ? chip("US import", us.importable, us.path) : chip(`${r.import.name} import`, r.import.importable, r.import.path))),
  ];
  const cat = r.vehicle && r.vehicle.catalog;
  if (cat) {
    const filled = cat.filled_from_catalog.map((f) => f + (cat.unverified.includes(f) ? " (unverified)" : "")).join(", ");
    parts.push(el("p", {class: "note", id: "from-catalog"},
      `From the catalog (${cat.code}: ${cat.generations.join("; ")}): ${filled || "nothing"}.`));
  }
  if (r.state) parts.push(stateBlock(r.state));
  parts.push(stepsTable(`Japan: kei standard in force when built (judged on ${kei.judged_on})`, kei.checks));
  if (kei.is_kei !== kei.is_kei_today || kei.regime !== kei.regime_today) {
    parts.push(stepsTable(`Japan: today's kei standard (${kei.regime_today})`, kei.checks_today));
  }
  for (const info of kei.info || []) parts.push(el("p", {class: "note"}, `ⓘ ${info.text} (${info.citation})`));
  if (!us) {  // another country's import rules (--country)
    const imp = r.import;
    parts.push(stepsTable(`${imp.name}, on ${r.on}`, imp.checks));
    parts.push(el("p", {}, `Eligible from ${imp.eligible_from}. Path: ${imp.path}.` +
      (imp.approval_exempt_from ? ` Approval-exempt from ${imp.approval_exempt_from}.` : "")));
    parts.push(el("ul", {class: "notes"}, (imp.notes || []).map((n) => el("li", {}, n))));
    parts.push(el("p", {class: "small muted"}, `keicar ${r.keicar_version} · law data ${r.law_version}`));
    out.replaceChildren(...parts);
    return;
  }
  parts.push(stepsTable(`United States, federal, on ${r.on}`, us.checks));
  let line = `NHTSA eligible from ${us.nhtsa_eligible_from}`;
  if (us.nhtsa_eligible_from_month_start) {
    line += ` (build month only: ${us.nhtsa_eligible_from_month_end} reading its last day, ` +
      `${us.nhtsa_eligible_from_month_start} reading its first; using ${us.month_reading})`;
  }
  parts.push(el("p", {}, `${line}. EPA eligible from ${us.epa_eligible_from}. Path: ${us.path}.`));
  parts.push(el("ul", {class: "notes"}, (us.notes || []).map((n) => el("li", {}, n))));
  if (r.papers && (r.papers.items || []).length) parts.push(papersList(r.papers));
  parts.push(el("p", {class: "small muted"}, `keicar ${r.keicar_version} · law data ${r.law_version}`));
  out.replaceChildren(...parts);
}

function papersList(p) {
  return el("details", {class: "card papers"},
    el("summary", {}, `Papers for this path (${p.items.length})`),
    p.path_description ? el("p", {class: "small"}, p.path_description) : null,
    el("ol", {}, p.items.map((i) => el("li", {},
      el("strong", {}, i.item.replace(/_/g, " ")), i.form ? ` [${i.form}]` : "", ` — ${i.agency} (${i.stage})`,
      el("p", {class: "small"}, i.description),
      el("p", {class: "small muted"}, i.citation, i.confidence && i.confidence !== "high" ? el("span", {class: "tag"}, `${i.confidence} confidence`) : null)))));
}

function showError(box, data, form) {
  box.textContent = data.error || "Something went wrong.";
  box.hidden = false;
  if (form) {
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const bad = data.field && form.elements.namedItem(data.field);
    if (bad && bad.setAttribute) { bad.setAttribute("aria-invalid", "true"); bad.focus(); }
  }
}

async function onCheck(event) {
  event.preventDefault();
  const form = event.target;
  const body = {};
  for (const [k, v] of new FormData(form)) if (String(v).trim() !== "") body[k] = String(v).trim();
  if (body.country === "US") delete body.country;
  $("check-btn").disabled = true;
  const t = ticket("check");
  const res = await api("POST", "/v1/check", body);
  if (stale("check", t)) return;
  $("check-btn").disabled = false;
  const box = $("check-error");
  if (!res.ok) {
    $("result").replaceChildren();
    showError(box, res.data, form);
    return;
  }
  box.hidden = true;
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  renderCheck(res.data);
}

async function onLookup() {
  const code = $("chassis").value.trim();
  const out = $("lookup-out");
  if (!code) return;
  const res = await api("GET", `/v1/lookup/${encodeURIComponent(code)}`);
  out.hidden = false;
  if (!res.ok) { out.textContent = res.data.error; return; }
  out.replaceChildren(renderLookup(res.data));
}

// Lookup and calendar answers come from the catalog (keicar.catalog, keicar.eligibility).
function renderLookup(d) {
  const stripped = [d.prefix_stripped ? `prefix ${d.prefix_stripped}-` : "", d.serial_stripped ? `serial -${d.serial_stripped}` : ""]
    .filter(Boolean).join(", ");
  const head = `${d.code}${stripped ? ` (stripped ${stripped})` : ""}`;
  if (!d.found) {
    return el("p", {}, `${head}: not in the catalog.`,
      (d.suggestions || []).length ? ` Nearest codes: ${d.suggestions.join(", ")}.` : "");
  }
  const shown = [["body_type", "Body"], ["production_start", "Built from"], ["production_end", "Built to"],
    ["length_mm", "Length mm"], ["width_mm", "Width mm"], ["height_mm", "Height mm"], ["displacement_cc", "Engine cc"],
    ["engine_codes", "Engine"], ["drive", "Drive"], ["confidence", "Confidence"]];
  return el("div", {}, el("p", {}, head),
    d.generations.map((g) => el("div", {class: "card"},
      el("h4", {}, `${g.make} ${g.model} (generation ${g.generation || "?"}): ${[].concat(g.chassis_codes || []).join(", ")}`),
      el("dl", {}, shown.filter(([k]) => g[k] !== null && g[k] !== undefined && g[k] !== "").map(([k, label]) =>
        [el("dt", {}, label), el("dd", {}, fmt(g[k]), (g.unverified_fields || []).includes(k) ? el("span", {class: "tag"}, "unverified") : null)])))),
    el("p", {class: "small muted"}, d.build_date_note));
}

// ------------------------------------------------------------------ states and map

let mapDate = today();

async function loadMap() {
  const box = $("map");
  mapDate = $("map-on").value || today();
  const t = ticket("map");
  let res;
  try { res = await fetch(`/v1/map.svg?on=${encodeURIComponent(mapDate)}`); } catch (e) { res = null; }
  if (stale("map", t)) return;
  box.dataset.on = mapDate;  // which date the section shows (the browser test waits on it)
  if (!res || !res.ok) {
    let msg = "The map is not available.";
    try { msg = (await res.json()).error || msg; } catch (e) { /* keep the default */ }
    box.replaceChildren(el("p", {class: "note"}, msg));
    return;
  }
  // The SVG is the server's own drawing (no user text in it): parsed as SVG, not as HTML.
  const text = await res.text();
  if (stale("map", t)) return;
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  if (svg.nodeName !== "svg" || doc.querySelector("parsererror")) {
    box.replaceChildren(el("p", {class: "note"}, "The map could not be read."));
    return;
  }
  // a drawing only: no scripts, embedded HTML or event handlers even if the data ever held some
  for (const bad of svg.querySelectorAll("script, foreignObject, iframe")) bad.remove();
  for (const node of [svg, ...svg.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) {
      if (/^on/i.test(attr.name) || /^\s*javascript:/i.test(attr.value)) node.removeAttribute(attr.name);
    }
  }
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `US states by kei vehicle status on ${mapDate}`);
  for (const s of svg.querySelectorAll('[id^="state-"]')) s.classList.add("state");
  const legend = mapLegend(svg);
  box.replaceChildren(document.importNode(svg, true), ...legend);
}

/** The SVG's legend taken out of the drawing and shown once, as page text that stays readable
 * at phone width: each swatch (hatched where the drawing hatches) with its label, then the
 * drawing's credit line. The drawing is cropped to end above where its legend was. */
function mapLegend(svg) {
  const group = svg.querySelector("#legend");
  if (!group) return [];
  const items = [], credits = [];
  let fills = [];
  for (const node of group.children) {
    if (node.nodeName === "rect") { fills.push(node.getAttribute("fill") || ""); continue; }
    if (node.nodeName !== "text") continue;
    if (!fills.length) { credits.push(node.textContent); continue; }
    const colour = fills.find((f) => /^#[0-9a-f]{3,8}$/i.test(f));
    const hatched = fills.some((f) => /^url\(/.test(f));  // the hatch pattern
    const swatch = el("span", {class: hatched ? "swatch hatched" : "swatch", "aria-hidden": "true"});
    if (colour) swatch.style.backgroundColor = colour;
    items.push(el("li", {}, swatch, node.textContent));
    fills = [];
  }
  const top = Math.min(...[...group.querySelectorAll("rect")].map((r) => parseFloat(r.getAttribute("y"))));
  const box = (svg.getAttribute("viewBox") || "").split(/[\s,]+/).map(Number);
  if (box.length === 4 && Number.isFinite(top) && top > box[1]) {
    svg.setAttribute("viewBox", `${box[0]} ${box[1]} ${box[2]} ${top - 4 - box[1]}`);
  }
  group.remove();
  return [el("ul", {class: "legend", id: "map-legend"}, items),
    ...credits.map((c) => el("p", {class: "small muted credit"}, c))];
}

/** Under the map: what each basis means, the hatched ones marked as on the map. */
function basisKey() {
  return el("div", {}, el("h3", {}, "What each reading rests on"),
    el("dl", {}, Object.entries(BASIS).map(([code, b]) => [
      el("dt", {"data-basis": code}, b.weak ? el("span", {class: "swatch hatched", "aria-hidden": "true"}) : null,
        b.name, b.weak ? el("small", {class: "muted"}, " (hatched)") : null),
      el("dd", {}, b.meaning)])));
}

function stateCodeOf(target) {
  const node = target.closest && target.closest('[id^="state-"]');
  return node ? node.id.slice("state-".length) : null;
}

async function showState(code) {
  const box = $("state-detail");
  for (const s of $("map").querySelectorAll(".state.selected")) s.classList.remove("selected");
  const node = $("map").querySelector(`[id="state-${CSS.escape(code)}"]`);
  if (node) node.classList.add("selected");
  const t = ticket("state");
  const res = await api("GET", `/v1/states/${encodeURIComponent(code)}?on=${encodeURIComponent(mapDate)}`);
  if (stale("state", t)) return;
  if (!res.ok) { box.replaceChildren(el("p", {class: "error"}, res.data.error)); return; }
  box.replaceChildren(renderState(res.data));
  $("state-pick").value = code;
}

function renderState(d) {
  const parts = [el("h3", {id: "state-title"}, `${d.name || d.code} on ${d.on || mapDate}`)];
  if (d.sentence) parts.push(el("p", {}, d.sentence));
  parts.push(fieldList(d));
  if (d.car) {
    parts.push(el("p", {class: "note"}, `Kei cars: ${d.car.sentence || d.car.status}`,
      d.car.basis ? el("span", {class: "small"}, ` Rests on: ${basisWords(d.car.basis)}.`) : null));
  }
  if ((d.citations || []).length) parts.push(el("ul", {class: "small"}, d.citations.map((c) => el("li", {}, c))));
  const meta = d.metadata || {};
  if (meta.notes) parts.push(el("details", {}, el("summary", {}, "About this record"), el("p", {class: "small"}, meta.notes)));
  if ((d.scheduled || []).length) {
    parts.push(el("h4", {}, "Scheduled"), el("ul", {}, d.scheduled.map((c) =>
      el("li", {}, el("strong", {}, c.date || ""), ` ${c.parameter || ""}: ${fmt(c.value)}`, c.citation ? el("span", {class: "muted"}, ` (${c.citation})`) : null))));
  }
  if ((d.history || []).length) {
    parts.push(el("h4", {}, "History"), el("ol", {class: "history"}, d.history.map((h) =>
      el("li", {}, el("strong", {}, h.date || ""), " ", h.change || h.event || ""))));
  }
  if ((d.claims || []).length) {
    parts.push(el("details", {}, el("summary", {}, `What sources claim (${d.claims.length})`),
      el("ul", {}, d.claims.map((c) => el("li", {}, c.claim || "",
        c.assessment ? el("span", {class: "muted"}, ` — ${c.assessment}`) : null)))));
  }
  if ((d.sources || []).length) {
    parts.push(el("h4", {}, "Sources"), el("ul", {class: "sources"}, d.sources.map((s) =>
      el("li", {}, link(s.href, s.title || s.id), s.seen ? el("small", {class: "muted"}, ` (seen ${s.seen})`) : null))));
  }
  if (meta.last_reviewed) parts.push(el("p", {class: "small muted"}, `Record confidence ${meta.confidence || "?"}, last reviewed ${meta.last_reviewed}.`));
  if (d.code) {
    parts.push(el("p", {class: "small"}, el("a", {href: `/v1/changes.atom?state=${encodeURIComponent(d.code)}`,
      type: "application/atom+xml"}, `Subscribe to ${d.name || d.code}'s changes`), " (Atom feed)"));
  }
  return el("div", {class: "card"}, parts);
}

async function loadStates() {
  const res = await api("GET", `/v1/states?on=${encodeURIComponent(today())}`);
  const list = res.ok ? (res.data.states || []) : [];
  for (const select of [$("state"), $("state-pick")]) {
    for (const s of list) select.append(el("option", {value: s.code}, `${s.code} ${s.name || ""}`.trim()));
    if (!res.ok) { select.disabled = true; select.title = res.data.error || ""; }
  }
}

// ------------------------------------------------------------------ calendar

async function loadCalendar() {
  const month = $("cal-month").value;
  const out = $("calendar-out");
  if (!month) return;
  const t = ticket("calendar");
  const res = await api("GET", `/v1/calendar/${encodeURIComponent(month)}`);
  if (stale("calendar", t)) return;
  if (!res.ok) { out.replaceChildren(el("p", {class: "note"}, res.data.error)); return; }
  out.replaceChildren(renderCalendar(res.data));
}

function renderCalendar(d) {
  const group = (title, rows, which) => [el("h3", {}, `${title} (${rows.length})`), rows.length
    ? el("ul", {class: "calendar"}, rows.map((g) => el("li", {},
        el("strong", {}, g[which].importable_from), ` ${g.make} ${g.model}`,
        el("span", {class: "muted"}, ` [${[].concat(g.chassis_codes || []).join(", ")}] built ${g[which].built}`))))
    : el("p", {class: "muted"}, "none")];
  return el("div", {},
    group(`First builds becoming importable in ${d.month}`, d.first_builds_importable || [], "first_builds"),
    group(`Last builds becoming importable in ${d.month}`, d.last_builds_importable || [], "last_builds"),
    el("p", {class: "small muted"}, d.note));
}

// ------------------------------------------------------------------ start

document.addEventListener("DOMContentLoaded", () => {
  $("on").value = today();
  $("map-on").value = today();
  $("cal-month").value = today().slice(0, 7);
  $("basis-key").replaceChildren(basisKey());
  $("check-form").addEventListener("submit", onCheck);
  $("lookup-btn").addEventListener("click", onLookup);
  $("map-on").addEventListener("change", () => { loadMap(); $("state-detail").replaceChildren(); });
  $("map").addEventListener("click", (e) => { const code = stateCodeOf(e.target); if (code) showState(code); });
  $("state-pick").addEventListener("change", (e) => { if (e.target.value) showState(e.target.value); });
  $("cal-month").addEventListener("change", loadCalendar);
  api("GET", "/healthz").then((res) => {
    if (res.ok) $("versions").prepend(`keicar ${res.data.keicar_version} · law data ${res.data.law_version} · `);
  });
  loadStates();
  loadMap();
  loadCalendar();
});
