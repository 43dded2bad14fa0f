"""The change feed: every dated change in the US state and federal law data, past and
scheduled, each with the sources behind it.

A change is a parameter taking a new value on a date (its first value counts: the day the
rule took effect in keicar's record). Changes are grouped by jurisdiction and date, so that
Colorado's HB25-1281 (status, speed cap, interstates, definition, all from 2027-07-01) is one
entry. Values that repeat the previous one (a later source confirming it) are not changes.
Interfaces render :func:`changes` as a table, JSON (``keicar changes``, ``GET /v1/changes``)
or an Atom feed (:func:`atom`, ``GET /v1/changes.atom``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from keicar.engine.parameters import Law, Node, Parameter
from keicar.engine.variables import value_notes

PREFIXES = ("us.federal", "us.states")


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


def _files(law: Law, state: str | None) -> list[tuple[str, Node]]:
    out = []
    for prefix, _ in law.files():
        if state is not None:
            if prefix == f"us.states.{state}":
                out.append((prefix, law.file_node(prefix)))
        elif prefix.startswith(PREFIXES):
            out.append((prefix, law.file_node(prefix)))
    return out


def _title(prefix: str, node: Node) -> str:
    name = node.meta.get("name")
    if prefix.startswith("us.states.") and name:
        return str(name)
    return "US federal: " + (node.description or prefix.rsplit(".", 1)[-1])


def _param_changes(prefix: str, p: Parameter) -> list[tuple[dt.date, dict[str, Any]]]:
    out = []
    prev: Any = None
    for i, v in enumerate(p.values):
        if i and v.value == prev:
            continue
        item = {
            "parameter": p.path[len(prefix) + 1:],
            "description": p.description,
            "from": _iso(prev) if i else None,
            "to": _iso(v.value),
            "unit": p.unit,
            "confidence": v.confidence,
            "citations": v.citations,
            "sources": [{"title": r.title, "href": r.href} for r in v.references],
            **value_notes(v),
        }
        out.append((v.since, item))
        prev = v.value
    return out


def changes(law: Law, since: dt.date | None = None, until: dt.date | None = None,
            state: str | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every change between ``since`` and ``until`` (inclusive), oldest first. ``state`` (a
    code already checked by the caller) keeps that state's changes only. ``scheduled`` marks
    a change that takes effect after ``today``."""
    today = today or dt.date.today()
    groups: dict[tuple[str, dt.date], dict[str, Any]] = {}
    for prefix, node in _files(law, state):
        for p in node.walk():
            for day, item in _param_changes(prefix, p):
                if (since and day < since) or (until and day > until):
                    continue
                g = groups.setdefault((prefix, day), {
                    "date": day.isoformat(),
                    "jurisdiction": prefix,
                    "code": prefix.rsplit(".", 1)[-1] if prefix.startswith("us.states.") else None,
                    "title": _title(prefix, node),
                    "scheduled": day > today,
                    "changes": [],
                })
                g["changes"].append(item)
    return [groups[k] for k in sorted(groups, key=lambda k: (k[1], k[0]))]


def _text(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def summary_line(entry: dict[str, Any]) -> str:
    """One line for a person: ``Colorado: status unclear → restricted; …``."""
    parts = []
    for c in entry["changes"]:
        new = _text(c["to"])
        parts.append(f"{c['parameter']} {new}" if c["from"] is None
                     else f"{c['parameter']} {_text(c['from'])} → {new}")
    return f"{entry['title']}: " + "; ".join(parts)


def atom(entries: list[dict[str, Any]], self_url: str, updated: dt.date) -> str:
    """An Atom 1.0 feed (RFC 4287) of ``entries``, newest first, one entry per jurisdiction
    and date. Ids are tag URIs (RFC 4151), stable across runs."""
    def tag(entry: dict[str, Any]) -> str:
        return f"tag:keicar.invalid,2026:change/{entry['jurisdiction']}/{entry['date']}"

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "  <title>keicar: changes in US state and federal kei vehicle law</title>",
        f"  <id>tag:keicar.invalid,2026:changes{escape(self_url)}</id>",
        f"  <link rel=\"self\" href={quoteattr(self_url)}/>",
        f"  <updated>{updated.isoformat()}T00:00:00Z</updated>",
        "  <author><name>keicar</name></author>",
    ]
    for e in sorted(entries, key=lambda e: (e["date"], e["jurisdiction"]), reverse=True):
        body = []
        for c in e["changes"]:
            src = "; ".join(s["title"] for s in c["sources"])
            body.append(f"{c['parameter']}: {_text(c['from'])} → {_text(c['to'])} (confidence {c['confidence']}"
                        + (f", basis {c['basis']}" if c.get("basis") else "") + f"). Sources: {src}")
        href = next((s["href"] for c in e["changes"] for s in c["sources"] if s.get("href")), None)
        lines += [
            "  <entry>",
            f"    <id>{escape(tag(e))}</id>",
            f"    <title>{escape(('Scheduled: ' if e['scheduled'] else '') + summary_line(e))}</title>",
            f"    <updated>{e['date']}T00:00:00Z</updated>",
        ]
        if href:
            lines.append(f"    <link href={quoteattr(href)}/>")
        if e["code"]:
            lines.append(f"    <category term={quoteattr(e['code'])}/>")
        lines += [f"    <content type=\"text\">{escape(chr(10).join(body))}</content>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
