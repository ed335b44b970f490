"""A signed-in person's saved assessments: the list, one result, its plan files, deletion."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from spasmcare.domain.careplan import careplan_from_dict
from spasmcare.services import assessments
from spasmcare.web.api.documents import careplan_response
from spasmcare.web.deps import KnowledgeDep, NowDep, PageUserDep, SessionDep
from spasmcare.web.pages.accounts import require_user
from spasmcare.web.security import check_csrf
from spasmcare.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/assessments")
def history(request: Request, session: SessionDep, user: PageUserDep) -> Response:
    owner = require_user(user, request)
    return render(
        request,
        "pages/history.html",
        {"user": owner, "records": assessments.history(session, owner)},
    )


@router.get("/assessments/{assessment_id}")
def saved_result(
    request: Request,
    assessment_id: str,
    session: SessionDep,
    user: PageUserDep,
    kb: KnowledgeDep,
    saved: int = 0,
) -> Response:
    """A saved result exactly as it was given (the knowledge may have changed since)."""
    owner = require_user(user, request)
    record = assessments.get(session, owner, assessment_id)
    return render(
        request,
        "pages/result.html",
        {
            "user": owner,
            "result": record.result,
            "level": kb.levels[record.result["triage"]],
            "care": assessments.care_plan(record),
            "record": record,
            "just_saved": bool(saved),
        },
    )


@router.get("/assessments/{assessment_id}/plan.{kind}")
def saved_plan(
    request: Request,
    assessment_id: str,
    kind: Literal["pdf", "ics", "html"],
    session: SessionDep,
    user: PageUserDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    owner = require_user(user, request)
    record = assessments.get(session, owner, assessment_id)
    return careplan_response(careplan_from_dict(assessments.care_plan(record)), kb, kind, now)


@router.post("/assessments/{assessment_id}/delete")
async def delete_saved(
    request: Request, assessment_id: str, session: SessionDep, user: PageUserDep
) -> Response:
    await check_csrf(request)
    owner = require_user(user, request)
    session.delete(assessments.get(session, owner, assessment_id))
    return RedirectResponse("/assessments", status_code=303)
