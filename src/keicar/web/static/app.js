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
    const source = el("div", {}, cite(s.citation) || "—");  // one cell child: the phone layout is a grid
    if (s.confidence && s.confidence !== "high") source.append(el("span", {class: "tag"}, `${s.confidence} confidence`));
    if (s.disputed && s.disputed.length) {
      source.append(el("details", {}, el("summary", {}, "disputed"), el("ul", {}, s.disputed.map((d) => el("li", {}, d)))));
    }
    const others = (s.citations || []).filter((c) => c !== s.citation);
    if (others.length) {
      source.append(el("details", {}, el("summary", {}, `${others.length} more source${others.length > 1 ? "s" : ""}`),
        el("ul", {}, others.map((c) => el("li", {}, cite(c))))));
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

// Words for identifiers (GET /v1/labels, from keicar.present.labels): no field name reaches people.
let LABELS = {path: {}, status: {}, applies_to: {}, status_from: {}, confidence: {}, basis: {}, rule: {}, state_field: {},
  paper: {}, stage: {}, month_reading: {}, tone: {}, citation_asides: null};
let ASIDES = null;
let labelsReady = Promise.resolve();

/** `value` in words from one of the label tables; unknown identifiers lose their underscores. */
function words(table, value) {
  if (value === null || value === undefined || value === "") return "—";
  const found = (LABELS[table] || {})[value];
  if (found && typeof found === "object") return found.name;
  return found !== undefined ? found : String(value).replace(/[_.-]/g, " ");
}

/** A source's title as people see it: without asides about mirrors (labels.citation). */
function cite(text) {
  const t = String(text || "");
  return ASIDES ? t.replace(ASIDES, "").trim() : t;
}

async function loadLabels() {
  const res = await api("GET", "/v1/labels");
  if (!res.ok) return;
  LABELS = res.data;
  try { ASIDES = new RegExp(res.data.citation_asides, "g"); } catch (e) { ASIDES = null; }
}

/** "Reported agency practice: others report …" for a basis; the code in words if unknown. */
function basisWords(basis) {
  const b = (LABELS.basis || {})[basis];
  return b ? `${b.name}: ${b.meaning}` : words("basis", basis);
}

function stateFields(st) {
  return [
    ["Status", words("status", st.status)],
    ["Roads", st.max_posted_speed_mph == null ? null : `posted ${st.max_posted_speed_mph} mph or less`],
    ["Interstates", st.interstates == null ? "not established" : st.interstates ? "allowed" : "not allowed"],
    ["Registered as", st.registration_class], ["Rule is for", st.applies_to && words("applies_to", st.applies_to)],
    ["In force since", st.effective], ["Confidence", st.confidence && words("confidence", st.confidence)],
    ["Rests on", st.basis && basisWords(st.basis)],
    ["Next change", st.next_change],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
}

function fieldList(st) {
  return el("dl", {}, stateFields(st).map(([k, v]) => [el("dt", {}, k), el("dd", {class: k === "Rests on" ? "basis" : null}, fmt(v))]));
}

function stateBlock(st) {
  const def = st.definition;
  const kept = st.grandfather;
  return el("div", {class: "card", id: "state-block"}, el("h3", {}, `State: ${st.name || st.code}`),
    fieldList(st),
    kept && kept.registered_before ? el("p", {class: "small"},
      `Vehicles first registered in ${st.name} before ${kept.registered_before} keep the earlier rule ` +
      `(${words("status", kept.status)})` + (kept.registered ? `; first registered here on ${kept.registered}.` : "."),
      kept.citation ? el("span", {class: "muted"}, ` Source: ${cite(kept.citation)}.`) : null) : null,
    def && (def.checks || []).length ? stepsTable(`${st.name || st.code}: the class's definition`, def.checks) : null,
    def && (def.not_checked || []).length ? el("ul", {class: "small"}, def.not_checked.map((n) =>
      el("li", {}, `Not checked by keicar — ${words("rule", n.rule)}: ${n.limit}`, el("span", {class: "muted"}, ` (${cite(n.citation)})`)))) : null,
    (st.citations || []).length ? el("div", {class: "small"}, el("strong", {}, "Sources"),
      el("ul", {}, st.citations.map((c) => el("li", {}, cite(c))))) : null);
}

/** The US import chip: green only for road use. */
function importChip(us) {
  if (us.road_legal_import) return chip("US import for road use", true, "(25-year rule)");
  if (us.importable) return el("span", {class: "chip unknown"}, "◐ US import off-road only",
    el("small", {}, ` (road use from ${us.nhtsa_eligible_from})`));
  return chip("US import", false, `(not before ${us.nhtsa_eligible_from})`);
}

function plainBox(p) {
  return el("div", {class: `plain tone-${p.tone}`, id: "plain", "data-tone": p.tone},
    el("p", {class: "tone"}, p.tone_label),
    el("p", {class: "plain-text"}, p.sentences.join(" ")));
}

function renderCheck(r, plain, cost) {
  const out = $("result");
  const kei = r.kei, us = r.us;
  const parts = [];
  const v = r.vehicle || {};
  const size = [v.length_mm, v.width_mm, v.height_mm].every((x) => x != null) ? `${v.length_mm} × ${v.width_mm} × ${v.height_mm} mm` : null;
  parts.push(el("p", {class: "small muted", id: "inputs-summary"}, "Checked: " + [
    v.make || v.model ? [v.make, v.model].filter(Boolean).join(" ") : null,
    v.catalog ? `chassis ${v.catalog.code}` : null, `built ${v.built || v.built_end}`, v.body,
    size, v.cc != null ? `${v.cc} cc` : null, v.ev_kw != null ? `${v.ev_kw} kW motor` : null,
    r.state ? `in ${r.state.name}` : null, r.state && r.state.grandfather && r.state.grandfather.registered
      ? `first registered there ${r.state.grandfather.registered}` : null,
    `asked on ${r.on}`].filter(Boolean).join(", ") + "."));
  if (plain) parts.push(plainBox(plain));
  parts.push(el("p", {class: "small share"}, el("a", {href: location.href, id: "share-link"}, "Link to this answer"),
    " (the address holds the inputs) · ", el("a", {href: "#", id: "print-link"}, "Print")));
  parts.push(el("h3", {class: "legal-h"}, `In legal terms, on ${r.on} (the date asked)`));
  parts.push(el("div", {class: "verdict", id: "verdict"},
    el("p", {class: "verdict-line"}, r.verdict),
    el("p", {class: "chips"},
      chip("Kei when built", kei.is_kei, kei.regime ? `(standard in force from ${kei.regime})` : ""),
      chip("Kei today", kei.is_kei_today),
      us ? importChip(us) : chip(`${r.import.name} import`, r.import.importable, words("path", r.import.path)))));
  const cat = r.vehicle && r.vehicle.catalog;
  if (cat) {
    const filled = cat.filled_from_catalog.map((f) => words("rule", f) + (cat.unverified.includes(f) ? " (unverified)" : "")).join(", ");
    parts.push(el("p", {class: "note", id: "from-catalog"},
      `From the catalog (${cat.code}: ${cat.generations.join("; ")}): ${filled || "nothing"}.`));
  }
  for (const w of (r.vehicle && r.vehicle.warnings) || []) parts.push(el("p", {class: "note warning"}, `⚠ ${w}`));
  if (r.state) parts.push(stateBlock(r.state));
  if (cost) parts.push(cost.ok ? costBlock(cost.data) : el("p", {class: "error", id: "cost-error"}, cost.data.error));
  if (r.papers && (r.papers.items || []).length) parts.push(papersList(r.papers));
  parts.push(stepsTable(`Japan: kei standard in force when built (judged on ${kei.judged_on}, the build date)`, kei.checks));
  if (kei.is_kei !== kei.is_kei_today || kei.regime !== kei.regime_today) {
    parts.push(stepsTable(`Japan: today's kei standard (in force from ${kei.regime_today})`, kei.checks_today));
  }
  for (const info of kei.info || []) parts.push(el("p", {class: "note"}, `ⓘ ${info.text} (${cite(info.citation)})`));
  if (!us) {  // another country's import rules (--country)
    const imp = r.import;
    parts.push(stepsTable(`${imp.name}, on ${r.on}`, imp.checks));
    parts.push(el("p", {}, `Eligible from ${imp.eligible_from}. Path: ${words("path", imp.path)}.` +
      (imp.approval_exempt_from ? ` No type approval needed from ${imp.approval_exempt_from}.` : "")));
    parts.push(el("ul", {class: "notes"}, (imp.notes || []).map((n) => el("li", {}, cite(n)))));
    parts.push(el("p", {class: "small muted"}, `keicar ${r.keicar_version} · law data ${r.law_version}`));
    out.replaceChildren(...parts);
    return;
  }
  parts.push(stepsTable(`United States, federal, on ${r.on} (the date asked)`, us.checks));
  let line = `Road import (NHTSA 25-year rule) allowed from ${us.nhtsa_eligible_from}`;
  if (us.nhtsa_eligible_from_month_start) {
    line += ` (build month only: ${us.nhtsa_eligible_from_month_end} ${words("month_reading", "end_of_month")}, ` +
      `${us.nhtsa_eligible_from_month_start} ${words("month_reading", "start_of_month")})`;
  }
  parts.push(el("p", {}, `${line}. EPA 21-year exemption from ${us.epa_eligible_from}. Path on the date asked: ${words("path", us.path)}.`));
  parts.push(el("ul", {class: "notes"}, (us.notes || []).map((n) => el("li", {}, n))));
  parts.push(el("p", {class: "small muted"}, `keicar ${r.keicar_version} · law data ${r.law_version}`));
  out.replaceChildren(...parts);
  $("print-link").addEventListener("click", (e) => { e.preventDefault(); window.print(); });
}

function papersList(p) {
  return el("div", {class: "card papers", id: "papers"},
    el("h3", {}, `Papers for this vehicle (${p.items.length})`),
    p.path_description ? el("p", {class: "small"}, p.path_description) : null,
    el("ol", {}, p.items.map((i) => el("li", {"data-item": i.item},
      el("strong", {}, words("paper", i.item)), i.form ? ` [${i.form}]` : "", ` — ${i.agency}, ${words("stage", i.stage)}`,
      el("p", {class: "small"}, i.description),
      el("p", {class: "small muted"}, `Source: ${cite(i.citation)}`, i.confidence && i.confidence !== "high" ? el("span", {class: "tag"}, words("confidence", i.confidence)) : null)))),
    p.note ? el("p", {class: "small"}, p.note) : null);
}

// ------------------------------------------------------------------ landed cost

const money = (x) => x === null || x === undefined ? "—" :
  `$${Number(x).toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2})}`;

/** The cost request from the form, or null when no price is given. */
function costBody(check) {
  const price = $("price").value.trim();
  if (!price) return null;
  const body = {body: check.body || "", built: check.built || ""};
  if ($("currency").value === "USD") body.price_usd = price;
  else { body.price_jpy = price; if ($("fx").value.trim()) body.fx_jpy_per_usd = $("fx").value.trim(); }
  if ($("freight_usd").value.trim()) body.freight_usd = $("freight_usd").value.trim();
  if ($("entry_date").value) body.entry_date = $("entry_date").value;
  return body;
}

function costBlock(c) {
  const row = (label, amount, line, cls) => el("tr", {class: cls || null},
    el("td", {"data-label": "Item"}, label), el("td", {"data-label": "USD", class: "num"}, money(amount)),
    el("td", {"data-label": "In force since"}, (line && line.effective) || "—"),
    el("td", {"data-label": "Source"}, line && line.citation ? cite(line.citation) : "your figure",
      line && line.confidence && line.confidence !== "high" ? el("span", {class: "tag"}, words("confidence", line.confidence)) : null));
  const inp = c.input || {};
  const rows = [row("Vehicle price (customs value)", c.customs_value.amount_usd, c.customs_value)];
  const tr = c.transport || {};
  rows.push(row("Freight and insurance (not dutiable)", (tr.freight_usd || 0) + (tr.insurance_usd || 0), null));
  for (const l of c.duty.lines || []) rows.push(row(`${l.label} (${l.rate_percent}%)`, l.amount_usd, l));
  for (const f of c.fees || []) rows.push(row(f.label, f.amount_usd, f));
  for (const f of c.own_costs || []) rows.push(row(f.label || words("rule", f.item), f.amount_usd, null));
  rows.push(row("Total landed", c.total_usd, {citation: "the sum of the lines above"}, "total"));
  const priced = inp.price_jpy != null
    ? `Price ¥${Number(inp.price_jpy).toLocaleString("en-US")} at ${inp.fx_jpy_per_usd} yen per dollar = ${money(inp.price_usd)}. `
    : "";
  return el("div", {class: "card", id: "cost"},
    el("h3", {}, `Landed cost in the US, entering on ${c.entry_date} (the entry date)`),
    el("p", {class: "small"}, priced, `HTS ${c.duty.hts}, duty ${c.duty.rate_percent}%, ${inp.mode || "ocean"} shipment.`),
    el("div", {class: "table-wrap"}, el("table", {class: "steps cost", "aria-label": "Landed cost"},
      el("thead", {}, el("tr", {}, ["Item", "USD", "In force since", "Source"].map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, rows))),
    (c.unclear || []).length ? el("ul", {class: "small"}, c.unclear.map((u) =>
      el("li", {}, `Not added, unclear: ${u.label || words("rule", u.item)}`, u.citation ? ` (${cite(u.citation)})` : ""))) : null,
    el("ul", {class: "notes small"}, (c.notes || []).map((n) => el("li", {}, n))));
}

// ------------------------------------------------------------------ errors beside their fields

/** The form field an API error names (cost fields have their own names in the API). */
const FIELD_OF = {price_jpy: "price", price_usd: "price", fx_jpy_per_usd: "fx", body: "body", built: "built"};

function clearFieldErrors(form) {
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
  for (const msg of form.querySelectorAll(".field-error")) msg.remove();
}

/** The words of a field's label (its first line), e.g. "Height" for height_mm. */
function labelOf(input) {
  const label = input.labels && input.labels[0];
  const cap = label && (label.querySelector(".cap") || label);
  const first = cap && cap.firstChild;
  return first && first.nodeType === Node.TEXT_NODE ? first.textContent.trim() : null;
}

function showError(box, data, form, fieldMap) {
  box.textContent = data.error || "Something went wrong.";
  box.hidden = false;
  if (!form) return;
  clearFieldErrors(form);
  const name = data.field && ((fieldMap || {})[data.field] || data.field);
  const bad = name && form.elements.namedItem(name);
  if (bad && bad.setAttribute) {
    // the API names the field as the CLI does (height_mm: ...); people read its label
    const text = String(data.error || "").startsWith(`${data.field}: `) ? data.error.slice(data.field.length + 2) : data.error || "";
    const label = labelOf(bad);
    if (label) box.textContent = `${label}: ${text}`;
    const msg = el("p", {class: "field-error", id: `error-${name}`}, text);
    bad.setAttribute("aria-invalid", "true");
    bad.setAttribute("aria-describedby", msg.id);
    (bad.closest("label") || bad.parentNode).append(msg);
    bad.focus();
  }
}

// ------------------------------------------------------------------ the check, and its address

const CHECK_FIELDS = ["chassis", "built", "body", "length_mm", "width_mm", "height_mm", "cc", "stroke", "ev_kw",
  "country", "state", "registered", "on"];
const COST_FIELDS = ["price", "currency", "fx", "freight_usd", "entry_date"];

function checkBody() {
  const body = {};
  for (const k of CHECK_FIELDS) {
    const input = $(k);
    const v = input.value.trim();
    // a value the look-up put there is the catalog's: the server fills it from the chassis code
    if (v !== "" && !(input.dataset.catalog !== undefined && input.dataset.catalog === v && $("chassis").value.trim())) body[k] = v;
  }
  if (body.country === "US") delete body.country;
  if (!body.state) delete body.registered;
  return body;
}

/** The inputs in the address, so that an answer can be shared and reloaded. */
function saveToAddress() {
  const q = new URLSearchParams();
  for (const k of [...CHECK_FIELDS, ...COST_FIELDS]) {
    const v = $(k).value.trim();
    if (v !== "" && !(k === "country" && v === "US") && !(k === "currency" && v === "JPY" && !$("price").value.trim())) q.set(k, v);
  }
  history.replaceState(null, "", `${location.pathname}?${q}#check`);
}

function restoreFromAddress(search) {
  const q = new URLSearchParams(search);
  let any = false;
  for (const k of [...CHECK_FIELDS, ...COST_FIELDS]) {
    if (!q.has(k)) continue;
    const input = $(k);
    const v = q.get(k).slice(0, 64);
    if (input.tagName === "SELECT" && ![...input.options].some((o) => o.value === v)) continue;
    input.value = v;
    any = true;
  }
  return any && q.has("built");
}

async function onCheck(event) {
  event.preventDefault();
  const form = $("check-form");
  const body = checkBody();
  const cb = costBody(body);
  $("check-btn").disabled = true;
  const t = ticket("check");
  const [res, plain] = await Promise.all([api("POST", "/v1/check", body), api("POST", "/v1/plain", body)]);
  let cost = null;
  if (res.ok && cb && body.country === undefined) {  // body and build date as the check read them (catalog included)
    const v = res.data.vehicle || {};
    cost = await api("POST", "/v1/cost", {...cb, body: v.body || cb.body, built: v.built || cb.built});
  }
  if (stale("check", t)) return;
  $("check-btn").disabled = false;
  const box = $("check-error");
  if (!res.ok) {
    $("result").replaceChildren();
    showError(box, res.data, form);
    return;
  }
  if (cost && !cost.ok) {
    showError(box, cost.data, form, FIELD_OF);
  } else {
    box.hidden = true;
    clearFieldErrors(form);
  }
  saveToAddress();
  renderCheck(res.data, plain.ok ? plain.data : null, cost);
}

// ------------------------------------------------------------------ search and look-up

const SPEC_FIELDS = [["length_mm", "length_mm"], ["width_mm", "width_mm"], ["height_mm", "height_mm"], ["displacement_cc", "cc"]];

/** A catalog value: one number, a range ("1755-1800") or alternatives ("657|658"). */
function catalogValue(raw) {
  if (raw === null || raw === undefined || raw === "") return {kind: "none"};
  const s = Array.isArray(raw) ? raw.join("|") : String(raw);
  if (/^\d+(\.\d+)?$/.test(s)) return {kind: "one", value: s};
  const range = s.match(/^(\d+)\s*-\s*(\d+)$/);
  if (range) return {kind: "range", text: `${range[1]}–${range[2]} (a range)`};
  return {kind: "alternatives", text: `${s.split("|").join(" or ")} (alternatives)`};
}

/** A line under a field saying where its value comes from, or what the catalog knows instead. */
function setHint(input, text) {
  const id = `hint-${input.id}`;
  let hint = document.getElementById(id);
  if (!text) { if (hint) hint.remove(); return; }
  if (!hint) {
    hint = el("small", {class: "catalog-hint", id});
    input.after(hint);
  }
  hint.textContent = text;
  if (!input.getAttribute("aria-invalid")) input.setAttribute("aria-describedby", id);
}

/** Fill the form with what the catalog knows of one generation; ranges are said, never guessed. */
function useGeneration(g, code) {
  $("chassis").value = code;
  const bodies = [].concat(g.body_type || []);
  if (bodies.length === 1 && !$("body").value) $("body").value = bodies[0];
  const unverified = g.unverified_fields || [];
  for (const [from, to] of SPEC_FIELDS) {
    const input = $(to);
    const v = catalogValue(g[from]);
    delete input.dataset.catalog;
    input.placeholder = "";
    input.oninput = () => { if (input.value !== input.dataset.catalog) setHint(input, ""); };
    if (v.kind === "one") {
      input.value = v.value;
      input.dataset.catalog = v.value;
      setHint(input, `from the catalog${unverified.includes(from) ? " (unverified)" : ""}`);
    } else {
      if (input.dataset.filled === "1") input.value = "";
      input.placeholder = "yours?";
      setHint(input, v.kind === "none" ? "not in the catalog: give yours" : `catalog: ${v.text}; give yours`);
    }
    input.dataset.filled = v.kind === "one" ? "1" : "";
  }
  if (g.production_start) {
    if (!$("built").value) $("built").placeholder = "yours?";
    setHint($("built"), `catalog: built ${g.production_start} to ${g.production_end || "now"} (a range); give yours`);
  }
}

function generationCard(g, code, many) {
  const shown = [["body_type", "Body"], ["production_start", "Built from"], ["production_end", "Built to"],
    ["length_mm", "Length mm"], ["width_mm", "Width mm"], ["height_mm", "Height mm"], ["displacement_cc", "Engine cc"],
    ["engine_codes", "Engine"], ["drive", "Drive"], ["confidence", "Confidence"]];
  const value = (k) => {
    const v = catalogValue(g[k]);
    return ["length_mm", "width_mm", "height_mm", "displacement_cc"].includes(k) && v.kind !== "one" && v.kind !== "none" ? v.text : fmt(g[k]);
  };
  const codes = [].concat(g.chassis_codes || []);
  return el("div", {class: "card"},
    el("h4", {}, `${g.make} ${g.model} (generation ${g.generation || "?"}): ${codes.join(", ")}`),
    el("dl", {}, shown.filter(([k]) => g[k] !== null && g[k] !== undefined && g[k] !== "").map(([k, label]) =>
      [el("dt", {}, label), el("dd", {}, value(k), (g.unverified_fields || []).includes(k) ? el("span", {class: "tag"}, "unverified") : null)])),
    many ? el("button", {type: "button", class: "secondary use-generation", "data-code": code || codes[0]}, `Use ${code || codes[0]}`) : null);
}

/** Lookup, search and calendar answers come from the catalog (keicar.catalog, keicar.eligibility).
 * A look-up answer lists generations with their specs; a search answer lists matches (make, model,
 * codes, build years), whose specs a look-up of the match's code gives. Both shapes are read. */
function generationsOf(d) {
  return (d.generations || []).map((g) => ({g, code: d.code || [].concat(g.chassis_codes || [])[0]}));
}

/** Show what the catalog knows of a code and fill the form when it is one generation. */
async function lookupAndFill(code, make, t) {
  const out = $("lookup-out");
  const q = make ? `?make=${encodeURIComponent(make)}` : "";
  const res = await api("GET", `/v1/lookup/${encodeURIComponent(code)}${q}`);
  if (t !== undefined && stale("lookup", t)) return;
  out.hidden = false;
  if (!res.ok) { out.replaceChildren(el("p", {}, res.data.error)); return; }
  const found = generationsOf(res.data);
  if (!found.length) {
    out.replaceChildren(el("p", {}, `${code}: not in the catalog.`,
      (res.data.suggestions || []).length ? ` Nearest codes: ${res.data.suggestions.join(", ")}.` : ""));
    return;
  }
  out.replaceChildren(el("div", {},
    el("p", {}, found.length === 1 ? "Found: the form is filled with what the catalog knows; ranges are left for you."
      : `${found.length} generations use ${code}: pick one to fill the form.`),
    found.map(({g, code: c}) => generationCard(g, c, found.length > 1)),
    el("p", {class: "small muted"}, res.data.build_date_note || "")));
  if (found.length === 1) useGeneration(found[0].g, found[0].code);
  const buttons = [...out.querySelectorAll(".use-generation")];
  buttons.forEach((b, i) => b.addEventListener("click", () => {
    useGeneration(found[i].g, b.dataset.code);
    b.textContent = `Using ${b.dataset.code}`;
  }));
}

/** Search matches (GET /v1/search): one clear match is looked up and filled; several are listed. */
function showMatches(d, query, t) {
  const out = $("lookup-out");
  const matches = d.matches || d.results || [];
  const codeOf = (m) => m.code || [].concat(m.chassis_codes || [])[0];
  if (!matches.length) { out.hidden = false; out.replaceChildren(el("p", {}, `${query}: nothing in the catalog matches.`)); return; }
  const clear = matches.length === 1 || (matches[0].score >= 100 && !(matches[1].score >= 100));
  if (clear) { lookupAndFill(codeOf(matches[0]), matches[0].make, t); return; }
  out.hidden = false;
  out.replaceChildren(el("div", {},
    el("p", {}, `${matches.length} matches for “${query}”: pick one to fill the form.`),
    el("ul", {class: "matches"}, matches.slice(0, 12).map((m) => el("li", {},
      el("button", {type: "button", class: "secondary use-match", "data-code": codeOf(m), "data-make": m.make || ""},
        `Use ${codeOf(m)}`),
      ` ${m.label || `${m.make} ${m.model}`}`,
      el("span", {class: "muted"}, ` — built ${m.production_start || "?"} to ${m.production_end || "now"}` +
        (m.body && m.body.length ? `, ${[].concat(m.body).join("/")}` : "") +
        ` [${[].concat(m.chassis_codes || []).join(", ")}]`))))));
  for (const b of out.querySelectorAll(".use-match")) {
    b.addEventListener("click", () => lookupAndFill(b.dataset.code, b.dataset.make || null));
  }
}

async function onLookup() {
  const query = $("chassis").value.trim();
  if (!query) return;
  const t = ticket("lookup");
  const res = await api("GET", `/v1/search?q=${encodeURIComponent(query)}`);
  if (stale("lookup", t)) return;
  if (res.ok && (res.data.matches || res.data.results)) { showMatches(res.data, query, t); return; }
  // no search on this server (404), or it refused the text: look the text up as a code
  await lookupAndFill(query, null, t);
}

// ------------------------------------------------------------------ states and map

let mapDate = today();

async function loadMap() {
  await labelsReady;  // the key under the map is in words before the map shows
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
    el("dl", {}, Object.entries(LABELS.basis || {}).map(([code, b]) => [
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
  if ((d.citations || []).length) parts.push(el("ul", {class: "small"}, d.citations.map((c) => el("li", {}, cite(c)))));
  const meta = d.metadata || {};
  if (meta.notes) parts.push(el("details", {}, el("summary", {}, "About this record"), el("p", {class: "small"}, meta.notes)));
  if ((d.scheduled || []).length) {
    parts.push(el("h4", {}, "Scheduled"), el("ul", {}, d.scheduled.map((c) =>
      el("li", {}, el("strong", {}, c.date || ""), ` ${words("state_field", c.parameter)}: ` +
        (/(^|\.)(grandfather\.)?status$/.test(c.parameter || "") ? words("status", c.value) : fmt(c.value)),
        c.citation ? el("span", {class: "muted"}, ` (${cite(c.citation)})`) : null))));
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
      el("li", {}, link(s.href, cite(s.title || s.id)), s.seen ? el("small", {class: "muted"}, ` (seen ${s.seen})`) : null))));
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

document.addEventListener("DOMContentLoaded", async () => {
  const shared = location.search;  // the inputs of a shared answer, read before any check rewrites them
  $("on").value = today();
  $("map-on").value = today();
  $("cal-month").value = today().slice(0, 7);
  $("check-form").addEventListener("submit", onCheck);
  $("lookup-btn").addEventListener("click", onLookup);
  $("chassis").addEventListener("keydown", (e) => {  // Enter in the search box looks up, not checks
    if (e.key === "Enter") { e.preventDefault(); onLookup(); }
  });
  $("map-on").addEventListener("change", () => { loadMap(); $("state-detail").replaceChildren(); });
  $("map").addEventListener("click", (e) => { const code = stateCodeOf(e.target); if (code) showState(code); });
  $("state-pick").addEventListener("change", (e) => { if (e.target.value) showState(e.target.value); });
  $("cal-month").addEventListener("change", loadCalendar);
  window.addEventListener("beforeprint", () => { for (const d of document.querySelectorAll("details")) d.open = true; });
  api("GET", "/healthz").then((res) => {
    if (res.ok) $("versions").prepend(`keicar ${res.data.keicar_version} · law data ${res.data.law_version} · `);
  });
  labelsReady = loadLabels().then(() => $("basis-key").replaceChildren(basisKey()));
  loadMap();
  loadCalendar();
  await Promise.all([labelsReady, loadStates()]);
  // a check asked meanwhile wins over the shared one
  if (pending.check === undefined && restoreFromAddress(shared)) onCheck(new Event("submit"));
});
