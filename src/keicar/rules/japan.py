"""Japan: is the vehicle a kei vehicle (軽自動車)?

道路運送車両法施行規則 別表第一 (Enforcement Regulations of the Road Transport Vehicle Act,
Appended Table 1): a kei vehicle other than a two-wheeler is at most the prescribed length,
width and height, and, where it is driven by an internal-combustion engine, at most the
prescribed displacement. Before 1955-04-01 two-stroke engines had their own, lower cap; until
July 1960 motors other than internal-combustion engines had a rated-output cap. Every figure
and date is read from ``law/jp/kei.yaml``.

A vehicle is judged by the standard in force on its date of manufacture (``law/jp/kei.yaml``,
``metadata.era_rule``); keicar also reports the verdict under the standard in force on the
date asked ("today's rules"). The makers' 64 PS agreement is not law and is never a check.
"""

from __future__ import annotations

from keicar.engine import expr as E
from keicar.rules.model import Check

P = "jp.kei."
LIMIT_PARAMS = (
    P + "length_mm",
    P + "width_mm",
    P + "height_mm",
    P + "displacement_4stroke_cc",
    P + "displacement_2stroke_cc",
    P + "ev_rated_output_kw",
)
POWER_AGREEMENT = P + "industry_agreement.max_power_ps"


def checks(at: E.Expr) -> list[Check]:
    """The kei checks under the standard in force on the date ``at``."""
    two_stroke = E.Coalesce((E.Col("stroke"), E.Lit(4))).eq(2)
    ev_cap = E.Param(P + "ev_rated_output_kw", at)
    return [
        Check("kei_standard", "Kei standard existed", at,
              E.FirstDate(P + "length_mm"), op=">=", unit="date"),
        Check("length_mm", "Length", E.Col("length_mm"), E.Param(P + "length_mm", at), unit="mm"),
        Check("width_mm", "Width", E.Col("width_mm"), E.Param(P + "width_mm", at), unit="mm"),
        Check("height_mm", "Height", E.Col("height_mm"), E.Param(P + "height_mm", at), unit="mm"),
        Check(
            "displacement_cc", "Engine displacement", E.Col("cc"),
            E.If(two_stroke, E.Param(P + "displacement_2stroke_cc", at),
                 E.Param(P + "displacement_4stroke_cc", at)),
            applies=~E.Col("cc").is_null(), unit="cc",
        ),
        Check(
            "ev_kw", "Electric motor rated output", E.Col("ev_kw"), ev_cap,
            applies=~E.Col("ev_kw").is_null() & ~ev_cap.is_null(), unit="kW",
        ),
    ]


def is_kei(at: E.Expr) -> E.Expr:
    return E.And(tuple(c.ok for c in checks(at)))


def regime(at: E.Expr) -> E.Expr:
    """Effective date of the standard in force on ``at`` (the latest change of any limit)."""
    return E.MaxOf(tuple(E.Since(p, at) for p in LIMIT_PARAMS))
