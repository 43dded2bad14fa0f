"""Screen a small listing file given as bytes (the web API's ``POST /v1/screen``) with the very
code ``keicar screen`` runs: the bytes are written to a private temporary folder, screened by
``run.screen_file`` into Parquet files there, and read back. So the rows, the rejects with
their reasons and the counts (read = written + rejected, each counted from its own file) are
those the CLI would give for the same file and options. Nothing is left behind.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from keicar.inputs.vehicle import InputError
from .csvscan import count_records
from .run import Counts, screen_file

FORMATS = ("csv", "parquet")
#: dtypes a JSON answer holds as they are; others are given as text or refused
_PLAIN = (pl.String, pl.Boolean, pl.Date, pl.Datetime, pl.Null, pl.Enum, pl.Categorical)


class TooLarge(InputError):
    """The upload holds more rows than the limit (HTTP 413)."""


def screen_bytes(data: bytes, fmt: str, *, max_rows: int, field: str = "request_body",
                 today: dt.date | None = None, **options: Any) -> tuple[pl.DataFrame, pl.DataFrame, Counts]:
    """(screened rows, rejected rows, counts) for ``data``, a CSV or Parquet file of at most
    ``max_rows`` rows. ``options``: those of ``keicar screen`` (``on``, ``month_reading``,
    ``on_column``, ``entry_date``, ``state``, ``registered_column``, ``columns``,
    ``fx_jpy_per_usd``). Errors about the file name ``field``."""
    if fmt not in FORMATS:
        raise InputError(field, f"{fmt!r} is not a format; accepted: {', '.join(FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="keicar-screen-") as tmp:
        folder = Path(tmp)
        src = folder / f"upload.{fmt}"
        src.write_bytes(data)
        try:
            rows = _rows(src, fmt)
            if rows > max_rows:
                raise TooLarge(field, f"{rows:,} rows; at most {max_rows:,} rows are screened here "
                                      f"(use keicar screen for larger files)")
            out, rejects = folder / "screened.parquet", folder / "rejects.parquet"
            counts = screen_file(src, out, rejects, today=today, **options)
            return pl.read_parquet(out), pl.read_parquet(rejects), counts
        except InputError as exc:
            if exc.field in ("in", "out", "rejects"):
                raise type(exc)(field, exc.message.replace(str(folder) + "/", "")) from None
            raise


def _rows(src: Path, fmt: str) -> int:
    """Rows in the file, counted before screening (as the screen counts them)."""
    if fmt == "csv":
        return count_records(src).rows
    try:
        return pl.scan_parquet(src).select(pl.len()).collect().item()
    except Exception as exc:  # not Parquet, truncated...
        lines = str(exc).strip().splitlines()
        raise InputError("in", f"cannot read 'upload.parquet': {lines[0] if lines else type(exc).__name__}") from None


def records(frame: pl.DataFrame, field: str = "request_body") -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts: numbers, text, flags and dates as they are; decimals,
    times and durations as text. Columns of bytes, objects or nested values are refused (a
    JSON answer would not hold them faithfully), naming the column."""
    casts = []
    for name, dtype in frame.schema.items():
        if dtype.is_nested() or dtype in (pl.Binary, pl.Object):
            raise InputError(field, f"the column {name!r} holds {dtype} values, which this answer cannot "
                                    f"hold; use keicar screen")
        if not (dtype.is_numeric() and not dtype.is_decimal()) and not isinstance(dtype, _PLAIN):
            casts.append(pl.col(name).cast(pl.String))
    if casts:
        frame = frame.with_columns(casts)
    return frame.to_dicts()
