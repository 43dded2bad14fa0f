"""Load and validate the law tree (``keicar/law/**.yaml``).

The format is described in ``docs/law-format.md``. Files are read lazily, one per
jurisdiction, with libyaml where available; a file that fails validation is parsed again
with line tracking so that the error can name the line.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterator

LAW_ROOT = Path(__file__).resolve().parent.parent / "law"

UNITS = frozenset(
    "mm in cc kW PS kg lb mph km/h years days percent USD JPY date bool enum text count".split()
)
CONFIDENCE = ("high", "medium", "low")
#: What a state's answer rests on, strongest first (docs/law-format.md, "A state file").
BASIS = ("statute", "regulation", "agency_guidance", "agency_practice_reported", "no_kei_rule",
         "secondary_only")
DATE_PRECISION = ("day", "month", "year")
SOURCE_KINDS = frozenset(
    "statute regulation agency court bill news secondary other".split()
)
NODE_RESERVED = frozenset(
    "description metadata sources claims history notes code name documentation".split()
)
PARAM_KEYS = frozenset("description unit values values_allowed metadata documentation".split())
VALUE_KEYS = frozenset(
    "value reference confidence basis note disputed date_precision metadata".split()
)


class LawError(ValueError):
    """A law file that does not follow the format. The message names file, key and line."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    href: str | None
    seen: dt.date | None
    kind: str | None
    citation: str | None

    @property
    def cites(self) -> str:
        """What a user is shown as the legal citation of a value."""
        return self.citation or self.title


@dataclass(frozen=True)
class Value:
    """One dated value of a parameter: in force from ``since`` until the next one."""

    since: dt.date
    value: Any
    references: tuple[Source, ...]
    confidence: str = "high"
    note: str | None = None
    disputed: tuple[dict, ...] = ()
    date_precision: str = "day"
    basis: str | None = None

    @property
    def citation(self) -> str:
        return self.references[0].cites

    @property
    def citations(self) -> list[str]:
        seen: list[str] = []
        for ref in self.references:
            if ref.cites not in seen:
                seen.append(ref.cites)
        return seen


@dataclass
class Parameter:
    path: str
    description: str
    unit: str
    values: list[Value]
    values_allowed: tuple[str, ...] | None = None
    file: Path | None = None

    @cached_property
    def _dates(self) -> list[dt.date]:
        return [v.since for v in self.values]

    def entry(self, on: dt.date) -> Value | None:
        """The value in force on ``on``; None before the first dated value."""
        i = bisect.bisect_right(self._dates, on)
        return self.values[i - 1] if i else None

    def at(self, on: dt.date) -> Any:
        e = self.entry(on)
        return None if e is None else e.value

    @property
    def first_date(self) -> dt.date:
        return self.values[0].since


@dataclass
class Node:
    path: str
    file: Path
    description: str = ""
    meta: dict = field(default_factory=dict)
    children: dict[str, "Node | Parameter"] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def walk(self) -> Iterator[Parameter]:
        for child in self.children.values():
            if isinstance(child, Parameter):
                yield child
            else:
                yield from child.walk()


def as_date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    return None


@lru_cache(maxsize=1)
def _loaders() -> tuple[type, type]:
    """The YAML loaders: libyaml's (~10x faster; the pure-Python one without it) and one that
    records the line of every mapping key, for error messages only. PyYAML is imported here,
    on the first file parsed: a start whose law files all come from the cache
    (``engine.lawcache``) never imports it."""
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict:
        mapping = loader.construct_mapping(node, deep=True)
        lines = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                lines[key] = key_node.start_mark.line + 1
            except TypeError:  # unhashable key: the validator will reject it anyway
                pass
        return _Lined(mapping, lines, node.start_mark.line + 1)

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader), LineLoader


class _Lined(dict):
    def __init__(self, data: dict, lines: dict, line: int):
        super().__init__(data)
        self.lines = lines
        self.line = line


def _line_of(doc: Any, keys: list) -> int | None:
    """Best-effort line number of the key path ``keys`` in a line-tracked document."""
    line = None
    cur = doc
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            break
        if isinstance(cur, _Lined):
            line = cur.lines.get(k, line)
        cur = cur[k]
    return line


class Fail(Exception):
    def __init__(self, keys: list, message: str):
        super().__init__(message)
        self.keys = keys
        self.message = message


#: A local file (POSIX absolute path, ``~/``, ``file:``, a Windows drive or share) in a title
#: or href: a developer's machine is not a source anyone can read. (Both patterns compile on
#: the first file parsed, not on a start that reads the law cache.)
_LOCAL_PATH = r"""(^|[\s(\[{'"=,;])(/[\w.@%+-]+/[\w.@%+-]|~/)|\bfile:|\b[A-Za-z]:\\|\\\\\w"""
#: keicar's own research notes: leads to the sources they relay, never a source themselves.
_RESEARCH_NOTE = r"(?i)first-pass research|research (record|notes?)\b|shared[/]research|keicar peer (survey|review)"
#: Kinds of source that may be cited without an href: a printed statute or regulation,
#: identified by its ``citation``.
PRINTED_KINDS = ("statute", "regulation")


def parse_source(sid: str, raw: Any, keys: list, *, need_href: bool = True) -> Source:
    """Validate one source. Refused: a title or href holding a local file path or naming a
    research note, an href that is not a web address, and (``need_href``: every law file) a
    source without an href unless it is a printed statute or regulation with a ``citation``."""
    if not isinstance(raw, dict):
        raise Fail(keys, "a source must be a mapping with title, href, seen, kind")
    title = raw.get("title")
    if not title or not isinstance(title, str):
        raise Fail(keys, "source has no title")
    href = raw.get("href")
    if href is not None and not isinstance(href, str):
        raise Fail(keys + ["href"], "a URL (text)")
    for name, text in (("title", title), ("href", href or "")):
        if re.search(_LOCAL_PATH, text):
            raise Fail(keys + [name], f"names a local file ({text.strip()[:80]!r}); cite the page or "
                        "statute itself, with its URL and the day it was read")
        if re.search(_RESEARCH_NOTE, text):
            raise Fail(keys + [name], "cites a research note; research notes are leads, not sources: "
                        "cite the pages they relayed, each with its URL and the day it was read")
    if href is not None and not re.match(r"https?://[^\s/]+\.[^\s/]+", href):
        raise Fail(keys + ["href"], f"{href!r} is not a web address (https://...)")
    seen = as_date(raw.get("seen")) if raw.get("seen") is not None else None
    if href and seen is None:
        raise Fail(keys + ["seen"], "a web source needs `seen: YYYY-MM-DD` (the day it was read)")
    kind = raw.get("kind")
    if kind is not None and (not isinstance(kind, str) or kind not in SOURCE_KINDS):
        raise Fail(keys + ["kind"], f"unknown source kind {kind!r}; accepted: {', '.join(sorted(SOURCE_KINDS))}")
    citation = raw.get("citation")
    if citation is not None and not isinstance(citation, str):
        raise Fail(keys + ["citation"], "a citation is text, e.g. 49 U.S.C. 30112(b)(9)")
    if need_href and not href and not (kind in PRINTED_KINDS and citation):
        raise Fail(keys + ["href"], "a source needs `href:` (the page read), unless it is a printed statute "
                    "or regulation: `kind: statute` or `regulation` with its `citation:`")
    return Source(sid, title.strip(), href, seen, kind, citation)


def _parse_refs(raw: Any, sources: dict[str, Source], keys: list) -> tuple[Source, ...]:
    if raw is None or raw == []:
        raise Fail(keys, "every value needs a `reference:` (source ids or inline {title, href, seen})")
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            if item not in sources:
                raise Fail(keys, f"reference {item!r} is not in this file's `sources:`")
            out.append(sources[item])
        elif isinstance(item, dict):
            out.append(parse_source(f"inline-{i}", item, keys))
        else:
            raise Fail(keys, "a reference is a source id or an inline {title, href, seen}")
    return tuple(out)


def _check_value_type(value: Any, unit: str, allowed: tuple[str, ...] | None, keys: list) -> Any:
    if value is None:
        return None
    if unit == "date":
        d = as_date(value)
        if d is None:
            raise Fail(keys, f"unit is date but value {value!r} is not YYYY-MM-DD")
        return d
    if unit == "bool":
        if not isinstance(value, bool):
            raise Fail(keys, f"unit is bool but value is {value!r}")
        return value
    if unit == "enum":
        vals = value if isinstance(value, list) else [value]
        for v in vals:
            if not isinstance(v, str) or (allowed and v not in allowed):
                raise Fail(keys, f"value {v!r} is not one of values_allowed {list(allowed or [])}")
        return tuple(value) if isinstance(value, list) else value
    if unit == "text":
        if not isinstance(value, (str, list)):
            raise Fail(keys, f"unit is text but value is {value!r}")
        return tuple(value) if isinstance(value, list) else value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Fail(keys, f"unit is {unit} but value {value!r} is not a number")
    return value


def parse_parameter(path: str, raw: dict, sources: dict[str, Source], keys: list, file: Path) -> Parameter:
    unknown = set(raw) - PARAM_KEYS
    if unknown:
        raise Fail(keys + [sorted(unknown)[0]], f"unknown key(s) {sorted(unknown)} in parameter {path}")
    unit = raw.get("unit")
    if unit not in UNITS:
        raise Fail(keys + ["unit"], f"parameter {path}: unknown unit {unit!r}; accepted: {', '.join(sorted(UNITS))}")
    allowed = raw.get("values_allowed")
    if allowed is not None:
        allowed = tuple(allowed)
    values_raw = raw.get("values")
    if not isinstance(values_raw, dict) or not values_raw:
        raise Fail(keys + ["values"], f"parameter {path}: `values:` must map dates to values")
    values: list[Value] = []
    prev: dt.date | None = None
    for key, entry in values_raw.items():
        vkeys = keys + ["values", key]
        since = as_date(key)
        if since is None:
            raise Fail(vkeys, f"parameter {path}: {key!r} is not a date (YYYY-MM-DD)")
        if prev is not None and since <= prev:
            raise Fail(vkeys, f"parameter {path}: dates must ascend ({since} after {prev})")
        prev = since
        if not isinstance(entry, dict) or "value" not in entry:
            raise Fail(vkeys, f"parameter {path}: each date needs `value:` and `reference:`")
        unknown = set(entry) - VALUE_KEYS
        if unknown:
            raise Fail(vkeys + [sorted(unknown)[0]], f"parameter {path}: unknown key(s) {sorted(unknown)} at {since}")
        conf = entry.get("confidence", "high")
        if conf not in CONFIDENCE:
            raise Fail(vkeys + ["confidence"], f"confidence must be one of {CONFIDENCE}, not {conf!r}")
        basis = entry.get("basis")
        if basis is not None and basis not in BASIS:
            raise Fail(vkeys + ["basis"], f"basis must be one of {', '.join(BASIS)}, not {basis!r}")
        prec = entry.get("date_precision", "day")
        if prec not in DATE_PRECISION:
            raise Fail(vkeys + ["date_precision"], f"date_precision must be one of {DATE_PRECISION}")
        refs = _parse_refs(entry.get("reference"), sources, vkeys + ["reference"])
        disputed = entry.get("disputed") or []
        if not isinstance(disputed, list):
            raise Fail(vkeys + ["disputed"], "`disputed:` is a list of {claim, reference}")
        for j, d in enumerate(disputed):
            if not isinstance(d, dict) or "claim" not in d:
                raise Fail(vkeys + ["disputed"], "each disputed entry needs `claim:` and `reference:`")
            _parse_refs(d.get("reference"), sources, vkeys + ["disputed"])
        value = _check_value_type(entry["value"], unit, allowed, vkeys + ["value"])
        values.append(
            Value(since, value, refs, conf, entry.get("note"), tuple(disputed), prec, basis)
        )
    return Parameter(path, str(raw.get("description", "")).strip(), unit, values, allowed, file)


def _parse_node(path: str, raw: dict, sources: dict[str, Source], keys: list, file: Path) -> Node:
    node = Node(path, file, str(raw.get("description", "")).strip())
    for key, child in raw.items():
        if key in NODE_RESERVED:
            if key in ("name", "code"):  # kept on nested nodes too (e.g. an FMVSS's name)
                node.meta[key] = child
            continue
        if not isinstance(key, str):
            raise Fail(keys + [key], f"child names must be strings, not {key!r}")
        child_path = f"{path}.{key}"
        if isinstance(child, dict) and "values" in child:
            node.children[key] = parse_parameter(child_path, child, sources, keys + [key], file)
        elif isinstance(child, dict):
            node.children[key] = _parse_node(child_path, child, sources, keys + [key], file)
        else:
            node.meta[key] = child  # scalar facts about the node (e.g. legal_force: none)
    meta = raw.get("metadata")
    if isinstance(meta, dict):
        node.meta.update(meta)
    return node


def parse_file(file: Path, path: str) -> Node:
    """Parse and validate one law file. Raises LawError naming file, key and line."""
    import yaml

    fast, lined = _loaders()
    text = file.read_text(encoding="utf-8")
    try:
        raw = yaml.load(text, Loader=fast)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise LawError(f"{file}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, dict):
        raise LawError(f"{file}:1: a law file must be a mapping")
    try:
        sources_raw = raw.get("sources") or {}
        if not isinstance(sources_raw, dict):
            raise Fail(["sources"], "`sources:` maps ids to {title, href, seen, kind}")
        sources = {sid: parse_source(sid, s, ["sources", sid]) for sid, s in sources_raw.items()}
        node = _parse_node(path, raw, sources, [], file)
        node.sources = sources
        for extra in ("claims", "history"):
            for i, item in enumerate(raw.get(extra) or []):
                if isinstance(item, dict) and item.get("reference") is not None:
                    _parse_refs(item["reference"], sources, [extra])
        node.meta.update({k: raw[k] for k in ("code", "name", "claims", "history", "notes") if k in raw})
        return node
    except Fail as fail:
        doc = yaml.load(text, Loader=lined)
        line = _line_of(doc, fail.keys)
        key = ".".join(str(k) for k in fail.keys) or "(top)"
        raise LawError(f"{file}:{line or 1}: {key}: {fail.message}") from None


class Law:
    """The law tree, loaded lazily file by file. ``law.param("jp.kei.length_mm")``."""

    def __init__(self, root: Path = LAW_ROOT, overlay: dict[str, Parameter] | None = None):
        self.root = Path(root)
        self._files: dict[str, Node] = {}
        self._overlay = dict(overlay or {})
        self._resolved: dict[str, Node | Parameter] = {}
        self._candidates: dict[str, Path | bool] = {}

    def _file_for(self, path: str) -> tuple[Path, str, list[str]]:
        parts = path.split(".")
        for i in range(len(parts), 0, -1):
            prefix = ".".join(parts[:i])
            candidate = self._candidates.get(prefix)
            if candidate is None:  # each prefix is looked for on disk once (a check asks ~80 paths)
                file = os.path.join(self.root, *parts[:i]) + ".yaml"
                self._candidates[prefix] = candidate = Path(file) if os.path.isfile(file) else False
            if candidate:
                return candidate, prefix, parts[i:]
        raise KeyError(path)

    def file_node(self, prefix: str) -> Node:
        if prefix not in self._files:
            from .lawcache import load

            file = self.root.joinpath(*prefix.split(".")).with_suffix(".yaml")
            self._files[prefix] = load(file, prefix, parse_file)
        return self._files[prefix]

    def get(self, path: str) -> Node | Parameter:
        if path in self._overlay:
            return self._overlay[path]
        hit = self._resolved.get(path)
        if hit is not None:
            return hit
        self._resolved[path] = obj = self._lookup(path)
        return obj

    def _lookup(self, path: str) -> Node | Parameter:
        try:
            file, prefix, rest = self._file_for(path)
        except KeyError:
            raise KeyError(f"no law file holds {path!r}") from None
        obj: Node | Parameter = self.file_node(prefix)
        for part in rest:
            if not isinstance(obj, Node) or part not in obj.children:
                raise KeyError(f"{path!r}: {file} has no {part!r}")
            obj = obj.children[part]
        return obj

    def param(self, path: str) -> Parameter:
        obj = self.get(path)
        if not isinstance(obj, Parameter):
            raise KeyError(f"{path!r} is a node, not a parameter")
        return obj

    def has(self, path: str) -> bool:
        try:
            self.get(path)
        except KeyError:
            return False
        return True

    def node(self, path: str) -> Node:
        obj = self.get(path)
        if not isinstance(obj, Node):
            raise KeyError(f"{path!r} is a parameter, not a node")
        return obj

    def files(self) -> list[tuple[str, Path]]:
        """``(prefix, file)`` of every law file, in the order of their paths' parts."""
        found = []  # os.walk, not Path.rglob: a check hashes every file (version) on each start
        for folder, _, names in os.walk(self.root):
            rel = os.path.relpath(folder, self.root)
            parts = () if rel == os.curdir else tuple(rel.split(os.sep))
            found.extend(parts + (name,) for name in names if name.endswith(".yaml"))
        return [(".".join(p[:-1] + (p[-1][:-len(".yaml")],)), self.root.joinpath(*p)) for p in sorted(found)]

    def load_all(self) -> list[Node]:
        return [self.file_node(prefix) for prefix, _ in self.files()]

    def validate(self) -> list[Node]:
        """Parse and validate every law file from its YAML, never from the cache
        (``engine.lawcache``): ``keicar data validate``. Raises LawError on the first error."""
        return [parse_file(file, prefix) for prefix, file in self.files()]

    @property
    def overlaid(self) -> tuple[str, ...]:
        """The paths a policy overlay replaces or adds (empty for the law as it stands)."""
        return tuple(self._overlay)

    def with_overlay(self, params: dict[str, Parameter]) -> "Law":
        law = Law(self.root, {**self._overlay, **params})
        law._files = self._files  # share parsed files: they are immutable once read
        law._candidates = self._candidates
        return law

    @cached_property
    def version(self) -> str:
        """A short content hash of the law tree, so an answer can be reproduced."""
        from .lawcache import sha256

        h = sha256()
        for prefix, file in self.files():
            h.update(prefix.encode())
            with open(file, "rb") as fh:
                h.update(fh.read())
        return h.hexdigest()[:12]


_DEFAULT: Law | None = None


def default_law() -> Law:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Law()
    return _DEFAULT
