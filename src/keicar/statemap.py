"""A US map of the state statuses on a date, as SVG (no dependency) or PNG (matplotlib).

Outlines: ``maps/us_states.json``, made once by ``tools/make_us_map.py`` from the us-atlas
package (Census Bureau cartographic boundaries, 2017, public domain; d3.geoAlbersUsa,
975x610 with Alaska and Hawaii inset). Each state is one ``<g id="state-XX">`` with a
``<title>`` (name, status, date), so the web page can make it clickable.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from keicar.engine.parameters import Law, default_law
from keicar.answers.statelaw import STATUSES, all_summaries
from keicar.inputs.vehicle import InputError

GEOMETRY = Path(__file__).resolve().parent / "maps" / "us_states.json"

COLORS = {
    "unrestricted": "#1a9850",
    "restricted": "#91cf60",
    "off_road_only": "#fdae61",
    "prohibited": "#d73027",
    "unclear": "#bdbdbd",
}
LABELS = {
    "unrestricted": "Unrestricted",
    "restricted": "Restricted (roads limited)",
    "off_road_only": "Off-road only",
    "prohibited": "Prohibited",
    "unclear": "Unclear",
}
#: Readings that rest on reported practice or secondary sources only: hatched on the map.
WEAK_BASES = ("agency_practice_reported", "secondary_only")
WEAK_LABEL = "Hatched: rests on reported practice or secondary sources only"
TOP = 50  # room for the title above the map
LEGEND_H = 62


@lru_cache(maxsize=1)
def geometry() -> dict[str, Any]:
    return json.loads(GEOMETRY.read_text(encoding="utf-8"))


def statuses_on(on: dt.date, law: Law | None = None, body: str = "truck") -> list[dict[str, Any]]:
    """(code, name, status, sentence) of every state on ``on`` for a kei truck or car."""
    out = []
    for s in all_summaries(law or default_law(), on):
        part = s.get("car", s) if body == "passenger" else s
        out.append({"code": s["code"], "name": s["name"], "status": part["status"],
                    "confidence": part["confidence"], "basis": part.get("basis"),
                    "sentence": part["sentence"]})
    return out


def _path(polys: list) -> str:
    parts = []
    for poly in polys:
        for ring in poly:
            parts.append("M" + "L".join(f"{x:g},{y + TOP:g}" for x, y in ring) + "Z")
    return "".join(parts)


def svg(on: dt.date, law: Law | None = None, body: str = "truck") -> str:
    geo = geometry()
    width, height = geo["width"], geo["height"] + TOP + LEGEND_H
    kind = "kei cars" if body == "passenger" else "kei trucks and vans"
    title = f"Kei vehicles in US states on {on.isoformat()}: may {kind} be titled and driven?"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:g}" y="30" text-anchor="middle" font-size="20" font-weight="bold">'
        f"{escape(title)}</text>",
        '<defs><pattern id="weak" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="none"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2.2" opacity="0.85"/>'
        "</pattern></defs>",
        '<g id="states" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">',
    ]
    for s in statuses_on(on, law, body):
        d = _path(geo["states"][s["code"]])
        basis = s["basis"] or "none"
        tip = (f"{s['name']} ({s['code']}), {on.isoformat()}: {s['status']}"
               f" (basis: {basis.replace('_', ' ')}) — {s['sentence']}")
        hatch = f'<path d="{d}" fill="url(#weak)"/>' if s["basis"] in WEAK_BASES else ""
        out.append(
            f'<g id="state-{s["code"]}" class="state status-{s["status"]}" data-status="{s["status"]}"'
            f' data-basis="{basis}">'
            f"<title>{escape(tip)}</title>"
            f'<path d="{d}" fill="{COLORS[s["status"]]}"/>{hatch}</g>')
    out.append("</g>")
    y = TOP + geo["height"] + 12
    x = 20.0
    out.append('<g id="legend" font-size="13">')
    for status in STATUSES:
        out.append(f'<rect x="{x:g}" y="{y}" width="16" height="16" fill="{COLORS[status]}"/>'
                   f'<text x="{x + 22:g}" y="{y + 13}">{escape(LABELS[status])}</text>')
        x += 30 + 7.5 * len(LABELS[status])
    out.append(f'<rect x="20" y="{y + 22}" width="16" height="16" fill="#888888"/>'
               f'<rect x="20" y="{y + 22}" width="16" height="16" fill="url(#weak)"/>'
               f'<text x="42" y="{y + 35}">{escape(WEAK_LABEL)}</text>')
    out.append(f'<text x="{width - 10}" y="{y + 13}" text-anchor="end" font-size="10" fill="#666">'
               "keicar · outlines: US Census Bureau (public domain) via us-atlas</text>")
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def png(on: dt.date, out: Path, law: Law | None = None, body: str = "truck") -> None:
    try:
        import matplotlib
    except ImportError:
        raise InputError("out", "PNG needs matplotlib: pip install 'keicar[map]' (or write .svg)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Polygon

    geo = geometry()
    fig, ax = plt.subplots(figsize=(geo["width"] / 100, (geo["height"] + 90) / 100), dpi=150)
    for s in statuses_on(on, law, body):
        for poly in geo["states"][s["code"]]:
            for i, ring in enumerate(poly):
                fill = COLORS[s["status"]] if i == 0 else "#ffffff"
                hatch = "////" if i == 0 and s["basis"] in WEAK_BASES else None
                ax.add_patch(Polygon(ring, closed=True, facecolor=fill, edgecolor="#ffffff",
                                     linewidth=0.5, hatch=hatch))
    ax.set_xlim(0, geo["width"])
    ax.set_ylim(geo["height"], 0)
    ax.set_aspect("equal")
    ax.axis("off")
    kind = "kei cars" if body == "passenger" else "kei trucks and vans"
    ax.set_title(f"Kei vehicles in US states on {on.isoformat()}: may {kind} be titled and driven?",
                 fontsize=11, fontweight="bold")
    handles = [Patch(color=COLORS[s], label=LABELS[s]) for s in STATUSES]
    handles.append(Patch(facecolor="#888888", edgecolor="#ffffff", hatch="////", label=WEAK_LABEL))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.1), ncol=3,
              frameon=False, fontsize=8)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)


def write_map(on: dt.date, out: Any, law: Law | None = None, body: str = "truck") -> Path:
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise InputError("out", f"{out.name!r}: the map is written as .svg or .png")
    if not out.parent.exists():
        raise InputError("out", f"folder {str(out.parent)!r} does not exist")
    if suffix == ".svg":
        out.write_text(svg(on, law, body), encoding="utf-8")
    else:
        png(on, out, law, body)
    return out
