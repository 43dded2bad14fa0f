"""`keicar check` with inputs known only as sets (issue 12): the catalog's ranges fill in as
sets and the answer comes without asking; a range that changes an answer is asked for."""

import json

import pytest
from typer.testing import CliRunner

from keicar.answers.check_input import check_from_input
from keicar.cli.main import app
from keicar.inputs.vehicle import InputError

ON = "2026-11-30"


def test_chassis_with_catalog_ranges_answers_without_asking():
    r = CliRunner().invoke(app, ["check", "--chassis", "DA52T", "--built", "1999-02", "--on", ON, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["kei"]["is_kei"] is True and out["us"]["road_legal_import"] is True
    assert out["vehicle"]["catalog"]["ranges"] == {"height_mm": "1755-1800", "cc": "657|658"}
    assert out["vehicle"]["height_mm"] == [1755, 1800] and out["vehicle"]["cc"] == [657, 658]
    assert "unknown" not in out or "kei.is_kei" not in out["unknown"]


def test_a_build_year_gives_the_eligibility_window_and_a_definite_answer():
    out = check_from_input({"chassis": "DA52T", "built": "1999"}, on=ON)
    assert out["us"]["nhtsa_eligible_window"] == ["2024-01-01", "2024-12-31"]
    assert out["us"]["nhtsa_eligible_from"] == "2024-12-31"
    assert out["us"]["importable"] is True and out["variables"]["us.importable"] is True


def test_a_window_straddling_the_date_asked_is_open_with_the_reason():
    out = check_from_input({"chassis": "DA52T", "built": "2001", "body": "truck"}, on="2026-06-30")
    assert out["us"]["road_legal_import"] is None and out["variables"]["us.road_legal_import"] is None
    why = out["unknown"]["us.road_legal_import"]
    assert why["inputs"] == ["built_end", "built_start"]
    assert "≥ 25" in why["reasons"][0] and "24–25" in why["reasons"][0]
    assert "open" in out["verdict"]


def test_a_catalog_range_that_changes_the_answer_is_asked_for(monkeypatch):
    import keicar.catalog as catalog

    real = catalog.fill

    def wide(given, chassis, make=None, model=None):
        out, info = real(given, chassis, make, model)
        if given.get("height_mm") in (None, ""):
            out["height_mm"] = "1755-2100"
            info["ranges"] = {**info["ranges"], "height_mm": "1755-2100"}
        return out, info

    monkeypatch.setattr(catalog, "fill", wide)
    with pytest.raises(InputError) as err:
        check_from_input({"chassis": "DA52T", "built": "1999-02"}, on=ON)
    assert err.value.field == "height_mm"
    assert "≤ 2000" in str(err.value) and "1755-2100" in str(err.value) and "\n" not in str(err.value)
    # given from the documents, the question goes away
    out = check_from_input({"chassis": "DA52T", "built": "1999-02", "height_mm": "1800"}, on=ON)
    assert out["kei"]["is_kei"] is True


@pytest.mark.parametrize("built,message", [
    ("2000..1999", "ends before it starts"), ("1999..x", "not a build window"), ("19999", "or a range of them (1998-12..1999-03)"),
])
def test_bad_build_windows_are_one_line_errors(built, message):
    with pytest.raises(InputError) as err:
        check_from_input({"built": built, "body": "truck", "length_mm": "3395", "width_mm": "1475",
                          "height_mm": "1765", "cc": "658"}, on=ON)
    assert err.value.field == "built" and message in str(err.value) and "\n" not in str(err.value)


def test_a_reversed_range_is_refused():
    with pytest.raises(InputError) as err:
        check_from_input({"built": "1999-05", "body": "truck", "length_mm": "3395", "width_mm": "1475",
                          "height_mm": "1800-1700", "cc": "658"}, on=ON)
    assert err.value.field == "height_mm" and "1700-1800" in str(err.value)
