"""Words for people in place of identifiers: the one table the page (through
``GET /v1/labels``), ``keicar check`` and the plain answer use. No rule logic: each entry says
what a value *means*, never decides one.
"""

from __future__ import annotations

import re
from typing import Any

#: us.path and the other countries' import paths
PATH = {
    "25-year": "the 25-year rule (for road use)",
    "off-road-only": "off-road only, as a speed-governed nonroad vehicle",
    "not-importable": "not importable yet",
    "15-year": "the 15-year rule",
    "older-vehicle-25-year": "the older-vehicle scheme (25 years)",
    "pre-1989": "the pre-1989 vehicle scheme",
    "approval-exempt": "without type approval (old enough to be exempt)",
    "type-approval-or-iva": "with type approval or an individual vehicle approval",
}

#: state.status
STATUS = {
    "unrestricted": "may be registered and driven on any road",
    "restricted": "may be registered, for limited roads only",
    "off_road_only": "off-road use only (no road registration)",
    "prohibited": "may not be registered for road use",
    "unclear": "unclear (sources disagree, or no rule is on record)",
}

#: state.applies_to: whom a state's record is for
APPLIES_TO = {
    "both": "kei cars and kei trucks/vans alike",
    "car": "kei cars (passenger) only",
    "truck": "kei trucks and vans only",
}

#: state.status_from: where the status shown comes from
STATUS_FROM = {
    "record": "the state's rule on the date asked",
    "definition": "the state's class definition, which the vehicle falls outside",
    "grandfather": "an earlier rule kept by the date of first registration (grandfathered)",
    "none": "no rule on record",
}

CONFIDENCE = {"high": "high confidence", "medium": "medium confidence", "low": "low confidence"}

#: state.basis: what a state's reading rests on, strongest first (docs/law-format.md)
BASIS = {
    "statute": ("Statute", "a law passed by the state legislature says so (its text was read)"),
    "regulation": ("Regulation", "an administrative rule says so"),
    "agency_guidance": ("Agency guidance", "the agency's own page, bulletin, manual or letter says so"),
    "agency_practice_reported": ("Reported agency practice",
                                 "others report that the agency acts this way (titles refused or revoked)"),
    "no_kei_rule": ("No kei rule", "no provision singles kei vehicles out: the general title and "
                    "registration rules for a 25-year import apply, with the state's inspection and "
                    "equipment rules"),
    "secondary_only": ("Secondary sources only",
                       "only secondary sources (aggregators, dealers, news) say so, and they agree"),
}
#: bases the map hatches: the reading rests on reports, not on the state's own text
WEAK_BASIS = ("agency_practice_reported", "secondary_only")

#: the Japanese kei limits (kei.failed, the steps' rule names) and the state definition's
RULE = {
    "kei_standard": "a kei standard existed",
    "length_mm": "length",
    "width_mm": "width",
    "height_mm": "height",
    "displacement_cc": "engine size",
    "ev_kw": "electric motor output",
    "cc": "engine size",
    "body": "body",
    "stroke": "engine cycle",
    "max_top_speed_mph": "top speed",
    "max_curb_weight_lb": "curb weight",
    "max_gvwr_lb": "gross vehicle weight rating",
    "min_age_years": "minimum age",
    "conditions_not_checked": "other conditions",
}

#: a state's parameters (law/us/states/XX.yaml), as its scheduled changes name them
STATE_FIELD = {
    "status": "status",
    "max_posted_speed_mph": "highest posted speed of roads allowed (mph)",
    "interstates": "interstates allowed",
    "registration_class": "registered as",
    "definition.body": "bodies the class covers",
    "definition.conditions_not_checked": "other conditions of the class",
    "definition.max_displacement_cc": "largest engine of the class (cc)",
    "definition.max_ev_kw": "strongest electric motor of the class (kW)",
    "definition.max_length_in": "longest vehicle of the class (inches)",
    "definition.max_width_in": "widest vehicle of the class (inches)",
    "definition.max_height_in": "tallest vehicle of the class (inches)",
    "grandfather.registered_before": "earlier rule kept for vehicles first registered before",
    "grandfather.status": "status kept by those vehicles",
}
STATE_FIELD.update({f"car.{k}": f"kei cars: {v}" for k, v in list(STATE_FIELD.items())})

#: papers.required: the import papers (law/us/federal/papers.yaml)
PAPER = {
    "bill_of_sale": "Bill of sale",
    "export_certificate_with_translation": "Japanese export certificate, with an English translation",
    "speed_governor": "Speed governor (fitted and documented)",
    "isf": "Importer Security Filing (ISF 10+2)",
    "bill_of_lading": "Bill of lading",
    "hs7_box1": "NHTSA form HS-7, box 1 (25 years or older)",
    "epa_3520_1_code_e": "EPA form 3520-1, code E (21 years or older, original engine)",
    "epa_3520_21": "EPA form 3520-21 (nonroad vehicle)",
    "cbp_7501": "CBP form 7501 entry summary (keep the stamped copy)",
    "state_vin_inspection": "State VIN inspection",
    "state_title": "State title and registration",
}

#: papers.yaml's stages
STAGE = {"purchase": "when buying", "export": "in Japan, before export", "shipping": "shipping",
         "entry": "at US customs entry", "state": "in your state"}

#: us.month_reading
MONTH_READING = {"end_of_month": "reading the last day of the build month (the cautious reading)",
                 "start_of_month": "reading the first day of the build month"}

#: the plain answer's tone (present.plain): what the owner may do
TONE = {
    "road": "Road use",
    "road_restricted": "Road use, with limits",
    "off_road": "Off-road only",
    "not_yet": "Not yet",
    "no": "No road use",
    "unclear": "Unclear",
}

#: asides in source titles about how a copy was reached ("read via the … mirror", "(mirror)"):
#: provenance for the data's keepers, noise for a reader
CITATION_ASIDES = r"\s*\(mirror\)|;?\s*read via (?:the )?[^;()]*mirror|,\s*mirror(?=\))"
_ASIDES = re.compile(CITATION_ASIDES)


def citation(text: Any) -> str:
    """A source's title as people see it: without the asides about mirrors."""
    return _ASIDES.sub("", str(text or "")).strip()


def word(table: dict, value: Any) -> str:
    """``value`` in words from ``table``; an identifier no table knows, with its underscores
    and dashes as spaces (never the raw field name)."""
    if value is None:
        return "—"
    found = table.get(value)
    if isinstance(found, tuple):
        return found[0]
    return found if found is not None else re.sub(r"[_.-]", " ", str(value))


def tables() -> dict[str, Any]:
    """Every table, for ``GET /v1/labels`` (the page renders with them)."""
    return {
        "path": PATH, "status": STATUS, "applies_to": APPLIES_TO, "status_from": STATUS_FROM,
        "confidence": CONFIDENCE,
        "basis": {k: {"name": n, "meaning": m, "weak": k in WEAK_BASIS} for k, (n, m) in BASIS.items()},
        "rule": RULE, "state_field": STATE_FIELD, "paper": PAPER, "stage": STAGE, "month_reading": MONTH_READING, "tone": TONE,
        "citation_asides": CITATION_ASIDES,
    }
