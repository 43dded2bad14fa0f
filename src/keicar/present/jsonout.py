"""JSON as keicar writes it, for every interface (the CLI's ``--json``, the web API).

>>> dumps({"on": dt.date(2026, 11, 30), "codes": ("GA", "MA")})
'{"on": "2026-11-30", "codes": ["GA", "MA"]}'

Dates become ISO strings (``YYYY-MM-DD``). A NaN or an infinity is never written: strict JSON
has no such numbers, so a parser would reject the answer or read it differently; meeting one
means a value escaped input validation, and ``dumps`` raises ``ValueError`` instead.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def plain(obj: Any) -> Any:
    """``obj`` with dates as ISO strings and tuples as lists, recursively: what the core's
    answers hold, so that they serialize with any JSON library."""
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    return obj


def _default(obj: Any) -> Any:
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def dumps(obj: Any, indent: int | None = None, compact: bool = False) -> str:
    """Strict JSON text of ``obj`` (UTF-8 characters kept as they are; ``compact``: no spaces
    after separators, as the web API sends it). Raises ``ValueError`` on NaN or ±Infinity
    anywhere in ``obj``."""
    import json  # here: the tables of `keicar check` never write JSON

    seps = (",", ":") if compact else None
    try:
        return json.dumps(obj, ensure_ascii=False, indent=indent, separators=seps, allow_nan=False,
                          default=_default)
    except ValueError:
        raise ValueError(f"not JSON: a number is NaN or infinite at {_where_not_finite(obj).lstrip('.')}") from None


def _where_not_finite(obj: Any, path: str = "") -> str:
    if isinstance(obj, float) and not math.isfinite(obj):
        return path or "(top)"
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, (list, tuple)) else ()
    for k, v in items:
        found = _where_not_finite(v, f"{path}.{k}" if isinstance(k, str) else f"{path}[{k}]")
        if found:
            return found
    return ""
