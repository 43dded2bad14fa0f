"""``check`` from raw input, as every interface receives it (CLI options, a web form, a JSON
body): a chassis code fills the specs not given from the catalog (the user's values win); a
state adds its rules; another country's import rules replace the US block."""

from __future__ import annotations

from typing import Any


def check_from_input(fields: dict[str, Any], *, on: Any = None, month_reading: Any = None,
                     state: str | None = None, registered: Any = None,
                     country: str | None = None) -> dict[str, Any]:
    """The JSON contract of ``keicar check --json``. ``fields``: built, body, length_mm,
    width_mm, height_mm, cc, stroke, ev_kw, make, model, chassis (raw strings or numbers)."""
    from keicar.answers.countries import check_country
    from keicar.inputs.vehicle import make_vehicle

    given, catalog_info = dict(fields), None
    if given.get("chassis"):
        from keicar.catalog import fill

        given, catalog_info = fill(given, given["chassis"], given.get("make"), given.get("model"))
    vehicle = make_vehicle(**given)
    if catalog_info:
        vehicle.filled_from_catalog = list(catalog_info["filled_from_catalog"])
    result = check_country(vehicle, on=on, country=country, month_reading=month_reading,
                           state=state, registered=registered)
    if catalog_info:
        result["vehicle"]["catalog"] = catalog_info
    return result
