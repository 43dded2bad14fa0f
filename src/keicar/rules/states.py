"""United States, states and DC: may a legally imported kei vehicle be titled and driven here?

Every value comes from ``law/us/states/XX.yaml`` (format: docs/law-format.md, "A state file"),
read for the row's state (``state``, a two-letter code) at the date asked (``on``):

- ``status``, ``max_posted_speed_mph``, ``interstates``, ``registration_class``: the
  ``car:`` node's value for a passenger kei car, the ``truck:`` node's for a kei truck or
  van, where the file has one in force on that date (an override whose value is null, e.g.
  "no posted-speed cap", counts); otherwise the top-level value.
- Grandfathering: a vehicle registered (input ``registered``) before
  ``grandfather.registered_before`` keeps ``grandfather.status`` (Rhode Island's
  registrations before 2024-06-01). Without a registration date the vehicle is judged as a
  new registration.
- The state's class definition (``definition:``): each limit the vehicle's inputs can be
  tested against is a ``Check`` (inches are compared after converting the vehicle's mm:
  1 in = 25.4 mm exactly). A vehicle that misses a limit does not get the class's
  permission. No state file says what such a vehicle may do instead, so its status is
  ``definition.outside_status`` where a file gives one and otherwise ``unclear``: keicar
  does not invent a status. Limits keicar has no input for (top speed, curb weight, GVWR)
  and ``conditions_not_checked`` are reported, never failed.
  A definition whose ``body`` is ``truck`` describes the mini-truck class; a passenger car
  in a file with its own ``car:`` status is judged by that status, not by the truck class.
- Before a record's first date keicar has no rule: the status is ``unclear``.
"""

from __future__ import annotations

from keicar.engine import expr as E
from keicar.rules.model import Check

STATE = E.Col("state")
ON = E.Col("on")
REGISTERED = E.Col("registered")
BODY = E.Col("body")
IS_CAR = BODY.eq("passenger")
MM_PER_IN = 25.4  # exact by definition (1959 international inch): arithmetic, not law

FIELDS = ("status", "max_posted_speed_mph", "interstates", "registration_class")
STATUSES = ("unrestricted", "restricted", "off_road_only", "prohibited", "unclear")


def sp(field: str, attr: str = "value") -> E.Expr:
    """The state's parameter ``field`` in force on the date asked."""
    return E.StateParam(field, STATE, ON, attr)


def has(field: str) -> E.Expr:
    """The state file has a value of ``field`` in force on the date asked (possibly null)."""
    return ~sp(field, "since").is_null()


def per_vehicle(field: str, attr: str = "value") -> E.Expr:
    """``field`` as it applies to this vehicle: the car:/truck: override in force, else the
    top-level value. Vans follow truck:."""
    car, truck = "car." + field, "truck." + field
    return E.If(IS_CAR,
                E.If(has(car), sp(car, attr), sp(field, attr)),
                E.If(has(truck), sp(truck, attr), sp(field, attr)))


# ------------------------------------------------------------------ the class definition

class BodyCheck(Check):
    """The definition's ``body``: ``any`` covers every kei vehicle, ``truck`` trucks and vans."""

    @property
    def passed(self) -> E.Expr:
        return E.Or((self.limit.eq("any"), E.And((self.limit.eq("truck"), ~IS_CAR))))


def _limit(name: str) -> E.Expr:
    return sp("definition." + name)


def _applies(value: E.Expr, name: str) -> E.Expr:
    return E.And((GOVERNS, ~value.is_null(), ~_limit(name).is_null()))


#: The definition describes the class this vehicle's status comes from: it covers every
#: body, or the vehicle is a truck/van, or (a car) the file has no car: status of its own.
GOVERNS = E.Coalesce((
    E.Or((_limit("body").eq("any"), ~IS_CAR, ~has("car.status"))),
    E.Lit(False),
))

#: (definition parameter, label, the vehicle's value in the limit's unit, op, unit)
_TESTABLE = (
    ("max_length_in", "Length", E.Col("length_mm") / MM_PER_IN, "<=", "in"),
    ("max_width_in", "Width", E.Col("width_mm") / MM_PER_IN, "<=", "in"),
    ("max_height_in", "Height", E.Col("height_mm") / MM_PER_IN, "<=", "in"),
    ("max_length_mm", "Length", E.Col("length_mm"), "<=", "mm"),
    ("max_width_mm", "Width", E.Col("width_mm"), "<=", "mm"),
    ("max_height_mm", "Height", E.Col("height_mm"), "<=", "mm"),
    ("max_displacement_cc", "Engine displacement", E.Col("cc"), "<=", "cc"),
    ("max_ev_kw", "Electric motor power", E.Col("ev_kw"), "<=", "kW"),
)

#: Definition limits keicar has no vehicle input for: reported, never failed. No state file
#: uses ``min_age_years`` yet (every state record is about 25+ year imports); testing it
#: needs the leap-day reading per row, which the Polars runner takes as a constant.
NOT_TESTED = ("max_top_speed_mph", "max_curb_weight_lb", "max_gvwr_lb", "min_age_years",
              "conditions_not_checked")

DEFINITION_CHECKS: tuple[Check, ...] = (
    BodyCheck("state_definition.body", "Body covered by the class",
              E.If(IS_CAR, E.Lit("car"), E.Lit("truck")), _limit("body"), op="covers",
              applies=E.And((GOVERNS, ~_limit("body").is_null()))),
) + tuple(
    Check("state_definition." + name, label, value, _limit(name), op=op,
          applies=_applies(value, name), unit=unit)
    for name, label, value, op, unit in _TESTABLE
)

#: True when the vehicle misses a limit of the state's class definition in force.
outside_definition = E.Coalesce((
    E.Or(tuple(E.And((c.applies, ~c.passed)) for c in DEFINITION_CHECKS)),
    E.Lit(False),
))

# ------------------------------------------------------------------ grandfathering

grandfathered = E.Coalesce((
    E.And((~REGISTERED.is_null(), REGISTERED < sp("grandfather.registered_before"))),
    E.Lit(False),
))

# ------------------------------------------------------------------ the answer

_base_status = per_vehicle("status")

#: Which rule gives the status: "definition" (outside the class), "grandfather",
#: "record" (the file's value) or "none" (no record on that date).
status_source = E.If(outside_definition, E.Lit("definition"),
                     E.If(grandfathered, E.Lit("grandfather"),
                          E.If(_base_status.is_null(), E.Lit("none"), E.Lit("record"))))

status = E.If(
    outside_definition, E.Coalesce((sp("definition.outside_status"), E.Lit("unclear"))),
    E.If(grandfathered, E.Coalesce((sp("grandfather.status"), E.Lit("unclear"))),
         E.Coalesce((_base_status, E.Lit("unclear")))))

#: Confidence of the value the status came from ("low" where there is no record).
confidence = E.Coalesce((
    E.If(outside_definition, E.Lit(None),
         E.If(grandfathered, sp("grandfather.status", "confidence"), per_vehicle("status", "confidence"))),
    E.Lit("low"),
))

#: What the status rests on (``statute`` … ``secondary_only``; law-format.md): the basis of
#: the value the status came from; missing where the status comes from the definition (no
#: file says what a vehicle outside the class may do) or there is no record.
basis = E.If(outside_definition, E.Lit(None),
             E.If(grandfathered, sp("grandfather.status", "basis"), per_vehicle("status", "basis")))

max_posted_speed_mph = per_vehicle("max_posted_speed_mph")
interstates = per_vehicle("interstates")
registration_class = per_vehicle("registration_class")

_any_override = E.Or(tuple(has(f"{kind}.{f}") for kind in ("car", "truck") for f in FIELDS))
#: Whom the answer is for: "both" where the file makes no car/truck distinction on that
#: date, otherwise the vehicle's kind.
applies_to = E.If(_any_override, E.If(IS_CAR, E.Lit("car"), E.Lit("truck")), E.Lit("both"))


def outputs() -> dict[str, E.Expr]:
    """The state columns of a screened table and the expression behind each."""
    return {
        "state_status": status,
        "state_max_posted_speed_mph": max_posted_speed_mph,
        "state_interstates": interstates,
        "state_registration_class": registration_class,
        "state_confidence": confidence,
        "state_basis": basis,
        "state_applies_to": applies_to,
    }
