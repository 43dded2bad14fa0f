"""The two columns a screen adds for rows given as sets (``keicar.batch.run.SETS``):
``input_sets`` (which inputs were a set, and the set) and ``unknown_because`` (why an answer
is open: the input and the threshold it straddles, as ``keicar check`` says it).

The reasons come from the explainer (``keicar.engine.variables.trace``), run only for the
rows whose answer the sets leave open: the Polars runner says *that* an answer is open (a
null), the explainer says *why*, from the same formula."""

from __future__ import annotations

from typing import Any

import polars as pl

from keicar.inputs.sets import Span
from .columns import NUMBERS, ON, REGISTERED, STATE

#: The answers whose open value gets a reason, in the order the reasons are given.
EXPLAINED = ("kei.is_kei", "us.importable", "us.road_legal_import", "us.import_outlook", "state.status")


def describe(rows: pl.DataFrame) -> pl.Series:
    """``height_mm 1755-1800; built 1999-01-01..1999-12-31`` for each row (null: none)."""
    parts = [pl.when(pl.col(n + "_lo") != pl.col(n + "_hi")).then(pl.format(
        n + " {}-{}", *(_number(pl.col(n + e)) for e in ("_lo", "_hi")))) for n in NUMBERS]
    parts.append(pl.when(pl.col("built_start_lo") != pl.col("built_start_hi")).then(pl.format(
        "built {}..{}", pl.col("built_start_lo").cast(pl.String), pl.col("built_start_hi").cast(pl.String))))
    return rows.select(pl.concat_str(parts, separator="; ", ignore_nulls=True)).to_series()


def _number(x: pl.Expr) -> pl.Expr:
    whole = x == x.round(0)
    return pl.when(whole).then(x.cast(pl.Int64).cast(pl.String)).otherwise(x.cast(pl.String))


def unknown_reasons(rows: pl.DataFrame, job: Any) -> pl.Series:
    """Why each row's answers are open (null where none is): the reasons of the explained
    variables that the table leaves null, once each, joined by "; "."""
    from ..engine import expr as E
    from ..engine.parameters import default_law
    from ..engine.variables import trace
    from ..rules.registry import registry

    law = default_law()
    reg = registry(law)
    wanted = [reg[n] for n in EXPLAINED if n in reg and reg[n].column_name in rows.columns]
    # a variable's reasons depend only on the inputs it reads: each distinct reading is
    # explained once (a build year gives the same reasons on every row of that year)
    reads = {v.name: sorted(E.columns_in(v.formula)) for v in wanted}
    out = pl.Series([None] * rows.height, dtype=pl.String)
    if not wanted:
        return out
    # only the rows with an open answer are read, and only the columns the explainer reads
    open_rows = rows.select(pl.any_horizontal(pl.col(v.column_name).is_null() for v in wanted)).to_series()
    if not open_rows.any():
        return out
    read = [*(n + e for n in (*NUMBERS, "built_start", "built_end") for e in ("_lo", "_hi")), "body", "stroke",
            ON, STATE, REGISTERED, "mode", *(v.column_name for v in wanted)]
    memo: dict[tuple, list[str]] = {}
    said: list[str | None] = []
    for r in rows.filter(open_rows).select(c for c in read if c in rows.columns).iter_rows(named=True):
        row = explainer_row(r, job)
        why: list[str] = []
        for v in wanted:
            if r[v.column_name] is not None:
                continue
            key = (v.name, *(repr(row.get(c)) for c in reads[v.name]))
            if key not in memo:
                memo[key] = trace(law, row, v).get("unknown", {}).get("reasons", [])
            for text in memo[key]:
                if text not in why:
                    why.append(text)
        said.append("; ".join(why) or None)
    return out.scatter(open_rows.arg_true(), pl.Series(said, dtype=pl.String))


def explainer_row(r: dict[str, Any], job: Any) -> dict[str, Any]:
    """One screened row (its ``_lo``/``_hi`` columns) as the explainer reads a vehicle, with
    the date asked, the state and the registration as the screen read them."""
    def value(name: str) -> Any:
        lo, hi = r[name + "_lo"], r[name + "_hi"]
        return lo if lo == hi else Span(lo, hi)

    on = r[ON] if job.on_column else job.on
    row = {n: value(n) for n in (*NUMBERS, "built_start", "built_end")}
    row.update(body=r["body"], stroke=r.get("stroke"), on=on, month_reading=job.month_reading,
               state=r.get(STATE, job.state), registered=r.get(REGISTERED), entry_date=job.entry_date or on,
               mode=r.get("mode") or "ocean")
    return row



