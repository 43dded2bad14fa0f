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
from ..engine.parameters import Law, Parameter
from ..engine.variables import Variable
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
#: Electric only: the powertrain says so, or (powertrain not given) a motor power and no
#: displacement. A displacement cap applies to every other vehicle, a motor-power cap to
#: electric ones and to any vehicle whose motor power is given.
_ELECTRIC = E.Coalesce((E.Col("powertrain").eq("ev"), ~E.Col("ev_kw").is_null() & E.Col("cc").is_null()))
#: Inputs a category may read beyond the vehicle's dimensions, engine and body: its
#: variables ``need`` those it reads, so ``check`` and ``screen`` leave them out without them
#: (``keicar policy run`` computes them anyway: a missing input is then a reason per row).
EXTRA_INPUTS = ("curb_weight_kg", "gvwr_lb", "top_speed_mph", "powertrain")
#: Categories the law defines (policies add others).
IN_LAW = ("us.federal.fmvss.lsv",)
#: The ``failed`` value of a category the law does not have.
NOT_IN_LAW = "category_not_in_law"


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
        if col == "cc":
            # No displacement cap for an electric vehicle; for any other, a missing cc leaves
            # the check (and so the verdict) missing, never passed.
            applies = applies & (~E.Col("cc").is_null() | ~_ELECTRIC)
        elif col == "ev_kw":
            applies = applies & (~E.Col("ev_kw").is_null() | _ELECTRIC)
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


def inputs(law: Law, prefix: str) -> list[str]:
    """The input columns the category's limits read, in the order of ``LIMITS``."""
    return list(dict.fromkeys(LIMITS[n][1] for n in LIMITS if law.has(f"{prefix}.{n}")))


def name_of(prefix: str) -> str:
    """The category's name in variable names: the last part of its prefix
    (``us.federal.fmvss.lsv`` -> ``lsv``)."""
    return prefix.rsplit(".", 1)[-1]


def variables(law: Law, prefix: str) -> list[Variable]:
    """The category as variables of the registry (``keicar.engine.variables``), computed by
    both runners: ``category.<name>.admits`` (bool: every limit in force is met; missing
    when an input a limit needs is missing), ``.failed`` (the limits the vehicle fails) and
    ``.undecided_by`` (the inputs whose absence leaves ``admits`` missing; empty when it is
    decided). Each implements the category's defining limit (a size or speed limit before
    the later GVWR and truck provisions), whose citation is the provision (the law's, or the
    policy file's for a category a policy adds). A prefix
    with no limit in ``law`` admits nobody and fails ``category_not_in_law``."""
    name = name_of(prefix)
    cks, _ = checks(law, prefix)
    present = [n for n in LIMITS if law.has(f"{prefix}.{n}")]
    first = sorted(present, key=lambda n: (n in ("max_gvwr_lb_exclusive", "trucks_included"), list(LIMITS).index(n)))
    implements = f"{prefix}.{first[0]}" if first else None
    title_ = title(law, prefix)
    admits = qualifies(cks)
    if cks:
        failed_ = E.Flags(tuple(c.name for c in cks), tuple(failed(c) for c in cks))
    else:
        failed_ = E.Flags((NOT_IN_LAW,), (E.Lit(True),))
    cols = inputs(law, prefix)
    undecided = E.Flags(tuple(cols), tuple(
        E.And((admits.is_null(), E.Or(tuple(c.ok.is_null() for c in cks if _input(c) == col))))
        for col in cols)) if cols else E.Lit("")
    needs = tuple(c for c in cols if c in EXTRA_INPUTS)
    V = Variable
    return [
        V(f"category.{name}.admits", f"Admitted to {title_} on the date asked", "bool", admits,
          implements, needs=needs),
        V(f"category.{name}.failed", f"Limits of {title_} the vehicle fails", "names", failed_,
          implements, needs=needs),
        V(f"category.{name}.undecided_by", f"Inputs whose absence leaves admission to {title_} undecided",
          "names", undecided, implements, needs=needs),
    ]


def prefixes(law: Law) -> list[str]:
    """The categories of ``law``: the federal LSV class, and with a policy's law each
    category the policy adds or changes (a prefix holding a limit of ``LIMITS``). State
    class definitions hold such limits too; they are the state variables' business."""
    found = [p for p in IN_LAW if law.has(p)]
    for path in law.overlaid:
        _add_prefix(found, path)
    return found


def _add_prefix(found: list[str], path: str) -> None:
    prefix, _, leaf = path.rpartition(".")
    if leaf in LIMITS and prefix and prefix not in found:
        found.append(prefix)


def _input(c: Check) -> str | None:
    return LIMITS[c.name][1] if c.name in LIMITS else None


def title(law: Law, prefix: str) -> str:
    """The category as a reader knows it: the law's own description of the node, or the prefix."""
    try:
        node = law.get(prefix)
    except KeyError:
        node = None
    desc = getattr(node, "description", None) if node is not None and not isinstance(node, Parameter) else None
    if isinstance(desc, str) and desc.strip():
        first = " ".join(desc.split()).split(" (")[0].split(":")[0]
        if len(first) <= 60:
            return f"{first} ({prefix})"
    return prefix
