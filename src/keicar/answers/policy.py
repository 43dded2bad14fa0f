"""Run a policy against today's law over a table of vehicles, in one Polars pass.

The category's variables (``category.<name>.admits``, ``.failed``, ``.undecided_by``: see
``keicar.rules.category.variables``, the registry's own) are compiled twice, once against the
baseline law and once against the law with the policy overlaid, into one query over the
catalog's model generations (or a listings file); one ``collect`` computes both verdicts, the
failed limits under each, the inputs that leave an answer unknown, and what changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from keicar.engine.parameters import Law, default_law
from keicar.engine.policy import Policy
from keicar.rules import category
from keicar.inputs.vehicle import BODIES, InputError, parse_date
from keicar.catalog import CATALOG_CSV

CATALOG = CATALOG_CSV
#: Columns of a listings file: the dimensions are required, the rest optional.
REQUIRED = ("length_mm", "width_mm", "height_mm", "body")
OPTIONAL = ("cc", "ev_kw", "curb_weight_kg", "gvwr_lb", "top_speed_mph", "powertrain")
LABELS = ("make", "model", "generation", "chassis_codes", "id")
_NUMERIC = ("length_mm", "width_mm", "height_mm", "cc", "ev_kw", "curb_weight_kg", "gvwr_lb", "top_speed_mph")
_BODY = {"passenger": "passenger", "suv": "passenger", "sports": "passenger", "truck": "truck", "van": "van"}


#: A catalog cell that is one number; anything else (a range ``1755-1800``, alternatives
#: ``657|658``) is not a value yet: the row's input is missing, and the cell is kept as
#: ``given_<input>`` so that the reason for an unknown answer can quote it.
_ONE_NUMBER = r"^\s*\d+(\.\d+)?\s*$"
#: Exact unit conversions (1 mile = 1.609344 km; 1 lb = 0.45359237 kg): the catalog keeps
#: what its sources state (km/h, kg), the category limits are in mph and lb.
_KMH_PER_MPH = 1.609344
_KG_PER_LB = 0.45359237
#: input column -> (catalog column, divisor into the input's unit)
_FROM_CATALOG = {"length_mm": ("length_mm", 1.0), "width_mm": ("width_mm", 1.0),
                 "height_mm": ("height_mm", 1.0), "cc": ("displacement_cc", 1.0),
                 "curb_weight_kg": ("curb_weight_kg", 1.0), "gvwr_lb": ("gvwr_kg", _KG_PER_LB),
                 "top_speed_mph": ("top_speed_kmh", _KMH_PER_MPH)}


#: The catalog lists kei generations: a vehicle registered as kei met Japan's kei limits in
#: force when it was built. Where the catalog gives no dimension, the set of values it can
#: have is at most the greatest limit in force during the generation's production window.
_KEI_LIMIT = {"length_mm": "jp.kei.length_mm", "width_mm": "jp.kei.width_mm", "height_mm": "jp.kei.height_mm"}


def kei_bound(law: Law, path: str, start: str | None, end: str | None,
              today: dt.date | None = None) -> float | None:
    """The greatest value of the dated limit ``path`` in force on any day of the production
    window; None when the window cannot be read or the limit is not in force all through it
    (before 1949-07-08 there was no kei class to be bounded by)."""
    from keicar.catalog import period

    today = today or dt.date.today()
    begun, ended = period(start or ""), period(end or "")
    if begun is None or not law.has(path):
        return None
    first, last = begun[0], min(ended[1] if ended else today, today)  # no end: built to this day
    param = law.param(path)
    if last < first or param.entry(first) is None:
        return None
    in_force = [v.value for v in param.values if first < v.since <= last] + [param.entry(first).value]
    return float(max(in_force))


def catalog_frame(law: Law | None = None):
    """The catalog's generations as vehicle rows, numbered from 1 (``row``). A generation
    listed with several bodies ("truck|van") or powertrains ("ice|hybrid") is read by its
    first one; an electric one has no displacement. A cell holding a range or alternatives
    gives a missing input and its text as ``given_<input>``. An empty length, width or height
    is the set from 0 up to the greatest kei limit in force while the generation was built
    (``kei_bounded`` names those inputs): a kei generation cannot exceed it."""
    import polars as pl

    raw = pl.read_csv(CATALOG, infer_schema_length=0)
    law = law or default_law()
    bounds = {name: pl.Series([kei_bound(law, path, s, e) for s, e in
                               zip(raw["production_start"], raw["production_end"])], dtype=pl.Float64)
              for name, path in _KEI_LIMIT.items()}
    first = lambda c: pl.col(c).str.split("|").list.first()  # noqa: E731
    ev = first("powertrain") == "ev"
    cols = [pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"),
            pl.col("make"), pl.col("model"), pl.col("generation"), pl.col("chassis_codes")]
    for name, (column, per) in _FROM_CATALOG.items():
        cell = pl.col(column) if column in raw.columns else pl.lit(None, dtype=pl.String)
        one = cell.str.contains(_ONE_NUMBER)
        value = pl.when(one).then(cell.cast(pl.Float64, strict=False) / per)
        given = pl.when(cell.is_not_null() & ~one).then(cell)
        if name == "cc":
            value, given = pl.when(~ev).then(value), pl.when(~ev).then(given)
        # the set the cell gives: its least and greatest number (one number: both that number)
        parts = cell.str.replace_all(r"\s*(?:-|–|—|\.\.|\||/|,)\s*", "|").str.split("|")
        numbers = parts.list.eval(pl.element().cast(pl.Float64, strict=False))
        read = numbers.list.eval(pl.element().is_not_null()).list.all()
        ends = [pl.when(read).then(getattr(numbers.list, f)() / per) for f in ("min", "max")]
        if name == "cc":
            ends = [pl.when(~ev).then(x) for x in ends]
        if name in bounds:
            empty = cell.is_null()
            ends = [pl.when(empty & pl.lit(bounds[name]).is_not_null()).then(pl.lit(0.0)).otherwise(ends[0]),
                    pl.when(empty).then(pl.lit(bounds[name])).otherwise(ends[1])]
            given = pl.when(empty & pl.lit(bounds[name]).is_not_null()).then(
                pl.lit("≤ ") + pl.lit(bounds[name]).cast(pl.Int64).cast(pl.String)
                + pl.lit(" (kei limit when built)")).otherwise(given)
        cols += [value.cast(pl.Float64).alias(name), given.cast(pl.String).alias(f"given_{name}"),
                 ends[0].cast(pl.Float64).alias(f"{name}_lo"), ends[1].cast(pl.Float64).alias(f"{name}_hi")]
    bounded = [pl.when(pl.col(c).is_null() & pl.lit(bounds[n]).is_not_null()).then(pl.lit(n))
               for n, c in ((n, _FROM_CATALOG[n][0]) for n in _KEI_LIMIT)]
    cols += [pl.concat_str(bounded, separator=",", ignore_nulls=True).alias("kei_bounded"),
             pl.lit(None, dtype=pl.Float64).alias("ev_kw"),
             first("body_type").replace_strict(_BODY, default=None).alias("body"),
             first("powertrain").alias("powertrain")]
    return raw.select(cols)


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
    # The data row's number (1 = the first row after a CSV header): how a row is named in
    # the answer, with its input columns. A file's own ``row`` column is kept as is.
    if "row" not in frame.columns:
        frame = frame.with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))
    return frame


def resolve_on(raw: Any, policy: Policy, today: dt.date | None = None) -> dt.date:
    """The date asked; by default the later of today and the policy's last effective date,
    so that the whole policy is in force."""
    if raw not in (None, ""):
        return parse_date("on", raw)
    today = today or dt.date.today()
    return max(today, policy.latest_effective or today)


#: Output columns per law: the category variable's suffix -> column suffix.
_OUT = {"admits": "qualifies", "failed": "failed", "undecided_by": "undecided"}


def _compiled(lf, law: Law, prefix: str | None, on: dt.date, tag: str, sets: tuple[str, ...] = ()):
    """The category's variables (``keicar.rules.category.variables``, as in the registry)
    compiled against ``law`` as ``<tag>_qualifies``, ``<tag>_failed``, ``<tag>_undecided``:
    (``lf`` with the hidden columns that inputs given as ``sets`` need, the expressions, the
    hidden columns' names). Over sets an answer is definite when the whole set gives it."""
    import polars as pl

    from keicar.engine.variables import columns, staged

    variables = category.variables(law, prefix or "")
    hidden: list[str] = []
    if sets:
        lf, exprs, hidden = staged(lf, law, variables, {"on": on}, None, sets)
    else:
        exprs = columns(law, variables, {"on": on})
    out = []
    for v, e in zip(variables, exprs):
        suffix = _OUT[v.name.rsplit(".", 1)[-1]]
        out.append((e.cast(pl.Boolean) if suffix == "qualifies" else e.cast(pl.String)).alias(f"{tag}_{suffix}"))
    return lf, out, hidden


def absent_inputs(law: Law, prefix: str | None, have: set[str]) -> list[str]:
    """The limits of the category whose input the table has no column for."""
    if not prefix:
        return []
    return [n for n in category.LIMITS if law.has(f"{prefix}.{n}") and category.LIMITS[n][1] not in have]


def run_frame(frame, laws: dict[str, tuple[Law, str | None]], on: dt.date):
    """One query: for each ``tag -> (law, category prefix)`` the columns of
    :func:`_compiled`; inputs the table lacks are missing on every row."""
    import polars as pl

    have = set(frame.columns)
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    # inputs given as sets (the catalog's ranges and alternatives: <input>_lo, <input>_hi)
    sets = tuple(c for c in sorted({col for _, col, _, _ in category.LIMITS.values()})
                 if c + "_lo" in have and c + "_hi" in have)
    absent = {col for _, col, _, _ in category.LIMITS.values()} - have - set(sets)
    lf = lf.with_columns([pl.lit(None, dtype=pl.String if c in ("powertrain", "body") else pl.Float64).alias(c)
                          for c in sorted(absent)])
    lf = lf.with_columns(pl.col("body").cast(pl.Enum(list(BODIES))))
    hidden: list[str] = []
    cols = []
    for tag, (law, prefix) in laws.items():
        lf, exprs, more = _compiled(lf, law, prefix, on, tag, sets)
        cols += exprs
        hidden += more
    return lf.with_columns(cols).drop(sorted(absent), *hidden).collect()


def compare(frame, policy: Policy, on: dt.date, law: Law | None = None):
    """Add ``baseline_qualifies``/``_failed``/``_undecided`` and the same ``policy_``
    columns to ``frame`` in one query; also the limits whose input the table lacks."""
    base = law or default_law()
    plaw = policy.law(base)
    have = set(frame.columns)
    out = run_frame(frame, {"baseline": (base, policy.category), "policy": (plaw, policy.category)}, on)
    return out, {"baseline": absent_inputs(base, policy.category, have),
                 "policy": absent_inputs(plaw, policy.category, have)}


def straddling(row: dict[str, Any], law: Law, prefix: str | None, on: dt.date) -> list[str]:
    """The inputs given as a set (``<input>_lo``/``_hi``) that leave the category's answer
    open on ``on``, as the explainer finds them (``engine.variables.trace``)."""
    from keicar.inputs.sets import Span
    from keicar.engine.variables import trace

    if not prefix:
        return []
    vehicle: dict[str, Any] = {"on": on}
    for _, col, _, _ in category.LIMITS.values():
        lo, hi = row.get(f"{col}_lo"), row.get(f"{col}_hi")
        exact = row.get(col) if row.get(col) is not None else lo
        vehicle[col] = Span(lo, hi) if lo is not None and hi is not None and lo != hi else exact
    admits = next(v for v in category.variables(law, prefix) if v.name.endswith(".admits"))
    return trace(law, vehicle, admits).get("unknown", {}).get("inputs", [])


def reasons(undecided: str | None, row: dict[str, Any], answer: bool | None = None,
            open_by: list[str] | None = None) -> list[dict[str, Any]]:
    """Why an answer is unknown: for each input named by ``category.<name>.undecided_by``,
    ``missing`` (no value), or ``range`` with the catalog's text when the source gives a
    range or alternatives, not one value (a set, evaluated as a set: the answer is open only
    where the set straddles a limit)."""
    out = []
    names = [n for n in (undecided or "").split(",") if n]
    if not names and answer is None:  # open as a set straddles a limit (none missing)
        names = open_by if open_by is not None else [
            k[len("given_"):] for k, v in row.items() if k.startswith("given_") and v]
    for name in names:
        given = row.get(f"given_{name}")
        out.append({"input": name, "why": "range", "given": given} if given else {"input": name, "why": "missing"})
    return out


def label(row: dict[str, Any], inputs: list[str]) -> str:
    """How a row is named: a catalog generation by make, model, generation and codes; a
    listing row by its number and its input columns."""
    if row.get("make") or row.get("model"):
        gen = f" (generation {row['generation']})" if row.get("generation") else ""
        codes = f" {row['chassis_codes']}" if row.get("chassis_codes") else ""
        return f"{row.get('make') or ''} {row.get('model') or ''}{gen}{codes}".strip()
    shown = " ".join(f"{c}={_plain(row.get(c))}" for c in inputs if c in row)
    ident = f" id={row['id']}" if row.get("id") not in (None, "") else ""
    return f"row {row.get('row')}{ident}: {shown}".rstrip(": ")


def _plain(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def input_columns(frame) -> list[str]:
    """The input columns of a table, in the order a listing names them."""
    return [c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]


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
    because: dict[str, int] = {}
    for label_ in out.filter(q.is_null())[f"{tag}_undecided"].to_list():
        for n in (label_ or "").split(","):
            if n:
                because[n] = because.get(n, 0) + 1
    return {
        "qualify": int(q.eq(True).sum()),
        "fail": int(q.eq(False).sum()),
        "unknown": int(q.is_null().sum()),
        "excluded_by": dict(sorted(excluded.items(), key=lambda kv: -kv[1])),
        "binding": dict(sorted(binding.items(), key=lambda kv: -kv[1])),
        "unknown_because": dict(sorted(because.items(), key=lambda kv: -kv[1])),
    }


def report(policy: Policy, frame=None, on: Any = None, law: Law | None = None,
           source: str = "catalog") -> dict[str, Any]:
    """The JSON of ``keicar policy run``."""
    base = law or default_law()
    on_d = resolve_on(on, policy)
    frame = catalog_frame(base) if frame is None else frame
    out, skipped = compare(frame, policy, on_d, base)
    plaw = policy.law(base)
    labels = [c for c in LABELS if c in out.columns]
    inputs = input_columns(frame)
    rows = []
    for r in out.iter_rows(named=True):
        rows.append({"row": r.get("row"), **{c: r[c] for c in labels}, "label": label(r, inputs),
                     "baseline": r["baseline_qualifies"], "policy": r["policy_qualifies"],
                     # open over a set (null): no limit surely fails, or the answer would be "no"
                     "baseline_failed": [x for x in (r["baseline_failed"] or "").split(",") if x],
                     "policy_failed": [x for x in (r["policy_failed"] or "").split(",") if x],
                     "baseline_unknown": reasons(r["baseline_undecided"], r, r["baseline_qualifies"],
                                                 straddling(r, base, policy.category, on_d)),
                     "policy_unknown": reasons(r["policy_undecided"], r, r["policy_qualifies"],
                                               straddling(r, plaw, policy.category, on_d)),
                     "kei_bounded": [x for x in (r.get("kei_bounded") or "").split(",") if x]})
    gained = [r for r in rows if r["policy"] is True and r["baseline"] is not True]
    lost = [r for r in rows if r["baseline"] is True and r["policy"] is not True]
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
        # definite answers that read a dimension only as "at most the kei limit when built"
        "decided_by_kei_limits": sum(1 for r in rows if r["policy"] is not None and r["kei_bounded"]),
        "inputs_missing_for": sorted(set(skipped.get("baseline", [])) | set(skipped.get("policy", []))),
        "reported": reported,
        "baseline": _summary(out, "baseline"),
        "policy_result": _summary(out, "policy"),
        "difference": {"qualify": _summary(out, "policy")["qualify"] - _summary(out, "baseline")["qualify"],
                       "gained": gained, "lost": lost},
        "rows": rows,
    }


def compare_report(policies: list[Policy], frame=None, on: Any = None, law: Law | None = None,
                   source: str = "catalog") -> dict[str, Any]:
    """The JSON of ``keicar policy compare``: today's law (each category it defines) and each
    policy (its category under its law) side by side over the same rows, in one query:
    counts admitted / not admitted / unknown per column, and the rows whose answers differ
    (``null`` = unknown counts as an answer of its own)."""
    base = law or default_law()
    if on not in (None, ""):
        on_d = parse_date("on", on)
    else:  # every policy in force
        today = dt.date.today()
        on_d = max([today, *(p.latest_effective or today for p in policies)])
    frame = catalog_frame(base) if frame is None else frame
    laws: dict[str, tuple[Law, str | None]] = {}
    columns_: list[dict[str, Any]] = []
    for prefix in category.prefixes(base):
        tag = f"today:{category.name_of(prefix)}"
        laws[tag] = (base, prefix)
        columns_.append({"id": tag, "title": f"Today's law: {category.title(base, prefix)}", "category": prefix,
                         "hypothetical": False})
    for p in policies:
        tag = p.id if p.id not in laws else f"{p.id}#{len(laws)}"
        laws[tag] = (p.law(base), p.category)
        columns_.append({"id": tag, "title": p.title, "category": p.category, "hypothetical": p.hypothetical})
    out = run_frame(frame, laws, on_d)
    for c in columns_:
        s = _summary(out, c["id"])
        c.update({"admitted": s["qualify"], "not_admitted": s["fail"], "unknown": s["unknown"],
                  "unknown_because": s["unknown_because"], "binding": s["binding"]})
    inputs = input_columns(frame)
    tags = [c["id"] for c in columns_]
    differs = []
    for r in out.iter_rows(named=True):
        answers = {t: r[f"{t}_qualifies"] for t in tags}
        if len(set(answers.values())) > 1:
            differs.append({"row": r.get("row"), "label": label(r, inputs), "answers": answers,
                            "unknown": {t: reasons(r[f"{t}_undecided"], r, None, straddling(r, *laws[t], on_d))
                                        for t in tags if answers[t] is None}})
    return {"on": on_d.isoformat(), "law_version": base.version, "source": source, "rows_total": out.height,
            "columns": columns_, "differs": differs}
