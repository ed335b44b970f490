"""/api/v1/interviews: the adaptive interview, one answer at a time."""

from __future__ import annotations

from fastapi import APIRouter, status

from spasmcare.services import interviews
from spasmcare.web.api.convert import interview_public
from spasmcare.web.deps import ApiUserDep, KnowledgeDep, NowDep, SessionDep
from spasmcare.web.schemas import AnswerCreate, ErrorPublic, InterviewCreate, InterviewPublic

router = APIRouter(prefix="/interviews", tags=["interviews"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic},
    404: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


@router.post(
    "", response_model=InterviewPublic, status_code=status.HTTP_201_CREATED, responses=ERRORS
)
def start_interview(
    body: InterviewCreate, user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep
) -> InterviewPublic:
    """Start an interview, optionally with answers already known. The response holds the
    first question. Keep the id: an anonymous interview is reachable only through it."""
    return interview_public(interviews.start(session, user, dict(body.answers), kb, now))


@router.get("/{interview_id}", response_model=InterviewPublic, responses=ERRORS)
def get_interview(
    interview_id: str, user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep
) -> InterviewPublic:
    return interview_public(interviews.get(session, user, interview_id, kb, now))


@router.post("/{interview_id}/answers", response_model=InterviewPublic, responses=ERRORS)
def answer_question(
    interview_id: str,
    body: AnswerCreate,
    user: ApiUserDep,
    session: SessionDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> InterviewPublic:
    """Answer the question being asked (value null means "don't know")."""
    return interview_public(
        interviews.answer(session, user, interview_id, body.code, body.value, kb, now)
    )


@router.post("/{interview_id}/back", response_model=InterviewPublic, responses=ERRORS)
def go_back(
    interview_id: str, user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep
) -> InterviewPublic:
    """Take back the last answer, to change it."""
    return interview_public(interviews.back(session, user, interview_id, kb, now))
