"""``keicar screen`` (a listing file, any size) and ``keicar sample`` (synthetic listings)."""

import sys
from pathlib import Path
from typing import List, Optional

import typer

from keicar.inputs.vehicle import InputError
from .app import app


@app.command()
def screen(
    listings: Path = typer.Argument(..., metavar="IN", help="Listings: a .csv or .parquet file."),
    out: Path = typer.Option(..., "--out", help="Screened rows with the verdict columns (.csv or .parquet)."),
    rejects: Optional[Path] = typer.Option(None, "--rejects", help="Rejected rows with row number and reason "
                                           "(default: OUT's name + .rejects)."),
    on: Optional[str] = typer.Option(None, help="The date asked, YYYY-MM-DD (default: today)."),
    month_reading: Optional[str] = typer.Option(None, "--month-reading", help="Month-only build dates: end "
                                                "(default) or start."),
    mapping: Optional[List[str]] = typer.Option(None, "--map", help="Rename an input column: OLD=NEW, e.g. "
                                                "'Year Built=built' (repeatable)."),
    units: Optional[List[str]] = typer.Option(None, "--units", help="Units of the input: length|width|height|"
                                              "dimensions=mm|cm|m|in|ft, cc=cc|l|ci, ev_kw=kw|hp|ps (repeatable)."),
    engine: str = typer.Option("polars", "--engine", help="polars (this machine, streaming) or spark."),
    on_column: Optional[str] = typer.Option(None, "--on-column", help="A column of dates asked, one per row "
                                            "(instead of --on)."),
    entry_date: Optional[str] = typer.Option(None, "--entry-date", help="US customs entry date, YYYY-MM-DD "
                                             "(default: the date asked)."),
    state: Optional[str] = typer.Option(None, "--state", help="One US state for every row (a file without a "
                                        "state column): the state_* columns."),
    registered_column: Optional[str] = typer.Option(None, "--registered-column", help="A column of first "
                                                    "registration dates in the state (grandfathering)."),
    fx_jpy_per_usd: Optional[str] = typer.Option(None, "--fx-jpy-per-usd", help="Yen per US dollar, for a "
                                                 "price_jpy column (your rate; no network)."),
    columns: Optional[str] = typer.Option(None, "--columns", help="The variables to add, comma-separated "
                                          "(names or column names, see keicar variables; default: all)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write the summary as a self-contained "
                                          "HTML page (tables and charts, no network), e.g. report.html."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON instead of tables."),
) -> None:
    """Screen a listing file: every variable of `keicar variables` that its columns allow, as
    columns; nothing lost. Prints read = written + rejected (stderr) and the rows by verdict,
    by state and by reject reason (stdout; --json for JSON).

    Values as dealers write them are read (docs/formats.md): built 1999-02, 1999/02, 02/1999,
    Feb-1999, 1999 (the year), H11, H11/2, 平成11年; 3,395 mm, 660cc, 0.66L, ¥1,010,000;
    bodies such as kei truck, dump, panel van. Ambiguous ones (02/03/1999, 99) are rejects
    with the reason."""
    if engine not in ("polars", "spark"):
        raise InputError("engine", f"{engine!r} is not an engine; accepted: polars, spark")
    from ..batch.run import RowsLost, default_rejects

    asked = dict(on=on, month_reading=month_reading, mapping=mapping, units=units, on_column=on_column,
                 entry_date=entry_date, state=state, registered_column=registered_column,
                 fx_jpy_per_usd=fx_jpy_per_usd, columns=columns, report=report, summary=True)
    try:
        if engine == "spark":
            from ..spark import screen_file
            counts = screen_file(listings, out, rejects, **asked)
        else:
            from ..batch.run import screen_file
            with _progress() as tick:
                counts = screen_file(listings, out, rejects, progress=tick, **asked)
    except RowsLost as exc:  # should never happen: say so loudly
        print(f"keicar: error: {exc}", file=sys.stderr)
        raise typer.Exit(1)
    rejects = rejects or default_rejects(Path(out))
    print(f"read {counts.read:,} = written {counts.written:,} + rejected {counts.rejected:,}"
          f" -> {out}, {rejects}" + (f", {report}" if report else ""), file=sys.stderr)
    files = {"out": str(out), "rejects": str(rejects), "report": str(report) if report else None}
    from .render import emit

    emit({**files, **counts.summary}, as_json, _show_summary)


def _show_summary(s: dict) -> None:
    """The summary as rich tables: totals, rows by verdict, by state, rejects by reason."""
    from rich.table import Table

    from ..present.outlook import label
    from .render import add_row, console

    con = console()
    by = s["by_verdict"]
    if by is not None:
        total = sum(by.values())
        t = Table(title=f"read {s['read']:,} = written {s['written']:,} + rejected {s['rejected']:,}",
                  title_justify="left")
        t.add_column("verdict (screened rows)")
        t.add_column("rows", justify="right")
        t.add_column("share", justify="right")
        for v, n in by.items():
            add_row(t, label(v), f"{n:,}", f"{100 * n / total:.1f}%" if total else "–")
        con.print(t)
    else:
        con.print("rows by verdict: not counted (us_import_outlook is not among --columns)")
    if s["by_state"]:
        verdicts = list(by)
        t = Table(title="by state", title_justify="left")
        t.add_column("state")
        for v in verdicts:
            t.add_column(label(v), justify="right")
        t.add_column("total", justify="right")
        for code, counts in s["by_state"].items():
            add_row(t, code, *(f"{counts.get(v, 0):,}" for v in verdicts), f"{sum(counts.values()):,}")
        con.print(t)
    if s["reject_reasons"]:
        t = Table(title=f"rejected rows by reason ({s['rejected']:,})", title_justify="left")
        for name, justify in (("field", "left"), ("reason", "left"), ("rows", "right"), ("first row", "right")):
            t.add_column(name, justify=justify)
        for r in s["reject_reasons"]:
            add_row(t, r["field"], r["reason"], f"{r['rows']:,}", f"{r['first_row']:,}")
        con.print(t)
        if s["other_reject_rows"]:
            con.print(f"{s['other_reject_rows']:,} more rejected rows with other reasons")


class _progress:
    """A rich progress line on a terminal; nothing otherwise."""

    def __enter__(self):
        self.bar = None
        if not sys.stderr.isatty():
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(SpinnerColumn(), TextColumn("screening: {task.completed:,} rows read"),
                            TimeElapsedColumn(), transient=True)
        self.bar.start()
        task = self.bar.add_task("screen", total=None)
        seen = [0]

        def tick(row: int) -> None:
            if row > seen[0]:
                seen[0] = row
                self.bar.update(task, completed=row)
        return tick

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


@app.command()
def sample(
    rows: int = typer.Option(..., "--rows", help="How many listings."),
    out: Path = typer.Option(..., "--out", help="A .csv or .parquet file."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same file."),
    bad_share: float = typer.Option(0.01, "--bad-share", help="Share of rows with an error of some kind."),
) -> None:
    """Synthetic listings drawn from the catalog, for benchmarks and demos."""
    from ..batch.sample import write_sample

    n = write_sample(out, rows=rows, seed=seed, bad_share=bad_share)
    print(f"wrote {n:,} rows -> {out}", file=sys.stderr)
