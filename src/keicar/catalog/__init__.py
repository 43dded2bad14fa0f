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

import calendar as _cal
import csv
import datetime as dt
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
           "max_power_ps", "curb_weight_kg", "seats", "top_speed_kmh", "gvwr_kg")
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


#: A family suffix: one letter after a catalog code that ends in a digit (JB23W is the JB23
#: generation: Suzuki writes W for its passenger version, V for a van, T for a truck).
_SUFFIXES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@lru_cache(maxsize=1)
def code_aliases() -> dict[str, str]:
    """Every way a code is written -> the catalog code: the codes themselves, and a code that
    ends in a digit followed by one family-suffix letter (JB23W -> JB23), unless that is a
    catalog code of its own. Used by ``normalize`` and by the batch fill alike."""
    index = code_index()
    out = {c: c for c in index if c}
    for code in list(out):
        if code[-1].isdigit():
            for letter in _SUFFIXES:
                out.setdefault(code + letter, code)
    return out


def period(raw: str) -> tuple[dt.date, dt.date, str] | None:
    """A catalog date (YYYY-MM or YYYY) as (first day, last day, precision); None if empty."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) == 4 and raw.isdigit():
        y = int(raw)
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    y, m = int(raw[:4]), int(raw[5:7])
    return dt.date(y, m, 1), dt.date(y, m, _cal.monthrange(y, m)[1]), "month"


def production_window(gens: list[Generation] | tuple[Generation, ...]) -> tuple[dt.date | None, dt.date | None]:
    """(first day of the earliest start, last day of the latest end) of some generations; None
    where a start is unknown or a generation is still built (or its end unknown)."""
    starts = [period(g["production_start"]) for g in gens]
    ends = [period(g["production_end"]) for g in gens]
    start = None if not starts or None in starts else min(p[0] for p in starts)
    end = None if not ends or None in ends else max(p[1] for p in ends)
    return start, end


def production_text(gens: list[Generation] | tuple[Generation, ...]) -> str:
    """'1999-01..2013-09' as the catalog writes the dates ('current' for no end)."""
    starts = sorted(g["production_start"] for g in gens if g["production_start"])
    ends = [g["production_end"] for g in gens]
    end = "current" if not ends or "" in ends else max(ends)
    return f"{starts[0] if starts else '?'}..{end}"


def outside_production(gens: list[Generation] | tuple[Generation, ...], code: str,
                       built_start: dt.date, built_end: dt.date, built_text: str) -> str | None:
    """A warning when the build date (a day or a month: [built_start, built_end]) lies wholly
    outside the generations' production window, else None. A date that overlaps the window
    (a month-only date within its first or last month) is not outside it."""
    if _outside(production_window(gens), built_start, built_end):
        return (f"{code} was built {production_text(gens)}; the date given, {built_text}, is outside it: "
                f"check the build date and the chassis code")
    return None


@dataclass
class Match:
    query: str
    code: str
    prefix: str | None = None
    serial: str | None = None
    generations: list[Generation] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    suffix: str | None = None  # the family suffix stripped (W of JB23W)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "code": self.code,
            "prefix_stripped": self.prefix,
            "serial_stripped": self.serial,
            "suffix_stripped": self.suffix,
            "found": bool(self.generations),
            "generations": [g.as_dict() for g in self.generations],
            "suggestions": self.suggestions,
            "build_date_note": BUILD_DATE_NOTE,
        }


def normalize(raw: str) -> tuple[str, str | None, str | None]:
    """(code, stripped prefix, stripped serial). A part before the code is dropped when it is
    1-3 letters/digits (an emission-regulation prefix such as EBD, V, 3BD) and one after it
    when it is digits (a frame serial), but only where the remaining part is a catalog code
    (or one with a family suffix, JB23W -> JB23: ``normalize_code``); otherwise the text is
    returned cleaned but whole, for suggestions."""
    code, prefix, serial, _ = normalize_code(raw)
    return code, prefix, serial


def clean_code(raw: Any) -> str:
    """Upper case, no spaces, plain hyphens: the text every code comparison starts from."""
    return _CLEAN.sub("", str(raw or "")).upper().replace("－", "-").replace("‐", "-")


def normalize_code(raw: str) -> tuple[str, str | None, str | None, str | None]:
    """``normalize`` and the family suffix stripped (W of JB23W), or None."""
    text = clean_code(raw)
    if not text:
        raise InputError("chassis", "missing; give a chassis (model) code such as DA63T or EBD-DA63T")
    index = code_aliases()

    def found(written: str, prefix: str | None, serial: str | None):
        code = index[written]
        return code, prefix, serial, written[len(code):] or None

    if text in index:
        return found(text, None, None)
    parts = [p for p in text.split("-") if p != ""]
    for i, part in enumerate(parts):
        prefix, rest = parts[:i], parts[i + 1:]
        if part in index and all(_PREFIX.match(p) for p in prefix) and all(_SERIAL.match(p) for p in rest):
            return found(part, "-".join(prefix) or None, "-".join(rest) or None)
    # A frame number written without its hyphen: the longest catalog code it starts with,
    # followed by digits only.
    body = parts[-1] if parts else text
    head = [p for p in parts[:-1]]
    if all(_PREFIX.match(p) for p in head):
        for code in sorted((c for c in index if c and body.startswith(c)), key=len, reverse=True):
            tail = body[len(code):]
            if _SERIAL.match(tail) and len(tail) >= 4:
                return found(code, "-".join(head) or None, tail)
    return text, None, None, None


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
    code, prefix, serial, suffix = normalize_code(raw)
    m = Match(str(raw), code, prefix, serial, suffix=suffix)
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


def range_fill(name: str, raw: str, code: str, label: str, sets: bool = False) -> tuple[Any, str | None]:
    """What a fill does with a catalog range or alternatives (height 1755-1800, cc 657|658):
    (value, None) or (None, why the user must give it). With ``sets`` (``check --chassis``) a
    number range fills in as that set and the rules run over all of it (``check`` asks only
    when the set changes an answer); the batch screen does not take sets yet, so there the
    row gets a null with this reason (a reject if the rules need the value)."""
    from ..inputs.sets import is_number_set

    if sets and name != "stroke" and is_number_set(raw):
        return raw, None  # the rules run over the whole set (keicar.inputs.sets)
    unit = "" if name == "stroke" else (" cc" if name == "cc" else " mm")
    return None, (f"the catalog gives {raw}{unit} for {code} ({label}), a range or alternatives; give the "
                  f"value from the vehicle's documents")


def _ask_body(bodies: list[str]) -> str:
    return "give --body " + " or --body ".join(bodies)


def fillable(gens: list[Generation] | tuple[Generation, ...], code: str,
             ask_body: Any = _ask_body, sets: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """What the catalog rows of one code give a vehicle: ({field: value}, {field: why it is
    not filled}) for the fields of ``FILLABLE`` and ``body``. Rows that differ, a range and a
    generation sold with several bodies give a reason, not a value; a field the catalog leaves
    empty is in neither. ``ask_body(bodies)``: how to ask for the body."""
    label = "; ".join(g.label for g in gens)
    values: dict[str, Any] = {}
    why: dict[str, str] = {}
    for name, column in FILLABLE.items():
        raw = _agreed(gens, column)
        if raw is None:
            alts = " / ".join(sorted({g[column] or "(none)" for g in gens}))
            why[name] = f"the catalog rows for {code} ({label}) differ ({alts}); give it from the vehicle's documents"
            continue
        spec = Spec(raw)
        if spec.is_range:
            value, reason = range_fill(name, raw, code, label, sets)
            if value is not None:
                values[name] = value
            else:
                why[name] = reason
        elif spec.value is not None:
            values[name] = spec.value
    bodies: list[str] = []
    for g in gens:
        bodies += [b for b in g.bodies if b not in bodies]
    if len(bodies) == 1:
        values["body"] = bodies[0]
    elif bodies:
        why["body"] = f"{code} ({label}) is listed as {' or '.join(bodies)}; {ask_body(bodies)}"
    return values, why


def fill(given: dict[str, Any], chassis: str, make: str | None = None,
         model: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fill the specs the user did not give (values given always win).

    Returns (vehicle arguments, catalog info for the output). A dimension or displacement
    the catalog gives as a range or as alternatives fills in as that set (``ranges`` in the
    info; ``range_fill``): the rules run over the whole set, and ``check`` asks for the value
    only when the set changes an answer.
    A generation sold with several bodies needs --body."""
    m, gens = resolve(chassis, make, model)
    out = dict(given)
    filled: list[str] = []
    ranges: dict[str, str] = {}
    unverified: set[str] = set()
    for g in gens:
        unverified.update(g.unverified)
    values, why = fillable(gens, m.code, sets=True)
    ranges: dict[str, str] = {}
    for name in (*FILLABLE, "body"):
        if out.get(name) not in (None, ""):
            continue
        if name in why:
            raise InputError(name, why[name])
        if name in values:
            out[name] = values[name]
            filled.append(name)
            if isinstance(values[name], str) and name != "body":
                ranges[name] = values[name]
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
        "ranges": ranges,
        "unverified": [f for f in filled if col_of[f] in unverified],
        "confidence": sorted({g['confidence'] for g in gens if g['confidence']}),
        "build_date_note": BUILD_DATE_NOTE,
    }
    if m.suffix:
        info["suffix_stripped"] = m.suffix
    warning = _built_warning(gens, m.code, out.get("built"))
    if warning:
        info["warnings"] = [warning]
    return out, info


def _built_warning(gens: list[Generation], code: str, built: Any) -> str | None:
    """``outside_production`` for a build date as the user wrote it (YYYY-MM-DD or YYYY-MM);
    nothing for a date that is not one (the vehicle's validation says so)."""
    text = str(built or "").strip()
    try:
        if len(text) == 10:
            start = end = dt.date.fromisoformat(text)
        elif len(text) == 7:
            start, end, _ = period(text)
        else:
            return None
    except ValueError:
        return None
    return outside_production(gens, code, start, end, text)


def fill_key(code: str | None, make: str | None = None, model: str | None = None,
             built: tuple[dt.date, dt.date] | None = None) -> dict[str, Any]:
    """What the catalog fills for one batch key, with the functions ``check --chassis`` uses:
    a catalog code (``code``, normalised) with the row's make and model as filters, or, without
    a code, a make and model searched (``catalog.search``) among the generations built in the
    ``built`` window. Returns ``generations`` (possibly empty), ``values`` and ``why`` (as
    ``fillable``), ``note`` (why no catalog row, else None) and ``field`` (the input the note
    is about)."""
    out: dict[str, Any] = {"generations": [], "values": {}, "why": {}, "note": None, "field": None}
    if code:
        try:
            m, gens = resolve(code, make or None, model or None)
        except InputError as exc:
            out.update(note=exc.message, field=exc.field)
            return out
        name = m.code
    else:
        gens, name, note = _searched(make, model, built)
        if note:
            out.update(note=note, field="model")
            return out
    values, why = fillable(gens, name, ask_body=lambda bodies: "give the body: " + " or ".join(bodies),
                           sets=True)
    for field, value in values.items():  # a range or alternatives: the set it spans (a Span)
        if isinstance(value, str) and field != "body":
            from ..inputs.formats import quantity
            from ..inputs.sets import parse_number_set

            values[field] = parse_number_set(field, value, lambda f, x: quantity(x, f))
    out.update(generations=list(gens), values=values, why=why)
    return out


def _searched(make: str | None, model: str | None,
              built: tuple[dt.date, dt.date] | None) -> tuple[list[Generation], str, str | None]:
    """The generations a make and model name, built in the window: the best-scoring search
    hits whose production overlaps it; one maker's only."""
    text = " ".join(x for x in (make, model) if x)
    if not (make and model):
        return [], text, None
    try:
        hits = _search_cached(text)
    except InputError as exc:
        return [], text, exc.message
    if built is not None:
        hits = [h for h in hits if not _outside(production_window([h.generation]), *built)]
    when = "" if built is None else f" built {built[0]}..{built[1]}"
    if not hits:
        return [], text, f"no catalog generation matches {text!r}{when}"
    best = max(h.score for h in hits)
    gens = [h.generation for h in hits if h.score == best]
    makes = sorted({g.make for g in gens})
    if len(makes) > 1:
        return [], text, f"{text!r}{when} matches generations of several makes ({', '.join(makes)}); give a chassis code"
    return gens, text, None


@lru_cache(maxsize=4096)
def _search_cached(text: str) -> tuple:
    """``search`` once per make and model text (a batch asks again for each build month)."""
    from .search import search

    return tuple(search(text, n=50))


def _outside(window: tuple[dt.date | None, dt.date | None], start: dt.date, end: dt.date) -> bool:
    first, last = window
    return (first is not None and end < first) or (last is not None and start > last)


def resolve_code_generations(raw: str, make: str | None = None,
                              model: str | None = None) -> tuple[Match, list[Generation]]:
    """Every generation under a code (several makes allowed), or an InputError with the
    nearest codes when the catalog does not list it."""
    m = lookup(raw, make, model)
    if not m.generations:
        hint = f"; nearest catalog codes: {', '.join(m.suggestions)}" if m.suggestions else ""
        raise InputError("chassis", f"{m.code!r} is not in the catalog{hint}")
    return m, m.generations
