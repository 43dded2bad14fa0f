"""The column parsers of keicar.inputs.formats against the text parse screen used before them
(strip, regex, cast on every row), best of 5 in one process (ratios: the machine is shared).

    python benchmarks/bench_formats.py TEXT.parquet DEALER.parquet [--rows 1000000]

The files: ``bench_screen.py --variants text dealer`` writes them beside its sample.
"""

import argparse
import time

import polars as pl

from keicar.inputs import formats as F

ap = argparse.ArgumentParser()
ap.add_argument("text")
ap.add_argument("dealer")
ap.add_argument("--rows", type=int, default=1_000_000)
args = ap.parse_args()
df = pl.read_parquet(args.text, n_rows=args.rows)
dl = pl.read_parquet(args.dealer, n_rows=args.rows)
DAY, MONTH = r"^\d{4}-\d{2}-\d{2}$", r"^\d{4}-\d{2}$"


def old_built(c):
    t = pl.col(c).str.strip_chars()
    d = pl.when(t.str.contains(DAY)).then(t.str.to_date("%Y-%m-%d", strict=False, cache=False))
    m = pl.when((t.str.len_bytes() == 7) & t.str.contains(MONTH)).then(t.str.to_date("%Y-%m", strict=False, cache=False))
    return [pl.coalesce(d, m).alias("a"), pl.coalesce(d, m.dt.month_end()).alias("b")]


def new_built(c):
    return [F.date_window_struct(pl.col(c)).alias("w")]


def old_num(c):
    return [pl.col(c).str.strip_chars().cast(pl.Float64, strict=False).alias("n")]


def new_num(c):
    return [F.quantity_expr(pl.col(c), c).alias("n")]


def old_body(c):
    t = pl.col(c).str.strip_chars().str.to_lowercase()
    return [t.alias("b"), t.is_in(["passenger", "truck", "van"]).alias("k")]


def new_body(c):
    return [F.body_expr(pl.col(c)).alias("b")]


def best(frame, exprs, k=5):
    ts = []
    for _ in range(k):
        t = time.perf_counter(); frame.lazy().select(exprs).collect(); ts.append(time.perf_counter() - t)
    return min(ts)

for name, old, new, col in [("built", old_built, new_built, "built"), ("length_mm", old_num, new_num, "length_mm"),
                            ("body", old_body, new_body, "body")]:
    o, n, d = best(df, old(col)), best(df, new(col)), best(dl, new(col))
    print(f"{name:10s} plain text: old {o*1000:6.0f} ms  new {n*1000:6.0f} ms  ({n/o:.2f}x)   dealer text, new: {d*1000:6.0f} ms", flush=True)
