"""Bad input as one clear message naming the field, whichever layer caught it."""

from __future__ import annotations

import json
from typing import Any, Iterable

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .models import Number

#: the whole request body, as opposed to the vehicle's `body` field
REQUEST_BODY = "request_body"

_KINDS = {
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "not_finite": "must be a finite number; NaN, Infinity and numbers beyond 1e308 are refused",
    "too_deep": "must be a single value, not a list or an object",
    "string_unicode": "must be valid Unicode text",
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
    if kind == "extra_forbidden" or fields and field not in fields:
        return field, f"{field}: not a field here; accepted: {', '.join(fields)}"
    if kind == "missing" or kind == "string_type" and err.get("input", "") is None:
        what = fields[field].description if field in fields else ""
        return field, f"{field}: missing; {what[:1].lower()}{what[1:]}".rstrip("; ")
    if kind == "string_too_long":
        return field, f"{field}: too long; at most {err.get('ctx', {}).get('max_length')} characters"
    if kind != "not_finite" and field in fields and fields[field].annotation == Number:
        return field, f"{field}: must be a number, or text holding one"
    return field, f"{field}: {_KINDS.get(kind, 'is not valid here')}"


class BodyError(HTTPException):
    """A JSON body the parser cannot take (nested too deeply): FastAPI passes HTTPExceptions
    through unchanged, and the app answers this one as a 422 naming the field."""

    def __init__(self, field: str, message: str):
        super().__init__(status_code=422, detail=message)
        self.field = field
        self.message = message


def _int(digits: str) -> int | float:
    """JSON integers: a float when long (a 5,001-digit integer is `inf`, refused as not finite,
    instead of the parser's own digit-limit error)."""
    return int(digits) if len(digits) < 19 else float(digits)


def _once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each given once: JSON parsers differ on which of two wins
    (Python keeps the last), so a body that says two things is refused, naming the key."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise BodyError(key[:64], f"{key[:64]}: given twice; send each field once")
        obj[key] = value
    return obj


def parse_body(raw: bytes, model: type[BaseModel] | None) -> Any:
    """The request body as JSON; a body nested too deeply for the parser, or with a key given
    twice, is a 422 naming the top-level field whose value is nested (or the whole body), or the key."""
    try:
        return json.loads(raw, parse_int=_int, object_pairs_hook=_once)
    except UnicodeDecodeError:
        raise BodyError(REQUEST_BODY, f"{REQUEST_BODY}: not valid JSON: send UTF-8 text") from None
    except RecursionError:
        field = _nested_field(raw.decode("utf-8", "replace"))
        if field is None:
            raise BodyError(REQUEST_BODY, f"{REQUEST_BODY}: must be a JSON object of numbers and text") from None
        raise BodyError(*validation_message([{"loc": ("body", field), "type": "too_deep"}], model)) from None


def _nested_field(text: str) -> str | None:
    """The first top-level key of a JSON object whose value is a list or an object."""
    depth, key, in_string, escaped, start = 0, None, False, False, 0
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                if depth == 1:
                    key = text[start:i + 1]
        elif ch == '"':
            in_string, start = True, i
        elif ch in "[{":
            if depth == 0 and ch == "[":
                return None
            depth += 1
            if depth == 2:
                try:
                    return json.loads(key) if key else None
                except ValueError:
                    return None
        elif ch in "]}":
            depth -= 1
    return None


