"""The plain answer: one or two sentences a non-lawyer understands, before the rule-by-rule
detail, and a tone saying what the owner may do (the page colours by it).

Everything here is read from a check answer (``keicar.api.check``: its ``variables`` block,
plus the names and dates of the blocks it explains); nothing is decided here. Each date says
what it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from . import labels as L

#: what the owner may do, from best to worst; ``unclear`` where the state's rule is
TONES = ("road", "road_restricted", "off_road", "not_yet", "no", "unclear")


@dataclass(frozen=True)
class Plain:
    tone: str
    tone_label: str
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "sentences": list(self.sentences), "text": self.text}


def plain(answer: dict[str, Any], today: dt.date | None = None) -> Plain:
    """The plain answer to a check answer (the dict ``keicar.api.check`` returns)."""
    v = answer["variables"]
    on = answer["on"]
    when = "now" if on == (today or dt.date.today()).isoformat() else f"on {on} (the date asked)"
    lead = _not_kei(v)
    if "import" in answer:  # another country's rules (--country)
        tone, first = _country(answer["import"], v, when)
        return _done(tone, lead, [first])
    path = v["us.path"]
    eligible = v["us.nhtsa_eligible_from"]
    state = answer.get("state")
    if path == "25-year":
        federal = f"You can import it {when} under the 25-year rule (eligible since {eligible}, 25 years after it was built)"
        if state is None:
            return _done("road", lead, [federal + ".", "Pick a state to see whether you may drive it there."])
        if lead:  # the state records are about kei vehicles
            return _done("road", lead, [federal + " like any car of its age.",
                                        f"{state['name']}'s rules shown below are the ones for kei vehicles."])
        tone, clause = _state_now(state, v)
        return _done(tone, lead, [federal + clause] + _state_extra(state, v))
    if path == "off-road-only":
        mph = v.get("us.off_road_max_speed_mph")
        first = (f"Not for road use until {eligible}, when it turns 25 (the 25-year rule); before then "
                 f"only as an off-road vehicle" + (f" with a {_num(mph)} mph governor." if mph is not None else "."))
        return _done("off_road", lead, [first] + _state_later(state, v, on))
    first = f"Not importable to the US until {eligible}, when it turns 25 (the 25-year rule)."
    return _done("not_yet", lead, [first] + _state_later(state, v, on))


def _done(tone: str, lead: str | None, sentences: list[str]) -> Plain:
    return Plain(tone, L.TONE[tone], tuple(([lead] if lead else []) + sentences))


def _not_kei(v: dict) -> str | None:
    if v["kei.is_kei"] is True:
        return None
    if v["kei.regime"] is None:
        return "It is not a kei vehicle: it was built before Japan's first kei standard."
    failed = [L.word(L.RULE, n) for n in (v["kei.failed"] or "").split(",") if n]
    what = f"its {_and(failed)} exceed{'s' if len(failed) == 1 else ''} the kei limits" if failed else "it is outside the kei limits"
    return f"It is not a kei vehicle: {what} of the standard in force when it was built (from {v['kei.regime']})."


def _state_now(state: dict, v: dict) -> tuple[str, str]:
    """The tone, and how the first sentence ends, for a vehicle importable for road use."""
    name, status = state["name"], v["state.status"]
    if status == "unrestricted":
        return "road", f" and drive it on {name} roads{_interstates(v)}."
    if status == "restricted":
        return "road_restricted", f" and drive it in {name} {_roads(v)}{_interstates(v)}."
    if status == "off_road_only":
        return "off_road", f", but {name} allows it off-road only: it cannot be registered for road use there."
    if status == "prohibited":
        return "no", f", but {name} does not register it for road use."
    return "unclear", f"; whether {name} lets you register and drive it is unclear."


def _state_later(state: dict | None, v: dict, on: str) -> list[str]:
    """What the state's rule of the date asked would allow once the vehicle may come in for road use."""
    if state is None:
        return []
    name, status = state["name"], v["state.status"]
    rule = f"Under {name}'s rule of {on} (the date asked), it could then"
    if status == "unrestricted":
        return [f"{rule} be driven on {name} roads{_interstates(v)}."]
    if status == "restricted":
        return [f"{rule} be driven {_roads(v)}{_interstates(v)}."]
    if status == "off_road_only":
        return [f"{rule} still be used off-road only."]
    if status == "prohibited":
        return [f"{rule} still not be registered for road use."]
    return [f"Whether {name} would then let you register and drive it is unclear."]


def _state_extra(state: dict, v: dict) -> list[str]:
    """A second sentence where the state's answer hangs on something the owner should know."""
    name = state["name"]
    kept = state.get("grandfather") or {}
    if v["state.grandfathered"] is True and kept.get("registered_before"):
        return [f"{name} keeps its earlier rule for vehicles first registered there before "
                f"{kept['registered_before']}, as this one was."]
    if kept.get("registered_before") and not kept.get("registered"):
        return [f"A vehicle first registered in {name} before {kept['registered_before']} keeps the earlier "
                f"rule ({L.word(L.STATUS, kept.get('status'))}): give its first-registration date."]
    if v["state.outside_definition"] is True:
        missed = [L.word(L.RULE, m) for m in (state.get("definition") or {}).get("missed", [])]
        return [f"It falls outside {name}'s class of kei vehicles" + (f" ({_and(missed)})" if missed else "")
                + ", so no rule on record says what it may do there."]
    if v["state.confidence"] == "low":
        return [f"{name}'s rule is known only with low confidence: see its sources below."]
    return []


def _country(imp: dict, v: dict, when: str) -> tuple[str, str]:
    key = imp["country"].lower()
    name, path = imp["name"], v[f"{key}.import_path"]
    if v[f"{key}.importable"] is True:
        return "road", (f"You can import it to {name} {when} under {L.word(L.PATH, path)} "
                        f"(eligible since {v[f'{key}.eligible_from']}).")
    return "not_yet", f"Not importable to {name} until {v[f'{key}.eligible_from']}."


def _interstates(v: dict) -> str:
    if v["state.interstates"] is True:
        return ", interstates included"
    if v["state.interstates"] is False:
        return ", but not on interstates"
    return " (whether interstates are allowed is not established)"


def _roads(v: dict) -> str:
    mph = v["state.max_posted_speed_mph"]
    return f"on roads posted {_num(mph)} mph or less" if mph is not None else "on some roads only"


def _num(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
