"""Assessments a person saves, with the care plan that was given with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.careplan import CarePlan
from spasmcare.engine.careplan import plan
from spasmcare.errors import NotFoundError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.storage.tables import AssessmentRecord, CarePlanRecord, User

Source = Literal["interview", "findings", "text", "fhir"]


def save(
    session: Session,
    user: User,
    result: Assessment,
    kb: KnowledgeBase,
    source: Source,
    now: datetime,
    care: CarePlan | None = None,
) -> AssessmentRecord:
    """Store the assessment and the care plan given with it (computed here unless given)."""
    record = AssessmentRecord(
        user_id=user.id,
        created_at=now,
        source=source,
        findings=dict(result.findings),
        result=result.to_dict(),
        triage=result.triage.value,
        top_condition=result.differential[0].code,
        knowledge_version=result.knowledge_version,
    )
    record.care_plan = CarePlanRecord(
        plan=(care or plan(result, kb)).to_dict(),
        knowledge_version=result.knowledge_version,
        created_at=now,
    )
    session.add(record)
    session.flush()
    return record


def get(session: Session, user: User, assessment_id: str) -> AssessmentRecord:
    record = session.get(AssessmentRecord, assessment_id)
    if record is None or record.user_id != user.id:
        raise NotFoundError("assessment")
    return record


def get_any(session: Session, assessment_id: str) -> AssessmentRecord | None:
    """An assessment by id, whoever owns it: only for callers that have already checked
    access (a clinic reading what a patient shares with it)."""
    return session.get(AssessmentRecord, assessment_id)


def history(session: Session, user: User, limit: int = 200) -> list[AssessmentRecord]:
    query = (
        select(AssessmentRecord)
        .where(AssessmentRecord.user_id == user.id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def care_plan(record: AssessmentRecord) -> dict[str, Any]:
    if record.care_plan is None:  # pragma: no cover - every save stores one
        raise NotFoundError("care plan")
    return record.care_plan.plan
