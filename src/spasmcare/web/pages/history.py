"""A signed-in person's saved assessments: the list, one result, its plan files, deletion."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from spasmcare.diary.records import local_date_of
from spasmcare.domain.careplan import careplan_from_dict
from spasmcare.errors import AccountError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.services import assessments, clinics
from spasmcare.storage.database import forget_after_commit
from spasmcare.storage.tables import User
from spasmcare.web.api.documents import careplan_response
from spasmcare.web.deps import KnowledgeDep, NowDep, SessionDep, SignedInDep
from spasmcare.web.security import check_csrf
from spasmcare.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/assessments")
def history(request: Request, session: SessionDep, owner: SignedInDep) -> Response:
    return render(
        request,
        "pages/history.html",
        {"user": owner, "records": assessments.history(session, owner)},
    )


def saved_result_page(
    request: Request,
    session: SessionDep,
    owner: User,
    kb: KnowledgeBase,
    assessment_id: str,
    now: datetime,
    problem: AccountError | None = None,
    just_saved: bool = False,
    request_values: Mapping[str, str] | None = None,
) -> Response:
    """A saved result exactly as it was given, with the form to send it to a clinic.
    ``request_values``: what a refused request form held, to show it again as typed."""
    record = assessments.get(session, owner, assessment_id)
    today = local_date_of(now, owner.timezone)
    return render(
        request,
        "pages/result.html",
        {
            "user": owner,
            "result": record.result,
            "level": kb.levels[record.result["triage"]],
            "care": assessments.care_plan(record),
            "record": record,
            "just_saved": just_saved,
            "clinics": clinics.all_clinics(session),
            "diary_start": today - timedelta(days=89),
            "diary_end": today,
            "request_values": request_values or {},
        },
        problem=problem,
    )


@router.get("/assessments/{assessment_id}")
def saved_result(
    request: Request,
    assessment_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
    saved: int = 0,
) -> Response:
    return saved_result_page(
        request, session, owner, kb, assessment_id, now, just_saved=bool(saved)
    )


@router.get("/assessments/{assessment_id}/plan.{kind}")
def saved_plan(
    assessment_id: str,
    kind: Literal["pdf", "ics", "html"],
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    record = assessments.get(session, owner, assessment_id)
    return careplan_response(careplan_from_dict(assessments.care_plan(record)), kb, kind, now)


@router.post("/assessments/{assessment_id}/delete")
async def delete_saved(assessment_id: str, session: SessionDep, owner: SignedInDep) -> Response:
    session.delete(assessments.get(session, owner, assessment_id))
    forget_after_commit(session)
    return RedirectResponse("/assessments", status_code=303)
