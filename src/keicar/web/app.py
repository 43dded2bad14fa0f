"""The FastAPI app: the JSON API under /v1, the page at /, offline API docs at /docs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..engine.parameters import LawError
from keicar.present.jsonout import dumps
from . import adapters, schemas
from .errors import REQUEST_BODY, BodyError, error_response, parse_body, validation_message
from .guard import Guard
from .models import CheckRequest, CostRequest

STATIC = Path(__file__).parent / "static"
#: request bodies larger than this are refused (413); a check request is a few hundred bytes
MAX_BODY_BYTES = 16 * 1024


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


MODELS = {"/v1/check": CheckRequest, "/v1/cost": CostRequest}


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


BAD_INPUT = {"model": schemas.Error, "description": "Bad input: `field` names it, `error` says what is accepted."}


def _documented(model: type, status_413: bool = False) -> dict:
    """The responses of an endpoint for /openapi.json: its answer's model and the error shape."""
    out: dict[Any, Any] = {200: {"model": model, "description": "The answer."}, 422: BAD_INPUT}
    if status_413:
        out[413] = {"model": schemas.Error, "description": "The request body is over the size limit."}
    return out

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

    @app.exception_handler(adapters.InputError)
    async def _input_error(request: Request, exc: adapters.InputError) -> Response:
        return error_response(422, exc.field, f"{exc.field}: {exc.message}")

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

    @app.get("/v1/states", tags=["states"], responses=_documented(schemas.StatesAnswer),
             summary="Every state's rule for kei vehicles on a date")
    def states(on: Optional[str] = DATE_Q) -> JSON:
        return _answer(adapters.states(on))

    @app.get("/v1/states/{code}", tags=["states"], responses=_documented(schemas.StateRecord),
             summary="One state's rule on a date, with its history and sources")
    def state(code: str = PathParam(..., max_length=8, description="Two letters, e.g. TX"),
              on: Optional[str] = DATE_Q) -> JSON:
        return _answer(adapters.state(code, on))

    @app.get("/v1/map.svg", tags=["states"], response_class=Response, responses={
                 200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "The map."},
                 422: BAD_INPUT},
             summary="The US map coloured by status on a date (SVG; one element per state, id=\"state-XX\")")
    def us_map(on: Optional[str] = DATE_Q) -> Response:
        return Response(adapters.us_map_svg(on), media_type="image/svg+xml")

    @app.get("/v1/lookup/{code}", tags=["catalog"], responses=_documented(schemas.LookupAnswer),
             summary="What the catalog knows about a chassis code")
    def lookup(code: str = PathParam(..., max_length=64, description="e.g. DA63T, EBD-DA63T, DA63T-123456"),
               make: Optional[str] = Query(None, max_length=64, description="Make, when a code is shared")) -> JSON:
        return _answer(adapters.lookup(code, make))

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

    # ------------------------------------------------------------ the registry, the law, changes

    @app.get("/v1/variables", tags=["law"], responses=_documented(schemas.VariablesAnswer),
             summary="Every answer keicar computes: name, label, type, inputs, provision")
    def variables(on: Optional[str] = DATE_Q) -> JSON:
        return _answer(adapters.variables(on))

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

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, max_body=MAX_BODY_BYTES)
    return app
