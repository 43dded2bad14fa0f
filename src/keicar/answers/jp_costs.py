"""Japan's ownership costs over N years for one vehicle (``keicar jpcost``): each line item is a
registry variable (``jp.*``, keicar.rules.jp.costs) evaluated at its date, with the dated amount read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, default_law
from keicar.engine.semantics import scalar_anniversary as anniversary
from keicar.rules.jp.costs import KEI, P, REGISTERED
from keicar.rules.registry import registry


# ---------------------------------------------------------------- the schedule over N years


class Ledger:
    """Line items: each a variable evaluated at one date, with the dated amount it read."""

    def __init__(self, law: Law, row: dict[str, Any]):
        self.law, self.row, self.vars = law, row, registry(law)
        self.items: list[dict[str, Any]] = []

    def value(self, name: str, on: dt.date) -> Any:
        return Evaluator(self.law, {**self.row, "on": on}).eval(self.vars[name].formula)

    def add(self, what: str, on: dt.date, name: str) -> Any:
        ev = Evaluator(self.law, {**self.row, "on": on})
        amount = ev.eval(self.vars[name].formula)
        # the amount's own parameter: the last yen parameter read (a rate, not an age or band)
        reads = [r for r in ev.reads if self.law.param(r.path).unit == "JPY"]
        read = reads[-1] if reads else None
        entry = None if read is None else read.entry
        self.items.append({
            "what": what, "date": on.isoformat(),
            "amount": None if amount is None else (int(amount) if float(amount).is_integer() else amount),
            "parameter": None if read is None else read.path,
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


def ownership_end(law: Law, first: dt.date, years: int) -> dt.date | None:
    """The ``years``-th anniversary of ``first`` (leap-day reading from the law)."""
    leap = law.param(P + "leap_day_anniversary").at(first)
    return None if leap is None else anniversary(first, years, leap)


def inspections(led: Ledger, first: dt.date, end: dt.date, name: str) -> tuple[list[dt.date], bool]:
    """Dates of continuing inspections before ``end`` (each the expiry of the certificate
    issued at the one before); False when a validity period is unknown."""
    out, d = [], first
    while True:
        d = led.value(name, d)
        if d is None:
            return out, False
        if d >= end:
            return out, True
        out.append(d)


def kei(law: Law, first: dt.date, years: int) -> dict[str, Any]:
    """A private passenger kei, new, first inspected on ``first``, kept ``years`` years."""
    end = ownership_end(law, first, years)
    led = Ledger(law, {"first_registered": first})
    for d in levy_dates(first, end, law):
        led.add(f"light vehicle tax, FY{d.year}", d, "jp.light_vehicle_tax_jpy")
    led.add("weight tax at first inspection", first, "jp.kei_weight_tax_jpy")
    dates, known = inspections(led, first, end, "jp.kei_inspection_due")
    for d in dates:
        led.add(f"weight tax at inspection {d}", d, "jp.kei_weight_tax_jpy")
    return _result(led, known, dates, first, KEI, parking="kei")


def registered(law: Law, first: dt.date, years: int, cc: float, weight_kg: float) -> dict[str, Any]:
    """A private registered passenger car of ``cc`` and ``weight_kg``, new on ``first``."""
    end = ownership_end(law, first, years)
    led = Ledger(law, {"first_registered": first, "cc": cc, "weight_kg": weight_kg})
    for d in levy_dates(first, end, law):
        led.add(f"automobile tax, FY{d.year} ({led.value('jp.automobile_tax_band', d)})", d, "jp.automobile_tax_jpy")
    steps = led.value("jp.weight_tax_steps", first)
    steps = None if steps is None else int(steps)
    step = law.param(P + "weight_tax.registered_private_passenger.weight_step_kg").at(first)
    size = "?" if step is None else f"{step / 1000:g} t"
    led.add(f"weight tax at first inspection ({steps} x {size} step)", first, "jp.registered_weight_tax_jpy")
    dates, known = inspections(led, first, end, "jp.registered_inspection_due")
    for d in dates:
        led.add(f"weight tax at inspection {d}", d, "jp.registered_weight_tax_jpy")
    out = _result(led, known, dates, first, REGISTERED, parking="registered")
    out["band"] = led.value("jp.automobile_tax_band", first)
    return out


def _result(led: Ledger, known: bool, dates: list[dt.date], first: dt.date, kind: str, parking: str) -> dict[str, Any]:
    law = led.law
    park = {}
    for name in ("certificate_required", "notification_required_in_designated_area"):
        path = f"{P}parking.{parking}.{name}"
        if law.has(path):
            e = law.param(path).entry(first)
            park[name] = None if e is None else {"value": e.value, "effective": e.since.isoformat(), "citation": e.citation}
    return {
        "items": led.items,
        "total_jpy": led.total() if known else None,
        "schedule_known": known,
        "inspections": [d.isoformat() for d in dates],
        "inspection_first_years": law.param(f"{P}inspection.{kind}.first_years").at(first),
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

