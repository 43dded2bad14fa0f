"""Synthetic listings drawn from the catalog, for benchmarks and demos (``keicar sample``).

Each row picks a catalog generation, a build day within its production run (30% of rows
give only the month), one of its bodies, its dimensions and engine, and a US state. A
generation whose dimensions the catalog leaves empty borrows them from the nearest generation
of the same body (by production start). A ``bad_share`` of rows carry one error each, of
every kind ``keicar screen`` rejects; a row that lacks a value (or garbles one) names no chassis
code nor model, so that the catalog fill does not mend it. Generated in chunks with numpy: fast for 50M rows.
"""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl

from keicar.inputs.vehicle import BODIES, EARLIEST_BUILD, InputError
from .files import RunFolder, clean_stale, write_error

CHUNK = 1_000_000
#: the most rows one run writes (--rows); a larger count is a typo more likely than a wish
MAX_ROWS = 1_000_000_000
MONTH_ONLY_SHARE = 0.3
EPOCH = dt.date(1970, 1, 1)
#: catalog body types outside keicar's three bodies, read as the closest one
BODY_OF = {"suv": "passenger", "sports": "passenger"}
#: the kinds of bad rows (each a reject reason of keicar screen)
BAD_KINDS = ("date_format", "impossible_date", "month_13", "too_old", "future", "built_missing",
             "unknown_body", "body_missing", "out_of_range", "unparsable_number", "dimension_missing",
             "engine_missing", "bad_stroke")
NUMBERS = ("length_mm", "width_mm", "height_mm", "cc", "ev_kw")


def _month(text: str | None, end: bool, today: dt.date) -> dt.date:
    """'1998-10' or '1998' -> the first (or last) day it covers; empty: still made, today."""
    if not text:
        return today
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    first = dt.date(parts[0], parts[1], 1)
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1) if end else first


def generations(today: dt.date) -> pl.DataFrame:
    """One row per (generation, body) with the values a listing draws."""
    text = resources.files("keicar.catalog").joinpath("catalog.csv").read_text(encoding="utf-8")
    cat = pl.read_csv(text.encode(), infer_schema=False)
    cat = cat.with_columns(
        pl.col("production_start").map_elements(lambda s: (_month(s, False, today) - EPOCH).days,
                                                return_dtype=pl.Int32).alias("start"),
        pl.col("production_end").map_elements(lambda s: (min(_month(s, True, today), today) - EPOCH).days,
                                              return_dtype=pl.Int32, skip_nulls=False).alias("end"),
        pl.col("chassis_codes").str.split("|").list.first().alias("chassis"),
        pl.col("stroke").str.split("|").list.first().cast(pl.Int8).fill_null(4),
        pl.col("displacement_cc").str.split("|").alias("cc"),
        (pl.col("max_power_ps").cast(pl.Float64, strict=False) * 0.73549875).round(1).alias("ev_kw"),
        *[pl.col(c).cast(pl.Float64, strict=False) for c in ("length_mm", "width_mm", "height_mm")],
        pl.col("powertrain").str.contains("^ev$").alias("is_ev"),
    ).with_columns(pl.max_horizontal("start", "end").alias("end"))
    # a generation with several bodies or engines ('356|547') gives a row for each
    cat = cat.with_columns(pl.col("body_type").str.split("|").alias("body")).explode("body").explode("cc")
    cat = cat.with_columns(pl.col("cc").cast(pl.Float64, strict=False))
    cat = cat.with_columns(pl.col("body").replace(BODY_OF)).filter(pl.col("body").is_in(BODIES))
    cat = cat.sort("start")
    fill = [pl.col(c).fill_null(strategy="forward").fill_null(strategy="backward").over("body")
            for c in ("length_mm", "width_mm", "height_mm")]
    fill.append(pl.col("ev_kw").fill_null(strategy="forward").fill_null(strategy="backward").over("is_ev"))
    cat = cat.with_columns(fill).with_columns(
        pl.when(pl.col("is_ev")).then(None).otherwise(pl.col("cc")).alias("cc"),
        pl.when(pl.col("is_ev")).then(pl.col("ev_kw")).otherwise(None).alias("ev_kw"))
    return cat.select("make", "model", "chassis", "body", "start", "end", "length_mm", "width_mm",
                      "height_mm", "cc", "stroke", "ev_kw")


def states() -> list[str]:
    folder = resources.files("keicar.law").joinpath("us/states")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def chunk(rng: np.random.Generator, gens: pl.DataFrame, codes: list[str], first_id: int, n: int,
          bad_share: float, today: dt.date, as_text: bool) -> pl.DataFrame:
    g = rng.integers(0, gens.height, n)
    pick = gens[g]
    span = (pick["end"] - pick["start"] + 1).to_numpy()
    day = pick["start"].to_numpy() + (rng.random(n) * span).astype(np.int32)
    month_only = rng.random(n) < MONTH_ONLY_SHARE
    bad = np.where(rng.random(n) < bad_share, rng.integers(0, len(BAD_KINDS), n), -1)
    df = pick.select("make", "model", "chassis", "body", *NUMBERS, "stroke").with_columns(
        pl.Series("day", day).cast(pl.Date), pl.Series("month_only", month_only), pl.Series("bad", bad),
        pl.Series("state", np.array(codes)[rng.integers(0, len(codes), n)]),
    )
    kind = {k: pl.col("bad") == i for i, k in enumerate(BAD_KINDS)}
    built = pl.when(pl.col("month_only")).then(pl.col("day").dt.strftime("%Y-%m")).otherwise(
        pl.col("day").dt.strftime("%Y-%m-%d"))
    year = pl.col("day").dt.year().cast(pl.String)
    future = str(today.year + 1 + int(rng.integers(0, 5)))
    built = (pl.when(kind["date_format"]).then(pl.col("day").dt.strftime("%d.%m.%Y"))
             .when(kind["impossible_date"]).then(year + "-02-30")
             .when(kind["month_13"]).then(year + "-13")
             .when(kind["too_old"]).then(pl.lit(f"{EARLIEST_BUILD.year - 1}-06"))
             .when(kind["future"]).then(pl.lit(future + "-01"))
             .when(kind["built_missing"]).then(None)
             .otherwise(built))
    body = (pl.when(kind["unknown_body"]).then(pl.lit("bus")).when(kind["body_missing"]).then(None)
            .otherwise(pl.col("body")))
    length = pl.when(kind["out_of_range"]).then(pl.col("length_mm") * 10).otherwise(pl.col("length_mm"))
    width = pl.when(kind["dimension_missing"]).then(None).otherwise(pl.col("width_mm"))
    engine = kind["engine_missing"]
    lacking = pl.any_horizontal(kind[k] for k in ("body_missing", "unparsable_number", "dimension_missing",
                                                  "engine_missing"))
    cols = {
        "listing_id": pl.int_range(first_id, first_id + n, dtype=pl.Int64),
        "make": pl.col("make"), "model": pl.when(~lacking).then(pl.col("model")),
        "chassis": pl.when(~lacking).then(pl.col("chassis")),
        "built": built, "body": body,
        "length_mm": length, "width_mm": width, "height_mm": pl.col("height_mm"),
        "cc": pl.when(engine).then(None).otherwise(pl.col("cc")),
        "stroke": pl.when(kind["bad_stroke"]).then(3).otherwise(pl.col("stroke")).cast(pl.Int8),
        "ev_kw": pl.when(engine).then(None).otherwise(pl.col("ev_kw")),
        "state": pl.col("state"),
    }
    df = df.select(**cols)
    if as_text:  # a CSV can carry a value that is not a number; Parquet keeps typed columns
        df = df.with_columns(
            pl.col("length_mm", "width_mm", "height_mm", "cc").cast(pl.Int64).cast(pl.String),
            pl.col("stroke").cast(pl.String), pl.col("ev_kw").cast(pl.String),
        ).with_columns(
            pl.when(pl.Series(bad == BAD_KINDS.index("unparsable_number")))
            .then(pl.col("length_mm").str.slice(0, 2) + "x" + pl.col("length_mm").str.slice(2))
            .otherwise(pl.col("length_mm")).alias("length_mm"))
    else:  # in Parquet the unparsable kind becomes a missing length
        df = df.with_columns(pl.when(pl.Series(bad == BAD_KINDS.index("unparsable_number")))
                             .then(None).otherwise(pl.col("length_mm")).alias("length_mm"))
    return df


def write_sample(out: Path | str, rows: int, seed: int = 0, bad_share: float = 0.01,
                 today: dt.date | None = None) -> int:
    """Write ``rows`` synthetic listings to ``out`` (.csv or .parquet). The file is written in a
    run folder beside ``out`` and renamed into place only when complete: a failed or killed run
    leaves nothing that looks finished."""
    out = Path(out)
    if not 1 <= rows <= MAX_ROWS:
        raise InputError("rows", f"{rows} is not a row count; give 1 to {MAX_ROWS:,}")
    if seed < 0:
        raise InputError("seed", f"{seed} is not a seed; give a whole number 0 or more")
    if not 0 <= bad_share <= 1:
        raise InputError("bad_share", f"{bad_share} is not a share; give a number from 0 to 1")
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InputError("out", f"{out.name!r}: the file name must end in .csv or .parquet")
    if out.is_dir() or (out.exists() and not out.is_file()):
        raise InputError("out", f"{str(out)!r} exists and is not a regular file; give a file name")
    if not out.parent.is_dir():
        raise InputError("out", f"no folder {str(out.parent)!r}")
    today = today or dt.date.today()
    gens, codes = generations(today), states()
    rng = np.random.default_rng(seed)
    clean_stale(out.parent)
    run = RunFolder(out.parent, "out")
    try:
        temp = run.temp(out)
        try:
            if suffix == ".csv":
                with temp.open("wb") as fh:
                    for i, start in enumerate(range(0, rows, CHUNK)):
                        df = chunk(rng, gens, codes, start + 1, min(CHUNK, rows - start), bad_share, today, True)
                        df.write_csv(fh, include_header=i == 0)
            else:
                parts = run.parts()
                for i, start in enumerate(range(0, rows, CHUNK)):
                    df = chunk(rng, gens, codes, start + 1, min(CHUNK, rows - start), bad_share, today, False)
                    df.write_parquet(parts / f"{i:012d}.parquet")
                pl.scan_parquet(parts / "*.parquet").sink_parquet(temp, engine="streaming")
                shutil.rmtree(parts)
            run.publish(out)
        except OSError as exc:
            raise write_error("out", out, exc) from None
    finally:
        run.remove()
    return rows
