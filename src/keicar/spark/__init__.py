"""keicar on Apache Spark: the same compiled rules, run on each partition through Arrow.

Needs ``pip install keicar[spark]`` (pyspark, pyarrow) and Java 17. With an existing
SparkSession::

    from keicar.spark import screen
    screened, rejects = screen(spark.read.parquet("listings.parquet"), on="2026-11-24")
    screened.write.parquet("screened.parquet"); rejects.write.parquet("rejects.parquet")

``screened`` has a ``row`` number, the input's other columns, the fields as the rules read them
and every verdict column; ``rejects`` has ``row``, ``field``, ``reason`` and the input columns
as read. Each partition goes through ``keicar.batch.run.Job`` (the validation and
``keicar.api.screen_frame``) in Polars via ``mapInArrow``: there is one rule implementation,
and Spark only moves the data. Rows are numbered 1.. in the DataFrame's partition order
(for a single file read by Spark: file order).

Spark starts its Python workers with ``$PYSPARK_PYTHON``, or ``python3`` from the PATH, which
need not be the interpreter keicar is installed in (the workers then fail to import it). When
``PYSPARK_PYTHON`` is unset, importing this module sets it to this interpreter
(``sys.executable``), and ``screen`` points a local session made earlier at it too.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from keicar.inputs.vehicle import InputError

ROW = "row"
#: Whether the user chose the workers' Python (then keicar leaves it alone).
_PYTHON_CHOSEN = "PYSPARK_PYTHON" in os.environ
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
_LOW_BITS = (1 << 33) - 1  # monotonically_increasing_id: partition id << 33 | position


def _spark_ready(frame):
    """Polars -> what Spark's Arrow reader takes: text for Enum/Categorical, signed integers."""
    import polars as pl

    casts = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, (pl.Enum, pl.Categorical)):
            casts.append(pl.col(name).cast(pl.String))
        elif dtype in (pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64):
            casts.append(pl.col(name).cast(pl.Int64))
    return frame.with_columns(casts) if casts else frame


def _empty_polars(spark_schema):
    import polars as pl
    import pyarrow as pa
    from pyspark.sql.pandas.types import to_arrow_schema

    return pl.from_arrow(pa.Table.from_batches([], schema=to_arrow_schema(spark_schema)))


def _spark_schema(frame):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(_spark_ready(frame).to_arrow().schema)


def _workers_use_this_python(spark) -> None:
    """A session made before this module was imported read PYSPARK_PYTHON while it was unset and
    starts its workers with ``python3``; on a local master, give them this interpreter."""
    try:
        sc = spark.sparkContext
    except Exception:  # Spark Connect: the server runs its own Python
        return
    if not _PYTHON_CHOSEN and sc.master.startswith("local") and sc.pythonExec == "python3":
        sc.pythonExec = sys.executable


def with_row_numbers(df):
    """Number the rows 1.. in partition order, in the JVM (one count per partition)."""
    from pyspark.sql import functions as F

    if ROW in df.columns:
        raise InputError("map", f"the input has a column {ROW!r}, the name keicar gives the row number; rename it")
    mid = F.monotonically_increasing_id()
    df = df.withColumn("__keicar_mid", mid)
    part = F.shiftrightunsigned(F.col("__keicar_mid"), 33)
    sizes = sorted(df.groupBy(part.alias("p")).count().collect())
    offsets, total = [], 0
    for p, n in sizes:
        offsets += [F.lit(p), F.lit(total)]
        total += n
    offset = F.create_map(*offsets)[part] if offsets else F.lit(0)
    pos = F.col("__keicar_mid").bitwiseAND(F.lit(_LOW_BITS))
    return df.withColumn(ROW, (pos + offset + 1).cast("long")).drop("__keicar_mid")


def screen(df, on: Any = None, month_reading: str | None = None, mapping: list[str] | None = None,
           units: list[str] | None = None, today: dt.date | None = None, **asked: Any):
    """(screened, rejects) Spark DataFrames for a Spark DataFrame of listings (lazy, like Spark).
    ``asked``: the options of ``keicar.batch.run.Job.make`` beyond these (``on_column``,
    ``entry_date``, ``state``, ``registered_column``, ``columns``, ``fx_jpy_per_usd``)."""
    from ..batch.run import Job

    _workers_use_this_python(df.sparkSession)
    today = today or dt.date.today()
    empty = _empty_polars(df.schema)
    job = Job.make(empty.schema, on=on, month_reading=month_reading, mapping=mapping, units=units, today=today,
                   **asked)
    numbered = with_row_numbers(df)
    import polars as pl

    # the output schema: the same Job on an empty frame (every column it adds, typed)
    probe = _empty_polars(numbered.schema)
    out0, rej0 = job.frames(probe)
    options = dict(on=job.on, month_reading=month_reading, mapping=mapping, units=units, today=today, **asked)

    def run(which: int):
        def on_partition(batches: Iterator) -> Iterator:
            part_job = None
            for batch in batches:
                frame = pl.from_arrow(batch)
                if isinstance(frame, pl.Series):
                    frame = frame.to_frame()
                if part_job is None:  # planned on the worker: expressions are not shipped
                    part_job = Job.make(frame.drop(ROW).schema, **options)
                result = _spark_ready(part_job.frames(frame)[which])
                yield from result.to_arrow().to_batches()
        return on_partition

    screened = numbered.mapInArrow(run(0), _spark_schema(out0))
    rejects = numbered.mapInArrow(run(1), _spark_schema(rej0))
    return screened, rejects


def session(master: str = "local[*]"):
    """A local SparkSession whose Python workers use this interpreter (where keicar is)."""
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(master).appName("keicar")
            .config("spark.ui.enabled", "false")
            # a local session talks to itself on loopback: no host-name lookups on closed networks
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def screen_file(src: Path, out: Path, rejects: Path | None = None, *, spark=None, on: Any = None,
                month_reading: str | None = None, mapping: list[str] | None = None,
                units: list[str] | None = None, today: dt.date | None = None, summary: bool = False,
                report: Path | None = None, **asked: Any):
    """``keicar screen --engine spark``: Spark writes ``out`` and ``rejects`` as folders of
    part files (Spark's layout), in the format their names end in. ``summary`` and ``report``
    as in ``keicar.batch.run.screen_file`` (counted from the part files, by Polars)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise InputError("engine", "spark needs pyspark: pip install 'keicar[spark]'") from None
    from ..batch.csvscan import sniff
    from ..batch.files import check_targets, publish, run_folders
    from ..batch.run import Counts, Job, RowsLost, count_rows, default_rejects, file_format, finish_summary, with_report

    src, out = Path(src), Path(out)
    rejects = Path(rejects) if rejects else default_rejects(out)
    fmt_in = file_format(src, "in")
    targets = {"out": out, "rejects": rejects}
    fmts = {option: file_format(path, option) for option, path in targets.items()}
    if not src.is_file():
        raise InputError("in", f"{str(src)!r} is not a readable file")
    outputs = with_report(targets, report)
    check_targets(src, outputs, spark=True)
    sniff(src, fmt_in)
    spark = spark or session()
    reader = spark.read.option("header", True) if fmt_in == "csv" else spark.read
    df = reader.csv(str(src)) if fmt_in == "csv" else reader.parquet(str(src))
    screened, rejected = screen(df, on=on, month_reading=month_reading, mapping=mapping, units=units,
                                today=today, **asked)

    def count(path: Path, fmt: str) -> int:
        r = spark.read.option("header", True).csv(str(path)) if fmt == "csv" else spark.read.parquet(str(path))
        return r.count()

    with run_folders(src, outputs) as runs:
        temp = {option: runs[option].temp(path) for option, path in outputs.items()}
        for frame, option in ((screened, "out"), (rejected, "rejects")):
            writer = frame.write.mode("errorifexists")
            path = str(temp[option])
            (writer.option("header", True).csv(path) if fmts[option] == "csv" else writer.parquet(path))
        # the rows read, counted by keicar's own reader (CSV) or the footer (Parquet), not by Spark
        counts = Counts(read=count_rows(src), written=count(temp["out"], fmts["out"]),
                        rejected=count(temp["rejects"], fmts["rejects"]))
        if not counts.balanced:
            raise RowsLost(counts)
        if summary or report is not None:
            job = Job.make(_empty_polars(df.schema).schema, on=on, month_reading=month_reading, mapping=mapping,
                           units=units, today=today, **asked)
            finish_summary(counts, src, outputs, temp, job, summary)
        publish(runs, outputs)
        return counts
