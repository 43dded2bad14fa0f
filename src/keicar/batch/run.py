"""Screen a listing file: read, validate, add the verdicts, write; nothing lost.

One streaming Polars query reads the input once and feeds two sinks (the screened rows and
the rejects) plus a count, so memory stays bounded however large the file is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import polars as pl

from ..vehicle import InputError
from . import validate as V
from .columns import ROW, STATE, parse_map, parse_units

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


@dataclass
class Counts:
    read: int
    written: int
    rejected: int

    @property
    def balanced(self) -> bool:
        return self.read == self.written + self.rejected


def file_format(path: Path, field: str) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(field, f"{path.name!r}: the file name must end in .csv or .parquet")
    return fmt


def scan(path: Path, row_index: bool = True) -> pl.LazyFrame:
    """The input file as a LazyFrame. CSV columns are read as text, so that a value that is not
    a number becomes a reject reason rather than a failed read."""
    fmt = file_format(path, "in")
    if not path.is_file():
        raise InputError("in", f"{str(path)!r} is not a readable file")
    index = dict(row_index_name=ROW, row_index_offset=1) if row_index else {}
    if fmt == "csv":
        return pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True,
                           **index)
    return pl.scan_parquet(path, **index)


def input_schema(path: Path) -> pl.Schema:
    try:
        return scan(path, row_index=False).collect_schema()
    except InputError:
        raise
    except Exception as exc:  # unreadable, not CSV/Parquet, empty...
        raise InputError("in", f"cannot read {path.name!r}: {str(exc).splitlines()[0]}") from None


def verdicts(valid: pl.LazyFrame, on: dt.date, month_reading: str | None, has_state: bool) -> pl.LazyFrame:
    """The verdict columns for valid rows: every interface (local, Spark) goes through here.
    ``has_state``: the rows carry a ``state`` column (two-letter US code)."""
    from ..api import resolve_reading, screen_frame
    from ..engine.parameters import default_law
    from ..engine.vectorized import Compiler
    from ..rules import customs

    law = default_law()
    lf = screen_frame(valid, on=on, month_reading=month_reading, law=law)
    # US customs duty on entry on the date asked (issue #4's rules, compiled like screen_frame's)
    comp = Compiler(law, {"on": on, "entry_date": on, "month_reading": resolve_reading(month_reading)})
    return lf.with_columns(comp.compile(e).alias(name) for name, e in customs.screen_outputs(law=law).items())


@dataclass
class Job:
    """A screen, planned for one input schema; its queries are lazy."""
    plan: V.Plan
    columns: list[str]
    on: dt.date
    month_reading: str | None
    today: dt.date

    @classmethod
    def make(cls, schema: pl.Schema, *, on: Any = None, month_reading: str | None = None,
             mapping: list[str] | None = None, units: list[str] | None = None,
             today: dt.date | None = None) -> "Job":
        from ..api import resolve_on, resolve_reading
        from ..engine.parameters import default_law

        today = today or dt.date.today()
        on_d = resolve_on(on, default_law(), today=today)
        columns = [c for c in schema.names() if c != ROW]
        p = V.plan(schema, parse_map(mapping, columns), parse_units(units), on_d, today)
        return cls(p, columns, on_d, resolve_reading(month_reading), today)

    def checked(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        return V.with_checks(lf, self.plan, self.today)

    def screened(self, checked: pl.LazyFrame) -> pl.LazyFrame:
        return verdicts(V.valid_rows(checked, self.plan), self.on, self.month_reading, STATE in self.plan.source)

    def rejected(self, checked: pl.LazyFrame) -> pl.LazyFrame:
        return V.rejected_rows(checked, self.plan, self.columns)

    def frames(self, frame: pl.DataFrame | pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(screened, rejected) for a table in memory that already has a ``row`` column."""
        checked = self.checked(frame.lazy()).collect()
        return self.screened(checked.lazy()).collect(), self.rejected(checked.lazy()).collect()


def default_rejects(out: Path) -> Path:
    return out.with_name(out.stem + ".rejects" + out.suffix)


def _sink(lf: pl.LazyFrame, path: Path) -> pl.LazyFrame:
    if file_format(path, "out") == "csv":
        return lf.sink_csv(path, lazy=True)
    return lf.sink_parquet(path, lazy=True)


def screen_file(src: Path, out: Path, rejects: Path | None = None, *, on: Any = None,
                month_reading: str | None = None, mapping: list[str] | None = None,
                units: list[str] | None = None, today: dt.date | None = None,
                progress: Callable[[int], None] | None = None) -> Counts:
    """Screen ``src`` into ``out`` (valid rows with verdicts) and ``rejects`` (row, field,
    reason and the input columns). ``progress(rows_read_so_far)`` is called as the input streams."""
    src, out = Path(src), Path(out)
    rejects = Path(rejects) if rejects else default_rejects(out)
    file_format(out, "out")
    file_format(rejects, "rejects")
    if len({src.resolve(), out.resolve(), rejects.resolve()}) < 3:
        raise InputError("out", "the input, output and rejects files must be three different files")
    job = Job.make(input_schema(src), on=on, month_reading=month_reading, mapping=mapping, units=units,
                   today=today)
    lf = scan(src)
    if progress is not None:
        lf = lf.with_columns(pl.col(ROW).map_batches(lambda s: (progress(s.max() or 0), s)[1],
                                                     return_dtype=pl.UInt32, is_elementwise=True))
    checked = job.checked(lf)
    for path in (out, rejects):
        if not path.parent.is_dir():
            raise InputError("out" if path == out else "rejects", f"no folder {str(path.parent)!r}")
    try:
        pl.collect_all([_sink(job.screened(checked), out), _sink(job.rejected(checked), rejects)],
                       engine="streaming")
    except pl.exceptions.ComputeError as exc:
        raise InputError("in", f"cannot read {src.name!r}: {str(exc).splitlines()[0]}") from None
    # Each count is taken from its own file, so that read = written + rejected is a check.
    return Counts(read=count_rows(src), written=count_rows(out), rejected=count_rows(rejects))


def count_rows(path: Path) -> int:
    """Rows in a CSV or Parquet file (Parquet: from its metadata)."""
    return scan(path, row_index=False).select(pl.len()).collect().item()
