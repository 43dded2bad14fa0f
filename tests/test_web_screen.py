"""POST /v1/screen: a small CSV or Parquet file screened by the batch code of `keicar screen`
(the same rows, variables, rejects and counts), bounded in bytes and rows, with errors as
`{"field", "error"}`; fuzzed so that no upload or option gives a 500."""

import io
import json

import polars as pl
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from keicar.batch.run import screen_file
from keicar.web.app import SCREEN_MAX_BYTES, SCREEN_MAX_ROWS, create_app

CSV = {"content-type": "text/csv"}
PARQUET = {"content-type": "application/vnd.apache.parquet"}
HEADER = "built,body,length_mm,width_mm,height_mm,cc,state\n"
GOOD = ["1999-05,truck,3395,1475,1765,658,TX", "1999-05,truck,3395,1475,1765,658,GA",
        "2010-05-20,truck,3395,1475,1765,658,ME", "1996-05,passenger,3295,1395,1500,658,"]
BAD = ["2099-01,truck,3395,1475,1765,658,TX", "1999-05,boat,3395,1475,1765,658,TX",
       "1999-05,truck,-1,1475,1765,658,TX", "1999-05,truck,3395,1475,1765,658,ZZ"]
TEXT = HEADER + "\n".join(GOOD + BAD) + "\n"


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def post(client, body, headers=CSV, **query):
    return client.post("/v1/screen", params=query, content=body, headers=headers)


def test_rows_rejects_and_counts_are_those_of_keicar_screen(client, tmp_path):
    res = post(client, TEXT.encode(), on="2026-11-30")
    assert res.status_code == 200, res.text
    got = res.json()
    assert got["counts"] == {"read": 8, "written": 4, "rejected": 4}
    assert len(got["rows"]) == 4 and len(got["rejects"]) == 4
    assert [r["row"] for r in got["rejects"]] == [5, 6, 7, 8]
    assert {r["field"] for r in got["reasons"]} == {"built", "body", "length_mm", "state"}
    assert sum(r["count"] for r in got["reasons"]) == 4
    # the same file through keicar screen's function gives the same rows and rejects
    src = tmp_path / "in.csv"
    src.write_text(TEXT)
    counts = screen_file(src, tmp_path / "out.parquet", tmp_path / "rej.parquet", on="2026-11-30")
    assert (counts.read, counts.written, counts.rejected) == (8, 4, 4)
    want = json.loads(pl.read_parquet(tmp_path / "out.parquet").write_json())
    assert got["columns"] == list(want[0])
    assert [r["us_path"] for r in got["rows"]] == [r["us_path"] for r in want]
    assert [r["papers_required"] for r in got["rows"]] == [r["papers_required"] for r in want]
    # every variable the columns allow: the state ones for a file with a state column
    by_state = {r["state"]: r for r in got["rows"]}
    assert by_state["GA"]["state_status"] == "prohibited" and "state_title" not in by_state["GA"]["papers_required"]
    assert by_state["TX"]["state_status"] == "unrestricted" and by_state["TX"]["papers_required"].endswith("state_title")
    assert by_state["ME"]["us_path"] == "off-road-only"
    assert by_state[None]["state_status"] is None  # no state on that row: the state verdicts are null


def test_options_as_query_fields(client):
    text = "built,body,length_mm,width_mm,height_mm,cc,price_jpy\n1999-05,truck,3395,1475,1765,658,600000\n"
    res = post(client, text.encode(), on="2026-11-30", state="GA", entry_date="2026-11-30", fx_jpy_per_usd="150",
               columns="us.path,papers.required,cost.landed_usd")
    assert res.status_code == 200, res.text
    row = res.json()["rows"][0]
    assert row["us_path"] == "25-year" and row["cost_landed_usd"] > 4000
    assert "state_title" not in row["papers_required"] and "kei_is_kei" not in row


def test_columns_renamed_and_units_as_the_cli_takes_them(client):
    text = "year,body,cc,length_mm,width_mm,height_mm\n1999-05,truck,658,339.5,147.5,176.5\n"
    res = client.post("/v1/screen", params=[("map", "year=built"), ("units", "dimensions=cm"), ("on", "2026-11-30")],
                      content=text.encode(), headers=CSV)
    assert res.status_code == 200, res.text
    row = res.json()["rows"][0]
    assert row["length_mm"] == 3395 and row["kei_is_kei"] is True


def test_a_parquet_upload_and_octet_stream(client):
    frame = pl.DataFrame({"built": ["1999-05", "1999-05-20"], "body": ["van", "bus"], "length_mm": [3395, 3395],
                          "width_mm": [1475, 1475], "height_mm": [1900, 1900], "cc": [658, 658]})
    buf = io.BytesIO()
    frame.write_parquet(buf)
    for headers in (PARQUET, {"content-type": "application/octet-stream"}):
        got = post(client, buf.getvalue(), headers, on="2026-11-30").json()
        assert got["counts"] == {"read": 2, "written": 1, "rejected": 1}, got
        assert got["rows"][0]["kei_is_kei"] is True and got["rejects"][0]["field"] == "body"
    assert post(client, TEXT.encode(), {"content-type": "application/octet-stream"}).json()["counts"]["read"] == 8


def test_size_and_row_limits_are_413(client):
    rows = HEADER + (GOOD[0] + "\n") * SCREEN_MAX_ROWS
    assert post(client, rows.encode(), on="2026-11-30").json()["counts"]["read"] == SCREEN_MAX_ROWS
    res = post(client, (rows + GOOD[0] + "\n").encode())
    assert res.status_code == 413 and res.json()["field"] == "request_body", res.text
    assert "10,001 rows" in res.json()["error"]
    res = post(client, b"x" * (SCREEN_MAX_BYTES + 1))
    assert res.status_code == 413 and set(res.json()) == {"field", "error"}


@pytest.mark.parametrize("body, headers, query, status, field", [
    (TEXT.encode(), {"content-type": "application/json"}, {}, 415, "content-type"),
    (TEXT.encode(), {}, {}, 415, "content-type"),
    (b"", CSV, {}, 422, "request_body"),
    (b"PAR1 not really", PARQUET, {}, 422, "request_body"),
    (b"\x00\x01\x02binary", CSV, {}, 422, "request_body"),
    (TEXT.encode(), CSV, {"state": "TX"}, 422, "state"),          # the file has a state column
    (TEXT.encode(), CSV, {"on": "2026-02-30"}, 422, "on"),
    (TEXT.encode(), CSV, {"columns": "no.such"}, 422, "columns"),
    (TEXT.encode(), CSV, {"fx_jpy_per_usd": "150"}, 422, "fx_jpy_per_usd"),
    (TEXT.encode(), CSV, {"on_column": "when"}, 422, "on_column"),
    (b"body,cc\ntruck,658\n", CSV, {}, 422, "map"),          # no built column: name one with map
    (TEXT.encode(), CSV, {"units": "length=10"}, 422, "units"),
])
def test_bad_uploads_and_options_name_the_field(client, body, headers, query, status, field):
    res = post(client, body, headers, **query)
    assert res.status_code == status, res.text
    data = res.json()
    assert data["field"] == field and data["error"].startswith(f"{field}: ") and "\n" not in data["error"]
    assert "--" not in data["error"], data  # query names, not the CLI's options


# ---------------------------------------------------------------- fuzz: never a 500

CELLS = st.one_of(st.sampled_from(["1999-05", "1999-05-20", "2099-01", "truck", "van", "passenger", "658", "3395",
                                   "-1", "1e309", "nan", "", "TX", "Georgia", "ZZ", '"', "a,b", "\u00e9", "0"]),
                  st.text(max_size=8))
OPTIONS = st.fixed_dictionaries({}, optional={
    "on": st.sampled_from(["2026-11-30", "1990-01-01", "1800-01-01", "x", ""]),
    "state": st.sampled_from(["TX", "ga", "Georgia", "ZZ", ""]),
    "entry_date": st.sampled_from(["2026-11-30", "2001-01-01", "bad"]),
    "fx_jpy_per_usd": st.sampled_from(["150", "0", "-1", "inf", "x"]),
    "columns": st.sampled_from(["us.path", "state.status", "cost.landed_usd", "x", ","]),
    "month_reading": st.sampled_from(["start", "end", "middle"]),
    "on_column": st.sampled_from(["built", "state", "zz"]),
    "registered_column": st.sampled_from(["built", "zz"]),
})


@st.composite
def uploads(draw):
    names = draw(st.lists(st.sampled_from(["built", "body", "length_mm", "width_mm", "height_mm", "cc", "stroke",
                                           "ev_kw", "state", "registered", "price_usd", "price_jpy", "row", "x",
                                           "kei_is_kei", ""]), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELLS, min_size=len(names) - 1, max_size=len(names) + 1), max_size=5))
    text = "\n".join([",".join(names)] + [",".join(r) for r in rows])
    return text.encode("utf-8") if draw(st.booleans()) else draw(st.binary(max_size=64))


@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=uploads(), query=OPTIONS, kind=st.sampled_from(["text/csv", "application/octet-stream",
                                                            "application/vnd.apache.parquet"]))
def test_fuzzed_uploads_never_give_a_server_error(client, body, query, kind):
    res = client.post("/v1/screen", params=query, content=body, headers={"content-type": kind})
    assert res.status_code in (200, 413, 422), (res.status_code, res.text)
    data = res.json()
    if res.status_code == 200:
        counts = data["counts"]
        assert counts["read"] == counts["written"] + counts["rejected"]
        assert len(data["rows"]) == counts["written"] and len(data["rejects"]) == counts["rejected"]
    else:
        assert set(data) == {"field", "error"} and data["error"].startswith(f"{data['field']}: "), data


def test_schemathesis_on_the_screen_operation_never_a_server_error():
    import schemathesis
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app()).include(path="/v1/screen")
    tried = 0

    @settings(max_examples=30, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=schema.as_strategy())
    def run(case):
        nonlocal tried
        tried += 1
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code < 500

    run()
    assert tried >= 10
