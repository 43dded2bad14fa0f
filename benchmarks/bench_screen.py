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

With ``--catalog-fill``: the cost of the catalog fill (the sample's ``chassis``, ``make`` and
``model`` columns normalised, resolved and joined: ``keicar.batch.catalog_fill``), as the
ratio of the screen of the sample to the screen of the same file without those three
columns, end to end and in memory, measured in the same run.
``--variants text dealer`` repeats the file-level figures (floor, screen, validation) on the
same rows written as text: ``text`` (every column a string in the plain form: ISO dates, plain
numbers), ``dealer`` (as dealers write them: ``1999/02``, ``02/1999``, ``Feb-1999``, ``1999``,
``H11/2``; ``3,395 mm``, ``660cc``; ``Kei Truck``; keicar.inputs.formats).
"""

from __future__ import annotations

import argparse
import datetime as dt
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


def variant(src: Path, kind: str) -> Path:
    """The sample's rows written as ``kind`` (text or dealer), beside it."""
    dst = src.with_name(f"{src.stem}-{kind}.parquet")
    if dst.exists():
        return dst
    lf = pl.scan_parquet(src)
    nums = ("length_mm", "width_mm", "height_mm", "cc", "ev_kw")
    text = [pl.col(c).cast(pl.Int64 if c != "ev_kw" else pl.Float64).cast(pl.String) for c in nums]
    lf = lf.with_columns(*text, pl.col("stroke").cast(pl.String))
    if kind == "dealer":
        day = pl.col("built").str.to_date("%Y-%m-%d", strict=False)
        month = pl.coalesce(day, pl.col("built").str.to_date("%Y-%m", strict=False))
        y, m = month.dt.year(), month.dt.month().cast(pl.String)
        era = (pl.when(month >= dt.date(2019, 5, 1)).then(pl.format("R{}/{}", y - 2018, m))
               .when(month >= dt.date(1989, 2, 1)).then(pl.format("H{}/{}", y - 1988, m))
               .otherwise(pl.format("S{}/{}", y - 1925, m)))
        pick = pl.col("listing_id") % 7
        built = (pl.when(month.is_null()).then(pl.col("built"))
                 .when(pick == 0).then(month.dt.strftime("%Y/%m"))
                 .when(pick == 1).then(month.dt.strftime("%m/%Y"))
                 .when(pick == 2).then(month.dt.strftime("%b-%Y"))
                 .when(pick == 3).then(era)
                 .when(pick == 4).then(y.cast(pl.String))
                 .otherwise(pl.col("built")))
        body = pl.col("body").replace({"truck": "Kei Truck", "van": "panel van", "passenger": "Passenger"})
        comma = lambda c: pl.when(pl.col(c).str.len_bytes() == 4).then(  # noqa: E731
            pl.col(c).str.slice(0, 1) + "," + pl.col(c).str.slice(1)).otherwise(pl.col(c))
        lf = lf.with_columns(built=built, body=body, length_mm=comma("length_mm") + " mm",
                             width_mm=comma("width_mm") + "mm", cc=pl.col("cc") + "cc")
    lf.sink_parquet(dst)
    return dst


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
    ap.add_argument("--catalog-fill", action="store_true",
                    help="also screen the file without its chassis, make and model columns: the fill's cost as ratios")
    ap.add_argument("--variants", nargs="*", default=[], choices=["text", "dealer"])
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
        if args.catalog_fill:
            res.update(catalog_fill_cost(src, keicar, args.dir, n))
        results.append(res)
        print(json.dumps(res), flush=True)
        for kind in args.variants:  # the same rows written as text: file-level figures and validation
            path = variant(src, kind)
            f_s, _ = timed([sys.executable, "-c", FLOOR, str(path)])
            s_s, s_mib = timed([keicar, "screen", str(path), "--out", str(args.dir / "out.parquet"), "--on", ON])
            row = {"rows": n, "variant": kind, "floor_s": round(f_s, 2), "screen_s": round(s_s, 2),
                   "screen_rows_per_s": round(n / s_s), "screen_vs_floor": round(s_s / f_s, 1),
                   "screen_peak_mib": round(s_mib)}
            if n <= 20_000_000:
                df = pl.read_parquet(path).with_row_index("row", offset=1)
                job = Job.make(df.drop("row").schema, on=ON)
                t = time.perf_counter()
                job.checked(df.lazy()).collect()
                row["validate_rows_per_s"] = round(n / (time.perf_counter() - t))
                del df
            results.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def catalog_fill_cost(src: Path, keicar: str, folder: Path, n: int) -> dict:
    """The screen with and without the catalog's key columns, alternated (noise), best of 2."""
    bare = folder / f"{src.stem}-no-chassis.parquet"
    if not bare.exists():
        pl.scan_parquet(src).drop("chassis", "make", "model").sink_parquet(bare)
    ends: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(2):
        for key, path in (("with", src), ("without", bare)):
            ends[key].append(timed([keicar, "screen", str(path), "--out", str(folder / "out.parquet"), "--on", ON])[0])
    out = {"catalog_fill_end_to_end_s": round(min(ends["with"]), 2),
           "no_chassis_end_to_end_s": round(min(ends["without"]), 2),
           "catalog_fill_end_to_end_ratio": round(min(ends["with"]) / min(ends["without"]), 2)}
    if n <= 20_000_000:
        mem: dict[str, list[float]] = {"with": [], "without": []}
        frames = {"with": pl.read_parquet(src), "without": pl.read_parquet(bare)}
        jobs = {k: Job.make(df.schema, on=ON) for k, df in frames.items()}
        frames = {k: df.with_row_index("row", offset=1) for k, df in frames.items()}
        for _ in range(2):
            for key in ("with", "without"):
                t = time.perf_counter()
                jobs[key].frames(frames[key])
                mem[key].append(time.perf_counter() - t)
        out.update(catalog_fill_in_memory_rows_per_s=round(n / min(mem["with"])),
                   no_chassis_in_memory_rows_per_s=round(n / min(mem["without"])),
                   catalog_fill_in_memory_ratio=round(min(mem["with"]) / min(mem["without"]), 2))
    return out


if __name__ == "__main__":
    main()
