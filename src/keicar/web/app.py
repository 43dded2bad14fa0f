"""The FastAPI app: the JSON API under /v1, the page at /, offline API docs at /docs."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..batch.upload import TooLarge
from ..engine.parameters import LawError
from keicar.present.jsonout import dumps
from . import adapters, page_schemas, schemas
from .errors import REQUEST_BODY, BodyError, error_response, parse_body, validation_message
from .guard import Guard
from .models import CheckRequest, CostRequest

STATIC = Path(__file__).parent / "static"
#: request bodies larger than this are refused (413); a check request is a few hundred bytes
MAX_BODY_BYTES = 16 * 1024
#: POST /v1/screen: a small listing file (larger files: `keicar screen`)
SCREEN_MAX_BYTES = 5 * 1024 * 1024
SCREEN_MAX_ROWS = 10_000
#: the upload's content type -> its format
SCREEN_TYPES = {"text/csv": "csv", "application/csv": "csv", "application/vnd.apache.parquet": "parquet",
                "application/x-parquet": "parquet", "application/parquet": "parquet",
                "application/octet-stream": None}  # either: a Parquet file starts with PAR1


class JSON(JSONResponse):
    """JSON as the core returns it (already plain data): no re-encoding pass, UTF-8 kept,
    dates as YYYY-MM-DD, and never NaN or Infinity (not JSON: rendering them raises).
    A JSONResponse, so that /openapi.json shows the declared models and not a string."""

    def render(self, content: Any) -> bytes:
        return dumps(content, compact=True).encode("utf-8")


def _answer(data: dict[str, Any], blame: str = REQUEST_BODY) -> JSON:
    """The answer with the versions; one that would hold NaN or Infinity is bad input (the
    numbers sent were out of range), blamed on `blame`."""
    try:
        return JSON({**data, **{k: v for k, v in adapters.versions().items() if k not in data}})
    except ValueError:
        raise adapters.InputError(blame, "out of range: the answer would not be a finite number") from None


MODELS = {"/v1/check": CheckRequest, "/v1/plain": CheckRequest, "/v1/cost": CostRequest}


class _Request(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_body(await self.body(), MODELS.get(self.url.path))
        return self._json


class _Route(APIRoute):
    """Reads JSON bodies with keicar's parser (errors.parse_body), so that a body too deep or
    an integer too long is a 422 naming the field, not FastAPI's 400."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(_Request(request.scope, request.receive))

        return route


class Rendered:
    """Answers that depend only on the law version and the date asked (the map, the states, a
    state's record, the variables), rendered once and kept as bytes, the least recently asked dropped past
    ``size``: a hit is answered on the event loop without a thread hand-off or JSON encoding;
    a miss is computed in a worker thread. Errors are not kept."""

    def __init__(self, size: int = 128):
        self.size = size
        self.kept: OrderedDict[tuple, bytes] = OrderedDict()

    async def get(self, key: tuple, make) -> bytes:
        body = self.kept.get(key)
        if body is not None:
            self.kept.move_to_end(key)  # the least recently asked goes first
            return body
        body = await run_in_threadpool(make)
        self.kept[key] = body  # one event loop: no lock needed here
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)
        return body


BAD_INPUT = {"model": schemas.Error, "description": "Bad input: `field` names it, `error` says what is accepted."}


def _documented(model: type, status_413: bool = False) -> dict:
    """The responses of an endpoint for /openapi.json: its answer's model and the error shape."""
    out: dict[Any, Any] = {200: {"model": model, "description": "The answer."}, 422: BAD_INPUT}
    if status_413:
        out[413] = {"model": schemas.Error, "description": "The request body is over the size limit."}
    return out

SEARCH_LENGTH = 100  # keicar.catalog.search.MAX_LENGTH (not imported: the app starts without the catalog)
DATE_Q = Query(None, description="The date asked, YYYY-MM-DD (default: today).", max_length=64)


def create_app() -> FastAPI:
    app = FastAPI(
        title="keicar",
        version=__version__,
        description=(
            "The law around Japanese kei vehicles as dated, cited, testable code. Every answer "
            "carries `keicar_version` and `law_version`, so it can be reproduced. Request bodies "
            "use the CLI's option names in snake_case. Bad input gets 422 with "
            '`{"field": ..., "error": ...}`.'),
        docs_url=None, redoc_url=None,  # FastAPI's docs pages load assets from a CDN; ours are local
        default_response_class=JSON,
    )
    app.router.route_class = _Route
    rendered = Rendered()

    @app.exception_handler(adapters.InputError)
    async def _input_error(request: Request, exc: adapters.InputError) -> Response:
        return error_response(422, exc.field, f"{exc.field}: {exc.message}")

    @app.exception_handler(TooLarge)
    async def _too_many_rows(request: Request, exc: TooLarge) -> Response:
        return error_response(413, exc.field, f"{exc.field}: {exc.message}")

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        field, message = validation_message(exc.errors(), MODELS.get(request.url.path))
        return error_response(422, field, message)

    @app.exception_handler(BodyError)
    async def _body_error(request: Request, exc: BodyError) -> Response:
        return error_response(422, exc.field, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """404, 405 ...: the same shape as every other error (the page shows `error`)."""
        response = error_response(exc.status_code, None, f"{request.url.path}: {exc.detail}")
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(LawError)
    async def _law_error(request: Request, exc: LawError) -> Response:
        return error_response(500, None, f"law data error: {exc}")

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:  # a bug: still one JSON line, no traceback
        return error_response(500, None, f"internal error ({type(exc).__name__}); please report it")

    # ------------------------------------------------------------ the API

    @app.get("/healthz", tags=["meta"], summary="Liveness, with the versions answers carry",
             responses={200: {"model": schemas.Health, "description": "Alive."}})
    async def healthz() -> JSON:
        return _answer({"status": "ok"})

    @app.post("/v1/check", tags=["vehicle"], responses=_documented(schemas.CheckAnswer, status_413=True),
              summary="Is it kei, and from when may it enter the US? Every rule with its citation")
    async def check(req: CheckRequest) -> JSON:  # about 1 ms of CPU: cheaper inline than via threads
        """The JSON contract of `keicar check --json`: the verdict, the Japanese kei checks at
        the build date and today, and the US federal checks on the date asked, each step with
        its value, limit, effective date, citation and confidence."""
        return _answer(adapters.check(req.vehicle_fields(), on=req.on, month_reading=req.month_reading,
                                      state=req.state, registered=req.registered, country=req.country))

    @app.post("/v1/plain", tags=["vehicle"], responses=_documented(page_schemas.PlainAnswer, status_413=True),
              summary="The same check in one or two plain sentences, with what the owner may do")
    async def plain(req: CheckRequest) -> JSON:
        return _answer(adapters.plain(req.vehicle_fields(), on=req.on, month_reading=req.month_reading,
                                      state=req.state, registered=req.registered, country=req.country))

    @app.get("/v1/labels", tags=["meta"], responses=_documented(page_schemas.LabelsAnswer),
             summary="Words for the identifiers answers hold (statuses, paths, papers, rules)")
    def labels() -> JSON:
        return _answer(adapters.labels())

    @app.get("/v1/states", tags=["states"], responses=_documented(schemas.StatesAnswer),
             summary="Every state's rule for kei vehicles on a date")
    async def states(on: Optional[str] = DATE_Q) -> Response:
        body = await rendered.get(("states", *adapters.law_key(on)), lambda: _answer(adapters.states(on)).body)
        return Response(body, media_type="application/json")

    @app.get("/v1/states/{code}", tags=["states"], responses=_documented(schemas.StateRecord),
             summary="One state's rule on a date, with its history and sources")
    async def state(code: str = PathParam(..., max_length=8, description="Two letters, e.g. TX"),
                    on: Optional[str] = DATE_Q) -> Response:
        body = await rendered.get(("state", code, *adapters.law_key(on)),
                                  lambda: _answer(adapters.state(code, on)).body)
        return Response(body, media_type="application/json")

    @app.get("/v1/map.svg", tags=["states"], response_class=Response, responses={
                 200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "The map."},
                 304: {"description": "Not modified (If-None-Match gave the map's ETag)."},
                 422: BAD_INPUT},
             summary="The US map coloured by status on a date (SVG; one element per state, id=\"state-XX\")")
    async def us_map(request: Request, on: Optional[str] = DATE_Q) -> Response:
        version, on_d = adapters.law_key(on)
        # the same law and date give the same map; without a date it changes at midnight
        headers = {"etag": f'"{__version__}-{version}-{on_d}"',
                   "cache-control": "public, max-age=86400" if on else "public, max-age=300"}
        if request.headers.get("if-none-match") == headers["etag"]:
            return Response(status_code=304, headers=headers)
        body = await rendered.get(("map", version, on_d), lambda: adapters.us_map_svg(on).encode("utf-8"))
        return Response(body, media_type="image/svg+xml", headers=headers)

    @app.get("/v1/lookup/{code}", tags=["catalog"], responses=_documented(schemas.LookupAnswer),
             summary="What the catalog knows about a chassis code")
    def lookup(code: str = PathParam(..., max_length=64, description="e.g. DA63T, EBD-DA63T, DA63T-123456"),
               make: Optional[str] = Query(None, max_length=64, description="Make, when a code is shared")) -> JSON:
        return _answer(adapters.lookup(code, make))

    @app.get("/v1/search", tags=["catalog"], responses=_documented(schemas.SearchAnswer),
             summary="Find generations by chassis code, frame number, or make, model and year (forgiving spelling)")
    def search(q: Optional[str] = Query(None, max_length=SEARCH_LENGTH,
                                        description="e.g. DA63T, DA52T-123456, Carry, Honda Acty 2003"),
               n: Optional[str] = Query(None, max_length=8,
                                        description="At most this many matches, 1 to 50 (default 10), best first.")) -> JSON:
        return _answer(adapters.search(q, n))

    @app.get("/v1/calendar/{month}", tags=["catalog"], responses=_documented(schemas.CalendarAnswer),
             summary="Model generations whose builds start or finish becoming importable in a month")
    def calendar(month: str = PathParam(..., max_length=16, description="YYYY-MM"),
                 month_reading: Optional[str] = Query(None, max_length=32, description="end (default) or start")) -> JSON:
        return _answer(adapters.calendar(month, month_reading))

    @app.post("/v1/cost", tags=["cost"], responses=_documented(schemas.CostAnswer, status_413=True),
              summary="US landed cost, itemized and cited")
    def cost(req: CostRequest) -> JSON:
        fields = req.cost_fields()
        return _answer(adapters.cost(fields, mode=req.mode()),
                       blame="fx_jpy_per_usd" if "fx_jpy_per_usd" in fields else REQUEST_BODY)

    @app.post("/v1/screen", tags=["vehicle"], summary="Screen a small CSV or Parquet listing file, as keicar screen",
              responses={**_documented(schemas.ScreenAnswer, status_413=True),
                         415: {"model": schemas.Error, "description": "Not a CSV or Parquet content type."}},
              openapi_extra={"requestBody": {"required": True, "description": (
                  f"The file itself as the body (at most {SCREEN_MAX_BYTES // (1024 * 1024)} MiB and "
                  f"{SCREEN_MAX_ROWS:,} rows): CSV with a header row, or Parquet. Columns as `keicar screen` "
                  "reads them: built, body, length_mm, width_mm, height_mm, cc, stroke, ev_kw; optional "
                  "state, registered, price_usd (or price_jpy), freight_usd, ... As application/octet-stream, "
                  "a body starting with PAR1 is read as Parquet, any other as CSV."),
                  "content": {"text/csv": {"schema": {"type": "string"}},
                              "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
                              "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def screen(request: Request,
                     on: Optional[str] = DATE_Q,
                     on_column: Optional[str] = Query(None, max_length=64, description="A column of dates asked, one per row (instead of on)."),
                     month_reading: Optional[str] = Query(None, max_length=32, description="Month-only build dates: end (default) or start."),
                     entry_date: Optional[str] = Query(None, max_length=64, description="US customs entry date, YYYY-MM-DD (default: the date asked)."),
                     state: Optional[str] = Query(None, max_length=64, description="One US state for every row (a file without a state column)."),
                     registered_column: Optional[str] = Query(None, max_length=64, description="A column of first registration dates in the state."),
                     columns: Optional[str] = Query(None, max_length=2000, description="The variables to add, comma-separated (default: every one the columns allow)."),
                     fx_jpy_per_usd: Optional[str] = Query(None, max_length=64, description="Yen per US dollar, for a price_jpy column."),
                     map: Optional[list[str]] = Query(None, max_length=200, description="Rename a column: OLD=NEW, e.g. year_built=built (repeat for more)."),
                     units: Optional[list[str]] = Query(None, max_length=64, description="Units of the file: length|width|height|dimensions=mm|cm|m|in|ft, cc=cc|l|ci, ev_kw=kw|hp|ps (repeat for more).")) -> JSON:
        """The rows with the registry's variables as columns (every one the file's columns allow,
        like `keicar screen`), the rejected rows with the field and reason, how many rows each
        reason rejected, and the counts: read = written + rejected."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in SCREEN_TYPES:
            return error_response(415, "content-type", f"content-type: {kind[:64] or 'missing'!s} is not accepted; "
                                                       f"send text/csv or application/vnd.apache.parquet")
        data = await request.body()
        fmt = SCREEN_TYPES[kind] or ("parquet" if data.startswith(b"PAR1") else "csv")
        options = dict(on=on, on_column=on_column, month_reading=month_reading, entry_date=entry_date,
                       state=state, registered_column=registered_column, columns=columns,
                       fx_jpy_per_usd=fx_jpy_per_usd, map=map, units=units)
        return _answer(await run_in_threadpool(adapters.screen, data, fmt, options, SCREEN_MAX_ROWS))

    # ------------------------------------------------------------ the registry, the law, changes

    @app.get("/v1/variables", tags=["law"], responses=_documented(schemas.VariablesAnswer),
             summary="Every answer keicar computes: name, label, type, inputs, provision")
    async def variables(on: Optional[str] = DATE_Q) -> Response:
        body = await rendered.get(("variables", *adapters.law_key(on)), lambda: _answer(adapters.variables(on)).body)
        return Response(body, media_type="application/json")

    @app.get("/v1/parameters/{path}", tags=["law"], responses=_documented(schemas.ParameterAnswer),
             summary="One law parameter: every dated value with its references")
    def parameter(path: str = PathParam(..., max_length=200,
                                        description="Dotted path, e.g. us.federal.import.nhtsa.min_age_years")) -> JSON:
        return _answer(adapters.parameter(path))

    since_q = Query(None, description="First date, YYYY-MM-DD.", max_length=64)
    until_q = Query(None, description="Last date, YYYY-MM-DD.", max_length=64)
    state_q = Query(None, description="Only this state's changes (code, e.g. CO).", max_length=8)

    @app.get("/v1/changes", tags=["law"], responses=_documented(schemas.ChangesAnswer),
             summary="Every dated change in state and federal law data, past and scheduled")
    def changes(since: Optional[str] = since_q, until: Optional[str] = until_q,
                state: Optional[str] = state_q) -> JSON:
        return _answer(adapters.changes(since, until, state))

    @app.get("/v1/changes.atom", tags=["law"], response_class=Response, responses={
                 200: {"content": {"application/atom+xml": {"schema": {"type": "string"}}},
                       "description": "An Atom feed, one entry per jurisdiction and date."},
                 422: BAD_INPUT},
             summary="The change feed as Atom, for feed readers (?state=XX for one state)")
    def changes_atom(request: Request, since: Optional[str] = since_q, until: Optional[str] = until_q,
                     state: Optional[str] = state_q) -> Response:
        return Response(adapters.changes_atom(since, until, state, str(request.url)),
                        media_type="application/atom+xml")

    # ------------------------------------------------------------ the page and the docs

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:  # browsers ask for it even when the page names its icon
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, max_body=MAX_BODY_BYTES, limits={"/v1/screen": SCREEN_MAX_BYTES})
    return app
