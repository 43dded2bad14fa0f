"""The import paperwork checklist for a vehicle's path, from ``law/us/federal/papers.yaml``.

Which items are on the checklist is the registry variable ``papers.required``
(``keicar.rules.registry``): the items whose dated ``paths`` include the path the rules give
the vehicle on the date asked (and whose ``modes``, where an item names them, include the
transport mode). This module only describes those items: step, stage, agency, form and the
dated value of ``paths`` that put each on the list, with its citation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.engine.parameters import Law, default_law
from keicar.engine.variables import trace
from keicar.answers.explanation import names

NODE = "us.federal.papers"
#: rules.federal.path -> the path names papers.yaml uses
PATHS = {"25-year": "road_25_year", "off-road-only": "off_road_nonroad"}


def describe(items: list[str], on: dt.date, law: Law) -> list[dict[str, Any]]:
    """Each item of ``items`` (papers.yaml keys, in the variable's order) described, with the
    dated value of its ``paths`` in force on ``on``."""
    node = law.node(NODE)
    out = []
    for key in items:
        child = node.children[key]
        entry = law.param(f"{NODE}.{key}.paths").entry(on)
        out.append({
            "item": key,
            "step": child.meta.get("step"),
            "stage": child.meta.get("stage"),
            "agency": child.meta.get("agency"),
            "form": child.meta.get("form"),
            "description": " ".join(child.description.split()),
            "citation": entry.citation,
            "citations": entry.citations,
            "effective": entry.since.isoformat(),
            "confidence": entry.confidence,
        })
    return out


def section(us_path: str, items: list[str], on: dt.date, mode: str = "ocean",
            law: Law | None = None) -> dict[str, Any]:
    """The ``papers`` section of ``check --json`` for the path the rules gave and the items
    of ``papers.required``."""
    law = law or default_law()
    name = PATHS.get(us_path)
    return {
        "path": name,
        "path_description": law.node(NODE).meta.get("paths", {}).get(name) if name else None,
        "mode": mode,
        "items": describe(items, on, law) if name else [],
        "note": None if name else "Not importable on this date: no import papers apply yet.",
    }


def for_vehicle(vehicle, on: dt.date, mode: str = "ocean", month_reading: str | None = None,
                law: Law | None = None) -> dict[str, Any]:
    """Checklist for a vehicle given only its build date and body."""
    from keicar.rules.registry import registry

    law = law or default_law()
    reg = registry(law)
    row = {**vehicle.row(), "on": on, "month_reading": month_reading, "mode": mode}
    path = trace(law, row, reg["us.path"])["value"]
    required = trace(law, row, reg["papers.required"])["value"]
    return {"on": on.isoformat(), "us_path": path,
            **section(path, names(required), on, mode, law)}
