"""The ``state`` block of ``keicar check``: the state rules (``keicar.rules.us.states``)
explained for one vehicle, with the dated values, citations and the sentence shown to the
owner. Interfaces call ``keicar.api.check(..., state=...)``, which calls this with the
values of the ``state.*`` registry variables (``keicar.rules.registry``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.engine.explain import Evaluator, jurisdictions
from keicar.engine.parameters import Law, Value
from keicar.answers.explanation import steps, variable_values
from keicar.present.jsonout import plain
from keicar.rules.us import states as S
from keicar.inputs.vehicle import InputError, parse_date

PREFIX = "us.states"


def state_codes(law: Law) -> tuple[str, ...]:
    return jurisdictions(law, PREFIX)


def state_values(law: Law, codes_only: bool = False) -> dict[str, str]:
    """Accepted spellings of a state (upper case, spaces single) -> its code: the codes of
    the law's state files and, unless ``codes_only``, the names those files give (Texas,
    New York, District of Columbia)."""
    codes = state_codes(law)
    values = {c: c for c in codes}
    if not codes_only:
        values.update({" ".join(state_name(law, c).split()).upper(): c for c in codes})
    return values


def resolve_state(raw: Any, law: Law) -> str | None:
    """A state code or name as the user gave it -> its code (None when blank)."""
    if raw is None or str(raw).strip() == "":
        return None
    text = " ".join(str(raw).split()).upper()
    codes = state_codes(law)
    code = text if text in codes else state_values(law).get(text)
    if code is None:
        raise InputError("state", f"{raw!r} is not a state; accepted: a code ({', '.join(codes)}) "
                         "or the name of a state")
    return code


def resolve_registered(raw: Any, on: dt.date, built: dt.date, state: str | None) -> dt.date | None:
    if raw is None or str(raw).strip() == "":
        return None
    registered = parse_date("registered", raw)
    if state is None:
        raise InputError("registered", "a registration date needs a state; give --state XX too")
    if registered > on:
        raise InputError("registered", f"{registered} is after the date asked ({on})")
    if registered < built:
        raise InputError("registered", f"{registered} is before the vehicle was built ({built})")
    return registered


def _used(ev: Evaluator, expr) -> Value | None:
    """The dated value ``expr`` ended on (the last parameter it read) for ``ev``'s row."""
    ev.reads = []
    ev.eval(expr)
    reads = [r for r in ev.reads if r.entry is not None]
    return reads[-1].entry if reads else None


def state_name(law: Law, code: str) -> str:
    return str(law.node(f"{PREFIX}.{code}").meta.get("name", code))


def _entry(law: Law, path: str, on: dt.date) -> Value | None:
    return law.param(path).entry(on) if law.has(path) else None


def state_block(ev: Evaluator, law: Law, code: str, on: dt.date, us: dict,
                values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Explain the state rules for the vehicle of ``ev`` (its row holds ``state``);
    ``values`` holds the ``state.*`` variables for that row (computed when not given)."""
    if values is None:
        values = variable_values(law, ev.row, ("state",), prefix="state.")
    node = law.node(f"{PREFIX}.{code}")
    source = values["state.status_from"]
    entries: list[Value] = []
    if source == "record":
        entries.append(_used(ev, S.per_vehicle("status")))
    elif source == "grandfather":
        entries.append(_used(ev, S.sp("grandfather.status")))
    out: dict[str, Any] = {"code": code, "name": state_name(law, code), "status": values["state.status"]}
    for field, expr in (("max_posted_speed_mph", S.max_posted_speed_mph),
                        ("interstates", S.interstates),
                        ("registration_class", S.registration_class)):
        out[field] = values[f"state.{field}"]
        entries.append(_used(ev, expr))
    entries = [e for e in entries if e is not None]
    citations: list[str] = []
    for e in entries:
        citations += [c for c in e.citations if c not in citations]
    checks = steps(S.DEFINITION_CHECKS, ev)
    for s in checks:  # inches converted from mm: show two decimals
        if isinstance(s["value"], float):
            s["value"] = round(s["value"], 2)
    missed = [s for s in checks if s["passed"] is False]
    for s in missed:
        citations += [c for c in s["citations"] if c not in citations]
    out.update({
        "applies_to": values["state.applies_to"],
        "effective": plain(max(e.since for e in entries)) if entries else None,
        "confidence": values["state.confidence"],
        "basis": values["state.basis"],
        "citations": citations,
        "record_confidence": node.meta.get("confidence"),
        "status_from": source,
        "grandfathered": values["state.grandfathered"] is True,
        "road_importable": bool(us.get("road_legal_import")),
    })
    gf_before = _entry(law, f"{PREFIX}.{code}.grandfather.registered_before", on)
    if gf_before is not None and gf_before.value is not None:
        gf_status = _entry(law, f"{PREFIX}.{code}.grandfather.status", on)
        out["grandfather"] = {
            "registered_before": plain(gf_before.value),
            "status": gf_status.value if gf_status else None,
            "registered": plain(ev.row.get("registered")),
            "citation": gf_before.citation,
        }
    not_checked = _not_checked(law, code, on)
    if checks or not_checked:
        out["definition"] = {
            "outside": values["state.outside_definition"] is True,
            "missed": [s["rule"].split(".", 1)[1] for s in missed],
            "checks": checks,
            "not_checked": not_checked,
        }
    out["scheduled"] = scheduled_changes(law, code, on)
    out["sentence"] = sentence(out, on)
    return out


def _not_checked(law: Law, code: str, on: dt.date) -> list[dict[str, Any]]:
    rows = []
    for name in S.NOT_TESTED:
        e = _entry(law, f"{PREFIX}.{code}.definition.{name}", on)
        if e is not None and e.value is not None:
            rows.append({"rule": name, "limit": e.value, "citation": e.citation,
                         "effective": plain(e.since), "confidence": e.confidence})
    return rows


def scheduled_changes(law: Law, code: str, on: dt.date) -> list[dict[str, Any]]:
    """Values of the state's parameters that take effect after ``on``."""
    out = []
    for p in law.node(f"{PREFIX}.{code}").walk():
        for v in p.values:
            if v.since > on:
                out.append({"date": v.since.isoformat(), "parameter": p.path.split(".", 3)[3],
                            "value": plain(v.value),
                            "citation": v.citation})
    return sorted(out, key=lambda r: (r["date"], r["parameter"]))


def _roads(block: dict) -> list[str]:
    parts = []
    speed = block["max_posted_speed_mph"]
    if speed is not None:
        parts.append(f"roads posted {speed:g} mph or less")
    if block["interstates"] is False:
        parts.append("no interstates")
    elif block["interstates"] is True:
        parts.append("interstates allowed" if speed is not None else "any road, interstates included")
    elif block["status"] in ("unrestricted", "restricted"):
        parts.append("interstate use not established")
    return parts


def _missed_text(block: dict) -> str:
    bits = []
    for s in block["definition"]["checks"]:
        if s["passed"] is False:
            value = s["value"]
            if isinstance(value, float):
                value = round(value, 1)
            op = {"<=": "over", ">=": "under"}.get(s["op"], s["op"])
            if s["op"] == "covers":
                bits.append(f"body {value} not covered by a {s['limit']}-only class ({s['citation']})")
            else:
                bits.append(f"{s['label'].lower()} {value:g} {s['unit']} {op} the {s['limit']:g} {s['unit']} limit "
                            f"({s['citation']})")
    return "; ".join(bits)


def sentence(block: dict, on: dt.date) -> str:
    """What the owner may do in the state on the date asked, in plain words."""
    status = block["status"]
    if status == "unrestricted":
        text = "; ".join(["may register and drive"] + _roads(block))
    elif status == "restricted":
        text = "; ".join(["may register"] + _roads(block))
    elif status == "off_road_only":
        text = "may not be driven on public roads (off-road use only)"
    elif status == "prohibited":
        text = "may not be registered for road use"
    else:
        text = "unclear whether it may be registered (no primary source settles it)"
    if block["status_from"] == "definition":
        text = f"outside the state's class definition ({_missed_text(block)}), so {text}"
    elif block["status_from"] == "none":
        text = "no record on this date; " + text
    if block.get("grandfathered"):
        text += f" (grandfathered: registered before {block['grandfather']['registered_before']})"
    elif status == "prohibited" and block.get("grandfather"):
        text += (f"; vehicles registered before {block['grandfather']['registered_before']} keep "
                 f"'{block['grandfather']['status']}' (give --registered)")
    if block["confidence"] in ("low", "medium"):
        text += f" ({block['confidence']} confidence)"
    head = f"{block['name']} ({block['code']}) on {on}"
    if not block["road_importable"]:
        return f"{head}, once it may be imported for road use: {text}."
    return f"{head}: {text}."
