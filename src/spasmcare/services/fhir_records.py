"""A person's records to and from a FHIR Bundle (the mapping itself is in spasmcare.fhir)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.engine import assess
from spasmcare.errors import AccountError
from spasmcare.fhir import SavedAssessment, patient_bundle, read_patient_bundle
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.services import assessments, diary
from spasmcare.storage.tables import AssessmentRecord, CheckInRecord, EpisodeRecord, User


def export_bundle(session: Session, user: User, kb: KnowledgeBase, now: datetime) -> dict[str, Any]:
    book = diary.diary(session, user)
    saved = [
        SavedAssessment(
            id=r.id,
            created_at=r.created_at,
            findings=r.findings,
            result=r.result,
            care_plan=assessments.care_plan(r),
            knowledge_version=r.knowledge_version,
        )
        for r in reversed(assessments.history(session, user, limit=100_000))
    ]
    return patient_bundle(
        account_id=user.id,
        email=user.email,
        assessments=saved,
        episodes=book.episodes,
        checkins=book.checkins,
        kb=kb,
        exported_at=now,
    )


def _is_empty(session: Session, user: User) -> bool:
    for table in (AssessmentRecord, EpisodeRecord, CheckInRecord):
        count = session.scalar(
            select(func.count()).select_from(table).where(table.user_id == user.id)
        )
        if count:
            return False
    return True


def import_bundle(
    session: Session, user: User, bundle: object, kb: KnowledgeBase, now: datetime
) -> dict[str, Any]:
    """Bring a FHIR export into a new, empty account: every entry is checked first and
    nothing is stored unless all of it can be. Assessments are re-assessed from their
    findings with today's knowledge (the version is recorded with each)."""
    if not _is_empty(session, user):
        raise AccountError(
            "import a FHIR export into a new account: this one already has records", "bundle", 409
        )
    if not isinstance(bundle, dict):
        raise AccountError("the file is not a FHIR Bundle (a JSON object)", "bundle", 422)
    records = read_patient_bundle(bundle, kb)
    vocabulary = diary_vocabulary(kb)
    for created_at, findings in records.assessments:
        assessments.save(session, user.id, assess(findings, kb), kb, "fhir", created_at)
    for episode in records.episodes:
        diary.add_episode(session, user, episode, vocabulary, now)
    for checkin in records.checkins:
        diary.save_checkin(session, user, checkin, vocabulary, kb, now)
    return {
        "assessments": len(records.assessments),
        "episodes": len(records.episodes),
        "checkins": len(records.checkins),
        "ignored": list(records.ignored),
    }
