"""Catalog fill in a screen: a ``chassis`` column (or ``make`` + ``model`` with the build
date) fills the specs a row lacks, as ``keicar check --chassis`` does.

Vectorised: the chassis text is normalised by Polars expressions (emission prefix, frame
serial and family suffix stripped: the same reading as ``keicar.catalog.normalize``, checked
against it in tests/test_batch_catalog.py); the distinct keys of a batch (code, make, model,
or make, model and build window when there is no code) are resolved once each, by
``keicar.catalog.fill_key``, into a small table that is joined to the rows. The cost per
row is a few string expressions and one hash join, never a Python call.

What is filled follows ``keicar.catalog.fillable``: a value the row gives always wins; a
range or alternatives in the catalog (height 1755-1800) fills in as that set (the working
columns ``<field>_lo`` and ``<field>_hi``; the exact value stays null), and the rules run over
the whole set (``keicar.batch.run``): definite where every value in it gives the same answer,
null with the reason in ``unknown_because`` otherwise. A code the catalog does not list (or one several makes share,
without a make) fills nothing: the row is screened if it has every value, with the reason in
``catalog_note``, and is a reject naming the code otherwise.

Columns added to the output: ``catalog_code``, ``catalog_make``, ``catalog_model``,
``catalog_generation`` (the generations' labels; several joined by "; "),
``filled_from_catalog`` (comma list of the filled columns, null if none),
``catalog_build_outside_production`` (the build date lies wholly outside the generations'
production window) and ``catalog_note`` (why no catalog row was used).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from keicar.inputs.sets import Span
from .columns import BODY, BUILT, CHASSIS, MAKE, MODEL, WORKING

#: The fields the catalog can fill, in ``check --chassis``'s order.
FIELDS = ("length_mm", "width_mm", "height_mm", "cc", "stroke", BODY)
#: Those the catalog may give as a range or alternatives: filled as a set (``<field>_lo``, ``_hi``).
SETS = ("length_mm", "width_mm", "height_mm", "cc")
OUTPUTS = ("catalog_code", "catalog_make", "catalog_model", "catalog_generation", "filled_from_catalog",
           "catalog_build_outside_production", "catalog_note")
C = WORKING + "cat_"  # the prefix of this module's working columns
KEYS = (C + "code", C + "make_in", C + "model_in", C + "from", C + "to")
_TYPES = {"length_mm": pl.Float64, "width_mm": pl.Float64, "height_mm": pl.Float64, "cc": pl.Float64,
          "stroke": pl.Int8, BODY: pl.String}
_PREFIX = r"[0-9A-Z]{1,3}"
_SERIALS = r"(?:-[0-9]{3,8})*"
MAX_PREFIXES = 8  # EBD-DA63T, ABA-X-JB23W: a text with more prefixes than this is not read as a code


def _text(e: pl.Expr) -> pl.Expr:
    return e.cast(pl.String).str.strip_chars()


def clean(raw: pl.Expr) -> pl.Expr:
    """``keicar.catalog.clean_code`` as an expression."""
    return (raw.cast(pl.String).str.replace_all(r"[\s\u3000]+", "").str.to_uppercase()
            .str.replace_all("[－‐]", "-"))


def code_of(raw: pl.Expr) -> pl.Expr:
    """The catalog code a chassis text names (``keicar.catalog.normalize_code``), or null."""
    from ..catalog import code_aliases

    aliases = code_aliases()
    keys = pl.Series(list(aliases), dtype=pl.String)
    text = clean(raw).str.replace_all("-+", "-").str.strip_chars("-")  # empty parts dropped, as split does
    known = lambda e: pl.when(e.is_in(keys.implode())).then(e)  # noqa: E731
    candidates = [known(text)]
    for i in range(MAX_PREFIXES + 1):  # PREFIX-...-CODE-SERIAL-...: the first part that is a code
        candidates.append(known(text.str.extract(rf"^(?:{_PREFIX}-){{{i}}}([0-9A-Z]+){_SERIALS}$", 1)))
    body = text.str.extract(rf"^(?:{_PREFIX}-)*([0-9A-Z]+)$", 1)  # a frame number without its hyphen
    for n in sorted({len(a) for a in aliases}, reverse=True):
        head, tail = body.str.slice(0, n), body.str.slice(n)
        candidates.append(pl.when(tail.str.contains(r"^[0-9]{4,8}$")).then(known(head)))
    return pl.coalesce(candidates).replace_strict(keys, list(aliases.values()), default=None,
                                                  return_dtype=pl.String)


@dataclass
class CatalogFill:
    """How one input table is filled: which columns give the key."""
    source: dict[str, str]                 # field -> input column (chassis, make, model, built, ...)
    built_dtype: pl.DataType | None = None

    @property
    def by_code(self) -> bool:
        return CHASSIS in self.source

    def raw_keys(self) -> dict[str, pl.Expr]:
        """Per row: the key columns as given, and, for a row searched by make and model (no
        chassis text), its build date (as given: read per distinct key, not per row)."""
        col = self.source.get
        keys = {C + "raw_" + f: pl.col(col(f)) for f in (CHASSIS, MAKE, MODEL) if f in self.source}
        if MAKE in self.source and MODEL in self.source:
            searched = ~_blank(pl.col(col(MAKE))) & ~_blank(pl.col(col(MODEL)))
            if self.by_code:  # a chassis text that is no code is not searched by make and model
                searched = searched & _blank(pl.col(col(CHASSIS)))
            keys[C + "raw_" + BUILT] = pl.when(searched).then(pl.col(col(BUILT)))
        return keys

    def normalised(self, raw: pl.DataFrame) -> pl.DataFrame:
        """The distinct raw keys with their normalised keys (``KEYS``): the code, the make and
        model as text, and for a row searched by make and model its build window widened to
        whole months (the catalog's production windows are whole months: the overlap is the
        same, and the keys to resolve fewer)."""
        from keicar.inputs.formats import built_range

        none = pl.lit(None, dtype=pl.String)
        have = raw.columns
        text = lambda f: (pl.when(~_blank(pl.col(C + "raw_" + f))).then(_text(pl.col(C + "raw_" + f)))  # noqa: E731
                          if C + "raw_" + f in have else none)
        code = code_of(pl.col(C + "raw_" + CHASSIS)) if self.by_code else none
        if C + "raw_" + BUILT in have:
            start, end = built_range(pl.col(C + "raw_" + BUILT), self.built_dtype)
            dates = {KEYS[3]: start.dt.month_start(), KEYS[4]: end.dt.month_end()}
        else:
            dates = {k: pl.lit(None, dtype=pl.Date) for k in KEYS[3:]}
        return raw.with_columns(**{KEYS[0]: code, KEYS[1]: text(MAKE), KEYS[2]: text(MODEL)}, **dates)

    def join(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        """The rows with the catalog's columns for their key. Normalised once per distinct raw
        key, resolved once per distinct normalised key, then one join to the rows."""
        rows = lf.with_columns(**self.raw_keys()).collect(engine="in-memory")  # a batch in memory
        built = C + "raw_" + BUILT
        if built in rows.columns and rows[built].null_count() == rows.height:  # no row searched by make, model
            rows = rows.drop(built)
        raw_names = [c for c in rows.columns if c.startswith(C + "raw_")]
        distinct = self.normalised(rows.select(raw_names).unique())
        table = _table(distinct.select(KEYS).unique())
        by_raw = distinct.join(table, on=list(KEYS), how="left", nulls_equal=True)
        by_raw = by_raw.with_columns(self.no_row_reason().alias(C + "note")).drop(KEYS).with_row_index(C + "key")
        # the rows join only each distinct key's number; its columns are then gathered (copying
        # the catalog's ~30 columns through a join of a million rows costs several times more)
        key = rows.select(raw_names).join(by_raw.select(*raw_names, C + "key"), on=raw_names, how="left",
                                          nulls_equal=True, maintain_order="left")[C + "key"]
        return rows.hstack(by_raw.drop(*raw_names, C + "key")[key].get_columns()).lazy()

    def no_row_reason(self) -> pl.Expr:
        """Why no catalog row is used (on the distinct keys): the resolver's note, or a chassis
        text that is no catalog code."""
        note = pl.col(C + "note")
        if not self.by_code:
            return note
        raw = pl.col(C + "raw_" + CHASSIS)
        unknown = pl.format("{} is not in the catalog; keicar lookup CODE gives the nearest codes",
                            pl.concat_str([pl.lit("'"), clean(raw), pl.lit("'")]))
        return pl.when(~_blank(raw) & pl.col(C + "out_catalog_code").is_null() & note.is_null()).then(
            unknown).otherwise(note)


def _missing(column: str | None, schema: pl.Schema) -> pl.Expr:
    """A row gives no value in this input column (absent, null, or blank text)."""
    if column is None:
        return pl.lit(True)
    dtype = schema[column]
    if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
        return _blank(pl.col(column))
    return pl.col(column).is_null()


def _blank(raw: pl.Expr) -> pl.Expr:
    text = _text(raw)
    return text.is_null() | (text == "")


def _table(keys: pl.DataFrame) -> pl.DataFrame:
    rows = [_row(*k) for k in keys.iter_rows()]
    schema = {**dict(zip(KEYS, (pl.String, pl.String, pl.String, pl.Date, pl.Date))),
              C + "found": pl.Boolean, **{C + "out_" + o: pl.String for o in OUTPUTS[:4]},
              C + "start": pl.Date, C + "end": pl.Date,
              C + "note": pl.String, C + "note_field": pl.String,
              **{C + f: _TYPES[f] for f in FIELDS}, **{C + f + "_why": pl.String for f in FIELDS},
              **{C + f + end: pl.Float64 for f in SETS for end in ("_lo", "_hi")}}
    return pl.DataFrame(rows, schema=schema, orient="row")


@lru_cache(maxsize=65536)
def _row(code: str | None, make: str | None, model: str | None, start: dt.date | None,
         end: dt.date | None) -> tuple[Any, ...]:
    from ..catalog import fill_key, production_window

    found = None
    if code or (make and model and start):
        found = fill_key(code, make, model, (start, end) if start else None)
    gens = found["generations"] if found else []
    first, last = production_window(gens) if gens else (None, None)
    agreed = lambda column: "; ".join(dict.fromkeys(g[column] for g in gens)) or None  # noqa: E731
    values = found["values"] if found else {}
    why = found["why"] if found else {}
    return (code, make, model, start, end, bool(gens),
            code if gens and code else None, agreed("make"), agreed("model"),
            "; ".join(g.label for g in gens) or None, first, last,
            found["note"] if found else None, found["field"] if found else None,
            *[None if type(values.get(f)) is Span else values.get(f) for f in FIELDS],
            *[why.get(f) for f in FIELDS], *[end for f in SETS for end in _ends(values.get(f))])


def _ends(value: Any) -> tuple[Any, Any]:
    """A catalog value as the least and greatest of its set (both the value when exact)."""
    return tuple(value) if type(value) is Span else (value, value)


def attach(p: Any, schema: pl.Schema) -> None:
    """Add the fill to a ``validate.Plan`` (after its parse and checks are planned): the
    join, the values filled where the row gives none, the reasons a needed value cannot be
    filled (first, as ``check --chassis`` refuses before it validates), the output columns."""
    from .columns import WORKING as P, Check

    keys = {f: p.source[f] for f in (CHASSIS, MAKE, MODEL, BUILT) if f in p.source}
    cf = CatalogFill(keys, built_dtype=schema[p.source[BUILT]])
    missing = {f: _missing(p.source.get(f), schema) for f in (*FIELDS, "ev_kw")}
    filled: dict[str, pl.Expr] = {}
    for f in FIELDS:
        value = pl.col(C + f)
        # a number may be a set (height 1755-1800): then its exact value stays null
        fill = missing[f] & (pl.col(C + f + "_lo") if f in SETS else value).is_not_null()
        stage = p.parsed
        own = stage.get(P + f, pl.lit(None, dtype=_TYPES[f]))
        stage[P + f] = pl.when(fill).then(value).otherwise(own)
        for end in ("_lo", "_hi") if f in SETS else ():
            stage[P + f + end] = pl.when(fill).then(pl.col(C + f + end)).otherwise(
                stage.get(P + f + end, pl.lit(None, dtype=pl.Float64)))
        p.parsed[C + "filled_" + f] = fill
        filled[f] = pl.col(C + "filled_" + f)
    needed = pl.any_horizontal(missing["length_mm"], missing["width_mm"], missing["height_mm"], missing[BODY],
                               missing["cc"] & missing["ev_kw"])
    found = pl.col(C + "found").fill_null(False)
    note = pl.col(C + "note")
    checks = [Check(CHASSIS if cf.by_code else MODEL, ~found & needed & note.is_not_null(), lambda: note)]
    checks += [Check(f, missing[f] & pl.col(C + f + "_why").is_not_null(), lambda f=f: pl.col(C + f + "_why"))
               for f in FIELDS]
    p.checks[:0] = checks
    p.catalog = cf
    p.catalog_outputs = lambda: outputs(cf, filled, pl.col(P + "built_start"), pl.col(P + "built_end"))


def outputs(fill: CatalogFill, filled: dict[str, pl.Expr], built_start: pl.Expr, built_end: pl.Expr) -> dict[str, pl.Expr]:
    """The output columns, from the joined catalog columns and the per-field 'filled' flags."""
    found = pl.col(C + "found").fill_null(False)
    start, end = pl.col(C + "start"), pl.col(C + "end")
    outside = (start.is_not_null() & (built_end < start)) | (end.is_not_null() & (built_start > end))
    # the filled fields as one label ("height_mm,cc"), null if none: a bit mask, then one gather
    # among every combination (joining strings row by row cost ~0.28 s a million rows)
    mask = pl.sum_horizontal([flag.fill_null(False).cast(pl.UInt32) * (1 << i) for i, flag in enumerate(filled.values())])
    combos = [",".join(n for i, n in enumerate(filled) if m >> i & 1) or None for m in range(1 << len(filled))]
    return {
        **{o: pl.col(C + "out_" + o) for o in OUTPUTS[:4]},
        "filled_from_catalog": pl.lit(pl.Series(combos, dtype=pl.String)).gather(mask),
        "catalog_build_outside_production": pl.when(found).then(outside.fill_null(False)),
        "catalog_note": pl.when(~found).then(pl.col(C + "note")),
    }
