"""Benchmark of ``keicar screen`` on sample listings, as ratios measured in one run.

    python benchmarks/bench_screen.py [--rows 10000000 50000000] [--dir /tmp/keicar-bench]

For each size, on a Parquet file from ``keicar sample`` (1% bad rows):
- floor: a child process reading the same columns (streaming, one aggregate per column);
- screen: ``keicar screen IN --out OUT.parquet`` in a child process (validate, every
  variable's column the file allows: with the sample's ``state`` column, the state columns
  too; write both files), wall time and peak RSS;
- in memory, on the table already in memory: validation of the raw columns alone (text
  dates, bodies, states: ``Job.checked``), the verdicts alone on the typed valid rows (the
  variables' compiled columns, ``keicar.batch.run.verdicts``), and both (``Job.frames``);
- per-vehicle: ``keicar.api.check`` on a sample of rows, extrapolated.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from keicar.api import check
from keicar.batch import validate as V
from keicar.batch.run import Job, verdicts
from keicar.batch.sample import write_sample
from keicar.inputs.vehicle import InputError, make_vehicle

ON = "2026-11-24"
FLOOR = """
import sys, polars as pl
lf = pl.scan_parquet(sys.argv[1])
cols = lf.collect_schema()
lf.select([pl.col(c).str.len_bytes().sum() if cols[c] == pl.String else pl.col(c).cast(pl.Float64).sum()
           for c in cols]).collect(engine="streaming")
"""


def timed(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of a child process, from /usr/bin/time."""
    t = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], capture_output=True, text=True, check=True)
    return time.perf_counter() - t, int(run.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000_000])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/keicar-bench"))
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    keicar = str(Path(sys.executable).with_name("keicar"))
    results = []
    for n in args.rows:
        src = args.dir / f"sample-{n}.parquet"
        if not src.exists():
            write_sample(src, rows=n, seed=1)
        floor_s, floor_mib = timed([sys.executable, "-c", FLOOR, str(src)])
        screen_s, screen_mib = timed([keicar, "screen", str(src), "--out", str(args.dir / "out.parquet"),
                                      "--on", ON])
        res = {"rows": n, "floor_s": round(floor_s, 2), "screen_s": round(screen_s, 2),
               "screen_rows_per_s": round(n / screen_s), "screen_vs_floor": round(screen_s / floor_s, 1),
               "screen_peak_mib": round(screen_mib), "floor_peak_mib": round(floor_mib)}
        if n <= 20_000_000:  # the whole table in memory
            df = pl.read_parquet(src).with_row_index("row", offset=1)
            job = Job.make(df.drop("row").schema, on=ON)
            t = time.perf_counter()
            checked = job.checked(df.lazy()).collect()
            res["validate_rows_per_s"] = round(n / (time.perf_counter() - t))
            valid = V.valid_rows(checked.lazy(), job.plan).collect()
            del checked
            query = verdicts(valid.lazy(), job)
            query.collect_schema()  # compiled before the clock starts
            t = time.perf_counter()
            query.collect()
            res["verdicts_rows_per_s"] = round(valid.height / (time.perf_counter() - t))
            del valid
            t = time.perf_counter()
            job.frames(df)
            mem_s = time.perf_counter() - t
            res["in_memory_rows_per_s"] = round(n / mem_s)
            rows = df.head(args.sample).drop("row", "listing_id", "make", "model", "chassis", "state").to_dicts()
            t = time.perf_counter()
            for r in rows:
                try:
                    check(make_vehicle(**r), on=ON)
                except InputError:
                    pass
            per_vehicle = (time.perf_counter() - t) / len(rows) * n
            res["per_vehicle_s_extrapolated"] = round(per_vehicle)
            res["per_vehicle_vs_screen"] = round(per_vehicle / screen_s)
            del df
        results.append(res)
        print(json.dumps(res), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
