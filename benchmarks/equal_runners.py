"""Do the two runners give the same answers? For random listings (random vehicles, states,
registration dates, dates asked per row, prices, transport modes), every variable of the
registry from the explainer (``keicar.engine.variables.trace``, what ``keicar check``
reads) against its column from ``keicar screen`` (the local engine), row by row.

    python benchmarks/equal_runners.py [--rows 10000] [--seed 1] [--spark]

Prints the rows and values compared, and every difference (exit 1 if there is one). With
``--spark`` the Spark engine's output (``keicar screen --engine spark``) is compared with the
explainer the same way (a local Spark session starts: about a minute more). Not a
benchmark: no timing. ``tests/test_batch_variables.py`` runs the same on 2,000 rows, and
``tests/test_spark.py`` on the Spark engine too.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import math
import random
import sys
import tempfile
from pathlib import Path

import polars as pl

from keicar.engine.parameters import default_law
from keicar.engine.variables import trace
from keicar.rules.registry import registry
from keicar.answers.state import state_codes
from keicar.inputs.vehicle import BODIES

TODAY = dt.date(2026, 11, 30)
#: What the screen is asked: the date per row (a column), the first registration per row.
OPTIONS = {"on_column": "asked", "registered_column": "registered", "today": TODAY}


def _day(rnd: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rnd.randint(0, (hi - lo).days))


def listings(n: int, seed: int = 1) -> tuple[list[dict], list[dict]]:
    """(rows as written to the file, as text; the same rows as the rules read them)."""
    rnd = random.Random(seed)
    codes = state_codes(default_law())
    written, read = [], []
    for _ in range(n):
        day = _day(rnd, dt.date(1950, 1, 1), dt.date(2026, 11, 1))
        month_only = rnd.random() < 0.4
        if month_only:
            start = day.replace(day=1)
            end = min(day.replace(day=calendar.monthrange(day.year, day.month)[1]), TODAY)
        else:
            start = end = day
        # dates asked: some near the 25-year and customs changes, most anywhere after the build
        asked = max(_day(rnd, dt.date(1990, 1, 31), dt.date(2045, 12, 31)), start)
        if rnd.random() < 0.2:
            asked = max(start, _day(rnd, dt.date(2025, 3, 1), dt.date(2026, 2, 1)))
        power = rnd.choice(["ice", "ice", "ice", "ev", "both"])
        cc = None if power == "ev" else rnd.choice([50, 240, 356, 360, 361, 550, 658, 660, 661, 1000])
        ev_kw = None if power == "ice" else rnd.choice([0.6, 1.0, 20.0, 47.0])
        state = rnd.choice([*codes, None]) if rnd.random() < 0.9 else None
        registered = _day(rnd, start, asked) if state and rnd.random() < 0.4 else None
        price = rnd.choice([None, 0.0, 950.5, 4000.0, 12345.67, 90000.0])
        freight = rnd.choice([None, 0.0, 1500.0, 2210.25])
        insurance = rnd.choice([None, 0.0, 80.0])
        mode = rnd.choice([None, "ocean", "air"])
        vehicle = {"body": rnd.choice(BODIES),
                   "length_mm": float(rnd.choice([2990, 3200, 3300, 3395, 3400, 3401, 3500])),
                   "width_mm": float(rnd.choice([1295, 1300, 1395, 1400, 1475, 1480, 1481])),
                   "height_mm": float(rnd.choice([1300, 1765, 2000, 2001])),
                   "cc": None if cc is None else float(cc), "stroke": rnd.choice([2, 4, 4, 4]),
                   "ev_kw": ev_kw}
        written.append({
            "built": start.strftime("%Y-%m") if month_only else start.isoformat(), **vehicle,
            "state": state.lower() if state and rnd.random() < 0.2 else state,
            "asked": asked.isoformat(), "registered": registered.isoformat() if registered else None,
            "price_usd": price, "freight_usd": freight, "insurance_usd": insurance, "mode": mode})
        read.append({
            **vehicle, "built_start": start, "built_end": end, "on": asked, "month_reading": None,
            "state": state, "registered": registered, "entry_date": asked, "price_usd": price,
            "freight_usd": freight, "insurance_usd": insurance, "mode": mode or "ocean",
            "broker_usd": None, "port_usd": None, "state_fees_usd": None})
    return written, read


def write(rows: list[dict], path: Path) -> None:
    pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}, strict=False).with_columns(
        pl.all().cast(pl.String)).write_csv(path)


def same(want, got) -> bool:
    """The explainer's value against a column's (dates as ISO text, numbers as numbers)."""
    if isinstance(want, list) and isinstance(got, list):  # a window: [earliest, latest]
        return len(want) == len(got) and all(same(w, g) for w, g in zip(want, got))
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return want == got
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(want, got, rel_tol=1e-12, abs_tol=1e-9)
    if isinstance(got, dt.date):
        got = got.isoformat()
    return want == got


def differences(read: list[dict], screened: pl.DataFrame, limit: int = 20) -> tuple[int, list[str]]:
    """(values compared, the first ``limit`` differences) between the explainer and the
    screened rows (``row`` numbers 1..)."""
    law = default_law()
    # every variable a listing file can feed (not, e.g., Japan's ownership costs, which need
    # a first registration date and a weight)
    # a window (a list of two dates) is a column only when asked for by name (api.select_variables)
    variables = [v for v in registry(law).select(have=("entry_date", "state", "price_usd"))
                 if v.value_type != "window"]
    by_row = {r["row"]: r for r in screened.iter_rows(named=True)}
    compared, diffs = 0, []
    for i, row in enumerate(read, start=1):
        got = by_row.get(i)
        if got is None:
            diffs.append(f"row {i}: not in the output")
            continue
        for v in variables:
            if v.column_name not in got:
                diffs.append(f"row {i}: no column {v.column_name}")
                continue
            if not set(v.needs) <= {"entry_date"} | {k for k in ("state", "price_usd") if row[k] is not None}:
                continue  # a state or price this row has not: the column is null or absent
            want = trace(law, row, v)["value"]
            compared += 1
            if not same(want, got[v.column_name]):
                diffs.append(f"row {i} {v.name}: explainer {want!r}, screen {got[v.column_name]!r} ({row})")
        if len(diffs) >= limit:
            break
    return compared, diffs


def main() -> int:
    from keicar.batch.run import screen_file

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--spark", action="store_true", help="compare the Spark engine's output too")
    args = ap.parse_args()
    written, read = listings(args.rows, args.seed)
    engines = [("screen", screen_file, lambda out: pl.read_parquet(out))]
    if args.spark:
        from keicar.spark import screen_file as spark_file

        engines.append(("spark", spark_file, lambda out: pl.read_parquet(str(out / "*.parquet"))))
    failed = False
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.csv"
        write(written, src)
        for name, run, read_out in engines:
            out = Path(d) / f"{name}.parquet"
            counts = run(src, out, **OPTIONS)
            compared, diffs = differences(read, read_out(out))
            print(f"{name}: {counts.read:,} rows: {counts.written:,} screened, {counts.rejected:,} rejected; "
                  f"{compared:,} values compared, {len(diffs)} differences")
            for line in diffs:
                print(line)
            failed = failed or bool(diffs or counts.rejected)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
