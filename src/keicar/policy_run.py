"""Run a policy against today's law over a table of vehicles, in one Polars pass.

The category rules (``keicar.rules.category``) are compiled twice, once against the baseline
law and once against the law with the policy overlaid, into one query over the catalog's
model generations (or a listings file); one ``collect`` computes both verdicts, the failed
limits under each, and what changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from keicar.engine.parameters import Law, default_law
from keicar.engine.policy import Policy
from keicar.rules import category
from keicar.inputs.vehicle import BODIES, InputError, parse_date

CATALOG = Path(__file__).resolve().parent / "catalog" / "catalog.csv"
#: Columns of a listings file: the dimensions are required, the rest optional.
REQUIRED = ("length_mm", "width_mm", "height_mm", "body")
OPTIONAL = ("cc", "ev_kw", "curb_weight_kg", "gvwr_lb", "top_speed_mph", "powertrain")
LABELS = ("make", "model", "generation", "chassis_codes", "id")
_NUMERIC = ("length_mm", "width_mm", "height_mm", "cc", "ev_kw", "curb_weight_kg", "gvwr_lb", "top_speed_mph")
_BODY = {"passenger": "passenger", "suv": "passenger", "sports": "passenger", "truck": "truck", "van": "van"}


def catalog_frame():
    """The catalog's generations as vehicle rows. A generation listed with several bodies
    ("truck|van") or powertrains ("ice|hybrid") is read by its first one."""
    import polars as pl

    raw = pl.read_csv(CATALOG, infer_schema_length=0)
    first = lambda c: pl.col(c).str.split("|").list.first()  # noqa: E731
    num = lambda c: pl.col(c).cast(pl.Float64, strict=False)  # noqa: E731
    return raw.select(
        pl.col("make"), pl.col("model"), pl.col("generation"), pl.col("chassis_codes"),
        num("length_mm"), num("width_mm"), num("height_mm"),
        pl.when(first("powertrain") != "ev").then(num("displacement_cc")).alias("cc"),
        pl.lit(None, dtype=pl.Float64).alias("ev_kw"),
        num("curb_weight_kg"),
        first("body_type").replace_strict(_BODY, default=None).alias("body"),
        first("powertrain").alias("powertrain"),
    )


def listings_frame(path: str | Path):
    """A listings file (CSV or Parquet) with at least length_mm, width_mm, height_mm, body."""
    import polars as pl

    path = Path(path)
    if not path.is_file():
        raise InputError("listings", f"{path}: no such file; give a CSV or Parquet file")
    try:
        frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema_length=0)
    except Exception as exc:  # a corrupt or non-tabular file
        raise InputError("listings", f"{path}: not a readable CSV or Parquet file ({type(exc).__name__})") from None
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError("listings", f"{path}: missing column(s) {', '.join(missing)}; "
                         f"required: {', '.join(REQUIRED)}; optional: {', '.join(OPTIONAL)}")
    casts = [pl.col(c).cast(pl.Float64, strict=False) for c in _NUMERIC if c in frame.columns]
    frame = frame.with_columns(casts)
    bad = frame.filter(pl.col("body").is_not_null() & ~pl.col("body").is_in(list(BODIES)))
    if bad.height:
        raise InputError("listings", f"{path}: body {bad['body'][0]!r} is not a body type; accepted: {', '.join(BODIES)}")
    if "cc" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("cc"))
    if "ev_kw" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("ev_kw"))
    return frame


def resolve_on(raw: Any, policy: Policy, today: dt.date | None = None) -> dt.date:
    """The date asked; by default the later of today and the policy's last effective date,
    so that the whole policy is in force."""
    if raw not in (None, ""):
        return parse_date("on", raw)
    today = today or dt.date.today()
    return max(today, policy.latest_effective or today)


def _compiled(law: Law, prefix: str | None, columns: set[str], on: dt.date, tag: str):
    import polars as pl

    from keicar.engine.vectorized import Compiler

    cks, _ = category.checks(law, prefix) if prefix else ([], [])
    skipped = [c.name for c in cks if c.name in category.LIMITS and category.LIMITS[c.name][1] not in columns]
    comp = Compiler(law, {"on": on})
    ok = comp.compile(category.qualifies(cks))
    fails = [pl.when(comp.compile(category.failed(c)).fill_null(False)).then(pl.lit(c.name))
             for c in cks]
    failed = pl.concat_str(fails, separator=",", ignore_nulls=True) if fails else pl.lit("")
    if not cks:
        failed = pl.lit("category_not_in_law")
    return [ok.cast(pl.Boolean).alias(f"{tag}_qualifies"), failed.alias(f"{tag}_failed")], skipped


def compare(frame, policy: Policy, on: dt.date, law: Law | None = None):
    """Add ``baseline_qualifies``/``_failed`` and ``policy_qualifies``/``_failed`` columns to
    ``frame`` in one query."""
    import polars as pl

    base = law or default_law()
    columns = set(frame.columns)
    prefix = policy.category
    cols, skipped = [], {}
    for tag in ("baseline", "policy"):
        the_law = base if tag == "baseline" else policy.law(base)
        c, s = _compiled(the_law, prefix, columns, on, tag)
        cols += c
        skipped[tag] = s
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    # An input the table lacks is missing on every row: checks that need it are unknown.
    absent = {col for _, col, _, _ in category.LIMITS.values()} - columns
    lf = lf.with_columns([pl.lit(None, dtype=pl.String if c in ("powertrain", "body") else pl.Float64).alias(c)
                          for c in sorted(absent)])
    if "body" in columns or "body" in absent:
        lf = lf.with_columns(pl.col("body").cast(pl.Enum(list(BODIES))))
    return lf.with_columns(cols).collect(), skipped


def _summary(out, tag: str) -> dict[str, Any]:
    import polars as pl

    q = out[f"{tag}_qualifies"]
    fails = out.filter(q.eq(False) & pl.col(f"{tag}_failed").ne(""))[f"{tag}_failed"]
    excluded: dict[str, int] = {}
    binding: dict[str, int] = {}
    for label in fails.to_list():
        names = label.split(",")
        for n in names:
            excluded[n] = excluded.get(n, 0) + 1
        if len(names) == 1:
            binding[names[0]] = binding.get(names[0], 0) + 1
    return {
        "qualify": int(q.eq(True).sum()),
        "fail": int(q.eq(False).sum()),
        "unknown": int(q.is_null().sum()),
        "excluded_by": dict(sorted(excluded.items(), key=lambda kv: -kv[1])),
        "binding": dict(sorted(binding.items(), key=lambda kv: -kv[1])),
    }


def report(policy: Policy, frame=None, on: Any = None, law: Law | None = None,
           source: str = "catalog") -> dict[str, Any]:
    """The JSON of ``keicar policy run``."""
    base = law or default_law()
    on_d = resolve_on(on, policy)
    frame = catalog_frame() if frame is None else frame
    out, skipped = compare(frame, policy, on_d, base)
    labels = [c for c in LABELS if c in out.columns]
    rows = []
    for r in out.iter_rows(named=True):
        rows.append({**{c: r[c] for c in labels},
                     "baseline": r["baseline_qualifies"], "policy": r["policy_qualifies"],
                     "baseline_failed": [x for x in r["baseline_failed"].split(",") if x],
                     "policy_failed": [x for x in r["policy_failed"].split(",") if x]})
    gained = [r for r in rows if r["policy"] is True and r["baseline"] is not True]
    lost = [r for r in rows if r["baseline"] is True and r["policy"] is not True]
    plaw = policy.law(base)
    reported = {}
    if policy.category:
        for name in category.REPORTED:
            path = f"{policy.category}.{name}"
            if plaw.has(path):
                e = plaw.param(path).entry(on_d)
                reported[name] = None if e is None else {
                    "value": list(e.value) if isinstance(e.value, tuple) else e.value,
                    "effective": e.since.isoformat(), "citation": e.citation}
    return {
        "policy": policy.id,
        "title": policy.title,
        "hypothetical": policy.hypothetical,
        "category": policy.category,
        "on": on_d.isoformat(),
        "law_version": base.version,
        "source": source,
        "rows_total": out.height,
        "inputs_missing_for": sorted(set(skipped.get("baseline", [])) | set(skipped.get("policy", []))),
        "reported": reported,
        "baseline": _summary(out, "baseline"),
        "policy_result": _summary(out, "policy"),
        "difference": {"qualify": _summary(out, "policy")["qualify"] - _summary(out, "baseline")["qualify"],
                       "gained": gained, "lost": lost},
        "rows": rows,
    }
