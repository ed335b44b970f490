"""ORM tables only (no API schemas here). One schema for SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

Json = JSON().with_variant(JSONB(), "postgresql")
# Documents written once, read back whole and never queried inside: plain JSON, which
# PostgreSQL stores without parsing (migration 0004 says why).
Snapshot = JSON()


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always gives back an aware UTC datetime (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be time-zone aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: Json,
        list[Any]: Json,
        datetime: UTCDateTime,
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The IANA zone the person's days are counted in, until an entry says otherwise.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")

    assessments: Mapped[list[AssessmentRecord]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


class WebSession(Base):
    """A login. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginAttempt(Base):
    """Failed logins, to slow down password guessing (works across server workers)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A personal token for API clients. Shown once; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)


class AssessmentRecord(Base):
    """An assessment a person saved: the findings given, the result, and the knowledge-base
    version that produced it (so every stored result can be traced)."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_user_created", "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(20))  # interview | findings | text | fhir
    findings: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]] = mapped_column(Snapshot)
    triage: Mapped[str] = mapped_column(String(20))
    top_condition: Mapped[str] = mapped_column(String(60))
    knowledge_version: Mapped[str] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="assessments")
    care_plan: Mapped[CarePlanRecord | None] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )


class CarePlanRecord(Base):
    """The care plan as it was given with an assessment (knowledge may change later)."""

    __tablename__ = "care_plans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    plan: Mapped[dict[str, Any]] = mapped_column(Snapshot)
    knowledge_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[AssessmentRecord] = relationship(back_populates="care_plan")


class InterviewRecord(Base):
    """An interview driven through the REST API: the answers so far and what was asked.
    Anonymous interviews (no owner) are reachable only by their random id."""

    __tablename__ = "interviews"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[dict[str, Any]]
    asked: Mapped[list[Any]]
    assessment_id: Mapped[str | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EpisodeRecord(Base):
    """A back spasm the person logged. Its start is a UTC instant plus the zone they were in
    and the local date it fell on there (the date diary views group by)."""

    __tablename__ = "episodes"
    __table_args__ = (Index("ix_episodes_user_date", "user_id", "local_date"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    locations: Mapped[list[Any]]
    intensity: Mapped[int] = mapped_column(Integer)
    triggers: Mapped[list[Any]]
    trigger_note: Mapped[str | None] = mapped_column(Text)
    remedies: Mapped[list[Any]]  # [{"remedy": "heat", "relief": 6}, ...]
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckInRecord(Base):
    """A daily check-in: one per person per local date (the day it describes), so a change
    of clocks or of time zone can neither duplicate nor lose a day."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("user_id", "local_date", name="uq_checkins_user_date"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]
    pain_average: Mapped[int | None] = mapped_column(Integer)
    pain_worst: Mapped[int | None] = mapped_column(Integer)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    sleep_quality: Mapped[int | None] = mapped_column(Integer)
    water_litres: Mapped[float | None] = mapped_column(Float)
    sitting_hours: Mapped[float | None] = mapped_column(Float)
    exercise_minutes: Mapped[int | None] = mapped_column(Integer)
    stress: Mapped[int | None] = mapped_column(Integer)
    medicines: Mapped[list[Any]]
    exercises_done: Mapped[list[Any]]
    warning_signs: Mapped[list[Any]]
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Clinic(Base):
    __tablename__ = "clinics"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClinicMember(Base):
    """A person who works at a clinic: a clinician, or an admin (who is also a clinician)."""

    __tablename__ = "clinic_members"
    __table_args__ = (UniqueConstraint("clinic_id", "user_id", name="uq_clinic_members"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # admin | clinician
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClinicInvitation(Base):
    """A link that lets one person join a clinic until it expires; only its hash is kept."""

    __tablename__ = "clinic_invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class AppointmentRequest(Base):
    """A patient's request to a clinic, with what they chose to share. The triage is copied
    so the queue can sort without reading the shared assessment."""

    __tablename__ = "appointment_requests"
    __table_args__ = (Index("ix_requests_clinic_status", "clinic_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    patient_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[str | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    triage: Mapped[str] = mapped_column(String(20))
    emergency: Mapped[bool] = mapped_column(default=False)
    diary_from: Mapped[date | None] = mapped_column(Date, default=None)
    diary_to: Mapped[date | None] = mapped_column(Date, default=None)
    preferred_times: Mapped[str | None] = mapped_column(Text, default=None)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(50), default=None)
    contact_email: Mapped[str | None] = mapped_column(String(254), default=None)
    message: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")
    appointment_at: Mapped[datetime | None] = mapped_column(default=None)
    status_reason: Mapped[str | None] = mapped_column(Text, default=None)
    sharing_revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RequestNote(Base):
    """A clinician's note on a request (seen by the clinic only)."""

    __tablename__ = "request_notes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(
        ForeignKey("appointment_requests.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Every time clinic staff see or change a patient's data. Kept when the patient or the
    clinician leaves (their ids become null), so the clinic's record stays complete."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_clinic_at", "clinic_id", "at"),
        Index("ix_audit_patient_at", "patient_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    clinic_id: Mapped[str | None] = mapped_column(ForeignKey("clinics.id", ondelete="SET NULL"))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_email: Mapped[str] = mapped_column(String(254))
    patient_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    request_id: Mapped[str | None] = mapped_column(
        ForeignKey("appointment_requests.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text, default=None)
