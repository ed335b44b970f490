"""The web application: pages, the REST API under /api/v1, and error handling.

uvicorn --factory spasmcare.web.app:create_app     (or `spasmcare serve`)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from spasmcare import __version__
from spasmcare.errors import AccountError, SpasmCareError, StorageUnavailableError
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.settings import Settings, get_settings
from spasmcare.storage.database import engine_for, session_factory
from spasmcare.storage.group_commit import GroupCommit
from spasmcare.storage.migrate import upgrade
from spasmcare.web.api import assessments, diary, fhir, interviews, knowledge
from spasmcare.web.deps import LoginRequired
from spasmcare.web.fallback import shipped_fallback
from spasmcare.web.pages import accounts, check, clinics, history, site
from spasmcare.web.pages import diary as diary_pages
from spasmcare.web.schemas import ErrorPublic, HealthPublic
from spasmcare.web.security import SecurityHeaders
from spasmcare.web.templating import TEMPLATES, is_htmx, render

log = logging.getLogger("spasmcare.web")
API = "/api/v1"
THREADS = 4
_STATIC = resources.files("spasmcare.web") / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    config = settings or get_settings()
    engine = engine_for(config.resolved_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        default_knowledge()  # fail at start, not on the first request, if the data is broken
        # Requests are CPU-bound (the engine) with short database calls: a few threads per
        # worker process do more work than many threads fighting over the GIL.
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        if config.migrate_on_start:
            upgrade(engine)
        yield
        await to_thread.run_sync(app.state.group_commit.close)  # saves under way finish first
        engine.dispose()  # close pooled connections; the engine reopens them if used again

    app = FastAPI(
        title="SpasmCare API",
        version=__version__,
        summary="Back-spasm triage, causes and care plans, each with its reasons and sources.",
        description=(
            "SpasmCare supports decisions; it does not replace a clinician. Send "
            "`Authorization: Bearer <token>` (create a token on your account page) to save "
            "results; without a token nothing is stored. Errors are JSON "
            '`{"error": "...", "field": "..."}`.'
        ),
        openapi_url=f"{API}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = config
    app.state.sessions = session_factory(engine)
    app.state.group_commit = GroupCommit(app.state.sessions)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")

    # Every operation may meet a body that is not JSON at all: say so in the document.
    api = APIRouter(
        prefix=API,
        responses={400: {"model": ErrorPublic, "description": "The body is not valid JSON"}},
    )
    for router in (
        assessments.router,
        assessments.care_plans,
        interviews.router,
        knowledge.router,
        diary.router,
    ):
        api.include_router(router)
    app.include_router(api)
    app.include_router(fhir.router)
    for pages in (
        site.router,
        check.router,
        history.router,
        diary_pages.router,
        clinics.router,
        accounts.router,
    ):
        app.include_router(pages)
    _add_operations(app)
    _add_error_handlers(app)
    return app


def _add_operations(app: FastAPI) -> None:
    @app.get(f"{API}/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        """Swagger UI, served from this host and started by a script file (no inline
        script), so the page keeps the site's strict Content-Security-Policy."""
        return TEMPLATES.TemplateResponse(
            request, "pages/api_docs.html", {"openapi_url": f"{API}/openapi.json"}
        )

    @app.get("/healthz", tags=["operations"], response_model=HealthPublic)
    async def healthz() -> HealthPublic:
        """The process is up (no database call)."""
        return HealthPublic(status="ok")

    @app.get("/readyz", tags=["operations"], response_model=HealthPublic)
    def readyz(request: Request) -> HealthPublic:
        """The database answers and the knowledge base is loaded."""
        default_knowledge()
        try:
            with request.app.state.sessions() as session:
                session.execute(text("SELECT 1"))
        except Exception as error:  # any driver error means "not ready"
            raise StorageUnavailableError("the database is not reachable") from error
        return HealthPublic(status="ok")


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith((API, "/fhir")) or path in ("/healthz", "/readyz")


_ISSUE_CODES = {401: "login", 403: "forbidden", 404: "not-found", 409: "conflict", 429: "throttled"}


def _error_json(
    request: Request,
    message: str,
    field: str | None,
    status: int,
    headers: dict[str, str] | None = None,
) -> Response:
    """{"error", "field"} for the API; a FHIR OperationOutcome under /fhir."""
    if request.url.path.startswith("/fhir"):
        outcome: dict[str, object] = {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error" if status < 500 else "fatal",
                    "code": _ISSUE_CODES.get(status, "invalid" if status < 500 else "exception"),
                    "diagnostics": message,
                    **({"expression": [field]} if field else {}),
                }
            ],
        }
        return JSONResponse(outcome, status, headers, media_type="application/fhir+json")
    return JSONResponse({"error": message, "field": field}, status, headers)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SpasmCareError)
    async def known_error(request: Request, error: SpasmCareError) -> Response:
        status = error.status if isinstance(error, AccountError) else error.http_status
        field = getattr(error, "field", None) or getattr(error, "code", None)
        if status >= 500 and not isinstance(error, StorageUnavailableError):
            log.error("cannot give a result: %s", error.message)
            return _fallback(request, status)
        if _wants_json(request):
            headers = {"Retry-After": "30"} if status == 503 else None
            return _error_json(request, error.message, field, status, headers)
        if status == 503:
            return _fallback(request, status)
        return render(
            request,
            "pages/message.html",
            {"heading": _HEADINGS.get(status, "Something was not right"), "message": error.message},
            status,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        where = [str(part) for part in first.get("loc", ()) if part not in ("body", "query")]
        field = ".".join(where) or None
        message = f"{field}: {first.get('msg', 'invalid value')}" if field else "invalid request"
        if _wants_json(request):
            return _error_json(request, message, field, 422)
        return render(
            request,
            "pages/message.html",
            {"heading": "Something was not right", "message": message},
            422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = "not found" if error.status_code == 404 else str(error.detail)
        if _wants_json(request):
            return JSONResponse(
                {"error": message, "field": None},
                error.status_code,
                getattr(error, "headers", None),
            )
        return render(
            request,
            "pages/message.html",
            {"heading": _HEADINGS.get(error.status_code, "Sorry"), "message": message},
            error.status_code,
        )

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": f"/login?next={error.path}"})
        return RedirectResponse(f"/login?next={error.path}", status_code=303)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _fallback(request, 500)


_HEADINGS = {
    400: "Something was not right",
    401: "Please log in",
    403: "Please reload the page",
    404: "Not found",
    409: "Already exists",
    422: "Something was not right",
    429: "Too many tries",
}


def _fallback(request: Request, status: int) -> Response:
    """When no result can be given: never a traceback or a blank page, but the warning signs
    that need the emergency number now."""
    if _wants_json(request):
        message = (
            "SpasmCare cannot give a result right now. If you have a warning sign "
            "(see /emergency), call the emergency number now."
        )
        headers = {"Retry-After": "30"} if status == 503 else None
        return _error_json(request, message, None, status, headers)
    return HTMLResponse(shipped_fallback(), status)
