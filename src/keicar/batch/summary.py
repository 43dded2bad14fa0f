"""What a screen wrote, counted from the files it wrote: the rows by verdict
(``us.import_outlook``), by state and verdict, and the rejects by field and reason.

The counts are read back from the output and rejects files (or Spark's folders of part files)
before they are renamed into place, so a summary says what the files hold, not what the run
meant to write. Only two columns of the output are read (the verdict and the state).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from .columns import FIELD, REASON, ROW, STATE

#: The verdict column (``us.import_outlook``) and what a row without a state is listed as.
VERDICT = "us_import_outlook"
NO_STATE = "(none)"
#: Reject reasons listed one by one; the rest are counted together.
TOP_REASONS = 20


def outlooks() -> tuple[str, ...]:
    from ..rules.registry import OUTLOOKS

    return OUTLOOKS


def scan_written(path: Path) -> pl.LazyFrame:
    """An output as written: a file, or a folder of Spark part files. CSV is read as text."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        path = path / ("*.csv" if suffix == ".csv" else "*.parquet")
    if suffix == ".csv":
        return pl.scan_csv(path, infer_schema=False)
    return pl.scan_parquet(path)


def summarize(read: int, written: int, rejected: int, out: Path, rejects: Path,
              state: str | None = None) -> dict[str, Any]:
    """The summary of a screen whose outputs are at ``out`` and ``rejects`` (``read``,
    ``written``, ``rejected``: the run's counts, each taken from its own file); ``state``: the
    one state given for every row (``--state``), if any. ``by_verdict`` and ``by_state`` are
    None when the output has no verdict column (``--columns`` left it out); ``by_state`` is
    None without a state."""
    if not written:  # nothing to read (an empty CSV part file of Spark's has no header)
        return _result(read, written, rejected, rejects, {v: 0 for v in outlooks()},
                       {state: {v: 0 for v in outlooks()}} if state else None)
    frame = scan_written(out)
    names = frame.collect_schema().names()
    keep = [c for c in (VERDICT, STATE) if c in names]
    counts = frame.select(keep).group_by(keep).len().collect() if keep else None
    by_verdict = by_state = None
    if VERDICT in keep:
        by_verdict = _by_verdict(counts.group_by(VERDICT).agg(pl.col("len").sum()))
        if STATE in keep:
            by_state = {}
            per = counts.with_columns(pl.col(STATE).cast(pl.String).fill_null(NO_STATE))
            for (code,), group in sorted(per.group_by(STATE), key=lambda kv: (kv[0][0] == NO_STATE, kv[0][0])):
                by_state[code] = _by_verdict(group.group_by(VERDICT).agg(pl.col("len").sum()))
        elif state is not None:
            by_state = {state: dict(by_verdict)}
    return _result(read, written, rejected, rejects, by_verdict, by_state)


def _result(read: int, written: int, rejected: int, rejects: Path,
            by_verdict: dict | None, by_state: dict | None) -> dict[str, Any]:
    by_field, reasons, other = {}, [], 0
    if rejected:  # (an empty CSV part file of Spark's may have no header to read)
        r = scan_written(rejects).select(pl.col(ROW).cast(pl.Int64), FIELD, REASON).collect()
        by_field = {f: n for f, n in r.group_by(FIELD).len().sort(["len", FIELD], descending=[True, False]).iter_rows()}
        grouped = (r.with_columns(pattern=_pattern(pl.col(REASON)))
                   .group_by(FIELD, "pattern")
                   .agg(rows=pl.len(), example=pl.col(REASON).sort_by(ROW).first(), first_row=pl.col(ROW).min())
                   .sort(["rows", "first_row"], descending=[True, False]))
        for item in grouped.head(TOP_REASONS).iter_rows(named=True):
            reasons.append({"field": item[FIELD], "reason": item["pattern"], "rows": item["rows"],
                            "example": item["example"], "first_row": item["first_row"]})
        other = int(grouped["rows"][TOP_REASONS:].sum()) if grouped.height > TOP_REASONS else 0
    return {"read": read, "written": written, "rejected": rejected,
            "verdicts": list(outlooks()), "by_verdict": by_verdict, "by_state": by_state,
            "rejects_by_field": by_field, "reject_reasons": reasons, "other_reject_rows": other}


def _by_verdict(frame: pl.DataFrame) -> dict[str, int]:
    """Every verdict in order, with 0 for those no row has (a null verdict, which the registry
    never gives, would be listed as ``null``)."""
    got = {(None if v is None else str(v)): int(n) for v, n in frame.iter_rows()}
    out = {v: got.pop(v, 0) for v in outlooks()}
    for v, n in got.items():  # a value the registry does not list: shown, never dropped
        out["null" if v is None else v] = n
    return out


def _pattern(reason: pl.Expr) -> pl.Expr:
    """A reason with the values it quotes left out, so that the rows refused for one reason
    are counted together: "built: '1999/02' is not a date" -> "built: '…' is not a date"."""
    return reason.str.replace_all(r"'[^']*'", "'…'")
