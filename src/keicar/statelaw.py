"""The state records as data for people: one state on a date, all of them, one record in
full, and the data keepers' audit. Statuses come from the rule expressions
(``keicar.rules.us.states``) evaluated for a generic kei truck and kei car, so these listings
and ``keicar check --state`` can never disagree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, Parameter, default_law
from keicar.present.jsonout import plain
from keicar.answers.state import PREFIX, resolve_state, scheduled_changes, state_block, state_codes
from keicar.inputs.vehicle import InputError

STATUSES = ("unrestricted", "restricted", "off_road_only", "prohibited", "unclear")


def _block(law: Law, code: str, on: dt.date, body: str) -> dict[str, Any]:
    row = {"state": code, "on": on, "body": body, "registered": None}
    return state_block(Evaluator(law, row), law, code, on, {"road_legal_import": True})


def summary(law: Law, code: str, on: dt.date) -> dict[str, Any]:
    """The state's answer on ``on`` for a kei truck/van, and for a kei car where it differs."""
    truck = _block(law, code, on, "truck")
    car = _block(law, code, on, "passenger")
    keys = ("status", "max_posted_speed_mph", "interstates", "registration_class", "effective",
            "confidence", "basis", "citations")
    out = {"code": code, "name": truck["name"], "on": on.isoformat(),
           "applies_to": "both" if truck["applies_to"] == "both" else "truck",
           **{k: truck[k] for k in keys},
           "record_confidence": truck["record_confidence"],
           "sentence": truck["sentence"]}
    if any(car[k] != truck[k] for k in keys[:4]) or truck["applies_to"] != "both":
        out["car"] = {k: car[k] for k in keys}
        out["car"]["sentence"] = car["sentence"]
    if "grandfather" in truck:
        out["grandfather"] = {k: v for k, v in truck["grandfather"].items() if k != "registered"}
    nxt = scheduled_changes(law, code, on)
    if nxt:
        out["next_change"] = nxt[0]["date"]
    return out


def all_summaries(law: Law, on: dt.date, status: str | None = None) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise InputError("status", f"{status!r} is not a status; accepted: {', '.join(STATUSES)}")
    rows = [summary(law, code, on) for code in state_codes(law)]
    if status is not None:
        rows = [r for r in rows if r["status"] == status or r.get("car", {}).get("status") == status]
    return rows


def _timeline(p: Parameter) -> list[dict[str, Any]]:
    rows = []
    for v in p.values:
        row = {"since": v.since.isoformat(), "value": plain(v.value), "confidence": v.confidence,
               "basis": v.basis,
               "citation": v.citation, "references": [r.id for r in v.references]}
        if v.date_precision != "day":
            row["date_precision"] = v.date_precision
        if v.note:
            row["note"] = " ".join(str(v.note).split())
        if v.disputed:
            row["disputed"] = plain([dict(d) for d in v.disputed])
        rows.append(row)
    return rows


def record(law: Law, code: str, on: dt.date) -> dict[str, Any]:
    """One record in full: the answer on ``on``, every dated value, history, scheduled
    changes, definition, sources with the day they were seen, claims and confidence."""
    code = resolve_state(code, law)
    if code is None:
        raise InputError("state", f"missing; give a state code: {', '.join(state_codes(law))}")
    node = law.node(f"{PREFIX}.{code}")
    out = summary(law, code, on)
    out["metadata"] = {k: plain(v) for k, v in node.meta.items()
                       if k in ("confidence", "last_reviewed", "notes")}
    if isinstance(out["metadata"].get("notes"), str):
        out["metadata"]["notes"] = " ".join(out["metadata"]["notes"].split())
    out["parameters"] = {p.path.split(".", 3)[3]: _timeline(p) for p in node.walk()}
    out["scheduled"] = scheduled_changes(law, code, on)
    out["history"] = [{k: plain(v) for k, v in h.items()} for h in node.meta.get("history") or []]
    out["claims"] = [{k: plain(v) for k, v in c.items()} for c in node.meta.get("claims") or []]
    out["sources"] = [
        {"id": s.id, "title": s.title, "href": s.href, "seen": plain(s.seen), "kind": s.kind,
         "citation": s.citation}
        for s in node.sources.values()
    ]
    return out


def audit(law: Law | None = None, today: dt.date | None = None, older_than: int | None = None,
          changed_since: dt.date | None = None) -> dict[str, Any]:
    """The data keepers' to-do list: the answers today counted by status, basis and confidence
    (kei trucks/vans, and kei cars), records by confidence, sources seen more than
    ``older_than`` days before ``today`` (or never dated), disputed values, records whose
    status is unclear today, and the changes in the data from ``changed_since`` to ``today``."""
    from keicar.answers.changes import changes

    law = law or default_law()
    today = today or dt.date.today()
    counts: dict[str, dict[str, dict[str, int]]] = {
        kind: {"status": {}, "basis": {}, "confidence": {}} for kind in ("truck", "car")}
    by_conf: dict[str, list[str]] = {c: [] for c in ("high", "medium", "low", "unset")}
    stale, disputed, unclear, low_values = [], [], [], []
    for code in state_codes(law):
        node = law.node(f"{PREFIX}.{code}")
        by_conf.setdefault(node.meta.get("confidence") or "unset", []).append(code)
        for s in node.sources.values():
            age = (today - s.seen).days if s.seen else None
            if age is None or (older_than is not None and age > older_than):
                stale.append({"state": code, "source": s.id, "title": s.title, "href": s.href,
                              "seen": plain(s.seen), "age_days": age})
        for p in node.walk():
            name = p.path.split(".", 3)[3]
            for v in p.values:
                if v.disputed:
                    disputed.append({"state": code, "parameter": name, "since": v.since.isoformat(),
                                     "value": plain(v.value),
                                     "claims": [str(d.get("claim")) for d in v.disputed]})
                if v.confidence == "low":
                    low_values.append({"state": code, "parameter": name, "since": v.since.isoformat()})
        s = summary(law, code, today)
        for kind, part in (("truck", s), ("car", s.get("car", s))):
            for key in ("status", "basis", "confidence"):
                value = str(part.get(key))
                counts[kind][key][value] = counts[kind][key].get(value, 0) + 1
        kinds = [k for k, st in (("truck" if s["applies_to"] != "both" else "both", s["status"]),
                                 ("car", s.get("car", {}).get("status"))) if st == "unclear"]
        if kinds:
            unclear.append({"state": code, "for": kinds, "confidence": s["confidence"],
                            "claims": len(node.meta.get("claims") or [])})
    out = {
        "today": today.isoformat(),
        "older_than_days": older_than,
        "records": sum(len(v) for v in by_conf.values()),
        "counts": counts,
        "by_confidence": {k: v for k, v in by_conf.items() if v or k != "unset"},
        "stale_sources": stale,
        "disputed": disputed,
        "unclear": unclear,
        "low_confidence_values": low_values,
    }
    if changed_since is not None:
        out["changed_since"] = changed_since.isoformat()
        out["changes"] = [c for c in changes(law, changed_since, today, today=today)
                          if c["jurisdiction"].startswith(PREFIX + ".")]
    return out
