"""/api/v1/assessments and care plans."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Response, status

from spasmcare.domain.careplan import careplan_from_dict
from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.errors import NotFoundError
from spasmcare.services import assessments
from spasmcare.storage.group_commit import Batch, GroupCommit
from spasmcare.storage.tables import User
from spasmcare.web.api.convert import json_response
from spasmcare.web.api.documents import careplan_response
from spasmcare.web.deps import (
    ApiUserDep,
    BearerDep,
    GroupCommitDep,
    KnowledgeDep,
    NowDep,
    SessionDep,
    token_owner,
)
from spasmcare.web.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    AssessmentSummary,
    CarePlanCreate,
    ErrorPublic,
)

router = APIRouter(prefix="/assessments", tags=["assessments"])
care_plans = APIRouter(prefix="/care-plans", tags=["care plans"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic, "description": "The API token is not valid or was revoked"},
    404: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}
FILES: dict[int | str, dict[str, object]] = {
    **ERRORS,
    200: {
        "content": {
            "application/json": {},
            "application/pdf": {},
            "text/calendar": {},
            "text/html": {},
        }
    },
}
PlanFormat = Literal["json", "pdf", "ics", "html"]
FORMAT = Query("json", description="json, pdf (one printable page), ics (reminders) or html")


def _signed_in(user: User | None, what: str) -> User:
    if user is None:  # without a token there is nothing of yours to find
        raise NotFoundError(what)
    return user


@router.post(
    "",
    response_model=AssessmentPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        **ERRORS,
        200: {"model": AssessmentPublic, "description": "Assessed; not saved (no API token)"},
    },
)
async def create_assessment(
    body: AssessmentCreate,
    token: BearerDep,
    commits: GroupCommitDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    """Assess findings. Saved (201, with an id) for a client with an API token; anonymous use
    stores nothing (200, id null)."""
    # The engine is about a millisecond of pure CPU work, so it runs on the event loop: a
    # thread would not run it any sooner and would cost two hand-overs.
    result = assess(body.findings, kb)
    if token is None:
        return json_response({"id": None, "created_at": None, "assessment": result})
    care = plan(result, kb)
    saved = await save_for_token(
        commits, token, assessments.rows(result, kb, "findings", now, care), now
    )
    data = {"id": saved.id, "created_at": now, "assessment": saved.result}
    return json_response(data, status.HTTP_201_CREATED)


async def save_for_token(
    commits: GroupCommit, token: str, rows: assessments.Rows, now: datetime
) -> assessments.Saved:
    """Check the token and store the rows, committed with other requests' saves (see
    GroupCommit) before this returns. The rows are ready beforehand, so the transaction
    holds nothing but the database work."""

    def work(batch: Batch) -> assessments.Saved:
        owner = batch.once(("token owner", token), lambda: token_owner(batch.session, token, now))
        return assessments.add_rows(batch, owner, rows)

    return await commits.run(work)


@router.get("", response_model=list[AssessmentSummary], responses=ERRORS)
def list_assessments(user: ApiUserDep, session: SessionDep) -> list[AssessmentSummary]:
    """Your saved assessments, newest first."""
    owner = _signed_in(user, "saved assessments for this client (send an API token)")
    return [
        AssessmentSummary.model_validate(
            {
                "id": r.id,
                "created_at": r.created_at,
                "triage": r.triage,
                "top_condition": r.top_condition,
                "knowledge_version": r.knowledge_version,
            }
        )
        for r in assessments.history(session, owner)
    ]


@router.get("/{assessment_id}", response_model=AssessmentPublic, responses=ERRORS)
def get_assessment(assessment_id: str, user: ApiUserDep, session: SessionDep) -> Response:
    record = assessments.get(session, _signed_in(user, "assessment"), assessment_id)
    return json_response(
        {"id": record.id, "created_at": record.created_at, "assessment": record.result}
    )


@router.get("/{assessment_id}/care-plan", responses=FILES)
def get_care_plan(
    assessment_id: str,
    user: ApiUserDep,
    session: SessionDep,
    kb: KnowledgeDep,
    now: NowDep,
    format: PlanFormat = FORMAT,
) -> Response:
    """The care plan given with a saved assessment, exactly as it was given."""
    record = assessments.get(session, _signed_in(user, "assessment"), assessment_id)
    return careplan_response(careplan_from_dict(assessments.care_plan(record)), kb, format, now)


@care_plans.post("", responses=FILES)
def create_care_plan(
    body: CarePlanCreate,
    kb: KnowledgeDep,
    now: NowDep,
    format: PlanFormat = FORMAT,
) -> Response:
    """A care plan for findings, without saving anything."""
    return careplan_response(plan(assess(body.findings, kb), kb), kb, format, now)
