"""Jinja2 pages: one environment, and a render helper that adds what every page needs."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from spasmcare.diary.records import zone
from spasmcare.errors import AccountError, DiaryInputError
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.web.result_view import cited_sources, shared_reason, shown_reasons
from spasmcare.web.security import csrf_token
from spasmcare.words import counted

TEMPLATES = Jinja2Templates(directory=str(resources.files("spasmcare.web") / "templates"))
TEMPLATES.env.filters["counted"] = counted
TEMPLATES.env.globals.update(
    shown_reasons=shown_reasons, cited_sources=cited_sources, shared_reason=shared_reason
)
TEMPLATES.env.globals["purposes"] = {
    "about_you": "About you",
    "warning_sign": "Checking for a warning sign",
    "narrowing_down": "Narrowing down the cause",
}


def local_time(instant: datetime, timezone: str, style: str = "%d %b %Y, %H:%M") -> str:
    """A stored instant as the viewer's wall-clock time, naming the zone unless it is UTC
    (an appointment set for 09:00 in London must not read 08:00)."""
    try:
        where = zone(timezone)
    except ValueError:  # a zone this computer no longer knows: say the time in UTC
        where = zone("UTC")
    stamp = instant.astimezone(where).strftime(style)
    return f"{stamp} UTC" if where.key == "UTC" else f"{stamp} ({where.key} time)"


def _viewer_time(instant: datetime, user: Any, style: str = "%d %b %Y, %H:%M") -> str:
    """The `local_time` filter: an instant in the signed-in viewer's zone (UTC for nobody)."""
    return local_time(instant, user.timezone if user else "UTC", style)


TEMPLATES.env.filters["local_time"] = _viewer_time


def is_htmx(request: Request) -> bool:
    """An HTMX request that swaps in a fragment. A history restore (the browser's Back to a
    step HTMX no longer has cached) replaces the whole page, so it gets the whole page."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    problem: AccountError | DiaryInputError | None = None,
) -> HTMLResponse:
    """A whole page, or only its fragment when HTMX asked for one (`fragment` in context).

    Every page gets the signed-in user (if the route set one), the CSRF token for its forms,
    the triage level texts and the notice. A form's ``problem`` is shown with the field it
    names and sets the status code."""
    kb = default_knowledge()
    values: dict[str, Any] = {
        "user": None,
        "csrf": csrf_token(request),
        "notice": kb.notice,
        "emergency_numbers": kb.emergency_numbers,
        "levels": {level.value: text for level, text in kb.levels.items()},
        "conditions": kb.conditions,
        "sources": kb.sources,
        "problem": None if problem is None else problem.message,
        "problem_field": None if problem is None else problem.field,
        **(context or {}),
    }
    if problem is not None:
        status_code = problem.status if isinstance(problem, AccountError) else problem.http_status
    fragment = values.get("fragment")
    if fragment and is_htmx(request):
        template = f"partials/{fragment}.html"
    return TEMPLATES.TemplateResponse(request, template, values, status_code=status_code)
