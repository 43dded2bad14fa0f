"""Pure ASGI middleware (no per-request task or copy): refuses request bodies over a size
limit with 413, answers HEAD like GET without the body, and adds the security headers the
page relies on."""

from __future__ import annotations

import json

HEADERS = [
    # the page's scripts and styles are its own files; nothing loads from elsewhere
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
     b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class Guard:
    """``max_body``: the limit of every request body; ``limits``: larger limits by path (an upload)."""

    def __init__(self, app, max_body: int, limits: dict[str, int] | None = None):
        self.app = app
        self.max_body = max_body
        self.limits = limits or {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        head = scope["method"] == "HEAD"
        if head:  # every GET endpoint answers HEAD: the same status and headers, no body
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send_with_headers)
        limit = self.limits.get(scope.get("path", ""), self.max_body)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await self._too_large(send_with_headers, limit)
        # read the body here, bounded, so a client cannot stream more than the limit
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return await self._too_large(send_with_headers, limit)
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)

    async def _too_large(self, send, limit: int):
        payload = json.dumps({"field": "request_body",
                              "error": f"request_body: larger than the limit of {limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})
