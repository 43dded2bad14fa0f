"""Japan: what owning a kei costs against a 1.0-1.5 L registered car, year by year.

- 軽自動車税（種別割） (Local Tax Act art. 444) and 自動車税（種別割） (art. 177-7): annual,
  charged to the owner on record on the levy day (``levy_month_day``). Which rate table a
  vehicle pays (``rate_schedule``: old_rates or new_rates) is read at its first inspection
  (kei) or first registration; the amount from that table at the levy date. From
  ``surcharge_after_years`` completed years the surcharged (13-year) amount applies.
- 自動車重量税: paid at first registration and at each continuing inspection, for the
  validity period; kei flat, registered cars per ``weight_step_kg`` started; 13- and 18-year
  amounts by age at the inspection.
- 車検 (Road Transport Vehicle Act art. 61): first and later validity periods.
- 車庫証明 / kei notification (Garage Act arts. 4-5).

Each amount and date is a variable (``jp.*``, :func:`variables`) whose formula reads
``law/jp/costs.yaml`` at the date it applies, for a row holding ``first_registered`` (kei:
first inspection), ``cc``, ``weight_kg`` and the levy or inspection date as ``on``. The
functions below only lay those variables out as a schedule over N years. Not encoded (and
said so in the output): the registered car's pro-rata tax for the months of its first fiscal
year, eco-car reductions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.engine import expr as E
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, Node
from keicar.engine.semantics import scalar_anniversary as anniversary
from keicar.engine.variables import Variable

P = "jp.costs."
ON = E.Col("on")
FIRST = E.Col("first_registered")
LEAP = E.Param(P + "leap_day_anniversary", FIRST)
#: Completed years from the first inspection / registration to the date asked.
AGE = E.CompletedYears(FIRST, ON, LEAP)
#: The kinds of vehicle this comparison prices (names of the law's tables, not law).
KEI, REGISTERED = "kei_private_passenger", "registered_private_passenger"


def _choose(cases: list[tuple[E.Expr, E.Expr]], otherwise: E.Expr = E.Lit(None)) -> E.Expr:
    """The first case whose condition holds (an If chain)."""
    out = otherwise
    for cond, then in reversed(cases):
        out = E.If(cond, then, out)
    return out


def _table(law: Law, path: str, key: E.Expr) -> E.Expr:
    """The parameter ``path.<key>`` at ``on`` for the child named by ``key`` (None where the
    law has no such table)."""
    if not (law.has(path) and isinstance(law.get(path), Node)):
        return E.Lit(None)
    node = law.node(path)
    return _choose([(key.eq(name), E.Param(f"{path}.{name}", ON)) for name in node.children])


def _schedules(law: Law, tax: str) -> tuple[str, ...]:
    return law.param(f"{P}{tax}.rate_schedule").values_allowed or ()


def rate_schedule(tax: str) -> E.Expr:
    """The rate table the vehicle pays, read at its first inspection / registration date."""
    return E.Param(f"{P}{tax}.rate_schedule", FIRST)


def surcharged(path: str) -> E.Expr:
    """The vehicle has reached the age from which the surcharged amount applies."""
    return AGE >= E.Param(path, ON)


def light_vehicle_tax(law: Law) -> E.Expr:
    """Annual light vehicle tax of a private passenger kei, at the levy date ``on``."""
    base = P + "light_vehicle_tax."
    table = base + "passenger_private"
    schedule = rate_schedule("light_vehicle_tax")
    normal = _choose([(schedule.eq(s), E.Param(f"{table}.{s}", ON)) for s in _schedules(law, "light_vehicle_tax")])
    return E.If(surcharged(base + "surcharge_after_years"), E.Param(table + ".over_13_years", ON), normal)


def automobile_tax_band(law: Law) -> E.Expr:
    """The displacement band (name of the rate parameter) of ``cc`` under the bands in force
    at ``on``: the first band whose upper bound is at or above ``cc``, else the open band."""
    bounds = P + "automobile_tax.band_max_cc"
    named = list(law.node(bounds).children)
    all_bands = [b for s in _schedules(law, "automobile_tax") for b in law.node(f"{P}automobile_tax.{s}").children]
    top = [b for b in dict.fromkeys(all_bands) if b not in named]
    cc = E.Col("cc")
    cases = [(cc <= E.Param(f"{bounds}.{b}", ON), E.Lit(b)) for b in named]
    if len(top) == 1:
        cases.append((cc > E.Param(f"{bounds}.{named[-1]}", ON), E.Lit(top[0])))
    return _choose(cases)


def automobile_tax(law: Law) -> E.Expr:
    """Annual automobile tax of a private registered passenger car, at the levy date ``on``."""
    base = P + "automobile_tax."
    band = automobile_tax_band(law)
    schedule = rate_schedule("automobile_tax")
    names = _schedules(law, "automobile_tax")
    normal = _choose([(schedule.eq(s), _table(law, base + s, band)) for s in names])
    aged = _choose([(schedule.eq(s), _table(law, f"{base}over_13_years.{s}", band)) for s in names])
    return E.If(surcharged(base + "surcharge_after_years_gasoline"), aged, normal)


def _weight_tax(table: str, new: str, per: str = "") -> E.Expr:
    """Weight tax due at the inspection on ``on``: the new-vehicle amount at the first
    inspection, else the continuing amount by age (under 13, 13 to 17, 18 and over)."""
    base = P + "weight_tax."
    rate = lambda name: E.Param(f"{base}{table}.{name}{per}", ON)  # noqa: E731
    continuing = E.If(surcharged(base + "second_surcharge_after_years"), rate("continuing_2y_18_years"),
                      E.If(surcharged(base + "surcharge_after_years"), rate("continuing_2y_13_years"),
                           rate("continuing_2y_non_eco")))
    return E.If(ON.eq(FIRST), rate(new), continuing)


def weight_steps() -> E.Expr:
    """ceil(weight_kg / weight_step_kg): the started weight steps of a registered car."""
    step = E.Param(P + "weight_tax.registered_private_passenger.weight_step_kg", ON)
    w = E.Col("weight_kg")
    rest = E.Arith("%", w, step)
    return (w - rest) / step + E.If(rest > 0, E.Lit(1), E.Lit(0))


def inspection_due(kind: str) -> E.Expr:
    """When the inspection certificate issued on ``on`` expires (the next inspection): the
    first validity from the first inspection, then the later validity from each inspection."""
    base = f"{P}inspection.{kind}."
    years = E.If(ON.eq(FIRST), E.Param(base + "first_years", FIRST), E.Param(base + "then_years", ON))
    return E.Anniversary(ON, years, LEAP)


def variables(law: Law) -> list[Variable]:
    """The ownership-cost variables; each needs ``first_registered`` (and ``weight_kg`` for
    the registered car's weight tax), so vehicle screens without them leave them out."""
    first = ("first_registered",)
    lvt = P + "light_vehicle_tax.passenger_private.new_rates"
    at = P + "automobile_tax.new_rates.up_to_1000cc"
    wt = P + "weight_tax.kei_private.continuing_2y_non_eco"
    V = Variable
    lvt_rates, at_rates = _schedules(law, "light_vehicle_tax"), _schedules(law, "automobile_tax")
    bands = tuple(dict.fromkeys(b for s in at_rates for b in law.node(f"{P}automobile_tax.{s}").children))
    return [
        V("jp.light_vehicle_tax_rates", "Light vehicle tax table the kei pays (by first inspection)", "enum",
          rate_schedule("light_vehicle_tax"), lvt, values_allowed=lvt_rates, needs=first),
        V("jp.light_vehicle_tax_jpy", "Light vehicle tax of a private passenger kei, levied on the date asked",
          "number", light_vehicle_tax(law), lvt, unit="JPY", needs=first),
        V("jp.kei_weight_tax_jpy", "Weight tax of a private passenger kei at its inspection on the date asked",
          "number", _weight_tax("kei_private", "new_3y_passenger_non_eco"), wt, unit="JPY", needs=first),
        V("jp.kei_inspection_due", "Expiry of a kei's inspection certificate issued on the date asked",
          "date", inspection_due(KEI), f"{P}inspection.{KEI}.then_years", needs=first),
        V("jp.automobile_tax_rates", "Automobile tax table the car pays (by first registration)", "enum",
          rate_schedule("automobile_tax"), at, values_allowed=at_rates, needs=first),
        V("jp.automobile_tax_band", "Displacement band of the automobile tax", "enum",
          automobile_tax_band(law), at, values_allowed=bands, needs=first),
        V("jp.automobile_tax_jpy", "Automobile tax of a private registered passenger car, levied on the date asked",
          "number", automobile_tax(law), at, unit="JPY", needs=first),
        V("jp.weight_tax_steps", "Weight steps (0.5 t or part) of a registered car", "number",
          weight_steps(), P + "weight_tax.registered_private_passenger.weight_step_kg", unit="count",
          needs=("weight_kg",)),
        V("jp.registered_weight_tax_jpy", "Weight tax of a private registered car at its inspection on the date asked",
          "number", _weight_tax("registered_private_passenger", "new_3y_non_eco", "_per_step") * weight_steps(),
          P + "weight_tax.registered_private_passenger.continuing_2y_non_eco_per_step", unit="JPY",
          needs=("first_registered", "weight_kg")),
        V("jp.registered_inspection_due", "Expiry of a registered car's inspection certificate issued on the date asked",
          "date", inspection_due(REGISTERED), f"{P}inspection.{REGISTERED}.then_years", needs=first),
    ]


# ---------------------------------------------------------------- the schedule over N years


class Ledger:
    """Line items: each a variable evaluated at one date, with the dated amount it read."""

    def __init__(self, law: Law, row: dict[str, Any]):
        from keicar.rules.registry import registry

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
    from keicar.engine.parameters import default_law

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

