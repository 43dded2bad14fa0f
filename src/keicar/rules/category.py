"""A vehicle category defined by limits in the law: today's low-speed vehicle class
(49 CFR 571.3, FMVSS 500), a state's medium-speed class, or a proposed microcar class.

A category is a parameter prefix (``us.federal.fmvss.lsv``, ``us.microcar``). Its limits are
the parameters below that exist under the prefix, each read on the date asked; a limit whose
value is null imposes nothing, and a category none of whose limits has a value on that date
(not yet, or no longer, in force) admits nobody. The names follow the LSV definition already in
``law/us/federal/fmvss.yaml`` (``max_speed_mph``, ``min_speed_mph_exclusive``,
``max_gvwr_lb_exclusive``, ``trucks_included``), so today's LSV class is read as it stands.
Limits that are not a property of the vehicle (``max_posted_speed_mph``: the roads it may
use; ``fmvss_required``: the standards it must meet) are reported, never checked.
"""

from __future__ import annotations

from ..engine import expr as E
from ..engine.parameters import Law
from .model import Check

ON = E.Col("on")

#: name -> (label, input column, operator, unit). Order is the order of the explanation.
LIMITS: dict[str, tuple[str, str, str, str]] = {
    "max_length_mm": ("Length", "length_mm", "<=", "mm"),
    "max_width_mm": ("Width", "width_mm", "<=", "mm"),
    "max_height_mm": ("Height", "height_mm", "<=", "mm"),
    "max_displacement_cc": ("Engine displacement", "cc", "<=", "cc"),
    "max_ev_kw": ("Electric motor power", "ev_kw", "<=", "kW"),
    "max_curb_weight_kg": ("Curb weight", "curb_weight_kg", "<=", "kg"),
    "max_gvwr_lb_exclusive": ("GVWR", "gvwr_lb", "<", "lb"),
    "min_speed_mph_exclusive": ("Top speed (minimum)", "top_speed_mph", ">", "mph"),
    "max_speed_mph": ("Top speed", "top_speed_mph", "<=", "mph"),
    "trucks_included": ("Trucks and vans admitted", "body", "truck", "bool"),
    "powertrains": ("Powertrain", "powertrain", "in", "enum"),
}
#: Provisions of a category that are reported, not checked against the vehicle.
REPORTED = ("max_posted_speed_mph", "fmvss_required")
#: Limits that only apply where the vehicle has that kind of motor.
_MOTOR = {"cc", "ev_kw"}


def paths(law: Law, prefix: str) -> list[str]:
    return [f"{prefix}.{n}" for n in (*LIMITS, *REPORTED) if law.has(f"{prefix}.{n}")]


def checks(law: Law, prefix: str, columns: set[str] | None = None) -> tuple[list[Check], list[str]]:
    """The category's checks under ``law`` and the limits not checked because the input
    has no such column (``columns`` None: every column is available)."""
    out: list[Check] = []
    skipped: list[str] = []
    present = [n for n in LIMITS if law.has(f"{prefix}.{n}")]
    if present:
        # In force while at least one of its limits has a value on the date asked: before the
        # first one takes effect, or once every one has become null, it admits nobody.
        in_force = E.Or(tuple(~E.Param(f"{prefix}.{n}", ON).is_null() for n in present))
        out.append(Check("category_in_force", "Category in force (a limit has a value)", in_force,
                         E.Lit(True), op="==", unit="bool"))
    for name in present:
        label, col, op, unit = LIMITS[name]
        if columns is not None and col not in columns:
            skipped.append(name)
            continue
        limit = E.Param(f"{prefix}.{name}", ON)
        applies = ~limit.is_null()
        if col in _MOTOR:
            applies = applies & ~E.Col(col).is_null()
        if name == "trucks_included":
            # Trucks and vans are admitted when the limit says so; passenger bodies always.
            value = E.Not(E.IsIn(E.Col("body"), E.Lit(("truck", "van"))))
            out.append(Check(name, label, value | limit, E.Lit(True), op="==", applies=applies, unit=unit))
            continue
        out.append(Check(name, label, E.Col(col), limit, op=op, applies=applies, unit=unit))
    return out, skipped


def qualifies(cks: list[Check]) -> E.Expr:
    """Kleene And of the checks: missing when an input a check needs is missing. A category
    with no limit in the law does not exist, so nothing qualifies."""
    if not cks:
        return E.Lit(False)
    return E.And(tuple(c.ok for c in cks))


def failed(c: Check) -> E.Expr:
    return E.And((c.applies, E.Not(c.passed)))
