"""Find catalog generations from what a person types: a chassis code, a frame number, or a
make, model and year with forgiving spelling and case ("Carry", "suzki carry", "Honda Acty
2003", "acty 2003").

A text that is a catalog code (after the prefix, serial and family suffix are stripped, as
``keicar lookup`` reads it) finds that code's generations. Otherwise the words are compared
with the makes and with each name a model row gives (``Acty / TN Acty`` is two names) by
rapidfuzz's similarity (0-100, ``_model_similarity``); a four-digit year keeps only the generations produced that
year. Each hit says why it matched.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from keicar.inputs.vehicle import InputError
from . import Generation, generations, normalize_code, period

#: The longest text searched (a frame number with a prefix is about 20 characters).
MAX_LENGTH = 100
#: A word is taken for a make from this similarity on ("suzki" is Suzuki at 91).
MAKE_CUTOFF = 80
#: A model name matches from this similarity on.
MODEL_CUTOFF = 80
_YEAR = re.compile(r"^(19|20)\d{2}$")
_WORDS = re.compile(r"[\s,;]+")
_NAMES = re.compile(r"\s*(?:/|\(|\)|\+|,)\s*")


@dataclass
class Hit:
    generation: Generation
    score: float
    why: list[str] = field(default_factory=list)
    code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        g = self.generation
        return {
            "make": g.make, "model": g.model, "generation": g["generation"] or None,
            "label": g.label, "chassis_codes": g.codes, "code": self.code,
            "production_start": g["production_start"] or None, "production_end": g["production_end"] or None,
            "body": g.bodies, "score": round(self.score, 1), "why": self.why,
        }


def _text(raw: Any) -> str:
    """The text as searched: full-width letters and digits as ASCII (NFKC), spaces single."""
    text = " ".join(unicodedata.normalize("NFKC", str(raw if raw is not None else "")).split())
    if not text:
        raise InputError("q", "empty; give a chassis code (DA63T), a frame number (DA63T-123456) or a make "
                              "and model (Suzuki Carry 1999)")
    if len(text) > MAX_LENGTH:
        raise InputError("q", f"{len(text)} characters; at most {MAX_LENGTH}")
    return text


@lru_cache(maxsize=1)
def _model_names() -> tuple[tuple[str, ...], ...]:
    """Per generation, the names its model cell gives, lower case ('acty', 'tn acty')."""
    out = []
    for g in generations():
        names = [n.strip().lower() for n in _NAMES.split(g.model) if n.strip()]
        whole = g.model.lower()
        out.append(tuple(dict.fromkeys([whole, *names])))
    return tuple(out)


def _model_similarity(query: str, name: str, **_: Any) -> float:
    """0-100: the whole text alike (a typo: 'cary' ~ 'carry' 89), the words alike in any order,
    or every word of one found in the other ('acty' in 'acty truck': 90, below an exact name)."""
    from rapidfuzz import fuzz

    return max(fuzz.ratio(query, name), fuzz.token_sort_ratio(query, name), 0.9 * fuzz.token_set_ratio(query, name))


def _produced_in(g: Generation, year: int) -> bool:
    start, end = period(g["production_start"]), period(g["production_end"])
    first = dt.date(year, 1, 1)
    last = dt.date(year, 12, 31)
    return (start is None or start[0] <= last) and (end is None or end[1] >= first)


def _window(g: Generation) -> str:
    return f"{g['production_start'] or '?'}..{g['production_end'] or 'current'}"


def search(text: Any, n: int = 10) -> list[Hit]:
    """The best ``n`` generations for ``text``, best first."""
    from rapidfuzz import fuzz, process, utils

    text = _text(text)
    if n < 1:
        raise InputError("n", f"{n}; give 1 or more")
    code, prefix, serial, suffix = normalize_code(text.replace(" ", ""))
    from . import code_index

    if code in code_index():
        stripped = [f"prefix {prefix}-" if prefix else "", f"serial -{serial}" if serial else "",
                    f"family suffix {suffix}" if suffix else ""]
        how = ", ".join(s for s in stripped if s)
        why = f"chassis code {code}" + (f" ({how} stripped)" if how else "")
        return [Hit(g, 100.0, [why], code) for g in code_index()[code]][:n]

    # a lone letter (once punctuation is dropped) would match every name that has it
    words = [w for w in _WORDS.split(text) if len(re.sub(r"\W", "", w)) >= 2]
    years = [int(w) for w in words if _YEAR.match(w)]
    if len(set(years)) > 1:
        raise InputError("q", f"{len(set(years))} years ({', '.join(map(str, sorted(set(years))))}); give one")
    words = [w for w in words if not _YEAR.match(w)]
    gens = generations()
    makes = sorted({g.make for g in gens})
    make_of: dict[str, tuple[str, float]] = {}  # word -> (make, similarity)
    for w in words:
        best = process.extractOne(w, makes, scorer=fuzz.ratio, processor=utils.default_process)
        if best and best[1] >= MAKE_CUTOFF:
            make_of[w] = (best[0], best[1])
    model_words = [w for w in words if w not in make_of]
    query = " ".join(model_words)
    wanted_makes = {m for m, _ in make_of.values()}
    hits: list[Hit] = []
    for g, names in zip(gens, _model_names()):
        why: list[str] = []
        scores: list[float] = []
        if wanted_makes:
            if g.make not in wanted_makes:
                continue
            w, (_, sim) = next((w, ms) for w, ms in make_of.items() if ms[0] == g.make)
            scores.append(sim)
            why.append(f"make {g.make}" + ("" if w.lower() == g.make.lower() else f" (from {w!r}, {sim:.0f}%)"))
        if query:
            best = process.extractOne(query, names, scorer=_model_similarity, processor=utils.default_process)
            if best is None or best[1] < MODEL_CUTOFF:
                continue
            exact = utils.default_process(best[0]) == utils.default_process(query)
            scores.append(100.0 if exact else best[1])
            why.append(f"model {g.model}" + ("" if exact else f" (from {query!r}, {best[1]:.0f}%)"))
        if not scores:
            continue
        if years:
            if not _produced_in(g, years[0]):
                continue
            why.append(f"produced in {years[0]} ({_window(g)})")
        hits.append(Hit(g, sum(scores) / len(scores), why))
    hits.sort(key=lambda h: (-h.score, h.generation["production_start"] or "9999", h.generation.index))
    return hits[:n]


def search_answer(text: Any, n: int = 10) -> dict[str, Any]:
    """The JSON of ``keicar lookup TEXT --json`` for a text that is no code, and of
    ``GET /v1/search``."""
    hits = search(text, n)
    return {"query": _text(text), "count": len(hits), "matches": [h.as_dict() for h in hits]}
