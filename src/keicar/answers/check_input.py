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
        warnings = catalog_info.pop("warnings", [])
        result["vehicle"]["catalog"] = catalog_info
        if warnings:  # e.g. a build date outside the code's production window: never a silent verdict
            result["vehicle"]["warnings"] = result["vehicle"].get("warnings", []) + warnings
        ask_if_it_matters(result, catalog_info, given)
    return result


#: The answers a catalog range must not leave open: then the user is asked for the value.
DECIDING = ("kei.is_kei", "us.road_legal_import", "us.importable", "us.path")


def ask_if_it_matters(result: dict[str, Any], catalog_info: dict[str, Any], given: dict[str, Any]) -> None:
    """Raise an InputError (a one-line question naming the threshold) when a range the
    catalog filled in leaves one of the :data:`DECIDING` answers open."""
    from keicar.inputs.vehicle import InputError

    ranges = catalog_info.get("ranges") or {}
    for name in DECIDING:
        info = result.get("unknown", {}).get(name)
        if not info:
            continue
        for field in info["inputs"]:
            if field in ranges:
                why = next((r for r in info["reasons"] if field in r), info["reasons"][0])
                raise InputError(field, f"the catalog gives {ranges[field]} for {catalog_info['code']}, "
                                        f"and {name} depends on it ({why}); give --{field.replace('_', '-')} "
                                        f"from the vehicle's documents")
