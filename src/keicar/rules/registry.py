"""Every answer keicar gives, as a variable (``keicar.engine.variables``): Japan, US federal,
US states, customs and landed cost, papers. ``registry()`` is what ``keicar variables``,
``GET /v1/variables`` and the table runner list and compute.

Inputs a formula reads: the vehicle (``built_start``, ``built_end``, ``body``,
``length_mm``, ``width_mm``, ``height_mm``, ``cc``, ``stroke``, ``ev_kw``), the date asked
``on`` and ``month_reading``; for states ``state`` and ``registered``; for customs
``entry_date``; for money ``price_usd``, ``freight_usd``, ``insurance_usd``, ``mode``
(ocean/air), ``broker_usd``, ``port_usd``, ``state_fees_usd``.
"""

from __future__ import annotations

from functools import lru_cache

from ..engine import expr as E
from ..engine.parameters import Law, Parameter, default_law
from ..engine.variables import Registry, Variable
from keicar.rules.us import customs as C
from keicar.rules.us import federal
from keicar.rules.jp import kei as japan
from keicar.rules.us import states as S
from keicar.rules.intl.countries import COUNTRIES

ON = E.Col("on")
BUILT = federal.BUILT
PATHS = ("25-year", "off-road-only", "not-importable")
STATUSES = S.STATUSES
ZERO = E.Lit(0)


def _failed(at: E.Expr) -> E.Flags:
    checks = japan.checks(at)[1:]
    return E.Flags(tuple(c.name for c in checks),
                   tuple(E.And((c.applies, E.Not(c.passed))) for c in checks))


#: ``us.import_outlook``'s values, in the order a summary lists them.
OUTLOOKS = ("road-now", "road-within-12-months", "off-road-only", "later", "not-kei", "unknown")
#: The horizon of "road-within-12-months": a screening choice, not law.
OUTLOOK_MONTHS = 12


def _outlook() -> E.Expr:
    """One bucket per vehicle for a screen's summary: not kei (under the standard of its build
    date) first, unknown where the kei verdict or the import date is missing, then road import
    now, within ``OUTLOOK_MONTHS`` months, off-road only (road import later), later."""
    kei = japan.is_kei(BUILT)
    months = federal.months_until_road_import
    bucket = E.If(months.eq(0), E.Lit("road-now"),
                  E.If(months <= OUTLOOK_MONTHS, E.Lit("road-within-12-months"),
                       E.If(federal.path.eq("off-road-only"), E.Lit("off-road-only"), E.Lit("later"))))
    return E.If(kei.eq(False), E.Lit("not-kei"),
                E.If(E.Or((kei.is_null(), months.is_null())), E.Lit("unknown"), bucket))


def _papers(law: Law) -> E.Flags:
    """The papers.yaml items whose paths include the vehicle's path on the date asked (and
    whose transport modes include the vehicle's, where an item names modes; and whose
    ``state_statuses`` include the state's status for the vehicle, where an item names
    statuses: no road title where the state refuses one), by step. Without a state the
    status is ``unclear``, as ``state.status`` gives it."""
    node = law.node("us.federal.papers")
    # rules.federal.path -> the path names papers.yaml uses (names, not law)
    path = E.If(federal.path.eq("25-year"), E.Lit("road_25_year"),
                E.If(federal.path.eq("off-road-only"), E.Lit("off_road_nonroad"), E.Lit(None)))
    mode = E.Coalesce((E.Col("mode"), E.Lit("ocean")))
    items = sorted(((k, c) for k, c in node.children.items() if not isinstance(c, Parameter)),
                   key=lambda kc: (kc[1].meta.get("step") is None, kc[1].meta.get("step") or 0))
    names, conds = [], []
    for key, child in items:
        cond = E.IsIn(path, E.Param(f"us.federal.papers.{key}.paths", ON))
        if "modes" in child.children:
            modes = E.Param(f"us.federal.papers.{key}.modes", ON)
            cond = E.And((cond, E.Or((modes.is_null(), E.IsIn(mode, modes)))))
        if "state_statuses" in child.children:
            cond = E.And((cond, E.IsIn(S.status, E.Param(f"us.federal.papers.{key}.state_statuses", ON))))
        names.append(key)
        conds.append(cond)
    return E.Flags(tuple(names), tuple(conds))


def _build(law: Law) -> Registry:
    entry = E.Col("entry_date")
    extra = lambda col: E.Coalesce((E.Col(col), ZERO))  # noqa: E731
    duty_usd, mpf_usd, hmf_usd = C.duty_usd(entry), C.mpf_usd(entry), C.hmf_usd(entry)
    s122_usd = C.s122_usd(entry)
    # an unclear surcharge is left out of the total (shown beside it), one that applies is in it
    landed = (E.Col("price_usd") + extra("freight_usd") + extra("insurance_usd") + duty_usd + mpf_usd
              + hmf_usd + E.Coalesce((s122_usd, ZERO)) + extra("broker_usd") + extra("port_usd")
              + extra("state_fees_usd"))
    kei_param = "jp.kei.length_mm"
    nhtsa_param = federal.P + "nhtsa.min_age_years"
    epa_param = federal.P + "epa.min_op_years"
    road = ("state",)
    money = ("entry_date", "price_usd")
    V = Variable
    return Registry([
        # ---------------------------------------------------------------- Japan
        V("kei.is_kei", "Kei vehicle under the standard in force on its build date", "bool",
          japan.is_kei(BUILT), kei_param),
        V("kei.regime", "Kei standard in force on the build date (its effective date)", "date",
          japan.regime(BUILT), kei_param),
        V("kei.failed", "Kei limits the vehicle exceeds under that standard", "names",
          _failed(BUILT), kei_param),
        V("kei.is_kei_today", "Kei vehicle under the standard in force on the date asked", "bool",
          japan.is_kei(ON), kei_param),
        V("kei.regime_today", "Kei standard in force on the date asked (its effective date)", "date",
          japan.regime(ON), kei_param),
        V("kei.failed_today", "Kei limits the vehicle exceeds under today's standard", "names",
          _failed(ON), kei_param),
        # ---------------------------------------------------------------- US federal
        V("us.nhtsa_eligible_from", "First day the NHTSA 25-year exemption applies", "date",
          E.Upper(federal.nhtsa_eligible_from()), nhtsa_param,
          doc="For a build date known only as a window (a year, a range), the latest: the "
              "conservative date."),
        V("us.nhtsa_eligible_window", "Earliest and latest first day of the NHTSA 25-year "
          "exemption, over the days the vehicle may have been built", "window",
          federal.nhtsa_eligible_window, nhtsa_param),
        V("us.epa_eligible_from", "First day the EPA 21-year exemption applies", "date",
          federal.epa_eligible_from, epa_param),
        V("us.path", "Import path on the date asked", "enum", federal.path, nhtsa_param,
          values_allowed=PATHS),
        V("us.importable", "May be imported on the date asked (any path)", "bool",
          federal.path.ne("not-importable"), nhtsa_param),
        V("us.road_legal_import", "May be imported for road use on the date asked", "bool",
          federal.path.eq("25-year"), nhtsa_param),
        V("us.off_road_max_speed_mph", "Speed an off-road-only import must be governed to", "number",
          E.If(federal.path.eq("off-road-only"), E.Param(federal.P + "epa.nonroad_mini_truck.max_speed_mph", ON),
               E.Lit(None)),
          federal.P + "epa.nonroad_mini_truck.max_speed_mph", unit="mph"),
        V("us.road_import_from", "First day it may be imported for road use (NHTSA and EPA)", "date",
          E.Upper(federal.road_import_from), nhtsa_param,
          doc="For a build date known only as a window (a year, a range), the latest: the "
              "conservative date."),
        V("us.months_until_road_import", "Whole months from the date asked until road import "
          "(0: importable for road use now; a part month counts as one)", "number",
          federal.months_until_road_import, nhtsa_param, unit="months"),
        V("us.import_outlook", "Screening verdict: road import now, within 12 months, off-road only, "
          "later, not kei, or unknown", "enum", _outlook(), nhtsa_param, values_allowed=OUTLOOKS),
        # ---------------------------------------------------------------- US states
        V("state.status", "May be titled and driven in the state", "enum", S.status,
          values_allowed=STATUSES, needs=road),
        V("state.max_posted_speed_mph", "Highest posted speed limit of roads it may use", "number",
          S.max_posted_speed_mph, unit="mph", needs=road),
        V("state.interstates", "May use interstates", "bool", S.interstates, needs=road),
        V("state.registration_class", "Class it is registered under", "text", S.registration_class,
          needs=road),
        V("state.confidence", "Confidence of the state answer", "enum", S.confidence,
          values_allowed=("high", "medium", "low"), needs=road),
        V("state.basis", "What the state answer rests on", "enum", S.basis, needs=road,
          values_allowed=("statute", "regulation", "agency_guidance", "agency_practice_reported",
                          "no_kei_rule", "secondary_only")),
        V("state.applies_to", "Whom the state answer is for (both, car, truck)", "enum",
          S.applies_to, values_allowed=("both", "car", "truck"), needs=road),
        V("state.grandfathered", "Keeps an earlier rule by its first registration date", "bool",
          S.grandfathered, needs=road),
        V("state.outside_definition", "Outside the state's class definition", "bool",
          S.outside_definition, needs=road),
        V("state.status_from", "Where the status comes from (record, definition, grandfather, none)",
          "enum", S.status_source, values_allowed=("record", "definition", "grandfather", "none"),
          needs=road),
        # ---------------------------------------------------------------- customs and cost
        V("duty.hts", "HTSUS subheading", "text", C.hts_subheading(law),
          C.P + "duty.truck.rate_percent", needs=("entry_date",), column="duty_hts"),
        V("duty.rate_percent", "Duty rate, column 1 plus chapter 99", "number", C.duty_rate(entry),
          C.P + "duty.truck.rate_percent", unit="percent", needs=("entry_date",), column="duty_rate_percent"),
        V("duty.additional_heading", "Chapter 99 heading that applies", "text",
          C.additional_heading(law, entry), C.P + "section_232.rate_percent", needs=("entry_date",),
          column="duty_additional_heading"),
        V("customs.value_usd", "Customs value", "number", C.customs_value(entry),
          C.P + "customs_value.includes_international_freight_insurance", unit="USD", needs=money),
        V("customs.duty_usd", "Duty", "number", duty_usd, C.P + "duty.truck.rate_percent",
          unit="USD", needs=money),
        V("customs.mpf_usd", "Merchandise processing fee", "number", mpf_usd, C.P + "mpf.rate_percent",
          unit="USD", needs=money),
        V("customs.hmf_usd", "Harbor maintenance fee", "number", hmf_usd, C.P + "hmf.rate_percent",
          unit="USD", needs=money),
        V("customs.mpf_basis", "Which MPF amount applied: the rate, the minimum or the maximum", "enum",
          C.mpf_bound(entry), C.P + "mpf.min_usd", values_allowed=("rate", "min", "max"), needs=money),
        V("customs.ieepa_status", "IEEPA reciprocal duty on this vehicle", "enum", C.ieepa_status(entry),
          C.P + "ieepa.applies_to_25_year_vehicles",
          values_allowed=("not-in-force", "excluded", "applies", "unclear"), needs=("entry_date",)),
        V("customs.section_122_status", "Section 122 surcharge on this vehicle", "enum",
          C.s122_status(entry), C.P + "section_122.rate_percent",
          values_allowed=("not-in-force", "exempt", "applies", "unclear"), needs=("entry_date",)),
        V("customs.section_122_usd", "Section 122 surcharge (missing where the sources leave it unclear)",
          "number", s122_usd, C.P + "section_122.rate_percent", unit="USD", needs=money),
        V("cost.landed_usd", "Landed cost: price, transport, duty, fees and your own costs", "number",
          landed, C.P + "customs_value.includes_international_freight_insurance", unit="USD",
          needs=money),
        # ---------------------------------------------------------------- papers
        V("papers.required", "Papers the import path needs, in order", "names", _papers(law),
          federal.P + "nhtsa.min_age_years"),
    ] + _countries() + _jp_costs(law) + _categories(law))


def _countries() -> list[Variable]:
    """Canada, Australia, United Kingdom: when and by which path the vehicle may be imported."""
    out = []
    for code, spec in COUNTRIES.items():
        key, name, first = code.lower(), spec["name"], spec["first_params"][0]
        out += [
            Variable(f"{key}.eligible_from", f"First day it may be imported to {name}", "date",
                     spec["eligible_from"], first),
            Variable(f"{key}.import_path", f"Import path to {name} on the date asked", "enum",
                     spec["path"], first, values_allowed=_leaves(spec["path"])),
            Variable(f"{key}.importable", f"May be imported to {name} on the date asked", "bool",
                     spec["path"].ne("not-importable"), first),
        ]
        if "approval_exempt_from" in spec:
            out.append(Variable(f"{key}.approval_exempt_from",
                                f"First day it is registered in {name} without type approval", "date",
                                spec["approval_exempt_from"], spec["first_params"][1]))
    return out


def _leaves(e: E.Expr) -> tuple[str, ...]:
    """The string results of an If chain, in order."""
    if isinstance(e, E.Lit):
        return (e.value,)
    return tuple(dict.fromkeys(_leaves(e.then) + _leaves(e.else_)))


@lru_cache(maxsize=4)
def _cached(law_id: int, law: Law) -> Registry:
    return _build(law)


def registry(law: Law | None = None) -> Registry:
    law = law or default_law()
    return _cached(id(law), law)


# ---------------------------------------------------------------- Japan: ownership costs
# jp.* taxes, weight tax and inspection dates (keicar.rules.jp.costs); they need
# `first_registered` (and `weight_kg` for the registered car's weight tax).


def _jp_costs(law: Law) -> list[Variable]:
    from keicar.rules.jp import costs as japan_costs

    return japan_costs.variables(law)


# ---------------------------------------------------------------- categories
# category.<name>.admits / .failed / .undecided_by for each category in the law (today's
# LSV class; with a policy's law, the category it adds): keicar.rules.category.


def _categories(law: Law) -> list[Variable]:
    from . import category

    return [v for prefix in category.prefixes(law) for v in category.variables(law, prefix)]
