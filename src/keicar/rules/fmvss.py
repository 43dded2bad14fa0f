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
    ``fmvss_required`` in force on ``on``; ``added`` are required ones outside the class."""
    path = f"{category}.fmvss_required"
    entry = law.param(path).entry(on) if law.has(path) else None
    required = [str(x) for x in (entry.value or ())] if entry else None
    base = for_class(law, baseline_class)
    every = {s["number"]: s for s in standards(law)}
    if required is None:
        return {"required_known": False, "kept": base, "waived": [], "added": [],
                "parameter": path, "effective": None, "citation": None}
    return {
        "required_known": True,
        "kept": [s for s in base if s["number"] in required],
        "waived": [s for s in base if s["number"] not in required],
        "added": [every[n] for n in required if n in every and every[n] not in base],
        "unknown_numbers": [n for n in required if n not in every],
        "parameter": path,
        "effective": entry.since.isoformat(),
        "citation": entry.citation,
        "confidence": entry.confidence,
    }
