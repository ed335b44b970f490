"""A care plan as the response format a client asked for."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Response
from fastapi.responses import JSONResponse

from spasmcare.domain.careplan import CarePlan
from spasmcare.knowledge.base import KnowledgeBase


def careplan_response(care: CarePlan, kb: KnowledgeBase, kind: str, now: datetime) -> Response:
    stamp = now.date().isoformat()
    if kind == "pdf":
        from spasmcare.reports.pdf import careplan_pdf

        return download(careplan_pdf(care, kb, stamp), "application/pdf", "spasmcare-plan.pdf")
    if kind == "ics":
        from spasmcare.reports.calendar import careplan_calendar

        content = careplan_calendar(care, now.date() + timedelta(days=1), now)
        return download(content, "text/calendar", "spasmcare-plan.ics")
    if kind == "html":
        from spasmcare.reports.html import careplan_html

        # Sent as a file to keep, not shown inside the app (it carries its own styles).
        return download(careplan_html(care, kb, stamp).encode(), "text/html", "spasmcare-plan.html")
    return JSONResponse(care.to_dict())


def download(content: bytes | str, media_type: str, name: str) -> Response:
    """A file to save, not to show in the browser."""
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
