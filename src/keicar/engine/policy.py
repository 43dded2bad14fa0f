"""Policies as data: a YAML overlay on ``law/`` (format: ``docs/policies.md``).

A policy file changes existing parameters (new dated values from a date) and adds new ones
(a category such as ``us.microcar``), each value with a reference, or with ``hypothetical:
true`` on the policy. ``load_policy`` validates the file against the law it overlays and
returns a ``Policy``: ``policy.law(base)`` is the overlaid law, ``policy.provisions`` the
plain sentences ``keicar policy show`` prints.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from keicar.inputs.vehicle import InputError
from .parameters import (
    Law,
    Parameter,
    Value,
    as_date,
    Fail,
    parse_parameter,
    parse_source,
)

POLICY_ROOT = Path(__file__).resolve().parent.parent / "policies"
#: A policy is a page of YAML; a larger file is refused before it is read.
MAX_BYTES = 1 << 20
#: Deepest nesting of mappings and lists a policy may use (the format needs about 6).
MAX_DEPTH = 32
#: Most YAML nodes (scalars, lists, mappings) a policy may hold: a shipped one has ~200, and
#: building Python objects from YAML costs ~30 µs a node.
MAX_NODES = 20_000
POLICY_KEYS = frozenset(
    "policy title summary hypothetical category fmvss_baseline_class sources changes adds notes".split()
)


class PolicyError(InputError):
    """A policy file that does not follow the format, or names a parameter that does not
    exist. One line: the file, the key and what is accepted (the CLI exits 2)."""

    def __init__(self, message: str):
        super().__init__("policy", message)


@dataclass(frozen=True)
class Provision:
    """One dated change a policy makes, for ``keicar policy show``."""

    kind: str            # "change" | "add"
    path: str
    since: dt.date
    old: Any             # value in force the day before (change) or None (add)
    new: Any
    unit: str
    citation: str
    hypothetical: bool

    @property
    def sentence(self) -> str:
        new = _show(self.new, self.unit)
        if self.kind == "add":
            if self.new is None:
                return f"declare no value for {self.path} from {self.since} (new parameter; null)"
            return f"set {self.path} to {new} from {self.since} (new parameter)"
        old = _show(self.old, self.unit)
        if isinstance(self.old, (int, float)) and isinstance(self.new, (int, float)) \
                and not isinstance(self.old, bool) and not isinstance(self.new, bool):
            verb = "raise" if self.new > self.old else "lower" if self.new < self.old else "keep"
        elif self.new is None:
            return f"abolish {self.path} (was {old}) from {self.since}"
        else:
            verb = "change"
        return f"{verb} {self.path} from {old} to {new} from {self.since}"


def _show(value: Any, unit: str) -> str:
    if value is None:
        return "no limit" if unit not in ("text", "enum", "bool", "date") else "none"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit in ("text", "enum"):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value} {unit}"


@dataclass
class Policy:
    id: str
    title: str
    summary: str
    hypothetical: bool
    category: str | None
    fmvss_baseline_class: str | None
    file: Path
    params: dict[str, Parameter] = field(default_factory=dict)
    provisions: list[Provision] = field(default_factory=list)

    def law(self, base: Law) -> Law:
        return base.with_overlay(self.params)

    @property
    def latest_effective(self) -> dt.date | None:
        return max((p.since for p in self.provisions), default=None)


def _param_paths(law: Law) -> list[str]:
    return [p.path for node in law.load_all() for p in node.walk()]


def _suggest(path: str, law: Law) -> str:
    close = difflib.get_close_matches(path, _param_paths(law), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _mirror(raw: Any, law: Law, fail_key: list) -> tuple[list[Value], Parameter]:
    """``from: PATH`` (every dated value of PATH) or ``from: {path, at, since}`` (the value
    in force on ``at``, re-dated to ``since``): the law's own values and citations. (``at``,
    not ``on``: YAML 1.1 reads a bare ``on`` key as True.)"""
    spec = {"path": raw} if isinstance(raw, str) else raw
    if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
        raise Fail(fail_key, "`from:` is a parameter path, or {path, at, since}")
    src_path = spec["path"]
    if not law.has(src_path) or not isinstance(law.get(src_path), Parameter):
        raise Fail(fail_key, f"no parameter {src_path!r} to take values from{_suggest(src_path, law)}")
    src = law.param(src_path)
    unknown = sorted(str(k) for k in set(spec) - {"path", "at", "since"})
    if unknown:
        raise Fail(fail_key, f"unknown key {unknown[0]!r}; accepted: path, at, since")
    if spec.get("at") is None and spec.get("since") is None:
        return list(src.values), src
    on, since = as_date(spec.get("at")), as_date(spec.get("since"))
    if on is None or since is None:
        raise Fail(fail_key, "`from: {path, at, since}` needs both dates as YYYY-MM-DD")
    entry = src.entry(on)
    if entry is None:
        raise Fail(fail_key, f"{src_path} has no value on {on}")
    note = f"Mirrors {src_path} as in force on {on} (since {entry.since})."
    return [Value(since, entry.value, entry.references, entry.confidence, note)], src


class _PolicyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, except that a date that does not exist (``2027-13-45``) stays text,
    so that the validator names its key instead of the YAML library raising ValueError."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_PolicyLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int, first: int):
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


def _mapping_once(self: _PolicyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    """A mapping whose keys are each given once: YAML would keep the last of two ``policy:``
    silently, so a file that says two things is refused, naming the key and both lines."""
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = self.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: the constructor itself refuses it
            continue
        if first is not None:
            raise _DuplicateKey(key, key_node.start_mark.line + 1, first)
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(self, node, deep=deep)


_PolicyLoader.construct_mapping = _mapping_once  # type: ignore[method-assign]


def _read_yaml(file: Path) -> Any:
    """A user's policy file as Python data, or a one-line PolicyError naming the file (and the
    line). Files over MAX_BYTES, text that is not UTF-8, anchors and aliases (an alias bomb
    expands a few hundred bytes into gigabytes), nesting deeper than MAX_DEPTH and more than
    MAX_NODES values are refused before anything is built, so any file is answered quickly."""
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise PolicyError(f"{file}: {size:,} bytes; a policy file is at most {MAX_BYTES:,} bytes (1 MiB)")
        with file.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PolicyError(f"{file}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > MAX_BYTES:  # grew since stat, or a special file
        raise PolicyError(f"{file}: a policy file is at most {MAX_BYTES:,} bytes (1 MiB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PolicyError(f"{file}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    try:
        depth = nodes = 0
        for event in yaml.parse(text, Loader=_PolicyLoader):
            line = event.start_mark.line + 1
            nodes += 1
            if nodes > MAX_NODES:
                raise PolicyError(f"{file}:{line}: more than {MAX_NODES:,} YAML values; a policy file has a few hundred")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise PolicyError(f"{file}:{line}: YAML anchors and aliases (&name, *name) are not accepted in a policy file; write the value out")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise PolicyError(f"{file}:{line}: nested more than {MAX_DEPTH} levels deep; a policy needs about 6")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.load(text, Loader=_PolicyLoader)
    except _DuplicateKey as dup:
        raise PolicyError(f"{file}:{dup.line}: the key {str(dup.key)!r} is given twice (first on line "
                          f"{dup.first}); keep one") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or "").split())
        raise PolicyError(f"{file}:{mark.line + 1 if mark else 1}: not valid YAML"
                          + (f" ({problem})" if problem else "")) from None


def load_policy(file: str | Path, base: Law) -> Policy:
    """Read and validate a policy file against ``base``. Raises PolicyError (one line)."""
    file = Path(file)
    try:
        is_file, is_dir = file.is_file(), file.is_dir()
    except OSError as exc:  # a name too long for the system
        raise PolicyError(f"{file}: not a policy file ({exc.strerror or type(exc).__name__})") from None
    if is_dir:
        raise PolicyError(f"{file}: is a folder; give a policy YAML file or a shipped policy's name")
    if not is_file:
        shipped = POLICY_ROOT / f"{file}.yaml" if not file.suffix and len(file.name) < 200 else None
        if shipped is not None and shipped.is_file():
            file = shipped
        else:
            names = ", ".join(sorted(p.stem for p in POLICY_ROOT.glob("*.yaml")))
            raise PolicyError(f"{file}: no such policy file; shipped policies: {names}")
    raw = _read_yaml(file)
    if not isinstance(raw, dict):
        raise PolicyError(f"{file}: a policy file is a mapping (policy, title, changes, adds)")
    try:
        return _build(raw, file, base)
    except Fail as fail:
        key = ".".join(str(k) for k in fail.keys) or "(top)"
        raise PolicyError(f"{file}: {key}: {fail.message}") from None


def _dotted(raw: Any) -> bool:
    return isinstance(raw, str) and all(part.strip() for part in raw.split("."))


def _check_spec(spec: dict, keys: list) -> None:
    """The parts of a new parameter the law's own parser trusts its (reviewed) files for."""
    if "unit" in spec and not isinstance(spec["unit"], str):
        raise Fail(keys + ["unit"], "a unit is a word such as mm, mph, bool, text")
    allowed = spec.get("values_allowed")
    if allowed is not None and (not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed)):
        raise Fail(keys + ["values_allowed"], "a list of words")


def _check_values(param: Parameter, keys: list) -> None:
    for v in param.values:
        items = v.value if isinstance(v.value, tuple) else (v.value,)
        if any(isinstance(x, float) and not math.isfinite(x) for x in items):
            raise Fail(keys + ["values", v.since.isoformat()], f"{v.value!r} is not a finite number; null means no limit")
        if v.since == dt.date.min:
            raise Fail(keys + ["values", v.since.isoformat()], "a date after 0001-01-01")


def _build(raw: dict, file: Path, base: Law) -> Policy:
    bad_key = next((k for k in raw if not isinstance(k, str) or k not in POLICY_KEYS), None)
    if bad_key is not None:
        raise Fail([bad_key], f"unknown key; accepted: {', '.join(sorted(POLICY_KEYS))}")
    for key in ("policy", "title"):
        if not isinstance(raw.get(key), str):
            raise Fail([key], "required (a string)")
    for key in ("category", "fmvss_baseline_class"):
        if raw.get(key) is not None and not _dotted(raw[key]):
            raise Fail([key], "a name, e.g. us.microcar / passenger_car")
    hypothetical = raw.get("hypothetical", False)
    if not isinstance(hypothetical, bool):
        raise Fail(["hypothetical"], "true or false")
    sources_raw = raw.get("sources") or {}
    if not isinstance(sources_raw, dict):
        raise Fail(["sources"], "`sources:` maps ids to {title, href, seen, kind}")
    # A policy may cite a sandbox or a draft with no page to read; never a local file.
    sources = {sid: parse_source(sid, s, ["sources", sid], need_href=False) for sid, s in sources_raw.items()}
    changes, adds = raw.get("changes") or {}, raw.get("adds") or {}
    if not changes and not adds:
        raise Fail(["changes"], "a policy needs `changes:` or `adds:` (or both)")
    for name, section in (("changes", changes), ("adds", adds)):
        if not isinstance(section, dict):
            raise Fail([name], "maps parameter paths to {values: ...}")
        bad_path = next((p for p in section if not _dotted(p)), None)
        if bad_path is not None:
            raise Fail([name, bad_path], "a parameter path is dotted names, e.g. us.microcar.max_length_mm")

    policy = Policy(raw["policy"], raw["title"], str(raw.get("summary", "")).strip(), hypothetical,
                    raw.get("category"), raw.get("fmvss_baseline_class"), file)

    for path, spec in changes.items():
        keys = ["changes", path]
        if not base.has(path) or not isinstance(base.get(path), Parameter):
            raise Fail(keys, f"no parameter {path!r} in the law to change{_suggest(path, base)}")
        old = base.param(path)
        if not isinstance(spec, dict) or set(spec) - {"values"}:
            raise Fail(keys, "a change is {values: {DATE: {value, reference}}} (unit and description come from the law)")
        new = parse_parameter(path, {"unit": old.unit, "values": spec.get("values"),
                                      "values_allowed": old.values_allowed}, sources, keys, file)
        first = new.values[0].since
        merged = [v for v in old.values if v.since < first] + new.values
        _check_values(new, keys)
        policy.params[path] = Parameter(path, old.description, old.unit, merged, old.values_allowed, file)
        for v in new.values:
            policy.provisions.append(Provision("change", path, v.since, old.at(v.since - dt.timedelta(days=1)),
                                               v.value, old.unit, v.citation, hypothetical))

    for path, spec in adds.items():
        keys = ["adds", path]
        if base.has(path):
            raise Fail(keys, f"{path!r} already exists in the law; put it under `changes:`")
        if not isinstance(spec, dict):
            raise Fail(keys, "a new parameter is {description, unit, values} or {description, from}")
        if "from" in spec:
            values, src = _mirror(spec["from"], base, keys + ["from"])
            param = Parameter(path, str(spec.get("description", src.description)).strip(), src.unit,
                              values, src.values_allowed, file)
        else:
            _check_spec(spec, keys)
            param = parse_parameter(path, spec, sources, keys, file)
            _check_values(param, keys)
        policy.params[path] = param
        for v in param.values:
            policy.provisions.append(Provision("add", path, v.since, None, v.value, param.unit,
                                               v.citation, hypothetical))
    policy.provisions.sort(key=lambda p: (p.since, p.path))
    return policy


def shipped_policies() -> list[Path]:
    return sorted(POLICY_ROOT.glob("*.yaml"))
