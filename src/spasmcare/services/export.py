"""Everything SpasmCare holds about a person, as one JSON-ready document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spasmcare.diary.transfer import diary_json
from spasmcare.services import accounts, assessments, diary
from spasmcare.storage.tables import InterviewRecord, User


def export_user_data(session: Session, user: User, now: datetime) -> dict[str, Any]:
    book = diary.diary(session, user)
    return {
        "exported_at": now.isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "created_at": user.created_at.isoformat(),
            "timezone": user.timezone,
        },
        "api_tokens": [
            {"id": t.id, "name": t.name, "created_at": t.created_at.isoformat()}
            for t in accounts.list_api_tokens(session, user)
        ],
        "assessments": [
            {
                "id": r.id,
                "created_at": r.created_at.isoformat(),
                "source": r.source,
                "findings": r.findings,
                "result": r.result,
                "care_plan": assessments.care_plan(r),
                "knowledge_version": r.knowledge_version,
            }
            for r in assessments.history(session, user, limit=100_000)
        ],
        "interviews": [
            {
                "id": i.id,
                "answers": i.answers,
                "asked": i.asked,
                "created_at": i.created_at.isoformat(),
            }
            for i in session.scalars(
                select(InterviewRecord).where(InterviewRecord.user_id == user.id)
            )
        ],
        # The diary in the same form its own import reads.
        "diary": diary_json(book.episodes, book.checkins),
    }
