"""Interviews driven through the REST API, one answer at a time, kept between requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from spasmcare.engine.findings import validate_findings
from spasmcare.engine.interview import InterviewStep, next_step
from spasmcare.errors import InvalidFindingError, NotFoundError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.services import assessments
from spasmcare.storage.tables import InterviewRecord, User

# Anonymous interviews are forgotten a day after their last answer.
ANONYMOUS_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class InterviewState:
    record: InterviewRecord
    step: InterviewStep


def _state(
    session: Session, record: InterviewRecord, user: User | None, kb: KnowledgeBase, now: datetime
) -> InterviewState:
    step = next_step(record.answers, record.asked, kb)
    if step.done and user is not None and record.assessment_id is None:
        saved = assessments.save(session, user.id, step.assessment, kb, "interview", now)
        record.assessment_id = saved.id
    return InterviewState(record, step)


def start(
    session: Session,
    user: User | None,
    answers: dict[str, object],
    kb: KnowledgeBase,
    now: datetime,
) -> InterviewState:
    checked = validate_findings(answers, kb)
    session.execute(
        delete(InterviewRecord).where(
            InterviewRecord.user_id.is_(None), InterviewRecord.updated_at < now - ANONYMOUS_LIFETIME
        )
    )
    record = InterviewRecord(
        user_id=None if user is None else user.id,
        answers=dict(checked),
        asked=list(checked),
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()
    return _state(session, record, user, kb, now)


def load(session: Session, user: User | None, interview_id: str) -> InterviewRecord:
    """An interview is reachable by its owner only; an anonymous one by anyone holding its id."""
    record = session.get(InterviewRecord, interview_id)
    if record is None or record.user_id != (None if user is None else user.id):
        raise NotFoundError("interview")
    return record


def get(
    session: Session, user: User | None, interview_id: str, kb: KnowledgeBase, now: datetime
) -> InterviewState:
    return _state(session, load(session, user, interview_id), user, kb, now)


def answer(
    session: Session,
    user: User | None,
    interview_id: str,
    code: str,
    value: object,
    kb: KnowledgeBase,
    now: datetime,
) -> InterviewState:
    """Record one answer (None means "don't know") to the question being asked."""
    record = load(session, user, interview_id)
    current = next_step(record.answers, record.asked, kb)
    if current.question is None:
        raise InvalidFindingError(
            code, "the interview is already finished", "GET the interview for its result"
        )
    if code != current.question.code:
        raise InvalidFindingError(code, "is not the question being asked", current.question.code)
    answers = dict(record.answers)
    if value is not None:
        answers.update(validate_findings({code: value}, kb))
    record.answers = answers
    record.asked = [*record.asked, code]
    record.updated_at = now
    return _state(session, record, user, kb, now)


def back(
    session: Session, user: User | None, interview_id: str, kb: KnowledgeBase, now: datetime
) -> InterviewState:
    """Take back the last answer, to change it."""
    record = load(session, user, interview_id)
    if record.assessment_id is not None or not record.asked:
        raise InvalidFindingError(
            "back", "there is no answer to take back", "an open interview with answers"
        )
    asked = list(record.asked)
    code = asked.pop()
    record.answers = {k: v for k, v in record.answers.items() if k != code}
    record.asked = asked
    record.updated_at = now
    return _state(session, record, user, kb, now)
