"""Assessments a person saves, with the care plan that was given with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

import orjson
from sqlalchemy import Insert, Table, insert, select
from sqlalchemy.orm import Session

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.careplan import CarePlan
from spasmcare.engine.careplan import plan
from spasmcare.errors import NotFoundError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.storage.database import encoded_json
from spasmcare.storage.group_commit import Batch
from spasmcare.storage.tables import AssessmentRecord, CarePlanRecord, User, new_id

# Built once, so each save only binds values (building them per call cost as much again).
_INSERT_ASSESSMENT = insert(cast(Table, AssessmentRecord.__table__))
_INSERT_CARE_PLAN = insert(cast(Table, CarePlanRecord.__table__))
Source = Literal["interview", "findings", "text", "fhir"]


@dataclass(frozen=True)
class Saved:
    """What a save wrote: the new assessment's id and its result exactly as stored."""

    id: str
    result: orjson.Fragment


@dataclass(frozen=True)
class Rows:
    """An assessment and its care plan as rows ready to insert, documents serialised."""

    saved: Saved
    assessment: dict[str, object]
    care_plan: dict[str, object]

    def inserts(self, user_id: str) -> tuple[tuple[Insert, dict[str, object]], ...]:
        """Each statement with its row, the assessment before the care plan that refers
        to it."""
        return (
            (_INSERT_ASSESSMENT, {**self.assessment, "user_id": user_id}),
            (_INSERT_CARE_PLAN, self.care_plan),
        )


def rows(
    result: Assessment,
    kb: KnowledgeBase,
    source: Source,
    now: datetime,
    care: CarePlan | None = None,
) -> Rows:
    """The rows for an assessment and the care plan given with it (computed here unless
    given). Each document is serialised once, here, outside any transaction."""
    saved = Saved(new_id(), encoded_json(result, "assessment"))
    return Rows(
        saved,
        assessment={
            "id": saved.id,
            "created_at": now,
            "source": source,
            "findings": encoded_json(result.findings, "findings"),
            "result": saved.result,
            "triage": result.triage.value,
            "top_condition": result.differential[0].code,
            "knowledge_version": result.knowledge_version,
        },
        care_plan={
            "id": new_id(),
            "assessment_id": saved.id,
            "plan": encoded_json(care or plan(result, kb), "care plan"),
            "knowledge_version": result.knowledge_version,
            "created_at": now,
        },
    )


def insert_rows(session: Session, user_id: str, prepared: Rows) -> Saved:
    """Two plain inserts: this runs for every assessment an API client saves, and the
    ORM's unit of work cost several times as much as the inserts themselves."""
    for statement, row in prepared.inserts(user_id):
        session.execute(statement, row)
    return prepared.saved


def add_rows(batch: Batch, user_id: str, prepared: Rows) -> Saved:
    """The inserts of insert_rows, sent with the rest of a group commit's batch."""
    for statement, row in prepared.inserts(user_id):
        batch.insert(statement, row)
    return prepared.saved


def save(
    session: Session,
    user_id: str,
    result: Assessment,
    kb: KnowledgeBase,
    source: Source,
    now: datetime,
    care: CarePlan | None = None,
) -> Saved:
    """Store the assessment and the care plan given with it."""
    return insert_rows(session, user_id, rows(result, kb, source, now, care))


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
