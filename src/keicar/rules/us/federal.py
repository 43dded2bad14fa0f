"""United States, federal: from when may the vehicle be imported, and by which path?

- NHTSA: 49 U.S.C. 30112(b)(9) exempts "a motor vehicle that is at least 25 years old"
  from the safety-standard requirement at importation; the importer declares it on HS-7,
  box 1 (49 CFR 591.5(i)). NHTSA counts from the date of manufacture, so the vehicle is
  eligible on the 25th anniversary of that date.
- EPA: a nonconforming vehicle at least 21 "OP years old" (calendar year of importation
  minus calendar year of original production), in original configuration, is exempt
  (EPA Form 3520-1, code E; 40 CFR 85.1502, 85.1511). So: from 1 January of the
  production year + 21.
- A kei truck or van under 25 years old may come in only as an EPA-certified nonroad
  vehicle governed to 25 mph (73 FR 59053; 40 CFR 85.1703(a)): off-road only, never
  road-legal. A passenger kei car under 25 has no path.

A build date known only to the month is read per ``nhtsa.month_only_build_reading``
(conservative: the last day of the month) unless the user asks otherwise; both readings are
reported. Every number and date comes from ``law/us/federal/import.yaml``.
"""

from __future__ import annotations

from keicar.engine import expr as E
from keicar.rules.model import Check

P = "us.federal.import."
ON = E.Col("on")
MIN_AGE = E.Param(P + "nhtsa.min_age_years", ON)
LEAP = E.Param(P + "nhtsa.leap_day_anniversary", ON)
EPA_AGE = E.Param(P + "epa.min_op_years", ON)
READING = E.Coalesce((E.Col("month_reading"), E.Param(P + "nhtsa.month_only_build_reading", ON)))
BUILT = E.If(READING.eq("start_of_month"), E.Col("built_start"), E.Col("built_end"))

#: Parameters read at the date asked: the earliest date keicar can answer for.
ON_PARAMS = (
    P + "nhtsa.min_age_years",
    P + "nhtsa.leap_day_anniversary",
    P + "nhtsa.month_only_build_reading",
    P + "epa.min_op_years",
)

nhtsa = Check(
    "nhtsa_25_year", "NHTSA 25-year rule (age)",
    E.CompletedYears(BUILT, ON, LEAP), MIN_AGE, op=">=", unit="years",
)
epa = Check(
    "epa_21_year", "EPA 21-year rule (OP years)",
    E.Year(ON) - E.Year(BUILT), EPA_AGE, op=">=", unit="years",
)
nonroad = Check(
    "epa_nonroad_path", "Off-road path (nonroad, 25 mph)",
    E.Col("body"), E.Param(P + "epa.nonroad_mini_truck.bodies", ON), op="in",
    applies=~nhtsa.passed,
)
CHECKS = (nhtsa, epa, nonroad)


def nhtsa_eligible_from(built: E.Expr = BUILT) -> E.Expr:
    return E.Anniversary(built, MIN_AGE, LEAP)


#: [earliest, latest] over every day the vehicle may have been built (a month, a year, a
#: range of months), whatever the month reading.
nhtsa_eligible_window = E.Hull(E.Anniversary(E.Col("built_start"), MIN_AGE, LEAP),
                               E.Anniversary(E.Col("built_end"), MIN_AGE, LEAP))
epa_eligible_from = E.JanFirst(E.Year(BUILT) + EPA_AGE)
road_importable = E.And((nhtsa.passed, epa.passed))
off_road_only = E.And((~nhtsa.passed, nonroad.passed))
path = E.If(road_importable, E.Lit("25-year"),
            E.If(off_road_only, E.Lit("off-road-only"), E.Lit("not-importable")))

#: The first day the vehicle may be imported for road use: both exemptions apply (the later
#: of the NHTSA and EPA dates; missing where either is).
_nhtsa_from, _epa_from = nhtsa_eligible_from(), epa_eligible_from
road_import_from = E.If(E.Or((_nhtsa_from.is_null(), _epa_from.is_null())), E.Lit(None),
                        E.MaxOf((_nhtsa_from, _epa_from)))
#: Whole months from the date asked until road import (0 when it may be imported for road use
#: on the date asked; a part month counts as a whole one). For a build window (a year), open
#: where the window's days give different counts.
months_until_road_import = E.If(road_importable, E.Lit(0), E.MonthsUntil(ON, road_import_from))
