"""Regenerate src/keicar/maps/us_states.json from the us-atlas npm package (run once; the
output is committed so keicar needs no network).

    npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    python tools/make_us_map.py package/states-albers-10m.json

us-atlas (ISC licence) redistributes the Census Bureau's cartographic boundary files (2017),
a US government work in the public domain, projected with d3.geoAlbersUsa to a 975x610 box
(Alaska and Hawaii inset). Rings are decoded from TopoJSON arcs and rounded to 0.1 px.
"""

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STATES = ROOT / "src/keicar/law/us/states"


def main(src: str) -> None:
    topo = json.loads(Path(src).read_text())
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((round(x * sx + tx, 1), round(y * sy + ty, 1)))
        arcs.append(pts)

    def ring(indices):
        out = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    names = {}
    for f in STATES.glob("*.yaml"):
        doc = yaml.safe_load(f.read_text())
        names[doc["name"]] = doc["code"]
    shapes = {}
    for g in topo["objects"]["states"]["geometries"]:
        name = g["properties"]["name"]
        if name not in names:
            continue  # territories
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        shapes[names[name]] = [[ring(r) for r in poly] for poly in polys]
    missing = sorted(set(names.values()) - set(shapes))
    assert not missing, missing
    out = {
        "source": "us-atlas 3.0.1 states-albers-10m.json (ISC), from the US Census Bureau cartographic "
                  "boundary files 2017 (public domain); d3.geoAlbersUsa, 975x610",
        "width": 975, "height": 610,
        "states": {k: shapes[k] for k in sorted(shapes)},
    }
    dest = ROOT / "src/keicar/maps/us_states.json"
    dest.write_text(json.dumps(out, separators=(",", ":")))
    print(dest, dest.stat().st_size, "bytes,", len(shapes), "jurisdictions")


if __name__ == "__main__":
    main(sys.argv[1])
