"""United States, federal: which Federal Motor Vehicle Safety Standards (49 CFR Part 571)
apply to a vehicle class, and which a policy category keeps or waives.

The table is ``law/us/federal/fmvss.yaml`` (``standards``): each standard's number, name,
CFR section, the classes it applies to and how sure the applicability is. A policy names
the class a new vehicle would otherwise be certified in (``fmvss_baseline_class``) and the
standards its category requires (``<category>.fmvss_required``); the rest are waived.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.engine.parameters import Law

NODE = "us.federal.fmvss"
CLASSES = {"passenger": "passenger_car", "truck": "truck_mpv", "lsv": "lsv"}


def standards(law: Law) -> list[dict[str, Any]]:
    root = law.node(NODE)
    out = []
    for child in law.node(NODE + ".standards").children.values():
        m = child.meta
        refs = [root.sources[r].cites for r in m.get("reference", []) if r in root.sources]
        out.append({
            "number": str(m["number"]), "name": m["name"], "cfr": m["cfr"],
            "classes": list(m.get("classes", [])), "condition": m.get("condition"),
            "applicability_confidence": m.get("applicability_confidence"),
            "citations": list(dict.fromkeys(refs)),
        })
    return out


def for_class(law: Law, cls: str) -> list[dict[str, Any]]:
    return [s for s in standards(law) if cls in s["classes"]]


def for_policy(law: Law, category: str, baseline_class: str, on: dt.date) -> dict[str, Any]:
    """Standards the baseline class must meet, split into kept and waived by the category's
    ``fmvss_required`` in force on ``on``; ``added`` are required ones outside the class:
    there only because the category names them (``named_only``: each with the classes it
    applies to by itself, e.g. FMVSS 500 to low-speed vehicles)."""
    path = f"{category}.fmvss_required"
    entry = law.param(path).entry(on) if law.has(path) else None
    required = [str(x) for x in (entry.value or ())] if entry else None
    base = for_class(law, baseline_class)
    every = {s["number"]: s for s in standards(law)}
    if required is None:
        return {"required_known": False, "kept": base, "waived": [], "added": [],
                "parameter": path, "effective": None, "citation": None}
    added = [every[n] for n in required if n in every and every[n] not in base]
    return {
        "required_known": True,
        "kept": [s for s in base if s["number"] in required],
        "waived": [s for s in base if s["number"] not in required],
        "added": added,
        "named_only": [{"number": s["number"], "name": s["name"], "applies_to": s["classes"],
                        "sentence": named_only_sentence(law, s, path)} for s in added],
        "unknown_numbers": [n for n in required if n not in every],
        "parameter": path,
        "effective": entry.since.isoformat(),
        "citation": entry.citation,
        "confidence": entry.confidence,
    }


def class_label(law: Law, cls: str) -> str:
    return str(law.node(NODE).meta.get("classes", {}).get(cls, cls))


def named_only_sentence(law: Law, s: dict[str, Any], parameter: str) -> str:
    applies = ", ".join(class_label(law, c) for c in s["classes"]) or "no class in keicar's table"
    return (f"FMVSS {s['number']} ({s['name']}) is listed only because {parameter} names it; "
            f"by itself it applies to: {applies}.")


def body_class(law: Law, body: str) -> str:
    """The class a new vehicle of a kei body is certified in (``kei_mapping`` of the FMVSS
    file: a passenger kei is a passenger car, a kei truck or van a truck/MPV)."""
    mapping = law.node(NODE).meta.get("kei_mapping", {})
    text = mapping.get("passenger_kei" if body == "passenger" else "kei_truck_or_van", "")
    return str(text).split()[0] if text else ""


def baselines(law: Law, category: str, declared: str, on: dt.date) -> list[str]:
    """The classes a category's vehicles would otherwise be certified in: the policy's
    declared one first, then the truck/MPV class when the category admits trucks and vans
    on ``on`` (its ``trucks_included`` is not false), so a kei truck is compared with the
    truck list and not only with the passenger-car list."""
    out = [declared]
    path = f"{category}.trucks_included"
    trucks = law.param(path).at(on) if law.has(path) else None
    bodies = ["passenger"] if trucks is False else ["passenger", "truck"]
    for b in bodies:
        cls = body_class(law, b)
        if cls and cls not in out:
            out.append(cls)
    return out


def compare_classes(law: Law, cls: str, baseline: str) -> dict[str, Any]:
    """A class's standards against a baseline class's: kept (both), waived (the baseline's
    only), added (the class's only)."""
    mine, base = for_class(law, cls), for_class(law, baseline)
    have, had = {s["number"] for s in mine}, {s["number"] for s in base}
    return {"baseline_class": baseline,
            "kept": [s for s in base if s["number"] in have],
            "waived": [s for s in base if s["number"] not in have],
            "added": [s for s in mine if s["number"] not in had]}
