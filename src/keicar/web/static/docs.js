// Offline API docs: renders /openapi.json as plain HTML (FastAPI's own docs pages load
// their scripts from a CDN). Text goes in through textContent only.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function resolve(spec, schema) {
  while (schema && schema.$ref) schema = spec.components.schemas[schema.$ref.split("/").pop()];
  return schema || {};
}

function typeOf(spec, s) {
  s = resolve(spec, s);
  if (s.anyOf) return s.anyOf.map((x) => typeOf(spec, x)).join(" | ");
  return s.type || "object";
}

function fieldsTable(rows) {
  return el("div", {class: "table-wrap"}, el("table", {class: "steps"},
    el("thead", {}, el("tr", {}, ["Field", "Where", "Type", "Description"].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c, i) =>
      el("td", {"data-label": ["Field", "Where", "Type", "Description"][i]}, el("div", {}, c))))))));
}

async function main() {
  const spec = await (await fetch("/openapi.json")).json();
  const out = [el("section", {}, el("h2", {}, `${spec.info.title} ${spec.info.version}`), el("p", {}, spec.info.description || ""))];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const rows = (op.parameters || []).map((p) =>
        [p.name, p.in, typeOf(spec, p.schema), p.description || (p.schema || {}).description || ""]);
      // a JSON body, or the first kind the operation takes (POST /v1/screen: a file upload)
      const content = op.requestBody && (op.requestBody.content["application/json"] ||
        Object.values(op.requestBody.content || {})[0]);
      const body = content && content.schema && resolve(spec, content.schema);
      const required = new Set((body && body.required) || []);
      for (const [name, s] of Object.entries((body && body.properties) || {})) {
        rows.push([required.has(name) ? `${name} (required)` : name, "body", typeOf(spec, s), s.description || ""]);
      }
      const model = (r) => {
        const ref = (((r.content || {})["application/json"] || {}).schema || {}).$ref;
        return ref ? ` (${ref.split("/").pop()})` : "";
      };
      const codes = Object.entries(op.responses || {}).map(([code, r]) => `${code}: ${r.description}${model(r)}`).join(" · ");
      out.push(el("section", {},
        el("h2", {}, el("code", {}, `${method.toUpperCase()} ${path}`)),
        el("p", {}, op.summary || ""), op.description ? el("p", {class: "small"}, op.description) : null,
        rows.length ? fieldsTable(rows) : null,
        el("p", {class: "small muted"}, codes)));
    }
  }
  document.getElementById("docs").replaceChildren(...out);
}

document.addEventListener("DOMContentLoaded", main);
