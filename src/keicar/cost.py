"""Landed cost of a kei vehicle in the US: customs value, duty and fees by entry date.

>>> r = landed_cost(price_usd=4000, freight_usd=1500, body="truck", built="1999-05",
...                 entry_date="2026-11-24")
>>> r["duty"]["hts"], r["duty"]["rate_percent"]
('8704.31', 25)

Every rate is read from ``law/us/federal/customs.yaml`` by the expressions in
``keicar.rules.us.customs``. The amounts are the registry variables (``customs.value_usd``,
``customs.duty_usd``, ``customs.mpf_usd``, ``customs.hmf_usd``, ``cost.landed_usd``,
``duty.*``: ``keicar.rules.registry``), so the table runner computes the same; this module
validates input, traces them with the explainer (so that each line carries the dated values
it used and their citations) and itemizes the parts of the duty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar import __version__
from keicar.engine import expr as E
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, default_law
from keicar.engine.variables import trace
from keicar.engine.variables import read_records
from keicar.rules.us import customs as C
from keicar.rules.registry import registry
from keicar.inputs.vehicle import BODIES, InputError, parse_built, parse_date

MODES = ("ocean", "air")
MAX_USD = 10_000_000  # input sanity (a typo guard), not law
#: Yen per US dollar keicar accepts (input sanity: a rate outside it is a typo or an inverted rate).
FX_JPY_PER_USD = (50, 500)


def money(field: str, raw: Any, required: bool = False, limit: float = MAX_USD) -> float | None:
    if raw is None or raw == "":
        if required:
            raise InputError(field, "missing; give an amount in US dollars")
        return None
    try:
        v = float(raw)
    except (TypeError, ValueError):
        raise InputError(field, f"{raw!r} is not a number") from None
    if v != v or v < 0:
        raise InputError(field, f"{raw} is negative or not a number; give an amount of 0 or more")
    if v > limit:
        raise InputError(field, f"{raw} is implausibly large (over {limit:,})")
    return v


def price_from_yen(price_jpy: Any, fx_jpy_per_usd: Any) -> tuple[float, float]:
    """(price in USD, rate) from a yen price and the user's rate, both within sanity bounds."""
    lo, hi = FX_JPY_PER_USD
    jpy = money("price_jpy", price_jpy, limit=MAX_USD * hi)
    if fx_jpy_per_usd in (None, ""):
        raise InputError("fx_jpy_per_usd", "missing; with --price-jpy give the yen per dollar rate (keicar uses no network)")
    try:
        fx = float(fx_jpy_per_usd)
    except (TypeError, ValueError):
        raise InputError("fx_jpy_per_usd", f"{fx_jpy_per_usd!r} is not a number") from None
    if not lo <= fx <= hi:
        raise InputError("fx_jpy_per_usd", f"{fx_jpy_per_usd} is outside the plausible range {lo}–{hi} yen per dollar")
    price = jpy / fx
    if price > MAX_USD:
        raise InputError("price_jpy", f"{price_jpy} yen at {fx:g} yen per dollar is implausibly large (over {MAX_USD:,} USD)")
    return price, fx


def _round(x: Any) -> Any:
    return round(x + 0.0, 2) if isinstance(x, (int, float)) and not isinstance(x, bool) else x


def _sources(reads: list[dict]) -> list[dict]:
    return [{"parameter": r["parameter"], "value": r["value"], "effective": r["since"],
             "citation": r["citation"], "confidence": r["confidence"]} for r in reads]


def _trace(law: Law, row: dict, expr: E.Expr) -> tuple[Any, list[dict]]:
    """A part of a line (not a variable of its own) with the dated values it read."""
    ev = Evaluator(law, row)
    value = ev.eval(expr)
    return value, _sources(read_records(ev.reads))


def _variable(law: Law, row: dict, name: str) -> tuple[Any, list[dict]]:
    """A registry variable's value for ``row``, with the dated values it read."""
    t = trace(law, row, registry(law)[name])
    return t["value"], _sources(t["reads"])


def _line(name: str, label: str, amount: Any, cites: list[dict], key: str | None = None, **extra) -> dict:
    main = next((c for c in cites if key and c["parameter"].endswith(key)), cites[0] if cites else None)
    return {"item": name, "label": label, "amount_usd": _round(amount), **extra,
            "citation": main["citation"] if main else None,
            "effective": main["effective"] if main else None,
            "confidence": main["confidence"] if main else None,
            "sources": cites}


def earliest_entry(law: Law) -> dt.date:
    return max(law.param(p).first_date for p in C.ENTRY_PARAMS)


def landed_cost(*, body: Any = None, built: Any = None, price_usd: Any = None, price_jpy: Any = None,
                fx_jpy_per_usd: Any = None, freight_usd: Any = None, insurance_usd: Any = None,
                entry_date: Any = None, mode: str = "ocean", broker_usd: Any = None,
                port_usd: Any = None, state_fees_usd: Any = None, law: Law | None = None,
                today: dt.date | None = None) -> dict[str, Any]:
    """Itemized US landed cost: the JSON contract of ``keicar cost --json``."""
    law = law or default_law()
    today = today or dt.date.today()
    if body in (None, ""):
        raise InputError("body", f"missing; accepted: {', '.join(BODIES)}")
    body = str(body).strip().lower()
    if body not in BODIES:
        raise InputError("body", f"{body!r} is not a body type; accepted: {', '.join(BODIES)}")
    if built in (None, ""):
        raise InputError("built", "missing; give the build date as YYYY-MM-DD or YYYY-MM")
    b_start, b_end, precision = parse_built(built)
    entry = parse_date("entry_date", entry_date) if entry_date not in (None, "") else today
    first = earliest_entry(law)
    if entry < first:
        raise InputError("entry_date", f"{entry} is before {first}, the first date keicar encodes every customs rate for")
    if b_start > entry:
        raise InputError("built", f"{built} is after the entry date ({entry})")
    mode = str(mode or "ocean").strip().lower()
    if mode not in MODES:
        raise InputError("mode", f"{mode!r} is not a transport mode; accepted: ocean, air")
    if price_usd not in (None, "") and price_jpy not in (None, ""):
        raise InputError("price_usd", "give either --price-usd or --price-jpy, not both")
    fx = None
    if price_jpy not in (None, ""):
        price, fx = price_from_yen(price_jpy, fx_jpy_per_usd)
    else:
        price = money("price_usd", price_usd, required=True)
    freight = money("freight_usd", freight_usd) or 0.0
    insurance = money("insurance_usd", insurance_usd) or 0.0
    extras = {k: money(k, v) for k, v in
              (("broker_usd", broker_usd), ("port_usd", port_usd), ("state_fees_usd", state_fees_usd))}

    row = {"body": body, "built_start": b_start, "built_end": b_end, "entry_date": entry,
           "price_usd": price, "freight_usd": freight, "insurance_usd": insurance, "mode": mode,
           "on": entry, "month_reading": None, **extras}
    value, value_cites = _variable(law, row, "customs.value_usd")
    col1, col1_cites = _trace(law, row, C.column1_rate())
    add_rate, add_cites = _trace(law, row, C.additional_rate())
    add_heading = _variable(law, row, "duty.additional_heading")[0]
    excluded = Evaluator(law, row).eval(C.s232_excluded())
    rate = _variable(law, row, "duty.rate_percent")[0]
    duty_amount = _variable(law, row, "customs.duty_usd")[0]
    hts6 = _variable(law, row, "duty.hts")[0]
    hts8 = Evaluator(law, row).eval(C.hts_subheading(law, digits=8))

    col1_line = _line("column1", f"Column-1 duty, HTSUS {hts8}", value * col1 / 100, col1_cites,
                      key="rate_percent", rate_percent=col1, heading=hts8)
    add_line = _line("chapter99", "Additional duty (Chapter 99)" + (f", {add_heading}" if add_heading else ""),
                     value * add_rate / 100, add_cites, key=None, rate_percent=add_rate, heading=add_heading)
    if add_cites:  # cite the value that decided the add-on, not the column-1 rate it compares
        decisive = [c for c in add_cites if not c["parameter"].startswith(C.P + "duty.")]
        if decisive:
            add_line.update(citation=decisive[-1]["citation"], effective=decisive[-1]["effective"],
                            confidence=decisive[-1]["confidence"])
    duty = {
        "hts": hts6,
        "hts_subheading": hts8,
        "rate_percent": rate,
        "column1_rate_percent": col1,
        "additional_rate_percent": add_rate,
        "additional_heading": add_heading,
        "section_232_excluded_25_calendar_years": excluded,
        "dutiable_value_usd": _round(value),
        "amount_usd": _round(duty_amount),
        "citation": col1_line["citation"],
        "effective": col1_line["effective"],
        "lines": [col1_line, add_line],
    }

    fees = []
    mpf, mpf_cites = _variable(law, row, "customs.mpf_usd")
    bound = Evaluator(law, row).eval(C.mpf_bound())
    fees.append(_line("mpf", "Merchandise processing fee", mpf, mpf_cites,
                      key={"min": "min_usd", "max": "max_usd"}.get(bound, "rate_percent"), basis=bound))
    hmf, hmf_cites = _variable(law, row, "customs.hmf_usd")
    fees.append(_line("hmf", "Harbor maintenance fee" + ("" if hmf else f" (not charged: {mode} entry)"),
                      hmf, hmf_cites, key="modes" if not hmf else "rate_percent"))
    own = []
    for key, label in (("broker_usd", "Customs broker (your figure)"), ("port_usd", "Port and terminal charges (your figure)"),
                       ("state_fees_usd", "State title, registration and tax (your figure)")):
        if extras[key] is not None:
            own.append({"item": key.removesuffix("_usd"), "label": label, "amount_usd": _round(extras[key]),
                        "citation": None, "effective": None, "source": "user"})
    fees += own

    unclear = []
    ieepa, ieepa_cites = _trace(law, row, C.ieepa_status())
    if ieepa in ("unclear", "applies"):
        unclear.append({"item": "ieepa", "status": ieepa, "amount_usd": None,
                        "text": "IEEPA reciprocal duty on a vehicle excluded from Section 232: the sources disagree; not included in the total.",
                        **_line("ieepa", "", None, ieepa_cites, key="applies_to_25_year_vehicles")})
    s122, s122_cites = _trace(law, row, C.s122_status())
    if s122 in ("unclear", "applies"):
        r122 = Evaluator(law, row).eval(C.s122_rate())
        item = _line("section_122", "Section 122 surcharge", value * r122 / 100, s122_cites, key="rate_percent",
                     rate_percent=r122)
        if s122 == "applies":
            fees.append(item)
        else:
            item["text"] = "Section 122 surcharge on a vehicle excluded from Section 232: unclear; not included in the total."
            item["status"] = s122
            unclear.append(item)

    # the landed cost, plus a Section 122 surcharge where the law says it applies
    total = _variable(law, row, "cost.landed_usd")[0] + sum(
        f["amount_usd"] for f in fees if f["item"] == "section_122")
    path = _variable(law, row, "us.path")[0]
    value_cite = next((c["citation"] for c in value_cites), None)
    notes = [
        ("Customs value = the price paid for the vehicle; international freight and insurance are "
         f"not in it (transaction value, {value_cite}) but are part of the landed cost.") if value == price else
        "Customs value includes international freight and insurance under the law on the entry date.",
        "Assumes a product of Japan entered formally (CBP Form 7501); US-Japan rates apply to products of Japan.",
    ]
    if fx is not None:
        notes.append(f"Converted at your rate of {fx:g} JPY/USD; CBP converts at the rate certified for the date of exportation.")
    if path != "25-year":
        notes.append(f"On {entry} this vehicle is not importable for road use (path: {path}); see keicar check.")
    return {
        "entry_date": entry.isoformat(),
        "keicar_version": __version__,
        "law_version": law.version,
        "input": {"body": body, "built": built if isinstance(built, str) else b_start.isoformat(),
                  "built_precision": precision, "mode": mode, "price_usd": _round(price),
                  "price_jpy": _round(float(price_jpy)) if price_jpy not in (None, "") else None,
                  "fx_jpy_per_usd": fx},
        "customs_value": {"amount_usd": _round(value), "includes": ["price paid for the vehicle"],
                          "excludes": ["international freight", "insurance"] if value == price else [],
                          **_line("customs_value", "Customs (dutiable) value", value, value_cites,
                                  key="includes_international_freight_insurance")},
        "transport": {"freight_usd": _round(freight), "insurance_usd": _round(insurance)},
        "duty": duty,
        "fees": fees,
        "unclear": unclear,
        "import_path_on_entry": path,
        "total_usd": _round(total),
        "notes": notes,
    }
