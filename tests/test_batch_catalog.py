"""Catalog fill in a screen: the chassis column read as check --chassis reads it (prefix,
serial, family suffix), the same values filled, ranges not guessed, every row counted, the
production-window flag at its boundaries."""

import subprocess
import sys

import polars as pl
import pytest

from keicar import catalog
from keicar.batch.catalog_fill import code_of
from keicar.batch.run import screen_file

ON = "2026-11-30"


def python_code(raw):
    try:
        code = catalog.normalize_code(raw)[0]
    except Exception:
        return None
    return code if code in catalog.code_index() else None


def test_the_vectorised_reading_of_a_chassis_text_is_normalize_code():
    codes = sorted(c for c in catalog.code_index() if c)
    raws = [None, "", "  ", "ABCD-DA63T", "DA63X", "DA52TX", "DA52T--123456", "DA52T-12", "DA52T123",
            "EBD-ABA-X-DA63T", "A-B-C-D-DA63T", "A-B-C-D-E-F-G-H-DA63T", "DA63T-123456-7", "-DA63T", "DA63T-", "ＤＡ６３Ｔ", "da63t－123456"]
    for i, c in enumerate(codes):
        raws += [c, c.lower(), f" {c} ", f"EBD-{c}", f"V-{c}-{100000 + i}", f"{c}{1000 + i}", f"3BD-{c}{123456}",
                 f"{c}W", f"{c}W-{123456}", f"ABA-{c}V{77777}"]
    got = pl.DataFrame({"raw": raws}, schema={"raw": pl.String}).select(code_of(pl.col("raw"))).to_series().to_list()
    wrong = [(r, g, python_code(r)) for r, g in zip(raws, got) if g != python_code(r)]
    assert not wrong, wrong[:10]


def screen(tmp_path, text, *extra):
    src = tmp_path / "in.csv"
    src.write_text(text)
    out = tmp_path / "out.csv"
    counts = screen_file(src, out, on=ON, mapping=list(extra) or None)
    written, rejects = pl.read_csv(out, infer_schema=False), pl.read_csv(tmp_path / "out.rejects.csv", infer_schema=False)
    assert counts.read == counts.written + counts.rejected == written.height + rejects.height
    rows = sorted(int(r) for r in written["row"].to_list() + rejects["row"].to_list())
    assert rows == list(range(1, counts.read + 1))  # every row in one file, once
    return {int(r["row"]): r for r in written.to_dicts()}, {int(r["row"]): r for r in rejects.to_dicts()}


LISTING = """id,chassis,built,body,length_mm,width_mm,height_mm,cc
1,EBD-DA63T-123456,2001-03,,,,1765,658
2,da63t,2001-03,,3390,,1765,658
3,JB23W-100000,2001-03,,,,1700,
4,DA63T,2001-03,,,,,658
5,XYZ999,2001-03,truck,3395,1475,1765,658
6,XYZ999,2001-03,truck,,1475,1765,658
7,L40,1970-03,,,,,
8,,2001-03,truck,3395,1475,1765,658
9,DA63T123456,2001-03,truck,3395,1475,1765,658
"""


def test_fill_from_a_chassis_column(tmp_path):
    written, rejects = screen(tmp_path, LISTING)
    one = written[1]
    assert (one["catalog_code"], one["catalog_make"], one["catalog_model"]) == ("DA63T", "Suzuki", "Carry")
    assert one["catalog_generation"] == "Suzuki Carry (generation 10)"
    assert one["filled_from_catalog"] == "length_mm,width_mm,stroke,body"
    assert (float(one["length_mm"]), float(one["width_mm"]), one["body"]) == (3395, 1475, "truck")
    assert float(written[2]["length_mm"]) == 3390  # the row's value wins
    assert written[2]["filled_from_catalog"] == "width_mm,stroke,body"
    assert written[3]["catalog_code"] == "JB23" and written[3]["filled_from_catalog"] == "length_mm,width_mm,cc,stroke,body"
    assert written[9]["catalog_code"] == "DA63T" and written[9]["filled_from_catalog"] == "stroke"
    # the same values as check --chassis fills
    for row, given in ((1, {"height_mm": 1765, "cc": 658}), (3, {"height_mm": 1700})):
        filled, _ = catalog.fill({"built": "2001-03", **given}, written[row]["chassis"])
        for f in ("length_mm", "width_mm", "height_mm", "cc"):
            assert float(written[row][f]) == filled[f], (row, f)
    # a range fills in as a set: every height in 1755-1800 mm is kei, so the answer is definite
    four = written[4]
    assert four["height_mm"] is None and four["input_sets"] == "height_mm 1755-1800"
    assert four["filled_from_catalog"].startswith("length_mm,width_mm,height_mm")
    assert four["kei_is_kei"] == "true" and four["unknown_because"] is None
    # an unknown code fills nothing: screened when the row is complete, a reject naming the code otherwise
    assert written[5]["catalog_code"] is None and "'XYZ999' is not in the catalog" in written[5]["catalog_note"]
    assert rejects[6]["field"] == "chassis" and "'XYZ999' is not in the catalog" in rejects[6]["reason"]
    # a code several makes share, without a make: a reject naming the make
    assert rejects[7]["field"] == "chassis" and "several makes" in rejects[7]["reason"]
    # no chassis: nothing from the catalog
    assert written[8]["catalog_code"] is None and written[8]["catalog_note"] is None
    assert written[8]["filled_from_catalog"] is None


def test_a_make_column_picks_a_shared_codes_maker_and_a_reason_names_the_body(tmp_path):
    _, rejects = screen(tmp_path, "chassis,make,built\nL40,suzuki,1970-03\nL40,Honda,1970-03\n")
    assert rejects[1]["field"] == "body" and "is listed as truck or van" in rejects[1]["reason"]
    assert "is not listed for 'Honda'" in rejects[2]["reason"]


def test_make_model_and_build_date_without_a_chassis(tmp_path):
    written, rejects = screen(tmp_path, "make,model,built,height_mm\nHonda,Acty Truck,2003-01,1800\n"
                                        "Honda,Acty Truck,1950-01,1800\nHonda,Acty,2003-01,1800\n")
    assert written[1]["catalog_generation"] == "Honda Acty Truck (generation 3)"
    assert written[1]["filled_from_catalog"] == "length_mm,width_mm,cc,stroke,body"
    assert rejects[2]["field"] == "model" and "no catalog generation matches" in rejects[2]["reason"]
    assert rejects[3]["field"] in ("length_mm", "body")  # truck and van rows differ: asked, not guessed


@pytest.mark.parametrize("built,outside", [("1998-12-31", "true"), ("1999-01-01", "false"), ("1998-12", "true"),
                                           ("1999-01", "false"), ("2013-09-30", "false"), ("2013-10-01", "true")])
def test_build_date_outside_the_production_window_is_flagged(tmp_path, built, outside):
    written, _ = screen(tmp_path, f"chassis,built,height_mm,cc\nDA52T,{built},1765,658\n")
    assert written[1]["catalog_build_outside_production"] == outside
    r = catalog._built_warning(list(catalog.code_index()["DA52T"]), "DA52T", built)
    assert (r is not None) == (outside == "true")  # the same answer as check --chassis


def test_map_names_the_chassis_column_on_the_command_line(tmp_path):
    src = tmp_path / "dealer.csv"
    src.write_text("Stock #,Chassis No.,Year,Height\n1,EBD-DA63T-123456,2001-03,1765\n")
    p = subprocess.run([sys.executable, "-m", "keicar", "screen", str(src), "--out", str(tmp_path / "o.csv"),
                        "--map", "Chassis No.=chassis", "--map", "Year=built", "--map", "Height=height_mm",
                        "--on", ON], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    out = pl.read_csv(tmp_path / "o.csv", infer_schema=False)
    rej = pl.read_csv(tmp_path / "o.rejects.csv", infer_schema=False)
    assert rej.height == 0 and out["input_sets"][0] == "cc 657-658"  # the catalog's alternatives, as a set
    assert (out["catalog_model"][0], out["kei_is_kei"][0], out["height_mm"][0]) == ("Carry", "true", "1765.0")


def test_an_input_column_named_like_an_added_one_is_refused_not_mixed(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("chassis,built,height_mm,cc,catalog_make\nDA63T,2001-03,1765,658,mine\n")
    with pytest.raises(Exception) as err:
        screen_file(src, tmp_path / "o.csv", on=ON)
    assert "catalog_make" in str(err.value)
