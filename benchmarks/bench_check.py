"""Benchmark of the rule runners, as ratios measured in one run (machines are noisy).

    python benchmarks/bench_check.py [--rows 10000000] [--sample 20000]

Measures, on the same synthetic vehicles:
- floor: a plain read of the input columns (one pass summing each), the least any runner
  must do;
- vectorized: every verdict column of ``keicar.api.screen_frame`` (the Polars runner);
- per-vehicle: ``keicar.api.check`` (the explaining runner) on a sample, extrapolated;
- CLI: ``keicar check --example`` from process start to exit, against ``python -c pass``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

from keicar.api import check, screen_frame
from keicar.inputs.vehicle import Vehicle

INPUTS = ["built_start", "built_end", "length_mm", "width_mm", "height_mm", "cc", "stroke", "ev_kw", "body"]


def synthetic(rows: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = (dt.date(1955, 1, 1) - dt.date(1970, 1, 1)).days
    end = (dt.date(2026, 11, 1) - dt.date(1970, 1, 1)).days
    built = rng.integers(start, end, rows, dtype=np.int32)
    month_only = rng.random(rows) < 0.3
    df = pl.DataFrame({
        "built": pl.Series(built).cast(pl.Date),
        "month_only": month_only,
        "length_mm": rng.normal(3300, 150, rows).round(),
        "width_mm": rng.normal(1420, 60, rows).round(),
        "height_mm": rng.normal(1700, 200, rows).round(),
        "cc": np.where(rng.random(rows) < 0.05, np.nan, rng.choice([356.0, 550.0, 657.0, 658.0, 660.0, 700.0], rows)),
        "stroke": rng.choice(np.array([2, 4], dtype=np.int8), rows, p=[0.1, 0.9]),
        "ev_kw": np.where(rng.random(rows) < 0.05, 20.0, np.nan),
        # stored as an Enum, as keicar writes Parquet; decoding strings is input parsing
        "body": pl.Series(rng.choice(["passenger", "truck", "van"], rows)).cast(pl.Enum(["passenger", "truck", "van"])),
    })
    return df.with_columns(
        pl.when(pl.col("month_only")).then(pl.col("built").dt.month_start()).otherwise(pl.col("built")).alias("built_start"),
        pl.when(pl.col("month_only")).then(pl.col("built").dt.month_end()).otherwise(pl.col("built")).alias("built_end"),
        pl.col("cc").fill_nan(None), pl.col("ev_kw").fill_nan(None),
    ).select(INPUTS)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    on = dt.date(2026, 11, 24)

    df = synthetic(args.rows)
    floor = best_of(lambda: df.select([pl.col(c).to_physical().cast(pl.Int64).sum() if c in ("built_start", "built_end", "stroke", "body")
                                       else pl.col(c).sum() for c in INPUTS]), args.repeat)
    plan = screen_frame(df, on=on)
    vector = best_of(lambda: plan.collect(), args.repeat)

    sample = df.head(args.sample).with_columns(pl.col("body").cast(pl.String)).to_dicts()
    vehicles = [Vehicle(built_precision="month" if r["built_start"] != r["built_end"] else "day", **r) for r in sample]
    t = time.perf_counter()
    for v in vehicles:
        check(v, on=on)
    per_vehicle = (time.perf_counter() - t) / len(vehicles) * args.rows

    def cli(argv):
        runs = []
        for _ in range(7):
            t = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    keicar = str(Path(sys.executable).with_name("keicar"))
    cli_check = cli([keicar, "check", "--example"])
    cli_bare = cli([sys.executable, "-c", "pass"])

    res = {
        "rows": args.rows,
        "floor_s": round(floor, 4),
        "vectorized_s": round(vector, 4),
        "vectorized_rows_per_s": round(args.rows / vector),
        "per_vehicle_s_extrapolated": round(per_vehicle, 1),
        "per_vehicle_rows_per_s": round(args.rows / per_vehicle),
        "vectorized_vs_floor": round(vector / floor, 1),
        "per_vehicle_vs_vectorized": round(per_vehicle / vector),
        "cli_check_ms": round(cli_check * 1000),
        "python_startup_ms": round(cli_bare * 1000),
    }
    print(json.dumps(res, indent=2))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
