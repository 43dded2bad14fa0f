"""Screen a listing file: read, validate, add the verdicts, write; nothing lost.

One streaming Polars query reads the input once and writes the screened rows; each batch of
rows (about 100,000) is validated and screened in memory on its own, and its rejected rows are
written to a small part file, joined into the rejects file at the end. Memory stays bounded
however large the file is: at most a few batches are in memory at once.

Why batches rather than one streaming plan: Polars' streaming engine keeps the whole input in
memory for some of the compiled rule expressions (for example a comparison with a constant
null), and it caches a sub-plan shared by two sinks in full. Run on one batch at a time, the
same expressions cost nothing extra.

Users' files are sacred (``files.py``): the outputs are written in a run folder beside them and
renamed into place only when every row read is counted in one of them; the rows read are
counted by a second reader (``csvscan.py``; for Parquet, the file's footer).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import polars as pl

from keicar.inputs.vehicle import InputError
from . import validate as V
from .columns import ON, PRICE, PRICE_JPY, REGISTERED, ROW, STATE, clash, parse_map, parse_units
from .csvscan import Records, count_records, header_names, sniff
from .files import check_targets, publish, run_folders, write_error

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
INDEX = V.P + "row"  # the row number as read, before the input's columns are renamed


@dataclass
class Counts:
    read: int
    written: int
    rejected: int
    summary: dict | None = None  # with summary=True or a report: ``keicar.batch.summary.summarize``

    @property
    def balanced(self) -> bool:
        return self.read == self.written + self.rejected


class RowsLost(Exception):
    """The outputs do not hold every row read: nothing was written."""

    def __init__(self, counts: Counts):
        super().__init__(f"row counts do not add up: read {counts.read:,}, written {counts.written:,} + "
                         f"rejected {counts.rejected:,}; nothing was written")
        self.counts = counts


def file_format(path: Path, field: str) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(field, f"{path.name!r}: the file name must end in .csv or .parquet")
    return fmt


def scan(path: Path, row_index: bool = True) -> pl.LazyFrame:
    """The input file as a LazyFrame, with the row number as ``INDEX`` (``Job`` names it
    ``row`` once the input's columns are renamed by --map). CSV columns are read as text, so
    that a value that is not a number becomes a reject reason rather than a failed read."""
    fmt = file_format(path, "in")
    if not path.is_file():
        raise InputError("in", f"{str(path)!r} is not a readable file")
    index = dict(row_index_name=INDEX, row_index_offset=1) if row_index else {}
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
        raise read_error(path, exc) from None


def read_error(path: Path, exc: Exception) -> InputError:
    lines = str(exc).strip().splitlines()
    return InputError("in", f"cannot read {path.name!r}: {lines[0] if lines else type(exc).__name__}")


def verdicts(valid: pl.LazyFrame, job: "Job", sets: tuple[str, ...] = ()) -> pl.LazyFrame:
    """The variables' columns for valid rows (``keicar.api.screen_frame``): every interface
    (local, Spark) goes through here. ``sets``: the inputs given as ``<name>_lo`` and
    ``<name>_hi`` columns (``SETS``)."""
    from ..api import screen_frame
    from ..engine.parameters import default_law

    names = valid.collect_schema().names()
    return screen_frame(valid, on=job.on, month_reading=job.month_reading, law=default_law(),
                        state=job.state, state_column=STATE if STATE in names else None,
                        registered_column=REGISTERED if job.registered_column else None,
                        on_column=ON if job.on_column else None, entry_date=job.entry_date,
                        columns=job.variables, today=job.today, sets=sets, rows=job.rows)


#: Inputs a row may give as a set (a range, alternatives, a build year): such rows are screened
#: over the whole set (``keicar.engine.variables.staged``); the others by the exact query.
SETS = (*V.NUMBERS, "built_start", "built_end")
ENDS = [n + e for n in V.NUMBERS for e in ("_lo", "_hi")]
#: Added to every output: the inputs a row gave as sets, and why an answer is open.
INPUT_SETS, UNKNOWN_BECAUSE = "input_sets", "unknown_because"
#: The engine for a batch already in memory: Polars' in-memory engine runs these queries
#: 15-35% faster than its streaming engine (measured 2026-11-30, 1M rows; the file itself
#: still streams through ``_run``).
EAGER = "in-memory"
#: A build window longer than this (days from first to last) is a set; a month is exact.
MONTH_DAYS = 30


def _long_window() -> pl.Expr:
    """The build window is longer than a month: a set of days (null where a date is)."""
    return (pl.col("built_end") - pl.col("built_start")).dt.total_days() > MONTH_DAYS


def _set_rows(valid: pl.DataFrame) -> pl.Series:
    ends = [pl.col(n + "_lo").ne(pl.col(n + "_hi")).fill_null(False) for n in V.NUMBERS]
    return valid.select(pl.any_horizontal(*ends, _long_window().fill_null(False))).to_series()


def _as_sets(valid: pl.DataFrame) -> pl.DataFrame:
    """The rows with their sets as ``<name>_lo``/``<name>_hi`` columns: a build window longer
    than a month is a set of days for both build dates; a month keeps its two dates."""
    start, end, long = pl.col("built_start"), pl.col("built_end"), _long_window()
    return valid.with_columns(
        built_start_lo=start, built_start_hi=pl.when(long).then(end).otherwise(start),
        built_end_lo=pl.when(long).then(start).otherwise(end), built_end_hi=end,
    ).drop(*V.NUMBERS, "built_start", "built_end")


class Verdicts:
    """The verdict query for one schema of valid rows, compiled once and run on one DataFrame at
    a time (compiling takes ~0.1 s; running it on a batch of rows, milliseconds)."""

    def __init__(self, schema: pl.Schema, job: "Job", sets: tuple[str, ...] = ()):
        from polars.io.plugins import register_io_source

        self._frame: pl.DataFrame | None = None
        self._lock = threading.Lock()
        feed = register_io_source(self._source, schema=schema)
        self._query = verdicts(feed, job, sets)

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
                return self._query.collect(engine=EAGER)
            finally:
                self._frame = None


@dataclass
class Job:
    """A screen, planned for one input schema; its queries are lazy."""
    plan: V.Plan
    columns: list[str]              # the input columns, named as --map says
    on: dt.date | None              # the date asked, or None: per row (on_column)
    month_reading: str | None
    today: dt.date
    mapping: dict[str, str] = field(default_factory=dict)
    schema: pl.Schema | None = None  # the input's, named as --map says
    units: dict[str, float] = field(default_factory=dict)
    ragged: tuple[list[int], list[int], int] | None = None
    asked: V.Asked = field(default_factory=V.Asked)
    entry_date: dt.date | None = None   # None: the date asked
    state: str | None = None            # one state for every row
    variables: list[str] | None = None  # the variables chosen (--columns); None: every one that applies
    rows: int | None = None             # the rows the input holds, when known: few are computed without date tables
    _verdicts: dict = field(default_factory=dict, repr=False)
    _names_checked: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def on_column(self) -> str | None:
        return self.asked.on_column

    @property
    def registered_column(self) -> str | None:
        return self.asked.registered_column

    @classmethod
    def make(cls, schema: pl.Schema, *, on: Any = None, month_reading: str | None = None,
             mapping: list[str] | None = None, units: list[str] | None = None,
             today: dt.date | None = None, header: list[str] | None = None, on_column: str | None = None,
             entry_date: Any = None, state: str | None = None, registered_column: str | None = None,
             columns: Any = None, fx_jpy_per_usd: Any = None) -> "Job":
        """``header``: the column names as a CSV file's header writes them (the reader renames
        a repeated name). ``on_column``: the date asked per row (instead of ``on``);
        ``entry_date``: the customs entry date (default: the date asked); ``state``: one
        state for every row; ``registered_column``: first registration in the state;
        ``columns``: the variables to compute (names or column names); ``fx_jpy_per_usd``:
        the rate for a ``price_jpy`` column."""
        from ..api import earliest_on, resolve_entry, resolve_on, resolve_reading, select_variables
        from ..engine.parameters import default_law
        from keicar.answers.state import resolve_state

        law = default_law()
        today = today or dt.date.today()
        if on_column is not None and on not in (None, ""):
            raise InputError("on_column", "give either --on (one date) or --on-column, not both")
        on_d = None if on_column is not None else resolve_on(on, law, today=today)
        names = schema.names()
        renames = parse_map(mapping, names, header)
        mapped = pl.Schema({renames.get(c, c): dtype for c, dtype in schema.items()})
        code = resolve_state(state, law)
        if code is not None and STATE in mapped:
            raise InputError("state", f"the input has a {STATE!r} column; give --state only for a file without one")
        if registered_column is not None and code is None and STATE not in mapped:
            raise InputError("registered_column", "a registration date needs a state; give a state column or "
                                                  "--state XX")
        fx = _price_inputs(mapped, fx_jpy_per_usd)
        have = {"entry_date"} | ({"state"} if code or STATE in mapped else set())
        have |= {"price_usd"} if PRICE in mapped or PRICE_JPY in mapped else set()
        chosen = None
        if columns not in (None, "", []):
            chosen = [v.name for v in select_variables(law, columns, have)]
        asked = V.Asked(on_column=on_column, registered_column=registered_column, fx_jpy_per_usd=fx,
                        earliest_on=earliest_on(law), state_given=code is not None)
        job = cls(V.Plan({}, []), list(mapped.names()), on_d, resolve_reading(month_reading), today,
                  renames, mapped, parse_units(units), asked=asked,
                  entry_date=resolve_entry(entry_date, law) if entry_date not in (None, "") else None,
                  state=code, variables=chosen)
        job.plan = job._plan(_state_values(codes_only=True) if STATE in mapped else None)
        return job

    def _plan(self, states: dict[str, str] | None) -> V.Plan:
        return V.plan(self.schema, {}, self.units, self.on, self.today, ragged=self.ragged, states=states,
                      asked=self.asked)

    def with_ragged(self, records: Records) -> "Job":
        """The job, with the CSV rows whose field count is not the header's rejected."""
        job = replace(self, ragged=(records.ragged_rows, records.ragged_fields, records.header_fields),
                      _verdicts={}, _lock=threading.Lock())
        job.plan = job._plan(_state_values(codes_only=True) if STATE in self.schema else None)
        return job

    def checked(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        """``lf``: the input's columns, with the row number as ``row`` or ``INDEX``."""
        renames = {**self.mapping, **({INDEX: ROW} if INDEX in lf.collect_schema() else {})}
        if renames:
            lf = lf.rename(renames)  # at once: --map row=x renames the input's column 'row'
        return V.with_checks(lf, self.plan, self.today)

    def rejected(self, checked: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
        return V.rejected_rows(checked, self.plan, self.columns)

    def frames(self, frame: pl.DataFrame | pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(screened, rejected) for a table in memory that already has a ``row`` column."""
        checked = self.checked(frame.lazy()).collect(engine=EAGER)
        unknown = self.plan.state_unknown
        if unknown is not None and checked.select(unknown.fill_null(False).any()).item():
            # a state given by name, or unknown: read the names from the law (once)
            with self._lock:
                if self.plan.state_unknown is unknown:
                    self.plan = self._plan(_state_values(codes_only=False))
                    self.plan.state_unknown = None
            checked = self.checked(frame.lazy()).collect(engine=EAGER)
        valid = V.valid_rows(checked.lazy(), self.plan).collect(engine=EAGER)
        rejected = self.rejected(checked)
        del checked  # (the working columns of every row: not held while the rules run)
        is_set = _set_rows(valid)
        screened = self._screen(valid.filter(~is_set).drop(ENDS)).with_columns(
            pl.lit(None, pl.String).alias(INPUT_SETS), pl.lit(None, pl.String).alias(UNKNOWN_BECAUSE))
        if is_set.any():
            over = self._screen(_as_sets(valid.filter(is_set)), SETS)
            screened = pl.concat([screened, self._exact_columns(over, screened.schema)]).sort(ROW)
        hidden = self.plan.hidden
        if not self._names_checked:
            self._check_names(screened.columns, hidden)
        screened = screened.rename({h: c for c, h in hidden.items()})
        return screened, rejected

    def _screen(self, valid: pl.DataFrame, sets: tuple[str, ...] = ()) -> pl.DataFrame:
        key = (tuple(valid.schema.items()), sets)
        if key not in self._verdicts:
            self._verdicts[key] = Verdicts(valid.schema, self, sets)
        return self._verdicts[key](valid)

    def _exact_columns(self, over: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
        """Rows screened over sets, in the exact rows' columns: a number is its value where its
        set is one value (null otherwise), the build dates the window's first and last day;
        ``input_sets`` names the sets, ``unknown_because`` says why an answer is open."""
        from .sets import describe, unknown_reasons

        out = over.with_columns(
            *[pl.when(pl.col(n + "_lo") == pl.col(n + "_hi")).then(pl.col(n + "_lo")).alias(n) for n in V.NUMBERS],
            built_start=pl.col("built_start_lo"), built_end=pl.col("built_end_hi"))
        out = out.with_columns(describe(out).alias(INPUT_SETS), unknown_reasons(out, self).alias(UNKNOWN_BECAUSE))
        if "us_import_outlook" in out.columns:  # a set that leaves the bucket open: unknown
            out = out.with_columns(pl.col("us_import_outlook").fill_null("unknown"))
        return out.select([pl.col(c).cast(dtype) for c, dtype in schema.items()])

    def _check_names(self, written: list[str], hidden: dict[str, str]) -> None:
        """An input column kept as it is may not bear the name of a column keicar adds."""
        added = set(written) - set(hidden.values())
        original = {new: old for old, new in self.mapping.items()}
        for c in hidden:
            if c in added:
                clash(original.get(c, c), c, "an output column")
        self._names_checked = True


def _price_inputs(schema: pl.Schema, fx_jpy_per_usd: Any) -> float | None:
    """The yen rate for a ``price_jpy`` column, checked as ``keicar cost`` checks it."""
    from keicar.answers.cost import price_from_yen

    if PRICE in schema and PRICE_JPY in schema:
        raise InputError("price_usd", f"the input has both a {PRICE!r} and a {PRICE_JPY!r} column; keep one")
    if PRICE_JPY not in schema:
        if fx_jpy_per_usd not in (None, ""):
            raise InputError("fx_jpy_per_usd", f"the input has no {PRICE_JPY!r} column to convert")
        return None
    return price_from_yen(0, fx_jpy_per_usd)[1]


def _state_values(codes_only: bool) -> dict[str, str]:
    """Accepted values of a ``state`` column (upper case, spaces single) -> code: the codes of
    the law's state files and, unless ``codes_only``, the names those files give."""
    from ..engine.parameters import default_law
    from keicar.answers.state import state_codes, state_name

    law = default_law()
    codes = state_codes(law)
    values = {c: c for c in codes}
    if not codes_only:
        values.update({" ".join(state_name(law, c).split()).upper(): c for c in codes})
    return values


def default_rejects(out: Path) -> Path:
    return out.with_name(out.stem + ".rejects" + out.suffix)


def _sink(lf: pl.LazyFrame, path: Path) -> pl.LazyFrame:
    if file_format(path, "out") == "csv":
        return lf.sink_csv(path, lazy=True)
    return lf.sink_parquet(path, lazy=True)


class _Rejects:
    """The rejected rows of each batch, as part files in ``folder``, then joined into the
    rejects file at ``path`` in row order (streaming)."""

    def __init__(self, path: Path, folder: Path, empty: pl.DataFrame):
        self.path, self.folder, self.empty = path, folder, empty
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


def screen_file(src: Path, out: Path, rejects: Path | None = None, *, on: Any = None,
                month_reading: str | None = None, mapping: list[str] | None = None,
                units: list[str] | None = None, today: dt.date | None = None,
                progress: Callable[[int], None] | None = None, summary: bool = False,
                report: Path | None = None, **asked: Any) -> Counts:
    """Screen ``src`` into ``out`` (valid rows with verdicts) and ``rejects`` (row, field,
    reason and the input columns). ``progress(rows_read_so_far)`` is called as the input streams.
    ``asked``: the options of ``Job.make`` beyond these (``on_column``, ``entry_date``, ``state``,
    ``registered_column``, ``columns``, ``fx_jpy_per_usd``).

    ``summary``: count the outputs by verdict, state and reject reason (``Counts.summary``);
    ``report``: also write that summary as an HTML page (``keicar.present.report``).

    Both outputs (and the report) appear only if the run succeeds and every row read is in one
    of them (``RowsLost`` otherwise); the input is never written."""
    src, out = Path(src), Path(out)
    rejects = Path(rejects) if rejects else default_rejects(out)
    fmt_in = file_format(src, "in")
    targets = {"out": out, "rejects": rejects}
    for option, path in targets.items():
        file_format(path, option)
    if not src.is_file():
        raise InputError("in", f"{str(src)!r} is not a readable file")
    outputs = with_report(targets, report)
    check_targets(src, outputs)
    sniff(src, fmt_in)
    schema = input_schema(src)
    job = Job.make(schema, on=on, month_reading=month_reading, mapping=mapping, units=units, today=today,
                   header=header_names(src) if fmt_in == "csv" else None, **asked)
    _writable(job, targets)
    if fmt_in == "csv":  # the second reading: how many rows, and which are ragged
        records = count_records(src)
        if records.header_fields != len(schema):
            raise InputError("in", f"cannot read the header of {src.name!r}: {records.header_fields} fields "
                                   f"by one reading, {len(schema)} by another")
        read = records.rows
        if records.ragged_rows:
            job = job.with_ragged(records)
    else:
        read = count_rows(src)

    job.rows = read
    with run_folders(src, outputs) as runs:
        temp = {option: runs[option].temp(path) for option, path in outputs.items()}
        counts = _run(src, job, temp["out"], temp["rejects"], runs["rejects"].parts(), read, progress)
        if not counts.balanced:
            raise RowsLost(counts)
        finish_summary(counts, src, outputs, temp, job, summary)
        publish(runs, outputs)
        return counts


def with_report(targets: dict[str, Path], report: Path | None) -> dict[str, Path]:
    """The outputs of a run: ``targets`` and the report (an .html file), if one is asked."""
    if report is None:
        return targets
    report = Path(report)
    if report.suffix.lower() not in (".html", ".htm"):
        raise InputError("report", f"{report.name!r}: the report's file name must end in .html")
    return {**targets, "report": report}


def finish_summary(counts: Counts, src: Path, outputs: dict[str, Path], temp: dict[str, Path], job: Job,
                   summary: bool) -> None:
    """Count the outputs written at ``temp`` (``Counts.summary``) and write the report there,
    before anything is renamed into place."""
    if not summary and "report" not in outputs:
        return
    from .summary import summarize

    counts.summary = summarize(counts.read, counts.written, counts.rejected, temp["out"], temp["rejects"],
                               state=job.state)
    if "report" in outputs:
        from ..present.report import write_report

        about = {"input": src.name, "out": outputs["out"].name, "rejects": outputs["rejects"].name,
                 "on": job.on.isoformat() if job.on else f"per row ({job.on_column})",
                 "state": job.state}
        try:
            write_report(temp["report"], counts.summary, about)
        except OSError as exc:
            raise write_error("report", outputs["report"], exc) from None


def _writable(job: Job, targets: dict[str, Path]) -> None:
    """Columns a CSV output cannot hold (lists, structs, bytes): say so before the run."""
    for option, path in targets.items():
        if file_format(path, option) != "csv":
            continue
        kept = job.plan.passthrough if option == "out" else job.columns
        for c in kept:
            dtype = job.schema[c]
            if dtype.is_nested() or dtype in (pl.Binary, pl.Object):
                raise InputError(option, f"the column {c!r} holds {dtype} values, which a CSV file cannot "
                                         f"hold; write --{option} as .parquet")


def _run(src: Path, job: Job, out: Path, rejects: Path, parts: Path, read: int,
         progress: Callable[[int], None] | None) -> Counts:
    try:
        lf = scan(src)
        empty_out, empty_rej = job.frames(lf.head(0).collect())
        spool = _Rejects(rejects, parts, empty_rej)

        def batch(frame: pl.DataFrame) -> pl.DataFrame:
            screened, rejected = job.frames(frame)
            spool.add(rejected)
            if progress is not None and frame.height:
                progress(frame[INDEX].max())
            return screened

        _sink(lf.map_batches(batch, schema=empty_out.schema, streamable=True), out).collect(engine="streaming")
        spool.finish()
    except InputError:
        raise
    except OSError as exc:
        raise write_error("out", out, exc) from None
    except pl.exceptions.PolarsError as exc:
        if "(os error" in str(exc):  # a failed write (disk full, ...)
            raise InputError("out", f"cannot write the output: {str(exc).strip().splitlines()[0]}") from None
        raise read_error(src, exc) from None
    # Each count is taken from its own file, so that read = written + rejected is a check.
    return Counts(read=read, written=count_rows(out), rejected=count_rows(rejects))


def count_rows(path: Path) -> int:
    """Rows in a CSV file (by ``csvscan``, not the reader that wrote or read it) or a Parquet
    file (from its footer)."""
    if file_format(path, "in") == "csv":
        return count_records(path).rows
    return pl.scan_parquet(path).select(pl.len()).collect().item()
