"""Importing a kei vehicle into Canada, Australia and the United Kingdom.

- Canada (``law/ca/import.yaml``): a vehicle older than 15 years, counted from its month and
  year of manufacture, is not regulated by the Motor Vehicle Safety Act at importation
  (CBSA Memorandum D19-12-1). keicar reads "month and year" as: eligible from the first day
  of the month of manufacture, 15 years on.
- Australia (``law/au/import.yaml``): the older-vehicles pathway of the Road Vehicle
  Standards Rules 2019 (rule 36), from 2019-12-10: a build date at least 25 years before the
  date of application (read here as the date asked). Before the RVSA commenced in full
  (2021-07-01) the MVSA rule also admitted vehicles manufactured before 1989-01-01.
- United Kingdom (``law/uk/import.yaml``): no minimum import age; a vehicle over 10 years
  old is registered with DVLA without type approval or Individual Vehicle Approval.

Every age, date and cut-off is a parameter read on the date asked.
"""

from __future__ import annotations

from keicar.engine import expr as E
from keicar.rules.model import Check

ON = E.Col("on")
#: The build date used: the day, or for a month-only date the user's reading (default:
#: the last day of the month, the conservative reading keicar uses for the US).
BUILT = E.If(E.Col("month_reading").eq("start_of_month"), E.Col("built_start"), E.Col("built_end"))

# Canada ---------------------------------------------------------------------------------
CA_AGE = E.Param("ca.import.min_age_years", ON)
# The anniversary of a first-of-month date never falls on 29 February: the leap reading
# cannot matter, so none is read from the law.
ca_eligible_from = E.Anniversary(E.MonthStart(E.Col("built_start")), CA_AGE, E.Lit("march_1"))
ca_15 = Check("ca_15_year", "Canada 15-year rule (month and year of manufacture)",
              E.CompletedYears(E.MonthStart(E.Col("built_start")), ON, E.Lit("march_1")), CA_AGE,
              op=">=", unit="years")

# Australia ------------------------------------------------------------------------------
AU_AGE = E.Param("au.import.older_vehicle.min_age_years", ON)
AU_LEAP = E.Param("au.import.leap_day_anniversary", ON)
AU_PRE = E.Param("au.import.pre_1989.manufactured_before", ON)
au_eligible_from = E.Anniversary(BUILT, AU_AGE, AU_LEAP)
au_25 = Check("au_older_vehicle_25_year", "Australia older-vehicle pathway (25 years)",
              E.CompletedYears(BUILT, ON, AU_LEAP), AU_AGE, op=">=", unit="years",
              applies=~AU_AGE.is_null())
au_pre = Check("au_pre_1989", "Australia MVSA rule (manufactured before the cut-off)",
               BUILT, AU_PRE, op="<", unit="date", applies=~AU_PRE.is_null())

# United Kingdom -------------------------------------------------------------------------
UK_MIN = E.Param("uk.import.min_import_age_years", ON)
UK_EXEMPT = E.Param("uk.import.approval_exempt_age_years", ON)
UK_LEAP = E.Param("uk.import.leap_day_anniversary", ON)
uk_min = Check("uk_min_import_age", "UK minimum import age", E.CompletedYears(BUILT, ON, UK_LEAP),
               UK_MIN, op=">=", unit="years", applies=~UK_MIN.is_null())
uk_exempt = Check("uk_approval_exempt", "UK approval exemption (over 10 years: DVLA, no IVA)",
                  E.CompletedYears(BUILT, ON, UK_LEAP), UK_EXEMPT, op=">=", unit="years")
uk_eligible_from = E.If(UK_MIN.is_null(), BUILT, E.Anniversary(BUILT, UK_MIN, UK_LEAP))
uk_exempt_from = E.Anniversary(BUILT, UK_EXEMPT, UK_LEAP)

COUNTRIES = {
    "CA": {
        "name": "Canada",
        "checks": (ca_15,),
        "eligible_from": ca_eligible_from,
        "path": E.If(ca_15.passed, E.Lit("15-year"), E.Lit("not-importable")),
        "first_params": ("ca.import.min_age_years",),
        "notes_params": ("ca.import.younger_vehicles_route",),
    },
    "AU": {
        "name": "Australia",
        "checks": (au_25, au_pre),
        "eligible_from": au_eligible_from,
        "path": E.If(E.And((au_25.applies, au_25.passed)), E.Lit("older-vehicle-25-year"),
                     E.If(E.And((au_pre.applies, au_pre.passed)), E.Lit("pre-1989"),
                          E.Lit("not-importable"))),
        "first_params": ("au.import.older_vehicle.min_age_years", "au.import.pre_1989.manufactured_before"),
        "notes_params": ("au.import.older_vehicle.eligible_categories",),
    },
    "UK": {
        "name": "United Kingdom",
        "checks": (uk_min, uk_exempt),
        "eligible_from": uk_eligible_from,
        "approval_exempt_from": uk_exempt_from,
        "path": E.If(E.Or((UK_MIN.is_null(), uk_min.passed)),
                     E.If(uk_exempt.passed, E.Lit("approval-exempt"), E.Lit("type-approval-or-iva")),
                     E.Lit("not-importable")),
        "first_params": ("uk.import.min_import_age_years", "uk.import.approval_exempt_age_years"),
        "notes_params": (),
    },
}
