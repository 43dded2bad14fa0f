"""Japan: what owning a kei costs against a 1.0-1.5 L registered car, year by year.

- 軽自動車税（種別割） (Local Tax Act art. 444) and 自動車税（種別割） (art. 177-7): annual,
  charged to the owner on record on 1 April (the levy dates below). The automobile tax rate
  depends on the displacement band and on whether the car was first registered before or on
  and after ``automobile_tax.new_rate_first_registration_from`` (2019-10-01); the light
  vehicle tax on whether it was first inspected on and after
  ``light_vehicle_tax.new_rate_first_inspection_from``. Both surcharge older vehicles.
- 自動車重量税: paid at first registration and at each continuing inspection, for the
  validity period; kei flat, registered cars per ``weight_step_kg`` started.
- 車検 (Road Transport Vehicle Act art. 61): first and later validity periods.
- 車庫証明 / kei notification (Garage Act arts. 4-5).

Every amount, band, interval and date is read from ``law/jp/costs.yaml`` at the date it
applies; nothing here is a yen figure. Not encoded (and said so in the output): the
registered car's pro-rata tax for the months of its first fiscal year, eco-car reductions.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..engine.semantics import scalar_anniversary as anniversary
from ..engine.semantics import scalar_completed_years as completed_years
from ..engine.parameters import Law

P = "jp.costs."


class Ledger:
    """Line items with the dated parameter each came from."""

    def __init__(self, law: Law):
        self.law = law
        self.items: list[dict[str, Any]] = []

    def read(self, path: str, on: dt.date):
        entry = self.law.param(P + path).entry(on)
        return entry

    def add(self, what: str, on: dt.date, path: str, times: float = 1) -> Any:
        entry = self.read(path, on)
        amount = None if entry is None or entry.value is None else entry.value * times
        self.items.append({
            "what": what, "date": on.isoformat(), "amount": amount, "parameter": P + path,
            "effective": entry.since.isoformat() if entry else None,
            "citation": entry.citation if entry else None,
            "confidence": entry.confidence if entry else None,
        })
        return amount

    def total(self) -> int | None:
        amounts = [i["amount"] for i in self.items]
        return None if any(a is None for a in amounts) else int(sum(amounts))


def levy_dates(first: dt.date, end: dt.date, law: Law | None = None) -> list[dt.date]:
    """Each day the annual tax is charged (jp.costs.levy_month_day) from ``first`` to ``end``."""
    from ..engine.parameters import default_law

    levy = (law or default_law()).param(P + "levy_month_day")
    out = []
    for year in range(first.year, end.year + 1):
        month_day = levy.at(dt.date(year, 1, 1))
        if month_day is None:
            continue
        d = dt.date(year, int(month_day[:2]), int(month_day[3:]))
        if first <= d < end:
            out.append(d)
    return out


def band(law: Law, cc: float, on: dt.date) -> str | None:
    """Name of the automobile-tax band parameter for ``cc`` (from band_upper_bounds_cc)."""
    entry = law.param(P + "automobile_tax.band_upper_bounds_cc").entry(on)
    if entry is None:
        return None
    bounds = [b.strip() for b in str(entry.value).split(",")]
    prev = None
    for b in bounds:
        if b == "none":
            return f"over_{prev}cc"
        if cc <= float(b):
            return f"up_to_{b}cc"
        prev = b
    return None


def inspections(ledger: Ledger, first: dt.date, end: dt.date, kind: str) -> tuple[list[dt.date], bool]:
    """Dates of continuing inspections before ``end``; False when an interval is unknown."""
    n = ledger.read(f"inspection.{kind}.first_years", first)
    if n is None or n.value is None:
        return [], False
    out, d = [], anniversary(first, n.value, "march_1")
    while d < end:
        out.append(d)
        step = ledger.read(f"inspection.{kind}.then_years", d)
        if step is None or step.value is None:
            return out, False
        d = anniversary(d, step.value, "march_1")
    return out, True


def _age_rate(ledger: Ledger, first: dt.date, on: dt.date, base: str) -> str:
    """The weight-tax rate name by age at ``on`` (under 13, 13 to 17, 18 and over)."""
    age = completed_years(first, on, "march_1")
    s1 = ledger.read("weight_tax.surcharge_after_years", on)
    s2 = ledger.read("weight_tax.second_surcharge_after_years", on)
    if s2 and s2.value is not None and age >= s2.value:
        return f"{base}18_years"
    if s1 and s1.value is not None and age >= s1.value:
        return f"{base}13_years"
    return f"{base}non_eco"


def _annual_rate(led: Ledger, first: dt.date, d: dt.date, tax: str, cut: str, surcharge: str,
                 names: tuple[str, str]) -> str:
    """Which rate table applies on the levy date ``d``: the old or the reformed rate (by
    the first registration / inspection date against the cut-off), or the 13-year one."""
    cut_e = led.read(f"{tax}.{cut}", d)
    sur_e = led.read(f"{tax}.{surcharge}", d)
    if sur_e and sur_e.value is not None and completed_years(first, d, "march_1") >= sur_e.value:
        return "over_13_years"
    if cut_e is not None and cut_e.value is not None and first >= cut_e.value:
        return names[1]
    return names[0]


def kei(law: Law, first: dt.date, years: int) -> dict[str, Any]:
    """A private passenger kei, new, first inspected on ``first``, kept ``years`` years."""
    end = anniversary(first, years, "march_1")
    led = Ledger(law)
    for d in levy_dates(first, end, law):
        rate = _annual_rate(led, first, d, "light_vehicle_tax", "new_rate_first_inspection_from",
                            "surcharge_after_years",
                            ("first_inspected_before_2015_04", "first_inspected_from_2015_04"))
        led.add(f"light vehicle tax, FY{d.year}", d, f"light_vehicle_tax.passenger_private.{rate}")
    led.add("weight tax at first inspection", first, "weight_tax.kei_private.new_3y_passenger_non_eco")
    dates, known = inspections(led, first, end, "kei_private_passenger")
    for d in dates:
        rate = _age_rate(led, first, d, "continuing_2y_")
        led.add(f"weight tax at inspection {d}", d, f"weight_tax.kei_private.{rate}")
    return _result(led, known, dates, first, "kei_private_passenger", parking="kei")


def registered(law: Law, first: dt.date, years: int, cc: float, weight_kg: float) -> dict[str, Any]:
    """A private registered passenger car of ``cc`` and ``weight_kg``, new on ``first``."""
    end = anniversary(first, years, "march_1")
    led = Ledger(law)
    for d in levy_dates(first, end, law):
        name = band(law, cc, d)
        table = _annual_rate(led, first, d, "automobile_tax", "new_rate_first_registration_from",
                             "surcharge_after_years_gasoline",
                             ("first_registered_before_2019_10", "first_registered_from_2019_10"))
        led.add(f"automobile tax, FY{d.year} ({name})", d, f"automobile_tax.{table}.{name}")
    step = led.read("weight_tax.registered_private_passenger.weight_step_kg", first)
    steps = None if step is None else math.ceil(weight_kg / step.value)
    base = "weight_tax.registered_private_passenger."
    led.add(f"weight tax at first inspection ({steps} x 0.5 t step)", first, base + "new_3y_non_eco_per_step", steps or 0)
    if steps is None:
        led.items[-1]["amount"] = None
    dates, known = inspections(led, first, end, "registered_private_passenger")
    for d in dates:
        rate = _age_rate(led, first, d, "continuing_2y_")
        led.add(f"weight tax at inspection {d}", d, f"{base}{rate}_per_step", steps or 0)
    out = _result(led, known, dates, first, "registered_private_passenger", parking="registered")
    out["band"] = band(law, cc, first) if law.param(P + "automobile_tax.band_upper_bounds_cc").entry(first) else None
    return out


def _result(led: Ledger, known: bool, dates: list[dt.date], first: dt.date, kind: str, parking: str) -> dict[str, Any]:
    law = led.law
    park = {}
    for name in ("certificate_required", "notification_required_in_designated_area"):
        path = f"{P}parking.{parking}.{name}"
        if law.has(path):
            e = law.param(path).entry(first)
            park[name] = None if e is None else {"value": e.value, "effective": e.since.isoformat(), "citation": e.citation}
    first_years = led.read(f"inspection.{kind}.first_years", first)
    return {
        "items": led.items,
        "total_jpy": led.total() if known else None,
        "schedule_known": known,
        "inspections": [d.isoformat() for d in dates],
        "inspection_first_years": first_years.value if first_years else None,
        "parking": park,
    }


def compare(law: Law, first: dt.date, years: int, cc: float, weight_kg: float) -> dict[str, Any]:
    k = kei(law, first, years)
    r = registered(law, first, years, cc, weight_kg)
    diff = None if k["total_jpy"] is None or r["total_jpy"] is None else r["total_jpy"] - k["total_jpy"]
    return {
        "first_registered": first.isoformat(), "years": years, "cc": cc, "weight_kg": weight_kg,
        "kei": k, "registered": r, "registered_minus_kei_jpy": diff,
        "not_encoded": [
            "pro-rata automobile tax for the months of the registration fiscal year",
            "eco-car and green reductions",
            "inspection fees, insurance, fuel, parking rent",
        ],
    }
