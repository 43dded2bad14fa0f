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


from keicar.engine import expr as E
from keicar.engine.parameters import Law, Node
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
