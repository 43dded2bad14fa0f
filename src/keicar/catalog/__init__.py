"""Kei model generations by chassis (model) code: ``catalog.csv`` and its lookup.

The catalog is a lookup aid, not legal proof: the date that counts for import rules is the
individual vehicle's date of manufacture, which a chassis code or a frame number does not
encode. The file is parsed once, on first use, so that commands that do not need it stay
fast.

A code as written on an auction sheet or export certificate may carry an emission-regulation
prefix (``EBD-DA63T``, ``V-HA4``, ``3BD-DA16T``) and, as a frame number, a serial
(``DA63T-123456``). ``normalize`` strips both when the remaining part is a catalog code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from keicar.inputs.vehicle import InputError

CATALOG_CSV = Path(__file__).resolve().parent / "catalog.csv"

#: catalog body_type -> keicar body (vehicle.BODIES)
BODY_MAP = {"passenger": "passenger", "sports": "passenger", "suv": "passenger",
            "truck": "truck", "van": "van"}
#: fields ``check`` can take from the catalog: keicar field -> catalog column
FILLABLE = {"length_mm": "length_mm", "width_mm": "width_mm", "height_mm": "height_mm",
            "cc": "displacement_cc", "stroke": "stroke"}
NUMERIC = ("length_mm", "width_mm", "height_mm", "displacement_cc", "cylinders", "stroke",
           "max_power_ps", "curb_weight_kg", "seats")
LIST_FIELDS = ("body_type", "chassis_codes", "engine_codes", "forced_induction", "drive",
               "powertrain", "sources", "verified_fields", "unverified_fields")
#: What the frame number does not tell, and which documents do.
BUILD_DATE_NOTE = (
    "A chassis code or frame number does not encode the build month. The date of manufacture "
    "is on the manufacturer's plate or label on the vehicle; the Japanese export certificate "
    "shows the first registration (year and month), not the date of manufacture."
)

_PREFIX = re.compile(r"^[0-9A-Z]{1,3}$")
_SERIAL = re.compile(r"^[0-9]{3,8}$")
_CLEAN = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class Spec:
    """One catalog cell: the raw text, and a single number when it is one."""
    raw: str

    @property
    def value(self) -> int | None:
        return int(self.raw) if self.raw.isdigit() else None

    @property
    def is_range(self) -> bool:
        return bool(self.raw) and self.value is None


@dataclass(frozen=True)
class Generation:
    row: dict[str, str] = field(repr=False)
    index: int

    def __getitem__(self, column: str) -> str:
        return self.row.get(column, "") or ""

    @property
    def make(self) -> str: return self["make"]
    @property
    def model(self) -> str: return self["model"]
    @property
    def codes(self) -> list[str]: return [c for c in self["chassis_codes"].split("|") if c]

    @property
    def bodies(self) -> list[str]:
        """keicar bodies (passenger | truck | van) of this generation, in catalog order."""
        out: list[str] = []
        for b in self["body_type"].split("|"):
            mapped = BODY_MAP.get(b.strip())
            if mapped and mapped not in out:
                out.append(mapped)
        return out

    @property
    def unverified(self) -> list[str]:
        return [f for f in self["unverified_fields"].split("|") if f]

    @property
    def label(self) -> str:
        gen = f" (generation {self['generation']})" if self["generation"] else ""
        return f"{self.make} {self.model}{gen}"

    def spec(self, column: str) -> Spec:
        return Spec(self[column].strip())

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON: numbers where a cell is one number, lists for |-joined cells,
        ranges kept as written; sources as URLs; unverified fields named."""
        out: dict[str, Any] = {}
        for k, v in self.row.items():
            if k in LIST_FIELDS:
                out[k] = [x for x in v.split("|") if x]
            elif k in NUMERIC and v.isdigit():
                out[k] = int(v)
            else:
                out[k] = v or None
        out["sources"] = [source_url(s) for s in out["sources"]]
        out["keicar_bodies"] = self.bodies
        return out


def source_url(ref: str) -> str:
    """``repo:owner/name/path@commit`` -> the GitHub URL of that file at that commit."""
    if not ref.startswith("repo:"):
        return ref
    spec, _, commit = ref[5:].rpartition("@")
    owner, name, path = (spec.split("/", 2) + ["", ""])[:3]
    return f"https://github.com/{owner}/{name}/blob/{commit}/{path}"


@lru_cache(maxsize=1)
def generations() -> tuple[Generation, ...]:
    with CATALOG_CSV.open(encoding="utf-8", newline="") as f:
        return tuple(Generation(row, i) for i, row in enumerate(csv.DictReader(f)))


@lru_cache(maxsize=1)
def code_index() -> dict[str, tuple[Generation, ...]]:
    idx: dict[str, list[Generation]] = {}
    for g in generations():
        for code in g.codes:
            idx.setdefault(code, []).append(g)
    return {k: tuple(v) for k, v in idx.items()}


@dataclass
class Match:
    query: str
    code: str
    prefix: str | None = None
    serial: str | None = None
    generations: list[Generation] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "code": self.code,
            "prefix_stripped": self.prefix,
            "serial_stripped": self.serial,
            "found": bool(self.generations),
            "generations": [g.as_dict() for g in self.generations],
            "suggestions": self.suggestions,
            "build_date_note": BUILD_DATE_NOTE,
        }


def normalize(raw: str) -> tuple[str, str | None, str | None]:
    """(code, stripped prefix, stripped serial). A part before the code is dropped when it is
    1-3 letters/digits (an emission-regulation prefix such as EBD, V, 3BD) and one after it
    when it is digits (a frame serial), but only where the remaining part is a catalog code;
    otherwise the text is returned cleaned but whole, for suggestions."""
    text = _CLEAN.sub("", str(raw or "")).upper().replace("－", "-").replace("‐", "-")
    if not text:
        raise InputError("chassis", "missing; give a chassis (model) code such as DA63T or EBD-DA63T")
    index = code_index()
    if text in index:
        return text, None, None
    parts = [p for p in text.split("-") if p != ""]
    for i, part in enumerate(parts):
        prefix, rest = parts[:i], parts[i + 1:]
        if part in index and all(_PREFIX.match(p) for p in prefix) and all(_SERIAL.match(p) for p in rest):
            return part, "-".join(prefix) or None, "-".join(rest) or None
    # A frame number written without its hyphen: the longest catalog code it starts with,
    # followed by digits only.
    body = parts[-1] if parts else text
    head = [p for p in parts[:-1]]
    if all(_PREFIX.match(p) for p in head):
        for code in sorted((c for c in index if c and body.startswith(c)), key=len, reverse=True):
            tail = body[len(code):]
            if _SERIAL.match(tail) and len(tail) >= 4:
                return code, "-".join(head) or None, tail
    return text, None, None


def suggest(code: str, n: int = 5) -> list[str]:
    import difflib

    return difflib.get_close_matches(code, [c for c in code_index() if c], n=n, cutoff=0.5)


def _filter(gens: list[Generation], column: str, wanted: str | None) -> list[Generation]:
    if not wanted:
        return gens
    w = wanted.strip().lower()
    exact = [g for g in gens if g[column].lower() == w]
    return exact or [g for g in gens if w in g[column].lower()]


def lookup(raw: str, make: str | None = None, model: str | None = None) -> Match:
    """Every generation listed under the code (filtered by make/model when given)."""
    code, prefix, serial = normalize(raw)
    m = Match(str(raw), code, prefix, serial)
    found = list(code_index().get(code, ()))
    if not found:
        m.suggestions = suggest(code)
        return m
    by_make = _filter(found, "make", make)
    if make and not by_make:
        makes = sorted({g.make for g in found})
        raise InputError("make", f"{code} is not listed for {make!r}; the catalog lists it for {', '.join(makes)}")
    by_model = _filter(by_make, "model", model)
    m.generations = by_model or by_make  # a model name the catalog spells otherwise is not an error
    return m


def resolve(raw: str, make: str | None = None, model: str | None = None) -> tuple[Match, list[Generation]]:
    """The generation(s) behind a code for filling a vehicle: several rows are accepted only
    when they are one maker's (e.g. Alto and Alto Works share codes); the fill then takes only
    the values they agree on. Otherwise an InputError asks for --make."""
    m, _ = resolve_code_generations(raw, make, model)
    makes = sorted({g.make for g in m.generations})
    if len(makes) > 1:
        listed = "; ".join(sorted({g.label for g in m.generations}))
        raise InputError("make", f"{m.code} is used by several makes ({listed}); give --make {' or --make '.join(makes)}")
    return m, m.generations


def _agreed(gens: list[Generation], column: str) -> str | None:
    vals = {g[column].strip() for g in gens}
    return vals.pop() if len(vals) == 1 else None


def fill(given: dict[str, Any], chassis: str, make: str | None = None,
         model: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fill the specs the user did not give (values given always win).

    Returns (vehicle arguments, catalog info for the output). A field the catalog gives as a
    range or as alternatives is never guessed: the user is asked to give it. A generation
    sold with several bodies needs --body."""
    m, gens = resolve(chassis, make, model)
    out = dict(given)
    filled: list[str] = []
    unverified: set[str] = set()
    for g in gens:
        unverified.update(g.unverified)
    label = "; ".join(g.label for g in gens)
    for name, column in FILLABLE.items():
        if out.get(name) not in (None, ""):
            continue
        raw = _agreed(gens, column)
        if raw is None:
            alts = " / ".join(sorted({g[column] or "(none)" for g in gens}))
            raise InputError(name, f"the catalog rows for {m.code} ({label}) differ ({alts}); give it from the vehicle's documents")
        spec = Spec(raw)
        if spec.is_range:
            unit = "" if name == "stroke" else (" cc" if name == "cc" else " mm")
            raise InputError(name, f"the catalog gives {raw}{unit} for {m.code} ({label}), a range or alternatives; give the value from the vehicle's documents")
        if spec.value is None:
            continue  # not in the catalog: the usual 'missing' error follows if it is needed
        out[name] = spec.value
        filled.append(name)
    if out.get("body") in (None, ""):
        bodies = []
        for g in gens:
            bodies += [b for b in g.bodies if b not in bodies]
        if len(bodies) == 1:
            out["body"] = bodies[0]
            filled.append("body")
        elif bodies:
            raise InputError("body", f"{m.code} ({label}) is listed as {' or '.join(bodies)}; give --body {' or --body '.join(bodies)}")
    for key, col in (("make", "make"), ("model", "model")):
        if out.get(key) in (None, ""):
            out[key] = _agreed(gens, col) or None
    out["chassis"] = m.code
    col_of = {**FILLABLE, "body": "body_type"}
    info = {
        "code": m.code,
        "prefix_stripped": m.prefix,
        "serial_stripped": m.serial,
        "generations": [g.label for g in gens],
        "production": [f"{g['production_start'] or '?'} to {g['production_end'] or 'current'}" for g in gens],
        "filled_from_catalog": filled,
        "unverified": [f for f in filled if col_of[f] in unverified],
        "confidence": sorted({g['confidence'] for g in gens if g['confidence']}),
        "build_date_note": BUILD_DATE_NOTE,
    }
    return out, info


def resolve_code_generations(raw: str, make: str | None = None,
                              model: str | None = None) -> tuple[Match, list[Generation]]:
    """Every generation under a code (several makes allowed), or an InputError with the
    nearest codes when the catalog does not list it."""
    m = lookup(raw, make, model)
    if not m.generations:
        hint = f"; nearest catalog codes: {', '.join(m.suggestions)}" if m.suggestions else ""
        raise InputError("chassis", f"{m.code!r} is not in the catalog{hint}")
    return m, m.generations
