"""Bad input as one clear message naming the field, whichever layer caught it."""

from __future__ import annotations

from typing import Any, Iterable

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .models import Number

#: the whole request body, as opposed to the vehicle's `body` field
REQUEST_BODY = "request_body"

_KINDS = {
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "missing": "is missing",
}


def error_response(status: int, field: str | None, message: str) -> JSONResponse:
    return JSONResponse({"field": field, "error": message}, status_code=status)


def validation_message(errors: Iterable[dict[str, Any]], model: type[BaseModel] | None = None) -> tuple[str, str]:
    """(field, message) for the first problem pydantic found. The message never repeats the
    value: it may be anything a client sent."""
    err = next(iter(errors), {})
    loc = [str(p) for p in err.get("loc", ())]
    kind = err.get("type", "")
    if not loc or loc[0] == "body" and (len(loc) == 1 or kind == "json_invalid"):
        what = {"json_invalid": "not valid JSON", "missing": "missing; send a JSON object"}
        return REQUEST_BODY, f"{REQUEST_BODY}: {what.get(kind, 'must be a JSON object')}"
    field = loc[1] if len(loc) > 1 else loc[0]
    fields = model.model_fields if model else {}
    if kind == "extra_forbidden":
        return field, f"{field}: not a field here; accepted: {', '.join(fields)}"
    if kind == "string_too_long":
        return field, f"{field}: too long; at most {err.get('ctx', {}).get('max_length')} characters"
    if field in fields and fields[field].annotation == Number:
        return field, f"{field}: must be a number, or text holding one"
    return field, f"{field}: {_KINDS.get(kind, 'is not valid here')}"
