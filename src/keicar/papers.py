"""The import paperwork checklist for a vehicle's path, from ``law/us/federal/papers.yaml``.

Each item is a node of that file (step, stage, agency, form) with a dated ``paths``
parameter; an item is on the checklist when the path the rules give the vehicle
(``keicar.rules.federal.path``) is among its paths on the date asked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .engine.explain import Evaluator
from .engine.parameters import Law, Parameter, default_law
from .rules import federal

NODE = "us.federal.papers"
#: rules.federal.path -> the path names papers.yaml uses
PATHS = {"25-year": "road_25_year", "off-road-only": "off_road_nonroad"}


def checklist(path: str | None, on: dt.date, mode: str = "ocean", law: Law | None = None) -> list[dict[str, Any]]:
    """The items for ``path`` (a papers.yaml path name) on ``on``, in order of step."""
    law = law or default_law()
    node = law.node(NODE)
    items = []
    for key, child in node.children.items():
        if isinstance(child, Parameter):
            continue
        entry = law.param(f"{NODE}.{key}.paths").entry(on)
        if entry is None or entry.value is None or path not in entry.value:
            continue
        if "modes" in child.children:
            modes = law.param(f"{NODE}.{key}.modes").at(on)
            if modes is not None and mode not in modes:
                continue
        items.append({
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
    return sorted(items, key=lambda i: (i["step"] is None, i["step"] or 0))


def section(us_path: str, on: dt.date, mode: str = "ocean", law: Law | None = None) -> dict[str, Any]:
    """The ``papers`` section of ``check --json`` for the path the rules gave."""
    law = law or default_law()
    name = PATHS.get(us_path)
    return {
        "path": name,
        "path_description": law.node(NODE).meta.get("paths", {}).get(name) if name else None,
        "mode": mode,
        "items": checklist(name, on, mode, law) if name else [],
        "note": None if name else "Not importable on this date: no import papers apply yet.",
    }


def for_vehicle(vehicle, on: dt.date, mode: str = "ocean", month_reading: str | None = None,
                law: Law | None = None) -> dict[str, Any]:
    """Checklist for a vehicle given only its build date and body."""
    law = law or default_law()
    row = {**vehicle.row(), "on": on, "month_reading": month_reading}
    path = Evaluator(law, row).eval(federal.path)
    return {"on": on.isoformat(), "us_path": path, **section(path, on, mode, law)}
