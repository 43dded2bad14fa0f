"""United States, customs: the duty and fees due on entering a kei vehicle.

- Classification and column-1 duty (HTSUS): a passenger kei car is 8703.21 (2.5%); a kei
  truck, or a kei van or deck van built for goods, is 8704.31 (25%, the 1963 "chicken tax").
  CBP rulings (e.g. NY N351601, N340640, N331360) apply 8704.31 to kei trucks whatever their
  age, speed governor or EPA nonroad status. A passenger-type van (NY N340362, a 1994 Sambar
  Dias) is 8703: give ``body=passenger`` for such vans.
- Section 232 (Proclamation 10908): +25% under 9903.94.01 for entries from 2025-04-03,
  except a vehicle "manufactured in a year" at least 25 years before the year of entry
  (9903.94.04): calendar years, not NHTSA's day count.
- US-Japan agreement (EO 14345; 90 FR 44638), entries from 2025-09-16, products of Japan:
  the 232 add-on is replaced; column-1 below the threshold -> the total rate (9903.94.41),
  at or above it -> column-1 only (9903.94.40). 9903.94.04 vehicles keep column-1 only.
- Customs value is the transaction value (19 U.S.C. 1401a(b)): the price paid for the
  vehicle, without international freight and insurance.
- MPF (19 U.S.C. 58c; 19 CFR 24.23): rate x value, between a minimum and a maximum set per
  fiscal year. HMF (26 U.S.C. 4461; 19 CFR 24.24): rate x value, ocean cargo only.
- IEEPA reciprocal duties and the Section 122 surcharge did not stack on Section 232 goods;
  whether they reached 25-year-old vehicles is unclear in the data, so they are reported as
  a status, never added silently.

Every rate, date and heading is read from ``law/us/federal/customs.yaml`` at the entry date.
"""

from __future__ import annotations

from keicar.engine import expr as E
from keicar.engine.parameters import Law, default_law

P = "us.federal.customs."
BODY = E.Col("body")
PASSENGER = BODY.eq("passenger")
#: The build year is all Section 232 looks at; a month-only date has one year either way.
BUILT_YEAR = E.Year(E.Col("built_start"))
ENTRY = E.Col("entry_date")
ZERO = E.Lit(0)

#: Parameters read at the entry date: the earliest entry keicar can price.
ENTRY_PARAMS = (
    P + "duty.passenger.rate_percent",
    P + "duty.truck.rate_percent",
    P + "customs_value.includes_international_freight_insurance",
    P + "mpf.rate_percent",
    P + "mpf.min_usd",
    P + "mpf.max_usd",
    P + "hmf.rate_percent",
    P + "hmf.modes",
)


def _p(name: str, at: E.Expr) -> E.Param:
    return E.Param(P + name, at)


def headings(law: Law | None = None) -> dict[str, str]:
    """HTSUS headings as the law data names them (node metadata, not dated values)."""
    law = law or default_law()
    node = lambda path: law.node(P + path).meta  # noqa: E731
    return {
        "passenger": str(node("duty.passenger")["hts"]),
        "truck": str(node("duty.truck")["hts"]),
        "s232": str(node("section_232")["heading_additional"]),
        "s232_excluded": str(node("section_232")["heading_old_vehicle_exclusion"]),
        "japan_at_or_above": str(node("us_japan")["heading_column1_at_or_above"]),
        "japan_below": str(node("us_japan")["heading_column1_below"]),
    }


def column1_rate(at: E.Expr = ENTRY) -> E.Expr:
    return E.If(PASSENGER, _p("duty.passenger.rate_percent", at), _p("duty.truck.rate_percent", at))


def s232_excluded(at: E.Expr = ENTRY) -> E.Expr:
    """9903.94.04: year of entry minus year of manufacture >= the minimum age (missing when
    the law counts otherwise than in calendar years, or before Section 232)."""
    age = E.Year(at) - BUILT_YEAR
    return E.If(_p("section_232.exclusion_counting", at).eq("calendar_year"),
                age >= _p("section_232.exclusion_min_age_years", at), E.Lit(None))


def _japan_on(at: E.Expr) -> E.Expr:
    return ~_p("us_japan.threshold_percent", at).is_null()


def _japan_for_excluded(at: E.Expr) -> E.Expr:
    return E.And((_japan_on(at), _p("us_japan.applies_to_232_excluded_vehicles", at).eq(True)))


def _s232_on(at: E.Expr) -> E.Expr:
    return ~_p("section_232.rate_percent", at).is_null()


def additional_rate(at: E.Expr = ENTRY) -> E.Expr:
    """Chapter 99 rate added to column 1: Section 232, or the Japan rule that replaces it."""
    col1 = column1_rate(at)
    japan = E.If(col1 >= _p("us_japan.threshold_percent", at), ZERO,
                 _p("us_japan.total_rate_percent", at) - col1)
    return E.If(~_s232_on(at), ZERO,
                E.If(s232_excluded(at), E.If(_japan_for_excluded(at), japan, ZERO),
                     E.If(_japan_on(at), japan, _p("section_232.rate_percent", at))))


def additional_heading(law: Law | None = None, at: E.Expr = ENTRY) -> E.Expr:
    h = headings(law)
    japan = E.If(column1_rate(at) >= _p("us_japan.threshold_percent", at),
                 E.Lit(h["japan_at_or_above"]), E.Lit(h["japan_below"]))
    return E.If(~_s232_on(at), E.Lit(None),
                E.If(s232_excluded(at), E.If(_japan_for_excluded(at), japan, E.Lit(h["s232_excluded"])),
                     E.If(_japan_on(at), japan, E.Lit(h["s232"]))))


def duty_rate(at: E.Expr = ENTRY) -> E.Expr:
    return column1_rate(at) + additional_rate(at)


def hts_subheading(law: Law | None = None, digits: int = 6) -> E.Expr:
    """The classification by body: 6 digits (``8704.31``) or the 8-digit line (``8704.31.01``)."""
    h = headings(law)
    cut = (lambda s: s[:7]) if digits == 6 else (lambda s: s)
    return E.If(PASSENGER, E.Lit(cut(h["passenger"])), E.Lit(cut(h["truck"])))


# ------------------------------------------------------------------- money

def customs_value(at: E.Expr = ENTRY) -> E.Expr:
    """The dutiable value in USD: the price paid, plus freight and insurance only if the law
    put them in the customs value."""
    price = E.Col("price_usd")
    with_transport = price + E.Coalesce((E.Col("freight_usd"), ZERO)) + E.Coalesce((E.Col("insurance_usd"), ZERO))
    return E.If(_p("customs_value.includes_international_freight_insurance", at), with_transport, price)


def _percent_of(value: E.Expr, rate: E.Expr) -> E.Expr:
    return value * rate / E.Lit(100)


def duty_usd(at: E.Expr = ENTRY) -> E.Expr:
    return _percent_of(customs_value(at), duty_rate(at))


def mpf_usd(at: E.Expr = ENTRY) -> E.Expr:
    raw = _percent_of(customs_value(at), _p("mpf.rate_percent", at))
    lo, hi = _p("mpf.min_usd", at), _p("mpf.max_usd", at)
    return E.If(raw < lo, lo, E.If(raw > hi, hi, raw))


def mpf_bound(at: E.Expr = ENTRY) -> E.Expr:
    """Which MPF limit applied: "min", "max" or "rate"."""
    raw = _percent_of(customs_value(at), _p("mpf.rate_percent", at))
    return E.If(raw < _p("mpf.min_usd", at), E.Lit("min"),
                E.If(raw > _p("mpf.max_usd", at), E.Lit("max"), E.Lit("rate")))


def hmf_applies(at: E.Expr = ENTRY) -> E.Expr:
    return E.IsIn(E.Col("mode"), _p("hmf.modes", at))


def hmf_usd(at: E.Expr = ENTRY) -> E.Expr:
    price = E.Col("price_usd")
    transport = E.Coalesce((E.Col("freight_usd"), ZERO)) + E.Coalesce((E.Col("insurance_usd"), ZERO))
    base = E.If(_p("hmf.value_basis", at).eq("customs_value"), customs_value(at), price + transport)
    return E.If(hmf_applies(at), _percent_of(base, _p("hmf.rate_percent", at)), ZERO)


# ------------------------------------------------------------ surcharges

def ieepa_status(at: E.Expr = ENTRY) -> E.Expr:
    """"not-in-force", "excluded" (a Section 232 vehicle), or for 9903.94.04 vehicles the
    data's answer: "applies", "excluded" or "unclear"."""
    return E.If(_p("ieepa.in_force", at).eq(True),
                E.If(s232_excluded(at), _p("ieepa.applies_to_25_year_vehicles", at), E.Lit("excluded")),
                E.Lit("not-in-force"))


def s122_status(at: E.Expr = ENTRY) -> E.Expr:
    """"not-in-force", "exempt" (a Section 232 vehicle: no stacking), or for 9903.94.04
    vehicles the data's answer: "applies", "exempt" or "unclear"."""
    return E.If(_p("section_122.rate_percent", at).is_null(), E.Lit("not-in-force"),
                E.If(s232_excluded(at), _p("section_122.applies_to_25_year_vehicles", at), E.Lit("exempt")))


def s122_rate(at: E.Expr = ENTRY) -> E.Expr:
    return _p("section_122.rate_percent", at)


def screen_outputs(entry: E.Expr = ENTRY, law: Law | None = None) -> dict[str, E.Expr]:
    """Duty columns for the batch screen: inputs ``body``, ``built_start`` and the entry date
    (a column, or a constant given to the compiler)."""
    return {
        "duty_hts": hts_subheading(law),
        "duty_rate_percent": duty_rate(entry),
        "duty_additional_heading": additional_heading(law, entry),
    }
