"""Benchmark of the rule runners, as ratios measured in one run (machines are noisy).

    python benchmarks/bench_check.py [--rows 10000000] [--sample 20000]

Measures, on the same synthetic vehicles:
- floor: a plain read of the input columns (one pass summing each), the least any runner
  must do;
- vectorized: every verdict column of ``keicar.api.screen_frame`` (the Polars runner);
- compile: the first ``screen_frame`` of every variable in the process (it builds the date
  tables), seconds;
- first wave: the same runner on the variables the first wave's benchmark computed
  (``FIRST_WAVE``), so that today's figure compares with the one issue #11 quotes;
- per-vehicle: ``keicar.api.check`` (the explaining runner) on a sample, extrapolated;
- CLI: ``keicar check --example`` from process start to exit, against ``python -c pass`` and
  against importing typer and rich alone (the floor of a command that uses them):
  the installed command as it is (its bytecode compiled or not), and a copy of the package
  in ``--dir`` compiled first (``compileall``), as an installed wheel runs; each with the law
  cache warm, wall and CPU (user + system) milliseconds, median of 7; ``--cli-only`` measures
  only this;
- with ``--state``: the vectorized runner again with a ``state`` column (random codes, as
  an Enum), so the state columns too;
- with ``--set-rows N``: the first N vehicles given as sets (half of them a height range of
  ±25 mm, engine alternatives, build windows of a year; the rest one value each) against the
  same N vehicles given exactly, both through ``screen_frame`` (``sets=``): the cost of set
  inputs as a ratio;
- with ``--memory-rows N``: peak RSS of a child process that streams N synthetic rows from
  Parquet through every variable to Parquet (``sink_parquet``), against a child that only
  streams the read (the same file, summed).

CPU seconds (all threads) are reported next to wall seconds: on a shared machine they move
less with other jobs.
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

#: The verdicts the first wave's screen computed (kei, regime, failed checks, kei today, the
#: NHTSA and EPA dates, the import path, importable): issue #11's 27.6M vehicles/s and 9.2x.
FIRST_WAVE = ["kei.is_kei", "kei.regime", "kei.failed", "kei.is_kei_today", "us.nhtsa_eligible_from",
              "us.epa_eligible_from", "us.path", "us.importable"]
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


def best_of(fn, repeat: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return min(times)


def with_states(df: pl.DataFrame, seed: int = 11) -> pl.DataFrame:
    from keicar.engine.parameters import default_law
    from keicar.answers.state import state_codes

    codes = list(state_codes(default_law()))
    rng = np.random.default_rng(seed)
    return df.with_columns(state=pl.Series(rng.choice(codes, df.height)).cast(pl.Enum(codes)))


STREAM = """
import resource, sys, datetime as dt, polars as pl
from keicar.api import screen_frame
src, out, mode = sys.argv[1:4]
lf = pl.scan_parquet(src)
if mode == "read":
    lf.select(pl.all().to_physical().cast(pl.Float64).sum()).collect(engine="streaming")
else:
    screen_frame(lf, on=dt.date(2026, 11, 24)).sink_parquet(out)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


SET_INPUTS = ("built_start", "built_end", "length_mm", "width_mm", "height_mm", "cc", "ev_kw")


def as_sets(df: pl.DataFrame, seed: int = 13) -> pl.DataFrame:
    """The vehicles as sets (``<input>_lo``/``_hi``): about half the rows uncertain."""
    rng = np.random.default_rng(seed)
    wide = pl.Series(rng.random(df.height) < 0.5)
    year = [pl.date(pl.col("built_start").dt.year(), 1, 1), pl.date(pl.col("built_start").dt.year(), 12, 31)]
    spread = {"height_mm": (-25, 25), "cc": (-1, 0)}
    cols = []
    for c in SET_INPUTS:
        # a build year is a set of days for both build dates
        a, b = year if c.startswith("built") else [pl.col(c) + d for d in spread.get(c, (0, 0))]
        lo, hi = (pl.when(wide).then(x).otherwise(pl.col(c)) for x in (a, b))
        cols += [lo.alias(f"{c}_lo"), hi.alias(f"{c}_hi")]
    return df.with_columns(cols).drop(*SET_INPUTS)


def set_cost(df: pl.DataFrame, on: dt.date, repeat: int) -> dict:
    """Seconds of every variable over the same rows given exactly and as sets."""
    exact = screen_frame(df, on=on)
    exact.collect_schema()
    exact_s = best_of(lambda: exact.collect(), repeat)
    sets = screen_frame(as_sets(df), on=on, sets=SET_INPUTS)
    sets.collect_schema()
    sets_s = best_of(lambda: sets.collect(), repeat)
    return {"set_rows": df.height, "set_exact_s": round(exact_s, 4), "set_sets_s": round(sets_s, 4),
            "sets_vs_exact": round(sets_s / exact_s, 1)}


def streamed(rows: int, workdir: Path) -> dict:
    """Peak RSS (MiB) and wall seconds of streaming ``rows`` rows through every variable, and
    of streaming the plain read of the same file."""
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / f"synthetic-{rows}.parquet"
    if not src.exists():
        synthetic(rows).write_parquet(src)
    out = {}
    for mode in ("read", "variables"):
        t = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", STREAM, str(src), str(workdir / "out.parquet"), mode],
                             check=True, capture_output=True, text=True)
        out[f"stream_{mode}_s"] = round(time.perf_counter() - t, 2)
        out[f"stream_{mode}_peak_mib"] = round(int(run.stdout.split()[-1]) / 1024)
    (workdir / "out.parquet").unlink(missing_ok=True)
    return out


def timed(argv: list[str], env: dict | None = None, runs: int = 7) -> tuple[float, float]:
    """Median wall and median CPU (user + system of the child) seconds of running ``argv``."""
    import resource

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    walls, cpus = [], []
    for _ in range(runs):
        c, t = cpu(), time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - t)
        cpus.append(cpu() - c)
    return statistics.median(walls), statistics.median(cpus)


def cli_times(workdir: Path) -> dict:
    """``keicar check --example`` as installed, and from a compiled copy of the package."""
    import compileall
    import os
    import shutil
    import tempfile

    import keicar

    workdir.mkdir(parents=True, exist_ok=True)
    out = {}
    bare, bare_cpu = timed([sys.executable, "-c", "pass"])
    # what the command's libraries cost before keicar does anything: its floor
    libraries, libraries_cpu = timed([sys.executable, "-c", "import typer, rich.console, rich.table"])
    keicar_cmd = str(Path(sys.executable).with_name("keicar"))
    subprocess.run([keicar_cmd, "check", "--example"], check=True, stdout=subprocess.DEVNULL)  # the law cache
    installed, installed_cpu = timed([keicar_cmd, "check", "--example"])
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        shutil.copytree(Path(keicar.__file__).parent, Path(tmp) / "keicar",
                        ignore=shutil.ignore_patterns("__pycache__"))
        compileall.compile_dir(Path(tmp) / "keicar", quiet=1)
        env = {**os.environ, "PYTHONPATH": tmp, "KEICAR_CACHE_DIR": str(Path(tmp) / "cache")}
        argv = [sys.executable, "-m", "keicar", "check", "--example"]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        compiled, compiled_cpu = timed(argv, env)
    out.update(cli_check_ms=round(installed * 1000), cli_check_cpu_ms=round(installed_cpu * 1000),
               cli_check_compiled_ms=round(compiled * 1000), cli_check_compiled_cpu_ms=round(compiled_cpu * 1000),
               python_startup_ms=round(bare * 1000), python_startup_cpu_ms=round(bare_cpu * 1000),
               typer_rich_import_ms=round(libraries * 1000), typer_rich_import_cpu_ms=round(libraries_cpu * 1000),
               cli_check_compiled_vs_python=round(compiled / bare, 1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--state", action="store_true", help="also time the state columns")
    ap.add_argument("--memory-rows", type=int, default=0, help="peak RSS streaming this many rows")
    ap.add_argument("--set-rows", type=int, default=0, help="the cost of set inputs on this many rows")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/keicar-bench"))
    ap.add_argument("--cli-only", action="store_true", help="time only keicar check --example")
    args = ap.parse_args()
    if args.cli_only:
        print(json.dumps(cli_times(args.dir), indent=2))
        return
    on = dt.date(2026, 11, 24)

    df = synthetic(args.rows)
    read = [pl.col(c).to_physical().cast(pl.Int64).sum() if c in ("built_start", "built_end", "stroke", "body")
            else pl.col(c).sum() for c in INPUTS]
    floor = best_of(lambda: df.select(read), args.repeat)
    floor_cpu = best_of(lambda: df.select(read), args.repeat, time.process_time)
    t = time.perf_counter()
    plan = screen_frame(df, on=on)
    plan.collect_schema()  # compiled before the clock starts (the first compile builds the date tables)
    compile_s = time.perf_counter() - t
    vector = best_of(lambda: plan.collect(), args.repeat)
    vector_cpu = best_of(lambda: plan.collect(), args.repeat, time.process_time)
    first = screen_frame(df, on=on, columns=FIRST_WAVE)
    first.collect_schema()
    first_s = best_of(lambda: first.collect(), args.repeat)
    extra = {}
    if args.state:
        states = with_states(df)
        plan = screen_frame(states, on=on, state_column="state")
        plan.collect_schema()
        with_state = best_of(lambda: plan.collect(), args.repeat)
        extra = {"with_state_s": round(with_state, 4), "with_state_rows_per_s": round(args.rows / with_state),
                 "with_state_vs_floor": round(with_state / floor, 1)}
        del states

    sample = df.head(args.sample).with_columns(pl.col("body").cast(pl.String)).to_dicts()
    vehicles = [Vehicle(built_precision="month" if r["built_start"] != r["built_end"] else "day", **r) for r in sample]
    t = time.perf_counter()
    for v in vehicles:
        check(v, on=on)
    per_vehicle = (time.perf_counter() - t) / len(vehicles) * args.rows

    res = {
        "rows": args.rows,
        "floor_s": round(floor, 4),
        "vectorized_s": round(vector, 4),
        "vectorized_rows_per_s": round(args.rows / vector),
        "per_vehicle_s_extrapolated": round(per_vehicle, 1),
        "per_vehicle_rows_per_s": round(args.rows / per_vehicle),
        "vectorized_vs_floor": round(vector / floor, 1),
        "compile_s": round(compile_s, 2),
        "first_wave_s": round(first_s, 4),
        "first_wave_rows_per_s": round(args.rows / first_s),
        "first_wave_vs_floor": round(first_s / floor, 1),
        "floor_cpu_s": round(floor_cpu, 4),
        "vectorized_cpu_s": round(vector_cpu, 4),
        "vectorized_vs_floor_cpu": round(vector_cpu / floor_cpu, 1),
        **extra,
        "per_vehicle_vs_vectorized": round(per_vehicle / vector),
        **cli_times(args.dir),
    }
    if args.set_rows:
        res.update(set_cost(df.head(args.set_rows), on, args.repeat))
    if args.memory_rows:
        res.update(memory_rows=args.memory_rows, **streamed(args.memory_rows, args.dir))
    print(json.dumps(res, indent=2))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
