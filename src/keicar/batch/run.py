"""Screen a listing file: read, validate, add the verdicts, write; nothing lost.

One streaming Polars query reads the input once and writes the screened rows; each batch of
rows (about 100,000) is validated and screened in memory on its own, and its rejected rows are
written to a small part file, joined into the rejects file at the end. Memory stays bounded
however large the file is: at most a few batches are in memory at once.

Why batches rather than one streaming plan: Polars' streaming engine keeps the whole input in
memory for some of the compiled rule expressions (for example a comparison with a constant
null), and it caches a sub-plan shared by two sinks in full. Run on one batch at a time, the
same expressions cost nothing extra.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
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


class Verdicts:
    """The verdict query for one schema of valid rows, compiled once and run on one DataFrame at
    a time (compiling takes ~0.1 s; running it on a batch of rows, milliseconds)."""

    def __init__(self, schema: pl.Schema, on: dt.date, month_reading: str | None, has_state: bool):
        from polars.io.plugins import register_io_source

        self._frame: pl.DataFrame | None = None
        self._lock = threading.Lock()
        feed = register_io_source(self._source, schema=schema)
        self._query = verdicts(feed, on, month_reading, has_state)

    def _source(self, with_columns, predicate, n_rows, batch_size):
        frame = self._frame
        if with_columns is not None:
            frame = frame.select(with_columns)
        if predicate is not None:
            frame = frame.filter(predicate)
        yield frame if n_rows is None else frame.head(n_rows)

    def __call__(self, frame: pl.DataFrame) -> pl.DataFrame:
        with self._lock:
            self._frame = frame
            try:
                return self._query.collect()
            finally:
                self._frame = None


@dataclass
class Job:
    """A screen, planned for one input schema; its queries are lazy."""
    plan: V.Plan
    columns: list[str]
    on: dt.date
    month_reading: str | None
    today: dt.date
    _verdicts: dict = field(default_factory=dict, repr=False)

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

    def rejected(self, checked: pl.LazyFrame) -> pl.LazyFrame:
        return V.rejected_rows(checked, self.plan, self.columns)

    def frames(self, frame: pl.DataFrame | pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(screened, rejected) for a table in memory that already has a ``row`` column."""
        checked = self.checked(frame.lazy()).collect()
        valid = V.valid_rows(checked.lazy(), self.plan).collect()
        key = tuple(valid.schema.items())
        if key not in self._verdicts:
            self._verdicts[key] = Verdicts(valid.schema, self.on, self.month_reading, STATE in self.plan.source)
        return self._verdicts[key](valid), self.rejected(checked.lazy()).collect()


def default_rejects(out: Path) -> Path:
    return out.with_name(out.stem + ".rejects" + out.suffix)


def _sink(lf: pl.LazyFrame, path: Path) -> pl.LazyFrame:
    if file_format(path, "out") == "csv":
        return lf.sink_csv(path, lazy=True)
    return lf.sink_parquet(path, lazy=True)


class _Rejects:
    """The rejected rows of each batch, as part files in a folder beside the rejects file, then
    joined into it in row order (streaming)."""

    def __init__(self, path: Path, empty: pl.DataFrame):
        self.path, self.empty = path, empty
        self.folder = Path(tempfile.mkdtemp(prefix=".keicar-rejects-", dir=path.parent))
        self.parts: list[tuple[int, int, Path]] = []  # first row, last row, file
        self._lock = threading.Lock()

    def add(self, rejected: pl.DataFrame) -> None:
        if rejected.height == 0:
            return
        first, last = rejected[ROW].min(), rejected[ROW].max()
        part = self.folder / f"{first:012d}.parquet"
        rejected.write_parquet(part)
        with self._lock:
            self.parts.append((first, last, part))

    def finish(self) -> None:
        self.parts.sort()
        if not self.parts:
            lf = self.empty.lazy()
        else:
            lf = pl.scan_parquet([p for _, _, p in self.parts])
            if any(a[1] >= b[0] for a, b in zip(self.parts, self.parts[1:])):  # batches interleaved
                lf = lf.sort(ROW)
        _sink(lf, self.path).collect(engine="streaming")

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


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
    for path in (out, rejects):
        if not path.parent.is_dir():
            raise InputError("out" if path == out else "rejects", f"no folder {str(path.parent)!r}")
    lf = scan(src)
    empty_out, empty_rej = job.frames(lf.head(0).collect())
    spool = _Rejects(rejects, empty_rej)

    def batch(frame: pl.DataFrame) -> pl.DataFrame:
        screened, rejected = job.frames(frame)
        spool.add(rejected)
        if progress is not None and frame.height:
            progress(frame[ROW].max())
        return screened

    try:
        _sink(lf.map_batches(batch, schema=empty_out.schema, streamable=True), out).collect(engine="streaming")
        spool.finish()
    except pl.exceptions.ComputeError as exc:
        raise InputError("in", f"cannot read {src.name!r}: {str(exc).splitlines()[0]}") from None
    finally:
        spool.close()
    # Each count is taken from its own file, so that read = written + rejected is a check.
    return Counts(read=count_rows(src), written=count_rows(out), rejected=count_rows(rejects))


def count_rows(path: Path) -> int:
    """Rows in a CSV or Parquet file (Parquet: from its metadata)."""
    return scan(path, row_index=False).select(pl.len()).collect().item()
