"""``keicar check --country CA|AU|UK``: the import block for another country, with the
same explanation as the US block (``keicar.rules.intl.countries``). The verdicts are the registry
variables ``ca.*``, ``au.*``, ``uk.*`` (``keicar.rules.registry``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.answers.check import check, resolve_reading
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, default_law
from keicar.answers.explanation import steps, variable_values
from keicar.rules.intl.countries import COUNTRIES
from keicar.inputs.vehicle import InputError, Vehicle, parse_date

ACCEPTED = ("US", *COUNTRIES)


def resolve_country(raw: str | None) -> str:
    code = (raw or "US").strip().upper()
    if code == "GB":
        code = "UK"
    if code not in ACCEPTED:
        raise InputError("country", f"{raw!r} is not supported; accepted: {', '.join(ACCEPTED)}")
    return code


def import_block(vehicle: Vehicle, on: dt.date, code: str, month_reading: str | None = None,
                 law: Law | None = None) -> dict[str, Any]:
    law = law or default_law()
    spec = COUNTRIES[code]
    first = min(law.param(p).first_date for p in spec["first_params"])
    if on < first:
        raise InputError("on", f"{on} is before {first}, the first date keicar encodes {spec['name']}'s import rule for")
    row = {**vehicle.row(), "on": on, "month_reading": resolve_reading(month_reading)}
    key = code.lower()
    values = {k.split(".", 1)[1]: v for k, v in variable_values(law, row, prefix=f"{key}.").items()}
    path = values["import_path"]
    block = {
        "country": code,
        "name": spec["name"],
        "eligible_from": values["eligible_from"],
        "importable": values["importable"] is True,
        "path": path,
        "checks": steps(spec["checks"], Evaluator(law, row)),
        "notes": [],
    }
    if "approval_exempt_from" in values:
        block["approval_exempt_from"] = values["approval_exempt_from"]
    for p in spec["notes_params"]:
        e = law.param(p).entry(on)
        if e is not None and e.value:
            block["notes"].append(f"{' '.join(str(e.value).split())} ({e.citation})")
    return block


def check_country(vehicle: Vehicle, on: Any = None, country: str | None = None,
                  month_reading: str | None = None, law: Law | None = None,
                  state: str | None = None, registered: Any = None) -> dict[str, Any]:
    """``check`` for the US (unchanged, with an optional US ``state``), or with the ``import``
    block of another country in place of ``us``."""
    code = resolve_country(country)
    if code != "US" and state:
        raise InputError("state", f"a US state goes with --country US, not {code}")
    result = check(vehicle, on=on, month_reading=month_reading, law=law, state=state,
                   registered=registered)
    if code == "US":
        return result
    block = import_block(vehicle, parse_date("on", result["on"]), code, month_reading, law)
    del result["us"]
    result.pop("papers", None)  # the US import checklist does not apply to another country
    result["country"] = code
    result["import"] = block
    kei_part = result["verdict"].split(". ")[0]
    if block["importable"]:
        tail = f"importable to {block['name']} on {result['on']} ({block['path']} path, since {block['eligible_from']})"
    else:
        tail = f"not importable to {block['name']} on {result['on']}; eligible from {block['eligible_from']}"
    result["verdict"] = f"{kei_part}. {tail[0].upper()}{tail[1:]}."
    return result
